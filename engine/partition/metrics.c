/*
 * engine/partition/metrics.c -- figures of merit of a zone plan (metrics.h).
 *
 * Sums are serial in point order; only the tours, one independent
 * computation per zone, run in parallel, each thread with its own route
 * workspaces made before the region.
 *
 * Tours of zones over ZS_METRICS_EXACT_TOUR_MAX stops (metrics.h) are built
 * here rather than by route.h, whose nearest neighbour and 2-opt scan every
 * pair (29 ms at 1,000 stops, 143 ms at 2,000): the stops and the depot are
 * bucketed in a grid of about two per cell, which gives each node its
 * BIG_K nearest others and the nearest-neighbour tour (rings of cells
 * outwards until no nearer node can be left), and 2-opt only tries the
 * exchanges that join a node to one of its candidates nearer than its
 * current tour neighbour (Johnson & McGeoch's neighbour lists and
 * don't-look bits, nodes queued in tour order).  The tour lives in an
 * array with each node's position; an exchange reverses the shorter side.
 */
#include "partition/metrics.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <string.h>

#include "models/alloc.h"
#include "network/route.h"

/* ---- tours of large zones ---------------------------------------------------- */

/* Candidates per node for 2-opt: its 8 nearest; with them the tours came
 * within 1% of route.h's full 2-opt (metrics.h). */
#define BIG_K 8

/* Workspace for tours of up to cap - 1 stops (nodes: the depot, 0, and
 * the stops); the grid has at most 2 cap cells (grid_build). */
typedef struct {
    size_t cap;
    double *px, *py;       /* cap: node coordinates */
    uint32_t *tour, *pos;  /* cap: node at each tour position, position of each node */
    uint32_t *nbr;         /* BIG_K cap: candidates of each node, nearest first */
    uint32_t *queue;       /* cap: nodes to look at again (FIFO) */
    uint8_t *inq;          /* cap: node is in the queue */
    uint32_t *cell_start;  /* 2 cap + 1: each cell's nodes in cell_pts */
    uint32_t *cell_cnt;    /* 2 cap: nodes of each cell not yet visited (nearest neighbour) */
    uint32_t *cell_pts;    /* cap: nodes by cell, unvisited first within a cell */
    uint32_t *slot;        /* cap: where each node sits in cell_pts */
    uint32_t *cell_of;     /* cap: each node's cell */
} big_ws;

static void big_ws_free(big_ws *b)
{
    if (!b)
        return;
    zs_free(b->px);
    zs_free(b->py);
    zs_free(b->tour);
    zs_free(b->pos);
    zs_free(b->nbr);
    zs_free(b->queue);
    zs_free(b->inq);
    zs_free(b->cell_start);
    zs_free(b->cell_pts);
    zs_free(b->cell_cnt);
    zs_free(b->slot);
    zs_free(b->cell_of);
    zs_free(b);
}

static big_ws *big_ws_create(size_t max_stops)
{
    big_ws *b = zs_calloc(1, sizeof *b);
    if (!b)
        return NULL;
    size_t c = max_stops + 1;
    b->cap = c;
    b->px = zs_malloc_array(c, sizeof *b->px);
    b->py = zs_malloc_array(c, sizeof *b->py);
    b->tour = zs_malloc_array(c, sizeof *b->tour);
    b->pos = zs_malloc_array(c, sizeof *b->pos);
    b->nbr = zs_malloc_array(c * BIG_K, sizeof *b->nbr);
    b->queue = zs_malloc_array(c, sizeof *b->queue);
    b->inq = zs_malloc_array(c, sizeof *b->inq);
    b->cell_start = zs_malloc_array(2 * c + 1, sizeof *b->cell_start);
    b->cell_pts = zs_malloc_array(c, sizeof *b->cell_pts);
    b->cell_cnt = zs_malloc_array(2 * c, sizeof *b->cell_cnt);
    b->slot = zs_malloc_array(c, sizeof *b->slot);
    b->cell_of = zs_malloc_array(c, sizeof *b->cell_of);
    if (!b->px || !b->py || !b->tour || !b->pos || !b->nbr || !b->queue || !b->inq ||
        !b->cell_start || !b->cell_pts || !b->cell_cnt || !b->slot || !b->cell_of) {
        big_ws_free(b);
        return NULL;
    }
    return b;
}

