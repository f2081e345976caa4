#include "staffing/erlang.h"

#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>

double zs_erlang_b(int n, double a)
{
    double b = 1.0;
    for (int k = 1; k <= n; k++)
        b = a * b / (k + a * b);
    return b;
}

double zs_erlang_c(int n, double a)
{
    if (n <= 0 || a >= n)
        return 1.0;
    if (a <= 0.0)
        return 0.0;
    double b = zs_erlang_b(n, a);
    return n * b / (n - a * (1.0 - b));
}

/* log(sum_{j<n} a^j / j!) by log-sum-exp (the terms may overflow). */
static double log_e(int n, double a)
{
    double la = log(a), mx = -HUGE_VAL;
    for (int j = 0; j < n; j++) {
        double t = j * la - lgamma(j + 1.0);
        if (t > mx)
            mx = t;
    }
    double s = 0.0;
    for (int j = 0; j < n; j++)
        s += exp(j * la - lgamma(j + 1.0) - mx);
    return mx + log(s);
}

/* The integrands of Erlang A, all relative to exp(c), the largest value of
 * exp(lambda H(x) - n mu x). */
typedef struct {
    double lambda, nmu, theta, c;
    int kind; /* 0: g, 1: g (1 - e^-theta x), 2: g e^-theta x, 3: x g e^-theta x */
} a_ctx;

static double a_fn(double x, void *vp)
{
    const a_ctx *p = vp;
    double e = exp(-p->theta * x);
    double g = exp(p->lambda * (-expm1(-p->theta * x)) / p->theta - p->nmu * x - p->c);
    switch (p->kind) {
    case 0:
        return g;
    case 1:
        return g * -expm1(-p->theta * x);
    case 2:
        return g * e;
    default:
        return x * g * e;
    }
}

/* integral of kind over [0, upto) (upto = HUGE_VAL: [0, inf)). */
static zs_status integrate(a_ctx *p, int kind, double upto, gsl_integration_workspace *ws,
                           double *out, zs_err *err)
{
    gsl_function F = {a_fn, p};
    p->kind = kind;
    double res, abserr;
    int rc;
    if (isinf(upto)) {
        /* Split at a point past the peak: the finite part holds most of the
         * mass, the tail decays like exp(-(n mu) x). */
        double mid = (p->lambda > p->nmu ? log(p->lambda / p->nmu) / p->theta : 0.0) +
                     20.0 / p->nmu;
        double r1 = 0, r2 = 0, e1, e2;
        rc = gsl_integration_qags(&F, 0.0, mid, 0.0, 1e-11, 1000, ws, &r1, &e1);
        /* the tail too when the finite part only hit rounding (GSL_EROUND,
         * accepted below): r2 is never left unset */
        if (rc == 0 || rc == GSL_EROUND) {
            int rc2 = gsl_integration_qagiu(&F, mid, 0.0, 1e-11, 1000, ws, &r2, &e2);
            if (rc2 != 0)
                rc = rc2;
        }
        res = r1 + r2;
    } else {
        rc = upto > 0.0 ? gsl_integration_qags(&F, 0.0, upto, 0.0, 1e-11, 1000, ws, &res, &abserr)
                        : (res = 0.0, 0);
    }
    if (rc != 0 && rc != GSL_EROUND)
        return zs_err_set(err, ZS_ESOLVER, "Erlang A: quadrature failed (%s)", gsl_strerror(rc));
    *out = res;
    return ZS_OK;
}

