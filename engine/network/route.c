/*
 * engine/network/route.c -- nearest neighbour + 2-opt tours (see route.h).
 *
 * The tour is kept as coordinates in visiting order (tx, ty) next to the
 * positions into idx (tp), with the depot fixed at slot 0: a 2-opt move
 * then reverses one contiguous run of the three arrays, and the inner loop
 * reads memory sequentially.  Everything lives in the workspace, so a tour
 * never allocates.
 */
#include "network/route.h"

#include <math.h>
#include <string.h>

#include "models/alloc.h"

/* A pass scans every 2-opt move once; a converging tour needs a handful,
 * so the limit only guards against cycling on rounding noise. */
#define ROUTE_MAX_PASSES 1000

/* A move must shorten the tour by more than this fraction of its length:
 * smaller "gains" are rounding and could make two moves undo each other. */
#define ROUTE_REL_EPS 1e-9

struct zs_route_ws {
    size_t max_stops;
    double *tx, *ty; /* max_stops + 1: tour in visiting order, depot at 0 */
    size_t *tp;      /* max_stops + 1: position into idx of each slot (slot 0 unused) */
    double *rx, *ry; /* max_stops: stops not yet visited by nearest neighbour */
    size_t *rp;      /* their positions, kept increasing so ties go to the lower one */
    double *fw, *bw; /* max_stops + 2: prefix costs of the tour forwards and backwards
                        (tours on a cost function only) */
};

zs_route_ws *zs_route_ws_create(size_t max_stops)
{
    zs_route_ws *ws = zs_calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->max_stops = max_stops;
    size_t n = max_stops + 1;
    ws->tx = zs_malloc_array(n, sizeof *ws->tx);
    ws->ty = zs_malloc_array(n, sizeof *ws->ty);
    ws->tp = zs_malloc_array(n, sizeof *ws->tp);
    ws->rx = zs_malloc_array(n, sizeof *ws->rx);
    ws->ry = zs_malloc_array(n, sizeof *ws->ry);
    ws->rp = zs_malloc_array(n, sizeof *ws->rp);
    ws->fw = zs_malloc_array(n + 1, sizeof *ws->fw);
    ws->bw = zs_malloc_array(n + 1, sizeof *ws->bw);
    if (!ws->tx || !ws->ty || !ws->tp || !ws->rx || !ws->ry || !ws->rp || !ws->fw || !ws->bw) {
        zs_route_ws_free(ws);
        return NULL;
    }
    return ws;
}

void zs_route_ws_free(zs_route_ws *ws)
{
    if (!ws)
        return;
    zs_free(ws->tx);
    zs_free(ws->ty);
    zs_free(ws->tp);
    zs_free(ws->rx);
    zs_free(ws->ry);
    zs_free(ws->rp);
    zs_free(ws->fw);
    zs_free(ws->bw);
    zs_free(ws);
}

static inline double dist(double ax, double ay, double bx, double by)
{
    double dx = ax - bx, dy = ay - by;
    return sqrt(dx * dx + dy * dy);
}

double zs_route_length(const double *x, const double *y, const size_t *idx, size_t m,
                       double depot_x, double depot_y)
{
    double len = 0.0, px = depot_x, py = depot_y;
    for (size_t i = 0; i < m; i++) {
        len += dist(px, py, x[idx[i]], y[idx[i]]);
        px = x[idx[i]];
        py = y[idx[i]];
    }
    return m ? len + dist(px, py, depot_x, depot_y) : 0.0;
}

