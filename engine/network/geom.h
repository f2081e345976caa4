/*
 * engine/network/geom.h -- planar geometry through GEOS.
 *
 * The one module that talks to GEOS (libgeos_c, reentrant _r API, one
 * context per call so any thread may call): the Delaunay triangulation of
 * the points (the adjacency graph's source), reading the lines and polygon
 * rings of a GeoJSON file (barriers), and convex hulls of zones with the
 * area of their union (the hull-overlap figure of plan shape).  Every
 * function returns plain arrays the caller owns; no GEOS type leaks out.
 */
#ifndef ZS_ENGINE_NETWORK_GEOM_H
#define ZS_ENGINE_NETWORK_GEOM_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"

/* The n point indices ordered by x, then y, then index (order gets n);
 * equal points end up next to each other, lowest index first.
 * ZS_ENOMEM. */
zs_status zs_geom_sort_xy(const double *x, const double *y, size_t n, uint32_t *order,
                          zs_err *err);

/* Delaunay triangles of the n points (x, y): *tri gets 3 * *n_tri point
 * indices (owned by the caller, zs_free).  Points with equal coordinates
 * appear once, as the lowest index among them.  Fewer than three distinct
 * points, or all on one line, give 0 triangles (not an error).  ZS_ENOMEM,
 * or ZS_EIO with GEOS's message. */
zs_status zs_geom_delaunay(const double *x, const double *y, size_t n, uint32_t **tri,
                           size_t *n_tri, zs_err *err);

/* The segments of every LineString, MultiLineString, Polygon and
 * MultiPolygon (all rings) of a GeoJSON file (a FeatureCollection, a
 * Feature or a bare geometry), in file order: *seg gets 4 * *n_seg numbers
 * (x0, y0, x1, y1 in the file's coordinates), *feature the index of the
 * feature each came from (0-based), both owned by the caller.  *n_features
 * counts the features read.  A file that is not GeoJSON is ZS_EINPUT
 * "path: not GeoJSON: <GEOS's reason>"; a feature of another type (Point,
 * MultiPoint) is ZS_EINPUT naming its index; a file without any line or
 * polygon is ZS_EINPUT. */
zs_status zs_geom_read_lines(const char *path, double **seg, int32_t **feature, size_t *n_seg,
                             size_t *n_features, zs_err *err);

/* Convex hulls of the k zones of n points (zone[i] in 0..k-1): area[z]
 * and perimeter[z] (m^2, m; 0 for zones of fewer than three points not on
 * a line) and *union_area, the area covered by at least one hull.  The
 * overlap share of a plan is (sum of areas - union) / sum of areas. */
zs_status zs_geom_hulls(const double *x, const double *y, const int32_t *zone, size_t n,
                        size_t k, double *area, double *perimeter, double *union_area,
                        zs_err *err);

#endif
