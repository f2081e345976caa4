/*
 * engine/pipeline/scenario.h -- scenario files: what to plan and simulate.
 *
 * A scenario is a YAML file (libyaml) naming the points (a CSV file with a
 * column mapping, or a synthetic-city recipe), the station (depot), the
 * courier shift, efficiency and demand parameters, the plans to evaluate,
 * the simulation size and seed, and the output path.  scenarios/README.md
 * documents every key; `zonesim keys` prints the same table from the code.
 *
 * Scalar keys map onto struct fields through one table (key, type, offset,
 * range, unit, help), so parsing, range checks, defaults and help cannot
 * drift apart.  Every error names file:line:column of the offending node.
 * Relative input paths (points.file, plans[].file) are resolved against the
 * scenario file's directory; output is relative to the working directory.
 */
#ifndef ZS_ENGINE_SCENARIO_H
#define ZS_ENGINE_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/absence.h"
#include "models/calendar.h"
#include "models/demand.h"
#include "models/efficiency.h"
#include "models/signing.h"
#include "models/vehicle.h"
#include "models/waiting.h"
#include "models/status.h"
#include "input/citygen.h"
#include "partition/partition.h"
#include "input/points.h"
#include "staffing/staffing.h"
#include "sim/sim.h"
#include "staffing/service.h"

/* A place in the scenario file (1-based; 0 = unknown). */
typedef struct {
    long line, col;
} zs_mark;

typedef enum {
    ZS_PLAN_COMPUTED = 0, /* a zoning method (zs_partition_solve): part.method */
    ZS_PLAN_MANUAL        /* a planner's zoning: CSV file or the points' zone column */
} zs_plan_method;

typedef struct {
    char *name;
    zs_plan_method method;
    size_t k;                /* zones; 0 = capacity rule */
    zs_partition_opts part;  /* method and its options (k is filled in at run time) */
    char *file;              /* manual: resolved CSV path; NULL = points' zone column */
    char *col_id, *col_zone; /* manual CSV columns */
    char *encoding;          /* manual CSV encoding; NULL = points.encoding */
    zs_mark at, k_at, file_at;
    int vehicle;             /* zs_vehicle_kind; ZS_VEH_INHERIT = vehicle.type */
    char *repair;            /* territory: the name of an earlier manual plan to
                                repair, or NULL (a plan from scratch) */
    zs_mark repair_at;
    long repair_index;       /* its index in plans[], -1 without repair */
    int relax_infeasible;    /* on_infeasible: relax (1) or stop (0, default): what
                                `run` does with a plan proven infeasible */
} zs_plan_spec;

/* A dated disruption (peak-season plans): slow travel (weather, traffic
 * control), a late morning scan (sorting-centre delay) or couriers absent
 * (a flu wave, couriers lent to another station). */
typedef enum { ZS_DISRUPT_SLOW = 0, ZS_DISRUPT_SCAN_DELAY, ZS_DISRUPT_ABSENCE } zs_disruption_kind;

typedef struct {
    zs_disruption_kind kind;
    int64_t first_day;       /* days since 1970-01-01 */
    int days;
    double travel_factor;    /* SLOW: travel minutes multiplied by this (>= 1) */
    double delay_min;        /* SCAN_DELAY: minutes */
    double couriers, share;  /* ABSENCE: couriers absent, and a share of each
                                plan's couriers absent (0 when not given) */
} zs_disruption;

#define ZS_MAX_DISRUPTIONS 64

/* An area of slower roads (roads:): travel minutes into every point inside
 * the rectangle [west, east] x [south, north] (metres, or degrees when
 * points.coords is lonlat; open sides are infinite) are multiplied by
 * factor. */
typedef struct {
    double west, east, south, north;
    double factor;           /* >= 1 */
} zs_road_area;

#define ZS_MAX_ROAD_AREAS 64

/* A dispatch wave (dispatch.waves): trunk trucks arrive, the parcels are
 * scanned at at_h and couriers take them out on one trip.  Its share of
 * the day's new parcels is weekday_share[weekday] when given, else share;
 * on peak days (a demand event with factor > 1) peak_share when given.
 * The shares of a day are normalised over the waves. */
