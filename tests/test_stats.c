/* tests/test_stats.c -- summaries of simulated metrics (engine/stats.h).
 *
 * Expected values were computed independently with Python's statistics
 * module (fmean, stdev, pstdev, quantiles(method='inclusive'), which is
 * Hyndman & Fan type 7) and t_{0.975,4} = 2.7764451051977987. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/stats.h"
#include "models/alloc.h"
#include "check.h"

#define T4 2.7764451051977987 /* t quantile 0.975 with 4 degrees of freedom */

/* A result of R x D x Z with every metric allocated and zero. */
static zs_sim_result *result_new(size_t R, size_t D, size_t Z)
{
    static zs_sim_result pool[16];
    static int used;
    zs_sim_result *s = &pool[used++];
    memset(s, 0, sizeof *s);
    s->reps = R;
    s->days = D;
    s->zones = Z;
    for (int m = 0; m < ZS_M_COUNT; m++)
        s->v[m] = zs_calloc(R * D * Z > 0 ? R * D * Z : 1, sizeof(double));
    return s;
}

static void result_free(zs_sim_result *s)
{
    for (int m = 0; m < ZS_M_COUNT; m++)
        zs_free(s->v[m]);
}

static void check_stat(const zs_stat *s, const double *want, const char *what)
{
    static const char *name[9] = {"mean", "sd", "ci_lo", "ci_hi", "p10", "p50", "p90", "min", "max"};
    const double got[9] = {s->mean, s->sd, s->ci_lo, s->ci_hi, s->p10, s->p50, s->p90, s->min, s->max};
    for (int i = 0; i < 9; i++)
        CHECK_NEAR(got[i], want[i], 1e-9 * (1.0 + fabs(want[i])), "%s: %s = %.12g (got %.12g)", what,
                   name[i], want[i], got[i]);
}

/* work[r][d][z] of the 5 x 2 x 2 example. */
static const double WORK[5][2][2] = {
    {{400, 300}, {420, 310}}, {{380, 330}, {500, 0}}, {{450, 290}, {410, 320}},
    {{395, 305}, {430, 315}}, {{470, 280}, {390, 300}},
};

static zs_sim_result *example(void)
{
    zs_sim_result *s = result_new(5, 2, 2);
    for (size_t r = 0; r < 5; r++)
        for (size_t d = 0; d < 2; d++)
            for (size_t z = 0; z < 2; z++) {
                size_t i = (r * 2 + d) * 2 + z;
                s->v[ZS_M_WORK_MIN][i] = WORK[r][d][z];
                /* 450-minute shift: overtime on 2 of 20 zone-days. */
                s->v[ZS_M_OVERTIME_MIN][i] = WORK[r][d][z] > 450 ? WORK[r][d][z] - 450 : 0;
                s->v[ZS_M_STOPS][i] = (double)(z + 1);
            }
    return s;
}

static void test_quantile(void)
{
    const double x[4] = {1, 2, 3, 4};
    CHECK_NEAR(zs_stats_quantile_sorted(x, 4, 0.1), 1.3, 1e-12, "type 7: q0.1 of 1..4 = 1.3");
    CHECK_NEAR(zs_stats_quantile_sorted(x, 4, 0.5), 2.5, 1e-12, "type 7: median of 1..4 = 2.5");
    CHECK_NEAR(zs_stats_quantile_sorted(x, 4, 0.9), 3.7, 1e-12, "type 7: q0.9 of 1..4 = 3.7");
    CHECK(zs_stats_quantile_sorted(x, 4, 0.0) == 1.0, "q0 is the minimum");
    CHECK(zs_stats_quantile_sorted(x, 4, 1.0) == 4.0, "q1 is the maximum");
    CHECK(zs_stats_quantile_sorted(x, 4, 2.0) == 4.0 && zs_stats_quantile_sorted(x, 4, -1) == 1.0,
          "q outside [0,1] is clamped");
    CHECK(zs_stats_quantile_sorted(x + 2, 1, 0.37) == 3.0, "one value: every quantile is it");
    CHECK(isnan(zs_stats_quantile_sorted(x, 0, 0.5)), "no values: NaN");
    const double y[3] = {10, 20, 40};
    CHECK_NEAR(zs_stats_quantile_sorted(y, 3, 0.75), 30.0, 1e-12, "type 7: q0.75 of 10,20,40 = 30");
}

static void test_describe(void)
{
    /* 10, 20, 30, 40, 50 in shuffled order: mean 30, sd sqrt(250). */
    const double x[5] = {40, 10, 50, 30, 20};
    double scratch[5];
    zs_stat s;
    zs_stats_describe(x, 5, scratch, &s);
    double half = T4 * sqrt(250.0) / sqrt(5.0);
    const double want[9] = {30, sqrt(250.0), 30 - half, 30 + half, 14, 30, 46, 10, 50};
    check_stat(&s, want, "describe 10..50");
    CHECK(x[0] == 40 && x[4] == 20, "describe leaves its input unsorted");
    zs_stats_describe(x + 3, 1, scratch, &s);
    const double one[9] = {30, 0, 30, 30, 30, 30, 30, 30, 30};
    check_stat(&s, one, "describe one value: sd 0, CI = mean");
}

