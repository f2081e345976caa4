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
 * Pickup requests (parcels customers send) are a second, independent
 * demand: each point has a mean number of requests on an average day
 * (pickup_mean; by default the per-type rate pickup_rate[type], 0 for
 * every type), scaled by the same day factor and drawn with the same
 * overdispersion from the key (master, rep, day, point, ZS_PURPOSE_PICKUP).
 * Each request is released (the customer books it) at a time uniform over
 * a window of the day, so the releases of a point form a Poisson process
 * when nb_size is 0; the window is the engine's business (engine/sim.h).
 *
 * The object owns a copy of the means; it is read-only after creation and
 * may be shared by threads.
 */
#ifndef ZS_MODELS_DEMAND_H
#define ZS_MODELS_DEMAND_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "models/ptype.h"
#include "models/status.h"

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
    /* Pickup requests (scenario keys demand.pickups_per_day.<type>,
     * demand.pickup_release_end, demand.pickup_promise_h): */
    double pickup_rate[ZS_PT_COUNT]; /* requests per point and average day, by type; >= 0 */
    double pickup_release_end_h;     /* latest release, hours after midnight (16:00) */
    double pickup_promise_h;         /* collect within this after release; 0 = by the
                                        end of the regular shift */
} zs_demand_opts;

typedef struct {
    size_t n_points;
    double *mean;             /* mean parcels per average day, per point */
    double weekday_factor[7];
    double month_factor[12];
    double nb_size;
    size_t n_events;
    zs_demand_event events[ZS_DEMAND_MAX_EVENTS];
    double *pickup_mean;      /* per point: pickup requests per average day, or NULL
                                 when no point has any */
} zs_demand;

/* Every factor 1, Poisson, no events, no pickups (release end 16:00,
 * promise: end of shift). */
void zs_demand_opts_defaults(zs_demand_opts *o);

/* Validates o, naming the field and value in err. */
zs_status zs_demand_opts_validate(const zs_demand_opts *o, zs_err *err);

/* Copies mean[0..n).  Means must be finite and >= 0.  opts NULL = defaults.
 * Returns NULL with err set on failure. */
zs_demand *zs_demand_create(size_t n, const double *mean, const zs_demand_opts *opts,
                            zs_err *err);
void zs_demand_free(zs_demand *d);

/* Gives d per-point pickup means mean[0..d->n_points) (copied; each finite
 * and >= 0).  When every mean is 0 nothing is stored and d draws no
 * pickups.  ZS_EINVAL naming the point, or ZS_ENOMEM. */
zs_status zs_demand_set_pickups(zs_demand *d, const double *mean, zs_err *err);

/* Per-point pickup means from per-type rates: out[i] = rate[type[i]]. */
void zs_demand_pickup_means(size_t n, const uint8_t *type, const double rate[ZS_PT_COUNT],
                            double *out);

/* Draws the number of pickup requests of point on one day (mean
 * pickup_mean[point] x factor; Poisson or negative binomial as parcels)
 * after re-keying r to (master, rep, day, point, ZS_PURPOSE_PICKUP).  The
 * caller then draws the requests' release times as the next uniforms of r
 * (zs_demand_draw_release), so they too depend on the key only.  0 when d
 * has no pickups. */
uint32_t zs_demand_draw_pickups(const zs_demand *d, uint64_t master, uint64_t rep,
                                uint64_t day, size_t point, double factor, gsl_rng *r);

/* One release time uniform on [from, to) (any unit) from r. */
double zs_demand_draw_release(gsl_rng *r, double from, double to);

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

/* ---- calibration from history (station practice, DESIGN.md) ---------- */

typedef struct {
    const int64_t *exclude_days; /* holidays and long breaks (borrowed), or NULL */
    size_t n_exclude;
    double outlier_mad;  /* drop days whose total is more than this many scaled
                            MADs from their weekday's median; default 3 */
    double mode_gap;     /* a weekday whose mean volume is more than this share
                            below its mode's heaviest weekday starts a new
                            mode; default 0.15 */
    const double *pickups; /* pickup requests of each record (borrowed, parallel
                              to parcels), or NULL: no pickups in the history */
} zs_demand_calibrate_opts;

typedef struct {
    size_t n_points;
    double *mean;               /* per point: mean parcels on an average day */
    double weekday_factor[7];   /* weekday mean / mean of the 7 weekday means */
    double nb_size;             /* pooled method-of-moments k; 0 = not overdispersed */
    double weekday_mean[7];     /* mean daily total per weekday over kept days */
    int64_t representative[7];  /* kept day closest to its weekday's mean; -1 if none */
    int mode_of_weekday[7];     /* operating mode per weekday, 0 = heaviest */
    int n_modes;
    size_t days_seen, days_excluded, days_outlier, days_used;
    double *pickup_mean;        /* per point: pickup requests on an average day
                                   (pickups / weekday factor over the kept days);
                                   NULL when opts.pickups was NULL */
} zs_demand_fit;

/* 3 MADs, 15% gap, nothing excluded. */
void zs_demand_calibrate_opts_defaults(zs_demand_calibrate_opts *o);

/* Fits demand from n_obs records (day, point index, parcels) of a history:
 * days in exclude_days are dropped; every other day that has a record is
 * a day of history (points without a record that day had 0 parcels); per
 * weekday, days whose total lies more than outlier_mad x 1.4826 x MAD from
 * the weekday's median are dropped (if the MAD is 0, days more than 50%
 * away from the median); weekday means are taken over the kept days, the
 * representative day is the kept day closest to its weekday's mean, and
 * weekdays are grouped into operating modes by volume (sorted descending,
 * a new mode where the drop from the mode's heaviest day exceeds
 * mode_gap).  Records of the same point and day add up.  Point means are
 * the means of parcels / weekday factor over
 * kept days.  Pickup means (opts.pickups) are fitted the same way, over
 * the same kept days and with the parcels' weekday factors, as the
 * simulation scales both by one day factor.  Every weekday needs at least
 * one kept day.  Errors name the record index. */
zs_status zs_demand_calibrate(size_t n_points, const int64_t *day, const int32_t *point,
                              const double *parcels, size_t n_obs,
                              const zs_demand_calibrate_opts *opts, zs_demand_fit **out,
                              zs_err *err);
void zs_demand_fit_free(zs_demand_fit *f);

/* Per-type pickup rates from per-point means: rate[t] = mean of mean[i]
 * over the points of type t (0 for a type with no points); has[t] (may be
 * NULL) gets 1 where type t has points. */
void zs_demand_pickup_rates(size_t n, const uint8_t *type, const double *mean,
                            double rate[ZS_PT_COUNT], int has[ZS_PT_COUNT]);

#endif
