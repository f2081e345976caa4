/* tests/test_flow.c -- exact capacitated assignment by minimum-cost flow
 * (zs_flow_assign, engine/partition/flow.c) and the balanced-flow method:
 * optimum against exhaustive enumeration and against GLPK's out-of-kilter
 * solver, the dual certificate (every point at a cheapest centre under the
 * returned prices, prices signed by the bound each centre sits at) and the
 * absence of negative cycles, input errors, determinism and thread-count
 * invariance, allocation failures. */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>
#include <gsl/gsl_rng.h>

#include "input/citygen.h"
#include "partition/partition.h"
#include "input/points.h"
#include "models/alloc.h"
#include "models/rng.h"
#include "check.h"

/* ---------------------------------------------------------------- helpers */

static gsl_rng *stream(uint64_t seed)
{
    gsl_rng *r = zs_rng_create();
    if (!r) {
        printf("FAIL: no rng\n");
        exit(1);
    }
    zs_rng_rekey(r, zs_rng_key(seed, 0, 0, 0, ZS_PURPOSE_PARTITION));
    return r;
}

/* The cost the header documents: w_i times the squared distance. */
static double cij(const double *x, const double *y, const double *w, size_t i, const double *cx,
                  const double *cy, size_t j)
{
    double dx = x[i] - cx[j], dy = y[i] - cy[j];
    return (w ? w[i] : 1.0) * (dx * dx + dy * dy);
}

static double total_cost(const double *x, const double *y, const double *w, size_t n,
                         const double *cx, const double *cy, const int32_t *zone)
{
    double t = 0.0;
    for (size_t i = 0; i < n; i++)
        t += cij(x, y, w, i, cx, cy, (size_t)zone[i]);
    return t;
}

/* 1 when every zone index is valid and every count lies in [lo, hi]. */
static int within_bounds(const int32_t *zone, size_t n, size_t k, const size_t *lo,
                         const size_t *hi)
{
    size_t *m = calloc(k, sizeof *m);
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        if (zone[i] < 0 || (size_t)zone[i] >= k)
            ok = 0;
        else
            m[zone[i]]++;
    }
    for (size_t j = 0; j < k && ok; j++)
        ok = m[j] >= (lo ? lo[j] : 0) && m[j] <= (hi ? hi[j] : n);
    free(m);
    return ok;
}

/* LP optimality certificate: every point at a centre minimising
 * c(i, j) - price[j], price[j] > 0 only at lo, < 0 only at hi (tol absolute
 * on costs, 0 for integer data). */
static int certificate(const double *x, const double *y, const double *w, size_t n,
                       const double *cx, const double *cy, size_t k, const size_t *lo,
                       const size_t *hi, const int32_t *zone, const double *price, double tol)
{
    size_t *m = calloc(k, sizeof *m);
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        size_t z = (size_t)zone[i];
        m[z]++;
        double own = cij(x, y, w, i, cx, cy, z) - price[z];
        for (size_t j = 0; j < k && ok; j++)
            if (cij(x, y, w, i, cx, cy, j) - price[j] < own - tol) {
                printf("      point %zu: centre %zu cheaper than %zu under the prices\n", i, j, z);
                ok = 0;
            }
    }
    for (size_t j = 0; j < k && ok; j++) {
        size_t l = lo ? lo[j] : 0, h = hi && hi[j] < n ? hi[j] : n;
        if ((price[j] > tol && m[j] != l) || (price[j] < -tol && m[j] != h)) {
            printf("      centre %zu: price %g with %zu points (bounds %zu..%zu)\n", j, price[j],
                   m[j], l, h);
            ok = 0;
        }
    }
    free(m);
    return ok;
}

/* Independent of the prices: Bellman-Ford on the residual graph of
 * centres and sink (arc a -> b = cheapest move of a point of a to b; j -> T
 * while below hi, T -> j while above lo) finds no cycle of cost < -tol. */
static int no_negative_cycle(const double *x, const double *y, const double *w, size_t n,
                             const double *cx, const double *cy, size_t k, const size_t *lo,
                             const size_t *hi, const int32_t *zone, double tol)
{
    size_t V = k + 1;
    double *arc = malloc(V * V * sizeof *arc), *d = calloc(V, sizeof *d);
    size_t *m = calloc(k, sizeof *m);
    for (size_t q = 0; q < V * V; q++)
        arc[q] = HUGE_VAL;
    for (size_t i = 0; i < n; i++) {
        size_t a = (size_t)zone[i];
        m[a]++;
        double ca = cij(x, y, w, i, cx, cy, a);
        for (size_t b = 0; b < k; b++)
            if (b != a)
                arc[a * V + b] = fmin(arc[a * V + b], cij(x, y, w, i, cx, cy, b) - ca);
    }
    for (size_t j = 0; j < k; j++) {
        if (m[j] < (hi && hi[j] < n ? hi[j] : n))
            arc[j * V + k] = 0.0;
        if (m[j] > (lo ? lo[j] : 0))
            arc[k * V + j] = 0.0;
    }
    int changed = 1;
    for (size_t round = 0; round <= V && changed; round++) {
        changed = 0;
        for (size_t a = 0; a < V; a++)
            for (size_t b = 0; b < V; b++)
                if (arc[a * V + b] < HUGE_VAL && d[a] + arc[a * V + b] < d[b] - tol) {
                    d[b] = d[a] + arc[a * V + b];
                    changed = 1;
                }
    }
    free(arc);
    free(d);
    free(m);
    return !changed;
}

