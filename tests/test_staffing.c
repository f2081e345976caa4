/* Tests of engine/staffing: the capacity rule, the requirement under a risk
 * level on synthetic simulations whose answer is known by hand, that it
 * moves the right way (more variability, lower risk, worse balance -> more
 * couriers), day types (modes, weekdays, peak days), the roster calendar,
 * options and the scenario's staffing section with its error places. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pipeline/scenario.h"
#include "staffing/staffing.h"
#include "models/alloc.h"
#include "models/calendar.h"
#include "check.h"

/* A simulation of reps x days x k with every metric zero. */
static zs_sim_result *sim_new(size_t reps, size_t days, size_t k)
{
    zs_sim_result *s = zs_calloc(1, sizeof *s);
    s->reps = reps;
    s->days = days;
    s->zones = k;
    for (int m = 0; m < ZS_M_COUNT; m++)
        s->v[m] = zs_calloc(reps * days * k, sizeof(double));
    return s;
}

static double *at(zs_sim_result *s, int m, size_t r, size_t d, size_t z)
{
    return &s->v[m][(r * s->days + d) * s->zones + z];
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 11;
}

/* Uniform in [-1, 1). */
static double unif(uint64_t *s)
{
    return (double)lcg(s) / 9007199254740992.0 * 2.0 - 1.0;
}

/* Fills work (and 20 stops a zone) for reps x 7 days from a Monday: zone
 * z's minutes = mean x (1 + imb x (z == 0)) x (1 + spread x noise). */
static void fill(zs_sim_result *s, double mean, double spread, double imb, uint64_t seed)
{
    for (size_t r = 0; r < s->reps; r++)
        for (size_t d = 0; d < s->days; d++) {
            double day = 1.0 + spread * unif(&seed);
            for (size_t z = 0; z < s->zones; z++) {
                *at(s, ZS_M_WORK_MIN, r, d, z) = mean * day * (z == 0 ? 1.0 + imb : 1.0);
                *at(s, ZS_M_STOPS, r, d, z) = 20;
            }
        }
}

static int64_t monday(void)
{
    zs_date d;
    zs_date_parse("2026-11-02", &d); /* a Monday */
    return zs_date_to_days(d);
}

static zs_staffing_report *staff(zs_sim_result *s, const int64_t *days, const zs_demand_opts *dem,
                                 const zs_staffing_opts *o, zs_err *err)
{
    zs_staffing_input in = {.sim = s, .day_number = days, .demand = dem, .shift_min = 480,
                            .stops_per_hour = 3.5};
    zs_staffing_report *r = NULL;
    if (zs_staffing_plan(&in, o, &r, err) != ZS_OK)
        return NULL;
    return r;
}

