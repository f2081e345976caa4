/*
 * engine/pipeline/service_run.c -- the service desk for every plan of a
 * run (see service_run.h).
 */
#include "pipeline/service_run.h"

#include "models/alloc.h"

void zs_service_run_free(size_t n, zs_service_report **reps)
{
    for (size_t i = 0; reps && i < n; i++)
        zs_service_report_free(reps[i]);
    zs_free(reps);
}

zs_status zs_service_run(const zs_scenario *sc, const zs_sim_result *const *sims,
                         const int64_t *day_number, zs_service_report ***out, zs_err *err)
{
    *out = NULL;
    size_t n = sc->n_plans;
    zs_service_report **reps = zs_calloc(n ? n : 1, sizeof *reps);
    if (!reps)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < n; i++) {
        if (!sims[i])
            continue;
        zs_service_input in = {sims[i], day_number, &sc->demand, sc->seed};
        zs_status st = zs_service_plan(&in, &sc->service, &reps[i], err);
        if (st != ZS_OK) {
            zs_err_prefix(err, "plan '%s': service desk", sc->plans[i].name);
            zs_service_run_free(n, reps);
            return st;
        }
    }
    *out = reps;
    return ZS_OK;
}
