/*
 * engine/partition/pmedian.c -- exact p-median: driver, uncapacitated
 * heuristic, Lagrangian bound with reductions, and Elloumi's radius
 * program (see pmedian.h for the method and what it proves; the
 * capacitated and balanced parts are in pmedian_cap.c).
 */
#include "partition/pmedian.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "models/alloc.h"
#include "partition/pmedian_internal.h"
#include "partition/partition_internal.h"

/* Subgradient schedule (Beasley 1993 style): step factor mu from 2,
 * halved after this many iterations without a better bound, stopped below
 * MU_MIN.  About 10 halvings: 200 iterations at least, usually a few
 * hundred more while the bound still improves. */
#define MU_PATIENCE 20
#define MU_MIN 0.002
/* The Lagrangian solution is priced as a plan every this many iterations. */
#define PRICE_EVERY 10
/* Interchange passes from Lagrangian starting points, at most. */
#define LAGR_LOCAL_SEARCHES 8

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

static double eps_of(double ub)
{
    return 1e-9 * (fabs(ub) > 1.0 ? fabs(ub) : 1.0);
}

double zs_pm_thr(const zs_pm_ctx *c, double ub)
{
    if (!isfinite(ub))
        return INFINITY;
    return c->integral ? ub - 1.0 + eps_of(ub) : ub + eps_of(ub);
}

int zs_pm_proves(const zs_pm_ctx *c, double lb, double ub)
{
    if (!isfinite(ub) || !isfinite(lb))
        return 0;
    return c->integral ? ceil(lb - eps_of(ub)) >= ub : lb >= ub - eps_of(ub);
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
    zs_status st = zs_mip_solve(P, &mo, &c->mip, err);
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
static void sort_arcs(zs_pm_ctx *c, size_t i, zs_pm_pair *tmp)
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
        sort_arcs(c, i, tmp);
    }
    c->n_arcs = total;
    zs_free(tmp);
    return ZS_OK;
}

/* ---- uncapacitated heuristic: lazy greedy + fast interchange ------------- */

typedef struct {
    size_t *ol;     /* p open sites */
    long *slot;     /* m: index in ol, -1 when closed */
    size_t *n1, *n2;
    double *d1, *d2; /* nearest and second nearest open distance per client */
    double *loss;   /* p */
    double *ub;     /* m: greedy gain bounds */
    int *fresh;     /* m */
    size_t *assign; /* n */
    double obj;
} unc_ws;

static void unc_ws_free(unc_ws *s)
{
    zs_free(s->ol);
    zs_free(s->slot);
    zs_free(s->n1);
    zs_free(s->n2);
    zs_free(s->d1);
    zs_free(s->d2);
    zs_free(s->loss);
    zs_free(s->ub);
    zs_free(s->fresh);
    zs_free(s->assign);
}

static zs_status unc_ws_init(unc_ws *s, size_t n, size_t m, size_t p, zs_err *err)
{
    memset(s, 0, sizeof *s);
    s->ol = zs_malloc_array(p, sizeof *s->ol);
    s->slot = zs_malloc_array(m, sizeof *s->slot);
    s->n1 = zs_malloc_array(n, sizeof *s->n1);
    s->n2 = zs_malloc_array(n, sizeof *s->n2);
    s->d1 = zs_malloc_array(n, sizeof *s->d1);
    s->d2 = zs_malloc_array(n, sizeof *s->d2);
    s->loss = zs_malloc_array(p, sizeof *s->loss);
    s->ub = zs_malloc_array(m, sizeof *s->ub);
    s->fresh = zs_malloc_array(m, sizeof *s->fresh);
    s->assign = zs_malloc_array(n, sizeof *s->assign);
    if (!s->ol || !s->slot || !s->n1 || !s->n2 || !s->d1 || !s->d2 || !s->loss || !s->ub ||
        !s->fresh || !s->assign) {
        unc_ws_free(s);
        return ZS_NOMEM(err);
    }
    return ZS_OK;
}

/* Nearest and second nearest open site of client i (lower index on ties). */
static void near_all(const zs_pm_ctx *c, unc_ws *s, size_t i)
{
    const double *row = c->d + i * c->m;
    double b1 = INFINITY, b2 = INFINITY;
    size_t j1 = 0, j2 = 0;
    for (size_t r = 0; r < c->p; r++) {
        size_t j = s->ol[r];
        double v = row[j];
        if (v < b1 || (v == b1 && j < j1)) {
            b2 = b1;
            j2 = j1;
            b1 = v;
            j1 = j;
        } else if (v < b2 || (v == b2 && j < j2)) {
            b2 = v;
            j2 = j;
        }
    }
    s->n1[i] = j1;
    s->d1[i] = b1;
    s->n2[i] = j2;
    s->d2[i] = b2;
}

/* Every client to its nearest open site among ol[0..p) (lower index on
 * ties; with cand_is_client an open site's own client stays home when no
 * site is nearer).  Returns the objective. */
static double assign_nearest(const zs_pm_ctx *c, const size_t *ol, size_t *assign)
{
    double obj = 0.0;
    for (size_t i = 0; i < c->n; i++) {
        const double *row = c->d + i * c->m;
        double b = INFINITY;
        size_t bj = 0;
        int self = 0;
        for (size_t r = 0; r < c->p; r++) {
            size_t j = ol[r];
            if (row[j] < b || (row[j] == b && j < bj)) {
                b = row[j];
                bj = j;
            }
            if (c->pb->cand_is_client && j == i)
                self = 1;
        }
        if (self && row[i] <= b)
            bj = i;
        assign[i] = bj;
        obj += c->w[i] * row[bj];
    }
    return obj;
}

static double unc_obj(const zs_pm_ctx *c, const unc_ws *s)
{
    double obj = 0.0;
    for (size_t i = 0; i < c->n; i++)
        obj += c->w[i] * s->d1[i];
    return obj;
}

