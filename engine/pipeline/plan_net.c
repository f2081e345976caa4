/*
 * engine/pipeline/plan_net.c -- the street network of a run (network.osm):
 * read, built, snapped, its tagged barriers, and the figures the zone work
 * model takes from it (pipeline/plan_geo.h).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "models/alloc.h"
#include "pipeline/plan_geo.h"
#include "pipeline/plan_net.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

zs_status zs_plan_net_load(const zs_scenario *sc, const zs_points *pts, const double depot[2],
                           zs_plan_geo *g, zs_err *err)
{
    if (!sc->network.osm)
        return ZS_OK;
    zs_status st;
    double t0 = now_s();
    if ((st = zs_osm_load(sc->network.osm, &g->osm, err)) != ZS_OK)
        return st;
    double t1 = now_s();
    if ((st = zs_profile_defaults(&g->profile, zs_profile_name(sc->network.profile), err)) != ZS_OK)
        return st;
    for (int c = 0; c < ZS_HW_COUNT; c++)
        if (sc->network.speed[c] >= 0.0)
            g->profile.speed_kmh[c] = sc->network.speed[c];
    if ((st = zs_roads_build(g->osm, &g->profile, pts->lon0, pts->lat0, sc->network.osm,
                             &g->roads, err)) != ZS_OK)
        return st;
    g->load_s = t1 - t0;
    g->graph_s = now_s() - t1;
    const zs_roads *r = g->roads;
    g->street_seg = zs_malloc_array(4 * r->n_seg + 1, sizeof *g->street_seg);
    g->street_cls = zs_malloc_array(r->n_seg + 1, sizeof *g->street_cls);
    if (!g->street_seg || !g->street_cls)
        return ZS_NOMEM(err);
    for (size_t s = 0; s < r->n_seg; s++) {
        g->street_seg[4 * s] = r->x[r->seg_u[s]];
        g->street_seg[4 * s + 1] = r->y[r->seg_u[s]];
        g->street_seg[4 * s + 2] = r->x[r->seg_v[s]];
        g->street_seg[4 * s + 3] = r->y[r->seg_v[s]];
        g->street_cls[s] = r->seg_cls[s];
    }
    st = zs_net_create(g->roads, &g->profile, pts->x, pts->y, pts->id, pts->n, depot[0],
                       depot[1], sc->network.snap_max_m, &g->net, err);
    if (st != ZS_OK)
        zs_err_prefix(err, "network.osm %s", sc->network.osm);
    return st;
}

/* A closed water way shorter than this round (a pond, a fountain, a pool
 * between two houses) is no barrier: a courier walks round it in a minute,
 * while its outline would still cut the adjacency edges across it (Krems:
 * two houses 100 m apart on either side of a 40 m pond, counted as a zone
 * across the water). */
#define ZS_BARRIER_MIN_RING_M 300.0

/* The length of way w (metres, on the sphere by zs_lonlat_project). */
static double way_length_m(const zs_points *pts, const zs_osm *o, const zs_osm_way *w)
{
    double len = 0;
    for (uint32_t i = 0; i + 1 < w->count; i++) {
        uint32_t a = o->refs[w->first + i], b = o->refs[w->first + i + 1];
        double ax, ay, bx, by;
        zs_lonlat_project(pts->lon0, pts->lat0, o->lon[a], o->lat[a], &ax, &ay);
        zs_lonlat_project(pts->lon0, pts->lat0, o->lon[b], o->lat[b], &bx, &by);
        len += hypot(bx - ax, by - ay);
    }
    return len;
}

/* 1 when way w of the extract is a barrier the scenario asks for. */
static int wanted(const zs_scenario *sc, const zs_points *pts, const zs_osm *o,
                  const zs_osm_way *w)
{
    switch (w->kind) {
    case ZS_WAY_WATER:
    case ZS_WAY_COAST:
        if (w->kind == ZS_WAY_WATER && w->count > 2 &&
            o->refs[w->first] == o->refs[w->first + w->count - 1] &&
            way_length_m(pts, o, w) < ZS_BARRIER_MIN_RING_M)
            return 0;
        return sc->network.water;
    case ZS_WAY_RAIL:
        return sc->network.rail;
    default:
        if (w->flags & ZS_ACC_TUNNEL)
            return 0;
        return (w->cls == ZS_HW_MOTORWAY && sc->network.motorway) ||
               (w->cls == ZS_HW_TRUNK && sc->network.trunk) ||
               (w->cls == ZS_HW_PRIMARY && sc->network.primary);
    }
}

