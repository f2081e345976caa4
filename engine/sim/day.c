/*
 * engine/sim/day.c -- the station's day (issue 21): dispatch waves,
 * delivery windows and pickups inside the route, for one zone-day.
 *
 * Waves.  Trunk trucks arrive in up to ZS_WAVES_MAX waves; wave w's
 * parcels are scanned at wave_min[w] (minutes after the shift start).
 * Each point's new parcels of the day are split among the waves by the
 * day's shares (a multinomial draw keyed (master, rep, day, point,
 * ZS_PURPOSE_WAVE): every plan sees the same split); parcels carried over
 * from yesterday are at the station in the morning and go with wave 1.
 * The courier makes one trip per wave that has stops: leaving the station
 * at the wave's scan (not before the shift start, after the day's scan
 * delay) or, when the previous trip ends later, on return; waiting at the
 * station is idle_min (inside the day, not work).  A trip is routed like
 * the single-scan day (daily: nearest neighbour + 2-opt, or with windows
 * route_tw.h; fixed: the master order), loads the vehicle full at the
 * station and reloads as there, and ends back at the station; those
 * drives home before a later trip are depot_min (part of travel).  A
 * point with parcels in two waves is visited twice; the second visit's
 * signing and waiting draws are keyed by point + w x n, the first's as in
 * the single-scan day.  A parcel is late when signed for more than the
 * promise after its wave's scan (the end-of-day exemptions stay), counted
 * per wave.  Stops not reached before the overtime limit wait for tomorrow
 * as before.  The day ends on the last return; overtime is the time past
 * the shift, work the busy minutes (travel, service, reloads, pickups,
 * waiting at doors).
 *
 * Windows.  A stop reached before its window opens waits for it
 * (window_wait_min, part of work); one reached after it closes is served
 * and counted in window_misses.
 *
 * Pickups.  With pickup_inserted each request released during a trip is
 * inserted into the rest of the route at the cheapest place (detour
 * metres) that pushes no stop past its window, when the courier is at a
 * stop and the release has come; requests released before a trip starts
 * are inserted as it starts; a request whose point is already ahead on
 * the route, or on a later trip of the day, is collected there.  At any stop the courier collects every
 * request of that point released by then.  Requests still open at the
 * last trip's last delivery (released later, or never insertable) are
 * collected by the round of sim.c from there, which waits in the field for
 * releases; without insertion that round collects them all, as in the
 * single-scan day.  With no trip at all the round starts from the
 * station.  A request is never
 * collected before its release.  dist_km and travel_min are the delivery
 * trips' (the path through the deliveries alone); pickup_km and the travel
 * part of pickup_min are what the pickups add.
 *
 * Every distance between two places goes through leg_m (straight line
 * today), so a road network can replace it; until it does, the day model
 * does not run on a street network (zs_sim_day_check refuses it).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/alloc.h"
#include "models/rng.h"
#include "sim/sim_internal.h"

#define DEPOT SIZE_MAX

/* What is fixed through one zone-day. */
typedef struct {
    const zs_sim_input *in;
    thread_ws *t;
    const zs_efficiency *eff;
    const zs_vehicle *veh;
    uint32_t *carry;
    double pace, slow, limit;
    uint64_t rep, day;
    size_t n_req;            /* pickup requests of the zone-day */
    const size_t *stops;     /* the m due stops of the day (t->wp's rows) */
    size_t m;
    size_t wave;             /* the running trip's wave */
    int rounded;             /* the pickup round has run */
    double v[ZS_M_COUNT];
    /* The courier: */
    double clock;
    size_t at;               /* point, or DEPOT */
} day_ctx;

/* Straight-line metres between places a and b (points, or DEPOT): the one
 * place a distance is measured. */
static double leg_m(const day_ctx *c, size_t a, size_t b)
{
    const zs_points *p = c->in->points;
    double ax = a == DEPOT ? c->in->depot_x : p->x[a], ay = a == DEPOT ? c->in->depot_y : p->y[a];
    double bx = b == DEPOT ? c->in->depot_x : p->x[b], by = b == DEPOT ? c->in->depot_y : p->y[b];
    return hypot(bx - ax, by - ay);
}

/* Road factor of legs into place b (1 into the depot). */
static double road_of(const day_ctx *c, size_t b)
{
    return b != DEPOT && c->in->points->road ? c->in->points->road[b] : 1.0;
}

