/* tests/test_partition.c -- zone plans: k-means, manual labels, capacity rule
 * (engine/partition/partition.h).  k-means is compared step by step with a
 * plain Lloyd written out here (test_exact). */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "partition/partition.h"
#include "input/points.h"
#include "models/alloc.h"
#include "models/rng.h"
#include "check.h"

static char tmpdir[] = "/tmp/zs_test_partition_XXXXXX";

/* ---------------------------------------------------------------- helpers */

/* SSE of p recomputed serially (weighted when w is not NULL). */
static double sse_of(const zs_partition *p, const double *x, const double *y, const double *w)
{
    double s = 0.0;
    for (size_t i = 0; i < p->n; i++) {
        double dx = x[i] - p->cx[p->zone[i]], dy = y[i] - p->cy[p->zone[i]];
        s += (w ? w[i] : 1.0) * (dx * dx + dy * dy);
    }
    return s;
}

/* 1 when every zone index is in range and every zone has a point. */
static int zones_valid(const zs_partition *p)
{
    size_t *cnt = calloc(p->k, sizeof *cnt);
    int ok = 1;
    for (size_t i = 0; i < p->n; i++) {
        if (p->zone[i] < 0 || (size_t)p->zone[i] >= p->k) {
            ok = 0;
            break;
        }
        cnt[p->zone[i]]++;
    }
    for (size_t z = 0; ok && z < p->k; z++)
        ok = cnt[z] > 0;
    free(cnt);
    return ok;
}

/* Points of 3 squares of side 100 m centred on (0,0), (1000,0), (0,1000). */
static void three_clusters(size_t n, double *x, double *y, int *truth)
{
    gsl_rng *r = zs_rng_create();
    zs_rng_rekey(r, zs_rng_key(7, 0, 0, 0, ZS_PURPOSE_CITYGEN));
    static const double c[3][2] = {{0, 0}, {1000, 0}, {0, 1000}};
    for (size_t i = 0; i < n; i++) {
        int g = (int)(i % 3);
        x[i] = c[g][0] + 100.0 * (gsl_rng_uniform(r) - 0.5);
        y[i] = c[g][1] + 100.0 * (gsl_rng_uniform(r) - 0.5);
        truth[i] = g;
    }
    gsl_rng_free(r);
}

static void expect_kmeans_error(const double *x, const double *y, const double *w, size_t n,
                                size_t k, const zs_kmeans_opts *o, const char *want,
                                const char *desc)
{
    zs_err err;
    zs_err_clear(&err);
    zs_partition dummy, *p = &dummy;
    zs_status st = zs_partition_kmeans(x, y, w, n, k, o, &p, &err);
    CHECK(st == ZS_EINVAL && p == NULL, "%s: ZS_EINVAL, no plan", desc);
    CHECK(strcmp(err.msg, want) == 0, "%s: message '%s' (got '%s')", desc, want, err.msg);
}

/* ---------------------------------------------------------------- k-means */

static void test_opts(void)
{
    CHECK(zs_partition_method_targets_band("territory") &&
              zs_partition_method_targets_band("kmeans-balanced") &&
              zs_partition_method_targets_band("kmeans-two-stage") &&
              !zs_partition_method_targets_band("kmeans") &&
              !zs_partition_method_targets_band("pmedian-ip") &&
              !zs_partition_method_targets_band("manual") && !zs_partition_method_targets_band(NULL),
          "the band is the own target of kmeans-balanced, kmeans-two-stage and territory only");
    zs_kmeans_opts o;
    memset(&o, 0xff, sizeof o);
    zs_kmeans_opts_defaults(&o);
    CHECK(o.seed == 1 && o.restarts == 4 && o.max_iter == 300 && o.tol == 0.0 && o.weighted == 0,
          "defaults: seed 1, restarts 4, max_iter 300, tol 0, unweighted");
    zs_err err;
    CHECK(zs_kmeans_opts_validate(&o, &err) == ZS_OK, "defaults validate");
    zs_kmeans_opts b = o;
    b.restarts = 0;
    CHECK(zs_kmeans_opts_validate(&b, &err) == ZS_EINVAL &&
              strcmp(err.msg, "kmeans.restarts = 0; must be >= 1") == 0,
          "restarts 0 rejected (%s)", err.msg);
    b = o;
    b.max_iter = -3;
    CHECK(zs_kmeans_opts_validate(&b, &err) == ZS_EINVAL &&
              strcmp(err.msg, "kmeans.max_iter = -3; must be >= 1") == 0,
          "max_iter -3 rejected (%s)", err.msg);
    b = o;
    b.tol = -0.5;
    CHECK(zs_kmeans_opts_validate(&b, &err) == ZS_EINVAL &&
              strcmp(err.msg, "kmeans.tol = -0.5; must be finite and >= 0") == 0,
          "tol -0.5 rejected (%s)", err.msg);
    b = o;
    b.tol = NAN;
    CHECK(zs_kmeans_opts_validate(&b, &err) == ZS_EINVAL && strstr(err.msg, "kmeans.tol = nan"),
          "tol NaN rejected (%s)", err.msg);
    b = o;
    b.weighted = 2;
    CHECK(zs_kmeans_opts_validate(&b, &err) == ZS_EINVAL &&
              strcmp(err.msg, "kmeans.weighted = 2; must be 0 or 1") == 0,
          "weighted 2 rejected (%s)", err.msg);
    double x[10] = {0}, y[10] = {0};
    b = o;
    b.restarts = 0;
    expect_kmeans_error(x, y, NULL, 10, 3, &b, "kmeans.restarts = 0; must be >= 1",
                        "kmeans checks its options");
}

