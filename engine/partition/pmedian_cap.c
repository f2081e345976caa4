/*
 * engine/partition/pmedian_cap.c -- capacitated and balanced p-median:
 * the assignment heuristic (Mulvey & Beck style) and the Lagrangian bound
 * with continuous-knapsack subproblems and its reductions, which prices
 * its solutions with that heuristic (see pmedian.h).  The assignment
 * program on what the reductions keep is in pmedian_assign.c.
 *
 * Loads: site j may carry between Lo (balance) and U_j = min(Q_j, (1 +
 * tol) mean) of demand when open.  Every bound here is a relaxation of
 * exactly that problem, so every reduction keeps the optimum.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/pmedian_internal.h"

#define MU_PATIENCE 20
#define MU_MIN 0.002
#define PRICE_EVERY 10
#define LAGR_HEURISTICS 100
#define RELOCATE_ROUNDS 50
#define LS_PASSES 20
#define SWAP_NEAR 12

static double cost(const zs_pm_ctx *c, size_t i, size_t j)
{
    return c->w[i] * c->d[i * c->m + j];
}

/* Closeness of two sites for the swap neighbourhood: through the clients'
 * distances when sites are clients, else the total over clients of the
 * difference of their distances to the two (a proxy). */
static double site_dist(const zs_pm_ctx *c, size_t a, size_t b)
{
    if (c->pb->cand_is_client)
        return c->d[a * c->m + b];
    double s = 0.0;
    for (size_t i = 0; i < c->n; i++)
        s += fabs(c->d[i * c->m + a] - c->d[i * c->m + b]);
    return s;
}

static double eps_of(double v)
{
    return 1e-9 * (fabs(v) > 1.0 ? fabs(v) : 1.0);
}

/* Load slack for floating sums of demands. */
static double load_tol(const zs_pm_ctx *c, size_t j)
{
    double u = isfinite(c->U[j]) ? c->U[j] : c->Lo;
    return 1e-9 * (u > 1.0 ? u : 1.0);
}

/* ---- heuristic -------------------------------------------------------------- */

typedef struct {
    long *slot;         /* m: index in ol or -1 */
    size_t *ol, *best_ol;
    size_t *assign, *best_assign;
    double *load;       /* m */
    zs_pm_pair *order;  /* n */
    zs_pm_pair *cand;   /* m: swap candidates */
    size_t *tried;      /* p: the last start tried by the Lagrangian */
    unsigned char *med; /* n: client is a self-assigned median */
    double *sum;        /* relocation sums, m */
} cap_ws;

static void cap_ws_free(cap_ws *h)
{
    zs_free(h->slot);
    zs_free(h->ol);
    zs_free(h->best_ol);
    zs_free(h->assign);
    zs_free(h->best_assign);
    zs_free(h->load);
    zs_free(h->order);
    zs_free(h->cand);
    zs_free(h->tried);
    zs_free(h->med);
    zs_free(h->sum);
}

static zs_status cap_ws_init(cap_ws *h, const zs_pm_ctx *c, zs_err *err)
{
    memset(h, 0, sizeof *h);
    h->slot = zs_malloc_array(c->m, sizeof *h->slot);
    h->ol = zs_malloc_array(c->p, sizeof *h->ol);
    h->best_ol = zs_malloc_array(c->p, sizeof *h->best_ol);
    h->assign = zs_malloc_array(c->n, sizeof *h->assign);
    h->best_assign = zs_malloc_array(c->n, sizeof *h->best_assign);
    h->load = zs_malloc_array(c->m, sizeof *h->load);
    h->order = zs_malloc_array(c->n, sizeof *h->order);
    h->cand = zs_malloc_array(c->m, sizeof *h->cand);
    h->tried = zs_calloc(c->p, sizeof *h->tried);
    h->med = zs_malloc_array(c->n, sizeof *h->med);
    h->sum = zs_malloc_array(c->m, sizeof *h->sum);
    if (!h->slot || !h->ol || !h->best_ol || !h->assign || !h->best_assign || !h->load ||
        !h->order || !h->cand || !h->tried || !h->med || !h->sum) {
        cap_ws_free(h);
        return ZS_NOMEM(err);
    }
    return ZS_OK;
}

