/*
 * engine/partition/pmedian_ctx.c -- what every part of the exact p-median
 * shares: options defaults and validation, the result's free, and the
 * helpers on the solve's context (zs_pm_ctx, pmedian_internal.h): clock,
 * proof thresholds, the incumbent, sorted pairs, the unreduced arc list
 * and the GLPK solve of a program.  It calls nothing in the other
 * pmedian files, so they all may call it.
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "models/alloc.h"
#include "partition/pmedian_internal.h"

double zs_pm_now(void)
{
    return omp_get_wtime();
}

void zs_pmedian_opts_defaults(zs_pmedian_opts *o)
{
    o->time_limit_s = 60.0;
    o->mip_gap = 0.0;
    o->balance = 0;
    o->tolerance = 0.1;
    o->self_assign = 0;
    o->reduce = 1;
    o->lagr_iter = 3000;
    o->radius = ZS_PM_RADIUS_AUTO;
    o->log = NULL;
}

static zs_status check_array(const double *v, size_t n, const char *name, zs_err *err)
{
    for (size_t i = 0; v && i < n; i++)
        if (!(v[i] >= 0.0) || !isfinite(v[i]))
            return zs_err_set(err, ZS_EINVAL, "pmedian.%s[%zu] = %g; must be finite and >= 0",
                              name, i, v[i]);
    return ZS_OK;
}

zs_status zs_pmedian_validate(const zs_pmedian_problem *pb, const zs_pmedian_opts *o,
                              zs_err *err)
{
    if (!(o->time_limit_s > 0.0) || !(o->time_limit_s <= 1e6))
        return zs_err_set(err, ZS_EINVAL, "pmedian.time_limit_s = %g; must be in (0, 1e6]",
                          o->time_limit_s);
    if (!(o->mip_gap >= 0.0) || !(o->mip_gap < 1.0))
        return zs_err_set(err, ZS_EINVAL, "pmedian.mip_gap = %g; must be in [0, 1)", o->mip_gap);
    if (o->balance != 0 && o->balance != 1)
        return zs_err_set(err, ZS_EINVAL, "pmedian.balance = %d; must be 0 or 1", o->balance);
    if (!(o->tolerance >= 0.0) || !isfinite(o->tolerance))
        return zs_err_set(err, ZS_EINVAL, "pmedian.tolerance = %g; must be finite and >= 0",
                          o->tolerance);
    if (o->self_assign != 0 && o->self_assign != 1)
        return zs_err_set(err, ZS_EINVAL, "pmedian.self_assign = %d; must be 0 or 1",
                          o->self_assign);
    if (o->reduce != 0 && o->reduce != 1)
        return zs_err_set(err, ZS_EINVAL, "pmedian.reduce = %d; must be 0 or 1", o->reduce);
    if (o->lagr_iter < 0 || o->lagr_iter > 1000000)
        return zs_err_set(err, ZS_EINVAL, "pmedian.lagr_iter = %d; must be in 0..1000000",
                          o->lagr_iter);
    if (o->radius < ZS_PM_RADIUS_AUTO || o->radius > ZS_PM_RADIUS_TREE)
        return zs_err_set(err, ZS_EINVAL, "pmedian.radius = %d; must be 0 (auto), 1 (full), "
                          "2 (coarse) or 3 (tree)", o->radius);
    if (pb->n < 1 || pb->m < 1)
        return zs_err_set(err, ZS_EINVAL, "pmedian: %zu clients and %zu candidate sites; need "
                          "at least one of each", pb->n, pb->m);
    if (pb->n > ZS_PMEDIAN_MAX_N || pb->m > ZS_PMEDIAN_MAX_N)
        return zs_err_set(err, ZS_EINVAL,
                          "pmedian: %zu clients x %zu candidate sites exceeds %d x %d (dense "
                          "distance matrix); aggregate the points first, e.g. into grid cells "
                          "weighted by their workload",
                          pb->n, pb->m, ZS_PMEDIAN_MAX_N, ZS_PMEDIAN_MAX_N);
    if (pb->p < 1 || pb->p > pb->m)
        return zs_err_set(err, ZS_EINVAL, "pmedian.p = %zu; must be in 1..%zu (candidate sites)",
                          pb->p, pb->m);
    if (!pb->dist)
        return zs_err_set(err, ZS_EINVAL, "pmedian.dist is NULL");
    if (pb->cand_is_client != 0 && pb->cand_is_client != 1)
        return zs_err_set(err, ZS_EINVAL, "pmedian.cand_is_client = %d; must be 0 or 1",
                          pb->cand_is_client);
    if (pb->cand_is_client && pb->m != pb->n)
        return zs_err_set(err, ZS_EINVAL,
                          "pmedian.cand_is_client: needs as many sites as clients (%zu vs %zu)",
                          pb->m, pb->n);
    if (o->self_assign && !pb->cand_is_client)
        return zs_err_set(err, ZS_EINVAL,
                          "pmedian.self_assign needs sites that are clients (cand_is_client)");
    for (size_t i = 0; i < pb->n; i++)
        for (size_t j = 0; j < pb->m; j++) {
            double v = pb->dist[i * pb->m + j];
            if (!(v >= 0.0) || !isfinite(v))
                return zs_err_set(err, ZS_EINVAL,
                                  "pmedian.dist[%zu][%zu] = %g; must be finite and >= 0", i, j, v);
        }
    zs_status st;
    if ((st = check_array(pb->w, pb->n, "w", err)) != ZS_OK ||
        (st = check_array(pb->demand, pb->n, "demand", err)) != ZS_OK ||
        (st = check_array(pb->capacity, pb->m, "capacity", err)) != ZS_OK)
        return st;
    return ZS_OK;
}

void zs_pmedian_result_free(zs_pmedian_result *r)
{
    if (!r)
        return;
    zs_free(r->open);
    zs_free(r->assign);
    zs_free(r);
}

/* ---- shared helpers ------------------------------------------------------ */

