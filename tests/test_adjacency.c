/* Tests of engine/network/adjacency, barriers and geom: Delaunay edges on
 * known layouts, the long-edge rule and its restoring, barrier cuts and
 * parts, duplicates, dual areas, GeoJSON barriers (good and bad files,
 * lon/lat against metres) and zone hulls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/points.h"
#include "models/alloc.h"
#include "network/adjacency.h"
#include "network/barriers.h"
#include "network/geom.h"
#include "check.h"

static int has_edge(const zs_adjacency *g, size_t a, size_t b)
{
    for (size_t j = g->start[a]; j < g->start[a + 1]; j++)
        if (g->nbr[j] == b)
            return 1;
    return 0;
}

static double area_sum(const zs_adjacency *g)
{
    double s = 0;
    for (size_t i = 0; i < g->n; i++)
        s += g->area_m2[i];
    return s;
}

/* side x side grid with spacing h, offset ox. */
static size_t grid(double *x, double *y, size_t at, int side, double h, double ox)
{
    for (int r = 0; r < side; r++)
        for (int c = 0; c < side; c++) {
            /* a tiny shear keeps the triangulation unique */
            x[at] = ox + c * h + r * 1e-3;
            y[at] = r * h;
            at++;
        }
    return at;
}

static const char *tmpdir(void)
{
    const char *t = getenv("ZS_TMP");
    return t ? t : "/tmp";
}

static const char *write_file(const char *name, const char *text)
{
    static char path[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(path[k], sizeof path[k], "%s/%s", tmpdir(), name);
    FILE *f = fopen(path[k], "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path[k];
}

static void test_grid(void)
{
    double x[100], y[100];
    zs_err err;
    size_t n = grid(x, y, 0, 10, 100, 0);
    zs_adjacency *g = NULL;
    CHECK(zs_adjacency_build(x, y, n, NULL, &g, &err) == ZS_OK, "a 10x10 grid builds");
    if (!g)
        return;
    CHECK(g->n_parts == 1, "the grid is one part");
    CHECK(has_edge(g, 0, 1) && has_edge(g, 1, 0) && has_edge(g, 0, 10),
          "grid neighbours are adjacent, both ways");
    CHECK(!has_edge(g, 0, 99), "opposite corners are not");
    size_t mind = 99;
    for (size_t i = 11; i < 89; i++)
        if (i % 10 && i % 10 != 9 && g->start[i + 1] - g->start[i] < mind)
            mind = g->start[i + 1] - g->start[i];
    CHECK(mind >= 4, "every inner grid point has at least 4 neighbours (least %zu)", mind);
    CHECK_NEAR(area_sum(g), 900.0 * 900.0, 900.0 * 900.0 * 1e-3,
               "dual areas sum to the grid's area (%.0f m^2)", area_sum(g));
    CHECK(g->n_edges == g->n_delaunay && g->n_long == 0 && g->n_barrier == 0,
          "no edge is removed from a regular grid");
    zs_adjacency_free(g);
}

static void test_long_edges(void)
{
    double x[50], y[50];
    zs_err err;
    size_t n = grid(x, y, 0, 5, 100, 0);
    n = grid(x, y, n, 5, 100, 10000);
    zs_adjacency *g = NULL;
    CHECK(zs_adjacency_build(x, y, n, NULL, &g, &err) == ZS_OK, "two far clusters build");
    if (!g)
        return;
    CHECK(g->n_parts == 1 && g->n_restored == 1,
          "the clusters are joined by one restored long edge (%zu restored, %zu parts)",
          g->n_restored, g->n_parts);
    CHECK(g->n_long >= 1, "the other edges across the gap are removed (%zu)", g->n_long);
    CHECK_NEAR(area_sum(g), 2 * 400.0 * 400.0, 1.0,
               "the gap's triangles count for nobody: area = two clusters (%.0f)", area_sum(g));
    zs_adjacency_free(g);
}

static void test_barrier(void)
{
    double x[100], y[100];
    zs_err err;
    size_t n = grid(x, y, 0, 10, 100, 0);
    /* a river between columns 4 and 5, north-south */
    const double seg[4] = {450, -50, 450, 950};
    zs_barriers *b = NULL;
    CHECK(zs_barriers_from_segments(seg, NULL, 1, &b, &err) == ZS_OK, "barrier from a segment");
    CHECK(zs_barriers_cross(b, 400, 0, 500, 0) && !zs_barriers_cross(b, 300, 0, 400, 0) &&
              !zs_barriers_cross(b, 400, 1000, 500, 1000),
          "crossing test: across yes, beside no, beyond its end no");
    zs_adjacency_opts o;
    zs_adjacency_opts_defaults(&o);
    o.barriers = b;
    zs_adjacency *g = NULL;
    CHECK(zs_adjacency_build(x, y, n, &o, &g, &err) == ZS_OK, "grid with a river builds");
    if (g) {
        CHECK(g->n_parts == 2, "the river splits the grid in two parts (%zu)", g->n_parts);
        int across = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = g->start[i]; j < g->start[i + 1]; j++)
                across += (x[i] < 450) != (x[g->nbr[j]] < 450);
        CHECK(!across, "no kept edge crosses the river");
        CHECK(g->n_barrier >= 10 && g->part[0] != g->part[9],
              "%zu barrier edges listed; the banks are different parts", g->n_barrier);
        int cut_ok = 1;
        for (size_t c = 0; c < g->n_barrier; c++)
            cut_ok &= (x[g->cut[2 * c]] < 450) != (x[g->cut[2 * c + 1]] < 450);
        CHECK(cut_ok, "every listed barrier edge joins the two banks");
    }
    zs_adjacency_free(g);
    zs_barriers_free(b);
}

static void test_small(void)
{
    zs_err err;
    double x[6] = {0, 100, 200, 300, 400, 100}, y[6] = {0, 0, 0, 0, 0, 0};
    zs_adjacency *g = NULL;
    CHECK(zs_adjacency_build(x, y, 6, NULL, &g, &err) == ZS_OK, "points on a line build");
    if (g) {
        CHECK(g->n_parts == 1 && has_edge(g, 0, 1) && has_edge(g, 3, 4) && !has_edge(g, 0, 4),
              "points on a line form a chain");
        CHECK(has_edge(g, 5, 1) && has_edge(g, 5, 0) && has_edge(g, 5, 2),
              "a duplicate is adjacent to its twin and the twin's neighbours");
    }
    zs_adjacency_free(g);
    g = NULL;
    CHECK(zs_adjacency_build(x, y, 1, NULL, &g, &err) == ZS_OK && g && g->n_parts == 1 &&
              g->n_edges == 0,
          "one point: one part, no edge");
    zs_adjacency_free(g);
    g = NULL;
    double bad[2] = {0, NAN};
    CHECK(zs_adjacency_build(x, bad, 2, NULL, &g, &err) == ZS_EINVAL && !g,
          "a NaN coordinate is refused");
    zs_adjacency_opts o;
    zs_adjacency_opts_defaults(&o);
    o.long_factor = 1.0;
    CHECK(zs_adjacency_build(x, y, 6, &o, &g, &err) == ZS_EINVAL, "long_factor 1 is refused");
    CHECK_CONTAINS(err.msg, "adjacency.long_factor = 1; must be > 1", "... naming the option");
}

static void test_geojson(void)
{
    zs_err err;
    zs_points *pts = zs_points_create(2, &err);
    if (!pts)
        return;
    pts->x[0] = 0, pts->y[0] = 0, pts->x[1] = 5000, pts->y[1] = 5000;
    zs_barriers *b = NULL;
    const char *ok = write_file(
        "river.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"river\"},\"geometry\":"
        "{\"type\":\"LineString\",\"coordinates\":[[2500,-100],[2500,2000],[2600,5100]]}},"
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\","
        "\"coordinates\":[[[1000,1000],[1500,1000],[1500,1500],[1000,1000]]]}}]}");
    CHECK(zs_barriers_load(ok, pts, &b, &err) == ZS_OK && b && b->n_seg == 5 &&
              b->n_features == 2,
          "a FeatureCollection with a line and a polygon gives 5 segments of 2 features");
    if (b)
        CHECK(zs_barriers_cross(b, 2000, 1000, 3000, 1000) &&
                  zs_barriers_cross(b, 1200, 900, 1200, 1100) &&
                  !zs_barriers_cross(b, 100, 100, 900, 900),
              "GeoJSON barriers: the river and the lake's shore cut, open land does not");
    zs_barriers_free(b);
    b = NULL;
    const char *junk = write_file("junk.geojson", "this is not json");
    CHECK(zs_barriers_load(junk, pts, &b, &err) == ZS_EINPUT && !b, "not GeoJSON: ZS_EINPUT");
    CHECK_CONTAINS(err.msg, "junk.geojson: not GeoJSON", "... naming the file");
    const char *pt = write_file(
        "point.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\","
        "\"coordinates\":[[0,0],[10,10]]}},"
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[1,2]}}]}");
    CHECK(zs_barriers_load(pt, pts, &b, &err) == ZS_EINPUT, "a Point feature is refused");
    CHECK_CONTAINS(err.msg, "point.geojson: feature 1: a Point is not a barrier",
                   "... naming the feature index");
    const char *empty = write_file("empty.geojson",
                                   "{\"type\":\"FeatureCollection\",\"features\":[]}");
    CHECK(zs_barriers_load(empty, pts, &b, &err) == ZS_EINPUT, "no features is refused");
    CHECK_CONTAINS(err.msg, "empty.geojson: no lines or polygons", "... saying so");
    const char *deg = write_file(
        "deg.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\","
        "\"coordinates\":[[120.1,30.2],[120.2,30.3]]}}]}");
    CHECK(zs_barriers_load(deg, pts, &b, &err) == ZS_EINPUT, "lon/lat barriers for metre points are refused");
    CHECK_CONTAINS(err.msg, "deg.geojson: feature 0: coordinates look like lon/lat degrees",
                   "... naming the feature and the mix-up");
    zs_points_free(pts);
}

