/*
 * tests/test_export_barriers.c -- cell outlines that keep to the barriers
 * (engine/maps/export.h, the rule above ZS_EXPORT_CELL_FACTOR; the index
 * in engine/maps/export_barrier.c).
 *
 * Synthetic plans beside a tilted straight barrier (a polyline of uneven
 * segments, so paths through its vertices are tried too) and inside a
 * ring road: a zone on one side is drawn on that side only, to within one
 * barrier square's diagonal, where without the barriers it spills over; a
 * zone that does cross the barrier keeps its cells on both sides; every
 * point lies in (or on the edge of) its own zone; no place is in two
 * zones; under random walks of barrier segments every place drawn off
 * the lines sees a point of its zone (brute force; the old rule fails
 * this on all three seeds); barriers far from the points change nothing,
 * bit for bit; and allocation failures are swept.
 */
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maps/export.h"
#include "export_fixture.h"
#include "models/alloc.h"

typedef struct {
    zs_points *pts;
    zs_partition *part;
} plan_fx;

static void build_points(plan_fx *fx, size_t n, const double *x, const double *y,
                         const int32_t *z, size_t k)
{
    fixture_plan(n, x, y, z, k, NULL, &fx->pts, &fx->part);
}

static void free_plan(plan_fx *fx)
{
    zs_points_free(fx->pts);
    zs_partition_free(fx->part);
}

static zs_export_shapes *cells_of(const plan_fx *fx, const double *seg, size_t nseg)
{
    zs_export_map m = {.plan = "p", .points = fx->pts, .part = fx->part,
                       .outline = ZS_EXPORT_OUTLINE_CELLS, .n_barrier_seg = nseg,
                       .barrier_seg = seg};
    zs_export_shapes *s = NULL;
    zs_err err;
    if (zs_export_shapes_create(&m, &s, &err) != ZS_OK) {
        printf("      shapes: %s\n", err.msg);
        return NULL;
    }
    return s;
}

/* Points outside their own zone (by more than 1e-6 m), and places of a
 * grid of step `step` over the box that lie in two zones. */
static void own_and_overlap(const zs_export_shapes *s, const zs_points *p, const int32_t *z,
                            double x0, double y0, double x1, double y1, double step,
                            size_t *out_own, size_t *out_two)
{
    *out_own = *out_two = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!zone_contains(s, (size_t)z[i], p->x[i], p->y[i]) &&
            zone_edge_dist(s, (size_t)z[i], p->x[i], p->y[i]) > 1e-6)
            (*out_own)++;
    /* Offsets keep the samples off the lattice lines. */
    for (double y = y0 + 0.377 * step; y < y1; y += step)
        for (double x = x0 + 0.291 * step; x < x1; x += step) {
            int in = 0;
            for (size_t j = 0; j < s->k; j++)
                in += zone_contains(s, j, x, y);
            *out_two += in > 1;
        }
}

/* ---- a straight barrier ------------------------------------------------------ */

/* The line y = 0.3 x + 15, drawn from x = -2000 to 2000 as 7 segments of
 * uneven length, into seg (28 numbers). */
#define LINE_A 0.3
#define LINE_B 15.0
#define LINE_NSEG 7
static void line_barrier(double *seg)
{
    const double xs[LINE_NSEG + 1] = {-2000, -1300, -650, -410, 0, 233.3, 900, 2000};
    for (int t = 0; t < LINE_NSEG; t++) {
        seg[4 * t] = xs[t];
        seg[4 * t + 1] = LINE_A * xs[t] + LINE_B;
        seg[4 * t + 2] = xs[t + 1];
        seg[4 * t + 3] = LINE_A * xs[t + 1] + LINE_B;
    }
}

/* Signed distance of (x, y) from the line: > 0 north of it. */
static double side(double x, double y)
{
    return (y - LINE_A * x - LINE_B) / sqrt(1 + LINE_A * LINE_A);
}

/* The most a vertex of zone j lies on the wrong side: north zones (north
 * != 0) measured south of the line, and the other way round. */
