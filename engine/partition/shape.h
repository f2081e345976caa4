/*
 * engine/partition/shape.h -- is a zone plan drawable?
 *
 * Balance is half of a usable plan; the other half is shape (DESIGN.md,
 * "What makes a zone plan usable").  For a plan and the adjacency graph of
 * its points (network/adjacency.h) this module counts:
 *   - pieces: the connected pieces of each zone on the graph (edges whose
 *     two ends are in the zone); a drawable zone is one piece;
 *   - strays: points outside their zone's largest piece (by points; ties
 *     to the piece with the lowest point);
 *   - barrier crossings: barrier edges of the graph (Delaunay edges that
 *     cross a barrier) whose two ends share a zone, and the zones holding
 *     at least one: such a zone reaches across a river or a motorway.
 *     Where a barrier line ends (the tip of a harbour basin, a stream's
 *     source, the extract's edge) a zone may go round it: an edge whose
 *     two ends the zone joins without leaving the ellipse of points at
 *     most ZS_SHAPE_DETOUR x their distance (or their distance +
 *     ZS_SHAPE_DETOUR_M) from both together (foci at the two ends) counts
 *     as a way round, not a crossing;
 *   - bridges: a territory plan joins a pocket (a part of the graph too
 *     small for a zone) to a neighbouring part over one barrier edge, its
 *     bridge (p->territory.bridge; chosen on the streets where there are
 *     streets).  A bridge is an edge of the graph here: the pocket's zone
 *     is one piece over it.  A barrier edge in a zone holding a bridge,
 *     between two parts the bridges join (directly or through other
 *     pockets), is that planned crossing, counted as bridged, not as a
 *     crossing; any other barrier edge in the zone still counts;
 *   - hull overlap: (sum of the zones' convex hull areas - the area of
 *     their union) / the sum; interleaved zones overlap, side-by-side ones
 *     do not;
 *   - compactness: Polsby-Popper 4 pi A / P^2 of each zone's convex hull
 *     (1 for a disc, about 0.785 for a square, towards 0 for a sliver);
 *     hulls because they are defined for any point set; a bent zone along
 *     a river scores lower than it looks, an interleaved one no lower.
 */
#ifndef ZS_ENGINE_PARTITION_SHAPE_H
#define ZS_ENGINE_PARTITION_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"
#include "network/adjacency.h"
#include "partition/partition.h"

/* The longest way round a barrier's end: ZS_SHAPE_DETOUR times the
 * straight distance across, or that distance and ZS_SHAPE_DETOUR_M more,
 * whichever is longer.  3 takes a courier round the tip of a harbour basin
 * 200 m across, not 2 km up a river to where the map's line ends; the
 * kilometre round a short line in open country (a stretch of trunk road, a
 * rail spur, piers on one shore) where the houses on either side of it
 * stand 300 m apart, which three times would count as a crossing. */
#define ZS_SHAPE_DETOUR 3.0
#define ZS_SHAPE_DETOUR_M 1000.0

typedef struct {
    size_t k;
    size_t zones_one_piece;   /* zones that are one piece */
    size_t pieces;            /* pieces over all zones (k when all are one) */
    size_t strays;            /* points outside their zone's largest piece */
    size_t barrier_edges;     /* barrier edges inside a zone, no way round */
    size_t barrier_zones;     /* zones holding one or more of them */
    size_t barrier_alone;     /* of those, zones that cross only inside parts
                                 of the graph where they are the one zone: a
                                 barrier line runs into an area that holds
                                 one zone, which cannot keep to one side */
    size_t bridged_zones;     /* zones joined over a pocket's bridge */
    double hull_overlap;      /* share of the hulls' summed area covered twice or more */
    double pp_mean, pp_min;   /* Polsby-Popper of the zone hulls (zones of >= 3 points) */
    size_t *zone_pieces;      /* k: pieces of each zone (owned) */
    double *zone_pp;          /* k: each zone's Polsby-Popper (0 below 3 points) */
} zs_plan_shape;

/* The shape of plan p (p->n points x, y) on graph g (g->n == p->n).
 * ZS_EINVAL when the sizes differ, ZS_ENOMEM, or GEOS's error.  *out is
 * the caller's: zs_plan_shape_free. */
zs_status zs_plan_shape_create(const zs_partition *p, const double *x, const double *y,
                               const zs_adjacency *g, zs_plan_shape **out, zs_err *err);
void zs_plan_shape_free(zs_plan_shape *s);

/* The hull overlap (above) of the k zones of n points (zone[i] in
 * 0..k-1) into *overlap, without the rest of the shape.  ZS_ENOMEM, or
 * GEOS's error. */
zs_status zs_shape_hull_overlap(const double *x, const double *y, const int32_t *zone, size_t n,
                                size_t k, double *overlap, zs_err *err);

/* The way round a barrier's end (above): is there a path from a to b on
 * the graph nbr[start[i] .. start[i + 1]) (and the extra edges
 * xnbr[xstart[i] .. xstart[i + 1]), NULL: none) through points of a's
 * zone (zone NULL: any point) that never leaves the ellipse of points
 * whose distances to a and b sum to at most the longest way round (above)?
 * seen: a stamp per point, none equal to stamp yet; queue: a point's
 * worth of scratch. */
int zs_shape_way_round(const size_t *start, const uint32_t *nbr, const size_t *xstart,
                       const uint32_t *xnbr, const double *x, const double *y,
                       const int32_t *zone, uint32_t a, uint32_t b, uint32_t *seen,
                       uint32_t stamp, uint32_t *queue);

#endif
