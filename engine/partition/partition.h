/*
 * engine/partition/partition.h -- zone plans: a zone for every point.
 *
 * A zs_partition is the result of any zoning method: the zone index of each
 * point (0..k-1, every zone non-empty), the zone centres, and diagnostics
 * (objective, iterations, convergence, runtime, status).  Methods:
 *   - k-means (Lloyd) with greedy k-means++ seeding (2 + ln k candidates
 *     per centre, as scikit-learn) and restarts, optionally weighted;
 *     deterministic for a seed and for any thread count;
 *   - labels: a planner's own zoning, from the points' zone column or a
 *     CSV mapping point id -> zone.
 * The capacity rule gives k from daily stops when a plan does not fix it.
 */
#ifndef ZS_ENGINE_PARTITION_H
#define ZS_ENGINE_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include "input/points.h"
#include "models/status.h"
#include "network/adjacency.h"
#include "partition/mip.h"
#include "partition/zone_work.h"

typedef struct {
    size_t n, k;
    int32_t *zone;        /* n zone indices in 0..k-1 */
    double *cx, *cy;      /* k centres (weighted means of their points), metres */
    char **label;         /* k zone labels (owned; "1".."k" for methods) */
    double objective;     /* SSE in m^2 (weighted when weights were used) */
    int iterations;       /* Lloyd iterations of the kept restart */
    int converged;        /* 1 when the kept restart converged */
    double runtime_s;     /* wall time of the method */
    char method[32];      /* "kmeans", "manual" */
    char status[64];      /* what the plan is, one thing (partition/mip.h): "optimal",
                             "time limit, gap 1.20%", "infeasible" (exact methods),
                             "heuristic, not proven", "given"; convergence is in
                             iterations/converged, balance in balance.met */

    /* Balance, judged by zs_partition_solve on the final plan (zeroed by
     * the other constructors).  Workload of a zone = sum of its points' w
     * (territory: door + travel, zone_work.h). */
    struct {
        double tolerance;  /* relative tolerance the balance was judged by */
        int met;           /* 1 when every zone's workload lies within
                              tolerance x mean of the mean workload */
        double maxdev;     /* largest |W_z - mean| / mean (0 when mean is 0) */
        size_t within;     /* zones within tolerance x mean of the mean (k
                              when met): how near a plan that missed came */
        size_t moves;      /* kmeans-two-stage, territory: points moved */
        size_t merged;     /* zones removed by merge_isolated */
        double *door_min;  /* territory: each zone's door minutes and travel */
        double *travel_min; /* as the balance was judged on them (k each, owned;
                               zone_work.h), or NULL: zs_partition_zone_work */
    } balance;

    /* pmedian-ip: the exact program's result, zero for the other methods.
     * objective is then sum w_i d(i, median), m. */
    struct {
        double bound;       /* proven lower bound on the optimum */
        double gap;         /* (objective - bound) / objective */
        int proven;         /* 1 when the plan is proven optimal */
        size_t cells;       /* occupied grid cells the program ran on beyond
                               ZS_PMEDIAN_AGG_N points; 0: on the points */
        double cell_side_m; /* their side; cell (floor((x - min x) / side),
                               floor((y - min y) / side)); 0 with cells 0 */
        int infeasible;     /* 1: proven that no plan meets the band; the zones
                               are then the unbalanced optimum's (a fallback,
                               never to be shown as a plain result) */
    } exact;

    /* territory: what the method did beyond the plan, zero for the others. */
    struct {
        size_t pockets;          /* points of parts joined across a barrier */
        uint32_t *pocket;        /* their indices, ascending (owned), or NULL */
        size_t bridges;          /* barrier edges the pockets were joined over */
        uint32_t *bridge;        /* 2 per bridge: its two points (owned), or NULL;
                                    a pocket's zone is one piece over its bridge
                                    (shape.h) */
        size_t moved;            /* repair: points whose zone differs from the start */
        double moved_work_share; /* their share of the workload (w) */
        size_t parts;            /* parts the barriers leave after pockets joined */
        double part_bound;       /* from scratch: the largest deviation of a part's
                                    work per zone from the mean under the best
                                    allocation of zones to parts found (about the
                                    best balance the barriers allow; 0 with one
                                    part) */
        size_t k_within;         /* part_bound > tolerance: the fewest zones above
                                    k whose allocation fits the band, or 0 */
        double k_within_dev;     /* that allocation's deviation */
    } territory;
} zs_partition;

