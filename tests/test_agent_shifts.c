/* Tests of engine/staffing/agent_shifts: tour generation, the integer
 * program against exhaustive enumeration on small instances, a week of
 * Erlang requirements, temporaries, and impossible requirements. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "staffing/agent_shifts.h"
#include "staffing/erlang.h"
#include "check.h"

#define NI ZS_CALL_INTERVALS

/* The cheapest cover by trying every vector of tour counts in 0..umax
 * (no optimal plan uses a tour more often than the largest requirement:
 * one copy fewer would still cover).  HUGE_VAL when none covers. */
static double brute(const zs_shift_opts *o, const int32_t *req)
{
    zs_tour *t;
    size_t nt;
    zs_err err;
    zs_shift_tours(o, &t, &nt, &err);
    int umax = 0;
    for (int q = 0; q < o->days * NI; q++)
        umax = req[q] > umax ? req[q] : umax;
    int *x = calloc(nt, sizeof *x);
    double best = HUGE_VAL;
    for (;;) {
        int nft = 0, npt = 0, ok = 1;
        double cost = 0;
        int ntmp[7] = {0};
        for (size_t k = 0; k < nt; k++) {
            cost += x[k] * t[k].cost;
            nft += t[k].kind == ZS_TOUR_FULL ? x[k] : 0;
            npt += t[k].kind == ZS_TOUR_PART ? x[k] : 0;
            if (t[k].kind == ZS_TOUR_TEMP)
                ntmp[t[k].first_day] += x[k];
        }
        if (o->ft_max && nft > o->ft_max)
            ok = 0;
        if (o->pt_max && npt > o->pt_max)
            ok = 0;
        for (int d = 0; d < o->days; d++)
            ok &= ntmp[d] <= o->temp_max;
        for (int q = 0; q < o->days * NI && ok && cost < best; q++) {
            int cov = 0;
            for (size_t k = 0; k < nt; k++)
                cov += x[k] * zs_tour_covers(o, &t[k], q / NI, q % NI);
            ok = cov >= req[q];
        }
        if (ok && cost < best)
            best = cost;
        size_t k = 0;
        while (k < nt && x[k] == umax)
            x[k++] = 0;
        if (k == nt)
            break;
        x[k]++;
    }
    free(x);
    zs_free(t);
    return best;
}

/* A small desk: open 8:00-10:30 (5 half hours). */
static void small(zs_shift_opts *o)
{
    zs_shift_opts_defaults(o);
    o->open_interval = 16;
    o->close_interval = 21;
    o->time_limit_s = 10;
}

