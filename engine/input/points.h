/*
 * engine/input/points.h -- the delivery points of a station's area.
 *
 * A zs_points holds every point as structure-of-arrays: planar coordinates
 * in metres (x east, y north), type, mean daily parcels, an identifier and,
 * when the source had one, a planner's zone label (e.g. the LaDe courier
 * id).  Lon/lat sources are projected to metres by an equirectangular
 * projection about the points' mean latitude and longitude (error under
 * 0.1% over a 50 km city); the original degrees are kept.
 *
 * Points are loaded from CSV with a column mapping, because every planner's
 * file names its columns differently, or made by engine/citygen.  The object
 * owns all its arrays and is read-only once built.
 */
#ifndef ZS_ENGINE_POINTS_H
#define ZS_ENGINE_POINTS_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"

/* Ranges of the numbers a points file may hold (scenarios/README.md,
 * "Ranges"; issue 22: points at 1e308 simulated to 0.00 h).  Metres: 1e8
 * m lies beyond every projected coordinate on Earth (Web Mercator reaches
 * 2.0e7, UTM's false northing 1e7), and distances, their squares (1e16)
 * and sums over 10^6 points stay finite; parcels per point and day up to
 * 1e6, so a day's total over 10^6 points stays below 2^53; a road factor
 * (a multiplier of travel time) up to 100. */
#define ZS_POINTS_MAX_M 1e8
#define ZS_POINTS_MAX_PARCELS 1e6
#define ZS_POINTS_MAX_ROAD 100.0

/* Memory a point takes in a zs_points with its id index: coordinates,
 * type, parcels, id string and pointer, hash slot (measured: 79 MB peak
 * for 10^6 generated points, issue 22), for estimates before allocating. */
#define ZS_POINTS_BYTES_EACH 80

/* How many file lines zs_points keeps of skipped rows and unassigned points. */
#define ZS_POINTS_NOTE_LINES 5

typedef struct {
    size_t n;
    char **id;          /* n identifiers (strings into one owned pool) */
    double *x, *y;      /* metres */
    uint8_t *type;      /* zs_ptype */
    double *parcels;    /* mean parcels on an average day, >= 0 */
    int has_lonlat;     /* lon/lat kept when the source was in degrees */
    double *lon, *lat;  /* degrees, NULL unless has_lonlat */
    double lon0, lat0;  /* projection origin (degrees) */
    int32_t *zone;      /* planner's zone index per point, NULL if no zone column */
    size_t n_zone_labels;
    char **zone_label;  /* label of each zone index, in order of first appearance;
                         * each one zs_strdup'd and freed by zs_points_free */
    double *road;       /* road-condition factor per point (>= 1: travel minutes
                         * into the point are multiplied by it), NULL = all 1 */
    double *win_open, *win_close; /* delivery window per point, minutes after
                         * midnight (NAN for a row without one); NULL = no
                         * window columns (issue 21) */
    /* Addition (issue 19), set by load: data rows skipped for a missing
     * coordinate (opts.skip_missing) and points whose zone label was empty
     * and that took the nearest labelled point's zone (opts.unassigned_nearest),
     * each with the file lines of the first ZS_POINTS_NOTE_LINES. */
    size_t n_skipped, n_unassigned;
    long skipped_line[ZS_POINTS_NOTE_LINES], unassigned_line[ZS_POINTS_NOTE_LINES];

    /* Internal to engine/points.c (addition): owned storage and the id
     * index.  Code that builds a zs_points by hand zeroes them (memset) and
     * frees its own arrays instead of calling zs_points_free. */
    char *id_pool;      /* the ids back to back; id[i] point into it */
    size_t *id_slot;    /* open-addressing table of point index + 1, 0 = empty */
    size_t id_slot_cap; /* a power of two, or 0: no index, find scans */
} zs_points;

typedef struct {
    /* Header names of the columns to read.  id NULL: ids are the 1-based
     * data row numbers.  type NULL: every point is of default_type.
     * parcels NULL: every point has default_parcels.  zone NULL: none. */
    const char *col_id, *col_x, *col_y, *col_type, *col_parcels, *col_zone;
    /* Road-condition factor column (>= 1; narrow lanes, hills, gated
     * estates, unpaved village roads); NULL: none, every factor 1. */
    const char *col_road;
    /* Delivery-window columns (both or neither): times HH:MM[:SS], after a
     * date or not (LaDe's time_window_start/end); an empty field: no
     * window for that point.  NULL: none. */
    const char *col_win_open, *col_win_close;
    int lonlat;             /* x/y columns are longitude/latitude degrees */
    double default_parcels; /* default 1 */
    int default_type;       /* default ZS_PT_RESIDENTIAL */
    char delimiter;         /* default ',' */
    /* Keep only rows whose column filter_col equals filter_value (e.g. one
     * region of a city-wide file); NULL = every row.  Skipped rows are not
     * validated. */
    const char *filter_col, *filter_value;
    /* Addition: the file's encoding (NULL = UTF-8, checked; else any name
     * iconv knows, e.g. gbk, gb18030: converted to UTF-8 first) and the
     * setting named in the not-UTF-8 hint (e.g. "points.encoding",
     * "--encoding"; NULL: "the encoding").  See input/csv.h. */
    const char *encoding, *encoding_setting;
    /* Addition (issue 19).  skip_missing: a row whose x or y field is
     * missing (empty, blanks, NA, NaN or null, any case) is skipped, not
     * validated, and counted in zs_points.n_skipped; 0: such a row is an
     * error at its field that names skip_setting (NULL: "points.skip_missing:
     * true") as the way to skip it.  unassigned_nearest: a point with an
     * empty zone label takes the zone of the nearest point (plane distance)
     * that has one; 0: an empty label is an error naming unassigned_setting
     * (NULL: "zones.unassigned: nearest"). */
    int skip_missing, unassigned_nearest;
    const char *skip_setting, *unassigned_setting;
} zs_points_opts;

