#include "pipeline/run.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <string.h>
#include <sys/stat.h>

#include "input/files.h"
#include "models/alloc.h"
#include "models/calendar.h"
#include "models/workload.h"
#include "results/h5out.h"
#include "pipeline/plan_net.h"
#include "pipeline/run_internal.h"
#include "sim/sim.h"
#include "pipeline/staffing_run.h"
#include "pipeline/service_run.h"
#include "sim/stats.h"

void zs_run_opts_defaults(zs_run_opts *o)
{
    o->output = NULL;
    o->threads = -1;
    o->progress = NULL;
    o->progress_ctx = NULL;
    o->shard_index = 0;
    o->shard_count = 0;
    o->checkpoint_reps = 0;
    o->resume = 0;
}

zs_status zs_run_shard_output(const char *output, size_t i, size_t n, char *buf, size_t size,
                              zs_err *err)
{
    size_t len = strlen(output);
    if (len >= 3 && !strcmp(output + len - 3, ".h5"))
        len -= 3;
    int w = snprintf(buf, size, "%.*s.shard-%zu-of-%zu.h5", (int)len, output, i, n);
    if (w < 0 || (size_t)w >= size)
        return zs_err_set(err, ZS_EINVAL, "%s: the shard file name is too long", output);
    return ZS_OK;
}

zs_status zs_run_load_points(const zs_scenario *sc, zs_points **out, double depot[2], zs_err *err)
{
    *out = NULL;
    zs_points *pts = NULL;
    zs_status st;
    if (sc->points_generated) {
        st = zs_citygen_run(&sc->gen, &pts, err);
        if (st != ZS_OK) {
            zs_err_prefix(err, "points.generate");
            return st;
        }
    } else {
        zs_points_opts po;
        zs_points_opts_defaults(&po);
        po.col_id = sc->col_id;
        po.col_x = sc->col_x;
        po.col_y = sc->col_y;
        po.col_type = sc->col_type;
        po.col_parcels = sc->col_parcels;
        po.col_zone = sc->col_zone;
        po.col_road = sc->col_road;
        po.col_win_open = sc->col_win_open;
        po.col_win_close = sc->col_win_close;
        po.filter_col = sc->filter_col;
        po.filter_value = sc->filter_value;
        po.lonlat = sc->lonlat;
        po.default_parcels = sc->default_parcels;
        po.default_type = sc->default_type;
        po.delimiter = sc->delimiter;
        po.encoding = sc->encoding;
        po.encoding_setting = "points.encoding";
        po.skip_missing = sc->skip_missing;
        po.unassigned_nearest = sc->zone_unassigned;
        if ((st = zs_points_load_csv(sc->points_file, &po, &pts, err)) != ZS_OK)
            return st;
    }
    if (sc->depot_given && pts->has_lonlat) {
        zs_points_project(pts, sc->depot[0], sc->depot[1], &depot[0], &depot[1]);
    } else if (sc->depot_given || sc->points_generated) {
        depot[0] = sc->depot[0];
        depot[1] = sc->depot[1];
    } else {
        /* No station given: the centroid, the least-biased guess. */
        double sx = 0.0, sy = 0.0;
        for (size_t i = 0; i < pts->n; i++) {
            sx += pts->x[i];
            sy += pts->y[i];
        }
        depot[0] = sx / (double)pts->n;
        depot[1] = sy / (double)pts->n;
    }
    *out = pts;
    return ZS_OK;
}

/* The day model's inputs (issue 21): each day's wave shares (days x
 * waves, from zs_scenario_wave_shares; a peak day is one a demand event
 * with factor > 1 covers) and, when some point type has a window, each
 * point's window in minutes after the shift start (else both NULL).  The
 * caller frees the arrays.  A point window (points.columns.window_open/
 * window_close) overrides its type's.  ZS_ENOMEM. */
