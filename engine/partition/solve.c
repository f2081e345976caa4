/*
 * engine/partition/solve.c -- one entry point for every zoning method.
 *
 * zs_partition_solve validates the options and the points once, runs the
 * method, applies merge_isolated and judges the balance of the result, so
 * every method reports balance the same way and none can claim a balance it
 * did not reach.   The helpers the methods share
 * live in zones.c, so this dispatcher calls the methods and nothing calls
 * back into it.
 */
#include "partition/partition.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/partition_internal.h"

static const char *const method_names[ZS_PM_COUNT] = {
    "kmeans", "kmeans-density", "kmeans-balanced", "kmeans-two-stage", "grid", "voronoi",
    "balanced-flow", "pmedian-ip", "territory"};

const char *zs_partition_method_name(zs_partition_method m)
{
    if ((int)m < 0 || (int)m >= ZS_PM_COUNT)
        return "?";
    return method_names[m];
}

int zs_partition_method_targets_band(const char *name)
{
    return name && (!strcmp(name, method_names[ZS_PM_KMEANS_BALANCED]) ||
                    !strcmp(name, method_names[ZS_PM_KMEANS_TWO_STAGE]) ||
                    !strcmp(name, method_names[ZS_PM_TERRITORY]));
}

zs_status zs_partition_method_parse(const char *s, zs_partition_method *out, zs_err *err)
{
    for (int m = 0; m < ZS_PM_COUNT; m++)
        if (s && strcmp(s, method_names[m]) == 0) {
            *out = (zs_partition_method)m;
            return ZS_OK;
        }
    return zs_err_set(err, ZS_EINVAL,
                      "unknown partition method '%s' (one of kmeans, kmeans-density, "
                      "kmeans-balanced, kmeans-two-stage, grid, voronoi, balanced-flow, "
                      "pmedian-ip)",
                      s ? s : "(null)");
}

void zs_partition_opts_defaults(zs_partition_opts *o)
{
    o->method = ZS_PM_KMEANS;
    o->k = 1;
    zs_kmeans_opts_defaults(&o->kmeans);
    o->tolerance = 0.1;
    o->merge_isolated = 0;
    o->isolated_factor = 3.0; /* the published case's lone far point is many spacings out */
    o->density_radius_m = 0.0;
    o->site_x = NULL;
    o->site_y = NULL;
    o->n_sites = 0;
    o->max_iter = 500;
    o->max_moves = 0;
    o->ip.time_limit_s = 60.0;
    o->ip.gap = 0.0;
    o->ip.balance = 0;
    o->graph = NULL;
    o->work = NULL;
    o->start_zone = NULL;
    o->starts = 0;
    o->pocket_share = 0.5;
    o->join_cost = NULL;
    o->join_ctx = NULL;
}

zs_status zs_partition_opts_validate(const zs_partition_opts *o, zs_err *err)
{
    if ((int)o->method < 0 || (int)o->method >= ZS_PM_COUNT)
        return zs_err_set(err, ZS_EINVAL, "partition.method = %d; not a method", (int)o->method);
    if (o->k < 1)
        return zs_err_set(err, ZS_EINVAL, "partition.k = %zu; must be >= 1", o->k);
    if (o->k > (size_t)INT32_MAX)
        return zs_err_set(err, ZS_EINVAL, "partition.k = %zu; must be <= %ld", o->k,
                          (long)INT32_MAX);
    if (!(o->tolerance >= 0.0) || !isfinite(o->tolerance))
        return zs_err_set(err, ZS_EINVAL, "partition.tolerance = %g; must be finite and >= 0",
                          o->tolerance);
    if (o->merge_isolated && o->method == ZS_PM_TERRITORY)
        return zs_err_set(err, ZS_EINVAL, "partition.merge_isolated: not with territory (a far "
                                          "point already joins the zone of its neighbours on the "
                                          "adjacency graph)");
    if (o->merge_isolated != 0 && o->merge_isolated != 1)
        return zs_err_set(err, ZS_EINVAL, "partition.merge_isolated = %d; must be 0 or 1",
                          o->merge_isolated);
    if (!(o->isolated_factor > 0.0) || !isfinite(o->isolated_factor))
        return zs_err_set(err, ZS_EINVAL, "partition.isolated_factor = %g; must be finite and > 0",
                          o->isolated_factor);
    if (!(o->density_radius_m >= 0.0) || !isfinite(o->density_radius_m))
        return zs_err_set(err, ZS_EINVAL,
                          "partition.density_radius_m = %g; must be finite and >= 0 (0 = rule)",
                          o->density_radius_m);
    if (o->starts > 1000)
        return zs_err_set(err, ZS_EINVAL, "partition.starts = %zu; must be <= 1000 (0 = rule)",
                          o->starts);
    if (!(o->pocket_share >= 0.0 && o->pocket_share <= 1.0))
        return zs_err_set(err, ZS_EINVAL, "partition.pocket_share = %g; must be in [0, 1]",
                          o->pocket_share);
    if ((o->site_x == NULL) != (o->site_y == NULL))
        return zs_err_set(err, ZS_EINVAL, "partition.site_x and site_y: give both or neither");
    if (o->site_x && o->n_sites != o->k)
        return zs_err_set(err, ZS_EINVAL, "partition.n_sites = %zu; must equal k = %zu",
                          o->n_sites, o->k);
    if (!o->site_x && o->n_sites != 0)
        return zs_err_set(err, ZS_EINVAL, "partition.n_sites = %zu without site_x/site_y",
                          o->n_sites);
    if (o->site_x && o->method != ZS_PM_VORONOI)
        return zs_err_set(err, ZS_EINVAL, "partition.site_x: sites are for method voronoi, not %s",
                          zs_partition_method_name(o->method));
    for (size_t s = 0; o->site_x && s < o->n_sites; s++)
        if (!isfinite(o->site_x[s]) || !isfinite(o->site_y[s]))
            return zs_err_set(err, ZS_EINVAL, "partition.site %zu = (%g, %g); must be finite",
                              s + 1, o->site_x[s], o->site_y[s]);
    if (o->max_iter < 1)
        return zs_err_set(err, ZS_EINVAL, "partition.max_iter = %d; must be >= 1", o->max_iter);
    if (!(o->ip.time_limit_s > 0.0) || !(o->ip.time_limit_s <= 1e6))
        return zs_err_set(err, ZS_EINVAL, "partition.ip_time_limit_s = %g; must be in (0, 1e6]",
                          o->ip.time_limit_s);
    if (!(o->ip.gap >= 0.0) || !(o->ip.gap < 1.0))
        return zs_err_set(err, ZS_EINVAL, "partition.ip_gap = %g; must be in [0, 1)", o->ip.gap);
    if (o->ip.balance != 0 && o->ip.balance != 1)
        return zs_err_set(err, ZS_EINVAL, "partition.ip_balance = %d; must be 0 or 1",
                          o->ip.balance);
    return zs_kmeans_opts_validate(&o->kmeans, err);
}

