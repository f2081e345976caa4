/*
 * engine/partition/twostage.c -- two-stage k-means: k-means, then boundary
 * points moved until workloads are about equal.
 *
 * Stage two looks at the zone whose workload deviates most from the mean.
 * If it is overloaded, one of its points moves to an adjacent zone; if
 * underloaded, it takes a point from an adjacent zone.  Adjacent means the
 * other zone's centre is among the point's 3 nearest k-means centres, so
 * only boundary points move.  Of the moves that leave both touched zones
 * closer to the mean than the current largest deviation, the one with the
 * least increase in squared distance to the centre is made.  When the most
 * deviating zone has no such move (its neighbours are as light as it is,
 * as with a cluster of small zones far from the heavy ones), the heaviest
 * zone that can pass a point to a lighter neighbour does so: load flows
 * down the chain of neighbours until the light zone can be helped.  Every
 * move lowers the sum of squared deviations and never raises the largest,
 * so the loop ends; it stops when every zone is within tolerance, when no
 * move is left (reported as balance not met), or at max_moves.  A zone never gives away its last point.
 * Centres stay fixed while points move; when no move is left they are
 * reset to the zones' means and the 3 nearest centres found again (the
 * boundaries have shifted), and the moves resume, until a round makes no
 * move.  The final centres are the zones' means.
 */
#include "partition/partition.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/partition_internal.h"

#define NEAR 3 /* adjacency: the 3 nearest centres */

typedef struct {
    const double *x, *y, *w;
    int32_t *zone;
    const int32_t *near; /* n x (q + 1): q nearest centres, own zone (see adjacency) */
    size_t q;
    const size_t *start, *list; /* points listed under each zone they are near */
    const size_t *cnt;
    const double *load, *cx, *cy;
    double mean;
    size_t n;
} ts_state;

typedef struct {
    size_t i, from, to;
    double cost; /* increase in squared distance to the centre */
} ts_move;

/* The cheapest admissible move touching zone z: dir 1 out of z, -1 into z,
 * 0 out of z into a lighter neighbour.  Admissible: the donor keeps a
 * point, both zones end closer to the mean than dmax, and the donor stays
 * heavier than the receiver (so the sum of squared deviations falls).
 * Ties keep the lower point index, then the nearer centre. */
static void best_move(const ts_state *S, size_t z, int dir, double dmax, ts_move *mv)
{
    for (size_t e = S->start[z]; e < S->start[z + 1]; e++) {
        size_t i = S->list[e], a = (size_t)S->zone[i];
        double wi = S->w ? S->w[i] : 1.0;
        if (dir >= 0 ? a != z : a == z)
            continue;
        if (S->cnt[a] < 2)
            continue; /* never empty a zone */
        double dxa = S->x[i] - S->cx[a], dya = S->y[i] - S->cy[a], da = dxa * dxa + dya * dya;
        for (size_t j = 0; j < S->q; j++) {
            int32_t nb = S->near[i * (S->q + 1) + j];
            size_t b = (size_t)nb;
            if (b == a || (dir < 0 && b != z))
                continue;
            if (!(S->load[b] + wi < S->load[a]) ||
                fmax(fabs(S->load[a] - wi - S->mean), fabs(S->load[b] + wi - S->mean)) >= dmax)
                continue;
            double dxb = S->x[i] - S->cx[b], dyb = S->y[i] - S->cy[b];
            double cost = dxb * dxb + dyb * dyb - da;
            if (cost < mv->cost) {
                mv->cost = cost;
                mv->i = i;
                mv->from = a;
                mv->to = b;
            }
        }
    }
}

typedef struct {
    double load;
    size_t zone;
} ts_rank;

/* Decreasing load, lower zone index first on ties. */
static int cmp_rank(const void *pa, const void *pb)
{
    const ts_rank *a = pa, *b = pb;
    if (a->load != b->load)
        return a->load > b->load ? -1 : 1;
    return a->zone < b->zone ? -1 : a->zone > b->zone;
}

