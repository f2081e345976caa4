#include "pipeline/scenario.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "models/alloc.h"
#include "models/ptype.h"
#include "results/h5out.h"

/* ---- the key table --------------------------------------------------- */

typedef enum {
    K_SECTION,  /* a nested mapping; offset (if not NO_OFF) is an int set to 1 */
    K_PLANS,    /* the plans sequence */
    K_DOUBLE, K_SIZE, K_INT, K_U64, K_BOOL,
    K_STR,      /* owned char * */
    K_PATH,     /* owned char *, resolved against the scenario's directory */
    K_CHAR,     /* CSV delimiter */
    K_TIME,     /* "HH:MM" -> hours (double) */
    K_DATE,     /* "YYYY-MM-DD" -> zs_date */
    K_WEEK7,    /* 7 numbers -> double[7] */
    K_MONTH12,  /* 12 numbers -> double[12] */
    K_EVENTS,   /* the demand.events list */
    K_DISRUPT,  /* the disruptions list */
    K_ROADS,    /* the roads list (areas of slower roads) */
    K_ROUTE,    /* daily | fixed -> int */
    K_DKIND,    /* weather | traffic | scan_delay -> zs_disruption_kind */
    K_XY,       /* 2 numbers -> double[2] */
    K_PTYPE,    /* point type name -> int */
    K_COORDS,   /* metres | lonlat -> int */
    K_KAUTO,    /* "auto" (0) or an integer -> size_t */
    K_METHOD,   /* kmeans | manual -> zs_plan_method */
    K_VEHICLE,  /* none | van | tricycle | ebike | foot -> zs_vehicle_kind */
    K_PSAME     /* a probability, or "same" (ZS_SIGNING_SAME) */
} ktype;

#define NO_OFF ((size_t)-1)
#define SC(f) offsetof(zs_scenario, f)
#define PL(f) offsetof(zs_plan_spec, f)
#define INF HUGE_VAL

typedef struct {
    const char *section; /* "" = top level; "plans[]" = each plan entry */
    const char *key;
    ktype type;
    size_t offset;       /* into zs_scenario, or zs_plan_spec under plans[] */
    double min, max;     /* inclusive range of numbers (and of list items) */
    const char *unit;
    const char *help;
} keydef;

/* Records that list entries (demand.events[], disruptions[]) are parsed
 * into with the same table and walker as everything else; the list
 * parsers then check and copy them. */
typedef struct {
    char *name;
    zs_date start;
    int days;
    double factor;
} event_rec;

typedef struct {
    zs_disruption_kind kind;
    zs_date start;
    int days;
    double travel_factor, delay_min;
    double couriers, share;
} disruption_rec;

typedef struct {
    char *name;
    double west, east, south, north, factor;
} road_rec;

