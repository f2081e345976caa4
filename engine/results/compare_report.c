/*
 * engine/results/compare_report.c -- the comparison study's research
 * tables: Wilson intervals for the balance share, runtime medians, paired
 * differences between methods, and the Markdown and LaTeX files (see
 * compare_table.h).
 */
#include "results/compare_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "models/alloc.h"
#include "results/compare_table_internal.h"

zs_status zs_compare_paired_diff(const zs_compare *c, size_t plan, size_t ref,
                                 zs_compare_metric m, zs_compare_paired *out, zs_err *err)
{
    if (plan >= c->n_plans || ref >= c->n_plans || (unsigned)m >= ZS_CM_COUNT)
        return zs_err_set(err, ZS_EINVAL, "paired difference: plan %zu or %zu or metric %d out of "
                          "range", plan, ref, (int)m);
    /* Per (instance, seed index) value of each plan; NaN where absent. */
    size_t cells = c->n_instances * c->n_seeds;
    double *a = zs_malloc_array(cells ? cells : 1, sizeof *a);
    double *b = zs_malloc_array(cells ? cells : 1, sizeof *b);
    double *d = zs_malloc_array(cells ? cells : 1, sizeof *d);
    if (!a || !b || !d) {
        zs_free(a);
        zs_free(b);
        zs_free(d);
        return ZS_NOMEM(err);
    }
    for (size_t i = 0; i < cells; i++)
        a[i] = b[i] = NAN;
    int seeded_a = 0, seeded_b = 0;
    for (size_t i = 0; i < c->n_rows; i++) {
        const zs_compare_row *r = &c->rows[i];
        size_t at = (size_t)r->instance * c->n_seeds + r->seed_index;
        if (at >= cells)
            continue;
        if (r->plan == plan) {
            a[at] = r->v[m];
            seeded_a |= r->seed_index > 0;
        }
        if (r->plan == ref) {
            b[at] = r->v[m];
            seeded_b |= r->seed_index > 0;
        }
    }
    size_t n = 0;
    if (seeded_a && seeded_b) { /* same instance, same seed */
        for (size_t i = 0; i < cells; i++)
            if (!isnan(a[i]) && !isnan(b[i]))
                d[n++] = a[i] - b[i];
    } else { /* per instance, a seeded plan's mean over its seeds */
        for (size_t inst = 0; inst < c->n_instances; inst++) {
            double sa = 0.0, sb = 0.0;
            size_t na = 0, nb = 0;
            for (size_t s = 0; s < c->n_seeds; s++) {
                double x = a[inst * c->n_seeds + s], y = b[inst * c->n_seeds + s];
                if (!isnan(x)) {
                    sa += x;
                    na++;
                }
                if (!isnan(y)) {
                    sb += y;
                    nb++;
                }
            }
            if (na && nb)
                d[n++] = sa / (double)na - sb / (double)nb;
        }
    }
    double mean = 0.0, ss = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += d[i];
    mean = n ? mean / (double)n : NAN;
    for (size_t i = 0; i < n; i++)
        ss += (d[i] - mean) * (d[i] - mean);
    out->n = n;
    out->mean = mean;
    out->lo = out->hi = NAN;
    if (n >= 2) {
        double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt(ss / (double)(n - 1)) /
                      sqrt((double)n);
        out->lo = mean - half;
        out->hi = mean + half;
    }
    zs_free(a);
    zs_free(b);
    zs_free(d);
    return ZS_OK;
}

/* ---- the tables ----------------------------------------------------------- */

/* The per-plan table's metric columns (mean +- sd), then the share met and
 * the runtime, which are formatted on their own. */
