/*
 * engine/staffing/nested.h -- light-day zones nested in the heavy-day
 * plan, so that couriers keep their familiar area.
 *
 * On lighter days a station runs fewer zones.  Rather than zone the area
 * afresh, every light-day zone is made a union of whole heavy-day zones:
 * a courier's light-day area contains his heavy-day one.  The merge is an
 * integer program (GLPK) on the k_h heavy zones, a balanced p-median with
 * zones as clients and as candidate anchors:
 *
 *   minimise   sum_{z,j} W_z |c_z - c_j|^2 x_zj
 *   subject to sum_j x_zj = 1                         every heavy zone z
 *              x_zj <= y_j,  x_jj = y_j               an anchor is in its group
 *              sum_j y_j = k_l
 *              (1 - tol) M y_j <= sum_z W_z x_zj <= (1 + tol) M y_j
 *              x, y binary,   M = sum_z W_z / k_l
 *
 * with W_z the heavy zone's workload (sum of its points' workload index)
 * and c_z its centre: compact groups (the weighted squared distance to the
 * anchor zone's centre, a zone-level stand-in for the SSE) of about equal
 * workload.  k_h^2 + k_h binaries and about k_h^2 rows: exact within a few
 * seconds for k_h up to about 40, with the time limit and gap reported
 * otherwise.  When no grouping meets the tolerance, it is doubled (up to
 * max_relax times) and finally dropped; the tolerance met is reported.
 * Groups are not forced to be contiguous; the distance term keeps them
 * together.
 *
 * The cost of nesting is measured against an unconstrained light-day plan:
 * kmeans-two-stage at k_l on the same points (balance tolerance tol, seed
 * 1), both judged by the same figures (engine/partition/metrics.h): SSE,
 * workload balance and estimated tours from the depot.
 */
#ifndef ZS_ENGINE_PARTITION_NESTED_H
#define ZS_ENGINE_PARTITION_NESTED_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"
#include "partition/mip.h"
#include "partition/partition.h"

typedef struct {
    double tolerance;     /* groups' workload within this share of the mean, >= 0 */
    int max_relax;        /* doublings of the tolerance before dropping it, 0..20 */
    double time_limit_s;  /* per program, > 0 */
    double mip_gap;       /* [0, 1) */
} zs_nested_opts;

/* tolerance 0.2, 3 doublings, 10 s, gap 0. */
void zs_nested_opts_defaults(zs_nested_opts *o);
zs_status zs_nested_opts_validate(const zs_nested_opts *o, zs_err *err);

/* Figures of one light-day plan (metrics.h, workloads = the points' w). */
typedef struct {
    double sse_m2;        /* sum of squared distances to the zone centres */
    double balance_maxdev; /* largest |W - mean| / mean */
    double balance_maxmin; /* max / min workload */
    double balance_cv;
    double tour_km;       /* estimated tours from the depot, all zones */
} zs_nested_figures;

typedef struct {
    size_t n, k_heavy, k_light;
    int32_t *group;          /* k_heavy: light zone of each heavy zone, 0..k_light-1 */
    zs_partition *light;     /* the nested light-day plan (point level, labels "L1"..) */
    zs_partition *free_plan; /* the unconstrained light-day plan */
    zs_mip_status status;    /* of the program that gave the groups */
    double objective, bound, gap, runtime_s;
    double tolerance_used;   /* tolerance the groups meet; -1 when it was dropped */
    int programs;            /* programs solved (1 + relaxations) */
    zs_nested_figures nested, free; /* the two plans side by side */
    double sse_ratio;        /* nested SSE / free SSE (the cost of nesting) */
} zs_nested;

/* Merges the k_heavy zones of heavy (points x, y with workloads w, NULL =
 * 1 each; heavy->n points) into k_light groups, builds the nested and the
 * free light-day plans and their figures (tours from depot[2], or from the
 * zone centres when depot is NULL).  Needs 1 <= k_light < heavy->k
 * (ZS_EINVAL otherwise).  A grouping is always returned (the tolerance is
 * relaxed until one exists); only a time limit without any solution is
 * ZS_ESOLVER.  *out is the caller's (zs_nested_free). */
zs_status zs_nested_solve(const zs_partition *heavy, const double *x, const double *y,
                          const double *w, const double *depot, size_t k_light,
                          const zs_nested_opts *o, zs_nested **out, zs_err *err);
void zs_nested_free(zs_nested *n);

#endif
