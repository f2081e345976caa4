/*
 * engine/cli/cli_partition.c -- `zonesim partition`: one zoning method on one
 * point file, with its metrics as text or JSON.
 *
 * Reads the project's points CSV (workload = mean parcels per point) or a
 * plain "x y" file such as the Fränti clustering benchmarks (workload 1 per
 * point), runs zs_partition_solve, and prints zs_plan_metrics.  Like every
 * command function it is the only place here that prints.
 *
 * With --input-format orlib-pmed or cpmp the file is a p-median benchmark
 * (engine/bench_io.h): it is solved by the exact p-median program
 * (pmedian-ip) on its own distances, and the output reports the
 * objective, status, bound, gap and runtime instead of zone metrics; cpmp
 * files also take balanced-flow, which there runs the capacitated flow
 * heuristic zs_pmedian_flow_solve (no bound: nothing proven);
 * --write-mps also writes the full textbook model (zs_pmedian_write_mps).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "input/bench_io.h"
#include "cli/cli.h"
#include "input/csv.h"
#include "input/files.h"
#include "partition/metrics.h"
#include "partition/partition.h"
#include "partition/pmedian.h"
#include "partition/shape.h"
#include "partition/zone_work.h"
#include "pipeline/run.h"
#include "input/points.h"
#include "network/adjacency.h"
#include "network/barriers.h"

/* What the plan's shape and travel-inclusive work add to its metrics. */
typedef struct {
    const zs_plan_shape *shape;
    const zs_adjacency *graph;
    const double *door, *travel; /* k each */
    double work_maxdev;          /* largest |W - mean| / mean of door + travel */
    const zs_partition *start;   /* repair: the plan repaired, else NULL */
} plan_extra;

static const char partition_help[] =
    "usage: zonesim partition POINTS --method NAME --k K [--tolerance T] [--seed S]\n"
    "                         [--restarts R] [--starts N] [--pocket-share P] [--weighted]\n"
    "                         [--merge-isolated]\n"
    "                         [--input-format csv|xy|orlib-pmed|cpmp] [--output FILE]\n"
    "                         [--time-limit S] [--gap G] [--distance floor|euclid]\n"
    "                         [--write-mps FILE] [--barriers FILE] [--depot X,Y]\n"
    "                         [--speed KMH] [--circuity C] [--repair]\n"
    "                         [--repair-from FILE] [--moved FILE] [--encoding NAME]\n"
    "                         [--coords metres|lonlat] [--col-id NAME] [--col-x NAME]\n"
    "                         [--col-y NAME] [--col-type NAME] [--col-parcels NAME]\n"
    "                         [--col-zone NAME] [--skip-missing]\n"
    "                         [--unassigned error|nearest] [--json]\n"
    "\n"
    "Splits the points into K courier zones with one method and prints the\n"
    "plan's metrics: SSE, weighted distance, zone workloads and their balance,\n"
    "estimated tour length per zone (from the zone centre), each zone's work\n"
    "with travel (door minutes + drive from the depot + in-zone tour estimate)\n"
    "and the plan's shape on the adjacency graph (Delaunay of the points cut\n"
    "by --barriers): zones in one piece, stray points, barrier crossings, hull\n"
    "overlap, Polsby-Popper compactness.\n"
    "\n"
    "  -m, --method NAME        kmeans, kmeans-density, kmeans-balanced,\n"
    "                           kmeans-two-stage, grid, voronoi or balanced-flow\n"
    "                           (k-means with zone point counts held within the\n"
    "                           tolerance by exact min-cost-flow assignment)\n"
    "                           or pmedian-ip (exact p-median with GLPK: medians\n"
    "                           among the points, least sum of distance (x\n"
    "                           workload with --weighted); zone workloads held\n"
    "                           within --tolerance only when it is given).\n"
    "                           Beyond 1,500 points pmedian-ip solves on at most\n"
    "                           1,500 occupied grid cells (each with its points'\n"
    "                           workload; a point takes its cell's zone) and says\n"
    "                           so (status '... on N cells', JSON \"cells\": N, exact\n"
    "                           false); objective and balance are the points',\n"
    "                           bound and gap the cells' program's\n"
    "                           or territory: every zone one piece on the\n"
    "                           adjacency graph, never across a barrier, its work\n"
    "                           WITH travel within --tolerance of the mean\n"
    "                           (region growing + connected boundary moves)\n"
    "  -k, --k K                number of zones, 1..number of points (orlib-pmed,\n"
    "                           cpmp: default p from the file)\n"
    "  -t, --tolerance T        relative workload tolerance (default 0.1 = +-10%)\n"
    "  -s, --seed S             seed of the k-means++ draws (default 1)\n"
    "  -r, --restarts R         k-means++ restarts, best kept (default 4)\n"
    "      --starts N           territory: seedings tried, the least hull overlap\n"
    "                           in the band kept (0: 8 to 20,000 points, else 1)\n"
    "      --pocket-share P     territory: an area the barriers close off with under\n"
    "                           P of a zone's workload joins a neighbour over its\n"
    "                           quickest crossing (0..1, default 0.5)\n"
    "  -w, --weighted           centres as workload-weighted means\n"
    "  -i, --merge-isolated     merge one-point zones far from every other point\n"
    "  -f, --input-format FMT   csv: points CSV with header id,x,y[,type,parcels]\n"
    "                           (workload = parcels; the default); xy: one 'x y'\n"
    "                           pair per line, no header (workload 1);\n"
    "                           orlib-pmed: OR-Library p-median graph (n edges p,\n"
    "                           then i j cost; shortest-path distances); cpmp:\n"
    "                           capacitated p-median (n p, then x y capacity\n"
    "                           demand).  Both need --method pmedian-ip.\n"
    "  -T, --time-limit S       pmedian-ip: time limit of the whole solve (default 60)\n"
    "  -g, --gap G              pmedian-ip: stop at this relative gap (default 0:\n"
    "                           prove optimality)\n"
    "  -d, --distance RULE      cpmp: floor (sum of floor(Euclidean), Osman &\n"
    "                           Christofides) or euclid; default floor for files\n"
    "                           named cpmpNN*, euclid otherwise\n"
    "  -M, --write-mps FILE     orlib-pmed, cpmp: also write the FULL textbook model\n"
    "                           (x_ij <= y_j on every arc, capacities, --tolerance\n"
    "                           as load rows) as a fixed MPS file for another MIP\n"
    "                           solver ('cbc FILE solve'): same optimum as the solve,\n"
    "                           which still runs, without its bounds and reductions\n"
    "  -B, --barriers FILE      GeoJSON lines/polygons (rivers, motorways, rail) in\n"
    "                           the points' metres: adjacency edges crossing them\n"
    "                           are cut (shape figures, territory)\n"
    "  -D, --depot X,Y          the station, metres (lon,lat with --coords lonlat):\n"
    "                           travel includes the drive there and back (default:\n"
    "                           none)\n"
    "  -S, --speed KMH          travel speed for zone work (default 18)\n"
    "  -C, --circuity C         road / straight-line distance (default 1.3)\n"
    "  -R, --repair             territory: repair the points' zone column (the\n"
    "                           planner's zoning) with the fewest moves\n"
    "  -F, --repair-from FILE   territory: repair the zoning in FILE (id,zone)\n"
    "  -V, --moved FILE         repair: write the moved points as id,from,to\n"
    "  -E, --encoding NAME      text encoding of POINTS and --repair-from (utf-8,\n"
    "                           the default, checked; gbk, gb18030, any iconv name)\n"
    "      --coords C           csv: metres (x, y planar; the default) or lonlat\n"
    "                           (x = longitude, y = latitude, degrees; projected to\n"
    "                           metres about their mean, as points.coords).  Metres\n"
    "                           that look like degrees (every x in [-180, 180], y in\n"
    "                           [-90, 90], at most 5 units across) get a warning\n"
    "                           naming --coords lonlat; the run goes on\n"
    "      --col-id NAME, --col-x NAME, --col-y NAME, --col-type NAME,\n"
    "      --col-parcels NAME, --col-zone NAME\n"
    "                           csv: header names of the columns, as the\n"
    "                           scenario's points.columns (defaults id, x, y,\n"
    "                           type, parcels; no zone column; type and parcels\n"
    "                           may be absent under their default names)\n"
    "      --skip-missing       csv: skip rows whose x or y is empty (or NA, NaN,\n"
    "                           null) and say how many, with their first lines;\n"
    "                           without it such a row is an error at its field\n"
    "      --unassigned RULE    an empty zone label (--col-zone, --repair-from):\n"
    "                           error (the default) or nearest (the zone of the\n"
    "                           nearest point with a label)\n"
    "  -o, --output FILE        write the assignment as id,zone\n"
    "  -j, --json               print one JSON object instead of the text summary\n"
    "  -h, --help               this help\n";

