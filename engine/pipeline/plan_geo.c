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
#include "pipeline/plan_net.h"

void zs_plan_geo_free(zs_plan_geo *g)
{
    if (!g)
        return;
    zs_barriers_free(g->barriers);
    zs_net_free(g->net);
    zs_roads_free(g->roads);
    zs_osm_free(g->osm);
    zs_free(g->depot_rt);
    zs_free(g->stop_walk);
    zs_free(g->street_seg);
    zs_free(g->street_cls);
    zs_adjacency_free(g->graph);
    zs_free(g->stops);
    zs_free(g);
}

/* Appends n segments (and their features, renumbered after *nf) to the
 * growing set; 0 when out of memory. */
static int append(double **seg, int32_t **feat, size_t *n, int32_t *nf, const double *s,
                  const int32_t *f, size_t m, size_t features)
{
    if (!m)
        return 1;
    double *ns = zs_realloc(*seg, 4 * (*n + m) * sizeof *ns);
    if (ns)
        *seg = ns;
    int32_t *nfe = zs_realloc(*feat, (*n + m) * sizeof *nfe);
    if (nfe)
        *feat = nfe;
    if (!ns || !nfe)
        return 0;
    memcpy(*seg + 4 * *n, s, 4 * m * sizeof *s);
    for (size_t j = 0; j < m; j++)
        (*feat)[*n + j] = *nf + (f ? f[j] : 0);
    *n += m;
    *nf += (int32_t)features;
    return 1;
}

/* The file's barriers, a generated city's river and ring road and the
 * street network's tagged ones, as one set (features numbered in that
 * order). */
static zs_status load_barriers(const zs_scenario *sc, const zs_points *pts, const zs_osm *osm,
                               zs_barriers **out, zs_err *err)
{
    *out = NULL;
    zs_barriers *fb = NULL;
    zs_status st = ZS_OK;
    if (sc->barriers.file && (st = zs_barriers_load(sc->barriers.file, pts, &fb, err)) != ZS_OK)
        return st;
    double *gs = NULL, *os = NULL, *seg = NULL;
    int32_t *gf = NULL, *of = NULL, *feat = NULL;
    size_t gn = 0, on = 0, n = 0;
    int32_t nf = 0;
    if (sc->points_generated)
        st = zs_citygen_barriers(&sc->gen, &gs, &gf, &gn, err);
    if (st == ZS_OK && osm)
        st = zs_plan_net_barriers(sc, pts, osm, &os, &of, &on, err);
    if (st == ZS_OK && !gn && !on) {
        *out = fb;
        return ZS_OK;
    }
    if (st == ZS_OK) {
        size_t gfeat = 0, ofeat = 0;
        for (size_t j = 0; j < gn; j++)
            gfeat = (size_t)gf[j] + 1 > gfeat ? (size_t)gf[j] + 1 : gfeat;
        for (size_t j = 0; j < on; j++)
            ofeat = (size_t)of[j] + 1 > ofeat ? (size_t)of[j] + 1 : ofeat;
        if (!(fb ? append(&seg, &feat, &n, &nf, fb->seg, fb->feature, fb->n_seg, fb->n_features)
                 : 1) ||
            !append(&seg, &feat, &n, &nf, gs, gf, gn, gfeat) ||
            !append(&seg, &feat, &n, &nf, os, of, on, ofeat))
            st = ZS_NOMEM(err);
        else
            st = zs_barriers_from_segments(seg, feat, n, out, err);
    }
    zs_free(seg);
    zs_free(feat);
    zs_free(gs);
    zs_free(gf);
    zs_free(os);
    zs_free(of);
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
    g->detour = 1.0;
    if ((st = zs_plan_net_load(sc, pts, depot, g, err)) != ZS_OK ||
        (st = load_barriers(sc, pts, g->osm, &g->barriers, err)) != ZS_OK)
        goto fail;
    zs_adjacency_opts ao;
    zs_adjacency_opts_defaults(&ao);
    ao.barriers = g->barriers;
    ao.long_factor = sc->barriers.long_factor;
    if ((st = zs_adjacency_build(pts->x, pts->y, pts->n, &ao, &g->graph, err)) != ZS_OK)
        goto fail;
    zs_workload_stop_chance(pts->n, pts->type, pts->parcels, sc->demand.nb_size,
                            sc->models_enabled ? &sc->signing : NULL, g->stops);
    zs_zone_work_defaults(&g->work);
    g->work.has_depot = 1;
    g->work.depot_x = depot[0];
    g->work.depot_y = depot[1];
    g->work.speed_kmh = sc->eff.speed_kmh;
    g->work.circuity = sc->eff.circuity;
    /* travel measured on the engine's own tours of sampled days (not on a
     * street network: zs_zone_work_sampled); the draws are fixed, not the
     * simulation's, so a plan does not change with simulation.seed */
    g->work.tour_days = ZS_ZONE_WORK_TOUR_DAYS;
    g->work.tour_seed = 1;
    g->work.stops = g->stops;
    g->work.area_m2 = g->graph->area_m2;
    if ((st = zs_plan_net_work(sc, pts, g, err)) != ZS_OK)
        goto fail;
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

void zs_plan_geo_work(const zs_plan_geo *g, const zs_scenario *sc, size_t plan, zs_zone_work *m)
{
    *m = g->work;
    int kind = zs_scenario_plan_vehicle(sc, plan);
    if (kind >= 0 && !g->net) /* a network's minutes are the profile's */
        m->speed_kmh = sc->fleet.kind[kind].speed_kmh;
}

zs_status zs_plan_geo_figures(const zs_plan_geo *g, const zs_points *pts, const double *workload,
                              const zs_partition *p, const zs_zone_work *m, zs_plan_figures *f,
                              zs_err *err)
{
    memset(f, 0, sizeof *f);
    size_t k = p->k;
    f->door_min = zs_calloc(k ? k : 1, sizeof *f->door_min);
    f->travel_min = zs_calloc(k ? k : 1, sizeof *f->travel_min);
    zs_status st = ZS_OK;
    if (!f->door_min || !f->travel_min)
        st = ZS_NOMEM(err);
    else if ((st = zs_plan_shape_create(p, pts->x, pts->y, g->graph, &f->shape, err)) == ZS_OK)
        st = zs_partition_zone_work(p, m ? m : &g->work, pts->x, pts->y, workload, f->door_min,
                                    f->travel_min, err);
    if (st != ZS_OK) {
        zs_plan_figures_clear(f);
        return st;
    }
    f->work_maxdev = zs_zone_work_maxdev(f->door_min, f->travel_min, k);
    return ZS_OK;
}
