/* Tests of engine/compare: rows per instance x plan x seed, summaries
 * recomputed from the rows, manual plans measured once, same tables for
 * any thread count, and errors naming the place. */
#include <math.h>
#include <omp.h>
#include <string.h>

#include "pipeline/compare.h"
#include "pipeline/scenario.h"
#include "models/alloc.h"
#include "check.h"

static const char study_text[] =
    "name: t\n"
    "points: {generate: {seed: 3, n_points: 40, width_km: 3, height_km: 3, mean_parcels: 10}}\n"
    "efficiency: {stops_per_hour: 1}\n"
    "plans:\n"
    "  - {name: std, method: kmeans, k: auto, seed: 4, restarts: 1}\n"
    "  - {name: two, method: kmeans-two-stage, k: 4, tolerance: 0.2}\n"
    "study: {seeds: 3, instances: 2}\n";

static const char manual_text[] =
    "name: m\n"
    "points: {file: data/points-12.csv}\n"
    "depot: [0, 0]\n"
    "plans:\n"
    "  - {name: current, method: manual, file: data/zones-12.csv, columns: {id: point, zone: courier}}\n"
    "  - {name: km, k: 3}\n"
    "study: {seeds: 5}\n";

static zs_compare *run_text(const char *text, zs_err *err)
{
    zs_scenario *sc = NULL;
    zs_compare *c = NULL;
    if (zs_scenario_parse(text, strlen(text), "study.yaml", "scenarios/tests", &sc, err) == ZS_OK)
        zs_compare_run(sc, NULL, NULL, &c, err);
    zs_scenario_free(sc);
    return c;
}

/* Rows equal in everything but runtime. */
static int same_rows(const zs_compare *a, const zs_compare *b)
{
    if (a->n_rows != b->n_rows)
        return 0;
    for (size_t i = 0; i < a->n_rows; i++) {
        const zs_compare_row *x = &a->rows[i], *y = &b->rows[i];
        if (x->instance != y->instance || x->plan != y->plan || x->seed != y->seed)
            return 0;
        for (int k = 0; k < ZS_CM_COUNT; k++)
            if (k != ZS_CM_RUNTIME_S && memcmp(&x->v[k], &y->v[k], sizeof(double)) != 0)
                return 0;
    }
    return 1;
}

