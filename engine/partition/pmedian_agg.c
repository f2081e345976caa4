/*
 * engine/partition/pmedian_agg.c -- pmedian-ip, the method behind
 * zs_partition_solve: up to ZS_PMEDIAN_AGG_N points solved as they are
 * (pmedian_part.c), beyond it the exact program on occupied grid cells.
 *
 * The p-median's distance matrix is dense (n^2 doubles, 288 MB at 6,000
 * points) and GLPK's time grows faster still, so a large instance is
 * aggregated: a square grid over the points' bounding box, each occupied
 * cell one unit at the mean of its points, carrying their summed weights.
 * The side is the finest on a 1.1x ladder from sqrt(area / ZS_PMEDIAN_AGG_N)
 * that leaves at most ZS_PMEDIAN_AGG_N occupied cells (clustered cities
 * occupy far fewer cells than the box holds, so the ladder usually goes
 * down from there).  Cells are counted by sorting their ids: O(n log n),
 * no n-sized hash, deterministic.
 *
 * Measured (`zonesim generate --seed 3`, k = 10, no balance): 6,000 points
 * -> 1,500 cells, 20,000 -> 1,322 cells; the heuristic and Lagrangian bound
 * reach a 0.25% / 0.88% gap in about 5 s (--gap 0.01 stops there), while
 * proving optimality runs into the default 60 s limit.  Exact solves on
 * 1,000-2,000 raw points took 3 s to over 60 s: hardness, not n, decides.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/partition_internal.h"

/* Side ratio between grid rungs: at most ~21% fewer cells than the limit
 * allows once the rung is found. */
#define SIDE_STEP 1.1
/* Rungs tried below the start before settling (1.1^60 ~ 300x finer). */
#define MAX_FINER 60

typedef struct {
    double x0, y0, side;
    uint64_t ncols;
} grid;

static uint64_t cell_id(const grid *g, double x, double y)
{
    uint64_t cx = (uint64_t)floor((x - g->x0) / g->side);
    uint64_t cy = (uint64_t)floor((y - g->y0) / g->side);
    return cy * g->ncols + cx;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t u = *(const uint64_t *)a, v = *(const uint64_t *)b;
    return (u > v) - (u < v);
}

/* Sets g for side s (extents ex, ey from x0, y0), writes the sorted
 * distinct cell ids to ids[0..m) and returns m. */
static size_t occupied(const double *x, const double *y, size_t n, double ex, grid *g, double s,
                       uint64_t *ids)
{
    g->side = s;
    g->ncols = (uint64_t)floor(ex / s) + 1;
    for (size_t i = 0; i < n; i++)
        ids[i] = cell_id(g, x[i], y[i]);
    qsort(ids, n, sizeof *ids, cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || ids[i] != ids[m - 1])
            ids[m++] = ids[i];
    return m;
}

static size_t find_cell(const uint64_t *ids, size_t m, uint64_t id)
{
    size_t lo = 0, hi = m; /* ids[lo..hi) holds id */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] <= id)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The program on the occupied grid cells, every point in its cell's zone
 * (see the pmedian-ip paragraph of partition.h). */
