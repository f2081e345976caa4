/* tests/test_route.c -- nearest neighbour + 2-opt tours (engine/route.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "network/route.h"
#include "models/alloc.h"
#include "models/rng.h"
#include "check.h"

#define MAXM 9

/* Shortest closed tour over every permutation of the m stops (m <= 9),
 * by lexicographic next-permutation. */
static double brute_force(const double *x, const double *y, size_t m, double dx, double dy)
{
    size_t p[MAXM];
    for (size_t i = 0; i < m; i++)
        p[i] = i;
    double best = zs_route_length(x, y, p, m, dx, dy);
    for (;;) {
        size_t i = m;
        while (i > 1 && p[i - 2] >= p[i - 1])
            i--;
        if (i <= 1)
            break;
        size_t j = m - 1;
        while (p[j] <= p[i - 2])
            j--;
        size_t t = p[i - 2]; p[i - 2] = p[j]; p[j] = t;
        for (size_t a = i - 1, b = m - 1; a < b; a++, b--) {
            t = p[a]; p[a] = p[b]; p[b] = t;
        }
        double len = zs_route_length(x, y, p, m, dx, dy);
        if (len < best)
            best = len;
    }
    return best;
}

/* Shortest tour obtainable from seq by reversing one run seq[a..b]. */
static double best_reversal(const double *x, const double *y, const size_t *seq, size_t m,
                            double dx, double dy)
{
    size_t q[MAXM];
    double best = HUGE_VAL;
    for (size_t a = 0; a < m; a++)
        for (size_t b = a + 1; b < m; b++) {
            memcpy(q, seq, m * sizeof *q);
            for (size_t i = a, j = b; i < j; i++, j--) {
                size_t t = q[i]; q[i] = q[j]; q[j] = t;
            }
            double len = zs_route_length(x, y, q, m, dx, dy);
            if (len < best)
                best = len;
        }
    return best;
}

static int is_permutation(const size_t *order, size_t m)
{
    int seen[512] = {0}; /* m <= 300 here */
    for (size_t i = 0; i < m; i++) {
        if (order[i] >= m || seen[order[i]])
            return 0;
        seen[order[i]] = 1;
    }
    return 1;
}

static void test_trivial(zs_route_ws *ws)
{
    double x[2] = {3.0, -1.0}, y[2] = {4.0, 0.0};
    size_t idx[2] = {0, 1}, order[2] = {99, 99};
    CHECK(zs_route_tour(ws, x, y, idx, 0, 0.0, 0.0, order) == 0.0, "m = 0: length 0");
    CHECK(zs_route_length(x, y, idx, 0, 0.0, 0.0) == 0.0, "route_length of no stops is 0");
    double len = zs_route_tour(ws, x, y, idx, 1, 0.0, 0.0, order);
    CHECK_NEAR(len, 10.0, 1e-12, "m = 1: out and back, 2 x 5 m");
    CHECK(order[0] == 0, "m = 1: order is [0]");
    /* Both stops 1 m from the depot: the tie goes to the lower position. */
    double tx[2] = {1.0, -1.0}, ty[2] = {0.0, 0.0};
    len = zs_route_tour(ws, tx, ty, idx, 2, 0.0, 0.0, order);
    CHECK(order[0] == 0 && order[1] == 1, "tie at equal distance: lower position first");
    CHECK_NEAR(len, 4.0, 1e-12, "m = 2 on a line through the depot: 4 m");
    size_t ridx[2] = {1, 0};
    zs_route_tour(ws, tx, ty, ridx, 2, 0.0, 0.0, order);
    CHECK(order[0] == 0 && order[1] == 1, "tie: positions into idx, not point indices");
    CHECK_NEAR(zs_route_tour(ws, tx, ty, idx, 2, 0.0, 0.0, NULL), 4.0, 1e-12,
               "order NULL is allowed");
}

static void test_square(zs_route_ws *ws)
{
    /* Nearest neighbour from (-5, 1) goes (0,0) -> (0,10) (tie with
     * (10,0), lower position) -> (10,10) -> (10,0) -> depot, whose last
     * edge crosses (0,0)-(0,10): 50.13 m.  The optimum goes round the
     * square: sqrt(26) + 30 + sqrt(106) = 45.39 m. */
    double x[4] = {0, 10, 0, 10}, y[4] = {0, 10, 10, 0};
    size_t idx[4] = {0, 1, 2, 3}, order[4];
    double len = zs_route_tour(ws, x, y, idx, 4, -5.0, 1.0, order);
    double opt = sqrt(26.0) + 30.0 + sqrt(106.0);
    size_t nn[4] = {0, 2, 1, 3};
    CHECK(zs_route_length(x, y, nn, 4, -5.0, 1.0) > opt + 4.0,
          "square: the nearest neighbour tour is 4+ m longer than the optimum");
    CHECK_NEAR(len, opt, 1e-9, "square: 2-opt uncrosses it to the optimum 45.39 m (got %.6f)", len);
    CHECK(order[0] == 0 && order[1] == 3 && order[2] == 1 && order[3] == 2,
          "square: order (0,0) (10,0) (10,10) (0,10)");
    CHECK_NEAR(brute_force(x, y, 4, -5.0, 1.0), opt, 1e-9, "square: brute force agrees");
}

