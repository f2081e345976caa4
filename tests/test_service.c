/* Tests of engine/staffing/service: calls from simulated drivers, the
 * requirement per half hour (Erlang on the replications' quantile, checked
 * cell by cell against the draws), event days apart from the regular week,
 * plans with more failures needing more agents, the week's shifts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "models/rng.h"
#include "staffing/service.h"
#include "check.h"

#define NI ZS_CALL_INTERVALS
#define NR ZS_CALL_REASONS

/* reps x days x 2 zones; every zone-day the same drivers, scaled by
 * factor on event day ev (none when ev < 0). */
static zs_sim_result *fake(size_t reps, size_t days, double parcels, double failed, double late,
                           long ev, double factor)
{
    zs_err err;
    zs_sim_result *s = zs_sim_result_create(reps, days, 2, 0, &err);
    for (size_t r = 0; r < reps; r++)
        for (size_t d = 0; d < days; d++)
            for (size_t z = 0; z < 2; z++) {
                size_t q = (r * days + d) * 2 + z;
                double f = (long)d == ev ? factor : 1.0;
                s->v[ZS_M_PARCELS][q] = f * parcels;
                s->v[ZS_M_FAILED_STOPS][q] = f * failed;
                s->v[ZS_M_CARRIED][q] = f * failed * 0.6;
                s->v[ZS_M_LATE][q] = f * late;
                s->v[ZS_M_PICKUPS][q] = f * 20;
            }
    return s;
}

