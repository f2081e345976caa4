/*
 * engine/partition/mip.h -- integer programs with GLPK: guarded calls, quiet output,
 * honest status.
 *
 * Modules that formulate programs (p-median, rosters) include glpk.h
 * themselves and build their glp_prob inside zs_mip_guarded(), which
 *   - sends GLPK's terminal output to a per-thread log (the last lines are
 *     kept for error messages, and copied to opts->log when one is given),
 *     never to the user's terminal;
 *   - catches GLPK's fatal errors (glp_error -> abort) with an error hook
 *     and a per-thread jmp_buf, frees every GLPK object of the thread
 *     (glp_free_env) and returns ZS_INTERNAL with GLPK's message, so a bad
 *     parameter that slips past our own checks never kills the process.
 * GLPK's environment is thread-local (TECHNOTES.md), so guarded calls may
 * run in several OpenMP threads at once.
 *
 * zs_mip_solve runs the LP relaxation and branch-and-bound with a time
 * limit and relative gap, tracks the best bound, and maps GLPK's return
 * codes to zs_mip_status.
 */
#ifndef ZS_ENGINE_MIP_H
#define ZS_ENGINE_MIP_H

#include <stdio.h>

#include "models/status.h"

struct glp_prob;

typedef enum {
    ZS_MIP_OPTIMAL,     /* proven optimal (within mip_gap when it is 0: exactly) */
    ZS_MIP_GAP,         /* feasible, stopped at the relative gap asked for */
    ZS_MIP_TIME_LIMIT,  /* feasible, stopped at the time limit */
    ZS_MIP_NO_SOLUTION, /* time limit without any integer solution */
    ZS_MIP_INFEASIBLE,  /* proven infeasible */
    ZS_MIP_UNBOUNDED
} zs_mip_status;

/* The status's name without figures: "optimal", "gap", "time limit",
 * "time limit, no solution", "infeasible", "unbounded". */
const char *zs_mip_status_name(zs_mip_status s);

/* The one wording of a solve's outcome, for every status line, table, file
 * and message (each says one thing; zs_mip_status_text builds all of them):
 *   optimal                       proven optimal
 *   gap 0.50% (as asked)          stopped at the relative gap asked for
 *   time limit, gap 1.20%         stopped by the clock with a bound
 *   time limit, no bound          ... without a finite bound (gap not finite)
 *   time limit, no solution       stopped by the clock with nothing to show
 *   infeasible                    proven infeasible
 *   unbounded
 * gap is the relative gap (zs_mip_result.gap), used by the two gap forms.
 * Writes into buf (48 bytes hold every form) and returns buf. */
const char *zs_mip_status_text(zs_mip_status s, double gap, char *buf, size_t size);

/* Plans and rosters no exact solve stands behind: every heuristic method
 * (k-means family, grid, Voronoi, balanced flow, territories, p-median on
 * grid cells) is "heuristic, not proven"; a plan read from the user's
 * labels is "given". */
#define ZS_STATUS_HEURISTIC "heuristic, not proven"
#define ZS_STATUS_GIVEN "given"

/* Reads back a status written by zs_mip_status_text (or a name of earlier
 * engines: "feasible (gap)", "feasible (time limit)", "no solution (time
 * limit)").  Returns 0 and sets *s, or -1 for any other text. */
int zs_mip_status_parse(const char *text, zs_mip_status *s);

typedef struct {
    double time_limit_s; /* > 0; wall clock for the whole solve */
    double mip_gap;      /* relative gap to stop at, >= 0 (0: prove optimality) */
    FILE *log;           /* GLPK's messages also go here, or NULL */
    const double *start; /* a feasible integer solution, start[1..columns] in GLPK's
                            column numbers, given to the search as its first
                            incumbent (checked by GLPK); NULL: none */
    double obj_step;     /* > 0: with start, every integer solution's objective is a
                            multiple of it (integral data), so nodes within less than
                            a step of the incumbent are pruned and the search ends
                            there; 0: not known */
} zs_mip_opts;

/* time_limit_s 60, mip_gap 0, no log, no start, obj_step 0. */
void zs_mip_opts_defaults(zs_mip_opts *o);
zs_status zs_mip_opts_validate(const zs_mip_opts *o, zs_err *err);

typedef struct {
    zs_mip_status status;
    double objective; /* of the best integer solution (NAN without one) */
    double bound;     /* best proven bound on the optimum (objective when optimal) */
    double gap;       /* |objective - bound| / max(|objective|, 1e-10); 0 when optimal */
    double lp_bound;  /* LP relaxation optimum */
    double runtime_s;
    int nodes;        /* branch-and-bound nodes seen (0: solved at the root) */
} zs_mip_result;

/* Runs fn(ctx, err) with GLPK's output captured and its fatal errors
 * caught.  fn builds and solves its programs and frees them on every path
 * it returns by; after a GLPK fatal error it is abandoned mid-way, every
 * GLPK object of the thread is freed for it, and this returns ZS_INTERNAL
 * "GLPK error: <message>" -- so fn must keep any memory of its own where
 * the caller can free it (in ctx).  log: as zs_mip_opts.log. */
zs_status zs_mip_guarded(zs_status (*fn)(void *ctx, zs_err *err), void *ctx, FILE *log,
                         zs_err *err);

/* Solves P (already built, integer columns marked) inside a guarded call:
 * LP relaxation by the simplex method, then branch-and-bound (GLPK's cuts
 * and heuristics on) within opts.  ZS_OK whenever the solver ran, whatever
 * the status; errors only for invalid options. */
zs_status zs_mip_solve(struct glp_prob *P, const zs_mip_opts *opts, zs_mip_result *res,
                       zs_err *err);
/* zs_mip_solve, but while one of the columns 1..branch_first (clamped to
 * the column count) is fractional at a node, GLPK branches on the most
 * fractional of them, up branch first (e.g. the sites of a location
 * program); cuts 1: GLPK's cuts (GMI, MIR) as zs_mip_solve, 0: none (for
 * programs whose nodes they slow more than they prune).  branch_first 0
 * with cuts 1 is zs_mip_solve.  Errors as zs_mip_solve, and ZS_EINVAL for
 * branch_first < 0 or cuts other than 0 or 1. */
zs_status zs_mip_solve_branch(struct glp_prob *P, const zs_mip_opts *opts, int branch_first,
                              int cuts, zs_mip_result *res, zs_err *err);

/* The last lines GLPK printed in this thread (for diagnostics). */
const char *zs_mip_last_output(void);

#endif