typedef struct {
    double x0, y0, side;
    long gx, gy;
} grid;

static inline double d2(const big_ws *b, uint32_t p, uint32_t q)
{
    double dx = b->px[p] - b->px[q], dy = b->py[p] - b->py[q];
    return dx * dx + dy * dy;
}

static inline double dist(const big_ws *b, uint32_t p, uint32_t q)
{
    return sqrt(d2(b, p, q));
}

/* Buckets the N nodes into about N/2 square cells, by node within a cell:
 * gx gy <= wh/side^2 + (w + h)/side + 1 <= N/2 + N + 1 cells. */
static void grid_build(big_ws *b, size_t N, grid *g)
{
    double x0 = HUGE_VAL, x1 = -HUGE_VAL, y0 = HUGE_VAL, y1 = -HUGE_VAL;
    for (size_t i = 0; i < N; i++) {
        x0 = fmin(x0, b->px[i]);
        x1 = fmax(x1, b->px[i]);
        y0 = fmin(y0, b->py[i]);
        y1 = fmax(y1, b->py[i]);
    }
    double w = x1 - x0, h = y1 - y0, cells = 0.5 * (double)N;
    double side = sqrt(w * h / cells);
    if (!(side >= fmax(w, h) / cells))
        side = fmax(w, h) / cells;
    g->x0 = x0;
    g->y0 = y0;
    if (!(side > 0)) { /* all nodes on one spot */
        g->side = 1.0;
        g->gx = g->gy = 1;
    } else {
        g->side = side;
        g->gx = (long)(w / side) + 1;
        g->gy = (long)(h / side) + 1;
    }
    size_t G = (size_t)(g->gx * g->gy);
    memset(b->cell_start, 0, (G + 1) * sizeof *b->cell_start);
    for (size_t i = 0; i < N; i++) {
        long cx = (long)((b->px[i] - x0) / g->side), cy = (long)((b->py[i] - y0) / g->side);
        if (cx >= g->gx)
            cx = g->gx - 1;
        if (cy >= g->gy)
            cy = g->gy - 1;
        b->cell_of[i] = (uint32_t)(cy * g->gx + cx);
        b->cell_start[b->cell_of[i] + 1]++;
    }
    for (size_t c = 0; c < G; c++)
        b->cell_start[c + 1] += b->cell_start[c];
    for (size_t c = 0; c < G; c++)
        b->cell_cnt[c] = 0;
    for (size_t i = 0; i < N; i++) {
        uint32_t c = b->cell_of[i];
        b->slot[i] = b->cell_start[c] + b->cell_cnt[c]++;
        b->cell_pts[b->slot[i]] = (uint32_t)i;
    }
}

/* The BIG_K nearest other nodes of each node (fewer when N <= BIG_K),
 * nearest first, ties to the lower node; rings of cells outwards until no
 * nearer node can be left. */
static void grid_knn(big_ws *b, size_t N, const grid *g)
{
    size_t want = N - 1 < BIG_K ? N - 1 : BIG_K;
    for (size_t a = 0; a < N; a++) {
        uint32_t *nb = b->nbr + a * BIG_K;
        double bd[BIG_K];
        size_t have = 0;
        long ax = (long)(b->cell_of[a] % (uint32_t)g->gx), ay = (long)(b->cell_of[a] / (uint32_t)g->gx);
        for (long r = 0;; r++) {
            if (have == want) {
                double reach = (double)(r - 1) * g->side;
                if (reach > 0 && reach * reach > bd[have - 1])
                    break;
            }
            if (r > g->gx && r > g->gy)
                break;
            for (long cy = ay - r; cy <= ay + r; cy++) {
                if (cy < 0 || cy >= g->gy)
                    continue;
                long step = (cy == ay - r || cy == ay + r) ? 1 : 2 * r;
                for (long cx = ax - r; cx <= ax + r; cx += step ? step : 1) {
                    if (cx < 0 || cx >= g->gx)
                        continue;
                    uint32_t c = (uint32_t)(cy * g->gx + cx);
                    for (uint32_t s = b->cell_start[c]; s < b->cell_start[c + 1]; s++) {
                        uint32_t q = b->cell_pts[s];
                        if (q == a)
                            continue;
                        double dq = d2(b, (uint32_t)a, q);
                        if (have == want && !(dq < bd[have - 1] ||
                                              (dq == bd[have - 1] && q < nb[have - 1])))
                            continue;
                        size_t at = have < want ? have++ : have - 1;
                        while (at > 0 && (dq < bd[at - 1] || (dq == bd[at - 1] && q < nb[at - 1]))) {
                            bd[at] = bd[at - 1];
                            nb[at] = nb[at - 1];
                            at--;
                        }
                        bd[at] = dq;
                        nb[at] = q;
                    }
                    if (r == 0)
                        break;
                }
            }
        }
        for (size_t j = have; j < BIG_K; j++)
            nb[j] = UINT32_MAX;
    }
}

