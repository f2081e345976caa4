/*
 * tests/test_export.c -- maps of a plan (engine/export.h) and reading one
 * plan back from a results file (zs_h5out_read_plan).
 *
 * Hulls are checked on point sets whose hull is known by hand; the GeoJSON
 * and SVG of a hand-built three-zone plan are checked as text (exact
 * rings, feature counts, escaping), since C has no JSON parser to lean on;
 * tests/e2e_export.sh parses real exports with Python.  Every error path
 * is provoked, and allocation failures are swept.
 */
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "maps/export.h"
#include "export_fixture.h"
#include "results/h5out.h"
#include "models/alloc.h"
#include "models/ptype.h"

/* ---- helpers ---------------------------------------------------------------- */

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static size_t count(const char *s, const char *sub)
{
    size_t c = 0, l = strlen(sub);
    for (const char *p = s; (p = strstr(p, sub)); p += l)
        c++;
    return c;
}

/* Twice the signed area (> 0: counter-clockwise). */
static double area2(const zs_xy *h, size_t n)
{
    double a = 0;
    for (size_t i = 0; i < n; i++) {
        const zs_xy *p = &h[i], *q = &h[(i + 1) % n];
        a += p->x * q->y - q->x * p->y;
    }
    return a;
}

/* ---- hulls -------------------------------------------------------------------- */

static void test_hull(void)
{
    zs_xy pts[16], hull[2 * 16 + 4];

    /* A square with interior and edge points: the 4 corners, CCW, from
     * the lowest-leftmost. */
    zs_xy sq[] = {{50, 50}, {100, 100}, {0, 0}, {25, 75}, {100, 0}, {50, 0}, {0, 100}, {0, 0}};
    size_t n = sizeof sq / sizeof sq[0];
    memcpy(pts, sq, sizeof sq);
    size_t m = zs_export_hull(pts, n, 10, hull);
    int ok = m == 4 && hull[0].x == 0 && hull[0].y == 0 && hull[1].x == 100 && hull[1].y == 0 &&
             hull[2].x == 100 && hull[2].y == 100 && hull[3].x == 0 && hull[3].y == 100;
    CHECK(ok, "hull: square with interior, edge and repeated points -> its 4 corners, CCW");
    CHECK(area2(hull, m) == 2 * 100 * 100, "hull: square's area is 100 x 100");

    /* Collinear: the rectangle around the segment, padded 10 m. */
    zs_xy line[] = {{300, 0}, {400, 100}, {350, 50}};
    memcpy(pts, line, sizeof line);
    m = zs_export_hull(pts, 3, 10, hull);
    double len = 100 * sqrt(2.0);
    CHECK(m == 4, "hull: 3 collinear points -> a 4-vertex rectangle");
    CHECK_NEAR(area2(hull, m) / 2, (len + 20) * 20, 1e-9, "hull: rectangle area (L + 2 pad) x 2 pad");
    CHECK(area2(hull, m) > 0, "hull: rectangle is counter-clockwise");
    /* Each end lies pad inside both short sides: its distance to the
     * nearest corner is pad sqrt(2). */
    CHECK_NEAR(hypot(hull[0].x - 300, hull[0].y - 0), 10 * sqrt(2.0), 1e-9,
               "hull: rectangle corner is pad sqrt 2 from the segment's end");

    /* Two points on a horizontal line: exact coordinates. */
    zs_xy two[] = {{10, 5}, {-10, 5}};
    memcpy(pts, two, sizeof two);
    m = zs_export_hull(pts, 2, 10, hull);
    ok = m == 4 && hull[0].x == -20 && hull[0].y == -5 && hull[1].x == 20 && hull[1].y == -5 &&
         hull[2].x == 20 && hull[2].y == 15 && hull[3].x == -20 && hull[3].y == 15;
    CHECK(ok, "hull: two points -> rectangle (-20,-5) (20,-5) (20,15) (-20,15)");

    /* One point, and repeats of one point: the square of half-side pad. */
    pts[0] = (zs_xy){500, 500};
    m = zs_export_hull(pts, 1, 10, hull);
    ok = m == 4 && hull[0].x == 490 && hull[0].y == 490 && hull[2].x == 510 && hull[2].y == 510 &&
         area2(hull, m) == 2 * 400;
    CHECK(ok, "hull: one point -> 20 m square around it, CCW");
    pts[0] = pts[1] = pts[2] = (zs_xy){-1, 2};
    m = zs_export_hull(pts, 3, 10, hull);
    CHECK(m == 4 && area2(hull, m) == 2 * 400, "hull: three equal points -> the square");

    CHECK(zs_export_hull(pts, 0, 10, hull) == 0, "hull: no points -> no vertices");

    /* A triangle stays a triangle; collinear points on its edges go. */
    zs_xy tri[] = {{0, 0}, {10, 0}, {5, 0}, {0, 10}, {0, 5}, {5, 5}, {2, 2}};
    memcpy(pts, tri, sizeof tri);
    m = zs_export_hull(pts, 7, 10, hull);
    CHECK(m == 3 && area2(hull, m) == 100, "hull: triangle with points on its edges -> 3 vertices");
}

static void test_unproject(void)
{
    zs_err err;
    zs_points *p = zs_points_create(1, &err);
    if (!p) {
        CHECK(0, "unproject: points created");
        return;
    }
    p->has_lonlat = 1;
    double worst = 0;
    static const double origin[][2] = {{120.15, 30.27}, {-73.98, 40.75}, {18.42, -33.92},
                                       {0, 0}, {151.2, -33.87}, {24.94, 60.17}};
    for (size_t o = 0; o < sizeof origin / sizeof origin[0]; o++) {
        p->lon0 = origin[o][0];
        p->lat0 = origin[o][1];
        for (int i = -10; i <= 10; i++)
            for (int j = -10; j <= 10; j++) {
                double lon = p->lon0 + 0.025 * i, lat = p->lat0 + 0.02 * j, x, y, lo, la;
                zs_points_project(p, lon, lat, &x, &y);
                zs_export_unproject(p, x, y, &lo, &la);
                worst = fmax(worst, fmax(fabs(lo - lon), fabs(la - lat)));
            }
    }
    CHECK(worst <= 1e-9, "unproject: inverts zs_points_project to 1e-9 degree (worst %.3g)", worst);
    p->lon0 = 120;
    p->lat0 = 30;
    double lo, la;
    zs_export_unproject(p, 0, 0, &lo, &la);
    CHECK(lo == 120 && la == 30, "unproject: the origin maps to (lon0, lat0) exactly");
    zs_export_unproject(p, 0, ZS_EXPORT_EARTH_R_M * 3.14159265358979323846 / 180, &lo, &la);
    CHECK_NEAR(la, 31, 1e-12, "unproject: R pi / 180 metres north is one degree of latitude");
    zs_points_free(p);
}

/* ---- a hand-built plan ---------------------------------------------------------- */

/* Zone 0 "north": a square with an interior point; zone 1 'b"q<&': one
 * point; zone 2 "line": three collinear points. */
#define NPT 9
static const double PX[NPT] = {0, 100, 100, 0, 50, 500, 300, 350, 400};
static const double PY[NPT] = {0, 0, 100, 100, 50, 500, 0, 50, 100};
static const int32_t PZ[NPT] = {0, 0, 0, 0, 0, 1, 2, 2, 2};

typedef struct {
    zs_points *pts;
    zs_partition *part;
    zs_plan_summary *sum;
} plan_fx;

