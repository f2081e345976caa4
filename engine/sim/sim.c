/*
 * engine/sim/sim.c -- the replication driver (engine/sim.h).
 *
 * Pickups (issue 4).  Each point's pickup requests of the day and their
 * release times come from the key (master, rep, day, point,
 * ZS_PURPOSE_PICKUP) (models/demand.h), so every plan sees the same
 * requests.  Policy, as stations run it: the courier delivers first (the
 * delivery route is unchanged), then does a pickup round from the last
 * delivery stop: among the requests released by now and not yet collected
 * the courier drives to the nearest point (ties: the request drawn first)
 * and collects every released request there (pickup_min each, at the
 * day's pace); when none is released yet the courier waits where he is for
 * the next release (the waiting is work time).  Then back to the station.
 * A request collected later than release + pickup_promise_min (or, with no
 * promise, after the regular shift) is late.  Requests the courier cannot
 * reach before shift + max_overtime, and all requests of a zone whose
 * courier is absent, are missed: customers rebook, nothing is carried
 * over.  dist_km and travel_min stay the delivery tour's; the round's
 * extra road km (round plus the way home, minus the direct way home) is
 * pickup_km, and its minutes (that extra travel, service and waiting) are
 * pickup_min, which work_min and overtime include.  With no pickup
 * demand nothing is drawn and every other metric is bit-identical.
 */
#include "sim/sim.h"

#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <string.h>

#include "models/alloc.h"
#include "models/rng.h"
#include "network/paths.h"
#include "network/route.h"
#include "sim/sim_internal.h"

static const zs_metric_info metrics[ZS_M_COUNT] = {
    {"stops", "1", "points visited in the zone that day"},
    {"parcels", "1", "parcels out for delivery (new and carried over)"},
    {"dist_km", "km", "road distance of the tour (straight line x circuity)"},
    {"travel_min", "min", "minutes driving the tour"},
    {"service_min", "min", "minutes at stops: per stop, per parcel, waiting, calls"},
    {"work_min", "min", "total work: travel + service (+ reload minutes)"},
    {"overtime_min", "min", "work beyond the regular shift"},
    {"delivered", "1", "parcels signed for"},
    {"failed_stops", "1", "stops where nobody signed at the first attempt"},
    {"carried", "1", "parcels carried over to the next day for redelivery"},
    {"locker", "1", "parcels left in a locker or pickup station"},
    {"returned", "1", "parcels refused and returned to the sender"},
    {"late", "1", "parcels signed for after the delivery promise"},
    {"wait_min", "min", "minutes waiting for signatures (included in service)"},
    {"unvisited", "1", "stops not reached before the overtime limit (parcels carried over)"},
    {"fixed_extra_km", "km", "road km of the fixed master-order route minus the daily optimised one"},
    {"absent", "1", "1 when the zone's courier was absent (its stops went to the nearest colleagues)"},
    {"cover_stops", "1", "stops visited for absent colleagues (included in stops)"},
    {"reloads", "1", "trips back to the station to reload the vehicle"},
    {"reload_min", "min", "minutes loading at the station (included in work)"},
    {"pickups", "1", "pickup requests released in the zone that day"},
    {"pickups_late", "1", "pickups collected after their promise"},
    {"pickups_missed", "1", "pickups not collected that day (overtime limit reached, or courier absent)"},
    {"pickup_km", "km", "road km the pickup round adds to the delivery tour"},
    {"pickup_min", "min", "minutes of the pickup round: extra travel, service, waiting for releases (included in work)"},
    {"straight_km", "km", "straight-line km of the same legs as dist_km (their ratio is the detour factor)"},
    {"trips", "1", "trips out from the station (one per dispatch wave with stops)"},
    {"depot_min", "min", "minutes driving back to the station between waves (included in travel)"},
    {"idle_min", "min", "minutes at the station waiting for a wave's scan (not work; inside the day)"},
    {"window_stops", "1", "stops with a delivery time window"},
    {"window_misses", "1", "stops with a window reached after it closed"},
    {"window_wait_min", "min", "minutes at doors waiting for a window to open (included in work)"},
    {"parcels_wave1", "1", "parcels out in dispatch wave 1 (with those carried over)"},
    {"parcels_wave2", "1", "parcels out in dispatch wave 2"},
    {"parcels_wave3", "1", "parcels out in dispatch wave 3"},
    {"late_wave1", "1", "parcels of wave 1 signed for after the promise from its scan"},
    {"late_wave2", "1", "parcels of wave 2 signed for after the promise from its scan"},
    {"late_wave3", "1", "parcels of wave 3 signed for after the promise from its scan"},
};

size_t zs_sim_metric_count(const zs_sim_input *in)
{
    return in->day_model ? ZS_M_COUNT : ZS_M_BASE_COUNT;
}

