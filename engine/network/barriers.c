/*
 * engine/network/barriers.c -- barrier segments and their grid (see
 * barriers.h).  GEOS reads the file (geom.c); the crossing test is the
 * orientation predicate on the few segments the grid names.
 */
#include "network/barriers.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "input/files.h"
#include "network/geom.h"

void zs_barriers_free(zs_barriers *b)
{
    if (!b)
        return;
    zs_free(b->seg);
    zs_free(b->feature);
    zs_free(b->cell_start);
    zs_free(b->cell_seg);
    zs_free(b);
}

static size_t clampi(double v, size_t n)
{
    if (!(v > 0))
        return 0;
    return v >= (double)(n - 1) ? n - 1 : (size_t)v;
}

/* The grid: about one segment per cell, at most 2048 cells a side. */
static zs_status build_grid(zs_barriers *b, zs_err *err)
{
    double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
    for (size_t s = 0; s < b->n_seg; s++) {
        const double *q = b->seg + 4 * s;
        x0 = fmin(x0, fmin(q[0], q[2]));
        x1 = fmax(x1, fmax(q[0], q[2]));
        y0 = fmin(y0, fmin(q[1], q[3]));
        y1 = fmax(y1, fmax(q[1], q[3]));
    }
    double w = fmax(x1 - x0, 1.0), h = fmax(y1 - y0, 1.0);
    double cell = sqrt(w * h / (double)(b->n_seg ? b->n_seg : 1));
    cell = fmax(cell, fmax(w, h) / 2048.0);
    b->gx0 = x0;
    b->gy0 = y0;
    b->cell_m = cell;
    b->nx = (size_t)(w / cell) + 1;
    b->ny = (size_t)(h / cell) + 1;
    size_t nc = b->nx * b->ny;
    b->cell_start = zs_calloc(nc + 1, sizeof *b->cell_start);
    if (!b->cell_start)
        return ZS_NOMEM(err);
    for (int pass = 0; pass < 2; pass++) {
        size_t *at = NULL;
        if (pass) {
            for (size_t c = 0; c < nc; c++)
                b->cell_start[c + 1] += b->cell_start[c];
            b->cell_seg = zs_malloc_array(b->cell_start[nc] ? b->cell_start[nc] : 1,
                                          sizeof *b->cell_seg);
            at = zs_malloc_array(nc, sizeof *at);
            if (!b->cell_seg || !at) {
                zs_free(at);
                return ZS_NOMEM(err);
            }
            memcpy(at, b->cell_start, nc * sizeof *at);
        }
        for (size_t s = 0; s < b->n_seg; s++) {
            const double *q = b->seg + 4 * s;
            size_t ax = clampi((fmin(q[0], q[2]) - x0) / cell, b->nx);
            size_t bx = clampi((fmax(q[0], q[2]) - x0) / cell, b->nx);
            size_t ay = clampi((fmin(q[1], q[3]) - y0) / cell, b->ny);
            size_t by = clampi((fmax(q[1], q[3]) - y0) / cell, b->ny);
            for (size_t cy = ay; cy <= by; cy++)
                for (size_t cx = ax; cx <= bx; cx++) {
                    size_t c = cy * b->nx + cx;
                    if (pass)
                        b->cell_seg[at[c]++] = (uint32_t)s;
                    else
                        b->cell_start[c + 1]++;
                }
        }
        zs_free(at);
    }
    return ZS_OK;
}