/* Least cost over all k^n assignments within the bounds (HUGE_VAL if none). */
static double brute_force(const double *x, const double *y, const double *w, size_t n,
                          const double *cx, const double *cy, size_t k, const size_t *lo,
                          const size_t *hi)
{
    size_t total = 1;
    for (size_t i = 0; i < n; i++)
        total *= k;
    double best = HUGE_VAL;
    int32_t z[8];
    for (size_t code = 0; code < total; code++) {
        size_t c = code;
        for (size_t i = 0; i < n; i++) {
            z[i] = (int32_t)(c % k);
            c /= k;
        }
        if (!within_bounds(z, n, k, lo, hi))
            continue;
        best = fmin(best, total_cost(x, y, w, n, cx, cy, z));
    }
    return best;
}

/* Feasible random bounds: lo_j <= n/k, hi_j >= lo_j, sum hi >= n. */
static void random_bounds(gsl_rng *r, size_t n, size_t k, size_t *lo, size_t *hi)
{
    for (;;) {
        size_t shi = 0;
        for (size_t j = 0; j < k; j++) {
            lo[j] = gsl_rng_uniform_int(r, n / k + 1);
            hi[j] = lo[j] + gsl_rng_uniform_int(r, n - lo[j] + 1);
            shi += hi[j];
        }
        if (shi >= n)
            return;
    }
}

/* GLPK's out-of-kilter optimum of the same network (integer costs):
 * points (supply 1) -> centres (cost c_ij, cap 1) -> sink (demand n) with
 * arcs of bounds [lo_j, hi_j].  NAN when GLPK fails. */
static double glpk_optimum(const double *x, const double *y, const double *w, size_t n,
                           const double *cx, const double *cy, size_t k, const size_t *lo,
                           const size_t *hi)
{
    typedef struct { double rhs, pi; } vdata;
    typedef struct { double low, cap, cost, x; } adata;
    glp_graph *G = glp_create_graph(sizeof(vdata), sizeof(adata));
    glp_add_vertices(G, (int)(n + k + 1));
    for (size_t v = 1; v <= n + k + 1; v++) {
        vdata *vd = G->v[v]->data;
        vd->rhs = v <= n ? 1.0 : v <= n + k ? 0.0 : -(double)n;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++) {
            glp_arc *a = glp_add_arc(G, (int)(i + 1), (int)(n + j + 1));
            adata *ad = a->data;
            ad->low = 0.0;
            ad->cap = 1.0;
            ad->cost = cij(x, y, w, i, cx, cy, j);
        }
    for (size_t j = 0; j < k; j++) {
        glp_arc *a = glp_add_arc(G, (int)(n + j + 1), (int)(n + k + 1));
        adata *ad = a->data;
        ad->low = (double)(lo ? lo[j] : 0);
        ad->cap = (double)(hi ? hi[j] : n);
        ad->cost = 0.0;
    }
    double sol = NAN;
    int ret = glp_mincost_okalg(G, offsetof(vdata, rhs), offsetof(adata, low),
                                offsetof(adata, cap), offsetof(adata, cost), &sol,
                                offsetof(adata, x), offsetof(vdata, pi));
    glp_delete_graph(G);
    if (ret != 0) {
        printf("      glp_mincost_okalg returned %d\n", ret);
        return NAN;
    }
    return sol;
}

/* n integer points in [0, side)^2 and k integer centres, so every cost is an
 * integer and every sum exact in double. */
static void integer_instance(gsl_rng *r, size_t n, size_t k, unsigned long side, double *x,
                             double *y, double *cx, double *cy)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)gsl_rng_uniform_int(r, side);
        y[i] = (double)gsl_rng_uniform_int(r, side);
    }
    for (size_t j = 0; j < k; j++) {
        cx[j] = (double)gsl_rng_uniform_int(r, side);
        cy[j] = (double)gsl_rng_uniform_int(r, side);
    }
}

static zs_points *city(size_t n)
{
    zs_citygen_opts go;
    zs_citygen_opts_defaults(&go);
    go.n_points = n;
    zs_points *pts = NULL;
    zs_err err;
    if (zs_citygen_run(&go, &pts, &err) != ZS_OK) {
        printf("FAIL: citygen failed: %s\n", err.msg);
        exit(1);
    }
    return pts;
}

/* ------------------------------------------------------- (a) brute force */

