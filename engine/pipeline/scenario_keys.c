/*
 * engine/pipeline/scenario_keys.c -- the scenario's key table and its
 * defaults (engine/pipeline/scenario.h).
 *
 * One row per key: section, name, type, where the value goes (an offset
 * into zs_scenario, a plan spec or a list record), range, unit and help.
 * The walker of scenario.c looks keys up here, the value readers of
 * scenario_values.c check ranges against the row, and `zonesim keys`
 * (zs_scenario_write_keys) prints the same rows with the defaults that
 * zs_scn_defaults sets, so parsing, range checks, defaults and help cannot
 * drift apart.  scenarios/README.md ends with that table; a test checks it
 * is current.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "models/ptype.h"
#include "pipeline/scenario_internal.h"

/* ---- the key table --------------------------------------------------- */

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
    {"", "barriers", K_SECTION, NO_OFF, 0, 0, "", "Rivers, lakes, motorways, railways: lines zones must not cross (territory plans; shape figures of every plan)."},
    {"", "network", K_SECTION, NO_OFF, 0, 0, "", "Streets from an OpenStreetMap extract: tours and travel on the street graph, barriers from tags (network/roads.h). Absent: straight lines x efficiency.circuity."},
    {"", "output", K_STR, SC(output), 0, 0, "", "Results file (HDF5), relative to the working directory; `run --output` overrides it."},
    {"", "staffing", K_SECTION, SC(staffing_at), 0, 0, "", "Couriers per day type, a weekly roster (GLPK) and nested light-day zones, computed after the simulation for every plan (engine/staffing.h)."},
    {"", "service", K_SECTION, SC(service_at), 0, 0, "", "The customer-service desk: calls from every plan's simulated days, agents per half hour (Erlang C/A) and their weekly shifts (GLPK); engine/staffing/service.h, models/calls.h."},
    {"", "study", K_SECTION, NO_OFF, 0, 0, "", "Method comparison (`zonesim compare`): the plans over several seeds and instances."},
    {"", "dispatch", K_SECTION, NO_OFF, 0, 0, "", "The station's day (engine/sim/day.c): dispatch waves and how pickups are collected."},
    {"dispatch", "waves", K_WAVES, NO_OFF, 0, 0, "", "Trunk-truck waves: a list of {at: HH:MM, share, weekday_share, peak_share}, at most 3, in time order; couriers make one trip per wave and each parcel's promise runs from its wave's scan. Absent: one wave at shift.start with every parcel (the single morning scan). A typical station: [{at: \"08:00\", share: 0.6}, {at: \"13:00\", share: 0.4}]."},
    {"dispatch.waves[]", "at", K_TIME, offsetof(wave_rec, at_h), 0, 24, "HH:MM", "Scan time of the wave (before shift.start: loaded at shift.start, the promise still runs from the scan)."},
    {"dispatch.waves[]", "share", K_DOUBLE, offsetof(wave_rec, share), 0, 1e6, "", "Share of the day's new parcels (normalised over the waves; parcels carried over from yesterday go out in the first wave)."},
    {"dispatch.waves[]", "weekday_share", K_WEEK7, offsetof(wave_rec, weekday_share), 0, 1e6, "", "Share Monday..Sunday instead of share (0: no such wave that weekday)."},
    {"dispatch.waves[]", "peak_share", K_DOUBLE, offsetof(wave_rec, peak_share), 0, 1e6, "", "Share on peak days (a demand event with factor > 1) instead of share or weekday_share, e.g. a third wave in peak season (share 0, peak_share 0.25)."},
    {"dispatch", "pickups", K_PICKPOL, SC(pickup_inserted), 0, 0, "", "after: a pickup round after the last delivery; inserted: each request inserted into the running route when released (cheapest feasible insertion)."},
    {"", "windows", K_SECTION, SC(windows_at), 0, 0, "", "Delivery time windows per point type: windows.open and windows.close (both needed for a type); the daily route respects them where it can and misses are counted."},
    {"windows", "open", K_SECTION, NO_OFF, 0, 0, "", "Window opening time per point type."},
    {"windows", "close", K_SECTION, NO_OFF, 0, 0, "", "Window closing time per point type."},
