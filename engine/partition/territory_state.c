/*
 * engine/partition/territory_state.c -- the territory method's working
 * state (territory_internal.h): zone membership with running work sums,
 * the connectivity test a move must pass, the zone adjacency the local
 * search keeps, and a small heap.
 */
#include "partition/territory_internal.h"

#include <math.h>
#include <string.h>

#include "models/alloc.h"

int zs_terr_cmp_u64(const void *a, const void *b)
{
    uint64_t p = *(const uint64_t *)a, q = *(const uint64_t *)b;
    return p < q ? -1 : p > q;
}

static int hless(const hitem *p, const hitem *q)
{
    return p->key < q->key || (p->key == q->key && p->id < q->id);
}

int zs_terr_heap_push(heap *h, double key, uint32_t id)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 8;
        hitem *na = zs_realloc(h->a, cap * sizeof *na);
        if (!na)
            return -1;
        h->a = na;
        h->cap = cap;
    }
    size_t i = h->n++;
    h->a[i] = (hitem){key, id};
    while (i && hless(&h->a[i], &h->a[(i - 1) / 2])) {
        hitem t = h->a[i];
        h->a[i] = h->a[(i - 1) / 2];
        h->a[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
    return 0;
}

hitem zs_terr_heap_pop(heap *h)
{
    hitem top = h->a[0];
    h->a[0] = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && hless(&h->a[l], &h->a[m]))
            m = l;
        if (r < h->n && hless(&h->a[r], &h->a[m]))
            m = r;
        if (m == i)
            break;
        hitem t = h->a[i];
        h->a[i] = h->a[m];
        h->a[m] = t;
        i = m;
    }
    return top;
}

void zs_terr_link_in(terr *t, uint32_t i, int32_t z)
{
    t->zone[i] = z;
    t->prev[i] = NIL;
    t->next[i] = t->head[z];
    if (t->head[z] != NIL)
        t->prev[t->head[z]] = i;
    t->head[z] = i;
    t->size[z]++;
    zs_zone_sums_add(&t->s[z], t->m, t->x, t->y, t->w, i, 1.0);
    double W = zs_zone_work_total(t->m, &t->s[z]);
    t->sumW += W - t->W[z];
    t->W[z] = W;
}

void zs_terr_link_out(terr *t, uint32_t i)
{
    int32_t z = t->zone[i];
    if (t->prev[i] != NIL)
        t->next[t->prev[i]] = t->next[i];
    else
        t->head[z] = t->next[i];
    if (t->next[i] != NIL)
        t->prev[t->next[i]] = t->prev[i];
    t->size[z]--;
    zs_zone_sums_add(&t->s[z], t->m, t->x, t->y, t->w, i, -1.0);
    if (!t->size[z])
        memset(&t->s[z], 0, sizeof t->s[z]); /* no rounding residue in an empty zone */
    double W = zs_zone_work_total(t->m, &t->s[z]);
    t->sumW += W - t->W[z];
    t->W[z] = W;
    t->zone[i] = -1;
}

/* ---- zone adjacency ---------------------------------------------------------- */

/* Where zone b is in l, or where it would go. */
static size_t zlist_find(const zlist *l, int32_t b)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->a[mid].zone < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Room for `more` new zones in l; -1 out of memory. */
static int zlist_reserve(zlist *l, size_t more)
{
    if (l->n + more <= l->cap)
        return 0;
    size_t cap = l->cap ? l->cap : 8;
    while (cap < l->n + more)
        cap *= 2;
    zlink *na = zs_realloc(l->a, cap * sizeof *na);
    if (!na)
        return -1;
    l->a = na;
    l->cap = cap;
    return 0;
}

/* One edge more (up) or less between l's zone and zone b; room reserved. */
static void zlist_edge(zlist *l, int32_t b, int up)
{
    size_t p = zlist_find(l, b);
    if (p < l->n && l->a[p].zone == b) {
        if (up)
            l->a[p].edges++;
        else if (!--l->a[p].edges) {
            memmove(l->a + p, l->a + p + 1, (l->n - p - 1) * sizeof *l->a);
            l->n--;
        }
        return;
    }
    /* an edge less between zones with none cannot happen: build and move
     * count every edge from both sides */
    memmove(l->a + p + 1, l->a + p, (l->n - p) * sizeof *l->a);
    l->a[p] = (zlink){b, 1};
    l->n++;
}

void zs_terr_zadj_free(terr *t)
{
    if (t->zadj)
        for (size_t z = 0; z < t->k; z++)
            zs_free(t->zadj[z].a);
    zs_free(t->zadj);
    zs_free(t->zfrom);
    zs_free(t->zq);
    t->zadj = NULL;
    t->zfrom = NULL;
    t->zq = NULL;
}

/* Each edge counted from its end in zone a into a's list: the graph is
 * symmetric, so b's list gets the same edge from the other end. */
zs_status zs_terr_zadj_build(terr *t, zs_err *err)
{
    zs_terr_zadj_free(t);
    t->zadj = zs_calloc(t->k, sizeof *t->zadj);
    t->zfrom = zs_malloc_array(t->k, sizeof *t->zfrom);
    t->zq = zs_malloc_array(t->k, sizeof *t->zq);
    if (!t->zadj || !t->zfrom || !t->zq)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < t->n; i++) {
        int32_t a = t->zone[i];
        for (size_t j = t->start[i]; j < t->start[i + 1]; j++) {
            int32_t b = t->zone[t->nbr[j]];
            if (b == a)
                continue;
            if (zlist_reserve(&t->zadj[a], 1) < 0)
                return ZS_NOMEM(err);
            zlist_edge(&t->zadj[a], b, 1);
        }
    }
    return ZS_OK;
}

