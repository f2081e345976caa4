/*
 * engine/staffing/agent_shifts.c -- the desk's tours and their set-covering
 * integer program (see agent_shifts.h).
 */
#include "staffing/agent_shifts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glpk.h>

#include "models/alloc.h"

#define NI ZS_CALL_INTERVALS

void zs_shift_opts_defaults(zs_shift_opts *o)
{
    o->days = 7;
    o->open_interval = 16;  /* 8:00 */
    o->close_interval = 42; /* 21:00 */
    o->ft_len = 18;         /* 9 h paid, 8 h on the phones */
    o->ft_days = 5;
    o->break_len = 2;       /* a 1-hour meal break */
    o->break_from = 7;      /* 3.5 h .. 5 h after the start */
    o->break_to = 10;
    o->pt_len = 8;          /* 4 h */
    o->pt_days = 5;
    o->temp_len = 8;
    o->temp_max = 0;
    o->ft_max = 0;
    o->pt_max = 0;
    o->ft_cost = 1.0;
    o->pt_cost = 1.1;       /* part-timers cost a tenth more per hour */
    o->temp_cost = 1.5;     /* agency temporaries half as much again */
    o->time_limit_s = 30.0;
    o->mip_gap = 0.0;
    o->node_limit = 1000;
    o->search_passes = 50;
}

zs_status zs_shift_opts_validate(const zs_shift_opts *o, zs_err *err)
{
    if (o->days < 1 || o->days > 7)
        return zs_err_set(err, ZS_EINVAL, "service.shifts.days = %d; must be in 1..7", o->days);
    if (!(o->open_interval >= 0 && o->open_interval < o->close_interval && o->close_interval <= NI))
        return zs_err_set(err, ZS_EINVAL,
                          "service desk hours: intervals %d..%d; need 0 <= open < close <= %d",
                          o->open_interval, o->close_interval, NI);
    int span = o->close_interval - o->open_interval;
    if (o->ft_len < 1 || o->ft_len > span)
        return zs_err_set(err, ZS_EINVAL,
                          "service.shifts.ft_len = %d; must be in 1..%d (the desk hours)", o->ft_len,
                          span);
    if (o->ft_days < 1 || o->ft_days > o->days)
        return zs_err_set(err, ZS_EINVAL, "service.shifts.ft_days = %d; must be in 1..%d",
                          o->ft_days, o->days);
    if (o->break_len < 0 || o->break_len >= o->ft_len)
        return zs_err_set(err, ZS_EINVAL, "service.shifts.break_len = %d; must be in 0..%d",
                          o->break_len, o->ft_len - 1);
    if (o->break_len > 0 && !(o->break_from >= 1 && o->break_from <= o->break_to &&
                              o->break_to + o->break_len < o->ft_len))
        return zs_err_set(err, ZS_EINVAL,
                          "service.shifts break window %d..%d for a %d-interval break in a "
                          "%d-interval shift; need 1 <= from <= to and to + break < shift",
                          o->break_from, o->break_to, o->break_len, o->ft_len);
    if (o->pt_len < 0 || o->pt_len > span)
        return zs_err_set(err, ZS_EINVAL, "service.shifts.pt_len = %d; must be in 0..%d",
                          o->pt_len, span);
    if (o->pt_len > 0 && (o->pt_days < 1 || o->pt_days > o->days))
        return zs_err_set(err, ZS_EINVAL, "service.shifts.pt_days = %d; must be in 1..%d",
                          o->pt_days, o->days);
    if (o->temp_max > 0 && (o->temp_len < 1 || o->temp_len > span))
        return zs_err_set(err, ZS_EINVAL, "service.shifts.temp_len = %d; must be in 1..%d",
                          o->temp_len, span);
    if (o->temp_max < 0 || o->ft_max < 0 || o->pt_max < 0)
        return zs_err_set(err, ZS_EINVAL,
                          "service.shifts pools: ft_max %d, pt_max %d, temp_max %d; must be >= 0",
                          o->ft_max, o->pt_max, o->temp_max);
    if (!(o->ft_cost > 0) || !(o->pt_cost > 0) || !(o->temp_cost > 0) || !isfinite(o->ft_cost) ||
        !isfinite(o->pt_cost) || !isfinite(o->temp_cost))
        return zs_err_set(err, ZS_EINVAL,
                          "service.shifts costs: full time %g, part time %g, temporaries %g; "
                          "must be > 0",
                          o->ft_cost, o->pt_cost, o->temp_cost);
    if (o->node_limit < 1 || o->search_passes < 0)
        return zs_err_set(err, ZS_EINVAL,
                          "service.shifts: node limit %d, search passes %d; need >= 1 and >= 0",
                          o->node_limit, o->search_passes);
    if (!(o->time_limit_s > 0) || !(o->mip_gap >= 0 && o->mip_gap < 1))
        return zs_err_set(err, ZS_EINVAL,
                          "service.shifts: time limit %g s, gap %g; need time > 0, gap in [0, 1)",
                          o->time_limit_s, o->mip_gap);
    return ZS_OK;
}

