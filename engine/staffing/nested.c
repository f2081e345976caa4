/*
 * engine/staffing/nested.c -- light-day zones as unions of heavy-day
 * zones: the balanced p-median over zones (see nested.h).
 */
#include "staffing/nested.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glpk.h>

#include "models/alloc.h"
#include "partition/metrics.h"
#include "partition/zones.h"

void zs_nested_opts_defaults(zs_nested_opts *o)
{
    o->tolerance = 0.2;
    o->max_relax = 3;
    o->time_limit_s = 10.0;
    o->mip_gap = 0.0;
}

zs_status zs_nested_opts_validate(const zs_nested_opts *o, zs_err *err)
{
    if (!(o->tolerance >= 0) || !isfinite(o->tolerance))
        return zs_err_set(err, ZS_EINVAL, "nested.tolerance = %g; must be finite and >= 0",
                          o->tolerance);
    if (o->max_relax < 0 || o->max_relax > 20)
        return zs_err_set(err, ZS_EINVAL, "nested.max_relax = %d; must be in 0..20", o->max_relax);
    zs_mip_opts mo = {o->time_limit_s, o->mip_gap, NULL, NULL, 0.0};
    zs_status st = zs_mip_opts_validate(&mo, err);
    if (st != ZS_OK)
        zs_err_prefix(err, "nested");
    return st;
}

void zs_nested_free(zs_nested *n)
{
    if (!n)
        return;
    zs_free(n->group);
    zs_partition_free(n->light);
    zs_partition_free(n->free_plan);
    zs_free(n);
}

typedef struct {
    size_t K, p;
    const double *W;   /* K zone workloads */
    const double *cost; /* K x K normalised W_z d2_zj */
    double tol;        /* < 0: no balance rows */
    zs_mip_opts mo;
    zs_mip_result res;
    int32_t *group;    /* K: anchor index of each zone on success */
    int have;
    int *ind;          /* 2K + 3 */
    double *val;
} ip_ctx;

/* Column of x_zj: 1 + z K + j; of y_j: 1 + K^2 + j. */
static zs_status build_and_solve(void *vctx, zs_err *err)
{
    ip_ctx *c = vctx;
    int K = (int)c->K;
    double M = 0.0;
    for (int z = 0; z < K; z++)
        M += c->W[z];
    M /= (double)c->p;
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_cols(P, K * K + K);
    for (int z = 0; z < K; z++)
        for (int j = 0; j < K; j++) {
            int col = 1 + z * K + j;
            glp_set_col_kind(P, col, GLP_BV);
            glp_set_obj_coef(P, col, c->cost[z * K + j]);
        }
    for (int j = 0; j < K; j++)
        glp_set_col_kind(P, 1 + K * K + j, GLP_BV);
    /* assign rows, then link rows, then x_jj = y_j, count, balance. */
    for (int z = 0; z < K; z++) {
        int r = glp_add_rows(P, 1);
        for (int j = 0; j < K; j++) {
            c->ind[j + 1] = 1 + z * K + j;
            c->val[j + 1] = 1.0;
        }
        glp_set_mat_row(P, r, K, c->ind, c->val);
        glp_set_row_bnds(P, r, GLP_FX, 1.0, 1.0);
    }
    for (int z = 0; z < K; z++)
        for (int j = 0; j < K; j++) {
            int r = glp_add_rows(P, 1);
            int ind2[3] = {0, 1 + z * K + j, 1 + K * K + j};
            double val2[3] = {0, 1.0, -1.0};
            glp_set_mat_row(P, r, 2, ind2, val2);
            /* x_zj <= y_j; for z = j equality: an anchor is in its group. */
            if (z == j)
                glp_set_row_bnds(P, r, GLP_FX, 0.0, 0.0);
            else
                glp_set_row_bnds(P, r, GLP_UP, 0.0, 0.0);
        }
    {
        int r = glp_add_rows(P, 1);
        for (int j = 0; j < K; j++) {
            c->ind[j + 1] = 1 + K * K + j;
            c->val[j + 1] = 1.0;
        }
        glp_set_mat_row(P, r, K, c->ind, c->val);
        glp_set_row_bnds(P, r, GLP_FX, (double)c->p, (double)c->p);
    }
    if (c->tol >= 0)
        for (int j = 0; j < K; j++)
            for (int side = 0; side < 2; side++) {
                int r = glp_add_rows(P, 1);
                for (int z = 0; z < K; z++) {
                    c->ind[z + 1] = 1 + z * K + j;
                    c->val[z + 1] = c->W[z] / M;
                }
                c->ind[K + 1] = 1 + K * K + j;
                c->val[K + 1] = side ? -(1.0 - c->tol) : -(1.0 + c->tol);
                glp_set_mat_row(P, r, K + 1, c->ind, c->val);
                if (side)
                    glp_set_row_bnds(P, r, GLP_LO, 0.0, 0.0);
                else
                    glp_set_row_bnds(P, r, GLP_UP, 0.0, 0.0);
            }
    zs_status st = zs_mip_solve(P, &c->mo, &c->res, err);
    c->have = 0;
    if (st == ZS_OK && (c->res.status == ZS_MIP_OPTIMAL || c->res.status == ZS_MIP_GAP ||
                        c->res.status == ZS_MIP_TIME_LIMIT)) {
        c->have = 1;
        for (int z = 0; z < K; z++) {
            c->group[z] = -1;
            for (int j = 0; j < K; j++)
                if (glp_mip_col_val(P, 1 + z * K + j) > 0.5)
                    c->group[z] = j;
            if (c->group[z] < 0)
                c->have = 0;
        }
    }
    glp_delete_prob(P);
    return st;
}

