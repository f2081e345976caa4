/*
 * engine/maps/export_svg.c -- a plan as an SVG picture (zs_export_svg in
 * engine/maps/export.h).
 *
 * 1000 px wide, north up, the area scaled to fit (a tall one to at most
 * SVG_MAP_H_MAX px): zones filled in a colour-blind-safe palette with no
 * two neighbours alike (export_colour.c), the barriers as dark lines over
 * them (clipped to the map), points as dots coloured by zone, zone labels
 * at the centres, the depot, a title and a legend with each zone's
 * delivery points and, when simulated, its mean stops per day and mean
 * work hours, and a line for the barriers; a territory plan's bridges (a
 * pocket's crossing into its zone) as dashed lines in the zone's colour,
 * with a line of their own in the legend.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "maps/export_internal.h"
#include "sim/sim.h"

/* ---- SVG ------------------------------------------------------------------------ */

#define SVG_W 1000.0      /* px: the viewport width */
#define SVG_MARGIN 20.0   /* px around the map */
#define SVG_TITLE_H 40.0  /* px above the map */
#define SVG_MAP_H_MAX 1400.0 /* px: a tall area is scaled to this height */
#define SVG_LEGEND_COLS 4  /* at most; fewer when the entries are long */
#define SVG_LEGEND_ROW 20.0 /* px */
#define SVG_LEGEND_CHAR 7.0 /* px: a generous mean width of a 12 px character */
#define SVG_LEGEND_TEXT 18.0 /* px from an entry's left to its text */
#define SVG_LEGEND_GAP 16.0 /* px between columns */
/* Barriers: one dark blue-grey line for rivers and roads alike (the file
 * does not say which feature is water). */
#define SVG_BARRIER_COLOUR "#2c3e50"
#define SVG_BARRIER_W 3.0 /* px */
#define SVG_BARRIER_LABEL "barrier (river, major road)"
/* Bridges: a pocket's crossing into its zone (partition.h), dashed in the
 * zone's colour on a white casing. */
#define SVG_BRIDGE_W 3.0 /* px */
#define SVG_BRIDGE_LABEL "joined over a crossing (a pocket)"
/* Streets under the zones: light grey, wider for the main roads. */
#define SVG_STREET_COLOUR "#9a9a9a"
#define SVG_CREDIT "Streets: (c) OpenStreetMap contributors, ODbL 1.0"

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

/* The legend's figures of zone j after its label: "78 points", then, when
 * simulated, ", 26.4 stops/day" (the simulated mean of the zone's stops a
 * day) and ", 8.10 h" (mean work hours a courier-day). */
static void legend_figures(char *buf, size_t size, const zones *z, const zs_plan_summary *s,
                           size_t j)
{
    size_t np = z->start[j + 1] - z->start[j];
    int w = snprintf(buf, size, "%zu point%s", np, np == 1 ? "" : "s");
    if (s && w >= 0 && (size_t)w < size && isfinite(s->zone[ZS_M_STOPS][j].mean))
        w += snprintf(buf + w, size - (size_t)w, ", %.1f stops/day", s->zone[ZS_M_STOPS][j].mean);
    if (s && w >= 0 && (size_t)w < size && isfinite(s->zone[ZS_M_WORK_MIN][j].mean))
        snprintf(buf + w, size - (size_t)w, ", %.2f h", s->zone[ZS_M_WORK_MIN][j].mean / 60.0);
}

/* The barriers as polylines, one per run of joined segments of a feature,
 * clipped to the map (a region's barrier file may reach far beyond it). */
static void svg_barriers(FILE *f, const zs_export_map *m, const view *v)
{
    fprintf(f, "<g id=\"barriers\" clip-path=\"url(#map-area)\" fill=\"none\" stroke=\"%s\" "
               "stroke-width=\"%.1f\" stroke-linecap=\"round\" stroke-linejoin=\"round\" "
               "stroke-opacity=\"0.9\">\n",
            SVG_BARRIER_COLOUR, SVG_BARRIER_W);
    const double *sg = m->barrier_seg;
    for (size_t a = 0, b; a < m->n_barrier_seg; a = b) {
        b = zs_export_line_run(m->barrier_seg, m->barrier_feature, m->n_barrier_seg, a);
        fprintf(f, "<polyline points=\"%.1f,%.1f", vx(v, sg[4 * a]), vy(v, sg[4 * a + 1]));
        for (size_t q = a; q < b; q++)
            fprintf(f, " %.1f,%.1f", vx(v, sg[4 * q + 2]), vy(v, sg[4 * q + 3]));
        fprintf(f, "\"><title>barrier %d</title></polyline>\n",
                m->barrier_feature ? (int)m->barrier_feature[a] : 0);
    }
    fputs("</g>\n", f);
}

/* The bridges drawn (zs_export_bridge); returns how many. */
static size_t bridges_drawn(const zs_partition *pa, size_t n)
{
    size_t c = 0;
    uint32_t e[2];
    for (size_t b = 0; b < pa->territory.bridges; b++)
        c += (size_t)zs_export_bridge(pa, n, b, e);
    return c;
}

