/*
 * engine/sim/sim.h -- the replication driver: Monte Carlo days of a station.
 *
 * One replication is a sequence of simulated days.  For each day the demand
 * model draws every point's new parcels once (common random numbers: every
 * plan sees the same parcels); parcels that failed yesterday and were kept
 * for redelivery are added.  For each plan and zone the day's stops are
 * routed from the depot (nearest neighbour + 2-opt) and visited in tour
 * order from the morning scan (shift start): at each stop the customer may
 * sign (signing model; waiting model for the time to signature) or not,
 * in which case the courier phones and the parcels go to a locker, back to
 * the sender, or out again tomorrow.  Parcels signed for more than
 * promise_min after the scan are late, except at point types allowed until
 * the end of the day.  Outcomes and waits are keyed by (replication, day,
 * point), so they too are the same in every plan.  Replications run in
 * parallel with OpenMP; each owns its RNG, workspace and output slots, so
 * results are bit-identical for any thread count.
 *
 * Stochastic extras (issue 4), each off by default:
 * - Absence (models/absence.h): a zone whose courier is absent that day
 *   records absent = 1 and nothing else; each of its stops is served by
 *   the present courier whose zone centre (the plan's centre) is nearest
 *   to the stop (ties: the lower zone), after that courier's own stops.
 *   With fixed routes the covering courier does the own master tour, then
 *   the absent colleague's stops in the colleague's master order.
 * - Vehicles (models/vehicle.h): the zone-day's speed is drawn for the
 *   plan's vehicle; when the next stop needs more parcels than are on
 *   board the courier drives back to the depot to reload (the detour is in
 *   dist_km and travel_min, the loading time in reload_min).
 * - Road factors (points.road): travel minutes of every leg into a point
 *   are multiplied by the point's factor (distance is unchanged).
 * - Time-of-day signing (models/signing.h): the success probability of an
 *   attempt is that of the clock time of the courier's arrival,
 *   shift_start_min + minutes since the scan.
 * - Pickup requests (models/demand.h): see "Pickups" in engine/sim.c.
 * - The station's day (day_model, engine/sim/day.c): dispatch waves (one
 *   trip per wave, the promise from each wave's scan), delivery windows
 *   (window-aware trips, network/route_tw.h) and pickups inserted into the
 *   running route.  Off, the day is the single morning scan above.
 *
 * Output per plan: for each metric a replications x days x zones array of
 * doubles (row-major, zone fastest).
 */
#ifndef ZS_ENGINE_SIM_H
#define ZS_ENGINE_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "models/absence.h"
#include "models/demand.h"
#include "models/efficiency.h"
#include "models/signing.h"
#include "models/vehicle.h"
#include "models/waiting.h"
#include "models/status.h"
#include "partition/partition.h"
#include "input/points.h"
#include "network/paths.h"

