/*
 * engine/results/compare_table.c -- the comparison study's table: metric
 * names, the terminal table and the CSV files (see compare_table.h).
 */
#include "results/compare_table.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "results/compare_table_internal.h"

static const struct {
    const char *name, *head; /* CSV/HDF5 name; terminal heading */
} metric_info[ZS_CM_COUNT] = {
    [ZS_CM_K] = {"k", "k"},
    [ZS_CM_SSE_KM2] = {"sse_km2", "SSE km2"},
    [ZS_CM_WDIST_KM] = {"weighted_dist_km", "w.dist"},
    [ZS_CM_WORK_MAXMIN] = {"work_maxmin", "index max/min"},
    [ZS_CM_WORK_CV] = {"work_cv", "index CV"},
    [ZS_CM_WORK_MAXDEV] = {"work_maxdev", "max dev"},
    [ZS_CM_BALANCE_MET] = {"balance_met", "met [95% CI]"},
    [ZS_CM_INFEASIBLE] = {"infeasible", "infeasible"},
    [ZS_CM_TOUR_TOTAL_KM] = {"tour_total_km", "tours km"},
    [ZS_CM_TOUR_MAX_KM] = {"tour_max_km", "max tour km"},
    [ZS_CM_WORK_TRAVEL_MAXDEV] = {"work_travel_maxdev", "dev+travel"},
    [ZS_CM_ONE_PIECE] = {"zones_one_piece", "1 piece"},
    [ZS_CM_STRAYS] = {"strays", "strays"},
    [ZS_CM_BARRIER_ZONES] = {"barrier_zones", "x barrier"},
    [ZS_CM_HULL_OVERLAP] = {"hull_overlap", "overlap"},
    [ZS_CM_POLSBY_POPPER] = {"polsby_popper", "PP"},
    [ZS_CM_ITERATIONS] = {"iterations", "iter"},
    [ZS_CM_RUNTIME_S] = {"runtime_s", "ms med / max"},
};

const char *zs_compare_metric_name(zs_compare_metric m)
{
    return (unsigned)m < ZS_CM_COUNT ? metric_info[m].name : "?";
}

void zs_compare_free(zs_compare *c)
{
    if (!c)
        return;
    for (size_t i = 0; c->plan_name && i < c->n_plans; i++)
        zs_free(c->plan_name[i]);
    for (size_t i = 0; c->plan_method && i < c->n_plans; i++)
        zs_free(c->plan_method[i]);
    zs_free(c->plan_name);
    zs_free(c->plan_method);
    zs_free(c->rows);
    zs_free(c->stat);
    zs_free(c->n_points);
    zs_free(c->auto_k);
    zs_free(c);
}

/* 1 for a plan no seed changes (a planner's zoning, the exact p-median):
 * measured once per instance. */

static void format_cell(char *buf, size_t size, const zs_compare_stat *s, double scale, int prec)
{
    if (s->n == 0)
        snprintf(buf, size, "-");
    else if (s->n == 1 || s->sd == 0)
        snprintf(buf, size, "%.*f", prec, s->mean * scale);
    else
        snprintf(buf, size, "%.*f +- %.*f", prec, s->mean * scale, prec, s->sd * scale);
}

/* A terminal cell: mean +- sd, except the share that met the balance
 * target (a proportion with its Wilson interval, issue 19) and the
 * runtime (median / max over runs: one slow instance makes the mean). */
static void table_cell(char *buf, size_t size, const zs_compare *c, size_t p, zs_compare_metric m,
                       double scale, int prec)
{
    const zs_compare_stat *s = &c->stat[p * ZS_CM_COUNT + m];
    if (m == ZS_CM_BALANCE_MET && s->n > 0) {
        double k = round(s->mean * s->n), lo, hi;
        zs_compare_wilson(k, s->n, &lo, &hi);
        snprintf(buf, size, "%.2f [%.2f, %.2f]", k / s->n, lo, hi);
    } else if (m == ZS_CM_RUNTIME_S && s->n > 0) {
        snprintf(buf, size, "%.*f / %.*f", prec, zs_compare_median(c, p, m) * scale, prec,
                 s->max * scale);
    } else {
        format_cell(buf, size, s, scale, prec);
    }
}

