/*
 * engine/staffing/staffing.c -- requirement per day type from the simulation, the
 * roster calendar and the nested light-day zones (see staffing.h).
 */
#include "staffing/staffing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "models/calendar.h"

void zs_staffing_opts_defaults(zs_staffing_opts *o)
{
    o->risk = 0.05;
    o->overtime_h = 1.0;
    o->by_weekday = 0;
    o->mode_gap = 0.15; /* as zonesim calibrate */
    o->temp_peak_only = 1;
    zs_roster_opts_defaults(&o->roster);
    o->nested = 1;
    o->nested_k = 0;
    zs_nested_opts_defaults(&o->nest);
}

zs_status zs_staffing_opts_validate(const zs_staffing_opts *o, zs_err *err)
{
    if (!(o->risk > 0 && o->risk <= 0.5))
        return zs_err_set(err, ZS_EINVAL, "staffing.risk = %g; must be in (0, 0.5]", o->risk);
    if (!(o->overtime_h >= 0 && o->overtime_h <= 24))
        return zs_err_set(err, ZS_EINVAL, "staffing.overtime_h = %g; must be in [0, 24]",
                          o->overtime_h);
    if (!(o->mode_gap >= 0 && o->mode_gap < 1))
        return zs_err_set(err, ZS_EINVAL, "staffing.mode_gap = %g; must be in [0, 1)", o->mode_gap);
    zs_status st = zs_roster_opts_validate(&o->roster, err);
    if (st == ZS_OK)
        st = zs_nested_opts_validate(&o->nest, err);
    if (st != ZS_OK) {
        /* "roster.weeks = 9; ..." is staffing.weeks in a scenario. */
        char msg[ZS_ERR_MSG_MAX];
        const char *m = err ? err->msg : "";
        if (!strncmp(m, "roster.", 7)) {
            snprintf(msg, sizeof msg, "staffing.%s", m + 7);
        } else if (!strncmp(m, "nested.", 7)) {
            snprintf(msg, sizeof msg, "staffing.nested_%s", m + 7);
        } else { /* "roster: time limit ...": no key of its own */
            const char *colon = strstr(m, ": ");
            snprintf(msg, sizeof msg, "staffing: %.1000s", colon ? colon + 2 : m);
        }
        return zs_err_set(err, st, "%s", msg);
    }
    return ZS_OK;
}

