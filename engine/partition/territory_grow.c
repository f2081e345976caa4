/*
 * engine/partition/territory_grow.c -- steps 2 and 3 of the territory
 * method (territory.c): seeds by weighted k-means within each part (by
 * weighted bisection in a large part), then region growing, repeated with
 * damped multipliers on the zones' work.
 */
#include "partition/territory_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"

typedef struct {
    double v;
    uint32_t i;
} vkey;

static int cmp_vkey(const void *a, const void *b)
{
    const vkey *p = a, *q = b;
    if (p->v != q->v)
        return p->v < q->v ? -1 : 1;
    return p->i < q->i ? -1 : p->i > q->i;
}

/* Each point's expected share of a zone's work (zone_work.h): its door
 * minutes, its part kappa sqrt(a s) of the in-zone tour (a zone of such
 * points sums to kappa sqrt(S A)), and its stops' share of the depot drive
 * of the zone it would be in.  That zone's stops S are the ones whose
 * work, at this point's door and tour minutes a stop (u) and its drive c,
 * makes the mean M: S = (M - c) / u, so far out a zone has fewer stops and
 * each carries more of the drive; M is the mean of the shares, found by a
 * few rounds from the zone of mean stops (the first round: what the drive
 * shares were before, which seeded too few zones far out: at 10^6 points
 * the zones beyond 50 km ended 9-10% over the mean, those inside 30 km
 * 4-7% under, more than the search could carry across).  Cells of equal
 * shares are near equal work, travel included: far out they hold fewer
 * doors. */
static void seed_work(const terr *t, double *sw)
{
    const zs_zone_work *m = t->m;
    double stops_total = 0;
    for (size_t i = 0; i < t->n; i++)
        stops_total += m->stops ? m->stops[i] : 1.0;
    double per_m = m->circuity * 60.0 / (1000.0 * m->speed_kmh);
    double mean_stops = stops_total / (double)t->k, M = 0;
    for (int round = 0; round < ZS_TERRITORY_SEED_ROUNDS; round++) {
        double sum = 0;
        for (size_t i = 0; i < t->n; i++) {
            double st = m->stops ? m->stops[i] : 1.0, own = t->w ? t->w[i] : 1.0, c = 0;
            if (m->area_m2 && m->area_m2[i] > 0 && st > 0)
                own += per_m * m->kappa * sqrt(m->area_m2[i] * st);
            if (m->has_depot)
                c = per_m * 2.0 * hypot(t->x[i] - m->depot_x, t->y[i] - m->depot_y);
            double S = mean_stops;
            if (round > 0 && st > 0) { /* the stops of a zone of mean work here */
                double u = own / st;
                S = u > 0 ? (M - c) / u : mean_stops;
                if (!(S >= 1.0))
                    S = 1.0; /* the drive alone makes the mean: a zone of one stop */
            }
            sw[i] = own + (S > 0 ? c * st / S : 0.0);
            sum += sw[i];
        }
        M = sum / (double)t->k;
        if (!m->has_depot || !(stops_total > 0))
            break;
    }
}

/* Seeds for kz zones among the m >= kz points ids[] (a part, or a piece of
 * one) with weights w (seed_work): the points are cut across the longer
 * side of their bounding box where the lower side holds floor(kz/2)
 * zones' share of the weight (at least one point per zone on each side),
 * and each side recurses; a piece with one zone is seeded at its point
 * nearest its weighted centre (ties: the lower index).  Reorders ids; key
 * is m scratch. */
