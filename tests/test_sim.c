/* Tests of engine/sim: metric arithmetic, common random numbers, and
 * bit-identical results across thread counts, plan orders and shards. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "models/alloc.h"
#include "models/rng.h"
#include "check.h"
#include "sim_fixture.h"

enum { N = 40, DAYS = 6, REPS = 5 };

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
                    v[ZS_M_STRAIGHT_KM] = 2 * out_m / 1000;
                    v[ZS_M_TRAVEL_MIN] = zs_efficiency_travel_min(&eff, 2 * out_m);
                    carry[z] = 0;
                    if (o == ZS_SIGN_OK) {
                        /* lockers and pickup stations: bulk_parcel_min (issue 19) */
                        double pm = zs_ptype_bulk_drop(pts->type[z]) ? eff.bulk_parcel_min
                                                                     : eff.parcel_min;
                        v[ZS_M_SERVICE_MIN] = eff.stop_min + due * pm + wait;
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

/* ---- issue 4: absence, vehicles, road factors, time-of-day signing ---- */

static double total(const zs_sim_result *r, int m)
{
    double s = 0;
    for (size_t c = 0; c < r->reps * r->days * r->zones; c++)
        s += r->v[m][c];
    return s;
}

static int same_metrics(const zs_sim_result *a, const zs_sim_result *b)
{
    return a->reps == b->reps && same_result(a, b, 0);
}

/* Absence: absent zones are empty, their stops go to the nearest present
 * zone centre, neighbours work longer, parcels are conserved, draws are
 * common to plans, dated counts are exact. */
