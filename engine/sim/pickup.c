/*
 * engine/sim/pickup.c -- pickup requests of a zone-day: drawn, and the
 * round that collects them (engine/sim/sim_internal.h; the policy is
 * described at the top of sim.c).  Shared by the single-scan day (sim.c)
 * and the station's day (day.c).
 */
#include <math.h>

#include "models/alloc.h"
#include "sim/sim_internal.h"

/* Room for at least need requests in t; ZS_ENOMEM when out of memory. */
static zs_status pickup_reserve(thread_ws *t, size_t need)
{
    if (need <= t->pk_cap)
        return ZS_OK;
    size_t cap = t->pk_cap ? t->pk_cap : 64;
    while (cap < need)
        cap *= 2;
    size_t *a = zs_realloc(t->pk_pt, cap * sizeof *a);
    if (a)
        t->pk_pt = a;
    double *b = zs_realloc(t->pk_rel, cap * sizeof *b);
    if (b)
        t->pk_rel = b;
    uint8_t *c = zs_realloc(t->pk_done, cap * sizeof *c);
    if (c)
        t->pk_done = c;
    uint8_t *e = zs_realloc(t->pk_in, cap * sizeof *e); /* the day model's */
    if (e)
        t->pk_in = e;
    if (!a || !b || !c || !e)
        return ZS_ENOMEM;
    t->pk_cap = cap;
    return ZS_OK;
}

zs_status zs_sim_draw_pickups(const zs_sim_input *in, thread_ws *t, const size_t *mem,
                              size_t nm, uint64_t rep, uint64_t day, double factor,
                              size_t *count)
{
    size_t np = 0;
    *count = 0;
    for (size_t j = 0; j < nm; j++) {
        size_t i = mem[j];
        uint32_t c = zs_demand_draw_pickups(in->demand, in->seed, rep, day, i, factor, t->rng);
        if (c == 0)
            continue;
        if (pickup_reserve(t, np + c) != ZS_OK)
            return ZS_ENOMEM;
        for (uint32_t q = 0; q < c; q++) {
            t->pk_pt[np] = i;
            t->pk_rel[np] = zs_demand_draw_release(t->rng, in->pickup_from_min, in->pickup_to_min);
            t->pk_done[np++] = 0;
        }
    }
    *count = np;
    return ZS_OK;
}

void zs_sim_pickup_round(const zs_sim_input *in, thread_ws *t, size_t np,
                         const zs_efficiency *eff, double pace, double slow, double limit,
                         const zs_net_legs *L, size_t *pos, double *clock, double *px,
                         double *py, double *ldist, double *lrdist, double *lroad,
                         double v[ZS_M_COUNT])
{
    const zs_points *pts = in->points;
    double deadline_shift = in->shift_min;
    size_t left = 0; /* np in the single-scan day; fewer after insertions */
    for (size_t q = 0; q < np; q++)
        left += !t->pk_done[q];
    while (left > 0) {
        size_t best = np;
        double bd = HUGE_VAL, next = HUGE_VAL;
        for (size_t q = 0; q < np; q++) {
            if (t->pk_done[q])
                continue;
            if (t->pk_rel[q] > *clock) {
                if (t->pk_rel[q] < next)
                    next = t->pk_rel[q];
                continue;
            }
            size_t i = t->pk_pt[q];
            double d = L ? zs_net_leg_eq((void *)L, *pos, i)
                         : hypot(pts->x[i] - *px, pts->y[i] - *py);
            if (d < bd) {
                bd = d;
                best = q;
            }
        }
        if (best == np) {
            /* Nothing released yet: wait for the next release. */
            if (next > limit)
                break;
            v[ZS_M_PICKUP_MIN] += next - *clock;
            *clock = next;
            continue;
        }
        size_t i = t->pk_pt[best];
        double rf = pts->road ? pts->road[i] : 1.0;
        double arrive = *clock + zs_efficiency_travel_min(eff, bd * rf) * slow * pace;
        if (arrive > limit)
            break;
        *clock = arrive;
        *ldist += bd;
        *lrdist += bd * rf;
        if (L) {
            *lroad += zs_net_leg_road((void *)L, *pos, i);
            *pos = i;
        }
        *px = pts->x[i];
        *py = pts->y[i];
        for (size_t q = 0; q < np; q++) {
            if (t->pk_done[q] || t->pk_pt[q] != i || t->pk_rel[q] > arrive)
                continue;
            t->pk_done[q] = 1;
            if (in->pickup_trace)
                in->pickup_trace(in->pickup_trace_ctx, i, t->pk_rel[q], arrive);
            left--;
            double due = in->pickup_promise_min > 0.0 ? t->pk_rel[q] + in->pickup_promise_min
                                                      : deadline_shift;
            if (arrive > due)
                v[ZS_M_PICKUPS_LATE] += 1.0;
            double service = in->pickup_min * pace;
            *clock += service;
            v[ZS_M_PICKUP_MIN] += service;
        }
    }
    v[ZS_M_PICKUPS_MISSED] += (double)left;
}