static void build_plan(plan_fx *fx, int lonlat)
{
    zs_err err;
    fx->pts = xalloc(zs_points_create(NPT, &err));
    for (size_t i = 0; i < NPT; i++) {
        fx->pts->x[i] = PX[i];
        fx->pts->y[i] = PY[i];
        fx->pts->type[i] = (uint8_t)(i % ZS_PT_COUNT);
        fx->pts->parcels[i] = 0.5 * (double)(i + 1);
    }
    if (lonlat) {
        fx->pts->has_lonlat = 1;
        fx->pts->lon0 = 120;
        fx->pts->lat0 = 30;
        fx->pts->lon = xalloc(zs_calloc(NPT, sizeof(double)));
        fx->pts->lat = xalloc(zs_calloc(NPT, sizeof(double)));
        for (size_t i = 0; i < NPT; i++)
            zs_export_unproject(fx->pts, PX[i], PY[i], &fx->pts->lon[i], &fx->pts->lat[i]);
    }
    char *labels[3] = {"north", "b\"q<&", "line"};
    if (zs_partition_from_labels(fx->pts, PZ, 3, labels, &fx->part, &err) != ZS_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        exit(1);
    }
    fx->sum = xalloc(zs_calloc(1, sizeof *fx->sum));
    fx->sum->zones = 3;
    for (int m = 0; m < ZS_M_COUNT; m++)
        fx->sum->zone[m] = xalloc(zs_calloc(3, sizeof(zs_stat)));
    for (size_t z = 0; z < 3; z++) {
        fx->sum->zone[ZS_M_WORK_MIN][z].mean = 450 + 30 * (double)z; /* 7.5, 8, 8.5 h */
        fx->sum->zone[ZS_M_WORK_MIN][z].p90 = 540;                     /* 9 h */
        fx->sum->zone[ZS_M_OVERTIME_MIN][z].mean = 15;                 /* 0.25 h */
        fx->sum->zone[ZS_M_STOPS][z].mean = 2.5;
    }
}

static void free_plan(plan_fx *fx)
{
    zs_points_free(fx->pts);
    zs_partition_free(fx->part);
    zs_plan_summary_free(fx->sum);
}

/* Runs fn on a memory stream; returns the text (free()) and the status. */
static char *render(zs_status (*fn)(FILE *, const zs_export_map *, zs_err *),
                    const zs_export_map *m, zs_status *st, zs_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        *st = ZS_EIO;
        return NULL;
    }
    *st = fn(f, m, err);
    fclose(f);
    return buf;
}

static void test_geojson(void)
{
    plan_fx fx;
    build_plan(&fx, 0);
    zs_export_map m = {"my plan", fx.pts, fx.part, fx.sum, 10, 20, ZS_EXPORT_OUTLINE_AUTO,
                       0, NULL, NULL, 0, NULL, NULL};
    zs_err err;
    zs_status st;
    char *s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && s, "geojson: written");
    if (!s) {
        free_plan(&fx);
        return;
    }
    const char *head = "{\"type\":\"FeatureCollection\",";
    CHECK(!strncmp(s, head, strlen(head)), "geojson: a FeatureCollection");
    CHECK(count(s, "\"kind\":\"zone\"") == 3, "geojson: one zone feature per zone");
    CHECK(count(s, "\"type\":\"Polygon\"") == 3, "geojson: zones are Polygons");
    CHECK(count(s, "\"kind\":\"point\"") == NPT, "geojson: one point feature per point");
    CHECK(count(s, "\"kind\":\"depot\"") == 1, "geojson: one depot feature");
    CHECK(strstr(s, "\"zonesim_units\":\"m\"") != NULL, "geojson: metres say so (zonesim_units)");
    CHECK(strstr(s, "\"zonesim_plan\":\"my plan\"") != NULL, "geojson: plan name as foreign member");
    CHECK_CONTAINS(s, "\"coordinates\":[[[0.000,0.000],[100.000,0.000],[100.000,100.000],"
                      "[0.000,100.000],[0.000,0.000]]]",
                   "geojson: square zone's ring: 4 corners CCW, closed, interior point left out");
    CHECK_CONTAINS(s, "[[[490.000,490.000],[510.000,490.000],[510.000,510.000],[490.000,510.000],"
                      "[490.000,490.000]]]",
                   "geojson: one-point zone is a closed 20 m square");
    CHECK_CONTAINS(s, "\"zone\":\"b\\\"q<&\"", "geojson: labels are JSON-escaped");
    CHECK_CONTAINS(s, "\"kind\":\"zone\",\"zone\":\"north\",\"points\":5,\"parcels_mean\":7.5,"
                      "\"colour\":0,\"fill\":\"#cc6677\",\"stops_per_day_mean\":2.5,"
                      "\"work_h_mean\":7.5,\"work_h_p90\":9,\"overtime_h_mean\":0.25,",
                   "geojson: zone properties: points, parcels, colour, stops a day, work hours, "
                   "overtime");
    CHECK(count(s, "\"stops\"") == 0, "geojson: no bare \"stops\" (points and stops a day "
                                      "are told apart)");
    CHECK_CONTAINS(s, "\"coordinates\":[10.000,20.000]},\"properties\":{\"kind\":\"depot\"}",
                   "geojson: depot at its coordinates");
    CHECK_CONTAINS(s, "\"coordinates\":[500.000,500.000]},\"properties\":{\"kind\":\"point\","
                      "\"id\":\"6\",\"zone\":\"b\\\"q<&\",\"type\":",
                   "geojson: point feature with id, zone label and type");
    free(s);

    /* Not simulated: no work properties.  A NaN is null, not invalid JSON. */
    m.summary = NULL;
    s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && s && !strstr(s, "work_h_mean") && !strstr(s, "stops_per_day"),
          "geojson: no work properties without a summary");
    free(s);
    m.summary = fx.sum;
    fx.sum->zone[ZS_M_WORK_MIN][1].p90 = NAN;
    s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && s && strstr(s, "\"work_h_p90\":null") && !strstr(s, "nan"),
          "geojson: a NaN statistic is written as null");
    free(s);
    free_plan(&fx);

    /* Lon/lat points: degrees, no units member. */
    build_plan(&fx, 1);
    m = (zs_export_map){"ll", fx.pts, fx.part, NULL, 0, 0, ZS_EXPORT_OUTLINE_AUTO, 0, NULL, NULL, 0, NULL, NULL};
    s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && s && !strstr(s, "zonesim_units"), "geojson lon/lat: no zonesim_units");
    CHECK(s && strstr(s, "\"coordinates\":[120,30]},\"properties\":{\"kind\":\"point\",\"id\":\"1\""),
          "geojson lon/lat: the point at the origin is at (lon0, lat0)");
    char want[128];
    double lon, lat;
    zs_export_unproject(fx.pts, 500, 500, &lon, &lat);
    snprintf(want, sizeof want, "[%.10g,%.10g]},\"properties\":{\"kind\":\"point\",\"id\":\"6\"",
             lon, lat);
    CHECK(s && strstr(s, want), "geojson lon/lat: degrees with 10 significant digits (%s)", want);
    free(s);
    free_plan(&fx);
}

