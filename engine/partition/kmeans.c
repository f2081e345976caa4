/*
 * engine/partition/kmeans.c -- k-means (Lloyd) with greedy k-means++ seeding.
 *
 * Seeding is greedy k-means++ (Arthur & Vassilvitskii 2007, the variant
 * scikit-learn uses by default): the first centre is drawn with probability
 * proportional to w_i; each next one is the best of L = 2 + floor(ln k)
 * candidates drawn with probability proportional to w_i * D_i^2 (D_i the
 * distance to the nearest centre so far), best meaning the lowest potential
 * sum_i w_i * min(D_i^2, d(i, candidate)^2), ties to the lower point index.
 * Every seeding step draws exactly L uniforms from the restart's keyed
 * stream, used or not, so the stream stays aligned.
 *
 * Points are cut into fixed blocks of KM_BLOCK; the parallel loops give each
 * block its own slot of partial sums and the slots are added serially in
 * block order afterwards.  Which thread ran a block never enters a sum, so
 * the result is bit-identical for any thread count.  All arrays are made
 * once per call; the iterations do not allocate.
 *
 * Lloyd steps are exact but skip most distance evaluations with Hamerly's
 * bounds (G. Hamerly, "Making k-means even faster", SDM 2010): one upper
 * bound per point on the distance to its centre, one lower bound on the
 * distance to every other centre.  Bounds are widened against rounding
 * (KM_SLACK), so every step assigns exactly as a plain scan of all k
 * centres would, ties to the lower index included; tests/test_partition.c
 * compares each step with a plain Lloyd.  Points that need a scan are
 * gathered into tiles and scanned centre by centre in a loop the compiler
 * vectorises.
 */
#include "partition/partition.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/alloc.h"
#include "models/rng.h"
#include "partition/partition_internal.h"

/* Points per block: large enough that a block's k partial sums are cheap
 * next to its n*k distance evaluations, small enough to balance threads
 * (10^6 points give 245 blocks). */
#define KM_BLOCK 4096

/* Fewest blocks worth a parallel region: a step over fewer than 8 blocks
 * (32k points) costs tens of microseconds, which a team's start and
 * barrier (and a descheduled thread on a busy machine) would swamp.  Only
 * how many threads run changes with it, never a result. */
#define KM_PAR_BLOCKS 8

void zs_kmeans_opts_defaults(zs_kmeans_opts *o)
{
    o->seed = 1;
    o->restarts = 4;
    o->max_iter = 300;
    o->tol = 0.0;
    o->weighted = 0;
    o->init_x = NULL;
    o->init_y = NULL;
}

zs_status zs_kmeans_opts_validate(const zs_kmeans_opts *o, zs_err *err)
{
    if (o->restarts < 1)
        return zs_err_set(err, ZS_EINVAL, "kmeans.restarts = %d; must be >= 1", o->restarts);
    if (o->max_iter < 1)
        return zs_err_set(err, ZS_EINVAL, "kmeans.max_iter = %d; must be >= 1", o->max_iter);
    if (!(o->tol >= 0.0) || !isfinite(o->tol))
        return zs_err_set(err, ZS_EINVAL, "kmeans.tol = %g; must be finite and >= 0", o->tol);
    if (o->init_x && o->restarts != 1)
        return zs_err_set(err, ZS_EINVAL,
                          "kmeans.restarts = %d; must be 1 with initial centres (kmeans.init_x/init_y)",
                          o->restarts);
    if (o->weighted != 0 && o->weighted != 1)
        return zs_err_set(err, ZS_EINVAL, "kmeans.weighted = %d; must be 0 or 1", o->weighted);
    return ZS_OK;
}

size_t zs_partition_capacity_k(double daily_stops, double stops_per_hour, double hours)
{
    double per_zone = stops_per_hour * hours;
    if (!(daily_stops > 0.0) || !(per_zone > 0.0))
        return 1;
    /* 1e-9 absorbs rounding in the division: 840 / (3.5 * 8) must stay 30,
     * not become 31 through a quotient of 30.000000000000004. */
    double k = ceil(daily_stops / per_zone - 1e-9);
    if (!(k >= 1.0))
        return 1;
    if (k >= (double)SIZE_MAX)
        return SIZE_MAX;
    return (size_t)k;
}

