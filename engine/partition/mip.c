/*
 * engine/partition/mip.c -- GLPK behind a guard: captured output, caught errors,
 * status and bound (see mip.h).
 */
#include "partition/mip.h"

#include <math.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>

#include <glpk.h>

/* Per-thread state: GLPK's environment is thread-local, and so is ours. */
#define TAIL_BYTES 2048
static _Thread_local char tail[TAIL_BYTES]; /* last output, NUL-terminated */
static _Thread_local FILE *tlog;
static _Thread_local jmp_buf *tjump;

const char *zs_mip_status_name(zs_mip_status s)
{
    switch (s) {
    case ZS_MIP_OPTIMAL: return "optimal";
    case ZS_MIP_GAP: return "gap";
    case ZS_MIP_TIME_LIMIT: return "time limit";
    case ZS_MIP_NO_SOLUTION: return "time limit, no solution";
    case ZS_MIP_INFEASIBLE: return "infeasible";
    case ZS_MIP_UNBOUNDED: return "unbounded";
    }
    return "?";
}

const char *zs_mip_status_text(zs_mip_status s, double gap, char *buf, size_t size)
{
    if (s == ZS_MIP_GAP && isfinite(gap))
        snprintf(buf, size, "gap %.2f%% (as asked)", 100.0 * gap);
    else if (s == ZS_MIP_TIME_LIMIT && isfinite(gap))
        snprintf(buf, size, "time limit, gap %.2f%%", 100.0 * gap);
    else if (s == ZS_MIP_TIME_LIMIT || s == ZS_MIP_GAP)
        snprintf(buf, size, "time limit, no bound");
    else
        snprintf(buf, size, "%s", zs_mip_status_name(s));
    return buf;
}

