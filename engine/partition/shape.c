/*
 * engine/partition/shape.c -- pieces, strays, barrier crossings, hull
 * overlap and compactness of a plan (see shape.h).
 */
#include "partition/shape.h"

#include <math.h>
#include <string.h>

#include "models/alloc.h"
#include "network/geom.h"

void zs_plan_shape_free(zs_plan_shape *s)
{
    if (!s)
        return;
    zs_free(s->zone_pieces);
    zs_free(s->zone_pp);
    zs_free(s);
}

/* The root of part a among the parts the bridges join (path halving). */
static uint32_t group_of(uint32_t *up, uint32_t a)
{
    while (up[a] != a)
        a = up[a] = up[up[a]];
    return a;
}

/* (sum of the k hull areas - their union un) / the sum, 0 for no area. */
static double overlap_of(const double *area, size_t k, double un)
{
    double sum = 0;
    for (size_t z = 0; z < k; z++)
        sum += area[z];
    return sum > 0 ? fmax(0.0, (sum - un) / sum) : 0.0;
}

zs_status zs_shape_hull_overlap(const double *x, const double *y, const int32_t *zone, size_t n,
                                size_t k, double *overlap, zs_err *err)
{
    double *area = zs_calloc(k ? k : 1, sizeof *area), *perim = zs_calloc(k ? k : 1, sizeof *perim);
    double un = 0;
    zs_status st = area && perim ? zs_geom_hulls(x, y, zone, n, k, area, perim, &un, err)
                                 : ZS_NOMEM(err);
    if (st == ZS_OK)
        *overlap = overlap_of(area, k, un);
    zs_free(area);
    zs_free(perim);
    return st;
}

int zs_shape_way_round(const size_t *start, const uint32_t *nbr, const size_t *xstart,
                       const uint32_t *xnbr, const double *x, const double *y,
                       const int32_t *zone, uint32_t a, uint32_t b, uint32_t *seen,
                       uint32_t stamp, uint32_t *queue)
{
    double d = hypot(x[a] - x[b], y[a] - y[b]);
    double lim = fmax(ZS_SHAPE_DETOUR * d, d + ZS_SHAPE_DETOUR_M);
    size_t qh = 0, qt = 0;
    queue[qt++] = a;
    seen[a] = stamp;
    while (qh < qt) {
        uint32_t u = queue[qh++];
        for (int side = 0; side < (xstart ? 2 : 1); side++) {
            size_t j0 = side ? xstart[u] : start[u], j1 = side ? xstart[u + 1] : start[u + 1];
            for (size_t j = j0; j < j1; j++) {
                uint32_t v = side ? xnbr[j] : nbr[j];
                if (seen[v] == stamp || (zone && zone[v] != zone[a]))
                    continue;
                if (hypot(x[v] - x[a], y[v] - y[a]) + hypot(x[v] - x[b], y[v] - y[b]) > lim)
                    continue;
                if (v == b)
                    return 1;
                seen[v] = stamp;
                queue[qt++] = v;
            }
        }
    }
    return 0;
}

