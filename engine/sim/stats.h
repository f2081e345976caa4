/*
 * engine/sim/stats.h -- summaries of simulated metrics.
 *
 * Replications are the independent units: a confidence interval for the
 * mean of a metric is built from per-replication means (Student t, 95%),
 * never from pooled zone-days, which are correlated within a replication.
 * Quantiles describe the spread of single zone-days (what a courier lives
 * through) and are pooled over every replication and day.  All reductions
 * run serially in index order, so the bits do not depend on threads.
 */
#ifndef ZS_ENGINE_STATS_H
#define ZS_ENGINE_STATS_H

#include <stddef.h>

#include "models/status.h"
#include "sim/sim.h"

typedef struct {
    double mean;          /* mean of per-replication means */
    double sd;            /* sd of per-replication means */
    double ci_lo, ci_hi;  /* 95% CI of the mean (t with reps - 1 df); = mean when reps = 1 */
    double p10, p50, p90; /* quantiles of single observations (pooled) */
    double min, max;      /* of single observations */
} zs_stat;

/* Summary of one plan. */
typedef struct {
    size_t zones;
    size_t n_metrics;          /* metrics summarised (the result's zs_sim_nm; 0 read
                                  as ZS_M_BASE_COUNT); the rest are zero */
    zs_stat *zone[ZS_M_COUNT]; /* per zone: observations are that zone's days */
    zs_stat day[ZS_M_COUNT];   /* plan total per day (sum over zones) */
    zs_stat zoneday[ZS_M_COUNT]; /* all zone-days pooled */
    double work_maxmin;        /* max / min of zones' mean work minutes */
    double work_cv;            /* coefficient of variation of zones' mean work */
    double overtime_share;     /* share of zone-days with overtime > 0 */
} zs_plan_summary;

/* The number of metrics p summarises (n_metrics, 0 read as ZS_M_BASE_COUNT). */
static inline int zs_summary_nm(const zs_plan_summary *p)
{
    return p->n_metrics ? (int)p->n_metrics : ZS_M_BASE_COUNT;
}

/* Summarises a plan's simulation result. */
zs_status zs_stats_plan(const zs_sim_result *s, zs_plan_summary **out, zs_err *err);
void zs_plan_summary_free(zs_plan_summary *p);

/* Paired difference b - a of metric m's daily plan total (sum over zones),
 * averaged over days in each replication; CI over replications.  Both
 * results must cover the same replications and days.  Quantile fields are
 * of the per-replication differences. */
zs_status zs_stats_paired(const zs_sim_result *a, const zs_sim_result *b, int m,
                          zs_stat *out, zs_err *err);

/* Summaries of a run's n plans, all simulated over the same replications
 * and days: sums[p] for every plan (the caller's, free each with
 * zs_plan_summary_free) and, when n >= 2 and pw, po are given (arrays of
 * n), the paired differences of work_min (pw) and overtime_min (po) of
 * plans 1..n-1 against plan 0 (entry 0 untouched).  The plans' metrics are
 * summarised side by side on threads OpenMP threads (0 = OpenMP default),
 * each with the same serial code as zs_stats_plan, so the bits do not
 * depend on threads; each thread holds scratch of one metric array.  The
 * one place a run and `zonesim merge` summarise, so a merged file equals
 * a single run's.  On failure every sums[p] is NULL. */
zs_status zs_stats_run(const zs_sim_result *const *sims, size_t n, int threads,
                       zs_plan_summary **sums, zs_stat *pw, zs_stat *po, zs_err *err);

/* Summary of values x[0..n) treated as n independent observations (mean, sd,
 * t CI, quantiles by linear interpolation, type 7).  scratch holds n
 * doubles.  n must be >= 1. */
void zs_stats_describe(const double *x, size_t n, double *scratch, zs_stat *out);

/* Quantile q in [0, 1] of sorted[0..n) (linear interpolation). */
double zs_stats_quantile_sorted(const double *sorted, size_t n, double q);

#endif