const zs_metric_info *zs_metric_get(int m)
{
    return (m >= 0 && m < ZS_M_COUNT) ? &metrics[m] : NULL;
}

void zs_sim_result_free(zs_sim_result *r)
{
    if (!r)
        return;
    for (int m = 0; m < ZS_M_COUNT; m++)
        zs_free(r->v[m]);
    zs_free(r);
}

zs_sim_result *zs_sim_result_create(size_t reps, size_t days, size_t zones, size_t rep_begin,
                                    zs_err *err)
{
    size_t cells = reps * days * zones;
    if (reps && days && zones && (cells / reps / days != zones)) {
        zs_err_set(err, ZS_EINVAL, "replications x days x zones (%zu x %zu x %zu) overflows memory",
                   reps, days, zones);
        return NULL;
    }
    zs_sim_result *r = zs_calloc(1, sizeof *r);
    if (!r) {
        ZS_NOMEM(err);
        return NULL;
    }
    r->reps = reps;
    r->days = days;
    r->zones = zones;
    r->rep_begin = rep_begin;
    r->n_metrics = ZS_M_BASE_COUNT;
    for (int m = 0; m < ZS_M_COUNT; m++)
        if (!(r->v[m] = zs_calloc(cells ? cells : 1, sizeof(double)))) {
            zs_sim_result_free(r);
            ZS_NOMEM(err);
            return NULL;
        }
    return r;
}

/* Points of each zone, in point order (CSR).  Built once, read by all
 * threads. */
typedef struct {
    size_t k;
    size_t *start;   /* k + 1 offsets */
    size_t *member;  /* n point indices */
    const double *cx, *cy; /* the plan's zone centres (borrowed) */
    zs_net_plan *np; /* the plan's street-network matrices, or NULL */
    double eq;       /* with np: straight-line metres per network second, the
                        figure the efficiency model turns back into minutes */
} zone_index;

static void zone_index_clear(zone_index *zi)
{
    zs_free(zi->start);
    zs_free(zi->member);
    zs_net_plan_free(zi->np);
}

static zs_status zone_index_build(const zs_partition *pl, zone_index *zi, zs_err *err)
{
    zi->k = pl->k;
    zi->cx = pl->cx;
    zi->cy = pl->cy;
    zi->start = zs_calloc(pl->k + 1, sizeof *zi->start);
    zi->member = zs_malloc_array(pl->n ? pl->n : 1, sizeof *zi->member);
    if (!zi->start || !zi->member)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < pl->n; i++) {
        if (pl->zone[i] < 0 || (size_t)pl->zone[i] >= pl->k)
            return ZS_INTERNAL(err, "point %zu has zone %d outside 0..%zu", i, (int)pl->zone[i], pl->k - 1);
        zi->start[pl->zone[i] + 1]++;
    }
    for (size_t z = 0; z < pl->k; z++)
        zi->start[z + 1] += zi->start[z];
    /* Fill in point order using a moving cursor per zone (reuses start). */
    for (size_t i = 0; i < pl->n; i++)
        zi->member[zi->start[pl->zone[i]]++] = i;
    for (size_t z = pl->k; z > 0; z--)
        zi->start[z] = zi->start[z - 1];
    zi->start[0] = 0;
    return ZS_OK;
}

/* Reorders each zone's members along a master tour of the whole zone
 * (nearest neighbour + 2-opt from the depot), the fixed route a courier
 * learns; a day's stops are then collected in that order. */
static zs_status master_routes(const zs_sim_input *in, zone_index *zi, zs_paths_ws *pws,
                                zs_err *err)
{
    size_t largest = 1;
    for (size_t z = 0; z < zi->k; z++)
        if (zi->start[z + 1] - zi->start[z] > largest)
            largest = zi->start[z + 1] - zi->start[z];
    zs_route_ws *ws = zs_route_ws_create(largest);
    size_t *order = zs_malloc_array(largest, sizeof *order);
    size_t *tmp = zs_malloc_array(largest, sizeof *tmp);
    zs_status st = ZS_OK;
    if (!ws || !order || !tmp)
        st = ZS_NOMEM(err);
    for (size_t z = 0; z < zi->k && st == ZS_OK; z++) {
        size_t *mem = zi->member + zi->start[z], m = zi->start[z + 1] - zi->start[z];
        if (zi->np) {
            zs_net_legs L = {zi->np, zi->eq, pws, in->points->n};
            zs_route_tour_fn(ws, zs_net_leg_eq, &L, mem, m, order);
        } else {
            zs_route_tour(ws, in->points->x, in->points->y, mem, m, in->depot_x, in->depot_y,
                          order);
        }
        for (size_t j = 0; j < m; j++)
            tmp[j] = mem[order[j]];
        memcpy(mem, tmp, m * sizeof *mem);
    }
    zs_route_ws_free(ws);
    zs_free(order);
    zs_free(tmp);
    return st;
}

