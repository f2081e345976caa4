/*
 * engine/network/paths.h -- fastest paths on the street graph between
 * points snapped to it, and the per-zone travel matrices a plan needs.
 *
 * A location is a snap (network/roads.h): a point on segment s at
 * fraction t.  Leaving it, the vehicle drives to either end of s in the
 * directions s allows; arriving, it comes along s from either end.  Two
 * locations on one segment may also go straight along it.  Dijkstra's
 * algorithm (binary heap, ties broken by node index, so the same bits
 * whatever the thread) runs from the source until every target's segment
 * ends are settled.  The time of a leg adds the walk from the street to
 * each door (snap distance at the profile's walking speed, each way): a
 * tour then walks every stop's snap distance twice.
 *
 * A network (zs_net) holds the snaps of every point and of the depot
 * (index n).  For a plan, zs_net_plan holds each zone's matrix over the
 * depot and its points (one search per row, rows in parallel); legs
 * between points of different zones (a courier covering an absent
 * colleague) are searched when asked, with a per-thread workspace.
 */
#ifndef ZS_ENGINE_NETWORK_PATHS_H
#define ZS_ENGINE_NETWORK_PATHS_H

#include <stddef.h>
#include <stdint.h>

#include "network/roads.h"
#include "models/status.h"

typedef struct zs_paths_ws zs_paths_ws;

/* Workspace for searches on g (one per thread); NULL when out of memory. */
zs_paths_ws *zs_paths_ws_create(const zs_roads *g);
void zs_paths_ws_free(zs_paths_ws *ws);

/* Driving seconds and metres of the fastest path from location from to
 * each of to[0..m): sec[j], len[j] (HUGE_VAL when unreachable, which the
 * strongly connected graph rules out).  No walking is included. */
void zs_paths_one_to_many(zs_paths_ws *ws, const zs_roads *g, const zs_snap *from,
                          const zs_snap *to, size_t m, double *sec, double *len);

/* The same from each of from[0..m) to location to, by one search
 * backwards from to (the reverse edges). */
void zs_paths_many_to_one(zs_paths_ws *ws, const zs_roads *g, const zs_snap *from, size_t m,
                          const zs_snap *to, double *sec, double *len);

typedef struct {
    const zs_roads *g;
    double walk_mps;        /* walking speed, m/s */
    size_t n;               /* points; the depot is location n */
    zs_snap *snap;          /* n + 1 */
    double snap_mean_m, snap_max_m; /* over the points */
    /* Every point's legs to and from the depot (walks included), by one
     * search each way, so the zone matrices need no search to the depot. */
    double *dep_out_s, *dep_out_m; /* n: depot -> point */
    double *dep_in_s, *dep_in_m;   /* n: point -> depot */
} zs_net;

/* Snaps the n points (x, y) and the depot to g.  A point farther than
 * max_snap_m from every usable street: ZS_EINPUT "point 'ID' (data row R)
 * is X m from the nearest street a <profile> may use (limit L m): ..."; the
 * depot likewise.  ids may be NULL (rows named by number). */
zs_status zs_net_create(const zs_roads *g, const zs_profile *p, const double *x,
                        const double *y, char *const *ids, size_t n, double depot_x,
                        double depot_y, double max_snap_m, zs_net **out, zs_err *err);
void zs_net_free(zs_net *net);

/* Seconds (walks included) and driven metres from location a to location
 * b (0..n; n = depot), by one search.  0 when a == b. */
double zs_net_leg_search(const zs_net *net, zs_paths_ws *ws, size_t a, size_t b, double *len_m);

typedef struct zs_net_plan zs_net_plan;

/* Every zone's matrix for the plan zone[0..n) in 0..k-1, with up to
 * threads OpenMP threads (0: runtime default); the result does not depend
 * on the thread count.  ZS_ENOMEM. */
zs_status zs_net_plan_create(const zs_net *net, const int32_t *zone, size_t k, int threads,
                             zs_net_plan **out, zs_err *err);
void zs_net_plan_free(zs_net_plan *p);

/* Seconds and driven metres (len_m may be NULL) from a to b (point
 * indices, n = depot): a matrix lookup when both lie in one zone (or one
 * is the depot), else a search in ws. */
double zs_net_plan_leg(const zs_net_plan *p, zs_paths_ws *ws, size_t a, size_t b,
                       double *len_m);

/* The network the plan was built on. */
const zs_net *zs_net_plan_net(const zs_net_plan *p);

/* A plan's legs as network/route.h's leg functions take them: points by
 * index, the depot as ZS_ROUTE_DEPOT (index n of the plan), in the
 * straight-equivalent metres the efficiency model turns into minutes
 * (seconds x eq: zone_work.h) or in road metres.  The simulation's tours
 * and the zone work model's sampled tours are driven on the same legs. */
typedef struct {
    const zs_net_plan *np;
    double eq;               /* straight-equivalent metres per second */
    zs_paths_ws *pws;        /* the calling thread's */
    size_t n;                /* points (the depot's index in np) */
} zs_net_legs;

/* zs_leg_fn: straight-equivalent metres from a to b (ctx a zs_net_legs). */
double zs_net_leg_eq(void *ctx, size_t a, size_t b);
/* zs_leg_fn: road metres from a to b. */
double zs_net_leg_road(void *ctx, size_t a, size_t b);
/* Straight-equivalent metres from a to b, its road metres added to *road. */
double zs_net_leg_both(const zs_net_legs *L, size_t a, size_t b, double *road);

#endif
