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
    ZS_M_COUNT
} zs_metric;

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
    double *v[ZS_M_COUNT];   /* v[m][(r * days + d) * zones + z] */
} zs_sim_result;

/* Runs the replications for n_plans plans.  out[p] receives plan p's
 * result (owned by the caller, free with zs_sim_result_free).  On failure
 * nothing is returned and err names the lowest failing replication. */
zs_status zs_sim_run(const zs_sim_input *in, const zs_partition *const *plans,
                     size_t n_plans, zs_sim_result **out, zs_err *err);

void zs_sim_result_free(zs_sim_result *r);

/* A zeroed result of reps x days x zones starting at global replication
 * rep_begin, for code that assembles a run from parts (checkpoint blocks,
 * shards); NULL with ZS_ENOMEM (or ZS_EINVAL when the size overflows) in
 * err.  The caller frees it with zs_sim_result_free. */
zs_sim_result *zs_sim_result_create(size_t reps, size_t days, size_t zones, size_t rep_begin,
                                    zs_err *err);

/* Value of metric m at (replication r, day d, zone z), r local to r. */
static inline double zs_sim_at(const zs_sim_result *s, int m, size_t r, size_t d, size_t z)
{
    return s->v[m][(r * s->days + d) * s->zones + z];
}

#endif
