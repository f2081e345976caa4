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

zs_status zs_plan_shape_create(const zs_partition *p, const double *x, const double *y,
                               const zs_adjacency *g, zs_plan_shape **out, zs_err *err)
{
    *out = NULL;
    if (g->n != p->n)
        return zs_err_set(err, ZS_EINVAL, "plan shape: the graph has %zu points, the plan %zu",
                          g->n, p->n);
    size_t n = p->n, k = p->k;
    zs_status st = ZS_OK;
    zs_plan_shape *s = zs_calloc(1, sizeof *s);
    uint32_t *piece = zs_malloc_array(n ? n : 1, sizeof *piece);
    uint32_t *queue = zs_malloc_array(n ? n : 1, sizeof *queue);
    size_t *psize = zs_malloc_array(n ? n : 1, sizeof *psize);
    size_t *best = zs_calloc(k ? k : 1, sizeof *best);
    uint8_t *crossing = zs_calloc(k ? k : 1, 1);
    double *area = zs_calloc(k ? k : 1, sizeof *area), *perim = zs_calloc(k ? k : 1, sizeof *perim);
    if (!s || !piece || !queue || !psize || !best || !crossing || !area || !perim ||
        !(s->zone_pieces = zs_calloc(k ? k : 1, sizeof *s->zone_pieces)) ||
        !(s->zone_pp = zs_calloc(k ? k : 1, sizeof *s->zone_pp))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    s->k = k;
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
    for (size_t c = 0; c < g->n_barrier; c++) {
        uint32_t a = g->cut[2 * c], b = g->cut[2 * c + 1];
        if (p->zone[a] == p->zone[b]) {
            s->barrier_edges++;
            crossing[p->zone[a]] = 1;
        }
    }
    for (size_t z = 0; z < k; z++)
        s->barrier_zones += crossing[z];
    double un = 0, sum = 0;
    if ((st = zs_geom_hulls(x, y, p->zone, n, k, area, perim, &un, err)) != ZS_OK)
        goto done;
    size_t cnt = 0;
    s->pp_min = 0;
    for (size_t z = 0; z < k; z++) {
        sum += area[z];
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
    s->hull_overlap = sum > 0 ? fmax(0.0, (sum - un) / sum) : 0.0;
    *out = s;
    s = NULL;
done:
    zs_plan_shape_free(s);
    zs_free(piece);
    zs_free(queue);
    zs_free(psize);
    zs_free(best);
    zs_free(crossing);
    zs_free(area);
    zs_free(perim);
    return st;
}
