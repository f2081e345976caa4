/*
 * engine/partition/pmedian_flow.c -- the capacitated flow heuristic of
 * pmedian.h: location-allocation rounds with a min-cost-flow assignment
 * (glp_mincost_okalg), single sourcing, and median moves within zones.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "models/alloc.h"
#include "partition/pmedian_internal.h"

/* Largest integral cost given to okalg: its node potentials reach about
 * (vertices) x (largest cost), 4,001 x 1e5 < 2^31 at ZS_PMEDIAN_MAX_N. */
#define FLOW_MAX_COST 1e5
/* Largest demand, capacity and total demand: okalg works in int. */
#define FLOW_MAX_QTY 1e9

typedef struct {
    double rhs, pi;
} fl_vdata;
typedef struct {
    double low, cap, cost, x;
} fl_adata;

typedef struct {
    const zs_pmedian_problem *pb;
    const zs_pmedian_flow_opts *o;
    size_t n, p;
    const double *d; /* n x n */
    double *w, *q;   /* weights and demands (1 where none given) */
    const double *Q; /* capacities */
    double total_q;
    double scale;    /* integral cost = round(scale w_i d_ij / q_i) */
    size_t *med;     /* p current medians (zone order) */
    size_t *nmed;    /* p next medians */
    double *flow;    /* n x p flow of the last round */
    size_t *zone;    /* n zone of each client (0..p) */
    double *load;    /* p */
    size_t *order;   /* n split clients */
    size_t *moved;   /* n clients evicted by make_room, nmoved of them */
    size_t nmoved;
    double *near;        /* n greedy work */
    unsigned char *open; /* n greedy work */
    size_t *first;       /* restarts: first median of each start (n: greedy's own) */
    glp_arc **arcs;      /* n x p arcs of the round's graph (ours: a GLPK error must
                            not leak it) */
    int feasible;    /* last round single-sourced within capacity */
    /* Best plan. */
    int have_best;
    double best_obj;
    size_t *best_med, *best_zone;
    int iterations;
    int flow_failed; /* okalg found no feasible flow */
} fl_ctx;

void zs_pmedian_flow_opts_defaults(zs_pmedian_flow_opts *o)
{
    o->max_iter = 100;
    o->restarts = 8;
    o->log = NULL;
}

static double wd(const fl_ctx *c, size_t i, size_t j)
{
    return c->w[i] * c->d[i * c->n + j];
}

static int is_int(double v)
{
    return v == nearbyint(v) && v <= FLOW_MAX_QTY;
}

/* Greedy uncapacitated start (see pmedian.h) whose first median is `first`
 * (n: the greedy's own choice, the best 1-median), then capacity swaps.
 * Returns 0 when even the swaps cannot reach the total demand. */
static int greedy_start(fl_ctx *c, size_t first)
{
    size_t n = c->n;
    double *near = c->near;
    unsigned char *open = c->open;
    for (size_t i = 0; i < n; i++) {
        near[i] = INFINITY;
        open[i] = 0;
    }
    for (size_t z = 0; z < c->p; z++) {
        int forced = z == 0 && first < n;
        size_t bj = forced ? first : n;
        double bv = INFINITY;
        for (size_t j = 0; !forced && j < n; j++) {
            if (open[j])
                continue;
            double s = 0.0;
            for (size_t i = 0; i < n; i++) {
                double v = wd(c, i, j);
                s += v < near[i] ? v : near[i];
            }
            if (s < bv) {
                bv = s;
                bj = j;
            }
        }
        for (size_t j = 0; bj == n && j < n; j++) /* all ties at INFINITY: first free */
            if (!open[j])
                bj = j;
        open[bj] = 1;
        c->med[z] = bj;
        for (size_t i = 0; i < n; i++) {
            double v = wd(c, i, bj);
            if (v < near[i])
                near[i] = v;
        }
    }
    /* Capacity: swap the smallest open capacity for the largest closed one
     * while the open capacity is short and the swap helps. */
    for (;;) {
        double cap = 0.0;
        size_t zmin = 0;
        for (size_t z = 0; z < c->p; z++) {
            cap += c->Q[c->med[z]];
            if (c->Q[c->med[z]] < c->Q[c->med[zmin]])
                zmin = z;
        }
        if (cap >= c->total_q)
            return 1;
        size_t jmax = n;
        for (size_t j = 0; j < n; j++)
            if (!open[j] && (jmax == n || c->Q[j] > c->Q[jmax]))
                jmax = j;
        if (jmax == n || c->Q[jmax] <= c->Q[c->med[zmin]])
            return 0;
        open[c->med[zmin]] = 0;
        open[jmax] = 1;
        c->med[zmin] = jmax;
    }
}