static int fits(const zs_pm_ctx *c, const cap_ws *h, size_t j, double add)
{
    return h->load[j] + add <= c->U[j] + load_tol(c, j);
}

/* Shift and swap moves that lower the cost and keep every load within
 * [Lo, U_j]; self-assigned medians stay.  Returns the cost. */
static double improve(const zs_pm_ctx *c, cap_ws *h)
{
    size_t n = c->n, p = c->p;
    for (int pass = 0; pass < LS_PASSES && zs_pm_now() < c->deadline; pass++) {
        int moved = 0;
        for (size_t i = 0; i < n; i++) {
            if (h->med[i])
                continue;
            size_t a = h->assign[i], bb = c->m;
            double q = c->q[i], best = cost(c, i, a) - eps_of(cost(c, i, a));
            if (h->load[a] - q < c->Lo - load_tol(c, a))
                continue;
            for (size_t r = 0; r < p; r++) {
                size_t b = h->ol[r];
                if (b != a && cost(c, i, b) < best && fits(c, h, b, q)) {
                    best = cost(c, i, b);
                    bb = b;
                }
            }
            if (bb < c->m) {
                h->load[a] -= q;
                h->load[bb] += q;
                h->assign[i] = bb;
                moved = 1;
            }
        }
        for (size_t i = 0; i < n && zs_pm_now() < c->deadline; i++) {
            if (h->med[i])
                continue;
            for (size_t k = i + 1; k < n; k++) {
                size_t a = h->assign[i], b = h->assign[k];
                if (h->med[k] || a == b)
                    continue;
                double delta = cost(c, i, b) + cost(c, k, a) - cost(c, i, a) - cost(c, k, b);
                if (!(delta < -eps_of(cost(c, i, a) + cost(c, k, b))))
                    continue;
                double la = h->load[a] - c->q[i] + c->q[k], lb = h->load[b] - c->q[k] + c->q[i];
                if (la > c->U[a] + load_tol(c, a) || lb > c->U[b] + load_tol(c, b) ||
                    la < c->Lo - load_tol(c, a) || lb < c->Lo - load_tol(c, b))
                    continue;
                h->load[a] = la;
                h->load[b] = lb;
                h->assign[i] = b;
                h->assign[k] = a;
                moved = 1;
            }
        }
        if (!moved)
            break;
    }
    double obj = 0.0;
    for (size_t i = 0; i < n; i++)
        obj += cost(c, i, h->assign[i]);
    return obj;
}

/* Assigns every client to the open sites h->ol: medians to themselves
 * (self_assign), the others by decreasing regret (by_demand: decreasing
 * demand) to their cheapest site
 * with room, then lifts light sites to Lo with the cheapest moves, then
 * improve().  Returns the cost, INFINITY when no assignment was found. */
