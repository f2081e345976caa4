#include "models/calls.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

static const char *const reason_names[ZS_CALL_REASONS] = {
    "tracking", "failed", "redelivery", "late", "pickup", "problem", "complaint", "outbound"};
static const char *const driver_names[ZS_DRIVERS] = {"parcels", "failed", "carried", "late",
                                                     "pickups"};

const char *zs_call_reason_name(int reason)
{
    return reason >= 0 && reason < ZS_CALL_REASONS ? reason_names[reason] : "?";
}

const char *zs_call_driver_name(int driver)
{
    return driver >= 0 && driver < ZS_DRIVERS ? driver_names[driver] : "?";
}

int zs_call_reason_parse(const char *name)
{
    for (int k = 0; k < ZS_CALL_REASONS; k++)
        if (strcmp(name, reason_names[k]) == 0)
            return k;
    return -1;
}

/* Weights per hour 8:00..20:00 (13 hours, each covering two half hours),
 * normalised into profile over [open, close). */
static void hourly_profile(double *profile, const double w[13])
{
    double sum = 0.0;
    for (int i = 0; i < ZS_CALL_INTERVALS; i++) {
        int h = i / 2 - 8;
        profile[i] = h >= 0 && h < 13 ? w[h] : 0.0;
        sum += profile[i];
    }
    for (int i = 0; i < ZS_CALL_INTERVALS; i++)
        profile[i] /= sum;
}

void zs_calls_defaults(zs_calls *c)
{
    memset(c, 0, sizeof *c);
    c->open_interval = 16;  /* 8:00 */
    c->close_interval = 42; /* 21:00 */
    c->lag_intervals = 1;   /* customers call back about half an hour after a missed attempt */
    /* Shapes (assumptions): enquiries peak in the morning after the
     * morning scan; pickups are ordered in the morning for the day's
     * collection; failures and lateness show in the afternoon, when
     * couriers are out and promises expire. */
    static const double parcel_w[13] = {0.6, 1.6, 1.6, 1.2, 0.8, 0.8, 1.1, 1.1, 1.1, 0.8, 0.8, 0.4, 0.4};
    static const double pickup_w[13] = {1.6, 1.6, 1.6, 1.6, 1.0, 1.0, 0.9, 0.9, 0.9, 0.3, 0.3, 0.3, 0.3};
    static const double after_w[13] = {0.3, 0.3, 0.7, 0.7, 1.0, 1.0, 1.4, 1.4, 1.4, 1.4, 1.0, 1.0, 1.0};
    static const struct {
        int driver;
        double rate, aht_s, patience_s;
        const double *w;
        int follow, outbound;
    } d[ZS_CALL_REASONS] = {
        [ZS_CALL_TRACKING] = {ZS_DRIVER_PARCELS, 0.03, 120, 120, parcel_w, 0, 0},
        [ZS_CALL_FAILED] = {ZS_DRIVER_FAILED, 0.30, 180, 180, after_w, 1, 0},
        [ZS_CALL_REDELIVERY] = {ZS_DRIVER_CARRIED, 0.20, 150, 180, after_w, 0, 0},
        [ZS_CALL_LATE] = {ZS_DRIVER_LATE, 0.15, 180, 180, after_w, 0, 0},
        [ZS_CALL_PICKUP] = {ZS_DRIVER_PICKUPS, 0.50, 200, 180, pickup_w, 0, 0},
        [ZS_CALL_PROBLEM] = {ZS_DRIVER_PARCELS, 0.004, 360, 180, parcel_w, 0, 0},
        [ZS_CALL_COMPLAINT] = {ZS_DRIVER_LATE, 0.04, 480, 180, after_w, 0, 0},
        [ZS_CALL_OUTBOUND] = {ZS_DRIVER_FAILED, 0.20, 150, 0, after_w, 1, 1},
    };
    for (int k = 0; k < ZS_CALL_REASONS; k++) {
        zs_call_params *p = &c->reason[k];
        p->driver = d[k].driver;
        p->rate = d[k].rate;
        hourly_profile(p->profile, d[k].w);
        p->follow_events = d[k].follow;
        p->aht_s = d[k].aht_s;
        p->aht_cv = 0.8;
        p->patience_s = d[k].patience_s;
        p->outbound = d[k].outbound;
    }
}

