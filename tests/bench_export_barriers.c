/*
 * tests/bench_export_barriers.c -- how far a plan's cell outlines reach
 * across its barriers (not a test; the figures in engine/maps/export.h):
 * the outlines of one plan of a results file built as the maps draw them
 * now (the barriers count) and as they were drawn before (the same map
 * without its barriers, which is the old rule exactly), each timed, and
 * each measured on a raster of about 2000 x 2000 pixels over the zones:
 * the barrier lines are drawn into it as walls, the rest split into
 * regions (4-connected), a zone's home regions are those holding one of
 * its points, and a zone's pixel in a region that is not one of its homes
 * is drawn on the wrong side of a barrier.  Pixels on a wall count for
 * neither, so the figure undercounts by a line's width.
 *
 * usage: bench_export_barriers RESULTS PLAN [PIXELS]
 *        bench_export_barriers --csv POINTS ZONES BARRIERS [PIXELS]
 * (the second: a points CSV, a partition's id,zone CSV and a barriers
 * GeoJSON in the points' metres, as `zonesim generate` and `zonesim
 * partition` write them).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maps/export.h"
#include "models/alloc.h"
#include "network/barriers.h"
#include "partition/partition.h"
#include "results/h5out.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *xmalloc(size_t n)
{
    void *p = calloc(n ? n : 1, 1);
    if (!p) {
        fprintf(stderr, "bench_export_barriers: out of memory\n");
        exit(1);
    }
    return p;
}

static int cmp_d(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

typedef struct {
    double x0, y0, px; /* lower-left corner, pixel side (m) */
    size_t w, h;
    int32_t *zone;     /* w h: -1 none */
    int32_t *region;   /* w h: -1 wall */
} raster;

/* Every pixel whose centre lies inside a ring of zone j (even-odd over
 * its rings) gets zone j. */
static void paint_zones(raster *r, const zs_export_shapes *s)
{
    double *xs = xmalloc(s->n_vert * sizeof *xs);
    for (size_t j = 0; j < s->k; j++) {
        size_t r0 = s->poly_ring[s->zone_poly[j]], r1 = s->poly_ring[s->zone_poly[j + 1]];
        for (size_t row = 0; row < r->h; row++) {
            double y = r->y0 + ((double)row + 0.5) * r->px;
            size_t nx = 0;
            for (size_t q = r0; q < r1; q++)
                for (size_t v = s->ring_vert[q]; v < s->ring_vert[q + 1]; v++) {
                    size_t u = v + 1 < s->ring_vert[q + 1] ? v + 1 : s->ring_vert[q];
                    zs_xy a = s->v[v], b = s->v[u];
                    if ((a.y <= y) != (b.y <= y))
                        xs[nx++] = a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x);
                }
            qsort(xs, nx, sizeof *xs, cmp_d);
            for (size_t t = 0; t + 1 < nx; t += 2) {
                double c0 = ceil((xs[t] - r->x0) / r->px - 0.5);
                double c1 = floor((xs[t + 1] - r->x0) / r->px - 0.5);
                for (double c = fmax(c0, 0); c <= c1 && c < (double)r->w; c++)
                    r->zone[row * r->w + (size_t)c] = (int32_t)j;
            }
        }
    }
    free(xs);
}

/* Barrier segments drawn as walls (8-connected lines stop a 4-connected
 * fill), then the regions between them labelled. */
static size_t label_regions(raster *r, const double *seg, size_t nseg)
{
    size_t n = r->w * r->h;
    for (size_t i = 0; i < n; i++)
        r->region[i] = 0;
    for (size_t b = 0; b < nseg; b++) {
        const double *sg = seg + 4 * b;
        double len = hypot(sg[2] - sg[0], sg[3] - sg[1]);
        size_t steps = (size_t)(4 * len / r->px) + 1;
        for (size_t t = 0; t <= steps; t++) {
            double f = (double)t / (double)steps;
            double cx = floor((sg[0] + f * (sg[2] - sg[0]) - r->x0) / r->px);
            double cy = floor((sg[1] + f * (sg[3] - sg[1]) - r->y0) / r->px);
            if (cx >= 0 && cy >= 0 && cx < (double)r->w && cy < (double)r->h)
                r->region[(size_t)cy * r->w + (size_t)cx] = -1;
        }
    }
    size_t *stack = xmalloc(n * sizeof *stack), nreg = 0;
    for (size_t i = 0; i < n; i++)
        r->region[i] = r->region[i] == -1 ? -1 : -2;
    for (size_t i = 0; i < n; i++) {
        if (r->region[i] != -2)
            continue;
        size_t top = 0;
        stack[top++] = i;
        r->region[i] = (int32_t)nreg;
        while (top) {
            size_t c = stack[--top], x = c % r->w, y = c / r->w;
            size_t nb[4] = {x > 0 ? c - 1 : SIZE_MAX, x + 1 < r->w ? c + 1 : SIZE_MAX,
                            y > 0 ? c - r->w : SIZE_MAX, y + 1 < r->h ? c + r->w : SIZE_MAX};
            for (int t = 0; t < 4; t++)
                if (nb[t] != SIZE_MAX && r->region[nb[t]] == -2) {
                    r->region[nb[t]] = (int32_t)nreg;
                    stack[top++] = nb[t];
                }
        }
        nreg++;
    }
    free(stack);
    return nreg;
}

/* The wrong-side area (m^2) of shapes s, zones drawn wrong in *n_zones,
 * the area drawn at all in *drawn. */