typedef struct {
    uint64_t seed;        /* seeding stream key (ZS_PURPOSE_PARTITION) */
    int restarts;         /* independent k-means++ starts, best SSE kept; >= 1 */
    int max_iter;         /* Lloyd iteration limit; >= 1 */
    double tol;           /* stop when no assignment changes, or when the
                             relative SSE decrease is below tol (>= 0) */
    int weighted;         /* 1: weight points by the w array */
    const double *init_x, *init_y; /* k initial centres (borrowed), or NULL:
                                      greedy k-means++ seeding (2 + ln k
                                      candidates per centre, as
                                      scikit-learn).  With initial
                                      centres restarts must be 1. */
} zs_kmeans_opts;

/* seed 1, restarts 4, max_iter 300, tol 0, unweighted. */
void zs_kmeans_opts_defaults(zs_kmeans_opts *o);
zs_status zs_kmeans_opts_validate(const zs_kmeans_opts *o, zs_err *err);

/* k-means of n points (x, y, optional weights w >= 0, NULL = all 1) into k
 * zones.  Requires 1 <= k <= n (ZS_EINVAL otherwise, naming both).  Empty
 * clusters are re-seeded with the point farthest from its centre, so every
 * zone is non-empty on return.  The result is the same for any OpenMP
 * thread count: sums are accumulated in fixed blocks and reduced in order. */
zs_status zs_partition_kmeans(const double *x, const double *y, const double *w,
                              size_t n, size_t k, const zs_kmeans_opts *opts,
                              zs_partition **out, zs_err *err);

/* A plan from given zone indices zone[0..n) in 0..k-1 with labels
 * (copied; NULL = "1".."k").  Zones without points are an input error
 * naming the label.  Centres are the (unweighted) means of the points. */
zs_status zs_partition_from_labels(const zs_points *pts, const int32_t *zone, size_t k,
                                   char *const *labels, zs_partition **out, zs_err *err);

/* A plan from a CSV mapping point id -> zone label (header with columns
 * col_id and col_zone).  Every point must appear exactly once; unknown ids,
 * duplicates and missing points are input errors naming file:line:col (or
 * the first missing id). */
zs_status zs_partition_load_csv(const zs_points *pts, const char *path,
                                const char *col_id, const char *col_zone,
                                zs_partition **out, zs_err *err);

/* Addition: as zs_partition_load_csv, reading the file in encoding (NULL =
 * UTF-8; see input/csv.h zs_csv_open_enc; setting names the option in the
 * not-UTF-8 hint). */
zs_status zs_partition_load_csv_enc(const zs_points *pts, const char *path,
                                    const char *col_id, const char *col_zone,
                                    const char *encoding, const char *setting,
                                    zs_partition **out, zs_err *err);

/* Addition (issue 19): how a planner's zone file is read. */
typedef struct {
    const char *col_id, *col_zone;          /* NULL: "id", "zone" */
    const char *encoding, *encoding_setting; /* as zs_partition_load_csv_enc */
    /* 1: a row with an empty zone label leaves its point unassigned, and
     * every unassigned point takes the zone of the nearest point with a
     * label (zs_points_zone_nearest; the plan's status then says how many);
     * 0: an empty label is an error naming unassigned_setting (NULL:
     * "zones.unassigned: nearest").  A point with no row at all is an
     * error either way: a file that misses points is more likely the wrong
     * file than a gap. */
    int unassigned_nearest;
    const char *unassigned_setting;
} zs_plan_file_opts;