zs_status zs_calls_validate(const zs_calls *c, zs_err *err)
{
    if (!(c->open_interval >= 0 && c->open_interval < c->close_interval &&
          c->close_interval <= ZS_CALL_INTERVALS))
        return zs_err_set(err, ZS_EINVAL,
                          "service desk hours: intervals %d..%d; need 0 <= open < close <= %d "
                          "(half hours)",
                          c->open_interval, c->close_interval, ZS_CALL_INTERVALS);
    if (c->lag_intervals < 0 || c->lag_intervals >= ZS_CALL_INTERVALS)
        return zs_err_set(err, ZS_EINVAL, "service.calls.lag_intervals = %d; must be in 0..%d",
                          c->lag_intervals, ZS_CALL_INTERVALS - 1);
    for (int k = 0; k < ZS_CALL_REASONS; k++) {
        const zs_call_params *p = &c->reason[k];
        const char *nm = reason_names[k];
        if (p->driver < 0 || p->driver >= ZS_DRIVERS)
            return zs_err_set(err, ZS_EINVAL, "service.calls.%s.driver = %d; must be in 0..%d", nm,
                              p->driver, ZS_DRIVERS - 1);
        if (!(p->rate >= 0.0) || !isfinite(p->rate))
            return zs_err_set(err, ZS_EINVAL, "service.calls.%s.rate = %g; must be >= 0", nm,
                              p->rate);
        if (!(p->aht_s > 0.0) || !isfinite(p->aht_s))
            return zs_err_set(err, ZS_EINVAL, "service.calls.%s.aht_s = %g; must be > 0", nm,
                              p->aht_s);
        if (!(p->aht_cv >= 0.0) || !(p->aht_cv <= 10.0))
            return zs_err_set(err, ZS_EINVAL, "service.calls.%s.aht_cv = %g; must be in [0, 10]",
                              nm, p->aht_cv);
        if (!(p->patience_s >= 0.0) || !isfinite(p->patience_s))
            return zs_err_set(err, ZS_EINVAL, "service.calls.%s.patience_s = %g; must be >= 0",
                              nm, p->patience_s);
        double sum = 0.0;
        for (int i = 0; i < ZS_CALL_INTERVALS; i++) {
            double s = p->profile[i];
            if (!(s >= 0.0))
                return zs_err_set(err, ZS_EINVAL, "service.calls.%s.profile[%d] = %g; must be >= 0",
                                  nm, i, s);
            if (s > 0.0 && (i < c->open_interval || i >= c->close_interval))
                return zs_err_set(err, ZS_EINVAL,
                                  "service.calls.%s.profile[%d] = %g: the desk is closed at "
                                  "%02d:%02d",
                                  nm, i, s, i / 2, 30 * (i % 2));
            sum += s;
        }
        if (fabs(sum - 1.0) > 1e-6)
            return zs_err_set(err, ZS_EINVAL, "service.calls.%s.profile sums to %g; must be 1",
                              nm, sum);
    }
    return ZS_OK;
}

/* The shares of reason p's calls: its own profile, or the event profile
 * delayed by lag intervals, with the share falling outside desk hours
 * spread over its own profile (calls are conserved, no spike at opening). */