/* Reads a header-less whitespace file of "x y" lines into a new point set
 * with ids "1".."n" and unit parcels. */
static zs_status read_xy(const char *path, const char *encoding, zs_points **out, zs_err *err)
{
    *out = NULL;
    zs_csv *c = NULL;
    double *xs = NULL, *ys = NULL;
    size_t n = 0, cap = 0;
    zs_status st = zs_csv_open_enc(path, ZS_CSV_WHITESPACE, encoding, "--encoding", &c, err);
    if (st != ZS_OK)
        return st;
    int r;
    while ((r = zs_csv_next(c, err)) == 1) {
        if (zs_csv_nfields(c) == 0)
            continue; /* a comment line */
        if (zs_csv_nfields(c) > 2) {
            st = zs_csv_error(c, 2, err, "expected 2 numbers (x y), got %zu fields",
                              zs_csv_nfields(c));
            goto done;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            double *nx = zs_realloc(xs, cap * sizeof *xs);
            if (nx)
                xs = nx;
            double *ny = nx ? zs_realloc(ys, cap * sizeof *ys) : NULL;
            if (!nx || !ny) {
                st = ZS_NOMEM(err);
                goto done;
            }
            ys = ny;
        }
        if ((st = zs_csv_get_double(c, 0, "x", &xs[n], err)) != ZS_OK ||
            (st = zs_csv_get_double(c, 1, "y", &ys[n], err)) != ZS_OK)
            goto done;
        for (size_t f = 0; f < 2; f++)
            if (fabs(f ? ys[n] : xs[n]) > ZS_POINTS_MAX_M) {
                st = zs_csv_error(c, f, err, "%s = %.17g; must be in [-1e8, 1e8]", f ? "y" : "x",
                                  f ? ys[n] : xs[n]);
                goto done;
            }
        n++;
    }
    if (r < 0) {
        st = err->code;
        goto done;
    }
    if (n == 0) {
        st = zs_err_at(err, ZS_EINPUT, path, 0, 0, "no points (empty file)");
        goto done;
    }
    zs_points *p = zs_points_create(n, err);
    if (!p) {
        st = err->code;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        p->x[i] = xs[i];
        p->y[i] = ys[i];
        p->parcels[i] = 1.0;
    }
    *out = p;
done:
    zs_free(xs);
    zs_free(ys);
    zs_csv_close(c);
    return st;
}

/* A JSON number; infinities and NaN have no JSON form and become null. */
static void json_num(double v)
{
    if (isfinite(v))
        printf("%.17g", v);
    else
        fputs("null", stdout);
}

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", (unsigned)(unsigned char)*s);
        else
            putchar(*s);
    }
    putchar('"');
}