/* Every field NULL or 0. */
void zs_plan_file_opts_defaults(zs_plan_file_opts *o);

/* zs_partition_load_csv_enc with the options above (NULL = defaults). */
zs_status zs_partition_load_file(const zs_points *pts, const char *path,
                                 const zs_plan_file_opts *o, zs_partition **out, zs_err *err);

/* Writes "id,zone" (zone label) for every point. */
zs_status zs_partition_write_csv(const zs_partition *part, const zs_points *pts,
                                 const char *path, zs_err *err);

void zs_partition_free(zs_partition *p);

/* Gives dst the zone labels of src (same k; copied), e.g. a repaired plan
 * the planner's zone names.  ZS_EINVAL when k differs; ZS_ENOMEM leaves
 * dst's labels as they were. */
zs_status zs_partition_copy_labels(zs_partition *dst, const zs_partition *src, zs_err *err);

/* Door and travel minutes of each of p's zones (door, travel: k each) for
 * its points x, y with workloads w: those the balance was judged on when
 * p carries them (p->balance.door_min; m must then be the model p was made
 * with), else zs_zone_work_plan under m.  ZS_ENOMEM. */
zs_status zs_partition_zone_work(const zs_partition *p, const zs_zone_work *m, const double *x,
                                 const double *y, const double *w, double *door, double *travel,
                                 zs_err *err);

/* The capacity rule (DESIGN.md): ceil(daily_stops / (stops_per_hour *
 * hours)), at least 1; 840 stops at 3.5/h over 8 h gives 30.  A tiny
 * tolerance keeps 840/28 at exactly 30 despite rounding. */
size_t zs_partition_capacity_k(double daily_stops, double stops_per_hour, double hours);

