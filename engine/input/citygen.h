/*
 * engine/input/citygen.h -- a synthetic city of delivery points.
 *
 * Generates a plausible station area from a recipe and a seed: residential
 * estates as tight clusters of buildings, an office district near the
 * centre, scattered schools and hospitals, an industrial belt of factories
 * at one edge, villages as small far clusters, shops along main roads, and a
 * station.  The same recipe and seed give the same points bit for bit (all
 * draws come from keyed streams, purpose ZS_PURPOSE_CITYGEN).
 */
#ifndef ZS_ENGINE_CITYGEN_H
#define ZS_ENGINE_CITYGEN_H

#include <stddef.h>
#include <stdint.h>

#include "models/ptype.h"
#include "models/status.h"
#include "input/points.h"

typedef struct {
    uint64_t seed;
    size_t n_points;            /* number of delivery points, >= 1 */
    double width_km, height_km; /* area, centred on (0, 0) */
    double share[ZS_PT_COUNT];  /* share of points of each type (normalised) */
    size_t n_estates;           /* residential clusters; 0 = n_points / 60 */
    double estate_radius_m;     /* typical estate radius (sd of the cluster) */
    double mean_parcels;        /* mean daily parcels over all points */
    double station_x, station_y; /* station (depot) in metres */
    int river;                  /* 1: a river crosses the city west to east */
    double ring_road_km;        /* radius of a ring road around the station; 0 = none */
} zs_citygen_opts;

/* 2,000 points over 12 x 10 km; shares residential .62, office .12,
 * school .04, hospital .015, factory .06, village .08, institution .025,
 * military .005, shop .035, other 0; mean 0.75 parcels a day; station at
 * (0, 0); seed 1; no river, no ring road. */
void zs_citygen_opts_defaults(zs_citygen_opts *o);

/* Checks ranges, naming field and value. */
zs_status zs_citygen_opts_validate(const zs_citygen_opts *o, zs_err *err);

/* Generates the city.  Point ids are "P000001"...; parcels per point are
 * lognormal around a type-specific mean scaled so their average is
 * mean_parcels.  With a river, points that fell within 40 m of its centre
 * line are moved 40 m off it on their own side (nobody lives on the
 * water).  *out is owned by the caller. */
zs_status zs_citygen_run(const zs_citygen_opts *o, zs_points **out, zs_err *err);

/* The city's barriers as line segments in metres: the river (feature 0),
 * a gentle wave across the whole width south of the centre, y = -0.2 hh +
 * 0.15 hh sin(2 pi x / width), 48 segments running 100 m past both edges;
 * the ring road (feature 1), a closed 64-gon of radius ring_road_km
 * around the station.  *seg gets 4 *n numbers, *feature *n (both the
 * caller's; NULL with *n = 0 when the city has neither). */
zs_status zs_citygen_barriers(const zs_citygen_opts *o, double **seg, int32_t **feature,
                              size_t *n, zs_err *err);

#endif
