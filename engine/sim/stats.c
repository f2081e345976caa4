/*
 * engine/sim/stats.c -- summaries of simulated metrics (engine/stats.h).
 *
 * Every sum runs serially in index order (replication, day, zone), so a
 * summary has the same bits however the simulation was threaded.  The
 * confidence interval comes from per-replication means; the quantiles,
 * min and max from the pooled single observations.
 */
#include "sim/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <omp.h>

#include "models/alloc.h"

/* A total order on doubles for qsort: NaN (never expected) sorts last, so
 * the comparison stays consistent even then. */
static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    int na = isnan(a), nb = isnan(b);
    if (na || nb)
        return na - nb;
    return (a > b) - (a < b);
}

double zs_stats_quantile_sorted(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return NAN;
    if (!(q > 0.0))
        return sorted[0];
    if (q >= 1.0)
        return sorted[n - 1];
    /* Hyndman & Fan type 7 (R's default, numpy's "linear"): h = (n-1) q. */
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return sorted[n - 1];
    double frac = h - (double)lo;
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/* mean, sd and 95% t interval of n per-replication values. */
static void ci_of(const double *v, size_t n, zs_stat *out)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    double mean = sum / (double)n;
    out->mean = mean;
    if (n < 2) {
        out->sd = 0.0;
        out->ci_lo = out->ci_hi = mean;
        return;
    }
    double ss = 0.0;
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - mean) * (v[i] - mean);
    out->sd = sqrt(ss / (double)(n - 1));
    double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * out->sd / sqrt((double)n);
    out->ci_lo = mean - half;
    out->ci_hi = mean + half;
}

/* Quantiles, min and max of n observations, sorting them in place. */
static void spread_of(double *obs, size_t n, zs_stat *out)
{
    qsort(obs, n, sizeof *obs, cmp_double);
    out->p10 = zs_stats_quantile_sorted(obs, n, 0.10);
    out->p50 = zs_stats_quantile_sorted(obs, n, 0.50);
    out->p90 = zs_stats_quantile_sorted(obs, n, 0.90);
    out->min = obs[0];
    out->max = obs[n - 1];
}

void zs_stats_describe(const double *x, size_t n, double *scratch, zs_stat *out)
{
    if (n == 0) {
        out->mean = out->sd = out->ci_lo = out->ci_hi = NAN;
        out->p10 = out->p50 = out->p90 = out->min = out->max = NAN;
        return;
    }
    ci_of(x, n, out);
    memcpy(scratch, x, n * sizeof *x);
    spread_of(scratch, n, out);
}

void zs_plan_summary_free(zs_plan_summary *p)
{
    if (!p)
        return;
    for (int m = 0; m < ZS_M_COUNT; m++)
        zs_free(p->zone[m]);
    zs_free(p);
}

/* Zone balance from the zones' mean work and the overtime zone-days. */
static void balance(const zs_sim_result *s, zs_plan_summary *p)
{
    const zs_stat *w = p->zone[ZS_M_WORK_MIN];
    size_t Z = s->zones;
    double lo = w[0].mean, hi = w[0].mean, sum = 0.0;
    for (size_t z = 0; z < Z; z++) {
        if (w[z].mean < lo)
            lo = w[z].mean;
        if (w[z].mean > hi)
            hi = w[z].mean;
        sum += w[z].mean;
    }
    if (lo == 0.0)
        p->work_maxmin = hi > 0.0 ? HUGE_VAL : 1.0;
    else
        p->work_maxmin = hi / lo;
    double mean = sum / (double)Z, ss = 0.0;
    for (size_t z = 0; z < Z; z++)
        ss += (w[z].mean - mean) * (w[z].mean - mean);
    /* Population sd: the zones are the whole plan, not a sample of zones. */
    p->work_cv = mean != 0.0 ? sqrt(ss / (double)Z) / mean : 0.0;
    size_t n = s->reps * s->days * Z, over = 0;
    const double *ot = s->v[ZS_M_OVERTIME_MIN];
    for (size_t i = 0; i < n; i++)
        over += ot[i] > 0.0;
    p->overtime_share = (double)over / (double)n;
}

/* Scratch of one summariser: per-replication means, observations and
 * daily totals of a result of up to R x D x Z values. */
typedef struct {
    double *rep_mean, *obs, *total;
} stats_ws;

static void stats_ws_clear(stats_ws *ws)
{
    zs_free(ws->rep_mean);
    zs_free(ws->obs);
    zs_free(ws->total);
}

static int stats_ws_init(stats_ws *ws, size_t R, size_t D, size_t Z)
{
    ws->rep_mean = zs_malloc_array(R, sizeof *ws->rep_mean);
    ws->obs = zs_malloc_array(R * D * Z, sizeof *ws->obs);
    ws->total = zs_malloc_array(R * D, sizeof *ws->total);
    return ws->rep_mean && ws->obs && ws->total ? 0 : -1;
}