/* Minutes driving road-weighted metres rm today. */
static double drive_min(const day_ctx *c, double rm)
{
    return zs_efficiency_travel_min(c->eff, rm) * c->slow * c->pace;
}

zs_status zs_sim_day_check(const zs_sim_input *in, zs_err *err)
{
    if (!in->day_model)
        return ZS_OK;
    if (in->net)
        return zs_err_set(err, ZS_EINVAL, "dispatch waves, delivery windows and inserted pickups "
                          "do not run on a street network yet (network.osm): use one of them");
    if (in->n_waves < 1 || in->n_waves > ZS_WAVES_MAX || !in->wave_share)
        return zs_err_set(err, ZS_EINVAL, "%zu dispatch waves; need 1 to %d with their shares",
                          in->n_waves, ZS_WAVES_MAX);
    for (size_t w = 0; w < in->n_waves; w++)
        if (!isfinite(in->wave_min[w]) || (w > 0 && !(in->wave_min[w] > in->wave_min[w - 1])))
            return zs_err_set(err, ZS_EINVAL, "dispatch wave %zu at %g min; waves must be in "
                              "time order", w + 1, in->wave_min[w]);
    for (size_t d = 0; d < in->days; d++) {
        double sum = 0.0;
        for (size_t w = 0; w < in->n_waves; w++) {
            double s = in->wave_share[d * in->n_waves + w];
            if (!(s >= 0.0))
                return zs_err_set(err, ZS_EINVAL, "day %zu: wave %zu has share %g; must be >= 0",
                                  d, w + 1, s);
            sum += s;
        }
        if (!(fabs(sum - 1.0) < 1e-9))
            return zs_err_set(err, ZS_EINVAL, "day %zu: the wave shares sum to %g, not 1", d, sum);
    }
    if (!in->window_open != !in->window_close)
        return ZS_INTERNAL(err, "windows: open without close or close without open");
    for (size_t i = 0; in->window_open && i < in->points->n; i++)
        if (!(in->window_open[i] <= in->window_close[i]))
            return zs_err_set(err, ZS_EINVAL, "point %zu: window [%g, %g] min; must open before "
                              "it closes", i, in->window_open[i], in->window_close[i]);
    return ZS_OK;
}

int zs_sim_day_ws_init(thread_ws *t, size_t max_stops)
{
    size_t n = max_stops ? max_stops : 1;
    t->wp = zs_malloc_array(n * ZS_WAVES_MAX, sizeof *t->wp);
    t->sel = zs_malloc_array(n, sizeof *t->sel);
    t->sel_pt = zs_malloc_array(n, sizeof *t->sel_pt);
    t->tord = zs_malloc_array(n, sizeof *t->tord);
    t->t_open = zs_malloc_array(n, sizeof *t->t_open);
    t->t_close = zs_malloc_array(n, sizeof *t->t_close);
    t->t_serv = zs_malloc_array(n, sizeof *t->t_serv);
    t->tw = zs_tw_ws_create(n);
    return t->wp && t->sel && t->sel_pt && t->tord && t->t_open && t->t_close && t->t_serv &&
           t->tw ? 0 : -1;
}

void zs_sim_day_ws_free(thread_ws *t)
{
    zs_free(t->wp);
    zs_free(t->sel);
    zs_free(t->sel_pt);
    zs_free(t->tord);
    zs_free(t->t_open);
    zs_free(t->t_close);
    zs_free(t->t_serv);
    zs_tw_ws_free(t->tw);
    zs_free(t->rt);
    zs_free(t->est);
}

/* Room for need route nodes; -1 when out of memory. */
static int route_reserve(thread_ws *t, size_t need)
{
    if (need <= t->rt_cap)
        return 0;
    size_t cap = t->rt_cap ? t->rt_cap : 64;
    while (cap < need)
        cap *= 2;
    size_t *a = zs_realloc(t->rt, cap * sizeof *a);
    if (a)
        t->rt = a;
    double *b = zs_realloc(t->est, cap * sizeof *b);
    if (b)
        t->est = b;
    if (!a || !b)
        return -1;
    t->rt_cap = cap;
    return 0;
}

/* Window of point i, minutes after the shift start. */
static double win_open(const zs_sim_input *in, size_t i)
{
    return in->window_open ? in->window_open[i] : -HUGE_VAL;
}

