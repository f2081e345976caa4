/*
 * engine/network/paths.c -- Dijkstra on the street graph, snapped
 * locations, per-zone matrices (see paths.h).
 *
 * The search's arrays are stamped with a generation number instead of
 * being cleared, so a search costs what it visits, not the graph's size.
 * The heap holds (seconds, node) pairs with lazy deletion; equal seconds
 * pop the lower node first.
 */
#include "network/paths.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "models/alloc.h"
#include "network/route.h"

typedef struct {
    double key;
    uint32_t node;
} heap_item;

struct zs_paths_ws {
    size_t n;
    double *sec, *len;
    uint32_t *seen;      /* generation in which sec/len were set */
    uint32_t *done;      /* generation in which the node was settled */
    uint32_t *want;      /* generation in which the node is a target end */
    uint32_t gen;
    heap_item *heap;
    size_t heap_n, heap_cap;
};

zs_paths_ws *zs_paths_ws_create(const zs_roads *g)
{
    zs_paths_ws *ws = zs_calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    size_t n = g->n ? g->n : 1;
    ws->n = g->n;
    ws->sec = zs_malloc_array(n, sizeof *ws->sec);
    ws->len = zs_malloc_array(n, sizeof *ws->len);
    ws->seen = zs_calloc(n, sizeof *ws->seen);
    ws->done = zs_calloc(n, sizeof *ws->done);
    ws->want = zs_calloc(n, sizeof *ws->want);
    ws->heap_cap = g->out_start[g->n] + 16;
    ws->heap = zs_malloc_array(ws->heap_cap, sizeof *ws->heap);
    if (!ws->sec || !ws->len || !ws->seen || !ws->done || !ws->want || !ws->heap) {
        zs_paths_ws_free(ws);
        return NULL;
    }
    return ws;
}

void zs_paths_ws_free(zs_paths_ws *ws)
{
    if (!ws)
        return;
    free(ws->sec);
    free(ws->len);
    free(ws->seen);
    free(ws->done);
    free(ws->want);
    free(ws->heap);
    free(ws);
}

static inline int before(heap_item a, heap_item b)
{
    return a.key < b.key || (a.key == b.key && a.node < b.node);
}

static void heap_push(zs_paths_ws *ws, double key, uint32_t node)
{
    if (ws->heap_n == ws->heap_cap) {
        /* Lazy deletion can hold an entry per relaxation: the edge count
         * plus the seeds bounds it, but grow rather than trust that. */
        size_t cap = ws->heap_cap * 2;
        heap_item *h = zs_realloc(ws->heap, cap * sizeof *h);
        if (!h)
            abort(); /* cannot happen: capacity is the edge count + 16 */
        ws->heap = h;
        ws->heap_cap = cap;
    }
    size_t i = ws->heap_n++;
    heap_item it = {key, node};
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(it, ws->heap[p]))
            break;
        ws->heap[i] = ws->heap[p];
        i = p;
    }
    ws->heap[i] = it;
}

static heap_item heap_pop(zs_paths_ws *ws)
{
    heap_item top = ws->heap[0], last = ws->heap[--ws->heap_n];
    size_t i = 0, n = ws->heap_n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(ws->heap[c + 1], ws->heap[c]))
            c++;
        if (!before(ws->heap[c], last))
            break;
        ws->heap[i] = ws->heap[c];
        i = c;
    }
    if (n > 0)
        ws->heap[i] = last;
    return top;
}

static void relax(zs_paths_ws *ws, uint32_t v, double sec, double len)
{
    if (ws->seen[v] != ws->gen || sec < ws->sec[v]) {
        ws->seen[v] = ws->gen;
        ws->sec[v] = sec;
        ws->len[v] = len;
        heap_push(ws, sec, v);
    }
}

/* Reached time and length of node v in this generation (HUGE_VAL if not). */
static double reached(const zs_paths_ws *ws, uint32_t v, double *len)
{
    if (ws->done[v] != ws->gen) {
        *len = HUGE_VAL;
        return HUGE_VAL;
    }
    *len = ws->len[v];
    return ws->sec[v];
}

/* Costs between a location and its segment's ends u and v: leaving it
 * (leaving 1: to u against the segment's direction, to v along it) or
 * arriving at it (leaving 0: from u along, from v against).  c[0], c[1]:
 * seconds and metres at u's side; c[2], c[3]: at v's.  HUGE_VAL seconds
 * where the segment's direction forbids it; 0 when the location is that
 * end. */