static void print_json(const char *path, const zs_partition *p, const zs_plan_metrics *m,
                       const plan_extra *x)
{
    fputs("{\"points_file\": ", stdout);
    json_str(path);
    fputs(", \"method\": ", stdout);
    json_str(p->method);
    printf(", \"k\": %zu, \"n\": %zu, \"objective\": ", p->k, p->n);
    json_num(p->objective);
    fputs(", \"sse\": ", stdout);
    json_num(m->sse);
    fputs(", \"weighted_distance_m\": ", stdout);
    json_num(m->weighted_dist_m);
    printf(", \"iterations\": %d, \"converged\": %s, \"status\": ", p->iterations,
           p->converged ? "true" : "false");
    json_str(p->status);
    fputs(", \"runtime_s\": ", stdout);
    json_num(p->runtime_s);
    fputs(", \"tolerance\": ", stdout);
    json_num(p->balance.tolerance);
    printf(", \"balance_met\": %s, \"balance_within\": %zu, \"balance_maxdev\": ",
           p->balance.met ? "true" : "false", p->balance.within);
    json_num(m->balance_maxdev);
    fputs(", \"balance_maxmin\": ", stdout);
    json_num(m->balance_maxmin);
    fputs(", \"balance_cv\": ", stdout);
    json_num(m->balance_cv);
    printf(", \"moves\": %zu, \"merged\": %zu", p->balance.moves, p->balance.merged);
    if (strcmp(p->method, "pmedian-ip") == 0) {
        fputs(", \"bound\": ", stdout);
        json_num(p->exact.bound);
        fputs(", \"gap\": ", stdout);
        json_num(p->exact.gap);
        printf(", \"exact\": %s", p->exact.proven ? "true" : "false");
        printf(", \"cells\": %zu", p->exact.cells);
        fputs(", \"cell_side_m\": ", stdout);
        json_num(p->exact.cell_side_m);
    }
    const zs_plan_shape *sh = x->shape;
    printf(", \"shape\": {\"zones_one_piece\": %zu, \"pieces\": %zu, \"strays\": %zu, "
           "\"barrier_edges\": %zu, \"barrier_zones\": %zu, \"barrier_zones_alone\": %zu, "
           "\"bridged_zones\": %zu, \"hull_overlap\": ", sh->zones_one_piece, sh->pieces,
           sh->strays, sh->barrier_edges, sh->barrier_zones, sh->barrier_alone, sh->bridged_zones);
    json_num(sh->hull_overlap);
    fputs(", \"polsby_popper_mean\": ", stdout);
    json_num(sh->pp_mean);
    fputs(", \"polsby_popper_min\": ", stdout);
    json_num(sh->pp_min);
    printf(", \"graph_edges\": %zu, \"graph_long_edges\": %zu, \"graph_barrier_edges\": %zu, "
           "\"graph_parts\": %zu}", x->graph->n_edges, x->graph->n_long, x->graph->n_barrier,
           x->graph->n_parts);
    fputs(", \"work_maxdev\": ", stdout);
    json_num(x->work_maxdev);
    if (strcmp(p->method, "territory") == 0) {
        printf(", \"pockets\": %zu, \"parts\": %zu, \"part_bound\": ", p->territory.pockets,
               p->territory.parts);
        json_num(p->territory.part_bound);
        printf(", \"k_within\": %zu, \"k_within_dev\": ", p->territory.k_within);
        json_num(p->territory.k_within_dev);
        if (x->start) {
            printf(", \"moved\": %zu, \"moved_work_share\": ", p->territory.moved);
            json_num(p->territory.moved_work_share);
        }
    }
    fputs(", \"zone_work_min\": [", stdout);
    for (size_t z = 0; z < m->k; z++) {
        fputs(z ? ", " : "", stdout);
        json_num(x->door[z] + x->travel[z]);
    }
    fputs("], \"zone_travel_min\": [", stdout);
    for (size_t z = 0; z < m->k; z++) {
        fputs(z ? ", " : "", stdout);
        json_num(x->travel[z]);
    }
    fputs("], \"zone_pieces\": [", stdout);
    for (size_t z = 0; z < m->k; z++)
        printf("%s%zu", z ? ", " : "", sh->zone_pieces[z]);
    fputs("]", stdout);
    fputs(", \"tour_total_m\": ", stdout);
    json_num(m->tour_total_m);
    fputs(", \"zone_points\": [", stdout);
    for (size_t z = 0; z < m->k; z++)
        printf("%s%zu", z ? ", " : "", m->points[z]);
    fputs("], \"zone_workload\": [", stdout);
    for (size_t z = 0; z < m->k; z++) {
        fputs(z ? ", " : "", stdout);
        json_num(m->workload[z]);
    }
    fputs("], \"zone_tour_m\": [", stdout);
    for (size_t z = 0; z < m->k; z++) {
        fputs(z ? ", " : "", stdout);
        json_num(m->tour_m[z]);
    }
    fputs("]}\n", stdout);
}