static double win_close(const zs_sim_input *in, size_t i)
{
    return in->window_close ? in->window_close[i] : HUGE_VAL;
}

/* Collects every request of point i released by the clock and not yet
 * collected: late against its promise, pickup minutes. */
static void collect_at(day_ctx *c, size_t i)
{
    const zs_sim_input *in = c->in;
    thread_ws *t = c->t;
    for (size_t q = 0; q < c->n_req; q++) {
        if (t->pk_done[q] || t->pk_pt[q] != i || t->pk_rel[q] > c->clock)
            continue;
        t->pk_done[q] = 1;
        if (in->pickup_trace)
            in->pickup_trace(in->pickup_trace_ctx, i, t->pk_rel[q], c->clock);
        double due = in->pickup_promise_min > 0.0 ? t->pk_rel[q] + in->pickup_promise_min
                                                  : in->shift_min;
        if (c->clock > due)
            c->v[ZS_M_PICKUPS_LATE] += 1.0;
        double service = in->pickup_min * c->pace;
        c->clock += service;
        c->v[ZS_M_PICKUP_MIN] += service;
    }
}

/* The point of route node r of a trip of ns stops. */
static size_t node_pt(const day_ctx *c, size_t r, size_t ns)
{
    return r < ns ? c->t->sel_pt[r] : c->t->pk_pt[r - ns];
}

/* Inserts the requests released by now and not yet on the route into
 * rt[pos + 1 .. *len) (rt[pos] is where the courier is; pos may be
 * SIZE_MAX before the first stop), each at its cheapest feasible place. */
static void insert_released(day_ctx *c, size_t ns, size_t pos, size_t *len)
{
    thread_ws *t = c->t;
    size_t first = pos == SIZE_MAX ? 0 : pos + 1;
    for (size_t q = 0; q < c->n_req; q++) {
        if (t->pk_done[q] || t->pk_in[q] || t->pk_rel[q] > c->clock)
            continue;
        size_t i = t->pk_pt[q];
        int ahead = 0;
        for (size_t r = first; r < *len && !ahead; r++)
            ahead = node_pt(c, t->rt[r], ns) == i;
        /* A later trip of the day stops there: collected then. */
        for (size_t j = 0; j < c->m && !ahead; j++)
            if (c->stops[j] == i)
                for (size_t w = c->wave + 1; w < c->in->n_waves && !ahead; w++)
                    ahead = t->wp[j * ZS_WAVES_MAX + w] > 0;
        if (ahead) { /* collected there */
            t->pk_in[q] = 1;
            continue;
        }
        /* Slack of the windows ahead: estimated arrivals from now, the
         * suffix minimum of close - arrival over stops still on time. */
        double clock = c->clock, pace = c->pace;
        size_t prev = c->at;
        for (size_t r = first; r < *len; r++) {
            size_t rn = t->rt[r], p = node_pt(c, rn, ns);
            clock += drive_min(c, leg_m(c, prev, p) * road_of(c, p));
            double slack = HUGE_VAL;
            if (rn < ns) {
                if (clock < win_open(c->in, p))
                    clock = win_open(c->in, p);
                double cl = win_close(c->in, p);
                if (clock <= cl)
                    slack = cl - clock;
                clock += t->t_serv[rn];
            } else {
                clock += c->in->pickup_min * pace;
            }
            t->est[r] = slack;
            prev = p;
        }
        for (size_t r = *len; r-- > first + 1;)
            if (t->est[r] > t->est[r - 1])
                t->est[r] = t->est[r - 1];
        /* Cheapest place k (before rt[k]; k = len: before going home). */
        size_t best = SIZE_MAX;
        double bc = HUGE_VAL;
        for (size_t k = first; k <= *len; k++) {
            size_t a = k == first ? c->at : node_pt(c, t->rt[k - 1], ns);
            size_t b = k == *len ? DEPOT : node_pt(c, t->rt[k], ns);
            double add = leg_m(c, a, i) * road_of(c, i) + leg_m(c, i, b) * road_of(c, b) -
                         leg_m(c, a, b) * road_of(c, b);
            double delay = drive_min(c, add) + c->in->pickup_min * pace;
            if (k < *len && delay > t->est[k])
                continue; /* would push a stop past its window */
            if (add < bc) {
                bc = add;
                best = k;
            }
        }
        if (best == SIZE_MAX)
            continue; /* none feasible now: later, or the round */
        memmove(t->rt + best + 1, t->rt + best, (*len - best) * sizeof *t->rt);
        t->rt[best] = ns + q;
        (*len)++;
        t->pk_in[q] = 1;
    }
}