static void shares(const zs_calls *c, const zs_call_params *p, const double *event_profile,
                   double *out)
{
    if (!p->follow_events || !event_profile) {
        memcpy(out, p->profile, sizeof p->profile);
        return;
    }
    double outside = 0.0;
    for (int i = 0; i < ZS_CALL_INTERVALS; i++)
        out[i] = 0.0;
    for (int i = 0; i < ZS_CALL_INTERVALS; i++) {
        double s = event_profile[i] > 0.0 ? event_profile[i] : 0.0;
        int j = i + c->lag_intervals;
        if (j >= c->open_interval && j < c->close_interval)
            out[j] += s;
        else
            outside += s;
    }
    double sum = 0.0;
    for (int i = 0; i < ZS_CALL_INTERVALS; i++)
        sum += out[i];
    if (sum + outside <= 0.0) { /* no events: the reason's own profile */
        memcpy(out, p->profile, sizeof p->profile);
        return;
    }
    for (int i = 0; i < ZS_CALL_INTERVALS; i++)
        out[i] = (out[i] + outside * p->profile[i]) / (sum + outside);
}

void zs_calls_expected_day(const zs_calls *c, const double drivers[ZS_DRIVERS],
                           const double *event_profile, double *mean)
{
    double sh[ZS_CALL_INTERVALS];
    for (int k = 0; k < ZS_CALL_REASONS; k++) {
        const zs_call_params *p = &c->reason[k];
        double day = p->rate * (drivers[p->driver] > 0.0 ? drivers[p->driver] : 0.0);
        shares(c, p, event_profile, sh);
        for (int i = 0; i < ZS_CALL_INTERVALS; i++)
            mean[k * ZS_CALL_INTERVALS + i] = day * sh[i];
    }
}

void zs_calls_draw_day(const zs_calls *c, const double drivers[ZS_DRIVERS],
                       const double *event_profile, gsl_rng *r, uint32_t *counts)
{
    double mean[ZS_CALL_REASONS * ZS_CALL_INTERVALS];
    zs_calls_expected_day(c, drivers, event_profile, mean);
    for (int q = 0; q < ZS_CALL_REASONS * ZS_CALL_INTERVALS; q++)
        counts[q] = mean[q] > 0.0 ? gsl_ran_poisson(r, mean[q]) : 0;
}

double zs_calls_draw_handling(const zs_calls *c, int reason, gsl_rng *r)
{
    const zs_call_params *p = &c->reason[reason];
    if (p->handling_exp)
        return -p->aht_s * log(gsl_rng_uniform_pos(r));
    double z = gsl_ran_ugaussian(r);
    if (p->aht_cv <= 0.0)
        return p->aht_s;
    /* Lognormal with mean m and cv v: sigma^2 = log(1 + v^2),
     * mu = log(m) - sigma^2 / 2. */
    double s2 = log1p(p->aht_cv * p->aht_cv);
    return exp(log(p->aht_s) - 0.5 * s2 + sqrt(s2) * z);
}

double zs_calls_draw_patience(const zs_calls *c, int reason, gsl_rng *r)
{
    const zs_call_params *p = &c->reason[reason];
    double u = gsl_rng_uniform_pos(r);
    if (p->outbound || p->patience_s <= 0.0)
        return HUGE_VAL;
    return -p->patience_s * log(u);
}

/* Zeroes the profile outside [open, close) and renormalises; a profile
 * left empty becomes uniform over the desk hours. */
static void clip_profile(double *profile, int open, int close)
{
    double sum = 0.0;
    for (int i = 0; i < ZS_CALL_INTERVALS; i++) {
        if (i < open || i >= close)
            profile[i] = 0.0;
        sum += profile[i];
    }
    for (int i = open; i < close; i++)
        profile[i] = sum > 0.0 ? profile[i] / sum : 1.0 / (close - open);
}

void zs_calls_set_hours(zs_calls *c, int open, int close)
{
    if (open < 0)
        open = 0;
    if (close > ZS_CALL_INTERVALS)
        close = ZS_CALL_INTERVALS;
    if (close <= open)
        close = open + 1 <= ZS_CALL_INTERVALS ? open + 1 : (open = ZS_CALL_INTERVALS - 1) + 1;
    c->open_interval = open;
    c->close_interval = close;
    for (int k = 0; k < ZS_CALL_REASONS; k++)
        clip_profile(c->reason[k].profile, open, close);
}