/* id "id", x "x", y "y", type "type", parcels "parcels", zone NULL,
 * road NULL, metres, default_parcels 1, residential, ',', UTF-8; no
 * skipping, empty zone labels an error. */
void zs_points_opts_defaults(zs_points_opts *o);

/* Loads a points CSV with a header row.  Errors name file:line:col: a
 * missing column (named, with the header's columns listed), a short line,
 * a non-number, a missing coordinate (unless skip_missing), a negative
 * parcels value, an unknown type (with the valid names), a duplicate id
 * (with the line of the first), lon/lat out of range, an empty zone label
 * (unless unassigned_nearest; every label empty is an error either way),
 * an empty file (no data rows, or none left after skipping).  opts NULL =
 * defaults. */
zs_status zs_points_load_csv(const char *path, const zs_points_opts *opts,
                             zs_points **out, zs_err *err);

/* Writes id,x,y,type,parcels[,lon,lat][,zone][,road] with a header, exact to 17
 * significant digits so a reload gives the same doubles. */
zs_status zs_points_write_csv(const zs_points *p, const char *path, zs_err *err);

/* An empty set of n points with x, y, type, parcels and ids "1".."n"
 * allocated (values zero, type residential).  For generators and tests. */
zs_points *zs_points_create(size_t n, zs_err *err);
void zs_points_free(zs_points *p);

/* The engine's one lon/lat -> metres formula (equirectangular about
 * (lon0, lat0) degrees); what zs_points_project applies with the points'
 * origin, for other layers (streets, barriers) that must land on them. */
void zs_lonlat_project(double lon0, double lat0, double lon, double lat, double *x, double *y);

/* Its inverse: metres about (lon0, lat0) back to degrees. */
void zs_lonlat_unproject(double lon0, double lat0, double x, double y, double *lon, double *lat);

/* Projects lon/lat degrees with p's origin (p must have has_lonlat). */
void zs_points_project(const zs_points *p, double lon, double lat, double *x, double *y);

/* Index of the point with identifier id, or -1.  O(1) expected through
 * the id index (built by load, create and zs_points_index_ids); a linear
 * scan when p has none. */
long zs_points_find(const zs_points *p, const char *id);

/* Addition: (re)builds p's id index; call it after changing ids.  Fails
 * with ZS_EINPUT "duplicate id 'A7' (points 4 and 9)" (1-based) or
 * ZS_ENOMEM, leaving p without an index (find then scans). */
zs_status zs_points_index_ids(zs_points *p, zs_err *err);

/* Addition, for generators: sets every id to prefix + its 1-based number,
 * zero-padded to at least min_digits ("P" and 6: "P000001"), in a new pool,
 * and rebuilds the index.  p must come from zs_points_create or load.  On
 * failure (ZS_ENOMEM) the old ids are kept. */
zs_status zs_points_number_ids(zs_points *p, const char *prefix, int min_digits, zs_err *err);

/* Addition (issue 19): gives every point with zone[i] < 0 the zone of the
 * nearest point (Euclidean on x, y; ties to the lower index) whose zone is
 * >= 0, judged against the labelled points only, so the result does not
 * depend on the order of the unlabelled ones.  O(unlabelled x labelled).
 * *filled (may be NULL) gets how many were given a zone.  ZS_EINPUT when
 * some point lacks a zone and none has one. */
zs_status zs_points_zone_nearest(const double *x, const double *y, size_t n, int32_t *zone,
                                 size_t *filled, zs_err *err);

/* Addition (issue 19): 1 when p was read as metres (has_lonlat 0) but its
 * coordinates look like degrees: at least two points, every x in
 * [-180, 180] and y in [-90, 90], and the whole set spans no more than 5
 * units each way (as metres an area a few steps across, as degrees a
 * region up to about 500 km).  Then buf gets the ranges and the span in
 * one phrase, e.g. "x in [120.1, 120.3] and y in [30.2, 30.4]: an area
 * 0.2 x 0.2 m"; else 0. */
int zs_points_look_like_degrees(const zs_points *p, char *buf, size_t len);

/* Sum of mean parcels. */
double zs_points_total_parcels(const zs_points *p);

#endif
