#include "sim/callq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"

typedef struct {
    double t, handling, patience;
} caller;

struct zs_callq_ws {
    size_t max_calls;
    int max_agents;
    caller *calls;
    double *free_at;   /* max_agents: when each agent is next free */
    int16_t *next_on;  /* max_agents x (ZS_CALL_INTERVALS + 1): first interval >= i
                          in which the agent is on duty (ZS_CALL_INTERVALS: never) */
};

zs_callq_ws *zs_callq_ws_create(size_t max_calls, int max_agents)
{
    if (max_agents < 1)
        max_agents = 1;
    zs_callq_ws *ws = zs_calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->max_calls = max_calls;
    ws->max_agents = max_agents;
    ws->calls = zs_calloc(max_calls ? max_calls : 1, sizeof *ws->calls);
    ws->free_at = zs_calloc((size_t)max_agents, sizeof *ws->free_at);
    ws->next_on = zs_calloc((size_t)max_agents * (ZS_CALL_INTERVALS + 1), sizeof *ws->next_on);
    if (!ws->calls || !ws->free_at || !ws->next_on) {
        zs_callq_ws_free(ws);
        return NULL;
    }
    return ws;
}

void zs_callq_ws_free(zs_callq_ws *ws)
{
    if (!ws)
        return;
    zs_free(ws->calls);
    zs_free(ws->free_at);
    zs_free(ws->next_on);
    zs_free(ws);
}

static int by_time(const void *a, const void *b)
{
    double x = ((const caller *)a)->t, y = ((const caller *)b)->t;
    return (x > y) - (x < y);
}

zs_status zs_callq_simulate_day(const zs_calls *c, const uint32_t *counts,
                                const int32_t *agents, double target_s, gsl_rng *r,
                                zs_callq_ws *ws, zs_callq_day *out, zs_err *err)
{
    const int NI = ZS_CALL_INTERVALS;
    const double D = ZS_CALL_INTERVAL_S;
    memset(out, 0, sizeof *out);
    int amax = 0;
    for (int i = 0; i < NI; i++) {
        if (agents[i] < 0)
            return zs_err_set(err, ZS_EINVAL, "call queue: %d agents in interval %d; must be >= 0",
                              (int)agents[i], i);
        if (agents[i] > amax)
            amax = agents[i];
    }
    if (amax > ws->max_agents)
        return zs_err_set(err, ZS_EINVAL, "call queue: %d agents; the workspace holds %d", amax,
                          ws->max_agents);
    /* Callers in a fixed draw order, independent of the staffing. */
    size_t n = 0;
    for (int i = 0; i < NI; i++)
        for (int k = 0; k < ZS_CALL_REASONS; k++) {
            if (c->reason[k].outbound)
                continue;
            uint32_t m = counts[k * NI + i];
            if (n + m > ws->max_calls)
                return zs_err_set(err, ZS_EINVAL,
                                  "call queue: more than %zu calls in a day; the workspace holds %zu",
                                  n + m - 1, ws->max_calls);
            for (uint32_t q = 0; q < m; q++) {
                caller *x = &ws->calls[n++];
                x->t = (i + gsl_rng_uniform(r)) * D;
                x->handling = zs_calls_draw_handling(c, k, r);
                x->patience = zs_calls_draw_patience(c, k, r);
            }
        }
    /* Arrival times are distinct with probability 1; a tie (same uniform)
     * would be between callers of one interval, whose stats are the same
     * whichever goes first. */
    qsort(ws->calls, n, sizeof *ws->calls, by_time);
    for (int k = 0; k < amax; k++) {
        ws->free_at[k] = 0.0;
        int16_t *no = ws->next_on + (size_t)k * (NI + 1);
        no[NI] = (int16_t)NI;
        for (int i = NI - 1; i >= 0; i--)
            no[i] = k < agents[i] ? (int16_t)i : no[i + 1];
    }
    for (size_t q = 0; q < n; q++) {
        const caller *x = &ws->calls[q];
        int ia = (int)(x->t / D);
        double best = HUGE_VAL;
        int kb = -1;
        for (int k = 0; k < amax; k++) {
            double s = ws->free_at[k] > x->t ? ws->free_at[k] : x->t;
            int i = (int)(s / D);
            if (i >= NI)
                continue;
            int on = ws->next_on[(size_t)k * (NI + 1) + i];
            if (on >= NI)
                continue;
            if (on > i)
                s = on * D;
            if (s < best) {
                best = s;
                kb = k;
            }
        }
        out->offered[ia] += 1.0;
        double wait = best - x->t;
        if (kb < 0 && isinf(x->patience)) {
            out->unserved[ia] += 1.0;
            continue;
        }
        if (kb < 0 || wait > x->patience) {
            out->abandoned[ia] += 1.0;
            continue;
        }
        ws->free_at[kb] = best + x->handling;
        out->answered[ia] += 1.0;
        out->wait_s[ia] += wait;
        if (wait <= target_s)
            out->within[ia] += 1.0;
    }
    return ZS_OK;
}
