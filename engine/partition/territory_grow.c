/*
 * engine/partition/territory_grow.c -- steps 2 and 3 of the territory
 * method (territory.c): seeds by weighted k-means within each part, then
 * region growing, repeated with damped multipliers on the zones' work.
 */
#include "partition/territory_internal.h"

#include <math.h>
#include <string.h>

#include "models/alloc.h"

static zs_status grow_once(terr *t, const uint32_t *seed, const double *mult, heap *fr,
                           heap *zh, zs_err *err)
{
    size_t k = t->k;
    for (size_t z = 0; z < k; z++) {
        zs_terr_link_in(t, seed[z], (int32_t)z);
        if (zs_terr_heap_push(zh, mult[z] * t->W[z], (uint32_t)z) < 0)
            return ZS_NOMEM(err);
        uint32_t s = seed[z];
        for (size_t j = t->start[s]; j < t->start[s + 1]; j++) {
            uint32_t v = t->nbr[j];
            double d = hypot(t->x[v] - t->x[s], t->y[v] - t->y[s]);
            if (zs_terr_heap_push(&fr[z], d, v) < 0)
                return ZS_NOMEM(err);
        }
    }
    while (zh->n) {
        hitem top = zs_terr_heap_pop(zh);
        int32_t z = (int32_t)top.id;
        uint32_t s = seed[z], got = NIL;
        while (fr[z].n) {
            hitem c = zs_terr_heap_pop(&fr[z]);
            if (t->zone[c.id] < 0) {
                got = c.id;
                break;
            }
        }
        if (got == NIL)
            continue; /* this zone can grow no more */
        zs_terr_link_in(t, got, z);
        for (size_t j = t->start[got]; j < t->start[got + 1]; j++) {
            uint32_t v = t->nbr[j];
            if (t->zone[v] >= 0)
                continue;
            double d = hypot(t->x[v] - t->x[s], t->y[v] - t->y[s]);
            if (zs_terr_heap_push(&fr[z], d, v) < 0)
                return ZS_NOMEM(err);
        }
        if (zs_terr_heap_push(zh, mult[z] * t->W[z], (uint32_t)z) < 0)
            return ZS_NOMEM(err);
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->zone[i] < 0)
            return ZS_INTERNAL(err, "territory: point %zu was not reached by any zone", i);
    return ZS_OK;
}

