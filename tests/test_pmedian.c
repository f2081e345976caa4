/* tests/test_pmedian.c -- the exact p-median solver (engine/partition/
 * pmedian.h) through its C API and through zs_partition_solve (pmedian-ip):
 * published optima of OR-Library pmed1-5 and Osman & Christofides
 * cpmp01-05, a small instance checked by exhaustive enumeration
 * (uncapacitated, weighted, capacitated, with and without reductions), an
 * impossible balance reported as infeasible, a tiny time limit that keeps
 * bound <= objective, bad parameters rejected with ZS_EINVAL before GLPK,
 * a balanced plan on a generated city, and the MPS writer. */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/bench_io.h"
#include "input/citygen.h"
#include "partition/partition.h"
#include "partition/pmedian.h"
#include "input/points.h"
#include "models/alloc.h"
#include "check.h"


/* ---- published optima --------------------------------------------------- */

static void test_orlib(void)
{
    static const double opt[5] = {5819, 4093, 4250, 3034, 1355}; /* pmedopt.txt */
    for (int k = 1; k <= 5; k++) {
        char rel[64], path[1200];
        snprintf(rel, sizeof rel, "orlib-pmed/pmed%d.txt", k);
        if (!zs_shared_file(path, sizeof path, rel, "OR-Library pmed1-5"))
            return;
        zs_orlib_pmed *g = NULL;
        zs_err err;
        zs_status st = zs_orlib_pmed_load(path, &g, &err);
        CHECK(st == ZS_OK, "pmed%d loads (%s)", k, st == ZS_OK ? "ok" : err.msg);
        if (st != ZS_OK)
            continue;
        zs_pmedian_problem pb = {g->n, g->n, g->p, g->dist, NULL, NULL, NULL, 1};
        zs_pmedian_result *r = NULL;
        st = zs_pmedian_solve(&pb, NULL, &r, &err);
        CHECK(st == ZS_OK && r, "pmed%d solves (%s)", k, st == ZS_OK ? "ok" : err.msg);
        if (st == ZS_OK) {
            CHECK(r->status == ZS_MIP_OPTIMAL && r->exact && strcmp(r->status_text, "optimal") == 0,
                  "pmed%d: status optimal (got '%s')", k, r->status_text);
            CHECK(r->objective == opt[k - 1], "pmed%d: objective %.0f = published optimum %.0f",
                  k, r->objective, opt[k - 1]);
            CHECK(r->bound <= r->objective && r->gap == 0.0, "pmed%d: bound %.10g <= objective, gap 0",
                  k, r->bound);
            /* The plan's own cost: each client to its assigned open site. */
            double obj = 0.0;
            int ok = 1;
            for (size_t i = 0; i < g->n; i++) {
                int open = 0;
                for (size_t z = 0; z < r->p; z++)
                    open |= r->open[z] == r->assign[i];
                ok &= open;
                obj += g->dist[i * g->n + r->assign[i]];
            }
            CHECK(ok && obj == r->objective, "pmed%d: the plan's assignment costs the objective", k);
        }
        zs_pmedian_result_free(r);
        zs_orlib_pmed_free(g);
    }
}

