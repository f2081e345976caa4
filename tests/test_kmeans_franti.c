/* tests/test_kmeans_franti.c -- k-means quality on Fränti's benchmark sets
 * (engine/partition/partition.h).
 *
 * S1, S2 (n 5000, k 15: README "K=15 Gaussian clusters") and A1, A2 (150
 * points a cluster: k 20 and 35) with greedy k-means++ and 10 restarts at the
 * default seed must reach an SSE within 1% of the best-known SSE, the column
 * SSE_kmeans_converged_from_groundtruth_means of reference_sse.csv (Lloyd
 * converged from the ground-truth means; equals Fränti & Sieranoja 2018).
 * The data live in $ZS_SHARED/data/franti-clustering (default ../shared). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partition/partition.h"
#include "check.h"

/* Reads whitespace-separated "x y" lines; returns the count, 0 on failure. */
static size_t load_xy(const char *path, double **x, double **y)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t cap = 8192, n = 0;
    *x = malloc(cap * sizeof **x);
    *y = malloc(cap * sizeof **y);
    double a, b;
    while (*x && *y && n < cap && fscanf(f, "%lf %lf", &a, &b) == 2) {
        (*x)[n] = a;
        (*y)[n] = b;
        n++;
    }
    fclose(f);
    return n;
}

/* n, k and the best-known SSE of one set from reference_sse.csv. */
static int reference(const char *dir, const char *name, size_t *n, size_t *k, double *sse)
{
    char path[4096], line[512];
    snprintf(path, sizeof path, "%s/reference_sse.csv", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        char set[64];
        double gt;
        unsigned long ln, lk, lmin, lmax;
        if (sscanf(line, "%63[^,],%lu,%lu,%lu,%lu,%lf,%lf", set, &ln, &lk, &lmin, &lmax, &gt, sse) == 7 &&
            strcmp(set, name) == 0) {
            *n = ln;
            *k = lk;
            found = 0;
            break;
        }
    }
    fclose(f);
    return found;
}

static void check_set(const char *dir, const char *name, size_t want_k, const char *known_miss)
{
    size_t n_ref = 0, k = 0;
    double ref = 0.0;
    if (reference(dir, name, &n_ref, &k, &ref) != 0) {
        CHECK(0, "%s: reference_sse.csv row found in %s", name, dir);
        return;
    }
    CHECK(k == want_k, "%s: k = %zu in reference_sse.csv, as its README gives (%zu)", name, k, want_k);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.data", dir, name);
    double *x = NULL, *y = NULL;
    size_t n = load_xy(path, &x, &y);
    CHECK(n == n_ref, "%s: %zu points read (reference %zu)", name, n, n_ref);
    if (n == n_ref && n > 0) {
        zs_kmeans_opts o;
        zs_kmeans_opts_defaults(&o);
        o.restarts = 10;
        zs_partition *p = NULL;
        zs_err err;
        zs_status st = zs_partition_kmeans(x, y, NULL, n, k, &o, &p, &err);
        CHECK(st == ZS_OK && p, "%s: k-means++ x 10 restarts ran (%s)", name, st ? err.msg : "ok");
        if (p) {
            double rel = p->objective / ref - 1.0;
            if (rel <= 0.01 || !known_miss)
                CHECK(rel <= 0.01, "%s: SSE %.6e within 1%% of the best known %.6e (%+.3f%%)", name,
                      p->objective, ref, 100.0 * rel);
            else /* not counted by tests/run.sh: see known_miss in main() */
                printf("XFAIL: %s: SSE %.6e is %+.3f%% above the best known %.6e (%s)\n", name,
                       p->objective, 100.0 * rel, ref, known_miss);
            CHECK(p->converged, "%s: converged in %d iterations", name, p->iterations);
        }
        zs_partition_free(p);
    }
    free(x);
    free(y);
}

int main(void)
{
    char dir[4096];
    if (!zs_shared_file(dir, sizeof dir, "franti-clustering", "Fränti S1, S2, A1, A2 sets"))
        return zs_test_done();
    check_set(dir, "s1", 15, NULL);
    check_set(dir, "s2", 15, NULL);
    /* Plain k-means++ (one D^2 draw per centre) was not good enough for the
     * A sets, and that was no seed luck: over seeds 1..40 the best of 10
     * restarts reached 1% on 17/40 seeds for A1, 2/40 for A2; seed 1 missed
     * both (+16.4%, +22.1%).  Greedy k-means++ (2 + ln k candidates per
     * centre, as scikit-learn) reaches 1% at the default seed, so these are
     * counted checks again; check_set's known_miss (printed as an uncounted
     * XFAIL) stays for sets a seeding is known to miss. */
    check_set(dir, "a1", 3000 / 150, NULL);
    check_set(dir, "a2", 5250 / 150, NULL);
    return zs_test_done();
}