/* Opens s->ol by lazy greedy: each step adds the site with the largest
 * decrease of the objective; a gain computed earlier bounds the current one
 * from above (gains only shrink as sites open), so a site is re-evaluated
 * only when it heads the list. */
static void greedy(const zs_pm_ctx *c, unc_ws *s)
{
    size_t n = c->n, m = c->m, k = 0;
    for (size_t j = 0; j < m; j++) {
        s->slot[j] = -1;
        s->ub[j] = INFINITY;
        s->fresh[j] = -1;
    }
    for (size_t i = 0; i < n; i++)
        s->d1[i] = INFINITY;
    for (size_t j = 0; j < m; j++)
        if (c->fix[j] > 0 && k < c->p) {
            s->slot[j] = (long)k;
            s->ol[k++] = j;
            for (size_t i = 0; i < n; i++)
                if (c->d[i * m + j] < s->d1[i])
                    s->d1[i] = c->d[i * m + j];
        }
    if (k == 0) {
        /* First site: the 1-median. */
        double best = INFINITY;
        size_t bj = 0;
        for (size_t j = 0; j < m; j++) {
            if (c->fix[j] < 0)
                continue;
            double t = 0.0;
            for (size_t i = 0; i < n; i++)
                t += c->w[i] * c->d[i * m + j];
            if (t < best) {
                best = t;
                bj = j;
            }
        }
        s->slot[bj] = 0;
        s->ol[k++] = bj;
        for (size_t i = 0; i < n; i++)
            s->d1[i] = c->d[i * m + bj];
    }
    for (int step = 0; k < c->p; step++) {
        size_t bj = m;
        for (;;) {
            bj = m;
            for (size_t j = 0; j < m; j++)
                if (s->slot[j] < 0 && c->fix[j] >= 0 && (bj == m || s->ub[j] > s->ub[bj]))
                    bj = j;
            if (s->fresh[bj] == step)
                break;
            double g = 0.0;
            for (size_t i = 0; i < n; i++) {
                double v = s->d1[i] - c->d[i * m + bj];
                if (v > 0)
                    g += c->w[i] * v;
            }
            s->ub[bj] = g;
            s->fresh[bj] = step;
        }
        s->slot[bj] = (long)k;
        s->ol[k++] = bj;
        for (size_t i = 0; i < n; i++)
            if (c->d[i * m + bj] < s->d1[i])
                s->d1[i] = c->d[i * m + bj];
    }
    for (size_t i = 0; i < n; i++)
        near_all(c, s, i);
    s->obj = unc_obj(c, s);
}

/* Loads ol[0..p) as the open set of s. */
static void load_open(const zs_pm_ctx *c, unc_ws *s, const size_t *ol)
{
    for (size_t j = 0; j < c->m; j++)
        s->slot[j] = -1;
    for (size_t r = 0; r < c->p; r++) {
        s->ol[r] = ol[r];
        s->slot[ol[r]] = (long)r;
    }
    for (size_t i = 0; i < c->n; i++)
        near_all(c, s, i);
    s->obj = unc_obj(c, s);
}

/* Whitaker's fast interchange: for each closed site f, the best site to
 * close in exchange in O(n + p) (nearest/second-nearest bookkeeping); the
 * first improving exchange is made at once.  Stops when a full pass finds
 * none, or at the deadline. */
static void interchange(const zs_pm_ctx *c, unc_ws *s)
{
    size_t n = c->n, m = c->m, p = c->p;
    if (p == m)
        return;
    int improved = 1;
    while (improved && zs_pm_now() < c->deadline) {
        improved = 0;
        for (size_t f = 0; f < m; f++) {
            if (s->slot[f] >= 0 || c->fix[f] < 0)
                continue;
            for (size_t r = 0; r < p; r++)
                s->loss[r] = 0.0;
            double gain = 0.0;
            for (size_t i = 0; i < n; i++) {
                double wi = c->w[i];
                if (wi == 0.0)
                    continue;
                double df = c->d[i * m + f];
                if (df < s->d1[i])
                    gain += wi * (s->d1[i] - df);
                else
                    s->loss[s->slot[s->n1[i]]] += wi * ((df < s->d2[i] ? df : s->d2[i]) - s->d1[i]);
            }
            size_t br = p;
            for (size_t r = 0; r < p; r++)
                if (c->fix[s->ol[r]] <= 0 && (br == p || s->loss[r] < s->loss[br]))
                    br = r;
            if (br == p || !(s->loss[br] - gain < -eps_of(s->obj)))
                continue;
            size_t out = s->ol[br];
            s->slot[out] = -1;
            s->ol[br] = f;
            s->slot[f] = (long)br;
            for (size_t i = 0; i < n; i++) {
                if (s->n1[i] == out || s->n2[i] == out) {
                    near_all(c, s, i);
                    continue;
                }
                double df = c->d[i * m + f];
                if (df < s->d1[i]) {
                    s->n2[i] = s->n1[i];
                    s->d2[i] = s->d1[i];
                    s->n1[i] = f;
                    s->d1[i] = df;
                } else if (df < s->d2[i]) {
                    s->n2[i] = f;
                    s->d2[i] = df;
                }
            }
            s->obj = unc_obj(c, s);
            improved = 1;
        }
    }
}

/* Offers s's open set as a plan. */
static void offer_ws(zs_pm_ctx *c, unc_ws *s)
{
    double obj = assign_nearest(c, s->ol, s->assign);
    zs_pm_offer(c, s->ol, s->assign, obj);
}

/* ---- uncapacitated Lagrangian bound and reductions ----------------------- */

typedef struct {
    double *rho;      /* m */
    zs_pm_pair *pr;   /* m */
    unsigned char *chosen; /* m */
    double *g;        /* n */
    double *lam;      /* n current multipliers */
} lagr_ws;

static void lagr_ws_free(lagr_ws *l)
{
    zs_free(l->rho);
    zs_free(l->pr);
    zs_free(l->chosen);
    zs_free(l->g);
    zs_free(l->lam);
}

