/* tests/test_kmeans_sklearn.c -- k-means against its peer, scikit-learn's
 * KMeans(algorithm="lloyd", n_init=1, init=<centres>, tol=0)
 * (engine/partition/partition.h).
 *
 * From the same initial centres both must converge to the same assignment,
 * in the same number of steps, with SSEs equal to relative 1e-9: on Fränti's
 * S1 (k 15) and on a generated city.  The points and centres go to
 * tests/bench_kmeans_sklearn.py as raw float64 files; $PYTHON (default
 * /usr/bin/python3) runs it.  Without scikit-learn the program prints one
 * SKIP line (not counted) and no checks.
 *
 * A C program, not an e2e script around a driver: it is built by the test
 * wildcard like every test, runs under `make asan`, needs no extra Makefile
 * rule and no CLI option for initial centres. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "input/citygen.h"
#include "partition/partition.h"
#include "models/rng.h"
#include "check.h"

static char tmpdir[] = "/tmp/zs_test_kmeans_sklearn_XXXXXX";
static int skipped;

static int write_xy(const char *path, const double *x, const double *y, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    for (size_t i = 0; i < n; i++) {
        double xy[2] = {x[i], y[i]};
        fwrite(xy, sizeof xy, 1, f);
    }
    return fclose(f);
}

/* k distinct points drawn with the given seed (partial Fisher-Yates). */
static void pick_centres(uint64_t seed, const double *x, const double *y, size_t n, size_t k,
                         double *ix, double *iy)
{
    size_t *perm = malloc(n * sizeof *perm);
    gsl_rng *r = zs_rng_create();
    zs_rng_rekey(r, zs_rng_key(seed, 0, 0, 0, ZS_PURPOSE_PARTITION));
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t c = 0; c < k; c++) {
        size_t j = c + (size_t)gsl_rng_uniform_int(r, n - c), t = perm[c];
        perm[c] = perm[j];
        perm[j] = t;
        ix[c] = x[perm[c]];
        iy[c] = y[perm[c]];
    }
    gsl_rng_free(r);
    free(perm);
}

static void compare(const char *name, const double *x, const double *y, size_t n, size_t k,
                    uint64_t seed)
{
    if (skipped)
        return;
    double *ix = malloc(k * sizeof *ix), *iy = malloc(k * sizeof *iy);
    pick_centres(seed, x, y, n, k, ix, iy);
    char pxy[256], pinit[256], plab[256], cmd[2048];
    snprintf(pxy, sizeof pxy, "%s/%s.xy", tmpdir, name);
    snprintf(pinit, sizeof pinit, "%s/%s.init", tmpdir, name);
    snprintf(plab, sizeof plab, "%s/%s.labels", tmpdir, name);
    CHECK(write_xy(pxy, x, y, n) == 0 && write_xy(pinit, ix, iy, k) == 0,
          "%s: points and %zu initial centres written", name, k);
    const char *py = getenv("PYTHON");
    snprintf(cmd, sizeof cmd, "'%s' tests/bench_kmeans_sklearn.py '%s' '%s' 1 10000 '%s' 2>&1",
             py && *py ? py : "/usr/bin/python3", pxy, pinit, plab);
    FILE *pipe = popen(cmd, "r");
    char line[1024] = "", out[1024] = "";
    while (pipe && fgets(line, sizeof line, pipe))
        if (strncmp(line, "sklearn ", 8) == 0 || strncmp(line, "SKIP", 4) == 0 || !out[0])
            snprintf(out, sizeof out, "%s", line);
    int rc = pipe ? pclose(pipe) : -1;
    if (rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 77) {
        printf("SKIP: k-means peer check: %s", strncmp(out, "SKIP: ", 6) == 0 ? out + 6 : out);
        skipped = 1;
        goto done;
    }
    int it_sk = -1;
    double sse_sk = NAN;
    const char *p_it = strstr(out, "iterations="), *p_sse = strstr(out, "sse=");
    if (p_it)
        it_sk = atoi(p_it + 11);
    if (p_sse)
        sse_sk = strtod(p_sse + 4, NULL);
    CHECK(rc == 0 && it_sk > 0 && isfinite(sse_sk), "%s: scikit-learn ran (%s)", name,
          strtok(out, "\n") ? out : "no output");

    zs_kmeans_opts o;
    zs_kmeans_opts_defaults(&o);
    o.restarts = 1;
    o.max_iter = 10000;
    o.init_x = ix;
    o.init_y = iy;
    zs_partition *p = NULL;
    zs_err err;
    zs_status st = zs_partition_kmeans(x, y, NULL, n, k, &o, &p, &err);
    CHECK(st == ZS_OK && p && p->converged, "%s: zonesim converged from the same centres (%s)", name,
          st ? err.msg : "ok");
    if (p && rc == 0) {
        FILE *f = fopen(plab, "r");
        size_t same = 0, read = 0, first_diff = n;
        long lab;
        while (f && read < n && fscanf(f, "%ld", &lab) == 1) {
            if (lab == p->zone[read])
                same++;
            else if (first_diff == n)
                first_diff = read;
            read++;
        }
        if (f)
            fclose(f);
        CHECK(read == n && same == n, "%s: same zone for all %zu points (%zu agree; first differs at %zu)",
              name, n, same, first_diff);
        CHECK(p->iterations == it_sk, "%s: same number of Lloyd steps (%d, sklearn %d)", name,
              p->iterations, it_sk);
        double rel = fabs(p->objective - sse_sk) / sse_sk;
        CHECK(rel <= 1e-9, "%s: SSE %.12e = sklearn's %.12e to relative 1e-9 (%.1e)", name,
              p->objective, sse_sk, rel);
    }
    zs_partition_free(p);
done:
    unlink(pxy);
    unlink(pinit);
    unlink(plab);
    free(ix);
    free(iy);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        CHECK(0, "temporary directory created");
        return zs_test_done();
    }
    char path[4096];
    int have_s1 = zs_shared_file(path, sizeof path, "franti-clustering/s1.data",
                                 "S1 against scikit-learn");
    FILE *f = have_s1 ? fopen(path, "r") : NULL;
    static double x[5000], y[5000];
    size_t n = 0;
    while (f && n < 5000 && fscanf(f, "%lf %lf", &x[n], &y[n]) == 2)
        n++;
    if (f)
        fclose(f);
    if (have_s1)
        CHECK(n == 5000, "S1: 5000 points read from %s", path);
    if (n == 5000)
        compare("s1", x, y, n, 15, 3);

    /* A generated city: 20,000 points in tight estates and scattered
     * singles, k = 60, centres drawn among the points. */
    zs_citygen_opts co;
    zs_citygen_opts_defaults(&co);
    co.n_points = 20000;
    co.seed = 4;
    zs_points *pts = NULL;
    zs_err err;
    zs_status st = zs_citygen_run(&co, &pts, &err);
    CHECK(st == ZS_OK, "generated city of 20,000 points (%s)", st ? err.msg : "ok");
    if (pts)
        compare("city", pts->x, pts->y, pts->n, 60, 5);
    zs_points_free(pts);
    rmdir(tmpdir);
    return zs_test_done();
}
