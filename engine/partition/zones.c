/*
 * engine/partition/zones.c -- building blocks of zone plans (see zones.h):
 * allocation and release, centres, balance, filling empty zones.
 */
#include "partition/zones.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"

zs_status zs_partition_copy_labels(zs_partition *dst, const zs_partition *src, zs_err *err)
{
    if (dst->k != src->k)
        return zs_err_set(err, ZS_EINVAL, "copy labels: %zu zones, not %zu", dst->k, src->k);
    char **l = zs_calloc(dst->k ? dst->k : 1, sizeof *l);
    if (!l)
        return ZS_NOMEM(err);
    for (size_t z = 0; z < dst->k; z++)
        if (!(l[z] = zs_strdup(src->label[z]))) {
            for (size_t q = 0; q < z; q++)
                zs_free(l[q]);
            zs_free(l);
            return ZS_NOMEM(err);
        }
    for (size_t z = 0; z < dst->k; z++)
        zs_free(dst->label[z]);
    zs_free(dst->label);
    dst->label = l;
    return ZS_OK;
}

zs_partition *zs_partition_alloc(size_t n, size_t k, char *const *labels)
{
    zs_partition *p = zs_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->n = n;
    p->k = k;
    p->zone = zs_malloc_array(n ? n : 1, sizeof *p->zone);
    p->cx = zs_calloc(k ? k : 1, sizeof *p->cx);
    p->cy = zs_calloc(k ? k : 1, sizeof *p->cy);
    p->label = zs_calloc(k ? k : 1, sizeof *p->label);
    if (!p->zone || !p->cx || !p->cy || !p->label)
        goto fail;
    for (size_t z = 0; z < k; z++) {
        char num[32];
        if (!labels)
            snprintf(num, sizeof num, "%zu", z + 1);
        if (!(p->label[z] = zs_strdup(labels ? labels[z] : num)))
            goto fail;
    }
    return p;
fail:
    zs_partition_free(p);
    return NULL;
}

void zs_partition_free(zs_partition *p)
{
    if (!p)
        return;
    if (p->label)
        for (size_t z = 0; z < p->k; z++)
            zs_free(p->label[z]);
    zs_free(p->label);
    zs_free(p->zone);
    zs_free(p->cx);
    zs_free(p->cy);
    zs_free(p->territory.pocket);
    zs_free(p->territory.bridge);
    zs_free(p->balance.door_min);
    zs_free(p->balance.travel_min);
    zs_free(p);
}

size_t zs_part_nearest(const double *cx, const double *cy, size_t k, double px, double py)
{
    size_t best = 0;
    double bd = HUGE_VAL;
    for (size_t c = 0; c < k; c++) {
        double dx = px - cx[c], dy = py - cy[c], d = dx * dx + dy * dy;
        if (d < bd) {
            bd = d;
            best = c;
        }
    }
    return best;
}

zs_status zs_part_centres(zs_partition *p, const double *x, const double *y, const double *gw,
                          zs_err *err)
{
    double *sw = zs_malloc_array(p->k, sizeof *sw);
    size_t *cnt = zs_malloc_array(p->k, sizeof *cnt);
    if (!sw || !cnt) {
        zs_free(sw);
        zs_free(cnt);
        return ZS_NOMEM(err);
    }
    zs_part_centres_ws(p, x, y, gw, sw, cnt);
    zs_free(sw);
    zs_free(cnt);
    return ZS_OK;
}

void zs_part_centres_ws(zs_partition *p, const double *x, const double *y, const double *gw,
                        double *sw, size_t *cnt)
{
    size_t k = p->k;
    for (size_t z = 0; z < k; z++) {
        p->cx[z] = p->cy[z] = sw[z] = 0.0;
        cnt[z] = 0;
    }
    /* Serial sums in point order: deterministic, and O(n) next to the
     * methods' O(nk). */
    for (size_t i = 0; i < p->n; i++) {
        size_t z = (size_t)p->zone[i];
        double wi = gw ? gw[i] : 1.0;
        sw[z] += wi;
        p->cx[z] += wi * x[i];
        p->cy[z] += wi * y[i];
        cnt[z]++;
    }
    int plain = 0;
    for (size_t z = 0; z < k; z++) {
        if (sw[z] > 0.0) {
            p->cx[z] /= sw[z];
            p->cy[z] /= sw[z];
        } else {
            plain = 1; /* zero-weight zone: its weighted mean is undefined */
            p->cx[z] = p->cy[z] = 0.0;
        }
    }
    if (plain) {
        for (size_t i = 0; i < p->n; i++) {
            size_t z = (size_t)p->zone[i];
            if (!(sw[z] > 0.0)) {
                p->cx[z] += x[i];
                p->cy[z] += y[i];
            }
        }
        for (size_t z = 0; z < k; z++)
            if (!(sw[z] > 0.0) && cnt[z] > 0) {
                p->cx[z] /= (double)cnt[z];
                p->cy[z] /= (double)cnt[z];
            }
    }
    double sse = 0.0;
    for (size_t i = 0; i < p->n; i++) {
        size_t z = (size_t)p->zone[i];
        double dx = x[i] - p->cx[z], dy = y[i] - p->cy[z];
        sse += (gw ? gw[i] : 1.0) * (dx * dx + dy * dy);
    }
    p->objective = sse;
}