static const keydef keys[] = {
    {"", "name", K_STR, SC(name), 0, 0, "", "Scenario name, shown by inspect."},
    {"", "points", K_SECTION, SC(points_at), 0, 0, "", "Where the delivery points come from (required)."},
    {"", "depot", K_XY, SC(depot), -INF, INF, "m or deg", "Station location [x, y] in metres, or [lon, lat] when points.coords is lonlat. Default: the generator's station, else the points' centroid."},
    {"", "shift", K_SECTION, NO_OFF, 0, 0, "", "The courier's working day."},
    {"", "efficiency", K_SECTION, NO_OFF, 0, 0, "", "How fast couriers work (models/efficiency.h)."},
    {"", "vehicle", K_SECTION, NO_OFF, 0, 0, "", "What couriers drive: speed and capacity per vehicle kind (models/vehicle.h)."},
    {"", "absence", K_SECTION, NO_OFF, 0, 0, "", "Couriers absent from work (models/absence.h)."},
    {"", "roads", K_ROADS, NO_OFF, 0, 0, "", "Areas of slower roads: a list of {name, west, east, south, north, factor}; travel minutes into points inside are multiplied by factor."},
    {"roads[]", "name", K_STR, offsetof(road_rec, name), 0, 0, "", "What the area is (e.g. old town); for the reader."},
    {"roads[]", "west", K_DOUBLE, offsetof(road_rec, west), -1e7, 1e7, "m or deg", "Western edge (x or longitude); absent: unbounded."},
    {"roads[]", "east", K_DOUBLE, offsetof(road_rec, east), -1e7, 1e7, "m or deg", "Eastern edge; absent: unbounded."},
    {"roads[]", "south", K_DOUBLE, offsetof(road_rec, south), -1e7, 1e7, "m or deg", "Southern edge (y or latitude); absent: unbounded."},
    {"roads[]", "north", K_DOUBLE, offsetof(road_rec, north), -1e7, 1e7, "m or deg", "Northern edge; absent: unbounded."},
    {"roads[]", "factor", K_DOUBLE, offsetof(road_rec, factor), 1, 100, "", "Travel-time factor inside (>= 1; overlapping areas and the points' road column multiply)."},
    {"", "demand", K_SECTION, NO_OFF, 0, 0, "", "Parcel demand (models/demand.h)."},
    {"", "plans", K_PLANS, NO_OFF, 0, 0, "", "Zone plans to evaluate side by side (default: one k-means plan at the capacity-rule k)."},
    {"", "models", K_SECTION, NO_OFF, 0, 0, "", "Signing and waiting models per point type (models/signing.h, models/waiting.h)."},
    {"", "disruptions", K_DISRUPT, NO_OFF, 0, 0, "", "Dated disruptions: a list of {type: weather|traffic|scan_delay|absence, start, days, travel_factor | delay_min | couriers, share}."},
    {"disruptions[]", "type", K_DKIND, offsetof(disruption_rec, kind), 0, 0, "", "weather or traffic (slower travel), scan_delay (a late morning scan), or absence (couriers off work)."},
    {"disruptions[]", "start", K_DATE, offsetof(disruption_rec, start), 0, 0, "YYYY-MM-DD", "First day."},
    {"disruptions[]", "days", K_INT, offsetof(disruption_rec, days), 1, 366, "days", "Length."},
    {"disruptions[]", "travel_factor", K_DOUBLE, offsetof(disruption_rec, travel_factor), 1, 10, "", "weather, traffic: travel minutes are multiplied by this."},
    {"disruptions[]", "delay_min", K_DOUBLE, offsetof(disruption_rec, delay_min), 0, 600, "min", "scan_delay: minutes the morning scan is late."},
    {"disruptions[]", "couriers", K_DOUBLE, offsetof(disruption_rec, couriers), 0, 1e6, "couriers", "absence: couriers absent each of those days (at least one courier always works)."},
    {"disruptions[]", "share", K_DOUBLE, offsetof(disruption_rec, share), 0, 1, "", "absence: share of each plan's couriers absent (rounded to whole couriers; adds to couriers)."},
    {"", "simulation", K_SECTION, NO_OFF, 0, 0, "", "Monte Carlo size and seed."},
    {"", "output", K_STR, SC(output), 0, 0, "", "Results file (HDF5), relative to the working directory; `run --output` overrides it."},
    {"", "staffing", K_SECTION, SC(staffing_at), 0, 0, "", "Couriers per day type, a weekly roster (GLPK) and nested light-day zones, computed after the simulation for every plan (engine/staffing.h)."},
    {"", "study", K_SECTION, NO_OFF, 0, 0, "", "Method comparison (`zonesim compare`): the plans over several seeds and instances."},
    {"study", "seeds", K_SIZE, SC(study_seeds), 1, 100000, "", "Runs of each computed plan, with seeds plans[].seed, +1, ...; mean and spread are over them."},
    {"study", "instances", K_SIZE, SC(study_instances), 1, 100000, "", "Generated instances: points.generate.seed, +1, ... (1 for a points file)."},
    {"study", "output", K_STR, SC(study_output), 0, 0, "", "Comparison file (HDF5, group /compare); the CSV tables go beside it. Default: output with -compare.h5."},

    {"points", "file", K_PATH, SC(points_file), 0, 0, "", "CSV file of points with a header row (relative to the scenario file)."},
    {"points", "coords", K_COORDS, SC(lonlat), 0, 0, "", "metres (x, y planar) or lonlat (x = longitude, y = latitude, degrees)."},
    {"points", "delimiter", K_CHAR, SC(delimiter), 0, 0, "", "Field separator: \",\", \";\", \"tab\" or \"whitespace\"."},
    {"points", "default_parcels", K_DOUBLE, SC(default_parcels), 0, 1e6, "parcels/day", "Mean daily parcels of a point when the file has no parcels column."},
    {"points", "default_type", K_PTYPE, SC(default_type), 0, 0, "", "Type of a point when the file has no type column."},
    {"points", "columns", K_SECTION, NO_OFF, 0, 0, "", "Header names of the CSV columns (a planner's file keeps its own names)."},
    {"points", "filter", K_SECTION, NO_OFF, 0, 0, "", "Keep only the rows of one group of a larger file (e.g. one region)."},
    {"points", "generate", K_SECTION, SC(points_generated), 0, 0, "", "Generate a synthetic city instead of reading a file (engine/citygen.h)."},

    {"points.filter", "column", K_STR, SC(filter_col), 0, 0, "", "Column to test."},
    {"points.filter", "equals", K_STR, SC(filter_value), 0, 0, "", "Value a row must have in that column to be kept."},

    {"points.columns", "id", K_STR, SC(col_id), 0, 0, "", "Point identifier column (absent: row numbers)."},
    {"points.columns", "x", K_STR, SC(col_x), 0, 0, "", "Easting in metres, or longitude."},
    {"points.columns", "y", K_STR, SC(col_y), 0, 0, "", "Northing in metres, or latitude."},
    {"points.columns", "type", K_STR, SC(col_type), 0, 0, "", "Point type column (absent: default_type)."},
    {"points.columns", "parcels", K_STR, SC(col_parcels), 0, 0, "", "Mean daily parcels column (absent: default_parcels)."},
    {"points.columns", "zone", K_STR, SC(col_zone), 0, 0, "", "A planner's zone label per point (e.g. LaDe courier_id), usable by a manual plan."},
    {"points.columns", "road", K_STR, SC(col_road), 0, 0, "", "Road-condition factor per point (>= 1; travel minutes into the point are multiplied by it); absent: 1."},

    {"points.generate", "seed", K_U64, SC(gen.seed), 0, 0, "", "Generator seed."},
    {"points.generate", "n_points", K_SIZE, SC(gen.n_points), 1, 1e8, "", "Number of delivery points."},
    {"points.generate", "width_km", K_DOUBLE, SC(gen.width_km), 0.01, 1000, "km", "Width of the area (east-west)."},
    {"points.generate", "height_km", K_DOUBLE, SC(gen.height_km), 0.01, 1000, "km", "Height of the area (north-south)."},
    {"points.generate", "n_estates", K_SIZE, SC(gen.n_estates), 0, 1e7, "", "Residential estates (clusters); 0 = n_points / 60."},
    {"points.generate", "estate_radius_m", K_DOUBLE, SC(gen.estate_radius_m), 1, 1e5, "m", "Typical estate radius."},
    {"points.generate", "mean_parcels", K_DOUBLE, SC(gen.mean_parcels), 1e-6, 1e6, "parcels/day", "Mean daily parcels per point."},
    {"points.generate", "station", K_XY, SC(gen.station_x), -1e7, 1e7, "m", "Station location [x, y]; the depot unless depot is given."},
    {"points.generate", "share", K_SECTION, NO_OFF, 0, 0, "", "Share of points of each type (normalised)."},
#define SHARE(t, name) {"points.generate.share", name, K_DOUBLE, SC(gen.share[t]), 0, 1e6, "", "Share of " name " points."}
    SHARE(ZS_PT_RESIDENTIAL, "residential"), SHARE(ZS_PT_OFFICE, "office"),
    SHARE(ZS_PT_SCHOOL, "school"), SHARE(ZS_PT_HOSPITAL, "hospital"),
    SHARE(ZS_PT_FACTORY, "factory"), SHARE(ZS_PT_VILLAGE, "village"),
    SHARE(ZS_PT_INSTITUTION, "institution"), SHARE(ZS_PT_MILITARY, "military"),
    SHARE(ZS_PT_SHOP, "shop"), SHARE(ZS_PT_OTHER, "other"),
#undef SHARE

    {"shift", "start", K_TIME, SC(shift_start_h), 0, 24, "HH:MM", "Start of the working day (morning scan)."},
    {"shift", "hours", K_DOUBLE, SC(shift_hours), 0.5, 24, "h", "Regular working hours; work beyond is overtime."},
    {"shift", "max_overtime_h", K_DOUBLE, SC(max_overtime_h), 0, 24, "h", "Stops not reached by the end of the shift plus this wait for the next day; 0 = no limit."},
    {"shift", "promise_h", K_DOUBLE, SC(promise_h), 0, 24, "h", "Delivery promise after the morning scan (hospitals, institutions, schools, military sites and villages may wait until the end of the day); 0 = none."},

    {"models", "enabled", K_BOOL, SC(models_enabled), 0, 0, "", "false: a deterministic courier (every attempt signs, no waiting)."},
    {"models", "signing", K_SECTION, NO_OFF, 0, 0, "", "First-attempt success and the fate of failed parcels."},
    {"models", "waiting", K_SECTION, NO_OFF, 0, 0, "", "Minutes from arrival to signature (lognormal)."},
    {"models.signing", "call_min", K_DOUBLE, SC(signing.call_min), 0, 120, "min", "Phone call after a failed attempt."},
    {"models.signing", "success", K_SECTION, NO_OFF, 0, 0, "", "First-attempt success probability per point type."},
    {"models.signing", "locker", K_SECTION, NO_OFF, 0, 0, "", "Share of failed stops diverted to a locker or pickup station, per type."},
    {"models.signing", "refuse", K_SECTION, NO_OFF, 0, 0, "", "Share of failed stops refused and returned (cash on delivery), per type."},
    {"models.signing", "success_off_hours", K_SECTION, NO_OFF, 0, 0, "", "First-attempt success outside the customers' working hours, per type; same = success all day."},
    {"models.signing", "work_start", K_TIME, SC(signing.work_start_h), 0, 24, "HH:MM", "Customers' working hours begin (attempts from then use success)."},
    {"models.signing", "work_end", K_TIME, SC(signing.work_end_h), 0, 24, "HH:MM", "Customers' working hours end (attempts from then use success_off_hours)."},
    {"models.waiting", "mean_min", K_SECTION, NO_OFF, 0, 0, "", "Mean minutes to signature per point type."},
    {"models.waiting", "cv", K_SECTION, NO_OFF, 0, 0, "", "Coefficient of variation of the waiting time per point type."},
#define PER_TYPE_K(sec, field, kt, lo, hi, unit, what) \
    {sec, "residential", kt, SC(field[ZS_PT_RESIDENTIAL]), lo, hi, unit, what}, \
    {sec, "office", kt, SC(field[ZS_PT_OFFICE]), lo, hi, unit, what}, \
    {sec, "school", kt, SC(field[ZS_PT_SCHOOL]), lo, hi, unit, what}, \
    {sec, "hospital", kt, SC(field[ZS_PT_HOSPITAL]), lo, hi, unit, what}, \
    {sec, "factory", kt, SC(field[ZS_PT_FACTORY]), lo, hi, unit, what}, \
    {sec, "village", kt, SC(field[ZS_PT_VILLAGE]), lo, hi, unit, what}, \
    {sec, "institution", kt, SC(field[ZS_PT_INSTITUTION]), lo, hi, unit, what}, \
    {sec, "military", kt, SC(field[ZS_PT_MILITARY]), lo, hi, unit, what}, \
    {sec, "shop", kt, SC(field[ZS_PT_SHOP]), lo, hi, unit, what}, \
    {sec, "other", kt, SC(field[ZS_PT_OTHER]), lo, hi, unit, what}
#define PER_TYPE(sec, field, lo, hi, unit, what) PER_TYPE_K(sec, field, K_DOUBLE, lo, hi, unit, what)
    PER_TYPE("efficiency.access_min", eff.access_min, 0, 600, "min", "Access minutes per stop."),
    PER_TYPE("models.signing.success", signing.p_success, 0, 1, "", "Success probability."),
    PER_TYPE("models.signing.locker", signing.p_locker, 0, 1, "", "Locker share of failures."),
    PER_TYPE("models.signing.refuse", signing.p_refuse, 0, 1, "", "Refused share of failures."),
    PER_TYPE_K("models.signing.success_off_hours", signing.p_success_off, K_PSAME, 0, 1, "", "Success probability outside working hours, or same."),
    PER_TYPE("models.waiting.mean_min", waiting.mean_min, 0, 600, "min", "Mean minutes to signature."),
    PER_TYPE("models.waiting.cv", waiting.cv, 0, 10, "", "Coefficient of variation."),
#undef PER_TYPE
#undef PER_TYPE_K

    {"vehicle", "type", K_VEHICLE, SC(vehicle_type), 0, 0, "", "The station's vehicle: none (efficiency.speed_kmh, no capacity limit), van, tricycle, ebike or foot; plans[].vehicle overrides it."},
    {"vehicle", "reload_min", K_DOUBLE, SC(fleet.reload_min), 0, 600, "min", "Minutes at the station for each reload."},
#define VEHICLE(t, name) \
    {"vehicle", name, K_SECTION, NO_OFF, 0, 0, "", "The " name " kind."}, \
    {"vehicle." name, "speed_kmh", K_DOUBLE, SC(fleet.kind[t].speed_kmh), 0.1, 200, "km/h", "Mean travel speed."}, \
    {"vehicle." name, "speed_cv", K_DOUBLE, SC(fleet.kind[t].speed_cv), 0, 2, "", "Day-to-day variation of the speed (cv of a mean-1 lognormal factor)."}, \
    {"vehicle." name, "capacity", K_DOUBLE, SC(fleet.kind[t].capacity), 1, 1e6, "parcels", "Parcels one load holds; more means a trip back to reload."}
    VEHICLE(ZS_VEH_VAN, "van"), VEHICLE(ZS_VEH_TRICYCLE, "tricycle"),
    VEHICLE(ZS_VEH_EBIKE, "ebike"), VEHICLE(ZS_VEH_FOOT, "foot"),
#undef VEHICLE

    {"absence", "rate", K_DOUBLE, SC(absence.rate), 0, 1, "", "Daily probability that a courier is absent; the stops of an absent courier's zone go to the nearest present colleagues."},

    {"efficiency", "stops_per_hour", K_DOUBLE, SC(eff.stops_per_hour), 0.01, 1000, "stops/h", "Planning rate of the capacity rule k = ceil(stops / (rate x hours))."},
    {"efficiency", "speed_kmh", K_DOUBLE, SC(eff.speed_kmh), 0.1, 200, "km/h", "Mean travel speed on roads."},
    {"efficiency", "circuity", K_DOUBLE, SC(eff.circuity), 1, 5, "", "Road distance / straight-line distance."},
    {"efficiency", "stop_min", K_DOUBLE, SC(eff.stop_min), 0, 600, "min", "Fixed minutes per stop (park, walk, find the customer)."},
    {"efficiency", "parcel_min", K_DOUBLE, SC(eff.parcel_min), 0, 600, "min", "Extra minutes per parcel (hand over, scan)."},
    {"efficiency", "courier_cv", K_DOUBLE, SC(eff.courier_cv), 0, 2, "", "Day-to-day variation of a courier's pace (cv of a mean-1 factor on all minutes)."},
    {"efficiency", "pickup_min", K_DOUBLE, SC(pickup_min), 0, 600, "min", "Minutes per pickup request collected (label, scan, load)."},
    {"efficiency", "access_min", K_SECTION, NO_OFF, 0, 0, "", "Extra minutes per stop by point type (estates that bar vehicles, stairs, gates)."},

    {"demand", "weekday_factor", K_WEEK7, SC(demand.weekday_factor), 0, 100, "", "Demand multiplier Monday..Sunday (7 numbers)."},
    {"demand", "month_factor", K_MONTH12, SC(demand.month_factor), 0, 100, "", "Seasonal multiplier January..December (12 numbers)."},
    {"demand", "nb_size", K_DOUBLE, SC(demand.nb_size), 0, 1e9, "", "Overdispersion: negative binomial size k (variance = mean + mean^2/k); 0 = Poisson."},
    {"demand", "events", K_EVENTS, NO_OFF, 0, 0, "", "Dated peaks or troughs: a list of {name, start: YYYY-MM-DD, days, factor}."},
    {"demand.events[]", "name", K_STR, offsetof(event_rec, name), 0, 0, "", "What the event is (e.g. double-11); for the reader."},
    {"demand.events[]", "start", K_DATE, offsetof(event_rec, start), 0, 0, "YYYY-MM-DD", "First day of the event."},
    {"demand.events[]", "days", K_INT, offsetof(event_rec, days), 1, 366, "days", "Length of the event."},
    {"demand.events[]", "factor", K_DOUBLE, offsetof(event_rec, factor), 0, 100, "", "Demand multiplier on those days (factors of overlapping events multiply)."},
    {"demand", "pickups_per_day", K_SECTION, NO_OFF, 0, 0, "", "Pickup requests (customers sending parcels) per point and average day, by point type; scaled and overdispersed like parcels. Default 0: no pickups."},
#define PICKUP(t, name) {"demand.pickups_per_day", name, K_DOUBLE, SC(demand.pickup_rate[t]), 0, 1e6, "requests/day", "Mean pickup requests per " name " point on an average day."}
    PICKUP(ZS_PT_RESIDENTIAL, "residential"), PICKUP(ZS_PT_OFFICE, "office"),
    PICKUP(ZS_PT_SCHOOL, "school"), PICKUP(ZS_PT_HOSPITAL, "hospital"),
    PICKUP(ZS_PT_FACTORY, "factory"), PICKUP(ZS_PT_VILLAGE, "village"),
    PICKUP(ZS_PT_INSTITUTION, "institution"), PICKUP(ZS_PT_MILITARY, "military"),
    PICKUP(ZS_PT_SHOP, "shop"), PICKUP(ZS_PT_OTHER, "other"),
#undef PICKUP
    {"demand", "pickup_release_end", K_TIME, SC(demand.pickup_release_end_h), 0, 24, "HH:MM", "Pickup requests are released uniformly between models.signing.work_start and this time (must be later)."},
    {"demand", "pickup_promise_h", K_DOUBLE, SC(demand.pickup_promise_h), 0, 24, "h", "A pickup collected more than this after its release is late; 0 = late only after the end of the regular shift."},

    {"simulation", "days", K_SIZE, SC(days), 1, 36600, "days", "Simulated days per replication."},
    {"simulation", "replications", K_SIZE, SC(replications), 1, 1e7, "", "Independent replications."},
    {"simulation", "seed", K_U64, SC(seed), 0, 0, "", "Master seed of every random draw."},
    {"simulation", "threads", K_INT, SC(threads), 0, 4096, "", "OpenMP threads; 0 = OMP_NUM_THREADS or all cores. Results do not depend on it."},
    {"simulation", "route_policy", K_ROUTE, SC(fixed_routes), 0, 0, "", "daily: re-optimise each day's route; fixed: visit stops in the order of a master tour of the zone."},
    {"simulation", "start_date", K_DATE, SC(start_date), 0, 0, "YYYY-MM-DD", "Date of the first simulated day (sets weekdays)."},

    {"staffing", "risk", K_DOUBLE, SC(staffing.risk), 1e-6, 0.5, "", "Allowed share of days on which some courier works past the shift plus overtime_h (a quantile over replication-days)."},
    {"staffing", "overtime_h", K_DOUBLE, SC(staffing.overtime_h), 0, 24, "h", "Overtime a courier may work before the day counts as overrun."},
    {"staffing", "by_weekday", K_BOOL, SC(staffing.by_weekday), 0, 0, "", "true: one requirement per weekday; false: per operating mode (weekdays grouped by demand.weekday_factor)."},
    {"staffing", "mode_gap", K_DOUBLE, SC(staffing.mode_gap), 0, 0.99, "", "Operating modes: a weekday whose volume is more than this share below its mode's heaviest day starts a new mode (as zonesim calibrate)."},
    {"staffing", "weeks", K_INT, SC(staffing.roster.weeks), 1, ZS_ROSTER_MAX_WEEKS, "weeks", "Roster cycle, from the Monday of the first simulated day."},
    {"staffing", "days_per_week", K_INT, SC(staffing.roster.days_per_week), 1, 6, "days", "Working days of a regular courier in every week."},
    {"staffing", "max_consecutive", K_INT, SC(staffing.roster.max_consecutive), 1, 7 * ZS_ROSTER_MAX_WEEKS, "days", "Longest run of working days (across weeks and the cycle's wrap)."},
    {"staffing", "consecutive_off", K_BOOL, SC(staffing.roster.consecutive_off), 0, 0, "", "Days off come together: no single day off between working days."},
    {"staffing", "weekend_off_min", K_INT, SC(staffing.roster.weekend_off_min), 0, 2 * ZS_ROSTER_MAX_WEEKS, "days", "Saturdays and Sundays off every courier gets over the cycle (fair weekend rest); at most 2 x weeks."},
    {"staffing", "courier_cost", K_DOUBLE, SC(staffing.roster.courier_cost), 1e-9, 1e9, "per week", "Cost of a regular courier per week (default: 5, one unit per paid day)."},
    {"staffing", "temp_cost", K_DOUBLE, SC(staffing.roster.temp_cost), 0, 1e9, "per day", "Cost of a temporary courier per day."},
    {"staffing", "temp_max", K_INT, SC(staffing.roster.temp_max), 0, 1000000, "couriers", "Temporary couriers a day at most; 0 = none."},
    {"staffing", "temp_peak_only", K_BOOL, SC(staffing.temp_peak_only), 0, 0, "", "Temporaries only on peak days (demand events with factor > 1)."},
    {"staffing", "pool_max", K_INT, SC(staffing.roster.pool_max), 0, 1000000, "couriers", "Regular couriers available; 0 = no limit."},
    {"staffing", "time_limit_s", K_DOUBLE, SC(staffing.roster.time_limit_s), 0.001, 1e6, "s", "GLPK time limit of the roster (status and gap say when it was reached)."},
    {"staffing", "nested", K_BOOL, SC(staffing.nested), 0, 0, "", "Merge each plan's zones into fewer light-day zones (unions of whole zones)."},
    {"staffing", "nested_k", K_KAUTO, SC(staffing.nested_k), 1, 1e6, "zones", "Light-day zones, or auto (the lightest regular day type's requirement)."},
    {"staffing", "nested_tolerance", K_DOUBLE, SC(staffing.nest.tolerance), 0, 10, "", "Light-day zones' workload within this share of the mean (doubled when unreachable)."},
    {"staffing", "nested_time_limit_s", K_DOUBLE, SC(staffing.nest.time_limit_s), 0.001, 1e6, "s", "GLPK time limit of each nested-zone program."},

    {"plans[]", "name", K_STR, PL(name), 0, 0, "", "Plan name (unique; a results-file group name)."},
    {"plans[]", "method", K_METHOD, PL(method), 0, 0, "", "kmeans, kmeans-density, kmeans-balanced, kmeans-two-stage, grid, voronoi, balanced-flow, pmedian-ip, or manual (a planner's zoning)."},
    {"plans[]", "k", K_KAUTO, PL(k), 1, 1e6, "zones", "Number of zones, or auto (capacity rule on the mean day's expected stops)."},
    {"plans[]", "seed", K_U64, PL(part.kmeans.seed), 0, 0, "", "Seeding stream (k-means++, Voronoi sites)."},
    {"plans[]", "restarts", K_INT, PL(part.kmeans.restarts), 1, 10000, "", "k-means++ restarts; the lowest SSE is kept."},
    {"plans[]", "max_iter", K_INT, PL(part.kmeans.max_iter), 1, 1000000, "", "Lloyd iteration limit."},
    {"plans[]", "weighted", K_BOOL, PL(part.kmeans.weighted), 0, 0, "", "Weight the geometry (centres, SSE) by the workload index too."},
    {"plans[]", "tolerance", K_DOUBLE, PL(part.tolerance), 0, 10, "", "Balance target: every zone's workload within this share of the mean (0.1 = +-10%)."},
    {"plans[]", "merge_isolated", K_BOOL, PL(part.merge_isolated), 0, 0, "", "Merge a zone of one isolated far point into its nearest zone, as stations do."},
    {"plans[]", "balance_rounds", K_INT, PL(part.max_iter), 1, 1000000, "", "kmeans-balanced: price rounds; balanced-flow: assignment rounds."},
    {"plans[]", "exact_balance", K_BOOL, PL(part.ip_balance), 0, 0, "", "pmedian-ip: every zone's workload within tolerance of the mean is a constraint of the program (infeasible when no plan meets it)."},
    {"plans[]", "time_limit_s", K_DOUBLE, PL(part.ip_time_limit_s), 0.001, 1e6, "s", "pmedian-ip: time limit of the whole solve; the best plan and its gap when reached."},
    {"plans[]", "mip_gap", K_DOUBLE, PL(part.ip_gap), 0, 0.99, "", "pmedian-ip: stop at this relative gap (0 = prove optimality)."},
    {"plans[]", "file", K_PATH, PL(file), 0, 0, "", "manual: CSV mapping point id -> zone (default: the points' zone column)."},
    {"plans[]", "vehicle", K_VEHICLE, PL(vehicle), 0, 0, "", "This plan's vehicle (none, van, tricycle, ebike, foot); default vehicle.type."},
    {"plans[]", "columns", K_SECTION, NO_OFF, 0, 0, "", "manual: header names in file."},
    {"plans[].columns", "id", K_STR, PL(col_id), 0, 0, "", "Point id column of the plan file."},
    {"plans[].columns", "zone", K_STR, PL(col_zone), 0, 0, "", "Zone label column of the plan file."},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

/* ---- parser state ----------------------------------------------------- */

typedef struct {
    const char *file;      /* for messages */
    const char *base_dir;
    yaml_document_t *doc;
    zs_err *err;
} parser;

static zs_status at(parser *p, const yaml_node_t *n, zs_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static zs_status at(parser *p, const yaml_node_t *n, zs_status code, const char *fmt, ...)
{
    char msg[ZS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long line = n ? (long)n->start_mark.line + 1 : 0;
    long col = n ? (long)n->start_mark.column + 1 : 0;
    return zs_err_at(p->err, code, p->file, line, col, "%s", msg);
}

static zs_status at_mark(parser *p, zs_mark m, zs_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static zs_status at_mark(parser *p, zs_mark m, zs_status code, const char *fmt, ...)
{
    char msg[ZS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return zs_err_at(p->err, code, p->file, m.line, m.col, "%s", msg);
}

static zs_mark mark_of(const yaml_node_t *n)
{
    zs_mark m = {(long)n->start_mark.line + 1, (long)n->start_mark.column + 1};
    return m;
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static const char *node_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

/* "section.key" for messages ("key" at top level, "plans[2].k" in plans). */
static void full_name(char *buf, size_t size, const char *section, long idx, const char *key)
{
    /* A list entry's section ("plans[]", "demand.events[].x") is named with
     * its index: "plans[2]", "demand.events[0].days". */
    char sec[128];
    const char *brackets = strstr(section, "[]");
    if (brackets)
        snprintf(sec, sizeof sec, "%.*s[%ld]%s", (int)(brackets - section), section, idx, brackets + 2);
    else
        snprintf(sec, sizeof sec, "%s", section);
    if (!*sec && (brackets = strstr(key, "[]")) != NULL)
        snprintf(buf, size, "%.*s[%ld]%s", (int)(brackets - key), key, idx, brackets + 2);
    else if (!*sec)
        snprintf(buf, size, "%s", key);
    else
        snprintf(buf, size, "%s.%s", sec, key);
}

/* ---- scalar conversions ---------------------------------------------- */

static int plain_scalar(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (*s == '-' || *s == '+' || *s == '\0')
        return -1;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9')
            return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static zs_status get_number(parser *p, const yaml_node_t *n, const char *name, double *out)
{
    if (!plain_scalar(n))
        return at(p, n, ZS_EINPUT, "%s: expected a number, got %s", name,
                  n->type == YAML_SCALAR_NODE ? "a quoted string" : node_kind(n));
    if (parse_double(scalar(n), out) != 0)
        return at(p, n, ZS_EINPUT, "%s: expected a number, got '%s'", name, scalar(n));
    return ZS_OK;
}

static zs_status check_range(parser *p, const yaml_node_t *n, const char *name, double v,
                             const keydef *k)
{
    if (v < k->min) {
        if (k->min == 0.0 && k->type == K_DOUBLE)
            return at(p, n, ZS_EINVAL, "%s = %s; must be >= 0", name, scalar(n));
        return at(p, n, ZS_EINVAL, "%s = %s; must be >= %g", name, scalar(n), k->min);
    }
    if (v > k->max)
        return at(p, n, ZS_EINVAL, "%s = %s; must be <= %g", name, scalar(n), k->max);
    return ZS_OK;
}

static zs_status get_integer(parser *p, const yaml_node_t *n, const char *name,
                             const keydef *k, uint64_t *out)
{
    if (!plain_scalar(n))
        return at(p, n, ZS_EINPUT, "%s: expected an integer, got %s", name,
                  n->type == YAML_SCALAR_NODE ? "a quoted string" : node_kind(n));
    const char *s = scalar(n);
    if (parse_u64(s, out) != 0) {
        double d;
        if (parse_double(s, &d) == 0 && d < 0)
            return at(p, n, ZS_EINVAL, "%s = %s; must be >= %g", name, s, k->min);
        return at(p, n, ZS_EINPUT, "%s: expected an integer, got '%s'", name, s);
    }
    if (k->max > k->min && ((double)*out < k->min || (double)*out > k->max))
        return check_range(p, n, name, (double)*out, k);
    return ZS_OK;
}

static zs_status get_list(parser *p, const yaml_node_t *n, const char *name, const keydef *k,
                          double *out, size_t want)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return at(p, n, ZS_EINPUT, "%s: expected a list of %zu numbers, got %s", name, want,
                  node_kind(n));
    size_t got = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (got != want)
        return at(p, n, ZS_EINPUT, "%s: expected %zu numbers, got %zu", name, want, got);
    for (size_t i = 0; i < want; i++) {
        yaml_node_t *it = yaml_document_get_node(p->doc, n->data.sequence.items.start[i]);
        char item[160];
        snprintf(item, sizeof item, "%s[%zu]", name, i);
        zs_status st = get_number(p, it, item, &out[i]);
        if (st == ZS_OK)
            st = check_range(p, it, item, out[i], k);
        if (st != ZS_OK)
            return st;
    }
    return ZS_OK;
}

static zs_status set_string(parser *p, char **slot, const char *value)
{
    char *s = zs_strdup(value);
    if (!s)
        return ZS_NOMEM(p->err);
    zs_free(*slot);
    *slot = s;
    return ZS_OK;
}

static zs_status set_path(parser *p, char **slot, const char *value)
{
    if (value[0] == '/' || !p->base_dir || strcmp(p->base_dir, ".") == 0)
        return set_string(p, slot, value);
    size_t n = strlen(p->base_dir) + strlen(value) + 2;
    char *s = zs_malloc(n);
    if (!s)
        return ZS_NOMEM(p->err);
    snprintf(s, n, "%s/%s", p->base_dir, value);
    zs_free(*slot);
    *slot = s;
    return ZS_OK;
}

/* Parses the value node v of key k into base + k->offset. */
static zs_status parse_value(parser *p, const keydef *k, const yaml_node_t *v, void *base,
                             const char *name)
{
    char *slot = (char *)base + k->offset;
    uint64_t u;
    double d;
    zs_status st;
    if (k->type != K_WEEK7 && k->type != K_MONTH12 && k->type != K_XY &&
        v->type != YAML_SCALAR_NODE)
        return at(p, v, ZS_EINPUT, "%s: expected a single value, got %s", name, node_kind(v));
    const char *s = scalar(v);
    switch (k->type) {
    case K_DOUBLE:
        if ((st = get_number(p, v, name, &d)) != ZS_OK || (st = check_range(p, v, name, d, k)) != ZS_OK)
            return st;
        *(double *)slot = d;
        return ZS_OK;
    case K_SIZE:
        if ((st = get_integer(p, v, name, k, &u)) != ZS_OK)
            return st;
        *(size_t *)slot = (size_t)u;
        return ZS_OK;
    case K_INT:
        if ((st = get_integer(p, v, name, k, &u)) != ZS_OK)
            return st;
        *(int *)slot = (int)u;
        return ZS_OK;
    case K_U64:
        if ((st = get_integer(p, v, name, k, &u)) != ZS_OK)
            return st;
        *(uint64_t *)slot = u;
        return ZS_OK;
    case K_KAUTO:
        if (plain_scalar(v) && strcmp(s, "auto") == 0) {
            *(size_t *)slot = 0;
            return ZS_OK;
        }
        if ((st = get_integer(p, v, name, k, &u)) != ZS_OK)
            return st;
        *(size_t *)slot = (size_t)u;
        return ZS_OK;
    case K_BOOL:
        if (!strcmp(s, "true") || !strcmp(s, "yes"))
            *(int *)slot = 1;
        else if (!strcmp(s, "false") || !strcmp(s, "no"))
            *(int *)slot = 0;
        else
            return at(p, v, ZS_EINPUT, "%s: expected true or false, got '%s'", name, s);
        return ZS_OK;
    case K_STR:
        if (!*s)
            return at(p, v, ZS_EINPUT, "%s: must not be empty", name);
        return set_string(p, (char **)slot, s);
    case K_PATH:
        if (!*s)
            return at(p, v, ZS_EINPUT, "%s: must not be empty", name);
        return set_path(p, (char **)slot, s);
    case K_CHAR:
        if (!strcmp(s, ",") || !strcmp(s, ";"))
            *slot = s[0];
        else if (!strcmp(s, "tab") || !strcmp(s, "\t"))
            *slot = '\t';
        else if (!strcmp(s, "whitespace"))
            *slot = ' ';
        else
            return at(p, v, ZS_EINPUT, "%s: expected \",\", \";\", tab or whitespace, got '%s'",
                      name, s);
        return ZS_OK;
    case K_TIME: {
        int hh, mm;
        char tail;
        if (sscanf(s, "%2d:%2d%c", &hh, &mm, &tail) != 2 || strlen(s) != 5 || hh < 0 ||
            hh > 23 || mm < 0 || mm > 59)
            return at(p, v, ZS_EINPUT, "%s: expected a time HH:MM, got '%s'", name, s);
        *(double *)slot = hh + mm / 60.0;
        return ZS_OK;
    }
    case K_DATE:
        if (zs_date_parse(s, (zs_date *)slot) != 0)
            return at(p, v, ZS_EINPUT, "%s: expected a date YYYY-MM-DD, got '%s'", name, s);
        return ZS_OK;
    case K_WEEK7:
        return get_list(p, v, name, k, (double *)slot, 7);
    case K_MONTH12:
        return get_list(p, v, name, k, (double *)slot, 12);
    case K_XY:
        return get_list(p, v, name, k, (double *)slot, 2);
    case K_PTYPE: {
        int t = zs_ptype_parse(s);
        if (t < 0)
            return at(p, v, ZS_EINPUT, "%s: unknown point type '%s' (expected one of: %s)", name,
                      s, zs_ptype_all_names());
        *(int *)slot = t;
        return ZS_OK;
    }
    case K_COORDS:
        if (!strcmp(s, "metres") || !strcmp(s, "meters"))
            *(int *)slot = 0;
        else if (!strcmp(s, "lonlat"))
            *(int *)slot = 1;
        else
            return at(p, v, ZS_EINPUT, "%s: expected metres or lonlat, got '%s'", name, s);
        return ZS_OK;
    case K_METHOD:
    {
        /* The slot is a plan spec's method; its partition method sits in
         * the same spec. */
        zs_plan_spec *pl = (zs_plan_spec *)(slot - offsetof(zs_plan_spec, method));
        zs_err sub;
        if (!strcmp(s, "manual"))
            pl->method = ZS_PLAN_MANUAL;
        else if (zs_partition_method_parse(s, &pl->part.method, &sub) == ZS_OK)
            pl->method = ZS_PLAN_COMPUTED;
        else
            return at(p, v, ZS_EINPUT, "%s: unknown method '%s' (expected manual, kmeans, "
                      "kmeans-density, kmeans-balanced, kmeans-two-stage, grid, voronoi, "
                      "balanced-flow or pmedian-ip)", name, s);
        return ZS_OK;
    }
    case K_ROUTE:
        if (!strcmp(s, "daily"))
            *(int *)slot = 0;
        else if (!strcmp(s, "fixed"))
            *(int *)slot = 1;
        else
            return at(p, v, ZS_EINPUT, "%s: expected daily or fixed, got '%s'", name, s);
        return ZS_OK;
    case K_DKIND:
        if (!strcmp(s, "weather") || !strcmp(s, "traffic"))
            *(zs_disruption_kind *)slot = ZS_DISRUPT_SLOW;
        else if (!strcmp(s, "scan_delay"))
            *(zs_disruption_kind *)slot = ZS_DISRUPT_SCAN_DELAY;
        else if (!strcmp(s, "absence"))
            *(zs_disruption_kind *)slot = ZS_DISRUPT_ABSENCE;
        else
            return at(p, v, ZS_EINPUT, "%s: expected weather, traffic, scan_delay or absence, got '%s'", name, s);
        return ZS_OK;
    case K_VEHICLE: {
        int kind = zs_vehicle_parse(s);
        if (kind == ZS_VEH_INHERIT)
            return at(p, v, ZS_EINPUT, "%s: expected none, van, tricycle, ebike or foot, got '%s'",
                      name, s);
        *(int *)slot = kind;
        return ZS_OK;
    }
    case K_PSAME:
        if (plain_scalar(v) && !strcmp(s, "same")) {
            *(double *)slot = ZS_SIGNING_SAME;
            return ZS_OK;
        }
        if ((st = get_number(p, v, name, &d)) != ZS_OK || (st = check_range(p, v, name, d, k)) != ZS_OK)
            return st;
        *(double *)slot = d;
        return ZS_OK;
    case K_SECTION:
    case K_PLANS:
    case K_EVENTS:
    case K_DISRUPT:
    case K_ROADS:
        break;
    }
    return ZS_INTERNAL(p->err, "key type %d handled as a value", (int)k->type);
}

/* ---- mappings ----------------------------------------------------------- */

static zs_status parse_plans(parser *p, const yaml_node_t *seq, zs_scenario *sc);
/* The items of the list seq at key, at most max of them ("roads: 3 areas;
 * at most 2"); of is what the list holds in the type error (" of areas",
 * or "" for a plain "expected a list"), items names them in the count
 * error. */
static zs_status seq_items(parser *p, const yaml_node_t *seq, const char *key, const char *of,
                           const char *items, size_t max, size_t *n)
{
    if (seq->type != YAML_SEQUENCE_NODE)
        return at(p, seq, ZS_EINPUT, "%s: expected a list%s, got %s", key, of, node_kind(seq));
    *n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (*n > max)
        return at(p, seq, ZS_EINPUT, "%s: %zu %s; at most %zu", key, *n, items, max);
    return ZS_OK;
}

static zs_status parse_events(parser *p, const yaml_node_t *seq, zs_scenario *sc);
static zs_status parse_disruptions(parser *p, const yaml_node_t *seq, zs_scenario *sc);
static zs_status parse_roads(parser *p, const yaml_node_t *seq, zs_scenario *sc);

static const keydef *find_key(const char *section, const char *key)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (!strcmp(keys[i].section, section) && !strcmp(keys[i].key, key))
            return &keys[i];
    return NULL;
}

static void list_keys(char *buf, size_t size, const char *section)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_KEYS && used < size; i++)
        if (!strcmp(keys[i].section, section)) {
            int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", keys[i].key);
            if (w < 0)
                break;
            used += (size_t)w;
        }
}

/* Walks a mapping of `section`, storing values into base.  sc is the
 * scenario (for the plans list); plan_idx names plan entries in messages. */
static zs_status walk_map(parser *p, const yaml_node_t *map, const char *section, void *base,
                          zs_scenario *sc, long plan_idx)
{
    char name[256];
    if (map->type != YAML_MAPPING_NODE) {
        if (!*section)
            return at(p, map, ZS_EINPUT, "expected a mapping of keys at the top level, got %s",
                      node_kind(map));
        full_name(name, sizeof name, "", plan_idx, section);
        return at(p, map, ZS_EINPUT, "%s: expected a mapping, got %s", name, node_kind(map));
    }
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(p->doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(p->doc, pr->value);
        if (kn->type != YAML_SCALAR_NODE)
            return at(p, kn, ZS_EINPUT, "keys must be plain names, got %s", node_kind(kn));
        const char *key = scalar(kn);
        /* Duplicate keys: YAML forbids them, libyaml does not check. */
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr; q++) {
            yaml_node_t *qk = yaml_document_get_node(p->doc, q->key);
            if (qk->type == YAML_SCALAR_NODE && !strcmp(scalar(qk), key))
                return at(p, kn, ZS_EINPUT, "duplicate key '%s' (first on line %ld)", key,
                          (long)qk->start_mark.line + 1);
        }
        const keydef *k = find_key(section, key);
        if (!k) {
            char valid[512];
            list_keys(valid, sizeof valid, section);
            if (*section) {
                full_name(name, sizeof name, "", plan_idx, section);
                return at(p, kn, ZS_EINPUT, "unknown key '%s' in %s (expected one of: %s)", key,
                          name, valid);
            }
            return at(p, kn, ZS_EINPUT, "unknown key '%s' (expected one of: %s)", key, valid);
        }
        full_name(name, sizeof name, section, plan_idx, key);
        zs_status st;
        if (k->type == K_SECTION) {
            if (vn->type != YAML_MAPPING_NODE)
                return at(p, vn, ZS_EINPUT, "%s: expected a mapping, got %s", name, node_kind(vn));
            if (k->offset != NO_OFF) {
                /* The flag of a present section, or its mark. */
                if (k->offset == SC(points_at))
                    sc->points_at = mark_of(vn);
                else if (k->offset == SC(staffing_at))
                    sc->staffing_at = mark_of(vn);
                else
                    *(int *)((char *)base + k->offset) = 1;
            }
            char sub[128];
            snprintf(sub, sizeof sub, "%s%s%s", section, *section ? "." : "", key);
            st = walk_map(p, vn, sub, base, sc, plan_idx);
        } else if (k->type == K_PLANS) {
            st = parse_plans(p, vn, sc);
        } else if (k->type == K_EVENTS) {
            st = parse_events(p, vn, sc);
        } else if (k->type == K_DISRUPT) {
            st = parse_disruptions(p, vn, sc);
        } else if (k->type == K_ROADS) {
            st = parse_roads(p, vn, sc);
        } else {
            st = parse_value(p, k, vn, base, name);
            if (st == ZS_OK && base == sc) {
                if (k->offset == SC(points_file))
                    sc->points_file_at = mark_of(vn);
                else if (k->offset == SC(depot)) {
                    sc->depot_given = 1;
                    sc->depot_at = mark_of(vn);
                } else if (k->offset == SC(output))
                    sc->output_at = mark_of(vn);
                else if (k->offset == SC(signing.work_start_h) || k->offset == SC(signing.work_end_h))
                    sc->work_hours_at = mark_of(vn);
                else if (k->offset == SC(demand.pickup_release_end_h))
                    sc->pickup_release_at = mark_of(vn);
            }
        }
        if (st != ZS_OK)
            return st;
    }
    return ZS_OK;
}

static void plan_defaults(zs_plan_spec *pl)
{
    memset(pl, 0, sizeof *pl);
    pl->method = ZS_PLAN_COMPUTED;
    pl->vehicle = ZS_VEH_INHERIT;
    zs_partition_opts_defaults(&pl->part);
}

static void plan_clear(zs_plan_spec *pl)
{
    zs_free(pl->name);
    zs_free(pl->file);
    zs_free(pl->col_id);
    zs_free(pl->col_zone);
}

static zs_status parse_plans(parser *p, const yaml_node_t *seq, zs_scenario *sc)
{
    if (seq->type != YAML_SEQUENCE_NODE)
        return at(p, seq, ZS_EINPUT, "plans: expected a list of plans, got %s", node_kind(seq));
    size_t n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n == 0)
        return at(p, seq, ZS_EINPUT, "plans: the list is empty");
    sc->plans = zs_calloc(n, sizeof *sc->plans);
    if (!sc->plans)
        return ZS_NOMEM(p->err);
    for (size_t i = 0; i < n; i++) {
        zs_plan_spec *pl = &sc->plans[i];
        plan_defaults(pl);
        sc->n_plans = i + 1; /* so that free sees what was started */
        yaml_node_t *item = yaml_document_get_node(p->doc, seq->data.sequence.items.start[i]);
        pl->at = mark_of(item);
        zs_status st = walk_map(p, item, "plans[]", pl, sc, (long)i);
        if (st != ZS_OK)
            return st;
        /* Remember where k and file were, for errors found later. */
        for (yaml_node_pair_t *pr = item->data.mapping.pairs.start; pr < item->data.mapping.pairs.top; pr++) {
            yaml_node_t *kn = yaml_document_get_node(p->doc, pr->key);
            yaml_node_t *vn = yaml_document_get_node(p->doc, pr->value);
            if (!strcmp(scalar(kn), "k"))
                pl->k_at = mark_of(vn);
            else if (!strcmp(scalar(kn), "file"))
                pl->file_at = mark_of(vn);
        }
        if (!pl->name) {
            char def[32];
            snprintf(def, sizeof def, "plan%zu", i + 1);
            if ((st = set_string(p, &pl->name, def)) != ZS_OK)
                return st;
        }
        if (strchr(pl->name, '/') || !strcmp(pl->name, ".") || !strcmp(pl->name, "..")) {
            return at_mark(p, pl->at, ZS_EINPUT,
                           "plans[%zu].name '%s': must not contain '/' or be '.'/'..'", i, pl->name);
        }
        if (strlen(pl->name) > ZS_H5_NAME_MAX)
            return at_mark(p, pl->at, ZS_EINPUT, "plans[%zu].name is longer than %d bytes", i,
                           ZS_H5_NAME_MAX);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(sc->plans[j].name, pl->name)) {
                return at_mark(p, pl->at, ZS_EINPUT, "plans[%zu].name '%s' is used twice (also plans[%zu])", i,
                         pl->name, j);
            }
        if (pl->method == ZS_PLAN_MANUAL && pl->file) {
            if ((!pl->col_id && (st = set_string(p, &pl->col_id, "id")) != ZS_OK) ||
                (!pl->col_zone && (st = set_string(p, &pl->col_zone, "zone")) != ZS_OK))
                return st;
        }
    }
    return ZS_OK;
}

