/* Tests of models/efficiency: defaults, validation messages and the
 * travel/service arithmetic. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "models/efficiency.h"
#include "check.h"

/* One bad value of one field and the message it must give. */
typedef struct {
    size_t offset;
    double value;
    const char *msg;
} bad_case;

int main(void)
{
    zs_efficiency e;
    zs_err err;

    zs_efficiency_defaults(&e);
    CHECK(e.stops_per_hour == 3.5, "default stops_per_hour is 3.5 (DESIGN.md)");
    CHECK(e.speed_kmh == 18.0, "default speed_kmh is 18");
    CHECK(e.circuity == 1.3, "default circuity is 1.3");
    CHECK(e.stop_min == 8.0, "default stop_min is 8");
    CHECK(e.parcel_min == 1.5, "default parcel_min is 1.5");
    CHECK(zs_efficiency_validate(&e, &err) == ZS_OK, "defaults validate");

    static const bad_case bad[] = {
        {offsetof(zs_efficiency, stops_per_hour), 0.0, "efficiency.stops_per_hour = 0; must be > 0"},
        {offsetof(zs_efficiency, stops_per_hour), -1.0, "efficiency.stops_per_hour = -1; must be > 0"},
        {offsetof(zs_efficiency, stops_per_hour), NAN, "efficiency.stops_per_hour = "},
        {offsetof(zs_efficiency, stops_per_hour), INFINITY, "efficiency.stops_per_hour = inf; must be > 0"},
        {offsetof(zs_efficiency, speed_kmh), 0.0, "efficiency.speed_kmh = 0; must be > 0"},
        {offsetof(zs_efficiency, speed_kmh), -18.0, "efficiency.speed_kmh = -18; must be > 0"},
        {offsetof(zs_efficiency, speed_kmh), NAN, "efficiency.speed_kmh = "},
        {offsetof(zs_efficiency, speed_kmh), INFINITY, "efficiency.speed_kmh = inf; must be > 0"},
        {offsetof(zs_efficiency, circuity), 0.9, "efficiency.circuity = 0.9; must be >= 1"},
        {offsetof(zs_efficiency, circuity), NAN, "efficiency.circuity = "},
        {offsetof(zs_efficiency, circuity), INFINITY, "efficiency.circuity = inf; must be >= 1"},
        {offsetof(zs_efficiency, stop_min), -0.5, "efficiency.stop_min = -0.5; must be >= 0"},
        {offsetof(zs_efficiency, stop_min), NAN, "efficiency.stop_min = "},
        {offsetof(zs_efficiency, stop_min), INFINITY, "efficiency.stop_min = inf; must be >= 0"},
        {offsetof(zs_efficiency, parcel_min), -2.0, "efficiency.parcel_min = -2; must be >= 0"},
        {offsetof(zs_efficiency, parcel_min), NAN, "efficiency.parcel_min = "},
        {offsetof(zs_efficiency, parcel_min), INFINITY, "efficiency.parcel_min = inf; must be >= 0"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zs_efficiency_defaults(&e);
        memcpy((char *)&e + bad[i].offset, &bad[i].value, sizeof(double));
        zs_err_clear(&err);
        zs_status st = zs_efficiency_validate(&e, &err);
        char desc[160];
        snprintf(desc, sizeof desc, "bad value %g gives the message '%s...'", bad[i].value,
                 bad[i].msg);
        CHECK(st == ZS_EINVAL && err.code == ZS_EINVAL, "bad value %g (case %zu) is ZS_EINVAL",
              bad[i].value, i);
        CHECK(strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) == 0, "%s (got '%s')", desc,
              err.msg);
    }

    /* Boundary values that are allowed. */
    zs_efficiency_defaults(&e);
    e.circuity = 1.0;
    e.stop_min = 0.0;
    e.parcel_min = 0.0;
    CHECK(zs_efficiency_validate(&e, &err) == ZS_OK,
          "circuity 1, stop_min 0 and parcel_min 0 are valid");
    CHECK(zs_efficiency_validate(&e, NULL) == ZS_OK, "validate accepts a NULL err");
    e.speed_kmh = 0.0;
    CHECK(zs_efficiency_validate(&e, NULL) == ZS_EINVAL, "validate with NULL err still fails");

    /* Travel: 9 km straight x 1.3 circuity = 11.7 km at 18 km/h
     * = 0.65 h = 39 min. */
    zs_efficiency_defaults(&e);
    CHECK_NEAR(zs_efficiency_travel_min(&e, 9000.0), 39.0, 1e-12,
               "9 km straight at circuity 1.3 and 18 km/h takes 39 min (got %.12g)",
               zs_efficiency_travel_min(&e, 9000.0));
    CHECK(zs_efficiency_travel_min(&e, 0.0) == 0.0, "zero distance takes 0 min");
    e.circuity = 1.0;
    e.speed_kmh = 30.0;
    CHECK_NEAR(zs_efficiency_travel_min(&e, 500.0), 1.0, 1e-12,
               "500 m at circuity 1 and 30 km/h takes 1 min (got %.12g)",
               zs_efficiency_travel_min(&e, 500.0));
    CHECK_NEAR(zs_efficiency_travel_min(&e, 2000.0), 4.0 * zs_efficiency_travel_min(&e, 500.0),
               1e-12, "travel time is linear in distance");

    /* Service: 28 stops (3.5 stops/h x 8 h) with 40 parcels at the
     * defaults: 28 x 8 + 40 x 1.5 = 224 + 60 = 284 min. */
    zs_efficiency_defaults(&e);
    CHECK_NEAR(zs_efficiency_service_min(&e, 28.0, 40.0), 284.0, 1e-12,
               "28 stops and 40 parcels take 284 min (got %.12g)",
               zs_efficiency_service_min(&e, 28.0, 40.0));
    CHECK(zs_efficiency_service_min(&e, 0.0, 0.0) == 0.0, "no stops take 0 min");
    e.stop_min = 2.0;
    e.parcel_min = 0.25;
    CHECK_NEAR(zs_efficiency_service_min(&e, 3.5, 10.0), 9.5, 1e-12,
               "fractional expected stops: 3.5 x 2 + 10 x 0.25 = 9.5 min (got %.12g)",
               zs_efficiency_service_min(&e, 3.5, 10.0));

    return zs_test_done();
}
