/*
 * tests/test_export_colour.c -- what the maps say beyond the outlines
 * (engine/maps/export.h): zone colours that differ between neighbours
 * (Welsh-Powell on the zone graph), barrier lines in GeoJSON and SVG, the
 * legend's points versus simulated stops a day, and /barriers read back
 * from a results file (zs_h5out_read_barriers).
 *
 * The colouring is checked on graphs whose Welsh-Powell colouring is
 * known by hand and on grids of zones whose neighbours are known; the
 * writers' output is checked as text, as tests/test_export.c does;
 * tests/e2e_export.sh checks real runs with Python.
 */
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maps/export.h"
#include "export_fixture.h"
#include "models/alloc.h"
#include "results/h5out.h"

/* ---- helpers ---------------------------------------------------------------- */

typedef struct {
    zs_points *pts;
    zs_partition *part;
    zs_plan_summary *sum;
} plan_fx;

/* n points at (x, y) in zones z (k of them; labels NULL: "1".."k"). */
static void build(plan_fx *fx, size_t n, const double *x, const double *y, const int32_t *z,
                  size_t k, char **labels)
{
    fixture_plan(n, x, y, z, k, labels, &fx->pts, &fx->part);
    fx->sum = NULL;
}

/* A summary of k zones: zone j has mean stops stops[j] a day and works
 * 450 + 30 j minutes. */
static void add_summary(plan_fx *fx, size_t k, const double *stops)
{
    fx->sum = xalloc(zs_calloc(1, sizeof *fx->sum));
    fx->sum->zones = k;
    for (int m = 0; m < ZS_M_COUNT; m++)
        fx->sum->zone[m] = xalloc(zs_calloc(k, sizeof(zs_stat)));
    for (size_t j = 0; j < k; j++) {
        fx->sum->zone[ZS_M_WORK_MIN][j].mean = 450 + 30 * (double)j;
        fx->sum->zone[ZS_M_WORK_MIN][j].p90 = 540;
        fx->sum->zone[ZS_M_STOPS][j].mean = stops[j];
    }
}

static void free_plan(plan_fx *fx)
{
    zs_points_free(fx->pts);
    zs_partition_free(fx->part);
    zs_plan_summary_free(fx->sum);
}

/* ---- Welsh-Powell on hand-made graphs ------------------------------------------ */

static int colours_are(const int32_t *c, const int32_t *want, size_t k)
{
    for (size_t j = 0; j < k; j++)
        if (c[j] != want[j])
            return 0;
    return 1;
}

