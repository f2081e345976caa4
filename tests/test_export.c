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
#include "export_plan.h"
#include "results/h5out.h"
#include "models/alloc.h"
#include "models/ptype.h"

/* ---- helpers ---------------------------------------------------------------- */

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
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
    test_read_plan(dir);
    rmdir(dir);
    return zs_test_done();
}
