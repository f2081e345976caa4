/*
 * models/calls.h -- calls to the station's customer-service desk.
 *
 * Every simulated day turns into calls: customers ask where their parcel
 * is, call back after a failed first attempt, chase redeliveries and late
 * parcels, order pickups by phone, report problem parcels (damaged, lost,
 * wrong address: 问题件) and complain; agents call customers about failed
 * and problem parcels (outbound).  Each reason has
 *   - a driver, the day's count it is proportional to (parcels out for
 *     delivery, failed first attempts, parcels carried over for
 *     redelivery, late parcels, pickup requests), and a rate: expected
 *     calls per driver event;
 *   - a time-of-day profile over the day's 48 half-hour intervals (shares
 *     summing to 1, zero while the desk is closed).  Calls driven by
 *     failed attempts may instead follow the attempt times the simulation
 *     knows, delayed by lag_intervals (zs_calls_draw_day's event profile);
 *   - a handling time (talk + wrap-up), lognormal with mean aht_s and
 *     coefficient of variation aht_cv (call-centre talk times are close to
 *     lognormal: Brown et al., "Statistical analysis of a telephone call
 *     center", JASA 100 (2005) 36-50);
 *   - a customer patience, exponential with mean patience_s (the Erlang A
 *     assumption, Garnett, Mandelbaum & Reiman 2002; Brown et al. measured
 *     mean patience of a few minutes).  Outbound calls do not abandon.
 * Calls per interval and reason are independent Poisson counts (a Poisson
 * day total spread multinomially over the profile).
 *
 * Default rates are assumptions, not measurements: no public source gives
 * express-station call rates per event; they are stated here so that a
 * station replaces them with its own (zs_calls_calibrate, `zonesim
 * calibrate-calls`).  Draws take an explicit stream (the engine keys it
 * with ZS_PURPOSE_CALLS); the model keeps no state.
 */
#ifndef ZS_MODELS_CALLS_H
#define ZS_MODELS_CALLS_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "models/status.h"

#define ZS_CALL_INTERVALS 48 /* half hours of a day */
#define ZS_CALL_INTERVAL_S 1800.0

typedef enum {
    ZS_CALL_TRACKING = 0, /* "where is my parcel", per parcel out for delivery */
    ZS_CALL_FAILED,       /* customer calls back after a failed first attempt */
    ZS_CALL_REDELIVERY,   /* chasing a parcel carried over for redelivery */
    ZS_CALL_LATE,         /* a parcel later than the promise */
    ZS_CALL_PICKUP,       /* a pickup ordered by phone */
    ZS_CALL_PROBLEM,      /* problem parcels: damaged, lost, wrong address */
    ZS_CALL_COMPLAINT,    /* complaints and claims */
    ZS_CALL_OUTBOUND,     /* agents calling customers about failed parcels */
    ZS_CALL_REASONS
} zs_call_reason;

typedef enum {
    ZS_DRIVER_PARCELS = 0, /* parcels out for delivery */
    ZS_DRIVER_FAILED,      /* failed first attempts (stops where nobody signed) */
    ZS_DRIVER_CARRIED,     /* parcels carried over for redelivery */
    ZS_DRIVER_LATE,        /* parcels signed for after the promise */
    ZS_DRIVER_PICKUPS,     /* pickup requests */
    ZS_DRIVERS
} zs_call_driver;

typedef struct {
    int driver;           /* zs_call_driver */
    double rate;          /* calls per driver event, >= 0 */
    double profile[ZS_CALL_INTERVALS]; /* shares per half hour, >= 0, sum 1 */
    int follow_events;    /* 1: follow the event profile when one is given */
    double aht_s;         /* mean handling time, seconds, > 0 */
    double aht_cv;        /* coefficient of variation of handling, >= 0 */
    double patience_s;    /* mean patience, seconds, > 0; 0 = never abandons */
    int outbound;         /* 1: agents place the call (no queue, no abandonment) */
    int handling_exp;     /* 1: exponential handling with mean aht_s (the Erlang
                             assumption; aht_cv unused) instead of lognormal */
} zs_call_params;

typedef struct {
    zs_call_params reason[ZS_CALL_REASONS];
    int open_interval, close_interval; /* desk open [open, close) half hours */
    int lag_intervals;    /* delay from a failed attempt to its calls, >= 0 */
} zs_calls;

/* Name of a reason ("tracking", "failed", "redelivery", "late", "pickup",
 * "problem", "complaint", "outbound") or of a driver ("parcels", "failed",
 * "carried", "late", "pickups"); "?" when out of range. */
