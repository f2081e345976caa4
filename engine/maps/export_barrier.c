/*
 * engine/maps/export_barrier.c -- the barrier lines of a map indexed for
 * the cell outline (engine/maps/export_cells.c; internal interface in
 * engine/maps/export_internal.h): which segments pass through a square,
 * whether a straight segment crosses one, and, fast, whether any lies
 * near a base cell at all.
 *
 * Segments are cut to the grid (the only place a path is tested, and then
 * no test overflows however far a segment's ends lie) and bucketed by the
 * base cells of the outline's grid they pass through (a row at a time, each row's span of the segment widened by a
 * hair, so a bucket may hold a segment that only grazes the cell but never
 * misses one that enters it).  A summed-area table of the bucket sizes
 * answers "is there any barrier in these cells" in O(1), which keeps the
 * cells far from every barrier on the old, barrier-free path.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "maps/export_internal.h"

void zs_exp_barriers_free(zs_exp_barriers *b)
{
    zs_free(b->own);
    zs_free(b->bstart);
    zs_free(b->bseg);
    zs_free(b->sat);
    zs_free(b->stamp);
    zs_free(b->near);
    memset(b, 0, sizeof *b);
}

/* Clips segment (ax, ay)-(bx, by) to the box [x0, x1] x [y0, y1]
 * (Liang-Barsky); returns 0 when nothing of it lies in the box, else 1
 * with the parameters of the part inside in *t0 <= *t1. */
static int clip(double ax, double ay, double bx, double by, double x0, double y0, double x1,
                double y1, double *t0, double *t1)
{
    double dx = bx - ax, dy = by - ay, lo = 0, hi = 1;
    double pp[4] = {-dx, dx, -dy, dy}, qq[4] = {ax - x0, x1 - ax, ay - y0, y1 - ay};
    for (int i = 0; i < 4; i++) {
        if (pp[i] == 0) {
            if (qq[i] < 0)
                return 0;
            continue;
        }
        double t = qq[i] / pp[i];
        if (pp[i] < 0) {
            if (t > hi)
                return 0;
            if (t > lo)
                lo = t;
        } else {
            if (t < lo)
                return 0;
            if (t < hi)
                hi = t;
        }
    }
    *t0 = lo;
    *t1 = hi;
    return 1;
}

/* clip() of segment s, with everything scaled by 1/16 first when the
 * segment's span overflows (coordinates near DBL_MAX), so no difference
 * is infinite; *f is the scale used. */
static int clip_seg(const double *s, double x0, double y0, double x1, double y1, double *t0,
                    double *t1, double *f)
{
    *f = isfinite(s[2] - s[0]) && isfinite(s[3] - s[1]) ? 1 : 0.0625;
    double k = *f;
    return clip(k * s[0], k * s[1], k * s[2], k * s[3], k * x0, k * y0, k * x1, k * y1, t0, t1);
}

int zs_exp_seg_hits_box(const double *s, double x0, double y0, double x1, double y1)
{
    double t0, t1, f;
    return clip_seg(s, x0, y0, x1, y1, &t0, &t1, &f);
}

/* The base-cell column of x, clamped to the grid (NaN, from a segment
 * whose span overflows, to column 0: the bucket is then only too wide). */
static size_t col_of(const zs_exp_barriers *b, double x)
{
    double c = floor((x - b->x0) / b->h);
    return !(c >= 0) ? 0 : c > (double)(b->nx - 1) ? b->nx - 1 : (size_t)c;
}

static size_t row_of(const zs_exp_barriers *b, double y)
{
    double c = floor((y - b->y0) / b->h);
    return !(c >= 0) ? 0 : c > (double)(b->ny - 1) ? b->ny - 1 : (size_t)c;
}

/* The part of segment s inside the box [x0, x1] x [y0, y1] into out (4
 * numbers; an end inside is kept exactly); 0 when none of it is.  Each
 * cut end is measured from the end of s nearer to it (the clip run both
 * ways), so an end far off costs no precision where the other end lies
 * near; the result is finite however far the ends lie, so the tests on it
 * never overflow. */
