/*
 * tests/test_h5out.c -- the results file: layout, round trip, error paths.
 *
 * Inputs (points, plans, simulation results, summaries) are built by hand
 * with known values, so this test depends only on engine/h5out.c and
 * models/.  The layout is checked with the hdf5-tools programs (h5ls,
 * h5dump), which see the file as any reader does.
 */
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results/h5out.h"
#include "results/version.h"
#include "models/alloc.h"
#include "models/calendar.h"
#include "models/ptype.h"
#include "models/rng.h"


#define NP 7      /* points */
#define REPS 3
#define DAYS 4
#define NPLANS 3  /* "zeta" k = 2, "alpha" k = 3, "mid" k = 2 not simulated */

/* ---- fixture ------------------------------------------------------------- */

typedef struct {
    zs_points pts;
    zs_partition part[NPLANS];
    zs_sim_result sim[NPLANS];
    zs_plan_summary sum[NPLANS];
    zs_h5_plan plan[NPLANS];
    int64_t day_number[DAYS];
    zs_stat paired_work[NPLANS], paired_ot[NPLANS];
    zs_results res;
} fixture;

/* Distinct, exactly representable values (and one 1/3 for rounding). */
static void fill_stat(zs_stat *s, double base)
{
    s->mean = base + 0.125;
    s->sd = base / 3.0;
    s->ci_lo = base - 1.5;
    s->ci_hi = base + 1.75;
    s->p10 = base - 2;
    s->p50 = base + 0.5;
    s->p90 = base + 3;
    s->min = base - 4;
    s->max = base + 5;
}

static char *dup_or_die(const char *s)
{
    char *d = zs_strdup(s);
    if (!d) {
        fprintf(stderr, "out of memory building the fixture\n");
        exit(1);
    }
    return d;
}

static void *calloc_or_die(size_t n, size_t size)
{
    void *p = zs_calloc(n, size);
    if (!p) {
        fprintf(stderr, "out of memory building the fixture\n");
        exit(1);
    }
    return p;
}

/* Points: n; plan p: k zones of n points (zone = j % k); when sim, reps x
 * days values v = 1000 m + 100 r + 10 d + z + 0.5. */
static void build_points(zs_points *p, size_t n, int with_extras)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    p->id = calloc_or_die(n, sizeof *p->id);
    p->x = calloc_or_die(n, sizeof *p->x);
    p->y = calloc_or_die(n, sizeof *p->y);
    p->type = calloc_or_die(n, sizeof *p->type);
    p->parcels = calloc_or_die(n, sizeof *p->parcels);
    for (size_t j = 0; j < n; j++) {
        char id[32];
        snprintf(id, sizeof id, "p%zu", j + 1);
        p->id[j] = dup_or_die(id);
        p->x[j] = 100.0 * (double)j + 0.25;
        p->y[j] = -50.0 * (double)j;
        p->type[j] = (uint8_t)(j % ZS_PT_COUNT);
        p->parcels[j] = 1.0 + (double)j;
    }
    if (!with_extras)
        return;
    p->has_lonlat = 1;
    p->lon0 = 116.4;
    p->lat0 = 39.9;
    p->lon = calloc_or_die(n, sizeof *p->lon);
    p->lat = calloc_or_die(n, sizeof *p->lat);
    p->zone = calloc_or_die(n, sizeof *p->zone);
    p->n_zone_labels = 2;
    p->zone_label = calloc_or_die(2, sizeof *p->zone_label);
    p->zone_label[0] = dup_or_die("A-courier");
    p->zone_label[1] = dup_or_die("B-courier");
    for (size_t j = 0; j < n; j++) {
        p->lon[j] = 116.4 + 0.001 * (double)j;
        p->lat[j] = 39.9 - 0.001 * (double)j;
        p->zone[j] = (int32_t)(j < n / 2 ? 0 : 1);
    }
}