static zs_status parse_events(parser *p, const yaml_node_t *seq, zs_scenario *sc)
{
    size_t n;
    zs_status st0 = seq_items(p, seq, "demand.events", " of events", "events", ZS_DEMAND_MAX_EVENTS, &n);
    if (st0 != ZS_OK)
        return st0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yaml_document_get_node(p->doc, seq->data.sequence.items.start[i]);
        event_rec ev = {NULL, {0, 0, 0}, 0, -1.0};
        zs_status st = walk_map(p, item, "demand.events[]", &ev, sc, (long)i);
        zs_free(ev.name); /* for the reader of the file only */
        if (st != ZS_OK)
            return st;
        if (ev.days < 1 || ev.factor < 0.0 || ev.start.year == 0)
            return at(p, item, ZS_EINPUT, "demand.events[%zu]: needs start, days and factor", i);
        sc->demand.events[i].first_day = zs_date_to_days(ev.start);
        sc->demand.events[i].days = ev.days;
        sc->demand.events[i].factor = ev.factor;
        sc->demand.n_events = i + 1;
    }
    return ZS_OK;
}

static zs_status parse_disruptions(parser *p, const yaml_node_t *seq, zs_scenario *sc)
{
    size_t n;
    zs_status st0 = seq_items(p, seq, "disruptions", "", "entries", ZS_MAX_DISRUPTIONS, &n);
    if (st0 != ZS_OK)
        return st0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yaml_document_get_node(p->doc, seq->data.sequence.items.start[i]);
        disruption_rec rec = {(zs_disruption_kind)-1, {0, 0, 0}, 0, -1.0, -1.0, -1.0, -1.0};
        zs_status st = walk_map(p, item, "disruptions[]", &rec, sc, (long)i);
        if (st != ZS_OK)
            return st;
        int slow = rec.kind == ZS_DISRUPT_SLOW, late = rec.kind == ZS_DISRUPT_SCAN_DELAY;
        int absent = rec.kind == ZS_DISRUPT_ABSENCE;
        if ((!slow && !late && !absent) || rec.start.year == 0 || rec.days < 1 ||
            (slow && rec.travel_factor < 0) || (late && rec.delay_min < 0) ||
            (absent && rec.couriers < 0 && rec.share < 0))
            return at(p, item, ZS_EINPUT,
                      "disruptions[%zu]: needs type, start, days and travel_factor (weather, traffic), delay_min (scan_delay) or couriers or share (absence)", i);
        zs_disruption *d = &sc->disruptions[i];
        d->kind = rec.kind;
        d->first_day = zs_date_to_days(rec.start);
        d->days = rec.days;
        d->travel_factor = slow ? rec.travel_factor : 1.0;
        d->delay_min = late ? rec.delay_min : 0.0;
        d->couriers = absent && rec.couriers > 0 ? rec.couriers : 0.0;
        d->share = absent && rec.share > 0 ? rec.share : 0.0;
        sc->n_disruptions = i + 1;
    }
    return ZS_OK;
}

