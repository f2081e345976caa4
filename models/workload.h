/*
 * models/workload.h -- the workload index of a delivery point.
 *
 * Expected courier minutes a point costs on an average day from everything
 * but driving: the chance it needs a stop at all, the stop and access
 * minutes, the parcels handed over, the wait for a signature and the phone
 * call after a failed attempt.  Balanced zoning methods equalise the sum of
 * this index over each zone (DESIGN.md: workload is not distance alone).
 * Redeliveries of failed parcels are not included (they add roughly
 * (1 - p_success) times the parcel minutes again).  Pickup requests add
 * their service minutes (zs_workload_add_pickups).
 */
#ifndef ZS_MODELS_WORKLOAD_H
#define ZS_MODELS_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "models/efficiency.h"
#include "models/signing.h"
#include "models/status.h"
#include "models/waiting.h"

/* For n points of the given types and mean parcels per average day, writes
 * the expected minutes per day into minutes[0..n).  nb_size as in the
 * demand model (0 = Poisson) sets the chance of a day without parcels.
 * signing or waiting NULL: every attempt signs / no waiting. */
void zs_workload_index(size_t n, const uint8_t *type, const double *mean_parcels,
                       double nb_size, const zs_efficiency *eff, const zs_signing *signing,
                       const zs_waiting *waiting, double *minutes);

/* The chance that each of n points needs a stop on an average day (at
 * least one parcel), as zs_workload_index uses it: p[0..n). */
void zs_workload_stop_chance(size_t n, const double *mean_parcels, double nb_size, double *p);

/* Adds the expected minutes of pickup requests: rate[type] requests a day
 * (demand.pickups_per_day) times pickup_min each; the driving of the
 * pickup round is left out, as deliveries' driving is.  Points whose type
 * has rate 0 are not touched. */
void zs_workload_add_pickups(size_t n, const uint8_t *type, const double *rate,
                             double pickup_min, double *minutes);

#endif
