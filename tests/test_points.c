/* tests/test_points.c -- delivery points: load, write, index (engine/points.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/points.h"
#include "models/alloc.h"
#include "models/ptype.h"
#include "check.h"

static char tmpdir[] = "/tmp/zs_test_points_XXXXXX";

static const double R_M = 6371008.8, PI = 3.14159265358979323846;

static void expect_load_error(const char *path, const zs_points_opts *o, zs_status code,
                              const char *want, const char *desc)
{
    zs_err err;
    zs_err_clear(&err);
    zs_points dummy;
    zs_points *p = &dummy; /* must be reset to NULL on failure */
    zs_status st = zs_points_load_csv(path, o, &p, &err);
    CHECK(st == code && p == NULL, "%s: fails with %s, no points", desc, zs_status_name(code));
    CHECK(strcmp(err.msg, want) == 0, "%s: message '%s' (got '%s')", desc, want, err.msg);
}

static void test_load_ok(void)
{
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    o.col_zone = "zone";
    zs_err err;
    zs_points *p = NULL;
    zs_status st = zs_points_load_csv("tests/data/pts_ok.csv", &o, &p, &err);
    CHECK(st == ZS_OK && p && p->n == 3, "ok: 3 points loaded (%s)", st ? err.msg : "ok");
    if (!p)
        return;
    CHECK(strcmp(p->id[0], "A1") == 0 && strcmp(p->id[1], "B,2") == 0 && strcmp(p->id[2], "C3") == 0,
          "ok: ids, one quoted with a comma");
    CHECK(p->x[0] == 100.5 && p->y[0] == -20.0 && p->x[2] == 1000.0 && p->y[2] == 2000.0,
          "ok: coordinates in metres as written");
    CHECK(p->type[0] == ZS_PT_OFFICE && p->type[1] == ZS_PT_SHOP && p->type[2] == ZS_PT_VILLAGE,
          "ok: types parsed");
    CHECK(p->parcels[0] == 2.5 && p->parcels[1] == 0.0 && p->parcels[2] == 1.0, "ok: parcels (0 allowed)");
    CHECK(!p->has_lonlat && !p->lon && !p->lat, "ok: no lon/lat for a metre file");
    CHECK(p->zone && p->n_zone_labels == 2 && p->zone[0] == 0 && p->zone[1] == 1 && p->zone[2] == 0,
          "ok: zone indices in order of first appearance");
    CHECK(p->n_zone_labels == 2 && strcmp(p->zone_label[0], "north") == 0 &&
              strcmp(p->zone_label[1], "south") == 0,
          "ok: zone labels copied");
    CHECK(zs_points_find(p, "B,2") == 1 && zs_points_find(p, "C3") == 2 && zs_points_find(p, "A1") == 0,
          "ok: find each id");
    CHECK(zs_points_find(p, "zz") == -1 && zs_points_find(p, "") == -1, "ok: unknown id not found");
    CHECK_NEAR(zs_points_total_parcels(p), 3.5, 0.0, "ok: total parcels 3.5");
    zs_points_free(p);
    zs_points_free(NULL);
    CHECK(1, "free(NULL) is a no-op");

    /* Default column names absent from the header: ids are row numbers,
     * type and parcels the defaults. */
    zs_points_opts_defaults(&o);
    o.default_parcels = 0.25;
    o.default_type = ZS_PT_SCHOOL;
    p = NULL;
    st = zs_points_load_csv("tests/data/pts_xy_only.csv", &o, &p, &err);
    CHECK(st == ZS_OK && p && p->n == 3, "xy only: loads with default id/type/parcels names absent");
    if (p) {
        CHECK(strcmp(p->id[0], "1") == 0 && strcmp(p->id[2], "3") == 0 && zs_points_find(p, "2") == 1,
              "xy only: ids are the data row numbers");
        CHECK(p->type[1] == ZS_PT_SCHOOL && p->parcels[2] == 0.25 && !p->zone,
              "xy only: default type and parcels, no zones");
        zs_points_free(p);
    }
    /* NULL options mean defaults. */
    p = NULL;
    st = zs_points_load_csv("tests/data/pts_xy_only.csv", NULL, &p, &err);
    CHECK(st == ZS_OK && p && p->type[0] == ZS_PT_RESIDENTIAL && p->parcels[0] == 1.0,
          "NULL opts: defaults (residential, 1 parcel)");
    zs_points_free(p);
}