typedef struct {
    double at_h;             /* scan time, hours after midnight */
    double share;            /* >= 0 */
    double weekday_share[7]; /* Monday..Sunday; [0] < 0: share every weekday */
    double peak_share;       /* < 0: as on other days */
} zs_wave;

typedef struct {
    char *path;              /* file name used in messages */
    char *text;              /* the full scenario text (stored in results) */
    char *name;

    int points_generated;    /* 1: citygen recipe, 0: CSV file */
    zs_citygen_opts gen;
    char *points_file;       /* resolved path */
    char *col_id, *col_x, *col_y, *col_type, *col_parcels, *col_zone;
    char *col_road;          /* road-condition factor column, NULL = none */
    char *col_win_open, *col_win_close; /* delivery-window columns, NULL = none */
    char *filter_col, *filter_value; /* keep rows with column == value */
    int lonlat;
    char delimiter;
    char *encoding;          /* points file encoding; NULL = UTF-8 */
    int skip_missing;        /* points.skip_missing: skip rows without x or y */
    int zone_unassigned;     /* zones.unassigned: 1 = nearest, 0 = error */
    double default_parcels;
    int default_type;
    zs_mark points_at, points_file_at;

    int depot_given;
    double depot[2];         /* metres, or lon/lat degrees when lonlat */
    zs_mark depot_at;

    double shift_start_h;    /* hours after midnight */
    double shift_hours;
    double promise_h;        /* delivery promise after the scan; 0 = none */
    double max_overtime_h;   /* stops not reached by then wait for tomorrow; 0 = no limit */
    int fixed_routes;        /* simulation.route_policy: 1 fixed, 0 daily */
    size_t n_disruptions;
    zs_disruption disruptions[ZS_MAX_DISRUPTIONS];
    zs_efficiency eff;
    zs_demand_opts demand;
    zs_signing signing;
    zs_waiting waiting;
    zs_absence absence;      /* daily absence rate (absence:) */
    zs_fleet fleet;          /* vehicle kinds (vehicle:) */
    int vehicle_type;        /* vehicle.type: zs_vehicle_kind, ZS_VEH_NONE = none */
    zs_mark work_hours_at;   /* the last of models.signing.work_start/work_end given */
    zs_mark pickup_release_at; /* demand.pickup_release_end, when given */
    double pickup_min;       /* efficiency.pickup_min: minutes per pickup collected */
    size_t n_road_areas;
    zs_road_area road_areas[ZS_MAX_ROAD_AREAS];
    /* The station's day (issue 21): dispatch waves (0: one wave at
     * shift.start with every parcel, the day before waves), pickups
     * inserted into the route, delivery windows per point type (hours
     * after midnight; open < 0: none). */
    size_t n_waves;
    zs_wave waves[ZS_WAVES_MAX];
    zs_mark waves_at;
    int pickup_inserted;
    double window_open_h[ZS_PT_COUNT], window_close_h[ZS_PT_COUNT];
    zs_mark windows_at;
    int models_enabled;      /* 0: a deterministic courier: no failures, no waiting */

    size_t n_plans;
    zs_plan_spec *plans;

    size_t days, replications;
    uint64_t seed;
    int threads;             /* 0 = OpenMP default */
    zs_date start_date;

    char *output;
    zs_mark output_at;

    /* barriers: (network/barriers.h) and the adjacency graph's rule. */
    struct {
        char *file;          /* resolved GeoJSON path, NULL = none */
        zs_mark file_at;
        double long_factor;  /* adjacency long-edge factor (adjacency.h) */
    } barriers;

    /* network: streets from OpenStreetMap (network/osm.h, roads.h, paths.h). */
    struct {
        char *osm;           /* resolved extract path, NULL = straight lines */
        zs_mark osm_at;
        int profile;         /* zs_vehicle_kind = zs_profile_kind; none refused */
        double snap_max_m;   /* farthest a point may lie from a usable street */
        double speed[15];    /* km/h per highway class (ZS_HW_COUNT); -1 = the
                                profile's default, 0 = not allowed */
        int water, rail, motorway, trunk, primary; /* barriers taken from tags */
    } network;

    /* staffing: (engine/staffing.h): requirement per day type, roster and
     * nested light-day zones after the simulation; computed when the
     * section is present (staffing_at.line != 0) or `zonesim staff` asks. */
    zs_staffing_opts staffing;
    zs_mark staffing_at;

    /* service: (engine/staffing/service.h): the customer-service desk's
     * calls, agents and shifts per plan; computed when the section is
     * present (service_at.line != 0).  Desk hours as clock hours here,
     * copied into service.calls when the scenario is checked. */
    zs_service_opts service;
    zs_mark service_at;
    double service_open_h, service_close_h;

    /* study: (zonesim compare) */
    size_t study_seeds, study_instances;
    char *study_output;      /* NULL = output with -compare.h5 */
} zs_scenario;