static double wrong_side(const zs_export_shapes *s, const zs_points *p, const zs_partition *pa,
                         const double *seg, size_t nseg, size_t pixels, double *drawn,
                         size_t *n_zones)
{
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (size_t v = 0; v < s->n_vert; v++) {
        xmin = fmin(xmin, s->v[v].x);
        xmax = fmax(xmax, s->v[v].x);
        ymin = fmin(ymin, s->v[v].y);
        ymax = fmax(ymax, s->v[v].y);
    }
    raster r;
    r.px = fmax(xmax - xmin, ymax - ymin) / (double)pixels;
    r.x0 = xmin;
    r.y0 = ymin;
    r.w = (size_t)ceil((xmax - xmin) / r.px) + 1;
    r.h = (size_t)ceil((ymax - ymin) / r.px) + 1;
    r.zone = xmalloc(r.w * r.h * sizeof *r.zone);
    r.region = xmalloc(r.w * r.h * sizeof *r.region);
    for (size_t i = 0; i < r.w * r.h; i++)
        r.zone[i] = -1;
    paint_zones(&r, s);
    size_t nreg = label_regions(&r, seg, nseg);
    unsigned char *home = xmalloc(s->k * nreg);
    for (size_t i = 0; i < p->n; i++) {
        double cx = floor((p->x[i] - r.x0) / r.px), cy = floor((p->y[i] - r.y0) / r.px);
        if (cx < 0 || cy < 0 || cx >= (double)r.w || cy >= (double)r.h)
            continue;
        int32_t g = r.region[(size_t)cy * r.w + (size_t)cx];
        if (g >= 0)
            home[(size_t)pa->zone[i] * nreg + (size_t)g] = 1;
    }
    unsigned char *bad = xmalloc(s->k);
    size_t wrong = 0, any = 0;
    for (size_t i = 0; i < r.w * r.h; i++) {
        if (r.zone[i] < 0)
            continue;
        any++;
        if (r.region[i] >= 0 && !home[(size_t)r.zone[i] * nreg + (size_t)r.region[i]]) {
            wrong++;
            bad[r.zone[i]] = 1;
        }
    }
    *n_zones = 0;
    for (size_t j = 0; j < s->k; j++)
        *n_zones += bad[j];
    *drawn = (double)any * r.px * r.px;
    free(bad);
    free(home);
    free(r.zone);
    free(r.region);
    return (double)wrong * r.px * r.px;
}

int main(int argc, char **argv)
{
    int csv = argc > 1 && !strcmp(argv[1], "--csv");
    if (argc < 3 + 2 * csv) {
        fprintf(stderr, "usage: bench_export_barriers RESULTS PLAN [PIXELS]\n"
                        "       bench_export_barriers --csv POINTS ZONES BARRIERS [PIXELS]\n");
        return 2;
    }
    size_t pixels = argc > 3 + 2 * csv ? (size_t)strtoul(argv[3 + 2 * csv], NULL, 10) : 2000;
    zs_err err;
    zs_points *pts = NULL;
    zs_partition *part = NULL;
    zs_plan_summary *sum = NULL;
    zs_barriers *bar = NULL;
    double depot[2], *seg = NULL;
    int32_t *ft = NULL;
    size_t nseg = 0;
    zs_h5out_silence();
    if (csv) {
        if (zs_points_load_csv(argv[2], NULL, &pts, &err) != ZS_OK ||
            zs_partition_load_csv(pts, argv[3], NULL, NULL, &part, &err) != ZS_OK ||
            zs_barriers_load(argv[4], pts, &bar, &err) != ZS_OK) {
            fprintf(stderr, "bench_export_barriers: %s\n", err.msg);
            return 2;
        }
        nseg = bar->n_seg;
        seg = bar->seg;
        ft = bar->feature;
    } else if (zs_h5out_read_plan(argv[1], argv[2], &pts, &part, &sum, depot, &err) != ZS_OK ||
               zs_h5out_read_barriers(argv[1], &nseg, &seg, &ft, &err) != ZS_OK) {
        fprintf(stderr, "bench_export_barriers: %s\n", err.msg);
        return 2;
    }
    printf("%s, plan %s: %zu points, %zu zones, %zu barrier segments\n",
           argv[1 + csv], argv[2 + csv], pts->n, part->k, nseg);
    printf("%-9s %9s %9s %8s %12s %12s %7s %6s\n", "rule", "shapes_s", "cell_m", "vertices",
           "drawn_km2", "wrong_km2", "wrong%", "zones");
    for (int after = 0; after < 2; after++) {
        zs_export_map m = {.plan = argv[2 + csv], .points = pts, .part = part,
                           .outline = ZS_EXPORT_OUTLINE_CELLS,
                           .n_barrier_seg = after ? nseg : 0, .barrier_seg = after ? seg : NULL,
                           .barrier_feature = after ? ft : NULL};
        zs_export_shapes *s = NULL;
        double best = INFINITY;
        for (int rep = 0; rep < 3; rep++) {
            zs_export_shapes_free(s);
            s = NULL;
            double t0 = now_s();
            if (zs_export_shapes_create(&m, &s, &err) != ZS_OK) {
                fprintf(stderr, "bench_export_barriers: %s\n", err.msg);
                return 1;
            }
            best = fmin(best, now_s() - t0);
        }
        double drawn, wrong;
        size_t nz;
        wrong = wrong_side(s, pts, part, seg, nseg, pixels, &drawn, &nz);
        printf("%-9s %9.3f %9.2f %8zu %12.4f %12.4f %7.2f %6zu\n",
               after ? "barriers" : "old", best, s->cell_m, s->n_vert, drawn / 1e6, wrong / 1e6,
               100 * wrong / drawn, nz);
        zs_export_shapes_free(s);
    }
    zs_points_free(pts);
    zs_partition_free(part);
    zs_plan_summary_free(sum);
    if (bar) {
        zs_barriers_free(bar);
    } else {
        zs_free(seg);
        zs_free(ft);
    }
    return 0;
}