static void end_costs(const zs_roads *g, const zs_snap *a, int leaving, double c[4])
{
    uint32_t s = a->seg;
    double t = a->t;
    double su = leaving ? g->seg_s_vu[s] : g->seg_s_uv[s];
    double sv = leaving ? g->seg_s_uv[s] : g->seg_s_vu[s];
    c[0] = t == 0.0 ? 0.0 : su < HUGE_VAL ? t * su : HUGE_VAL;
    c[1] = t == 0.0 ? 0.0 : t * g->seg_m[s];
    c[2] = t == 1.0 ? 0.0 : sv < HUGE_VAL ? (1.0 - t) * sv : HUGE_VAL;
    c[3] = t == 1.0 ? 0.0 : (1.0 - t) * g->seg_m[s];
}

/* Dijkstra from one location to many (rev 0: one is the start, costs of
 * leaving it seed the search, which follows edges forwards) or from many
 * to one (rev 1: one is the end, costs of arriving at it seed a search
 * that follows edges backwards, so node values are times TO the end). */
static void search(zs_paths_ws *ws, const zs_roads *g, int rev, const zs_snap *one,
                   const zs_snap *many, size_t m, double *sec, double *len)
{
    if (++ws->gen == 0) { /* wrapped: clear the stamps once */
        memset(ws->seen, 0, ws->n * sizeof *ws->seen);
        memset(ws->done, 0, ws->n * sizeof *ws->done);
        memset(ws->want, 0, ws->n * sizeof *ws->want);
        ws->gen = 1;
    }
    ws->heap_n = 0;
    size_t left = 0;
    for (size_t j = 0; j < m; j++) {
        double c[4];
        end_costs(g, &many[j], rev, c);
        uint32_t s = many[j].seg;
        if (c[0] < HUGE_VAL && ws->want[g->seg_u[s]] != ws->gen) {
            ws->want[g->seg_u[s]] = ws->gen;
            left++;
        }
        if (c[2] < HUGE_VAL && ws->want[g->seg_v[s]] != ws->gen) {
            ws->want[g->seg_v[s]] = ws->gen;
            left++;
        }
    }
    uint32_t os = one->seg;
    double sc[4];
    end_costs(g, one, !rev, sc);
    if (sc[2] < HUGE_VAL)
        relax(ws, g->seg_v[os], sc[2], sc[3]);
    if (sc[0] < HUGE_VAL)
        relax(ws, g->seg_u[os], sc[0], sc[1]);
    const size_t *start = rev ? g->in_start : g->out_start;
    const uint32_t *to = rev ? g->in_from : g->out_to;
    const double *es = rev ? g->in_s : g->out_s, *em = rev ? g->in_m : g->out_m;
    while (ws->heap_n > 0 && left > 0) {
        heap_item it = heap_pop(ws);
        uint32_t u = it.node;
        if (ws->done[u] == ws->gen || it.key > ws->sec[u])
            continue;
        ws->done[u] = ws->gen;
        if (ws->want[u] == ws->gen)
            left--;
        double su = ws->sec[u], lu = ws->len[u];
        for (size_t e = start[u]; e < start[u + 1]; e++) {
            uint32_t v = to[e];
            if (ws->done[v] != ws->gen)
                relax(ws, v, su + es[e], lu + em[e]);
        }
    }
    for (size_t j = 0; j < m; j++) {
        uint32_t s = many[j].seg;
        double best = HUGE_VAL, blen = HUGE_VAL, l, c[4];
        end_costs(g, &many[j], rev, c);
        if (c[0] < HUGE_VAL) {
            double a = reached(ws, g->seg_u[s], &l);
            if (a < HUGE_VAL && a + c[0] < best) {
                best = a + c[0];
                blen = l + c[1];
            }
        }
        if (c[2] < HUGE_VAL) {
            double b = reached(ws, g->seg_v[s], &l);
            if (b < HUGE_VAL && b + c[2] < best) {
                best = b + c[2];
                blen = l + c[3];
            }
        }
        if (s == os) { /* straight along the shared segment, start ft to end tt */
            double ft = rev ? many[j].t : one->t, tt = rev ? one->t : many[j].t;
            if (tt >= ft && g->seg_s_uv[s] < HUGE_VAL && (tt - ft) * g->seg_s_uv[s] <= best) {
                best = (tt - ft) * g->seg_s_uv[s];
                blen = (tt - ft) * g->seg_m[s];
            }
            if (tt <= ft && g->seg_s_vu[s] < HUGE_VAL && (ft - tt) * g->seg_s_vu[s] <= best) {
                best = (ft - tt) * g->seg_s_vu[s];
                blen = (ft - tt) * g->seg_m[s];
            }
        }
        sec[j] = best;
        len[j] = blen;
    }
}

