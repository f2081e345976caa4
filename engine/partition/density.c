/*
 * engine/partition/density.c -- k-means from density-based initial centres.
 *
 * Local densities come from a uniform grid of cells at least one radius
 * wide, so each point looks at its 3 x 3 block of cells instead of all n
 * points.  Each density is a sum over that point's neighbours in a fixed
 * order (cells row-major, points by index), so it does not depend on which
 * thread computed it.
 */
#include "partition/partition.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/partition_internal.h"

/* Radius when none is given: twice the spacing of a uniform spread over
 * the bounding box, sqrt(area / n), so a disk holds about 4 pi = 12.6
 * points on average.  A flat box uses its length, a single location 1 m. */
static double default_radius(const double *x, const double *y, size_t n)
{
    double x0 = x[0], x1 = x[0], y0 = y[0], y1 = y[0];
    for (size_t i = 1; i < n; i++) {
        x0 = fmin(x0, x[i]);
        x1 = fmax(x1, x[i]);
        y0 = fmin(y0, y[i]);
        y1 = fmax(y1, y[i]);
    }
    double area = (x1 - x0) * (y1 - y0), len = fmax(x1 - x0, y1 - y0);
    if (area > 0.0)
        return 2.0 * sqrt(area / (double)n);
    if (len > 0.0)
        return 2.0 * len / (double)n;
    return 1.0;
}

/* rho[i] = sum of w over points within r of point i. */
static zs_status local_density(const double *x, const double *y, const double *w, size_t n,
                               double r, double *rho, zs_err *err)
{
    double x0 = x[0], x1 = x[0], y0 = y[0], y1 = y[0];
    for (size_t i = 1; i < n; i++) {
        x0 = fmin(x0, x[i]);
        x1 = fmax(x1, x[i]);
        y0 = fmin(y0, y[i]);
        y1 = fmax(y1, y[i]);
    }
    /* Cells at least r wide, and no more than about 4n of them so a tiny
     * radius over a wide area cannot ask for a huge table. */
    double h = r;
    double cells = ((x1 - x0) / h + 1.0) * ((y1 - y0) / h + 1.0);
    if (cells > 4.0 * (double)n + 16.0)
        h *= sqrt(cells / (4.0 * (double)n + 16.0)) * 1.01;
    size_t nx = (size_t)((x1 - x0) / h) + 1, ny = (size_t)((y1 - y0) / h) + 1, nc = nx * ny;
    size_t *start = zs_calloc(nc + 1, sizeof *start), *idx = zs_malloc_array(n, sizeof *idx);
    size_t *cell = zs_malloc_array(n, sizeof *cell);
    if (!start || !idx || !cell) {
        zs_free(start);
        zs_free(idx);
        zs_free(cell);
        return ZS_NOMEM(err);
    }
    for (size_t i = 0; i < n; i++) {
        size_t cx = (size_t)((x[i] - x0) / h), cy = (size_t)((y[i] - y0) / h);
        cell[i] = (cy < ny ? cy : ny - 1) * nx + (cx < nx ? cx : nx - 1);
        start[cell[i]]++;
    }
    /* start[c] = end of cell c, then filled backwards so it becomes the
     * beginning and each cell lists its points by ascending index. */
    for (size_t c = 1; c < nc; c++)
        start[c] += start[c - 1];
    start[nc] = n;
    for (size_t i = n; i > 0; i--)
        idx[--start[cell[i - 1]]] = i - 1;
    double r2 = r * r;
#pragma omp parallel for schedule(dynamic, 256) default(none) if (n > ZS_PART_PAR_MIN) \
    shared(x, y, w, n, rho, start, idx, cell, nx, ny, r2)
    for (size_t i = 0; i < n; i++) {
        size_t cx = cell[i] % nx, cy = cell[i] / nx;
        double s = 0.0;
        for (size_t gy = cy ? cy - 1 : 0; gy <= cy + 1 && gy < ny; gy++)
            for (size_t gx = cx ? cx - 1 : 0; gx <= cx + 1 && gx < nx; gx++) {
                size_t c = gy * nx + gx;
                for (size_t j = start[c]; j < start[c + 1]; j++) {
                    size_t q = idx[j];
                    double dx = x[q] - x[i], dy = y[q] - y[i];
                    if (dx * dx + dy * dy <= r2)
                        s += w ? w[q] : 1.0;
                }
            }
        rho[i] = s;
    }
    zs_free(start);
    zs_free(idx);
    zs_free(cell);
    return ZS_OK;
}