/* Nearest neighbour from the depot into tx/ty/tp[0..m]. */
static void nearest_neighbour(zs_route_ws *ws, const double *x, const double *y,
                              const size_t *idx, size_t m, double depot_x, double depot_y)
{
    for (size_t i = 0; i < m; i++) {
        ws->rx[i] = x[idx[i]];
        ws->ry[i] = y[idx[i]];
        ws->rp[i] = i;
    }
    ws->tx[0] = depot_x;
    ws->ty[0] = depot_y;
    ws->tp[0] = 0;
    size_t left = m;
    for (size_t s = 1; s <= m; s++) {
        double cx = ws->tx[s - 1], cy = ws->ty[s - 1];
        size_t best = 0;
        double best_d2 = HUGE_VAL;
        for (size_t j = 0; j < left; j++) {
            double dx = ws->rx[j] - cx, dy = ws->ry[j] - cy;
            double d2 = dx * dx + dy * dy;
            if (d2 < best_d2) { /* strict: the lower position wins ties */
                best_d2 = d2;
                best = j;
            }
        }
        ws->tx[s] = ws->rx[best];
        ws->ty[s] = ws->ry[best];
        ws->tp[s] = ws->rp[best];
        /* Shift down rather than swap-remove, to keep positions increasing. */
        size_t rest = left - best - 1;
        memmove(ws->rx + best, ws->rx + best + 1, rest * sizeof *ws->rx);
        memmove(ws->ry + best, ws->ry + best + 1, rest * sizeof *ws->ry);
        memmove(ws->rp + best, ws->rp + best + 1, rest * sizeof *ws->rp);
        left--;
    }
}

/* Reverses slots a..b (inclusive) of the tour. */
static void reverse(zs_route_ws *ws, size_t a, size_t b)
{
    while (a < b) {
        double t = ws->tx[a]; ws->tx[a] = ws->tx[b]; ws->tx[b] = t;
        t = ws->ty[a]; ws->ty[a] = ws->ty[b]; ws->ty[b] = t;
        size_t p = ws->tp[a]; ws->tp[a] = ws->tp[b]; ws->tp[b] = p;
        a++;
        b--;
    }
}

/* Closed length of the current tour, summed in visiting order exactly as
 * zs_route_length does, so both give the same bits for the same order. */
static double tour_length(const zs_route_ws *ws, size_t m)
{
    double len = 0.0;
    for (size_t s = 1; s <= m; s++)
        len += dist(ws->tx[s - 1], ws->ty[s - 1], ws->tx[s], ws->ty[s]);
    return m ? len + dist(ws->tx[m], ws->ty[m], ws->tx[0], ws->ty[0]) : 0.0;
}

/* First-improvement 2-opt over the closed tour of slots 0..m (slot 0 the
 * depot, which never moves because a move reverses slots i+1..j >= 1). */
static void two_opt(zs_route_ws *ws, size_t m, double len)
{
    const double *tx = ws->tx, *ty = ws->ty;
    size_t n = m + 1;
    for (int pass = 0; pass < ROUTE_MAX_PASSES; pass++) {
        int improved = 0;
        for (size_t i = 0; i + 2 < n; i++) {
            double ax = tx[i], ay = ty[i];
            for (size_t j = i + 2; j < n; j++) {
                if (i == 0 && j == m)
                    continue; /* edges (m,0) and (0,1) share the depot */
                size_t j1 = j + 1 < n ? j + 1 : 0;
                double bx = tx[i + 1], by = ty[i + 1];
                double gain = dist(ax, ay, bx, by) + dist(tx[j], ty[j], tx[j1], ty[j1]) -
                              dist(ax, ay, tx[j], ty[j]) - dist(bx, by, tx[j1], ty[j1]);
                if (gain > ROUTE_REL_EPS * len) {
                    reverse(ws, i + 1, j);
                    len -= gain;
                    improved = 1;
                }
            }
        }
        if (!improved)
            return;
    }
}

double zs_route_tour(zs_route_ws *ws, const double *x, const double *y,
                     const size_t *idx, size_t m, double depot_x, double depot_y,
                     size_t *order)
{
    if (m == 0)
        return 0.0;
    /* The contract forbids m > max_stops; NaN makes such a caller's bug
     * visible in every metric instead of writing past the workspace. */
    if (m > ws->max_stops)
        return NAN;
    nearest_neighbour(ws, x, y, idx, m, depot_x, depot_y);
    if (m >= 3)
        two_opt(ws, m, tour_length(ws, m));
    if (order)
        for (size_t s = 0; s < m; s++)
            order[s] = ws->tp[s + 1];
    return tour_length(ws, m);
}

/* ---- tours on a cost function ---- */

/* The point at tour slot s (slot 0 the depot). */
static inline size_t slot_pt(const zs_route_ws *ws, const size_t *idx, size_t s)
{
    return s == 0 ? ZS_ROUTE_DEPOT : idx[ws->tp[s]];
}

