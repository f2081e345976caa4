/* tests/test_metrics.c -- figures of merit of a zone plan
 * (engine/partition/metrics.h), checked against hand-computed values. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "network/route.h"
#include "partition/metrics.h"
#include "partition/partition.h"
#include "partition/zones.h"
#include "input/points.h"
#include "models/alloc.h"
#include "check.h"

/* Zone 0: (0,0), (2,0); zone 1: (10,0), (10,4).  Centres (1,0), (10,2). */
static zs_points *four_points(void)
{
    zs_err err;
    zs_points *pts = zs_points_create(4, &err);
    static const double x[4] = {0, 2, 10, 10}, y[4] = {0, 0, 0, 4};
    for (size_t i = 0; i < 4; i++) {
        pts->x[i] = x[i];
        pts->y[i] = y[i];
    }
    return pts;
}

static void test_values(void)
{
    zs_points *pts = four_points();
    int32_t zone[4] = {0, 0, 1, 1};
    zs_err err;
    zs_partition *p = NULL;
    CHECK(zs_partition_from_labels(pts, zone, 2, NULL, &p, &err) == ZS_OK, "plan from labels");
    p->runtime_s = 1.25;
    double w[4] = {1, 3, 2, 2};
    zs_plan_metrics *m = NULL;
    CHECK(zs_plan_metrics_create(p, pts->x, pts->y, w, NULL, &m, &err) == ZS_OK, "metrics: create");
    /* SSE 1 + 1 + 4 + 4; weighted distance 1x1 + 3x1 + 2x2 + 2x2. */
    CHECK_NEAR(m->sse, 10.0, 1e-12, "SSE = 10 m^2 (got %g)", m->sse);
    CHECK_NEAR(m->weighted_dist_m, 12.0, 1e-12, "weighted distance = 12 m (got %g)", m->weighted_dist_m);
    CHECK(m->n == 4 && m->k == 2 && m->points[0] == 2 && m->points[1] == 2, "points per zone 2, 2");
    CHECK(m->workload[0] == 4.0 && m->workload[1] == 4.0 && m->work_mean == 4.0,
          "workloads 4, 4, mean 4");
    CHECK(m->balance_maxmin == 1.0 && m->balance_cv == 0.0 && m->balance_maxdev == 0.0,
          "equal workloads: max/min 1, CV 0, deviation 0");
    /* From the centres: 1 + 2 + 1 and 2 + 4 + 2. */
    CHECK_NEAR(m->tour_m[0], 4.0, 1e-9, "tour of zone 0 from its centre = 4 m (got %g)", m->tour_m[0]);
    CHECK_NEAR(m->tour_m[1], 8.0, 1e-9, "tour of zone 1 from its centre = 8 m (got %g)", m->tour_m[1]);
    CHECK_NEAR(m->tour_total_m, 12.0, 1e-9, "tour total 12 m");
    CHECK_NEAR(m->tour_max_m, 8.0, 1e-9, "longest tour 8 m");
    CHECK(m->runtime_s == 1.25, "runtime carried from the plan");
    zs_plan_metrics_free(m);

    /* Depot at the origin: 0 + 2 + 2 and 10 + 4 + sqrt(116). */
    double depot[2] = {0, 0};
    m = NULL;
    CHECK(zs_plan_metrics_create(p, pts->x, pts->y, NULL, depot, &m, &err) == ZS_OK,
          "metrics with a depot");
    CHECK_NEAR(m->tour_m[0], 4.0, 1e-9, "tour of zone 0 from the depot = 4 m (got %g)", m->tour_m[0]);
    CHECK_NEAR(m->tour_m[1], 14.0 + sqrt(116.0), 1e-9,
               "tour of zone 1 from the depot = 14 + sqrt(116) m (got %g)", m->tour_m[1]);
    CHECK(m->workload[0] == 2.0 && m->workload[1] == 2.0, "NULL workloads count points");
    CHECK_NEAR(m->weighted_dist_m, 6.0, 1e-12, "unit-weight distance 1 + 1 + 2 + 2 = 6 m");
    zs_plan_metrics_free(m);

    /* Workloads 2 and 4: mean 3, max/min 2, sd 1 so CV 1/3, deviation 1/3. */
    double w2[4] = {1, 1, 1, 3};
    m = NULL;
    CHECK(zs_plan_metrics_create(p, pts->x, pts->y, w2, NULL, &m, &err) == ZS_OK, "unequal loads");
    CHECK(m->work_min == 2.0 && m->work_max == 4.0 && m->work_mean == 3.0, "loads 2 and 4, mean 3");
    CHECK_NEAR(m->balance_maxmin, 2.0, 1e-12, "max/min = 2");
    CHECK_NEAR(m->balance_cv, 1.0 / 3.0, 1e-12, "CV = 1/3 (got %g)", m->balance_cv);
    CHECK_NEAR(m->balance_maxdev, 1.0 / 3.0, 1e-12, "largest deviation = 1/3");
    zs_plan_metrics_free(m);

    /* A zone carrying nothing: the ratio is infinite, not a division fault. */
    double w3[4] = {0, 0, 1, 1};
    m = NULL;
    CHECK(zs_plan_metrics_create(p, pts->x, pts->y, w3, NULL, &m, &err) == ZS_OK &&
              isinf(m->balance_maxmin) && m->balance_maxdev == 1.0,
          "zero-workload zone: max/min infinite, deviation 1");
    zs_plan_metrics_free(m);
    double w4[4] = {0, 0, 0, 0};
    m = NULL;
    CHECK(zs_plan_metrics_create(p, pts->x, pts->y, w4, NULL, &m, &err) == ZS_OK &&
              m->balance_maxmin == 1.0 && m->balance_cv == 0.0 && m->balance_maxdev == 0.0,
          "all workloads zero: balanced (ratio 1, CV 0, deviation 0)");
    zs_plan_metrics_free(m);

    /* An out-of-range zone index is refused. */
    p->zone[2] = 5;
    m = NULL;
    CHECK(zs_plan_metrics_create(p, pts->x, pts->y, NULL, NULL, &m, &err) == ZS_EINVAL && m == NULL &&
              strcmp(err.msg, "point index 2 has zone 5 outside 0..1") == 0,
          "zone out of range: ZS_EINVAL (got '%s')", err.msg);
    p->zone[2] = 1;
    zs_plan_metrics_free(NULL);
    CHECK(1, "zs_plan_metrics_free(NULL) is a no-op");

    long i;
    int all = 1;
    for (i = 0; i < 100; i++) {
        zs_alloc_fail_after(i);
        m = NULL;
        zs_status st = zs_plan_metrics_create(p, pts->x, pts->y, w, depot, &m, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_plan_metrics_free(m);
            break;
        }
        all &= st == ZS_ENOMEM && m == NULL;
    }
    CHECK(all && i > 0 && i < 100, "metrics: ZS_ENOMEM, nothing returned at each of %ld failures", i);
    zs_partition_free(p);
    zs_points_free(pts);
}