#define WINDOW(t, name) \
    {"windows.open", name, K_TIME, SC(window_open_h[t]), 0, 24, "HH:MM", "Earliest delivery at " name " points."}, \
    {"windows.close", name, K_TIME, SC(window_close_h[t]), 0, 24, "HH:MM", "Latest delivery at " name " points."}
    WINDOW(ZS_PT_RESIDENTIAL, "residential"), WINDOW(ZS_PT_OFFICE, "office"),
    WINDOW(ZS_PT_SCHOOL, "school"), WINDOW(ZS_PT_HOSPITAL, "hospital"),
    WINDOW(ZS_PT_FACTORY, "factory"), WINDOW(ZS_PT_VILLAGE, "village"),
    WINDOW(ZS_PT_INSTITUTION, "institution"), WINDOW(ZS_PT_MILITARY, "military"),
    WINDOW(ZS_PT_SHOP, "shop"), WINDOW(ZS_PT_OTHER, "other"),
#undef WINDOW
    {"study", "seeds", K_SIZE, SC(study_seeds), 1, 100000, "", "Runs of each computed plan, with seeds plans[].seed, +1, ...; mean and spread are over them."},
    {"study", "instances", K_SIZE, SC(study_instances), 1, 100000, "", "Generated instances: points.generate.seed, +1, ... (1 for a points file)."},
    {"study", "output", K_STR, SC(study_output), 0, 0, "", "Comparison file (HDF5, group /compare); the CSV tables go beside it. Default: output with -compare.h5."},
    {"", "zones", K_SECTION, NO_OFF, 0, 0, "", "Planners' zone labels: the points' zone column and manual plan files."},
    {"zones", "unassigned", K_UNASSIGNED, SC(zone_unassigned), 0, 0, "", "An empty zone label: error (the default; the message names file:line:column) or nearest (the point takes the zone of the nearest point that has a label, straight-line distance; the count is reported and kept in the plan's status)."},

    {"barriers", "file", K_PATH, SC(barriers.file), 0, 0, "", "GeoJSON file of LineString, MultiLineString, Polygon or MultiPolygon features, in lon/lat when points.coords is lonlat, else in the points' metres (relative to the scenario file)."},
    {"barriers", "long_edge_factor", K_DOUBLE, SC(barriers.long_factor), 1.01, 1000, "", "Adjacency: a Delaunay edge longer than this times the shorter of its ends' median edge is empty land (restored where the graph would fall apart)."},
    {"network", "osm", K_PATH, SC(network.osm), 0, 0, "", "OpenStreetMap extract: .osm.pbf, .osm XML or gzipped XML (relative to the scenario file). Points and depot must be in lon/lat."},
    {"network", "profile", K_VEHICLE, SC(network.profile), 0, 0, "", "Whose streets: van, tricycle, ebike or foot (class speeds, one-way and access rules in network/roads.h)."},
    {"network", "snap_max_m", K_DOUBLE, SC(network.snap_max_m), 1, 100000, "m", "Farthest a point may lie from a street the profile may use (walked to the door at 5 km/h, each way); farther is an error naming the point."},
    {"network", "speeds", K_SECTION, NO_OFF, 0, 0, "", "Speeds per OSM highway class in km/h, overriding the profile's (-1: the profile's default, 0: not allowed)."},
    {"network", "barriers", K_SECTION, NO_OFF, 0, 0, "", "Which tagged features zones must not cross (added to barriers.file)."},
    {"network.barriers", "water", K_BOOL, SC(network.water), 0, 0, "", "Rivers, canals, riverbanks, docks, lakes, reservoirs and the coastline; a closed water area under 300 m round (a pond) is walked round, no barrier."},
    {"network.barriers", "rail", K_BOOL, SC(network.rail), 0, 0, "", "Railways (rail, light rail; not in tunnels, not a yard's sidings, spurs and crossovers)."},
    {"network.barriers", "motorway", K_BOOL, SC(network.motorway), 0, 0, "", "Motorways (not in tunnels)."},
    {"network.barriers", "trunk", K_BOOL, SC(network.trunk), 0, 0, "", "Trunk roads (not in tunnels)."},
    {"network.barriers", "primary", K_BOOL, SC(network.primary), 0, 0, "", "Primary roads (not in tunnels)."},
    {"network.speeds", "motorway", K_DOUBLE, SC(network.speed[0]), -1, 200, "km/h", "highway=motorway."},
    {"network.speeds", "trunk", K_DOUBLE, SC(network.speed[1]), -1, 200, "km/h", "highway=trunk."},
    {"network.speeds", "primary", K_DOUBLE, SC(network.speed[2]), -1, 200, "km/h", "highway=primary."},
    {"network.speeds", "secondary", K_DOUBLE, SC(network.speed[3]), -1, 200, "km/h", "highway=secondary."},
    {"network.speeds", "tertiary", K_DOUBLE, SC(network.speed[4]), -1, 200, "km/h", "highway=tertiary."},
    {"network.speeds", "unclassified", K_DOUBLE, SC(network.speed[5]), -1, 200, "km/h", "highway=unclassified."},
    {"network.speeds", "residential", K_DOUBLE, SC(network.speed[6]), -1, 200, "km/h", "highway=residential."},
    {"network.speeds", "living_street", K_DOUBLE, SC(network.speed[7]), -1, 200, "km/h", "highway=living_street."},
    {"network.speeds", "service", K_DOUBLE, SC(network.speed[8]), -1, 200, "km/h", "highway=service."},
    {"network.speeds", "track", K_DOUBLE, SC(network.speed[9]), -1, 200, "km/h", "highway=track."},
    {"network.speeds", "pedestrian", K_DOUBLE, SC(network.speed[10]), -1, 200, "km/h", "highway=pedestrian."},
    {"network.speeds", "footway", K_DOUBLE, SC(network.speed[11]), -1, 200, "km/h", "highway=footway."},
    {"network.speeds", "cycleway", K_DOUBLE, SC(network.speed[12]), -1, 200, "km/h", "highway=cycleway."},
    {"network.speeds", "path", K_DOUBLE, SC(network.speed[13]), -1, 200, "km/h", "highway=path."},
    {"network.speeds", "steps", K_DOUBLE, SC(network.speed[14]), -1, 200, "km/h", "highway=steps."},
    {"points", "file", K_PATH, SC(points_file), 0, 0, "", "CSV file of points with a header row (relative to the scenario file)."},
    {"points", "coords", K_COORDS, SC(lonlat), 0, 0, "", "metres (x, y planar) or lonlat (x = longitude, y = latitude, degrees)."},
    {"points", "delimiter", K_CHAR, SC(delimiter), 0, 0, "", "Field separator: \",\", \";\", \"tab\" or \"whitespace\"."},
    {"points", "encoding", K_ENCODING, SC(encoding), 0, 0, "", "Text encoding of the file: utf-8 (checked), or gbk, gb18030, big5, latin1... (any name iconv knows, any case): converted to UTF-8 before reading."},
    {"points", "skip_missing", K_BOOL, SC(skip_missing), 0, 0, "", "true: rows with an empty x or y (also NA, NaN, null) are skipped and counted, the first few line numbers reported; false: such a row is an error at its field."},
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
    {"points.columns", "window_open", K_STR, SC(col_win_open), 0, 0, "", "Delivery window opening per point (HH:MM[:SS], after a date or not, e.g. LaDe's time_window_start; empty: no window); overrides windows.open of the point's type."},
    {"points.columns", "window_close", K_STR, SC(col_win_close), 0, 0, "", "Delivery window closing per point (e.g. LaDe's time_window_end); with window_open."},

    {"points.generate", "seed", K_U64, SC(gen.seed), 0, 0, "", "Generator seed."},
    {"points.generate", "n_points", K_SIZE, SC(gen.n_points), 1, 1e8, "", "Number of delivery points."},
    {"points.generate", "width_km", K_DOUBLE, SC(gen.width_km), 0.01, 1000, "km", "Width of the area (east-west)."},
    {"points.generate", "height_km", K_DOUBLE, SC(gen.height_km), 0.01, 1000, "km", "Height of the area (north-south)."},
    {"points.generate", "n_estates", K_SIZE, SC(gen.n_estates), 0, 1e7, "", "Residential estates (clusters); 0 = n_points / 60."},
    {"points.generate", "estate_radius_m", K_DOUBLE, SC(gen.estate_radius_m), 1, 1e5, "m", "Typical estate radius."},
    {"points.generate", "mean_parcels", K_DOUBLE, SC(gen.mean_parcels), 1e-6, 1e6, "parcels/day", "Mean daily parcels per point."},
    {"points.generate", "river", K_BOOL, SC(gen.river), 0, 0, "", "A river crosses the city west to east, south of the centre (a barrier: zones do not cross it)."},
    {"points.generate", "ring_road_km", K_DOUBLE, SC(gen.ring_road_km), 0, 1000, "km", "Radius of a ring road around the station (a barrier); 0 = none."},
    {"points.generate", "station", K_XY, SC(gen.station_x), -1e7, 1e7, "m", "Station location [x, y]; the depot unless depot is given."},
    {"points.generate", "share", K_SECTION, NO_OFF, 0, 0, "", "Share of points of each type (normalised)."},
