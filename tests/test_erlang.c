/* Tests of engine/staffing/erlang: Erlang B/C against direct sums and the
 * published check value, Erlang A against an independently computed
 * table (the M/M/n+M birth-death chain solved numerically, the answer
 * times by uniformisation), staffing searches and their errors. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>

#include "staffing/erlang.h"
#include "check.h"

/* Erlang B from its definition, in logarithms. */
static double b_direct(int n, double a)
{
    double mx = -HUGE_VAL, s = 0;
    for (int k = 0; k <= n; k++) {
        double t = k * log(a) - lgamma(k + 1.0);
        mx = t > mx ? t : mx;
    }
    for (int k = 0; k <= n; k++)
        s += exp(k * log(a) - lgamma(k + 1.0) - mx);
    return exp(n * log(a) - lgamma(n + 1.0) - mx) / s;
}

typedef struct {
    double p_wait, p_abandon, p_abandon2, service, asa_s;
} chain_perf;

/* M/M/n+M by its birth-death chain truncated at n + J (J large enough that
 * the tail is negligible): stationary law by the balance recursion in
 * logarithms; by PASTA an arrival sees it.  Abandonment two ways: theta
 * E[Q] / lambda, and per queue position j (j callers ahead) the chance of
 * hanging up before the j + 1 departures, 1 - n mu / (n mu + (j + 1)
 * theta).  ASA: E[V e^(-theta V)] = L_j sum_i 1 / (r_i + theta) for the
 * offered wait V_j = sum_{i<=j} Exp(r_i), r_i = n mu + i theta.  Service
 * level: the queue position's Markov chain (moves up at r_i, hangs up at
 * theta) by uniformisation to time t. */
static chain_perf chain(int n, double lambda, double aht, double patience, double t)
{
    double mu = 1 / aht, th = 1 / patience;
    int J = 4000, K = n + J;
    double *lp = malloc((size_t)(K + 1) * sizeof *lp), *p = malloc((size_t)(K + 1) * sizeof *p);
    lp[0] = 0;
    double mx = 0;
    for (int k = 1; k <= K; k++) {
        double death = (k <= n ? k * mu : n * mu + (k - n) * th);
        lp[k] = lp[k - 1] + log(lambda / death);
        mx = lp[k] > mx ? lp[k] : mx;
    }
    double s = 0;
    for (int k = 0; k <= K; k++)
        s += (p[k] = exp(lp[k] - mx));
    for (int k = 0; k <= K; k++)
        p[k] /= s;
    chain_perf c = {0};
    double eq = 0, ab = 0, served_wait = 0, nmu = n * mu;
    for (int k = n; k <= K; k++) {
        int j = k - n;
        c.p_wait += p[k];
        eq += (k - n) * p[k];
        double Lj = nmu / (nmu + (j + 1) * th);
        ab += p[k] * (1 - Lj);
        double sum = 0;
        for (int i = 0; i <= j && p[k] > 1e-300; i++)
            sum += 1 / (nmu + i * th + th);
        served_wait += p[k] * Lj * sum;
    }
    c.p_abandon = th * eq / lambda;
    c.p_abandon2 = ab;
    c.asa_s = served_wait / (1 - ab);
    /* Uniformisation: v[j] = mass j ahead, absorbed into "served". */
    while (J > 1 && p[n + J] < 1e-22) /* the positions that matter */
        J--;
    double Lam = nmu + (J + 1) * th;
    double *v = malloc((size_t)(J + 1) * sizeof *v), *w = malloc((size_t)(J + 1) * sizeof *w);
    for (int j = 0; j <= J; j++)
        v[j] = p[n + j];
    double served = 0, acc = 0;
    for (int m = 0; m < 100000; m++) {
        /* Poisson(Lam t) weight of m steps, in logarithms (Lam t may be
         * in the thousands) */
        double pois = t > 0 ? exp(-Lam * t + m * log(Lam * t) - lgamma(m + 1.0)) : (m == 0);
        acc += pois * served;
        /* one step of the uniformised chain */
        double ns = served + v[0] * nmu / Lam;
        for (int j = 0; j <= J; j++) {
            double stay = 1 - (nmu + j * th + th) / Lam;
            w[j] = v[j] * stay + (j < J ? v[j + 1] * (nmu + (j + 1) * th) / Lam : 0);
        }
        for (int j = 0; j <= J; j++)
            v[j] = w[j];
        served = ns;
        if (m > Lam * t + 20 * sqrt(Lam * t + 1) + 50)
            break;
    }
    c.service = (1 - c.p_wait) + acc;
    free(lp);
    free(p);
    free(v);
    free(w);
    return c;
}