/* Nearest neighbour from node 0 into tour[0..N): the nearest node not yet
 * visited, ties to the lower node.  Cells lose their nodes as they are
 * visited (swap with the cell's last live node). */
static void grid_nn(big_ws *b, size_t N, const grid *g)
{
    size_t G = (size_t)(g->gx * g->gy);
    for (size_t c = 0; c < G; c++)
        b->cell_cnt[c] = b->cell_start[c + 1] - b->cell_start[c];
    uint32_t cur = 0;
    for (size_t s = 0; s < N; s++) {
        /* remove cur from its cell */
        uint32_t c = b->cell_of[cur], last = b->cell_start[c] + --b->cell_cnt[c];
        uint32_t other = b->cell_pts[last];
        b->cell_pts[b->slot[cur]] = other;
        b->slot[other] = b->slot[cur];
        b->cell_pts[last] = cur;
        b->slot[cur] = last;
        b->tour[s] = cur;
        b->pos[cur] = (uint32_t)s;
        if (s + 1 == N)
            break;
        long ax = (long)(c % (uint32_t)g->gx), ay = (long)(c / (uint32_t)g->gx);
        uint32_t best = UINT32_MAX;
        double bd = HUGE_VAL;
        for (long r = 0;; r++) {
            if (best != UINT32_MAX) {
                double reach = (double)(r - 1) * g->side;
                if (reach > 0 && reach * reach > bd)
                    break;
            }
            if (r > g->gx && r > g->gy)
                break;
            for (long cy = ay - r; cy <= ay + r; cy++) {
                if (cy < 0 || cy >= g->gy)
                    continue;
                long step = (cy == ay - r || cy == ay + r) ? 1 : 2 * r;
                for (long cx = ax - r; cx <= ax + r; cx += step ? step : 1) {
                    if (cx < 0 || cx >= g->gx)
                        continue;
                    uint32_t cc = (uint32_t)(cy * g->gx + cx);
                    for (uint32_t q0 = b->cell_start[cc], q1 = q0 + b->cell_cnt[cc]; q0 < q1; q0++) {
                        uint32_t q = b->cell_pts[q0];
                        double dq = d2(b, cur, q);
                        if (dq < bd || (dq == bd && q < best)) {
                            bd = dq;
                            best = q;
                        }
                    }
                    if (r == 0)
                        break;
                }
            }
        }
        cur = best;
    }
}

/* Reverses the tour between positions i and j (forward, cyclic), or the
 * rest of the cycle when that is shorter: the same cycle either way. */
static void big_reverse(big_ws *b, size_t N, size_t i, size_t j)
{
    size_t len = (j + N - i) % N + 1;
    if (2 * len > N) {
        size_t ni = (j + 1) % N, nj = (i + N - 1) % N;
        i = ni;
        j = nj;
        len = N - len;
    }
    for (size_t s = 0; s < len / 2; s++) {
        uint32_t p = b->tour[i], q = b->tour[j];
        b->tour[i] = q;
        b->pos[q] = (uint32_t)i;
        b->tour[j] = p;
        b->pos[p] = (uint32_t)j;
        i = i + 1 == N ? 0 : i + 1;
        j = j == 0 ? N - 1 : j - 1;
    }
}

static void big_push(big_ws *b, size_t N, size_t *qt, size_t *qn, uint32_t a)
{
    if (b->inq[a])
        return;
    b->inq[a] = 1;
    b->queue[*qt] = a;
    *qt = *qt + 1 == N ? 0 : *qt + 1;
    (*qn)++;
}

