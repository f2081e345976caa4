/*
 * engine/partition/pmedian.h -- exact p-median, capacitated and balanced,
 * with GLPK: open p of m candidate sites and assign each of n clients to
 * one open site, minimising sum_i w_i d(i, site_i).
 *
 * Problem.  A general n x m distance matrix (shortest paths, Euclidean,
 * floor(Euclidean)...), objective weights w_i, demands q_i, optional
 * capacities Q_j, and optionally balance: every open site's load
 * sum_{i at j} q_i within [(1 - tol) mean, (1 + tol) mean], mean = sum q /
 * p.  Exactly p sites open.
 *
 * Method (each step keeps every optimality proof):
 *  1. Upper bound.  Uncapacitated: greedy (lazy evaluation) plus Whitaker's
 *     fast interchange (best site to drop for each site to add, O(n + p)
 *     each).  Capacitated/balanced: the same medians, clients assigned by
 *     regret with capacities, repaired up to the lower loads, improved by
 *     shifts and swaps, medians relocated within zones (Mulvey & Beck).
 *  2. Lagrangian bound: the assignment constraints sum_j x_ij = 1 relaxed
 *     with multipliers lambda_i, maximised by subgradient steps.  For a site
 *     j, rho_j = min sum_i (w_i d_ij - lambda_i) x_ij over 0 <= x_ij <= 1
 *     (and, capacitated, over the load range: a continuous knapsack, solved
 *     by ratio order); L(lambda) = sum lambda_i + the p smallest rho_j is a
 *     valid lower bound, equal at best to the LP bound of the strong
 *     formulation (x_ij <= y_j).
 *  3. Reductions from L and the best upper bound UB (Beasley 1993; as in
 *     ZEBRA, Garcia, Labbe & Marin 2011): a site whose bound when forced
 *     open (closed) exceeds UB is fixed closed (open); an arc (i, j) whose
 *     bound when client i is forced to site j exceeds UB is removed.  The
 *     excluded solutions all cost more than UB (with integral costs, at
 *     least UB: the bound is then rounded up), so the optimum is
 *     min(UB, optimum of the reduced program).  Client i's removed arcs
 *     bound its radius: in any better solution its nearest open site is
 *     one it kept.  Independently of UB, client i is never farther than its
 *     (m' - p' + 1)-th nearest free site (m' free sites, p' still to open),
 *     and never beyond its nearest site fixed open.
 *  4. Uncapacitated with 5,000 kept arcs or more (the default; see
 *     pmedian.c): a Lagrangian branch-and-bound on what is left
 *     (pmedian_tree.c; Beasley 1985, who solved pmed1..40 this way):
 *     depth first, branching on sites (open, then closed), at every node
 *     the bound above over the kept arcs with its sites fixed, subgradient
 *     steps from the parent's multipliers, and the reductions of step 3;
 *     a node whose bound exceeds UB (integral costs: UB - 1) is pruned,
 *     and when none is left no plan beats UB (proof "lagrangian-tree").
 *     Otherwise (opts.radius, and capacitated or balanced always):
 *     exact program on what is left, through zs_mip_guarded/zs_mip_solve.
 *     Uncapacitated: Elloumi's (2010) radius formulation, in its compact
 *     chain form: client i's kept distances D_i1 < ... < D_iK, z_ik >= 0
 *     "i's cost exceeds D_ik",
 *         min sum_i w_i (D_i1 + sum_k (D_i,k+1 - D_ik) z_ik)
 *         z_i1 + y(S_i1) >= 1,  z_i,k-1 - z_ik - y(S_ik \ S_i,k-1) <= 0,
 *         z_i,K-1 - y(S_iK \ S_i,K-1) <= 0,   sum_j y_j = p,  y binary,
 *     S_ik = sites within D_ik; one nonzero per kept arc plus two per level,
 *     and the same LP bound as the classical x_ij <= y_j model.  With few
 *     medians on many points (20,000 kept arcs and more) that program is
 *     too big for GLPK's simplex, and the same formulation runs on a few
 *     radii per client instead, refined until the plan is proven
 *     (pmedian_coarse.c, after ZEBRA: Garcia, Labbe & Marin 2011): with
 *     fewer radii it charges each client no more than its true distance,
 *     so its optimum is a lower bound; when its plan's true distances are
 *     all among the radii, bound = cost and the plan is optimal.
 *     Capacitated/balanced: x_ij binary on kept arcs, sum_j x_ij = 1,
 *     Lo y_j <= sum_i q_i x_ij <= U_j y_j, sum y = p, and x_ij <= y_j added
 *     only where the LP violates it (cutting-plane rounds before branching;
 *     for zero-demand clients from the start, where capacity does not imply
 *     it).
 *
 * What is proven.  status ZS_MIP_OPTIMAL: the objective is the optimum of
 * the problem as given (exact = 1; with integral costs exactly, otherwise
 * up to GLPK's tolerances, about 1e-9 relative).  The proof is either the
 * Lagrangian bound meeting UB ("lagrangian"), every node of the Lagrangian
 * tree pruned ("lagrangian-tree", up to 1e-9 relative without integral
 * costs), or GLPK's search on the reduced program ("mip").  Otherwise
 * `bound` is a proven lower bound (the best of the Lagrangian bound, the
 * tree's least open node and GLPK's, never above the objective) and
 * `gap` = (objective - bound) / objective: the plan is at most that far
 * from optimal.  ZS_MIP_INFEASIBLE: no plan meets the capacities/balance
 * (proven by GLPK, or by the Lagrangian subproblem, e.g. too little
 * capacity).  Nothing else is claimed: a heuristic result is labelled as
 * such by its status and gap.
 *
 * Limits.  The matrix is dense: n, m <= ZS_PMEDIAN_MAX_N (4,000), beyond
 * which the points must be aggregated first (grid cells, then one client
 * per cell weighted by its workload; zs_partition_solve's pmedian-ip does
 * so beyond ZS_PMEDIAN_AGG_N points, see partition.h).  Time: ZS_MIP_TIME_LIMIT with the
 * best plan and bound when the limit is reached.  Single-threaded and
 * deterministic; GLPK's output goes to opts.log only.
 */