static void free_points(zs_points *p)
{
    for (size_t j = 0; j < p->n; j++)
        zs_free(p->id[j]);
    zs_free(p->id);
    zs_free(p->x);
    zs_free(p->y);
    zs_free(p->type);
    zs_free(p->parcels);
    zs_free(p->lon);
    zs_free(p->lat);
    zs_free(p->zone);
    for (size_t z = 0; z < p->n_zone_labels; z++)
        zs_free(p->zone_label[z]);
    zs_free(p->zone_label);
}

static void build_partition(zs_partition *pa, size_t n, size_t k, const char *method, int idx)
{
    memset(pa, 0, sizeof *pa);
    pa->n = n;
    pa->k = k;
    pa->zone = calloc_or_die(n, sizeof *pa->zone);
    pa->cx = calloc_or_die(k, sizeof *pa->cx);
    pa->cy = calloc_or_die(k, sizeof *pa->cy);
    pa->label = calloc_or_die(k, sizeof *pa->label);
    for (size_t j = 0; j < n; j++)
        pa->zone[j] = (int32_t)(j % k);
    for (size_t z = 0; z < k; z++) {
        char lab[32];
        snprintf(lab, sizeof lab, "Z%d-%zu", idx, z + 1);
        pa->label[z] = dup_or_die(lab);
        pa->cx[z] = 10.0 * (double)z;
        pa->cy[z] = -10.0 * (double)z;
    }
    pa->objective = 12345.5 + idx;
    pa->iterations = 7 + idx;
    pa->converged = 1;
    pa->runtime_s = 0.25;
    snprintf(pa->method, sizeof pa->method, "%s", method);
    snprintf(pa->status, sizeof pa->status, "%s", idx == 1 ? "given" : "converged");
}

static void free_partition(zs_partition *pa)
{
    for (size_t z = 0; z < pa->k; z++)
        zs_free(pa->label[z]);
    zs_free(pa->label);
    zs_free(pa->zone);
    zs_free(pa->cx);
    zs_free(pa->cy);
}

static void build_sim(zs_sim_result *s, size_t reps, size_t days, size_t zones, int values)
{
    memset(s, 0, sizeof *s);
    s->reps = reps;
    s->days = days;
    s->zones = zones;
    s->rep_begin = 10;
    s->n_metrics = ZS_M_COUNT; /* the day model's metrics too */
    for (int m = 0; m < ZS_M_COUNT; m++) {
        s->v[m] = calloc_or_die(reps * days * zones, sizeof(double));
        if (values)
            for (size_t r = 0; r < reps; r++)
                for (size_t d = 0; d < days; d++)
                    for (size_t z = 0; z < zones; z++)
                        s->v[m][(r * days + d) * zones + z] =
                            1000.0 * m + 100.0 * (double)r + 10.0 * (double)d + (double)z + 0.5;
    }
}

static void free_sim(zs_sim_result *s)
{
    for (int m = 0; m < ZS_M_COUNT; m++)
        zs_free(s->v[m]);
}

static void build_summary(zs_plan_summary *s, size_t zones, int idx)
{
    memset(s, 0, sizeof *s);
    s->zones = zones;
    s->n_metrics = ZS_M_COUNT;
    for (int m = 0; m < ZS_M_COUNT; m++) {
        s->zone[m] = calloc_or_die(zones, sizeof(zs_stat));
        for (size_t z = 0; z < zones; z++)
            fill_stat(&s->zone[m][z], 10000.0 * idx + 100.0 * m + (double)z);
        fill_stat(&s->day[m], 20000.0 + 10000.0 * idx + m);
        fill_stat(&s->zoneday[m], 40000.0 + 10000.0 * idx + m);
    }
    s->work_maxmin = 1.0 + idx / 7.0;
    s->work_cv = 0.1 / (idx + 3);
    s->overtime_share = 0.375;
}

static void free_summary(zs_plan_summary *s)
{
    for (int m = 0; m < ZS_M_COUNT; m++)
        zs_free(s->zone[m]);
}

