/*
 * engine/partition/pmedian_part.c -- pmedian-ip on the points as they
 * are: the exact p-median (zs_pmedian_solve) on their Euclidean distances,
 * every point a candidate median, and its plan as zones.  When no
 * balanced plan comes back (infeasible, or none in time), the unbalanced
 * p-median's zones are returned with the balanced run's status.  The
 * method's entry, zs_part_pmedian (pmedian_agg.c), sends here up to
 * ZS_PMEDIAN_AGG_N points and the grid cells beyond.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "models/alloc.h"
#include "partition/partition_internal.h"
#include "partition/pmedian_internal.h"

/* Solves on the points' Euclidean distances; r is the caller's. */
static zs_status part_solve(const double *D, const double *w, const double *gw, size_t n,
                            const zs_partition_opts *o, int balance, double time_limit_s,
                            zs_pmedian_result **r, zs_err *err)
{
    zs_pmedian_problem pb = {n, n, o->k, D, gw, w, NULL, 1};
    zs_pmedian_opts po;
    zs_pmedian_opts_defaults(&po);
    po.time_limit_s = time_limit_s;
    po.mip_gap = o->ip.gap;
    po.balance = balance;
    po.tolerance = o->tolerance;
    po.self_assign = balance; /* a zone holds its median: never empty */
    return zs_pmedian_solve(&pb, &po, r, err);
}

zs_status zs_part_pmedian_points(const double *x, const double *y, const double *w,
                                 const double *gw, size_t n, const zs_partition_opts *o,
                                 zs_partition **out, zs_err *err)
{
    *out = NULL;
    double t0 = zs_pm_now();
    zs_pmedian_result *r = NULL, *r2 = NULL;
    zs_partition *p = NULL;
    zs_status st;
    double *D = zs_malloc_array(n * n, sizeof *D);
    size_t *zone_of = zs_malloc_array(n, sizeof *zone_of);
    size_t *cnt = zs_calloc(o->k, sizeof *cnt);
    if (!D || !zone_of || !cnt) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j];
            D[i * n + j] = sqrt(dx * dx + dy * dy);
        }
    if ((st = part_solve(D, w, gw, n, o, o->ip.balance, o->ip.time_limit_s, &r, err)) != ZS_OK)
        goto done;
    const zs_pmedian_result *use = r;
    if (!r->have_solution) {
        /* No balanced plan (infeasible, or none in time): the zones of the
         * unbalanced p-median, labelled with the balanced run's status. */
        double left = o->ip.time_limit_s - (zs_pm_now() - t0);
        if ((st = part_solve(D, w, gw, n, o, 0, left > 1.0 ? left : 1.0, &r2, err)) != ZS_OK)
            goto done;
        use = r2;
    }
    if (!(p = zs_partition_alloc(n, o->k, NULL))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        zone_of[i] = SIZE_MAX;
    for (size_t z = 0; z < o->k; z++) {
        size_t j = use->open[z];
        zone_of[j] = z;
        p->cx[z] = x[j];
        p->cy[z] = y[j];
    }
    for (size_t i = 0; i < n; i++) {
        size_t z = zone_of[use->assign[i]];
        if (z >= o->k) {
            st = ZS_INTERNAL(err, "pmedian-ip: point %zu assigned to a closed site", i);
            goto done;
        }
        p->zone[i] = (int32_t)z;
        cnt[z]++;
    }
    for (size_t z = 0; z < o->k; z++)
        if (cnt[z] == 0) {
            st = ZS_INTERNAL(err, "pmedian-ip: zone %zu is empty", z + 1);
            goto done;
        }
    p->objective = use->objective;
    p->iterations = r->mip_nodes;
    p->converged = r->exact;
    p->exact.proven = r->exact;
    p->exact.bound = r->bound;
    p->exact.gap = r->gap;
    p->exact.infeasible = r->status == ZS_MIP_INFEASIBLE;
    snprintf(p->status, sizeof p->status, "%s", r->status_text);
    *out = p;
    p = NULL;
done:
    zs_partition_free(p);
    zs_pmedian_result_free(r);
    zs_pmedian_result_free(r2);
    zs_free(D);
    zs_free(zone_of);
    zs_free(cnt);
    return st;
}
