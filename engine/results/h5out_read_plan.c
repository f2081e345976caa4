/*
 * engine/results/h5out_read_plan.c -- one plan of a results file back as
 * objects (zs_h5out_read_plan, for `zonesim export`): the points with the
 * depot, the plan's partition as the method left it (its centres, name
 * and diagnostics) and, when the plan was simulated, its summary.  Sizes
 * are checked before allocating, so a damaged file reads as damage.
 * Handle discipline as in engine/results/h5out.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <string.h>

#include <hdf5.h>

#include "models/alloc.h"
#include "models/ptype.h"
#include "results/h5out.h"
#include "results/h5out_internal.h"
#include "results/h5util.h"

/* ---- one plan back as objects (zonesim export) ------------------------- */

/* Frees an array of n strings as zs_h5_get_strs leaves it (possibly partial). */
static void free_strs(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        zs_free(s[i]);
    zs_free(s);
}

/* Reads /points into a new zs_points (*out) and the depot. */
static int read_points(zs_h5_reader *r, hid_t f, zs_points **out, double depot[2])
{
    hid_t g = H5Gopen2(f, "points", H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "/points");
    zs_points *p = NULL;
    char **ids = NULL;
    uint64_t n = 0;
    hsize_t len = 0;
    int rc = -1;
    const char *a = NULL;
    if (zs_h5_get_attr(g, a = "n", H5T_NATIVE_UINT64, &n) < 0 ||
        zs_h5_get_attr(g, a = "depot_x_m", H5T_NATIVE_DOUBLE, &depot[0]) < 0 ||
        zs_h5_get_attr(g, a = "depot_y_m", H5T_NATIVE_DOUBLE, &depot[1]) < 0) {
        zs_h5_rfail(r, "attribute %s of /points", a);
        goto done;
    }
    /* Checked before allocating, so a damaged n reads as damage rather
     * than as running out of memory. */
    if (zs_h5_dset_len(g, "x_m", &len) < 0 || len != n) {
        zs_h5_rfail(r, "/points/x_m (%llu values for n = %llu)", (unsigned long long)len,
              (unsigned long long)n);
        goto done;
    }
    if (!(p = zs_points_create((size_t)n, r->err))) {
        zs_h5_rnomem(r);
        goto done;
    }
    if (zs_h5_get_dset(g, a = "x_m", H5T_NATIVE_DOUBLE, n, p->x) < 0 ||
        zs_h5_get_dset(g, a = "y_m", H5T_NATIVE_DOUBLE, n, p->y) < 0 ||
        zs_h5_get_dset(g, a = "type", H5T_NATIVE_UINT8, n, p->type) < 0 ||
        zs_h5_get_dset(g, a = "parcels_mean", H5T_NATIVE_DOUBLE, n, p->parcels) < 0) {
        zs_h5_rfail(r, "/points/%s", a);
        goto done;
    }
    if (!isfinite(depot[0]) || !isfinite(depot[1])) {
        zs_h5_rfail(r, "attributes depot_x_m, depot_y_m of /points (not finite: %g, %g)",
                    depot[0], depot[1]);
        goto done;
    }
    /* Values are checked here, before any code uses them: a file written
     * wrong (or read with --trust-unverified) must not crash the maps. */
    for (size_t i = 0; i < n; i++)
        if (!isfinite(p->x[i]) || !isfinite(p->y[i]) || !isfinite(p->parcels[i]) ||
            p->parcels[i] < 0) {
            zs_h5_rfail(r, "/points/%s (point %zu has %g)",
                        !isfinite(p->x[i])   ? "x_m"
                        : !isfinite(p->y[i]) ? "y_m"
                                             : "parcels_mean",
                        i + 1,
                        !isfinite(p->x[i])   ? p->x[i]
                        : !isfinite(p->y[i]) ? p->y[i]
                                             : p->parcels[i]);
            goto done;
        }
    for (size_t i = 0; i < n; i++)
        if (p->type[i] >= ZS_PT_COUNT) {
            zs_h5_rfail(r, "/points/type (point %zu has type code %u; codes are 0..%d)", i + 1,
                  (unsigned)p->type[i], ZS_PT_COUNT - 1);
            goto done;
        }
    if (zs_h5_get_strs(r, g, "id", n, &ids, "/points") < 0)
        goto done;
    /* The ids go into one pool owned by p, as zs_points_load keeps them,
     * so zs_points_free releases them. */
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(ids[i]) + 1;
    char *pool = zs_malloc(total ? total : 1);
    if (!pool) {
        zs_h5_rnomem(r);
        goto done;
    }
    zs_free(p->id_pool);
    p->id_pool = pool;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(ids[i]) + 1;
        memcpy(pool, ids[i], l);
        p->id[i] = pool;
        pool += l;
    }
    zs_status st = zs_points_index_ids(p, r->err);
    if (st != ZS_OK) {
        r->st = st;
        if (st != ZS_ENOMEM)
            zs_err_prefix(r->err, "%s: /points/id", r->path);
        goto done;
    }
    htri_t has = H5Lexists(g, "lon", H5P_DEFAULT);
    if (has < 0) {
        zs_h5_rfail(r, "/points/lon");
        goto done;
    }
    if (has > 0) {
        if (zs_h5_get_attr(g, a = "lon0", H5T_NATIVE_DOUBLE, &p->lon0) < 0 ||
            zs_h5_get_attr(g, a = "lat0", H5T_NATIVE_DOUBLE, &p->lat0) < 0) {
            zs_h5_rfail(r, "attribute %s of /points", a);
            goto done;
        }
        if (!(p->lon = zs_malloc_array(n ? n : 1, sizeof *p->lon)) ||
            !(p->lat = zs_malloc_array(n ? n : 1, sizeof *p->lat))) {
            zs_h5_rnomem(r);
            goto done;
        }
        if (zs_h5_get_dset(g, a = "lon", H5T_NATIVE_DOUBLE, n, p->lon) < 0 ||
            zs_h5_get_dset(g, a = "lat", H5T_NATIVE_DOUBLE, n, p->lat) < 0) {
            zs_h5_rfail(r, "/points/%s", a);
            goto done;
        }
        p->has_lonlat = 1;
    }
    rc = 0;
