/*
 * tests/test_osm.c -- OpenStreetMap reading, the street graph, snapping
 * and fastest paths (network/osm, network/roads, network/paths).
 *
 * tests/data/tiny.osm is drawn by hand (metres about lon 15.6, lat 48.4):
 *
 *      B(0,1000) ------------------------ D(1000,1000) ---- L(1500,1000)
 *        |  West St (residential)           ^ East St          | Loop
 *      E(0,500) == Bridge Rd (tertiary) == F(1000,500)          | (two-way,
 *        |           over the river at x=500   ^ one-way north  |  residential)
 *      A(0,0) ..... footbridge (foot only) ... C(1000,0) ------ K(1500,0)
 *
 * plus a river from (500,-200) to (500,1200), an unconnected service road
 * far away (dropped as a separate part) and a school building.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "input/points.h"
#include "network/osm.h"
#include "network/paths.h"
#include "network/roads.h"

#define LON0 15.6
#define LAT0 48.4

static long node_of(const zs_roads *g, int64_t osm_id)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->osm_id[i] == osm_id)
            return (long)i;
    return -1;
}

/* A location exactly at graph node u (t = 0 on a segment that starts at u,
 * or t = 1 on one that ends there). */
static zs_snap at_node(const zs_roads *g, uint32_t u)
{
    zs_snap s = {0, 0.0, 0.0};
    for (uint32_t k = 0; k < g->n_seg; k++) {
        if (g->seg_u[k] == u) {
            s.seg = k;
            s.t = 0.0;
            return s;
        }
        if (g->seg_v[k] == u) {
            s.seg = k;
            s.t = 1.0;
            return s;
        }
    }
    return s;
}

static double xy_dist(const zs_roads *g, long a, long b)
{
    return hypot(g->x[a] - g->x[b], g->y[a] - g->y[b]);
}

