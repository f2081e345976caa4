/*
 * engine/report/report_service.c -- the report's service-desk section
 * (zs_rep_service_section): what `zonesim service RESULTS.h5` prints, as
 * tables a manager can sort and print, and inline SVG charts of the calls
 * per half hour by reason (usual and peak day) and of the agents needed
 * against the agents the shifts put on the phones, one small chart per
 * weekday.
 *
 * Every bar carries its figure (data-v) and a <title>, so hovering shows
 * it and the tests can read the page back against /service.
 */
#include <math.h>
#include <stdio.h>

#include "models/calendar.h"
#include "report/report_internal.h"

#define NI ZS_CALL_INTERVALS
#define NR ZS_CALL_REASONS

#define CALLS_W 900.0
#define CALLS_H 260.0
#define SMALL_W 420.0
#define SMALL_H 170.0
#define PAD_L 44.0
#define PAD_R 22.0
#define PAD_T 22.0
#define PAD_B 30.0

/* Paul Tol's colour-blind-safe 'muted' scheme: one colour per reason. */
static const char *const reason_hex[] = {"#cc6677", "#332288", "#ddcc77", "#117733",
                                         "#88ccee", "#882255", "#44aa99", "#999933"};

static const char *reason_colour(int k)
{
    return reason_hex[(size_t)k % (sizeof reason_hex / sizeof *reason_hex)];
}

/* A tick step of 1, 2, 5 x 10^n giving at most about 6 ticks over span. */
static double step_of(double span)
{
    double raw = span / 6.0, p = pow(10.0, floor(log10(raw > 0 ? raw : 1)));
    double s = raw / p;
    double st = (s <= 1 ? 1 : s <= 2 ? 2 : s <= 5 ? 5 : 10) * p;
    return st > 0 ? st : 1;
}

/* "HH:MM" of the start of a half hour (0 to 48). */
static void hhmm(int interval, char out[16])
{
    snprintf(out, 16, "%02d:%02d", interval / 2, 30 * (interval % 2));
}

/* <td> with value v (NAN: a dash, sorted first) as a percentage. */
static void td_pct(FILE *f, double v)
{
    if (isfinite(v))
        zs_rep_td(f, v, "%.1f%%", 100.0 * v);
    else
        fputs("<td data-v=\"-1\">&ndash;</td>", f);
}

/* The y axis with grid lines from 0 to ymax, over the plot from x0 to x1
 * whose baseline is at base and top at top. */
static void y_axis(FILE *f, double ymax, double x0, double x1, double base, double top)
{
    double step = step_of(ymax);
    fputs("<g class=\"axis\">", f);
    for (double t = 0; t <= ymax + 1e-9; t += step) {
        double y = base - t / ymax * (base - top);
        fprintf(f, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                x0, x1, y, y, x0 - 4, y + 4, t);
    }
    fputs("</g>\n", f);
}

/* The hours under the plot: every every-th half hour from open to close. */
static void x_hours(FILE *f, int open, int close, int every, double x0, double bw, double y)
{
    for (int i = open; i <= close; i += every) {
        char t[16];
        hhmm(i, t);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x0 + (i - open) * bw,
                y, t);
    }
    fputs("\n", f);
}

/* Calls per half hour of one day as stacked bars by reason: per half hour
 * the desk is open a <g class="hh"> of NR <rect class="bar"> (data-v:
 * calls of that reason), on a y scale up to ymax. */