static void test_hulls(void)
{
    zs_err err;
    double x[100], y[100];
    size_t n = grid(x, y, 0, 10, 100, 0);
    int32_t split[100], stripes[100];
    for (size_t i = 0; i < n; i++) {
        split[i] = x[i] < 450 ? 0 : 1;
        stripes[i] = (int32_t)(i % 2);
    }
    double a[2], p[2], u;
    CHECK(zs_geom_hulls(x, y, split, n, 2, a, p, &u, &err) == ZS_OK, "hulls of two halves");
    CHECK(fabs(a[0] + a[1] - u) < 1 && fabs(a[0] - 400 * 900) < 10 && fabs(p[0] - 2 * 1300) < 1,
          "side-by-side halves do not overlap; area and perimeter right (%.0f, %.0f)", a[0], p[0]);
    CHECK(zs_geom_hulls(x, y, stripes, n, 2, a, p, &u, &err) == ZS_OK, "hulls of stripes");
    CHECK((a[0] + a[1] - u) / (a[0] + a[1]) > 0.4, "interleaved zones overlap (%.2f)",
          (a[0] + a[1] - u) / (a[0] + a[1]));
}

int main(void)
{
    test_grid();
    test_long_edges();
    test_barrier();
    test_small();
    test_geojson();
    test_hulls();
    printf("%d passed, %d failed\n", zs_t_pass, zs_t_fail);
    return zs_test_done();
}