const char *zs_call_reason_name(int reason);
const char *zs_call_driver_name(int driver);

/* The reason with this name, or -1. */
int zs_call_reason_parse(const char *name);

/* Defaults (assumptions, see the header): desk open 8:00-21:00; calls per
 * event tracking 0.03 per parcel, failed 0.30 per failed attempt,
 * redelivery 0.20 per carried parcel, late 0.15 per late parcel, pickup
 * 0.50 per pickup request, problem 0.004 per parcel, complaint 0.04 per
 * late parcel, outbound 0.20 per failed attempt; handling means 120, 180,
 * 150, 180, 200, 360, 480, 150 s, all with cv 0.8; patience 180 s (120 s
 * for tracking); profiles: a morning peak 9:00-11:00 and an afternoon
 * shoulder 14:00-17:00 for parcel-driven reasons, pickups mostly in the
 * morning, failed/redelivery/late/outbound calls in the afternoon and
 * evening (and following the attempt times, one interval later, when the
 * simulation gives them); lognormal handling. */
void zs_calls_defaults(zs_calls *c);

/* Sets the desk hours to [open, close) half hours (clamped into 0..48,
 * open < close), zeroing every profile outside them and renormalising
 * (a profile left empty becomes flat over the hours). */
void zs_calls_set_hours(zs_calls *c, int open, int close);

/* Checks every field, naming it: "service.calls.late.rate = -1; must be
 * >= 0", profiles summing to 1 (within 1e-6) and zero outside opening
 * hours. */
zs_status zs_calls_validate(const zs_calls *c, zs_err *err);

/* Expected calls per reason and interval for the day's driver counts
 * (drivers[ZS_DRIVERS]) and event profile (shares of failed attempts per
 * interval, summing to 1, or NULL), into mean[ZS_CALL_REASONS *
 * ZS_CALL_INTERVALS] (reason-major). */
void zs_calls_expected_day(const zs_calls *c, const double drivers[ZS_DRIVERS],
                           const double *event_profile, double *mean);

/* One day's calls: independent Poisson counts of the expected values
 * (zs_calls_expected_day) into counts[ZS_CALL_REASONS * ZS_CALL_INTERVALS],
 * drawn from r in reason-major order, one draw per cell (cells with mean 0
 * draw nothing), so the counts depend on r's key only.  The caller keys r
 * (ZS_PURPOSE_CALLS, replication, day). */
void zs_calls_draw_day(const zs_calls *c, const double drivers[ZS_DRIVERS],
                       const double *event_profile, gsl_rng *r, uint32_t *counts);

/* One call's handling time in seconds (lognormal with the reason's mean
 * and cv, exactly aht_s when cv is 0: one gaussian draw from r; or
 * exponential with mean aht_s when handling_exp: one uniform). */
double zs_calls_draw_handling(const zs_calls *c, int reason, gsl_rng *r);

/* One caller's patience in seconds (exponential with mean patience_s;
 * HUGE_VAL for outbound calls or patience 0): one uniform from r, always. */
double zs_calls_draw_patience(const zs_calls *c, int reason, gsl_rng *r);

/* One record of a call log. */
typedef struct {
    double t_s;       /* seconds since the log's first midnight */
    int reason;       /* zs_call_reason */
    double talk_s;    /* handling seconds (0 for abandoned calls) */
    int abandoned;    /* 1: the caller hung up before an answer */
} zs_call_record;

/* What zs_calls_calibrate found, beside the parameters it sets. */
typedef struct {
    size_t days;                          /* calendar days the log spans */
    double calls_per_day[ZS_CALL_REASONS];
    double abandon_share[ZS_CALL_REASONS];
    size_t n[ZS_CALL_REASONS];            /* records per reason */
} zs_calls_fit;

/* Fits from a call log: each reason with records gets its profile (shares
 * of its calls per half hour), handling mean and cv (lognormal by the
 * moments of log talk time over answered calls with talk_s > 0; the mean
 * alone when fewer than 2), and, where driver_per_day[its driver] > 0
 * (mean daily driver count over the same days; NULL = none known), its
 * rate = calls per day / driver per day.  The desk hours become the
 * smallest span holding every call.  Reasons without records keep their
 * values; a profile with calls outside the desk hours is a fit, not an
 * error.  Returns ZS_EINVAL for an empty log or records out of range. */
zs_status zs_calls_calibrate(zs_calls *c, const zs_call_record *rec, size_t n,
                             const double *driver_per_day, zs_calls_fit *fit, zs_err *err);

#endif
