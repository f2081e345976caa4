/*
 * tests/bench_network.c -- street network timings for `make bench` (not a
 * test): for each extract given, the time to read it, to build the van
 * graph, the process's peak memory after that, single-pair shortest-path
 * queries per second between random street nodes, and the time of a
 * 100 x 100 matrix (100 one-to-many searches), the per-zone work of a plan.
 *
 * usage: bench_network EXTRACT...
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "network/osm.h"
#include "network/paths.h"
#include "network/roads.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double peak_mb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
    printf("%-22s %7s %8s %8s %9s %8s %10s %11s\n", "extract", "load_s", "graph_s", "nodes",
           "segments", "peak_MB", "queries/s", "100x100_s");
    for (int a = 1; a < argc; a++) {
        zs_err err;
        zs_osm *o = NULL;
        double t0 = now_s();
        if (zs_osm_load(argv[a], &o, &err) != ZS_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        double t1 = now_s();
        zs_profile van;
        zs_profile_defaults(&van, "van", &err);
        zs_roads *g = NULL;
        if (zs_roads_build(o, &van, (o->min_lon + o->max_lon) / 2, (o->min_lat + o->max_lat) / 2,
                           argv[a], &g, &err) != ZS_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        double t2 = now_s();
        zs_paths_ws *ws = zs_paths_ws_create(g);
        uint64_t st = 42;
        zs_snap *loc = malloc(100 * sizeof *loc);
        for (int i = 0; i < 100; i++) {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            loc[i].seg = (uint32_t)((st >> 33) % g->n_seg);
            loc[i].t = 0.5;
            loc[i].snap_m = 0.0;
        }
        double s, l, sum = 0.0;
        int q = 0;
        double t3 = now_s();
        while (now_s() - t3 < 1.0 || q < 100) {
            zs_paths_one_to_many(ws, g, &loc[q % 100], &loc[(q * 37 + 11) % 100], 1, &s, &l);
            sum += s;
            q++;
        }
        double qps = q / (now_s() - t3);
        double *ms = malloc(100 * sizeof *ms), *ml = malloc(100 * sizeof *ml);
        double t4 = now_s();
        for (int i = 0; i < 100; i++)
            zs_paths_one_to_many(ws, g, &loc[i], loc, 100, ms, ml);
        double t5 = now_s();
        const char *name = argv[a];
        for (const char *c = argv[a]; *c; c++)
            if (*c == '/')
                name = c + 1;
        printf("%-22s %7.3f %8.3f %8zu %9zu %8.1f %10.0f %11.3f\n", name, t1 - t0, t2 - t1, g->n,
               g->n_seg, peak_mb(), qps, t5 - t4);
        if (!(sum > 0))
            fprintf(stderr, "bench_network: no path found\n");
        free(ms);
        free(ml);
        free(loc);
        zs_paths_ws_free(ws);
        zs_roads_free(g);
        zs_osm_free(o);
    }
    return 0;
}