#define SHARE(t, name) {"points.generate.share", name, K_DOUBLE, SC(gen.share[t]), 0, 1e6, "", "Share of " name " points."}
    SHARE(ZS_PT_RESIDENTIAL, "residential"), SHARE(ZS_PT_OFFICE, "office"),
    SHARE(ZS_PT_SCHOOL, "school"), SHARE(ZS_PT_HOSPITAL, "hospital"),
    SHARE(ZS_PT_FACTORY, "factory"), SHARE(ZS_PT_VILLAGE, "village"),
    SHARE(ZS_PT_INSTITUTION, "institution"), SHARE(ZS_PT_MILITARY, "military"),
    SHARE(ZS_PT_SHOP, "shop"), SHARE(ZS_PT_OTHER, "other"),
    SHARE(ZS_PT_LOCKER, "locker"), SHARE(ZS_PT_PICKUP_STATION, "pickup_station"),
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
    {sec, "other", kt, SC(field[ZS_PT_OTHER]), lo, hi, unit, what}, \
    {sec, "locker", kt, SC(field[ZS_PT_LOCKER]), lo, hi, unit, what}, \
    {sec, "pickup_station", kt, SC(field[ZS_PT_PICKUP_STATION]), lo, hi, unit, what}
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
    {"efficiency", "bulk_parcel_min", K_DOUBLE, SC(eff.bulk_parcel_min), 0, 600, "min", "Minutes per parcel at a locker or pickup station (bulk drop: scanned into a compartment or handed over as one batch), in place of parcel_min."},
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
    PICKUP(ZS_PT_LOCKER, "locker"), PICKUP(ZS_PT_PICKUP_STATION, "pickup_station"),
