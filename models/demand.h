/*
 * models/demand.h -- parcels per delivery point and day.
 *
 * Version 0 of the demand model: each point has a mean number of parcels on
 * an average day; a weekday factor scales it (Mon..Sun, mean 1 by
 * convention but not required), and the day's parcels are Poisson with that
 * mean.  Every point's draw uses its own key (master, rep, day, point,
 * ZS_PURPOSE_DEMAND), so the demand seen by every plan is identical.
 *
 * The object owns a copy of the means; it is read-only after creation and
 * may be shared by threads.
 */
#ifndef ZS_MODELS_DEMAND_H
#define ZS_MODELS_DEMAND_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "status.h"

typedef struct {
    double weekday_factor[7]; /* Monday first; each >= 0 */
} zs_demand_opts;

typedef struct {
    size_t n_points;
    double *mean;             /* mean parcels per average day, per point */
    double weekday_factor[7];
} zs_demand;

/* Every weekday factor 1. */
void zs_demand_opts_defaults(zs_demand_opts *o);

/* Validates o, naming the field and value in err. */
zs_status zs_demand_opts_validate(const zs_demand_opts *o, zs_err *err);

/* Copies mean[0..n).  Means must be finite and >= 0.  opts NULL = defaults.
 * Returns NULL with err set on failure. */
zs_demand *zs_demand_create(size_t n, const double *mean, const zs_demand_opts *opts,
                            zs_err *err);
void zs_demand_free(zs_demand *d);

/* Draws the parcels of every point on one day into parcels[0..n).  day is
 * the simulated day index (part of the key), weekday 0..6 its weekday. */
void zs_demand_draw_day(const zs_demand *d, uint64_t master, uint64_t rep,
                        uint64_t day, int weekday, gsl_rng *r, uint32_t *parcels);

/* Expected number of points with at least one parcel on a weekday:
 * sum_i 1 - exp(-mean_i * factor). */
double zs_demand_expected_stops(const zs_demand *d, int weekday);

/* The same averaged over the seven weekdays. */
double zs_demand_expected_stops_week(const zs_demand *d);

#endif
