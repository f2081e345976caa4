/*
 * engine/report/report_html.c -- the report page (zs_report_write in
 * engine/report/report.h): styles and script inlined, then the warnings,
 * the scenario in a sentence, the plan comparison as `run` prints it, a
 * map per plan with its zones' figures, the distributions, staffing and
 * the service desk.
 *
 * The script is a few lines of plain JavaScript with no library: a
 * zone's figures in the box beside its map on hover or keyboard focus
 * (and kept on click or Enter),
 * pan (drag) and zoom (wheel, buttons) by rewriting the map's viewBox,
 * and sorting a table by a click on its header (numeric cells carry their
 * value in data-v).  Without script the page still reads: figures are in
 * the tables and in each zone's <title>.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/mip.h"
#include "report/report_internal.h"
#include "results/version.h"
#include "sim/sim.h"

static const char css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#222;margin:0 auto;max-width:1200px;padding:0 16px 40px}\n"
    "h1{font-size:1.6em;margin:.8em 0 .2em}h2{border-bottom:2px solid #4477aa;padding-bottom:2px;"
    "margin-top:1.6em}h3{margin:1.2em 0 .4em}\n"
    ".lead{font-size:1.08em}nav a{margin-right:1em}\n"
    "#warnings{background:#fff4e5;border-left:5px solid #ee6677;padding:4px 16px;margin:1em 0}\n"
    "#warnings h2{border:0;margin:.4em 0;color:#a0303f}\n"
    "table{border-collapse:collapse;margin:.5em 0 1em;font-variant-numeric:tabular-nums}\n"
    "caption{text-align:left;font-weight:600;padding:4px 0}\n"
    "th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left;white-space:nowrap}\n"
    "table.num td{text-align:right}table.num td:first-child,table.num td.t{text-align:left}\n"
    "table.sortable th{cursor:pointer;user-select:none;background:#f3f5f8}\n"
    "table.sortable th[aria-sort=ascending]::after{content:' \\25B2'}\n"
    "table.sortable th[aria-sort=descending]::after{content:' \\25BC'}\n"
    ".note{color:#555;font-size:.9em;max-width:60em}\n"
    ".mapbox{display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap}\n"
    ".mapwrap{flex:1 1 640px;min-width:320px;border:1px solid #ccc;position:relative}\n"
    "svg.map{width:100%;height:auto;max-height:80vh;display:block;background:#fff;cursor:grab;"
    "touch-action:none}\n"
    "svg.map .zone{fill-opacity:.42;stroke-width:1.2;outline:none}svg.map .zone:hover,"
    "svg.map .zone.sel,svg.map .zone:focus{fill-opacity:.75;stroke:#000;stroke-width:2.5}\n"
    "svg.map .pts path{fill:none;pointer-events:none}svg.map .pts .halo{stroke:#333}\n"
    "svg.map .streets path{fill:none;stroke:#9a9a9a;stroke-linecap:round}"
    "svg.map .barriers polyline{fill:none;stroke:#2c3e50;stroke-width:3;stroke-linecap:round;"
    "pointer-events:none}\n"
    "svg.map .bridges line{stroke-width:3;stroke-dasharray:5 3;pointer-events:none}"
    "svg.map .bridges .cas{stroke:#fff;stroke-width:5;stroke-dasharray:none}\n"
    "svg.map .zl text{font-size:15px;font-weight:600;fill:#222;text-anchor:middle;pointer-events:none;"
    "paint-order:stroke;stroke:#fff;stroke-width:2.5px}\n"
    "svg.map .depot rect{fill:#000;stroke:#fff;stroke-width:1.5}\n"
    ".ctl{position:absolute;top:6px;right:6px}.ctl button{font-size:15px;width:30px;height:28px;"
    "margin-left:2px}\n"
    ".zoneinfo{flex:0 0 260px;border:1px solid #ccc;padding:8px 12px;min-height:9em;"
    "background:#fafbfc}\n.zoneinfo dt{font-weight:600}.zoneinfo dd{margin:0 0 4px}\n"
    ".legend span{margin-right:14px;white-space:nowrap}.legend i{display:inline-block;width:10px;"
    "height:10px;margin-right:4px;vertical-align:middle}\n"
    ".legend i.dot{border-radius:50%;border:1px solid #333}.legend i.sq{background:#000}"
    ".legend i.ln{height:3px;background:#2c3e50}"
    ".legend i.br{width:14px;height:0;border-top:3px dashed #555;background:none}\n"
    "svg.chart{max-width:100%;height:auto;display:block;font-size:12px}\n"
    "svg.chart .lbl{font-weight:600;font-size:13px}svg.chart .sub{fill:#555}\n"
    "svg.chart .base,svg.chart .axis line{stroke:#999}svg.chart .grid{stroke:#e5e5e5}\n"
    "svg.chart .shift{stroke:#222;stroke-dasharray:5 4;stroke-width:1.5}\n"
    "svg.chart .p90{stroke:#222;stroke-width:2}svg.chart .exp{fill:#fff;stroke:#222}\n"
    "svg.chart .zl{font-size:10px}\n"
    ".scroll{overflow-x:auto}table.roster td,table.roster th{padding:2px 4px;text-align:center;"
    "font-size:12px}\n"
    "table.roster td.on{background:#4477aa;color:#fff}table.roster td.off{color:#bbb}"
    "table.roster .wk{border-left:2px solid #888}table.roster tr.sum td{font-weight:600}\n"
    "td.wrap{white-space:normal;min-width:8em}table.compact{font-size:.92em}"
    "table.compact th,table.compact td{padding:3px 5px}\n"
    ".smalls{display:flex;flex-wrap:wrap;gap:4px 16px}.smalls svg.chart{flex:0 1 420px}\n"
    "svg.chart .sched{fill:#4477aa;fill-opacity:.75}svg.chart .req{fill:none;stroke:#ee6677;"
    "stroke-width:2.5}\n"
    "footer{margin-top:3em;color:#666;font-size:.85em}\n"
    "@media print{body{max-width:none}nav,.ctl{display:none}section{break-before:page}"
    "#warnings{break-before:auto}svg.chart{break-inside:avoid}svg.map{max-height:none}.mapbox{display:block}"
    ".zoneinfo{display:none}table{page-break-inside:auto}tr{break-inside:avoid}}\n";

static const char script[] =
    "(function(){\n"
    "'use strict';\n"
    "function fmt(v,d){return v===undefined?null:Number(v).toFixed(d);}\n"
    "function show(box,z){\n"
    "  var d=z.dataset,rows=[['zone',d.label],['delivery points',d.points]];\n"
    "  if(d.expH!==undefined)rows.push(['expected work',fmt(d.expH,2)+' h a day']);\n"
    "  if(d.simH!==undefined)rows.push(['simulated work',fmt(d.simH,2)+' h (p90 '+fmt(d.p90H,2)+' h)']);\n"
    "  if(d.otH!==undefined)rows.push(['overtime',fmt(d.otH,2)+' h a day']);\n"
    "  if(d.stops!==undefined)rows.push(['stops',fmt(d.stops,1)+' a day']);\n"
    "  if(d.first!==undefined)rows.push(['first-attempt rate',fmt(100*d.first,1)+'%']);\n"
    "  if(d.late!==undefined)rows.push(['late parcels',fmt(d.late,1)+' a day']);\n"
    "  if(d.simH===undefined)rows.push(['simulation','none for this plan']);\n"
    "  var dl=document.createElement('dl');\n"
    "  rows.forEach(function(r){var t=document.createElement('dt');t.textContent=r[0];"
    "var v=document.createElement('dd');v.textContent=r[1];dl.appendChild(t);dl.appendChild(v);});\n"
    "  box.replaceChildren(dl);box.dataset.zone=d.zone;\n"
    "}\n"
    "document.querySelectorAll('.mapbox').forEach(function(mb){\n"
    "  var svg=mb.querySelector('svg.map'),box=mb.querySelector('.zoneinfo');\n"
    "  if(!svg||!box)return;\n"
    "  var W=+svg.dataset.w,H=+svg.dataset.h,vb=[0,0,W,H],pinned=null,drag=null,moved=false;\n"
    "  function set(){svg.setAttribute('viewBox',vb.join(' '));}\n"
    "  function zoom(f,cx,cy){var nw=Math.min(W,Math.max(W/64,vb[2]*f)),s=nw/vb[2];\n"
    "    vb=[cx-(cx-vb[0])*s,cy-(cy-vb[1])*s,nw,vb[3]*s];set();}\n"
    "  function pt(e){var r=svg.getBoundingClientRect();return[vb[0]+(e.clientX-r.left)/r.width*vb[2],"
    "vb[1]+(e.clientY-r.top)/r.height*vb[3]];}\n"
    "  svg.addEventListener('wheel',function(e){e.preventDefault();var p=pt(e);"
    "zoom(e.deltaY<0?0.8:1.25,p[0],p[1]);},{passive:false});\n"
    "  svg.addEventListener('pointerdown',function(e){drag=[e.clientX,e.clientY,vb[0],vb[1]];moved=false;});\n"
    "  svg.addEventListener('pointermove',function(e){\n"
    "    if(drag){var r=svg.getBoundingClientRect(),dx=e.clientX-drag[0],dy=e.clientY-drag[1];\n"
    "      if(Math.abs(dx)+Math.abs(dy)>3)moved=true;\n"
    "      if(moved){vb[0]=drag[2]-dx/r.width*vb[2];vb[1]=drag[3]-dy/r.height*vb[3];set();}return;}\n"
    "    var z=e.target.closest&&e.target.closest('.zone');if(z&&!pinned)show(box,z);});\n"
    "  window.addEventListener('pointerup',function(){drag=null;});\n"
    "  svg.addEventListener('click',function(e){if(moved)return;\n"
    "    var z=e.target.closest&&e.target.closest('.zone');\n"
    "    if(pinned)pinned.classList.remove('sel');\n"
    "    if(z&&z!==pinned){pinned=z;z.classList.add('sel');show(box,z);}else pinned=null;});\n"
    "  svg.addEventListener('mouseover',function(e){var z=e.target.closest&&e.target.closest('.zone');"
    "if(z&&!pinned&&!drag)show(box,z);});\n"
    "  svg.addEventListener('focusin',function(e){var z=e.target.closest&&e.target.closest('.zone');"
    "if(z&&!pinned)show(box,z);});\n"
    "  svg.addEventListener('keydown',function(e){var z=e.target.closest&&e.target.closest('.zone');"
    "if(z&&(e.key==='Enter'||e.key===' ')){e.preventDefault();if(pinned)pinned.classList.remove('sel');"
    "if(z!==pinned){pinned=z;z.classList.add('sel');show(box,z);}else pinned=null;}});\n"
    "  mb.querySelectorAll('.ctl button').forEach(function(b){b.addEventListener('click',function(){\n"
    "    var a=b.dataset.act;if(a==='reset'){vb=[0,0,W,H];set();}\n"
    "    else zoom(a==='in'?0.67:1.5,vb[0]+vb[2]/2,vb[1]+vb[3]/2);});});\n"
    "});\n"
    "document.querySelectorAll('table.sortable').forEach(function(t){\n"
    "  var hs=t.tHead?t.tHead.rows[0].cells:[];\n"
    "  Array.prototype.forEach.call(hs,function(th,i){th.tabIndex=0;\n"
    "    function go(){var asc=th.getAttribute('aria-sort')!=='ascending';\n"
    "      Array.prototype.forEach.call(hs,function(h){h.removeAttribute('aria-sort');});\n"
    "      th.setAttribute('aria-sort',asc?'ascending':'descending');\n"
    "      var tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows);\n"
    "      function key(r){var c=r.cells[i];if(!c)return'';var v=c.dataset.v;"
    "return v!==undefined?Number(v):c.textContent.trim();}\n"
    "      rows.sort(function(a,b){var x=key(a),y=key(b),c=(typeof x==='number'&&typeof y==='number')"
    "?x-y:String(x).localeCompare(String(y),undefined,{numeric:true});return asc?c:-c;});\n"
    "      rows.forEach(function(r){tb.appendChild(r);});}\n"
    "    th.addEventListener('click',go);th.addEventListener('keydown',function(e){"
    "if(e.key==='Enter'||e.key===' '){e.preventDefault();go();}});});\n"
    "});\n"
    "})();\n";

/* ---- warnings --------------------------------------------------------------- */