static void test_input_errors(void)
{
    double x[10], y[10], w[10];
    for (int i = 0; i < 10; i++) {
        x[i] = i;
        y[i] = -i;
        w[i] = 1.0;
    }
    zs_kmeans_opts o;
    zs_kmeans_opts_defaults(&o);
    expect_kmeans_error(x, y, NULL, 10, 12, &o, "k = 12 exceeds the number of points (10)", "k > n");
    expect_kmeans_error(x, y, NULL, 10, 0, &o, "k = 0; must be >= 1", "k = 0");
    expect_kmeans_error(x, y, NULL, 0, 1, &o, "k = 1 exceeds the number of points (0)", "no points");
    o.weighted = 1;
    w[7] = -2.0;
    expect_kmeans_error(x, y, w, 10, 2, &o,
                        "weight of point index 7 = -2; weights must be finite and >= 0",
                        "negative weight");
    w[7] = NAN;
    expect_kmeans_error(x, y, w, 10, 2, &o,
                        "weight of point index 7 = nan; weights must be finite and >= 0",
                        "NaN weight");
    w[7] = INFINITY;
    expect_kmeans_error(x, y, w, 10, 2, &o,
                        "weight of point index 7 = inf; weights must be finite and >= 0",
                        "infinite weight");
    for (int i = 0; i < 10; i++)
        w[i] = 0.0;
    expect_kmeans_error(x, y, w, 10, 2, &o,
                        "all 10 weights are zero; weighted k-means needs a positive total",
                        "all weights zero");
    o.weighted = 0;
    zs_partition *p = NULL;
    zs_err err;
    CHECK(zs_partition_kmeans(x, y, w, 10, 2, &o, &p, &err) == ZS_OK && p,
          "unweighted: the w array (all zero) is ignored");
    zs_partition_free(p);
    x[4] = NAN;
    expect_kmeans_error(x, y, NULL, 10, 2, &o, "point index 4 has a non-finite coordinate (nan, -4)",
                        "NaN coordinate");
}

static void test_clusters(void)
{
    enum { N = 300 };
    static double x[N], y[N];
    static int truth[N];
    three_clusters(N, x, y, truth);
    zs_err err;
    zs_partition *p = NULL;
    zs_status st = zs_partition_kmeans(x, y, NULL, N, 3, NULL, &p, &err);
    CHECK(st == ZS_OK && p, "3 squares, k = 3, default options (%s)", st ? err.msg : "ok");
    if (!p)
        return;
    CHECK(p->n == N && p->k == 3 && zones_valid(p), "n, k and every zone non-empty");
    int same = 1, map[3] = {-1, -1, -1};
    for (size_t i = 0; i < N; i++) {
        if (map[truth[i]] < 0)
            map[truth[i]] = p->zone[i];
        same &= map[truth[i]] == p->zone[i];
    }
    CHECK(same && map[0] != map[1] && map[1] != map[2] && map[0] != map[2],
          "the 3 squares are recovered exactly");
    CHECK(strcmp(p->method, "kmeans") == 0 && strcmp(p->status, "heuristic, not proven") == 0 && p->converged == 1,
          "method kmeans, status 'heuristic, not proven', converged");
    CHECK(p->iterations >= 1 && p->iterations < 300, "iterations %d in 1..299", p->iterations);
    CHECK(strcmp(p->label[0], "1") == 0 && strcmp(p->label[1], "2") == 0 && strcmp(p->label[2], "3") == 0,
          "labels 1, 2, 3");
    CHECK_NEAR(p->objective, sse_of(p, x, y, NULL), 1e-9 * p->objective, "objective is the SSE");
    /* Centres are the means of their points. */
    double sx[3] = {0}, sy[3] = {0}, c[3] = {0};
    for (size_t i = 0; i < N; i++) {
        sx[p->zone[i]] += x[i];
        sy[p->zone[i]] += y[i];
        c[p->zone[i]]++;
    }
    int means = 1, nearest = 1;
    for (int z = 0; z < 3; z++)
        means &= fabs(p->cx[z] - sx[z] / c[z]) < 1e-9 && fabs(p->cy[z] - sy[z] / c[z]) < 1e-9;
    CHECK(means, "centres are the means of their zones");
    for (size_t i = 0; i < N; i++) {
        int best = 0;
        double bd = HUGE_VAL;
        for (int z = 0; z < 3; z++) {
            double d = (x[i] - p->cx[z]) * (x[i] - p->cx[z]) + (y[i] - p->cy[z]) * (y[i] - p->cy[z]);
            if (d < bd) {
                bd = d;
                best = z;
            }
        }
        nearest &= best == p->zone[i];
    }
    CHECK(nearest, "converged: every point is in its nearest centre's zone");
    CHECK(p->runtime_s >= 0.0 && p->runtime_s < 60.0, "runtime recorded");

    zs_partition *q = NULL;
    zs_partition_kmeans(x, y, NULL, N, 3, NULL, &q, &err);
    CHECK(q && memcmp(p->zone, q->zone, N * sizeof *p->zone) == 0 && p->cx[0] == q->cx[0] &&
              p->cy[2] == q->cy[2] && p->objective == q->objective,
          "same seed: identical plan, bit for bit");
    zs_partition_free(q);
    zs_partition_free(p);
    zs_partition_free(NULL);
    CHECK(1, "partition free(NULL) is a no-op");
}