static void calls_chart(FILE *f, const char *plan, const char *day, const double hh[NR][NI],
                        int open, int close, double ymax)
{
    int n = close - open;
    double plot_w = CALLS_W - PAD_L - PAD_R, bw = plot_w / (n > 0 ? n : 1);
    double base = CALLS_H - PAD_B, top = PAD_T;
    fprintf(f, "<svg class=\"chart calls\" data-day=\"%s\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"calls per half hour by reason, "
               "%s day of plan ",
            day, CALLS_W, CALLS_H, CALLS_W, CALLS_H, day);
    zs_report_text(f, plan);
    fprintf(f, "\">\n<text x=\"%.1f\" y=\"14\" class=\"lbl\">%s day</text>"
               "<text x=\"4\" y=\"14\" class=\"sub\">calls</text>\n",
            PAD_L, day);
    y_axis(f, ymax, PAD_L, PAD_L + plot_w, base, top);
    for (int i = open; i < close; i++) {
        char t[16];
        hhmm(i, t);
        double total = 0, y = base, x = PAD_L + (i - open) * bw;
        for (int k = 0; k < NR; k++)
            total += hh[k][i];
        fprintf(f, "<g class=\"hh\" data-i=\"%d\" data-total=\"%.4f\">", i, total);
        for (int k = 0; k < NR; k++) {
            double h = ymax > 0 ? hh[k][i] / ymax * (base - top) : 0;
            fprintf(f, "<rect class=\"bar\" data-reason=\"%s\" data-v=\"%.4f\" x=\"%.2f\" "
                       "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"><title>%s %s: %.1f "
                       "calls (%.1f in all)</title></rect>",
                    zs_call_reason_name(k), hh[k][i], x + 0.5, y - h, bw > 2 ? bw - 1 : bw, h,
                    reason_colour(k), t, zs_call_reason_name(k), hh[k][i], total);
            y -= h;
        }
        fputs("</g>\n", f);
    }
    fprintf(f, "<line class=\"base\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n", PAD_L,
            PAD_L + plot_w, base, base);
    x_hours(f, open, close, 2, PAD_L, bw, base + 16);
    fputs("</svg>\n", f);
}

/* One weekday: agents scheduled per half hour as bars (<rect
 * class="sched">, data-v; none without shifts) and the agents needed as a
 * line with a point per half hour the desk is open (<polyline
 * class="req">, its values in data-v). */
static void agents_chart(FILE *f, const char *plan, int wd, const int32_t *req,
                         const int32_t *sched, int open, int close, double ymax)
{
    int n = close - open;
    double plot_w = SMALL_W - PAD_L - PAD_R, bw = plot_w / (n > 0 ? n : 1);
    double base = SMALL_H - PAD_B, top = PAD_T;
#define AY(v) (base - (v) / ymax * (base - top))
    fprintf(f, "<svg class=\"chart agents\" data-weekday=\"%s\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"agents needed and scheduled per "
               "half hour, %s, plan ",
            zs_weekday_name(wd), SMALL_W, SMALL_H, SMALL_W, SMALL_H, zs_weekday_name(wd));
    zs_report_text(f, plan);
    fprintf(f, "\">\n<text x=\"%.1f\" y=\"14\" class=\"lbl\">%s</text>\n", PAD_L,
            zs_weekday_name(wd));
    y_axis(f, ymax, PAD_L, PAD_L + plot_w, base, top);
    for (int i = open; sched && i < close; i++) {
        char t[16];
        hhmm(i, t);
        double v = sched[i], x = PAD_L + (i - open) * bw;
        fprintf(f, "<rect class=\"bar sched\" data-i=\"%d\" data-v=\"%d\" x=\"%.2f\" y=\"%.2f\" "
                   "width=\"%.2f\" height=\"%.2f\"><title>%s %s: %d agents scheduled, %d "
                   "needed</title></rect>\n",
                i, (int)sched[i], x + 0.5, AY(v), bw > 2 ? bw - 1 : bw, base - AY(v),
                zs_weekday_name(wd), t, (int)sched[i], (int)req[i]);
    }
    fputs("<polyline class=\"req\" data-v=\"", f);
    for (int i = open; i < close; i++)
        fprintf(f, "%s%d", i > open ? " " : "", (int)req[i]);
    fputs("\" points=\"", f);
    for (int i = open; i < close; i++)
        fprintf(f, "%s%.2f,%.2f", i > open ? " " : "", PAD_L + (i - open + 0.5) * bw, AY(req[i]));
    fputs("\"/>\n", f);
    fprintf(f, "<line class=\"base\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>\n", PAD_L,
            PAD_L + plot_w, base, base);
    x_hours(f, open, close, 6, PAD_L, bw, base + 16);
    fputs("</svg>\n", f);
#undef AY
}

