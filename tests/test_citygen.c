/* tests/test_citygen.c -- the synthetic city generator (engine/citygen.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "input/citygen.h"
#include "models/alloc.h"
#include "check.h"

/* Seed-1 defaults as first generated (see the golden checks). */
#define GOLD_X0 3453.8813567694901
#define GOLD_Y0 1569.9372930129905
#define GOLD_P0 0.68944488448998453
#define GOLD_XL 59.814825140773948

static int identical(const zs_points *a, const zs_points *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->id[i], b->id[i]) || memcmp(&a->x[i], &b->x[i], 8) ||
            memcmp(&a->y[i], &b->y[i], 8) || a->type[i] != b->type[i] ||
            memcmp(&a->parcels[i], &b->parcels[i], 8))
            return 0;
    return 1;
}

static void count_types(const zs_points *p, size_t c[ZS_PT_COUNT])
{
    memset(c, 0, ZS_PT_COUNT * sizeof c[0]);
    for (size_t i = 0; i < p->n; i++)
        c[p->type[i]]++;
}

static void test_defaults(void)
{
    zs_citygen_opts o;
    zs_citygen_opts_defaults(&o);
    zs_err err;
    CHECK(zs_citygen_opts_validate(&o, &err) == ZS_OK, "defaults validate");
    CHECK(o.n_points == 2000 && o.width_km == 12.0 && o.height_km == 10.0 && o.mean_parcels == 0.75 &&
              o.seed == 1 && o.estate_radius_m == 150.0 && o.n_estates == 0,
          "defaults: 2000 points, 12 x 10 km, 0.75 parcels, seed 1, radius 150 m");
    zs_points *a = NULL, *b = NULL, *c = NULL;
    zs_status st = zs_citygen_run(&o, &a, &err);
    CHECK(st == ZS_OK && a && a->n == 2000, "run: 2000 points (%s)", st ? err.msg : "ok");
    if (!a)
        return;
    zs_citygen_run(&o, &b, &err);
    CHECK(b && identical(a, b), "same seed: identical points bit for bit");
    o.seed = 2;
    zs_citygen_run(&o, &c, &err);
    size_t same = 0;
    for (size_t i = 0; c && i < c->n; i++)
        same += a->x[i] == c->x[i];
    CHECK(c && same == 0, "different seed: every x differs (%zu equal)", same);

    CHECK(strcmp(a->id[0], "P000001") == 0 && strcmp(a->id[1999], "P002000") == 0 &&
              zs_points_find(a, "P001234") == 1233,
          "ids P000001..P002000, indexed");
    size_t cnt[ZS_PT_COUNT];
    count_types(a, cnt);
    const size_t want[ZS_PT_COUNT] = {1240, 240, 80, 30, 120, 160, 50, 10, 70, 0};
    CHECK(memcmp(cnt, want, sizeof want) == 0,
          "type counts = share * 2000 exactly (res %zu, office %zu, hospital %zu, military %zu)",
          cnt[0], cnt[1], cnt[3], cnt[7]);

    double hw = 6000.0, hh = 5000.0;
    size_t outside = 0;
    for (size_t i = 0; i < a->n; i++)
        outside += !(fabs(a->x[i]) <= hw && fabs(a->y[i]) <= hh);
    CHECK(outside == 0, "all points inside the 12 x 10 km area");
    CHECK_NEAR(zs_points_total_parcels(a) / (double)a->n, 0.75, 0.75e-12,
               "mean parcels equals mean_parcels (1e-12 relative)");
    size_t neg = 0;
    for (size_t i = 0; i < a->n; i++)
        neg += !(a->parcels[i] > 0.0);
    CHECK(neg == 0, "every point has positive parcels");

    /* Daily stops: a point with Poisson(m) parcels is visited with
     * probability 1 - exp(-m). */
    double stops = 0.0;
    for (size_t i = 0; i < a->n; i++)
        stops += 1.0 - exp(-a->parcels[i]);
    printf("      expected daily stops for the defaults: %.1f\n", stops);
    CHECK(stops >= 600.0 && stops <= 1100.0, "expected daily stops %.0f in [600, 1100]", stops);

    /* Layout: factories in a belt at one edge, military in the outer ring,
     * offices nearer the centre than homes, parcels heavier at offices. */
    size_t belt = 0, mil_out = 0;
    double d_off = 0, d_res = 0, p_off = 0, p_vil = 0;
    for (size_t i = 0; i < a->n; i++) {
        double ring = fmax(fabs(a->x[i]) / hw, fabs(a->y[i]) / hh);
        double d = hypot(a->x[i], a->y[i]);
        switch (a->type[i]) {
        case ZS_PT_FACTORY: belt += ring >= 0.85 - 1e-12; break;
        case ZS_PT_MILITARY: mil_out += ring >= 0.75 - 1e-12; break;
        case ZS_PT_OFFICE: d_off += d / 240.0; p_off += a->parcels[i] / 240.0; break;
        case ZS_PT_RESIDENTIAL: d_res += d / 1240.0; break;
        case ZS_PT_VILLAGE: p_vil += a->parcels[i] / 160.0; break;
        default: break;
        }
    }
    CHECK(belt == 120, "all 120 factories in the industrial belt (outer 15%%)");
    CHECK(mil_out == 10, "all 10 military sites in the outer ring");
    CHECK(d_off < 0.6 * d_res, "offices cluster in the CBD (mean %.0f m vs homes %.0f m)", d_off, d_res);
    CHECK(p_off > 2.5 * p_vil, "offices get more parcels than villages (%.2f vs %.2f)", p_off, p_vil);

    /* Golden values at seed 1 guard against accidental changes to the
     * generator (tolerance for libm last-bit differences only). */
    printf("      golden: x[0] %.17g y[0] %.17g parcels[0] %.17g x[1999] %.17g\n", a->x[0], a->y[0],
           a->parcels[0], a->x[1999]);
    CHECK_NEAR(a->x[0], GOLD_X0, 1e-6, "golden: seed 1 point 1 x");
    CHECK_NEAR(a->y[0], GOLD_Y0, 1e-6, "golden: seed 1 point 1 y");
    CHECK_NEAR(a->parcels[0], GOLD_P0, 1e-12, "golden: seed 1 point 1 parcels");
    CHECK_NEAR(a->x[1999], GOLD_XL, 1e-6, "golden: seed 1 point 2000 x");
    zs_points_free(a);
    zs_points_free(b);
    zs_points_free(c);
}