/* Each bridge drawn as a dashed line in its zone's colour. */
static void svg_bridges(FILE *f, const zs_export_map *m, const zones *z, const view *v)
{
    const zs_partition *pa = m->part;
    const zs_points *p = m->points;
    fputs("<g id=\"bridges\" fill=\"none\" stroke-linecap=\"round\">\n", f);
    uint32_t e[2];
    for (size_t b = 0; b < pa->territory.bridges; b++) {
        if (!zs_export_bridge(pa, p->n, b, e))
            continue;
        uint32_t u = e[0], w = e[1];
        double x0 = vx(v, p->x[u]), y0 = vy(v, p->y[u]), x1 = vx(v, p->x[w]), y1 = vy(v, p->y[w]);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"white\" "
                   "stroke-width=\"%.1f\"/>", x0, y0, x1, y1, SVG_BRIDGE_W + 2);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                   "stroke-width=\"%.1f\" stroke-dasharray=\"5 3\"><title>zone ", x0, y0, x1, y1,
                zs_export_colour_hex((size_t)z->colour[pa->zone[u]]), SVG_BRIDGE_W);
        xml_str(f, pa->label[pa->zone[u]]);
        fputs(": a pocket joined over this crossing</title></line>\n", f);
    }
    fputs("</g>\n", f);
}

/* The streets, one path per width class (main roads, through roads, the
 * rest), clipped to the map. */
static void svg_streets(FILE *f, const zs_export_map *m, const view *v)
{
    static const double width[3] = {2.2, 1.4, 0.7};
    fputs("<g id=\"streets\" clip-path=\"url(#map-area)\" fill=\"none\" stroke=\"" SVG_STREET_COLOUR
          "\" stroke-linecap=\"round\">\n", f);
    for (int w = 0; w < 3; w++) {
        fprintf(f, "<path stroke-width=\"%.1f\" d=\"", width[w]);
        int first = 1;
        for (size_t q = 0; q < m->n_street_seg; q++) {
            if (zs_export_street_tier(m->street_class[q]) != w)
                continue;
            const double *sg = m->street_seg + 4 * q;
            fprintf(f, "%sM%.1f,%.1fL%.1f,%.1f", first ? "" : " ", vx(v, sg[0]), vy(v, sg[1]),
                    vx(v, sg[2]), vy(v, sg[3]));
            first = 0;
        }
        fputs("\"/>\n", f);
    }
    fputs("</g>\n", f);
}

