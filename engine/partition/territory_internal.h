/*
 * engine/partition/territory_internal.h -- shared by the files of the
 * territory method: territory.c (parts, pockets, repair, the entry point),
 * territory_grow.c (seeds, growth), territory_search.c (local search),
 * territory_state.c (membership, work sums, connectivity).  Calls run
 * territory.c -> grow, search -> state.
 */
#ifndef ZS_ENGINE_PARTITION_TERRITORY_INTERNAL_H
#define ZS_ENGINE_PARTITION_TERRITORY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "partition/partition_internal.h"
#include "partition/zone_work.h"

/* ---- a binary min-heap of (key, id) --------------------------------------- */

typedef struct {
    double key;
    uint32_t id;
} hitem;

typedef struct {
    hitem *a;
    size_t n, cap;
} heap;

int zs_terr_heap_push(heap *h, double key, uint32_t id);
hitem zs_terr_heap_pop(heap *h);

/* ---- the working state ------------------------------------------------------ */

/* One neighbouring zone and the graph edges between the two. */
typedef struct {
    int32_t zone;
    uint32_t edges;
} zlink;

/* A zone's neighbouring zones, ascending by zone. */
typedef struct {
    zlink *a;
    size_t n, cap;
} zlist;

typedef struct {
    size_t n, k;
    const double *x, *y, *w;
    const zs_zone_work *m;
    double tol;
    /* graph with bridges */
    size_t *start;
    uint32_t *nbr;
    uint32_t *part;     /* after pockets merged */
    size_t n_parts;
    /* plan */
    int32_t *zone;
    zs_zone_sums *s;
    double *W, sumW;
    uint32_t *next, *prev, *head; /* members: doubly linked, UINT32_MAX ends */
    size_t *size;
    /* scratch */
    uint32_t *stamp, cur, *queue;
    uint32_t *pocket_tmp, *chain_pt; /* n scratch: candidates, chain moves */
    int32_t *chain_from;
    uint32_t *block;                 /* n scratch: a block move's points */
    double *chain_w;
    /* zone adjacency, kept by zs_terr_move during the local search only
     * (NULL before zs_terr_zadj_build) */
    zlist *zadj;
    int32_t *zfrom;  /* k scratch: chain search tree */
    uint32_t *zq;    /* k scratch: chain search queue and path */
    /* pockets, and what joining across a barrier edge costs (partition.h) */
    double (*join_cost)(void *ctx, size_t a, size_t b);
    void *join_ctx;
    uint32_t *pocket;
    size_t n_pocket;
    uint32_t *bridge; /* 2 n_bridge: the barrier edges pockets joined over */
    size_t n_bridge;
    size_t moves;
    /* the parts' allocation (territory_grow.c): the largest deviation of a
     * part's work per zone from the mean, and the fewest zones above k
     * whose allocation fits the band (0: none looked at or found) */
    double alloc_dev;
    size_t k_within;
    double k_within_dev;
    /* n_parts: each part's measured work over the model's (part_work),
     * from the first start's plan (zs_terr_part_rescale); NULL = 1 */
    double *part_scale;
    /* Barrier edges inside one part (a river or road whose line ends, so
     * the graph goes round it), by point: bnbr[bstart[i] ..
     * bstart[i + 1]); NULL when there are none.  A zone holding both
     * ends would reach across the barrier. */
    size_t *bstart;
    uint32_t *bnbr;
} terr;

#define NIL UINT32_MAX

/* Growth rounds with adapted multipliers (step 3): on the demo city the
 * largest deviation stops improving after 10-20. */
#define ZS_TERRITORY_GROW_ROUNDS 30

/* Growth stops early when this many rounds in a row found no plan better
 * than the best so far: on the demo city the best came 6 rounds after the
 * one before it (round 8 after round 2); on 10^5 points and 300 zones the
 * deviation climbs from round 4 on (0.48 -> 1-4) and never comes back, and
 * at 10^6 points each round costs about 2 s. */
#define ZS_TERRITORY_GROW_PATIENCE 8

