/*
 * models/demand_calibrate.c -- fitting the demand model from a history,
 * the way stations plan (DESIGN.md): drop holidays and long breaks, average
 * each weekday without its abnormal days, pick the real day closest to each
 * weekday's average, and group weekdays of similar volume into modes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "models/demand.h"

void zs_demand_calibrate_opts_defaults(zs_demand_calibrate_opts *o)
{
    o->exclude_days = NULL;
    o->n_exclude = 0;
    o->outlier_mad = 3.0;
    o->mode_gap = 0.15;
    o->pickups = NULL;
}

void zs_demand_fit_free(zs_demand_fit *f)
{
    if (!f)
        return;
    zs_free(f->mean);
    zs_free(f->pickup_mean);
    zs_free(f);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v). */
static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static long day_index(const int64_t *days, size_t n, int64_t d)
{
    const int64_t *hit = bsearch(&d, days, n, sizeof *days, cmp_i64);
    return hit ? (long)(hit - days) : -1;
}

/* Records sorted by (day, point), so that several records of one point on
 * one day (one per order, as in LaDe) add up before moments are taken. */
typedef struct {
    int64_t day;
    int32_t point;
    double parcels, pickups;
} record;

static int cmp_record(const void *a, const void *b)
{
    const record *x = a, *y = b;
    if (x->day != y->day)
        return (x->day > y->day) - (x->day < y->day);
    return (x->point > y->point) - (x->point < y->point);
}

static zs_status fit(size_t n_points, const int64_t *day, const int32_t *point,
                     const double *parcels, size_t n_obs, const zs_demand_calibrate_opts *opts,
                     zs_demand_fit **out, zs_err *err);

zs_status zs_demand_calibrate(size_t n_points, const int64_t *day, const int32_t *point,
                              const double *parcels, size_t n_obs,
                              const zs_demand_calibrate_opts *opts, zs_demand_fit **out,
                              zs_err *err)
{
    *out = NULL;
    zs_demand_calibrate_opts o;
    if (opts)
        o = *opts;
    else
        zs_demand_calibrate_opts_defaults(&o);
    const double *pk = o.pickups;
    for (size_t r = 0; r < n_obs; r++) {
        if (point[r] < 0 || (size_t)point[r] >= n_points)
            return zs_err_set(err, ZS_EINPUT, "calibration: record %zu has point index %d outside 0..%zu",
                              r, (int)point[r], n_points ? n_points - 1 : 0);
        if (!(parcels[r] >= 0.0) || !isfinite(parcels[r]))
            return zs_err_set(err, ZS_EINPUT, "calibration: record %zu has %g parcels; must be >= 0",
                              r, parcels[r]);
        if (pk && (!(pk[r] >= 0.0) || !isfinite(pk[r])))
            return zs_err_set(err, ZS_EINPUT, "calibration: record %zu has %g pickups; must be >= 0",
                              r, pk[r]);
    }
    record *rec = zs_malloc_array(n_obs ? n_obs : 1, sizeof *rec);
    int64_t *d = zs_malloc_array(n_obs ? n_obs : 1, sizeof *d);
    int32_t *p = zs_malloc_array(n_obs ? n_obs : 1, sizeof *p);
    double *x = zs_malloc_array(n_obs ? n_obs : 1, sizeof *x);
    double *y = pk ? zs_malloc_array(n_obs ? n_obs : 1, sizeof *y) : NULL;
    zs_status st;
    if (!rec || !d || !p || !x || (pk && !y)) {
        st = ZS_NOMEM(err);
    } else {
        for (size_t r = 0; r < n_obs; r++)
            rec[r] = (record){day[r], point[r], parcels[r], pk ? pk[r] : 0.0};
        qsort(rec, n_obs, sizeof *rec, cmp_record);
        size_t m = 0;
        for (size_t r = 0; r < n_obs; r++) {
            if (m && rec[r].day == d[m - 1] && rec[r].point == p[m - 1]) {
                x[m - 1] += rec[r].parcels;
                if (y)
                    y[m - 1] += rec[r].pickups;
                continue;
            }
            d[m] = rec[r].day;
            p[m] = rec[r].point;
            if (y)
                y[m] = rec[r].pickups;
            x[m++] = rec[r].parcels;
        }
        o.pickups = y; /* aggregated like the parcels */
        st = fit(n_points, d, p, x, m, &o, out, err);
    }
    zs_free(y);
    zs_free(rec);
    zs_free(d);
    zs_free(p);
    zs_free(x);
    return st;
}