/* 1 when move mv is still admissible (see best_move) under dmax. */
static int admissible(const ts_state *S, const ts_move *mv, double dmax)
{
    double wi = S->w ? S->w[mv->i] : 1.0;
    return (size_t)S->zone[mv->i] == mv->from && S->cnt[mv->from] >= 2 &&
           S->load[mv->to] + wi < S->load[mv->from] &&
           fmax(fabs(S->load[mv->from] - wi - S->mean), fabs(S->load[mv->to] + wi - S->mean)) < dmax;
}

/* near[i * (q + 1) ..] = the q nearest centres of point i (ties: lower
 * index), then its own zone; list[start[c]..start[c+1]) = the points that
 * have c among those q + 1 entries, by index, each listed once per zone;
 * adj = the k x k bit matrix of zones that share such a point.
 * Per-point work is thread-count invariant; the lists are built serially. */
static void adjacency(const double *x, const double *y, size_t n, size_t k, size_t q,
                      const double *cx, const double *cy, const int32_t *zone, int32_t *near,
                      size_t *start, size_t *list, uint8_t *adj)
{
    size_t s = q + 1;
#pragma omp parallel for schedule(static) default(none) if (n > ZS_PART_PAR_MIN) \
    shared(x, y, n, k, q, s, cx, cy, near, zone)
    for (size_t i = 0; i < n; i++) {
        double bd[NEAR];
        int32_t *ni = near + i * s;
        size_t m = 0;
        for (size_t c = 0; c < k; c++) {
            double dx = x[i] - cx[c], dy = y[i] - cy[c], d = dx * dx + dy * dy;
            if (m == q && d >= bd[q - 1])
                continue;
            size_t j = m < q ? m++ : q - 1;
            while (j > 0 && bd[j - 1] > d) {
                bd[j] = bd[j - 1];
                ni[j] = ni[j - 1];
                j--;
            }
            bd[j] = d;
            ni[j] = (int32_t)c;
        }
        ni[q] = zone[i];
        for (size_t j = 0; j < q; j++)
            if (ni[j] == zone[i])
                ni[q] = -1; /* own zone already among the nearest */
    }
    memset(start, 0, (k + 1) * sizeof *start);
    for (size_t e = 0; e < n * s; e++)
        if (near[e] >= 0)
            start[near[e] + 1]++;
    for (size_t c = 0; c < k; c++)
        start[c + 1] += start[c];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < s; j++)
            if (near[i * s + j] >= 0)
                list[start[near[i * s + j]]++] = i;
    for (size_t c = k; c > 0; c--) /* undo the fill's advance */
        start[c] = start[c - 1];
    start[0] = 0;
    /* adj: bit (a, b) set when a point lists both a and b. */
    size_t row = (k + 7) / 8;
    memset(adj, 0, k * row);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < s; j++)
            for (size_t l = 0; l < s; l++) {
                int32_t a = near[i * s + j], b = near[i * s + l];
                if (a >= 0 && b >= 0)
                    adj[(size_t)a * row + (size_t)b / 8] |= (uint8_t)(1u << (b % 8));
            }
}