#ifndef ZS_ENGINE_PARTITION_PMEDIAN_H
#define ZS_ENGINE_PARTITION_PMEDIAN_H

#include <stddef.h>
#include <stdio.h>

#include "models/status.h"
#include "partition/mip.h"

/* Largest n and m: the dense n x m matrix, and the solver's own n x m
 * work, grow quadratically. */
#define ZS_PMEDIAN_MAX_N 4000

typedef struct {
    size_t n, m, p;         /* clients, candidate sites, sites to open (1..m) */
    const double *dist;     /* n x m, row-major (client i's row), finite, >= 0 */
    const double *w;        /* n objective weights, finite, >= 0 (NULL = 1 each) */
    const double *demand;   /* n demands for capacity and balance (NULL = 1 each) */
    const double *capacity; /* m capacities, finite, >= 0 (NULL = none) */
    int cand_is_client;     /* 1: m == n and site j is client j's location */
} zs_pmedian_problem;

typedef struct {
    double time_limit_s; /* whole solve, (0, 1e6] */
    double mip_gap;      /* relative gap GLPK may stop at, [0, 1) */
    int balance;         /* 1: loads within [(1 - tolerance) mean, (1 + tolerance) mean] */
    double tolerance;    /* finite, >= 0 */
    int self_assign;     /* 1 (needs cand_is_client): an open site serves its own client,
                            so no zone is empty */
    int reduce;          /* 1: Lagrangian bound, fixing and arc removal; 0: the full
                            program (for tests of the reductions) */
    int lagr_iter;       /* subgradient iterations at most, 0..1000000 */
    int radius;          /* uncapacitated program: ZS_PM_RADIUS_AUTO, _FULL, _COARSE
                            or _TREE */
    FILE *log;           /* GLPK's messages, or NULL */
} zs_pmedian_opts;

/* Which radius program proves an uncapacitated p-median the Lagrangian
 * has not (method step 4): every radius of every client at once (FULL),
 * or a few radii per client refined until the plan is proven (COARSE,
 * pmedian_coarse.c: far faster where p is small and assignment distances
 * long); or no program but a Lagrangian branch-and-bound (TREE,
 * pmedian_tree.c: Beasley 1985; every node's bound the Lagrangian's, the
 * proof "lagrangian-tree"); AUTO runs the tree on 5,000 kept arcs or
 * more, the full program below (see pmedian.c). */