/* Bit-identical for 1 and 4 threads with points spanning many blocks. */
static void test_threads(void)
{
    enum { N = 30000, K = 12 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w);
    gsl_rng *r = zs_rng_create();
    zs_rng_rekey(r, zs_rng_key(11, 0, 0, 0, ZS_PURPOSE_CITYGEN));
    for (size_t i = 0; i < N; i++) {
        x[i] = 10000.0 * gsl_rng_uniform(r);
        y[i] = 8000.0 * gsl_rng_uniform(r);
        w[i] = floor(4.0 * gsl_rng_uniform(r)); /* 0..3 parcels, zeros included */
    }
    gsl_rng_free(r);
    zs_kmeans_opts o;
    zs_kmeans_opts_defaults(&o);
    o.restarts = 2;
    o.max_iter = 40;
    o.weighted = 1;
    o.seed = 99;
    zs_partition *p1 = NULL, *p4 = NULL;
    zs_err err;
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    zs_status s1 = zs_partition_kmeans(x, y, w, N, K, &o, &p1, &err);
    omp_set_num_threads(4);
    zs_status s4 = zs_partition_kmeans(x, y, w, N, K, &o, &p4, &err);
    omp_set_num_threads(saved);
    CHECK(s1 == ZS_OK && s4 == ZS_OK, "30000 weighted points, k = 12, on 1 and 4 threads");
    if (p1 && p4) {
        CHECK(memcmp(p1->zone, p4->zone, N * sizeof *p1->zone) == 0, "1 vs 4 threads: same zones");
        CHECK(memcmp(p1->cx, p4->cx, K * sizeof(double)) == 0 &&
                  memcmp(p1->cy, p4->cy, K * sizeof(double)) == 0,
              "1 vs 4 threads: bit-identical centres");
        CHECK(p1->objective == p4->objective && p1->iterations == p4->iterations,
              "1 vs 4 threads: same objective bits and iterations");
        CHECK(zones_valid(p1), "every zone non-empty");
        CHECK_NEAR(p1->objective, sse_of(p1, x, y, w), 1e-9 * p1->objective,
                   "objective is the weighted SSE");
    }
    /* More restarts keep the best: restart 0 is the same stream, so the
     * best of 4 can only be lower or equal. */
    zs_partition *pr = NULL;
    o.restarts = 4;
    zs_partition_kmeans(x, y, w, N, K, &o, &pr, &err);
    zs_partition *p0 = NULL;
    o.restarts = 1;
    zs_partition_kmeans(x, y, w, N, K, &o, &p0, &err);
    CHECK(pr && p0 && pr->objective <= p0->objective,
          "best of 4 restarts (%.6g) <= restart 0 alone (%.6g)", pr ? pr->objective : 0,
          p0 ? p0->objective : 0);
    zs_partition *ps = NULL;
    o.seed = 100;
    zs_partition_kmeans(x, y, w, N, K, &o, &ps, &err);
    CHECK(ps && p0 && memcmp(ps->cx, p0->cx, K * sizeof(double)) != 0, "another seed, other centres");
    /* Iteration limit and tolerance. */
    zs_partition *pl = NULL, *pt = NULL;
    o.seed = 99;
    o.max_iter = 1;
    zs_partition_kmeans(x, y, w, N, K, &o, &pl, &err);
    CHECK(pl && pl->iterations == 1 && pl->converged == 0 && strcmp(pl->status, "heuristic, not proven") == 0,
          "max_iter 1: not converged (status 'heuristic, not proven')");
    o.max_iter = 300;
    o.tol = 0.05;
    zs_partition_kmeans(x, y, w, N, K, &o, &pt, &err);
    CHECK(pt && p0 && pt->converged && pt->iterations < p0->iterations && pt->iterations >= 2,
          "tol 0.05 stops early (%d < %d iterations), as converged",
          pt ? pt->iterations : -1, p0 ? p0->iterations : -1);
    zs_partition_free(p1);
    zs_partition_free(p4);
    zs_partition_free(pr);
    zs_partition_free(p0);
    zs_partition_free(ps);
    zs_partition_free(pl);
    zs_partition_free(pt);
    free(x);
    free(y);
    free(w);
}

static void test_weights_and_degenerate(void)
{
    zs_err err;
    zs_kmeans_opts o;
    zs_kmeans_opts_defaults(&o);
    o.weighted = 1;
    double x[2] = {0, 4}, y[2] = {0, 0}, w[2] = {3, 1};
    zs_partition *p = NULL;
    zs_partition_kmeans(x, y, w, 2, 1, &o, &p, &err);
    CHECK(p && p->cx[0] == 1.0 && p->cy[0] == 0.0, "weighted k = 1: centre at the weighted mean (1, 0)");
    CHECK(p && p->objective == 12.0, "weighted SSE 3*1 + 1*9 = 12");
    zs_partition_free(p);
    o.weighted = 0;
    p = NULL;
    zs_partition_kmeans(x, y, w, 2, 1, &o, &p, &err);
    CHECK(p && p->cx[0] == 2.0 && p->objective == 8.0, "unweighted k = 1: plain mean (2, 0), SSE 8");
    zs_partition_free(p);

    /* Zero-weight points are never seeds and do not pull centres. */
    double zx[12] = {0, 100}, zy[12] = {0, 0}, zw[12] = {1, 1};
    for (int i = 2; i < 12; i++) {
        zx[i] = 50.0;
        zy[i] = 10.0 * i;
    }
    o.weighted = 1;
    p = NULL;
    zs_partition_kmeans(zx, zy, zw, 12, 2, &o, &p, &err);
    CHECK(p && fmin(p->cx[0], p->cx[1]) == 0.0 && fmax(p->cx[0], p->cx[1]) == 100.0 &&
              p->cy[0] == 0.0 && p->cy[1] == 0.0 && p->objective == 0.0,
          "weighted: centres on the two weighted points, weighted SSE 0");
    CHECK(p && p->zone[0] != p->zone[1], "weighted: the two weighted points in different zones");
    zs_partition_free(p);

    /* Identical points: seeding must duplicate centres and Lloyd must
     * re-seed the empty zones. */
    double dx[5] = {7, 7, 7, 7, 7}, dy[5] = {3, 3, 3, 3, 3};
    p = NULL;
    zs_status st = zs_partition_kmeans(dx, dy, NULL, 5, 3, NULL, &p, &err);
    CHECK(st == ZS_OK && p && zones_valid(p) && p->objective == 0.0,
          "5 identical points, k = 3: every zone non-empty, SSE 0");
    zs_partition_free(p);
    double ex[4] = {0, 0, 0, 10}, ey[4] = {0, 0, 0, 0};
    p = NULL;
    st = zs_partition_kmeans(ex, ey, NULL, 4, 3, NULL, &p, &err);
    CHECK(st == ZS_OK && p && zones_valid(p) && p->objective == 0.0,
          "3 duplicates + 1, k = 3: every zone non-empty, SSE 0");
    zs_partition_free(p);
    double kx[4] = {1, 5, 2, 9}, ky[4] = {0, 0, 4, 4};
    p = NULL;
    st = zs_partition_kmeans(kx, ky, NULL, 4, 4, NULL, &p, &err);
    CHECK(st == ZS_OK && p && zones_valid(p) && p->objective == 0.0, "k = n: one point a zone, SSE 0");
    zs_partition_free(p);
}

static void test_kmeans_alloc(void)
{
    enum { N = 5000 }; /* two blocks */
    static double x[N], y[N];
    static int truth[N];
    three_clusters(N, x, y, truth);
    zs_err err;
    int all = 1;
    long i;
    for (i = 0; i < 100; i++) {
        zs_partition dummy, *p = &dummy;
        zs_alloc_fail_after(i);
        zs_status st = zs_partition_kmeans(x, y, NULL, N, 3, NULL, &p, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_partition_free(p);
            break;
        }
        all &= st == ZS_ENOMEM && p == NULL;
    }
    CHECK(all && i > 0 && i < 100, "kmeans: ZS_ENOMEM, no plan at each of %ld allocation failures", i);
}

