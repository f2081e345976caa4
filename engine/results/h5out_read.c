/*
 * engine/results/h5out_read.c -- reading a results file's overview back
 * (zs_h5out_read_overview, for `zonesim compare` and `info`): the root's
 * provenance and shard range, each plan's method, status and labels, its
 * /summary tables and the paired tables.  Files written before pickups or
 * shards existed read as runs without them.  Handle discipline as in
 * engine/results/h5out.c.
 */
#include <stdio.h>
#include <string.h>

#include <hdf5.h>

#include "models/alloc.h"
#include "results/h5out.h"
#include "results/h5out_internal.h"
#include "results/h5util.h"

/* ---- the zs_h5_reader --------------------------------------------------------- */

/* Lists the plan groups of /plans into l, sorted by their order
 * attribute (scenario order). */
int zs_h5out_list_plans(zs_h5_reader *r, hid_t plans, zs_h5_names *l)
{
    return zs_h5_list_ordered(r, plans, "/plans", "list of plans", 1, l);
}

int zs_h5out_read_summary(zs_h5_reader *r, hid_t sumg, zs_h5_plan_overview *po, hid_t st)
{
    zs_plan_summary *s = zs_calloc(1, sizeof *s);
    if (!s)
        return zs_h5_rnomem(r);
    po->summary = s;
    hid_t g = H5Gopen2(sumg, po->name, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "/summary/%s", po->name);
    int rc = -1;
    uint64_t zones = 0;
    const char *a = NULL;
    if (zs_h5_get_attr(g, a = "zones", H5T_NATIVE_UINT64, &zones) < 0 ||
        zs_h5_get_attr(g, a = "work_maxmin", H5T_NATIVE_DOUBLE, &s->work_maxmin) < 0 ||
        zs_h5_get_attr(g, a = "work_cv", H5T_NATIVE_DOUBLE, &s->work_cv) < 0 ||
        zs_h5_get_attr(g, a = "overtime_share", H5T_NATIVE_DOUBLE, &s->overtime_share) < 0) {
        zs_h5_rfail(r, "attribute %s of /summary/%s", a, po->name);
        goto done;
    }
    if (zones != po->k) {
        zs_h5_rfail(r, "/summary/%s (%llu zones, the plan has %zu)", po->name, (unsigned long long)zones,
              po->k);
        goto done;
    }
    s->zones = (size_t)zones;
    for (int m = 0; m < ZS_M_COUNT; m++) {
        const char *name = zs_metric_get(m)->name;
        if (!(s->zone[m] = zs_malloc_array(zones ? zones : 1, sizeof(zs_stat)))) {
            zs_h5_rnomem(r);
            goto done;
        }
        /* Files written before pickups existed lack the pickup metrics
         * (appended at ZS_M_PICKUPS): their runs had none, so zeros; so
         * do runs without the day model its metrics (ZS_M_BASE_COUNT on). */
        if (m >= ZS_M_PICKUPS && H5Lexists(g, name, H5P_DEFAULT) == 0) {
            memset(s->zone[m], 0, (zones ? zones : 1) * sizeof(zs_stat));
            continue;
        }
        if (zs_h5_get_dset(g, name, st, zones, s->zone[m]) < 0) {
            zs_h5_rfail(r, "/summary/%s/%s", po->name, name);
            goto done;
        }
    }
    hsize_t n_rows = ZS_M_COUNT;
    /* An older file has a row per metric of its day (metrics are only ever
     * appended: pickups, straight_km, ...), a run without the day model
     * the base metrics: the rest stays zero (s is zeroed). */
    if (!(zs_h5_dset_len(g, "day_total", &n_rows) == 0 && n_rows >= ZS_M_PICKUPS &&
          n_rows <= ZS_M_BASE_COUNT))
        n_rows = ZS_M_COUNT;
    s->n_metrics = n_rows == ZS_M_COUNT ? ZS_M_COUNT : ZS_M_BASE_COUNT;
    if (zs_h5_get_dset(g, a = "day_total", st, n_rows, s->day) < 0 ||
        zs_h5_get_dset(g, a = "zone_day", st, n_rows, s->zoneday) < 0) {
        zs_h5_rfail(r, "/summary/%s/%s", po->name, a);
        goto done;
    }
    rc = 0;
done:
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "/summary/%s", po->name);
    return rc;
}

