/*
 * engine/partition/partition_internal.h -- shared by the partition methods.
 *
 * The methods behind zs_partition_solve (solve.c, the dispatcher) and the
 * few they call in one another; only the files of engine/partition/
 * include it.  Their shared building blocks are in zones.h.
 */
#ifndef ZS_ENGINE_PARTITION_INTERNAL_H
#define ZS_ENGINE_PARTITION_INTERNAL_H

#include "partition/partition.h"
#include "partition/zones.h"

/* The methods, called by zs_partition_solve after validation (o valid,
 * 1 <= k <= n, finite input).  gw = geometry weights (w or NULL). */
zs_status zs_part_grid(const double *x, const double *y, const double *w, const double *gw,
                       size_t n, size_t k, zs_partition **out, zs_err *err);
zs_status zs_part_voronoi(const double *x, const double *y, const double *gw, size_t n,
                          const zs_partition_opts *o, zs_partition **out, zs_err *err);
zs_status zs_part_density(const double *x, const double *y, const double *w, size_t n,
                          const zs_partition_opts *o, zs_partition **out, zs_err *err);
zs_status zs_part_balanced(const double *x, const double *y, const double *w, size_t n,
                           const zs_partition_opts *o, zs_partition **out, zs_err *err);
zs_status zs_part_two_stage(const double *x, const double *y, const double *w, size_t n,
                            const zs_partition_opts *o, zs_partition **out, zs_err *err);
zs_status zs_part_balanced_flow(const double *x, const double *y, const double *w, size_t n,
                                const zs_partition_opts *o, zs_partition **out, zs_err *err);
/* pmedian-ip (pmedian_agg.c): objective weights gw, workloads w for
 * balance.  Beyond ZS_PMEDIAN_AGG_N points the program runs on occupied
 * grid cells, every point in its cell's zone (see the pmedian-ip
 * paragraph of partition.h). */
zs_status zs_part_pmedian(const double *x, const double *y, const double *w, const double *gw,
                          size_t n, const zs_partition_opts *o, zs_partition **out, zs_err *err);
/* pmedian-ip on the given points, no aggregation (pmedian_part.c): called
 * by zs_part_pmedian on the points or on the cells (n <= ZS_PMEDIAN_AGG_N). */
/* territory (territory.c): contiguous zones on o->graph balanced on the
 * zone work of o->work, or a repair of o->start_zone. */
zs_status zs_part_territory(const double *x, const double *y, const double *w, size_t n,
                            const zs_partition_opts *o, zs_partition **out, zs_err *err);
zs_status zs_part_pmedian_points(const double *x, const double *y, const double *w,
                                 const double *gw, size_t n, const zs_partition_opts *o,
                                 zs_partition **out, zs_err *err);

/* Stage two of kmeans-two-stage on an existing plan p: boundary points
 * moved from the most deviating zone (see twostage.c) until every zone's
 * workload is within tol x mean, no move helps, or max_moves (0 = 10 n);
 * then centres reset to the zones' means (gw-weighted) and p->moves
 * increased by the moves made. */
zs_status zs_part_boundary_moves(zs_partition *p, const double *x, const double *y,
                                 const double *w, const double *gw, double tol,
                                 size_t max_moves, zs_err *err);

/* merge_isolated: replaces *p by a plan without its isolated one-point
 * zones (see zs_partition_opts), renumbered "1".."k'", with centres and
 * objective recomputed and p->merged set.  *p is unchanged on failure. */
zs_status zs_part_merge_isolated(zs_partition **p, const double *x, const double *y,
                                 const double *gw, double factor, zs_err *err);

#endif
