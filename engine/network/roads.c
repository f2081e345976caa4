/*
 * engine/network/roads.c -- the street graph of a profile (see roads.h).
 *
 * Build: segments from the usable ways, the strongly connected parts of
 * the directed graph (Tarjan's algorithm, iterative so a long street does
 * not overflow the stack), the largest part renumbered densely in OSM node
 * order, edges in CSR ordered by (from, to, segment) so that every search
 * visits them in the same order whatever the thread count.
 */
#include "network/roads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "input/points.h"
#include "models/alloc.h"

static const char *const PROFILE_NAMES[ZS_PROF_COUNT] = {"van", "tricycle", "ebike", "foot"};

/* Rows: classes in zs_hw_class order; columns: van, tricycle, ebike, foot. */
static const double DEFAULT_KMH[ZS_HW_COUNT][ZS_PROF_COUNT] = {
    {80, 0, 0, 0},    /* motorway */
    {60, 0, 0, 0},    /* trunk */
    {45, 18, 20, 5},  /* primary */
    {40, 18, 20, 5},  /* secondary */
    {35, 18, 20, 5},  /* tertiary */
    {30, 16, 18, 5},  /* unclassified */
    {25, 15, 18, 5},  /* residential */
    {10, 10, 12, 5},  /* living_street */
    {15, 12, 15, 5},  /* service */
    {15, 10, 12, 5},  /* track */
    {0, 6, 8, 5},     /* pedestrian */
    {0, 0, 0, 5},     /* footway */
    {0, 15, 20, 5},   /* cycleway */
    {0, 8, 12, 5},    /* path */
    {0, 0, 0, 2.5},   /* steps */
};

const char *zs_profile_name(int kind)
{
    return kind >= 0 && kind < ZS_PROF_COUNT ? PROFILE_NAMES[kind] : NULL;
}

zs_status zs_profile_defaults(zs_profile *p, const char *name, zs_err *err)
{
    for (int k = 0; k < ZS_PROF_COUNT; k++)
        if (name && strcmp(name, PROFILE_NAMES[k]) == 0) {
            p->kind = k;
            for (int c = 0; c < ZS_HW_COUNT; c++)
                p->speed_kmh[c] = DEFAULT_KMH[c][k];
            p->walk_kmh = 5.0;
            return ZS_OK;
        }
    return zs_err_set(err, ZS_EINVAL, "unknown network profile '%s' (known: van, tricycle, "
                      "ebike, foot)", name ? name : "");
}

/* The speed (km/h) at which p uses way w, 0 when it may not. */
static double way_speed(const zs_profile *p, const zs_osm_way *w)
{
    double v = p->speed_kmh[w->cls];
    if (!(v > 0.0))
        return 0.0;
    switch (p->kind) {
    case ZS_PROF_VAN:
        return (w->flags & ZS_ACC_NO_MOTOR) ? 0.0 : v;
    case ZS_PROF_TRICYCLE:
    case ZS_PROF_EBIKE:
        return (w->flags & ZS_ACC_NO_BIKE) ? 0.0 : v;
    default:
        if (w->flags & ZS_ACC_NO_FOOT)
            return 0.0;
        if (w->cls == ZS_HW_CYCLEWAY && !(w->flags & ZS_ACC_FOOT_YES))
            return 0.0;
        return v;
    }
}

typedef struct {
    uint32_t a, b;   /* OSM node indices */
    double m, s_ab, s_ba;
    uint8_t cls;
} raw_seg;

/* ---- strongly connected parts (Tarjan, iterative) ---- */

typedef struct {
    size_t n;
    size_t *start;   /* n + 1 */
    uint32_t *to;
} csr;

/* comp[v] = part id of v; returns the number of parts or (size_t)-1 when
 * out of memory. */