typedef enum {
    ZS_M_STOPS = 0,     /* points visited */
    ZS_M_PARCELS,       /* parcels out for delivery (new + carried over) */
    ZS_M_DIST_KM,       /* road distance of the tour */
    ZS_M_TRAVEL_MIN,    /* minutes driving */
    ZS_M_SERVICE_MIN,   /* minutes at stops: per stop, per parcel, waiting, calls */
    ZS_M_WORK_MIN,      /* travel + service */
    ZS_M_OVERTIME_MIN,  /* work beyond the shift */
    ZS_M_DELIVERED,     /* parcels signed for */
    ZS_M_FAILED_STOPS,  /* stops where nobody signed */
    ZS_M_CARRIED,       /* parcels carried over to the next day */
    ZS_M_LOCKER,        /* parcels left in a locker or pickup station */
    ZS_M_RETURNED,      /* parcels refused and returned */
    ZS_M_LATE,          /* parcels signed for after the promise */
    ZS_M_WAIT_MIN,      /* minutes waiting for signatures (part of service) */
    ZS_M_UNVISITED,     /* stops not reached before the overtime limit (carried) */
    ZS_M_FIXED_EXTRA_KM, /* fixed master-order tour minus daily optimised tour */
    ZS_M_ABSENT,        /* 1 when the zone's courier is absent (zone not worked) */
    ZS_M_COVER_STOPS,   /* stops visited for absent colleagues (part of stops) */
    ZS_M_RELOADS,       /* trips back to the depot to reload the vehicle */
    ZS_M_RELOAD_MIN,    /* minutes loading at the depot (part of work) */
    ZS_M_PICKUPS,       /* pickup requests released in the zone */
    ZS_M_PICKUPS_LATE,  /* pickups collected after their promise */
    ZS_M_PICKUPS_MISSED, /* pickups not collected before the overtime limit */
    ZS_M_PICKUP_KM,     /* road km the pickup round adds to the tour */
    ZS_M_PICKUP_MIN,    /* minutes of the pickup round: extra travel, per-pickup
                           service, waiting for releases (part of work) */
    ZS_M_STRAIGHT_KM,   /* straight-line km of the same legs as dist_km */
    /* The station's day (issue 21, engine/sim/day.c): written only by runs
     * with the day model on (zs_sim_input.day_model), so a run without
     * waves, windows or inserted pickups writes the files it always did. */
    ZS_M_TRIPS,         /* trips out from the station (one per wave with stops) */
    ZS_M_DEPOT_MIN,     /* minutes driving back to the station between waves
                           (part of travel) */
    ZS_M_IDLE_MIN,      /* minutes at the station waiting for a wave's scan
                           (not work; inside the day's span) */
    ZS_M_WINDOW_STOPS,  /* stops with a delivery time window */
    ZS_M_WINDOW_MISSES, /* of those, reached after the window closed */
    ZS_M_WINDOW_WAIT_MIN, /* minutes at doors waiting for a window to open (part of work) */
    ZS_M_PARCELS_W1,    /* parcels out in wave 1 (with yesterday's carried ones) */
    ZS_M_PARCELS_W2,    /* parcels out in wave 2 */
    ZS_M_PARCELS_W3,    /* parcels out in wave 3 */
    ZS_M_LATE_W1,       /* parcels of wave 1 signed for after their promise */
    ZS_M_LATE_W2,
    ZS_M_LATE_W3,
    ZS_M_COUNT
} zs_metric;

/* Metrics of every run; those from ZS_M_BASE_COUNT on only with the day
 * model (zs_sim_result.n_metrics says which a result carries). */
#define ZS_M_BASE_COUNT ZS_M_TRIPS

/* Most dispatch waves a day (one late-share metric each). */
#define ZS_WAVES_MAX 3

typedef struct {
    const char *name;   /* dataset name, e.g. "work_min" */
    const char *unit;   /* "1", "km", "min" */
    const char *help;   /* one line */
} zs_metric_info;

/* Name, unit and description of metric m. */
const zs_metric_info *zs_metric_get(int m);

/* Called after each finished replication with the number finished so far
 * and the total; may be called from several threads at once, so it must
 * be thread-safe (the command line's prints under a lock). */
typedef void (*zs_progress_fn)(void *ctx, size_t done, size_t total);

