#include "models/demand.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "models/rng.h"

void zs_demand_opts_defaults(zs_demand_opts *o)
{
    for (int i = 0; i < 7; i++)
        o->weekday_factor[i] = 1.0;
    for (int i = 0; i < 12; i++)
        o->month_factor[i] = 1.0;
    o->nb_size = 0.0;
    o->n_events = 0;
    for (int t = 0; t < ZS_PT_COUNT; t++)
        o->pickup_rate[t] = 0.0;     /* off unless a scenario asks: old results unchanged */
    o->pickup_release_end_h = 16.0;  /* bookings after 16:00 go to tomorrow's round */
    o->pickup_promise_h = 0.0;       /* same-day collection */
}

zs_status zs_demand_opts_validate(const zs_demand_opts *o, zs_err *err)
{
    for (int i = 0; i < 7; i++)
        if (!(o->weekday_factor[i] >= 0.0) || !isfinite(o->weekday_factor[i]))
            return zs_err_set(err, ZS_EINVAL,
                              "demand.weekday_factor[%d] = %g; must be a finite number >= 0",
                              i, o->weekday_factor[i]);
    for (int i = 0; i < 12; i++)
        if (!(o->month_factor[i] >= 0.0) || !isfinite(o->month_factor[i]))
            return zs_err_set(err, ZS_EINVAL,
                              "demand.month_factor[%d] = %g; must be a finite number >= 0",
                              i, o->month_factor[i]);
    if (!(o->nb_size >= 0.0) || !isfinite(o->nb_size))
        return zs_err_set(err, ZS_EINVAL, "demand.nb_size = %g; must be >= 0 (0 = Poisson)",
                          o->nb_size);
    if (o->n_events > ZS_DEMAND_MAX_EVENTS)
        return zs_err_set(err, ZS_EINVAL, "demand.events: %zu events; at most %d", o->n_events,
                          ZS_DEMAND_MAX_EVENTS);
    for (size_t i = 0; i < o->n_events; i++)
        if (o->events[i].days < 1 || !(o->events[i].factor >= 0.0) || !isfinite(o->events[i].factor))
            return zs_err_set(err, ZS_EINVAL,
                              "demand.events[%zu]: days = %d, factor = %g; need days >= 1, factor >= 0",
                              i, o->events[i].days, o->events[i].factor);
    for (int t = 0; t < ZS_PT_COUNT; t++)
        if (!(o->pickup_rate[t] >= 0.0) || !isfinite(o->pickup_rate[t]))
            return zs_err_set(err, ZS_EINVAL,
                              "demand.pickups_per_day.%s = %g; must be a finite number >= 0",
                              zs_ptype_name(t), o->pickup_rate[t]);
    if (!(o->pickup_release_end_h >= 0.0 && o->pickup_release_end_h <= 24.0))
        return zs_err_set(err, ZS_EINVAL, "demand.pickup_release_end = %g h; must be in [0, 24]",
                          o->pickup_release_end_h);
    if (!(o->pickup_promise_h >= 0.0) || !isfinite(o->pickup_promise_h))
        return zs_err_set(err, ZS_EINVAL, "demand.pickup_promise_h = %g; must be >= 0",
                          o->pickup_promise_h);
    return ZS_OK;
}

zs_demand *zs_demand_create(size_t n, const double *mean, const zs_demand_opts *opts,
                            zs_err *err)
{
    zs_demand_opts def;
    if (!opts) {
        zs_demand_opts_defaults(&def);
        opts = &def;
    }
    if (zs_demand_opts_validate(opts, err) != ZS_OK)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!(mean[i] >= 0.0) || !isfinite(mean[i])) {
            zs_err_set(err, ZS_EINVAL, "demand mean of point %zu = %g; must be >= 0", i, mean[i]);
            return NULL;
        }
    zs_demand *d = zs_calloc(1, sizeof *d);
    if (!d)
        goto fail;
    d->mean = zs_malloc_array(n, sizeof *d->mean);
    if (!d->mean)
        goto fail;
    if (n > 0) /* mean may be NULL when n == 0; memcpy(_, NULL, 0) is undefined */
        memcpy(d->mean, mean, n * sizeof *mean);
    memcpy(d->weekday_factor, opts->weekday_factor, sizeof d->weekday_factor);
    memcpy(d->month_factor, opts->month_factor, sizeof d->month_factor);
    d->nb_size = opts->nb_size;
    d->n_events = opts->n_events;
    memcpy(d->events, opts->events, opts->n_events * sizeof *opts->events);
    d->n_points = n;
    return d;