static void test_colour_graph(void)
{
    zs_err err;
    int32_t c[10];
    size_t nc = 99;

    /* Path 0 - 1 - 2: the middle (degree 2) goes first and takes 0; plain
     * index order would give 0, 1, 0. */
    size_t ps[] = {0, 1, 3, 4};
    uint32_t pn[] = {1, 0, 2, 1};
    zs_status st = zs_export_colour_graph(3, ps, pn, c, &nc, &err);
    CHECK(st == ZS_OK && nc == 2 && colours_are(c, (int32_t[]){1, 0, 1}, 3),
          "graph: path 0-1-2 in Welsh-Powell order -> 1, 0, 1 (2 colours)");

    /* Cycle 0-1-2-3-0: equal degrees go by index. */
    size_t cs[] = {0, 2, 4, 6, 8};
    uint32_t cn[] = {1, 3, 0, 2, 1, 3, 0, 2};
    st = zs_export_colour_graph(4, cs, cn, c, &nc, &err);
    CHECK(st == ZS_OK && nc == 2 && colours_are(c, (int32_t[]){0, 1, 0, 1}, 4),
          "graph: 4-cycle, ties by index -> 0, 1, 0, 1");

    /* A star with a triangle: hub 0 joined to 1..4, and 1-2. */
    size_t ss[] = {0, 4, 6, 8, 9, 10};
    uint32_t sn[] = {1, 2, 3, 4, 0, 2, 0, 1, 0, 0};
    st = zs_export_colour_graph(5, ss, sn, c, &nc, &err);
    CHECK(st == ZS_OK && nc == 3 && colours_are(c, (int32_t[]){0, 1, 2, 1, 1}, 5),
          "graph: hub first, then the triangle, leaves take the smallest free colour");

    /* No edges: one colour. */
    size_t es[] = {0, 0, 0, 0};
    st = zs_export_colour_graph(3, es, NULL, c, &nc, &err);
    CHECK(st == ZS_OK && nc == 1 && colours_are(c, (int32_t[]){0, 0, 0}, 3),
          "graph: no edges -> every vertex colour 0");
    st = zs_export_colour_graph(0, es, NULL, c, &nc, &err);
    CHECK(st == ZS_OK && nc == 0, "graph: no vertices -> no colours");

    /* K10 needs 10 colours: more than the palette, which then cycles. */
    size_t ks[11];
    uint32_t kn[90];
    for (size_t j = 0, t = 0; j < 10; j++) {
        ks[j] = t;
        for (uint32_t q = 0; q < 10; q++)
            if (q != j)
                kn[t++] = q;
        ks[j + 1] = t;
    }
    st = zs_export_colour_graph(10, ks, kn, c, &nc, &err);
    int ok = st == ZS_OK && nc == 10;
    for (size_t j = 0; ok && j < 10; j++)
        ok = c[j] == (int32_t)j;
    CHECK(ok, "graph: K10 -> colours 0..9, one each");
    CHECK(ZS_EXPORT_PALETTE_N == 9 &&
              !strcmp(zs_export_colour_hex(9), zs_export_colour_hex(0)) &&
              strcmp(zs_export_colour_hex(8), zs_export_colour_hex(0)),
          "graph: the 9-colour palette cycles from colour 9");
    int distinct = 1;
    for (size_t a = 0; a < ZS_EXPORT_PALETTE_N; a++)
        for (size_t b = a + 1; b < ZS_EXPORT_PALETTE_N; b++)
            distinct &= strcmp(zs_export_colour_hex(a), zs_export_colour_hex(b)) != 0;
    CHECK(distinct && !strcmp(zs_export_colour_hex(0), "#cc6677") &&
              !strcmp(zs_export_colour_hex(1), "#332288"),
          "graph: palette entries distinct, Tol's muted order (rose, indigo, ...)");

    uint32_t bad[] = {1, 0, 7, 1};
    st = zs_export_colour_graph(3, ps, bad, c, &nc, &err);
    CHECK(st == ZS_EINVAL, "graph: a neighbour index out of range is ZS_EINVAL (%s)", err.msg);
}

/* ---- zones of a plan ------------------------------------------------------------------ */

/* A jittered grid of G x G points 10 m apart in B x B square blocks of
 * zones, numbered in a scrambled order; neighbours along the grid lines
 * are Delaunay neighbours (each grid cell is split by one diagonal). */
#define G 24
#define B 4
static void grid_plan(plan_fx *fx, uint64_t seed)
{
    static double x[G * G], y[G * G];
    static int32_t z[G * G];
    for (size_t r = 0; r < G; r++)
        for (size_t q = 0; q < G; q++) {
            size_t i = r * G + q;
            x[i] = 10.0 * (double)q + 2 * uniform(&seed) - 1;
            y[i] = 10.0 * (double)r + 2 * uniform(&seed) - 1;
            size_t blk = (r / (G / B)) * B + q / (G / B);
            z[i] = (int32_t)((blk * 7 + 3) % (B * B)); /* 7 is prime to 16 */
        }
    build(fx, G * G, x, y, z, B * B, NULL);
}