/* One min-cost flow of the demands to the current medians into c->flow.
 * Returns ZS_OK (c->flow_failed set when okalg reports no feasible flow). */
static zs_status run_flow(fl_ctx *c, zs_err *err)
{
    size_t n = c->n, p = c->p;
    glp_graph *G = glp_create_graph(sizeof(fl_vdata), sizeof(fl_adata));
    glp_add_vertices(G, (int)(n + p + 1));
    for (size_t v = 1; v <= n + p + 1; v++) {
        fl_vdata *vd = G->v[v]->data;
        vd->rhs = v <= n ? c->q[v - 1] : v <= n + p ? 0.0 : -c->total_q;
    }
    /* Arcs added client by client, median by median: arc index i p + z. */
    glp_arc **arcs = c->arcs;
    for (size_t i = 0; i < n; i++)
        for (size_t z = 0; z < p; z++) {
            if (c->q[i] <= 0.0) {
                arcs[i * p + z] = NULL;
                continue;
            }
            glp_arc *a = glp_add_arc(G, (int)(i + 1), (int)(n + z + 1));
            fl_adata *ad = a->data;
            ad->low = 0.0;
            ad->cap = c->q[i];
            ad->cost = nearbyint(c->scale * wd(c, i, c->med[z]) / c->q[i]);
            arcs[i * p + z] = a;
        }
    for (size_t z = 0; z < p; z++) {
        glp_arc *a = glp_add_arc(G, (int)(n + z + 1), (int)(n + p + 1));
        fl_adata *ad = a->data;
        ad->low = 0.0;
        ad->cap = c->Q[c->med[z]];
        ad->cost = 0.0;
    }
    double sol = 0.0;
    int ret = glp_mincost_okalg(G, offsetof(fl_vdata, rhs), offsetof(fl_adata, low),
                                offsetof(fl_adata, cap), offsetof(fl_adata, cost), &sol,
                                offsetof(fl_adata, x), offsetof(fl_vdata, pi));
    zs_status st = ZS_OK;
    c->flow_failed = 0;
    if (ret == GLP_ENOPFS) {
        c->flow_failed = 1;
    } else if (ret != 0) {
        st = zs_err_set(err, ZS_EINTERNAL, "pmedian flow: glp_mincost_okalg returned %d", ret);
    } else {
        for (size_t k = 0; k < n * p; k++)
            c->flow[k] = arcs[k] ? ((fl_adata *)arcs[k]->data)->x : 0.0;
    }
    glp_delete_graph(G);
    return st;
}

/* Sorts order[0..k) by demand descending, then index (insertion sort is
 * enough: split clients are few, at most p - 1 in a basic flow). */
static void sort_split(const fl_ctx *c, size_t *order, size_t k)
{
    for (size_t a = 1; a < k; a++) {
        size_t v = order[a], b = a;
        while (b > 0 && (c->q[order[b - 1]] < c->q[v] ||
                         (c->q[order[b - 1]] == c->q[v] && order[b - 1] > v))) {
            order[b] = order[b - 1];
            b--;
        }
        order[b] = v;
    }
}