static void build_fixture(fixture *fx)
{
    static const char *const names[NPLANS] = {"zeta", "alpha", "mid"};
    static const size_t k[NPLANS] = {2, 3, 2};
    memset(fx, 0, sizeof *fx);
    build_points(&fx->pts, NP, 1);
    zs_date start = {2026, 3, 2}; /* a Monday */
    for (size_t d = 0; d < DAYS; d++)
        fx->day_number[d] = zs_date_to_days(start) + (int64_t)d;
    for (int p = 0; p < NPLANS; p++) {
        build_partition(&fx->part[p], NP, k[p], p == 1 ? "manual" : "kmeans", p);
        fx->plan[p].name = names[p];
        fx->plan[p].part = &fx->part[p];
        if (p < 2) {
            build_sim(&fx->sim[p], REPS, DAYS, k[p], 1);
            build_summary(&fx->sum[p], k[p], p);
            fx->plan[p].sim = &fx->sim[p];
            fx->plan[p].summary = &fx->sum[p];
        }
        if (p > 0) {
            fill_stat(&fx->paired_work[p], -100.0 * p);
            fill_stat(&fx->paired_ot[p], -7.0 * p);
        }
    }
    fx->res = (zs_results){
        .scenario_text = "name: test\nseed: 42\n",
        .scenario_path = "scenarios/test.yaml",
        .scenario_name = NULL, /* written as "" */
        .seed = UINT64_C(0xFEDCBA9876543210),
        .points = &fx->pts,
        .depot_x = 12.5,
        .depot_y = -3.25,
        .shift_min = 480.0,
        .reps = REPS,
        .days = DAYS,
        .day_number = fx->day_number,
        .n_plans = NPLANS,
        .plans = fx->plan,
        .paired_work = fx->paired_work,
        .paired_overtime = fx->paired_ot,
    };
}

static void free_fixture(fixture *fx)
{
    free_points(&fx->pts);
    for (int p = 0; p < NPLANS; p++) {
        free_partition(&fx->part[p]);
        if (p < 2) {
            free_sim(&fx->sim[p]);
            free_summary(&fx->sum[p]);
        }
    }
}

/* ---- helpers --------------------------------------------------------------- */

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Any temporary of path left (path.tmp or path.<pid>.<n>.tmp). */
static int tmp_exists(const char *path)
{
    return zs_t_tmp_left(path);
}

/* Runs cmd and returns its output (stdout + stderr) in buf. */
static const char *capture(const char *cmd, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *p = popen(cmd, "r");
    if (!p)
        return buf;
    size_t used = 0, got;
    while (used + 1 < size && (got = fread(buf + used, 1, size - 1 - used, p)) > 0)
        used += got;
    buf[used] = '\0';
    pclose(p);
    return buf;
}