static void test_cpmp(void)
{
    static const double opt[5] = {713, 740, 751, 651, 664}; /* bestknown.csv */
    for (int k = 1; k <= 5; k++) {
        char rel[80], path[1200];
        snprintf(rel, sizeof rel, "cpmp-literature/osman-christofides/cpmp%02d.txt", k);
        if (!zs_shared_file(path, sizeof path, rel, "Osman-Christofides cpmp01-05"))
            return;
        zs_cpmp *c = NULL;
        double *D = NULL;
        zs_err err;
        zs_status st = zs_cpmp_load(path, ZS_CPMP_DIST_AUTO, &c, &err);
        if (st == ZS_OK)
            st = zs_cpmp_distances(c, &D, &err);
        CHECK(st == ZS_OK, "cpmp%02d loads (%s)", k, st == ZS_OK ? "ok" : err.msg);
        if (st != ZS_OK) {
            zs_cpmp_free(c);
            continue;
        }
        CHECK(c->rule == ZS_CPMP_DIST_FLOOR, "cpmp%02d: floor distances chosen from the name", k);
        zs_pmedian_problem pb = {c->n, c->n, c->p, D, NULL, c->demand, c->capacity, 1};
        zs_pmedian_result *r = NULL;
        st = zs_pmedian_solve(&pb, NULL, &r, &err);
        CHECK(st == ZS_OK, "cpmp%02d solves (%s)", k, st == ZS_OK ? "ok" : err.msg);
        if (st == ZS_OK) {
            CHECK(r->status == ZS_MIP_OPTIMAL && strcmp(r->status_text, "optimal") == 0,
                  "cpmp%02d: status optimal (got '%s')", k, r->status_text);
            CHECK(r->objective == opt[k - 1], "cpmp%02d: objective %.0f = published optimum %.0f",
                  k, r->objective, opt[k - 1]);
            /* Capacities respected by the returned assignment. */
            int ok = r->have_solution;
            for (size_t z = 0; ok && z < r->p; z++) {
                double load = 0.0;
                for (size_t i = 0; i < c->n; i++)
                    if (r->assign[i] == r->open[z])
                        load += c->demand[i];
                ok = load <= c->capacity[r->open[z]];
            }
            CHECK(ok, "cpmp%02d: every open site within its capacity", k);
        }
        zs_pmedian_result_free(r);
        zs_free(D);
        zs_cpmp_free(c);
    }
}

/* ---- a hand-checkable instance, by exhaustive enumeration --------------- */

#define SN 7
static const double sx[SN] = {0, 1, 2, 10, 11, 20, 23};
static const double sy[SN] = {0, 3, 0, 1, 5, 0, 2};
static const double sw[SN] = {1, 2, 1, 3, 1, 1, 2};      /* objective weights */
static const double sq[SN] = {4, 2, 3, 5, 2, 6, 3};      /* demands (total 25) */
static const double sQ[SN] = {9, 8, 10, 12, 7, 9, 11};   /* capacities */
static double sD[SN * SN];

/* Best cost over every set of p open sites and every assignment to open
 * sites (capacitated when Q is given); INFINITY when none is feasible. */
static double enumerate(size_t p, const double *w, const double *Q)
{
    double best = INFINITY;
    for (unsigned set = 0; set < (1u << SN); set++) {
        if ((size_t)__builtin_popcount(set) != p)
            continue;
        size_t open[SN], np = 0;
        for (size_t j = 0; j < SN; j++)
            if (set & (1u << j))
                open[np++] = j;
        if (!Q) {
            double c = 0.0;
            for (size_t i = 0; i < SN; i++) {
                double m = INFINITY;
                for (size_t z = 0; z < np; z++)
                    if (sD[i * SN + open[z]] < m)
                        m = sD[i * SN + open[z]];
                c += (w ? w[i] : 1.0) * m;
            }
            if (c < best)
                best = c;
            continue;
        }
        size_t total = 1;
        for (size_t i = 0; i < SN; i++)
            total *= np;
        for (size_t code = 0; code < total; code++) {
            double load[SN] = {0}, c = 0.0;
            size_t v = code;
            for (size_t i = 0; i < SN; i++) {
                size_t z = v % np;
                v /= np;
                load[z] += sq[i];
                c += (w ? w[i] : 1.0) * sD[i * SN + open[z]];
            }
            int ok = 1;
            for (size_t z = 0; z < np; z++)
                ok &= load[z] <= Q[open[z]];
            if (ok && c < best)
                best = c;
        }
    }
    return best;
}

