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
#include <string.h>

#include "models/alloc.h"
#include "input/bench_io.h"
#include "cli/cli.h"
#include "input/csv.h"
#include "partition/metrics.h"
#include "partition/partition.h"
#include "partition/pmedian.h"
#include "input/points.h"

static const char partition_help[] =
    "usage: zonesim partition POINTS --method NAME --k K [--tolerance T] [--seed S]\n"
    "                         [--restarts R] [--weighted] [--merge-isolated]\n"
    "                         [--input-format csv|xy|orlib-pmed|cpmp] [--output FILE]\n"
    "                         [--time-limit S] [--gap G] [--distance floor|euclid]\n"
    "                         [--write-mps FILE] [--json]\n"
    "\n"
    "Splits the points into K courier zones with one method and prints the\n"
    "plan's metrics: SSE, weighted distance, zone workloads and their balance,\n"
    "estimated tour length per zone (from the zone centre).\n"
    "\n"
    "  -m, --method NAME        kmeans, kmeans-density, kmeans-balanced,\n"
    "                           kmeans-two-stage, grid, voronoi or balanced-flow\n"
    "                           (k-means with zone point counts held within the\n"
    "                           tolerance by exact min-cost-flow assignment)\n"
    "                           or pmedian-ip (exact p-median with GLPK: medians\n"
    "                           among the points, least sum of distance (x\n"
    "                           workload with --weighted); zone workloads held\n"
    "                           within --tolerance only when it is given).\n"
    "                           Beyond 1,500 points pmedian-ip solves on grid\n"
    "                           cells instead (at most 1,500 occupied cells, each\n"
    "                           one unit with its points' summed workload; every\n"
    "                           point takes its cell's zone) and says so: status\n"
    "                           '... on N cells', JSON \"cells\": N, exact false.\n"
    "                           The objective is then the points' own distance\n"
    "                           sum; bound and gap are the cells' program's.  The\n"
    "                           balance shown is the points' (cells carry their\n"
    "                           whole workload, so balanced cells are balanced\n"
    "                           points)\n"
    "  -k, --k K                number of zones, 1..number of points (orlib-pmed,\n"
    "                           cpmp: default p from the file)\n"
    "  -t, --tolerance T        relative workload tolerance (default 0.1 = +-10%)\n"
    "  -s, --seed S             seed of the k-means++ draws (default 1)\n"
    "  -r, --restarts R         k-means++ restarts, best kept (default 4)\n"
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
    "  -M, --write-mps FILE     orlib-pmed, cpmp: also write the p-median as an MPS\n"
    "                           file (fixed format) for another MIP solver, e.g.\n"
    "                           'cbc FILE solve'.  It is the FULL textbook model\n"
    "                           (x_ij <= y_j on every arc, capacities and --tolerance\n"
    "                           balance as load rows), not the smaller program left\n"
    "                           after pmedian-ip's bounds and reductions; same\n"
    "                           optimum, so a fair baseline.  The solve still runs\n"
    "                           and reports as usual\n"
    "  -o, --output FILE        write the assignment as id,zone\n"
    "  -j, --json               print one JSON object instead of the text summary\n"
    "  -h, --help               this help\n";

/* Reads a header-less whitespace file of "x y" lines into a new point set
 * with ids "1".."n" and unit parcels. */
