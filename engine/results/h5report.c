/*
 * engine/results/h5report.c -- reading for `zonesim report`
 * (engine/results/h5report.h): the parts a results file has, each zone's
 * expected work and each plan's simulated courier-days.
 */
#include "results/h5report.h"

#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "results/h5util.h"

/* 1 when link name exists under loc (a failed query counts as missing:
 * the report then says the part is missing, which is what it is to us). */
static int has_link(hid_t loc, const char *name)
{
    return H5Lexists(loc, name, H5P_DEFAULT) > 0;
}

zs_status zs_h5out_probe(const char *path, zs_h5_probe *out, zs_err *err)
{
    memset(out, 0, sizeof *out);
    hid_t f;
    zs_status st = zs_h5_open_results(path, &f, &out->layout_version, err);
    if (st != ZS_OK)
        return st;
    /* Optional attributes: a missing one leaves "". */
    if (zs_h5_get_str_attr(f, "kind", out->kind, sizeof out->kind) < 0)
        out->kind[0] = '\0';
    if (zs_h5_get_str_attr(f, "engine_version", out->engine_version,
                           sizeof out->engine_version) < 0)
        out->engine_version[0] = '\0';
    if (zs_h5_get_str_attr(f, "created_utc", out->created_utc, sizeof out->created_utc) < 0)
        out->created_utc[0] = '\0';
    if (zs_h5_get_str_attr(f, "scenario_name", out->scenario_name, sizeof out->scenario_name) < 0)
        out->scenario_name[0] = '\0';
    out->has_points = has_link(f, "points");
    out->has_plans = has_link(f, "plans");
    out->has_sim = has_link(f, "sim");
    out->has_summary = has_link(f, "summary");
    out->has_staffing = has_link(f, "staffing");
    out->has_barriers = has_link(f, "barriers");
    out->has_calendar = has_link(f, "calendar");
    if (H5Fclose(f) < 0)
        return zs_err_set(err, ZS_EIO, "%s: cannot close the HDF5 file", path);
    return ZS_OK;
}

zs_status zs_h5out_read_zone_expected(const char *path, const char *plan, size_t k,
                                      double *work_min, int *found, zs_err *err)
{
    *found = 0;
    hid_t f;
    int version;
    zs_status st = zs_h5_open_results(path, &f, &version, err);
    if (st != ZS_OK)
        return st;
    zs_h5_reader r = {path, err, ZS_OK};
    char gpath[160];
    snprintf(gpath, sizeof gpath, "/plans/%s", plan);
    hid_t g = has_link(f, "plans") && has_link(f, gpath) ? H5Gopen2(f, gpath, H5P_DEFAULT) : -1;
    double *door = NULL, *travel = NULL;
    if (g >= 0 && has_link(g, "zone_door_min") && has_link(g, "zone_travel_min")) {
        if (!(door = zs_malloc_array(k ? k : 1, sizeof *door)) ||
            !(travel = zs_malloc_array(k ? k : 1, sizeof *travel)))
            zs_h5_rnomem(&r);
        else if (zs_h5_get_dset(g, "zone_door_min", H5T_NATIVE_DOUBLE, k, door) < 0)
            zs_h5_rfail(&r, "%s/zone_door_min", gpath);
        else if (zs_h5_get_dset(g, "zone_travel_min", H5T_NATIVE_DOUBLE, k, travel) < 0)
            zs_h5_rfail(&r, "%s/zone_travel_min", gpath);
        else {
            for (size_t z = 0; z < k; z++)
                work_min[z] = door[z] + travel[z];
            *found = 1;
        }
    }
    zs_free(door);
    zs_free(travel);
    if (g >= 0)
        H5Gclose(g);
    if (H5Fclose(f) < 0 && r.st == ZS_OK)
        r.st = zs_err_set(err, ZS_EIO, "%s: cannot close the HDF5 file", path);
    return r.st;
}

/* The 3-d dataset name of g opened with its dims, or -1 (recorded). */
static hid_t open_3d(zs_h5_reader *r, hid_t g, const char *where, const char *name, hsize_t dims[3])
{
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    if (d < 0) {
        zs_h5_rfail(r, "%s/%s", where, name);
        return -1;
    }
    hid_t sp = H5Dget_space(d);
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 3 &&
             H5Sget_simple_extent_dims(sp, dims, NULL) == 3;
    if (sp >= 0)
        H5Sclose(sp);
    if (!ok) {
        H5Dclose(d);
        zs_h5_rfail(r, "%s/%s", where, name);
        return -1;
    }
    return d;
}

/* Replication rep (days x zones doubles) of the open 3-d dataset d into buf. */
static int read_rep(hid_t d, const hsize_t dims[3], hsize_t rep, double *buf)
{
    hsize_t start[3] = {rep, 0, 0}, count[3] = {1, dims[1], dims[2]};
    hid_t fs = H5Dget_space(d), ms = H5Screate_simple(3, count, NULL);
    int ok = fs >= 0 && ms >= 0 &&
             H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
             H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, buf) >= 0;
    if (ms >= 0)
        H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
    return ok ? 0 : -1;
}

zs_status zs_h5out_scan_courier_days(const char *path, const char *plan, zs_h5_days_fn fn,
                                     void *ctx, int *found, zs_err *err)
{
    *found = 0;
    hid_t f;
    int version;
    zs_status st = zs_h5_open_results(path, &f, &version, err);
    if (st != ZS_OK)
        return st;
    zs_h5_reader r = {path, err, ZS_OK};
    char gpath[160];
    snprintf(gpath, sizeof gpath, "/sim/%s", plan);
    hid_t g = -1, dw = -1, da = -1;
    hsize_t dims[3] = {0, 0, 0}, adims[3] = {0, 0, 0};
    double *work = NULL, *absent = NULL;
    if (!has_link(f, "sim") || !has_link(f, gpath))
        goto done;
    if ((g = H5Gopen2(f, gpath, H5P_DEFAULT)) < 0) {
        zs_h5_rfail(&r, "%s", gpath);
        goto done;
    }
    if ((dw = open_3d(&r, g, gpath, "work_min", dims)) < 0)
        goto done;
    if (has_link(g, "absent")) {
        if ((da = open_3d(&r, g, gpath, "absent", adims)) < 0)
            goto done;
        if (memcmp(dims, adims, sizeof dims) != 0) {
            zs_h5_rfail(&r, "%s/absent (shape differs from work_min)", gpath);
            goto done;
        }
    }
    size_t cells = (size_t)(dims[1] * dims[2]);
    if (!(work = zs_malloc_array(cells ? cells : 1, sizeof *work)) ||
        (da >= 0 && !(absent = zs_malloc_array(cells ? cells : 1, sizeof *absent)))) {
        zs_h5_rnomem(&r);
        goto done;
    }
    *found = 1;
    for (hsize_t rep = 0; rep < dims[0]; rep++) {
        if (read_rep(dw, dims, rep, work) < 0 || (da >= 0 && read_rep(da, dims, rep, absent) < 0)) {
            zs_h5_rfail(&r, "%s (replication %llu)", gpath, (unsigned long long)rep);
            break;
        }
        if (fn(ctx, work, absent, cells) != 0) {
            zs_h5_rnomem(&r);
            break;
        }
    }
done:
    zs_free(work);
    zs_free(absent);
    if (da >= 0)
        H5Dclose(da);
    if (dw >= 0)
        H5Dclose(dw);
    if (g >= 0)
        H5Gclose(g);
    if (H5Fclose(f) < 0 && r.st == ZS_OK)
        r.st = zs_err_set(err, ZS_EIO, "%s: cannot close the HDF5 file", path);
    return r.st;
}
