/*
 * engine/maps/export.c -- GeoJSON and SVG maps of a zone plan (engine/export.h).
 *
 * Both writers group the points by zone once (a counting sort, O(n)) and
 * build each zone's hull in shared scratch, so a 10^6-point plan costs one
 * sort per zone and no allocation per zone.  Output goes through stdio; a
 * failed write is detected once at the end through ferror, which stdio
 * keeps sticky.
 */
#include "maps/export.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "models/ptype.h"
#include "sim/sim.h"

static const double PI = 3.14159265358979323846;

/* ---- geometry ------------------------------------------------------------ */

static int cmp_xy(const void *pa, const void *pb)
{
    const zs_xy *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return 0;
}

/* > 0 when o -> a -> b turns left (counter-clockwise). */
static double cross(zs_xy o, zs_xy a, zs_xy b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

size_t zs_export_hull(zs_xy *p, size_t n, double pad_m, zs_xy *h)
{
    if (n == 0)
        return 0;
    qsort(p, n, sizeof *p, cmp_xy);
    /* Lower chain left to right, then upper chain right to left; popping
     * on cross <= 0 drops collinear and repeated points. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    for (size_t i = n - 1, t = k + 1; i-- > 0;) {
        while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    if (k >= 4)
        return k - 1; /* the last vertex repeats the first */
    /* Fewer than three corners: the points are equal or on a line, and
     * after sorting p[0] and p[n-1] are the ends of that line. */
    zs_xy a = p[0], b = p[n - 1];
    double dx = b.x - a.x, dy = b.y - a.y, len = hypot(dx, dy);
    double ux = 1, uy = 0;
    if (len > 0) {
        ux = dx / len;
        uy = dy / len;
    }
    /* Along u by pad past each end, across by pad on each side: for u =
     * (1, 0) this is the square or rectangle from lower left, CCW. */
    double px = pad_m * ux, py = pad_m * uy; /* pad along u */
    double qx = -py, qy = px;                /* pad along the left normal */
    h[0] = (zs_xy){a.x - px - qx, a.y - py - qy};
    h[1] = (zs_xy){b.x + px - qx, b.y + py - qy};
    h[2] = (zs_xy){b.x + px + qx, b.y + py + qy};
    h[3] = (zs_xy){a.x - px + qx, a.y - py + qy};
    return 4;
}

void zs_export_unproject(const zs_points *p, double x, double y, double *lon, double *lat)
{
    /* The exact inverse of engine/points.c's project(), term by term. */
    *lon = p->lon0 + x / (ZS_EXPORT_EARTH_R_M * cos(p->lat0 * PI / 180.0)) * 180.0 / PI;
    *lat = p->lat0 + y / ZS_EXPORT_EARTH_R_M * 180.0 / PI;
}

/* ---- zones grouped for drawing --------------------------------------------- */

typedef struct {
    size_t k;
    size_t *start;   /* k + 1 offsets into order */
    size_t *order;   /* point indices, grouped by zone, in point order */
    double *parcels; /* k sums of mean parcels */
    zs_xy *scratch;  /* n: one zone's points, sorted by the hull */
    zs_xy *hull;     /* 2 n + 4 */
} zones;

static void zones_free(zones *z)
{
    zs_free(z->start);
    zs_free(z->order);
    zs_free(z->parcels);
    zs_free(z->scratch);
    zs_free(z->hull);
}

static zs_status check_map(const zs_export_map *m, zs_err *err)
{
    if (!m || !m->points || !m->part)
        return zs_err_set(err, ZS_EINVAL, "nothing to export: no points or no plan");
    const zs_points *p = m->points;
    const zs_partition *pa = m->part;
    if (pa->n != p->n)
        return zs_err_set(err, ZS_EINVAL, "the plan covers %zu points, but there are %zu", pa->n,
                          p->n);
    if (pa->k < 1 || !pa->label)
        return zs_err_set(err, ZS_EINVAL, "the plan has no zones");
    if ((int)m->outline < (int)ZS_EXPORT_OUTLINE_AUTO || (int)m->outline > (int)ZS_EXPORT_OUTLINE_CELLS)
        return zs_err_set(err, ZS_EINVAL, "outline = %d; must be auto, hull or cells",
                          (int)m->outline);
    for (size_t i = 0; i < pa->n; i++)
        if (pa->zone[i] < 0 || (size_t)pa->zone[i] >= pa->k)
            return zs_err_set(err, ZS_EINVAL, "point '%s' has zone %ld outside 0..%zu", p->id[i],
                              (long)pa->zone[i], pa->k - 1);
    const zs_plan_summary *s = m->summary;
    if (s && (s->zones != pa->k || !s->zone[ZS_M_WORK_MIN] || !s->zone[ZS_M_OVERTIME_MIN] ||
              !s->zone[ZS_M_STOPS]))
        return zs_err_set(err, ZS_EINVAL, "the summary has %zu zones, the plan %zu", s->zones,
                          pa->k);
    return ZS_OK;
}

static zs_status zones_build(const zs_export_map *m, zones *z, zs_err *err)
{
    memset(z, 0, sizeof *z);
    zs_status st = check_map(m, err);
    if (st != ZS_OK)
        return st;
    size_t n = m->points->n, k = m->part->k;
    const int32_t *zone = m->part->zone;
    z->k = k;
    if (!(z->start = zs_calloc(k + 1, sizeof *z->start)) ||
        !(z->order = zs_malloc_array(n ? n : 1, sizeof *z->order)) ||
        !(z->parcels = zs_calloc(k, sizeof *z->parcels)) ||
        !(z->scratch = zs_malloc_array(n ? n : 1, sizeof *z->scratch)) ||
        !(z->hull = zs_malloc_array(2 * n + 4, sizeof *z->hull))) {
        zones_free(z);
        return ZS_NOMEM(err);
    }
    for (size_t i = 0; i < n; i++) {
        z->start[zone[i] + 1]++;
        z->parcels[zone[i]] += m->points->parcels[i]; /* in point order: reproducible bits */
    }
    for (size_t j = 0; j < k; j++)
        if (z->start[j + 1] == 0) {
            zones_free(z);
            return zs_err_set(err, ZS_EINVAL, "zone '%s' has no points", m->part->label[j]);
        }
    for (size_t j = 0; j < k; j++)
        z->start[j + 1] += z->start[j];
    /* Fill from the back so each zone keeps point order (stable). */
    for (size_t i = n; i-- > 0;)
        z->order[--z->start[zone[i] + 1]] = i;
    /* start[j + 1] now holds start of zone j; shift back into place. */
    for (size_t j = 0; j < k; j++)
        z->start[j] = z->start[j + 1];
    z->start[k] = n;
    return ZS_OK;
}

/* Hull of zone j into z->hull; returns its vertex count (0 for an empty
 * zone, which a valid plan does not have). */
static size_t zone_hull(const zones *z, const zs_points *p, size_t j)
{
    size_t c = 0;
    for (size_t t = z->start[j]; t < z->start[j + 1]; t++) {
        size_t i = z->order[t];
        z->scratch[c++] = (zs_xy){p->x[i], p->y[i]};
    }
    return zs_export_hull(z->scratch, c, ZS_EXPORT_PAD_M, z->hull);
}

static zs_status finish(FILE *f, zs_err *err)
{
    if (fflush(f) != 0 || ferror(f))
        return zs_err_set(err, ZS_EIO, "write error: %s", strerror(errno ? errno : EIO));
    return ZS_OK;
}

/* ---- outlines ---------------------------------------------------------------- */

zs_status zs_export_outline_parse(const char *s, zs_export_outline *out, zs_err *err)
{
    static const zs_export_outline all[] = {ZS_EXPORT_OUTLINE_HULL, ZS_EXPORT_OUTLINE_CELLS,
                                            ZS_EXPORT_OUTLINE_AUTO};
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(s, zs_export_outline_name(all[i]))) {
            *out = all[i];
            return ZS_OK;
        }
    return zs_err_set(err, ZS_EINVAL, "outline '%s' is not hull, cells or auto", s ? s : "");
}

