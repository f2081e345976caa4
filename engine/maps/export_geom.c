/*
 * engine/maps/export_geom.c -- convex hulls of the zones, and whether two
 * of them overlap (engine/maps/export_internal.h); also the inverse of the
 * points' projection, for writers that want lon/lat.
 *
 * A hull is Andrew's monotone chain, padded into a small rectangle when a
 * zone has no area.  The overlap test decides the AUTO outline: boxes
 * swept by their west edge, then the separating axis test on the pairs
 * whose boxes meet, so a plan of k zones does not cost k^2 polygon tests.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "maps/export_internal.h"

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

/* ---- hulls and whether they overlap -------------------------------------------- */

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


/* One polygon of one ring per zone.  A hull has at most as many vertices
 * as its zone has points, or 4 when padded, so n + 4 k bound them all. */
zs_status zs_exp_hull_shapes(const zs_points *p, const zones *z, zs_export_shapes *s, zs_err *err)
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
zs_status zs_exp_hulls_overlap(const zs_export_shapes *s, int *found, zs_err *err)
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