static zs_status parse_roads(parser *p, const yaml_node_t *seq, zs_scenario *sc)
{
    size_t n;
    zs_status st0 = seq_items(p, seq, "roads", " of areas", "areas", ZS_MAX_ROAD_AREAS, &n);
    if (st0 != ZS_OK)
        return st0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yaml_document_get_node(p->doc, seq->data.sequence.items.start[i]);
        road_rec rec = {NULL, -INF, INF, -INF, INF, -1.0};
        zs_status st = walk_map(p, item, "roads[]", &rec, sc, (long)i);
        zs_free(rec.name); /* for the reader of the file only */
        if (st != ZS_OK)
            return st;
        if (rec.factor < 1.0)
            return at(p, item, ZS_EINPUT, "roads[%zu]: needs a factor", i);
        if (!(rec.west < rec.east) || !(rec.south < rec.north))
            return at(p, item, ZS_EINVAL, "roads[%zu]: an empty area (needs west < east and south < north)", i);
        zs_road_area *a = &sc->road_areas[i];
        a->west = rec.west;
        a->east = rec.east;
        a->south = rec.south;
        a->north = rec.north;
        a->factor = rec.factor;
        sc->n_road_areas = i + 1;
    }
    return ZS_OK;
}

/* ---- defaults, validation, entry points ------------------------------ */