zs_status zs_partition_density_centres(const double *x, const double *y, const double *w,
                                       size_t n, size_t k, double radius_m, double *cx,
                                       double *cy, zs_err *err)
{
    if (k < 1 || k > n)
        return zs_err_set(err, ZS_EINVAL, "k = %zu; must be in 1..%zu (the number of points)", k, n);
    if (!(radius_m >= 0.0) || !isfinite(radius_m))
        return zs_err_set(err, ZS_EINVAL, "density radius = %g m; must be finite and >= 0", radius_m);
    double r = radius_m > 0.0 ? radius_m : default_radius(x, y, n);
    double *rho = zs_malloc_array(n, sizeof *rho), *mind = zs_malloc_array(n, sizeof *mind);
    zs_status st = ZS_OK;
    if (!rho || !mind) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if ((st = local_density(x, y, w, n, r, rho, err)) != ZS_OK)
        goto done;
    size_t pick = 0;
    for (size_t i = 1; i < n; i++)
        if (rho[i] > rho[pick])
            pick = i;
    for (size_t i = 0; i < n; i++)
        mind[i] = HUGE_VAL;
    for (size_t c = 0;; c++) {
        cx[c] = x[pick];
        cy[c] = y[pick];
        if (c + 1 == k)
            break;
        double px = cx[c], py = cy[c];
#pragma omp parallel for schedule(static) default(none) if (n > ZS_PART_PAR_MIN) shared(x, y, n, mind, px, py)
        for (size_t i = 0; i < n; i++) {
            double dx = x[i] - px, dy = y[i] - py, d = sqrt(dx * dx + dy * dy);
            if (d < mind[i])
                mind[i] = d;
        }
        /* Score rho x distance; a point on a chosen centre scores 0.  When
         * every score is 0 (zero weights, coincident points) the first point
         * off the centres is taken, else a duplicate centre, which k-means
         * then re-seeds as an empty cluster. */
        double best = 0.0;
        pick = n;
        for (size_t i = 0; i < n; i++) {
            double s = rho[i] * mind[i];
            if (s > best) {
                best = s;
                pick = i;
            }
        }
        for (size_t i = 0; i < n && pick == n; i++)
            if (mind[i] > 0.0)
                pick = i;
        if (pick == n)
            pick = (c + 1) % n;
    }
done:
    zs_free(rho);
    zs_free(mind);
    return st;
}

zs_status zs_part_density(const double *x, const double *y, const double *w, size_t n,
                          const zs_partition_opts *o, zs_partition **out, zs_err *err)
{
    size_t k = o->k;
    double *cx = zs_malloc_array(k, sizeof *cx), *cy = zs_malloc_array(k, sizeof *cy);
    zs_status st;
    if (!cx || !cy) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if ((st = zs_partition_density_centres(x, y, w, n, k, o->density_radius_m, cx, cy, err)) !=
        ZS_OK)
        goto done;
    zs_kmeans_opts km = o->kmeans;
    km.restarts = 1; /* the start is fixed: restarts would repeat it */
    km.init_x = cx;
    km.init_y = cy;
    st = zs_partition_kmeans(x, y, w, n, k, &km, out, err);
done:
    zs_free(cx);
    zs_free(cy);
    return st;
}
