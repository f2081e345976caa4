/*
 * tests/test_report.c -- the HTML report (engine/report/report.h): escaping,
 * the charts, a plan's map with its zones' figures, the whole page of a
 * hand-built report (warnings, missing parts, tables), writing to a file
 * (no file left on failure), the service-desk section, and reading a results file written by
 * zs_h5out_write back into a report, including the parts it lacks.
 *
 * The page is checked as text, as tests/test_export.c checks its SVG;
 * tests/e2e_report.sh parses real reports with Python and opens them in a
 * headless browser.
 */
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "maps/export.h"
#include "models/alloc.h"
#include "models/ptype.h"
#include "report/report.h"
#include "results/h5out.h"

static size_t count(const char *s, const char *sub)
{
    size_t c = 0, l = strlen(sub);
    for (const char *p = s; p && (p = strstr(p, sub)); p += l)
        c++;
    return c;
}

static void *xalloc(void *p)
{
    if (!p) {
        fprintf(stderr, "out of memory building a fixture\n");
        exit(1);
    }
    return p;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* A memory stream and its text after closing. */
typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} mem;

static void mem_open(mem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = xalloc(open_memstream(&m->buf, &m->len));
}

static char *mem_close(mem *m)
{
    fclose(m->f);
    return m->buf;
}

/* ---- escaping and colours ----------------------------------------------------- */

static void test_text(void)
{
    mem m;
    mem_open(&m);
    zs_report_text(m.f, "a<b>&\"c'\x01\td\n");
    zs_report_text(m.f, NULL);
    char *s = mem_close(&m);
    CHECK(s && !strcmp(s, "a&lt;b&gt;&amp;&quot;c&#39; \td\n"),
          "text: < > & \" ' escaped, a control character becomes a space, tab and newline kept");
    free(s);
    CHECK(!strcmp(zs_report_series_hex(0), "#4477aa") && !strcmp(zs_report_series_hex(1), "#ee6677"),
          "series colours: Tol 'bright' blue, then red");
    CHECK(!strcmp(zs_report_series_hex(10), zs_report_series_hex(0)),
          "series colours cycle after 10");
    int distinct = 1;
    for (size_t i = 0; i < 10; i++)
        for (size_t j = i + 1; j < 10; j++)
            distinct &= strcmp(zs_report_series_hex(i), zs_report_series_hex(j)) != 0;
    CHECK(distinct, "series colours: the 10 point types get 10 different colours");
}

/* ---- charts ------------------------------------------------------------------- */

static void test_histogram(void)
{
    /* Minutes: 66, 72, 516 (1.1, 1.2, 8.6 h), an absent day and a NaN. */
    const double a[] = {66, 72, 516, 600, NAN}, absent[] = {0, 0, 0, 1, 0};
    zs_report_hist h = {0}, empty = {0};
    zs_report_hist_add(&h, a, absent, 5);
    CHECK(h.n == 3 && h.count[4] == 2 && h.count[34] == 1,
          "hist: 1.1 and 1.2 h in bin 4 (1.00-1.25), 8.6 h in bin 34; absent and NaN left out");
    CHECK_NEAR(h.sum_h, 1.1 + 1.2 + 8.6, 1e-12, "hist: the sum of hours");
    CHECK_NEAR(h.max_h, 8.6, 1e-12, "hist: the longest day");
    const double big[] = {-5, 24 * 60, 100 * 60};
    zs_report_hist hb = {0};
    zs_report_hist_add(&hb, big, NULL, 3);
    CHECK(hb.count[0] == 1 && hb.count[ZS_REPORT_BINS - 1] == 2,
          "hist: a negative value in the first bin, 24 h and more in the last");

    const char *name[] = {"k<&>", "empty", "none"};
    const zs_report_hist *hs[] = {&h, &empty, NULL};
    mem m;
    mem_open(&m);
    zs_report_histogram_svg(m.f, 3, name, hs, 8.0);
    char *s = mem_close(&m);
    CHECK(s && !strncmp(s, "<svg class=\"chart hist\"", 23) && count(s, "</svg>") == 1,
          "histogram: one inline <svg>");
    CHECK(count(s, "class=\"bar\"") == 2, "histogram: one bar per non-empty bin");
    CHECK_CONTAINS(s, "k&lt;&amp;&gt;: 1.00-1.25 h, 66.7% of courier-days (2)",
                   "histogram: the bar's title says its bin and share, the name escaped");
    CHECK_CONTAINS(s, "k&lt;&amp;&gt;: 8.50-8.75 h, 33.3% of courier-days (1)",
                   "histogram: the single day past the shift");
    CHECK_CONTAINS(s, "mean 3.63 h, 3 days", "histogram: the series' mean and count");
    CHECK(count(s, "not simulated") == 2, "histogram: empty and missing series say not simulated");
    CHECK(count(s, "class=\"shift\"") == 1, "histogram: the shift as one line");
    CHECK(count(s, "<g class=\"series\"") == 3, "histogram: one row per series");
    free(s);

    const zs_report_hist *hbs[] = {&hb};
    mem_open(&m);
    zs_report_histogram_svg(m.f, 1, name, hbs, 0);
    s = mem_close(&m);
    CHECK(count(s, "class=\"bar\"") == 2 && count(s, "class=\"shift\"") == 0,
          "histogram: the axis reaches the last bin; no shift line when shift is 0");
    CHECK_CONTAINS(s, ": 23.75 h or more, 66.7%", "histogram: the last bin is open-ended");
    free(s);
}