/* Visits one zone's stops in tour order from the scan and prices the day;
 * carry[] (this plan's) is updated for tomorrow.  stops[0..m_own) are the
 * zone's own stops in master order (zone members are stored that way),
 * stops[m_own..m) those it covers for absent colleagues, in their master
 * order; together that is the fixed route.  veh is the plan's vehicle or
 * NULL.  mem[0..nm) are all the zone's points, whose pickup requests (day
 * factor factor) the courier collects after the deliveries.  ZS_ENOMEM
 * when the pickup buffer cannot grow. */
static zs_status run_zone_day(const zs_sim_input *in, thread_ws *t, const zone_index *zi,
                              uint32_t *carry, const size_t *stops, size_t m, size_t m_own,
                              const zs_vehicle *veh,
                              const size_t *mem, size_t nm, double factor, uint64_t rep,
                              uint64_t day, size_t zone, double *cell[ZS_M_COUNT], size_t at)
{
    const zs_points *pts = in->points;
    /* Today's efficiency: the vehicle's speed of the day, if any. */
    zs_efficiency today = *in->eff;
    const zs_efficiency *eff = &today;
    double v[ZS_M_COUNT] = {0};
    zs_net_legs net = {zi->np, zi->eq, t->pws, pts->n};
    const zs_net_legs *L = zi->np ? &net : NULL;
    if (L) {
        /* Tours by network time; the fixed route's extra in road km. */
        zs_route_tour_fn(t->ws, zs_net_leg_eq, &net, stops, m, t->order);
        double fixed_road = zs_route_length_fn(zs_net_leg_road, &net, stops, m), daily_road = 0.0;
        if (m > 0) {
            daily_road = zs_net_leg_road(&net, ZS_ROUTE_DEPOT, stops[t->order[0]]) +
                         zs_net_leg_road(&net, stops[t->order[m - 1]], ZS_ROUTE_DEPOT);
            for (size_t j = 1; j < m; j++)
                daily_road += zs_net_leg_road(&net, stops[t->order[j - 1]], stops[t->order[j]]);
        }
        v[ZS_M_FIXED_EXTRA_KM] = (fixed_road - daily_road) / 1000.0;
    } else {
        double daily_m = zs_route_tour(t->ws, pts->x, pts->y, stops, m, in->depot_x,
                                       in->depot_y, t->order);
        double fixed_m = zs_route_length(pts->x, pts->y, stops, m, in->depot_x, in->depot_y);
        v[ZS_M_FIXED_EXTRA_KM] = (fixed_m - daily_m) * eff->circuity / 1000.0;
    }
    if (in->fixed_routes)
        for (size_t j = 0; j < m; j++)
            t->order[j] = j;
    /* The courier's pace today, and the day's slowdown and scan delay. */
    zs_rng_rekey(t->rng, zs_rng_key(in->seed, rep, day, zone, ZS_PURPOSE_COURIER));
    double pace = zs_efficiency_draw_pace(eff, t->rng);
    if (veh) {
        zs_rng_rekey(t->rng, zs_rng_key(in->seed, rep, day, zone, ZS_PURPOSE_SPEED));
        today.speed_kmh = zs_vehicle_draw_speed(veh, t->rng);
    }
    double slow = in->travel_factor ? in->travel_factor[day] : 1.0;
    double delay = in->scan_delay_min ? in->scan_delay_min[day] : 0.0;
    double limit = in->max_overtime_min > 0.0 ? in->shift_min + in->max_overtime_min : HUGE_VAL;
    double clock = delay, px = in->depot_x, py = in->depot_y, dist = 0.0;
    /* Network runs: the position as a point index, road and straight metres. */
    size_t pos = ZS_ROUTE_DEPOT;
    double road = 0.0, straight = 0.0;
    /* rdist: distance weighted by the road factor of each leg's end point;
     * it equals dist when there are no factors. */
    double rdist = 0.0, load = veh ? veh->capacity : HUGE_VAL;
    size_t visited = 0;
    for (size_t j = 0; j < m; j++) {
        size_t i = stops[t->order[j]];
        uint32_t due = t->parcels[i] + carry[i];
        double rf = pts->road ? pts->road[i] : 1.0;
        double road_leg = 0.0, road_extra = 0.0, st_leg = hypot(pts->x[i] - px, pts->y[i] - py);
        double leg = L ? zs_net_leg_both(L, pos, i, &road_leg) : st_leg, rleg = leg * rf;
        double after = load, reloads = veh ? zs_vehicle_reloads(veh, due, &after) : 0.0;
        double extra = 0.0, rextra = 0.0; /* round trips stop-depot-stop */
        if (reloads > 0.0) {
            /* Back to the depot first, then out to the stop. */
            double to_depot = hypot(px - in->depot_x, py - in->depot_y);
            double from_depot = hypot(pts->x[i] - in->depot_x, pts->y[i] - in->depot_y);
            st_leg = to_depot + from_depot;
            if (L) {
                double road_to = 0.0, road_from = 0.0, road_back = 0.0;
                to_depot = zs_net_leg_both(L, pos, ZS_ROUTE_DEPOT, &road_to);
                from_depot = zs_net_leg_both(L, ZS_ROUTE_DEPOT, i, &road_from);
                double back = zs_net_leg_both(L, i, ZS_ROUTE_DEPOT, &road_back);
                leg = to_depot + from_depot;
                rleg = to_depot + from_depot * rf;
                extra = (reloads - 1.0) * (from_depot + back);
                rextra = (reloads - 1.0) * (from_depot * rf + back);
                road_leg = road_to + road_from;
                road_extra = (reloads - 1.0) * (road_from + road_back);
            } else {
                leg = to_depot + from_depot;
                rleg = to_depot + from_depot * rf;
                extra = (reloads - 1.0) * 2.0 * from_depot;
                rextra = (reloads - 1.0) * from_depot * (1.0 + rf);
            }
        }
        double arrive = clock + zs_efficiency_travel_min(eff, rleg) * slow * pace;
        if (reloads > 0.0)
            arrive += in->reload_min;
        if (arrive > limit) {
            /* Out of time: this and the remaining stops wait for tomorrow. */
            for (size_t q = j; q < m; q++) {
                size_t u = stops[t->order[q]];
                carry[u] += t->parcels[u];
                v[ZS_M_PARCELS] += carry[u]; /* loaded, never attempted */
                v[ZS_M_CARRIED] += carry[u];
                v[ZS_M_UNVISITED] += 1.0;
            }
            break;
        }
        clock = arrive;
        dist += leg;
        rdist += rleg;
        road += road_leg;
        straight += st_leg;
        pos = i;
        px = pts->x[i];
        py = pts->y[i];
        visited++;
        if (t->order[j] >= m_own)
            v[ZS_M_COVER_STOPS] += 1.0;
        load = after;
        if (reloads > 0.0) {
            dist += extra;
            rdist += rextra;
            road += road_extra;
            straight += (reloads - 1.0) * 2.0 *
                        hypot(pts->x[i] - in->depot_x, pts->y[i] - in->depot_y);
            v[ZS_M_RELOADS] += reloads;
            v[ZS_M_RELOAD_MIN] += reloads * in->reload_min;
        }
        zs_sign_outcome out;
        int late;
        double service = zs_sim_attempt(in, t->rng, eff, rep, day, i, i, clock, due,
                                        in->promise_min > 0.0 ? in->promise_min : HUGE_VAL, v,
                                        &out, &late);
        carry[i] = out == ZS_SIGN_REDELIVER ? due : 0;
        service *= pace;
        clock += service;
        v[ZS_M_SERVICE_MIN] += service;
        if (reloads > 1.0) /* the further loads for this stop */
            clock += zs_efficiency_travel_min(eff, rextra) * slow * pace +
                     (reloads - 1.0) * in->reload_min;
    }
    if (in->demand->pickup_mean) {
        size_t np;
        if (zs_sim_draw_pickups(in, t, mem, nm, rep, day, factor, &np) != ZS_OK)
            return ZS_ENOMEM;
        v[ZS_M_PICKUPS] = (double)np;
        if (np > 0) {
            /* The round starts where deliveries ended; the delivery tour
             * keeps its own way home, the round is priced as extra. */
            double qx = px, qy = py, ld = 0.0, lrd = 0.0, lroad = 0.0;
            size_t qpos = pos;
            zs_sim_pickup_round(in, t, np, eff, pace, slow, limit, L, &qpos, &clock, &qx, &qy, &ld,
                         &lrd, &lroad, v);
            if (L) {
                double r0 = 0.0, r1 = 0.0;
                double home0 = zs_net_leg_both(L, pos, ZS_ROUTE_DEPOT, &r0);
                double home1 = zs_net_leg_both(L, qpos, ZS_ROUTE_DEPOT, &r1);
                v[ZS_M_PICKUP_KM] = (lroad + r1 - r0) / 1000.0;
                v[ZS_M_PICKUP_MIN] += zs_efficiency_travel_min(eff, lrd + home1 - home0) * slow * pace;
            } else {
                double home0 = hypot(px - in->depot_x, py - in->depot_y);
                double home1 = hypot(qx - in->depot_x, qy - in->depot_y);
                v[ZS_M_PICKUP_KM] = (ld + home1 - home0) * eff->circuity / 1000.0;
                v[ZS_M_PICKUP_MIN] += zs_efficiency_travel_min(eff, lrd + home1 - home0) * slow * pace;
            }
        }
    }
    double st_home = hypot(px - in->depot_x, py - in->depot_y);
    double home = L ? zs_net_leg_both(L, pos, ZS_ROUTE_DEPOT, &road) : st_home;
    dist += home;
    rdist += home;
    straight += st_home;
    v[ZS_M_STOPS] = (double)visited;
    v[ZS_M_DIST_KM] = L ? road / 1000.0 : dist * eff->circuity / 1000.0;
    v[ZS_M_STRAIGHT_KM] = L ? straight / 1000.0 : dist / 1000.0;
    v[ZS_M_TRAVEL_MIN] = zs_efficiency_travel_min(eff, rdist) * slow * pace;
    v[ZS_M_WORK_MIN] = v[ZS_M_TRAVEL_MIN] + v[ZS_M_SERVICE_MIN];
    if (v[ZS_M_RELOAD_MIN] > 0.0)
        v[ZS_M_WORK_MIN] += v[ZS_M_RELOAD_MIN];
    if (v[ZS_M_PICKUP_MIN] > 0.0)
        v[ZS_M_WORK_MIN] += v[ZS_M_PICKUP_MIN];
    /* The shift runs from the planned scan: a late scan eats into it. */
    double end = delay + v[ZS_M_WORK_MIN];
    v[ZS_M_OVERTIME_MIN] = end > in->shift_min ? end - in->shift_min : 0.0;
    for (int k = 0; k < ZS_M_COUNT; k++)
        cell[k][at] = v[k];
    return ZS_OK;
}