static void test_brute_force(void)
{
    gsl_rng *r = stream(11);
    int bad_int = 0, bad_real = 0, bad_warm = 0, bad_cert = 0, cases = 0;
    for (int t = 0; t < 600; t++) {
        size_t n = 1 + gsl_rng_uniform_int(r, 8), k = 1 + gsl_rng_uniform_int(r, 3);
        double x[8], y[8], w[8], cx[3], cy[3], price[3], pin[3];
        size_t lo[3], hi[3];
        int real = t % 3 == 2, weighted = t % 2 == 1;
        /* a 6 x 6 grid makes ties common; the real cases have none */
        integer_instance(r, n, k, 6, x, y, cx, cy);
        if (real) {
            for (size_t i = 0; i < n; i++) {
                x[i] += gsl_rng_uniform(r);
                y[i] += gsl_rng_uniform(r);
            }
        }
        for (size_t i = 0; i < n; i++)
            w[i] = real ? 0.1 + gsl_rng_uniform(r) : (double)gsl_rng_uniform_int(r, 4);
        random_bounds(r, n, k, lo, hi);
        const double *wp = weighted ? w : NULL;
        double opt = brute_force(x, y, wp, n, cx, cy, k, lo, hi);
        int32_t zone[8];
        zs_flow_stats fs;
        zs_err err;
        zs_status st = zs_flow_assign(x, y, wp, n, cx, cy, k, lo, hi, NULL, zone, price, &fs, &err);
        double got = total_cost(x, y, wp, n, cx, cy, zone);
        double tol = real ? 1e-9 * (1.0 + opt) : 0.0;
        int ok = st == ZS_OK && within_bounds(zone, n, k, lo, hi) && fabs(got - opt) <= tol &&
                 fs.cost == got;
        if (!ok)
            printf("      case %d (n %zu, k %zu): %s, cost %.17g, optimum %.17g\n", t, n, k,
                   st == ZS_OK ? "ok" : err.msg, got, opt);
        if (real)
            bad_real += !ok;
        else
            bad_int += !ok;
        if (ok && !certificate(x, y, wp, n, cx, cy, k, lo, hi, zone, price, tol))
            bad_cert++;
        /* warm start from arbitrary prices: the same optimum */
        for (size_t j = 0; j < k; j++)
            pin[j] = (double)((long)gsl_rng_uniform_int(r, 41) - 20);
        st = zs_flow_assign(x, y, wp, n, cx, cy, k, lo, hi, pin, zone, price, &fs, &err);
        got = total_cost(x, y, wp, n, cx, cy, zone);
        if (!(st == ZS_OK && within_bounds(zone, n, k, lo, hi) && fabs(got - opt) <= tol &&
              certificate(x, y, wp, n, cx, cy, k, lo, hi, zone, price, tol)))
            bad_warm++;
        cases++;
    }
    gsl_rng_free(r);
    CHECK(bad_int == 0, "brute force: %d integer cases (n <= 8, k <= 3, ties) at the exact "
          "optimum", cases - cases / 3);
    CHECK(bad_real == 0, "brute force: %d real-coordinate cases at the optimum (1e-9)", cases / 3);
    CHECK(bad_cert == 0, "brute force: the returned prices certify every optimum");
    CHECK(bad_warm == 0, "brute force: warm starts from arbitrary prices reach the same optimum");
}

/* ------------------------------------------------------------- (b) GLPK */

