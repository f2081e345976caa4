/*
 * engine/partition/flow.c -- exact capacitated assignment by minimum-cost
 * flow, and the balanced-flow zoning method built on it.
 *
 * zs_flow_assign solves the transportation problem "n points of supply 1,
 * k centres taking between lo[j] and hi[j] points, cost w_i d^2(i, j)" by
 * successive shortest paths on a graph of k + 1 nodes (the centres and a
 * sink T; the n point nodes are eliminated).  Arc a -> b moves one point
 * from centre a to centre b; its cost is min over points i of a of
 * c(i, b) - c(i, a), which is exactly the cheapest path a -> point -> b of
 * the full residual network, so shortest paths on the small graph are
 * shortest paths on the full one (U. Brenner, "A faster polynomial
 * algorithm for the unbalanced Hitchcock transportation problem", Oper.
 * Res. Lett. 36 (2008), and Tokuyama & Nakano, SIAM J. Comput. 24 (1995),
 * use the same reduction).  Arcs j -> T and T -> j (cost 0) raise or lower
 * the number of points centre j keeps, within [lo, hi].
 *
 * Start: every point at its cheapest centre under the prices (0, or the
 * caller's warm-start prices), which is a pseudo-flow with non-negative
 * reduced costs; the flow into T of each centre is fixed by the sign of
 * its price (complementary slackness), and what does not fit is excess or
 * deficit.  Each step routes one unit from the lowest-index node with
 * excess to the nearest node with deficit (Dijkstra with potentials on the
 * dense (k + 1)-node graph, stopped at the first deficit node settled) and
 * raises the potentials by min(d, D), which keeps every reduced cost >= 0.
 * At the end the potentials are optimal duals: every point sits at a
 * centre minimising c(i, j) - price[j], and price[j] > 0 only for centres
 * at lo, < 0 only for centres at hi, an optimality certificate the tests
 * check.
 *
 * The arc minima are kept in one sorted candidate list per ordered pair
 * (a, b): up to M smallest keys (key, point index) and a threshold such
 * that every point of a at or below it is listed.  A point entering a is
 * inserted where it is at or below the threshold, one leaving is removed.
 * The lists start with the head alone (one O(|a|) scan per arc, no
 * selection).  A list that runs dry while a still has points keeps its
 * threshold as a lower bound of the arc; the Dijkstra uses the bound and
 * rescans zone a (O(|a|), keeping the M smallest) only when a node's label
 * rests on such a bound at the moment it would be settled, so arcs far
 * from any path are never rebuilt.  The head keys (or bounds) are mirrored
 * in a dense k x k matrix, which is what the Dijkstra reads.
 *
 * A cold start of a large problem first solves the problem of every 8th
 * point (recursively) and starts from its prices (solve_ml): the full
 * problem then routes only the sampling error of the zone sizes, through
 * short paths, instead of the whole imbalance of the nearest assignment.
 *
 * Cost: O(n k) per level to assign the points and find the arc heads
 * (parallel; thread count invariant, as each point's or each zone's result
 * depends on it alone), then per unit of imbalance one Dijkstra, O(k s)
 * with s the nodes settled before the first deficit (<= k + 1), plus
 * O(k + M) per point moved along the path and the rescans.  Memory:
 * 12 k^2 M bytes of lists, M = 4..64 chosen so that they stay near 48 MiB,
 * plus 40 bytes per point.  The steps are serial and every tie goes to the
 * lower index, so the result is the same for any number of threads.
 */
#include "partition/partition.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/partition_internal.h"

#define NIL UINT32_MAX /* "no point": a threshold of +infinity */

/* Candidate entries per arc: about 4 Mi entries in all, within [4, 64]. */
#define FLOW_LIST_BUDGET ((size_t)1 << 22)
#define FLOW_LIST_MIN 4
#define FLOW_LIST_MAX 64

/* A zone's member with its coordinates and own cost copied beside the
 * index, so a rescan reads one contiguous array. */
typedef struct {
    double x, y, w;
    double own;  /* c(i, zone of i) */
    uint32_t i;
} fl_member;

typedef struct {
    size_t n, k, M;
    const double *cx, *cy;
    int32_t *zone;
    double *p;            /* k + 1 potentials; p[k] belongs to the sink T */
    long long *e;         /* k + 1 excesses (inflow - outflow - demand) */
    size_t *m, *f;        /* points at each centre; flow centre -> T */
    size_t *lo, *hi;      /* bounds, hi clamped to n */
    fl_member **mem;      /* k member arrays */
    size_t *mcap;         /* their capacities */
    uint32_t *pos;        /* n: index of each point in its member array */
    double *lkey;         /* k*k*M: sorted candidate keys per arc a*k+b */
    uint32_t *lidx;       /* k*k*M: their points */
    uint32_t *lcnt;       /* k*k: entries per list */
    double *tkey;         /* k*k: thresholds (key, point); point NIL = +inf */
    uint32_t *tidx;
    double *hk;           /* k*k: arc values for the Dijkstra (set_head) */
    double *d;            /* k + 1: Dijkstra labels */
    unsigned char *done;  /* k + 1 */
    uint32_t *pred;       /* k + 1 */
    unsigned char *lbf;   /* k + 1: label is only a lower bound (stale arc) */
    double *cbuf;         /* k: costs of the point being moved */
    uint32_t *path_pt;    /* k + 1: the point each path arc moves */
    int bad;              /* an invariant failed (ZS_EINTERNAL) */
    zs_flow_stats st;
} fl;

