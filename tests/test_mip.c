/* Tests of engine/mip: guarded GLPK calls (output captured, fatal errors
 * caught), solve status, objective and bound on programs whose optimum is
 * known by enumeration. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glpk.h>

#include "partition/mip.h"
#include "check.h"

/* A 0-1 knapsack: maximise sum v_i x_i, sum w_i x_i <= cap. */
typedef struct {
    int n;
    const double *v, *w;
    double cap;
    zs_mip_opts opts;
    zs_mip_result res;
    double x[16];
} knap;

/* Columns solve_knap branches on first (zs_mip_solve_branch; 0: GLPK's choice). */
static int branch_first;

static zs_status solve_knap(void *ctx, zs_err *err)
{
    knap *K = ctx;
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MAX);
    glp_add_rows(P, 1);
    glp_set_row_bnds(P, 1, GLP_UP, 0, K->cap);
    glp_add_cols(P, K->n);
    int ind[17];
    double val[17];
    for (int j = 1; j <= K->n; j++) {
        glp_set_col_kind(P, j, GLP_BV);
        glp_set_obj_coef(P, j, K->v[j - 1]);
        ind[j] = j;
        val[j] = K->w[j - 1];
    }
    glp_set_mat_row(P, 1, K->n, ind, val);
    zs_status st = zs_mip_solve_branch(P, &K->opts, branch_first, branch_first == 0, &K->res, err);
    for (int j = 1; j <= K->n; j++)
        K->x[j - 1] = glp_mip_col_val(P, j);
    glp_delete_prob(P);
    return st;
}

static double knap_brute(const knap *K)
{
    double best = 0;
    for (unsigned m = 0; m < (1u << K->n); m++) {
        double v = 0, w = 0;
        for (int i = 0; i < K->n; i++)
            if (m >> i & 1) {
                v += K->v[i];
                w += K->w[i];
            }
        if (w <= K->cap && v > best)
            best = v;
    }
    return best;
}

/* Misuse that GLPK treats as fatal: a column index out of range. */
static zs_status misuse(void *ctx, zs_err *err)
{
    (void)ctx;
    (void)err;
    glp_prob *P = glp_create_prob();
    glp_add_cols(P, 1);
    glp_set_obj_coef(P, 5, 1.0); /* glp_error: j = 5; column number out of range */
    glp_delete_prob(P);
    return ZS_OK;
}

/* x + y >= 3, x + y <= 2: infeasible. */
static zs_status infeasible(void *ctx, zs_err *err)
{
    zs_mip_result *r = ctx;
    glp_prob *P = glp_create_prob();
    glp_add_rows(P, 2);
    glp_add_cols(P, 2);
    int ind[3] = {0, 1, 2};
    double val[3] = {0, 1, 1};
    glp_set_mat_row(P, 1, 2, ind, val);
    glp_set_mat_row(P, 2, 2, ind, val);
    glp_set_row_bnds(P, 1, GLP_LO, 3, 0);
    glp_set_row_bnds(P, 2, GLP_UP, 0, 2);
    for (int j = 1; j <= 2; j++) {
        glp_set_col_kind(P, j, GLP_IV);
        glp_set_col_bnds(P, j, GLP_LO, 0, 0);
    }
    zs_mip_opts o;
    zs_mip_opts_defaults(&o);
    zs_status st = zs_mip_solve(P, &o, r, err);
    glp_delete_prob(P);
    return st;
}

