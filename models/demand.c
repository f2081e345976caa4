#include "demand.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "alloc.h"
#include "rng.h"

void zs_demand_opts_defaults(zs_demand_opts *o)
{
    for (int i = 0; i < 7; i++)
        o->weekday_factor[i] = 1.0;
}

zs_status zs_demand_opts_validate(const zs_demand_opts *o, zs_err *err)
{
    for (int i = 0; i < 7; i++)
        if (!(o->weekday_factor[i] >= 0.0) || !isfinite(o->weekday_factor[i]))
            return zs_err_set(err, ZS_EINVAL,
                              "demand.weekday_factor[%d] = %g; must be a finite number >= 0",
                              i, o->weekday_factor[i]);
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
    zs_free(d);
}

void zs_demand_draw_day(const zs_demand *d, uint64_t master, uint64_t rep,
                        uint64_t day, int weekday, gsl_rng *r, uint32_t *parcels)
{
    double f = d->weekday_factor[weekday];
    for (size_t i = 0; i < d->n_points; i++) {
        double mu = d->mean[i] * f;
        if (mu <= 0.0) {
            parcels[i] = 0;
            continue;
        }
        zs_rng_rekey(r, zs_rng_key(master, rep, day, i, ZS_PURPOSE_DEMAND));
        parcels[i] = gsl_ran_poisson(r, mu);
    }
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