done:
    free_strs(ids, (size_t)n);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "/points");
    if (rc == 0)
        *out = p;
    else
        zs_points_free(p);
    return rc;
}

/* Checks that /plans/<name> exists; otherwise an input error listing the
 * plans in scenario order. */
static int find_plan(zs_h5_reader *r, hid_t f, const char *name)
{
    hid_t plans = H5Gopen2(f, "plans", H5P_DEFAULT);
    if (plans < 0)
        return zs_h5_rfail(r, "/plans");
    int rc = -1;
    zs_h5_names l = {0};
    /* A name with '/' would be looked up as a path: never a plan. */
    htri_t has = 0;
    if (zs_h5out_valid_name(name) && strlen(name) <= ZS_H5_NAME_MAX &&
        (has = H5Lexists(plans, name, H5P_DEFAULT)) < 0) {
        zs_h5_rfail(r, "/plans/%s", name);
        goto done;
    }
    if (has > 0) {
        rc = 0;
        goto done;
    }
    if (zs_h5out_list_plans(r, plans, &l) < 0)
        goto done;
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < l.n && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", l.name[i]);
    r->st = zs_err_set(r->err, ZS_EINPUT, "%s: no plan '%s' (%s%s)", r->path, name,
                       l.n ? "plans: " : "the file has no plans", list);
done:
    zs_h5_names_free(&l);
    if (H5Gclose(plans) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "/plans");
    return rc;
}

/* Reads /plans/<name> over the points pts into a new partition (*out). */
/* A territory plan's bridges (attribute bridges, dataset bridge_points:
 * bridges x 2 point indices) into pa->territory; none in a file without
 * them.  A bridge naming a point past the plan's is damage. */
static int read_bridges(zs_h5_reader *r, hid_t g, const char *where, zs_partition *pa)
{
    htri_t has = H5Aexists(g, "bridges");
    uint64_t nb = 0;
    if (has < 0 || (has > 0 && zs_h5_get_attr(g, "bridges", H5T_NATIVE_UINT64, &nb) < 0))
        return zs_h5_rfail(r, "attribute bridges of %s", where);
    if (nb == 0)
        return 0;
    hsize_t dims[2] = {nb, 2};
    if (nb > pa->n)
        return zs_h5_rfail(r, "%s/bridge_points (%llu bridges for %zu points)", where,
                           (unsigned long long)nb, pa->n);
    if (!(pa->territory.bridge = zs_malloc_array(2 * nb, sizeof(uint32_t))))
        return zs_h5_rnomem(r);
    if (zs_h5_get_dset_nd(g, "bridge_points", H5T_NATIVE_UINT32, 2, dims,
                          pa->territory.bridge) < 0)
        return zs_h5_rfail(r, "%s/bridge_points", where);
    for (size_t b = 0; b < 2 * nb; b++)
        if (pa->territory.bridge[b] >= pa->n)
            return zs_h5_rfail(r, "%s/bridge_points (point index %u of %zu points)", where,
                               pa->territory.bridge[b], pa->n);
    pa->territory.bridges = (size_t)nb;
    return 0;
}

