/*
 * engine/network/route_tw.c -- trips with delivery windows (route_tw.h).
 *
 * Orders are compared lexicographically: less total lateness first, then
 * an earlier return (differences under EPS minutes are ties, so rounding
 * never makes two moves undo each other).  Every evaluation recomputes
 * the schedule (O(m)); construction and a relocation pass are O(m^3),
 * which is paid only by trips whose distance tour misses a window.
 */
#include "network/route_tw.h"

#include <math.h>
#include <string.h>

#include "models/alloc.h"

#define TW_EPS 1e-9
#define TW_MAX_PASSES 50

struct zs_tw_ws {
    size_t max_stops;
    size_t *a, *b, *c; /* candidate orders */
    size_t *key;       /* construction order */
};

zs_tw_ws *zs_tw_ws_create(size_t max_stops)
{
    zs_tw_ws *tw = zs_calloc(1, sizeof *tw);
    if (!tw)
        return NULL;
    size_t n = max_stops ? max_stops : 1;
    tw->max_stops = max_stops;
    tw->a = zs_malloc_array(n, sizeof *tw->a);
    tw->b = zs_malloc_array(n, sizeof *tw->b);
    tw->c = zs_malloc_array(n, sizeof *tw->c);
    tw->key = zs_malloc_array(n, sizeof *tw->key);
    if (!tw->a || !tw->b || !tw->c || !tw->key) {
        zs_tw_ws_free(tw);
        return NULL;
    }
    return tw;
}

void zs_tw_ws_free(zs_tw_ws *tw)
{
    if (!tw)
        return;
    zs_free(tw->a);
    zs_free(tw->b);
    zs_free(tw->c);
    zs_free(tw->key);
    zs_free(tw);
}

/* Metres from stop position a to stop position b of t; t->m stands for
 * the depot.  The one place a distance is measured (a road network would
 * answer here). */
static double leg_m(const zs_tw_trip *t, size_t a, size_t b)
{
    double ax = a == t->m ? t->depot_x : t->x[t->idx[a]];
    double ay = a == t->m ? t->depot_y : t->y[t->idx[a]];
    double bx = b == t->m ? t->depot_x : t->x[t->idx[b]];
    double by = b == t->m ? t->depot_y : t->y[t->idx[b]];
    return hypot(bx - ax, by - ay);
}

/* Travel minutes of the leg a -> b (road factor of b; none into the depot). */
static double leg_min(const zs_tw_trip *t, size_t a, size_t b)
{
    double rf = b != t->m && t->road ? t->road[t->idx[b]] : 1.0;
    return leg_m(t, a, b) * t->min_per_m * rf;
}

/* Schedule of the first len stops of order: lateness, return, misses and
 * (when wait is not NULL) minutes waiting for windows to open. */
static double sched_w(const zs_tw_trip *t, const size_t *order, size_t len, double *end,
                      size_t *misses, double *wait)
{
    double clock = t->start, late = 0.0, waited = 0.0;
    size_t at = t->m, miss = 0;
    for (size_t j = 0; j < len; j++) {
        size_t s = order[j];
        clock += leg_min(t, at, s);
        if (clock < t->open[s]) {
            waited += t->open[s] - clock;
            clock = t->open[s];
        }
        if (clock > t->close[s]) {
            late += clock - t->close[s];
            miss++;
        }
        clock += t->service[s];
        at = s;
    }
    *end = clock + leg_min(t, at, t->m);
    if (misses)
        *misses = miss;
    if (wait)
        *wait = waited;
    return late;
}

static double sched(const zs_tw_trip *t, const size_t *order, size_t len, double *end,
                    size_t *misses)
{
    return sched_w(t, order, len, end, misses, NULL);
}

double zs_tw_schedule(const zs_tw_trip *t, const size_t *order, double *end, size_t *misses)
{
    return sched(t, order, t->m, end, misses);
}

