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

/* ---- research tables (compare_report.c; issue 19) ------------------------
 * What a paper needs beyond mean and sd: the balance target met as a
 * proportion with its Wilson score interval (not mean +- sd of 0/1 values),
 * runtimes as median and maximum (their distribution is skewed: one slow
 * instance makes the mean), and paired differences between methods on the
 * same instances and seeds with t intervals. */

/* Wilson score interval at 95% (z = 1.959964) for k successes in n trials:
 * (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = k/n; inside
 * [0, 1] and never empty at p = 0 or 1, where the normal (Wald) interval
 * collapses.  n = 0 gives NaN for both ends. */
void zs_compare_wilson(double k, double n, double *lo, double *hi);

/* Median of the plan's rows of metric m (the mean of the middle two for an
 * even count); NaN when the plan has no rows. */
double zs_compare_median(const zs_compare *c, size_t plan, zs_compare_metric m);

/* A paired difference of one metric, plan minus reference, over pairs
 * that share instance and seed index: both plans' rows on the same
 * instance and seed when both depend on a seed; when either does not (a
 * manual plan, pmedian-ip: one row per instance), per instance, the seeded
 * plan's rows averaged over its seeds first.  mean with a 95% t interval
 * [lo, hi] (t quantile with n - 1 degrees of freedom; NaN ends for n < 2). */
typedef struct {
    size_t n;
    double mean, lo, hi;
} zs_compare_paired;

/* Fills *out for plan minus ref on metric m.  ZS_EINVAL for plans out of
 * range; ZS_ENOMEM. */
zs_status zs_compare_paired_diff(const zs_compare *c, size_t plan, size_t ref,
                                 zs_compare_metric m, zs_compare_paired *out, zs_err *err);

/* The tables as files for papers (each via a .tmp + rename): Markdown
 * (pipe tables) and LaTeX (booktabs tabular in a table float; needs
 * \usepackage{booktabs}).  Both hold the per-plan table (runs, mean +- sd
 * of the main metrics, the balance share with its Wilson interval, runtime
 * median and maximum) and the paired differences of every plan against
 * the first, with a caption saying what was compared. */
zs_status zs_compare_write_markdown(const zs_compare *c, const zs_compare_source *src,
                                    const char *path, zs_err *err);
zs_status zs_compare_write_latex(const zs_compare *c, const zs_compare_source *src,
                                 const char *path, zs_err *err);

/* Prints the paired differences of every plan against the first (the
 * terminal form of the files' second table). */
void zs_compare_print_paired(FILE *f, const zs_compare *c);

/* The HDF5 file with group /compare (engine/results/h5compare.c); layout in
 * results/README.md. */
zs_status zs_compare_write_h5(const zs_compare *c, const zs_compare_source *src,
                              const char *path, zs_err *err);

#endif
