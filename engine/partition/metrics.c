/*
 * engine/partition/metrics.c -- figures of merit of a zone plan (metrics.h).
 *
 * Sums are serial in point order; only the tours, one independent
 * computation per zone, run in parallel, each thread with its own route
 * workspace made before the region.
 */
#include "partition/metrics.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>

#include "models/alloc.h"
#include "network/route.h"

void zs_plan_metrics_free(zs_plan_metrics *m)
{
    if (!m)
        return;
    zs_free(m->points);
    zs_free(m->workload);
    zs_free(m->tour_m);
    zs_free(m);
}

zs_status zs_plan_metrics_create(const zs_partition *p, const double *x, const double *y,
                                 const double *w, const double *depot_xy,
                                 zs_plan_metrics **out, zs_err *err)
{
    *out = NULL;
    size_t n = p->n, k = p->k;
    if (k < 1)
        return zs_err_set(err, ZS_EINVAL, "the plan has no zones");
    for (size_t i = 0; i < n; i++)
        if (p->zone[i] < 0 || (size_t)p->zone[i] >= k)
            return zs_err_set(err, ZS_EINVAL, "point index %zu has zone %ld outside 0..%zu", i,
                              (long)p->zone[i], k - 1);
    zs_status st = ZS_OK;
    int nt = omp_get_max_threads();
    zs_plan_metrics *m = zs_calloc(1, sizeof *m);
    size_t *start = zs_calloc(k + 1, sizeof *start), *idx = zs_malloc_array(n ? n : 1, sizeof *idx);
    zs_route_ws **ws = zs_calloc((size_t)nt, sizeof *ws);
    if (!m || !start || !idx || !ws || !(m->points = zs_calloc(k, sizeof *m->points)) ||
        !(m->workload = zs_calloc(k, sizeof *m->workload)) ||
        !(m->tour_m = zs_calloc(k, sizeof *m->tour_m))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    m->n = n;
    m->k = k;
    m->runtime_s = p->runtime_s;
    for (size_t i = 0; i < n; i++) {
        size_t z = (size_t)p->zone[i];
        double wi = w ? w[i] : 1.0, dx = x[i] - p->cx[z], dy = y[i] - p->cy[z];
        double d2 = dx * dx + dy * dy;
        m->sse += d2;
        m->weighted_dist_m += wi * sqrt(d2);
        m->workload[z] += wi;
        m->points[z]++;
    }
    double total = 0.0;
    m->work_min = m->work_max = m->workload[0];
    size_t maxz = 0;
    for (size_t z = 0; z < k; z++) {
        total += m->workload[z];
        m->work_min = fmin(m->work_min, m->workload[z]);
        m->work_max = fmax(m->work_max, m->workload[z]);
        if (m->points[z] > maxz)
            maxz = m->points[z];
    }
    m->work_mean = total / (double)k;
    m->balance_maxmin = m->work_min > 0.0 ? m->work_max / m->work_min
                        : m->work_max > 0.0 ? HUGE_VAL : 1.0;
    if (m->work_mean > 0.0) {
        double ss = 0.0;
        for (size_t z = 0; z < k; z++) {
            double d = m->workload[z] - m->work_mean;
            ss += d * d;
            m->balance_maxdev = fmax(m->balance_maxdev, fabs(d) / m->work_mean);
        }
        m->balance_cv = sqrt(ss / (double)k) / m->work_mean;
    }
    /* Points grouped by zone, by index within a zone. */
    for (size_t z = 0; z < k; z++)
        start[z + 1] = start[z] + m->points[z];
    for (size_t i = 0; i < n; i++)
        idx[start[p->zone[i]]++] = i;
    for (size_t z = k; z > 0; z--)
        start[z] = start[z - 1];
    start[0] = 0;
    for (int t = 0; t < nt; t++)
        if (!(ws[t] = zs_route_ws_create(maxz))) {
            st = ZS_NOMEM(err);
            goto done;
        }
    const double *cx = p->cx, *cy = p->cy;
    double *tour = m->tour_m;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) default(none) \
    shared(k, x, y, idx, start, depot_xy, cx, cy, ws, tour)
    for (size_t z = 0; z < k; z++) {
        double dx = depot_xy ? depot_xy[0] : cx[z], dy = depot_xy ? depot_xy[1] : cy[z];
        tour[z] = zs_route_tour(ws[omp_get_thread_num()], x, y, idx + start[z],
                                start[z + 1] - start[z], dx, dy, NULL);
    }
    for (size_t z = 0; z < k; z++) {
        m->tour_total_m += tour[z];
        m->tour_max_m = fmax(m->tour_max_m, tour[z]);
    }
    *out = m;
    m = NULL;
done:
    for (int t = 0; ws && t < nt; t++)
        zs_route_ws_free(ws[t]);
    zs_free(ws);
    zs_free(start);
    zs_free(idx);
    zs_plan_metrics_free(m);
    return st;
}