static void test_threads(void)
{
    /* 40 zones of a 2,000-point lattice: tours per zone are independent,
     * so 1 and 4 threads give identical figures. */
    enum { N = 2000 };
    static double x[N], y[N];
    for (size_t i = 0; i < N; i++) {
        x[i] = (double)(i % 50) * 10.0 + (double)(i % 7);
        y[i] = (double)(i / 50) * 10.0 + (double)(i % 3);
    }
    zs_partition_opts o;
    zs_partition_opts_defaults(&o);
    o.k = 40;
    zs_err err;
    zs_partition *p = NULL;
    zs_plan_metrics *a = NULL, *b = NULL;
    CHECK(zs_partition_solve(x, y, NULL, N, &o, &p, &err) == ZS_OK, "lattice plan");
    omp_set_num_threads(1);
    zs_status s1 = zs_plan_metrics_create(p, x, y, NULL, NULL, &a, &err);
    omp_set_num_threads(4);
    zs_status s4 = zs_plan_metrics_create(p, x, y, NULL, NULL, &b, &err);
    CHECK(s1 == ZS_OK && s4 == ZS_OK && memcmp(a->tour_m, b->tour_m, 40 * sizeof *a->tour_m) == 0 &&
              a->tour_total_m == b->tour_total_m && a->sse == b->sse,
          "metrics: 1 and 4 threads give identical tours and sums");
    zs_plan_metrics_free(a);
    zs_plan_metrics_free(b);
    zs_partition_free(p);
}