zs_status zs_plan_shape_create(const zs_partition *p, const double *x, const double *y,
                               const zs_adjacency *g, zs_plan_shape **out, zs_err *err)
{
    *out = NULL;
    if (g->n != p->n)
        return zs_err_set(err, ZS_EINVAL, "plan shape: the graph has %zu points, the plan %zu",
                          g->n, p->n);
    size_t n = p->n, k = p->k, nb = p->territory.bridge ? p->territory.bridges : 0;
    zs_status st = ZS_OK;
    zs_plan_shape *s = zs_calloc(1, sizeof *s);
    uint32_t *piece = zs_malloc_array(n ? n : 1, sizeof *piece);
    uint32_t *queue = zs_malloc_array(n ? n : 1, sizeof *queue);
    size_t *psize = zs_malloc_array(n ? n : 1, sizeof *psize);
    size_t *best = zs_calloc(k ? k : 1, sizeof *best);
    uint8_t *crossing = zs_calloc(k ? k : 1, 1);
    size_t *bstart = zs_calloc(n + 1, sizeof *bstart);
    uint32_t *up = zs_malloc_array(g->n_parts ? g->n_parts : 1, sizeof *up);
    int32_t *owner = zs_malloc_array(g->n_parts ? g->n_parts : 1, sizeof *owner);
    uint32_t *bnbr = zs_malloc_array(2 * nb + 1, sizeof *bnbr);
    double *area = zs_calloc(k ? k : 1, sizeof *area), *perim = zs_calloc(k ? k : 1, sizeof *perim);
    if (!s || !piece || !queue || !psize || !best || !crossing || !bstart || !bnbr || !up ||
        !owner || !area || !perim ||
        !(s->zone_pieces = zs_calloc(k ? k : 1, sizeof *s->zone_pieces)) ||
        !(s->zone_pp = zs_calloc(k ? k : 1, sizeof *s->zone_pp))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    s->k = k;
    for (size_t b = 0; b < nb; b++) {
        uint32_t u = p->territory.bridge[2 * b], v = p->territory.bridge[2 * b + 1];
        if (u >= n || v >= n) {
            st = zs_err_set(err, ZS_EINVAL, "plan shape: bridge %zu joins point %u and %u of %zu",
                            b, u, v, n);
            goto done;
        }
        bstart[u + 1]++;
        bstart[v + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        bstart[i + 1] += bstart[i];
    memcpy(psize, bstart, n * sizeof *psize); /* psize as the fill cursor, for now */
    for (size_t b = 0; b < nb; b++) {
        uint32_t u = p->territory.bridge[2 * b], v = p->territory.bridge[2 * b + 1];
        bnbr[psize[u]++] = v;
        bnbr[psize[v]++] = u;
    }
    for (size_t i = 0; i < n; i++)
        piece[i] = UINT32_MAX;
    /* Pieces: breadth-first inside each zone; best[z] = size of its largest. */
    size_t np = 0;
    for (size_t a = 0; a < n; a++) {
        if (piece[a] != UINT32_MAX)
            continue;
        int32_t z = p->zone[a];
        size_t qh = 0, qt = 0;
        queue[qt++] = (uint32_t)a;
        piece[a] = (uint32_t)np;
        while (qh < qt) {
            uint32_t u = queue[qh++];
            for (size_t j = g->start[u]; j < g->start[u + 1]; j++) {
                uint32_t v = g->nbr[j];
                if (piece[v] == UINT32_MAX && p->zone[v] == z) {
                    piece[v] = (uint32_t)np;
                    queue[qt++] = v;
                }
            }
            for (size_t j = bstart[u]; j < bstart[u + 1]; j++) {
                uint32_t v = bnbr[j];
                if (piece[v] == UINT32_MAX && p->zone[v] == z) {
                    piece[v] = (uint32_t)np;
                    queue[qt++] = v;
                }
            }
        }
        psize[np++] = qt;
        s->zone_pieces[z]++;
        if (qt > best[z])
            best[z] = qt;
    }
    s->pieces = np;
    size_t in_best = 0;
    for (size_t z = 0; z < k; z++) {
        if (s->zone_pieces[z] == 1)
            s->zones_one_piece++;
        in_best += best[z];
    }
    s->strays = n - in_best;
    /* crossing[z]: bit 1 a barrier edge in z, bit 2 a bridge in z, bit 4 a
     * barrier edge in z where another zone shares its part; up: the parts
     * the bridges join (pockets chained to pockets: a group); owner: a
     * part's one zone, -1 with none yet, -2 with several */
    for (size_t q = 0; q < g->n_parts; q++) {
        up[q] = (uint32_t)q;
        owner[q] = -1;
    }
    for (size_t i = 0; i < n; i++) {
        int32_t *o = &owner[g->part[i]];
        *o = *o == -1 ? p->zone[i] : *o == p->zone[i] ? *o : -2;
    }
    for (size_t b = 0; b < nb; b++) {
        uint32_t u = p->territory.bridge[2 * b], v = p->territory.bridge[2 * b + 1];
        if (p->zone[u] == p->zone[v])
            crossing[p->zone[u]] |= 2;
        up[group_of(up, g->part[u])] = group_of(up, g->part[v]);
    }
    for (size_t i = 0; i < n; i++)
        piece[i] = 0; /* from here: way_round's stamps */
    for (size_t c = 0; c < g->n_barrier; c++) {
        uint32_t a = g->cut[2 * c], b = g->cut[2 * c + 1];
        if (p->zone[a] != p->zone[b])
            continue;
        if (crossing[p->zone[a]] & 2 && g->part[a] != g->part[b] &&
            group_of(up, g->part[a]) == group_of(up, g->part[b]))
            continue; /* the zone's planned crossing (see shape.h) */
        if (zs_shape_way_round(g->start, g->nbr, bstart, bnbr, x, y, p->zone, a, b, piece,
                               (uint32_t)c + 1, queue))
            continue;
        s->barrier_edges++;
        crossing[p->zone[a]] |= 1;
        if (g->part[a] != g->part[b] || owner[g->part[a]] != p->zone[a])
            crossing[p->zone[a]] |= 4;
    }
    for (size_t z = 0; z < k; z++) {
        s->barrier_zones += crossing[z] & 1;
        s->barrier_alone += (crossing[z] & 5) == 1;
        s->bridged_zones += (crossing[z] & 2) >> 1;
    }
    double un = 0;
    if ((st = zs_geom_hulls(x, y, p->zone, n, k, area, perim, &un, err)) != ZS_OK)
        goto done;
    size_t cnt = 0;
    s->pp_min = 0;
    for (size_t z = 0; z < k; z++) {
        if (area[z] > 0 && perim[z] > 0) {
            s->zone_pp[z] = 4.0 * 3.14159265358979323846 * area[z] / (perim[z] * perim[z]);
            s->pp_mean += s->zone_pp[z];
            if (!cnt || s->zone_pp[z] < s->pp_min)
                s->pp_min = s->zone_pp[z];
            cnt++;
        }
    }
    if (cnt)
        s->pp_mean /= (double)cnt;
    s->hull_overlap = overlap_of(area, k, un);
    *out = s;
    s = NULL;
done:
    zs_plan_shape_free(s);
    zs_free(piece);
    zs_free(queue);
    zs_free(psize);
    zs_free(best);
    zs_free(crossing);
    zs_free(bstart);
    zs_free(bnbr);
    zs_free(up);
    zs_free(owner);
    zs_free(area);
    zs_free(perim);
    return st;
}
