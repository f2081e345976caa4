/*
 * models/demand.h -- parcels per delivery point and day.
 *
 * Each point has a mean number of parcels on an average day.  A day's
 * factor scales it: weekday (Mon..Sun), month (seasons) and dated events
 * (a Double-11 peak at several times normal volume for a few days; factors
 * of overlapping events multiply).  The day's parcels are Poisson with that
 * mean, or negative binomial when nb_size k > 0 (a gamma-Poisson mixture:
 * variance = mean + mean^2 / k), as real parcel counts are overdispersed.
 * Every point's draw uses its own key (master, rep, day, point,
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

/* A dated change of volume: days [first_day, first_day + days). */
typedef struct {
    int64_t first_day;        /* days since 1970-01-01 */
    int days;                 /* >= 1 */
    double factor;            /* >= 0 */
} zs_demand_event;

#define ZS_DEMAND_MAX_EVENTS 64

typedef struct {
    double weekday_factor[7]; /* Monday first; each >= 0 */
    double month_factor[12];  /* January first; each >= 0 */
    double nb_size;           /* negative binomial size k; 0 = Poisson */
    size_t n_events;
    zs_demand_event events[ZS_DEMAND_MAX_EVENTS];
} zs_demand_opts;

typedef struct {
    size_t n_points;
    double *mean;             /* mean parcels per average day, per point */
    double weekday_factor[7];
    double month_factor[12];
    double nb_size;
    size_t n_events;
    zs_demand_event events[ZS_DEMAND_MAX_EVENTS];
} zs_demand;

/* Every factor 1, Poisson, no events. */
void zs_demand_opts_defaults(zs_demand_opts *o);

/* Validates o, naming the field and value in err. */
zs_status zs_demand_opts_validate(const zs_demand_opts *o, zs_err *err);

/* Copies mean[0..n).  Means must be finite and >= 0.  opts NULL = defaults.
 * Returns NULL with err set on failure. */
zs_demand *zs_demand_create(size_t n, const double *mean, const zs_demand_opts *opts,
                            zs_err *err);
void zs_demand_free(zs_demand *d);

/* Draws the parcels of every point on one day into parcels[0..n).  day is
 * the simulated day index (part of the key), weekday 0..6 its weekday; the
 * month and event factors are not applied (see zs_demand_draw_scaled). */
void zs_demand_draw_day(const zs_demand *d, uint64_t master, uint64_t rep,
                        uint64_t day, int weekday, gsl_rng *r, uint32_t *parcels);

/* Factor of a calendar day: weekday x month x every event covering it. */
double zs_demand_factor(const zs_demand *d, int64_t day_number);

/* Draws one day's parcels with every point's mean times factor. */
void zs_demand_draw_scaled(const zs_demand *d, uint64_t master, uint64_t rep, uint64_t day,
                           double factor, gsl_rng *r, uint32_t *parcels);

/* Expected number of points with at least one parcel on a weekday:
 * sum_i 1 - exp(-mean_i * factor). */
double zs_demand_expected_stops(const zs_demand *d, int weekday);

/* The same averaged over the seven weekdays. */
double zs_demand_expected_stops_week(const zs_demand *d);

#endif
