/*
 * engine/network/adjacency.h -- which delivery points are neighbours.
 *
 * The graph that defines "one piece" for a zone: the Delaunay
 * triangulation of the points (GEOS), less the edges that cross a barrier
 * and the edges that are long for their place.  The rules:
 *   - long edge: longer than long_factor (default 3) times the smaller of
 *     its two endpoints' median Delaunay edge length.  The median is local,
 *     so villages keep their edges to one another while the thin triangles
 *     along the convex hull and the edges across a lake or empty land go;
 *     a village whose only link to town is long gets it back (below).
 *   - barrier edge: meets a barrier segment (network/barriers.h).
 *   - long edges come back where they are needed to keep the graph in one
 *     piece: removed long edges are restored shortest first (Kruskal)
 *     while they join two parts; barrier edges never come back here, so
 *     the parts that remain are the areas the barriers enclose.  The
 *     territory method decides what to do with small ones (pockets).
 *   - points with equal coordinates are neighbours of each other and
 *     share the neighbours of the first of them.
 * Each point also gets an area: a third of every kept triangle it is a
 * corner of (a triangle with a removed edge is empty land or across a
 * barrier and counts for nobody), so a zone's area is the sum over its
 * points, as the travel estimate needs.
 */
#ifndef ZS_ENGINE_NETWORK_ADJACENCY_H
#define ZS_ENGINE_NETWORK_ADJACENCY_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"
#include "network/barriers.h"

typedef struct {
    double long_factor;            /* > 1; default 3 */
    const zs_barriers *barriers;   /* borrowed; NULL = none */
} zs_adjacency_opts;

/* long_factor 3, no barriers. */
void zs_adjacency_opts_defaults(zs_adjacency_opts *o);

typedef struct {
    size_t n;
    size_t *start;        /* n + 1: neighbours of i are nbr[start[i] .. start[i + 1]) */
    uint32_t *nbr;        /* ascending per point */
    double *area_m2;      /* n: the point's share of the kept triangles */
    size_t n_edges;       /* undirected edges kept */
    size_t n_delaunay;    /* undirected Delaunay edges between distinct points */
    size_t n_long;        /* removed as long (after restoring) */
    size_t n_restored;    /* long edges restored to join parts */
    size_t n_barrier;     /* removed as crossing a barrier */
    uint32_t *cut;        /* 2 n_barrier: the endpoints of each barrier edge */
    size_t n_parts;       /* connected parts of the kept graph */
    uint32_t *part;       /* n: part of each point, 0 .. n_parts - 1, numbered
                             by their lowest point */
} zs_adjacency;

/* Memory the graph of one point takes while it is built (GEOS's
 * triangulation: 1.1 GB at 10^6 points, TECHNOTES.md; the graph's arrays),
 * for the estimate zs_adjacency_build checks before allocating. */
#define ZS_ADJACENCY_BYTES_EACH 1500

/* Builds the graph of the n points.  ZS_EINPUT when its estimate
 * (n x ZS_ADJACENCY_BYTES_EACH) exceeds zs_mem_available(); ZS_EINVAL for
 * a bad option or a non-finite coordinate, ZS_ENOMEM, or GEOS's error. */
zs_status zs_adjacency_build(const double *x, const double *y, size_t n,
                             const zs_adjacency_opts *opts, zs_adjacency **out, zs_err *err);

void zs_adjacency_free(zs_adjacency *g);

#endif
