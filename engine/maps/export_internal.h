/*
 * engine/maps/export_internal.h -- shared by the files of the export module
 * (engine/maps/export.h): export.c (points grouped by zone, the shapes
 * chosen and built, output to a file), export_geom.c (convex hulls and
 * whether they overlap), export_cells.c (cell-union outlines: rings with
 * holes), export_barrier.c (the barrier lines indexed for the cells),
 * export_geojson.c and export_svg.c (the writers).  Only the files
 * of engine/maps/ include it.
 */
#ifndef ZS_ENGINE_EXPORT_INTERNAL_H
#define ZS_ENGINE_EXPORT_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "maps/export.h"

/* The points of a map grouped by zone (a counting sort, O(n)), with the
 * scratch a zone's hull is built in. */
typedef struct {
    size_t k;
    size_t *start;   /* k + 1 offsets into order */
    size_t *order;   /* point indices, grouped by zone, in point order */
    double *parcels; /* k sums of mean parcels */
    zs_xy *scratch;  /* n: one zone's points, sorted by the hull */
    zs_xy *hull;     /* 2 n + 4 */
    int32_t *colour; /* k zone colours (zs_exp_prepare), or NULL */
    size_t n_colours;
} zones;

/* ---- export.c ------------------------------------------------------------ */

/* Checks map m (errors as zs_export_geojson) and groups its points into
 * *z; on failure *z holds nothing to free. */
zs_status zs_exp_zones_build(const zs_export_map *m, zones *z, zs_err *err);
void zs_exp_zones_free(zones *z);

/* What both writers draw: map m checked, its points grouped into *z,
 * the zones coloured (zs_export_colour_zones) and their shapes into *sh.
 * On failure nothing is left to free. */
zs_status zs_exp_prepare(const zs_export_map *m, zones *z, zs_export_shapes **sh, zs_err *err);

/* The shapes of map m over its zones z into *out (NULL on failure). */
zs_status zs_exp_shapes_build(const zs_export_map *m, const zones *z, zs_export_shapes **out,
                              zs_err *err);

/* Flushes f: ZS_EIO "write error: ..." when f reports one. */
zs_status zs_exp_finish(FILE *f, zs_err *err);

/* A writer to a stream, and the same to a file path: written as path.tmp,
 * closed and renamed (see zs_export_geojson_file). */
typedef zs_status (*writer_fn)(FILE *, const zs_export_map *, zs_err *);
zs_status zs_exp_write_file(const char *path, const zs_export_map *m, writer_fn fn, zs_err *err);

/* ---- export_geom.c ------------------------------------------------------- */

/* One polygon of one ring per zone, the zone's hull, into s (whose k is
 * set; the arrays are allocated here). */
zs_status zs_exp_hull_shapes(const zs_points *p, const zones *z, zs_export_shapes *s, zs_err *err);

/* Sets *found when the interiors of two of the hulls in s overlap. */
zs_status zs_exp_hulls_overlap(const zs_export_shapes *s, int *found, zs_err *err);

/* ---- export_barrier.c ---------------------------------------------------- */

/* The barrier segments of a map cut to the cell outline's grid (nx x ny
 * base cells of side h from (x0, y0)) and bucketed by base cell. */
typedef struct {
    const double *seg;  /* n segments, 4 numbers each: the parts inside the grid */
    size_t n;
    double *own;        /* seg's storage */
    double x0, y0, h;
    size_t nx, ny;
    size_t *bstart;     /* nx ny + 1: segments of cell c are bseg[bstart[c] .. bstart[c + 1]) */
    size_t *bseg;
    size_t max_bucket;  /* the most segments in one cell */
    size_t *sat;        /* (nx + 1)(ny + 1): summed-area table of the bucket sizes */
    size_t *near;       /* n: the last zs_exp_barriers_gather's segments */
    size_t n_near;
    unsigned *stamp;    /* n: zs_exp_barriers_gather's dedup */
    unsigned stamp_now;
} zs_exp_barriers;

/* Cuts the n segments seg (4 numbers each, as zs_export_map.barrier_seg;
 * not kept) to the grid described above and buckets them into *b: a
 * segment or its part outside the grid is left out (every path tested
 * lies inside), and an end inside is kept exactly.  Costs O(n + cells the
 * segments pass through + nx ny).  On failure (ZS_ENOMEM) *b holds nothing
 * to free. */
zs_status zs_exp_barriers_build(zs_exp_barriers *b, const double *seg, size_t n, double x0,
                                double y0, double h, size_t nx, size_t ny, zs_err *err);
void zs_exp_barriers_free(zs_exp_barriers *b);

/* How many (segment, cell) entries lie in the base cells within r cells
 * of (bi, bj) (0: no barrier there), O(1). */
size_t zs_exp_barriers_count(const zs_exp_barriers *b, size_t bi, size_t bj, size_t r);

/* The distinct segments in the base cells within r cells of (bi, bj) into
 * b->near[0 .. b->n_near), in bucket order; returns b->n_near. */
size_t zs_exp_barriers_gather(zs_exp_barriers *b, size_t bi, size_t bj, size_t r);

/* 1 when segment s (4 numbers) has a point in the closed box [x0, x1] x
 * [y0, y1]. */
int zs_exp_seg_hits_box(const double *s, double x0, double y0, double x1, double y1);

/* 1 when the straight path from (cx, cy) to (qx, qy) crosses barrier
 * segment s: its ends lie strictly on opposite sides of s's line and s
 * meets the path (an end of s on it counts, so a path through the vertex
 * of two segments is stopped).  An end of the path on s's line does not
 * cross: a point on a barrier sees both sides. */
int zs_exp_seg_crosses(const double *s, double cx, double cy, double qx, double qy);

/* 1 when the path from (cx, cy) to (qx, qy) crosses any of the segments
 * ids[0..n_ids) of b. */
int zs_exp_barriers_block(const zs_exp_barriers *b, const size_t *ids, size_t n_ids, double cx,
                          double cy, double qx, double qy);

/* ---- export_cells.c ------------------------------------------------------ */

/* The cell-union shapes of the plan into s (see engine/maps/export.h); s
 * has k set and no arrays. */
zs_status zs_exp_cell_shapes(const zs_export_map *m, zs_export_shapes *s, zs_err *err);

#endif
