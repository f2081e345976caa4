/*
 * tests/bench_kmeans.c -- k-means timing for `make bench` (never a test).
 *
 *   bench_kmeans (--data FILE | --generate N) --k K [--seed S] [--threads T]
 *                [--max-iter M] [--repeat R] [--dump PREFIX]
 *
 * Points come from a whitespace-separated "x y" file (the Fränti sets) or
 * from the synthetic city generator (N points, seed S).  The k initial
 * centres are k distinct points drawn with seed S, so that sklearn can start
 * from the very same centres: --dump writes PREFIX.xy (n x 2) and
 * PREFIX.init (k x 2) as raw float64, which tests/bench_kmeans_sklearn.py
 * reads.  Lloyd runs with tol 0 up to M iterations on T threads, R times;
 * the fastest run is reported as one line:
 *   ours n=N k=K threads=T iterations=I ms_per_iter=X sse=S
 * Exit status 2 on bad arguments or input.
 */
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "input/citygen.h"
#include "partition/partition.h"
#include "models/rng.h"

static int load_xy(const char *path, double **x, double **y, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_kmeans: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1024, m = 0;
    double *px = malloc(cap * sizeof *px), *py = malloc(cap * sizeof *py);
    double a, b;
    while (px && py && fscanf(f, "%lf %lf", &a, &b) == 2) {
        if (m == cap) {
            cap *= 2;
            double *nx = realloc(px, cap * sizeof *px), *ny = nx ? realloc(py, cap * sizeof *py) : NULL;
            if (!nx || !ny) {
                free(nx ? nx : px);
                px = NULL;
                break;
            }
            px = nx;
            py = ny;
        }
        px[m] = a;
        py[m] = b;
        m++;
    }
    fclose(f);
    if (!px || !py || m == 0) {
        fprintf(stderr, "bench_kmeans: %s: no points read\n", path);
        free(px);
        free(py);
        return -1;
    }
    *x = px;
    *y = py;
    *n = m;
    return 0;
}

static int dump(const char *prefix, const char *ext, const double *x, const double *y, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.%s", prefix, ext);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    for (size_t i = 0; i < n; i++) {
        double xy[2] = {x[i], y[i]};
        fwrite(xy, sizeof xy, 1, f);
    }
    return fclose(f);
}

int main(int argc, char **argv)
{
    const char *data = NULL, *prefix = NULL;
    size_t gen = 0, k = 0;
    unsigned long long seed = 1;
    int threads = 1, max_iter = 300, repeat = 3;
    for (int a = 1; a < argc; a++) {
        const char *o = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;
        if (!v) {
            fprintf(stderr, "bench_kmeans: %s needs a value\n", o);
            return 2;
        }
        a++;
        if (!strcmp(o, "--data"))
            data = v;
        else if (!strcmp(o, "--generate"))
            gen = strtoull(v, NULL, 10);
        else if (!strcmp(o, "--k"))
            k = strtoull(v, NULL, 10);
        else if (!strcmp(o, "--seed"))
            seed = strtoull(v, NULL, 10);
        else if (!strcmp(o, "--threads"))
            threads = atoi(v);
        else if (!strcmp(o, "--max-iter"))
            max_iter = atoi(v);
        else if (!strcmp(o, "--repeat"))
            repeat = atoi(v);
        else if (!strcmp(o, "--dump"))
            prefix = v;
        else {
            fprintf(stderr, "bench_kmeans: unknown option %s\n", o);
            return 2;
        }
    }
    if ((!data && !gen) || k < 1 || threads < 1 || repeat < 1) {
        fprintf(stderr, "bench_kmeans: need --data FILE or --generate N, and --k K\n");
        return 2;
    }
    double *x = NULL, *y = NULL;
    size_t n = 0;
    zs_points *pts = NULL;
    zs_err err;
    if (data) {
        if (load_xy(data, &x, &y, &n) != 0)
            return 2;
    } else {
        zs_citygen_opts co;
        zs_citygen_opts_defaults(&co);
        co.seed = seed;
        co.n_points = gen;
        /* 10^6 points on a 40 x 30 km metropolitan area. */
        co.width_km = 40.0;
        co.height_km = 30.0;
        if (zs_citygen_run(&co, &pts, &err) != ZS_OK) {
            fprintf(stderr, "bench_kmeans: %s\n", err.msg);
            return 2;
        }
        x = pts->x;
        y = pts->y;
        n = pts->n;
    }
    if (k > n) {
        fprintf(stderr, "bench_kmeans: k = %zu exceeds n = %zu\n", k, n);
        return 2;
    }
    /* k distinct points by a partial Fisher-Yates shuffle of the indices. */
    size_t *perm = malloc(n * sizeof *perm);
    double *ix = malloc(k * sizeof *ix), *iy = malloc(k * sizeof *iy);
    gsl_rng *r = zs_rng_create();
    if (!perm || !ix || !iy || !r) {
        fprintf(stderr, "bench_kmeans: out of memory\n");
        return 1;
    }
    zs_rng_rekey(r, zs_rng_key(seed, 0, 0, 0, ZS_PURPOSE_PARTITION));
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t c = 0; c < k; c++) {
        size_t j = c + (size_t)gsl_rng_uniform_int(r, n - c);
        size_t t = perm[c];
        perm[c] = perm[j];
        perm[j] = t;
        ix[c] = x[perm[c]];
        iy[c] = y[perm[c]];
    }
    if (prefix && (dump(prefix, "xy", x, y, n) != 0 || dump(prefix, "init", ix, iy, k) != 0)) {
        fprintf(stderr, "bench_kmeans: cannot write %s.xy/.init\n", prefix);
        return 1;
    }

    zs_kmeans_opts o;
    zs_kmeans_opts_defaults(&o);
    o.restarts = 1;
    o.max_iter = max_iter;
    o.tol = 0.0;
    o.init_x = ix;
    o.init_y = iy;
    omp_set_num_threads(threads);
    double best = HUGE_VAL, sse = 0.0;
    int iters = 0;
    for (int rep = 0; rep < repeat; rep++) {
        zs_partition *p = NULL;
        if (zs_partition_kmeans(x, y, NULL, n, k, &o, &p, &err) != ZS_OK) {
            fprintf(stderr, "bench_kmeans: %s\n", err.msg);
            return 2;
        }
        if (p->runtime_s < best)
            best = p->runtime_s;
        sse = p->objective;
        iters = p->iterations;
        zs_partition_free(p);
    }
    printf("ours n=%zu k=%zu threads=%d iterations=%d ms_per_iter=%.4f sse=%.17g\n", n, k,
           threads, iters, 1e3 * best / iters, sse);
    gsl_rng_free(r);
    free(perm);
    free(ix);
    free(iy);
    if (pts)
        zs_points_free(pts);
    else {
        free(x);
        free(y);
    }
    return 0;
}