static inline double dist2(double px, double py, double qx, double qy)
{
    double dx = px - qx, dy = py - qy;
    return dx * dx + dy * dy;
}

/* The one cost expression: every key is a difference of two of these, so
 * the same point and arc always give bit-identical keys. */
static inline double cost(double px, double py, double w, double qx, double qy)
{
    return w * dist2(px, py, qx, qy);
}

/* (ka, ia) < (kb, ib) lexicographically: ties of keys go to the lower
 * point index. */
static inline int pair_lt(double ka, uint32_t ia, double kb, uint32_t ib)
{
    return ka < kb || (ka == kb && ia < ib);
}

/* The arc's value for the Dijkstra: its head key; for a list run dry
 * while its zone still has points ("stale": every point left is above the
 * threshold) the threshold key, a lower bound; +inf for an empty zone. */
static inline void set_head(fl *s, size_t r)
{
    s->hk[r] = s->lcnt[r] ? s->lkey[r * s->M] : s->tidx[r] != NIL ? s->tkey[r] : HUGE_VAL;
}

static inline int stale(const fl *s, size_t r)
{
    return s->lcnt[r] == 0 && s->tidx[r] != NIL;
}

/* ---------------------------------------------------------------- lists */

/* Max-heap sift-down over (key, idx) pairs. */
static void heap_down(double *key, uint32_t *idx, size_t cnt, size_t at)
{
    for (;;) {
        size_t l = 2 * at + 1, big = at;
        if (l < cnt && pair_lt(key[big], idx[big], key[l], idx[l]))
            big = l;
        if (l + 1 < cnt && pair_lt(key[big], idx[big], key[l + 1], idx[l + 1]))
            big = l + 1;
        if (big == at)
            return;
        double tk = key[at]; key[at] = key[big]; key[big] = tk;
        uint32_t ti = idx[at]; idx[at] = idx[big]; idx[big] = ti;
        at = big;
    }
}

/* Rebuilds the list of arc a -> b from the members of a: the M smallest
 * pairs in ascending order, and the threshold (the largest kept pair when
 * some member was left out, else +inf). */
static void rebuild(fl *s, size_t a, size_t b)
{
    size_t M = s->M, r = a * s->k + b, cnt = 0;
    double *key = s->lkey + r * M, bx = s->cx[b], by = s->cy[b];
    uint32_t *idx = s->lidx + r * M;
    const fl_member *mb = s->mem[a];
    size_t nm = s->m[a];
    for (size_t q = 0; q < nm; q++) {
        double kq = cost(mb[q].x, mb[q].y, mb[q].w, bx, by) - mb[q].own;
        uint32_t iq = mb[q].i;
        if (cnt < M) {
            /* sift up */
            size_t at = cnt++;
            key[at] = kq;
            idx[at] = iq;
            while (at > 0) {
                size_t up = (at - 1) / 2;
                if (!pair_lt(key[up], idx[up], key[at], idx[at]))
                    break;
                double tk = key[at]; key[at] = key[up]; key[up] = tk;
                uint32_t ti = idx[at]; idx[at] = idx[up]; idx[up] = ti;
                at = up;
            }
        } else if (pair_lt(kq, iq, key[0], idx[0])) {
            key[0] = kq;
            idx[0] = iq;
            heap_down(key, idx, cnt, 0);
        }
    }
    if (nm > M) {
        s->tkey[r] = key[0];
        s->tidx[r] = idx[0];
    } else {
        s->tkey[r] = HUGE_VAL;
        s->tidx[r] = NIL;
    }
    /* heap sort: ascending */
    for (size_t end = cnt; end > 1; end--) {
        double tk = key[0]; key[0] = key[end - 1]; key[end - 1] = tk;
        uint32_t ti = idx[0]; idx[0] = idx[end - 1]; idx[end - 1] = ti;
        heap_down(key, idx, end - 1, 0);
    }
    s->lcnt[r] = (uint32_t)cnt;
    set_head(s, r);
}

/* Starts the list of arc a -> b with its head alone: the least pair, and
 * the threshold at it (or +inf when a has one member or none), which the
 * invariant allows.  Full lists are built by rebuild only for the arcs
 * whose head gets used up, so the start costs one scan per arc without
 * the selection. */
