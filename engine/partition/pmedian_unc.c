/*
 * engine/partition/pmedian_unc.c -- the uncapacitated p-median's own
 * parts: the heuristic (lazy greedy, then Whitaker's fast interchange),
 * the Lagrangian bound with its reductions (sites fixed open or closed,
 * arcs dropped), and Elloumi's radius program on the arcs kept (see
 * pmedian.h for the method and what it proves).  The driver (pmedian.c)
 * calls it through the zs_pm_unc_ functions of pmedian_internal.h; the
 * capacitated driver path borrows its medians as a starting point.  It
 * calls only pmedian_ctx.c among the pmedian files.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "models/alloc.h"
#include "partition/pmedian_internal.h"

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

/* ---- uncapacitated heuristic: lazy greedy + fast interchange ------------- */

void zs_pm_unc_ws_free(zs_pm_unc_ws *s)
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

zs_status zs_pm_unc_ws_init(zs_pm_unc_ws *s, size_t n, size_t m, size_t p, zs_err *err)
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
        zs_pm_unc_ws_free(s);
        return ZS_NOMEM(err);
    }
    return ZS_OK;
}

/* Nearest and second nearest open site of client i (lower index on ties). */
static void near_all(const zs_pm_ctx *c, zs_pm_unc_ws *s, size_t i)
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

static double unc_obj(const zs_pm_ctx *c, const zs_pm_unc_ws *s)
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
static void greedy(const zs_pm_ctx *c, zs_pm_unc_ws *s)
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
static void load_open(const zs_pm_ctx *c, zs_pm_unc_ws *s, const size_t *ol)
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
static void interchange(const zs_pm_ctx *c, zs_pm_unc_ws *s)
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
            if (br == p || !(s->loss[br] - gain < -zs_pm_eps(s->obj)))
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
void zs_pm_unc_offer(zs_pm_ctx *c, zs_pm_unc_ws *s)
{
    double obj = assign_nearest(c, s->ol, s->assign);
    zs_pm_offer(c, s->ol, s->assign, obj);
}

void zs_pm_unc_medians(const zs_pm_ctx *c, zs_pm_unc_ws *s)
{
    greedy(c, s);
    interchange(c, s);
}

void zs_pm_unc_improve(zs_pm_ctx *c, zs_pm_unc_ws *s, const size_t *ol)
{
    load_open(c, s, ol);
    zs_pm_unc_offer(c, s);
    interchange(c, s);
    zs_pm_unc_offer(c, s);
}

zs_status zs_pm_unc_heuristic(zs_pm_ctx *c, zs_pm_unc_ws *s)
{
    zs_pm_unc_medians(c, s);
    zs_pm_unc_offer(c, s);
    return ZS_OK;
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

zs_status zs_pm_unc_lagrangian(zs_pm_ctx *c, zs_pm_unc_ws *s, zs_err *err)
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
                    zs_pm_unc_offer(c, s);
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
        zs_pm_sort_arcs(c, i, tmp);
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

zs_status zs_pm_unc_radius(zs_pm_ctx *c, zs_err *err)
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
