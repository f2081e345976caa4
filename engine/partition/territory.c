/*
 * engine/partition/territory.c -- contiguous, balanced, compact zones on
 * the adjacency graph (method "territory"; see partition.h).
 *
 * The classic territory-design route (Rios-Mercado; Kalcsics): region
 * growing from well spread seeds, then a local search that moves boundary
 * points between neighbouring zones and never disconnects the zone a point
 * leaves.  Every step is serial and breaks ties by the lower index, so the
 * plan is a function of the input and the seed alone, whatever the thread
 * count.
 *
 *  1. Parts and pockets.  Barriers split the graph into parts.  A part
 *     whose door work is under opts pocket_share (default half) of a
 *     zone's share (or, while there are more parts than zones, the
 *     lightest part) is a pocket: it is joined to its neighbour across the
 *     cheapest barrier edge (the shortest, or the quickest on the street
 *     network: opts join_cost), its bridge, and its points are listed
 *     (p->pockets, p->territory.bridge).  The remaining parts share the
 *     zones (territory_grow.c: allocate).
 *  2. Seeds: weighted k-means (door minutes) within each part; each centre's
 *     nearest free point of the part seeds a zone.  A part of more than
 *     ZS_TERRITORY_KMEANS_SEEDS_MAX points is cut instead, recursively, into
 *     cells of equal expected work with travel, each seeded at its point
 *     nearest its centre (territory_grow.c).
 *  3. Growth: the zone with the least expected work (door + travel,
 *     zone_work.h) takes its frontier point nearest to its seed, until
 *     every point has a zone.  Zones are connected by construction.
 *     Repeated with multipliers on the work (ZS_TERRITORY_GROW_ROUNDS, or
 *     until ZS_TERRITORY_GROW_PATIENCE rounds bring nothing better); the
 *     best plan is kept.
 *     A barrier line that ends (a creek, a road into a field) cuts edges
 *     without splitting the graph: the graph goes round its end.  A zone
 *     takes a point across such a line from its own points only when it
 *     has nothing else to take (ZS_TERRITORY_ACROSS_KEY); after growth,
 *     points across a line from their zone move to a neighbouring zone
 *     they do not cross (zs_terr_untangle), and no later move takes a
 *     zone across one.  Harrisburg, 3,000 points, 55 zones: zones
 *     reaching across a barrier 12 -> 4; Krems, 28 zones: 6 -> 3.
 *  4. Local search: the zone farthest from the mean work sheds a boundary
 *     point to a lighter neighbour (or takes one from a heavier one); a
 *     move must lower the pair's squared deviations and not leave the other
 *     zone farther from the mean than this one was; among moves within half
 *     of the best gain the most compact one (the point nearest the
 *     receiving zone's centre relative to its own) is taken; the donor must
 *     stay connected (breadth-first search inside it).  When no point
 *     (nor a point with the small pieces it holds) can move, ejection
 *     chains along paths of zones to a zone on the other side of the mean
 *     (or, where the zone's whole area sits off the mean, to the area's
 *     zone farthest from it the other way).  Stops when every zone is
 *     within the tolerance, or nothing helps.
 *  5. Compactness: a boundary point clearly nearer (by 10%) a neighbouring
 *     zone's centre than its own moves there when both zones stay within
 *     twice the band (ZS_TERRITORY_COMPACT_SLACK) and its zone stays
 *     connected; then step 4 again, back into the band; up to
 *     ZS_TERRITORY_COMPACT_ROUNDS times.  This undoes the sprawl growth
 *     leaves where sparse zones wrap around dense ones.
 *  6. Measured travel (zone_work.h, when the work model samples tours):
 *     each zone's travel formula is scaled by its measured tours over the
 *     formula, and step 4 runs again, until the band holds on the measured
 *     figures (ZS_TERRITORY_TOUR_ROUNDS at most).
 *  7. Starts: steps 2-6 from ZS_TERRITORY_STARTS seedings (the plan's seed
 *     and seeds derived from it; opts starts), the best plan kept
 *     (better_start): in the band before out of it; in the band, the least
 *     hull overlap (shape.h); out of it, the nearer the band, or where two
 *     are within ZS_TERRITORY_START_DEV_SLACK, more zones in the band, then
 *     the least overlap; ties to the earlier start.  On a street network
 *     the starts measure their tours on straight lines and only the plan
 *     kept is measured and balanced on the streets.  The starts after
 *     the first share the zones among the parts by the work the first
 *     measured there (zs_terr_part_rescale): the allocation model of
 *     step 1 (an area's door and tour minutes plus one drive per zone)
 *     can miss an area's work by several percent, and the band with it.
 *     The reported bound is the rescaled model's.  They run in parallel,
 *     each on its own copy of the working state; the choice is made in
 *     start order, so the plan does not depend on the thread count.
 *  8. Crossings round another zone: a barrier edge whose ends have a short
 *     way round through any points is left free in steps 3-6 (the tip of
 *     a harbour basin); where the plan kept holds such an edge in a zone
 *     whose own points do not go round (the way round lies in another
 *     zone), the edge becomes a pair the zones must not hold, and
 *     untangling and step 4 run again (settle_crossings, up to
 *     ZS_TERRITORY_SETTLE_ROUNDS times).  Harrisburg, 1,500 points, water
 *     as barriers: the one zone across it -> 0.
 *  Repair (a start plan given): each zone keeps its largest connected piece;
 *  the other pieces' points join the zone they touch (breadth-first from
 *  the kept pieces), then step 4 runs.  It stops as soon as the band is
 *  met, so it moves few points; p->moved counts those whose zone changed.
 *  Step 8 follows.
 */
