/*
 * engine/staffing/roster.c -- weekly rosters: line enumeration and the set-covering
 * integer program (see roster.h).
 */
#include "staffing/roster.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glpk.h>

#include "models/alloc.h"
#include "models/calendar.h"

void zs_roster_opts_defaults(zs_roster_opts *o)
{
    o->weeks = 4;
    o->days_per_week = 5;
    o->max_consecutive = 6;
    o->consecutive_off = 1;
    o->weekend_off_min = 2;
    o->courier_cost = 5.0; /* one unit per paid day, five days a week */
    o->temp_cost = 1.5;    /* a temporary costs half as much again per day */
    o->temp_max = 0;
    o->pool_max = 0;
    o->time_limit_s = 30.0;
    o->mip_gap = 0.0;
}

zs_status zs_roster_opts_validate(const zs_roster_opts *o, zs_err *err)
{
    if (o->weeks < 1 || o->weeks > ZS_ROSTER_MAX_WEEKS)
        return zs_err_set(err, ZS_EINVAL, "roster.weeks = %d; must be in 1..%d", o->weeks,
                          ZS_ROSTER_MAX_WEEKS);
    /* A week with no day off would let a run of work cross several weeks;
     * no courier works seven days a week anyway. */
    if (o->days_per_week < 1 || o->days_per_week > 6)
        return zs_err_set(err, ZS_EINVAL, "roster.days_per_week = %d; must be in 1..6",
                          o->days_per_week);
    if (o->max_consecutive < 1 || o->max_consecutive > 7 * ZS_ROSTER_MAX_WEEKS)
        return zs_err_set(err, ZS_EINVAL, "roster.max_consecutive = %d; must be in 1..%d",
                          o->max_consecutive, 7 * ZS_ROSTER_MAX_WEEKS);
    if (o->consecutive_off != 0 && o->consecutive_off != 1)
        return zs_err_set(err, ZS_EINVAL, "roster.consecutive_off = %d; must be 0 or 1",
                          o->consecutive_off);
    if (o->weekend_off_min < 0 || o->weekend_off_min > 2 * o->weeks)
        return zs_err_set(err, ZS_EINVAL,
                          "roster.weekend_off_min = %d; must be in 0..%d (two weekend days in "
                          "each of %d weeks)",
                          o->weekend_off_min, 2 * o->weeks, o->weeks);
    if (!(o->courier_cost > 0) || !isfinite(o->courier_cost))
        return zs_err_set(err, ZS_EINVAL, "roster.courier_cost = %g; must be finite and > 0",
                          o->courier_cost);
    if (!(o->temp_cost >= 0) || !isfinite(o->temp_cost))
        return zs_err_set(err, ZS_EINVAL, "roster.temp_cost = %g; must be finite and >= 0",
                          o->temp_cost);
    if (o->temp_max < 0 || o->temp_max > 1000000)
        return zs_err_set(err, ZS_EINVAL, "roster.temp_max = %d; must be in 0..1000000",
                          o->temp_max);
    if (o->pool_max < 0 || o->pool_max > 1000000)
        return zs_err_set(err, ZS_EINVAL, "roster.pool_max = %d; must be in 0..1000000",
                          o->pool_max);
    zs_mip_opts mo = {o->time_limit_s, o->mip_gap, NULL, NULL, 0.0};
    zs_status st = zs_mip_opts_validate(&mo, err);
    if (st != ZS_OK)
        zs_err_prefix(err, "roster");
    return st;
}

void zs_roster_day_name(int d, char *buf, size_t size)
{
    snprintf(buf, size, "%s of week %d", zs_weekday_name(d % 7), d / 7 + 1);
}

/* ---- lines ------------------------------------------------------------- */

/* Checks the runs of the first len days of m.  cyclic: m is a whole line
 * and day len - 1 is followed by day 0.  Otherwise m is a prefix: a run of
 * work longer than max fails wherever it is (runs only grow), a run of days
 * off fails only when both its ends are inside the prefix. */