static void test_colour_zones(void)
{
    plan_fx fx;
    grid_plan(&fx, 42);
    zs_err err;
    int32_t c[B * B], c2[B * B];
    size_t nc = 0, nc2 = 0;
    zs_status st = zs_export_colour_zones(fx.pts, fx.part, c, &nc, &err);
    CHECK(st == ZS_OK, "zones: coloured (%s)", st ? err.msg : "ok");
    size_t pairs = 0, same = 0;
    const int32_t *z = fx.part->zone;
    for (size_t r = 0; r < G; r++)
        for (size_t q = 0; q < G; q++) {
            size_t i = r * G + q;
            size_t nb[2] = {q + 1 < G ? i + 1 : i, r + 1 < G ? i + G : i};
            for (int e = 0; e < 2; e++)
                if (z[nb[e]] != z[i]) {
                    pairs++;
                    same += c[z[nb[e]]] == c[z[i]];
                }
        }
    CHECK(st == ZS_OK && pairs > 0 && same == 0,
          "zones: no two zones that meet along the grid share a colour (%zu boundary edges)",
          pairs);
    CHECK(nc >= 2 && nc <= 5, "zones: a 4 x 4 block plan takes 2..5 colours (%zu)", nc);
    st = zs_export_colour_zones(fx.pts, fx.part, c2, &nc2, &err);
    CHECK(st == ZS_OK && nc2 == nc && !memcmp(c, c2, sizeof c), "zones: deterministic");
    st = zs_export_colour_zones(fx.pts, fx.part, c2, NULL, &err);
    CHECK(st == ZS_OK && !memcmp(c, c2, sizeof c), "zones: n_colours may be NULL");

    /* Errors name what is wrong. */
    int32_t keep = fx.part->zone[5];
    fx.part->zone[5] = 99;
    st = zs_export_colour_zones(fx.pts, fx.part, c, &nc, &err);
    CHECK(st == ZS_EINVAL && strstr(err.msg, "zone 99"), "zones: a zone out of range is ZS_EINVAL "
                                                        "(%s)", err.msg);
    fx.part->zone[5] = keep;
    fx.part->n--;
    st = zs_export_colour_zones(fx.pts, fx.part, c, &nc, &err);
    CHECK(st == ZS_EINVAL, "zones: a plan not covering the points is ZS_EINVAL");
    fx.part->n++;

    /* Allocation failures: ZS_ENOMEM every time, then success. */
    long n_fail = 0, bad = 0;
    for (long i = 0; i < 1000; i++) {
        zs_alloc_fail_after(i);
        st = zs_export_colour_zones(fx.pts, fx.part, c2, &nc2, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        n_fail++;
        bad += st != ZS_ENOMEM;
    }
    CHECK(st == ZS_OK && !memcmp(c, c2, sizeof c) && n_fail >= 5 && bad == 0,
          "zones nomem: %ld failure points, each ZS_ENOMEM, then the same colours", n_fail);
    free_plan(&fx);

    /* Points on a line (no triangles: a chain) in zones a b a c: a meets
     * b and c, which do not meet each other. */
    double lx[] = {0, 10, 20, 30, 40, 50, 60};
    double ly[] = {0, 0, 0, 0, 0, 0, 0};
    int32_t lz[] = {0, 0, 1, 0, 0, 2, 2};
    build(&fx, 7, lx, ly, lz, 3, NULL);
    st = zs_export_colour_zones(fx.pts, fx.part, c, &nc, &err);
    CHECK(st == ZS_OK && nc == 2 && c[0] == 0 && c[1] == 1 && c[2] == 1,
          "zones: collinear points -> a chain; a (degree 2) takes 0, b and c share 1");
    free_plan(&fx);

    /* Two zones' points at the same spot are neighbours; one zone, one colour. */
    double dx[] = {0, 0, 100};
    double dy[] = {0, 0, 0};
    int32_t dz[] = {0, 1, 1};
    build(&fx, 3, dx, dy, dz, 2, NULL);
    st = zs_export_colour_zones(fx.pts, fx.part, c, &nc, &err);
    CHECK(st == ZS_OK && nc == 2 && c[0] != c[1], "zones: points on top of each other -> "
                                                  "different colours");
    free_plan(&fx);
    int32_t one[] = {0, 0, 0};
    build(&fx, 3, dx, dy, one, 1, NULL);
    st = zs_export_colour_zones(fx.pts, fx.part, c, &nc, &err);
    CHECK(st == ZS_OK && nc == 1 && c[0] == 0, "zones: one zone -> colour 0");
    free_plan(&fx);
}

/* ---- the writers: colours, barriers, legend ----------------------------------------------- */

/* A 4 x 4 grid 100 m apart: zone "west" the two left columns (8 points),
 * "east" the next column, "solo" the last column's top point, "rest"
 * the others. */
static void four_zones(plan_fx *fx, int lonlat)
{
    double x[16], y[16];
    int32_t z[16];
    for (size_t i = 0; i < 16; i++) {
        x[i] = 100.0 * (double)(i % 4);
        y[i] = 100.0 * (double)(i / 4);
        z[i] = i % 4 < 2 ? 0 : i % 4 == 2 ? 1 : i == 15 ? 2 : 3;
    }
    char *labels[] = {"west", "east", "solo", "rest"};
    build(fx, 16, x, y, z, 4, labels);
    if (lonlat) {
        fx->pts->has_lonlat = 1;
        fx->pts->lon0 = 120;
        fx->pts->lat0 = 30;
        fx->pts->lon = xalloc(zs_calloc(16, sizeof(double)));
        fx->pts->lat = xalloc(zs_calloc(16, sizeof(double)));
        for (size_t i = 0; i < 16; i++)
            zs_export_unproject(fx->pts, x[i], y[i], &fx->pts->lon[i], &fx->pts->lat[i]);
    }
}

/* Feature 3: three joined segments west to east; feature 5: two pieces
 * north to south with a gap; feature 7: one segment that starts where
 * feature 5 ended (another feature: another line). */
static const double BSEG[] = {-50, 150, 100, 150, 100, 150, 250, 150, 250, 150, 400, 150,
                              150, -50, 150, 100, 150, 200, 150, 400, 150, 400, 300, 400};
static const int32_t BFEAT[] = {3, 3, 3, 5, 5, 7};
#define NBSEG 6

static void test_barriers(void)
{
    plan_fx fx;
    four_zones(&fx, 0);
    zs_export_map m = {.plan = "b", .points = fx.pts, .part = fx.part, .n_barrier_seg = NBSEG,
                       .barrier_seg = BSEG, .barrier_feature = BFEAT};
    zs_err err;
    zs_status st;
    char *s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && count(s, "\"kind\":\"barrier\"") == 4,
          "barriers geojson: 4 lines (a joined run, a gap, a new feature)");
    CHECK_CONTAINS(s, "{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
                      "[[-50.000,150.000],[100.000,150.000],[250.000,150.000],[400.000,150.000]]},"
                      "\"properties\":{\"kind\":\"barrier\",\"feature\":3}}",
                   "barriers geojson: a run of joined segments is one LineString with its feature");
    CHECK_CONTAINS(s, "[[150.000,200.000],[150.000,400.000]]},\"properties\":{\"kind\":\"barrier\","
                      "\"feature\":5}",
                   "barriers geojson: a gap starts a new line of the same feature");
    CHECK_CONTAINS(s, "[[150.000,400.000],[300.000,400.000]]},\"properties\":{\"kind\":\"barrier\","
                      "\"feature\":7}",
                   "barriers geojson: another feature starts a new line even when joined");
    free(s);

    s = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_OK && count(s, "<polyline") == 4, "barriers svg: 4 polylines");
    const char *zg = s ? strstr(s, "<g id=\"zones\"") : NULL, *bg = s ? strstr(s, "<g id=\"barriers\"") : NULL;
    const char *pg = s ? strstr(s, "<g id=\"points\"") : NULL;
    CHECK(zg && bg && pg && zg < bg && bg < pg, "barriers svg: drawn over the zones, under the points");
    CHECK(s && strstr(s, "clip-path=\"url(#map-area)\"") && strstr(s, "<clipPath id=\"map-area\">"),
          "barriers svg: clipped to the map");
    CHECK(s && strstr(s, ">barrier (river, major road)</text>") && strstr(s, "<line "),
          "barriers svg: a legend entry with a line sample");
    free(s);

    /* Without feature ids: one feature, runs by joins alone. */
    m.barrier_feature = NULL;
    s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && count(s, "\"kind\":\"barrier\"") == 3 && count(s, "\"feature\":0}") == 3,
          "barriers geojson: no feature ids -> feature 0, runs by joins alone (3 lines)");
    free(s);

    /* None: nothing about barriers anywhere. */
    m.n_barrier_seg = 0;
    m.barrier_seg = NULL;
    s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && s && !strstr(s, "barrier"), "barriers geojson: none without barriers");
    free(s);
    s = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_OK && s && !strstr(s, "barrier") && !strstr(s, "<polyline"),
          "barriers svg: no lines and no legend entry without barriers");
    free(s);

    /* Bad barriers are refused before anything is written. */
    double nan_seg[NBSEG * 4];
    memcpy(nan_seg, BSEG, sizeof nan_seg);
    nan_seg[5] = NAN;
    m.n_barrier_seg = NBSEG;
    m.barrier_seg = nan_seg;
    s = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_EINVAL && !strcmp(err.msg, "barrier segment 2 has a coordinate that is not a "
                                              "finite number"),
          "barriers: a NaN coordinate is ZS_EINVAL naming the segment (%s)", err.msg);
    free(s);
    m.barrier_seg = NULL;
    s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_EINVAL, "barriers: segments without coordinates are ZS_EINVAL (%s)", err.msg);
    free(s);
    free_plan(&fx);

    /* Lon/lat points: the lines are in degrees too. */
    four_zones(&fx, 1);
    m = (zs_export_map){.plan = "ll", .points = fx.pts, .part = fx.part, .n_barrier_seg = NBSEG,
                        .barrier_seg = BSEG, .barrier_feature = BFEAT};
    s = render(zs_export_geojson, &m, &st, &err);
    char want[256];
    double lo0, la0, lo1, la1;
    zs_export_unproject(fx.pts, 150, 400, &lo0, &la0);
    zs_export_unproject(fx.pts, 300, 400, &lo1, &la1);
    snprintf(want, sizeof want,
             "[[%.10g,%.10g],[%.10g,%.10g]]},\"properties\":{\"kind\":\"barrier\",\"feature\":7}", lo0,
             la0, lo1, la1);
    CHECK(st == ZS_OK && s && strstr(s, want) && !strstr(s, "400.000"),
          "barriers geojson lon/lat: unprojected to degrees (%s)", want);
    free(s);
    free_plan(&fx);
}