static void first_head(fl *s, size_t a, size_t b)
{
    size_t r = a * s->k + b, nm = s->m[a];
    double bx = s->cx[b], by = s->cy[b], bk = HUGE_VAL;
    uint32_t bi = NIL;
    const fl_member *mb = s->mem[a];
    for (size_t q = 0; q < nm; q++) {
        double kq = cost(mb[q].x, mb[q].y, mb[q].w, bx, by) - mb[q].own;
        if (kq <= bk && pair_lt(kq, mb[q].i, bk, bi)) {
            bk = kq;
            bi = mb[q].i;
        }
    }
    s->lcnt[r] = nm > 0;
    s->lkey[r * s->M] = bk;
    s->lidx[r * s->M] = bi;
    s->tkey[r] = nm > 1 ? bk : HUGE_VAL;
    s->tidx[r] = nm > 1 ? bi : NIL;
    set_head(s, r);
}

/* Point i leaves the list of arc r, where the threshold says it is. */
static void list_remove(fl *s, size_t r, uint32_t i)
{
    size_t M = s->M, cnt = s->lcnt[r];
    double *key = s->lkey + r * M;
    uint32_t *idx = s->lidx + r * M;
    size_t at = 0;
    while (at < cnt && idx[at] != i)
        at++;
    if (at == cnt) {
        s->bad = 1;
        return;
    }
    memmove(key + at, key + at + 1, (cnt - at - 1) * sizeof *key);
    memmove(idx + at, idx + at + 1, (cnt - at - 1) * sizeof *idx);
    s->lcnt[r] = (uint32_t)(cnt - 1);
}

/* Point i with key kq enters arc r's list (its pair is at most the
 * threshold).  A full list drops its largest pair and lowers the threshold
 * to the largest pair it keeps, so every member below it stays listed. */
static void list_insert(fl *s, size_t r, double kq, uint32_t i)
{
    size_t M = s->M, cnt = s->lcnt[r];
    double *key = s->lkey + r * M;
    uint32_t *idx = s->lidx + r * M;
    size_t at = cnt;
    while (at > 0 && pair_lt(kq, i, key[at - 1], idx[at - 1]))
        at--;
    int full = cnt == M;
    if (full) {
        if (at == M) { /* larger than all M kept: not listed */
            s->tkey[r] = key[M - 1];
            s->tidx[r] = idx[M - 1];
            return;
        }
        cnt--; /* the largest falls off */
    }
    memmove(key + at + 1, key + at, (cnt - at) * sizeof *key);
    memmove(idx + at + 1, idx + at, (cnt - at) * sizeof *idx);
    key[at] = kq;
    idx[at] = i;
    s->lcnt[r] = (uint32_t)(cnt + 1);
    if (full) {
        s->tkey[r] = key[M - 1];
        s->tidx[r] = idx[M - 1];
    }
}

/* 1 when pair (kq, i) is at most arc r's threshold: then the point is (or
 * must be) listed. */
static inline int under_thr(const fl *s, size_t r, double kq, uint32_t i)
{
    return s->tidx[r] == NIL || !pair_lt(s->tkey[r], s->tidx[r], kq, i);
}

/* ---------------------------------------------------------------- moves */

/* Moves point i from centre a to centre b, keeping member arrays, counts
 * and every list of rows a and b exact.  Returns 0 when out of memory
 * (nothing changed). */
static int move_point(fl *s, uint32_t i, size_t a, size_t b)
{
    size_t k = s->k;
    if (s->m[b] == s->mcap[b]) {
        size_t cap = s->mcap[b] * 2 + 16;
        fl_member *nm = zs_realloc(s->mem[b], cap * sizeof *nm);
        if (!nm)
            return 0;
        s->mem[b] = nm;
        s->mcap[b] = cap;
    }
    /* member arrays: swap-remove from a, append to b */
    fl_member me = s->mem[a][s->pos[i]];
    size_t last = --s->m[a];
    if (s->pos[i] != last) {
        s->mem[a][s->pos[i]] = s->mem[a][last];
        s->pos[s->mem[a][last].i] = s->pos[i];
    }
    for (size_t c = 0; c < k; c++)
        s->cbuf[c] = cost(me.x, me.y, me.w, s->cx[c], s->cy[c]);
    me.own = s->cbuf[b];
    s->pos[i] = (uint32_t)s->m[b];
    s->mem[b][s->m[b]++] = me;
    s->zone[i] = (int32_t)b;
    s->st.moves++;

    /* row a: i is no candidate any more */
    double ca = s->cbuf[a];
    for (size_t c = 0; c < k; c++) {
        size_t r = a * k + c;
        double kq = s->cbuf[c] - ca;
        if (c == a || !under_thr(s, r, kq, i))
            continue;
        list_remove(s, r, i);
        set_head(s, r); /* rebuilt only if a Dijkstra needs it exact */
    }
    /* row b: i is a new candidate */
    double cb = s->cbuf[b];
    for (size_t c = 0; c < k; c++) {
        size_t r = b * k + c;
        double kq = s->cbuf[c] - cb;
        if (c == b || !under_thr(s, r, kq, i))
            continue;
        list_insert(s, r, kq, i);
        set_head(s, r);
    }
    return 1;
}