static int runs_ok(uint64_t m, int len, int cyclic, int max_work, int cons_off)
{
    int start = 0;
    if (cyclic) {
        /* Begin at a change of state so that no run is cut by the wrap.
         * Every week has a working day and a day off, so one exists. */
        while (start < len && ((m >> start) & 1) == ((m >> ((start + len - 1) % len)) & 1))
            start++;
        if (start == len)
            return 0;
    }
    int run = 0, cur = -1, first = 1;
    for (int s = 0; s <= len; s++) {
        int bit = s < len ? (int)((m >> ((start + s) % len)) & 1) : -1;
        if (bit == cur) {
            run++;
            continue;
        }
        if (cur == 1 && run > max_work)
            return 0;
        /* A run of days off: closed unless it touches the prefix's ends. */
        if (cur == 0 && cons_off && run < 2 && (cyclic || (!first && s < len)))
            return 0;
        if (cur != -1)
            first = 0;
        cur = bit;
        run = 1;
    }
    return 1;
}

static int weekend_off(uint64_t m, int weeks)
{
    int c = 0;
    for (int w = 0; w < weeks; w++)
        c += !((m >> (7 * w + 5)) & 1) + !((m >> (7 * w + 6)) & 1);
    return c;
}

typedef struct {
    const zs_roster_opts *o;
    uint8_t pat[128];   /* weekly patterns: bit j = works weekday j */
    int npat;
    uint64_t *lines;
    size_t n, cap;
    int overflow, nomem;
} line_enum;

static void extend(line_enum *e, uint64_t m, int w)
{
    const zs_roster_opts *o = e->o;
    if (e->overflow || e->nomem)
        return;
    if (w == o->weeks) {
        if (!runs_ok(m, 7 * w, 1, o->max_consecutive, o->consecutive_off) ||
            weekend_off(m, w) < o->weekend_off_min)
            return;
        if (e->n == ZS_ROSTER_MAX_LINES) {
            e->overflow = 1;
            return;
        }
        if (e->n == e->cap) {
            size_t nc = e->cap ? 2 * e->cap : 256;
            uint64_t *nl = zs_realloc(e->lines, nc * sizeof *nl);
            if (!nl) {
                e->nomem = 1;
                return;
            }
            e->lines = nl;
            e->cap = nc;
        }
        e->lines[e->n++] = m;
        return;
    }
    for (int p = 0; p < e->npat; p++) {
        uint64_t next = m | ((uint64_t)e->pat[p] << (7 * w));
        int len = 7 * (w + 1);
        /* Even two days off in every week still to come cannot reach the
         * weekend minimum: prune. */
        if (weekend_off(next, w + 1) + 2 * (o->weeks - w - 1) < o->weekend_off_min)
            continue;
        if (!runs_ok(next, len, 0, o->max_consecutive, o->consecutive_off))
            continue;
        extend(e, next, w + 1);
    }
}

zs_status zs_roster_lines(const zs_roster_opts *o, uint64_t **lines, size_t *n, zs_err *err)
{
    *lines = NULL;
    *n = 0;
    zs_status st = zs_roster_opts_validate(o, err);
    if (st != ZS_OK)
        return st;
    line_enum e;
    memset(&e, 0, sizeof e);
    e.o = o;
    for (int p = 0; p < 128; p++)
        if (__builtin_popcount((unsigned)p) == o->days_per_week)
            e.pat[e.npat++] = (uint8_t)p;
    extend(&e, 0, 0);
    if (e.nomem) {
        zs_free(e.lines);
        return ZS_NOMEM(err);
    }
    if (e.overflow) {
        zs_free(e.lines);
        return zs_err_set(err, ZS_EINVAL,
                          "roster: the rules allow more than %d lines over %d weeks; use fewer "
                          "weeks, require days off together or raise weekend_off_min",
                          ZS_ROSTER_MAX_LINES, o->weeks);
    }
    *lines = e.lines;
    *n = e.n;
    return ZS_OK;
}

/* ---- the program ---------------------------------------------------------- */

/* Above this many lines the program is first solved as an LP and columns
 * that cannot be in an optimal roster are dropped (see solve_filtered). */