static zs_status erlang_a(int n, double lambda, double mu, double theta, double t,
                          zs_erlang_perf *pf, zs_err *err)
{
    double a = lambda / mu, nmu = n * mu;
    a_ctx p = {lambda, nmu, theta, 0.0, 0};
    if (lambda > nmu) {
        double xs = log(lambda / nmu) / theta;
        p.c = lambda * (-expm1(-theta * xs)) / theta - nmu * xs;
    }
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(1000);
    if (!ws)
        return ZS_NOMEM(err);
    double js = 0, jab = 0, jsl = 0, jx = 0;
    zs_status st = integrate(&p, 0, HUGE_VAL, ws, &js, err);
    if (st == ZS_OK)
        st = integrate(&p, 1, HUGE_VAL, ws, &jab, err);
    if (st == ZS_OK)
        st = integrate(&p, 2, t, ws, &jsl, err);
    if (st == ZS_OK)
        st = integrate(&p, 3, HUGE_VAL, ws, &jx, err);
    gsl_integration_workspace_free(ws);
    if (st != ZS_OK)
        return st;
    /* K J = exp(L) js with L = log(lambda w / E) + c. */
    double L = log(lambda) + (n - 1) * log(a) - lgamma((double)n) - log_e(n, a) + p.c;
    double p0, kappa;
    if (L < -700.0) {
        p0 = 1.0;
        kappa = 0.0;
    } else {
        double em = exp(-L);
        p0 = em / (em + js);
        kappa = 1.0 / (em + js);
    }
    pf->p_wait = 1.0 - p0;
    pf->p_abandon = kappa * jab;
    pf->service = p0 + kappa * jsl;
    double answered = 1.0 - pf->p_abandon;
    pf->asa_s = answered > 0.0 ? kappa * jx / answered : HUGE_VAL;
    pf->occupancy = a * answered / n;
    return ZS_OK;
}

zs_status zs_erlang_perf_eval(int n, double calls_per_s, double aht_s, double patience_s,
                              double target_s, zs_erlang_perf *pf, zs_err *err)
{
    if (n < 0 || !(calls_per_s >= 0.0) || !isfinite(calls_per_s) || !(aht_s > 0.0) ||
        !isfinite(aht_s) || !(patience_s >= 0.0) || !(target_s >= 0.0))
        return zs_err_set(err, ZS_EINVAL,
                          "Erlang: %d agents, %g calls/s, handling %g s, patience %g s, target "
                          "%g s; need agents >= 0, calls >= 0, handling > 0, patience and target >= 0",
                          n, calls_per_s, aht_s, patience_s, target_s);
    double a = calls_per_s * aht_s;
    int erlang_c = patience_s == 0.0 || isinf(patience_s);
    if (calls_per_s == 0.0) {
        *pf = (zs_erlang_perf){0.0, 0.0, 1.0, 0.0, 0.0};
        return ZS_OK;
    }
    if (n == 0) {
        *pf = (zs_erlang_perf){1.0, erlang_c ? 0.0 : 1.0, 0.0, HUGE_VAL, 0.0};
        return ZS_OK;
    }
    if (erlang_c) {
        if (a >= n) {
            *pf = (zs_erlang_perf){1.0, 0.0, 0.0, HUGE_VAL, 1.0};
            return ZS_OK;
        }
        double c = zs_erlang_c(n, a);
        pf->p_wait = c;
        pf->p_abandon = 0.0;
        pf->service = 1.0 - c * exp(-(n - a) * target_s / aht_s);
        pf->asa_s = c * aht_s / (n - a);
        pf->occupancy = a / n;
        return ZS_OK;
    }
    return erlang_a(n, calls_per_s, 1.0 / aht_s, 1.0 / patience_s, target_s, pf, err);
}

void zs_erlang_opts_defaults(zs_erlang_opts *o)
{
    o->service_level = 0.8;
    o->target_s = 20.0;
    o->max_abandon = 1.0;
    o->max_asa_s = 0.0;
    o->shrinkage = 0.0;
    o->patience_s = 0.0;
    o->max_agents = 10000;
}

