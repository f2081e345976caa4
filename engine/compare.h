/*
 * engine/compare.h -- the method comparison study (`zonesim compare`).
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

#include "../models/status.h"
#include "scenario.h"

/* The metrics of each row, in table order. */
typedef enum {
    ZS_CM_K,              /* zones */
    ZS_CM_SSE_KM2,        /* sum of squared distances to the own centre, km^2 */
    ZS_CM_WDIST_KM,       /* sum of workload x distance to the own centre, min/day x km */
    ZS_CM_WORK_MAXMIN,    /* largest / smallest zone workload */
    ZS_CM_WORK_CV,        /* coefficient of variation of zone workloads */
    ZS_CM_WORK_MAXDEV,    /* largest |W_z - mean| / mean */
    ZS_CM_BALANCE_MET,    /* 1 when every zone is within the plan's tolerance */
    ZS_CM_TOUR_TOTAL_KM,  /* sum of estimated zone tours from the depot, km */
    ZS_CM_TOUR_MAX_KM,    /* longest zone tour, km */
    ZS_CM_ITERATIONS,     /* method iterations (Lloyd, price rounds) */
    ZS_CM_RUNTIME_S,      /* wall time of the method */
    ZS_CM_COUNT
} zs_compare_metric;

/* "k", "sse_km2", ... (CSV column and HDF5 dataset names). */
const char *zs_compare_metric_name(zs_compare_metric m);

typedef struct {
    uint32_t instance, plan, seed_index;
    uint64_t seed;       /* the plan's seed on this row (0 for manual plans) */
    double v[ZS_CM_COUNT];
} zs_compare_row;

typedef struct {
    double n, mean, sd, min, max;
} zs_compare_stat;

typedef struct {
    size_t n_instances, n_seeds, n_plans;
    char **plan_name, **plan_method;   /* n_plans each */
    size_t n_rows;
    zs_compare_row *rows;              /* instance-major, then plan, then seed */
    zs_compare_stat *stat;             /* [plan][metric] */
    size_t *n_points;                  /* per instance */
    size_t *auto_k;                    /* per instance: the capacity rule's k */
} zs_compare;

/* Called after each instance (done of total), or NULL. */
typedef void (*zs_compare_progress_fn)(void *ctx, size_t done, size_t total);

/* Runs the study of sc.  Errors are those of loading points and making
 * plans (they name the plan and, for generated cities, the instance). */
zs_status zs_compare_run(const zs_scenario *sc, zs_compare_progress_fn progress, void *ctx,
                         zs_compare **out, zs_err *err);
void zs_compare_free(zs_compare *c);

/* Aligned terminal table: one line per plan, "mean +- sd" of the main
 * metrics (runtime in ms). */
void zs_compare_print(FILE *f, const zs_compare *c);

/* CSV files (each via a .tmp + rename): rows (instance, plan, method,
 * seed_index, seed, then every metric) and the summary (plan, method,
 * metric, n, mean, sd, min, max). */
zs_status zs_compare_write_csv(const zs_compare *c, const char *rows_path,
                               const char *summary_path, zs_err *err);

/* The HDF5 file with group /compare (engine/h5compare.c); layout in
 * results/README.md. */
zs_status zs_compare_write_h5(const zs_compare *c, const zs_scenario *sc, const char *path,
                              zs_err *err);

#endif
