/*
 * engine/partition/pmedian_internal.h -- shared by the files of the exact
 * p-median; no other module includes it.  Calls run one way, down:
 *
 *   pmedian.c         driver (zs_pmedian_solve) and the MPS writer
 *   pmedian_unc.c     uncapacitated heuristic, Lagrangian bound and
 *                     reductions, radius program (zs_pm_unc_...)
 *   pmedian_coarse.c  the radius program on a few radii, refined
 *                     (zs_pm_unc_coarse)
 *   pmedian_tree.c    Lagrangian branch-and-bound (zs_pm_unc_tree)
 *   pmedian_cap.c     capacitated and balanced heuristic, Lagrangian
 *                     bound and reductions (zs_pm_cap_heuristic, _lagrangian)
 *   pmedian_assign.c  their assignment program (zs_pm_cap_program)
 *   pmedian_ctx.c     the helpers on zs_pm_ctx all of them share, options
 *                     defaults and validation; calls none of the others
 *
 * The driver calls the middle files, which call only pmedian_ctx.c (and
 * pmedian_tree.c pmedian_unc.c's interchange, zs_pm_unc_improve).
 * pmedian_flow.c (the flow heuristic) and pmedian_part.c (pmedian-ip on
 * points) use the helpers of pmedian_ctx.c too.
 */
#ifndef ZS_ENGINE_PARTITION_PMEDIAN_INTERNAL_H
#define ZS_ENGINE_PARTITION_PMEDIAN_INTERNAL_H

#include <stdint.h>

#include "partition/pmedian.h"

typedef struct {
    const zs_pmedian_problem *pb;
    const zs_pmedian_opts *o;
    size_t n, m, p;
    const double *d;   /* n x m distances */
    double *w, *q;     /* n weights and demands (1 where the problem gives none) */
    int cap;           /* capacities or balance: the assignment program */
    double *U;         /* m upper loads (cap) */
    double Lo;         /* lower load (balance), 0 otherwise */
    int integral;      /* every w_i d_ij is an integer: bounds round up */
    double t0, deadline;

    /* Best plan so far (the upper bound UB). */
    int have_inc;
    double inc_obj;
    size_t *inc_open;   /* p sites, ascending */
    size_t *inc_assign; /* n */

    /* Lagrangian. */
    double lb;          /* best proven lower bound (-INFINITY: none) */
    double *lam;        /* n multipliers of that bound */
    int proven;         /* 1: UB is proven optimal (bound met, or nothing better left) */
    int infeasible;     /* 1: proven infeasible before any program */

    /* Reductions: fix[j] = -1 closed, 0 free, 1 open; kept arcs of client i
     * are arc_j[arc_start[i] .. arc_start[i + 1]), by distance then site. */
    signed char *fix;
    size_t nfix_open, nfix_closed;
    size_t *arc_start;
    uint32_t *arc_j;
    size_t n_arcs;

    /* Program statistics. */
    zs_mip_result mip;
    int mip_run, mip_rows, mip_cols;
    int coarse_rounds;  /* programs solved by zs_pm_unc_coarse (0: not run) */
    long tree_nodes;    /* nodes solved by zs_pm_unc_tree (0: not run) */
    const double *mip_start; /* a feasible solution of the next program, or NULL */
    int mip_branch_first;    /* the next program branches on columns 1..this first,
                                without GLPK's cuts (zs_mip_solve_branch); 0: GLPK's
                                choice, with its cuts */
    double heur_obj;
} zs_pm_ctx;

/* Seconds since an arbitrary start (monotonic). */
double zs_pm_now(void);

/* Rounding slack for costs near ub: 1e-9 relative, at least 1e-9. */
double zs_pm_eps(double ub);

/* Thresholds for integral costs or not: a solution whose lower bound
 * exceeds zs_pm_thr(UB) costs more than UB (at least UB when integral). */
double zs_pm_thr(const zs_pm_ctx *c, double ub);
/* 1 when lb proves ub optimal. */
int zs_pm_proves(const zs_pm_ctx *c, double lb, double ub);

/* Offers a plan (open[0..p) in any order, assign[0..n)) with objective
 * obj: kept as the incumbent when better.  ZS_OK or ZS_ENOMEM never:
 * storage is preallocated. */
void zs_pm_offer(zs_pm_ctx *c, const size_t *open, const size_t *assign, double obj);

/* Sorts (value, index) pairs by value then index. */
typedef struct {
    double v;
    size_t j;
} zs_pm_pair;
void zs_pm_sort_pairs(zs_pm_pair *a, size_t n);