/* ------------------------------------------ initial centres and exactness */

/* Plain Lloyd, written out for comparison: every point scans every centre
 * (lower index on ties), sums per block of REF_BLOCK points added in block
 * order, empty zones refilled with the farthest point.  REF_BLOCK mirrors
 * KM_BLOCK in kmeans.c so that the centres come out bit for bit the same;
 * were they to drift apart, centres would differ in the last bits only. */
#define REF_BLOCK 4096

typedef struct {
    size_t n, k;
    const double *x, *y, *w;
    double *cx, *cy, *d2, *sw, *sx, *sy, *bw, *bx, *by;
    size_t *cnt, *bc;
    int32_t *zone;
} ref_km;

static int ref_init(ref_km *r, const double *x, const double *y, const double *w, size_t n,
                    size_t k, const double *ix, const double *iy)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    r->k = k;
    r->x = x;
    r->y = y;
    r->w = w;
    r->cx = malloc(k * sizeof(double));
    r->cy = malloc(k * sizeof(double));
    r->sw = malloc(k * sizeof(double));
    r->sx = malloc(k * sizeof(double));
    r->sy = malloc(k * sizeof(double));
    r->bw = malloc(k * sizeof(double));
    r->bx = malloc(k * sizeof(double));
    r->by = malloc(k * sizeof(double));
    r->cnt = malloc(k * sizeof(size_t));
    r->bc = malloc(k * sizeof(size_t));
    r->d2 = malloc(n * sizeof(double));
    r->zone = malloc(n * sizeof(int32_t));
    if (!r->cx || !r->cy || !r->sw || !r->sx || !r->sy || !r->bw || !r->bx || !r->by || !r->cnt ||
        !r->bc || !r->d2 || !r->zone)
        return -1;
    memcpy(r->cx, ix, k * sizeof(double));
    memcpy(r->cy, iy, k * sizeof(double));
    for (size_t i = 0; i < n; i++)
        r->zone[i] = -1;
    return 0;
}

static void ref_free(ref_km *r)
{
    void *all[] = {r->cx, r->cy, r->sw, r->sx, r->sy, r->bw, r->bx, r->by, r->cnt, r->bc, r->d2, r->zone};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
}

/* One plain Lloyd step; returns the number of changed assignments. */
static size_t ref_step(ref_km *r)
{
    size_t n = r->n, k = r->k, changed = 0;
    for (size_t i = 0; i < n; i++) {
        double bd = HUGE_VAL;
        int32_t best = 0;
        for (size_t c = 0; c < k; c++) {
            double dx = r->x[i] - r->cx[c], dy = r->y[i] - r->cy[c];
            double d = dx * dx + dy * dy;
            if (d < bd) {
                bd = d;
                best = (int32_t)c;
            }
        }
        changed += r->zone[i] != best;
        r->zone[i] = best;
        r->d2[i] = bd;
    }
    memset(r->sw, 0, k * sizeof(double));
    memset(r->sx, 0, k * sizeof(double));
    memset(r->sy, 0, k * sizeof(double));
    memset(r->cnt, 0, k * sizeof(size_t));
    for (size_t i0 = 0; i0 < n; i0 += REF_BLOCK) {
        memset(r->bw, 0, k * sizeof(double));
        memset(r->bx, 0, k * sizeof(double));
        memset(r->by, 0, k * sizeof(double));
        memset(r->bc, 0, k * sizeof(size_t));
        for (size_t i = i0; i < n && i < i0 + REF_BLOCK; i++) {
            double wi = r->w ? r->w[i] : 1.0;
            r->bw[r->zone[i]] += wi;
            r->bx[r->zone[i]] += wi * r->x[i];
            r->by[r->zone[i]] += wi * r->y[i];
            r->bc[r->zone[i]]++;
        }
        for (size_t c = 0; c < k; c++) {
            r->sw[c] += r->bw[c];
            r->sx[c] += r->bx[c];
            r->sy[c] += r->by[c];
            r->cnt[c] += r->bc[c];
        }
    }
    for (size_t c = 0; c < k; c++) {
        if (r->cnt[c] > 0)
            continue;
        size_t best = n;
        double bd = -1.0;
        for (size_t i = 0; i < n; i++)
            if (r->cnt[r->zone[i]] >= 2 && r->d2[i] > bd) {
                bd = r->d2[i];
                best = i;
            }
        if (best == n)
            break;
        size_t old = (size_t)r->zone[best];
        double wi = r->w ? r->w[best] : 1.0;
        r->sw[old] -= wi;
        r->sx[old] -= wi * r->x[best];
        r->sy[old] -= wi * r->y[best];
        r->cnt[old]--;
        r->sw[c] = wi;
        r->sx[c] = wi * r->x[best];
        r->sy[c] = wi * r->y[best];
        r->cnt[c] = 1;
        r->cx[c] = r->x[best];
        r->cy[c] = r->y[best];
        r->zone[best] = (int32_t)c;
        r->d2[best] = 0.0;
        changed++;
    }
    for (size_t c = 0; c < k; c++)
        if (r->sw[c] > 0.0) {
            r->cx[c] = r->sx[c] / r->sw[c];
            r->cy[c] = r->sy[c] / r->sw[c];
        }
    return changed;
}

/* Runs zs_partition_kmeans from (ix, iy) with max_iter 1, 2, ... and
 * compares zones and centres with the plain Lloyd after as many steps,
 * until the plain one has converged.  sparse: only after steps 1..6, the
 * powers of 2 and the last (each run starts over, so comparing every step
 * costs O(steps^2)).  Returns the steps run, or 0 at the first mismatch
 * (described in why). */
