/*
 * engine/report/report.c -- what the report shows, read from a results file
 * (zs_report_read), and the page written to a file (zs_report_write_file).
 *
 * Everything is read through engine/results/: the overview `inspect`
 * prints, each plan as `export` reads it, the zones' expected work, the
 * simulated courier-days, the barriers, /staffing and /service.  A part the file
 * lacks becomes a sentence in the report, never a failure: a station
 * manager given an older file still gets the maps and the plans.  Only a
 * path that is not a zonesim results file at all, and running out of
 * memory, stop the report.
 */
#include "report/report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "input/files.h"
#include "models/alloc.h"
#include "results/h5out.h"
#include "results/h5report.h"
#include "results/h5service.h"
#include "results/h5staff.h"

zs_status zs_report_add_missing(zs_report *r, zs_err *err, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **m = zs_realloc(r->missing, (r->n_missing + 1) * sizeof *m);
    if (!m)
        return ZS_NOMEM(err);
    r->missing = m;
    if (!(m[r->n_missing] = zs_strdup(buf)))
        return ZS_NOMEM(err);
    r->n_missing++;
    return ZS_OK;
}

static void plan_free(zs_report_plan *p)
{
    zs_free(p->name);
    zs_free(p->method);
    zs_free(p->status);
    for (size_t z = 0; p->label && z < p->k; z++)
        zs_free(p->label[z]);
    zs_free(p->label);
    zs_points_free(p->points);
    zs_partition_free(p->part);
    zs_export_shapes_free(p->shapes);
    zs_free(p->colour);
    zs_plan_summary_free(p->summary);
    zs_free(p->expected_min);
    zs_free(p->hist);
}

void zs_report_free(zs_report *r)
{
    if (!r)
        return;
    for (size_t p = 0; p < r->n_plans; p++)
        plan_free(&r->plans[p]);
    zs_free(r->plans);
    zs_free(r->paired_work);
    zs_free(r->paired_overtime);
    zs_free(r->barrier_seg);
    zs_free(r->barrier_feature);
    zs_free(r->street_seg);
    zs_free(r->street_class);
    zs_h5staff_reports_free(r->n_staff, r->staff_plan, r->staff);
    zs_free(r->service);
    for (size_t i = 0; i < r->n_missing; i++)
        zs_free(r->missing[i]);
    zs_free(r->missing);
    zs_free(r);
}

/* The map of plan p: points and zones as `export` reads them, outlines
 * and colours as it draws them.  A plan that cannot be drawn gets a note
 * (the report goes on); only ZS_ENOMEM is returned. */
static zs_status read_map(const char *path, zs_report *r, zs_report_plan *p, int *have_depot,
                          zs_err *err)
{
    zs_err e;
    double depot[2] = {0, 0};
    zs_status st = zs_h5out_read_plan(path, p->name, &p->points, &p->part, NULL, depot, &e);
    if (st == ZS_OK && !*have_depot) { /* the same in every plan: the first read */
        r->depot_x = depot[0];
        r->depot_y = depot[1];
        *have_depot = 1;
    }
    zs_export_map m = {.plan = p->name,
                       .points = p->points,
                       .part = p->part,
                       .depot_x = r->depot_x,
                       .depot_y = r->depot_y,
                       .n_barrier_seg = r->n_barrier_seg,
                       .barrier_seg = r->barrier_seg,
                       .barrier_feature = r->barrier_feature};
    if (st == ZS_OK && !(p->colour = zs_malloc_array(p->part->k, sizeof *p->colour)))
        st = ZS_NOMEM(&e);
    if (st == ZS_OK)
        st = zs_export_colour_zones(p->points, p->part, p->colour, NULL, &e);
    if (st == ZS_OK)
        st = zs_export_shapes_create(&m, &p->shapes, &e);
    if (st == ZS_OK && p->part->k != p->k)
        st = zs_err_set(&e, ZS_EINPUT, "the plan has %zu zones, its overview %zu", p->part->k,
                        p->k);
    if (st == ZS_OK)
        return ZS_OK;
    zs_points_free(p->points);
    zs_partition_free(p->part);
    zs_export_shapes_free(p->shapes);
    zs_free(p->colour);
    p->points = NULL;
    p->part = NULL;
    p->shapes = NULL;
    p->colour = NULL;
    if (st == ZS_ENOMEM) {
        *err = e;
        return st;
    }
    snprintf(p->map_note, sizeof p->map_note, "%s", e.msg);
    return zs_report_add_missing(r, err, "No map of plan '%s': %s.", p->name, e.msg);
}

/* zs_h5_days_fn: one replication's courier-days into the histogram. */
static int add_days(void *ctx, const double *work_min, const double *absent, size_t n)
{
    zs_report_hist_add(ctx, work_min, absent, n);
    return 0;
}

