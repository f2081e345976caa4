/*
 * engine/pipeline/plan_geo.h -- the geography every plan of a run is made
 * and judged on.
 *
 * Built once per run from the scenario and its points: the street network
 * (network.osm: read, graph built, points snapped), the barriers
 * (barriers.file, the network's tagged water, railways and major roads, a
 * generated city's river), the adjacency graph they cut (network/adjacency.h), each
 * point's chance of a stop on an average day, and the zone work model
 * (partition/zone_work.h: depot, speed and circuity of the efficiency
 * model).  Territory plans are made on it; every plan's shape and work
 * with travel are measured on it (zs_plan_geo_figures), so all plans of a
 * run compare on the same graph.
 */
#ifndef ZS_ENGINE_PIPELINE_PLAN_GEO_H
#define ZS_ENGINE_PIPELINE_PLAN_GEO_H

#include <stddef.h>

#include "input/points.h"
#include "models/status.h"
#include "network/adjacency.h"
#include "network/barriers.h"
#include "network/osm.h"
#include "network/paths.h"
#include "network/roads.h"
#include "partition/partition.h"
#include "partition/shape.h"
#include "partition/zone_work.h"
#include "pipeline/scenario.h"

typedef struct {
    zs_barriers *barriers;  /* NULL without barriers.file or network barriers */
    /* network.osm: the extract, the profile's street graph, the points and
     * the depot snapped to it (all NULL without a network). */
    zs_osm *osm;
    zs_profile profile;
    zs_roads *roads;
    zs_net *net;
    double load_s, graph_s; /* seconds reading the extract, building the graph */
    double *street_seg;     /* roads->n_seg x 4: the streets in metres, for maps */
    int32_t *street_cls;    /* roads->n_seg highway classes */
    double detour;          /* network driving minutes / straight-line minutes
                               (at the efficiency's speed and circuity) between
                               points 200 m - 2 km apart: the in-zone tour's
                               factor; 1 without */
    double *depot_rt;       /* n: network round trip depot -> point -> depot in
                               straight-equivalent metres (zone_work.h), or NULL;
                               the point's own walks left to stop_walk */
    double *stop_walk;      /* n: walk street -> door -> street at each stop, in
                               the same metres, or NULL */
    zs_adjacency *graph;
    double *stops;          /* n: chance of a stop on an average day */
    zs_zone_work work;      /* borrows stops and graph->area_m2 */
} zs_plan_geo;

/* Builds the geography of sc's points pts with the station at depot.
 * Barrier file errors name the file and the feature (ZS_EINPUT). */
zs_status zs_plan_geo_create(const zs_scenario *sc, const zs_points *pts, const double depot[2],
                             zs_plan_geo **out, zs_err *err);
void zs_plan_geo_free(zs_plan_geo *g);

/* A plan's figures beyond its balance. */
typedef struct {
    zs_plan_shape *shape;   /* owned */
    double *door_min;       /* k: workload index summed per zone */
    double *travel_min;     /* k: drive to and from the depot + in-zone tour */
    double work_maxdev;     /* largest |door + travel - mean| / mean */
} zs_plan_figures;

/* The work model of sc's plan `plan` into *m: g->work with the speed of
 * the plan's vehicle (zs_scenario_plan_vehicle; on a street network the
 * profile's minutes stay).  Borrows g's arrays. */
void zs_plan_geo_work(const zs_plan_geo *g, const zs_scenario *sc, size_t plan, zs_zone_work *m);

/* Shape and work with travel of plan p (made on pts, workloads workload)
 * under work model m (zs_plan_geo_work of its plan; NULL: g->work).  *f is
 * the caller's: zs_plan_figures_clear. */
zs_status zs_plan_geo_figures(const zs_plan_geo *g, const zs_points *pts, const double *workload,
                              const zs_partition *p, const zs_zone_work *m, zs_plan_figures *f,
                              zs_err *err);
void zs_plan_figures_clear(zs_plan_figures *f);

#endif