static void test_random(zs_route_ws *ws)
{
    gsl_rng *r = zs_rng_create();
    CHECK(r != NULL, "rng created");
    if (!r)
        return;
    int n_bad_opt = 0, n_bad_local = 0, n_bad_perm = 0, n_bad_len = 0, n_bad_det = 0, n_opt = 0;
    int count = 0;
    for (size_t m = 2; m <= MAXM; m++)
        for (int inst = 0; inst < (m <= 7 ? 20 : 3); inst++) {
            zs_rng_rekey(r, zs_rng_key(2024, m, (uint64_t)inst, 0, ZS_PURPOSE_CITYGEN));
            double x[MAXM + 3], y[MAXM + 3];
            size_t idx[MAXM], order[MAXM], order2[MAXM], seq[MAXM];
            /* Points at indices 3.. so that idx is not the identity. */
            for (size_t i = 0; i < m + 3; i++) {
                x[i] = 1000.0 * gsl_rng_uniform(r);
                y[i] = 1000.0 * gsl_rng_uniform(r);
            }
            for (size_t i = 0; i < m; i++)
                idx[i] = m + 2 - i;
            double dx = 500.0 * gsl_rng_uniform(r), dy = 500.0 * gsl_rng_uniform(r);
            double len = zs_route_tour(ws, x, y, idx, m, dx, dy, order);
            double len2 = zs_route_tour(ws, x, y, idx, m, dx, dy, order2);
            if (!is_permutation(order, m)) {
                n_bad_perm++;
                continue;
            }
            for (size_t i = 0; i < m; i++)
                seq[i] = idx[order[i]];
            /* The brute force routes points 0..m-1: gather the stops. */
            double px[MAXM], py[MAXM];
            for (size_t i = 0; i < m; i++) {
                px[i] = x[idx[i]];
                py[i] = y[idx[i]];
            }
            double opt = brute_force(px, py, m, dx, dy);
            if (len < opt * (1.0 - 1e-12))
                n_bad_opt++;
            if (fabs(len - opt) <= 1e-9 * opt)
                n_opt++;
            if (best_reversal(x, y, seq, m, dx, dy) < len * (1.0 - 2e-9))
                n_bad_local++;
            if (zs_route_length(x, y, seq, m, dx, dy) != len)
                n_bad_len++;
            if (len2 != len || memcmp(order, order2, m * sizeof *order) != 0)
                n_bad_det++;
            count++;
        }
    gsl_rng_free(r);
    CHECK(n_bad_perm == 0, "random m <= 9: order is a permutation of 0..m-1 (%d bad)", n_bad_perm);
    CHECK(n_bad_opt == 0, "random: never shorter than the brute-force optimum (%d bad of %d)",
          n_bad_opt, count);
    CHECK(n_bad_local == 0, "random: no improving segment reversal left (%d bad of %d)",
          n_bad_local, count);
    CHECK(n_bad_len == 0, "random: zs_route_length of the order equals the returned length exactly "
                          "(%d bad)", n_bad_len);
    CHECK(n_bad_det == 0, "random: a second call gives the same bits and order (%d bad)", n_bad_det);
    CHECK(n_opt * 10 >= count * 7, "random: 2-opt finds the optimum in >= 70%% of instances "
                                   "(%d of %d)", n_opt, count);
}

static void test_large(void)
{
    /* 300 stops on a 20x15 grid: the result must be a 2-opt optimum whose
     * length is at least the lower bound of 300 unit edges. */
    enum { M = 300 };
    static double x[M], y[M];
    static size_t idx[M], order[M], seq[M];
    for (size_t i = 0; i < M; i++) {
        x[i] = (double)(i % 20) * 100.0;
        y[i] = (double)(i / 20) * 100.0;
        idx[i] = (i * 7) % M; /* 7 and 300 are coprime: a permutation */
    }
    zs_route_ws *ws = zs_route_ws_create(M);
    CHECK(ws != NULL, "workspace for 300 stops");
    if (!ws)
        return;
    long before = zs_alloc_count();
    double len = zs_route_tour(ws, x, y, idx, M, -50.0, -50.0, order);
    CHECK(zs_alloc_count() == before, "zs_route_tour does not allocate");
    CHECK(is_permutation(order, M), "300 stops: a permutation");
    for (size_t i = 0; i < M; i++)
        seq[i] = idx[order[i]];
    CHECK(zs_route_length(x, y, seq, M, -50.0, -50.0) == len, "300 stops: length matches order");
    CHECK(len >= 300 * 100.0 && len < 1.25 * 300 * 100.0,
          "300 stops on a 100 m grid: 30.0 km <= %.1f m < 37.5 km", len);
    CHECK(isnan(zs_route_tour(ws, x, y, idx, M + 1, 0.0, 0.0, order)),
          "m > max_stops gives NaN rather than writing past the workspace");
    zs_route_ws_free(ws);
}