const char *zs_export_outline_name(zs_export_outline o)
{
    switch (o) {
    case ZS_EXPORT_OUTLINE_AUTO: return "auto";
    case ZS_EXPORT_OUTLINE_HULL: return "hull";
    case ZS_EXPORT_OUTLINE_CELLS: return "cells";
    }
    return "?";
}

/* Releases the arrays, keeping k: a hull attempt given up for cells. */
static void shapes_clear(zs_export_shapes *s)
{
    zs_free(s->zone_poly);
    zs_free(s->poly_ring);
    zs_free(s->ring_vert);
    zs_free(s->v);
    zs_free(s->outside);
    size_t k = s->k;
    memset(s, 0, sizeof *s);
    s->k = k;
}

void zs_export_shapes_free(zs_export_shapes *s)
{
    if (!s)
        return;
    shapes_clear(s);
    zs_free(s);
}

/* ---- hulls and whether they overlap -------------------------------------------- */

/* One polygon of one ring per zone.  A hull has at most as many vertices
 * as its zone has points, or 4 when padded, so n + 4 k bound them all. */
static zs_status hull_shapes(const zs_points *p, const zones *z, zs_export_shapes *s, zs_err *err)
{
    size_t k = z->k;
    if (!(s->zone_poly = zs_malloc_array(k + 1, sizeof *s->zone_poly)) ||
        !(s->poly_ring = zs_malloc_array(k + 1, sizeof *s->poly_ring)) ||
        !(s->ring_vert = zs_malloc_array(k + 1, sizeof *s->ring_vert)) ||
        !(s->v = zs_malloc_array(p->n + 4 * k, sizeof *s->v)))
        return ZS_NOMEM(err);
    size_t nv = 0;
    for (size_t j = 0; j < k; j++) {
        s->zone_poly[j] = s->poly_ring[j] = j;
        s->ring_vert[j] = nv;
        size_t m = zone_hull(z, p, j);
        memcpy(s->v + nv, z->hull, m * sizeof *s->v);
        nv += m;
    }
    s->zone_poly[k] = s->poly_ring[k] = k;
    s->ring_vert[k] = nv;
    s->n_poly = s->n_ring = k;
    s->n_vert = nv;
    s->outline = ZS_EXPORT_OUTLINE_HULL;
    s->cell_m = 0;
    return ZS_OK;
}

/* 1 when some edge of the convex counter-clockwise polygon a has all of b
 * on or beyond its outer side, up to tol metres: the separating axis
 * theorem's test for one polygon's normals.  The vertex of b lowest along
 * the outward normal moves counter-clockwise as the normal turns, so one
 * pointer walks b once: O(na + nb), not O(na nb). */
static int separates(const zs_xy *a, size_t na, const zs_xy *b, size_t nb, double tol)
{
    size_t j = 0;
    for (size_t i = 0; i < na; i++) {
        zs_xy p = a[i], q = a[(i + 1) % na];
        double nx = q.y - p.y, ny = p.x - q.x; /* outward: the edge's right normal */
        if (i == 0) {
            for (size_t t = 1; t < nb; t++)
                if (nx * b[t].x + ny * b[t].y < nx * b[j].x + ny * b[j].y)
                    j = t;
        } else {
            for (size_t steps = 0; steps < nb; steps++) {
                size_t t = (j + 1) % nb;
                if (!(nx * b[t].x + ny * b[t].y < nx * b[j].x + ny * b[j].y))
                    break;
                j = t;
            }
        }
        if (nx * b[j].x + ny * b[j].y >= nx * p.x + ny * p.y - tol * hypot(nx, ny))
            return 1;
    }
    return 0;
}

typedef struct {
    double x0, x1, y0, y1;
    size_t j;
} zbox;

