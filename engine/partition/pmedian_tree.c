/*
 * engine/partition/pmedian_tree.c -- the uncapacitated p-median proved by
 * a Lagrangian branch-and-bound (Beasley 1985, "A note on solving large
 * p-median problems", which introduced pmed1..40 and solved them this
 * way), for the few-median instances the radius programs are slow on.
 *
 * Why.  With p = 5..10 on 500-900 points the LP bound (= the Lagrangian's
 * best) can sit 1-1.5% under the optimum; GLPK's branch-and-bound then
 * re-solves programs of 4,000-15,000 rows at every node and did not close
 * such gaps in a minute.  A node of this tree costs one pass over the kept
 * arcs per subgradient step (tens of microseconds), and fixing a few
 * medians lifts the bound sharply when p is small.
 *
 * The bound.  Relaxing "each client assigned once" with multipliers
 * lambda_i >= 0 on the kept arcs (pmedian_unc.c: every plan better than UB
 * uses only those) gives, at a node with sites F forced open and C closed,
 *     L = sum_i lambda_i + sum_{j in F} rho_j + the p - |F| smallest rho_j
 *         over the free sites,  rho_j = sum_{kept (i, j)} min(0, w_i d_ij - lambda_i),
 * a lower bound on every plan of the node that beats UB.  A node whose
 * L exceeds zs_pm_thr(UB) (for integral costs: is above UB - 1) holds no
 * better plan and is pruned; so is one where some client has no kept arc
 * to a site not closed, or where F and the free sites cannot make p.
 * When every node is pruned no plan beats UB: the incumbent is optimal
 * (result proof "lagrangian-tree").  At the deadline the bound is the least L
 * of the nodes still open (their parents' L).
 *
 * A node.  Subgradient steps from its parent's multipliers (Polyak's step
 * towards UB, halved when the bound stalls), stopped when it prunes; the
 * Lagrangian's sites priced as a plan (offered as UB, polished by
 * interchange when better); then the reductions of the root at this node
 * (a free site whose opening, or a chosen one whose closing, lifts L above
 * the threshold is fixed for the subtree), and a branch on the chosen free
 * site whose closing would lift L most: its "open" child first, then its
 * "closed" one.  Depth first, deterministic (no clock in any decision but
 * the deadline).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/pmedian_internal.h"

/* Subgradient steps at most per node (the root's multipliers come from
 * zs_pm_unc_lagrangian), the steps without a better bound before the step
 * factor is halved, its start and its floor. */
#define TREE_STEPS 60
#define TREE_PATIENCE 6
#define TREE_MU0 1.0
#define TREE_MU_MIN 0.01

typedef struct {
    signed char *fix; /* m: -1 closed, 0 free, 1 open, for this node's subtree */
    double *lam;      /* n: the parent's multipliers */
    double bound;     /* the parent's bound (the node's until it is solved) */
} tree_node;

typedef struct {
    zs_pm_ctx *c;
    zs_pm_unc_ws *s;
    tree_node *stack;
    size_t depth, cap;
    double *ac;           /* n_arcs: w_i d_ij of each kept arc, in arc order */
    size_t *cut;          /* n: client i's arcs below lambda_i end at cut[i] */
    double *rho;          /* m */
    zs_pm_pair *pr;       /* m: free sites by rho */
    unsigned char *chosen; /* m: the Lagrangian's open sites (F and the chosen free) */
    double *g;            /* n: subgradient */
    double *lam, *best_lam; /* n */
    size_t *ol;           /* p */
    long nodes;
} tree;

static void node_free(tree_node *t)
{
    zs_free(t->fix);
    zs_free(t->lam);
}

/* Pushes a node with the given fixings, multipliers and bound. */
static zs_status push(tree *T, const signed char *fix, const double *lam, double bound,
                      zs_err *err)
{
    zs_pm_ctx *c = T->c;
    if (T->depth == T->cap) {
        size_t nc = T->cap ? 2 * T->cap : 64;
        tree_node *ns = zs_realloc(T->stack, nc * sizeof *ns);
        if (!ns)
            return ZS_NOMEM(err);
        memset(ns + T->cap, 0, (nc - T->cap) * sizeof *ns);
        T->stack = ns;
        T->cap = nc;
    }
    tree_node *t = &T->stack[T->depth];
    if (!t->fix && !(t->fix = zs_malloc_array(c->m, sizeof *t->fix)))
        return ZS_NOMEM(err);
    if (!t->lam && !(t->lam = zs_malloc_array(c->n, sizeof *t->lam)))
        return ZS_NOMEM(err);
    memcpy(t->fix, fix, c->m * sizeof *fix);
    memcpy(t->lam, lam, c->n * sizeof *lam);
    t->bound = bound;
    T->depth++;
    return ZS_OK;
}

/* L(lam) at a node: rho over the kept arcs to sites not closed, the free
 * sites sorted into T->pr (*nfree of them), the chosen ones marked.
 * Returns L, or INFINITY when the node cannot hold p sites. */