/* ==== Zone partitioning I: every method behind one interface ============
 *
 * zs_partition_solve runs one of the methods below on n points with
 * workloads w (NULL = 1 per point).  Geometry (centres, objective) uses w
 * only when kmeans.weighted is 1, as zs_partition_kmeans does; balance
 * always uses w.  Every method returns exactly k non-empty zones (k - m
 * after merge_isolated removed m), and fills the balance diagnostics above
 * honestly: balance.met is 1 only when the returned plan meets the
 * tolerance, whatever the method tried.
 *   grid              rows x cols cells over the bounding box, then merge
 *                     the lightest zone into its lightest neighbour or split
 *                     the heaviest at its weighted median until k zones;
 *   voronoi           nearest-site cells around given sites or k sites from
 *                     k-means++ seeding; no Lloyd iterations;
 *   kmeans            zs_partition_kmeans;
 *   kmeans-density    Lloyd from density-based initial centres
 *                     (zs_partition_density_centres);
 *   kmeans-balanced   weighted k-means with a price per zone added to the
 *                     squared distance, raised for heavy zones and lowered
 *                     for light ones until every zone is within tolerance
 *                     (iterations = price rounds run; the best plan seen is
 *                     kept when max_iter rounds do not reach it);
 *   kmeans-two-stage  k-means, then boundary points moved from the most
 *                     deviating zone to an adjacent one while that lowers the
 *                     largest deviation (moves = points moved);
 *   balanced-flow     constrained k-means (Bradley, Bennett & Demiriz 2000):
 *                     from the k-means plan, alternate the optimal
 *                     assignment under zone size bounds (zs_flow_assign,
 *                     below) and moving the centres to their zones' means,
 *                     until the assignment repeats or the SSE stops falling
 *                     (iterations = assignments solved, at most max_iter).
 *                     The bounds are on point COUNTS: lo = ceil((1 - tol)
 *                     n/k), hi = floor((1 + tol) n/k), widened to floor and
 *                     ceil of n/k when no integer count fits, and lo >= 1.
 *                     Workloads w count only in the reported balance; when w
 *                     is not 1 everywhere the status says "(counts
 *                     balanced)" (a workload-bounded exact assignment is a
 *                     generalised assignment problem, NP-hard);
 *   territory         contiguous zones on the adjacency graph (o->graph,
 *                     network/adjacency.h: Delaunay cut by barriers), each
 *                     zone's expected work INCLUDING travel (o->work,
 *                     zone_work.h) within tolerance of the mean where the
 *                     points allow it: region growing from k-means seeds,
 *                     then boundary moves that keep every zone one piece,
 *                     from several seedings (o->starts), the plan in the
 *                     band with the least hull overlap kept
 *                     (territory.c).  Balance is judged on that work, not
 *                     on w alone.  With o->start_zone it repairs a given
 *                     plan (contiguity first, then balance) moving few
 *                     points (territory.moved);
 *   pmedian-ip        exact p-median with GLPK (pmedian.h): k medians among
 *                     the points, each point to its nearest (Euclidean, m),
 *                     least sum of gw_i x distance; with ip.balance, every
 *                     zone's workload within tolerance of the mean (each
 *                     median then serves its own point).  Status "optimal"
 *                     when proven (exact = 1), else "... (gap x%)" with
 *                     exact.bound; "infeasible" leaves the uncapacitated
 *                     optimum's zones with balance.met 0.
 *                     Beyond ZS_PMEDIAN_AGG_N (1,500) points the program
 *                     runs on an aggregation and says so: a square grid
 *                     over the bounding box, its side the finest (steps of
 *                     1.1x) with at most ZS_PMEDIAN_AGG_N occupied cells;
 *                     each occupied cell is one unit at the gw-weighted
 *                     mean of its points (plain mean when those weights
 *                     are 0), with objective weight sum gw (point count
 *                     when unweighted) and workload sum w.  Every point
 *                     takes its cell's zone; centres are the chosen cells'
 *                     units.  Status then ends "on N cells" ("optimal on
 *                     1432 cells", "time limit (gap 1.20%) on 1432
 *                     cells"), exact.proven is 0 (optimal for the cells, not the
 *                     points), objective is the POINTS' sum gw_i x
 *                     distance to their zone's centre, while exact.bound
 *                     and mip_gap stay the cells' program's (a bound on
 *                     the cell problem, not on the points').  Balance:
 *                     a cell carries its whole workload into its zone, so
 *                     cell-level balance within tolerance is balance on
 *                     the points; balance.met and balance.maxdev are
 *                     judged on the points regardless, and a few heavy
 *                     cells may make the tolerance unreachable (the
 *                     status and balance then say so).  k above the
 *                     number of occupied cells is ZS_EINVAL.
 * All are deterministic for the seed and for any OpenMP thread count
 * (pmedian-ip: while it finishes within its time limit). */

/* pmedian-ip: largest number of points solved as they are; beyond it the
 * program runs on at most this many grid cells (above).  1,500 keeps the
 * dense distance matrix at 18 MB; how long GLPK takes depends on the
 * instance more than on n (measured timings in pmedian_agg.c). */
#define ZS_PMEDIAN_AGG_N 1500

typedef enum {
    ZS_PM_KMEANS,
    ZS_PM_KMEANS_DENSITY,
    ZS_PM_KMEANS_BALANCED,
    ZS_PM_KMEANS_TWO_STAGE,
    ZS_PM_GRID,
    ZS_PM_VORONOI,
    ZS_PM_BALANCED_FLOW,
    ZS_PM_PMEDIAN_IP,
    ZS_PM_TERRITORY
} zs_partition_method;

#define ZS_PM_COUNT 9

/* "kmeans", "kmeans-density", "kmeans-balanced", "kmeans-two-stage",
 * "grid", "voronoi", "balanced-flow", "pmedian-ip", "territory"; "?" for a value outside
 * the enum. */
const char *zs_partition_method_name(zs_partition_method m);

