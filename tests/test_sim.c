/* Tests of engine/sim: metric arithmetic, common random numbers, and
 * bit-identical results across thread counts, plan orders and shards. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/sim.h"
#include "../models/alloc.h"
#include "../models/rng.h"
#include "check.h"

enum { N = 40, DAYS = 6, REPS = 5 };

static zs_points *make_points(void)
{
    zs_err err;
    zs_points *p = zs_points_create(N, &err);
    if (!p)
        return NULL;
    for (size_t i = 0; i < N; i++) {
        /* Points on rings around the depot at (0, 0). */
        double r = 300.0 + 40.0 * (double)(i % 7), a = 0.7 * (double)i;
        p->x[i] = r * cos(a);
        p->y[i] = r * sin(a);
        p->parcels[i] = 0.3 + 0.1 * (double)(i % 5);
    }
    return p;
}

/* A plan of k zones: zone = i % k, or every point its own zone (k = N). */
static zs_partition *make_plan(const zs_points *pts, size_t k)
{
    int32_t zone[N];
    for (size_t i = 0; i < N; i++)
        zone[i] = (int32_t)(i % k);
    zs_partition *pl = NULL;
    zs_err err;
    if (zs_partition_from_labels(pts, zone, k, NULL, &pl, &err) != ZS_OK)
        printf("      %s\n", err.msg);
    return pl;
}

static int same_result(const zs_sim_result *a, const zs_sim_result *b, size_t rep_offset)
{
    if (a->days != b->days || a->zones != b->zones)
        return 0;
    size_t row = a->days * a->zones;
    for (int m = 0; m < ZS_M_COUNT; m++)
        if (memcmp(a->v[m] + rep_offset * row, b->v[m], b->reps * row * sizeof(double)) != 0)
            return 0;
    return 1;
}

/* With signing and waiting: every metric of single-point zones recomputed
 * independently, day after day, carrying failed parcels forward; then the
 * simulated first-attempt rate and mean wait against the parameters. */