static int cmp_zbox(const void *pa, const void *pb)
{
    const zbox *a = pa, *b = pb;
    if (a->x0 != b->x0)
        return a->x0 < b->x0 ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

/* Hulls closer than this (metres) touch rather than overlap: a zone split
 * along a street of points shares that street's hull edge. */
#define OVERLAP_TOL_M 1e-3

/* Sets *found when the interiors of two of the hulls in s overlap.  Boxes
 * sorted by their west edge are swept first, so only pairs whose boxes
 * overlap get the polygon test. */
static zs_status hulls_overlap(const zs_export_shapes *s, int *found, zs_err *err)
{
    *found = 0;
    size_t k = s->k;
    zbox *b = zs_malloc_array(k, sizeof *b);
    if (!b)
        return ZS_NOMEM(err);
    for (size_t j = 0; j < k; j++) {
        b[j] = (zbox){INFINITY, -INFINITY, INFINITY, -INFINITY, j};
        for (size_t t = s->ring_vert[j]; t < s->ring_vert[j + 1]; t++) {
            b[j].x0 = fmin(b[j].x0, s->v[t].x);
            b[j].x1 = fmax(b[j].x1, s->v[t].x);
            b[j].y0 = fmin(b[j].y0, s->v[t].y);
            b[j].y1 = fmax(b[j].y1, s->v[t].y);
        }
    }
    qsort(b, k, sizeof *b, cmp_zbox);
    for (size_t i = 0; i < k && !*found; i++)
        for (size_t c = i + 1; c < k && b[c].x0 < b[i].x1 - OVERLAP_TOL_M; c++) {
            if (b[c].y0 >= b[i].y1 - OVERLAP_TOL_M || b[i].y0 >= b[c].y1 - OVERLAP_TOL_M)
                continue;
            const zs_xy *ha = s->v + s->ring_vert[b[i].j], *hb = s->v + s->ring_vert[b[c].j];
            size_t na = s->ring_vert[b[i].j + 1] - s->ring_vert[b[i].j];
            size_t nb = s->ring_vert[b[c].j + 1] - s->ring_vert[b[c].j];
            if (!separates(ha, na, hb, nb, OVERLAP_TOL_M) && !separates(hb, nb, ha, na, OVERLAP_TOL_M)) {
                *found = 1;
                break;
            }
        }
    zs_free(b);
    return ZS_OK;
}

/* ---- cells: which zone owns which square ------------------------------------------ */

/* Squares live on an integer lattice of unit u = h / 2^depth metres: a
 * base cell (i, j) is the square of side 2^depth at (i 2^depth, j 2^depth),
 * and a cell split d times has side 2^(depth - d).  Integer corners make
 * the boundary tracing exact: no two corners that should meet can miss
 * each other by a rounding. */
typedef struct {
    int64_t x, y, side; /* lower-left corner and side, lattice units */
    int32_t zone;
} leaf;

typedef struct {
    const double *px, *py;
    const int32_t *pz;
    double x0, y0;     /* lattice origin, metres */
    double h, u;       /* base cell side and lattice unit, metres */
    double reach2;     /* (ZS_EXPORT_CELL_REACH h)^2, m^2 */
    int depth;         /* how often a base cell may be split */
    size_t nx, ny;     /* base cells */
    int64_t *lx, *ly;  /* n: the points' lattice coordinates */
    size_t *cstart;    /* nx ny + 1: points of base cell c are cpts[cstart[c] .. cstart[c + 1]) */
    size_t *cpts;      /* n */
    int32_t *zscratch; /* n: the majority vote's */
    size_t *outside;   /* k: the shapes' count */
    leaf *leaf;
    size_t n_leaf, cap_leaf;
} grid;

static void grid_free(grid *g)
{
    zs_free(g->lx);
    zs_free(g->ly);
    zs_free(g->cstart);
    zs_free(g->cpts);
    zs_free(g->zscratch);
    zs_free(g->leaf);
}

static zs_status push_leaf(grid *g, int64_t x, int64_t y, int64_t side, int32_t zone, zs_err *err)
{
    if (g->n_leaf == g->cap_leaf) {
        size_t cap = g->cap_leaf ? 2 * g->cap_leaf : 1024;
        leaf *nl = cap > SIZE_MAX / sizeof *nl ? NULL : zs_realloc(g->leaf, cap * sizeof *nl);
        if (!nl)
            return ZS_NOMEM(err);
        g->leaf = nl;
        g->cap_leaf = cap;
    }
    g->leaf[g->n_leaf++] = (leaf){x, y, side, zone};
    return ZS_OK;
}

/* The point nearest (x, y) among the base cells within 2 of (bi, bj) --
 * every point within the reach of a base cell's centre lies there -- with
 * its squared distance in *d2; SIZE_MAX when there is none.  Ties go to
 * the lower point index, so the answer does not depend on bucket order. */
static size_t nearest(const grid *g, double x, double y, size_t bi, size_t bj, double *d2)
{
    size_t best = SIZE_MAX;
    double bd = INFINITY;
    size_t i0 = bi >= 2 ? bi - 2 : 0, i1 = bi + 2 < g->nx ? bi + 2 : g->nx - 1;
    size_t j0 = bj >= 2 ? bj - 2 : 0, j1 = bj + 2 < g->ny ? bj + 2 : g->ny - 1;
    for (size_t j = j0; j <= j1; j++)
        for (size_t i = i0; i <= i1; i++) {
            size_t c = j * g->nx + i;
            for (size_t t = g->cstart[c]; t < g->cstart[c + 1]; t++) {
                size_t q = g->cpts[t];
                double dx = g->px[q] - x, dy = g->py[q] - y, d = dx * dx + dy * dy;
                if (d < bd || (d == bd && q < best)) {
                    bd = d;
                    best = q;
                }
            }
        }
    *d2 = bd;
    return best;
}

/* Moves the indices whose coordinate c has bit b clear to the front;
 * returns how many there are. */
static size_t split_bit(size_t *idx, size_t cnt, const int64_t *c, int b)
{
    size_t lo = 0;
    for (size_t t = 0; t < cnt; t++)
        if (!((c[idx[t]] >> b) & 1)) {
            size_t tmp = idx[lo];
            idx[lo++] = idx[t];
            idx[t] = tmp;
        }
    return lo;
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

static int cmp_i32(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    return a < b ? -1 : a > b;
}

/* The square of side 2^level at (x, y) in base cell (bi, bj), holding the
 * points idx[0..cnt): one zone's points make it that zone's; none, the
 * zone of the nearest point; several zones' points split it in four,
 * down to level 0, where the zone with most points there takes it (the
 * lowest zone index among equals) and the others' points are counted
 * outside. */
static zs_status cell_fill(grid *g, int64_t x, int64_t y, int level, size_t *idx, size_t cnt,
                           size_t bi, size_t bj, zs_err *err)
{
    int64_t side = (int64_t)1 << level;
    if (cnt == 0) {
        double d2;
        size_t q = nearest(g, g->x0 + ((double)x + 0.5 * (double)side) * g->u,
                           g->y0 + ((double)y + 0.5 * (double)side) * g->u, bi, bj, &d2);
        if (q == SIZE_MAX) /* a split cell has points of its own */
            return ZS_INTERNAL(err, "a split cell has no point near it");
        return push_leaf(g, x, y, side, g->pz[q], err);
    }
    int32_t z0 = g->pz[idx[0]];
    size_t t = 1;
    while (t < cnt && g->pz[idx[t]] == z0)
        t++;
    if (t == cnt)
        return push_leaf(g, x, y, side, z0, err);
    if (level == 0) {
        int32_t *zz = g->zscratch;
        for (t = 0; t < cnt; t++)
            zz[t] = g->pz[idx[t]];
        qsort(zz, cnt, sizeof *zz, cmp_i32);
        int32_t best = zz[0];
        size_t best_n = 0;
        for (size_t a = 0, b; a < cnt; a = b) {
            for (b = a; b < cnt && zz[b] == zz[a]; b++)
                ;
            if (b - a > best_n) {
                best_n = b - a;
                best = zz[a];
            }
        }
        for (t = 0; t < cnt; t++)
            if (g->pz[idx[t]] != best)
                g->outside[g->pz[idx[t]]]++;
        return push_leaf(g, x, y, side, best, err);
    }
    int b = level - 1;
    int64_t hs = side / 2;
    size_t south = split_bit(idx, cnt, g->ly, b);
    size_t sw = split_bit(idx, south, g->lx, b);
    size_t nw = split_bit(idx + south, cnt - south, g->lx, b);
    zs_status st = cell_fill(g, x, y, b, idx, sw, bi, bj, err);
    if (st == ZS_OK)
        st = cell_fill(g, x + hs, y, b, idx + sw, south - sw, bi, bj, err);
    if (st == ZS_OK)
        st = cell_fill(g, x, y + hs, b, idx + south, nw, bi, bj, err);
    if (st == ZS_OK)
        st = cell_fill(g, x + hs, y + hs, b, idx + south + nw, cnt - south - nw, bi, bj, err);
    return st;
}

/* Lays the grid over the points (the rule in engine/export.h), buckets
 * the points by base cell and fills g->leaf with the owned squares, base
 * cells in row-major order. */
static zs_status grid_build(grid *g, const zs_points *p, const zs_partition *pa, size_t *outside,
                            zs_err *err)
{
    size_t n = p->n;
    memset(g, 0, sizeof *g);
    g->px = p->x;
    g->py = p->y;
    g->pz = pa->zone;
    g->outside = outside;
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        xmin = fmin(xmin, p->x[i]);
        xmax = fmax(xmax, p->x[i]);
        ymin = fmin(ymin, p->y[i]);
        ymax = fmax(ymax, p->y[i]);
    }
    double w = xmax - xmin, ht = ymax - ymin;
    double h = ZS_EXPORT_CELL_FACTOR * sqrt(w * ht / (double)n);
    if (h >= ZS_EXPORT_CELL_MIN_M) { /* not on a line: the area the points occupy */
        uint64_t *id = zs_malloc_array(n, sizeof *id);
        if (!id)
            return ZS_NOMEM(err);
        double fx0 = floor(w / h) + 1;
        for (size_t i = 0; i < n; i++)
            id[i] = (uint64_t)floor((p->y[i] - ymin) / h) * (uint64_t)fx0 +
                    (uint64_t)floor((p->x[i] - xmin) / h);
        qsort(id, n, sizeof *id, cmp_u64);
        size_t occupied = 1;
        for (size_t i = 1; i < n; i++)
            occupied += id[i] != id[i - 1];
        zs_free(id);
        h = ZS_EXPORT_CELL_FACTOR * sqrt((double)occupied * h * h / (double)n);
    }
    if (!(h >= ZS_EXPORT_CELL_MIN_M)) /* also a line of points: no area */
        h = ZS_EXPORT_CELL_MIN_M;
    double reach, fx, fy;
    for (;;) {
        reach = ZS_EXPORT_CELL_REACH * h;
        fx = floor((w + 2 * reach) / h) + 1;
        fy = floor((ht + 2 * reach) / h) + 1;
        if (fx * fy <= ZS_EXPORT_CELLS_MAX)
            break;
        h *= 1.25; /* at most ~1.6 x the cells wanted, then under the bound */
    }
    g->h = h;
    g->reach2 = reach * reach;
    g->nx = (size_t)fx;
    g->ny = (size_t)fy;
    g->x0 = xmin - reach;
    g->y0 = ymin - reach;
    /* Split down to ZS_EXPORT_CELL_FINE_M, and at most 2^24-fold: with
     * ZS_EXPORT_CELLS_MAX base cells a side, corners stay below 2^46. */
    while (g->depth < 24 && ldexp(h, -(g->depth + 1)) >= ZS_EXPORT_CELL_FINE_M)
        g->depth++;
    g->u = ldexp(h, -g->depth);
    size_t nc = g->nx * g->ny;
    if (!(g->lx = zs_malloc_array(n, sizeof *g->lx)) ||
        !(g->ly = zs_malloc_array(n, sizeof *g->ly)) ||
        !(g->cstart = zs_calloc(nc + 1, sizeof *g->cstart)) ||
        !(g->cpts = zs_malloc_array(n, sizeof *g->cpts)) ||
        !(g->zscratch = zs_malloc_array(n, sizeof *g->zscratch)))
        return ZS_NOMEM(err);
    int64_t lxmax = ((int64_t)g->nx << g->depth) - 1, lymax = ((int64_t)g->ny << g->depth) - 1;
    for (size_t i = 0; i < n; i++) {
        /* Clamped: rounding must not carry a point off the grid. */
        double tx = floor((p->x[i] - g->x0) / g->u), ty = floor((p->y[i] - g->y0) / g->u);
        g->lx[i] = tx < 0 ? 0 : tx > (double)lxmax ? lxmax : (int64_t)tx;
        g->ly[i] = ty < 0 ? 0 : ty > (double)lymax ? lymax : (int64_t)ty;
        size_t c = (size_t)(g->ly[i] >> g->depth) * g->nx + (size_t)(g->lx[i] >> g->depth);
        g->cstart[c + 1]++;
    }
    for (size_t c = 0; c < nc; c++)
        g->cstart[c + 1] += g->cstart[c];
    for (size_t i = 0; i < n; i++) { /* a counting sort, stable */
        size_t c = (size_t)(g->ly[i] >> g->depth) * g->nx + (size_t)(g->lx[i] >> g->depth);
        g->cpts[g->cstart[c]++] = i;
    }
    for (size_t c = nc; c > 0; c--) /* cstart[c] ran up to the next cell's start */
        g->cstart[c] = g->cstart[c - 1];
    g->cstart[0] = 0;
    int64_t side = (int64_t)1 << g->depth;
    for (size_t bj = 0; bj < g->ny; bj++)
        for (size_t bi = 0; bi < g->nx; bi++) {
            size_t c = bj * g->nx + bi, cnt = g->cstart[c + 1] - g->cstart[c];
            int64_t x = (int64_t)bi << g->depth, y = (int64_t)bj << g->depth;
            zs_status st;
            if (cnt) {
                st = cell_fill(g, x, y, g->depth, g->cpts + g->cstart[c], cnt, bi, bj, err);
            } else {
                double d2;
                size_t q = nearest(g, g->x0 + ((double)bi + 0.5) * h,
                                   g->y0 + ((double)bj + 0.5) * h, bi, bj, &d2);
                st = q != SIZE_MAX && d2 <= g->reach2 ? push_leaf(g, x, y, side, g->pz[q], err)
                                                       : ZS_OK;
            }
            if (st != ZS_OK)
                return st;
        }
    return ZS_OK;
}

/* ---- cells: tracing each zone's squares into rings -------------------------------- */

/* An edge of a zone's region lies on a lattice line where exactly one
 * side of the line is the zone's.  On a horizontal line, a square's
 * bottom side adds +1 (the zone above) over its span and its top side -1
 * (the zone below); since a zone's squares do not overlap, the sum is -1,
 * 0 or 1, and its non-zero runs are the edges, directed so the zone lies
 * on their left (+1 east, -1 west).  Vertical lines likewise: a left side
 * +1 (the zone east: run south), a right side -1 (north).  Squares of any
 * size mix freely, and runs are maximal, so every ring vertex is a right
 * angle. */
typedef struct {
    int64_t line, pos;
    int32_t zone, delta;
} bev;

typedef struct {
    int64_t ax, ay, bx, by; /* from a to b, the zone on the left */
    int32_t zone;
} bseg;

typedef struct {
    int64_t x, y;
} lpt;

static int cmp_bev(const void *pa, const void *pb)
{
    const bev *a = pa, *b = pb;
    if (a->zone != b->zone)
        return a->zone < b->zone ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int cmp_bseg(const void *pa, const void *pb)
{
    const bseg *a = pa, *b = pb;
    if (a->zone != b->zone)
        return a->zone < b->zone ? -1 : 1;
    if (a->ax != b->ax)
        return a->ax < b->ax ? -1 : 1;
    return a->ay < b->ay ? -1 : a->ay > b->ay;
}

/* The events of one direction's lines for every leaf, sorted. */
static void boundary_events(const grid *g, int vertical, bev *e)
{
    size_t m = 0;
    for (size_t i = 0; i < g->n_leaf; i++) {
        const leaf *l = &g->leaf[i];
        int64_t lo = vertical ? l->x : l->y;   /* the line of the +1 side */
        int64_t at = vertical ? l->y : l->x;   /* where its span starts */
        e[m++] = (bev){lo, at, l->zone, 1};
        e[m++] = (bev){lo, at + l->side, l->zone, -1};
        e[m++] = (bev){lo + l->side, at, l->zone, -1};
        e[m++] = (bev){lo + l->side, at + l->side, l->zone, 1};
    }
    qsort(e, m, sizeof *e, cmp_bev);
}

typedef struct {
    bseg *s;
    size_t n, cap;
} bseg_vec;

static zs_status push_bseg(bseg_vec *v, bseg e, zs_err *err)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 1024;
        bseg *ns = cap > SIZE_MAX / sizeof *ns ? NULL : zs_realloc(v->s, cap * sizeof *ns);
        if (!ns)
            return ZS_NOMEM(err);
        v->s = ns;
        v->cap = cap;
    }
    v->s[v->n++] = e;
    return ZS_OK;
}