int zs_staffing_modes(const double weekday_factor[7], double gap, int mode_of[7])
{
    /* The rule of models/demand_calibrate.c: by volume, heaviest first; a
     * new mode where the drop from the mode's heaviest day exceeds gap. */
    int order[7] = {0, 1, 2, 3, 4, 5, 6};
    for (int a = 1; a < 7; a++)
        for (int b = a; b > 0 && weekday_factor[order[b]] > weekday_factor[order[b - 1]]; b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    double head = weekday_factor[order[0]];
    int n = 1;
    for (int a = 0; a < 7; a++) {
        double v = weekday_factor[order[a]];
        if (head > 0.0 && (head - v) / head > gap) {
            n++;
            head = v;
        }
        mode_of[order[a]] = n - 1;
    }
    return n;
}

void zs_staffing_report_free(zs_staffing_report *r)
{
    if (!r)
        return;
    zs_free(r->roster_type);
    zs_roster_free(r->roster);
    zs_nested_free(r->nested);
    zs_free(r);
}

/* Product of the factors of the events covering day (1 when none). */
static double event_factor(const zs_demand_opts *dem, int64_t day)
{
    double f = 1.0;
    for (size_t e = 0; dem && e < dem->n_events; e++)
        if (day >= dem->events[e].first_day && day < dem->events[e].first_day + dem->events[e].days)
            f *= dem->events[e].factor;
    return f;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The smallest of x[0..n) (sorted here) that at least a share 1 - risk of
 * them do not exceed. */
static double upper_quantile(double *x, size_t n, double risk)
{
    qsort(x, n, sizeof *x, cmp_double);
    double pos = ceil((double)n * (1.0 - risk) - 1e-9);
    size_t j = pos < 1 ? 0 : (size_t)pos - 1;
    return x[j < n ? j : n - 1];
}

/* Couriers so that load / c <= cap: ceil(load / cap), with a tolerance
 * that keeps an exact fit exact. */
static int32_t couriers_for(double load, double cap)
{
    if (!(load > 0))
        return 0;
    return (int32_t)ceil(load / cap - 1e-9);
}

static void name_types(zs_staffing_report *r, int n_regular, const int mode_of[7], int by_weekday)
{
    for (int t = 0; t < n_regular; t++) {
        zs_staffing_type *ty = &r->type[t];
        if (by_weekday)
            snprintf(ty->name, sizeof ty->name, "%s", zs_weekday_name(t));
        else if (n_regular == 1)
            snprintf(ty->name, sizeof ty->name, "all");
        else if (t == 0)
            snprintf(ty->name, sizeof ty->name, "heavy");
        else if (t == n_regular - 1)
            snprintf(ty->name, sizeof ty->name, "light");
        else if (n_regular == 3)
            snprintf(ty->name, sizeof ty->name, "normal");
        else
            snprintf(ty->name, sizeof ty->name, "normal%u", (unsigned)t % 100u); /* t < 7 */
        size_t used = 0;
        ty->days[0] = '\0';
        for (int wd = 0; wd < 7; wd++)
            if (mode_of[wd] == t) {
                int w = snprintf(ty->days + used, sizeof ty->days - used, "%s%s", used ? " " : "",
                                 zs_weekday_name(wd));
                if (w > 0)
                    used += (size_t)w;
            }
    }
}

zs_status zs_staffing_plan(const zs_staffing_input *in, const zs_staffing_opts *o,
                           zs_staffing_report **out, zs_err *err)
{
    *out = NULL;
    zs_staffing_opts def;
    if (!o) {
        zs_staffing_opts_defaults(&def);
        o = &def;
    }
    zs_status st = zs_staffing_opts_validate(o, err);
    if (st != ZS_OK)
        return st;
    const zs_sim_result *s = in->sim;
    if (!s || !s->v[ZS_M_WORK_MIN] || !s->v[ZS_M_STOPS] || s->zones == 0)
        return zs_err_set(err, ZS_EINVAL, "staffing: the plan has no simulated work minutes");
    if (!(in->shift_min > 0) || !(in->stops_per_hour > 0))
        return zs_err_set(err, ZS_EINVAL, "staffing: shift (%g min) and stops per hour (%g) must be > 0",
                          in->shift_min, in->stops_per_hour);
    if (in->part && in->part->k != s->zones)
        return zs_err_set(err, ZS_EINVAL, "staffing: the plan has %zu zones, its simulation %zu",
                          in->part->k, s->zones);
    size_t R = s->reps, D = s->days, K = s->zones, nobs = R * D;
    zs_staffing_report *r = zs_calloc(1, sizeof *r);
    double *X = zs_malloc_array(nobs ? nobs : 1, sizeof *X);   /* k x busiest */
    double *T = zs_malloc_array(nobs ? nobs : 1, sizeof *T);   /* total work */
    double *B = zs_malloc_array(nobs ? nobs : 1, sizeof *B);   /* busiest zone */
    double *Wz = zs_malloc_array(K, sizeof *Wz);
    int *tday = zs_malloc_array(D ? D : 1, sizeof *tday);
    int32_t *req = NULL;
    uint8_t *tok = NULL;
    if (!r || !X || !T || !B || !Wz || !tday) {
        st = ZS_NOMEM(err);
        goto done;
    }
    r->opts = *o;
    r->k = K;
    r->shift_min = in->shift_min;
    r->capacity_min = in->shift_min + 60.0 * o->overtime_h;
    r->stops_per_hour = in->stops_per_hour;

    /* Day types. */
    int mode_of[7], n_regular;
    if (o->by_weekday || !in->demand) {
        for (int wd = 0; wd < 7; wd++)
            mode_of[wd] = wd;
        n_regular = 7;
    } else {
        n_regular = zs_staffing_modes(in->demand->weekday_factor, o->mode_gap, mode_of);
    }
    name_types(r, n_regular, mode_of, o->by_weekday || !in->demand);
    memcpy(r->type_of_weekday, mode_of, sizeof mode_of);
    int any_peak = 0;
    for (size_t d = 0; d < D; d++) {
        int peak = event_factor(in->demand, in->day_number[d]) > 1.0;
        tday[d] = peak ? n_regular : mode_of[zs_date_weekday(in->day_number[d])];
        any_peak |= peak;
    }
    r->n_types = n_regular + any_peak;
    if (any_peak) {
        zs_staffing_type *ty = &r->type[n_regular];
        snprintf(ty->name, sizeof ty->name, "peak");
        snprintf(ty->days, sizeof ty->days, "event days");
        ty->peak = 1;
    }

    /* Requirement per type: pass over the replication-days of each. */
    double hours = in->shift_min / 60.0;
    for (int t = 0; t < r->n_types; t++) {
        zs_staffing_type *ty = &r->type[t];
        size_t n = 0;
        double stops = 0, work = 0, imb = 0, over = 0;
        for (size_t rep = 0; rep < R; rep++)
            for (size_t d = 0; d < D; d++) {
                if (tday[d] != t)
                    continue;
                double tot = 0, tstops = 0, busiest = 0;
                for (size_t z = 0; z < K; z++) {
                    Wz[z] = zs_sim_at(s, ZS_M_WORK_MIN, rep, d, z);
                    tot += Wz[z];
                    tstops += zs_sim_at(s, ZS_M_STOPS, rep, d, z);
                }
                /* Unvisited stops at the zone's (else the day's) minutes
                 * per visited stop. */
                double per_stop_day = tstops > 0 ? tot / tstops : 0.0;
                if (s->v[ZS_M_UNVISITED]) {
                    tot = 0;
                    for (size_t z = 0; z < K; z++) {
                        double un = zs_sim_at(s, ZS_M_UNVISITED, rep, d, z);
                        double st_z = zs_sim_at(s, ZS_M_STOPS, rep, d, z);
                        if (un > 0)
                            Wz[z] += un * (st_z > 0 ? Wz[z] / st_z : per_stop_day);
                        tot += Wz[z];
                        tstops += un;
                    }
                }
                for (size_t z = 0; z < K; z++)
                    busiest = Wz[z] > busiest ? Wz[z] : busiest;
                X[n] = (double)K * busiest;
                T[n] = tot;
                B[n] = busiest;
                stops += tstops;
                work += tot;
                imb += tot > 0 ? busiest / (tot / (double)K) : 1.0;
                over += busiest > r->capacity_min;
                n++;
            }
        ty->n_obs = n;
        if (n == 0)
            continue;
        ty->stops_mean = stops / (double)n;
        ty->work_mean_min = work / (double)n;
        ty->imbalance_mean = imb / (double)n;
        ty->overrun_share_k = over / (double)n;
        ty->capacity_rule = ty->stops_mean > 0
                                ? (int32_t)zs_partition_capacity_k(ty->stops_mean, in->stops_per_hour, hours)
                                : 0;
        ty->work_q_min = upper_quantile(T, n, o->risk);
        ty->busiest_q_min = upper_quantile(B, n, o->risk);
        ty->required = couriers_for(upper_quantile(X, n, o->risk), r->capacity_min);
        ty->required_even = couriers_for(ty->work_q_min, r->capacity_min);
    }
    /* A regular type never simulated (a run shorter than a week) takes the
     * heaviest requirement seen: the roster must not plan it empty. */
    int32_t heaviest = 0;
    for (int t = 0; t < r->n_types; t++)
        if (!r->type[t].peak && r->type[t].n_obs && r->type[t].required > heaviest)
            heaviest = r->type[t].required;
    for (int t = 0; t < r->n_types; t++)
        if (!r->type[t].n_obs)
            r->type[t].required = r->type[t].required_even = heaviest;

    /* The roster over W weeks from the Monday of the first simulated day. */
    int W = o->roster.weeks, RD = 7 * W;
    int64_t first = D ? in->day_number[0] : 0;
    first -= zs_date_weekday(first);
    r->roster_first_day = first;
    if (!(r->roster_type = zs_calloc((size_t)RD, sizeof *r->roster_type)) ||
        !(req = zs_calloc((size_t)RD, sizeof *req)) || !(tok = zs_calloc((size_t)RD, sizeof *tok))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (int dd = 0; dd < RD; dd++) {
        int64_t day = first + dd;
        int peak = any_peak && event_factor(in->demand, day) > 1.0;
        int t = peak ? n_regular : mode_of[zs_date_weekday(day)];
        r->roster_type[dd] = t;
        req[dd] = r->type[t].required;
        tok[dd] = (uint8_t)(o->temp_peak_only ? peak : 1);
    }
    if ((st = zs_roster_solve(req, tok, &o->roster, &r->roster, err)) != ZS_OK) {
        zs_err_prefix(err, "staffing");
        goto done;
    }

    /* Nested light-day zones. */
    if (!o->nested) {
        snprintf(r->nested_note, sizeof r->nested_note, "not asked for (staffing.nested: false)");
    } else if (!in->part) {
        snprintf(r->nested_note, sizeof r->nested_note, "no plan geometry given");
    } else {
        size_t kl = o->nested_k;
        if (kl == 0) {
            for (int t = 0; t < r->n_types; t++)
                if (!r->type[t].peak && r->type[t].n_obs && r->type[t].required > 0 &&
                    (kl == 0 || (size_t)r->type[t].required < kl))
                    kl = (size_t)r->type[t].required;
        }
        if (kl == 0)
            snprintf(r->nested_note, sizeof r->nested_note, "no regular day needs a courier");
        else if (kl >= K)
            snprintf(r->nested_note, sizeof r->nested_note,
                     "not needed: even the lightest days need %zu couriers for the plan's %zu "
                     "zones%s", kl, K, kl > K ? " (too big for this risk: re-zone, note above)" : "");
        else if ((st = zs_nested_solve(in->part, in->x, in->y, in->w, in->depot, kl, &o->nest,
                                       &r->nested, err)) != ZS_OK) {
            zs_err_prefix(err, "staffing");
            goto done;
        }
    }
done: /* st says whether r is the result */
    zs_free(X);
    zs_free(T);
    zs_free(B);
    zs_free(Wz);
    zs_free(tday);
    zs_free(req);
    zs_free(tok);
    if (st != ZS_OK) {
        zs_staffing_report_free(r);
        return st;
    }
    *out = r;
    return ZS_OK;
}
