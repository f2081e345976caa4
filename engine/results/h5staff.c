/*
 * engine/results/h5staff.c -- /staffing in HDF5: writing it (results files and
 * staffing files), reading it back, and reading what `zonesim staff` needs
 * from a results file (see h5staff.h; layout in results/README.md).
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
    char name[16];
    char days[32];
    int64_t n_obs;
    double stops_mean;
    int32_t capacity_rule;
    double work_mean_min, work_q_min, busiest_q_min, imbalance_mean;
    int32_t required, required_even;
    double overrun_share_k;
    int32_t peak;
} req_row;

typedef struct {
    const char *name;
    size_t offset;
    int kind; /* 0 string (size), 1 int32, 2 int64, 3 double */
    size_t size;
} field;

static const field req_fields[] = {
    {"name", offsetof(req_row, name), 0, 16},
    {"days", offsetof(req_row, days), 0, 32},
    {"n_obs", offsetof(req_row, n_obs), 2, 8},
    {"stops_mean", offsetof(req_row, stops_mean), 3, 8},
    {"capacity_rule", offsetof(req_row, capacity_rule), 1, 4},
    {"work_mean_min", offsetof(req_row, work_mean_min), 3, 8},
    {"work_q_min", offsetof(req_row, work_q_min), 3, 8},
    {"busiest_q_min", offsetof(req_row, busiest_q_min), 3, 8},
    {"imbalance_mean", offsetof(req_row, imbalance_mean), 3, 8},
    {"required", offsetof(req_row, required), 1, 4},
    {"required_even", offsetof(req_row, required_even), 1, 4},
    {"overrun_share_k", offsetof(req_row, overrun_share_k), 3, 8},
    {"peak", offsetof(req_row, peak), 1, 4},
};
#define N_REQ_FIELDS (sizeof req_fields / sizeof req_fields[0])

/* The compound type of the table: packed little-endian in the file, the
 * C struct in memory.  -1 on failure. */