static zs_status figures(const zs_partition *p, const double *x, const double *y,
                         const double *w, const double *depot, zs_nested_figures *f, zs_err *err)
{
    zs_plan_metrics *m = NULL;
    zs_status st = zs_plan_metrics_create(p, x, y, w, depot, &m, err);
    if (st != ZS_OK)
        return st;
    f->sse_m2 = m->sse;
    f->balance_maxdev = m->balance_maxdev;
    f->balance_maxmin = m->balance_maxmin;
    f->balance_cv = m->balance_cv;
    f->tour_km = m->tour_total_m / 1000.0;
    zs_plan_metrics_free(m);
    return ZS_OK;
}

zs_status zs_nested_solve(const zs_partition *heavy, const double *x, const double *y,
                          const double *w, const double *depot, size_t k_light,
                          const zs_nested_opts *o, zs_nested **out, zs_err *err)
{
    *out = NULL;
    zs_nested_opts def;
    if (!o) {
        zs_nested_opts_defaults(&def);
        o = &def;
    }
    zs_status st = zs_nested_opts_validate(o, err);
    if (st != ZS_OK)
        return st;
    size_t K = heavy->k, n = heavy->n;
    if (k_light < 1 || k_light >= K)
        return zs_err_set(err, ZS_EINVAL,
                          "nested: %zu light-day zones from %zu heavy-day zones; need 1 <= k_light < %zu",
                          k_light, K, K);
    if (K > 200)
        return zs_err_set(err, ZS_EINVAL,
                          "nested: %zu heavy-day zones; the exact merge takes at most 200", K);
    zs_nested *r = zs_calloc(1, sizeof *r);
    double *W = zs_calloc(K, sizeof *W), *cost = zs_calloc(K * K, sizeof *cost);
    char **labels = zs_calloc(k_light, sizeof *labels);
    int32_t *anchor_group = zs_malloc_array(K, sizeof *anchor_group);
    ip_ctx c;
    memset(&c, 0, sizeof c);
    c.ind = zs_calloc(2 * K + 3, sizeof *c.ind);
    c.val = zs_calloc(2 * K + 3, sizeof *c.val);
    c.group = zs_calloc(K, sizeof *c.group);
    if (!r || !W || !cost || !labels || !anchor_group || !c.ind || !c.val || !c.group ||
        !(r->group = zs_calloc(K, sizeof *r->group))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    r->n = n;
    r->k_heavy = K;
    r->k_light = k_light;
    for (size_t i = 0; i < n; i++)
        W[heavy->zone[i]] += w ? w[i] : 1.0;
    /* Costs in units of (mean workload x mean squared centre distance), so
     * that GLPK's tolerances see numbers near 1. */
    double wsum = 0, d2sum = 0;
    for (size_t z = 0; z < K; z++) {
        wsum += W[z];
        for (size_t j = 0; j < K; j++) {
            double dx = heavy->cx[z] - heavy->cx[j], dy = heavy->cy[z] - heavy->cy[j];
            cost[z * K + j] = dx * dx + dy * dy;
            d2sum += cost[z * K + j];
        }
    }
    double wmean = wsum > 0 ? wsum / (double)K : 1.0;
    double d2mean = d2sum > 0 ? d2sum / (double)(K * K) : 1.0;
    for (size_t z = 0; z < K; z++)
        for (size_t j = 0; j < K; j++)
            cost[z * K + j] *= (wsum > 0 ? W[z] : 1.0) / (wmean * d2mean);

    c.K = K;
    c.cost = cost;
    c.p = k_light;
    c.W = wsum > 0 ? W : NULL;
    double *ones = NULL;
    if (wsum <= 0) { /* no workload at all: balance the zone counts */
        if (!(ones = zs_malloc_array(K, sizeof *ones))) {
            st = ZS_NOMEM(err);
            goto done;
        }
        for (size_t z = 0; z < K; z++)
            ones[z] = 1.0;
        c.W = ones;
    }
    zs_mip_opts_defaults(&c.mo);
    c.mo.time_limit_s = o->time_limit_s;
    c.mo.mip_gap = o->mip_gap;
    double tol = o->tolerance;
    int found = 0;
    for (int attempt = 0; attempt <= o->max_relax + 1 && !found; attempt++) {
        c.tol = attempt <= o->max_relax ? tol : -1.0;
        st = zs_mip_guarded(build_and_solve, &c, NULL, err);
        r->programs++;
        if (st != ZS_OK) {
            zs_free(ones);
            goto done;
        }
        r->runtime_s += c.res.runtime_s;
        if (c.have) {
            found = 1;
            r->tolerance_used = c.tol;
        }
        tol = tol > 0 ? 2 * tol : 0.05;
    }
    zs_free(ones);
    if (!found) {
        st = zs_err_set(err, ZS_ESOLVER,
                        "nested: no grouping of %zu zones into %zu found within %g s per program",
                        K, k_light, o->time_limit_s);
        goto done;
    }
    r->status = c.res.status;
    r->objective = c.res.objective;
    r->bound = c.res.bound;
    r->gap = c.res.gap;

    /* Anchors numbered in zone order: group g is the g-th anchor. */
    for (size_t j = 0; j < K; j++)
        anchor_group[j] = -1;
    int32_t g = 0;
    for (size_t z = 0; z < K; z++)
        if ((size_t)c.group[z] == z)
            anchor_group[z] = g++;
    if ((size_t)g != k_light) {
        st = ZS_INTERNAL(err, "nested: %d anchors, expected %zu", g, k_light);
        goto done;
    }
    for (size_t z = 0; z < K; z++)
        r->group[z] = anchor_group[c.group[z]];
    for (size_t q = 0; q < k_light; q++) {
        char b[32];
        snprintf(b, sizeof b, "L%zu", q + 1);
        if (!(labels[q] = zs_strdup(b))) {
            st = ZS_NOMEM(err);
            goto done;
        }
    }
    if (!(r->light = zs_partition_alloc(n, k_light, labels))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        r->light->zone[i] = r->group[heavy->zone[i]];
    snprintf(r->light->method, sizeof r->light->method, "nested");
    zs_mip_status_text(r->status, r->gap, r->light->status, sizeof r->light->status);
    r->light->runtime_s = r->runtime_s;
    if ((st = zs_part_centres(r->light, x, y, NULL, err)) != ZS_OK ||
        (st = zs_part_balance(r->light, w, r->tolerance_used >= 0 ? r->tolerance_used : o->tolerance,
                              err)) != ZS_OK)
        goto done;

    zs_partition_opts po;
    zs_partition_opts_defaults(&po);
    po.method = ZS_PM_KMEANS_TWO_STAGE;
    po.k = k_light;
    po.tolerance = o->tolerance;
    if ((st = zs_partition_solve(x, y, w, n, &po, &r->free_plan, err)) != ZS_OK) {
        zs_err_prefix(err, "nested: the free light-day plan");
        goto done;
    }
    if ((st = figures(r->light, x, y, w, depot, &r->nested, err)) != ZS_OK ||
        (st = figures(r->free_plan, x, y, w, depot, &r->free, err)) != ZS_OK)
        goto done;
    r->sse_ratio = r->free.sse_m2 > 0 ? r->nested.sse_m2 / r->free.sse_m2 : 1.0;

done: /* st says whether r is the result */
    if (labels)
        for (size_t q = 0; q < k_light; q++)
            zs_free(labels[q]);
    zs_free(labels);
    zs_free(W);
    zs_free(cost);
    zs_free(anchor_group);
    zs_free(c.ind);
    zs_free(c.val);
    zs_free(c.group);
    if (st != ZS_OK) {
        zs_nested_free(r);
        return st;
    }
    *out = r;
    return ZS_OK;
}
