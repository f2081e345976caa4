/*
 * engine/results/compare_table.h -- the comparison study's table and its
 * files (`zonesim compare`).
 *
 * engine/pipeline/compare.h runs a study and fills a zs_compare; this
 * header owns the table itself: one row per (instance, plan, seed), per
 * plan and metric the count, mean, sample standard deviation, minimum and
 * maximum over its rows, and the writers (terminal table, CSV, HDF5).
 */
#ifndef ZS_ENGINE_RESULTS_COMPARE_TABLE_H
#define ZS_ENGINE_RESULTS_COMPARE_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/status.h"

/* The metrics of each row, in table order. */
typedef enum {
    ZS_CM_K,              /* zones */
    ZS_CM_SSE_KM2,        /* sum of squared distances to the own centre, km^2 */
    ZS_CM_WDIST_KM,       /* sum of workload x distance to the own centre, min/day x km */
    ZS_CM_WORK_MAXMIN,    /* largest / smallest zone workload */
    ZS_CM_WORK_CV,        /* coefficient of variation of zone workloads */
    ZS_CM_WORK_MAXDEV,    /* largest |W_z - mean| / mean */
    ZS_CM_BALANCE_MET,    /* 1 when every zone is within the plan's tolerance */
    ZS_CM_INFEASIBLE,     /* 1 when the exact program proved the band infeasible
                             (the row is then the unbalanced optimum) */
    ZS_CM_TOUR_TOTAL_KM,  /* sum of estimated zone tours from the depot, km */
    ZS_CM_TOUR_MAX_KM,    /* longest zone tour, km */
    ZS_CM_WORK_TRAVEL_MAXDEV, /* largest deviation of work WITH travel (zone_work.h) */
    ZS_CM_ONE_PIECE,      /* share of zones that are one piece on the adjacency graph */
    ZS_CM_STRAYS,         /* points outside their zone's largest piece */
    ZS_CM_BARRIER_ZONES,  /* zones reaching across a barrier */
    ZS_CM_HULL_OVERLAP,   /* share of the zone hulls' area covered twice or more */
    ZS_CM_POLSBY_POPPER,  /* mean Polsby-Popper of the zone hulls */
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
    char notes[1024];                  /* the first instance's points notes
                                          (zs_run_points_notes), "" when none */
} zs_compare;

/* Frees a table from zs_compare_run; NULL is a no-op. */
void zs_compare_free(zs_compare *c);

/* Where the study came from, stored with its HDF5 file: the scenario's
 * text, path and name (borrowed). */
typedef struct {
    const char *text, *path, *name;
} zs_compare_source;

/* Aligned terminal table: one line per plan, "mean +- sd" of the main
 * metrics (runtime in ms). */
void zs_compare_print(FILE *f, const zs_compare *c);

/* CSV files (each via a .tmp + rename): rows (instance, plan, method,
 * seed_index, seed, then every metric) and the summary (plan, method,
 * metric, n, mean, sd, min, max). */
zs_status zs_compare_write_csv(const zs_compare *c, const char *rows_path,
                               const char *summary_path, zs_err *err);

/* The HDF5 file with group /compare (engine/results/h5compare.c); layout in
 * results/README.md. */
zs_status zs_compare_write_h5(const zs_compare *c, const zs_compare_source *src,
                              const char *path, zs_err *err);

#endif