static void test_absence(zs_points *pts, const zs_demand *dem, const zs_partition *single,
                         const zs_partition *four)
{
    zs_efficiency eff;
    zs_efficiency_defaults(&eff);
    for (size_t i = 0; i < N; i++)
        pts->type[i] = ZS_PT_RESIDENTIAL;
    int64_t day_number[DAYS];
    for (int d = 0; d < DAYS; d++)
        day_number[d] = 20458 + d;
    /* No signing (no carry-over) and no overtime limit: every parcel is
     * delivered the day it appears, so the plans can be compared stop by
     * stop. */
    zs_sim_input in = {.points = pts, .demand = dem, .eff = &eff, .depot_x = 0, .depot_y = 0,
                       .shift_min = 100.0, .days = DAYS, .day_number = day_number,
                       .rep_begin = 0, .rep_end = 20, .seed = 81, .threads = 2};
    const zs_partition *plans[2] = {four, single};
    zs_sim_result *base[2] = {0}, *zero[2] = {0}, *abs[2] = {0};
    zs_err err;
    zs_absence none = {0.0}, rate = {0.3};
    zs_status s0 = zs_sim_run(&in, plans, 2, base, &err);
    in.absence = &none;
    zs_status s1 = zs_sim_run(&in, plans, 2, zero, &err);
    in.absence = &rate;
    zs_status s2 = zs_sim_run(&in, plans, 2, abs, &err);
    CHECK(s0 == ZS_OK && s1 == ZS_OK && s2 == ZS_OK, "runs without, with a zero and with a 0.3 absence rate");
    if (s0 != ZS_OK || s1 != ZS_OK || s2 != ZS_OK)
        goto out;
    CHECK(same_metrics(base[0], zero[0]) && same_metrics(base[1], zero[1]) &&
              total(zero[0], ZS_M_ABSENT) == 0,
          "absence rate 0 gives bit-identical results and no absences");
    const zs_sim_result *a4 = abs[0], *b4 = base[0];
    size_t cells = a4->reps * a4->days * a4->zones;
    int empty_ok = 1, stops_ok = 1, crn_ok = 1, parcels_ok = 1, n_absent = 0, nearest_ok = 1;
    double cover_work = 0, cover_base = 0, cover_ot = 0, cover_ot_base = 0;
    for (size_t c = 0; c < cells; c++) {
        if (a4->v[ZS_M_ABSENT][c] == 1.0) {
            n_absent++;
            for (int m = 0; m < ZS_M_COUNT; m++)
                empty_ok &= m == ZS_M_ABSENT || a4->v[m][c] == 0.0;
        } else {
            stops_ok &= a4->v[ZS_M_STOPS][c] == b4->v[ZS_M_STOPS][c] + a4->v[ZS_M_COVER_STOPS][c];
            if (a4->v[ZS_M_COVER_STOPS][c] > 0) {
                cover_work += a4->v[ZS_M_WORK_MIN][c];
                cover_base += b4->v[ZS_M_WORK_MIN][c];
                cover_ot += a4->v[ZS_M_OVERTIME_MIN][c];
                cover_ot_base += b4->v[ZS_M_OVERTIME_MIN][c];
            }
        }
    }
    gsl_rng *rng = zs_rng_create();
    uint32_t parcels[N];
    for (size_t r = 0; r < a4->reps; r++)
        for (size_t d = 0; d < DAYS; d++) {
            double pa = 0, pb = 0, p40 = 0;
            for (size_t z = 0; z < 4; z++) {
                pa += zs_sim_at(a4, ZS_M_PARCELS, r, d, z);
                pb += zs_sim_at(b4, ZS_M_PARCELS, r, d, z);
            }
            for (size_t z = 0; z < N; z++)
                p40 += zs_sim_at(abs[1], ZS_M_PARCELS, r, d, z);
            parcels_ok &= pa == pb && p40 == pb;
            /* Common random numbers: zone z of both plans reads the same
             * uniform, so the 4-zone plan's absences are the 40-zone
             * plan's among zones 0..3 unless all four were drawn (capped). */
            int n4 = 0, agree = 1;
            for (size_t z = 0; z < 4; z++) {
                n4 += zs_sim_at(a4, ZS_M_ABSENT, r, d, z) == 1.0;
                agree &= zs_sim_at(a4, ZS_M_ABSENT, r, d, z) == zs_sim_at(abs[1], ZS_M_ABSENT, r, d, z);
            }
            crn_ok &= agree || n4 == 3;
            /* The cover rule recomputed: each due stop of an absent zone
             * goes to the present zone with the nearest centre. */
            double want[4] = {0};
            zs_demand_draw_scaled(dem, 81, r, d, zs_demand_factor(dem, day_number[d]), rng, parcels);
            for (size_t i = 0; i < N; i++) {
                size_t zi = (size_t)four->zone[i];
                if (!parcels[i] || zs_sim_at(a4, ZS_M_ABSENT, r, d, zi) != 1.0)
                    continue;
                size_t best = 4;
                double bd = HUGE_VAL;
                for (size_t c = 0; c < 4; c++) {
                    double dx = pts->x[i] - four->cx[c], dy = pts->y[i] - four->cy[c];
                    if (zs_sim_at(a4, ZS_M_ABSENT, r, d, c) != 1.0 && dx * dx + dy * dy < bd) {
                        bd = dx * dx + dy * dy;
                        best = c;
                    }
                }
                want[best] += 1;
            }
            for (size_t z = 0; z < 4; z++)
                nearest_ok &= zs_sim_at(a4, ZS_M_COVER_STOPS, r, d, z) == want[z];
        }
    gsl_rng_free(rng);
    double share = n_absent / (double)cells;
    CHECK(n_absent > 0 && share > 0.15 && share < 0.35,
          "a 0.3 rate leaves %.3f of zone-days without their courier (capped at 3 of 4)", share);
    CHECK(empty_ok, "an absent zone-day records absent = 1 and nothing else");
    CHECK(stops_ok, "present zones visit their own stops plus cover_stops");
    CHECK(nearest_ok, "covered stops go to the present zone with the nearest centre (recomputed)");
    CHECK(parcels_ok, "every parcel is still delivered: daily totals equal the run without absence");
    CHECK(crn_ok, "plans of 4 and 40 zones see the same absences in zones 0..3 (common random numbers)");
    CHECK(cover_work > cover_base + 30 && cover_ot > cover_ot_base,
          "covering colleagues work longer (%.0f vs %.0f min) with more overtime (%.0f vs %.0f min)",
          cover_work, cover_base, cover_ot, cover_ot_base);
    for (int p = 0; p < 2; p++) {
        zs_sim_result_free(abs[p]);
        abs[p] = NULL;
    }

    /* Dated absences: 2 couriers on day 2, a quarter of them on day 4. */
    double couriers[DAYS] = {0, 0, 2, 0, 0, 0}, share4[DAYS] = {0, 0, 0, 0, 0.25, 0};
    in.absence = NULL;
    in.absent_couriers = couriers;
    in.absent_share = share4;
    s2 = zs_sim_run(&in, plans, 2, abs, &err);
    CHECK(s2 == ZS_OK, "dated absences run");
    if (s2 == ZS_OK) {
        int exact = 1;
        for (size_t r = 0; r < abs[0]->reps; r++)
            for (size_t d = 0; d < DAYS; d++) {
                double n4 = 0, n40 = 0;
                for (size_t z = 0; z < 4; z++)
                    n4 += zs_sim_at(abs[0], ZS_M_ABSENT, r, d, z);
                for (size_t z = 0; z < N; z++)
                    n40 += zs_sim_at(abs[1], ZS_M_ABSENT, r, d, z);
                exact &= n4 == (d == 2 ? 2 : d == 4 ? 1 : 0) && n40 == (d == 2 ? 2 : d == 4 ? 10 : 0);
            }
        CHECK(exact, "2 couriers out on day 2 and a quarter on day 4: exactly 2/2 and 1/10 absent");
    }
    share4[4] = 1.5;
    zs_sim_result *bad[2] = {0};
    CHECK(zs_sim_run(&in, plans, 2, bad, &err) == ZS_EINVAL && !bad[0], "a share above 1 is rejected");
    CHECK_CONTAINS(err.msg, "day 4: 0 couriers and a share of 1.5 absent", "share message");
out:
    for (int p = 0; p < 2; p++) {
        zs_sim_result_free(base[p]);
        zs_sim_result_free(zero[p]);
        zs_sim_result_free(abs[p]);
    }
}