static void print_text(const char *path, const zs_partition *p, const zs_plan_metrics *m,
                       const plan_extra *x)
{
    printf("%s: %s, %zu zones over %zu points\n", path, p->method, p->k, p->n);
    /* One thing a line: what the plan is, then how the method stopped. */
    printf("  %-18s %s\n", "status", p->status);
    if (p->iterations > 0 && strcmp(p->method, "pmedian-ip") != 0 &&
        strcmp(p->method, "territory") != 0) /* nodes and moves have lines of their own */
        printf("  %-18s %d (%s)\n", "iterations", p->iterations,
               p->converged ? "converged" : "stopped at the iteration limit");
    printf("  %-18s %.6g m^2 (objective %.6g)\n", "SSE", m->sse, p->objective);
    printf("  %-18s %.6g m\n", "weighted distance", m->weighted_dist_m);
    printf("  %-18s mean %.4g, min %.4g, max %.4g\n", "zone workload", m->work_mean, m->work_min,
           m->work_max);
    int terr = strcmp(p->method, "territory") == 0; /* judged on work with travel */
    if (terr)
        printf("  %-18s max/min %.3f, CV %.3f, largest deviation %.1f%% (door minutes only)\n",
               "balance", m->balance_maxmin, m->balance_cv, 100.0 * m->balance_maxdev);
    else
        printf("  %-18s max/min %.3f, CV %.3f, largest deviation %.1f%% (tolerance %.1f%%: %s%s)\n",
               "balance", m->balance_maxmin, m->balance_cv, 100.0 * m->balance_maxdev,
               100.0 * p->balance.tolerance, p->balance.met ? "met" : "not met",
               !p->balance.met && strcmp(p->method, "balanced-flow") == 0
                   ? "; balanced-flow holds point counts, not workloads, within it" : "");
    if (p->balance.moves || p->balance.merged)
        printf("  %-18s %zu points moved, %zu isolated zones merged\n", "adjustments", p->balance.moves,
               p->balance.merged);
    printf("  %-18s total %.1f km, longest %.1f km (from zone centres)\n", "tours",
           m->tour_total_m / 1000.0, m->tour_max_m / 1000.0);
    if (strcmp(p->method, "pmedian-ip") == 0 && p->exact.cells)
        printf("  %-18s %.6g on the points; solved on %zu grid cells of %.0f m (cells' bound "
               "%.6g, gap %.2f%%; not proven for the points)\n",
               "p-median objective", p->objective, p->exact.cells, p->exact.cell_side_m, p->exact.bound,
               100.0 * p->exact.gap);
    else if (strcmp(p->method, "pmedian-ip") == 0)
        printf("  %-18s %.6g (bound %.6g, gap %.2f%%, %s)\n", "p-median objective", p->objective,
               p->exact.bound, 100.0 * p->exact.gap, p->exact.proven ? "proven optimal" : "not proven");
    double wmin = HUGE_VAL, wmax = 0, wsum = 0, tsum = 0;
    for (size_t z = 0; z < p->k; z++) {
        double wz = x->door[z] + x->travel[z];
        wmin = fmin(wmin, wz);
        wmax = fmax(wmax, wz);
        wsum += wz;
        tsum += x->travel[z];
    }
    printf("  %-18s mean %.4g min (travel %.0f%%), min %.4g, max %.4g, largest deviation "
           "%.1f%%", "work with travel", wsum / (double)p->k,
           wsum > 0 ? 100.0 * tsum / wsum : 0.0, wmin, wmax, 100.0 * x->work_maxdev);
    if (strcmp(p->method, "territory") == 0)
        printf(" (tolerance %.1f%%: %s, %zu of %zu zones within)", 100.0 * p->balance.tolerance,
               p->balance.met ? "met" : "not met", p->balance.within, p->k);
    putchar('\n');
    const zs_plan_shape *sh = x->shape;
    printf("  %-18s %zu of %zu zones one piece (%zu pieces), %zu stray points, %zu zones "
           "across a barrier (%zu edges)\n", "shape", sh->zones_one_piece, p->k, sh->pieces,
           sh->strays, sh->barrier_zones, sh->barrier_edges);
    printf("  %-18s hull overlap %.1f%%, Polsby-Popper mean %.3f, min %.3f\n", "",
           100.0 * sh->hull_overlap, sh->pp_mean, sh->pp_min);
    if (strcmp(p->method, "territory") == 0 && p->territory.pockets)
        printf("  %-18s %zu points joined to a zone across a barrier (%zu zones: one piece "
               "over the crossing)\n", "pockets", p->territory.pockets, sh->bridged_zones);
    if (strcmp(p->method, "territory") == 0 && p->territory.parts > 1 && !x->start) {
        printf("  %-18s %zu areas: an area's work per zone about %.1f%% from the mean at best",
               "barrier areas", p->territory.parts, 100.0 * p->territory.part_bound);
        if (p->territory.k_within)
            printf(" (%zu zones: %.1f%%)", p->territory.k_within,
                   100.0 * p->territory.k_within_dev);
        putchar('\n');
    }
    if (x->start)
        printf("  %-18s %zu points moved (%.1f%% of the workload) from the given zoning\n",
               "repair", p->territory.moved, 100.0 * p->territory.moved_work_share);
    printf("  %-18s %.3f s\n", "runtime", p->runtime_s);
}

/* A lower bound on the band any plan of k zones needs, as a share of the
 * mean zone workload: the heaviest point must sit in some zone, and when
 * every point weighs the same, zones hold whole numbers of points (the
 * best is floor or ceil of n / k). */
static double band_lower_bound(const double *w, size_t n, size_t k)
{
    double total = 0, wmax = 0;
    int equal = 1;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        total += wi;
        wmax = fmax(wmax, wi);
        equal &= !w || w[i] == w[0];
    }
    double mean = total / (double)k, lb = mean > 0 ? fmax(0.0, wmax / mean - 1.0) : 0.0;
    if (equal && n % k) {
        double q = (double)n / (double)k;
        lb = fmax(lb, fmax(ceil(q) - q, q - floor(q)) / q); /* both sizes occur */
    }
    return lb;
}

typedef struct {
    const zs_points *pts;
    const zs_partition *from, *to;
} moved_job;

static zs_status write_moved_rows(FILE *f, const void *ctx, zs_err *err)
{
    (void)err;
    const moved_job *j = ctx;
    fputs("id,from,to\n", f);
    for (size_t i = 0; i < j->pts->n; i++)
        if (j->from->zone[i] != j->to->zone[i])
            fprintf(f, "%s,%s,%s\n", j->pts->id[i], j->from->label[j->from->zone[i]],
                    j->to->label[j->to->zone[i]]);
    return ZS_OK;
}

/* id,from,to for every point whose zone the repair changed (through a
 * temporary and a rename, input/files.h). */
static zs_status write_moved(const char *path, const zs_points *pts, const zs_partition *from,
                             const zs_partition *to, zs_err *err)
{
    moved_job j = {pts, from, to};
    return zs_file_write_atomic(path, write_moved_rows, &j, ZS_EIO, err);
}

/* ---- p-median benchmark files -------------------------------------------- */

typedef struct {
    const char *format;      /* "orlib-pmed" or "cpmp" */
    const char *distance;    /* "shortest-path", "floor", "euclid" */
    size_t k;                /* 0: p from the file */
    int balance;
    double tolerance;
    double time_limit_s, gap;
    zs_cpmp_dist rule;
    const char *mps;         /* --write-mps FILE, or NULL */
    int flow;                /* 1: balanced-flow's capacitated heuristic (cpmp only) */
} bench_args;

