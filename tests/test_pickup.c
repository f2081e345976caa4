/* Tests of pickup requests (issue 4): the draws (models/demand), the
 * pickup round of the simulation (engine/sim), calibration from a history
 * with a pickups column, and the scenario keys. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "pipeline/scenario.h"
#include "sim/sim.h"
#include "models/alloc.h"
#include "models/rng.h"
#include "models/workload.h"
#include "check.h"
#include "sim_fixture.h"

enum { N = 40, DAYS = 6, REPS = 6 };

static const int64_t MONDAY = 20458; /* 2026-01-05 */

static double total(const zs_sim_result *r, int m)
{
    double s = 0.0;
    for (size_t c = 0; c < r->reps * r->days * r->zones; c++)
        s += r->v[m][c];
    return s;
}

static int same_metric(const zs_sim_result *a, const zs_sim_result *b, int m)
{
    size_t cells = a->reps * a->days * a->zones;
    return a->zones == b->zones && memcmp(a->v[m], b->v[m], cells * sizeof(double)) == 0;
}

static int same_all(const zs_sim_result *a, const zs_sim_result *b)
{
    for (int m = 0; m < ZS_M_COUNT; m++)
        if (!same_metric(a, b, m))
            return 0;
    return 1;
}

/* Counts have mean and variance of the model; release times lie in the
 * window and average its midpoint; set_pickups and the validation. */