static void test_legend_and_colours(void)
{
    plan_fx fx;
    four_zones(&fx, 0);
    add_summary(&fx, 4, (double[]){26.44, 3.5, 1, NAN});
    zs_export_map m = {.plan = "l", .points = fx.pts, .part = fx.part, .summary = fx.sum};
    zs_err err;
    zs_status st;
    char *s = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_OK && s, "legend: svg written");
    CHECK_CONTAINS(s, ">west: 8 points, 26.4 stops/day, 7.50 h</text>",
                   "legend: points and simulated stops a day told apart");
    CHECK_CONTAINS(s, ">solo: 1 point, 1.0 stops/day, 8.50 h</text>", "legend: one point, singular");
    CHECK_CONTAINS(s, ">rest: 3 points, 9.00 h</text>", "legend: no stops a day where it is NaN");
    CHECK(s && !strstr(s, " stops,") && !strstr(s, " stops<"),
          "legend: the point count is never called stops");
    /* Neighbours west|east and east|rest differ; swatch, zone and dots agree. */
    int32_t c[4];
    st = zs_export_colour_zones(fx.pts, fx.part, c, NULL, &err);
    CHECK(st == ZS_OK && c[0] != c[1] && c[1] != c[3] && c[2] != c[3] && c[1] != c[2],
          "colours: zones that meet differ (west/east, east/rest, east/solo, solo/rest)");
    char want[160];
    snprintf(want, sizeof want, "<polygon fill=\"%s\" stroke=\"%s\"", zs_export_colour_hex(c[1]),
             zs_export_colour_hex(c[1]));
    CHECK(s && count(s, want) >= 1, "colours: svg zone filled with its colour (%s)", want);
    snprintf(want, sizeof want, "fill=\"%s\"/><text x=\"", zs_export_colour_hex(c[1]));
    CHECK(s && strstr(s, want), "colours: legend swatch in the zone's colour");
    free(s);

    s = render(zs_export_geojson, &m, &st, &err);
    snprintf(want, sizeof want, "\"zone\":\"east\",\"points\":4,\"parcels_mean\":4,\"colour\":%d,"
                                "\"fill\":\"%s\",\"stops_per_day_mean\":3.5,",
             (int)c[1], zs_export_colour_hex(c[1]));
    CHECK_CONTAINS(s, want, "geojson: points, colour, fill and stops_per_day_mean per zone");
    CHECK(s && count(s, "\"colour\":") == 4 && count(s, "\"fill\":\"#") == 4,
          "geojson: every zone has colour and fill");
    free(s);

    m.summary = NULL;
    s = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_OK && s && strstr(s, ">west: 8 points</text>") && !strstr(s, "stops/day"),
          "legend: not simulated -> points only");
    free(s);
    s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && s && count(s, "\"points\":") == 4 && !strstr(s, "stops"),
          "geojson: not simulated -> points, no stops a day");
    free(s);

    /* Long labels: the legend falls back to fewer columns (here one). */
    free_plan(&fx);
    double x[] = {0, 100, 200}, y[] = {0, 0, 50};
    int32_t z[] = {0, 1, 2};
    char *labels[] = {"a zone with a very long name for its legend entry, really long",
                      "another zone with a very long name for its legend entry", "c"};
    build(&fx, 3, x, y, z, 3, labels);
    m = (zs_export_map){.plan = "long", .points = fx.pts, .part = fx.part};
    s = render(zs_export_svg, &m, &st, &err);
    const char *lg = s ? strstr(s, "<g id=\"legend\"") : NULL;
    CHECK(st == ZS_OK && lg && count(lg, "<rect x=\"20.0\"") == 3,
          "legend: long entries stack in one column");
    free(s);
    free_plan(&fx);
}