/* Points per distance tile: the tile's coordinates and best/second-best
 * slots (5 x 256 doubles = 10 KiB) stay in L1 while every centre passes
 * over them. */
#define KM_TILE 256

/* Relative slack of Hamerly's bounds.  Every bound is widened by this
 * factor whenever it is computed or moved, so it stays a true bound despite
 * rounding (each step errs by a few units of 2^-53 = 1.1e-16), and a point
 * is skipped only when its own centre is nearer than every other by a
 * relative margin far above the rounding of dx*dx + dy*dy.  Skipping
 * therefore never changes an assignment that the full scan would make,
 * ties included, and costs only the rare extra scan of a near-tie. */
#define KM_SLACK 1e-13

/* Scratch of one thread for one tile of full scans. */
typedef struct {
    size_t *idx;                /* KM_TILE point indices */
    double *tx, *ty;            /* their coordinates */
    double *bd, *sd, *bc;       /* nearest and second-nearest d2, nearest centre */
} km_tile;

/* State of one k-means call, structure of arrays. */
typedef struct {
    const double *x, *y, *w; /* w NULL: unit weights */
    size_t n, k, nb;         /* points, zones, blocks */
    double *cx, *cy;         /* k centres of the running restart */
    int32_t *zone;           /* n assignments of the running restart */
    double *d2;              /* n: seeding: d2 to the nearest centre; Lloyd: to
                                the own centre, filled only for empty zones */
    double *ub, *lb;         /* n Hamerly bounds: upper on the distance to the own
                                centre, lower on the distance to every other */
    double *ox, *oy;         /* k centres before the last update */
    double *mv;              /* k distances each centre moved in the last update */
    double *hs;              /* k: half the distance to the nearest other centre */
    double mv_max, mv_2nd;   /* largest and second largest of mv */
    size_t mv_arg;           /* index of mv_max */
    int bounded;             /* ub, lb and mv valid (not the first iteration) */
    int want_sse;            /* accumulate bsse during assignment (tol > 0) */
    double *bsw, *bsx, *bsy; /* nb x k per-block sums of w, w*x, w*y */
    size_t *bcnt;            /* nb x k per-block point counts */
    double *bsse;            /* nb per-block sums of w * d2 */
    size_t nt;               /* seeding candidates per centre, 2 + floor(ln k) */
    size_t *cand;            /* nt candidate point indices of one seeding step */
    double *bpot;            /* nb x nt per-block potentials of the candidates */
    size_t *bchg;            /* nb per-block count of changed assignments */
    double *sw, *sx, *sy;    /* k totals */
    size_t *cnt;             /* k totals */
    int nthr;                /* threads the scratch was made for */
    size_t *tidx;            /* nthr x KM_TILE */
    double *tbuf;            /* nthr x 5 x KM_TILE */
} km;

static inline double weight(const km *s, size_t i)
{
    return s->w ? s->w[i] : 1.0;
}

static void block_range(const km *s, size_t b, size_t *i0, size_t *i1)
{
    *i0 = b * KM_BLOCK;
    *i1 = *i0 + KM_BLOCK < s->n ? *i0 + KM_BLOCK : s->n;
}

/* The squared distance, written once so that every path rounds alike. */
static inline double dist2(double px, double py, double cx, double cy)
{
    double dx = px - cx, dy = py - cy;
    return dx * dx + dy * dy;
}

/* Seeding: d2[i] = min(d2[i], distance to centre c); bsse[b] = sum w*d2. */
static void seed_block(km *s, size_t b, size_t c)
{
    size_t i0, i1;
    block_range(s, b, &i0, &i1);
    double cx = s->cx[c], cy = s->cy[c], sum = 0.0;
    for (size_t i = i0; i < i1; i++) {
        double d = dist2(s->x[i], s->y[i], cx, cy);
        if (d < s->d2[i])
            s->d2[i] = d;
        sum += weight(s, i) * s->d2[i];
    }
    s->bsse[b] = sum;
}

/* Nearest and second-nearest centre of nt points by full scan.  The centre
 * loop is outside so that the point loop vectorises (best index kept as a
 * double: same lane width as the distances, so one mask selects all three).
 * Centres are visited in index order and replace the best only when
 * strictly nearer, so ties go to the lower index as in a plain scan. */