static void test_glpk(void)
{
    static const struct { size_t n, k; int weighted, bounds; } cases[] = {
        {200, 5, 0, 0}, {500, 10, 1, 0}, {1000, 20, 0, 1}, {2000, 8, 0, 0},
        {1500, 12, 1, 1}, {800, 16, 0, 2}};
    gsl_rng *r = stream(22);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = cases[c].n, k = cases[c].k;
        double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *w = malloc(n * sizeof *w);
        double cx[20], cy[20], price[20], pin[20];
        size_t lo[20], hi[20];
        int32_t *zone = malloc(n * sizeof *zone);
        integer_instance(r, n, k, 1000, x, y, cx, cy);
        for (size_t i = 0; i < n; i++)
            w[i] = (double)(1 + gsl_rng_uniform_int(r, 3));
        const double *wp = cases[c].weighted ? w : NULL;
        const char *what;
        if (cases[c].bounds == 0) { /* +-10 % of the mean, as a balanced plan */
            for (size_t j = 0; j < k; j++) {
                lo[j] = (size_t)floor(0.9 * (double)n / (double)k);
                hi[j] = (size_t)ceil(1.1 * (double)n / (double)k);
            }
            what = "+-10%";
        } else if (cases[c].bounds == 1) {
            random_bounds(r, n, k, lo, hi);
            what = "random";
        } else { /* exact sizes: n / k each */
            for (size_t j = 0; j < k; j++)
                lo[j] = hi[j] = n / k;
            what = "exact";
        }
        zs_flow_stats fs;
        zs_err err;
        zs_status st = zs_flow_assign(x, y, wp, n, cx, cy, k, lo, hi, NULL, zone, price, &fs, &err);
        double ref = glpk_optimum(x, y, wp, n, cx, cy, k, lo, hi);
        CHECK(st == ZS_OK && within_bounds(zone, n, k, lo, hi) && fs.cost == ref,
              "glpk: n %zu, k %zu, %s bounds%s: cost %.0f = okalg optimum %.0f (imbalance %zu)",
              n, k, what, wp ? ", weights 1..3" : "", fs.cost, ref, fs.imbalance);
        CHECK(certificate(x, y, wp, n, cx, cy, k, lo, hi, zone, price, 0.0),
              "glpk: n %zu, k %zu: prices certify optimality exactly", n, k);
        CHECK(no_negative_cycle(x, y, wp, n, cx, cy, k, lo, hi, zone, 0.0),
              "glpk: n %zu, k %zu: no negative cycle in the residual graph", n, k);
        /* warm start from the prices of slightly moved centres */
        double mx[20], my[20];
        for (size_t j = 0; j < k; j++) {
            mx[j] = cx[j] + (double)((long)gsl_rng_uniform_int(r, 21) - 10);
            my[j] = cy[j] + (double)((long)gsl_rng_uniform_int(r, 21) - 10);
        }
        int32_t *z2 = malloc(n * sizeof *z2);
        zs_flow_stats f2, f3;
        st = zs_flow_assign(x, y, wp, n, mx, my, k, lo, hi, NULL, z2, pin, &f2, &err);
        st |= zs_flow_assign(x, y, wp, n, cx, cy, k, lo, hi, pin, z2, pin, &f3, &err);
        CHECK(st == ZS_OK && f3.cost == ref && within_bounds(z2, n, k, lo, hi) &&
                  certificate(x, y, wp, n, cx, cy, k, lo, hi, z2, pin, 0.0),
              "glpk: n %zu, k %zu: warm start from moved centres' prices: same optimum "
              "(imbalance %zu, cold %zu)", n, k, f3.imbalance, fs.imbalance);
        free(z2);
        free(x);
        free(y);
        free(w);
        free(zone);
    }
    gsl_rng_free(r);
}

/* ------------------------------------- (c) certificates on larger problems */

static void test_large(void)
{
    /* A city: clustered, real coordinates, workloads as cost weights; the
     * cold start goes through the sampled levels. */
    size_t n = 40000, k = 30;
    zs_points *pts = city(n);
    double cx[30], cy[30], price[30], p0[30] = {0};
    size_t lo[30], hi[30];
    gsl_rng *r = stream(33);
    for (size_t j = 0; j < k; j++) { /* centres at random points */
        size_t i = gsl_rng_uniform_int(r, n);
        cx[j] = pts->x[i];
        cy[j] = pts->y[i];
        lo[j] = 1273; /* n / k = 1333.3, -4.5 % */
        hi[j] = 1393;
    }
    int32_t *zone = malloc(n * sizeof *zone), *z0 = malloc(n * sizeof *z0);
    zs_flow_stats fs, f0;
    zs_err err;
    zs_status st = zs_flow_assign(pts->x, pts->y, pts->parcels, n, cx, cy, k, lo, hi, NULL, zone,
                                  price, &fs, &err);
    double maxc = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++)
            maxc = fmax(maxc, cij(pts->x, pts->y, pts->parcels, i, cx, cy, j));
    double tol = 1e-9 * maxc;
    CHECK(st == ZS_OK && within_bounds(zone, n, k, lo, hi) && fs.levels > 1,
          "large: city n %zu, k %zu, weighted: bounds met (%d levels, imbalance %zu, "
          "%zu moves)", n, k, fs.levels, fs.imbalance, fs.moves);
    CHECK(certificate(pts->x, pts->y, pts->parcels, n, cx, cy, k, lo, hi, zone, price, tol),
          "large: prices certify optimality (1e-9 of the largest cost)");
    CHECK(no_negative_cycle(pts->x, pts->y, pts->parcels, n, cx, cy, k, lo, hi, zone, tol),
          "large: no negative cycle in the residual graph");
    /* the same problem from zero prices in one level: the same optimum */
    st = zs_flow_assign(pts->x, pts->y, pts->parcels, n, cx, cy, k, lo, hi, p0, z0, NULL, &f0,
                        &err);
    CHECK(st == ZS_OK && f0.levels == 1 && fabs(f0.cost - fs.cost) <= 1e-12 * fs.cost,
          "large: one level from zero prices: same cost (%.10g vs %.10g, imbalance %zu)",
          f0.cost, fs.cost, f0.imbalance);
    /* warm start from the optimal prices: only points tied between two
     * centres under them (the last ones moved) can start elsewhere */
    size_t cold = fs.imbalance;
    st = zs_flow_assign(pts->x, pts->y, pts->parcels, n, cx, cy, k, lo, hi, price, z0, NULL, &f0,
                        &err);
    CHECK(st == ZS_OK && f0.imbalance * 20 < cold && fabs(f0.cost - fs.cost) <= 1e-12 * fs.cost,
          "large: warm start from the optimal prices: same cost, routes %zu units (cold %zu)",
          f0.imbalance, cold);
    /* loose bounds: the nearest assignment */
    st = zs_flow_assign(pts->x, pts->y, NULL, n, cx, cy, k, NULL, NULL, NULL, zone, price, &fs,
                        &err);
    int nearest = st == ZS_OK && fs.imbalance == 0;
    for (size_t i = 0; nearest && i < n; i++)
        for (size_t j = 0; j < k && nearest; j++)
            nearest = cij(pts->x, pts->y, NULL, i, cx, cy, (size_t)zone[i]) <
                          cij(pts->x, pts->y, NULL, i, cx, cy, j) ||
                      ((size_t)zone[i] <= j &&
                       cij(pts->x, pts->y, NULL, i, cx, cy, (size_t)zone[i]) ==
                           cij(pts->x, pts->y, NULL, i, cx, cy, j));
    CHECK(nearest, "large: without bounds every point is at its nearest centre (lower index "
          "on ties)");
    gsl_rng_free(r);
    free(zone);
    free(z0);
    zs_points_free(pts);
}

