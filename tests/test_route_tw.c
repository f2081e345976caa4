/* tests/test_route_tw.c -- trips with delivery windows (engine/network/route_tw.h),
 * against every order of small zones. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "network/route_tw.h"
#include "models/alloc.h"
#include "models/rng.h"
#include "check.h"

#define MAXM 8
#define MIN_PER_M (60.0 / 15000.0) /* 15 km/h */

/* Least lateness, then earliest return, over every order (m <= 8). */
static void enumerate(const zs_tw_trip *t, double *best_late, double *best_end)
{
    size_t p[MAXM];
    for (size_t i = 0; i < t->m; i++)
        p[i] = i;
    *best_late = HUGE_VAL;
    *best_end = HUGE_VAL;
    for (;;) {
        double e, l = zs_tw_schedule(t, p, &e, NULL);
        if (l < *best_late - 1e-9 || (fabs(l - *best_late) <= 1e-9 && e < *best_end)) {
            *best_late = l;
            *best_end = e;
        }
        size_t i = t->m;
        while (i > 1 && p[i - 2] >= p[i - 1])
            i--;
        if (i <= 1)
            break;
        size_t j = t->m - 1;
        while (p[j] <= p[i - 2])
            j--;
        size_t s = p[i - 2]; p[i - 2] = p[j]; p[j] = s;
        for (size_t a = i - 1, b = t->m - 1; a < b; a++, b--) {
            s = p[a]; p[a] = p[b]; p[b] = s;
        }
    }
}

static int is_permutation(const size_t *o, size_t m)
{
    int seen[MAXM] = {0};
    for (size_t j = 0; j < m; j++) {
        if (o[j] >= m || seen[o[j]])
            return 0;
        seen[o[j]] = 1;
    }
    return 1;
}