static void test_alloc(void)
{
    long i;
    for (i = 0; i < 20; i++) {
        zs_alloc_fail_after(i);
        zs_route_ws *ws = zs_route_ws_create(50);
        zs_alloc_fail_after(-1);
        if (ws) {
            zs_route_ws_free(ws);
            break;
        }
    }
    CHECK(i > 0 && i < 20, "workspace create: NULL on each of the first %ld allocation "
                                 "failures, then succeeds (leaks are ASan's to find)", i);
    zs_route_ws_free(NULL);
    CHECK(1, "ws_free(NULL) is a no-op");
    zs_route_ws *ws0 = zs_route_ws_create(0);
    double x = 1.0, y = 1.0;
    size_t idx = 0;
    CHECK(ws0 && zs_route_tour(ws0, &x, &y, &idx, 0, 0.0, 0.0, NULL) == 0.0,
          "a workspace for 0 stops routes the empty day");
    zs_route_ws_free(ws0);
}

/* ---- tours on a cost function (asymmetric: one-way streets) ---- */

typedef struct {
    size_t m;
    double c[MAXM + 1][MAXM + 1]; /* index MAXM: the depot */
} cost_mat;

static double mat_leg(void *ctx, size_t a, size_t b)
{
    const cost_mat *cm = ctx;
    return cm->c[a == ZS_ROUTE_DEPOT ? MAXM : a][b == ZS_ROUTE_DEPOT ? MAXM : b];
}

static void test_fn(zs_route_ws *ws)
{
    uint64_t st = 99;
    int perm_ok = 1, cost_ok = 1, local_ok = 1, trials = 0;
    for (int trial = 0; trial < 200; trial++) {
        cost_mat cm;
        size_t m = 2 + (size_t)trial % (MAXM - 1);
        cm.m = m;
        for (size_t a = 0; a <= MAXM; a++)
            for (size_t b = 0; b <= MAXM; b++) {
                st = st * 6364136223846793005ULL + 1442695040888963407ULL;
                cm.c[a][b] = a == b ? 0.0 : 10.0 + (double)(st >> 40) / (double)(1 << 20);
            }
        size_t idx[MAXM], order[MAXM], seen[MAXM] = {0};
        for (size_t i = 0; i < m; i++)
            idx[i] = i;
        double len = zs_route_tour_fn(ws, mat_leg, &cm, idx, m, order);
        size_t vis[MAXM];
        for (size_t i = 0; i < m; i++) {
            if (order[i] >= m || seen[order[i]]++)
                perm_ok = 0;
            vis[i] = idx[order[i]];
        }
        if (fabs(len - zs_route_length_fn(mat_leg, &cm, vis, m)) > 1e-9 * len)
            cost_ok = 0;
        /* No 2-opt move (reversing a run, the depot fixed) improves it. */
        for (size_t i = 0; i < m; i++)
            for (size_t j = i + 1; j < m; j++) {
                size_t t[MAXM];
                memcpy(t, vis, m * sizeof *t);
                for (size_t a = i, b = j; a < b; a++, b--) {
                    size_t x = t[a];
                    t[a] = t[b];
                    t[b] = x;
                }
                if (zs_route_length_fn(mat_leg, &cm, t, m) < len * (1 - 1e-9))
                    local_ok = 0;
            }
        trials++;
    }
    CHECK(perm_ok, "cost tours: every order a permutation (%d tours)", trials);
    CHECK(cost_ok, "cost tours: the returned cost is the order's cost, direction counted");
    CHECK(local_ok, "cost tours: no reversal of a run improves an asymmetric tour");
    /* One-way: a cheap cycle one way round, dear the other. */
    cost_mat cm;
    for (size_t a = 0; a <= MAXM; a++)
        for (size_t b = 0; b <= MAXM; b++)
            cm.c[a][b] = a == b ? 0 : 100.0;
    size_t ring[5] = {MAXM, 0, 1, 2, 3}; /* depot -> 0 -> 1 -> 2 -> 3 -> depot: 1 each */
    for (int q = 0; q < 5; q++)
        cm.c[ring[q]][ring[(q + 1) % 5]] = 1.0;
    size_t idx[4] = {3, 1, 0, 2}, order[4];
    double len = zs_route_tour_fn(ws, mat_leg, &cm, idx, 4, order);
    CHECK(fabs(len - 5.0) < 1e-12, "cost tours: the one-way ring is driven its cheap way (%.1f)", len);
}

int main(void)
{
    zs_route_ws *ws = zs_route_ws_create(MAXM);
    CHECK(ws != NULL, "workspace for 9 stops");
    if (!ws)
        return zs_test_done();
    test_trivial(ws);
    test_square(ws);
    test_random(ws);
    test_fn(ws);
    zs_route_ws_free(ws);
    test_large();
    test_alloc();
    return zs_test_done();
}