/* Vehicles and road factors, recomputed on single-point zones. */
static void test_vehicle_road(zs_points *pts, const zs_demand *dem, const zs_partition *single,
                              const zs_partition *four)
{
    zs_efficiency eff;
    zs_efficiency_defaults(&eff);
    memset(eff.access_min, 0, sizeof eff.access_min);
    for (size_t i = 0; i < N; i++)
        pts->type[i] = ZS_PT_RESIDENTIAL;
    int64_t day_number[DAYS];
    for (int d = 0; d < DAYS; d++)
        day_number[d] = 20458 + d;
    zs_sim_input in = {.points = pts, .demand = dem, .eff = &eff, .depot_x = 0, .depot_y = 0,
                       .shift_min = 30.0, .days = DAYS, .day_number = day_number,
                       .rep_begin = 0, .rep_end = REPS, .seed = 82, .threads = 2,
                       .reload_min = 12.0};
    const zs_partition *p1[1] = {single}, *p4[1] = {four};
    zs_sim_result *base[1] = {0}, *r1[1] = {0}, *base4[1] = {0}, *r4[1] = {0};
    zs_err err;
    zs_status st = zs_sim_run(&in, p1, 1, base, &err);
    CHECK(st == ZS_OK, "vehicle baseline runs");
    if (st != ZS_OK)
        return;

    /* A vehicle as fast as the efficiency model, fixed speed, room for
     * everything: the same results to the bit. */
    zs_vehicle same = {eff.speed_kmh, 0.0, 1e6};
    const zs_vehicle *vs[1] = {&same};
    in.plan_vehicle = vs;
    st = zs_sim_run(&in, p1, 1, r1, &err);
    CHECK(st == ZS_OK && same_metrics(base[0], r1[0]) && total(r1[0], ZS_M_RELOADS) == 0,
          "a vehicle at efficiency.speed_kmh with cv 0 and ample capacity changes nothing");
    zs_sim_result_free(r1[0]);

    /* An e-bike carrying 1 parcel: every stop of 2+ parcels costs
     * ceil(parcels / 1) trips out and back; speed drawn per zone-day. */
    zs_vehicle bike = {20.0, 0.2, 1.0};
    vs[0] = &bike;
    st = zs_sim_run(&in, p1, 1, r1, &err);
    CHECK(st == ZS_OK, "a one-parcel e-bike runs");
    if (st == ZS_OK) {
        gsl_rng *rng = zs_rng_create();
        uint32_t parcels[N];
        double maxerr = 0, reloads = 0;
        for (size_t r = 0; r < REPS; r++)
            for (size_t d = 0; d < DAYS; d++) {
                zs_demand_draw_scaled(dem, 82, r, d, zs_demand_factor(dem, day_number[d]), rng, parcels);
                for (size_t z = 0; z < N; z++) {
                    double v[ZS_M_COUNT] = {0};
                    if (parcels[z]) {
                        zs_rng_rekey(rng, zs_rng_key(82, r, d, z, ZS_PURPOSE_COURIER));
                        double pace = zs_efficiency_draw_pace(&eff, rng);
                        zs_rng_rekey(rng, zs_rng_key(82, r, d, z, ZS_PURPOSE_SPEED));
                        double speed = zs_vehicle_draw_speed(&bike, rng);
                        double loads = parcels[z] > 1 ? parcels[z] : 0; /* capacity 1 */
                        double dist = 2 * hypot(pts->x[z], pts->y[z]) * (loads ? loads : 1);
                        v[ZS_M_DIST_KM] = dist * eff.circuity / 1000;
                        v[ZS_M_TRAVEL_MIN] = dist * eff.circuity / 1000 / speed * 60 * pace;
                        v[ZS_M_RELOADS] = loads;
                        v[ZS_M_RELOAD_MIN] = loads * 12.0;
                        v[ZS_M_SERVICE_MIN] = (eff.stop_min + parcels[z] * eff.parcel_min) * pace;
                        v[ZS_M_WORK_MIN] = v[ZS_M_TRAVEL_MIN] + v[ZS_M_SERVICE_MIN] + v[ZS_M_RELOAD_MIN];
                        reloads += loads;
                    }
                    int ms[] = {ZS_M_DIST_KM, ZS_M_TRAVEL_MIN, ZS_M_RELOADS, ZS_M_RELOAD_MIN,
                                ZS_M_SERVICE_MIN, ZS_M_WORK_MIN};
                    for (size_t q = 0; q < sizeof ms / sizeof ms[0]; q++)
                        maxerr = fmax(maxerr, fabs(zs_sim_at(r1[0], ms[q], r, d, z) - v[ms[q]]));
                }
            }
        gsl_rng_free(rng);
        CHECK(reloads > 0 && maxerr < 1e-9,
              "reload trips, daily speed and reload minutes recomputed (%.0f reloads, max error %.2g)",
              reloads, maxerr);
        zs_sim_result_free(r1[0]);
    }

    /* Multi-stop zones: no reloads with a large load, reloads and longer
     * tours with a small one. */
    in.plan_vehicle = NULL;
    zs_status sb = zs_sim_run(&in, p4, 1, base4, &err);
    zs_vehicle big = {eff.speed_kmh, 0.0, 500.0}, small = {eff.speed_kmh, 0.0, 3.0};
    vs[0] = &big;
    in.plan_vehicle = vs;
    zs_status s1 = zs_sim_run(&in, p4, 1, r4, &err);
    CHECK(sb == ZS_OK && s1 == ZS_OK && total(r4[0], ZS_M_RELOADS) == 0 &&
              same_metrics(base4[0], r4[0]),
          "capacity 500 on zones of ~10 stops: no reloads, nothing changes");
    zs_sim_result_free(r4[0]);
    vs[0] = &small;
    s1 = zs_sim_run(&in, p4, 1, r4, &err);
    if (sb == ZS_OK && s1 == ZS_OK) {
        double rl = total(r4[0], ZS_M_RELOADS), km = total(r4[0], ZS_M_DIST_KM),
               km0 = total(base4[0], ZS_M_DIST_KM), w = total(r4[0], ZS_M_WORK_MIN),
               w0 = total(base4[0], ZS_M_WORK_MIN);
        CHECK(rl > 0 && km > km0 && w > w0 + rl * 12.0 - 1e-6,
              "capacity 3: %.0f reloads, %.0f km instead of %.0f, work up by more than the loading minutes",
              rl, km, km0);
    }
    zs_sim_result_free(r4[0]);
    in.plan_vehicle = NULL;
    in.reload_min = -1;
    CHECK(zs_sim_run(&in, p4, 1, r4, &err) == ZS_EINVAL, "negative reload minutes rejected");
    in.reload_min = 12;

    /* Road factors: travel into point i takes road_i times as long; the
     * drive back to the depot does not; distance is unchanged. */
    double *road = zs_malloc_array(N, sizeof *road);
    if (road) {
        for (size_t i = 0; i < N; i++)
            road[i] = 1.0 + 0.5 * (double)(i % 3);
        pts->road = road;
        st = zs_sim_run(&in, p1, 1, r1, &err);
        CHECK(st == ZS_OK, "road factors run");
        if (st == ZS_OK) {
            gsl_rng *rng = zs_rng_create();
            double maxerr = 0;
            for (size_t r = 0; r < REPS; r++)
                for (size_t d = 0; d < DAYS; d++)
                    for (size_t z = 0; z < N; z++) {
                        double t0 = zs_sim_at(base[0], ZS_M_TRAVEL_MIN, r, d, z);
                        /* out at road_z, back at 1: (road_z + 1) / 2 of the plain time */
                        maxerr = fmax(maxerr, fabs(zs_sim_at(r1[0], ZS_M_TRAVEL_MIN, r, d, z) -
                                                   t0 * (road[z] + 1) / 2));
                        maxerr = fmax(maxerr, fabs(zs_sim_at(r1[0], ZS_M_DIST_KM, r, d, z) -
                                                   zs_sim_at(base[0], ZS_M_DIST_KM, r, d, z)));
                    }
            gsl_rng_free(rng);
            CHECK(maxerr < 1e-9, "travel minutes scale with the road factor, km do not (max error %.2g)", maxerr);
            zs_sim_result_free(r1[0]);
        }
        for (size_t i = 0; i < N; i++)
            road[i] = 2.0;
        st = zs_sim_run(&in, p4, 1, r4, &err);
        if (st == ZS_OK && sb == ZS_OK) {
            double t = total(r4[0], ZS_M_TRAVEL_MIN), t0 = total(base4[0], ZS_M_TRAVEL_MIN);
            CHECK(t > 1.5 * t0 && t < 2.0 * t0 && total(r4[0], ZS_M_DIST_KM) == total(base4[0], ZS_M_DIST_KM),
                  "factor 2 everywhere: travel %.0f min vs %.0f (all legs but the last home doubled)", t, t0);
        }
        zs_sim_result_free(r4[0]);
        road[3] = 0.5;
        CHECK(zs_sim_run(&in, p4, 1, r4, &err) == ZS_EINVAL, "a road factor below 1 is rejected");
        CHECK_CONTAINS(err.msg, "point 3: road factor 0.5; must be >= 1", "road factor message");
        pts->road = NULL;
        zs_free(road);
    }
    zs_sim_result_free(base[0]);
    zs_sim_result_free(base4[0]);
}