static void test_draws(void)
{
    zs_err err;
    double mean[3] = {0.7, 2.5, 0.0};
    zs_demand_opts o;
    zs_demand_opts_defaults(&o);
    CHECK(o.pickup_rate[ZS_PT_SHOP] == 0.0 && o.pickup_release_end_h == 16.0 &&
          o.pickup_promise_h == 0.0, "defaults: no pickups, release end 16:00, promise end of shift");
    zs_demand *d = zs_demand_create(3, mean, &o, &err);
    CHECK(d && d->pickup_mean == NULL, "a new demand has no pickups");
    if (!d)
        return;
    gsl_rng *r = zs_rng_create();
    double zeros[3] = {0, 0, 0};
    CHECK(zs_demand_set_pickups(d, zeros, &err) == ZS_OK && d->pickup_mean == NULL,
          "all-zero pickup means store nothing (no draws at all)");
    CHECK(zs_demand_draw_pickups(d, 1, 0, 0, 0, 1.0, r) == 0, "no pickups without pickup means");
    double bad[3] = {0.5, -1.0, 0.0};
    CHECK(zs_demand_set_pickups(d, bad, &err) == ZS_EINVAL && strstr(err.msg, "point 1"),
          "a negative pickup mean is refused naming the point (%s)", err.msg);
    CHECK(zs_demand_set_pickups(d, mean, &err) == ZS_OK && d->pickup_mean, "pickup means set");

    /* Poisson: n draws of mean mu x factor; 4.5 standard errors. */
    const size_t n = 20000;
    double factor = 1.3;
    for (size_t p = 0; p < 2; p++) {
        double mu = mean[p] * factor, s = 0, s2 = 0, rel_s = 0, rel_min = HUGE_VAL, rel_max = -HUGE_VAL;
        size_t nrel = 0;
        for (size_t k = 0; k < n; k++) {
            uint32_t c = zs_demand_draw_pickups(d, 42, k / 50, k % 50, p, factor, r);
            s += c;
            s2 += (double)c * c;
            for (uint32_t q = 0; q < c; q++) {
                double t = zs_demand_draw_release(r, 60.0, 420.0);
                rel_s += t;
                nrel++;
                rel_min = t < rel_min ? t : rel_min;
                rel_max = t > rel_max ? t : rel_max;
            }
        }
        double m = s / n, var = s2 / n - m * m;
        CHECK_NEAR(m, mu, 4.5 * sqrt(mu / n), "point %zu: mean pickups %.4f vs %.4f (Poisson)", p, m, mu);
        CHECK_NEAR(var, mu, 4.5 * mu * sqrt(2.0 / n) + 4.5 * sqrt(mu / n) * 2,
                   "point %zu: variance %.4f vs %.4f (Poisson)", p, var, mu);
        CHECK(rel_min >= 60.0 && rel_max < 420.0, "point %zu: releases in [60, 420) (%.2f..%.2f)", p,
              rel_min, rel_max);
        /* Uniform on a 360-min window: sd 360/sqrt(12). */
        CHECK_NEAR(rel_s / nrel, 240.0, 4.5 * 360.0 / sqrt(12.0 * nrel),
                   "point %zu: mean release %.2f vs the window's midpoint 240", p, rel_s / nrel);
    }
    CHECK(zs_demand_draw_pickups(d, 1, 0, 0, 2, 1.0, r) == 0, "a point of mean 0 draws none");
    /* Keyed: the same key gives the same count and times. */
    uint32_t c1 = zs_demand_draw_pickups(d, 9, 3, 4, 1, 2.0, r);
    double t1 = c1 ? zs_demand_draw_release(r, 0, 1) : -1;
    gsl_rng_uniform(r);
    uint32_t c2 = zs_demand_draw_pickups(d, 9, 3, 4, 1, 2.0, r);
    double t2 = c2 ? zs_demand_draw_release(r, 0, 1) : -1;
    CHECK(c1 == c2 && t1 == t2, "draws depend on the key only (%u requests)", c1);

    /* Negative binomial with the parcels' k: variance mu + mu^2 / k. */
    zs_demand_opts nb = o;
    nb.nb_size = 2.0;
    zs_demand *dn = zs_demand_create(3, mean, &nb, &err);
    if (dn && zs_demand_set_pickups(dn, mean, &err) == ZS_OK) {
        double mu = mean[1], s = 0, s2 = 0;
        for (size_t k = 0; k < n; k++) {
            double c = zs_demand_draw_pickups(dn, 43, k, 0, 1, 1.0, r);
            s += c;
            s2 += c * c;
        }
        double m = s / n, var = s2 / n - m * m, want = mu + mu * mu / 2.0;
        CHECK_NEAR(m, mu, 4.5 * sqrt(want / n), "NB: mean pickups %.4f vs %.4f", m, mu);
        CHECK(fabs(var / want - 1.0) < 0.12, "NB: variance %.3f vs mu + mu^2/k = %.3f", var, want);
    }
    zs_demand_free(dn);

    o.pickup_rate[ZS_PT_OFFICE] = -0.5;
    CHECK(zs_demand_opts_validate(&o, &err) == ZS_EINVAL &&
          strstr(err.msg, "demand.pickups_per_day.office = -0.5"), "negative rate refused: %s", err.msg);
    zs_demand_opts_defaults(&o);
    o.pickup_promise_h = -1;
    CHECK(zs_demand_opts_validate(&o, &err) == ZS_EINVAL, "negative promise refused: %s", err.msg);

    double rate[ZS_PT_COUNT] = {0}, pm[4], back[ZS_PT_COUNT];
    int has[ZS_PT_COUNT];
    uint8_t type[4] = {ZS_PT_SHOP, ZS_PT_OFFICE, ZS_PT_SHOP, ZS_PT_SHOP};
    rate[ZS_PT_SHOP] = 0.8;
    rate[ZS_PT_OFFICE] = 0.3;
    zs_demand_pickup_means(4, type, rate, pm);
    CHECK(pm[0] == 0.8 && pm[1] == 0.3 && pm[3] == 0.8, "per-point means from per-type rates");
    pm[2] = 1.1;
    zs_demand_pickup_rates(4, type, pm, back, has);
    CHECK_NEAR(back[ZS_PT_SHOP], (0.8 + 1.1 + 0.8) / 3, 1e-12, "per-type rate is the mean over its points");
    CHECK(has[ZS_PT_SHOP] && has[ZS_PT_OFFICE] && !has[ZS_PT_SCHOOL] && back[ZS_PT_SCHOOL] == 0.0,
          "types without points are marked and get 0");
    double wl[4] = {1, 1, 1, 1};
    zs_workload_add_pickups(4, type, rate, 2.5, wl);
    CHECK(wl[0] == 1 + 0.8 * 2.5 && wl[1] == 1 + 0.3 * 2.5, "workload index adds rate x pickup minutes");
    rate[ZS_PT_SHOP] = rate[ZS_PT_OFFICE] = 0;
    wl[0] = -0.0;
    zs_workload_add_pickups(4, type, rate, 2.5, wl);
    CHECK(signbit(wl[0]) && wl[1] == 1 + 0.3 * 2.5, "rate 0 leaves the workload index untouched");
    gsl_rng_free(r);
    zs_demand_free(d);
}