zs_status zs_erlang_opts_validate(const zs_erlang_opts *o, zs_err *err)
{
    if (!(o->service_level >= 0.0 && o->service_level < 1.0))
        return zs_err_set(err, ZS_EINVAL, "service.target = %g; must be in [0, 1)",
                          o->service_level);
    if (!(o->target_s >= 0.0) || !isfinite(o->target_s))
        return zs_err_set(err, ZS_EINVAL, "service.within_s = %g; must be >= 0", o->target_s);
    if (!(o->max_abandon > 0.0 && o->max_abandon <= 1.0))
        return zs_err_set(err, ZS_EINVAL, "service.max_abandon = %g; must be in (0, 1]",
                          o->max_abandon);
    if (!(o->max_asa_s >= 0.0) || !isfinite(o->max_asa_s))
        return zs_err_set(err, ZS_EINVAL, "service.max_asa_s = %g; must be >= 0", o->max_asa_s);
    if (!(o->shrinkage >= 0.0 && o->shrinkage < 1.0))
        return zs_err_set(err, ZS_EINVAL, "service.shrinkage = %g; must be in [0, 1)",
                          o->shrinkage);
    if (!(o->patience_s >= 0.0) || !isfinite(o->patience_s))
        return zs_err_set(err, ZS_EINVAL, "service.patience_s = %g; must be >= 0", o->patience_s);
    if (o->max_agents < 1)
        return zs_err_set(err, ZS_EINVAL, "service.max_agents = %d; must be >= 1", o->max_agents);
    if (o->patience_s == 0.0 && o->max_abandon < 1.0)
        return zs_err_set(err, ZS_EINVAL,
                          "service.max_abandon = %g needs service.patience_s > 0 (Erlang A): "
                          "without patience nobody hangs up",
                          o->max_abandon);
    return ZS_OK;
}

static int meets(const zs_erlang_perf *p, const zs_erlang_opts *o)
{
    if (o->service_level > 0.0 && p->service < o->service_level)
        return 0;
    if (p->p_abandon > o->max_abandon)
        return 0;
    if (o->max_asa_s > 0.0 && p->asa_s > o->max_asa_s)
        return 0;
    return p->asa_s < HUGE_VAL; /* a stable queue at least */
}

zs_status zs_erlang_agents(double calls, double interval_s, double aht_s,
                           const zs_erlang_opts *o, zs_erlang_need *need, zs_err *err)
{
    zs_erlang_opts def;
    if (!o) {
        zs_erlang_opts_defaults(&def);
        o = &def;
    }
    zs_status st = zs_erlang_opts_validate(o, err);
    if (st != ZS_OK)
        return st;
    if (!(calls >= 0.0) || !isfinite(calls) || !(interval_s > 0.0) || !(aht_s > 0.0) ||
        !isfinite(aht_s))
        return zs_err_set(err, ZS_EINVAL,
                          "Erlang: %g calls in %g s with handling %g s; need calls >= 0, "
                          "interval > 0, handling > 0",
                          calls, interval_s, aht_s);
    double lambda = calls / interval_s, a = lambda * aht_s;
    need->load = a;
    if (calls == 0.0) {
        need->agents = need->positions = 0;
        need->perf = (zs_erlang_perf){0.0, 0.0, 1.0, 0.0, 0.0};
        return ZS_OK;
    }
    /* Lower bounds: answered calls need (1 - abandoned) a <= n busy agents,
     * and the share answered within the target is at most n / a; Erlang C
     * needs n > a. */
    double lo = a * (o->service_level > 1.0 - o->max_abandon ? o->service_level
                                                             : 1.0 - o->max_abandon);
    if (o->patience_s == 0.0)
        lo = floor(a) + 1.0;
    int n = lo < 1.0 ? 1 : (int)floor(lo);
    if (n > o->max_agents)
        n = o->max_agents;
    zs_erlang_perf pf;
    for (; n <= o->max_agents; n++) {
        if ((st = zs_erlang_perf_eval(n, lambda, aht_s, o->patience_s, o->target_s, &pf, err)) !=
            ZS_OK)
            return st;
        if (meets(&pf, o))
            break;
    }
    if (n > o->max_agents)
        return zs_err_set(err, ZS_EINVAL,
                          "Erlang: %g calls in %g s (%.1f Erlangs) cannot meet the targets with "
                          "at most %d agents",
                          calls, interval_s, a, o->max_agents);
    need->agents = n;
    need->positions = (int)ceil(n / (1.0 - o->shrinkage) - 1e-9);
    need->perf = pf;
    return ZS_OK;
}