static size_t tarjan(const csr *g, uint32_t *comp)
{
    size_t n = g->n, parts = 0, idx = 0, sp = 0, cs = 0;
    uint32_t *index = zs_malloc_array(n, sizeof *index), *low = zs_malloc_array(n, sizeof *low);
    uint32_t *stack = zs_malloc_array(n, sizeof *stack), *call = zs_malloc_array(n, sizeof *call);
    size_t *edge = zs_malloc_array(n, sizeof *edge);
    uint8_t *on = zs_calloc(n ? n : 1, 1);
    if (!index || !low || !stack || !call || !edge || !on) {
        free(index); free(low); free(stack); free(call); free(edge); free(on);
        return (size_t)-1;
    }
    const uint32_t UNSEEN = UINT32_MAX;
    for (size_t v = 0; v < n; v++)
        index[v] = UNSEEN;
    for (size_t root = 0; root < n; root++) {
        if (index[root] != UNSEEN)
            continue;
        call[cs++] = (uint32_t)root;
        edge[root] = g->start[root];
        index[root] = low[root] = (uint32_t)idx++;
        stack[sp++] = (uint32_t)root;
        on[root] = 1;
        while (cs > 0) {
            uint32_t v = call[cs - 1];
            if (edge[v] < g->start[v + 1]) {
                uint32_t w = g->to[edge[v]++];
                if (index[w] == UNSEEN) {
                    index[w] = low[w] = (uint32_t)idx++;
                    edge[w] = g->start[w];
                    stack[sp++] = w;
                    on[w] = 1;
                    call[cs++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            cs--;
            if (cs > 0) {
                uint32_t u = call[cs - 1];
                if (low[v] < low[u])
                    low[u] = low[v];
            }
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    on[w] = 0;
                    comp[w] = (uint32_t)parts;
                } while (w != v);
                parts++;
            }
        }
    }
    free(index); free(low); free(stack); free(call); free(edge); free(on);
    return parts;
}

/* ---- grid over segments ---- */

static zs_status build_grid(zs_roads *g, zs_err *err)
{
    double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
    for (size_t i = 0; i < g->n; i++) {
        if (g->x[i] < x0) x0 = g->x[i];
        if (g->x[i] > x1) x1 = g->x[i];
        if (g->y[i] < y0) y0 = g->y[i];
        if (g->y[i] > y1) y1 = g->y[i];
    }
    /* About four segments a cell on average, at least 50 m. */
    double area = (x1 - x0 + 1.0) * (y1 - y0 + 1.0);
    double cell = sqrt(area * 4.0 / (double)(g->n_seg + 1));
    if (cell < 50.0)
        cell = 50.0;
    g->gx0 = x0;
    g->gy0 = y0;
    g->cell_m = cell;
    g->nx = (size_t)((x1 - x0) / cell) + 1;
    g->ny = (size_t)((y1 - y0) / cell) + 1;
    size_t cells = g->nx * g->ny;
    g->cell_start = zs_calloc(cells + 1, sizeof *g->cell_start);
    if (!g->cell_start)
        return ZS_NOMEM(err);
    /* Two passes: count, then fill (segments in index order per cell). */
    for (int pass = 0; pass < 2; pass++) {
        size_t *fill = NULL;
        if (pass == 1) {
            for (size_t c = 0; c < cells; c++)
                g->cell_start[c + 1] += g->cell_start[c];
            g->cell_seg = zs_malloc_array(g->cell_start[cells] + 1, sizeof *g->cell_seg);
            fill = zs_malloc_array(cells + 1, sizeof *fill);
            if (!g->cell_seg || !fill) {
                free(fill);
                return ZS_NOMEM(err);
            }
            memcpy(fill, g->cell_start, cells * sizeof *fill);
        }
        for (size_t s = 0; s < g->n_seg; s++) {
            uint32_t u = g->seg_u[s], v = g->seg_v[s];
            size_t cx0 = (size_t)((fmin(g->x[u], g->x[v]) - x0) / cell);
            size_t cx1 = (size_t)((fmax(g->x[u], g->x[v]) - x0) / cell);
            size_t cy0 = (size_t)((fmin(g->y[u], g->y[v]) - y0) / cell);
            size_t cy1 = (size_t)((fmax(g->y[u], g->y[v]) - y0) / cell);
            for (size_t cy = cy0; cy <= cy1; cy++)
                for (size_t cx = cx0; cx <= cx1; cx++) {
                    size_t c = cy * g->nx + cx;
                    if (pass == 0)
                        g->cell_start[c + 1]++;
                    else
                        g->cell_seg[fill[c]++] = (uint32_t)s;
                }
        }
        free(fill);
    }
    return ZS_OK;
}

/* Distance from (px, py) to segment s, and the fraction along it. */
static double seg_dist(const zs_roads *g, uint32_t s, double px, double py, double *t)
{
    double ax = g->x[g->seg_u[s]], ay = g->y[g->seg_u[s]];
    double dx = g->x[g->seg_v[s]] - ax, dy = g->y[g->seg_v[s]] - ay;
    double l2 = dx * dx + dy * dy, f = 0.0;
    if (l2 > 0.0) {
        f = ((px - ax) * dx + (py - ay) * dy) / l2;
        f = f < 0.0 ? 0.0 : f > 1.0 ? 1.0 : f;
    }
    *t = f;
    return hypot(px - (ax + f * dx), py - (ay + f * dy));
}

int zs_roads_snap(const zs_roads *g, double x, double y, double max_m, zs_snap *s)
{
    if (g->n_seg == 0)
        return 0;
    double best = HUGE_VAL, best_t = 0.0;
    uint32_t best_s = 0;
    long cx = (long)floor((x - g->gx0) / g->cell_m), cy = (long)floor((y - g->gy0) / g->cell_m);
    long nx = (long)g->nx, ny = (long)g->ny;
    /* Rings of cells around the point's cell: stop when the ring is
     * farther than the best found (or than max_m). */
    for (long r = 0;; r++) {
        /* The nearest a segment first listed in ring r can be. */
        double ring_min = (r - 1) * g->cell_m;
        if (ring_min > best || ring_min > max_m)
            break;
        long j0 = cy - r < 0 ? 0 : cy - r, j1 = cy + r >= ny ? ny - 1 : cy + r;
        for (long j = j0; j <= j1; j++) {
            int edge_row = j == cy - r || j == cy + r;
            long i0 = cx - r < 0 ? 0 : cx - r, i1 = cx + r >= nx ? nx - 1 : cx + r;
            for (long i = i0; i <= i1; i++) {
                if (!edge_row && i != cx - r && i != cx + r) {
                    /* Inside the ring's row: jump to its right edge. */
                    if (i < cx + r && cx + r <= i1)
                        i = cx + r - 1;
                    continue;
                }
                size_t c = (size_t)j * g->nx + (size_t)i;
                for (size_t k = g->cell_start[c]; k < g->cell_start[c + 1]; k++) {
                    uint32_t sg = g->cell_seg[k];
                    double t, d = seg_dist(g, sg, x, y, &t);
                    if (d < best || (d == best && sg < best_s)) {
                        best = d;
                        best_s = sg;
                        best_t = t;
                    }
                }
            }
        }
        if (cx - r <= 0 && cx + r >= nx - 1 && cy - r <= 0 && cy + r >= ny - 1)
            break; /* rings 0..r covered the whole grid */
    }
    if (!(best <= max_m))
        return 0;
    s->seg = best_s;
    s->t = best_t;
    s->snap_m = best;
    return 1;
}

/* ---- build ---- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

zs_status zs_roads_build(const zs_osm *o, const zs_profile *p, double lon0, double lat0,
                         const char *path, zs_roads **out, zs_err *err)
{
    *out = NULL;
    zs_status st = ZS_OK;
    size_t nraw = 0, ways_used = 0;
    for (size_t w = 0; w < o->n_ways; w++)
        if (o->ways[w].kind == ZS_WAY_ROAD && way_speed(p, &o->ways[w]) > 0.0) {
            nraw += o->ways[w].count - 1;
            ways_used++;
        }
    raw_seg *raw = zs_malloc_array(nraw + 1, sizeof *raw);
    uint32_t *nodes = zs_malloc_array(2 * nraw + 1, sizeof *nodes);
    uint32_t *gid = NULL, *comp = NULL;
    csr c = {0};
    zs_roads *g = zs_calloc(1, sizeof *g);
    if (!raw || !nodes || !g) {
        st = ZS_NOMEM(err);
        goto done;
    }
    int walker = p->kind == ZS_PROF_FOOT;
    size_t k = 0;
    for (size_t w = 0; w < o->n_ways; w++) {
        const zs_osm_way *wy = &o->ways[w];
        double v = wy->kind == ZS_WAY_ROAD ? way_speed(p, wy) : 0.0;
        if (!(v > 0.0))
            continue;
        int ow = walker ? 0 : wy->oneway;
        for (uint32_t i = 0; i + 1 < wy->count; i++) {
            uint32_t a = o->refs[wy->first + i], b = o->refs[wy->first + i + 1];
            if (a == b)
                continue;
            double ax, ay, bx, by;
            zs_lonlat_project(lon0, lat0, o->lon[a], o->lat[a], &ax, &ay);
            zs_lonlat_project(lon0, lat0, o->lon[b], o->lat[b], &bx, &by);
            double m = hypot(bx - ax, by - ay), s = m / (v / 3.6);
            raw[k] = (raw_seg){a, b, m, ow >= 0 ? s : HUGE_VAL, ow <= 0 ? s : HUGE_VAL, wy->cls};
            nodes[2 * k] = a;
            nodes[2 * k + 1] = b;
            k++;
        }
    }
    nraw = k;
    if (nraw == 0) {
        st = zs_err_set(err, ZS_EINPUT, "%s: no streets usable by a %s in this extract", path,
                        zs_profile_name(p->kind));
        goto done;
    }
    /* Dense ids for the nodes used, in OSM node order. */
    qsort(nodes, 2 * nraw, sizeof *nodes, cmp_u32);
    size_t nn = 0;
    for (size_t i = 0; i < 2 * nraw; i++)
        if (nn == 0 || nodes[i] != nodes[nn - 1])
            nodes[nn++] = nodes[i];
    gid = zs_malloc_array(o->n_nodes + 1, sizeof *gid);
    c.n = nn;
    c.start = zs_calloc(nn + 1, sizeof *c.start);
    c.to = zs_malloc_array(2 * nraw + 1, sizeof *c.to);
    comp = zs_malloc_array(nn + 1, sizeof *comp);
    if (!gid || !c.start || !c.to || !comp) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < nn; i++)
        gid[nodes[i]] = (uint32_t)i;
    for (size_t s = 0; s < nraw; s++) {
        if (raw[s].s_ab < HUGE_VAL)
            c.start[gid[raw[s].a] + 1]++;
        if (raw[s].s_ba < HUGE_VAL)
            c.start[gid[raw[s].b] + 1]++;
    }
    for (size_t i = 0; i < nn; i++)
        c.start[i + 1] += c.start[i];
    {
        size_t *fill = zs_malloc_array(nn + 1, sizeof *fill);
        if (!fill) {
            st = ZS_NOMEM(err);
            goto done;
        }
        memcpy(fill, c.start, nn * sizeof *fill);
        for (size_t s = 0; s < nraw; s++) {
            if (raw[s].s_ab < HUGE_VAL)
                c.to[fill[gid[raw[s].a]]++] = gid[raw[s].b];
            if (raw[s].s_ba < HUGE_VAL)
                c.to[fill[gid[raw[s].b]]++] = gid[raw[s].a];
        }
        free(fill);
    }
    size_t parts = tarjan(&c, comp);
    if (parts == (size_t)-1) {
        st = ZS_NOMEM(err);
        goto done;
    }
    /* The largest part (ties: the one holding the lowest node). */
    {
        size_t *size = zs_calloc(parts + 1, sizeof *size);
        if (!size) {
            st = ZS_NOMEM(err);
            goto done;
        }
        for (size_t i = 0; i < nn; i++)
            size[comp[i]]++;
        uint32_t big = comp[0];
        for (size_t i = 0; i < nn; i++)
            if (size[comp[i]] > size[big])
                big = comp[i];
        free(size);
        /* Renumber the kept nodes densely (gid2 reuses comp's storage). */
        size_t kept = 0;
        for (size_t i = 0; i < nn; i++)
            comp[i] = comp[i] == big ? (uint32_t)kept++ : UINT32_MAX;
        g->n = kept;
        g->nodes_all = nn;
        g->parts = parts;
        g->nodes_dropped = nn - kept;
        g->ways_used = ways_used;
    }
    g->x = zs_malloc_array(g->n, sizeof *g->x);
    g->y = zs_malloc_array(g->n, sizeof *g->y);
    g->osm_id = zs_malloc_array(g->n, sizeof *g->osm_id);
    g->seg_u = zs_malloc_array(nraw, sizeof *g->seg_u);
    g->seg_v = zs_malloc_array(nraw, sizeof *g->seg_v);
    g->seg_m = zs_malloc_array(nraw, sizeof *g->seg_m);
    g->seg_s_uv = zs_malloc_array(nraw, sizeof *g->seg_s_uv);
    g->seg_s_vu = zs_malloc_array(nraw, sizeof *g->seg_s_vu);
    g->seg_cls = zs_malloc_array(nraw, sizeof *g->seg_cls);
    g->out_start = zs_calloc(g->n + 1, sizeof *g->out_start);
    if (!g->x || !g->y || !g->osm_id || !g->seg_u || !g->seg_v || !g->seg_m || !g->seg_s_uv ||
        !g->seg_s_vu || !g->seg_cls || !g->out_start) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < nn; i++)
        if (comp[i] != UINT32_MAX) {
            uint32_t q = nodes[i];
            zs_lonlat_project(lon0, lat0, o->lon[q], o->lat[q], &g->x[comp[i]], &g->y[comp[i]]);
            g->osm_id[comp[i]] = o->node_id[q];
        }
    size_t ns = 0, ne = 0;
    for (size_t s = 0; s < nraw; s++) {
        uint32_t u = comp[gid[raw[s].a]], v = comp[gid[raw[s].b]];
        if (u == UINT32_MAX || v == UINT32_MAX) {
            g->seg_dropped++;
            continue;
        }
        g->seg_u[ns] = u;
        g->seg_v[ns] = v;
        g->seg_m[ns] = raw[s].m;
        g->seg_s_uv[ns] = raw[s].s_ab;
        g->seg_s_vu[ns] = raw[s].s_ba;
        g->seg_cls[ns] = raw[s].cls;
        g->km += raw[s].m / 1000.0;
        if (raw[s].s_ab < HUGE_VAL) { g->out_start[u + 1]++; ne++; }
        if (raw[s].s_ba < HUGE_VAL) { g->out_start[v + 1]++; ne++; }
        ns++;
    }
    g->n_seg = ns;
    for (size_t i = 0; i < g->n; i++)
        g->out_start[i + 1] += g->out_start[i];
    g->out_to = zs_malloc_array(ne + 1, sizeof *g->out_to);
    g->out_s = zs_malloc_array(ne + 1, sizeof *g->out_s);
    g->out_m = zs_malloc_array(ne + 1, sizeof *g->out_m);
    size_t *fill = zs_malloc_array(g->n + 1, sizeof *fill);
    if (!g->out_to || !g->out_s || !g->out_m || !fill) {
        free(fill);
        st = ZS_NOMEM(err);
        goto done;
    }
    memcpy(fill, g->out_start, g->n * sizeof *fill);
    for (size_t s = 0; s < ns; s++) {
        uint32_t u = g->seg_u[s], v = g->seg_v[s];
        if (g->seg_s_uv[s] < HUGE_VAL) {
            g->out_to[fill[u]] = v;
            g->out_s[fill[u]] = g->seg_s_uv[s];
            g->out_m[fill[u]++] = g->seg_m[s];
        }
        if (g->seg_s_vu[s] < HUGE_VAL) {
            g->out_to[fill[v]] = u;
            g->out_s[fill[v]] = g->seg_s_vu[s];
            g->out_m[fill[v]++] = g->seg_m[s];
        }
    }
    free(fill);
    /* The reverse CSR: edge u -> v listed under v. */
    g->in_start = zs_calloc(g->n + 1, sizeof *g->in_start);
    g->in_from = zs_malloc_array(ne + 1, sizeof *g->in_from);
    g->in_s = zs_malloc_array(ne + 1, sizeof *g->in_s);
    g->in_m = zs_malloc_array(ne + 1, sizeof *g->in_m);
    fill = zs_malloc_array(g->n + 1, sizeof *fill);
    if (!g->in_start || !g->in_from || !g->in_s || !g->in_m || !fill) {
        free(fill);
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t e = 0; e < ne; e++)
        g->in_start[g->out_to[e] + 1]++;
    for (size_t i = 0; i < g->n; i++)
        g->in_start[i + 1] += g->in_start[i];
    memcpy(fill, g->in_start, g->n * sizeof *fill);
    for (size_t u = 0; u < g->n; u++)
        for (size_t e = g->out_start[u]; e < g->out_start[u + 1]; e++) {
            size_t at = fill[g->out_to[e]]++;
            g->in_from[at] = (uint32_t)u;
            g->in_s[at] = g->out_s[e];
            g->in_m[at] = g->out_m[e];
        }
    free(fill);
    st = build_grid(g, err);
done:
    free(raw);
    free(nodes);
    free(gid);
    free(comp);
    free(c.start);
    free(c.to);
    if (st != ZS_OK) {
        zs_roads_free(g);
        return st;
    }
    *out = g;
    return ZS_OK;
}

void zs_roads_free(zs_roads *g)
{
    if (!g)
        return;
    free(g->x); free(g->y); free(g->osm_id);
    free(g->out_start); free(g->out_to); free(g->out_s); free(g->out_m);
    free(g->in_start); free(g->in_from); free(g->in_s); free(g->in_m);
    free(g->seg_u); free(g->seg_v); free(g->seg_m); free(g->seg_s_uv); free(g->seg_s_vu);
    free(g->seg_cls);
    free(g->cell_start); free(g->cell_seg);
    free(g);
}