static double worst_spill(const zs_export_shapes *s, size_t j, int north)
{
    double worst = 0;
    for (size_t r = s->poly_ring[s->zone_poly[j]]; r < s->poly_ring[s->zone_poly[j + 1]]; r++)
        for (size_t v = s->ring_vert[r]; v < s->ring_vert[r + 1]; v++) {
            double d = side(s->v[v].x, s->v[v].y);
            worst = fmax(worst, north ? -d : d);
        }
    return worst;
}

/* n points uniform over [-1000, 1000]^2, at least gap from the line;
 * zone by side (split 0) or by x (split 1: west 0, east 1, each across
 * the line). */
static void two_sides(plan_fx *fx, size_t n, double gap, int split, uint64_t seed)
{
    double *x = xalloc(malloc(n * sizeof *x)), *y = xalloc(malloc(n * sizeof *y));
    int32_t *z = xalloc(malloc(n * sizeof *z));
    for (size_t i = 0; i < n; i++) {
        do {
            x[i] = -1000 + 2000 * uniform(&seed);
            y[i] = -1000 + 2000 * uniform(&seed);
        } while (fabs(side(x[i], y[i])) < gap);
        z[i] = split ? x[i] > 0 : side(x[i], y[i]) < 0;
    }
    build_points(fx, n, x, y, z, 2);
    free(x);
    free(y);
    free(z);
}

static void test_straight(void)
{
    double seg[4 * LINE_NSEG];
    line_barrier(seg);
    plan_fx fx;
    /* Sparse points, 40 m clear of the line: cells are much bigger than
     * the gap, so the old rule draws each zone well across it. */
    two_sides(&fx, 300, 40, 0, 11);
    zs_export_shapes *old = cells_of(&fx, NULL, 0), *s = cells_of(&fx, seg, LINE_NSEG);
    CHECK(old && s, "straight barrier: shapes with and without the barrier");
    if (!old || !s) {
        zs_export_shapes_free(old);
        zs_export_shapes_free(s);
        free_plan(&fx);
        return;
    }
    double tol = s->cell_m / (double)(1 << ZS_EXPORT_BARRIER_SPLITS) * sqrt(2.0);
    double old0 = worst_spill(old, 0, 1), old1 = worst_spill(old, 1, 0);
    double new0 = worst_spill(s, 0, 1), new1 = worst_spill(s, 1, 0);
    printf("      cell %.1f m, barrier square diagonal %.2f m; spill north zone %.1f -> %.2f m, "
           "south zone %.1f -> %.2f m\n", s->cell_m, tol, old0, new0, old1, new1);
    CHECK(old0 > 3 * tol && old1 > 3 * tol,
          "straight barrier: without it both zones spill across (%.1f, %.1f m)", old0, old1);
    CHECK(new0 <= tol && new1 <= tol,
          "straight barrier: with it no vertex of either zone lies more than a barrier "
          "square's diagonal (%.2f m) across (%.2f, %.2f m)", tol, new0, new1);
    size_t own, two;
    own_and_overlap(s, fx.pts, fx.part->zone, -1100, -1100, 1100, 1100, 7.3, &own, &two);
    CHECK(own == 0, "straight barrier: every point in its own zone (%zu outside)", own);
    CHECK(two == 0, "straight barrier: no place in two zones (%zu samples)", two);
    CHECK(s->outside[0] == 0 && s->outside[1] == 0, "straight barrier: no point counted outside");
    /* Both zones reach the barrier: places just off it on each side are drawn. */
    size_t near_n = 0, near_s = 0;
    for (double x = -800; x <= 800; x += 50) {
        double y = LINE_A * x + LINE_B, off = 2 * tol * sqrt(1 + LINE_A * LINE_A);
        near_n += zone_contains(s, 0, x, y + off);
        near_s += zone_contains(s, 1, x, y - off);
    }
    CHECK(near_n >= 25 && near_s >= 25,
          "straight barrier: the zones follow it closely (%zu, %zu of 33 places just off it)",
          near_n, near_s);
    zs_export_shapes_free(old);
    zs_export_shapes_free(s);
    free_plan(&fx);
}

