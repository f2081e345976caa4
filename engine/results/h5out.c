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
#include "results/h5staff_internal.h"
#include "results/h5util.h"
#include "results/version.h"

/* Fixed width of the plan-name fields of the paired tables (see
 * ZS_H5_NAME_MAX: names fit with a NUL to spare). */
#define NAME_FIELD (ZS_H5_NAME_MAX + 1)

/* /sim chunks aim at 512 KiB, inside STYLE.md's 0.1-1 MiB band: big enough
 * for deflate to pay off, small enough that reading one replication's slice
 * does not inflate megabytes it does not need. */
#define CHUNK_TARGET_BYTES ((hsize_t)512 * 1024)
#define CHUNK_MAX_BYTES ((hsize_t)1024 * 1024)
#define DEFLATE_LEVEL 4

typedef struct {
    char plan[NAME_FIELD];
    char baseline[NAME_FIELD];
    zs_stat s;
} paired_row;

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

/* ---- types ------------------------------------------------------------ */

/* A new fixed-width, NUL-padded UTF-8 string type of NAME_FIELD bytes. */
static hid_t name_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, NAME_FIELD) < 0 || H5Tset_strpad(t, H5T_STR_NULLPAD) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Inserts the zs_stat fields, in zs_stat order, at byte offset base of the
 * compound t, each of type member (native double in memory, IEEE LE in the
 * file; the offsets are the same on every platform we build on). */
static int insert_stat_fields(hid_t t, size_t base, hid_t member)
{
    static const struct {
        const char *name;
        size_t off;
    } f[] = {
        {"mean", offsetof(zs_stat, mean)}, {"sd", offsetof(zs_stat, sd)},
        {"ci_lo", offsetof(zs_stat, ci_lo)}, {"ci_hi", offsetof(zs_stat, ci_hi)},
        {"p10", offsetof(zs_stat, p10)}, {"p50", offsetof(zs_stat, p50)},
        {"p90", offsetof(zs_stat, p90)}, {"min", offsetof(zs_stat, min)},
        {"max", offsetof(zs_stat, max)},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (H5Tinsert(t, f[i].name, base + f[i].off, member) < 0)
            return -1;
    return 0;
}

/* Compound of one zs_stat; file = 1 gives the on-disk (little-endian) type. */
static hid_t stat_type(int file)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(zs_stat));
    if (t < 0)
        return -1;
    if (insert_stat_fields(t, 0, file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Compound of one paired_row: plan, baseline, then the zs_stat fields. */
static hid_t paired_type(int file)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(paired_row));
    hid_t s = name_type();
    int ok = t >= 0 && s >= 0 && H5Tinsert(t, "plan", offsetof(paired_row, plan), s) >= 0 &&
             H5Tinsert(t, "baseline", offsetof(paired_row, baseline), s) >= 0 &&
             insert_stat_fields(t, offsetof(paired_row, s), file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE) >= 0;
    if (s >= 0 && H5Tclose(s) < 0)
        ok = 0;
    if (!ok && t >= 0) {
        H5Tclose(t);
        t = -1;
    }
    return ok ? t : -1;
}

/* ---- writing helpers (0 or -1; no messages) ---------------------------- */

/* ---- the zs_h5_writer --------------------------------------------------------- */