int main(void)
{
    zs_err err;
    zs_shift_opts o;
    zs_shift_opts_defaults(&o);
    CHECK(zs_shift_opts_validate(&o, &err) == ZS_OK, "defaults are valid");
    zs_tour *t;
    size_t nt;
    CHECK(zs_shift_tours(&o, &t, &nt, &err) == ZS_OK, "tours generate");
    /* 26 half hours: 9 full-time starts x 4 break starts x 7 day-off
     * patterns + 19 part-time starts x 7 patterns; no temporaries. */
    CHECK(nt == 9 * 4 * 7 + 19 * 7, "default tours: %zu = 252 full-time + 133 part-time", nt);
    int cov = 0, days_on = 0;
    for (int d = 0; d < 7; d++) {
        int any = 0;
        for (int i = 0; i < NI; i++) {
            cov += zs_tour_covers(&o, &t[0], d, i);
            any |= zs_tour_covers(&o, &t[0], d, i);
        }
        days_on += any;
    }
    CHECK(cov == 5 * 16 && days_on == 5, "a full-time tour: 5 days of 8 h on the phones (9 h with the break)");
    CHECK(t[0].brk == 16 + 7 && !zs_tour_covers(&o, &t[0], 0, 23) && !zs_tour_covers(&o, &t[0], 0, 24) &&
              zs_tour_covers(&o, &t[0], 0, 25),
          "the break takes its two half hours off the phones");
    CHECK(t[0].cost == 45, "a full-time week costs 5 x 9 paid hours");
    zs_free(t);
    o.ft_len = 30;
    CHECK(zs_shift_opts_validate(&o, &err) == ZS_EINVAL, "a shift longer than the desk hours rejected");
    CHECK_CONTAINS(err.msg, "service.shifts.ft_len = 30; must be in 1..26 (the desk hours)", "names field and limit");
    zs_shift_opts_defaults(&o);
    o.break_to = 20;
    CHECK(zs_shift_opts_validate(&o, &err) == ZS_EINVAL, "a break window past the shift rejected");

    /* Exhaustive enumeration: random requirements on small desks. */
    uint64_t seed = 12345;
    int agree = 0, tried = 0;
    for (int inst = 0; inst < 12; inst++) {
        small(&o);
        int32_t req[7 * NI] = {0};
        switch (inst % 3) {
        case 0: /* one day, full-timers with a break, part-timers */
            o.days = 1, o.ft_days = 1, o.ft_len = 4, o.break_len = 1, o.break_from = 1, o.break_to = 2;
            o.pt_len = 2, o.pt_days = 1, o.ft_max = inst % 2 ? 1 : 0;
            break;
        case 1: /* two days, no part-timers, temporaries */
            o.days = 2, o.ft_days = 1, o.ft_len = 3, o.break_len = 0;
            o.pt_len = 0, o.temp_len = 2, o.temp_max = 1;
            break;
        default: /* two days, both worked by full-timers, part-timers one day */
            o.days = 2, o.ft_days = 2, o.ft_len = 4, o.break_len = 0;
            o.pt_len = 3, o.pt_days = 1, o.pt_max = 1;
            break;
        }
        for (int d = 0; d < o.days; d++)
            for (int i = o.open_interval; i < o.close_interval; i++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                req[d * NI + i] = (int32_t)((seed >> 33) % 3);
            }
        double want = brute(&o, req);
        zs_shift_plan *p;
        if (zs_shift_solve(req, &o, &p, &err) != ZS_OK) {
            CHECK(0, "instance %d solves: %s", inst, err.msg);
            continue;
        }
        tried++;
        if (isinf(want))
            agree += p->status == ZS_MIP_INFEASIBLE;
        else
            agree += p->status == ZS_MIP_OPTIMAL && fabs(p->objective - want) < 1e-9;
        if (!(isinf(want) ? p->status == ZS_MIP_INFEASIBLE : fabs(p->objective - want) < 1e-9))
            printf("      instance %d: GLPK %s %g, enumeration %g\n", inst, zs_mip_status_name(p->status),
                   p->objective, want);
        zs_shift_plan_free(p);
    }
    CHECK(tried == 12 && agree == 12, "12 small instances: GLPK's optimum = exhaustive enumeration (%d agree)", agree);

    /* A week of requirements from Erlang C: 600 calls a weekday, 400 on
     * Saturday and Sunday, a morning peak; 180 s, 80% in 20 s.  GLPK does
     * not always close the gap of a full week quickly (385 tours, many
     * interchangeable): the default work limit of 300 nodes, a safety net
     * of 100 s, and the status, bound and gap must say what was proven. */
    zs_shift_opts_defaults(&o);
    o.time_limit_s = 100;
    int32_t req[7 * NI] = {0};
    long need = 0;
    for (int d = 0; d < 7; d++)
        for (int i = 16; i < 42; i++) {
            double calls = (d < 5 ? 600.0 : 400.0) / 26 * (i < 22 ? 1.5 : i < 34 ? 1.0 : 0.6);
            zs_erlang_need nd;
            zs_erlang_agents(calls, 1800, 180, NULL, &nd, &err);
            req[d * NI + i] = nd.agents;
            need += nd.agents;
        }
    zs_shift_plan *p;
    CHECK(zs_shift_solve(req, &o, &p, &err) == ZS_OK, "a week of Erlang requirements solves");
    int covered = 1;
    long sched = 0;
    for (int q = 0; q < 7 * NI; q++) {
        covered &= p->scheduled[q] >= req[q];
        sched += p->scheduled[q];
    }
    CHECK(covered, "every half hour covered");
    CHECK((p->status == ZS_MIP_OPTIMAL || p->status == ZS_MIP_GAP) && !p->timed_out,
          "status %s, objective %g, bound %g (LP %g), gap %.4f, %d nodes", p->status_text, p->objective, p->bound,
          p->lp_bound, p->gap, p->nodes);
    CHECK(p->bound >= p->lp_bound - 1e-9 && p->bound == ceil(p->bound),
          "the bound is at least the LP's, rounded up to a whole paid hour (costs 45 and 22)");
    CHECK(p->objective >= p->bound - 1e-6 && p->bound > 0 &&
              fabs(p->gap - (p->objective - p->bound) / p->objective) < 1e-9,
          "objective above its bound, gap = (objective - bound) / objective");
    CHECK(p->full_timers > 0 && p->temp_shifts == 0, "%d full-timers, %d part-timers, no temporaries (none allowed)",
          p->full_timers, p->part_timers);
    CHECK(sched >= need && p->objective >= 0.5 * need, "%ld agent half hours for %ld needed, %g paid hours", sched,
          need, p->objective);
    double total = p->cost_full + p->cost_part + p->cost_temp;
    CHECK_NEAR(total, p->objective, 1e-9, "costs by kind add up to the objective");
    double base = p->objective;
    /* The same plan whatever the clock: the work is bounded by nodes, and
     * a safety net of 1 hour or of 100 s changes nothing. */
    {
        zs_shift_opts o2 = o;
        o2.time_limit_s = 3600;
        zs_shift_plan *p2;
        CHECK(zs_shift_solve(req, &o2, &p2, &err) == ZS_OK, "the week again with a 1-hour safety net");
        int same = p2->n_chosen == p->n_chosen && p2->objective == p->objective && p2->bound == p->bound &&
                   p2->nodes == p->nodes && !strcmp(p2->status_text, p->status_text) &&
                   !memcmp(p2->scheduled, p->scheduled, 7 * NI * sizeof *p->scheduled);
        for (size_t k = 0; same && k < p->n_chosen; k++)
            same = !memcmp(&p2->chosen[k], &p->chosen[k], sizeof p->chosen[k]);
        CHECK(same, "the same tours, objective, bound and status (%s) whatever the time limit", p2->status_text);
        zs_shift_plan_free(p2);
        /* The work limit at 1 node: the LP dive and the local search alone,
         * already a plan; its gap honest against the LP bound. */
        o2.node_limit = 1;
        zs_status st1 = zs_shift_solve(req, &o2, &p2, &err);
        CHECK(st1 == ZS_OK && p2->objective >= base - 1e-9 &&
                  p2->objective <= 1.1 * base && p2->bound <= p->bound + 1e-9 && !p2->timed_out,
              "1 node: %s, %g paid hours (%g with %d nodes), bound %g", p2->status_text, p2->objective, base,
              o.node_limit, p2->bound);
        zs_shift_plan_free(p2);
        /* A relative gap of 10% asked for: GLPK stops there, and says so. */
        o2.node_limit = 1000;
        o2.mip_gap = 0.1;
        st1 = zs_shift_solve(req, &o2, &p2, &err);
        CHECK(st1 == ZS_OK && p2->gap <= 0.1 && p2->nodes < p->nodes &&
                  (!strcmp(p2->status_text, "feasible (gap)") || p2->status == ZS_MIP_OPTIMAL),
              "mip_gap 0.1: %s, gap %.3f after %d nodes", p2->status_text, p2->gap, p2->nodes);
        zs_shift_plan_free(p2);
    }
    zs_shift_plan_free(p);
    /* No time for branch-and-bound (nor, at 1 ms, for the LP): the LP
     * optimum rounded up, or a greedy cover, still gives a plan, reported
     * as stopped by the clock with what bound was proven. */
    o.time_limit_s = 0.001;
    CHECK(zs_shift_solve(req, &o, &p, &err) == ZS_OK, "1 ms: solves");
    covered = 1;
    for (int q = 0; q < 7 * NI; q++)
        covered &= p->scheduled[q] >= req[q];
    CHECK(covered && isfinite(p->objective) && p->objective >= p->bound - 1e-6 &&
              p->status == ZS_MIP_TIME_LIMIT && p->timed_out,
          "1 ms: still a plan covering the week (%s, %g paid hours, bound %g)", p->status_text, p->objective,
          p->bound);
    CHECK_CONTAINS(p->status_text, "timing-dependent", "1 ms: the status says the clock decided");
    zs_shift_plan_free(p);
    o.time_limit_s = 100;

    /* A Double-11 Monday: three times the calls.  Temporaries (1.5 per
     * hour) cover it for less than full-timers kept all week. */
    for (int i = 16; i < 42; i++)
        req[i] *= 3;
    CHECK(zs_shift_solve(req, &o, &p, &err) == ZS_OK, "the peak week without temporaries solves");
    double without = p->objective;
    zs_shift_plan_free(p);
    o.temp_max = 200;
    CHECK(zs_shift_solve(req, &o, &p, &err) == ZS_OK, "the peak week with temporaries solves");
    int tday[7] = {0}, busiest = 0;
    for (int q = 0; q < 7 * NI; q++)
        tday[q / NI] += p->temps[q];
    for (int d = 1; d < 7; d++)
        busiest = tday[d] > tday[busiest] ? d : busiest;
    CHECK(p->temp_shifts > 0 && busiest == 0,
          "temporaries mostly on the peak Monday (%d shifts; temporary half hours Mon %d, Tue %d, Sat %d)",
          p->temp_shifts, tday[0], tday[1], tday[5]);
    CHECK(p->objective < without - 1e-6 && p->objective > base,
          "cost with temporaries %g < %g without, > %g of a normal week", p->objective, without, base);
    zs_shift_plan_free(p);

    /* Impossible requirements. */
    zs_shift_opts_defaults(&o);
    memset(req, 0, sizeof req);
    req[20] = 5; /* Mon 10:00 */
    o.ft_max = 3;
    o.pt_len = 0;
    CHECK(zs_shift_solve(req, &o, &p, &err) == ZS_OK && p->status == ZS_MIP_INFEASIBLE && !p->solved,
          "5 agents from a pool of 3, no temporaries: infeasible");
    CHECK_CONTAINS(p->message, "Mon 10:00-10:30 needs 5 agents, but the pools give at most 3", "names the half hour");
    zs_shift_plan_free(p);
    memset(req, 0, sizeof req);
    req[NI + 44] = 1; /* Tue 22:00 */
    CHECK(zs_shift_solve(req, &o, &p, &err) == ZS_OK && p->status == ZS_MIP_INFEASIBLE,
          "a requirement after closing: infeasible");
    CHECK_CONTAINS(p->message, "Tue 22:00-22:30 needs 1 agents, but no shift covers it", "says no shift covers it");
    zs_shift_plan_free(p);
    /* Each half hour alone fits the pool, all together do not: 3
     * full-timers working 5 days cannot cover 3 agents on all 7 days. */
    memset(req, 0, sizeof req);
    for (int d = 0; d < 7; d++)
        req[d * NI + 20] = 3;
    CHECK(zs_shift_solve(req, &o, &p, &err) == ZS_OK && p->status == ZS_MIP_INFEASIBLE && p->solved,
          "3 agents every day from 3 five-day full-timers: GLPK proves it infeasible");
    CHECK_CONTAINS(p->message, "not all together", "says so");
    zs_shift_plan_free(p);
    memset(req, 0, sizeof req);
    CHECK(zs_shift_solve(req, &o, &p, &err) == ZS_OK && p->status == ZS_MIP_OPTIMAL && p->objective == 0,
          "no requirement: the empty plan");
    zs_shift_plan_free(p);
    req[5] = -1;
    CHECK(zs_shift_solve(req, &o, &p, &err) == ZS_EINVAL, "a negative requirement rejected");
    CHECK_CONTAINS(err.msg, "requirement of Mon 02:30 = -1", "names day and time");
    return zs_test_done();
}
