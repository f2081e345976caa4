/*
 * engine/results/h5out.c -- the results file: layout version ZS_H5_LAYOUT, as
 * documented in results/README.md.
 *
 * Handle discipline: every hid_t is opened and closed inside the function
 * that needs it, each with one cleanup block, so a failure anywhere unwinds
 * through ordinary returns and leaves no object open (tests check
 * H5Fget_obj_count after every call).  Small helpers return 0 or -1 and say
 * nothing; the stage that called them knows which object it was writing and
 * puts its name into err.
 *
 * This file writes what every results file holds once (the root's
 * provenance, /points, /calendar, /models), checks a zs_results before
 * anything is created, and drives the stages; also the calibration file.
 * The per-plan groups (/plans, /sim, /summary) are engine/results/h5out_plans.c,
 * the readers engine/results/h5out_read.c (overview) and
 * engine/results/h5out_read_plan.c (one plan, for export).
 */
#include "results/h5out.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <gsl/gsl_version.h>
#include <hdf5.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "models/ptype.h"
#include "models/rng.h"
#include "results/h5out_internal.h"
#include "results/h5service_internal.h"
#include "results/h5staff_internal.h"
#include "results/h5util.h"
#include "results/version.h"

/* ---- versions and process-wide queries ------------------------------- */

#define ZS_STR_(x) #x
#define ZS_STR(x) ZS_STR_(x)

/* The headers' version.  H5open() refuses to run against a library whose
 * version differs from the headers (H5check_version), so this is also what
 * H5get_libversion reports; a constant string needs no mutable state. */
static const char hdf5_version[] =
    ZS_STR(H5_VERS_MAJOR) "." ZS_STR(H5_VERS_MINOR) "." ZS_STR(H5_VERS_RELEASE);

const char *zs_h5out_library_version(void)
{
    return hdf5_version;
}

void zs_h5out_silence(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

long zs_h5out_open_objects(void)
{
    return (long)H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL);
}

/* ---- the zs_h5_writer --------------------------------------------------------- */

int zs_h5out_valid_name(const char *s)
{
    return s && *s && strcmp(s, ".") && strcmp(s, "..") && !strchr(s, '/');
}

/* Everything that would make the file inconsistent is refused before the
 * file is created. */
