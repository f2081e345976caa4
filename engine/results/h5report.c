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

/* Dataset name of group g as a new array of doubles of exactly dims (the
 * first call, with dims zero, takes the dataset's); -1 on failure. */
static int read_3d(zs_h5_reader *r, hid_t g, const char *where, const char *name,
                   hsize_t dims[3], double **out)
{
    *out = NULL;
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    if (d < 0)
        return zs_h5_rfail(r, "%s/%s", where, name);
    hid_t sp = H5Dget_space(d);
    hsize_t got[3] = {0, 0, 0};
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 3 &&
             H5Sget_simple_extent_dims(sp, got, NULL) == 3;
    if (sp >= 0)
        H5Sclose(sp);
    if (ok && dims[0] == 0 && dims[1] == 0 && dims[2] == 0)
        memcpy(dims, got, sizeof got);
    ok = ok && got[0] == dims[0] && got[1] == dims[1] && got[2] == dims[2];
    size_t cells = ok ? (size_t)(got[0] * got[1] * got[2]) : 0;
    double *buf = ok ? zs_malloc_array(cells ? cells : 1, sizeof *buf) : NULL;
    if (ok && !buf) {
        H5Dclose(d);
        return zs_h5_rnomem(r);
    }
    if (ok && cells && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        ok = 0;
    H5Dclose(d);
    if (!ok) {
        zs_free(buf);
        return zs_h5_rfail(r, "%s/%s", where, name);
    }
    *out = buf;
    return 0;
}

zs_status zs_h5out_read_courier_days(const char *path, const char *plan, double **out,
                                     size_t *n, zs_err *err)
{
    *out = NULL;
    *n = 0;
    hid_t f;
    int version;
    zs_status st = zs_h5_open_results(path, &f, &version, err);
    if (st != ZS_OK)
        return st;
    zs_h5_reader r = {path, err, ZS_OK};
    char gpath[160];
    snprintf(gpath, sizeof gpath, "/sim/%s", plan);
    hid_t g = -1;
    double *work = NULL, *absent = NULL;
    hsize_t dims[3] = {0, 0, 0};
    if (has_link(f, "sim") && has_link(f, gpath)) {
        if ((g = H5Gopen2(f, gpath, H5P_DEFAULT)) < 0)
            zs_h5_rfail(&r, "%s", gpath);
        else if (read_3d(&r, g, gpath, "work_min", dims, &work) == 0 && has_link(g, "absent"))
            read_3d(&r, g, gpath, "absent", dims, &absent);
    }
    if (r.st == ZS_OK && work) {
        size_t cells = (size_t)(dims[0] * dims[1] * dims[2]), m = 0;
        for (size_t c = 0; c < cells; c++)
            if (!absent || absent[c] == 0.0)
                work[m++] = work[c];
        *out = work;
        *n = m;
        work = NULL;
    }
    zs_free(work);
    zs_free(absent);
    if (g >= 0)
        H5Gclose(g);
    if (H5Fclose(f) < 0 && r.st == ZS_OK)
        r.st = zs_err_set(err, ZS_EIO, "%s: cannot close the HDF5 file", path);
    if (r.st != ZS_OK) {
        zs_free(*out);
        *out = NULL;
        *n = 0;
    }
    return r.st;
}