static void test_tiny(void)
{
    zs_err err;
    zs_osm *o = NULL;
    CHECK(zs_osm_load("tests/data/tiny.osm", &o, &err) == ZS_OK, "tiny.osm loads: %s", err.msg);
    if (!o)
        return;
    CHECK(o->n_nodes == 16, "16 nodes (got %zu)", o->n_nodes);
    size_t roads = 0, water = 0;
    for (size_t w = 0; w < o->n_ways; w++) {
        roads += o->ways[w].kind == ZS_WAY_ROAD;
        water += o->ways[w].kind == ZS_WAY_WATER;
    }
    CHECK(roads == 6 && water == 1, "6 road ways and 1 river (got %zu, %zu)", roads, water);
    CHECK(o->n_buildings == 1 && strcmp(o->buildings[0].type, "school") == 0,
          "one building, a school");

    zs_profile van;
    CHECK(zs_profile_defaults(&van, "van", &err) == ZS_OK, "van profile");
    zs_roads *g = NULL;
    CHECK(zs_roads_build(o, &van, LON0, LAT0, "tiny.osm", &g, &err) == ZS_OK, "van graph: %s",
          err.msg);
    if (g) {
        /* Nodes 1-9 are connected; the island (20, 21) is its own part. */
        CHECK(g->n == 9, "9 nodes kept (got %zu)", g->n);
        CHECK(g->nodes_dropped == 2 && g->seg_dropped == 1, "island dropped: %zu nodes, %zu seg",
              g->nodes_dropped, g->seg_dropped);
        long A = node_of(g, 1), E = node_of(g, 2), Fn = node_of(g, 5), C = node_of(g, 6),
             D = node_of(g, 7), K = node_of(g, 8), L = node_of(g, 9);
        CHECK(A >= 0 && C >= 0 && D >= 0 && K >= 0 && L >= 0, "named nodes kept");
        CHECK(node_of(g, 20) < 0, "island node gone");
        zs_paths_ws *ws = zs_paths_ws_create(g);
        double res = 25 / 3.6, ter = 35 / 3.6;
        /* C -> D: north along the one-way street, 1000 m residential. */
        zs_snap sc = at_node(g, (uint32_t)C), sd = at_node(g, (uint32_t)D), sa = at_node(g, (uint32_t)A);
        double s, l;
        zs_paths_one_to_many(ws, g, &sc, &sd, 1, &s, &l);
        double want = (xy_dist(g, C, Fn) + xy_dist(g, Fn, D)) / res;
        CHECK_NEAR(s, want, 1e-6, "C->D along East St: %.3f s (want %.3f)", s, want);
        /* D -> C: the one-way forbids going south: round the loop D-L-K-C. */
        zs_paths_one_to_many(ws, g, &sd, &sc, 1, &s, &l);
        double loop = xy_dist(g, D, L) + xy_dist(g, L, K) + xy_dist(g, K, C);
        CHECK_NEAR(s, loop / res, 1e-6, "D->C round the loop: %.3f s (want %.3f)", s, loop / res);
        CHECK_NEAR(l, loop, 1e-6, "D->C length %.3f m (want %.3f)", l, loop);
        /* A -> C: over the bridge (E, M, F), north to D (one-way), round
         * the loop; the footbridge is not for vans. */
        zs_paths_one_to_many(ws, g, &sa, &sc, 1, &s, &l);
        long M = node_of(g, 4);
        double want_ac = xy_dist(g, A, E) / res + (xy_dist(g, E, M) + xy_dist(g, M, Fn)) / ter +
                         (xy_dist(g, Fn, D) + loop) / res;
        CHECK_NEAR(s, want_ac, 1e-6, "A->C over the bridge: %.3f s (want %.3f)", s, want_ac);
        /* Snapped mid-street: a point 30 m east of West St at y = 250. */
        double px, py;
        zs_lonlat_project(LON0, LAT0, LON0, LAT0, &px, &py);
        zs_snap mid;
        CHECK(zs_roads_snap(g, g->x[A] + 30.0, g->y[A] + 250.0, 100.0, &mid), "snaps");
        CHECK_NEAR(mid.snap_m, 30.0, 1e-6, "snap distance 30 m (got %.6f)", mid.snap_m);
        CHECK(!zs_roads_snap(g, g->x[A] - 400.0, g->y[A] + 250.0, 100.0, &mid),
              "no street within 100 m of a point 400 m west");
        /* Two points on one segment: straight along it. */
        zs_snap p1, p2;
        zs_roads_snap(g, g->x[A] + 5.0, g->y[A] + 100.0, 50.0, &p1);
        zs_roads_snap(g, g->x[A] + 5.0, g->y[A] + 300.0, 50.0, &p2);
        zs_paths_one_to_many(ws, g, &p1, &p2, 1, &s, &l);
        CHECK_NEAR(l, 200.0, 1e-6, "along one segment: 200 m (got %.6f)", l);

        /* The network of three points and a depot, and a plan's matrices. */
        double x[3] = {g->x[A] + 10, g->x[C] + 10, g->x[D] - 10};
        double y[3] = {g->y[A] + 1, g->y[C] + 1, g->y[D] - 1};
        char *ids[3] = {"a", "c", "d"};
        zs_net *net = NULL;
        CHECK(zs_net_create(g, &van, x, y, ids, 3, g->x[E] + 20, g->y[E], 100.0, &net, &err) ==
              ZS_OK, "network of 3 points: %s", err.msg);
        if (net) {
            int32_t zone[3] = {0, 1, 1};
            zs_net_plan *np = NULL;
            CHECK(zs_net_plan_create(net, zone, 2, 2, &np, &err) == ZS_OK, "plan matrices");
            if (np) {
                double lm, lm2;
                for (size_t a = 0; a <= 3; a++)
                    for (size_t b = 0; b <= 3; b++) {
                        double m1 = zs_net_plan_leg(np, ws, a, b, &lm);
                        double m2 = zs_net_leg_search(net, ws, a, b, &lm2);
                        CHECK(fabs(m1 - m2) <= 1e-3 * (1 + m2) && fabs(lm - lm2) <= 1e-3 * (1 + lm2),
                              "leg %zu->%zu: matrix %.3f s = search %.3f s", a, b, m1, m2);
                    }
                /* Walking: 10 m from the street at each end, at 5 km/h. */
                double w = zs_net_plan_leg(np, ws, 1, 2, &lm);
                zs_paths_one_to_many(ws, g, &net->snap[1], &net->snap[2], 1, &s, &l);
                double walk = (net->snap[1].snap_m + net->snap[2].snap_m) / (5 / 3.6);
                CHECK(net->snap[1].snap_m > 0.5, "point c is off the street");
                CHECK_NEAR(w, s + walk, 1e-3, "leg walks the snap distance at each end");
                zs_net_plan_free(np);
            }
            zs_net_free(net);
        }
        /* A point far from any street names itself. */
        double fx = g->x[A] - 900.0, fy = g->y[A];
        CHECK(zs_net_create(g, &van, &fx, &fy, ids, 1, g->x[E], g->y[E], 250.0, &net, &err) ==
              ZS_EINPUT, "far point refused");
        CHECK_CONTAINS(err.msg, "point 'a' (data row 1) is 900 m", "names the point and distance");
        zs_paths_ws_free(ws);
        zs_roads_free(g);
    }
    /* The walker takes the footbridge and ignores the one-way. */
    zs_profile foot;
    zs_profile_defaults(&foot, "foot", &err);
    CHECK(zs_roads_build(o, &foot, LON0, LAT0, "tiny.osm", &g, &err) == ZS_OK, "foot graph");
    if (g) {
        long A = node_of(g, 1), C = node_of(g, 6), D = node_of(g, 7), Fn = node_of(g, 5);
        zs_paths_ws *ws = zs_paths_ws_create(g);
        zs_snap sa = at_node(g, (uint32_t)A), sc = at_node(g, (uint32_t)C), sd = at_node(g, (uint32_t)D);
        double s, l;
        zs_paths_one_to_many(ws, g, &sa, &sc, 1, &s, &l);
        CHECK_NEAR(s, xy_dist(g, A, C) / (5 / 3.6), 1e-6, "walker A->C over the footbridge");
        zs_paths_one_to_many(ws, g, &sd, &sc, 1, &s, &l);
        CHECK_NEAR(l, xy_dist(g, D, Fn) + xy_dist(g, Fn, C), 1e-6, "walker D->C down East St");
        zs_paths_ws_free(ws);
        zs_roads_free(g);
    }
    /* No streets for a profile: a railway-only extract has none; here the
     * tricycle's default speeds with every class zeroed. */
    zs_profile none = van;
    for (int c = 0; c < ZS_HW_COUNT; c++)
        none.speed_kmh[c] = 0.0;
    CHECK(zs_roads_build(o, &none, LON0, LAT0, "tiny.osm", &g, &err) == ZS_EINPUT,
          "no usable streets refused");
    CHECK_CONTAINS(err.msg, "no streets usable by a van", "says so");
    zs_osm_free(o);
}

