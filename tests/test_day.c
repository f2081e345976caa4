/* Tests of the station's day (issue 21, engine/sim/day.c): dispatch waves,
 * delivery windows and pickups inserted into the route, through
 * zs_sim_run on the ring station of sim_fixture.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "pipeline/scenario.h"
#include "models/alloc.h"
#include "models/demand.h"
#include "check.h"
#include "sim_fixture.h"

enum { N = 60, DAYS = 6, REPS = 6 };

static const int64_t MONDAY = 20458; /* 2026-01-05 */

static double total(const zs_sim_result *r, int m)
{
    double s = 0.0;
    for (size_t c = 0; c < r->reps * r->days * r->zones; c++)
        s += r->v[m][c];
    return s;
}

static int same_all(const zs_sim_result *a, const zs_sim_result *b)
{
    size_t cells = a->reps * a->days * a->zones;
    for (int m = 0; m < ZS_M_COUNT; m++)
        if (a->zones != b->zones || memcmp(a->v[m], b->v[m], cells * sizeof(double)))
            return 0;
    return 1;
}

typedef struct {
    zs_efficiency eff;
    int64_t day_number[DAYS];
    double share[DAYS * ZS_WAVES_MAX];
    zs_sim_input in;
} setup;

/* The ring station, one wave at the shift start (day model off). */
static void setup_init(setup *s, const zs_points *pts, const zs_demand *dem)
{
    zs_efficiency_defaults(&s->eff);
    for (int d = 0; d < DAYS; d++)
        s->day_number[d] = MONDAY + d;
    s->in = (zs_sim_input){.points = pts, .demand = dem, .eff = &s->eff, .promise_min = 240,
                           .max_overtime_min = 0, .depot_x = 0, .depot_y = 0,
                           .shift_min = 480.0, .days = DAYS, .day_number = s->day_number,
                           .rep_begin = 0, .rep_end = REPS, .seed = 77, .threads = 2,
                           .pickup_from_min = 0, .pickup_to_min = 360,
                           .pickup_promise_min = 120, .pickup_min = 2.0, .n_waves = 1,
                           .wave_share = s->share};
    for (int d = 0; d < DAYS * ZS_WAVES_MAX; d++)
        s->share[d] = 1.0;
}

/* n waves at the given minutes with the given shares every day. */
static void set_waves(setup *s, size_t n, const double *at, const double *share)
{
    s->in.day_model = 1;
    s->in.n_waves = n;
    for (size_t w = 0; w < n; w++)
        s->in.wave_min[w] = at[w];
    for (int d = 0; d < DAYS; d++)
        for (size_t w = 0; w < n; w++)
            s->share[d * n + w] = share[w];
}

/* Each collection's release and time, for the pickup checks. */
typedef struct {
    size_t n, early;
    double worst; /* most minutes a collection came before its release */
} trace;

static void on_pickup(void *ctx, size_t point, double release, double collected)
{
    trace *t = ctx;
    (void)point;
    t->n++;
    if (collected < release) {
        t->early++;
        if (release - collected > t->worst)
            t->worst = release - collected;
    }
}

/* One wave at the shift start through the day model: the single-scan
 * day's results (counts exact, minutes and km to rounding). */
