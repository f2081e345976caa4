/*
 * engine/partition/balanced.c -- weighted k-means with balanced workloads.
 *
 * Each zone c carries a price lambda_c added to the squared distance, and a
 * point joins the zone of least d^2(i, c) + lambda_c.  Rounds alternate:
 * prices of zones above (1 + tol) x mean workload go up and of zones below
 * (1 - tol) x mean go down (a subgradient step on the balance constraints,
 * in units of the mean squared distance to the centres, each zone's step
 * adapted as in Rprop) and points are reassigned; every BAL_RECENTRE rounds
 * the centres move to their zones' means.  The method stops as soon as every zone is within
 * tolerance, or after max_iter rounds with the best plan seen (least largest
 * deviation), which boundary moves (twostage.c) then try to finish; if they
 * cannot, zs_partition_solve reports balance not met.
 *
 * A point's assignment depends only on that point, so the parallel loop is
 * thread-count invariant; every sum is serial in point order.
 */
#include "partition/partition.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/partition_internal.h"

#define BAL_RECENTRE 20 /* price rounds between centre updates */

/* Largest |load - mean| / mean with loads of zone[] under w. */
static double max_dev(const int32_t *zone, const double *w, size_t n, size_t k, double mean,
                      double *load)
{
    memset(load, 0, k * sizeof *load);
    for (size_t i = 0; i < n; i++)
        load[zone[i]] += w ? w[i] : 1.0;
    double dev = 0.0;
    if (mean > 0.0)
        for (size_t c = 0; c < k; c++)
            dev = fmax(dev, fabs(load[c] - mean) / mean);
    return dev;
}

zs_status zs_part_balanced(const double *x, const double *y, const double *w, size_t n,
                           const zs_partition_opts *o, zs_partition **out, zs_err *err)
{
    size_t k = o->k;
    const double *gw = o->kmeans.weighted ? w : NULL;
    zs_partition *p = NULL;
    zs_status st = zs_partition_kmeans(x, y, w, n, k, &o->kmeans, &p, err);
    if (st != ZS_OK)
        return st;
    double *lambda = zs_calloc(k, sizeof *lambda), *load = zs_calloc(k, sizeof *load);
    double *step = zs_malloc_array(k, sizeof *step), *sw = zs_malloc_array(k, sizeof *sw);
    int *last = zs_calloc(k, sizeof *last);
    int32_t *best = zs_malloc_array(n, sizeof *best);
    size_t *cnt = zs_calloc(k, sizeof *cnt);
    if (!lambda || !load || !best || !cnt || !step || !sw || !last) {
        st = ZS_NOMEM(err);
        goto done;
    }
    double total = 0.0, s2 = 0.0;
    for (size_t i = 0; i < n; i++) {
        total += w ? w[i] : 1.0;
        double dx = x[i] - p->cx[p->zone[i]], dy = y[i] - p->cy[p->zone[i]];
        s2 += dx * dx + dy * dy;
    }
    double mean = total / (double)k, tol = o->tolerance;
    /* Price unit: the mean squared distance of a point to its centre, the
     * scale on which a boundary point weighs one zone against another. */
    s2 = s2 > 0.0 ? s2 / (double)n : 1.0;
    for (size_t c = 0; c < k; c++)
        step[c] = 0.05 * s2; /* first steps move only points near a boundary */
    double best_dev = max_dev(p->zone, w, n, k, mean, load);
    memcpy(best, p->zone, n * sizeof *best);
    int rounds = 0;
    int32_t *zone = p->zone;
    const double *cx = p->cx, *cy = p->cy;
    for (rounds = 0; rounds < o->max_iter && best_dev > tol; rounds++) {
        (void)max_dev(zone, w, n, k, mean, load); /* the loads of the current plan */
        double lsum = 0.0;
        for (size_t c = 0; c < k; c++) {
            double d = (load[c] - mean) / mean;
            int sgn = d > tol ? 1 : d < -tol ? -1 : 0;
            /* Rprop-like steps: a price still pushing the same way grows
             * its step by 1.2, one that overshot halves it, so each zone
             * finds its own scale without a global step schedule. */
            if (sgn != 0) {
                if (sgn == -last[c])
                    step[c] *= 0.5;
                else if (sgn == last[c])
                    step[c] *= 1.2;
                lambda[c] += sgn * step[c];
            }
            last[c] = sgn;
            lsum += lambda[c];
        }
        /* Only differences of prices matter: keep them centred. */
        for (size_t c = 0; c < k; c++)
            lambda[c] -= lsum / (double)k;
#pragma omp parallel for schedule(static) default(none) if (n > ZS_PART_PAR_MIN) shared(x, y, n, k, cx, cy, lambda, zone)
        for (size_t i = 0; i < n; i++) {
            size_t b = 0;
            double bd = HUGE_VAL;
            for (size_t c = 0; c < k; c++) {
                double dx = x[i] - cx[c], dy = y[i] - cy[c], d = dx * dx + dy * dy + lambda[c];
                if (d < bd) {
                    bd = d;
                    b = c;
                }
            }
            zone[i] = (int32_t)b;
        }
        memset(cnt, 0, k * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[zone[i]]++;
        /* A price can push a zone empty: it takes a far point back and its
         * price drops to the lowest, so it attracts again. */
        double lmin = lambda[0];
        for (size_t c = 1; c < k; c++)
            lmin = fmin(lmin, lambda[c]);
        for (size_t c = 0; c < k; c++)
            if (cnt[c] == 0)
                lambda[c] = lmin;
        zs_part_fill_empty(zone, cnt, n, k, x, y, cx, cy);
        /* Centres move only every BAL_RECENTRE rounds: prices over fixed
         * centres settle (a transportation problem's duals), while moving
         * centres every round kept shifting the target under them and did
         * not converge on a clustered city. */
        if ((rounds + 1) % BAL_RECENTRE == 0)
            zs_part_centres_ws(p, x, y, gw, sw, cnt);
        double dev = max_dev(zone, w, n, k, mean, load);
        if (dev < best_dev) {
            best_dev = dev;
            memcpy(best, zone, n * sizeof *best);
        }
    }
    memcpy(p->zone, best, n * sizeof *best);
    if ((st = zs_part_centres(p, x, y, gw, err)) != ZS_OK)
        goto done;
    /* Prices over many zones can cycle short of the band (a zone's price
     * step halves each time it overshoots, so it stalls one boundary
     * point away): finish with two-stage boundary moves from the best
     * plan, which only ever lower the largest deviation. */
    if (best_dev > tol) {
        if ((st = zs_part_boundary_moves(p, x, y, w, gw, tol, 0, err)) != ZS_OK)
            goto done;
        best_dev = max_dev(p->zone, w, n, k, mean, load);
    }
    p->iterations = rounds;
    p->converged = best_dev <= tol;
    snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_HEURISTIC);
    *out = p;
    p = NULL;
done:
    zs_partition_free(p);
    zs_free(lambda);
    zs_free(load);
    zs_free(best);
    zs_free(cnt);
    zs_free(step);
    zs_free(sw);
    zs_free(last);
    return st;
}