/* A zone whose courier is absent: absent = 1, its np pickup requests all
 * missed, every other metric 0. */
static void absent_zone_day(double *cell[ZS_M_COUNT], size_t at, size_t np)
{
    for (int k = 0; k < ZS_M_COUNT; k++)
        cell[k][at] = 0.0;
    cell[ZS_M_ABSENT][at] = 1.0;
    cell[ZS_M_PICKUPS][at] = (double)np;
    cell[ZS_M_PICKUPS_MISSED][at] = (double)np;
}

/* Today's absences in plan p's k zones (t->absent) and, when there are
 * any, each absent zone's due stops assigned to the present zone with the
 * nearest centre: t->cover grouped by zone with offsets t->cstart.
 * Returns the number of absent zones. */
static size_t draw_absences(const zs_sim_input *in, const zone_index *zi, const uint32_t *carry,
                            uint64_t rep, size_t d, thread_ws *t)
{
    size_t k = zi->k;
    zs_absence none = {0.0};
    double couriers = in->absent_couriers ? in->absent_couriers[d] : 0.0;
    double share = in->absent_share ? in->absent_share[d] : 0.0;
    size_t n_abs = zs_absence_draw_day(in->absence ? in->absence : &none,
                                       zs_absence_forced(couriers, share, k), in->seed, rep, d,
                                       k, t->rng, t->u, t->tmp, t->absent);
    if (n_abs == 0)
        return 0;
    const zs_points *pts = in->points;
    size_t na = 0;
    memset(t->cstart, 0, (k + 1) * sizeof *t->cstart);
    for (size_t z = 0; z < k; z++) {
        if (!t->absent[z])
            continue;
        for (size_t j = zi->start[z]; j < zi->start[z + 1]; j++) {
            size_t i = zi->member[j];
            if (t->parcels[i] + carry[i] == 0)
                continue;
            size_t best = k;
            double bd = HUGE_VAL;
            for (size_t c = 0; c < k; c++) {
                if (t->absent[c])
                    continue;
                double dx = pts->x[i] - zi->cx[c], dy = pts->y[i] - zi->cy[c];
                double d2 = dx * dx + dy * dy;
                if (d2 < bd) { /* ties: the lower zone */
                    bd = d2;
                    best = c;
                }
            }
            t->abs_pt[na] = i;
            t->abs_zone[na++] = best;
            t->cstart[best + 1]++;
        }
    }
    for (size_t z = 0; z < k; z++)
        t->cstart[z + 1] += t->cstart[z];
    /* Stable placement: zone order, then master order within a zone. */
    for (size_t a = 0; a < na; a++)
        t->cover[t->cstart[t->abs_zone[a]]++] = t->abs_pt[a];
    for (size_t z = k; z > 0; z--)
        t->cstart[z] = t->cstart[z - 1];
    t->cstart[0] = 0;
    return n_abs;
}

