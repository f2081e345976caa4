/*
 * engine/maps/export.h -- maps of a zone plan for planners: GeoJSON and SVG.
 *
 * A zone is drawn as the convex hull of its points, which is what a
 * planner sketches on a map; a zone too small to have an area (one point,
 * or points on a line) gets a rectangle padded by ZS_EXPORT_PAD_M so the
 * polygon stays valid.  Hulls of zones that interleave overlap, and a map
 * of overlapping hulls says nothing about who serves a street; such plans
 * are drawn as cell unions instead (zs_export_outline, GitHub issue 8):
 * every grid cell near the points goes to the zone of its nearest point
 * on its side of the barriers, and each zone's cells are traced into rings, so zones share edges and
 * never overlap.  Zones that meet get different colours (see
 * zs_export_colour_zones).  GeoJSON (RFC 7946) carries one Polygon (or
 * MultiPolygon, for a zone in pieces) feature per zone with its delivery
 * points ("points"), parcels, colour ("colour" index, "fill" hex), the
 * outline used and, when the plan was simulated, the mean stops a day
 * ("stops_per_day_mean": points visited, not points owned), mean and
 * 90th-percentile work hours and mean overtime; one LineString feature
 * per barrier line ("kind": "barrier", "feature": its id) and per bridge
 * of a territory plan (a pocket's crossing into its zone, partition.h:
 * "kind": "bridge", "zone": its label); one Point
 * feature per delivery point; and the depot.  Coordinates are
 * longitude/latitude degrees when the points came in lon/lat (the
 * equirectangular projection of engine/points.h inverted), otherwise the
 * planar metres as given, with the foreign member "zonesim_units": "m"
 * saying so.  SVG is a picture of the same: coloured zones, barriers,
 * bridges (dashed, in their zone's colour), points, depot, legend ("7: 78
 * points, 26.4 stops/day, 8.10 h") and title, north up.
 *
 * Nothing here keeps a pointer past the call; the map description is
 * borrowed.
 */
#ifndef ZS_ENGINE_EXPORT_H
#define ZS_ENGINE_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/status.h"
#include "partition/partition.h"
#include "input/points.h"
#include "sim/stats.h"

/* Half-side, metres, of the square drawn around a one-point zone and the
 * padding of a zone whose points lie on a line: about a building's width,
 * enough to see and to click on. */
#define ZS_EXPORT_PAD_M 10.0

/* Mean Earth radius (IUGG), metres: the radius engine/points.c projects
 * with. */
#define ZS_EXPORT_EARTH_R_M 6371008.8

/* The cell-union outline (ZS_EXPORT_OUTLINE_CELLS).  A square grid of
 * side h = ZS_EXPORT_CELL_FACTOR sqrt(A / n) is laid over the points'
 * bounding box (n the points; 1.5 x the mean spacing puts about two points
 * in a cell).  A is the area the points occupy: the cells of a first grid
 * sized by the box's area that hold a point (so two towns far apart are
 * not drawn with the coarse cells of the empty land between them), but
 * no finer than ZS_EXPORT_CELL_MIN_M and
 * coarsened until the box, widened by the reach, has at most
 * ZS_EXPORT_CELLS_MAX cells.  A cell holding points of one zone is that
 * zone's; an empty cell goes to the zone of the point nearest its centre
 * when that point is within ZS_EXPORT_CELL_REACH h, else to no zone (so
 * zones stop short of empty land); a cell holding points of several zones
 * is split in four, again and again, down to ZS_EXPORT_CELL_FINE_M, so
 * every point lies in (or on the edge of) a cell of its own zone.  Only
 * points of different zones closer than about the finest side can share
 * a cell; it goes to the zone with most points there and the others are
 * counted in zs_export_shapes.outside.
 *
 * Barriers count (the map's barrier lines, GitHub issue 14): "nearest"
 * above means the nearest point that the cell's centre sees, i.e. whose
 * straight path to the centre crosses no barrier segment (a path through
 * a joint of two segments is stopped; a centre or point on a line sees
 * both sides); an empty cell that sees no point within the reach goes to
 * no zone (the river itself, or land only reachable round a barrier).  A
 * cell that a barrier line passes through is split in four too, down to
 * h / 2^ZS_EXPORT_BARRIER_SPLITS, and each part is filled by the same
 * rules from its own centre, so zone edges follow the barrier as a
 * staircase of that step and no zone is drawn more than one such square's
 * diagonal across a barrier from the points that drew it.  A part that
 * holds points is still their zone's (the finest split of mixed cells is
 * unchanged), so a zone whose points do lie on both sides (k-means zones
 * across a river) is drawn on both sides, truthfully.  Barriers are
 * bucketed by base cell (engine/maps/export_barrier.c); cells with no
 * barrier within 2 cells follow the rule above exactly, bit for bit.
 * Measured with tests/bench_export_barriers on the demo's territory-33
 * plan (2,000 points, river and ring road, h = 234 m): zone area drawn
 * across a barrier (raster of 2,000 px, regions between the lines) 3.02
 * km^2 of 101.8 (3.0%, 20 of 33 zones) before, 0.0003 km^2 (line-width
 * raster noise) after; building the outline 2 -> 15 ms, the whole export
 * (SVG and GeoJSON) 0.07 -> 0.10 s.  A 10^5-point territory plan of 300
 * zones (h = 42 m): 0.31 -> 0.00 km^2, outline 0.08 -> 0.17 s, export
 * 1.32 -> 1.50 s. */
