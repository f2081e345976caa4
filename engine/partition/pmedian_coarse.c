/*
 * engine/partition/pmedian_coarse.c -- the uncapacitated p-median's radius
 * program on a few radii per client, refined until it proves its plan
 * (the idea of ZEBRA: Garcia, Labbe & Marin 2011, "Solving large p-median
 * problems with a radius formulation").
 *
 * Why.  With few medians (p = 5..10 on 500-900 points) every client's
 * distance to its median is long, the Lagrangian leaves a gap of 1-2%, few
 * arcs go, and the full radius program (one row per distinct distance of
 * every client, pmedian_unc.c) has 15,000 rows that GLPK's simplex does
 * not get through in a minute.  Most of those radii never matter.
 *
 * The coarse program.  Client i keeps a few chosen radii r_0 < r_1 < ...
 * < r_t of its sorted distances to the sites not fixed closed (r_0: the
 * nearest).  z_s = 1 says "no open site within r_s", and
 *     cost_i = w_i (r_0 + sum_{s>=1} (r_s - r_{s-1}) z_s),
 *     z_{s-1} - z_s - y(sites at distance in [r_{s-1}, r_s)) <= 0  (z_0 = 1)
 * charges client i the largest chosen radius not beyond its true distance:
 * never more than the truth, so the program's optimum is a lower bound on
 * the p-median's (over the plans using kept arcs, which hold every plan
 * better than the incumbent UB: optimum >= min(UB, bound)).  Only sites
 * within r_t enter the rows, so the program stays small.  A row forcing an
 * open site within the client's radius bound R_i (its farthest kept arc,
 * the Lagrangian reductions' limit for any plan better than UB) is added
 * only for clients a solution served beyond it.
 *
 * Refinement.  Solve (GLPK, the deadline's time); take its medians y',
 * evaluate them exactly (a plan, offered as UB); add for every client the
 * radius of its true distance under y' where missing (and its force row
 * when beyond R_i).  When nothing is added the program charged y' its true
 * cost, so bound = cost(y') and y' is optimal.  Every round either proves
 * or changes the program at y', so it ends.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "models/alloc.h"
#include "partition/pmedian_internal.h"

/* Radii chosen at the start between the nearest and the incumbent's
 * distance (besides those two and the next one beyond). */
#define COARSE_START_RADII 3
/* ... and the radii this many levels either side of the incumbent's (the
 * distances good plans use), and either side of each plan's in refine. */
#define COARSE_WINDOW 2
/* Rounds at most (each adds at least one radius; a safeguard only). */
#define COARSE_MAX_ROUNDS 200

typedef struct {
    zs_pm_ctx *c;
    /* Client i's sites (not fixed closed) by distance, up to its radius
     * bound: site[start[i] .. start[i+1]); level[k] indexes the distinct
     * distances: lv_start[i] .. lv_start[i+1] into lv_at (first site of the
     * level, an index into site) and chosen. */
    size_t *start;
    uint32_t *site;
    size_t *lv_start, *lv_at;
    unsigned char *chosen;
    unsigned char *force;  /* n: the radius row is in the program */
    double *R;             /* n: radius bound (farthest kept arc) */
    int *ycol;             /* m */
    int *ia, *ja;
    double *ar;
    size_t cap_nz;
    size_t *ol;            /* p */
    size_t *assign;        /* n */
    double *x0;            /* columns + 2: the incumbent as a solution (1-based) */
    zs_pm_pair *tmp;       /* m */
    double bound;          /* best bound of a solved coarse program */
    int proven, rounds;
    zs_mip_result last;
} coarse;

static double dist_of(const zs_pm_ctx *c, size_t i, size_t j)
{
    return c->d[i * c->m + j];
}

/* Client i's level holding distance D: the last level whose distance is
 * <= D (levels sorted ascending; there is always level 0 <= D). */