static zs_status solve_cells(const double *x, const double *y, const double *w, const double *gw,
                             size_t n, const zs_partition_opts *o, zs_partition **out,
                             zs_err *err)
{
    *out = NULL;
    const size_t cap = ZS_PMEDIAN_AGG_N;
    zs_status st = ZS_OK;
    zs_partition *cp = NULL, *p = NULL;
    uint64_t *ids = zs_malloc_array(n, sizeof *ids);
    size_t *cell = zs_malloc_array(n, sizeof *cell);
    double *ux = NULL, *uy = NULL, *uw = NULL, *ugw = NULL, *um = NULL;
    if (!ids || !cell) {
        st = ZS_NOMEM(err);
        goto done;
    }
    double xmin = x[0], xmax = x[0], ymin = y[0], ymax = y[0];
    for (size_t i = 1; i < n; i++) {
        xmin = fmin(xmin, x[i]);
        xmax = fmax(xmax, x[i]);
        ymin = fmin(ymin, y[i]);
        ymax = fmax(ymax, y[i]);
    }
    double ex = xmax - xmin, ey = ymax - ymin;
    /* At least max extent / cap, so a thin (or collinear) spread still
     * has at most (cap + 1)^2 grid cells and ids fit in 64 bits. */
    double s = fmax(sqrt(ex * ey / (double)cap), fmax(ex, ey) / (double)cap);
    if (!(s > 0.0))
        s = 1.0; /* every point at one place: one cell */
    grid g = {xmin, ymin, s, 1};
    size_t m = occupied(x, y, n, ex, &g, s, ids);
    if (m <= cap) {
        /* Finer while the finer grid still fits. */
        for (int r = 0; r < MAX_FINER; r++) {
            size_t m2 = occupied(x, y, n, ex, &g, s / SIDE_STEP, ids);
            if (m2 > cap)
                break;
            s /= SIDE_STEP;
            m = m2;
        }
    } else {
        while (m > cap) {
            s *= SIDE_STEP;
            m = occupied(x, y, n, ex, &g, s, ids);
        }
    }
    m = occupied(x, y, n, ex, &g, s, ids); /* ids of the kept side */
    if (o->k > m) {
        st = zs_err_set(err, ZS_EINVAL,
                        "pmedian-ip: k = %zu exceeds the %zu occupied grid cells the %zu points "
                        "are aggregated into beyond %d points; use fewer zones or another method",
                        o->k, m, n, ZS_PMEDIAN_AGG_N);
        goto done;
    }
    ux = zs_calloc(m, sizeof *ux);
    uy = zs_calloc(m, sizeof *uy);
    uw = zs_calloc(m, sizeof *uw);
    ugw = zs_calloc(m, sizeof *ugw);
    um = zs_calloc(m, sizeof *um); /* point count of each cell */
    if (!ux || !uy || !uw || !ugw || !um) {
        st = ZS_NOMEM(err);
        goto done;
    }
    /* Sums in point order: the same plan for any thread count. */
    for (size_t i = 0; i < n; i++) {
        size_t c = find_cell(ids, m, cell_id(&g, x[i], y[i]));
        double a = gw ? gw[i] : 1.0;
        cell[i] = c;
        um[c] += 1.0;
        uw[c] += w ? w[i] : 1.0;
        ugw[c] += a;
        ux[c] += a * x[i];
        uy[c] += a * y[i];
    }
    for (size_t i = 0; i < n; i++) { /* plain means where the weights are all 0 */
        size_t c = cell[i];
        if (ugw[c] == 0.0 && um[c] > 0.0) {
            ux[c] = uy[c] = 0.0;
            um[c] = -um[c]; /* marks the cell: sums below are plain */
        }
        if (um[c] < 0.0) {
            ux[c] += x[i];
            uy[c] += y[i];
        }
    }
    for (size_t c = 0; c < m; c++) {
        double d = um[c] < 0.0 ? -um[c] : ugw[c];
        ux[c] /= d;
        uy[c] /= d;
    }
    if ((st = zs_part_pmedian_points(ux, uy, uw, ugw, m, o, &cp, err)) != ZS_OK)
        goto done;
    if (!(p = zs_partition_alloc(n, o->k, NULL))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    double obj = 0.0; /* the points' own objective, in point order */
    for (size_t i = 0; i < n; i++) {
        int32_t z = cp->zone[cell[i]];
        p->zone[i] = z;
        obj += (gw ? gw[i] : 1.0) * hypot(x[i] - cp->cx[z], y[i] - cp->cy[z]);
    }
    memcpy(p->cx, cp->cx, o->k * sizeof *p->cx);
    memcpy(p->cy, cp->cy, o->k * sizeof *p->cy);
    p->objective = obj;
    p->iterations = cp->iterations;
    p->converged = cp->converged; /* the cells' program proven optimal */
    p->exact.proven = 0;                 /* ... which is not the points' optimum */
    p->exact.bound = cp->exact.bound;
    p->exact.gap = cp->exact.gap;
    p->exact.cells = m;
    p->exact.cell_side_m = s;
    /* Optimal (or not) for the cells, unproven for the points: the cells
     * and their bound are in exact.cells, exact.bound and exact.gap. */
    snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_HEURISTIC);
    *out = p;
    p = NULL;
done:
    zs_partition_free(cp);
    zs_partition_free(p);
    zs_free(ids);
    zs_free(cell);
    zs_free(ux);
    zs_free(uy);
    zs_free(uw);
    zs_free(ugw);
    zs_free(um);
    return st;
}

zs_status zs_part_pmedian(const double *x, const double *y, const double *w, const double *gw,
                          size_t n, const zs_partition_opts *o, zs_partition **out, zs_err *err)
{
    if (n > ZS_PMEDIAN_AGG_N) /* the dense matrix: solve on grid cells instead */
        return solve_cells(x, y, w, gw, n, o, out, err);
    return zs_part_pmedian_points(x, y, w, gw, n, o, out, err);
}