static void test_plan(void)
{
    zs_sim_result *s = example();
    zs_plan_summary *p = NULL;
    zs_err err;
    zs_status st = zs_stats_plan(s, &p, &err);
    CHECK(st == ZS_OK && p, "plan summary of 5 reps x 2 days x 2 zones (%s)", st ? err.msg : "ok");
    if (!p) {
        result_free(s);
        return;
    }
    CHECK(p->zones == 2, "summary has 2 zones");
    const double z0[9] = {424.5, 12.796483892069727, 408.61106664762264, 440.38893335237736,
                          389.0, 415.0, 473.0, 380, 500};
    const double z1[9] = {275.0, 61.94755846681934, 198.08194687512753, 351.9180531248725,
                          252.0, 302.5, 321.0, 0, 330};
    const double day[9] = {699.5, 53.33854141237835, 633.2714534115491, 765.7285465884509,
                           671.0, 720.0, 745.5, 500, 750};
    const double zd[9] = {349.75, 26.669270706189174, 316.6357267057746, 382.8642732942254,
                          289.0, 355.0, 452.0, 0, 500};
    check_stat(&p->zone[ZS_M_WORK_MIN][0], z0, "work zone 0");
    check_stat(&p->zone[ZS_M_WORK_MIN][1], z1, "work zone 1");
    check_stat(&p->day[ZS_M_WORK_MIN], day, "work plan total per day");
    check_stat(&p->zoneday[ZS_M_WORK_MIN], zd, "work pooled zone-days");
    const double stops1[9] = {2, 0, 2, 2, 2, 2, 2, 2, 2};
    check_stat(&p->zone[ZS_M_STOPS][1], stops1, "constant metric: sd 0, CI collapses to the mean");
    const double zero[9] = {0};
    check_stat(&p->zone[ZS_M_PARCELS][0], zero, "all-zero metric");
    CHECK_NEAR(p->work_maxmin, 424.5 / 275.0, 1e-12, "work max/min = 424.5/275 = 1.5436");
    CHECK_NEAR(p->work_cv, 0.2137240886347391, 1e-12, "work cv = pstdev/mean of zone means = 0.2137");
    CHECK_NEAR(p->overtime_share, 0.1, 1e-15, "overtime on 2 of 20 zone-days = 0.1");
    zs_plan_summary_free(p);
    zs_plan_summary_free(NULL);
    CHECK(1, "summary free(NULL) is a no-op");

    /* Serial, index-ordered sums: a second summary has the same bits. */
    zs_plan_summary *p1 = NULL, *p2 = NULL;
    zs_stats_plan(s, &p1, &err);
    zs_stats_plan(s, &p2, &err);
    CHECK(p1 && p2 && memcmp(p1->zone[ZS_M_WORK_MIN], p2->zone[ZS_M_WORK_MIN], 2 * sizeof(zs_stat)) == 0 &&
              memcmp(p1->day, p2->day, sizeof p1->day) == 0,
          "repeated summaries are bit-identical");
    zs_plan_summary_free(p1);
    zs_plan_summary_free(p2);

    /* Allocation failures: each one reported, nothing leaked (ASan). */
    long i;
    int all_nomem = 1;
    for (i = 0; i < 50; i++) {
        zs_alloc_fail_after(i);
        zs_plan_summary *q = (zs_plan_summary *)&err; /* must be reset */
        st = zs_stats_plan(s, &q, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_plan_summary_free(q);
            break;
        }
        if (st != ZS_ENOMEM || q != NULL)
            all_nomem = 0;
    }
    CHECK(all_nomem && i > 0 && i < 50, "stats_plan: ZS_ENOMEM and no summary at each of %ld "
                                        "allocation failures, then success", i);
    result_free(s);
}

