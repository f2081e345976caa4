/*
 * engine/report/report_staff.c -- the report's staffing section
 * (zs_rep_staffing_section): what `zonesim staff` prints, as tables a
 * manager can sort, select and print, and the roster as a grid of couriers
 * by days (a filled cell: at work).
 */
#include <stdio.h>

#include "models/calendar.h"
#include "partition/mip.h"
#include "report/report_internal.h"

static void type_table(FILE *f, const zs_staffing_report *s)
{
    fprintf(f, "<table class=\"sortable num\"><caption>couriers per day type: risk %g%%, shift "
               "%.1f h + %.1f h overtime = %.1f h a courier-day, %zu zones</caption>\n<thead><tr>"
               "<th>type</th><th>days</th><th>obs</th><th>stops</th><th>rule</th><th>work h</th>"
               "<th>q work</th><th>q max z</th><th>imbal</th><th>need</th><th>even</th>"
               "<th>overrun</th></tr></thead><tbody>\n",
            100.0 * s->opts.risk, s->shift_min / 60.0, s->opts.overtime_h, s->capacity_min / 60.0,
            s->k);
    for (int t = 0; t < s->n_types; t++) {
        const zs_staffing_type *ty = &s->type[t];
        fputs("<tr><td>", f);
        zs_report_text(f, ty->name);
        fputs("</td><td class=\"t\">", f);
        zs_report_text(f, ty->days);
        fputs("</td>", f);
        if (!ty->n_obs) {
            fprintf(f, "<td data-v=\"0\">0</td><td colspan=\"9\">not simulated: the roster uses "
                       "%d, the heaviest need</td></tr>\n",
                    ty->required);
            continue;
        }
        zs_rep_td(f, (double)ty->n_obs, "%zu", ty->n_obs);
        zs_rep_td(f, ty->stops_mean, "%.1f", ty->stops_mean);
        zs_rep_td(f, ty->capacity_rule, "%d", ty->capacity_rule);
        zs_rep_td(f, ty->work_mean_min / 60, "%.1f", ty->work_mean_min / 60);
        zs_rep_td(f, ty->work_q_min / 60, "%.1f", ty->work_q_min / 60);
        zs_rep_td(f, ty->busiest_q_min / 60, "%.2f", ty->busiest_q_min / 60);
        zs_rep_td(f, ty->imbalance_mean, "%.2f", ty->imbalance_mean);
        zs_rep_td(f, ty->required, "<b>%d</b>", ty->required);
        zs_rep_td(f, ty->required_even, "%d", ty->required_even);
        zs_rep_td(f, ty->overrun_share_k, "%.1f%%", 100.0 * ty->overrun_share_k);
        fputs("</tr>\n", f);
    }
    fprintf(f, "</tbody></table>\n<p class=\"note\">obs: simulated replication-days; rule: the "
               "capacity rule on the mean stops; work h: mean total work of the day; q work, q max "
               "z: its %g%% quantile and that of the busiest zone; imbal: busiest / mean zone; "
               "need: couriers with the plan's imbalance; even: with even zones; overrun: days "
               "some courier of the plan's %zu worked past %.1f h.</p>\n",
            100.0 * (1.0 - s->opts.risk), s->k, s->capacity_min / 60.0);
}

