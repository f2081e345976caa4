/*
 * engine/maps/export_cells.c -- the cell-union outline of a plan
 * (ZS_EXPORT_OUTLINE_CELLS in engine/maps/export.h; internal interface in
 * engine/maps/export_internal.h).
 *
 * Two steps.  A grid laid over the points gives every square to one zone
 * (the zone of its points, of the nearest point, or, where zones' points
 * share a cell, of the finer squares it is split into).  Each zone's
 * squares are then traced into rings on the integer lattice, outer rings
 * counter-clockwise and holes clockwise, each hole assigned to the
 * smallest outer ring around it, so zones share edges and never overlap.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "maps/export_internal.h"

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
    zs_exp_barriers bar; /* the map's barrier lines (bar.n == 0: none) */
    int bar_level;       /* a square a barrier passes through splits down to this level */
    size_t n_win;        /* barrier segments near the base cell being filled, in bar.near */
    size_t *bscr;        /* the squares' barrier lists, a stack: (depth + 2) max_bucket */
} grid;

static void grid_free(grid *g)
{
    zs_free(g->lx);
    zs_free(g->ly);
    zs_free(g->cstart);
    zs_free(g->cpts);
    zs_free(g->zscratch);
    zs_free(g->leaf);
    zs_exp_barriers_free(&g->bar);
    zs_free(g->bscr);
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
 * the lower point index, so the answer does not depend on bucket order.
 * With visible, only the points that (x, y) sees (the straight path to
 * them crosses none of the barrier segments near the base cell,
 * g->bar.near) within squared distance lim2 count. */
static size_t nearest(const grid *g, double x, double y, size_t bi, size_t bj, int visible,
                      double lim2, double *d2)
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
                if (!(d < bd || (d == bd && q < best)))
                    continue;
                if (visible && (d > lim2 || zs_exp_barriers_block(&g->bar, g->bar.near, g->n_win,
                                                                  x, y, g->px[q], g->py[q])))
                    continue;
                bd = d;
                best = q;
            }
        }
    *d2 = bd;
    return best;
}

/* An empty square of side `side` at (x, y) in base cell (bi, bj): the
 * zone of the point nearest its centre within squared distance lim2 that
 * its centre sees past the barriers; no zone when there is none.  in_cell:
 * the base cell has points, so without barriers near one is always
 * found. */