static const struct {
    zs_compare_metric m;
    const char *md, *tex; /* headings */
    double scale;
    int prec;
} stat_col[] = {
    {ZS_CM_K, "k", "$k$", 1, 0},
    {ZS_CM_SSE_KM2, "SSE km²", "SSE (km$^2$)", 1, 2},
    {ZS_CM_WORK_MAXMIN, "index max/min", "Index max/min", 1, 2},
    {ZS_CM_WORK_CV, "index CV", "Index CV", 1, 3},
    {ZS_CM_WORK_TRAVEL_MAXDEV, "dev+travel", "Dev.\\ with travel", 1, 3},
    {ZS_CM_TOUR_TOTAL_KM, "tours km", "Tours (km)", 1, 1},
    {ZS_CM_ONE_PIECE, "1 piece", "One piece", 1, 2},
};
enum { N_STAT = sizeof stat_col / sizeof stat_col[0] };

/* Metrics compared pairwise against the first plan. */
static const struct {
    zs_compare_metric m;
    const char *md, *tex;
    int prec;
} pair_col[] = {
    {ZS_CM_SSE_KM2, "Δ SSE km²", "$\\Delta$ SSE (km$^2$)", 2},
    {ZS_CM_WORK_CV, "Δ index CV", "$\\Delta$ index CV", 3},
    {ZS_CM_WORK_TRAVEL_MAXDEV, "Δ dev+travel", "$\\Delta$ dev.\\ with travel", 3},
    {ZS_CM_TOUR_TOTAL_KM, "Δ tours km", "$\\Delta$ tours (km)", 1},
};
enum { N_PAIR = sizeof pair_col / sizeof pair_col[0] };

/* "mean ± sd" (pm is the separator: " ± " or " $\pm$ "). */
static void fmt_stat(char *buf, size_t size, const zs_compare_stat *s, double scale, int prec,
                     const char *pm)
{
    if (s->n == 0)
        snprintf(buf, size, "–");
    else if (s->n == 1 || s->sd == 0)
        snprintf(buf, size, "%.*f", prec, s->mean * scale);
    else
        snprintf(buf, size, "%.*f%s%.*f", prec, s->mean * scale, pm, prec, s->sd * scale);
}

/* "0.31 [0.25, 0.38] (62/200)": the share of runs that met the balance
 * tolerance with its Wilson interval and the counts. */
static void fmt_share(char *buf, size_t size, const zs_compare_stat *s)
{
    double k = round(s->mean * s->n), lo, hi;
    zs_compare_wilson(k, s->n, &lo, &hi);
    if (s->n == 0)
        snprintf(buf, size, "–");
    else
        snprintf(buf, size, "%.2f [%.2f, %.2f] (%.0f/%.0f)", k / s->n, lo, hi, k, s->n);
}

static void fmt_pair(char *buf, size_t size, const zs_compare_paired *d, int prec)
{
    if (d->n == 0)
        snprintf(buf, size, "–");
    else if (d->n < 2)
        snprintf(buf, size, "%+.*f", prec, d->mean);
    else
        snprintf(buf, size, "%+.*f [%+.*f, %+.*f]", prec, d->mean, prec, d->lo, prec, d->hi);
}

/* The reference of the paired differences: the scenario's first plan,
 * which a study lists as its baseline (study-50: standard k-means). */
enum { REF_PLAN = 0 };

void zs_compare_print_paired(FILE *f, const zs_compare *c)
{
    size_t ref = REF_PLAN;
    if (c->n_plans < 2)
        return;
    fprintf(f, "paired differences against '%s' (same instances and seeds; mean [95%% t interval], "
               "pairs):\n", c->plan_name[ref]);
    int wname = 4;
    for (size_t p = 0; p < c->n_plans; p++) {
        int a = (int)strlen(c->plan_name[p]);
        wname = a > wname ? a : wname;
    }
    char cell[96];
    for (size_t p = 0; p < c->n_plans; p++) {
        if (p == ref)
            continue;
        fprintf(f, "  %-*s", wname, c->plan_name[p]);
        size_t npairs = 0;
        for (size_t j = 0; j < N_PAIR; j++) {
            zs_compare_paired d;
            zs_err err;
            if (zs_compare_paired_diff(c, p, ref, pair_col[j].m, &d, &err) != ZS_OK)
                d.n = 0;
            npairs = d.n;
            fmt_pair(cell, sizeof cell, &d, pair_col[j].prec);
            /* the terminal heading drops the Greek letter and the superscript */
            fprintf(f, "  %s %s", zs_compare_metric_name(pair_col[j].m), cell);
        }
        fprintf(f, "  (%zu)\n", npairs);
    }
}