/* ----------------------------------------------------- degenerate inputs */

static void test_degenerate(void)
{
    zs_err err;
    zs_flow_stats fs;
    double x[12], y[12], cx[4] = {5, 5, 5, 0}, cy[4] = {5, 5, 5, 0}, price[4];
    int32_t zone[12], z2[12];
    for (size_t i = 0; i < 12; i++)
        x[i] = y[i] = 5.0; /* all points and three centres coincide */
    size_t lo[4] = {3, 3, 3, 3}, hi[4] = {3, 3, 3, 3};
    zs_status st = zs_flow_assign(x, y, NULL, 12, cx, cy, 4, lo, hi, NULL, zone, price, &fs, &err);
    zs_status st2 = zs_flow_assign(x, y, NULL, 12, cx, cy, 4, lo, hi, NULL, z2, NULL, NULL, &err);
    CHECK(st == ZS_OK && st2 == ZS_OK && within_bounds(zone, 12, 4, lo, hi) &&
              memcmp(zone, z2, sizeof zone) == 0 && fs.cost == 3 * 50.0,
          "degenerate: coincident points and centres, exact sizes: cost 150, deterministic");
    CHECK(certificate(x, y, NULL, 12, cx, cy, 4, lo, hi, zone, price, 0.0),
          "degenerate: ties certified");

    st = zs_flow_assign(x, y, NULL, 12, cx, cy, 1, NULL, NULL, NULL, zone, price, &fs, &err);
    int ok = st == ZS_OK;
    for (size_t i = 0; i < 12 && ok; i++)
        ok = zone[i] == 0;
    CHECK(ok, "degenerate: k = 1 takes every point");

    st = zs_flow_assign(NULL, NULL, NULL, 0, cx, cy, 2, NULL, NULL, NULL, zone, price, &fs, &err);
    CHECK(st == ZS_OK && fs.cost == 0.0, "degenerate: no points, no lower bounds: cost 0");

    /* more centres than points, lower bounds 0 except one */
    double px[3] = {0, 10, 20}, py[3] = {0, 0, 0}, qx[4] = {0, 10, 20, 30}, qy[4] = {0};
    size_t l4[4] = {0, 0, 0, 2}, h4[4] = {3, 3, 3, 3};
    st = zs_flow_assign(px, py, NULL, 3, qx, qy, 4, l4, h4, NULL, zone, price, &fs, &err);
    CHECK(st == ZS_OK && zone[0] == 0 && zone[1] == 3 && zone[2] == 3 && fs.cost == 400 + 100,
          "degenerate: k > n, centre 4 must take 2: the two nearest to it (cost 500)");

    /* zero weights cost nothing anywhere */
    double w0[3] = {0, 0, 0};
    st = zs_flow_assign(px, py, w0, 3, qx, qy, 4, l4, h4, NULL, zone, price, &fs, &err);
    CHECK(st == ZS_OK && fs.cost == 0.0 && within_bounds(zone, 3, 4, l4, h4),
          "degenerate: zero cost weights: cost 0, bounds met");
}

/* ----------------------------------------------------------- (d) errors */

static void expect_err(zs_status st, const zs_err *err, const char *want, const char *desc)
{
    CHECK(st == ZS_EINVAL && strcmp(err->msg, want) == 0, "errors: %s -> '%s' (got '%s')", desc,
          want, err->msg);
}