static void scan_tile(const double *restrict cx, const double *restrict cy, size_t k, size_t nt,
                      const double *restrict tx, const double *restrict ty, double *restrict bd,
                      double *restrict sd, double *restrict bc)
{
#pragma omp simd
    for (size_t j = 0; j < nt; j++) {
        bd[j] = HUGE_VAL;
        sd[j] = HUGE_VAL;
        bc[j] = 0.0;
    }
    for (size_t c = 0; c < k; c++) {
        double ccx = cx[c], ccy = cy[c], cc = (double)c;
#pragma omp simd
        for (size_t j = 0; j < nt; j++) {
            double dx = tx[j] - ccx, dy = ty[j] - ccy;
            double d = dx * dx + dy * dy;
            double b = bd[j], s2 = sd[j], o = bc[j];
            /* Branch-free so it if-converts: sd >= bd always holds, so the
             * new second best is min(sd, max(bd, d)). */
            double hi = d < b ? b : d;
            double lo = d < b ? d : b;
            double ni = d < b ? cc : o;
            sd[j] = hi < s2 ? hi : s2;
            bc[j] = ni;
            bd[j] = lo;
        }
    }
}

/* Full scans of the tile's points: new zones and fresh bounds. */
static size_t flush_tile(km *s, km_tile *t, size_t nt)
{
    size_t changed = 0;
    for (size_t j = 0; j < nt; j++) {
        t->tx[j] = s->x[t->idx[j]];
        t->ty[j] = s->y[t->idx[j]];
    }
    scan_tile(s->cx, s->cy, s->k, nt, t->tx, t->ty, t->bd, t->sd, t->bc);
    for (size_t j = 0; j < nt; j++) {
        size_t i = t->idx[j];
        int32_t best = (int32_t)t->bc[j];
        if (s->zone[i] != best) {
            s->zone[i] = best;
            changed++;
        }
        s->ub[i] = sqrt(t->bd[j]) * (1.0 + KM_SLACK);
        s->lb[i] = sqrt(t->sd[j]) * (1.0 - KM_SLACK);
    }
    return changed;
}

/* Lloyd assignment of block b to the nearest centre (lower index on ties),
 * with the block's partial sums.  Hamerly (2010): a point keeps its zone
 * without a scan when its upper bound is below both its lower bound and
 * half the distance from its centre to the nearest other centre. */
static void assign_block(km *s, size_t b, km_tile *t)
{
    size_t k = s->k, i0, i1;
    block_range(s, b, &i0, &i1);
    size_t changed = 0, nt = 0;
    for (size_t i = i0; i < i1; i++) {
        if (s->bounded) {
            size_t a = (size_t)s->zone[i];
            double u = (s->ub[i] + s->mv[a]) * (1.0 + KM_SLACK);
            double l = (s->lb[i] - (a == s->mv_arg ? s->mv_2nd : s->mv_max)) * (1.0 - KM_SLACK);
            double m = l > s->hs[a] ? l : s->hs[a];
            s->lb[i] = l;
            if (u < m) {
                s->ub[i] = u;
                continue;
            }
            /* Tighten the upper bound to the true distance and try again. */
            u = sqrt(dist2(s->x[i], s->y[i], s->cx[a], s->cy[a])) * (1.0 + KM_SLACK);
            s->ub[i] = u;
            if (u < m)
                continue;
        }
        t->idx[nt++] = i;
        if (nt == KM_TILE) {
            changed += flush_tile(s, t, nt);
            nt = 0;
        }
    }
    if (nt)
        changed += flush_tile(s, t, nt);

    double *sw = s->bsw + b * k, *sx = s->bsx + b * k, *sy = s->bsy + b * k;
    size_t *cnt = s->bcnt + b * k;
    memset(sw, 0, k * sizeof *sw);
    memset(sx, 0, k * sizeof *sx);
    memset(sy, 0, k * sizeof *sy);
    memset(cnt, 0, k * sizeof *cnt);
    double sse = 0.0;
    for (size_t i = i0; i < i1; i++) {
        int32_t c = s->zone[i];
        double wi = weight(s, i), px = s->x[i], py = s->y[i];
        sw[c] += wi;
        sx[c] += wi * px;
        sy[c] += wi * py;
        cnt[c]++;
        /* Only the tolerance test needs the SSE of every iteration; it is
         * the same sum, in the same order, as a plain Lloyd step makes. */
        if (s->want_sse)
            sse += wi * dist2(px, py, s->cx[c], s->cy[c]);
    }
    s->bsse[b] = sse;
    s->bchg[b] = changed;
}