static double cap_assign_by(const zs_pm_ctx *c, cap_ws *h, int by_demand)
{
    size_t n = c->n, m = c->m, p = c->p;
    for (size_t j = 0; j < m; j++) {
        h->slot[j] = -1;
        h->load[j] = 0.0;
    }
    for (size_t r = 0; r < p; r++)
        h->slot[h->ol[r]] = (long)r;
    size_t no = 0;
    for (size_t i = 0; i < n; i++) {
        h->med[i] = 0;
        if (c->o->self_assign && h->slot[i] >= 0) {
            if (!fits(c, h, i, c->q[i]))
                return INFINITY;
            h->med[i] = 1;
            h->assign[i] = i;
            h->load[i] += c->q[i];
            continue;
        }
        double b1 = INFINITY, b2 = INFINITY;
        for (size_t r = 0; r < p; r++) {
            size_t j = h->ol[r];
            if (c->q[i] > c->U[j])
                continue;
            double v = cost(c, i, j);
            if (v < b1) {
                b2 = b1;
                b1 = v;
            } else if (v < b2) {
                b2 = v;
            }
        }
        if (b1 == INFINITY)
            return INFINITY;
        h->order[no].v = by_demand ? -c->q[i] : -(b2 == INFINITY ? 1e300 : b2 - b1);
        h->order[no].j = i;
        no++;
    }
    zs_pm_sort_pairs(h->order, no);
    for (size_t t = 0; t < no; t++) {
        size_t i = h->order[t].j, bj = m;
        double bv = INFINITY;
        for (size_t r = 0; r < p; r++) {
            size_t j = h->ol[r];
            if (fits(c, h, j, c->q[i]) && cost(c, i, j) < bv) {
                bv = cost(c, i, j);
                bj = j;
            }
        }
        if (bj == m)
            return INFINITY;
        h->assign[i] = bj;
        h->load[bj] += c->q[i];
    }
    /* Lift sites below Lo, lightest first, by the cheapest admissible move. */
    for (size_t guard = 0; c->Lo > 0.0 && guard < n * p + 1; guard++) {
        size_t lj = m;
        for (size_t r = 0; r < p; r++) {
            size_t j = h->ol[r];
            if (h->load[j] < c->Lo - load_tol(c, j) && (lj == m || h->load[j] < h->load[lj]))
                lj = j;
        }
        if (lj == m)
            break;
        size_t bi = n;
        double bv = INFINITY;
        for (size_t i = 0; i < n; i++) {
            size_t a = h->assign[i];
            if (h->med[i] || a == lj || c->q[i] <= 0.0 || !fits(c, h, lj, c->q[i]) ||
                h->load[a] - c->q[i] < c->Lo - load_tol(c, a))
                continue;
            double v = cost(c, i, lj) - cost(c, i, a);
            if (v < bv) {
                bv = v;
                bi = i;
            }
        }
        if (bi == n)
            return INFINITY;
        h->load[h->assign[bi]] -= c->q[bi];
        h->load[lj] += c->q[bi];
        h->assign[bi] = lj;
    }
    for (size_t r = 0; r < p; r++)
        if (h->load[h->ol[r]] < c->Lo - load_tol(c, h->ol[r]))
            return INFINITY;
    return improve(c, h);
}

/* By regret first; when capacities are too tight for that order, largest
 * demands first (first-fit decreasing: the bin-packing order). */
static double cap_assign(const zs_pm_ctx *c, cap_ws *h)
{
    double v = cap_assign_by(c, h, 0);
    return v < INFINITY ? v : cap_assign_by(c, h, 1);
}

/* From the medians start[0..p): assign, then move each median to the site
 * that serves its zone cheapest (a member of the zone when sites are the
 * clients), reassign, and repeat while the cost falls.  Offers the best
 * plan found. */