/* The simulation input every sim test starts from: deterministic courier
 * (no signing, waiting, pace or access minutes). */
typedef struct {
    zs_efficiency eff;
    int64_t day_number[DAYS];
    zs_sim_input in;
} setup;

static void setup_init(setup *s, const zs_points *pts, const zs_demand *dem)
{
    zs_efficiency_defaults(&s->eff);
    s->eff.courier_cv = 0;
    memset(s->eff.access_min, 0, sizeof s->eff.access_min);
    for (int d = 0; d < DAYS; d++)
        s->day_number[d] = MONDAY + d;
    s->in = (zs_sim_input){.points = pts, .demand = dem, .eff = &s->eff, .promise_min = 240,
                           .depot_x = 0, .depot_y = 0, .shift_min = 480.0, .days = DAYS,
                           .day_number = s->day_number, .rep_begin = 0, .rep_end = REPS,
                           .seed = 2024, .threads = 2, .pickup_from_min = 0,
                           .pickup_to_min = 300, .pickup_promise_min = 30, .pickup_min = 2.0};
}

/* Single-point zones: every pickup metric recomputed independently. */
static void test_single_exact(zs_points *pts, zs_demand *dem, const zs_partition *single)
{
    setup s;
    setup_init(&s, pts, dem);
    zs_sim_input *in = &s.in;
    in->pickup_promise_min = 1.0; /* tight, so that some pickups are late */
    const zs_partition *plans[1] = {single};
    zs_sim_result *res[1] = {0};
    zs_err err;
    CHECK(zs_sim_run(in, plans, 1, res, &err) == ZS_OK, "single-point zones with pickups run");
    if (!res[0])
        return;
    gsl_rng *r = zs_rng_create();
    uint32_t parcels[N];
    double maxerr = 0.0, n_pick = 0.0, n_late = 0.0;
    const zs_efficiency *eff = &s.eff;
    for (size_t rep = 0; rep < REPS; rep++)
        for (size_t d = 0; d < DAYS; d++) {
            double factor = zs_demand_factor(dem, s.day_number[d]);
            zs_demand_draw_scaled(dem, in->seed, rep, d, factor, r, parcels);
            for (size_t z = 0; z < N; z++) {
                double out_m = hypot(pts->x[z], pts->y[z]);
                double clock = 0.0, pos_at_point = 0; /* 0: at the depot */
                double travel = 0.0, service = 0.0;
                /* lockers and pickup stations: bulk_parcel_min (issue 19) */
                double pm = zs_ptype_bulk_drop(pts->type[z]) ? eff->bulk_parcel_min
                                                             : eff->parcel_min;
                if (parcels[z] > 0) {
                    clock = zs_efficiency_travel_min(eff, out_m) + eff->stop_min +
                            parcels[z] * pm;
                    travel = zs_efficiency_travel_min(eff, 2 * out_m);
                    service = eff->stop_min + parcels[z] * pm;
                    pos_at_point = 1;
                }
                uint32_t c = zs_demand_draw_pickups(dem, in->seed, rep, d, z, factor, r);
                double rel[64];
                for (uint32_t q = 0; q < c && q < 64; q++)
                    rel[q] = zs_demand_draw_release(r, in->pickup_from_min, in->pickup_to_min);
                /* Sort the releases: one point, so the round is in release order. */
                for (uint32_t a = 1; a < c; a++)
                    for (uint32_t b = a; b > 0 && rel[b] < rel[b - 1]; b--) {
                        double t = rel[b];
                        rel[b] = rel[b - 1];
                        rel[b - 1] = t;
                    }
                double pmin = 0.0, late = 0.0, ldist = 0.0, home0 = pos_at_point ? out_m : 0.0;
                for (uint32_t q = 0; q < c;) {
                    if (rel[q] > clock) { /* wait for it */
                        pmin += rel[q] - clock;
                        clock = rel[q];
                    }
                    if (!pos_at_point) { /* drive out once */
                        clock += zs_efficiency_travel_min(eff, out_m);
                        ldist += out_m;
                        pos_at_point = 1;
                    }
                    double arrive = clock;
                    while (q < c && rel[q] <= arrive) {
                        late += arrive > rel[q] + in->pickup_promise_min;
                        clock += in->pickup_min;
                        pmin += in->pickup_min;
                        q++;
                    }
                }
                double home1 = pos_at_point ? out_m : 0.0;
                pmin += zs_efficiency_travel_min(eff, ldist + home1 - home0);
                double v[ZS_M_COUNT] = {0};
                v[ZS_M_PICKUPS] = c;
                v[ZS_M_PICKUPS_LATE] = late;
                v[ZS_M_PICKUP_KM] = (ldist + home1 - home0) * eff->circuity / 1000.0;
                v[ZS_M_PICKUP_MIN] = pmin;
                v[ZS_M_WORK_MIN] = travel + service + pmin;
                v[ZS_M_OVERTIME_MIN] = v[ZS_M_WORK_MIN] > 480 ? v[ZS_M_WORK_MIN] - 480 : 0;
                static const int ms[] = {ZS_M_PICKUPS, ZS_M_PICKUPS_LATE, ZS_M_PICKUPS_MISSED,
                                         ZS_M_PICKUP_KM, ZS_M_PICKUP_MIN, ZS_M_WORK_MIN,
                                         ZS_M_OVERTIME_MIN};
                for (size_t k = 0; k < sizeof ms / sizeof *ms; k++) {
                    double e = fabs(zs_sim_at(res[0], ms[k], rep, d, z) - v[ms[k]]);
                    maxerr = e > maxerr ? e : maxerr;
                }
                n_pick += c;
                n_late += late;
            }
        }
    CHECK(maxerr < 1e-9, "single-point zones: pickups, late, missed, km, minutes, work and "
          "overtime recomputed (max error %.2e)", maxerr);
    CHECK(n_pick > 100 && n_late > 0 && n_late < n_pick,
          "the exact check saw %g pickups, %g of them late", n_pick, n_late);
    gsl_rng_free(r);
    zs_sim_result_free(res[0]);
}