void zs_paths_one_to_many(zs_paths_ws *ws, const zs_roads *g, const zs_snap *from,
                          const zs_snap *to, size_t m, double *sec, double *len)
{
    search(ws, g, 0, from, to, m, sec, len);
}

void zs_paths_many_to_one(zs_paths_ws *ws, const zs_roads *g, const zs_snap *from, size_t m,
                          const zs_snap *to, double *sec, double *len)
{
    search(ws, g, 1, to, from, m, sec, len);
}

/* ---- the network of a run's points ---- */

zs_status zs_net_create(const zs_roads *g, const zs_profile *p, const double *x,
                        const double *y, char *const *ids, size_t n, double depot_x,
                        double depot_y, double max_snap_m, zs_net **out, zs_err *err)
{
    *out = NULL;
    zs_net *net = zs_calloc(1, sizeof *net);
    if (!net || !(net->snap = zs_malloc_array(n + 1, sizeof *net->snap))) {
        zs_net_free(net);
        return ZS_NOMEM(err);
    }
    net->g = g;
    net->n = n;
    net->walk_mps = p->walk_kmh / 3.6;
    for (size_t i = 0; i <= n; i++) {
        double px = i < n ? x[i] : depot_x, py = i < n ? y[i] : depot_y;
        if (zs_roads_snap(g, px, py, max_snap_m, &net->snap[i]))
            continue;
        zs_snap far;
        double d = zs_roads_snap(g, px, py, HUGE_VAL, &far) ? far.snap_m : HUGE_VAL;
        if (i < n && ids)
            zs_err_set(err, ZS_EINPUT, "point '%s' (data row %zu) is %.0f m from the nearest "
                       "street a %s may use (limit %.0f m, network.snap_max_m): outside the "
                       "extract, or on a street the profile cannot use", ids[i], i + 1, d,
                       zs_profile_name(p->kind), max_snap_m);
        else if (i < n)
            zs_err_set(err, ZS_EINPUT, "point in data row %zu is %.0f m from the nearest street "
                       "a %s may use (limit %.0f m, network.snap_max_m)", i + 1, d,
                       zs_profile_name(p->kind), max_snap_m);
        else
            zs_err_set(err, ZS_EINPUT, "the depot is %.0f m from the nearest street a %s may "
                       "use (limit %.0f m, network.snap_max_m)", d, zs_profile_name(p->kind),
                       max_snap_m);
        zs_net_free(net);
        return ZS_EINPUT;
    }
    double sum = 0.0, mx = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum += net->snap[i].snap_m;
        if (net->snap[i].snap_m > mx)
            mx = net->snap[i].snap_m;
    }
    net->snap_mean_m = n ? sum / (double)n : 0.0;
    net->snap_max_m = mx;
    zs_paths_ws *ws = zs_paths_ws_create(g);
    net->dep_out_s = zs_malloc_array(n + 1, sizeof *net->dep_out_s);
    net->dep_out_m = zs_malloc_array(n + 1, sizeof *net->dep_out_m);
    net->dep_in_s = zs_malloc_array(n + 1, sizeof *net->dep_in_s);
    net->dep_in_m = zs_malloc_array(n + 1, sizeof *net->dep_in_m);
    if (!ws || !net->dep_out_s || !net->dep_out_m || !net->dep_in_s || !net->dep_in_m) {
        zs_paths_ws_free(ws);
        zs_net_free(net);
        return ZS_NOMEM(err);
    }
    zs_paths_one_to_many(ws, g, &net->snap[n], net->snap, n, net->dep_out_s, net->dep_out_m);
    zs_paths_many_to_one(ws, g, net->snap, n, &net->snap[n], net->dep_in_s, net->dep_in_m);
    for (size_t i = 0; i < n; i++) {
        double walk = (net->snap[i].snap_m + net->snap[n].snap_m) / net->walk_mps;
        net->dep_out_s[i] += walk;
        net->dep_in_s[i] += walk;
    }
    zs_paths_ws_free(ws);
    *out = net;
    return ZS_OK;
}