/* ---------------------------------------------------------------- setup */

static void fl_free(fl *s)
{
    if (s->mem)
        for (size_t j = 0; j < s->k; j++)
            zs_free(s->mem[j]);
    zs_free(s->mem);
    zs_free(s->mcap);
    zs_free(s->pos);
    zs_free(s->p);
    zs_free(s->e);
    zs_free(s->m);
    zs_free(s->f);
    zs_free(s->lo);
    zs_free(s->hi);
    zs_free(s->lkey);
    zs_free(s->lidx);
    zs_free(s->lcnt);
    zs_free(s->tkey);
    zs_free(s->tidx);
    zs_free(s->hk);
    zs_free(s->d);
    zs_free(s->done);
    zs_free(s->pred);
    zs_free(s->lbf);
    zs_free(s->cbuf);
    zs_free(s->path_pt);
}

static int fl_alloc(fl *s)
{
    size_t n = s->n, k = s->k, kk = k * k;
    s->mem = zs_calloc(k, sizeof *s->mem);
    s->mcap = zs_calloc(k, sizeof *s->mcap);
    s->pos = zs_malloc_array(n ? n : 1, sizeof *s->pos);
    s->p = zs_calloc(k + 1, sizeof *s->p);
    s->e = zs_calloc(k + 1, sizeof *s->e);
    s->m = zs_calloc(k, sizeof *s->m);
    s->f = zs_calloc(k, sizeof *s->f);
    s->lo = zs_malloc_array(k, sizeof *s->lo);
    s->hi = zs_malloc_array(k, sizeof *s->hi);
    s->lcnt = zs_calloc(kk, sizeof *s->lcnt);
    s->tkey = zs_malloc_array(kk, sizeof *s->tkey);
    s->tidx = zs_malloc_array(kk, sizeof *s->tidx);
    s->hk = zs_malloc_array(kk, sizeof *s->hk);
    s->d = zs_malloc_array(k + 1, sizeof *s->d);
    s->done = zs_malloc_array(k + 1, sizeof *s->done);
    s->pred = zs_malloc_array(k + 1, sizeof *s->pred);
    s->lbf = zs_malloc_array(k + 1, sizeof *s->lbf);
    s->cbuf = zs_malloc_array(k, sizeof *s->cbuf);
    s->path_pt = zs_malloc_array(k + 1, sizeof *s->path_pt);
    if (!s->mem || !s->mcap || !s->pos || !s->p || !s->e || !s->m || !s->f || !s->lo ||
        !s->hi || !s->lcnt || !s->tkey || !s->tidx || !s->hk || !s->d || !s->done ||
        !s->pred || !s->lbf || !s->cbuf || !s->path_pt)
        return 0;
    /* kk * M cannot overflow: k <= 2^20 and M <= 64 */
    s->lkey = zs_malloc_array(kk * s->M, sizeof *s->lkey);
    s->lidx = zs_malloc_array(kk * s->M, sizeof *s->lidx);
    return s->lkey && s->lidx;
}

#define FLOW_MAX_K ((size_t)1 << 20)