zs_status zs_export_svg(FILE *f, const zs_export_map *m, zs_err *err)
{
    zones z;
    zs_export_shapes *sh = NULL;
    zs_status st = zs_exp_prepare(m, &z, &sh, err);
    if (st != ZS_OK)
        return st;
    const zs_points *p = m->points;
    const zs_partition *pa = m->part;
    const zs_plan_summary *s = m->summary;

    /* The box of points and depot plus a pad's margin (which holds padded
     * hulls), widened to the zones' outlines (cells reach further). */
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
    for (size_t t = 0; t < sh->n_vert; t++) {
        xmin = fmin(xmin, sh->v[t].x);
        xmax = fmax(xmax, sh->v[t].x);
        ymin = fmin(ymin, sh->v[t].y);
        ymax = fmax(ymax, sh->v[t].y);
    }
    double dx = xmax - xmin, dy = ymax - ymin;
    double map_w = SVG_W - 2 * SVG_MARGIN;
    view v = {xmin, ymax, map_w / dx, 0, SVG_MARGIN + SVG_TITLE_H};
    if (dy * v.scale > SVG_MAP_H_MAX)
        v.scale = SVG_MAP_H_MAX / dy;
    v.ox = SVG_MARGIN + (map_w - dx * v.scale) / 2; /* centred when height-bound */
    double map_h = dy * v.scale;
    /* Legend: the zones, then the barriers' line; as many columns of
     * SVG_LEGEND_COLS as the longest entry leaves room for. */
    char fig[128];
    size_t n_bridge = bridges_drawn(pa, p->n);
    size_t longest = n_bridge           ? sizeof SVG_BRIDGE_LABEL - 1
                     : m->n_barrier_seg ? sizeof SVG_BARRIER_LABEL - 1
                                        : 0;
    for (size_t j = 0; j < z.k; j++) {
        legend_figures(fig, sizeof fig, &z, s, j);
        size_t len = strlen(pa->label[j]) + 2 + strlen(fig);
        if (len > longest)
            longest = len;
    }
    double entry_w = SVG_LEGEND_TEXT + SVG_LEGEND_CHAR * (double)longest + SVG_LEGEND_GAP;
    size_t cols = (size_t)fmax(1.0, fmin(SVG_LEGEND_COLS, floor(map_w / entry_w)));
    size_t entries = z.k + (m->n_barrier_seg ? 1 : 0) + (n_bridge ? 1 : 0);
    size_t rows = (entries + cols - 1) / cols;
    double legend_y = v.oy + map_h + SVG_MARGIN;
    double h = legend_y + (double)(rows + (m->n_street_seg ? 1 : 0)) * SVG_LEGEND_ROW + SVG_MARGIN;
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
            s ? "; simulated: mean stops and work hours per courier-day" : "");

    if (m->n_barrier_seg || m->n_street_seg)
        fprintf(f, "<clipPath id=\"map-area\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                   "height=\"%.1f\"/></clipPath>\n",
                v.ox, v.oy, dx * v.scale, map_h);
    if (m->n_street_seg)
        svg_streets(f, m, &v);
    fputs("<g id=\"zones\" stroke-width=\"1.5\" fill-opacity=\"0.4\">\n", f);
    for (size_t j = 0; j < z.k; j++) {
        const char *col = zs_export_colour_hex((size_t)z.colour[j]);
        if (sh->outline == ZS_EXPORT_OUTLINE_HULL) {
            const zs_xy *hv = sh->v + sh->ring_vert[j];
            size_t nv = sh->ring_vert[j + 1] - sh->ring_vert[j];
            fprintf(f, "<polygon fill=\"%s\" stroke=\"%s\" points=\"", col, col);
            for (size_t t = 0; t < nv; t++)
                fprintf(f, "%s%.1f,%.1f", t ? " " : "", vx(&v, hv[t].x), vy(&v, hv[t].y));
            fputs("\"><title>", f);
            xml_str(f, pa->label[j]);
            fputs("</title></polygon>\n", f);
            continue;
        }
        /* Every ring of every piece in one path; even-odd leaves holes open. */
        fprintf(f, "<path fill=\"%s\" stroke=\"%s\" fill-rule=\"evenodd\" d=\"", col, col);
        size_t r0 = sh->poly_ring[sh->zone_poly[j]], r1 = sh->poly_ring[sh->zone_poly[j + 1]];
        for (size_t ri = r0; ri < r1; ri++)
            for (size_t t = sh->ring_vert[ri]; t < sh->ring_vert[ri + 1]; t++)
                fprintf(f, "%s%.1f,%.1f%s", t == sh->ring_vert[ri] ? (ri > r0 ? " M" : "M") : " L",
                        vx(&v, sh->v[t].x), vy(&v, sh->v[t].y),
                        t + 1 == sh->ring_vert[ri + 1] ? " Z" : "");
        fputs("\"><title>", f);
        xml_str(f, pa->label[j]);
        fputs("</title></path>\n", f);
    }
    fputs("</g>\n", f);
    if (m->n_barrier_seg)
        svg_barriers(f, m, &v);
    if (n_bridge)
        svg_bridges(f, m, &z, &v);
    fputs("<g id=\"points\" stroke=\"#333\" stroke-width=\"0.3\">\n", f);
    for (size_t i = 0; i < p->n; i++)
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n", vx(&v, p->x[i]),
                vy(&v, p->y[i]), r, zs_export_colour_hex((size_t)z.colour[pa->zone[i]]));
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
    double col_w = map_w / (double)cols;
    for (size_t e = 0; e < entries; e++) {
        double x = SVG_MARGIN + (double)(e % cols) * col_w;
        double y = legend_y + (double)(e / cols) * SVG_LEGEND_ROW;
        if (e == entries - 1 && n_bridge) { /* the bridges' line */
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" "
                       "stroke-width=\"%.1f\" stroke-dasharray=\"5 3\"/>",
                    x + 1, y + 6, x + 15, y + 6, SVG_BRIDGE_W);
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">" SVG_BRIDGE_LABEL "</text>\n",
                    x + SVG_LEGEND_TEXT, y + 11);
            continue;
        }
        if (e == z.k) { /* the barriers' line */
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"%.1f\" stroke-linecap=\"round\"/>",
                    x + 1, y + 6, x + 11, y + 6, SVG_BARRIER_COLOUR, SVG_BARRIER_W);
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">" SVG_BARRIER_LABEL "</text>\n",
                    x + SVG_LEGEND_TEXT, y + 11);
            continue;
        }
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y,
                zs_export_colour_hex((size_t)z.colour[e]));
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + SVG_LEGEND_TEXT, y + 11);
        xml_str(f, pa->label[e]);
        legend_figures(fig, sizeof fig, &z, s, e);
        fprintf(f, ": %s</text>\n", fig);
    }
    if (m->n_street_seg)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#555\">" SVG_CREDIT
                   "</text>\n",
                SVG_MARGIN, legend_y + (double)rows * SVG_LEGEND_ROW + 11);
    fputs("</g>\n</svg>\n", f);
    zs_export_shapes_free(sh);
    zs_exp_zones_free(&z);
    return zs_exp_finish(f, err);
}

zs_status zs_export_svg_file(const char *path, const zs_export_map *m, zs_err *err)
{
    return zs_exp_write_file(path, m, zs_export_svg, err);
}
