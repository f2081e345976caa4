/*
 * engine/maps/export_internal.h -- shared by the files of the export module
 * (engine/maps/export.h): export.c (points grouped by zone, the shapes
 * chosen and built, output to a file), export_geom.c (convex hulls and
 * whether they overlap), export_cells.c (cell-union outlines: rings with
 * holes), export_geojson.c and export_svg.c (the writers).  Only the files
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

/* ---- export_cells.c ------------------------------------------------------ */

/* The cell-union shapes of the plan into s (see engine/maps/export.h); s
 * has k set and no arrays. */
zs_status zs_exp_cell_shapes(const zs_export_map *m, zs_export_shapes *s, zs_err *err);

#endif