/* 1 when the balance band is the named method's own target
 * (kmeans-balanced, kmeans-two-stage, territory), so that a plan of it
 * that misses the band must say so; 0 for the others, which are judged
 * by it only for the tables. */
int zs_partition_method_targets_band(const char *name);

/* The method named s, or ZS_EINVAL "unknown partition method 'x' (one of
 * kmeans, kmeans-density, ...)". */
zs_status zs_partition_method_parse(const char *s, zs_partition_method *out, zs_err *err);

typedef struct {
    zs_partition_method method;
    size_t k;                   /* zones, 1..n */
    zs_kmeans_opts kmeans;      /* seeding, restarts, Lloyd limits, geometry weighting */
    double tolerance;           /* relative balance tolerance, >= 0 (0.1 = +-10% of the mean) */
    int merge_isolated;         /* 1: merge isolated one-point zones (all methods) */
    double isolated_factor;     /* isolated = nearest other point farther than factor x
                                   the median nearest-neighbour distance; > 0 */
    double density_radius_m;    /* kmeans-density radius; 0 = 2 sqrt(bbox area / n) */
    const double *site_x, *site_y; /* voronoi: n_sites given sites (borrowed), or NULL:
                                      chosen by k-means++ seeding */
    size_t n_sites;             /* must equal k when sites are given */
    int max_iter;               /* kmeans-balanced: price rounds; balanced-flow:
                                   assignment rounds; >= 1 */
    size_t max_moves;           /* kmeans-two-stage: move limit, 0 = 10 n */
    struct {                    /* pmedian-ip (pmedian.h) */
        double time_limit_s;    /* whole solve, (0, 1e6] s */
        double gap;             /* relative gap to stop at, [0, 1) */
        int balance;            /* 1: zone workloads constrained to tolerance */
    } ip;
    /* territory (territory.c): */
    const zs_adjacency *graph;  /* borrowed; NULL: the plain Delaunay graph */
    const zs_zone_work *work;   /* borrowed; NULL: door minutes and the in-zone
                                   tour from defaults, no depot */
    const int32_t *start_zone;  /* repair: n zones 0..k-1 of the plan to start
                                   from (borrowed), or NULL: from scratch */
    size_t starts;              /* from scratch: seedings tried, the best plan
                                   kept (territory.c, step 7); 0 = the rule:
                                   8 up to 20,000 points, else 1; <= 1000 */
    double pocket_share;        /* from scratch: a part of the graph with less
                                   than this share of a zone's workload (w) is
                                   a pocket, joined over its quickest crossing
                                   (step 1); [0, 1], default 0.5 */
    /* What it costs to join a pocket to a neighbouring part across the
     * barrier edge (a, b) of graph: e.g. travel time on a street network,
     * so a pocket joins over a bridge rather than across the river (called
     * once per barrier edge, serially); NULL: the straight distance. */
    double (*join_cost)(void *ctx, size_t a, size_t b);
    void *join_ctx;
} zs_partition_opts;

/* method kmeans, k 1, kmeans defaults, tolerance 0.1, merge_isolated 0
 * with factor 3, density radius 0 (rule), no sites, max_iter 500,
 * max_moves 0 (10 n). */
void zs_partition_opts_defaults(zs_partition_opts *o);

/* Checks every field, naming field and value ("partition.tolerance = -1;
 * must be finite and >= 0"); kmeans fields through zs_kmeans_opts_validate. */
zs_status zs_partition_opts_validate(const zs_partition_opts *o, zs_err *err);

/* Runs o->method on the n points (x, y) with workloads w (NULL = 1 each;
 * finite, >= 0).  k > n, non-finite input and bad options are ZS_EINVAL
 * naming the value; voronoi sites with no point nearest to them are
 * ZS_EINPUT naming the site.  *out is the caller's to free. */
zs_status zs_partition_solve(const double *x, const double *y, const double *w, size_t n,
                             const zs_partition_opts *o, zs_partition **out, zs_err *err);