/* bsse[b] = weighted SSE of block b to the current centres. */
static void sse_block(km *s, size_t b)
{
    size_t i0, i1;
    block_range(s, b, &i0, &i1);
    double sse = 0.0;
    for (size_t i = i0; i < i1; i++) {
        int32_t c = s->zone[i];
        sse += weight(s, i) * dist2(s->x[i], s->y[i], s->cx[c], s->cy[c]);
    }
    s->bsse[b] = sse;
}

/* d2[i] = squared distance of each point of block b to its own centre. */
static void own_d2_block(km *s, size_t b)
{
    size_t i0, i1;
    block_range(s, b, &i0, &i1);
    for (size_t i = i0; i < i1; i++) {
        int32_t c = s->zone[i];
        s->d2[i] = dist2(s->x[i], s->y[i], s->cx[c], s->cy[c]);
    }
}

/* Greedy seeding: bpot[b * nt + j] = sum over block b of
 * w_i * min(d2[i], distance to candidate j), each candidate's sum in point
 * order. */
static void pot_block(km *s, size_t b)
{
    size_t i0, i1, nt = s->nt;
    block_range(s, b, &i0, &i1);
    double *bp = s->bpot + b * nt;
    for (size_t j = 0; j < nt; j++) {
        double px = s->x[s->cand[j]], py = s->y[s->cand[j]], sum = 0.0;
        for (size_t i = i0; i < i1; i++) {
            double d = dist2(s->x[i], s->y[i], px, py);
            double m = d < s->d2[i] ? d : s->d2[i];
            sum += weight(s, i) * m;
        }
        bp[j] = sum;
    }
}

static void run_pot_blocks(km *s)
{
    size_t nb = s->nb;
#pragma omp parallel for schedule(static) default(none) shared(s, nb) if (nb >= KM_PAR_BLOCKS)
    for (size_t b = 0; b < nb; b++)
        pot_block(s, b);
}

static void run_seed_blocks(km *s, size_t c)
{
    size_t nb = s->nb;
#pragma omp parallel for schedule(static) default(none) shared(s, nb, c) if (nb >= KM_PAR_BLOCKS)
    for (size_t b = 0; b < nb; b++)
        seed_block(s, b, c);
}

/* Which thread runs a block only picks its scratch tile; nothing it
 * computes depends on it.  Dynamic scheduling balances blocks whose points
 * mostly skip against blocks that need full scans. */
static void run_assign_blocks(km *s)
{
    size_t nb = s->nb;
#pragma omp parallel for schedule(dynamic, 1) default(none) shared(s, nb) if (nb >= KM_PAR_BLOCKS) \
    num_threads(s->nthr)
    for (size_t b = 0; b < nb; b++) {
        size_t t = (size_t)omp_get_thread_num();
        double *buf = s->tbuf + t * 5 * KM_TILE;
        km_tile tile = {s->tidx + t * KM_TILE, buf, buf + KM_TILE, buf + 2 * KM_TILE,
                        buf + 3 * KM_TILE, buf + 4 * KM_TILE};
        assign_block(s, b, &tile);
    }
}

static void run_own_d2_blocks(km *s)
{
    size_t nb = s->nb;
#pragma omp parallel for schedule(static) default(none) shared(s, nb) if (nb >= KM_PAR_BLOCKS)
    for (size_t b = 0; b < nb; b++)
        own_d2_block(s, b);
}

static double total_sse(km *s)
{
    size_t nb = s->nb;
#pragma omp parallel for schedule(static) default(none) shared(s, nb) if (nb >= KM_PAR_BLOCKS)
    for (size_t b = 0; b < nb; b++)
        sse_block(s, b);
    double sse = 0.0;
    for (size_t b = 0; b < nb; b++)
        sse += s->bsse[b];
    return sse;
}

/* After a centre update: how far each centre moved (mv, its largest two
 * values) and half the distance from each centre to its nearest other one
 * (hs).  O(k^2) against O(n) points; rows are independent, so the split
 * over threads cannot change a value. */