enum { ZS_PM_RADIUS_AUTO, ZS_PM_RADIUS_FULL, ZS_PM_RADIUS_COARSE, ZS_PM_RADIUS_TREE };

/* time limit 60 s, gap 0, no balance (tolerance 0.1 when set), no
 * self-assignment, reductions on, 3000 subgradient iterations, radius
 * program chosen by size, no log. */
void zs_pmedian_opts_defaults(zs_pmedian_opts *o);

/* Checks every field of the options and of the problem (p in 1..m, sizes,
 * finite non-negative distances, weights, demands and capacities), naming
 * the first bad value: "pmedian.p = 7; must be in 1..5 (candidate sites)".
 * Returns ZS_EINVAL; nothing reaches GLPK before this passes. */
zs_status zs_pmedian_validate(const zs_pmedian_problem *pb, const zs_pmedian_opts *o,
                              zs_err *err);

typedef struct {
    size_t n, m, p;
    int have_solution;     /* 0: infeasible, or no plan within the time limit */
    size_t *open;          /* p open sites, ascending (valid when have_solution) */
    size_t *assign;        /* n: each client's site (valid when have_solution) */
    double objective;      /* sum_i w_i d(i, assign_i); NAN without a solution */
    double bound;          /* proven lower bound on the optimum (-INFINITY: none;
                              INFINITY: proven infeasible) */
    double gap;            /* (objective - bound) / max(objective, 1e-10); 0 when optimal */
    zs_mip_status status;  /* OPTIMAL, GAP, TIME_LIMIT, NO_SOLUTION or INFEASIBLE */
    int exact;             /* 1 when status is OPTIMAL */
    char status_text[48];  /* zs_mip_status_text: "optimal", "gap 0.80% (as asked)",
                              "time limit, gap 2.10%", "time limit, no solution",
                              "infeasible"; the flow heuristic: "heuristic, not
                              proven", "no feasible assignment", "no feasible
                              single-source assignment" */
    const char *proof;     /* "lagrangian", "lagrangian-tree", "mip" or "" (not proven) */
    /* Diagnostics. */
    double heuristic_objective; /* first upper bound; NAN when the heuristic failed */
    double lagrangian_bound;    /* the root's, or the tree's least open node when it stopped
                                   at the time limit; -INFINITY when not computed */
    size_t fixed_open, fixed_closed; /* sites fixed by the reductions */
    size_t arcs;                /* client-site pairs left in the program */
    int mip_rows, mip_cols;     /* size of the program GLPK solved (0: not run) */
    int mip_nodes;
    long tree_nodes;            /* Lagrangian branch-and-bound nodes (0: not run) */
    double runtime_s;
    int iterations;             /* flow heuristic: assignment/median rounds (0 for the IP) */
} zs_pmedian_result;

/* Solves pb under opts (NULL = defaults) within the time limit.  Returns
 * ZS_OK with *out set whenever the problem was valid, whatever the status
 * (infeasible and time limit are results); ZS_EINVAL for bad input (see
 * zs_pmedian_validate), ZS_ENOMEM, or ZS_EINTERNAL for a GLPK failure.
 * *out is the caller's to free. */
zs_status zs_pmedian_solve(const zs_pmedian_problem *pb, const zs_pmedian_opts *opts,
                           zs_pmedian_result **out, zs_err *err);
void zs_pmedian_result_free(zs_pmedian_result *r);

/* Writes pb under opts (capacities, balance) as the FULL strong
 * formulation -- the textbook model, not the reduced program that
 * zs_pmedian_solve gives GLPK: y_j binary (columns 1..m), x_ij binary on
 * every arc (columns m + 1 + i m + j), sum_j y_j = p, sum_j x_ij = 1,
 * x_ij <= y_j, and with capacities or balance Lo y_j <= sum_i q_i x_ij <=
 * U_j y_j; objective sum w_i d_ij x_ij.  Fixed-format MPS by glp_write_mps
 * (GLPK-generated names), for solving by another MIP solver (e.g. CBC) as a
 * baseline.  Nothing is solved.  Returns ZS_EINVAL as zs_pmedian_validate,
 * ZS_EIO when the file cannot be written, ZS_ENOMEM.  The file has
 * 1 + n + n m (+ 2 m) rows and m + n m columns: a few MB at n = m = 200. */