/* A zone that does cross the barrier (k-means would make such) is drawn
 * on both sides. */
static void test_crossing_zone(void)
{
    double seg[4 * LINE_NSEG];
    line_barrier(seg);
    plan_fx fx;
    two_sides(&fx, 300, 40, 1, 23);
    zs_export_shapes *s = cells_of(&fx, seg, LINE_NSEG);
    CHECK(s != NULL, "crossing zone: shapes");
    if (!s) {
        free_plan(&fx);
        return;
    }
    for (size_t j = 0; j < 2; j++) {
        double north = worst_spill(s, j, 0), south = worst_spill(s, j, 1);
        CHECK(north > 100 && south > 100,
              "crossing zone %zu: drawn on both sides (%.0f m north, %.0f m south)", j, north,
              south);
    }
    size_t own, two;
    own_and_overlap(s, fx.pts, fx.part->zone, -1100, -1100, 1100, 1100, 7.3, &own, &two);
    CHECK(own == 0 && two == 0, "crossing zone: every point in its own zone (%zu), no place in "
          "two (%zu)", own, two);
    zs_export_shapes_free(s);
    free_plan(&fx);
}

/* ---- a ring road ------------------------------------------------------------- */

#define RING_R 500.0
#define RING_NSEG 48

static void test_ring(void)
{
    double seg[4 * RING_NSEG];
    const double pi = 3.14159265358979323846;
    for (int t = 0; t < RING_NSEG; t++) {
        double a0 = 2 * pi * t / RING_NSEG, a1 = 2 * pi * (t + 1) / RING_NSEG;
        seg[4 * t] = RING_R * cos(a0);
        seg[4 * t + 1] = RING_R * sin(a0);
        seg[4 * t + 2] = RING_R * cos(a1);
        seg[4 * t + 3] = RING_R * sin(a1);
    }
    /* The ring's chords lie inside the circle by at most R (1 - cos(pi/48)). */
    double sag = RING_R * (1 - cos(pi / RING_NSEG));
    size_t n = 400;
    double x[400], y[400];
    int32_t z[400];
    uint64_t seed = 5;
    for (size_t i = 0; i < n; i++) {
        double r;
        do {
            x[i] = -1200 + 2400 * uniform(&seed);
            y[i] = -1200 + 2400 * uniform(&seed);
            r = hypot(x[i], y[i]);
        } while (fabs(r - RING_R) < 40);
        z[i] = r > RING_R;
    }
    plan_fx fx;
    build_points(&fx, n, x, y, z, 2);
    zs_export_shapes *old = cells_of(&fx, NULL, 0), *s = cells_of(&fx, seg, RING_NSEG);
    CHECK(old && s, "ring road: shapes with and without it");
    if (old && s) {
        double tol = s->cell_m / (double)(1 << ZS_EXPORT_BARRIER_SPLITS) * sqrt(2.0);
        double out_old = 0, out_new = 0, in_old = 0, in_new = 0;
        for (int pass = 0; pass < 2; pass++) {
            const zs_export_shapes *t = pass ? s : old;
            for (size_t j = 0; j < 2; j++)
                for (size_t r = t->poly_ring[t->zone_poly[j]];
                     r < t->poly_ring[t->zone_poly[j + 1]]; r++)
                    for (size_t v = t->ring_vert[r]; v < t->ring_vert[r + 1]; v++) {
                        double d = hypot(t->v[v].x, t->v[v].y);
                        double *w = j == 0 ? (pass ? &out_new : &out_old)
                                           : (pass ? &in_new : &in_old);
                        *w = fmax(*w, j == 0 ? d - RING_R : RING_R - sag - d);
                    }
        }
        printf("      ring: inner zone beyond it %.1f -> %.2f m, outer zone within %.1f -> "
               "%.2f m (tolerance %.2f m)\n", out_old, out_new, in_old, in_new, tol);
        CHECK(out_old > 3 * tol && in_old > 3 * tol,
              "ring road: without it both zones cross it (%.1f, %.1f m)", out_old, in_old);
        CHECK(out_new <= tol && in_new <= tol,
              "ring road: with it neither zone crosses by more than a barrier square's "
              "diagonal (%.2f, %.2f m)", out_new, in_new);
        size_t own, two;
        own_and_overlap(s, fx.pts, fx.part->zone, -1300, -1300, 1300, 1300, 9.1, &own, &two);
        CHECK(own == 0 && two == 0,
              "ring road: every point in its own zone (%zu), no place in two (%zu)", own, two);
    }
    zs_export_shapes_free(old);
    zs_export_shapes_free(s);
    free_plan(&fx);
}