/* Zones of several points: deliveries unchanged, work up, mean number of
 * requests, common random numbers across plans, thread counts, cut-off
 * and absence. */
static void test_zones(zs_points *pts, zs_demand *plain, zs_demand *dem)
{
    zs_partition *p4 = modulo_plan(pts, 4), *p7 = modulo_plan(pts, 7);
    if (!p4 || !p7)
        return;
    const zs_partition *plans[2] = {p4, p7};
    setup s;
    setup_init(&s, pts, plain);
    s.in.pickup_from_min = -60; /* customers book before the scan, too */
    zs_sim_result *base[2] = {0}, *with[2] = {0}, *t1[2] = {0}, *t3[2] = {0};
    zs_err err;
    CHECK(zs_sim_run(&s.in, plans, 2, base, &err) == ZS_OK, "run without pickups");
    s.in.demand = dem;
    CHECK(zs_sim_run(&s.in, plans, 2, with, &err) == ZS_OK, "run with pickups");
    s.in.threads = 1;
    CHECK(zs_sim_run(&s.in, plans, 2, t1, &err) == ZS_OK, "run with pickups, 1 thread");
    s.in.threads = 3;
    CHECK(zs_sim_run(&s.in, plans, 2, t3, &err) == ZS_OK, "run with pickups, 3 threads");
    if (!base[0] || !with[0] || !t1[0] || !t3[0])
        goto out;
    CHECK(same_all(with[0], t1[0]) && same_all(with[1], t1[1]) && same_all(with[0], t3[0]) &&
          same_all(with[1], t3[1]), "pickups: 1, 2 and 3 threads give bit-identical results");
    static const int delivery[] = {ZS_M_STOPS, ZS_M_PARCELS, ZS_M_DIST_KM, ZS_M_TRAVEL_MIN,
                                   ZS_M_SERVICE_MIN, ZS_M_DELIVERED, ZS_M_LATE, ZS_M_CARRIED};
    int same_deliv = 1;
    for (int p = 0; p < 2; p++)
        for (size_t k = 0; k < sizeof delivery / sizeof *delivery; k++)
            same_deliv &= same_metric(base[p], with[p], delivery[k]);
    CHECK(same_deliv, "the delivery route's metrics are unchanged by pickups");
    for (int p = 0; p < 2; p++) {
        size_t cells = with[p]->reps * with[p]->days * with[p]->zones, up = 0, below = 0;
        double maxerr = 0.0;
        for (size_t c = 0; c < cells; c++) {
            double w = with[p]->v[ZS_M_WORK_MIN][c], b = base[p]->v[ZS_M_WORK_MIN][c];
            up += w > b;
            below += w < b - 1e-9;
            double e = fabs(w - (b + with[p]->v[ZS_M_PICKUP_MIN][c]));
            maxerr = e > maxerr ? e : maxerr;
            if (with[p]->v[ZS_M_PICKUP_MIN][c] < with[p]->v[ZS_M_PICKUPS][c] * 2.0 - 1e-9 -
                                                     with[p]->v[ZS_M_PICKUPS_MISSED][c] * 2.0)
                below++;
        }
        CHECK(below == 0 && up > cells / 2 && maxerr < 1e-9,
              "plan %d: work = work without pickups + pickup_min, and pickups raise it "
              "(%zu of %zu zone-days up)", p, up, cells);
        CHECK(total(with[p], ZS_M_PICKUP_KM) > 0 && total(with[p], ZS_M_PICKUPS_MISSED) == 0,
              "plan %d: the round adds km; no cut-off, nothing missed", p);
    }
    /* The same requests in every plan, each (replication, day). */
    int crn = 1;
    double all = 0.0;
    for (size_t r = 0; r < REPS; r++)
        for (size_t d = 0; d < DAYS; d++) {
            double a = 0, b = 0;
            for (size_t z = 0; z < 4; z++)
                a += zs_sim_at(with[0], ZS_M_PICKUPS, r, d, z);
            for (size_t z = 0; z < 7; z++)
                b += zs_sim_at(with[1], ZS_M_PICKUPS, r, d, z);
            crn &= a == b;
            all += a;
        }
    CHECK(crn, "common random numbers: both plans see the same pickup requests every day");
    double expect = 0.0;
    for (size_t d = 0; d < DAYS; d++) {
        double f = zs_demand_factor(dem, s.day_number[d]);
        for (size_t i = 0; i < N; i++)
            expect += dem->pickup_mean[i] * f * REPS;
    }
    CHECK_NEAR(all, expect, 4.5 * sqrt(expect), "total requests %.0f vs expected %.1f (Poisson, 4.5 sd)",
               all, expect);

    /* A short day: some requests are missed, and missed <= requests. */
    zs_sim_result *cut[1] = {0};
    s.in.threads = 2;
    s.in.shift_min = 60;
    s.in.max_overtime_min = 30;
    CHECK(zs_sim_run(&s.in, plans, 1, cut, &err) == ZS_OK, "run with a 90-minute cut-off");
    if (cut[0]) {
        int ok = 1;
        for (size_t c = 0; c < cut[0]->reps * cut[0]->days * cut[0]->zones; c++)
            ok &= cut[0]->v[ZS_M_PICKUPS_MISSED][c] <= cut[0]->v[ZS_M_PICKUPS][c] &&
                  cut[0]->v[ZS_M_PICKUPS_LATE][c] + cut[0]->v[ZS_M_PICKUPS_MISSED][c] <=
                      cut[0]->v[ZS_M_PICKUPS][c];
        CHECK(ok && total(cut[0], ZS_M_PICKUPS_MISSED) > 0,
              "cut-off: %g of %g pickups missed, never more than requested",
              total(cut[0], ZS_M_PICKUPS_MISSED), total(cut[0], ZS_M_PICKUPS));
        /* The promise is the end of a 60-min shift here when there is none. */
        zs_sim_result *np[1] = {0};
        s.in.pickup_promise_min = 0;
        if (zs_sim_run(&s.in, plans, 1, np, &err) == ZS_OK) {
            CHECK(total(np[0], ZS_M_PICKUPS_LATE) > 0 &&
                  total(np[0], ZS_M_PICKUPS) == total(cut[0], ZS_M_PICKUPS),
                  "no promise: pickups after the shift are late (%g)", total(np[0], ZS_M_PICKUPS_LATE));
            zs_sim_result_free(np[0]);
        }
        zs_sim_result_free(cut[0]);
    }

    /* Absence: an absent zone's requests are all missed. */
    zs_absence ab = {.rate = 0.4};
    zs_sim_result *abs_r[1] = {0};
    s.in.shift_min = 480;
    s.in.max_overtime_min = 0;
    s.in.pickup_promise_min = 30;
    s.in.absence = &ab;
    CHECK(zs_sim_run(&s.in, plans, 1, abs_r, &err) == ZS_OK, "run with absences and pickups");
    if (abs_r[0]) {
        int ok = 1;
        size_t absent = 0;
        for (size_t c = 0; c < abs_r[0]->reps * abs_r[0]->days * abs_r[0]->zones; c++)
            if (abs_r[0]->v[ZS_M_ABSENT][c] == 1.0) {
                absent++;
                ok &= abs_r[0]->v[ZS_M_PICKUPS_MISSED][c] == abs_r[0]->v[ZS_M_PICKUPS][c] &&
                      abs_r[0]->v[ZS_M_WORK_MIN][c] == 0.0;
            } else {
                ok &= abs_r[0]->v[ZS_M_PICKUPS_MISSED][c] == 0.0;
            }
        CHECK(ok && absent > 0 && total(abs_r[0], ZS_M_PICKUPS) == total(with[0], ZS_M_PICKUPS),
              "absence: the %zu absent zone-days miss all their pickups, others none; same requests",
              absent);
        zs_sim_result_free(abs_r[0]);
    }
    /* Allocation failures, the growing pickup buffers included. */
    int ok = 1, n_fail = 0;
    s.in.absence = NULL;
    s.in.threads = 1;
    for (long i = 0; i < 300; i++) {
        zs_sim_result *res[2] = {0};
        zs_alloc_fail_after(i);
        zs_status st = zs_sim_run(&s.in, plans, 2, res, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_sim_result_free(res[0]);
            zs_sim_result_free(res[1]);
            break;
        }
        n_fail++;
        ok &= st == ZS_ENOMEM && res[0] == NULL && res[1] == NULL;
    }
    CHECK(ok && n_fail > 10, "with pickups, each allocation failure gives ZS_ENOMEM (%d points)", n_fail);
out:
    for (int p = 0; p < 2; p++) {
        zs_sim_result_free(base[p]);
        zs_sim_result_free(with[p]);
        zs_sim_result_free(t1[p]);
        zs_sim_result_free(t3[p]);
    }
    zs_partition_free(p4);
    zs_partition_free(p7);
}

