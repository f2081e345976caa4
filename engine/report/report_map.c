/*
 * engine/report/report_map.c -- a plan's map in the report
 * (zs_report_map_svg in engine/report/report.h).
 *
 * The zones are the outlines `zonesim export` draws (hulls, or cell
 * unions where hulls would overlap: engine/maps/export.h) in the same
 * colours (neighbours differ, Tol 'muted'), each one <path> whatever its
 * pieces and holes, so a zone is one shape to hover and count.  Its
 * figures ride on the path as data- attributes for the page's script and
 * the tests; a <title> gives them to a browser without script.  Points are
 * dots coloured by type (Tol 'bright'), over the zones and the barriers,
 * with the station on top.  1000 units wide, north up; the page pans and
 * zooms by rewriting the viewBox.
 */
#include <math.h>
#include <stdio.h>

#include "models/alloc.h"
#include "models/ptype.h"
#include "report/report.h"
#include "sim/sim.h"

#define MAP_W 1000.0
#define MAP_PAD 12.0      /* viewBox units around the area */
#define MAP_H_MAX 1000.0  /* a tall area is scaled to this height */
#define MAP_DOTS_MAX 30000 /* points drawn at most (every s-th beyond) */

typedef struct {
    double xmin, ymax, scale;
} view;

static double vx(const view *v, double x)
{
    return MAP_PAD + (x - v->xmin) * v->scale;
}

static double vy(const view *v, double y)
{
    return MAP_PAD + (v->ymax - y) * v->scale;
}

/* data-NAME="value" with value printed by fmt, when finite. */
static void data_attr(FILE *f, const char *name, const char *fmt, double value)
{
    if (!isfinite(value))
        return;
    fprintf(f, " data-%s=\"", name);
    fprintf(f, fmt, value);
    fputc('"', f);
}