int main(void)
{
    zs_err err;
    static const double v[] = {10, 13, 7, 8, 9, 4, 11, 6, 5, 12};
    static const double w[] = {5, 7, 4, 5, 5, 2, 6, 3, 3, 7};

    /* GLPK's output goes to the log, not to stdout. */
    FILE *log = tmpfile();
    knap K = {10, v, w, 21, {0, 0, NULL, NULL, 0}, {0}, {0}};
    zs_mip_opts_defaults(&K.opts);
    K.opts.log = log;
    zs_status st = zs_mip_guarded(solve_knap, &K, log, &err);
    CHECK(st == ZS_OK, "knapsack solves (%s)", err.msg);
    CHECK(K.res.status == ZS_MIP_OPTIMAL, "knapsack optimal (status %s)",
          zs_mip_status_name(K.res.status));
    double brute = knap_brute(&K);
    CHECK_NEAR(K.res.objective, brute, 1e-9, "knapsack objective = enumeration optimum");
    CHECK_NEAR(K.res.bound, K.res.objective, 1e-9, "optimal: bound = objective");
    CHECK(K.res.gap == 0, "optimal: gap 0");
    CHECK(K.res.lp_bound >= K.res.objective - 1e-9, "LP bound >= integer optimum (max)");
    double wsum = 0, vsum = 0;
    for (int i = 0; i < 10; i++) {
        wsum += K.x[i] * w[i];
        vsum += K.x[i] * v[i];
    }
    CHECK(wsum <= 21 + 1e-9 && fabs(vsum - brute) < 1e-9, "solution feasible, value %g", vsum);

    /* Several capacities, each against enumeration. */
    int all = 1;
    for (double cap = 0; cap <= 60; cap += 3) {
        knap K2 = {10, v, w, cap, {0, 0, NULL, NULL, 0}, {0}, {0}};
        zs_mip_opts_defaults(&K2.opts);
        if (zs_mip_guarded(solve_knap, &K2, NULL, &err) != ZS_OK ||
            K2.res.status != ZS_MIP_OPTIMAL || fabs(K2.res.objective - knap_brute(&K2)) > 1e-9)
            all = 0;
    }
    CHECK(all, "knapsack optimum matches enumeration for capacities 0..60");

    /* Branching on the first columns first (and on more columns than the
     * program has: clamped), without cuts: the same proven optimum, plan
     * feasible. */
    static const int firsts[] = {1, 4, 10, 99};
    all = 1;
    int branched = 0;
    for (size_t f = 0; f < sizeof firsts / sizeof firsts[0]; f++) {
        branch_first = firsts[f];
        for (double cap = 0; cap <= 60; cap += 3) {
            knap K2 = {10, v, w, cap, {0, 0, NULL, NULL, 0}, {0}, {0}};
            zs_mip_opts_defaults(&K2.opts);
            K2.opts.log = log;
            if (zs_mip_guarded(solve_knap, &K2, log, &err) != ZS_OK ||
                K2.res.status != ZS_MIP_OPTIMAL ||
                fabs(K2.res.objective - knap_brute(&K2)) > 1e-9 ||
                fabs(K2.res.bound - K2.res.objective) > 1e-9) {
                all = 0;
                continue;
            }
            double ws = 0;
            for (int i = 0; i < 10; i++)
                ws += K2.x[i] * w[i];
            if (ws > cap + 1e-9)
                all = 0;
            branched += K2.res.nodes > 1;
        }
    }
    CHECK(all, "branching on columns 1..k first (k = 1, 4, 10, 99), no cuts: optimum = enumeration");
    CHECK(branched > 0, "some of those searches branched (%d)", branched);
    branch_first = -1;
    knap K3 = {10, v, w, 21, {0, 0, NULL, NULL, 0}, {0}, {0}};
    zs_mip_opts_defaults(&K3.opts);
    st = zs_mip_guarded(solve_knap, &K3, log, &err);
    CHECK(st == ZS_EINVAL && strstr(err.msg, "branch_first"), "branch_first < 0 refused (%s)",
          err.msg);
    branch_first = 0;

    /* A start solution (items in order while they fit) and an objective
     * step of 1 (integer values): the same optimum, proven. */
    all = 1;
    for (double cap = 0; cap <= 60; cap += 3) {
        knap K2 = {10, v, w, cap, {0, 0, NULL, NULL, 0}, {0}, {0}};
        double start[11] = {0}, used = 0;
        for (int j = 1; j <= 10; j++)
            if (used + w[j - 1] <= cap) {
                start[j] = 1;
                used += w[j - 1];
            }
        zs_mip_opts_defaults(&K2.opts);
        K2.opts.start = start;
        K2.opts.obj_step = 1.0;
        if (zs_mip_guarded(solve_knap, &K2, NULL, &err) != ZS_OK ||
            K2.res.status != ZS_MIP_OPTIMAL || fabs(K2.res.objective - knap_brute(&K2)) > 1e-9 ||
            K2.res.gap != 0)
            all = 0;
    }
    CHECK(all, "with a start solution and objective step 1: the enumeration optimum, proven, for capacities 0..60");
    {
        knap K2 = {10, v, w, 21, {0, 0, NULL, NULL, 0}, {0}, {0}};
        zs_mip_opts_defaults(&K2.opts);
        K2.opts.obj_step = -1;
        CHECK(zs_mip_guarded(solve_knap, &K2, NULL, &err) == ZS_EINVAL, "objective step -1 refused");
    }

    /* A fatal GLPK error is caught and reported, its text goes to the log
     * and not to stdout, and GLPK still works afterwards. */
    fflush(stdout);
    FILE *cap = tmpfile();
    int saved = dup(1);
    dup2(fileno(cap), 1);
    st = zs_mip_guarded(misuse, NULL, log, &err);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    CHECK(st == ZS_EINTERNAL, "GLPK fatal error returns ZS_EINTERNAL (got %d)", st);
    CHECK_CONTAINS(err.msg, "GLPK error", "message names GLPK");
    CHECK_CONTAINS(err.msg, "out of range", "message carries GLPK's text");
    CHECK(ftell(cap) == 0, "nothing printed on stdout (%ld bytes)", ftell(cap));
    fclose(cap);
    char logtext[1024] = "";
    rewind(log);
    size_t got = fread(logtext, 1, sizeof logtext - 1, log);
    logtext[got] = '\0';
    CHECK_CONTAINS(logtext, "column number out of range", "GLPK's text reached the log");
    st = zs_mip_guarded(solve_knap, &K, NULL, &err);
    CHECK(st == ZS_OK && K.res.status == ZS_MIP_OPTIMAL, "GLPK usable after a caught error");

    /* Infeasible programs say so. */
    zs_mip_result r;
    st = zs_mip_guarded(infeasible, &r, NULL, &err);
    CHECK(st == ZS_OK && r.status == ZS_MIP_INFEASIBLE, "infeasible program: status %s",
          zs_mip_status_name(r.status));

    /* Per-thread guards: two threads solving at once, both caught errors. */
    int ok[2] = {0, 0};
#pragma omp parallel num_threads(2)
    {
        int t = omp_get_thread_num();
        zs_err e;
        knap Kt = {10, v, w, 15 + t, {0, 0, NULL, NULL, 0}, {0}, {0}};
        zs_mip_opts_defaults(&Kt.opts);
        int good = zs_mip_guarded(misuse, NULL, NULL, &e) == ZS_EINTERNAL &&
                   zs_mip_guarded(solve_knap, &Kt, NULL, &e) == ZS_OK &&
                   fabs(Kt.res.objective - knap_brute(&Kt)) < 1e-9;
        glp_free_env();
        if (t < 2)
            ok[t] = good;
    }
    CHECK(ok[0] && (ok[1] || omp_get_max_threads() < 2), "guarded calls in two threads");

    /* Option checks. */
    zs_mip_opts o;
    zs_mip_opts_defaults(&o);
    o.time_limit_s = 0;
    CHECK(zs_mip_opts_validate(&o, &err) == ZS_EINVAL, "time limit 0 refused");
    zs_mip_opts_defaults(&o);
    o.mip_gap = -0.1;
    CHECK(zs_mip_opts_validate(&o, &err) == ZS_EINVAL, "negative gap refused");
    CHECK_CONTAINS(err.msg, "gap", "gap message");
    CHECK(strcmp(zs_mip_status_name(ZS_MIP_TIME_LIMIT), "time limit") == 0,
          "status names");

    /* The one wording of every status line: each form says one thing, and
     * reads back to its status (old names of earlier files too). */
    {
        struct { zs_mip_status s; double gap; const char *text; } f[] = {
            {ZS_MIP_OPTIMAL, 0.0, "optimal"},
            {ZS_MIP_GAP, 0.005, "gap 0.50% (as asked)"},
            {ZS_MIP_TIME_LIMIT, 0.0123, "time limit, gap 1.23%"},
            {ZS_MIP_TIME_LIMIT, INFINITY, "time limit, no bound"},
            {ZS_MIP_NO_SOLUTION, NAN, "time limit, no solution"},
            {ZS_MIP_INFEASIBLE, INFINITY, "infeasible"},
            {ZS_MIP_UNBOUNDED, NAN, "unbounded"},
        };
        int same = 1, back = 1;
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
            char buf[48];
            zs_mip_status s = ZS_MIP_UNBOUNDED;
            const char *t = zs_mip_status_text(f[i].s, f[i].gap, buf, sizeof buf);
            if (t != buf || strcmp(buf, f[i].text) != 0) {
                same = 0;
                printf("      %d: '%s', expected '%s'\n", (int)f[i].s, buf, f[i].text);
            }
            /* "time limit, no bound" is a time limit whatever the enum said */
            if (zs_mip_status_parse(buf, &s) != 0 || s != f[i].s)
                back = 0;
            if (strstr(buf, "(") && strstr(buf, "(") != strrchr(buf, '('))
                same = 0; /* never "x (y) (z)" */
        }
        CHECK(same, "zs_mip_status_text: optimal, gap as asked, time limit with gap or without a bound, no solution, infeasible");
        CHECK(back, "zs_mip_status_parse reads every form back to its status");
        zs_mip_status s = ZS_MIP_OPTIMAL;
        CHECK(zs_mip_status_parse("feasible (time limit)", &s) == 0 && s == ZS_MIP_TIME_LIMIT &&
                  zs_mip_status_parse("no solution (time limit)", &s) == 0 && s == ZS_MIP_NO_SOLUTION &&
                  zs_mip_status_parse("feasible (gap)", &s) == 0 && s == ZS_MIP_GAP,
              "zs_mip_status_parse reads the names of earlier files");
        CHECK(zs_mip_status_parse("converged", &s) == -1, "zs_mip_status_parse refuses other text");
        char small[8];
        zs_mip_status_text(ZS_MIP_TIME_LIMIT, 0.5, small, sizeof small);
        CHECK(strlen(small) == 7, "zs_mip_status_text truncates to the buffer");
    }

    fclose(log);
    glp_free_env();
    return zs_test_done();
}