/* 2-opt on the neighbour lists: for node a and each tour neighbour b of
 * a, the first candidate c (nearest first) with d(a, c) < d(a, b) whose
 * exchange shortens the tour by more than eps.  Nodes whose edges changed
 * go back in the queue (don't-look bits). */
static void big_two_opt(big_ws *b, size_t N, double eps)
{
    size_t qh = 0, qt = 0, qn = 0;
    memset(b->inq, 0, N);
    for (size_t s = 0; s < N; s++)
        big_push(b, N, &qt, &qn, b->tour[s]);
    while (qn) {
        uint32_t a = b->queue[qh];
        qh = qh + 1 == N ? 0 : qh + 1;
        qn--;
        b->inq[a] = 0;
        int moved = 0;
        for (int dir = 0; dir < 2 && !moved; dir++) {
            size_t pa = b->pos[a];
            uint32_t bb = b->tour[dir ? (pa + N - 1) % N : (pa + 1) % N];
            double dab = dist(b, a, bb);
            const uint32_t *nb = b->nbr + (size_t)a * BIG_K;
            for (size_t j = 0; j < BIG_K && nb[j] != UINT32_MAX; j++) {
                uint32_t c = nb[j];
                double dac = dist(b, a, c);
                if (dac >= dab)
                    break;
                size_t pc = b->pos[c];
                uint32_t d = b->tour[dir ? (pc + N - 1) % N : (pc + 1) % N];
                if (c == bb || d == a)
                    continue;
                double gain = dab + dist(b, c, d) - dac - dist(b, bb, d);
                if (gain > eps) {
                    /* succ: a b ... c d -> a c ... b d; pred: d c ... b a -> d b ... c a */
                    if (dir == 0)
                        big_reverse(b, N, b->pos[bb], pc);
                    else
                        big_reverse(b, N, pc, b->pos[bb]);
                    big_push(b, N, &qt, &qn, a);
                    big_push(b, N, &qt, &qn, bb);
                    big_push(b, N, &qt, &qn, c);
                    big_push(b, N, &qt, &qn, d);
                    moved = 1;
                    break;
                }
            }
        }
    }
}

/* Tour length through the m stops idx[0..m) and the depot: nodes are the
 * depot (0) and the stops (1..m). */
static double big_tour(big_ws *b, const double *x, const double *y, const size_t *idx,
                       size_t m, double depot_x, double depot_y)
{
    if (m == 0)
        return 0.0;
    size_t N = m + 1;
    b->px[0] = depot_x;
    b->py[0] = depot_y;
    for (size_t i = 0; i < m; i++) {
        b->px[i + 1] = x[idx[i]];
        b->py[i + 1] = y[idx[i]];
    }
    grid g;
    grid_build(b, N, &g);
    grid_knn(b, N, &g);
    grid_nn(b, N, &g);
    double len = 0;
    for (size_t s = 0; s < N; s++)
        len += dist(b, b->tour[s], b->tour[(s + 1) % N]);
    if (N >= 4)
        big_two_opt(b, N, 1e-9 * len);
    /* from the depot round, in tour order */
    len = 0;
    size_t p0 = b->pos[0];
    for (size_t s = 0; s < N; s++)
        len += dist(b, b->tour[(p0 + s) % N], b->tour[(p0 + s + 1) % N]);
    return len;
}

void zs_plan_metrics_free(zs_plan_metrics *m)
{
    if (!m)
        return;
    zs_free(m->points);
    zs_free(m->workload);
    zs_free(m->tour_m);
    zs_free(m);
}