static int compare_with_plain(const double *x, const double *y, const double *w, size_t n, size_t k,
                              const double *ix, const double *iy, int sparse, char *why,
                              size_t why_len)
{
    ref_km r;
    int steps = 0;
    if (ref_init(&r, x, y, w, n, k, ix, iy) != 0) {
        snprintf(why, why_len, "out of memory");
        ref_free(&r);
        return 0;
    }
    zs_kmeans_opts o;
    zs_kmeans_opts_defaults(&o);
    o.restarts = 1;
    o.weighted = w != NULL;
    o.init_x = ix;
    o.init_y = iy;
    for (int t = 1; t <= 200; t++) {
        size_t changed = ref_step(&r);
        if (sparse && t > 6 && (t & (t - 1)) != 0 && changed != 0) {
            steps = t;
            continue;
        }
        o.max_iter = t;
        zs_partition *p = NULL;
        zs_err err;
        if (zs_partition_kmeans(x, y, w, n, k, &o, &p, &err) != ZS_OK) {
            snprintf(why, why_len, "step %d: %.200s", t, err.msg);
            steps = 0;
            break;
        }
        size_t bad = n;
        for (size_t i = 0; i < n && bad == n; i++)
            if (p->zone[i] != r.zone[i])
                bad = i;
        int same_c = memcmp(p->cx, r.cx, k * sizeof(double)) == 0 &&
                     memcmp(p->cy, r.cy, k * sizeof(double)) == 0;
        if (bad < n || !same_c) {
            if (bad < n)
                snprintf(why, why_len, "step %d: point %zu in zone %d, plain Lloyd says %d", t, bad,
                         p->zone[bad], r.zone[bad]);
            else
                snprintf(why, why_len, "step %d: centres differ", t);
            zs_partition_free(p);
            steps = 0;
            break;
        }
        int done = changed == 0;
        if (done && !(p->converged && p->iterations == t)) {
            snprintf(why, why_len, "step %d: plain Lloyd converged, kmeans says %d after %d", t,
                     p->converged, p->iterations);
            zs_partition_free(p);
            steps = 0;
            break;
        }
        zs_partition_free(p);
        steps = t;
        if (done)
            break;
    }
    ref_free(&r);
    return steps;
}

/* n points in k Gaussian-ish blobs (sum of 3 uniforms) over 10 x 8 km. */
static void blobs(uint64_t seed, size_t n, size_t k, double *x, double *y, double *w)
{
    gsl_rng *r = zs_rng_create();
    zs_rng_rekey(r, zs_rng_key(seed, 0, 0, 0, ZS_PURPOSE_CITYGEN));
    double *bx = malloc(k * sizeof *bx), *by = malloc(k * sizeof *by);
    for (size_t c = 0; c < k; c++) {
        bx[c] = 10000.0 * gsl_rng_uniform(r);
        by[c] = 8000.0 * gsl_rng_uniform(r);
    }
    for (size_t i = 0; i < n; i++) {
        size_t c = (size_t)gsl_rng_uniform_int(r, k);
        double u = gsl_rng_uniform(r) + gsl_rng_uniform(r) + gsl_rng_uniform(r) - 1.5;
        double v = gsl_rng_uniform(r) + gsl_rng_uniform(r) + gsl_rng_uniform(r) - 1.5;
        x[i] = bx[c] + 600.0 * u;
        y[i] = by[c] + 600.0 * v;
        if (w)
            w[i] = floor(4.0 * gsl_rng_uniform(r)); /* 0..3 parcels, zeros included */
    }
    free(bx);
    free(by);
    gsl_rng_free(r);
}

static void test_init_errors(void)
{
    double x[10], y[10], ix[3] = {0, 1, 2}, iy[3] = {0, 1, 2};
    for (int i = 0; i < 10; i++) {
        x[i] = i;
        y[i] = 2 * i;
    }
    zs_kmeans_opts o;
    zs_kmeans_opts_defaults(&o);
    o.init_x = ix;
    o.init_y = iy;
    zs_err err;
    CHECK(zs_kmeans_opts_validate(&o, &err) == ZS_EINVAL &&
              strcmp(err.msg, "kmeans.restarts = 4; must be 1 with initial centres "
                              "(kmeans.init_x/init_y)") == 0,
          "initial centres with 4 restarts rejected (%s)", err.msg);
    expect_kmeans_error(x, y, NULL, 10, 3, &o,
                        "kmeans.restarts = 4; must be 1 with initial centres (kmeans.init_x/init_y)",
                        "kmeans: initial centres need restarts 1");
    o.restarts = 1;
    CHECK(zs_kmeans_opts_validate(&o, &err) == ZS_OK, "initial centres with restarts 1 validate");
    iy[1] = NAN;
    expect_kmeans_error(x, y, NULL, 10, 3, &o,
                        "kmeans.init_x/init_y: initial centre 1 = (1, nan); must be finite",
                        "NaN initial centre");
    iy[1] = 1;
    ix[2] = -INFINITY;
    expect_kmeans_error(x, y, NULL, 10, 3, &o,
                        "kmeans.init_x/init_y: initial centre 2 = (-inf, 2); must be finite",
                        "infinite initial centre");
    ix[2] = 2;
    o.init_y = NULL;
    expect_kmeans_error(x, y, NULL, 10, 3, &o,
                        "kmeans.init_y is NULL while kmeans.init_x is set; give both or neither",
                        "init_x without init_y");

    /* Centres (0,0), (9,18): one step assigns points 0..4 and 5..9. */
    double jx[2] = {0, 9}, jy[2] = {0, 18};
    o.init_x = jx;
    o.init_y = jy;
    o.max_iter = 1;
    zs_partition *p = NULL;
    zs_status st = zs_partition_kmeans(x, y, NULL, 10, 2, &o, &p, &err);
    CHECK(st == ZS_OK && p && p->zone[4] == 0 && p->zone[5] == 1 && p->cx[0] == 2.0 &&
              p->cx[1] == 7.0 && p->cy[1] == 14.0 && p->iterations == 1,
          "initial centres: one step from (0,0), (9,18) gives means (2,4) and (7,14)");
    CHECK(jx[0] == 0 && jx[1] == 9, "initial centres are only read");
    zs_partition_free(p);
}

