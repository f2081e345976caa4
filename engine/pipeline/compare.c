/*
 * engine/pipeline/compare.c -- the method comparison study: plans x instances x
 * seeds, measured and summarised (see compare.h).
 */
#include "pipeline/compare.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "models/alloc.h"
#include "models/demand.h"
#include "models/workload.h"
#include "partition/metrics.h"
#include "pipeline/run.h"

static int seedless(const zs_plan_spec *pl)
{
    return pl->method == ZS_PLAN_MANUAL || pl->part.method == ZS_PM_PMEDIAN_IP;
}

static void fill_row(zs_compare_row *r, const zs_partition *p, const zs_plan_metrics *m,
                     const zs_plan_figures *f)
{
    r->v[ZS_CM_K] = (double)p->k;
    r->v[ZS_CM_SSE_KM2] = m->sse * 1e-6;
    r->v[ZS_CM_WDIST_KM] = m->weighted_dist_m * 1e-3;
    r->v[ZS_CM_WORK_MAXMIN] = m->balance_maxmin;
    r->v[ZS_CM_WORK_CV] = m->balance_cv;
    r->v[ZS_CM_WORK_MAXDEV] = m->balance_maxdev;
    /* as judged by the method's own rule (territory: work with travel) */
    r->v[ZS_CM_BALANCE_MET] = p->balance.met ? 1.0 : 0.0;
    r->v[ZS_CM_INFEASIBLE] = p->exact.infeasible ? 1.0 : 0.0;
    r->v[ZS_CM_TOUR_TOTAL_KM] = m->tour_total_m * 1e-3;
    r->v[ZS_CM_TOUR_MAX_KM] = m->tour_max_m * 1e-3;
    r->v[ZS_CM_WORK_TRAVEL_MAXDEV] = f->work_maxdev;
    r->v[ZS_CM_ONE_PIECE] = (double)f->shape->zones_one_piece / (double)p->k;
    r->v[ZS_CM_STRAYS] = (double)f->shape->strays;
    r->v[ZS_CM_BARRIER_ZONES] = (double)f->shape->barrier_zones;
    r->v[ZS_CM_HULL_OVERLAP] = f->shape->hull_overlap;
    r->v[ZS_CM_POLSBY_POPPER] = f->shape->pp_mean;
    r->v[ZS_CM_ITERATIONS] = (double)p->iterations;
    r->v[ZS_CM_RUNTIME_S] = p->runtime_s;
}

