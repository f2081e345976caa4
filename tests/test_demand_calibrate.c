/* Tests of models/demand_calibrate: a history generated with known
 * parameters is calibrated back; holidays and injected abnormal days must
 * not move the weekday averages; representative days and operating modes
 * are checked on a history where the answer is known. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "models/demand.h"
#include "models/rng.h"
#include "check.h"

enum { NP = 200, WEEKS = 16 };

int main(void)
{
    /* Truth: Mon+Fri heavy, Tue-Thu normal, Sat+Sun light; NB k = 5. */
    const double wf[7] = {1.25, 1.0, 1.0, 1.0, 1.25, 0.7, 0.65};
    double mean[NP], truth_total = 0;
    gsl_rng *r = zs_rng_create();
    for (int p = 0; p < NP; p++) {
        zs_rng_rekey(r, zs_rng_key(1, 0, 0, (uint64_t)p, ZS_PURPOSE_CITYGEN));
        mean[p] = 0.3 + 2.0 * gsl_rng_uniform(r);
        truth_total += mean[p];
    }
    zs_demand_opts o;
    zs_demand_opts_defaults(&o);
    memcpy(o.weekday_factor, wf, sizeof wf);
    o.nb_size = 5.0;
    zs_err err;
    zs_demand *truth = zs_demand_create(NP, mean, &o, &err);
    zs_date start;
    zs_date_parse("2026-01-05", &start); /* a Monday */
    int64_t d0 = zs_date_to_days(start);
    size_t cap = (size_t)NP * WEEKS * 7, n = 0;
    int64_t *day = malloc(cap * sizeof *day);
    int32_t *pt = malloc(cap * sizeof *pt);
    double *x = malloc(cap * sizeof *x);
    uint32_t parcels[NP];
    /* Holidays (a quiet long break) and abnormal days (a sale at 3x). */
    int64_t holidays[] = {d0 + 37, d0 + 38, d0 + 39, d0 + 40};
    int64_t abnormal[] = {d0 + 22, d0 + 57};
    for (int64_t t = 0; t < WEEKS * 7; t++) {
        int64_t dd = d0 + t;
        double f = zs_demand_factor(truth, dd);
        for (size_t h = 0; h < 4; h++)
            if (dd == holidays[h])
                f *= 0.2;
        for (size_t a = 0; a < 2; a++)
            if (dd == abnormal[a])
                f *= 3.0;
        zs_demand_draw_scaled(truth, 9, 0, (uint64_t)t, f, r, parcels);
        for (int p = 0; p < NP; p++)
            if (parcels[p] > 0) {
                /* Split each point-day into records of one parcel, as order
                 * files are: calibration must add them up again. */
                for (uint32_t k = 0; k < parcels[p] && k < 2; k++) {
                    day[n] = dd;
                    pt[n] = p;
                    x[n++] = k == 0 ? parcels[p] - (parcels[p] > 1) : 1;
                }
            }
    }
    zs_demand_calibrate_opts co;
    zs_demand_calibrate_opts_defaults(&co);
    co.exclude_days = holidays;
    co.n_exclude = 4;
    zs_demand_fit *fit = NULL;
    zs_status st = zs_demand_calibrate(NP, day, pt, x, n, &co, &fit, &err);
    CHECK(st == ZS_OK, "calibration of a 16-week history runs");
    if (st != ZS_OK) {
        printf("      %s\n", err.msg);
        return zs_test_done();
    }
    CHECK(fit->days_seen == WEEKS * 7 && fit->days_excluded == 4, "112 days seen, 4 holidays excluded");
    CHECK(fit->days_outlier >= 2, "the two 3x days are dropped as abnormal (%zu dropped)", fit->days_outlier);
    /* Weekday factors: each weekday mean averages ~16 days of a total whose
     * sd is about sqrt(sum mu + sum mu^2 / 5) ~ 21 on a mean of ~230
     * (9%), so the mean of 16 is within ~2.3%; 3 sigma = 7% relative. */
    double worst = 0;
    for (int w = 0; w < 7; w++)
        worst = fmax(worst, fabs(fit->weekday_factor[w] / (wf[w] / (6.85 / 7.0)) - 1.0));
    CHECK(worst < 0.07, "weekday factors recovered within 7%% (worst %.3f)", worst);
    double s = 0;
    for (int p = 0; p < NP; p++)
        s += fit->mean[p];
    /* Average-day total = mean of weekday means = truth_total x 6.85/7. */
    CHECK_NEAR(s / (truth_total * 6.85 / 7.0), 1.0, 0.03, "average-day volume recovered within 3%% (ratio %.4f)",
               s / (truth_total * 6.85 / 7.0));
    CHECK(fit->nb_size > 3.5 && fit->nb_size < 7.0, "overdispersion k = 5 recovered (got %.2f)", fit->nb_size);
    CHECK(fit->n_modes == 3 && fit->mode_of_weekday[0] == 0 && fit->mode_of_weekday[4] == 0 &&
          fit->mode_of_weekday[1] == 1 && fit->mode_of_weekday[2] == 1 && fit->mode_of_weekday[3] == 1 &&
          fit->mode_of_weekday[5] == 2 && fit->mode_of_weekday[6] == 2,
          "modes: Mon+Fri heavy, Tue-Thu normal, Sat+Sun light");
    int rep_ok = 1;
    for (int w = 0; w < 7; w++)
        rep_ok &= fit->representative[w] >= d0 && zs_date_weekday(fit->representative[w]) == w;
    CHECK(rep_ok, "each representative day is a real day of its weekday");
    zs_demand_fit_free(fit);

    /* Without the holiday list the quiet days pull Wednesday..Saturday down
     * unless the outlier rule catches them: it must. */
    co.exclude_days = NULL;
    co.n_exclude = 0;
    st = zs_demand_calibrate(NP, day, pt, x, n, &co, &fit, &err);
    CHECK(st == ZS_OK && fit->days_outlier >= 6, "holidays not listed are caught as abnormal days (%zu)",
          fit ? fit->days_outlier : 0);
    zs_demand_fit_free(fit);

    /* A constructed history where the answer is exact: one point, two weeks,
     * weekday w has w + 1 parcels in week 1 and w + 3 in week 2. */
    int64_t dd[14];
    int32_t pp[14];
    double xx[14];
    for (int t = 0; t < 14; t++) {
        dd[t] = d0 + t;
        pp[t] = 0;
        xx[t] = (t % 7) + (t < 7 ? 1 : 3);
    }
    st = zs_demand_calibrate(1, dd, pp, xx, 14, NULL, &fit, &err);
    CHECK(st == ZS_OK, "exact history calibrates");
    if (st == ZS_OK) {
        CHECK(fit->weekday_mean[0] == 2 && fit->weekday_mean[6] == 8, "weekday means 2..8");
        CHECK(fit->representative[3] == d0 + 3, "ties pick the earliest representative day");
        CHECK_NEAR(fit->mean[0], 5.0, 1e-12, "average day = mean of weekday means = 5");
        zs_demand_fit_free(fit);
    }
    /* Errors. */
    pp[3] = 4;
    st = zs_demand_calibrate(1, dd, pp, xx, 14, NULL, &fit, &err);
    CHECK(st == ZS_EINPUT && fit == NULL, "an unknown point index is an input error");
    CHECK_CONTAINS(err.msg, "record 3 has point index 4 outside 0..0", "it names the record");
    pp[3] = 0;
    xx[5] = -1;
    st = zs_demand_calibrate(1, dd, pp, xx, 14, NULL, &fit, &err);
    CHECK_CONTAINS(err.msg, "record 5 has -1 parcels; must be >= 0", "negative parcels named");
    /* Issue 22: parcels of 1e308 on two days of one weekday overflow the
     * weekday mean to inf; refused, never a representative day of -1
     * (1969-12-31). */
    xx[5] = 1e308;
    double x12 = xx[12];
    xx[12] = 1e308;
    st = zs_demand_calibrate(1, dd, pp, xx, 14, NULL, &fit, &err);
    CHECK(st == ZS_EINPUT && fit == NULL, "parcels whose weekday mean overflows: ZS_EINPUT");
    CHECK_CONTAINS(err.msg, "the daily totals overflow", "... named as an overflow");
    zs_demand_fit_free(fit);
    fit = NULL;
    xx[12] = x12;
    xx[5] = 1;
    st = zs_demand_calibrate(1, dd, pp, xx, 5, NULL, &fit, &err);
    CHECK(st == ZS_EINPUT, "a history without Saturdays is rejected");
    CHECK_CONTAINS(err.msg, "no usable Sat in the history", "the missing weekday is named");
    int ok = 1, cnt = 0;
    for (long i = 0; i < 100; i++) {
        zs_alloc_fail_after(i);
        st = zs_demand_calibrate(1, dd, pp, xx, 14, NULL, &fit, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_demand_fit_free(fit);
            break;
        }
        cnt++;
        ok &= st == ZS_ENOMEM && fit == NULL;
    }
    CHECK(ok && cnt > 3, "allocation failures give ZS_ENOMEM and no fit (%d points)", cnt);
    zs_demand_free(truth);
    gsl_rng_free(r);
    free(day);
    free(pt);
    free(x);
    return zs_test_done();
}
