/*
 * engine/pipeline/service_run.h -- the service desk for every plan of a
 * scenario run: the step engine/pipeline/run.c takes after the simulation
 * when the scenario has a service section.
 */
#ifndef ZS_ENGINE_SERVICE_RUN_H
#define ZS_ENGINE_SERVICE_RUN_H

#include "pipeline/scenario.h"
#include "staffing/service.h"

/* Computes zs_service_plan for each of sc's plans from its simulation
 * sims[i] (plans without one get NULL) with the scenario's service
 * options, demand events and seed.  *out: sc->n_plans reports (the
 * caller's; zs_service_run_free).  Errors carry the plan's name. */
zs_status zs_service_run(const zs_scenario *sc, const zs_sim_result *const *sims,
                         const int64_t *day_number, zs_service_report ***out, zs_err *err);
void zs_service_run_free(size_t n, zs_service_report **reps);

#endif