static zs_status read_xy(const char *path, zs_points **out, zs_err *err)
{
    *out = NULL;
    zs_csv *c = NULL;
    double *xs = NULL, *ys = NULL;
    size_t n = 0, cap = 0;
    zs_status st = zs_csv_open(path, ZS_CSV_WHITESPACE, &c, err);
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

static void print_json(const char *path, const zs_partition *p, const zs_plan_metrics *m)
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
    json_num(p->tolerance);
    printf(", \"balance_met\": %s, \"balance_maxdev\": ", p->balance_met ? "true" : "false");
    json_num(m->balance_maxdev);
    fputs(", \"balance_maxmin\": ", stdout);
    json_num(m->balance_maxmin);
    fputs(", \"balance_cv\": ", stdout);
    json_num(m->balance_cv);
    printf(", \"moves\": %zu, \"merged\": %zu", p->moves, p->merged);
    if (strcmp(p->method, "pmedian-ip") == 0) {
        fputs(", \"bound\": ", stdout);
        json_num(p->mip_bound);
        fputs(", \"gap\": ", stdout);
        json_num(p->mip_gap);
        printf(", \"exact\": %s", p->exact ? "true" : "false");
        printf(", \"cells\": %zu", p->cells);
        fputs(", \"cell_side_m\": ", stdout);
        json_num(p->cell_side_m);
    }
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

static void print_text(const char *path, const zs_partition *p, const zs_plan_metrics *m)
{
    printf("%s: %s, %zu zones over %zu points\n", path, p->method, p->k, p->n);
    printf("  %-18s %s (%d iterations%s)\n", "status", p->status, p->iterations,
           p->converged ? ", converged" : "");
    printf("  %-18s %.6g m^2 (objective %.6g)\n", "SSE", m->sse, p->objective);
    printf("  %-18s %.6g m\n", "weighted distance", m->weighted_dist_m);
    printf("  %-18s mean %.4g, min %.4g, max %.4g\n", "zone workload", m->work_mean, m->work_min,
           m->work_max);
    printf("  %-18s max/min %.3f, CV %.3f, largest deviation %.1f%% (tolerance %.1f%%: %s)\n",
           "balance", m->balance_maxmin, m->balance_cv, 100.0 * m->balance_maxdev,
           100.0 * p->tolerance, p->balance_met ? "met" : "not met");
    if (p->moves || p->merged)
        printf("  %-18s %zu points moved, %zu isolated zones merged\n", "adjustments", p->moves,
               p->merged);
    printf("  %-18s total %.1f km, longest %.1f km (from zone centres)\n", "tours",
           m->tour_total_m / 1000.0, m->tour_max_m / 1000.0);
    if (strcmp(p->method, "pmedian-ip") == 0 && p->cells)
        printf("  %-18s %.6g on the points; solved on %zu grid cells of %.0f m (cells' bound "
               "%.6g, gap %.2f%%; not proven for the points)\n",
               "p-median objective", p->objective, p->cells, p->cell_side_m, p->mip_bound,
               100.0 * p->mip_gap);
    else if (strcmp(p->method, "pmedian-ip") == 0)
        printf("  %-18s %.6g (bound %.6g, gap %.2f%%, %s)\n", "p-median objective", p->objective,
               p->mip_bound, 100.0 * p->mip_gap, p->exact ? "proven optimal" : "not proven");
    printf("  %-18s %.3f s\n", "runtime", p->runtime_s);
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
           "\"mip_cols\": %d, \"mip_nodes\": %d, \"medians\": [",
           r->fixed_open, r->fixed_closed, r->arcs, r->mip_rows, r->mip_cols, r->mip_nodes);
    for (size_t z = 0; r->have_solution && z < r->p; z++)
        printf("%s%zu", z ? ", " : "", r->open[z] + 1);
    fputs("]}\n", stdout);
}

/* Writes "id,zone" (1-based vertex id, zone 1..p in median order). */
static zs_status write_bench_assign(const char *path, const zs_pmedian_result *r, zs_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return zs_err_at(err, ZS_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    fputs("id,zone\n", f);
    for (size_t i = 0; r->have_solution && i < r->n; i++) {
        size_t z = 0;
        while (z < r->p && r->open[z] != r->assign[i])
            z++;
        fprintf(f, "%zu,%zu\n", i + 1, z + 1);
    }
    if (fclose(f) != 0)
        return zs_err_at(err, ZS_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    return ZS_OK;
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
        st = zs_orlib_pmed_load(path, &g, &err);
        if (st == ZS_OK) {
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
        {"write-mps", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0}};
    const char *cmd = "partition", *method = NULL, *format = "csv", *output = NULL;
    const char *distance = NULL, *mps = NULL;
    int json = 0, c, have_k = 0, have_tol = 0;
    long v;
    zs_partition_opts o;
    zs_partition_opts_defaults(&o);
    zs_err err;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:k:t:s:r:wif:o:jT:g:d:M:h", lopts, NULL)) != -1) {
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
            if (zs_cli_parse_double(optarg, 1e-3, 1e6, &o.ip_time_limit_s) != 0)
                return zs_cli_usage(cmd, "--time-limit '%s': expected seconds in [0.001, 1e6]",
                                    optarg);
            break;
        case 'g':
            if (zs_cli_parse_double(optarg, 0.0, 0.999, &o.ip_gap) != 0)
                return zs_cli_usage(cmd, "--gap '%s': expected a number in [0, 0.999]", optarg);
            break;
        case 'd': distance = optarg; break;
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
        case 'w': o.kmeans.weighted = 1; break;
        case 'i': o.merge_isolated = 1; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
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
    if (!have_k && !bench)
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
    const char *path = argv[optind];
    o.ip_balance = have_tol;
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
                        o.ip_time_limit_s, o.ip_gap, rule, mps, flow};
        return run_bench(path, &a, output, json);
    }
    zs_points *pts = NULL;
    zs_partition *p = NULL;
    zs_plan_metrics *m = NULL;
    zs_status st = xy ? read_xy(path, &pts, &err) : zs_points_load_csv(path, NULL, &pts, &err);
    int rc = 0;
    if (st != ZS_OK ||
        (st = zs_partition_solve(pts->x, pts->y, pts->parcels, pts->n, &o, &p, &err)) != ZS_OK ||
        (st = zs_plan_metrics_create(p, pts->x, pts->y, pts->parcels, NULL, &m, &err)) != ZS_OK ||
        (output && (st = zs_partition_write_csv(p, pts, output, &err)) != ZS_OK)) {
        rc = zs_cli_fail(&err);
        goto done;
    }
    if (json)
        print_json(path, p, m);
    else
        print_text(path, p, m);
done:
    zs_plan_metrics_free(m);
    zs_partition_free(p);
    zs_points_free(pts);
    return rc;
}