/* L(lam): rho_j for every site, the p smallest chosen (sorted into pr). */
static double lagr_eval(const zs_pm_ctx *c, lagr_ws *l, const double *lam)
{
    size_t n = c->n, m = c->m;
    double *rho = l->rho, L = 0.0;
    for (size_t j = 0; j < m; j++)
        rho[j] = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wi = c->w[i], li = lam[i];
        if (wi == 0.0)
            continue;
        L += li;
        const double *row = c->d + i * m;
        for (size_t j = 0; j < m; j++) {
            double v = wi * row[j] - li;
            rho[j] += v < 0.0 ? v : 0.0;
        }
    }
    for (size_t j = 0; j < m; j++) {
        l->pr[j].v = rho[j];
        l->pr[j].j = j;
        l->chosen[j] = 0;
    }
    zs_pm_sort_pairs(l->pr, m);
    for (size_t r = 0; r < c->p; r++) {
        L += l->pr[r].v;
        l->chosen[l->pr[r].j] = 1;
    }
    return L;
}

static zs_status unc_lagrangian(zs_pm_ctx *c, unc_ws *s, zs_err *err)
{
    size_t n = c->n, m = c->m, p = c->p;
    lagr_ws l = {0};
    zs_pm_pair *tmp = NULL;
    zs_status st = ZS_OK;
    l.rho = zs_malloc_array(m, sizeof *l.rho);
    l.pr = zs_malloc_array(m, sizeof *l.pr);
    l.chosen = zs_malloc_array(m, sizeof *l.chosen);
    l.g = zs_malloc_array(n, sizeof *l.g);
    l.lam = zs_malloc_array(n, sizeof *l.lam);
    size_t *ol = zs_malloc_array(p, sizeof *ol);
    if (!l.rho || !l.pr || !l.chosen || !l.g || !l.lam || !ol) {
        st = ZS_NOMEM(err);
        goto done;
    }
    /* Start from the plan's own costs: tight where the plan is good. */
    for (size_t i = 0; i < n; i++)
        l.lam[i] = c->w[i] * c->d[i * m + c->inc_assign[i]];
    memcpy(c->lam, l.lam, n * sizeof *l.lam);
    double mu = 2.0;
    int since = 0, searches = 0;
    for (int it = 0; it < c->o->lagr_iter; it++) {
        if (zs_pm_now() > c->deadline)
            break;
        double L = lagr_eval(c, &l, l.lam);
        if (L > c->lb) {
            c->lb = L;
            memcpy(c->lam, l.lam, n * sizeof *l.lam);
            since = 0;
        } else if (++since >= MU_PATIENCE) {
            mu /= 2.0;
            since = 0;
            if (mu < MU_MIN)
                break;
        }
        if (zs_pm_proves(c, c->lb, c->inc_obj))
            break;
        double norm = 0.0;
        for (size_t r = 0; r < p; r++)
            ol[r] = l.pr[r].j;
        for (size_t i = 0; i < n; i++) {
            l.g[i] = 0.0;
            if (c->w[i] == 0.0)
                continue;
            double wi = c->w[i], li = l.lam[i];
            const double *row = c->d + i * m;
            int cnt = 0;
            for (size_t r = 0; r < p; r++)
                cnt += wi * row[ol[r]] - li < 0.0;
            l.g[i] = 1.0 - cnt;
            norm += l.g[i] * l.g[i];
        }
        if (it % PRICE_EVERY == 0 || norm == 0.0) {
            /* The Lagrangian's sites as a plan; polished now and then. */
            double obj = assign_nearest(c, ol, s->assign);
            if (obj < c->inc_obj) {
                zs_pm_offer(c, ol, s->assign, obj);
                if (searches < LAGR_LOCAL_SEARCHES) {
                    searches++;
                    load_open(c, s, ol);
                    interchange(c, s);
                    offer_ws(c, s);
                }
            }
        }
        if (norm == 0.0)
            break; /* every client served once: the bound is attained */
        double t = mu * (c->inc_obj - L) / norm;
        for (size_t i = 0; i < n; i++) {
            double v = l.lam[i] + t * l.g[i];
            l.lam[i] = v > 0.0 ? v : 0.0;
        }
    }

    /* Reductions at the best multipliers. */
    double L = lagr_eval(c, &l, c->lam);
    if (L > c->lb)
        c->lb = L;
    double ub = c->inc_obj, thr = zs_pm_thr(c, ub);
    if (zs_pm_proves(c, c->lb, ub)) {
        c->proven = 1;
        goto done;
    }
    double rp = l.pr[p - 1].v, rp1 = p < m ? l.pr[p].v : INFINITY;
    for (size_t r = 0; r < m; r++) {
        size_t j = l.pr[r].j;
        if (r < p && L - l.rho[j] + rp1 > thr) {
            c->fix[j] = 1; /* closing it costs more than UB */
            c->nfix_open++;
        } else if (r >= p && L - rp + l.rho[j] > thr) {
            c->fix[j] = -1; /* opening it costs more than UB */
            c->nfix_closed++;
        }
    }
    /* Arc (i, j): bound with client i forced to site j. */
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        total = 0;
        for (size_t i = 0; i < n; i++) {
            c->arc_start[i] = total;
            double wi = c->w[i], li = c->lam[i];
            if (wi == 0.0)
                continue;
            const double *row = c->d + i * m;
            for (size_t j = 0; j < m; j++) {
                if (c->fix[j] < 0)
                    continue;
                double v = wi * row[j] - li;
                double lbx = L + (v > 0.0 ? v : 0.0) + (l.chosen[j] ? 0.0 : l.rho[j] - rp);
                if (lbx <= thr) {
                    if (pass)
                        c->arc_j[total] = (uint32_t)j;
                    total++;
                }
            }
            if (total == c->arc_start[i])
                c->proven = 1; /* client i has no site left: nothing beats UB */
        }
        c->arc_start[n] = total;
        if (pass == 0) {
            zs_free(c->arc_j);
            c->arc_j = zs_malloc_array(total ? total : 1, sizeof *c->arc_j);
            if (!c->arc_j) {
                st = ZS_NOMEM(err);
                goto done;
            }
        }
    }
    c->n_arcs = total;
    if (c->nfix_open > p || c->nfix_open + (m - c->nfix_open - c->nfix_closed) < p)
        c->proven = 1; /* the fixings leave no plan that beats UB */
    tmp = zs_malloc_array(m, sizeof *tmp);
    if (!tmp) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        sort_arcs(c, i, tmp);