zs_status zs_calls_calibrate(zs_calls *c, const zs_call_record *rec, size_t n,
                             const double *driver_per_day, zs_calls_fit *fit, zs_err *err)
{
    memset(fit, 0, sizeof *fit);
    if (n == 0)
        return zs_err_set(err, ZS_EINVAL, "call log: no calls to calibrate from");
    double tmin = HUGE_VAL, tmax = -HUGE_VAL;
    for (size_t q = 0; q < n; q++) {
        const zs_call_record *x = &rec[q];
        if (x->reason < 0 || x->reason >= ZS_CALL_REASONS)
            return zs_err_set(err, ZS_EINVAL, "call log record %zu: reason %d out of range",
                              q + 1, x->reason);
        if (!(x->t_s >= 0.0) || !isfinite(x->t_s) || !(x->talk_s >= 0.0) || !isfinite(x->talk_s))
            return zs_err_set(err, ZS_EINVAL,
                              "call log record %zu: time %g s, talk %g s; both must be >= 0",
                              q + 1, x->t_s, x->talk_s);
        if (x->t_s < tmin)
            tmin = x->t_s;
        if (x->t_s > tmax)
            tmax = x->t_s;
    }
    double d0 = floor(tmin / 86400.0), d1 = floor(tmax / 86400.0);
    fit->days = (size_t)(d1 - d0) + 1;
    double cnt[ZS_CALL_REASONS][ZS_CALL_INTERVALS];
    double ab[ZS_CALL_REASONS] = {0}, sl[ZS_CALL_REASONS] = {0}, sl2[ZS_CALL_REASONS] = {0},
           sraw[ZS_CALL_REASONS] = {0};
    size_t nans[ZS_CALL_REASONS] = {0}, nlog[ZS_CALL_REASONS] = {0};
    memset(cnt, 0, sizeof cnt);
    int open = ZS_CALL_INTERVALS, close = 0;
    for (size_t q = 0; q < n; q++) {
        const zs_call_record *x = &rec[q];
        int k = x->reason;
        int i = (int)(fmod(x->t_s, 86400.0) / ZS_CALL_INTERVAL_S);
        if (i >= ZS_CALL_INTERVALS)
            i = ZS_CALL_INTERVALS - 1;
        cnt[k][i] += 1.0;
        if (i < open)
            open = i;
        if (i + 1 > close)
            close = i + 1;
        fit->n[k]++;
        if (x->abandoned) {
            ab[k] += 1.0;
            continue;
        }
        nans[k]++;
        sraw[k] += x->talk_s;
        if (x->talk_s > 0.0) {
            double l = log(x->talk_s);
            sl[k] += l;
            sl2[k] += l * l;
            nlog[k]++;
        }
    }
    c->open_interval = open;
    c->close_interval = close;
    for (int k = 0; k < ZS_CALL_REASONS; k++) {
        zs_call_params *p = &c->reason[k];
        if (fit->n[k] == 0) {
            clip_profile(p->profile, open, close);
            continue;
        }
        fit->calls_per_day[k] = (double)fit->n[k] / (double)fit->days;
        fit->abandon_share[k] = ab[k] / (double)fit->n[k];
        for (int i = 0; i < ZS_CALL_INTERVALS; i++)
            p->profile[i] = cnt[k][i] / (double)fit->n[k];
        if (nlog[k] >= 2) {
            /* Lognormal by the log moments: mean exp(mu + s2/2), cv
             * sqrt(exp(s2) - 1). */
            double mu = sl[k] / (double)nlog[k];
            double s2 = (sl2[k] - (double)nlog[k] * mu * mu) / (double)(nlog[k] - 1);
            if (s2 < 0.0)
                s2 = 0.0;
            p->aht_s = exp(mu + 0.5 * s2);
            p->aht_cv = sqrt(expm1(s2));
        } else if (nans[k] > 0 && sraw[k] > 0.0) {
            p->aht_s = sraw[k] / (double)nans[k];
        }
        if (driver_per_day && driver_per_day[p->driver] > 0.0)
            p->rate = fit->calls_per_day[k] / driver_per_day[p->driver];
    }
    return ZS_OK;
}