zs_status zs_barriers_from_segments(const double *seg, const int32_t *feature, size_t n,
                                    zs_barriers **out, zs_err *err)
{
    *out = NULL;
    if (n > UINT32_MAX)
        return zs_err_set(err, ZS_EINVAL, "barriers: %zu segments; at most %u", n, UINT32_MAX);
    zs_barriers *b = zs_calloc(1, sizeof *b);
    if (!b)
        return ZS_NOMEM(err);
    b->n_seg = n;
    b->seg = zs_malloc_array(4 * (n ? n : 1), sizeof *b->seg);
    b->feature = zs_calloc(n ? n : 1, sizeof *b->feature);
    if (!b->seg || !b->feature) {
        zs_barriers_free(b);
        return ZS_NOMEM(err);
    }
    memcpy(b->seg, seg, 4 * n * sizeof *seg);
    int32_t maxf = -1;
    for (size_t s = 0; s < n; s++) {
        if (!isfinite(seg[4 * s]) || !isfinite(seg[4 * s + 1]) || !isfinite(seg[4 * s + 2]) ||
            !isfinite(seg[4 * s + 3])) {
            zs_barriers_free(b);
            return zs_err_set(err, ZS_EINVAL, "barriers: segment %zu has a coordinate that is "
                                              "not a finite number", s);
        }
        b->feature[s] = feature ? feature[s] : 0;
        if (b->feature[s] > maxf)
            maxf = b->feature[s];
    }
    b->n_features = (size_t)(maxf + 1);
    zs_status st = build_grid(b, err);
    if (st != ZS_OK) {
        zs_barriers_free(b);
        return st;
    }
    *out = b;
    return ZS_OK;
}

static int looks_like_degrees(double x, double y)
{
    return fabs(x) <= 180.0 && fabs(y) <= 90.0;
}

zs_status zs_barriers_load(const char *path, const zs_points *pts, zs_barriers **out,
                           zs_err *err)
{
    *out = NULL;
    double *seg = NULL;
    int32_t *feat = NULL;
    size_t n = 0, nf = 0;
    zs_status st = zs_geom_read_lines(path, &seg, &feat, &n, &nf, err);
    if (st != ZS_OK)
        return st;
    /* Do the points themselves look like degrees?  Then a file in degrees
     * cannot be told from one in metres, and is taken as metres. */
    int pts_deg = 1;
    for (size_t i = 0; i < pts->n && pts_deg; i++)
        pts_deg = looks_like_degrees(pts->x[i], pts->y[i]);
    for (size_t s = 0; s < n; s++) {
        double *q = seg + 4 * s;
        int deg = looks_like_degrees(q[0], q[1]) && looks_like_degrees(q[2], q[3]);
        if (pts->has_lonlat) {
            if (!deg) {
                st = zs_err_set(err, ZS_EINPUT,
                                "%s: feature %d: (%g, %g) is not lon/lat degrees, but the points "
                                "are in lon/lat: give the barriers in degrees too",
                                path, feat[s], q[0], q[1]);
                goto done;
            }
            zs_points_project(pts, q[0], q[1], &q[0], &q[1]);
            zs_points_project(pts, q[2], q[3], &q[2], &q[3]);
        }
    }
    if (!pts->has_lonlat && !pts_deg) {
        /* A feature all of whose points look like degrees, in metres data. */
        for (size_t s = 0; s < n;) {
            size_t e = s;
            int all_deg = 1;
            while (e < n && feat[e] == feat[s]) {
                all_deg &= looks_like_degrees(seg[4 * e], seg[4 * e + 1]) &&
                           looks_like_degrees(seg[4 * e + 2], seg[4 * e + 3]);
                e++;
            }
            if (all_deg) {
                st = zs_err_set(err, ZS_EINPUT,
                                "%s: feature %d: coordinates look like lon/lat degrees (%g, %g), "
                                "but the points are in metres: give the barriers in the points' "
                                "metres, or the points in lon/lat (points.coords: lonlat)",
                                path, feat[s], seg[4 * s], seg[4 * s + 1]);
                goto done;
            }
            s = e;
        }
    }
    st = zs_barriers_from_segments(seg, feat, n, out, err);
    if (st == ZS_OK)
        (*out)->n_features = nf;
done:
    zs_free(seg);
    zs_free(feat);
    return st;
}

/* Sign of the turn a -> b -> c: > 0 left, < 0 right, 0 on a line. */
static double orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

static int on_segment(double ax, double ay, double bx, double by, double px, double py)
{
    return fmin(ax, bx) <= px && px <= fmax(ax, bx) && fmin(ay, by) <= py && py <= fmax(ay, by);
}