/* ---- random barriers ---------------------------------------------------------- */

static double orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* 1 when the path (cx, cy) -> (qx, qy) crosses one of the segments. */
static int blocked(const double *seg, size_t nseg, double cx, double cy, double qx, double qy)
{
    for (size_t b = 0; b < nseg; b++) {
        const double *g = seg + 4 * b;
        double o1 = orient(g[0], g[1], g[2], g[3], cx, cy);
        double o2 = orient(g[0], g[1], g[2], g[3], qx, qy);
        double o3 = orient(cx, cy, qx, qy, g[0], g[1]);
        double o4 = orient(cx, cy, qx, qy, g[2], g[3]);
        if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && o3 * o4 <= 0)
            return 1;
    }
    return 0;
}

static double seg_dist(const double *seg, size_t nseg, double x, double y)
{
    double best = INFINITY;
    for (size_t b = 0; b < nseg; b++) {
        const double *g = seg + 4 * b;
        double ex = g[2] - g[0], ey = g[3] - g[1], l2 = ex * ex + ey * ey;
        double u = l2 > 0 ? ((x - g[0]) * ex + (y - g[1]) * ey) / l2 : 0;
        u = u < 0 ? 0 : u > 1 ? 1 : u;
        best = fmin(best, hypot(x - g[0] - u * ex, y - g[1] - u * ey));
    }
    return best;
}

/* Random walks of segments over random points in four zones (quadrants,
 * so zones do cross the lines): every place a zone is drawn, farther than
 * a barrier square's diagonal from the lines, sees a point of that zone
 * within 3 cell sides (checked by brute force); every point is in its own zone; no place is
 * in two. */
static void test_random(void)
{
    for (uint64_t seed = 1; seed <= 3; seed++) {
        uint64_t rs = 977 * seed;
        size_t n = 500, nseg = 0;
        double x[500], y[500], seg[4 * 60];
        int32_t z[500];
        for (size_t i = 0; i < n; i++) {
            x[i] = -1000 + 2000 * uniform(&rs);
            y[i] = -1000 + 2000 * uniform(&rs);
            z[i] = (x[i] > 0) + 2 * (y[i] > 0);
        }
        for (int w = 0; w < 4; w++) { /* four walks of 15 steps */
            double px = -1100 + 2200 * uniform(&rs), py = -1100 + 2200 * uniform(&rs);
            double dir = 2 * 3.14159265358979 * uniform(&rs);
            for (int t = 0; t < 15; t++, nseg++) {
                dir += uniform(&rs) - 0.5;
                double len = 20 + 200 * uniform(&rs);
                seg[4 * nseg] = px;
                seg[4 * nseg + 1] = py;
                px += len * cos(dir);
                py += len * sin(dir);
                seg[4 * nseg + 2] = px;
                seg[4 * nseg + 3] = py;
            }
        }
        plan_fx fx;
        build_points(&fx, n, x, y, z, 4);
        zs_export_shapes *s = cells_of(&fx, seg, nseg);
        CHECK(s != NULL, "random barriers %d: shapes", (int)seed);
        if (!s) {
            free_plan(&fx);
            continue;
        }
        double tol = s->cell_m / (double)(1 << ZS_EXPORT_BARRIER_SPLITS) * sqrt(2.0);
        /* A cell's centre is within its 5 x 5 cells' window of the point
         * it took, and a place within half a cell's diagonal of it. */
        double lim = 3.0 * s->cell_m;
        size_t tried = 0, unseen = 0;
        for (double sy = -1180.3; sy < 1180; sy += 19.7)
            for (double sx = -1180.9; sx < 1180; sx += 19.7) {
                if (seg_dist(seg, nseg, sx, sy) <= tol)
                    continue;
                for (size_t j = 0; j < 4; j++) {
                    if (!zone_contains(s, j, sx, sy))
                        continue;
                    tried++;
                    int seen = 0;
                    for (size_t i = 0; i < n && !seen; i++)
                        seen = z[i] == (int32_t)j && hypot(x[i] - sx, y[i] - sy) <= lim &&
                               !blocked(seg, nseg, sx, sy, x[i], y[i]);
                    unseen += !seen;
                }
            }
        CHECK(tried > 5000 && unseen == 0,
              "random barriers %d: each of %zu places drawn off the lines sees a point of its "
              "zone within 3 cells (%zu do not)", (int)seed, tried, unseen);
        size_t own, two;
        own_and_overlap(s, fx.pts, fx.part->zone, -1300, -1300, 1300, 1300, 13.1, &own, &two);
        CHECK(own == 0 && two == 0,
              "random barriers %d: every point in its own zone (%zu), no place in two (%zu)",
              (int)seed, own, two);
        zs_export_shapes_free(s);
        free_plan(&fx);
    }
}