static void test_exact(void)
{
    char why[256] = "";
    int steps;

    /* Blobs, 10,000 points (three blocks), k = 25 from the first 25 points. */
    enum { N = 10000, K = 25 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w);
    blobs(5, N, K, x, y, w);
    steps = compare_with_plain(x, y, NULL, N, K, x, y, 0, why, sizeof why);
    CHECK(steps > 5, "Hamerly = plain Lloyd at every step: 10,000 blob points, k = 25 (%d steps) %s",
          steps, why);
    steps = compare_with_plain(x, y, w, N, K, x + 100, y + 100, 0, why, sizeof why);
    CHECK(steps > 5, "Hamerly = plain Lloyd at every step: weighted, zeros included (%d steps) %s",
          steps, why);

    /* Integer lattice 60 x 60 and centres 14 m apart: points exactly
     * halfway between centres tie, and ties must go to the lower index. */
    enum { L = 60, LK = 16 };
    double *lx = malloc(L * L * sizeof *lx), *ly = malloc(L * L * sizeof *ly);
    for (size_t i = 0; i < L * L; i++) {
        lx[i] = (double)(i % L);
        ly[i] = (double)(i / L);
    }
    double cx[LK], cy[LK];
    for (int c = 0; c < LK; c++) {
        cx[c] = 3.0 + 14.0 * (c % 4);
        cy[c] = 3.0 + 14.0 * (c / 4);
    }
    steps = compare_with_plain(lx, ly, NULL, L * L, LK, cx, cy, 0, why, sizeof why);
    CHECK(steps >= 1, "Hamerly = plain Lloyd at every step: lattice with exact ties (%d steps) %s",
          steps, why);
    zs_partition *p = NULL;
    zs_err err;
    zs_kmeans_opts o;
    zs_kmeans_opts_defaults(&o);
    o.restarts = 1;
    o.max_iter = 1;
    o.init_x = cx;
    o.init_y = cy;
    zs_partition_kmeans(lx, ly, NULL, L * L, LK, &o, &p, &err);
    CHECK(p && p->zone[10] == 0 && p->zone[11] == 1 && p->zone[10 * L] == 0 && p->zone[11 * L] == 4,
          "tie at x = 10 (3 + 7) goes to the lower centre index");
    zs_partition_free(p);

    /* Duplicate and far-off initial centres: empty zones refilled. */
    double dx[6] = {x[0], x[0], 1e7, x[3], x[4], x[5]}, dy[6] = {y[0], y[0], -1e7, y[3], y[4], y[5]};
    steps = compare_with_plain(x, y, NULL, N, 6, dx, dy, 0, why, sizeof why);
    CHECK(steps >= 2, "Hamerly = plain Lloyd at every step: duplicate and far centres (%d steps) %s",
          steps, why);
    /* k = 1: every point skips after the first step. */
    steps = compare_with_plain(x, y, w, N, 1, x + 7, y + 7, 0, why, sizeof why);
    CHECK(steps == 2, "k = 1 converges in 2 steps, as plain Lloyd (%d) %s", steps, why);

    /* 40,000 points (10 blocks): 1 and 2 threads, both = plain Lloyd. */
    enum { NB = 40000, KB = 30 };
    double *bx = malloc(NB * sizeof *bx), *by = malloc(NB * sizeof *by);
    blobs(8, NB, KB, bx, by, NULL);
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    int s1 = compare_with_plain(bx, by, NULL, NB, KB, bx, by, 1, why, sizeof why);
    CHECK(s1 > 5, "40,000 points, k = 30, 1 thread: = plain Lloyd (steps 1-6, 2^j, last of %d) %s", s1, why);
    omp_set_num_threads(2);
    int s2 = compare_with_plain(bx, by, NULL, NB, KB, bx, by, 1, why, sizeof why);
    CHECK(s2 == s1, "40,000 points, k = 30, 2 threads: = plain Lloyd (steps 1-6, 2^j, last of %d) %s", s2, why);
    omp_set_num_threads(saved);
    free(bx);
    free(by);
    free(lx);
    free(ly);
    free(x);
    free(y);
    free(w);
}

static void test_capacity(void)
{
    CHECK(zs_partition_capacity_k(840, 3.5, 8) == 30, "capacity: 840 stops at 3.5/h x 8 h -> 30");
    CHECK(zs_partition_capacity_k(640, 3.5, 8) == 23, "capacity: 640 stops -> ceil(22.86) = 23");
    CHECK(zs_partition_capacity_k(0, 3.5, 8) == 1, "capacity: 0 stops -> 1");
    CHECK(zs_partition_capacity_k(28, 3.5, 8) == 1 && zs_partition_capacity_k(29, 3.5, 8) == 2,
          "capacity: 28 stops fill one zone, 29 need two");
    CHECK(zs_partition_capacity_k(100, 0, 8) == 1, "capacity: no rate -> 1");
}

/* ---------------------------------------------------------------- labels */

/* A1..A6 at (0,0) (2,0) (10,10) (12,10) (11,13) (50,50). */
static zs_points *six_points(void)
{
    zs_err err;
    zs_points *p = zs_points_create(6, &err);
    if (!p)
        return NULL;
    static const double xy[6][2] = {{0, 0}, {2, 0}, {10, 10}, {12, 10}, {11, 13}, {50, 50}};
    for (int i = 0; i < 6; i++) {
        p->x[i] = xy[i][0];
        p->y[i] = xy[i][1];
    }
    if (zs_points_number_ids(p, "A", 1, &err) != ZS_OK) {
        zs_points_free(p);
        return NULL;
    }
    return p;
}