static zs_status check_input(const double *x, const double *y, const double *w, size_t n,
                             const double *cx, const double *cy, size_t k, const size_t *lo,
                             const size_t *hi, const double *price_in, zs_err *err)
{
    if (k < 1)
        return zs_err_set(err, ZS_EINVAL, "flow: k = 0 centres; must be >= 1");
    if (k > FLOW_MAX_K)
        return zs_err_set(err, ZS_EINVAL, "flow: k = %zu centres; must be <= %zu", k, FLOW_MAX_K);
    if (n >= (size_t)NIL)
        return zs_err_set(err, ZS_EINVAL, "flow: n = %zu points; must be < %lu", n,
                          (unsigned long)NIL);
    double xmin = HUGE_VAL, xmax = -HUGE_VAL, ymin = HUGE_VAL, ymax = -HUGE_VAL, wmax = 1.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return zs_err_set(err, ZS_EINVAL, "flow: point index %zu has a non-finite coordinate "
                              "(%g, %g)", i, x[i], y[i]);
        if (w && (!(w[i] >= 0.0) || !isfinite(w[i])))
            return zs_err_set(err, ZS_EINVAL, "flow: weight of point index %zu = %g; must be "
                              "finite and >= 0", i, w[i]);
        xmin = fmin(xmin, x[i]); xmax = fmax(xmax, x[i]);
        ymin = fmin(ymin, y[i]); ymax = fmax(ymax, y[i]);
        if (w)
            wmax = fmax(wmax, w[i]);
    }
    for (size_t j = 0; j < k; j++) {
        if (!isfinite(cx[j]) || !isfinite(cy[j]))
            return zs_err_set(err, ZS_EINVAL, "flow: centre index %zu = (%g, %g); must be finite",
                              j, cx[j], cy[j]);
        if (price_in && !isfinite(price_in[j]))
            return zs_err_set(err, ZS_EINVAL, "flow: price_in[%zu] = %g; must be finite", j,
                              price_in[j]);
        xmin = fmin(xmin, cx[j]); xmax = fmax(xmax, cx[j]);
        ymin = fmin(ymin, cy[j]); ymax = fmax(ymax, cy[j]);
    }
    /* Every cost and every difference of two must stay finite: four times
     * the largest cost leaves room for the path sums. */
    double dx = xmax - xmin, dy = ymax - ymin;
    if (!isfinite(4.0 * wmax * (dx * dx + dy * dy)))
        return zs_err_set(err, ZS_EINVAL, "flow: coordinates span (%g, %g) m; weighted squared "
                          "distances would overflow", dx, dy);
    size_t slo = 0, shi = 0;
    for (size_t j = 0; j < k; j++) {
        size_t l = lo ? lo[j] : 0, h = hi ? hi[j] : n;
        if (l > h)
            return zs_err_set(err, ZS_EINVAL, "flow: lo[%zu] = %zu exceeds hi[%zu] = %zu", j, l,
                              j, h);
        if (l > n)
            return zs_err_set(err, ZS_EINVAL, "flow: infeasible bounds: lo[%zu] = %zu exceeds the "
                              "%zu points", j, l, n);
        slo += l;
        shi += h < n ? h : n;
    }
    if (slo > n)
        return zs_err_set(err, ZS_EINVAL, "flow: infeasible bounds: the lower bounds sum to %zu, "
                          "more than the %zu points", slo, n);
    if (shi < n)
        return zs_err_set(err, ZS_EINVAL, "flow: infeasible bounds: the upper bounds sum to %zu, "
                          "fewer than the %zu points", shi, n);
    return ZS_OK;
}

/* Every point at its cheapest centre under the prices, member arrays,
 * candidate lists, and the pseudo-flow into T.  0 when out of memory. */
static int fl_start(fl *s, const double *x, const double *y, const double *w)
{
    size_t n = s->n, k = s->k;
    const double *cx = s->cx, *cy = s->cy, *p = s->p;
    int32_t *zone = s->zone;
#pragma omp parallel for schedule(static) default(none) if (n > ZS_PART_PAR_MIN) \
    shared(x, y, w, n, k, cx, cy, p, zone)
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0, best = HUGE_VAL;
        size_t bj = 0;
        for (size_t j = 0; j < k; j++) {
            double v = cost(x[i], y[i], wi, cx[j], cy[j]) - p[j];
            if (v < best) {
                best = v;
                bj = j;
            }
        }
        zone[i] = (int32_t)bj;
    }
    for (size_t i = 0; i < n; i++)
        s->m[zone[i]]++;
    for (size_t j = 0; j < k; j++) {
        s->mcap[j] = s->m[j] + s->m[j] / 8 + 16;
        if (!(s->mem[j] = zs_malloc_array(s->mcap[j], sizeof *s->mem[j])))
            return 0;
        s->m[j] = 0;
    }
    for (size_t i = 0; i < n; i++) {
        size_t j = (size_t)zone[i];
        double wi = w ? w[i] : 1.0;
        fl_member me = {x[i], y[i], wi, cost(x[i], y[i], wi, cx[j], cy[j]), (uint32_t)i};
        s->pos[i] = (uint32_t)s->m[j];
        s->mem[j][s->m[j]++] = me;
    }
    /* Each zone's row of lists depends on that zone alone. */
#pragma omp parallel for schedule(dynamic, 1) default(none) if (n > ZS_PART_PAR_MIN) shared(s, k)
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++) {
            if (b != a) {
                first_head(s, a, b);
            } else {
                s->lcnt[a * k + a] = 0;
                s->tkey[a * k + a] = HUGE_VAL;
                s->tidx[a * k + a] = NIL;
                s->hk[a * k + a] = HUGE_VAL;
            }
        }
    /* Flow into T by the sign of the price (p[k] = 0 here): a subsidised
     * centre sends lo, a taxed one hi, a free one what it has, clamped. */
    long long sum_f = 0;
    for (size_t j = 0; j < k; j++) {
        size_t mj = s->m[j];
        if (p[j] > 0.0)
            s->f[j] = s->lo[j];
        else if (p[j] < 0.0)
            s->f[j] = s->hi[j];
        else
            s->f[j] = mj < s->lo[j] ? s->lo[j] : mj > s->hi[j] ? s->hi[j] : mj;
        s->e[j] = (long long)mj - (long long)s->f[j];
        sum_f += (long long)s->f[j];
        if (s->e[j] > 0)
            s->st.imbalance += (size_t)s->e[j];
    }
    s->e[k] = sum_f - (long long)n;
    if (s->e[k] > 0)
        s->st.imbalance += (size_t)s->e[k];
    return 1;
}

