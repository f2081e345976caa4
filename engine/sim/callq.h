/*
 * engine/sim/callq.h -- the service desk's queue, simulated call by call.
 *
 * A discrete-event check of the Erlang figures (staffing/erlang.h): one day
 * of half-hour intervals, the inbound calls of each interval (counts per
 * reason, models/calls.h) arriving at uniform times inside it -- a Poisson
 * process of constant rate within the interval when the counts are Poisson
 * -- with handling times and patience drawn per call from the reason's
 * distributions.  agents[i] agents are on duty in interval i; one queue,
 * first come first served; an agent finishes the call in hand when the
 * interval ends, and a caller hangs up when the wait reaches the
 * patience.  Outbound calls are not queued here: agents place them in the
 * time staffed for them apart (zs_service_* adds their workload).
 *
 * FCFS with one queue makes the simulation a recursion over callers in
 * order of arrival: each takes the agent that can start soonest, or hangs
 * up when that start comes after the patience runs out (a caller who
 * hangs up delays nobody behind).  No event list is needed.
 *
 * Every draw comes from the stream the caller keys (ZS_PURPOSE_CALLS with
 * replication and day), in a fixed order -- per interval, per reason, per
 * call: arrival time, handling, patience -- that does not depend on the
 * staffing, so two staffings of the same day see the same callers (common
 * random numbers) and results do not depend on threads.
 */
#ifndef ZS_ENGINE_CALLQ_H
#define ZS_ENGINE_CALLQ_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "models/calls.h"
#include "models/status.h"

/* Per interval of arrival. */
typedef struct {
    double offered[ZS_CALL_INTERVALS];   /* inbound calls arriving */
    double answered[ZS_CALL_INTERVALS];
    double within[ZS_CALL_INTERVALS];    /* answered within target_s */
    double abandoned[ZS_CALL_INTERVALS];
    double unserved[ZS_CALL_INTERVALS];  /* patient callers still waiting when no
                                            agent comes on duty again (desk closed) */
    double wait_s[ZS_CALL_INTERVALS];    /* total wait of the answered calls */
} zs_callq_day;

/* Scratch for days of up to max_calls inbound calls and max_agents agents
 * per interval (one per thread). */
typedef struct zs_callq_ws zs_callq_ws;
zs_callq_ws *zs_callq_ws_create(size_t max_calls, int max_agents);
void zs_callq_ws_free(zs_callq_ws *ws);

/* Simulates one day: counts[ZS_CALL_REASONS * ZS_CALL_INTERVALS] calls
 * (reason-major, as zs_calls_draw_day gives; outbound reasons skipped),
 * agents[ZS_CALL_INTERVALS] on duty, answer target target_s.  Draws from
 * r (keyed by the caller).  Errors: more calls or agents than ws holds,
 * negative agents (ZS_EINVAL). */
zs_status zs_callq_simulate_day(const zs_calls *c, const uint32_t *counts,
                                const int32_t *agents, double target_s, gsl_rng *r,
                                zs_callq_ws *ws, zs_callq_day *out, zs_err *err);

#endif
