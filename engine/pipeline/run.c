#include "pipeline/run.h"

#include <errno.h>
#include <omp.h>
#include <string.h>
#include <sys/stat.h>

#include "input/files.h"
#include "models/alloc.h"
#include "models/calendar.h"
#include "models/workload.h"
#include "results/h5out.h"
#include "pipeline/run_internal.h"
#include "sim/sim.h"
#include "pipeline/staffing_run.h"
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
        po.filter_col = sc->filter_col;
        po.filter_value = sc->filter_value;
        po.lonlat = sc->lonlat;
        po.default_parcels = sc->default_parcels;
        po.default_type = sc->default_type;
        po.delimiter = sc->delimiter;
        po.encoding = sc->encoding;
        po.encoding_setting = "points.encoding";
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

/* Makes the parent directory of path if it is missing (one level). */
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
        if (pl->file)
            st = pl->encoding
                     ? zs_partition_load_csv_enc(pts, pl->file, pl->col_id, pl->col_zone,
                                                 pl->encoding, "plans[].encoding", out, err)
                     : zs_partition_load_csv_enc(pts, pl->file, pl->col_id, pl->col_zone,
                                                 sc->encoding, "points.encoding", out, err);
        else
            st = zs_partition_from_labels(pts, pts->zone, pts->n_zone_labels, pts->zone_label, out, err);
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
        wm = geo->work;
        int kind = zs_scenario_plan_vehicle(sc, i);
        if (kind >= 0)
            wm.speed_kmh = sc->fleet.kind[kind].speed_kmh;
        po.graph = geo->graph;
        po.work = &wm;
        po.start_zone = start ? start->zone : NULL;
    }
    st = zs_partition_solve(pts->x, pts->y, workload, pts->n, &po, out, err);
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
    zs_status sto = zs_file_prepare_output(output, err);
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
    const zs_vehicle **veh = NULL;                  /* each plan's vehicle or NULL */
    const char **veh_name = NULL;
    zs_staffing_report **staff = NULL;              /* per plan, when asked for */
    zs_plan_geo *geo = NULL;
    zs_plan_figures *fig = NULL;
    size_t np = sc->n_plans;
    double depot[2];
    zs_status st;

    if ((st = zs_run_load_points(sc, &pts, depot, err)) != ZS_OK ||
        (st = zs_scenario_apply_roads(sc, pts, err)) != ZS_OK)
        goto done;
    info->n_points = pts->n;
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
        if ((st = zs_plan_geo_figures(geo, pts, workload, plans[i], &fig[i], err)) != ZS_OK)
            goto done;
    }
    info->seconds_plans = omp_get_wtime() - t0;

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
    zs_sim_input in = {
        .points = pts, .demand = dem, .eff = &sc->eff,
        .depot_x = depot[0], .depot_y = depot[1],
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
        .day_number = day_number, .n_plans = np, .plans = h5p,
        .paired_work = pw, .paired_overtime = po,
        .demand = &sc->demand, .eff = &sc->eff, .pickup_min = sc->pickup_min,
        .signing = sc->models_enabled ? &sc->signing : NULL,
        .waiting = sc->models_enabled ? &sc->waiting : NULL,
        .workload_min = workload,
        .n_barrier_seg = geo->barriers ? geo->barriers->n_seg : 0,
        .barrier_seg = geo->barriers ? geo->barriers->seg : NULL,
        .barrier_feature = geo->barriers ? geo->barriers->feature : NULL,
        .absence = &sc->absence, .fleet = &sc->fleet, .plan_vehicle = veh_name,
        .shard_index = opts->shard_index, .shard_count = opts->shard_count,
        .rep_begin = rep_begin, .rep_end = rep_end, .threads = in.threads,
        .staffing = (const struct zs_staffing_report *const *)staff,
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
    zs_free(veh);
    zs_free(veh_name);
    zs_staffing_run_free(np, staff);
    zs_demand_free(dem);
    zs_points_free(pts);
    return st;
}