static int clip_keep(const double *s, double x0, double y0, double x1, double y1, double *out)
{
    double t0, t1, u0, u1, f;
    double r[4] = {s[2], s[3], s[0], s[1]};
    if (!clip_seg(s, x0, y0, x1, y1, &t0, &t1, &f) ||
        !clip_seg(r, x0, y0, x1, y1, &u0, &u1, &f))
        return 0;
    double ax = f * s[0], ay = f * s[1], bx = f * s[2], by = f * s[3];
    double dx = bx - ax, dy = by - ay;
    if (t0 == 0) {
        out[0] = s[0];
        out[1] = s[1];
    } else if (t0 <= 0.5) {
        out[0] = (ax + t0 * dx) / f;
        out[1] = (ay + t0 * dy) / f;
    } else { /* nearer b: u1 = 1 - t0 from b's side */
        out[0] = (bx - u1 * dx) / f;
        out[1] = (by - u1 * dy) / f;
    }
    if (u0 == 0) {
        out[2] = s[2];
        out[3] = s[3];
    } else if (u0 <= 0.5) {
        out[2] = (bx - u0 * dx) / f;
        out[3] = (by - u0 * dy) / f;
    } else {
        out[2] = (ax + t1 * dx) / f;
        out[3] = (ay + t1 * dy) / f;
    }
    return 1;
}

/* Counts (fill 0) or lists (fill 1) segment id in every base cell it
 * passes through (a few more where it grazes a corner). */
static void seg_cells(zs_exp_barriers *b, size_t id, int fill)
{
    const double *s = b->seg + 4 * id;
    double ax = s[0], ay = s[1], bx = s[2], by = s[3];
    double eps = 1e-9 * b->h;
    size_t j0 = row_of(b, fmin(ay, by) - eps), j1 = row_of(b, fmax(ay, by) + eps);
    for (size_t j = j0; j <= j1; j++) {
        /* The segment's x-span within row j's slab. */
        double ylo = b->y0 + (double)j * b->h, yhi = ylo + b->h, xa, xb;
        if (ay == by) {
            xa = fmin(ax, bx);
            xb = fmax(ax, bx);
        } else {
            double ta = (ylo - ay) / (by - ay), tb = (yhi - ay) / (by - ay);
            double lo = fmax(0, fmin(ta, tb)), hi = fmin(1, fmax(ta, tb));
            if (lo > hi) /* the row is only a hair from an end: that end */
                lo = hi = fabs(fmin(fmax(ay, ylo), yhi) - ay) <= fabs(fmin(fmax(by, ylo), yhi) - by)
                              ? 0
                              : 1;
            xa = ax + lo * (bx - ax);
            xb = ax + hi * (bx - ax);
            if (xa > xb) {
                double t = xa;
                xa = xb;
                xb = t;
            }
        }
        size_t i0 = col_of(b, xa - eps), i1 = col_of(b, xb + eps);
        for (size_t i = i0; i <= i1; i++) {
            size_t c = j * b->nx + i;
            if (fill)
                b->bseg[b->bstart[c]++] = id;
            else
                b->bstart[c + 1]++;
        }
    }
}

zs_status zs_exp_barriers_build(zs_exp_barriers *b, const double *seg, size_t n, double x0,
                                double y0, double h, size_t nx, size_t ny, zs_err *err)
{
    memset(b, 0, sizeof *b);
    b->x0 = x0;
    b->y0 = y0;
    b->h = h;
    b->nx = nx;
    b->ny = ny;
    size_t nc = nx * ny;
    double *own = zs_malloc_array(n ? 4 * n : 1, sizeof *own);
    if (!own)
        return ZS_NOMEM(err);
    b->own = own;
    b->seg = own;
    /* Only the parts inside the grid: every path tested lies there. */
    double X1 = x0 + (double)nx * h, Y1 = y0 + (double)ny * h;
    for (size_t s = 0; s < n; s++)
        b->n += clip_keep(seg + 4 * s, x0, y0, X1, Y1, own + 4 * b->n);
    n = b->n;
    if (!(b->bstart = zs_calloc(nc + 1, sizeof *b->bstart))) {
        zs_exp_barriers_free(b);
        return ZS_NOMEM(err);
    }
    for (size_t s = 0; s < n; s++)
        seg_cells(b, s, 0);
    for (size_t c = 0; c < nc; c++)
        b->bstart[c + 1] += b->bstart[c];
    size_t total = b->bstart[nc];
    if (!(b->bseg = zs_malloc_array(total ? total : 1, sizeof *b->bseg)) ||
        !(b->sat = zs_calloc((nx + 1) * (ny + 1), sizeof *b->sat)) ||
        !(b->stamp = zs_calloc(n ? n : 1, sizeof *b->stamp)) ||
        !(b->near = zs_malloc_array(n ? n : 1, sizeof *b->near))) {
        zs_exp_barriers_free(b);
        return ZS_NOMEM(err);
    }
    for (size_t s = 0; s < n; s++)
        seg_cells(b, s, 1);
    for (size_t c = nc; c > 0; c--) /* bstart[c] ran up to the next cell's start */
        b->bstart[c] = b->bstart[c - 1];
    b->bstart[0] = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t cnt = b->bstart[c + 1] - b->bstart[c];
        if (cnt > b->max_bucket)
            b->max_bucket = cnt;
    }
    size_t w = nx + 1;
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++) {
            size_t c = j * nx + i;
            b->sat[(j + 1) * w + i + 1] = b->bstart[c + 1] - b->bstart[c] + b->sat[j * w + i + 1] +
                                          b->sat[(j + 1) * w + i] - b->sat[j * w + i];
        }
    return ZS_OK;
}

