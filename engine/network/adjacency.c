/*
 * engine/network/adjacency.c -- the points' neighbour graph (see
 * adjacency.h): Delaunay edges less long and barrier edges, long edges
 * restored where the graph would fall apart, dual areas, parts.
 */
#include "network/adjacency.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "network/geom.h"

void zs_adjacency_opts_defaults(zs_adjacency_opts *o)
{
    o->long_factor = 3.0;
    o->barriers = NULL;
}

void zs_adjacency_free(zs_adjacency *g)
{
    if (!g)
        return;
    zs_free(g->start);
    zs_free(g->nbr);
    zs_free(g->area_m2);
    zs_free(g->cut);
    zs_free(g->part);
    zs_free(g);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t p = *(const uint64_t *)a, q = *(const uint64_t *)b;
    return p < q ? -1 : p > q;
}

/* Sorts the n keys ascending, least significant 16-bit digit first,
 * skipping digits every key shares (the same order as qsort with cmp_u64,
 * which took about a second for the 6 million edge keys of 10^6 points).
 * -1 when out of memory, the keys untouched. */
static int sort_u64(uint64_t *a, size_t n)
{
    uint64_t *tmp = zs_malloc_array(n ? n : 1, sizeof *tmp);
    size_t *cnt = zs_malloc_array((size_t)1 << 16, sizeof *cnt);
    if (!tmp || !cnt) {
        zs_free(tmp);
        zs_free(cnt);
        return -1;
    }
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++) {
        all_or |= a[i];
        all_and &= a[i];
    }
    for (int shift = 0; shift < 64; shift += 16) {
        if ((((all_or ^ all_and) >> shift) & 0xffff) == 0)
            continue;
        memset(cnt, 0, ((size_t)1 << 16) * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(a[i] >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < (size_t)1 << 16; d++) {
            size_t c = cnt[d];
            cnt[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[cnt[(a[i] >> shift) & 0xffff]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
    zs_free(tmp);
    zs_free(cnt);
    return 0;
}

static int cmp_dbl(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return p < q ? -1 : p > q;
}

typedef struct {
    double len;
    uint64_t key;
} lenkey;

static int cmp_lenkey(const void *a, const void *b)
{
    const lenkey *p = a, *q = b;
    if (p->len != q->len)
        return p->len < q->len ? -1 : 1;
    return p->key < q->key ? -1 : p->key > q->key;
}

static uint32_t uf_find(uint32_t *up, uint32_t a)
{
    while (up[a] != a) {
        up[a] = up[up[a]];
        a = up[a];
    }
    return a;
}

/* Joins the sets of a and b; 1 when they were apart.  The smaller root
 * becomes the parent, so the result does not depend on edge order beyond
 * which edges join. */
static int uf_join(uint32_t *up, uint32_t a, uint32_t b)
{
    a = uf_find(up, a);
    b = uf_find(up, b);
    if (a == b)
        return 0;
    if (a < b)
        up[b] = a;
    else
        up[a] = b;
    return 1;
}

#define KEY(a, b) ((uint64_t)(a) << 32 | (uint64_t)(b))
#define KA(k) ((uint32_t)((k) >> 32))
#define KB(k) ((uint32_t)((k)&0xffffffffu))

/* Index of key among the sorted keys e[0..m), or -1. */
static long find_key(const uint64_t *e, size_t m, uint64_t key)
{
    size_t lo = 0, hi = m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m && e[lo] == key ? (long)lo : -1;
}

enum { E_KEEP = 0, E_LONG = 1, E_BARRIER = 2, E_RESTORED = 3 };

zs_status zs_adjacency_build(const double *x, const double *y, size_t n,
                             const zs_adjacency_opts *opts, zs_adjacency **out, zs_err *err)
{
    *out = NULL;
    zs_adjacency_opts def;
    if (!opts) {
        zs_adjacency_opts_defaults(&def);
        opts = &def;
    }
    if (!(opts->long_factor > 1.0) || !isfinite(opts->long_factor))
        return zs_err_set(err, ZS_EINVAL, "adjacency.long_factor = %g; must be > 1",
                          opts->long_factor);
    if (n > UINT32_MAX / 2)
        return zs_err_set(err, ZS_EINVAL, "adjacency: %zu points; at most %u", n,
                          UINT32_MAX / 2);
    /* GEOS's Delaunay held 1.1 GB for 10^6 points (TECHNOTES.md), the
     * graph's own arrays a few hundred bytes more a point: refused before
     * allocating when it cannot fit (issue 22). */
    double need = (double)n * ZS_ADJACENCY_BYTES_EACH, avail = zs_mem_available();
    if (avail > 0.0 && need > avail) {
        char nb[32], ab[32];
        zs_mem_format(need, nb, sizeof nb);
        zs_mem_format(avail, ab, sizeof ab);
        return zs_err_set(err, ZS_EINPUT, "the adjacency graph of %zu points needs about %s of "
                          "memory (%d bytes a point) and %s is available: aggregate the points "
                          "first", n, nb, ZS_ADJACENCY_BYTES_EACH, ab);
    }
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return zs_err_set(err, ZS_EINVAL, "adjacency: point %zu has a coordinate that is "
                                              "not a finite number", i);

    zs_status st = ZS_OK;
    zs_adjacency *g = zs_calloc(1, sizeof *g);
    uint32_t *srt = zs_malloc_array(n ? n : 1, sizeof *srt);
    uint32_t *rep = zs_malloc_array(n ? n : 1, sizeof *rep);
    uint32_t *tri = NULL, *up = NULL;
    uint64_t *e = NULL;
    unsigned char *cls = NULL;
    double *len = NULL, *med = NULL, *scratch = NULL;
    size_t *dstart = NULL, *deg = NULL, *estart = NULL;
    lenkey *lk = NULL;
    uint64_t *all = NULL;
    size_t n_tri = 0, m = 0;
    if (!g || !srt || !rep) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    g->n = n;

    /* Representatives of equal coordinates: the lowest index. */
    if ((st = zs_geom_sort_xy(x, y, n, srt, err)) != ZS_OK)
        goto fail;
    size_t n_distinct = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && x[srt[b]] == x[srt[a]] && y[srt[b]] == y[srt[a]])
            rep[srt[b++]] = srt[a];
        srt[n_distinct++] = srt[a];
        a = b;
    }

    /* Delaunay edges between distinct points (a chain in x order when the
     * triangulation is empty: fewer than 3 distinct points or a line). */
    if ((st = zs_geom_delaunay(x, y, n, &tri, &n_tri, err)) != ZS_OK)
        goto fail;
    size_t cap = n_tri ? 3 * n_tri : (n_distinct ? n_distinct - 1 : 0);
    e = zs_malloc_array(cap ? cap : 1, sizeof *e);
    if (!e) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    if (n_tri) {
        for (size_t t = 0; t < n_tri; t++)
            for (int v = 0; v < 3; v++) {
                uint32_t a = tri[3 * t + v], b = tri[3 * t + (v + 1) % 3];
                e[m++] = a < b ? KEY(a, b) : KEY(b, a);
            }
        if (sort_u64(e, m) < 0) {
            st = ZS_NOMEM(err);
            goto fail;
        }
        size_t u = 0;
        for (size_t i = 0; i < m; i++)
            if (!u || e[i] != e[u - 1])
                e[u++] = e[i];
        m = u;
    } else {
        for (size_t i = 0; i + 1 < n_distinct; i++) {
            uint32_t a = srt[i], b = srt[i + 1];
            e[m++] = a < b ? KEY(a, b) : KEY(b, a);
        }
        qsort(e, m, sizeof *e, cmp_u64);
    }
    g->n_delaunay = m;

    /* Lengths and each point's median incident length. */
    len = zs_malloc_array(m ? m : 1, sizeof *len);
    cls = zs_calloc(m ? m : 1, 1);
    med = zs_calloc(n ? n : 1, sizeof *med);
    dstart = zs_calloc(n + 1, sizeof *dstart);
    deg = zs_calloc(n ? n : 1, sizeof *deg);
    scratch = zs_malloc_array(2 * (m ? m : 1), sizeof *scratch);
    if (!len || !cls || !med || !dstart || !deg || !scratch) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    for (size_t i = 0; i < m; i++) {
        uint32_t a = KA(e[i]), b = KB(e[i]);
        len[i] = hypot(x[a] - x[b], y[a] - y[b]);
        dstart[a + 1]++;
        dstart[b + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        dstart[i + 1] += dstart[i];
    for (size_t i = 0; i < m; i++) {
        uint32_t a = KA(e[i]), b = KB(e[i]);
        scratch[dstart[a] + deg[a]++] = len[i];
        scratch[dstart[b] + deg[b]++] = len[i];
    }
    for (size_t i = 0; i < n; i++) {
        size_t d = deg[i];
        if (!d)
            continue;
        double *v = scratch + dstart[i];
        qsort(v, d, sizeof *v, cmp_dbl);
        med[i] = d % 2 ? v[d / 2] : 0.5 * (v[d / 2 - 1] + v[d / 2]);
    }

    /* Classify, then restore long edges shortest first where they join. */
    up = zs_malloc_array(n ? n : 1, sizeof *up);
    lk = zs_malloc_array(m ? m : 1, sizeof *lk);
    if (!up || !lk) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    for (size_t i = 0; i < n; i++)
        up[i] = (uint32_t)i;
    size_t n_lk = 0;
    for (size_t i = 0; i < m; i++) {
        uint32_t a = KA(e[i]), b = KB(e[i]);
        if (opts->barriers && zs_barriers_cross(opts->barriers, x[a], y[a], x[b], y[b])) {
            cls[i] = E_BARRIER;
            g->n_barrier++;
        } else if (len[i] > opts->long_factor * fmin(med[a], med[b])) {
            cls[i] = E_LONG;
            lk[n_lk++] = (lenkey){len[i], e[i]};
        } else
            uf_join(up, a, b);
    }
    qsort(lk, n_lk, sizeof *lk, cmp_lenkey);
    for (size_t j = 0; j < n_lk; j++)
        if (uf_join(up, KA(lk[j].key), KB(lk[j].key))) {
            cls[find_key(e, m, lk[j].key)] = E_RESTORED;
            g->n_restored++;
        }
    g->n_long = n_lk - g->n_restored;
    if (g->n_barrier) {
        g->cut = zs_malloc_array(2 * g->n_barrier, sizeof *g->cut);
        if (!g->cut) {
            st = ZS_NOMEM(err);
            goto fail;
        }
        size_t c = 0;
        for (size_t i = 0; i < m; i++)
            if (cls[i] == E_BARRIER) {
                g->cut[2 * c] = KA(e[i]);
                g->cut[2 * c + 1] = KB(e[i]);
                c++;
            }
    }

    /* Areas: a third of each triangle whose three edges were kept as they
     * were (a long or barrier edge marks empty land). */
    g->area_m2 = zs_calloc(n ? n : 1, sizeof *g->area_m2);
    if (!g->area_m2) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    /* Edges by lower end (e is sorted): a triangle's edge is looked up
     * among its lower end's few, not among all m. */
    estart = zs_calloc(n + 1, sizeof *estart);
    if (!estart) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    for (size_t i = 0; i < m; i++)
        estart[KA(e[i]) + 1]++;
    for (size_t i = 0; i < n; i++)
        estart[i + 1] += estart[i];
    for (size_t t = 0; t < n_tri; t++) {
        const uint32_t *c = tri + 3 * t;
        int ok = 1;
        for (int v = 0; v < 3 && ok; v++) {
            uint32_t a = c[v], b = c[(v + 1) % 3];
            uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
            long at = find_key(e + estart[lo], estart[lo + 1] - estart[lo], KEY(lo, hi));
            ok = at >= 0 && cls[estart[lo] + (size_t)at] == E_KEEP;
        }
        if (!ok)
            continue;
        double ar = 0.5 * fabs((x[c[1]] - x[c[0]]) * (y[c[2]] - y[c[0]]) -
                               (x[c[2]] - x[c[0]]) * (y[c[1]] - y[c[0]]));
        for (int v = 0; v < 3; v++)
            g->area_m2[c[v]] += ar / 3.0;
    }

    /* Final edge list, both directions: kept and restored edges, then the
     * copies: each duplicate joins its representative and its neighbours. */
    size_t n_dup = 0, extra = 0;
    for (size_t i = 0; i < n; i++)
        if (rep[i] != i) {
            n_dup++;
            extra += 1 + (dstart[rep[i] + 1] - dstart[rep[i]]);
        }
    size_t n_all = 0;
    all = zs_malloc_array(2 * (m + extra) + 1, sizeof *all);
    if (!all) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    for (size_t i = 0; i < m; i++)
        if (cls[i] == E_KEEP || cls[i] == E_RESTORED) {
            all[n_all++] = e[i];
            all[n_all++] = KEY(KB(e[i]), KA(e[i]));
        }
    if (n_dup) {
        size_t base = n_all;
        qsort(all, base, sizeof *all, cmp_u64);
        for (size_t i = 0; i < n; i++) {
            uint32_t r = rep[i];
            if (r == i)
                continue;
            all[n_all++] = KEY(i, r);
            all[n_all++] = KEY(r, i);
            /* the representative's kept neighbours, from the sorted list so far */
            size_t lo = 0, hi = base;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (all[mid] < KEY(r, 0))
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t j = lo; j < base && KA(all[j]) == r; j++) {
                all[n_all++] = KEY(i, KB(all[j]));
                all[n_all++] = KEY(KB(all[j]), i);
            }
        }
        /* Duplicates share the representative's area equally. */
        size_t *cnt = zs_calloc(n, sizeof *cnt);
        if (!cnt) {
            st = ZS_NOMEM(err);
            goto fail;
        }
        for (size_t i = 0; i < n; i++)
            cnt[rep[i]]++;
        for (size_t i = 0; i < n; i++)
            if (rep[i] != i)
                g->area_m2[i] = g->area_m2[rep[i]] / (double)cnt[rep[i]];
        for (size_t i = 0; i < n; i++)
            if (rep[i] == i && cnt[i] > 1)
                g->area_m2[i] /= (double)cnt[i];
        zs_free(cnt);
    }
    if (sort_u64(all, n_all) < 0) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    size_t u = 0;
    for (size_t i = 0; i < n_all; i++)
        if ((!u || all[i] != all[u - 1]) && KA(all[i]) != KB(all[i]))
            all[u++] = all[i];
    n_all = u;
    g->n_edges = n_all / 2;
    g->start = zs_calloc(n + 1, sizeof *g->start);
    g->nbr = zs_malloc_array(n_all ? n_all : 1, sizeof *g->nbr);
    g->part = zs_malloc_array(n ? n : 1, sizeof *g->part);
    if (!g->start || !g->nbr || !g->part) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    for (size_t i = 0; i < n_all; i++) {
        g->start[KA(all[i]) + 1]++;
        g->nbr[i] = KB(all[i]);
    }
    for (size_t i = 0; i < n; i++)
        g->start[i + 1] += g->start[i];

    /* Parts, numbered by their lowest point (up[] reused as the queue). */
    for (size_t i = 0; i < n; i++)
        g->part[i] = UINT32_MAX;
    for (size_t s = 0; s < n; s++) {
        if (g->part[s] != UINT32_MAX)
            continue;
        uint32_t id = (uint32_t)g->n_parts++;
        size_t qh = 0, qt = 0;
        up[qt++] = (uint32_t)s;
        g->part[s] = id;
        while (qh < qt) {
            uint32_t a = up[qh++];
            for (size_t j = g->start[a]; j < g->start[a + 1]; j++)
                if (g->part[g->nbr[j]] == UINT32_MAX) {
                    g->part[g->nbr[j]] = id;
                    up[qt++] = g->nbr[j];
                }
        }
    }
    *out = g;
    g = NULL;
fail:
    zs_adjacency_free(g);
    zs_free(srt);
    zs_free(rep);
    zs_free(tri);
    zs_free(up);
    zs_free(e);
    zs_free(cls);
    zs_free(len);
    zs_free(med);
    zs_free(scratch);
    zs_free(dstart);
    zs_free(deg);
    zs_free(estart);
    zs_free(lk);
    zs_free(all);
    return st;
}
