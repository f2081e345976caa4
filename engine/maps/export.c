/*
 * engine/maps/export.c -- maps of a zone plan (engine/maps/export.h): the
 * map checked and its points grouped by zone, the outline chosen and the
 * zones' shapes built, and a writer's output to a file.
 *
 * Both writers (export_geojson.c, export_svg.c) group the points by zone
 * once (a counting sort, O(n)) and build each zone's hull in shared
 * scratch, so a 10^6-point plan costs one sort per zone and no allocation
 * per zone; the hulls are in export_geom.c, the cell unions in
 * export_cells.c.  Output goes through stdio; a failed write is detected
 * once at the end through ferror, which stdio keeps sticky.
 */
#include "maps/export.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "input/files.h"
#include "maps/export_internal.h"
#include "network/osm.h"
#include "sim/sim.h"

/* ---- zones grouped for drawing --------------------------------------------- */

void zs_exp_zones_free(zones *z)
{
    zs_free(z->start);
    zs_free(z->order);
    zs_free(z->parcels);
    zs_free(z->scratch);
    zs_free(z->hull);
    zs_free(z->colour);
    z->colour = NULL;
}

static zs_status zones_colour(const zs_export_map *m, zones *z, zs_err *err)
{
    if (!(z->colour = zs_malloc_array(z->k, sizeof *z->colour)))
        return ZS_NOMEM(err);
    return zs_export_colour_zones(m->points, m->part, z->colour, &z->n_colours, err);
}

static zs_status check_map(const zs_export_map *m, zs_err *err)
{
    if (!m || !m->points || !m->part)
        return zs_err_set(err, ZS_EINVAL, "nothing to export: no points or no plan");
    const zs_points *p = m->points;
    const zs_partition *pa = m->part;
    if (pa->n != p->n)
        return zs_err_set(err, ZS_EINVAL, "the plan covers %zu points, but there are %zu", pa->n,
                          p->n);
    if (pa->k < 1 || !pa->label)
        return zs_err_set(err, ZS_EINVAL, "the plan has no zones");
    if ((int)m->outline < (int)ZS_EXPORT_OUTLINE_AUTO || (int)m->outline > (int)ZS_EXPORT_OUTLINE_CELLS)
        return zs_err_set(err, ZS_EINVAL, "outline = %d; must be auto, hull or cells",
                          (int)m->outline);
    for (size_t i = 0; i < pa->n; i++)
        if (pa->zone[i] < 0 || (size_t)pa->zone[i] >= pa->k)
            return zs_err_set(err, ZS_EINVAL, "point '%s' has zone %ld outside 0..%zu", p->id[i],
                              (long)pa->zone[i], pa->k - 1);
    if (m->n_barrier_seg && !m->barrier_seg)
        return zs_err_set(err, ZS_EINVAL, "%zu barrier segments without coordinates",
                          m->n_barrier_seg);
    if (m->n_street_seg && (!m->street_seg || !m->street_class))
        return zs_err_set(err, ZS_EINVAL, "%zu street segments without coordinates or classes",
                          m->n_street_seg);
    for (size_t b = 0; b < 4 * m->n_street_seg; b++)
        if (!isfinite(m->street_seg[b]))
            return zs_err_set(err, ZS_EINVAL, "street segment %zu has a coordinate that is not "
                              "finite", b / 4);
    for (size_t b = 0; b < m->n_barrier_seg; b++)
        for (int c = 0; c < 4; c++)
            if (!isfinite(m->barrier_seg[4 * b + c]))
                return zs_err_set(err, ZS_EINVAL, "barrier segment %zu has a coordinate that is "
                                                  "not a finite number", b + 1);
    const zs_plan_summary *s = m->summary;
    if (s && (s->zones != pa->k || !s->zone[ZS_M_WORK_MIN] || !s->zone[ZS_M_OVERTIME_MIN] ||
              !s->zone[ZS_M_STOPS]))
        return zs_err_set(err, ZS_EINVAL, "the summary has %zu zones, the plan %zu", s->zones,
                          pa->k);
    return ZS_OK;
}

zs_status zs_exp_zones_build(const zs_export_map *m, zones *z, zs_err *err)
{
    memset(z, 0, sizeof *z);
    zs_status st = check_map(m, err);
    if (st != ZS_OK)
        return st;
    size_t n = m->points->n, k = m->part->k;
    const int32_t *zone = m->part->zone;
    z->k = k;
    if (!(z->start = zs_calloc(k + 1, sizeof *z->start)) ||
        !(z->order = zs_malloc_array(n ? n : 1, sizeof *z->order)) ||
        !(z->parcels = zs_calloc(k, sizeof *z->parcels)) ||
        !(z->scratch = zs_malloc_array(n ? n : 1, sizeof *z->scratch)) ||
        !(z->hull = zs_malloc_array(2 * n + 4, sizeof *z->hull))) {
        zs_exp_zones_free(z);
        return ZS_NOMEM(err);
    }
    for (size_t i = 0; i < n; i++) {
        z->start[zone[i] + 1]++;
        z->parcels[zone[i]] += m->points->parcels[i]; /* in point order: reproducible bits */
    }
    for (size_t j = 0; j < k; j++)
        if (z->start[j + 1] == 0) {
            zs_exp_zones_free(z);
            return zs_err_set(err, ZS_EINVAL, "zone '%s' has no points", m->part->label[j]);
        }
    for (size_t j = 0; j < k; j++)
        z->start[j + 1] += z->start[j];
    /* Fill from the back so each zone keeps point order (stable). */
    for (size_t i = n; i-- > 0;)
        z->order[--z->start[zone[i] + 1]] = i;
    /* start[j + 1] now holds start of zone j; shift back into place. */
    for (size_t j = 0; j < k; j++)
        z->start[j] = z->start[j + 1];
    z->start[k] = n;
    return ZS_OK;
}