static int read_plan(zs_h5_reader *r, hid_t plans, hid_t sumg, const char *name,
                     zs_h5_plan_overview *po, hid_t st)
{
    snprintf(po->name, sizeof po->name, "%s", name);
    hid_t g = H5Gopen2(plans, name, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "/plans/%s", name);
    int rc = -1;
    uint64_t k = 0;
    hsize_t n = 0;
    const char *a = NULL;
    if (zs_h5_get_str_attr(g, a = "method", po->method, sizeof po->method) < 0 ||
        zs_h5_get_str_attr(g, a = "status", po->status, sizeof po->status) < 0 ||
        zs_h5_get_attr(g, a = "k", H5T_NATIVE_UINT64, &k) < 0) {
        zs_h5_rfail(r, "attribute %s of /plans/%s", a, name);
        goto done;
    }
    if (zs_h5_dset_len(g, "zone", &n) < 0) {
        zs_h5_rfail(r, "/plans/%s/zone", name);
        goto done;
    }
    po->n_points = (size_t)n;
    po->balance_met = 1;
    htri_t hb = H5Aexists(g, "balance_met"), hw = H5Aexists(g, "balance_within");
    if (hb < 0 || hw < 0 ||
        (hb > 0 && zs_h5_get_attr(g, a = "balance_met", H5T_NATIVE_INT, &po->balance_met) < 0) ||
        (hw > 0 && zs_h5_get_attr(g, a = "balance_within", H5T_NATIVE_UINT64,
                                  &po->balance_within) < 0)) {
        zs_h5_rfail(r, "attribute balance_met of /plans/%s", name);
        goto done;
    }
    htri_t shaped = H5Aexists(g, "zones_one_piece");
    if (shaped < 0) {
        zs_h5_rfail(r, "attributes of /plans/%s", name);
        goto done;
    }
    if (shaped > 0) {
        po->has_shape = 1;
        if (zs_h5_get_attr(g, a = "zones_one_piece", H5T_NATIVE_UINT64, &po->zones_one_piece) < 0 ||
            zs_h5_get_attr(g, a = "strays", H5T_NATIVE_UINT64, &po->strays) < 0 ||
            zs_h5_get_attr(g, a = "barrier_zones", H5T_NATIVE_UINT64, &po->barrier_zones) < 0 ||
            zs_h5_get_attr(g, a = "hull_overlap", H5T_NATIVE_DOUBLE, &po->hull_overlap) < 0 ||
            zs_h5_get_attr(g, a = "polsby_popper_mean", H5T_NATIVE_DOUBLE,
                           &po->polsby_popper_mean) < 0 ||
            zs_h5_get_attr(g, a = "work_travel_maxdev", H5T_NATIVE_DOUBLE,
                           &po->work_travel_maxdev) < 0) {
            zs_h5_rfail(r, "attribute %s of /plans/%s", a, name);
            goto done;
        }
        htri_t hp = H5Aexists(g, "pockets"), hbz = H5Aexists(g, "bridged_zones");
        htri_t hal = H5Aexists(g, "barrier_zones_alone");
        if ((hp > 0 && zs_h5_get_attr(g, a = "pockets", H5T_NATIVE_UINT64, &po->pockets) < 0) ||
            (hbz > 0 && zs_h5_get_attr(g, a = "bridged_zones", H5T_NATIVE_UINT64,
                                      &po->bridged_zones) < 0) ||
            (hal > 0 && zs_h5_get_attr(g, a = "barrier_zones_alone", H5T_NATIVE_UINT64,
                                      &po->barrier_zones_alone) < 0)) {
            zs_h5_rfail(r, "attribute %s of /plans/%s", a, name);
            goto done;
        }
        /* the parts' bound: territory plans of this engine on */
        if (H5Aexists(g, "part_bound") > 0 &&
            (zs_h5_get_attr(g, a = "parts", H5T_NATIVE_UINT64, &po->parts) < 0 ||
             zs_h5_get_attr(g, a = "part_bound", H5T_NATIVE_DOUBLE, &po->part_bound) < 0 ||
             zs_h5_get_attr(g, a = "k_within", H5T_NATIVE_UINT64, &po->k_within) < 0 ||
             zs_h5_get_attr(g, a = "k_within_dev", H5T_NATIVE_DOUBLE, &po->k_within_dev) < 0)) {
            zs_h5_rfail(r, "attribute %s of /plans/%s", a, name);
            goto done;
        }
    }
    /* Checked before allocating, so a damaged k is reported as such, not
     * as running out of memory. */
    hsize_t nl = 0;
    if (zs_h5_dset_len(g, "label", &nl) < 0 || nl != k) {
        zs_h5_rfail(r, "/plans/%s/label (%llu labels for k = %llu)", name, (unsigned long long)nl,
              (unsigned long long)k);
        goto done;
    }
    char where[160];
    snprintf(where, sizeof where, "/plans/%s", name);
    po->k = (size_t)k; /* before label exists: its entries start NULL, free is safe */
    if (zs_h5_get_strs(r, g, "label", k, &po->label, where) < 0)
        goto done;
    if (sumg >= 0) {
        htri_t has = H5Lexists(sumg, name, H5P_DEFAULT);
        if (has < 0) {
            zs_h5_rfail(r, "/summary/%s", name);
            goto done;
        }
        if (has > 0 && zs_h5out_read_summary(r, sumg, po, st) < 0)
            goto done;
    }
    rc = 0;
done:
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "/plans/%s", name);
    return rc;
}