static int works_day(const zs_shift_opts *o, const zs_tour *t, int d)
{
    if (t->kind == ZS_TOUR_TEMP)
        return d == t->first_day;
    int nd = t->kind == ZS_TOUR_FULL ? o->ft_days : o->pt_days;
    return (d - t->first_day + o->days) % o->days < nd;
}

static int tour_len(const zs_shift_opts *o, int kind)
{
    return kind == ZS_TOUR_FULL ? o->ft_len : kind == ZS_TOUR_PART ? o->pt_len : o->temp_len;
}

int zs_tour_covers(const zs_shift_opts *o, const zs_tour *t, int d, int i)
{
    if (!works_day(o, t, d) || i < t->start || i >= t->start + tour_len(o, t->kind))
        return 0;
    return !(t->brk >= 0 && i >= t->brk && i < t->brk + o->break_len);
}

zs_status zs_shift_tours(const zs_shift_opts *o, zs_tour **tours, size_t *n, zs_err *err)
{
    *tours = NULL;
    *n = 0;
    zs_status st = zs_shift_opts_validate(o, err);
    if (st != ZS_OK)
        return st;
    /* Patterns: consecutive working days from each first day; one when
     * every day is worked. */
    int fpat = o->ft_days == o->days ? 1 : o->days;
    int ppat = o->pt_days == o->days ? 1 : o->days;
    int nbrk = o->break_len > 0 ? o->break_to - o->break_from + 1 : 1;
    int span = o->close_interval - o->open_interval;
    size_t cap = (size_t)(span - o->ft_len + 1) * (size_t)nbrk * (size_t)fpat +
                 (o->pt_len > 0 ? (size_t)(span - o->pt_len + 1) * (size_t)ppat : 0) +
                 (o->temp_max > 0 ? (size_t)(span - o->temp_len + 1) * (size_t)o->days : 0);
    zs_tour *t = zs_calloc(cap ? cap : 1, sizeof *t);
    if (!t)
        return ZS_NOMEM(err);
    size_t m = 0;
    for (int s = o->open_interval; s + o->ft_len <= o->close_interval; s++)
        for (int b = 0; b < nbrk; b++)
            for (int f = 0; f < fpat; f++)
                t[m++] = (zs_tour){ZS_TOUR_FULL, s, o->break_len > 0 ? s + o->break_from + b : -1, f,
                                   o->ft_cost * 0.5 * o->ft_len * o->ft_days, 0};
    if (o->pt_len > 0)
        for (int s = o->open_interval; s + o->pt_len <= o->close_interval; s++)
            for (int f = 0; f < ppat; f++)
                t[m++] = (zs_tour){ZS_TOUR_PART, s, -1, f, o->pt_cost * 0.5 * o->pt_len * o->pt_days, 0};
    if (o->temp_max > 0)
        for (int d = 0; d < o->days; d++)
            for (int s = o->open_interval; s + o->temp_len <= o->close_interval; s++)
                t[m++] = (zs_tour){ZS_TOUR_TEMP, s, -1, d, o->temp_cost * 0.5 * o->temp_len, 0};
    *tours = t;
    *n = m;
    return ZS_OK;
}

