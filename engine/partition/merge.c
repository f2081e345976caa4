/*
 * engine/partition/merge.c -- merging isolated one-point zones.
 *
 * A station rarely gives a courier a single far address (the published
 * 50-point case: one isolated point, merged into the nearest courier's
 * zone).  A zone of exactly one point is isolated when that point's nearest
 * other point lies farther than factor x the median nearest-neighbour
 * distance of all points; it joins the zone of that nearest point.  Nearest
 * neighbours come from a uniform grid searched in growing square rings.
 */
#include "partition/partition.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/partition_internal.h"

typedef struct {
    const double *x, *y;
    size_t n, nx, ny;
    double x0, y0, h;
    size_t *start, *idx;
} nn_grid;

/* Nearest other point of i (lower index on ties): scans rings of cells
 * until the ring just scanned is farther than the best distance found. */
static void nearest(const nn_grid *g, size_t i, size_t *out, double *dist)
{
    double px = g->x[i], py = g->y[i], bd = HUGE_VAL;
    size_t best = i;
    long cx = (long)((px - g->x0) / g->h), cy = (long)((py - g->y0) / g->h);
    if (cx >= (long)g->nx) cx = (long)g->nx - 1;
    if (cy >= (long)g->ny) cy = (long)g->ny - 1;
    long rmax = (long)(g->nx > g->ny ? g->nx : g->ny);
    for (long r = 0; r <= rmax; r++) {
        for (long gy = cy - r; gy <= cy + r; gy++) {
            if (gy < 0 || gy >= (long)g->ny)
                continue;
            for (long gx = cx - r; gx <= cx + r; gx++) {
                if (gx < 0 || gx >= (long)g->nx)
                    continue;
                if (labs(gx - cx) != r && labs(gy - cy) != r)
                    continue; /* inside: scanned in an earlier ring */
                size_t c = (size_t)gy * g->nx + (size_t)gx;
                for (size_t e = g->start[c]; e < g->start[c + 1]; e++) {
                    size_t j = g->idx[e];
                    if (j == i)
                        continue;
                    double dx = g->x[j] - px, dy = g->y[j] - py, d = dx * dx + dy * dy;
                    if (d < bd || (d == bd && j < best)) {
                        bd = d;
                        best = j;
                    }
                }
            }
        }
        /* Cells of ring r + 1 are at least r * h away. */
        if (bd < HUGE_VAL && sqrt(bd) <= (double)r * g->h)
            break;
    }
    *out = best;
    *dist = sqrt(bd);
}

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return u < v ? -1 : u > v;
}

zs_status zs_part_merge_isolated(zs_partition **pp, const double *x, const double *y,
                                 const double *gw, double factor, zs_err *err)
{
    zs_partition *p = *pp, *q = NULL;
    size_t n = p->n, k = p->k;
    if (n < 2 || k < 2)
        return ZS_OK;
    zs_status st = ZS_OK;
    nn_grid g = {x, y, n, 1, 1, x[0], y[0], 1.0, NULL, NULL};
    double x1 = x[0], y1 = y[0];
    for (size_t i = 1; i < n; i++) {
        g.x0 = fmin(g.x0, x[i]);
        g.y0 = fmin(g.y0, y[i]);
        x1 = fmax(x1, x[i]);
        y1 = fmax(y1, y[i]);
    }
    /* Cells of the mean spacing sqrt(area / n): about one point a cell. */
    double area = (x1 - g.x0) * (y1 - g.y0), len = fmax(x1 - g.x0, y1 - g.y0);
    g.h = area > 0.0 ? sqrt(area / (double)n) : len > 0.0 ? len / (double)n : 1.0;
    g.h = fmax(g.h, len / 4096.0); /* at most 4096 cells a side */
    g.nx = (size_t)((x1 - g.x0) / g.h) + 1;
    g.ny = (size_t)((y1 - g.y0) / g.h) + 1;
    size_t nc = g.nx * g.ny;
    size_t *cell = zs_malloc_array(n, sizeof *cell), *nb = zs_malloc_array(n, sizeof *nb);
    size_t *cnt = zs_calloc(k, sizeof *cnt);
    double *nd = zs_malloc_array(n, sizeof *nd), *sorted = zs_malloc_array(n, sizeof *sorted);
    int32_t *map = zs_malloc_array(k, sizeof *map), *zone = zs_malloc_array(n, sizeof *zone);
    g.start = zs_calloc(nc + 1, sizeof *g.start);
    g.idx = zs_malloc_array(n, sizeof *g.idx);
    if (!cell || !nb || !cnt || !nd || !sorted || !map || !zone || !g.start || !g.idx) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t cx = (size_t)((x[i] - g.x0) / g.h), cy = (size_t)((y[i] - g.y0) / g.h);
        cell[i] = (cy < g.ny ? cy : g.ny - 1) * g.nx + (cx < g.nx ? cx : g.nx - 1);
        g.start[cell[i]]++;
    }
    for (size_t c = 1; c < nc; c++)
        g.start[c] += g.start[c - 1];
    g.start[nc] = n;
    for (size_t i = n; i > 0; i--)
        g.idx[--g.start[cell[i - 1]]] = i - 1;
    const nn_grid *gp = &g;
#pragma omp parallel for schedule(dynamic, 256) default(none) if (n > ZS_PART_PAR_MIN) shared(gp, n, nb, nd)
    for (size_t i = 0; i < n; i++)
        nearest(gp, i, &nb[i], &nd[i]);
    memcpy(sorted, nd, n * sizeof *nd);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    double median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    /* Work on a copy of the zones, so *pp is untouched on failure. */
    memcpy(zone, p->zone, n * sizeof *zone);
    for (size_t i = 0; i < n; i++)
        cnt[zone[i]]++;
    /* Singletons are examined in point order; a zone that has received a
     * merged point is no longer a singleton, so two isolated points that
     * are each other's nearest end up together, not swapped. */
    size_t merged = 0;
    for (size_t i = 0; i < n; i++) {
        size_t z = (size_t)zone[i];
        if (cnt[z] != 1 || !(nd[i] > factor * median))
            continue;
        size_t t = (size_t)zone[nb[i]];
        zone[i] = (int32_t)t;
        cnt[z] = 0;
        cnt[t]++;
        merged++;
    }
    if (merged == 0)
        goto done;
    int32_t next = 0;
    for (size_t z = 0; z < k; z++)
        map[z] = cnt[z] ? next++ : -1;
    if (!(q = zs_partition_alloc(n, k - merged, NULL))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        q->zone[i] = map[zone[i]];
    if ((st = zs_part_centres(q, x, y, gw, err)) != ZS_OK)
        goto done;
    q->iterations = p->iterations;
    q->converged = p->converged;
    q->balance.moves = p->balance.moves;
    q->balance.merged = p->balance.merged + merged;
    q->exact.cells = p->exact.cells;
    q->exact.cell_side_m = p->exact.cell_side_m;
    memcpy(q->method, p->method, sizeof q->method);
    memcpy(q->status, p->status, sizeof q->status);
    zs_partition_free(p);
    *pp = q;
    q = NULL;
done:
    zs_partition_free(q);
    zs_free(cell);
    zs_free(nb);
    zs_free(cnt);
    zs_free(nd);
    zs_free(sorted);
    zs_free(map);
    zs_free(zone);
    zs_free(g.start);
    zs_free(g.idx);
    return st;
}