#define ZS_EXPORT_CELL_FACTOR 1.5
#define ZS_EXPORT_CELL_MIN_M (ZS_EXPORT_PAD_M / 2) /* a 10 m blob around a lone point */
#define ZS_EXPORT_CELL_REACH 2.0                   /* cell sides */
#define ZS_EXPORT_CELL_FINE_M 0.05 /* 5 x the 1 cm that GeoJSON degrees keep */
#define ZS_EXPORT_CELLS_MAX 4000000
#define ZS_EXPORT_BARRIER_SPLITS 5 /* a barrier's cells split to h / 2^5 */

typedef struct {
    double x, y;
} zs_xy;

/* How zones are outlined.  AUTO (the default) draws hulls unless the
 * interiors of two zones' hulls overlap (hulls that only touch do not) or
 * the map has barriers (a hull ignores them: a zone bent round a river's
 * bend would be drawn over the water), and then cells. */
typedef enum {
    ZS_EXPORT_OUTLINE_AUTO = 0,
    ZS_EXPORT_OUTLINE_HULL,
    ZS_EXPORT_OUTLINE_CELLS
} zs_export_outline;

/* What a map shows.  Every pointer is borrowed. */
typedef struct {
    const char *plan;               /* plan name for the title; NULL = "" */
    const zs_points *points;
    const zs_partition *part;       /* over points (part->n == points->n) */
    const zs_plan_summary *summary; /* NULL when the plan was not simulated */
    double depot_x, depot_y;        /* metres */
    zs_export_outline outline;      /* 0 = ZS_EXPORT_OUTLINE_AUTO */
    /* Barriers drawn over the zones (rivers, major roads: /barriers of a
     * results file): n_barrier_seg segments, 4 numbers each (x0, y0, x1,
     * y1, in the points' metres), and each one's feature id (NULL: all
     * feature 0).  A run of consecutive segments of one feature, each
     * starting where the last ended, is one line.  0 and NULL: none. */
    size_t n_barrier_seg;
    const double *barrier_seg;
    const int32_t *barrier_feature;
    /* Streets drawn under the zones (a run on a street network: /network
     * of a results file): n_street_seg segments of 4 numbers in metres and
     * each one's OSM highway class (network/osm.h); 0 and NULL: none.  A
     * map with streets credits OpenStreetMap (ODbL). */
    size_t n_street_seg;
    const double *street_seg;
    const int32_t *street_class;
} zs_export_map;

/* The end of the line that starts at segment a of n segments (4 numbers
 * each) with feature ids ft (NULL: all one feature): the first segment
 * after a that is of another feature or does not start where the one
 * before it ended (n at the end).  Barrier lines are drawn run by run. */
size_t zs_export_line_run(const double *seg, const int32_t *ft, size_t n, size_t a);

/* Is bridge b of plan pa (n points) drawn: its two ends are points of the
 * plan in one zone (a pocket's crossing into its zone, partition.h)?  Its
 * ends into end[0], end[1] when it is. */
int zs_export_bridge(const zs_partition *pa, size_t n, size_t b, uint32_t end[2]);

/* How wide a street of OSM highway class cls (network/osm.h) is drawn: 0
 * main roads (motorway to primary), 1 through roads (secondary,
 * tertiary), 2 the rest. */
int zs_export_street_tier(int cls);

/* The zones' polygons in metres, as the writers draw them.  Three levels
 * of offsets: zone j has polygons [zone_poly[j], zone_poly[j + 1]);
 * polygon q has rings [poly_ring[q], poly_ring[q + 1]), the first its
 * outer boundary (counter-clockwise), the others its holes (clockwise), as
 * RFC 7946 wants; ring r has vertices v[ring_vert[r] .. ring_vert[r + 1]),
 * an open ring (the first vertex is not repeated).  Hulls give one polygon
 * of one ring per zone.  Cells give rings with only right-angled corners;
 * rings of different zones share edges but no interior, and a ring never
 * passes through a vertex twice (where two cells of a zone touch only at a
 * corner, they are two pieces, or a hole touching its outer ring). */
typedef struct {
    size_t k;
    zs_export_outline outline; /* used: ZS_EXPORT_OUTLINE_HULL or _CELLS */
    double cell_m;             /* side of a grid cell; 0 for hulls */
    size_t n_poly, n_ring, n_vert;
    size_t *zone_poly;         /* k + 1 */
    size_t *poly_ring;         /* n_poly + 1 */
    size_t *ring_vert;         /* n_ring + 1 */
    zs_xy *v;                  /* n_vert */
    size_t *outside;           /* k: points whose finest cell went to another zone
                                * (cells only; such a point may still touch its
                                * zone's edge).  Non-zero only for points of
                                * different zones closer than about
                                * ZS_EXPORT_CELL_FINE_M; NULL for hulls */
} zs_export_shapes;