/* The stop's parcels and the rest of the trip's stops from route node
 * pos on go back for tomorrow (the overtime limit was reached). */
static void cut_trip(day_ctx *c, const size_t *stops, size_t ns, size_t pos, size_t len,
                     uint32_t w)
{
    thread_ws *t = c->t;
    for (size_t r = pos; r < len; r++) {
        size_t rn = t->rt[r];
        if (rn >= ns) {
            t->pk_in[rn - ns] = 0;
            continue;
        }
        size_t j = t->sel[rn], i = stops[j];
        uint32_t due = t->wp[j * ZS_WAVES_MAX + w];
        c->carry[i] += due;
        c->v[ZS_M_PARCELS] += due; /* loaded, never attempted */
        c->v[ZS_M_PARCELS_W1 + w] += due;
        c->v[ZS_M_CARRIED] += due;
        c->v[ZS_M_UNVISITED] += 1.0;
    }
}

/* The attempt at point i with due parcels of wave w, at the clock; adds
 * the service minutes to the clock and the outcome to the metrics. */
static void attempt(day_ctx *c, size_t i, uint32_t due, uint32_t w, double deadline)
{
    uint64_t key = (uint64_t)i + (uint64_t)w * c->in->points->n; /* wave 1: as the single scan */
    zs_sign_outcome out;
    int late;
    double service = zs_sim_attempt(c->in, c->t->rng, c->eff, c->rep, c->day, key, i, c->clock,
                                    due, deadline, c->v, &out, &late);
    c->v[ZS_M_PARCELS_W1 + w] += due;
    if (late)
        c->v[ZS_M_LATE_W1 + w] += due;
    if (out == ZS_SIGN_REDELIVER)
        c->carry[i] += due;
    service *= c->pace;
    c->clock += service;
    c->v[ZS_M_SERVICE_MIN] += service;
}

/* Orders the ns stops of a trip leaving at depart (t->sel, t->sel_pt)
 * into t->tord and adds the fixed route's extra metres. */
static void order_trip(day_ctx *c, size_t ns, double depart)
{
    const zs_sim_input *in = c->in;
    thread_ws *t = c->t;
    const zs_points *pts = in->points;
    double daily_m = zs_route_tour(t->ws, pts->x, pts->y, t->sel_pt, ns, in->depot_x,
                                   in->depot_y, t->tord);
    double fixed_m = zs_route_length(pts->x, pts->y, t->sel_pt, ns, in->depot_x, in->depot_y);
    c->v[ZS_M_FIXED_EXTRA_KM] += (fixed_m - daily_m) * c->eff->circuity / 1000.0;
    if (in->fixed_routes) {
        for (size_t r = 0; r < ns; r++)
            t->tord[r] = r;
        return;
    }
    if (!in->window_open)
        return;
    int any = 0;
    for (size_t r = 0; r < ns; r++) {
        size_t i = t->sel_pt[r];
        t->t_open[r] = win_open(in, i);
        t->t_close[r] = win_close(in, i);
        any |= isfinite(t->t_open[r]);
    }
    if (!any)
        return;
    zs_tw_trip tr = {pts->x, pts->y, pts->road, t->sel_pt, ns, t->t_open, t->t_close,
                       t->t_serv, in->depot_x, in->depot_y, depart, drive_min(c, 1.0)};
    zs_route_tw(t->ws, t->tw, &tr, t->tord);
}

/* Wave w's trip through the ns stops t->sel (positions into stops) from
 * the station at the clock; last says whether it is the day's last trip
 * (the round of the after policy follows its last delivery).  *home_min
 * gets the minutes of the drive back.  ZS_ENOMEM. */