static zs_status scenario_defaults(zs_scenario *sc, zs_err *err)
{
    memset(sc, 0, sizeof *sc);
    zs_citygen_opts_defaults(&sc->gen);
    sc->delimiter = ',';
    sc->default_parcels = 1.0;
    sc->default_type = ZS_PT_RESIDENTIAL;
    sc->shift_start_h = 9.0; /* 9:00-18:00 with a break: 8 working hours (DESIGN.md) */
    sc->shift_hours = 8.0;
    sc->promise_h = 4.0; /* parcels within 4 h of the morning scan (DESIGN.md) */
    sc->models_enabled = 1;
    sc->max_overtime_h = 3.0; /* couriers stop about three hours past the shift */
    sc->pickup_min = 2.0; /* print or check a label, scan, load: about two minutes */
    zs_efficiency_defaults(&sc->eff);
    zs_demand_opts_defaults(&sc->demand);
    zs_signing_defaults(&sc->signing);
    zs_waiting_defaults(&sc->waiting);
    zs_absence_defaults(&sc->absence);
    zs_fleet_defaults(&sc->fleet);
    zs_staffing_opts_defaults(&sc->staffing);
    sc->vehicle_type = ZS_VEH_NONE;
    sc->days = 28;
    sc->replications = 32;
    sc->seed = 1;
    sc->threads = 0;
    sc->study_seeds = 1;
    sc->study_instances = 1;
    zs_date_parse("2026-01-05", &sc->start_date); /* a Monday */
    if (!(sc->col_x = zs_strdup("x")) || !(sc->col_y = zs_strdup("y")) ||
        !(sc->col_id = zs_strdup("id")) || !(sc->col_type = zs_strdup("type")) ||
        !(sc->col_parcels = zs_strdup("parcels")) || !(sc->output = zs_strdup("results/out.h5")) ||
        !(sc->name = zs_strdup("unnamed")))
        return ZS_NOMEM(err);
    return ZS_OK;
}