/* Zone colours.  Neighbouring zones never share a colour: two zones are
 * neighbours when some pair of their points are neighbours in the
 * Delaunay triangulation of all the points (engine/network/adjacency.h
 * with no barriers and no edge dropped as long, so zones facing each other
 * across a river or an empty field differ too).  The triangulation is the
 * dual of the points' Voronoi cells, which the cell outlines follow, so
 * zones whose cells share an edge are neighbours; so, in practice, are
 * hulls that touch.  The zone graph is coloured greedily in Welsh-Powell
 * order (zones by descending degree, ties by lower index; each takes the
 * smallest colour no coloured neighbour has), which is deterministic.
 * Colour c is drawn as palette entry c mod ZS_EXPORT_PALETTE_N: Paul Tol's
 * colour-blind-safe qualitative scheme 'muted' (9 colours, "Colour
 * Schemes", SRON/EPS/TN/09-002, personal.sron.nl/~pault).  A plan that
 * needs more than 9 colours (rare: greedy colourings of planar zone graphs
 * seldom need more than 6) cycles the palette, and then two neighbours may
 * share a fill, though never a colour index. */
#define ZS_EXPORT_PALETTE_N 9

/* "#rrggbb" of colour c: palette entry c mod ZS_EXPORT_PALETTE_N. */
const char *zs_export_colour_hex(size_t c);

/* Colours the graph of k vertices whose neighbours are nbr[start[j] ..
 * start[j + 1]) (symmetric, no self-loops) in Welsh-Powell order into
 * colour[0..k); *n_colours is the number used.  ZS_ENOMEM, or ZS_EINVAL
 * for a neighbour index >= k. */
zs_status zs_export_colour_graph(size_t k, const size_t *start, const uint32_t *nbr,
                                 int32_t *colour, size_t *n_colours, zs_err *err);

/* The zones of plan pa over points p coloured as described above into
 * colour[0..pa->k); *n_colours may be NULL.  ZS_EINVAL for a plan that
 * does not cover the points or a zone index out of range, ZS_ENOMEM, or
 * the adjacency graph's error.  Costs one Delaunay triangulation,
 * O(n log n). */
zs_status zs_export_colour_zones(const zs_points *p, const zs_partition *pa, int32_t *colour,
                                 size_t *n_colours, zs_err *err);

/* Parses "hull", "cells" or "auto" into *out; ZS_EINVAL "outline 'S' is
 * not hull, cells or auto" otherwise. */
zs_status zs_export_outline_parse(const char *s, zs_export_outline *out, zs_err *err);

/* "auto", "hull" or "cells" ("?" for a value outside the enum). */
const char *zs_export_outline_name(zs_export_outline o);

/* Builds the zones' polygons of map m with m->outline (AUTO decided as
 * described there) into *out (caller frees with zs_export_shapes_free).
 * Errors as zs_export_geojson, and ZS_EINVAL for an outline outside the
 * enum; *out is NULL on failure.  Costs O(n log n) for n points. */
zs_status zs_export_shapes_create(const zs_export_map *m, zs_export_shapes **out, zs_err *err);
void zs_export_shapes_free(zs_export_shapes *s);

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

/* Writes the map as a GeoJSON FeatureCollection to f, each zone outlined
 * as zs_export_shapes_create does, with the property "outline": "hull" or
 * "cells" and, for cells, the foreign member "zonesim_cell_m" (the grid
 * side, metres) and "points_outside" on a zone that has any.  Fails with
 * ZS_EINVAL when the plan does not cover the points, the summary's zones
 * differ from the plan's or a barrier coordinate is not finite,
 * ZS_ENOMEM, the adjacency graph's error (the colours), or ZS_EIO "write
 * error" when f reports one. */
zs_status zs_export_geojson(FILE *f, const zs_export_map *m, zs_err *err);

/* Writes the map as an SVG picture, 1000 px wide, to f: a zone is a
 * <polygon> when hulls are drawn and a <path> with fill-rule="evenodd"
 * (holes stay open) when cells are; barrier lines are <polyline>s in
 * <g id="barriers">, over the zones and under the points, with a legend
 * entry "barrier (river, major road)".  Errors as zs_export_geojson. */
zs_status zs_export_svg(FILE *f, const zs_export_map *m, zs_err *err);

/* The same, to path: written as path.tmp, closed and renamed, so a failed
 * export leaves no file (and removes the temporary one).  Errors name
 * the path. */
zs_status zs_export_geojson_file(const char *path, const zs_export_map *m, zs_err *err);
zs_status zs_export_svg_file(const char *path, const zs_export_map *m, zs_err *err);

#endif