/* The desk per plan side by side, as `zonesim service RESULTS.h5` prints
 * it, with the shifts and the queue simulation on them. */
static void desk_table(FILE *f, const zs_report *r)
{
    const zs_h5service_info *in = &r->service_info;
    fputs("<div class=\"scroll\"><table id=\"svc\" class=\"sortable num compact\"><caption>the desk per plan</caption>\n"
          "<thead><tr><th>plan</th><th>failed/d</th><th>late/d</th><th>calls/d</th>"
          "<th>usual</th><th>peak</th><th>agents</th><th>peak</th><th>pos.</th>"
          "<th>peak</th><th>agent-h</th><th>peak</th><th>shifts</th><th>gap</th>"
          "<th>service</th><th>peak</th><th>aband.</th><th>peak</th></tr></thead>"
          "<tbody>\n",
          f);
    for (size_t i = 0; i < r->n_service; i++) {
        const zs_h5service_plan *p = &r->service[i];
        fputs("<tr><td>", f);
        zs_report_text(f, p->plan);
        fputs("</td>", f);
        zs_rep_td(f, p->failed_day_mean, "%.1f", p->failed_day_mean);
        zs_rep_td(f, p->late_day_mean, "%.1f", p->late_day_mean);
        zs_rep_td(f, p->calls_day_mean, "%.1f", p->calls_day_mean);
        zs_rep_td(f, p->calls_usual_day, "%.1f", p->calls_usual_day);
        zs_rep_td(f, p->calls_peak_day, "%.1f", p->calls_peak_day);
        zs_rep_td(f, p->agents_usual, "<b>%d</b>", p->agents_usual);
        zs_rep_td(f, p->agents_peak, "<b>%d</b>", p->agents_peak);
        zs_rep_td(f, p->positions_usual, "%d", p->positions_usual);
        zs_rep_td(f, p->positions_peak, "%d", p->positions_peak);
        zs_rep_td(f, p->agent_h_usual, "%.1f", p->agent_h_usual);
        zs_rep_td(f, p->agent_h_peak, "%.1f", p->agent_h_peak);
        if (p->has_roster) {
            fputs("<td class=\"t wrap\">", f);
            zs_report_text(f, p->status);
            if (isfinite(p->objective))
                fprintf(f, ": %d full + %d part-time", p->full_timers, p->part_timers);
            fputs("</td>", f);
        } else {
            fputs("<td class=\"t\">none</td>", f);
        }
        if (p->has_roster && isfinite(p->gap))
            td_pct(f, p->gap);
        else
            td_pct(f, NAN);
        td_pct(f, p->sim_service_usual);
        td_pct(f, p->sim_service_peak);
        td_pct(f, p->sim_abandon_usual);
        td_pct(f, p->sim_abandon_peak);
        fputs("</tr>\n", f);
    }
    fprintf(f, "</tbody></table></div>\n<p class=\"note\">failed/d, late/d: failed first attempts and "
               "late parcels a day, which drive the calls; calls/d: mean calls a day; usual, peak: "
               "mean calls of the days without a demand event and of the day with most calls; "
               "agents: on the phones at the busiest half hour of the usual day, then of the peak "
               "day; pos.: positions to staff for them with %g%% shrinkage; agent-h: hours on the "
               "phones, usual and peak day; shifts: the regular week's shifts and their optimality "
               "gap; service, aband.: the calls simulated one by one on these shifts, share "
               "answered within %g s and share hung up, on usual days and on the peak day "
               "(&ndash;: no shifts).</p>\n",
            100 * in->shrinkage, in->within_s);
    fputs("<table id=\"svc-reasons\" class=\"sortable num\"><caption>calls a usual day by reason "
          "(peak day in brackets)</caption>\n<thead><tr><th>plan</th>",
          f);
    for (int k = 0; k < NR; k++)
        fprintf(f, "<th>%s</th>", zs_call_reason_name(k));
    fputs("</tr></thead><tbody>\n", f);
    for (size_t i = 0; i < r->n_service; i++) {
        const zs_h5service_plan *p = &r->service[i];
        fputs("<tr><td>", f);
        zs_report_text(f, p->plan);
        fputs("</td>", f);
        for (int k = 0; k < NR; k++)
            zs_rep_td(f, p->usual_calls[k], "%.1f [%.0f]", p->usual_calls[k], p->peak_calls[k]);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void plan_charts(FILE *f, const zs_report *r, const zs_h5service_plan *p)
{
    int open = r->service_info.open_interval, close = r->service_info.close_interval;
    fputs("<h3>plan '", f);
    zs_report_text(f, p->plan);
    fputs("'</h3>\n<p class=\"legend\">", f);
    for (int k = 0; k < NR; k++)
        fprintf(f, "<span><i style=\"background:%s\"></i>%s</span>", reason_colour(k),
                zs_call_reason_name(k));
    fprintf(f, "</p>\n<p class=\"note\">Calls per half hour by reason: the mean of the days without "
               "a demand event, and the peak day (day %lld of %zu), on one scale. Hover over a bar "
               "for its figure.</p>\n",
            (long long)p->peak_day + 1, p->days);
    double ymax = 1;
    for (int i = open; i < close; i++) {
        double u = 0, k_ = 0;
        for (int k = 0; k < NR; k++) {
            u += p->usual_calls_hh[k][i];
            k_ += p->peak_calls_hh[k][i];
        }
        ymax = fmax(ymax, fmax(u, k_));
    }
    ymax *= 1.05;
    calls_chart(f, p->plan, "usual", p->usual_calls_hh, open, close, ymax);
    calls_chart(f, p->plan, "peak", p->peak_calls_hh, open, close, ymax);
    fputs("<p class=\"legend\"><span><i style=\"background:#4477aa\"></i>agents scheduled by the "
          "shifts</span><span><i class=\"ln\" style=\"background:#ee6677\"></i>agents needed on the "
          "phones</span></p>\n",
          f);
    if (!p->has_roster)
        fputs("<p class=\"note\">No shifts were solved for this plan: the charts show the agents "
              "needed only.</p>\n",
              f);
    else if (!isfinite(p->objective)) {
        fputs("<p class=\"note\">No shifts: ", f);
        zs_report_text(f, p->message);
        fputs("</p>\n", f);
    }
    int with_sched = p->has_roster && isfinite(p->objective);
    double amax = 1;
    for (int i = 0; i < 7 * NI; i++)
        amax = fmax(amax, fmax(p->week[i], with_sched ? p->scheduled[i] : 0));
    amax *= 1.1;
    fputs("<p class=\"note\">Agents per half hour of the regular week (demand events left out), "
          "one chart per weekday on one scale.</p>\n<div class=\"smalls\">\n",
          f);
    for (int wd = 0; wd < 7; wd++)
        agents_chart(f, p->plan, wd, p->week + (size_t)wd * NI,
                     with_sched ? p->scheduled + (size_t)wd * NI : NULL, open, close, amax);
    fputs("</div>\n", f);
}

void zs_rep_service_section(FILE *f, const zs_report *r)
{
    if (!r->n_service)
        return;
    const zs_h5service_info *in = &r->service_info;
    char o[16], c[16];
    hhmm(in->open_interval, o);
    hhmm(in->close_interval, c);
    fprintf(f, "<section id=\"service\"><h2>Service desk</h2>\n<p>The desk answers %s-%s: ", o, c);
    if (in->target > 0)
        fprintf(f, "%g%% of calls answered within %g s, ", 100 * in->target, in->within_s);
    fprintf(f, "%s, agents for the %g%% quantile of each half hour's calls",
            in->patience_s > 0 ? "Erlang A (callers hang up)" : "Erlang C",
            100 * (1 - in->risk));
    if (in->shrinkage > 0)
        fprintf(f, ", %g%% shrinkage", 100 * in->shrinkage);
    fputs(".</p>\n", f);
    desk_table(f, r);
    for (size_t i = 0; i < r->n_service; i++)
        plan_charts(f, r, &r->service[i]);
    fputs("</section>\n", f);
}