#include "partition/territory_internal.h"

#include <math.h>
#include <string.h>

#include "models/alloc.h"
#include "partition/shape.h"

static zs_status build_graph(terr *t, const zs_adjacency *g, const uint32_t *br, size_t nb,
                             zs_err *err)
{
    size_t n = t->n;
    zs_free(t->start);
    zs_free(t->nbr);
    t->start = zs_calloc(n + 1, sizeof *t->start);
    size_t m = g->start[n] + 2 * nb;
    t->nbr = zs_malloc_array(m ? m : 1, sizeof *t->nbr);
    if (!t->start || !t->nbr)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < n; i++)
        t->start[i + 1] = g->start[i + 1] - g->start[i];
    for (size_t b = 0; b < nb; b++) {
        t->start[br[2 * b] + 1]++;
        t->start[br[2 * b + 1] + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        t->start[i + 1] += t->start[i];
    for (size_t i = 0; i < n; i++) {
        size_t at = t->start[i];
        for (size_t j = g->start[i]; j < g->start[i + 1]; j++)
            t->nbr[at++] = g->nbr[j];
    }
    /* bridges after each point's own edges, in bridge order */
    size_t *fill = zs_malloc_array(n ? n : 1, sizeof *fill);
    if (!fill)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < n; i++)
        fill[i] = t->start[i] + (g->start[i + 1] - g->start[i]);
    for (size_t b = 0; b < nb; b++) {
        uint32_t a = br[2 * b], c = br[2 * b + 1];
        t->nbr[fill[a]++] = c;
        t->nbr[fill[c]++] = a;
    }
    zs_free(fill);
    return ZS_OK;
}

static uint32_t uf_find(uint32_t *up, uint32_t a)
{
    while (up[a] != a)
        a = up[a] = up[up[a]];
    return a;
}

/* Step 1 (territory) or the repair's fallback: joins parts across the
 * shortest barrier edges.  need(part work, parts left) says whether the
 * lightest part must be joined.  Writes t->part (merged, renumbered by
 * lowest point), t->n_parts, the pocket list and the graph with bridges. */
static zs_status join_pockets(terr *t, const zs_adjacency *g, double min_work, size_t max_parts,
                              const uint8_t *must_join, zs_err *err)
{
    size_t np = g->n_parts, n = t->n;
    zs_status st = ZS_OK;
    uint32_t *up = zs_malloc_array(np ? np : 1, sizeof *up);
    double *work = zs_calloc(np ? np : 1, sizeof *work);
    uint32_t *br = zs_malloc_array(2 * (np ? np : 1), sizeof *br);
    uint8_t *joined = zs_calloc(np ? np : 1, 1);
    double *cost = zs_malloc_array(g->n_barrier ? g->n_barrier : 1, sizeof *cost);
    size_t nb = 0, alive = np;
    if (!up || !work || !br || !joined || !cost) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t c = 0; c < g->n_barrier; c++) {
        uint32_t a = g->cut[2 * c], b = g->cut[2 * c + 1];
        cost[c] = t->join_cost ? t->join_cost(t->join_ctx, a, b)
                               : hypot(t->x[a] - t->x[b], t->y[a] - t->y[b]);
    }
    for (size_t p = 0; p < np; p++)
        up[p] = (uint32_t)p;
    for (size_t i = 0; i < n; i++)
        work[g->part[i]] += t->w ? t->w[i] : 1.0;
    while (alive > 1) {
        /* the lightest root that must go (ties: lower id) */
        size_t best = np;
        for (size_t p = 0; p < np; p++) {
            if (up[p] != p)
                continue;
            int must = (must_join && must_join[p]) || work[p] < min_work || alive > max_parts;
            if (must && (best == np || work[p] < work[best]))
                best = p;
        }
        if (best == np)
            break;
        /* its cheapest barrier edge to another root */
        double bl = HUGE_VAL;
        size_t be = g->n_barrier;
        for (size_t c = 0; c < g->n_barrier; c++) {
            uint32_t a = g->cut[2 * c], b = g->cut[2 * c + 1];
            uint32_t ra = uf_find(up, g->part[a]), rb = uf_find(up, g->part[b]);
            if (ra == rb || (ra != best && rb != best))
                continue;
            double l = cost[c];
            if (l < bl) {
                bl = l;
                be = c;
            }
        }
        if (be == g->n_barrier)
            break; /* nothing to join it to (cannot happen on a Delaunay graph) */
        uint32_t a = g->cut[2 * be], b = g->cut[2 * be + 1];
        uint32_t ra = uf_find(up, g->part[a]), rb = uf_find(up, g->part[b]);
        br[2 * nb] = a;
        br[2 * nb + 1] = b;
        nb++;
        joined[best] = 1;
        uint32_t keep = ra == best ? rb : ra;
        up[best] = keep;
        work[keep] += work[best];
        alive--;
    }
    /* Pocket points: those of every part that was joined to another (in
     * index order); then the merged parts renumbered by lowest point. */
    t->n_pocket = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t p = g->part[i];
        int in_pocket = 0;
        while (1) { /* any joined part on the way to the root */
            if (joined[p]) {
                in_pocket = 1;
                break;
            }
            if (up[p] == p)
                break;
            p = up[p];
        }
        if (in_pocket)
            t->pocket[t->n_pocket++] = (uint32_t)i;
    }
    uint32_t *ren = zs_malloc_array(np ? np : 1, sizeof *ren);
    if (!ren) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t p = 0; p < np; p++)
        ren[p] = NIL;
    t->n_parts = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = uf_find(up, g->part[i]);
        if (ren[r] == NIL)
            ren[r] = (uint32_t)t->n_parts++;
        t->part[i] = ren[r];
    }
    zs_free(ren);
    zs_free(t->bridge);
    t->n_bridge = nb;
    t->bridge = br;
    br = NULL;
    st = build_graph(t, g, t->bridge, nb, err);