/* Checks a result's size; on success the summary shell p (zones and
 * per-zone arrays, statistics still to fill) is the caller's. */
static zs_status summary_create(const zs_sim_result *s, zs_plan_summary **out, zs_err *err)
{
    *out = NULL;
    size_t R = s->reps, D = s->days, Z = s->zones;
    if (R == 0 || D == 0 || Z == 0)
        return zs_err_set(err, ZS_EINVAL,
                          "cannot summarise a result of %zu replications x %zu days x %zu zones; "
                          "each must be >= 1", R, D, Z);
    if (D > SIZE_MAX / R || Z > SIZE_MAX / (R * D))
        return zs_err_set(err, ZS_EINVAL, "result of %zu x %zu x %zu values is too large", R, D, Z);
    zs_plan_summary *p = zs_calloc(1, sizeof *p);
    if (!p)
        return ZS_NOMEM(err);
    p->zones = Z;
    p->n_metrics = (size_t)zs_sim_nm(s);
    for (int m = 0; m < ZS_M_COUNT; m++)
        if (!(p->zone[m] = zs_calloc(Z, sizeof *p->zone[m]))) {
            zs_plan_summary_free(p);
            return ZS_NOMEM(err);
        }
    *out = p;
    return ZS_OK;
}

/* Every statistic of metric m of s into p, with scratch ws.  Touches only
 * p's metric-m fields, so metrics can be summarised side by side. */
static void summarise_metric(const zs_sim_result *s, int m, zs_plan_summary *p, const stats_ws *ws)
{
    size_t R = s->reps, D = s->days, Z = s->zones;
    double *rep_mean = ws->rep_mean, *obs = ws->obs, *total = ws->total;
    const double *v = s->v[m];
    for (size_t z = 0; z < Z; z++) {
        for (size_t r = 0; r < R; r++) {
            double sum = 0.0;
            for (size_t d = 0; d < D; d++) {
                double x = v[(r * D + d) * Z + z];
                sum += x;
                obs[r * D + d] = x;
            }
            rep_mean[r] = sum / (double)D;
        }
        ci_of(rep_mean, R, &p->zone[m][z]);
        spread_of(obs, R * D, &p->zone[m][z]);
    }

    /* Plan totals per day, summed in zone order. */
    for (size_t rd = 0; rd < R * D; rd++) {
        double sum = 0.0;
        for (size_t z = 0; z < Z; z++)
            sum += v[rd * Z + z];
        total[rd] = sum;
    }
    for (size_t r = 0; r < R; r++) {
        double sum = 0.0;
        for (size_t d = 0; d < D; d++)
            sum += total[r * D + d];
        rep_mean[r] = sum / (double)D;
    }
    ci_of(rep_mean, R, &p->day[m]);
    spread_of(total, R * D, &p->day[m]);

    /* Single zone-days: per replication over all of its zone-days. */
    for (size_t r = 0; r < R; r++) {
        double sum = 0.0;
        for (size_t j = 0; j < D * Z; j++)
            sum += v[r * D * Z + j];
        rep_mean[r] = sum / (double)(D * Z);
    }
    ci_of(rep_mean, R, &p->zoneday[m]);
    memcpy(obs, v, R * D * Z * sizeof *obs);
    spread_of(obs, R * D * Z, &p->zoneday[m]);
}

zs_status zs_stats_plan(const zs_sim_result *s, zs_plan_summary **out, zs_err *err)
{
    *out = NULL;
    zs_plan_summary *p = NULL;
    zs_status st = summary_create(s, &p, err);
    if (st != ZS_OK)
        return st;
    stats_ws ws = {0};
    if (stats_ws_init(&ws, s->reps, s->days, s->zones) != 0) {
        stats_ws_clear(&ws);
        zs_plan_summary_free(p);
        return ZS_NOMEM(err);
    }
    for (int m = 0; m < zs_sim_nm(s); m++)
        summarise_metric(s, m, p, &ws);
    balance(s, p);
    stats_ws_clear(&ws);
    *out = p;
    return ZS_OK;
}

