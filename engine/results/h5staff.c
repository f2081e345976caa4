/*
 * engine/results/h5staff.c -- writing /staffing in HDF5: the requirement
 * table's compound type, the per-plan groups (requirement, roster, nested)
 * of a results file or of a staffing file of its own, and the staffing
 * file itself (see h5staff.h; layout in results/README.md).  Reading it
 * back is engine/results/h5staff_read.c; what `zonesim staff` reads from a
 * results file is engine/results/h5staff_source.c.
 */
#include "results/h5staff_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "results/h5out.h"
#include "results/version.h"

/* ---- the requirement table -------------------------------------------- */

typedef struct {
    const char *name;
    size_t offset;
    int kind; /* 0 string (size), 1 int32, 2 int64, 3 double */
    size_t size;
} field;

static const field req_fields[] = {
    {"name", offsetof(zs_h5staff_req_row, name), 0, 16},
    {"days", offsetof(zs_h5staff_req_row, days), 0, 32},
    {"n_obs", offsetof(zs_h5staff_req_row, n_obs), 2, 8},
    {"stops_mean", offsetof(zs_h5staff_req_row, stops_mean), 3, 8},
    {"capacity_rule", offsetof(zs_h5staff_req_row, capacity_rule), 1, 4},
    {"work_mean_min", offsetof(zs_h5staff_req_row, work_mean_min), 3, 8},
    {"work_q_min", offsetof(zs_h5staff_req_row, work_q_min), 3, 8},
    {"busiest_q_min", offsetof(zs_h5staff_req_row, busiest_q_min), 3, 8},
    {"imbalance_mean", offsetof(zs_h5staff_req_row, imbalance_mean), 3, 8},
    {"required", offsetof(zs_h5staff_req_row, required), 1, 4},
    {"required_even", offsetof(zs_h5staff_req_row, required_even), 1, 4},
    {"overrun_share_k", offsetof(zs_h5staff_req_row, overrun_share_k), 3, 8},
    {"peak", offsetof(zs_h5staff_req_row, peak), 1, 4},
};
#define N_REQ_FIELDS (sizeof req_fields / sizeof req_fields[0])

/* The compound type of the table: packed little-endian in the file, the
 * C struct in memory.  -1 on failure. */
