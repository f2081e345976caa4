/*
 * engine/pipeline/plan_geo.c -- barriers, adjacency, stop chances and the
 * zone work model of a run, and each plan's figures on them (see
 * plan_geo.h).
 */
#include "pipeline/plan_geo.h"

#include <math.h>
#include <string.h>

#include "models/alloc.h"
#include "models/workload.h"

void zs_plan_geo_free(zs_plan_geo *g)
{
    if (!g)
        return;
    zs_barriers_free(g->barriers);
    zs_adjacency_free(g->graph);
    zs_free(g->stops);
    zs_free(g);
}

zs_status zs_plan_geo_create(const zs_scenario *sc, const zs_points *pts, const double depot[2],
                             zs_plan_geo **out, zs_err *err)
{
    *out = NULL;
    zs_status st = ZS_OK;
    zs_plan_geo *g = zs_calloc(1, sizeof *g);
    if (!g || !(g->stops = zs_malloc_array(pts->n ? pts->n : 1, sizeof *g->stops))) {
        zs_plan_geo_free(g);
        return ZS_NOMEM(err);
    }
    if (sc->barriers.file && (st = zs_barriers_load(sc->barriers.file, pts, &g->barriers, err)) != ZS_OK)
        goto fail;
    zs_adjacency_opts ao;
    zs_adjacency_opts_defaults(&ao);
    ao.barriers = g->barriers;
    ao.long_factor = sc->barriers.long_factor;
    if ((st = zs_adjacency_build(pts->x, pts->y, pts->n, &ao, &g->graph, err)) != ZS_OK)
        goto fail;
    zs_workload_stop_chance(pts->n, pts->parcels, sc->demand.nb_size, g->stops);
    zs_zone_work_defaults(&g->work);
    g->work.has_depot = 1;
    g->work.depot_x = depot[0];
    g->work.depot_y = depot[1];
    g->work.speed_kmh = sc->eff.speed_kmh;
    g->work.circuity = sc->eff.circuity;
    g->work.stops = g->stops;
    g->work.area_m2 = g->graph->area_m2;
    *out = g;
    return ZS_OK;
fail:
    zs_plan_geo_free(g);
    return st;
}

void zs_plan_figures_clear(zs_plan_figures *f)
{
    zs_plan_shape_free(f->shape);
    zs_free(f->door_min);
    zs_free(f->travel_min);
    memset(f, 0, sizeof *f);
}

zs_status zs_plan_geo_figures(const zs_plan_geo *g, const zs_points *pts, const double *workload,
                              const zs_partition *p, zs_plan_figures *f, zs_err *err)
{
    memset(f, 0, sizeof *f);
    size_t k = p->k;
    f->door_min = zs_calloc(k ? k : 1, sizeof *f->door_min);
    f->travel_min = zs_calloc(k ? k : 1, sizeof *f->travel_min);
    zs_status st = ZS_OK;
    if (!f->door_min || !f->travel_min)
        st = ZS_NOMEM(err);
    else if ((st = zs_plan_shape_create(p, pts->x, pts->y, g->graph, &f->shape, err)) == ZS_OK)
        st = zs_zone_work_plan(&g->work, pts->x, pts->y, workload, p->zone, p->n, k, f->door_min,
                               f->travel_min, err);
    if (st != ZS_OK) {
        zs_plan_figures_clear(f);
        return st;
    }
    double sum = 0;
    for (size_t z = 0; z < k; z++)
        sum += f->door_min[z] + f->travel_min[z];
    double mean = sum / (double)k;
    for (size_t z = 0; z < k && mean > 0; z++)
        f->work_maxdev = fmax(f->work_maxdev, fabs(f->door_min[z] + f->travel_min[z] - mean) / mean);
    return ZS_OK;
}
