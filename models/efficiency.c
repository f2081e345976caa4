#include "efficiency.h"

#include <math.h>

void zs_efficiency_defaults(zs_efficiency *e)
{
    e->stops_per_hour = 3.5;
    e->speed_kmh = 18.0;
    e->circuity = 1.3;
    e->stop_min = 8.0;
    e->parcel_min = 1.5;
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
    return ZS_OK;
}

double zs_efficiency_travel_min(const zs_efficiency *e, double dist_m)
{
    /* km / (km/h) * 60 min/h */
    return dist_m * e->circuity / 1000.0 / e->speed_kmh * 60.0;
}

double zs_efficiency_service_min(const zs_efficiency *e, double stops, double parcels)
{
    return stops * e->stop_min + parcels * e->parcel_min;
}