static zs_status fill_empty(grid *g, int64_t x, int64_t y, int64_t side, size_t bi, size_t bj,
                            double lim2, int in_cell, zs_err *err)
{
    double cx = g->x0 + ((double)x + 0.5 * (double)side) * g->u;
    double cy = g->y0 + ((double)y + 0.5 * (double)side) * g->u;
    size_t q;
    double d2;
    if (g->n_win) {
        q = nearest(g, cx, cy, bi, bj, 1, lim2, &d2);
    } else {
        q = nearest(g, cx, cy, bi, bj, 0, INFINITY, &d2);
        if (q == SIZE_MAX && in_cell)
            return ZS_INTERNAL(err, "a split cell has no point near it");
        if (q != SIZE_MAX && !(d2 <= lim2))
            q = SIZE_MAX;
    }
    return q == SIZE_MAX ? ZS_OK : push_leaf(g, x, y, side, g->pz[q], err);
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
 * points idx[0..cnt), with the barrier segments segs[0..nsegs) that may
 * pass through it (scr: free scratch for its squares' lists).  A square a
 * barrier passes through is split in four down to g->bar_level, so zone
 * edges follow the barrier.  Else one zone's points make it that zone's;
 * none, the zone of the nearest point it sees (fill_empty, within lim2);
 * several zones' points split it in four, down to level 0, where the zone
 * with most points there takes it (the lowest zone index among equals)
 * and the others' points are counted outside. */
static zs_status cell_fill(grid *g, int64_t x, int64_t y, int level, size_t *idx, size_t cnt,
                           size_t bi, size_t bj, const size_t *segs, size_t nsegs, size_t *scr,
                           double lim2, zs_err *err)
{
    int64_t side = (int64_t)1 << level;
    size_t nh = 0;
    if (nsegs && level > g->bar_level) {
        double ax = g->x0 + (double)x * g->u, ay = g->y0 + (double)y * g->u;
        double bx = g->x0 + (double)(x + side) * g->u, by = g->y0 + (double)(y + side) * g->u;
        for (size_t t = 0; t < nsegs; t++)
            if (zs_exp_seg_hits_box(g->bar.seg + 4 * segs[t], ax, ay, bx, by))
                scr[nh++] = segs[t];
    }
    if (cnt == 0 && nh == 0)
        return fill_empty(g, x, y, side, bi, bj, lim2, isinf(lim2), err);
    int32_t z0 = cnt ? g->pz[idx[0]] : 0;
    size_t t = 1;
    while (t < cnt && g->pz[idx[t]] == z0)
        t++;
    if (cnt && t == cnt && nh == 0)
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
    size_t *sub = scr + nh;
    zs_status st = cell_fill(g, x, y, b, idx, sw, bi, bj, scr, nh, sub, lim2, err);
    if (st == ZS_OK)
        st = cell_fill(g, x + hs, y, b, idx + sw, south - sw, bi, bj, scr, nh, sub, lim2, err);
    if (st == ZS_OK)
        st = cell_fill(g, x, y + hs, b, idx + south, nw, bi, bj, scr, nh, sub, lim2, err);
    if (st == ZS_OK)
        st = cell_fill(g, x + hs, y + hs, b, idx + south + nw, cnt - south - nw, bi, bj, scr,
                       nh, sub, lim2, err);
    return st;
}

/* Lays the grid over the points (the rule in engine/export.h), buckets
 * the points by base cell and fills g->leaf with the owned squares, base
 * cells in row-major order. */
static zs_status grid_build(grid *g, const zs_export_map *m, size_t *outside, zs_err *err)
{
    const zs_points *p = m->points;
    const zs_partition *pa = m->part;
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
    /* fmin/fmax skip NaN: check every coordinate, and the span, so no cell
     * index below can overflow (the readers refuse such files already;
     * this keeps the maps safe whatever their caller hands them). */
    for (size_t i = 0; i < n; i++)
        if (!isfinite(p->x[i]) || !isfinite(p->y[i]))
            return zs_err_set(err, ZS_EINPUT, "point %zu has a coordinate that is not finite "
                              "(%g, %g)", i + 1, p->x[i], p->y[i]);
    if (!isfinite(w) || !isfinite(ht) || w > 1e9 || ht > 1e9)
        return zs_err_set(err, ZS_EINPUT, "the points span %g x %g m, more than a map of "
                          "1,000,000 km can draw", w, ht);
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
    g->bar_level = g->depth > ZS_EXPORT_BARRIER_SPLITS ? g->depth - ZS_EXPORT_BARRIER_SPLITS : 0;
    if (m->n_barrier_seg) {
        zs_status st = zs_exp_barriers_build(&g->bar, m->barrier_seg, m->n_barrier_seg, g->x0,
                                             g->y0, h, g->nx, g->ny, err);
        if (st != ZS_OK)
            return st;
        size_t cap = ((size_t)g->depth + 2) * (g->bar.max_bucket ? g->bar.max_bucket : 1);
        if (!(g->bscr = zs_malloc_array(cap, sizeof *g->bscr)))
            return ZS_NOMEM(err);
    }
    int64_t side = (int64_t)1 << g->depth;
    for (size_t bj = 0; bj < g->ny; bj++)
        for (size_t bi = 0; bi < g->nx; bi++) {
            size_t c = bj * g->nx + bi, cnt = g->cstart[c + 1] - g->cstart[c];
            int64_t x = (int64_t)bi << g->depth, y = (int64_t)bj << g->depth;
            /* Barriers near: the ones this cell's squares may cross. */
            g->n_win = zs_exp_barriers_count(&g->bar, bi, bj, 2)
                           ? zs_exp_barriers_gather(&g->bar, bi, bj, 2)
                           : 0;
            const size_t *segs = g->n_win ? g->bar.bseg + g->bar.bstart[c] : NULL;
            size_t nsegs = g->n_win ? g->bar.bstart[c + 1] - g->bar.bstart[c] : 0;
            zs_status st;
            if (cnt || nsegs)
                st = cell_fill(g, x, y, g->depth, g->cpts + g->cstart[c], cnt, bi, bj, segs,
                               nsegs, g->bscr, cnt ? INFINITY : g->reach2, err);
            else
                st = fill_empty(g, x, y, side, bi, bj, g->reach2, 0, err);
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
zs_status zs_exp_cell_shapes(const zs_export_map *m, zs_export_shapes *s, zs_err *err)
{
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
    if ((st = grid_build(&g, m, s->outside, err)) != ZS_OK)
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
