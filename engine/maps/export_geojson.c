/*
 * engine/maps/export_geojson.c -- a plan as a GeoJSON FeatureCollection
 * (zs_export_geojson in engine/maps/export.h).
 *
 * One Polygon or MultiPolygon feature per zone, with its delivery points
 * ("points"), parcels, colour (index and "fill" hex, no two neighbours
 * alike) and, when simulated, mean stops a day ("stops_per_day_mean") and
 * work hours; one LineString feature per barrier line and per bridge (a
 * pocket's crossing into its zone); one Point feature
 * per delivery point; the depot.  Positions are lon/lat degrees when the points came in
 * lon/lat, else planar metres marked by the foreign member
 * "zonesim_units"; numbers JSON cannot hold (NaN, infinity) are null.
 */
#include <math.h>
#include <stdio.h>

#include "models/ptype.h"
#include "maps/export_internal.h"
#include "network/osm.h"
#include "sim/sim.h"

/* ---- GeoJSON ----------------------------------------------------------------- */

/* A JSON string literal (RFC 8259: quote, backslash and control
 * characters escaped; other bytes, UTF-8 included, as they are). */
static void json_str(FILE *f, const char *s)
{
    putc('"', f);
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c == '\n')
            fputs("\\n", f);
        else if (*c < 0x20)
            fprintf(f, "\\u%04x", *c);
        else
            putc(*c, f);
    }
    putc('"', f);
}

/* A JSON number, or null: JSON has no NaN or infinity. */
static void json_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.10g", v);
    else
        fputs("null", f);
}

/* A position: degrees to 10 significant digits (about 1 cm) when the
 * points have lon/lat, else metres to the millimetre. */
static void json_pos(FILE *f, const zs_points *p, double x, double y)
{
    if (p->has_lonlat) {
        double lon, lat;
        zs_export_unproject(p, x, y, &lon, &lat);
        fprintf(f, "[%.10g,%.10g]", lon, lat);
    } else {
        fprintf(f, "[%.3f,%.3f]", x, y);
    }
}

/* One ring, closed: its first position repeated last. */
static void json_ring(FILE *f, const zs_points *p, const zs_export_shapes *sh, size_t r)
{
    size_t a = sh->ring_vert[r], b = sh->ring_vert[r + 1];
    putc('[', f);
    for (size_t t = a; t <= b; t++) {
        if (t > a)
            putc(',', f);
        const zs_xy *q = &sh->v[t < b ? t : a];
        json_pos(f, p, q->x, q->y);
    }
    putc(']', f);
}

/* One polygon's coordinates: outer ring, then holes. */
static void json_polygon(FILE *f, const zs_points *p, const zs_export_shapes *sh, size_t q)
{
    putc('[', f);
    for (size_t r = sh->poly_ring[q]; r < sh->poly_ring[q + 1]; r++) {
        if (r > sh->poly_ring[q])
            putc(',', f);
        json_ring(f, p, sh, r);
    }
    putc(']', f);
}