done:
    zs_free(up);
    zs_free(work);
    zs_free(br);
    zs_free(joined);
    zs_free(cost);
    return st;
}

/* Can point i leave its zone and leave it connected (and not empty)? */
static zs_status repair_start(terr *t, const zs_adjacency *g, const int32_t *start,
                              zs_err *err)
{
    size_t n = t->n, k = t->k;
    zs_status st = ZS_OK;
    uint32_t *piece = zs_malloc_array(n, sizeof *piece);
    double *pwork = zs_malloc_array(n, sizeof *pwork);
    uint32_t *bestp = zs_malloc_array(k, sizeof *bestp);
    double *bestw = zs_malloc_array(k, sizeof *bestw);
    uint8_t *must = NULL;
    if (!piece || !pwork || !bestp || !bestw) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        piece[i] = NIL;
    for (size_t z = 0; z < k; z++) {
        bestp[z] = NIL;
        bestw[z] = -1;
    }
    size_t npieces = 0;
    for (size_t s = 0; s < n; s++) {
        if (piece[s] != NIL)
            continue;
        uint32_t id = (uint32_t)npieces++;
        double wsum = 0;
        size_t qh = 0, qt = 0;
        t->queue[qt++] = (uint32_t)s;
        piece[s] = id;
        while (qh < qt) {
            uint32_t u = t->queue[qh++];
            wsum += t->w ? t->w[u] : 1.0;
            for (size_t j = g->start[u]; j < g->start[u + 1]; j++) {
                uint32_t v = g->nbr[j];
                if (piece[v] == NIL && start[v] == start[s]) {
                    piece[v] = id;
                    t->queue[qt++] = v;
                }
            }
        }
        pwork[id] = wsum;
        int32_t z = start[s];
        if (wsum > bestw[z]) {
            bestw[z] = wsum;
            bestp[z] = id;
        }
    }
    /* kept pieces in, the rest out; then breadth-first from the kept */
    size_t qh = 0, qt = 0;
    for (size_t i = 0; i < n; i++)
        if (piece[i] == bestp[start[i]]) {
            zs_terr_link_in(t, (uint32_t)i, start[i]);
            t->queue[qt++] = (uint32_t)i;
        }
    for (int pass = 0; pass < 2; pass++) {
        while (qh < qt) {
            uint32_t u = t->queue[qh++];
            for (size_t j = t->start[u]; j < t->start[u + 1]; j++) {
                uint32_t v = t->nbr[j];
                if (t->zone[v] < 0) {
                    zs_terr_link_in(t, v, t->zone[u]);
                    t->queue[qt++] = v;
                }
            }
        }
        if (qt == n || pass)
            break;
        /* parts no kept piece reaches: join them across barriers */
        must = zs_calloc(g->n_parts, 1);
        if (!must) {
            st = ZS_NOMEM(err);
            goto done;
        }
        uint8_t *reached = zs_calloc(g->n_parts, 1);
        if (!reached) {
            st = ZS_NOMEM(err);
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            if (t->zone[i] >= 0)
                reached[g->part[i]] = 1;
        for (size_t p = 0; p < g->n_parts; p++)
            must[p] = !reached[p];
        zs_free(reached);
        if ((st = join_pockets(t, g, 0.0, g->n_parts, must, err)) != ZS_OK)
            goto done;
        qh = 0;
        qt = 0;
        for (size_t i = 0; i < n; i++)
            if (t->zone[i] >= 0)
                t->queue[qt++] = (uint32_t)i;
    }
    for (size_t i = 0; i < n; i++)
        if (t->zone[i] < 0) {
            st = ZS_INTERNAL(err, "territory repair: point %zu was not reached", i);
            goto done;
        }
done:
    zs_free(piece);
    zs_free(pwork);
    zs_free(bestp);
    zs_free(bestw);
    zs_free(must);
    return st;
}

/* Step 6 (zone_work.h): each zone's travel scale set to its measured
 * travel over the formula's, W and the sum recomputed in zone order; *dev
 * the largest deviation then.  door, tr: the k zones' measured door and
 * travel minutes, or NULL. */
static zs_status calibrate_tours(terr *t, double *door, double *tr, double *dev, zs_err *err)
{
    double *own = tr ? NULL : zs_malloc_array(t->k ? t->k : 1, sizeof *own);
    if (!tr && !(tr = own))
        return ZS_NOMEM(err);
    zs_status st = zs_zone_work_plan(t->m, t->x, t->y, t->w, t->zone, t->n, t->k, door, tr, err);
    if (st == ZS_OK) {
        t->sumW = 0;
        for (size_t z = 0; z < t->k; z++) {
            t->s[z].travel_scale = 1.0;
            double f = zs_zone_work_travel(t->m, &t->s[z]);
            t->s[z].travel_scale = f > 0 && tr[z] > 0 ? tr[z] / f : 1.0;
            t->W[z] = zs_zone_work_total(t->m, &t->s[z]);
            t->sumW += t->W[z];
        }
        size_t arg = 0;
        *dev = zs_terr_max_dev(t, &arg);
    }
    zs_free(own);
    return st;
}

/* Step 6 (in polish, and on a street network for the plan kept): balance
 * again on the zones' own tours until the band holds on them (or the
 * rounds run out; the band is judged on the measured travel afterwards
 * either way); *dev the largest deviation; door, tr (or NULL): the k zones'
 * door and travel minutes as the band was last judged, on the plan as it
 * is left. */
static zs_status measured(terr *t, const zs_partition_opts *o, double *door, double *tr,
                          double *dev, zs_err *err)
{
    size_t arg = 0, rounds = (size_t)o->max_iter;
    zs_status st;
    *dev = zs_terr_max_dev(t, &arg);
    if (!zs_zone_work_sampled(t->m))
        return ZS_OK;
    for (int r = 0; r < ZS_TERRITORY_TOUR_ROUNDS; r++) {
        if ((st = calibrate_tours(t, door, tr, dev, err)) != ZS_OK)
            return st;
        if (*dev <= t->tol)
            return ZS_OK;
        if ((st = zs_terr_search(t, rounds, err)) != ZS_OK)
            return st;
    }
    return calibrate_tours(t, door, tr, dev, err);
}

/* Steps 4-6 on the plan in t: balance, then (from scratch) compactness
 * rounds, then measured travel; *dev the largest deviation of the result
 * as the band is judged (on measured travel where the model samples
 * tours).  snap: n scratch. */
static zs_status polish(terr *t, const zs_partition_opts *o, int32_t *snap, double *dev,
                        zs_err *err)
{
    size_t n = t->n, arg = 0;
    size_t rounds = (size_t)o->max_iter; /* search rounds (see zs_terr_search) */
    zs_status st;
    if (!o->start_zone)
        zs_terr_untangle(t, 20);
    if ((st = zs_terr_search(t, rounds, err)) != ZS_OK)
        return st;
    /* From scratch, alternate compactness and balance a few times (a
     * repair keeps its moves few and skips this). */
    for (int r = 0; !o->start_zone && r < ZS_TERRITORY_COMPACT_ROUNDS; r++) {
        /* compactness may leave the band (ZS_TERRITORY_COMPACT_SLACK): a
         * round whose search cannot bring a plan that was in the band back
         * into it is undone */
        int was_in = zs_terr_max_dev(t, &arg) <= t->tol;
        memcpy(snap, t->zone, n * sizeof *snap);
        if (!zs_terr_compact(t, 20))
            break;
        if ((st = zs_terr_search(t, rounds, err)) != ZS_OK)
            return st;
        if (was_in && zs_terr_max_dev(t, &arg) > t->tol) {
            zs_terr_reset(t);
            for (uint32_t i = 0; i < n; i++)
                zs_terr_link_in(t, i, snap[i]);
            break;
        }
    }
    return measured(t, o, NULL, NULL, dev, err);
}

/* Zones whose work lies within the band. */
static size_t within_band(const terr *t)
{
    double mean = t->sumW / (double)t->k;
    size_t in = 0;
    for (size_t z = 0; z < t->k; z++)
        in += fabs(zs_terr_dev(t->W[z], mean)) <= t->tol;
    return in;
}

/* Is a start's plan (largest deviation da, zones within the band wa, hull
 * overlap oa) better than the best so far (db, wb, ob)?  In the band
 * before out of it; in the band, the less overlap; out of it, the nearer
 * the band by more than ZS_TERRITORY_START_DEV_SLACK, else more zones in
 * the band, then the less overlap.  Where an area too small for a zone
 * keeps one zone out whatever the start, the largest deviation is that
 * zone's and does not tell the starts apart; the zones in the band do.
 * Equal: no (the earlier start stays). */
static int better_start(double da, size_t wa, double oa, double db, size_t wb, double ob,
                        double tol)
{
    int ina = da <= tol, inb = db <= tol;
    if (ina != inb)
        return ina;
    if (!ina && fabs(da - db) > ZS_TERRITORY_START_DEV_SLACK)
        return da < db;
    if (wa != wb)
        return wa > wb;
    return oa < ob;
}

/* t->bstart / t->bnbr from the adjacency graph's barrier edges keep[c]
 * marks (g->cut), replacing any before.  0, or -1 out of memory. */
static int set_barrier_pairs(terr *t, const zs_adjacency *g, const uint8_t *keep)
{
    size_t n = t->n, m = 0;
    for (size_t c = 0; c < g->n_barrier; c++)
        m += keep[c];
    zs_free(t->bstart);
    zs_free(t->bnbr);
    t->bstart = NULL;
    t->bnbr = NULL;
    if (!m)
        return 0;
    t->bstart = zs_calloc(n + 1, sizeof *t->bstart);
    t->bnbr = zs_malloc_array(2 * m, sizeof *t->bnbr);
    size_t *fill = zs_malloc_array(n ? n : 1, sizeof *fill);
    if (!t->bstart || !t->bnbr || !fill) {
        zs_free(fill);
        return -1;
    }
    for (size_t c = 0; c < g->n_barrier; c++)
        if (keep[c]) {
            t->bstart[g->cut[2 * c] + 1]++;
            t->bstart[g->cut[2 * c + 1] + 1]++;
        }
    for (size_t i = 0; i < n; i++) {
        t->bstart[i + 1] += t->bstart[i];
        fill[i] = t->bstart[i];
    }
    for (size_t c = 0; c < g->n_barrier; c++)
        if (keep[c]) {
            uint32_t a = g->cut[2 * c], b = g->cut[2 * c + 1];
            t->bnbr[fill[a]++] = b;
            t->bnbr[fill[b]++] = a;
        }
    zs_free(fill);
    return 0;
}

/* Is the barrier edge a-b one of t's pairs? */
static int is_pair(const terr *t, uint32_t a, uint32_t b)
{
    if (!t->bstart)
        return 0;
    for (size_t j = t->bstart[a]; j < t->bstart[a + 1]; j++)
        if (t->bnbr[j] == b)
            return 1;
    return 0;
}

/* The barrier pairs (t->bstart / t->bnbr) a zone must not hold both ends
 * of.  With crossed NULL: the adjacency graph's barrier edges whose two
 * ends lie in one part of it (g->part): a barrier line that ends, so its
 * two sides are joined round it.  Edges between parts stay out: only a
 * pocket crosses those, by design.  So do edges with a short way round
 * the line's end through any points (zs_shape_way_round: the tip of a
 * harbour basin, a pond), which the shape does not count as crossings
 * either: fenced in by them a zone at a basin's tip could neither grow
 * nor shed (Krems: one zone 48% under the mean).  With crossed: the pairs
 * there are, and those of the edges left out that the plan in t holds
 * with no way round inside their zone (the shape's crossings: the way
 * round goes through another zone), counted into *crossed; such pairs are
 * added as the plan meets them, not before, so the zones at a basin's tip
 * stay free to go round it.  ZS_ENOMEM. */
static zs_status build_barrier_pairs(terr *t, const zs_adjacency *g, size_t *crossed,
                                     zs_err *err)
{
    size_t n = t->n;
    uint8_t *keep = zs_calloc(g->n_barrier ? g->n_barrier : 1, 1);
    uint32_t *seen = zs_calloc(n ? n : 1, sizeof *seen);
    uint32_t *queue = zs_malloc_array(n ? n : 1, sizeof *queue);
    if (!keep || !seen || !queue) {
        zs_free(keep);
        zs_free(seen);
        zs_free(queue);
        return ZS_NOMEM(err);
    }
    if (crossed)
        *crossed = 0;
    for (size_t c = 0; c < g->n_barrier; c++) {
        uint32_t a = g->cut[2 * c], b = g->cut[2 * c + 1];
        if (g->part[a] != g->part[b])
            continue;
        if (crossed) {
            keep[c] = is_pair(t, a, b);
            if (!keep[c] && t->zone[a] == t->zone[b] &&
                !zs_shape_way_round(t->start, t->nbr, NULL, NULL, t->x, t->y, t->zone, a, b,
                                    seen, (uint32_t)c + 1, queue)) {
                keep[c] = 1;
                (*crossed)++;
            }
        } else {
            keep[c] = !zs_shape_way_round(g->start, g->nbr, NULL, NULL, t->x, t->y, NULL, a, b,
                                          seen, (uint32_t)c + 1, queue);
        }
    }
    zs_free(seen);
    zs_free(queue);
    int fail = (!crossed || *crossed) && set_barrier_pairs(t, g, keep) < 0;
    zs_free(keep);
    return fail ? ZS_NOMEM(err) : ZS_OK;
}

/* The plan in t rid of the crossings the barrier pairs did not foresee
 * (build_barrier_pairs with crossed): each round adds the edges its zones
 * cross as pairs, untangles and balances again, until none is left or
 * the rounds run out.  *dev: the largest deviation after. */
static zs_status settle_crossings(terr *t, const zs_partition_opts *o, const zs_adjacency *g,
                                  double *dev, zs_err *err)
{
    zs_status st = ZS_OK;
    for (int r = 0; r < ZS_TERRITORY_SETTLE_ROUNDS; r++) {
        size_t crossed = 0;
        if ((st = build_barrier_pairs(t, g, &crossed, err)) != ZS_OK || !crossed)
            break;
        zs_terr_untangle(t, 20);
        if ((st = zs_terr_search(t, (size_t)o->max_iter, err)) != ZS_OK ||
            (st = measured(t, o, NULL, NULL, dev, err)) != ZS_OK)
            break;
    }
    return st;
}

/* Everything a start changes (the plan, its sums and scratch), allocated
 * for t->n points and t->k zones, every point in no zone; the graph,
 * parts, pockets and part_scale stay shared.  0, or -1 out of memory
 * (what was allocated is freed by terr_work_free). */
static int terr_work_alloc(terr *t)
{
    size_t n = t->n, k = t->k;
    t->zone = zs_malloc_array(n, sizeof *t->zone);
    t->s = zs_calloc(k, sizeof *t->s);
    t->W = zs_calloc(k, sizeof *t->W);
    t->next = zs_malloc_array(n, sizeof *t->next);
    t->prev = zs_malloc_array(n, sizeof *t->prev);
    t->head = zs_malloc_array(k, sizeof *t->head);
    t->size = zs_calloc(k, sizeof *t->size);
    t->stamp = zs_calloc(n, sizeof *t->stamp);
    t->cur = 0;
    t->queue = zs_malloc_array(n, sizeof *t->queue);
    t->pocket_tmp = zs_malloc_array(n, sizeof *t->pocket_tmp);
    t->chain_pt = zs_malloc_array(k, sizeof *t->chain_pt);
    t->chain_from = zs_malloc_array(k, sizeof *t->chain_from);
    t->chain_w = zs_malloc_array(k, sizeof *t->chain_w);
    t->block = zs_malloc_array(n, sizeof *t->block);
    t->zadj = NULL;
    t->zfrom = NULL;
    t->zq = NULL;
    t->moves = 0;
    t->sumW = 0;
    if (!t->zone || !t->s || !t->W || !t->next || !t->prev || !t->head || !t->size ||
        !t->stamp || !t->queue || !t->pocket_tmp || !t->chain_pt || !t->chain_from ||
        !t->chain_w || !t->block)
        return -1;
    for (size_t i = 0; i < n; i++)
        t->zone[i] = -1;
    for (size_t z = 0; z < k; z++)
        t->head[z] = NIL;
    return 0;
}

static void terr_work_free(terr *t)
{
    zs_free(t->zone);
    zs_free(t->s);
    zs_free(t->W);
    zs_free(t->next);
    zs_free(t->prev);
    zs_free(t->head);
    zs_free(t->size);
    zs_free(t->stamp);
    zs_free(t->queue);
    zs_free(t->pocket_tmp);
    zs_free(t->chain_pt);
    zs_free(t->chain_from);
    zs_free(t->chain_w);
    zs_free(t->block);
    t->zone = NULL;
    t->s = NULL;
    t->W = NULL;
    t->next = t->prev = t->head = NULL;
    t->size = NULL;
    t->stamp = t->queue = t->pocket_tmp = t->chain_pt = t->block = NULL;
    t->chain_from = NULL;
    t->chain_w = NULL;
}

/* Start s (s >= 1) of step 7 on its own copy of the working state (the
 * graph and parts of t shared, read only): its plan into zone_out, its
 * largest deviation and moves; the parts' bound into *bound_out's fields.
 * Runs in parallel with the other starts. */
static zs_status one_start(const terr *t, const zs_partition_opts *o, size_t s,
                           int32_t *zone_out, double *dev, size_t *within, size_t *moves,
                           terr *bound_out, zs_err *err)
{
    terr c = *t;
    /* first: it replaces every pointer to t's own working arrays */
    int fail = terr_work_alloc(&c) < 0;
    int32_t *snap = zs_malloc_array(t->n, sizeof *snap);
    zs_status st = ZS_OK;
    if (fail || !snap) {
        st = ZS_NOMEM(err);
    } else {
        zs_partition_opts os = *o;
        os.kmeans.seed = o->kmeans.seed + (uint64_t)s * 0x9E3779B97F4A7C15ull;
        if ((st = zs_terr_grow(&c, &os, err)) == ZS_OK &&
            (st = polish(&c, &os, snap, dev, err)) == ZS_OK) {
            memcpy(zone_out, c.zone, t->n * sizeof *zone_out);
            *within = within_band(&c);
            *moves = c.moves;
            bound_out->alloc_dev = c.alloc_dev;
            bound_out->k_within = c.k_within;
            bound_out->k_within_dev = c.k_within_dev;
        }
    }
    terr_work_free(&c);
    zs_free(snap);
    return st;
}

/* Step 7 after the first start (whose plan is in t, its deviation dev0):
 * starts 1 .. starts-1 in parallel from the parts' rescaled allocation,
 * then the best of all kept in t (serially, in start order: the same
 * plan whatever the thread count). */
static zs_status other_starts(terr *t, const zs_partition_opts *o, size_t starts, double dev0,
                              zs_err *err)
{
    size_t n = t->n;
    zs_status st = zs_terr_part_rescale(t, err);
    if (st != ZS_OK)
        return st;
    int32_t *zones = zs_malloc_array(starts * n, sizeof *zones);
    size_t *within = zs_calloc(starts, sizeof *within);
    double *dev = zs_calloc(starts, sizeof *dev);
    size_t *moves = zs_calloc(starts, sizeof *moves);
    zs_status *sts = zs_calloc(starts, sizeof *sts);
    zs_err *errs = zs_calloc(starts, sizeof *errs);
    terr *bounds = zs_calloc(starts, sizeof *bounds);
    if (!zones || !within || !dev || !moves || !sts || !errs || !bounds) {
        st = ZS_NOMEM(err);
        goto out;
    }
    memcpy(zones, t->zone, n * sizeof *zones);
    within[0] = within_band(t);
    dev[0] = dev0;
    moves[0] = t->moves;
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t s = 1; s < starts; s++)
        sts[s] = one_start(t, o, s, zones + s * n, &dev[s], &within[s], &moves[s], &bounds[s],
                           &errs[s]);
    for (size_t s = 1; s < starts; s++)
        if (sts[s] != ZS_OK) {
            *err = errs[s];
            st = sts[s];
            goto out;
        }
    /* the parts' bound as the rescaled allocation gives it */
    t->alloc_dev = bounds[1].alloc_dev;
    t->k_within = bounds[1].k_within;
    t->k_within_dev = bounds[1].k_within_dev;
    size_t best = 0;
    double best_ov = HUGE_VAL;
    for (size_t s = 0; s < starts; s++) {
        double ov = 0;
        if ((st = zs_shape_hull_overlap(t->x, t->y, zones + s * n, n, t->k, &ov, err)) != ZS_OK)
            goto out;
        if (s == 0)
            best_ov = ov;
        else if (better_start(dev[s], within[s], ov, dev[best], within[best], best_ov, t->tol)) {
            best = s;
            best_ov = ov;
        }
    }
    if (best != 0) {
        zs_terr_reset(t);
        for (uint32_t i = 0; i < n; i++)
            zs_terr_link_in(t, i, zones[best * n + i]);
    }
    t->moves = moves[best];
out:
    zs_free(zones);
    zs_free(within);
    zs_free(dev);
    zs_free(moves);
    zs_free(sts);
    zs_free(errs);
    zs_free(bounds);
    return st;
}

