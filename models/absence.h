/*
 * models/absence.h -- couriers absent from work (sickness, leave, peak-season
 * shortages).
 *
 * Each zone of a plan has one courier.  On every simulated day each courier
 * is absent independently with probability rate (the daily absence rate).
 * Dated disruptions of type absence add a number of couriers, or a share of
 * the plan's couriers, who are absent on those days (a flu wave, couriers
 * lent to another station during a peak).
 *
 * One uniform u_z per zone and day, keyed (master, rep, day, zone,
 * ZS_PURPOSE_ABSENCE), decides who: the absent couriers are the A zones with
 * the smallest u_z, where A = max(#{u_z < rate}, forced) and forced is the
 * dated count.  So the daily rate and a dated count agree with each other
 * (a day with forced couriers absent also has every courier the rate made
 * absent, when there are more of those), and two plans with the same
 * number of zones see the same absences on the same day (common random
 * numbers).  At least one courier always works: A <= k - 1.
 *
 * What happens to an absent courier's stops is the simulation's business
 * (engine/sim.h: the nearest present colleague's zone takes them).
 */
#ifndef ZS_MODELS_ABSENCE_H
#define ZS_MODELS_ABSENCE_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "models/status.h"

typedef struct {
    double rate;   /* daily probability that a courier is absent, in [0, 1] */
} zs_absence;

/* rate 0: nobody is ever absent unless a dated disruption says so. */
void zs_absence_defaults(zs_absence *a);

/* rate in [0, 1]; the message names field and value
 * ("absence.rate = 1.5; must be in [0, 1]"). */
zs_status zs_absence_validate(const zs_absence *a, zs_err *err);

/* Couriers a dated disruption takes out of k: couriers + share x k rounded
 * to the nearest integer (halves up).  Not capped (the draw caps at k - 1). */
double zs_absence_forced(double couriers, double share, size_t k);

/* Marks the absent couriers of one day among k zones: absent[z] = 1 or 0.
 * forced is the dated count (zs_absence_forced; 0 = none).  Draws one
 * uniform per zone from r, rekeyed per zone as described above, into u[k];
 * tmp[k] is scratch.  When rate is 0 and forced is 0 nothing is drawn and
 * nobody is absent.  Returns the number absent (<= k - 1; 0 when k <= 1). */
size_t zs_absence_draw_day(const zs_absence *a, double forced, uint64_t master, uint64_t rep,
                           uint64_t day, size_t k, gsl_rng *r, double *u, double *tmp,
                           uint8_t *absent);

/* Maximum-likelihood rate from a roster history: absent_days courier-days
 * absent out of courier_days scheduled (0 <= absent_days <= courier_days,
 * courier_days > 0). */
zs_status zs_absence_calibrate(zs_absence *a, double courier_days, double absent_days,
                               zs_err *err);

#endif