static void test_bars(void)
{
    const char *label[] = {"1", "z\"2", "3"};
    const double mean[] = {7.5, 8.0, 8.5}, p90[] = {9, 9.5, 10}, exp_h[] = {7, 8, 9};
    const char *fill[] = {"#332288", "#88ccee", "#44aa99"};
    mem m;
    mem_open(&m);
    zs_report_bars_svg(m.f, 3, label, mean, p90, exp_h, fill, 8.0);
    char *s = mem_close(&m);
    CHECK(count(s, "class=\"bar\"") == 3, "bars: one bar per zone");
    CHECK(count(s, "class=\"p90\"") == 3 && count(s, "class=\"exp\"") == 3,
          "bars: a p90 tick and an expected-work diamond per zone");
    CHECK_CONTAINS(s, "zone z&quot;2: mean 8.00 h, p90 9.50 h, expected 8.00 h",
                   "bars: the title gives the figures, label escaped");
    CHECK(strstr(s, "fill=\"#88ccee\"") != NULL, "bars: the zone's colour");
    free(s);
    mem_open(&m);
    zs_report_bars_svg(m.f, 3, label, mean, NULL, NULL, NULL, 0);
    s = mem_close(&m);
    CHECK(count(s, "class=\"bar\"") == 3 && count(s, "class=\"p90\"") == 0 &&
              count(s, "class=\"exp\"") == 0 && count(s, "class=\"shift\"") == 0,
          "bars: without p90, expected work or shift only the bars");
    free(s);
}

/* ---- a hand-built report -------------------------------------------------------- */

/* Zone 0 "north": a square of 5 points; zone 1 "b\"q<&": one point; zone
 * 2 "line": three collinear points (as tests/test_export.c). */
#define NPT 9
static const double PX[NPT] = {0, 100, 100, 0, 50, 500, 300, 350, 400};
static const double PY[NPT] = {0, 0, 100, 100, 50, 500, 0, 50, 100};
static const int32_t PZ[NPT] = {0, 0, 0, 0, 0, 1, 2, 2, 2};