void zs_compare_print(FILE *f, const zs_compare *c)
{
    static const struct {
        zs_compare_metric m;
        double scale;
        int prec;
    } col[] = {
        {ZS_CM_K, 1, 0},           {ZS_CM_SSE_KM2, 1, 2},      {ZS_CM_WORK_MAXMIN, 1, 2},
        {ZS_CM_WORK_CV, 1, 3},     {ZS_CM_BALANCE_MET, 1, 2},  {ZS_CM_TOUR_TOTAL_KM, 1, 1},
        {ZS_CM_TOUR_MAX_KM, 1, 1}, {ZS_CM_WORK_TRAVEL_MAXDEV, 1, 3},
        {ZS_CM_ONE_PIECE, 1, 2},   {ZS_CM_STRAYS, 1, 0},       {ZS_CM_HULL_OVERLAP, 1, 3},
        {ZS_CM_RUNTIME_S, 1e3, 2},
    };
    enum { NCOL = sizeof col / sizeof col[0] };
    int w[NCOL], wname = 4, wmeth = 6;
    char cell[64];
    for (size_t j = 0; j < NCOL; j++) {
        w[j] = (int)strlen(metric_info[col[j].m].head);
        for (size_t p = 0; p < c->n_plans; p++) {
            table_cell(cell, sizeof cell, c, p, col[j].m, col[j].scale, col[j].prec);
            w[j] = (int)strlen(cell) > w[j] ? (int)strlen(cell) : w[j];
        }
    }
    for (size_t p = 0; p < c->n_plans; p++) {
        int a = (int)strlen(c->plan_name[p]), b = (int)strlen(c->plan_method[p]);
        wname = a > wname ? a : wname;
        wmeth = b > wmeth ? b : wmeth;
    }
    fprintf(f, "%-*s  %-*s  %4s", wname, "plan", wmeth, "method", "runs");
    for (size_t j = 0; j < NCOL; j++)
        fprintf(f, "  %*s", w[j], metric_info[col[j].m].head);
    fputc('\n', f);
    for (size_t p = 0; p < c->n_plans; p++) {
        const zs_compare_stat *s = &c->stat[p * ZS_CM_COUNT];
        fprintf(f, "%-*s  %-*s  %4.0f", wname, c->plan_name[p], wmeth, c->plan_method[p],
                s[ZS_CM_K].n);
        for (size_t j = 0; j < NCOL; j++) {
            table_cell(cell, sizeof cell, c, p, col[j].m, col[j].scale, col[j].prec);
            fprintf(f, "  %*s", w[j], cell);
        }
        fputc('\n', f);
    }
    for (size_t p = 0; p < c->n_plans; p++) {
        const zs_compare_stat *inf = &c->stat[p * ZS_CM_COUNT + ZS_CM_INFEASIBLE];
        if (inf->max > 0)
            fprintf(f, "note: plan '%s' is proven infeasible on %.0f of %.0f runs (those rows are "
                       "the unbalanced optimum, not a plan within the band)\n",
                    c->plan_name[p], inf->mean * inf->n, inf->n);
    }
}

zs_status zs_compare_write_csv(const zs_compare *c, const char *rows_path,
                               const char *summary_path, zs_err *err)
{
    char *tmp = NULL;
    FILE *f = zs_compare_open_tmp(rows_path, &tmp, err);
    if (!f) {
        zs_free(tmp);
        return err ? err->code : ZS_EIO;
    }
    fprintf(f, "instance,plan,method,seed_index,seed");
    for (int k = 0; k < ZS_CM_COUNT; k++)
        fprintf(f, ",%s", metric_info[k].name);
    fputc('\n', f);
    for (size_t i = 0; i < c->n_rows; i++) {
        const zs_compare_row *r = &c->rows[i];
        fprintf(f, "%u,%s,%s,%u,%llu", r->instance, c->plan_name[r->plan],
                c->plan_method[r->plan], r->seed_index, (unsigned long long)r->seed);
        for (int k = 0; k < ZS_CM_COUNT; k++)
            fprintf(f, ",%.10g", r->v[k]);
        fputc('\n', f);
    }
    zs_status st = zs_compare_close_tmp(f, tmp, rows_path, err);
    if (st != ZS_OK)
        return st;
    if (!(f = zs_compare_open_tmp(summary_path, &tmp, err))) {
        zs_free(tmp);
        return err ? err->code : ZS_EIO;
    }
    fprintf(f, "plan,method,metric,n,mean,sd,min,max\n");
    for (size_t p = 0; p < c->n_plans; p++)
        for (int k = 0; k < ZS_CM_COUNT; k++) {
            const zs_compare_stat *s = &c->stat[p * ZS_CM_COUNT + k];
            fprintf(f, "%s,%s,%s,%.0f,%.10g,%.10g,%.10g,%.10g\n", c->plan_name[p],
                    c->plan_method[p], metric_info[k].name, s->n, s->mean, s->sd, s->min, s->max);
        }
    return zs_compare_close_tmp(f, tmp, summary_path, err);
}