static double node_eval(tree *T, const signed char *fix, const double *lam, size_t *nfree)
{
    zs_pm_ctx *c = T->c;
    size_t n = c->n, m = c->m, nopen = 0, nf = 0;
    double L = 0.0;
    for (size_t j = 0; j < m; j++)
        T->rho[j] = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wi = c->w[i], li = lam[i];
        if (wi == 0.0)
            continue;
        L += li;
        size_t k = c->arc_start[i], e = c->arc_start[i + 1];
        for (; k < e; k++) {
            double v = T->ac[k] - li;
            if (v >= 0.0)
                break; /* arcs by distance: the rest cost more */
            T->rho[c->arc_j[k]] += v;
        }
        T->cut[i] = k;
    }
    for (size_t j = 0; j < m; j++) {
        T->chosen[j] = 0;
        if (fix[j] > 0) {
            L += T->rho[j];
            T->chosen[j] = 1;
            nopen++;
        } else if (fix[j] == 0) {
            T->pr[nf].v = T->rho[j];
            T->pr[nf].j = j;
            nf++;
        }
    }
    *nfree = nf;
    if (nopen > c->p || nopen + nf < c->p)
        return INFINITY;
    zs_pm_sort_pairs(T->pr, nf);
    for (size_t r = 0; r < c->p - nopen; r++) {
        L += T->pr[r].v;
        T->chosen[T->pr[r].j] = 1;
    }
    return L;
}

/* The subgradient at the chosen sites into T->g, for the multipliers of
 * the last node_eval (its cuts); returns its squared norm (0: every client
 * served exactly once, the bound is a plan's cost).  Sites closed at the
 * node have no rho but may sit in the arcs: only chosen sites count. */
static double subgradient(tree *T)
{
    zs_pm_ctx *c = T->c;
    double norm = 0.0;
    for (size_t i = 0; i < c->n; i++) {
        T->g[i] = 0.0;
        if (c->w[i] == 0.0)
            continue;
        int cnt = 0;
        for (size_t k = c->arc_start[i]; k < T->cut[i]; k++)
            cnt += T->chosen[c->arc_j[k]];
        T->g[i] = 1.0 - cnt;
        norm += T->g[i] * T->g[i];
    }
    return norm;
}

/* 1 when some client has no kept arc to a site not closed. */
static int stranded(const zs_pm_ctx *c, const signed char *fix)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->w[i] == 0.0)
            continue;
        int any = 0;
        for (size_t k = c->arc_start[i]; k < c->arc_start[i + 1] && !any; k++)
            any = fix[c->arc_j[k]] >= 0;
        if (!any)
            return 1;
    }
    return 0;
}

/* Prices the Lagrangian's open sites (T->chosen) as a plan; when it beats
 * UB, offers it and its interchange polish. */
static void price(tree *T)
{
    zs_pm_ctx *c = T->c;
    size_t k = 0;
    for (size_t j = 0; j < c->m && k < c->p; j++)
        if (T->chosen[j])
            T->ol[k++] = j;
    if (k != c->p)
        return;
    double obj = 0.0;
    for (size_t i = 0; i < c->n; i++) {
        const double *row = c->d + i * c->m;
        double b = row[T->ol[0]];
        for (size_t r = 1; r < c->p; r++)
            b = fmin(b, row[T->ol[r]]);
        obj += c->w[i] * b;
    }
    if (obj < c->inc_obj)
        zs_pm_unc_improve(c, T->s, T->ol);
}

/* Solves the node on top of the stack (popped): prunes it, or pushes its
 * two children (or itself, smaller, when its reductions fixed every chosen
 * site open).  fix: m bytes of scratch. */