#undef PICKUP
    {"demand", "pickup_release_end", K_TIME, SC(demand.pickup_release_end_h), 0, 24, "HH:MM", "Pickup requests are released uniformly between models.signing.work_start and this time (must be later)."},
    {"demand", "pickup_promise_h", K_DOUBLE, SC(demand.pickup_promise_h), 0, 24, "h", "A pickup collected more than this after its release is late; 0 = late only after the end of the regular shift."},

    {"simulation", "days", K_SIZE, SC(days), 1, 36600, "days", "Simulated days per replication."},
    {"simulation", "replications", K_SIZE, SC(replications), 1, 1e7, "", "Independent replications."},
    {"simulation", "seed", K_U64, SC(seed), 0, 0, "", "Master seed of every random draw."},
    {"simulation", "threads", K_INT, SC(threads), 0, 4096, "", "OpenMP threads; 0 = OMP_NUM_THREADS or all cores. Results do not depend on it."},
    {"simulation", "route_policy", K_ROUTE, SC(fixed_routes), 0, 0, "", "daily: re-optimise each day's route; fixed: visit stops in the order of a master tour of the zone."},
    {"simulation", "start_date", K_DATE, SC(start_date), 0, 0, "YYYY-MM-DD", "Date of the first simulated day (sets weekdays)."},

    {"service", "open", K_TIME, SC(service_open_h), 0, 24, "HH:MM", "The desk opens (whole or half hours); no calls before."},
    {"service", "close", K_TIME, SC(service_close_h), 0, 24, "HH:MM", "The desk closes (whole or half hours)."},
    {"service", "target", K_DOUBLE, SC(service.erlang.service_level), 0, 0.999, "", "Share of calls answered within within_s; 0 = no service-level target."},
    {"service", "within_s", K_DOUBLE, SC(service.erlang.target_s), 0, 3600, "s", "Answer target of the service level."},
    {"service", "max_abandon", K_DOUBLE, SC(service.erlang.max_abandon), 1e-6, 1, "", "Largest share of callers hanging up (needs patience_s > 0); 1 = no target."},
    {"service", "max_asa_s", K_DOUBLE, SC(service.erlang.max_asa_s), 0, 3600, "s", "Largest average speed of answer; 0 = no target."},
    {"service", "shrinkage", K_DOUBLE, SC(service.erlang.shrinkage), 0, 0.95, "", "Share of paid time off the phones (breaks, training, absence): positions = agents / (1 - shrinkage)."},
    {"service", "patience_s", K_DOUBLE, SC(service.erlang.patience_s), 0, 86400, "s", "Callers' mean patience for Erlang A; 0 = Erlang C (callers wait)."},
    {"service", "risk", K_DOUBLE, SC(service.risk), 1e-6, 0.5, "", "Share of replications allowed more calls than the agents are staffed for (a quantile per half hour)."},
    {"service", "roster", K_BOOL, SC(service.roster), 0, 0, "", "Solve the regular week's agent shifts (GLPK)."},
    {"service", "time_limit_s", K_DOUBLE, SC(service.shifts.time_limit_s), 0.001, 1e6, "s", "GLPK time limit of each plan's agent shifts (status and gap say when it was reached)."},
    {"service", "node_limit", K_INT, SC(service.shifts.node_limit), 1, 1000000, "nodes", "Branch-and-bound nodes of each plan's agent shifts at most: the deterministic work limit (same plan on any machine); the status says optimal or heuristic with the gap to the proven bound."},
    {"service", "ft_max", K_INT, SC(service.shifts.ft_max), 0, 1000000, "agents", "Full-time agents available; 0 = no limit."},
    {"service", "pt_max", K_INT, SC(service.shifts.pt_max), 0, 1000000, "agents", "Part-time agents available; 0 = no limit."},
    {"service", "temp_max", K_INT, SC(service.shifts.temp_max), 0, 1000000, "agents", "Temporary agents a day at most (4-hour shifts at 1.5 times the cost); 0 = none."},
    {"service", "rate", K_SECTION, NO_OFF, 0, 0, "", "Calls per driver event, per reason (models/calls.h: tracking per parcel, failed per failed attempt, redelivery per carried parcel, late and complaint per late parcel, pickup per pickup, problem per parcel, outbound per failed attempt)."},
    {"service", "aht_s", K_SECTION, NO_OFF, 0, 0, "", "Mean handling time per reason (lognormal, cv 0.8)."},
