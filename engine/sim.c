#include "sim.h"

#include <omp.h>
#include <string.h>

#include "../models/alloc.h"
#include "../models/rng.h"
#include "route.h"

static const zs_metric_info metrics[ZS_M_COUNT] = {
    {"stops", "1", "points visited in the zone that day"},
    {"parcels", "1", "parcels delivered in the zone that day"},
    {"dist_km", "km", "road distance of the tour (straight line x circuity)"},
    {"travel_min", "min", "minutes driving the tour"},
    {"service_min", "min", "minutes at stops (per stop + per parcel)"},
    {"work_min", "min", "total work: travel + service"},
    {"overtime_min", "min", "work beyond the regular shift"},
};

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

/* Points of each zone, in point order (CSR).  Built once, read by all
 * threads. */
typedef struct {
    size_t k;
    size_t *start;   /* k + 1 offsets */
    size_t *member;  /* n point indices */
} zone_index;

static void zone_index_clear(zone_index *zi)
{
    zs_free(zi->start);
    zs_free(zi->member);
}

static zs_status zone_index_build(const zs_partition *pl, zone_index *zi, zs_err *err)
{
    zi->k = pl->k;
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

/* One replication of every plan: days in order, demand drawn once a day. */
static void run_replication(const zs_sim_input *in,
                            size_t n_plans, const zone_index *zi, zs_sim_result **out,
                            size_t r, gsl_rng *rng, uint32_t *parcels, size_t *stops,
                            zs_route_ws *ws)
{
    const zs_points *pts = in->points;
    const zs_efficiency *eff = in->eff;
    uint64_t rep = in->rep_begin + r;
    for (size_t d = 0; d < in->days; d++) {
        zs_demand_draw_day(in->demand, in->seed, rep, d, in->weekday[d], rng, parcels);
        for (size_t p = 0; p < n_plans; p++) {
            zs_sim_result *res = out[p];
            size_t base = (r * in->days + d) * res->zones;
            for (size_t z = 0; z < zi[p].k; z++) {
                size_t m = 0;
                double n_parcels = 0.0;
                for (size_t j = zi[p].start[z]; j < zi[p].start[z + 1]; j++) {
                    size_t i = zi[p].member[j];
                    if (parcels[i] > 0) {
                        stops[m++] = i;
                        n_parcels += parcels[i];
                    }
                }
                double len_m = zs_route_tour(ws, pts->x, pts->y, stops, m, in->depot_x,
                                             in->depot_y, NULL);
                double travel = zs_efficiency_travel_min(eff, len_m);
                double service = zs_efficiency_service_min(eff, (double)m, n_parcels);
                double work = travel + service;
                res->v[ZS_M_STOPS][base + z] = (double)m;
                res->v[ZS_M_PARCELS][base + z] = n_parcels;
                res->v[ZS_M_DIST_KM][base + z] = len_m * eff->circuity / 1000.0;
                res->v[ZS_M_TRAVEL_MIN][base + z] = travel;
                res->v[ZS_M_SERVICE_MIN][base + z] = service;
                res->v[ZS_M_WORK_MIN][base + z] = work;
                res->v[ZS_M_OVERTIME_MIN][base + z] = work > in->shift_min ? work - in->shift_min : 0.0;
            }
        }
    }
}

static zs_status check_input(const zs_sim_input *in, const zs_partition *const *plans,
                             size_t n_plans, zs_err *err)
{
    if (!in->points || !in->demand || !in->eff || !in->weekday)
        return ZS_INTERNAL(err, "simulation input incomplete");
    if (in->days < 1)
        return zs_err_set(err, ZS_EINVAL, "simulation.days = %zu; must be >= 1", in->days);
    if (in->rep_end <= in->rep_begin)
        return zs_err_set(err, ZS_EINVAL, "no replications to run ([%zu, %zu))", in->rep_begin, in->rep_end);
    if (!(in->shift_min > 0.0))
        return zs_err_set(err, ZS_EINVAL, "shift of %g minutes; must be > 0", in->shift_min);
    if (in->threads < 0)
        return zs_err_set(err, ZS_EINVAL, "threads = %d; must be >= 0", in->threads);
    if (in->demand->n_points != in->points->n)
        return ZS_INTERNAL(err, "demand has %zu points, points %zu", in->demand->n_points, in->points->n);
    for (size_t d = 0; d < in->days; d++)
        if (in->weekday[d] < 0 || in->weekday[d] > 6)
            return ZS_INTERNAL(err, "day %zu has weekday %d", d, in->weekday[d]);
    for (size_t p = 0; p < n_plans; p++)
        if (plans[p]->n != in->points->n || plans[p]->k < 1)
            return ZS_INTERNAL(err, "plan %zu covers %zu points in %zu zones; expected %zu points",
                               p, plans[p]->n, plans[p]->k, in->points->n);
    return ZS_OK;
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
    if (!zi || !rep_status) {
        st = ZS_NOMEM(err);
        goto done;
    }
    size_t max_zone = 1;
    for (size_t p = 0; p < n_plans && st == ZS_OK; p++) {
        if ((st = zone_index_build(plans[p], &zi[p], err)) != ZS_OK)
            break;
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

    int nthreads = in->threads > 0 ? in->threads : omp_get_max_threads();
#pragma omp parallel num_threads(nthreads) default(none) \
    shared(in, plans, n_plans, zi, out, rep_status, reps, n, max_zone)
    {
        /* Per-thread stream, buffers and routing workspace; a thread that
         * cannot get them marks its replications as failed. */
        gsl_rng *rng = zs_rng_create();
        uint32_t *parcels = zs_malloc_array(n ? n : 1, sizeof *parcels);
        size_t *stops = zs_malloc_array(max_zone, sizeof *stops);
        zs_route_ws *ws = zs_route_ws_create(max_zone);
        int ok = rng && parcels && stops && ws;
#pragma omp for schedule(dynamic, 1)
        for (size_t r = 0; r < reps; r++) {
            if (!ok) {
                rep_status[r] = ZS_ENOMEM;
                continue;
            }
            run_replication(in, n_plans, zi, out, r, rng, parcels, stops, ws);
        }
        zs_route_ws_free(ws);
        zs_free(stops);
        zs_free(parcels);
        if (rng)
            gsl_rng_free(rng);
    }
    /* Report the lowest failing replication, independent of timing. */
    for (size_t r = 0; r < reps; r++)
        if (rep_status[r] != ZS_OK) {
            st = zs_err_set(err, rep_status[r], "replication %zu: out of memory for its workspace",
                            in->rep_begin + r);
            break;
        }

done:
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