static zs_status check_points(const double *x, const double *y, const double *w, size_t n,
                              size_t k, zs_err *err)
{
    if (k > n)
        return zs_err_set(err, ZS_EINVAL, "k = %zu exceeds the number of points (%zu)", k, n);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return zs_err_set(err, ZS_EINVAL, "point index %zu has a non-finite coordinate (%g, %g)",
                              i, x[i], y[i]);
    for (size_t i = 0; w && i < n; i++)
        if (!(w[i] >= 0.0) || !isfinite(w[i]))
            return zs_err_set(err, ZS_EINVAL,
                              "workload of point index %zu = %g; must be finite and >= 0", i, w[i]);
    return ZS_OK;
}

zs_status zs_partition_solve(const double *x, const double *y, const double *w, size_t n,
                             const zs_partition_opts *o, zs_partition **out, zs_err *err)
{
    double t0 = omp_get_wtime();
    *out = NULL;
    zs_partition_opts def;
    if (!o) {
        zs_partition_opts_defaults(&def);
        o = &def;
    }
    zs_status st = zs_partition_opts_validate(o, err);
    if (st != ZS_OK || (st = check_points(x, y, w, n, o->k, err)) != ZS_OK)
        return st;
    const double *gw = o->kmeans.weighted ? w : NULL;
    zs_partition *p = NULL;
    switch (o->method) {
    case ZS_PM_KMEANS: st = zs_partition_kmeans(x, y, w, n, o->k, &o->kmeans, &p, err); break;
    case ZS_PM_KMEANS_DENSITY: st = zs_part_density(x, y, w, n, o, &p, err); break;
    case ZS_PM_KMEANS_BALANCED: st = zs_part_balanced(x, y, w, n, o, &p, err); break;
    case ZS_PM_KMEANS_TWO_STAGE: st = zs_part_two_stage(x, y, w, n, o, &p, err); break;
    case ZS_PM_GRID: st = zs_part_grid(x, y, w, gw, n, o->k, &p, err); break;
    case ZS_PM_VORONOI: st = zs_part_voronoi(x, y, gw, n, o, &p, err); break;
    case ZS_PM_BALANCED_FLOW: st = zs_part_balanced_flow(x, y, w, n, o, &p, err); break;
    case ZS_PM_PMEDIAN_IP: st = zs_part_pmedian(x, y, w, gw, n, o, &p, err); break;
    case ZS_PM_TERRITORY: st = zs_part_territory(x, y, w, n, o, &p, err); break;
    }
    if (st != ZS_OK)
        return st;
    if (o->merge_isolated &&
        (st = zs_part_merge_isolated(&p, x, y, gw, o->isolated_factor, err)) != ZS_OK)
        goto fail;
    if (o->method == ZS_PM_TERRITORY)
        st = zs_part_balance_work(p, x, y, w, o->work, o->tolerance, err);
    else
        st = zs_part_balance(p, w, o->tolerance, err);
    if (st != ZS_OK)
        goto fail;
    snprintf(p->method, sizeof p->method, "%s", zs_partition_method_name(o->method));
    /* The status says one thing, what the plan is as a solution (set by
     * the method: "optimal", "heuristic, not proven", ...); whether the
     * balance was met (balance.met), zones merged (balance.merged) and
     * pockets joined (territory.pockets) are fields and lines of their
     * own.  An exact plan whose isolated zones were merged afterwards is
     * no longer the program's proven answer. */
    if (p->balance.merged && o->method == ZS_PM_PMEDIAN_IP) {
        snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_HEURISTIC);
        p->exact.proven = 0;
    }
    p->runtime_s = omp_get_wtime() - t0;
    *out = p;
    return ZS_OK;
fail:
    zs_partition_free(p);
    return st;
}