/* Nearest median of client i (by w d, then zone index), among those with
 * room for add when room is set. */
static size_t nearest(const fl_ctx *c, size_t i, double add, int room)
{
    size_t bz = c->p;
    for (size_t z = 0; z < c->p; z++) {
        if (room && c->load[z] + add > c->Q[c->med[z]])
            continue;
        if (bz == c->p || wd(c, i, c->med[z]) < wd(c, i, c->med[bz]))
            bz = z;
    }
    return bz;
}

/* Evicts clients from median z, each to another median with room, the
 * cheapest move (w d increase) first, until z has room for q; moved
 * clients are pushed on c->moved (as k, from-zone pairs).  Returns the cost
 * increase, or INFINITY when z cannot be freed (the moves stay made). */
static double evict(fl_ctx *c, size_t z, double q, size_t skip)
{
    double total = 0.0;
    while (c->load[z] + q > c->Q[c->med[z]]) {
        size_t bk = c->n, bz2 = c->p;
        double bv = INFINITY;
        for (size_t k = 0; k < c->n; k++) {
            if (k == skip || c->zone[k] != z || c->q[k] <= 0.0)
                continue;
            for (size_t z2 = 0; z2 < c->p; z2++) {
                if (z2 == z || c->load[z2] + c->q[k] > c->Q[c->med[z2]])
                    continue;
                double v = wd(c, k, c->med[z2]) - wd(c, k, c->med[z]);
                if (v < bv) {
                    bv = v;
                    bk = k;
                    bz2 = z2;
                }
            }
        }
        if (bk == c->n)
            return INFINITY;
        c->moved[c->nmoved++] = bk;
        c->zone[bk] = bz2;
        c->load[z] -= c->q[bk];
        c->load[bz2] += c->q[bk];
        total += bv;
    }
    return total;
}

/* Undoes the moves on c->moved down to mark (all of them left median z). */
static void undo_moves(fl_ctx *c, size_t z, size_t mark)
{
    while (c->nmoved > mark) {
        size_t k = c->moved[--c->nmoved];
        c->load[c->zone[k]] -= c->q[k];
        c->load[z] += c->q[k];
        c->zone[k] = z;
    }
}

/* Client i fits no median: makes room at the median where placing i plus
 * the evictions it needs (evict) costs least.  Returns that median, with
 * the evictions made, or p when no median can be freed.  O(p^2 n) per
 * evicted client. */
static size_t make_room(fl_ctx *c, size_t i)
{
    size_t bz = c->p;
    double bv = INFINITY;
    for (size_t z = 0; z < c->p; z++) {
        if (c->q[i] > c->Q[c->med[z]])
            continue;
        size_t mark = c->nmoved;
        double v = evict(c, z, c->q[i], i);
        if (v < INFINITY && v + wd(c, i, c->med[z]) < bv) {
            bv = v + wd(c, i, c->med[z]);
            bz = z;
        }
        undo_moves(c, z, mark);
    }
    if (bz < c->p)
        (void)evict(c, bz, c->q[i], i);
    c->nmoved = 0;
    return bz;
}