static void test_models(zs_points *pts, const zs_demand *dem, const zs_partition *single)
{
    zs_efficiency eff;
    zs_signing sig;
    zs_waiting wai;
    zs_efficiency_defaults(&eff);
    eff.courier_cv = 0;
    memset(eff.access_min, 0, sizeof eff.access_min);
    zs_signing_defaults(&sig);
    zs_waiting_defaults(&wai);
    for (size_t i = 0; i < N; i++)
        pts->type[i] = (uint8_t)(i % ZS_PT_COUNT);
    int weekday[DAYS] = {0, 1, 2, 3, 4, 5};
    int64_t day_number[DAYS];
    for (int d = 0; d < DAYS; d++)
        day_number[d] = 20458 + d; /* 2026-01-05 is a Monday */
    zs_sim_input in = {.points = pts, .demand = dem, .eff = &eff, .signing = &sig, .waiting = &wai,
                       .promise_min = 1.8, .depot_x = 0, .depot_y = 0, .shift_min = 30.0,
                       .days = DAYS, .day_number = day_number, .rep_begin = 0, .rep_end = REPS,
                       .seed = 78, .threads = 2};
    const zs_partition *plans[1] = {single};
    zs_sim_result *res[1] = {0};
    zs_err err;
    zs_status st = zs_sim_run(&in, plans, 1, res, &err);
    CHECK(st == ZS_OK, "simulation with signing and waiting runs");
    if (st != ZS_OK)
        return;
    gsl_rng *rng = zs_rng_create();
    uint32_t parcels[N], carry[N];
    double maxerr = 0.0, carried_total = 0.0, late_exempt = 0.0, late_total = 0.0;
    for (size_t r = 0; r < REPS; r++) {
        memset(carry, 0, sizeof carry);
        for (size_t d = 0; d < DAYS; d++) {
            zs_demand_draw_day(dem, 78, r, d, weekday[d], rng, parcels);
            for (size_t z = 0; z < N; z++) {
                double due = parcels[z] + carry[z], v[ZS_M_COUNT] = {0};
                if (due > 0) {
                    double out_m = hypot(pts->x[z], pts->y[z]);
                    double arrive = zs_efficiency_travel_min(&eff, out_m);
                    zs_rng_rekey(rng, zs_rng_key(78, r, d, z, ZS_PURPOSE_WAITING));
                    double wait = zs_waiting_draw(&wai, pts->type[z], rng);
                    zs_rng_rekey(rng, zs_rng_key(78, r, d, z, ZS_PURPOSE_SIGNING));
                    zs_sign_outcome o = zs_signing_draw(&sig, pts->type[z], rng);
                    v[ZS_M_STOPS] = 1;
                    v[ZS_M_PARCELS] = due;
                    v[ZS_M_DIST_KM] = 2 * out_m * eff.circuity / 1000;
                    v[ZS_M_TRAVEL_MIN] = zs_efficiency_travel_min(&eff, 2 * out_m);
                    carry[z] = 0;
                    if (o == ZS_SIGN_OK) {
                        v[ZS_M_SERVICE_MIN] = eff.stop_min + due * eff.parcel_min + wait;
                        v[ZS_M_WAIT_MIN] = wait;
                        v[ZS_M_DELIVERED] = due;
                        if (arrive > 1.8) {
                            if (zs_ptype_end_of_day_ok(pts->type[z]))
                                late_exempt += due;
                            else
                                v[ZS_M_LATE] = due;
                        }
                    } else {
                        v[ZS_M_SERVICE_MIN] = eff.stop_min + sig.call_min;
                        v[ZS_M_FAILED_STOPS] = 1;
                        if (o == ZS_SIGN_LOCKER)
                            v[ZS_M_LOCKER] = due;
                        else if (o == ZS_SIGN_REFUSED)
                            v[ZS_M_RETURNED] = due;
                        else {
                            v[ZS_M_CARRIED] = due;
                            carry[z] = (uint32_t)due;
                            carried_total += due;
                        }
                    }
                    v[ZS_M_WORK_MIN] = v[ZS_M_TRAVEL_MIN] + v[ZS_M_SERVICE_MIN];
                    v[ZS_M_OVERTIME_MIN] = fmax(0, v[ZS_M_WORK_MIN] - 30.0);
                    late_total += v[ZS_M_LATE];
                }
                for (int m = 0; m < ZS_M_COUNT; m++)
                    maxerr = fmax(maxerr, fabs(zs_sim_at(res[0], m, r, d, z) - v[m]));
            }
        }
    }
    CHECK(maxerr < 1e-9, "every metric with carry-over, lockers, returns and lateness recomputed (max error %.2g)", maxerr);
    CHECK(carried_total > 0 && late_total > 0 && late_exempt > 0,
          "the fixture exercises carry-over (%g), lateness (%g) and the end-of-day exemption (%g)",
          carried_total, late_total, late_exempt);
    zs_sim_result_free(res[0]);

    /* 400 replications of all-residential points: the share of stops signed
     * at the first attempt and the mean wait against the parameters, within
     * 5 standard errors (stops are independent draws by construction). */
    for (size_t i = 0; i < N; i++)
        pts->type[i] = ZS_PT_RESIDENTIAL;
    in.rep_end = 400;
    in.promise_min = 240;
    st = zs_sim_run(&in, plans, 1, res, &err);
    CHECK(st == ZS_OK, "400 replications run");
    if (st == ZS_OK) {
        double stops = 0, failed = 0, wait = 0, signed_stops = 0;
        size_t cells = res[0]->reps * res[0]->days * res[0]->zones;
        for (size_t c = 0; c < cells; c++) {
            stops += res[0]->v[ZS_M_STOPS][c];
            failed += res[0]->v[ZS_M_FAILED_STOPS][c];
            wait += res[0]->v[ZS_M_WAIT_MIN][c];
            signed_stops += res[0]->v[ZS_M_STOPS][c] - res[0]->v[ZS_M_FAILED_STOPS][c];
        }
        double p = sig.p_success[ZS_PT_RESIDENTIAL], rate = 1 - failed / stops;
        CHECK_NEAR(rate, p, 5 * sqrt(p * (1 - p) / stops),
                   "first-attempt rate %.4f matches %.2f over %.0f stops", rate, p, stops);
        double mw = wai.mean_min[ZS_PT_RESIDENTIAL], sd = mw * wai.cv[ZS_PT_RESIDENTIAL];
        CHECK_NEAR(wait / signed_stops, mw, 5 * sd / sqrt(signed_stops),
                   "mean wait %.4f min matches %.1f", wait / signed_stops, mw);
        zs_sim_result_free(res[0]);
    }
    gsl_rng_free(rng);
}

/* Pace, access minutes, slow days, a late scan, the overtime limit and the
 * fixed-route policy. */