/* One instance: its points, workloads and every plan x seed. */
static zs_status run_instance(const zs_scenario *sc, zs_compare *c, size_t inst, size_t *row,
                              zs_err *err)
{
    zs_scenario tmp = *sc; /* shallow: only gen.seed and plans differ */
    zs_plan_spec *specs = zs_malloc_array(sc->n_plans, sizeof *specs);
    zs_points *pts = NULL;
    zs_demand *dem = NULL;
    double *w = NULL;
    zs_partition *part = NULL;
    zs_plan_metrics *m = NULL;
    zs_plan_geo *geo = NULL;
    zs_plan_figures fig = {0};
    zs_partition **made = zs_calloc(sc->n_plans, sizeof *made); /* each plan's first, for repairs */
    zs_status st = ZS_OK;
    if (!specs || !made) {
        zs_free(specs);
        zs_free(made);
        return ZS_NOMEM(err);
    }
    memcpy(specs, sc->plans, sc->n_plans * sizeof *specs);
    tmp.plans = specs;
    tmp.gen.seed = sc->gen.seed + inst;
    double depot[2];
    if ((st = zs_run_load_points(&tmp, &pts, depot, err)) != ZS_OK)
        goto done;
    if (!(dem = zs_demand_create(pts->n, pts->parcels, &sc->demand, err))) {
        st = err ? err->code : ZS_ENOMEM;
        goto done;
    }
    size_t auto_k = zs_partition_capacity_k(zs_demand_expected_stops_week(dem),
                                            sc->eff.stops_per_hour, sc->shift_hours);
    c->n_points[inst] = pts->n;
    if (inst == 0)
        zs_run_points_notes(pts, "points.coords: lonlat", c->notes, sizeof c->notes);
    c->auto_k[inst] = auto_k;
    if (!(w = zs_malloc_array(pts->n, sizeof *w))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    zs_workload_index(pts->n, pts->type, pts->parcels, sc->demand.nb_size, &sc->eff,
                      sc->models_enabled ? &sc->signing : NULL,
                      sc->models_enabled ? &sc->waiting : NULL, w);
    zs_workload_add_pickups(pts->n, pts->type, sc->demand.pickup_rate, sc->pickup_min, w);
    if ((st = zs_plan_geo_create(&tmp, pts, depot, &geo, err)) != ZS_OK)
        goto done;
    for (size_t p = 0; p < sc->n_plans; p++) {
        int manual = seedless(&sc->plans[p]);
        for (size_t s = 0; s < (manual ? 1 : c->n_seeds); s++) {
            specs[p].part.kmeans.seed = sc->plans[p].part.kmeans.seed + s;
            zs_zone_work wm;
            zs_plan_geo_work(geo, &tmp, p, &wm);
            if ((st = zs_run_make_plan(&tmp, p, pts, w, auto_k, geo,
                                       (const zs_partition *const *)made, &part, err)) != ZS_OK ||
                (st = zs_plan_metrics_create(part, pts->x, pts->y, w, depot, &m, err)) != ZS_OK ||
                (st = zs_plan_geo_figures(geo, pts, w, part, &wm, &fig, err)) != ZS_OK)
                goto done;
            zs_compare_row *r = &c->rows[(*row)++];
            r->instance = (uint32_t)inst;
            r->plan = (uint32_t)p;
            r->seed_index = (uint32_t)s;
            r->seed = manual ? 0 : specs[p].part.kmeans.seed;
            fill_row(r, part, m, &fig);
            zs_plan_figures_clear(&fig);
            zs_plan_metrics_free(m);
            m = NULL;
            if (s == 0)
                made[p] = part;
            else
                zs_partition_free(part);
            part = NULL;
        }
    }
done:
    if (st != ZS_OK && sc->points_generated && c->n_instances > 1)
        zs_err_prefix(err, "instance %zu (points.generate.seed %llu)", inst,
                      (unsigned long long)tmp.gen.seed);
    zs_plan_metrics_free(m);
    zs_partition_free(part);
    zs_plan_figures_clear(&fig);
    zs_plan_geo_free(geo);
    for (size_t p = 0; p < sc->n_plans; p++)
        zs_partition_free(made[p]);
    zs_free(made);
    zs_free(w);
    zs_demand_free(dem);
    zs_points_free(pts);
    zs_free(specs);
    return st;
}

/* Count, mean, sample sd (0 for one row), min and max of each plan's
 * rows, summed in row order. */
static void summarise(zs_compare *c)
{
    for (size_t p = 0; p < c->n_plans; p++)
        for (int k = 0; k < ZS_CM_COUNT; k++) {
            zs_compare_stat *s = &c->stat[p * ZS_CM_COUNT + k];
            double n = 0, sum = 0, lo = HUGE_VAL, hi = -HUGE_VAL;
            for (size_t i = 0; i < c->n_rows; i++) {
                if (c->rows[i].plan != p)
                    continue;
                double v = c->rows[i].v[k];
                n += 1;
                sum += v;
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            double mean = n > 0 ? sum / n : NAN, ss = 0;
            for (size_t i = 0; i < c->n_rows; i++)
                if (c->rows[i].plan == p) {
                    double d = c->rows[i].v[k] - mean;
                    ss += d * d;
                }
            /* max/min is infinite when a zone carries nothing: keep it so. */
            s->n = n;
            s->mean = mean;
            s->sd = n > 1 && isfinite(mean) ? sqrt(ss / (n - 1)) : (n > 1 ? NAN : 0.0);
            s->min = lo;
            s->max = hi;
        }
}

zs_status zs_compare_run(const zs_scenario *sc, zs_compare_progress_fn progress, void *ctx,
                         zs_compare **out, zs_err *err)
{
    *out = NULL;
    zs_compare *c = zs_calloc(1, sizeof *c);
    if (!c)
        return ZS_NOMEM(err);
    c->n_instances = sc->study_instances;
    c->n_seeds = sc->study_seeds;
    c->n_plans = sc->n_plans;
    size_t per_instance = 0;
    for (size_t p = 0; p < sc->n_plans; p++)
        per_instance += seedless(&sc->plans[p]) ? 1 : c->n_seeds;
    c->n_rows = per_instance * c->n_instances;
    c->plan_name = zs_calloc(c->n_plans, sizeof *c->plan_name);
    c->plan_method = zs_calloc(c->n_plans, sizeof *c->plan_method);
    c->rows = zs_calloc(c->n_rows, sizeof *c->rows);
    c->stat = zs_calloc(c->n_plans * ZS_CM_COUNT, sizeof *c->stat);
    c->n_points = zs_calloc(c->n_instances, sizeof *c->n_points);
    c->auto_k = zs_calloc(c->n_instances, sizeof *c->auto_k);
    zs_status st = ZS_OK;
    if (!c->plan_name || !c->plan_method || !c->rows || !c->stat || !c->n_points || !c->auto_k) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    for (size_t p = 0; p < c->n_plans; p++) {
        const zs_plan_spec *pl = &sc->plans[p];
        const char *method = pl->method == ZS_PLAN_MANUAL ? "manual"
                                                          : zs_partition_method_name(pl->part.method);
        if (!(c->plan_name[p] = zs_strdup(pl->name)) || !(c->plan_method[p] = zs_strdup(method))) {
            st = ZS_NOMEM(err);
            goto fail;
        }
    }
    size_t row = 0;
    for (size_t i = 0; i < c->n_instances; i++) {
        if ((st = run_instance(sc, c, i, &row, err)) != ZS_OK)
            goto fail;
        if (progress)
            progress(ctx, i + 1, c->n_instances);
    }
    summarise(c);
    *out = c;
    return ZS_OK;
fail:
    zs_compare_free(c);
    return st;
}

/* "12.3 +- 0.4" into buf; "-" when there are no rows. */