static void cap_search(zs_pm_ctx *c, cap_ws *h, const size_t *start)
{
    size_t n = c->n, m = c->m, p = c->p;
    memcpy(h->ol, start, p * sizeof *start);
    double best = cap_assign(c, h);
    if (best == INFINITY)
        return;
    memcpy(h->best_ol, h->ol, p * sizeof *h->ol);
    memcpy(h->best_assign, h->assign, n * sizeof *h->assign);
    for (int round = 0; round < RELOCATE_ROUNDS && zs_pm_now() < c->deadline; round++) {
        int changed = 0;
        for (size_t r = 0; r < p; r++) {
            size_t cur = h->best_ol[r], bj = cur;
            double zl = 0.0;
            for (size_t i = 0; i < n; i++)
                if (h->best_assign[i] == cur)
                    zl += c->q[i];
            double bv = INFINITY;
            for (size_t j = 0; j < m; j++) {
                if (c->fix[j] < 0 || c->U[j] + load_tol(c, j) < zl || (j != cur && h->slot[j] >= 0))
                    continue;
                if (c->pb->cand_is_client && h->best_assign[j] != cur)
                    continue; /* a median inside its zone */
                double s = 0.0;
                for (size_t i = 0; i < n && s < bv; i++)
                    if (h->best_assign[i] == cur)
                        s += cost(c, i, j);
                if (s < bv || (s == bv && j == cur)) {
                    bv = s;
                    bj = j;
                }
            }
            if (bj != cur) {
                h->slot[cur] = -1;
                h->slot[bj] = (long)r;
                h->ol[r] = bj;
                changed = 1;
            } else {
                h->ol[r] = cur;
            }
        }
        if (!changed)
            break;
        /* Distinct sites by construction: a zone's members belong to it alone. */
        double v = cap_assign(c, h);
        if (!(v < best - eps_of(best)))
            break;
        best = v;
        memcpy(h->best_ol, h->ol, p * sizeof *h->ol);
        memcpy(h->best_assign, h->assign, n * sizeof *h->assign);
    }
    /* Median swaps: each median against the SWAP_NEAR sites nearest to it
     * (zone members when sites are the clients), first improvement, until
     * a full round finds none. */
    for (int round = 0; round < RELOCATE_ROUNDS && zs_pm_now() < c->deadline; round++) {
        int better = 0;
        for (size_t r = 0; r < p && !better && zs_pm_now() < c->deadline; r++) {
            size_t cur = h->best_ol[r], nc = 0;
            for (size_t j = 0; j < m; j++) {
                int open = 0;
                for (size_t t = 0; t < p && !open; t++)
                    open = h->best_ol[t] == j;
                if (open || c->fix[j] < 0 ||
                    (c->pb->cand_is_client && h->best_assign[j] != cur))
                    continue;
                h->cand[nc].v = site_dist(c, cur, j);
                h->cand[nc++].j = j;
            }
            zs_pm_sort_pairs(h->cand, nc);
            for (size_t t = 0; t < nc && t < SWAP_NEAR; t++) {
                memcpy(h->ol, h->best_ol, p * sizeof *h->ol);
                h->ol[r] = h->cand[t].j;
                double v = cap_assign(c, h);
                if (v < best - eps_of(best)) {
                    best = v;
                    memcpy(h->best_ol, h->ol, p * sizeof *h->ol);
                    memcpy(h->best_assign, h->assign, n * sizeof *h->assign);
                    better = 1;
                    break;
                }
            }
        }
        if (!better)
            break;
    }
    zs_pm_offer(c, h->best_ol, h->best_assign, best);
}

zs_status zs_pm_cap_heuristic(zs_pm_ctx *c, const size_t *start_open, zs_err *err)
{
    cap_ws h;
    zs_status st = cap_ws_init(&h, c, err);
    if (st != ZS_OK)
        return st;
    cap_search(c, &h, start_open);
    cap_ws_free(&h);
    return ZS_OK;
}

/* ---- Lagrangian: continuous knapsack per site ------------------------------ */

typedef struct {
    zs_pm_pair *neg, *pos; /* items by ratio r/q */
    double *x;             /* n: the knapsack solution of the last site solved */
    size_t *taken;         /* indices with x > 0 */
    size_t ntaken;
    /* 0-1 knapsack by dynamic programming (integral demands only). */
    int dp;                /* 1: rho_j from the 0-1 knapsack */
    long umax;             /* largest integral upper load */
    double *best;          /* umax + 1: least cost of each exact load */
    unsigned char *took;   /* items x (umax + 1): decisions, for the solution */
    size_t *item;          /* items of the table rows */
} knap_ws;

/* Byte budget of the decision table (items x loads): above it the
 * continuous knapsack (weaker bound, no table) is used. */
#define DP_TABLE_MAX ((size_t)64 << 20)

/* rho_j = min sum_i r_i x_i, r_i = w_i d_ij - lam_i, over Lo <= sum q_i x_i
 * <= U_j, 0 <= x <= 1, arcs with q_i > U_j left out.  By ratio order
 * (the cost of reaching a load is convex in it), then the load is cut at
 * the last negative ratio, clamped to [Lo, U_j].  *theta: a dual price of
 * the load with every reduced cost r_i - theta q_i >= 0 where x_i < 1.
 * Fills k->x / k->taken.  INFINITY when Lo cannot be reached. */