zs_status zs_stats_paired(const zs_sim_result *a, const zs_sim_result *b, int m,
                          zs_stat *out, zs_err *err)
{
    if (m < 0 || m >= ZS_M_COUNT)
        return zs_err_set(err, ZS_EINVAL, "paired comparison: metric %d outside 0..%d", m,
                          ZS_M_COUNT - 1);
    if (a->reps != b->reps || a->rep_begin != b->rep_begin)
        return zs_err_set(err, ZS_EINVAL,
                          "paired comparison: the results cover different replications "
                          "(%zu from %zu vs %zu from %zu)",
                          a->reps, a->rep_begin, b->reps, b->rep_begin);
    if (a->days != b->days)
        return zs_err_set(err, ZS_EINVAL,
                          "paired comparison: the results cover different days (%zu vs %zu)",
                          a->days, b->days);
    size_t R = a->reps, D = a->days;
    if (R == 0 || D == 0 || a->zones == 0 || b->zones == 0)
        return zs_err_set(err, ZS_EINVAL,
                          "paired comparison: empty results (%zu replications, %zu days, "
                          "zones %zu and %zu)", R, D, a->zones, b->zones);
    double *diff = zs_malloc_array(2 * R, sizeof *diff);
    if (!diff)
        return ZS_NOMEM(err);
    const zs_sim_result *ab[2] = {a, b};
    double mean[2];
    for (size_t r = 0; r < R; r++) {
        for (int k = 0; k < 2; k++) {
            const zs_sim_result *s = ab[k];
            double sum = 0.0;
            for (size_t d = 0; d < D; d++) {
                double day = 0.0;
                for (size_t z = 0; z < s->zones; z++)
                    day += s->v[m][(r * D + d) * s->zones + z];
                sum += day;
            }
            mean[k] = sum / (double)D;
        }
        diff[r] = mean[1] - mean[0];
    }
    zs_stats_describe(diff, R, diff + R, out);
    zs_free(diff);
    return ZS_OK;
}

zs_status zs_stats_run(const zs_sim_result *const *sims, size_t n, int threads,
                       zs_plan_summary **sums, zs_stat *pw, zs_stat *po, zs_err *err)
{
    zs_status st = ZS_OK;
    for (size_t i = 0; i < n; i++)
        sums[i] = NULL;
    if (threads < 0)
        return zs_err_set(err, ZS_EINVAL, "threads = %d; must be >= 0", threads);
    size_t R = 1, RD = 1, RDZ = 1;
    for (size_t i = 0; i < n && st == ZS_OK; i++) {
        st = summary_create(sims[i], &sums[i], err);
        if (st == ZS_OK) {
            const zs_sim_result *s = sims[i];
            R = s->reps > R ? s->reps : R;
            RD = s->reps * s->days > RD ? s->reps * s->days : RD;
            RDZ = s->reps * s->days * s->zones > RDZ ? s->reps * s->days * s->zones : RDZ;
        }
    }
    size_t tasks = n * ZS_M_COUNT;
    int *failed = st == ZS_OK ? zs_calloc(tasks ? tasks : 1, sizeof *failed) : NULL;
    if (st == ZS_OK && !failed)
        st = ZS_NOMEM(err);
    if (st == ZS_OK && tasks) {
        /* One task per (plan, metric): each fills only its own fields with
         * its thread's scratch and sums in index order, so the summaries
         * have the same bits on any number of threads. */
        int nt = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel num_threads(nt) default(none) shared(sims, sums, failed, tasks, R, RD, RDZ)
        {
            stats_ws ws = {
                .rep_mean = zs_malloc_array(R, sizeof(double)),
                .obs = zs_malloc_array(RDZ, sizeof(double)),
                .total = zs_malloc_array(RD, sizeof(double)),
            };
            int ok = ws.rep_mean && ws.obs && ws.total;
#pragma omp for schedule(dynamic, 1)
            for (size_t t = 0; t < tasks; t++) {
                if (!ok) {
                    failed[t] = 1;
                    continue;
                }
                size_t i = t / ZS_M_COUNT;
                if ((int)(t % ZS_M_COUNT) < zs_sim_nm(sims[i]))
                    summarise_metric(sims[i], (int)(t % ZS_M_COUNT), sums[i], &ws);
            }
            stats_ws_clear(&ws);
        }
        for (size_t t = 0; t < tasks && st == ZS_OK; t++)
            if (failed[t])
                st = ZS_NOMEM(err);
    }
    zs_free(failed);
    for (size_t i = 0; i < n && st == ZS_OK; i++)
        balance(sims[i], sums[i]);
    if (n >= 2 && pw && po)
        for (size_t i = 1; i < n && st == ZS_OK; i++)
            if ((st = zs_stats_paired(sims[0], sims[i], ZS_M_WORK_MIN, &pw[i], err)) == ZS_OK)
                st = zs_stats_paired(sims[0], sims[i], ZS_M_OVERTIME_MIN, &po[i], err);
    if (st != ZS_OK)
        for (size_t i = 0; i < n; i++) {
            zs_plan_summary_free(sums[i]);
            sums[i] = NULL;
        }
    return st;
}