fail:
    zs_demand_free(d);
    ZS_NOMEM(err);
    return NULL;
}

void zs_demand_free(zs_demand *d)
{
    if (!d)
        return;
    zs_free(d->mean);
    zs_free(d->pickup_mean);
    zs_free(d);
}

zs_status zs_demand_set_pickups(zs_demand *d, const double *mean, zs_err *err)
{
    int any = 0;
    for (size_t i = 0; i < d->n_points; i++) {
        if (!(mean[i] >= 0.0) || !isfinite(mean[i]))
            return zs_err_set(err, ZS_EINVAL, "pickup mean of point %zu = %g; must be >= 0", i,
                              mean[i]);
        any |= mean[i] > 0.0;
    }
    zs_free(d->pickup_mean);
    d->pickup_mean = NULL;
    if (!any)
        return ZS_OK;
    if (!(d->pickup_mean = zs_malloc_array(d->n_points, sizeof *d->pickup_mean)))
        return ZS_NOMEM(err);
    memcpy(d->pickup_mean, mean, d->n_points * sizeof *mean);
    return ZS_OK;
}

void zs_demand_pickup_means(size_t n, const uint8_t *type, const double rate[ZS_PT_COUNT],
                            double *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = type && type[i] < ZS_PT_COUNT ? rate[type[i]] : rate[ZS_PT_RESIDENTIAL];
}

uint32_t zs_demand_draw_pickups(const zs_demand *d, uint64_t master, uint64_t rep,
                                uint64_t day, size_t point, double factor, gsl_rng *r)
{
    if (!d->pickup_mean)
        return 0;
    double mu = d->pickup_mean[point] * factor, k = d->nb_size;
    if (!(mu > 0.0))
        return 0;
    zs_rng_rekey(r, zs_rng_key(master, rep, day, point, ZS_PURPOSE_PICKUP));
    return k > 0.0 ? gsl_ran_negative_binomial(r, k / (k + mu), k) : gsl_ran_poisson(r, mu);
}

double zs_demand_draw_release(gsl_rng *r, double from, double to)
{
    return from + (to - from) * gsl_rng_uniform(r);
}

void zs_demand_draw_scaled(const zs_demand *d, uint64_t master, uint64_t rep, uint64_t day,
                           double factor, gsl_rng *r, uint32_t *parcels)
{
    double k = d->nb_size;
    for (size_t i = 0; i < d->n_points; i++) {
        double mu = d->mean[i] * factor;
        if (mu <= 0.0) {
            parcels[i] = 0;
            continue;
        }
        zs_rng_rekey(r, zs_rng_key(master, rep, day, i, ZS_PURPOSE_DEMAND));
        /* NB(k, p = k / (k + mu)) has mean mu and variance mu + mu^2 / k. */
        parcels[i] = k > 0.0 ? gsl_ran_negative_binomial(r, k / (k + mu), k)
                             : gsl_ran_poisson(r, mu);
    }
}

void zs_demand_draw_day(const zs_demand *d, uint64_t master, uint64_t rep,
                        uint64_t day, int weekday, gsl_rng *r, uint32_t *parcels)
{
    zs_demand_draw_scaled(d, master, rep, day, d->weekday_factor[weekday], r, parcels);
}

double zs_demand_factor(const zs_demand *d, int64_t day_number)
{
    zs_date date = zs_date_from_days(day_number);
    double f = d->weekday_factor[zs_date_weekday(day_number)] * d->month_factor[date.month - 1];
    for (size_t e = 0; e < d->n_events; e++)
        if (day_number >= d->events[e].first_day &&
            day_number < d->events[e].first_day + d->events[e].days)
            f *= d->events[e].factor;
    return f;
}

double zs_demand_expected_stops(const zs_demand *d, int weekday)
{
    double f = d->weekday_factor[weekday], s = 0.0;
    for (size_t i = 0; i < d->n_points; i++)
        s += -expm1(-d->mean[i] * f);
    return s;
}

double zs_demand_expected_stops_week(const zs_demand *d)
{
    double s = 0.0;
    for (int w = 0; w < 7; w++)
        s += zs_demand_expected_stops(d, w);
    return s / 7.0;
}
