/*
 * engine/network/barriers.h -- lines a zone must not cross.
 *
 * Rivers, lakes, harbours, motorways, railways and major roads, as line
 * segments in the points' metres, with a uniform grid over them so that
 * "does this edge cross a barrier?" looks at the few segments near the
 * edge.  Read from a GeoJSON file (LineString, MultiLineString, Polygon,
 * MultiPolygon features; polygons count by their rings, so an edge into or
 * across a lake is cut) in lon/lat degrees when the points are, else in the
 * points' metres; or built from segments (the city generator's river).
 */
#ifndef ZS_ENGINE_NETWORK_BARRIERS_H
#define ZS_ENGINE_NETWORK_BARRIERS_H

#include <stddef.h>
#include <stdint.h>

#include "input/points.h"
#include "models/status.h"

typedef struct {
    size_t n_seg;
    double *seg;          /* 4 n_seg: x0, y0, x1, y1 in metres */
    int32_t *feature;     /* n_seg: the GeoJSON feature index (or caller's id) */
    size_t n_features;
    /* Grid index: cell (cx, cy) of side cell_m from (gx0, gy0) lists the
     * segments whose bounding box touches it: cell_seg[cell_start[c] ..
     * cell_start[c + 1]). */
    double gx0, gy0, cell_m;
    size_t nx, ny;
    size_t *cell_start;
    uint32_t *cell_seg;
} zs_barriers;

/* Reads barriers from a GeoJSON file.  With pts->has_lonlat the file must
 * be in lon/lat degrees and is projected as the points were; otherwise it
 * must be in the points' metres, and a feature whose coordinates all look
 * like degrees while the points do not is refused (ZS_EINPUT "path:
 * feature i: ... lon/lat ... points are in metres").  Errors of the file
 * itself are those of zs_geom_read_lines. */
zs_status zs_barriers_load(const char *path, const zs_points *pts, zs_barriers **out,
                           zs_err *err);

/* Barriers from n segments (4 n numbers, metres; copied); feature may be
 * NULL (all 0). */
zs_status zs_barriers_from_segments(const double *seg, const int32_t *feature, size_t n,
                                    zs_barriers **out, zs_err *err);

void zs_barriers_free(zs_barriers *b);

/* Writes n segments (4 n numbers, metres) as a GeoJSON FeatureCollection:
 * one LineString per run of consecutive segments of the same feature that
 * join end to start, with properties {"feature": id, "name": names[id]}
 * (names may be NULL).  Through path.tmp and a rename.  ZS_EIO. */
zs_status zs_barriers_write_geojson(const char *path, const double *seg, const int32_t *feature,
                                    size_t n, const char *const *names, size_t n_names,
                                    zs_err *err);

/* 1 when the segment (ax, ay)-(bx, by) meets a barrier segment (touching
 * counts), else 0.  Read-only: any number of threads may ask at once. */
int zs_barriers_cross(const zs_barriers *b, double ax, double ay, double bx, double by);

#endif
