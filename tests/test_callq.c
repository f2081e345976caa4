/* Tests of engine/sim/callq: the queue simulation agrees with Erlang A and
 * Erlang C on stationary intervals (within the confidence interval over
 * replications), and shows where Erlang does not hold (lognormal handling,
 * arrivals changing faster than the queue settles); keyed draws make a day
 * reproducible and the callers independent of the staffing. */
#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include "models/rng.h"
#include "sim/callq.h"
#include "staffing/erlang.h"
#include "check.h"

#define NI ZS_CALL_INTERVALS

typedef struct {
    double sl, ab, asa;          /* means over replications */
    double sl_se, ab_se, asa_se; /* their standard errors */
} est;

/* One reason (tracking) with the given handling and patience, the desk
 * open all day with a flat profile. */
static void one_reason(zs_calls *c, double aht, double cv, int expo, double patience)
{
    zs_calls_defaults(c);
    c->open_interval = 0;
    c->close_interval = NI;
    for (int k = 0; k < ZS_CALL_REASONS; k++) {
        c->reason[k].rate = 0;
        for (int i = 0; i < NI; i++)
            c->reason[k].profile[i] = 1.0 / NI;
    }
    zs_call_params *p = &c->reason[ZS_CALL_TRACKING];
    p->rate = 1;
    p->aht_s = aht;
    p->aht_cv = cv;
    p->handling_exp = expo;
    p->patience_s = patience;
}

/* reps days with Poisson(mean[i]) calls in interval i and agents[i]
 * agents; per day the service level, abandonment and ASA over intervals
 * [from, to), then their means and standard errors over days. */
static est run(const zs_calls *c, const double *mean, const int32_t *agents, int reps, int from, int to,
               uint64_t seed)
{
    gsl_rng *r = zs_rng_create();
    zs_callq_ws *ws = zs_callq_ws_create(20000, 200);
    double s[3] = {0}, s2[3] = {0};
    uint32_t counts[ZS_CALL_REASONS * NI];
    zs_err err;
    for (int d = 0; d < reps; d++) {
        memset(counts, 0, sizeof counts);
        zs_rng_rekey(r, zs_rng_key(seed, (uint64_t)d, 0, 1, ZS_PURPOSE_CALLS));
        for (int i = 0; i < NI; i++)
            counts[ZS_CALL_TRACKING * NI + i] = mean[i] > 0 ? gsl_ran_poisson(r, mean[i]) : 0;
        zs_rng_rekey(r, zs_rng_key(seed, (uint64_t)d, 0, 2, ZS_PURPOSE_CALLS));
        zs_callq_day day;
        zs_callq_simulate_day(c, counts, agents, 20, r, ws, &day, &err);
        double off = 0, within = 0, ab = 0, ans = 0, w = 0;
        for (int i = from; i < to; i++) {
            off += day.offered[i];
            within += day.within[i];
            ab += day.abandoned[i];
            ans += day.answered[i];
            w += day.wait_s[i];
        }
        double v[3] = {within / off, ab / off, w / ans};
        for (int q = 0; q < 3; q++) {
            s[q] += v[q];
            s2[q] += v[q] * v[q];
        }
    }
    est e;
    double m[3], se[3];
    for (int q = 0; q < 3; q++) {
        m[q] = s[q] / reps;
        se[q] = sqrt((s2[q] / reps - m[q] * m[q]) / (reps - 1));
    }
    e.sl = m[0], e.ab = m[1], e.asa = m[2];
    e.sl_se = se[0], e.ab_se = se[1], e.asa_se = se[2];
    zs_callq_ws_free(ws);
    gsl_rng_free(r);
    return e;
}