static zs_status day_model_inputs(const zs_scenario *sc, const zs_points *pts,
                                  const int64_t *day_number, double **share, double **open,
                                  double **close, zs_err *err)
{
    size_t nw = sc->n_waves ? sc->n_waves : 1;
    *share = zs_malloc_array(sc->days * nw, sizeof **share);
    if (!*share)
        return ZS_NOMEM(err);
    for (size_t d = 0; d < sc->days; d++) {
        int peak = 0;
        for (size_t e = 0; e < sc->demand.n_events; e++) {
            const zs_demand_event *x = &sc->demand.events[e];
            peak |= x->factor > 1.0 && day_number[d] >= x->first_day &&
                    day_number[d] < x->first_day + x->days;
        }
        zs_scenario_wave_shares(sc, day_number[d], peak, *share + d * nw);
    }
    int any = pts->win_open != NULL;
    for (int t = 0; t < ZS_PT_COUNT; t++)
        any |= sc->window_open_h[t] >= 0.0;
    if (!any)
        return ZS_OK;
    *open = zs_malloc_array(pts->n ? pts->n : 1, sizeof **open);
    *close = zs_malloc_array(pts->n ? pts->n : 1, sizeof **close);
    if (!*open || !*close)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < pts->n; i++) {
        int t = pts->type[i];
        int has = sc->window_open_h[t] >= 0.0;
        (*open)[i] = has ? (sc->window_open_h[t] - sc->shift_start_h) * 60.0 : -HUGE_VAL;
        (*close)[i] = has ? (sc->window_close_h[t] - sc->shift_start_h) * 60.0 : HUGE_VAL;
        if (pts->win_open && !isnan(pts->win_open[i])) { /* the point's own window */
            (*open)[i] = pts->win_open[i] - sc->shift_start_h * 60.0;
            (*close)[i] = pts->win_close[i] - sc->shift_start_h * 60.0;
        }
    }
    return ZS_OK;
}

/* Sets in's day model from the scenario: on with more than one wave, a
 * wave that is not at shift.start, windows or inserted pickups; off (the
 * single morning scan, bit-identical to the engine before waves) else. */
static void set_day_model(const zs_scenario *sc, const double *share, const double *open,
                          const double *close, zs_sim_input *in)
{
    in->n_waves = sc->n_waves ? sc->n_waves : 1;
    in->wave_min[0] = 0.0;
    for (size_t w = 0; w < sc->n_waves; w++)
        in->wave_min[w] = (sc->waves[w].at_h - sc->shift_start_h) * 60.0;
    in->wave_share = share;
    in->window_open = open;
    in->window_close = close;
    in->pickup_inserted = sc->pickup_inserted;
    in->day_model = in->n_waves > 1 || in->wave_min[0] != 0.0 || open || sc->pickup_inserted;
}

static void list_lines(char *buf, size_t len, size_t *at, size_t n, const long *line)
{
    for (size_t j = 0; j < n && j < ZS_POINTS_NOTE_LINES && *at < len; j++)
        *at += (size_t)snprintf(buf + *at, len - *at, "%s%ld", j ? ", " : "", line[j]);
    if (n > ZS_POINTS_NOTE_LINES && *at < len)
        *at += (size_t)snprintf(buf + *at, len - *at, ", ...");
}

void zs_run_points_notes(const zs_points *p, const char *coords_fix, char *buf, size_t len)
{
    size_t at = 0;
    char hint[200];
    buf[0] = '\0';
    if (p->n_skipped && at < len) {
        at += (size_t)snprintf(buf + at, len - at,
                               "note: %zu row%s without coordinates skipped (line%s ", p->n_skipped,
                               p->n_skipped == 1 ? "" : "s", p->n_skipped == 1 ? "" : "s");
        list_lines(buf, len, &at, p->n_skipped, p->skipped_line);
        if (at < len)
            at += (size_t)snprintf(buf + at, len - at, ")\n");
    }
    if (p->n_unassigned && at < len) {
        at += (size_t)snprintf(buf + at, len - at,
                               "note: %zu point%s without a zone label took the zone of the "
                               "nearest labelled point (line%s ", p->n_unassigned,
                               p->n_unassigned == 1 ? "" : "s", p->n_unassigned == 1 ? "" : "s");
        list_lines(buf, len, &at, p->n_unassigned, p->unassigned_line);
        if (at < len)
            at += (size_t)snprintf(buf + at, len - at, ")\n");
    }
    if (zs_points_look_like_degrees(p, hint, sizeof hint) && at < len)
        snprintf(buf + at, len - at,
                 "warning: the points are read as metres, but %s; they look like longitude and "
                 "latitude degrees: set %s\n", hint, coords_fix);
}

/* The per-point pickup means of the scenario's per-type rates
 * (demand.pickups_per_day), given to dem. */
