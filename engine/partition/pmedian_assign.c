/*
 * engine/partition/pmedian_assign.c -- capacitated and balanced p-median:
 * the assignment program on the kept arcs (what the reductions of
 * pmedian_cap.c leave, or every allowed arc), strengthened by rounds of
 * x_ij <= y_j cuts where the LP breaks them before GLPK branches (on the
 * sites first, without its own cuts); its plan is checked against the loads before it is offered (see pmedian.h).
 *
 * Loads: site j may carry between Lo (balance) and U_j of demand when
 * open (zs_pm_ctx); a fixed-open site has no y column, its load rows are
 * plain bounds.
 */
#include <math.h>
#include <stdint.h>

#include <glpk.h>

#include "models/alloc.h"
#include "partition/pmedian_internal.h"

/* LP rounds of x_ij <= y_j cuts before branching, at most. */
#define CUT_ROUNDS 50

static double cost(const zs_pm_ctx *c, size_t i, size_t j)
{
    return c->w[i] * c->d[i * c->m + j];
}

typedef struct {
    zs_pm_ctx *c;
    int *ycol;       /* m: column of free site j, 0 otherwise */
    int *ia, *ja;
    double *ar;
    int *rind;       /* cut rows: 3 entries each, 1-based */
    double *rval;
    int *caprow;     /* m: capacity row of site j (lower load: the next one) */
    size_t *ol, *assign;
    int have;
} assign_job;

static zs_status assign_run(void *ctx, zs_err *err)
{
    assign_job *J = ctx;
    zs_pm_ctx *c = J->c;
    size_t n = c->n, m = c->m, A = c->n_arcs;
    size_t pfree = c->p - c->nfix_open;
    int ny = 0;
    for (size_t j = 0; j < m; j++)
        J->ycol[j] = c->fix[j] == 0 ? ++ny : 0;
    /* Columns: y (1..ny), then arc t as column ny + 1 + t. */
    size_t ncol = (size_t)ny + A;
    /* Rows: cardinality, one per client, capacity (and lower load) per
     * non-closed site, self-assignment, x <= y for zero-demand arcs. */
    size_t nsite = m - c->nfix_closed, nlink = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t t = c->arc_start[i]; t < c->arc_start[i + 1]; t++) {
            size_t j = c->arc_j[t];
            if (c->fix[j] == 0 && ((c->o->self_assign && j == i) || c->q[i] == 0.0))
                nlink++;
        }
    int lo = c->Lo > 0.0;
    size_t nrow = 1 + n + nsite * (size_t)(1 + lo) + nlink;
    size_t nnz = (size_t)ny + A /* assignment */ + A * (size_t)(1 + lo) +
                 (size_t)ny * (size_t)(1 + lo) + 2 * nlink;
    if (ncol > (size_t)INT32_MAX / 2 || nrow > (size_t)INT32_MAX / 2 || nnz > (size_t)INT32_MAX / 2)
        return zs_err_set(err, ZS_EINVAL, "pmedian: program too large (%zu rows, %zu columns)",
                          nrow, ncol);
    J->ia = zs_malloc_array(nnz + 1, sizeof *J->ia);
    J->ja = zs_malloc_array(nnz + 1, sizeof *J->ja);
    J->ar = zs_malloc_array(nnz + 1, sizeof *J->ar);
    J->rind = zs_malloc_array(3, sizeof *J->rind);
    J->rval = zs_malloc_array(3, sizeof *J->rval);
    J->caprow = zs_calloc(m, sizeof *J->caprow);
    if (!J->ia || !J->ja || !J->ar || !J->rind || !J->rval || !J->caprow)
        return ZS_NOMEM(err);
    int *caprow = J->caprow;
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_cols(P, (int)ncol);
    glp_add_rows(P, (int)nrow);
    size_t t = 0;
