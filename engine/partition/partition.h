/*
 * engine/partition/partition.h -- zone plans: a zone for every point.
 *
 * A zs_partition is the result of any zoning method: the zone index of each
 * point (0..k-1, every zone non-empty), the zone centres, and diagnostics
 * (objective, iterations, convergence, runtime, status).  Methods:
 *   - k-means (Lloyd) with k-means++ seeding and restarts, optionally
 *     weighted; deterministic for a seed and for any thread count;
 *   - labels: a planner's own zoning, from the points' zone column or a
 *     CSV mapping point id -> zone.
 * The capacity rule gives k from daily stops when a plan does not fix it.
 */
#ifndef ZS_ENGINE_PARTITION_H
#define ZS_ENGINE_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include "../../models/status.h"
#include "../points.h"

typedef struct {
    size_t n, k;
    int32_t *zone;        /* n zone indices in 0..k-1 */
    double *cx, *cy;      /* k centres (weighted means of their points), metres */
    char **label;         /* k zone labels (owned; "1".."k" for methods) */
    double objective;     /* SSE in m^2 (weighted when weights were used) */
    int iterations;       /* Lloyd iterations of the kept restart */
    int converged;        /* 1 when the kept restart converged */
    double runtime_s;     /* wall time of the method */
    char method[32];      /* "kmeans", "manual" */
    char status[32];      /* "converged", "iteration limit", "given" */
} zs_partition;

typedef struct {
    uint64_t seed;        /* seeding stream key (ZS_PURPOSE_PARTITION) */
    int restarts;         /* independent k-means++ starts, best SSE kept; >= 1 */
    int max_iter;         /* Lloyd iteration limit; >= 1 */
    double tol;           /* stop when no assignment changes, or when the
                             relative SSE decrease is below tol (>= 0) */
    int weighted;         /* 1: weight points by the w array */
    const double *init_x, *init_y; /* k initial centres (borrowed), or NULL:
                                      k-means++ seeding.  With initial
                                      centres restarts must be 1. */
} zs_kmeans_opts;

/* seed 1, restarts 4, max_iter 300, tol 0, unweighted. */
void zs_kmeans_opts_defaults(zs_kmeans_opts *o);
zs_status zs_kmeans_opts_validate(const zs_kmeans_opts *o, zs_err *err);

/* k-means of n points (x, y, optional weights w >= 0, NULL = all 1) into k
 * zones.  Requires 1 <= k <= n (ZS_EINVAL otherwise, naming both).  Empty
 * clusters are re-seeded with the point farthest from its centre, so every
 * zone is non-empty on return.  The result is the same for any OpenMP
 * thread count: sums are accumulated in fixed blocks and reduced in order. */
zs_status zs_partition_kmeans(const double *x, const double *y, const double *w,
                              size_t n, size_t k, const zs_kmeans_opts *opts,
                              zs_partition **out, zs_err *err);

/* A plan from given zone indices zone[0..n) in 0..k-1 with labels
 * (copied; NULL = "1".."k").  Zones without points are an input error
 * naming the label.  Centres are the (unweighted) means of the points. */
zs_status zs_partition_from_labels(const zs_points *pts, const int32_t *zone, size_t k,
                                   char *const *labels, zs_partition **out, zs_err *err);

/* A plan from a CSV mapping point id -> zone label (header with columns
 * col_id and col_zone).  Every point must appear exactly once; unknown ids,
 * duplicates and missing points are input errors naming file:line:col (or
 * the first missing id). */
zs_status zs_partition_load_csv(const zs_points *pts, const char *path,
                                const char *col_id, const char *col_zone,
                                zs_partition **out, zs_err *err);

/* Writes "id,zone" (zone label) for every point. */
zs_status zs_partition_write_csv(const zs_partition *part, const zs_points *pts,
                                 const char *path, zs_err *err);

void zs_partition_free(zs_partition *p);

/* The capacity rule (DESIGN.md): ceil(daily_stops / (stops_per_hour *
 * hours)), at least 1; 840 stops at 3.5/h over 8 h gives 30.  A tiny
 * tolerance keeps 840/28 at exactly 30 despite rounding. */
size_t zs_partition_capacity_k(double daily_stops, double stops_per_hour, double hours);

#endif