/* Sets the balance fields of p from zone loads load[0..k). */
static void judge(zs_partition *p, const double *load, double tol)
{
    double total = 0.0;
    for (size_t z = 0; z < p->k; z++)
        total += load[z];
    double mean = total / (double)p->k, dev = 0.0;
    size_t within = p->k;
    /* A zero mean means every zone carries nothing: perfectly balanced. */
    if (mean > 0.0)
        for (size_t z = 0; z < p->k; z++) {
            double d = fabs(load[z] - mean) / mean;
            if (d > dev)
                dev = d;
            within -= d > tol;
        }
    p->balance.within = within;
    p->balance.tolerance = tol;
    p->balance.maxdev = dev;
    p->balance.met = dev <= tol;
}

zs_status zs_part_balance(zs_partition *p, const double *w, double tol, zs_err *err)
{
    double *load = zs_calloc(p->k, sizeof *load);
    if (!load)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < p->n; i++)
        load[p->zone[i]] += w ? w[i] : 1.0;
    judge(p, load, tol);
    zs_free(load);
    return ZS_OK;
}

zs_status zs_part_balance_work(zs_partition *p, const double *x, const double *y,
                               const double *w, const zs_zone_work *m, double tol, zs_err *err)
{
    zs_zone_work def;
    if (!m) {
        zs_zone_work_defaults(&def);
        m = &def;
    }
    size_t k = p->k ? p->k : 1;
    if (!p->balance.door_min || !p->balance.travel_min) {
        zs_free(p->balance.door_min);
        zs_free(p->balance.travel_min);
        p->balance.door_min = zs_calloc(k, sizeof *p->balance.door_min);
        p->balance.travel_min = zs_calloc(k, sizeof *p->balance.travel_min);
        zs_status st = ZS_OK;
        if (!p->balance.door_min || !p->balance.travel_min)
            st = ZS_NOMEM(err);
        else
            st = zs_zone_work_plan(m, x, y, w, p->zone, p->n, p->k, p->balance.door_min,
                                   p->balance.travel_min, err);
        if (st != ZS_OK) {
            zs_free(p->balance.door_min);
            zs_free(p->balance.travel_min);
            p->balance.door_min = p->balance.travel_min = NULL;
            return st;
        }
    }
    double *work = zs_malloc_array(k, sizeof *work);
    if (!work)
        return ZS_NOMEM(err);
    for (size_t z = 0; z < p->k; z++)
        work[z] = p->balance.door_min[z] + p->balance.travel_min[z];
    judge(p, work, tol);
    zs_free(work);
    return ZS_OK;
}

zs_status zs_partition_zone_work(const zs_partition *p, const zs_zone_work *m, const double *x,
                                 const double *y, const double *w, double *door, double *travel,
                                 zs_err *err)
{
    if (p->balance.door_min && p->balance.travel_min) {
        memcpy(door, p->balance.door_min, p->k * sizeof *door);
        memcpy(travel, p->balance.travel_min, p->k * sizeof *travel);
        return ZS_OK;
    }
    return zs_zone_work_plan(m, x, y, w, p->zone, p->n, p->k, door, travel, err);
}

size_t zs_part_fill_empty(int32_t *zone, size_t *cnt, size_t n, size_t k, const double *x,
                          const double *y, const double *cx, const double *cy)
{
    size_t moved = 0;
    for (size_t c = 0; c < k; c++) {
        if (cnt[c] > 0)
            continue;
        size_t best = n;
        double bd = -1.0;
        for (size_t i = 0; i < n; i++) {
            size_t z = (size_t)zone[i];
            if (cnt[z] < 2)
                continue;
            double dx = x[i] - cx[z], dy = y[i] - cy[z], d = dx * dx + dy * dy;
            if (d > bd) {
                bd = d;
                best = i;
            }
        }
        if (best == n)
            break; /* impossible while k <= n */
        cnt[zone[best]]--;
        zone[best] = (int32_t)c;
        cnt[c] = 1;
        moved++;
    }
    return moved;
}