static void print_bench(const char *path, const bench_args *a, const zs_pmedian_result *r,
                        int json)
{
    if (!json) {
        const char *meth = a->flow ? "balanced-flow" : "pmedian-ip";
        printf("%s: %s (%s, %s distances), %zu medians over %zu points\n", path, meth,
               a->format, a->distance, r->p, r->n);
        if (a->flow) {
            printf("  %-18s %s (capacitated flow heuristic, not proven)\n", "status",
                   r->status_text);
            printf("  %-18s %.10g\n", "objective", r->objective);
            printf("  %-18s %d\n", "iterations", r->iterations);
            printf("  %-18s %.3f s\n", "runtime", r->runtime_s);
            return;
        }
        printf("  %-18s %s (proof: %s)\n", "status", r->status_text, *r->proof ? r->proof : "none");
        printf("  %-18s %.10g\n", "objective", r->objective);
        printf("  %-18s %.10g (gap %.4f%%)\n", "bound", r->bound, 100.0 * r->gap);
        printf("  %-18s Lagrangian %.10g, heuristic %.10g\n", "bounds", r->lagrangian_bound,
               r->heuristic_objective);
        if (r->tree_nodes > 0)
            printf("  %-18s %zu sites fixed open, %zu closed, %zu arcs, Lagrangian tree of %ld "
                   "nodes\n", "program", r->fixed_open, r->fixed_closed, r->arcs, r->tree_nodes);
        else
            printf("  %-18s %zu sites fixed open, %zu closed, %zu arcs, %d rows x %d columns, "
                   "%d nodes\n", "program", r->fixed_open, r->fixed_closed, r->arcs, r->mip_rows,
                   r->mip_cols, r->mip_nodes);
        printf("  %-18s %.3f s\n", "runtime", r->runtime_s);
        return;
    }
    fputs("{\"points_file\": ", stdout);
    json_str(path);
    fputs(", \"input_format\": ", stdout);
    json_str(a->format);
    fputs(", \"distance\": ", stdout);
    json_str(a->distance);
    printf(", \"method\": \"%s\", \"n\": %zu, \"k\": %zu, \"objective\": ",
           a->flow ? "balanced-flow" : "pmedian-ip", r->n, r->p);
    json_num(r->objective);
    fputs(", \"status\": ", stdout);
    json_str(r->status_text);
    if (a->flow) {
        /* No bound, proof or program: nothing is proven. */
        printf(", \"exact\": false, \"runtime_s\": ");
        json_num(r->runtime_s);
        printf(", \"iterations\": %d, \"medians\": [", r->iterations);
        for (size_t z = 0; r->have_solution && z < r->p; z++)
            printf("%s%zu", z ? ", " : "", r->open[z] + 1);
        fputs("]}\n", stdout);
        return;
    }
    printf(", \"exact\": %s, \"proof\": ", r->exact ? "true" : "false");
    json_str(r->proof);
    fputs(", \"bound\": ", stdout);
    json_num(r->bound);
    fputs(", \"gap\": ", stdout);
    json_num(r->gap);
    fputs(", \"runtime_s\": ", stdout);
    json_num(r->runtime_s);
    fputs(", \"lagrangian_bound\": ", stdout);
    json_num(r->lagrangian_bound);
    fputs(", \"heuristic_objective\": ", stdout);
    json_num(r->heuristic_objective);
    printf(", \"balance\": %s, \"tolerance\": ", a->balance ? "true" : "false");
    json_num(a->tolerance);
    printf(", \"fixed_open\": %zu, \"fixed_closed\": %zu, \"arcs\": %zu, \"mip_rows\": %d, "
           "\"mip_cols\": %d, \"mip_nodes\": %d, \"tree_nodes\": %ld, \"medians\": [",
           r->fixed_open, r->fixed_closed, r->arcs, r->mip_rows, r->mip_cols, r->mip_nodes,
           r->tree_nodes);
    for (size_t z = 0; r->have_solution && z < r->p; z++)
        printf("%s%zu", z ? ", " : "", r->open[z] + 1);
    fputs("]}\n", stdout);
}

/* A benchmark whose preprocessing (the shortest paths) did not finish
 * within --time-limit: a result without a plan, as a solve that found
 * none; nothing is written to --output. */
static void print_bench_timeout(const char *path, const bench_args *a, const zs_orlib_pmed *g,
                                int json)
{
    char status[96];
    snprintf(status, sizeof status, "time limit reached during preprocessing (%.2f s)",
             g->load_s);
    if (!json) {
        printf("%s: pmedian-ip (%s, %s distances), %zu medians over %zu points\n", path,
               a->format, a->distance, a->k ? a->k : g->p, g->n);
        printf("  %-18s %s: the all-pairs shortest paths were not complete; no plan\n",
               "status", status);
        printf("  %-18s %.3f s\n", "runtime", g->load_s);
        return;
    }
    fputs("{\"points_file\": ", stdout);
    json_str(path);
    fputs(", \"input_format\": ", stdout);
    json_str(a->format);
    printf(", \"method\": \"pmedian-ip\", \"n\": %zu, \"k\": %zu, \"objective\": null, "
           "\"status\": ", g->n, a->k ? a->k : g->p);
    json_str(status);
    fputs(", \"exact\": false, \"runtime_s\": ", stdout);
    json_num(g->load_s);
    fputs(", \"medians\": []}\n", stdout);
}

/* Writes "id,zone" (1-based vertex id, zone 1..p in median order). */
static zs_status write_bench_rows(FILE *f, const void *ctx, zs_err *err)
{
    (void)err;
    const zs_pmedian_result *r = ctx;
    fputs("id,zone\n", f);
    for (size_t i = 0; r->have_solution && i < r->n; i++) {
        size_t z = 0;
        while (z < r->p && r->open[z] != r->assign[i])
            z++;
        fprintf(f, "%zu,%zu\n", i + 1, z + 1);
    }
    return ZS_OK;
}

/* Writes "id,zone" (1-based vertex id, zone 1..p in median order) through a
 * temporary and a rename (input/files.h). */
static zs_status write_bench_assign(const char *path, const zs_pmedian_result *r, zs_err *err)
{
    return zs_file_write_atomic(path, write_bench_rows, r, ZS_EIO, err);
}

