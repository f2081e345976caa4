/*
 * engine/partition/grid.c -- the grid method: rectangular cells, then
 * exactly k zones.
 *
 * The bounding box is cut into rows x cols cells of about square shape
 * (cols = round(sqrt(k W / H)), rows = ceil(k / cols), so rows x cols >= k).
 * Cells without points are no zone.  With more non-empty cells than k, the
 * lightest zone is merged into its lightest neighbour (4-adjacent cells)
 * until k remain; with fewer, the heaviest zone is split across its longer
 * side at the weighted median until k exist.  Only one of the two phases
 * ever runs, because each step moves the zone count one towards k: so the
 * merge phase works on whole grid cells and the split phase on rectangles.
 * Empty cells are handed to the nearest non-empty cell by a breadth-first
 * fill before merging, so the cell graph is connected and every zone but the
 * last always has a neighbour.
 */
#include "partition/partition.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/partition_internal.h"

typedef struct {
    const double *x, *y, *w;
    size_t n, k, rows, cols;
    double xmin, ymin, width, height;
} grid;

static size_t cell_of(const grid *g, size_t i)
{
    size_t c = 0, r = 0;
    if (g->width > 0.0) {
        double f = (g->x[i] - g->xmin) / g->width * (double)g->cols;
        c = f >= (double)g->cols ? g->cols - 1 : (size_t)f;
    }
    if (g->height > 0.0) {
        double f = (g->y[i] - g->ymin) / g->height * (double)g->rows;
        r = f >= (double)g->rows ? g->rows - 1 : (size_t)f;
    }
    return r * g->cols + c;
}

/* Merge phase: owner[] of the cells holds zone ids 0..m-1 (-1 = empty);
 * merges until k zones remain and writes the points' zones. */
static zs_status merge_cells(const grid *g, int32_t *owner, size_t m, const size_t *cell,
                             int32_t *zone, zs_err *err)
{
    size_t nc = g->rows * g->cols;
    size_t *queue = zs_malloc_array(nc, sizeof *queue);
    double *load = zs_calloc(m, sizeof *load);
    int32_t *map = zs_malloc_array(m, sizeof *map);
    if (!queue || !load || !map) {
        zs_free(queue);
        zs_free(load);
        zs_free(map);
        return ZS_NOMEM(err);
    }
    /* Breadth-first fill of empty cells from the non-empty ones, sources in
     * cell order and neighbours in a fixed order: deterministic. */
    size_t head = 0, tail = 0;
    for (size_t c = 0; c < nc; c++)
        if (owner[c] >= 0)
            queue[tail++] = c;
    while (head < tail) {
        size_t c = queue[head++], r = c / g->cols, col = c % g->cols;
        size_t nb[4];
        int nn = 0;
        if (r > 0) nb[nn++] = c - g->cols;
        if (col > 0) nb[nn++] = c - 1;
        if (col + 1 < g->cols) nb[nn++] = c + 1;
        if (r + 1 < g->rows) nb[nn++] = c + g->cols;
        for (int j = 0; j < nn; j++)
            if (owner[nb[j]] < 0) {
                owner[nb[j]] = owner[c];
                queue[tail++] = nb[j];
            }
    }
    for (size_t i = 0; i < g->n; i++)
        load[owner[cell[i]]] += g->w ? g->w[i] : 1.0;
    for (size_t left = m; left > g->k; left--) {
        size_t a = m;
        for (size_t z = 0; z < m; z++)
            if (load[z] >= 0.0 && (a == m || load[z] < load[a]))
                a = z;
        size_t b = m;
        for (size_t c = 0; c < nc; c++) {
            if (owner[c] != (int32_t)a)
                continue;
            size_t r = c / g->cols, col = c % g->cols;
            size_t nb[4];
            int nn = 0;
            if (r > 0) nb[nn++] = c - g->cols;
            if (col > 0) nb[nn++] = c - 1;
            if (col + 1 < g->cols) nb[nn++] = c + 1;
            if (r + 1 < g->rows) nb[nn++] = c + g->cols;
            for (int j = 0; j < nn; j++) {
                size_t z = (size_t)owner[nb[j]];
                if (z != a && (b == m || load[z] < load[b] || (load[z] == load[b] && z < b)))
                    b = z;
            }
        }
        if (b == m) { /* the cell graph is connected: another zone always borders a */
            zs_free(queue);
            zs_free(load);
            zs_free(map);
            return ZS_INTERNAL(err, "grid: zone %zu has no neighbour", a);
        }
        for (size_t c = 0; c < nc; c++)
            if (owner[c] == (int32_t)a)
                owner[c] = (int32_t)b;
        load[b] += load[a];
        load[a] = -1.0; /* merged away */
    }
    int32_t next = 0;
    for (size_t z = 0; z < m; z++)
        map[z] = load[z] >= 0.0 ? next++ : -1;
    for (size_t i = 0; i < g->n; i++)
        zone[i] = map[owner[cell[i]]];
    zs_free(queue);
    zs_free(load);
    zs_free(map);
    return ZS_OK;
}

typedef struct {
    double key, key2;
    size_t i;
} sort_item;

static int cmp_item(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->key2 != b->key2)
        return a->key2 < b->key2 ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Split phase: zone[] holds m < k zones, each the points of one cell with
 * that cell's rectangle; splits until k zones exist. */