static size_t level_at(const coarse *z, size_t i, double D)
{
    const zs_pm_ctx *c = z->c;
    size_t a = z->lv_start[i], b = z->lv_start[i + 1], lo = a, hi = b; /* in [a, b) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (dist_of(c, i, z->site[z->lv_at[mid]]) <= D)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Sorted sites and levels of every client, with the first radii chosen. */
static zs_status prepare(coarse *z, zs_err *err)
{
    zs_pm_ctx *c = z->c;
    size_t n = c->n, m = c->m, total = 0, nlv = 0;
    for (size_t i = 0; i < n; i++) {
        z->R[i] = -INFINITY;
        for (size_t k = c->arc_start[i]; k < c->arc_start[i + 1]; k++)
            z->R[i] = fmax(z->R[i], dist_of(c, i, c->arc_j[k]));
        if (c->w[i] == 0.0 || c->arc_start[i] == c->arc_start[i + 1])
            continue;
        for (size_t j = 0; j < m; j++)
            total += c->fix[j] >= 0 && dist_of(c, i, j) <= z->R[i];
    }
    z->start = zs_malloc_array(n + 1, sizeof *z->start);
    z->site = zs_malloc_array(total ? total : 1, sizeof *z->site);
    z->lv_start = zs_malloc_array(n + 1, sizeof *z->lv_start);
    z->lv_at = zs_malloc_array(total ? total : 1, sizeof *z->lv_at);
    z->chosen = zs_calloc(total ? total : 1, 1);
    if (!z->start || !z->site || !z->lv_start || !z->lv_at || !z->chosen)
        return ZS_NOMEM(err);
    size_t t = 0;
    for (size_t i = 0; i < n; i++) {
        z->start[i] = t;
        z->lv_start[i] = nlv;
        if (c->w[i] == 0.0 || c->arc_start[i] == c->arc_start[i + 1])
            continue;
        size_t cnt = 0;
        for (size_t j = 0; j < m; j++)
            if (c->fix[j] >= 0 && dist_of(c, i, j) <= z->R[i]) {
                z->tmp[cnt].v = dist_of(c, i, j);
                z->tmp[cnt].j = j;
                cnt++;
            }
        zs_pm_sort_pairs(z->tmp, cnt);
        for (size_t k = 0; k < cnt; k++) {
            if (k == 0 || z->tmp[k].v != z->tmp[k - 1].v)
                z->lv_at[nlv++] = t;
            z->site[t++] = (uint32_t)z->tmp[k].j;
        }
        /* First radii: the nearest, the incumbent's, the next beyond, and
         * a few evenly between. */
        z->lv_start[i + 1] = nlv; /* for level_at; the next client's start too */
        size_t a = z->lv_start[i], L = nlv - a;
        size_t li = level_at(z, i, dist_of(c, i, c->inc_assign[i])) - a;
        z->chosen[a] = 1;
        for (size_t k = li > COARSE_WINDOW ? li - COARSE_WINDOW : 0;
             k <= li + COARSE_WINDOW && k < L; k++)
            z->chosen[a + k] = 1;
        for (size_t s = 1; s <= COARSE_START_RADII; s++)
            z->chosen[a + li * s / (COARSE_START_RADII + 1)] = 1;
    }
    z->start[n] = t;
    z->lv_start[n] = nlv;
    return ZS_OK;
}

/* The incumbent as a solution of the program just built (columns as
 * solve_once numbers them, ncol of them before the pump guard): y from its
 * medians, z_s = 1 where its distance is at least the radius.  Returns 0
 * when it is not one: a median fixed closed, or a client beyond a force
 * row's radius. */
static int start_of(coarse *z, int ncol)
{
    zs_pm_ctx *c = z->c;
    size_t pfree = c->p - c->nfix_open, nin = 0;
    double *x = zs_realloc(z->x0, ((size_t)ncol + 2) * sizeof *x);
    if (!x)
        return 0;
    z->x0 = x;
    for (int j = 0; j <= ncol + 1; j++)
        x[j] = 0.0;
    for (size_t r = 0; r < c->p; r++) {
        size_t j = c->inc_open[r];
        if (c->fix[j] < 0)
            return 0;
        if (z->ycol[j]) {
            x[z->ycol[j]] = 1.0;
            nin++;
        }
    }
    if (nin != pfree)
        return 0;
    int col = 0;
    for (size_t j = 0; j < c->m; j++)
        col = z->ycol[j] > col ? z->ycol[j] : col;
    for (size_t i = 0; i < c->n; i++) {
        size_t a = z->lv_start[i], b = z->lv_start[i + 1];
        if (a == b)
            continue;
        double D = INFINITY;
        for (size_t r = 0; r < c->p; r++)
            D = fmin(D, dist_of(c, i, c->inc_open[r]));
        if (z->force[i] && D > z->R[i])
            return 0;
        for (size_t k = a + 1; k < b; k++)
            if (z->chosen[k])
                x[++col] = D >= dist_of(c, i, z->site[z->lv_at[k]]) ? 1.0 : 0.0;
    }
    return col == ncol;
}

/* Builds and solves the coarse program; on a plan, its medians in z->ol. */
static zs_status solve_once(void *ctx, zs_err *err)
{
    coarse *z = ctx;
    zs_pm_ctx *c = z->c;
    size_t n = c->n, m = c->m;
    size_t pfree = c->p - c->nfix_open;
    size_t ncol = 0, nrow = 1, nnz = 0;
    for (size_t j = 0; j < m; j++)
        z->ycol[j] = c->fix[j] == 0 ? (int)++ncol : 0;
    nnz += ncol;
    /* Count: per client, a row per chosen radius after the first, plus
     * the force row; y entries for the sites below the top row's end. */
    for (size_t i = 0; i < n; i++) {
        size_t a = z->lv_start[i], b = z->lv_start[i + 1];
        if (a == b)
            continue;
        size_t top = a;
        for (size_t k = a; k < b; k++)
            if (z->chosen[k]) {
                if (k > a) {
                    ncol++;
                    nrow++;
                    nnz += 2;
                }
                top = k;
            }
        size_t end = z->force[i] ? z->start[i + 1] : z->lv_at[top];
        nnz += end - z->start[i];
        if (z->force[i]) {
            nrow++;
            nnz++;
        }
    }
    if (nnz + 1 > z->cap_nz) {
        zs_free(z->ia);
        zs_free(z->ja);
        zs_free(z->ar);
        z->cap_nz = 2 * (nnz + 1);
        z->ia = zs_malloc_array(z->cap_nz, sizeof *z->ia);
        z->ja = zs_malloc_array(z->cap_nz, sizeof *z->ja);
        z->ar = zs_malloc_array(z->cap_nz, sizeof *z->ar);
        if (!z->ia || !z->ja || !z->ar)
            return ZS_NOMEM(err);
    }
    if (ncol > (size_t)INT32_MAX / 2 || nrow > (size_t)INT32_MAX / 2 || nnz > (size_t)INT32_MAX / 2)
        return zs_err_set(err, ZS_EINVAL, "pmedian: program too large (%zu rows, %zu columns)",
                          nrow, ncol);
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_cols(P, (int)ncol);
    glp_add_rows(P, (int)nrow);
    glp_set_row_bnds(P, 1, GLP_FX, (double)pfree, (double)pfree);
    size_t t = 0;
    int row = 1, col = 0;
    for (size_t j = 0; j < m; j++)
        if (z->ycol[j]) {
            glp_set_col_kind(P, z->ycol[j], GLP_BV);
            t++;
            z->ia[t] = 1;
            z->ja[t] = z->ycol[j];
            z->ar[t] = 1.0;
            col = z->ycol[j] > col ? z->ycol[j] : col;
        }
    double constant = 0.0;
    for (size_t i = 0; i < n; i++) {
        size_t a = z->lv_start[i], b = z->lv_start[i + 1];
        if (a == b)
            continue;
        double wi = c->w[i];
        constant += wi * dist_of(c, i, z->site[z->lv_at[a]]);
        /* Rows between consecutive chosen radii: z_prev - z_k - y(sites
         * from the previous radius up to this one) <= 0 (z_prev = 1 at the
         * first); a fixed-open site among them makes the row's right side
         * 1 (served within it). */
        size_t prev = a;
        int zprev = 0; /* column of z_prev (0: the constant 1) */
        for (size_t k = a + 1; k <= b; k++) {
            int closing = k == b;
            if (!closing && !z->chosen[k])
                continue;
            if (closing && !z->force[i])
                break;
            int zk = 0;
            if (!closing) {
                zk = ++col;
                glp_set_col_bnds(P, zk, GLP_LO, 0.0, 0.0);
                glp_set_obj_coef(P, zk, wi * (dist_of(c, i, z->site[z->lv_at[k]]) -
                                              dist_of(c, i, z->site[z->lv_at[prev]])));
            }
            size_t s0 = z->lv_at[prev], s1 = closing ? z->start[i + 1] : z->lv_at[k];
            int fo = 0;
            row++;
            for (size_t s = s0; s < s1; s++) {
                size_t j = z->site[s];
                if (c->fix[j] > 0) {
                    fo = 1;
                    continue;
                }
                t++;
                z->ia[t] = row;
                z->ja[t] = z->ycol[j];
                z->ar[t] = -1.0;
            }
            if (zprev) {
                t++;
                z->ia[t] = row;
                z->ja[t] = zprev;
                z->ar[t] = 1.0;
            }
            if (zk) {
                t++;
                z->ia[t] = row;
                z->ja[t] = zk;
                z->ar[t] = -1.0;
            }
            glp_set_row_bnds(P, row, GLP_UP, 0.0, (zprev ? 0.0 : -1.0) + fo);
            prev = k;
            zprev = zk;
        }
    }
    glp_set_obj_coef(P, 0, constant);
    glp_load_matrix(P, (int)t, z->ia, z->ja, z->ar);
    zs_pm_no_pump(P);
    c->mip_start = start_of(z, col) ? z->x0 : NULL;
    c->mip_rows = row;
    c->mip_cols = col;
    zs_status st = zs_pm_mip_solve(c, P, err);
    c->mip_start = NULL;
    z->last = c->mip;
    if (st == ZS_OK && isfinite(c->mip.objective) &&
        zs_pm_mip_open(c, P, z->ycol, z->ol) != c->p)
        st = ZS_INTERNAL(err, "coarse radius program opened other than %zu sites", c->p);
    glp_delete_prob(P);
    return st;
}

/* Adds the radii the plan z->ol needs; returns how many were added. */
static size_t refine(coarse *z)
{
    zs_pm_ctx *c = z->c;
    size_t added = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t a = z->lv_start[i], b = z->lv_start[i + 1];
        if (a == b)
            continue;
        double D = INFINITY;
        for (size_t r = 0; r < c->p; r++)
            D = fmin(D, dist_of(c, i, z->ol[r]));
        if (D > z->R[i]) {
            if (!z->force[i]) {
                z->force[i] = 1;
                added++;
            }
            continue;
        }
        size_t k = level_at(z, i, D);
        if (!z->chosen[k]) {
            z->chosen[k] = 1;
            added++;
            /* Neighbours too: the next plans' distances are near. */
            for (size_t q = 1; q <= COARSE_WINDOW; q++) {
                if (k + q < b)
                    z->chosen[k + q] = 1;
                if (k >= a + q)
                    z->chosen[k - q] = 1;
            }
        }
    }
    return added;
}

