/*
 * engine/pipeline/compare.h -- the method comparison study (`zonesim compare`).
 *
 * A study is a scenario with a `study:` section: its plans (methods and
 * their options) are made on each instance of its points (study.instances
 * generated cities, points.generate.seed, +1, ...; or the one points file)
 * with study.seeds seeds each (plans[].seed, +1, ...), and every plan is
 * measured with zs_plan_metrics (engine/partition/metrics.h) on the
 * workload index of the scenario's models.  A manual plan (the planner's
 * zoning) and the exact p-median (pmedian-ip) do not depend on a seed and
 * are measured once per instance.
 *
 * The result holds one row per (instance, plan, seed) and, per plan and
 * metric, the count, mean, sample standard deviation, minimum and maximum
 * over its rows.  Everything but runtime_s is a function of the scenario
 * text alone: the same study gives the same table, bit for bit, for any
 * thread count.
 */
#ifndef ZS_ENGINE_COMPARE_H
#define ZS_ENGINE_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/status.h"
#include "pipeline/scenario.h"
#include "results/compare_table.h"

/* Called after each instance (done of total), or NULL. */
typedef void (*zs_compare_progress_fn)(void *ctx, size_t done, size_t total);

/* Runs the study of sc.  Errors are those of loading points and making
 * plans (they name the plan and, for generated cities, the instance). */
zs_status zs_compare_run(const zs_scenario *sc, zs_compare_progress_fn progress, void *ctx,
                         zs_compare **out, zs_err *err);

#endif