static void update_gaps(km *s)
{
    size_t k = s->k;
    s->mv_max = 0.0;
    s->mv_2nd = 0.0;
    s->mv_arg = 0;
    for (size_t c = 0; c < k; c++) {
        double m = sqrt(dist2(s->ox[c], s->oy[c], s->cx[c], s->cy[c])) * (1.0 + KM_SLACK);
        s->mv[c] = m;
        if (m > s->mv_max) {
            s->mv_2nd = s->mv_max;
            s->mv_max = m;
            s->mv_arg = c;
        } else if (m > s->mv_2nd) {
            s->mv_2nd = m;
        }
    }
#pragma omp parallel for schedule(static) default(none) shared(s, k) if (k >= 512)
    for (size_t c = 0; c < k; c++) {
        double best = HUGE_VAL, ccx = s->cx[c], ccy = s->cy[c];
        for (size_t o = 0; o < k; o++) {
            double d = dist2(s->cx[o], s->cy[o], ccx, ccy);
            if (o != c && d < best)
                best = d;
        }
        s->hs[c] = 0.5 * sqrt(best) * (1.0 - KM_SLACK);
    }
}

/* Index drawn with probability proportional to w_i * d2[i], given the
 * block sums bsse and their serial total.  The scan inside the chosen block
 * adds in the same order as seed_block did, so the running sum reaches the
 * block's total exactly and the draw always lands. */
static size_t draw_d2(const km *s, double total, double u)
{
    double target = u * total, acc = 0.0;
    size_t last_b = s->nb;
    for (size_t b = 0; b < s->nb; b++) {
        if (!(s->bsse[b] > 0.0))
            continue;
        last_b = b;
        if (acc + s->bsse[b] <= target) {
            acc += s->bsse[b];
            continue;
        }
        size_t i0, i1;
        block_range(s, b, &i0, &i1);
        double in = 0.0;
        size_t last = i0;
        for (size_t i = i0; i < i1; i++) {
            double v = weight(s, i) * s->d2[i];
            if (!(v > 0.0))
                continue;
            last = i;
            in += v;
            if (acc + in > target)
                return i;
        }
        return last;
    }
    /* u * total rounded up to total: take the last point that can be drawn. */
    size_t i0, i1;
    block_range(s, last_b, &i0, &i1);
    for (size_t i = i1; i > i0; i--)
        if (weight(s, i - 1) * s->d2[i - 1] > 0.0)
            return i - 1;
    return i0;
}

/* Greedy k-means++ (Arthur & Vassilvitskii 2007; scikit-learn's default),
 * weighted: the first centre with probability proportional to w_i; each
 * next one the best of nt candidates drawn with probability proportional to
 * w_i * D_i^2, best being the lowest potential sum_i w_i * min(D_i^2,
 * d(i, candidate)^2), ties to the lower point index.  The potentials are
 * summed per block and the blocks added serially in block order. */
static void seed_centres(km *s, gsl_rng *r, double w_total)
{
    size_t first;
    double u = gsl_rng_uniform(r);
    if (!s->w) {
        first = (size_t)(u * (double)s->n);
        if (first >= s->n)
            first = s->n - 1;
    } else {
        double target = u * w_total, acc = 0.0;
        first = s->n;
        for (size_t i = 0; i < s->n; i++) {
            if (!(s->w[i] > 0.0))
                continue;
            first = i; /* the last positive one, should rounding overshoot */
            acc += s->w[i];
            if (acc > target)
                break;
        }
    }
    s->cx[0] = s->x[first];
    s->cy[0] = s->y[first];
    for (size_t i = 0; i < s->n; i++)
        s->d2[i] = HUGE_VAL;
    for (size_t c = 1; c < s->k; c++) {
        run_seed_blocks(s, c - 1);
        double total = 0.0;
        for (size_t b = 0; b < s->nb; b++)
            total += s->bsse[b];
        size_t pick;
        if (total > 0.0) {
            for (size_t j = 0; j < s->nt; j++)
                s->cand[j] = draw_d2(s, total, gsl_rng_uniform(r));
            run_pot_blocks(s);
            double best = HUGE_VAL;
            pick = s->cand[0];
            for (size_t j = 0; j < s->nt; j++) {
                double pot = 0.0;
                for (size_t b = 0; b < s->nb; b++)
                    pot += s->bpot[b * s->nt + j];
                if (pot < best || (pot == best && s->cand[j] < pick)) {
                    best = pot;
                    pick = s->cand[j];
                }
            }
        } else {
            /* Drawn even when unused: the stream stays aligned. */
            for (size_t j = 0; j < s->nt; j++)
                (void)gsl_rng_uniform(r);
            /* Every point of positive weight is already a centre: take the
             * first point off the centres, else any (Lloyd then re-seeds
             * the duplicate as an empty cluster). */
            pick = c;
            for (size_t i = 0; i < s->n; i++)
                if (s->d2[i] > 0.0) {
                    pick = i;
                    break;
                }
        }
        s->cx[c] = s->x[pick];
        s->cy[c] = s->y[pick];
    }
}