zs_status zs_part_boundary_moves(zs_partition *p, const double *x, const double *y,
                                 const double *w, const double *gw, double tol,
                                 size_t max_moves, zs_err *err)
{
    size_t n = p->n, k = p->k;
    zs_status st = ZS_OK;
    size_t q = k < NEAR ? k : NEAR;
    int32_t *near = zs_malloc_array(n * (q + 1), sizeof *near);
    size_t *start = zs_calloc(k + 1, sizeof *start);
    size_t *list = zs_malloc_array(n * (q + 1), sizeof *list);
    double *sw = zs_malloc_array(k, sizeof *sw);
    size_t *cnt = zs_calloc(k, sizeof *cnt);
    double *load = zs_calloc(k, sizeof *load);
    ts_rank *order = zs_malloc_array(k, sizeof *order);
    ts_move *cache = zs_malloc_array(k, sizeof *cache);
    uint8_t *valid = zs_calloc(k, sizeof *valid);
    uint8_t *adj = zs_malloc_array(k, (k + 7) / 8);
    if (!near || !start || !list || !cnt || !load || !order || !sw || !cache || !valid || !adj) {
        st = ZS_NOMEM(err);
        goto done;
    }
    const double *cx = p->cx, *cy = p->cy;
    adjacency(x, y, n, k, q, cx, cy, p->zone, near, start, list, adj);
    double total = 0.0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        load[p->zone[i]] += wi;
        cnt[p->zone[i]]++;
        total += wi;
    }
    double mean = total / (double)k;
    size_t limit = max_moves ? max_moves : 10 * n, moves = 0, moves_at_refresh = 0;
    int32_t *zone = p->zone;
    ts_state S = {x, y, w, zone, near, q, start, list, cnt, load, cx, cy, mean, n};
    while (moves < limit && mean > 0.0) {
        size_t zs = 0;
        for (size_t c = 1; c < k; c++)
            if (fabs(load[c] - mean) > fabs(load[zs] - mean))
                zs = c;
        double dmax = fabs(load[zs] - mean);
        if (dmax <= tol * mean)
            break;
        ts_move mv = {n, 0, 0, HUGE_VAL};
        best_move(&S, zs, load[zs] > mean ? 1 : -1, dmax, &mv);
        /* The most deviating zone has no move: push load down a gradient
         * elsewhere (from the heaviest zone that can give a point to a
         * lighter neighbour) so a later move can reach it.  Each zone's
         * best such move is cached until its load or a neighbour's changes:
         * dmax only falls, which only removes moves, so a cached move that
         * is still admissible is still the cheapest, and a cached "none"
         * stays none. */
        if (mv.i == n) {
            for (size_t c = 0; c < k; c++) {
                order[c].load = load[c];
                order[c].zone = c;
            }
            qsort(order, k, sizeof *order, cmp_rank);
        }
        for (size_t r = 0; mv.i == n && r < k; r++) {
            size_t a = order[r].zone;
            if (!valid[a] || (cache[a].i != n && !admissible(&S, &cache[a], dmax))) {
                cache[a] = (ts_move){n, 0, 0, HUGE_VAL};
                best_move(&S, a, 0, dmax, &cache[a]);
                valid[a] = 1;
            }
            if (cache[a].i != n)
                mv = cache[a];
        }
        if (mv.i == n) {
            /* Stuck.  If points moved since the centres were last set, the
             * boundaries have shifted: recentre, find each point's nearest
             * centres again and retry; otherwise no move is left. */
            if (moves == moves_at_refresh)
                break;
            zs_part_centres_ws(p, x, y, gw, sw, cnt);
            adjacency(x, y, n, k, q, cx, cy, zone, near, start, list, adj);
            memset(valid, 0, k * sizeof *valid);
            moves_at_refresh = moves;
            continue;
        }
        double wi = w ? w[mv.i] : 1.0;
        zone[mv.i] = (int32_t)mv.to;
        load[mv.from] -= wi;
        load[mv.to] += wi;
        cnt[mv.from]--;
        cnt[mv.to]++;
        moves++;
        size_t row = (k + 7) / 8;
        const uint8_t *af = adj + mv.from * row, *at = adj + mv.to * row;
        for (size_t c = 0; c < k; c++)
            if (((af[c / 8] | at[c / 8]) >> (c % 8)) & 1u)
                valid[c] = 0;
        valid[mv.from] = valid[mv.to] = 0;
    }
    if ((st = zs_part_centres(p, x, y, gw, err)) != ZS_OK)
        goto done;
    p->balance.moves += moves;
done:
    zs_free(near);
    zs_free(start);
    zs_free(list);
    zs_free(cnt);
    zs_free(load);
    zs_free(order);
    zs_free(sw);
    zs_free(cache);
    zs_free(valid);
    zs_free(adj);
    return st;
}

zs_status zs_part_two_stage(const double *x, const double *y, const double *w, size_t n,
                            const zs_partition_opts *o, zs_partition **out, zs_err *err)
{
    zs_partition *p = NULL;
    zs_status st = zs_partition_kmeans(x, y, w, n, o->k, &o->kmeans, &p, err);
    if (st != ZS_OK)
        return st;
    st = zs_part_boundary_moves(p, x, y, w, o->kmeans.weighted ? w : NULL, o->tolerance,
                                o->max_moves, err);
    if (st != ZS_OK) {
        zs_partition_free(p);
        return st;
    }
    snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_HEURISTIC);
    *out = p;
    return ZS_OK;
}