static void test_small(void)
{
    for (size_t i = 0; i < SN; i++)
        for (size_t j = 0; j < SN; j++)
            sD[i * SN + j] = hypot(sx[i] - sx[j], sy[i] - sy[j]);
    for (int reduce = 1; reduce >= 0; reduce--)
        for (size_t p = 1; p <= 4; p++)
            for (int variant = 0; variant < 3; variant++) {
                const double *w = variant >= 1 ? sw : NULL;
                const double *Q = variant == 2 ? sQ : NULL;
                zs_pmedian_problem pb = {SN, SN, p, sD, w, Q ? sq : NULL, Q, 1};
                zs_pmedian_opts o;
                zs_pmedian_opts_defaults(&o);
                o.reduce = reduce;
                zs_pmedian_result *r = NULL;
                zs_err err;
                zs_status st = zs_pmedian_solve(&pb, &o, &r, &err);
                double want = enumerate(p, w, Q);
                const char *vn = variant == 0 ? "unweighted" : variant == 1 ? "weighted" : "capacitated";
                if (st != ZS_OK) {
                    CHECK(0, "7 points, p = %zu, %s, reduce %d: solves (%s)", p, vn, reduce, err.msg);
                    continue;
                }
                if (isinf(want)) {
                    CHECK(r->status == ZS_MIP_INFEASIBLE && !r->have_solution,
                          "7 points, p = %zu, %s, reduce %d: no plan fits, reported infeasible "
                          "(got '%s')", p, vn, reduce, r->status_text);
                } else {
                    CHECK(r->status == ZS_MIP_OPTIMAL &&
                          fabs(r->objective - want) <= 1e-9 * (1.0 + want),
                          "7 points, p = %zu, %s, reduce %d: optimum %.6f = enumeration %.6f (%s)",
                          p, vn, reduce, r->objective, want, r->status_text);
                }
                zs_pmedian_result_free(r);
            }
}

/* ---- impossible balance -------------------------------------------------- */

static void test_infeasible_balance(void)
{
    /* 8 points, one holds 90% of the demand: with k = 4 and tolerance 0.1
     * every zone must hold 22.5%..27.5%, impossible. */
    double x[8] = {0, 1, 2, 3, 4, 5, 6, 7}, y[8] = {0, 0, 1, 1, 2, 2, 3, 3};
    double q[8] = {63, 1, 1, 1, 1, 1, 1, 1};
    double D[64];
    for (size_t i = 0; i < 8; i++)
        for (size_t j = 0; j < 8; j++)
            D[i * 8 + j] = hypot(x[i] - x[j], y[i] - y[j]);
    zs_pmedian_problem pb = {8, 8, 4, D, NULL, q, NULL, 1};
    zs_pmedian_opts o;
    zs_pmedian_opts_defaults(&o);
    o.balance = 1;
    o.tolerance = 0.1;
    o.self_assign = 1;
    zs_pmedian_result *r = NULL;
    zs_err err;
    zs_status st = zs_pmedian_solve(&pb, &o, &r, &err);
    CHECK(st == ZS_OK, "impossible balance: solve returns ZS_OK (infeasible is a result)");
    if (st == ZS_OK) {
        CHECK(r->status == ZS_MIP_INFEASIBLE && !r->have_solution && !r->exact,
              "impossible balance: status ZS_MIP_INFEASIBLE, no plan (got '%s')", r->status_text);
        CHECK(strcmp(r->status_text, "infeasible") == 0, "impossible balance: status text 'infeasible'");
        CHECK(isnan(r->objective), "impossible balance: objective NaN, never a success value");
    }
    zs_pmedian_result_free(r);

    /* Through zs_partition_solve: the plan says so and is not balanced. */
    zs_partition_opts po;
    zs_partition_opts_defaults(&po);
    po.method = ZS_PM_PMEDIAN_IP;
    po.k = 4;
    po.tolerance = 0.1;
    po.ip.balance = 1;
    po.ip.time_limit_s = 10;
    zs_partition *p = NULL;
    st = zs_partition_solve(x, y, q, 8, &po, &p, &err);
    CHECK(st == ZS_OK, "pmedian-ip, impossible balance: returns a labelled plan (%s)",
          st == ZS_OK ? "ok" : err.msg);
    if (st == ZS_OK) {
        CHECK(strstr(p->status, "infeasible") != NULL && !p->balance.met && !p->exact.proven,
              "pmedian-ip, impossible balance: status '%s', balance not met, not exact", p->status);
    }
    zs_partition_free(p);
}

/* ---- time limit ---------------------------------------------------------- */