static void test_day_effects(zs_points *pts, const zs_demand *dem, const zs_partition *single,
                             const zs_partition *four)
{
    zs_efficiency eff;
    zs_efficiency_defaults(&eff);
    eff.courier_cv = 0.2;
    for (size_t i = 0; i < N; i++)
        pts->type[i] = ZS_PT_RESIDENTIAL;
    int64_t day_number[DAYS];
    double slow[DAYS], delay[DAYS];
    for (int d = 0; d < DAYS; d++) {
        day_number[d] = 20458 + d;
        slow[d] = d == 2 ? 2.0 : 1.0;
        delay[d] = d == 3 ? 45.0 : 0.0;
    }
    zs_sim_input in = {.points = pts, .demand = dem, .eff = &eff, .promise_min = 0,
                       .depot_x = 0, .depot_y = 0, .shift_min = 30.0, .days = DAYS,
                       .day_number = day_number, .travel_factor = slow, .scan_delay_min = delay,
                       .rep_begin = 0, .rep_end = REPS, .seed = 79, .threads = 2};
    const zs_partition *plans[1] = {single};
    zs_sim_result *res[1] = {0};
    zs_err err;
    zs_status st = zs_sim_run(&in, plans, 1, res, &err);
    CHECK(st == ZS_OK, "simulation with pace, slow days and a late scan runs");
    if (st != ZS_OK)
        return;
    gsl_rng *rng = zs_rng_create();
    uint32_t parcels[N];
    double maxerr = 0.0;
    for (size_t r = 0; r < REPS; r++)
        for (size_t d = 0; d < DAYS; d++) {
            zs_demand_draw_scaled(dem, 79, r, d, zs_demand_factor(dem, day_number[d]), rng, parcels);
            for (size_t z = 0; z < N; z++) {
                double travel = 0, service = 0;
                if (parcels[z]) {
                    zs_rng_rekey(rng, zs_rng_key(79, r, d, z, ZS_PURPOSE_COURIER));
                    double pace = zs_efficiency_draw_pace(&eff, rng);
                    travel = zs_efficiency_travel_min(&eff, 2 * hypot(pts->x[z], pts->y[z])) * slow[d] * pace;
                    service = (eff.access_min[ZS_PT_RESIDENTIAL] + eff.stop_min +
                               parcels[z] * eff.parcel_min) * pace;
                }
                double work = travel + service, ot = fmax(0, delay[d] + work - 30.0);
                maxerr = fmax(maxerr, fabs(zs_sim_at(res[0], ZS_M_TRAVEL_MIN, r, d, z) - travel));
                maxerr = fmax(maxerr, fabs(zs_sim_at(res[0], ZS_M_SERVICE_MIN, r, d, z) - service));
                maxerr = fmax(maxerr, fabs(zs_sim_at(res[0], ZS_M_OVERTIME_MIN, r, d, z) - ot));
            }
        }
    gsl_rng_free(rng);
    CHECK(maxerr < 1e-9, "pace, access minutes, a slow day and a late scan recomputed (max error %.2g)", maxerr);
    zs_sim_result_free(res[0]);

    /* The overtime limit: a short shift leaves stops for tomorrow. */
    const zs_partition *p4[1] = {four};
    in.travel_factor = NULL;
    in.scan_delay_min = NULL;
    in.max_overtime_min = 10.0;
    st = zs_sim_run(&in, p4, 1, res, &err);
    CHECK(st == ZS_OK, "simulation with an overtime limit runs");
    if (st == ZS_OK) {
        double unvisited = 0, over = 0, work_cap_ok = 1;
        size_t cells = res[0]->reps * res[0]->days * res[0]->zones;
        for (size_t c = 0; c < cells; c++) {
            unvisited += res[0]->v[ZS_M_UNVISITED][c];
            over = fmax(over, res[0]->v[ZS_M_OVERTIME_MIN][c]);
        }
        /* The last visit starts before shift + 10 min; its service and the
         * drive back may run past, but not by more than one stop's worth. */
        work_cap_ok = over < 10.0 + 60.0;
        CHECK(unvisited > 0, "stops beyond the limit are left for the next day (%.0f)", unvisited);
        CHECK(work_cap_ok, "overtime stays near the limit (max %.1f min)", over);
        zs_sim_result_free(res[0]);
    }

    /* Fixed routes: distance = daily optimum + fixed_extra_km, and the
     * master order costs more than daily optimisation on average. */
    in.max_overtime_min = 0;
    zs_sim_result *daily[1] = {0}, *fixed[1] = {0};
    zs_status s1 = zs_sim_run(&in, p4, 1, daily, &err);
    in.fixed_routes = 1;
    zs_status s2 = zs_sim_run(&in, p4, 1, fixed, &err);
    CHECK(s1 == ZS_OK && s2 == ZS_OK, "daily and fixed route policies run");
    if (s1 == ZS_OK && s2 == ZS_OK) {
        double err_max = 0, extra = 0;
        size_t cells = daily[0]->reps * daily[0]->days * daily[0]->zones;
        for (size_t c = 0; c < cells; c++) {
            err_max = fmax(err_max, fabs(fixed[0]->v[ZS_M_DIST_KM][c] - daily[0]->v[ZS_M_DIST_KM][c] -
                                         daily[0]->v[ZS_M_FIXED_EXTRA_KM][c]));
            extra += daily[0]->v[ZS_M_FIXED_EXTRA_KM][c];
        }
        CHECK(err_max < 1e-9, "fixed-route km = daily km + fixed_extra_km (max error %.2g)", err_max);
        CHECK(extra > 0, "the fixed master order costs %.1f km more than daily optimisation", extra);
    }
    zs_sim_result_free(daily[0]);
    zs_sim_result_free(fixed[0]);
}