zs_status zs_report_map_svg(FILE *f, const zs_report *r, size_t pi, zs_err *err)
{
    const zs_report_plan *p = &r->plans[pi];
    const zs_points *pts = p->points;
    const zs_partition *pa = p->part;
    const zs_export_shapes *sh = p->shapes;
    if (!pts || !pa || !sh || !p->colour || pa->n != pts->n || sh->k != pa->k)
        return zs_err_set(err, ZS_EINVAL, "plan '%s': no map to draw", p->name);
    double xmin = r->depot_x, xmax = r->depot_x, ymin = r->depot_y, ymax = r->depot_y;
    for (size_t i = 0; i < pts->n; i++) {
        xmin = fmin(xmin, pts->x[i]);
        xmax = fmax(xmax, pts->x[i]);
        ymin = fmin(ymin, pts->y[i]);
        ymax = fmax(ymax, pts->y[i]);
    }
    for (size_t t = 0; t < sh->n_vert; t++) {
        xmin = fmin(xmin, sh->v[t].x);
        xmax = fmax(xmax, sh->v[t].x);
        ymin = fmin(ymin, sh->v[t].y);
        ymax = fmax(ymax, sh->v[t].y);
    }
    double dx = fmax(xmax - xmin, 1.0), dy = fmax(ymax - ymin, 1.0);
    view v = {xmin, ymax, (MAP_W - 2 * MAP_PAD) / dx};
    if (dy * v.scale > MAP_H_MAX)
        v.scale = MAP_H_MAX / dy;
    double w = dx * v.scale + 2 * MAP_PAD, h = dy * v.scale + 2 * MAP_PAD;
    size_t *npts = zs_calloc(pa->k ? pa->k : 1, sizeof *npts);
    if (!npts)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < pts->n; i++)
        npts[pa->zone[i]]++;

    fprintf(f, "<svg class=\"map\" id=\"map-%zu\" viewBox=\"0 0 %.1f %.1f\" data-w=\"%.1f\" "
               "data-h=\"%.1f\" role=\"img\" aria-label=\"map of plan ",
            pi, w, h, w, h);
    zs_report_text(f, p->name);
    fputs("\">\n", f);
    if (r->n_street_seg) {
        /* Streets under the zones, one path per width class, those with an
         * end near the map only. */
        static const double width[3] = {2.2, 1.4, 0.7};
        double mx = 0.1 * dx, my = 0.1 * dy;
        fputs("<g class=\"streets\">\n", f);
        for (int wc = 0; wc < 3; wc++) {
            fprintf(f, "<path stroke-width=\"%.1f\" d=\"", width[wc]);
            for (size_t q = 0; q < r->n_street_seg; q++) {
                if (zs_export_street_tier(r->street_class[q]) != wc)
                    continue;
                const double *sg = r->street_seg + 4 * q;
                int near = 0;
                for (int e = 0; e < 2; e++)
                    near |= sg[2 * e] > xmin - mx && sg[2 * e] < xmax + mx &&
                            sg[2 * e + 1] > ymin - my && sg[2 * e + 1] < ymax + my;
                if (near)
                    fprintf(f, "M%.1f,%.1fL%.1f,%.1f", vx(&v, sg[0]), vy(&v, sg[1]),
                            vx(&v, sg[2]), vy(&v, sg[3]));
            }
            fputs("\"/>\n", f);
        }
        fputs("</g>\n", f);
    }
    fputs("<g class=\"zones\">\n", f);
    const zs_plan_summary *s = p->summary;
    for (size_t j = 0; j < pa->k; j++) {
        const char *col = zs_export_colour_hex((size_t)p->colour[j]);
        fprintf(f, "<path class=\"zone\" tabindex=\"0\" fill=\"%s\" stroke=\"%s\" "
                   "fill-rule=\"evenodd\" data-zone=\"%zu\" data-label=\"",
                col, col, j);
        zs_report_text(f, pa->label[j]);
        fprintf(f, "\" data-points=\"%zu\"", npts[j]);
        if (p->expected_min)
            data_attr(f, "exp-h", "%.4f", p->expected_min[j] / 60.0);
        if (s) {
            data_attr(f, "stops", "%.3f", s->zone[ZS_M_STOPS][j].mean);
            data_attr(f, "sim-h", "%.4f", s->zone[ZS_M_WORK_MIN][j].mean / 60.0);
            data_attr(f, "p90-h", "%.4f", s->zone[ZS_M_WORK_MIN][j].p90 / 60.0);
            data_attr(f, "ot-h", "%.4f", s->zone[ZS_M_OVERTIME_MIN][j].mean / 60.0);
            double st = s->zone[ZS_M_STOPS][j].mean;
            if (st > 0 && s->zone[ZS_M_FAILED_STOPS])
                data_attr(f, "first", "%.4f", 1.0 - s->zone[ZS_M_FAILED_STOPS][j].mean / st);
            if (s->zone[ZS_M_LATE])
                data_attr(f, "late", "%.3f", s->zone[ZS_M_LATE][j].mean);
        }
        fputs(" d=\"", f);
        size_t r0 = sh->poly_ring[sh->zone_poly[j]], r1 = sh->poly_ring[sh->zone_poly[j + 1]];
        for (size_t ri = r0; ri < r1; ri++)
            for (size_t t = sh->ring_vert[ri]; t < sh->ring_vert[ri + 1]; t++)
                fprintf(f, "%s%.1f,%.1f%s", t == sh->ring_vert[ri] ? (ri > r0 ? " M" : "M") : " L",
                        vx(&v, sh->v[t].x), vy(&v, sh->v[t].y),
                        t + 1 == sh->ring_vert[ri + 1] ? " Z" : "");
        fputs("\"><title>zone ", f);
        zs_report_text(f, pa->label[j]);
        fprintf(f, ": %zu point%s", npts[j], npts[j] == 1 ? "" : "s");
        if (s)
            fprintf(f, ", %.2f h simulated", s->zone[ZS_M_WORK_MIN][j].mean / 60.0);
        fputs("</title></path>\n", f);
    }
    fputs("</g>\n", f);
    if (r->n_barrier_seg && r->barrier_seg) {
        fputs("<g class=\"barriers\">\n", f);
        const double *sg = r->barrier_seg;
        for (size_t a = 0, b; a < r->n_barrier_seg; a = b) {
            /* A run of joined segments of one feature is one line. */
            b = zs_export_line_run(sg, r->barrier_feature, r->n_barrier_seg, a);
            fprintf(f, "<polyline points=\"%.1f,%.1f", vx(&v, sg[4 * a]), vy(&v, sg[4 * a + 1]));
            for (size_t q = a; q < b; q++)
                fprintf(f, " %.1f,%.1f", vx(&v, sg[4 * q + 2]), vy(&v, sg[4 * q + 3]));
            fputs("\"/>\n", f);
        }
        fputs("</g>\n", f);
    }
    /* A territory plan's bridges: a pocket's crossing into its zone,
     * dashed in the zone's colour on a white casing. */
    size_t n_bridge = 0;
    uint32_t e[2];
    for (size_t b = 0; b < pa->territory.bridges; b++) {
        if (!zs_export_bridge(pa, pts->n, b, e))
            continue;
        uint32_t u = e[0], q = e[1];
        if (!n_bridge++)
            fputs("<g class=\"bridges\">\n", f);
        double x0 = vx(&v, pts->x[u]), y0 = vy(&v, pts->y[u]);
        double x1 = vx(&v, pts->x[q]), y1 = vy(&v, pts->y[q]);
        fprintf(f, "<line class=\"cas\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                   "<line stroke=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                x0, y0, x1, y1, zs_export_colour_hex((size_t)p->colour[pa->zone[u]]), x0, y0, x1,
                y1);
    }
    if (n_bridge)
        fputs("</g>\n", f);
    size_t stride = pts->n > MAP_DOTS_MAX ? (pts->n + MAP_DOTS_MAX - 1) / MAP_DOTS_MAX : 1;
    double rad = pts->n > 5000 ? 1.2 : pts->n > 1000 ? 1.8 : 2.6;
    /* Dots as zero-length path segments with round caps: about 14 bytes a
     * point instead of 70 for a <circle>, which is most of a big page.  A
     * dark outline path under one path per type. */
    fprintf(f, "<g class=\"pts\" stroke-linecap=\"round\">\n<path class=\"halo\" "
               "stroke-width=\"%.1f\" d=\"",
            2 * rad + 0.8);
    for (size_t i = 0; i < pts->n; i += stride)
        fprintf(f, "M%.1f,%.1fh0", vx(&v, pts->x[i]), vy(&v, pts->y[i]));
    fputs("\"/>\n", f);
    for (int t = 0; t < ZS_PT_COUNT; t++) {
        size_t drawn = 0;
        for (size_t i = 0; i < pts->n; i += stride)
            if ((pts->type ? pts->type[i] : 0) == t) {
                if (!drawn++)
                    fprintf(f, "<path class=\"pt\" data-type=\"%s\" stroke=\"%s\" "
                               "stroke-width=\"%.1f\" d=\"",
                            zs_ptype_name(t), zs_report_series_hex((size_t)t), 2 * rad);
                fprintf(f, "M%.1f,%.1fh0", vx(&v, pts->x[i]), vy(&v, pts->y[i]));
            }
        if (drawn)
            fputs("\"/>\n", f);
    }
    fputs("</g>\n<g class=\"zl\">\n", f);
    for (size_t j = 0; j < pa->k; j++) {
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", vx(&v, pa->cx[j]), vy(&v, pa->cy[j]));
        zs_report_text(f, pa->label[j]);
        fputs("</text>\n", f);
    }
    fprintf(f, "</g>\n<g class=\"depot\"><rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\"/>"
               "<title>station</title></g>\n</svg>\n",
            vx(&v, r->depot_x) - 6, vy(&v, r->depot_y) - 6);
    if (r->n_street_seg)
        fputs("<p class=\"credit\">Streets: &#169; OpenStreetMap contributors, ODbL 1.0</p>\n", f);

    /* Legend: point types with their counts, the station, the barriers. */
    size_t per_type[ZS_PT_COUNT] = {0};
    for (size_t i = 0; i < pts->n; i++)
        per_type[pts->type && pts->type[i] < ZS_PT_COUNT ? pts->type[i] : 0]++;
    fputs("<p class=\"legend\">", f);
    for (int t = 0; t < ZS_PT_COUNT; t++)
        if (per_type[t])
            fprintf(f, "<span><i class=\"dot\" style=\"background:%s\"></i>%s %zu</span> ",
                    zs_report_series_hex((size_t)t), zs_ptype_name(t), per_type[t]);
    fputs("<span><i class=\"sq\"></i>station</span>", f);
    if (r->n_barrier_seg)
        fputs(" <span><i class=\"ln\"></i>barrier (river, major road)</span>", f);
    if (n_bridge)
        fputs(" <span><i class=\"br\"></i>joined over a crossing (a pocket)</span>", f);
    if (stride > 1)
        fprintf(f, " <span>(every %zu-th of %zu points drawn)</span>", stride, pts->n);
    fputs("</p>\n", f);
    zs_free(npts);
    return ZS_OK;
}