int zs_mip_status_parse(const char *text, zs_mip_status *s)
{
    static const struct { const char *prefix; zs_mip_status s; } forms[] = {
        {"optimal", ZS_MIP_OPTIMAL},
        {"gap ", ZS_MIP_GAP},
        {"feasible (gap)", ZS_MIP_GAP},
        {"time limit, no solution", ZS_MIP_NO_SOLUTION},
        {"no solution (time limit)", ZS_MIP_NO_SOLUTION},
        {"time limit", ZS_MIP_TIME_LIMIT},
        {"feasible (time limit)", ZS_MIP_TIME_LIMIT},
        {"infeasible", ZS_MIP_INFEASIBLE},
        {"unbounded", ZS_MIP_UNBOUNDED},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (!strncmp(text, forms[i].prefix, strlen(forms[i].prefix))) {
            *s = forms[i].s;
            return 0;
        }
    return -1;
}

void zs_mip_opts_defaults(zs_mip_opts *o)
{
    o->time_limit_s = 60;
    o->mip_gap = 0;
    o->log = NULL;
    o->start = NULL;
    o->obj_step = 0;
}

zs_status zs_mip_opts_validate(const zs_mip_opts *o, zs_err *err)
{
    if (!(o->time_limit_s > 0) || o->time_limit_s > 1e6)
        return zs_err_set(err, ZS_EINVAL, "time limit must be in (0, 1e6] s, not %g",
                          o->time_limit_s);
    if (!(o->obj_step >= 0) || !isfinite(o->obj_step))
        return zs_err_set(err, ZS_EINVAL, "objective step must be finite and >= 0, not %g",
                          o->obj_step);
    if (!(o->mip_gap >= 0) || o->mip_gap >= 1)
        return zs_err_set(err, ZS_EINVAL, "relative MIP gap must be in [0, 1), not %g",
                          o->mip_gap);
    return ZS_OK;
}

const char *zs_mip_last_output(void)
{
    return tail;
}

/* Keeps the last TAIL_BYTES of output (whole text shifted: messages are
 * short and rare). */
static int term_hook(void *info, const char *s)
{
    (void)info;
    size_t have = strlen(tail), add = strlen(s);
    if (add >= TAIL_BYTES) {
        s += add - (TAIL_BYTES - 1);
        add = TAIL_BYTES - 1;
    }
    if (have + add >= TAIL_BYTES) {
        size_t drop = have + add - (TAIL_BYTES - 1);
        memmove(tail, tail + drop, have - drop + 1);
        have -= drop;
    }
    memcpy(tail + have, s, add + 1);
    if (tlog)
        fputs(s, tlog);
    return 1; /* handled: nothing reaches stdout */
}

static void error_hook(void *info)
{
    (void)info;
    if (tjump)
        longjmp(*tjump, 1);
}

/* The last two non-empty lines of the captured output, joined by "; " (a
 * fatal error prints its reason, then "Error detected in file ..."). */
static const char *last_lines(char *buf, size_t size)
{
    size_t end = strlen(tail), used = 0;
    const char *part[2] = {NULL, NULL};
    size_t plen[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        while (end > 0 && (tail[end - 1] == '\n' || tail[end - 1] == ' '))
            end--;
        size_t b = end;
        while (b > 0 && tail[b - 1] != '\n')
            b--;
        if (b == end)
            break;
        part[1 - i] = tail + b;
        plen[1 - i] = end - b;
        end = b;
    }
    buf[0] = '\0';
    for (int i = 0; i < 2; i++) {
        if (!part[i])
            continue;
        int w = snprintf(buf + used, size - used, "%s%.*s", used ? "; " : "", (int)plen[i], part[i]);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    return buf;
}

zs_status zs_mip_guarded(zs_status (*fn)(void *ctx, zs_err *err), void *ctx, FILE *log,
                         zs_err *err)
{
    jmp_buf jb;
    jmp_buf *volatile outer = tjump; /* guarded calls may nest */
    FILE *volatile outer_log = tlog;
    tail[0] = '\0';
    tlog = log;
    glp_term_hook(term_hook, NULL);
    if (setjmp(jb)) {
        char line[512];
        tjump = outer;
        tlog = outer_log;
        last_lines(line, sizeof line);
        /* Frees every GLPK object of this thread, and the environment. */
        glp_free_env();
        return ZS_INTERNAL(err, "GLPK error: %s", *line ? line : "(no message)");
    }
    tjump = &jb;
    glp_error_hook(error_hook, NULL);
    zs_status st = fn(ctx, err);
    glp_error_hook(NULL, NULL);
    tjump = outer;
    tlog = outer_log;
    if (outer)
        glp_error_hook(error_hook, NULL);
    return st;
}

typedef struct {
    double bound; /* best bound seen in the search (objective sense) */
    int have_bound;
    int nodes;
    const double *start; /* offered once, at the first heuristic call */
    int branch_first;    /* zs_mip_solve_branch's columns to branch on first */
} search_info;

static void ios_callback(glp_tree *T, void *info)
{
    search_info *si = info;
    int reason = glp_ios_reason(T);
    if (reason == GLP_ISELECT || reason == GLP_IBINGO || reason == GLP_IPREPRO) {
        int best = glp_ios_best_node(T);
        if (best) {
            si->bound = glp_ios_node_bound(T, best);
            si->have_bound = 1;
        }
        int a = 0, l = 0, t = 0;
        glp_ios_tree_size(T, &a, &l, &t);
        if (t > si->nodes)
            si->nodes = t;
    }
    if (reason == GLP_IBRANCH && si->branch_first > 0) {
        /* The most fractional of the preferred columns, up branch first. */
        glp_prob *P = glp_ios_get_prob(T);
        int bj = 0;
        double bf = 2.0;
        for (int j = 1; j <= si->branch_first; j++) {
            if (!glp_ios_can_branch(T, j))
                continue;
            double f = fabs(glp_get_col_prim(P, j) - 0.5);
            if (f < bf) {
                bf = f;
                bj = j;
            }
        }
        if (bj)
            glp_ios_branch_upon(T, bj, GLP_UP_BRNCH);
    }
    if (reason == GLP_IHEUR && si->start) {
        glp_ios_heur_sol(T, si->start); /* GLPK refuses it if it is no better */
        si->start = NULL;
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

zs_status zs_mip_solve(struct glp_prob *P, const zs_mip_opts *opts, zs_mip_result *res,
                       zs_err *err)
{
    return zs_mip_solve_branch(P, opts, 0, 1, res, err);
}

zs_status zs_mip_solve_branch(struct glp_prob *P, const zs_mip_opts *opts, int branch_first,
                              int cuts, zs_mip_result *res, zs_err *err)
{
    zs_status st = zs_mip_opts_validate(opts, err);
    if (st != ZS_OK)
        return st;
    if (branch_first < 0)
        return zs_err_set(err, ZS_EINVAL, "branch_first must be >= 0, not %d", branch_first);
    if (cuts != 0 && cuts != 1)
        return zs_err_set(err, ZS_EINVAL, "cuts must be 0 or 1, not %d", cuts);
    double t0 = now_s();
    int minimise = glp_get_obj_dir(P) == GLP_MIN;
    res->objective = NAN;
    res->bound = minimise ? -INFINITY : INFINITY;
    res->gap = INFINITY;
    res->lp_bound = NAN;
    res->nodes = 0;

    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_ERR;
    sm.presolve = GLP_OFF; /* keeps the optimal basis branch-and-bound starts from */
    double ms = opts->time_limit_s * 1000.0;
    sm.tm_lim = ms > 2e9 ? 2000000000 : (int)ms;
    int rc = glp_simplex(P, &sm);
    if (rc == GLP_ETMLIM) {
        res->status = ZS_MIP_NO_SOLUTION;
        res->runtime_s = now_s() - t0;
        return ZS_OK;
    }
    int lp = glp_get_status(P);
    if (rc == GLP_ENOPFS || lp == GLP_NOFEAS) {
        res->status = ZS_MIP_INFEASIBLE;
        res->runtime_s = now_s() - t0;
        return ZS_OK;
    }
    if (rc == GLP_ENODFS || lp == GLP_UNBND) {
        res->status = ZS_MIP_UNBOUNDED;
        res->runtime_s = now_s() - t0;
        return ZS_OK;
    }
    if (rc != 0 || lp != GLP_OPT)
        return ZS_INTERNAL(err, "GLPK simplex failed (code %d): %s", rc, zs_mip_last_output());
    res->lp_bound = glp_get_obj_val(P);

    search_info si = {res->lp_bound, 1, 0, opts->start, branch_first};
    if (si.branch_first > glp_get_num_cols(P))
        si.branch_first = glp_get_num_cols(P);
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_ERR;
    io.presolve = GLP_OFF; /* the LP optimum above is the root */
    io.mip_gap = opts->mip_gap;
    if (opts->start && opts->obj_step > 0) {
        /* Every better solution is at least a step better: GLPK prunes a
         * node whose bound is within tol_obj (1 + |incumbent|) of the
         * incumbent and stops at a relative gap below mip_gap, so both
         * just under one step (the incumbent never exceeds the start's
         * value in size... bounded by it plus the LP's). */
        double v = glp_get_obj_coef(P, 0);
        for (int j = 1; j <= glp_get_num_cols(P); j++)
            v += glp_get_obj_coef(P, j) * opts->start[j];
        double big = fmax(fabs(v), fabs(res->lp_bound)) + 1.0;
        io.tol_obj = 0.999 * opts->obj_step / big;
        io.mip_gap = fmax(io.mip_gap, 0.999 * opts->obj_step / big);
    }
    io.gmi_cuts = cuts ? GLP_ON : GLP_OFF;
    io.mir_cuts = cuts ? GLP_ON : GLP_OFF;
    io.fp_heur = GLP_ON;
    io.cb_func = ios_callback;
    io.cb_info = &si;
    double left = opts->time_limit_s - (now_s() - t0);
    ms = (left > 0.001 ? left : 0.001) * 1000.0;
    io.tm_lim = ms > 2e9 ? 2000000000 : (int)ms;
    rc = glp_intopt(P, &io);
    res->runtime_s = now_s() - t0;
    res->nodes = si.nodes;
    int ms_st = glp_mip_status(P);
    if (rc == GLP_ENOPFS || ms_st == GLP_NOFEAS) {
        res->status = ZS_MIP_INFEASIBLE;
        return ZS_OK;
    }
    if (rc != 0 && rc != GLP_ETMLIM && rc != GLP_EMIPGAP)
        return ZS_INTERNAL(err, "GLPK branch-and-bound failed (code %d): %s", rc,
                           zs_mip_last_output());
    if (ms_st != GLP_OPT && ms_st != GLP_FEAS) {
        res->status = rc == GLP_ETMLIM ? ZS_MIP_NO_SOLUTION : ZS_MIP_INFEASIBLE;
        res->bound = si.bound;
        return ZS_OK;
    }
    res->objective = glp_mip_obj_val(P);
    if (rc == 0 && ms_st == GLP_OPT) {
        res->status = ZS_MIP_OPTIMAL;
        res->bound = res->objective;
    } else {
        res->status = rc == GLP_EMIPGAP ? ZS_MIP_GAP : ZS_MIP_TIME_LIMIT;
        res->bound = si.have_bound ? si.bound : res->lp_bound;
        /* A bound beyond the incumbent means the search closed it. */
        if (minimise ? res->bound > res->objective : res->bound < res->objective)
            res->bound = res->objective;
        /* Less than a step from the bound: nothing better exists. */
        if (opts->start && opts->obj_step > 0 &&
            fabs(res->objective - res->bound) < 0.999 * opts->obj_step) {
            res->status = ZS_MIP_OPTIMAL;
            res->bound = res->objective;
        }
    }
    double den = fabs(res->objective) > 1e-10 ? fabs(res->objective) : 1e-10;
    res->gap = fabs(res->objective - res->bound) / den;
    if (res->status == ZS_MIP_OPTIMAL)
        res->gap = 0;
    return ZS_OK;
}
