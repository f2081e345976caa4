/*
 * engine/maps/export_colour.c -- zone colours for the maps: neighbouring
 * zones never share one (zs_export_colour_zones in engine/maps/export.h).
 *
 * The zone graph comes from the Delaunay triangulation of the points
 * (engine/network/adjacency.h, every edge kept: no barrier, no long-edge
 * rule), contracted by zone; it is coloured greedily in Welsh-Powell
 * order.  Everything is sorted by index, so the colours depend only on
 * the points and the plan.
 */
#include <float.h>
#include <stdlib.h>

#include "models/alloc.h"
#include "maps/export.h"
#include "network/adjacency.h"

/* Paul Tol's 'muted' qualitative scheme, in his order (rose, indigo, sand,
 * green, cyan, wine, teal, olive, purple): distinct for the common forms
 * of colour blindness and legible under dark text.  Source: P. Tol,
 * "Colour Schemes", SRON technical note SRON/EPS/TN/09-002 (2021),
 * https://personal.sron.nl/~pault/.  Beyond 9 colours the palette cycles
 * (see engine/maps/export.h): neighbours may then share a fill. */
static const char *const palette[ZS_EXPORT_PALETTE_N] = {
    "#cc6677", "#332288", "#ddcc77", "#117733", "#88ccee",
    "#882255", "#44aa99", "#999933", "#aa4499"};

const char *zs_export_colour_hex(size_t c)
{
    return palette[c % ZS_EXPORT_PALETTE_N];
}

/* ---- Welsh-Powell ------------------------------------------------------------ */

typedef struct {
    size_t deg;
    size_t j;
} by_deg;

static int cmp_by_deg(const void *pa, const void *pb)
{
    const by_deg *a = pa, *b = pb;
    if (a->deg != b->deg)
        return a->deg > b->deg ? -1 : 1; /* descending degree */
    return a->j < b->j ? -1 : a->j > b->j; /* then ascending index */
}

zs_status zs_export_colour_graph(size_t k, const size_t *start, const uint32_t *nbr,
                                 int32_t *colour, size_t *n_colours, zs_err *err)
{
    *n_colours = 0;
    if (k == 0)
        return ZS_OK;
    if (k > INT32_MAX)
        return zs_err_set(err, ZS_EINVAL, "colouring: %zu zones; at most %d", k, INT32_MAX);
    for (size_t t = 0; t < start[k]; t++)
        if (nbr[t] >= k)
            return zs_err_set(err, ZS_EINVAL, "colouring: neighbour %lu of %zu vertices",
                              (unsigned long)nbr[t], k);
    by_deg *ord = zs_malloc_array(k, sizeof *ord);
    size_t *seen = zs_calloc(k + 1, sizeof *seen); /* seen[c] == stamp: a neighbour has c */
    if (!ord || !seen) {
        zs_free(ord);
        zs_free(seen);
        return ZS_NOMEM(err);
    }
    for (size_t j = 0; j < k; j++) {
        ord[j] = (by_deg){start[j + 1] - start[j], j};
        colour[j] = -1;
    }
    qsort(ord, k, sizeof *ord, cmp_by_deg);
    size_t used = 0;
    for (size_t o = 0; o < k; o++) {
        size_t j = ord[o].j, stamp = o + 1;
        for (size_t t = start[j]; t < start[j + 1]; t++)
            if (colour[nbr[t]] >= 0)
                seen[colour[nbr[t]]] = stamp; /* a colour is < k: at most k - 1 neighbours */
        size_t c = 0;
        while (seen[c] == stamp)
            c++;
        colour[j] = (int32_t)c;
        if (c + 1 > used)
            used = c + 1;
    }
    zs_free(ord);
    zs_free(seen);
    *n_colours = used;
    return ZS_OK;
}

/* ---- the zone graph --------------------------------------------------------------- */

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

zs_status zs_export_colour_zones(const zs_points *p, const zs_partition *pa, int32_t *colour,
                                 size_t *n_colours, zs_err *err)
{
    size_t dummy;
    if (!n_colours)
        n_colours = &dummy;
    *n_colours = 0;
    if (!p || !pa || !pa->zone || pa->n != p->n)
        return zs_err_set(err, ZS_EINVAL, "colouring: the plan does not cover the points");
    size_t n = p->n, k = pa->k;
    for (size_t i = 0; i < n; i++)
        if (pa->zone[i] < 0 || (size_t)pa->zone[i] >= k)
            return zs_err_set(err, ZS_EINVAL, "colouring: point %zu has zone %ld outside 0..%zu",
                              i, (long)pa->zone[i], k ? k - 1 : 0);
    /* Every Delaunay edge: a factor no edge exceeds keeps the long ones. */
    zs_adjacency_opts ao;
    zs_adjacency_opts_defaults(&ao);
    ao.long_factor = DBL_MAX;
    zs_adjacency *g = NULL;
    uint64_t *pair = NULL;
    size_t *start = NULL, *fill = NULL;
    uint32_t *nbr = NULL;
    zs_status st = zs_adjacency_build(p->x, p->y, n, &ao, &g, err);
    if (st != ZS_OK)
        return st;
    /* The pairs of zones that meet, each once (lower zone first). */
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t t = g->start[i]; t < g->start[i + 1]; t++)
            np += g->nbr[t] > i && pa->zone[g->nbr[t]] != pa->zone[i];
    if (!(pair = zs_malloc_array(np ? np : 1, sizeof *pair))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    np = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t t = g->start[i]; t < g->start[i + 1]; t++) {
            uint32_t q = g->nbr[t];
            uint64_t a = (uint64_t)pa->zone[i], b = (uint64_t)pa->zone[q];
            if (q > i && a != b)
                pair[np++] = a < b ? a << 32 | b : b << 32 | a;
        }
    qsort(pair, np, sizeof *pair, cmp_u64);
    size_t u = 0;
    for (size_t t = 0; t < np; t++)
        if (!u || pair[t] != pair[u - 1])
            pair[u++] = pair[t];
    /* Both directions, ascending per zone: the pairs are sorted by their
     * lower zone, then by the higher. */
    if (!(start = zs_calloc(k + 1, sizeof *start)) ||
        !(fill = zs_calloc(k ? k : 1, sizeof *fill)) ||
        !(nbr = zs_malloc_array(u ? 2 * u : 1, sizeof *nbr))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t t = 0; t < u; t++) {
        start[(pair[t] >> 32) + 1]++;
        start[(pair[t] & 0xffffffffu) + 1]++;
    }
    for (size_t j = 0; j < k; j++)
        start[j + 1] += start[j];
    for (size_t t = 0; t < u; t++) {
        size_t a = (size_t)(pair[t] >> 32), b = (size_t)(pair[t] & 0xffffffffu);
        nbr[start[a] + fill[a]++] = (uint32_t)b;
        nbr[start[b] + fill[b]++] = (uint32_t)a;
    }
    st = zs_export_colour_graph(k, start, nbr, colour, n_colours, err);
done:
    zs_adjacency_free(g);
    zs_free(pair);
    zs_free(start);
    zs_free(fill);
    zs_free(nbr);
    return st;
}
