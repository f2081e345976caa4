/*
 * engine/pipeline/staffing_run.c -- staffing for every plan of a run (see
 * staffing_run.h).
 */
#include "pipeline/staffing_run.h"

#include "models/alloc.h"

void zs_staffing_run_free(size_t n, zs_staffing_report **reps)
{
    for (size_t i = 0; reps && i < n; i++)
        zs_staffing_report_free(reps[i]);
    zs_free(reps);
}

zs_status zs_staffing_run(const zs_scenario *sc, const zs_points *pts, const double *w,
                          const double depot[2], const zs_partition *const *plans,
                          const zs_sim_result *const *sims, const int64_t *day_number,
                          zs_staffing_report ***out, zs_err *err)
{
    *out = NULL;
    size_t n = sc->n_plans;
    zs_staffing_report **reps = zs_calloc(n ? n : 1, sizeof *reps);
    if (!reps)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < n; i++) {
        if (!sims[i])
            continue;
        zs_staffing_input in = {
            .sim = sims[i], .day_number = day_number, .demand = &sc->demand,
            .shift_min = zs_scenario_shift_min(sc), .stops_per_hour = sc->eff.stops_per_hour,
            .part = plans[i], .x = pts->x, .y = pts->y, .w = w, .depot = depot,
        };
        zs_status st = zs_staffing_plan(&in, &sc->staffing, &reps[i], err);
        if (st != ZS_OK) {
            zs_err_prefix(err, "plan '%s'", sc->plans[i].name);
            zs_staffing_run_free(n, reps);
            return st;
        }
    }
    *out = reps;
    return ZS_OK;
}