/* A history drawn with known weekday factors and per-type pickup rates is
 * fitted back. */
static void test_calibrate(void)
{
    enum { NP = 200, WEEKS = 12 };
    static const double wf[7] = {1.2, 1.0, 1.0, 1.0, 1.2, 0.8, 0.8};
    double truth[ZS_PT_COUNT] = {0};
    truth[ZS_PT_SHOP] = 1.5;
    truth[ZS_PT_OFFICE] = 0.4;
    truth[ZS_PT_RESIDENTIAL] = 0.1;
    uint8_t type[NP];
    static const uint8_t cycle[4] = {ZS_PT_SHOP, ZS_PT_OFFICE, ZS_PT_RESIDENTIAL, ZS_PT_RESIDENTIAL};
    size_t cap = (size_t)NP * WEEKS * 7;
    int64_t *day = zs_malloc_array(cap, sizeof *day);
    int32_t *point = zs_malloc_array(cap, sizeof *point);
    double *parcels = zs_malloc_array(cap, sizeof *parcels);
    double *pickups = zs_malloc_array(cap, sizeof *pickups);
    gsl_rng *r = zs_rng_create();
    size_t n = 0;
    for (size_t i = 0; i < NP; i++)
        type[i] = cycle[i % 4];
    for (int t = 0; t < WEEKS * 7; t++)
        for (size_t i = 0; i < NP; i++) {
            double f = wf[t % 7]; /* factors of mean 1 */
            zs_rng_rekey(r, zs_rng_key(5, 0, (uint64_t)t, i, ZS_PURPOSE_DEMAND));
            double x = gsl_ran_poisson(r, 2.0 * f);
            zs_rng_rekey(r, zs_rng_key(5, 0, (uint64_t)t, i, ZS_PURPOSE_PICKUP));
            double k = gsl_ran_poisson(r, truth[type[i]] * f);
            if (x == 0 && k == 0)
                continue; /* no record: a zero day, as in real histories */
            day[n] = MONDAY + t;
            point[n] = (int32_t)i;
            parcels[n] = x;
            pickups[n++] = k;
        }
    zs_demand_calibrate_opts co;
    zs_demand_calibrate_opts_defaults(&co);
    co.outlier_mad = 100; /* keep every day: the test is about pickups */
    zs_demand_fit *fit = NULL;
    zs_err err;
    CHECK(zs_demand_calibrate(NP, day, point, parcels, n, &co, &fit, &err) == ZS_OK &&
          fit->pickup_mean == NULL, "without a pickups column, no pickup fit");
    zs_demand_fit_free(fit);
    fit = NULL;
    co.pickups = pickups;
    zs_status st = zs_demand_calibrate(NP, day, point, parcels, n, &co, &fit, &err);
    CHECK(st == ZS_OK && fit->pickup_mean, "calibration with pickups runs");
    if (st == ZS_OK) {
        double rate[ZS_PT_COUNT];
        int has[ZS_PT_COUNT];
        zs_demand_pickup_rates(NP, type, fit->pickup_mean, rate, has);
        /* Per type: 50-100 points x 84 days; relative error of the mean
         * about 1/sqrt(mu x points x days) (< 3% for residential), plus
         * the fitted weekday factors' own error (parcels, < 1%): 8%. */
        for (int t = 0; t < ZS_PT_COUNT; t++)
            if (truth[t] > 0)
                CHECK(has[t] && fabs(rate[t] / truth[t] - 1.0) < 0.08,
                      "pickup rate of %s recovered within 8%%: %.4f vs %.4f", zs_ptype_name(t),
                      rate[t], truth[t]);
        CHECK(!has[ZS_PT_SCHOOL], "types without points are not fitted");
    }
    zs_demand_fit_free(fit);
    fit = NULL;
    pickups[7] = -1;
    CHECK(zs_demand_calibrate(NP, day, point, parcels, n, &co, &fit, &err) == ZS_EINPUT &&
          strstr(err.msg, "record 7 has -1 pickups"), "negative pickups refused: %s", err.msg);
    zs_demand_fit_free(fit);
    gsl_rng_free(r);
    zs_free(day);
    zs_free(point);
    zs_free(parcels);
    zs_free(pickups);
}

