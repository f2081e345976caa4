#include "models/efficiency.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

void zs_efficiency_defaults(zs_efficiency *e)
{
    e->stops_per_hour = 3.5;
    e->speed_kmh = 18.0;
    e->circuity = 1.3;
    e->stop_min = 8.0;
    e->parcel_min = 1.5;
    static const double access[ZS_PT_COUNT] = {2, 1, 2, 1, 1, 0, 1, 3, 0, 0, 0, 0};
    memcpy(e->access_min, access, sizeof access);
    e->courier_cv = 0.1;
    e->bulk_parcel_min = 0.25;
}

zs_status zs_efficiency_validate(const zs_efficiency *e, zs_err *err)
{
    if (!(e->stops_per_hour > 0.0) || !isfinite(e->stops_per_hour))
        return zs_err_set(err, ZS_EINVAL, "efficiency.stops_per_hour = %g; must be > 0",
                          e->stops_per_hour);
    if (!(e->speed_kmh > 0.0) || !isfinite(e->speed_kmh))
        return zs_err_set(err, ZS_EINVAL, "efficiency.speed_kmh = %g; must be > 0",
                          e->speed_kmh);
    if (!(e->circuity >= 1.0) || !isfinite(e->circuity))
        return zs_err_set(err, ZS_EINVAL, "efficiency.circuity = %g; must be >= 1",
                          e->circuity);
    if (!(e->stop_min >= 0.0) || !isfinite(e->stop_min))
        return zs_err_set(err, ZS_EINVAL, "efficiency.stop_min = %g; must be >= 0",
                          e->stop_min);
    if (!(e->parcel_min >= 0.0) || !isfinite(e->parcel_min))
        return zs_err_set(err, ZS_EINVAL, "efficiency.parcel_min = %g; must be >= 0",
                          e->parcel_min);
    for (int t = 0; t < ZS_PT_COUNT; t++)
        if (!(e->access_min[t] >= 0.0) || !isfinite(e->access_min[t]))
            return zs_err_set(err, ZS_EINVAL, "efficiency.access_min.%s = %g; must be >= 0",
                              zs_ptype_name(t), e->access_min[t]);
    if (!(e->courier_cv >= 0.0) || !isfinite(e->courier_cv))
        return zs_err_set(err, ZS_EINVAL, "efficiency.courier_cv = %g; must be >= 0",
                          e->courier_cv);
    if (!(e->bulk_parcel_min >= 0.0) || !isfinite(e->bulk_parcel_min))
        return zs_err_set(err, ZS_EINVAL, "efficiency.bulk_parcel_min = %g; must be >= 0",
                          e->bulk_parcel_min);
    return ZS_OK;
}

double zs_efficiency_draw_pace(const zs_efficiency *e, gsl_rng *r)
{
    double z = gsl_ran_ugaussian(r); /* drawn always: stream position fixed */
    if (e->courier_cv <= 0.0)
        return 1.0;
    double s2 = log1p(e->courier_cv * e->courier_cv);
    return exp(-0.5 * s2 + sqrt(s2) * z);
}

double zs_efficiency_travel_min(const zs_efficiency *e, double dist_m)
{
    /* km / (km/h) * 60 min/h */
    return dist_m * e->circuity / 1000.0 / e->speed_kmh * 60.0;
}

double zs_efficiency_parcel_min(const zs_efficiency *e, int t)
{
    return zs_ptype_bulk_drop(t) ? e->bulk_parcel_min : e->parcel_min;
}

double zs_efficiency_stop_min(const zs_efficiency *e, int t, double parcels)
{
    return 1.0 * e->stop_min + parcels * zs_efficiency_parcel_min(e, t);
}

double zs_efficiency_service_min(const zs_efficiency *e, double stops, double parcels)
{
    return stops * e->stop_min + parcels * e->parcel_min;
}