zs_status zs_plan_metrics_create(const zs_partition *p, const double *x, const double *y,
                                 const double *w, const double *depot_xy,
                                 zs_plan_metrics **out, zs_err *err)
{
    *out = NULL;
    size_t n = p->n, k = p->k;
    if (k < 1)
        return zs_err_set(err, ZS_EINVAL, "the plan has no zones");
    for (size_t i = 0; i < n; i++)
        if (p->zone[i] < 0 || (size_t)p->zone[i] >= k)
            return zs_err_set(err, ZS_EINVAL, "point index %zu has zone %ld outside 0..%zu", i,
                              (long)p->zone[i], k - 1);
    zs_status st = ZS_OK;
    int nt = omp_get_max_threads();
    zs_plan_metrics *m = zs_calloc(1, sizeof *m);
    size_t *start = zs_calloc(k + 1, sizeof *start), *idx = zs_malloc_array(n ? n : 1, sizeof *idx);
    zs_route_ws **ws = zs_calloc((size_t)nt, sizeof *ws);
    big_ws **bws = zs_calloc((size_t)nt, sizeof *bws);
    if (!m || !start || !idx || !ws || !bws || !(m->points = zs_calloc(k, sizeof *m->points)) ||
        !(m->workload = zs_calloc(k, sizeof *m->workload)) ||
        !(m->tour_m = zs_calloc(k, sizeof *m->tour_m))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    m->n = n;
    m->k = k;
    m->runtime_s = p->runtime_s;
    for (size_t i = 0; i < n; i++) {
        size_t z = (size_t)p->zone[i];
        double wi = w ? w[i] : 1.0, dx = x[i] - p->cx[z], dy = y[i] - p->cy[z];
        double d2 = dx * dx + dy * dy;
        m->sse += d2;
        m->weighted_dist_m += wi * sqrt(d2);
        m->workload[z] += wi;
        m->points[z]++;
    }
    double total = 0.0;
    m->work_min = m->work_max = m->workload[0];
    size_t maxz = 0;
    for (size_t z = 0; z < k; z++) {
        total += m->workload[z];
        m->work_min = fmin(m->work_min, m->workload[z]);
        m->work_max = fmax(m->work_max, m->workload[z]);
        if (m->points[z] > maxz)
            maxz = m->points[z];
    }
    m->work_mean = total / (double)k;
    m->balance_maxmin = m->work_min > 0.0 ? m->work_max / m->work_min
                        : m->work_max > 0.0 ? HUGE_VAL : 1.0;
    if (m->work_mean > 0.0) {
        double ss = 0.0;
        for (size_t z = 0; z < k; z++) {
            double d = m->workload[z] - m->work_mean;
            ss += d * d;
            m->balance_maxdev = fmax(m->balance_maxdev, fabs(d) / m->work_mean);
        }
        m->balance_cv = sqrt(ss / (double)k) / m->work_mean;
    }
    /* Points grouped by zone, by index within a zone. */
    for (size_t z = 0; z < k; z++)
        start[z + 1] = start[z] + m->points[z];
    for (size_t i = 0; i < n; i++)
        idx[start[p->zone[i]]++] = i;
    for (size_t z = k; z > 0; z--)
        start[z] = start[z - 1];
    start[0] = 0;
    for (int t = 0; t < nt; t++)
        if (!(ws[t] = zs_route_ws_create(maxz < ZS_METRICS_EXACT_TOUR_MAX
                                             ? maxz : ZS_METRICS_EXACT_TOUR_MAX)) ||
            (maxz > ZS_METRICS_EXACT_TOUR_MAX && !(bws[t] = big_ws_create(maxz)))) {
            st = ZS_NOMEM(err);
            goto done;
        }
    const double *cx = p->cx, *cy = p->cy;
    double *tour = m->tour_m;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) default(none) \
    shared(k, x, y, idx, start, depot_xy, cx, cy, ws, bws, tour)
    for (size_t z = 0; z < k; z++) {
        double dx = depot_xy ? depot_xy[0] : cx[z], dy = depot_xy ? depot_xy[1] : cy[z];
        size_t mz = start[z + 1] - start[z];
        int t = omp_get_thread_num();
        tour[z] = mz > ZS_METRICS_EXACT_TOUR_MAX
                      ? big_tour(bws[t], x, y, idx + start[z], mz, dx, dy)
                      : zs_route_tour(ws[t], x, y, idx + start[z], mz, dx, dy, NULL);
    }
    for (size_t z = 0; z < k; z++) {
        m->tour_total_m += tour[z];
        m->tour_max_m = fmax(m->tour_max_m, tour[z]);
    }
    *out = m;
    m = NULL;
done:
    for (int t = 0; ws && t < nt; t++)
        zs_route_ws_free(ws[t]);
    for (int t = 0; bws && t < nt; t++)
        big_ws_free(bws[t]);
    zs_free(ws);
    zs_free(bws);
    zs_free(start);
    zs_free(idx);
    zs_plan_metrics_free(m);
    return st;
}