static void test_load_errors(void)
{
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    expect_load_error("tests/data/pts_nocol.csv", &o, ZS_EINPUT,
                      "tests/data/pts_nocol.csv:1:1: no column 'x' in header (columns: a, b, c)",
                      "missing x column");
    zs_points_opts_defaults(&o);
    o.col_parcels = "weight";
    expect_load_error("tests/data/pts_ok.csv", &o, ZS_EINPUT,
                      "tests/data/pts_ok.csv:1:1: no column 'weight' in header (columns: id, x, y, type, parcels, zone)",
                      "non-default column name absent");
    zs_points_opts_defaults(&o);
    o.col_zone = "courier";
    expect_load_error("tests/data/pts_ok.csv", &o, ZS_EINPUT,
                      "tests/data/pts_ok.csv:1:1: no column 'courier' in header (columns: id, x, y, type, parcels, zone)",
                      "zone column absent");
    zs_points_opts_defaults(&o);
    expect_load_error("tests/data/pts_dup.csv", &o, ZS_EINPUT,
                      "tests/data/pts_dup.csv:6:1: duplicate id 'A7' (first on line 4)", "duplicate id");
    expect_load_error("tests/data/pts_negparcels.csv", &o, ZS_EINPUT,
                      "tests/data/pts_negparcels.csv:3:7: column 'parcels': must be >= 0, got -2",
                      "negative parcels");
    char want[512];
    snprintf(want, sizeof want, "tests/data/pts_badtype.csv:2:7: column 'type': unknown type 'house' (valid: %s)",
             zs_ptype_all_names());
    expect_load_error("tests/data/pts_badtype.csv", &o, ZS_EINPUT, want, "unknown type");
    expect_load_error("tests/data/pts_short.csv", &o, ZS_EINPUT,
                      "tests/data/pts_short.csv:2:4: column 'y': missing (line has 2 fields, header has 4)",
                      "short line");
    expect_load_error("tests/data/pts_emptyid.csv", &o, ZS_EINPUT,
                      "tests/data/pts_emptyid.csv:2:1: column 'id': empty id", "empty id");
    expect_load_error("tests/data/pts_badnum.csv", &o, ZS_EINPUT,
                      "tests/data/pts_badnum.csv:2:5: column 'y': expected a number, got 'abc'",
                      "non-number");
    expect_load_error("tests/data/pts_header_only.csv", &o, ZS_EINPUT,
                      "tests/data/pts_header_only.csv: no data rows", "header but no rows");
    expect_load_error("tests/data/pts_empty.csv", &o, ZS_EINPUT, "tests/data/pts_empty.csv: no data rows",
                      "empty file");
    o.col_zone = "zone";
    expect_load_error("tests/data/pts_emptyzone.csv", &o, ZS_EINPUT,
                      "tests/data/pts_emptyzone.csv:2:7: column 'zone': empty zone label; set zones.unassigned: nearest to give such points the zone of the nearest labelled point",
                      "empty zone label");
    zs_points_opts_defaults(&o);
    o.col_x = "lon";
    o.col_y = "lat";
    o.lonlat = 1;
    expect_load_error("tests/data/pts_lonbad.csv", &o, ZS_EINPUT,
                      "tests/data/pts_lonbad.csv:2:3: column 'lon': longitude must be in [-180, 180], got 200",
                      "longitude out of range");
    expect_load_error("tests/data/pts_latbad.csv", &o, ZS_EINPUT,
                      "tests/data/pts_latbad.csv:2:7: column 'lat': latitude must be in [-90, 90], got 95.5",
                      "latitude out of range");
    zs_points_opts_defaults(&o);
    zs_err err;
    zs_points *p = NULL;
    CHECK(zs_points_load_csv("tests/data/nope.csv", &o, &p, &err) == ZS_EINPUT && !p,
          "missing file: input error");
    CHECK_CONTAINS(err.msg, "tests/data/nope.csv: cannot open", "missing file: message names it");
    o.default_type = 99;
    expect_load_error("tests/data/pts_ok.csv", &o, ZS_EINVAL, "points.default_type = 99; must be 0..11",
                      "bad default_type");
    zs_points_opts_defaults(&o);
    o.default_parcels = -1;
    expect_load_error("tests/data/pts_ok.csv", &o, ZS_EINVAL,
                      "points.default_parcels = -1; must be finite and >= 0", "bad default_parcels");
    zs_points_opts_defaults(&o);
    o.col_y = NULL;
    expect_load_error("tests/data/pts_ok.csv", &o, ZS_EINVAL, "points: the x and y columns must be named",
                      "NULL y column");
}