static int read_partition(zs_h5_reader *r, hid_t f, const char *name, const zs_points *pts,
                          zs_partition **out)
{
    char where[160];
    snprintf(where, sizeof where, "/plans/%s", name);
    hid_t g = H5Gopen2(f, where, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "%s", where);
    int rc = -1;
    uint64_t k = 0;
    int32_t iterations = 0, converged = 0;
    double objective = 0, runtime_s = 0;
    char method[sizeof((zs_partition *)0)->method], status[sizeof((zs_partition *)0)->status];
    hsize_t len = 0;
    int32_t *zone = NULL;
    char **label = NULL;
    double *cx = NULL, *cy = NULL;
    zs_partition *pa = NULL;
    const char *a = NULL;
    if (zs_h5_get_str_attr(g, a = "method", method, sizeof method) < 0 ||
        zs_h5_get_str_attr(g, a = "status", status, sizeof status) < 0 ||
        zs_h5_get_attr(g, a = "k", H5T_NATIVE_UINT64, &k) < 0 ||
        zs_h5_get_attr(g, a = "objective", H5T_NATIVE_DOUBLE, &objective) < 0 ||
        zs_h5_get_attr(g, a = "iterations", H5T_NATIVE_INT32, &iterations) < 0 ||
        zs_h5_get_attr(g, a = "converged", H5T_NATIVE_INT32, &converged) < 0 ||
        zs_h5_get_attr(g, a = "runtime_s", H5T_NATIVE_DOUBLE, &runtime_s) < 0) {
        zs_h5_rfail(r, "attribute %s of %s", a, where);
        goto done;
    }
    /* Sizes are checked before allocating (damage, not lack of memory). */
    if (zs_h5_dset_len(g, "zone", &len) < 0 || len != pts->n) {
        zs_h5_rfail(r, "%s/zone (%llu zones for %zu points)", where, (unsigned long long)len, pts->n);
        goto done;
    }
    if (k < 1 || k > INT32_MAX || zs_h5_dset_len(g, "label", &len) < 0 || len != k) {
        zs_h5_rfail(r, "%s/label (%llu labels for k = %llu)", where, (unsigned long long)len,
              (unsigned long long)k);
        goto done;
    }
    if (!(zone = zs_malloc_array(pts->n ? pts->n : 1, sizeof *zone)) ||
        !(cx = zs_malloc_array(k, sizeof *cx)) || !(cy = zs_malloc_array(k, sizeof *cy))) {
        zs_h5_rnomem(r);
        goto done;
    }
    if (zs_h5_get_dset(g, a = "zone", H5T_NATIVE_INT32, pts->n, zone) < 0 ||
        zs_h5_get_dset(g, a = "centre_x_m", H5T_NATIVE_DOUBLE, k, cx) < 0 ||
        zs_h5_get_dset(g, a = "centre_y_m", H5T_NATIVE_DOUBLE, k, cy) < 0) {
        zs_h5_rfail(r, "%s/%s", where, a);
        goto done;
    }
    for (size_t i = 0; i < pts->n; i++)
        if (zone[i] < 0 || (uint64_t)zone[i] >= k) {
            zs_h5_rfail(r, "%s/zone (point '%s' has zone %ld outside 0..%llu)", where, pts->id[i],
                  (long)zone[i], (unsigned long long)(k - 1));
            goto done;
        }
    if (zs_h5_get_strs(r, g, "label", k, &label, where) < 0)
        goto done;
    zs_status st = zs_partition_from_labels(pts, zone, (size_t)k, label, &pa, r->err);
    if (st != ZS_OK) {
        r->st = st;
        if (st != ZS_ENOMEM)
            zs_err_prefix(r->err, "%s: %s", r->path, where);
        goto done;
    }
    /* from_labels recomputed plain means and called the plan manual; the
     * file holds what the method produced (weighted centres, its name). */
    memcpy(pa->cx, cx, (size_t)k * sizeof *cx);
    memcpy(pa->cy, cy, (size_t)k * sizeof *cy);
    snprintf(pa->method, sizeof pa->method, "%s", method);
    snprintf(pa->status, sizeof pa->status, "%s", status);
    pa->objective = objective;
    pa->iterations = iterations;
    pa->converged = converged;
    pa->runtime_s = runtime_s;
    /* Balance and solver diagnostics: files from before they were stored
     * lack them (the plan then reads as a bare assignment). */
    uint64_t moves = 0, merged = 0, within = UINT64_MAX;
    struct { const char *name; hid_t type; void *dst; } opt[] = {
        {"tolerance", H5T_NATIVE_DOUBLE, &pa->balance.tolerance},
        {"balance_met", H5T_NATIVE_INT, &pa->balance.met},
        {"balance_maxdev", H5T_NATIVE_DOUBLE, &pa->balance.maxdev},
        {"balance_within", H5T_NATIVE_UINT64, &within},
        {"moves", H5T_NATIVE_UINT64, &moves},
        {"merged", H5T_NATIVE_UINT64, &merged},
        {"exact", H5T_NATIVE_INT, &pa->exact},
        {"mip_bound", H5T_NATIVE_DOUBLE, &pa->exact.bound},
        {"mip_gap", H5T_NATIVE_DOUBLE, &pa->exact.gap}};
    for (size_t j = 0; j < sizeof opt / sizeof opt[0]; j++) {
        htri_t has = H5Aexists(g, opt[j].name);
        if (has < 0 || (has > 0 && zs_h5_get_attr(g, opt[j].name, opt[j].type, opt[j].dst) < 0)) {
            zs_h5_rfail(r, "attribute %s of %s", opt[j].name, where);
            goto done;
        }
    }
    pa->balance.moves = (size_t)moves;
    /* files before balance_within: all zones when met, else unknown (0) */
    pa->balance.within = within != UINT64_MAX ? (size_t)within : pa->balance.met ? pa->k : 0;
    pa->balance.merged = (size_t)merged;
    if (read_bridges(r, g, where, pa) < 0)
        goto done;
    rc = 0;
done:
    free_strs(label, (size_t)k);
    zs_free(zone);
    zs_free(cx);
    zs_free(cy);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "%s", where);
    if (rc == 0)
        *out = pa;
    else
        zs_partition_free(pa);
    return rc;
}