/* Steps 2 and 3. */
zs_status zs_terr_grow(terr *t, const zs_partition_opts *o, zs_err *err)
{
    size_t n = t->n, k = t->k, np = t->n_parts;
    zs_status st = ZS_OK;
    double *pw = zs_calloc(np, sizeof *pw), total = 0;
    size_t *kp = zs_calloc(np, sizeof *kp), *cnt = zs_calloc(np + 1, sizeof *cnt);
    uint32_t *idx = zs_malloc_array(n, sizeof *idx);
    uint32_t *seed = zs_malloc_array(k, sizeof *seed);
    double *px = zs_malloc_array(n, sizeof *px), *py = zs_malloc_array(n, sizeof *py);
    double *pww = zs_malloc_array(n, sizeof *pww);
    heap *fr = zs_calloc(k, sizeof *fr);
    heap zh = {0};
    double *mult = zs_malloc_array(k, sizeof *mult);
    int32_t *best_zone = zs_malloc_array(n, sizeof *best_zone);
    if (!pw || !kp || !cnt || !idx || !seed || !px || !py || !pww || !fr || !mult || !best_zone) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        double wi = t->w ? t->w[i] : 1.0;
        pw[t->part[i]] += wi;
        total += wi;
        cnt[t->part[i] + 1]++;
    }
    /* zones per part: largest remainder, at least one each */
    size_t given = 0;
    for (size_t p = 0; p < np; p++) {
        double q = total > 0 ? (double)k * pw[p] / total : (double)k / (double)np;
        kp[p] = (size_t)floor(q);
        if (kp[p] < 1)
            kp[p] = 1;
        if (kp[p] > cnt[p + 1])
            kp[p] = cnt[p + 1];
        given += kp[p];
    }
    while (given != k) {
        size_t best = np;
        double bv = 0;
        for (size_t p = 0; p < np; p++) {
            double q = total > 0 ? (double)k * pw[p] / total : (double)k / (double)np;
            double v = q - (double)kp[p]; /* unmet share */
            if (given < k ? (kp[p] < cnt[p + 1] && (best == np || v > bv))
                          : (kp[p] > 1 && (best == np || v < bv))) {
                best = p;
                bv = v;
            }
        }
        if (best == np)
            break;
        if (given < k) {
            kp[best]++;
            given++;
        } else {
            kp[best]--;
            given--;
        }
    }
    if (given != k) {
        st = zs_err_set(err, ZS_EINVAL, "territory: cannot place %zu zones in %zu parts of the "
                                        "adjacency graph", k, np);
        goto done;
    }
    for (size_t p = 0; p < np; p++)
        cnt[p + 1] += cnt[p];
    {
        size_t *at = zs_malloc_array(np, sizeof *at);
        if (!at) {
            st = ZS_NOMEM(err);
            goto done;
        }
        memcpy(at, cnt, np * sizeof *at);
        for (size_t i = 0; i < n; i++)
            idx[at[t->part[i]]++] = (uint32_t)i;
        zs_free(at);
    }
    /* seeds: weighted k-means inside each part */
    size_t zbase = 0;
    uint32_t used = zs_terr_stamp(t);
    for (size_t p = 0; p < np; p++) {
        size_t a = cnt[p], m = cnt[p + 1] - a;
        for (size_t j = 0; j < m; j++) {
            px[j] = t->x[idx[a + j]];
            py[j] = t->y[idx[a + j]];
            pww[j] = t->w ? t->w[idx[a + j]] : 1.0;
        }
        zs_partition *km = NULL;
        zs_kmeans_opts ko = o->kmeans;
        ko.weighted = 1;
        ko.init_x = ko.init_y = NULL;
        if (ko.restarts < 1)
            ko.restarts = 1;
        if ((st = zs_partition_kmeans(px, py, pww, m, kp[p], &ko, &km, err)) != ZS_OK)
            goto done;
        for (size_t c = 0; c < kp[p]; c++) {
            uint32_t best = NIL;
            double bd = HUGE_VAL;
            for (size_t j = 0; j < m; j++) {
                uint32_t i = idx[a + j];
                if (t->stamp[i] == used)
                    continue;
                double d = hypot(t->x[i] - km->cx[c], t->y[i] - km->cy[c]);
                if (d < bd) {
                    bd = d;
                    best = i;
                }
            }
            seed[zbase + c] = best;
            t->stamp[best] = used;
        }
        zs_partition_free(km);
        zbase += kp[p];
    }
    /* growth, repeated with multipliers on each zone's work (a zone that
     * ended heavy waits longer next time) while that helps; the best plan
     * by largest deviation is kept */
    double best_dev = HUGE_VAL;
    for (size_t z = 0; z < k; z++)
        mult[z] = 1.0;
    for (int round = 0; round < ZS_TERRITORY_GROW_ROUNDS; round++) {
        zs_terr_reset(t);
        zh.n = 0;
        for (size_t z = 0; z < k; z++)
            fr[z].n = 0;
        if ((st = grow_once(t, seed, mult, fr, &zh, err)) != ZS_OK)
            goto done;
        size_t arg = 0;
        double dev = zs_terr_max_dev(t, &arg);
        if (dev < best_dev) {
            best_dev = dev;
            memcpy(best_zone, t->zone, n * sizeof *best_zone);
        }
        if (dev <= t->tol)
            break;
        double mean = t->sumW / (double)k;
        for (size_t z = 0; z < k; z++)
            if (mean > 0 && t->W[z] > 0)
                mult[z] *= pow(t->W[z] / mean, ZS_TERRITORY_DAMPING);
    }
    zs_terr_reset(t);
    for (size_t i = 0; i < n; i++)
        zs_terr_link_in(t, (uint32_t)i, best_zone[i]);
done:
    if (fr)
        for (size_t z = 0; z < k; z++)
            zs_free(fr[z].a);
    zs_free(fr);
    zs_free(zh.a);
    zs_free(pw);
    zs_free(kp);
    zs_free(cnt);
    zs_free(idx);
    zs_free(seed);
    zs_free(px);
    zs_free(py);
    zs_free(pww);
    zs_free(mult);
    zs_free(best_zone);
    return st;
}

/* Repair: keep each start zone's largest piece (by door work; ties: the
 * piece with the lowest point), hand the rest out breadth-first. */