/* Same n, ids, doubles bit for bit, types, zones. */
static int same_points(const zs_points *a, const zs_points *b, int lonlat)
{
    if (a->n != b->n || !!a->zone != !!b->zone)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        if (strcmp(a->id[i], b->id[i]) != 0 || memcmp(&a->x[i], &b->x[i], sizeof(double)) ||
            memcmp(&a->y[i], &b->y[i], sizeof(double)) || a->type[i] != b->type[i] ||
            memcmp(&a->parcels[i], &b->parcels[i], sizeof(double)))
            return 0;
        if (lonlat && (memcmp(&a->lon[i], &b->lon[i], 8) || memcmp(&a->lat[i], &b->lat[i], 8)))
            return 0;
        if (a->zone && strcmp(a->zone_label[a->zone[i]], b->zone_label[b->zone[i]]) != 0)
            return 0;
    }
    return 1;
}

/* Numbers beyond the ranges (issue 22): refused at their field with the
 * range. */
static void test_ranges(void)
{
    static const struct {
        const char *text, *msg, *desc;
    } cases[] = {
        {"id,x,y,parcels\na,1e308,0,1\n", ":2:3: column 'x': metres must be in [-1e8, 1e8], got 1e+308",
         "x = 1e308"},
        {"id,x,y,parcels\na,0,-1e308,1\n", ":2:5: column 'y': metres must be in [-1e8, 1e8], got -1e+308",
         "y = -1e308"},
        {"id,x,y,parcels\na,0,0,1e308\n", ":2:7: column 'parcels': parcels a day must be in [0, 1e6], got 1e+308",
         "parcels = 1e308"},
        {"id,x,y,parcels\na,10000000,-10000000,1000000\n", NULL, "the bounds themselves are accepted"},
    };
    char path[256];
    snprintf(path, sizeof path, "%s/range.csv", tmpdir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = fopen(path, "w");
        if (!f)
            continue;
        fputs(cases[i].text, f);
        fclose(f);
        zs_points *p = NULL;
        zs_err err;
        zs_status st = zs_points_load_csv(path, NULL, &p, &err);
        if (!cases[i].msg) {
            CHECK(st == ZS_OK, "range: %s (%s)", cases[i].desc, st ? err.msg : "ok");
        } else {
            char want[512];
            snprintf(want, sizeof want, "%s%s", path, cases[i].msg);
            CHECK(st == ZS_EINPUT && strcmp(err.msg, want) == 0, "range: %s refused (%s)",
                  cases[i].desc, err.msg);
        }
        zs_points_free(p);
    }
    remove(path);
}

static void test_write_roundtrip(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/rt.csv", tmpdir);
    zs_err err;
    zs_points *p = zs_points_create(7, &err);
    CHECK(p != NULL, "create: 7 points");
    if (!p)
        return;
    CHECK(strcmp(p->id[0], "1") == 0 && strcmp(p->id[6], "7") == 0 && p->x[3] == 0.0 &&
              p->type[4] == ZS_PT_RESIDENTIAL && p->parcels[5] == 0.0 && !p->has_lonlat && !p->zone,
          "create: ids 1..7, zero values, residential");
    /* within the ranges (1e8 m, 1e6 parcels), every digit significant */
    const double vals[7] = {1.0 / 3.0, -0.0, 1e-300, 4.9e-324, 987654.32109876543, -123456.789, PI};
    for (size_t i = 0; i < 7; i++) {
        p->x[i] = vals[i];
        p->y[i] = -vals[(i + 3) % 7];
        p->parcels[i] = fabs(vals[(i + 1) % 7]);
        p->type[i] = (uint8_t)(i % ZS_PT_COUNT);
    }
    zs_status st = zs_points_write_csv(p, path, &err);
    CHECK(st == ZS_OK, "write: ok");
    zs_points *q = NULL;
    st = zs_points_load_csv(path, NULL, &q, &err);
    CHECK(st == ZS_OK && q && same_points(p, q, 0), "write -> load round-trips bit-exactly (%s)",
          st ? err.msg : "ok");
    zs_points_free(q);
    zs_points_free(p);

    /* Ids needing quotes and zone labels survive too. */
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    o.col_zone = "zone";
    p = NULL;
    q = NULL;
    zs_points_load_csv("tests/data/pts_ok.csv", &o, &p, &err);
    st = p ? zs_points_write_csv(p, path, &err) : ZS_EINTERNAL;
    if (st == ZS_OK)
        st = zs_points_load_csv(path, &o, &q, &err);
    CHECK(st == ZS_OK && q && same_points(p, q, 0), "write -> load: quoted ids and zones round-trip");
    FILE *f = fopen(path, "r");
    char line[256] = "";
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    CHECK(strcmp(line, "id,x,y,type,parcels,zone\n") == 0, "write: header id,x,y,type,parcels,zone");
    zs_points_free(q);
    zs_points_free(p);

    p = zs_points_create(2, &err);
    if (p) {
        char bad[300];
        snprintf(bad, sizeof bad, "%s/no/such/dir/out.csv", tmpdir);
        CHECK(zs_points_write_csv(p, bad, &err) == ZS_EIO, "write into a missing directory: i/o error");
        CHECK_CONTAINS(err.msg, bad, "write failure: message names the file");
        zs_points_free(p);
    }
    remove(path);
}