/* Reads /summary/<name> of a k-zone plan into *out, left NULL when the
 * plan was not simulated. */
static int read_plan_summary(zs_h5_reader *r, hid_t f, const char *name, size_t k,
                             zs_plan_summary **out)
{
    htri_t has = H5Lexists(f, "summary", H5P_DEFAULT);
    if (has < 0)
        return zs_h5_rfail(r, "/summary");
    if (has == 0)
        return 0;
    hid_t sumg = H5Gopen2(f, "summary", H5P_DEFAULT);
    if (sumg < 0)
        return zs_h5_rfail(r, "/summary");
    hid_t st = -1;
    int rc = -1;
    zs_h5_plan_overview po;
    memset(&po, 0, sizeof po);
    snprintf(po.name, sizeof po.name, "%s", name);
    po.k = k;
    if ((has = H5Lexists(sumg, name, H5P_DEFAULT)) < 0) {
        zs_h5_rfail(r, "/summary/%s", name);
        goto done;
    }
    if (has == 0) {
        rc = 0;
        goto done;
    }
    if ((st = zs_h5out_stat_type(0)) < 0) {
        zs_h5_rfail(r, "/summary (statistics type)");
        goto done;
    }
    if (zs_h5out_read_summary(r, sumg, &po, st) < 0)
        goto done;
    rc = 0;
done:
    if (st >= 0)
        H5Tclose(st);
    if (H5Gclose(sumg) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "/summary");
    if (rc == 0)
        *out = po.summary;
    else
        zs_plan_summary_free(po.summary);
    return rc;
}

