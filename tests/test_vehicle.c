/* Tests of models/vehicle: defaults, validation messages, names, the daily
 * speed draw (moments, fixed stream position), reload arithmetic and the
 * speed calibration. */
#include <math.h>
#include <string.h>

#include "models/rng.h"
#include "models/vehicle.h"
#include "check.h"

int main(void)
{
    zs_fleet f;
    zs_err err;
    zs_fleet_defaults(&f);
    CHECK(zs_fleet_validate(&f, &err) == ZS_OK, "defaults are valid");
    CHECK(f.kind[ZS_VEH_TRICYCLE].speed_kmh == 18.0,
          "the electric tricycle keeps the efficiency model's default 18 km/h");
    CHECK(f.kind[ZS_VEH_VAN].capacity > f.kind[ZS_VEH_TRICYCLE].capacity &&
          f.kind[ZS_VEH_TRICYCLE].capacity > f.kind[ZS_VEH_EBIKE].capacity &&
          f.kind[ZS_VEH_EBIKE].capacity > f.kind[ZS_VEH_FOOT].capacity &&
          f.kind[ZS_VEH_FOOT].speed_kmh < f.kind[ZS_VEH_EBIKE].speed_kmh,
          "van carries most, then tricycle, e-bike, on foot; walking is slowest");

    zs_fleet b = f;
    b.kind[ZS_VEH_FOOT].capacity = 0.5;
    CHECK(zs_fleet_validate(&b, &err) == ZS_EINVAL, "capacity 0.5 rejected");
    CHECK_CONTAINS(err.msg, "vehicle.foot.capacity = 0.5; must be >= 1", "capacity message");
    b = f;
    b.kind[ZS_VEH_VAN].speed_kmh = 0;
    CHECK(zs_fleet_validate(&b, &err) == ZS_EINVAL, "zero speed rejected");
    CHECK_CONTAINS(err.msg, "vehicle.van.speed_kmh = 0; must be > 0", "speed message");
    b = f;
    b.kind[ZS_VEH_EBIKE].speed_cv = -0.1;
    CHECK(zs_fleet_validate(&b, &err) == ZS_EINVAL, "negative cv rejected");
    CHECK_CONTAINS(err.msg, "vehicle.ebike.speed_cv = -0.1; must be >= 0", "cv message");
    b = f;
    b.reload_min = NAN;
    CHECK(zs_fleet_validate(&b, &err) == ZS_EINVAL, "NaN reload minutes rejected");

    int names_ok = 1;
    for (int k = ZS_VEH_NONE; k < ZS_VEH_COUNT; k++)
        names_ok &= zs_vehicle_parse(zs_vehicle_name(k)) == k;
    CHECK(names_ok && zs_vehicle_parse("bus") == ZS_VEH_INHERIT && !strcmp(zs_vehicle_name(7), "?"),
          "names round-trip (none included); unknown names are rejected");

    /* Daily speed: mean speed_kmh and cv speed_cv over 100,000 keyed draws
     * (tolerance 5 standard errors of the mean; cv within 3%). */
    gsl_rng *r = zs_rng_create();
    const zs_vehicle *van = &f.kind[ZS_VEH_VAN];
    enum { N = 100000 };
    double s = 0, ss = 0;
    for (int i = 0; i < N; i++) {
        zs_rng_rekey(r, zs_rng_key(5, (uint64_t)i, 0, 0, ZS_PURPOSE_SPEED));
        double v = zs_vehicle_draw_speed(van, r);
        s += v;
        ss += v * v;
    }
    double mean = s / N, sd = sqrt(ss / N - mean * mean);
    CHECK_NEAR(mean, van->speed_kmh, 5 * van->speed_kmh * van->speed_cv / sqrt(N),
               "van speed mean %.3f km/h vs %.1f", mean, van->speed_kmh);
    CHECK_NEAR(sd / mean, van->speed_cv, 0.03 * van->speed_cv, "van speed cv %.4f vs %.2f",
               sd / mean, van->speed_cv);
    zs_vehicle fixed = *van;
    fixed.speed_cv = 0;
    zs_rng_rekey(r, 11);
    double v0 = zs_vehicle_draw_speed(&fixed, r), after0 = gsl_rng_uniform(r);
    zs_rng_rekey(r, 11);
    zs_vehicle_draw_speed(van, r);
    CHECK(v0 == van->speed_kmh && after0 == gsl_rng_uniform(r),
          "cv 0 gives the mean exactly and still uses one draw");
    gsl_rng_free(r);

    /* Reloads: capacity 10. */
    zs_vehicle t = {18, 0, 10};
    double load = 10;
    CHECK(zs_vehicle_reloads(&t, 4, &load) == 0 && load == 6, "4 of 10 on board: no reload, 6 left");
    CHECK(zs_vehicle_reloads(&t, 7, &load) == 1 && load == 3, "7 with 6 left: one reload, 3 left");
    CHECK(zs_vehicle_reloads(&t, 3, &load) == 0 && load == 0, "3 with 3 left: none, empty");
    CHECK(zs_vehicle_reloads(&t, 25, &load) == 3 && load == 5,
          "25 with 0 left: 3 loads (one on the way, two round trips), 5 left");
    load = 10;
    CHECK(zs_vehicle_reloads(&t, 0, &load) == 0 && load == 10, "nothing due: nothing happens");

    /* Calibration from observed speeds. */
    double obs[4] = {16, 18, 20, 22};
    zs_vehicle c = t;
    CHECK(zs_vehicle_calibrate_speed(&c, obs, 4, &err) == ZS_OK && c.speed_kmh == 19 &&
          fabs(c.speed_cv - sqrt(20.0 / 3.0) / 19.0) < 1e-12 && c.capacity == 10,
          "speed 19 km/h and cv sd/mean from 4 observations; capacity kept");
    obs[2] = -1;
    CHECK(zs_vehicle_calibrate_speed(&c, obs, 4, &err) == ZS_EINVAL, "a negative speed rejected");
    CHECK_CONTAINS(err.msg, "observed speed 2 = -1 km/h; must be > 0", "calibration message");
    CHECK(zs_vehicle_calibrate_speed(&c, obs, 1, &err) == ZS_EINVAL, "one observation rejected");
    return zs_test_done();
}
