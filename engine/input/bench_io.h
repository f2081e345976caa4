/*
 * engine/input/bench_io.h -- readers for the p-median benchmark libraries.
 *
 * Two formats from the literature, so the exact p-median solver
 * (engine/partition/pmedian.h) can be checked against published optima:
 *   - OR-Library uncapacitated p-median files (Beasley 1985, pmed1..40):
 *     "n edges p", then `edges` lines "i j cost" of an undirected graph on
 *     vertices 1..n.  Distances are all-pairs shortest paths (Floyd-
 *     Warshall, as Beasley's note prescribes); when an edge (i, j) appears
 *     more than once the LAST line counts (OR-Library's rule, not the
 *     cheapest one).  A self-loop "i i c" is accepted and ignored (d_ii = 0).
 *   - capacitated p-median files (Osman & Christofides cpmp01-20, Lorena &
 *     Senne SJC, p3038, Stefanello's TSPLIB sets): "n p", then n lines
 *     "x y capacity demand".  The distance convention belongs to the set:
 *     cpmpNN sums FLOOR(Euclidean) (their published optima, e.g. cpmp01 =
 *     713, hold only so), the others use real Euclidean distance.  The
 *     rule can be named, or chosen from the file name (AUTO: a base name
 *     "cpmp" followed by a digit means floor, anything else Euclidean).
 * Every malformed line is an input error naming file:line:col; a file that
 * ends before the count its header announces, or goes on after it, is an
 * input error too.  The objects own their arrays.
 */
#ifndef ZS_ENGINE_BENCH_IO_H
#define ZS_ENGINE_BENCH_IO_H

#include <stddef.h>

#include "models/status.h"

/* Largest vertex / point count read: the distance matrix is dense (n x n
 * doubles, 128 MB at 4,000), and the shortest paths cost n^3. */
#define ZS_BENCH_MAX_N 4000

/* Largest magnitudes read (scenarios/README.md, "Ranges"; issue 22: edge
 * costs of 1e308 gave an "optimal" objective of inf).  Costs and demands:
 * n <= 4,000 of them sum to at most 4e12, inside a double's exact
 * integers (2^53 = 9e15), so path lengths and objectives neither overflow
 * nor round away a unit.  Coordinates: as a points file's metres, so
 * distances stay below 3e8 and their sums over 4,000 points finite. */
#define ZS_BENCH_MAX_COST 1e9
#define ZS_BENCH_MAX_COORD 1e8
#define ZS_BENCH_MAX_QTY 1e9

typedef struct {
    size_t n;     /* vertices (= clients = candidate sites) */
    size_t p;     /* medians asked for by the file */
    size_t edges; /* edge lines read */
    double *dist; /* n x n shortest-path distances, row-major; NULL when
                     timed_out */
    int timed_out;   /* zs_orlib_pmed_load_within: 1 when the shortest paths
                        did not finish within the time limit */
    double load_s;   /* seconds spent reading and on the shortest paths */
} zs_orlib_pmed;

/* Reads an OR-Library p-median file and computes its distance matrix.
 * Errors (ZS_EINPUT, file:line:col): a header without exactly three
 * integers, n outside 1..ZS_BENCH_MAX_N, p outside 1..n, an edge line
 * without three fields, a vertex id outside 1..n, a cost that is not a
 * number in [0, ZS_BENCH_MAX_COST], fewer or more edge lines than announced, and a graph
 * whose shortest paths leave some pair unconnected. */
zs_status zs_orlib_pmed_load(const char *path, zs_orlib_pmed **out, zs_err *err);

/* As zs_orlib_pmed_load, within time_limit_s seconds (0 = none) counted
 * from the call: the shortest paths (n^3, 38 s at n = 4,000 here) are the
 * part of a solve that a --time-limit must cover too.  When the limit is
 * reached before they are complete, returns ZS_OK with (*out)->timed_out
 * = 1, dist NULL and load_s the seconds spent: a result (no distances
 * within the limit), not an error.  File errors as zs_orlib_pmed_load. */
zs_status zs_orlib_pmed_load_within(const char *path, double time_limit_s,
                                    zs_orlib_pmed **out, zs_err *err);
void zs_orlib_pmed_free(zs_orlib_pmed *g);

typedef enum {
    ZS_CPMP_DIST_AUTO,  /* from the file name: "cpmp<digit>..." floor, else euclid */
    ZS_CPMP_DIST_FLOOR, /* floor(Euclidean), Osman & Christofides */
    ZS_CPMP_DIST_EUCLID /* Euclidean, unrounded */
} zs_cpmp_dist;

/* "auto", "floor", "euclid". */
const char *zs_cpmp_dist_name(zs_cpmp_dist r);

typedef struct {
    size_t n, p;
    double *x, *y;     /* coordinates as in the file */
    double *capacity;  /* capacity of each point as a median, >= 0 */
    double *demand;    /* demand of each point, >= 0 */
    zs_cpmp_dist rule; /* FLOOR or EUCLID (AUTO resolved) */
} zs_cpmp;

/* Reads a capacitated p-median file.  Errors (ZS_EINPUT, file:line:col): a
 * header without exactly two integers "n p", n outside 1..ZS_BENCH_MAX_N,
 * p outside 1..n, a point line without four numbers, a coordinate beyond
 * +-ZS_BENCH_MAX_COORD, a capacity or demand outside [0, ZS_BENCH_MAX_QTY],
 * fewer or more point lines than n. */
zs_status zs_cpmp_load(const char *path, zs_cpmp_dist rule, zs_cpmp **out, zs_err *err);
void zs_cpmp_free(zs_cpmp *c);

/* The n x n distance matrix of c under c->rule (row-major, the caller's to
 * zs_free). */
zs_status zs_cpmp_distances(const zs_cpmp *c, double **out, zs_err *err);

/* The rule AUTO gives for a file path (looks at the base name only). */
zs_cpmp_dist zs_cpmp_dist_for_path(const char *path);

#endif