static void test_time_limit(void)
{
    char path[1200];
    if (!zs_shared_file(path, sizeof path, "cpmp-literature/osman-christofides/cpmp08.txt",
                        "time limit on cpmp08"))
        return;
    zs_cpmp *c = NULL;
    double *D = NULL;
    zs_err err;
    zs_status st = zs_cpmp_load(path, ZS_CPMP_DIST_AUTO, &c, &err);
    if (st == ZS_OK)
        st = zs_cpmp_distances(c, &D, &err);
    CHECK(st == ZS_OK, "cpmp08 loads");
    if (st != ZS_OK) {
        zs_cpmp_free(c);
        return;
    }
    zs_pmedian_problem pb = {c->n, c->n, c->p, D, NULL, c->demand, c->capacity, 1};
    zs_pmedian_opts o;
    zs_pmedian_opts_defaults(&o);
    o.time_limit_s = 0.2; /* cpmp08 needs over 60 s to prove */
    zs_pmedian_result *r = NULL;
    st = zs_pmedian_solve(&pb, &o, &r, &err);
    CHECK(st == ZS_OK, "cpmp08 with a 0.2 s limit: returns ZS_OK");
    if (st == ZS_OK) {
        if (r->status == ZS_MIP_OPTIMAL) {
            CHECK(r->gap == 0.0 && r->bound <= r->objective,
                  "cpmp08, 0.2 s: optimal only with gap 0 and bound = objective");
        } else if (r->have_solution) {
            CHECK(r->status == ZS_MIP_TIME_LIMIT && r->gap > 0.0 && r->bound <= r->objective &&
                  !r->exact && strstr(r->status_text, "time limit") != NULL,
                  "cpmp08, 0.2 s: feasible plan labelled '%s', bound %.6g <= objective %.6g, gap %.4f > 0",
                  r->status_text, r->bound, r->objective, r->gap);
            CHECK(r->objective >= 820.0, "cpmp08, 0.2 s: objective %.0f not below the optimum 820",
                  r->objective);
        } else {
            CHECK(r->status == ZS_MIP_NO_SOLUTION && isnan(r->objective),
                  "cpmp08, 0.2 s: no plan, said so ('%s')", r->status_text);
        }
    }
    zs_pmedian_result_free(r);
    zs_free(D);
    zs_cpmp_free(c);
}

/* ---- bad parameters ------------------------------------------------------ */

static void expect_einval(const zs_pmedian_problem *pb, const zs_pmedian_opts *o, const char *sub,
                          const char *desc)
{
    zs_pmedian_result *r = (zs_pmedian_result *)1;
    zs_err err;
    zs_status st = zs_pmedian_solve(pb, o, &r, &err);
    CHECK(st == ZS_EINVAL && r == NULL, "%s: ZS_EINVAL, no result", desc);
    CHECK_CONTAINS(err.msg, sub, desc);
    zs_err e2;
    CHECK(zs_pmedian_validate(pb, o ? o : NULL, &e2) == ZS_EINVAL || !o,
          "%s: zs_pmedian_validate agrees", desc);
}

