/*
 * engine/network/route.h -- a courier's tour through a day's stops.
 *
 * A closed tour from the depot through m stops and back, built by nearest
 * neighbour and improved by 2-opt until no improving exchange is left (or a
 * pass limit is reached).  Distances are straight-line metres; circuity is
 * the efficiency model's business.  The workspace is created once per
 * thread for the largest zone and reused: the tour functions never
 * allocate.
 */
#ifndef ZS_ENGINE_ROUTE_H
#define ZS_ENGINE_ROUTE_H

#include <stddef.h>

typedef struct zs_route_ws zs_route_ws;

/* Workspace for tours of up to max_stops stops; NULL when out of memory. */
zs_route_ws *zs_route_ws_create(size_t max_stops);
void zs_route_ws_free(zs_route_ws *ws);

/* Length in metres of the tour depot -> stops -> depot through the m points
 * idx[0..m) of the coordinate arrays x, y.  m may be 0 (length 0) and must
 * not exceed the workspace's max_stops.  If order is not NULL it receives
 * the visiting order as positions into idx.  Deterministic: ties are broken
 * by the lower position. */
double zs_route_tour(zs_route_ws *ws, const double *x, const double *y,
                     const size_t *idx, size_t m, double depot_x, double depot_y,
                     size_t *order);

/* Length of the tour visiting idx in the given order (no optimisation). */
double zs_route_length(const double *x, const double *y, const size_t *idx, size_t m,
                       double depot_x, double depot_y);

/* Tours on any travel cost (a street network's times): leg(ctx, a, b) is
 * the cost from a to b, point indices or ZS_ROUTE_DEPOT, and need not be
 * symmetric (one-way streets).  Nearest neighbour by leg cost, then 2-opt
 * in which a move's gain counts the reversed run in its new direction
 * (prefix sums of the tour's costs both ways make that O(1) per move). */
#define ZS_ROUTE_DEPOT ((size_t)-1)
typedef double (*zs_leg_fn)(void *ctx, size_t a, size_t b);

/* As zs_route_tour: the cost of the closed tour depot -> idx[..] -> depot
 * under leg, order as there.  Deterministic; ties to the lower position. */
double zs_route_tour_fn(zs_route_ws *ws, zs_leg_fn leg, void *ctx, const size_t *idx,
                        size_t m, size_t *order);

/* Cost of visiting idx[0..m) in the given order (depot to depot) under leg. */
double zs_route_length_fn(zs_leg_fn leg, void *ctx, const size_t *idx, size_t m);

#endif