int main(void)
{
    zs_route_ws *ws = zs_route_ws_create(MAXM);
    zs_tw_ws *tw = zs_tw_ws_create(MAXM);
    CHECK(ws && tw, "workspaces created");

    /* A constructed zone: six points on a 1 km circle round the depot.
     * The distance tour goes round the circle; the windows ask for the
     * far side first (P3 by minute 12), then P0 (from minute 40), then
     * P1 late (from minute 70): no order round the circle meets them. */
    double x[6], y[6];
    size_t idx[6], order[MAXM];
    for (int i = 0; i < 6; i++) {
        x[i] = 1000.0 * cos(i * 3.14159265358979323846 / 3.0);
        y[i] = 1000.0 * sin(i * 3.14159265358979323846 / 3.0);
        idx[i] = (size_t)i;
    }
    double open[6] = {40, 70, -HUGE_VAL, -HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    double close[6] = {60, 90, HUGE_VAL, 12, HUGE_VAL, HUGE_VAL};
    double service[6] = {5, 5, 5, 5, 5, 5};
    zs_tw_trip t = {x, y, NULL, idx, 6, open, close, service, 0.0, 0.0, 0.0, MIN_PER_M};
    double none_open[6], none_close[6];
    for (int i = 0; i < 6; i++) {
        none_open[i] = -HUGE_VAL;
        none_close[i] = HUGE_VAL;
    }
    zs_tw_trip plain = t;
    plain.open = none_open;
    plain.close = none_close;
    size_t dist_order[MAXM];
    zs_route_tour(ws, x, y, idx, 6, 0.0, 0.0, dist_order);
    double e_dist, l_dist = zs_tw_schedule(&t, dist_order, &e_dist, NULL);
    CHECK(l_dist > 0.0, "constructed zone: the distance tour misses a window (%.1f min late)", l_dist);
    double bl, be;
    enumerate(&t, &bl, &be);
    CHECK(bl == 0.0, "constructed zone: some order meets every window (enumerated: return at %.2f min)", be);
    double late = zs_route_tw(ws, tw, &t, order);
    size_t misses;
    double end;
    double late2 = zs_tw_schedule(&t, order, &end, &misses);
    CHECK(is_permutation(order, 6) && late == late2, "constructed zone: the route is an order of the six stops");
    CHECK(late == 0.0 && misses == 0, "constructed zone: the route honours every window (%.2f min late)", late);
    CHECK(end <= be + 1e-6, "constructed zone: the route returns as early as the best order (%.2f vs %.2f min)", end, be);
    printf("  constructed zone: P%zu P%zu P%zu P%zu P%zu P%zu, back at %.2f min\n", order[0],
           order[1], order[2], order[3], order[4], order[5], end);

    /* Without windows the trip is the distance tour, unchanged. */
    double lp = zs_route_tw(ws, tw, &plain, order);
    CHECK(lp == 0.0 && !memcmp(order, dist_order, 6 * sizeof *order),
          "no windows: the distance tour as it is");

    /* Infeasible: P0 and P3 (2 km apart) both by minute 6 -> one misses. */
    double close_inf[6] = {6, HUGE_VAL, HUGE_VAL, 6, HUGE_VAL, HUGE_VAL};
    double open_inf[6] = {-HUGE_VAL, -HUGE_VAL, -HUGE_VAL, -HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    zs_tw_trip inf = t;
    inf.open = open_inf;
    inf.close = close_inf;
    enumerate(&inf, &bl, &be);
    late = zs_route_tw(ws, tw, &inf, order);
    zs_tw_schedule(&inf, order, &end, &misses);
    CHECK(bl > 0.0 && misses == 1 && fabs(late - bl) < 1e-9,
          "infeasible windows: one miss, the least lateness of any order (%.2f min)", late);

    /* Random small zones: misses exactly when no order meets every window,
     * and the lateness of the best order otherwise. */
    gsl_rng *rng = zs_rng_create();
    int feasible = 0, found = 0, infeasible = 0, least = 0, within = 0;
    for (uint64_t inst = 0; inst < 300; inst++) {
        zs_rng_rekey(rng, zs_rng_key(42, inst, 0, 0, ZS_PURPOSE_CITYGEN));
        size_t m = 5 + inst % 3;
        double rx[MAXM], ry[MAXM], ro[MAXM], rc[MAXM], rs[MAXM];
        size_t ri[MAXM];
        for (size_t i = 0; i < m; i++) {
            rx[i] = 3000.0 * (gsl_rng_uniform(rng) - 0.5);
            ry[i] = 3000.0 * (gsl_rng_uniform(rng) - 0.5);
            ri[i] = i;
            rs[i] = 3.0 + 6.0 * gsl_rng_uniform(rng);
            if (gsl_rng_uniform(rng) < 0.6) {
                ro[i] = 60.0 * gsl_rng_uniform(rng);
                rc[i] = ro[i] + 5.0 + 20.0 * gsl_rng_uniform(rng);
            } else {
                ro[i] = -HUGE_VAL;
                rc[i] = HUGE_VAL;
            }
        }
        zs_tw_trip r = {rx, ry, NULL, ri, m, ro, rc, rs, 0.0, 0.0, 0.0, MIN_PER_M};
        enumerate(&r, &bl, &be);
        late = zs_route_tw(ws, tw, &r, order);
        zs_tw_schedule(&r, order, &end, &misses);
        if (bl == 0.0) {
            feasible++;
            found += misses == 0;
            within += misses == 0 && end <= be * 1.05 + 1e-9;
        } else {
            infeasible++;
            least += late <= bl * 1.10 + 1e-9;
        }
    }
    CHECK(feasible > 50 && infeasible > 20, "random zones: %d with a feasible order, %d without",
          feasible, infeasible);
    CHECK(found == feasible, "random zones: every window met whenever some order meets them (%d of %d)",
          found, feasible);
    CHECK(within >= feasible * 9 / 10, "random zones: back within 5%% of the best order in %d of %d",
          within, feasible);
    CHECK(least >= infeasible * 8 / 10,
          "random zones without a feasible order: lateness within 10%% of the least in %d of %d",
          least, infeasible);
    gsl_rng_free(rng);
    zs_route_ws_free(ws);
    zs_tw_ws_free(tw);
    return zs_test_done();
}