static double knap(const zs_pm_ctx *c, size_t j, const double *lam, knap_ws *k, double *theta)
{
    size_t n = c->n, nn = 0, np = 0;
    double U = c->U[j], Lo = c->Lo, rho = 0.0, load = 0.0, avail = 0.0;
    k->ntaken = 0;
    for (size_t i = 0; i < n; i++) {
        double q = c->q[i];
        if (q > U)
            continue;
        double r = cost(c, i, j) - lam[i];
        if (q == 0.0) {
            if (r < 0.0) {
                rho += r;
                k->x[i] = 1.0;
                k->taken[k->ntaken++] = i;
            }
            continue;
        }
        avail += q;
        if (r < 0.0) {
            k->neg[nn].v = r / q;
            k->neg[nn++].j = i;
        } else if (Lo > 0.0) {
            k->pos[np].v = r / q;
            k->pos[np++].j = i;
        }
    }
    if (avail < Lo - load_tol(c, j)) {
        for (size_t t = 0; t < k->ntaken; t++)
            k->x[k->taken[t]] = 0.0;
        k->ntaken = 0;
        *theta = 0.0;
        return INFINITY;
    }
    zs_pm_sort_pairs(k->neg, nn);
    double last = 0.0, frac_ratio = NAN;
    int have_last = 0;
    for (size_t t = 0; t < nn && load < U; t++) {
        size_t i = k->neg[t].j;
        double q = c->q[i], x = (U - load) / q;
        if (x > 1.0)
            x = 1.0;
        rho += x * (cost(c, i, j) - lam[i]);
        load += x * q;
        k->x[i] = x;
        k->taken[k->ntaken++] = i;
        last = k->neg[t].v;
        have_last = 1;
        if (x < 1.0)
            frac_ratio = last;
    }
    if (load < Lo) {
        zs_pm_sort_pairs(k->pos, np);
        for (size_t t = 0; t < np && load < Lo; t++) {
            size_t i = k->pos[t].j;
            double q = c->q[i], x = (Lo - load) / q;
            if (x > 1.0)
                x = 1.0;
            rho += x * (cost(c, i, j) - lam[i]);
            load += x * q;
            k->x[i] = x;
            k->taken[k->ntaken++] = i;
            last = k->pos[t].v;
            have_last = 1;
            if (x < 1.0)
                frac_ratio = last;
        }
    }
    if (!isnan(frac_ratio))
        *theta = frac_ratio;
    else if (have_last && last < 0.0 && load >= U - load_tol(c, j))
        *theta = last;
    else if (have_last && last > 0.0 && load <= Lo + load_tol(c, j))
        *theta = last;
    else
        *theta = 0.0;
    return rho;
}

/* The same subproblem with x binary (Lagrangian relaxation without the
 * integrality property, so its bound can exceed the LP bound): least cost
 * of each exact integral load by dynamic programming over the items that
 * can matter (negative reduced cost; all of them when a lower load must be
 * reached), then the best load in [Lo, U_j].  Fills k->x / k->taken with
 * the 0-1 solution.  INFINITY when Lo cannot be reached. */
