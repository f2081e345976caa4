/* tests/test_pmedian_flow.c -- the capacitated flow heuristic
 * (zs_pmedian_flow_solve, engine/partition/pmedian_flow.c): feasible
 * single-source plans on Osman & Christofides cpmp01-05, never below the
 * published optimum and within 10% of it, identical on a second run;
 * too little capacity reported as "no feasible assignment"; a bin-packing
 * trap (flow feasible, single sourcing impossible) reported as such, never
 * as a plan; non-integral demands and bad options rejected. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/bench_io.h"
#include "partition/pmedian.h"
#include "models/alloc.h"
#include "check.h"

/* 1 when every client goes to an open site and no open site exceeds its
 * capacity; *obj gets the recomputed sum of distances. */
static int plan_ok(const zs_pmedian_problem *pb, const zs_pmedian_result *r, double *obj)
{
    *obj = 0.0;
    if (!r->have_solution)
        return 0;
    for (size_t i = 0; i < pb->n; i++) {
        int open = 0;
        for (size_t z = 0; z < r->p; z++)
            open |= r->open[z] == r->assign[i];
        if (!open)
            return 0;
        *obj += pb->dist[i * pb->m + r->assign[i]];
    }
    for (size_t z = 0; z < r->p; z++) {
        double load = 0.0;
        for (size_t i = 0; i < pb->n; i++)
            if (r->assign[i] == r->open[z])
                load += pb->demand[i];
        if (load > pb->capacity[r->open[z]])
            return 0;
    }
    return 1;
}

/* Measured gaps (8 starts): cpmp01 3.09%, 02 0, 03 0.53%, 04 0, 05 4.67%.
 * The bound 10% is about twice the worst of them, room for a change of tie
 * rule, yet far below the 10-25% a single greedy start gives on these
 * files (cpmp04 22.6% from one start). */
#define GAP_BOUND 0.10

static void test_cpmp(void)
{
    static const double opt[5] = {713, 740, 751, 651, 664}; /* bestknown.csv */
    for (int k = 1; k <= 5; k++) {
        char rel[80], path[1200];
        snprintf(rel, sizeof rel, "cpmp-literature/osman-christofides/cpmp%02d.txt", k);
        if (!zs_shared_file(path, sizeof path, rel, "flow heuristic on cpmp01-05"))
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
        zs_pmedian_problem pb = {c->n, c->n, c->p, D, NULL, c->demand, c->capacity, 1};
        zs_pmedian_result *r = NULL, *r2 = NULL;
        st = zs_pmedian_flow_solve(&pb, NULL, &r, &err);
        CHECK(st == ZS_OK, "cpmp%02d: flow heuristic runs (%s)", k,
              st == ZS_OK ? "ok" : err.msg);
        if (st == ZS_OK) {
            double obj = 0.0;
            CHECK(r->status == ZS_MIP_GAP && strcmp(r->status_text, "heuristic, not proven") == 0 &&
                      !r->exact && r->bound == -INFINITY,
                  "cpmp%02d: status 'heuristic, not proven', not exact, no bound (got '%s')", k,
                  r->status_text);
            CHECK(plan_ok(&pb, r, &obj),
                  "cpmp%02d: every point assigned to an open median, every load <= capacity", k);
            CHECK(obj == r->objective, "cpmp%02d: objective %.0f = recomputed distance sum %.0f",
                  k, r->objective, obj);
            CHECK(r->objective >= opt[k - 1] && r->objective <= (1.0 + GAP_BOUND) * opt[k - 1],
                  "cpmp%02d: objective %.0f in [optimum %.0f, +%.0f%%] (gap %.2f%%)", k,
                  r->objective, opt[k - 1], 100.0 * GAP_BOUND,
                  100.0 * (r->objective - opt[k - 1]) / opt[k - 1]);
            CHECK(r->iterations >= 1, "cpmp%02d: %d rounds counted", k, r->iterations);
            st = zs_pmedian_flow_solve(&pb, NULL, &r2, &err);
            CHECK(st == ZS_OK && r2->objective == r->objective &&
                      memcmp(r2->open, r->open, r->p * sizeof *r->open) == 0 &&
                      memcmp(r2->assign, r->assign, r->n * sizeof *r->assign) == 0,
                  "cpmp%02d: a second run gives the same medians and assignment", k);
        }
        zs_pmedian_result_free(r);
        zs_pmedian_result_free(r2);
        zs_free(D);
        zs_cpmp_free(c);
    }
}

/* Four points on a line, distances |a - b|. */
static const double lx[4] = {0, 1, 2, 3};
static double lD[16];

static void line_dist(void)
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            lD[i * 4 + j] = fabs(lx[i] - lx[j]);
}