#define PER_REASON(sec, field, lo, hi, unit, what) \
    {sec, "tracking", K_DOUBLE, SC(service.calls.reason[ZS_CALL_TRACKING].field), lo, hi, unit, what}, \
    {sec, "failed", K_DOUBLE, SC(service.calls.reason[ZS_CALL_FAILED].field), lo, hi, unit, what}, \
    {sec, "redelivery", K_DOUBLE, SC(service.calls.reason[ZS_CALL_REDELIVERY].field), lo, hi, unit, what}, \
    {sec, "late", K_DOUBLE, SC(service.calls.reason[ZS_CALL_LATE].field), lo, hi, unit, what}, \
    {sec, "pickup", K_DOUBLE, SC(service.calls.reason[ZS_CALL_PICKUP].field), lo, hi, unit, what}, \
    {sec, "problem", K_DOUBLE, SC(service.calls.reason[ZS_CALL_PROBLEM].field), lo, hi, unit, what}, \
    {sec, "complaint", K_DOUBLE, SC(service.calls.reason[ZS_CALL_COMPLAINT].field), lo, hi, unit, what}, \
    {sec, "outbound", K_DOUBLE, SC(service.calls.reason[ZS_CALL_OUTBOUND].field), lo, hi, unit, what}
    PER_REASON("service.rate", rate, 0, 1000, "calls/event", "Calls per driver event."),
    PER_REASON("service.aht_s", aht_s, 1, 36000, "s", "Mean handling time (talk and wrap-up)."),