static double knap_int(const zs_pm_ctx *c, size_t j, const double *lam, knap_ws *k)
{
    size_t n = c->n, ni = 0;
    long U = (long)floor(c->U[j] + load_tol(c, j));
    long Lo = (long)ceil(c->Lo - load_tol(c, j));
    if (Lo < 0)
        Lo = 0;
    if (U > k->umax)
        U = k->umax;
    double rho = 0.0;
    k->ntaken = 0;
    if (Lo > U)
        return INFINITY;
    double *best = k->best;
    best[0] = 0.0;
    for (long u = 1; u <= U; u++)
        best[u] = INFINITY;
    for (size_t i = 0; i < n; i++) {
        double q = c->q[i];
        if (q > U)
            continue;
        double r = cost(c, i, j) - lam[i];
        if (q == 0.0) {
            if (r < 0.0) {
                rho += r;
                k->x[i] = 1.0;
                k->taken[k->ntaken++] = i;
            }
            continue;
        }
        if (r >= 0.0 && Lo == 0)
            continue;
        long qi = (long)q;
        unsigned char *tk = k->took + ni * (size_t)(U + 1);
        memset(tk, 0, (size_t)(U + 1));
        for (long u = U; u >= qi; u--) {
            double v = best[u - qi] + r;
            if (v < best[u]) {
                best[u] = v;
                tk[u] = 1;
            }
        }
        k->item[ni++] = i;
    }
    long bu = -1;
    for (long u = Lo; u <= U; u++)
        if (best[u] < INFINITY && (bu < 0 || best[u] < best[bu]))
            bu = u;
    if (bu < 0) {
        for (size_t t = 0; t < k->ntaken; t++)
            k->x[k->taken[t]] = 0.0;
        k->ntaken = 0;
        return INFINITY;
    }
    rho += best[bu];
    for (size_t t = ni; t-- > 0 && bu > 0;) {
        if (k->took[t * (size_t)(U + 1) + (size_t)bu]) {
            size_t i = k->item[t];
            k->x[i] = 1.0;
            k->taken[k->ntaken++] = i;
            bu -= (long)c->q[i];
        }
    }
    return rho;
}

/* rho_j by whichever subproblem k is set up for. */
static double knap_any(const zs_pm_ctx *c, size_t j, const double *lam, knap_ws *k)
{
    double th;
    return k->dp ? knap_int(c, j, lam, k) : knap(c, j, lam, k, &th);
}

static void knap_clear(knap_ws *k)
{
    for (size_t t = 0; t < k->ntaken; t++)
        k->x[k->taken[t]] = 0.0;
    k->ntaken = 0;
}

