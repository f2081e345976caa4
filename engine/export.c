/*
 * engine/export.c -- GeoJSON and SVG maps of a zone plan (engine/export.h).
 *
 * Both writers group the points by zone once (a counting sort, O(n)) and
 * build each zone's hull in shared scratch, so a 10^6-point plan costs one
 * sort per zone and no allocation per zone.  Output goes through stdio; a
 * failed write is detected once at the end through ferror, which stdio
 * keeps sticky.
 */
#include "export.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../models/alloc.h"
#include "../models/ptype.h"
#include "sim.h"

static const double PI = 3.14159265358979323846;

/* ---- geometry ------------------------------------------------------------ */

static int cmp_xy(const void *pa, const void *pb)
{
    const zs_xy *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return 0;
}

/* > 0 when o -> a -> b turns left (counter-clockwise). */
static double cross(zs_xy o, zs_xy a, zs_xy b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

size_t zs_export_hull(zs_xy *p, size_t n, double pad_m, zs_xy *h)
{
    if (n == 0)
        return 0;
    qsort(p, n, sizeof *p, cmp_xy);
    /* Lower chain left to right, then upper chain right to left; popping
     * on cross <= 0 drops collinear and repeated points. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    for (size_t i = n - 1, t = k + 1; i-- > 0;) {
        while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    if (k >= 4)
        return k - 1; /* the last vertex repeats the first */
    /* Fewer than three corners: the points are equal or on a line, and
     * after sorting p[0] and p[n-1] are the ends of that line. */
    zs_xy a = p[0], b = p[n - 1];
    double dx = b.x - a.x, dy = b.y - a.y, len = hypot(dx, dy);
    double ux = 1, uy = 0;
    if (len > 0) {
        ux = dx / len;
        uy = dy / len;
    }
    /* Along u by pad past each end, across by pad on each side: for u =
     * (1, 0) this is the square or rectangle from lower left, CCW. */
    double px = pad_m * ux, py = pad_m * uy; /* pad along u */
    double qx = -py, qy = px;                /* pad along the left normal */
    h[0] = (zs_xy){a.x - px - qx, a.y - py - qy};
    h[1] = (zs_xy){b.x + px - qx, b.y + py - qy};
    h[2] = (zs_xy){b.x + px + qx, b.y + py + qy};
    h[3] = (zs_xy){a.x - px + qx, a.y - py + qy};
    return 4;
}

void zs_export_unproject(const zs_points *p, double x, double y, double *lon, double *lat)
{
    /* The exact inverse of engine/points.c's project(), term by term. */
    *lon = p->lon0 + x / (ZS_EXPORT_EARTH_R_M * cos(p->lat0 * PI / 180.0)) * 180.0 / PI;
    *lat = p->lat0 + y / ZS_EXPORT_EARTH_R_M * 180.0 / PI;
}

/* ---- zones grouped for drawing --------------------------------------------- */

typedef struct {
    size_t k;
    size_t *start;   /* k + 1 offsets into order */
    size_t *order;   /* point indices, grouped by zone, in point order */
    double *parcels; /* k sums of mean parcels */
    zs_xy *scratch;  /* n: one zone's points, sorted by the hull */
    zs_xy *hull;     /* 2 n + 4 */
} zones;

static void zones_free(zones *z)
{
    zs_free(z->start);
    zs_free(z->order);
    zs_free(z->parcels);
    zs_free(z->scratch);
    zs_free(z->hull);
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
    for (size_t i = 0; i < pa->n; i++)
        if (pa->zone[i] < 0 || (size_t)pa->zone[i] >= pa->k)
            return zs_err_set(err, ZS_EINVAL, "point '%s' has zone %ld outside 0..%zu", p->id[i],
                              (long)pa->zone[i], pa->k - 1);
    const zs_plan_summary *s = m->summary;
    if (s && (s->zones != pa->k || !s->zone[ZS_M_WORK_MIN] || !s->zone[ZS_M_OVERTIME_MIN] ||
              !s->zone[ZS_M_STOPS]))
        return zs_err_set(err, ZS_EINVAL, "the summary has %zu zones, the plan %zu", s->zones,
                          pa->k);
    return ZS_OK;
}

static zs_status zones_build(const zs_export_map *m, zones *z, zs_err *err)
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
        zones_free(z);
        return ZS_NOMEM(err);
    }
    for (size_t i = 0; i < n; i++) {
        z->start[zone[i] + 1]++;
        z->parcels[zone[i]] += m->points->parcels[i]; /* in point order: reproducible bits */
    }
    for (size_t j = 0; j < k; j++)
        if (z->start[j + 1] == 0) {
            zones_free(z);
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

/* Hull of zone j into z->hull; returns its vertex count (0 for an empty
 * zone, which a valid plan does not have). */
static size_t zone_hull(const zones *z, const zs_points *p, size_t j)
{
    size_t c = 0;
    for (size_t t = z->start[j]; t < z->start[j + 1]; t++) {
        size_t i = z->order[t];
        z->scratch[c++] = (zs_xy){p->x[i], p->y[i]};
    }
    return zs_export_hull(z->scratch, c, ZS_EXPORT_PAD_M, z->hull);
}

static zs_status finish(FILE *f, zs_err *err)
{
    if (fflush(f) != 0 || ferror(f))
        return zs_err_set(err, ZS_EIO, "write error: %s", strerror(errno ? errno : EIO));
    return ZS_OK;
}

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

zs_status zs_export_geojson(FILE *f, const zs_export_map *m, zs_err *err)
{
    zones z;
    zs_status st = zones_build(m, &z, err);
    if (st != ZS_OK)
        return st;
    const zs_points *p = m->points;
    const zs_partition *pa = m->part;
    const zs_plan_summary *s = m->summary;
    fputs("{\"type\":\"FeatureCollection\",\n\"zonesim_plan\":", f);
    json_str(f, m->plan);
    /* RFC 7946 positions are WGS 84 degrees; planar metres are not, and
     * the foreign member says so rather than a "crs" the RFC removed. */
    if (!p->has_lonlat)
        fputs(",\n\"zonesim_units\":\"m\"", f);
    fputs(",\n\"features\":[\n", f);
    for (size_t j = 0; j < z.k; j++) {
        size_t nv = zone_hull(&z, p, j);
        fputs("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[", f);
        for (size_t v = 0; v <= nv; v++) { /* v == nv closes the ring */
            if (v)
                putc(',', f);
            const zs_xy *q = &z.hull[v % nv];
            json_pos(f, p, q->x, q->y);
        }
        fputs("]]},\"properties\":{\"kind\":\"zone\",\"zone\":", f);
        json_str(f, pa->label[j]);
        fprintf(f, ",\"stops\":%zu,\"parcels_mean\":", z.start[j + 1] - z.start[j]);
        json_num(f, z.parcels[j]);
        if (s) {
            fputs(",\"work_h_mean\":", f);
            json_num(f, s->zone[ZS_M_WORK_MIN][j].mean / 60.0);
            fputs(",\"work_h_p90\":", f);
            json_num(f, s->zone[ZS_M_WORK_MIN][j].p90 / 60.0);
            fputs(",\"overtime_h_mean\":", f);
            json_num(f, s->zone[ZS_M_OVERTIME_MIN][j].mean / 60.0);
            fputs(",\"stops_mean_simulated\":", f);
            json_num(f, s->zone[ZS_M_STOPS][j].mean);
        }
        fputs("}},\n", f);
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
    zones_free(&z);
    return finish(f, err);
}

/* ---- SVG ------------------------------------------------------------------------ */

/* ColorBrewer "Paired" (12 classes, qualitative): light/dark pairs, so
 * neighbouring zone indices still differ in lightness. */
static const char *const palette[12] = {"#a6cee3", "#1f78b4", "#b2df8a", "#33a02c",
                                        "#fb9a99", "#e31a1c", "#fdbf6f", "#ff7f00",
                                        "#cab2d6", "#6a3d9a", "#ffff99", "#b15928"};

#define SVG_W 1000.0      /* px: the viewport width */
#define SVG_MARGIN 20.0   /* px around the map */
#define SVG_TITLE_H 40.0  /* px above the map */
#define SVG_MAP_H_MAX 1400.0 /* px: a tall area is scaled to this height */
#define SVG_LEGEND_COLS 4
#define SVG_LEGEND_ROW 20.0 /* px */

static void xml_str(FILE *f, const char *s)
{
    for (const char *c = s ? s : ""; *c; c++) {
        switch (*c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            /* XML 1.0 forbids most control characters even escaped. */
            putc((unsigned char)*c < 0x20 ? ' ' : *c, f);
        }
    }
}

typedef struct {
    double xmin, ymax, scale, ox, oy;
} view;

static double vx(const view *v, double x)
{
    return v->ox + (x - v->xmin) * v->scale;
}

/* North up: SVG's y grows downwards. */
static double vy(const view *v, double y)
{
    return v->oy + (v->ymax - y) * v->scale;
}

zs_status zs_export_svg(FILE *f, const zs_export_map *m, zs_err *err)
{
    zones z;
    zs_status st = zones_build(m, &z, err);
    if (st != ZS_OK)
        return st;
    const zs_points *p = m->points;
    const zs_partition *pa = m->part;
    const zs_plan_summary *s = m->summary;

    /* The box of points, depot and padded hulls, plus a pad's margin. */
    double xmin = m->depot_x, xmax = m->depot_x, ymin = m->depot_y, ymax = m->depot_y;
    for (size_t i = 0; i < p->n; i++) {
        xmin = fmin(xmin, p->x[i]);
        xmax = fmax(xmax, p->x[i]);
        ymin = fmin(ymin, p->y[i]);
        ymax = fmax(ymax, p->y[i]);
    }
    double pad = 2 * ZS_EXPORT_PAD_M;
    xmin -= pad;
    xmax += pad;
    ymin -= pad;
    ymax += pad;
    double dx = xmax - xmin, dy = ymax - ymin;
    double map_w = SVG_W - 2 * SVG_MARGIN;
    view v = {xmin, ymax, map_w / dx, 0, SVG_MARGIN + SVG_TITLE_H};
    if (dy * v.scale > SVG_MAP_H_MAX)
        v.scale = SVG_MAP_H_MAX / dy;
    v.ox = SVG_MARGIN + (map_w - dx * v.scale) / 2; /* centred when height-bound */
    double map_h = dy * v.scale;
    size_t rows = (z.k + SVG_LEGEND_COLS - 1) / SVG_LEGEND_COLS;
    double legend_y = v.oy + map_h + SVG_MARGIN;
    double h = legend_y + (double)rows * SVG_LEGEND_ROW + SVG_MARGIN;
    /* Dots shrink for dense plans so zones stay visible under them. */
    double r = p->n > 20000 ? 0.8 : p->n > 2000 ? 1.5 : 2.5;

    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n",
            SVG_W, ceil(h), SVG_W, ceil(h));
    fputs("<title>zonesim plan '", f);
    xml_str(f, m->plan);
    fputs("'</title>\n", f);
    fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", SVG_W,
            ceil(h));
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"18\">plan '", SVG_MARGIN, SVG_MARGIN + 14);
    xml_str(f, m->plan);
    fprintf(f, "': %zu zones, %zu points%s</text>\n", z.k, p->n,
            s ? ", mean work hours per courier-day" : "");

    fputs("<g id=\"zones\" stroke-width=\"1.5\" fill-opacity=\"0.35\">\n", f);
    for (size_t j = 0; j < z.k; j++) {
        size_t nv = zone_hull(&z, p, j);
        const char *col = palette[j % 12];
        fprintf(f, "<polygon fill=\"%s\" stroke=\"%s\" points=\"", col, col);
        for (size_t t = 0; t < nv; t++)
            fprintf(f, "%s%.1f,%.1f", t ? " " : "", vx(&v, z.hull[t].x), vy(&v, z.hull[t].y));
        fputs("\"><title>", f);
        xml_str(f, pa->label[j]);
        fputs("</title></polygon>\n", f);
    }
    fputs("</g>\n<g id=\"points\" stroke=\"#333\" stroke-width=\"0.3\">\n", f);
    for (size_t i = 0; i < p->n; i++)
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n", vx(&v, p->x[i]),
                vy(&v, p->y[i]), r, palette[pa->zone[i] % 12]);
    fputs("</g>\n<g id=\"labels\" font-size=\"11\" fill=\"#222\" text-anchor=\"middle\">\n", f);
    for (size_t j = 0; j < z.k; j++) {
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", vx(&v, pa->cx[j]), vy(&v, pa->cy[j]));
        xml_str(f, pa->label[j]);
        fputs("</text>\n", f);
    }
    fprintf(f, "</g>\n<rect id=\"depot\" x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" "
               "fill=\"black\"><title>depot</title></rect>\n",
            vx(&v, m->depot_x) - 5, vy(&v, m->depot_y) - 5);

    fputs("<g id=\"legend\" font-size=\"12\">\n", f);
    double col_w = (SVG_W - 2 * SVG_MARGIN) / SVG_LEGEND_COLS;
    for (size_t j = 0; j < z.k; j++) {
        double x = SVG_MARGIN + (double)(j % SVG_LEGEND_COLS) * col_w;
        double y = legend_y + (double)(j / SVG_LEGEND_COLS) * SVG_LEGEND_ROW;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y,
                palette[j % 12]);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + 18, y + 11);
        xml_str(f, pa->label[j]);
        fprintf(f, ": %zu stops", z.start[j + 1] - z.start[j]);
        if (s && isfinite(s->zone[ZS_M_WORK_MIN][j].mean))
            fprintf(f, ", %.2f h", s->zone[ZS_M_WORK_MIN][j].mean / 60.0);
        fputs("</text>\n", f);
    }
    fputs("</g>\n</svg>\n", f);
    zones_free(&z);
    return finish(f, err);
}