static zs_status fit(size_t n_points, const int64_t *day, const int32_t *point,
                     const double *parcels, size_t n_obs, const zs_demand_calibrate_opts *opts,
                     zs_demand_fit **out, zs_err *err)
{
    *out = NULL;
    zs_demand_calibrate_opts def;
    if (!opts) {
        zs_demand_calibrate_opts_defaults(&def);
        opts = &def;
    }
    if (!(opts->outlier_mad > 0.0) || !(opts->mode_gap >= 0.0 && opts->mode_gap < 1.0))
        return zs_err_set(err, ZS_EINVAL,
                          "calibration: outlier_mad = %g must be > 0 and mode_gap = %g in [0, 1)",
                          opts->outlier_mad, opts->mode_gap);
    if (n_points == 0 || n_obs == 0)
        return zs_err_set(err, ZS_EINPUT, "calibration: no points or no history records");
    zs_status st = ZS_OK;
    zs_demand_fit *f = zs_calloc(1, sizeof *f);
    int64_t *days = zs_malloc_array(n_obs, sizeof *days);
    int64_t *excl = zs_malloc_array(opts->n_exclude ? opts->n_exclude : 1, sizeof *excl);
    double *total = NULL, *scratch = NULL;
    unsigned char *keep = NULL;
    if (!f || !days || !excl || !(f->mean = zs_calloc(n_points, sizeof *f->mean))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    f->n_points = n_points;

    /* The days of history: every distinct day with a record. */
    memcpy(days, day, n_obs * sizeof *days);
    qsort(days, n_obs, sizeof *days, cmp_i64);
    size_t nd = 0;
    for (size_t r = 0; r < n_obs; r++)
        if (nd == 0 || days[r] != days[nd - 1])
            days[nd++] = days[r];
    f->days_seen = nd;
    if (opts->n_exclude)
        memcpy(excl, opts->exclude_days, opts->n_exclude * sizeof *excl);
    qsort(excl, opts->n_exclude, sizeof *excl, cmp_i64);

    total = zs_calloc(nd, sizeof *total);
    scratch = zs_malloc_array(nd, sizeof *scratch);
    keep = zs_calloc(nd, 1);
    if (!total || !scratch || !keep) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t r = 0; r < n_obs; r++)
        total[day_index(days, nd, day[r])] += parcels[r];
    for (size_t i = 0; i < nd; i++) {
        keep[i] = day_index(excl, opts->n_exclude, days[i]) < 0;
        f->days_excluded += !keep[i];
    }

    /* Abnormal days per weekday: robust z-score against the median. */
    for (int w = 0; w < 7; w++) {
        size_t m = 0;
        for (size_t i = 0; i < nd; i++)
            if (keep[i] && zs_date_weekday(days[i]) == w)
                scratch[m++] = total[i];
        if (m == 0)
            continue;
        double med = median(scratch, m);
        for (size_t j = 0; j < m; j++)
            scratch[j] = fabs(scratch[j] - med);
        double mad = median(scratch, m) * 1.4826; /* consistent with sd for normal data */
        double limit = mad > 0.0 ? opts->outlier_mad * mad : 0.5 * med;
        for (size_t i = 0; i < nd; i++)
            if (keep[i] && zs_date_weekday(days[i]) == w && fabs(total[i] - med) > limit) {
                keep[i] = 0;
                f->days_outlier++;
            }
    }

    /* Weekday means, factors and representative days. */
    double wsum[7] = {0}, wcnt[7] = {0}, overall = 0.0;
    for (size_t i = 0; i < nd; i++)
        if (keep[i]) {
            int w = zs_date_weekday(days[i]);
            wsum[w] += total[i];
            wcnt[w] += 1.0;
            f->days_used++;
        }
    for (int w = 0; w < 7; w++) {
        if (wcnt[w] == 0.0) {
            st = zs_err_set(err, ZS_EINPUT, "calibration: no usable %s in the history (after exclusions and outliers)",
                            zs_weekday_name(w));
            goto done;
        }
        f->weekday_mean[w] = wsum[w] / wcnt[w];
        overall += f->weekday_mean[w] / 7.0;
    }
    if (!(overall > 0.0)) {
        st = zs_err_set(err, ZS_EINPUT, "calibration: the history has no parcels");
        goto done;
    }
    if (!isfinite(overall)) { /* the readers bound a record; a caller may not */
        st = zs_err_set(err, ZS_EINPUT, "calibration: the daily totals overflow (a weekday's mean "
                                        "parcels is not finite)");
        goto done;
    }
    for (int w = 0; w < 7; w++) {
        f->weekday_factor[w] = f->weekday_mean[w] / overall;
        f->representative[w] = -1;
        /* The first kept day of the weekday always qualifies (wcnt > 0):
         * with "< best" alone a mean of inf matched no day and left -1,
         * printed as 1969-12-31 (issue 22). */
        int found = 0;
        double best = HUGE_VAL;
        for (size_t i = 0; i < nd; i++) /* days ascending: ties keep the earliest */
            if (keep[i] && zs_date_weekday(days[i]) == w &&
                (!found || fabs(total[i] - f->weekday_mean[w]) < best)) {
                found = 1;
                best = fabs(total[i] - f->weekday_mean[w]);
                f->representative[w] = days[i];
            }
    }

    /* Operating modes: weekdays by volume, heaviest first. */
    int order[7] = {0, 1, 2, 3, 4, 5, 6};
    for (int a = 1; a < 7; a++)
        for (int b = a; b > 0 && f->weekday_mean[order[b]] > f->weekday_mean[order[b - 1]]; b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    double head = f->weekday_mean[order[0]];
    f->n_modes = 1;
    for (int a = 0; a < 7; a++) {
        double v = f->weekday_mean[order[a]];
        if (head > 0.0 && (head - v) / head > opts->mode_gap) {
            f->n_modes++;
            head = v;
        }
        f->mode_of_weekday[order[a]] = f->n_modes - 1;
    }

    /* Point means: parcels over the weekday factor, averaged over the kept
     * days (absent records are zeros).  Then the pooled overdispersion. */
    for (size_t r = 0; r < n_obs; r++) {
        long i = day_index(days, nd, day[r]);
        if (keep[i])
            f->mean[point[r]] += parcels[r] / f->weekday_factor[zs_date_weekday(day[r])];
    }
    for (size_t p = 0; p < n_points; p++)
        f->mean[p] /= (double)f->days_used;
    if (opts->pickups) {
        if (!(f->pickup_mean = zs_calloc(n_points ? n_points : 1, sizeof *f->pickup_mean))) {
            st = ZS_NOMEM(err);
            goto done;
        }
        for (size_t r = 0; r < n_obs; r++)
            if (keep[day_index(days, nd, day[r])])
                f->pickup_mean[point[r]] +=
                    opts->pickups[r] / f->weekday_factor[zs_date_weekday(day[r])];
        for (size_t p = 0; p < n_points; p++)
            f->pickup_mean[p] /= (double)f->days_used;
    }
    /* Sum over kept days and points of (x - mu)^2 - mu against mu^2: under
     * NB(k), E[(x - mu)^2 - mu] = mu^2 / k.  Zero records enter through
     * sum_mu2 and the expansion of (0 - mu)^2 - mu = mu^2 - mu. */
    double s_mu = 0.0, s_mu2 = 0.0, s_x2 = 0.0, s_xmu = 0.0;
    for (size_t i = 0; i < nd; i++) {
        if (!keep[i])
            continue;
        double fw = f->weekday_factor[zs_date_weekday(days[i])];
        for (size_t p = 0; p < n_points; p++) {
            double mu = f->mean[p] * fw;
            s_mu += mu;
            s_mu2 += mu * mu;
        }
    }
    for (size_t r = 0; r < n_obs; r++) {
        long i = day_index(days, nd, day[r]);
        if (!keep[i])
            continue;
        double mu = f->mean[point[r]] * f->weekday_factor[zs_date_weekday(day[r])];
        s_x2 += parcels[r] * parcels[r];
        s_xmu += parcels[r] * mu;
    }
    double excess = s_x2 - 2.0 * s_xmu + s_mu2 - s_mu; /* sum of (x - mu)^2 - mu */
    f->nb_size = excess > 0.0 ? s_mu2 / excess : 0.0;

done:
    zs_free(days);
    zs_free(excl);
    zs_free(total);
    zs_free(scratch);
    zs_free(keep);
    if (st != ZS_OK) {
        zs_demand_fit_free(f);
        return st;
    }
    *out = f;
    return ZS_OK;
}

void zs_demand_pickup_rates(size_t n, const uint8_t *type, const double *mean,
                            double rate[ZS_PT_COUNT], int has[ZS_PT_COUNT])
{
    double cnt[ZS_PT_COUNT] = {0};
    for (int t = 0; t < ZS_PT_COUNT; t++)
        rate[t] = 0.0;
    for (size_t i = 0; i < n; i++) {
        int t = type && type[i] < ZS_PT_COUNT ? type[i] : ZS_PT_RESIDENTIAL;
        rate[t] += mean[i];
        cnt[t] += 1.0;
    }
    for (int t = 0; t < ZS_PT_COUNT; t++) {
        if (cnt[t] > 0.0)
            rate[t] /= cnt[t];
        if (has)
            has[t] = cnt[t] > 0.0;
    }
}
