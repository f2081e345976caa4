/*
 * engine/pipeline/plan_geo.c -- barriers, adjacency, stop chances and the
 * zone work model of a run, and each plan's figures on them (see
 * plan_geo.h).
 */
#include "pipeline/plan_geo.h"

#include <string.h>

#include "models/alloc.h"
#include "input/citygen.h"
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

/* The file's barriers and a generated city's river and ring road, as one
 * set (the generator's features numbered after the file's). */
static zs_status load_barriers(const zs_scenario *sc, const zs_points *pts, zs_barriers **out,
                               zs_err *err)
{
    *out = NULL;
    zs_barriers *fb = NULL;
    zs_status st;
    if (sc->barriers.file && (st = zs_barriers_load(sc->barriers.file, pts, &fb, err)) != ZS_OK)
        return st;
    double *gs = NULL;
    int32_t *gf = NULL;
    size_t gn = 0;
    if (sc->points_generated &&
        (st = zs_citygen_barriers(&sc->gen, &gs, &gf, &gn, err)) != ZS_OK) {
        zs_barriers_free(fb);
        return st;
    }
    if (!gn) {
        *out = fb;
        return ZS_OK;
    }
    size_t fn = fb ? fb->n_seg : 0, n = fn + gn;
    double *seg = zs_malloc_array(4 * n, sizeof *seg);
    int32_t *feat = zs_malloc_array(n, sizeof *feat);
    if (!seg || !feat)
        st = ZS_NOMEM(err);
    else {
        if (fn) {
            memcpy(seg, fb->seg, 4 * fn * sizeof *seg);
            memcpy(feat, fb->feature, fn * sizeof *feat);
        }
        memcpy(seg + 4 * fn, gs, 4 * gn * sizeof *seg);
        for (size_t j = 0; j < gn; j++)
            feat[fn + j] = (int32_t)(fb ? fb->n_features : 0) + gf[j];
        st = zs_barriers_from_segments(seg, feat, n, out, err);
    }
    zs_free(seg);
    zs_free(feat);
    zs_free(gs);
    zs_free(gf);
    zs_barriers_free(fb);
    return st;
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
    if ((st = load_barriers(sc, pts, &g->barriers, err)) != ZS_OK)
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
    f->work_maxdev = zs_zone_work_maxdev(f->door_min, f->travel_min, k);
    return ZS_OK;
}