/* ---- to a file ------------------------------------------------------------------ */

typedef zs_status (*writer_fn)(FILE *, const zs_export_map *, zs_err *);

static zs_status write_file(const char *path, const zs_export_map *m, writer_fn fn, zs_err *err)
{
    if (!path || !*path)
        return zs_err_set(err, ZS_EINVAL, "output file name is empty");
    size_t len = strlen(path);
    char *tmp = zs_malloc(len + sizeof ".tmp");
    if (!tmp)
        return ZS_NOMEM(err);
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp", sizeof ".tmp");
    zs_status st;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        st = zs_err_set(err, ZS_EIO, "%s: cannot create %s: %s", path, tmp, strerror(errno));
        zs_free(tmp);
        return st;
    }
    st = fn(f, m, err);
    if (fclose(f) != 0 && st == ZS_OK)
        st = zs_err_set(err, ZS_EIO, "write error: %s", strerror(errno));
    if (st == ZS_OK && rename(tmp, path) != 0)
        st = zs_err_set(err, ZS_EIO, "cannot rename %s to it: %s", tmp, strerror(errno));
    if (st != ZS_OK) {
        if (st != ZS_ENOMEM)
            zs_err_prefix(err, "%s", path);
        remove(tmp); /* may already be gone: nothing to report */
    }
    zs_free(tmp);
    return st;
}

zs_status zs_export_geojson_file(const char *path, const zs_export_map *m, zs_err *err)
{
    return write_file(path, m, zs_export_geojson, err);
}

zs_status zs_export_svg_file(const char *path, const zs_export_map *m, zs_err *err)
{
    return write_file(path, m, zs_export_svg, err);
}