static void test_from_labels(const zs_points *pts)
{
    zs_err err;
    int32_t zone[6] = {1, 1, 0, 0, 0, 2};
    char *labels[3] = {"south", "north", "east"};
    zs_partition *p = NULL;
    zs_status st = zs_partition_from_labels(pts, zone, 3, labels, &p, &err);
    CHECK(st == ZS_OK && p, "from_labels: 6 points in 3 zones (%s)", st ? err.msg : "ok");
    if (p) {
        CHECK(p->cx[0] == 11.0 && p->cy[0] == 11.0 && p->cx[1] == 1.0 && p->cy[1] == 0.0 &&
                  p->cx[2] == 50.0 && p->cy[2] == 50.0,
              "from_labels: centres are the zone means");
        CHECK(p->objective == 10.0, "from_labels: SSE 8 + 2 + 0 = 10 (got %g)", p->objective);
        CHECK(strcmp(p->method, "manual") == 0 && strcmp(p->status, "given") == 0 &&
                  p->iterations == 0 && p->converged == 1,
              "from_labels: method manual, status given, 0 iterations, converged");
        CHECK(strcmp(p->label[2], "east") == 0 && p->label[2] != labels[2], "from_labels: labels copied");
        CHECK(memcmp(p->zone, zone, sizeof zone) == 0, "from_labels: zones as given");
    }
    zs_partition_free(p);
    p = NULL;
    zs_partition_from_labels(pts, zone, 3, NULL, &p, &err);
    CHECK(p && strcmp(p->label[0], "1") == 0 && strcmp(p->label[2], "3") == 0,
          "from_labels: NULL labels give 1..k");
    zs_partition_free(p);

    zs_partition dummy;
    p = &dummy;
    st = zs_partition_from_labels(pts, zone, 4, (char *[]){"a", "b", "c", "d"}, &p, &err);
    CHECK(st == ZS_EINPUT && p == NULL && strcmp(err.msg, "zone 'd' has no points") == 0,
          "from_labels: an empty zone is an input error naming it (%s)", err.msg);
    zone[3] = 3;
    st = zs_partition_from_labels(pts, zone, 3, NULL, &p, &err);
    CHECK(st == ZS_EINVAL && strcmp(err.msg, "point 'A4' has zone index 3 outside 0..2") == 0,
          "from_labels: zone index out of range (%s)", err.msg);
    zone[3] = 0;
    st = zs_partition_from_labels(pts, NULL, 3, NULL, &p, &err);
    CHECK(st == ZS_EINPUT && strstr(err.msg, "no zone column"), "from_labels: no zones (%s)", err.msg);
    st = zs_partition_from_labels(pts, zone, 0, NULL, &p, &err);
    CHECK(st == ZS_EINVAL && strcmp(err.msg, "k = 0; a plan needs at least one zone") == 0,
          "from_labels: k = 0 (%s)", err.msg);

    int all = 1;
    long i;
    for (i = 0; i < 50; i++) {
        p = &dummy;
        zs_alloc_fail_after(i);
        st = zs_partition_from_labels(pts, zone, 3, labels, &p, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_partition_free(p);
            break;
        }
        all &= st == ZS_ENOMEM && p == NULL;
    }
    CHECK(all && i > 0 && i < 50, "from_labels: ZS_ENOMEM at each of %ld allocation failures", i);
}

static void expect_load_error(const zs_points *pts, const char *path, zs_status code,
                              const char *want, const char *desc)
{
    zs_err err;
    zs_err_clear(&err);
    zs_partition dummy, *p = &dummy;
    zs_status st = zs_partition_load_csv(pts, path, "id", "courier", &p, &err);
    CHECK(st == code && p == NULL, "%s: %s, no plan", desc, zs_status_name(code));
    CHECK(strcmp(err.msg, want) == 0, "%s: message '%s' (got '%s')", desc, want, err.msg);
}