/* Time-of-day signing: offices sign in working hours, estates in the
 * evening; the attempt time is the arrival time. */
static void test_signing_hours(zs_points *pts, const zs_demand *dem, const zs_partition *single)
{
    zs_efficiency eff;
    zs_efficiency_defaults(&eff);
    zs_signing sig;
    zs_signing_defaults(&sig);
    sig.p_success[ZS_PT_OFFICE] = 0.95;
    sig.p_success_off[ZS_PT_OFFICE] = 0.30;
    sig.p_success[ZS_PT_RESIDENTIAL] = 0.50;
    sig.p_success_off[ZS_PT_RESIDENTIAL] = 0.95;
    for (size_t i = 0; i < N; i++)
        pts->type[i] = (uint8_t)(i % 2 ? ZS_PT_OFFICE : ZS_PT_RESIDENTIAL);
    int64_t day_number[DAYS];
    for (int d = 0; d < DAYS; d++)
        day_number[d] = 20458 + d;
    zs_sim_input in = {.points = pts, .demand = dem, .eff = &eff, .signing = &sig,
                       .depot_x = 0, .depot_y = 0, .shift_min = 480.0, .days = DAYS,
                       .day_number = day_number, .rep_begin = 0, .rep_end = 150, .seed = 83,
                       .threads = 2, .shift_start_min = 9 * 60};
    const zs_partition *p1[1] = {single};
    zs_sim_result *day[1] = {0}, *eve[1] = {0};
    zs_err err;
    zs_status s1 = zs_sim_run(&in, p1, 1, day, &err);
    in.shift_start_min = 19 * 60; /* an evening round: everyone is off work */
    zs_status s2 = zs_sim_run(&in, p1, 1, eve, &err);
    CHECK(s1 == ZS_OK && s2 == ZS_OK, "day and evening rounds run");
    if (s1 == ZS_OK && s2 == ZS_OK) {
        double stops[2][2] = {{0}}, failed[2][2] = {{0}}; /* [round][office?] */
        zs_sim_result *res[2] = {day[0], eve[0]};
        for (int k = 0; k < 2; k++)
            for (size_t r = 0; r < res[k]->reps; r++)
                for (size_t d = 0; d < DAYS; d++)
                    for (size_t z = 0; z < N; z++) {
                        stops[k][z % 2] += zs_sim_at(res[k], ZS_M_STOPS, r, d, z);
                        failed[k][z % 2] += zs_sim_at(res[k], ZS_M_FAILED_STOPS, r, d, z);
                    }
        double want[2][2] = {{0.50, 0.95}, {0.95, 0.30}};
        const char *round[2] = {"9:00", "19:00"}, *type[2] = {"estate", "office"};
        for (int k = 0; k < 2; k++)
            for (int o = 0; o < 2; o++) {
                double rate = 1 - failed[k][o] / stops[k][o], p = want[k][o];
                CHECK_NEAR(rate, p, 5 * sqrt(p * (1 - p) / stops[k][o]),
                           "round from %s: %s first-attempt rate %.3f vs %.2f (%.0f stops)",
                           round[k], type[o], rate, p, stops[k][o]);
            }
    }
    zs_sim_result_free(day[0]);
    zs_sim_result_free(eve[0]);
}