/* Fills every empty zone with the point farthest from its centre (lowest
 * index on ties) among zones that keep at least one point.  Returns the
 * number of points moved.  Needs d2 to the own centre (run_own_d2_blocks);
 * a moved point loses its bounds, so the next step scans it in full. */
static size_t fill_empty(km *s)
{
    size_t moved = 0;
    for (size_t c = 0; c < s->k; c++) {
        if (s->cnt[c] > 0)
            continue;
        size_t best = s->n;
        double bd = -1.0;
        for (size_t i = 0; i < s->n; i++)
            if (s->cnt[s->zone[i]] >= 2 && s->d2[i] > bd) {
                bd = s->d2[i];
                best = i;
            }
        if (best == s->n)
            break; /* impossible while k <= n */
        size_t old = (size_t)s->zone[best];
        double wi = weight(s, best), px = s->x[best], py = s->y[best];
        s->sw[old] -= wi;
        s->sx[old] -= wi * px;
        s->sy[old] -= wi * py;
        s->cnt[old]--;
        s->sw[c] = wi;
        s->sx[c] = wi * px;
        s->sy[c] = wi * py;
        s->cnt[c] = 1;
        s->cx[c] = px; /* exact even when wi = 0 leaves the mean undefined */
        s->cy[c] = py;
        s->zone[best] = (int32_t)c;
        s->d2[best] = 0.0;
        s->ub[best] = HUGE_VAL;
        s->lb[best] = 0.0;
        moved++;
    }
    return moved;
}

/* One restart of Lloyd from the current centres.  Returns the iterations
 * run; *converged is set when assignments stopped changing or the SSE
 * decrease fell below tol. */
static int lloyd(km *s, int max_iter, double tol, int *converged)
{
    size_t k = s->k;
    double prev_sse = HUGE_VAL;
    *converged = 0;
    for (size_t i = 0; i < s->n; i++)
        s->zone[i] = -1;
    s->bounded = 0;
    s->want_sse = tol > 0.0;
    int it;
    for (it = 1; it <= max_iter; it++) {
        run_assign_blocks(s);
        memset(s->sw, 0, k * sizeof *s->sw);
        memset(s->sx, 0, k * sizeof *s->sx);
        memset(s->sy, 0, k * sizeof *s->sy);
        memset(s->cnt, 0, k * sizeof *s->cnt);
        double sse = 0.0;
        size_t changed = 0;
        for (size_t b = 0; b < s->nb; b++) {
            const double *bw = s->bsw + b * k, *bx = s->bsx + b * k, *by = s->bsy + b * k;
            const size_t *bc = s->bcnt + b * k;
            for (size_t c = 0; c < k; c++) {
                s->sw[c] += bw[c];
                s->sx[c] += bx[c];
                s->sy[c] += by[c];
                s->cnt[c] += bc[c];
            }
            sse += s->bsse[b];
            changed += s->bchg[b];
        }
        /* Centre movements are measured from where the centres stood
         * during the assignment, before fill_empty moves any. */
        memcpy(s->ox, s->cx, k * sizeof *s->ox);
        memcpy(s->oy, s->cy, k * sizeof *s->oy);
        int any_empty = 0;
        for (size_t c = 0; c < k; c++)
            any_empty |= s->cnt[c] == 0;
        if (any_empty) {
            run_own_d2_blocks(s);
            changed += fill_empty(s);
        }
        /* A zone of zero-weight points keeps its centre: its weighted mean
         * is undefined and it still attracts its points. */
        for (size_t c = 0; c < k; c++)
            if (s->sw[c] > 0.0) {
                s->cx[c] = s->sx[c] / s->sw[c];
                s->cy[c] = s->sy[c] / s->sw[c];
            }
        if (changed == 0) {
            *converged = 1;
            break;
        }
        if (tol > 0.0 && prev_sse < HUGE_VAL && prev_sse - sse < tol * prev_sse) {
            *converged = 1;
            break;
        }
        prev_sse = sse;
        update_gaps(s);
        s->bounded = 1;
    }
    return it > max_iter ? max_iter : it;
}