/* Limits on a scenario file, checked before it is parsed: its size in
 * bytes and how deeply its lists and mappings nest (the deepest key in use
 * is 4 levels down; a file nested deeper is not a scenario). */
#define ZS_SCENARIO_MAX_BYTES (16 << 20)
#define ZS_SCENARIO_MAX_DEPTH 64

/* Parses a scenario file.  Errors (syntax, unknown key, wrong type, out of
 * range, missing input file...) are ZS_EINPUT/ZS_EINVAL with
 * "file:line:col: ..." in err. */
zs_status zs_scenario_load(const char *path, zs_scenario **out, zs_err *err);

/* Parses scenario text held in memory.  name is used in messages; base_dir
 * (may be NULL = ".") anchors relative input paths. */
zs_status zs_scenario_parse(const char *text, size_t len, const char *name,
                            const char *base_dir, zs_scenario **out, zs_err *err);

void zs_scenario_free(zs_scenario *sc);

/* Parses only the staffing section of scenario text (for `zonesim staff
 * RESULTS.h5`, whose scenario text is stored in the file but whose input
 * files may be gone): *out gets the defaults overridden by the section,
 * *present 1 when the section exists.  Errors name name:line:col as
 * zs_scenario_parse does. */
zs_status zs_scenario_parse_staffing(const char *text, size_t len, const char *name,
                                     zs_staffing_opts *out, int *present, zs_err *err);

/* Writes the key reference (section.key, type, range, default, unit, help)
 * as a Markdown table. */
void zs_scenario_write_keys(FILE *f);

/* The share of the day's new parcels in each of the scenario's waves on
 * the calendar day day_number (days since 1970-01-01) into share[0..n_waves)
 * (normalised to sum 1); peak says whether a demand event with factor > 1
 * covers the day. */
void zs_scenario_wave_shares(const zs_scenario *sc, int64_t day_number, int peak, double *share);

/* Shift length in minutes. */
double zs_scenario_shift_min(const zs_scenario *sc);

/* The vehicle kind plan i uses (its own, else vehicle.type); ZS_VEH_NONE
 * for none. */
int zs_scenario_plan_vehicle(const zs_scenario *sc, size_t i);

/* Applies the roads: areas to pts: each point's road factor (pts->road,
 * allocated with every factor 1 when the file had no road column) is
 * multiplied by the factor of every area containing it (lon/lat when pts
 * has them, else x/y).  Nothing changes without areas.  ZS_ENOMEM. */
zs_status zs_scenario_apply_roads(const zs_scenario *sc, zs_points *pts, zs_err *err);

/* Refuses an output path that names one of the scenario's inputs (the
 * scenario file, points.file, plans[].file, barriers.file, network.osm;
 * same inode, so links count): ZS_EINPUT "OUT is also an input
 * (SCENARIO's points.file); choose another output".  ZS_OK when output
 * does not exist or is none of them (input/files.h). */
zs_status zs_scenario_check_output(const zs_scenario *sc, const char *output, zs_err *err);

/* Couriers and share of couriers absent by dated disruptions on calendar
 * day day_number (days since 1970-01-01): sums over the absence
 * disruptions covering it, the share capped at 1. */
void zs_scenario_absent_day(const zs_scenario *sc, int64_t day_number, double *couriers,
                            double *share);

#endif