static zs_status validate(const char *path, const zs_results *r, zs_err *err)
{
    if (!path || !*path)
        return zs_err_set(err, ZS_EINVAL, "results file name is empty");
    if (!r || !r->points)
        return zs_err_set(err, ZS_EINVAL, "%s: no results or no points to write", path);
    const zs_points *pts = r->points;
    if (pts->n && (!pts->id || !pts->x || !pts->y || !pts->type || !pts->parcels))
        return ZS_INTERNAL(err, "%s: points arrays missing", path);
    if (pts->n && pts->has_lonlat && (!pts->lon || !pts->lat))
        return ZS_INTERNAL(err, "%s: points have has_lonlat but no lon/lat", path);
    if (pts->zone && pts->n_zone_labels && !pts->zone_label)
        return ZS_INTERNAL(err, "%s: points have zones but no zone labels", path);
    if (r->days && !r->day_number)
        return ZS_INTERNAL(err, "%s: %zu days but no day numbers", path, r->days);
    if (r->n_plans && !r->plans)
        return ZS_INTERNAL(err, "%s: %zu plans but no plan array", path, r->n_plans);
    for (size_t i = 0; i < r->n_plans; i++) {
        const zs_h5_plan *pl = &r->plans[i];
        if (!zs_h5out_valid_name(pl->name))
            return zs_err_set(err, ZS_EINVAL,
                              "%s: plan name '%s' is not a valid results-file group name "
                              "(it must be non-empty, not '.' or '..', without '/')",
                              path, pl->name ? pl->name : "");
        if (strlen(pl->name) > ZS_H5_NAME_MAX)
            return zs_err_set(err, ZS_EINVAL, "%s: plan name '%s' is longer than %d bytes", path,
                              pl->name, ZS_H5_NAME_MAX);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(r->plans[j].name, pl->name))
                return zs_err_set(err, ZS_EINVAL, "%s: plan name '%s' is used twice", path, pl->name);
        const zs_partition *pa = pl->part;
        if (!pa || pa->n != pts->n)
            return ZS_INTERNAL(err, "%s: plan '%s' does not cover the %zu points", path, pl->name,
                               pts->n);
        if (pa->k && (!pa->label || !pa->cx || !pa->cy))
            return ZS_INTERNAL(err, "%s: plan '%s' lacks labels or centres", path, pl->name);
        for (size_t j = 0; j < pa->n; j++)
            if (pa->zone[j] < 0 || (size_t)pa->zone[j] >= pa->k)
                return ZS_INTERNAL(err, "%s: plan '%s': point %zu has zone %d outside 0..%zu", path,
                                   pl->name, j, (int)pa->zone[j], pa->k ? pa->k - 1 : 0);
        const zs_sim_result *s = pl->sim;
        if (s) {
            if (s->zones != pa->k || s->days != r->days)
                return ZS_INTERNAL(err, "%s: plan '%s': simulation has %zu days x %zu zones, expected %zu x %zu",
                                   path, pl->name, s->days, s->zones, r->days, pa->k);
            for (int m = 0; m < ZS_M_COUNT; m++)
                if (!s->v[m] && s->reps && s->days && s->zones)
                    return ZS_INTERNAL(err, "%s: plan '%s': metric %d missing", path, pl->name, m);
        }
        const zs_plan_summary *su = pl->summary;
        if (su) {
            if (su->zones != pa->k)
                return ZS_INTERNAL(err, "%s: plan '%s': summary has %zu zones, plan %zu", path,
                                   pl->name, su->zones, pa->k);
            for (int m = 0; m < ZS_M_COUNT; m++)
                if (!su->zone[m] && su->zones)
                    return ZS_INTERNAL(err, "%s: plan '%s': summary of metric %d missing", path,
                                       pl->name, m);
        }
    }
    if (r->shard_count) {
        if (r->shard_index >= r->shard_count || r->rep_begin >= r->rep_end || r->rep_end > r->reps)
            return ZS_INTERNAL(err, "%s: shard %zu/%zu of replications [%zu, %zu) of %zu", path,
                               r->shard_index, r->shard_count, r->rep_begin, r->rep_end, r->reps);
        for (size_t i = 0; i < r->n_plans; i++) {
            const zs_sim_result *s = r->plans[i].sim;
            if (s && (s->rep_begin != r->rep_begin || s->reps != r->rep_end - r->rep_begin))
                return ZS_INTERNAL(err, "%s: plan '%s': shard rows [%zu, +%zu) are not [%zu, %zu)",
                                   path, r->plans[i].name, s->rep_begin, s->reps, r->rep_begin,
                                   r->rep_end);
        }
    }
    for (int m = 0; m < ZS_M_COUNT; m++)
        if (!zs_metric_get(m))
            return ZS_INTERNAL(err, "metric %d has no name", m);
    return ZS_OK;
}

static int write_root(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
        !strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(created, sizeof created, "unknown");
    const char *a = NULL;
    /* `a = "..."` inside the chain records which attribute failed. */
    if (zs_h5_put_i32(f, a = "layout_version", ZS_H5_LAYOUT) < 0 ||
        zs_h5_put_str(f, a = "engine_version", ZS_VERSION) < 0 ||
        zs_h5_put_str(f, a = "git_commit", zs_git_commit) < 0 ||
        zs_h5_put_str(f, a = "scenario_text", r->scenario_text) < 0 ||
        zs_h5_put_str(f, a = "scenario_path", r->scenario_path) < 0 ||
        zs_h5_put_str(f, a = "scenario_name", r->scenario_name) < 0 ||
        zs_h5_put_u64(f, a = "master_seed", r->seed) < 0 ||
        zs_h5_put_str(f, a = "rng", ZS_RNG_NAME) < 0 ||
        zs_h5_put_i32(f, a = "rng_key_version", ZS_RNG_KEY_VERSION) < 0 ||
        zs_h5_put_str(f, a = "gsl_version", GSL_VERSION) < 0 ||
        zs_h5_put_str(f, a = "hdf5_version", zs_h5out_library_version()) < 0 ||
        zs_h5_put_str(f, a = "created_utc", created) < 0 ||
        zs_h5_put_u64(f, a = "replications", r->reps) < 0 ||
        zs_h5_put_u64(f, a = "days", r->days) < 0 ||
        zs_h5_put_f64(f, a = "shift_min", r->shift_min) < 0 ||
        zs_h5_put_f64(f, a = "max_overtime_min", r->max_overtime_min) < 0)
        return zs_h5_wfail(w, "attribute %s of /", a);
    return 0;
}

