/*
 * engine/cli_partition.c -- `zonesim partition`: one zoning method on one
 * point file, with its metrics as text or JSON.
 *
 * Reads the project's points CSV (workload = mean parcels per point) or a
 * plain "x y" file such as the Fränti clustering benchmarks (workload 1 per
 * point), runs zs_partition_solve, and prints zs_plan_metrics.  Like every
 * command function it is the only place here that prints.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../models/alloc.h"
#include "cli.h"
#include "csv.h"
#include "partition/metrics.h"
#include "partition/partition.h"
#include "points.h"

static const char partition_help[] =
    "usage: zonesim partition POINTS --method NAME --k K [--tolerance T] [--seed S]\n"
    "                         [--restarts R] [--weighted] [--merge-isolated]\n"
    "                         [--input-format csv|xy] [--output FILE] [--json]\n"
    "\n"
    "Splits the points into K courier zones with one method and prints the\n"
    "plan's metrics: SSE, weighted distance, zone workloads and their balance,\n"
    "estimated tour length per zone (from the zone centre).\n"
    "\n"
    "  -m, --method NAME        kmeans, kmeans-density, kmeans-balanced,\n"
    "                           kmeans-two-stage, grid or voronoi\n"
    "  -k, --k K                number of zones, 1..number of points\n"
    "  -t, --tolerance T        relative workload tolerance (default 0.1 = +-10%)\n"
    "  -s, --seed S             seed of the k-means++ draws (default 1)\n"
    "  -r, --restarts R         k-means++ restarts, best kept (default 4)\n"
    "  -w, --weighted           centres as workload-weighted means\n"
    "  -i, --merge-isolated     merge one-point zones far from every other point\n"
    "  -f, --input-format FMT   csv: points CSV with header id,x,y[,type,parcels]\n"
    "                           (workload = parcels; the default); xy: one 'x y'\n"
    "                           pair per line, no header (workload 1)\n"
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
    printf("  %-18s %.3f s\n", "runtime", p->runtime_s);
}

int zs_cli_partition(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"method", required_argument, NULL, 'm'},   {"k", required_argument, NULL, 'k'},
        {"tolerance", required_argument, NULL, 't'}, {"seed", required_argument, NULL, 's'},
        {"restarts", required_argument, NULL, 'r'},  {"weighted", no_argument, NULL, 'w'},
        {"merge-isolated", no_argument, NULL, 'i'},  {"input-format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},    {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0}};
    const char *cmd = "partition", *method = NULL, *format = "csv", *output = NULL;
    int json = 0, c, have_k = 0;
    long v;
    zs_partition_opts o;
    zs_partition_opts_defaults(&o);
    zs_err err;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:k:t:s:r:wif:o:jh", lopts, NULL)) != -1) {
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
            break;
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
    if (!have_k)
        return zs_cli_usage(cmd, "--k K is required");
    if (zs_partition_method_parse(method, &o.method, &err) != ZS_OK)
        return zs_cli_usage(cmd, "--method: %s", err.msg);
    int xy = strcmp(format, "xy") == 0;
    if (!xy && strcmp(format, "csv") != 0)
        return zs_cli_usage(cmd, "--input-format '%s': expected csv or xy", format);
    const char *path = argv[optind];
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
