/*
 * engine/staffing/staffing.h -- how many couriers each kind of day needs, who rests
 * when, and which zones run on lighter days.
 *
 * Day types.  Simulated days are grouped into day types: the operating
 * modes of the station (weekdays of similar demand, from
 * demand.weekday_factor by the rule `zonesim calibrate` uses: weekdays
 * sorted by volume, a new mode where the volume drops more than mode_gap
 * below the mode's heaviest day; named heavy / normal / light), or, with
 * by_weekday, the seven weekdays.  Days covered by a dated demand event
 * whose factors multiply to more than 1 (a Double-11) form one more type,
 * "peak", and are left out of the regular types.
 *
 * Requirement (per plan, per day type).  The plan's simulation gives, for
 * every replication and day, the work minutes W_z of each of its k zones
 * (stops left unvisited at the overtime cut-off are priced at the zone's
 * mean minutes per visited stop that day, so truncated days are not
 * mistaken for light ones).  With c couriers a day's workload is taken as
 * re-zoned into c zones with the plan's own imbalance that day: the
 * busiest courier carries (sum_z W_z / c) x (max_z W_z / mean_z W_z) =
 * k max_z W_z / c.  The requirement is the smallest c with
 *
 *     Q_{1-risk}( k max_z W_z ) / c  <=  shift + overtime,
 *
 * Q the empirical quantile over the replication-days of the type (the
 * smallest observed value that at least a share 1 - risk of them do not
 * exceed, so at most a share risk of observed days would overrun).  So
 * c = ceil(Q / (shift + overtime)): more variable days or a lower risk give
 * a higher quantile and more couriers, a worse-balanced plan more too.
 * Beside it: the same with perfectly even zones (Q of sum_z W_z), the
 * capacity rule ceil(mean stops / (stops_per_hour x shift hours)) on the
 * type's mean daily stops (the deterministic rule; 840 stops -> 30), and
 * the observed chance, with the plan's k couriers, that some courier's
 * day runs past shift + overtime.
 *
 * Roster.  W weeks starting on the Monday on or before the first simulated
 * day; each day needs the requirement of its type (its weekday's mode, or
 * "peak" on event days that were simulated); temporaries may work on peak
 * days only (temp_peak_only) or on any day.  Solved by engine/roster.h.
 *
 * Nested light-day zones.  k_light = nested_k, or the smallest requirement
 * of a regular day type; when it is below the plan's k, the plan's zones
 * are merged into k_light groups by engine/partition/nested.h and
 * compared with an unconstrained light-day plan.
 *
 * Only the metrics work_min, stops and unvisited of the simulation are
 * read.  Everything here is serial and deterministic.
 */
#ifndef ZS_ENGINE_STAFFING_H
#define ZS_ENGINE_STAFFING_H

#include <stddef.h>
#include <stdint.h>

#include "models/demand.h"
#include "models/status.h"
#include "staffing/nested.h"
#include "partition/partition.h"
#include "staffing/roster.h"
#include "sim/sim.h"

#define ZS_STAFF_MAX_TYPES 8 /* seven weekdays, or up to seven modes, + peak */

typedef struct {
    double risk;          /* allowed share of days with a courier past shift + overtime, (0, 0.5] */
    double overtime_h;    /* overtime a courier may do before the day counts as overrun, >= 0 */
    int by_weekday;       /* 1: seven day types; 0: operating modes */
    double mode_gap;      /* volume drop that starts a new mode, [0, 1) */
    int temp_peak_only;   /* 1: temporaries only on peak days */
    zs_roster_opts roster;
    int nested;           /* 1: nested light-day zones */
    size_t nested_k;      /* light-day zones; 0 = the lightest type's requirement */
    zs_nested_opts nest;
} zs_staffing_opts;

/* risk 0.05, overtime 1 h, modes with gap 0.15, temporaries on peak days
 * only, roster and nested defaults, nested on with nested_k 0. */
void zs_staffing_opts_defaults(zs_staffing_opts *o);

/* Checks every field, naming it ("staffing.risk = 0; must be in (0, 0.5]"). */
zs_status zs_staffing_opts_validate(const zs_staffing_opts *o, zs_err *err);

/* Operating modes from weekday factors: mode_of[7] (0 = heaviest) and the
 * number of modes. */
int zs_staffing_modes(const double weekday_factor[7], double gap, int mode_of[7]);

typedef struct {
    char name[16];          /* "heavy", "normal", "light", "mode4", "Mon", "peak" */
    char days[32];          /* "Mon Fri", "event days" */
    int peak;
    size_t n_obs;           /* replication-days of this type */
    double stops_mean;      /* mean stops a day */
    int32_t capacity_rule;  /* ceil(stops_mean / (rate x hours)) */
    double work_mean_min;   /* mean total work minutes a day (all zones) */
    double work_q_min;      /* its (1 - risk) quantile */
    double busiest_q_min;   /* (1 - risk) quantile of the busiest zone's minutes (k couriers) */
    double imbalance_mean;  /* mean of max_z W_z / mean_z W_z */
    int32_t required;       /* couriers at the plan's imbalance */
    int32_t required_even;  /* couriers with perfectly even zones */
    double overrun_share_k; /* share of days some courier of the plan's k passes the limit */
} zs_staffing_type;

typedef struct zs_staffing_report {
    zs_staffing_opts opts;  /* the rules used */
    size_t k;               /* the plan's zones */
    double shift_min, capacity_min; /* shift, and shift + overtime */
    double stops_per_hour;
    int n_types;
    zs_staffing_type type[ZS_STAFF_MAX_TYPES];
    int type_of_weekday[7]; /* regular type of each weekday (Monday first) */
    int64_t roster_first_day; /* Monday of the roster's first week (days since 1970-01-01) */
    int32_t *roster_type;   /* 7W: day type of each roster day */
    zs_roster *roster;
    zs_nested *nested;      /* NULL when not computed (see nested_note) */
    char nested_note[160];  /* why not, or "" */
} zs_staffing_report;

typedef struct {
    const zs_sim_result *sim;     /* the plan's simulation */
    const int64_t *day_number;    /* calendar day of each simulated day */
    const zs_demand_opts *demand; /* weekday factors (modes) and events (peak days) */
    double shift_min;             /* regular minutes a day */
    double stops_per_hour;        /* capacity-rule rate */
    /* For nested zones (part NULL: none). */
    const zs_partition *part;
    const double *x, *y, *w;      /* part->n points and workloads (w NULL = 1 each) */
    const double *depot;          /* [2], or NULL */
} zs_staffing_input;

/* Requirement per day type, roster and nested zones of one plan.  *out is
 * the caller's (zs_staffing_report_free).  An infeasible roster is a
 * result (see its message); errors are bad options or input, out of
 * memory, or solver failures. */
zs_status zs_staffing_plan(const zs_staffing_input *in, const zs_staffing_opts *o,
                           zs_staffing_report **out, zs_err *err);
void zs_staffing_report_free(zs_staffing_report *r);

#endif