/* ---------------------------------------------------------------- solve */

/* Node u's label came over a stale arc, so it is only a lower bound: the
 * arc is rebuilt and the label recomputed from every settled node, until
 * it is exact (or +inf).  The caller then selects again. */
static void resolve(fl *s, size_t u)
{
    size_t k = s->k, T = k;
    const double *d = s->d, *p = s->p;
    while (s->lbf[u]) {
        rebuild(s, s->pred[u], u);
        s->st.rescans++;
        double best = HUGE_VAL;
        uint32_t bp = NIL;
        unsigned char bl = 0;
        for (size_t v = 0; v <= k; v++) {
            if (!s->done[v])
                continue;
            double cand;
            unsigned char l = 0;
            if (v == T) {
                if (s->f[u] <= s->lo[u])
                    continue;
                cand = d[T] + p[T] - p[u];
            } else {
                size_t r = v * k + u;
                if (v == u || s->hk[r] == HUGE_VAL)
                    continue;
                cand = (d[v] + p[v]) + s->hk[r] - p[u];
                l = (unsigned char)stale(s, r);
            }
            if (cand < best) {
                best = cand;
                bp = (uint32_t)v;
                bl = l;
            }
        }
        s->d[u] = best;
        s->pred[u] = bp;
        s->lbf[u] = bl;
    }
}

/* One unit from the lowest-index node with excess to the nearest node with
 * deficit.  Returns 1 when routed, 0 when no node has excess, -1 when out
 * of memory, -2 when no path exists (an invariant failed). */
static int augment(fl *s)
{
    size_t k = s->k, T = k, src = k + 1;
    for (size_t v = 0; v <= k; v++)
        if (s->e[v] > 0) {
            src = v;
            break;
        }
    if (src > k)
        return 0;
    double *d = s->d, *p = s->p;
    unsigned char *done = s->done;
    for (size_t v = 0; v <= k; v++) {
        d[v] = HUGE_VAL;
        done[v] = 0;
        s->lbf[v] = 0;
    }
    d[src] = 0.0;
    size_t t = k + 1;
    for (;;) {
        size_t u = k + 1;
        double du = HUGE_VAL;
        for (size_t v = 0; v <= k; v++)
            if (!done[v] && d[v] < du) {
                du = d[v];
                u = v;
            }
        if (u > k)
            return -2;
        if (s->lbf[u]) {
            resolve(s, u);
            continue;
        }
        done[u] = 1;
        s->st.settled++;
        if (s->e[u] < 0) {
            t = u;
            break;
        }
        if (u == T) {
            double pt = p[T];
            for (size_t j = 0; j < k; j++)
                if (!done[j] && s->f[j] > s->lo[j]) {
                    double nd = du + pt - p[j];
                    if (nd < d[j]) {
                        d[j] = nd;
                        s->pred[j] = (uint32_t)T;
                        s->lbf[j] = 0;
                    }
                }
            continue;
        }
        const double *row = s->hk + u * k;
        double base = du + p[u];
        for (size_t b = 0; b < k; b++)
            if (!done[b]) {
                double nd = base + row[b] - p[b];
                if (nd < d[b]) {
                    d[b] = nd;
                    s->pred[b] = (uint32_t)u;
                    s->lbf[b] = (unsigned char)stale(s, u * k + b);
                }
            }
        if (!done[T] && s->f[u] < s->hi[u]) {
            double nd = base - p[T];
            if (nd < d[T]) {
                d[T] = nd;
                s->pred[T] = (uint32_t)u;
                s->lbf[T] = 0;
            }
        }
    }
    /* Potentials: + min(d, D) keeps every reduced cost >= 0 (settled nodes
     * have d <= D, the others count as D); then T back to 0. */
    double D = d[t];
    for (size_t v = 0; v <= k; v++)
        p[v] += done[v] && d[v] < D ? d[v] : D;
    double pt = p[T];
    for (size_t v = 0; v <= k; v++)
        p[v] -= pt;
    /* The path's points are taken before any moves: a point moved into a
     * centre could otherwise become the next arc's head. */
    size_t len = 0;
    for (size_t v = t; v != src; v = s->pred[v]) {
        size_t u = s->pred[v];
        s->path_pt[len++] = u < k && v < k ? s->lidx[(u * k + v) * s->M] : NIL;
    }
    len = 0;
    for (size_t v = t; v != src; v = s->pred[v]) {
        size_t u = s->pred[v];
        uint32_t i = s->path_pt[len++];
        if (u == T)
            s->f[v]--;
        else if (v == T)
            s->f[u]++;
        else if (!move_point(s, i, u, v))
            return -1;
    }
    s->e[src]--;
    s->e[t]++;
    s->st.augmentations++;
    return 1;
}

/* One level: the solver proper on validated input.  Adds its work to *acc
 * and sets acc->imbalance to its own. */
