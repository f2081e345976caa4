/* Tests of models/demand: validation, allocation failures, reproducible
 * keyed draws, common random numbers, Poisson moments and expected stops. */
#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "models/demand.h"
#include "models/rng.h"
#include "check.h"

/* Seasons, events and overdispersion (negative binomial). */
static void test_factors_and_nb(void)
{
    zs_demand_opts o;
    zs_demand_opts_defaults(&o);
    o.weekday_factor[2] = 0.5;   /* Wednesday */
    o.month_factor[10] = 1.2;    /* November */
    zs_date s;
    zs_date_parse("2026-11-11", &s); /* a Wednesday */
    o.events[0] = (zs_demand_event){zs_date_to_days(s), 3, 3.0};
    o.events[1] = (zs_demand_event){zs_date_to_days(s) + 2, 5, 2.0};
    o.n_events = 2;
    o.nb_size = 2.0;
    double mean = 4.0;
    zs_err err;
    zs_demand *d = zs_demand_create(1, &mean, &o, &err);
    CHECK(d != NULL, "demand with events and nb_size created");
    if (!d)
        return;
    int64_t day = zs_date_to_days(s);
    CHECK_NEAR(zs_demand_factor(d, day), 0.5 * 1.2 * 3.0, 1e-15, "Wed 11 Nov: weekday x month x event");
    CHECK_NEAR(zs_demand_factor(d, day + 2), 1.0 * 1.2 * 3.0 * 2.0, 1e-15, "overlapping events multiply");
    CHECK_NEAR(zs_demand_factor(d, day + 3), 1.2 * 2.0, 1e-15, "first event over after 3 days");
    CHECK_NEAR(zs_demand_factor(d, day + 30), o.weekday_factor[zs_date_weekday(day + 30)] * 1.0, 1e-15,
               "11 December: weekday factor only (December factor 1, no event)");
    /* NB(k = 2) with mean mu = 4: variance mu + mu^2 / k = 12.  Over
     * 40,000 keyed draws the sample mean's se is sqrt(12/4e4) = 0.0173 and
     * the variance's se about sqrt((mu4 - s^4)/n) ~ 0.6; 5 se bounds. */
    gsl_rng *r = zs_rng_create();
    enum { N = 40000 };
    double sum = 0, ss = 0;
    static double x[N];
    for (int i = 0; i < N; i++) {
        uint32_t p;
        zs_demand_draw_scaled(d, 5, (uint64_t)i, 0, 1.0, r, &p);
        x[i] = p;
        sum += p;
    }
    double m = sum / N;
    for (int i = 0; i < N; i++)
        ss += (x[i] - m) * (x[i] - m);
    double var = ss / (N - 1);
    CHECK_NEAR(m, 4.0, 5 * 0.0173, "negative binomial mean 4 (got %.4f)", m);
    CHECK_NEAR(var, 12.0, 5 * 0.6, "negative binomial variance 12 = 4 + 16/2 (got %.3f)", var);
    gsl_rng_free(r);
    zs_demand_free(d);
    o.nb_size = -1;
    CHECK(zs_demand_opts_validate(&o, &err) == ZS_EINVAL, "negative nb_size rejected");
    CHECK_CONTAINS(err.msg, "demand.nb_size = -1; must be >= 0 (0 = Poisson)", "nb_size message");
}