static zs_status validate(parser *p, zs_scenario *sc, const yaml_node_t *root)
{
    zs_err sub;
    if (!sc->points_at.line)
        return at(p, root, ZS_EINPUT, "missing section 'points' (give points.file or points.generate)");
    if (!sc->filter_col != !sc->filter_value)
        return at_mark(p, sc->points_at, ZS_EINPUT, "points.filter: give both 'column' and 'equals'");
    if (sc->points_generated && sc->points_file)
        return at_mark(p, sc->points_at, ZS_EINPUT, "points: 'file' and 'generate' exclude each other");
    if (!sc->points_generated && !sc->points_file)
        return at_mark(p, sc->points_at, ZS_EINPUT, "points: give 'file' or 'generate'");
    if (sc->points_generated) {
        if (sc->lonlat)
            return at_mark(p, sc->points_at, ZS_EINPUT, "points: a generated city is in metres; coords: lonlat needs a file");
        if (zs_citygen_opts_validate(&sc->gen, &sub) != ZS_OK) {
        {
            /* citygen names its fields "citygen.x": say points.generate.x. */
            const char *m = strncmp(sub.msg, "citygen.", 8) == 0 ? sub.msg + 8 : sub.msg;
            return at_mark(p, sc->points_at, ZS_EINVAL, "points.generate.%s", m);
        }
        }
        if (!sc->depot_given) {
            sc->depot[0] = sc->gen.station_x;
            sc->depot[1] = sc->gen.station_y;
        }
    } else if (access(sc->points_file, R_OK) != 0) {
        return at_mark(p, sc->points_file_at, ZS_EINPUT, "points.file: cannot read '%s': %s", sc->points_file, strerror(errno));
    }
    if (sc->study_instances > 1 && !sc->points_generated)
        return at_mark(p, sc->points_file_at, ZS_EINVAL,
                       "study.instances = %zu needs points.generate (a points file is one instance)",
                       sc->study_instances);
    if (sc->depot_given && sc->lonlat &&
        (fabs(sc->depot[0]) > 180.0 || fabs(sc->depot[1]) > 90.0))
        return at_mark(p, sc->depot_at, ZS_EINVAL, "depot: [lon, lat] out of range (|lon| <= 180, |lat| <= 90)");
    if (zs_efficiency_validate(&sc->eff, &sub) != ZS_OK)
        return at(p, root, ZS_EINVAL, "%s", sub.msg);
    /* Ranges were checked key by key; what is left spans keys. */
    if (!(sc->signing.work_start_h < sc->signing.work_end_h)) {
        const zs_signing *g = &sc->signing;
        return at_mark(p, sc->work_hours_at, ZS_EINVAL,
                       "models.signing.work_end = %02d:%02d; must be after work_start = %02d:%02d",
                       (int)g->work_end_h, (int)lround((g->work_end_h - (int)g->work_end_h) * 60),
                       (int)g->work_start_h, (int)lround((g->work_start_h - (int)g->work_start_h) * 60));
    }
    if (zs_signing_validate(&sc->signing, &sub) != ZS_OK)
        return at(p, root, ZS_EINVAL, "models.%s", sub.msg);
    if (!(sc->demand.pickup_release_end_h > sc->signing.work_start_h)) {
        /* Named at release end, else at the working hours that moved past it. */
        double e = sc->demand.pickup_release_end_h, w = sc->signing.work_start_h;
        return at_mark(p, sc->pickup_release_at.line ? sc->pickup_release_at : sc->work_hours_at,
                       ZS_EINVAL,
                       "demand.pickup_release_end = %02d:%02d; must be after models.signing.work_start = %02d:%02d",
                       (int)e, (int)lround((e - (int)e) * 60), (int)w, (int)lround((w - (int)w) * 60));
    }
    if (zs_waiting_validate(&sc->waiting, &sub) != ZS_OK)
        return at(p, root, ZS_EINVAL, "models.%s", sub.msg);
    if (zs_fleet_validate(&sc->fleet, &sub) != ZS_OK || zs_absence_validate(&sc->absence, &sub) != ZS_OK)
        return at(p, root, ZS_EINVAL, "%s", sub.msg);
    for (size_t i = 0; i < sc->n_plans; i++) {
        zs_plan_spec *pl = &sc->plans[i];
        if (pl->method == ZS_PLAN_MANUAL) {
            if (!pl->file && !sc->col_zone) {
                return at_mark(p, pl->at, ZS_EINPUT, "plans[%zu] '%s': a manual plan needs 'file' or a points.columns.zone column", i, pl->name);
            }
            if (pl->file && access(pl->file, R_OK) != 0) {
                return at_mark(p, pl->file_at, ZS_EINPUT, "plans[%zu].file: cannot read '%s': %s", i, pl->file, strerror(errno));
            }
            if (pl->k) {
                return at_mark(p, pl->k_at, ZS_EINPUT, "plans[%zu].k: a manual plan takes its zones from the file; remove k", i);
            }
        }
    }
    /* Spans keys (weekend_off_min against weeks): named at the section. */
    if (sc->staffing_at.line && zs_staffing_opts_validate(&sc->staffing, &sub) != ZS_OK)
        return at_mark(p, sc->staffing_at, ZS_EINVAL, "%s", sub.msg);
    return ZS_OK;
}