static void test_infeasible(void)
{
    line_dist();
    zs_err err;
    /* Total demand 12 > p x max capacity = 2 x 5. */
    static const double q[4] = {3, 3, 3, 3}, Q[4] = {5, 5, 5, 5};
    zs_pmedian_problem pb = {4, 4, 2, lD, NULL, q, Q, 1};
    zs_pmedian_result *r = NULL;
    zs_status st = zs_pmedian_flow_solve(&pb, NULL, &r, &err);
    CHECK(st == ZS_OK && r->status == ZS_MIP_INFEASIBLE && !r->have_solution &&
              strcmp(r->status_text, "no feasible assignment") == 0 && isnan(r->objective),
          "demand 12 > 2 x capacity 5: 'no feasible assignment', no plan (got '%s')",
          st == ZS_OK ? r->status_text : err.msg);
    zs_pmedian_result_free(r);

    /* Total demand 10 = 2 x 5, so the flow is feasible, but three items of
     * 3 need three bins of 5: no single-source plan exists. */
    static const double q2[4] = {3, 3, 3, 1};
    pb.demand = q2;
    r = NULL;
    st = zs_pmedian_flow_solve(&pb, NULL, &r, &err);
    CHECK(st == ZS_OK && r->status == ZS_MIP_NO_SOLUTION && !r->have_solution &&
              strcmp(r->status_text, "no feasible single-source assignment") == 0,
          "3+3+3+1 into two bins of 5: 'no feasible single-source assignment' (got '%s')",
          st == ZS_OK ? r->status_text : err.msg);
    zs_pmedian_result_free(r);

    /* A client larger than every capacity. */
    static const double q3[4] = {6, 1, 1, 1}, Q3[4] = {5, 5, 5, 5};
    pb.demand = q3;
    pb.capacity = Q3;
    pb.p = 3;
    r = NULL;
    st = zs_pmedian_flow_solve(&pb, NULL, &r, &err);
    CHECK(st == ZS_OK && r->status == ZS_MIP_INFEASIBLE &&
              strcmp(r->status_text, "no feasible assignment") == 0,
          "a demand of 6 above every capacity 5: 'no feasible assignment'");
    zs_pmedian_result_free(r);

    /* Feasible when p = 3: each 3 alone (3 + 1 with one of them). */
    pb.demand = q2;
    pb.capacity = Q;
    r = NULL;
    st = zs_pmedian_flow_solve(&pb, NULL, &r, &err);
    double obj = 0.0;
    CHECK(st == ZS_OK && plan_ok(&pb, r, &obj) && obj == r->objective,
          "3+3+3+1 into three bins of 5: a feasible plan (got '%s')",
          st == ZS_OK ? r->status_text : err.msg);
    zs_pmedian_result_free(r);
}

static void test_bad_input(void)
{
    line_dist();
    zs_err err;
    static const double q[4] = {1, 2.5, 1, 1}, Q[4] = {5, 5, 5, 5}, qi[4] = {1, 1, 1, 1};
    zs_pmedian_problem pb = {4, 4, 2, lD, NULL, q, Q, 1};
    zs_pmedian_result *r = NULL;
    zs_status st = zs_pmedian_flow_solve(&pb, NULL, &r, &err);
    CHECK(st == ZS_EINVAL && r == NULL && strstr(err.msg, "demand[1] = 2.5; must be an integer"),
          "non-integral demand refused, naming it (%s)", err.msg);
    pb.demand = qi;
    pb.capacity = NULL;
    st = zs_pmedian_flow_solve(&pb, NULL, &r, &err);
    CHECK(st == ZS_EINVAL && strstr(err.msg, "needs capacities"),
          "no capacities refused (%s)", err.msg);
    pb.capacity = Q;
    zs_pmedian_flow_opts o;
    zs_pmedian_flow_opts_defaults(&o);
    o.max_iter = 0;
    st = zs_pmedian_flow_solve(&pb, &o, &r, &err);
    CHECK(st == ZS_EINVAL && strcmp(err.msg, "pmedian_flow.max_iter = 0; must be in 1..10000") == 0,
          "max_iter 0 refused (%s)", err.msg);
    zs_pmedian_flow_opts_defaults(&o);
    o.restarts = 0;
    st = zs_pmedian_flow_solve(&pb, &o, &r, &err);
    CHECK(st == ZS_EINVAL && strcmp(err.msg, "pmedian_flow.restarts = 0; must be in 1..1000") == 0,
          "restarts 0 refused (%s)", err.msg);
    pb.cand_is_client = 0;
    st = zs_pmedian_flow_solve(&pb, NULL, &r, &err);
    CHECK(st == ZS_EINVAL && strstr(err.msg, "cand_is_client"),
          "sites that are not the clients refused (%s)", err.msg);
}

int main(void)
{
    test_cpmp();
    test_infeasible();
    test_bad_input();
    return zs_test_done();
}
