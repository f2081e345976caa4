/* tests/test_pmedian_coarse.c -- the coarse radius program of the exact
 * p-median (engine/partition/pmedian_coarse.c, opts.radius = COARSE):
 * on random graphs made by OR-Library's recipe (a cycle through every
 * vertex plus random edges, integer costs 1..100, shortest paths), small
 * enough to enumerate every set of p medians, the coarse program, the full
 * one and the enumeration agree, with the Lagrangian kept weak (or the
 * reductions off) so that the programs do the proving; and the option is
 * checked. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partition/pmedian.h"
#include "models/alloc.h"
#include "check.h"

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* n x n shortest-path distances of a cycle plus extra random edges. */
static void beasley_graph(size_t n, size_t extra, uint64_t seed, double *D)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n * n; i++)
        D[i] = INFINITY;
    for (size_t i = 0; i < n; i++)
        D[i * n + i] = 0;
    for (size_t e = 0; e < n + extra; e++) {
        size_t i = e < n ? e : lcg(&s) % n, j = e < n ? (e + 1) % n : lcg(&s) % n;
        double c = (double)(1 + lcg(&s) % 100);
        if (i == j)
            continue;
        D[i * n + j] = D[j * n + i] = c; /* the last edge between two vertices counts */
    }
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (D[i * n + k] + D[k * n + j] < D[i * n + j])
                    D[i * n + j] = D[i * n + k] + D[k * n + j];
}

/* The least cost over every set of p medians (p <= 4). */
static double enumerate(const double *D, size_t n, size_t p)
{
    size_t idx[4];
    double best = INFINITY;
    for (size_t i = 0; i < p; i++)
        idx[i] = i;
    for (;;) {
        double cost = 0;
        for (size_t i = 0; i < n; i++) {
            double d = INFINITY;
            for (size_t r = 0; r < p; r++)
                d = fmin(d, D[i * n + idx[r]]);
            cost += d;
        }
        best = fmin(best, cost);
        size_t r = p;
        while (r > 0 && idx[r - 1] == n - p + r - 1)
            r--;
        if (r == 0)
            break;
        idx[r - 1]++;
        for (size_t q = r; q < p; q++)
            idx[q] = idx[q - 1] + 1;
    }
    return best;
}

int main(void)
{
    zs_err err;
    int agree = 1, proven = 1, tried = 0, by_mip = 0;
    for (int t = 0; t < 12; t++) {
        size_t n = 40 + 5 * (size_t)(t % 4), p = 2 + (size_t)(t % 3);
        double *D = malloc(n * n * sizeof *D);
        if (!D)
            return 1;
        beasley_graph(n, n + (size_t)t * 7, 1000 + (uint64_t)t, D);
        double want = enumerate(D, n, p);
        zs_pmedian_problem pb = {n, n, p, D, NULL, NULL, NULL, 1};
        for (int mode = ZS_PM_RADIUS_FULL; mode <= ZS_PM_RADIUS_COARSE; mode++) {
            zs_pmedian_opts o;
            zs_pmedian_opts_defaults(&o);
            o.radius = mode;
            o.lagr_iter = t % 2 ? 0 : 3; /* a weak bound: the program proves */
            o.reduce = t % 4 != 3;
            zs_pmedian_result *r = NULL;
            if (zs_pmedian_solve(&pb, &o, &r, &err) != ZS_OK) {
                agree = 0;
                printf("      instance %d, radius %d: %s\n", t, mode, err.msg);
                continue;
            }
            if (fabs(r->objective - want) > 1e-9) {
                agree = 0;
                printf("      instance %d (n %zu, p %zu), radius %d: %g, enumeration %g\n", t, n,
                       p, mode, r->objective, want);
            }
            if (r->status != ZS_MIP_OPTIMAL || r->bound != r->objective)
                proven = 0;
            by_mip += !strcmp(r->proof, "mip");
            zs_pmedian_result_free(r);
            tried++;
        }
        free(D);
    }
    CHECK(agree, "OR-Library-like graphs, n 40-55, p 2-4: coarse and full radius programs = "
                 "enumeration (%d solves)", tried);
    CHECK(proven, "... each proven optimal, bound = objective");
    CHECK(by_mip >= tried / 2, "... most by the programs, not the Lagrangian (%d of %d)", by_mip, tried);

    /* The coarse program alone on a larger graph (n = 90, p = 5, a weak
     * bound): the same optimum as the full program, both proven. */
    {
        size_t n = 90, p = 5;
        double *D = malloc(n * n * sizeof *D), obj[2] = {NAN, NAN};
        int ok = D != NULL;
        if (D)
            beasley_graph(n, 3 * n, 77, D);
        for (int mode = ZS_PM_RADIUS_FULL; ok && mode <= ZS_PM_RADIUS_COARSE; mode++) {
            zs_pmedian_problem pb = {n, n, p, D, NULL, NULL, NULL, 1};
            zs_pmedian_opts o;
            zs_pmedian_opts_defaults(&o);
            o.radius = mode;
            o.lagr_iter = 10;
            zs_pmedian_result *r = NULL;
            ok = zs_pmedian_solve(&pb, &o, &r, &err) == ZS_OK && r->status == ZS_MIP_OPTIMAL;
            if (ok)
                obj[mode - ZS_PM_RADIUS_FULL] = r->objective;
            zs_pmedian_result_free(r);
        }
        CHECK(ok && obj[0] == obj[1], "n = 90, p = 5: coarse %g = full %g, both proven", obj[1],
              obj[0]);
        free(D);
    }

    /* The option is checked before anything runs. */
    {
        double D[4] = {0, 1, 1, 0};
        zs_pmedian_problem pb = {2, 2, 1, D, NULL, NULL, NULL, 1};
        zs_pmedian_opts o;
        zs_pmedian_opts_defaults(&o);
        CHECK(o.radius == ZS_PM_RADIUS_AUTO, "default: AUTO (the Lagrangian branch-and-bound)");
        o.radius = 4;
        zs_pmedian_result *r = NULL;
        CHECK(zs_pmedian_solve(&pb, &o, &r, &err) == ZS_EINVAL && r == NULL,
              "radius 4 refused");
        CHECK_CONTAINS(err.msg, "pmedian.radius = 4", "the message names the field");
    }
    return zs_test_done();
}