static void test_bad_params(void)
{
    double D[9] = {0, 1, 2, 1, 0, 1, 2, 1, 0};
    zs_pmedian_problem pb = {3, 3, 0, D, NULL, NULL, NULL, 1};
    zs_pmedian_opts o;
    zs_pmedian_opts_defaults(&o);
    expect_einval(&pb, &o, "pmedian.p = 0; must be in 1..3", "p = 0");
    pb.p = 4;
    expect_einval(&pb, &o, "pmedian.p = 4; must be in 1..3", "p > m");
    pb.p = 2;
    o.tolerance = -0.5;
    expect_einval(&pb, &o, "pmedian.tolerance = -0.5", "negative tolerance");
    o.tolerance = NAN;
    expect_einval(&pb, &o, "pmedian.tolerance = nan", "NaN tolerance");
    zs_pmedian_opts_defaults(&o);
    o.time_limit_s = 0.0;
    expect_einval(&pb, &o, "pmedian.time_limit_s = 0", "zero time limit");
    o.time_limit_s = NAN;
    expect_einval(&pb, &o, "pmedian.time_limit_s = nan", "NaN time limit");
    zs_pmedian_opts_defaults(&o);
    o.mip_gap = 1.0;
    expect_einval(&pb, &o, "pmedian.mip_gap = 1", "gap 1");
    zs_pmedian_opts_defaults(&o);
    D[4] = NAN;
    expect_einval(&pb, &o, "pmedian.dist[1][1] = nan", "NaN distance");
    D[4] = -1.0;
    expect_einval(&pb, &o, "pmedian.dist[1][1] = -1", "negative distance");
    D[4] = 0.0;
    double dem[3] = {1, NAN, 1};
    pb.demand = dem;
    expect_einval(&pb, &o, "demand", "NaN demand");
    pb.demand = NULL;

    /* Through zs_partition_solve. */
    double x[3] = {0, 1, 2}, y[3] = {0, 0, 0};
    zs_partition_opts po;
    zs_partition_opts_defaults(&po);
    po.method = ZS_PM_PMEDIAN_IP;
    zs_partition *p = NULL;
    zs_err err;
    po.k = 0;
    CHECK(zs_partition_solve(x, y, NULL, 3, &po, &p, &err) == ZS_EINVAL && !p,
          "pmedian-ip with k = 0: ZS_EINVAL (%s)", err.msg);
    po.k = 4;
    CHECK(zs_partition_solve(x, y, NULL, 3, &po, &p, &err) == ZS_EINVAL && !p,
          "pmedian-ip with k > n: ZS_EINVAL (%s)", err.msg);
    po.k = 2;
    po.tolerance = NAN;
    po.ip.balance = 1;
    CHECK(zs_partition_solve(x, y, NULL, 3, &po, &p, &err) == ZS_EINVAL && !p,
          "pmedian-ip with NaN tolerance: ZS_EINVAL (%s)", err.msg);
    po.tolerance = 0.1;
    po.ip.time_limit_s = -1;
    CHECK(zs_partition_solve(x, y, NULL, 3, &po, &p, &err) == ZS_EINVAL && !p,
          "pmedian-ip with time limit -1: ZS_EINVAL (%s)", err.msg);
    po.ip.time_limit_s = 10;
    po.ip.gap = NAN;
    CHECK(zs_partition_solve(x, y, NULL, 3, &po, &p, &err) == ZS_EINVAL && !p,
          "pmedian-ip with NaN gap: ZS_EINVAL (%s)", err.msg);
}

/* ---- balanced plan on a generated city ---------------------------------- */

static void test_city_balance(void)
{
    zs_citygen_opts co;
    zs_citygen_opts_defaults(&co);
    co.n_points = 200;
    zs_points *pts = NULL;
    zs_err err;
    zs_status st = zs_citygen_run(&co, &pts, &err);
    CHECK(st == ZS_OK, "200-point city generated");
    if (st != ZS_OK)
        return;
    for (int bal = 0; bal <= 1; bal++) {
        zs_partition_opts po;
        zs_partition_opts_defaults(&po);
        po.method = ZS_PM_PMEDIAN_IP;
        po.k = 4;
        po.tolerance = 0.15;
        po.ip.balance = bal;
        po.ip.time_limit_s = 5;
        zs_partition *p = NULL;
        st = zs_partition_solve(pts->x, pts->y, pts->parcels, pts->n, &po, &p, &err);
        CHECK(st == ZS_OK, "city, k = 4, ip_balance %d: solves (%s)", bal,
              st == ZS_OK ? "ok" : err.msg);
        if (st != ZS_OK)
            continue;
        CHECK(p->k == 4 && p->exact.bound <= p->objective + 1e-6 * p->objective,
              "city, ip_balance %d: 4 zones, bound %.6g <= objective %.6g ('%s')", bal,
              p->exact.bound, p->objective, p->status);
        if (bal)
            CHECK(p->balance.met && p->balance.maxdev <= 0.15 + 1e-12,
                  "city, ip_balance 1: every zone's workload within 15%% of the mean "
                  "(largest deviation %.4f)", p->balance.maxdev);
        zs_partition_free(p);
    }
    zs_points_free(pts);
}


/* ---- beyond ZS_PMEDIAN_AGG_N points: the program on grid cells ---------- */

static int cmp_key(const void *a, const void *b)
{
    uint64_t u = *(const uint64_t *)a, v = *(const uint64_t *)b;
    return (u > v) - (u < v);
}