static void test_one_wave(const zs_points *pts, const zs_demand *dem, const zs_partition *p4)
{
    setup s;
    setup_init(&s, pts, dem);
    s.in.max_overtime_min = 120; /* a cut-off, so that stops wait for tomorrow */
    s.in.signing = NULL;
    const zs_partition *plans[1] = {p4};
    zs_sim_result *a[1] = {0}, *b[1] = {0};
    zs_err err;
    CHECK(zs_sim_run(&s.in, plans, 1, a, &err) == ZS_OK && a[0]->n_metrics == ZS_M_BASE_COUNT,
          "single scan: runs, carries the base metrics only");
    double at[1] = {0}, share[1] = {1};
    set_waves(&s, 1, at, share);
    CHECK(zs_sim_run(&s.in, plans, 1, b, &err) == ZS_OK && b[0]->n_metrics == ZS_M_COUNT,
          "one wave through the day model: runs, carries every metric");
    if (!a[0] || !b[0])
        goto out;
    static const int exact[] = {ZS_M_STOPS, ZS_M_PARCELS, ZS_M_DELIVERED, ZS_M_LATE,
                                ZS_M_CARRIED, ZS_M_UNVISITED, ZS_M_PICKUPS, ZS_M_PICKUPS_LATE,
                                ZS_M_PICKUPS_MISSED};
    int same = 1;
    for (size_t k = 0; k < sizeof exact / sizeof *exact; k++)
        same &= total(a[0], exact[k]) == total(b[0], exact[k]);
    CHECK(same, "one wave: stops, parcels, delivered, late, carried, unvisited and pickups as the single-scan day");
    double worst = 0.0;
    size_t cells = REPS * DAYS * 4;
    for (int m = 0; m < ZS_M_BASE_COUNT; m++)
        for (size_t c = 0; c < cells; c++) {
            double e = fabs(a[0]->v[m][c] - b[0]->v[m][c]) / (1.0 + fabs(a[0]->v[m][c]));
            worst = e > worst ? e : worst;
        }
    CHECK(worst < 1e-9, "one wave: every zone-day of every metric as the single-scan day (max rel. diff %.1e)", worst);
    CHECK(total(b[0], ZS_M_IDLE_MIN) == 0 && total(b[0], ZS_M_DEPOT_MIN) == 0 &&
          total(b[0], ZS_M_PARCELS_W1) == total(b[0], ZS_M_PARCELS) &&
          total(b[0], ZS_M_LATE_W1) == total(b[0], ZS_M_LATE) && total(b[0], ZS_M_PARCELS_W2) == 0,
          "one wave: no idle or depot minutes, every parcel in wave 1");
out:
    zs_sim_result_free(a[0]);
    zs_sim_result_free(b[0]);
}

/* Two waves: the split, common random numbers, the breakdown, the
 * promise per wave, threads. */
static void test_two_waves(const zs_points *pts, const zs_demand *dem, const zs_partition *p4,
                           const zs_partition *p7)
{
    setup s;
    setup_init(&s, pts, dem);
    const zs_partition *plans[2] = {p4, p7};
    double at[2] = {-60, 240}, share[2] = {0.6, 0.4};
    set_waves(&s, 2, at, share);
    zs_sim_result *r[2] = {0}, *r1[2] = {0}, *one[2] = {0};
    zs_err err;
    CHECK(zs_sim_run(&s.in, plans, 2, r, &err) == ZS_OK, "two waves (08:00 and 13:00 for a 09:00 shift) run");
    s.in.threads = 1;
    CHECK(zs_sim_run(&s.in, plans, 2, r1, &err) == ZS_OK, "two waves on one thread");
    s.in.threads = 2;
    if (!r[0] || !r1[0])
        goto out;
    CHECK(same_all(r[0], r1[0]) && same_all(r[1], r1[1]), "two waves: 1 and 2 threads bit-identical");
    for (int p = 0; p < 2; p++) {
        double w1 = total(r[p], ZS_M_PARCELS_W1), w2 = total(r[p], ZS_M_PARCELS_W2);
        CHECK(w1 + w2 == total(r[p], ZS_M_PARCELS) && total(r[p], ZS_M_PARCELS_W3) == 0,
              "plan %d: parcels of wave 1 and 2 add up to the parcels", p);
        CHECK(total(r[p], ZS_M_LATE_W1) + total(r[p], ZS_M_LATE_W2) == total(r[p], ZS_M_LATE),
              "plan %d: late parcels per wave add up", p);
        /* No cut-off and every attempt keyed as before: wave 2 holds about
         * 40% of the new parcels (carried ones are wave 1's). */
        double newp = total(r[p], ZS_M_PARCELS) - total(r[p], ZS_M_CARRIED);
        CHECK(fabs(w2 / newp - 0.4) < 0.03, "plan %d: wave 2 carries %.3f of the new parcels (share 0.4)",
              p, w2 / newp);
        size_t cells = REPS * DAYS * r[p]->zones, bad = 0;
        for (size_t c = 0; c < cells; c++) {
            const double *const *v = (const double *const *)r[p]->v;
            double work = v[ZS_M_TRAVEL_MIN][c] + v[ZS_M_SERVICE_MIN][c] + v[ZS_M_RELOAD_MIN][c] +
                          v[ZS_M_PICKUP_MIN][c] + v[ZS_M_WINDOW_WAIT_MIN][c];
            double span = v[ZS_M_WORK_MIN][c] + v[ZS_M_IDLE_MIN][c];
            double ot = span > 480.0 ? span - 480.0 : 0.0;
            bad += fabs(work - v[ZS_M_WORK_MIN][c]) > 1e-9 || fabs(ot - v[ZS_M_OVERTIME_MIN][c]) > 1e-6 ||
                   v[ZS_M_TRIPS][c] > 2 || v[ZS_M_DEPOT_MIN][c] > v[ZS_M_TRAVEL_MIN][c] + 1e-9 ||
                   (v[ZS_M_TRIPS][c] < 2 && v[ZS_M_DEPOT_MIN][c] != 0.0);
        }
        CHECK(bad == 0, "plan %d: work = travel + service + reloads + pickups + door waiting; "
              "overtime = work + idle past the shift; depot minutes only between two trips", p);
    }
    /* The same split in both plans: wave 2's parcels (never carried) per
     * (replication, day) do not depend on the zoning. */
    int crn = 1;
    for (size_t rd = 0; rd < REPS * DAYS; rd++) {
        double a = 0, b = 0;
        for (size_t z = 0; z < 4; z++)
            a += r[0]->v[ZS_M_PARCELS_W2][rd * 4 + z];
        for (size_t z = 0; z < 7; z++)
            b += r[1]->v[ZS_M_PARCELS_W2][rd * 7 + z];
        crn &= a == b;
    }
    CHECK(crn, "both plans get the same wave-2 parcels every (replication, day)");
    CHECK(total(r[0], ZS_M_IDLE_MIN) > 0 && total(r[0], ZS_M_DEPOT_MIN) > 0 &&
          total(r[0], ZS_M_TRIPS) > REPS * DAYS * 4,
          "two waves: couriers wait at the station and drive back between trips (%.0f trips)",
          total(r[0], ZS_M_TRIPS));
    /* The same parcels in one wave at the shift start: the promise runs
     * from 09:00 for all; with a second wave, wave 2's promise runs from
     * 13:00, so fewer parcels are late. */
    double at1[1] = {0}, sh1[1] = {1};
    set_waves(&s, 1, at1, sh1);
    CHECK(zs_sim_run(&s.in, plans, 2, one, &err) == ZS_OK, "the same station with one wave");
    if (one[0])
        CHECK(total(one[0], ZS_M_PARCELS) == total(r[0], ZS_M_PARCELS) &&
              total(r[0], ZS_M_STOPS) > total(one[0], ZS_M_STOPS),
              "two waves: the same parcels, more stops (points with parcels in both waves: %.0f vs %.0f)",
              total(r[0], ZS_M_STOPS), total(one[0], ZS_M_STOPS));
out:
    for (int p = 0; p < 2; p++) {
        zs_sim_result_free(r[p]);
        zs_sim_result_free(r1[p]);
        zs_sim_result_free(one[p]);
    }
}