/* Reads /summary/<name> rows into a new n_plans array (entry 0 zeroed),
 * placing each row by its plan name. */
static int read_paired(zs_h5_reader *r, hid_t sumg, zs_h5_overview *o, const char *name, zs_stat **out)
{
    htri_t has = H5Lexists(sumg, name, H5P_DEFAULT);
    if (has < 0)
        return zs_h5_rfail(r, "/summary/%s", name);
    if (has == 0)
        return 0;
    size_t n = o->n_plans - 1;
    zs_h5out_paired_row *row = zs_malloc_array(n, sizeof *row);
    hid_t t = -1;
    int rc = -1;
    if (!row || !(*out = zs_calloc(o->n_plans, sizeof **out))) {
        zs_h5_rnomem(r);
        goto done;
    }
    if ((t = zs_h5out_paired_type(0)) < 0 || zs_h5_get_dset(sumg, name, t, n, row) < 0) {
        zs_h5_rfail(r, "/summary/%s", name);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        row[i].plan[ZS_H5OUT_NAME_FIELD - 1] = '\0'; /* names are shorter: see ZS_H5_NAME_MAX */
        size_t p = 1;
        while (p < o->n_plans && strcmp(o->plans[p].name, row[i].plan))
            p++;
        if (p == o->n_plans) {
            zs_h5_rfail(r, "/summary/%s (row for unknown plan '%s')", name, row[i].plan);
            goto done;
        }
        (*out)[p] = row[i].s;
    }
    rc = 0;
done:
    if (t >= 0)
        H5Tclose(t);
    zs_free(row);
    return rc;
}