static int run_bench(const char *path, bench_args *a, const char *output, int json)
{
    zs_err err;
    zs_orlib_pmed *g = NULL;
    zs_cpmp *cp = NULL;
    double *D = NULL;
    zs_pmedian_result *r = NULL;
    zs_pmedian_problem pb = {0};
    zs_pmedian_opts po;
    zs_pmedian_opts_defaults(&po);
    po.time_limit_s = a->time_limit_s;
    po.mip_gap = a->gap;
    po.balance = a->balance;
    po.tolerance = a->tolerance;
    int rc = 0;
    zs_status st;
    if (strcmp(a->format, "orlib-pmed") == 0) {
        /* --time-limit covers the shortest paths too (issue 22: 38 s of
         * Floyd-Warshall before a 5 s limit started counting). */
        st = zs_orlib_pmed_load_within(path, a->time_limit_s, &g, &err);
        if (st == ZS_OK && !g->timed_out && a->time_limit_s - g->load_s < 1e-3)
            g->timed_out = 1; /* nothing left for the solve */
        if (st == ZS_OK && g->timed_out) {
            print_bench_timeout(path, a, g, json);
            zs_orlib_pmed_free(g);
            return 0;
        }
        if (st == ZS_OK) {
            po.time_limit_s = a->time_limit_s - g->load_s;
            pb.n = pb.m = g->n;
            pb.p = g->p;
            pb.dist = g->dist;
        }
    } else {
        st = zs_cpmp_load(path, a->rule, &cp, &err);
        if (st == ZS_OK && (st = zs_cpmp_distances(cp, &D, &err)) == ZS_OK) {
            pb.n = pb.m = cp->n;
            pb.p = cp->p;
            pb.dist = D;
            pb.demand = cp->demand;
            pb.capacity = cp->capacity;
            a->distance = zs_cpmp_dist_name(cp->rule);
        }
    }
    pb.cand_is_client = 1;
    if (st == ZS_OK) {
        if (a->k)
            pb.p = a->k;
        if (a->mps)
            st = zs_pmedian_write_mps(&pb, &po, a->mps, &err);
        if (st == ZS_OK && a->flow) {
            zs_pmedian_flow_opts fo;
            zs_pmedian_flow_opts_defaults(&fo);
            st = zs_pmedian_flow_solve(&pb, &fo, &r, &err);
        } else if (st == ZS_OK) {
            st = zs_pmedian_solve(&pb, &po, &r, &err);
        }
    }
    if (st == ZS_OK && output)
        st = write_bench_assign(output, r, &err);
    if (st != ZS_OK)
        rc = zs_cli_fail(&err);
    else
        print_bench(path, a, r, json);
    zs_pmedian_result_free(r);
    zs_orlib_pmed_free(g);
    zs_cpmp_free(cp);
    zs_free(D);
    return rc;
}

/* Long options without a short letter (the letters are taken). */
enum {
    OPT_COORDS = 256, OPT_COL_ID, OPT_COL_X, OPT_COL_Y, OPT_COL_TYPE, OPT_COL_PARCELS,
    OPT_COL_ZONE, OPT_SKIP_MISSING, OPT_UNASSIGNED, OPT_STARTS, OPT_POCKET
};

/* The zoning to repair from FILE (id,zone), with --encoding and --unassigned. */
static zs_status load_repair_from(const zs_points *pts, const char *path,
                                  const zs_points_opts *po, zs_partition **out, zs_err *err)
{
    zs_plan_file_opts fo;
    zs_plan_file_opts_defaults(&fo);
    fo.encoding = po->encoding;
    fo.encoding_setting = po->encoding_setting;
    fo.unassigned_nearest = po->unassigned_nearest;
    fo.unassigned_setting = po->unassigned_setting;
    return zs_partition_load_file(pts, path, &fo, out, err);
}