/* Single sourcing of c->flow into c->zone and c->load; sets c->feasible. */
static void single_source(fl_ctx *c)
{
    size_t n = c->n, p = c->p, ns = 0;
    for (size_t z = 0; z < p; z++)
        c->load[z] = 0.0;
    c->feasible = 1;
    for (size_t i = 0; i < n; i++) {
        if (c->q[i] <= 0.0) {
            c->zone[i] = nearest(c, i, 0.0, 0);
            continue;
        }
        size_t whole = p;
        for (size_t z = 0; z < p; z++)
            if (c->flow[i * p + z] >= c->q[i])
                whole = z;
        if (whole < p) {
            c->zone[i] = whole;
            c->load[whole] += c->q[i];
        } else {
            c->order[ns++] = i;
        }
    }
    sort_split(c, c->order, ns);
    for (size_t k = 0; k < ns; k++)
        c->zone[c->order[k]] = p; /* not yet placed */
    for (size_t k = 0; k < ns; k++) {
        size_t i = c->order[k], zs = 0;
        for (size_t z = 1; z < p; z++) {
            double f = c->flow[i * p + z], g = c->flow[i * p + zs];
            if (f > g || (f == g && wd(c, i, c->med[z]) < wd(c, i, c->med[zs])))
                zs = z;
        }
        size_t z = c->load[zs] + c->q[i] <= c->Q[c->med[zs]] ? zs : nearest(c, i, c->q[i], 1);
        if (z == p)
            z = make_room(c, i);
        if (z == p) {
            z = zs; /* overloaded: this round's plan is not kept */
            c->feasible = 0;
        }
        c->zone[i] = z;
        c->load[z] += c->q[i];
    }
}

/* Moves each median to its zone's best site (see pmedian.h) into c->nmed;
 * returns 1 when some median changed. */
static int move_medians(fl_ctx *c)
{
    int changed = 0;
    for (size_t z = 0; z < c->p; z++) {
        size_t bj = c->med[z];
        double bv = INFINITY;
        for (size_t j = 0; j < c->n; j++) {
            if (c->zone[j] != z || c->Q[j] < c->load[z])
                continue;
            double s = 0.0;
            for (size_t i = 0; i < c->n; i++)
                if (c->zone[i] == z)
                    s += wd(c, i, j);
            /* The current median wins ties, so the rounds stop. */
            if (s < bv || (s == bv && j == c->med[z])) {
                bv = s;
                bj = j;
            }
        }
        c->nmed[z] = bj;
        changed |= bj != c->med[z];
    }
    return changed;
}

/* Location-allocation rounds from the current medians; keeps the best
 * single-source plan. */
static zs_status rounds(fl_ctx *c, zs_err *err)
{
    for (int it = 0; it < c->o->max_iter; it++) {
        c->iterations++;
        zs_status st = run_flow(c, err);
        if (st != ZS_OK || c->flow_failed)
            return st;
        single_source(c);
        if (c->feasible) {
            double obj = 0.0;
            for (size_t i = 0; i < c->n; i++)
                obj += wd(c, i, c->med[c->zone[i]]);
            if (!c->have_best || obj < c->best_obj) {
                c->have_best = 1;
                c->best_obj = obj;
                memcpy(c->best_med, c->med, c->p * sizeof *c->med);
                memcpy(c->best_zone, c->zone, c->n * sizeof *c->zone);
            }
        }
        if (!move_medians(c))
            break;
        memcpy(c->med, c->nmed, c->p * sizeof *c->med);
    }
    return ZS_OK;
}