/* ---- /barriers read back ------------------------------------------------------------ */

static void test_read_barriers(const char *dir)
{
    plan_fx fx;
    four_zones(&fx, 0);
    zs_h5_plan plans[1] = {{.name = "p", .part = fx.part}};
    int64_t day = 20000;
    zs_results res = {.scenario_text = "name: t\n", .scenario_path = "t.yaml", .scenario_name = "t",
                      .seed = 1, .points = fx.pts, .shift_min = 480, .reps = 1, .days = 1,
                      .day_number = &day, .n_plans = 1, .plans = plans,
                      .n_barrier_seg = NBSEG, .barrier_seg = BSEG, .barrier_feature = BFEAT};
    char with[1024], without[1024];
    snprintf(with, sizeof with, "%s/with.h5", dir);
    snprintf(without, sizeof without, "%s/without.h5", dir);
    zs_err err;
    zs_status st = zs_h5out_write(with, &res, &err);
    res.n_barrier_seg = 0;
    res.barrier_seg = NULL;
    res.barrier_feature = NULL;
    if (st == ZS_OK)
        st = zs_h5out_write(without, &res, &err);
    CHECK(st == ZS_OK, "read_barriers: results files written (%s)", st ? err.msg : "ok");

    size_t n = 99;
    double *seg = NULL;
    int32_t *feat = NULL;
    st = zs_h5out_read_barriers(with, &n, &seg, &feat, &err);
    CHECK(st == ZS_OK && n == NBSEG && seg && feat && !memcmp(seg, BSEG, sizeof BSEG) &&
              !memcmp(feat, BFEAT, sizeof BFEAT),
          "read_barriers: segments and feature ids come back exactly");
    zs_free(seg);
    zs_free(feat);
    seg = (double *)&err;
    feat = (int32_t *)&err;
    st = zs_h5out_read_barriers(without, &n, &seg, &feat, &err);
    CHECK(st == ZS_OK && n == 0 && !seg && !feat, "read_barriers: none in a file without /barriers");
    char missing[1100];
    snprintf(missing, sizeof missing, "%s/missing.h5", dir);
    st = zs_h5out_read_barriers(missing, &n, &seg, &feat, &err);
    CHECK(st == ZS_EINPUT && n == 0 && !seg && !feat && strstr(err.msg, "no such file"),
          "read_barriers: a missing file is ZS_EINPUT (%s)", err.msg);
    CHECK(zs_h5out_open_objects() == 0, "read_barriers: no HDF5 object left open");

    long n_fail = 0, bad = 0, left = 0;
    for (long i = 0; i < 1000; i++) {
        zs_alloc_fail_after(i);
        st = zs_h5out_read_barriers(with, &n, &seg, &feat, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        n_fail++;
        bad += st != ZS_ENOMEM || n || seg || feat;
        left += zs_h5out_open_objects() != 0;
    }
    CHECK(st == ZS_OK && n == NBSEG && n_fail >= 2 && bad == 0 && left == 0,
          "read_barriers nomem: %ld failure points, each ZS_ENOMEM with nothing returned or open",
          n_fail);
    zs_free(seg);
    zs_free(feat);
    remove(with);
    remove(without);
    free_plan(&fx);
}

int main(void)
{
    zs_h5out_silence();
    char dir[] = "/tmp/zs_test_export_colour_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_colour_graph();
    test_colour_zones();
    test_barriers();
    test_legend_and_colours();
    test_read_barriers(dir);
    rmdir(dir);
    return zs_test_done();
}