void zs_shift_day_name(int days, int d, char *buf, size_t size)
{
    static const char *const wd[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    if (days == 7 && d >= 0 && d < 7)
        snprintf(buf, size, "%s", wd[d]);
    else
        snprintf(buf, size, "day %d", d + 1);
}

void zs_shift_plan_free(zs_shift_plan *p)
{
    if (!p)
        return;
    zs_free(p->required);
    zs_free(p->scheduled);
    zs_free(p->temps);
    zs_free(p->chosen);
    zs_free(p);
}

/* The first interval that no choice of tours can cover, in p->message; 1
 * when there is one. */
static int precheck(zs_shift_plan *p, const zs_shift_opts *o, const zs_tour *t, size_t nt)
{
    for (int d = 0; d < o->days; d++)
        for (int i = 0; i < NI; i++) {
            int req = p->required[d * NI + i];
            if (req <= 0)
                continue;
            int reach[3] = {0, 0, 0};
            for (size_t k = 0; k < nt; k++)
                if (zs_tour_covers(o, &t[k], d, i))
                    reach[t[k].kind] = 1;
            long cap = 0;
            int unlimited = (reach[ZS_TOUR_FULL] && o->ft_max == 0) ||
                            (reach[ZS_TOUR_PART] && o->pt_max == 0);
            cap += reach[ZS_TOUR_FULL] ? o->ft_max : 0;
            cap += reach[ZS_TOUR_PART] ? o->pt_max : 0;
            cap += reach[ZS_TOUR_TEMP] ? o->temp_max : 0;
            if (unlimited || req <= cap)
                continue;
            char day[16];
            zs_shift_day_name(o->days, d, day, sizeof day);
            int h0 = i / 2, m0 = 30 * (i % 2), h1 = (i + 1) / 2, m1 = 30 * ((i + 1) % 2);
            if (!reach[0] && !reach[1] && !reach[2])
                snprintf(p->message, sizeof p->message,
                         "%s %02d:%02d-%02d:%02d needs %d agents, but no shift covers it (desk "
                         "hours %02d:%02d-%02d:%02d)",
                         day, h0, m0, h1, m1, req, o->open_interval / 2, 30 * (o->open_interval % 2),
                         o->close_interval / 2, 30 * (o->close_interval % 2));
            else
                snprintf(p->message, sizeof p->message,
                         "%s %02d:%02d-%02d:%02d needs %d agents, but the pools give at most %ld "
                         "(%d full-timers, %d part-timers, %d temporaries a day)",
                         day, h0, m0, h1, m1, req, cap, reach[0] ? o->ft_max : 0,
                         reach[1] ? o->pt_max : 0, reach[2] ? o->temp_max : 0);
            return 1;
        }
    return 0;
}

typedef struct {
    const zs_shift_opts *o;
    const zs_tour *t;
    size_t nt;
    const int32_t *req;
    double *x;           /* nt: the solution */
    double *x2;          /* nt: a heuristic plan (rounded LP, dive, greedy) */
    double *lpx;         /* nt: the LP optimum */
    int32_t *cov;        /* days x NI scratch */
    unsigned char *cm;   /* nt x days x NI: zs_tour_covers, tabulated */
    int *ind;            /* scratch, 1-based */
    double *val;
    double t0;           /* start of the solve (CLOCK_MONOTONIC, s) */
    double unit;         /* every plan's cost is a multiple of this (0: unknown) */
    zs_mip_status status;
    int timed_out;       /* the safety-net clock stopped something */
    int lp_done;         /* the LP relaxation solved to optimality */
    int have;            /* c->x holds a plan */
    int gap_stop;        /* GLPK stopped at the relative gap asked for (mip_gap > 0) */
    double objective, bound, lp_bound;
    int nodes;
    int nagg;            /* aggregate columns after the tours' (head counts) */
    int agg_kind[2];     /* their kinds */
    double *heur;        /* 1 + nt + nagg: the plan handed to GLPK */
} ip_ctx;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Milliseconds of the safety-net clock left (at least 1). */
static int ms_left(const ip_ctx *c)
{
    double left = (c->o->time_limit_s - (now_s() - c->t0)) * 1000.0;
    return left < 1 ? 1 : left > 2e9 ? 2000000000 : (int)left;
}

/* Cost of c->x2 when it is an integer plan that covers c->req within the
 * pools, else HUGE_VAL. */
static double plan_cost(const ip_ctx *c)
{
    const zs_shift_opts *o = c->o;
    size_t cells = (size_t)o->days * NI;
    memset(c->cov, 0, cells * sizeof *c->cov);
    double cost = 0, nft = 0, npt = 0, ntmp[7] = {0};
    for (size_t k = 0; k < c->nt; k++) {
        if (c->x2[k] <= 0)
            continue;
        const unsigned char *a = c->cm + k * cells;
        for (size_t q = 0; q < cells; q++)
            c->cov[q] += (int32_t)c->x2[k] * a[q];
        cost += c->x2[k] * c->t[k].cost;
        if (c->t[k].kind == ZS_TOUR_FULL)
            nft += c->x2[k];
        else if (c->t[k].kind == ZS_TOUR_PART)
            npt += c->x2[k];
        else
            ntmp[c->t[k].first_day] += c->x2[k];
    }
    for (size_t q = 0; q < cells; q++)
        if (c->cov[q] < c->req[q])
            return HUGE_VAL;
    if ((o->ft_max > 0 && nft > o->ft_max) || (o->pt_max > 0 && npt > o->pt_max))
        return HUGE_VAL;
    for (int d = 0; d < o->days; d++)
        if (ntmp[d] > o->temp_max)
            return HUGE_VAL;
    return cost;
}

/* Drops, tours in order, every copy of c->x2 nobody misses (c->cov must
 * be c->x2's cover, and is kept so). */
static void drop_spare(ip_ctx *c)
{
    size_t cells = (size_t)c->o->days * NI;
    for (size_t k = 0; k < c->nt; k++)
        while (c->x2[k] > 0) {
            const unsigned char *a = c->cm + k * cells;
            int spare = 1;
            for (size_t q = 0; q < cells && spare; q++)
                spare = !a[q] || c->cov[q] - 1 >= c->req[q];
            if (!spare)
                break;
            c->x2[k] -= 1;
            for (size_t q = 0; q < cells; q++)
                c->cov[q] -= a[q];
        }
}

/* c->x2 (an LP or greedy solution) rounded up to integers, then copies
 * nobody misses dropped: its cost, or HUGE_VAL when it does not cover or
 * breaks a pool. */
static double round_up(ip_ctx *c)
{
    for (size_t k = 0; k < c->nt; k++)
        c->x2[k] = ceil(c->x2[k] - 1e-9);
    if (plan_cost(c) == HUGE_VAL)
        return HUGE_VAL;
    drop_spare(c);
    return plan_cost(c);
}

/* c->x2 += a greedy cover of c->req from zero: repeatedly the tour with
 * the most still-uncovered agent half hours per unit of cost (pools and
 * temporaries' limits respected; stops when no tour helps). */
static void greedy(ip_ctx *c)
{
    const zs_shift_opts *o = c->o;
    size_t cells = (size_t)o->days * NI;
    int32_t *cov = c->cov;
    memset(cov, 0, cells * sizeof *cov);
    int nft = 0, npt = 0, ntmp[7] = {0};
    for (;;) {
        double best = 0.0;
        size_t kb = c->nt;
        for (size_t k = 0; k < c->nt; k++) {
            const zs_tour *t = &c->t[k];
            if ((t->kind == ZS_TOUR_FULL && o->ft_max > 0 && nft >= o->ft_max) ||
                (t->kind == ZS_TOUR_PART && o->pt_max > 0 && npt >= o->pt_max) ||
                (t->kind == ZS_TOUR_TEMP && ntmp[t->first_day] >= o->temp_max))
                continue;
            const unsigned char *a = c->cm + k * cells;
            int gain = 0;
            for (size_t q = 0; q < cells; q++)
                gain += a[q] && cov[q] < c->req[q];
            if (gain > 0 && gain / t->cost > best) {
                best = gain / t->cost;
                kb = k;
            }
        }
        if (kb == c->nt)
            return;
        c->x2[kb] += 1.0;
        nft += c->t[kb].kind == ZS_TOUR_FULL;
        npt += c->t[kb].kind == ZS_TOUR_PART;
        if (c->t[kb].kind == ZS_TOUR_TEMP)
            ntmp[c->t[kb].first_day]++;
        const unsigned char *a = c->cm + kb * cells;
        for (size_t q = 0; q < cells; q++)
            cov[q] += a[q];
    }
}

/* Whether the pools allow c->x2 with one copy of tour `out` (or none,
 * out = nt) and of `out2` less and one of `in` more. */
static int pools_ok(const ip_ctx *c, size_t out, size_t out2, size_t in)
{
    const zs_shift_opts *o = c->o;
    int n[3] = {0, 0, 0}, tmp[7] = {0};
    for (size_t k = 0; k < c->nt; k++) {
        int m = (int)c->x2[k] - (k == out) - (k == out2) + (k == in);
        n[c->t[k].kind] += m;
        if (c->t[k].kind == ZS_TOUR_TEMP)
            tmp[c->t[k].first_day] += m;
    }
    if ((o->ft_max > 0 && n[ZS_TOUR_FULL] > o->ft_max) || (o->pt_max > 0 && n[ZS_TOUR_PART] > o->pt_max))
        return 0;
    for (int d = 0; d < o->days; d++)
        if (tmp[d] > o->temp_max)
            return 0;
    return 1;
}

/* Local search on the cover c->x2 (c->cov its cover): a copy of one tour,
 * or of two, replaced by one cheaper tour that keeps every half hour
 * covered; first improvement, tours in order, at most `passes` sweeps.
 * Deterministic: the result depends on the input alone. */
static void improve(ip_ctx *c, int passes)
{
    size_t cells = (size_t)c->o->days * NI, nt = c->nt;
    for (int pass = 0; pass < passes; pass++) {
        int better = 0;
        for (size_t a = 0; a < nt; a++) {
            if (c->x2[a] <= 0)
                continue;
            const unsigned char *A = c->cm + a * cells;
            for (size_t a2 = a; a2 <= nt && c->x2[a] > 0; a2++) {
                /* a2 = nt: one tour out; else a and a2 out (a2 = a: two copies). */
                if (a2 < nt && c->x2[a2] < 1 + (a2 == a))
                    continue;
                const unsigned char *A2 = a2 < nt ? c->cm + a2 * cells : NULL;
                double out_cost = c->t[a].cost + (a2 < nt ? c->t[a2].cost : 0.0);
                for (size_t b = 0; b < nt; b++) {
                    if (!(c->t[b].cost < out_cost - 1e-9) || b == a || b == a2)
                        continue;
                    const unsigned char *B = c->cm + b * cells;
                    int ok = 1;
                    for (size_t q = 0; q < cells && ok; q++)
                        ok = c->cov[q] - A[q] - (A2 ? A2[q] : 0) + B[q] >= c->req[q];
                    if (!ok || !pools_ok(c, a, a2, b))
                        continue;
                    c->x2[a] -= 1;
                    if (a2 < nt)
                        c->x2[a2] -= 1;
                    c->x2[b] += 1;
                    for (size_t q = 0; q < cells; q++)
                        c->cov[q] += B[q] - A[q] - (A2 ? A2[q] : 0);
                    drop_spare(c);
                    better = 1;
                    break;
                }
            }
        }
        if (!better)
            break;
    }
}

/* Dive from the LP optimum on a copy of P: raise the lower bound of every
 * tour at its LP value rounded down, and of the tour with the largest
 * fractional part (the first of ties) to its value rounded up; re-solve;
 * until the LP optimum is integral.  c->x2 = the integral optimum reached
 * (HUGE_VAL returned when the LP went infeasible, e.g. by a pool, or the
 * safety clock stopped it). */
static double dive(ip_ctx *c, glp_prob *P)
{
    glp_prob *Q = glp_create_prob();
    glp_copy_prob(Q, P, GLP_OFF);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.presolve = GLP_OFF;
    double cost = HUGE_VAL;
    memcpy(c->x2, c->lpx, c->nt * sizeof *c->x2);
    for (size_t round = 0; round <= c->nt; round++) {
        size_t kb = c->nt;
        double fb = 1e-6;
        for (size_t k = 0; k < c->nt; k++) {
            double f = c->x2[k] - floor(c->x2[k] + 1e-9);
            if (f > fb + 1e-9) {
                fb = f;
                kb = k;
            }
        }
        if (kb == c->nt) {
            for (size_t k = 0; k < c->nt; k++)
                c->x2[k] = floor(c->x2[k] + 1e-6);
            cost = plan_cost(c);
            break;
        }
        for (size_t k = 0; k < c->nt; k++) {
            double lo = k == kb ? ceil(c->x2[k]) : floor(c->x2[k] + 1e-9);
            if (lo > glp_get_col_lb(Q, (int)k + 1))
                glp_set_col_bnds(Q, (int)k + 1, GLP_LO, lo, 0.0);
        }
        sm.tm_lim = ms_left(c);
        int rc = glp_simplex(Q, &sm);
        if (rc == GLP_ETMLIM)
            c->timed_out = 1;
        if (rc != 0 || glp_get_status(Q) != GLP_OPT)
            break;
        for (size_t k = 0; k < c->nt; k++)
            c->x2[k] = glp_get_col_prim(Q, (int)k + 1);
    }
    glp_delete_prob(Q);
    return cost;
}

typedef struct {
    ip_ctx *c;
    int given;       /* the heuristic plan handed to GLPK */
    double bound;    /* best bound of the open nodes */
    int have_bound;
    int stopped;     /* terminated at the node limit */
} search_info;

static void ios_callback(glp_tree *T, void *info)
{
    search_info *si = info;
    ip_ctx *c = si->c;
    int reason = glp_ios_reason(T);
    if (reason == GLP_IHEUR && !si->given) {
        si->given = 1;
        /* GLPK counts columns from 1; the aggregates follow the tours. */
        c->heur[0] = 0.0;
        memcpy(c->heur + 1, c->x, c->nt * sizeof *c->x);
        for (int a = 0; a < c->nagg; a++) {
            double v = 0.0;
            for (size_t k = 0; k < c->nt; k++)
                v += c->t[k].kind == c->agg_kind[a] ? c->x[k] : 0.0;
            c->heur[1 + c->nt + (size_t)a] = v;
        }
        glp_ios_heur_sol(T, c->heur);
    }
    if (reason == GLP_ISELECT || reason == GLP_IBINGO || reason == GLP_IPREPRO) {
        int best = glp_ios_best_node(T);
        if (best) {
            si->bound = glp_ios_node_bound(T, best);
            si->have_bound = 1;
        }
        int a = 0, l = 0, t = 0;
        glp_ios_tree_size(T, &a, &l, &t);
        if (t > c->nodes)
            c->nodes = t;
        if (reason == GLP_ISELECT && t >= c->o->node_limit && !si->stopped) {
            si->stopped = 1;
            glp_ios_terminate(T);
        }
    }
}

/* The bound rounded up to the next multiple of c->unit (plans cost whole
 * multiples of it). */
static double round_bound(const ip_ctx *c, double b)
{
    if (!(c->unit > 0) || !isfinite(b))
        return b;
    /* (a bound a hair above a multiple is that multiple: rounding noise,
     * and a lower bound stays valid) */
    return ceil(b / c->unit - 1e-6) * c->unit;
}

/* The largest u such that every tour's cost is a whole multiple of u
 * (costs with at most two decimals; 0 when there is none). */
static double cost_unit(const zs_tour *t, size_t nt)
{
    long g = 0;
    for (size_t k = 0; k < nt; k++) {
        double v = t[k].cost * 100.0;
        long n = lround(v);
        if (fabs(v - (double)n) > 1e-6 * (1.0 + fabs(v)) || n <= 0)
            return 0.0;
        long a = g, b = n;
        while (b) {
            long r = a % b;
            a = b;
            b = r;
        }
        g = a;
    }
    return g / 100.0;
}

static zs_status solve_ip(void *vctx, zs_err *err)
{
    ip_ctx *c = vctx;
    const zs_shift_opts *o = c->o;
    int D = o->days;
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    /* Rows: one per (day, interval) with a requirement, then the pools and
     * the temporaries of each day. */
    int row_of[7 * NI];
    int nr = 0;
    for (int q = 0; q < D * NI; q++)
        row_of[q] = c->req[q] > 0 ? ++nr : 0;
    int r_ft = o->ft_max > 0 ? ++nr : 0;
    int r_pt = o->pt_max > 0 && o->pt_len > 0 ? ++nr : 0;
    int r_tmp = o->temp_max > 0 ? nr + 1 : 0;
    if (r_tmp)
        nr += D;
    glp_add_rows(P, nr);
    for (int q = 0; q < D * NI; q++)
        if (row_of[q])
            glp_set_row_bnds(P, row_of[q], GLP_LO, c->req[q], 0.0);
    if (r_ft)
        glp_set_row_bnds(P, r_ft, GLP_UP, 0.0, o->ft_max);
    if (r_pt)
        glp_set_row_bnds(P, r_pt, GLP_UP, 0.0, o->pt_max);
    for (int d = 0; r_tmp && d < D; d++)
        glp_set_row_bnds(P, r_tmp + d, GLP_UP, 0.0, o->temp_max);
    glp_add_cols(P, (int)c->nt);
    for (size_t k = 0; k < c->nt; k++) {
        const zs_tour *t = &c->t[k];
        int j = (int)k + 1, nz = 0;
        glp_set_col_kind(P, j, GLP_IV);
        glp_set_col_bnds(P, j, GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(P, j, t->cost);
        for (int q = 0; q < D * NI; q++)
            if (row_of[q] && c->cm[k * (size_t)(D * NI) + (size_t)q]) {
                c->ind[++nz] = row_of[q];
                c->val[nz] = 1.0;
            }
        if (t->kind == ZS_TOUR_FULL && r_ft) {
            c->ind[++nz] = r_ft;
            c->val[nz] = 1.0;
        }
        if (t->kind == ZS_TOUR_PART && r_pt) {
            c->ind[++nz] = r_pt;
            c->val[nz] = 1.0;
        }
        if (t->kind == ZS_TOUR_TEMP) {
            c->ind[++nz] = r_tmp + t->first_day;
            c->val[nz] = 1.0;
        }
        glp_set_mat_col(P, j, nz, c->ind, c->val);
    }
    /* Aggregates: the number of full-timers and of part-timers as integer
     * columns (cost 0) tied to the tours by equations, added last, and
     * GLPK branching on the last fractional column: the search splits on
     * the head count first, which raises the bound far faster than
     * branching on single tours among many interchangeable ones (measured:
     * a week of 385 tours, 1000 nodes, bound 443 in 1.4 s against 432 in
     * 6 s with GLPK's default Driebeck-Tomlin branching on tours alone). */
    c->nagg = 0;
    for (int kind = ZS_TOUR_FULL; kind <= ZS_TOUR_PART; kind++) {
        int nz = 0;
        for (size_t k = 0; k < c->nt; k++)
            if (c->t[k].kind == kind) {
                c->ind[++nz] = (int)k + 1;
                c->val[nz] = -1.0;
            }
        if (nz < 2)
            continue;
        int r = glp_add_rows(P, 1), j = glp_add_cols(P, 1);
        c->ind[++nz] = j;
        c->val[nz] = 1.0;
        glp_set_row_bnds(P, r, GLP_FX, 0.0, 0.0);
        glp_set_mat_row(P, r, nz, c->ind, c->val);
        glp_set_col_kind(P, j, GLP_IV);
        glp_set_col_bnds(P, j, GLP_LO, 0.0, 0.0);
        c->agg_kind[c->nagg++] = kind;
    }
    c->objective = NAN;
    c->bound = c->lp_bound = NAN;
    /* 1. The LP relaxation. */
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_ERR;
    sm.presolve = GLP_OFF; /* keeps the optimal basis branch-and-bound starts from */
    sm.tm_lim = ms_left(c);
    int rc = glp_simplex(P, &sm);
    int lp = glp_get_status(P);
    if (rc == GLP_ETMLIM)
        c->timed_out = 1;
    else if (rc == GLP_ENOPFS || lp == GLP_NOFEAS) {
        c->status = ZS_MIP_INFEASIBLE;
        goto done;
    } else if (rc != 0 || lp != GLP_OPT) {
        glp_delete_prob(P);
        return ZS_INTERNAL(err, "agent shifts: GLPK simplex failed (code %d): %s", rc, zs_mip_last_output());
    } else {
        c->lp_done = 1;
        c->lp_bound = glp_get_obj_val(P);
        for (size_t k = 0; k < c->nt; k++)
            c->lpx[k] = glp_get_col_prim(P, (int)k + 1);
    }
    /* 2. A plan of our own: the dive from the LP optimum, else the LP
     * optimum rounded up, else (without even the LP) a greedy cover; then
     * the local search. */
    double h = HUGE_VAL;
    if (c->lp_done)
        h = dive(c, P);
    if (h == HUGE_VAL && c->lp_done) {
        memcpy(c->x2, c->lpx, c->nt * sizeof *c->x2);
        h = round_up(c);
    }
    if (h == HUGE_VAL) {
        memset(c->x2, 0, c->nt * sizeof *c->x2);
        greedy(c);
        h = round_up(c);
    }
    if (h < HUGE_VAL) {
        improve(c, o->search_passes);
        h = plan_cost(c);
        memcpy(c->x, c->x2, c->nt * sizeof *c->x);
        c->have = 1;
        c->objective = h;
    }
    c->bound = c->lp_done ? round_bound(c, c->lp_bound) : 0.0; /* costs are >= 0 */
    /* 3. GLPK's branch-and-bound from that plan, up to node_limit nodes. */
    if (c->lp_done && !c->timed_out && !(c->have && c->objective - c->bound < 1e-6 * (1 + c->objective))) {
        search_info si = {c, !c->have, c->lp_bound, 1, 0};
        glp_iocp io;
        glp_init_iocp(&io);
        io.msg_lev = GLP_MSG_ERR;
        io.presolve = GLP_OFF; /* the LP optimum above is the root */
        io.mip_gap = o->mip_gap;
        io.gmi_cuts = GLP_ON;
        io.mir_cuts = GLP_ON;
        io.br_tech = GLP_BR_LFV; /* the aggregates first, see above */
        io.cb_func = ios_callback;
        io.cb_info = &si;
        io.tm_lim = ms_left(c);
        rc = glp_intopt(P, &io);
        int ms = glp_mip_status(P);
        if (rc == GLP_ETMLIM)
            c->timed_out = 1;
        c->gap_stop = rc == GLP_EMIPGAP;
        if (rc != 0 && rc != GLP_ETMLIM && rc != GLP_EMIPGAP && rc != GLP_ESTOP) {
            glp_delete_prob(P);
            return ZS_INTERNAL(err, "agent shifts: GLPK branch-and-bound failed (code %d): %s", rc,
                               zs_mip_last_output());
        }
        if ((ms == GLP_OPT || ms == GLP_FEAS) && (!c->have || glp_mip_obj_val(P) < c->objective - 1e-9)) {
            for (size_t k = 0; k < c->nt; k++)
                c->x[k] = glp_mip_col_val(P, (int)k + 1);
            c->objective = glp_mip_obj_val(P);
            c->have = 1;
        }
        if (rc == 0 && ms == GLP_OPT) {
            c->bound = c->objective; /* the search closed */
        } else if (rc == 0 && ms == GLP_NOFEAS && !c->have) {
            c->status = ZS_MIP_INFEASIBLE;
            goto done;
        } else if (si.have_bound) {
            double b = round_bound(c, si.bound);
            if (b > c->bound)
                c->bound = b;
        }
    }
    if (!c->have) {
        c->status = c->timed_out ? ZS_MIP_NO_SOLUTION : ZS_MIP_INFEASIBLE;
        goto done;
    }
    if (c->bound > c->objective)
        c->bound = c->objective;
    if (c->objective - c->bound < 1e-6 * (1 + c->objective))
        c->status = ZS_MIP_OPTIMAL;
    else
        c->status = c->timed_out ? ZS_MIP_TIME_LIMIT : ZS_MIP_GAP;
done:
    glp_delete_prob(P);
    return ZS_OK;
}

zs_status zs_shift_solve(const int32_t *required, const zs_shift_opts *o, zs_shift_plan **out,
                         zs_err *err)
{
    *out = NULL;
    zs_shift_opts def;
    if (!o) {
        zs_shift_opts_defaults(&def);
        o = &def;
    }
    zs_status st = zs_shift_opts_validate(o, err);
    if (st != ZS_OK)
        return st;
    int D = o->days;
    for (int q = 0; q < D * NI; q++)
        if (required[q] < 0 || required[q] > 1000000) {
            char day[16];
            zs_shift_day_name(D, q / NI, day, sizeof day);
            return zs_err_set(err, ZS_EINVAL,
                              "agent shifts: requirement of %s %02d:%02d = %ld; must be in 0..1000000",
                              day, (q % NI) / 2, 30 * (q % 2), (long)required[q]);
        }
    zs_tour *t = NULL;
    size_t nt = 0;
    ip_ctx c;
    memset(&c, 0, sizeof c);
    zs_shift_plan *p = zs_calloc(1, sizeof *p);
    if (!p)
        return ZS_NOMEM(err);
    p->days = D;
    p->objective = p->bound = p->gap = p->lp_bound = NAN;
    size_t cells = (size_t)D * NI;
    if (!(p->required = zs_calloc(cells, sizeof *p->required)) ||
        !(p->scheduled = zs_calloc(cells, sizeof *p->scheduled)) ||
        !(p->temps = zs_calloc(cells, sizeof *p->temps))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    memcpy(p->required, required, cells * sizeof *required);
    if ((st = zs_shift_tours(o, &t, &nt, err)) != ZS_OK)
        goto done;
    p->n_tours = nt;
    long total = 0;
    for (size_t q = 0; q < cells; q++)
        total += required[q];
    snprintf(p->status_text, sizeof p->status_text, "%s", zs_mip_status_name(ZS_MIP_OPTIMAL));
    if (total == 0) {
        p->status = ZS_MIP_OPTIMAL;
        p->objective = p->bound = p->gap = 0.0;
        goto done;
    }
    if (precheck(p, o, t, nt)) {
        p->status = ZS_MIP_INFEASIBLE;
        snprintf(p->status_text, sizeof p->status_text, "%s", zs_mip_status_name(p->status));
        goto done;
    }
    c.o = o;
    c.t = t;
    c.nt = nt;
    c.req = required;
    size_t scratch = cells + nt + 8;
    if (!(c.x = zs_calloc(nt ? nt : 1, sizeof *c.x)) ||
        !(c.x2 = zs_calloc(nt + 1, sizeof *c.x2)) ||
        !(c.lpx = zs_calloc(nt ? nt : 1, sizeof *c.lpx)) ||
        !(c.heur = zs_calloc(nt + 3, sizeof *c.heur)) ||
        !(c.cm = zs_calloc(nt * cells + 1, 1)) ||
        !(c.cov = zs_calloc(cells, sizeof *c.cov)) ||
        !(c.ind = zs_calloc(scratch, sizeof *c.ind)) ||
        !(c.val = zs_calloc(scratch, sizeof *c.val))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t k = 0; k < nt; k++)
        for (size_t q = 0; q < cells; q++)
            c.cm[k * cells + q] = (unsigned char)zs_tour_covers(o, &t[k], (int)(q / NI), (int)(q % NI));
    c.unit = cost_unit(t, nt);
    c.t0 = now_s();
    if ((st = zs_mip_guarded(solve_ip, &c, NULL, err)) != ZS_OK)
        goto done;
    p->solved = 1;
    p->status = c.status;
    p->timed_out = c.timed_out;
    p->bound = c.bound;
    p->lp_bound = c.lp_bound;
    p->runtime_s = now_s() - c.t0;
    p->nodes = c.nodes;
    if (c.have) {
        double den = fabs(c.objective) > 1e-10 ? fabs(c.objective) : 1e-10;
        p->gap = p->status == ZS_MIP_OPTIMAL ? 0.0 : fabs(c.objective - c.bound) / den;
    }
    snprintf(p->status_text, sizeof p->status_text, "%s",
             p->status == ZS_MIP_GAP ? (c.gap_stop ? "feasible (gap)" : "heuristic (work limit)")
             : p->status == ZS_MIP_TIME_LIMIT ? "feasible (time limit, timing-dependent)"
             : p->status == ZS_MIP_NO_SOLUTION ? "no solution (time limit, timing-dependent)"
                                               : zs_mip_status_name(p->status));
    if (p->status == ZS_MIP_INFEASIBLE) {
        snprintf(p->message, sizeof p->message,
                 "no choice of shifts covers every half hour within the pools (%d full-timers, "
                 "%d part-timers, %d temporaries a day; 0 = no limit): each half hour alone could "
                 "be covered, but not all together",
                 o->ft_max, o->pt_max, o->temp_max);
        goto done;
    }
    if (p->status == ZS_MIP_NO_SOLUTION || p->status == ZS_MIP_UNBOUNDED) {
        snprintf(p->message, sizeof p->message, "no shift plan found within the time limit of %g s",
                 o->time_limit_s);
        goto done;
    }
    size_t nch = 0;
    for (size_t k = 0; k < nt; k++) {
        t[k].count = (int)llround(c.x[k]);
        nch += t[k].count > 0;
    }
    if (nch && !(p->chosen = zs_calloc(nch, sizeof *p->chosen))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    double obj = 0.0;
    for (size_t k = 0; k < nt; k++) {
        if (t[k].count <= 0)
            continue;
        p->chosen[p->n_chosen++] = t[k];
        double cost = t[k].count * t[k].cost;
        obj += cost;
        if (t[k].kind == ZS_TOUR_FULL) {
            p->full_timers += t[k].count;
            p->cost_full += cost;
        } else if (t[k].kind == ZS_TOUR_PART) {
            p->part_timers += t[k].count;
            p->cost_part += cost;
        } else {
            p->temp_shifts += t[k].count;
            p->cost_temp += cost;
        }
        for (int d = 0; d < D; d++)
            for (int i = 0; i < NI; i++)
                if (zs_tour_covers(o, &t[k], d, i)) {
                    p->scheduled[d * NI + i] += t[k].count;
                    if (t[k].kind == ZS_TOUR_TEMP)
                        p->temps[d * NI + i] += t[k].count;
                }
    }
    p->objective = obj;
    for (size_t q = 0; q < cells; q++)
        if (p->scheduled[q] < p->required[q]) {
            st = ZS_INTERNAL(err, "agent shifts: cell %zu covered by %d < %d after rounding", q,
                             p->scheduled[q], p->required[q]);
            goto done;
        }
done:
    zs_free(t);
    zs_free(c.x);
    zs_free(c.x2);
    zs_free(c.lpx);
    zs_free(c.heur);
    zs_free(c.cm);
    zs_free(c.cov);
    zs_free(c.ind);
    zs_free(c.val);
    if (st != ZS_OK) {
        zs_shift_plan_free(p);
        return st;
    }
    *out = p;
    return ZS_OK;
}