static void test_load_csv(const zs_points *pts)
{
    zs_err err;
    zs_partition *p = NULL;
    zs_status st = zs_partition_load_csv(pts, "tests/data/partition_ok.csv", "id", "courier", &p, &err);
    CHECK(st == ZS_OK && p, "load_csv: plan file read (%s)", st ? err.msg : "ok");
    if (p) {
        CHECK(p->k == 3 && strcmp(p->label[0], "south") == 0 && strcmp(p->label[1], "north") == 0 &&
                  strcmp(p->label[2], "east") == 0,
              "load_csv: labels in order of first appearance");
        const int32_t want[6] = {1, 1, 0, 0, 0, 2};
        CHECK(memcmp(p->zone, want, sizeof want) == 0, "load_csv: zone of every point");
        CHECK(p->objective == 10.0 && p->cx[0] == 11.0 && strcmp(p->method, "manual") == 0 &&
                  strcmp(p->status, "given") == 0,
              "load_csv: manual plan, SSE 10, centres");
    }

    /* Round trip through write_csv, with labels that need quoting. */
    if (p) {
        zs_free(p->label[0]);
        p->label[0] = zs_strdup("south, \"old\" town");
        char path[512];
        snprintf(path, sizeof path, "%s/plan.csv", tmpdir);
        st = zs_partition_write_csv(p, pts, path, &err);
        CHECK(st == ZS_OK, "write_csv: written (%s)", st ? err.msg : "ok");
        FILE *f = fopen(path, "r");
        char line[128] = "";
        if (f) {
            fgets(line, sizeof line, f);
            CHECK(strcmp(line, "id,zone\n") == 0, "write_csv: header id,zone");
            fgets(line, sizeof line, f);
            CHECK(strcmp(line, "A1,north\n") == 0, "write_csv: first row 'A1,north'");
            fgets(line, sizeof line, f);
            fgets(line, sizeof line, f);
            CHECK(strcmp(line, "A3,\"south, \"\"old\"\" town\"\n") == 0,
                  "write_csv: a label with a comma and quotes is quoted, quotes doubled");
            fclose(f);
        }
        zs_partition *q = NULL;
        st = zs_partition_load_csv(pts, path, "id", "zone", &q, &err);
        int same = st == ZS_OK && q && q->k == 3;
        for (size_t i = 0; same && i < 6; i++)
            same = strcmp(q->label[q->zone[i]], p->label[p->zone[i]]) == 0;
        CHECK(same && strcmp(q->label[1], "south, \"old\" town") == 0,
              "write_csv then load_csv: every point keeps its zone label (renumbered by appearance)");
        zs_partition_free(q);
        st = zs_partition_write_csv(p, pts, "/nonexistent_zs_dir/plan.csv", &err);
        CHECK(st == ZS_EIO && strstr(err.msg, "/nonexistent_zs_dir/plan.csv: cannot create"),
              "write_csv: unwritable path is ZS_EIO (%s)", err.msg);
        p->n = 5;
        st = zs_partition_write_csv(p, pts, path, &err);
        p->n = 6;
        CHECK(st == ZS_EINVAL && strstr(err.msg, "the plan covers 5 points, the point set has 6"),
              "write_csv: plan and points of different size (%s)", err.msg);
        unlink(path);
    }
    zs_partition_free(p);

    expect_load_error(pts, "tests/data/partition_nocol.csv", ZS_EINPUT,
                      "tests/data/partition_nocol.csv:1:1: no column 'courier' in header (columns: id, zone)",
                      "missing column");
    expect_load_error(pts, "tests/data/partition_unknown.csv", ZS_EINPUT,
                      "tests/data/partition_unknown.csv:3:1: unknown point id 'X9'", "unknown id");
    expect_load_error(pts, "tests/data/partition_dup.csv", ZS_EINPUT,
                      "tests/data/partition_dup.csv:6:3: point 'A3' assigned twice (first on line 4)",
                      "duplicate assignment");
    expect_load_error(pts, "tests/data/partition_missing.csv", ZS_EINPUT,
                      "tests/data/partition_missing.csv: point 'A5' has no zone (and 1 more)",
                      "two points missing");
    expect_load_error(pts, "tests/data/partition_missing1.csv", ZS_EINPUT,
                      "tests/data/partition_missing1.csv: point 'A6' has no zone", "one point missing");
    expect_load_error(pts, "tests/data/partition_empty.csv", ZS_EINPUT,
                      "tests/data/partition_empty.csv: empty file (no header)", "empty file");
    expect_load_error(pts, "tests/data/partition_header_only.csv", ZS_EINPUT,
                      "tests/data/partition_header_only.csv: no data rows", "header only");
    expect_load_error(pts, "tests/data/partition_short.csv", ZS_EINPUT,
                      "tests/data/partition_short.csv:3:3: column 'courier': missing (line has 1 field, "
                      "header has 2)",
                      "short row");
    expect_load_error(pts, "tests/data/partition_emptylabel.csv", ZS_EINPUT,
                      "tests/data/partition_emptylabel.csv:3:4: column 'courier': empty zone label; "
                      "set zones.unassigned: nearest to give such points the zone of the nearest "
                      "labelled point",
                      "empty zone label");
    {
        /* zones.unassigned: nearest.  A1..A6 at (0,0) (2,0) (10,10) (12,10)
         * (11,13) (50,50): A2 is nearest A1 (west), A5 nearest A4 (east at
         * distance 3.16 against A3's 3.16: a tie, the lower index A3 wins),
         * A6 nearest A4. */
        char path[] = "/tmp/zs_unassigned_XXXXXX";
        int fd = mkstemp(path);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (f) {
            fputs("id,courier\nA1,west\nA2,\nA3,east\nA4,north\nA5,\nA6,\n", f);
            fclose(f);
        }
        zs_plan_file_opts fo;
        zs_plan_file_opts_defaults(&fo);
        fo.col_zone = "courier";
        fo.unassigned_setting = "--unassigned nearest";
        zs_partition *q = NULL;
        zs_err e2;
        zs_status s2 = zs_partition_load_file(pts, path, &fo, &q, &e2);
        CHECK(s2 == ZS_EINPUT && !q && strstr(e2.msg, ":3:4: column 'courier': empty zone label; "
                                                      "set --unassigned nearest to"),
              "load_file: an empty label names the caller's setting (%s)", e2.msg);
        fo.unassigned_nearest = 1;
        s2 = zs_partition_load_file(pts, path, &fo, &q, &e2);
        CHECK(s2 == ZS_OK && q && q->k == 3, "load_file with unassigned nearest: 3 zones");
        if (q) {
            CHECK(q->zone[1] == 0 && q->zone[4] == 1 && q->zone[5] == 2,
                  "A2 -> west, A5 -> east (a tie with north, lower index), A6 -> north");
            CHECK(strcmp(q->status, "given; 3 unassigned took the nearest zone") == 0,
                  "the status says how many were unassigned (%s)", q->status);
        }
        zs_partition_free(q);
        f = fopen(path, "w");
        if (f) {
            fputs("id,courier\nA1,\nA2,\nA3,\nA4,\nA5,\nA6,\n", f);
            fclose(f);
        }
        q = NULL;
        s2 = zs_partition_load_file(pts, path, &fo, &q, &e2);
        CHECK(s2 == ZS_EINPUT && !q && strstr(e2.msg, "column 'courier': every zone label is empty"),
              "load_file: every label empty is an error (%s)", e2.msg);
        unlink(path);
    }
    zs_partition dummy, *pp = &dummy;
    st = zs_partition_load_csv(pts, "tests/data/partition_badquote.csv", "id", "courier", &pp, &err);
    CHECK(st == ZS_EINPUT && pp == NULL && strstr(err.msg, "tests/data/partition_badquote.csv:2:"),
          "a CSV syntax error is passed on with its place (%s)", err.msg);
    st = zs_partition_load_csv(pts, "tests/data/partition_no_such_file.csv", "id", "courier", &pp, &err);
    CHECK(st == ZS_EINPUT && pp == NULL && strstr(err.msg, "partition_no_such_file.csv: cannot open"),
          "a missing file is an input error (%s)", err.msg);
    pp = NULL;
    st = zs_partition_load_csv(pts, "tests/data/partition_nocol.csv", NULL, NULL, &pp, &err);
    CHECK(st == ZS_EINPUT && strstr(err.msg, "point 'A2' has no zone (and 4 more)"),
          "NULL column names default to id and zone (%s)", err.msg);

    int all = 1;
    long i;
    for (i = 0; i < 100; i++) {
        pp = &dummy;
        zs_alloc_fail_after(i);
        st = zs_partition_load_csv(pts, "tests/data/partition_ok.csv", "id", "courier", &pp, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_partition_free(pp);
            break;
        }
        all &= st == ZS_ENOMEM && pp == NULL;
    }
    CHECK(all && i > 0 && i < 100, "load_csv: ZS_ENOMEM at each of %ld allocation failures", i);
}

int main(void)
{
    test_opts();
    test_input_errors();
    test_clusters();
    test_threads();
    test_weights_and_degenerate();
    test_kmeans_alloc();
    test_init_errors();
    test_exact();
    test_capacity();
    if (!mkdtemp(tmpdir)) {
        CHECK(0, "temporary directory created");
        return zs_test_done();
    }
    zs_points *pts = six_points();
    CHECK(pts != NULL, "six hand-made points A1..A6");
    if (pts) {
        test_from_labels(pts);
        test_load_csv(pts);
        zs_points_free(pts);
    }
    rmdir(tmpdir);
    return zs_test_done();
}
