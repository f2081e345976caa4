/*
 * engine/partition/voronoi.c -- Voronoi (Thiessen) cells: every point to its
 * nearest site.
 *
 * Sites are the planner's (given) or chosen by k-means++ seeding from the
 * keyed stream (ZS_PURPOSE_PARTITION, restart r keyed as in kmeans.c; the
 * restart whose cells have the lowest SSE to their sites is kept).  No Lloyd
 * iterations follow: that is what distinguishes the method from k-means.
 * The plan's centres are the means of the cells' points, like every other
 * plan's, so objectives compare; the sites themselves are not stored.
 */
#include "partition/partition.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "models/alloc.h"
#include "models/rng.h"
#include "partition/partition_internal.h"

/* zone[i] = nearest site; returns the SSE to the sites.  Each point's
 * result depends on that point only, so the parallel loop is
 * thread-count invariant; the sum is serial. */
static double assign(const double *x, const double *y, const double *gw, size_t n,
                     const double *sx, const double *sy, size_t k, int32_t *zone, double *d2)
{
#pragma omp parallel for schedule(static) default(none) if (n > ZS_PART_PAR_MIN) shared(x, y, n, sx, sy, k, zone, d2)
    for (size_t i = 0; i < n; i++) {
        size_t c = zs_part_nearest(sx, sy, k, x[i], y[i]);
        double dx = x[i] - sx[c], dy = y[i] - sy[c];
        zone[i] = (int32_t)c;
        d2[i] = dx * dx + dy * dy;
    }
    double sse = 0.0;
    for (size_t i = 0; i < n; i++)
        sse += (gw ? gw[i] : 1.0) * d2[i];
    return sse;
}

/* k-means++ seeding (weighted by gw) into sx, sy; d2 is scratch. */
static void seed(const double *x, const double *y, const double *gw, size_t n, size_t k,
                 gsl_rng *r, double *sx, double *sy, double *d2)
{
    double total = 0.0;
    for (size_t i = 0; i < n; i++)
        total += gw ? gw[i] : 1.0;
    double u = gsl_rng_uniform(r), target = u * total, acc = 0.0;
    size_t first = n - 1;
    for (size_t i = 0; i < n; i++) {
        acc += gw ? gw[i] : 1.0;
        if (acc > target) {
            first = i;
            break;
        }
    }
    if (!(total > 0.0))
        first = 0; /* all weights zero: no preference */
    sx[0] = x[first];
    sy[0] = y[first];
    for (size_t i = 0; i < n; i++)
        d2[i] = HUGE_VAL;
    for (size_t c = 1; c < k; c++) {
        double cx = sx[c - 1], cy = sy[c - 1];
#pragma omp parallel for schedule(static) default(none) if (n > ZS_PART_PAR_MIN) shared(x, y, n, d2, cx, cy)
        for (size_t i = 0; i < n; i++) {
            double dx = x[i] - cx, dy = y[i] - cy, d = dx * dx + dy * dy;
            if (d < d2[i])
                d2[i] = d;
        }
        double sum = 0.0;
        for (size_t i = 0; i < n; i++)
            sum += (gw ? gw[i] : 1.0) * d2[i];
        u = gsl_rng_uniform(r); /* drawn even when unused: the stream stays aligned */
        size_t pick = n;
        if (sum > 0.0) {
            target = u * sum;
            acc = 0.0;
            for (size_t i = 0; i < n; i++) {
                double v = (gw ? gw[i] : 1.0) * d2[i];
                if (!(v > 0.0))
                    continue;
                pick = i; /* the last positive one, should rounding overshoot */
                acc += v;
                if (acc > target)
                    break;
            }
        } else {
            /* Every weighted point is a site already: the first point off
             * the sites, else a duplicate site (its cell is filled later). */
            for (size_t i = 0; i < n && pick == n; i++)
                if (d2[i] > 0.0)
                    pick = i;
            if (pick == n)
                pick = c % n;
        }
        sx[c] = x[pick];
        sy[c] = y[pick];
    }
}

zs_status zs_part_voronoi(const double *x, const double *y, const double *gw, size_t n,
                          const zs_partition_opts *o, zs_partition **out, zs_err *err)
{
    size_t k = o->k;
    zs_status st = ZS_OK;
    double *sx = zs_malloc_array(k, sizeof *sx), *sy = zs_malloc_array(k, sizeof *sy);
    double *d2 = zs_malloc_array(n, sizeof *d2);
    int32_t *zone = zs_malloc_array(n, sizeof *zone);
    size_t *cnt = zs_calloc(k, sizeof *cnt);
    gsl_rng *r = NULL;
    zs_partition *p = zs_partition_alloc(n, k, NULL);
    if (!sx || !sy || !d2 || !zone || !cnt || !p || (!o->site_x && !(r = zs_rng_create()))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if (o->site_x) {
        assign(x, y, gw, n, o->site_x, o->site_y, k, p->zone, d2);
        for (size_t i = 0; i < n; i++)
            cnt[p->zone[i]]++;
        for (size_t c = 0; c < k; c++)
            if (cnt[c] == 0) {
                st = zs_err_set(err, ZS_EINPUT, "voronoi site %zu at (%g, %g) has no point nearest to it",
                                c + 1, o->site_x[c], o->site_y[c]);
                goto done;
            }
        snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_HEURISTIC);
    } else {
        double best = HUGE_VAL;
        for (int rs = 0; rs < o->kmeans.restarts; rs++) {
            zs_rng_rekey(r, zs_rng_key(o->kmeans.seed, (uint64_t)rs, 0, 0, ZS_PURPOSE_PARTITION));
            seed(x, y, gw, n, k, r, sx, sy, d2);
            double sse = assign(x, y, gw, n, sx, sy, k, zone, d2);
            if (rs == 0 || sse < best) { /* ties keep the earlier restart */
                best = sse;
                memcpy(p->zone, zone, n * sizeof *zone);
                memcpy(p->cx, sx, k * sizeof *sx);
                memcpy(p->cy, sy, k * sizeof *sy);
            }
        }
        /* Coincident points can leave a site without a point: it takes the
         * point farthest from its own site, as k-means does. */
        for (size_t i = 0; i < n; i++)
            cnt[p->zone[i]]++;
        zs_part_fill_empty(p->zone, cnt, n, k, x, y, p->cx, p->cy);
        snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_HEURISTIC);
    }
    if ((st = zs_part_centres(p, x, y, gw, err)) != ZS_OK)
        goto done;
    p->iterations = 0;
    p->converged = 1;
    *out = p;
    p = NULL;
done:
    zs_partition_free(p);
    gsl_rng_free(r);
    zs_free(sx);
    zs_free(sy);
    zs_free(d2);
    zs_free(zone);
    zs_free(cnt);
    return st;
}