static zs_status set_pickups(const zs_scenario *sc, const zs_points *pts, zs_demand *dem,
                             zs_err *err)
{
    double *mean = zs_malloc_array(pts->n ? pts->n : 1, sizeof *mean);
    if (!mean)
        return ZS_NOMEM(err);
    zs_demand_pickup_means(pts->n, pts->type, sc->demand.pickup_rate, mean);
    zs_status st = zs_demand_set_pickups(dem, mean, err);
    zs_free(mean);
    return st;
}

zs_status zs_run_make_plan(const zs_scenario *sc, size_t i, const zs_points *pts,
                           const double *workload, size_t auto_k, const zs_plan_geo *geo,
                           const zs_partition *const *made, zs_partition **out, zs_err *err)
{
    const zs_plan_spec *pl = &sc->plans[i];
    zs_status st;
    if (pl->method == ZS_PLAN_MANUAL) {
        if (pl->file) {
            zs_plan_file_opts fo;
            zs_plan_file_opts_defaults(&fo);
            fo.col_id = pl->col_id;
            fo.col_zone = pl->col_zone;
            fo.encoding = pl->encoding ? pl->encoding : sc->encoding;
            fo.encoding_setting = pl->encoding ? "plans[].encoding" : "points.encoding";
            fo.unassigned_nearest = sc->zone_unassigned;
            st = zs_partition_load_file(pts, pl->file, &fo, out, err);
        } else {
            st = zs_partition_from_labels(pts, pts->zone, pts->n_zone_labels, pts->zone_label, out, err);
            if (st == ZS_OK && pts->n_unassigned) /* the loader filled them (zones.unassigned) */
                snprintf((*out)->status, sizeof (*out)->status,
                         "given; %zu unassigned took the nearest zone", pts->n_unassigned);
        }
        if (st != ZS_OK)
            zs_err_prefix(err, "plan '%s'", pl->name);
        return st;
    }
    size_t k = pl->k ? pl->k : auto_k;
    const zs_partition *start = pl->repair_index >= 0 ? made[pl->repair_index] : NULL;
    if (start)
        k = start->k; /* a repair keeps the planner's zones */
    if (k > pts->n) {
        if (pl->k)
            return zs_err_at(err, ZS_EINVAL, sc->path, pl->k_at.line, pl->k_at.col,
                             "plans[%zu].k = %zu exceeds the number of points (%zu)", i, k, pts->n);
        return zs_err_at(err, ZS_EINVAL, sc->path, pl->at.line, pl->at.col,
                         "plans[%zu]: the capacity rule gives k = %zu, more than the %zu points; set k",
                         i, k, pts->n);
    }
    /* Balance is judged on the workload index; geometry uses it only for
     * weighted plans (kmeans.weighted). */
    zs_partition_opts po = pl->part;
    po.k = k;
    zs_zone_work wm;
    if (po.method == ZS_PM_TERRITORY) {
        zs_plan_geo_work(geo, sc, i, &wm);
        po.graph = geo->graph;
        po.work = &wm;
        po.start_zone = start ? start->zone : NULL;
    }
    zs_plan_net_join join = {geo->net, NULL};
    if (po.method == ZS_PM_TERRITORY && geo->net) {
        /* Pockets join over the streets (a bridge), not across the water. */
        if (!(join.ws = zs_paths_ws_create(geo->roads)))
            return ZS_NOMEM(err);
        po.join_cost = zs_plan_net_join_cost;
        po.join_ctx = &join;
    }
    st = zs_partition_solve(pts->x, pts->y, workload, pts->n, &po, out, err);
    zs_paths_ws_free(join.ws);
    if (st == ZS_OK && start) /* the repaired zones keep the planner's names */
        st = zs_partition_copy_labels(*out, start, err);
    if (st != ZS_OK) {
        zs_partition_free(*out);
        *out = NULL;
        zs_err_prefix(err, "plan '%s'", pl->name);
    }
    return st;
}

/* A plan proven infeasible is never simulated as if it were a solution:
 * the run stops, naming the plan, unless the plan asks for the relaxed
 * fallback, whose status then says so ("relaxed: infeasible at +-10%",
 * which every table and map repeats; its balance.met is 0). */