/* Everything on at once: 1 vs 3 threads, plan order, shards. */
static void test_extras_determinism(zs_points *pts, const zs_demand *dem,
                                    const zs_partition *single, const zs_partition *four)
{
    zs_efficiency eff;
    zs_efficiency_defaults(&eff);
    zs_signing sig;
    zs_signing_defaults(&sig);
    zs_waiting wai;
    zs_waiting_defaults(&wai);
    for (int t = 0; t < ZS_PT_COUNT; t++)
        sig.p_success_off[t] = 0.5;
    for (size_t i = 0; i < N; i++)
        pts->type[i] = (uint8_t)(i % ZS_PT_COUNT);
    double *road = zs_malloc_array(N, sizeof *road);
    if (!road)
        return;
    for (size_t i = 0; i < N; i++)
        road[i] = 1.0 + (double)(i % 4) * 0.25;
    pts->road = road;
    int64_t day_number[DAYS];
    double couriers[DAYS] = {0, 1, 0, 0, 0, 0};
    for (int d = 0; d < DAYS; d++)
        day_number[d] = 20458 + d;
    zs_absence ab = {0.15};
    zs_vehicle bike = {20.0, 0.2, 4.0}, van = {25.0, 0.1, 300.0};
    const zs_vehicle *ab_veh[2] = {&bike, &van}, *ba_veh[2] = {&van, &bike};
    zs_sim_input in = {.points = pts, .demand = dem, .eff = &eff, .signing = &sig, .waiting = &wai,
                       .promise_min = 120, .max_overtime_min = 60, .depot_x = 0, .depot_y = 0,
                       .shift_min = 60.0, .days = DAYS, .day_number = day_number, .rep_begin = 0,
                       .rep_end = REPS, .seed = 84, .threads = 1, .absence = &ab,
                       .absent_couriers = couriers, .plan_vehicle = ab_veh, .reload_min = 8,
                       .shift_start_min = 16 * 60};
    const zs_partition *ab_p[2] = {four, single}, *ba_p[2] = {single, four};
    zs_sim_result *t1[2] = {0}, *t3[2] = {0}, *rev[2] = {0}, *sh[2] = {0};
    zs_err err;
    zs_status s1 = zs_sim_run(&in, ab_p, 2, t1, &err);
    in.threads = 3;
    zs_status s3 = zs_sim_run(&in, ab_p, 2, t3, &err);
    in.plan_vehicle = ba_veh;
    zs_status sr = zs_sim_run(&in, ba_p, 2, rev, &err);
    in.plan_vehicle = ab_veh;
    in.rep_begin = 2;
    zs_status ss = zs_sim_run(&in, ab_p, 2, sh, &err);
    CHECK(s1 == ZS_OK && s3 == ZS_OK && sr == ZS_OK && ss == ZS_OK,
          "absence, vehicles, road factors and timed signing together run");
    if (s1 == ZS_OK && s3 == ZS_OK && sr == ZS_OK && ss == ZS_OK) {
        CHECK(total(t1[0], ZS_M_ABSENT) > 0 && total(t1[0], ZS_M_RELOADS) > 0 &&
                  total(t1[0], ZS_M_COVER_STOPS) > 0 && total(t1[0], ZS_M_UNVISITED) > 0,
              "the fixture exercises absences, cover, reloads and the overtime limit");
        CHECK(same_result(t1[0], t3[0], 0) && same_result(t1[1], t3[1], 0),
              "with every extra on, 1 and 3 threads give bit-identical results");
        CHECK(same_result(t1[0], rev[1], 0) && same_result(t1[1], rev[0], 0),
              "with every extra on, plan order does not change any plan's results");
        CHECK(same_result(t1[0], sh[0], 2) && same_result(t1[1], sh[1], 2),
              "with every extra on, replications 2..4 alone equal the full run's rows");
    }
    for (int p = 0; p < 2; p++) {
        zs_sim_result_free(t1[p]);
        zs_sim_result_free(t3[p]);
        zs_sim_result_free(rev[p]);
        zs_sim_result_free(sh[p]);
    }
    /* Allocation failures in the absence workspaces too. */
    int ok = 1, n_fail = 0;
    in.rep_begin = 0;
    in.threads = 2;
    for (long i = 0; i < 300; i++) {
        zs_sim_result *res[2] = {0};
        zs_alloc_fail_after(i);
        zs_status st = zs_sim_run(&in, ab_p, 2, res, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_sim_result_free(res[0]);
            zs_sim_result_free(res[1]);
            break;
        }
        n_fail++;
        ok &= st == ZS_ENOMEM && res[0] == NULL && res[1] == NULL;
    }
    CHECK(ok && n_fail > 10, "with absences on, each allocation failure gives ZS_ENOMEM (%d points)", n_fail);
    pts->road = NULL;
    zs_free(road);
}

int main(void)
{
    zs_err err;
    zs_points *pts = ring_points(N, 0);
    zs_demand *dem = pts ? zs_demand_create(N, pts->parcels, NULL, &err) : NULL;
    CHECK(pts && dem, "fixture points and demand");
    if (!pts || !dem)
        return zs_test_done();
    zs_partition *single = modulo_plan(pts, N), *four = modulo_plan(pts, 4);
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
    test_absence(pts, dem, single, four);
    test_vehicle_road(pts, dem, single, four);
    test_signing_hours(pts, dem, single);
    test_extras_determinism(pts, dem, single, four);
    zs_partition_free(single);
    zs_partition_free(four);
    zs_demand_free(dem);
    zs_points_free(pts);
    return zs_test_done();
}