/* One replication of every plan: days in order, new demand drawn once a
 * day, each plan carrying its own failed parcels forward.  ZS_ENOMEM when
 * a pickup buffer cannot grow. */
static zs_status run_replication(const zs_sim_input *in, size_t n_plans, const zone_index *zi,
                                 zs_sim_result **out, size_t r, thread_ws *t)
{
    size_t n = in->points->n;
    uint64_t rep = in->rep_begin + r;
    memset(t->carry, 0, n_plans * n * sizeof *t->carry);
    for (size_t d = 0; d < in->days; d++) {
        double factor = zs_demand_factor(in->demand, in->day_number[d]);
        zs_demand_draw_scaled(in->demand, in->seed, rep, d, factor, t->rng, t->parcels);
        for (size_t p = 0; p < n_plans; p++) {
            zs_sim_result *res = out[p];
            uint32_t *carry = t->carry + p * n;
            size_t base = (r * in->days + d) * res->zones;
            const zs_vehicle *veh = in->plan_vehicle ? in->plan_vehicle[p] : NULL;
            size_t n_abs = t->absent ? draw_absences(in, &zi[p], carry, rep, d, t) : 0;
            for (size_t z = 0; z < zi[p].k; z++) {
                const size_t *mem = zi[p].member + zi[p].start[z];
                size_t nm = zi[p].start[z + 1] - zi[p].start[z];
                if (n_abs && t->absent[z]) {
                    size_t np = 0;
                    if (in->demand->pickup_mean &&
                        zs_sim_draw_pickups(in, t, mem, nm, rep, d, factor, &np) != ZS_OK)
                        return ZS_ENOMEM;
                    absent_zone_day(res->v, base + z, np);
                    continue;
                }
                size_t m = 0;
                for (size_t j = 0; j < nm; j++) {
                    size_t i = mem[j];
                    if (t->parcels[i] + carry[i] > 0)
                        t->stops[m++] = i;
                }
                size_t m_own = m;
                if (n_abs)
                    for (size_t j = t->cstart[z]; j < t->cstart[z + 1]; j++)
                        t->stops[m++] = t->cover[j];
                zs_status zst = in->day_model
                    ? zs_sim_day_zone(in, t, carry, t->stops, m, m_own, veh, mem, nm, factor, rep,
                                      d, z, res->v, base + z)
                    : run_zone_day(in, t, &zi[p], carry, t->stops, m, m_own, veh, mem, nm,
                                   factor, rep, d, z, res->v, base + z);
                if (zst != ZS_OK)
                    return ZS_ENOMEM;
            }
        }
    }
    return ZS_OK;
}