zs_status zs_export_geojson(FILE *f, const zs_export_map *m, zs_err *err)
{
    zones z;
    zs_export_shapes *sh = NULL;
    zs_status st = zs_exp_prepare(m, &z, &sh, err);
    if (st != ZS_OK)
        return st;
    const zs_points *p = m->points;
    const zs_partition *pa = m->part;
    const zs_plan_summary *s = m->summary;
    int cells = sh->outline == ZS_EXPORT_OUTLINE_CELLS;
    fputs("{\"type\":\"FeatureCollection\",\n\"zonesim_plan\":", f);
    json_str(f, m->plan);
    /* RFC 7946 positions are WGS 84 degrees; planar metres are not, and
     * the foreign member says so rather than a "crs" the RFC removed. */
    if (!p->has_lonlat)
        fputs(",\n\"zonesim_units\":\"m\"", f);
    if (cells) {
        fputs(",\n\"zonesim_cell_m\":", f);
        json_num(f, sh->cell_m);
    }
    fputs(",\n\"features\":[\n", f);
    for (size_t j = 0; j < z.k; j++) {
        size_t q0 = sh->zone_poly[j], q1 = sh->zone_poly[j + 1];
        fputs("{\"type\":\"Feature\",\"geometry\":{\"type\":", f);
        if (q1 - q0 == 1) {
            fputs("\"Polygon\",\"coordinates\":", f);
            json_polygon(f, p, sh, q0);
        } else { /* a zone in pieces; none at all only for points on top of others */
            fputs("\"MultiPolygon\",\"coordinates\":[", f);
            for (size_t q = q0; q < q1; q++) {
                if (q > q0)
                    putc(',', f);
                json_polygon(f, p, sh, q);
            }
            putc(']', f);
        }
        fputs("},\"properties\":{\"kind\":\"zone\",\"zone\":", f);
        json_str(f, pa->label[j]);
        /* "points" are the zone's delivery points; "stops_per_day_mean" the
         * simulation's mean of the points visited a day. */
        fprintf(f, ",\"points\":%zu,\"parcels_mean\":", z.start[j + 1] - z.start[j]);
        json_num(f, z.parcels[j]);
        fprintf(f, ",\"colour\":%ld,\"fill\":\"%s\"", (long)z.colour[j],
                zs_export_colour_hex((size_t)z.colour[j]));
        if (s) {
            fputs(",\"stops_per_day_mean\":", f);
            json_num(f, s->zone[ZS_M_STOPS][j].mean);
            fputs(",\"work_h_mean\":", f);
            json_num(f, s->zone[ZS_M_WORK_MIN][j].mean / 60.0);
            fputs(",\"work_h_p90\":", f);
            json_num(f, s->zone[ZS_M_WORK_MIN][j].p90 / 60.0);
            fputs(",\"overtime_h_mean\":", f);
            json_num(f, s->zone[ZS_M_OVERTIME_MIN][j].mean / 60.0);
        }
        fprintf(f, ",\"outline\":\"%s\"", zs_export_outline_name(sh->outline));
        if (cells && sh->outside[j])
            fprintf(f, ",\"points_outside\":%zu", sh->outside[j]);
        fputs("}},\n", f);
    }
    /* Barriers: one LineString per run of joined segments of a feature. */
    const double *sg = m->barrier_seg;
    for (size_t a = 0, b; a < m->n_barrier_seg; a = b) {
        b = zs_export_line_run(m->barrier_seg, m->barrier_feature, m->n_barrier_seg, a);
        fputs("{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[", f);
        json_pos(f, p, sg[4 * a], sg[4 * a + 1]);
        for (size_t q = a; q < b; q++) {
            putc(',', f);
            json_pos(f, p, sg[4 * q + 2], sg[4 * q + 3]);
        }
        fprintf(f, "]},\"properties\":{\"kind\":\"barrier\",\"feature\":%ld}},\n",
                m->barrier_feature ? (long)m->barrier_feature[a] : 0L);
    }
    /* Bridges: a pocket's crossing into its zone, a LineString each. */
    uint32_t e[2];
    for (size_t b = 0; b < pa->territory.bridges; b++) {
        if (!zs_export_bridge(pa, p->n, b, e))
            continue;
        fputs("{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[", f);
        json_pos(f, p, p->x[e[0]], p->y[e[0]]);
        putc(',', f);
        json_pos(f, p, p->x[e[1]], p->y[e[1]]);
        fputs("]},\"properties\":{\"kind\":\"bridge\",\"zone\":", f);
        json_str(f, pa->label[pa->zone[e[0]]]);
        fputs("}},\n", f);
    }
    /* Streets: one MultiLineString per highway class present. */
    for (int c = 0; c < ZS_HW_COUNT && m->n_street_seg; c++) {
        int first = 1;
        for (size_t q = 0; q < m->n_street_seg; q++) {
            if (m->street_class[q] != c)
                continue;
            fputs(first ? "{\"type\":\"Feature\",\"geometry\":{\"type\":\"MultiLineString\","
                          "\"coordinates\":[["
                        : ",[", f);
            const double *ss = m->street_seg + 4 * q;
            json_pos(f, p, ss[0], ss[1]);
            putc(',', f);
            json_pos(f, p, ss[2], ss[3]);
            putc(']', f);
            first = 0;
        }
        if (!first)
            fprintf(f, "]},\"properties\":{\"kind\":\"street\",\"class\":\"%s\","
                       "\"source\":\"(c) OpenStreetMap contributors, ODbL 1.0\"}},\n",
                    zs_hw_name(c));
    }
    for (size_t i = 0; i < p->n; i++) {
        fputs("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":", f);
        json_pos(f, p, p->x[i], p->y[i]);
        fputs("},\"properties\":{\"kind\":\"point\",\"id\":", f);
        json_str(f, p->id[i]);
        fputs(",\"zone\":", f);
        json_str(f, pa->label[pa->zone[i]]);
        fputs(",\"type\":", f);
        json_str(f, zs_ptype_name(p->type[i]));
        fputs("}},\n", f);
    }
    fputs("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":", f);
    json_pos(f, p, m->depot_x, m->depot_y);
    fputs("},\"properties\":{\"kind\":\"depot\"}}\n]}\n", f);
    zs_export_shapes_free(sh);
    zs_exp_zones_free(&z);
    return zs_exp_finish(f, err);
}

zs_status zs_export_geojson_file(const char *path, const zs_export_map *m, zs_err *err)
{
    return zs_exp_write_file(path, m, zs_export_geojson, err);
}

