/*
 * engine/report/report_chart.c -- the report's charts as inline SVG
 * (engine/report/report.h): work hours per courier-day binned as they are
 * read and drawn as a histogram row per plan, and a plan's zones as bars.
 *
 * Charts are drawn in a fixed coordinate system (viewBox) and scale with
 * the page; every bar carries a <title>, so hovering shows its figure,
 * and the text stays text (selectable, printable).
 */
#include <math.h>
#include <stdio.h>

#include "report/report.h"

#define HIST_W 900.0     /* viewBox width */
#define HIST_LEFT 150.0  /* room for the series' names */
#define HIST_RIGHT 20.0
#define HIST_ROW_H 64.0  /* one series */
#define HIST_AXIS_H 36.0

#define BARS_H 280.0
#define BARS_LEFT 50.0
#define BARS_TOP 14.0
#define BARS_BOTTOM 60.0 /* labels under the bars */

/* A tick step of 1, 2, 5 x 10^n giving at most about 12 ticks over span. */
static double tick_step(double span)
{
    double raw = span / 12.0, p = pow(10.0, floor(log10(raw > 0 ? raw : 1)));
    double s = raw / p;
    return (s <= 1 ? 1 : s <= 2 ? 2 : s <= 5 ? 5 : 10) * p;
}

void zs_report_hist_add(zs_report_hist *h, const double *work_min, const double *absent, size_t n)
{
    const double top_h = ZS_REPORT_BINS * ZS_REPORT_BIN_H;
    for (size_t i = 0; i < n; i++) {
        double v = work_min[i] / 60.0;
        if ((absent && absent[i] == 1.0) || !isfinite(v))
            continue;
        size_t b = v <= 0 ? 0 : v >= top_h ? ZS_REPORT_BINS - 1 : (size_t)(v / ZS_REPORT_BIN_H);
        h->count[b < ZS_REPORT_BINS ? b : ZS_REPORT_BINS - 1]++;
        h->sum_h += v;
        if (h->n == 0 || v > h->max_h)
            h->max_h = v;
        h->n++;
    }
}

void zs_report_histogram_svg(FILE *f, size_t n_series, const char *const *name,
                             const zs_report_hist *const *h, double shift_h)
{
    const double bin_h = ZS_REPORT_BIN_H;
    size_t bins = shift_h > 0 ? (size_t)ceil((shift_h + 1) / bin_h) : 4;
    double top = 0; /* largest share, for one y scale across plans */
    for (size_t s = 0; s < n_series; s++)
        for (size_t b = 0; h[s] && h[s]->n && b < ZS_REPORT_BINS; b++)
            if (h[s]->count[b]) {
                if (b + 1 > bins)
                    bins = b + 1;
                top = fmax(top, (double)h[s]->count[b] / (double)h[s]->n);
            }
    if (bins > ZS_REPORT_BINS)
        bins = ZS_REPORT_BINS;
    double xmax = (double)bins * bin_h;
    double plot_w = HIST_W - HIST_LEFT - HIST_RIGHT, bw = plot_w / (double)bins;
    double ht = (double)n_series * HIST_ROW_H + HIST_AXIS_H;
    fprintf(f, "<svg class=\"chart hist\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f "
               "%.0f\" role=\"img\" aria-label=\"work hours per courier-day, one row per plan\">\n",
            HIST_W, ht, HIST_W, ht);
    for (size_t s = 0; s < n_series; s++) {
        const zs_report_hist *hs = h[s] && h[s]->n ? h[s] : NULL;
        double y0 = (double)s * HIST_ROW_H, base = y0 + HIST_ROW_H - 6;
        fprintf(f, "<g class=\"series\" data-plan=\"");
        zs_report_text(f, name[s]);
        fprintf(f, "\"><text x=\"4\" y=\"%.1f\" class=\"lbl\">", y0 + 26);
        zs_report_text(f, name[s]);
        if (hs)
            fprintf(f, "</text><text x=\"4\" y=\"%.1f\" class=\"sub\">mean %.2f h, %zu days</text>\n",
                    y0 + 42, hs->sum_h / (double)hs->n, hs->n);
        else
            fprintf(f, "</text><text x=\"4\" y=\"%.1f\" class=\"sub\">not simulated</text>\n",
                    y0 + 42);
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"base\"/>\n",
                HIST_LEFT, HIST_LEFT + plot_w, base, base);
        for (size_t b = 0; hs && b < bins; b++) {
            size_t c = hs->count[b];
            if (!c)
                continue;
            double share = (double)c / (double)hs->n;
            double bh = top > 0 ? share / top * (HIST_ROW_H - 14) : 0;
            fprintf(f, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                       "fill=\"%s\"><title>",
                    HIST_LEFT + (double)b * bw, base - bh, bw > 1.5 ? bw - 0.5 : bw, bh,
                    zs_report_series_hex(s));
            zs_report_text(f, name[s]);
            if (b + 1 == ZS_REPORT_BINS)
                fprintf(f, ": %.2f h or more", (double)b * bin_h);
            else
                fprintf(f, ": %.2f-%.2f h", (double)b * bin_h, (double)(b + 1) * bin_h);
            fprintf(f, ", %.1f%% of courier-days (%zu)</title></rect>\n", 100.0 * share, c);
        }
        fputs("</g>\n", f);
    }
    /* The x axis under the last row, and the shift across every row. */
    double ay = (double)n_series * HIST_ROW_H, step = tick_step(xmax);
    fprintf(f, "<g class=\"axis\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n",
            HIST_LEFT, HIST_LEFT + plot_w, ay, ay);
    for (double t = 0; t <= xmax + 1e-9; t += step)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                HIST_LEFT + t / xmax * plot_w, ay + 16, t);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">work hours per courier-day</text>"
               "</g>\n",
            HIST_LEFT + plot_w, ay + 32);
    if (shift_h > 0 && shift_h < xmax)
        fprintf(f, "<line class=\"shift\" x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.1f\"><title>shift "
                   "%.1f h</title></line>\n",
                HIST_LEFT + shift_h / xmax * plot_w, HIST_LEFT + shift_h / xmax * plot_w, ay,
                shift_h);
    fputs("</svg>\n", f);
}