static zs_status check_input(const zs_sim_input *in, const zs_partition *const *plans,
                             size_t n_plans, zs_err *err)
{
    if (!in->points || !in->demand || !in->eff || !in->day_number)
        return ZS_INTERNAL(err, "simulation input incomplete");
    if (in->days < 1)
        return zs_err_set(err, ZS_EINVAL, "simulation.days = %zu; must be >= 1", in->days);
    if (in->rep_end <= in->rep_begin)
        return zs_err_set(err, ZS_EINVAL, "no replications to run ([%zu, %zu))", in->rep_begin, in->rep_end);
    if (!(in->shift_min > 0.0))
        return zs_err_set(err, ZS_EINVAL, "shift of %g minutes; must be > 0", in->shift_min);
    if (!(in->promise_min >= 0.0))
        return zs_err_set(err, ZS_EINVAL, "delivery promise of %g minutes; must be >= 0", in->promise_min);
    if (in->threads < 0)
        return zs_err_set(err, ZS_EINVAL, "threads = %d; must be >= 0", in->threads);
    if (in->demand->n_points != in->points->n)
        return ZS_INTERNAL(err, "demand has %zu points, points %zu", in->demand->n_points, in->points->n);
    for (size_t p = 0; p < n_plans; p++)
        if (plans[p]->n != in->points->n || plans[p]->k < 1)
            return ZS_INTERNAL(err, "plan %zu covers %zu points in %zu zones; expected %zu points",
                               p, plans[p]->n, plans[p]->k, in->points->n);
    zs_status st;
    if (in->absence && (st = zs_absence_validate(in->absence, err)) != ZS_OK)
        return st;
    for (size_t d = 0; d < in->days; d++)
        if ((in->absent_couriers && !(in->absent_couriers[d] >= 0.0)) ||
            (in->absent_share && !(in->absent_share[d] >= 0.0 && in->absent_share[d] <= 1.0)))
            return zs_err_set(err, ZS_EINVAL, "day %zu: %g couriers and a share of %g absent; "
                              "need couriers >= 0 and a share in [0, 1]", d,
                              in->absent_couriers ? in->absent_couriers[d] : 0.0,
                              in->absent_share ? in->absent_share[d] : 0.0);
    for (size_t p = 0; in->plan_vehicle && p < n_plans; p++) {
        const zs_vehicle *v = in->plan_vehicle[p];
        if (v && (!(v->speed_kmh > 0.0) || !(v->speed_cv >= 0.0) || !(v->capacity >= 1.0)))
            return zs_err_set(err, ZS_EINVAL, "plan %zu: vehicle of %g km/h (cv %g) for %g parcels; "
                              "need speed > 0, cv >= 0 and capacity >= 1", p, v->speed_kmh,
                              v->speed_cv, v->capacity);
    }
    if (in->demand->pickup_mean &&
        (!(in->pickup_to_min >= in->pickup_from_min) || !isfinite(in->pickup_from_min) ||
         !isfinite(in->pickup_to_min) || !(in->pickup_min >= 0.0) || !isfinite(in->pickup_min) ||
         !(in->pickup_promise_min >= 0.0)))
        return zs_err_set(err, ZS_EINVAL, "pickups released from %g to %g min after the scan, "
                          "%g min each, promise %g min; need from <= to, minutes >= 0",
                          in->pickup_from_min, in->pickup_to_min, in->pickup_min,
                          in->pickup_promise_min);
    if (!(in->reload_min >= 0.0) || !isfinite(in->reload_min))
        return zs_err_set(err, ZS_EINVAL, "vehicle.reload_min = %g; must be >= 0", in->reload_min);
    if ((st = zs_sim_day_check(in, err)) != ZS_OK)
        return st;
    if (in->points->road)
        for (size_t i = 0; i < in->points->n; i++)
            if (!(in->points->road[i] >= 1.0) || !isfinite(in->points->road[i]))
                return zs_err_set(err, ZS_EINVAL, "point %zu: road factor %g; must be >= 1", i,
                                  in->points->road[i]);
    return ZS_OK;
}