static void test_svg(void)
{
    plan_fx fx;
    build_plan(&fx, 0);
    zs_export_map m = {"a&b", fx.pts, fx.part, fx.sum, 10, 20, ZS_EXPORT_OUTLINE_AUTO,
                       0, NULL, NULL, 0, NULL, NULL};
    zs_err err;
    zs_status st;
    char *s = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_OK && s, "svg: written");
    if (!s) {
        free_plan(&fx);
        return;
    }
    CHECK(count(s, "<polygon") == 3, "svg: one polygon per zone");
    CHECK(count(s, "<circle") == NPT, "svg: one circle per point");
    CHECK(count(s, "id=\"depot\"") == 1, "svg: one depot");
    CHECK(strstr(s, "width=\"1000\"") != NULL, "svg: 1000 px wide");
    CHECK(strstr(s, "plan 'a&amp;b'") && !strstr(s, "a&b"), "svg: title with the plan, XML-escaped");
    CHECK(strstr(s, "b&quot;q&lt;&amp;") && !strstr(s, "q<&"), "svg: labels XML-escaped");
    CHECK(strstr(s, "north: 5 points, 2.5 stops/day, 7.50 h<") != NULL,
          "svg: legend with points, simulated stops a day and mean work hours");
    /* North up: point 6 (500, 500) is drawn above and right of point 1 (0, 0). */
    double x1 = 0, y1 = 0, x6 = 0, y6 = 0;
    const char *c = strstr(s, "<circle");
    int got = c && sscanf(c, "<circle cx=\"%lf\" cy=\"%lf\"", &x1, &y1) == 2;
    for (int i = 0; c && i < 5; i++)
        c = strstr(c + 1, "<circle");
    got = got && c && sscanf(c, "<circle cx=\"%lf\" cy=\"%lf\"", &x6, &y6) == 2;
    CHECK(got && x6 > x1 && y6 < y1, "svg: y axis flipped, north up");
    /* Aspect ratio kept: 500 m east and 500 m north are the same pixels. */
    CHECK(got && fabs((x6 - x1) - (y1 - y6)) < 0.11, "svg: equal scale on both axes");
    free(s);
    m.summary = NULL;
    s = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_OK && s && strstr(s, "north: 5 points<") != NULL,
          "svg: only points, no stops a day or hours, without a summary");
    CHECK(s && !strstr(s, "bridges") && !strstr(s, "joined over a crossing"),
          "svg: no bridges, no line for them in the legend, without any");
    free(s);
    free_plan(&fx);
}

/* A territory plan's bridges (a pocket's crossing into its zone): drawn
 * dashed in the zone's colour in SVG, a LineString in GeoJSON; a bridge
 * whose ends ended in different zones is not drawn. */
static void test_bridges(void)
{
    plan_fx fx;
    build_plan(&fx, 0);
    uint32_t br[4] = {6, 7, 4, 5}; /* points 6, 7: zone 2; 4, 5: zones 0 and 1 */
    fx.part->territory.bridge = zs_malloc_array(4, sizeof *br);
    memcpy(fx.part->territory.bridge, br, sizeof br);
    fx.part->territory.bridges = 2;
    zs_export_map m = {"b", fx.pts, fx.part, fx.sum, 10, 20, ZS_EXPORT_OUTLINE_AUTO,
                       0, NULL, NULL, 0, NULL, NULL};
    zs_err err;
    zs_status st;
    char *s = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_OK && s && count(s, "stroke-dasharray=\"5 3\"><title>zone ") == 1 &&
              count(s, ": a pocket joined over this crossing</title>") == 1,
          "svg: the bridge inside a zone drawn dashed, the one between zones not");
    CHECK(s && strstr(s, ">joined over a crossing (a pocket)</text>"),
          "svg: the legend has a line for the bridges");
    free(s);
    s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && s && count(s, "\"kind\":\"bridge\"") == 1,
          "geojson: one LineString for the bridge inside a zone");
    free(s);
    free_plan(&fx);
}

