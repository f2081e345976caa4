/*
 * models/signing.h -- first-attempt success (signing) and what happens to
 * parcels when nobody signs.
 *
 * At each stop the customer is present and signs with a probability that
 * depends on the point type (estates, campuses and villages low during
 * working hours; offices and shops high).  When the attempt fails the
 * courier phones the customer (call_min), then the stop's parcels are
 * either diverted to a parcel locker or pickup station (when one is within
 * reach: p_locker), refused and returned (cash on delivery: p_refuse), or
 * carried to the next day's demand for redelivery (the rest).
 *
 * Time of day: p_success holds during the customers' working hours
 * [work_start_h, work_end_h) (9:00-18:00 by default) and p_success_off
 * outside them, at the attempt's time (the courier's arrival at the stop).
 * Estates and campuses are empty in working hours and full in the evening;
 * offices the reverse.  By default p_success_off is ZS_SIGNING_SAME: the
 * same probability all day.
 *
 * The outcome of a stop is drawn from its own keyed stream (purpose
 * ZS_PURPOSE_SIGNING), so every plan sees the same outcome at the same
 * point on the same day (and, for plans that reach it at different times,
 * the same uniform compared with the probability of each time).
 */
#ifndef ZS_MODELS_SIGNING_H
#define ZS_MODELS_SIGNING_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "models/ptype.h"
#include "models/status.h"

typedef struct {
    double p_success[ZS_PT_COUNT]; /* first-attempt success probability */
    double p_locker[ZS_PT_COUNT];  /* share of failed stops diverted to a locker */
    double p_refuse[ZS_PT_COUNT];  /* share of failed stops refused and returned */
    double call_min;               /* minutes phoning after a failed attempt */
    double p_success_off[ZS_PT_COUNT]; /* success outside working hours, or
                                          ZS_SIGNING_SAME: p_success all day */
    double work_start_h, work_end_h;   /* customers' working hours, hours after
                                          midnight: [start, end) */
} zs_signing;

/* p_success_off: the working-hours probability all day. */
#define ZS_SIGNING_SAME (-1.0)

typedef enum {
    ZS_SIGN_OK = 0,      /* signed: parcels delivered */
    ZS_SIGN_REDELIVER,   /* nobody there: parcels go out again tomorrow */
    ZS_SIGN_LOCKER,      /* nobody there: parcels left in a locker / pickup station */
    ZS_SIGN_REFUSED      /* refused (e.g. cash on delivery): parcels returned */
} zs_sign_outcome;

/* Defaults per type (success, locker, refuse): residential .80/.50/.02,
 * office .95/.20/.01, school .70/.40/.02, hospital .90/.10/.01, factory
 * .92/.10/.01, village .75/.20/.03, institution .90/.10/.01, military
 * .85/.00/.01, shop .95/.10/.02, other .85/.20/.02, locker and pickup
 * station 1/0/0 (nobody has to be there to sign); 1.5 min per call;
 * working hours 9:00-18:00 and off-hours success ZS_SIGNING_SAME for every
 * type (no time-of-day effect). */
void zs_signing_defaults(zs_signing *s);

/* Probabilities in [0, 1] (p_success_off also ZS_SIGNING_SAME), p_locker +
 * p_refuse <= 1, call_min >= 0, 0 <= work_start_h < work_end_h <= 24; the
 * message names field and type, e.g. "signing.success.office = 1.2". */
zs_status zs_signing_validate(const zs_signing *s, zs_err *err);

/* Outcome of one attempt at a point of the given type; two uniforms from r
 * (the caller rekeys r for the point and day). */
zs_sign_outcome zs_signing_draw(const zs_signing *s, int type, gsl_rng *r);

/* First-attempt success probability at a point of the given type at
 * minute_of_day (minutes after midnight; taken modulo 24 h). */
double zs_signing_p_success_at(const zs_signing *s, int type, double minute_of_day);

/* As zs_signing_draw with the probability of minute_of_day; the same two
 * uniforms, so with ZS_SIGNING_SAME it gives zs_signing_draw's outcome. */
zs_sign_outcome zs_signing_draw_at(const zs_signing *s, int type, double minute_of_day,
                                   gsl_rng *r);

/* Maximum-likelihood success probabilities from observed attempts and
 * successes per type: p = successes / attempts.  Types without attempts
 * keep their value in s.  Counts must satisfy 0 <= successes <= attempts. */
zs_status zs_signing_calibrate(zs_signing *s, const double attempts[ZS_PT_COUNT],
                               const double successes[ZS_PT_COUNT], zs_err *err);

/* The same for attempts made outside working hours: sets p_success_off of
 * the types with attempts. */
zs_status zs_signing_calibrate_off_hours(zs_signing *s, const double attempts[ZS_PT_COUNT],
                                         const double successes[ZS_PT_COUNT], zs_err *err);

#endif