/* Non-zero when some day may have an absent courier. */
static int absence_possible(const zs_sim_input *in)
{
    if (in->absence && in->absence->rate > 0.0)
        return 1;
    for (size_t d = 0; d < in->days; d++)
        if ((in->absent_couriers && in->absent_couriers[d] > 0.0) ||
            (in->absent_share && in->absent_share[d] > 0.0))
            return 1;
    return 0;
}

zs_status zs_sim_run(const zs_sim_input *in, const zs_partition *const *plans,
                     size_t n_plans, zs_sim_result **out, zs_err *err)
{
    for (size_t p = 0; p < n_plans; p++)
        out[p] = NULL;
    zs_status st = check_input(in, plans, n_plans, err);
    if (st != ZS_OK)
        return st;
    size_t reps = in->rep_end - in->rep_begin, days = in->days, n = in->points->n;
    zone_index *zi = zs_calloc(n_plans, sizeof *zi);
    zs_status *rep_status = zs_calloc(reps, sizeof *rep_status);
    zs_paths_ws *pws = NULL;
    if (!zi || !rep_status) {
        st = ZS_NOMEM(err);
        goto done;
    }
    size_t max_zone = 1, max_k = 1;
    int absence = absence_possible(in);
    if (in->net && !(pws = zs_paths_ws_create(in->net->g))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t p = 0; p < n_plans && st == ZS_OK; p++) {
        if ((st = zone_index_build(plans[p], &zi[p], err)) != ZS_OK)
            break;
        if (in->net) {
            /* Network seconds back to the straight metres whose minutes at
             * the plan's mean speed are those seconds. */
            const zs_vehicle *veh = in->plan_vehicle ? in->plan_vehicle[p] : NULL;
            double kmh = veh ? veh->speed_kmh : in->eff->speed_kmh;
            zi[p].eq = kmh / 3.6 / in->eff->circuity;
            if ((st = zs_net_plan_create(in->net, plans[p]->zone, plans[p]->k, in->threads,
                                         &zi[p].np, err)) != ZS_OK)
                break;
        }
        if ((st = master_routes(in, &zi[p], pws, err)) != ZS_OK)
            break;
        if (absence && (!zi[p].cx || !zi[p].cy)) {
            st = ZS_INTERNAL(err, "plan %zu has no zone centres", p);
            break;
        }
        if (zi[p].k > max_k)
            max_k = zi[p].k;
        for (size_t z = 0; z < zi[p].k; z++)
            if (zi[p].start[z + 1] - zi[p].start[z] > max_zone)
                max_zone = zi[p].start[z + 1] - zi[p].start[z];
        zs_sim_result *res = zs_calloc(1, sizeof *res);
        if (!res) {
            st = ZS_NOMEM(err);
            break;
        }
        out[p] = res;
        res->reps = reps;
        res->days = days;
        res->zones = plans[p]->k;
        res->rep_begin = in->rep_begin;
        res->n_metrics = zs_sim_metric_count(in);
        size_t cells = reps * days * res->zones;
        if (cells / reps / days != res->zones) {
            st = zs_err_set(err, ZS_EINVAL, "replications x days x zones overflows memory");
            break;
        }
        for (int m = 0; m < ZS_M_COUNT && st == ZS_OK; m++)
            if (!(res->v[m] = zs_malloc_array(cells, sizeof(double))))
                st = ZS_NOMEM(err);
    }
    if (st != ZS_OK)
        goto done;
    /* A zone that covers for absent colleagues may get any of the stops. */
    size_t max_stops = absence && n > max_zone ? n : max_zone;

    int nthreads = in->threads > 0 ? in->threads : omp_get_max_threads();
    /* Progress only: how many replications are done, never part of a result. */
    _Atomic size_t finished = 0;
#pragma omp parallel num_threads(nthreads) default(none) \
    shared(in, n_plans, zi, out, rep_status, reps, n, max_stops, max_k, absence, finished)
    {
        /* Per-thread stream, buffers and routing workspace; a thread that
         * cannot get them marks its replications as failed. */
        thread_ws t = {
            .rng = zs_rng_create(),
            .parcels = zs_malloc_array(n ? n : 1, sizeof(uint32_t)),
            .carry = zs_malloc_array(n_plans * n > 0 ? n_plans * n : 1, sizeof(uint32_t)),
            .stops = zs_malloc_array(max_stops, sizeof(size_t)),
            .order = zs_malloc_array(max_stops, sizeof(size_t)),
            .ws = zs_route_ws_create(max_stops),
            .pws = in->net ? zs_paths_ws_create(in->net->g) : NULL,
        };
        int ok = t.rng && t.parcels && t.carry && t.stops && t.order && t.ws &&
                 (t.pws || !in->net);
        if (ok && absence) {
            t.absent = zs_malloc_array(max_k, sizeof *t.absent);
            t.u = zs_malloc_array(max_k, sizeof *t.u);
            t.tmp = zs_malloc_array(max_k, sizeof *t.tmp);
            t.cstart = zs_malloc_array(max_k + 1, sizeof *t.cstart);
            t.abs_pt = zs_malloc_array(n ? n : 1, sizeof *t.abs_pt);
            t.abs_zone = zs_malloc_array(n ? n : 1, sizeof *t.abs_zone);
            t.cover = zs_malloc_array(n ? n : 1, sizeof *t.cover);
            ok = t.absent && t.u && t.tmp && t.cstart && t.abs_pt && t.abs_zone && t.cover;
        }
        if (ok && in->day_model)
            ok = zs_sim_day_ws_init(&t, max_stops) == 0;
#pragma omp for schedule(dynamic, 1)
        for (size_t r = 0; r < reps; r++) {
            if (!ok) {
                rep_status[r] = ZS_ENOMEM;
                continue;
            }
            if ((rep_status[r] = run_replication(in, n_plans, zi, out, r, &t)) != ZS_OK)
                continue;
            size_t done = atomic_fetch_add(&finished, 1) + 1;
            if (in->progress)
                in->progress(in->progress_ctx, done, reps);
        }
        zs_free(t.pk_pt);
        zs_free(t.pk_rel);
        zs_free(t.pk_done);
        zs_free(t.pk_in);
        zs_sim_day_ws_free(&t);
        zs_free(t.absent);
        zs_free(t.u);
        zs_free(t.tmp);
        zs_free(t.cstart);
        zs_free(t.abs_pt);
        zs_free(t.abs_zone);
        zs_free(t.cover);
        zs_route_ws_free(t.ws);
        zs_paths_ws_free(t.pws);
        zs_free(t.order);
        zs_free(t.stops);
        zs_free(t.carry);
        zs_free(t.parcels);
        if (t.rng)
            gsl_rng_free(t.rng);
    }
    /* Report the lowest failing replication, independent of timing. */
    for (size_t r = 0; r < reps; r++)
        if (rep_status[r] != ZS_OK) {
            st = zs_err_set(err, rep_status[r], "replication %zu: out of memory for its workspace",
                            in->rep_begin + r);
            break;
        }

done:
    zs_paths_ws_free(pws);
    if (zi)
        for (size_t p = 0; p < n_plans; p++)
            zone_index_clear(&zi[p]);
    zs_free(zi);
    zs_free(rep_status);
    if (st != ZS_OK)
        for (size_t p = 0; p < n_plans; p++) {
            zs_sim_result_free(out[p]);
            out[p] = NULL;
        }
    return st;
}
