/*
 * engine/results/h5staff_read.c -- reading /staffing back from a results or
 * staffing file (zs_h5staff_read): each plan's requirement table, roster
 * and nested plan figures, as engine/results/h5staff.c wrote them.  The
 * nested plans' point-level partitions are not read.
 */
#include "results/h5staff_internal.h"

#include <stdio.h>
#include <string.h>

#include "models/alloc.h"

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
    if (zs_mip_status_parse(status, &ro->status) != 0)
        ro->status = ZS_MIP_INFEASIBLE; /* unknown: claim nothing */
    /* Sizes are checked before they size anything (a file written wrong,
     * or read with --trust-unverified): 20 years of weeks, a million
     * couriers are far beyond any roster zonesim solves. */
    if (o->weeks < 1 || o->weeks > 1040 || ro->couriers > 1000000 || ro->n_lines > 100000000) {
        zs_h5_rfail(r, "/staffing/%s/roster (weeks %d, couriers %zu, lines %zu out of range)",
                    plan, o->weeks, ro->couriers, ro->n_lines);
        goto done;
    }
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
    if (zs_mip_status_parse(status, &nb->status) != 0)
        nb->status = ZS_MIP_INFEASIBLE; /* unknown: claim nothing */
    if (nb->k_heavy > 1000000 || nb->k_light > nb->k_heavy) {
        zs_h5_rfail(r, "/staffing/%s/nested (k_heavy %zu, k_light %zu out of range)", plan,
                    nb->k_heavy, nb->k_light);
        goto done;
    }
    if (!(nb->group = zs_calloc(nb->k_heavy ? nb->k_heavy : 1, sizeof *nb->group))) {
        zs_h5_rnomem(r);
        goto done;
    }
    if (zs_h5_get_dset(g, "group", H5T_NATIVE_INT32, nb->k_heavy, nb->group) < 0) {
        zs_h5_rfail(r, "/staffing/%s/nested/group", plan);
        goto done;
    }
    for (size_t z = 0; z < nb->k_heavy; z++)
        if (nb->group[z] < -1 || (nb->k_light && nb->group[z] >= 0 &&
                                  (size_t)nb->group[z] >= nb->k_light)) {
            zs_h5_rfail(r, "/staffing/%s/nested/group (zone %zu in light zone %d of %zu)", plan,
                        z + 1, (int)nb->group[z], nb->k_light);
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
        zs_h5staff_get_attr_n(g, a = "type_of_weekday", H5T_NATIVE_INT32, 7, tow) < 0 ||
        zs_h5_get_attr(g, a = "roster_first_day", H5T_NATIVE_INT64, &rep->roster_first_day) < 0 ||
        zs_h5_get_str_attr(g, a = "nested_note", rep->nested_note, sizeof rep->nested_note) < 0) {
        zs_h5_rfail(r, "attribute %s of /staffing/%s", a, plan);
        goto done;
    }
    for (int i = 0; i < 7; i++)
        rep->type_of_weekday[i] = tow[i];
    hsize_t n = 0;
    zs_h5staff_req_row row[ZS_STAFF_MAX_TYPES];
    if ((d = H5Dopen2(g, "requirement", H5P_DEFAULT)) < 0 || (sp = H5Dget_space(d)) < 0 ||
        H5Sget_simple_extent_ndims(sp) != 1 || H5Sget_simple_extent_dims(sp, &n, NULL) != 1 ||
        n > ZS_STAFF_MAX_TYPES || (mt = zs_h5staff_req_type(0)) < 0 ||
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
    hid_t f = zs_h5staff_open_reader(path, &r, err);
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
    if (zs_h5staff_list_ordered(&r, f, "staffing", &l) < 0)
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
    if (zs_h5staff_close_reader(&r, f) != ZS_OK) {
        zs_h5staff_reports_free(got, pl, rp);
        return r.st;
    }
    *n = got;
    *plan = pl;
    *rep = rp;
    return ZS_OK;
}