static zs_status trip(day_ctx *c, const size_t *stops, size_t m_own, size_t ns, uint32_t w,
                      int last, double *home_min)
{
    const zs_sim_input *in = c->in;
    thread_ws *t = c->t;
    const zs_points *pts = in->points;
    if (route_reserve(t, ns + c->n_req + 1) != 0)
        return ZS_ENOMEM;
    for (size_t r = 0; r < ns; r++) {
        size_t j = t->sel[r], i = stops[j];
        t->t_serv[r] = (c->eff->access_min[pts->type[i]] +
                        zs_efficiency_service_min(c->eff, 1.0, t->wp[j * ZS_WAVES_MAX + w])) *
                       c->pace;
    }
    order_trip(c, ns, c->clock);
    for (size_t r = 0; r < ns; r++)
        t->rt[r] = t->tord[r];
    size_t len = ns;
    double deadline = in->promise_min > 0.0 ? in->wave_min[w] + in->promise_min : HUGE_VAL;
    /* Metres of the whole path and of the path through the deliveries
     * alone (plain and road-weighted). */
    double all_m = 0.0, all_rm = 0.0, del_m = 0.0, del_rm = 0.0;
    size_t last_del = DEPOT;
    double load = c->veh ? c->veh->capacity : HUGE_VAL;
    c->v[ZS_M_TRIPS] += 1.0;
    c->at = DEPOT;
    if (in->pickup_inserted)
        insert_released(c, ns, SIZE_MAX, &len);
    for (size_t pos = 0; pos < len; pos++) {
        size_t rn = t->rt[pos];
        if (rn >= ns) { /* a pickup */
            size_t q = rn - ns, i = t->pk_pt[q];
            t->pk_in[q] = 0;
            if (t->pk_done[q])
                continue; /* collected on the way */
            double leg = leg_m(c, c->at, i), rleg = leg * road_of(c, i);
            double arrive = c->clock + drive_min(c, rleg);
            if (arrive > c->limit) {
                cut_trip(c, stops, ns, pos, len, w);
                len = pos;
                break;
            }
            c->clock = arrive;
            all_m += leg;
            all_rm += rleg;
            c->at = i;
            collect_at(c, i);
        } else {
            size_t j = t->sel[rn], i = stops[j];
            uint32_t due = t->wp[j * ZS_WAVES_MAX + w];
            double rf = road_of(c, i);
            double leg = leg_m(c, c->at, i), rleg = leg * rf;
            double dleg = leg_m(c, last_del, i), drleg = dleg * rf;
            double after = load, reloads = c->veh ? zs_vehicle_reloads(c->veh, due, &after) : 0.0;
            double extra = 0.0, rextra = 0.0; /* round trips stop-depot-stop */
            if (reloads > 0.0) {
                double from_depot = leg_m(c, DEPOT, i);
                leg = leg_m(c, c->at, DEPOT) + from_depot;
                rleg = leg_m(c, c->at, DEPOT) + from_depot * rf;
                dleg = leg_m(c, last_del, DEPOT) + from_depot;
                drleg = leg_m(c, last_del, DEPOT) + from_depot * rf;
                extra = (reloads - 1.0) * 2.0 * from_depot;
                rextra = (reloads - 1.0) * from_depot * (1.0 + rf);
            }
            double arrive = c->clock + drive_min(c, rleg);
            if (reloads > 0.0)
                arrive += in->reload_min;
            if (arrive > c->limit) {
                cut_trip(c, stops, ns, pos, len, w);
                len = pos;
                break;
            }
            c->clock = arrive;
            all_m += leg + extra;
            all_rm += rleg + rextra;
            del_m += dleg + extra;
            del_rm += drleg + rextra;
            c->at = last_del = i;
            c->v[ZS_M_STOPS] += 1.0;
            if (j >= m_own)
                c->v[ZS_M_COVER_STOPS] += 1.0;
            load = after;
            if (reloads > 0.0) {
                c->v[ZS_M_RELOADS] += reloads;
                c->v[ZS_M_RELOAD_MIN] += reloads * in->reload_min;
            }
            double open = win_open(in, i), close = win_close(in, i);
            if (isfinite(open)) {
                c->v[ZS_M_WINDOW_STOPS] += 1.0;
                if (c->clock < open) {
                    c->v[ZS_M_WINDOW_WAIT_MIN] += open - c->clock;
                    c->clock = open;
                }
                if (c->clock > close)
                    c->v[ZS_M_WINDOW_MISSES] += 1.0;
            }
            attempt(c, i, due, w, deadline);
            if (reloads > 1.0) /* the further loads for this stop */
                c->clock += drive_min(c, rextra) + (reloads - 1.0) * in->reload_min;
            if (in->pickup_inserted)
                collect_at(c, i);
        }
        if (in->pickup_inserted)
            insert_released(c, ns, pos, &len);
    }
    if (last && c->n_req > 0) {
        c->rounded = 1;
        /* The round after the last delivery (every request without
         * insertion, those still open with it), priced as in sim.c: its
         * km and the way home beyond the direct one are pickup km. */
        double px = c->at == DEPOT ? in->depot_x : pts->x[c->at];
        double py = c->at == DEPOT ? in->depot_y : pts->y[c->at];
        double qx = px, qy = py, ld = 0.0, lrd = 0.0;
        zs_sim_pickup_round(in, t, c->n_req, c->eff, c->pace, c->slow, c->limit, NULL, NULL,
                            &c->clock, &qx, &qy, &ld, &lrd, NULL, c->v);
        double home0 = hypot(px - in->depot_x, py - in->depot_y);
        double home1 = hypot(qx - in->depot_x, qy - in->depot_y);
        c->v[ZS_M_PICKUP_KM] += (ld + home1 - home0) * c->eff->circuity / 1000.0;
        double extra_min = drive_min(c, lrd + home1 - home0);
        c->v[ZS_M_PICKUP_MIN] += extra_min;
        /* The round's driving went by the clock only through its legs:
         * the way home below is the direct one, so add the difference. */
        c->clock += drive_min(c, home1 - home0);
    }
    double home = leg_m(c, c->at, DEPOT);
    all_m += home;
    all_rm += home;
    del_m += leg_m(c, last_del, DEPOT);
    del_rm += leg_m(c, last_del, DEPOT);
    *home_min = drive_min(c, home);
    c->clock += *home_min;
    c->at = DEPOT;
    c->v[ZS_M_DIST_KM] += del_m * c->eff->circuity / 1000.0;
    c->v[ZS_M_STRAIGHT_KM] += del_m / 1000.0;
    c->v[ZS_M_TRAVEL_MIN] += drive_min(c, del_rm);
    c->v[ZS_M_PICKUP_KM] += (all_m - del_m) * c->eff->circuity / 1000.0;
    c->v[ZS_M_PICKUP_MIN] += drive_min(c, all_rm - del_rm);
    return ZS_OK;
}

