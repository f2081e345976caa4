/*
 * models/waiting.h -- waiting at a stop for the customer to sign.
 *
 * The time from arrival to signature (finding the customer, inspection,
 * cash on delivery, receipt signatures, company intake checks needing
 * several signatures) is lognormal per point type, given by its mean and
 * coefficient of variation: sigma^2 = ln(1 + cv^2), mu = ln(mean) -
 * sigma^2 / 2.  Offices and factories wait longest (DESIGN.md).  Draws use
 * the stop's keyed stream (purpose ZS_PURPOSE_WAITING).
 */
#ifndef ZS_MODELS_WAITING_H
#define ZS_MODELS_WAITING_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "models/ptype.h"
#include "models/status.h"

typedef struct {
    double mean_min[ZS_PT_COUNT]; /* mean minutes from arrival to signature */
    double cv[ZS_PT_COUNT];       /* coefficient of variation (sd / mean) */
} zs_waiting;

/* Means (min): residential 2, office 4, school 3, hospital 3, factory 6,
 * village 2, institution 5, military 8, shop 1.5, other 2, locker and
 * pickup station 0 (no signing wait); cv 0.8 except factory and military
 * 1.0 (and 0 where the mean is 0). */
void zs_waiting_defaults(zs_waiting *w);

/* mean_min >= 0, cv >= 0 (cv 0: always the mean). */
zs_status zs_waiting_validate(const zs_waiting *w, zs_err *err);

/* One waiting time in minutes at a point of the given type (one lognormal
 * draw from r; 0 when the mean is 0). */
double zs_waiting_draw(const zs_waiting *w, int type, gsl_rng *r);

/* Method-of-moments fit from n observed waits per type: mean and cv of the
 * sample (types with fewer than 2 observations keep their values).
 * Observations must be finite and >= 0. */
zs_status zs_waiting_calibrate(zs_waiting *w, const double *wait_min, const int *type, size_t n,
                               zs_err *err);

#endif