static char tmpdir[512];

static const char *tmp_path(const char *name)
{
    static char buf[4][640];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

static void test_bad_files(void)
{
    zs_err err;
    zs_osm *o = NULL;
    CHECK(zs_osm_load(tmp_path("missing.pbf"), &o, &err) == ZS_EINPUT, "missing file");
    CHECK_CONTAINS(err.msg, "missing.pbf: cannot open", "names the file");
    CHECK(zs_osm_load(tmpdir, &o, &err) == ZS_EINPUT, "a directory");
    CHECK_CONTAINS(err.msg, "is a directory", "says directory");
    const char *csv = "id,x,y\n1,2,3\n";
    write_file(tmp_path("points.osm"), csv, strlen(csv));
    CHECK(zs_osm_load(tmp_path("points.osm"), &o, &err) == ZS_EINPUT, "a CSV named .osm");
    CHECK_CONTAINS(err.msg, "not an OpenStreetMap file", "says not OSM");
    const char *broken = "<?xml version='1.0'?>\n<osm version='0.6'>\n<node id='1' lat='1' ";
    write_file(tmp_path("broken.osm"), broken, strlen(broken));
    CHECK(zs_osm_load(tmp_path("broken.osm"), &o, &err) == ZS_EINPUT, "truncated XML");
    CHECK_CONTAINS(err.msg, "broken.osm: not a readable OpenStreetMap extract", "says unreadable");
    const char *empty = "<?xml version='1.0'?>\n<osm version='0.6'>\n<node id='1' lat='1' "
                        "lon='2'/>\n</osm>\n";
    write_file(tmp_path("empty.osm"), empty, strlen(empty));
    CHECK(zs_osm_load(tmp_path("empty.osm"), &o, &err) == ZS_EINPUT, "no ways");
    CHECK_CONTAINS(err.msg, "no streets, water or railways", "says empty");
    /* Gzipped XML under any name, and a gzip of something else. */
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "gzip -c tests/data/tiny.osm > %s && gzip -c %s > %s",
             tmp_path("tiny.gz"), tmp_path("points.osm"), tmp_path("csv.gz"));
    if (system(cmd) == 0) {
        CHECK(zs_osm_load(tmp_path("tiny.gz"), &o, &err) == ZS_OK && o && o->n_ways == 7,
              "gzipped XML reads: %s", err.msg);
        zs_osm_free(o);
        o = NULL;
        CHECK(zs_osm_load(tmp_path("csv.gz"), &o, &err) == ZS_EINPUT, "gzipped CSV refused");
        CHECK_CONTAINS(err.msg, "does not hold OpenStreetMap XML", "says so");
    }
}