/* The plans of overview o moved into r (labels and summaries are taken
 * over; o keeps the rest), then each plan's map, expected work and
 * courier-days from the file. */
static zs_status read_plans(const char *path, const zs_h5_probe *pr, zs_h5_overview *o,
                            zs_report *r, zs_err *err)
{
    if (!(r->plans = zs_calloc(o->n_plans ? o->n_plans : 1, sizeof *r->plans)))
        return ZS_NOMEM(err);
    r->n_plans = o->n_plans;
    for (size_t i = 0; i < o->n_plans; i++) {
        zs_h5_plan_overview *po = &o->plans[i];
        zs_report_plan *p = &r->plans[i];
        if (!(p->name = zs_strdup(po->name)) || !(p->method = zs_strdup(po->method)) ||
            !(p->status = zs_strdup(po->status)))
            return ZS_NOMEM(err);
        p->k = po->k;
        p->label = po->label;
        po->label = NULL;
        p->summary = po->summary;
        po->summary = NULL;
        p->has_shape = po->has_shape;
        p->zones_one_piece = po->zones_one_piece;
        p->strays = po->strays;
        p->barrier_zones = po->barrier_zones;
        p->barrier_zones_alone = po->barrier_zones_alone;
        p->pockets = po->pockets;
        p->balance_met = po->balance_met;
        p->balance_within = po->balance_within;
        p->parts = po->parts;
        p->part_bound = po->part_bound;
        p->k_within = po->k_within;
        p->k_within_dev = po->k_within_dev;
        p->hull_overlap = po->hull_overlap;
        p->polsby_popper_mean = po->polsby_popper_mean;
        p->work_travel_maxdev = po->work_travel_maxdev;
    }
    zs_status st;
    int have_depot = 0;
    for (size_t i = 0; i < r->n_plans; i++) {
        zs_report_plan *p = &r->plans[i];
        zs_err e;
        if (pr->has_points && (st = read_map(path, r, p, &have_depot, err)) != ZS_OK)
            return st;
        if (!(p->expected_min = zs_malloc_array(p->k ? p->k : 1, sizeof *p->expected_min)))
            return ZS_NOMEM(err);
        int found = 0;
        st = zs_h5out_read_zone_expected(path, p->name, p->k, p->expected_min, &found, &e);
        if (st == ZS_ENOMEM) {
            *err = e;
            return st;
        }
        if (st != ZS_OK || !found) {
            zs_free(p->expected_min);
            p->expected_min = NULL;
        }
        if (st != ZS_OK && (st = zs_report_add_missing(r, err, "No expected work for plan '%s': %s.",
                                                       p->name, e.msg)) != ZS_OK)
            return st;
        if (!(p->hist = zs_calloc(1, sizeof *p->hist)))
            return ZS_NOMEM(err);
        st = zs_h5out_scan_courier_days(path, p->name, add_days, p->hist, &found, &e);
        if (st == ZS_ENOMEM) {
            *err = e;
            return st;
        }
        if (st != ZS_OK || !found) {
            zs_free(p->hist);
            p->hist = NULL;
        }
        if (st != ZS_OK && (st = zs_report_add_missing(
                                r, err, "No courier-days of plan '%s': %s.", p->name, e.msg)) != ZS_OK)
            return st;
    }
    return ZS_OK;
}

/* Sentences for the parts an older or partial file lacks. */
static zs_status note_gaps(const zs_h5_probe *pr, zs_report *r, zs_err *err)
{
    zs_status st = ZS_OK;
    size_t simulated = 0, shaped = 0, expected = 0;
    for (size_t i = 0; i < r->n_plans; i++) {
        simulated += r->plans[i].summary != NULL;
        shaped += r->plans[i].has_shape;
        expected += r->plans[i].expected_min != NULL;
    }
    if (r->n_plans && simulated == 0)
        st = zs_report_add_missing(r, err, "The plans were not simulated (the file has %s): no "
                                           "work hours, overtime, distributions or simulated zone "
                                           "figures.",
                                   pr->has_sim ? "/sim but no /summary" : "no /sim or /summary");
    for (size_t i = 0; st == ZS_OK && simulated && i < r->n_plans; i++)
        if (!r->plans[i].summary)
            st = zs_report_add_missing(r, err, "Plan '%s' was not simulated: no work figures.",
                                       r->plans[i].name);
    if (st == ZS_OK && r->n_plans && shaped < r->n_plans)
        st = zs_report_add_missing(
            r, err, "Zone shape figures (pieces, strays, barrier crossings) are missing for %zu of "
                    "%zu plans: the file was written by an older engine (%s).",
            r->n_plans - shaped, r->n_plans, r->engine_version[0] ? r->engine_version : "unknown");
    if (st == ZS_OK && r->n_plans && expected < r->n_plans)
        st = zs_report_add_missing(
            r, err, "Expected work per zone (door minutes plus travel) is missing for %zu of %zu "
                    "plans (a file of an older engine): their zones show simulated figures only.",
            r->n_plans - expected, r->n_plans);
    if (st == ZS_OK && simulated >= 2 && !r->paired_work)
        st = zs_report_add_missing(r, err, "Paired differences between plans are not in the file.");
    return st;
}