/* The density-based initial centres of kmeans-density, written to
 * cx[0..k), cy[0..k).  Local density rho_i = sum of w_j over points within
 * radius_m of point i (itself included); radius_m 0 = 2 sqrt(bbox area / n),
 * about 12 neighbours on average for a uniform spread.  The first centre is
 * the densest point; each next one maximises rho_i x (distance to the
 * nearest centre chosen so far), which keeps centres apart and still gives
 * sparse edge points their due.  Ties go to the lower index. */
zs_status zs_partition_density_centres(const double *x, const double *y, const double *w,
                                       size_t n, size_t k, double radius_m, double *cx,
                                       double *cy, zs_err *err);

/* ==== Capacitated assignment by minimum-cost flow (flow.c) ===============
 *
 * The transportation problem of n points and k centres: every point goes to
 * exactly one centre, centre j receives between lo[j] and hi[j] points, and
 * the total cost sum_i w_i d^2(i, centre) (squared Euclidean distance in
 * m^2, times the point's cost weight w_i) is least.  Solved exactly, with
 * an integral optimum, by successive shortest paths on the (k + 1)-node
 * graph of centres and a sink: arc a -> b moves the point of a that is
 * cheapest to move to b, its cost kept in per-arc candidate lists.
 * Time O(n k) to start plus, per unit of initial imbalance (points over hi
 * or under lo at the start), one Dijkstra of O(k s) (s nodes settled before
 * the nearest deficit, <= k + 1) and O(k + M) per point moved; memory about
 * 48 MiB of candidate lists (12 k^2 M bytes, M = 4..64) plus 40 bytes a
 * point.  The same result for any number of OpenMP threads; ties go to the
 * lower index.
 *
 * A weighted bound (sum of workloads per zone) is not offered: with
 * indivisible points it is a generalised assignment problem (NP-hard); the
 * count bound is exact and polynomial. */
typedef struct {
    double cost;          /* sum_i w_i d^2(i, zone_i), m^2 (x w) */
    size_t imbalance;     /* units the full problem routed: excess over the
                             bounds at its start */
    int levels;           /* problems solved: 1, or 1 + the samples a cold
                             start above 32768 points was warm-started from
                             (every 8th point, recursively) */
    size_t augmentations; /* shortest paths found, all levels */
    size_t moves;         /* points moved along them, all levels */
    size_t settled;       /* Dijkstra nodes settled, all levels */
    size_t rescans;       /* candidate lists rebuilt from a whole zone */
    double runtime_s;     /* wall time of the call */
} zs_flow_stats;

/* Assigns the n points (x, y) with cost weights w (NULL = 1 each; finite,
 * >= 0) to the k centres (cx, cy) at least total cost subject to
 * lo[j] <= (points of j) <= hi[j] (lo NULL = 0, hi NULL = n; hi above n
 * counts as n), writing zone[0..n).  price_in (k, or NULL = all 0) warm-
 * starts the solver with the prices of an earlier call, e.g. with centres
 * that moved a little: the fewer points they misplace, the faster.
 * price_out (k, or NULL), which may be price_in, receives optimal dual
 * prices: every point's centre minimises w_i d^2(i, j) - price_out[j], and
 * price_out[j] > 0 only if centre j holds lo[j] points, < 0 only if it
 * holds hi[j] -- a certificate of optimality.  stats (or NULL) receives the
 * cost and the work done.  lo[j] > hi[j], lower bounds summing to more
 * than n or upper bounds (clamped to n) to less, k = 0, n >= 2^32 - 1 and
 * non-finite input are ZS_EINVAL naming the value.  On failure zone[] and
 * price_out are unspecified. */
zs_status zs_flow_assign(const double *x, const double *y, const double *w, size_t n,
                         const double *cx, const double *cy, size_t k, const size_t *lo,
                         const size_t *hi, const double *price_in, int32_t *zone,
                         double *price_out, zs_flow_stats *stats, zs_err *err);

#endif