static zs_report *build_report(int simulated)
{
    zs_err err;
    zs_report *r = xalloc(zs_calloc(1, sizeof *r));
    snprintf(r->source, sizeof r->source, "t<1>.h5");
    snprintf(r->scenario_name, sizeof r->scenario_name, "st&tion");
    snprintf(r->engine_version, sizeof r->engine_version, "9.9.9");
    r->layout_version = 1;
    r->n_points = NPT;
    r->reps = 4;
    r->days = 7;
    r->seed = 42;
    r->shift_min = 480;
    r->depot_x = 10;
    r->depot_y = 20;
    r->n_plans = 1;
    r->plans = xalloc(zs_calloc(1, sizeof *r->plans));
    zs_report_plan *p = &r->plans[0];
    p->name = xalloc(zs_strdup("p<1>"));
    p->method = xalloc(zs_strdup("kmeans"));
    p->status = xalloc(zs_strdup("balance not met"));
    p->k = 3;
    p->points = xalloc(zs_points_create(NPT, &err));
    for (size_t i = 0; i < NPT; i++) {
        p->points->x[i] = PX[i];
        p->points->y[i] = PY[i];
        p->points->type[i] = (uint8_t)(i % 2 ? ZS_PT_OFFICE : ZS_PT_RESIDENTIAL);
        p->points->parcels[i] = 1;
    }
    char *labels[3] = {"north", "b\"q<&", "line"};
    if (zs_partition_from_labels(p->points, PZ, 3, labels, &p->part, &err) != ZS_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        exit(1);
    }
    p->label = xalloc(zs_calloc(3, sizeof *p->label));
    for (size_t z = 0; z < 3; z++)
        p->label[z] = xalloc(zs_strdup(labels[z]));
    p->colour = xalloc(zs_calloc(3, sizeof *p->colour));
    zs_export_map map = {.plan = p->name, .points = p->points, .part = p->part};
    if (zs_export_colour_zones(p->points, p->part, p->colour, NULL, &err) != ZS_OK ||
        zs_export_shapes_create(&map, &p->shapes, &err) != ZS_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        exit(1);
    }
    p->has_shape = 1;
    p->zones_one_piece = 2;
    p->strays = 1;
    p->expected_min = xalloc(zs_calloc(3, sizeof *p->expected_min));
    for (size_t z = 0; z < 3; z++)
        p->expected_min[z] = 420 + 60 * (double)z; /* 7, 8, 9 h */
    if (simulated) {
        zs_plan_summary *s = p->summary = xalloc(zs_calloc(1, sizeof *s));
        s->zones = 3;
        for (int m = 0; m < ZS_M_COUNT; m++)
            s->zone[m] = xalloc(zs_calloc(3, sizeof(zs_stat)));
        for (size_t z = 0; z < 3; z++) {
            s->zone[ZS_M_WORK_MIN][z].mean = 450 + 30 * (double)z; /* 7.5, 8, 8.5 h */
            s->zone[ZS_M_WORK_MIN][z].p90 = 540;                     /* 9 h */
            s->zone[ZS_M_OVERTIME_MIN][z].mean = 15;                 /* 0.25 h */
            s->zone[ZS_M_STOPS][z].mean = 4;
            s->zone[ZS_M_FAILED_STOPS][z].mean = 1;                  /* 75% first attempt */
            s->zone[ZS_M_LATE][z].mean = 0.5 * (double)z;
        }
        s->zoneday[ZS_M_WORK_MIN] = (zs_stat){.mean = 480, .ci_lo = 474, .ci_hi = 486, .p90 = 540};
        s->day[ZS_M_STOPS].mean = 12;
        s->day[ZS_M_FAILED_STOPS].mean = 3;
        s->day[ZS_M_UNVISITED].mean = 2.5;
        s->day[ZS_M_PICKUPS].mean = 10;
        s->day[ZS_M_PICKUPS_LATE].mean = 1;
        s->day[ZS_M_PICKUPS_MISSED].mean = 0.5;
        s->zoneday[ZS_M_PICKUP_MIN].mean = 30;
        s->work_maxmin = 8.5 / 7.5;
        const double days[3] = {450, 480, 510};
        p->hist = xalloc(zs_calloc(1, sizeof *p->hist));
        zs_report_hist_add(p->hist, days, NULL, 3);
    }
    return r;
}

static char *render(const zs_report *r, zs_status *st, zs_err *err)
{
    mem m;
    mem_open(&m);
    *st = zs_report_write(m.f, r, err);
    return mem_close(&m);
}