static void test_rounding(void)
{
    zs_citygen_opts o;
    zs_citygen_opts_defaults(&o);
    memset(o.share, 0, sizeof o.share);
    o.share[ZS_PT_RESIDENTIAL] = 0.5;
    o.share[ZS_PT_OFFICE] = 0.3;
    o.share[ZS_PT_SCHOOL] = 0.2;
    o.n_points = 9;
    zs_err err;
    zs_points *p = NULL;
    size_t c[ZS_PT_COUNT];
    if (zs_citygen_run(&o, &p, &err) == ZS_OK) {
        count_types(p, c);
        CHECK(c[0] == 4 && c[1] == 3 && c[2] == 2,
              "largest remainder: 4.5, 2.7, 1.8 -> 4, 3, 2 (got %zu, %zu, %zu)", c[0], c[1], c[2]);
        zs_points_free(p);
    } else {
        CHECK(0, "rounding run: %s", err.msg);
    }
    memset(o.share, 0, sizeof o.share);
    o.share[ZS_PT_VILLAGE] = 1;
    o.share[ZS_PT_SHOP] = 1;
    o.share[ZS_PT_MILITARY] = 1;
    o.n_points = 7;
    p = NULL;
    if (zs_citygen_run(&o, &p, &err) == ZS_OK) {
        count_types(p, c);
        CHECK(c[ZS_PT_VILLAGE] == 3 && c[ZS_PT_MILITARY] == 2 && c[ZS_PT_SHOP] == 2 && c[0] == 0,
              "largest remainder ties go to the lower type: village 3, military 2, shop 2");
        zs_points_free(p);
    }
    /* One point, tiny area, station at a corner. */
    zs_citygen_opts_defaults(&o);
    o.n_points = 1;
    o.width_km = 0.05;
    o.height_km = 0.02;
    o.station_x = 25.0;
    o.station_y = -10.0;
    p = NULL;
    zs_status st = zs_citygen_run(&o, &p, &err);
    CHECK(st == ZS_OK && p && p->n == 1 && fabs(p->x[0]) <= 25.0 && fabs(p->y[0]) <= 10.0 &&
              p->parcels[0] == 0.75,
          "one point in a 50 x 20 m area: inside, carries all the parcels");
    zs_points_free(p);
}