#define FILTER_MIN_LINES 2000

typedef struct {
    const zs_roster_opts *o;
    const uint64_t *lines;
    size_t nl;
    const int32_t *req;
    const uint8_t *tok;  /* per day: temporaries allowed */
    int days;
    zs_mip_result res;
    double *nval;        /* nl: couriers on each line */
    double *tval;        /* days: temporaries */
    double *nv2, *tv2;   /* a second solution (nl, days) */
    double *rc;          /* nl: reduced costs of the LP relaxation */
    uint8_t *keep;       /* nl: line is a column of the program */
    size_t n_columns;    /* line columns of the last program solved */
    int *ind;            /* days + 4 scratch for GLPK (1-based) */
    double *val;
} ip_ctx;

/* Builds the program over the lines with keep[l] != 0 (all when keep is
 * NULL).  Columns: those lines, then the total N = sum of n_l (an integer
 * column tied by an equality row: branching on the head count first closes
 * the gap far sooner than branching on single lines, where many lines are
 * interchangeable), then the temporaries.  Rows: days, N's definition,
 * then the pool. */
static glp_prob *build(ip_ctx *c, const uint8_t *keep, size_t *ncols)
{
    const zs_roster_opts *o = c->o;
    int D = c->days, umax = 0;
    for (int d = 0; d < D; d++)
        if (c->req[d] > umax)
            umax = c->req[d];
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    int rN = D + 1, rPool = D + 2;
    glp_add_rows(P, D + 1 + (o->pool_max > 0));
    for (int d = 0; d < D; d++)
        glp_set_row_bnds(P, d + 1, GLP_LO, c->req[d], 0.0);
    glp_set_row_bnds(P, rN, GLP_FX, 0.0, 0.0);
    if (o->pool_max > 0)
        glp_set_row_bnds(P, rPool, GLP_UP, 0.0, o->pool_max);
    size_t m = 0;
    for (size_t l = 0; l < c->nl; l++)
        m += !keep || keep[l];
    *ncols = m;
    if (m > 0)
        glp_add_cols(P, (int)m);
    int j = 0;
    for (size_t l = 0; l < c->nl; l++) {
        if (keep && !keep[l])
            continue;
        int nz = 0;
        j++;
        glp_set_col_kind(P, j, GLP_IV);
        /* No line needs more couriers than the busiest day requires. */
        if (umax > 0)
            glp_set_col_bnds(P, j, GLP_DB, 0.0, umax);
        else
            glp_set_col_bnds(P, j, GLP_FX, 0.0, 0.0);
        glp_set_obj_coef(P, j, o->weeks * o->courier_cost);
        for (int d = 0; d < D; d++)
            if ((c->lines[l] >> d) & 1) {
                c->ind[++nz] = d + 1;
                c->val[nz] = 1.0;
            }
        c->ind[++nz] = rN;
        c->val[nz] = 1.0;
        glp_set_mat_col(P, j, nz, c->ind, c->val);
    }
    int jN = glp_add_cols(P, 1);
    glp_set_col_kind(P, jN, GLP_IV);
    glp_set_col_bnds(P, jN, GLP_LO, 0.0, 0.0);
    {
        int nz = 0;
        c->ind[++nz] = rN;
        c->val[nz] = -1.0;
        if (o->pool_max > 0) {
            c->ind[++nz] = rPool;
            c->val[nz] = 1.0;
        }
        glp_set_mat_col(P, jN, nz, c->ind, c->val);
    }
    for (int d = 0; d < D; d++) {
        if (!c->tok[d] || o->temp_max <= 0)
            continue;
        int jt = glp_add_cols(P, 1);
        glp_set_col_kind(P, jt, GLP_IV);
        glp_set_col_bnds(P, jt, GLP_DB, 0.0, o->temp_max);
        glp_set_obj_coef(P, jt, o->temp_cost);
        int ind1[2] = {0, d + 1};
        double val1[2] = {0.0, 1.0};
        glp_set_mat_col(P, jt, 1, ind1, val1);
    }
    return P;
}