/* LaTeX text: the characters with a meaning there escaped. */
static void put_tex(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': case '%': case '$': case '#': case '_': case '{': case '}':
            fputc('\\', f);
            fputc(*s, f);
            break;
        case '~': fputs("\\textasciitilde{}", f); break;
        case '^': fputs("\\textasciicircum{}", f); break;
        case '\\': fputs("\\textbackslash{}", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Markdown table text: a pipe would end the cell. */
static void put_md(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

/* What the tables compare, in one sentence (the caption). */
static void describe(char *buf, size_t size, const zs_compare *c, const zs_compare_source *src)
{
    size_t nmin = c->n_instances ? c->n_points[0] : 0, nmax = nmin;
    for (size_t i = 1; i < c->n_instances; i++) {
        nmin = c->n_points[i] < nmin ? c->n_points[i] : nmin;
        nmax = c->n_points[i] > nmax ? c->n_points[i] : nmax;
    }
    char pts[64];
    if (nmin == nmax)
        snprintf(pts, sizeof pts, "%zu points", nmin);
    else
        snprintf(pts, sizeof pts, "%zu-%zu points", nmin, nmax);
    snprintf(buf, size,
             "Study '%s' (%s): %zu plans on %zu instance%s (%s) with %zu seed%s each (plans that "
             "do not depend on a seed: once per instance). Mean and sample sd over runs; "
             "balance met: share of runs with every zone within the plan's tolerance, 95%% "
             "Wilson interval; runtime: median and maximum over runs.",
             src && src->name ? src->name : "?", src && src->path ? src->path : "?", c->n_plans,
             c->n_instances, c->n_instances == 1 ? "" : "s", pts, c->n_seeds,
             c->n_seeds == 1 ? "" : "s");
}

static zs_status write_report(const zs_compare *c, const zs_compare_source *src,
                              const char *path, int tex, zs_err *err)
{
    char *tmp = NULL;
    FILE *f = zs_compare_open_tmp(path, &tmp, err);
    if (!f) {
        zs_free(tmp);
        return err ? err->code : ZS_EIO;
    }
    char cap[1024], cell[128];
    describe(cap, sizeof cap, c, src);
    size_t ref = REF_PLAN;
    const char *pm = tex ? " $\\pm$ " : " ± ";
    if (tex) {
        fputs("% Written by zonesim compare; needs \\usepackage{booktabs}.\n", f);
        fputs("\\begin{table}[htbp]\n\\centering\n\\small\n\\caption{", f);
        put_tex(f, cap);
        fputs("}\n\\label{tab:", f);
        put_tex(f, src && src->name ? src->name : "compare");
        fputs("}\n\\begin{tabular}{llr", f);
        for (size_t j = 0; j < N_STAT + 2; j++)
            fputc('r', f);
        fputs("}\n\\toprule\nPlan & Method & Runs", f);
    } else {
        fputs("## ", f);
        put_md(f, src && src->name ? src->name : "compare");
        fputs("\n\n", f);
        put_md(f, cap);
        fputs("\n\n| plan | method | runs", f);
    }
    for (size_t j = 0; j < N_STAT; j++)
        fprintf(f, tex ? " & %s" : " | %s", tex ? stat_col[j].tex : stat_col[j].md);
    fputs(tex ? " & Balance met [95\\% CI] & Runtime ms, median (max) \\\\\n\\midrule\n"
              : " | balance met [95% CI] | runtime ms, median (max) |\n|---|---|---:",
          f);
    if (!tex) {
        for (size_t j = 0; j < N_STAT + 2; j++)
            fputs("|---:", f);
        fputs("|\n", f);
    }
    for (size_t p = 0; p < c->n_plans; p++) {
        const zs_compare_stat *s = &c->stat[p * ZS_CM_COUNT];
        if (tex) {
            put_tex(f, c->plan_name[p]);
            fputs(" & ", f);
            put_tex(f, c->plan_method[p]);
            fprintf(f, " & %.0f", s[ZS_CM_K].n);
        } else {
            fputs("| ", f);
            put_md(f, c->plan_name[p]);
            fputs(" | ", f);
            put_md(f, c->plan_method[p]);
            fprintf(f, " | %.0f", s[ZS_CM_K].n);
        }
        for (size_t j = 0; j < N_STAT; j++) {
            fmt_stat(cell, sizeof cell, &s[stat_col[j].m], stat_col[j].scale, stat_col[j].prec, pm);
            fprintf(f, tex ? " & %s" : " | %s", cell);
        }
        fmt_share(cell, sizeof cell, &s[ZS_CM_BALANCE_MET]);
        fputs(tex ? " & " : " | ", f);
        if (tex)
            put_tex(f, cell);
        else
            fputs(cell, f);
        double med = zs_compare_median(c, p, ZS_CM_RUNTIME_S);
        fprintf(f, tex ? " & %.2f (%.2f) \\\\\n" : " | %.2f (%.2f) |\n", 1e3 * med,
                1e3 * s[ZS_CM_RUNTIME_S].max);
    }
    if (tex)
        fputs("\\bottomrule\n\\end{tabular}\n\n\\medskip\n", f);
    else
        fputs("\n", f);
    if (c->n_plans >= 2) {
        if (tex) {
            fputs("\\begin{tabular}{lr", f);
            for (size_t j = 0; j < N_PAIR; j++)
                fputc('r', f);
            fputs("}\n\\toprule\nPlan $-$ ", f);
            put_tex(f, c->plan_name[ref]);
            fputs(" & Pairs", f);
        } else {
            fputs("Paired differences against '", f);
            put_md(f, c->plan_name[ref]);
            fputs("' (plan minus reference on the same instances and seeds; a plan that does not "
                  "depend on a seed is paired per instance with the other's mean over seeds): "
                  "mean [95% t interval].\n\n| plan | pairs", f);
        }
        for (size_t j = 0; j < N_PAIR; j++)
            fprintf(f, tex ? " & %s" : " | %s", tex ? pair_col[j].tex : pair_col[j].md);
        if (tex) {
            fputs(" \\\\\n\\midrule\n", f);
        } else {
            fputs(" |\n|---|---:", f);
            for (size_t j = 0; j < N_PAIR; j++)
                fputs("|---:", f);
            fputs("|\n", f);
        }
        for (size_t p = 0; p < c->n_plans; p++) {
            if (p == ref)
                continue;
            zs_compare_paired d[N_PAIR];
            for (size_t j = 0; j < N_PAIR; j++) {
                zs_status st = zs_compare_paired_diff(c, p, ref, pair_col[j].m, &d[j], err);
                if (st != ZS_OK) {
                    fclose(f);
                    remove(tmp);
                    zs_free(tmp);
                    return st;
                }
            }
            if (!tex)
                fputs("| ", f);
            (tex ? put_tex : put_md)(f, c->plan_name[p]);
            fprintf(f, tex ? " & %zu" : " | %zu", d[0].n);
            for (size_t j = 0; j < N_PAIR; j++) {
                fmt_pair(cell, sizeof cell, &d[j], pair_col[j].prec);
                fprintf(f, tex ? " & %s" : " | %s", cell);
            }
            fputs(tex ? " \\\\\n" : " |\n", f);
        }
        if (tex)
            fputs("\\bottomrule\n\\end{tabular}\n", f);
    }
    if (tex)
        fputs("\\end{table}\n", f);
    return zs_compare_close_tmp(f, tmp, path, err);
}

zs_status zs_compare_write_markdown(const zs_compare *c, const zs_compare_source *src,
                                    const char *path, zs_err *err)
{
    return write_report(c, src, path, 0, err);
}

zs_status zs_compare_write_latex(const zs_compare *c, const zs_compare_source *src,
                                 const char *path, zs_err *err)
{
    return write_report(c, src, path, 1, err);
}
