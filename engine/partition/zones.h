/*
 * engine/partition/zones.h -- building blocks of zone plans.
 *
 * What every zoning method (and the nested light-day zones of the staffing
 * stage) needs to make a zs_partition: allocation, centres as zone means,
 * the balance judgement, filling empty zones and the nearest centre.  The
 * dispatcher (solve.c) calls the methods; the methods call these; nothing
 * here calls back up.
 */
#ifndef ZS_ENGINE_PARTITION_ZONES_H
#define ZS_ENGINE_PARTITION_ZONES_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"
#include "partition/partition.h"

/* A partition of n points into k zones with zone, cx, cy allocated (zone
 * uninitialised, centres zero) and labels copied from labels[0..k), or
 * "1".."k" when labels is NULL; diagnostics zeroed.  NULL when out of
 * memory (nothing leaked). */
zs_partition *zs_partition_alloc(size_t n, size_t k, char *const *labels);

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

/* Sets p->balance (tolerance, met, maxdev) from workloads w
 * (NULL = 1 each). */
zs_status zs_part_balance(zs_partition *p, const double *w, double tol, zs_err *err);

/* The same judged on each zone's expected work with travel (door minutes
 * w plus the travel of zone_work.h under model m; NULL = its defaults):
 * those p->balance.door_min and travel_min carry (a territory plan hands
 * over the street tours it measured last), else measured and kept there. */
zs_status zs_part_balance_work(zs_partition *p, const double *x, const double *y,
                               const double *w, const zs_zone_work *m, double tol, zs_err *err);

/* Gives every empty zone (cnt[z] == 0) the point farthest from its own
 * centre among zones holding at least two points (lower index on ties),
 * updating zone[] and cnt[].  Needs k <= n.  Returns the points moved. */
size_t zs_part_fill_empty(int32_t *zone, size_t *cnt, size_t n, size_t k, const double *x,
                          const double *y, const double *cx, const double *cy);

/* Index of the centre nearest to (px, py), lower index on ties. */
size_t zs_part_nearest(const double *cx, const double *cy, size_t k, double px, double py);

#endif