zs_status zs_pm_cap_lagrangian(zs_pm_ctx *c, zs_err *err)
{
    size_t n = c->n, m = c->m, p = c->p;
    zs_status st = ZS_OK;
    knap_ws k = {0};
    cap_ws h;
    int have_h = 0;
    double *lam = zs_malloc_array(n, sizeof *lam), *g = zs_malloc_array(n, sizeof *g);
    double *rho = zs_malloc_array(m, sizeof *rho);
    zs_pm_pair *pr = zs_malloc_array(m, sizeof *pr);
    unsigned char *chosen = zs_malloc_array(m, sizeof *chosen);
    unsigned char *keep = NULL;
    size_t *ol = zs_malloc_array(p, sizeof *ol);
    k.neg = zs_malloc_array(n, sizeof *k.neg);
    k.pos = zs_malloc_array(n, sizeof *k.pos);
    k.x = zs_calloc(n, sizeof *k.x);
    k.taken = zs_malloc_array(n, sizeof *k.taken);
    if (!lam || !g || !rho || !pr || !chosen || !ol || !k.neg || !k.pos || !k.x ||
        !k.taken) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if ((st = cap_ws_init(&h, c, err)) != ZS_OK)
        goto done;
    have_h = 1;
    /* Integral demands and loads of moderate size: the 0-1 knapsack. */
    k.dp = 1;
    k.umax = 0;
    for (size_t i = 0; i < n && k.dp; i++)
        if (c->q[i] != floor(c->q[i]) || c->q[i] > 1e6)
            k.dp = 0;
    for (size_t j = 0; j < m && k.dp; j++) {
        double u = floor(c->U[j] + load_tol(c, j));
        if (!(u <= 1e6))
            k.dp = 0;
        else if ((long)u > k.umax)
            k.umax = (long)u;
    }
    if (k.dp && (size_t)(k.umax + 1) * n > DP_TABLE_MAX)
        k.dp = 0;
    if (k.dp) {
        k.best = zs_malloc_array((size_t)k.umax + 1, sizeof *k.best);
        k.took = zs_malloc_array(((size_t)k.umax + 1) * n, 1);
        k.item = zs_malloc_array(n, sizeof *k.item);
        if (!k.best || !k.took || !k.item) {
            st = ZS_NOMEM(err);
            goto done;
        }
    }
    /* Start: each client's cost in the plan, or its cheapest cost. */
    for (size_t i = 0; i < n; i++) {
        if (c->have_inc) {
            lam[i] = cost(c, i, c->inc_assign[i]);
        } else {
            double b = INFINITY;
            for (size_t j = 0; j < m; j++)
                if (cost(c, i, j) < b)
                    b = cost(c, i, j);
            lam[i] = b;
        }
    }
    memcpy(c->lam, lam, n * sizeof *lam);
    double mu = 2.0;
    int since = 0, heur = 0;
    for (int it = 0; it <= c->o->lagr_iter; it++) {
        int final = it == c->o->lagr_iter || zs_pm_now() > c->deadline;
        const double *lm = final ? c->lam : lam;
        double L = 0.0;
        for (size_t i = 0; i < n; i++)
            L += lm[i];
        for (size_t j = 0; j < m; j++) {
            rho[j] = c->fix[j] < 0 ? INFINITY : knap_any(c, j, lm, &k);
            knap_clear(&k);
            pr[j].v = rho[j];
            pr[j].j = j;
            chosen[j] = 0;
        }
        zs_pm_sort_pairs(pr, m);
        if (pr[p - 1].v == INFINITY) {
            c->infeasible = 1; /* fewer than p sites can reach the lower load */
            goto done;
        }
        for (size_t r = 0; r < p; r++) {
            L += pr[r].v;
            chosen[pr[r].j] = 1;
            ol[r] = pr[r].j;
        }
        if (final) {
            if (L > c->lb)
                c->lb = L;
            /* Reductions at the best multipliers.  A site that cannot
             * reach the lower load never opens, whatever UB. */
            for (size_t j = 0; j < m; j++)
                if (rho[j] == INFINITY && c->fix[j] == 0) {
                    c->fix[j] = -1;
                    c->nfix_closed++;
                }
            if (!c->have_inc) {
                st = zs_pm_all_arcs(c, err);
                break;
            }
            double ub = c->inc_obj, thr = zs_pm_thr(c, ub);
            if (zs_pm_proves(c, c->lb, ub)) {
                c->proven = 1;
                break;
            }
            double rp = pr[p - 1].v, rp1 = p < m ? pr[p].v : INFINITY;
            for (size_t r = 0; r < m; r++) {
                size_t j = pr[r].j;
                if (rho[j] == INFINITY) {
                    continue;
                } else if (r < p && L - rho[j] + rp1 > thr) {
                    c->fix[j] = 1;
                    c->nfix_open++;
                } else if (r >= p && L - rp + rho[j] > thr) {
                    c->fix[j] = -1;
                    c->nfix_closed++;
                }
            }
            /* The arc lists only feed the program, which is not run past
             * the deadline; building them is n x m knapsack bounds and a
             * sort per client (40 s at n = 4,000 after a 2 s limit,
             * issue 22). */
            if (zs_pm_now() > c->deadline)
                break;
            keep = zs_calloc(n * m, 1);
            if (!keep) {
                st = ZS_NOMEM(err);
                goto done;
            }
            for (size_t j = 0; j < m; j++) {
                if (c->fix[j] < 0)
                    continue;
                /* With client i forced to j, site j's term is at least
                 * max(rho_j, continuous knapsack + reduced cost of i), and
                 * j must replace the p-th site if it was not chosen. */
                double th, base = chosen[j] ? rho[j] : rp;
                double rlp = knap(c, j, lm, &k, &th);
                for (size_t i = 0; i < n; i++) {
                    if (c->q[i] > c->U[j])
                        continue;
                    double red = cost(c, i, j) - lm[i] - th * c->q[i];
                    double f = rlp + (red > 0.0 ? red * (1.0 - k.x[i]) : 0.0);
                    if (f < rho[j])
                        f = rho[j];
                    double lbx = L - base + f;
                    if (lbx <= thr || (c->o->self_assign && i == j))
                        keep[i * m + j] = 1;
                }
                knap_clear(&k);
            }
            size_t total = 0;
            for (size_t i = 0; i < n; i++) {
                c->arc_start[i] = total;
                size_t before = total;
                for (size_t j = 0; j < m; j++)
                    total += keep[i * m + j];
                if (total == before)
                    c->proven = 1; /* client i fits nowhere in a better plan */
            }
            c->arc_start[n] = total;
            zs_free(c->arc_j);
            c->arc_j = zs_malloc_array(total ? total : 1, sizeof *c->arc_j);
            if (!c->arc_j) {
                st = ZS_NOMEM(err);
                goto done;
            }
            for (size_t i = 0, t = 0; i < n; i++) {
                /* By distance then site, as the radius program's lists. */
                const double *row = c->d + i * m;
                size_t a = t;
                for (size_t j = 0; j < m; j++)
                    if (keep[i * m + j])
                        c->arc_j[t++] = (uint32_t)j;
                for (size_t u = a + 1; u < t; u++) {
                    uint32_t v = c->arc_j[u];
                    size_t b = u;
                    while (b > a && (row[c->arc_j[b - 1]] > row[v] ||
                                     (row[c->arc_j[b - 1]] == row[v] && c->arc_j[b - 1] > v))) {
                        c->arc_j[b] = c->arc_j[b - 1];
                        b--;
                    }
                    c->arc_j[b] = v;
                }
            }
            c->n_arcs = total;
            if (c->nfix_open > p || m - c->nfix_closed < p)
                c->proven = 1;
            break;
        }
        if (L > c->lb) {
            c->lb = L;
            memcpy(c->lam, lam, n * sizeof *lam);
            since = 0;
        } else if (++since >= MU_PATIENCE) {
            mu /= 2.0;
            since = 0;
            if (mu < MU_MIN)
                it = c->o->lagr_iter - 1; /* one more round: the final one */
        }
        if (c->have_inc && zs_pm_proves(c, c->lb, c->inc_obj)) {
            it = c->o->lagr_iter - 1;
            continue;
        }
        /* Subgradient: 1 - sum over chosen sites of x_ij. */
        for (size_t i = 0; i < n; i++)
            g[i] = 1.0;
        for (size_t r = 0; r < p; r++) {
            knap_any(c, ol[r], lam, &k);
            for (size_t t = 0; t < k.ntaken; t++)
                g[k.taken[t]] -= k.x[k.taken[t]];
            knap_clear(&k);
        }
        double norm = 0.0;
        for (size_t i = 0; i < n; i++)
            norm += g[i] * g[i];
        if (it % PRICE_EVERY == 0 && heur < LAGR_HEURISTICS) {
            /* The relaxation's sites as a start, when new (ol is sorted by
             * rho; compare as sets). */
            size_t *srt = h.best_ol;
            memcpy(srt, ol, p * sizeof *ol);
            for (size_t a = 1; a < p; a++)
                for (size_t b = a; b > 0 && srt[b - 1] > srt[b]; b--) {
                    size_t tmpj = srt[b];
                    srt[b] = srt[b - 1];
                    srt[b - 1] = tmpj;
                }
            if (memcmp(srt, h.tried, p * sizeof *srt) != 0) {
                memcpy(h.tried, srt, p * sizeof *srt);
                heur++;
                cap_search(c, &h, ol);
            }
        }
        if (norm < 1e-18) {
            it = c->o->lagr_iter - 1; /* the relaxation's plan is feasible: bound attained */
            continue;
        }
        double target = c->have_inc ? c->inc_obj : fabs(L) * 1.1 + 1.0;
        double t = mu * (target - L) / norm;
        for (size_t i = 0; i < n; i++)
            lam[i] += t * g[i];
    }
done:
    if (have_h)
        cap_ws_free(&h);
    zs_free(lam);
    zs_free(g);
    zs_free(rho);
    zs_free(pr);
    zs_free(chosen);
    zs_free(keep);
    zs_free(ol);
    zs_free(k.best);
    zs_free(k.took);
    zs_free(k.item);
    zs_free(k.neg);
    zs_free(k.pos);
    zs_free(k.x);
    zs_free(k.taken);
    return st;
}
