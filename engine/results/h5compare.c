/*
 * engine/results/h5compare.c -- the comparison study's HDF5 file: group /compare
 * (layout in results/README.md, "Comparison files").
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "models/alloc.h"
#include "results/compare_table.h"
#include "results/h5util.h"
#include "results/version.h"

#define COMPARE_LAYOUT 1

typedef struct {
    const zs_compare *c;
    const zs_compare_source *src;
} ctx_t;

static int write_root(zs_h5_writer *w, hid_t f, const ctx_t *x)
{
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
        !strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(created, sizeof created, "unknown");
    const char *a = NULL;
    if (zs_h5_put_str(f, a = "kind", "compare") < 0 ||
        zs_h5_put_i32(f, a = "compare_layout_version", COMPARE_LAYOUT) < 0 ||
        zs_h5_put_str(f, a = "engine_version", ZS_VERSION) < 0 ||
        zs_h5_put_str(f, a = "git_commit", zs_git_commit) < 0 ||
        zs_h5_put_str(f, a = "scenario_text", x->src->text) < 0 ||
        zs_h5_put_str(f, a = "scenario_path", x->src->path) < 0 ||
        zs_h5_put_str(f, a = "scenario_name", x->src->name) < 0 ||
        zs_h5_put_str(f, a = "created_utc", created) < 0)
        return zs_h5_wfail(w, "attribute %s of /", a);
    return 0;
}

static int write_rows(zs_h5_writer *w, hid_t g, const zs_compare *c)
{
    hsize_t n = c->n_rows;
    uint32_t *u = zs_malloc_array(n ? n : 1, sizeof *u);
    uint64_t *s = zs_malloc_array(n ? n : 1, sizeof *s);
    double *v = zs_malloc_array(n ? n : 1, sizeof *v);
    int rc = -1;
    const char *name = NULL;
    if (!u || !s || !v) {
        zs_h5_wnomem(w);
        goto done;
    }
    for (int col = 0; col < 3; col++) {
        static const char *const names[3] = {"instance", "plan", "seed_index"};
        for (size_t i = 0; i < n; i++)
            u[i] = col == 0 ? c->rows[i].instance : col == 1 ? c->rows[i].plan : c->rows[i].seed_index;
        if (zs_h5_put_dset(g, name = names[col], H5T_STD_U32LE, H5T_NATIVE_UINT32, 1, &n, u, NULL) < 0)
            goto fail;
    }
    for (size_t i = 0; i < n; i++)
        s[i] = c->rows[i].seed;
    if (zs_h5_put_dset(g, name = "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &n, s, NULL) < 0)
        goto fail;
    for (int k = 0; k < ZS_CM_COUNT; k++) {
        for (size_t i = 0; i < n; i++)
            v[i] = c->rows[i].v[k];
        name = zs_compare_metric_name(k);
        if (zs_h5_put_dset(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, v, NULL) < 0)
            goto fail;
    }
    rc = 0;
    goto done;
fail:
    zs_h5_wfail(w, "/compare/rows/%s", name);
done:
    zs_free(u);
    zs_free(s);
    zs_free(v);
    return rc;
}

static int write_summary(zs_h5_writer *w, hid_t g, const zs_compare *c)
{
    static const char *const cols[5] = {"n", "mean", "sd", "min", "max"};
    hsize_t dims[2] = {c->n_plans, 5};
    double *buf = zs_malloc_array(c->n_plans * 5 + 1, sizeof *buf);
    if (!buf)
        return zs_h5_wnomem(w);
    int rc = 0;
    for (int k = 0; k < ZS_CM_COUNT && rc == 0; k++) {
        for (size_t p = 0; p < c->n_plans; p++) {
            const zs_compare_stat *s = &c->stat[p * ZS_CM_COUNT + k];
            double row[5] = {s->n, s->mean, s->sd, s->min, s->max};
            memcpy(&buf[p * 5], row, sizeof row);
        }
        const char *name = zs_compare_metric_name(k);
        hid_t d = zs_h5_put_dset_open(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, dims,
                                      H5P_DEFAULT, buf, NULL);
        if (d < 0 || zs_h5_put_strs(d, "columns", cols, 5) < 0)
            rc = zs_h5_wfail(w, "/compare/summary/%s", name);
        if (d >= 0 && H5Dclose(d) < 0 && rc == 0)
            rc = zs_h5_wfail(w, "/compare/summary/%s", name);
    }
    zs_free(buf);
    return rc;
}

/* Issue 19: the research figures beside the summary: per metric the paired
 * difference of every plan against the first ([plans][4]: n, mean, lo,
 * hi; the first plan's row is its difference with itself), the balance
 * share's Wilson interval and the runtime median. */