static void test_export_errors(const char *dir)
{
    plan_fx fx;
    build_plan(&fx, 0);
    zs_export_map m = {"p", fx.pts, fx.part, fx.sum, 0, 0, ZS_EXPORT_OUTLINE_AUTO, 0, NULL, NULL, 0, NULL, NULL};
    zs_err err;
    zs_status st;
    char *s;

    fx.part->n = NPT - 1;
    s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_EINVAL && !strcmp(err.msg, "the plan covers 8 points, but there are 9"),
          "errors: plan not covering the points is ZS_EINVAL (%s)", err.msg);
    free(s);
    fx.part->n = NPT;

    fx.sum->zones = 2;
    s = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_EINVAL && !strcmp(err.msg, "the summary has 2 zones, the plan 3"),
          "errors: summary of other zones is ZS_EINVAL (%s)", err.msg);
    free(s);
    fx.sum->zones = 3;

    fx.part->zone[5] = 0;
    s = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_EINVAL && !strcmp(err.msg, "zone 'b\"q<&' has no points"),
          "errors: an empty zone is ZS_EINVAL (%s)", err.msg);
    free(s);
    fx.part->zone[5] = 7;
    s = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_EINVAL && !strcmp(err.msg, "point '6' has zone 7 outside 0..2"),
          "errors: a zone index out of range is ZS_EINVAL (%s)", err.msg);
    free(s);
    fx.part->zone[5] = 1;

    zs_export_map none = {0};
    s = render(zs_export_svg, &none, &st, &err);
    CHECK(st == ZS_EINVAL, "errors: no points or plan is ZS_EINVAL");
    free(s);

    FILE *full = fopen("/dev/full", "w");
    if (full) {
        st = zs_export_geojson(full, &m, &err);
        CHECK(st == ZS_EIO && !strncmp(err.msg, "write error: ", 13),
              "errors: a failed write is ZS_EIO (%s)", err.msg);
        st = zs_export_svg(full, &m, &err);
        CHECK(st == ZS_EIO, "errors: a failed SVG write is ZS_EIO");
        fclose(full);
    } else {
        CHECK(0, "errors: /dev/full opens");
    }

    /* Files: written whole, via .tmp. */
    char path[1024], tmp[1100], want[2300];
    snprintf(path, sizeof path, "%s/map.geojson", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    st = zs_export_geojson_file(path, &m, &err);
    CHECK(st == ZS_OK && exists(path) && !zs_t_tmp_left(path), "file: GeoJSON written, no .tmp left");
    snprintf(path, sizeof path, "%s/map.svg", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    st = zs_export_svg_file(path, &m, &err);
    CHECK(st == ZS_OK && exists(path) && !zs_t_tmp_left(path), "file: SVG written, no .tmp left");

    snprintf(path, sizeof path, "%s/no-such-dir/map.svg", dir);
    st = zs_export_svg_file(path, &m, &err);
    snprintf(want, sizeof want, "%s: cannot create %s.lock: No such file or directory", path, path);
    CHECK(st == ZS_EIO && !strcmp(err.msg, want), "file: missing directory is ZS_EIO naming it (%s)",
          err.msg);
    st = zs_export_geojson_file("", &m, &err);
    CHECK(st == ZS_EINVAL, "file: empty name is ZS_EINVAL");

    snprintf(path, sizeof path, "%s/bad.geojson", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fx.part->n = 1;
    st = zs_export_geojson_file(path, &m, &err);
    snprintf(want, sizeof want, "%s: the plan covers 1 points, but there are 9", path);
    CHECK(st == ZS_EINVAL && !strcmp(err.msg, want) && !exists(path) && !zs_t_tmp_left(path),
          "file: failed export leaves neither file nor .tmp, message names the path");
    fx.part->n = NPT;

    /* A directory where the file should go: rename fails. */
    snprintf(path, sizeof path, "%s/adir.svg", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    mkdir(path, 0755);
    st = zs_export_svg_file(path, &m, &err);
    CHECK(st == ZS_EIO && strstr(err.msg, "cannot rename") && !zs_t_tmp_left(path),
          "file: a failed rename is ZS_EIO and removes the .tmp (%s)", err.msg);
    rmdir(path);
    free_plan(&fx);
}

static void test_export_nomem(const char *dir)
{
    plan_fx fx;
    build_plan(&fx, 1);
    zs_export_map m = {"p", fx.pts, fx.part, fx.sum, 0, 0, ZS_EXPORT_OUTLINE_AUTO, 0, NULL, NULL, 0, NULL, NULL};
    char path[1024], tmp[1100];
    snprintf(path, sizeof path, "%s/nomem.svg", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    for (int which = 0; which < 2; which++) {
        long n_fail = 0, bad = 0, left = 0;
        zs_status st = ZS_OK;
        zs_err err;
        for (long i = 0; i < 1000; i++) {
            zs_alloc_fail_after(i);
            st = which ? zs_export_svg_file(path, &m, &err) : zs_export_geojson_file(path, &m, &err);
            zs_alloc_fail_after(-1);
            if (st == ZS_OK)
                break;
            n_fail++;
            bad += st != ZS_ENOMEM;
            left += exists(path) || zs_t_tmp_left(path);
        }
        const char *what = which ? "svg" : "geojson";
        CHECK(st == ZS_OK && exists(path), "%s nomem: succeeds once allocations succeed", what);
        CHECK(n_fail >= 5, "%s nomem: sweep reached %ld failure points", what, n_fail);
        CHECK(bad == 0, "%s nomem: every failure is ZS_ENOMEM", what);
        CHECK(left == 0, "%s nomem: no file or .tmp left after a failure", what);
        remove(path);
    }
    free_plan(&fx);
}

/* ---- outlines: hulls or cell unions ------------------------------------------------ */

static const double T_PI = 3.14159265358979323846;

/* A plan of n points at (x, y) in zones z (k of them, labels "1".."k"),
 * in metres or, with lonlat, kept also as degrees about (120, 30). */
static void build_points(plan_fx *fx, size_t n, const double *x, const double *y,
                         const int32_t *z, size_t k, int lonlat)
{
    zs_err err;
    fx->pts = xalloc(zs_points_create(n, &err));
    for (size_t i = 0; i < n; i++) {
        fx->pts->x[i] = x[i];
        fx->pts->y[i] = y[i];
        fx->pts->parcels[i] = 1;
    }
    if (lonlat) {
        fx->pts->has_lonlat = 1;
        fx->pts->lon0 = 120;
        fx->pts->lat0 = 30;
        fx->pts->lon = xalloc(zs_calloc(n, sizeof(double)));
        fx->pts->lat = xalloc(zs_calloc(n, sizeof(double)));
        for (size_t i = 0; i < n; i++)
            zs_export_unproject(fx->pts, x[i], y[i], &fx->pts->lon[i], &fx->pts->lat[i]);
    }
    if (zs_partition_from_labels(fx->pts, z, k, NULL, &fx->part, &err) != ZS_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        exit(1);
    }
    fx->sum = NULL;
}

static double ring_area(const zs_export_shapes *s, size_t r)
{
    return area2(s->v + s->ring_vert[r], s->ring_vert[r + 1] - s->ring_vert[r]) / 2;
}

static int cmp_xy_test(const void *pa, const void *pb)
{
    const zs_xy *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->y < b->y ? -1 : a->y > b->y;
}

/* The invariants of any outline: offsets, ring orientation, every point
 * in (or on the edge of) its own zone, and -- sampled on a fine grid --
 * no place in two zones.  For cells also: right angles only, and no ring
 * through a vertex twice.  Returns how many vertices two rings of one
 * zone share (pieces touching at a corner). */
static size_t check_shapes(const char *name, const zs_export_shapes *s, const zs_points *p,
                           const zs_partition *pa)
{
    int ok = s->k == pa->k && s->zone_poly[0] == 0 && s->zone_poly[s->k] == s->n_poly &&
             s->poly_ring[0] == 0 && s->poly_ring[s->n_poly] == s->n_ring &&
             s->ring_vert[0] == 0 && s->ring_vert[s->n_ring] == s->n_vert;
    for (size_t q = 0; ok && q < s->n_poly; q++)
        ok = s->poly_ring[q + 1] > s->poly_ring[q];
    for (size_t r = 0; ok && r < s->n_ring; r++)
        ok = s->ring_vert[r + 1] - s->ring_vert[r] >= 3;
    CHECK(ok, "%s: offsets consistent, every polygon has a ring, every ring >= 3 vertices", name);
    if (!ok)
        return 0;

    size_t bad_outer = 0, bad_hole = 0, holes = 0;
    for (size_t q = 0; q < s->n_poly; q++)
        for (size_t r = s->poly_ring[q]; r < s->poly_ring[q + 1]; r++) {
            double a = ring_area(s, r);
            if (r == s->poly_ring[q])
                bad_outer += !(a > 0);
            else {
                holes++;
                bad_hole += !(a < 0);
            }
        }
    CHECK(bad_outer == 0 && bad_hole == 0,
          "%s: outer rings counter-clockwise, %zu holes clockwise (signed area; %zu, %zu wrong)",
          name, holes, bad_outer, bad_hole);

    size_t out = 0, listed = 0;
    for (size_t i = 0; i < p->n; i++) {
        size_t j = (size_t)pa->zone[i];
        if (!zone_contains(s, j, p->x[i], p->y[i]) && zone_edge_dist(s, j, p->x[i], p->y[i]) > 1e-6)
            out++;
    }
    for (size_t j = 0; s->outside && j < s->k; j++)
        listed += s->outside[j];
    CHECK(out <= listed, "%s: every point in or on its own zone's polygon, but for at most the "
                         "%zu counted outside (%zu are)", name, listed, out);

    /* Samples at irrational offsets, so none falls on a cell edge. */
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t t = 0; t < s->n_vert; t++) {
        x0 = fmin(x0, s->v[t].x);
        x1 = fmax(x1, s->v[t].x);
        y0 = fmin(y0, s->v[t].y);
        y1 = fmax(y1, s->v[t].y);
    }
    const int ns = 150;
    size_t twice = 0, covered = 0;
    for (int a = 0; a < ns; a++)
        for (int b = 0; b < ns; b++) {
            double x = x0 + (x1 - x0) * (a + 0.5 * sqrt(2.0) - 0.2) / ns;
            double y = y0 + (y1 - y0) * (b + 0.5 * T_PI - 1.3) / ns;
            int in = 0;
            for (size_t j = 0; j < s->k; j++)
                in += zone_contains(s, j, x, y);
            twice += in > 1;
            covered += in > 0;
        }
    CHECK(twice == 0, "%s: no place in two zones (%zu of %d samples, %zu covered)", name, twice,
          ns * ns, covered);
    if (s->outline != ZS_EXPORT_OUTLINE_CELLS)
        return 0;

    size_t slanted = 0, straight = 0, repeated = 0, shared = 0;
    zs_xy *tmp = xalloc(malloc((s->n_vert ? s->n_vert : 1) * sizeof *tmp));
    for (size_t r = 0; r < s->n_ring; r++) {
        size_t a = s->ring_vert[r], n = s->ring_vert[r + 1] - a;
        for (size_t t = 0; t < n; t++) {
            const zs_xy *u = &s->v[a + t], *v = &s->v[a + (t + 1) % n], *w = &s->v[a + (t + 2) % n];
            slanted += u->x != v->x && u->y != v->y;
            straight += (u->x == v->x) == (v->x == w->x);
        }
        memcpy(tmp, s->v + a, n * sizeof *tmp);
        qsort(tmp, n, sizeof *tmp, cmp_xy_test);
        for (size_t t = 1; t < n; t++)
            repeated += !cmp_xy_test(&tmp[t - 1], &tmp[t]);
    }
    for (size_t j = 0; j < s->k; j++) { /* vertices on two rings of one zone */
        size_t a = s->ring_vert[s->poly_ring[s->zone_poly[j]]];
        size_t b = s->ring_vert[s->poly_ring[s->zone_poly[j + 1]]];
        memcpy(tmp, s->v + a, (b - a) * sizeof *tmp);
        qsort(tmp, b - a, sizeof *tmp, cmp_xy_test);
        for (size_t t = a + 1; t < b; t++)
            shared += !cmp_xy_test(&tmp[t - a - 1], &tmp[t - a]);
    }
    free(tmp);
    CHECK(slanted == 0 && straight == 0,
          "%s: cell rings have only right-angled corners (%zu slanted edges, %zu straight vertices)",
          name, slanted, straight);
    CHECK(repeated == 0, "%s: no ring passes through a vertex twice (%zu do)", name, repeated);
    return shared;
}

static zs_export_shapes *shapes_of(const plan_fx *fx, zs_export_outline o)
{
    zs_export_map m = {"t", fx->pts, fx->part, NULL, 0, 0, o, 0, NULL, NULL, 0, NULL, NULL};
    zs_export_shapes *s = NULL;
    zs_err err;
    if (zs_export_shapes_create(&m, &s, &err) != ZS_OK)
        printf("      shapes: %s\n", err.msg);
    return s;
}

static void test_outline_parse(void)
{
    zs_export_outline o = ZS_EXPORT_OUTLINE_HULL;
    zs_err err;
    int ok = zs_export_outline_parse("cells", &o, &err) == ZS_OK && o == ZS_EXPORT_OUTLINE_CELLS &&
             zs_export_outline_parse("hull", &o, &err) == ZS_OK && o == ZS_EXPORT_OUTLINE_HULL &&
             zs_export_outline_parse("auto", &o, &err) == ZS_OK && o == ZS_EXPORT_OUTLINE_AUTO;
    CHECK(ok, "outline: hull, cells and auto parse");
    zs_status st = zs_export_outline_parse("Cells", &o, &err);
    CHECK(st == ZS_EINVAL && !strcmp(err.msg, "outline 'Cells' is not hull, cells or auto"),
          "outline: anything else is ZS_EINVAL (%s)", err.msg);
    CHECK(!strcmp(zs_export_outline_name(ZS_EXPORT_OUTLINE_AUTO), "auto") &&
              !strcmp(zs_export_outline_name((zs_export_outline)9), "?"),
          "outline: names");

    plan_fx fx;
    build_plan(&fx, 0);
    zs_export_map m = {"p", fx.pts, fx.part, NULL, 0, 0, (zs_export_outline)7, 0, NULL, NULL, 0, NULL, NULL};
    zs_export_shapes *s = (zs_export_shapes *)&err;
    st = zs_export_shapes_create(&m, &s, &err);
    CHECK(st == ZS_EINVAL && !s && !strcmp(err.msg, "outline = 7; must be auto, hull or cells"),
          "outline: a value outside the enum is ZS_EINVAL naming it (%s)", err.msg);
    free_plan(&fx);
}

/* Well-separated zones keep their hulls under auto; interleaved zones
 * get cells, which hold the invariants. */
static void test_outline_auto(void)
{
    plan_fx fx;
    build_plan(&fx, 0);
    zs_export_shapes *s = shapes_of(&fx, ZS_EXPORT_OUTLINE_AUTO);
    CHECK(s && s->outline == ZS_EXPORT_OUTLINE_HULL && s->n_poly == 3 && s->n_ring == 3 &&
              s->cell_m == 0,
          "auto: separated zones are drawn as hulls, one ring each");
    if (s)
        check_shapes("auto hulls", s, fx.pts, fx.part);
    zs_export_shapes_free(s);
    /* Hulls that only share an edge do not overlap. */
    free_plan(&fx);
    double x[8] = {0, 50, 50, 0, 50, 100, 100, 50}, y[8] = {0, 0, 80, 80, 0, 0, 80, 80};
    int32_t z[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    build_points(&fx, 8, x, y, z, 2, 0);
    s = shapes_of(&fx, ZS_EXPORT_OUTLINE_AUTO);
    CHECK(s && s->outline == ZS_EXPORT_OUTLINE_HULL, "auto: hulls sharing an edge are kept");
    zs_export_shapes_free(s);
    free_plan(&fx);
    /* One point inside another zone's hull: overlap. */
    double xo[5] = {0, 100, 100, 0, 50}, yo[5] = {0, 0, 100, 100, 50};
    int32_t zo[5] = {0, 0, 0, 0, 1};
    build_points(&fx, 5, xo, yo, zo, 2, 0);
    s = shapes_of(&fx, ZS_EXPORT_OUTLINE_AUTO);
    CHECK(s && s->outline == ZS_EXPORT_OUTLINE_CELLS,
          "auto: a one-point zone inside another's hull gives cells");
    if (s)
        check_shapes("point in a square", s, fx.pts, fx.part);
    zs_export_shapes_free(s);
    free_plan(&fx);

    /* Three zones in blocks of 3 x 4 points, jittered: hulls interleave. */
    enum { NX = 24, NY = 18, N = NX * NY };
    static double bx[N], by[N];
    static int32_t bz[N];
    uint64_t seed = 88172645463325252ULL;
    for (int i = 0; i < NX; i++)
        for (int j = 0; j < NY; j++) {
            bx[i * NY + j] = 10.0 * i + 4 * (uniform(&seed) - 0.5);
            by[i * NY + j] = 10.0 * j + 4 * (uniform(&seed) - 0.5);
            bz[i * NY + j] = (i / 3 + j / 4) % 3;
        }
    build_points(&fx, N, bx, by, bz, 3, 0);
    s = shapes_of(&fx, ZS_EXPORT_OUTLINE_HULL);
    CHECK(s && s->outline == ZS_EXPORT_OUTLINE_HULL, "hull: asked for, hulls even where they overlap");
    zs_export_shapes_free(s);
    s = shapes_of(&fx, ZS_EXPORT_OUTLINE_AUTO);
    CHECK(s && s->outline == ZS_EXPORT_OUTLINE_CELLS && s->cell_m > 0,
          "auto: interleaved zones are drawn as cells (cell %.2f m)", s ? s->cell_m : 0.0);
    if (s) {
        check_shapes("blocks", s, fx.pts, fx.part);
        /* 240 x 180 m, 432 points spread evenly: the occupied area is
         * nearly the whole box, so the side is close to 1.5 sqrt(box area / n). */
        double w = 0, hgt = 0, lo = INFINITY, lo2 = INFINITY, hi = -INFINITY, hi2 = -INFINITY;
        for (size_t i = 0; i < N; i++) {
            lo = fmin(lo, bx[i]);
            hi = fmax(hi, bx[i]);
            lo2 = fmin(lo2, by[i]);
            hi2 = fmax(hi2, by[i]);
        }
        w = hi - lo;
        hgt = hi2 - lo2;
        double box_rule = ZS_EXPORT_CELL_FACTOR * sqrt(w * hgt / N);
        CHECK(fabs(s->cell_m / box_rule - 1) < 0.1,
              "cells: side %.3f m within 10%% of 1.5 sqrt(box area / n) = %.3f m",
              s->cell_m, box_rule);
        size_t none = 0;
        for (size_t j = 0; j < 3; j++)
            none += s->outside[j];
        CHECK(none == 0, "cells: no point counted outside");
    }
    zs_export_shapes_free(s);
    free_plan(&fx);
}

/* A zone in two clusters far apart is two polygons: a MultiPolygon. */
static void test_outline_pieces(void)
{
    enum { N = 75 };
    double x[N], y[N];
    int32_t z[N];
    for (int c = 0; c < 3; c++) /* A at x = 0 and 1000, B at 500 */
        for (int i = 0; i < 25; i++) {
            x[c * 25 + i] = 500.0 * c + 10.0 * (i % 5);
            y[c * 25 + i] = 10.0 * (i / 5);
            z[c * 25 + i] = c == 1;
        }
    plan_fx fx;
    build_points(&fx, N, x, y, z, 2, 0);
    zs_export_shapes *s = shapes_of(&fx, ZS_EXPORT_OUTLINE_AUTO);
    CHECK(s && s->outline == ZS_EXPORT_OUTLINE_CELLS, "pieces: A's hull over B's cluster gives cells");
    if (!s) {
        free_plan(&fx);
        return;
    }
    check_shapes("pieces", s, fx.pts, fx.part);
    /* Three 40 x 40 m towns in a 1040 x 40 m box: the cells follow the
     * towns' area, not the empty land between them. */
    CHECK(s->cell_m < 0.7 * ZS_EXPORT_CELL_FACTOR * sqrt(1040.0 * 40.0 / N),
          "pieces: cell %.2f m sized by the occupied area, under 0.7 x the box rule %.2f m",
          s->cell_m, ZS_EXPORT_CELL_FACTOR * sqrt(1040.0 * 40.0 / N));
    CHECK(s->zone_poly[1] - s->zone_poly[0] == 2 && s->zone_poly[2] - s->zone_poly[1] == 1,
          "pieces: A is two polygons, B one");
    int sides = 1;
    for (size_t q = s->zone_poly[0]; q < s->zone_poly[1]; q++) {
        size_t r = s->poly_ring[q];
        double mx = 0;
        for (size_t t = s->ring_vert[r]; t < s->ring_vert[r + 1]; t++)
            mx = fmax(mx, s->v[t].x);
        sides *= mx < 250 ? 2 : mx > 750 ? 3 : 0;
    }
    CHECK(sides == 6, "pieces: one polygon around each of A's clusters");
    zs_export_shapes_free(s);

    zs_export_map m = {"pieces", fx.pts, fx.part, NULL, 0, 0, ZS_EXPORT_OUTLINE_AUTO,
                       0, NULL, NULL, 0, NULL, NULL};
    zs_err err;
    zs_status st;
    char *g = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && g && count(g, "\"type\":\"MultiPolygon\",\"coordinates\":[[[[") == 1 &&
              count(g, "\"type\":\"Polygon\",\"coordinates\":[[[") == 1,
          "pieces geojson: A a MultiPolygon, B a Polygon");
    CHECK(g && count(g, "\"outline\":\"cells\"") == 2 && !strstr(g, "\"outline\":\"hull\"") &&
              strstr(g, "\"zonesim_cell_m\":"),
          "pieces geojson: property outline 'cells' on each zone, zonesim_cell_m given");
    CHECK(g && !strstr(g, "points_outside"), "pieces geojson: no points_outside when none are");
    free(g);
    char *v = render(zs_export_svg, &m, &st, &err);
    CHECK(st == ZS_OK && v && count(v, "<path ") == 2 && count(v, "fill-rule=\"evenodd\"") == 2 &&
              !strstr(v, "<polygon") && count(v, " Z") == 3,
          "pieces svg: one even-odd path per zone, three rings");
    free(v);
    m.outline = ZS_EXPORT_OUTLINE_HULL;
    g = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && g && count(g, "\"outline\":\"hull\"") == 2 && !strstr(g, "MultiPolygon") &&
              !strstr(g, "zonesim_cell_m"),
          "pieces geojson: --outline hull keeps hulls and says so");
    free(g);
    free_plan(&fx);
}

/* A ring of zone B around zone A: B's polygon has a hole, A fills it. */
static void test_outline_hole(void)
{
    enum { NR = 64, NA = 25, N = 2 * NR + NA };
    double x[N], y[N];
    int32_t z[N];
    for (int i = 0; i < NR; i++)
        for (int c = 0; c < 2; c++) {
            double a = 2 * T_PI * i / NR, rad = c ? 210 : 190;
            x[2 * i + c] = rad * cos(a);
            y[2 * i + c] = rad * sin(a);
            z[2 * i + c] = 1;
        }
    for (int i = 0; i < NA; i++) {
        x[2 * NR + i] = 10.0 * (i % 5) - 20;
        y[2 * NR + i] = 10.0 * (i / 5) - 20;
        z[2 * NR + i] = 0;
    }
    plan_fx fx;
    build_points(&fx, N, x, y, z, 2, 0);
    zs_export_shapes *s = shapes_of(&fx, ZS_EXPORT_OUTLINE_AUTO);
    CHECK(s && s->outline == ZS_EXPORT_OUTLINE_CELLS, "hole: a hull inside another gives cells");
    if (!s) {
        free_plan(&fx);
        return;
    }
    check_shapes("hole", s, fx.pts, fx.part);
    size_t qb = s->zone_poly[1];
    int ok = s->zone_poly[1] - s->zone_poly[0] == 1 && s->zone_poly[2] - qb == 1 &&
             s->poly_ring[qb + 1] - s->poly_ring[qb] == 2 &&
             s->poly_ring[1] - s->poly_ring[0] == 1;
    CHECK(ok, "hole: B is one polygon of an outer ring and a hole, A one ring");
    if (ok) {
        size_t hole = s->poly_ring[qb] + 1, ra = s->poly_ring[0];
        CHECK(ring_area(s, hole) < 0 && ring_area(s, s->poly_ring[qb]) > 0,
              "hole: B's hole ring is clockwise, its outer ring counter-clockwise");
        CHECK(fabs(ring_area(s, hole) + ring_area(s, ra)) < 1e-6 * ring_area(s, ra),
              "hole: A fills B's hole exactly (shared edges: areas %.1f and %.1f m^2)",
              -ring_area(s, hole), ring_area(s, ra));
        CHECK(zone_contains(s, 0, 0, 0) && !zone_contains(s, 1, 0, 0) && zone_contains(s, 1, 200, 0),
              "hole: the centre is A's, not B's; the ring is B's");
    }
    zs_export_shapes_free(s);

    zs_export_map m = {"hole", fx.pts, fx.part, NULL, 0, 0, ZS_EXPORT_OUTLINE_CELLS, 0, NULL, NULL, 0, NULL, NULL};
    zs_err err;
    zs_status st;
    char *g = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && g && count(g, "\"type\":\"Polygon\"") == 2 && count(g, "]],[[") == 1 &&
              !strstr(g, "MultiPolygon"),
          "hole geojson: two Polygons, one with a second (hole) ring");
    free(g);
    free_plan(&fx);
}

/* Random zones, points closer than a cell (so cells split), lon/lat. */
static void test_outline_random(void)
{
    enum { N = 700 };
    static double x[N], y[N];
    static int32_t z[N];
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < N; i++) {
        x[i] = 600 * uniform(&seed);
        y[i] = 400 * uniform(&seed);
        z[i] = (int32_t)(5 * uniform(&seed));
    }
    for (size_t i = 0; i < 20; i++) { /* pairs of zones 0.2 m to 2 m apart */
        x[N - 1 - i] = x[i] + 0.1 * (double)(i + 2);
        y[N - 1 - i] = y[i];
        z[N - 1 - i] = (z[i] + 1) % 5;
    }
    plan_fx fx;
    build_points(&fx, N, x, y, z, 5, 1);
    zs_export_shapes *s = shapes_of(&fx, ZS_EXPORT_OUTLINE_AUTO);
    CHECK(s && s->outline == ZS_EXPORT_OUTLINE_CELLS, "random: auto picks cells");
    if (s) {
        size_t shared = check_shapes("random", s, fx.pts, fx.part);
        size_t out = 0;
        for (size_t j = 0; j < 5; j++)
            out += s->outside[j];
        CHECK(out == 0, "random: points 0.2 m from another zone's are inside their own (split cells)");
        CHECK(shared > 0, "random: pieces of a zone touching at a corner are separate rings (%zu)",
              shared);
        CHECK(s->n_poly > 5, "random: zones come in pieces (%zu polygons)", s->n_poly);
    }
    zs_export_map m = {"random", fx.pts, fx.part, NULL, 0, 0, ZS_EXPORT_OUTLINE_AUTO,
                       0, NULL, NULL, 0, NULL, NULL};
    zs_err err;
    zs_status st;
    char *g = render(zs_export_geojson, &m, &st, &err);
    char want[128];
    if (s) {
        double lon, lat;
        zs_export_unproject(fx.pts, s->v[0].x, s->v[0].y, &lon, &lat);
        snprintf(want, sizeof want, "[[[%.10g,%.10g],", lon, lat);
    }
    CHECK(st == ZS_OK && g && s && strstr(g, want) && !strstr(g, "zonesim_units"),
          "random geojson: cell corners in lon/lat degrees (%s)", s ? want : "");
    free(g);
    zs_export_shapes_free(s);
    free_plan(&fx);

    /* Two zones' points on one spot: one zone takes the cell, the other's
     * point is counted outside, and the GeoJSON says so. */
    double cx[6] = {0, 30, 0, 30, 15, 15}, cy[6] = {0, 0, 30, 30, 15, 15};
    int32_t cz[6] = {0, 0, 1, 1, 0, 1};
    build_points(&fx, 6, cx, cy, cz, 2, 0);
    s = shapes_of(&fx, ZS_EXPORT_OUTLINE_CELLS);
    CHECK(s && s->outside[0] == 0 && s->outside[1] == 1,
          "coincident: the tie goes to the lower zone, the other point counted outside");
    if (s)
        check_shapes("coincident", s, fx.pts, fx.part);
    zs_export_shapes_free(s);
    m = (zs_export_map){"c", fx.pts, fx.part, NULL, 0, 0, ZS_EXPORT_OUTLINE_CELLS, 0, NULL, NULL, 0, NULL, NULL};
    g = render(zs_export_geojson, &m, &st, &err);
    CHECK(st == ZS_OK && g && count(g, "\"points_outside\":1") == 1,
          "coincident geojson: points_outside on the zone that lost");
    free(g);
    free_plan(&fx);

    /* One point; points on a line: cells still have area. */
    double lx[3] = {0, 100, 200}, ly[3] = {5, 5, 5};
    int32_t lz[3] = {0, 1, 0};
    build_points(&fx, 3, lx, ly, lz, 2, 0);
    s = shapes_of(&fx, ZS_EXPORT_OUTLINE_AUTO);
    CHECK(s && s->outline == ZS_EXPORT_OUTLINE_CELLS && s->cell_m == ZS_EXPORT_CELL_MIN_M,
          "line: collinear zones overlap, cells of the smallest side");
    if (s)
        check_shapes("line", s, fx.pts, fx.part);
    zs_export_shapes_free(s);
    free_plan(&fx);
    build_points(&fx, 1, lx, ly, lz, 1, 0);
    s = shapes_of(&fx, ZS_EXPORT_OUTLINE_CELLS);
    CHECK(s && s->n_poly == 1 && s->n_ring == 1 && zone_contains(s, 0, 0, 5) &&
              fabs(ring_area(s, 0)) > 100,
          "one point: one ring around it");
    zs_export_shapes_free(s);
    free_plan(&fx);
}

