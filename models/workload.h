/*
 * models/workload.h -- the workload index of a delivery point.
 *
 * Expected courier minutes a point costs on an average day from everything
 * but driving: the chance it needs a stop at all, the stop and access
 * minutes, the parcels handed over, the wait for a signature and the phone
 * call after a failed attempt.  Balanced zoning methods equalise the sum of
 * this index over each zone (DESIGN.md: workload is not distance alone).
 * Redeliveries of failed parcels are not included (they add roughly
 * (1 - p_success) times the parcel minutes again).
 */
#ifndef ZS_MODELS_WORKLOAD_H
#define ZS_MODELS_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "efficiency.h"
#include "signing.h"
#include "status.h"
#include "waiting.h"

/* For n points of the given types and mean parcels per average day, writes
 * the expected minutes per day into minutes[0..n).  nb_size as in the
 * demand model (0 = Poisson) sets the chance of a day without parcels.
 * signing or waiting NULL: every attempt signs / no waiting. */
void zs_workload_index(size_t n, const uint8_t *type, const double *mean_parcels,
                       double nb_size, const zs_efficiency *eff, const zs_signing *signing,
                       const zs_waiting *waiting, double *minutes);

#endif
