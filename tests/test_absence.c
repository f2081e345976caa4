/* Tests of models/absence: validation, the dated count, the daily draw
 * (who is absent, how often, agreement of rate and count, keys) and the
 * calibration. */
#include <math.h>
#include <string.h>

#include "models/absence.h"
#include "models/rng.h"
#include "check.h"

enum { K = 40 };

static size_t count(const uint8_t *a, size_t k)
{
    size_t c = 0;
    for (size_t z = 0; z < k; z++)
        c += a[z];
    return c;
}

int main(void)
{
    zs_absence a;
    zs_err err;
    zs_absence_defaults(&a);
    CHECK(a.rate == 0.0 && zs_absence_validate(&a, &err) == ZS_OK, "default: nobody absent, valid");
    a.rate = 1.5;
    CHECK(zs_absence_validate(&a, &err) == ZS_EINVAL, "rate 1.5 rejected");
    CHECK_CONTAINS(err.msg, "absence.rate = 1.5; must be in [0, 1]", "rate message");
    a.rate = NAN;
    CHECK(zs_absence_validate(&a, &err) == ZS_EINVAL, "rate NaN rejected");

    CHECK(zs_absence_forced(2, 0, 10) == 2 && zs_absence_forced(0, 0.25, 10) == 3 &&
          zs_absence_forced(0, 0.24, 10) == 2 && zs_absence_forced(1, 0.5, 7) == 5,
          "dated count: couriers + share x k rounded, halves up (0.25 x 10 -> 3)");

    gsl_rng *r = zs_rng_create();
    uint8_t abs1[K], abs2[K];
    double u[K], tmp[K];

    /* Nothing to draw: no draws at all, nobody absent. */
    zs_absence_defaults(&a);
    zs_rng_rekey(r, 123);
    memset(abs1, 7, sizeof abs1);
    size_t n = zs_absence_draw_day(&a, 0, 1, 0, 0, K, r, u, tmp, abs1);
    double next = gsl_rng_uniform(r);
    zs_rng_rekey(r, 123);
    CHECK(n == 0 && count(abs1, K) == 0 && next == gsl_rng_uniform(r),
          "rate 0 and no dated count: nobody absent, the stream untouched");

    /* A dated count alone: exactly that many, the same ones for the same key. */
    n = zs_absence_draw_day(&a, 3, 1, 2, 5, K, r, u, tmp, abs1);
    size_t n2 = zs_absence_draw_day(&a, 3, 1, 2, 5, K, r, u, tmp, abs2);
    CHECK(n == 3 && count(abs1, K) == 3 && n2 == 3 && !memcmp(abs1, abs2, sizeof abs1),
          "3 couriers out: exactly 3 absent, the same 3 for the same (rep, day)");
    n2 = zs_absence_draw_day(&a, 3, 1, 2, 6, K, r, u, tmp, abs2);
    CHECK(memcmp(abs1, abs2, sizeof abs1) != 0, "another day: other couriers");
    n = zs_absence_draw_day(&a, 100, 1, 2, 5, K, r, u, tmp, abs1);
    CHECK(n == K - 1 && count(abs1, K) == K - 1, "more out than there are couriers: one still works");
    n = zs_absence_draw_day(&a, 5, 1, 2, 5, 1, r, u, tmp, abs1);
    CHECK(n == 0 && abs1[0] == 0, "a one-courier plan never loses its courier");

    /* The smaller plan's first zones see the same uniforms (common random
     * numbers): with a count of 1 among 2 zones the absent one is the zone
     * with the smaller uniform of the 40-zone draw. */
    zs_absence_draw_day(&a, 1, 1, 3, 4, K, r, u, tmp, abs1);
    zs_absence_draw_day(&a, 1, 1, 3, 4, 2, r, tmp, u + 2, abs2); /* u[0..1] kept */
    CHECK(abs2[0] == (u[0] < u[1]) && abs2[1] == (u[1] < u[0]),
          "zone z's uniform depends only on (rep, day, z): plans of any size share it");

    /* The daily rate: share absent over 40 zones x 3000 days within 5
     * binomial standard errors; a dated count on top keeps every courier
     * the rate took out. */
    a.rate = 0.05;
    double tot = 0;
    int superset = 1, at_least = 1;
    for (uint64_t d = 0; d < 3000; d++) {
        tot += (double)zs_absence_draw_day(&a, 0, 9, 0, d, K, r, u, tmp, abs1);
        size_t m = zs_absence_draw_day(&a, 4, 9, 0, d, K, r, u, tmp, abs2);
        at_least &= m >= 4 && m >= count(abs1, K);
        for (size_t z = 0; z < K; z++)
            superset &= !abs1[z] || abs2[z];
    }
    double share = tot / (3000.0 * K), se = sqrt(0.05 * 0.95 / (3000.0 * K));
    CHECK_NEAR(share, 0.05, 5 * se, "daily rate 0.05: %.4f of courier-days absent", share);
    CHECK(superset && at_least,
          "rate and dated count agree: a count of 4 adds to the rate's absentees, never replaces them");
    gsl_rng_free(r);

    /* Calibration from a roster history. */
    zs_absence c;
    zs_absence_defaults(&c);
    CHECK(zs_absence_calibrate(&c, 2000, 60, &err) == ZS_OK && c.rate == 0.03,
          "60 absences in 2000 courier-days: rate 0.03");
    CHECK(zs_absence_calibrate(&c, 10, 11, &err) == ZS_EINVAL, "more absences than days rejected");
    CHECK_CONTAINS(err.msg, "absence counts: 11 absent of 10 courier-days", "calibration message");
    CHECK(zs_absence_calibrate(&c, 0, 0, &err) == ZS_EINVAL, "no courier-days rejected");
    return zs_test_done();
}