hid_t zs_h5staff_req_type(int file)
{
    size_t size = 0;
    for (size_t i = 0; i < N_REQ_FIELDS; i++)
        size += req_fields[i].size;
    hid_t t = H5Tcreate(H5T_COMPOUND, file ? size : sizeof(zs_h5staff_req_row));
    if (t < 0)
        return -1;
    size_t off = 0;
    int ok = 1;
    for (size_t i = 0; i < N_REQ_FIELDS && ok; i++) {
        const field *f = &req_fields[i];
        hid_t ft = -1;
        int owned = 0;
        switch (f->kind) {
        case 0:
            ft = H5Tcopy(H5T_C_S1);
            owned = 1;
            ok = ft >= 0 && H5Tset_size(ft, f->size) >= 0 && H5Tset_strpad(ft, H5T_STR_NULLPAD) >= 0;
            break;
        case 1: ft = file ? H5T_STD_I32LE : H5T_NATIVE_INT32; break;
        case 2: ft = file ? H5T_STD_I64LE : H5T_NATIVE_INT64; break;
        default: ft = file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE; break;
        }
        if (ok && H5Tinsert(t, f->name, file ? off : f->offset, ft) < 0)
            ok = 0;
        if (owned && ft >= 0 && H5Tclose(ft) < 0)
            ok = 0;
        off += f->size;
    }
    if (!ok) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* ---- writing ------------------------------------------------------------- */

static int write_requirement(zs_h5_writer *w, hid_t g, const char *plan,
                             const zs_staffing_report *r)
{
    hsize_t n = (hsize_t)r->n_types;
    zs_h5staff_req_row row[ZS_STAFF_MAX_TYPES];
    memset(row, 0, sizeof row); /* NUL padding */
    for (int t = 0; t < r->n_types; t++) {
        const zs_staffing_type *ty = &r->type[t];
        snprintf(row[t].name, sizeof row[t].name, "%s", ty->name);
        memcpy(row[t].days, ty->days, strnlen(ty->days, sizeof row[t].days));
        row[t].n_obs = (int64_t)ty->n_obs;
        row[t].stops_mean = ty->stops_mean;
        row[t].capacity_rule = ty->capacity_rule;
        row[t].work_mean_min = ty->work_mean_min;
        row[t].work_q_min = ty->work_q_min;
        row[t].busiest_q_min = ty->busiest_q_min;
        row[t].imbalance_mean = ty->imbalance_mean;
        row[t].required = ty->required;
        row[t].required_even = ty->required_even;
        row[t].overrun_share_k = ty->overrun_share_k;
        row[t].peak = ty->peak;
    }
    hid_t ft = zs_h5staff_req_type(1), mt = zs_h5staff_req_type(0), d = -1;
    int rc = -1;
    if (ft >= 0 && mt >= 0 &&
        (d = zs_h5_put_dset_open(g, "requirement", ft, mt, 1, &n, H5P_DEFAULT, row, NULL)) >= 0 &&
        zs_h5_put_str(d, "description",
                      "one row per day type: couriers needed so that at most a share risk of "
                      "the type's simulated days has a courier past shift + overtime "
                      "(engine/staffing.h); minutes are per day") >= 0)
        rc = 0;
    if (d >= 0 && H5Dclose(d) < 0)
        rc = -1;
    if (ft >= 0)
        H5Tclose(ft);
    if (mt >= 0)
        H5Tclose(mt);
    if (rc < 0)
        zs_h5_wfail(w, "/staffing/%s/requirement", plan);
    return rc;
}

static int write_roster(zs_h5_writer *w, hid_t pg, const char *plan, const zs_staffing_report *r)
{
    const zs_roster *ro = r->roster;
    const zs_roster_opts *o = &r->opts.roster;
    hsize_t D = (hsize_t)ro->days, dims[2] = {(hsize_t)ro->couriers, (hsize_t)ro->days};
    hsize_t nc = (hsize_t)ro->couriers;
    char *text = zs_malloc_array(D ? D : 1, 11);
    char **date = zs_malloc_array(D ? D : 1, sizeof *date);
    int64_t *day = zs_malloc_array(D ? D : 1, sizeof *day);
    int8_t *wd = zs_malloc_array(D ? D : 1, sizeof *wd);
    hid_t g = -1;
    int rc = -1;
    const char *a = "";
    if (!text || !date || !day || !wd) {
        zs_h5_wnomem(w);
        goto done;
    }
    for (hsize_t d = 0; d < D; d++) {
        day[d] = r->roster_first_day + (int64_t)d;
        date[d] = text + 11 * d;
        zs_date_format(zs_date_from_days(day[d]), date[d]);
        wd[d] = (int8_t)zs_date_weekday(day[d]);
    }
    if ((g = H5Gcreate2(pg, "roster", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/staffing/%s/roster", plan);
        goto done;
    }
    char stext[48];
    if (zs_h5_put_str(g, a = "status", zs_mip_status_text(ro->status, ro->gap, stext, sizeof stext)) < 0 ||
        zs_h5_put_i32(g, a = "solved", ro->solved) < 0 ||
        zs_h5_put_f64(g, a = "objective", ro->objective) < 0 ||
        zs_h5_put_f64(g, a = "bound", ro->bound) < 0 || zs_h5_put_f64(g, a = "gap", ro->gap) < 0 ||
        zs_h5_put_f64(g, a = "runtime_s", ro->runtime_s) < 0 ||
        zs_h5_put_i32(g, a = "nodes", ro->nodes) < 0 ||
        zs_h5_put_u64(g, a = "lines", ro->n_lines) < 0 ||
        zs_h5_put_u64(g, a = "columns", ro->n_columns) < 0 ||
        zs_h5_put_u64(g, a = "couriers", ro->couriers) < 0 ||
        zs_h5_put_f64(g, a = "courier_cost_total", ro->courier_cost_total) < 0 ||
        zs_h5_put_f64(g, a = "temp_cost_total", ro->temp_cost_total) < 0 ||
        zs_h5_put_str(g, a = "message", ro->message) < 0 ||
        zs_h5_put_i32(g, a = "weeks", o->weeks) < 0 ||
        zs_h5_put_i32(g, a = "days_per_week", o->days_per_week) < 0 ||
        zs_h5_put_i32(g, a = "max_consecutive", o->max_consecutive) < 0 ||
        zs_h5_put_i32(g, a = "consecutive_off", o->consecutive_off) < 0 ||
        zs_h5_put_i32(g, a = "weekend_off_min", o->weekend_off_min) < 0 ||
        zs_h5_put_f64(g, a = "courier_cost", o->courier_cost) < 0 ||
        zs_h5_put_f64(g, a = "temp_cost", o->temp_cost) < 0 ||
        zs_h5_put_i32(g, a = "temp_max", o->temp_max) < 0 ||
        zs_h5_put_i32(g, a = "pool_max", o->pool_max) < 0 ||
        zs_h5_put_f64(g, a = "time_limit_s", o->time_limit_s) < 0) {
        zs_h5_wfail(w, "attribute %s of /staffing/%s/roster", a, plan);
        goto done;
    }
    if (zs_h5_put_dset(g, a = "schedule", H5T_STD_I8LE, H5T_NATIVE_INT8, 2, dims, ro->schedule,
                       "1") < 0 ||
        zs_h5_put_dset(g, a = "line", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &nc, ro->line_of, "1") < 0 ||
        zs_h5_put_dset(g, a = "day", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &D, day,
                       "days since 1970-01-01") < 0 ||
        zs_h5_put_str_dset(g, a = "date", date, D) < 0 ||
        zs_h5_put_dset(g, a = "weekday", H5T_STD_I8LE, H5T_NATIVE_INT8, 1, &D, wd, NULL) < 0 ||
        zs_h5_put_dset(g, a = "day_type", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &D, r->roster_type,
                       NULL) < 0 ||
        zs_h5_put_dset(g, a = "required", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &D, ro->required,
                       "1") < 0 ||
        zs_h5_put_dset(g, a = "covered", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &D, ro->covered,
                       "1") < 0 ||
        zs_h5_put_dset(g, a = "temps", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &D, ro->temps, "1") < 0 ||
        zs_h5_put_dset(g, a = "temp_ok", H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, &D, ro->temp_ok, NULL) < 0) {
        zs_h5_wfail(w, "/staffing/%s/roster/%s", plan, a);
        goto done;
    }
    rc = 0;
done:
    if (g >= 0 && H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/staffing/%s/roster", plan);
    zs_free(text);
    zs_free(date);
    zs_free(day);
    zs_free(wd);
    return rc;
}

static int put_figures(hid_t g, const char *suffix, const zs_nested_figures *f, const char **a)
{
    char name[64];
    struct { const char *n; double v; } v[] = {
        {"sse_m2", f->sse_m2}, {"balance_maxdev", f->balance_maxdev},
        {"balance_maxmin", f->balance_maxmin}, {"balance_cv", f->balance_cv},
        {"tour_km", f->tour_km},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        snprintf(name, sizeof name, "%s_%s", v[i].n, suffix);
        *a = v[i].n;
        if (zs_h5_put_f64(g, name, v[i].v) < 0)
            return -1;
    }
    return 0;
}

static int write_nested(zs_h5_writer *w, hid_t pg, const char *plan, const zs_nested *nb)
{
    hid_t g = H5Gcreate2(pg, "nested", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/staffing/%s/nested", plan);
    int rc = -1;
    const char *a = "";
    hsize_t kh = nb->k_heavy, n = nb->n;
    char stext[48];
    if (zs_h5_put_u64(g, a = "k_heavy", nb->k_heavy) < 0 ||
        zs_h5_put_u64(g, a = "k_light", nb->k_light) < 0 ||
        zs_h5_put_str(g, a = "status", zs_mip_status_text(nb->status, nb->gap, stext, sizeof stext)) < 0 ||
        zs_h5_put_f64(g, a = "objective", nb->objective) < 0 ||
        zs_h5_put_f64(g, a = "bound", nb->bound) < 0 || zs_h5_put_f64(g, a = "gap", nb->gap) < 0 ||
        zs_h5_put_f64(g, a = "runtime_s", nb->runtime_s) < 0 ||
        zs_h5_put_f64(g, a = "tolerance_used", nb->tolerance_used) < 0 ||
        zs_h5_put_i32(g, a = "programs", nb->programs) < 0 ||
        zs_h5_put_f64(g, a = "sse_ratio", nb->sse_ratio) < 0 ||
        put_figures(g, "nested", &nb->nested, &a) < 0 || put_figures(g, "free", &nb->free, &a) < 0) {
        zs_h5_wfail(w, "attribute %s of /staffing/%s/nested", a, plan);
        goto done;
    }
    if (zs_h5_put_dset(g, a = "group", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &kh, nb->group, NULL) < 0 ||
        (nb->light && zs_h5_put_dset(g, a = "light_zone", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n,
                                     nb->light->zone, NULL) < 0) ||
        (nb->free_plan && zs_h5_put_dset(g, a = "free_zone", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n,
                                         nb->free_plan->zone, NULL) < 0)) {
        zs_h5_wfail(w, "/staffing/%s/nested/%s", plan, a);
        goto done;
    }
    rc = 0;
done:
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/staffing/%s/nested", plan);
    return rc;
}

static int write_plan(zs_h5_writer *w, hid_t sg, const char *plan, int order,
                      const zs_staffing_report *r)
{
    hid_t g = H5Gcreate2(sg, plan, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/staffing/%s", plan);
    int rc = -1;
    const char *a = "";
    int32_t tow[7];
    for (int i = 0; i < 7; i++)
        tow[i] = r->type_of_weekday[i];
    if (zs_h5_put_i32(g, a = "order", order) < 0 || zs_h5_put_u64(g, a = "k", r->k) < 0 ||
        zs_h5_put_f64(g, a = "risk", r->opts.risk) < 0 ||
        zs_h5_put_f64(g, a = "overtime_h", r->opts.overtime_h) < 0 ||
        zs_h5_put_f64(g, a = "shift_min", r->shift_min) < 0 ||
        zs_h5_put_f64(g, a = "capacity_min", r->capacity_min) < 0 ||
        zs_h5_put_f64(g, a = "stops_per_hour", r->stops_per_hour) < 0 ||
        zs_h5_put_i32(g, a = "by_weekday", r->opts.by_weekday) < 0 ||
        zs_h5_put_f64(g, a = "mode_gap", r->opts.mode_gap) < 0 ||
        zs_h5_put_i32(g, a = "temp_peak_only", r->opts.temp_peak_only) < 0 ||
        zs_h5_put_attr(g, a = "type_of_weekday", H5T_STD_I32LE, H5T_NATIVE_INT32, 7, tow) < 0 ||
        zs_h5_put_attr(g, a = "roster_first_day", H5T_STD_I64LE, H5T_NATIVE_INT64, 0, &r->roster_first_day) < 0 ||
        zs_h5_put_str(g, a = "nested_note", r->nested_note) < 0) {
        zs_h5_wfail(w, "attribute %s of /staffing/%s", a, plan);
        goto done;
    }
    if (write_requirement(w, g, plan, r) < 0 || write_roster(w, g, plan, r) < 0 ||
        (r->nested && write_nested(w, g, plan, r->nested) < 0))
        goto done;
    rc = 0;
done:
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/staffing/%s", plan);
    return rc;
}

int zs_h5staff_write_section(zs_h5_writer *w, hid_t f, size_t n, const char *const *plan,
                             const zs_staffing_report *const *rep)
{
    hid_t sg = H5Gcreate2(f, "staffing", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (sg < 0)
        return zs_h5_wfail(w, "/staffing");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (rep[i])
            rc = write_plan(w, sg, plan[i], (int)i, rep[i]);
    if (H5Gclose(sg) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/staffing");
    return rc;
}

int zs_h5staff_write_results(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    if (!r->staffing)
        return 0;
    const char **names = zs_calloc(r->n_plans ? r->n_plans : 1, sizeof *names);
    if (!names)
        return zs_h5_wnomem(w);
    for (size_t i = 0; i < r->n_plans; i++)
        names[i] = r->plans[i].name;
    int rc = zs_h5staff_write_section(w, f, r->n_plans, names, r->staffing);
    zs_free(names);
    return rc;
}

typedef struct {
    const char *source;
    size_t n;
    const char *const *plan;
    const zs_staffing_report *const *rep;
} file_ctx;

static int staffing_body(zs_h5_writer *w, hid_t f, const void *vctx)
{
    const file_ctx *c = vctx;
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
        !strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(created, sizeof created, "unknown");
    const char *a = "";
    if (zs_h5_put_i32(f, a = "layout_version", ZS_H5_LAYOUT) < 0 ||
        zs_h5_put_str(f, a = "kind", "staffing") < 0 ||
        zs_h5_put_str(f, a = "engine_version", ZS_VERSION) < 0 ||
        zs_h5_put_str(f, a = "git_commit", zs_git_commit) < 0 ||
        zs_h5_put_str(f, a = "source_results", c->source) < 0 ||
        zs_h5_put_str(f, a = "created_utc", created) < 0)
        return zs_h5_wfail(w, "attribute %s of /", a);
    return zs_h5staff_write_section(w, f, c->n, c->plan, c->rep);
}

zs_status zs_h5staff_write(const char *path, const char *source, size_t n,
                           const char *const *plan, const zs_staffing_report *const *rep,
                           zs_err *err)
{
    file_ctx c = {source, n, plan, rep};
    return zs_h5_write_file(path, staffing_body, &c, err);
}
