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

#include "status.h"

typedef struct {
    double stops_per_hour; /* planning rate for the capacity rule */
    double speed_kmh;      /* mean travel speed on roads */
    double circuity;       /* road distance / straight-line distance, >= 1 */
    double stop_min;       /* fixed minutes per stop */
    double parcel_min;     /* extra minutes per parcel */
} zs_efficiency;

/* 3.5 stops/h (DESIGN.md); 18 km/h for an electric tricycle in city
 * traffic; circuity 1.3; 8 min a stop and 1.5 min a parcel. */
void zs_efficiency_defaults(zs_efficiency *e);

/* Checks every field's range, naming field and value in err. */
zs_status zs_efficiency_validate(const zs_efficiency *e, zs_err *err);

/* Minutes to drive a straight-line tour length of dist_m metres. */
double zs_efficiency_travel_min(const zs_efficiency *e, double dist_m);

/* Minutes spent at stops: stops * stop_min + parcels * parcel_min. */
double zs_efficiency_service_min(const zs_efficiency *e, double stops, double parcels);

#endif