/* Sweeps sorted events into directed edges, appended to out. */
static zs_status boundary_sweep(const bev *e, size_t ne, int vertical, bseg_vec *out, zs_err *err)
{
    size_t i = 0;
    while (i < ne) {
        int32_t zone = e[i].zone;
        int64_t line = e[i].line, start = 0;
        int val = 0, run = 0;
        while (i < ne && e[i].zone == zone && e[i].line == line) {
            int64_t pos = e[i].pos;
            while (i < ne && e[i].zone == zone && e[i].line == line && e[i].pos == pos)
                val += e[i++].delta;
            if (val < -1 || val > 1)
                return ZS_INTERNAL(err, "cells of zone %ld overlap", (long)zone);
            if (val == run)
                continue;
            if (run) {
                int64_t a = run > 0 ? start : pos, b = run > 0 ? pos : start;
                /* vertical +1: the zone east, run south */
                zs_status st = push_bseg(out, vertical ? (bseg){line, b, line, a, zone}
                                                       : (bseg){a, line, b, line, zone}, err);
                if (st != ZS_OK)
                    return st;
            }
            start = pos;
            run = val;
        }
        if (run)
            return ZS_INTERNAL(err, "an edge of zone %ld does not end", (long)zone);
    }
    return ZS_OK;
}