done:
    zs_free(tmp);
    zs_free(ol);
    lagr_ws_free(&l);
    return st;
}

/* ---- Elloumi's radius program on the kept arcs --------------------------- */

typedef struct {
    zs_pm_ctx *c;
    int *ycol;      /* m: column of free site j, 0 otherwise */
    int *ia, *ja;   /* 1-based triplets */
    double *ar;
    size_t *ol;     /* p: the program's open sites */
    size_t *assign; /* n */
    int have;       /* 1 when the program returned a plan */
} radius_job;

/* Walks client i's kept arcs level by level (equal distances form one
 * level), stopping after the level that holds a site fixed open or that
 * brings the count of free sites to `cut` (some site among any cut free
 * ones is open).  Calls back per level; returns the number of levels. */
typedef struct {
    size_t a, b;   /* arcs [a, b) of the level */
    double D;      /* its distance */
    int fixed_open;
} level;

static size_t levels_of(const zs_pm_ctx *c, size_t i, size_t cut, level *lv)
{
    size_t a = c->arc_start[i], b = c->arc_start[i + 1], K = 0, free_seen = 0;
    const double *row = c->d + i * c->m;
    size_t k = a;
    while (k < b) {
        double D = row[c->arc_j[k]];
        size_t e = k;
        int fo = 0;
        while (e < b && row[c->arc_j[e]] == D) {
            if (c->fix[c->arc_j[e]] > 0)
                fo = 1;
            else
                free_seen++;
            e++;
        }
        lv[K].a = k;
        lv[K].b = e;
        lv[K].D = D;
        lv[K].fixed_open = fo;
        K++;
        k = e;
        if (fo || free_seen >= cut)
            break;
    }
    return K;
}

static zs_status radius_run(void *ctx, zs_err *err)
{
    radius_job *J = ctx;
    zs_pm_ctx *c = J->c;
    size_t n = c->n, m = c->m;
    size_t nfree = m - c->nfix_open - c->nfix_closed, pfree = c->p - c->nfix_open;
    size_t cut = nfree - pfree + 1;
    level *lv = zs_malloc_array(m, sizeof *lv);
    if (!lv)
        return ZS_NOMEM(err);
    /* Count columns, rows and nonzeros. */
    size_t ncol = 0, nrow = 1, nnz = 0;
    for (size_t j = 0; j < m; j++)
        if (c->fix[j] == 0)
            J->ycol[j] = (int)++ncol;
        else
            J->ycol[j] = 0;
    nnz += ncol;
    for (size_t i = 0; i < n; i++) {
        if (c->w[i] == 0.0)
            continue;
        size_t K = levels_of(c, i, cut, lv);
        if (K == 0) {
            zs_free(lv);
            return ZS_INTERNAL(err, "radius program: client %zu has no site left", i);
        }
        ncol += K - 1;
        for (size_t k = 0; k < K; k++) {
            int last = k + 1 == K;
            if (last && lv[k].fixed_open)
                break;
            nrow++;
            nnz += (lv[k].b - lv[k].a) + (k > 0) + !last;
        }
    }
    if (ncol > (size_t)INT32_MAX / 2 || nrow > (size_t)INT32_MAX / 2 || nnz > (size_t)INT32_MAX / 2) {
        zs_free(lv);
        return zs_err_set(err, ZS_EINVAL, "pmedian: program too large (%zu rows, %zu columns)",
                          nrow, ncol);
    }
    J->ia = zs_malloc_array(nnz + 1, sizeof *J->ia);
    J->ja = zs_malloc_array(nnz + 1, sizeof *J->ja);
    J->ar = zs_malloc_array(nnz + 1, sizeof *J->ar);
    if (!J->ia || !J->ja || !J->ar) {
        zs_free(lv);
        return ZS_NOMEM(err);
    }
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_cols(P, (int)ncol);
    glp_add_rows(P, (int)nrow);
    size_t t = 0;
    int row = 1;
    /* Row 1: sum of free y = sites still to open. */
    glp_set_row_bnds(P, 1, GLP_FX, (double)pfree, (double)pfree);
    for (size_t j = 0; j < m; j++)
        if (J->ycol[j]) {
            glp_set_col_kind(P, J->ycol[j], GLP_BV);
            t++;
            J->ia[t] = 1;
            J->ja[t] = J->ycol[j];
            J->ar[t] = 1.0;
        }
    int col = 0;
    for (size_t j = 0; j < m; j++)
        if (J->ycol[j] > col)
            col = J->ycol[j];
    double constant = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (c->w[i] == 0.0)
            continue;
        size_t K = levels_of(c, i, cut, lv);
        constant += c->w[i] * lv[0].D;
        int z0 = col; /* z_ik is column z0 + k, k = 1..K-1 */
        for (size_t k = 1; k < K; k++) {
            glp_set_col_bnds(P, z0 + (int)k, GLP_LO, 0.0, 0.0);
            glp_set_obj_coef(P, z0 + (int)k, c->w[i] * (lv[k].D - lv[k - 1].D));
        }
        col += (int)(K - 1);
        for (size_t k = 0; k < K; k++) {
            int last = k + 1 == K;
            if (last && lv[k].fixed_open)
                break;
            row++;
            /* z_{k-1} - z_k - y(level k) <= 0, with z_0 = 1, z_K = 0. */
            if (k == 0)
                glp_set_row_bnds(P, row, GLP_UP, 0.0, -1.0);
            else
                glp_set_row_bnds(P, row, GLP_UP, 0.0, 0.0);
            for (size_t e = lv[k].a; e < lv[k].b; e++) {
                t++;
                J->ia[t] = row;
                J->ja[t] = J->ycol[c->arc_j[e]];
                J->ar[t] = -1.0;
            }
            if (k > 0) {
                t++;
                J->ia[t] = row;
                J->ja[t] = z0 + (int)k;
                J->ar[t] = 1.0;
            }
            if (!last) {
                t++;
                J->ia[t] = row;
                J->ja[t] = z0 + (int)k + 1;
                J->ar[t] = -1.0;
            }
        }
    }
    zs_free(lv);
    glp_set_obj_coef(P, 0, constant);
    glp_load_matrix(P, (int)t, J->ia, J->ja, J->ar);
    c->mip_rows = (int)nrow;
    zs_pm_no_pump(P);
    c->mip_cols = (int)ncol;
    zs_status st = zs_pm_mip_solve(c, P, err);
    if (st == ZS_OK && isfinite(c->mip.objective)) {
        size_t k = zs_pm_mip_open(c, P, J->ycol, J->ol);
        if (k != c->p)
            st = ZS_INTERNAL(err, "radius program opened %zu sites, not %zu", k, c->p);
        else
            J->have = 1;
    }
    glp_delete_prob(P);
    return st;
}