static int has_solution(zs_mip_status s)
{
    return s == ZS_MIP_OPTIMAL || s == ZS_MIP_GAP || s == ZS_MIP_TIME_LIMIT;
}

/* Solves the program over the lines in keep (NULL = all) within
 * time_limit_s; with a solution, writes it to nv[nl] and tv[days]. */
static zs_status solve_columns(ip_ctx *c, const uint8_t *keep, double time_limit_s,
                               zs_mip_result *res, double *nv, double *tv, zs_err *err)
{
    const zs_roster_opts *o = c->o;
    size_t m;
    glp_prob *P = build(c, keep, &m);
    zs_mip_opts mo;
    zs_mip_opts_defaults(&mo);
    mo.time_limit_s = time_limit_s > 0.01 ? time_limit_s : 0.01;
    mo.mip_gap = o->mip_gap;
    zs_status st = zs_mip_solve(P, &mo, res, err);
    c->n_columns = m;
    if (st == ZS_OK && has_solution(res->status)) {
        int j = 0;
        for (size_t l = 0; l < c->nl; l++) {
            nv[l] = 0.0;
            if (!keep || keep[l])
                nv[l] = glp_mip_col_val(P, ++j);
        }
        j = (int)m + 1; /* N */
        for (int d = 0; d < c->days; d++) {
            tv[d] = 0.0;
            if (c->tok[d] && o->temp_max > 0)
                tv[d] = glp_mip_col_val(P, ++j);
        }
    }
    glp_delete_prob(P);
    return st;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A roster from the LP solution: round every line and temporary up (a
 * cover stays a cover), then drop couriers nobody misses and temporaries
 * beyond the shortfall.  Returns its cost, or HUGE_VAL when it breaks the
 * pool. */
static double round_up(ip_ctx *c, double *nv, double *tv)
{
    const zs_roster_opts *o = c->o;
    int D = c->days;
    int cov[7 * ZS_ROSTER_MAX_WEEKS] = {0};
    for (size_t l = 0; l < c->nl; l++) {
        nv[l] = ceil(nv[l] - 1e-9);
        for (int d = 0; d < D; d++)
            cov[d] += (int)nv[l] * (int)((c->lines[l] >> d) & 1);
    }
    for (int d = 0; d < D; d++)
        tv[d] = ceil(tv[d] - 1e-9);
    for (size_t l = 0; l < c->nl; l++)
        while (nv[l] > 0) {
            int spare = 1;
            for (int d = 0; d < D && spare; d++)
                if ((c->lines[l] >> d) & 1)
                    spare = cov[d] - 1 + (int)tv[d] >= c->req[d];
            if (!spare)
                break;
            nv[l] -= 1;
            for (int d = 0; d < D; d++)
                cov[d] -= (int)((c->lines[l] >> d) & 1);
        }
    double n = 0, t = 0;
    for (size_t l = 0; l < c->nl; l++)
        n += nv[l];
    for (int d = 0; d < D; d++) {
        double miss = c->req[d] - cov[d];
        tv[d] = miss > 0 ? (tv[d] < miss ? tv[d] : miss) : 0;
        t += tv[d];
    }
    if (o->pool_max > 0 && n > o->pool_max)
        return HUGE_VAL;
    return n * o->weeks * o->courier_cost + t * o->temp_cost;
}

/* Many lines (rules without days off together allow 135,779 over four
 * weeks): exact reduced-cost filtering.  The LP relaxation over every line
 * gives the bound LB and each line's reduced cost rc_l >= 0.  Any roster
 * using line l at least once costs at least LB + rc_l, so once a roster of
 * cost UB is known, lines with rc_l > UB - LB cannot improve on it and are
 * dropped; the optimum over the remaining lines is the optimum over all,
 * and its proven bound holds for all.  UB is the better of the rounded LP
 * solution and a short solve over the lines of smallest reduced cost. */
static zs_status solve_lines(ip_ctx *c, zs_err *err)
{
    const zs_roster_opts *o = c->o;
    double t0 = now_s();
    if (c->nl < FILTER_MIN_LINES)
        return solve_columns(c, NULL, o->time_limit_s, &c->res, c->nval, c->tval, err);

    size_t m;
    glp_prob *P = build(c, NULL, &m);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_ERR;
    double ms = o->time_limit_s * 1000.0;
    sm.tm_lim = ms > 2e9 ? 2000000000 : (int)ms;
    int rc = glp_simplex(P, &sm);
    int ok = rc == 0 && glp_get_status(P) == GLP_OPT;
    double lb = ok ? glp_get_obj_val(P) : 0.0;
    if (ok) {
        for (size_t l = 0; l < c->nl; l++) {
            c->rc[l] = glp_get_col_dual(P, (int)l + 1);
            c->nval[l] = glp_get_col_prim(P, (int)l + 1);
        }
        for (int d = 0, j = (int)m + 1; d < c->days; d++)
            c->tval[d] = c->tok[d] && o->temp_max > 0 ? glp_get_col_prim(P, ++j) : 0.0;
    }
    glp_delete_prob(P);
    double left = o->time_limit_s - (now_s() - t0);
    if (!ok || left <= 0.01) /* infeasible, or no time: the full program says */
        return solve_columns(c, NULL, left, &c->res, c->nval, c->tval, err);

    /* Incumbent: the rounded LP solution. */
    double ub = round_up(c, c->nval, c->tval);
    /* A short solve over the lines of smallest reduced cost (at most
     * FILTER_MIN_LINES: those the LP likes best) and the incumbent's. */
    double cut = 1e-9 * (1.0 + fabs(lb));
    size_t nk = 0;
    for (size_t l = 0; l < c->nl; l++)
        nk += c->rc[l] <= cut;
    for (double step = o->weeks * o->courier_cost / 8; nk < FILTER_MIN_LINES / 2 && step < 1e12; step *= 2) {
        size_t more = 0;
        for (size_t l = 0; l < c->nl; l++)
            more += c->rc[l] <= cut + step;
        if (more > FILTER_MIN_LINES)
            break;
        cut += step;
        nk = more;
    }
    for (size_t l = 0; l < c->nl; l++)
        c->keep[l] = c->rc[l] <= cut || c->nval[l] > 0;
    zs_mip_result heur;
    double th = left / 4 < 5.0 ? left / 4 : 5.0;
    zs_status st = solve_columns(c, c->keep, th, &heur, c->nv2, c->tv2, err);
    if (st != ZS_OK)
        return st;
    if (has_solution(heur.status) && heur.objective < ub - 1e-9) {
        ub = heur.objective;
        memcpy(c->nval, c->nv2, c->nl * sizeof *c->nval);
        memcpy(c->tval, c->tv2, (size_t)c->days * sizeof *c->tval);
    }
    left = o->time_limit_s - (now_s() - t0);
    if (ub == HUGE_VAL) /* nothing known: the full program, honestly timed */
        return solve_columns(c, NULL, left, &c->res, c->nval, c->tval, err);

    double slack = ub - lb;
    for (size_t l = 0; l < c->nl; l++)
        c->keep[l] = c->rc[l] <= slack + 1e-7 * (1.0 + fabs(lb)) || c->nval[l] > 0;
    zs_mip_result fin;
    if (left > 0.01) {
        st = solve_columns(c, c->keep, left, &fin, c->nv2, c->tv2, err);
        if (st != ZS_OK)
            return st;
    } else {
        fin.status = ZS_MIP_NO_SOLUTION;
    }
    if (has_solution(fin.status) && fin.objective <= ub + 1e-9) {
        c->res = fin;
        memcpy(c->nval, c->nv2, c->nl * sizeof *c->nval);
        memcpy(c->tval, c->tv2, (size_t)c->days * sizeof *c->tval);
    } else {
        /* Stopped by the clock before matching the incumbent: report it. */
        c->res = fin;
        c->res.status = ZS_MIP_TIME_LIMIT;
        c->res.objective = ub;
        c->res.bound = lb;
        c->res.lp_bound = lb;
    }
    /* The LP over every line bounds the optimum too. */
    if (!(c->res.bound >= lb))
        c->res.bound = lb;
    if (c->res.status != ZS_MIP_OPTIMAL) {
        double den = fabs(c->res.objective) > 1e-10 ? fabs(c->res.objective) : 1e-10;
        c->res.gap = fabs(c->res.objective - c->res.bound) / den;
        if (c->res.gap < 1e-12)
            c->res.status = ZS_MIP_OPTIMAL;
    }
    c->res.runtime_s = now_s() - t0;
    return ZS_OK;
}

/* The least roster cost >= bound: every roster costs a whole number of
 * couriers (W x courier_cost each) plus a whole number of temporary days
 * (temp_cost each), so a bound between two such sums rises to the next
 * (165 couriers, not 164.7).  temps: temporaries may work some day. */
static double round_bound(double bound, double courier, double temp, int temps)
{
    double eps = 1e-9 * (1.0 + fabs(bound));
    if (!(bound > 0) || !isfinite(bound))
        return bound;
    double na = ceil(bound / courier - eps);
    if (!temps || !(temp > 0))
        return na * courier;
    if (na > 1e6) /* beyond any pool: leave it */
        return bound;
    double best = na * courier;
    for (double a = 0; a < na; a++) {
        double v = a * courier + ceil((bound - a * courier) / temp - eps) * temp;
        if (v < best)
            best = v;
    }
    return best < bound ? bound : best;
}

/* Solves over every admissible line, then raises the bound to the next
 * possible roster cost, which closes gaps GLPK leaves open on
 * interchangeable lines (status, gap). */
static zs_status solve_filtered(void *vctx, zs_err *err)
{
    ip_ctx *c = vctx;
    const zs_roster_opts *o = c->o;
    zs_status st = solve_lines(c, err);
    if (st != ZS_OK || !has_solution(c->res.status) || c->res.status == ZS_MIP_OPTIMAL)
        return st;
    int temps = 0;
    for (int d = 0; d < c->days; d++)
        temps |= c->tok[d] && o->temp_max > 0;
    double b = round_bound(c->res.bound, o->weeks * o->courier_cost, o->temp_cost, temps);
    if (b > c->res.bound)
        c->res.bound = b;
    if (c->res.bound > c->res.objective)
        c->res.bound = c->res.objective;
    double den = fabs(c->res.objective) > 1e-10 ? fabs(c->res.objective) : 1e-10;
    c->res.gap = fabs(c->res.objective - c->res.bound) / den;
    if (c->res.gap < 1e-12) {
        c->res.gap = 0.0;
        c->res.status = ZS_MIP_OPTIMAL;
    }
    return ZS_OK;
}

void zs_roster_free(zs_roster *r)
{
    if (!r)
        return;
    zs_free(r->schedule);
    zs_free(r->line_of);
    zs_free(r->required);
    zs_free(r->covered);
    zs_free(r->temps);
    zs_free(r->temp_ok);
    zs_free(r);
}

/* The reasons a roster cannot exist that simple counting finds, written
 * into r->message; 1 when one was found. */
static int precheck(zs_roster *r, const zs_roster_opts *o, const uint64_t *lines, size_t nl)
{
    int D = r->days;
    int pool = o->pool_max;
    long long need = 0; /* courier-days regular couriers must work */
    int bad = -1, nbad = 0;
    for (int d = 0; d < D; d++) {
        int worked = 0; /* some admissible line works day d */
        for (size_t l = 0; l < nl && !worked; l++)
            worked = (int)((lines[l] >> d) & 1);
        int tcap = r->temp_ok[d] ? o->temp_max : 0;
        int rest = r->required[d] > tcap ? r->required[d] - tcap : 0;
        need += rest;
        if (rest > 0 && (!worked || (pool > 0 && rest > pool))) {
            if (bad < 0)
                bad = d;
            nbad++;
        }
    }
    char day[32];
    if (bad >= 0) {
        int tcap = r->temp_ok[bad] ? o->temp_max : 0;
        zs_roster_day_name(bad, day, sizeof day);
        char more[64] = "";
        if (nbad > 1)
            snprintf(more, sizeof more, " (and %d more day%s)", nbad - 1, nbad > 2 ? "s" : "");
        if (nl == 0)
            snprintf(r->message, sizeof r->message,
                     "no work line meets the rules (%d days a week, at most %d in a row%s, %d "
                     "weekend days off over %d weeks), and %s needs %d couriers with at most %d "
                     "temporaries%s",
                     o->days_per_week, o->max_consecutive,
                     o->consecutive_off ? ", days off together" : "", o->weekend_off_min,
                     o->weeks, day, r->required[bad], tcap, more);
        else if (pool > 0)
            snprintf(r->message, sizeof r->message,
                     "%s needs %d couriers, but the pool has %d regular couriers and at most %d "
                     "temporaries may work that day%s",
                     day, r->required[bad], pool, tcap, more);
        else
            snprintf(r->message, sizeof r->message,
                     "%s needs %d couriers, but no line the rules allow works that day and at "
                     "most %d temporaries may%s",
                     day, r->required[bad], tcap, more);
        return 1;
    }
    long long supply = (long long)pool * o->days_per_week * o->weeks;
    if (pool > 0 && need > supply) {
        snprintf(r->message, sizeof r->message,
                 "the %d-week cycle needs %lld courier-days from regular couriers (beyond what "
                 "temporaries may cover), but a pool of %d couriers working %d days a week gives "
                 "at most %lld",
                 o->weeks, need, pool, o->days_per_week, supply);
        return 1;
    }
    return 0;
}

zs_status zs_roster_solve(const int32_t *required, const uint8_t *temp_ok,
                          const zs_roster_opts *o, zs_roster **out, zs_err *err)
{
    *out = NULL;
    zs_roster_opts def;
    if (!o) {
        zs_roster_opts_defaults(&def);
        o = &def;
    }
    zs_status st = zs_roster_opts_validate(o, err);
    if (st != ZS_OK)
        return st;
    int D = 7 * o->weeks;
    for (int d = 0; d < D; d++)
        if (required[d] < 0 || required[d] > 1000000) {
            char day[32];
            zs_roster_day_name(d, day, sizeof day);
            return zs_err_set(err, ZS_EINVAL, "roster: requirement of %s = %ld; must be in 0..1000000",
                              day, (long)required[d]);
        }
    uint64_t *lines = NULL;
    size_t nl = 0;
    ip_ctx c;
    memset(&c, 0, sizeof c);
    zs_roster *r = zs_calloc(1, sizeof *r);
    if (!r)
        return ZS_NOMEM(err);
    r->weeks = o->weeks;
    r->days = D;
    r->objective = NAN;
    r->bound = NAN;
    r->gap = NAN;
    if (!(r->required = zs_calloc((size_t)D, sizeof *r->required)) ||
        !(r->covered = zs_calloc((size_t)D, sizeof *r->covered)) ||
        !(r->temps = zs_calloc((size_t)D, sizeof *r->temps)) ||
        !(r->temp_ok = zs_calloc((size_t)D, sizeof *r->temp_ok))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    long long total = 0;
    for (int d = 0; d < D; d++) {
        r->required[d] = required[d];
        r->temp_ok[d] = (uint8_t)(temp_ok ? temp_ok[d] != 0 : 1);
        total += required[d];
    }
    if ((st = zs_roster_lines(o, &lines, &nl, err)) != ZS_OK)
        goto done;
    r->n_lines = nl;
    if (total == 0) {
        /* Nothing to cover: the empty roster, optimal without a solver. */
        r->status = ZS_MIP_OPTIMAL;
        r->objective = r->bound = r->gap = 0.0;
        goto done;
    }
    if (precheck(r, o, lines, nl)) {
        r->status = ZS_MIP_INFEASIBLE;
        goto done;
    }
    size_t scratch = (size_t)D + 4; /* a line's days, N's row, the pool */
    c.o = o;
    c.lines = lines;
    c.nl = nl;
    c.req = r->required;
    c.tok = r->temp_ok;
    c.days = D;
    if (!(c.nval = zs_calloc(nl ? nl : 1, sizeof *c.nval)) ||
        !(c.tval = zs_calloc((size_t)D, sizeof *c.tval)) ||
        !(c.nv2 = zs_calloc(nl ? nl : 1, sizeof *c.nv2)) ||
        !(c.tv2 = zs_calloc((size_t)D, sizeof *c.tv2)) ||
        !(c.rc = zs_calloc(nl ? nl : 1, sizeof *c.rc)) ||
        !(c.keep = zs_calloc(nl ? nl : 1, sizeof *c.keep)) ||
        !(c.ind = zs_calloc(scratch, sizeof *c.ind)) ||
        !(c.val = zs_calloc(scratch, sizeof *c.val))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if ((st = zs_mip_guarded(solve_filtered, &c, NULL, err)) != ZS_OK)
        goto done;
    r->solved = 1;
    r->status = c.res.status;
    r->bound = c.res.bound;
    r->gap = c.res.gap;
    r->runtime_s = c.res.runtime_s;
    r->nodes = c.res.nodes;
    r->n_columns = c.n_columns;
    if (r->status == ZS_MIP_INFEASIBLE) {
        snprintf(r->message, sizeof r->message,
                 "no roster of %s%d-day weeks (at most %d in a row%s, %d weekend days off over %d "
                 "weeks) covers every day: each day alone could be covered, but not all of them "
                 "together",
                 o->pool_max > 0 ? "at most the pool's couriers on " : "", o->days_per_week,
                 o->max_consecutive, o->consecutive_off ? ", days off together" : "",
                 o->weekend_off_min, o->weeks);
        goto done;
    }
    if (r->status == ZS_MIP_NO_SOLUTION || r->status == ZS_MIP_UNBOUNDED) {
        snprintf(r->message, sizeof r->message, "no roster found within the time limit of %g s",
                 o->time_limit_s);
        goto done;
    }
    /* Integer columns come back as doubles: round, then recount. */
    size_t couriers = 0;
    for (size_t l = 0; l < nl; l++)
        couriers += (size_t)llround(c.nval[l]);
    r->couriers = couriers;
    if (couriers > 0 &&
        (!(r->schedule = zs_calloc(couriers * (size_t)D, sizeof *r->schedule)) ||
         !(r->line_of = zs_calloc(couriers, sizeof *r->line_of)))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    size_t row = 0;
    for (size_t l = 0; l < nl; l++)
        for (long long q = llround(c.nval[l]); q > 0; q--, row++) {
            r->line_of[row] = (int32_t)l;
            for (int d = 0; d < D; d++) {
                int on = (int)((lines[l] >> d) & 1);
                r->schedule[row * (size_t)D + (size_t)d] = (int8_t)on;
                r->covered[d] += on;
            }
        }
    long long tdays = 0;
    for (int d = 0; d < D; d++) {
        r->temps[d] = (int32_t)llround(c.tval[d]);
        tdays += r->temps[d];
    }
    r->courier_cost_total = (double)couriers * o->weeks * o->courier_cost;
    r->temp_cost_total = (double)tdays * o->temp_cost;
    r->objective = r->courier_cost_total + r->temp_cost_total;
    for (int d = 0; d < D; d++)
        if (r->covered[d] + r->temps[d] < r->required[d]) {
            st = ZS_INTERNAL(err, "roster: day %d covered by %d + %d < %d after rounding", d,
                             r->covered[d], r->temps[d], r->required[d]);
            goto done;
        }
done: /* st says whether r is the result */
    zs_free(lines);
    zs_free(c.nval);
    zs_free(c.tval);
    zs_free(c.nv2);
    zs_free(c.tv2);
    zs_free(c.rc);
    zs_free(c.keep);
    zs_free(c.ind);
    zs_free(c.val);
    if (st != ZS_OK) {
        zs_roster_free(r);
        return st;
    }
    *out = r;
    return ZS_OK;
}