int main(void)
{
    zs_err err;
    int64_t day[28];
    for (int d = 0; d < 28; d++)
        day[d] = monday() + d;
    zs_demand_opts flat;
    zs_demand_opts_defaults(&flat);

    /* --- the capacity rule (DESIGN.md) --- */
    CHECK(zs_partition_capacity_k(840, 3.5, 8) == 30, "capacity rule: 840 stops at 3.5/h over 8 h -> 30 couriers");
    CHECK(zs_partition_capacity_k(640, 3.5, 8) == 23, "capacity rule: 640 stops -> 23 couriers");

    /* --- by hand: every day the same, 4 zones of 100, 100, 100, 180 min;
     * capacity 480 + 60 = 540 min.  Busiest x k = 720 -> 2 couriers; even
     * zones: 480 -> 1.  210 stops a day -> ceil(210 / 28) = 8 by the rule. */
    {
        zs_sim_result *s = sim_new(3, 7, 4);
        static const double w[4] = {100, 100, 100, 180};
        for (size_t r = 0; r < 3; r++)
            for (size_t d = 0; d < 7; d++)
                for (size_t z = 0; z < 4; z++) {
                    *at(s, ZS_M_WORK_MIN, r, d, z) = w[z];
                    *at(s, ZS_M_STOPS, r, d, z) = z == 3 ? 60 : 50;
                }
        zs_staffing_opts o;
        zs_staffing_opts_defaults(&o);
        o.nested = 0;
        zs_staffing_report *r = staff(s, day, &flat, &o, &err);
        CHECK(r != NULL, "synthetic plan staffed (%s)", r ? "" : err.msg);
        if (r) {
            CHECK(r->n_types == 1 && !strcmp(r->type[0].name, "all") && r->type[0].n_obs == 21,
                  "flat weekday factors: one day type 'all' with 21 replication-days");
            CHECK(r->type[0].required == 2, "busiest 180 min x 4 zones = 720 min / 540 -> 2 couriers (got %d)", r->type[0].required);
            CHECK(r->type[0].required_even == 1, "even zones: 480 min / 540 -> 1 courier");
            CHECK(r->type[0].capacity_rule == 8, "capacity rule on 210 stops: 8");
            CHECK_NEAR(r->type[0].imbalance_mean, 1.5, 1e-12, "imbalance 180 / 120 = 1.5");
            CHECK(r->type[0].overrun_share_k == 0, "no courier of the 4 passes 9 h");
            CHECK(r->roster && r->roster->status == ZS_MIP_OPTIMAL && r->roster->required[0] == 2,
                  "the roster plans for 2 couriers a day");
        }
        zs_staffing_report_free(r);
        /* An exact fit stays exact: 4 zones of 405 min = 1620 = 3 x 540. */
        for (size_t rr = 0; rr < 3; rr++)
            for (size_t d = 0; d < 7; d++)
                for (size_t z = 0; z < 4; z++)
                    *at(s, ZS_M_WORK_MIN, rr, d, z) = 405;
        r = staff(s, day, &flat, &o, &err);
        CHECK(r && r->type[0].required == 3 && r->type[0].required_even == 3,
              "1620 min of even work at 540 a courier: exactly 3");
        zs_staffing_report_free(r);
        /* Unvisited stops are priced: zone 0 visited 50 stops in 405 min and
         * left 10, so its day is 405 + 10 x 8.1 = 486 min. */
        for (size_t rr = 0; rr < 3; rr++)
            for (size_t d = 0; d < 7; d++)
                *at(s, ZS_M_UNVISITED, rr, d, 0) = 10;
        r = staff(s, day, &flat, &o, &err);
        CHECK(r && fabs(r->type[0].work_mean_min - (1620 + 81)) < 1e-9 &&
                  fabs(r->type[0].busiest_q_min - 486) < 1e-9 && r->type[0].stops_mean == 220,
              "unvisited stops priced at the zone's minutes per stop (busiest 486 min) and counted as stops");
        CHECK(r && r->type[0].required == 4, "4 x 486 = 1944 min -> 4 couriers");
        zs_staffing_report_free(r);
        zs_sim_result_free(s);
    }

    /* --- the quantile: 10 days of total work 100..1000 min (one zone);
     * risk 0.1 -> the 9th smallest (900): ceil(900 / 540) = 2; risk 0.05 ->
     * the largest (1000): 2; risk 0.5 -> the 5th (500): 1. */
    {
        zs_sim_result *s = sim_new(10, 1, 1);
        for (size_t r = 0; r < 10; r++) {
            *at(s, ZS_M_WORK_MIN, r, 0, 0) = 100.0 * (double)(r + 1);
            *at(s, ZS_M_STOPS, r, 0, 0) = 10;
        }
        zs_staffing_opts o;
        zs_staffing_opts_defaults(&o);
        o.nested = 0;
        o.roster.weeks = 1;
        o.roster.weekend_off_min = 0;
        double risks[3] = {0.1, 0.05, 0.5}, want_q[3] = {900, 1000, 500};
        int want_c[3] = {2, 2, 1};
        for (int i = 0; i < 3; i++) {
            o.risk = risks[i];
            zs_staffing_report *r = staff(s, day, &flat, &o, &err);
            CHECK(r && r->type[0].work_q_min == want_q[i] && r->type[0].required == want_c[i],
                  "risk %g: quantile %g min, %d couriers", risks[i], want_q[i], want_c[i]);
            zs_staffing_report_free(r);
        }
        zs_sim_result_free(s);
    }

    /* --- monotone: lower risk, more variability, worse balance -> never
     * fewer couriers, and more in these cases. */
    {
        zs_staffing_opts o;
        zs_staffing_opts_defaults(&o);
        o.nested = 0;
        o.roster.weeks = 1;
        o.roster.weekend_off_min = 0;
        zs_sim_result *calm = sim_new(200, 7, 10), *wild = sim_new(200, 7, 10);
        fill(calm, 400, 0.05, 0.1, 1);
        fill(wild, 400, 0.40, 0.1, 1); /* same mean, eight times the spread */
        int prev = 0, mono = 1;
        double rs[5] = {0.5, 0.2, 0.1, 0.05, 0.01};
        int first = -1, last = -1;
        for (int i = 0; i < 5; i++) {
            o.risk = rs[i];
            zs_staffing_report *r = staff(wild, day, &flat, &o, &err);
            int c = r ? r->type[0].required : -1;
            mono &= c >= prev;
            prev = c;
            if (i == 0)
                first = c;
            last = c;
            zs_staffing_report_free(r);
        }
        CHECK(mono && last > first, "lower risk never needs fewer couriers (%d at 50%% -> %d at 1%%)", first, last);
        o.risk = 0.05;
        zs_staffing_report *a = staff(calm, day, &flat, &o, &err), *b = staff(wild, day, &flat, &o, &err);
        CHECK(a && b && b->type[0].required > a->type[0].required &&
                  b->type[0].required_even > a->type[0].required_even,
              "more day-to-day variability at the same mean needs more couriers (%d -> %d)",
              a ? a->type[0].required : -1, b ? b->type[0].required : -1);
        CHECK(a && b && fabs(a->type[0].work_mean_min - b->type[0].work_mean_min) < 0.02 * a->type[0].work_mean_min,
              "... while the mean work is about the same");
        zs_staffing_report_free(b);
        zs_sim_result *lop = sim_new(200, 7, 10);
        fill(lop, 400, 0.05, 0.8, 1); /* zone 0 carries 80% more */
        b = staff(lop, day, &flat, &o, &err);
        CHECK(a && b && b->type[0].required > a->type[0].required,
              "a worse-balanced plan needs more couriers (%d -> %d)", a ? a->type[0].required : -1,
              b ? b->type[0].required : -1);
        zs_staffing_report_free(a);
        zs_staffing_report_free(b);
        zs_sim_result_free(calm);
        zs_sim_result_free(wild);
        zs_sim_result_free(lop);
    }

    /* --- day types: operating modes, weekdays, peak days --- */
    {
        int mode[7];
        double demo[7] = {1.15, 1.0, 1.0, 1.0, 1.15, 0.85, 0.85};
        int n = zs_staffing_modes(demo, 0.15, mode);
        CHECK(n == 2 && mode[0] == 0 && mode[1] == 0 && mode[5] == 1 && mode[6] == 1,
              "modes with gap 0.15: Mon-Fri heavy, Sat-Sun light (as zonesim calibrate)");
        n = zs_staffing_modes(demo, 0.1, mode);
        CHECK(n == 3 && mode[0] == 0 && mode[4] == 0 && mode[1] == 1 && mode[3] == 1 && mode[5] == 2,
              "modes with gap 0.1: Mon+Fri heavy, Tue-Thu normal, Sat+Sun light");

        zs_demand_opts dem;
        zs_demand_opts_defaults(&dem);
        memcpy(dem.weekday_factor, demo, sizeof demo);
        dem.n_events = 1;
        dem.events[0].first_day = monday() + 9; /* Wed-Fri of week 2 */
        dem.events[0].days = 3;
        dem.events[0].factor = 2.5;
        zs_sim_result *s = sim_new(4, 14, 3);
        for (size_t r = 0; r < 4; r++)
            for (size_t d = 0; d < 14; d++)
                for (size_t z = 0; z < 3; z++) {
                    double f = demo[d % 7] * (d >= 9 && d <= 11 ? 2.5 : 1.0);
                    *at(s, ZS_M_WORK_MIN, r, d, z) = 400 * f;
                    *at(s, ZS_M_STOPS, r, d, z) = 28 * f;
                }
        zs_staffing_opts o;
        zs_staffing_opts_defaults(&o);
        o.nested = 0;
        o.mode_gap = 0.1;
        o.roster.weeks = 2;
        o.roster.weekend_off_min = 1;
        o.roster.temp_max = 3;
        zs_staffing_report *r = staff(s, day, &dem, &o, &err);
        CHECK(r && r->n_types == 4 && !strcmp(r->type[0].name, "heavy") &&
                  !strcmp(r->type[0].days, "Mon Fri") && !strcmp(r->type[1].name, "normal") &&
                  !strcmp(r->type[2].name, "light") && !strcmp(r->type[3].name, "peak") &&
                  r->type[3].peak,
              "day types: heavy (Mon Fri), normal, light and peak");
        CHECK(r && r->type[3].n_obs == 12 && r->type[0].n_obs == 4 * 3 && r->type[1].n_obs == 4 * 4,
              "event days go to peak only (12), not to their weekdays' modes (Fri of week 2 excluded)");
        /* heavy: 3 zones x 460 = 1380 -> 3; light 3 x 340 -> 2; peak: the
         * Friday 3 x 1150 = 3450 (the largest of 12: risk 0.05) -> 7. */
        CHECK(r && r->type[0].required == 3 && r->type[2].required == 2 && r->type[3].required == 7,
              "requirements heavy 3, light 2, peak 7 (by hand)");
        int cal = r != NULL, temps_ok = r != NULL;
        for (int d = 0; r && d < 14; d++) {
            int peak = d >= 9 && d <= 11;
            cal &= r->roster_type[d] == (peak ? 3 : r->type_of_weekday[d % 7]);
            temps_ok &= !r->roster->temps[d] || peak;
            temps_ok &= r->roster->temp_ok[d] == peak;
        }
        CHECK(r && r->roster_first_day == monday() && cal,
              "roster calendar: from the Monday, event days typed peak");
        CHECK(temps_ok && r->roster->status == ZS_MIP_OPTIMAL,
              "temporaries allowed and used on peak days only; roster optimal");
        zs_staffing_report_free(r);
        o.by_weekday = 1;
        r = staff(s, day, &dem, &o, &err);
        CHECK(r && r->n_types == 8 && !strcmp(r->type[0].name, "Mon") && !strcmp(r->type[6].name, "Sun") &&
                  r->type[4].n_obs == 4,
              "by_weekday: seven types Mon..Sun plus peak (Fri: 4 observations outside the peak)");
        zs_staffing_report_free(r);
        /* Three simulated days from a Wednesday: Mon, Tue, Sun never seen,
         * planned at the heaviest requirement seen. */
        o.by_weekday = 1;
        zs_sim_result *s3 = sim_new(2, 3, 3);
        for (size_t i = 0; i < 2 * 3 * 3; i++) {
            s3->v[ZS_M_WORK_MIN][i] = 400;
            s3->v[ZS_M_STOPS][i] = 28;
        }
        r = staff(s3, day + 2, &flat, &o, &err);
        CHECK(r && r->type[0].n_obs == 0 && r->type[0].required == r->type[2].required &&
                  r->roster_first_day == monday(),
              "weekdays not simulated take the heaviest requirement; the roster starts on the Monday before");
        zs_staffing_report_free(r);
        zs_sim_result_free(s3);

        /* An infeasible rule set is a result with a message. */
        o.by_weekday = 0;
        o.roster.pool_max = 3;
        o.roster.temp_max = 0;
        r = staff(s, day, &dem, &o, &err);
        CHECK(r && r->roster->status == ZS_MIP_INFEASIBLE, "pool of 3 for 7 couriers on the peak: roster infeasible, no error");
        CHECK_CONTAINS(r ? r->roster->message : "", "Wed of week 2 needs 7 couriers, but the pool has 3 regular couriers and at most 0 temporaries may work that day (and 2 more days)",
                       "the message names the peak day");
        zs_staffing_report_free(r);
        zs_sim_result_free(s);
    }

    /* --- options --- */
    {
        zs_staffing_opts o;
        zs_staffing_opts_defaults(&o);
        o.risk = 0;
        CHECK(zs_staffing_opts_validate(&o, &err) == ZS_EINVAL, "risk 0 refused");
        CHECK_CONTAINS(err.msg, "staffing.risk = 0; must be in (0, 0.5]", "risk message");
        zs_staffing_opts_defaults(&o);
        o.roster.weeks = 2;
        o.roster.weekend_off_min = 5;
        zs_staffing_opts_validate(&o, &err);
        CHECK_CONTAINS(err.msg, "staffing.weekend_off_min = 5; must be in 0..4", "weekend_off_min against weeks, named as the key");
        zs_staffing_opts_defaults(&o);
        o.nest.tolerance = -1;
        zs_staffing_opts_validate(&o, &err);
        CHECK_CONTAINS(err.msg, "staffing.nested_tolerance = -1", "nested tolerance named as the key");
        zs_sim_result *s = sim_new(1, 1, 1);
        zs_staffing_input in = {.sim = s, .day_number = day, .shift_min = 0, .stops_per_hour = 3.5};
        zs_staffing_report *r = NULL;
        CHECK(zs_staffing_plan(&in, NULL, &r, &err) == ZS_EINVAL && !r, "a zero shift is refused");
        zs_sim_result_free(s);
    }

    /* --- the scenario's staffing section --- */
    {
        static const char good[] =
            "points:\n  generate: {n_points: 50}\n"
            "staffing:\n  risk: 0.02\n  weeks: 3\n  weekend_off_min: 2\n  temp_max: 4\n"
            "  by_weekday: true\n  nested_k: 5\n  consecutive_off: false\n";
        zs_scenario *sc = NULL;
        zs_status st = zs_scenario_parse(good, strlen(good), "good.yaml", ".", &sc, &err);
        CHECK(st == ZS_OK && sc->staffing_at.line == 4 && sc->staffing.risk == 0.02 &&
                  sc->staffing.roster.weeks == 3 && sc->staffing.roster.weekend_off_min == 2 &&
                  sc->staffing.roster.temp_max == 4 && sc->staffing.by_weekday == 1 &&
                  sc->staffing.nested_k == 5 && sc->staffing.roster.consecutive_off == 0 &&
                  sc->staffing.roster.days_per_week == 5,
              "staffing section parsed into the rules (others keep their defaults)");
        zs_scenario_free(sc);
        static const char none[] = "points:\n  generate: {n_points: 50}\n";
        st = zs_scenario_parse(none, strlen(none), "none.yaml", ".", &sc, &err);
        CHECK(st == ZS_OK && sc->staffing_at.line == 0, "no section: staffing_at unset (run skips staffing)");
        zs_scenario_free(sc);

        struct { const char *text, *msg; } bad[] = {
            {"points:\n  generate: {n_points: 50}\nstaffing:\n  risk: 0.7\n",
             "bad.yaml:4:9: staffing.risk = 0.7; must be <= 0.5"},
            {"points:\n  generate: {n_points: 50}\nstaffing:\n  weeks: 9\n",
             "bad.yaml:4:10: staffing.weeks = 9; must be <= 8"},
            {"points:\n  generate: {n_points: 50}\nstaffing:\n  days_per_week: 7\n",
             "bad.yaml:4:18: staffing.days_per_week = 7; must be <= 6"},
            {"points:\n  generate: {n_points: 50}\nstaffing:\n  weeks: 1\n  weekend_off_min: 3\n",
             "bad.yaml:4:3: staffing.weekend_off_min = 3; must be in 0..2"},
            {"points:\n  generate: {n_points: 50}\nstaffing:\n  rsik: 0.1\n",
             "bad.yaml:4:3: unknown key 'rsik' in staffing (expected one of: risk,"},
            {"points:\n  generate: {n_points: 50}\nstaffing:\n  temp_max: many\n",
             "bad.yaml:4:13: staffing.temp_max: expected an integer, got 'many'"},
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            sc = NULL;
            st = zs_scenario_parse(bad[i].text, strlen(bad[i].text), "bad.yaml", ".", &sc, &err);
            CHECK((st == ZS_EINVAL || st == ZS_EINPUT) && !sc && zs_status_exit_code(st) == 2,
                  "bad staffing %zu refused with exit status 2", i);
            CHECK_CONTAINS(err.msg, bad[i].msg, "bad staffing: message names file:line:col");
        }

        /* Only the section, from text whose input files are gone. */
        static const char stored[] =
            "points:\n  file: /nonexistent/points.csv\nstaffing:\n  weeks: 2\n  overtime_h: 2\n";
        zs_staffing_opts o;
        int present = 0;
        st = zs_scenario_parse_staffing(stored, strlen(stored), "stored", &o, &present, &err);
        CHECK(st == ZS_OK && present && o.roster.weeks == 2 && o.overtime_h == 2,
              "the staffing section alone parses from stored text (input files not needed)");
        st = zs_scenario_parse_staffing(none, strlen(none), "stored", &o, &present, &err);
        CHECK(st == ZS_OK && !present && o.roster.weeks == 4, "no section: the defaults");
        static const char sbad[] = "points: {}\nstaffing:\n  weeks: 0\n";
        st = zs_scenario_parse_staffing(sbad, strlen(sbad), "stored", &o, &present, &err);
        CHECK_CONTAINS(st != ZS_OK ? err.msg : "", "stored:3:10: staffing.weeks = 0; must be >= 1",
                       "a bad stored section names its place");
    }

    /* --- allocation failures --- */
    {
        zs_sim_result *s = sim_new(3, 7, 4);
        fill(s, 300, 0.2, 0.2, 7);
        zs_staffing_opts o;
        zs_staffing_opts_defaults(&o);
        o.nested = 0;
        o.roster.weeks = 1;
        o.roster.weekend_off_min = 0;
        int ok = 1;
        for (long k = 0; k < 60; k++) {
            zs_alloc_fail_after(k);
            zs_staffing_report *r = staff(s, day, &flat, &o, &err);
            zs_alloc_fail_after(-1);
            if (r) {
                zs_staffing_report_free(r);
                break;
            }
            if (err.code != ZS_ENOMEM)
                ok = 0;
        }
        CHECK(ok, "every allocation failure in staffing returns ZS_ENOMEM");
        zs_sim_result_free(s);
    }
    return zs_test_done();
}
