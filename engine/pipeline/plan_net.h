/*
 * engine/pipeline/plan_net.h -- the street network part of a run's
 * geography (pipeline/plan_geo.h); used by plan_geo.c only.
 */
#ifndef ZS_ENGINE_PIPELINE_PLAN_NET_H
#define ZS_ENGINE_PIPELINE_PLAN_NET_H

#include "pipeline/plan_geo.h"

/* With network.osm: reads the extract, builds the profile's graph (speed
 * overrides applied) about the points' origin and snaps the points and
 * the depot into g (osm, profile, roads, net, load_s, graph_s).  Errors
 * of the file, the graph and the snapping (a point too far names itself).
 * Without network.osm: nothing. */
zs_status zs_plan_net_load(const zs_scenario *sc, const zs_points *pts, const double depot[2],
                           zs_plan_geo *g, zs_err *err);

/* The extract's ways that network.barriers asks for, as segments in the
 * points' metres (4 n numbers) with a feature number per way; *n 0 and
 * NULL arrays when none.  ZS_ENOMEM. */
zs_status zs_plan_net_barriers(const zs_scenario *sc, const zs_points *pts, const zs_osm *o,
                               double **seg, int32_t **feat, size_t *n, zs_err *err);

/* After the adjacency graph: each point's depot round trip and the
 * network's detour on adjacency edges, set into g->work (depot_rt,
 * tour_factor) and g (depot_rt, detour).  Nothing without a network. */
zs_status zs_plan_net_work(const zs_scenario *sc, const zs_points *pts, zs_plan_geo *g,
                           zs_err *err);

/* The territory method's pocket-join cost on the network (partition.h
 * join_cost): seconds from point a to point b, walks included.  ctx is a
 * zs_plan_net_join with its own search workspace (one per caller). */
typedef struct {
    const zs_net *net;
    zs_paths_ws *ws;
} zs_plan_net_join;
double zs_plan_net_join_cost(void *ctx, size_t a, size_t b);

#endif