static void test_map(void)
{
    zs_report *r = build_report(1);
    zs_err err;
    mem m;
    mem_open(&m);
    zs_status st = zs_report_map_svg(m.f, r, 0, &err);
    char *s = mem_close(&m);
    CHECK(st == ZS_OK, "map: drawn");
    CHECK(count(s, "class=\"zone\"") == 3, "map: one zone shape per zone");
    CHECK(count(s, "h0") == 2 * NPT, "map: one dot per point, over its halo");
    CHECK(count(s, "<path class=\"pt\" data-type=\"residential\"") == 1 &&
              count(s, "<path class=\"pt\" data-type=\"office\"") == 1 &&
              count(s, "<path class=\"pt\"") == 2,
          "map: one dot path per point type present");
    CHECK_CONTAINS(s, "data-zone=\"1\" data-label=\"b&quot;q&lt;&amp;\" data-points=\"1\"",
                   "map: zone 1's label escaped in its data attribute, its one point");
    CHECK_CONTAINS(s, "data-zone=\"0\" data-label=\"north\" data-points=\"5\" data-exp-h=\"7.0000\" "
                      "data-stops=\"4.000\" data-sim-h=\"7.5000\" data-p90-h=\"9.0000\" "
                      "data-ot-h=\"0.2500\" data-first=\"0.7500\" data-late=\"0.000\"",
                   "map: zone 0's points, expected, simulated, p90, overtime, first attempt, late");
    CHECK_CONTAINS(s, "data-late=\"1.000\"", "map: zone 2's late parcels a day");
    CHECK_CONTAINS(s, "aria-label=\"map of plan p&lt;1&gt;\"", "map: the plan named, escaped");
    CHECK_CONTAINS(s, "residential 5</span>", "map legend: residential points counted");
    CHECK_CONTAINS(s, "office 4</span>", "map legend: office points counted");
    CHECK(!strstr(s, "barriers"), "map: no barrier group without barriers");
    free(s);

    /* Barriers: two joined segments of one feature are one line. */
    double seg[8] = {0, 200, 200, 200, 200, 200, 400, 250};
    int32_t feat[2] = {3, 3};
    r->n_barrier_seg = 2;
    r->barrier_seg = xalloc(zs_malloc_array(8, sizeof(double)));
    r->barrier_feature = xalloc(zs_malloc_array(2, sizeof(int32_t)));
    memcpy(r->barrier_seg, seg, sizeof seg);
    memcpy(r->barrier_feature, feat, sizeof feat);
    mem_open(&m);
    st = zs_report_map_svg(m.f, r, 0, &err);
    s = mem_close(&m);
    CHECK(st == ZS_OK && count(s, "<polyline") == 1 && strstr(s, "barrier (river, major road)"),
          "map: joined barrier segments drawn as one line, with a legend entry");
    free(s);

    /* No shapes: an error, nothing to draw. */
    zs_export_shapes *keep = r->plans[0].shapes;
    r->plans[0].shapes = NULL;
    mem_open(&m);
    st = zs_report_map_svg(m.f, r, 0, &err);
    s = mem_close(&m);
    CHECK(st == ZS_EINVAL, "map: a plan without shapes is refused");
    CHECK_CONTAINS(err.msg, "plan 'p<1>': no map to draw", "map: the refusal names the plan");
    free(s);
    r->plans[0].shapes = keep;
    zs_report_free(r);
}

