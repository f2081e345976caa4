#include "models/vehicle.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

static const char *const names[ZS_VEH_COUNT] = {"van", "tricycle", "ebike", "foot"};

void zs_fleet_defaults(zs_fleet *f)
{
    /* Speeds are door-to-door averages in city traffic, not top speeds. */
    static const zs_vehicle def[ZS_VEH_COUNT] = {
        {20.0, 0.20, 300.0}, /* van: fast roads, slow parking */
        {18.0, 0.10, 150.0}, /* electric tricycle */
        {20.0, 0.10, 40.0},  /* e-bike: two panniers and a top box */
        {4.5, 0.05, 12.0},   /* on foot with a trolley */
    };
    memcpy(f->kind, def, sizeof def);
    f->reload_min = 10.0;
}

zs_status zs_fleet_validate(const zs_fleet *f, zs_err *err)
{
    for (int k = 0; k < ZS_VEH_COUNT; k++) {
        const zs_vehicle *v = &f->kind[k];
        if (!(v->speed_kmh > 0.0) || !isfinite(v->speed_kmh))
            return zs_err_set(err, ZS_EINVAL, "vehicle.%s.speed_kmh = %g; must be > 0", names[k],
                              v->speed_kmh);
        if (!(v->speed_cv >= 0.0) || !isfinite(v->speed_cv))
            return zs_err_set(err, ZS_EINVAL, "vehicle.%s.speed_cv = %g; must be >= 0", names[k],
                              v->speed_cv);
        if (!(v->capacity >= 1.0) || !isfinite(v->capacity))
            return zs_err_set(err, ZS_EINVAL, "vehicle.%s.capacity = %g; must be >= 1", names[k],
                              v->capacity);
    }
    if (!(f->reload_min >= 0.0) || !isfinite(f->reload_min))
        return zs_err_set(err, ZS_EINVAL, "vehicle.reload_min = %g; must be >= 0", f->reload_min);
    return ZS_OK;
}

const char *zs_vehicle_name(int kind)
{
    if (kind == ZS_VEH_NONE)
        return "none";
    return kind >= 0 && kind < ZS_VEH_COUNT ? names[kind] : "?";
}

int zs_vehicle_parse(const char *name)
{
    if (!strcmp(name, "none"))
        return ZS_VEH_NONE;
    for (int k = 0; k < ZS_VEH_COUNT; k++)
        if (!strcmp(name, names[k]))
            return k;
    return ZS_VEH_INHERIT;
}

double zs_vehicle_draw_speed(const zs_vehicle *v, gsl_rng *r)
{
    double z = gsl_ran_ugaussian(r); /* drawn always: stream position fixed */
    if (v->speed_cv <= 0.0)
        return v->speed_kmh;
    /* Lognormal with mean 1: sigma^2 = ln(1 + cv^2), mu = -sigma^2 / 2. */
    double s2 = log1p(v->speed_cv * v->speed_cv);
    return v->speed_kmh * exp(-0.5 * s2 + sqrt(s2) * z);
}

double zs_vehicle_reloads(const zs_vehicle *v, double due, double *load)
{
    if (due <= *load) {
        *load -= due;
        return 0.0;
    }
    double loads = ceil(due / v->capacity);
    *load = loads * v->capacity - due;
    return loads;
}

zs_status zs_vehicle_calibrate_speed(zs_vehicle *v, const double *speed_kmh, size_t n,
                                     zs_err *err)
{
    if (n < 2)
        return zs_err_set(err, ZS_EINVAL, "vehicle speed calibration needs at least 2 observations, got %zu", n);
    double mean = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(speed_kmh[i] > 0.0) || !isfinite(speed_kmh[i]))
            return zs_err_set(err, ZS_EINVAL, "observed speed %zu = %g km/h; must be > 0", i,
                              speed_kmh[i]);
        mean += speed_kmh[i];
    }
    mean /= (double)n;
    double ss = 0.0;
    for (size_t i = 0; i < n; i++)
        ss += (speed_kmh[i] - mean) * (speed_kmh[i] - mean);
    v->speed_kmh = mean;
    v->speed_cv = sqrt(ss / (double)(n - 1)) / mean;
    return ZS_OK;
}
