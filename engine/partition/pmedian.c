/*
 * engine/partition/pmedian.c -- exact p-median: the driver (context,
 * uncapacitated or capacitated path, result with its proof) and the
 * textbook program written as MPS (see pmedian.h for the method and what
 * it proves).  The parts it drives are in pmedian_unc.c (uncapacitated)
 * and pmedian_cap.c (capacitated and balanced); shared helpers in
 * pmedian_ctx.c.
 */
#include "partition/pmedian.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "models/alloc.h"
#include "partition/pmedian_internal.h"

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
    r->tree_nodes = c->tree_nodes;
    r->proof = "";
    r->have_solution = c->have_inc && !infeasible;
    if (r->have_solution) {
        memcpy(r->open, c->inc_open, c->p * sizeof *r->open);
        memcpy(r->assign, c->inc_assign, c->n * sizeof *r->assign);
        r->objective = c->inc_obj;
        if (c->integral)
            bound = ceil(bound - zs_pm_eps(c->inc_obj));
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
        zs_mip_status_text(r->status, r->gap, r->status_text, sizeof r->status_text);
    } else if (!r->have_solution) {
        r->status = ZS_MIP_NO_SOLUTION;
        r->bound = bound;
        r->gap = INFINITY;
        zs_mip_status_text(r->status, r->gap, r->status_text, sizeof r->status_text);
    } else if (proven) {
        r->status = ZS_MIP_OPTIMAL;
        r->exact = 1;
        r->bound = r->objective;
        r->gap = 0.0;
        r->proof = by_mip ? "mip" : c->tree_nodes ? "lagrangian-tree" : "lagrangian";
        zs_mip_status_text(r->status, r->gap, r->status_text, sizeof r->status_text);
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
        zs_mip_status_text(r->status, r->gap, r->status_text, sizeof r->status_text);
    }
}

/* What proves an uncapacitated plan the root Lagrangian has not
 * (opts.radius).  AUTO: the Lagrangian branch-and-bound when at least
 * TREE_MIN_ARCS arcs are kept, the full radius program (GLPK) below.  CPU
 * seconds on a loaded 2-core machine: pmed6, 16 and 17 (5,000-22,000
 * arcs) 0.04, 0.14 and 0.17 s with the tree (the full program took 1.1 s
 * on pmed6, 29 s on pmed16; the coarse one 11 s on pmed16); look-alikes of
 * pmed21..40 (n = 500..900, p = 5..200) all proven, the slowest in 5.9 s
 * (n = 900, p = 10, reading the file included), where the programs
 * stopped at 60 s with gaps of 0.4-1.9% on most of the p = 5 and 10 ones
 * (tests/bench_pmedian.sh).
 * With few arcs left the full program is as fast or faster: pmed1..15 and
 * 18..20 in 0.2 s at most; 600 weighted points in the plane, p = 60, 3,822
 * arcs: 1.05 s against the tree's 4.6 s (8,911 nodes: real-valued costs
 * give the tree no rounding); p = 20 there, 20,600 arcs: the tree 0.9 s,
 * the programs stopped at 60 s with gaps of 0.1-0.35%. */
#define TREE_MIN_ARCS 5000

static int use_tree(const zs_pm_ctx *c)
{
    if (c->o->radius != ZS_PM_RADIUS_AUTO)
        return c->o->radius == ZS_PM_RADIUS_TREE;
    return c->n_arcs >= TREE_MIN_ARCS;
}

static int use_coarse(const zs_pm_ctx *c)
{
    return c->o->radius == ZS_PM_RADIUS_COARSE;
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
    zs_pm_unc_ws s;
    int have_ws = 0;
    zs_pm_pair *tmp = NULL;
    zs_pmedian_result *r = zs_calloc(1, sizeof *r);
    double t0 = zs_pm_now(); /* the limit covers the preparation too (issue 22) */
    if ((st = ctx_init(&c, pb, opts, err)) != ZS_OK)
        goto fail;
    c.t0 = t0;
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
    if ((st = zs_pm_unc_ws_init(&s, c.n, c.m, c.p, err)) != ZS_OK)
        goto fail;
    have_ws = 1;
    if (!c.cap) {
        zs_pm_unc_heuristic(&c, &s);
        c.heur_obj = c.inc_obj;
        if (c.p == c.m || zs_pm_proves(&c, c.lb, c.inc_obj))
            c.proven = 1; /* every site open, or a zero-cost plan */
        else if (opts->reduce)
            st = zs_pm_unc_lagrangian(&c, &s, err);
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
                zs_pm_unc_offer(&c, &s);
                c.proven = 1;
            } else if ((st = use_tree(&c)     ? zs_pm_unc_tree(&c, &s, err)
                              : use_coarse(&c) ? zs_pm_unc_coarse(&c, err)
                                               : zs_pm_unc_radius(&c, err)) != ZS_OK) {
                goto fail;
            }
        }
    } else if (cap_infeasible(&c, tmp)) {
        c.infeasible = 1;
    } else {
        /* Capacitated: start from the uncapacitated medians. */
        zs_pm_unc_medians(&c, &s);
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
    zs_pm_unc_ws_free(&s);
    ctx_free(&c);
    zs_free(tmp);
    *out = r;
    return ZS_OK;
fail:
    if (have_ws)
        zs_pm_unc_ws_free(&s);
    ctx_free(&c);
    zs_free(tmp);
    zs_pmedian_result_free(r);
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