/* Whole run or shard: a shard says which, with its replication range,
 * and is never "complete" (results/README.md, "Shards"). */
int zs_h5out_write_shard_attrs(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    const char *a = NULL;
    if (!r->shard_count) {
        if (zs_h5_put_i32(f, a = "complete", 1) < 0)
            return zs_h5_wfail(w, "attribute %s of /", a);
        return 0;
    }
    char shard[48];
    snprintf(shard, sizeof shard, "%zu/%zu", r->shard_index, r->shard_count);
    if (zs_h5_put_i32(f, a = "complete", 0) < 0 || zs_h5_put_str(f, a = "shard", shard) < 0 ||
        zs_h5_put_u64(f, a = "shard_index", r->shard_index) < 0 ||
        zs_h5_put_u64(f, a = "shard_count", r->shard_count) < 0 ||
        zs_h5_put_u64(f, a = "rep_begin", r->rep_begin) < 0 ||
        zs_h5_put_u64(f, a = "rep_end", r->rep_end) < 0)
        return zs_h5_wfail(w, "attribute %s of /", a);
    return 0;
}

static int write_points(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    const zs_points *p = r->points;
    hsize_t n = p->n;
    const char *names[ZS_PT_COUNT];
    for (int t = 0; t < ZS_PT_COUNT; t++)
        names[t] = zs_ptype_name(t);
    hid_t g = H5Gcreate2(f, "points", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/points");
    int rc = -1;
    const char *a = NULL;
    hid_t d = -1;
    if (zs_h5_put_f64(g, a = "depot_x_m", r->depot_x) < 0 || zs_h5_put_f64(g, a = "depot_y_m", r->depot_y) < 0 ||
        zs_h5_put_u64(g, a = "n", p->n) < 0 ||
        (p->has_lonlat && (zs_h5_put_f64(g, a = "lon0", p->lon0) < 0 || zs_h5_put_f64(g, a = "lat0", p->lat0) < 0)) ||
        (p->n_skipped && zs_h5_put_u64(g, a = "rows_skipped", p->n_skipped) < 0) ||
        (p->n_unassigned && zs_h5_put_u64(g, a = "zone_unassigned", p->n_unassigned) < 0)) {
        zs_h5_wfail(w, "attribute %s of /points", a);
        goto done;
    }
    if (zs_h5_put_str_dset(g, a = "id", p->id, n) < 0 ||
        zs_h5_put_dset(g, a = "x_m", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, p->x, "m") < 0 ||
        zs_h5_put_dset(g, a = "y_m", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, p->y, "m") < 0 ||
        (d = zs_h5_put_dset_open(g, a = "type", H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, &n, H5P_DEFAULT, p->type,
                           NULL)) < 0 ||
        zs_h5_put_strs(d, "names", names, ZS_PT_COUNT) < 0 ||
        zs_h5_put_dset(g, a = "parcels_mean", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, p->parcels,
                 "parcels/day") < 0 ||
        (p->has_lonlat &&
         (zs_h5_put_dset(g, a = "lon", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, p->lon, "degree") < 0 ||
          zs_h5_put_dset(g, a = "lat", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, p->lat, "degree") < 0))) {
        zs_h5_wfail(w, "/points/%s", a);
        goto done;
    }
    if (p->road &&
        zs_h5_put_dset(g, a = "road_factor", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, p->road,
                       "1") < 0) {
        zs_h5_wfail(w, "/points/%s", a);
        goto done;
    }
    if (r->workload_min &&
        zs_h5_put_dset(g, a = "workload_min", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, r->workload_min,
                 "min/day") < 0) {
        zs_h5_wfail(w, "/points/%s", a);
        goto done;
    }
    if (p->zone) {
        hsize_t nl = p->n_zone_labels;
        if (zs_h5_put_dset(g, a = "zone_given", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, p->zone, NULL) < 0 ||
            zs_h5_put_str_dset(g, a = "zone_given_label", p->zone_label, nl) < 0) {
            zs_h5_wfail(w, "/points/%s", a);
            goto done;
        }
    }
    rc = 0;
done:
    if (d >= 0 && H5Dclose(d) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/points/type");
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/points");
    return rc;
}

/* Per-type parameters as a [ZS_PT_COUNT] dataset named by type (attribute
 * names lists the types in order, as /points/type does). */
static int put_per_type(hid_t g, const char *name, const double *v, const char *units)
{
    const char *names[ZS_PT_COUNT];
    for (int t = 0; t < ZS_PT_COUNT; t++)
        names[t] = zs_ptype_name(t);
    hsize_t n = ZS_PT_COUNT;
    hid_t d = zs_h5_put_dset_open(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, H5P_DEFAULT, v, units);
    if (d < 0)
        return -1;
    int rc = zs_h5_put_strs(d, "names", names, ZS_PT_COUNT);
    if (H5Dclose(d) < 0)
        rc = -1;
    return rc;
}

/* /models: the parameters the simulation ran with, so a results file
 * explains itself without its scenario text. */
static int write_models(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    if (!r->demand && !r->eff && !r->signing && !r->waiting)
        return 0;
    hid_t g = H5Gcreate2(f, "models", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/models");
    hid_t sub = -1;
    const char *a = "";
    int rc = -1;
    if (r->demand) {
        const zs_demand_opts *d = r->demand;
        hsize_t ne = d->n_events;
        int64_t first[ZS_DEMAND_MAX_EVENTS];
        int32_t days[ZS_DEMAND_MAX_EVENTS];
        double factor[ZS_DEMAND_MAX_EVENTS];
        for (size_t e = 0; e < d->n_events; e++) {
            first[e] = d->events[e].first_day;
            days[e] = d->events[e].days;
            factor[e] = d->events[e].factor;
        }
        if ((sub = H5Gcreate2(g, a = "demand", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
            zs_h5_put_attr(sub, a = "weekday_factor", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 7, d->weekday_factor) < 0 ||
            zs_h5_put_attr(sub, a = "month_factor", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 12, d->month_factor) < 0 ||
            zs_h5_put_f64(sub, a = "nb_size", d->nb_size) < 0 ||
            zs_h5_put_f64(sub, a = "pickup_release_end_h", d->pickup_release_end_h) < 0 ||
            zs_h5_put_f64(sub, a = "pickup_promise_h", d->pickup_promise_h) < 0 ||
            put_per_type(sub, a = "pickup_rate", d->pickup_rate, "requests/day") < 0 ||
            zs_h5_put_dset(sub, a = "event_first_day", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &ne, first,
                     "days since 1970-01-01") < 0 ||
            zs_h5_put_dset(sub, a = "event_days", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &ne, days, "days") < 0 ||
            zs_h5_put_dset(sub, a = "event_factor", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &ne, factor, "1") < 0)
            goto fail;
        if (zs_h5_end_group(&sub) < 0)
            goto fail;
    }
    if (r->eff) {
        const zs_efficiency *e = r->eff;
        if ((sub = H5Gcreate2(g, a = "efficiency", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
            zs_h5_put_f64(sub, a = "stops_per_hour", e->stops_per_hour) < 0 ||
            zs_h5_put_f64(sub, a = "speed_kmh", e->speed_kmh) < 0 ||
            zs_h5_put_f64(sub, a = "circuity", e->circuity) < 0 ||
            zs_h5_put_f64(sub, a = "stop_min", e->stop_min) < 0 ||
            zs_h5_put_f64(sub, a = "parcel_min", e->parcel_min) < 0 ||
            zs_h5_put_f64(sub, a = "bulk_parcel_min", e->bulk_parcel_min) < 0 ||
            zs_h5_put_f64(sub, a = "courier_cv", e->courier_cv) < 0 ||
            zs_h5_put_f64(sub, a = "pickup_min", r->pickup_min) < 0 ||
            put_per_type(sub, a = "access_min", e->access_min, "min") < 0)
            goto fail;
        if (zs_h5_end_group(&sub) < 0)
            goto fail;
    }
    if (r->signing) {
        double off[ZS_PT_COUNT]; /* effective: "same" written as the all-day value */
        for (int t = 0; t < ZS_PT_COUNT; t++)
            off[t] = r->signing->p_success_off[t] == ZS_SIGNING_SAME ? r->signing->p_success[t]
                                                                     : r->signing->p_success_off[t];
        if ((sub = H5Gcreate2(g, a = "signing", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
            zs_h5_put_f64(sub, a = "call_min", r->signing->call_min) < 0 ||
            zs_h5_put_f64(sub, a = "work_start_h", r->signing->work_start_h) < 0 ||
            zs_h5_put_f64(sub, a = "work_end_h", r->signing->work_end_h) < 0 ||
            put_per_type(sub, a = "p_success_off_hours", off, "1") < 0 ||
            put_per_type(sub, a = "p_success", r->signing->p_success, "1") < 0 ||
            put_per_type(sub, a = "p_locker", r->signing->p_locker, "1") < 0 ||
            put_per_type(sub, a = "p_refuse", r->signing->p_refuse, "1") < 0)
            goto fail;
        if (zs_h5_end_group(&sub) < 0)
            goto fail;
    }
    if (r->waiting) {
        if ((sub = H5Gcreate2(g, a = "waiting", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
            put_per_type(sub, a = "mean_min", r->waiting->mean_min, "min") < 0 ||
            put_per_type(sub, a = "cv", r->waiting->cv, "1") < 0)
            goto fail;
        if (zs_h5_end_group(&sub) < 0)
            goto fail;
    }
    if (r->absence) {
        if ((sub = H5Gcreate2(g, a = "absence", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
            zs_h5_put_f64(sub, a = "rate", r->absence->rate) < 0)
            goto fail;
        if (zs_h5_end_group(&sub) < 0)
            goto fail;
    }
    if (r->fleet) {
        const char *kinds[ZS_VEH_COUNT];
        double speed[ZS_VEH_COUNT], cv[ZS_VEH_COUNT], cap[ZS_VEH_COUNT];
        for (int k = 0; k < ZS_VEH_COUNT; k++) {
            kinds[k] = zs_vehicle_name(k);
            speed[k] = r->fleet->kind[k].speed_kmh;
            cv[k] = r->fleet->kind[k].speed_cv;
            cap[k] = r->fleet->kind[k].capacity;
        }
        hsize_t nk = ZS_VEH_COUNT;
        if ((sub = H5Gcreate2(g, a = "vehicle", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
            zs_h5_put_f64(sub, a = "reload_min", r->fleet->reload_min) < 0 ||
            zs_h5_put_strs(sub, a = "kinds", kinds, nk) < 0 ||
            (r->plan_vehicle && r->n_plans &&
             zs_h5_put_strs(sub, a = "plan_vehicle", r->plan_vehicle, r->n_plans) < 0) ||
            zs_h5_put_dset(sub, a = "speed_kmh", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &nk, speed, "km/h") < 0 ||
            zs_h5_put_dset(sub, a = "speed_cv", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &nk, cv, "1") < 0 ||
            zs_h5_put_dset(sub, a = "capacity", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &nk, cap, "parcels") < 0)
            goto fail;
        if (zs_h5_end_group(&sub) < 0)
            goto fail;
    }
    rc = 0;
fail:
    if (rc < 0)
        zs_h5_wfail(w, "/models (%s)", a);
    if (sub >= 0 && H5Gclose(sub) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/models");
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/models");
    return rc;
}

static int write_calendar(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    hsize_t n = r->days;
    char *text = zs_malloc_array(n ? n : 1, 11);
    char **date = zs_malloc_array(n ? n : 1, sizeof *date);
    int8_t *wd = zs_malloc_array(n ? n : 1, sizeof *wd);
    int rc = -1;
    hid_t g = -1;
    if (!text || !date || !wd) {
        zs_h5_wnomem(w);
        goto done;
    }
    for (size_t d = 0; d < n; d++) {
        date[d] = text + 11 * d;
        zs_date_format(zs_date_from_days(r->day_number[d]), date[d]);
        wd[d] = (int8_t)zs_date_weekday(r->day_number[d]);
    }
    if ((g = H5Gcreate2(f, "calendar", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/calendar");
        goto done;
    }
    const char *a = NULL;
    if (zs_h5_put_dset(g, a = "day", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &n, r->day_number,
                 "days since 1970-01-01") < 0 ||
        zs_h5_put_str_dset(g, a = "date", date, n) < 0 ||
        zs_h5_put_dset(g, a = "weekday", H5T_STD_I8LE, H5T_NATIVE_INT8, 1, &n, wd, NULL) < 0) {
        zs_h5_wfail(w, "/calendar/%s", a);
        goto done;
    }
    rc = 0;
done:
    if (g >= 0 && H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/calendar");
    zs_free(text);
    zs_free(date);
    zs_free(wd);
    return rc;
}

/* /barriers: segments [n][4] (x0, y0, x1, y1, m) and feature [n], when
 * the run had barriers (maps draw them). */
static int write_barriers(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    if (!r->n_barrier_seg)
        return 0;
    hid_t g = H5Gcreate2(f, "barriers", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/barriers");
    hsize_t dims[2] = {r->n_barrier_seg, 4};
    const char *a = NULL;
    int rc = 0;
    if (zs_h5_put_dset(g, a = "segments", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dims,
                       r->barrier_seg, "m") < 0 ||
        zs_h5_put_dset(g, a = "feature", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dims,
                       r->barrier_feature, NULL) < 0)
        rc = zs_h5_wfail(w, "/barriers/%s", a);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/barriers");
    return rc;
}

/* /network: what the street network was (attributes), when there was one. */
static int write_network(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    if (!r->net_osm)
        return 0;
    hid_t g = H5Gcreate2(f, "network", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/network");
    int bad = zs_h5_put_str(g, "osm", r->net_osm) < 0 ||
              zs_h5_put_str(g, "profile", r->net_profile) < 0 ||
              zs_h5_put_u64(g, "nodes", r->net_nodes) < 0 ||
              zs_h5_put_u64(g, "segments", r->net_segments) < 0 ||
              zs_h5_put_u64(g, "parts", r->net_parts) < 0 ||
              zs_h5_put_u64(g, "nodes_dropped", r->net_nodes_dropped) < 0 ||
              zs_h5_put_f64(g, "km", r->net_km) < 0 ||
              zs_h5_put_f64(g, "snap_mean_m", r->net_snap_mean_m) < 0 ||
              zs_h5_put_f64(g, "snap_max_m", r->net_snap_max_m) < 0 ||
              zs_h5_put_f64(g, "detour", r->net_detour) < 0;
    int rc = bad ? zs_h5_wfail(w, "/network attributes") : 0;
    hsize_t dims[2] = {r->net_segments, 4};
    const char *a = NULL;
    if (rc == 0 && r->net_segments && r->street_seg &&
        (zs_h5_put_dset(g, a = "streets", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dims,
                        r->street_seg, "m") < 0 ||
         zs_h5_put_dset(g, a = "street_class", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dims,
                        r->street_class, NULL) < 0))
        rc = zs_h5_wfail(w, "/network/%s", a);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/network");
    return rc;
}

static int write_body(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    if (write_root(w, f, r) < 0 || zs_h5out_write_shard_attrs(w, f, r) < 0 ||
        write_points(w, f, r) < 0 || write_calendar(w, f, r) < 0 || write_models(w, f, r) < 0 ||
        write_barriers(w, f, r) < 0 || write_network(w, f, r) < 0)
        return -1;
    int rc = zs_h5out_write_plans(w, f, r);
    if (rc == 0)
        rc = zs_h5out_write_sim_summary(w, f, r);
    if (rc == 0)
        rc = zs_h5staff_write_results(w, f, r); /* /staffing, when computed */
    if (rc == 0)
        rc = zs_h5service_write_results(w, f, r); /* /service, when computed */
    return rc;
}

static int results_body(zs_h5_writer *w, hid_t f, const void *ctx)
{
    return write_body(w, f, ctx);
}

zs_status zs_h5out_write(const char *path, const zs_results *res, zs_err *err)
{
    zs_status st = validate(path, res, err);
    if (st != ZS_OK)
        return st;
    return zs_h5_write_file(path, results_body, res, err);
}

/* A calibration file: provenance, the fitted demand model in /models and
 * the calibration's own findings in /models/calibration, and the points
 * with their fitted means. */
typedef struct {
    const zs_points *points;
    const zs_demand_fit *fit;
    const char *history_path;
} calib_ctx;

static int calibration_body(zs_h5_writer *w, hid_t f, const void *vctx)
{
    const calib_ctx *c = vctx;
    const zs_demand_fit *fit = c->fit;
    zs_demand_opts d;
    zs_demand_opts_defaults(&d);
    memcpy(d.weekday_factor, fit->weekday_factor, sizeof d.weekday_factor);
    d.nb_size = fit->nb_size;
    if (fit->pickup_mean)
        zs_demand_pickup_rates(fit->n_points, c->points->type, fit->pickup_mean, d.pickup_rate,
                               NULL);
    zs_points pts = *c->points; /* shallow: only parcels differ */
    pts.parcels = fit->mean;
    zs_results r;
    memset(&r, 0, sizeof r);
    r.points = &pts;
    r.demand = &d;
    r.scenario_path = c->history_path;
    const char *a = "";
    if (write_root(w, f, &r) < 0 || zs_h5_put_str(f, a = "kind", "calibration") < 0 ||
        write_points(w, f, &r) < 0 || write_models(w, f, &r) < 0)
        return -1;
    hid_t g = H5Gcreate2(f, "models/calibration", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/models/calibration");
    int32_t mode[7];
    for (int i = 0; i < 7; i++)
        mode[i] = fit->mode_of_weekday[i];
    hsize_t seven = 7;
    int rc = 0;
    if (zs_h5_put_dset(g, a = "weekday_mean", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &seven,
                 fit->weekday_mean, "parcels/day") < 0 ||
        zs_h5_put_dset(g, a = "representative_day", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &seven,
                 fit->representative, "days since 1970-01-01") < 0 ||
        zs_h5_put_dset(g, a = "mode_of_weekday", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &seven, mode, NULL) < 0 ||
        zs_h5_put_u64(g, a = "days_seen", fit->days_seen) < 0 ||
        zs_h5_put_u64(g, a = "days_excluded", fit->days_excluded) < 0 ||
        zs_h5_put_u64(g, a = "days_outlier", fit->days_outlier) < 0 ||
        zs_h5_put_u64(g, a = "days_used", fit->days_used) < 0 ||
        zs_h5_put_i32(g, a = "n_modes", fit->n_modes) < 0)
        rc = zs_h5_wfail(w, "/models/calibration/%s", a);
    hsize_t np = fit->n_points;
    if (rc == 0 && fit->pickup_mean &&
        zs_h5_put_dset(g, a = "pickups_mean", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &np,
                       fit->pickup_mean, "requests/day") < 0)
        rc = zs_h5_wfail(w, "/models/calibration/%s", a);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/models/calibration");
    return rc;
}

zs_status zs_h5out_write_calibration(const char *path, const zs_points *points,
                                     const zs_demand_fit *fit, const char *history_path,
                                     zs_err *err)
{
    if (fit->n_points != points->n)
        return ZS_INTERNAL(err, "calibration of %zu points for %zu points", fit->n_points, points->n);
    calib_ctx c = {points, fit, history_path};
    return zs_h5_write_file(path, calibration_body, &c, err);
}