static void roster_grid(FILE *f, const zs_staffing_report *s)
{
    const zs_roster *ro = s->roster;
    const zs_roster_opts *o = &s->opts.roster;
    fprintf(f, "<p>Roster: %d week%s from Monday, %d days a week, at most %d in a row%s, %d weekend "
               "day%s off per courier. ",
            o->weeks, o->weeks == 1 ? "" : "s", o->days_per_week, o->max_consecutive,
            o->consecutive_off ? ", days off together" : "", o->weekend_off_min,
            o->weekend_off_min == 1 ? "" : "s");
    if (ro->status == ZS_MIP_INFEASIBLE || ro->status == ZS_MIP_NO_SOLUTION ||
        ro->status == ZS_MIP_UNBOUNDED || !ro->schedule) {
        fprintf(f, "<strong>%s</strong>: ", zs_mip_status_name(ro->status));
        zs_report_text(f, ro->message);
        fputs("</p>\n", f);
        return;
    }
    long tdays = 0;
    for (int d = 0; d < ro->days; d++)
        tdays += ro->temps[d];
    fprintf(f, "%s: <strong>%zu couriers</strong>, cost %.6g (couriers %.6g + temporaries %ld "
               "days %.6g), gap %.2f%%.</p>\n",
            zs_mip_status_name(ro->status), ro->couriers, ro->objective, ro->courier_cost_total,
            tdays, ro->temp_cost_total, 100.0 * ro->gap);
    fputs("<div class=\"scroll\"><table class=\"roster\"><thead><tr><th>courier</th>", f);
    for (int d = 0; d < ro->days; d++) {
        int peak = s->roster_type && s->roster_type[d] < s->n_types &&
                   s->type[s->roster_type[d]].peak;
        char date[11];
        zs_date_format(zs_date_from_days(s->roster_first_day + d), date);
        fprintf(f, "<th%s title=\"%s%s\">%s<br>%s</th>", d % 7 == 0 ? " class=\"wk\"" : "", date,
                peak ? ", peak day" : "", zs_weekday_name(d % 7), date + 5);
    }
    fputs("</tr></thead><tbody>\n", f);
    for (size_t i = 0; i < ro->couriers; i++) {
        fprintf(f, "<tr><th>C%03zu</th>", i + 1);
        for (int d = 0; d < ro->days; d++) {
            int w = ro->schedule[i * (size_t)ro->days + (size_t)d] != 0;
            fprintf(f, "<td class=\"%s%s\">%s</td>", w ? "on" : "off", d % 7 == 0 ? " wk" : "",
                    w ? "work" : "off");
        }
        fputs("</tr>\n", f);
    }
    const char *label[3] = {"need", "regular", "temps"};
    for (int row = 0; row < 3; row++) {
        fprintf(f, "<tr class=\"sum\"><th>%s</th>", label[row]);
        for (int d = 0; d < ro->days; d++) {
            int v = row == 0 ? ro->required[d] : row == 1 ? ro->covered[d] : ro->temps[d];
            int peak = s->roster_type && s->roster_type[d] < s->n_types &&
                       s->type[s->roster_type[d]].peak;
            fprintf(f, "<td%s>%d%s</td>", d % 7 == 0 ? " class=\"wk\"" : "", v,
                    row == 0 && peak ? "*" : "");
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n<p class=\"note\">work: the courier works that day; * peak day; "
          "regular: couriers of the roster at work; temps: temporary couriers hired.</p>\n",
          f);
}

void zs_rep_staffing_section(FILE *f, const zs_report *r)
{
    fputs("<section id=\"staffing\"><h2>Staffing</h2>\n", f);
    if (!r->n_staff) {
        fputs("<p>This run has no staffing (a <code>staffing:</code> section in the scenario, or "
              "<code>zonesim staff RESULTS.h5</code>, computes couriers per day type and a "
              "roster).</p>\n</section>\n",
              f);
        return;
    }
    for (size_t i = 0; i < r->n_staff; i++) {
        const zs_staffing_report *s = r->staff[i];
        if (!s)
            continue;
        fputs("<h3>plan '", f);
        zs_report_text(f, r->staff_plan[i]);
        fputs("'</h3>\n", f);
        type_table(f, s);
        if (s->roster)
            roster_grid(f, s);
        if (s->nested)
            fprintf(f, "<p>Light days: %zu zones become %zu, each a union of whole zones "
                       "(%s; tours %.1f km nested against %.1f km zoned afresh).</p>\n",
                    s->nested->k_heavy, s->nested->k_light, zs_mip_status_name(s->nested->status),
                    s->nested->nested.tour_km, s->nested->free.tour_km);
        else if (s->nested_note[0]) {
            fputs("<p>Light days: ", f);
            zs_report_text(f, s->nested_note);
            fputs("</p>\n", f);
        }
    }
    fputs("</section>\n", f);
}