/* Non-zero when (l1, e1) is better than (l2, e2). */
static int better(double l1, double e1, double l2, double e2)
{
    if (l1 < l2 - TW_EPS)
        return 1;
    return fabs(l1 - l2) <= TW_EPS && e1 < e2 - TW_EPS;
}

/* Cheapest insertion in order of closing time into out[0..m). */
static void construct(const zs_tw_trip *t, zs_tw_ws *tw, size_t *out)
{
    size_t m = t->m;
    for (size_t j = 0; j < m; j++)
        tw->key[j] = j;
    /* Stable insertion sort by closing time, then opening time. */
    for (size_t j = 1; j < m; j++) {
        size_t v = tw->key[j], q = j;
        while (q > 0) {
            size_t u = tw->key[q - 1];
            int after = t->close[u] != t->close[v] ? t->close[u] > t->close[v]
                                                   : t->open[u] > t->open[v];
            if (!after)
                break;
            tw->key[q] = u;
            q--;
        }
        tw->key[q] = v;
    }
    size_t len = 0;
    for (size_t j = 0; j < m; j++) {
        size_t s = tw->key[j], best = 0;
        double bl = HUGE_VAL, be = HUGE_VAL;
        for (size_t p = 0; p <= len; p++) {
            memmove(out + p + 1, out + p, (len - p) * sizeof *out);
            out[p] = s;
            double e, l = sched(t, out, len + 1, &e, NULL);
            if (p == 0 || better(l, e, bl, be)) {
                bl = l;
                be = e;
                best = p;
            }
            memmove(out + p, out + p + 1, (len - p) * sizeof *out);
        }
        memmove(out + best + 1, out + best, (len - best) * sizeof *out);
        out[best] = s;
        len++;
    }
}

/* Relocation moves on cur[0..m) until none improves (scratch: m slots). */
static double relocate(const zs_tw_trip *t, size_t *cur, size_t *scratch, double *end)
{
    size_t m = t->m;
    double e0, l0 = sched(t, cur, m, &e0, NULL);
    for (int pass = 0; pass < TW_MAX_PASSES; pass++) {
        int improved = 0;
        for (size_t i = 0; i < m; i++) {
            for (size_t j = 0; j < m; j++) {
                if (j == i)
                    continue;
                /* scratch = cur with the stop at i moved to position j. */
                size_t s = cur[i], w = 0;
                for (size_t q = 0; q < m; q++) {
                    if (q == i)
                        continue;
                    if (w == j)
                        scratch[w++] = s;
                    scratch[w++] = cur[q];
                }
                if (w == j)
                    scratch[w++] = s;
                double e, l = sched(t, scratch, m, &e, NULL);
                if (better(l, e, l0, e0)) {
                    memcpy(cur, scratch, m * sizeof *cur);
                    l0 = l;
                    e0 = e;
                    improved = 1;
                }
            }
        }
        if (!improved)
            break;
    }
    *end = e0;
    return l0;
}

double zs_route_tw(zs_route_ws *ws, zs_tw_ws *tw, const zs_tw_trip *t, size_t *order)
{
    size_t m = t->m;
    zs_route_tour(ws, t->x, t->y, t->idx, m, t->depot_x, t->depot_y, order);
    double ea, wait, la = sched_w(t, order, m, &ea, NULL, &wait);
    if ((la <= 0.0 && wait <= 0.0) || m < 2)
        return la;
    /* The windows bind (a miss, or waiting at a door): the closing-time
     * construction too, both improved. */
    memcpy(tw->a, order, m * sizeof *order);
    la = relocate(t, tw->a, tw->c, &ea);
    construct(t, tw, tw->b);
    double eb, lb = relocate(t, tw->b, tw->c, &eb);
    memcpy(order, better(lb, eb, la, ea) ? tw->b : tw->a, m * sizeof *order);
    return better(lb, eb, la, ea) ? lb : la;
}