static zs_status infeasible_plan(const zs_scenario *sc, size_t i, zs_partition *p, zs_err *err)
{
    const zs_plan_spec *pl = &sc->plans[i];
    if (!pl->relax_infeasible)
        return zs_err_at(err, ZS_EINPUT, sc->path, pl->at.line, pl->at.col,
                         "plan '%s': no plan of %zu zones keeps every zone's workload within "
                         "+-%.1f%% of the mean (proven infeasible; the unbalanced optimum "
                         "reaches +-%.1f%%): widen plans[%zu].tolerance, change k, or set "
                         "on_infeasible: relax to simulate the unbalanced optimum",
                         pl->name, p->k, 100.0 * p->balance.tolerance,
                         100.0 * p->balance.maxdev, i);
    snprintf(p->status, sizeof p->status, "relaxed: infeasible at +-%.0f%%",
             100.0 * p->balance.tolerance);
    return ZS_OK;
}

/* Refuses a run whose replication x day x zone tables (ZS_M_COUNT doubles
 * per zone-day, every plan; engine/sim/sim.c) exceed the memory this
 * process may use, before anything is allocated (issue 22: 10^7
 * replications x 36,600 days ran out of memory after starting).  k[i] are
 * the plans' zone counts, or NULL before the plans exist: one zone each,
 * a lower bound. */
static zs_status check_sim_memory(const zs_scenario *sc, size_t reps, const zs_partition *const *k,
                                  size_t np, zs_err *err)
{
    double zones = 0.0;
    for (size_t i = 0; i < np; i++)
        zones += k ? (double)k[i]->k : 1.0;
    double need = (double)reps * (double)sc->days * zones * ZS_M_COUNT * sizeof(double);
    double avail = zs_mem_available();
    if (!(avail > 0.0) || need <= avail)
        return ZS_OK;
    char nb[32], ab[32];
    zs_mem_format(need, nb, sizeof nb);
    zs_mem_format(avail, ab, sizeof ab);
    return zs_err_set(err, ZS_EINPUT,
                      "the simulation needs %s%s of memory (%zu replications x %zu days x %.0f "
                      "zone%s%s x %d metrics x 8 bytes) and %s is available: run fewer "
                      "replications or days, or split the replications into shards "
                      "(run --shard I/N)", k ? "about " : "at least ", nb, reps, sc->days, zones,
                      zones == 1.0 ? "" : "s", k ? (np > 1 ? " over the plans" : "")
                      : " (one a plan, before the plans are built)", ZS_M_COUNT, ab);
}