static zs_status solve_level(const double *x, const double *y, const double *w, size_t n,
                             const double *cx, const double *cy, size_t k, const size_t *lo,
                             const size_t *hi, const double *price_in, int32_t *zone,
                             double *price_out, zs_flow_stats *acc, zs_err *err)
{
    zs_status st = ZS_OK;
    fl s;
    memset(&s, 0, sizeof s);
    s.n = n;
    s.k = k;
    s.cx = cx;
    s.cy = cy;
    s.zone = zone;
    size_t M = FLOW_LIST_BUDGET / (k * k);
    s.M = M < FLOW_LIST_MIN ? FLOW_LIST_MIN : M > FLOW_LIST_MAX ? FLOW_LIST_MAX : M;
    if (!fl_alloc(&s)) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t j = 0; j < k; j++) {
        s.lo[j] = lo ? lo[j] : 0;
        s.hi[j] = hi && hi[j] < n ? hi[j] : n;
        s.p[j] = price_in ? price_in[j] : 0.0;
    }
    if (!fl_start(&s, x, y, w)) {
        st = ZS_NOMEM(err);
        goto done;
    }
    int r;
    while ((r = augment(&s)) == 1 && !s.bad)
        ;
    if (r == -1) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if (r == -2 || s.bad) {
        st = ZS_INTERNAL(err, "flow: %s after %zu augmentations",
                         s.bad ? "a candidate list lost a point" : "no augmenting path",
                         s.st.augmentations);
        goto done;
    }
    if (price_out)
        for (size_t j = 0; j < k; j++)
            price_out[j] = s.p[j] - s.p[k];
    acc->imbalance = s.st.imbalance;
    acc->augmentations += s.st.augmentations;
    acc->moves += s.st.moves;
    acc->settled += s.st.settled;
    acc->rescans += s.st.rescans;
    acc->levels++;
done:
    fl_free(&s);
    return st;
}

/* A cold start above FLOW_COARSE_MIN points is warm-started from the
 * prices of every FLOW_COARSE_STRIDE-th point (bounds scaled down, solved
 * the same way): the prices are boundary shifts in m^2, the same for a
 * sample, so the full problem starts with only the sampling error of each
 * zone's size to route (about sqrt(n k) units) instead of the whole
 * imbalance, through short paths.  Exactness does not depend on it. */
#define FLOW_COARSE_MIN 4096
#define FLOW_COARSE_STRIDE 8

static zs_status solve_ml(const double *x, const double *y, const double *w, size_t n,
                          const double *cx, const double *cy, size_t k, const size_t *lo,
                          const size_t *hi, const double *price_in, int32_t *zone,
                          double *price_out, zs_flow_stats *acc, zs_err *err)
{
    if (price_in || n < FLOW_COARSE_MIN)
        return solve_level(x, y, w, n, cx, cy, k, lo, hi, price_in, zone, price_out, acc, err);
    size_t ns = (n + FLOW_COARSE_STRIDE - 1) / FLOW_COARSE_STRIDE;
    double *sx = zs_malloc_array(ns, sizeof *sx), *sy = zs_malloc_array(ns, sizeof *sy);
    double *sw = w ? zs_malloc_array(ns, sizeof *sw) : NULL;
    double *pr = zs_malloc_array(k, sizeof *pr);
    size_t *slo = zs_malloc_array(k, sizeof *slo), *shi = zs_malloc_array(k, sizeof *shi);
    int32_t *sz = zs_malloc_array(ns, sizeof *sz);
    zs_status st = ZS_OK;
    if (!sx || !sy || (w && !sw) || !pr || !slo || !shi || !sz) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t q = 0; q < ns; q++) {
        size_t i = q * FLOW_COARSE_STRIDE;
        sx[q] = x[i];
        sy[q] = y[i];
        if (w)
            sw[q] = w[i];
    }
    /* floor / ceil of the scaled bounds keep the sample feasible:
     * sum slo <= ns sum lo / n <= ns <= ns sum hi / n <= sum shi.  The
     * products stay below 2^61 (n < 2^32). */
    for (size_t j = 0; j < k; j++) {
        size_t l = lo ? lo[j] : 0, h = hi && hi[j] < n ? hi[j] : n;
        slo[j] = l * ns / n;
        shi[j] = (h * ns + n - 1) / n;
    }
    if ((st = solve_ml(sx, sy, sw, ns, cx, cy, k, slo, shi, NULL, sz, pr, acc, err)) != ZS_OK)
        goto done;
    st = solve_level(x, y, w, n, cx, cy, k, lo, hi, pr, zone, price_out, acc, err);
done:
    zs_free(sx);
    zs_free(sy);
    zs_free(sw);
    zs_free(pr);
    zs_free(slo);
    zs_free(shi);
    zs_free(sz);
    return st;
}

