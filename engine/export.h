/*
 * engine/export.h -- maps of a zone plan for planners: GeoJSON and SVG.
 *
 * A zone is drawn as the convex hull of its points, which is what a
 * planner sketches on a map; a zone too small to have an area (one point,
 * or points on a line) gets a rectangle padded by ZS_EXPORT_PAD_M so the
 * polygon stays valid.  GeoJSON (RFC 7946) carries one Polygon feature per
 * zone with its stops, parcels and, when the plan was simulated, mean and
 * 90th-percentile work hours and mean overtime; one Point feature per
 * delivery point; and the depot.  Coordinates are longitude/latitude
 * degrees when the points came in lon/lat (the equirectangular projection
 * of engine/points.h inverted), otherwise the planar metres as given, with
 * the foreign member "zonesim_units": "m" saying so.  SVG is a picture of
 * the same: coloured hulls, points, depot, legend and title, north up.
 *
 * Nothing here keeps a pointer past the call; the map description is
 * borrowed.
 */
#ifndef ZS_ENGINE_EXPORT_H
#define ZS_ENGINE_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "../models/status.h"
#include "partition/partition.h"
#include "points.h"
#include "stats.h"

/* Half-side, metres, of the square drawn around a one-point zone and the
 * padding of a zone whose points lie on a line: about a building's width,
 * enough to see and to click on. */
#define ZS_EXPORT_PAD_M 10.0

/* Mean Earth radius (IUGG), metres: the radius engine/points.c projects
 * with. */
#define ZS_EXPORT_EARTH_R_M 6371008.8

typedef struct {
    double x, y;
} zs_xy;

/* What a map shows.  Every pointer is borrowed. */
typedef struct {
    const char *plan;               /* plan name for the title; NULL = "" */
    const zs_points *points;
    const zs_partition *part;       /* over points (part->n == points->n) */
    const zs_plan_summary *summary; /* NULL when the plan was not simulated */
    double depot_x, depot_y;        /* metres */
} zs_export_map;

/* Convex hull of pts[0..n) (Andrew's monotone chain), written
 * counter-clockwise into hull as an open ring (the first vertex is not
 * repeated) with no collinear vertices, starting at the leftmost point
 * (the lowest of equals); returns the number of vertices.  Degenerate sets become a polygon with
 * area: all points equal -> the square of half-side pad_m around them;
 * points on a line -> the segment's rectangle padded by pad_m on every
 * side.  n == 0 returns 0.  pts is sorted in place (the caller's scratch);
 * hull must hold 2 n + 4 vertices. */
size_t zs_export_hull(zs_xy *pts, size_t n, double pad_m, zs_xy *hull);

/* Inverse of zs_points_project with p's origin (p must have has_lonlat):
 * lon = lon0 + x / (R cos(lat0)) * 180/pi, lat = lat0 + y / R * 180/pi. */
void zs_export_unproject(const zs_points *p, double x, double y, double *lon, double *lat);

/* Writes the map as a GeoJSON FeatureCollection to f.  Fails with
 * ZS_EINVAL when the plan does not cover the points or the summary's zones
 * differ from the plan's, ZS_ENOMEM, or ZS_EIO "write error" when f
 * reports one. */
zs_status zs_export_geojson(FILE *f, const zs_export_map *m, zs_err *err);

/* Writes the map as an SVG picture, 1000 px wide, to f.  Errors as
 * zs_export_geojson. */
zs_status zs_export_svg(FILE *f, const zs_export_map *m, zs_err *err);

/* The same, to path: written as path.tmp, closed and renamed, so a failed
 * export leaves no file (and removes the temporary one).  Errors name
 * the path. */
zs_status zs_export_geojson_file(const char *path, const zs_export_map *m, zs_err *err);
zs_status zs_export_svg_file(const char *path, const zs_export_map *m, zs_err *err);

#endif