#undef PER_REASON

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
    {"plans[]", "method", K_METHOD, PL(method), 0, 0, "", "kmeans, kmeans-density, kmeans-balanced, kmeans-two-stage, grid, voronoi, balanced-flow, pmedian-ip, territory (contiguous zones balanced on work with travel), or manual (a planner's zoning)."},
    {"plans[]", "k", K_KAUTO, PL(k), 1, 1e6, "zones", "Number of zones, or auto (capacity rule on the mean day's expected stops)."},
    {"plans[]", "seed", K_U64, PL(part.kmeans.seed), 0, 0, "", "Seeding stream (k-means++, Voronoi sites)."},
    {"plans[]", "restarts", K_INT, PL(part.kmeans.restarts), 1, 10000, "", "k-means++ restarts; the lowest SSE is kept."},
    {"plans[]", "max_iter", K_INT, PL(part.kmeans.max_iter), 1, 1000000, "", "Lloyd iteration limit."},
    {"plans[]", "weighted", K_BOOL, PL(part.kmeans.weighted), 0, 0, "", "Weight the geometry (centres, SSE) by the workload index too."},
    {"plans[]", "tolerance", K_DOUBLE, PL(part.tolerance), 0, 10, "", "Balance target: every zone's workload within this share of the mean (0.1 = +-10%)."},
    {"plans[]", "merge_isolated", K_BOOL, PL(part.merge_isolated), 0, 0, "", "Merge a zone of one isolated far point into its nearest zone, as stations do."},
    {"plans[]", "balance_rounds", K_INT, PL(part.max_iter), 1, 1000000, "", "kmeans-balanced: price rounds; balanced-flow: assignment rounds."},
    {"plans[]", "exact_balance", K_BOOL, PL(part.ip.balance), 0, 0, "", "pmedian-ip: every zone's workload within tolerance of the mean is a constraint of the program (infeasible when no plan meets it)."},
    {"plans[]", "time_limit_s", K_DOUBLE, PL(part.ip.time_limit_s), 0.001, 1e6, "s", "pmedian-ip: time limit of the whole solve; the best plan and its gap when reached."},
    {"plans[]", "mip_gap", K_DOUBLE, PL(part.ip.gap), 0, 0.99, "", "pmedian-ip: stop at this relative gap (0 = prove optimality)."},
    {"plans[]", "on_infeasible", K_INFEAS, PL(relax_infeasible), 0, 0, "", "pmedian-ip with exact_balance: stop (default: `run` refuses to simulate a plan proven infeasible) or relax (simulate the unbalanced optimum, labelled 'relaxed' everywhere)."},
    {"plans[]", "repair", K_STR, PL(repair), 0, 0, "", "territory: the name of an earlier manual plan to repair (contiguity and balance with the fewest moves) instead of zoning from scratch."},
    {"plans[]", "starts", K_SIZE, PL(part.starts), 0, 1000, "", "territory: seedings tried, the plan in the band with the least hull overlap kept; 0 = 8 up to 20,000 points, else 1."},
    {"plans[]", "pocket_share", K_DOUBLE, PL(part.pocket_share), 0, 1, "", "territory: an area the barriers close off with less than this share of a zone's workload joins a neighbouring area over its quickest crossing (a pocket: listed, its zone one piece over that bridge)."},
    {"plans[]", "file", K_PATH, PL(file), 0, 0, "", "manual: CSV mapping point id -> zone (default: the points' zone column)."},
    {"plans[]", "encoding", K_ENCODING, PL(encoding), 0, 0, "", "manual: text encoding of file (as points.encoding); default points.encoding."},
    {"plans[]", "vehicle", K_VEHICLE, PL(vehicle), 0, 0, "", "This plan's vehicle (none, van, tricycle, ebike, foot); default vehicle.type."},
    {"plans[]", "columns", K_SECTION, NO_OFF, 0, 0, "", "manual: header names in file."},
    {"plans[].columns", "id", K_STR, PL(col_id), 0, 0, "", "Point id column of the plan file."},
    {"plans[].columns", "zone", K_STR, PL(col_zone), 0, 0, "", "Zone label column of the plan file."},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