static hid_t req_type(int file)
{
    size_t size = 0;
    for (size_t i = 0; i < N_REQ_FIELDS; i++)
        size += req_fields[i].size;
    hid_t t = H5Tcreate(H5T_COMPOUND, file ? size : sizeof(req_row));
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
    req_row row[ZS_STAFF_MAX_TYPES];
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
    hid_t ft = req_type(1), mt = req_type(0), d = -1;
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
    if (zs_h5_put_str(g, a = "status", zs_mip_status_name(ro->status)) < 0 ||
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
    if (zs_h5_put_u64(g, a = "k_heavy", nb->k_heavy) < 0 ||
        zs_h5_put_u64(g, a = "k_light", nb->k_light) < 0 ||
        zs_h5_put_str(g, a = "status", zs_mip_status_name(nb->status)) < 0 ||
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

/* ---- reading helpers ------------------------------------------------------ */

/* A variable-length string attribute of any length (zs_malloc'ed), or
 * NULL; *nomem set when memory ran out. */
static char *get_str_dup(hid_t loc, const char *name, int *nomem)
{
    *nomem = 0;
    if (H5Aexists(loc, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    hid_t t = zs_h5_vstr_type(), ft = H5Aget_type(a);
    char *s = NULL, *copy = NULL;
    if (t >= 0 && ft >= 0 && H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0 &&
        H5Aread(a, t, &s) >= 0) {
        copy = zs_strdup(s ? s : "");
        if (!copy)
            *nomem = 1;
    }
    if (s)
        H5free_memory(s);
    if (t >= 0)
        H5Tclose(t);
    if (ft >= 0)
        H5Tclose(ft);
    H5Aclose(a);
    return copy;
}

/* A 1-d array attribute of exactly n elements, as mtype. */
static int get_attr_n(hid_t loc, const char *name, hid_t mtype, hsize_t n, void *buf)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t sp = H5Aget_space(a);
    int ok = sp >= 0 && H5Sget_simple_extent_npoints(sp) == (hssize_t)n && H5Aread(a, mtype, buf) >= 0;
    if (sp >= 0)
        H5Sclose(sp);
    H5Aclose(a);
    return ok ? 0 : -1;
}

/* Reads a 1-d dataset of unknown length into a new array (*n elements of
 * esize bytes; NULL when empty).  -1 on failure (*nomem when memory). */
static int get_dset_any(hid_t loc, const char *name, hid_t mtype, size_t esize, void **out,
                        hsize_t *n, int *nomem)
{
    *out = NULL;
    *nomem = 0;
    if (zs_h5_dset_len(loc, name, n) < 0)
        return -1;
    if (*n == 0)
        return 0;
    void *buf = zs_malloc_array((size_t)*n, esize);
    if (!buf) {
        *nomem = 1;
        return -1;
    }
    if (zs_h5_get_dset(loc, name, mtype, *n, buf) < 0) {
        zs_free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

/* ---- the source of `zonesim staff RESULTS.h5` ---------------------------- */

void zs_h5staff_source_free(zs_h5staff_source *s)
{
    if (!s)
        return;
    zs_free(s->scenario_text);
    zs_free(s->day_number);
    for (size_t i = 0; s->plan && i < s->n_plans; i++)
        zs_free(s->plan[i]);
    zs_free(s->plan);
    zs_free(s->workload_min);
    zs_free(s);
}

/* The groups of /group sorted by their attribute order, then name. */
static int list_ordered(zs_h5_reader *r, hid_t f, const char *group, zs_h5_names *l)
{
    memset(l, 0, sizeof *l);
    char where[64];
    snprintf(where, sizeof where, "/%s", group);
    hid_t g = H5Gopen2(f, group, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "%s", where);
    int rc = zs_h5_list_ordered(r, g, where, "list", 0, l);
    H5Gclose(g);
    return rc;
}

static int link_exists(hid_t f, const char *path)
{
    /* Each component must exist before the next is asked for. */
    char buf[1200];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = buf + 1; ; s++) {
        char c = *s;
        if (c == '/' || c == '\0') {
            *s = '\0';
            if (H5Lexists(f, buf, H5P_DEFAULT) <= 0)
                return 0;
            if (c == '\0')
                return 1;
            *s = '/';
        }
    }
}

static int read_source(zs_h5_reader *r, hid_t f, zs_h5staff_source *s)
{
    int nomem = 0;
    char kind[64] = "";
    if (H5Aexists(f, "kind") > 0 && zs_h5_get_str_attr(f, "kind", kind, sizeof kind) == 0 &&
        strcmp(kind, "results") != 0) {
        r->st = zs_err_set(r->err, ZS_EINPUT,
                           "%s: a %s file, not a results file with simulation output", r->path, kind);
        return -1;
    }
    int complete = 1;
    if (H5Aexists(f, "complete") > 0 && zs_h5_get_attr(f, "complete", H5T_NATIVE_INT, &complete) == 0 &&
        !complete) {
        r->st = zs_err_set(r->err, ZS_EINPUT,
                           "%s: a shard of a run holds only part of the replications; merge the "
                           "shards first (zonesim merge)", r->path);
        return -1;
    }
    if (!(s->scenario_text = get_str_dup(f, "scenario_text", &nomem)) &&
        (nomem || !(s->scenario_text = zs_strdup(""))))
        return zs_h5_rnomem(r);
    if (H5Aexists(f, "scenario_path") > 0)
        zs_h5_get_str_attr(f, "scenario_path", s->scenario_path, sizeof s->scenario_path);
    if (zs_h5_get_attr(f, "shift_min", H5T_NATIVE_DOUBLE, &s->shift_min) < 0)
        return zs_h5_rfail(r, "attribute shift_min of /");
    s->stops_per_hour = 3.5;
    if (link_exists(f, "/models/efficiency")) {
        hid_t g = H5Gopen2(f, "/models/efficiency", H5P_DEFAULT);
        int ok = g >= 0 && zs_h5_get_attr(g, "stops_per_hour", H5T_NATIVE_DOUBLE, &s->stops_per_hour) >= 0;
        if (g >= 0)
            H5Gclose(g);
        if (!ok)
            return zs_h5_rfail(r, "attribute stops_per_hour of /models/efficiency");
    }
    zs_demand_opts_defaults(&s->demand);
    if (link_exists(f, "/models/demand")) {
        hid_t g = H5Gopen2(f, "/models/demand", H5P_DEFAULT);
        int64_t *first = NULL;
        int32_t *days = NULL;
        double *factor = NULL;
        hsize_t n1 = 0, n2 = 0, n3 = 0;
        int ok = g >= 0 &&
                 get_attr_n(g, "weekday_factor", H5T_NATIVE_DOUBLE, 7, s->demand.weekday_factor) == 0;
        if (ok && H5Lexists(g, "event_first_day", H5P_DEFAULT) > 0)
            ok = get_dset_any(g, "event_first_day", H5T_NATIVE_INT64, sizeof *first, (void **)&first, &n1, &nomem) == 0 &&
                 get_dset_any(g, "event_days", H5T_NATIVE_INT32, sizeof *days, (void **)&days, &n2, &nomem) == 0 &&
                 get_dset_any(g, "event_factor", H5T_NATIVE_DOUBLE, sizeof *factor, (void **)&factor, &n3, &nomem) == 0 &&
                 n1 == n2 && n2 == n3 && n1 <= ZS_DEMAND_MAX_EVENTS;
        for (hsize_t e = 0; ok && e < n1; e++) {
            s->demand.events[e].first_day = first[e];
            s->demand.events[e].days = days[e];
            s->demand.events[e].factor = factor[e];
        }
        if (ok)
            s->demand.n_events = (size_t)n1;
        zs_free(first);
        zs_free(days);
        zs_free(factor);
        if (g >= 0)
            H5Gclose(g);
        if (!ok)
            return nomem ? zs_h5_rnomem(r) : zs_h5_rfail(r, "/models/demand");
    }
    hsize_t nd = 0;
    if (get_dset_any(f, "/calendar/day", H5T_NATIVE_INT64, sizeof(int64_t), (void **)&s->day_number,
                     &nd, &nomem) < 0 || nd == 0)
        return nomem ? zs_h5_rnomem(r) : zs_h5_rfail(r, "/calendar/day");
    s->days = (size_t)nd;
    hsize_t np = 0;
    if (H5Lexists(f, "points", H5P_DEFAULT) > 0 && link_exists(f, "/points/workload_min")) {
        if (get_dset_any(f, "/points/workload_min", H5T_NATIVE_DOUBLE, sizeof(double),
                         (void **)&s->workload_min, &np, &nomem) < 0)
            return nomem ? zs_h5_rnomem(r) : zs_h5_rfail(r, "/points/workload_min");
        s->n_points = (size_t)np;
    }
    zs_h5_names l;
    if (list_ordered(r, f, "plans", &l) < 0) {
        zs_h5_names_free(&l);
        return -1;
    }
    if (!(s->plan = zs_calloc(l.n ? l.n : 1, sizeof *s->plan))) {
        zs_h5_names_free(&l);
        return zs_h5_rnomem(r);
    }
    for (size_t i = 0; i < l.n; i++) {
        char path[1100];
        snprintf(path, sizeof path, "/sim/%s/work_min", l.name[i]);
        if (!link_exists(f, path))
            continue;
        s->plan[s->n_plans++] = l.name[i];
        l.name[i] = NULL;
    }
    zs_h5_names_free(&l);
    if (s->n_plans == 0) {
        r->st = zs_err_set(r->err, ZS_EINPUT, "%s: no simulated plan (/sim is empty)", r->path);
        return -1;
    }
    return 0;
}

/* Opens results file path for reading, with *r to report on it; returns
 * the file, or -1 with nothing open and the failure in r->st. */
static hid_t open_reader(const char *path, zs_h5_reader *r, zs_err *err)
{
    hid_t f;
    int version;
    r->path = path;
    r->err = err;
    r->st = zs_h5_open_results(path, &f, &version, err);
    return r->st == ZS_OK ? f : -1;
}

/* Closes f, which counts as a failure when nothing failed before; returns
 * r's status. */
static zs_status close_reader(zs_h5_reader *r, hid_t f)
{
    if (H5Fclose(f) < 0 && r->st == ZS_OK)
        zs_h5_rfail(r, "the file (closing)");
    return r->st;
}

zs_status zs_h5staff_read_source(const char *path, zs_h5staff_source **out, zs_err *err)
{
    *out = NULL;
    zs_h5_reader r;
    hid_t f = open_reader(path, &r, err);
    if (f < 0)
        return r.st;
    zs_h5staff_source *s = zs_calloc(1, sizeof *s);
    if (!s)
        zs_h5_rnomem(&r);
    else
        read_source(&r, f, s);
    if (close_reader(&r, f) != ZS_OK) {
        zs_h5staff_source_free(s);
        return r.st;
    }
    *out = s;
    return ZS_OK;
}

/* A [reps][days][zones] double dataset into a new array. */
static int get_3d(zs_h5_reader *r, hid_t g, const char *plan, const char *name, hsize_t dims[3],
                  double **out)
{
    *out = NULL;
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    if (d < 0)
        return zs_h5_rfail(r, "/sim/%s/%s", plan, name);
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
        return zs_h5_rfail(r, "/sim/%s/%s", plan, name);
    }
    *out = buf;
    return 0;
}

zs_status zs_h5staff_read_sim(const char *path, const char *plan, zs_sim_result **out,
                              zs_err *err)
{
    *out = NULL;
    zs_h5_reader r;
    hid_t f = open_reader(path, &r, err);
    if (f < 0)
        return r.st;
    zs_sim_result *s = zs_calloc(1, sizeof *s);
    char gpath[1100];
    snprintf(gpath, sizeof gpath, "/sim/%s", plan);
    hid_t g = -1;
    if (!s)
        zs_h5_rnomem(&r);
    else if (!link_exists(f, gpath))
        r.st = zs_err_set(err, ZS_EINPUT, "%s: no simulation of plan '%s'", path, plan);
    else if ((g = H5Gopen2(f, gpath, H5P_DEFAULT)) < 0)
        zs_h5_rfail(&r, "%s", gpath);
    hsize_t dims[3] = {0, 0, 0};
    if (r.st == ZS_OK && get_3d(&r, g, plan, "work_min", dims, &s->v[ZS_M_WORK_MIN]) == 0 &&
        get_3d(&r, g, plan, "stops", dims, &s->v[ZS_M_STOPS]) == 0 &&
        H5Lexists(g, "unvisited", H5P_DEFAULT) > 0)
        get_3d(&r, g, plan, "unvisited", dims, &s->v[ZS_M_UNVISITED]);
    if (r.st == ZS_OK) {
        s->reps = (size_t)dims[0];
        s->days = (size_t)dims[1];
        s->zones = (size_t)dims[2];
        uint64_t rb = 0;
        if (H5Aexists(g, "rep_begin") > 0)
            zs_h5_get_attr(g, "rep_begin", H5T_NATIVE_UINT64, &rb);
        s->rep_begin = (size_t)rb;
    }
    if (g >= 0)
        H5Gclose(g);
    if (close_reader(&r, f) != ZS_OK) {
        zs_sim_result_free(s);
        return r.st;
    }
    *out = s;
    return ZS_OK;
}

/* ---- reading /staffing back ------------------------------------------------ */

void zs_h5staff_reports_free(size_t n, char **plan, zs_staffing_report **rep)
{
    for (size_t i = 0; i < n; i++) {
        if (plan)
            zs_free(plan[i]);
        if (rep)
            zs_staffing_report_free(rep[i]);
    }
    zs_free(plan);
    zs_free(rep);
}

static int geti(hid_t g, const char *name, int *v)
{
    return zs_h5_get_attr(g, name, H5T_NATIVE_INT, v);
}

static int getd(hid_t g, const char *name, double *v)
{
    return zs_h5_get_attr(g, name, H5T_NATIVE_DOUBLE, v);
}

static int getz(hid_t g, const char *name, size_t *v)
{
    uint64_t u;
    if (zs_h5_get_attr(g, name, H5T_NATIVE_UINT64, &u) < 0)
        return -1;
    *v = (size_t)u;
    return 0;
}

static int read_roster(zs_h5_reader *r, hid_t pg, const char *plan, zs_staffing_report *rep)
{
    hid_t g = H5Gopen2(pg, "roster", H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "/staffing/%s/roster", plan);
    zs_roster *ro = zs_calloc(1, sizeof *ro);
    zs_roster_opts *o = &rep->opts.roster;
    char status[64] = "";
    int rc = -1;
    const char *a = "";
    if (!ro) {
        zs_h5_rnomem(r);
        goto done;
    }
    rep->roster = ro;
    if (zs_h5_get_str_attr(g, a = "status", status, sizeof status) < 0 ||
        geti(g, a = "solved", &ro->solved) < 0 || getd(g, a = "objective", &ro->objective) < 0 ||
        getd(g, a = "bound", &ro->bound) < 0 || getd(g, a = "gap", &ro->gap) < 0 ||
        getd(g, a = "runtime_s", &ro->runtime_s) < 0 || geti(g, a = "nodes", &ro->nodes) < 0 ||
        getz(g, a = "lines", &ro->n_lines) < 0 || getz(g, a = "columns", &ro->n_columns) < 0 ||
        getz(g, a = "couriers", &ro->couriers) < 0 ||
        getd(g, a = "courier_cost_total", &ro->courier_cost_total) < 0 ||
        getd(g, a = "temp_cost_total", &ro->temp_cost_total) < 0 ||
        zs_h5_get_str_attr(g, a = "message", ro->message, sizeof ro->message) < 0 ||
        geti(g, a = "weeks", &o->weeks) < 0 || geti(g, a = "days_per_week", &o->days_per_week) < 0 ||
        geti(g, a = "max_consecutive", &o->max_consecutive) < 0 ||
        geti(g, a = "consecutive_off", &o->consecutive_off) < 0 ||
        geti(g, a = "weekend_off_min", &o->weekend_off_min) < 0 ||
        getd(g, a = "courier_cost", &o->courier_cost) < 0 || getd(g, a = "temp_cost", &o->temp_cost) < 0 ||
        geti(g, a = "temp_max", &o->temp_max) < 0 || geti(g, a = "pool_max", &o->pool_max) < 0 ||
        getd(g, a = "time_limit_s", &o->time_limit_s) < 0) {
        zs_h5_rfail(r, "attribute %s of /staffing/%s/roster", a, plan);
        goto done;
    }
    ro->status = ZS_MIP_INFEASIBLE;
    for (int s = ZS_MIP_OPTIMAL; s <= ZS_MIP_UNBOUNDED; s++)
        if (!strcmp(status, zs_mip_status_name((zs_mip_status)s)))
            ro->status = (zs_mip_status)s;
    ro->weeks = o->weeks;
    ro->days = 7 * o->weeks;
    size_t D = (size_t)ro->days, C = ro->couriers;
    if (!(ro->required = zs_calloc(D, sizeof *ro->required)) ||
        !(ro->covered = zs_calloc(D, sizeof *ro->covered)) ||
        !(ro->temps = zs_calloc(D, sizeof *ro->temps)) ||
        !(ro->temp_ok = zs_calloc(D, sizeof *ro->temp_ok)) ||
        !(rep->roster_type = zs_calloc(D, sizeof *rep->roster_type)) ||
        (C && (!(ro->schedule = zs_calloc(C * D, sizeof *ro->schedule)) ||
               !(ro->line_of = zs_calloc(C, sizeof *ro->line_of))))) {
        zs_h5_rnomem(r);
        goto done;
    }
    hsize_t dims[2] = {C, D};
    if (zs_h5_get_dset(g, a = "required", H5T_NATIVE_INT32, D, ro->required) < 0 ||
        zs_h5_get_dset(g, a = "covered", H5T_NATIVE_INT32, D, ro->covered) < 0 ||
        zs_h5_get_dset(g, a = "temps", H5T_NATIVE_INT32, D, ro->temps) < 0 ||
        zs_h5_get_dset(g, a = "temp_ok", H5T_NATIVE_UINT8, D, ro->temp_ok) < 0 ||
        zs_h5_get_dset(g, a = "day_type", H5T_NATIVE_INT32, D, rep->roster_type) < 0 ||
        (C && zs_h5_get_dset(g, a = "line", H5T_NATIVE_INT32, C, ro->line_of) < 0)) {
        zs_h5_rfail(r, "/staffing/%s/roster/%s", plan, a);
        goto done;
    }
    if (C) {
        hid_t d = H5Dopen2(g, "schedule", H5P_DEFAULT);
        hid_t sp = d >= 0 ? H5Dget_space(d) : -1;
        hsize_t got[2] = {0, 0};
        int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 2 &&
                 H5Sget_simple_extent_dims(sp, got, NULL) == 2 && got[0] == dims[0] &&
                 got[1] == dims[1] &&
                 H5Dread(d, H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, ro->schedule) >= 0;
        if (sp >= 0)
            H5Sclose(sp);
        if (d >= 0)
            H5Dclose(d);
        if (!ok) {
            zs_h5_rfail(r, "/staffing/%s/roster/schedule", plan);
            goto done;
        }
    }
    rc = 0;
done:
    H5Gclose(g);
    return rc;
}

static int get_figures(hid_t g, const char *suffix, zs_nested_figures *f, const char **a)
{
    char name[64];
    struct { const char *n; double *v; } v[] = {
        {"sse_m2", &f->sse_m2}, {"balance_maxdev", &f->balance_maxdev},
        {"balance_maxmin", &f->balance_maxmin}, {"balance_cv", &f->balance_cv},
        {"tour_km", &f->tour_km},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        snprintf(name, sizeof name, "%s_%s", v[i].n, suffix);
        *a = v[i].n;
        if (getd(g, name, v[i].v) < 0)
            return -1;
    }
    return 0;
}

static int read_nested(zs_h5_reader *r, hid_t pg, const char *plan, zs_staffing_report *rep)
{
    if (H5Lexists(pg, "nested", H5P_DEFAULT) <= 0)
        return 0;
    hid_t g = H5Gopen2(pg, "nested", H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "/staffing/%s/nested", plan);
    zs_nested *nb = zs_calloc(1, sizeof *nb);
    int rc = -1;
    const char *a = "";
    char status[64] = "";
    if (!nb) {
        zs_h5_rnomem(r);
        goto done;
    }
    rep->nested = nb;
    if (getz(g, a = "k_heavy", &nb->k_heavy) < 0 || getz(g, a = "k_light", &nb->k_light) < 0 ||
        zs_h5_get_str_attr(g, a = "status", status, sizeof status) < 0 ||
        getd(g, a = "objective", &nb->objective) < 0 || getd(g, a = "bound", &nb->bound) < 0 ||
        getd(g, a = "gap", &nb->gap) < 0 || getd(g, a = "runtime_s", &nb->runtime_s) < 0 ||
        getd(g, a = "tolerance_used", &nb->tolerance_used) < 0 ||
        geti(g, a = "programs", &nb->programs) < 0 || getd(g, a = "sse_ratio", &nb->sse_ratio) < 0 ||
        get_figures(g, "nested", &nb->nested, &a) < 0 || get_figures(g, "free", &nb->free, &a) < 0) {
        zs_h5_rfail(r, "attribute %s of /staffing/%s/nested", a, plan);
        goto done;
    }
    for (int s = ZS_MIP_OPTIMAL; s <= ZS_MIP_UNBOUNDED; s++)
        if (!strcmp(status, zs_mip_status_name((zs_mip_status)s)))
            nb->status = (zs_mip_status)s;
    if (!(nb->group = zs_calloc(nb->k_heavy ? nb->k_heavy : 1, sizeof *nb->group))) {
        zs_h5_rnomem(r);
        goto done;
    }
    if (zs_h5_get_dset(g, "group", H5T_NATIVE_INT32, nb->k_heavy, nb->group) < 0) {
        zs_h5_rfail(r, "/staffing/%s/nested/group", plan);
        goto done;
    }
    rc = 0;
done:
    H5Gclose(g);
    return rc;
}

static int read_report(zs_h5_reader *r, hid_t sg, const char *plan, zs_staffing_report **out)
{
    hid_t g = H5Gopen2(sg, plan, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "/staffing/%s", plan);
    zs_staffing_report *rep = zs_calloc(1, sizeof *rep);
    int rc = -1;
    const char *a = "";
    hid_t d = -1, mt = -1, sp = -1;
    if (!rep) {
        zs_h5_rnomem(r);
        goto done;
    }
    *out = rep;
    zs_staffing_opts_defaults(&rep->opts);
    int32_t tow[7];
    if (getz(g, a = "k", &rep->k) < 0 || getd(g, a = "risk", &rep->opts.risk) < 0 ||
        getd(g, a = "overtime_h", &rep->opts.overtime_h) < 0 ||
        getd(g, a = "shift_min", &rep->shift_min) < 0 ||
        getd(g, a = "capacity_min", &rep->capacity_min) < 0 ||
        getd(g, a = "stops_per_hour", &rep->stops_per_hour) < 0 ||
        geti(g, a = "by_weekday", &rep->opts.by_weekday) < 0 ||
        getd(g, a = "mode_gap", &rep->opts.mode_gap) < 0 ||
        geti(g, a = "temp_peak_only", &rep->opts.temp_peak_only) < 0 ||
        get_attr_n(g, a = "type_of_weekday", H5T_NATIVE_INT32, 7, tow) < 0 ||
        zs_h5_get_attr(g, a = "roster_first_day", H5T_NATIVE_INT64, &rep->roster_first_day) < 0 ||
        zs_h5_get_str_attr(g, a = "nested_note", rep->nested_note, sizeof rep->nested_note) < 0) {
        zs_h5_rfail(r, "attribute %s of /staffing/%s", a, plan);
        goto done;
    }
    for (int i = 0; i < 7; i++)
        rep->type_of_weekday[i] = tow[i];
    hsize_t n = 0;
    req_row row[ZS_STAFF_MAX_TYPES];
    if ((d = H5Dopen2(g, "requirement", H5P_DEFAULT)) < 0 || (sp = H5Dget_space(d)) < 0 ||
        H5Sget_simple_extent_ndims(sp) != 1 || H5Sget_simple_extent_dims(sp, &n, NULL) != 1 ||
        n > ZS_STAFF_MAX_TYPES || (mt = req_type(0)) < 0 ||
        (n && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, row) < 0)) {
        zs_h5_rfail(r, "/staffing/%s/requirement", plan);
        goto done;
    }
    rep->n_types = (int)n;
    for (int t = 0; t < rep->n_types; t++) {
        zs_staffing_type *ty = &rep->type[t];
        /* Fixed-length, NUL-padded fields; the report was zeroed. */
        memcpy(ty->name, row[t].name, strnlen(row[t].name, sizeof ty->name - 1));
        memcpy(ty->days, row[t].days, strnlen(row[t].days, sizeof ty->days - 1));
        ty->n_obs = (size_t)row[t].n_obs;
        ty->stops_mean = row[t].stops_mean;
        ty->capacity_rule = row[t].capacity_rule;
        ty->work_mean_min = row[t].work_mean_min;
        ty->work_q_min = row[t].work_q_min;
        ty->busiest_q_min = row[t].busiest_q_min;
        ty->imbalance_mean = row[t].imbalance_mean;
        ty->required = row[t].required;
        ty->required_even = row[t].required_even;
        ty->overrun_share_k = row[t].overrun_share_k;
        ty->peak = row[t].peak;
    }
    if (read_roster(r, g, plan, rep) < 0 || read_nested(r, g, plan, rep) < 0)
        goto done;
    rc = 0;
done:
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (d >= 0)
        H5Dclose(d);
    H5Gclose(g);
    return rc;
}

zs_status zs_h5staff_read(const char *path, size_t *n, char ***plan, zs_staffing_report ***rep,
                          zs_err *err)
{
    *n = 0;
    *plan = NULL;
    *rep = NULL;
    zs_h5_reader r;
    hid_t f = open_reader(path, &r, err);
    if (f < 0)
        return r.st;
    zs_h5_names l;
    memset(&l, 0, sizeof l);
    hid_t sg = -1;
    char **pl = NULL;
    zs_staffing_report **rp = NULL;
    size_t got = 0;
    if (H5Lexists(f, "staffing", H5P_DEFAULT) <= 0)
        goto done; /* no staffing: nothing to read */
    if (list_ordered(&r, f, "staffing", &l) < 0)
        goto done;
    if (!(pl = zs_calloc(l.n ? l.n : 1, sizeof *pl)) || !(rp = zs_calloc(l.n ? l.n : 1, sizeof *rp))) {
        zs_h5_rnomem(&r);
        goto done;
    }
    if ((sg = H5Gopen2(f, "staffing", H5P_DEFAULT)) < 0) {
        zs_h5_rfail(&r, "/staffing");
        goto done;
    }
    for (size_t i = 0; i < l.n; i++) {
        pl[i] = l.name[i];
        l.name[i] = NULL;
        got = i + 1;
        if (read_report(&r, sg, pl[i], &rp[i]) < 0)
            break;
    }
done:
    zs_h5_names_free(&l);
    if (sg >= 0)
        H5Gclose(sg);
    if (close_reader(&r, f) != ZS_OK) {
        zs_h5staff_reports_free(got, pl, rp);
        return r.st;
    }
    *n = got;
    *plan = pl;
    *rep = rp;
    return ZS_OK;
}