zs_status zs_flow_assign(const double *x, const double *y, const double *w, size_t n,
                         const double *cx, const double *cy, size_t k, const size_t *lo,
                         const size_t *hi, const double *price_in, int32_t *zone,
                         double *price_out, zs_flow_stats *stats, zs_err *err)
{
    double t0 = omp_get_wtime();
    zs_status st = check_input(x, y, w, n, cx, cy, k, lo, hi, price_in, err);
    if (st != ZS_OK)
        return st;
    zs_flow_stats acc;
    memset(&acc, 0, sizeof acc);
    if ((st = solve_ml(x, y, w, n, cx, cy, k, lo, hi, price_in, zone, price_out, &acc, err)) !=
        ZS_OK)
        return st;
    double total = 0.0;
    for (size_t i = 0; i < n; i++)
        total += cost(x[i], y[i], w ? w[i] : 1.0, cx[zone[i]], cy[zone[i]]);
    acc.cost = total;
    acc.runtime_s = omp_get_wtime() - t0;
    if (stats)
        *stats = acc;
    return ZS_OK;
}

/* ---------------------------------------------------------------- method */

/* The tightest integer counts within tol of the mean n/k, widened to
 * floor / ceil of n/k when no integer count fits; lo >= 1 so that no zone
 * is empty.  A relative 1e-9 keeps 0.95 x 100 at 95 despite rounding. */
static void count_bounds(size_t n, size_t k, double tol, size_t *lo, size_t *hi)
{
    double mean = (double)n / (double)k, a = (1.0 - tol) * mean, b = (1.0 + tol) * mean;
    *lo = a > 0.0 ? (size_t)ceil(a - 1e-9 * mean) : 0;
    *hi = (size_t)floor(b + 1e-9 * mean);
    if (*lo > n / k)
        *lo = n / k;
    if (*hi < (n + k - 1) / k)
        *hi = (n + k - 1) / k;
    if (*lo < 1)
        *lo = 1;
    if (*hi > n)
        *hi = n;
}

zs_status zs_part_balanced_flow(const double *x, const double *y, const double *w, size_t n,
                                const zs_partition_opts *o, zs_partition **out, zs_err *err)
{
    size_t k = o->k;
    const double *gw = o->kmeans.weighted ? w : NULL;
    zs_partition *p = NULL;
    zs_status st = zs_partition_kmeans(x, y, w, n, k, &o->kmeans, &p, err);
    if (st != ZS_OK)
        return st;
    size_t *lo = zs_malloc_array(k, sizeof *lo), *hi = zs_malloc_array(k, sizeof *hi);
    size_t *cnt = zs_malloc_array(k, sizeof *cnt);
    double *price = zs_calloc(k, sizeof *price), *sw = zs_malloc_array(k, sizeof *sw);
    int32_t *prev = zs_malloc_array(n, sizeof *prev);
    if (!lo || !hi || !cnt || !price || !sw || !prev) {
        st = ZS_NOMEM(err);
        goto done;
    }
    size_t l, h;
    count_bounds(n, k, o->tolerance, &l, &h);
    for (size_t j = 0; j < k; j++) {
        lo[j] = l;
        hi[j] = h;
    }
    /* Each round: the optimal assignment to the current centres (warm-
     * started from the last round's prices), then the centres to their
     * zones' means.  Both steps can only lower the SSE, so it falls until
     * the assignment repeats; a round that does not lower it (ties among
     * optimal assignments, or rounding) ends the loop too, keeping the
     * better plan. */
    double prev_sse = HUGE_VAL;
    int rounds = 0, conv = 0;
    while (rounds < o->max_iter) {
        memcpy(prev, p->zone, n * sizeof *prev);
        zs_flow_stats fs;
        st = zs_flow_assign(x, y, gw, n, p->cx, p->cy, k, lo, hi, rounds ? price : NULL,
                            p->zone, price, &fs, err);
        if (st != ZS_OK)
            goto done;
        rounds++;
        if (rounds > 1 && memcmp(prev, p->zone, n * sizeof *prev) == 0) {
            conv = 1; /* centres are the means of this very assignment */
            break;
        }
        zs_part_centres_ws(p, x, y, gw, sw, cnt);
        if (rounds > 1 && !(p->objective < prev_sse * (1.0 - o->kmeans.tol))) {
            conv = 1;
            if (p->objective > prev_sse) { /* rounding only: keep the last plan */
                memcpy(p->zone, prev, n * sizeof *prev);
                zs_part_centres_ws(p, x, y, gw, sw, cnt);
            }
            break;
        }
        prev_sse = p->objective;
    }
    int unit = 1;
    for (size_t i = 0; w && i < n && unit; i++)
        unit = w[i] == 1.0;
    p->iterations = rounds;
    p->converged = conv;
    snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_HEURISTIC);
    *out = p;
    p = NULL;
done:
    zs_partition_free(p);
    zs_free(lo);
    zs_free(hi);
    zs_free(cnt);
    zs_free(price);
    zs_free(sw);
    zs_free(prev);
    return st;
}