/* Writes each warning as <li>; returns how many there are (f NULL:
 * counts only). */
static size_t warnings(FILE *f, const zs_report *r)
{
    size_t n = 0;
#define WARN(...)                                                                                  \
    do {                                                                                           \
        n++;                                                                                       \
        if (f) {                                                                                   \
            fputs("<li>", f);                                                                      \
            __VA_ARGS__;                                                                           \
            fputs("</li>\n", f);                                                                   \
        }                                                                                          \
    } while (0)
    if (r->shard[0])
        WARN(fprintf(f, "This is shard %s of a run: its figures cover only part of the "
                        "replications (join the shards with <code>zonesim merge</code>).",
                     r->shard));
    for (size_t i = 0; i < r->n_plans; i++) {
        const zs_report_plan *p = &r->plans[i];
        if (p->status && strstr(p->status, "infeasible")) {
            WARN(fputs("Plan '", f); zs_report_text(f, p->name);
                 fputs("': the balance band is infeasible; its zones are a fallback (status: ", f);
                 zs_report_text(f, p->status); fputs(").", f));
        } else if ((p->status && strstr(p->status, "not met")) ||
                   (!p->balance_met && zs_partition_method_targets_band(p->method))) {
            WARN(fputs("Plan '", f); zs_report_text(f, p->name);
                 fputs("' missed its balance tolerance (status: ", f); zs_report_text(f, p->status);
                 if (p->balance_within) fprintf(f, "; %llu of %zu zones within it",
                                                (unsigned long long)p->balance_within, p->k);
                 fputs(").", f));
        }
        if (p->has_shape && p->zones_one_piece < p->k)
            WARN(fputs("Plan '", f); zs_report_text(f, p->name);
                 fprintf(f, "' has %llu of %zu zones in pieces (%llu point%s away from their "
                            "zone's main piece): not zones a courier can be handed as they are.",
                         (unsigned long long)(p->k - p->zones_one_piece), p->k,
                         (unsigned long long)p->strays, p->strays == 1 ? "" : "s"));
        if (p->has_shape && p->barrier_zones)
            WARN(fputs("Plan '", f); zs_report_text(f, p->name);
                 fprintf(f, "' has %llu of %zu zones reaching across a river or major road",
                         (unsigned long long)p->barrier_zones, p->k);
                 if (p->barrier_zones_alone)
                     fprintf(f, " (%llu of them the only zone of an area that a barrier line "
                                "runs into: no zone there can keep to one side)",
                             (unsigned long long)p->barrier_zones_alone);
                 fputs(".", f));
        if (p->parts > 1 && p->part_bound > 0)
            WARN(fputs("Plan '", f); zs_report_text(f, p->name);
                 fprintf(f, "': the barriers leave %llu areas; however its %zu zones are shared "
                            "among them, an area's work per zone differs from the mean by about "
                            "%.1f%%",
                         (unsigned long long)p->parts, p->k, 100.0 * p->part_bound);
                 if (p->k_within) fprintf(f, " (%llu zones: %.1f%%)",
                                          (unsigned long long)p->k_within,
                                          100.0 * p->k_within_dev);
                 fputs(".", f));
        if (p->has_shape && p->pockets)
            WARN(fputs("Plan '", f); zs_report_text(f, p->name);
                 fprintf(f, "' joined %llu points in pockets to a zone across a barrier, at "
                            "the quickest crossing (that zone counts as one piece over it).",
                         (unsigned long long)p->pockets));
        double unreached = p->summary && p->summary->day[ZS_M_UNVISITED].mean > 0
                               ? p->summary->day[ZS_M_UNVISITED].mean
                               : 0;
        if (unreached >= 0.05)
            WARN(fputs("Plan '", f); zs_report_text(f, p->name);
                 fprintf(f, "' leaves %.1f stops a day unreached: couriers hit the overtime limit "
                            "and the stops wait for tomorrow.",
                         unreached));
    }
    for (size_t i = 0; i < r->n_staff; i++) {
        const zs_staffing_report *s = r->staff[i];
        if (s && s->roster &&
            (s->roster->status == ZS_MIP_INFEASIBLE || s->roster->status == ZS_MIP_NO_SOLUTION ||
             s->roster->status == ZS_MIP_UNBOUNDED))
            WARN(fputs("Staffing of plan '", f); zs_report_text(f, r->staff_plan[i]);
                 fputs("': no roster (", f); zs_report_text(f, zs_mip_status_name(s->roster->status));
                 fputs("): ", f); zs_report_text(f, s->roster->message));
    }
    for (size_t i = 0; i < r->n_service; i++) {
        const zs_h5service_plan *p = &r->service[i];
        const zs_h5service_info *in = &r->service_info;
        if (p->has_roster && !isfinite(p->objective))
            WARN(fputs("Service desk of plan '", f); zs_report_text(f, p->plan);
                 fputs("': no agent shifts (", f); zs_report_text(f, p->status); fputs("): ", f);
                 zs_report_text(f, p->message));
        else if (in->target > 0 && isfinite(p->sim_service_usual) &&
                 p->sim_service_usual < in->target)
            WARN(fputs("Service desk of plan '", f); zs_report_text(f, p->plan);
                 fprintf(f, "': on its shifts only %.1f%% of calls are answered within %g s on "
                            "usual days, short of the %g%% target.",
                         100 * p->sim_service_usual, in->within_s, 100 * in->target));
    }
#undef WARN
    return n;
}