static int seg_meet(const double *p, const double *q)
{
    double d1 = orient(q[0], q[1], q[2], q[3], p[0], p[1]);
    double d2 = orient(q[0], q[1], q[2], q[3], p[2], p[3]);
    double d3 = orient(p[0], p[1], p[2], p[3], q[0], q[1]);
    double d4 = orient(p[0], p[1], p[2], p[3], q[2], q[3]);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        return 1;
    return (d1 == 0 && on_segment(q[0], q[1], q[2], q[3], p[0], p[1])) ||
           (d2 == 0 && on_segment(q[0], q[1], q[2], q[3], p[2], p[3])) ||
           (d3 == 0 && on_segment(p[0], p[1], p[2], p[3], q[0], q[1])) ||
           (d4 == 0 && on_segment(p[0], p[1], p[2], p[3], q[2], q[3]));
}

int zs_barriers_cross(const zs_barriers *b, double ax, double ay, double bx, double by)
{
    if (!b || !b->n_seg)
        return 0;
    double lo_x = fmin(ax, bx), hi_x = fmax(ax, bx), lo_y = fmin(ay, by), hi_y = fmax(ay, by);
    double gx1 = b->gx0 + (double)b->nx * b->cell_m, gy1 = b->gy0 + (double)b->ny * b->cell_m;
    if (hi_x < b->gx0 || lo_x > gx1 || hi_y < b->gy0 || lo_y > gy1)
        return 0;
    size_t cx0 = clampi((lo_x - b->gx0) / b->cell_m, b->nx);
    size_t cx1 = clampi((hi_x - b->gx0) / b->cell_m, b->nx);
    size_t cy0 = clampi((lo_y - b->gy0) / b->cell_m, b->ny);
    size_t cy1 = clampi((hi_y - b->gy0) / b->cell_m, b->ny);
    const double p[4] = {ax, ay, bx, by};
    for (size_t cy = cy0; cy <= cy1; cy++)
        for (size_t cx = cx0; cx <= cx1; cx++) {
            size_t c = cy * b->nx + cx;
            for (size_t t = b->cell_start[c]; t < b->cell_start[c + 1]; t++)
                if (seg_meet(p, b->seg + 4 * (size_t)b->cell_seg[t]))
                    return 1;
        }
    return 0;
}

/* What zs_barriers_write_geojson writes, for zs_file_write_atomic. */
typedef struct {
    const double *seg;
    const int32_t *feature;
    size_t n;
    const char *const *names;
    size_t n_names;
} geojson_job;

static zs_status write_geojson(FILE *f, const void *ctx, zs_err *err)
{
    (void)err;
    const geojson_job *j = ctx;
    const double *seg = j->seg;
    const int32_t *feature = j->feature;
    size_t n = j->n;
    fputs("{\"type\": \"FeatureCollection\", \"features\": [", f);
    for (size_t a = 0, nf = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && feature[b] == feature[a] && seg[4 * b] == seg[4 * (b - 1) + 2] &&
               seg[4 * b + 1] == seg[4 * (b - 1) + 3])
            b++;
        int32_t id = feature[a];
        fprintf(f, "%s\n {\"type\": \"Feature\", \"properties\": {\"feature\": %d", nf++ ? "," : "",
                (int)id);
        if (j->names && id >= 0 && (size_t)id < j->n_names)
            fprintf(f, ", \"name\": \"%s\"", j->names[id]);
        fprintf(f, "}, \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[%.3f, %.3f]",
                seg[4 * a], seg[4 * a + 1]);
        for (size_t q = a; q < b; q++)
            fprintf(f, ", [%.3f, %.3f]", seg[4 * q + 2], seg[4 * q + 3]);
        fputs("]}}", f);
        a = b;
    }
    fputs("\n]}\n", f);
    return ZS_OK;
}

zs_status zs_barriers_write_geojson(const char *path, const double *seg, const int32_t *feature,
                                    size_t n, const char *const *names, size_t n_names,
                                    zs_err *err)
{
    geojson_job j = {seg, feature, n, names, n_names};
    return zs_file_write_atomic(path, write_geojson, &j, ZS_EIO, err);
}