void zs_report_bars_svg(FILE *f, size_t k, const char *const *label, const double *mean_h,
                        const double *p90_h, const double *expected_h, const char *const *fill,
                        double shift_h)
{
    double bw = k ? fmin(40.0, fmax(8.0, 840.0 / (double)k)) : 40.0;
    double w = BARS_LEFT + (double)k * bw + 20, plot_h = BARS_H - BARS_TOP - BARS_BOTTOM;
    double ymax = shift_h > 0 ? shift_h : 1.0;
    for (size_t z = 0; z < k; z++) {
        if (isfinite(mean_h[z]))
            ymax = fmax(ymax, mean_h[z]);
        if (p90_h && isfinite(p90_h[z]))
            ymax = fmax(ymax, p90_h[z]);
        if (expected_h && isfinite(expected_h[z]))
            ymax = fmax(ymax, expected_h[z]);
    }
    ymax *= 1.05;
    double base = BARS_TOP + plot_h;
#define BY(v) (base - (v) / ymax * plot_h)
    fprintf(f, "<svg class=\"chart bars\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f "
               "%.0f\" role=\"img\" aria-label=\"mean work hours per zone\">\n",
            w, BARS_H, w, BARS_H);
    double step = tick_step(ymax);
    fputs("<g class=\"axis\">", f);
    for (double t = 0; t <= ymax; t += step)
        fprintf(f, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                BARS_LEFT, w - 20, BY(t), BY(t), BARS_LEFT - 4, BY(t) + 4, t);
    fprintf(f, "<text x=\"4\" y=\"10\">h</text></g>\n");
    int rotate = k > 20;
    for (size_t z = 0; z < k; z++) {
        double x = BARS_LEFT + (double)z * bw, v = isfinite(mean_h[z]) ? mean_h[z] : 0;
        fprintf(f, "<g class=\"zonebar\"><rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                   "height=\"%.2f\" fill=\"%s\"><title>zone ",
                x + 1, BY(v), bw - 2, base - BY(v), fill ? fill[z] : "#4477aa");
        zs_report_text(f, label[z]);
        fprintf(f, ": mean %.2f h", v);
        if (p90_h)
            fprintf(f, ", p90 %.2f h", p90_h[z]);
        if (expected_h)
            fprintf(f, ", expected %.2f h", expected_h[z]);
        fputs("</title></rect>", f);
        if (p90_h && isfinite(p90_h[z]))
            fprintf(f, "<line class=\"p90\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>",
                    x + 2, x + bw - 2, BY(p90_h[z]), BY(p90_h[z]));
        if (expected_h && isfinite(expected_h[z])) {
            double cx = x + bw / 2, cy = BY(expected_h[z]);
            fprintf(f, "<path class=\"exp\" d=\"M%.2f,%.2f l4,4 l-4,4 l-4,-4 z\"/>", cx, cy - 4);
        }
        double lx = x + bw / 2, ly = base + 12;
        if (rotate)
            fprintf(f, "<text class=\"zl\" transform=\"translate(%.2f,%.2f) rotate(-60)\" "
                       "text-anchor=\"end\">", lx + 3, ly - 4);
        else
            fprintf(f, "<text class=\"zl\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">", lx, ly);
        zs_report_text(f, label[z]);
        fputs("</text></g>\n", f);
    }
    if (shift_h > 0)
        fprintf(f, "<line class=\"shift\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.2f\" y2=\"%.2f\"><title>"
                   "shift %.1f h</title></line>\n",
                BARS_LEFT, w - 20, BY(shift_h), BY(shift_h), shift_h);
#undef BY
    fputs("</svg>\n", f);
}