static zs_status default_plan(zs_scenario *sc, zs_err *err)
{
    sc->plans = zs_calloc(1, sizeof *sc->plans);
    if (!sc->plans)
        return ZS_NOMEM(err);
    plan_defaults(&sc->plans[0]);
    sc->n_plans = 1;
    if (!(sc->plans[0].name = zs_strdup("kmeans")))
        return ZS_NOMEM(err);
    return ZS_OK;
}

zs_status zs_scenario_parse(const char *text, size_t len, const char *name,
                            const char *base_dir, zs_scenario **out, zs_err *err)
{
    *out = NULL;
    zs_scenario *sc = zs_calloc(1, sizeof *sc);
    if (!sc)
        return ZS_NOMEM(err);
    zs_status st = scenario_defaults(sc, err);
    if (st == ZS_OK && (!(sc->path = zs_strdup(name)) || !(sc->text = zs_malloc(len + 1))))
        st = ZS_NOMEM(err);
    if (st != ZS_OK) {
        zs_scenario_free(sc);
        return st;
    }
    memcpy(sc->text, text, len);
    sc->text[len] = '\0';

    yaml_parser_t yp;
    yaml_document_t doc;
    int have_doc = 0;
    if (!yaml_parser_initialize(&yp)) {
        zs_scenario_free(sc);
        return ZS_NOMEM(err);
    }
    yaml_parser_set_input_string(&yp, (const unsigned char *)sc->text, len);
    parser p = {name, base_dir, &doc, err};
    if (memchr(text, '\0', len)) {
        st = zs_err_at(err, ZS_EINPUT, name, 0, 0, "not a text file (contains a NUL byte)");
    } else if (!yaml_parser_load(&yp, &doc)) {
        const char *what = yp.error == YAML_MEMORY_ERROR ? "out of memory" : yp.problem ? yp.problem : "syntax error";
        if (yp.error == YAML_MEMORY_ERROR)
            st = ZS_NOMEM(err);
        else if (yp.context)
            st = zs_err_at(err, ZS_EINPUT, name, (long)yp.problem_mark.line + 1,
                           (long)yp.problem_mark.column + 1, "YAML syntax error: %s %s", yp.context, what);
        else
            st = zs_err_at(err, ZS_EINPUT, name, (long)yp.problem_mark.line + 1,
                           (long)yp.problem_mark.column + 1, "YAML syntax error: %s", what);
    } else {
        have_doc = 1;
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root)
            st = zs_err_at(err, ZS_EINPUT, name, 1, 1, "empty scenario (expected at least a 'points' section)");
        else if ((st = walk_map(&p, root, "", sc, sc, 0)) == ZS_OK) {
            if (sc->n_plans == 0)
                st = default_plan(sc, err);
            if (st == ZS_OK)
                st = validate(&p, sc, root);
        }
    }
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&yp);
    if (st != ZS_OK) {
        zs_scenario_free(sc);
        return st;
    }
    *out = sc;
    return ZS_OK;
}