/* 1 when every two points in the same grid cell of p share a zone. */
static int cells_share_zones(const zs_points *pts, const zs_partition *p)
{
    double x0 = pts->x[0], y0 = pts->y[0], x1 = x0;
    for (size_t i = 1; i < pts->n; i++) {
        x0 = fmin(x0, pts->x[i]);
        x1 = fmax(x1, pts->x[i]);
        y0 = fmin(y0, pts->y[i]);
    }
    uint64_t ncols = (uint64_t)floor((x1 - x0) / p->exact.cell_side_m) + 1;
    uint64_t *key = zs_malloc_array(pts->n, sizeof *key);
    if (!key)
        return 0;
    for (size_t i = 0; i < pts->n; i++) {
        uint64_t cx = (uint64_t)floor((pts->x[i] - x0) / p->exact.cell_side_m);
        uint64_t cy = (uint64_t)floor((pts->y[i] - y0) / p->exact.cell_side_m);
        key[i] = ((cy * ncols + cx) << 8) | (uint64_t)p->zone[i]; /* k <= 255 here */
    }
    /* Sorted by cell, then zone: a cell with two zones shows up as two
     * neighbours with the same cell and different zones. */
    int ok = 1;
    qsort(key, pts->n, sizeof *key, cmp_key);
    size_t cells = 0;
    for (size_t i = 0; i < pts->n; i++) {
        if (i == 0 || key[i] >> 8 != key[i - 1] >> 8)
            cells++;
        else if (key[i] != key[i - 1])
            ok = 0;
    }
    zs_free(key);
    return ok && cells == p->exact.cells;
}

static void test_aggregated(void)
{
    zs_citygen_opts co;
    zs_citygen_opts_defaults(&co);
    co.n_points = 6000;
    zs_points *pts = NULL;
    zs_err err;
    if (zs_citygen_run(&co, &pts, &err) != ZS_OK) {
        CHECK(0, "6,000-point city generated (%s)", err.msg);
        return;
    }
    zs_partition_opts po;
    zs_partition_opts_defaults(&po);
    po.method = ZS_PM_PMEDIAN_IP;
    po.k = 10;
    po.ip.gap = 0.01; /* reached in ~5 s, deterministically; proving takes > 60 s */
    po.ip.time_limit_s = 60;
    zs_partition *a = NULL, *b = NULL;
    omp_set_num_threads(1);
    zs_status s1 = zs_partition_solve(pts->x, pts->y, pts->parcels, pts->n, &po, &a, &err);
    CHECK(s1 == ZS_OK, "6,000 points, k = 10: pmedian-ip solves on grid cells (%s)",
          s1 == ZS_OK ? "ok" : err.msg);
    omp_set_num_threads(2);
    zs_status s2 = zs_partition_solve(pts->x, pts->y, pts->parcels, pts->n, &po, &b, &err);
    omp_set_num_threads(omp_get_num_procs());
    if (s1 == ZS_OK) {
        CHECK(!strcmp(a->status, "heuristic, not proven") && a->exact.proven == 0 && a->exact.cells > 0 &&
                  a->exact.cells <= ZS_PMEDIAN_AGG_N && a->exact.cell_side_m > 0,
              "6,000 points: status '%s', exact 0, %zu cells <= %d of %.0f m",
              a->status, a->exact.cells, ZS_PMEDIAN_AGG_N, a->exact.cell_side_m);
        size_t cnt[10] = {0};
        int in_range = a->k == 10;
        for (size_t i = 0; i < a->n && in_range; i++)
            if (a->zone[i] >= 0 && a->zone[i] < 10)
                cnt[a->zone[i]]++;
            else
                in_range = 0;
        int nonempty = in_range;
        for (size_t z = 0; z < 10; z++)
            nonempty &= cnt[z] > 0;
        CHECK(nonempty, "6,000 points: 10 zones, none empty");
        CHECK(cells_share_zones(pts, a), "6,000 points: points of one grid cell share a zone");
        double obj = 0.0;
        for (size_t i = 0; i < a->n; i++)
            obj += hypot(pts->x[i] - a->cx[a->zone[i]], pts->y[i] - a->cy[a->zone[i]]);
        CHECK_NEAR(a->objective, obj, 1e-9 * obj,
                   "6,000 points: objective is the points' distance to their zone's median");
    }
    if (s1 == ZS_OK && s2 == ZS_OK) {
        int same = a->k == b->k && strcmp(a->status, b->status) == 0 &&
                   a->objective == b->objective;
        for (size_t i = 0; same && i < a->n; i++)
            same = a->zone[i] == b->zone[i];
        for (size_t z = 0; same && z < a->k; z++)
            same = a->cx[z] == b->cx[z] && a->cy[z] == b->cy[z];
        CHECK(same, "6,000 points: 1 and 2 threads give the identical plan");
    }
    zs_partition_free(a);
    zs_partition_free(b);
    a = NULL;
    po.ip.balance = 1;
    po.tolerance = 0.2;
    po.ip.time_limit_s = 4; /* the balanced bound is slow: whatever plan 4 s gives */
    s1 = zs_partition_solve(pts->x, pts->y, pts->parcels, pts->n, &po, &a, &err);
    CHECK(s1 == ZS_OK, "6,000 points, ip_balance, tolerance 0.2: solves (%s)",
          s1 == ZS_OK ? "ok" : err.msg);
    if (s1 == ZS_OK)
        CHECK(!strcmp(a->status, "heuristic, not proven") && a->exact.proven == 0 &&
                  a->balance.met == (a->balance.maxdev <= 0.2),
              "6,000 points, balanced: '%s', balance_met %d agrees with largest deviation %.4f",
              a->status, a->balance.met, a->balance.maxdev);
    zs_partition_free(a);
    a = NULL;
    /* Below the threshold: the points themselves, as before. */
    po.ip.balance = 0;
    po.ip.time_limit_s = 5;
    s1 = zs_partition_solve(pts->x, pts->y, pts->parcels, 300, &po, &a, &err);
    CHECK(s1 == ZS_OK && !strstr(a->status, "cells") && a->exact.cells == 0,
          "300 points: solved on the points (status '%s', no cells)",
          s1 == ZS_OK ? a->status : err.msg);
    zs_partition_free(a);
    /* More zones than occupied cells: refused, naming both. */
    po.k = 2000;
    s1 = zs_partition_solve(pts->x, pts->y, pts->parcels, pts->n, &po, &a, &err);
    CHECK(s1 == ZS_EINVAL && !a, "6,000 points, k = 2,000 > cells: ZS_EINVAL");
    CHECK_CONTAINS(err.msg, "occupied grid cells", "k above the cells: the message says so");
    zs_points_free(pts);
}

