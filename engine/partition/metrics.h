/*
 * engine/partition/metrics.h -- figures of merit of a zone plan.
 *
 * For a plan and its points (workloads w, optional depot): compactness
 * (SSE, weighted distance to the centres), per-zone workload and its
 * balance, and an estimated tour per zone, so plans from different methods,
 * or a planner's own, compare on one table.  Tours are nearest neighbour +
 * 2-opt through all of a zone's points (engine/route.h), from the depot
 * when one is given, else from the zone's centre: an estimate of a day that
 * visits every point, not a simulated day.  route.h scans every pair of
 * stops, O(m^2) a pass; a zone of more than ZS_METRICS_EXACT_TOUR_MAX stops
 * gets nearest neighbour + 2-opt on neighbour lists (each stop's 8 nearest)
 * instead, about O(m log m): over zones of 100 to 2,000 stops of a
 * generated city its tours came within 1% of route.h's on average (0.97 to
 * 1.04 of them zone by zone), 30 times faster at 1,000 stops.
 */
#ifndef ZS_ENGINE_PARTITION_METRICS_H
#define ZS_ENGINE_PARTITION_METRICS_H

#include <stddef.h>

#include "models/status.h"
#include "partition/partition.h"

/* Largest zone whose tour is route.h's full 2-opt: 500 stops take 6 ms (a
 * courier's day is 100-200); a city of 10^6 points in 1,000 zones took 30
 * s of tours with it. */
#define ZS_METRICS_EXACT_TOUR_MAX 500

typedef struct {
    size_t n, k;
    double sse;             /* sum of squared distances to the own centre, m^2 (unweighted) */
    double weighted_dist_m; /* sum of w_i x distance to the own centre, m */
    size_t *points;         /* k: points per zone */
    double *workload;       /* k: sum of w per zone */
    double *tour_m;         /* k: estimated tour length per zone, m */
    double work_mean, work_min, work_max;
    double balance_maxmin;  /* max / min workload; HUGE_VAL when a zone carries 0 */
    double balance_cv;      /* population sd / mean of the workloads (0 when mean is 0) */
    double balance_maxdev;  /* largest |W_z - mean| / mean (0 when mean is 0) */
    double tour_total_m, tour_max_m;
    double runtime_s;       /* the plan's runtime_s, carried over */
} zs_plan_metrics;

/* Metrics of plan p over the points (x, y) it was made from (p->n of them)
 * with workloads w (NULL = 1 each) and depot (depot_xy[0], depot_xy[1]) or,
 * when depot_xy is NULL, tours from each zone's centre.  Fails with
 * ZS_EINVAL when a zone index is out of range, ZS_ENOMEM when out of
 * memory.  Tours run in parallel over zones, each independent of the
 * others, so the figures do not depend on the thread count.  *out is the
 * caller's: free it with zs_plan_metrics_free. */
zs_status zs_plan_metrics_create(const zs_partition *p, const double *x, const double *y,
                                 const double *w, const double *depot_xy,
                                 zs_plan_metrics **out, zs_err *err);
void zs_plan_metrics_free(zs_plan_metrics *m);

#endif