/* The window of base cells within r of (bi, bj), clamped to the grid. */
static void window(const zs_exp_barriers *b, size_t bi, size_t bj, size_t r, size_t *i0,
                   size_t *i1, size_t *j0, size_t *j1)
{
    *i0 = bi >= r ? bi - r : 0;
    *i1 = bi + r < b->nx ? bi + r : b->nx - 1;
    *j0 = bj >= r ? bj - r : 0;
    *j1 = bj + r < b->ny ? bj + r : b->ny - 1;
}

size_t zs_exp_barriers_count(const zs_exp_barriers *b, size_t bi, size_t bj, size_t r)
{
    if (!b->n)
        return 0;
    size_t i0, i1, j0, j1, w = b->nx + 1;
    window(b, bi, bj, r, &i0, &i1, &j0, &j1);
    return b->sat[(j1 + 1) * w + i1 + 1] - b->sat[j0 * w + i1 + 1] - b->sat[(j1 + 1) * w + i0] +
           b->sat[j0 * w + i0];
}

size_t zs_exp_barriers_gather(zs_exp_barriers *b, size_t bi, size_t bj, size_t r)
{
    size_t i0, i1, j0, j1;
    window(b, bi, bj, r, &i0, &i1, &j0, &j1);
    if (++b->stamp_now == 0) { /* wrapped: start the stamps afresh */
        memset(b->stamp, 0, b->n * sizeof *b->stamp);
        b->stamp_now = 1;
    }
    b->n_near = 0;
    for (size_t j = j0; j <= j1; j++)
        for (size_t i = i0; i <= i1; i++) {
            size_t c = j * b->nx + i;
            for (size_t t = b->bstart[c]; t < b->bstart[c + 1]; t++) {
                size_t s = b->bseg[t];
                if (b->stamp[s] != b->stamp_now) {
                    b->stamp[s] = b->stamp_now;
                    b->near[b->n_near++] = s;
                }
            }
        }
    return b->n_near;
}

/* Twice the signed area of (a, b, c): > 0 when c lies left of a -> b. */
static double orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

int zs_exp_seg_crosses(const double *s, double cx, double cy, double qx, double qy)
{
    double o1 = orient(s[0], s[1], s[2], s[3], cx, cy);
    double o2 = orient(s[0], s[1], s[2], s[3], qx, qy);
    if (!((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)))
        return 0;
    double o3 = orient(cx, cy, qx, qy, s[0], s[1]);
    double o4 = orient(cx, cy, qx, qy, s[2], s[3]);
    return (o3 >= 0 && o4 <= 0) || (o3 <= 0 && o4 >= 0);
}

int zs_exp_barriers_block(const zs_exp_barriers *b, const size_t *ids, size_t n_ids, double cx,
                          double cy, double qx, double qy)
{
    for (size_t t = 0; t < n_ids; t++)
        if (zs_exp_seg_crosses(b->seg + 4 * ids[t], cx, cy, qx, qy))
            return 1;
    return 0;
}