static zs_status radius_program(zs_pm_ctx *c, zs_err *err)
{
    radius_job J = {0};
    J.c = c;
    J.ycol = zs_malloc_array(c->m, sizeof *J.ycol);
    J.ol = zs_malloc_array(c->p, sizeof *J.ol);
    J.assign = zs_malloc_array(c->n, sizeof *J.assign);
    zs_status st;
    if (!J.ycol || !J.ol || !J.assign)
        st = ZS_NOMEM(err);
    else
        st = zs_mip_guarded(radius_run, &J, c->o->log, err);
    if (st == ZS_OK && J.have) {
        double obj = assign_nearest(c, J.ol, J.assign);
        zs_pm_offer(c, J.ol, J.assign, obj);
    }
    zs_free(J.ycol);
    zs_free(J.ia);
    zs_free(J.ja);
    zs_free(J.ar);
    zs_free(J.ol);
    zs_free(J.assign);
    return st;
}

/* ---- driver ---------------------------------------------------------------- */

static void ctx_free(zs_pm_ctx *c)
{
    zs_free(c->w);
    zs_free(c->q);
    zs_free(c->U);
    zs_free(c->inc_open);
    zs_free(c->inc_assign);
    zs_free(c->lam);
    zs_free(c->fix);
    zs_free(c->arc_start);
    zs_free(c->arc_j);
}

static zs_status ctx_init(zs_pm_ctx *c, const zs_pmedian_problem *pb, const zs_pmedian_opts *o,
                          zs_err *err)
{
    size_t n = pb->n, m = pb->m;
    memset(c, 0, sizeof *c);
    c->pb = pb;
    c->o = o;
    c->n = n;
    c->m = m;
    c->p = pb->p;
    c->d = pb->dist;
    c->cap = o->balance || pb->capacity;
    c->lb = 0.0; /* every cost is >= 0 */
    c->inc_obj = INFINITY;
    c->heur_obj = NAN;
    c->w = zs_malloc_array(n, sizeof *c->w);
    c->q = zs_malloc_array(n, sizeof *c->q);
    c->U = zs_malloc_array(m, sizeof *c->U);
    c->inc_open = zs_malloc_array(c->p, sizeof *c->inc_open);
    c->inc_assign = zs_malloc_array(n, sizeof *c->inc_assign);
    c->lam = zs_malloc_array(n, sizeof *c->lam);
    c->fix = zs_calloc(m, sizeof *c->fix);
    c->arc_start = zs_malloc_array(n + 1, sizeof *c->arc_start);
    if (!c->w || !c->q || !c->U || !c->inc_open || !c->inc_assign || !c->lam || !c->fix ||
        !c->arc_start)
        return ZS_NOMEM(err);
    double total = 0.0;
    for (size_t i = 0; i < n; i++) {
        c->w[i] = pb->w ? pb->w[i] : 1.0;
        c->q[i] = pb->demand ? pb->demand[i] : 1.0;
        total += c->q[i];
    }
    double hi = INFINITY;
    if (o->balance) {
        double mean = total / (double)c->p;
        c->Lo = mean - o->tolerance * mean;
        if (c->Lo < 0.0)
            c->Lo = 0.0;
        hi = mean + o->tolerance * mean;
    }
    for (size_t j = 0; j < m; j++) {
        double u = pb->capacity ? pb->capacity[j] : INFINITY;
        c->U[j] = u < hi ? u : hi;
    }
    /* Integral costs let every bound be rounded up (2^50: exact sums). */
    c->integral = 1;
    for (size_t i = 0; i < n && c->integral; i++) {
        if (c->w[i] != floor(c->w[i]))
            c->integral = 0;
        for (size_t j = 0; j < m && c->integral; j++) {
            double v = c->d[i * m + j];
            if (v != floor(v) || c->w[i] * v > 0x1p50)
                c->integral = 0;
        }
    }
    return ZS_OK;
}

static zs_status unc_heuristic(zs_pm_ctx *c, unc_ws *s)
{
    greedy(c, s);
    interchange(c, s);
    offer_ws(c, s);
    return ZS_OK;
}