static void test_outline_nomem(void)
{
    /* Zone 1's last point lies in zone 0's triangle: auto tries hulls, then cells. */
    double x[6] = {0, 30, 0, 30, 15, 15}, y[6] = {0, 0, 30, 30, 15, 10};
    int32_t z[6] = {0, 0, 1, 1, 0, 1};
    plan_fx fx;
    build_points(&fx, 6, x, y, z, 2, 0);
    zs_export_map m = {"p", fx.pts, fx.part, NULL, 0, 0, ZS_EXPORT_OUTLINE_AUTO, 0, NULL, NULL, 0, NULL, NULL};
    long n_fail = 0, bad = 0;
    zs_export_shapes *s = NULL;
    zs_status st = shapes_nomem_sweep(&m, &s, &n_fail, &bad);
    CHECK(st == ZS_OK && s && s->outline == ZS_EXPORT_OUTLINE_CELLS,
          "cells nomem: succeeds once allocations succeed");
    CHECK(n_fail >= 15, "cells nomem: sweep reached %ld failure points", n_fail);
    CHECK(bad == 0, "cells nomem: every failure is ZS_ENOMEM with nothing returned");
    zs_export_shapes_free(s);
    zs_export_shapes_free(NULL);
    free_plan(&fx);
}

/* ---- reading a plan back ------------------------------------------------------------ */