size_t zs_export_line_run(const double *sg, const int32_t *ft, size_t n, size_t a)
{
    size_t b = a + 1;
    while (b < n && (!ft || ft[b] == ft[a]) && sg[4 * b] == sg[4 * (b - 1) + 2] &&
           sg[4 * b + 1] == sg[4 * (b - 1) + 3])
        b++;
    return b;
}

int zs_export_bridge(const zs_partition *pa, size_t n, size_t b, uint32_t end[2])
{
    if (!pa->territory.bridge || b >= pa->territory.bridges)
        return 0;
    end[0] = pa->territory.bridge[2 * b];
    end[1] = pa->territory.bridge[2 * b + 1];
    return end[0] < n && end[1] < n && pa->zone[end[0]] == pa->zone[end[1]];
}

int zs_export_street_tier(int cls)
{
    return cls <= ZS_HW_PRIMARY ? 0 : cls <= ZS_HW_TERTIARY ? 1 : 2;
}

zs_status zs_exp_finish(FILE *f, zs_err *err)
{
    if (fflush(f) != 0 || ferror(f))
        return zs_err_set(err, ZS_EIO, "write error: %s", strerror(errno ? errno : EIO));
    return ZS_OK;
}

/* ---- outlines ---------------------------------------------------------------- */

zs_status zs_export_outline_parse(const char *s, zs_export_outline *out, zs_err *err)
{
    static const zs_export_outline all[] = {ZS_EXPORT_OUTLINE_HULL, ZS_EXPORT_OUTLINE_CELLS,
                                            ZS_EXPORT_OUTLINE_AUTO};
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(s, zs_export_outline_name(all[i]))) {
            *out = all[i];
            return ZS_OK;
        }
    return zs_err_set(err, ZS_EINVAL, "outline '%s' is not hull, cells or auto", s ? s : "");
}

const char *zs_export_outline_name(zs_export_outline o)
{
    switch (o) {
    case ZS_EXPORT_OUTLINE_AUTO: return "auto";
    case ZS_EXPORT_OUTLINE_HULL: return "hull";
    case ZS_EXPORT_OUTLINE_CELLS: return "cells";
    }
    return "?";
}

/* Releases the arrays, keeping k: a hull attempt given up for cells. */
static void shapes_clear(zs_export_shapes *s)
{
    zs_free(s->zone_poly);
    zs_free(s->poly_ring);
    zs_free(s->ring_vert);
    zs_free(s->v);
    zs_free(s->outside);
    size_t k = s->k;
    memset(s, 0, sizeof *s);
    s->k = k;
}

void zs_export_shapes_free(zs_export_shapes *s)
{
    if (!s)
        return;
    shapes_clear(s);
    zs_free(s);
}

/* ---- shapes -------------------------------------------------------------------- */

/* The shapes of map m over its zones z. */
zs_status zs_exp_shapes_build(const zs_export_map *m, const zones *z, zs_export_shapes **out,
                              zs_err *err)
{
    *out = NULL;
    zs_export_shapes *s = zs_calloc(1, sizeof *s);
    if (!s)
        return ZS_NOMEM(err);
    s->k = z->k;
    zs_status st = ZS_OK;
    /* hulls ignore barriers, cells follow them */
    int cells = m->outline == ZS_EXPORT_OUTLINE_CELLS ||
                (m->outline == ZS_EXPORT_OUTLINE_AUTO && m->n_barrier_seg);
    if (!cells) {
        st = zs_exp_hull_shapes(m->points, z, s, err);
        if (st == ZS_OK && m->outline == ZS_EXPORT_OUTLINE_AUTO)
            st = zs_exp_hulls_overlap(s, &cells, err);
        if (st == ZS_OK && cells)
            shapes_clear(s);
    }
    if (st == ZS_OK && cells)
        st = zs_exp_cell_shapes(m, s, err);
    if (st != ZS_OK) {
        zs_export_shapes_free(s);
        return st;
    }
    *out = s;
    return ZS_OK;
}

zs_status zs_export_shapes_create(const zs_export_map *m, zs_export_shapes **out, zs_err *err)
{
    zones z;
    *out = NULL;
    zs_status st = zs_exp_zones_build(m, &z, err);
    if (st != ZS_OK)
        return st;
    st = zs_exp_shapes_build(m, &z, out, err);
    zs_exp_zones_free(&z);
    return st;
}

zs_status zs_exp_prepare(const zs_export_map *m, zones *z, zs_export_shapes **sh, zs_err *err)
{
    *sh = NULL;
    zs_status st = zs_exp_zones_build(m, z, err);
    if (st != ZS_OK)
        return st;
    if ((st = zones_colour(m, z, err)) == ZS_OK)
        st = zs_exp_shapes_build(m, z, sh, err);
    if (st != ZS_OK)
        zs_exp_zones_free(z);
    return st;
}

/* ---- to a file ------------------------------------------------------------------ */

/* zs_file_write_atomic's writer for a map: the map and its writer. */
typedef struct {
    const zs_export_map *m;
    writer_fn fn;
} map_job;

static zs_status write_map(FILE *f, const void *ctx, zs_err *err)
{
    const map_job *j = ctx;
    return j->fn(f, j->m, err);
}

zs_status zs_exp_write_file(const char *path, const zs_export_map *m, writer_fn fn, zs_err *err)
{
    map_job j = {m, fn};
    return zs_file_write_atomic(path, write_map, &j, ZS_EIO, err);
}