static zs_status check_input(const double *x, const double *y, const double *w, size_t n,
                             size_t k, const zs_kmeans_opts *opts, double *w_total, zs_err *err)
{
    if (k < 1)
        return zs_err_set(err, ZS_EINVAL, "k = %zu; must be >= 1", k);
    if (k > n)
        return zs_err_set(err, ZS_EINVAL, "k = %zu exceeds the number of points (%zu)", k, n);
    if ((size_t)INT32_MAX < k)
        return zs_err_set(err, ZS_EINVAL, "k = %zu; must be <= %ld", k, (long)INT32_MAX);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return zs_err_set(err, ZS_EINVAL, "point index %zu has a non-finite coordinate (%g, %g)",
                              i, x[i], y[i]);
    if ((opts->init_x == NULL) != (opts->init_y == NULL))
        return zs_err_set(err, ZS_EINVAL, "kmeans.%s is NULL while kmeans.%s is set; give both or neither",
                          opts->init_x ? "init_y" : "init_x", opts->init_x ? "init_x" : "init_y");
    for (size_t c = 0; opts->init_x && c < k; c++)
        if (!isfinite(opts->init_x[c]) || !isfinite(opts->init_y[c]))
            return zs_err_set(err, ZS_EINVAL,
                              "kmeans.init_x/init_y: initial centre %zu = (%g, %g); must be finite",
                              c, opts->init_x[c], opts->init_y[c]);
    *w_total = (double)n;
    if (!w)
        return ZS_OK;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(w[i] >= 0.0) || !isfinite(w[i]))
            return zs_err_set(err, ZS_EINVAL,
                              "weight of point index %zu = %g; weights must be finite and >= 0",
                              i, w[i]);
        sum += w[i];
    }
    if (!(sum > 0.0))
        return zs_err_set(err, ZS_EINVAL,
                          "all %zu weights are zero; weighted k-means needs a positive total", n);
    *w_total = sum;
    return ZS_OK;
}

static void km_free(km *s)
{
    zs_free(s->cx);
    zs_free(s->cy);
    zs_free(s->zone);
    zs_free(s->d2);
    zs_free(s->ub);
    zs_free(s->lb);
    zs_free(s->ox);
    zs_free(s->oy);
    zs_free(s->mv);
    zs_free(s->hs);
    zs_free(s->tidx);
    zs_free(s->tbuf);
    zs_free(s->bsw);
    zs_free(s->bsx);
    zs_free(s->bsy);
    zs_free(s->bcnt);
    zs_free(s->bsse);
    zs_free(s->bchg);
    zs_free(s->cand);
    zs_free(s->bpot);
    zs_free(s->sw);
    zs_free(s->sx);
    zs_free(s->sy);
    zs_free(s->cnt);
}

static int km_alloc(km *s)
{
    size_t n = s->n, k = s->k, nb = s->nb;
    s->cx = zs_malloc_array(k, sizeof *s->cx);
    s->cy = zs_malloc_array(k, sizeof *s->cy);
    s->zone = zs_malloc_array(n, sizeof *s->zone);
    s->d2 = zs_malloc_array(n, sizeof *s->d2);
    s->bsse = zs_malloc_array(nb, sizeof *s->bsse);
    s->bchg = zs_malloc_array(nb, sizeof *s->bchg);
    s->cand = zs_malloc_array(s->nt, sizeof *s->cand);
    s->sw = zs_malloc_array(k, sizeof *s->sw);
    s->sx = zs_malloc_array(k, sizeof *s->sx);
    s->sy = zs_malloc_array(k, sizeof *s->sy);
    s->cnt = zs_malloc_array(k, sizeof *s->cnt);
    s->ub = zs_malloc_array(n, sizeof *s->ub);
    s->lb = zs_malloc_array(n, sizeof *s->lb);
    s->ox = zs_malloc_array(k, sizeof *s->ox);
    s->oy = zs_malloc_array(k, sizeof *s->oy);
    s->mv = zs_malloc_array(k, sizeof *s->mv);
    s->hs = zs_malloc_array(k, sizeof *s->hs);
    s->tidx = zs_malloc_array((size_t)s->nthr * KM_TILE, sizeof *s->tidx);
    s->tbuf = zs_malloc_array((size_t)s->nthr * 5 * KM_TILE, sizeof *s->tbuf);
    if (!s->cx || !s->cy || !s->zone || !s->d2 || !s->bsse || !s->bchg || !s->sw || !s->sx ||
        !s->sy || !s->cnt || !s->ub || !s->lb || !s->ox || !s->oy || !s->mv || !s->hs ||
        !s->tidx || !s->tbuf || !s->cand)
        return 0;
    if (k && nb > SIZE_MAX / k)
        return 0;
    /* nb <= SIZE_MAX / KM_BLOCK and nt <= 23, so nb * nt cannot overflow. */
    s->bpot = zs_malloc_array(nb * s->nt, sizeof *s->bpot);
    s->bsw = zs_malloc_array(nb * k, sizeof *s->bsw);
    s->bsx = zs_malloc_array(nb * k, sizeof *s->bsx);
    s->bsy = zs_malloc_array(nb * k, sizeof *s->bsy);
    s->bcnt = zs_malloc_array(nb * k, sizeof *s->bcnt);
    return s->bsw && s->bsx && s->bsy && s->bcnt && s->bpot;
}

