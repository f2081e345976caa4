/*
 * engine/report/report.h -- the HTML report of a results file (`zonesim
 * report`): one self-contained page a station manager opens in a browser.
 *
 * The page holds, in order: warnings (plans that missed their balance,
 * infeasible programs, zones in pieces, stops left unreached, service-desk
 * shifts unsolved or short of their target, parts the file lacks), the scenario in a sentence, the plan comparison as `run`
 * prints it (95% confidence intervals, paired differences; sortable), a
 * map per plan (zones coloured as engine/maps/ colours them, outlined as
 * `zonesim export` outlines them, the barriers, the station and the
 * points by type; hovering or clicking a zone shows its figures), the
 * distributions (work hours per courier-day per plan, per-zone bars) and
 * staffing (couriers per day type, the roster as a courier x day grid)
 * when the file has it, and the service desk when the file has /service
 * (per plan its calls, agents, positions, shifts and simulated service
 * level; calls per half hour by reason on the usual and the peak day;
 * agents needed against agents scheduled per half hour of each weekday).  Charts and maps are inline SVG drawn here; the
 * few lines of script (hover, click, pan and zoom of a map, table
 * sorting) and the styles are inlined, so the file needs no network and
 * works from file://.  Colours are Paul Tol's colour-blind-safe schemes
 * ('muted' for zones, 'bright' for plans and point types); a print
 * stylesheet starts each section on a new page.
 *
 * A results file is read only through engine/results/ (zs_report_read);
 * what the file does not hold (a run not simulated, a file of an older
 * engine without shapes or expected work) is said in the report instead
 * of failing.  The writers take a zs_report that may also be built by
 * hand (the tests do): every pointer in it may be NULL where the comment
 * says so.
 */
#ifndef ZS_ENGINE_REPORT_H
#define ZS_ENGINE_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "input/points.h"
#include "maps/export.h"
#include "models/status.h"
#include "partition/partition.h"
#include "results/h5service.h"
#include "sim/stats.h"
#include "staffing/staffing.h"

/* Work hours of a plan's simulated courier-days, binned as they are read
 * (a run of 10^4 replications x 10^3 zones is never held whole): bins of
 * ZS_REPORT_BIN_H hours from 0; a day of ZS_REPORT_BINS x ZS_REPORT_BIN_H
 * = 24 h or more counts in the last bin. */
#define ZS_REPORT_BIN_H 0.25
#define ZS_REPORT_BINS 96

typedef struct {
    size_t n;                      /* courier-days counted */
    double sum_h, max_h;           /* their total and largest hours */
    size_t count[ZS_REPORT_BINS];
} zs_report_hist;

/* Adds n courier-days of work_min minutes to h, leaving out those whose
 * absent flag is 1 (absent may be NULL) and values that are not finite.
 * Sums in index order, so the figures do not depend on anything else. */
void zs_report_hist_add(zs_report_hist *h, const double *work_min, const double *absent, size_t n);

/* One plan of the report.  Owned by the zs_report it is in. */
typedef struct {
    char *name, *method, *status; /* status as the partition's ("converged", ...) */
    size_t k;
    char **label;                 /* k zone labels */
    zs_points *points;            /* the map; NULL when it could not be drawn (map_note) */
    zs_partition *part;
    zs_export_shapes *shapes;     /* zones' outlines, NULL with points */
    int32_t *colour;              /* k zone colours (neighbours differ), NULL with points */
    zs_plan_summary *summary;     /* NULL: the plan was not simulated */
    double *expected_min;         /* k expected work minutes a day (door + travel), or NULL */
    zs_report_hist *hist;         /* its simulated courier-days, or NULL */
    int has_shape;                /* the shape figures below are known */
    uint64_t zones_one_piece, strays, barrier_zones, pockets;
    uint64_t barrier_zones_alone;  /* of barrier_zones, alone in their area */
    double hull_overlap, polsby_popper_mean, work_travel_maxdev;
    uint64_t parts, k_within;      /* territory: the barriers' parts (results/h5out.h) */
    int balance_met;               /* the method's own judgement (1 in older files) */
    uint64_t balance_within;       /* zones in the band (0: not in the file) */
    double part_bound, k_within_dev;
    char map_note[ZS_ERR_MSG_MAX]; /* why there is no map, or "" */
} zs_report_plan;

