/*
 * engine/sim/sim_internal.h -- shared by the files of the replication
 * driver (engine/sim/sim.h): sim.c (the driver, the single-scan day,
 * absences and pickup draws) and day.c (the station's day of issue 21:
 * dispatch waves, delivery windows, pickups inserted into the route).
 * Only those two files include it.
 */
#ifndef ZS_ENGINE_SIM_INTERNAL_H
#define ZS_ENGINE_SIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "network/paths.h"
#include "network/route.h"
#include "network/route_tw.h"
#include "sim/sim.h"

/* Per-thread scratch: stream, buffers and routing workspace. */
typedef struct {
    gsl_rng *rng;
    uint32_t *parcels;   /* n: today's new parcels */
    uint32_t *carry;     /* n_plans x n: parcels kept for redelivery */
    size_t *stops;       /* max_stops: a zone's own stops and those it covers */
    size_t *order;       /* max_stops */
    zs_route_ws *ws;
    /* Absence (only when it can happen; otherwise NULL): */
    uint8_t *absent;     /* max_k: today's absent zones of the plan */
    double *u, *tmp;     /* max_k: the absence draw and its scratch */
    size_t *cstart;      /* max_k + 1: offsets of each zone's covered stops */
    size_t *abs_pt, *abs_zone, *cover; /* n: absent zones' stops, their covering
                                          zone, and the stops grouped by it */
    /* Pickup requests of one zone-day (grown on demand: their number has
     * no bound; it only grows, so a replication allocates a few times). */
    size_t pk_cap;
    size_t *pk_pt;       /* point of each request */
    double *pk_rel;      /* release, minutes after the planned scan */
    uint8_t *pk_done;
    /* The day model (day.c; NULL without it): */
    uint32_t *wp;        /* max_stops x ZS_WAVES_MAX: parcels of each stop per wave */
    size_t *sel, *sel_pt, *tord; /* max_stops: a trip's stops, their points, its order */
    double *t_open, *t_close, *t_serv; /* max_stops: the trip's windows and service */
    zs_tw_ws *tw;
    size_t rt_cap;       /* grown on demand with the pickups: */
    size_t *rt;          /* the running route: stops (< trip size) and pickups */
    double *est;         /* its estimated arrivals and slacks */
    uint8_t *pk_in;      /* pk_cap: request already in the route */
    zs_paths_ws *pws;    /* street searches (network runs only) */
} thread_ws;

/* A zone-day measures its legs on a plan's street network (sim.c) with
 * network/paths.h's zs_net_legs: a leg's "metres" are its seconds times
 * eq (straight-line metres per network second at the plan's mean speed),
 * so every minute formula of the straight-line model holds unchanged (the
 * day's speed and pace still scale them); road metres are kept apart for
 * dist_km.  Runs without a network use straight lines and no legs (NULL). */

/* Draws the pickup requests of the points mem[0..nm) on one day into t
 * (in point order, then draw order); *count gets their number.
 * ZS_ENOMEM when the buffer cannot grow. */
zs_status zs_sim_draw_pickups(const zs_sim_input *in, thread_ws *t, const size_t *mem,
                              size_t nm, uint64_t rep, uint64_t day, double factor,
                              size_t *count);

/* The pickup round (policy at the top of sim.c) over the np requests in t
 * not yet collected, from (*px, *py) at *clock: updates the position and
 * clock, adds the round's straight-line and road-weighted metres to
 * *ldist, *lrdist, and counts late and missed requests and the service
 * and waiting minutes into v.  On a street network (L not NULL) its legs
 * are L's, *pos is the position as a point (ZS_ROUTE_DEPOT: the depot),
 * and *lroad gets the road metres; without one, pos and lroad may be NULL. */
void zs_sim_pickup_round(const zs_sim_input *in, thread_ws *t, size_t np,
                         const zs_efficiency *eff, double pace, double slow, double limit,
                         const zs_net_legs *L, size_t *pos, double *clock, double *px,
                         double *py, double *ldist, double *lrdist, double *lroad,
                         double v[ZS_M_COUNT]);

/* The delivery attempt at point i with due parcels at the clock (minutes
 * after the shift start): waiting and signing drawn with the point key
 * key (i in the single-scan day), the outcome counted in v (parcels,
 * delivered, waiting, failed stops, lockers, returns, carried; late when
 * signed after deadline, HUGE_VAL for none, unless the type may wait all
 * day).  Returns the minutes at the stop before the courier's pace;
 * *outcome gets the outcome (ZS_SIGN_REDELIVER: the caller keeps the
 * parcels for tomorrow), *late 1 when they were counted late. */
double zs_sim_attempt(const zs_sim_input *in, gsl_rng *rng, const zs_efficiency *eff,
                      uint64_t rep, uint64_t day, uint64_t key, size_t i, double clock,
                      uint32_t due, double deadline, double v[ZS_M_COUNT],
                      zs_sign_outcome *outcome, int *late);

/* Checks the day model's inputs of in (waves, shares per day, windows);
 * ZS_EINVAL with a message.  ZS_OK without the day model. */
zs_status zs_sim_day_check(const zs_sim_input *in, zs_err *err);

/* The day model's scratch in t for zones of up to max_stops stops; -1
 * when out of memory (zs_sim_day_ws_free releases what was made). */
int zs_sim_day_ws_init(thread_ws *t, size_t max_stops);
void zs_sim_day_ws_free(thread_ws *t);

/* One zone-day of the station's day (day.c): the arguments as sim.c's
 * single-scan day (stops[0..m) the due stops, m_own of them the zone's
 * own, in master order; mem[0..nm) every point of the zone, for pickups;
 * cell[k][at] receives metric k).  ZS_ENOMEM when a buffer cannot grow. */
zs_status zs_sim_day_zone(const zs_sim_input *in, thread_ws *t, uint32_t *carry,
                          const size_t *stops, size_t m, size_t m_own, const zs_vehicle *veh,
                          const size_t *mem, size_t nm, double factor, uint64_t rep,
                          uint64_t day, size_t zone, double *cell[ZS_M_COUNT], size_t at);

#endif