/* ---- MPS writer ---------------------------------------------------------- */

static void test_mps(void)
{
    char dir[] = "/tmp/zs_pmedian_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "temp dir for the MPS file");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/small.mps", dir);
    zs_pmedian_problem pb = {SN, SN, 2, sD, sw, sq, sQ, 1};
    zs_err err;
    zs_status st = zs_pmedian_write_mps(&pb, NULL, path, &err);
    CHECK(st == ZS_OK, "MPS of the 7-point capacitated instance written (%s)",
          st == ZS_OK ? "ok" : err.msg);
    FILE *f = fopen(path, "r");
    int rows = 0, bounds = 0, name = 0;
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        name |= strncmp(line, "NAME", 4) == 0;
        rows |= strncmp(line, "ROWS", 4) == 0;
        bounds |= strncmp(line, "ENDATA", 6) == 0;
    }
    if (f)
        fclose(f);
    CHECK(name && rows && bounds, "MPS file has NAME, ROWS and ENDATA sections");
    remove(path);
    pb.p = 0;
    CHECK(zs_pmedian_write_mps(&pb, NULL, path, &err) == ZS_EINVAL, "MPS with p = 0: ZS_EINVAL");
    pb.p = 2;
    snprintf(path, sizeof path, "%s/no/such/dir.mps", dir);
    st = zs_pmedian_write_mps(&pb, NULL, path, &err);
    CHECK(st == ZS_EIO, "MPS to a missing directory: ZS_EIO naming the file");
    CHECK_CONTAINS(err.msg, "no/such/dir.mps", "MPS write error names the file");
    rmdir(dir);
}

int main(void)
{
    test_orlib();
    test_cpmp();
    test_small();
    test_infeasible_balance();
    test_time_limit();
    test_bad_params();
    test_city_balance();
    test_aggregated();
    test_mps();
    return zs_test_done();
}
