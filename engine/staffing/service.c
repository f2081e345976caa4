/*
 * engine/staffing/service.c -- calls, agents and shifts of a plan's
 * service desk (see service.h).
 */
#include "staffing/service.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "models/rng.h"
#include "sim/callq.h"

#define NI ZS_CALL_INTERVALS
#define NR ZS_CALL_REASONS

void zs_service_opts_defaults(zs_service_opts *o)
{
    zs_calls_defaults(&o->calls);
    zs_erlang_opts_defaults(&o->erlang);
    zs_shift_opts_defaults(&o->shifts);
    o->shifts.time_limit_s = 60.0; /* a safety net: node_limit bounds the work */
    o->risk = 0.1;
    o->roster = 1;
}

zs_status zs_service_opts_validate(const zs_service_opts *o, zs_err *err)
{
    if (!(o->risk > 0.0 && o->risk <= 0.5))
        return zs_err_set(err, ZS_EINVAL, "service.risk = %g; must be in (0, 0.5]", o->risk);
    zs_status st = zs_calls_validate(&o->calls, err);
    if (st == ZS_OK)
        st = zs_erlang_opts_validate(&o->erlang, err);
    if (st == ZS_OK) {
        zs_shift_opts s = o->shifts;
        s.open_interval = o->calls.open_interval;
        s.close_interval = o->calls.close_interval;
        st = zs_shift_opts_validate(&s, err);
    }
    return st;
}

