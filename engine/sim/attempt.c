/*
 * engine/sim/attempt.c -- one delivery attempt at a stop
 * (engine/sim/sim_internal.h), shared by the single-scan day (sim.c) and
 * the station's day (day.c).
 */
#include "models/rng.h"
#include "sim/sim_internal.h"

double zs_sim_attempt(const zs_sim_input *in, gsl_rng *rng, const zs_efficiency *eff,
                      uint64_t rep, uint64_t day, uint64_t key, size_t i, double clock,
                      uint32_t due, double deadline, double v[ZS_M_COUNT],
                      zs_sign_outcome *outcome, int *late)
{
    const zs_points *pts = in->points;
    double wait = 0.0;
    zs_sign_outcome out = ZS_SIGN_OK;
    *late = 0;
    if (in->waiting) {
        zs_rng_rekey(rng, zs_rng_key(in->seed, rep, day, key, ZS_PURPOSE_WAITING));
        wait = zs_waiting_draw(in->waiting, pts->type[i], rng);
    }
    if (in->signing) {
        /* The attempt happens at the clock time of arrival. */
        zs_rng_rekey(rng, zs_rng_key(in->seed, rep, day, key, ZS_PURPOSE_SIGNING));
        out = zs_signing_draw_at(in->signing, pts->type[i], in->shift_start_min + clock, rng);
    }
    double service = eff->access_min[pts->type[i]];
    v[ZS_M_PARCELS] += due;
    if (out == ZS_SIGN_OK) {
        service += zs_efficiency_stop_min(eff, pts->type[i], due) + wait;
        v[ZS_M_WAIT_MIN] += wait;
        v[ZS_M_DELIVERED] += due;
        /* Late against the promise unless the type may wait all day. */
        if (clock > deadline && !zs_ptype_end_of_day_ok(pts->type[i])) {
            v[ZS_M_LATE] += due;
            *late = 1;
        }
    } else {
        service += zs_efficiency_service_min(eff, 1.0, 0.0) + in->signing->call_min;
        v[ZS_M_FAILED_STOPS] += 1.0;
        if (out == ZS_SIGN_LOCKER)
            v[ZS_M_LOCKER] += due;
        else if (out == ZS_SIGN_REFUSED)
            v[ZS_M_RETURNED] += due;
        else
            v[ZS_M_CARRIED] += due;
    }
    *outcome = out;
    return service;
}