zs_status zs_run_scenario(const zs_scenario *sc, const zs_run_opts *opts, zs_run_info *info,
                          zs_err *err)
{
    zs_run_opts def;
    if (!opts) {
        zs_run_opts_defaults(&def);
        opts = &def;
    }
    zs_run_info local;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    const char *output = opts->output ? opts->output : sc->output;
    snprintf(info->output, sizeof info->output, "%s", output);
    size_t rep_begin = 0, rep_end = sc->replications;
    if (opts->shard_count) {
        zs_status sst = zs_shard_range(sc->replications, opts->shard_index, opts->shard_count,
                                           &rep_begin, &rep_end, err);
        if (sst == ZS_OK)
            sst = zs_run_shard_output(output, opts->shard_index, opts->shard_count, info->output,
                                      sizeof info->output, err);
        if (sst != ZS_OK)
            return sst;
        output = info->output;
    }
    info->rep_begin = rep_begin;
    info->rep_end = rep_end;
    /* The output's folder made and checked before hours of simulation. */
    zs_status sto = zs_scenario_check_output(sc, output, err);
    if (sto == ZS_OK)
        sto = check_sim_memory(sc, rep_end - rep_begin, NULL, sc->n_plans, err);
    if (sto == ZS_OK)
        sto = zs_file_prepare_output(output, err);
    if (sto != ZS_OK)
        return sto;

    zs_points *pts = NULL;
    zs_demand *dem = NULL;
    zs_partition **plans = NULL;
    zs_sim_result **sims = NULL;
    zs_plan_summary **sums = NULL;
    zs_h5_plan *h5p = NULL;
    zs_stat *pw = NULL, *po = NULL;
    int64_t *day_number = NULL;
    double *slow = NULL, *delay = NULL, *workload = NULL;
    double *abs_couriers = NULL, *abs_share = NULL; /* dated absences per day */
    double *wave_share = NULL, *win_open = NULL, *win_close = NULL; /* the station's day */
    const zs_vehicle **veh = NULL;                  /* each plan's vehicle or NULL */
    const char **veh_name = NULL;
    zs_staffing_report **staff = NULL;              /* per plan, when asked for */
    zs_service_report **svc = NULL;                 /* per plan, with a service section */
    zs_plan_geo *geo = NULL;
    zs_plan_figures *fig = NULL;
    size_t np = sc->n_plans;
    double depot[2];
    zs_status st;

    if ((st = zs_run_load_points(sc, &pts, depot, err)) != ZS_OK ||
        (st = zs_scenario_apply_roads(sc, pts, err)) != ZS_OK)
        goto done;
    info->n_points = pts->n;
    zs_run_points_notes(pts, "points.coords: lonlat", info->notes, sizeof info->notes);
    if (!(dem = zs_demand_create(pts->n, pts->parcels, &sc->demand, err))) {
        st = err ? err->code : ZS_ENOMEM;
        goto done;
    }
    if ((st = set_pickups(sc, pts, dem, err)) != ZS_OK)
        goto done;
    info->expected_stops = zs_demand_expected_stops_week(dem);
    info->auto_k = zs_partition_capacity_k(info->expected_stops, sc->eff.stops_per_hour, sc->shift_hours);

    plans = zs_calloc(np, sizeof *plans);
    sims = zs_calloc(np, sizeof *sims);
    sums = zs_calloc(np, sizeof *sums);
    h5p = zs_calloc(np, sizeof *h5p);
    day_number = zs_malloc_array(sc->days, sizeof *day_number);
    slow = zs_malloc_array(sc->days, sizeof *slow);
    workload = zs_malloc_array(pts->n, sizeof *workload);
    delay = zs_malloc_array(sc->days, sizeof *delay);
    abs_couriers = zs_malloc_array(sc->days, sizeof *abs_couriers);
    abs_share = zs_malloc_array(sc->days, sizeof *abs_share);
    veh = zs_calloc(np, sizeof *veh);
    veh_name = zs_calloc(np, sizeof *veh_name);
    fig = zs_calloc(np, sizeof *fig);
    if (!fig || !plans || !sims || !sums || !h5p || !day_number || !slow || !delay || !workload ||
        !abs_couriers || !abs_share || !veh || !veh_name) {
        st = ZS_NOMEM(err);
        goto done;
    }
    /* The weight balanced methods equalise: expected minutes a day at each
     * point from the same models the simulation uses. */
    zs_workload_index(pts->n, pts->type, pts->parcels, sc->demand.nb_size, &sc->eff,
                      sc->models_enabled ? &sc->signing : NULL,
                      sc->models_enabled ? &sc->waiting : NULL, workload);
    zs_workload_add_pickups(pts->n, pts->type, sc->demand.pickup_rate, sc->pickup_min, workload);
    double t0 = omp_get_wtime();
    if ((st = zs_plan_geo_create(sc, pts, depot, &geo, err)) != ZS_OK)
        goto done;
    for (size_t i = 0; i < np; i++) {
        if ((st = zs_run_make_plan(sc, i, pts, workload, info->auto_k, geo,
                                   (const zs_partition *const *)plans, &plans[i], err)) != ZS_OK)
            goto done;
        if (plans[i]->exact.infeasible && (st = infeasible_plan(sc, i, plans[i], err)) != ZS_OK)
            goto done;
        zs_zone_work wm;
        zs_plan_geo_work(geo, sc, i, &wm);
        if ((st = zs_plan_geo_figures(geo, pts, workload, plans[i], &wm, &fig[i], err)) != ZS_OK)
            goto done;
    }
    info->seconds_plans = omp_get_wtime() - t0;
    if ((st = check_sim_memory(sc, rep_end - rep_begin, (const zs_partition *const *)plans, np,
                               err)) != ZS_OK)
        goto done;

    int64_t first = zs_date_to_days(sc->start_date);
    for (size_t d = 0; d < sc->days; d++) {
        day_number[d] = first + (int64_t)d;
        slow[d] = 1.0;
        delay[d] = 0.0;
        for (size_t e = 0; e < sc->n_disruptions; e++) {
            const zs_disruption *x = &sc->disruptions[e];
            if (day_number[d] < x->first_day || day_number[d] >= x->first_day + x->days)
                continue;
            slow[d] *= x->travel_factor; /* overlapping slowdowns compound */
            delay[d] += x->delay_min;
        }
        zs_scenario_absent_day(sc, day_number[d], &abs_couriers[d], &abs_share[d]);
    }
    for (size_t i = 0; i < np; i++) {
        int kind = zs_scenario_plan_vehicle(sc, i);
        veh[i] = kind >= 0 ? &sc->fleet.kind[kind] : NULL;
        veh_name[i] = zs_vehicle_name(kind);
    }
    if ((st = day_model_inputs(sc, pts, day_number, &wave_share, &win_open, &win_close,
                               err)) != ZS_OK)
        goto done;
    zs_sim_input in = {
        .points = pts, .demand = dem, .eff = &sc->eff,
        .depot_x = depot[0], .depot_y = depot[1], .net = geo->net,
        .signing = sc->models_enabled ? &sc->signing : NULL,
        .waiting = sc->models_enabled ? &sc->waiting : NULL,
        .promise_min = sc->promise_h * 60.0,
        .max_overtime_min = sc->max_overtime_h * 60.0,
        .fixed_routes = sc->fixed_routes,
        .travel_factor = slow, .scan_delay_min = delay,
        .absence = &sc->absence, .absent_couriers = abs_couriers, .absent_share = abs_share,
        .plan_vehicle = veh, .reload_min = sc->fleet.reload_min,
        .shift_start_min = sc->shift_start_h * 60.0,
        .pickup_from_min = (sc->signing.work_start_h - sc->shift_start_h) * 60.0,
        .pickup_to_min = (sc->demand.pickup_release_end_h - sc->shift_start_h) * 60.0,
        .pickup_promise_min = sc->demand.pickup_promise_h * 60.0,
        .pickup_min = sc->pickup_min,
        .shift_min = zs_scenario_shift_min(sc), .days = sc->days, .day_number = day_number,
        .rep_begin = rep_begin, .rep_end = rep_end, .seed = sc->seed,
        .threads = opts->threads >= 0 ? opts->threads : sc->threads,
        .progress = opts->progress, .progress_ctx = opts->progress_ctx,
    };
    set_day_model(sc, wave_share, win_open, win_close, &in);
    info->threads = in.threads > 0 ? in.threads : omp_get_max_threads();
    t0 = omp_get_wtime();
    /* Straight through, or in checkpointed blocks (engine/run_blocks.c). */
    if ((st = zs_run_simulate(sc, opts, &in, (const zs_partition *const *)plans, np, sims, info,
                              err)) != ZS_OK)
        goto done;
    if (np >= 2) {
        pw = zs_calloc(np, sizeof *pw);
        po = zs_calloc(np, sizeof *po);
        if (!pw || !po) {
            st = ZS_NOMEM(err);
            goto done;
        }
    }
    if ((st = zs_stats_run((const zs_sim_result *const *)sims, np, in.threads, sums, pw,
                           po, err)) != ZS_OK)
        goto done;
    info->seconds_sim = omp_get_wtime() - t0;

    /* Staffing (engine/staffing.h) when the scenario has a staffing
     * section: whole runs only, a shard holds part of the replications
     * (`zonesim staff` on the merged file does it). */
    if (sc->staffing_at.line && !opts->shard_count &&
        (st = zs_staffing_run(sc, pts, workload, depot, (const zs_partition *const *)plans,
                              (const zs_sim_result *const *)sims, day_number, &staff, err)) != ZS_OK)
        goto done;
    /* The service desk (engine/staffing/service.h), whole runs only too. */
    if (sc->service_at.line && !opts->shard_count &&
        (st = zs_service_run(sc, (const zs_sim_result *const *)sims, day_number, &svc, err)) != ZS_OK)
        goto done;

    info->network[0] = '\0';
    if (geo->net) {
        size_t at = (size_t)snprintf(
            info->network, sizeof info->network,
            "street network %s (%s): %zu nodes, %.0f km of streets (%zu nodes off the main "
            "part dropped); points %.0f m from the street on average, %.0f m at most; "
            "network km per straight km:", sc->network.osm, zs_profile_name(geo->profile.kind),
            geo->roads->n, geo->roads->km, geo->roads->nodes_dropped, geo->net->snap_mean_m,
            geo->net->snap_max_m);
        for (size_t i = 0; i < np && at < sizeof info->network; i++) {
            double st_km = sums[i]->zoneday[ZS_M_STRAIGHT_KM].mean;
            at += (size_t)snprintf(info->network + at, sizeof info->network - at, "%s %s %.2f",
                                   i ? "," : "", sc->plans[i].name,
                                   st_km > 0 ? sums[i]->zoneday[ZS_M_DIST_KM].mean / st_km : 0.0);
        }
    }
    for (size_t i = 0; i < np; i++) {
        h5p[i].name = sc->plans[i].name;
        h5p[i].part = plans[i];
        h5p[i].sim = sims[i];
        h5p[i].summary = sums[i];
        h5p[i].shape = fig[i].shape;
        h5p[i].zone_door_min = fig[i].door_min;
        h5p[i].zone_travel_min = fig[i].travel_min;
        h5p[i].work_maxdev = fig[i].work_maxdev;
    }
    zs_results res = {
        .scenario_text = sc->text, .scenario_path = sc->path, .scenario_name = sc->name,
        .seed = sc->seed, .points = pts, .depot_x = depot[0], .depot_y = depot[1],
        .shift_min = zs_scenario_shift_min(sc), .reps = sc->replications, .days = sc->days,
        .max_overtime_min = sc->max_overtime_h * 60.0,
        .day_number = day_number, .n_plans = np, .plans = h5p,
        .paired_work = pw, .paired_overtime = po,
        .demand = &sc->demand, .eff = &sc->eff, .pickup_min = sc->pickup_min,
        .signing = sc->models_enabled ? &sc->signing : NULL,
        .waiting = sc->models_enabled ? &sc->waiting : NULL,
        .workload_min = workload,
        .net_osm = geo->net ? sc->network.osm : NULL,
        .net_profile = zs_profile_name(geo->profile.kind),
        .net_km = geo->roads ? geo->roads->km : 0.0,
        .net_nodes = geo->roads ? geo->roads->n : 0,
        .net_segments = geo->roads ? geo->roads->n_seg : 0,
        .net_parts = geo->roads ? geo->roads->parts : 0,
        .net_nodes_dropped = geo->roads ? geo->roads->nodes_dropped : 0,
        .net_snap_mean_m = geo->net ? geo->net->snap_mean_m : 0.0,
        .net_snap_max_m = geo->net ? geo->net->snap_max_m : 0.0,
        .net_detour = geo->detour,
        .street_seg = geo->street_seg, .street_class = geo->street_cls,
        .n_barrier_seg = geo->barriers ? geo->barriers->n_seg : 0,
        .barrier_seg = geo->barriers ? geo->barriers->seg : NULL,
        .barrier_feature = geo->barriers ? geo->barriers->feature : NULL,
        .absence = &sc->absence, .fleet = &sc->fleet, .plan_vehicle = veh_name,
        .shard_index = opts->shard_index, .shard_count = opts->shard_count,
        .rep_begin = rep_begin, .rep_end = rep_end, .threads = in.threads,
        .staffing = (const struct zs_staffing_report *const *)staff,
        .service = (const struct zs_service_report *const *)svc,
        .service_opts = svc ? &sc->service : NULL,
    };
    t0 = omp_get_wtime();
    st = zs_h5out_write(output, &res, err);
    info->seconds_write = omp_get_wtime() - t0;
    /* Only a written results file makes the checkpoint blocks redundant. */
    if (st == ZS_OK)
        st = zs_run_checkpoint_done(opts, info, err);

done:
    for (size_t i = 0; i < np; i++) {
        if (plans)
            zs_partition_free(plans[i]);
        if (sims)
            zs_sim_result_free(sims[i]);
        if (sums)
            zs_plan_summary_free(sums[i]);
        if (fig)
            zs_plan_figures_clear(&fig[i]);
    }
    zs_free(fig);
    zs_plan_geo_free(geo);
    zs_free(plans);
    zs_free(sims);
    zs_free(sums);
    zs_free(h5p);
    zs_free(pw);
    zs_free(po);
    zs_free(day_number);
    zs_free(slow);
    zs_free(workload);
    zs_free(delay);
    zs_free(abs_couriers);
    zs_free(abs_share);
    zs_free(wave_share);
    zs_free(win_open);
    zs_free(win_close);
    zs_free(veh);
    zs_free(veh_name);
    zs_staffing_run_free(np, staff);
    zs_service_run_free(np, svc);
    zs_demand_free(dem);
    zs_points_free(pts);
    return st;
}