zs_status zs_plan_net_barriers(const zs_scenario *sc, const zs_points *pts, const zs_osm *o,
                               double **seg, int32_t **feat, size_t *n, zs_err *err)
{
    *seg = NULL;
    *feat = NULL;
    *n = 0;
    size_t cnt = 0;
    uint8_t *keep = zs_malloc_array(o->n_ways ? o->n_ways : 1, sizeof *keep);
    if (!keep)
        return ZS_NOMEM(err);
    for (size_t w = 0; w < o->n_ways; w++)
        if ((keep[w] = (uint8_t)wanted(sc, pts, o, &o->ways[w])))
            cnt += o->ways[w].count - 1;
    if (!cnt) {
        zs_free(keep);
        return ZS_OK;
    }
    double *s = zs_malloc_array(4 * cnt, sizeof *s);
    int32_t *f = zs_malloc_array(cnt, sizeof *f);
    if (!s || !f) {
        zs_free(keep);
        zs_free(s);
        zs_free(f);
        return ZS_NOMEM(err);
    }
    size_t k = 0;
    int32_t feature = 0;
    for (size_t w = 0; w < o->n_ways; w++) {
        const zs_osm_way *wy = &o->ways[w];
        if (!keep[w])
            continue;
        for (uint32_t i = 0; i + 1 < wy->count; i++) {
            uint32_t a = o->refs[wy->first + i], b = o->refs[wy->first + i + 1];
            zs_lonlat_project(pts->lon0, pts->lat0, o->lon[a], o->lat[a], &s[4 * k], &s[4 * k + 1]);
            zs_lonlat_project(pts->lon0, pts->lat0, o->lon[b], o->lat[b], &s[4 * k + 2],
                              &s[4 * k + 3]);
            f[k++] = feature;
        }
        feature++;
    }
    zs_free(keep);
    *seg = s;
    *feat = f;
    *n = k;
    return ZS_OK;
}

zs_status zs_plan_net_work(const zs_scenario *sc, const zs_points *pts, zs_plan_geo *g,
                           zs_err *err)
{
    if (!g->net)
        return ZS_OK;
    size_t n = pts->n;
    /* Straight-equivalent metres per network second (plan_geo.h). */
    double eq = sc->eff.speed_kmh / 3.6 / sc->eff.circuity;
    zs_paths_ws *ws = zs_paths_ws_create(g->roads);
    g->depot_rt = zs_malloc_array(n ? n : 1, sizeof *g->depot_rt);
    g->stop_walk = zs_malloc_array(n ? n : 1, sizeof *g->stop_walk);
    if (!ws || !g->depot_rt || !g->stop_walk) {
        zs_paths_ws_free(ws);
        return ZS_NOMEM(err);
    }
    /* The depot's legs both ways (one-way streets make them differ), less
     * the walks at the point, which every stop makes (stop_walk). */
    for (size_t i = 0; i < n; i++) {
        g->stop_walk[i] = 2.0 * g->net->snap[i].snap_m / g->net->walk_mps * eq;
        g->depot_rt[i] = (g->net->dep_out_s[i] + g->net->dep_in_s[i]) * eq - g->stop_walk[i];
    }
    /* The detour of tour legs: about 400 pairs of points 200 m to 2 km
     * apart (a zone's scale), drawn by a fixed sequence, network driving
     * seconds against the straight model's (the walk to the door is per
     * stop, not per metre: left out). */
    double net_s = 0.0, straight_s = 0.0;
    uint64_t st = 0x9e3779b97f4a7c15ULL;
    for (int tries = 0, used = 0; n > 1 && tries < 20000 && used < 400; tries++) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t i = (size_t)(st >> 33) % n;
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t j = (size_t)(st >> 33) % n;
        double d = hypot(pts->x[i] - pts->x[j], pts->y[i] - pts->y[j]);
        if (d < 200.0 || d > 2000.0)
            continue;
        double s1, l1;
        zs_paths_one_to_many(ws, g->roads, &g->net->snap[i], &g->net->snap[j], 1, &s1, &l1);
        net_s += s1;
        straight_s += d / eq;
        used++;
    }
    g->detour = straight_s > 0.0 ? net_s / straight_s : 1.0;
    g->work.depot_rt = g->depot_rt;
    g->work.tour_factor = g->detour;
    g->work.stop_walk = g->stop_walk;
    g->work.net = g->net; /* sampled tours driven on the streets */
    g->work.net_eq = eq;
    zs_paths_ws_free(ws);
    return ZS_OK;
}

double zs_plan_net_join_cost(void *ctx, size_t a, size_t b)
{
    const zs_plan_net_join *j = ctx;
    return zs_net_leg_search(j->net, j->ws, a, b, NULL);
}