/* Railways: running lines are barriers; a yard's sidings, spurs and
 * crossovers, and lines in tunnels, are not. */
static void test_rail_service(void)
{
    static const char text[] =
        "<?xml version='1.0'?>\n<osm version='0.6'>\n"
        "<node id='1' lat='48.40' lon='15.60'/><node id='2' lat='48.41' lon='15.60'/>\n"
        "<node id='3' lat='48.40' lon='15.61'/><node id='4' lat='48.41' lon='15.61'/>\n"
        "<way id='10'><nd ref='1'/><nd ref='2'/><tag k='railway' v='rail'/>"
        "<tag k='usage' v='main'/></way>\n"
        "<way id='11'><nd ref='3'/><nd ref='4'/><tag k='railway' v='rail'/>"
        "<tag k='service' v='siding'/></way>\n"
        "<way id='12'><nd ref='1'/><nd ref='3'/><tag k='railway' v='rail'/>"
        "<tag k='service' v='yard'/></way>\n"
        "<way id='13'><nd ref='2'/><nd ref='4'/><tag k='railway' v='rail'/>"
        "<tag k='service' v='spur'/></way>\n"
        "<way id='14'><nd ref='2'/><nd ref='3'/><tag k='railway' v='light_rail'/>"
        "<tag k='tunnel' v='yes'/></way>\n"
        "<way id='15'><nd ref='1'/><nd ref='4'/><tag k='railway' v='rail'/>"
        "<tag k='service' v='crossover'/></way>\n"
        "<way id='16'><nd ref='4'/><nd ref='1'/><tag k='highway' v='residential'/></way>\n"
        "</osm>\n";
    write_file(tmp_path("rail.osm"), text, strlen(text));
    zs_err err = {0};
    zs_osm *o = NULL;
    CHECK(zs_osm_load(tmp_path("rail.osm"), &o, &err) == ZS_OK && o, "rail.osm loads: %s", err.msg);
    if (!o)
        return;
    size_t rail = 0;
    int64_t id = 0;
    for (size_t w = 0; w < o->n_ways; w++)
        if (o->ways[w].kind == ZS_WAY_RAIL) {
            rail++;
            id = o->ways[w].id;
        }
    CHECK(rail == 1 && id == 10, "only the running line is a railway barrier (%zu, way %lld)", rail,
          (long long)id);
    zs_osm_free(o);
}

