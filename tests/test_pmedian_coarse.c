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
#include "pmed_graphs.h"

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
        double want = enumerate(D, NULL, n, n, p);
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