int main(void)
{
    zs_err err;
    zs_compare *c = run_text(study_text, &err);
    CHECK(c != NULL, "study runs (%s)", c ? "" : err.msg);
    if (!c)
        return zs_test_done();
    CHECK(c->n_rows == 2 * 2 * 3, "rows = instances x plans x seeds = 12 (got %zu)", c->n_rows);
    CHECK(c->n_points[0] == 40 && c->n_points[1] == 40, "40 points per instance");
    /* 40 points x ~1 stop a day at 1 stop/h x 8 h -> 5 zones. */
    CHECK(c->auto_k[0] == 5, "capacity rule k = 5 (got %zu)", c->auto_k[0]);
    int order = 1, seeds = 1, ks = 1;
    for (size_t i = 0; i < c->n_rows; i++) {
        const zs_compare_row *r = &c->rows[i];
        order &= r->instance == i / 6 && r->plan == (i % 6) / 3 && r->seed_index == i % 3;
        seeds &= r->seed == (r->plan == 0 ? 4u : 1u) + r->seed_index;
        ks &= r->v[ZS_CM_K] == (r->plan == 0 ? (double)c->auto_k[r->instance] : 4.0);
    }
    CHECK(order, "rows ordered instance, plan, seed");
    CHECK(seeds, "seeds run plans[].seed, +1, +2");
    CHECK(ks, "k: auto per instance, or the plan's k");
    /* Two instances are two different cities. */
    CHECK(c->rows[0].v[ZS_CM_SSE_KM2] != c->rows[6].v[ZS_CM_SSE_KM2],
          "instances differ (generator seed +1)");

    /* Summary = statistics of the rows. */
    int stats_ok = 1;
    for (size_t p = 0; p < 2; p++)
        for (int k = 0; k < ZS_CM_COUNT; k++) {
            double n = 0, sum = 0, lo = HUGE_VAL, hi = -HUGE_VAL;
            for (size_t i = 0; i < c->n_rows; i++)
                if (c->rows[i].plan == p) {
                    double v = c->rows[i].v[k];
                    n++;
                    sum += v;
                    lo = fmin(lo, v);
                    hi = fmax(hi, v);
                }
            double mean = sum / n, ss = 0;
            for (size_t i = 0; i < c->n_rows; i++)
                if (c->rows[i].plan == p)
                    ss += (c->rows[i].v[k] - mean) * (c->rows[i].v[k] - mean);
            const zs_compare_stat *s = &c->stat[p * ZS_CM_COUNT + k];
            if (s->n != n || fabs(s->mean - mean) > 1e-9 * fmax(1, fabs(mean)) ||
                fabs(s->sd - sqrt(ss / (n - 1))) > 1e-9 * fmax(1, s->sd) || s->min != lo ||
                s->max != hi)
                stats_ok = 0;
        }
    CHECK(stats_ok, "summary n, mean, sd, min, max recomputed from the rows");
    CHECK(c->stat[0 * ZS_CM_COUNT + ZS_CM_SSE_KM2].sd > 0, "spread over seeds and instances > 0");
    CHECK(strcmp(c->plan_method[1], "kmeans-two-stage") == 0, "plan methods recorded");

    /* Same tables on one thread and on two. */
    omp_set_num_threads(1);
    zs_compare *c1 = run_text(study_text, &err);
    omp_set_num_threads(2);
    zs_compare *c2 = run_text(study_text, &err);
    CHECK(c1 && c2 && same_rows(c, c1) && same_rows(c1, c2),
          "rows bit-identical for 1 and 2 threads and across runs");
    zs_compare_free(c1);
    zs_compare_free(c2);
    zs_compare_free(c);

    /* A manual plan is measured once per instance. */
    c = run_text(manual_text, &err);
    CHECK(c != NULL, "study with a manual plan runs (%s)", c ? "" : err.msg);
    if (c) {
        CHECK(c->n_rows == 1 + 5, "manual: 1 row, computed: 5 seeds (got %zu)", c->n_rows);
        CHECK(c->rows[0].seed == 0 && c->stat[ZS_CM_K].n == 1 && c->stat[ZS_CM_K].sd == 0,
              "manual row: seed 0, n 1, sd 0");
        CHECK(strcmp(c->plan_method[0], "manual") == 0, "manual method name");
        zs_compare_free(c);
    }

    /* study.instances needs generated points. */
    zs_scenario *sc = NULL;
    const char *bad = "name: b\npoints: {file: data/points-12.csv}\nstudy: {instances: 3}\n";
    zs_status st = zs_scenario_parse(bad, strlen(bad), "bad.yaml", "scenarios/tests", &sc, &err);
    CHECK(st == ZS_EINVAL, "instances > 1 with a points file refused");
    CHECK_CONTAINS(err.msg, "bad.yaml:2:", "message names file:line");
    CHECK_CONTAINS(err.msg, "study.instances = 3 needs points.generate", "message says why");
    zs_scenario_free(sc);
    const char *bad2 = "name: b\npoints: {generate: {n_points: 10}}\nstudy: {seeds: 0}\n";
    st = zs_scenario_parse(bad2, strlen(bad2), "bad2.yaml", ".", &sc, &err);
    CHECK(st != ZS_OK, "study.seeds = 0 refused");
    CHECK_CONTAINS(err.msg, "bad2.yaml:3:", "seeds message names file:line");
    zs_scenario_free(sc);

    /* Allocation failures are reported, never a crash. */
    int nomem_ok = 1;
    for (long fail = 0; fail < 400; fail += 7) {
        zs_scenario *s2 = NULL;
        zs_compare *cc = NULL;
        if (zs_scenario_parse(study_text, strlen(study_text), "s.yaml", ".", &s2, &err) != ZS_OK)
            break;
        zs_alloc_fail_after(fail);
        zs_status r = zs_compare_run(s2, NULL, NULL, &cc, &err);
        zs_alloc_fail_after(-1);
        if (r != ZS_OK && (r != ZS_ENOMEM || cc))
            nomem_ok = 0;
        zs_compare_free(cc);
        zs_scenario_free(s2);
    }
    CHECK(nomem_ok, "allocation failures give ZS_ENOMEM and no result");
    return zs_test_done();
}