zs_status zs_report_read(const char *path, zs_report **out, zs_err *err)
{
    *out = NULL;
    zs_h5_probe pr;
    zs_status st = zs_h5out_probe(path, &pr, err);
    if (st != ZS_OK)
        return st;
    zs_report *r = zs_calloc(1, sizeof *r);
    if (!r)
        return ZS_NOMEM(err);
    snprintf(r->source, sizeof r->source, "%s", path);
    r->layout_version = pr.layout_version;
    snprintf(r->scenario_name, sizeof r->scenario_name, "%s", pr.scenario_name);
    snprintf(r->engine_version, sizeof r->engine_version, "%s", pr.engine_version);
    snprintf(r->created_utc, sizeof r->created_utc, "%s", pr.created_utc);
    zs_h5_overview *o = NULL;
    zs_err e;
    if (pr.kind[0] && (st = zs_report_add_missing(r, err, "This is a '%s' file, not the results "
                                                            "of a run ('zonesim run' writes those).",
                                                  pr.kind)) != ZS_OK)
        goto fail;
    /* Staffing first: a staffing file (`zonesim staff --output`) has it
     * without plans. */
    if (pr.has_staffing) {
        st = zs_h5staff_read(path, &r->n_staff, &r->staff_plan, &r->staff, &e);
        if (st == ZS_ENOMEM) {
            *err = e;
            goto fail;
        }
        if (st != ZS_OK &&
            (st = zs_report_add_missing(r, err, "Staffing could not be read: %s.", e.msg)) != ZS_OK)
            goto fail;
    }
    /* The service desk: a run with a service section wrote /service; a
     * file without it has nothing to say about a desk. */
    st = zs_h5service_read(path, &r->n_service, &r->service, &r->service_info, &e);
    if (st == ZS_ENOMEM) {
        *err = e;
        goto fail;
    }
    if (st != ZS_OK &&
        (st = zs_report_add_missing(r, err, "The service desk could not be read: %s.", e.msg)) != ZS_OK)
        goto fail;
    if (!pr.has_plans) {
        if ((st = zs_report_add_missing(r, err, "The file has no plans (/plans): nothing to map "
                                                "or compare.")) != ZS_OK)
            goto fail;
        *out = r;
        return ZS_OK;
    }
    if (pr.has_barriers) {
        st = zs_h5out_read_barriers(path, &r->n_barrier_seg, &r->barrier_seg, &r->barrier_feature,
                                    &e);
        if (st == ZS_ENOMEM) {
            *err = e;
            goto fail;
        }
        if (st != ZS_OK &&
            (st = zs_report_add_missing(r, err, "No barriers on the maps: %s.", e.msg)) != ZS_OK)
            goto fail;
    }
    st = zs_h5out_read_streets(path, &r->n_street_seg, &r->street_seg, &r->street_class, &e);
    if (st == ZS_ENOMEM) {
        *err = e;
        goto fail;
    }
    if (st != ZS_OK &&
        (st = zs_report_add_missing(r, err, "No streets on the maps: %s.", e.msg)) != ZS_OK)
        goto fail;
    st = zs_h5out_read_overview(path, &o, &e);
    if (st == ZS_ENOMEM) {
        *err = e;
        goto fail;
    }
    if (st != ZS_OK) {
        if ((st = zs_report_add_missing(r, err, "The plans could not be read: %s.", e.msg)) != ZS_OK)
            goto fail;
        *out = r;
        return ZS_OK;
    }
    r->n_points = o->n_points;
    r->reps = o->reps;
    r->days = o->days;
    r->seed = o->seed;
    r->shift_min = o->shift_min;
    snprintf(r->shard, sizeof r->shard, "%s", o->shard);
    r->paired_work = o->paired_work;
    r->paired_overtime = o->paired_overtime;
    o->paired_work = o->paired_overtime = NULL;
    if ((st = read_plans(path, &pr, o, r, err)) != ZS_OK)
        goto fail;
    zs_h5_overview_free(o);
    o = NULL;
    if ((st = note_gaps(&pr, r, err)) != ZS_OK)
        goto fail;
    *out = r;
    return ZS_OK;
fail:
    zs_h5_overview_free(o);
    zs_report_free(r);
    return st;
}

static zs_status write_page(FILE *f, const void *r, zs_err *err)
{
    return zs_report_write(f, r, err);
}

zs_status zs_report_write_file(const char *path, const zs_report *r, zs_err *err)
{
    return zs_file_write_atomic(path, write_page, r, ZS_EINPUT, err);
}
