/*
 * engine/network/streetgen.h -- delivery points of a real city, placed on
 * an OpenStreetMap extract.
 *
 * Where the extract maps buildings, points are buildings (their outline's
 * centroid), typed by their tags (school, hospital, office, shop, factory,
 * institution, military, else residential; garages, sheds, churches and
 * the like are not delivery points).  When it maps fewer buildings than
 * points are asked for, the rest lie along residential-type streets
 * (residential, living_street, unclassified, tertiary), chosen by length,
 * 15 m off the street, typed residential.  Only buildings and streets
 * within snap_max_m of the street graph g are used, so every point snaps.
 * Mean daily parcels per point: residential 1.0, office 3.0, school 2.0,
 * hospital 2.5, factory 4.0, institution 1.5, military 1.5, shop 2.0 (an
 * assumption in the spirit of the synthetic city's ratios), times a
 * mean-one lognormal factor (sigma 0.5), scaled to mean_parcels overall.
 * Draws use keyed streams (models/rng.h): same seed, same city.
 */
#ifndef ZS_ENGINE_NETWORK_STREETGEN_H
#define ZS_ENGINE_NETWORK_STREETGEN_H

#include <stdint.h>

#include "input/points.h"
#include "network/osm.h"
#include "network/roads.h"

typedef struct {
    size_t n_points;        /* >= 1 */
    uint64_t seed;
    double mean_parcels;    /* > 0 */
    double snap_max_m;      /* buildings farther from g's streets are left out */
} zs_streetgen_opts;

/* 1,000 points, seed 1, 1.5 parcels a point, 150 m. */
void zs_streetgen_defaults(zs_streetgen_opts *o);

/* Points on o's buildings and streets (g: the street graph they must snap
 * to, built about (lon0, lat0)); the result has lon/lat (has_lonlat) with
 * that origin, ids "B000001"... for buildings and "S000001"... along
 * streets.  ZS_EINVAL for bad options, ZS_EINPUT when the extract has
 * neither buildings nor residential streets near g, ZS_ENOMEM. */
zs_status zs_streetgen_run(const zs_osm *o, const zs_roads *g, double lon0, double lat0,
                           const zs_streetgen_opts *opt, zs_points **out, zs_err *err);

#endif
