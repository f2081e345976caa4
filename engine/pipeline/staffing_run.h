/*
 * engine/pipeline/staffing_run.h -- staffing for every plan of a scenario run: the
 * step engine/run.c takes after the simulation when the scenario has a
 * staffing section (and `zonesim staff SCENARIO` forces).
 */
#ifndef ZS_ENGINE_STAFFING_RUN_H
#define ZS_ENGINE_STAFFING_RUN_H

#include "pipeline/scenario.h"
#include "staffing/staffing.h"

/* Computes zs_staffing_plan for each of sc's n plans from its simulation
 * sims[i] (plans without one get NULL), with the scenario's rules, demand,
 * shift and capacity rate; the points pts with workload index w (for the
 * nested zones) and the depot.  *out: n reports (the caller's; free with
 * zs_staffing_run_free).  Errors carry the plan's name. */
zs_status zs_staffing_run(const zs_scenario *sc, const zs_points *pts, const double *w,
                          const double depot[2], const zs_partition *const *plans,
                          const zs_sim_result *const *sims, const int64_t *day_number,
                          zs_staffing_report ***out, zs_err *err);
void zs_staffing_run_free(size_t n, zs_staffing_report **reps);

#endif