static void test_page(void)
{
    zs_report *r = build_report(1);
    zs_err err;
    CHECK(zs_report_add_missing(r, &err, "No <staffing> in %s.", "x") == ZS_OK && r->n_missing == 1,
          "add_missing: one sentence added");
    zs_status st;
    char *s = render(r, &st, &err);
    CHECK(st == ZS_OK, "page: written");
    CHECK(s && !strncmp(s, "<!DOCTYPE html>", 15) && strstr(s, "</html>\n"),
          "page: a complete HTML document");
    CHECK(count(s, "<script>") == 1 && count(s, "<style>") == 1 && !strstr(s, "src=") &&
              !strstr(s, "<link"),
          "page: one inline script and style, nothing loaded from elsewhere");
    CHECK(count(s, "<section") == count(s, "</section>") && count(s, "<section") == 5,
          "page: warnings, comparison, maps, distributions and staffing sections, all closed");
    CHECK(count(s, "<table") == count(s, "</table>"), "page: every table closed");
    CHECK_CONTAINS(s, "Scenario <strong>'st&amp;tion'</strong>: 9 delivery points, 1 plan compared "
                      "over 4 replications of 7 days (seed 42, shift 8.0 h), computed by zonesim "
                      "9.9.9",
                   "page: the scenario in a sentence");
    CHECK_CONTAINS(s, "Plan 'p&lt;1&gt;' missed its balance tolerance (status: balance not met)",
                   "page: a missed balance is a warning");
    CHECK_CONTAINS(s, "has 1 of 3 zones in pieces (1 point away",
                   "page: zones in pieces are a warning");
    CHECK_CONTAINS(s, "leaves 2.5 stops a day unreached", "page: unreached stops are a warning");
    CHECK_CONTAINS(s, "<li>No &lt;staffing&gt; in x.</li>", "page: a missing part listed, escaped");
    CHECK(strstr(s, "id=\"warnings\"") < strstr(s, "id=\"comparison\""),
          "page: the warnings come before the comparison");
    CHECK_CONTAINS(s, "<td data-v=\"8\">8.00 [7.90, 8.10]</td>", "page: work with its CI, as run prints it");
    CHECK_CONTAINS(s, "<td data-v=\"0.75\">75.0%</td>", "page: first-attempt share from the daily totals");
    CHECK_CONTAINS(s, "<td data-v=\"1.133333333\">1.13</td>", "page: sim max/min");
    CHECK(count(s, "class=\"zone\"") == 3, "page: the map's three zones");
    CHECK_CONTAINS(s, "Pickups 'p&lt;1&gt;': 10.0 requests a day, 10.0% late, 5.0% missed; "
                      "0.50 h per courier-day", "page: pickups as run prints them");
    CHECK(count(s, "<svg class=\"chart hist\"") == 1 && count(s, "<svg class=\"chart bars\"") == 1,
          "page: the histogram and the plan's zone bars");
    CHECK_CONTAINS(s, "This run has no staffing", "page: no staffing said");
    CHECK_CONTAINS(s, "section{break-before:page}", "page: print stylesheet breaks sections");
    free(s);
    zs_report_free(r);

    /* Not simulated: no figures, said in the table, no charts. */
    r = build_report(0);
    s = render(r, &st, &err);
    CHECK(st == ZS_OK && strstr(s, "<td colspan=\"9\">not simulated</td>") &&
              strstr(s, "No simulated courier-days in this file") && !strstr(s, "data-sim-h"),
          "page: a plan not simulated has no simulated figures and says so");
    CHECK(strstr(s, "data-exp-h=\"9.0000\"") != NULL, "page: its zones keep their expected work");
    free(s);
    zs_report_free(r);

    /* An empty report (a file without plans) still makes a page. */
    r = xalloc(zs_calloc(1, sizeof *r));
    CHECK(zs_report_add_missing(r, &err, "The file has no plans.") == ZS_OK, "empty: missing noted");
    s = render(r, &st, &err);
    CHECK(st == ZS_OK && strstr(s, "No plans to compare.") && strstr(s, "The file has no plans."),
          "page: a report without plans says so");
    CHECK(strstr(s, "this file holds no plans of a run to report") && !strstr(s, "0 delivery points"),
          "page: without plans the sentence says so instead of zeros");
    free(s);
    zs_report_free(r);
    zs_report_free(NULL);
    CHECK(1, "zs_report_free(NULL) is a no-op");
}

/* ---- files ------------------------------------------------------------------------ */