/* Parts with more points than this are seeded by weighted bisection, not
 * k-means: greedy k-means++ with its restarts costs O(n k log k) (about
 * 100 s for 10^6 points and 1,000 zones), bisection O(n log n log k); the
 * seeds only start the growth. */
#define ZS_TERRITORY_KMEANS_SEEDS_MAX 20000

/* Multiplier update m_z *= (W_z / mean)^0.25: exponents 1 and 0.5
 * oscillated on the demo city (largest deviation 11% -> 20-70%), 0.25 and
 * 0.1 settle; 0.25 reached the lower deviation. */
#define ZS_TERRITORY_DAMPING 0.25

/* Rounds of the seed shares' mean work (territory_grow.c, seed_work). */
#define ZS_TERRITORY_SEED_ROUNDS 4

/* Starts out of the band whose largest deviations are this close are told
 * apart by their zones in the band, then overlap (territory.c, step 7). */
#define ZS_TERRITORY_START_DEV_SLACK 0.01

/* Rounds of measured-travel calibration then balance (step 6). */
#define ZS_TERRITORY_TOUR_ROUNDS 4

/* Rounds of adding the barrier edges a plan crosses round another zone as
 * pairs, then untangling and balancing again (territory.c,
 * settle_crossings). */
#define ZS_TERRITORY_SETTLE_ROUNDS 3

/* How far above k the bound search looks for a zone count whose parts'
 * allocation fits the band: a quarter more zones (at least 4). */
#define ZS_TERRITORY_BOUND_EXTRA 0.25

/* ... and only up to this many parts: each zone count looked at costs an
 * allocation (refine_allocation: up to 1000 rounds of parts^3). */
#define ZS_TERRITORY_BOUND_PARTS_MAX 32

/* Ejection chains tried per zone, each avoiding the zone borders where the
 * earlier ones found no point that could leave. */
#define ZS_TERRITORY_CHAIN_TRIES 6

/* A compactness move may take a zone up to this many times the tolerance
 * from the mean (step 5); the balance search after it brings the zones
 * back into the band by the most compact moves.  Within the band alone
 * (1.0) sparse outer zones keep wrapping round their neighbours: hull
 * overlap with 2.0 against 1.0, every plan still in its band: demo city
 * 3.9% / 4.1% (31 zones, 10%) and 3.5% / 7.0% (33 zones, 5%); generated
 * cities of 3,000 points with a river and a ring road, 40 zones, 10%:
 * 7.4% / 12.7%, 5.1% / 6.4%, 4.9% / 5.5% (seeds 3, 11, 21).  3.0 left the
 * 5% plan out of its band. */
#define ZS_TERRITORY_COMPACT_SLACK 2.0

/* Rounds of compactness then balance after the first balance (step 5). */
#define ZS_TERRITORY_COMPACT_ROUNDS 4

/* Starts (step 7): growth and search from this many seedings, the best
 * plan kept (territory.c: better_start), where the points are few enough
 * for a start to cost little (on the demo city about 0.1 s; above
 * ZS_TERRITORY_STARTS_POINTS one start, as the 10^5-point target of 10 s
 * leaves no room).  Randomised starts each followed by a local search are
 * the territory-design literature's usual scheme (Rios-Mercado and
 * Fernandez's GRASP).  A
 * start's hull overlap varies far more than its balance: on the demo
 * city's 33 zones (tolerance 4%) from 3.1% to 9.3% among the starts in
 * the band.  On 27 plans of three generated cities with a river and a
 * ring road (31 and 33 zones), 8 starts against 1: 10 in their band
 * instead of 9, mean hull overlap 8.0% instead of 10.5%, the largest
 * deviation's mean excess over the larger of tolerance and bound 0.18%
 * instead of 0.48%.  With the later starts sharing the zones among the
 * areas by the work the first one measured there (territory.c, step 7),
 * on 24 plans of four more such cities (33 and 40 zones): that excess
 * 0.18% instead of 0.66% (one city's 40 zones: 9.1% instead of 17%),
 * simulated busiest / quietest zone 1.130 instead of 1.142 on average
 * (each start rescaling for the next, serially: 0.10%).  The later
 * starts run in parallel (20,000 points, 150 zones, 8 starts: 6.4 s of
 * one core, 3.8 s on two).  Tried and left out: k-means++
 * with one restart for the later starts (more varied seeds): mean
 * overlap 7.1% instead of 8.1% on the first 27, 5.7% instead of 6.2% on
 * the other 24, but balance a little worse there (excess 0.79% / 0.66%;
 * both measured before the rescaling). */