int zs_terr_move(terr *t, uint32_t i, int32_t to)
{
    int32_t from = t->zone[i];
    size_t s = t->start[i], e = t->start[i + 1];
    /* room first, so that running out of memory changes nothing */
    if (zlist_reserve(&t->zadj[to], e - s) < 0)
        return -1;
    for (size_t j = s; j < e; j++) {
        int32_t b = t->zone[t->nbr[j]];
        if (b != to && zlist_reserve(&t->zadj[b], 1) < 0)
            return -1;
    }
    for (size_t j = s; j < e; j++) {
        int32_t b = t->zone[t->nbr[j]];
        if (b != from) {
            zlist_edge(&t->zadj[from], b, 0);
            zlist_edge(&t->zadj[b], from, 0);
        }
    }
    zs_terr_link_out(t, i);
    zs_terr_link_in(t, i, to);
    for (size_t j = s; j < e; j++) {
        int32_t b = t->zone[t->nbr[j]];
        if (b != to) {
            zlist_edge(&t->zadj[to], b, 1);
            zlist_edge(&t->zadj[b], to, 1);
        }
    }
    return 0;
}

uint32_t zs_terr_stamp(terr *t)
{
    if (++t->cur == 0) {
        memset(t->stamp, 0, t->n * sizeof *t->stamp);
        t->cur = 1;
    }
    return t->cur;
}

/* Neighbours of a point checked for a path among themselves before the
 * search through the zone (a Delaunay point has 6 on average). */
#define LOCAL_MAX 16

int zs_terr_can_leave(terr *t, uint32_t i)
{
    int32_t a = t->zone[i];
    if (t->size[a] <= 1)
        return 0;
    uint32_t tgt = zs_terr_stamp(t);
    size_t want = 0;
    uint32_t first = NIL, local[LOCAL_MAX];
    for (size_t j = t->start[i]; j < t->start[i + 1]; j++) {
        uint32_t v = t->nbr[j];
        if (t->zone[v] == a && t->stamp[v] != tgt) {
            t->stamp[v] = tgt;
            if (want < LOCAL_MAX)
                local[want] = v;
            want++;
            if (first == NIL)
                first = v;
        }
    }
    if (want <= 1)
        return want == 1;
    /* Neighbours in the zone joined by edges among themselves (around i,
     * as in most of a zone's interior) stay joined without i: no search. */
    if (want <= LOCAL_MAX) {
        uint32_t reached = 1, todo[LOCAL_MAX];
        size_t nt = 0, got = 1;
        todo[nt++] = 0;
        while (nt && got < want) {
            uint32_t u = local[todo[--nt]];
            for (size_t j = t->start[u]; j < t->start[u + 1]; j++) {
                uint32_t v = t->nbr[j];
                if (t->stamp[v] != tgt)
                    continue;
                for (size_t q = 1; q < want; q++)
                    if (local[q] == v && !(reached >> q & 1)) {
                        reached |= 1u << q;
                        todo[nt++] = (uint32_t)q;
                        got++;
                    }
            }
        }
        if (got == want)
            return 1;
    }
    /* Breadth-first from one neighbour inside the zone, around i. */
    uint32_t seen = zs_terr_stamp(t);
    size_t qh = 0, qt = 0, found = 1;
    t->queue[qt++] = first;
    t->stamp[first] = seen;
    t->stamp[i] = seen;
    while (qh < qt && found < want) {
        uint32_t u = t->queue[qh++];
        for (size_t j = t->start[u]; j < t->start[u + 1]; j++) {
            uint32_t v = t->nbr[j];
            if (t->zone[v] != a || t->stamp[v] == seen)
                continue;
            if (t->stamp[v] == tgt)
                found++;
            t->stamp[v] = seen;
            t->queue[qt++] = v;
        }
    }
    return found >= want;
}

void zs_terr_centre(const terr *t, int32_t z, double *cx, double *cy)
{
    const zs_zone_sums *s = &t->s[z];
    if (s->stops > 0) {
        *cx = s->sx / s->stops;
        *cy = s->sy / s->stops;
    } else {
        *cx = t->x[t->head[z]];
        *cy = t->y[t->head[z]];
    }
}

double zs_terr_max_dev(const terr *t, size_t *arg)
{
    double mean = t->sumW / (double)t->k, worst = -1;
    for (size_t z = 0; z < t->k; z++) {
        double d = fabs(zs_terr_dev(t->W[z], mean));
        if (d > worst) {
            worst = d;
            *arg = z;
        }
    }
    return worst;
}

/* The best point of zone a to hand to neighbouring zone b: adjacent to b,
 * able to leave a, bringing b's work nearest to target (a point's share
 * of work rounds that to 1% of target), then nearest to b's centre
 * relative to a's.  NIL if none. */
void zs_terr_reset(terr *t)
{
    for (size_t i = 0; i < t->n; i++)
        t->zone[i] = -1;
    for (size_t z = 0; z < t->k; z++) {
        t->head[z] = NIL;
        t->size[z] = 0;
        t->W[z] = 0;
        memset(&t->s[z], 0, sizeof t->s[z]);
    }
    t->sumW = 0;
}

/* One growth from the seeds: the zone with the least mult x work takes
 * its frontier point nearest to its seed. */