/*
 * engine/partition/partition_internal.h -- shared by the partition methods.
 *
 * Construction of a zs_partition and the helpers the methods behind
 * zs_partition_solve share; only the files of engine/partition/ include it.
 */
#ifndef ZS_ENGINE_PARTITION_INTERNAL_H
#define ZS_ENGINE_PARTITION_INTERNAL_H

#include "partition.h"

/* A partition of n points into k zones with zone, cx, cy allocated (zone
 * uninitialised, centres zero) and labels copied from labels[0..k), or
 * "1".."k" when labels is NULL; diagnostics zeroed.  NULL when out of
 * memory (nothing leaked). */
zs_partition *zs_partition_alloc(size_t n, size_t k, char *const *labels);

/* ---- Addition: shared by the zs_partition_solve methods (solve.c) ---- */

/* Per-point loops run in parallel only above this many points: below it
 * starting the threads costs more than the loop (kmeans.c's block size). */
#define ZS_PART_PAR_MIN 4096

/* Centres as the means of each zone's points, weighted by gw when not NULL
 * (a zone whose weights sum to 0 gets its plain mean), and the objective as
 * the gw-weighted SSE to them.  p->zone must be valid. */
zs_status zs_part_centres(zs_partition *p, const double *x, const double *y, const double *gw,
                          zs_err *err);
/* The same with caller's scratch sw[k], cnt[k] (on return the zones'
 * weight sums and point counts): never allocates, for loops. */
void zs_part_centres_ws(zs_partition *p, const double *x, const double *y, const double *gw,
                        double *sw, size_t *cnt);

/* Sets tolerance, balance_met and balance_maxdev of p from workloads w
 * (NULL = 1 each). */
zs_status zs_part_balance(zs_partition *p, const double *w, double tol, zs_err *err);

/* Gives every empty zone (cnt[z] == 0) the point farthest from its own
 * centre among zones holding at least two points (lower index on ties),
 * updating zone[] and cnt[].  Needs k <= n.  Returns the points moved. */
size_t zs_part_fill_empty(int32_t *zone, size_t *cnt, size_t n, size_t k, const double *x,
                          const double *y, const double *cx, const double *cy);

/* Index of the centre nearest to (px, py), lower index on ties. */
size_t zs_part_nearest(const double *cx, const double *cy, size_t k, double px, double py);

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
/* pmedian-ip (pmedian.c): objective weights gw, workloads w for balance. */
zs_status zs_part_pmedian(const double *x, const double *y, const double *w, const double *gw,
                          size_t n, const zs_partition_opts *o, zs_partition **out, zs_err *err);
/* pmedian-ip beyond ZS_PMEDIAN_AGG_N points (pmedian_agg.c): the program
 * on occupied grid cells, every point in its cell's zone (see the
 * pmedian-ip paragraph of partition.h).  Called by zs_part_pmedian. */
zs_status zs_part_pmedian_agg(const double *x, const double *y, const double *w,
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