int main(void)
{
    zs_err err;
    zs_points *pts = make_points();
    zs_demand *dem = pts ? zs_demand_create(N, pts->parcels, NULL, &err) : NULL;
    CHECK(pts && dem, "fixture points and demand");
    if (!pts || !dem)
        return zs_test_done();
    zs_partition *single = make_plan(pts, N), *four = make_plan(pts, 4);
    CHECK(single && four, "fixture plans");
    if (!single || !four)
        return zs_test_done();
    zs_efficiency eff;
    zs_efficiency_defaults(&eff);
    /* Recomputed by hand below: no pace variation, no access minutes. */
    eff.courier_cv = 0;
    memset(eff.access_min, 0, sizeof eff.access_min);
    int weekday[DAYS] = {0, 1, 2, 3, 4, 5};
    int64_t day_number[DAYS];
    for (int d = 0; d < DAYS; d++)
        day_number[d] = 20458 + d; /* 2026-01-05 is a Monday */
    zs_sim_input in = {.points = pts, .demand = dem, .eff = &eff, .depot_x = 0, .depot_y = 0,
                       .shift_min = 30.0, .days = DAYS, .day_number = day_number, .rep_begin = 0,
                       .rep_end = REPS, .seed = 77, .threads = 1};

    /* Every point its own zone: the tour is out and back, so every metric
     * can be recomputed from an independent draw of the demand. */
    const zs_partition *plans1[1] = {single};
    zs_sim_result *r1[1];
    zs_status st = zs_sim_run(&in, plans1, 1, r1, &err);
    CHECK(st == ZS_OK, "simulation of single-point zones runs");
    if (st == ZS_OK) {
        gsl_rng *rng = zs_rng_create();
        uint32_t parcels[N];
        double maxerr = 0.0;
        int counts_ok = 1;
        for (size_t r = 0; r < REPS; r++)
            for (size_t d = 0; d < DAYS; d++) {
                zs_demand_draw_day(dem, 77, r, d, weekday[d], rng, parcels);
                for (size_t z = 0; z < N; z++) {
                    double stops = parcels[z] > 0, dist = stops ? 2.0 * hypot(pts->x[z], pts->y[z]) : 0;
                    double travel = dist * eff.circuity / 1000.0 / eff.speed_kmh * 60.0;
                    double service = stops * eff.stop_min + parcels[z] * eff.parcel_min;
                    double work = travel + service;
                    if (zs_sim_at(r1[0], ZS_M_STOPS, r, d, z) != stops ||
                        zs_sim_at(r1[0], ZS_M_PARCELS, r, d, z) != parcels[z])
                        counts_ok = 0;
                    double e[] = {zs_sim_at(r1[0], ZS_M_DIST_KM, r, d, z) - dist * eff.circuity / 1000,
                                  zs_sim_at(r1[0], ZS_M_TRAVEL_MIN, r, d, z) - travel,
                                  zs_sim_at(r1[0], ZS_M_SERVICE_MIN, r, d, z) - service,
                                  zs_sim_at(r1[0], ZS_M_WORK_MIN, r, d, z) - work,
                                  zs_sim_at(r1[0], ZS_M_OVERTIME_MIN, r, d, z) - fmax(0, work - 30.0)};
                    for (size_t q = 0; q < sizeof e / sizeof e[0]; q++)
                        maxerr = fmax(maxerr, fabs(e[q]));
                }
            }
        gsl_rng_free(rng);
        CHECK(counts_ok, "stops and parcels equal an independent draw of the keyed demand");
        CHECK(maxerr < 1e-9, "distance, travel, service, work and overtime recomputed (max error %.2g)", maxerr);
        zs_sim_result_free(r1[0]);
    }

    /* Thread counts, plan order and shards. */
    const zs_partition *ab[2] = {single, four}, *ba[2] = {four, single};
    zs_sim_result *t1[2] = {0}, *t3[2] = {0}, *rev[2] = {0}, *shard[2] = {0};
    in.threads = 1;
    zs_status s1 = zs_sim_run(&in, ab, 2, t1, &err);
    in.threads = 3;
    zs_status s3 = zs_sim_run(&in, ab, 2, t3, &err);
    zs_status sr = zs_sim_run(&in, ba, 2, rev, &err);
    in.rep_begin = 2;
    zs_status ss = zs_sim_run(&in, ab, 2, shard, &err);
    in.rep_begin = 0;
    CHECK(s1 == ZS_OK && s3 == ZS_OK && sr == ZS_OK && ss == ZS_OK, "two-plan runs succeed");
    if (s1 == ZS_OK && s3 == ZS_OK && sr == ZS_OK && ss == ZS_OK) {
        CHECK(same_result(t1[0], t3[0], 0) && same_result(t1[1], t3[1], 0),
              "1 and 3 threads give bit-identical results");
        CHECK(same_result(t1[0], rev[1], 0) && same_result(t1[1], rev[0], 0),
              "plan order does not change any plan's results");
        CHECK(shard[0]->reps == REPS - 2 && shard[0]->rep_begin == 2 &&
              same_result(t1[0], shard[0], 2) && same_result(t1[1], shard[1], 2),
              "replications 2..4 run alone equal the same rows of the full run");
        /* Common random numbers: both plans deliver the same parcels each day. */
        int crn = 1;
        for (size_t r = 0; r < REPS; r++)
            for (size_t d = 0; d < DAYS; d++) {
                double a = 0, b = 0;
                for (size_t z = 0; z < t1[0]->zones; z++)
                    a += zs_sim_at(t1[0], ZS_M_PARCELS, r, d, z);
                for (size_t z = 0; z < t1[1]->zones; z++)
                    b += zs_sim_at(t1[1], ZS_M_PARCELS, r, d, z);
                crn &= a == b;
            }
        CHECK(crn, "every plan sees the same parcels on the same day (common random numbers)");
        int differ = 0;
        for (size_t i = 0; i < t1[0]->days * t1[0]->zones; i++)
            differ |= t1[0]->v[ZS_M_PARCELS][i] != t1[0]->v[ZS_M_PARCELS][t1[0]->days * t1[0]->zones + i];
        CHECK(differ, "replications 0 and 1 differ");
    }
    for (int p = 0; p < 2; p++) {
        zs_sim_result_free(t1[p]);
        zs_sim_result_free(t3[p]);
        zs_sim_result_free(rev[p]);
        zs_sim_result_free(shard[p]);
    }

    /* Bad input. */
    zs_sim_result *bad[1] = {0};
    in.days = 0;
    st = zs_sim_run(&in, plans1, 1, bad, &err);
    CHECK(st == ZS_EINVAL && bad[0] == NULL, "zero days is rejected");
    CHECK_CONTAINS(err.msg, "simulation.days = 0; must be >= 1", "zero days message");
    in.days = DAYS;
    in.rep_end = 0;
    st = zs_sim_run(&in, plans1, 1, bad, &err);
    CHECK(st == ZS_EINVAL, "an empty replication range is rejected");
    in.rep_end = REPS;

    /* Allocation failures anywhere, also inside the parallel region. */
    int ok = 1, n_fail = 0;
    in.threads = 2;
    for (long i = 0; i < 200; i++) {
        zs_sim_result *res[2] = {0};
        zs_alloc_fail_after(i);
        st = zs_sim_run(&in, ab, 2, res, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_sim_result_free(res[0]);
            zs_sim_result_free(res[1]);
            break;
        }
        n_fail++;
        ok &= st == ZS_ENOMEM && res[0] == NULL && res[1] == NULL;
    }
    CHECK(ok && n_fail > 5, "each allocation failure gives ZS_ENOMEM and no result (%d points)", n_fail);

    test_models(pts, dem, single);
    test_day_effects(pts, dem, single, four);
    zs_partition_free(single);
    zs_partition_free(four);
    zs_demand_free(dem);
    zs_points_free(pts);
    return zs_test_done();
}