/* Windows: wide ones change nothing but their count; tight feasible ones
 * are met by the window-aware daily route far more often than by the
 * fixed master order. */
static void test_windows(const zs_points *pts, const zs_demand *dem, const zs_partition *p4)
{
    setup s;
    setup_init(&s, pts, dem);
    s.in.signing = NULL;
    const zs_partition *plans[1] = {p4};
    double *open = zs_malloc_array(N, sizeof *open), *close = zs_malloc_array(N, sizeof *close);
    zs_sim_result *none[1] = {0}, *wide[1] = {0}, *tight[1] = {0}, *fixed[1] = {0};
    zs_err err;
    if (!open || !close)
        goto out;
    double at[1] = {0}, sh[1] = {1};
    set_waves(&s, 1, at, sh);
    CHECK(zs_sim_run(&s.in, plans, 1, none, &err) == ZS_OK, "no windows");
    for (size_t i = 0; i < N; i++) {
        open[i] = i % 3 == 0 ? -600.0 : -HUGE_VAL;
        close[i] = i % 3 == 0 ? 2000.0 : HUGE_VAL;
    }
    s.in.window_open = open;
    s.in.window_close = close;
    CHECK(zs_sim_run(&s.in, plans, 1, wide, &err) == ZS_OK, "windows that never bind");
    /* Every third point: the first half of the day for even ones, the
     * second half for odd ones. */
    for (size_t i = 0; i < N; i++)
        if (i % 3 == 0) {
            open[i] = i % 2 ? 90.0 : 0.0;
            close[i] = i % 2 ? 480.0 : 90.0;
        }
    CHECK(zs_sim_run(&s.in, plans, 1, tight, &err) == ZS_OK, "windows that bind");
    s.in.fixed_routes = 1;
    CHECK(zs_sim_run(&s.in, plans, 1, fixed, &err) == ZS_OK, "windows with the fixed master route");
    if (!none[0] || !wide[0] || !tight[0] || !fixed[0])
        goto out;
    int same = 1;
    for (int m = 0; m < ZS_M_COUNT; m++)
        if (m != ZS_M_WINDOW_STOPS)
            same &= !memcmp(none[0]->v[m], wide[0]->v[m], REPS * DAYS * 4 * sizeof(double));
    CHECK(same && total(wide[0], ZS_M_WINDOW_STOPS) > 0 && total(wide[0], ZS_M_WINDOW_MISSES) == 0,
          "windows that never bind: the same routes and results, %.0f window stops, no miss",
          total(wide[0], ZS_M_WINDOW_STOPS));
    double ws = total(tight[0], ZS_M_WINDOW_STOPS), mt = total(tight[0], ZS_M_WINDOW_MISSES),
           mf = total(fixed[0], ZS_M_WINDOW_MISSES);
    CHECK(ws > 0 && mt < 0.5 * mf, "binding windows: the daily route misses %.0f of %.0f window stops, "
          "the fixed master route %.0f", mt, ws, mf);
    CHECK(total(tight[0], ZS_M_WINDOW_WAIT_MIN) > 0, "binding windows: couriers wait at doors (%.0f min)",
          total(tight[0], ZS_M_WINDOW_WAIT_MIN));
    CHECK(total(tight[0], ZS_M_DELIVERED) == total(none[0], ZS_M_DELIVERED),
          "windows: the same parcels are delivered");
out:
    zs_free(open);
    zs_free(close);
    zs_sim_result_free(none[0]);
    zs_sim_result_free(wide[0]);
    zs_sim_result_free(tight[0]);
    zs_sim_result_free(fixed[0]);
}

