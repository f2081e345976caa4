/*
 * engine/run.h -- the pipeline: scenario -> points -> plans -> simulation
 * -> summaries -> results file.
 *
 * Owns nothing beyond one call: every intermediate object is created and
 * freed inside zs_run_scenario.  Errors found here that belong to a place
 * in the scenario (k larger than the number of points, say) name that
 * place; errors in input files name theirs.
 */
#ifndef ZS_ENGINE_RUN_H
#define ZS_ENGINE_RUN_H

#include <stddef.h>

#include "../models/status.h"
#include "scenario.h"
#include "sim.h"

typedef struct {
    const char *output; /* results path; NULL = the scenario's output */
    int threads;        /* -1 = the scenario's; 0 = OpenMP default; > 0 exact */
    zs_progress_fn progress; /* replications done (see engine/sim.h); NULL = none */
    void *progress_ctx;
} zs_run_opts;

/* What a run did, for the command line to report. */
typedef struct {
    size_t n_points;
    double expected_stops;  /* expected stops on the mean weekday */
    size_t auto_k;          /* capacity-rule zone count */
    int threads;            /* threads used by the simulation */
    double seconds_plans, seconds_sim, seconds_write;
    char output[4096];      /* the results file written */
} zs_run_info;

/* output NULL, threads -1. */
void zs_run_opts_defaults(zs_run_opts *o);

/* Runs the scenario and writes its results file.  info may be NULL. */
zs_status zs_run_scenario(const zs_scenario *sc, const zs_run_opts *opts, zs_run_info *info,
                          zs_err *err);

/* Loads or generates the scenario's points and places the depot (metres).
 * *out is owned by the caller. */
zs_status zs_run_load_points(const zs_scenario *sc, zs_points **out, double depot[2],
                             zs_err *err);

/* Makes plan i of the scenario from the points: a manual plan from its CSV
 * or the points' zone column, else zs_partition_solve with the plan's
 * options, k (or auto_k when the plan says auto) and the workloads.
 * Errors name the plan, and k beyond the points names the scenario place.
 * *out is the caller's. */
zs_status zs_run_make_plan(const zs_scenario *sc, size_t i, const zs_points *pts,
                           const double *workload, size_t auto_k, zs_partition **out, zs_err *err);

#endif