void zs_net_free(zs_net *net)
{
    if (!net)
        return;
    free(net->snap);
    free(net->dep_out_s);
    free(net->dep_out_m);
    free(net->dep_in_s);
    free(net->dep_in_m);
    free(net);
}

static inline double walk_s(const zs_net *net, size_t a, size_t b)
{
    return (net->snap[a].snap_m + net->snap[b].snap_m) / net->walk_mps;
}

double zs_net_leg_search(const zs_net *net, zs_paths_ws *ws, size_t a, size_t b, double *len_m)
{
    if (a == b) {
        if (len_m)
            *len_m = 0.0;
        return 0.0;
    }
    double s, l;
    zs_paths_one_to_many(ws, net->g, &net->snap[a], &net->snap[b], 1, &s, &l);
    if (len_m)
        *len_m = l;
    return s + walk_s(net, a, b);
}

/* ---- per-zone matrices ---- */

struct zs_net_plan {
    const zs_net *net;
    const int32_t *zone;    /* borrowed: n */
    size_t k;
    uint32_t *pos;          /* n: index of each point in its zone's matrix (depot 0) */
    size_t *size;           /* k: matrix side (points + 1) */
    size_t *start;          /* k: offset of each matrix */
    float *sec, *len;
};

zs_status zs_net_plan_create(const zs_net *net, const int32_t *zone, size_t k, int threads,
                             zs_net_plan **out, zs_err *err)
{
    *out = NULL;
    size_t n = net->n;
    zs_net_plan *p = zs_calloc(1, sizeof *p);
    if (!p)
        return ZS_NOMEM(err);
    p->net = net;
    p->zone = zone;
    p->k = k;
    p->pos = zs_malloc_array(n + 1, sizeof *p->pos);
    p->size = zs_calloc(k + 1, sizeof *p->size);
    p->start = zs_calloc(k + 1, sizeof *p->start);
    size_t *memstart = zs_calloc(k + 2, sizeof *memstart);
    uint32_t *mem = zs_malloc_array(n + k + 1, sizeof *mem); /* each zone: depot + points */
    if (!p->pos || !p->size || !p->start || !memstart || !mem) {
        free(memstart);
        free(mem);
        zs_net_plan_free(p);
        return ZS_NOMEM(err);
    }
    for (size_t z = 0; z < k; z++)
        p->size[z] = 1;
    for (size_t i = 0; i < n; i++)
        p->pos[i] = (uint32_t)p->size[zone[i]]++;
    size_t total = 0, rows = 0;
    for (size_t z = 0; z < k; z++) {
        p->start[z] = total;
        total += p->size[z] * p->size[z];
        rows += p->size[z];
        memstart[z + 1] = memstart[z] + p->size[z];
    }
    /* mem: per zone, the depot then its points in point order. */
    for (size_t z = 0; z < k; z++)
        mem[memstart[z]] = (uint32_t)n;
    for (size_t i = 0; i < n; i++)
        mem[memstart[zone[i]] + p->pos[i]] = (uint32_t)i;
    p->sec = zs_malloc_array(total + 1, sizeof *p->sec);
    p->len = zs_malloc_array(total + 1, sizeof *p->len);
    if (!p->sec || !p->len) {
        free(memstart);
        free(mem);
        zs_net_plan_free(p);
        return ZS_NOMEM(err);
    }
    int failed = 0, nthreads = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel num_threads(nthreads)
    {
        zs_paths_ws *ws = zs_paths_ws_create(net->g);
        size_t cap = 0;
        zs_snap *to = NULL;
        double *s = NULL, *l = NULL;
        if (!ws) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 4)
        for (size_t r = 0; r < rows; r++) {
            if (!ws || failed)
                continue;
            /* Row r: zone z, row index a within it. */
            size_t lo = 0, hi = k; /* the z with memstart[z] <= r < memstart[z + 1] */
            while (lo + 1 < hi) {
                size_t mid = (lo + hi) / 2;
                if (memstart[mid] <= r)
                    lo = mid;
                else
                    hi = mid;
            }
            size_t z = lo;
            size_t a = r - memstart[z], m = p->size[z];
            if (m > cap) {
                free(to); free(s); free(l);
                cap = m;
                to = zs_malloc_array(cap, sizeof *to);
                s = zs_malloc_array(cap, sizeof *s);
                l = zs_malloc_array(cap, sizeof *l);
                if (!to || !s || !l) {
#pragma omp atomic write
                    failed = 1;
                    cap = 0;
                    continue;
                }
            }
            const uint32_t *zm = mem + memstart[z];
            float *rs = p->sec + p->start[z] + a * m, *rl = p->len + p->start[z] + a * m;
            if (a == 0) { /* the depot's row: one search for all, done */
                rs[0] = rl[0] = 0.0f;
                for (size_t b = 1; b < m; b++) {
                    rs[b] = (float)net->dep_out_s[zm[b]];
                    rl[b] = (float)net->dep_out_m[zm[b]];
                }
                continue;
            }
            /* A point's row: a search that stops at the zone's points (the
             * depot's column comes from the search towards it). */
            for (size_t b = 1; b < m; b++)
                to[b - 1] = net->snap[zm[b]];
            zs_paths_one_to_many(ws, net->g, &net->snap[zm[a]], to, m - 1, s, l);
            rs[0] = (float)net->dep_in_s[zm[a]];
            rl[0] = (float)net->dep_in_m[zm[a]];
            for (size_t b = 1; b < m; b++) {
                if (b == a) {
                    rs[b] = 0.0f;
                    rl[b] = 0.0f;
                } else {
                    rs[b] = (float)(s[b - 1] + walk_s(net, zm[a], zm[b]));
                    rl[b] = (float)l[b - 1];
                }
            }
        }
        free(to); free(s); free(l);
        zs_paths_ws_free(ws);
    }
    free(memstart);
    free(mem);
    if (failed) {
        zs_net_plan_free(p);
        return ZS_NOMEM(err);
    }
    *out = p;
    return ZS_OK;
}