/* Quick proofs of infeasibility for capacities and balance. */
static int cap_infeasible(const zs_pm_ctx *c, zs_pm_pair *tmp)
{
    double total = 0.0, qmax = 0.0;
    for (size_t i = 0; i < c->n; i++) {
        total += c->q[i];
        if (c->q[i] > qmax)
            qmax = c->q[i];
    }
    size_t usable = 0;
    for (size_t j = 0; j < c->m; j++) {
        tmp[j].v = -c->U[j];
        tmp[j].j = j;
        usable += c->U[j] >= c->Lo;
    }
    if (usable < c->p)
        return 1; /* fewer than p sites can carry the lower load */
    zs_pm_sort_pairs(tmp, c->m);
    if (-tmp[0].v < qmax)
        return 1; /* some client fits nowhere */
    double cap = 0.0;
    for (size_t r = 0; r < c->p; r++)
        cap += -tmp[r].v;
    return cap < total * (1.0 - 1e-12); /* the p largest cannot hold all demand */
}

static void finish(zs_pm_ctx *c, zs_pmedian_result *r)
{
    double bound = c->lb;
    int proven = c->proven, infeasible = c->infeasible, by_mip = 0;
    if (c->mip_run) {
        switch (c->mip.status) {
        case ZS_MIP_OPTIMAL:
            proven = 1;
            by_mip = 1;
            break;
        case ZS_MIP_INFEASIBLE:
            /* The program holds every plan better than UB: none exists. */
            if (c->have_inc)
                proven = 1;
            else
                infeasible = 1;
            by_mip = 1;
            break;
        default: {
            double mb = c->mip.bound;
            if (isnan(mb))
                mb = -INFINITY;
            /* Plans outside the program cost at least UB. */
            if (c->have_inc && mb > c->inc_obj)
                mb = c->inc_obj;
            if (mb > bound)
                bound = mb;
        }
        }
    }
    r->lagrangian_bound = c->o->reduce ? c->lb : -INFINITY;
    r->heuristic_objective = c->heur_obj;
    r->fixed_open = c->nfix_open;
    r->fixed_closed = c->nfix_closed;
    r->arcs = c->n_arcs;
    r->mip_rows = c->mip_rows;
    r->mip_cols = c->mip_cols;
    r->mip_nodes = c->mip_run ? c->mip.nodes : 0;
    r->proof = "";
    r->have_solution = c->have_inc && !infeasible;
    if (r->have_solution) {
        memcpy(r->open, c->inc_open, c->p * sizeof *r->open);
        memcpy(r->assign, c->inc_assign, c->n * sizeof *r->assign);
        r->objective = c->inc_obj;
        if (c->integral)
            bound = ceil(bound - eps_of(c->inc_obj));
        if (!proven && zs_pm_proves(c, bound, c->inc_obj))
            proven = 1;
    } else {
        r->objective = NAN;
    }
    if (infeasible) {
        r->status = ZS_MIP_INFEASIBLE;
        r->bound = INFINITY;
        r->gap = INFINITY;
        r->proof = c->mip_run && by_mip ? "mip" : "lagrangian";
        snprintf(r->status_text, sizeof r->status_text, "infeasible");
    } else if (!r->have_solution) {
        r->status = ZS_MIP_NO_SOLUTION;
        r->bound = bound;
        r->gap = INFINITY;
        snprintf(r->status_text, sizeof r->status_text, "time limit (no plan)");
    } else if (proven) {
        r->status = ZS_MIP_OPTIMAL;
        r->exact = 1;
        r->bound = r->objective;
        r->gap = 0.0;
        r->proof = by_mip ? "mip" : "lagrangian";
        snprintf(r->status_text, sizeof r->status_text, "optimal");
    } else {
        if (bound > r->objective)
            bound = r->objective;
        r->bound = bound;
        double den = fabs(r->objective) > 1e-10 ? fabs(r->objective) : 1e-10;
        r->gap = isfinite(bound) ? (r->objective - bound) / den : INFINITY;
        int at_gap = c->o->mip_gap > 0 && r->gap <= c->o->mip_gap;
        if (c->mip_run && c->mip.status == ZS_MIP_GAP)
            at_gap = 1;
        r->status = at_gap ? ZS_MIP_GAP : ZS_MIP_TIME_LIMIT;
        if (!isfinite(r->gap))
            snprintf(r->status_text, sizeof r->status_text, "time limit (no bound)");
        else
            snprintf(r->status_text, sizeof r->status_text, "%s (gap %.2f%%)",
                     at_gap ? "feasible" : "time limit", 100.0 * r->gap);
    }
}