/* The road-condition column: read when named, checked (>= 1), written back. */
static void test_road(void)
{
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    zs_err err;
    zs_points *p = NULL, *q = NULL;
    zs_status st = zs_points_load_csv("scenarios/tests/data/road-12.csv", &o, &p, &err);
    CHECK(st == ZS_OK && p && !p->road, "road: no road column named, no factors (all 1)");
    zs_points_free(p);
    p = NULL;
    o.col_road = "road";
    st = zs_points_load_csv("scenarios/tests/data/road-12.csv", &o, &p, &err);
    CHECK(st == ZS_OK && p && p->road && p->road[0] == 1.0 && p->road[4] == 1.5 &&
              p->road[10] == 2.5,
          "road: factors read (A1 1, B1 1.5, C3 2.5) (%s)", st ? err.msg : "ok");
    char path[256];
    snprintf(path, sizeof path, "%s/road.csv", tmpdir);
    st = p ? zs_points_write_csv(p, path, &err) : ZS_EINTERNAL;
    if (st == ZS_OK)
        st = zs_points_load_csv(path, &o, &q, &err);
    int same = st == ZS_OK && q && q->road && q->n == p->n;
    for (size_t i = 0; same && i < p->n; i++)
        same = q->road[i] == p->road[i];
    CHECK(same, "road: write -> load round-trips the factors");
    zs_points_free(q);
    zs_points_free(p);
    remove(path);
    expect_load_error("scenarios/tests/data/road-bad.csv", &o, ZS_EINPUT,
                      "scenarios/tests/data/road-bad.csv:3:28: column 'road': a road factor must be in [1, 100], got 0.5",
                      "road factor below 1");
    o.col_road = "lanes";
    expect_load_error("scenarios/tests/data/road-12.csv", &o, ZS_EINPUT,
                      "scenarios/tests/data/road-12.csv:1:1: no column 'lanes' in header (columns: id, x, y, type, parcels, road)",
                      "road column named but absent");
}

static void test_index(void)
{
    zs_err err;
    zs_points *p = zs_points_create(3, &err);
    if (!p) {
        CHECK(0, "index: create");
        return;
    }
    CHECK(zs_points_number_ids(p, "Z", 4, &err) == ZS_OK && strcmp(p->id[0], "Z0001") == 0 &&
              zs_points_find(p, "Z0003") == 2 && zs_points_find(p, "3") == -1,
          "number_ids: prefix and padding, index rebuilt");
    char *saved = p->id[2];
    p->id[2] = p->id[0];
    CHECK(zs_points_index_ids(p, &err) == ZS_EINPUT &&
              strcmp(err.msg, "duplicate id 'Z0001' (points 1 and 3)") == 0,
          "index_ids: duplicate reported with 1-based points (got '%s')", err.msg);
    CHECK(zs_points_find(p, "Z0002") == 1 && p->id_slot_cap == 0,
          "index_ids failure: no index, find falls back to a scan");
    p->id[2] = saved;
    CHECK(zs_points_index_ids(p, &err) == ZS_OK && zs_points_find(p, "Z0003") == 2,
          "index_ids: rebuilt after fixing the ids");
    zs_points_free(p);

    /* Find must be O(1) expected: 300,000 lookups in a 300,000-point set
     * take well under a second; a scan would take minutes. */
    size_t n = 300000;
    p = zs_points_create(n, &err);
    size_t found = 0;
    if (p) {
        char id[32];
        for (size_t i = 0; i < n; i++) {
            snprintf(id, sizeof id, "%zu", i + 1);
            found += zs_points_find(p, id) == (long)i;
        }
        snprintf(id, sizeof id, "%zu", n + 1);
        CHECK(zs_points_find(p, id) == -1, "large: id past the end not found");
    }
    CHECK(found == n, "large: all %zu ids found at their index via the hash index", n);
    zs_points_free(p);
}

static void test_project(void)
{
    zs_points q;
    memset(&q, 0, sizeof q);
    q.has_lonlat = 1;
    q.lon0 = 120.0;
    q.lat0 = 30.0;
    double x, y;
    zs_points_project(&q, 120.0, 30.0, &x, &y);
    CHECK(x == 0.0 && y == 0.0, "project: origin maps to (0, 0)");
    zs_points_project(&q, 121.0, 31.0, &x, &y);
    CHECK_NEAR(y, R_M * PI / 180.0, 1e-6, "project: one degree of latitude = R*pi/180 m");
    CHECK_NEAR(x, R_M * PI / 180.0 * cos(30.0 * PI / 180.0), 1e-6,
               "project: one degree of longitude shrinks by cos(lat0)");
}