int main(void)
{
    test_factors_and_nb();
    zs_err err;
    zs_demand_opts o;
    gsl_rng *r = zs_rng_create();
    CHECK(r != NULL, "zs_rng_create returns a generator");
    if (!r)
        return zs_test_done();

    /* Defaults and validation. */
    zs_demand_opts_defaults(&o);
    {
        int ones = 1;
        for (int i = 0; i < 7; i++)
            ones &= o.weekday_factor[i] == 1.0;
        CHECK(ones, "default weekday factors are all 1");
    }
    CHECK(zs_demand_opts_validate(&o, &err) == ZS_OK, "default options validate");

    const double means3[3] = {1.0, 2.0, 0.5};
    o.weekday_factor[2] = NAN;
    zs_err_clear(&err);
    zs_demand *d = zs_demand_create(3, means3, &o, &err);
    CHECK(d == NULL && err.code == ZS_EINVAL, "NaN weekday factor: create fails with ZS_EINVAL");
    CHECK_CONTAINS(err.msg, "demand.weekday_factor[2] = ", "NaN factor message names "
                   "demand.weekday_factor[2]");
    CHECK_CONTAINS(err.msg, "must be a finite number >= 0", "NaN factor message states the rule");
    zs_demand_free(d);

    zs_demand_opts_defaults(&o);
    o.weekday_factor[6] = -0.5;
    CHECK(zs_demand_opts_validate(&o, &err) == ZS_EINVAL, "negative weekday factor is ZS_EINVAL");
    CHECK_CONTAINS(err.msg, "demand.weekday_factor[6] = -0.5",
                   "negative factor message names field and value");
    o.weekday_factor[6] = INFINITY;
    CHECK(zs_demand_opts_validate(&o, &err) == ZS_EINVAL, "infinite weekday factor is ZS_EINVAL");
    CHECK_CONTAINS(err.msg, "demand.weekday_factor[6] = inf", "infinite factor message names it");
    o.weekday_factor[6] = 0.0;
    CHECK(zs_demand_opts_validate(&o, &err) == ZS_OK, "a zero weekday factor is valid");

    {
        const double bad[4] = {1.0, 0.0, 3.0, -2.0};
        zs_err_clear(&err);
        d = zs_demand_create(4, bad, NULL, &err);
        CHECK(d == NULL && err.code == ZS_EINVAL, "negative mean: create fails with ZS_EINVAL");
        CHECK_CONTAINS(err.msg, "point 3 = -2", "negative mean message names the point and value");
        zs_demand_free(d);
        const double nan_mean[2] = {NAN, 1.0};
        d = zs_demand_create(2, nan_mean, NULL, &err);
        CHECK(d == NULL && err.code == ZS_EINVAL, "NaN mean: create fails with ZS_EINVAL");
        CHECK_CONTAINS(err.msg, "point 0", "NaN mean message names point 0");
        zs_demand_free(d);
        const double inf_mean[2] = {1.0, INFINITY};
        d = zs_demand_create(2, inf_mean, NULL, &err);
        CHECK(d == NULL && err.code == ZS_EINVAL, "infinite mean: create fails with ZS_EINVAL");
        zs_demand_free(d);
    }
    zs_demand_free(NULL); /* a no-op */

    /* Creation copies its inputs; NULL opts means defaults. */
    {
        double m[3] = {1.0, 2.0, 0.5};
        d = zs_demand_create(3, m, NULL, &err);
        CHECK(d != NULL, "create with NULL opts succeeds");
        m[1] = 99.0;
        CHECK(d && d->n_points == 3 && d->mean[1] == 2.0 && d->weekday_factor[4] == 1.0,
              "create copies the means and uses default factors");
        zs_demand_free(d);
    }
    {
        d = zs_demand_create(0, NULL, NULL, &err);
        CHECK(d != NULL && d->n_points == 0, "create with zero points and NULL means succeeds");
        if (d) {
            zs_demand_draw_day(d, 1, 1, 1, 0, r, NULL);
            CHECK(zs_demand_expected_stops_week(d) == 0.0, "zero points expect zero stops");
        }
        zs_demand_free(d);
    }

    /* Allocation-failure sweep: every failure point gives ZS_ENOMEM and
     * leaks nothing (LeakSanitizer checks at exit under -fsanitize). */
    {
        int failures = 0, all_nomem = 1, succeeded = 0;
        for (long k = 0; k < 20 && !succeeded; k++) {
            zs_err_clear(&err);
            zs_alloc_fail_after(k);
            d = zs_demand_create(3, means3, NULL, &err);
            zs_alloc_fail_after(-1);
            if (d) {
                succeeded = 1;
                zs_demand_free(d);
            } else {
                failures++;
                all_nomem &= err.code == ZS_ENOMEM && strstr(err.msg, "out of memory") != NULL;
            }
        }
        CHECK(failures >= 2, "allocation sweep reached %d failure points (>= 2 allocations)",
              failures);
        CHECK(all_nomem, "every injected allocation failure reports ZS_ENOMEM");
        CHECK(succeeded, "create succeeds once the failure point is past its allocations");
    }

    /* Reproducible keyed draws. */
    enum { NP = 200 };
    double m[NP];
    for (int i = 0; i < NP; i++)
        m[i] = 0.5 + 0.05 * (i % 60); /* 0.5 .. 3.45 */
    zs_demand_opts_defaults(&o);
    o.weekday_factor[5] = 0.6;
    d = zs_demand_create(NP, m, &o, &err);
    CHECK(d != NULL, "create a 200-point demand");
    if (!d) {
        gsl_rng_free(r);
        return zs_test_done();
    }
    {
        uint32_t a[NP], b[NP];
        zs_demand_draw_day(d, 77, 3, 10, 2, r, a);
        (void)gsl_rng_get(r); /* the generator's state must not matter */
        zs_demand_draw_day(d, 77, 3, 10, 2, r, b);
        CHECK(memcmp(a, b, sizeof a) == 0, "same (master, rep, day) gives the same parcels");
        zs_demand_draw_day(d, 77, 4, 10, 2, r, b);
        CHECK(memcmp(a, b, sizeof a) != 0, "another rep gives different parcels");
        zs_demand_draw_day(d, 77, 3, 11, 2, r, b);
        CHECK(memcmp(a, b, sizeof a) != 0, "another day gives different parcels");
        zs_demand_draw_day(d, 78, 3, 10, 2, r, b);
        CHECK(memcmp(a, b, sizeof a) != 0, "another master seed gives different parcels");
        long tot = 0;
        for (int i = 0; i < NP; i++)
            tot += a[i];
        CHECK(tot > 0, "a 200-point day has some parcels (%ld)", tot);

        /* Golden: point i's parcels are gsl_ran_poisson on the key
         * (master, rep, day, i, DEMAND). */
        int keyed = 1;
        for (int i = 0; i < NP; i++) {
            zs_rng_rekey(r, zs_rng_key(77, 3, 10, (uint64_t)i, ZS_PURPOSE_DEMAND));
            keyed &= a[i] == gsl_ran_poisson(r, m[i]);
        }
        CHECK(keyed, "each point draws Poisson(mean x factor) from key (master, rep, day, point, "
              "DEMAND)");
    }

    /* Common random numbers: point i's draw does not depend on the other
     * points' means, on their number or on zero-mean neighbours. */
    {
        enum { I = 37 };
        double m2[NP + 50];
        for (int i = 0; i < NP + 50; i++)
            m2[i] = (i % 3 == 0) ? 0.0 : 5.0 + (double)(i % 7);
        m2[I] = m[I];
        zs_demand *d2 = zs_demand_create(NP + 50, m2, &o, &err);
        CHECK(d2 != NULL, "create a second demand with different other means");
        if (d2) {
            uint32_t a[NP], b[NP + 50];
            int same = 1, other_diff = 0;
            for (uint64_t rep = 0; rep < 20; rep++)
                for (uint64_t day = 0; day < 14; day++) {
                    int wd = (int)(day % 7);
                    zs_demand_draw_day(d, 5, rep, day, wd, r, a);
                    zs_demand_draw_day(d2, 5, rep, day, wd, r, b);
                    same &= a[I] == b[I];
                    other_diff |= a[I + 1] != b[I + 1];
                }
            CHECK(same, "CRN: point %d's parcels are equal under different other means "
                  "(280 rep-days)", I);
            CHECK(other_diff, "points with different means do draw differently");
        }
        zs_demand_free(d2);
    }
    zs_demand_free(d);

    /* Zero mean or zero factor gives no parcels. */
    {
        const double mz[3] = {0.0, 4.0, 0.0};
        zs_demand_opts_defaults(&o);
        o.weekday_factor[6] = 0.0;
        zs_demand *dz = zs_demand_create(3, mz, &o, &err);
        CHECK(dz != NULL, "create a demand with zero means");
        if (dz) {
            int zeros = 1, sunday = 1;
            long busy = 0;
            for (uint64_t rep = 0; rep < 200; rep++) {
                uint32_t p[3] = {9, 9, 9};
                zs_demand_draw_day(dz, 1, rep, 0, 0, r, p);
                zeros &= p[0] == 0 && p[2] == 0;
                busy += p[1];
                uint32_t q[3] = {9, 9, 9};
                zs_demand_draw_day(dz, 1, rep, 6, 6, r, q);
                sunday &= q[0] == 0 && q[1] == 0 && q[2] == 0;
            }
            CHECK(zeros, "a point with mean 0 always gets 0 parcels");
            CHECK(sunday, "a weekday factor of 0 gives 0 parcels everywhere");
            CHECK(busy > 0, "a point with mean 4 gets parcels");
        }
        zs_demand_free(dz);
    }

    /* Poisson moments of one point, mean 2.0, factor 1.5 on Wednesday
     * (other days 0.7, so the wrong factor would show): mu = 3.0, over
     * N = 20,000 replication keys.
     *   mean: sd sqrt(mu/N) = sqrt(3/20000) = 0.01225; 5 sigma = 0.0612.
     *   variance: sd ~ sqrt((mu4 - sigma^4)/N), mu4 = mu(1 + 3mu),
     *     sigma^4 = mu^2, so sqrt((mu + 2mu^2)/N) = sqrt(21/20000)
     *     = 0.0324; 5 sigma = 0.162. */
    {
        enum { N = 20000 };
        const double mean1 = 2.0;
        for (int i = 0; i < 7; i++)
            o.weekday_factor[i] = 0.7;
        o.weekday_factor[2] = 1.5;
        zs_demand *d1 = zs_demand_create(1, &mean1, &o, &err);
        CHECK(d1 != NULL, "create a one-point demand");
        if (d1) {
            double sum = 0, sumsq = 0;
            for (uint64_t rep = 0; rep < N; rep++) {
                uint32_t p;
                zs_demand_draw_day(d1, 2026, rep, 2, 2, r, &p);
                sum += p;
                sumsq += (double)p * p;
            }
            double mean = sum / N, var = (sumsq - sum * mean) / (N - 1);
            CHECK_NEAR(mean, 3.0, 0.0612, "Poisson(2.0 x 1.5) over 20,000 reps: mean 3 +- 0.0612 "
                       "(got %.4f)", mean);
            CHECK_NEAR(var, 3.0, 0.162, "Poisson(2.0 x 1.5) over 20,000 reps: variance 3 +- 0.162 "
                       "(got %.4f)", var);
        }
        zs_demand_free(d1);
    }

    /* Expected stops against a hand computation: means {0, 1, 2.5},
     * factors Mon-Fri 1, Sat 0.5, Sun 0.
     *   Mon: 0 + (1 - e^-1) + (1 - e^-2.5) = 0.632121 + 0.917915 = 1.550036
     *   Sat: (1 - e^-0.5) + (1 - e^-1.25) = 0.393469 + 0.713495 = 1.106965
     *   Sun: 0;  week: (5 x 1.550036 + 1.106965) / 7 = 1.265306 */
    {
        const double me[3] = {0.0, 1.0, 2.5};
        zs_demand_opts_defaults(&o);
        o.weekday_factor[5] = 0.5;
        o.weekday_factor[6] = 0.0;
        zs_demand *de = zs_demand_create(3, me, &o, &err);
        CHECK(de != NULL, "create the expected-stops demand");
        if (de) {
            CHECK_NEAR(zs_demand_expected_stops(de, 0), 1.550035560204659, 1e-12,
                       "expected stops on Monday = 1.550036 (got %.9f)",
                       zs_demand_expected_stops(de, 0));
            CHECK_NEAR(zs_demand_expected_stops(de, 5), 1.1069645434271764, 1e-12,
                       "expected stops on Saturday = 1.106965 (got %.9f)",
                       zs_demand_expected_stops(de, 5));
            CHECK(zs_demand_expected_stops(de, 6) == 0.0, "expected stops on Sunday = 0");
            CHECK_NEAR(zs_demand_expected_stops_week(de), 1.2653060492072101, 1e-12,
                       "expected stops over the week = 1.265306 (got %.9f)",
                       zs_demand_expected_stops_week(de));
        }
        zs_demand_free(de);
    }

    /* Expected stops against simulation: 1000 points of mean 0.7 expect
     * 1000 (1 - e^-0.7) = 503.41 busy points a day; per day the count is a
     * sum of independent Bernoullis with sd sqrt(1000 p (1-p)) = 15.81, so
     * the mean over 50 days has sd 2.236; 5 sigma = 11.2. */
    {
        enum { NB = 1000, DAYS = 50 };
        static double mb[NB];
        for (int i = 0; i < NB; i++)
            mb[i] = 0.7;
        zs_demand *db = zs_demand_create(NB, mb, NULL, &err);
        CHECK(db != NULL, "create a 1000-point demand");
        if (db) {
            static uint32_t p[NB];
            double busy = 0;
            for (uint64_t day = 0; day < DAYS; day++) {
                zs_demand_draw_day(db, 9, 0, day, (int)(day % 7), r, p);
                for (int i = 0; i < NB; i++)
                    busy += p[i] > 0;
            }
            double want = zs_demand_expected_stops(db, 0);
            CHECK_NEAR(want, 503.4146962085905, 1e-9, "expected stops of 1000 x Poisson(0.7) "
                       "= 503.41");
            CHECK_NEAR(busy / DAYS, want, 11.2, "simulated busy points per day match expected "
                       "stops within 11.2 (got %.2f)", busy / DAYS);
        }
        zs_demand_free(db);
    }

    gsl_rng_free(r);
    return zs_test_done();
}