#define ZS_TERRITORY_STARTS 8
#define ZS_TERRITORY_STARTS_POINTS 20000

/* Growth (step 3): added to a frontier point's key when it lies across a
 * barrier line from the zone (zs_terr_crosses), so the zone takes it
 * only when it has nothing else; larger than any distance in metres. */
#define ZS_TERRITORY_ACROSS_KEY 1e15

/* Adds point i to zone z (membership, sums, work). */
void zs_terr_link_in(terr *t, uint32_t i, int32_t z);
/* Takes point i out of its zone. */
void zs_terr_link_out(terr *t, uint32_t i);
/* Builds t->zadj (and the chain scratch) from the plan, for the local
 * search.  ZS_ENOMEM. */
zs_status zs_terr_zadj_build(terr *t, zs_err *err);
/* Frees t->zadj and the chain scratch. */
void zs_terr_zadj_free(terr *t);
/* Moves point i from its zone to zone to, keeping t->zadj current: the
 * local search's only way to change the plan.  0, or -1 out of memory with
 * nothing changed. */
int zs_terr_move(terr *t, uint32_t i, int32_t to);
/* A fresh stamp value for t->stamp (wraps by clearing). */
uint32_t zs_terr_stamp(terr *t);
/* Can point i leave its zone and leave it connected and not empty?  Uses
 * t->queue and t->stamp. */
int zs_terr_can_leave(terr *t, uint32_t i);
/* The zone's stop-weighted centre (its first point when it has no stops). */
void zs_terr_centre(const terr *t, int32_t z, double *cx, double *cy);
/* Largest |W - mean| / mean; *arg its zone. */
double zs_terr_max_dev(const terr *t, size_t *arg);
/* Every point back to no zone. */
void zs_terr_reset(terr *t);
int zs_terr_cmp_u64(const void *a, const void *b);

/* Would point i in zone z put both ends of a barrier edge in z? */
static inline int zs_terr_crosses(const terr *t, uint32_t i, int32_t z)
{
    if (!t->bstart)
        return 0;
    for (size_t j = t->bstart[i]; j < t->bstart[i + 1]; j++)
        if (t->zone[t->bnbr[j]] == z)
            return 1;
    return 0;
}

static inline double zs_terr_dev(double W, double mean)
{
    return mean > 0 ? (W - mean) / mean : 0.0;
}

/* Sets t->part_scale from the plan in t: each part's work (the sum of its
 * zones' W, measured travel included once calibrated) over what the
 * allocation model of territory_grow.c gives it with the zones it has, so
 * that the next start shares zones among the parts by the work they
 * turned out to have.  A no-op with one part.  ZS_ENOMEM. */
zs_status zs_terr_part_rescale(terr *t, zs_err *err);
/* Steps 2 and 3: seeds and growth (territory_grow.c). */
zs_status zs_terr_grow(terr *t, const zs_partition_opts *o, zs_err *err);
/* Step 4: moves and chains until every zone is within t->tol or nothing
 * helps (territory_search.c). */
zs_status zs_terr_search(terr *t, size_t max_rounds, zs_err *err);
/* Compactness moves within the band (territory_search.c); returns the
 * points moved. */
size_t zs_terr_compact(terr *t, int max_passes);
/* Points sharing their zone with a point across a barrier edge moved to
 * a neighbouring zone they do not cross, alone or, when the point holds
 * small pieces of its zone together, with them (territory_search.c):
 * every move removes crossings and adds none.  Returns the points moved. */
size_t zs_terr_untangle(terr *t, int max_passes);

#endif