/* Elements libreadosm 1.1 crashes on (strlen of a missing attribute; found
 * by the fuzz campaign, tests/fuzz/regress/osm/) are refused with their
 * place before readosm reads the file; markup the check must skip (comments,
 * CDATA, processing instructions, quoted '>' and quotes) does not fool it. */
static void test_readosm_crashers(void)
{
    static const char head[] = "<?xml version='1.0'?>\n<osm version='0.6'>\n"
                               "<node id='1' lat='48.4' lon='15.6'/><node id='2' lat='48.41' lon='15.61'/>\n";
    static const char way[] = "<way id='9'><nd ref='1'/><nd ref='2'/><tag k='highway' v='residential'/></way>\n";
    static const struct {
        const char *body, *want; /* want NULL: reads */
    } cases[] = {
        {"<way id='8'><nd ref='1'/><tag k='a'/></way>\n", "bad.osm:4:26: <tag> without a v attribute"},
        {"<node id='3' lat='1' lon='2'><tag v='a'/></node>\n", "bad.osm:4:30: <tag> without a k attribute"},
        {"<way id='8'>\n  <tag\n/></way>\n", "bad.osm:5:3: <tag> without a k attribute"},
        {"<relation id='5'><member type='way' ref='9'/></relation>\n",
         "bad.osm:4:18: <member> without a role attribute"},
        {"<!DOCTYPE osm [<!ENTITY t \"<tag k='a'/>\">]>\n", "a DOCTYPE with an internal subset"},
        {"<!-- <tag k='a'/> --><![CDATA[ <tag/> ]]><?pi <tag/> ?>\n"
         "<way id='8'><tag k = 'a>b' v=\"c'd\"/><tagx/></way>\n"
         "<relation id='5'><member type='way' ref='9' role=''/></relation>\n", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s%s</osm>\n", head, cases[i].body, way);
        write_file(tmp_path("bad.osm"), text, strlen(text));
        zs_err err = {0};
        zs_osm *o = NULL;
        zs_status st = zs_osm_load(tmp_path("bad.osm"), &o, &err);
        if (cases[i].want) {
            CHECK(st == ZS_EINPUT && o == NULL, "readosm crasher %zu refused (exit 2)", i);
            CHECK_CONTAINS(err.msg, cases[i].want, "the crasher's message names the element and its place");
        } else {
            CHECK(st == ZS_OK && o && o->n_ways == 1, "markup around elements is skipped: %s", err.msg);
        }
        zs_osm_free(o);
    }
}

/* Independent shortest paths: a label-correcting queue (Bellman-Ford with
 * a FIFO), different from the engine's heap Dijkstra. */
static void spfa(const zs_roads *g, uint32_t src, double *d)
{
    size_t n = g->n;
    uint32_t *q = malloc(n * sizeof *q);
    char *inq = calloc(n, 1);
    for (size_t i = 0; i < n; i++)
        d[i] = HUGE_VAL;
    size_t head = 0, count = 0;
    d[src] = 0.0;
    q[0] = src;
    inq[src] = 1;
    count = 1;
    while (count > 0) {
        uint32_t u = q[head];
        head = (head + 1) % n;
        count--;
        inq[u] = 0;
        for (size_t e = g->out_start[u]; e < g->out_start[u + 1]; e++) {
            uint32_t v = g->out_to[e];
            if (d[u] + g->out_s[e] < d[v]) {
                d[v] = d[u] + g->out_s[e];
                if (!inq[v]) {
                    q[(head + count) % n] = v;
                    count++;
                    inq[v] = 1;
                }
            }
        }
    }
    free(q);
    free(inq);
}

static void test_real(const char *name, const char *profile)
{
    const char *shared = getenv("ZS_SHARED");
    if (!shared)
        shared = "../shared";
    char path[1024];
    snprintf(path, sizeof path, "%s/data/osm/%s", shared, name);
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (stat(shared, &sb) == 0)
            CHECK(0, "%s exists but %s is missing", shared, path);
        else
            printf("SKIP: %s tests (shared directory %s not found)\n", name, shared);
        return;
    }
    zs_err err;
    zs_osm *o = NULL;
    CHECK(zs_osm_load(path, &o, &err) == ZS_OK, "%s loads: %s", name, err.msg);
    if (!o)
        return;
    zs_profile p;
    zs_profile_defaults(&p, profile, &err);
    zs_roads *g = NULL;
    double lon0 = (o->min_lon + o->max_lon) / 2, lat0 = (o->min_lat + o->max_lat) / 2;
    CHECK(zs_roads_build(o, &p, lon0, lat0, name, &g, &err) == ZS_OK, "%s graph", name);
    if (g) {
        printf("      %s %s: %zu nodes, %zu segments, %.1f km, %zu parts, %zu nodes dropped\n",
               name, profile, g->n, g->n_seg, g->km, g->parts, g->nodes_dropped);
        CHECK(g->n > 1000 && g->km > 50.0, "%s: a city's streets", name);
        CHECK(g->nodes_dropped < g->n / 3, "%s: the largest part holds most nodes", name);
        zs_paths_ws *ws = zs_paths_ws_create(g);
        double *d = malloc(g->n * sizeof *d);
        uint64_t st = 12345;
        int bad = 0, checked = 0;
        for (int q = 0; q < 4; q++) {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            uint32_t a = (uint32_t)((st >> 33) % g->n);
            spfa(g, a, d);
            zs_snap sa = at_node(g, a);
            for (int r = 0; r < 25; r++) {
                st = st * 6364136223846793005ULL + 1442695040888963407ULL;
                uint32_t b = (uint32_t)((st >> 33) % g->n);
                zs_snap sb2 = at_node(g, b);
                double s, l;
                zs_paths_one_to_many(ws, g, &sa, &sb2, 1, &s, &l);
                checked++;
                if (!(fabs(s - d[b]) <= 1e-6 * (1.0 + d[b])))
                    bad++;
            }
        }
        CHECK(bad == 0, "%s: %d of %d pairs match an independent search", name, checked - bad,
              checked);
        /* Many to one (backwards over the reverse edges) equals one to one
         * forwards, mid-segment locations included. */
        zs_snap many[20], dst;
        for (int j = 0; j < 20; j++) {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            many[j].seg = (uint32_t)((st >> 33) % g->n_seg);
            many[j].t = (double)(j % 5) / 4.0;
            many[j].snap_m = 0.0;
        }
        dst = many[7];
        dst.t = 0.3;
        double ms[20], ml[20];
        zs_paths_many_to_one(ws, g, many, 20, &dst, ms, ml);
        int same = 1;
        for (int j = 0; j < 20; j++) {
            double s1, l1;
            zs_paths_one_to_many(ws, g, &many[j], &dst, 1, &s1, &l1);
            if (!(fabs(s1 - ms[j]) <= 1e-6 * (1 + s1)))
                same = 0;
        }
        CHECK(same, "%s: many-to-one backwards equals one-to-one forwards (20 sources)", name);
        free(d);
        zs_paths_ws_free(ws);
        zs_roads_free(g);
    }
    size_t water = 0;
    for (size_t w = 0; w < o->n_ways; w++)
        water += o->ways[w].kind == ZS_WAY_WATER || o->ways[w].kind == ZS_WAY_COAST;
    CHECK(water > 0, "%s: has water ways (%zu)", name, water);
    zs_osm_free(o);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/zs_test_osm_XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    test_tiny();
    test_bad_files();
    test_readosm_crashers();
    test_rail_service();
    test_real("krems.osm.gz", "van");
    test_real("harrisburg.osm.pbf", "van");
    test_real("baltimore.osm.pbf", "foot");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        return 1;
    return zs_test_done();
}