static void test_files(const char *dir)
{
    char path[512], tmp[600];
    zs_report *r = build_report(1);
    zs_err err;
    snprintf(path, sizeof path, "%s/no/such/dir/r.html", dir);
    zs_status st = zs_report_write_file(path, r, &err);
    CHECK(st == ZS_EINPUT, "write_file: a missing folder is refused");
    CHECK_CONTAINS(err.msg, "cannot create", "write_file: the message says it cannot create the file");
    snprintf(path, sizeof path, "%s/r.html", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    st = zs_report_write_file(path, r, &err);
    CHECK(st == ZS_OK && exists(path) && !zs_t_tmp_left(path), "write_file: written, no temporary file left");
    CHECK(zs_report_write_file("", r, &err) == ZS_EINVAL, "write_file: an empty name is refused");
    zs_report_free(r);

    /* Reading: a missing file and a text file are input errors. */
    zs_report *got = NULL;
    snprintf(path, sizeof path, "%s/none.h5", dir);
    st = zs_report_read(path, &got, &err);
    CHECK(st == ZS_EINPUT && !got, "read: a missing file is an input error");
    CHECK_CONTAINS(err.msg, "no such file", "read: it says so");
    snprintf(path, sizeof path, "%s/text.h5", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("not hdf5\n", f);
        fclose(f);
    }
    st = zs_report_read(path, &got, &err);
    CHECK(st == ZS_EINPUT && !got, "read: a text file is an input error");
    CHECK_CONTAINS(err.msg, "not an HDF5 file", "read: it says so");

    /* A results file of two plans, one with a summary, no /sim. */
    zs_report *src = build_report(1);
    zs_partition *second = NULL;
    int32_t one[NPT] = {0};
    char *lab[1] = {"all"};
    if (zs_partition_from_labels(src->plans[0].points, one, 1, lab, &second, &err) != ZS_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        exit(1);
    }
    zs_h5_plan plans[2] = {{.name = "zeta", .part = src->plans[0].part,
                            .summary = src->plans[0].summary},
                           {.name = "alpha", .part = second}};
    int64_t day = 20000;
    zs_results res = {.scenario_text = "name: t\n", .scenario_path = "t.yaml",
                      .scenario_name = "t<x>", .seed = 7, .points = src->plans[0].points,
                      .depot_x = 12.5, .depot_y = -3.25, .shift_min = 480, .reps = 4, .days = 1,
                      .day_number = &day, .n_plans = 2, .plans = plans};
    snprintf(path, sizeof path, "%s/two.h5", dir);
    st = zs_h5out_write(path, &res, &err);
    CHECK(st == ZS_OK, "fixture: results file written");
    st = zs_report_read(path, &got, &err);
    CHECK(st == ZS_OK && got, "read: a results file without /sim is read");
    if (got) {
        CHECK(got->n_plans == 2 && !strcmp(got->plans[0].name, "zeta") &&
                  !strcmp(got->plans[1].name, "alpha"),
              "read: both plans, in scenario order");
        CHECK(got->n_points == NPT && got->reps == 4 && got->seed == 7 &&
                  !strcmp(got->scenario_name, "t<x>") && got->depot_x == 12.5 &&
                  got->depot_y == -3.25,
              "read: points, replications, seed, name and depot");
        CHECK(got->plans[0].summary && !got->plans[1].summary,
              "read: the summary of the simulated plan only");
        CHECK(got->plans[0].shapes && got->plans[0].shapes->k == 3 && got->plans[1].shapes &&
                  got->plans[1].shapes->k == 1 && got->plans[0].colour,
              "read: both plans' outlines and colours for the maps");
        CHECK(!got->plans[0].hist, "read: no courier-days without /sim");
        int said = 0;
        for (size_t i = 0; i < got->n_missing; i++)
            said |= strstr(got->missing[i], "Plan 'alpha' was not simulated") != NULL;
        CHECK(said, "read: the plan not simulated is listed as missing");
        said = 0;
        for (size_t i = 0; i < got->n_missing; i++)
            said |= strstr(got->missing[i], "missing for 2 of 2 plans") != NULL;
        CHECK(said, "read: shape figures and expected work missing (an older engine's file)");
        zs_status st2;
        char *s = render(got, &st2, &err);
        CHECK(st2 == ZS_OK && count(s, "class=\"zone\"") == 4,
              "read: the page maps 3 + 1 zones");
        /* Allocation failures while writing: ZS_ENOMEM, never a page with
         * parts silently left out. */
        long n_fail = 0, bad = 0;
        size_t full = s ? strlen(s) : 0;
        for (long i = 0; i < 100000; i++) {
            zs_alloc_fail_after(i);
            char *t = render(got, &st2, &err);
            zs_alloc_fail_after(-1);
            if (st2 == ZS_OK) {
                CHECK(t && strlen(t) == full, "write nomem: the page once allocations succeed is whole");
                free(t);
                break;
            }
            free(t);
            n_fail++;
            bad += st2 != ZS_ENOMEM;
        }
        CHECK(st2 == ZS_OK, "write nomem: succeeds once allocations succeed");
        CHECK(n_fail >= 3, "write nomem: sweep reached %ld failure points", n_fail);
        CHECK(bad == 0, "write nomem: every failure is ZS_ENOMEM");
        free(s);
        zs_report_free(got);
    }
    /* Allocation failures while reading: ZS_ENOMEM, nothing returned,
     * nothing left open. */
    long n_fail = 0, bad = 0, bad_out = 0, left_open = 0;
    for (long i = 0; i < 100000; i++) {
        got = NULL;
        zs_alloc_fail_after(i);
        st = zs_report_read(path, &got, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        n_fail++;
        bad += st != ZS_ENOMEM;
        bad_out += got != NULL;
        left_open += zs_h5out_open_objects() != 0;
    }
    CHECK(st == ZS_OK && got && got->n_plans == 2, "read nomem: succeeds once allocations succeed");
    CHECK(n_fail >= 20, "read nomem: sweep reached %ld failure points", n_fail);
    CHECK(bad == 0, "read nomem: every failure is ZS_ENOMEM (%ld were not)", bad);
    CHECK(bad_out == 0, "read nomem: nothing returned on failure");
    CHECK(left_open == 0, "read nomem: no HDF5 object open after a failure");
    zs_report_free(got);
    zs_partition_free(second);
    zs_report_free(src);
    CHECK(zs_h5out_open_objects() == 0, "read: no HDF5 object left open");
}

/* The service desk: a hand-built /service of two plans, one with shifts
 * and one whose shifts were not solved; a report without one has no
 * section. */
static void test_service(void)
{
    zs_report *r = build_report(1);
    r->n_service = 2;
    r->service = xalloc(zs_calloc(2, sizeof *r->service));
    r->service_info = (zs_h5service_info){.open_interval = 16, .close_interval = 20, .risk = 0.1,
                                          .target = 0.8, .within_s = 20, .shrinkage = 0.3};
    for (int i = 0; i < 2; i++) {
        zs_h5service_plan *p = &r->service[i];
        snprintf(p->plan, sizeof p->plan, i ? "b<2>" : "a");
        p->days = 21;
        p->peak_day = 9;
        p->calls_day_mean = 123.45 + i;
        p->calls_usual_day = 100;
        p->calls_peak_day = 250;
        p->agents_usual = 4 + i;
        p->agents_peak = 9;
        p->positions_usual = 6;
        p->positions_peak = 13;
        p->agent_h_usual = 47;
        p->agent_h_peak = 72;
        p->sim_service_usual = p->sim_service_peak = NAN;
        p->sim_abandon_usual = p->sim_abandon_peak = NAN;
        for (int k = 0; k < ZS_CALL_REASONS; k++)
            for (int h = 16; h < 20; h++) {
                p->usual_calls_hh[k][h] = 0.5 * (k + 1);
                p->peak_calls_hh[k][h] = 1.25 * (k + 1);
            }
        for (int d = 0; d < 7; d++)
            for (int h = 16; h < 20; h++) {
                p->week[d * ZS_CALL_INTERVALS + h] = 3 + d % 2;
                p->scheduled[d * ZS_CALL_INTERVALS + h] = 4 + d % 2;
            }
    }
    zs_h5service_plan *a = &r->service[0];
    a->has_roster = 1;
    snprintf(a->status, sizeof a->status, "optimal");
    a->full_timers = 5;
    a->part_timers = 11;
    a->gap = 0.0125;
    a->objective = 467;
    a->sim_service_usual = 0.995;
    a->sim_service_peak = 0.863;
    a->sim_abandon_usual = 0.001;
    a->sim_abandon_peak = 0.047;
    zs_err err;
    zs_status st;
    char *s = render(r, &st, &err);
    CHECK(st == ZS_OK, "service: page written");
    const char *sec = s ? strstr(s, "<section id=\"service\">") : NULL;
    CHECK(sec && strstr(s, "id=\"staffing\"") < sec, "service: a section after staffing");
    CHECK(count(s, "<section") == 6 && count(s, "<section") == count(s, "</section>"),
          "service: six sections, all closed");
    CHECK_CONTAINS(s, "<a href=\"#service\">service desk</a>", "service: linked from the navigation");
    CHECK_CONTAINS(s, "The desk answers 08:00-10:00: 80% of calls answered within 20 s, Erlang C, "
                      "agents for the 90% quantile of each half hour's calls, 30% shrinkage.",
                   "service: the desk's settings in a sentence");
    CHECK_CONTAINS(s, "<tr><td>a</td><td data-v=\"0\">0.0</td><td data-v=\"0\">0.0</td>"
                      "<td data-v=\"123.45\">123.5</td>",
                   "service: a row per plan with its calls a day");
    CHECK_CONTAINS(s, "<tr><td>b&lt;2&gt;</td>", "service: plan names escaped");
    CHECK_CONTAINS(s, "<td data-v=\"5\"><b>5</b></td><td data-v=\"9\"><b>9</b></td>",
                   "service: agents at the busiest half hour, usual and peak day");
    CHECK_CONTAINS(s, "<td class=\"t wrap\">optimal: 5 full + 11 part-time</td><td data-v=\"0.0125\">1.2%</td>"
                      "<td data-v=\"0.995\">99.5%</td><td data-v=\"0.863\">86.3%</td>",
                   "service: the shifts, their gap and the simulated service level");
    CHECK_CONTAINS(s, "<td class=\"t\">none</td><td data-v=\"-1\">&ndash;</td>",
                   "service: a plan without shifts gets dashes");
    CHECK(count(s, "<svg class=\"chart calls\"") == 4 && count(s, "<g class=\"hh\"") == 16,
          "service: a usual and a peak calls chart per plan, a stack per open half hour");
    CHECK(count(s, "<rect class=\"bar\" data-reason=") == 16 * ZS_CALL_REASONS,
          "service: one bar per reason in each stack");
    CHECK_CONTAINS(s, "<g class=\"hh\" data-i=\"17\" data-total=\"45.0000\">",
                   "service: the peak day's stack totals its reasons");
    CHECK_CONTAINS(s, "<title>08:30 outbound: 4.0 calls (18.0 in all)</title>",
                   "service: a bar's title says its half hour, reason and calls");
    CHECK(count(s, "<svg class=\"chart agents\"") == 14 && count(s, "<polyline class=\"req\"") == 14,
          "service: seven weekday charts per plan, each with the agents needed");
    CHECK(count(s, "<rect class=\"bar sched\"") == 7 * 4,
          "service: scheduled bars only for the plan with shifts, one per open half hour");
    CHECK_CONTAINS(s, "<polyline class=\"req\" data-v=\"4 4 4 4\"",
                   "service: Tuesday's requirement, one point per open half hour");
    CHECK_CONTAINS(s, "<title>Tue 09:00: 5 agents scheduled, 4 needed</title>",
                   "service: a scheduled bar's title");
    CHECK_CONTAINS(s, "No shifts were solved for this plan", "service: a plan without shifts says so");
    CHECK_CONTAINS(s, "the peak day (day 10 of 21)", "service: the peak day named");
    free(s);
    r->service[1].has_roster = 1;
    snprintf(r->service[1].status, sizeof r->service[1].status, "infeasible");
    snprintf(r->service[1].message, sizeof r->service[1].message, "no <shift> fits");
    r->service[1].objective = NAN;
    r->service[1].gap = NAN;
    s = render(r, &st, &err);
    CHECK_CONTAINS(s, "<p class=\"note\">No shifts: no &lt;shift&gt; fits</p>",
                   "service: unsolved shifts give their message");
    CHECK_CONTAINS(s, "<li>Service desk of plan 'b&lt;2&gt;': no agent shifts (infeasible): no "
                      "&lt;shift&gt; fits</li>",
                   "service: unsolved shifts are a warning");
    CHECK(!strstr(s, "Service desk of plan 'a'"), "service: shifts meeting the target are not");
    CHECK(count(s, "<rect class=\"bar sched\"") == 7 * 4, "service: and no scheduled bars");
    free(s);
    a->sim_service_usual = 0.75;
    s = render(r, &st, &err);
    CHECK_CONTAINS(s, "<li>Service desk of plan 'a': on its shifts only 75.0% of calls are answered "
                      "within 20 s on usual days, short of the 80% target.</li>",
                   "service: shifts short of the target on usual days are a warning");
    free(s);
    zs_free(r->service);
    r->service = NULL;
    r->n_service = 0;
    s = render(r, &st, &err);
    CHECK(s && !strstr(s, "id=\"service\"") && !strstr(s, "#service") && !strstr(s, "Service desk"),
          "service: none without /service, not even a link");
    free(s);
    zs_report_free(r);
}

int main(void)
{
    char dir[] = "/tmp/zs_test_report_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    zs_h5out_silence();
    test_text();
    test_histogram();
    test_bars();
    test_map();
    test_page();
    test_service();
    test_files(dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return zs_test_done();
}