void zs_service_report_free(zs_service_report *r)
{
    if (!r)
        return;
    zs_free(r->calls_mean);
    zs_free(r->required);
    zs_free(r->peak);
    zs_free(r->sim_service_day);
    zs_shift_plan_free(r->roster);
    zs_free(r);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of v[0..n) (sorted in place), by the order statistic
 * ceil(q n): at most a share 1 - q of the values lie above it. */
static double quantile(double *v, size_t n, double q)
{
    if (n == 0)
        return 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    size_t k = (size_t)ceil(q * (double)n - 1e-9);
    if (k < 1)
        k = 1;
    return v[k - 1];
}

/* Agents for inbound calls q_in at mean handling aht_in, plus outbound
 * handling seconds out_s over the half hour. */
static zs_status agents_for(const zs_service_opts *o, double q_in, double aht_in, double out_s,
                            int *agents, int *positions, zs_err *err)
{
    zs_erlang_need nd = {0};
    if (q_in > 0.0) {
        zs_status st = zs_erlang_agents(q_in, ZS_CALL_INTERVAL_S, aht_in, &o->erlang, &nd, err);
        if (st != ZS_OK)
            return st;
    }
    int outb = (int)ceil(out_s / ZS_CALL_INTERVAL_S - 1e-9);
    *agents = nd.agents + outb;
    *positions = (int)ceil(*agents / (1.0 - o->erlang.shrinkage) - 1e-9);
    return ZS_OK;
}

static int is_peak(const zs_demand_opts *dem, int64_t day)
{
    double f = 1.0;
    for (size_t e = 0; dem && e < dem->n_events; e++)
        if (day >= dem->events[e].first_day && day < dem->events[e].first_day + dem->events[e].days)
            f *= dem->events[e].factor;
    return f > 1.0;
}

/* Replays every replication-day's calls against the shifts' agents (see
 * the header); keys: the calls' (point 0), the queue's draws point 1. */
static zs_status simulate_shifts(const zs_service_input *in, const zs_service_opts *o,
                                 zs_service_report *r, const double *drivers, zs_err *err)
{
    const zs_sim_result *s = in->sim;
    size_t R = r->reps, D = r->days;
    const zs_shift_plan *sp = r->roster;
    int amax = 1;
    for (int q = 0; q < 7 * NI; q++)
        amax = sp->scheduled[q] > amax ? sp->scheduled[q] : amax;
    /* The largest day: its calls bound the workspace (Poisson tails: 8 sd
     * and the draw's own total checked below). */
    uint32_t counts[NR * NI];
    gsl_rng *g = zs_rng_create();
    size_t maxc = 0;
    if (!g)
        return ZS_NOMEM(err);
    for (size_t rep = 0; rep < R; rep++)
        for (size_t d = 0; d < D; d++) {
            zs_rng_rekey(g, zs_rng_key(in->seed, s->rep_begin + rep, d, 0, ZS_PURPOSE_CALLS));
            zs_calls_draw_day(&o->calls, drivers + (rep * D + d) * ZS_DRIVERS, NULL, g, counts);
            size_t t = 0;
            for (int q = 0; q < NR * NI; q++)
                t += counts[q];
            maxc = t > maxc ? t : maxc;
        }
    zs_callq_ws *ws = zs_callq_ws_create(maxc, amax);
    double *day_in = zs_calloc(D, sizeof *day_in), *day_ok = zs_calloc(D, sizeof *day_ok);
    zs_status st = ZS_OK;
    if (!ws || !day_in || !day_ok) {
        st = ZS_NOMEM(err);
        goto done;
    }
    double u_in = 0, u_ok = 0, u_ab = 0, p_in = 0, p_ok = 0, p_ab = 0;
    for (size_t rep = 0; rep < R && st == ZS_OK; rep++)
        for (size_t d = 0; d < D; d++) {
            zs_rng_rekey(g, zs_rng_key(in->seed, s->rep_begin + rep, d, 0, ZS_PURPOSE_CALLS));
            zs_calls_draw_day(&o->calls, drivers + (rep * D + d) * ZS_DRIVERS, NULL, g, counts);
            int wd = zs_date_weekday(in->day_number[d]);
            int32_t ag[NI];
            for (int i = 0; i < NI; i++) {
                double outw = 0;
                for (int k = 0; k < NR; k++)
                    if (o->calls.reason[k].outbound)
                        outw += counts[k * NI + i] * o->calls.reason[k].aht_s;
                int a = sp->scheduled[wd * NI + i] - (int)ceil(outw / ZS_CALL_INTERVAL_S - 1e-9);
                ag[i] = a > 0 ? a : 0;
            }
            zs_rng_rekey(g, zs_rng_key(in->seed, s->rep_begin + rep, d, 1, ZS_PURPOSE_CALLS));
            zs_callq_day cd;
            if ((st = zs_callq_simulate_day(&o->calls, counts, ag, o->erlang.target_s, g, ws, &cd,
                                            err)) != ZS_OK)
                break;
            double off = 0, ok = 0, ab = 0;
            for (int i = 0; i < NI; i++) {
                off += cd.offered[i];
                ok += cd.within[i];
                ab += cd.abandoned[i] + cd.unserved[i];
            }
            day_in[d] += off;
            day_ok[d] += ok;
            if (!r->peak[d]) {
                u_in += off, u_ok += ok, u_ab += ab;
            }
            if (d == r->peak_day) {
                p_in += off, p_ok += ok, p_ab += ab;
            }
        }
    if (st == ZS_OK) {
        r->sim_service_usual = u_in > 0 ? u_ok / u_in : 1.0;
        r->sim_abandon_usual = u_in > 0 ? u_ab / u_in : 0.0;
        r->sim_service_peak = p_in > 0 ? p_ok / p_in : 1.0;
        r->sim_abandon_peak = p_in > 0 ? p_ab / p_in : 0.0;
        for (size_t d = 0; d < D; d++)
            day_ok[d] = day_in[d] > 0 ? day_ok[d] / day_in[d] : 1.0;
        r->sim_service_day = day_ok;
        day_ok = NULL;
    }
done:
    zs_callq_ws_free(ws);
    zs_free(day_in);
    zs_free(day_ok);
    gsl_rng_free(g);
    return st;
}

zs_status zs_service_plan(const zs_service_input *in, const zs_service_opts *o,
                          zs_service_report **out, zs_err *err)
{
    *out = NULL;
    zs_status st = zs_service_opts_validate(o, err);
    if (st != ZS_OK)
        return st;
    const zs_sim_result *s = in->sim;
    static const int metric_of[ZS_DRIVERS] = {ZS_M_PARCELS, ZS_M_FAILED_STOPS, ZS_M_CARRIED,
                                              ZS_M_LATE, ZS_M_PICKUPS};
    for (int k = 0; k < ZS_DRIVERS; k++)
        if (!s->v[metric_of[k]])
            return zs_err_set(err, ZS_EINVAL, "service desk: the simulation lacks the metric %s",
                              zs_metric_get(metric_of[k])->name);
    size_t R = s->reps, D = s->days, Z = s->zones;
    if (R == 0 || D == 0)
        return zs_err_set(err, ZS_EINVAL, "service desk: no simulated days");
    zs_service_report *r = zs_calloc(1, sizeof *r);
    double *in_c = NULL, *out_s = NULL, *aht_num = NULL, *buf = NULL, *drivers = NULL;
    uint32_t counts[NR * NI];
    gsl_rng *g = zs_rng_create();
    if (!r || !g) {
        st = ZS_NOMEM(err);
        goto done;
    }
    r->days = D;
    r->reps = R;
    r->risk = o->risk;
    r->sim_service_usual = r->sim_service_peak = NAN;
    r->sim_abandon_usual = r->sim_abandon_peak = NAN;
    /* in_c[(r D + d) NI + i]: inbound calls; out_s: outbound handling s. */
    if (!(r->calls_mean = zs_calloc(D * NR * NI, sizeof *r->calls_mean)) ||
        !(r->required = zs_calloc(D * NI, sizeof *r->required)) ||
        !(r->peak = zs_calloc(D, sizeof *r->peak)) ||
        !(in_c = zs_calloc(R * D * NI, sizeof *in_c)) ||
        !(out_s = zs_calloc(R * D * NI, sizeof *out_s)) ||
        !(aht_num = zs_calloc(D * NI, sizeof *aht_num)) ||
        !(buf = zs_calloc(R * D, sizeof *buf)) ||
        !(drivers = zs_calloc(R * D * ZS_DRIVERS, sizeof *drivers))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    double drv_sum[ZS_DRIVERS] = {0};
    for (size_t rep = 0; rep < R; rep++)
        for (size_t d = 0; d < D; d++) {
            double drv[ZS_DRIVERS] = {0};
            for (int k = 0; k < ZS_DRIVERS; k++)
                for (size_t z = 0; z < Z; z++)
                    drv[k] += zs_sim_at(s, metric_of[k], rep, d, z);
            for (int k = 0; k < ZS_DRIVERS; k++) {
                drv_sum[k] += drv[k];
                drivers[(rep * D + d) * ZS_DRIVERS + (size_t)k] = drv[k];
            }
            zs_rng_rekey(g, zs_rng_key(in->seed, s->rep_begin + rep, d, 0, ZS_PURPOSE_CALLS));
            zs_calls_draw_day(&o->calls, drv, NULL, g, counts);
            for (int k = 0; k < NR; k++) {
                const zs_call_params *p = &o->calls.reason[k];
                for (int i = 0; i < NI; i++) {
                    double n = counts[k * NI + i];
                    if (n == 0)
                        continue;
                    r->calls_mean[(d * NR + (size_t)k) * NI + (size_t)i] += n / (double)R;
                    size_t q = (rep * D + d) * NI + (size_t)i;
                    if (p->outbound) {
                        out_s[q] += n * p->aht_s;
                    } else {
                        in_c[q] += n;
                        aht_num[d * NI + (size_t)i] += n * p->aht_s;
                    }
                }
            }
        }
    r->failed_day_mean = drv_sum[ZS_DRIVER_FAILED] / (double)(R * D);
    r->late_day_mean = drv_sum[ZS_DRIVER_LATE] / (double)(R * D);
    /* Mean inbound handling per (day, interval), weighted by the calls. */
    double usual_num[NI] = {0}, usual_den[NI] = {0};
    size_t n_usual = 0;
    for (size_t d = 0; d < D; d++) {
        r->peak[d] = (uint8_t)is_peak(in->demand, in->day_number[d]);
        n_usual += !r->peak[d];
        double day_calls = 0;
        for (size_t q = 0; q < NR * NI; q++)
            day_calls += r->calls_mean[d * NR * NI + q];
        r->calls_day_mean += day_calls / (double)D;
        if (!r->peak[d])
            r->calls_usual_day += day_calls;
        if (day_calls > r->calls_peak_day || d == 0) {
            r->calls_peak_day = day_calls;
            r->peak_day = d;
        }
        for (int i = 0; i < NI; i++) {
            double den = 0;
            for (size_t rep = 0; rep < R; rep++)
                den += in_c[(rep * D + d) * NI + (size_t)i];
            if (!r->peak[d]) {
                usual_num[i] += aht_num[d * NI + (size_t)i];
                usual_den[i] += den;
            }
            double aht = den > 0 ? aht_num[d * NI + (size_t)i] / den : 1.0;
            for (size_t rep = 0; rep < R; rep++)
                buf[rep] = in_c[(rep * D + d) * NI + (size_t)i];
            double qi = quantile(buf, R, 1.0 - o->risk);
            for (size_t rep = 0; rep < R; rep++)
                buf[rep] = out_s[(rep * D + d) * NI + (size_t)i];
            double qo = quantile(buf, R, 1.0 - o->risk);
            int ag, pos;
            if ((st = agents_for(o, qi, aht, qo, &ag, &pos, err)) != ZS_OK)
                goto done;
            r->required[d * NI + (size_t)i] = ag;
        }
    }
    if (n_usual)
        r->calls_usual_day /= (double)n_usual;
    /* The usual day: the quantile over every replication of every
     * non-event day. */
    for (int i = 0; i < NI && n_usual; i++) {
        size_t m = 0;
        for (size_t rep = 0; rep < R; rep++)
            for (size_t d = 0; d < D; d++)
                if (!r->peak[d])
                    buf[m++] = in_c[(rep * D + d) * NI + (size_t)i];
        double qi = quantile(buf, m, 1.0 - o->risk);
        m = 0;
        for (size_t rep = 0; rep < R; rep++)
            for (size_t d = 0; d < D; d++)
                if (!r->peak[d])
                    buf[m++] = out_s[(rep * D + d) * NI + (size_t)i];
        double qo = quantile(buf, m, 1.0 - o->risk);
        double aht = usual_den[i] > 0 ? usual_num[i] / usual_den[i] : 1.0;
        int ag, pos;
        if ((st = agents_for(o, qi, aht, qo, &ag, &pos, err)) != ZS_OK)
            goto done;
        r->usual[i] = ag;
        r->agent_h_usual += 0.5 * ag;
        if (ag > r->agents_usual) {
            r->agents_usual = ag;
            r->positions_usual = pos;
        }
    }
    for (int i = 0; i < NI; i++) {
        int ag = r->required[r->peak_day * NI + (size_t)i];
        r->agent_h_peak += 0.5 * ag;
        if (ag > r->agents_peak) {
            r->agents_peak = ag;
            r->positions_peak = (int)ceil(ag / (1.0 - o->erlang.shrinkage) - 1e-9);
        }
    }
    /* The regular week: per weekday the largest non-event requirement. */
    for (size_t d = 0; d < D; d++) {
        if (r->peak[d])
            continue;
        int wd = zs_date_weekday(in->day_number[d]);
        for (int i = 0; i < NI; i++)
            if (r->required[d * NI + (size_t)i] > r->week[wd * NI + i])
                r->week[wd * NI + i] = r->required[d * NI + (size_t)i];
    }
    if (o->roster) {
        zs_shift_opts so = o->shifts;
        so.open_interval = o->calls.open_interval;
        so.close_interval = o->calls.close_interval;
        so.days = 7;
        if (so.ft_days > 7)
            so.ft_days = 7;
        if ((st = zs_shift_solve(r->week, &so, &r->roster, err)) != ZS_OK)
            goto done;
        if (isfinite(r->roster->objective) && (st = simulate_shifts(in, o, r, drivers, err)) != ZS_OK)
            goto done;
    }
done:
    zs_free(drivers);
    zs_free(in_c);
    zs_free(out_s);
    zs_free(aht_num);
    zs_free(buf);
    if (g)
        gsl_rng_free(g);
    if (st != ZS_OK) {
        zs_service_report_free(r);
        return st;
    }
    *out = r;
    return ZS_OK;
}