typedef struct {
    const zs_points *points;
    const zs_demand *demand;
    const zs_efficiency *eff;
    const zs_signing *signing; /* NULL: every attempt succeeds */
    const zs_waiting *waiting; /* NULL: no waiting */
    double promise_min;      /* delivery promise after the scan (240: 4 h); 0 = none */
    double max_overtime_min; /* stops not reached by shift + this are left for
                                tomorrow; <= 0 = no limit */
    int fixed_routes;        /* 1: visit each day's stops in the order of a master
                                tour of the whole zone; 0: optimise every day */
    const double *travel_factor; /* per day: weather or traffic slowdown (>= 1), or NULL */
    const double *scan_delay_min; /* per day: late morning scan (minutes), or NULL */
    const zs_absence *absence; /* daily absence rate, or NULL: nobody absent */
    const double *absent_couriers; /* per day: couriers a dated disruption takes
                                      out, or NULL */
    const double *absent_share;    /* per day: share of each plan's couriers out
                                      (rounded, zs_absence_forced), or NULL */
    const zs_vehicle *const *plan_vehicle; /* per plan: its vehicle or NULL (efficiency
                                      speed, no capacity); NULL = none for all */
    double reload_min;       /* minutes loading at the depot per reload */
    double pickup_from_min, pickup_to_min; /* pickup requests are released uniformly in
                                [from, to), minutes after the planned scan */
    double pickup_promise_min; /* a pickup collected later than this after its
                                release is late; 0 = late after the shift */
    double pickup_min;       /* minutes per pickup collected */
    double shift_start_min;  /* clock time of the scan, minutes after midnight
                                (time-of-day signing only) */
    /* The station's day (issue 21, engine/sim/day.c).  day_model 0: the
     * single morning scan described above, bit-identical to the engine
     * before waves existed; 1: dispatch waves, delivery windows and (with
     * pickup_inserted) pickups inserted into the running route. */
    int day_model;
    size_t n_waves;          /* 1..ZS_WAVES_MAX (day model) */
    double wave_min[ZS_WAVES_MAX]; /* each wave's scan, minutes after the shift start
                                (ascending; before 0: loaded at the shift start,
                                the promise still runs from the scan) */
    const double *wave_share; /* days x n_waves: share of the day's new parcels in
                                each wave (each day sums to 1) */
    int pickup_inserted;     /* 1: released pickups inserted into the running route
                                (cheapest feasible insertion); 0: a round after the
                                last delivery */
    const double *window_open, *window_close; /* per point: delivery window, minutes
                                after the shift start (-HUGE_VAL, HUGE_VAL: none),
                                or NULL: no windows */
    /* Tests only (NULL otherwise): called at each pickup collected with its
     * point, release and collection minutes; from the simulating threads. */
    void (*pickup_trace)(void *ctx, size_t point, double release, double collected);
    void *pickup_trace_ctx;
    double depot_x, depot_y; /* metres */
    const zs_net *net;       /* street network the legs are driven on (its depot
                                location is the one above), or NULL: straight
                                lines x the efficiency's circuity */
    double shift_min;        /* regular working minutes a day */
    size_t days;             /* simulated days per replication */
    const int64_t *day_number; /* calendar day of each simulated day (days since 1970-01-01) */
    size_t rep_begin, rep_end; /* replications [rep_begin, rep_end) */
    uint64_t seed;           /* master seed */
    int threads;             /* OpenMP threads; 0 = runtime default */
    zs_progress_fn progress; /* NULL = silent */
    void *progress_ctx;
} zs_sim_input;

typedef struct {
    size_t reps, days, zones;
    size_t rep_begin;        /* global index of the first replication */
    size_t n_metrics;        /* metrics carried: ZS_M_BASE_COUNT (or 0, the same),
                                or ZS_M_COUNT with the day model (the rest of v[]
                                is allocated and zero); read it with zs_sim_nm */
    double *v[ZS_M_COUNT];   /* v[m][(r * days + d) * zones + z] */
} zs_sim_result;

/* The metrics a run of in carries: ZS_M_COUNT with the day model, else
 * ZS_M_BASE_COUNT. */
size_t zs_sim_metric_count(const zs_sim_input *in);

/* Runs the replications for n_plans plans.  out[p] receives plan p's
 * result (owned by the caller, free with zs_sim_result_free).  On failure
 * nothing is returned and err names the lowest failing replication. */
zs_status zs_sim_run(const zs_sim_input *in, const zs_partition *const *plans,
                     size_t n_plans, zs_sim_result **out, zs_err *err);

void zs_sim_result_free(zs_sim_result *r);

/* A zeroed result of reps x days x zones starting at global replication
 * rep_begin (n_metrics ZS_M_BASE_COUNT: the caller raises it), for code that assembles a run from parts (checkpoint blocks,
 * shards); NULL with ZS_ENOMEM (or ZS_EINVAL when the size overflows) in
 * err.  The caller frees it with zs_sim_result_free. */
zs_sim_result *zs_sim_result_create(size_t reps, size_t days, size_t zones, size_t rep_begin,
                                    zs_err *err);

/* The number of metrics s carries (n_metrics, 0 read as ZS_M_BASE_COUNT). */
static inline int zs_sim_nm(const zs_sim_result *s)
{
    return s->n_metrics ? (int)s->n_metrics : ZS_M_BASE_COUNT;
}

/* Value of metric m at (replication r, day d, zone z), r local to r. */
static inline double zs_sim_at(const zs_sim_result *s, int m, size_t r, size_t d, size_t z)
{
    return s->v[m][(r * s->days + d) * s->zones + z];
}

#endif