/* ---- barriers that change nothing -------------------------------------------- */

static int same_shapes(const zs_export_shapes *a, const zs_export_shapes *b)
{
    if (a->k != b->k || a->n_poly != b->n_poly || a->n_ring != b->n_ring ||
        a->n_vert != b->n_vert || a->cell_m != b->cell_m)
        return 0;
    return !memcmp(a->zone_poly, b->zone_poly, (a->k + 1) * sizeof *a->zone_poly) &&
           !memcmp(a->poly_ring, b->poly_ring, (a->n_poly + 1) * sizeof *a->poly_ring) &&
           !memcmp(a->ring_vert, b->ring_vert, (a->n_ring + 1) * sizeof *a->ring_vert) &&
           !memcmp(a->v, b->v, a->n_vert * sizeof *a->v) &&
           !memcmp(a->outside, b->outside, a->k * sizeof *a->outside);
}

static void test_far(void)
{
    plan_fx fx;
    two_sides(&fx, 300, 40, 0, 11);
    /* Off the grid, and a zero-length one off it too. */
    double far[8] = {5000, 5000, 9000, -9000, 8000, 8000, 8000, 8000};
    zs_export_shapes *old = cells_of(&fx, NULL, 0);
    zs_export_shapes *s1 = cells_of(&fx, far, 1), *s3 = cells_of(&fx, far, 2);
    CHECK(old && s1 && s3, "far barriers: shapes");
    if (old && s1 && s3) {
        CHECK(same_shapes(old, s1), "far barriers: a barrier off the grid changes nothing");
        CHECK(same_shapes(old, s3), "far barriers: nor does a zero-length one, bit for bit");
    }
    zs_export_shapes_free(old);
    zs_export_shapes_free(s1);
    zs_export_shapes_free(s3);
    free_plan(&fx);
}

/* Two points on either side of a barrier closer than a barrier square,
 * and one exactly on it: each still in its own zone's cell. */
static void test_tight(void)
{
    double seg[4] = {-100, 0, 100, 0};
    double x[5] = {0, 0.3, 40, -40, 10}, y[5] = {0.2, -0.2, 30, -30, 0};
    int32_t z[5] = {0, 1, 0, 1, 1};
    plan_fx fx;
    build_points(&fx, 5, x, y, z, 2);
    zs_export_shapes *s = cells_of(&fx, seg, 1);
    CHECK(s != NULL, "tight: shapes");
    if (s) {
        size_t own, two;
        own_and_overlap(s, fx.pts, fx.part->zone, -150, -150, 150, 150, 0.93, &own, &two);
        CHECK(own == 0 && two == 0,
              "tight: points 0.4 m apart across a barrier and one on it each in its own zone "
              "(%zu outside), no place in two (%zu)", own, two);
    }
    zs_export_shapes_free(s);
    free_plan(&fx);
}

