/*
 * tests/test_export_outline.c -- how zones are outlined on a map
 * (engine/maps/export.h: zs_export_outline, zs_export_shapes_create):
 * convex hulls or unions of grid cells, the automatic choice between them,
 * zones in pieces and with holes, random plans (every point in its own
 * zone, no place in two zones) and allocation failures swept.
 */
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_fixture.h"
#include "export_plan.h"
#include "maps/export.h"
#include "models/alloc.h"

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

int main(void)
{
    test_outline_parse();
    test_outline_auto();
    test_outline_pieces();
    test_outline_hole();
    test_outline_random();
    test_outline_nomem();
    return zs_test_done();
}