/* Splits each stop's new parcels among the waves of the day (keyed
 * multinomial) into t->wp; yesterday's carried parcels go with wave 1
 * and carry[] is emptied for today's failures. */
static void split_waves(day_ctx *c, const size_t *stops, size_t m)
{
    const zs_sim_input *in = c->in;
    thread_ws *t = c->t;
    size_t W = in->n_waves;
    const double *share = in->wave_share + c->day * W;
    for (size_t j = 0; j < m; j++) {
        size_t i = stops[j];
        uint32_t *wp = t->wp + j * ZS_WAVES_MAX;
        for (size_t w = 0; w < ZS_WAVES_MAX; w++)
            wp[w] = 0;
        uint32_t left = t->parcels[i];
        if (W > 1 && left > 0) {
            zs_rng_rekey(t->rng, zs_rng_key(in->seed, c->rep, c->day, i, ZS_PURPOSE_WAVE));
            double mass = 1.0;
            for (size_t w = 0; w + 1 < W && left > 0; w++) {
                double p = mass > 0.0 ? share[w] / mass : 0.0;
                uint32_t k = p >= 1.0 ? left : p <= 0.0 ? 0 : gsl_ran_binomial(t->rng, p, left);
                wp[w] = k;
                left -= k;
                mass -= share[w];
            }
            wp[W - 1] += left;
        } else {
            wp[0] = left;
        }
        wp[0] += c->carry[i];
        c->carry[i] = 0;
    }
}