void zs_net_plan_free(zs_net_plan *p)
{
    if (!p)
        return;
    free(p->pos);
    free(p->size);
    free(p->start);
    free(p->sec);
    free(p->len);
    free(p);
}

const zs_net *zs_net_plan_net(const zs_net_plan *p)
{
    return p->net;
}

double zs_net_plan_leg(const zs_net_plan *p, zs_paths_ws *ws, size_t a, size_t b,
                       double *len_m)
{
    size_t n = p->net->n;
    if (a == b) {
        if (len_m)
            *len_m = 0.0;
        return 0.0;
    }
    size_t z;
    if (a == n)
        z = (size_t)p->zone[b];
    else if (b == n || p->zone[a] == p->zone[b])
        z = (size_t)p->zone[a];
    else
        return zs_net_leg_search(p->net, ws, a, b, len_m);
    size_t ia = a == n ? 0 : p->pos[a], ib = b == n ? 0 : p->pos[b];
    size_t at = p->start[z] + ia * p->size[z] + ib;
    if (len_m)
        *len_m = p->len[at];
    return p->sec[at];
}

/* ---- a plan's legs for route.h's tours -------------------------------- */

double zs_net_leg_eq(void *ctx, size_t a, size_t b)
{
    const zs_net_legs *L = ctx;
    size_t u = a == ZS_ROUTE_DEPOT ? L->n : a, v = b == ZS_ROUTE_DEPOT ? L->n : b;
    return zs_net_plan_leg(L->np, L->pws, u, v, NULL) * L->eq;
}

double zs_net_leg_road(void *ctx, size_t a, size_t b)
{
    const zs_net_legs *L = ctx;
    size_t u = a == ZS_ROUTE_DEPOT ? L->n : a, v = b == ZS_ROUTE_DEPOT ? L->n : b;
    double len;
    zs_net_plan_leg(L->np, L->pws, u, v, &len);
    return len;
}

double zs_net_leg_both(const zs_net_legs *L, size_t a, size_t b, double *road)
{
    size_t u = a == ZS_ROUTE_DEPOT ? L->n : a, v = b == ZS_ROUTE_DEPOT ? L->n : b;
    double len;
    double sec = zs_net_plan_leg(L->np, L->pws, u, v, &len);
    *road += len;
    return sec * L->eq;
}