static void test_balance_edges(void)
{
    zs_err err;
    zs_plan_summary *p = NULL;
    zs_sim_result *s = result_new(1, 1, 2);
    s->v[ZS_M_WORK_MIN][1] = 5.0;
    CHECK(zs_stats_plan(s, &p, &err) == ZS_OK, "one replication summarised");
    if (p) {
        CHECK(p->work_maxmin == HUGE_VAL, "a zone with no work and one with some: max/min = inf");
        CHECK_NEAR(p->work_cv, 1.0, 1e-15, "zone means 0 and 5: cv = 2.5/2.5 = 1");
        const double z1[9] = {5, 0, 5, 5, 5, 5, 5, 5, 5};
        check_stat(&p->zone[ZS_M_WORK_MIN][1], z1, "reps = 1: CI = mean, sd = 0");
        CHECK(p->overtime_share == 0.0, "no overtime: share 0");
        zs_plan_summary_free(p);
    }
    s->v[ZS_M_WORK_MIN][1] = 0.0;
    p = NULL;
    zs_stats_plan(s, &p, &err);
    CHECK(p && p->work_maxmin == 1.0 && p->work_cv == 0.0, "no work anywhere: max/min 1, cv 0");
    zs_plan_summary_free(p);
    result_free(s);

    zs_sim_result *e = result_new(0, 3, 2);
    p = (zs_plan_summary *)&err;
    zs_status st = zs_stats_plan(e, &p, &err);
    CHECK(st == ZS_EINVAL && p == NULL, "0 replications: ZS_EINVAL");
    CHECK(strcmp(err.msg, "cannot summarise a result of 0 replications x 3 days x 2 zones; "
                          "each must be >= 1") == 0, "0 replications: message (%s)", err.msg);
    result_free(e);
}

static void test_paired(void)
{
    zs_sim_result *a = example();
    /* b has one zone whose day is a's plan total plus 10 (r + 1) minutes. */
    zs_sim_result *b = result_new(5, 2, 1);
    for (size_t r = 0; r < 5; r++)
        for (size_t d = 0; d < 2; d++)
            b->v[ZS_M_WORK_MIN][r * 2 + d] = WORK[r][d][0] + WORK[r][d][1] + 10.0 * (double)(r + 1);
    zs_stat s;
    zs_err err;
    zs_status st = zs_stats_paired(a, b, ZS_M_WORK_MIN, &s, &err);
    CHECK(st == ZS_OK, "paired b - a with different zone counts (%s)", st ? err.msg : "ok");
    double half = T4 * sqrt(250.0) / sqrt(5.0);
    const double want[9] = {30, sqrt(250.0), 30 - half, 30 + half, 14, 30, 46, 10, 50};
    check_stat(&s, want, "paired differences 10..50");

    st = zs_stats_paired(a, b, ZS_M_STOPS, &s, &err);
    /* stops: a has 1 + 2 = 3 a day, b 0: differences all -3. */
    CHECK(st == ZS_OK && s.mean == -3.0 && s.sd == 0.0 && s.ci_lo == -3.0 && s.p90 == -3.0,
          "paired stops: constant difference -3, zero-width CI");

    zs_sim_result *c = result_new(4, 2, 1);
    st = zs_stats_paired(a, c, ZS_M_WORK_MIN, &s, &err);
    CHECK(st == ZS_EINVAL, "paired: different replication counts rejected");
    CHECK(strcmp(err.msg, "paired comparison: the results cover different replications "
                          "(5 from 0 vs 4 from 0)") == 0, "paired reps message (%s)", err.msg);
    b->rep_begin = 5;
    st = zs_stats_paired(a, b, ZS_M_WORK_MIN, &s, &err);
    CHECK(st == ZS_EINVAL && strstr(err.msg, "(5 from 0 vs 5 from 5)"),
          "paired: same count but other replications rejected (%s)", err.msg);
    b->rep_begin = 0;
    zs_sim_result *d = result_new(5, 3, 2);
    st = zs_stats_paired(a, d, ZS_M_WORK_MIN, &s, &err);
    CHECK(st == ZS_EINVAL && strcmp(err.msg, "paired comparison: the results cover different "
                                             "days (2 vs 3)") == 0,
          "paired: different days rejected (%s)", err.msg);
    st = zs_stats_paired(a, b, ZS_M_COUNT, &s, &err);
    char want_m[96];
    snprintf(want_m, sizeof want_m, "paired comparison: metric %d outside 0..%d", ZS_M_COUNT,
             ZS_M_COUNT - 1);
    CHECK(st == ZS_EINVAL && strcmp(err.msg, want_m) == 0, "paired: metric out of range (%s)",
          err.msg);
    st = zs_stats_paired(a, b, -1, &s, &err);
    CHECK(st == ZS_EINVAL, "paired: negative metric rejected");
    zs_sim_result *e0 = result_new(0, 2, 1), *e1 = result_new(0, 2, 2);
    st = zs_stats_paired(e0, e1, ZS_M_WORK_MIN, &s, &err);
    CHECK(st == ZS_EINVAL && strstr(err.msg, "empty results"), "paired: empty results (%s)", err.msg);

    zs_alloc_fail_after(0);
    st = zs_stats_paired(a, b, ZS_M_WORK_MIN, &s, &err);
    zs_alloc_fail_after(-1);
    CHECK(st == ZS_ENOMEM, "paired: allocation failure gives ZS_ENOMEM");
    result_free(a);
    result_free(b);
    result_free(c);
    result_free(d);
    result_free(e0);
    result_free(e1);
}

int main(void)
{
    test_quantile();
    test_describe();
    test_plan();
    test_balance_edges();
    test_paired();
    return zs_test_done();
}