zs_status zs_part_territory(const double *x, const double *y, const double *w, size_t n,
                            const zs_partition_opts *o, zs_partition **out, zs_err *err)
{
    *out = NULL;
    size_t k = o->k;
    zs_status st = ZS_OK;
    zs_adjacency *own = NULL;
    const zs_adjacency *g = o->graph;
    zs_zone_work mdef;
    const zs_zone_work *m = o->work;
    if (!m) {
        zs_zone_work_defaults(&mdef);
        m = &mdef;
    }
    if ((st = zs_zone_work_validate(m, err)) != ZS_OK)
        return st;
    if (!g) {
        if ((st = zs_adjacency_build(x, y, n, NULL, &own, err)) != ZS_OK)
            return st;
        g = own;
    } else if (g->n != n) {
        return zs_err_set(err, ZS_EINVAL, "territory: the adjacency graph has %zu points, the "
                                          "plan %zu", g->n, n);
    }
    terr t = {0};
    t.n = n;
    t.k = k;
    t.x = x;
    t.y = y;
    t.w = w;
    t.m = m;
    t.tol = o->tolerance;
    t.join_cost = o->join_cost;
    t.join_ctx = o->join_ctx;
    t.part = zs_malloc_array(n, sizeof *t.part);
    t.pocket = zs_malloc_array(n, sizeof *t.pocket);
    zs_partition *p = NULL;
    int32_t *snap = NULL; /* n: the plan before a compactness round */
    double *door = NULL, *travel = NULL; /* k: the street tours measured last */
    if (!t.part || !t.pocket || terr_work_alloc(&t) < 0) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if (o->start_zone) {
        for (size_t i = 0; i < n; i++)
            if (o->start_zone[i] < 0 || (size_t)o->start_zone[i] >= k) {
                st = zs_err_set(err, ZS_EINVAL, "territory repair: point index %zu has start "
                                                "zone %d, outside 0..%zu", i, o->start_zone[i],
                                k - 1);
                goto done;
            }
        for (size_t i = 0; i < n; i++)
            t.part[i] = g->part[i];
        t.n_parts = g->n_parts;
        if ((st = build_graph(&t, g, NULL, 0, err)) != ZS_OK ||
            (st = repair_start(&t, g, o->start_zone, err)) != ZS_OK)
            goto done;
    } else {
        double total = 0;
        for (size_t i = 0; i < n; i++)
            total += w ? w[i] : 1.0;
        if ((st = join_pockets(&t, g, o->pocket_share * total / (double)k, k, NULL, err)) !=
            ZS_OK)
            goto done;
    }
    if (!(snap = zs_malloc_array(n, sizeof *snap))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if ((st = build_barrier_pairs(&t, g, NULL, err)) != ZS_OK)
        goto done;
    if (o->start_zone) {
        double dev = 0;
        if ((st = polish(&t, o, snap, &dev, err)) != ZS_OK ||
            (st = settle_crossings(&t, o, g, &dev, err)) != ZS_OK)
            goto done;
    } else {
        /* Several starts (step 7), the best kept: the first from the
         * plan's seed, the others, in parallel, from seeds derived from
         * it. */
        size_t starts = o->starts                         ? o->starts
                        : n <= ZS_TERRITORY_STARTS_POINTS ? ZS_TERRITORY_STARTS
                                                          : 1;
        double dev = 0;
        /* On a street network the starts measure their tours on straight
         * lines (the formula's network terms: depot legs, walks, detour):
         * each zone's matrix on the streets costs 50 ms on Krems, 40 of
         * them for 8 starts.  The plan kept is then measured on the
         * streets and balanced on that (step 6 again). */
        zs_zone_work light = *m;
        light.net = NULL;
        t.m = &light;
        if ((st = zs_terr_grow(&t, o, err)) != ZS_OK ||
            (st = polish(&t, o, snap, &dev, err)) != ZS_OK)
            goto done;
        if (starts > 1 && (st = other_starts(&t, o, starts, dev, err)) != ZS_OK)
            goto done;
        if ((st = settle_crossings(&t, o, g, &dev, err)) != ZS_OK)
            goto done;
        t.m = m;
        if (m->net && zs_zone_work_sampled(m)) {
            /* the tours measured last are the plan's: handed over, so the
             * band is not judged on a second measurement (solve.c) */
            if (!(door = zs_malloc_array(k, sizeof *door)) ||
                !(travel = zs_malloc_array(k, sizeof *travel))) {
                st = ZS_NOMEM(err);
                goto done;
            }
            if ((st = measured(&t, o, door, travel, &dev, err)) != ZS_OK)
                goto done;
        }
    }
    if (!(p = zs_partition_alloc(n, k, NULL))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    p->balance.door_min = door;
    p->balance.travel_min = travel;
    door = travel = NULL;
    memcpy(p->zone, t.zone, n * sizeof *p->zone);
    if ((st = zs_part_centres(p, x, y, o->kmeans.weighted ? w : NULL, err)) != ZS_OK)
        goto done;
    p->balance.moves = t.moves;
    if (o->start_zone) {
        double moved_w = 0, all_w = 0;
        for (size_t i = 0; i < n; i++) {
            double wi = w ? w[i] : 1.0;
            all_w += wi;
            if (p->zone[i] != o->start_zone[i]) {
                p->territory.moved++;
                moved_w += wi;
            }
        }
        p->territory.moved_work_share = all_w > 0 ? moved_w / all_w : 0;
    }
    p->territory.pockets = t.n_pocket;
    p->territory.parts = t.n_parts;
    p->territory.part_bound = t.alloc_dev;
    p->territory.k_within = t.k_within;
    p->territory.k_within_dev = t.k_within_dev;
    if (t.n_pocket) {
        p->territory.pocket = t.pocket;
        t.pocket = NULL;
    }
    if (t.n_bridge) {
        p->territory.bridges = t.n_bridge;
        p->territory.bridge = t.bridge;
        t.bridge = NULL;
    }
    p->iterations = (int)(t.moves > (size_t)INT32_MAX ? INT32_MAX : t.moves);
    snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_HEURISTIC);
    *out = p;
    p = NULL;
done:
    zs_partition_free(p);
    zs_adjacency_free(own);
    zs_free(t.start);
    zs_free(t.nbr);
    zs_free(t.part);
    zs_free(t.pocket);
    zs_free(t.bridge);
    zs_free(t.part_scale);
    zs_free(t.bstart);
    zs_free(t.bnbr);
    terr_work_free(&t);
    zs_free(snap);
    zs_free(door);
    zs_free(travel);
    return st;
}
