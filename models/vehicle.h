/*
 * models/vehicle.h -- what couriers drive: speed and carrying capacity.
 *
 * A station's fleet has four kinds of vehicle: delivery van, electric
 * tricycle (the usual Chinese courier vehicle), e-bike (electric two-wheeler)
 * and on foot (with a trolley).  Each has a mean travel speed, a day-to-day
 * variation of that speed (traffic, weather, the vehicle's state: a mean-1
 * lognormal factor with coefficient of variation speed_cv, drawn once per
 * zone-day from the key (master, rep, day, zone, ZS_PURPOSE_SPEED)), and a
 * capacity in parcels.  A courier leaves the station with a full load;
 * when the next stop needs more parcels than are left on board, the
 * courier drives back to the station, spends reload_min loading, and goes
 * on (zs_vehicle_reloads).
 *
 * Without a vehicle (ZS_VEH_NONE, the default) the efficiency model's
 * speed_kmh applies with no speed draw and no capacity limit, which is how
 * zonesim behaved before vehicles existed.
 */
#ifndef ZS_MODELS_VEHICLE_H
#define ZS_MODELS_VEHICLE_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "models/status.h"

typedef enum {
    ZS_VEH_INHERIT = -2, /* a plan's choice: the station's vehicle.type */
    ZS_VEH_NONE = -1,    /* efficiency.speed_kmh, unlimited capacity */
    ZS_VEH_VAN = 0,
    ZS_VEH_TRICYCLE,
    ZS_VEH_EBIKE,
    ZS_VEH_FOOT,
    ZS_VEH_COUNT
} zs_vehicle_kind;

typedef struct {
    double speed_kmh;  /* mean travel speed on roads, > 0 */
    double speed_cv;   /* day-to-day cv of the speed, >= 0 (0 = fixed) */
    double capacity;   /* parcels one load holds, >= 1 */
} zs_vehicle;

typedef struct {
    zs_vehicle kind[ZS_VEH_COUNT];
    double reload_min; /* minutes at the station for each reload, >= 0 */
} zs_fleet;

/* van 20 km/h cv 0.2, 300 parcels (city traffic and parking);
 * electric tricycle 18 km/h cv 0.1, 150 parcels (the efficiency model's
 * default speed); e-bike 20 km/h cv 0.1, 40 parcels; on foot 4.5 km/h
 * cv 0.05, 12 parcels; 10 minutes a reload. */
void zs_fleet_defaults(zs_fleet *f);

/* Checks every field, naming it: "vehicle.foot.capacity = 0.5; must be >= 1". */
zs_status zs_fleet_validate(const zs_fleet *f, zs_err *err);

/* "van", "tricycle", "ebike", "foot"; "none" for ZS_VEH_NONE; "?" otherwise. */
const char *zs_vehicle_name(int kind);

/* Kind of a name ("none" included); ZS_VEH_INHERIT when unknown. */
int zs_vehicle_parse(const char *name);

/* Today's speed in km/h: speed_kmh times a mean-1 lognormal factor with cv
 * speed_cv (one normal draw from r, always made; the caller sets the key). */
double zs_vehicle_draw_speed(const zs_vehicle *v, gsl_rng *r);

/* Reloads needed to hand over due parcels at a stop when *load are on
 * board: 0 when due <= *load; otherwise ceil(due / capacity) (the first on
 * the way to the stop, the others as round trips between stop and
 * station).  Updates *load to what is left on board afterwards. */
double zs_vehicle_reloads(const zs_vehicle *v, double due, double *load);

/* Method-of-moments fit of speed_kmh and speed_cv from n >= 2 observed
 * daily mean speeds (finite, > 0), e.g. from couriers' GPS tracks.  v
 * keeps its capacity. */
zs_status zs_vehicle_calibrate_speed(zs_vehicle *v, const double *speed_kmh, size_t n,
                                     zs_err *err);

#endif