static void test_errors(void)
{
    double x[4] = {0, 1, 2, 3}, y[4] = {0, 0, 0, 0}, w[4] = {1, 1, 1, 1};
    double cx[2] = {0, 3}, cy[2] = {0, 0}, pin[2] = {0, 0};
    int32_t zone[4];
    zs_err err;
    size_t lo[2] = {3, 2}, hi[2] = {4, 4};
    zs_status st = zs_flow_assign(x, y, NULL, 4, cx, cy, 2, lo, hi, NULL, zone, NULL, NULL, &err);
    expect_err(st, &err, "flow: infeasible bounds: the lower bounds sum to 5, more than the 4 points",
               "lower bounds above n");
    size_t lo2[2] = {0, 0}, hi2[2] = {1, 2};
    st = zs_flow_assign(x, y, NULL, 4, cx, cy, 2, lo2, hi2, NULL, zone, NULL, NULL, &err);
    expect_err(st, &err, "flow: infeasible bounds: the upper bounds sum to 3, fewer than the 4 points",
               "upper bounds below n");
    size_t lo3[2] = {0, 3}, hi3[2] = {4, 2};
    st = zs_flow_assign(x, y, NULL, 4, cx, cy, 2, lo3, hi3, NULL, zone, NULL, NULL, &err);
    expect_err(st, &err, "flow: lo[1] = 3 exceeds hi[1] = 2", "lo > hi");
    size_t lo4[2] = {5, 0}, hi4[2] = {9, 4};
    st = zs_flow_assign(x, y, NULL, 4, cx, cy, 2, lo4, hi4, NULL, zone, NULL, NULL, &err);
    expect_err(st, &err, "flow: infeasible bounds: lo[0] = 5 exceeds the 4 points",
               "one lower bound above n");
    st = zs_flow_assign(x, y, NULL, 4, cx, cy, 0, NULL, NULL, NULL, zone, NULL, NULL, &err);
    expect_err(st, &err, "flow: k = 0 centres; must be >= 1", "k = 0");
    x[2] = NAN;
    st = zs_flow_assign(x, y, NULL, 4, cx, cy, 2, NULL, NULL, NULL, zone, NULL, NULL, &err);
    expect_err(st, &err, "flow: point index 2 has a non-finite coordinate (nan, 0)", "NaN point");
    x[2] = 2;
    w[1] = -1;
    st = zs_flow_assign(x, y, w, 4, cx, cy, 2, NULL, NULL, NULL, zone, NULL, NULL, &err);
    expect_err(st, &err, "flow: weight of point index 1 = -1; must be finite and >= 0",
               "negative weight");
    cy[1] = INFINITY;
    st = zs_flow_assign(x, y, NULL, 4, cx, cy, 2, NULL, NULL, NULL, zone, NULL, NULL, &err);
    expect_err(st, &err, "flow: centre index 1 = (3, inf); must be finite", "infinite centre");
    cy[1] = 0;
    pin[0] = NAN;
    st = zs_flow_assign(x, y, NULL, 4, cx, cy, 2, NULL, NULL, pin, zone, NULL, NULL, &err);
    expect_err(st, &err, "flow: price_in[0] = nan; must be finite", "NaN price");
    x[3] = 1e200;
    st = zs_flow_assign(x, y, NULL, 4, cx, cy, 2, NULL, NULL, NULL, zone, NULL, NULL, &err);
    expect_err(st, &err,
               "flow: coordinates span (1e+200, 0) m; weighted squared distances would overflow",
               "overflowing span");
}

/* ---------------------------------------- determinism and thread count */

static void test_threads(void)
{
    size_t n = 60000, k = 40;
    zs_points *pts = city(n);
    double cx[40], cy[40], p1[40], p2[40];
    size_t lo[40], hi[40];
    for (size_t j = 0; j < k; j++) {
        cx[j] = pts->x[j * 1499];
        cy[j] = pts->y[j * 1499];
        lo[j] = 1400;
        hi[j] = 1600;
    }
    int32_t *z1 = malloc(n * sizeof *z1), *z2 = malloc(n * sizeof *z2);
    zs_flow_stats f1, f2;
    zs_err err;
    int nt = omp_get_max_threads();
    omp_set_num_threads(1);
    zs_status st = zs_flow_assign(pts->x, pts->y, NULL, n, cx, cy, k, lo, hi, NULL, z1, p1, &f1,
                                  &err);
    omp_set_num_threads(2);
    st |= zs_flow_assign(pts->x, pts->y, NULL, n, cx, cy, k, lo, hi, NULL, z2, p2, &f2, &err);
    omp_set_num_threads(nt);
    CHECK(st == ZS_OK && memcmp(z1, z2, n * sizeof *z1) == 0 &&
              memcmp(p1, p2, sizeof p1) == 0 && f1.cost == f2.cost && f1.moves == f2.moves,
          "threads: 1 and 2 threads give identical zones, prices and work (n %zu, k %zu)", n, k);
    free(z1);
    free(z2);
    zs_points_free(pts);
}

/* ---------------------------------------------- (e) balanced-flow method */

/* The count bounds the header documents. */
static void doc_bounds(size_t n, size_t k, double tol, size_t *lo, size_t *hi)
{
    double mean = (double)n / (double)k;
    double a = ceil((1.0 - tol) * mean - 1e-9 * mean), b = floor((1.0 + tol) * mean + 1e-9 * mean);
    *lo = a > 0.0 ? (size_t)a : 0;
    *hi = (size_t)b;
    if (*lo > n / k)
        *lo = n / k;
    if (*hi < (n + k - 1) / k)
        *hi = (n + k - 1) / k;
    if (*lo < 1)
        *lo = 1;
}

