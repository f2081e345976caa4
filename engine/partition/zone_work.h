/*
 * engine/partition/zone_work.h -- a zone's expected daily work, travel
 * included.
 *
 * Door minutes alone are not balance: a far zone drives for an hour
 * (DESIGN.md).  A zone's expected work is
 *     W = door + travel_min(2 d(depot, c) + kappa sqrt(S A))
 * where door is the sum of its points' workload index (minutes a day), S
 * its expected stops a day, A its area (sum of the points' dual areas,
 * network/adjacency.h), c its stop-weighted centre, d the straight-line
 * distance and travel_min the efficiency model's conversion (circuity,
 * speed).  kappa sqrt(S A) is the Beardwood-Halton-Hammersley estimate of
 * a tour through S random stops in an area A; kappa = 0.74 is the
 * least-squares fit to the engine's own nearest-neighbour + 2-opt tours
 * (network/route.h) through every point of each k-means zone of the
 * generated demo city (31 zones; the asymptotic constant for optimal tours
 * is 0.7124, and NN + 2-opt runs a few percent above optimal);
 * tests/test_territory.c checks that the fit stays within 15%.  Every
 * term is a sum over points, so moving one point updates W in O(1): the
 * territory method's local search relies on it.
 *
 * The formula misses what a zone's shape and spread do to its tours (an
 * elongated zone, a dense core with a sparse fringe): on the demo city its
 * travel is off the simulated travel by 11% (coefficient of variation over
 * the zones).  With tour_days > 0 a plan's travel is measured instead on
 * the engine's own tours: on each of tour_days sampled days every point is
 * a stop with its chance (stops; the same draws whatever the plan, keyed by
 * point and day), each zone's stops are toured from the depot and back by
 * nearest neighbour + 2-opt (network/route.h, as the simulation tours them
 * on straight lines) and the lengths averaged; the territory method
 * balances the formula scaled per zone by measured / formula (travel_scale
 * of zs_zone_sums), recalibrated between rounds.  On a street network
 * (net set) the sampled tours are driven on it as the simulation drives
 * them (network/paths.h: each zone's matrix, walks to the doors included,
 * one-way streets), in straight-equivalent metres (net_eq per second).
 * Without net the network formula (depot_rt, tour_factor) stays: on Krems
 * it missed the simulated travel by a factor of 1.4 to 8.8 (the walk to
 * each door, short legs through one-way streets), and balanced zones
 * worked 5.5 to 7.5 h.  On the demo city measured travel is off the
 * simulated travel by 1.5-2.1% (coefficient of variation over each plan's
 * zones) and a zone's expected work predicts its simulated work to 0.8%
 * (correlation 0.996, was 0.951).
 */
#ifndef ZS_ENGINE_PARTITION_ZONE_WORK_H
#define ZS_ENGINE_PARTITION_ZONE_WORK_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"
#include "network/paths.h"

/* Beardwood-Halton-Hammersley constant for the engine's tours (above). */
#define ZS_ZONE_WORK_KAPPA 0.74

typedef struct {
    int has_depot;            /* 0: no drive to and from the station */
    double depot_x, depot_y;  /* metres */
    double speed_kmh;         /* > 0 */
    double circuity;          /* >= 1 */
    double kappa;             /* tour constant, >= 0 (0: no in-zone tour) */
    const double *stops;      /* n expected stops a day per point (borrowed); NULL = 1 */
    const double *area_m2;    /* n point areas (borrowed); NULL = no in-zone tour */
    /* On a street network (pipeline/plan_geo.h): each point's round trip
     * from the depot in straight-equivalent metres (network minutes turned
     * back at speed and circuity), whose stop-weighted mean replaces
     * 2 d(depot, c); and the network's detour over circuity on short legs,
     * multiplying the in-zone tour.  NULL and 1 without a network. */
    const double *depot_rt;
    double tour_factor;
    /* n: the walk from the street to point i's door and back at each stop,
     * in straight-equivalent metres (network/paths.h), added per expected
     * stop; NULL: none (straight lines: the door minutes hold it). */
    const double *stop_walk;
    /* Travel measured on sampled days' tours (above): days (0 = the
     * formula) and the key of the draws. */
    int tour_days;
    uint64_t tour_seed;
    /* The street network the sampled tours are driven on (borrowed; its
     * points are the plan's, its depot the depot above), and the straight-
     * equivalent metres of a network second; NULL: straight lines. */
    const zs_net *net;
    double net_eq;
} zs_zone_work;

/* Sampled days for measured travel where a pipeline turns it on: the
 * mean of 16 tours has a standard error near 2.5% of a zone's travel on
 * the demo city (tour lengths vary about 10% day to day), under 0.5% of
 * its work. */
#define ZS_ZONE_WORK_TOUR_DAYS 16

/* No depot, 18 km/h, circuity 1.3 (the efficiency model's defaults),
 * kappa ZS_ZONE_WORK_KAPPA, no stops or areas, no network (tour_factor 1),
 * travel by the formula (tour_days 0). */
void zs_zone_work_defaults(zs_zone_work *m);

/* Checks speed, circuity, kappa and the depot, naming field and value. */
zs_status zs_zone_work_validate(const zs_zone_work *m, zs_err *err);

/* Running sums of one zone. */
typedef struct {
    double door, stops, area, sx, sy; /* sx, sy: stop-weighted coordinate sums */
    double srt;                       /* stop-weighted depot round trips (depot_rt) */
    double swalk;                     /* stop-weighted walks to the doors (stop_walk) */
    double n;                         /* points */
    double travel_scale;              /* the zone's measured / formula travel; 0 = 1
                                         (zs_zone_sums_add leaves it alone) */
} zs_zone_sums;

/* Adds (sign +1) or removes (-1) point i to s. */
void zs_zone_sums_add(zs_zone_sums *s, const zs_zone_work *m, const double *x,
                      const double *y, const double *door, size_t i, double sign);

/* Travel minutes of a zone with sums s: to and from the depot and the
 * in-zone tour, by the formula times s->travel_scale (when > 0). */
double zs_zone_work_travel(const zs_zone_work *m, const zs_zone_sums *s);

/* door + travel. */
double zs_zone_work_total(const zs_zone_work *m, const zs_zone_sums *s);

/* Does m measure travel on sampled tours (tour_days > 0, a depot, stop
 * chances; on the street network m->net when it has one, and not where
 * only its depot_rt is given)? */
int zs_zone_work_sampled(const zs_zone_work *m);

/* Door and travel minutes of each of the k zones of a plan (zone[i] in
 * 0..k-1): door_out and travel_out k each (either may be NULL); travel
 * measured on sampled tours when zs_zone_work_sampled(m), else by the
 * formula.  The same bits for any thread count.  ZS_ENOMEM. */
zs_status zs_zone_work_plan(const zs_zone_work *m, const double *x, const double *y,
                             const double *door, const int32_t *zone, size_t n, size_t k,
                             double *door_out, double *travel_out, zs_err *err);

/* Largest |door[z] + travel[z] - mean| / mean over the k zones (0 when
 * the mean is 0): the balance of work with travel. */
double zs_zone_work_maxdev(const double *door, const double *travel, size_t k);

#endif