double zs_route_length_fn(zs_leg_fn leg, void *ctx, const size_t *idx, size_t m)
{
    if (m == 0)
        return 0.0;
    double len = leg(ctx, ZS_ROUTE_DEPOT, idx[0]);
    for (size_t i = 1; i < m; i++)
        len += leg(ctx, idx[i - 1], idx[i]);
    return len + leg(ctx, idx[m - 1], ZS_ROUTE_DEPOT);
}

/* fw[s] = cost of slots 0 -> 1 -> ... -> s, bw[s] = of s -> ... -> 1 -> 0
 * (each edge taken backwards); fw[m + 1] closes the tour. */
static void prefix_costs(zs_route_ws *ws, zs_leg_fn leg, void *ctx, const size_t *idx, size_t m)
{
    ws->fw[0] = ws->bw[0] = 0.0;
    for (size_t s = 1; s <= m + 1; s++) {
        size_t a = slot_pt(ws, idx, s - 1), b = slot_pt(ws, idx, s <= m ? s : 0);
        ws->fw[s] = ws->fw[s - 1] + leg(ctx, a, b);
        ws->bw[s] = ws->bw[s - 1] + leg(ctx, b, a);
    }
}

double zs_route_tour_fn(zs_route_ws *ws, zs_leg_fn leg, void *ctx, const size_t *idx,
                        size_t m, size_t *order)
{
    if (m == 0)
        return 0.0;
    if (m > ws->max_stops)
        return NAN;
    /* Nearest neighbour by cost (rp: the positions not yet visited). */
    for (size_t i = 0; i < m; i++)
        ws->rp[i] = i;
    ws->tp[0] = 0;
    size_t left = m, cur = ZS_ROUTE_DEPOT;
    for (size_t s = 1; s <= m; s++) {
        size_t best = 0;
        double bd = HUGE_VAL;
        for (size_t j = 0; j < left; j++) {
            double d = leg(ctx, cur, idx[ws->rp[j]]);
            if (d < bd) {
                bd = d;
                best = j;
            }
        }
        ws->tp[s] = ws->rp[best];
        cur = idx[ws->rp[best]];
        memmove(ws->rp + best, ws->rp + best + 1, (left - best - 1) * sizeof *ws->rp);
        left--;
    }
    /* 2-opt: reversing slots i+1..j replaces edges (i, i+1), (j, j1) and
     * the run's forward costs by (i, j), (i+1, j1) and its backward ones. */
    prefix_costs(ws, leg, ctx, idx, m);
    size_t n = m + 1;
    for (int pass = 0; pass < ROUTE_MAX_PASSES && m >= 2; pass++) {
        int improved = 0;
        for (size_t i = 0; i + 2 < n + 1; i++) {
            for (size_t j = i + 2; j < n; j++) {
                size_t j1 = j + 1 < n ? j + 1 : 0;
                size_t pi = slot_pt(ws, idx, i), pi1 = slot_pt(ws, idx, i + 1);
                size_t pj = slot_pt(ws, idx, j), pj1 = slot_pt(ws, idx, j1);
                double old = (ws->fw[i + 1] - ws->fw[i]) + (ws->fw[j] - ws->fw[i + 1]) +
                             (ws->fw[j + 1] - ws->fw[j]);
                double now = leg(ctx, pi, pj) + (ws->bw[j] - ws->bw[i + 1]) + leg(ctx, pi1, pj1);
                if (old - now > ROUTE_REL_EPS * ws->fw[m + 1]) {
                    size_t a = i + 1, b = j;
                    while (a < b) {
                        size_t t = ws->tp[a];
                        ws->tp[a++] = ws->tp[b];
                        ws->tp[b--] = t;
                    }
                    prefix_costs(ws, leg, ctx, idx, m);
                    improved = 1;
                }
            }
        }
        if (!improved)
            break;
    }
    if (order)
        for (size_t s = 0; s < m; s++)
            order[s] = ws->tp[s + 1];
    /* The cost in visiting order, summed as zs_route_length_fn does. */
    double len = leg(ctx, ZS_ROUTE_DEPOT, idx[ws->tp[1]]);
    for (size_t s = 2; s <= m; s++)
        len += leg(ctx, idx[ws->tp[s - 1]], idx[ws->tp[s]]);
    return len + leg(ctx, idx[ws->tp[m]], ZS_ROUTE_DEPOT);
}