static void test_alloc_failures(void)
{
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    o.col_zone = "zone";
    int ok_at = -1, bad = 0;
    for (long i = 0; i < 500 && ok_at < 0; i++) {
        zs_err err;
        zs_err_clear(&err);
        zs_points *p = NULL;
        zs_alloc_fail_after(i);
        zs_status st = zs_points_load_csv("tests/data/pts_ok.csv", &o, &p, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK && p && p->n == 3)
            ok_at = (int)i;
        else if (st != ZS_ENOMEM || p)
            bad++;
        zs_points_free(p);
    }
    CHECK(ok_at > 0, "alloc sweep load: succeeds after %d allocations", ok_at);
    CHECK(bad == 0, "alloc sweep load: every failure is ZS_ENOMEM with no points");

    ok_at = -1;
    bad = 0;
    for (long i = 0; i < 100 && ok_at < 0; i++) {
        zs_err err;
        zs_alloc_fail_after(i);
        zs_points *p = zs_points_create(5, &err);
        zs_alloc_fail_after(-1);
        if (p)
            ok_at = (int)i;
        else if (err.code != ZS_ENOMEM)
            bad++;
        zs_points_free(p);
    }
    CHECK(ok_at > 0 && bad == 0, "alloc sweep create: ZS_ENOMEM until it succeeds (%d)", ok_at);

    zs_err err;
    zs_points *p = zs_points_create(5, &err);
    ok_at = -1;
    bad = 0;
    for (long i = 0; p && i < 100 && ok_at < 0; i++) {
        zs_alloc_fail_after(i);
        zs_status st = zs_points_number_ids(p, "Q", 3, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            ok_at = (int)i;
        else if (st != ZS_ENOMEM || strcmp(p->id[4], "5") != 0 || zs_points_find(p, "5") != 4)
            bad++;
    }
    CHECK(ok_at > 0 && bad == 0 && p && strcmp(p->id[4], "Q005") == 0,
          "alloc sweep number_ids: old ids and index kept on failure");
    ok_at = -1;
    bad = 0;
    for (long i = 0; p && i < 100 && ok_at < 0; i++) {
        zs_alloc_fail_after(i);
        zs_status st = zs_points_index_ids(p, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            ok_at = (int)i;
        else if (st != ZS_ENOMEM || zs_points_find(p, "Q002") != 1)
            bad++;
    }
    CHECK(ok_at == 1 && bad == 0, "alloc sweep index_ids: ZS_ENOMEM, find still works by scanning");
    zs_points_free(p);
}

static void test_lade(void)
{
    char path[1024];
    if (!zs_shared_file(path, sizeof path, "lade-pickup-subset/pickup_hangzhou_subset.csv",
                        "LaDe Hangzhou tests"))
        return;
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    o.col_id = "order_id";
    o.col_x = "lng";
    o.col_y = "lat";
    o.col_zone = "courier_id";
    o.col_type = NULL;
    o.col_parcels = NULL;
    o.lonlat = 1;
    zs_err err;
    zs_points *p = NULL;
    zs_status st = zs_points_load_csv(path, &o, &p, &err);
    CHECK(st == ZS_OK && p, "LaDe: Hangzhou subset loads (%s)", st ? err.msg : "ok");
    if (!p)
        return;
    CHECK(p->n == 1156, "LaDe: 1156 points (got %zu)", p->n);
    CHECK(p->n_zone_labels == 262, "LaDe: 262 couriers as zone labels (got %zu)", p->n_zone_labels);
    CHECK(p->has_lonlat && fabs(p->lon0 - 120.0759723) < 1e-6 && fabs(p->lat0 - 30.2144271) < 1e-6,
          "LaDe: projection origin is the mean lon/lat (120.07597, 30.21443)");
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY, sx = 0, sy = 0;
    for (size_t i = 0; i < p->n; i++) {
        xmin = fmin(xmin, p->x[i]);
        xmax = fmax(xmax, p->x[i]);
        ymin = fmin(ymin, p->y[i]);
        ymax = fmax(ymax, p->y[i]);
        sx += p->x[i];
        sy += p->y[i];
    }
    printf("      LaDe Hangzhou extent: %.1f x %.1f km\n", (xmax - xmin) / 1e3, (ymax - ymin) / 1e3);
    CHECK(xmax - xmin > 5e3 && xmax - xmin < 300e3 && ymax - ymin > 5e3 && ymax - ymin < 300e3,
          "LaDe: projected extent plausible for a city region (5-300 km)");
    CHECK(fabs(sx / (double)p->n) < 1e-6 && fabs(sy / (double)p->n) < 1e-6,
          "LaDe: projected points centred on the origin");
    long k = zs_points_find(p, "4712525");
    CHECK(k == 100 && p->lon[k] == 120.23469 && p->lat[k] == 30.41644 &&
              strcmp(p->zone_label[p->zone[k]], "3197") == 0,
          "LaDe: order 4712525 found at row 101 with its lon/lat and courier 3197");
    CHECK(zs_points_find(p, "4821650") == 0 && zs_points_find(p, "821635") == 1155,
          "LaDe: first and last orders found");
    CHECK(p->type[0] == ZS_PT_RESIDENTIAL && p->parcels[0] == 1.0, "LaDe: default type and parcels");
    double x, y;
    zs_points_project(p, p->lon[k], p->lat[k], &x, &y);
    CHECK(x == p->x[k] && y == p->y[k], "LaDe: zs_points_project reproduces the loaded x/y exactly");

    /* Written and reloaded in degrees, the projection is recomputed bit
     * for bit; reloaded in metres, x/y are kept bit for bit. */
    char out[256];
    snprintf(out, sizeof out, "%s/lade.csv", tmpdir);
    zs_points *q = NULL, *r = NULL;
    st = zs_points_write_csv(p, out, &err);
    zs_points_opts o2;
    zs_points_opts_defaults(&o2);
    o2.col_x = "lon";
    o2.col_y = "lat";
    o2.lonlat = 1;
    o2.col_zone = "zone";
    if (st == ZS_OK)
        st = zs_points_load_csv(out, &o2, &q, &err);
    CHECK(st == ZS_OK && q && same_points(p, q, 1), "LaDe: write -> load as lon/lat round-trips bit-exactly");
    zs_points_opts_defaults(&o2);
    o2.col_zone = "zone";
    if (st == ZS_OK)
        st = zs_points_load_csv(out, &o2, &r, &err);
    CHECK(st == ZS_OK && r && same_points(p, r, 0), "LaDe: write -> load as metres keeps x/y bit-exactly");
    zs_points_free(q);
    zs_points_free(r);
    zs_points_free(p);
    remove(out);
}

/* A row filter keeps one group of a larger file and skips the rest
 * unvalidated; a filter matching nothing says so. */
static void test_filter(void)
{
    const char *path = "scenarios/tests/data/points-12.csv";
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    o.filter_col = "type";
    o.filter_value = "residential";
    zs_points *p = NULL;
    zs_err err;
    zs_status st = zs_points_load_csv(path, &o, &p, &err);
    CHECK(st == ZS_OK && p && p->n == 6, "filter type = residential keeps the 6 residential rows");
    CHECK(p && !strcmp(p->id[0], "A1") && !strcmp(p->id[5], "C4"), "filtered rows keep file order");
    zs_points_free(p);
    p = NULL;
    o.filter_value = "castle";
    st = zs_points_load_csv(path, &o, &p, &err);
    CHECK(st == ZS_EINPUT && !p, "a filter matching no row is an input error");
    CHECK_CONTAINS(err.msg, "points-12.csv: no data rows with type = castle", "no-match message");
    o.filter_col = "region";
    st = zs_points_load_csv(path, &o, &p, &err);
    CHECK_CONTAINS(err.msg, "points-12.csv:1:1: no column 'region' in header", "missing filter column");
}

/* A GBK file: column names and zone labels arrive as UTF-8. */
static void test_encoding(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/gbk.csv", tmpdir);
    /* id,x,y,快递员 / 1,0,0,张三 / 2,10,0,李四 */
    const char gbk[] = "id,x,y,\xbf\xec\xb5\xdd\xd4\xb1\n1,0,0,\xd5\xc5\xc8\xfd\n2,10,0,\xc0\xee\xcb\xc4\n";
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(gbk, 1, sizeof gbk - 1, f) != sizeof gbk - 1) {
        printf("FAIL: cannot write %s\n", path);
        if (f)
            fclose(f);
        return;
    }
    fclose(f);
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    o.col_zone = "\xe5\xbf\xab\xe9\x80\x92\xe5\x91\x98"; /* 快递员 in UTF-8 */
    o.encoding = "gbk";
    o.encoding_setting = "points.encoding";
    zs_points *p = NULL;
    zs_err err;
    zs_err_clear(&err);
    zs_status st = zs_points_load_csv(path, &o, &p, &err);
    CHECK(st == ZS_OK && p && p->n == 2, "gbk points load (%s)", err.msg);
    if (p) {
        CHECK(p->n_zone_labels == 2 && !strcmp(p->zone_label[0], "\xe5\xbc\xa0\xe4\xb8\x89") &&
                  !strcmp(p->zone_label[1], "\xe6\x9d\x8e\xe5\x9b\x9b"),
              "gbk zone labels are UTF-8");
        zs_points_free(p);
    }
    o.encoding = NULL;
    char want[512];
    snprintf(want, sizeof want,
             "%s:1:8: not valid UTF-8 (looks like GBK/GB18030: set points.encoding: gb18030)", path);
    expect_load_error(path, &o, ZS_EINPUT, want, "gbk points without an encoding");
    o.encoding = "no-such-encoding";
    expect_load_error(path, &o, ZS_EINVAL,
                      "unknown encoding 'no-such-encoding' (e.g. utf-8, gbk, gb18030, big5, latin1; "
                      "`iconv -l` lists them)",
                      "unknown encoding");
    remove(path);
}

static int put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0) {
        printf("FAIL: cannot write %s\n", path);
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

/* points.skip_missing: rows without a coordinate are skipped and noted, or
 * an error at the field naming the setting. */
static void test_skip_missing(void)
{
    char path[256], want[512];
    snprintf(path, sizeof path, "%s/missing.csv", tmpdir);
    /* line 3: empty x; 5: NA y; 6: blanks; 7: nan; 8: null; 9: the id of a
     * skipped row, itself without x (a skipped row is not validated). */
    if (put_file(path, "id,x,y\n1,0,0\n2,,5\n3,10,0\n4,3,NA\n5,  ,7\n6,nan,1\n"
                       "7,2,NULL\n2,,1\n8,5,5\n9,6,6\n10,7,7\n") < 0)
        return;
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    snprintf(want, sizeof want,
             "%s:3:3: column 'x': missing coordinate (''); set points.skip_missing: true to "
             "skip such rows", path);
    expect_load_error(path, &o, ZS_EINPUT, want, "an empty x without skip_missing");
    o.skip_setting = "--skip-missing";
    snprintf(want, sizeof want,
             "%s:3:3: column 'x': missing coordinate (''); set --skip-missing to skip such rows",
             path);
    expect_load_error(path, &o, ZS_EINPUT, want, "the hint names the caller's setting");
    o.skip_missing = 1;
    zs_points *p = NULL;
    zs_err err;
    zs_err_clear(&err);
    zs_status st = zs_points_load_csv(path, &o, &p, &err);
    CHECK(st == ZS_OK && p && p->n == 5, "skip_missing: 5 of 11 rows kept (%s)", err.msg);
    if (p) {
        CHECK(p->n_skipped == 6, "six rows skipped (got %zu)", p->n_skipped);
        CHECK(p->skipped_line[0] == 3 && p->skipped_line[1] == 5 && p->skipped_line[2] == 6 &&
                  p->skipped_line[3] == 7 && p->skipped_line[4] == 8,
              "the first five skipped lines: 3, 5, 6, 7, 8");
        CHECK(!strcmp(p->id[1], "3") && p->x[1] == 10.0 && !strcmp(p->id[4], "10"),
              "kept rows in file order");
        CHECK(zs_points_find(p, "2") < 0, "a skipped row's id is not a point");
        zs_points_free(p);
    }
    /* Every row skipped: no data rows, saying how many were skipped. */
    if (put_file(path, "id,x,y\n1,,0\n2,1,\n") < 0)
        return;
    snprintf(want, sizeof want, "%s: no data rows with both coordinates (2 skipped)", path);
    expect_load_error(path, &o, ZS_EINPUT, want, "every row without a coordinate");
    remove(path);
}

/* zones.unassigned: an empty zone label is an error, or takes the zone of
 * the nearest labelled point. */
static void test_unassigned(void)
{
    char path[256], want[512];
    snprintf(path, sizeof path, "%s/unassigned.csv", tmpdir);
    /* A at x 0..2, B at x 100..102; u1 (x 3) is nearest A, u2 (x 98) nearest
     * B, u3 (x 51) is 49 from A's (2, 0) and 49 from B's (100, 0): a tie, the
     * lower index (A's point) wins. */
    if (put_file(path, "id,x,y,zone\na1,0,0,A\nu1,3,0,\na2,2,0,A\nb1,100,0,B\nu2,98,0,\n"
                       "b2,102,0,B\nu3,51,0,\n") < 0)
        return;
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    o.col_zone = "zone";
    snprintf(want, sizeof want,
             "%s:3:8: column 'zone': empty zone label; set zones.unassigned: nearest to give "
             "such points the zone of the nearest labelled point", path);
    expect_load_error(path, &o, ZS_EINPUT, want, "an empty zone label by default");
    o.unassigned_nearest = 1;
    zs_points *p = NULL;
    zs_err err;
    zs_err_clear(&err);
    zs_status st = zs_points_load_csv(path, &o, &p, &err);
    CHECK(st == ZS_OK && p && p->n == 7, "unassigned nearest: 7 points load (%s)", err.msg);
    if (p) {
        CHECK(p->n_zone_labels == 2 && p->n_unassigned == 3, "2 labels, 3 unassigned points");
        CHECK(p->unassigned_line[0] == 3 && p->unassigned_line[1] == 6 &&
                  p->unassigned_line[2] == 8, "unassigned lines 3, 6, 8");
        CHECK(p->zone[1] == 0 && p->zone[4] == 1 && p->zone[6] == 0,
              "u1 -> A, u2 -> B, u3 (a tie) -> A, the lower index");
        zs_points_free(p);
    }
    if (put_file(path, "id,x,y,zone\n1,0,0,\n2,1,0,\n") < 0)
        return;
    snprintf(want, sizeof want, "%s: column 'zone': every zone label is empty", path);
    expect_load_error(path, &o, ZS_EINPUT, want, "every zone label empty");
    remove(path);

    /* zs_points_zone_nearest alone: unlabelled points never pass a zone on. */
    double x[4] = {0, 10, 11, 12}, y[4] = {0, 0, 0, 0};
    int32_t zone[4] = {3, -1, -1, -1};
    size_t filled = 0;
    st = zs_points_zone_nearest(x, y, 4, zone, &filled, &err);
    CHECK(st == ZS_OK && filled == 3 && zone[1] == 3 && zone[2] == 3 && zone[3] == 3,
          "zone_nearest: a chain of unlabelled points all take the one labelled zone");
    int32_t none[2] = {-1, -1};
    st = zs_points_zone_nearest(x, y, 2, none, &filled, &err);
    CHECK(st == ZS_EINPUT && strstr(err.msg, "no point has a zone"), "zone_nearest: no label at all");
}

/* Degrees read as metres are recognised; metres and lon/lat are not flagged. */
static void test_degrees(void)
{
    char path[256], hint[200];
    snprintf(path, sizeof path, "%s/deg.csv", tmpdir);
    if (put_file(path, "id,x,y\n1,120.10,30.20\n2,120.15,30.25\n3,120.12,30.21\n") < 0)
        return;
    zs_points *p = NULL;
    zs_err err;
    zs_status st = zs_points_load_csv(path, NULL, &p, &err);
    CHECK(st == ZS_OK && p && zs_points_look_like_degrees(p, hint, sizeof hint),
          "lon/lat read as metres look like degrees");
    CHECK(p && !strcmp(hint, "x in [120.1, 120.15] and y in [30.2, 30.25]: an area 0.05 x 0.05 m"),
          "the hint gives both ranges and the span (%s)", hint);
    zs_points_free(p);
    p = NULL;
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    o.lonlat = 1;
    st = zs_points_load_csv(path, &o, &p, &err);
    CHECK(st == ZS_OK && p && !zs_points_look_like_degrees(p, hint, sizeof hint),
          "the same file with lonlat: no warning");
    zs_points_free(p);
    p = NULL;
    /* 50 m across near the origin: as degrees that would be 5,000 km. */
    if (put_file(path, "id,x,y\n1,0,0\n2,50,20\n3,10,40\n") < 0)
        return;
    st = zs_points_load_csv(path, NULL, &p, &err);
    CHECK(st == ZS_OK && p && !zs_points_look_like_degrees(p, hint, sizeof hint),
          "a 50 m set near the origin is metres");
    zs_points_free(p);
    p = NULL;
    if (put_file(path, "id,x,y\n1,500000,3300000\n2,500010,3300003\n") < 0)
        return;
    st = zs_points_load_csv(path, NULL, &p, &err);
    CHECK(st == ZS_OK && p && !zs_points_look_like_degrees(p, hint, sizeof hint),
          "UTM-like metres are metres");
    zs_points_free(p);
    remove(path);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        printf("FAIL: mkdtemp\n");
        return 1;
    }
    test_load_ok();
    test_load_errors();
    test_ranges();
    test_write_roundtrip();
    test_road();
    test_index();
    test_project();
    test_alloc_failures();
    test_lade();
    test_filter();
    test_encoding();
    test_skip_missing();
    test_unassigned();
    test_degrees();
    rmdir(tmpdir);
    return zs_test_done();
}
