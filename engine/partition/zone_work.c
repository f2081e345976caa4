/*
 * engine/partition/zone_work.c -- a zone's door and travel minutes (see
 * zone_work.h).
 */
#include "partition/zone_work.h"

#include <math.h>
#include <string.h>

#include "models/alloc.h"
#include "models/rng.h"
#include "network/route.h"

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
    if (m->net && (!(m->net_eq > 0) || !isfinite(m->net_eq)))
        return zs_err_set(err, ZS_EINVAL, "zone work: net_eq = %g; must be > 0", m->net_eq);
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
    if (m->stop_walk)
        s->swalk += sign * st * m->stop_walk[i];
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
    if (s->stops > 0)
        dist += s->swalk;
    double scale = s->travel_scale > 0 ? s->travel_scale : 1.0;
    /* metres x circuity at speed_kmh: minutes = m / (1000 speed / 60) */
    return scale * dist * m->circuity * 60.0 / (1000.0 * m->speed_kmh);
}

int zs_zone_work_sampled(const zs_zone_work *m)
{
    return m->tour_days > 0 && m->has_depot && m->stops && (!m->depot_rt || m->net);
}

/* Is point i a stop on sampled day d?  A draw keyed by point and day only,
 * so every plan sees the same days. */
static int sampled_stop(const zs_zone_work *m, size_t i, int d)
{
    uint64_t key = zs_rng_key(m->tour_seed, UINT64_C(0x746f7572), (uint64_t)d, (uint64_t)i,
                              ZS_PURPOSE_PARTITION);
    return (double)(key >> 11) * 0x1.0p-53 < m->stops[i];
}

/* Mean tour length in straight metres over m->tour_days sampled days of
 * each zone's stops: len[0..k).  members lists the points zone by zone
 * (first[z]..first[z + 1]). */
static zs_status sampled_lengths(const zs_zone_work *m, const double *x, const double *y,
                                 const size_t *first, const size_t *members, size_t k,
                                 const zs_net_plan *np, double *len, zs_err *err)
{
    size_t big = 0;
    for (size_t z = 0; z < k; z++)
        big = first[z + 1] - first[z] > big ? first[z + 1] - first[z] : big;
    int nomem = 0;
#pragma omp parallel default(none) shared(m, x, y, first, members, k, len, big, nomem, np)
    {
        zs_route_ws *ws = zs_route_ws_create(big ? big : 1);
        size_t *idx = zs_malloc_array(big ? big : 1, sizeof *idx);
        /* legs as the simulation drives them (network/paths.h) */
        zs_net_legs L = {np, m->net_eq, np ? zs_paths_ws_create(m->net->g) : NULL,
                         np ? m->net->n : 0};
        if (!ws || !idx || (np && !L.pws)) {
#pragma omp atomic write
            nomem = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (size_t z = 0; z < k; z++) {
            if (!ws || !idx || (np && !L.pws)) {
                len[z] = 0;
                continue;
            }
            double sum = 0;
            for (int d = 0; d < m->tour_days; d++) {
                size_t cnt = 0;
                for (size_t q = first[z]; q < first[z + 1]; q++)
                    if (sampled_stop(m, members[q], d))
                        idx[cnt++] = members[q];
                sum += np ? zs_route_tour_fn(ws, zs_net_leg_eq, &L, idx, cnt, NULL)
                          : zs_route_tour(ws, x, y, idx, cnt, m->depot_x, m->depot_y, NULL);
            }
            len[z] = sum / (double)m->tour_days;
        }
        zs_route_ws_free(ws);
        zs_free(idx);
        zs_paths_ws_free(L.pws);
    }
    return nomem ? ZS_NOMEM(err) : ZS_OK;
}

double zs_zone_work_total(const zs_zone_work *m, const zs_zone_sums *s)
{
    return s->door + zs_zone_work_travel(m, s);
}

zs_status zs_zone_work_plan(const zs_zone_work *m, const double *x, const double *y,
                             const double *door, const int32_t *zone, size_t n, size_t k,
                             double *door_out, double *travel_out, zs_err *err)
{
    int sampled = travel_out && zs_zone_work_sampled(m);
    zs_zone_sums *all = zs_calloc(k ? k : 1, sizeof *all);
    if (!all)
        return ZS_NOMEM(err);
    /* Sums in point order: the same bits whoever calls it. */
    for (size_t i = 0; i < n; i++)
        zs_zone_sums_add(&all[zone[i]], m, x, y, door, i, 1.0);
    for (size_t z = 0; z < k; z++) {
        if (door_out)
            door_out[z] = all[z].door;
        if (travel_out && !sampled)
            travel_out[z] = zs_zone_work_travel(m, &all[z]);
    }
    zs_free(all);
    if (!sampled)
        return ZS_OK;
    /* measured: the zones' members in point order, then their tours */
    size_t *first = zs_calloc(k + 1, sizeof *first);
    size_t *members = zs_malloc_array(n ? n : 1, sizeof *members);
    zs_status st = ZS_OK;
    if (!first || !members) {
        st = ZS_NOMEM(err);
    } else {
        for (size_t i = 0; i < n; i++)
            first[zone[i] + 1]++;
        for (size_t z = 0; z < k; z++)
            first[z + 1] += first[z];
        size_t *at = zs_malloc_array(k ? k : 1, sizeof *at);
        if (!at) {
            st = ZS_NOMEM(err);
        } else {
            memcpy(at, first, k * sizeof *at);
            for (size_t i = 0; i < n; i++)
                members[at[zone[i]]++] = i;
            zs_free(at);
            zs_net_plan *np = NULL;
            if (m->net && (st = zs_net_plan_create(m->net, zone, k, 0, &np, err)) != ZS_OK)
                np = NULL;
            if (st == ZS_OK)
                st = sampled_lengths(m, x, y, first, members, k, np, travel_out, err);
            zs_net_plan_free(np);
            for (size_t z = 0; st == ZS_OK && z < k; z++)
                travel_out[z] *= m->circuity * 60.0 / (1000.0 * m->speed_kmh);
        }
    }
    zs_free(first);
    zs_free(members);
    return st;
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