/* Sorts client i's kept arcs by distance, then site; tmp holds m pairs. */
void zs_pm_sort_arcs(zs_pm_ctx *c, size_t i, zs_pm_pair *tmp);

/* Kept arcs of every client to every non-closed site, sorted (no
 * Lagrangian reduction), skipping arcs with demand above the site's upper
 * load when capacitated. */
zs_status zs_pm_all_arcs(zs_pm_ctx *c, zs_err *err);

/* Adds an inert general-integer column to P, which keeps GLPK's
 * feasibility pump from running (see pmedian_ctx.c); for programs solved while
 * a plan is already known. */
struct glp_prob;
void zs_pm_no_pump(struct glp_prob *P);

/* Solves program P with what is left of the deadline (at least 10 ms) and
 * the options' mip_gap and log into c->mip, and sets c->mip_run; starts
 * from c->mip_start when set (with integral costs, every plan a whole
 * unit apart); branches on columns 1..c->mip_branch_first first, without
 * GLPK's cuts, when it is set (zs_mip_solve_branch).  Returns
 * zs_mip_solve's status; no plan was found unless c->mip.objective is
 * finite. */
zs_status zs_pm_mip_solve(zs_pm_ctx *c, struct glp_prob *P, zs_err *err);

/* After a solve that found a plan: the sites open in it (fixed open, or
 * whose column ycol[j] -- 0 for none -- is 1), the first p of them in site
 * order into open[0..p).  Returns how many are open, which a consistent
 * plan makes p. */
size_t zs_pm_mip_open(const zs_pm_ctx *c, struct glp_prob *P, const int *ycol, size_t *open);

/* Uncapacitated (pmedian_unc.c).  The workspace of the heuristic: the
 * open set ol[0..p) with nearest/second nearest bookkeeping. */
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
} zs_pm_unc_ws;

zs_status zs_pm_unc_ws_init(zs_pm_unc_ws *s, size_t n, size_t m, size_t p, zs_err *err);
void zs_pm_unc_ws_free(zs_pm_unc_ws *s);
/* Medians into s->ol by lazy greedy, then fast interchange (no plan
 * offered): the capacitated heuristic's start. */
void zs_pm_unc_medians(const zs_pm_ctx *c, zs_pm_unc_ws *s);
/* Offers s->ol as a plan, every client at its nearest open site. */
void zs_pm_unc_offer(zs_pm_ctx *c, zs_pm_unc_ws *s);
/* Offers ol[0..p) as a plan, then its interchange polish (s as scratch). */
void zs_pm_unc_improve(zs_pm_ctx *c, zs_pm_unc_ws *s, const size_t *ol);
/* zs_pm_unc_medians, then offers them: the uncapacitated heuristic.
 * Returns ZS_OK. */
zs_status zs_pm_unc_heuristic(zs_pm_ctx *c, zs_pm_unc_ws *s);
/* Lagrangian bound into c->lb, with its reductions (c->fix, kept arcs)
 * and plans from its solutions offered; uses s as scratch. */
zs_status zs_pm_unc_lagrangian(zs_pm_ctx *c, zs_pm_unc_ws *s, zs_err *err);
/* Elloumi's radius program on the kept arcs; its plan is offered. */
zs_status zs_pm_unc_radius(zs_pm_ctx *c, zs_err *err);
/* The radius program on a few radii per client, refined until it proves
 * its plan (pmedian_coarse.c); plans offered, the outcome reported in
 * c->mip as the full program's would be. */
zs_status zs_pm_unc_coarse(zs_pm_ctx *c, zs_err *err);
/* Lagrangian branch-and-bound from the root's multipliers and reductions
 * (pmedian_tree.c): sets c->proven when no plan beats UB, otherwise lifts
 * c->lb to the least bound of the nodes left at the deadline; plans
 * offered (s as scratch). */
zs_status zs_pm_unc_tree(zs_pm_ctx *c, zs_pm_unc_ws *s, zs_err *err);

/* Capacitated/balanced: heuristic, Lagrangian with reductions
 * (pmedian_cap.c), program (pmedian_assign.c). */
zs_status zs_pm_cap_heuristic(zs_pm_ctx *c, const size_t *start_open, zs_err *err);
zs_status zs_pm_cap_lagrangian(zs_pm_ctx *c, zs_err *err);
zs_status zs_pm_cap_program(zs_pm_ctx *c, zs_err *err);

#endif