/* First edge of zone starting at (x, y) in the sorted edges, or n. */
static size_t seg_find(const bseg *s, size_t n, int32_t zone, int64_t x, int64_t y)
{
    size_t lo = 0, hi = n;
    bseg key = {x, y, 0, 0, zone};
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_bseg(&s[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && !cmp_bseg(&s[lo], &key) ? lo : n;
}

static int sgn64(int64_t v)
{
    return (v > 0) - (v < 0);
}

typedef struct {
    size_t start, len;  /* vertices rv[start .. start + len) */
    int32_t zone;
    int ccw;
    double area;        /* |signed area|, lattice units^2 (compared, never exact) */
    int64_t x0, y0, x1, y1;
    size_t outer;       /* a hole's outer ring */
} lring;

/* A ring from the edges path[a..b): the vertices are their starts. */
static void ring_emit(const bseg *sg, const size_t *path, size_t a, size_t b, lpt *rv, size_t *nv,
                      lring *rings, size_t *nr)
{
    lring *r = &rings[(*nr)++];
    r->start = *nv;
    r->len = b - a;
    r->zone = sg[path[a]].zone;
    r->x0 = r->x1 = sg[path[a]].ax;
    r->y0 = r->y1 = sg[path[a]].ay;
    size_t low = 0; /* the lowest, then leftmost vertex: a convex corner */
    for (size_t t = a; t < b; t++) {
        lpt v = {sg[path[t]].ax, sg[path[t]].ay};
        rv[*nv + t - a] = v;
        if (v.y < rv[*nv + low].y || (v.y == rv[*nv + low].y && v.x < rv[*nv + low].x))
            low = t - a;
        r->x0 = v.x < r->x0 ? v.x : r->x0;
        r->x1 = v.x > r->x1 ? v.x : r->x1;
        r->y0 = v.y < r->y0 ? v.y : r->y0;
        r->y1 = v.y > r->y1 ? v.y : r->y1;
    }
    const lpt *v = rv + *nv;
    size_t len = r->len;
    lpt pv = v[(low + len - 1) % len], cv = v[low], nx = v[(low + 1) % len];
    int ix = sgn64(cv.x - pv.x), iy = sgn64(cv.y - pv.y);
    int ox = sgn64(nx.x - cv.x), oy = sgn64(nx.y - cv.y);
    r->ccw = ix * oy - iy * ox > 0;
    double area = 0; /* about the box's corner, so the products stay small */
    for (size_t t = 0; t < len; t++) {
        const lpt *p = &v[t], *q = &v[(t + 1) % len];
        area += (double)(p->x - r->x0) * (double)(q->y - r->y0) -
                (double)(q->x - r->x0) * (double)(p->y - r->y0);
    }
    r->area = fabs(area) / 2;
    *nv += len;
}

/* Even-odd test of the point (px2 / 2, py2 / 2) against a rectilinear
 * ring; the point's doubled coordinates are odd and the vertices' even,
 * so it never lies on an edge. */
static int ring_contains(const lpt *v, size_t len, int64_t px2, int64_t py2)
{
    int in = 0;
    for (size_t t = 0; t < len; t++) {
        const lpt *a = &v[t], *b = &v[(t + 1) % len];
        if (a->x != b->x || 2 * a->x < px2)
            continue;
        if ((2 * a->y < py2) != (2 * b->y < py2))
            in = !in;
    }
    return in;
}

typedef struct {
    size_t zone, outer, hole, r;
} ring_key;

static int cmp_ring_key(const void *pa, const void *pb)
{
    const ring_key *a = pa, *b = pb;
    if (a->zone != b->zone)
        return a->zone < b->zone ? -1 : 1;
    if (a->outer != b->outer)
        return a->outer < b->outer ? -1 : 1;
    if (a->hole != b->hole)
        return a->hole < b->hole ? -1 : 1;
    return a->r < b->r ? -1 : a->r > b->r;
}

/* The cell-union shapes of the plan into s (see engine/export.h). */
static zs_status cell_shapes(const zs_export_map *m, zs_export_shapes *s, zs_err *err)
{
    const zs_points *p = m->points;
    size_t k = s->k;
    grid g;
    bev *ev = NULL;
    bseg *sg = NULL;
    size_t *path = NULL, *vpos = NULL;
    unsigned char *used = NULL;
    lpt *rv = NULL;
    lring *rings = NULL;
    ring_key *keys = NULL;
    zs_status st;
    memset(&g, 0, sizeof g);
    if (!(s->outside = zs_calloc(k, sizeof *s->outside))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if ((st = grid_build(&g, p, m->part, s->outside, err)) != ZS_OK)
        goto done;

    /* Edges, one direction at a time. */
    size_t ne = 4 * g.n_leaf;
    bseg_vec edges = {NULL, 0, 0};
    if (!(ev = zs_malloc_array(ne ? ne : 1, sizeof *ev))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (int vert = 0; vert < 2; vert++) {
        boundary_events(&g, vert, ev);
        if ((st = boundary_sweep(ev, ne, vert, &edges, err)) != ZS_OK) {
            sg = edges.s;
            goto done;
        }
    }
    sg = edges.s;
    size_t nseg = edges.n;
    zs_free(ev);
    ev = NULL;
    qsort(sg, nseg, sizeof *sg, cmp_bseg);

    /* Rings: follow each edge to the one starting at its end.  Where two
     * leave a vertex (a zone's squares meeting only at that corner), turn
     * left, keeping to the square already beside us; a ring that comes
     * back to such a vertex is cut there into two rings, so none passes
     * through a vertex twice. */
    size_t cap_ring = nseg / 4 + 1; /* a ring has >= 4 edges */
    if (!(path = zs_malloc_array(nseg ? nseg : 1, sizeof *path)) ||
        !(vpos = zs_malloc_array(nseg ? nseg : 1, sizeof *vpos)) ||
        !(used = zs_calloc(nseg ? nseg : 1, 1)) ||
        !(rv = zs_malloc_array(nseg ? nseg : 1, sizeof *rv)) ||
        !(rings = zs_malloc_array(cap_ring, sizeof *rings))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    size_t nv = 0, nr = 0;
    for (size_t s0 = 0; s0 < nseg; s0++) {
        if (used[s0])
            continue;
        size_t plen = 0, cur = s0;
        for (;;) {
            const bseg *e = &sg[cur];
            used[cur] = 1;
            /* The other edge leaving this one's start, if on the path: a loop closed. */
            size_t sib = seg_find(sg, nseg, e->zone, e->ax, e->ay);
            if (sib == cur)
                sib = sib + 1 < nseg && !cmp_bseg(&sg[sib + 1], e) ? sib + 1 : nseg;
            if (sib < nseg && used[sib] && vpos[sib] < plen && path[vpos[sib]] == sib) {
                ring_emit(sg, path, vpos[sib], plen, rv, &nv, rings, &nr);
                plen = vpos[sib];
            }
            vpos[cur] = plen;
            path[plen++] = cur;
            size_t nx = seg_find(sg, nseg, e->zone, e->bx, e->by);
            if (nx == nseg) {
                st = ZS_INTERNAL(err, "an edge of zone %ld leads nowhere", (long)e->zone);
                goto done;
            }
            if (nx + 1 < nseg && !cmp_bseg(&sg[nx + 1], &sg[nx])) {
                int lx = -sgn64(e->by - e->ay), ly = sgn64(e->bx - e->ax); /* left turn */
                if (sgn64(sg[nx].bx - sg[nx].ax) != lx || sgn64(sg[nx].by - sg[nx].ay) != ly)
                    nx++;
            }
            if (nx == s0) {
                ring_emit(sg, path, 0, plen, rv, &nv, rings, &nr);
                break;
            }
            if (used[nx]) {
                st = ZS_INTERNAL(err, "the edges of zone %ld do not close", (long)e->zone);
                goto done;
            }
            cur = nx;
        }
    }

    /* Holes to outer rings: the smallest outer ring of the zone around a
     * point just inside the hole's first edge, on the zone's side. */
    for (size_t r0 = 0, r1; r0 < nr; r0 = r1) {
        for (r1 = r0; r1 < nr && rings[r1].zone == rings[r0].zone; r1++)
            ;
        for (size_t h = r0; h < r1; h++) {
            lring *hr = &rings[h];
            hr->outer = h;
            if (hr->ccw)
                continue;
            const lpt *a = &rv[hr->start], *b = &rv[hr->start + 1];
            int dx = sgn64(b->x - a->x), dy = sgn64(b->y - a->y);
            int64_t px2 = 2 * a->x + dx - dy, py2 = 2 * a->y + dy + dx; /* + dir + left */
            size_t best = nr;
            for (size_t o = r0; o < r1; o++) {
                const lring *orr = &rings[o];
                if (!orr->ccw || orr->x0 > hr->x0 || orr->x1 < hr->x1 || orr->y0 > hr->y0 ||
                    orr->y1 < hr->y1 || (best < nr && orr->area >= rings[best].area))
                    continue;
                if (ring_contains(rv + orr->start, orr->len, px2, py2))
                    best = o;
            }
            if (best == nr) {
                st = ZS_INTERNAL(err, "a hole of zone %ld lies in no ring", (long)hr->zone);
                goto done;
            }
            hr->outer = best;
        }
    }

    /* Out: zone by zone, each outer ring (in tracing order) and its holes. */
    if (!(keys = zs_malloc_array(nr ? nr : 1, sizeof *keys))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    size_t npoly = 0;
    for (size_t r = 0; r < nr; r++) {
        keys[r] = (ring_key){(size_t)rings[r].zone, rings[r].outer, !rings[r].ccw, r};
        npoly += rings[r].ccw;
    }
    qsort(keys, nr, sizeof *keys, cmp_ring_key);
    if (!(s->zone_poly = zs_calloc(k + 1, sizeof *s->zone_poly)) ||
        !(s->poly_ring = zs_malloc_array(npoly + 1, sizeof *s->poly_ring)) ||
        !(s->ring_vert = zs_malloc_array(nr + 1, sizeof *s->ring_vert)) ||
        !(s->v = zs_malloc_array(nv ? nv : 1, sizeof *s->v))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    size_t q = 0, w = 0;
    for (size_t t = 0; t < nr; t++) {
        const lring *r = &rings[keys[t].r];
        if (r->ccw) {
            s->zone_poly[r->zone + 1]++;
            s->poly_ring[q++] = t;
        }
        s->ring_vert[t] = w;
        for (size_t i = 0; i < r->len; i++, w++)
            s->v[w] = (zs_xy){g.x0 + (double)rv[r->start + i].x * g.u,
                              g.y0 + (double)rv[r->start + i].y * g.u};
    }
    for (size_t j = 0; j < k; j++)
        s->zone_poly[j + 1] += s->zone_poly[j];
    s->poly_ring[npoly] = nr;
    s->ring_vert[nr] = nv;
    s->n_poly = npoly;
    s->n_ring = nr;
    s->n_vert = nv;
    s->outline = ZS_EXPORT_OUTLINE_CELLS;
    s->cell_m = g.h;
    st = ZS_OK;
done:
    grid_free(&g);
    zs_free(ev);
    zs_free(sg);
    zs_free(path);
    zs_free(vpos);
    zs_free(used);
    zs_free(rv);
    zs_free(rings);
    zs_free(keys);
    return st;
}

/* The shapes of map m over its zones z. */
static zs_status shapes_build(const zs_export_map *m, const zones *z, zs_export_shapes **out,
                              zs_err *err)
{
    *out = NULL;
    zs_export_shapes *s = zs_calloc(1, sizeof *s);
    if (!s)
        return ZS_NOMEM(err);
    s->k = z->k;
    zs_status st = ZS_OK;
    int cells = m->outline == ZS_EXPORT_OUTLINE_CELLS;
    if (!cells) {
        st = hull_shapes(m->points, z, s, err);
        if (st == ZS_OK && m->outline == ZS_EXPORT_OUTLINE_AUTO)
            st = hulls_overlap(s, &cells, err);
        if (st == ZS_OK && cells)
            shapes_clear(s);
    }
    if (st == ZS_OK && cells)
        st = cell_shapes(m, s, err);
    if (st != ZS_OK) {
        zs_export_shapes_free(s);
        return st;
    }
    *out = s;
    return ZS_OK;
}

zs_status zs_export_shapes_create(const zs_export_map *m, zs_export_shapes **out, zs_err *err)
{
    zones z;
    *out = NULL;
    zs_status st = zones_build(m, &z, err);
    if (st != ZS_OK)
        return st;
    st = shapes_build(m, &z, out, err);
    zones_free(&z);
    return st;
}

/* ---- GeoJSON ----------------------------------------------------------------- */

/* A JSON string literal (RFC 8259: quote, backslash and control
 * characters escaped; other bytes, UTF-8 included, as they are). */
static void json_str(FILE *f, const char *s)
{
    putc('"', f);
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c == '\n')
            fputs("\\n", f);
        else if (*c < 0x20)
            fprintf(f, "\\u%04x", *c);
        else
            putc(*c, f);
    }
    putc('"', f);
}

/* A JSON number, or null: JSON has no NaN or infinity. */
static void json_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.10g", v);
    else
        fputs("null", f);
}

/* A position: degrees to 10 significant digits (about 1 cm) when the
 * points have lon/lat, else metres to the millimetre. */
static void json_pos(FILE *f, const zs_points *p, double x, double y)
{
    if (p->has_lonlat) {
        double lon, lat;
        zs_export_unproject(p, x, y, &lon, &lat);
        fprintf(f, "[%.10g,%.10g]", lon, lat);
    } else {
        fprintf(f, "[%.3f,%.3f]", x, y);
    }
}

/* One ring, closed: its first position repeated last. */
static void json_ring(FILE *f, const zs_points *p, const zs_export_shapes *sh, size_t r)
{
    size_t a = sh->ring_vert[r], b = sh->ring_vert[r + 1];
    putc('[', f);
    for (size_t t = a; t <= b; t++) {
        if (t > a)
            putc(',', f);
        const zs_xy *q = &sh->v[t < b ? t : a];
        json_pos(f, p, q->x, q->y);
    }
    putc(']', f);
}

/* One polygon's coordinates: outer ring, then holes. */
static void json_polygon(FILE *f, const zs_points *p, const zs_export_shapes *sh, size_t q)
{
    putc('[', f);
    for (size_t r = sh->poly_ring[q]; r < sh->poly_ring[q + 1]; r++) {
        if (r > sh->poly_ring[q])
            putc(',', f);
        json_ring(f, p, sh, r);
    }
    putc(']', f);
}

zs_status zs_export_geojson(FILE *f, const zs_export_map *m, zs_err *err)
{
    zones z;
    zs_status st = zones_build(m, &z, err);
    if (st != ZS_OK)
        return st;
    zs_export_shapes *sh;
    st = shapes_build(m, &z, &sh, err);
    if (st != ZS_OK) {
        zones_free(&z);
        return st;
    }
    const zs_points *p = m->points;
    const zs_partition *pa = m->part;
    const zs_plan_summary *s = m->summary;
    int cells = sh->outline == ZS_EXPORT_OUTLINE_CELLS;
    fputs("{\"type\":\"FeatureCollection\",\n\"zonesim_plan\":", f);
    json_str(f, m->plan);
    /* RFC 7946 positions are WGS 84 degrees; planar metres are not, and
     * the foreign member says so rather than a "crs" the RFC removed. */
    if (!p->has_lonlat)
        fputs(",\n\"zonesim_units\":\"m\"", f);
    if (cells) {
        fputs(",\n\"zonesim_cell_m\":", f);
        json_num(f, sh->cell_m);
    }
    fputs(",\n\"features\":[\n", f);
    for (size_t j = 0; j < z.k; j++) {
        size_t q0 = sh->zone_poly[j], q1 = sh->zone_poly[j + 1];
        fputs("{\"type\":\"Feature\",\"geometry\":{\"type\":", f);
        if (q1 - q0 == 1) {
            fputs("\"Polygon\",\"coordinates\":", f);
            json_polygon(f, p, sh, q0);
        } else { /* a zone in pieces; none at all only for points on top of others */
            fputs("\"MultiPolygon\",\"coordinates\":[", f);
            for (size_t q = q0; q < q1; q++) {
                if (q > q0)
                    putc(',', f);
                json_polygon(f, p, sh, q);
            }
            putc(']', f);
        }
        fputs("},\"properties\":{\"kind\":\"zone\",\"zone\":", f);
        json_str(f, pa->label[j]);
        fprintf(f, ",\"stops\":%zu,\"parcels_mean\":", z.start[j + 1] - z.start[j]);
        json_num(f, z.parcels[j]);
        if (s) {
            fputs(",\"work_h_mean\":", f);
            json_num(f, s->zone[ZS_M_WORK_MIN][j].mean / 60.0);
            fputs(",\"work_h_p90\":", f);
            json_num(f, s->zone[ZS_M_WORK_MIN][j].p90 / 60.0);
            fputs(",\"overtime_h_mean\":", f);
            json_num(f, s->zone[ZS_M_OVERTIME_MIN][j].mean / 60.0);
            fputs(",\"stops_mean_simulated\":", f);
            json_num(f, s->zone[ZS_M_STOPS][j].mean);
        }
        fprintf(f, ",\"outline\":\"%s\"", zs_export_outline_name(sh->outline));
        if (cells && sh->outside[j])
            fprintf(f, ",\"points_outside\":%zu", sh->outside[j]);
        fputs("}},\n", f);
    }
    for (size_t i = 0; i < p->n; i++) {
        fputs("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":", f);
        json_pos(f, p, p->x[i], p->y[i]);
        fputs("},\"properties\":{\"kind\":\"point\",\"id\":", f);
        json_str(f, p->id[i]);
        fputs(",\"zone\":", f);
        json_str(f, pa->label[pa->zone[i]]);
        fputs(",\"type\":", f);
        json_str(f, zs_ptype_name(p->type[i]));
        fputs("}},\n", f);
    }
    fputs("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":", f);
    json_pos(f, p, m->depot_x, m->depot_y);
    fputs("},\"properties\":{\"kind\":\"depot\"}}\n]}\n", f);
    zs_export_shapes_free(sh);
    zones_free(&z);
    return finish(f, err);
}

/* ---- SVG ------------------------------------------------------------------------ */

/* ColorBrewer "Paired" (12 classes, qualitative): light/dark pairs, so
 * neighbouring zone indices still differ in lightness. */
static const char *const palette[12] = {"#a6cee3", "#1f78b4", "#b2df8a", "#33a02c",
                                        "#fb9a99", "#e31a1c", "#fdbf6f", "#ff7f00",
                                        "#cab2d6", "#6a3d9a", "#ffff99", "#b15928"};

#define SVG_W 1000.0      /* px: the viewport width */
#define SVG_MARGIN 20.0   /* px around the map */
#define SVG_TITLE_H 40.0  /* px above the map */
#define SVG_MAP_H_MAX 1400.0 /* px: a tall area is scaled to this height */
#define SVG_LEGEND_COLS 4
#define SVG_LEGEND_ROW 20.0 /* px */

static void xml_str(FILE *f, const char *s)
{
    for (const char *c = s ? s : ""; *c; c++) {
        switch (*c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            /* XML 1.0 forbids most control characters even escaped. */
            putc((unsigned char)*c < 0x20 ? ' ' : *c, f);
        }
    }
}

typedef struct {
    double xmin, ymax, scale, ox, oy;
} view;

static double vx(const view *v, double x)
{
    return v->ox + (x - v->xmin) * v->scale;
}

/* North up: SVG's y grows downwards. */
static double vy(const view *v, double y)
{
    return v->oy + (v->ymax - y) * v->scale;
}

zs_status zs_export_svg(FILE *f, const zs_export_map *m, zs_err *err)
{
    zones z;
    zs_status st = zones_build(m, &z, err);
    if (st != ZS_OK)
        return st;
    zs_export_shapes *sh;
    st = shapes_build(m, &z, &sh, err);
    if (st != ZS_OK) {
        zones_free(&z);
        return st;
    }
    const zs_points *p = m->points;
    const zs_partition *pa = m->part;
    const zs_plan_summary *s = m->summary;

    /* The box of points and depot plus a pad's margin (which holds padded
     * hulls), widened to the zones' outlines (cells reach further). */
    double xmin = m->depot_x, xmax = m->depot_x, ymin = m->depot_y, ymax = m->depot_y;
    for (size_t i = 0; i < p->n; i++) {
        xmin = fmin(xmin, p->x[i]);
        xmax = fmax(xmax, p->x[i]);
        ymin = fmin(ymin, p->y[i]);
        ymax = fmax(ymax, p->y[i]);
    }
    double pad = 2 * ZS_EXPORT_PAD_M;
    xmin -= pad;
    xmax += pad;
    ymin -= pad;
    ymax += pad;
    for (size_t t = 0; t < sh->n_vert; t++) {
        xmin = fmin(xmin, sh->v[t].x);
        xmax = fmax(xmax, sh->v[t].x);
        ymin = fmin(ymin, sh->v[t].y);
        ymax = fmax(ymax, sh->v[t].y);
    }
    double dx = xmax - xmin, dy = ymax - ymin;
    double map_w = SVG_W - 2 * SVG_MARGIN;
    view v = {xmin, ymax, map_w / dx, 0, SVG_MARGIN + SVG_TITLE_H};
    if (dy * v.scale > SVG_MAP_H_MAX)
        v.scale = SVG_MAP_H_MAX / dy;
    v.ox = SVG_MARGIN + (map_w - dx * v.scale) / 2; /* centred when height-bound */
    double map_h = dy * v.scale;
    size_t rows = (z.k + SVG_LEGEND_COLS - 1) / SVG_LEGEND_COLS;
    double legend_y = v.oy + map_h + SVG_MARGIN;
    double h = legend_y + (double)rows * SVG_LEGEND_ROW + SVG_MARGIN;
    /* Dots shrink for dense plans so zones stay visible under them. */
    double r = p->n > 20000 ? 0.8 : p->n > 2000 ? 1.5 : 2.5;

    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n",
            SVG_W, ceil(h), SVG_W, ceil(h));
    fputs("<title>zonesim plan '", f);
    xml_str(f, m->plan);
    fputs("'</title>\n", f);
    fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", SVG_W,
            ceil(h));
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"18\">plan '", SVG_MARGIN, SVG_MARGIN + 14);
    xml_str(f, m->plan);
    fprintf(f, "': %zu zones, %zu points%s</text>\n", z.k, p->n,
            s ? ", mean work hours per courier-day" : "");

    fputs("<g id=\"zones\" stroke-width=\"1.5\" fill-opacity=\"0.35\">\n", f);
    for (size_t j = 0; j < z.k; j++) {
        const char *col = palette[j % 12];
        if (sh->outline == ZS_EXPORT_OUTLINE_HULL) {
            const zs_xy *hv = sh->v + sh->ring_vert[j];
            size_t nv = sh->ring_vert[j + 1] - sh->ring_vert[j];
            fprintf(f, "<polygon fill=\"%s\" stroke=\"%s\" points=\"", col, col);
            for (size_t t = 0; t < nv; t++)
                fprintf(f, "%s%.1f,%.1f", t ? " " : "", vx(&v, hv[t].x), vy(&v, hv[t].y));
            fputs("\"><title>", f);
            xml_str(f, pa->label[j]);
            fputs("</title></polygon>\n", f);
            continue;
        }
        /* Every ring of every piece in one path; even-odd leaves holes open. */
        fprintf(f, "<path fill=\"%s\" stroke=\"%s\" fill-rule=\"evenodd\" d=\"", col, col);
        size_t r0 = sh->poly_ring[sh->zone_poly[j]], r1 = sh->poly_ring[sh->zone_poly[j + 1]];
        for (size_t ri = r0; ri < r1; ri++)
            for (size_t t = sh->ring_vert[ri]; t < sh->ring_vert[ri + 1]; t++)
                fprintf(f, "%s%.1f,%.1f%s", t == sh->ring_vert[ri] ? (ri > r0 ? " M" : "M") : " L",
                        vx(&v, sh->v[t].x), vy(&v, sh->v[t].y),
                        t + 1 == sh->ring_vert[ri + 1] ? " Z" : "");
        fputs("\"><title>", f);
        xml_str(f, pa->label[j]);
        fputs("</title></path>\n", f);
    }
    fputs("</g>\n<g id=\"points\" stroke=\"#333\" stroke-width=\"0.3\">\n", f);
    for (size_t i = 0; i < p->n; i++)
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n", vx(&v, p->x[i]),
                vy(&v, p->y[i]), r, palette[pa->zone[i] % 12]);
    fputs("</g>\n<g id=\"labels\" font-size=\"11\" fill=\"#222\" text-anchor=\"middle\">\n", f);
    for (size_t j = 0; j < z.k; j++) {
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", vx(&v, pa->cx[j]), vy(&v, pa->cy[j]));
        xml_str(f, pa->label[j]);
        fputs("</text>\n", f);
    }
    fprintf(f, "</g>\n<rect id=\"depot\" x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" "
               "fill=\"black\"><title>depot</title></rect>\n",
            vx(&v, m->depot_x) - 5, vy(&v, m->depot_y) - 5);

    fputs("<g id=\"legend\" font-size=\"12\">\n", f);
    double col_w = (SVG_W - 2 * SVG_MARGIN) / SVG_LEGEND_COLS;
    for (size_t j = 0; j < z.k; j++) {
        double x = SVG_MARGIN + (double)(j % SVG_LEGEND_COLS) * col_w;
        double y = legend_y + (double)(j / SVG_LEGEND_COLS) * SVG_LEGEND_ROW;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y,
                palette[j % 12]);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + 18, y + 11);
        xml_str(f, pa->label[j]);
        fprintf(f, ": %zu stops", z.start[j + 1] - z.start[j]);
        if (s && isfinite(s->zone[ZS_M_WORK_MIN][j].mean))
            fprintf(f, ", %.2f h", s->zone[ZS_M_WORK_MIN][j].mean / 60.0);
        fputs("</text>\n", f);
    }
    fputs("</g>\n</svg>\n", f);
    zs_export_shapes_free(sh);
    zones_free(&z);
    return finish(f, err);
}

