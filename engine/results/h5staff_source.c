/*
 * engine/results/h5staff_source.c -- what `zonesim staff RESULTS.h5` reads
 * from a results file: its provenance, the demand model and calendar, the
 * simulated plans (zs_h5staff_read_source) and their /sim metrics
 * (zs_h5staff_read_sim); also the reading helpers engine/results/h5staff_read.c
 * shares (h5staff_internal.h).  A shard is refused: staffing needs every
 * replication.
 */
#include "results/h5staff_internal.h"

#include <stdio.h>
#include <string.h>

#include "models/alloc.h"

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
int zs_h5staff_get_attr_n(hid_t loc, const char *name, hid_t mtype, hsize_t n, void *buf)
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
int zs_h5staff_list_ordered(zs_h5_reader *r, hid_t f, const char *group, zs_h5_names *l)
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
        int ok = g >= 0 && zs_h5staff_get_attr_n(g, "weekday_factor", H5T_NATIVE_DOUBLE, 7,
                                                 s->demand.weekday_factor) == 0;
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
    if (zs_h5staff_list_ordered(r, f, "plans", &l) < 0) {
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
hid_t zs_h5staff_open_reader(const char *path, zs_h5_reader *r, zs_err *err)
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
zs_status zs_h5staff_close_reader(zs_h5_reader *r, hid_t f)
{
    if (H5Fclose(f) < 0 && r->st == ZS_OK)
        zs_h5_rfail(r, "the file (closing)");
    return r->st;
}

zs_status zs_h5staff_read_source(const char *path, zs_h5staff_source **out, zs_err *err)
{
    *out = NULL;
    zs_h5_reader r;
    hid_t f = zs_h5staff_open_reader(path, &r, err);
    if (f < 0)
        return r.st;
    zs_h5staff_source *s = zs_calloc(1, sizeof *s);
    if (!s)
        zs_h5_rnomem(&r);
    else
        read_source(&r, f, s);
    if (zs_h5staff_close_reader(&r, f) != ZS_OK) {
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
    hid_t f = zs_h5staff_open_reader(path, &r, err);
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
    if (zs_h5staff_close_reader(&r, f) != ZS_OK) {
        zs_sim_result_free(s);
        return r.st;
    }
    *out = s;
    return ZS_OK;
}