#define NZ(r, cl, v) (t++, J->ia[t] = (r), J->ja[t] = (cl), J->ar[t] = (v))
    int row = 1;
    glp_set_row_bnds(P, 1, GLP_FX, (double)pfree, (double)pfree);
    for (size_t j = 0; j < m; j++)
        if (J->ycol[j]) {
            glp_set_col_kind(P, J->ycol[j], GLP_BV);
            NZ(1, J->ycol[j], 1.0);
        }
    for (size_t i = 0; i < n; i++) {
        row++;
        glp_set_row_bnds(P, row, GLP_FX, 1.0, 1.0);
        for (size_t a = c->arc_start[i]; a < c->arc_start[i + 1]; a++) {
            int col = ny + 1 + (int)a;
            size_t j = c->arc_j[a];
            glp_set_col_kind(P, col, GLP_BV);
            glp_set_obj_coef(P, col, cost(c, i, j));
            if (c->o->self_assign && j == i && c->fix[j] > 0)
                glp_set_col_bnds(P, col, GLP_FX, 1.0, 1.0);
            NZ(row, col, 1.0);
        }
    }
    /* Site rows: capacity row of site j is caprow[j] (lower load: +1). */
    for (size_t j = 0; j < m; j++) {
        if (c->fix[j] < 0)
            continue;
        caprow[j] = ++row;
        if (J->ycol[j]) {
            glp_set_row_bnds(P, row, GLP_UP, 0.0, 0.0);
            NZ(row, J->ycol[j], -c->U[j]);
        } else {
            glp_set_row_bnds(P, row, GLP_UP, 0.0, c->U[j]);
        }
        if (lo) {
            ++row;
            if (J->ycol[j]) {
                glp_set_row_bnds(P, row, GLP_LO, 0.0, 0.0);
                NZ(row, J->ycol[j], -c->Lo);
            } else {
                glp_set_row_bnds(P, row, GLP_LO, c->Lo, 0.0);
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        for (size_t a = c->arc_start[i]; a < c->arc_start[i + 1]; a++) {
            size_t j = c->arc_j[a];
            int col = ny + 1 + (int)a;
            NZ(caprow[j], col, c->q[i]);
            if (lo)
                NZ(caprow[j] + 1, col, c->q[i]);
            if (J->ycol[j] && ((c->o->self_assign && j == i) || c->q[i] == 0.0)) {
                /* x_jj = y_j; x_ij <= y_j where demand does not imply it. */
                ++row;
                glp_set_row_bnds(P, row, c->o->self_assign && j == i ? GLP_FX : GLP_UP, 0.0, 0.0);
                NZ(row, col, 1.0);
                NZ(row, J->ycol[j], -1.0);
            }
        }
#undef NZ
    if ((size_t)row != nrow || t != nnz) {
        glp_delete_prob(P);
        return ZS_INTERNAL(err, "assignment program: %d rows / %zu nonzeros, expected %zu / %zu",
                           row, t, nrow, nnz);
    }
    glp_load_matrix(P, (int)t, J->ia, J->ja, J->ar);
    if (c->have_inc)
        zs_pm_no_pump(P);

    /* x_ij <= y_j where the LP breaks it, a few rounds before branching. */
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_ERR;
    sm.presolve = GLP_OFF;
    for (int round = 0; round < CUT_ROUNDS; round++) {
        double left = c->deadline - zs_pm_now();
        if (left <= 0.0)
            break;
        double ms = left * 1000.0;
        sm.tm_lim = ms > 2e9 ? 2000000000 : (int)ms + 1;
        if (glp_simplex(P, &sm) != 0 || glp_get_status(P) != GLP_OPT)
            break; /* infeasible or out of time: zs_mip_solve says which */
        int added = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t a = c->arc_start[i]; a < c->arc_start[i + 1]; a++) {
                size_t j = c->arc_j[a];
                if (!J->ycol[j] || c->q[i] == 0.0 || (c->o->self_assign && j == i))
                    continue;
                int col = ny + 1 + (int)a;
                if (glp_get_col_prim(P, col) > glp_get_col_prim(P, J->ycol[j]) + 1e-6) {
                    int r = glp_add_rows(P, 1);
                    glp_set_row_bnds(P, r, GLP_UP, 0.0, 0.0);
                    J->rind[1] = col;
                    J->rval[1] = 1.0;
                    J->rind[2] = J->ycol[j];
                    J->rval[2] = -1.0;
                    glp_set_mat_row(P, r, 2, J->rind, J->rval);
                    added++;
                }
            }
        if (!added)
            break;
    }
    c->mip_rows = glp_get_num_rows(P);
    c->mip_cols = glp_get_num_cols(P);
    /* Sites first, without GLPK's cuts: the tree closes the Lagrangian's
     * gap by deciding the medians, and GLPK's MIR/GMI cuts cost more per
     * node than they prune here (cpmp08: GLPK's own choice among the arcs
     * left a 3% gap at 120 s; the sites first proved it in 130 s of CPU,
     * 2861 nodes; without the cuts in 10 s, 8707 nodes.  The price: SJC1
     * takes 41 s of CPU instead of 11 s with the cuts).  Capacities only:
     * a balanced program (a lower load Lo) keeps GLPK's choice and cuts,
     * under which the 50-point study's exact plans take seconds. */
    c->mip_branch_first = c->Lo > 0 ? 0 : ny;
    zs_status st = zs_pm_mip_solve(c, P, err);
    c->mip_branch_first = 0;
    if (st == ZS_OK && isfinite(c->mip.objective)) {
        size_t k = zs_pm_mip_open(c, P, J->ycol, J->ol);
        int ok = k == c->p;
        for (size_t i = 0; ok && i < n; i++) {
            size_t got = 0;
            for (size_t a = c->arc_start[i]; a < c->arc_start[i + 1]; a++)
                if (glp_mip_col_val(P, ny + 1 + (int)a) > 0.5) {
                    J->assign[i] = c->arc_j[a];
                    got++;
                }
            ok = got == 1;
        }
        if (!ok)
            st = ZS_INTERNAL(err, "assignment program returned an inconsistent plan");
        else
            J->have = 1;
    }
    glp_delete_prob(P);
    return st;
}

zs_status zs_pm_cap_program(zs_pm_ctx *c, zs_err *err)
{
    assign_job J = {0};
    J.c = c;
    J.ycol = zs_malloc_array(c->m, sizeof *J.ycol);
    J.ol = zs_malloc_array(c->p, sizeof *J.ol);
    J.assign = zs_malloc_array(c->n, sizeof *J.assign);
    double *load = zs_calloc(c->m, sizeof *load);
    zs_status st;
    if (!J.ycol || !J.ol || !J.assign || !load)
        st = ZS_NOMEM(err);
    else
        st = zs_mip_guarded(assign_run, &J, c->o->log, err);
    if (st == ZS_OK && J.have) {
        double obj = 0.0;
        for (size_t i = 0; i < c->n; i++) {
            obj += cost(c, i, J.assign[i]);
            load[J.assign[i]] += c->q[i];
        }
        for (size_t r = 0; r < c->p && st == ZS_OK; r++) {
            size_t j = J.ol[r];
            double tol = 1e-6 * (c->U[j] > 1.0 ? c->U[j] : 1.0);
            if (load[j] > c->U[j] + tol || load[j] < c->Lo - tol)
                st = ZS_INTERNAL(err, "assignment program: site %zu carries %g, outside [%g, %g]",
                                 j, load[j], c->Lo, c->U[j]);
        }
        size_t r = 0;
        for (size_t i = 0; i < c->n && st == ZS_OK; i++) {
            for (r = 0; r < c->p && J.ol[r] != J.assign[i]; r++)
                ;
            if (r == c->p)
                st = ZS_INTERNAL(err, "assignment program: client %zu at a closed site", i);
        }
        if (st == ZS_OK)
            zs_pm_offer(c, J.ol, J.assign, obj);
    }
    zs_free(load);
    zs_free(J.ycol);
    zs_free(J.ia);
    zs_free(J.ja);
    zs_free(J.ar);
    zs_free(J.rind);
    zs_free(J.rval);
    zs_free(J.caprow);
    zs_free(J.ol);
    zs_free(J.assign);
    return st;
}