double zs_pm_eps(double ub)
{
    return 1e-9 * (fabs(ub) > 1.0 ? fabs(ub) : 1.0);
}

double zs_pm_thr(const zs_pm_ctx *c, double ub)
{
    if (!isfinite(ub))
        return INFINITY;
    return c->integral ? ub - 1.0 + zs_pm_eps(ub) : ub + zs_pm_eps(ub);
}

int zs_pm_proves(const zs_pm_ctx *c, double lb, double ub)
{
    if (!isfinite(ub) || !isfinite(lb))
        return 0;
    return c->integral ? ceil(lb - zs_pm_eps(ub)) >= ub : lb >= ub - zs_pm_eps(ub);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

void zs_pm_offer(zs_pm_ctx *c, const size_t *open, const size_t *assign, double obj)
{
    if (c->have_inc && !(obj < c->inc_obj))
        return;
    c->have_inc = 1;
    c->inc_obj = obj;
    memcpy(c->inc_open, open, c->p * sizeof *open);
    qsort(c->inc_open, c->p, sizeof *c->inc_open, cmp_size);
    memcpy(c->inc_assign, assign, c->n * sizeof *assign);
}

static int cmp_pair(const void *a, const void *b)
{
    const zs_pm_pair *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

void zs_pm_sort_pairs(zs_pm_pair *a, size_t n)
{
    qsort(a, n, sizeof *a, cmp_pair);
}

void zs_pm_no_pump(struct glp_prob *P)
{
    /* GLPK 5.0 runs its feasibility pump at the root whenever fp_heur is
     * on (zs_mip_solve sets it) and every integer column is binary; the
     * pump re-solves the whole LP dozens of times and cost 5-10x the rest
     * of the search on pmed6/pmed17 (2 s -> 18 s, 20 s -> 87 s), while we
     * already hold a plan at least as good as anything it finds.  One
     * general-integer column in [0, 2], in no row and with cost 0, makes
     * the pump skip itself (glpios09.c: "cannot be applied due to general
     * integer variables"); it stays at 0 and is never branched on. */
    int j = glp_add_cols(P, 1);
    glp_set_col_kind(P, j, GLP_IV);
    glp_set_col_bnds(P, j, GLP_DB, 0.0, 2.0);
}

zs_status zs_pm_mip_solve(zs_pm_ctx *c, struct glp_prob *P, zs_err *err)
{
    zs_mip_opts mo;
    zs_mip_opts_defaults(&mo);
    double left = c->deadline - zs_pm_now();
    mo.time_limit_s = left > 0.01 ? left : 0.01;
    mo.mip_gap = c->o->mip_gap;
    mo.log = c->o->log;
    mo.start = c->mip_start;
    mo.obj_step = c->mip_start && c->integral ? 1.0 : 0.0;
    zs_status st = zs_mip_solve_branch(P, &mo, c->mip_branch_first, !c->mip_branch_first,
                                       &c->mip, err);
    c->mip_run = 1;
    return st;
}

size_t zs_pm_mip_open(const zs_pm_ctx *c, struct glp_prob *P, const int *ycol, size_t *open)
{
    size_t k = 0;
    for (size_t j = 0; j < c->m; j++)
        if (c->fix[j] > 0 || (ycol[j] && glp_mip_col_val(P, ycol[j]) > 0.5)) {
            if (k < c->p)
                open[k] = j;
            k++;
        }
    return k;
}

/* Sorts client i's kept arcs by distance, then site. */
void zs_pm_sort_arcs(zs_pm_ctx *c, size_t i, zs_pm_pair *tmp)
{
    size_t a = c->arc_start[i], b = c->arc_start[i + 1];
    const double *row = c->d + i * c->m;
    for (size_t k = a; k < b; k++) {
        tmp[k - a].v = row[c->arc_j[k]];
        tmp[k - a].j = c->arc_j[k];
    }
    zs_pm_sort_pairs(tmp, b - a);
    for (size_t k = a; k < b; k++)
        c->arc_j[k] = (uint32_t)tmp[k - a].j;
}

static int arc_allowed(const zs_pm_ctx *c, size_t i, size_t j)
{
    if (c->fix[j] < 0)
        return 0;
    if (c->cap && c->q[i] > c->U[j])
        return 0; /* client i alone would overload site j */
    return 1;
}

zs_status zs_pm_all_arcs(zs_pm_ctx *c, zs_err *err)
{
    size_t n = c->n, m = c->m, total = 0;
    for (size_t i = 0; i < n; i++) {
        c->arc_start[i] = total;
        if (!c->cap && c->w[i] == 0.0)
            continue; /* costs nothing wherever it goes: not in the program */
        for (size_t j = 0; j < m; j++)
            total += (size_t)arc_allowed(c, i, j);
    }
    c->arc_start[n] = total;
    zs_free(c->arc_j);
    c->arc_j = zs_malloc_array(total ? total : 1, sizeof *c->arc_j);
    zs_pm_pair *tmp = zs_malloc_array(m, sizeof *tmp);
    if (!c->arc_j || !tmp) {
        zs_free(tmp);
        return ZS_NOMEM(err);
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = c->arc_start[i];
        if (c->arc_start[i + 1] == k)
            continue;
        for (size_t j = 0; j < m; j++)
            if (arc_allowed(c, i, j))
                c->arc_j[k++] = (uint32_t)j;
        zs_pm_sort_arcs(c, i, tmp);
    }
    c->n_arcs = total;
    zs_free(tmp);
    return ZS_OK;
}