zs_status zs_pm_unc_coarse(zs_pm_ctx *c, zs_err *err)
{
    size_t n = c->n, m = c->m;
    coarse z;
    memset(&z, 0, sizeof z);
    z.c = c;
    z.bound = -INFINITY;
    z.force = zs_calloc(n ? n : 1, 1);
    z.R = zs_malloc_array(n, sizeof *z.R);
    z.ycol = zs_malloc_array(m, sizeof *z.ycol);
    z.ol = zs_malloc_array(c->p, sizeof *z.ol);
    z.assign = zs_malloc_array(n, sizeof *z.assign);
    z.tmp = zs_malloc_array(m, sizeof *z.tmp);
    zs_status st = ZS_OK;
    if (!z.force || !z.R || !z.ycol || !z.ol || !z.assign || !z.tmp)
        st = ZS_NOMEM(err);
    else
        st = prepare(&z, err);
    while (st == ZS_OK && z.rounds < COARSE_MAX_ROUNDS && zs_pm_now() < c->deadline) {
        z.rounds++;
        st = zs_mip_guarded(solve_once, &z, c->o->log, err);
        if (st != ZS_OK)
            break;
        zs_mip_result *mr = &z.last;
        if (mr->status == ZS_MIP_INFEASIBLE) {
            /* No plan better than UB even in the relaxation. */
            z.proven = 1;
            break;
        }
        double b = mr->status == ZS_MIP_OPTIMAL ? mr->objective : mr->bound;
        if (isfinite(b) && b > z.bound)
            z.bound = b;
        if (!isfinite(mr->objective))
            break; /* time limit without a plan */
        /* The plan, every client at its nearest open median. */
        double obj = 0.0;
        for (size_t i = 0; i < n; i++) {
            size_t best = z.ol[0];
            for (size_t r = 1; r < c->p; r++)
                if (c->d[i * m + z.ol[r]] < c->d[i * m + best])
                    best = z.ol[r];
            z.assign[i] = best;
            obj += c->w[i] * c->d[i * m + best];
        }
        zs_pm_offer(c, z.ol, z.assign, obj);
        if (zs_pm_proves(c, fmin(z.bound, c->inc_obj), c->inc_obj)) {
            z.proven = 1;
            break;
        }
        if (mr->status != ZS_MIP_OPTIMAL)
            break; /* stopped by the clock: the bound stands */
        if (refine(&z) == 0) {
            /* The program charged its plan the true cost: bound = cost. */
            z.proven = 1;
            break;
        }
    }
    if (st == ZS_OK) {
        /* Report through c->mip as the driver reads it: optimal when
         * proven, otherwise the best bound at the time limit. */
        c->mip_run = 1;
        c->mip.status = z.proven ? ZS_MIP_OPTIMAL : ZS_MIP_TIME_LIMIT;
        c->mip.objective = c->inc_obj;
        c->mip.bound = z.proven ? c->inc_obj : z.bound;
        c->coarse_rounds = z.rounds;
    }
    zs_free(z.start);
    zs_free(z.site);
    zs_free(z.lv_start);
    zs_free(z.lv_at);
    zs_free(z.chosen);
    zs_free(z.force);
    zs_free(z.R);
    zs_free(z.ycol);
    zs_free(z.ia);
    zs_free(z.ja);
    zs_free(z.ar);
    zs_free(z.ol);
    zs_free(z.assign);
    zs_free(z.tmp);
    zs_free(z.x0);
    return st;
}