zs_status zs_pmedian_solve(const zs_pmedian_problem *pb, const zs_pmedian_opts *opts,
                           zs_pmedian_result **out, zs_err *err)
{
    *out = NULL;
    zs_pmedian_opts def;
    if (!opts) {
        zs_pmedian_opts_defaults(&def);
        opts = &def;
    }
    zs_status st = zs_pmedian_validate(pb, opts, err);
    if (st != ZS_OK)
        return st;
    zs_pm_ctx c;
    unc_ws s;
    int have_ws = 0;
    zs_pm_pair *tmp = NULL;
    zs_pmedian_result *r = zs_calloc(1, sizeof *r);
    if ((st = ctx_init(&c, pb, opts, err)) != ZS_OK)
        goto fail;
    c.t0 = zs_pm_now();
    c.deadline = c.t0 + opts->time_limit_s;
    if (!r || !(r->open = zs_malloc_array(c.p, sizeof *r->open)) ||
        !(r->assign = zs_malloc_array(c.n, sizeof *r->assign)) ||
        !(tmp = zs_malloc_array(c.m, sizeof *tmp))) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    r->n = c.n;
    r->m = c.m;
    r->p = c.p;
    if ((st = unc_ws_init(&s, c.n, c.m, c.p, err)) != ZS_OK)
        goto fail;
    have_ws = 1;
    if (!c.cap) {
        unc_heuristic(&c, &s);
        c.heur_obj = c.inc_obj;
        if (c.p == c.m || zs_pm_proves(&c, c.lb, c.inc_obj))
            c.proven = 1; /* every site open, or a zero-cost plan */
        else if (opts->reduce)
            st = unc_lagrangian(&c, &s, err);
        else
            st = zs_pm_all_arcs(&c, err);
        if (st != ZS_OK)
            goto fail;
        int gap_ok = opts->mip_gap > 0 && c.inc_obj - c.lb <= opts->mip_gap * c.inc_obj;
        if (!c.proven && !gap_ok && zs_pm_now() < c.deadline) {
            size_t pfree = c.p - c.nfix_open, nfree = c.m - c.nfix_open - c.nfix_closed;
            if (pfree == 0 || pfree == nfree) {
                /* Nothing left to choose: the fixings decide the plan. */
                size_t k = 0;
                for (size_t j = 0; j < c.m; j++)
                    if (c.fix[j] > 0 || (pfree && c.fix[j] == 0))
                        s.ol[k++] = j;
                offer_ws(&c, &s);
                c.proven = 1;
            } else if ((st = radius_program(&c, err)) != ZS_OK) {
                goto fail;
            }
        }
    } else if (cap_infeasible(&c, tmp)) {
        c.infeasible = 1;
    } else {
        /* Capacitated: start from the uncapacitated medians. */
        greedy(&c, &s);
        interchange(&c, &s);
        if ((st = zs_pm_cap_heuristic(&c, s.ol, err)) != ZS_OK)
            goto fail;
        c.heur_obj = c.have_inc ? c.inc_obj : NAN;
        if (opts->reduce)
            st = zs_pm_cap_lagrangian(&c, err);
        else
            st = zs_pm_all_arcs(&c, err);
        if (st != ZS_OK)
            goto fail;
        int gap_ok = c.have_inc && opts->mip_gap > 0 &&
                     c.inc_obj - c.lb <= opts->mip_gap * c.inc_obj;
        if (!c.proven && !c.infeasible && !gap_ok && zs_pm_now() < c.deadline &&
            (st = zs_pm_cap_program(&c, err)) != ZS_OK)
            goto fail;
    }
    finish(&c, r);
    r->runtime_s = zs_pm_now() - c.t0;
    unc_ws_free(&s);
    ctx_free(&c);
    zs_free(tmp);
    *out = r;
    return ZS_OK;
fail:
    if (have_ws)
        unc_ws_free(&s);
    ctx_free(&c);
    zs_free(tmp);
    zs_pmedian_result_free(r);
    return st;
}

/* ---- pmedian-ip: the method behind zs_partition_solve -------------------- */

/* Solves on the points' Euclidean distances; r is the caller's. */
static zs_status part_solve(const double *D, const double *w, const double *gw, size_t n,
                            const zs_partition_opts *o, int balance, double time_limit_s,
                            zs_pmedian_result **r, zs_err *err)
{
    zs_pmedian_problem pb = {n, n, o->k, D, gw, w, NULL, 1};
    zs_pmedian_opts po;
    zs_pmedian_opts_defaults(&po);
    po.time_limit_s = time_limit_s;
    po.mip_gap = o->ip_gap;
    po.balance = balance;
    po.tolerance = o->tolerance;
    po.self_assign = balance; /* a zone holds its median: never empty */
    return zs_pmedian_solve(&pb, &po, r, err);
}

zs_status zs_part_pmedian(const double *x, const double *y, const double *w, const double *gw,
                          size_t n, const zs_partition_opts *o, zs_partition **out, zs_err *err)
{
    *out = NULL;
    if (n > ZS_PMEDIAN_AGG_N) /* the dense matrix: solve on grid cells instead */
        return zs_part_pmedian_agg(x, y, w, gw, n, o, out, err);
    double t0 = zs_pm_now();
    zs_pmedian_result *r = NULL, *r2 = NULL;
    zs_partition *p = NULL;
    zs_status st;
    double *D = zs_malloc_array(n * n, sizeof *D);
    size_t *zone_of = zs_malloc_array(n, sizeof *zone_of);
    size_t *cnt = zs_calloc(o->k, sizeof *cnt);
    if (!D || !zone_of || !cnt) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j];
            D[i * n + j] = sqrt(dx * dx + dy * dy);
        }
    if ((st = part_solve(D, w, gw, n, o, o->ip_balance, o->ip_time_limit_s, &r, err)) != ZS_OK)
        goto done;
    const zs_pmedian_result *use = r;
    if (!r->have_solution) {
        /* No balanced plan (infeasible, or none in time): the zones of the
         * unbalanced p-median, labelled with the balanced run's status. */
        double left = o->ip_time_limit_s - (zs_pm_now() - t0);
        if ((st = part_solve(D, w, gw, n, o, 0, left > 1.0 ? left : 1.0, &r2, err)) != ZS_OK)
            goto done;
        use = r2;
    }
    if (!(p = zs_partition_alloc(n, o->k, NULL))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        zone_of[i] = SIZE_MAX;
    for (size_t z = 0; z < o->k; z++) {
        size_t j = use->open[z];
        zone_of[j] = z;
        p->cx[z] = x[j];
        p->cy[z] = y[j];
    }
    for (size_t i = 0; i < n; i++) {
        size_t z = zone_of[use->assign[i]];
        if (z >= o->k) {
            st = ZS_INTERNAL(err, "pmedian-ip: point %zu assigned to a closed site", i);
            goto done;
        }
        p->zone[i] = (int32_t)z;
        cnt[z]++;
    }
    for (size_t z = 0; z < o->k; z++)
        if (cnt[z] == 0) {
            st = ZS_INTERNAL(err, "pmedian-ip: zone %zu is empty", z + 1);
            goto done;
        }
    p->objective = use->objective;
    p->iterations = r->mip_nodes;
    p->converged = r->exact;
    p->exact = r->exact;
    p->mip_bound = r->bound;
    p->mip_gap = r->gap;
    snprintf(p->status, sizeof p->status, "%s", r->status_text);
    *out = p;
    p = NULL;
done:
    zs_partition_free(p);
    zs_pmedian_result_free(r);
    zs_pmedian_result_free(r2);
    zs_free(D);
    zs_free(zone_of);
    zs_free(cnt);
    return st;
}

/* ---- the textbook program as an MPS file (for other solvers) ------------- */

