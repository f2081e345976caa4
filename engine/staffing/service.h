/*
 * engine/staffing/service.h -- the service desk a plan's simulated days
 * call for: calls per half hour and reason, agents per half hour (Erlang C
 * or A at a risk level over replications), and the agents' weekly shifts.
 *
 * Each simulated replication-day of a plan gives the drivers of the calls
 * (models/calls.h): parcels out for delivery, failed first attempts,
 * parcels carried over, late parcels and pickups, summed over the plan's
 * zones.  The day's calls are drawn from the stream keyed (seed,
 * replication, day, ZS_PURPOSE_CALLS) -- the same key for every plan, so
 * two plans' calls differ only through their drivers (common random
 * numbers).  The simulation does not record attempt times per half hour,
 * so failed-attempt calls follow their reason's own profile.
 *
 * The requirement of a half hour is the agents Erlang (staffing/erlang.h)
 * asks for the (1 - risk) quantile of its inbound calls over replications
 * (the busy days, not the mean day), at the inbound calls' mean handling
 * time, plus the agents the outbound calls keep busy (their handling
 * minutes over the half hour, rounded up).  Three requirements are kept:
 * each simulated day's; the usual day's (the quantile over every
 * replication of every non-event day); and the regular week's, per weekday
 * the largest over the non-event days of that weekday, which the agent
 * shifts (staffing/agent_shifts.h) cover.  Event days (demand events with
 * a factor above 1: Double-11) are left out of the regular week: the
 * report gives their requirement for temporaries and overtime.
 *
 * With shifts solved, the queue simulation (engine/sim/callq.h) then
 * replays every replication-day's calls -- the same calls -- call by call
 * against the agents the shifts put on the phones that weekday (less the
 * agents the outbound calls keep busy), with the reasons' lognormal
 * handling and callers' patience: the service level and abandonment the
 * regular shifts achieve, on usual days and on event days, where Erlang's
 * assumptions (exponential handling, no abandonment for Erlang C,
 * stationary half hours) do not hold.
 */
#ifndef ZS_ENGINE_SERVICE_H
#define ZS_ENGINE_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "models/calls.h"
#include "models/demand.h"
#include "models/status.h"
#include "sim/sim.h"
#include "staffing/agent_shifts.h"
#include "staffing/erlang.h"

typedef struct zs_service_opts {
    zs_calls calls;         /* the call model (desk hours from here) */
    zs_erlang_opts erlang;  /* targets, shrinkage, patience */
    zs_shift_opts shifts;   /* agent shifts (desk hours copied from calls) */
    double risk;            /* share of replications allowed above the requirement */
    int roster;             /* 1: solve the regular week's agent shifts */
} zs_service_opts;

/* The defaults of models/calls.h, staffing/erlang.h (80% within 20 s,
 * Erlang C) and staffing/agent_shifts.h with a 10 s time limit; risk 0.1;
 * roster on. */
void zs_service_opts_defaults(zs_service_opts *o);

/* Checks every part, naming the field: "service.risk = 0.7; must be in
 * (0, 0.5]". */
zs_status zs_service_opts_validate(const zs_service_opts *o, zs_err *err);

typedef struct {
    const zs_sim_result *sim;       /* the plan's replication x day x zone metrics */
    const int64_t *day_number;      /* sim->days calendar days */
    const zs_demand_opts *demand;   /* its events mark peak days (NULL: none) */
    uint64_t seed;                  /* master seed */
} zs_service_input;

typedef struct zs_service_report {
    size_t days, reps;
    double risk;
    double *calls_mean;       /* days x ZS_CALL_REASONS x ZS_CALL_INTERVALS: mean over reps */
    int32_t *required;        /* days x ZS_CALL_INTERVALS: agents on the phones */
    uint8_t *peak;            /* days: 1 on event days */
    int32_t usual[ZS_CALL_INTERVALS];     /* the usual (non-event) day */
    int32_t week[7 * ZS_CALL_INTERVALS];  /* the regular week, Monday first */
    zs_shift_plan *roster;    /* the regular week's shifts, or NULL */
    double calls_day_mean;    /* calls a day, mean over every replication-day */
    double calls_usual_day;   /* the same over non-event days */
    size_t peak_day;          /* the day with the most calls (mean over reps) */
    double calls_peak_day;    /* its mean calls */
    int agents_usual, agents_peak;         /* largest half-hour requirement */
    double agent_h_usual, agent_h_peak;    /* agent hours on the phones */
    int positions_usual, positions_peak;   /* largest requirement with shrinkage */
    double failed_day_mean, late_day_mean; /* drivers: failed first attempts, late parcels */
    /* The queue simulation of the shifts (NAN without shifts): share of
     * inbound calls answered within the target and share abandoned, over
     * non-event days and over the peak day; per day over replications. */
    double sim_service_usual, sim_service_peak, sim_abandon_usual, sim_abandon_peak;
    double *sim_service_day;  /* days, or NULL without shifts */
} zs_service_report;

/* Computes the report for one plan (see the header).  *out is the
 * caller's (zs_service_report_free).  Errors: invalid options, a
 * simulation without the metrics calls need (ZS_EINVAL), out of memory,
 * solver failures. */
zs_status zs_service_plan(const zs_service_input *in, const zs_service_opts *o,
                          zs_service_report **out, zs_err *err);
void zs_service_report_free(zs_service_report *r);

#endif