zs_status zs_pmedian_write_mps(const zs_pmedian_problem *pb, const zs_pmedian_opts *opts,
                               const char *path, zs_err *err);

/* ---- capacitated flow heuristic (pmedian_flow.c) --------------------------
 *
 * A fast, unproven alternative to zs_pmedian_solve for capacitated problems
 * whose sites are the clients (cand_is_client) with integral demands and
 * capacities (the CPMP benchmark files).  From p starting medians it
 * alternates, as in Mulvey & Beck's (1984) location-allocation scheme:
 *  1. assignment: the demands are sent to the p medians under their
 *     capacities as a minimum-cost flow (glp_mincost_okalg, inside
 *     zs_mip_guarded), clients -> medians -> sink.  An arc's unit cost is
 *     w_i d_ij / q_i (scaled to integers): a client's whole demand then costs
 *     w_i d_ij, so the flow is the LP relaxation of the single-source
 *     assignment.  Single sourcing: a client the flow split goes, largest
 *     demand first, to the median that took its largest share if that one
 *     has room, else to the nearest median with room; a client that fits
 *     nowhere makes the round infeasible ("no feasible single-source
 *     assignment" when no round succeeded).  Zero-demand clients go to
 *     their nearest median.
 *  2. medians: each zone's median moves to the zone's client with capacity
 *     for the zone's load minimising sum_i w_i d(i, site) over the zone.
 * It stops when the medians no longer change, or after max_iter rounds, and
 * returns the best single-source plan seen over all starts.  Starts: the
 * uncapacitated greedy (add, one at a time, the site that lowers
 * sum_i w_i min d most; ties to the lower index); start s > 0 forces the
 * greedy's first median to the (s+1)-th best 1-median site.  Then, while the
 * open capacity is below the total demand, the smallest-capacity median is
 * swapped for the largest-capacity closed site.  Deterministic: no random
 * draws, fixed tie rules.
 *
 * The result is a zs_pmedian_result with exact 0, bound -INFINITY and gap
 * NAN (nothing proven) and iterations set.  status ZS_MIP_GAP with
 * "feasible (heuristic)" when a plan was found; ZS_MIP_INFEASIBLE "no
 * feasible assignment" (bound INFINITY) when even the p largest capacities
 * are below the total demand, or a client's demand exceeds every capacity;
 * ZS_MIP_NO_SOLUTION "no feasible single-source assignment" when the flow
 * succeeded but single sourcing never did.  iterations counts the rounds of
 * all starts.  Cost: one flow of n p arcs per round (okalg: about 2.6 s at 2,000 clients x 50 sites, TECHNOTES.md) plus
 * O(p n^2) for the greedy start.
 */

typedef struct {
    int max_iter; /* rounds at most per start, 1..10000 */
    int restarts; /* starts, 1..1000 (see above) */
    FILE *log;    /* GLPK's messages, or NULL */
} zs_pmedian_flow_opts;

/* 100 rounds, 8 starts, no log. */
void zs_pmedian_flow_opts_defaults(zs_pmedian_flow_opts *o);

/* Runs the flow heuristic on pb (NULL opts = defaults).  pb must have
 * cand_is_client, capacities, and demands (NULL = 1 each) and capacities
 * that are integers up to 1e9 (total demand too): otherwise ZS_EINVAL naming
 * the first bad value.  Other checks as zs_pmedian_validate.  ZS_OK with
 * *out (the caller's to free with zs_pmedian_result_free) whatever the
 * status; ZS_ENOMEM; ZS_EINTERNAL when GLPK fails. */
zs_status zs_pmedian_flow_solve(const zs_pmedian_problem *pb, const zs_pmedian_flow_opts *opts,
                                zs_pmedian_result **out, zs_err *err);

#endif