zs_status zs_partition_kmeans(const double *x, const double *y, const double *w,
                              size_t n, size_t k, const zs_kmeans_opts *opts,
                              zs_partition **out, zs_err *err)
{
    double t0 = omp_get_wtime();
    *out = NULL;
    zs_kmeans_opts def;
    if (!opts) {
        zs_kmeans_opts_defaults(&def);
        opts = &def;
    }
    zs_status st = zs_kmeans_opts_validate(opts, err);
    if (st != ZS_OK)
        return st;
    /* The weights count only when the options ask for them: the caller may
     * hand over parcels either way. */
    if (!opts->weighted)
        w = NULL;
    double w_total = 0.0;
    if ((st = check_input(x, y, w, n, k, opts, &w_total, err)) != ZS_OK)
        return st;

    km s;
    memset(&s, 0, sizeof s);
    s.x = x;
    s.y = y;
    s.w = w;
    s.n = n;
    s.k = k;
    s.nb = (n + KM_BLOCK - 1) / KM_BLOCK;
    /* log(k) of an integer k > 1 is never an integer, so floor cannot
     * slip on rounding. */
    s.nt = 2 + (size_t)floor(log((double)k));
    /* Scratch for the largest team the assignment region may get. */
    s.nthr = omp_get_max_threads();
    if (s.nthr < 1)
        s.nthr = 1;
    gsl_rng *r = NULL;
    zs_partition *p = NULL;
    if (!km_alloc(&s) || !(r = zs_rng_create()) || !(p = zs_partition_alloc(n, k, NULL))) {
        st = ZS_NOMEM(err);
        goto done;
    }

    double best_sse = HUGE_VAL;
    for (int rs = 0; rs < opts->restarts; rs++) {
        zs_rng_rekey(r, zs_rng_key(opts->seed, (uint64_t)rs, 0, 0, ZS_PURPOSE_PARTITION));
        if (opts->init_x) {
            memcpy(s.cx, opts->init_x, k * sizeof *s.cx);
            memcpy(s.cy, opts->init_y, k * sizeof *s.cy);
        } else {
            seed_centres(&s, r, w_total);
        }
        int conv;
        int iters = lloyd(&s, opts->max_iter, opts->tol, &conv);
        double sse = total_sse(&s);
        if (rs == 0 || sse < best_sse) { /* ties keep the earlier restart */
            best_sse = sse;
            /* Swap rather than copy: the next restart overwrites s anyway. */
            int32_t *tz = p->zone; p->zone = s.zone; s.zone = tz;
            double *t = p->cx; p->cx = s.cx; s.cx = t;
            t = p->cy; p->cy = s.cy; s.cy = t;
            p->iterations = iters;
            p->converged = conv;
        }
    }
    p->objective = best_sse;
    snprintf(p->method, sizeof p->method, "kmeans");
    snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_HEURISTIC);
    p->runtime_s = omp_get_wtime() - t0;
    *out = p;
    p = NULL;
done:
    zs_partition_free(p);
    gsl_rng_free(r);
    km_free(&s);
    return st;
}
