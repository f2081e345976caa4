/* tests/test_pmedian_tree.c -- the Lagrangian branch-and-bound of the exact
 * p-median (engine/partition/pmedian_tree.c, opts.radius = TREE, the
 * default): on graphs made by OR-Library's recipe and on weighted points
 * in the plane (costs not integral), small enough to enumerate every set
 * of p medians, the tree's plan costs the enumerated optimum and is
 * proven, with the root Lagrangian kept weak or the reductions off so that
 * the tree does the proving; the root Lagrangian bound never exceeds the
 * optimum; a solve cut short by the clock reports a bound no higher than
 * the optimum; and the tree agrees with the full radius program (GLPK) on
 * a larger graph. */
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

    /* OR-Library-like graphs, integral costs. */
    {
        int agree = 1, proven = 1, lb_ok = 1, tried = 0, by_tree = 0;
        for (int t = 0; t < 16; t++) {
            size_t n = 40 + 5 * (size_t)(t % 4), p = 2 + (size_t)(t % 3);
            double *D = malloc(n * n * sizeof *D);
            if (!D)
                return 1;
            beasley_graph(n, n + (size_t)t * 7, 2000 + (uint64_t)t, D);
            double want = enumerate(D, NULL, n, n, p);
            zs_pmedian_problem pb = {n, n, p, D, NULL, NULL, NULL, 1};
            zs_pmedian_opts o;
            zs_pmedian_opts_defaults(&o);
            o.radius = ZS_PM_RADIUS_TREE;
            o.lagr_iter = t % 3 == 0 ? 0 : 3 + t; /* a weak root: the tree proves */
            o.reduce = t % 4 != 3;
            zs_pmedian_result *r = NULL;
            if (zs_pmedian_solve(&pb, &o, &r, &err) != ZS_OK) {
                agree = 0;
                printf("      instance %d: %s\n", t, err.msg);
                free(D);
                continue;
            }
            if (r->objective != want) {
                agree = 0;
                printf("      instance %d (n %zu, p %zu): %g, enumeration %g\n", t, n, p,
                       r->objective, want);
            }
            if (r->status != ZS_MIP_OPTIMAL || r->bound != r->objective || !r->exact)
                proven = 0;
            if (o.reduce && !(r->lagrangian_bound <= want + 1e-9)) {
                lb_ok = 0;
                printf("      instance %d: Lagrangian bound %.6f above the optimum %g\n", t,
                       r->lagrangian_bound, want);
            }
            if (!strcmp(r->proof, "lagrangian-tree") && r->tree_nodes > 0)
                by_tree++;
            zs_pmedian_result_free(r);
            tried++;
            free(D);
        }
        CHECK(agree, "OR-Library-like graphs, n 40-55, p 2-4: the tree's plan = enumeration (%d "
                     "solves)", tried);
        CHECK(proven, "... each proven optimal, bound = objective");
        CHECK(lb_ok, "... the root Lagrangian bound never above the enumerated optimum");
        CHECK(by_tree >= tried / 2, "... most proven by the tree, not the root (%d of %d)",
              by_tree, tried);
    }

    /* Weighted points in the plane: Euclidean distances, real weights,
     * fewer sites than clients (no integral rounding of bounds). */
    {
        int agree = 1, proven = 1, lb_ok = 1, tried = 0;
        for (int t = 0; t < 8; t++) {
            size_t n = 36, m = 24, p = 2 + (size_t)(t % 3);
            uint64_t s = 77 + (uint64_t)t;
            double *D = malloc(n * m * sizeof *D), *w = malloc(n * sizeof *w);
            double x[36], y[36], sx[24], sy[24];
            if (!D || !w)
                return 1;
            for (size_t i = 0; i < n; i++) {
                x[i] = (double)(lcg(&s) % 100000) / 1000.0;
                y[i] = (double)(lcg(&s) % 100000) / 1000.0;
                w[i] = 0.25 + (double)(lcg(&s) % 1000) / 250.0;
            }
            for (size_t j = 0; j < m; j++) {
                sx[j] = (double)(lcg(&s) % 100000) / 1000.0;
                sy[j] = (double)(lcg(&s) % 100000) / 1000.0;
            }
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < m; j++)
                    D[i * m + j] = hypot(x[i] - sx[j], y[i] - sy[j]);
            double want = enumerate(D, w, n, m, p);
            zs_pmedian_problem pb = {n, m, p, D, w, NULL, NULL, 0};
            zs_pmedian_opts o;
            zs_pmedian_opts_defaults(&o);
            o.radius = ZS_PM_RADIUS_TREE;
            o.lagr_iter = t % 2 ? 0 : 5;
            o.reduce = t % 4 != 3;
            zs_pmedian_result *r = NULL;
            if (zs_pmedian_solve(&pb, &o, &r, &err) != ZS_OK) {
                agree = 0;
                printf("      points %d: %s\n", t, err.msg);
            } else {
                if (fabs(r->objective - want) > 1e-9 * want) {
                    agree = 0;
                    printf("      points %d (p %zu): %.9g, enumeration %.9g\n", t, p,
                           r->objective, want);
                }
                if (r->status != ZS_MIP_OPTIMAL)
                    proven = 0;
                if (o.reduce && !(r->lagrangian_bound <= want * (1 + 1e-9)))
                    lb_ok = 0;
                tried++;
            }
            zs_pmedian_result_free(r);
            free(D);
            free(w);
        }
        CHECK(agree, "weighted points in the plane, 36 clients, 24 sites, p 2-4: the tree's plan "
                     "= enumeration (%d solves)", tried);
        CHECK(proven, "... each proven optimal");
        CHECK(lb_ok, "... the root Lagrangian bound never above the enumerated optimum");
    }

    /* Cut short by the clock: whatever the status, the bound is no higher
     * than the optimum the unhurried solve proves, and the plan no better. */
    {
        size_t n = 160, p = 6;
        double *D = malloc(n * n * sizeof *D);
        if (!D)
            return 1;
        beasley_graph(n, 3 * n, 99, D);
        zs_pmedian_problem pb = {n, n, p, D, NULL, NULL, NULL, 1};
        zs_pmedian_opts o;
        zs_pmedian_opts_defaults(&o);
        o.radius = ZS_PM_RADIUS_TREE;
        o.lagr_iter = 20;
        zs_pmedian_result *r = NULL;
        int ok = zs_pmedian_solve(&pb, &o, &r, &err) == ZS_OK && r->status == ZS_MIP_OPTIMAL;
        double opt = ok ? r->objective : NAN;
        CHECK(ok && r->tree_nodes > 0, "n = 160, p = 6, weak root: proven by the tree (%ld nodes)",
              r ? r->tree_nodes : 0L);
        zs_pmedian_result_free(r);
        int valid = ok;
        const double limits[3] = {1e-4, 3e-3, 2e-2};
        for (int k = 0; k < 3 && valid; k++) {
            o.time_limit_s = limits[k];
            r = NULL;
            if (zs_pmedian_solve(&pb, &o, &r, &err) != ZS_OK) {
                valid = 0;
                break;
            }
            if (r->have_solution && r->objective < opt)
                valid = 0;
            if (!(r->bound <= opt) || (r->status == ZS_MIP_OPTIMAL && r->objective != opt))
                valid = 0;
            if (r->status != ZS_MIP_OPTIMAL && r->status != ZS_MIP_TIME_LIMIT)
                valid = 0;
            zs_pmedian_result_free(r);
        }
        CHECK(valid, "... with 0.1, 3 and 20 ms: bounds at most the optimum %g, optimal only at it",
              opt);

        /* By default the tree runs where 5,000 arcs or more are kept
         * (every one of the 25,600 without reductions), the full program
         * below (60 points: 3,600 arcs at most). */
        o.radius = ZS_PM_RADIUS_AUTO;
        o.time_limit_s = 60;
        o.reduce = 0;
        r = NULL;
        int tree = zs_pmedian_solve(&pb, &o, &r, &err) == ZS_OK && r->objective == opt &&
                   !strcmp(r->proof, "lagrangian-tree") && r->tree_nodes > 0 && r->mip_rows == 0;
        zs_pmedian_result_free(r);
        double *D60 = malloc(60 * 60 * sizeof *D60);
        if (!D60)
            return 1;
        beasley_graph(60, 60, 5, D60);
        zs_pmedian_problem pb60 = {60, 60, 3, D60, NULL, NULL, NULL, 1};
        r = NULL;
        int full = zs_pmedian_solve(&pb60, &o, &r, &err) == ZS_OK &&
                   r->objective == enumerate(D60, NULL, 60, 60, 3) && r->tree_nodes == 0 &&
                   r->mip_rows > 0 && !strcmp(r->proof, "mip");
        CHECK(tree && full, "default: the tree on 25,600 arcs, the full program on 3,600");
        zs_pmedian_result_free(r);
        free(D60);
        o.reduce = 1;
        o.lagr_iter = 3000;

        /* The full radius program agrees (after the root's full
         * reductions: with the weak root it takes minutes). */
        o.radius = ZS_PM_RADIUS_FULL;
        r = NULL;
        int same = zs_pmedian_solve(&pb, &o, &r, &err) == ZS_OK &&
                   r->status == ZS_MIP_OPTIMAL && r->objective == opt;
        CHECK(same, "... the full radius program (GLPK) proves the same optimum (%g)",
              r ? r->objective : NAN);
        zs_pmedian_result_free(r);
        free(D);
    }
    return zs_test_done();
}
