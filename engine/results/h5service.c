/*
 * engine/results/h5service.c -- /service of a results file: writing (from
 * zs_h5out_write) and reading back (see h5service.h).
 */
#include "results/h5service.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "results/h5out_internal.h"
#include "results/h5service_internal.h"
#include "staffing/service.h"

#define NI ZS_CALL_INTERVALS
#define NR ZS_CALL_REASONS

static int write_roster(zs_h5_writer *w, hid_t g, const char *plan, const zs_shift_plan *p)
{
    hid_t rg = H5Gcreate2(g, "roster", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (rg < 0)
        return zs_h5_wfail(w, "/service/%s/roster", plan);
    hsize_t d2[2] = {7, NI}, n1[1] = {p->n_chosen};
    int32_t *col = zs_calloc(p->n_chosen ? p->n_chosen : 1, sizeof *col);
    const char *a = "";
    int rc = 0;
    if (!col) {
        H5Gclose(rg);
        return zs_h5_wnomem(w);
    }
    if (zs_h5_put_str(rg, a = "status", p->status_text) < 0 ||
        zs_h5_put_i32(rg, a = "timing_dependent", p->timed_out) < 0 ||
        zs_h5_put_f64(rg, a = "lp_bound", p->lp_bound) < 0 ||
        zs_h5_put_i32(rg, a = "nodes", p->nodes) < 0 ||
        zs_h5_put_f64(rg, a = "objective", p->objective) < 0 ||
        zs_h5_put_f64(rg, a = "bound", p->bound) < 0 || zs_h5_put_f64(rg, a = "gap", p->gap) < 0 ||
        zs_h5_put_f64(rg, a = "runtime_s", p->runtime_s) < 0 ||
        zs_h5_put_i32(rg, a = "full_timers", p->full_timers) < 0 ||
        zs_h5_put_i32(rg, a = "part_timers", p->part_timers) < 0 ||
        zs_h5_put_i32(rg, a = "temp_shifts", p->temp_shifts) < 0 ||
        zs_h5_put_u64(rg, a = "n_tours", p->n_tours) < 0 ||
        zs_h5_put_str(rg, a = "message", p->message) < 0)
        rc = zs_h5_wfail(w, "attribute %s of /service/%s/roster", a, plan);
    if (rc == 0 &&
        (zs_h5_put_dset(rg, a = "scheduled", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d2, p->scheduled,
                        "agents") < 0 ||
         zs_h5_put_dset(rg, a = "temps", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d2, p->temps,
                        "agents") < 0))
        rc = zs_h5_wfail(w, "/service/%s/roster/%s", plan, a);
    /* The chosen tours, one column each (kind 0 full, 1 part, 2 temporary;
     * start and break as half-hour intervals, -1 = no break). */
    static const char *const names[5] = {"tour_kind", "tour_start", "tour_break", "tour_first_day",
                                         "tour_count"};
    for (int c = 0; c < 5 && rc == 0; c++) {
        for (size_t k = 0; k < p->n_chosen; k++) {
            const zs_tour *t = &p->chosen[k];
            col[k] = c == 0 ? t->kind : c == 1 ? t->start : c == 2 ? t->brk : c == 3 ? t->first_day : t->count;
        }
        if (zs_h5_put_dset(rg, names[c], H5T_STD_I32LE, H5T_NATIVE_INT32, 1, n1, col, NULL) < 0)
            rc = zs_h5_wfail(w, "/service/%s/roster/%s", plan, names[c]);
    }
    zs_free(col);
    if (H5Gclose(rg) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/service/%s/roster", plan);
    return rc;
}

static int write_plan(zs_h5_writer *w, hid_t sg, const char *plan, int order,
                      const zs_service_report *r)
{
    hid_t g = H5Gcreate2(sg, plan, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/service/%s", plan);
    const char *a = "";
    int rc = 0;
    if (zs_h5_put_i32(g, a = "order", order) < 0 ||
        zs_h5_put_f64(g, a = "calls_day_mean", r->calls_day_mean) < 0 ||
        zs_h5_put_f64(g, a = "calls_usual_day", r->calls_usual_day) < 0 ||
        zs_h5_put_f64(g, a = "calls_peak_day", r->calls_peak_day) < 0 ||
        zs_h5_put_u64(g, a = "peak_day", r->peak_day) < 0 ||
        zs_h5_put_i32(g, a = "agents_usual", r->agents_usual) < 0 ||
        zs_h5_put_i32(g, a = "agents_peak", r->agents_peak) < 0 ||
        zs_h5_put_i32(g, a = "positions_usual", r->positions_usual) < 0 ||
        zs_h5_put_i32(g, a = "positions_peak", r->positions_peak) < 0 ||
        zs_h5_put_f64(g, a = "agent_h_usual", r->agent_h_usual) < 0 ||
        zs_h5_put_f64(g, a = "agent_h_peak", r->agent_h_peak) < 0 ||
        zs_h5_put_f64(g, a = "failed_day_mean", r->failed_day_mean) < 0 ||
        zs_h5_put_f64(g, a = "late_day_mean", r->late_day_mean) < 0 ||
        zs_h5_put_u64(g, a = "replications", r->reps) < 0 ||
        zs_h5_put_f64(g, a = "sim_service_usual", r->sim_service_usual) < 0 ||
        zs_h5_put_f64(g, a = "sim_service_peak", r->sim_service_peak) < 0 ||
        zs_h5_put_f64(g, a = "sim_abandon_usual", r->sim_abandon_usual) < 0 ||
        zs_h5_put_f64(g, a = "sim_abandon_peak", r->sim_abandon_peak) < 0)
        rc = zs_h5_wfail(w, "attribute %s of /service/%s", a, plan);
    hsize_t d3[3] = {r->days, NR, NI}, d2[2] = {r->days, NI}, d1[1] = {r->days}, w2[2] = {7, NI},
            i1[1] = {NI};
    int32_t *pk = zs_calloc(r->days, sizeof *pk);
    if (!pk) {
        H5Gclose(g);
        return zs_h5_wnomem(w);
    }
    for (size_t d = 0; d < r->days; d++)
        pk[d] = r->peak[d];
    if (rc == 0 &&
        (zs_h5_put_dset(g, a = "calls_mean", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, d3, r->calls_mean,
                        "calls") < 0 ||
         zs_h5_put_dset(g, a = "required", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d2, r->required,
                        "agents") < 0 ||
         zs_h5_put_dset(g, a = "peak", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, d1, pk, NULL) < 0 ||
         zs_h5_put_dset(g, a = "usual", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, i1, r->usual,
                        "agents") < 0 ||
         zs_h5_put_dset(g, a = "week", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, w2, r->week, "agents") <
             0))
        rc = zs_h5_wfail(w, "/service/%s/%s", plan, a);
    zs_free(pk);
    if (rc == 0 && r->sim_service_day &&
        zs_h5_put_dset(g, a = "sim_service_day", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, d1,
                       r->sim_service_day, "1") < 0)
        rc = zs_h5_wfail(w, "/service/%s/%s", plan, a);
    if (rc == 0 && r->roster)
        rc = write_roster(w, g, plan, r->roster);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/service/%s", plan);
    return rc;
}

int zs_h5service_write_results(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    if (!r->service || !r->service_opts)
        return 0;
    const zs_service_opts *o = r->service_opts;
    hid_t sg = H5Gcreate2(f, "service", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (sg < 0)
        return zs_h5_wfail(w, "/service");
    const char *reasons[NR];
    double aht[NR];
    int32_t outb[NR];
    for (int k = 0; k < NR; k++) {
        reasons[k] = zs_call_reason_name(k);
        aht[k] = o->calls.reason[k].aht_s;
        outb[k] = o->calls.reason[k].outbound;
    }
    const char *a = "";
    int rc = 0;
    if (zs_h5_put_strs(sg, a = "reasons", reasons, NR) < 0 ||
        zs_h5_put_f64(sg, a = "interval_s", ZS_CALL_INTERVAL_S) < 0 ||
        zs_h5_put_attr(sg, a = "aht_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, NR, aht) < 0 ||
        zs_h5_put_attr(sg, a = "outbound", H5T_STD_I32LE, H5T_NATIVE_INT32, NR, outb) < 0 ||
        zs_h5_put_i32(sg, a = "open_interval", o->calls.open_interval) < 0 ||
        zs_h5_put_i32(sg, a = "close_interval", o->calls.close_interval) < 0 ||
        zs_h5_put_f64(sg, a = "risk", o->risk) < 0 ||
        zs_h5_put_f64(sg, a = "target", o->erlang.service_level) < 0 ||
        zs_h5_put_f64(sg, a = "within_s", o->erlang.target_s) < 0 ||
        zs_h5_put_f64(sg, a = "patience_s", o->erlang.patience_s) < 0 ||
        zs_h5_put_f64(sg, a = "shrinkage", o->erlang.shrinkage) < 0)
        rc = zs_h5_wfail(w, "attribute %s of /service", a);
    for (size_t i = 0; i < r->n_plans && rc == 0; i++)
        if (r->service[i])
            rc = write_plan(w, sg, r->plans[i].name, (int)i, r->service[i]);
    if (H5Gclose(sg) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/service");
    return rc;
}

/* ---- reading ---------------------------------------------------------------- */

static int read_plan(zs_h5_reader *rd, hid_t sg, const char *name, zs_h5service_plan *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->plan, sizeof p->plan, "%s", name);
    hid_t g = H5Gopen2(sg, name, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(rd, "/service/%s", name);
    uint64_t pd = 0;
    int rc = 0;
    if (zs_h5_get_attr(g, "calls_day_mean", H5T_NATIVE_DOUBLE, &p->calls_day_mean) < 0 ||
        zs_h5_get_attr(g, "calls_usual_day", H5T_NATIVE_DOUBLE, &p->calls_usual_day) < 0 ||
        zs_h5_get_attr(g, "calls_peak_day", H5T_NATIVE_DOUBLE, &p->calls_peak_day) < 0 ||
        zs_h5_get_attr(g, "peak_day", H5T_NATIVE_UINT64, &pd) < 0 ||
        zs_h5_get_attr(g, "agents_usual", H5T_NATIVE_INT, &p->agents_usual) < 0 ||
        zs_h5_get_attr(g, "agents_peak", H5T_NATIVE_INT, &p->agents_peak) < 0 ||
        zs_h5_get_attr(g, "positions_usual", H5T_NATIVE_INT, &p->positions_usual) < 0 ||
        zs_h5_get_attr(g, "positions_peak", H5T_NATIVE_INT, &p->positions_peak) < 0 ||
        zs_h5_get_attr(g, "agent_h_usual", H5T_NATIVE_DOUBLE, &p->agent_h_usual) < 0 ||
        zs_h5_get_attr(g, "agent_h_peak", H5T_NATIVE_DOUBLE, &p->agent_h_peak) < 0 ||
        zs_h5_get_attr(g, "failed_day_mean", H5T_NATIVE_DOUBLE, &p->failed_day_mean) < 0 ||
        zs_h5_get_attr(g, "late_day_mean", H5T_NATIVE_DOUBLE, &p->late_day_mean) < 0 ||
        zs_h5_get_attr(g, "sim_service_usual", H5T_NATIVE_DOUBLE, &p->sim_service_usual) < 0 ||
        zs_h5_get_attr(g, "sim_service_peak", H5T_NATIVE_DOUBLE, &p->sim_service_peak) < 0 ||
        zs_h5_get_attr(g, "sim_abandon_usual", H5T_NATIVE_DOUBLE, &p->sim_abandon_usual) < 0 ||
        zs_h5_get_attr(g, "sim_abandon_peak", H5T_NATIVE_DOUBLE, &p->sim_abandon_peak) < 0)
        rc = zs_h5_rfail(rd, "attributes of /service/%s", name);
    p->peak_day = (int64_t)pd;
    hsize_t nd = 0;
    if (rc == 0 && zs_h5_dset_len(g, "peak", &nd) < 0)
        rc = zs_h5_rfail(rd, "/service/%s/peak", name);
    p->days = nd;
    hsize_t i1[1] = {NI}, w2[2] = {7, NI}, d2[2] = {nd, NI}, d3[3] = {nd, NR, NI};
    int32_t *req = NULL, *pk = NULL;
    double *calls = NULL;
    if (rc == 0 && (!(req = zs_calloc(nd * NI + 1, sizeof *req)) ||
                    !(pk = zs_calloc(nd + 1, sizeof *pk)) ||
                    !(calls = zs_calloc(nd * NR * NI + 1, sizeof *calls))))
        rc = zs_h5_rnomem(rd);
    if (rc == 0 && (zs_h5_get_dset_nd(g, "usual", H5T_NATIVE_INT32, 1, i1, p->usual) < 0 ||
                    zs_h5_get_dset_nd(g, "week", H5T_NATIVE_INT32, 2, w2, p->week) < 0 ||
                    zs_h5_get_dset_nd(g, "required", H5T_NATIVE_INT32, 2, d2, req) < 0 ||
                    zs_h5_get_dset_nd(g, "peak", H5T_NATIVE_INT32, 1, d2, pk) < 0 ||
                    zs_h5_get_dset_nd(g, "calls_mean", H5T_NATIVE_DOUBLE, 3, d3, calls) < 0 ||
                    p->peak_day < 0 || (hsize_t)p->peak_day >= nd))
        rc = zs_h5_rfail(rd, "/service/%s datasets", name);
    if (rc == 0) {
        memcpy(p->peak_required, req + (size_t)p->peak_day * NI, sizeof p->peak_required);
        size_t nu = 0;
        for (size_t d = 0; d < nd; d++)
            nu += !pk[d];
        for (int k = 0; k < NR; k++)
            for (int i = 0; i < NI; i++) {
                p->peak_calls_hh[k][i] = calls[((size_t)p->peak_day * NR + (size_t)k) * NI + (size_t)i];
                p->peak_calls[k] += p->peak_calls_hh[k][i];
                for (size_t d = 0; d < nd; d++)
                    if (!pk[d])
                        p->usual_calls_hh[k][i] += calls[(d * NR + (size_t)k) * NI + (size_t)i] / (double)nu;
                p->usual_calls[k] += p->usual_calls_hh[k][i];
            }
    }
    zs_free(req);
    zs_free(pk);
    zs_free(calls);
    if (rc == 0 && H5Lexists(g, "roster", H5P_DEFAULT) > 0) {
        hid_t rg = H5Gopen2(g, "roster", H5P_DEFAULT);
        p->has_roster = 1;
        if (rg < 0 || zs_h5_get_str_attr(rg, "status", p->status, sizeof p->status) < 0 ||
            zs_h5_get_attr(rg, "objective", H5T_NATIVE_DOUBLE, &p->objective) < 0 ||
            zs_h5_get_attr(rg, "bound", H5T_NATIVE_DOUBLE, &p->bound) < 0 ||
            zs_h5_get_attr(rg, "gap", H5T_NATIVE_DOUBLE, &p->gap) < 0 ||
            zs_h5_get_attr(rg, "full_timers", H5T_NATIVE_INT, &p->full_timers) < 0 ||
            zs_h5_get_attr(rg, "part_timers", H5T_NATIVE_INT, &p->part_timers) < 0 ||
            zs_h5_get_attr(rg, "temp_shifts", H5T_NATIVE_INT, &p->temp_shifts) < 0 ||
            zs_h5_get_str_attr(rg, "message", p->message, sizeof p->message) < 0 ||
            zs_h5_get_dset_nd(rg, "scheduled", H5T_NATIVE_INT32, 2, w2, p->scheduled) < 0)
            rc = zs_h5_rfail(rd, "/service/%s/roster", name);
        if (rg >= 0)
            H5Gclose(rg);
    }
    H5Gclose(g);
    return rc;
}

zs_status zs_h5service_read(const char *path, size_t *n, zs_h5service_plan **plans,
                            zs_h5service_info *info, zs_err *err)
{
    *n = 0;
    *plans = NULL;
    memset(info, 0, sizeof *info);
    hid_t f;
    int version;
    zs_status st = zs_h5_open_results(path, &f, &version, err);
    if (st != ZS_OK)
        return st;
    zs_h5_reader rd = {path, err, ZS_OK};
    zs_h5_names l;
    memset(&l, 0, sizeof l);
    hid_t sg = -1;
    zs_h5service_plan *p = NULL;
    if (H5Lexists(f, "service", H5P_DEFAULT) <= 0)
        goto done;
    if ((sg = H5Gopen2(f, "service", H5P_DEFAULT)) < 0) {
        zs_h5_rfail(&rd, "/service");
        goto done;
    }
    if (zs_h5_get_attr(sg, "open_interval", H5T_NATIVE_INT, &info->open_interval) < 0 ||
        zs_h5_get_attr(sg, "close_interval", H5T_NATIVE_INT, &info->close_interval) < 0 ||
        zs_h5_get_attr(sg, "risk", H5T_NATIVE_DOUBLE, &info->risk) < 0 ||
        zs_h5_get_attr(sg, "target", H5T_NATIVE_DOUBLE, &info->target) < 0 ||
        zs_h5_get_attr(sg, "within_s", H5T_NATIVE_DOUBLE, &info->within_s) < 0 ||
        zs_h5_get_attr(sg, "patience_s", H5T_NATIVE_DOUBLE, &info->patience_s) < 0 ||
        zs_h5_get_attr(sg, "shrinkage", H5T_NATIVE_DOUBLE, &info->shrinkage) < 0) {
        zs_h5_rfail(&rd, "attributes of /service");
        goto done;
    }
    if (zs_h5_list_ordered(&rd, sg, "/service", "plans", 1, &l) < 0)
        goto done;
    if (!(p = zs_calloc(l.n ? l.n : 1, sizeof *p))) {
        zs_h5_rnomem(&rd);
        goto done;
    }
    for (size_t i = 0; i < l.n; i++)
        if (read_plan(&rd, sg, l.name[i], &p[i]) < 0)
            goto done;
    *n = l.n;
done:
    zs_h5_names_free(&l);
    if (sg >= 0)
        H5Gclose(sg);
    H5Fclose(f);
    if (rd.st != ZS_OK) {
        zs_free(p);
        *n = 0;
        return rd.st;
    }
    *plans = p;
    return ZS_OK;
}