int main(void)
{
    gsl_set_error_handler_off();
    zs_err err;
    /* Erlang B and C. */
    CHECK(zs_erlang_b(0, 5) == 1.0, "B(0, a) = 1");
    int okb = 1;
    for (int n = 1; n <= 60; n += 7)
        for (double a = 0.5; a < 80; a *= 1.7)
            okb &= fabs(zs_erlang_b(n, a) - b_direct(n, a)) <= 1e-12 * (1 + b_direct(n, a));
    CHECK(okb, "Erlang B recursion = definition for n 1..57, a 0.5..70");
    CHECK_NEAR(zs_erlang_b(3000, 2900), b_direct(3000, 2900), 1e-12, "Erlang B stable at 3,000 servers");
    CHECK_NEAR(zs_erlang_b(2, 1), 0.2, 1e-15, "B(2, 1) = 1/5");
    CHECK_NEAR(zs_erlang_c(2, 1), 1.0 / 3, 1e-15, "C(2, 1) = 1/3 (M/M/2 at rho 1/2)");
    CHECK(zs_erlang_c(10, 10) == 1.0 && zs_erlang_c(10, 12) == 1.0, "C = 1 when the load reaches n");

    /* The published check value (TECHNOTES.md). */
    zs_erlang_opts o;
    zs_erlang_opts_defaults(&o);
    o.shrinkage = 0.3;
    zs_erlang_need nd;
    CHECK(zs_erlang_agents(100, 1800, 180, &o, &nd, &err) == ZS_OK, "check value solves");
    CHECK(nd.agents == 14, "100 calls / 30 min, 180 s, 80%% in 20 s -> 14 agents (got %d)", nd.agents);
    CHECK_NEAR(nd.perf.service, 0.8884, 5e-5, "service level 88.84%% (got %.4f%%)", 100 * nd.perf.service);
    CHECK_NEAR(nd.perf.asa_s, 7.8, 0.05, "ASA 7.8 s (got %.3f)", nd.perf.asa_s);
    CHECK(nd.positions == 20, "30%% shrinkage -> 20 positions (got %d)", nd.positions);
    CHECK_NEAR(nd.load, 10, 1e-12, "offered load 10 Erlangs");
    zs_erlang_perf pf;
    zs_erlang_perf_eval(13, 100.0 / 1800, 180, 0, 20, &pf, &err);
    CHECK(pf.service < 0.8, "13 agents miss the target (%.4f)", pf.service);
    o.max_asa_s = 5;
    zs_erlang_agents(100, 1800, 180, &o, &nd, &err);
    CHECK(nd.agents == 15 && nd.perf.asa_s <= 5, "ASA <= 5 s asks for 15 agents (got %d, %.2f s)", nd.agents,
          nd.perf.asa_s);
    CHECK(zs_erlang_agents(0, 1800, 180, &o, &nd, &err) == ZS_OK && nd.agents == 0 && nd.positions == 0,
          "no calls, no agents");

    /* Erlang A against the chain. */
    struct {
        int n;
        double lambda, aht, pat, t;
    } tab[] = {
        {8, 100.0 / 1800, 180, 180, 20},   /* overloaded: a = 10 > 8 */
        {10, 100.0 / 1800, 180, 180, 20},
        {12, 100.0 / 1800, 180, 180, 20},
        {14, 100.0 / 1800, 180, 180, 20},
        {5, 40.0 / 1800, 240, 60, 30},     /* impatient callers */
        {22, 0.1, 200, 600, 15},
        {95, 0.5, 200, 120, 20},           /* a = 100 */
        {320, 1.0, 300, 90, 20},           /* a = 300, large desk */
    };
    int nt = (int)(sizeof tab / sizeof tab[0]);
    for (int q = 0; q < nt; q++) {
        chain_perf c = chain(tab[q].n, tab[q].lambda, tab[q].aht, tab[q].pat, tab[q].t);
        zs_status st = zs_erlang_perf_eval(tab[q].n, tab[q].lambda, tab[q].aht, tab[q].pat, tab[q].t, &pf, &err);
        CHECK(st == ZS_OK, "Erlang A n=%d a=%.1f patience %.0f evaluates", tab[q].n, tab[q].lambda * tab[q].aht,
              tab[q].pat);
        CHECK_NEAR(c.p_abandon, c.p_abandon2, 1e-9, "  chain: abandonment by Little = by queue position (%.6f)",
                   c.p_abandon);
        CHECK_NEAR(pf.p_wait, c.p_wait, 1e-7, "  P(wait) %.7f vs chain %.7f", pf.p_wait, c.p_wait);
        CHECK_NEAR(pf.p_abandon, c.p_abandon, 1e-7, "  P(abandon) %.7f vs chain %.7f", pf.p_abandon, c.p_abandon);
        CHECK_NEAR(pf.service, c.service, 1e-7, "  service level %.7f vs chain %.7f", pf.service, c.service);
        CHECK_NEAR(pf.asa_s, c.asa_s, 1e-6 * (1 + c.asa_s), "  ASA %.6f s vs chain %.6f s", pf.asa_s, c.asa_s);
    }
    /* Very patient callers: Erlang A tends to Erlang C. */
    zs_erlang_perf pc;
    zs_erlang_perf_eval(14, 100.0 / 1800, 180, 1e7, 20, &pf, &err);
    zs_erlang_perf_eval(14, 100.0 / 1800, 180, 0, 20, &pc, &err);
    CHECK_NEAR(pf.service, pc.service, 1e-4, "patience 10^7 s: Erlang A service %.5f = Erlang C %.5f", pf.service,
               pc.service);
    CHECK_NEAR(pf.asa_s, pc.asa_s, 1e-2, "patience 10^7 s: Erlang A ASA = Erlang C");

    /* Staffing with abandonment: fewer agents than Erlang C for the same
     * service level (callers who hang up shorten the queue), more when
     * abandonment is capped tightly. */
    zs_erlang_opts_defaults(&o);
    o.patience_s = 180;
    CHECK(zs_erlang_agents(100, 1800, 180, &o, &nd, &err) == ZS_OK, "Erlang A staffing solves");
    CHECK(nd.agents <= 14 && nd.perf.service >= 0.8, "Erlang A: %d agents <= Erlang C's 14", nd.agents);
    zs_erlang_perf_eval(nd.agents - 1, 100.0 / 1800, 180, 180, 20, &pf, &err);
    CHECK(pf.service < 0.8, "one agent fewer misses 80%% (%.4f)", pf.service);
    o.service_level = 0;
    o.max_abandon = 0.01;
    zs_erlang_agents(100, 1800, 180, &o, &nd, &err);
    zs_erlang_perf_eval(nd.agents - 1, 100.0 / 1800, 180, 180, 20, &pf, &err);
    CHECK(nd.perf.p_abandon <= 0.01 && pf.p_abandon > 0.01, "abandonment <= 1%%: %d agents, the fewest",
          nd.agents);
    /* Overload with patience: still a finite answer. */
    zs_erlang_perf_eval(3, 100.0 / 1800, 180, 180, 20, &pf, &err);
    CHECK(pf.p_abandon > 0.5 && pf.occupancy < 1 && pf.occupancy > 0.9,
          "3 agents for 10 Erlangs: most hang up (%.3f), agents busy %.3f", pf.p_abandon, pf.occupancy);

    /* Errors. */
    zs_erlang_opts_defaults(&o);
    o.service_level = 1.5;
    CHECK(zs_erlang_agents(100, 1800, 180, &o, &nd, &err) == ZS_EINVAL, "target 1.5 rejected");
    CHECK_CONTAINS(err.msg, "service.target = 1.5; must be in [0, 1)", "target message");
    zs_erlang_opts_defaults(&o);
    o.shrinkage = 1;
    CHECK(zs_erlang_opts_validate(&o, &err) == ZS_EINVAL, "shrinkage 1 rejected");
    zs_erlang_opts_defaults(&o);
    o.max_abandon = 0.05;
    CHECK(zs_erlang_opts_validate(&o, &err) == ZS_EINVAL, "an abandonment cap without patience rejected");
    CHECK_CONTAINS(err.msg, "needs service.patience_s > 0", "says Erlang A is needed");
    zs_erlang_opts_defaults(&o);
    o.max_agents = 12;
    CHECK(zs_erlang_agents(100, 1800, 180, &o, &nd, &err) == ZS_EINVAL, "target out of reach of 12 agents");
    CHECK_CONTAINS(err.msg, "cannot meet the targets with at most 12 agents", "names the limit");
    CHECK(zs_erlang_agents(100, 1800, 0, NULL, &nd, &err) == ZS_EINVAL, "zero handling rejected");
    CHECK(zs_erlang_perf_eval(-1, 1, 1, 0, 0, &pf, &err) == ZS_EINVAL, "negative agents rejected");
    return zs_test_done();
}