static int stat_equal(const zs_stat *a, const zs_stat *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_round_trip(const char *dir)
{
    fixture fx;
    build_fixture(&fx);
    char path[1024], cmd[2300], out[1 << 16];
    snprintf(path, sizeof path, "%s/run.h5", dir);
    zs_err err;
    zs_err_clear(&err);

    zs_status st = zs_h5out_write(path, &fx.res, &err);
    CHECK(st == ZS_OK, "write: a 3-plan result is written (%s)", err.msg);
    CHECK(exists(path), "write: the file exists");
    CHECK(!tmp_exists(path), "write: no .tmp file is left");
    CHECK(zs_h5out_open_objects() == 0, "write: no HDF5 object left open (%ld)",
          zs_h5out_open_objects());

    /* Writing over an existing results file replaces it. */
    st = zs_h5out_write(path, &fx.res, &err);
    CHECK(st == ZS_OK && exists(path) && !tmp_exists(path),
          "write: an existing file is replaced through the .tmp rename");

    zs_h5_overview *o = NULL;
    st = zs_h5out_read_overview(path, &o, &err);
    CHECK(st == ZS_OK && o, "read: the overview is read back (%s)", st ? err.msg : "");
    CHECK(zs_h5out_open_objects() == 0, "read: no HDF5 object left open");
    if (o) {
        CHECK(o->layout_version == ZS_H5_LAYOUT, "read: layout_version = %d", ZS_H5_LAYOUT);
        CHECK(!strcmp(o->engine_version, ZS_VERSION), "read: engine_version = ZS_VERSION");
        CHECK(strlen(o->created_utc) == 20 && o->created_utc[4] == '-' &&
                  o->created_utc[10] == 'T' && o->created_utc[19] == 'Z',
              "read: created_utc looks like YYYY-MM-DDTHH:MM:SSZ (%s)", o->created_utc);
        CHECK(!strcmp(o->scenario_name, ""), "read: a NULL scenario_name reads back as \"\"");
        CHECK(o->seed == UINT64_C(0xFEDCBA9876543210), "read: the 64-bit seed is exact");
        CHECK(o->reps == REPS && o->days == DAYS && o->n_points == NP,
              "read: replications, days and point count");
        CHECK(o->shift_min == 480.0, "read: shift_min");
        CHECK(o->n_plans == NPLANS, "read: %d plans", NPLANS);
    }
    if (o && o->n_plans == NPLANS) {
        int order_ok = 1, meta_ok = 1, labels_ok = 1, zone_ok = 1, agg_ok = 1;
        for (int p = 0; p < NPLANS; p++) {
            const zs_h5_plan_overview *po = &o->plans[p];
            const zs_partition *pa = &fx.part[p];
            order_ok &= !strcmp(po->name, fx.plan[p].name);
            meta_ok &= !strcmp(po->method, pa->method) && !strcmp(po->status, pa->status) &&
                       po->k == pa->k && po->n_points == NP;
            for (size_t z = 0; z < pa->k && po->label; z++)
                labels_ok &= !strcmp(po->label[z], pa->label[z]);
            labels_ok &= po->label != NULL;
            if (p == 2 || !po->summary)
                continue;
            const zs_plan_summary *a = po->summary, *b = &fx.sum[p];
            for (int m = 0; m < ZS_M_COUNT; m++) {
                for (size_t z = 0; z < b->zones; z++)
                    zone_ok &= stat_equal(&a->zone[m][z], &b->zone[m][z]);
                agg_ok &= stat_equal(&a->day[m], &b->day[m]) &&
                          stat_equal(&a->zoneday[m], &b->zoneday[m]);
            }
            agg_ok &= a->zones == b->zones && a->work_maxmin == b->work_maxmin &&
                      a->work_cv == b->work_cv && a->overtime_share == b->overtime_share;
        }
        CHECK(order_ok, "read: plans come back in scenario order (zeta, alpha, mid), not name order");
        CHECK(meta_ok, "read: method, status, k and n_points of every plan");
        CHECK(labels_ok, "read: zone labels of every plan");
        CHECK(o->plans[0].summary && o->plans[1].summary, "read: simulated plans have summaries");
        CHECK(o->plans[2].summary == NULL, "read: the plan without simulation has no summary");
        CHECK(zone_ok, "read: every per-zone statistic is bit-exact");
        CHECK(agg_ok, "read: day totals, pooled zone-days and balance indices are bit-exact");
        zs_stat zero;
        memset(&zero, 0, sizeof zero);
        CHECK(o->paired_work && o->paired_overtime, "read: paired arrays present");
        if (o->paired_work && o->paired_overtime) {
            int ok = stat_equal(&o->paired_work[0], &zero) && stat_equal(&o->paired_overtime[0], &zero);
            for (int p = 1; p < NPLANS; p++)
                ok &= stat_equal(&o->paired_work[p], &fx.paired_work[p]) &&
                      stat_equal(&o->paired_overtime[p], &fx.paired_ot[p]);
            CHECK(ok, "read: paired differences bit-exact, entry 0 zeroed");
        }
    }
    zs_h5_overview_free(o);
    zs_h5_overview_free(NULL);
    CHECK(1, "read: zs_h5_overview_free(NULL) is a no-op");

    /* The documented layout, as h5ls sees it. */
    snprintf(cmd, sizeof cmd, "h5ls -r '%s' 2>&1", path);
    capture(cmd, out, sizeof out);
    static const char *const paths[] = {
        "/points/id ",          "/points/x_m ",          "/points/y_m ",
        "/points/type ",        "/points/parcels_mean ", "/points/lon ",
        "/points/lat ",         "/points/zone_given ",   "/points/zone_given_label ",
        "/calendar/day ",       "/calendar/date ",       "/calendar/weekday ",
        "/plans/zeta/zone ",    "/plans/alpha/label ",   "/plans/mid/centre_x_m ",
        "/plans/alpha/centre_y_m ", "/plans/zeta/n_points ", "/plans/zeta/parcels_mean ",
        "/sim/zeta/work_min ",  "/sim/alpha/overtime_min ", "/sim/zeta/stops ",
        "/summary/zeta/work_min ", "/summary/alpha/day_total ", "/summary/alpha/zone_day ",
        "/summary/paired_work_min ", "/summary/paired_overtime_min ",
    };
    int all = 1;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (!strstr(out, paths[i])) {
            all = 0;
            printf("      missing in h5ls -r: %s\n", paths[i]);
        }
    CHECK(all, "layout: h5ls -r lists every documented dataset");
    CHECK(!strstr(out, "/sim/mid"), "layout: no /sim group for the plan without simulation");
    CHECK(strstr(out, "Dataset {3, 4, 3}") != NULL && strstr(out, "/sim/alpha/work_min "),
          "layout: /sim/alpha/work_min is reps x days x zones = {3, 4, 3}");
    CHECK(strstr(out, "Dataset {7}") != NULL, "layout: per-point datasets have 7 rows");
    CHECK(strstr(out, "/summary/paired_work_min Dataset {2}") != NULL,
          "layout: paired table has n_plans - 1 = 2 rows");

    snprintf(cmd, sizeof cmd, "h5ls -v '%s/sim/zeta/work_min' 2>&1", path);
    capture(cmd, out, sizeof out);
    CHECK_CONTAINS(out, "deflate-1 OPT {4}", "layout: /sim dataset is deflated at level 4");
    CHECK_CONTAINS(out, "shuffle", "layout: /sim dataset is shuffled");
    CHECK_CONTAINS(out, "Chunks:    {3, 4, 2}", "layout: small /sim data is one chunk of all replications");

    snprintf(cmd, sizeof cmd, "h5dump -a /sim/zeta/work_min/units -a /summary/alpha/travel_min/units '%s' 2>&1", path);
    capture(cmd, out, sizeof out);
    CHECK(strstr(out, "(0): \"min\"") && !strstr(out, "\"km\""), "layout: /sim and /summary metrics carry units \"min\"");

    /* Index order: v[(r * days + d) * zones + z] lands at [r][d][z]. */
    snprintf(cmd, sizeof cmd, "h5dump -d /sim/zeta/work_min -s 1,2,1 -c 1,1,1 '%s' 2>&1", path);
    capture(cmd, out, sizeof out);
    CHECK_CONTAINS(out, "5121.5", "layout: /sim/zeta/work_min[1][2][1] = 5000 + 100 + 20 + 1 + 0.5");

    snprintf(cmd, sizeof cmd, "h5dump -A '%s' 2>&1", path);
    capture(cmd, out, sizeof out);
    CHECK_CONTAINS(out, "ATTRIBUTE \"layout_version\"", "root: layout_version attribute");
    CHECK_CONTAINS(out, "\"" ZS_RNG_NAME "\"", "root: rng name");
    char commit[160];
    snprintf(commit, sizeof commit, "\"%s\"", zs_git_commit);
    CHECK_CONTAINS(out, commit, "root: git_commit");
    CHECK_CONTAINS(out, "18364758544493064720", "root: master_seed as uint64");
    CHECK_CONTAINS(out, "H5T_STD_U64LE", "root: 64-bit unsigned attributes");
    CHECK_CONTAINS(out, "\"scenarios/test.yaml\"", "root: scenario_path");
    CHECK_CONTAINS(out, zs_h5out_library_version(), "root: hdf5_version");
    CHECK_CONTAINS(out, "\"residential\", \"office\"", "points: type names attribute in enum order");
    CHECK_CONTAINS(out, "ATTRIBUTE \"order\"", "plans: order attribute");
    CHECK_CONTAINS(out, "ATTRIBUTE \"rep_begin\"", "sim: rep_begin attribute");
    CHECK_CONTAINS(out, "ATTRIBUTE \"lon0\"", "points: lon0 attribute with lon/lat");
    CHECK_CONTAINS(out, "\"parcels/day\"", "units: parcels/day");
    CHECK_CONTAINS(out, "\"km\"", "units: km");

    snprintf(cmd, sizeof cmd, "h5dump -d /calendar/date -d /calendar/weekday -d /plans/alpha/n_points "
                              "-d /plans/zeta/parcels_mean '%s' 2>&1", path);
    capture(cmd, out, sizeof out);
    CHECK_CONTAINS(out, "\"2026-03-02\", \"2026-03-03\", \"2026-03-04\", \"2026-03-05\"",
                   "calendar: dates");
    CHECK_CONTAINS(out, "(0): 0, 1, 2, 3", "calendar: weekdays, Monday = 0");
    CHECK_CONTAINS(out, "(0): 3, 2, 2", "plans: points per zone (7 points, zone = j % 3)");
    /* zeta: zone 0 holds points 0,2,4,6 (parcels 1+3+5+7), zone 1 the rest (2+4+6). */
    CHECK_CONTAINS(out, "(0): 16, 12", "plans: parcels_mean per zone is the sum over its points");

    snprintf(cmd, sizeof cmd, "h5dump -d /summary/paired_work_min '%s' 2>&1", path);
    capture(cmd, out, sizeof out);
    CHECK_CONTAINS(out, "\"alpha\\000", "paired: plan name field");
    CHECK_CONTAINS(out, "\"zeta\\000", "paired: baseline name field");
    CHECK_CONTAINS(out, "STRSIZE 64", "paired: plan names are 64-byte strings");
    CHECK_CONTAINS(out, "H5T_STR_NULLPAD", "paired: NUL-padded");
    free_fixture(&fx);
}

/* Chunk shapes of larger /sim datasets, read off h5ls -v. */
static void check_chunk(const char *dir, size_t n, size_t reps, size_t days, const char *want,
                        const char *desc)
{
    zs_points pts;
    zs_partition pa;
    zs_sim_result s;
    build_points(&pts, n, 0);
    build_partition(&pa, n, n, "kmeans", 0);
    build_sim(&s, reps, days, n, 0);
    int64_t *dn = calloc_or_die(days, sizeof *dn);
    zs_h5_plan plan = {.name = "big", .part = &pa, .sim = &s, .summary = NULL};
    zs_results res = {.points = &pts, .shift_min = 480, .reps = reps, .days = days,
                      .day_number = dn, .n_plans = 1, .plans = &plan};
    char path[1024], cmd[1200], out[1 << 14];
    snprintf(path, sizeof path, "%s/chunk.h5", dir);
    zs_err err;
    zs_status st = zs_h5out_write(path, &res, &err);
    snprintf(cmd, sizeof cmd, "h5ls -v '%s/sim/big/stops' 2>&1", path);
    capture(cmd, out, sizeof out);
    CHECK(st == ZS_OK && strstr(out, want), "%s: %s", desc, want);
    remove(path);
    zs_free(dn);
    free_sim(&s);
    free_partition(&pa);
    free_points(&pts);
}

static void test_write_errors(const char *dir)
{
    fixture fx;
    build_fixture(&fx);
    char path[1024];
    zs_err err;

    snprintf(path, sizeof path, "%s/no/such/dir/x.h5", dir);
    zs_status st = zs_h5out_write(path, &fx.res, &err);
    CHECK(st == ZS_EIO, "write: a missing directory is ZS_EIO");
    CHECK_CONTAINS(err.msg, path, "write: the message names the path");
    CHECK_CONTAINS(err.msg, "cannot create", "write: the message says what failed");
    CHECK(!exists(path) && !tmp_exists(path), "write: no file after a failed create");
    CHECK(zs_h5out_open_objects() == 0, "write: no object open after a failed create");

    /* rename() onto a non-empty directory fails after the whole file was
     * written: the temporary file must go. */
    snprintf(path, sizeof path, "%s/isdir.h5", dir);
    char inner[1100];
    snprintf(inner, sizeof inner, "%s/keep", path);
    mkdir(path, 0700);
    FILE *fp = fopen(inner, "w");
    if (fp)
        fclose(fp);
    st = zs_h5out_write(path, &fx.res, &err);
    CHECK(st == ZS_EIO, "write: a failed rename is ZS_EIO");
    CHECK_CONTAINS(err.msg, "cannot rename", "write: the message names the rename");
    CHECK(!tmp_exists(path), "write: the .tmp file is removed after a failed rename");
    remove(inner);
    rmdir(path);

    snprintf(path, sizeof path, "%s/bad.h5", dir);
    static const char *const bad[] = {"a/b", "", ".", "..",
                                      "a-name-of-sixty-four-bytes-is-one-too-long-for-the-paired-tables"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fx.plan[1].name = bad[i];
        st = zs_h5out_write(path, &fx.res, &err);
        CHECK(st == ZS_EINVAL && !exists(path) && !tmp_exists(path),
              "write: plan name '%s' is ZS_EINVAL and writes nothing", bad[i]);
    }
    fx.plan[1].name = "zeta";
    st = zs_h5out_write(path, &fx.res, &err);
    CHECK(st == ZS_EINVAL && !exists(path), "write: a duplicate plan name is ZS_EINVAL");
    CHECK_CONTAINS(err.msg, "used twice", "write: the duplicate is named");
    fx.plan[1].name = "alpha";
    fx.plan[1].name = NULL;
    st = zs_h5out_write(path, &fx.res, &err);
    CHECK(st == ZS_EINVAL && !exists(path), "write: a NULL plan name is ZS_EINVAL");
    fx.plan[1].name = "alpha";

    /* Every allocation failure: ZS_ENOMEM, no file, no .tmp, nothing open. */
    long n_fail = 0, bad_code = 0, left_file = 0, left_open = 0;
    for (long i = 0; i < 1000; i++) {
        zs_alloc_fail_after(i);
        st = zs_h5out_write(path, &fx.res, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        n_fail++;
        bad_code += st != ZS_ENOMEM;
        left_file += exists(path) || tmp_exists(path);
        left_open += zs_h5out_open_objects() != 0;
    }
    CHECK(n_fail >= 4, "write: allocation-failure sweep reached %ld failure points", n_fail);
    CHECK(bad_code == 0, "write: every allocation failure is ZS_ENOMEM");
    CHECK(left_file == 0, "write: no file or .tmp left after an allocation failure");
    CHECK(left_open == 0, "write: no HDF5 object open after an allocation failure");
    CHECK(exists(path), "write: succeeds once allocations succeed");
    remove(path);
    free_fixture(&fx);
}

static void test_read_errors(const char *dir)
{
    char path[1024], cmd[1200];
    zs_err err;
    zs_h5_overview *o = (zs_h5_overview *)&err; /* must be reset to NULL on failure */

    snprintf(path, sizeof path, "%s/missing.h5", dir);
    zs_status st = zs_h5out_read_overview(path, &o, &err);
    char want[1200];
    snprintf(want, sizeof want, "%s: no such file", path);
    CHECK(st == ZS_EINPUT && o == NULL, "read: a missing file is ZS_EINPUT");
    CHECK(!strcmp(err.msg, want), "read: message '%s'", want);

    snprintf(path, sizeof path, "%s/text.h5", dir);
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs("not hdf5 at all\n", fp);
        fclose(fp);
    }
    st = zs_h5out_read_overview(path, &o, &err);
    snprintf(want, sizeof want, "%s: not an HDF5 file", path);
    CHECK(st == ZS_EINPUT && !strcmp(err.msg, want), "read: message '%s'", want);
    CHECK(zs_h5out_open_objects() == 0, "read: nothing open after a text file");
    remove(path);

    snprintf(path, sizeof path, "%s/plain.h5", dir);
    snprintf(cmd, sizeof cmd, "h5mkgrp '%s' /g 2>&1", path);
    int rc = system(cmd);
    CHECK(rc == 0 && exists(path), "read: h5mkgrp made an HDF5 file without layout_version");
    /* h5mkgrp writes no zonesim checksum: refused unless trusted. */
    st = zs_h5out_read_overview(path, &o, &err);
    CHECK(st == ZS_EINPUT && strstr(err.msg, "unverified") && strstr(err.msg, "--trust-unverified"),
          "read: a file without checksum is refused, naming --trust-unverified (%s)", err.msg);
    CHECK(zs_h5out_open_objects() == 0, "read: nothing open after an unverified file");
    zs_h5out_trust_unverified(1);
    st = zs_h5out_read_overview(path, &o, &err);
    zs_h5out_trust_unverified(0);
    snprintf(want, sizeof want, "%s: not a zonesim results file (no layout_version)", path);
    CHECK(st == ZS_EINPUT && !strcmp(err.msg, want), "read (trusted): message '%s'", want);
    CHECK(zs_h5out_open_objects() == 0, "read: nothing open after a foreign HDF5 file");
    remove(path);
}

static void test_read_nomem(const char *dir)
{
    fixture fx;
    build_fixture(&fx);
    char path[1024];
    snprintf(path, sizeof path, "%s/nomem.h5", dir);
    zs_err err;
    zs_status st = zs_h5out_write(path, &fx.res, &err);
    CHECK(st == ZS_OK, "read sweep: file written");
    long n_fail = 0, bad_code = 0, left_open = 0, bad_out = 0;
    zs_h5_overview *o = NULL;
    for (long i = 0; i < 10000; i++) {
        zs_alloc_fail_after(i);
        st = zs_h5out_read_overview(path, &o, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        n_fail++;
        bad_code += st != ZS_ENOMEM;
        bad_out += o != NULL;
        left_open += zs_h5out_open_objects() != 0;
    }
    CHECK(st == ZS_OK && o, "read sweep: succeeds once allocations succeed");
    CHECK(n_fail >= 20, "read sweep: reached %ld failure points", n_fail);
    CHECK(bad_code == 0, "read sweep: every allocation failure is ZS_ENOMEM");
    CHECK(bad_out == 0, "read sweep: no overview returned on failure");
    CHECK(left_open == 0, "read sweep: no HDF5 object open after a failure");
    zs_h5_overview_free(o);
    remove(path);
    free_fixture(&fx);
}

int main(void)
{
    zs_h5out_silence();
    const char *base = getenv("ZS_TMP");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/zs_h5out_XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    CHECK(!strcmp(zs_h5out_library_version(), "1.10.8") || strchr(zs_h5out_library_version(), '.'),
          "library version is a dotted string (%s)", zs_h5out_library_version());
    test_round_trip(dir);
    /* 200 reps x 30 days x 30 zones: 7,200 bytes a replication, 72 fit in
     * 512 KiB.  1 rep x 400 days x 400 zones: 1.28 MB a replication, so
     * runs of 512 KiB / 3,200 bytes = 163 days. */
    check_chunk(dir, 30, 200, 30, "Chunks:    {72, 30, 30}", "chunks: whole replications, 512 KiB");
    check_chunk(dir, 400, 1, 400, "Chunks:    {1, 163, 400}", "chunks: runs of days when a replication exceeds 1 MiB");
    test_write_errors(dir);
    test_read_errors(dir);
    test_read_nomem(dir);
    char run[1100];
    snprintf(run, sizeof run, "%s/run.h5", dir);
    remove(run);
    CHECK(rmdir(dir) == 0, "every temporary file was removed");
    return zs_test_done();
}