static zs_status flow_run(void *ctx, zs_err *err)
{
    fl_ctx *c = ctx;
    for (int s = 0; s < c->o->restarts; s++) {
        if (!greedy_start(c, c->first[s]))
            continue; /* not reached after the top-p capacity check */
        zs_status st = rounds(c, err);
        if (st != ZS_OK)
            return st;
        if (c->flow_failed)
            return ZS_OK; /* the capacity check makes this unreachable too */
    }
    return ZS_OK;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

zs_status zs_pmedian_flow_solve(const zs_pmedian_problem *pb, const zs_pmedian_flow_opts *opts,
                                zs_pmedian_result **out, zs_err *err)
{
    *out = NULL;
    zs_pmedian_flow_opts def;
    if (!opts) {
        zs_pmedian_flow_opts_defaults(&def);
        opts = &def;
    }
    if (opts->max_iter < 1 || opts->max_iter > 10000)
        return zs_err_set(err, ZS_EINVAL, "pmedian_flow.max_iter = %d; must be in 1..10000",
                          opts->max_iter);
    if (opts->restarts < 1 || opts->restarts > 1000)
        return zs_err_set(err, ZS_EINVAL, "pmedian_flow.restarts = %d; must be in 1..1000",
                          opts->restarts);
    zs_pmedian_opts po;
    zs_pmedian_opts_defaults(&po);
    zs_status st = zs_pmedian_validate(pb, &po, err);
    if (st != ZS_OK)
        return st;
    if (!pb->cand_is_client)
        return zs_err_set(err, ZS_EINVAL,
                          "pmedian flow heuristic: the sites must be the clients (cand_is_client)");
    if (!pb->capacity)
        return zs_err_set(err, ZS_EINVAL, "pmedian flow heuristic: needs capacities");
    double t0 = zs_pm_now();
    size_t n = pb->n, p = pb->p;
    fl_ctx c = {0};
    c.pb = pb;
    c.o = opts;
    c.n = n;
    c.p = p;
    c.d = pb->dist;
    c.Q = pb->capacity;
    zs_pmedian_result *r = zs_calloc(1, sizeof *r);
    c.w = zs_malloc(n * sizeof *c.w);
    c.q = zs_malloc(n * sizeof *c.q);
    c.med = zs_malloc(p * sizeof *c.med);
    c.nmed = zs_malloc(p * sizeof *c.nmed);
    c.best_med = zs_malloc(p * sizeof *c.best_med);
    c.flow = zs_malloc(n * p * sizeof *c.flow);
    c.zone = zs_malloc(n * sizeof *c.zone);
    c.best_zone = zs_malloc(n * sizeof *c.best_zone);
    c.load = zs_malloc(p * sizeof *c.load);
    c.order = zs_malloc(n * sizeof *c.order);
    c.moved = zs_malloc(n * sizeof *c.moved);
    c.near = zs_malloc(n * sizeof *c.near);
    c.open = zs_malloc(n);
    c.first = zs_malloc((size_t)opts->restarts * sizeof *c.first);
    c.arcs = zs_malloc(n * p * sizeof *c.arcs);
    if (r) {
        r->open = zs_malloc(p * sizeof *r->open);
        r->assign = zs_malloc(n * sizeof *r->assign);
    }
    if (!r || !r->open || !r->assign || !c.w || !c.q || !c.med || !c.nmed || !c.best_med ||
        !c.flow || !c.zone || !c.best_zone || !c.load || !c.order ||
        !c.moved || !c.near || !c.open || !c.first ||
        !c.arcs) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    double maxq = 0.0, maxQ = 0.0;
    for (size_t i = 0; i < n; i++) {
        c.w[i] = pb->w ? pb->w[i] : 1.0;
        c.q[i] = pb->demand ? pb->demand[i] : 1.0;
        if (!is_int(c.q[i])) {
            st = zs_err_set(err, ZS_EINVAL,
                            "pmedian flow heuristic: demand[%zu] = %g; must be an integer "
                            "<= 1e9 (glp_mincost_okalg needs integral flows)", i, c.q[i]);
            goto fail;
        }
        if (!is_int(c.Q[i])) {
            st = zs_err_set(err, ZS_EINVAL,
                            "pmedian flow heuristic: capacity[%zu] = %g; must be an integer "
                            "<= 1e9 (glp_mincost_okalg needs integral flows)", i, c.Q[i]);
            goto fail;
        }
        c.total_q += c.q[i];
        if (c.q[i] > maxq)
            maxq = c.q[i];
        if (c.Q[i] > maxQ)
            maxQ = c.Q[i];
    }
    if (c.total_q > FLOW_MAX_QTY) {
        st = zs_err_set(err, ZS_EINVAL,
                        "pmedian flow heuristic: total demand %g; must be <= 1e9", c.total_q);
        goto fail;
    }
    r->n = r->m = n;
    r->p = p;
    r->objective = NAN;
    r->bound = -INFINITY;
    r->gap = NAN;
    r->proof = "";
    r->heuristic_objective = NAN;
    r->lagrangian_bound = -INFINITY;
    /* Proven infeasible: a client larger than every capacity, or the p
     * largest capacities short of the total demand. */
    int infeasible = maxq > maxQ;
    if (!infeasible) {
        double *caps = zs_malloc(n * sizeof *caps);
        if (!caps) {
            st = ZS_NOMEM(err);
            goto fail;
        }
        memcpy(caps, c.Q, n * sizeof *caps);
        double top = 0.0;
        for (size_t z = 0; z < p; z++) { /* p partial selection passes: p n, once */
            size_t b = z;
            for (size_t j = z + 1; j < n; j++)
                if (caps[j] > caps[b])
                    b = j;
            double t = caps[z];
            caps[z] = caps[b];
            caps[b] = t;
            top += caps[z];
        }
        zs_free(caps);
        infeasible = top < c.total_q;
    }
    if (!infeasible) {
        /* Integral unit costs: w d / q scaled so the largest is FLOW_MAX_COST
         * (never scaled up past 1e3 x: finer costs only slow okalg). */
        double maxc = 0.0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; c.q[i] > 0.0 && j < n; j++) {
                double v = wd(&c, i, j) / c.q[i];
                if (v > maxc)
                    maxc = v;
            }
        c.scale = maxc > 0.0 ? FLOW_MAX_COST / maxc : 1.0;
        if (c.scale > 1e3)
            c.scale = 1e3;
        /* Starts: the greedy's own, then its first median forced to the
         * 2nd, 3rd... best 1-median site (ties to the lower index). */
        zs_pm_pair *one = zs_malloc(n * sizeof *one);
        if (!one) {
            st = ZS_NOMEM(err);
            goto fail;
        }
        for (size_t j = 0; j < n; j++) {
            double s1 = 0.0;
            for (size_t i = 0; i < n; i++)
                s1 += wd(&c, i, j);
            one[j].v = s1;
            one[j].j = j;
        }
        zs_pm_sort_pairs(one, n);
        for (int s = 0; s < opts->restarts; s++)
            c.first[s] = s == 0 || (size_t)s >= n ? n : one[s].j;
        zs_free(one);
        st = zs_mip_guarded(flow_run, &c, opts->log, err);
        if (st != ZS_OK)
            goto fail;
    }
    r->iterations = c.iterations;
    if (infeasible || c.flow_failed) {
        r->status = ZS_MIP_INFEASIBLE;
        r->bound = INFINITY;
        snprintf(r->status_text, sizeof r->status_text, "no feasible assignment");
    } else if (!c.have_best) {
        r->status = ZS_MIP_NO_SOLUTION;
        snprintf(r->status_text, sizeof r->status_text, "no feasible single-source assignment");
    } else {
        r->have_solution = 1;
        r->status = ZS_MIP_GAP;
        snprintf(r->status_text, sizeof r->status_text, "%s", ZS_STATUS_HEURISTIC);
        r->objective = r->heuristic_objective = c.best_obj;
        memcpy(r->open, c.best_med, p * sizeof *r->open);
        qsort(r->open, p, sizeof *r->open, cmp_size);
        for (size_t i = 0; i < n; i++)
            r->assign[i] = c.best_med[c.best_zone[i]];
    }
    r->arcs = n * p;
    r->runtime_s = zs_pm_now() - t0;
    *out = r;
    r = NULL;
fail:
    zs_pmedian_result_free(r);
    zs_free(c.w);
    zs_free(c.q);
    zs_free(c.med);
    zs_free(c.nmed);
    zs_free(c.best_med);
    zs_free(c.flow);
    zs_free(c.zone);
    zs_free(c.best_zone);
    zs_free(c.load);
    zs_free(c.order);
    zs_free(c.moved);
    zs_free(c.near);
    zs_free(c.open);
    zs_free(c.first);
    zs_free(c.arcs);
    return st;
}
