/* tests/test_dispatch.c -- dispatch waves from scan times (models/dispatch.h). */
#include <math.h>
#include <string.h>

#include "models/dispatch.h"
#include "check.h"

int main(void)
{
    double m = -1;
    CHECK(zs_scan_time_parse("08:15", &m) == 0 && m == 495, "parse HH:MM");
    CHECK(zs_scan_time_parse("13:05:30", &m) == 0 && m == 785.5, "parse HH:MM:SS");
    CHECK(zs_scan_time_parse("2026-03-02 07:00:00", &m) == 0 && m == 420, "parse after an ISO date");
    CHECK(zs_scan_time_parse("03-02 23:59", &m) == 0 && m == 1439, "parse after LaDe's MM-DD");
    CHECK(zs_scan_time_parse("8h15", &m) < 0 && zs_scan_time_parse("24:00", &m) < 0 &&
          zs_scan_time_parse("08:60", &m) < 0 && zs_scan_time_parse("08:15:00x", &m) < 0 &&
          zs_scan_time_parse("", &m) < 0 && zs_scan_time_parse("8:15", &m) < 0,
          "refuse 8h15, 24:00, 08:60, trailing text, empty, one-digit hours");

    /* Four runs: 07:50-08:20 (60 parcels), 10:00 (2, a straggler), 13:00-13:40
     * (30), 17:00 (8): the straggler joins the nearer run (08:20 is 100 min
     * away, 13:00 180), leaving three waves. */
    double minute[] = {470, 480, 490, 500, 600, 780, 800, 820, 1020};
    double parcels[] = {10, 20, 20, 10, 2, 10, 10, 10, 8};
    int weekday[] = {0, 0, 5, 5, 0, 0, 5, 0, 5};
    zs_waves_fit f;
    zs_err err;
    CHECK(zs_waves_fit_scans(minute, parcels, weekday, 9, 60.0, &f, &err) == ZS_OK && f.n_waves == 3,
          "four runs of scans -> three waves");
    CHECK(f.first[0] == 470 && f.last[0] == 600 && fabs(f.share[0] - 62.0 / 100) < 1e-12,
          "the straggler at 10:00 joined the morning wave (62 of 100 parcels)");
    CHECK(f.median[0] == 490 && f.median[1] == 800 && f.median[2] == 1020,
          "parcel-weighted medians 08:10, 13:20, 17:00");
    CHECK(fabs(f.share[1] - 0.30) < 1e-12 && fabs(f.share[2] - 0.08) < 1e-12 && f.parcels == 100,
          "shares 0.62, 0.30, 0.08");
    /* Monday: 10 + 20 + 2 + 10 + 10 = 52 parcels: 32 in wave 1, 20 in wave 2. */
    CHECK(fabs(f.weekday_share[0][0] - 32.0 / 52) < 1e-12 && fabs(f.weekday_share[0][1] - 20.0 / 52) < 1e-12 &&
          f.weekday_share[0][2] == 0 && f.weekday_share[2][0] == 0,
          "weekday shares: Monday 32/52 and 20/52, none on Wednesday");
    CHECK(zs_waves_fit_scans(minute, parcels, weekday, 9, 190.0, &f, &err) == ZS_OK && f.n_waves == 2,
          "a gap of 190 min: the morning and the afternoon runs join, 17:00 stays apart");
    double zero[9] = {0};
    CHECK(zs_waves_fit_scans(minute, zero, weekday, 9, 60.0, &f, &err) == ZS_EINVAL &&
          strstr(err.msg, "no parcels"), "no parcels: refused");
    return zs_test_done();
}
