/*
 * models/workload.h -- the workload index of a delivery point.
 *
 * Expected courier minutes a point costs on an average day from everything
 * but driving: the chance it needs a stop at all, the stop and access
 * minutes, the parcels handed over, the wait for a signature and the phone
 * call after a failed attempt.  Balanced zoning methods equalise the sum of
 * this index over each zone (DESIGN.md: workload is not distance alone).
 * Redeliveries are included in steady state, as the simulation makes them:
 * an attempt nobody signs for carries its parcels to the next day with
 * chance c = (1 - p_success)(1 - p_locker - p_refuse), so a point needs a
 * stop on a day with chance pi = p_stop / (1 - (1 - p_stop) c) (new parcels
 * or yesterday's), and a parcel is handed over at the door with chance
 * p_success / (1 - c).  On the demo city this lowers the spread of the
 * simulated door minutes over this index across a plan's zones from 2.2%
 * to 0.9% (coefficient of variation; territory plan).  Pickup requests add
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

/* The chance that each of n points needs a stop on an average day (new
 * parcels, or parcels carried from yesterday's failed attempt), as
 * zs_workload_index uses it: p[0..n).  signing NULL: every attempt signs,
 * nothing is carried. */
void zs_workload_stop_chance(size_t n, const uint8_t *type, const double *mean_parcels,
                             double nb_size, const zs_signing *signing, double *p);

/* Adds the expected minutes of pickup requests: rate[type] requests a day
 * (demand.pickups_per_day) times pickup_min each; the driving of the
 * pickup round is left out, as deliveries' driving is.  Points whose type
 * has rate 0 are not touched. */
void zs_workload_add_pickups(size_t n, const uint8_t *type, const double *rate,
                             double pickup_min, double *minutes);

#endif