zs_status zs_sim_day_zone(const zs_sim_input *in, thread_ws *t, uint32_t *carry,
                          const size_t *stops, size_t m, size_t m_own, const zs_vehicle *veh,
                          const size_t *mem, size_t nm, double factor, uint64_t rep,
                          uint64_t day, size_t zone, double *cell[ZS_M_COUNT], size_t at)
{
    zs_efficiency today = *in->eff;
    day_ctx c = {.in = in, .t = t, .eff = &today, .veh = veh, .carry = carry, .rep = rep,
                 .day = day, .at = DEPOT};
    /* The same draws, keys and order as the single-scan day. */
    zs_rng_rekey(t->rng, zs_rng_key(in->seed, rep, day, zone, ZS_PURPOSE_COURIER));
    c.pace = zs_efficiency_draw_pace(&today, t->rng);
    if (veh) {
        zs_rng_rekey(t->rng, zs_rng_key(in->seed, rep, day, zone, ZS_PURPOSE_SPEED));
        today.speed_kmh = zs_vehicle_draw_speed(veh, t->rng);
    }
    c.slow = in->travel_factor ? in->travel_factor[day] : 1.0;
    double delay = in->scan_delay_min ? in->scan_delay_min[day] : 0.0;
    c.limit = in->max_overtime_min > 0.0 ? in->shift_min + in->max_overtime_min : HUGE_VAL;
    if (in->demand->pickup_mean) {
        if (zs_sim_draw_pickups(in, t, mem, nm, rep, day, factor, &c.n_req) != ZS_OK)
            return ZS_ENOMEM;
        if (c.n_req) /* pk_in is NULL until a request needs it */
            memset(t->pk_in, 0, c.n_req * sizeof *t->pk_in);
        c.v[ZS_M_PICKUPS] = (double)c.n_req;
    }
    split_waves(&c, stops, m);
    c.stops = stops;
    c.m = m;
    /* The last wave with stops ends the day's deliveries. */
    size_t last = SIZE_MAX;
    for (size_t w = 0; w < in->n_waves; w++)
        for (size_t j = 0; j < m && last != w; j++)
            if (t->wp[j * ZS_WAVES_MAX + w] > 0)
                last = w;
    double home_min = 0.0, depot_min = 0.0;
    for (size_t w = 0; w < in->n_waves && last != SIZE_MAX && w <= last; w++) {
        size_t ns = 0;
        for (size_t j = 0; j < m; j++)
            if (t->wp[j * ZS_WAVES_MAX + w] > 0) {
                t->sel[ns] = j;
                t->sel_pt[ns++] = stops[j];
            }
        if (ns == 0)
            continue;
        double scan = (in->wave_min[w] > 0.0 ? in->wave_min[w] : 0.0) + delay;
        if (c.clock < scan) {
            c.v[ZS_M_IDLE_MIN] += scan - c.clock;
            c.clock = scan;
        }
        depot_min += home_min; /* the previous trip's way back came before this one */
        if (c.clock > c.limit) {
            /* No time left for this wave: its stops wait for tomorrow. */
            if (route_reserve(t, ns) != 0)
                return ZS_ENOMEM;
            for (size_t r = 0; r < ns; r++)
                t->rt[r] = r;
            cut_trip(&c, stops, ns, 0, ns, (uint32_t)w);
            home_min = 0.0;
            continue;
        }
        c.wave = w;
        if (trip(&c, stops, m_own, ns, (uint32_t)w, w == last, &home_min) != ZS_OK)
            return ZS_ENOMEM;
    }
    c.v[ZS_M_DEPOT_MIN] = depot_min;
    if (c.n_req > 0 && !c.rounded) {
        /* Requests still open: the round from the station, then home. */
        double qx = in->depot_x, qy = in->depot_y, ld = 0.0, lrd = 0.0;
        size_t open = 0;
        for (size_t q = 0; q < c.n_req; q++)
            open += !t->pk_done[q];
        if (open > 0) {
            zs_sim_pickup_round(in, t, c.n_req, &today, c.pace, c.slow, c.limit, NULL, NULL,
                                &c.clock, &qx, &qy, &ld, &lrd, NULL, c.v);
            double home1 = hypot(qx - in->depot_x, qy - in->depot_y);
            c.v[ZS_M_PICKUP_KM] += (ld + home1) * today.circuity / 1000.0;
            c.v[ZS_M_PICKUP_MIN] += drive_min(&c, lrd + home1);
            c.clock += drive_min(&c, home1);
        }
    }
    double *v = c.v;
    v[ZS_M_WORK_MIN] = v[ZS_M_TRAVEL_MIN] + v[ZS_M_SERVICE_MIN] + v[ZS_M_RELOAD_MIN] +
                       v[ZS_M_PICKUP_MIN] + v[ZS_M_WINDOW_WAIT_MIN];
    v[ZS_M_OVERTIME_MIN] = c.clock > in->shift_min ? c.clock - in->shift_min : 0.0;
    for (int k = 0; k < ZS_M_COUNT; k++)
        cell[k][at] = v[k];
    return ZS_OK;
}