const keydef *zs_scn_find_key(const char *section, const char *key)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (!strcmp(keys[i].section, section) && !strcmp(keys[i].key, key))
            return &keys[i];
    return NULL;
}

void zs_scn_list_keys(char *buf, size_t size, const char *section)
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

/* ---- defaults -------------------------------------------------------- */

zs_status zs_scn_defaults(zs_scenario *sc, zs_err *err)
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
    for (int t = 0; t < ZS_PT_COUNT; t++)
        sc->window_open_h[t] = sc->window_close_h[t] = -1.0; /* no windows */
    zs_efficiency_defaults(&sc->eff);
    zs_demand_opts_defaults(&sc->demand);
    zs_signing_defaults(&sc->signing);
    zs_waiting_defaults(&sc->waiting);
    zs_absence_defaults(&sc->absence);
    zs_fleet_defaults(&sc->fleet);
    zs_staffing_opts_defaults(&sc->staffing);
    zs_service_opts_defaults(&sc->service);
    sc->service_open_h = sc->service.calls.open_interval / 2.0;
    sc->service_close_h = sc->service.calls.close_interval / 2.0;
    sc->vehicle_type = ZS_VEH_NONE;
    sc->days = 28;
    sc->replications = 32;
    sc->seed = 1;
    sc->threads = 0;
    sc->barriers.long_factor = 3.0;
    sc->network.profile = 0; /* van */
    sc->network.snap_max_m = 250.0;
    for (int c = 0; c < 15; c++)
        sc->network.speed[c] = -1.0;
    sc->network.water = sc->network.rail = sc->network.motorway = sc->network.trunk = 1;
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

void zs_scn_plan_defaults(zs_plan_spec *pl)
{
    memset(pl, 0, sizeof *pl);
    pl->method = ZS_PLAN_COMPUTED;
    pl->vehicle = ZS_VEH_INHERIT;
    pl->repair_index = -1;
    zs_partition_opts_defaults(&pl->part);
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
    case K_INFEAS: return "stop|relax";
    case K_UNASSIGNED: return "error|nearest";
    case K_VEHICLE: return "vehicle";
    case K_PSAME: return "number or same";
    case K_ENCODING: return "encoding";
    case K_WAVES: return "list of waves";
    case K_PICKPOL: return "after/inserted";
    }
    return "?";
}

static void write_default(FILE *f, const keydef *k, const void *base)
{
    if (k->offset == NO_OFF || k->type == K_SECTION || k->type == K_PLANS || k->type == K_EVENTS ||
        k->type == K_DISRUPT || k->type == K_ROADS || k->type == K_WAVES) {
        fputs("", f);
        return;
    }
    /* Only now: base + NO_OFF would be a pointer overflow (UBSan under clang). */
    const char *slot = (const char *)base + k->offset;
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
    case K_ENCODING:
        fputs(*(char *const *)slot ? *(char *const *)slot
              : strncmp(k->section, "plans[]", 7) ? "utf-8" : "points.encoding", f);
        break;
    case K_CHAR: fputs(*slot == '\t' ? "tab" : *slot == ' ' ? "whitespace" : (char[2]){*slot, 0}, f); break;
    case K_TIME: {
        double h = *(const double *)slot;
        if (h < 0.0) { /* windows: none */
            fputs("none", f);
            break;
        }
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
    case K_PICKPOL: fputs(*(const int *)slot ? "inserted" : "after", f); break;
    case K_INFEAS: fputs(*(const int *)slot ? "relax" : "stop", f); break;
    case K_UNASSIGNED: fputs(*(const int *)slot ? "nearest" : "error", f); break;
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
    int have = zs_scn_defaults(&sc, &err) == ZS_OK;
    zs_scn_plan_defaults(&pl);
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