static void expect_invalid(const zs_citygen_opts *o, const char *want, const char *desc)
{
    zs_err err;
    zs_err_clear(&err);
    zs_points dummy, *p = &dummy;
    CHECK(zs_citygen_opts_validate(o, &err) == ZS_EINVAL && strcmp(err.msg, want) == 0,
          "validate %s: '%s' (got '%s')", desc, want, err.msg);
    CHECK(zs_citygen_run(o, &p, &err) == ZS_EINVAL && p == NULL, "run %s: refused, no points", desc);
}

static void test_validation(void)
{
    zs_citygen_opts o;
    zs_citygen_opts_defaults(&o);
    o.n_points = 0;
    expect_invalid(&o, "citygen.n_points = 0; must be >= 1", "n_points 0");
    zs_citygen_opts_defaults(&o);
    o.width_km = -1;
    expect_invalid(&o, "citygen.width_km = -1; must be > 0", "negative width");
    zs_citygen_opts_defaults(&o);
    o.height_km = NAN;
    expect_invalid(&o, "citygen.height_km = nan; must be > 0", "NaN height");
    zs_citygen_opts_defaults(&o);
    o.height_km = INFINITY;
    expect_invalid(&o, "citygen.height_km = inf; must be finite", "infinite height");
    zs_citygen_opts_defaults(&o);
    o.share[ZS_PT_OFFICE] = -0.1;
    expect_invalid(&o, "citygen.share.office = -0.1; must be >= 0", "negative share");
    zs_citygen_opts_defaults(&o);
    o.share[ZS_PT_SHOP] = INFINITY;
    expect_invalid(&o, "citygen.share.shop = inf; must be finite", "infinite share");
    zs_citygen_opts_defaults(&o);
    memset(o.share, 0, sizeof o.share);
    expect_invalid(&o, "citygen.share: shares sum to 0; must be > 0 and finite", "all shares 0");
    zs_citygen_opts_defaults(&o);
    o.n_estates = 2001;
    expect_invalid(&o, "citygen.n_estates = 2001; must be <= n_points (2000)", "too many estates");
    zs_citygen_opts_defaults(&o);
    o.estate_radius_m = 0;
    expect_invalid(&o, "citygen.estate_radius_m = 0; must be > 0", "zero radius");
    zs_citygen_opts_defaults(&o);
    o.mean_parcels = -0.5;
    expect_invalid(&o, "citygen.mean_parcels = -0.5; must be > 0", "negative mean parcels");
    zs_citygen_opts_defaults(&o);
    o.station_x = 7000;
    expect_invalid(&o, "citygen.station_x = 7000; must be inside the area (|x| <= 6000 m)",
                   "station east of the area");
    zs_citygen_opts_defaults(&o);
    o.station_y = -5000.5;
    expect_invalid(&o, "citygen.station_y = -5000.5; must be inside the area (|y| <= 5000 m)",
                   "station south of the area");
}

static void test_alloc_failures(void)
{
    zs_citygen_opts o;
    zs_citygen_opts_defaults(&o);
    o.n_points = 300;
    int ok_at = -1, bad = 0;
    zs_points *ref = NULL;
    zs_err err;
    zs_citygen_run(&o, &ref, &err);
    for (long i = 0; i < 100 && ok_at < 0; i++) {
        zs_points *p = NULL;
        zs_err_clear(&err);
        zs_alloc_fail_after(i);
        zs_status st = zs_citygen_run(&o, &p, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            ok_at = ref && p && identical(ref, p) ? (int)i : 0;
        else if (st != ZS_ENOMEM || p)
            bad++;
        zs_points_free(p);
    }
    zs_points_free(ref);
    CHECK(ok_at > 0, "alloc sweep: succeeds after %d allocations, same points as without failures", ok_at);
    CHECK(bad == 0, "alloc sweep: every failure is ZS_ENOMEM with no points");
}

static void test_many_ids(void)
{
    zs_citygen_opts o;
    zs_citygen_opts_defaults(&o);
    o.n_points = 1000000;
    o.width_km = 30;
    o.height_km = 30;
    zs_points *p = NULL;
    zs_err err;
    zs_status st = zs_citygen_run(&o, &p, &err);
    CHECK(st == ZS_OK && p && strcmp(p->id[0], "P0000001") == 0 && strcmp(p->id[999999], "P1000000") == 0,
          "10^6 points: ids widen to 7 digits alike (P0000001..P1000000)");
    zs_points_free(p);
}

int main(void)
{
    test_defaults();
    test_rounding();
    test_validation();
    test_alloc_failures();
    test_many_ids();
    return zs_test_done();
}