static void bisect_seeds(const terr *t, const double *w, uint32_t *ids, size_t m, size_t kz,
                         vkey *key, uint32_t *seed)
{
    const double *x = t->x, *y = t->y;
    double sw = 0, sx = 0, sy = 0;
    double x0 = HUGE_VAL, x1 = -HUGE_VAL, y0 = HUGE_VAL, y1 = -HUGE_VAL;
    for (size_t j = 0; j < m; j++) {
        uint32_t i = ids[j];
        double wi = w ? w[i] : 1.0;
        sw += wi;
        sx += wi * x[i];
        sy += wi * y[i];
        x0 = fmin(x0, x[i]);
        x1 = fmax(x1, x[i]);
        y0 = fmin(y0, y[i]);
        y1 = fmax(y1, y[i]);
    }
    if (kz == 1) {
        double cx = sw > 0 ? sx / sw : 0.5 * (x0 + x1), cy = sw > 0 ? sy / sw : 0.5 * (y0 + y1);
        uint32_t best = ids[0];
        double bd = HUGE_VAL;
        for (size_t j = 0; j < m; j++) {
            uint32_t i = ids[j];
            double d = hypot(x[i] - cx, y[i] - cy);
            if (d < bd || (d == bd && i < best)) {
                bd = d;
                best = i;
            }
        }
        seed[0] = best;
        return;
    }
    const double *c = x1 - x0 >= y1 - y0 ? x : y;
    for (size_t j = 0; j < m; j++)
        key[j] = (vkey){c[ids[j]], ids[j]};
    qsort(key, m, sizeof *key, cmp_vkey);
    for (size_t j = 0; j < m; j++)
        ids[j] = key[j].i;
    size_t k1 = kz / 2, cut;
    if (sw > 0) {
        /* the cut whose lower side's work is nearest the share */
        double target = sw * (double)k1 / (double)kz, cum = 0, prev = 0;
        cut = 0;
        while (cut < m && cum < target) {
            prev = cum;
            cum += w ? w[ids[cut]] : 1.0;
            cut++;
        }
        if (cut > 0 && target - prev <= cum - target)
            cut--;
    } else {
        cut = m * k1 / kz;
    }
    if (cut < k1)
        cut = k1;
    if (cut > m - (kz - k1))
        cut = m - (kz - k1);
    bisect_seeds(t, w, ids, cut, k1, key, seed);
    bisect_seeds(t, w, ids + cut, m - cut, kz - k1, key, seed + k1);
}

/* pushed[v]: the zone that last put v on its frontier.  The same zone
 * would push the same (distance, v) again, which cannot change the order
 * of first pops, only fill the heap (2-3 copies a point). */