static int write_research(zs_h5_writer *w, hid_t g, const zs_compare *c)
{
    static const char *const cols[4] = {"n", "mean", "lo", "hi"};
    static const char *const wcols[2] = {"lo", "hi"};
    hsize_t np = c->n_plans, dims[2] = {c->n_plans, 4}, wd[2] = {c->n_plans, 2};
    double *buf = zs_malloc_array(c->n_plans * 4 + 1, sizeof *buf);
    if (!buf)
        return zs_h5_wnomem(w);
    int rc = 0;
    hid_t pg = H5Gcreate2(g, "paired", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (pg < 0)
        rc = zs_h5_wfail(w, "/compare/paired");
    if (rc == 0 && (zs_h5_put_str(pg, "reference", c->plan_name[0]) < 0 ||
                    zs_h5_put_str(pg, "interval", "95% t, pairs of instance and seed index") < 0))
        rc = zs_h5_wfail(w, "attributes of /compare/paired");
    for (int k = 0; k < ZS_CM_COUNT && rc == 0; k++) {
        for (size_t p = 0; p < c->n_plans && rc == 0; p++) {
            zs_compare_paired d;
            zs_err err;
            if (zs_compare_paired_diff(c, p, 0, (zs_compare_metric)k, &d, &err) != ZS_OK) {
                rc = zs_h5_wnomem(w); /* plans and metric are in range: only memory */
                break;
            }
            double row[4] = {(double)d.n, d.mean, d.lo, d.hi};
            memcpy(&buf[p * 4], row, sizeof row);
        }
        const char *name = zs_compare_metric_name(k);
        hid_t d = rc ? -1 : zs_h5_put_dset_open(pg, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2,
                                               dims, H5P_DEFAULT, buf, NULL);
        if (rc == 0 && (d < 0 || zs_h5_put_strs(d, "columns", cols, 4) < 0))
            rc = zs_h5_wfail(w, "/compare/paired/%s", name);
        if (d >= 0 && H5Dclose(d) < 0 && rc == 0)
            rc = zs_h5_wfail(w, "/compare/paired/%s", name);
    }
    if (pg >= 0 && zs_h5_end_group(&pg) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/compare/paired");
    for (size_t p = 0; p < c->n_plans && rc == 0; p++) {
        const zs_compare_stat *s = &c->stat[p * ZS_CM_COUNT + ZS_CM_BALANCE_MET];
        zs_compare_wilson(round(s->mean * s->n), s->n, &buf[2 * p], &buf[2 * p + 1]);
    }
    hid_t d = -1;
    if (rc == 0 && ((d = zs_h5_put_dset_open(g, "balance_met_wilson95", H5T_IEEE_F64LE,
                                              H5T_NATIVE_DOUBLE, 2, wd, H5P_DEFAULT, buf,
                                              NULL)) < 0 ||
                    zs_h5_put_strs(d, "columns", wcols, 2) < 0))
        rc = zs_h5_wfail(w, "/compare/balance_met_wilson95");
    if (d >= 0 && H5Dclose(d) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/compare/balance_met_wilson95");
    for (size_t p = 0; p < c->n_plans && rc == 0; p++)
        buf[p] = zs_compare_median(c, p, ZS_CM_RUNTIME_S);
    if (rc == 0 && zs_h5_put_dset(g, "runtime_median_s", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
                                  &np, buf, "s") < 0)
        rc = zs_h5_wfail(w, "/compare/runtime_median_s");
    zs_free(buf);
    return rc;
}

static int compare_body(zs_h5_writer *w, hid_t f, const void *vctx)
{
    const ctx_t *x = vctx;
    const zs_compare *c = x->c;
    if (write_root(w, f, x) < 0)
        return -1;
    hid_t g = -1, rows = -1, sum = -1;
    int rc = -1;
    hsize_t np = c->n_plans, ni = c->n_instances;
    uint64_t *u = zs_malloc_array(ni ? ni : 1, sizeof *u);
    const char *a = NULL;
    if (!u) {
        zs_h5_wnomem(w);
        goto done;
    }
    if ((g = H5Gcreate2(f, "compare", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/compare");
        goto done;
    }
    if (zs_h5_put_u64(g, a = "seeds", c->n_seeds) < 0 ||
        zs_h5_put_u64(g, a = "instances", c->n_instances) < 0 ||
        zs_h5_put_u64(g, a = "plans", c->n_plans) < 0) {
        zs_h5_wfail(w, "attribute %s of /compare", a);
        goto done;
    }
    if (zs_h5_put_str_dset(g, a = "plan_name", c->plan_name, np) < 0 ||
        zs_h5_put_str_dset(g, a = "plan_method", c->plan_method, np) < 0) {
        zs_h5_wfail(w, "/compare/%s", a);
        goto done;
    }
    for (size_t i = 0; i < ni; i++)
        u[i] = c->n_points[i];
    if (zs_h5_put_dset(g, a = "instance_points", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &ni, u,
                       NULL) < 0) {
        zs_h5_wfail(w, "/compare/%s", a);
        goto done;
    }
    for (size_t i = 0; i < ni; i++)
        u[i] = c->auto_k[i];
    if (zs_h5_put_dset(g, a = "instance_auto_k", H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, &ni, u,
                       "zones") < 0) {
        zs_h5_wfail(w, "/compare/%s", a);
        goto done;
    }
    if ((rows = H5Gcreate2(g, "rows", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/compare/rows");
        goto done;
    }
    if (write_rows(w, rows, c) < 0)
        goto done;
    if ((sum = H5Gcreate2(g, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/compare/summary");
        goto done;
    }
    if (write_summary(w, sum, c) < 0 || write_research(w, g, c) < 0)
        goto done;
    rc = 0;
done:
    if (sum >= 0 && zs_h5_end_group(&sum) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/compare/summary");
    if (rows >= 0 && zs_h5_end_group(&rows) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/compare/rows");
    if (g >= 0 && zs_h5_end_group(&g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/compare");
    zs_free(u);
    return rc;
}

zs_status zs_compare_write_h5(const zs_compare *c, const zs_compare_source *src,
                              const char *path, zs_err *err)
{
    ctx_t x = {c, src};
    return zs_h5_write_file(path, compare_body, &x, err);
}
