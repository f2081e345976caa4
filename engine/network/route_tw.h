/*
 * engine/network/route_tw.h -- a trip through stops with delivery windows.
 *
 * The courier leaves the depot at a start time, visits every stop once
 * and returns.  A stop reached before its window opens waits for it; one
 * reached after it closes is still served but is a window miss (its
 * lateness is the minutes past the close).  The order minimises, first,
 * the total lateness and, then, the return time (travel, service and
 * waiting), by a heuristic: the distance tour (route.h), a construction
 * by cheapest insertion in order of closing time, and relocation moves on
 * the better of the two until none improves.  When the distance tour has
 * neither lateness nor waiting it is kept as it is, so a trip whose
 * windows do not bind is routed exactly as without windows.
 *
 * Every stop-to-stop distance goes through one function (leg_m in
 * route_tw.c: straight-line metres today), so a road network can replace
 * it.  Travel minutes of a leg are its metres x min_per_m x the road
 * factor of the leg's end point (1 into the depot), as in the simulation.
 */
#ifndef ZS_ENGINE_ROUTE_TW_H
#define ZS_ENGINE_ROUTE_TW_H

#include <stddef.h>

#include "network/route.h"

typedef struct {
    const double *x, *y;      /* coordinates of all points, metres */
    const double *road;       /* per point travel-time factor (>= 1), or NULL */
    const size_t *idx;        /* the m stops: point indices */
    size_t m;
    const double *open;       /* per stop (m): window opens, minutes on the trip's
                                 clock (-HUGE_VAL: no window) */
    const double *close;      /* per stop (m): window closes (HUGE_VAL: none) */
    const double *service;    /* per stop (m): expected minutes at the stop */
    double depot_x, depot_y;
    double start;             /* departure from the depot, on the same clock */
    double min_per_m;         /* travel minutes per metre before road factors (> 0) */
} zs_tw_trip;

typedef struct zs_tw_ws zs_tw_ws;

/* Workspace for trips of up to max_stops stops; NULL when out of memory. */
zs_tw_ws *zs_tw_ws_create(size_t max_stops);
void zs_tw_ws_free(zs_tw_ws *tw);

/* The schedule of the trip t in the order order[0..m) (positions into
 * t->idx): returns the total lateness in minutes; *end gets the return to
 * the depot and *misses (when not NULL) the stops reached after their
 * window closed. */
double zs_tw_schedule(const zs_tw_trip *t, const size_t *order, double *end, size_t *misses);

/* Orders the trip t (heuristic at the top of this file) into
 * order[0..m) (positions into t->idx), using ws (route.h) and tw, both
 * for at least t->m stops; returns the order's total lateness.
 * Deterministic: ties keep the earlier order. */
double zs_route_tw(zs_route_ws *ws, zs_tw_ws *tw, const zs_tw_trip *t, size_t *order);

#endif