static int valid_name(const char *s)
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
        if (!valid_name(pl->name))
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
        zs_h5_put_f64(f, a = "shift_min", r->shift_min) < 0)
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
        (p->has_lonlat && (zs_h5_put_f64(g, a = "lon0", p->lon0) < 0 || zs_h5_put_f64(g, a = "lat0", p->lat0) < 0))) {
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

static int write_plan(zs_h5_writer *w, hid_t plans, const zs_results *r, size_t i)
{
    const zs_h5_plan *pl = &r->plans[i];
    const zs_partition *pa = pl->part;
    hsize_t n = pa->n, k = pa->k;
    int64_t *count = zs_calloc(k ? k : 1, sizeof *count);
    double *parcels = zs_calloc(k ? k : 1, sizeof *parcels);
    hid_t g = -1;
    int rc = -1;
    if (!count || !parcels) {
        zs_h5_wnomem(w);
        goto done;
    }
    /* Summed in point order, so the bits do not depend on anything else. */
    for (size_t j = 0; j < pa->n; j++) {
        count[pa->zone[j]]++;
        parcels[pa->zone[j]] += r->points->parcels[j];
    }
    if ((g = H5Gcreate2(plans, pl->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/plans/%s", pl->name);
        goto done;
    }
    const char *a = NULL;
    if (zs_h5_put_i32(g, a = "order", (int32_t)i) < 0 || zs_h5_put_str(g, a = "method", pa->method) < 0 ||
        zs_h5_put_str(g, a = "status", pa->status) < 0 || zs_h5_put_u64(g, a = "k", pa->k) < 0 ||
        zs_h5_put_f64(g, a = "objective", pa->objective) < 0 ||
        zs_h5_put_i32(g, a = "iterations", pa->iterations) < 0 ||
        zs_h5_put_i32(g, a = "converged", pa->converged) < 0 ||
        zs_h5_put_f64(g, a = "runtime_s", pa->runtime_s) < 0 ||
        zs_h5_put_f64(g, a = "tolerance", pa->tolerance) < 0 ||
        zs_h5_put_i32(g, a = "balance_met", pa->balance_met) < 0 ||
        zs_h5_put_f64(g, a = "balance_maxdev", pa->balance_maxdev) < 0 ||
        zs_h5_put_u64(g, a = "moves", pa->moves) < 0 ||
        zs_h5_put_u64(g, a = "merged", pa->merged) < 0 ||
        zs_h5_put_i32(g, a = "exact", pa->exact) < 0 ||
        zs_h5_put_f64(g, a = "mip_bound", pa->mip_bound) < 0 ||
        zs_h5_put_f64(g, a = "mip_gap", pa->mip_gap) < 0) {
        zs_h5_wfail(w, "attribute %s of /plans/%s", a, pl->name);
        goto done;
    }
    if (zs_h5_put_dset(g, a = "zone", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, pa->zone, NULL) < 0 ||
        zs_h5_put_str_dset(g, a = "label", pa->label, k) < 0 ||
        zs_h5_put_dset(g, a = "centre_x_m", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k, pa->cx, "m") < 0 ||
        zs_h5_put_dset(g, a = "centre_y_m", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k, pa->cy, "m") < 0 ||
        zs_h5_put_dset(g, a = "n_points", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &k, count, "1") < 0 ||
        zs_h5_put_dset(g, a = "parcels_mean", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k, parcels,
                 "parcels/day") < 0) {
        zs_h5_wfail(w, "/plans/%s/%s", pl->name, a);
        goto done;
    }
    rc = 0;
done:
    if (g >= 0 && H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/plans/%s", pl->name);
    zs_free(count);
    zs_free(parcels);
    return rc;
}

/* Chunk shape of a reps x days x zones metric: whole replications while
 * one replication fits in CHUNK_MAX_BYTES, else runs of days of one. */
static void sim_chunk(const hsize_t dims[3], hsize_t c[3])
{
    hsize_t rep_bytes = dims[1] * dims[2] * sizeof(double);
    if (rep_bytes <= CHUNK_MAX_BYTES) {
        hsize_t rc = CHUNK_TARGET_BYTES / rep_bytes;
        c[0] = rc < 1 ? 1 : rc > dims[0] ? dims[0] : rc;
        c[1] = dims[1];
    } else {
        hsize_t dc = CHUNK_TARGET_BYTES / (dims[2] * sizeof(double));
        c[0] = 1;
        c[1] = dc < 1 ? 1 : dc > dims[1] ? dims[1] : dc;
    }
    c[2] = dims[2];
}

static int write_sim(zs_h5_writer *w, hid_t simg, const zs_h5_plan *pl, int threads)
{
    const zs_sim_result *s = pl->sim;
    hsize_t dims[3] = {s->reps, s->days, s->zones}, chunk[3];
    int rc = -1;
    hid_t dcpl = -1, d = -1;
    zs_h5_packed *pk = NULL;
    hid_t g = H5Gcreate2(simg, pl->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/sim/%s", pl->name);
    if (zs_h5_put_u64(g, "rep_begin", s->rep_begin) < 0) {
        zs_h5_wfail(w, "attribute rep_begin of /sim/%s", pl->name);
        goto done;
    }
    if ((dcpl = H5Pcreate(H5P_DATASET_CREATE)) < 0) {
        zs_h5_wfail(w, "/sim/%s (dataset creation properties)", pl->name);
        goto done;
    }
    /* An empty dataset cannot be chunked (chunk sides must be >= 1 and
     * <= the fixed extent); it stays contiguous. */
    if (dims[0] && dims[1] && dims[2]) {
        sim_chunk(dims, chunk);
        if (H5Pset_chunk(dcpl, 3, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
            H5Pset_deflate(dcpl, DEFLATE_LEVEL) < 0) {
            zs_h5_wfail(w, "/sim/%s (chunking and compression)", pl->name);
            goto done;
        }
        /* Compressed on all the run's threads, written by this one
         * (engine/h5chunk.c); the same bytes HDF5's filters would store. */
        int nomem = 0;
        pk = zs_h5_pack_f64(ZS_M_COUNT, (const double *const *)s->v, dims, chunk, DEFLATE_LEVEL,
                            threads, &nomem);
        if (!pk && nomem) {
            zs_h5_wnomem(w);
            goto done;
        }
    }
    for (int m = 0; m < ZS_M_COUNT; m++) {
        const zs_metric_info *mi = zs_metric_get(m);
        if (pk)
            d = zs_h5_put_packed_open(g, mi->name, pk, (size_t)m, dcpl, mi->unit);
        else
            d = zs_h5_put_dset_open(g, mi->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, dims, dcpl,
                                    s->v[m], mi->unit);
        if (d < 0 || zs_h5_put_str(d, "description", mi->help) < 0) {
            zs_h5_wfail(w, "/sim/%s/%s", pl->name, mi->name);
            goto done;
        }
        herr_t e = H5Dclose(d);
        d = -1;
        if (e < 0) {
            zs_h5_wfail(w, "/sim/%s/%s", pl->name, mi->name);
            goto done;
        }
    }
    rc = 0;
done:
    zs_h5_packed_free(pk);
    if (d >= 0)
        H5Dclose(d);
    if (dcpl >= 0 && H5Pclose(dcpl) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/sim/%s (dataset creation properties)", pl->name);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/sim/%s", pl->name);
    return rc;
}

/* A [ZS_M_COUNT] table of stats in metric order with its metric names and
 * units as attributes. */
static int put_metric_table(hid_t g, const char *name, hid_t ft, hid_t mt, const zs_stat *st)
{
    const char *names[ZS_M_COUNT], *units[ZS_M_COUNT];
    for (int m = 0; m < ZS_M_COUNT; m++) {
        names[m] = zs_metric_get(m)->name;
        units[m] = zs_metric_get(m)->unit;
    }
    hsize_t n = ZS_M_COUNT;
    hid_t d = zs_h5_put_dset_open(g, name, ft, mt, 1, &n, H5P_DEFAULT, st, NULL);
    if (d < 0)
        return -1;
    int rc = zs_h5_put_strs(d, "metrics", names, n) < 0 || zs_h5_put_strs(d, "units", units, n) < 0 ? -1 : 0;
    if (H5Dclose(d) < 0)
        rc = -1;
    return rc;
}

static int write_summary(zs_h5_writer *w, hid_t sumg, const zs_h5_plan *pl, hid_t ft, hid_t mt)
{
    const zs_plan_summary *s = pl->summary;
    hsize_t zones = s->zones;
    int rc = -1;
    hid_t g = H5Gcreate2(sumg, pl->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/summary/%s", pl->name);
    const char *a = NULL;
    if (zs_h5_put_f64(g, a = "work_maxmin", s->work_maxmin) < 0 || zs_h5_put_f64(g, a = "work_cv", s->work_cv) < 0 ||
        zs_h5_put_f64(g, a = "overtime_share", s->overtime_share) < 0 ||
        zs_h5_put_u64(g, a = "zones", s->zones) < 0) {
        zs_h5_wfail(w, "attribute %s of /summary/%s", a, pl->name);
        goto done;
    }
    for (int m = 0; m < ZS_M_COUNT; m++) {
        const zs_metric_info *mi = zs_metric_get(m);
        hid_t d = zs_h5_put_dset_open(g, mi->name, ft, mt, 1, &zones, H5P_DEFAULT, s->zone[m], mi->unit);
        int ok = d >= 0 && zs_h5_put_str(d, "description", mi->help) >= 0;
        if (d >= 0 && H5Dclose(d) < 0)
            ok = 0;
        if (!ok) {
            zs_h5_wfail(w, "/summary/%s/%s", pl->name, mi->name);
            goto done;
        }
    }
    if (put_metric_table(g, a = "day_total", ft, mt, s->day) < 0 ||
        put_metric_table(g, a = "zone_day", ft, mt, s->zoneday) < 0) {
        zs_h5_wfail(w, "/summary/%s/%s", pl->name, a);
        goto done;
    }
    rc = 0;
done:
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/summary/%s", pl->name);
    return rc;
}

static int write_paired(zs_h5_writer *w, hid_t sumg, const zs_results *r, const char *name,
                        const zs_stat *st, const char *what)
{
    hsize_t n = r->n_plans - 1;
    paired_row *row = zs_calloc(n, sizeof *row); /* zeroed: the NUL padding */
    hid_t ft = -1, mt = -1, d = -1;
    int rc = -1;
    if (!row) {
        zs_h5_wnomem(w);
        goto done;
    }
    /* validate() bounded names to ZS_H5_NAME_MAX bytes, so they fit. */
    for (size_t i = 0; i < n; i++) {
        memcpy(row[i].plan, r->plans[i + 1].name, strlen(r->plans[i + 1].name));
        memcpy(row[i].baseline, r->plans[0].name, strlen(r->plans[0].name));
        row[i].s = st[i + 1];
    }
    if ((ft = paired_type(1)) < 0 || (mt = paired_type(0)) < 0 ||
        (d = zs_h5_put_dset_open(sumg, name, ft, mt, 1, &n, H5P_DEFAULT, row, "min")) < 0 ||
        zs_h5_put_str(d, "description", what) < 0) {
        zs_h5_wfail(w, "/summary/%s", name);
        goto done;
    }
    rc = 0;
done:
    if (d >= 0 && H5Dclose(d) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/summary/%s", name);
    if (ft >= 0)
        H5Tclose(ft);
    if (mt >= 0)
        H5Tclose(mt);
    zs_free(row);
    return rc;
}

/* /sim and /summary: each group created, the per-plan stage called for
 * every plan it applies to, the group closed.  Also what `zonesim merge`
 * writes over the objects it copies (engine/h5merge.c). */
int zs_h5out_write_sim_summary(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    hid_t sim = -1, sum = -1, ft = -1, mt = -1;
    int rc = -1;
    if ((sim = H5Gcreate2(f, "sim", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/sim");
        goto done;
    }
    for (size_t i = 0; i < r->n_plans; i++)
        if (r->plans[i].sim && write_sim(w, sim, &r->plans[i], r->threads) < 0)
            goto done;
    if ((sum = H5Gcreate2(f, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/summary");
        goto done;
    }
    if ((ft = stat_type(1)) < 0 || (mt = stat_type(0)) < 0) {
        zs_h5_wfail(w, "/summary (statistics type)");
        goto done;
    }
    for (size_t i = 0; i < r->n_plans; i++)
        if (r->plans[i].summary && write_summary(w, sum, &r->plans[i], ft, mt) < 0)
            goto done;
    if (r->n_plans >= 2 && r->paired_work &&
        write_paired(w, sum, r, "paired_work_min", r->paired_work,
                     "plan minus baseline: daily total work minutes over all zones, "
                     "mean over days per replication; CI over replications") < 0)
        goto done;
    if (r->n_plans >= 2 && r->paired_overtime &&
        write_paired(w, sum, r, "paired_overtime_min", r->paired_overtime,
                     "plan minus baseline: daily total overtime minutes over all zones, "
                     "mean over days per replication; CI over replications") < 0)
        goto done;
    rc = 0;
done:
    if (ft >= 0)
        H5Tclose(ft);
    if (mt >= 0)
        H5Tclose(mt);
    if (sum >= 0 && H5Gclose(sum) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/summary");
    if (sim >= 0 && H5Gclose(sim) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/sim");
    return rc;
}

static int write_body(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    if (write_root(w, f, r) < 0 || zs_h5out_write_shard_attrs(w, f, r) < 0 ||
        write_points(w, f, r) < 0 || write_calendar(w, f, r) < 0 || write_models(w, f, r) < 0)
        return -1;
    hid_t plans = H5Gcreate2(f, "plans", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (plans < 0)
        return zs_h5_wfail(w, "/plans");
    int rc = -1;
    for (size_t i = 0; i < r->n_plans; i++)
        if (write_plan(w, plans, r, i) < 0)
            goto done;
    rc = 0;
done:
    if (H5Gclose(plans) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/plans");
    if (rc == 0)
        rc = zs_h5out_write_sim_summary(w, f, r);
    if (rc == 0)
        rc = zs_h5staff_write_results(w, f, r); /* /staffing, when computed */
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

/* ---- reading helpers (0 or -1; no messages) ---------------------------- */

/* ---- the zs_h5_reader --------------------------------------------------------- */

/* Lists the plan groups of /plans into l, sorted by their order
 * attribute (scenario order). */
static int list_plans(zs_h5_reader *r, hid_t plans, zs_h5_names *l)
{
    return zs_h5_list_ordered(r, plans, "/plans", "list of plans", 1, l);
}

static int read_summary(zs_h5_reader *r, hid_t sumg, zs_h5_plan_overview *po, hid_t st)
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
         * (appended at ZS_M_PICKUPS): their runs had none, so zeros. */
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
    if (zs_h5_dset_len(g, "day_total", &n_rows) == 0 && n_rows == ZS_M_PICKUPS)
        n_rows = ZS_M_PICKUPS; /* an older file: the rest stays zero (s is zeroed) */
    else
        n_rows = ZS_M_COUNT;
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
        if (has > 0 && read_summary(r, sumg, po, st) < 0)
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
    paired_row *row = zs_malloc_array(n, sizeof *row);
    hid_t t = -1;
    int rc = -1;
    if (!row || !(*out = zs_calloc(o->n_plans, sizeof **out))) {
        zs_h5_rnomem(r);
        goto done;
    }
    if ((t = paired_type(0)) < 0 || zs_h5_get_dset(sumg, name, t, n, row) < 0) {
        zs_h5_rfail(r, "/summary/%s", name);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        row[i].plan[NAME_FIELD - 1] = '\0'; /* names are shorter: see ZS_H5_NAME_MAX */
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
    if (list_plans(r, plans, &l) < 0)
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
    if ((st = stat_type(0)) < 0) {
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
    if (valid_name(name) && strlen(name) <= ZS_H5_NAME_MAX &&
        (has = H5Lexists(plans, name, H5P_DEFAULT)) < 0) {
        zs_h5_rfail(r, "/plans/%s", name);
        goto done;
    }
    if (has > 0) {
        rc = 0;
        goto done;
    }
    if (list_plans(r, plans, &l) < 0)
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
    uint64_t moves = 0, merged = 0;
    struct { const char *name; hid_t type; void *dst; } opt[] = {
        {"tolerance", H5T_NATIVE_DOUBLE, &pa->tolerance},
        {"balance_met", H5T_NATIVE_INT, &pa->balance_met},
        {"balance_maxdev", H5T_NATIVE_DOUBLE, &pa->balance_maxdev},
        {"moves", H5T_NATIVE_UINT64, &moves},
        {"merged", H5T_NATIVE_UINT64, &merged},
        {"exact", H5T_NATIVE_INT, &pa->exact},
        {"mip_bound", H5T_NATIVE_DOUBLE, &pa->mip_bound},
        {"mip_gap", H5T_NATIVE_DOUBLE, &pa->mip_gap}};
    for (size_t j = 0; j < sizeof opt / sizeof opt[0]; j++) {
        htri_t has = H5Aexists(g, opt[j].name);
        if (has < 0 || (has > 0 && zs_h5_get_attr(g, opt[j].name, opt[j].type, opt[j].dst) < 0)) {
            zs_h5_rfail(r, "attribute %s of %s", opt[j].name, where);
            goto done;
        }
    }
    pa->moves = (size_t)moves;
    pa->merged = (size_t)merged;
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
    if ((st = stat_type(0)) < 0) {
        zs_h5_rfail(r, "/summary (statistics type)");
        goto done;
    }
    if (read_summary(r, sumg, &po, st) < 0)
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