static void expect_error(const char *text, const char *msg, const char *desc)
{
    zs_scenario *sc = NULL;
    zs_err err = {0};
    zs_status st = zs_scenario_parse(text, strlen(text), "t.yaml", NULL, &sc, &err);
    CHECK(st == ZS_EINVAL || st == ZS_EINPUT, "%s: refused", desc);
    CHECK_CONTAINS(err.msg, msg, desc);
    zs_scenario_free(sc);
}

static void test_scenario_keys(void)
{
    const char *text = "points:\n  generate: {n_points: 10}\n"
                       "demand:\n  pickups_per_day: {shop: 0.8, office: 0.25}\n"
                       "  pickup_release_end: \"15:30\"\n  pickup_promise_h: 3\n"
                       "efficiency: {pickup_min: 2.5}\n";
    zs_scenario *sc = NULL;
    zs_err err;
    zs_status st = zs_scenario_parse(text, strlen(text), "t.yaml", NULL, &sc, &err);
    CHECK(st == ZS_OK, "pickup keys parse");
    if (st == ZS_OK)
        CHECK(sc->demand.pickup_rate[ZS_PT_SHOP] == 0.8 && sc->demand.pickup_rate[ZS_PT_OFFICE] == 0.25 &&
              sc->demand.pickup_rate[ZS_PT_RESIDENTIAL] == 0.0 && sc->demand.pickup_release_end_h == 15.5 &&
              sc->demand.pickup_promise_h == 3.0 && sc->pickup_min == 2.5,
              "pickup keys land in the scenario");
    zs_scenario_free(sc);
    sc = NULL;
    const char *plain = "points:\n  generate: {n_points: 10}\n";
    st = zs_scenario_parse(plain, strlen(plain), "t.yaml", NULL, &sc, &err);
    CHECK(st == ZS_OK && sc->pickup_min == 2.0 && sc->demand.pickup_release_end_h == 16.0,
          "defaults: 2 min a pickup, releases until 16:00");
    zs_scenario_free(sc);
    expect_error("points:\n  generate: {n_points: 10}\ndemand:\n  pickups_per_day: {shop: -1}\n",
                 "t.yaml:4:27: demand.pickups_per_day.shop", "negative pickup rate");
    expect_error("points:\n  generate: {n_points: 10}\ndemand:\n  pickup_release_end: \"08:00\"\n",
                 "t.yaml:4:23: demand.pickup_release_end = 08:00; must be after "
                 "models.signing.work_start = 09:00", "release end before the customers' work start");
    expect_error("points:\n  generate: {n_points: 10}\nmodels:\n  signing: {work_start: \"16:30\"}\n",
                 "t.yaml:4:25: demand.pickup_release_end = 16:00; must be after "
                 "models.signing.work_start = 16:30", "work start moved past the release end");
}

int main(void)
{
    test_draws();
    zs_points *pts = ring_points(N, 1);
    zs_err err;
    double pm[N];
    zs_demand *plain = pts ? zs_demand_create(N, pts->parcels, NULL, &err) : NULL;
    zs_demand *dem = pts ? zs_demand_create(N, pts->parcels, NULL, &err) : NULL;
    zs_partition *single = pts ? modulo_plan(pts, N) : NULL;
    CHECK(pts && plain && dem && single, "fixtures built");
    if (pts && plain && dem && single) {
        for (size_t i = 0; i < N; i++)
            pm[i] = 0.2 + 0.15 * (double)(i % 4);
        CHECK(zs_demand_set_pickups(dem, pm, &err) == ZS_OK, "pickup means set");
        test_single_exact(pts, dem, single);
        test_zones(pts, plain, dem);
    }
    zs_partition_free(single);
    zs_demand_free(plain);
    zs_demand_free(dem);
    zs_points_free(pts);
    test_calibrate();
    test_scenario_keys();
    printf("%d passed, %d failed\n", zs_t_pass, zs_t_fail);
    return zs_t_fail != 0;
}