/* Pickups inserted into the route against the round after the
 * deliveries: fewer km, none collected before its release. */
static void test_pickups(const zs_points *pts, const zs_demand *dem, const zs_partition *p4)
{
    setup s;
    setup_init(&s, pts, dem);
    const zs_partition *plans[1] = {p4};
    double at[2] = {-60, 240}, sh[2] = {0.6, 0.4};
    set_waves(&s, 2, at, sh);
    trace ta = {0}, ti = {0};
    s.in.threads = 1;
    s.in.pickup_trace = on_pickup;
    s.in.pickup_trace_ctx = &ta;
    zs_sim_result *after[1] = {0}, *ins[1] = {0}, *ins2[1] = {0};
    zs_err err;
    CHECK(zs_sim_run(&s.in, plans, 1, after, &err) == ZS_OK, "two waves, pickups after the deliveries");
    s.in.pickup_inserted = 1;
    s.in.pickup_trace_ctx = &ti;
    CHECK(zs_sim_run(&s.in, plans, 1, ins, &err) == ZS_OK, "two waves, pickups inserted");
    s.in.pickup_trace = NULL;
    s.in.threads = 2;
    CHECK(zs_sim_run(&s.in, plans, 1, ins2, &err) == ZS_OK, "pickups inserted, 2 threads");
    if (!after[0] || !ins[0] || !ins2[0])
        goto out;
    CHECK(same_all(ins[0], ins2[0]), "pickups inserted: 1 and 2 threads bit-identical (trace or not)");
    double req = total(ins[0], ZS_M_PICKUPS);
    CHECK(req > 100 && req == total(after[0], ZS_M_PICKUPS), "the same %.0f requests under both policies", req);
    CHECK(ti.n == req - total(ins[0], ZS_M_PICKUPS_MISSED) &&
          ta.n == req - total(after[0], ZS_M_PICKUPS_MISSED),
          "every request collected once or missed (%zu and %zu collections)", ti.n, ta.n);
    CHECK(ti.early == 0 && ta.early == 0, "no pickup collected before its release (worst %.2f min early)",
          ti.worst > ta.worst ? ti.worst : ta.worst);
    double ka = total(after[0], ZS_M_PICKUP_KM), ki = total(ins[0], ZS_M_PICKUP_KM);
    CHECK(ki < ka, "inserted pickups add fewer km than the round after the deliveries (%.1f vs %.1f km)",
          ki, ka);
    CHECK(total(ins[0], ZS_M_DIST_KM) == total(after[0], ZS_M_DIST_KM) &&
          total(ins[0], ZS_M_DELIVERED) == total(after[0], ZS_M_DELIVERED),
          "the delivery path's km and the parcels are those of the round policy");
out:
    zs_sim_result_free(after[0]);
    zs_sim_result_free(ins[0]);
    zs_sim_result_free(ins2[0]);
}