static int write_results(const char *path, plan_fx *fx, zs_partition *second)
{
    zs_h5_plan plans[2] = {{.name = "zeta", .part = fx->part}, {.name = "alpha", .part = second}};
    /* The writer wants a simulation beside a summary only for /sim; a
     * summary alone is what the reader needs. */
    plans[0].summary = fx->sum;
    int64_t day = 20000;
    zs_results res = {.scenario_text = "name: t\n", .scenario_path = "t.yaml", .scenario_name = "t",
                      .seed = 1, .points = fx->pts, .depot_x = 12.5, .depot_y = -3.25,
                      .shift_min = 480, .reps = 1, .days = 1, .day_number = &day,
                      .n_plans = 2, .plans = plans};
    zs_err err;
    zs_status st = zs_h5out_write(path, &res, &err);
    if (st != ZS_OK)
        printf("      write: %s\n", err.msg);
    return st == ZS_OK;
}

static void test_read_plan(const char *dir)
{
    plan_fx fx;
    build_plan(&fx, 1);
    /* Make the stored plan differ from what from_labels would recompute. */
    fx.part->cx[0] = 42.5;
    fx.part->cy[2] = -7.25;
    snprintf(fx.part->method, sizeof fx.part->method, "kmeans");
    snprintf(fx.part->status, sizeof fx.part->status, "converged");
    fx.part->objective = 1234.5;
    fx.part->iterations = 17;
    fx.part->converged = 1;
    fx.part->runtime_s = 0.125;
    fx.pts->id[0][0] = 'A'; /* ids "A", "2", ... */
    zs_err err;
    if (zs_points_index_ids(fx.pts, &err) != ZS_OK)
        exit(1);
    zs_partition *second = NULL;
    int32_t z2[NPT] = {0, 1, 0, 1, 0, 1, 0, 1, 0};
    if (zs_partition_from_labels(fx.pts, z2, 2, NULL, &second, &err) != ZS_OK)
        exit(1);
    char path[1024], want[2300];
    snprintf(path, sizeof path, "%s/plans.h5", dir);
    CHECK(write_results(path, &fx, second), "read_plan: results file written");

    zs_points *p = NULL;
    zs_partition *pa = NULL;
    zs_plan_summary *su = NULL;
    double depot[2] = {0, 0};
    zs_status st = zs_h5out_read_plan(path, "zeta", &p, &pa, &su, depot, &err);
    CHECK(st == ZS_OK && p && pa && su, "read_plan: plan 'zeta' read (%s)", st ? err.msg : "ok");
    CHECK(zs_h5out_open_objects() == 0, "read_plan: no HDF5 object left open");
    if (st == ZS_OK) {
        int same = p->n == NPT && p->has_lonlat && p->lon0 == 120 && p->lat0 == 30;
        for (size_t i = 0; same && i < NPT; i++)
            same = !strcmp(p->id[i], fx.pts->id[i]) && p->x[i] == PX[i] && p->y[i] == PY[i] &&
                   p->type[i] == fx.pts->type[i] && p->parcels[i] == fx.pts->parcels[i] &&
                   p->lon[i] == fx.pts->lon[i] && p->lat[i] == fx.pts->lat[i];
        CHECK(same, "read_plan: points come back exactly (ids, x, y, type, parcels, lon/lat)");
        CHECK(zs_points_find(p, "A") == 0 && zs_points_find(p, "9") == 8,
              "read_plan: the ids are indexed");
        same = pa->n == NPT && pa->k == 3 && !strcmp(pa->label[1], "b\"q<&") &&
               pa->cx[0] == 42.5 && pa->cy[2] == -7.25 && pa->cx[1] == 500 &&
               !strcmp(pa->method, "kmeans") && !strcmp(pa->status, "converged") &&
               pa->objective == 1234.5 && pa->iterations == 17 && pa->converged == 1 &&
               pa->runtime_s == 0.125;
        for (size_t i = 0; same && i < NPT; i++)
            same = pa->zone[i] == PZ[i];
        CHECK(same, "read_plan: plan comes back exactly (zones, labels, stored centres, diagnostics)");
        same = su->zones == 3;
        for (int mi = 0; same && mi < ZS_M_COUNT; mi++)
            same = !memcmp(su->zone[mi], fx.sum->zone[mi], 3 * sizeof(zs_stat));
        CHECK(same, "read_plan: summary per zone comes back exactly");
        CHECK(depot[0] == 12.5 && depot[1] == -3.25, "read_plan: depot");
    }
    zs_points_free(p);
    zs_partition_free(pa);
    zs_plan_summary_free(su);

    su = (zs_plan_summary *)&err; /* must become NULL */
    st = zs_h5out_read_plan(path, "alpha", &p, &pa, &su, NULL, &err);
    CHECK(st == ZS_OK && su == NULL && pa && pa->k == 2 && !strcmp(pa->label[1], "2"),
          "read_plan: a plan not simulated has no summary");
    zs_points_free(p);
    zs_partition_free(pa);
    st = zs_h5out_read_plan(path, "zeta", &p, &pa, NULL, NULL, &err);
    CHECK(st == ZS_OK && p && pa, "read_plan: summary and depot may be left out");
    zs_points_free(p);
    zs_partition_free(pa);

    static const char *const unknown[] = {"nope", "zeta/x", "", ".."};
    for (size_t u = 0; u < sizeof unknown / sizeof unknown[0]; u++) {
        p = (zs_points *)&err;
        pa = (zs_partition *)&err;
        st = zs_h5out_read_plan(path, unknown[u], &p, &pa, &su, depot, &err);
        snprintf(want, sizeof want, "%s: no plan '%s' (plans: zeta, alpha)", path, unknown[u]);
        CHECK(st == ZS_EINPUT && !strcmp(err.msg, want) && !p && !pa,
              "read_plan: unknown plan '%s': '%s'", unknown[u], err.msg);
    }
    CHECK(zs_h5out_open_objects() == 0, "read_plan: nothing open after unknown plans");

    char other[1100];
    snprintf(other, sizeof other, "%s/missing.h5", dir);
    st = zs_h5out_read_plan(other, "zeta", &p, &pa, &su, depot, &err);
    snprintf(want, sizeof want, "%s: no such file", other);
    CHECK(st == ZS_EINPUT && !strcmp(err.msg, want), "read_plan: message '%s'", want);
    snprintf(other, sizeof other, "%s/text.h5", dir);
    FILE *f = fopen(other, "w");
    if (f) {
        fputs("text\n", f);
        fclose(f);
    }
    st = zs_h5out_read_plan(other, "zeta", &p, &pa, &su, depot, &err);
    snprintf(want, sizeof want, "%s: not an HDF5 file", other);
    CHECK(st == ZS_EINPUT && !strcmp(err.msg, want), "read_plan: message '%s'", want);
    remove(other);

    /* Allocation failures anywhere: ZS_ENOMEM, nothing returned, nothing open. */
    long n_fail = 0, bad = 0, left_open = 0, bad_out = 0;
    for (long i = 0; i < 10000; i++) {
        zs_alloc_fail_after(i);
        st = zs_h5out_read_plan(path, "zeta", &p, &pa, &su, depot, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        n_fail++;
        bad += st != ZS_ENOMEM;
        bad_out += p || pa || su;
        left_open += zs_h5out_open_objects() != 0;
    }
    CHECK(st == ZS_OK, "read_plan nomem: succeeds once allocations succeed");
    CHECK(n_fail >= 20, "read_plan nomem: sweep reached %ld failure points", n_fail);
    CHECK(bad == 0, "read_plan nomem: every failure is ZS_ENOMEM");
    CHECK(bad_out == 0, "read_plan nomem: nothing returned on failure");
    CHECK(left_open == 0, "read_plan nomem: no HDF5 object open after a failure");
    if (st == ZS_OK) {
        zs_points_free(p);
        zs_partition_free(pa);
        zs_plan_summary_free(su);
    }
    remove(path);
    zs_partition_free(second);
    free_plan(&fx);
}

int main(void)
{
    zs_h5out_silence();
    char dir[] = "/tmp/zs_test_export_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_hull();
    test_unproject();
    test_geojson();
    test_svg();
    test_bridges();
    test_export_errors(dir);
    test_export_nomem(dir);
    test_outline_parse();
    test_outline_auto();
    test_outline_pieces();
    test_outline_hole();
    test_outline_random();
    test_outline_nomem();
    test_read_plan(dir);
    rmdir(dir);
    return zs_test_done();
}
