/*
 * models/efficiency.h -- how fast a courier works.
 *
 * Version 0: a deterministic courier.  Travel is the tour length in the
 * plane times a circuity factor (road distance / straight line; 1.2-1.4 in
 * cities) at a mean speed; each stop costs a fixed time (park, walk, find
 * the customer) plus a time per parcel (hand over, scan).  stops_per_hour is
 * the planning figure used by the capacity rule (DESIGN.md: about 3.5).
 */
#ifndef ZS_MODELS_EFFICIENCY_H
#define ZS_MODELS_EFFICIENCY_H

#include "models/status.h"

#include <gsl/gsl_rng.h>

#include "models/ptype.h"

typedef struct {
    double stops_per_hour; /* planning rate for the capacity rule */
    double speed_kmh;      /* mean travel speed on roads (a vehicle's own speed,
                              models/vehicle.h, replaces it when one is chosen) */
    double circuity;       /* road distance / straight-line distance, >= 1 */
    double stop_min;       /* fixed minutes per stop */
    double parcel_min;     /* extra minutes per parcel */
    double access_min[ZS_PT_COUNT]; /* extra minutes per stop by point type: estates
                                       that bar vehicles, stairs, gate checks */
    double courier_cv;     /* day-to-day variation of a courier's pace (cv of a
                              mean-1 lognormal factor on all minutes); 0 = none */
    double bulk_parcel_min; /* addition (issue 19): minutes per parcel at a bulk
                               drop point (zs_ptype_bulk_drop: locker,
                               pickup station) in place of parcel_min */
} zs_efficiency;

/* 3.5 stops/h (DESIGN.md); 18 km/h for an electric tricycle in city
 * traffic; circuity 1.3; 8 min a stop and 1.5 min a parcel; access
 * minutes residential 2, office 1, school 2, hospital 1, factory 1,
 * village 0, institution 1, military 3, shop 0, other 0, locker 0, pickup
 * station 0; courier cv 0.1; 0.25 min a parcel at a locker or pickup
 * station (scan into a compartment, or one batch handed over and scanned
 * by the station: a fifth of handing a parcel to its customer). */
void zs_efficiency_defaults(zs_efficiency *e);

/* Checks every field's range, naming field and value in err. */
zs_status zs_efficiency_validate(const zs_efficiency *e, zs_err *err);

/* Minutes to drive a straight-line tour length of dist_m metres. */
double zs_efficiency_travel_min(const zs_efficiency *e, double dist_m);

/* Addition (issue 19): minutes per parcel at a point of type t:
 * bulk_parcel_min for the bulk drop types, else parcel_min. */
double zs_efficiency_parcel_min(const zs_efficiency *e, int t);

/* Addition (issue 19): minutes at one stop of type t where parcels are
 * handed over: stop_min + parcels * zs_efficiency_parcel_min(e, t) (the
 * same arithmetic as zs_efficiency_service_min(e, 1, parcels) for the
 * other types, so their results do not move). */
double zs_efficiency_stop_min(const zs_efficiency *e, int t, double parcels);

/* Minutes spent at stops: stops * stop_min + parcels * parcel_min. */
double zs_efficiency_service_min(const zs_efficiency *e, double stops, double parcels);

/* A courier's pace factor for one day (mean 1, cv courier_cv; one normal
 * draw from r, whose key the caller sets); 1 when courier_cv is 0. */
double zs_efficiency_draw_pace(const zs_efficiency *e, gsl_rng *r);

#endif
