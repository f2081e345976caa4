/* Tests of models/calls: defaults and validation, expected calls and the
 * event profile, Poisson day draws, handling and patience moments, keyed
 * reproducibility, calibration from a log. */
#include <math.h>
#include <string.h>

#include "models/calls.h"
#include "models/rng.h"
#include "check.h"

#define NI ZS_CALL_INTERVALS

int main(void)
{
    zs_calls c;
    zs_err err;
    zs_calls_defaults(&c);
    CHECK(zs_calls_validate(&c, &err) == ZS_OK, "defaults are valid");
    CHECK(strcmp(zs_call_reason_name(ZS_CALL_COMPLAINT), "complaint") == 0 &&
              zs_call_reason_parse("outbound") == ZS_CALL_OUTBOUND && zs_call_reason_parse("x") == -1 &&
              strcmp(zs_call_reason_name(99), "?") == 0,
          "reason names parse back");
    CHECK(c.reason[ZS_CALL_OUTBOUND].outbound && !c.reason[ZS_CALL_TRACKING].outbound,
          "outbound calls are placed by agents");

    zs_calls b = c;
    b.reason[ZS_CALL_LATE].rate = -1;
    CHECK(zs_calls_validate(&b, &err) == ZS_EINVAL, "negative rate rejected");
    CHECK_CONTAINS(err.msg, "service.calls.late.rate = -1; must be >= 0", "rate message names reason");
    b = c;
    b.reason[ZS_CALL_PICKUP].profile[4] = 0.1; /* 2:00, desk closed */
    CHECK(zs_calls_validate(&b, &err) == ZS_EINVAL, "calls while the desk is closed rejected");
    CHECK_CONTAINS(err.msg, "desk is closed at 02:00", "closed-desk message names the time");
    b = c;
    b.reason[ZS_CALL_TRACKING].profile[20] += 0.5;
    CHECK(zs_calls_validate(&b, &err) == ZS_EINVAL, "profile not summing to 1 rejected");
    CHECK_CONTAINS(err.msg, "tracking.profile sums to 1.5", "sum message");
    b = c;
    b.open_interval = 30;
    b.close_interval = 30;
    CHECK(zs_calls_validate(&b, &err) == ZS_EINVAL, "empty desk hours rejected");
    b = c;
    b.reason[ZS_CALL_PROBLEM].aht_s = 0;
    CHECK(zs_calls_validate(&b, &err) == ZS_EINVAL, "zero handling time rejected");
    CHECK_CONTAINS(err.msg, "problem.aht_s = 0; must be > 0", "aht message");

    /* Expected calls: rate x driver spread over the profile. */
    double drv[ZS_DRIVERS] = {1000, 150, 120, 80, 40};
    double mean[ZS_CALL_REASONS * NI];
    zs_calls_expected_day(&c, drv, NULL, mean);
    for (int k = 0; k < ZS_CALL_REASONS; k++) {
        double s = 0;
        for (int i = 0; i < NI; i++)
            s += mean[k * NI + i];
        CHECK_NEAR(s, c.reason[k].rate * drv[c.reason[k].driver], 1e-9,
                   "%s: expected day total = rate x %s", zs_call_reason_name(k),
                   zs_call_driver_name(c.reason[k].driver));
    }
    /* Failed-attempt calls follow the attempts one interval later; attempts
     * at 6:00 (desk closed) spread over the reason's own profile. */
    double ev[NI] = {0};
    ev[28] = 0.5; /* 14:00 */
    ev[12] = 0.5; /* 6:00 */
    zs_calls_expected_day(&c, drv, ev, mean);
    double *f = mean + ZS_CALL_FAILED * NI;
    double day = 0.30 * 150;
    CHECK_NEAR(f[29], day * (0.5 + 0.5 * c.reason[ZS_CALL_FAILED].profile[29]), 1e-9,
               "attempts at 14:00 call at 14:30");
    CHECK_NEAR(f[20], day * 0.5 * c.reason[ZS_CALL_FAILED].profile[20], 1e-9,
               "attempts before opening follow the reason's profile");
    CHECK(mean[ZS_CALL_TRACKING * NI + 29] ==
              1000 * 0.03 * c.reason[ZS_CALL_TRACKING].profile[29],
          "tracking calls ignore the event profile");
    double sumf = 0;
    for (int i = 0; i < NI; i++)
        sumf += f[i];
    CHECK_NEAR(sumf, day, 1e-9, "following the events conserves the calls");

    /* Day draws: Poisson means and variances over 4,000 keyed days. */
    gsl_rng *r = zs_rng_create();
    enum { ND = 4000 };
    uint32_t cnt[ZS_CALL_REASONS * NI];
    double s1[ZS_CALL_REASONS] = {0}, s2[ZS_CALL_REASONS] = {0}, peak = 0;
    for (int d = 0; d < ND; d++) {
        zs_rng_rekey(r, zs_rng_key(5, 0, (uint64_t)d, 0, ZS_PURPOSE_CALLS));
        zs_calls_draw_day(&c, drv, NULL, r, cnt);
        for (int k = 0; k < ZS_CALL_REASONS; k++) {
            double t = 0;
            for (int i = 0; i < NI; i++)
                t += cnt[k * NI + i];
            s1[k] += t;
            s2[k] += t * t;
        }
        peak += cnt[ZS_CALL_TRACKING * NI + 19];
    }
    for (int k = 0; k < ZS_CALL_REASONS; k++) {
        double mu = c.reason[k].rate * drv[c.reason[k].driver];
        double m = s1[k] / ND, v = s2[k] / ND - m * m;
        CHECK_NEAR(m, mu, 5 * sqrt(mu / ND), "%s calls a day: mean %.3f vs %.3f",
                   zs_call_reason_name(k), m, mu);
        /* var of a sample variance of Poisson(mu) ~ (mu + 2 mu^2) / n */
        CHECK_NEAR(v, mu, 5 * sqrt((mu + 2 * mu * mu) / ND) + 1e-9,
                   "%s calls a day: variance %.3f vs Poisson %.3f", zs_call_reason_name(k), v, mu);
    }
    double mu19 = 30 * c.reason[ZS_CALL_TRACKING].profile[19];
    CHECK_NEAR(peak / ND, mu19, 5 * sqrt(mu19 / ND), "tracking calls at 9:30 follow the profile");
    uint32_t a1[ZS_CALL_REASONS * NI], a2[ZS_CALL_REASONS * NI];
    zs_rng_rekey(r, 99);
    zs_calls_draw_day(&c, drv, ev, r, a1);
    zs_rng_rekey(r, 99);
    zs_calls_draw_day(&c, drv, ev, r, a2);
    CHECK(memcmp(a1, a2, sizeof a1) == 0, "a day's draw depends on the key only");
    uint32_t z[ZS_CALL_REASONS * NI];
    double none[ZS_DRIVERS] = {0};
    zs_rng_rekey(r, 99);
    zs_calls_draw_day(&c, none, NULL, r, z);
    double after = gsl_rng_uniform(r);
    zs_rng_rekey(r, 99);
    CHECK(after == gsl_rng_uniform(r), "a day without drivers draws nothing");
    int allz = 1;
    for (int q = 0; q < ZS_CALL_REASONS * NI; q++)
        allz &= z[q] == 0;
    CHECK(allz, "a day without drivers has no calls");

    /* Handling: lognormal with the reason's mean and cv. */
    enum { NH = 200000 };
    double h1 = 0, h2 = 0, l1 = 0;
    zs_rng_rekey(r, 1234);
    for (int q = 0; q < NH; q++) {
        double h = zs_calls_draw_handling(&c, ZS_CALL_COMPLAINT, r);
        h1 += h;
        h2 += h * h;
        l1 += log(h);
    }
    double hm = h1 / NH, hsd = sqrt(h2 / NH - hm * hm);
    double sd = 480 * 0.8;
    CHECK_NEAR(hm, 480, 5 * sd / sqrt(NH), "complaint handling mean %.2f s vs 480", hm);
    CHECK_NEAR(hsd / hm, 0.8, 0.02, "complaint handling cv %.4f vs 0.8", hsd / hm);
    double s2l = log1p(0.64);
    CHECK_NEAR(l1 / NH, log(480) - s2l / 2, 5 * sqrt(s2l / NH), "log handling mean (lognormal)");
    b = c;
    b.reason[ZS_CALL_LATE].aht_cv = 0;
    CHECK(zs_calls_draw_handling(&b, ZS_CALL_LATE, r) == 180, "cv 0: handling is the mean exactly");
    b.reason[ZS_CALL_LATE].handling_exp = 1;
    double e1 = 0, e2 = 0;
    for (int q = 0; q < NH; q++) {
        double h = zs_calls_draw_handling(&b, ZS_CALL_LATE, r);
        e1 += h;
        e2 += h * h;
    }
    CHECK_NEAR(e1 / NH, 180, 5 * 180 / sqrt(NH), "exponential handling: mean 180 s");
    CHECK_NEAR(sqrt(e2 / NH - (e1 / NH) * (e1 / NH)) / (e1 / NH), 1.0, 0.02, "exponential handling: cv 1");
    double p1 = 0;
    int over = 0;
    zs_rng_rekey(r, 4321);
    for (int q = 0; q < NH; q++) {
        double p = zs_calls_draw_patience(&c, ZS_CALL_FAILED, r);
        p1 += p;
        over += p > 180;
    }
    CHECK_NEAR(p1 / NH, 180, 5 * 180 / sqrt(NH), "patience mean %.2f s vs 180", p1 / NH);
    CHECK_NEAR((double)over / NH, exp(-1), 5 * sqrt(0.25 / NH), "patience is exponential: P(> mean) = 1/e");
    CHECK(isinf(zs_calls_draw_patience(&c, ZS_CALL_OUTBOUND, r)), "outbound calls never abandon");

    /* Calibration from a synthetic log of 10 days: 40 tracking calls a day
     * at 10:15 and 15:45 (3:1), talk times e^5 and e^5.4 alternating, 10%
     * abandoned; 8 complaints a day at 19:10. */
    enum { NL = 10 * 48 };
    zs_call_record log[NL];
    size_t n = 0;
    for (int d = 0; d < 10; d++) {
        for (int q = 0; q < 40; q++) {
            zs_call_record *x = &log[n++];
            x->t_s = d * 86400.0 + (q % 4 == 3 ? 15.75 : 10.25) * 3600.0;
            x->reason = ZS_CALL_TRACKING;
            x->abandoned = q % 10 == 9;
            x->talk_s = x->abandoned ? 0 : exp(q % 2 ? 5.4 : 5.0);
        }
        for (int q = 0; q < 8; q++) {
            zs_call_record *x = &log[n++];
            x->t_s = d * 86400.0 + 19 * 3600.0 + 600;
            x->reason = ZS_CALL_COMPLAINT;
            x->abandoned = 0;
            x->talk_s = 600;
        }
    }
    zs_calls k = c;
    zs_calls_fit fit;
    double per_day[ZS_DRIVERS] = {800, 0, 0, 20, 0};
    CHECK(zs_calls_calibrate(&k, log, n, per_day, &fit, &err) == ZS_OK, "calibration runs");
    CHECK(fit.days == 10 && fit.n[ZS_CALL_TRACKING] == 400 && fit.n[ZS_CALL_COMPLAINT] == 80,
          "10 days, 400 tracking calls, 80 complaints");
    CHECK_NEAR(fit.calls_per_day[ZS_CALL_TRACKING], 40, 1e-12, "40 tracking calls a day");
    CHECK_NEAR(fit.abandon_share[ZS_CALL_TRACKING], 0.1, 1e-12, "10%% abandoned");
    CHECK_NEAR(k.reason[ZS_CALL_TRACKING].rate, 40.0 / 800, 1e-12, "tracking rate = 40 / 800 parcels");
    CHECK_NEAR(k.reason[ZS_CALL_COMPLAINT].rate, 8.0 / 20, 1e-12, "complaint rate = 8 / 20 late parcels");
    CHECK(k.reason[ZS_CALL_FAILED].rate == c.reason[ZS_CALL_FAILED].rate, "reasons without calls keep their rate");
    CHECK_NEAR(k.reason[ZS_CALL_TRACKING].profile[20], 0.75, 1e-12, "profile: 3/4 at 10:00-10:30");
    CHECK_NEAR(k.reason[ZS_CALL_TRACKING].profile[31], 0.25, 1e-12, "profile: 1/4 at 15:30-16:00");
    CHECK(k.open_interval == 20 && k.close_interval == 39, "desk hours span the calls (10:00-19:30)");
    /* answered talk times: the abandoned calls are odd ones, so 200 at
     * e^5 and 160 at e^5.4 over the 10 days */
    double mu = (200 * 5.0 + 160 * 5.4) / 360;
    double var = (200 * (5.0 - mu) * (5.0 - mu) + 160 * (5.4 - mu) * (5.4 - mu)) / 359;
    CHECK_NEAR(k.reason[ZS_CALL_TRACKING].aht_s, exp(mu + var / 2), 1e-6, "handling mean from log moments");
    CHECK_NEAR(k.reason[ZS_CALL_TRACKING].aht_cv, sqrt(expm1(var)), 1e-9, "handling cv from log moments");
    CHECK_NEAR(k.reason[ZS_CALL_COMPLAINT].aht_s, 600, 1e-9, "constant talk time: mean exact");
    CHECK(zs_calls_validate(&k, &err) == ZS_OK, "calibrated parameters are valid (profiles clipped to the hours)");
    log[5].talk_s = -3;
    CHECK(zs_calls_calibrate(&k, log, n, NULL, &fit, &err) == ZS_EINVAL, "negative talk time rejected");
    CHECK_CONTAINS(err.msg, "record 6", "message names the record");
    CHECK(zs_calls_calibrate(&k, log, 0, NULL, &fit, &err) == ZS_EINVAL, "empty log rejected");
    gsl_rng_free(r);
    return zs_test_done();
}