int zs_cli_partition(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"method", required_argument, NULL, 'm'},   {"k", required_argument, NULL, 'k'},
        {"tolerance", required_argument, NULL, 't'}, {"seed", required_argument, NULL, 's'},
        {"restarts", required_argument, NULL, 'r'},  {"weighted", no_argument, NULL, 'w'},
        {"merge-isolated", no_argument, NULL, 'i'},  {"input-format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},    {"json", no_argument, NULL, 'j'},
        {"time-limit", required_argument, NULL, 'T'}, {"gap", required_argument, NULL, 'g'},
        {"distance", required_argument, NULL, 'd'},  {"help", no_argument, NULL, 'h'},
        {"write-mps", required_argument, NULL, 'M'}, {"barriers", required_argument, NULL, 'B'},
        {"depot", required_argument, NULL, 'D'},     {"speed", required_argument, NULL, 'S'},
        {"circuity", required_argument, NULL, 'C'},  {"repair", no_argument, NULL, 'R'},
        {"repair-from", required_argument, NULL, 'F'}, {"moved", required_argument, NULL, 'V'},
        {"encoding", required_argument, NULL, 'E'}, {"pocket-share", required_argument, NULL, OPT_POCKET},
        {"coords", required_argument, NULL, OPT_COORDS}, {"col-id", required_argument, NULL, OPT_COL_ID},
        {"col-x", required_argument, NULL, OPT_COL_X},   {"col-y", required_argument, NULL, OPT_COL_Y},
        {"col-type", required_argument, NULL, OPT_COL_TYPE},
        {"col-parcels", required_argument, NULL, OPT_COL_PARCELS},
        {"col-zone", required_argument, NULL, OPT_COL_ZONE},
        {"skip-missing", no_argument, NULL, OPT_SKIP_MISSING},
        {"unassigned", required_argument, NULL, OPT_UNASSIGNED},
        {"starts", required_argument, NULL, OPT_STARTS},
        {NULL, 0, NULL, 0}};
    zs_points_opts po;
    zs_points_opts_defaults(&po);
    int col_opts = 0;
    const char *cmd = "partition", *method = NULL, *format = "csv", *output = NULL;
    const char *distance = NULL, *mps = NULL, *barriers = NULL, *repair_from = NULL;
    const char *moved = NULL, *encoding = NULL;
    int json = 0, c, have_k = 0, have_tol = 0, repair = 0;
    zs_zone_work wm;
    zs_zone_work_defaults(&wm);
    long v;
    zs_partition_opts o;
    zs_partition_opts_defaults(&o);
    zs_err err;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:k:t:s:r:wif:o:jT:g:d:M:B:D:S:C:RF:V:E:h", lopts, NULL)) != -1) {
        switch (c) {
        case 'm': method = optarg; break;
        case 'k':
            if (zs_cli_parse_long(optarg, 1, INT32_MAX, &v) != 0)
                return zs_cli_usage(cmd, "--k '%s': expected an integer 1..%ld", optarg,
                                    (long)INT32_MAX);
            o.k = (size_t)v;
            have_k = 1;
            break;
        case 't':
            if (zs_cli_parse_double(optarg, 0.0, HUGE_VAL, &o.tolerance) != 0)
                return zs_cli_usage(cmd, "--tolerance '%s': expected a number >= 0", optarg);
            have_tol = 1;
            break;
        case 'T':
            if (zs_cli_parse_double(optarg, 1e-3, 1e6, &o.ip.time_limit_s) != 0)
                return zs_cli_usage(cmd, "--time-limit '%s': expected seconds in [0.001, 1e6]",
                                    optarg);
            break;
        case 'g':
            if (zs_cli_parse_double(optarg, 0.0, 0.999, &o.ip.gap) != 0)
                return zs_cli_usage(cmd, "--gap '%s': expected a number in [0, 0.999]", optarg);
            break;
        case 'd': distance = optarg; break;
        case 'B': barriers = optarg; break;
        case 'D': {
            char *end = NULL;
            errno = 0;
            wm.depot_x = strtod(optarg, &end);
            if (end == optarg || *end != ',' || !isfinite(wm.depot_x))
                return zs_cli_usage(cmd, "--depot '%s': expected X,Y in metres", optarg);
            const char *ys = end + 1;
            wm.depot_y = strtod(ys, &end);
            if (end == ys || *end || !isfinite(wm.depot_y) || errno)
                return zs_cli_usage(cmd, "--depot '%s': expected X,Y in metres", optarg);
            wm.has_depot = 1;
            break;
        }
        case 'S':
            if (zs_cli_parse_double(optarg, 1e-3, 1e3, &wm.speed_kmh) != 0)
                return zs_cli_usage(cmd, "--speed '%s': expected km/h in [0.001, 1000]", optarg);
            break;
        case 'C':
            if (zs_cli_parse_double(optarg, 1.0, 10.0, &wm.circuity) != 0)
                return zs_cli_usage(cmd, "--circuity '%s': expected a number in [1, 10]", optarg);
            break;
        case 'R': repair = 1; break;
        case 'F': repair_from = optarg; break;
        case 'V': moved = optarg; break;
        case 'M': mps = optarg; break;
        case 's':
            if (zs_cli_parse_u64(optarg, &o.kmeans.seed) != 0)
                return zs_cli_usage(cmd, "--seed '%s': expected a non-negative integer", optarg);
            break;
        case 'r':
            if (zs_cli_parse_long(optarg, 1, 100000, &v) != 0)
                return zs_cli_usage(cmd, "--restarts '%s': expected an integer 1..100000", optarg);
            o.kmeans.restarts = (int)v;
            break;
        case OPT_STARTS:
            if (zs_cli_parse_long(optarg, 0, 1000, &v) != 0)
                return zs_cli_usage(cmd, "--starts '%s': expected an integer 0..1000", optarg);
            o.starts = (size_t)v;
            break;
        case OPT_POCKET:
            if (zs_cli_parse_double(optarg, 0, 1, &o.pocket_share) != 0)
                return zs_cli_usage(cmd, "--pocket-share '%s': expected a number 0..1", optarg);
            break;
        case 'w': o.kmeans.weighted = 1; break;
        case 'i': o.merge_isolated = 1; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'E':
            if (zs_csv_encoding_check(optarg, &err) != ZS_OK)
                return zs_cli_usage(cmd, "--encoding: %s", err.msg);
            encoding = optarg;
            break;
        case OPT_COORDS:
            if (strcmp(optarg, "lonlat") != 0 && strcmp(optarg, "metres") != 0 &&
                strcmp(optarg, "meters") != 0)
                return zs_cli_usage(cmd, "--coords '%s': expected metres or lonlat", optarg);
            po.lonlat = strcmp(optarg, "lonlat") == 0;
            col_opts = 1;
            break;
        case OPT_COL_ID: po.col_id = optarg; col_opts = 1; break;
        case OPT_COL_X: po.col_x = optarg; col_opts = 1; break;
        case OPT_COL_Y: po.col_y = optarg; col_opts = 1; break;
        case OPT_COL_TYPE: po.col_type = optarg; col_opts = 1; break;
        case OPT_COL_PARCELS: po.col_parcels = optarg; col_opts = 1; break;
        case OPT_COL_ZONE: po.col_zone = optarg; col_opts = 1; break;
        case OPT_SKIP_MISSING: po.skip_missing = 1; col_opts = 1; break;
        case OPT_UNASSIGNED:
            if (strcmp(optarg, "error") != 0 && strcmp(optarg, "nearest") != 0)
                return zs_cli_usage(cmd, "--unassigned '%s': expected error or nearest", optarg);
            po.unassigned_nearest = strcmp(optarg, "nearest") == 0;
            break;
        case 'j': json = 1; break;
        case 'h': fputs(partition_help, stdout); return 0;
        default: return zs_cli_usage(cmd, "unknown option");
        }
    }
    if (optind != argc - 1)
        return zs_cli_usage(cmd, optind == argc ? "missing POINTS" : "too many arguments");
    if (!method)
        return zs_cli_usage(cmd, "--method NAME is required");
    int xy = strcmp(format, "xy") == 0;
    int bench = strcmp(format, "orlib-pmed") == 0 || strcmp(format, "cpmp") == 0;
    if (!xy && !bench && strcmp(format, "csv") != 0)
        return zs_cli_usage(cmd, "--input-format '%s': expected csv, xy, orlib-pmed or cpmp",
                            format);
    if (!have_k && !bench && !repair && !repair_from)
        return zs_cli_usage(cmd, "--k K is required");
    if (zs_partition_method_parse(method, &o.method, &err) != ZS_OK)
        return zs_cli_usage(cmd, "--method: %s", err.msg);
    zs_cpmp_dist rule = ZS_CPMP_DIST_AUTO;
    if (distance) {
        if (strcmp(format, "cpmp") != 0)
            return zs_cli_usage(cmd, "--distance: only for --input-format cpmp");
        if (strcmp(distance, "floor") == 0)
            rule = ZS_CPMP_DIST_FLOOR;
        else if (strcmp(distance, "euclid") == 0)
            rule = ZS_CPMP_DIST_EUCLID;
        else
            return zs_cli_usage(cmd, "--distance '%s': expected floor or euclid", distance);
    }
    if (mps && !bench)
        return zs_cli_usage(cmd, "--write-mps: only for --input-format orlib-pmed or cpmp");
    if ((repair || repair_from) && o.method != ZS_PM_TERRITORY)
        return zs_cli_usage(cmd, "--repair/--repair-from: only with --method territory");
    if (repair && repair_from)
        return zs_cli_usage(cmd, "--repair and --repair-from: give one");
    if (moved && !repair && !repair_from)
        return zs_cli_usage(cmd, "--moved: only with --repair or --repair-from");
    if (bench && (barriers || wm.has_depot || repair || repair_from || encoding))
        return zs_cli_usage(cmd, "--barriers, --depot, --repair and --encoding are for point files");
    if (col_opts && strcmp(format, "csv") != 0)
        return zs_cli_usage(cmd, "--coords, --col-* and --skip-missing are for --input-format csv");
    const char *path = argv[optind];
    {
        const zs_file_input in[] = {{path, "the points file"}, {barriers, "--barriers"},
                                    {repair_from, "--repair-from"}};
        const char *outs[] = {output, mps, moved};
        int rc = zs_cli_check_outputs(outs, 3, in, 3);
        if (rc)
            return rc;
    }
    o.ip.balance = have_tol;
    /* The outputs' folders and locks before any solving (issue 22). */
    {
        zs_err perr;
        if ((output && zs_file_prepare_output(output, &perr) != ZS_OK) ||
            (moved && zs_file_prepare_output(moved, &perr) != ZS_OK))
            return zs_cli_fail(&perr);
    }
    if (bench) {
        int flow = o.method == ZS_PM_BALANCED_FLOW && strcmp(format, "cpmp") == 0;
        if (o.method != ZS_PM_PMEDIAN_IP && !flow)
            return zs_cli_usage(cmd, "--input-format %s: only --method pmedian-ip%s reads a "
                                "p-median benchmark", format,
                                strcmp(format, "cpmp") == 0 ? " or balanced-flow" : "");
        if (flow && (mps || have_tol))
            return zs_cli_usage(cmd, "--input-format cpmp --method balanced-flow: %s is only "
                                "for pmedian-ip", mps ? "--write-mps" : "--tolerance");
        bench_args a = {format, "shortest-path", have_k ? o.k : 0, have_tol, o.tolerance,
                        o.ip.time_limit_s, o.ip.gap, rule, mps, flow};
        return run_bench(path, &a, output, json);
    }
    zs_points *pts = NULL;
    zs_partition *p = NULL, *start = NULL;
    zs_plan_metrics *m = NULL;
    zs_barriers *bar = NULL;
    zs_adjacency *graph = NULL;
    zs_plan_shape *shape = NULL;
    double *door = NULL, *travel = NULL;
    int rc = 0;
    po.encoding = encoding;
    po.encoding_setting = "--encoding";
    po.skip_setting = "--skip-missing";
    po.unassigned_setting = "--unassigned nearest";
    zs_status st = xy ? read_xy(path, encoding, &pts, &err) : zs_points_load_csv(path, &po, &pts, &err);
    if (st != ZS_OK)
        goto fail;
    char notes[1024];
    zs_run_points_notes(pts, "--coords lonlat", notes, sizeof notes);
    if (notes[0]) /* on stderr, so --json output stays one object */
        fprintf(stderr, "%s", notes);
    if (wm.has_depot && pts->has_lonlat) /* --depot was lon,lat */
        zs_points_project(pts, wm.depot_x, wm.depot_y, &wm.depot_x, &wm.depot_y);
    if (barriers && (st = zs_barriers_load(barriers, pts, &bar, &err)) != ZS_OK)
        goto fail;
    zs_adjacency_opts ao;
    zs_adjacency_opts_defaults(&ao);
    ao.barriers = bar;
    if ((st = zs_adjacency_build(pts->x, pts->y, pts->n, &ao, &graph, &err)) != ZS_OK)
        goto fail;
    wm.area_m2 = graph->area_m2;
    o.graph = graph;
    o.work = &wm;
    if (repair || repair_from) {
        if (repair && !pts->zone) {
            st = zs_err_set(&err, ZS_EINPUT, "%s: --repair needs a zone column (the planner's "
                                             "zoning); or give --repair-from FILE", path);
            goto fail;
        }
        st = repair ? zs_partition_from_labels(pts, pts->zone, pts->n_zone_labels,
                                               pts->zone_label, &start, &err)
                    : load_repair_from(pts, repair_from, &po, &start, &err);
        if (st != ZS_OK)
            goto fail;
        if (have_k && o.k != start->k) {
            rc = zs_cli_usage(cmd, "--k %zu: the zoning to repair has %zu zones", o.k, start->k);
            goto done;
        }
        o.k = start->k;
        o.start_zone = start->zone;
    }
    if ((st = zs_partition_solve(pts->x, pts->y, pts->parcels, pts->n, &o, &p, &err)) != ZS_OK)
        goto fail;
    if (p->exact.infeasible) {
        /* Never printed as a plan: say how wide a band would have to be. */
        st = zs_err_set(&err, ZS_EINPUT,
                        "%s: pmedian-ip: no plan of %zu zones keeps every zone's workload within "
                        "+-%.1f%% of the mean (proven infeasible); a band of at least +-%.1f%% is "
                        "needed, and +-%.1f%% is reached by the unbalanced optimum: widen "
                        "--tolerance or change --k",
                        path, p->k, 100.0 * o.tolerance,
                        100.0 * band_lower_bound(pts->parcels, pts->n, p->k),
                        100.0 * p->balance.maxdev);
        goto fail;
    }
    /* a repaired plan keeps the planner's zone names */
    if (start && (st = zs_partition_copy_labels(p, start, &err)) != ZS_OK)
        goto fail;
    door = zs_calloc(p->k, sizeof *door);
    travel = zs_calloc(p->k, sizeof *travel);
    if (!door || !travel) {
        st = ZS_NOMEM(&err);
        goto fail;
    }
    if ((st = zs_plan_metrics_create(p, pts->x, pts->y, pts->parcels,
                                     wm.has_depot ? &wm.depot_x : NULL, &m, &err)) != ZS_OK ||
        (st = zs_plan_shape_create(p, pts->x, pts->y, graph, &shape, &err)) != ZS_OK ||
        (st = zs_partition_zone_work(p, &wm, pts->x, pts->y, pts->parcels, door, travel,
                                     &err)) != ZS_OK ||
        (output && (st = zs_partition_write_csv(p, pts, output, &err)) != ZS_OK) ||
        (moved && (st = write_moved(moved, pts, start, p, &err)) != ZS_OK))
        goto fail;
    plan_extra x = {shape, graph, door, travel, zs_zone_work_maxdev(door, travel, p->k), start};
    if (json)
        print_json(path, p, m, &x);
    else
        print_text(path, p, m, &x);
    goto done;
fail:
    rc = zs_cli_fail(&err);
done:
    zs_free(door);
    zs_free(travel);
    zs_plan_shape_free(shape);
    zs_adjacency_free(graph);
    zs_barriers_free(bar);
    zs_plan_metrics_free(m);
    zs_partition_free(start);
    zs_partition_free(p);
    zs_points_free(pts);
    return rc;
}