/* Zones over ZS_METRICS_EXACT_TOUR_MAX stops get neighbour-list tours:
 * near route.h's full 2-opt on a jittered grid, exact on a line and a
 * single spot, the same on 1 and 4 threads, ZS_ENOMEM clean. */
static void test_large_zones(void)
{
    enum { A = 1500, B = 700, L = 600, S = 600, N = A + B + L + S };
    static double x[N], y[N];
    static size_t idx[A];
    zs_err err;
    zs_partition *p = zs_partition_alloc(N, 4, NULL);
    for (size_t i = 0; i < N; i++) {
        size_t j = i < A ? i : i < A + B ? i - A : i - A - B;
        double h = (double)((j * 2654435761u) % 1000) / 1000.0; /* jitter in [0, 1) */
        if (i < A) { /* 50 x 30 grid of 10 m, jittered */
            x[i] = (double)(j % 50) * 10.0 + 7.0 * h;
            y[i] = (double)(j / 50) * 10.0 + 7.0 * (1.0 - h);
            p->zone[i] = 0;
        } else if (i < A + B) {
            x[i] = 2000.0 + (double)(j % 35) * 10.0 + 5.0 * h;
            y[i] = (double)(j / 35) * 10.0;
            p->zone[i] = 1;
        } else if (i < A + B + L) { /* a line: 0 .. 599 m */
            x[i] = 5000.0 + (double)j;
            y[i] = 100.0;
            p->zone[i] = 2;
        } else { /* one spot */
            x[i] = -500.0;
            y[i] = -500.0;
            p->zone[i] = 3;
        }
    }
    CHECK(zs_part_centres(p, x, y, NULL, &err) == ZS_OK, "large zones: centres");
    zs_plan_metrics *a = NULL, *b = NULL;
    omp_set_num_threads(1);
    zs_status s1 = zs_plan_metrics_create(p, x, y, NULL, NULL, &a, &err);
    omp_set_num_threads(4);
    zs_status s4 = zs_plan_metrics_create(p, x, y, NULL, NULL, &b, &err);
    CHECK(s1 == ZS_OK && s4 == ZS_OK && memcmp(a->tour_m, b->tour_m, 4 * sizeof *a->tour_m) == 0,
          "large zones: 1 and 4 threads give identical tours");
    if (s1 == ZS_OK) {
        zs_route_ws *ws = zs_route_ws_create(A);
        for (size_t i = 0; i < A; i++)
            idx[i] = i;
        double full = zs_route_tour(ws, x, y, idx, A, p->cx[0], p->cy[0], NULL);
        CHECK(fabs(a->tour_m[0] / full - 1.0) < 0.03,
              "1,500 stops: %.0f m, full 2-opt %.0f m (within 3%%)", a->tour_m[0], full);
        for (size_t i = 0; i < B; i++)
            idx[i] = A + i;
        full = zs_route_tour(ws, x, y, idx, B, p->cx[1], p->cy[1], NULL);
        CHECK(fabs(a->tour_m[1] / full - 1.0) < 0.03,
              "700 stops: %.0f m, full 2-opt %.0f m (within 3%%)", a->tour_m[1], full);
        zs_route_ws_free(ws);
        CHECK_NEAR(a->tour_m[2], 1198.0, 1e-6, "600 stops on a line from its middle: 2 x 599 m");
        CHECK(a->tour_m[3] == 0.0, "600 stops on one spot: 0 m (got %g)", a->tour_m[3]);
    }
    zs_plan_metrics_free(a);
    zs_plan_metrics_free(b);
    long i;
    int all = 1;
    for (i = 0; i < 100; i++) {
        zs_alloc_fail_after(i);
        a = NULL;
        zs_status st = zs_plan_metrics_create(p, x, y, NULL, NULL, &a, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_plan_metrics_free(a);
            break;
        }
        all &= st == ZS_ENOMEM && a == NULL;
    }
    CHECK(all && i > 0 && i < 100, "large zones: ZS_ENOMEM, nothing returned at each of %ld "
                                   "failures", i);
    zs_partition_free(p);
}

int main(void)
{
    test_values();
    test_threads();
    test_large_zones();
    return zs_test_done();
}