static int same_plan(const zs_partition *a, const zs_partition *b)
{
    return a->n == b->n && a->k == b->k &&
           memcmp(a->zone, b->zone, a->n * sizeof *a->zone) == 0 &&
           memcmp(a->cx, b->cx, a->k * sizeof *a->cx) == 0 &&
           memcmp(a->cy, b->cy, a->k * sizeof *a->cy) == 0 && a->objective == b->objective &&
           a->iterations == b->iterations && strcmp(a->status, b->status) == 0;
}

static void test_method(void)
{
    zs_err err;
    zs_partition_method pm;
    CHECK(zs_partition_method_parse("balanced-flow", &pm, &err) == ZS_OK &&
              pm == ZS_PM_BALANCED_FLOW &&
              strcmp(zs_partition_method_name(ZS_PM_BALANCED_FLOW), "balanced-flow") == 0,
          "method: 'balanced-flow' parses and names round-trip");
    CHECK(zs_partition_method_parse("balanced", &pm, &err) == ZS_EINVAL &&
              strstr(err.msg, "balanced-flow") != NULL,
          "method: the unknown-method message lists balanced-flow");

    size_t n = 6000, k = 12;
    zs_points *pts = city(n);
    zs_partition_opts o;
    zs_partition_opts_defaults(&o);
    o.method = ZS_PM_BALANCED_FLOW;
    o.k = k;
    o.tolerance = 0.05;
    size_t lo, hi;
    doc_bounds(n, k, o.tolerance, &lo, &hi);
    zs_partition *a = NULL, *b = NULL, *c = NULL;
    zs_status st = zs_partition_solve(pts->x, pts->y, NULL, n, &o, &a, &err);
    size_t los[12], his[12];
    for (size_t j = 0; j < k; j++) {
        los[j] = lo;
        his[j] = hi;
    }
    CHECK(st == ZS_OK && a->k == k && within_bounds(a->zone, n, k, los, his),
          "method: every zone's count within [%zu, %zu] (n %zu, k %zu, tol 0.05)", lo, hi, n, k);
    CHECK(st == ZS_OK && strcmp(a->method, "balanced-flow") == 0 &&
              strcmp(a->status, "heuristic, not proven") == 0 && a->converged == 1 && a->iterations >= 1 &&
              a->balance.met == 1 && a->balance.maxdev <= 0.05,
          "method: converged in %d rounds, balance met (maxdev %.4f), status '%s'",
          st == ZS_OK ? a->iterations : -1, st == ZS_OK ? a->balance.maxdev : -1.0,
          st == ZS_OK ? a->status : "");
    /* the final plan is an optimal assignment to its own centres */
    int32_t *z = malloc(n * sizeof *z);
    zs_flow_stats fs;
    st = zs_flow_assign(pts->x, pts->y, NULL, n, a->cx, a->cy, k, los, his, NULL, z, NULL, &fs,
                        &err);
    CHECK(st == ZS_OK && fabs(fs.cost - a->objective) <= 1e-9 * a->objective,
          "method: its SSE %.8g is the optimal capacitated cost to its centres (%.8g)",
          a->objective, fs.cost);
    free(z);
    /* deterministic, and the same on 1 and 2 threads */
    int nt = omp_get_max_threads();
    omp_set_num_threads(1);
    st = zs_partition_solve(pts->x, pts->y, NULL, n, &o, &b, &err);
    omp_set_num_threads(2);
    st |= zs_partition_solve(pts->x, pts->y, NULL, n, &o, &c, &err);
    omp_set_num_threads(nt);
    CHECK(st == ZS_OK && same_plan(a, b) && same_plan(b, c),
          "method: identical plans from repeated calls on 1 and 2 threads");
    zs_partition_free(a);
    zs_partition_free(b);
    zs_partition_free(c);

    /* workloads: counts are what is bounded; the balance fields judge the workloads */
    a = NULL;
    st = zs_partition_solve(pts->x, pts->y, pts->parcels, n, &o, &a, &err);
    double *load = calloc(k, sizeof *load), tot = 0.0, dev = 0.0;
    for (size_t i = 0; st == ZS_OK && i < n; i++)
        load[a->zone[i]] += pts->parcels[i];
    for (size_t j = 0; j < k; j++)
        tot += load[j];
    for (size_t j = 0; j < k; j++)
        dev = fmax(dev, fabs(load[j] - tot / (double)k) / (tot / (double)k));
    CHECK(st == ZS_OK && within_bounds(a->zone, n, k, los, his) &&
              strcmp(a->status, "heuristic, not proven") == 0 && a->converged == 1 &&
              fabs(a->balance.maxdev - dev) <= 1e-12 && a->balance.met == (dev <= 0.05),
          "method: with workloads the counts are bounded, status '%s', workload deviation "
          "%.4f reported honestly", st == ZS_OK ? a->status : err.msg, dev);
    free(load);
    zs_partition_free(a);

    /* tolerance 0, k divides n: every zone the same size */
    o.tolerance = 0.0;
    o.k = 10;
    a = NULL;
    st = zs_partition_solve(pts->x, pts->y, NULL, n, &o, &a, &err);
    size_t eq[10];
    for (size_t j = 0; j < 10; j++)
        eq[j] = n / 10;
    CHECK(st == ZS_OK && within_bounds(a->zone, n, 10, eq, eq) && a->balance.maxdev == 0.0,
          "method: tolerance 0 gives %zu points in each of 10 zones", n / 10);
    zs_partition_free(a);

    /* No integer count within a tiny tolerance: widened to floor / ceil
     * of n/k (6000 / 7 = 857.14 -> 857..858); a tolerance of 2 leaves
     * lower bounds of 1, so no zone is empty. */
    o.k = 7;
    o.tolerance = 1e-4;
    a = NULL;
    st = zs_partition_solve(pts->x, pts->y, NULL, n, &o, &a, &err);
    size_t l7[7], h7[7];
    for (size_t j = 0; j < 7; j++) {
        l7[j] = 857;
        h7[j] = 858;
    }
    CHECK(st == ZS_OK && within_bounds(a->zone, n, 7, l7, h7) && a->balance.met == 0,
          "method: tolerance 1e-4, k 7: counts 857..858 (no integer count fits), balance "
          "honestly not met");
    zs_partition_free(a);
    o.tolerance = 2.0;
    a = NULL;
    st = zs_partition_solve(pts->x, pts->y, NULL, n, &o, &a, &err);
    CHECK(st == ZS_OK && a->k == 7 && within_bounds(a->zone, n, 7, (size_t[7]){1, 1, 1, 1, 1, 1, 1},
                                                     NULL),
          "method: tolerance 2: lower bounds of 1 point, 7 non-empty zones");
    zs_partition_free(a);

    /* max_iter 1: one assignment, reported as the iteration limit */
    o.tolerance = 0.05;
    o.k = k;
    o.max_iter = 1;
    a = NULL;
    st = zs_partition_solve(pts->x, pts->y, NULL, n, &o, &a, &err);
    CHECK(st == ZS_OK && a->iterations == 1 && a->converged == 0 &&
              strcmp(a->status, "heuristic, not proven") == 0 && within_bounds(a->zone, n, k, los, his),
          "method: max_iter 1 stops after one assignment, not converged");
    zs_partition_free(a);
    zs_points_free(pts);
}