/* The day model's inputs are checked. */
static void test_checks(const zs_points *pts, const zs_demand *dem, const zs_partition *p4)
{
    setup s;
    setup_init(&s, pts, dem);
    const zs_partition *plans[1] = {p4};
    zs_sim_result *r[1] = {0};
    zs_err err;
    double at[2] = {240, 0}, sh[2] = {0.5, 0.5};
    set_waves(&s, 2, at, sh);
    CHECK(zs_sim_run(&s.in, plans, 1, r, &err) == ZS_EINVAL && strstr(err.msg, "time order"),
          "waves out of time order refused (%s)", err.msg);
    at[0] = 0;
    at[1] = 240;
    sh[1] = 0.6;
    set_waves(&s, 2, at, sh);
    CHECK(zs_sim_run(&s.in, plans, 1, r, &err) == ZS_EINVAL && strstr(err.msg, "sum to 1.1"),
          "shares not summing to 1 refused (%s)", err.msg);
    s.in.n_waves = ZS_WAVES_MAX + 1;
    CHECK(zs_sim_run(&s.in, plans, 1, r, &err) == ZS_EINVAL && strstr(err.msg, "waves"),
          "too many waves refused (%s)", err.msg);
}

/* Each day's wave shares from a scenario: weekday shares, a peak-season
 * wave, normalisation. */
static void test_wave_shares(void)
{
    static const char text[] =
        "points: {generate: {n_points: 20}}\n"
        "dispatch:\n"
        "  waves:\n"
        "    - {at: \"08:00\", share: 3}\n"
        "    - {at: \"13:00\", share: 1, weekday_share: [1, 1, 1, 1, 1, 1, 0]}\n"
        "    - {at: \"17:30\", share: 0, peak_share: 1}\n";
    zs_scenario *sc = NULL;
    zs_err err;
    CHECK(zs_scenario_parse(text, sizeof text - 1, "t.yaml", ".", &sc, &err) == ZS_OK && sc &&
          sc->n_waves == 3, "a scenario with three waves parses");
    if (!sc)
        return;
    double s[3];
    zs_scenario_wave_shares(sc, MONDAY, 0, s);
    CHECK(s[0] == 0.75 && s[1] == 0.25 && s[2] == 0.0, "Monday: 3:1 normalised, no third wave");
    zs_scenario_wave_shares(sc, MONDAY + 6, 0, s);
    CHECK(s[0] == 1.0 && s[1] == 0.0 && s[2] == 0.0, "Sunday: weekday_share 0 for the second wave");
    zs_scenario_wave_shares(sc, MONDAY, 1, s);
    CHECK(s[0] == 0.6 && s[1] == 0.2 && s[2] == 0.2, "a peak Monday: the third wave's peak share joins");
    zs_scenario_free(sc);
}

int main(void)
{
    test_wave_shares();
    zs_points *pts = ring_points(N, 1);
    zs_err err;
    zs_demand_opts o;
    zs_demand_opts_defaults(&o);
    zs_demand *dem = pts ? zs_demand_create(N, pts->parcels, &o, &err) : NULL;
    zs_demand *dpk = pts ? zs_demand_create(N, pts->parcels, &o, &err) : NULL;
    double *pm = malloc(N * sizeof *pm);
    if (!pts || !dem || !dpk || !pm) {
        CHECK(0, "fixture");
        return 1;
    }
    for (size_t i = 0; i < N; i++) {
        pts->parcels[i] *= 6.0; /* a full day for four couriers */
        pm[i] = 0.25;
    }
    zs_demand_free(dem);
    zs_demand_free(dpk);
    dem = zs_demand_create(N, pts->parcels, &o, &err);
    dpk = zs_demand_create(N, pts->parcels, &o, &err);
    CHECK(dem && dpk && zs_demand_set_pickups(dpk, pm, &err) == ZS_OK, "demand with and without pickups");
    zs_partition *p4 = modulo_plan(pts, 4), *p7 = modulo_plan(pts, 7);
    if (dem && dpk && p4 && p7) {
        test_one_wave(pts, dpk, p4);
        test_two_waves(pts, dem, p4, p7);
        test_windows(pts, dem, p4);
        test_pickups(pts, dpk, p4);
        test_checks(pts, dem, p4);
    }
    zs_partition_free(p4);
    zs_partition_free(p7);
    zs_demand_free(dem);
    zs_demand_free(dpk);
    zs_points_free(pts);
    free(pm);
    return zs_test_done();
}
