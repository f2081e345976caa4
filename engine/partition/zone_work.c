/*
 * engine/partition/zone_work.c -- a zone's door and travel minutes (see
 * zone_work.h).
 */
#include "partition/zone_work.h"

#include <math.h>
#include <string.h>

#include "models/alloc.h"

void zs_zone_work_defaults(zs_zone_work *m)
{
    memset(m, 0, sizeof *m);
    m->speed_kmh = 18.0;
    m->circuity = 1.3;
    m->kappa = ZS_ZONE_WORK_KAPPA;
    m->tour_factor = 1.0;
}

zs_status zs_zone_work_validate(const zs_zone_work *m, zs_err *err)
{
    if (!(m->speed_kmh > 0) || !isfinite(m->speed_kmh))
        return zs_err_set(err, ZS_EINVAL, "zone work: speed_kmh = %g; must be > 0", m->speed_kmh);
    if (!(m->circuity >= 1) || !isfinite(m->circuity))
        return zs_err_set(err, ZS_EINVAL, "zone work: circuity = %g; must be >= 1", m->circuity);
    if (!(m->tour_factor > 0) || !isfinite(m->tour_factor))
        return zs_err_set(err, ZS_EINVAL, "zone work: tour_factor = %g; must be > 0", m->tour_factor);
    if (!(m->kappa >= 0) || !isfinite(m->kappa))
        return zs_err_set(err, ZS_EINVAL, "zone work: kappa = %g; must be >= 0", m->kappa);
    if (m->has_depot && (!isfinite(m->depot_x) || !isfinite(m->depot_y)))
        return zs_err_set(err, ZS_EINVAL, "zone work: the depot (%g, %g) is not finite",
                          m->depot_x, m->depot_y);
    return ZS_OK;
}

void zs_zone_sums_add(zs_zone_sums *s, const zs_zone_work *m, const double *x,
                      const double *y, const double *door, size_t i, double sign)
{
    double st = m->stops ? m->stops[i] : 1.0;
    s->door += sign * (door ? door[i] : 1.0);
    s->stops += sign * st;
    s->area += sign * (m->area_m2 ? m->area_m2[i] : 0.0);
    s->sx += sign * st * x[i];
    s->sy += sign * st * y[i];
    if (m->depot_rt)
        s->srt += sign * st * m->depot_rt[i];
    s->n += sign;
}

double zs_zone_work_travel(const zs_zone_work *m, const zs_zone_sums *s)
{
    double dist = 0.0;
    if (m->has_depot && s->stops > 0 && m->depot_rt) {
        dist += s->srt / s->stops;
    } else if (m->has_depot && s->stops > 0) {
        double cx = s->sx / s->stops, cy = s->sy / s->stops;
        dist += 2.0 * hypot(cx - m->depot_x, cy - m->depot_y);
    }
    if (s->stops > 0 && s->area > 0)
        dist += m->tour_factor * m->kappa * sqrt(s->stops * s->area);
    /* metres x circuity at speed_kmh: minutes = m / (1000 speed / 60) */
    return dist * m->circuity * 60.0 / (1000.0 * m->speed_kmh);
}

double zs_zone_work_total(const zs_zone_work *m, const zs_zone_sums *s)
{
    return s->door + zs_zone_work_travel(m, s);
}

zs_status zs_zone_work_plan(const zs_zone_work *m, const double *x, const double *y,
                             const double *door, const int32_t *zone, size_t n, size_t k,
                             double *door_out, double *travel_out, zs_err *err)
{
    zs_zone_sums *all = zs_calloc(k ? k : 1, sizeof *all);
    if (!all)
        return ZS_NOMEM(err);
    /* Sums in point order: the same bits whoever calls it. */
    for (size_t i = 0; i < n; i++)
        zs_zone_sums_add(&all[zone[i]], m, x, y, door, i, 1.0);
    for (size_t z = 0; z < k; z++) {
        if (door_out)
            door_out[z] = all[z].door;
        if (travel_out)
            travel_out[z] = zs_zone_work_travel(m, &all[z]);
    }
    zs_free(all);
    return ZS_OK;
}

double zs_zone_work_maxdev(const double *door, const double *travel, size_t k)
{
    double sum = 0, dev = 0;
    for (size_t z = 0; z < k; z++)
        sum += door[z] + travel[z];
    double mean = sum / (double)k;
    for (size_t z = 0; mean > 0 && z < k; z++)
        dev = fmax(dev, fabs(door[z] + travel[z] - mean) / mean);
    return dev;
}