zs_status zs_scenario_load(const char *path, zs_scenario **out, zs_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return zs_err_set(err, ZS_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    zs_status st = ZS_OK;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            if (ncap > ((size_t)64 << 20)) {
                st = zs_err_set(err, ZS_EINPUT, "%s: larger than 64 MiB; not a scenario file", path);
                break;
            }
            char *nb = zs_realloc(buf, ncap);
            if (!nb) {
                st = ZS_NOMEM(err);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                st = zs_err_set(err, ZS_EIO, "%s: read error: %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (st == ZS_OK) {
        /* Relative input paths are anchored at the scenario's directory. */
        char *dir = zs_strdup(path);
        if (!dir)
            st = ZS_NOMEM(err);
        else {
            char *slash = strrchr(dir, '/');
            if (slash)
                *(slash == dir ? slash + 1 : slash) = '\0';
            else
                strcpy(dir, ".");
            st = zs_scenario_parse(buf, len, path, dir, out, err);
            zs_free(dir);
        }
    }
    zs_free(buf);
    return st;
}

zs_status zs_scenario_parse_staffing(const char *text, size_t len, const char *name,
                                     zs_staffing_opts *out, int *present, zs_err *err)
{
    *present = 0;
    zs_staffing_opts_defaults(out);
    zs_scenario *sc = zs_calloc(1, sizeof *sc);
    if (!sc)
        return ZS_NOMEM(err);
    zs_status st = scenario_defaults(sc, err);
    yaml_parser_t yp;
    yaml_document_t doc;
    int have_parser = 0, have_doc = 0;
    if (st == ZS_OK && !(have_parser = yaml_parser_initialize(&yp)))
        st = ZS_NOMEM(err);
    if (st == ZS_OK) {
        yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
        if (memchr(text, '\0', len))
            st = zs_err_at(err, ZS_EINPUT, name, 0, 0, "not a text file (contains a NUL byte)");
        else if (!yaml_parser_load(&yp, &doc))
            st = yp.error == YAML_MEMORY_ERROR
                     ? ZS_NOMEM(err)
                     : zs_err_at(err, ZS_EINPUT, name, (long)yp.problem_mark.line + 1,
                                 (long)yp.problem_mark.column + 1, "YAML syntax error: %s",
                                 yp.problem ? yp.problem : "syntax error");
        else
            have_doc = 1;
    }
    if (st == ZS_OK) {
        parser p = {name, ".", &doc, err};
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        /* Only the staffing section is read: the rest was checked when the
         * scenario ran, and its input files may be elsewhere now. */
        for (yaml_node_pair_t *pr = root && root->type == YAML_MAPPING_NODE ? root->data.mapping.pairs.start : NULL;
             pr && pr < root->data.mapping.pairs.top && st == ZS_OK; pr++) {
            yaml_node_t *kn = yaml_document_get_node(&doc, pr->key);
            yaml_node_t *vn = yaml_document_get_node(&doc, pr->value);
            if (kn->type != YAML_SCALAR_NODE || strcmp(scalar(kn), "staffing"))
                continue;
            if (vn->type != YAML_MAPPING_NODE) {
                st = at(&p, vn, ZS_EINPUT, "staffing: expected a mapping, got %s", node_kind(vn));
                break;
            }
            sc->staffing_at = mark_of(vn);
            st = walk_map(&p, vn, "staffing", sc, sc, 0);
            zs_err sub;
            if (st == ZS_OK && zs_staffing_opts_validate(&sc->staffing, &sub) != ZS_OK)
                st = at_mark(&p, sc->staffing_at, ZS_EINVAL, "%s", sub.msg);
            if (st == ZS_OK) {
                *out = sc->staffing;
                *present = 1;
            }
        }
    }
    if (have_doc)
        yaml_document_delete(&doc);
    if (have_parser)
        yaml_parser_delete(&yp);
    zs_scenario_free(sc);
    return st;
}

void zs_scenario_free(zs_scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n_plans; i++)
        plan_clear(&sc->plans[i]);
    zs_free(sc->plans);
    zs_free(sc->path);
    zs_free(sc->text);
    zs_free(sc->name);
    zs_free(sc->points_file);
    zs_free(sc->col_id);
    zs_free(sc->col_x);
    zs_free(sc->col_y);
    zs_free(sc->col_type);
    zs_free(sc->col_parcels);
    zs_free(sc->col_zone);
    zs_free(sc->col_road);
    zs_free(sc->filter_col);
    zs_free(sc->filter_value);
    zs_free(sc->output);
    zs_free(sc->study_output);
    zs_free(sc);
}

double zs_scenario_shift_min(const zs_scenario *sc)
{
    return sc->shift_hours * 60.0;
}

int zs_scenario_plan_vehicle(const zs_scenario *sc, size_t i)
{
    int v = sc->plans[i].vehicle;
    return v == ZS_VEH_INHERIT ? sc->vehicle_type : v;
}

zs_status zs_scenario_apply_roads(const zs_scenario *sc, zs_points *pts, zs_err *err)
{
    if (sc->n_road_areas == 0)
        return ZS_OK;
    if (!pts->road) {
        if (!(pts->road = zs_malloc_array(pts->n ? pts->n : 1, sizeof *pts->road)))
            return ZS_NOMEM(err);
        for (size_t i = 0; i < pts->n; i++)
            pts->road[i] = 1.0;
    }
    for (size_t i = 0; i < pts->n; i++) {
        double x = pts->has_lonlat ? pts->lon[i] : pts->x[i];
        double y = pts->has_lonlat ? pts->lat[i] : pts->y[i];
        for (size_t a = 0; a < sc->n_road_areas; a++) {
            const zs_road_area *r = &sc->road_areas[a];
            if (x >= r->west && x <= r->east && y >= r->south && y <= r->north)
                pts->road[i] *= r->factor;
        }
    }
    return ZS_OK;
}

void zs_scenario_absent_day(const zs_scenario *sc, int64_t day_number, double *couriers,
                            double *share)
{
    *couriers = 0.0;
    *share = 0.0;
    for (size_t e = 0; e < sc->n_disruptions; e++) {
        const zs_disruption *x = &sc->disruptions[e];
        if (x->kind != ZS_DISRUPT_ABSENCE || day_number < x->first_day ||
            day_number >= x->first_day + x->days)
            continue;
        *couriers += x->couriers; /* overlapping absences add up */
        *share += x->share;
    }
    if (*share > 1.0)
        *share = 1.0;
}

/* ---- the reference table ---------------------------------------------- */

static const char *type_name(ktype t)
{
    switch (t) {
    case K_SECTION: return "section";
    case K_PLANS: return "list of plans";
    case K_DOUBLE: return "number";
    case K_SIZE: case K_INT: case K_U64: return "integer";
    case K_BOOL: return "true/false";
    case K_STR: return "text";
    case K_PATH: return "path";
    case K_CHAR: return "separator";
    case K_TIME: return "HH:MM";
    case K_DATE: return "date";
    case K_WEEK7: return "7 numbers";
    case K_MONTH12: return "12 numbers";
    case K_EVENTS: return "list of events";
    case K_DISRUPT: return "list of disruptions";
    case K_ROADS: return "list of areas";
    case K_ROUTE: return "daily/fixed";
    case K_DKIND: return "disruption type";
    case K_XY: return "[x, y]";
    case K_PTYPE: return "point type";
    case K_COORDS: return "metres/lonlat";
    case K_KAUTO: return "integer or auto";
    case K_METHOD: return "method";
    case K_VEHICLE: return "vehicle";
    case K_PSAME: return "number or same";
    }
    return "?";
}

static void write_default(FILE *f, const keydef *k, const void *base)
{
    const char *slot = (const char *)base + k->offset;
    if (k->offset == NO_OFF || k->type == K_SECTION || k->type == K_PLANS || k->type == K_EVENTS ||
        k->type == K_DISRUPT || k->type == K_ROADS) {
        fputs("", f);
        return;
    }
    switch (k->type) {
    case K_DOUBLE: fprintf(f, "%g", *(const double *)slot); break;
    case K_SIZE: case K_KAUTO:
        if (k->type == K_KAUTO && *(const size_t *)slot == 0)
            fputs("auto", f);
        else
            fprintf(f, "%zu", *(const size_t *)slot);
        break;
    case K_INT: fprintf(f, "%d", *(const int *)slot); break;
    case K_U64: fprintf(f, "%llu", (unsigned long long)*(const uint64_t *)slot); break;
    case K_BOOL: fputs(*(const int *)slot ? "true" : "false", f); break;
    case K_STR: case K_PATH: fputs(*(char *const *)slot ? *(char *const *)slot : "", f); break;
    case K_CHAR: fputs(*slot == '\t' ? "tab" : *slot == ' ' ? "whitespace" : (char[2]){*slot, 0}, f); break;
    case K_TIME: {
        double h = *(const double *)slot;
        fprintf(f, "%02d:%02d", (int)h, (int)lround((h - (int)h) * 60));
        break;
    }
    case K_DATE: {
        char b[11];
        zs_date_format(*(const zs_date *)slot, b);
        fputs(b, f);
        break;
    }
    case K_WEEK7: case K_MONTH12: case K_XY: {
        const double *v = (const double *)slot;
        int n = k->type == K_WEEK7 ? 7 : k->type == K_MONTH12 ? 12 : 2;
        fputc('[', f);
        for (int i = 0; i < n; i++)
            fprintf(f, "%s%g", i ? ", " : "", v[i]);
        fputc(']', f);
        break;
    }
    case K_PTYPE: fputs(zs_ptype_name(*(const int *)slot), f); break;
    case K_COORDS: fputs(*(const int *)slot ? "lonlat" : "metres", f); break;
    case K_METHOD: {
        const zs_plan_spec *pl = (const zs_plan_spec *)(slot - offsetof(zs_plan_spec, method));
        fputs(pl->method == ZS_PLAN_MANUAL ? "manual" : zs_partition_method_name(pl->part.method), f);
        break;
    }
    case K_ROUTE: fputs(*(const int *)slot ? "fixed" : "daily", f); break;
    case K_VEHICLE: {
        int kind = *(const int *)slot;
        fputs(kind == ZS_VEH_INHERIT ? "vehicle.type" : zs_vehicle_name(kind), f);
        break;
    }
    case K_PSAME:
        if (*(const double *)slot == ZS_SIGNING_SAME)
            fputs("same", f);
        else
            fprintf(f, "%g", *(const double *)slot);
        break;
    default: break;
    }
}

void zs_scenario_write_keys(FILE *f)
{
    zs_scenario sc;
    zs_plan_spec pl;
    zs_err err;
    int have = scenario_defaults(&sc, &err) == ZS_OK;
    plan_defaults(&pl);
    fputs("| key | type | range | default | unit | meaning |\n|---|---|---|---|---|---|\n", f);
    for (size_t i = 0; i < N_KEYS; i++) {
        const keydef *k = &keys[i];
        char name[160];
        if (!*k->section)
            snprintf(name, sizeof name, "%s", k->key);
        else
            snprintf(name, sizeof name, "%s.%s", k->section, k->key);
        fprintf(f, "| `%s` | %s | ", name, type_name(k->type));
        int numeric = k->type == K_DOUBLE || k->type == K_SIZE || k->type == K_INT ||
                      k->type == K_KAUTO || k->type == K_WEEK7 || k->type == K_MONTH12 ||
                      k->type == K_PSAME;
        if (numeric && k->max > k->min)
            fprintf(f, "%g .. %g", k->min, k->max);
        fputs(" | ", f);
        /* List records (events, disruptions) have no defaults to show. */
        int record = strstr(k->section, "[]") && strncmp(k->section, "plans[]", 7) != 0;
        if (have && !record)
            write_default(f, k, strncmp(k->section, "plans[]", 7) ? (const void *)&sc : (const void *)&pl);
        fprintf(f, " | %s | %s |\n", k->unit, k->help);
    }
    if (have) {
        /* scenario_defaults made a complete object: free its strings. */
        zs_free(sc.col_x); zs_free(sc.col_y); zs_free(sc.col_id); zs_free(sc.col_type);
        zs_free(sc.col_parcels); zs_free(sc.output); zs_free(sc.name);
    }
}
