/*
 * engine/staffing/erlang.h -- agents a service desk needs: Erlang C and
 * Erlang A.
 *
 * One stationary interval: calls arrive as a Poisson process of rate
 * lambda, handling times are exponential with mean aht, n agents answer in
 * order of arrival.
 *   - Erlang C (M/M/n): callers wait as long as it takes.  P(wait) comes
 *     from the Erlang B recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1))
 *     (a = lambda aht, the offered load in Erlangs), which never forms
 *     a^n / n! and is stable for any n; C = n B / (n - a (1 - B)).  Service
 *     level P(W <= t) = 1 - C exp(-(n - a) t / aht), ASA = C aht / (n - a).
 *   - Erlang A (M/M/n+M, Palm 1943; Garnett, Mandelbaum & Reiman 2002):
 *     callers also hang up after an exponential patience of mean
 *     patience.  Computed from the offered wait V (the wait a caller of
 *     infinite patience would have): P(V = 0) = E pi0, density
 *     f(x) = lambda w pi0 exp(lambda H(x) - n mu x) for x > 0, with
 *     H(x) = (1 - exp(-theta x)) / theta, E = sum_{j<n} a^j / j!,
 *     w = a^(n-1) / (n-1)! and pi0 normalising (Mandelbaum & Zeltyn, "The
 *     M/M/n+G queue: summary of performance measures", 2009).  A caller
 *     with offered wait x is answered when patience exceeds x.  Integrals
 *     by GSL's adaptive quadrature, in logarithms so that no factorial
 *     overflows.
 * The service level counts a call as answered within t when it is answered
 * within t seconds; calls that hang up count against it (the desk's usual
 * definition: answered within t / offered).  Abandonment is the share of
 * offered calls that hang up; ASA is the mean wait of answered calls.
 *
 * Staffing: the fewest agents meeting every target given (service level,
 * abandonment, ASA); positions = ceil(agents / (1 - shrinkage)), shrinkage
 * being the share of paid time not on the phones (breaks, training,
 * absence).  Check value (pyworkforce's example, TECHNOTES.md): 100 calls
 * in 30 min, 180 s handling, 80% within 20 s -> 14 agents, service level
 * 88.84%, ASA 7.8 s; 30% shrinkage -> 20 positions.
 */
#ifndef ZS_ENGINE_ERLANG_H
#define ZS_ENGINE_ERLANG_H

#include "models/status.h"

/* Erlang B blocking probability of n servers at load a Erlangs (n >= 0,
 * a >= 0). */
double zs_erlang_b(int n, double a);

/* Erlang C probability of waiting; 1 when n <= a (the queue grows without
 * bound). */
double zs_erlang_c(int n, double a);

typedef struct {
    double p_wait;     /* share of calls that wait at all */
    double p_abandon;  /* share of offered calls that hang up (0 for Erlang C) */
    double service;    /* share of offered calls answered within target_s */
    double asa_s;      /* mean wait of answered calls, seconds */
    double occupancy;  /* share of agents' time busy */
} zs_erlang_perf;

/* Performance of n agents for calls_per_s arrivals, aht_s mean handling
 * and answer target target_s (seconds), Erlang C when patience_s is 0 or
 * infinite, else Erlang A.  Erlang C with n <= load is unstable: p_wait 1,
 * service 0, asa infinite, occupancy 1.  Returns ZS_EINVAL for bad inputs
 * (negative rates, aht <= 0, n < 0), ZS_ESOLVER when a quadrature fails. */
zs_status zs_erlang_perf_eval(int n, double calls_per_s, double aht_s, double patience_s,
                              double target_s, zs_erlang_perf *perf, zs_err *err);

typedef struct {
    double service_level;  /* share answered within target_s, in [0, 1); 0 = no target */
    double target_s;       /* seconds, >= 0 */
    double max_abandon;    /* largest share of abandoned calls, (0, 1]; 1 = none */
    double max_asa_s;      /* largest ASA, seconds; 0 = none */
    double shrinkage;      /* share of paid time off the phones, [0, 1) */
    double patience_s;     /* mean patience; 0 = Erlang C (callers never hang up) */
    int max_agents;        /* search limit, >= 1 */
} zs_erlang_opts;

/* 80% within 20 s, no abandonment or ASA target, no shrinkage, Erlang C,
 * at most 10,000 agents. */
void zs_erlang_opts_defaults(zs_erlang_opts *o);

/* Checks every field, naming it: "service.target = 1.5; must be in [0, 1)". */
zs_status zs_erlang_opts_validate(const zs_erlang_opts *o, zs_err *err);

typedef struct {
    int agents;            /* on the phones */
    int positions;         /* paid positions: ceil(agents / (1 - shrinkage)) */
    double load;           /* offered load, Erlangs */
    zs_erlang_perf perf;   /* at agents */
} zs_erlang_need;

/* The fewest agents meeting every target of o for calls in an interval of
 * interval_s seconds (calls >= 0, aht_s > 0); 0 agents when there are no
 * calls.  No number up to max_agents meeting them is ZS_EINVAL naming the
 * targets. */
zs_status zs_erlang_agents(double calls, double interval_s, double aht_s,
                           const zs_erlang_opts *o, zs_erlang_need *need, zs_err *err);

#endif