static zs_status grow_once(terr *t, const uint32_t *seed, const double *mult, heap *fr,
                           heap *zh, int32_t *pushed, zs_err *err)
{
    size_t k = t->k;
    for (size_t i = 0; i < t->n; i++)
        pushed[i] = -1;
    for (size_t z = 0; z < k; z++) {
        zs_terr_link_in(t, seed[z], (int32_t)z);
        if (zs_terr_heap_push(zh, mult[z] * t->W[z], (uint32_t)z) < 0)
            return ZS_NOMEM(err);
        uint32_t s = seed[z];
        for (size_t j = t->start[s]; j < t->start[s + 1]; j++) {
            uint32_t v = t->nbr[j];
            if (pushed[v] == (int32_t)z)
                continue;
            pushed[v] = (int32_t)z;
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
            if (t->zone[c.id] >= 0)
                continue;
            /* a point across a barrier line from the zone waits until the
             * zone has nothing else to take (its key lifted once) */
            if (c.key < ZS_TERRITORY_ACROSS_KEY && zs_terr_crosses(t, c.id, z)) {
                if (zs_terr_heap_push(&fr[z], c.key + ZS_TERRITORY_ACROSS_KEY, c.id) < 0)
                    return ZS_NOMEM(err);
                continue;
            }
            got = c.id;
            break;
        }
        if (got == NIL)
            continue; /* this zone can grow no more */
        zs_terr_link_in(t, got, z);
        for (size_t j = t->start[got]; j < t->start[got + 1]; j++) {
            uint32_t v = t->nbr[j];
            if (t->zone[v] >= 0 || pushed[v] == z)
                continue;
            pushed[v] = z;
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

/* Each part's work as door + in-zone tours dt[p] (minutes; kappa
 * sqrt(S_p A_p), which does not depend on how the part is cut) and the
 * drive to one of its zones and back lp[p] (twice its stops' mean distance
 * from the depot): with k_p zones each carries dt[p] / k_p + lp[p].  Door
 * minutes alone would give the parts far from the station too few zones.
 * Out of memory only loses the travel terms. */
static void part_work(const terr *t, double *dt, double *lp)
{
    size_t np = t->n_parts;
    const zs_zone_work *m = t->m;
    double *S = zs_calloc(np, sizeof *S), *A = zs_calloc(np, sizeof *A);
    double *SD = zs_calloc(np, sizeof *SD);
    double to_min = m->circuity * 60.0 / (1000.0 * m->speed_kmh);
    for (size_t p = 0; p < np; p++)
        dt[p] = lp[p] = 0;
    for (size_t i = 0; i < t->n; i++) {
        uint32_t p = t->part[i];
        double s = m->stops ? m->stops[i] : 1.0;
        dt[p] += t->w ? t->w[i] : 1.0;
        if (!S || !A || !SD)
            continue;
        S[p] += s;
        A[p] += m->area_m2 ? m->area_m2[i] : 0.0;
        if (m->has_depot)
            SD[p] += s * hypot(t->x[i] - m->depot_x, t->y[i] - m->depot_y);
    }
    for (size_t p = 0; S && A && SD && p < np; p++) {
        dt[p] += to_min * m->kappa * sqrt(S[p] * A[p]);
        lp[p] = S[p] > 0 ? to_min * 2.0 * SD[p] / S[p] : 0.0;
    }
    for (size_t p = 0; t->part_scale && p < np; p++) {
        dt[p] *= t->part_scale[p];
        lp[p] *= t->part_scale[p];
    }
    zs_free(S);
    zs_free(A);
    zs_free(SD);
}

zs_status zs_terr_part_rescale(terr *t, zs_err *err)
{
    size_t np = t->n_parts;
    if (np < 2)
        return ZS_OK;
    double *dt = zs_malloc_array(np, sizeof *dt), *lp = zs_malloc_array(np, sizeof *lp);
    double *got = zs_calloc(np, sizeof *got);
    size_t *kp = zs_calloc(np, sizeof *kp);
    if (!t->part_scale)
        t->part_scale = zs_malloc_array(np, sizeof *t->part_scale);
    if (!dt || !lp || !got || !kp || !t->part_scale) {
        zs_free(dt);
        zs_free(lp);
        zs_free(got);
        zs_free(kp);
        return ZS_NOMEM(err);
    }
    for (size_t p = 0; p < np; p++)
        t->part_scale[p] = 1.0;
    part_work(t, dt, lp);
    for (size_t z = 0; z < t->k; z++)
        if (t->head[z] != NIL) {
            got[t->part[t->head[z]]] += t->W[z];
            kp[t->part[t->head[z]]]++;
        }
    for (size_t p = 0; p < np; p++) {
        double model = dt[p] + (double)kp[p] * lp[p];
        t->part_scale[p] = kp[p] && model > 0 && got[p] > 0 ? got[p] / model : 1.0;
    }
    zs_free(dt);
    zs_free(lp);
    zs_free(got);
    zs_free(kp);
    return ZS_OK;
}

/* Largest |work per zone of a part - mean| / mean for allocation kp; *out
 * (unless NULL): the zones' squared deviations beyond the band (tol),
 * sum over parts of k_p max(0, |dev_p| - tol)^2. */
static double alloc_dev(const double *dt, const double *lp, const size_t *kp, size_t np, size_t k,
                        double tol, double *out)
{
    double total = 0, dev = 0;
    for (size_t p = 0; p < np; p++)
        total += dt[p] + (double)kp[p] * lp[p];
    double mean = total / (double)k;
    if (out)
        *out = 0;
    for (size_t p = 0; p < np; p++) {
        double d = fabs(dt[p] / (double)kp[p] + lp[p] - mean) / mean;
        dev = fmax(dev, d);
        if (out && d > tol)
            *out += (double)kp[p] * (d - tol) * (d - tol);
    }
    return dev;
}

/* The min-max allocation need not be the best one: move one zone between
 * two parts while that lowers, first, the squared excess beyond the band
 * (alloc_dev's *out), then the largest deviation of a part's work per
 * zone from the mean (cnt[p + 1]: points of part p, the most zones it can
 * take).  Min-max alone lets a part no allocation can bring into the band
 * (a small town across the river worth 0.7 of a zone) pull the others out
 * of it: lowering the mean towards that part, by giving zones to the parts
 * with the shortest drives, lowers the largest deviation and leaves every
 * zone of another part out of the band (Krems: 11 zones 18% over the mean
 * to bring one 2 points nearer).  The excess, weighted by zones, keeps the
 * others in the band; squared, it still lets no part go far out to spare
 * a few zones a little.  Inside the band the excess is 0 and min-max
 * decides. */
static void refine_allocation(const double *dt, const double *lp, size_t *kp, const size_t *cnt,
                              size_t np, size_t k, double tol)
{
    double cur_out;
    double cur = alloc_dev(dt, lp, kp, np, k, tol, &cur_out);
    for (int round = 0; round < 1000; round++) {
        size_t ba = np, bb = np;
        double best = cur, best_out = cur_out;
        for (size_t a = 0; a < np; a++)
            for (size_t b = 0; b < np; b++) {
                if (a == b || kp[a] <= 1 || kp[b] >= cnt[b + 1])
                    continue;
                kp[a]--;
                kp[b]++;
                double o;
                double d = alloc_dev(dt, lp, kp, np, k, tol, &o);
                kp[a]++;
                kp[b]--;
                if (o < best_out - 1e-12 || (o <= best_out + 1e-12 && d < best - 1e-12)) {
                    best = d;
                    best_out = o;
                    ba = a;
                    bb = b;
                }
            }
        if (ba == np)
            break;
        kp[ba]--;
        kp[bb]++;
        cur = best;
        cur_out = best_out;
    }
}

/* Zones per part for k zones: one each, then one at a time to the part
 * whose work per zone is highest (min-max over parts; see part_work),
 * then refine_allocation; kp[0..np).  Returns the zones placed (< k when
 * the parts have too few points). */
static size_t allocate(const double *dt, const double *lp, const size_t *cnt, size_t np,
                       size_t k, double tol, size_t *kp)
{
    size_t given = 0;
    for (size_t p = 0; p < np; p++) {
        kp[p] = 1;
        given++;
    }
    while (given < k) {
        size_t best = np;
        double bv = -HUGE_VAL;
        for (size_t p = 0; p < np; p++) {
            if (kp[p] >= cnt[p + 1])
                continue; /* a zone per point at most */
            double v = dt[p] / (double)kp[p] + lp[p];
            if (v > bv) {
                bv = v;
                best = p;
            }
        }
        if (best == np)
            break;
        kp[best]++;
        given++;
    }
    if (given == k)
        refine_allocation(dt, lp, kp, cnt, np, k, tol);
    return given;
}

/* When the parts' allocation alone keeps the balance out of the band, the
 * fewest extra zones (up to ZS_TERRITORY_BOUND_EXTRA x k, at least 4) whose
 * allocation fits it: t->k_within and its deviation, or 0. */
static void bound_search(terr *t, const double *dt, const double *lp, const size_t *cnt)
{
    size_t np = t->n_parts, k = t->k;
    t->k_within = 0;
    t->k_within_dev = 0;
    if (np < 2 || np > ZS_TERRITORY_BOUND_PARTS_MAX || t->alloc_dev <= t->tol)
        return;
    size_t *kq = zs_malloc_array(np, sizeof *kq);
    size_t extra = (size_t)ceil(ZS_TERRITORY_BOUND_EXTRA * (double)k);
    if (extra < 4)
        extra = 4;
    for (size_t kk = k + 1; kq && kk <= k + extra && kk <= t->n; kk++) {
        if (allocate(dt, lp, cnt, np, kk, t->tol, kq) != kk)
            break;
        double d = alloc_dev(dt, lp, kq, np, kk, t->tol, NULL);
        if (d <= t->tol) {
            t->k_within = kk;
            t->k_within_dev = d;
            break;
        }
    }
    zs_free(kq);
}

/* Steps 2 and 3. */
zs_status zs_terr_grow(terr *t, const zs_partition_opts *o, zs_err *err)
{
    size_t n = t->n, k = t->k, np = t->n_parts;
    zs_status st = ZS_OK;
    size_t *kp = zs_calloc(np, sizeof *kp), *cnt = zs_calloc(np + 1, sizeof *cnt);
    uint32_t *idx = zs_malloc_array(n, sizeof *idx);
    uint32_t *seed = zs_malloc_array(k, sizeof *seed);
    double *px = zs_malloc_array(n, sizeof *px), *py = zs_malloc_array(n, sizeof *py);
    double *pww = zs_malloc_array(n, sizeof *pww);
    heap *fr = zs_calloc(k, sizeof *fr);
    heap zh = {0};
    double *mult = zs_malloc_array(k, sizeof *mult);
    int32_t *best_zone = zs_malloc_array(n, sizeof *best_zone);
    int32_t *pushed = zs_malloc_array(n, sizeof *pushed);
    double *sw = NULL; /* n: seed_work, for a large part */
    if (!kp || !cnt || !idx || !seed || !px || !py || !pww || !fr || !mult || !best_zone ||
        !pushed) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        cnt[t->part[i] + 1]++;
    /* zones per part: one each, then one at a time to the part whose work
     * per zone is highest (min-max over parts; see part_work) */
    double *dt = zs_malloc_array(np, sizeof *dt), *lp = zs_malloc_array(np, sizeof *lp);
    if (!dt || !lp) {
        zs_free(dt);
        zs_free(lp);
        st = ZS_NOMEM(err);
        goto done;
    }
    part_work(t, dt, lp);
    size_t given = allocate(dt, lp, cnt, np, k, t->tol, kp);
    if (given == k) {
        t->alloc_dev = alloc_dev(dt, lp, kp, np, k, t->tol, NULL);
        bound_search(t, dt, lp, cnt);
    }
    zs_free(dt);
    zs_free(lp);
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
    /* seeds: weighted k-means inside each part; bisection in a large one */
    size_t zbase = 0;
    uint32_t used = zs_terr_stamp(t);
    for (size_t p = 0; p < np; p++) {
        size_t a = cnt[p], m = cnt[p + 1] - a;
        if (m > ZS_TERRITORY_KMEANS_SEEDS_MAX) {
            if (!sw) {
                if (!(sw = zs_malloc_array(n, sizeof *sw))) {
                    st = ZS_NOMEM(err);
                    goto done;
                }
                seed_work(t, sw);
            }
            vkey *key = zs_malloc_array(m, sizeof *key);
            if (!key) {
                st = ZS_NOMEM(err);
                goto done;
            }
            bisect_seeds(t, sw, idx + a, m, kp[p], key, seed + zbase);
            zs_free(key);
            zbase += kp[p];
            continue;
        }
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
    int best_round = 0;
    for (size_t z = 0; z < k; z++)
        mult[z] = 1.0;
    for (int round = 0; round < ZS_TERRITORY_GROW_ROUNDS &&
                        round - best_round <= ZS_TERRITORY_GROW_PATIENCE;
         round++) {
        zs_terr_reset(t);
        zh.n = 0;
        for (size_t z = 0; z < k; z++)
            fr[z].n = 0;
        if ((st = grow_once(t, seed, mult, fr, &zh, pushed, err)) != ZS_OK)
            goto done;
        size_t arg = 0;
        double dev = zs_terr_max_dev(t, &arg);
        if (dev < best_dev) {
            best_dev = dev;
            best_round = round;
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
    zs_free(kp);
    zs_free(cnt);
    zs_free(idx);
    zs_free(seed);
    zs_free(px);
    zs_free(py);
    zs_free(pww);
    zs_free(mult);
    zs_free(best_zone);
    zs_free(pushed);
    zs_free(sw);
    return st;
}

/* Repair: keep each start zone's largest piece (by door work; ties: the
 * piece with the lowest point), hand the rest out breadth-first. */