static zs_status solve_node(tree *T, signed char *fix, zs_err *err)
{
    zs_pm_ctx *c = T->c;
    size_t n = c->n, m = c->m, nfree = 0;
    tree_node *t = &T->stack[--T->depth];
    memcpy(fix, t->fix, m * sizeof *fix);
    memcpy(T->lam, t->lam, n * sizeof *T->lam);
    T->nodes++;
    if (stranded(c, fix))
        return ZS_OK;
    double best = -INFINITY, mu = TREE_MU0;
    int since = 0;
    for (int it = 0; it < TREE_STEPS; it++) {
        double L = node_eval(T, fix, T->lam, &nfree);
        if (L == INFINITY)
            return ZS_OK;
        if (L > best) {
            best = L;
            memcpy(T->best_lam, T->lam, n * sizeof *T->lam);
            since = 0;
        } else if (++since >= TREE_PATIENCE) {
            mu /= 2.0;
            since = 0;
        }
        if (best > zs_pm_thr(c, c->inc_obj))
            return ZS_OK;
        double norm = subgradient(T);
        if (it == 0 || norm == 0.0)
            price(T);
        if (norm == 0.0 || mu < TREE_MU_MIN)
            break;
        double step = mu * (c->inc_obj - L) / norm;
        for (size_t i = 0; i < n; i++) {
            double v = T->lam[i] + step * T->g[i];
            T->lam[i] = v > 0.0 ? v : 0.0;
        }
    }
    /* Reductions at the best multipliers, then the branch. */
    double L = node_eval(T, fix, T->best_lam, &nfree);
    if (L == INFINITY || L > zs_pm_thr(c, c->inc_obj))
        return ZS_OK;
    price(T);
    double thr = zs_pm_thr(c, c->inc_obj);
    size_t nopen = 0;
    for (size_t j = 0; j < m; j++)
        nopen += fix[j] > 0;
    size_t need = c->p - nopen; /* free sites still to open: pr[0 .. need) chosen */
    if (need == 0 || need == nfree) {
        /* The plan is decided: every free site closed, or every one open. */
        for (size_t r = 0; r < nfree; r++)
            fix[T->pr[r].j] = need ? 1 : -1;
        node_eval(T, fix, T->best_lam, &nfree);
        price(T);
        return ZS_OK;
    }
    double rp = T->pr[need - 1].v, rp1 = T->pr[need].v;
    size_t branch = m;
    double branch_lift = -INFINITY;
    for (size_t r = 0; r < nfree; r++) {
        size_t j = T->pr[r].j;
        if (r < need) {
            double lift = L - T->pr[r].v + rp1;
            if (lift > thr) {
                fix[j] = 1; /* closing it leaves no better plan */
            } else if (lift > branch_lift) {
                branch_lift = lift;
                branch = j;
            }
        } else if (L - rp + T->pr[r].v > thr) {
            fix[j] = -1; /* opening it leaves no better plan */
        }
    }
    if (branch == m) {
        /* Every chosen free site was fixed open: the node is a plan now
         * (or, with the free sites left, a smaller node: solve it again). */
        return push(T, fix, T->best_lam, L, err);
    }
    fix[branch] = -1;
    zs_status st = push(T, fix, T->best_lam, L, err);
    if (st != ZS_OK)
        return st;
    fix[branch] = 1;
    return push(T, fix, T->best_lam, L, err);
}

zs_status zs_pm_unc_tree(zs_pm_ctx *c, zs_pm_unc_ws *s, zs_err *err)
{
    size_t n = c->n, m = c->m;
    tree T;
    memset(&T, 0, sizeof T);
    T.c = c;
    T.s = s;
    T.ac = zs_malloc_array(c->n_arcs ? c->n_arcs : 1, sizeof *T.ac);
    T.cut = zs_malloc_array(n, sizeof *T.cut);
    T.rho = zs_malloc_array(m, sizeof *T.rho);
    T.pr = zs_malloc_array(m, sizeof *T.pr);
    T.chosen = zs_malloc_array(m, sizeof *T.chosen);
    T.g = zs_malloc_array(n, sizeof *T.g);
    T.lam = zs_malloc_array(n, sizeof *T.lam);
    T.best_lam = zs_malloc_array(n, sizeof *T.best_lam);
    T.ol = zs_malloc_array(c->p, sizeof *T.ol);
    signed char *fix = zs_malloc_array(m, sizeof *fix);
    zs_status st = ZS_OK;
    if (!T.ac || !T.cut || !T.rho || !T.pr || !T.chosen || !T.g || !T.lam || !T.best_lam ||
        !T.ol || !fix)
        st = ZS_NOMEM(err);
    else {
        for (size_t i = 0; i < n; i++)
            for (size_t k = c->arc_start[i]; k < c->arc_start[i + 1]; k++)
                T.ac[k] = c->w[i] * c->d[i * m + c->arc_j[k]];
        if (!c->o->reduce) {
            /* No root Lagrangian ran: start from the plan's own costs. */
            for (size_t i = 0; i < n; i++)
                c->lam[i] = c->w[i] * c->d[i * m + c->inc_assign[i]];
        }
        st = push(&T, c->fix, c->lam, c->lb, err);
    }
    int done = 0;
    while (st == ZS_OK) {
        if (T.depth == 0) {
            done = 1;
            break;
        }
        if (zs_pm_now() >= c->deadline)
            break;
        st = solve_node(&T, fix, err);
    }
    if (st == ZS_OK) {
        /* Every plan better than UB lies in an open node: the least of
         * their bounds is a bound (UB itself when none is left). */
        double bound = c->inc_obj;
        for (size_t k = 0; k < T.depth; k++)
            bound = fmin(bound, T.stack[k].bound);
        if (done)
            c->proven = 1;
        else if (bound > c->lb)
            c->lb = bound;
        c->tree_nodes = T.nodes;
    }
    for (size_t k = 0; k < T.cap; k++)
        node_free(&T.stack[k]);
    zs_free(T.stack);
    zs_free(T.ac);
    zs_free(T.cut);
    zs_free(T.rho);
    zs_free(T.pr);
    zs_free(T.chosen);
    zs_free(T.g);
    zs_free(T.lam);
    zs_free(T.best_lam);
    zs_free(T.ol);
    zs_free(fix);
    return st;
}