/* Barriers with an end near the largest double (spans that overflow): the
 * diagonal y = x from (1e300, 1e300) to (0, 0) to (-1.7e308, -1.7e308)
 * still bounds zones by side of it, and a line with both ends that far
 * (its place known only to ~1e292 m) breaks nothing. */
static void test_huge(void)
{
    double seg[12] = {1e300, 1e300, 0, 0, 0, 0, -1.7e308, -1.7e308,
                      -1.7e308, -1.5e308, 1.7e308, 1.6e308};
    size_t n = 200;
    double x[200], y[200];
    int32_t z[200];
    uint64_t rs = 41;
    for (size_t i = 0; i < n; i++) {
        do {
            x[i] = -1000 + 2000 * uniform(&rs);
            y[i] = -1000 + 2000 * uniform(&rs);
        } while (fabs(y[i] - x[i]) < 60);
        z[i] = y[i] > x[i];
    }
    plan_fx fx;
    build_points(&fx, n, x, y, z, 2);
    zs_export_shapes *s = cells_of(&fx, seg, 3), *old = cells_of(&fx, NULL, 0);
    CHECK(s && old, "huge barriers: shapes");
    if (s && old) {
        double tol = s->cell_m / (double)(1 << ZS_EXPORT_BARRIER_SPLITS) * sqrt(2.0);
        double spill[2] = {0, 0}, spill_old[2] = {0, 0};
        for (int pass = 0; pass < 2; pass++) {
            const zs_export_shapes *t = pass ? s : old;
            double *w = pass ? spill : spill_old;
            for (size_t j = 0; j < 2; j++)
                for (size_t r = t->poly_ring[t->zone_poly[j]];
                     r < t->poly_ring[t->zone_poly[j + 1]]; r++)
                    for (size_t v = t->ring_vert[r]; v < t->ring_vert[r + 1]; v++) {
                        double d = (t->v[v].y - t->v[v].x) / sqrt(2.0); /* > 0: zone 1's side */
                        w[j] = fmax(w[j], j ? -d : d);
                    }
        }
        CHECK(spill_old[0] > 3 * tol && spill_old[1] > 3 * tol && spill[0] <= tol &&
                  spill[1] <= tol,
              "huge barriers: the diagonal still bounds both zones (spill %.1f, %.1f -> %.2f, "
              "%.2f m; tolerance %.2f m)", spill_old[0], spill_old[1], spill[0], spill[1], tol);
        size_t own, two;
        own_and_overlap(s, fx.pts, fx.part->zone, -1100, -1100, 1100, 1100, 9.7, &own, &two);
        CHECK(own == 0 && two == 0,
              "huge barriers: every point in its own zone (%zu), no place in two (%zu)", own, two);
    }
    zs_export_shapes_free(s);
    zs_export_shapes_free(old);
    free_plan(&fx);
}

static void test_nomem(void)
{
    double seg[4 * LINE_NSEG];
    line_barrier(seg);
    plan_fx fx;
    two_sides(&fx, 60, 40, 0, 3);
    zs_export_map m = {.plan = "p", .points = fx.pts, .part = fx.part,
                       .outline = ZS_EXPORT_OUTLINE_CELLS, .n_barrier_seg = LINE_NSEG,
                       .barrier_seg = seg};
    long n_fail = 0, bad = 0;
    zs_export_shapes *s = NULL;
    zs_status st = shapes_nomem_sweep(&m, &s, &n_fail, &bad);
    CHECK(st == ZS_OK && s, "barriers nomem: succeeds once allocations succeed");
    CHECK(n_fail >= 20, "barriers nomem: sweep reached %ld failure points", n_fail);
    CHECK(bad == 0, "barriers nomem: every failure is ZS_ENOMEM with nothing returned");
    zs_export_shapes_free(s);
    free_plan(&fx);
}

int main(void)
{
    test_straight();
    test_crossing_zone();
    test_ring();
    test_random();
    test_far();
    test_tight();
    test_huge();
    test_nomem();
    return zs_test_done();
}