int main(void)
{
    zs_err err;
    zs_service_opts o;
    zs_service_opts_defaults(&o);
    CHECK(zs_service_opts_validate(&o, &err) == ZS_OK, "defaults are valid");
    o.risk = 0.7;
    CHECK(zs_service_opts_validate(&o, &err) == ZS_EINVAL, "risk 0.7 rejected");
    CHECK_CONTAINS(err.msg, "service.risk = 0.7; must be in (0, 0.5]", "risk message");
    zs_service_opts_defaults(&o);
    o.calls.reason[ZS_CALL_LATE].rate = -2;
    CHECK(zs_service_opts_validate(&o, &err) == ZS_EINVAL, "the call model is validated too");
    zs_service_opts_defaults(&o);
    o.shifts.time_limit_s = 2;

    /* 14 days from Monday 2026-11-02, an event on Wednesday 11-11 (day 9)
     * at three times the volume. */
    enum { R = 40, D = 14 };
    int64_t day[D];
    zs_date d0 = {2026, 11, 2};
    for (int d = 0; d < D; d++)
        day[d] = zs_date_to_days(d0) + d;
    zs_demand_opts dem;
    memset(&dem, 0, sizeof dem);
    dem.n_events = 1;
    dem.events[0].first_day = day[9];
    dem.events[0].days = 1;
    dem.events[0].factor = 3;
    zs_sim_result *lo = fake(R, D, 600, 60, 40, 9, 3.0);
    zs_service_input in = {lo, day, &dem, 77};
    zs_service_report *a;
    CHECK(zs_service_plan(&in, &o, &a, &err) == ZS_OK, "a plan's desk computes");

    /* Calls a day: rates x drivers (2 zones). */
    double want = 0, drv[ZS_DRIVERS] = {1200, 120, 72, 80, 40};
    for (int k = 0; k < NR; k++)
        want += o.calls.reason[k].rate * drv[o.calls.reason[k].driver];
    double d0calls = 0;
    for (int q = 0; q < NR * NI; q++)
        d0calls += a->calls_mean[q];
    CHECK_NEAR(d0calls, want, 5 * sqrt(want / R), "day 0: %.1f calls, expected %.1f", d0calls, want);
    CHECK(a->peak[9] && !a->peak[8] && a->peak_day == 9, "the event day is the peak day");
    CHECK_NEAR(a->calls_peak_day / a->calls_usual_day, 3.0, 0.15, "the event triples the calls (%.2f)",
               a->calls_peak_day / a->calls_usual_day);
    CHECK(a->agents_peak > a->agents_usual, "the peak day needs more agents at its busiest half hour (%d > %d)",
          a->agents_peak, a->agents_usual);
    /* Three times the calls, not three times the agents: larger queues
     * pool better (and a quiet desk still needs its minimum). */
    CHECK(a->agent_h_peak > 1.3 * a->agent_h_usual && a->agent_h_peak < 3 * a->agent_h_usual,
          "and more agent hours, less than three times as many (%.1f vs %.1f)",
          a->agent_h_peak, a->agent_h_usual);
    CHECK(a->failed_day_mean > 120 && a->failed_day_mean < 120 * 1.2, "failed attempts a day reported (%.1f)",
          a->failed_day_mean);

    /* A cell recomputed from the draws: day 3, 10:00. */
    {
        gsl_rng *g = zs_rng_create();
        uint32_t cnt[NR * NI];
        double v[R], num = 0, den = 0, outv[R];
        int i = 20, d = 3;
        for (int r = 0; r < R; r++) {
            zs_rng_rekey(g, zs_rng_key(77, (uint64_t)r, (uint64_t)d, 0, ZS_PURPOSE_CALLS));
            zs_calls_draw_day(&o.calls, drv, NULL, g, cnt);
            v[r] = 0;
            outv[r] = 0;
            for (int k = 0; k < NR; k++) {
                double n = cnt[k * NI + i];
                if (o.calls.reason[k].outbound) {
                    outv[r] += n * o.calls.reason[k].aht_s;
                } else {
                    v[r] += n;
                    num += n * o.calls.reason[k].aht_s;
                    den += n;
                }
            }
        }
        /* 90% quantile of 40: the 36th smallest */
        for (int x = 0; x < R; x++)
            for (int y = x + 1; y < R; y++) {
                if (v[y] < v[x]) { double t = v[x]; v[x] = v[y]; v[y] = t; }
                if (outv[y] < outv[x]) { double t = outv[x]; outv[x] = outv[y]; outv[y] = t; }
            }
        zs_erlang_need nd;
        zs_erlang_agents(v[35], 1800, num / den, &o.erlang, &nd, &err);
        int expect = nd.agents + (int)ceil(outv[35] / 1800 - 1e-9);
        CHECK(a->required[d * NI + i] == expect,
              "Thu 10:00: %d agents = Erlang on the 90%% quantile (%g calls, %.0f s) + outbound (%d)",
              a->required[d * NI + i], v[35], num / den, expect);
        gsl_rng_free(g);
    }
    /* The regular week leaves the event day out. */
    int wed = 2, okw = 1;
    for (int i = 0; i < NI; i++)
        okw &= a->week[wed * NI + i] == a->required[2 * NI + i]; /* day 2, not event day 9 */
    CHECK(okw, "Wednesday's regular requirement comes from the non-event Wednesday only");
    CHECK(a->roster && (a->roster->status == ZS_MIP_OPTIMAL || a->roster->status == ZS_MIP_TIME_LIMIT ||
                        a->roster->status == ZS_MIP_GAP),
          "the regular week's shifts solve (%s, %d full-timers, %d part-timers)",
          a->roster ? zs_mip_status_name(a->roster->status) : "none", a->roster ? a->roster->full_timers : 0,
          a->roster ? a->roster->part_timers : 0);
    int cov = 1;
    for (int q = 0; q < 7 * NI && a->roster; q++)
        cov &= a->roster->scheduled[q] >= a->week[q];
    CHECK(cov, "the shifts cover the regular week");
    /* The queue simulation of the shifts: the regular shifts hold the
     * target on usual days and fall short on the event day they were not
     * built for. */
    CHECK(a->sim_service_day && a->sim_service_usual >= o.erlang.service_level,
          "simulated on the shifts: %.1f%% answered within 20 s on usual days (target 80%%), %.1f%% abandoned",
          100 * a->sim_service_usual, 100 * a->sim_abandon_usual);
    CHECK(a->sim_service_peak < a->sim_service_usual - 0.05 && a->sim_abandon_peak > a->sim_abandon_usual,
          "the event day on regular shifts: %.1f%% within 20 s, %.1f%% abandoned", 100 * a->sim_service_peak,
          100 * a->sim_abandon_peak);
    CHECK(fabs(a->sim_service_day[9] - a->sim_service_peak) < 1e-12, "per-day service level stored (day 9 = peak)");
    int closed = 1;
    for (int d = 0; d < D; d++)
        for (int i = 0; i < NI; i++)
            if (i < o.calls.open_interval || i >= o.calls.close_interval)
                closed &= a->required[d * NI + i] == 0;
    CHECK(closed, "nobody is needed while the desk is closed");

    /* A plan with twice the failures and late parcels. */
    zs_sim_result *hi = fake(R, D, 600, 120, 80, 9, 3.0);
    in.sim = hi;
    zs_service_report *b;
    o.roster = 0;
    CHECK(zs_service_plan(&in, &o, &b, &err) == ZS_OK, "the worse plan's desk computes");
    CHECK(b->calls_usual_day > a->calls_usual_day && b->agent_h_usual > a->agent_h_usual &&
              b->agents_peak >= a->agents_peak,
          "more failures: %.0f > %.0f calls, %.1f > %.1f agent hours a usual day", b->calls_usual_day,
          a->calls_usual_day, b->agent_h_usual, a->agent_h_usual);
    CHECK(!b->roster && !b->sim_service_day && isnan(b->sim_service_usual), "no roster, no simulation when not asked");
    /* Common random numbers: same drivers, same calls. */
    zs_service_report *c;
    in.sim = lo;
    zs_service_plan(&in, &o, &c, &err);
    CHECK(memcmp(c->calls_mean, a->calls_mean, D * NR * NI * sizeof *a->calls_mean) == 0 &&
              memcmp(c->required, a->required, D * NI * sizeof *a->required) == 0,
          "the same drivers give the same calls and requirement");
    /* Higher risk, fewer agents. */
    o.risk = 0.5;
    zs_service_report *e;
    zs_service_plan(&in, &o, &e, &err);
    CHECK(e->agent_h_usual <= a->agent_h_usual, "risk 0.5 needs no more than risk 0.1 (%.1f <= %.1f)",
          e->agent_h_usual, a->agent_h_usual);
    zs_free(lo->v[ZS_M_LATE]);
    lo->v[ZS_M_LATE] = NULL;
    zs_service_report *f;
    CHECK(zs_service_plan(&in, &o, &f, &err) == ZS_EINVAL, "a simulation without late parcels rejected");
    zs_service_report_free(a);
    zs_service_report_free(b);
    zs_service_report_free(c);
    zs_service_report_free(e);
    zs_sim_result_free(lo);
    zs_sim_result_free(hi);
    return zs_test_done();
}