int main(void)
{
    gsl_set_error_handler_off();
    zs_err err;
    zs_calls c;
    double mean[NI];
    int32_t agents[NI];
    for (int i = 0; i < NI; i++)
        mean[i] = 100;
    enum { REPS = 300 };
    /* Stationary intervals: 100 calls per half hour, exponential handling
     * of 180 s, exponential patience of 180 s; the first 2 hours are the
     * warm-up (the day starts with an empty queue). */
    int ns[] = {9, 10, 12};
    for (int q = 0; q < 3; q++) {
        one_reason(&c, 180, 0, 1, 180);
        for (int i = 0; i < NI; i++)
            agents[i] = ns[q];
        est e = run(&c, mean, agents, REPS, 4, NI, 11);
        zs_erlang_perf pf;
        zs_erlang_perf_eval(ns[q], 100.0 / 1800, 180, 180, 20, &pf, &err);
        /* 3 standard errors: a 99.7% interval around the simulation mean */
        CHECK(fabs(e.sl - pf.service) <= 3 * e.sl_se,
              "Erlang A, %d agents: service level %.4f +- %.4f (sim) vs %.4f", ns[q], e.sl, 3 * e.sl_se, pf.service);
        CHECK(fabs(e.ab - pf.p_abandon) <= 3 * e.ab_se,
              "Erlang A, %d agents: abandonment %.4f +- %.4f (sim) vs %.4f", ns[q], e.ab, 3 * e.ab_se, pf.p_abandon);
        CHECK(fabs(e.asa - pf.asa_s) <= 3 * e.asa_se,
              "Erlang A, %d agents: ASA %.2f +- %.2f s (sim) vs %.2f s", ns[q], e.asa, 3 * e.asa_se, pf.asa_s);
    }
    /* Erlang C: callers never hang up. */
    one_reason(&c, 180, 0, 1, 0);
    for (int i = 0; i < NI; i++)
        agents[i] = 14;
    est ec = run(&c, mean, agents, REPS, 4, NI, 12);
    CHECK(fabs(ec.sl - 0.8884) <= 3 * ec.sl_se, "Erlang C, 14 agents: service level %.4f +- %.4f (sim) vs 0.8884",
          ec.sl, 3 * ec.sl_se);
    CHECK(fabs(ec.asa - 7.83) <= 3 * ec.asa_se, "Erlang C, 14 agents: ASA %.2f +- %.2f s (sim) vs 7.83 s", ec.asa,
          3 * ec.asa_se);
    CHECK(ec.ab == 0, "Erlang C: nobody hangs up");

    /* Where Erlang does not hold.  Lognormal handling of the same mean,
     * callers who never hang up, 12 agents for 10 Erlangs: with cv 2 the
     * queue waits far longer than Erlang C predicts (waits grow with
     * (1 + cv^2) / 2 in heavy traffic), with cv 0.5 shorter. */
    zs_erlang_perf pa;
    zs_erlang_perf_eval(12, 100.0 / 1800, 180, 0, 20, &pa, &err);
    for (int i = 0; i < NI; i++)
        agents[i] = 12;
    one_reason(&c, 180, 2.0, 0, 0);
    est e2 = run(&c, mean, agents, REPS, 4, NI, 13);
    CHECK(e2.asa > pa.asa_s + 3 * e2.asa_se && e2.sl < pa.service - 3 * e2.sl_se,
          "lognormal handling, cv 2: ASA %.1f s vs Erlang C %.1f s, service %.3f vs %.3f", e2.asa, pa.asa_s, e2.sl,
          pa.service);
    one_reason(&c, 180, 0.5, 0, 0);
    est e3 = run(&c, mean, agents, REPS, 4, NI, 13);
    CHECK(e3.asa < pa.asa_s - 3 * e3.asa_se && e3.sl > pa.service + 3 * e3.sl_se,
          "lognormal handling, cv 0.5: ASA %.1f s vs Erlang C %.1f s, service %.3f vs %.3f", e3.asa, pa.asa_s,
          e3.sl, pa.service);

    /* Time-varying arrivals: long calls (15 min), 30 calls per half hour,
     * a surge to 150 from 8:00 to 16:00, each interval staffed by Erlang A
     * for its own rate as if it were stationary.  When the surge starts
     * the new agents find an empty queue and do better than Erlang says;
     * when it ends the agents who stay are still busy with the surge's
     * long calls, and the first quiet half hour falls short. */
    one_reason(&c, 900, 0, 1, 300);
    zs_erlang_opts o;
    zs_erlang_opts_defaults(&o);
    o.patience_s = 300;
    double sl_hi = 0, sl_lo = 0;
    for (int i = 0; i < NI; i++) {
        mean[i] = i >= 16 && i < 32 ? 150 : 30;
        zs_erlang_need nd;
        zs_erlang_agents(mean[i], 1800, 900, &o, &nd, &err);
        agents[i] = nd.agents;
        if (i == 16)
            sl_hi = nd.perf.service;
        if (i == 32)
            sl_lo = nd.perf.service;
    }
    est up = run(&c, mean, agents, REPS, 16, 17, 14);
    CHECK(up.sl > sl_hi + 3 * up.sl_se, "surge 30 -> 150 calls (%d -> %d agents): its first half hour %.3f +- %.3f, "
          "Erlang A says %.3f", agents[15], agents[16], up.sl, 3 * up.sl_se, sl_hi);
    est down = run(&c, mean, agents, REPS, 32, 33, 14);
    CHECK(down.sl < sl_lo - 3 * down.sl_se, "surge ends 150 -> 30 calls (%d -> %d agents): first quiet half hour "
          "%.3f +- %.3f, Erlang A says %.3f", agents[31], agents[32], down.sl, 3 * down.sl_se, sl_lo);
    est mid = run(&c, mean, agents, REPS, 26, 32, 14);
    CHECK(fabs(mid.sl - sl_hi) <= 3 * mid.sl_se, "five hours into the surge it is stationary: %.3f +- %.3f vs %.3f",
          mid.sl, 3 * mid.sl_se, sl_hi);

    /* Keyed draws: the same key gives the same day; more agents see the
     * same callers. */
    one_reason(&c, 180, 0.8, 0, 180);
    zs_callq_ws *ws = zs_callq_ws_create(20000, 50);
    gsl_rng *r = zs_rng_create();
    uint32_t counts[ZS_CALL_REASONS * NI] = {0};
    for (int i = 0; i < NI; i++) {
        counts[ZS_CALL_TRACKING * NI + i] = 90;
        counts[ZS_CALL_OUTBOUND * NI + i] = 7;
        agents[i] = 9;
    }
    zs_callq_day d1, d2, d3;
    zs_rng_rekey(r, 5);
    CHECK(zs_callq_simulate_day(&c, counts, agents, 20, r, ws, &d1, &err) == ZS_OK, "a day simulates");
    zs_rng_rekey(r, 5);
    zs_callq_simulate_day(&c, counts, agents, 20, r, ws, &d2, &err);
    CHECK(memcmp(&d1, &d2, sizeof d1) == 0, "the same key gives the same day");
    for (int i = 0; i < NI; i++)
        agents[i] = 11;
    zs_rng_rekey(r, 5);
    zs_callq_simulate_day(&c, counts, agents, 20, r, ws, &d3, &err);
    double a1 = 0, a3 = 0, w1 = 0, w3 = 0;
    int same_offered = 1;
    for (int i = 0; i < NI; i++) {
        same_offered &= d1.offered[i] == d3.offered[i] && d1.offered[i] == 90;
        a1 += d1.abandoned[i];
        a3 += d3.abandoned[i];
        w1 += d1.within[i];
        w3 += d3.within[i];
    }
    CHECK(same_offered, "outbound calls are not queued; callers do not depend on staffing");
    CHECK(a3 < a1 && w3 > w1, "two more agents: fewer hang up (%g < %g), more answered in time", a3, a1);
    for (int i = 0; i < NI; i++)
        agents[i] = i < 20 ? 0 : 11;
    zs_rng_rekey(r, 5);
    zs_callq_simulate_day(&c, counts, agents, 20, r, ws, &d3, &err);
    CHECK(d3.answered[0] == 0 && d3.abandoned[0] == 90, "nobody on duty: every caller hangs up");
    agents[3] = 51;
    CHECK(zs_callq_simulate_day(&c, counts, agents, 20, r, ws, &d3, &err) == ZS_EINVAL, "more agents than the workspace");
    CHECK_CONTAINS(err.msg, "51 agents; the workspace holds 50", "agents message");
    agents[3] = -1;
    CHECK(zs_callq_simulate_day(&c, counts, agents, 20, r, ws, &d3, &err) == ZS_EINVAL, "negative agents rejected");
    zs_callq_ws_free(ws);
    ws = zs_callq_ws_create(100, 50);
    agents[3] = 11;
    CHECK(zs_callq_simulate_day(&c, counts, agents, 20, r, ws, &d3, &err) == ZS_EINVAL, "more calls than the workspace");
    zs_callq_ws_free(ws);
    gsl_rng_free(r);
    return zs_test_done();
}