typedef struct {
    char source[1024];            /* the results file as given */
    int layout_version;
    char scenario_name[128], engine_version[64], created_utc[32];
    size_t n_points, reps, days;
    uint64_t seed;
    double shift_min;
    char shard[32];               /* "I/N" for a shard file, else "" */
    double depot_x, depot_y;      /* metres */
    size_t n_plans;
    zs_report_plan *plans;
    zs_stat *paired_work, *paired_overtime; /* n_plans each (entry 0 unused), or NULL */
    size_t n_barrier_seg;         /* as zs_export_map */
    double *barrier_seg;
    int32_t *barrier_feature;
    size_t n_street_seg;          /* the street network's segments (/network), or 0 */
    double *street_seg;
    int32_t *street_class;
    size_t n_staff;               /* plans with staffing */
    char **staff_plan;
    zs_staffing_report **staff;
    size_t n_service;             /* plans with a service desk (/service), or 0 */
    zs_h5service_plan *service;   /* n_service, or NULL */
    zs_h5service_info service_info;
    size_t n_missing;             /* what the file lacks: one sentence each */
    char **missing;
} zs_report;

/* Reads everything the report shows from the results file at path into
 * *out (the caller's, zs_report_free).  A missing file, one that is not
 * HDF5 or not a zonesim results file is ZS_EINPUT naming the path (the
 * command exits 2).  A results file that lacks parts (no plans, no
 * simulation, no /summary, an older engine's file without shapes, a
 * damaged plan) is not an error: each missing part becomes a sentence in
 * (*out)->missing, and ZS_OK is returned.  ZS_ENOMEM when memory runs
 * out. */
zs_status zs_report_read(const char *path, zs_report **out, zs_err *err);

/* Frees a report and everything in it; NULL is a no-op. */
void zs_report_free(zs_report *r);

/* Appends one sentence (printf format) to r->missing; ZS_ENOMEM. */
zs_status zs_report_add_missing(zs_report *r, zs_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes the whole page for r to f; ZS_EIO "write error: ..." when f
 * reports one, ZS_ENOMEM, or a map's error (engine/maps/export.h). */
zs_status zs_report_write(FILE *f, const zs_report *r, zs_err *err);

/* The same to path: written as path.tmp, closed and renamed, so a failed
 * report leaves no file (nor the temporary one).  Errors name the path. */
zs_status zs_report_write_file(const char *path, const zs_report *r, zs_err *err);

/* ---- pieces (engine/report/report_html.c, report_chart.c, report_map.c) ---- */

/* Writes s to f escaped for HTML text and attribute values: & < > " '
 * become entities, control characters other than tab and newline become
 * spaces (NULL writes nothing). */
void zs_report_text(FILE *f, const char *s);

/* "#rrggbb" of entry i mod 7 of Paul Tol's colour-blind-safe 'bright'
 * scheme: the colour of plan i in charts and of point type i on maps. */
const char *zs_report_series_hex(size_t i);

/* The histograms h[0..n_series) as one inline <svg> with a row of bars
 * per series sharing the x axis (0 to the last non-empty bin, at least
 * shift_h + 1): each bar's height the share of the series' courier-days in
 * the bin (<rect class="bar"> with a <title> saying the bin and share, all
 * rows on one scale), the series name, mean and count; a dashed line at
 * shift_h (when > 0).  A NULL or empty h[i] gets a row saying "not
 * simulated".  name[i] labels series i. */
void zs_report_histogram_svg(FILE *f, size_t n_series, const char *const *name,
                             const zs_report_hist *const *h, double shift_h);

/* Per-zone bars of one plan as an inline <svg>: one <rect class="bar">
 * per zone of height mean_h[z] in colour fill[z] ("#rrggbb"), a tick at
 * p90_h[z] and a diamond at expected_h[z] (either may be NULL), the
 * zones' labels under the bars and a dashed line at shift_h (when > 0). */
void zs_report_bars_svg(FILE *f, size_t k, const char *const *label, const double *mean_h,
                        const double *p90_h, const double *expected_h, const char *const *fill,
                        double shift_h);

/* The map of plan p of report r as an inline <svg> (pan and zoom by its
 * viewBox): one <path class="zone"> per zone carrying its figures as
 * data- attributes (data-zone, data-label, data-points, and when known
 * data-exp-h, data-sim-h, data-p90-h, data-ot-h, data-first, data-late),
 * the barriers, the points coloured by type (one <path class="pt"> of
 * round dots per type over a dark halo) and the
 * station.  Needs p->points, p->part, p->shapes and p->colour. */
zs_status zs_report_map_svg(FILE *f, const zs_report *r, size_t p, zs_err *err);

#endif