/* ------------------------------------------------ (f) allocation failures */

static void test_alloc_failures(void)
{
    /* Every point nearest centre 0, bounds forcing a quarter into each of
     * the others: member arrays grow and lists are rebuilt; n above the
     * sampling threshold gives the sampled level too. */
    size_t n = 5000, k = 4;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    gsl_rng *r = stream(44);
    for (size_t i = 0; i < n; i++) {
        x[i] = 100.0 * gsl_rng_uniform(r);
        y[i] = 100.0 * gsl_rng_uniform(r);
    }
    gsl_rng_free(r);
    double cx[4] = {50, 500, -400, 50}, cy[4] = {50, 50, 50, 600}, price[4];
    size_t lo[4] = {1250, 1250, 1250, 1250}, hi[4] = {1250, 1250, 1250, 1250};
    int32_t *zone = malloc(n * sizeof *zone);
    zs_err err;
    zs_flow_stats fs;
    long i;
    int all = 1;
    for (i = 0; i < 500; i++) {
        zs_alloc_fail_after(i);
        zs_status st = zs_flow_assign(x, y, NULL, n, cx, cy, k, lo, hi, NULL, zone, price, &fs, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        all &= st == ZS_ENOMEM;
    }
    CHECK(all && i > 30 && i < 500 && within_bounds(zone, n, k, lo, hi) && fs.levels == 2,
          "alloc: zs_flow_assign returns ZS_ENOMEM at each of %ld allocation failures", i);

    zs_partition_opts o;
    zs_partition_opts_defaults(&o);
    o.method = ZS_PM_BALANCED_FLOW;
    o.k = 5;
    o.kmeans.restarts = 1;
    o.merge_isolated = 1;
    size_t m = 300;
    all = 1;
    for (i = 0; i < 600; i++) {
        zs_partition *p = NULL;
        zs_alloc_fail_after(i);
        zs_status st = zs_partition_solve(x, y, NULL, m, &o, &p, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_partition_free(p);
            break;
        }
        all &= st == ZS_ENOMEM && p == NULL;
    }
    CHECK(all && i > 0 && i < 600,
          "alloc: balanced-flow returns ZS_ENOMEM and no plan at each of %ld allocation failures",
          i);
    free(x);
    free(y);
    free(zone);
}

int main(void)
{
    glp_term_out(GLP_OFF);
    test_brute_force();
    test_glpk();
    test_large();
    test_degenerate();
    test_errors();
    test_threads();
    test_method();
    test_alloc_failures();
    glp_free_env();
    return zs_test_done();
}