typedef struct {
    const zs_pmedian_problem *pb;
    const zs_pmedian_opts *o;
    const char *path;
    int *ia, *ja;  /* owned by the caller of zs_mip_guarded (freed there) */
    double *ar;
} mps_job;

/* Builds the full strong formulation (no reduction, every arc) and writes
 * it with glp_write_mps in fixed (deck) format, which every MPS reader
 * takes.  Columns: y_j (j = 1..m), then x_ij (i-major).  Rows: sum y = p;
 * sum_j x_ij = 1 per client; x_ij - y_j <= 0 per arc; with capacities or
 * balance, Lo y_j <= sum_i q_i x_ij <= U_j y_j written as
 * sum_i q_i x_ij - U_j y_j <= 0 and sum_i q_i x_ij - Lo y_j >= 0. */
static zs_status mps_run(void *ctx, zs_err *err)
{
    mps_job *J = ctx;
    const zs_pmedian_problem *pb = J->pb;
    const zs_pmedian_opts *o = J->o;
    size_t n = pb->n, m = pb->m;
    int cap = o->balance || pb->capacity;
    double total = 0.0;
    for (size_t i = 0; i < n; i++)
        total += pb->demand ? pb->demand[i] : 1.0;
    double Lo = 0.0, hi = INFINITY;
    if (o->balance) {
        double mean = total / (double)pb->p;
        Lo = mean - o->tolerance * mean;
        if (Lo < 0.0)
            Lo = 0.0;
        hi = mean + o->tolerance * mean;
    }
    size_t ncol = m + n * m;
    size_t nrow = 1 + n + n * m + (cap ? 2 * m : 0);
    size_t nnz = m + n * m + 2 * n * m + (cap ? 2 * (n * m + m) : 0);
    if (ncol > (size_t)INT32_MAX / 2 || nrow > (size_t)INT32_MAX / 2 || nnz > (size_t)INT32_MAX / 2)
        return zs_err_set(err, ZS_EINVAL, "pmedian: MPS program too large (%zu rows, %zu columns)",
                          nrow, ncol);
    J->ia = zs_malloc_array(nnz + 1, sizeof *J->ia);
    J->ja = zs_malloc_array(nnz + 1, sizeof *J->ja);
    J->ar = zs_malloc_array(nnz + 1, sizeof *J->ar);
    if (!J->ia || !J->ja || !J->ar)
        return ZS_NOMEM(err);
    size_t t = 0;
#define MPS_NZ(r, c, v) (t++, J->ia[t] = (int)(r), J->ja[t] = (int)(c), J->ar[t] = (v))
    glp_prob *P = glp_create_prob();
    glp_set_prob_name(P, "PMEDIAN");
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_cols(P, (int)ncol);
    glp_add_rows(P, (int)nrow);
    for (size_t j = 0; j < m; j++) {
        glp_set_col_kind(P, (int)(j + 1), GLP_BV);
        MPS_NZ(1, j + 1, 1.0);
    }
    glp_set_row_bnds(P, 1, GLP_FX, (double)pb->p, (double)pb->p);
    size_t row = 1;
    for (size_t i = 0; i < n; i++) {
        double w = pb->w ? pb->w[i] : 1.0;
        row++;
        glp_set_row_bnds(P, (int)row, GLP_FX, 1.0, 1.0);
        for (size_t j = 0; j < m; j++) {
            size_t col = m + 1 + i * m + j;
            glp_set_col_kind(P, (int)col, GLP_BV);
            glp_set_obj_coef(P, (int)col, w * pb->dist[i * m + j]);
            MPS_NZ(row, col, 1.0);
        }
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            row++;
            glp_set_row_bnds(P, (int)row, GLP_UP, 0.0, 0.0);
            MPS_NZ(row, m + 1 + i * m + j, 1.0);
            MPS_NZ(row, j + 1, -1.0);
        }
    if (cap) {
        for (size_t j = 0; j < m; j++) {
            double u = pb->capacity ? pb->capacity[j] : INFINITY;
            if (hi < u)
                u = hi;
            if (!isfinite(u))
                u = total; /* no bound beyond the whole demand */
            size_t up = ++row, lo = ++row;
            glp_set_row_bnds(P, (int)up, GLP_UP, 0.0, 0.0);
            glp_set_row_bnds(P, (int)lo, GLP_LO, 0.0, 0.0);
            for (size_t i = 0; i < n; i++) {
                double q = pb->demand ? pb->demand[i] : 1.0;
                if (q != 0.0) {
                    MPS_NZ(up, m + 1 + i * m + j, q);
                    MPS_NZ(lo, m + 1 + i * m + j, q);
                }
            }
            MPS_NZ(up, j + 1, -u);
            MPS_NZ(lo, j + 1, -Lo);
        }
    }
#undef MPS_NZ
    glp_load_matrix(P, (int)t, J->ia, J->ja, J->ar);
    int rc = glp_write_mps(P, GLP_MPS_DECK, NULL, J->path);
    glp_delete_prob(P);
    if (rc != 0)
        return zs_err_at(err, ZS_EIO, J->path, 0, 0, "cannot write the MPS file");
    return ZS_OK;
}

zs_status zs_pmedian_write_mps(const zs_pmedian_problem *pb, const zs_pmedian_opts *opts,
                               const char *path, zs_err *err)
{
    zs_pmedian_opts def;
    if (!opts) {
        zs_pmedian_opts_defaults(&def);
        opts = &def;
    }
    zs_status st = zs_pmedian_validate(pb, opts, err);
    if (st != ZS_OK)
        return st;
    if (!path || !*path)
        return zs_err_set(err, ZS_EINVAL, "pmedian: MPS path is empty");
    mps_job J = {pb, opts, path, NULL, NULL, NULL};
    st = zs_mip_guarded(mps_run, &J, opts->log, err);
    zs_free(J.ia);
    zs_free(J.ja);
    zs_free(J.ar);
    return st;
}