static void warnings_section(FILE *f, const zs_report *r)
{
    size_t n = warnings(NULL, r);
    if (!n && !r->n_missing)
        return;
    fputs("<section id=\"warnings\" role=\"alert\"><h2>Read this first</h2>\n", f);
    if (n) {
        fputs("<ul class=\"warn\">\n", f);
        warnings(f, r);
        fputs("</ul>\n", f);
    }
    if (r->n_missing) {
        fputs("<p>Not in this results file, so not in this report:</p>\n<ul class=\"missing\">\n", f);
        for (size_t i = 0; i < r->n_missing; i++) {
            fputs("<li>", f);
            zs_report_text(f, r->missing[i]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("</section>\n", f);
}

/* ---- the scenario and the comparison --------------------------------------- */

static void sentence(FILE *f, const zs_report *r)
{
    fputs("<p class=\"lead\" id=\"scenario\">Scenario <strong>'", f);
    zs_report_text(f, r->scenario_name[0] ? r->scenario_name : "?");
    if (!r->n_plans) {
        /* Nothing of a run was read: say so rather than a sentence of zeros. */
        fputs("'</strong>: this file holds no plans of a run to report (see below), written by "
              "zonesim ",
              f);
        zs_report_text(f, r->engine_version[0] ? r->engine_version : "(version unknown)");
        fputs(".</p>\n", f);
        return;
    }
    fprintf(f, "'</strong>: %zu delivery points, %zu plan%s compared over %zu replication%s of "
               "%zu day%s (seed %llu, shift %.1f h), computed by zonesim ",
            r->n_points, r->n_plans, r->n_plans == 1 ? "" : "s", r->reps, r->reps == 1 ? "" : "s",
            r->days, r->days == 1 ? "" : "s", (unsigned long long)r->seed, r->shift_min / 60.0);
    zs_report_text(f, r->engine_version[0] ? r->engine_version : "(version unknown)");
    if (r->created_utc[0]) {
        fputs(" on ", f);
        zs_report_text(f, r->created_utc);
    }
    fputs(". Every plan saw the same simulated parcels, so their differences are paired.</p>\n", f);
}

static void comparison_section(FILE *f, const zs_report *r)
{
    fputs("<section id=\"comparison\"><h2>Plan comparison</h2>\n", f);
    if (!r->n_plans) {
        fputs("<p>No plans to compare.</p></section>\n", f);
        return;
    }
    fputs("<table class=\"sortable num\" id=\"cmp\"><thead><tr><th>plan</th><th>method</th>"
          "<th>zones</th><th>work h [95% CI]</th><th>p90 h</th><th>OT h</th><th>OT days</th>"
          "<th>sim max/min</th><th>CV</th><th>1st ok</th><th>late</th><th>unreached</th></tr>"
          "</thead><tbody>\n",
          f);
    for (size_t i = 0; i < r->n_plans; i++) {
        const zs_report_plan *p = &r->plans[i];
        fprintf(f, "<tr data-plan=\"");
        zs_report_text(f, p->name);
        fputs("\"><td>", f);
        zs_report_text(f, p->name);
        fputs("</td><td class=\"t\">", f);
        zs_report_text(f, p->method);
        fputs("</td>", f);
        zs_rep_td(f, (double)p->k, "%zu", p->k);
        if (!p->summary) {
            fputs("<td colspan=\"9\">not simulated</td></tr>\n", f);
            continue;
        }
        const zs_plan_summary *s = p->summary;
        const zs_stat *w = &s->zoneday[ZS_M_WORK_MIN], *ot = &s->zoneday[ZS_M_OVERTIME_MIN];
        /* Shares from the mean daily totals (ratios of means), as run prints them. */
        double stops = s->day[ZS_M_STOPS].mean, deliv = s->day[ZS_M_DELIVERED].mean;
        double first = stops > 0 ? 1.0 - s->day[ZS_M_FAILED_STOPS].mean / stops : 1.0;
        double late = deliv > 0 ? s->day[ZS_M_LATE].mean / deliv : 0.0;
        zs_rep_td(f, w->mean / 60, "%.2f [%.2f, %.2f]", w->mean / 60, w->ci_lo / 60, w->ci_hi / 60);
        zs_rep_td(f, w->p90 / 60, "%.2f", w->p90 / 60);
        zs_rep_td(f, ot->mean / 60, "%.2f", ot->mean / 60);
        zs_rep_td(f, s->overtime_share, "%.1f%%", 100 * s->overtime_share);
        zs_rep_td(f, s->work_maxmin, "%.2f", s->work_maxmin);
        zs_rep_td(f, s->work_cv, "%.3f", s->work_cv);
        zs_rep_td(f, first, "%.1f%%", 100 * first);
        zs_rep_td(f, late, "%.1f%%", 100 * late);
        zs_rep_td(f, s->day[ZS_M_UNVISITED].mean, "%.1f", s->day[ZS_M_UNVISITED].mean);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n<p class=\"note\">Per courier-day: mean work with its 95% confidence "
          "interval over replications, 90th percentile, mean overtime, share of courier-days with "
          "overtime; balance of the zones' mean simulated work: busiest / quietest zone and "
          "coefficient of variation; stops signed at the first attempt; parcels signed for after "
          "the delivery promise; stops a day left for tomorrow because the overtime limit was "
          "reached. Click a column's header to sort.</p>\n",
          f);
    /* Pickup requests (demand.pickups_per_day), when the run had any, as run prints them. */
    for (size_t i = 0; i < r->n_plans; i++) {
        const zs_plan_summary *s = r->plans[i].summary;
        if (!s || !(s->day[ZS_M_PICKUPS].mean > 0.0))
            continue;
        double req = s->day[ZS_M_PICKUPS].mean;
        fputs("<p class=\"pickups\">Pickups '", f);
        zs_report_text(f, r->plans[i].name);
        fprintf(f, "': %.1f requests a day, %.1f%% late, %.1f%% missed; %.2f h per courier-day "
                   "(in work h).</p>\n",
                req, 100.0 * s->day[ZS_M_PICKUPS_LATE].mean / req,
                100.0 * s->day[ZS_M_PICKUPS_MISSED].mean / req, s->zoneday[ZS_M_PICKUP_MIN].mean / 60);
    }
    int any_shape = 0;
    for (size_t i = 0; i < r->n_plans; i++)
        any_shape |= r->plans[i].has_shape;
    if (any_shape) {
        fputs("<table class=\"sortable num\" id=\"shape\"><thead><tr><th>zone shape</th>"
              "<th>one piece</th><th>strays</th><th>x barrier</th><th>overlap</th><th>PP</th>"
              "<th>work+travel dev</th></tr></thead><tbody>\n",
              f);
        for (size_t i = 0; i < r->n_plans; i++) {
            const zs_report_plan *p = &r->plans[i];
            if (!p->has_shape)
                continue;
            fputs("<tr><td>", f);
            zs_report_text(f, p->name);
            fputs("</td>", f);
            zs_rep_td(f, (double)p->zones_one_piece, "%llu/%zu",
                      (unsigned long long)p->zones_one_piece, p->k);
            zs_rep_td(f, (double)p->strays, "%llu", (unsigned long long)p->strays);
            zs_rep_td(f, (double)p->barrier_zones, "%llu", (unsigned long long)p->barrier_zones);
            zs_rep_td(f, p->hull_overlap, "%.1f%%", 100 * p->hull_overlap);
            zs_rep_td(f, p->polsby_popper_mean, "%.3f", p->polsby_popper_mean);
            zs_rep_td(f, p->work_travel_maxdev, "%.1f%%", 100 * p->work_travel_maxdev);
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n<p class=\"note\">Zones in one piece on the adjacency graph, "
              "points outside their zone's main piece, zones reaching across a river or major "
              "road, share of the zone hulls' area covered twice, mean Polsby-Popper compactness "
              "of the hulls, largest deviation of expected work with travel from the mean.</p>\n",
              f);
    }
    if (r->n_plans >= 2 && r->paired_work && r->paired_overtime) {
        fputs("<table class=\"sortable num\" id=\"paired\"><caption>paired differences against '", f);
        zs_report_text(f, r->plans[0].name);
        fputs("' (same demand; total over all couriers, per day)</caption><thead><tr><th>plan</th>"
              "<th>work h</th><th>95% CI</th><th>overtime h</th><th>95% CI</th></tr></thead>"
              "<tbody>\n",
              f);
        for (size_t i = 1; i < r->n_plans; i++) {
            const zs_stat *w = &r->paired_work[i], *ot = &r->paired_overtime[i];
            fputs("<tr><td>", f);
            zs_report_text(f, r->plans[i].name);
            fputs("</td>", f);
            zs_rep_td(f, w->mean / 60, "%+.1f", w->mean / 60);
            zs_rep_td(f, w->ci_lo / 60, "[%+.1f, %+.1f]", w->ci_lo / 60, w->ci_hi / 60);
            zs_rep_td(f, ot->mean / 60, "%+.1f", ot->mean / 60);
            zs_rep_td(f, ot->ci_lo / 60, "[%+.1f, %+.1f]", ot->ci_lo / 60, ot->ci_hi / 60);
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
    fputs("</section>\n", f);
}

/* ---- maps and distributions ----------------------------------------------- */

static zs_status zone_table(FILE *f, const zs_report_plan *p, zs_err *err)
{
    const zs_plan_summary *s = p->summary;
    fputs("<details><summary>the zones' figures as a table</summary>\n<table class=\"sortable num "
          "zones\"><thead><tr><th>zone</th><th>points</th><th>expected h</th><th>stops</th>"
          "<th>work h</th><th>p90 h</th><th>OT h</th><th>1st ok</th><th>late</th></tr></thead>"
          "<tbody>\n",
          f);
    size_t *np = p->part ? zs_calloc(p->k ? p->k : 1, sizeof *np) : NULL;
    if (p->part && !np)
        return ZS_NOMEM(err);
    for (size_t i = 0; np && i < p->part->n; i++)
        np[p->part->zone[i]]++;
    for (size_t z = 0; z < p->k; z++) {
        fputs("<tr><td>", f);
        zs_report_text(f, p->label[z]);
        fputs("</td>", f);
        if (np)
            zs_rep_td(f, (double)np[z], "%zu", np[z]);
        else
            fputs("<td></td>", f);
        if (p->expected_min)
            zs_rep_td(f, p->expected_min[z] / 60, "%.2f", p->expected_min[z] / 60);
        else
            fputs("<td></td>", f);
        if (s) {
            double st = s->zone[ZS_M_STOPS][z].mean;
            double first = st > 0 ? 1.0 - s->zone[ZS_M_FAILED_STOPS][z].mean / st : 1.0;
            zs_rep_td(f, st, "%.1f", st);
            zs_rep_td(f, s->zone[ZS_M_WORK_MIN][z].mean / 60, "%.2f",
                      s->zone[ZS_M_WORK_MIN][z].mean / 60);
            zs_rep_td(f, s->zone[ZS_M_WORK_MIN][z].p90 / 60, "%.2f",
                      s->zone[ZS_M_WORK_MIN][z].p90 / 60);
            zs_rep_td(f, s->zone[ZS_M_OVERTIME_MIN][z].mean / 60, "%.2f",
                      s->zone[ZS_M_OVERTIME_MIN][z].mean / 60);
            zs_rep_td(f, first, "%.1f%%", 100 * first);
            zs_rep_td(f, s->zone[ZS_M_LATE][z].mean, "%.1f", s->zone[ZS_M_LATE][z].mean);
        } else {
            fputs("<td colspan=\"6\">not simulated</td>", f);
        }
        fputs("</tr>\n", f);
    }
    zs_free(np);
    fputs("</tbody></table></details>\n", f);
    return ZS_OK;
}

static zs_status maps_section(FILE *f, const zs_report *r, zs_err *err)
{
    fputs("<section id=\"maps\"><h2>Maps</h2>\n<p class=\"note\">Zones that meet have different "
          "colours; points are coloured by type. Hover over a zone for its figures, click to keep "
          "them; drag to pan, scroll or use the buttons to zoom.</p>\n",
          f);
    for (size_t i = 0; i < r->n_plans; i++) {
        const zs_report_plan *p = &r->plans[i];
        fputs("<h3>plan '", f);
        zs_report_text(f, p->name);
        fprintf(f, "': %zu zones, method ", p->k);
        zs_report_text(f, p->method);
        fputs(" (", f);
        zs_report_text(f, p->status);
        fputs(")</h3>\n", f);
        if (!p->points || !p->shapes) {
            fputs("<p>No map: ", f);
            zs_report_text(f, p->map_note[0] ? p->map_note : "the file has no points");
            fputs("</p>\n", f);
        } else {
            fputs("<div class=\"mapbox\"><div class=\"mapwrap\"><div class=\"ctl\">"
                  "<button type=\"button\" data-act=\"in\" title=\"zoom in\">+</button>"
                  "<button type=\"button\" data-act=\"out\" title=\"zoom out\">&minus;</button>"
                  "<button type=\"button\" data-act=\"reset\" title=\"whole area\">&#8634;</button>"
                  "</div>\n",
                  f);
            zs_status st = zs_report_map_svg(f, r, i, err);
            if (st != ZS_OK)
                return st;
            fprintf(f, "</div><div class=\"zoneinfo\" id=\"info-%zu\" aria-live=\"polite\">"
                       "Hover over a zone, or click it, to see its figures.</div></div>\n",
                    i);
        }
        zs_status st = zone_table(f, p, err);
        if (st != ZS_OK)
            return st;
    }
    fputs("</section>\n", f);
    return ZS_OK;
}

static zs_status distributions_section(FILE *f, const zs_report *r, zs_err *err)
{
    fputs("<section id=\"distributions\"><h2>Distributions</h2>\n", f);
    size_t simulated = 0;
    for (size_t i = 0; i < r->n_plans; i++)
        simulated += r->plans[i].hist != NULL || r->plans[i].summary != NULL;
    if (!simulated) {
        fputs("<p>No simulated courier-days in this file: nothing to draw.</p></section>\n", f);
        return ZS_OK;
    }
    const char **name = zs_calloc(r->n_plans, sizeof *name);
    const zs_report_hist **h = zs_calloc(r->n_plans, sizeof *h);
    zs_status st = ZS_OK;
    if (!name || !h)
        st = ZS_NOMEM(err);
    for (size_t i = 0; st == ZS_OK && i < r->n_plans; i++) {
        name[i] = r->plans[i].name;
        h[i] = r->plans[i].hist;
    }
    if (st == ZS_OK) {
        fputs("<h3>Work hours per courier-day</h3>\n<p class=\"note\">Every simulated courier-day "
              "of every replication (absent couriers left out), in bins of a quarter hour; the "
              "dashed line is the shift. Hover over a bar for its share.</p>\n",
              f);
        zs_report_histogram_svg(f, r->n_plans, name, h, r->shift_min / 60.0);
        fputs("<h3>Work per zone</h3>\n<p class=\"note\">Bars: each zone's mean simulated work "
              "hours per day; tick: its 90th percentile; diamond: expected work (door minutes "
              "plus travel) when the file has it; dashed: the shift.</p>\n",
              f);
    }
    for (size_t i = 0; st == ZS_OK && i < r->n_plans; i++) {
        const zs_report_plan *p = &r->plans[i];
        if (!p->summary)
            continue;
        double *v = zs_malloc_array(3 * p->k + 1, sizeof *v);
        const char **fill = zs_calloc(p->k + 1, sizeof *fill);
        if (!v || !fill) {
            zs_free(v);
            zs_free(fill);
            st = ZS_NOMEM(err);
            break;
        }
        for (size_t z = 0; z < p->k; z++) {
            v[z] = p->summary->zone[ZS_M_WORK_MIN][z].mean / 60;
            v[p->k + z] = p->summary->zone[ZS_M_WORK_MIN][z].p90 / 60;
            v[2 * p->k + z] = p->expected_min ? p->expected_min[z] / 60 : NAN;
            fill[z] = p->colour ? zs_export_colour_hex((size_t)p->colour[z]) : "#4477aa";
        }
        fputs("<h4>plan '", f);
        zs_report_text(f, p->name);
        fputs("'</h4>\n", f);
        zs_report_bars_svg(f, p->k, (const char *const *)p->label, v, v + p->k,
                           p->expected_min ? v + 2 * p->k : NULL, fill, r->shift_min / 60.0);
        zs_free(v);
        zs_free(fill);
    }
    zs_free(name);
    zs_free(h);
    if (st == ZS_OK)
        fputs("</section>\n", f);
    return st;
}

/* ---- the page ----------------------------------------------------------------- */

zs_status zs_report_write(FILE *f, const zs_report *r, zs_err *err)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"zonesim " ZS_VERSION "\">\n<title>Zone plans: ",
          f);
    zs_report_text(f, r->scenario_name[0] ? r->scenario_name : r->source);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header><h1>Zone plans for "
               "scenario '",
            css);
    zs_report_text(f, r->scenario_name[0] ? r->scenario_name : "?");
    fputs("'</h1>\n", f);
    sentence(f, r);
    fputs("<nav><a href=\"#comparison\">comparison</a><a href=\"#maps\">maps</a>"
          "<a href=\"#distributions\">distributions</a><a href=\"#staffing\">staffing</a>",
          f);
    if (r->n_service)
        fputs("<a href=\"#service\">service desk</a>", f);
    fputs("</nav>\n</header>\n", f);
    warnings_section(f, r);
    comparison_section(f, r);
    zs_status st = maps_section(f, r, err);
    if (st == ZS_OK)
        st = distributions_section(f, r, err);
    if (st != ZS_OK)
        return st;
    zs_rep_staffing_section(f, r);
    zs_rep_service_section(f, r);
    fputs("<footer>Written by zonesim " ZS_VERSION " from ", f);
    zs_report_text(f, r->source);
    fprintf(f, " (results layout %d). Colours: Paul Tol's colour-blind-safe schemes.</footer>\n"
               "<script>\n%s</script>\n</body>\n</html>\n",
            r->layout_version, script);
    if (fflush(f) != 0 || ferror(f))
        return zs_err_set(err, ZS_EIO, "write error");
    return ZS_OK;
}