static zs_status split_zones(const grid *g, int32_t *zone, size_t m, double *rect, zs_err *err)
{
    size_t k = g->k, n = g->n;
    double *load = zs_calloc(k, sizeof *load);
    size_t *cnt = zs_calloc(k, sizeof *cnt);
    sort_item *it = zs_malloc_array(n, sizeof *it);
    if (!load || !cnt || !it) {
        zs_free(load);
        zs_free(cnt);
        zs_free(it);
        return ZS_NOMEM(err);
    }
    for (size_t i = 0; i < n; i++) {
        load[zone[i]] += g->w ? g->w[i] : 1.0;
        cnt[zone[i]]++;
    }
    for (; m < k; m++) {
        size_t a = k;
        for (size_t z = 0; z < m; z++)
            if (cnt[z] >= 2 && (a == k || load[z] > load[a]))
                a = z;
        /* k <= n, so while m < k some zone holds two points. */
        double *ra = rect + 4 * a, *rb = rect + 4 * m; /* x0, x1, y0, y1 */
        int along_x = ra[1] - ra[0] >= ra[3] - ra[2];
        size_t c = 0;
        double total = 0.0;
        for (size_t i = 0; i < n; i++)
            if (zone[i] == (int32_t)a) {
                it[c].key = along_x ? g->x[i] : g->y[i];
                it[c].key2 = along_x ? g->y[i] : g->x[i];
                it[c].i = i;
                total += g->w ? g->w[i] : 1.0;
                c++;
            }
        qsort(it, c, sizeof *it, cmp_item);
        /* The cut closest to the weighted median, keeping both sides
         * non-empty; zero total weight cuts at the middle point. */
        size_t cut = c / 2;
        if (total > 0.0) {
            double cum = 0.0, best = HUGE_VAL;
            for (size_t j = 1; j < c; j++) {
                size_t i = it[j - 1].i;
                cum += g->w ? g->w[i] : 1.0;
                double d = fabs(2.0 * cum - total);
                if (d < best) {
                    best = d;
                    cut = j;
                }
            }
        }
        double s = 0.5 * (it[cut - 1].key + it[cut].key);
        memcpy(rb, ra, 4 * sizeof *ra);
        if (along_x) {
            ra[1] = s;
            rb[0] = s;
        } else {
            ra[3] = s;
            rb[2] = s;
        }
        for (size_t j = cut; j < c; j++) {
            size_t i = it[j].i;
            double wi = g->w ? g->w[i] : 1.0;
            zone[i] = (int32_t)m;
            load[a] -= wi;
            load[m] += wi;
            cnt[a]--;
            cnt[m]++;
        }
    }
    zs_free(load);
    zs_free(cnt);
    zs_free(it);
    return ZS_OK;
}

zs_status zs_part_grid(const double *x, const double *y, const double *w, const double *gw,
                       size_t n, size_t k, zs_partition **out, zs_err *err)
{
    grid g = {x, y, w, n, k, 1, 1, x[0], y[0], 0.0, 0.0};
    double xmax = x[0], ymax = y[0];
    for (size_t i = 1; i < n; i++) {
        g.xmin = fmin(g.xmin, x[i]);
        g.ymin = fmin(g.ymin, y[i]);
        xmax = fmax(xmax, x[i]);
        ymax = fmax(ymax, y[i]);
    }
    g.width = xmax - g.xmin;
    g.height = ymax - g.ymin;
    /* A flat box gets one row (or column) of k cells; a point box one cell. */
    if (g.width > 0.0 && g.height > 0.0) {
        double c = round(sqrt((double)k * g.width / g.height));
        g.cols = c < 1.0 ? 1 : c > (double)k ? k : (size_t)c;
        g.rows = (k + g.cols - 1) / g.cols;
    } else if (g.width > 0.0) {
        g.cols = k;
    } else if (g.height > 0.0) {
        g.rows = k;
    }
    size_t nc = g.rows * g.cols;
    size_t *cell = zs_malloc_array(n, sizeof *cell);
    int32_t *owner = zs_malloc_array(nc, sizeof *owner);
    double *rect = zs_malloc_array(4 * k, sizeof *rect);
    zs_partition *p = zs_partition_alloc(n, k, NULL);
    zs_status st = ZS_OK;
    if (!cell || !owner || !rect || !p) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t c = 0; c < nc; c++)
        owner[c] = -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        cell[i] = cell_of(&g, i);
    /* Zones numbered in cell order (row-major from the lower left). */
    for (size_t i = 0; i < n; i++)
        owner[cell[i]] = 0;
    for (size_t c = 0; c < nc; c++)
        if (owner[c] == 0)
            owner[c] = (int32_t)m++;
    if (m > k) {
        st = merge_cells(&g, owner, m, cell, p->zone, err);
    } else {
        double cw = g.width / (double)g.cols, ch = g.height / (double)g.rows;
        for (size_t c = 0; c < nc; c++)
            if (owner[c] >= 0) {
                double *r = rect + 4 * owner[c];
                r[0] = g.xmin + cw * (double)(c % g.cols);
                r[1] = r[0] + cw;
                r[2] = g.ymin + ch * (double)(c / g.cols);
                r[3] = r[2] + ch;
            }
        for (size_t i = 0; i < n; i++)
            p->zone[i] = owner[cell[i]];
        st = split_zones(&g, p->zone, m, rect, err);
    }
    if (st != ZS_OK || (st = zs_part_centres(p, x, y, gw, err)) != ZS_OK)
        goto done;
    p->iterations = 0;
    p->converged = 1;
    snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_HEURISTIC);
    *out = p;
    p = NULL;
done:
    zs_partition_free(p);
    zs_free(cell);
    zs_free(owner);
    zs_free(rect);
    return st;
}
