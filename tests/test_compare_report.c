/* Tests of the comparison study's research tables
 * (engine/results/compare_report.c): Wilson intervals against published
 * values, medians, paired differences on hand-made rows (seeded against
 * seeded, seedless against seeded), and the Markdown and LaTeX files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/alloc.h"
#include "results/compare_table.h"
#include "check.h"

/* Two instances, three seeds; plan 0 and 1 seeded, plan 2 seedless (one
 * row per instance).  metric SSE: plan 0 = 10 i + s, plan 1 = plan 0 + 1 +
 * 0.1 s, plan 2 = 10 i + 5.  runtime: plan 0 rows 1..6 ms. */
static zs_compare *hand_made(void)
{
    zs_compare *c = zs_calloc(1, sizeof *c);
    c->n_instances = 2;
    c->n_seeds = 3;
    c->n_plans = 3;
    c->plan_name = zs_calloc(3, sizeof *c->plan_name);
    c->plan_method = zs_calloc(3, sizeof *c->plan_method);
    static const char *names[3] = {"base", "better_one", "exact"};
    static const char *methods[3] = {"kmeans", "kmeans-two-stage", "pmedian-ip"};
    for (int p = 0; p < 3; p++) {
        c->plan_name[p] = zs_strdup(names[p]);
        c->plan_method[p] = zs_strdup(methods[p]);
    }
    c->rows = zs_calloc(14, sizeof *c->rows);
    c->stat = zs_calloc(3 * ZS_CM_COUNT, sizeof *c->stat);
    c->n_points = zs_calloc(2, sizeof *c->n_points);
    c->auto_k = zs_calloc(2, sizeof *c->auto_k);
    c->n_points[0] = c->n_points[1] = 50;
    c->auto_k[0] = c->auto_k[1] = 10;
    size_t n = 0;
    for (uint32_t i = 0; i < 2; i++)
        for (uint32_t p = 0; p < 3; p++)
            for (uint32_t s = 0; s < (p == 2 ? 1u : 3u); s++) {
                zs_compare_row *r = &c->rows[n++];
                r->instance = i;
                r->plan = p;
                r->seed_index = s;
                double base = 10.0 * i + s;
                r->v[ZS_CM_SSE_KM2] = p == 0 ? base : p == 1 ? base + 1 + 0.1 * s : 10.0 * i + 5;
                r->v[ZS_CM_RUNTIME_S] = p == 0 ? 1e-3 * (double)(3 * i + s + 1) : 0.5;
                r->v[ZS_CM_BALANCE_MET] = p == 1 || (p == 0 && s == 0);
                r->v[ZS_CM_K] = 10;
            }
    c->n_rows = n;
    /* the stat block as compare.c's summarise fills it (n, mean, sd, min, max) */
    for (size_t p = 0; p < 3; p++)
        for (int m = 0; m < ZS_CM_COUNT; m++) {
            zs_compare_stat *st = &c->stat[p * ZS_CM_COUNT + m];
            double sum = 0, ss = 0, lo = INFINITY, hi = -INFINITY, k = 0;
            for (size_t j = 0; j < n; j++)
                if (c->rows[j].plan == p) {
                    double v = c->rows[j].v[m];
                    sum += v;
                    k++;
                    lo = fmin(lo, v);
                    hi = fmax(hi, v);
                }
            for (size_t j = 0; j < n; j++)
                if (c->rows[j].plan == p)
                    ss += (c->rows[j].v[m] - sum / k) * (c->rows[j].v[m] - sum / k);
            *st = (zs_compare_stat){k, sum / k, k > 1 ? sqrt(ss / (k - 1)) : 0, lo, hi};
        }
    return c;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

int main(void)
{
    /* Wilson score intervals (95%), values from the formula by hand: 5 of
     * 20 is [0.1119, 0.4687]; 0 of 10 keeps an upper end 0.2775 where the
     * Wald interval collapses to [0, 0]. */
    double lo, hi;
    zs_compare_wilson(5, 20, &lo, &hi);
    CHECK_NEAR(lo, 0.111862, 1e-6, "Wilson 5/20: lower end 0.1119 (got %.6f)", lo);
    CHECK_NEAR(hi, 0.468701, 1e-6, "Wilson 5/20: upper end 0.4687 (got %.6f)", hi);
    zs_compare_wilson(0, 10, &lo, &hi);
    CHECK(lo == 0.0 && fabs(hi - 0.277533) < 1e-6, "Wilson 0/10: [0, 0.2775] (got [%g, %.6f])", lo, hi);
    zs_compare_wilson(10, 10, &lo, &hi);
    CHECK(fabs(lo - 0.722467) < 1e-6 && hi <= 1.0, "Wilson 10/10: [0.7225, 1] (got [%.6f, %g])", lo, hi);
    zs_compare_wilson(0, 0, &lo, &hi);
    CHECK(isnan(lo) && isnan(hi), "Wilson with no trials: NaN ends");

    zs_compare *c = hand_made();
    CHECK_NEAR(zs_compare_median(c, 0, ZS_CM_RUNTIME_S), 3.5e-3, 1e-15,
               "median of 1..6 ms is 3.5 ms (even count: mean of the middle two)");
    CHECK_NEAR(zs_compare_median(c, 2, ZS_CM_RUNTIME_S), 0.5, 0, "median of a constant plan");

    /* Seeded against seeded: differences 1 + 0.1 s over 6 pairs: mean 1.1,
     * sd 0.0894427 (values 1.0, 1.1, 1.2 twice), t(0.975, 5) = 2.570582. */
    zs_compare_paired d;
    zs_err err;
    zs_status st = zs_compare_paired_diff(c, 1, 0, ZS_CM_SSE_KM2, &d, &err);
    double half = 2.570582 * 0.0894427 / sqrt(6.0);
    CHECK(st == ZS_OK && d.n == 6, "seeded pairs: 6 (2 instances x 3 seeds)");
    CHECK_NEAR(d.mean, 1.1, 1e-12, "seeded pairs: mean difference 1.1 (got %.12g)", d.mean);
    CHECK_NEAR(d.hi - d.mean, half, 1e-5, "seeded pairs: t interval half-width %.5f (got %.5f)", half,
               d.hi - d.mean);
    /* Seedless against seeded: per instance, 10 i + 5 - mean(10 i + s) = 4. */
    st = zs_compare_paired_diff(c, 2, 0, ZS_CM_SSE_KM2, &d, &err);
    CHECK(st == ZS_OK && d.n == 2 && d.mean == 4.0 && d.lo == 4.0 && d.hi == 4.0,
          "seedless plan: 2 pairs (instances) of 4 against the seeds' mean, a zero-width interval");
    st = zs_compare_paired_diff(c, 0, 0, ZS_CM_SSE_KM2, &d, &err);
    CHECK(st == ZS_OK && d.mean == 0.0, "a plan against itself: difference 0");
    st = zs_compare_paired_diff(c, 3, 0, ZS_CM_SSE_KM2, &d, &err);
    CHECK(st == ZS_EINVAL, "a plan out of range is refused (%s)", err.msg);

    /* The files. */
    char dir[] = "/tmp/zs_compare_report_XXXXXX", md[128], tex[128];
    if (!mkdtemp(dir)) {
        CHECK(0, "temporary directory");
        return zs_test_done();
    }
    snprintf(md, sizeof md, "%s/s.md", dir);
    snprintf(tex, sizeof tex, "%s/s.tex", dir);
    zs_compare_source src = {"name: hand", "hand.yaml", "hand_made"};
    st = zs_compare_write_markdown(c, &src, md, &err);
    CHECK(st == ZS_OK, "Markdown written (%s)", st ? err.msg : "ok");
    const char *s = slurp(md);
    CHECK(s && strstr(s, "| base | kmeans | 6 | 10 |"), "Markdown: one row per plan with runs and k");
    CHECK(s && strstr(s, "| 0.33 [0.10, 0.70] (2/6) |"),
          "Markdown: plan base met 2 of 6 runs, with its Wilson interval");
    CHECK(s && strstr(s, "| 3.50 (6.00) |"), "Markdown: runtime median 3.50 ms and max 6.00 ms");
    CHECK(s && strstr(s, "| better_one | 6 | +1.10 ["), "Markdown: the paired difference row");
    CHECK(s && strstr(s, "| exact | 2 | +4.00 [+4.00, +4.00] |"), "Markdown: the seedless plan pairs per instance");
    st = zs_compare_write_latex(c, &src, tex, &err);
    CHECK(st == ZS_OK, "LaTeX written (%s)", st ? err.msg : "ok");
    s = slurp(tex);
    CHECK(s && strstr(s, "\\begin{tabular}{llrrrrrrrrrr}") && strstr(s, "\\toprule") &&
              strstr(s, "\\end{table}"),
          "LaTeX: a booktabs tabular in a table float");
    CHECK(s && strstr(s, "\\label{tab:hand\\_made}") && strstr(s, "better\\_one & 6 & +1.10 ["),
          "LaTeX: underscores escaped in names and the label");
    CHECK(s && strstr(s, "0.33 [0.10, 0.70] (2/6)") && strstr(s, "95\\% Wilson interval"),
          "LaTeX: the share with its interval, the caption's percent escaped");
    /* A write that fails leaves nothing behind. */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/no/such/s.md", dir);
    st = zs_compare_write_markdown(c, &src, bad, &err);
    CHECK(st == ZS_EIO && access(bad, F_OK) != 0, "an unwritable Markdown path: ZS_EIO, no file");
    remove(md);
    remove(tex);
    rmdir(dir);
    zs_compare_free(c);
    return zs_test_done();
}