/* ---- to a file ------------------------------------------------------------------ */

typedef zs_status (*writer_fn)(FILE *, const zs_export_map *, zs_err *);

static zs_status write_file(const char *path, const zs_export_map *m, writer_fn fn, zs_err *err)
{
    if (!path || !*path)
        return zs_err_set(err, ZS_EINVAL, "output file name is empty");
    size_t len = strlen(path);
    char *tmp = zs_malloc(len + sizeof ".tmp");
    if (!tmp)
        return ZS_NOMEM(err);
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp", sizeof ".tmp");
    zs_status st;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        st = zs_err_set(err, ZS_EIO, "%s: cannot create %s: %s", path, tmp, strerror(errno));
        zs_free(tmp);
        return st;
    }
    st = fn(f, m, err);
    if (fclose(f) != 0 && st == ZS_OK)
        st = zs_err_set(err, ZS_EIO, "write error: %s", strerror(errno));
    if (st == ZS_OK && rename(tmp, path) != 0)
        st = zs_err_set(err, ZS_EIO, "cannot rename %s to it: %s", tmp, strerror(errno));
    if (st != ZS_OK) {
        if (st != ZS_ENOMEM)
            zs_err_prefix(err, "%s", path);
        remove(tmp); /* may already be gone: nothing to report */
    }
    zs_free(tmp);
    return st;
}

zs_status zs_export_geojson_file(const char *path, const zs_export_map *m, zs_err *err)
{
    return write_file(path, m, zs_export_geojson, err);
}

zs_status zs_export_svg_file(const char *path, const zs_export_map *m, zs_err *err)
{
    return write_file(path, m, zs_export_svg, err);
}