static int read_body(zs_h5_reader *r, hid_t f, zs_h5_overview *o)
{
    const char *a = NULL;
    uint64_t seed = 0, reps = 0, days = 0, n = 0;
    if (zs_h5_get_str_attr(f, a = "engine_version", o->engine_version, sizeof o->engine_version) < 0 ||
        zs_h5_get_str_attr(f, a = "created_utc", o->created_utc, sizeof o->created_utc) < 0 ||
        zs_h5_get_str_attr(f, a = "scenario_name", o->scenario_name, sizeof o->scenario_name) < 0 ||
        zs_h5_get_attr(f, a = "master_seed", H5T_NATIVE_UINT64, &seed) < 0 ||
        zs_h5_get_attr(f, a = "replications", H5T_NATIVE_UINT64, &reps) < 0 ||
        zs_h5_get_attr(f, a = "days", H5T_NATIVE_UINT64, &days) < 0 ||
        zs_h5_get_attr(f, a = "shift_min", H5T_NATIVE_DOUBLE, &o->shift_min) < 0)
        return zs_h5_rfail(r, "attribute %s of /", a);
    o->seed = seed;
    o->reps = (size_t)reps;
    o->days = (size_t)days;
    /* Optional (issue 19): files written before it have no limit recorded. */
    o->max_overtime_min = 0.0;
    htri_t has_limit = H5Aexists(f, "max_overtime_min");
    if (has_limit < 0 ||
        (has_limit > 0 &&
         zs_h5_get_attr(f, a = "max_overtime_min", H5T_NATIVE_DOUBLE, &o->max_overtime_min) < 0))
        return zs_h5_rfail(r, "attribute max_overtime_min of /");
    /* Optional: files written before shards existed are whole runs. */
    o->complete = 1;
    htri_t has_shard = H5Aexists(f, "shard");
    if (has_shard < 0)
        return zs_h5_rfail(r, "attribute shard of /");
    if (has_shard > 0) {
        uint64_t si = 0, sn = 0, rb = 0, re = 0;
        int32_t complete = 0;
        if (zs_h5_get_str_attr(f, a = "shard", o->shard, sizeof o->shard) < 0 ||
            zs_h5_get_attr(f, a = "shard_index", H5T_NATIVE_UINT64, &si) < 0 ||
            zs_h5_get_attr(f, a = "shard_count", H5T_NATIVE_UINT64, &sn) < 0 ||
            zs_h5_get_attr(f, a = "rep_begin", H5T_NATIVE_UINT64, &rb) < 0 ||
            zs_h5_get_attr(f, a = "rep_end", H5T_NATIVE_UINT64, &re) < 0 ||
            zs_h5_get_attr(f, a = "complete", H5T_NATIVE_INT32, &complete) < 0)
            return zs_h5_rfail(r, "attribute %s of /", a);
        o->shard_index = (size_t)si;
        o->shard_count = (size_t)sn;
        o->rep_begin = (size_t)rb;
        o->rep_end = (size_t)re;
        o->complete = complete;
    } else {
        o->rep_end = o->reps;
    }

    hid_t pts = H5Gopen2(f, "points", H5P_DEFAULT);
    if (pts < 0)
        return zs_h5_rfail(r, "/points");
    int ok = zs_h5_get_attr(pts, "n", H5T_NATIVE_UINT64, &n) >= 0;
    if (H5Gclose(pts) < 0)
        ok = 0;
    if (!ok)
        return zs_h5_rfail(r, "attribute n of /points");
    o->n_points = (size_t)n;

    zs_h5_names l = {0};
    hid_t plans = -1, sumg = -1, st = -1;
    int rc = -1;
    if ((plans = H5Gopen2(f, "plans", H5P_DEFAULT)) < 0) {
        zs_h5_rfail(r, "/plans");
        goto done;
    }
    if (zs_h5out_list_plans(r, plans, &l) < 0)
        goto done;
    if (!(o->plans = zs_calloc(l.n ? l.n : 1, sizeof *o->plans))) {
        zs_h5_rnomem(r);
        goto done;
    }
    o->n_plans = l.n;
    htri_t has_sum = H5Lexists(f, "summary", H5P_DEFAULT);
    if (has_sum < 0 || (has_sum > 0 && (sumg = H5Gopen2(f, "summary", H5P_DEFAULT)) < 0)) {
        zs_h5_rfail(r, "/summary");
        goto done;
    }
    if ((st = zs_h5out_stat_type(0)) < 0) {
        zs_h5_rfail(r, "/summary (statistics type)");
        goto done;
    }
    for (size_t i = 0; i < l.n; i++)
        if (read_plan(r, plans, sumg, l.name[i], &o->plans[i], st) < 0)
            goto done;
    if (sumg >= 0 && o->n_plans >= 2 &&
        (read_paired(r, sumg, o, "paired_work_min", &o->paired_work) < 0 ||
         read_paired(r, sumg, o, "paired_overtime_min", &o->paired_overtime) < 0))
        goto done;
    rc = 0;
done:
    if (st >= 0)
        H5Tclose(st);
    if (sumg >= 0 && H5Gclose(sumg) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "/summary");
    if (plans >= 0 && H5Gclose(plans) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "/plans");
    zs_h5_names_free(&l);
    return rc;
}

zs_status zs_h5out_read_overview(const char *path, zs_h5_overview **out, zs_err *err)
{
    if (!path || !out)
        return ZS_INTERNAL(err, "zs_h5out_read_overview: NULL path or out");
    *out = NULL;
    hid_t f;
    int version;
    zs_status st0 = zs_h5_open_results(path, &f, &version, err);
    if (st0 != ZS_OK)
        return st0;

    zs_h5_reader r = {path, err, ZS_OK};
    zs_h5_overview *o = NULL;
    if (!(o = zs_calloc(1, sizeof *o))) {
        zs_h5_rnomem(&r);
        goto done;
    }
    o->layout_version = version;
    if (read_body(&r, f, o) < 0)
        goto done;
done:
    if (H5Fclose(f) < 0 && r.st == ZS_OK)
        r.st = zs_err_set(err, ZS_EIO, "%s: cannot close the HDF5 file", path);
    if (r.st != ZS_OK) {
        zs_h5_overview_free(o);
        return r.st;
    }
    *out = o;
    return ZS_OK;
}

void zs_h5_overview_free(zs_h5_overview *o)
{
    if (!o)
        return;
    for (size_t p = 0; p < o->n_plans; p++) {
        zs_h5_plan_overview *po = &o->plans[p];
        if (po->label)
            for (size_t z = 0; z < po->k; z++)
                zs_free(po->label[z]);
        zs_free(po->label);
        if (po->summary)
            for (int m = 0; m < ZS_M_COUNT; m++)
                zs_free(po->summary->zone[m]);
        zs_free(po->summary);
    }
    zs_free(o->plans);
    zs_free(o->paired_work);
    zs_free(o->paired_overtime);
    zs_free(o);
}