zs_status zs_h5out_read_plan(const char *path, const char *plan, zs_points **points,
                             zs_partition **part, zs_plan_summary **summary, double depot[2],
                             zs_err *err)
{
    if (!path || !plan || !points || !part)
        return ZS_INTERNAL(err, "zs_h5out_read_plan: NULL path, plan or out-parameter");
    *points = NULL;
    *part = NULL;
    if (summary)
        *summary = NULL;
    hid_t f;
    int version;
    zs_status st0 = zs_h5_open_results(path, &f, &version, err);
    if (st0 != ZS_OK)
        return st0;
    zs_h5_reader r = {path, err, ZS_OK};
    zs_points *p = NULL;
    zs_partition *pa = NULL;
    zs_plan_summary *su = NULL;
    double dep[2] = {0, 0};
    if (find_plan(&r, f, plan) < 0 || read_points(&r, f, &p, dep) < 0 ||
        read_partition(&r, f, plan, p, &pa) < 0 ||
        (summary && read_plan_summary(&r, f, plan, pa->k, &su) < 0))
        goto done;
done:
    if (H5Fclose(f) < 0 && r.st == ZS_OK)
        r.st = zs_err_set(err, ZS_EIO, "%s: cannot close the HDF5 file", path);
    if (r.st != ZS_OK) {
        zs_points_free(p);
        zs_partition_free(pa);
        zs_plan_summary_free(su);
        return r.st;
    }
    *points = p;
    *part = pa;
    if (summary)
        *summary = su;
    if (depot) {
        depot[0] = dep[0];
        depot[1] = dep[1];
    }
    return ZS_OK;
}

/* ---- the barriers (zonesim export draws them) -------------------------- */

/* Reads /barriers when there is one; *n stays 0 otherwise. */
/* Line segments of group grp: dataset segs [n][4] and an int32 id per
 * segment in dataset ids (/barriers: segments, feature; /network: streets,
 * street_class).  Nothing when the group is absent; a group without its
 * datasets is damage. */
static int read_lines(zs_h5_reader *r, hid_t f, const char *grp, const char *segs,
                      const char *ids, size_t *n, double **seg, int32_t **feature)
{
    htri_t has = H5Lexists(f, grp, H5P_DEFAULT);
    if (has < 0)
        return zs_h5_rfail(r, "/%s", grp);
    if (has == 0)
        return 0;
    hid_t g = H5Gopen2(f, grp, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "/%s", grp);
    int rc = -1;
    hsize_t len = 0;
    const char *a = ids;
    /* The length is checked before allocating (damage, not lack of memory). */
    if (zs_h5_dset_len(g, a, &len) < 0 || len > SIZE_MAX / 4 / sizeof **seg) {
        zs_h5_rfail(r, "/%s/%s", grp, a);
        goto done;
    }
    size_t m = (size_t)len;
    if (!(*seg = zs_malloc_array(m ? 4 * m : 1, sizeof **seg)) ||
        !(*feature = zs_malloc_array(m ? m : 1, sizeof **feature))) {
        zs_h5_rnomem(r);
        goto done;
    }
    hsize_t dims[2] = {len, 4};
    if (zs_h5_get_dset(g, a = ids, H5T_NATIVE_INT32, len, *feature) < 0 ||
        zs_h5_get_dset_nd(g, a = segs, H5T_NATIVE_DOUBLE, 2, dims, *seg) < 0) {
        zs_h5_rfail(r, "/%s/%s (%llu segments)", grp, a, (unsigned long long)len);
        goto done;
    }
    *n = m;
    rc = 0;
done:
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "/%s", grp);
    return rc;
}

static zs_status read_lines_file(const char *path, const char *grp, const char *segs,
                                 const char *ids, size_t *n, double **seg, int32_t **feature,
                                 zs_err *err)
{
    if (!path || !n || !seg || !feature)
        return ZS_INTERNAL(err, "reading /%s: NULL path or out-parameter", grp);
    *n = 0;
    *seg = NULL;
    *feature = NULL;
    hid_t f;
    int version;
    zs_status st0 = zs_h5_open_results(path, &f, &version, err);
    if (st0 != ZS_OK)
        return st0;
    zs_h5_reader r = {path, err, ZS_OK};
    read_lines(&r, f, grp, segs, ids, n, seg, feature);
    if (H5Fclose(f) < 0 && r.st == ZS_OK)
        r.st = zs_err_set(err, ZS_EIO, "%s: cannot close the HDF5 file", path);
    if (r.st != ZS_OK || *n == 0) {
        zs_free(*seg);
        zs_free(*feature);
        *n = 0;
        *seg = NULL;
        *feature = NULL;
    }
    return r.st;
}

zs_status zs_h5out_read_barriers(const char *path, size_t *n, double **seg, int32_t **feature,
                                 zs_err *err)
{
    return read_lines_file(path, "barriers", "segments", "feature", n, seg, feature, err);
}

zs_status zs_h5out_read_streets(const char *path, size_t *n, double **seg, int32_t **cls,
                                zs_err *err)
{
    return read_lines_file(path, "network", "streets", "street_class", n, seg, cls, err);
}
