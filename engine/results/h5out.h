/*
 * engine/results/h5out.h -- the results file (HDF5): writing it, and reading back
 * what `zonesim inspect` shows.
 *
 * With engine/h5util.c and its siblings engine/h5*.c, the only code that
 * includes hdf5.h.  Layout version ZS_H5_LAYOUT; the
 * layout is documented in results/README.md.  A file is written as
 * "<path>.tmp", closed and renamed, so a killed run never leaves a file
 * that looks complete; on any failure the temporary file is removed.
 * Called from the main thread only.
 */
#ifndef ZS_ENGINE_H5OUT_H
#define ZS_ENGINE_H5OUT_H

#include <stddef.h>
#include <stdint.h>

#include "models/absence.h"
#include "models/demand.h"
#include "models/efficiency.h"
#include "models/signing.h"
#include "models/status.h"
#include "models/vehicle.h"
#include "models/waiting.h"
#include "partition/partition.h"
#include "partition/shape.h"
#include "input/points.h"
#include "sim/sim.h"
#include "sim/stats.h"

#define ZS_H5_LAYOUT 1

/* Longest plan name in bytes: plan names are HDF5 link names and are also
 * stored in the fixed 64-byte fields of the paired-difference tables, so
 * they must fit there with room for a NUL.  Names must also be non-empty,
 * not "." or "..", and free of '/'. */
#define ZS_H5_NAME_MAX 63

typedef struct {
    const char *name;                /* plan name (an HDF5 link name) */
    const zs_partition *part;
    const zs_sim_result *sim;        /* NULL when the plan was not simulated */
    const zs_plan_summary *summary;  /* NULL when sim is NULL */
    /* Shape and work with travel (engine/pipeline/plan_geo.h), or NULL. */
    const zs_plan_shape *shape;
    const double *zone_door_min, *zone_travel_min; /* k each */
    double work_maxdev;
} zs_h5_plan;

typedef struct {
    const char *scenario_text;   /* full text of the scenario file */
    const char *scenario_path;   /* as given on the command line */
    const char *scenario_name;
    uint64_t seed;               /* master seed */
    const zs_points *points;
    double depot_x, depot_y;     /* metres */
    double shift_min;            /* regular minutes per courier-day */
    double max_overtime_min;     /* addition (issue 19): shift.max_overtime_h in
                                    minutes, 0 = no limit (root attribute) */
    size_t reps, days;
    const int64_t *day_number;   /* days since 1970-01-01 of each simulated day */
    size_t n_plans;
    const zs_h5_plan *plans;
    /* Paired differences against plans[0] for metrics work_min and
     * overtime_min: arrays of n_plans (entry 0 unused); NULL if n_plans < 2. */
    const zs_stat *paired_work, *paired_overtime;
    /* The models the run used, written to /models (each may be NULL: that
     * part is left out), and each point's workload index (/points). */
    const zs_demand_opts *demand;
    const zs_efficiency *eff;
    double pickup_min;       /* efficiency.pickup_min, written with eff */
    const zs_signing *signing;
    const zs_waiting *waiting;
    const double *workload_min;
    /* The barriers the plans were made and measured with (/barriers), in
     * metres: 4 n_barrier_seg numbers and a feature id each; none when 0. */
    size_t n_barrier_seg;
    const double *barrier_seg;
    const int32_t *barrier_feature;
    /* The street network (/network, attributes only), when the run had
     * one (net_osm not NULL): the extract, profile, graph and snapping
     * figures, and the detour on adjacency edges (pipeline/plan_geo.h). */
    const char *net_osm, *net_profile;
    double net_km, net_snap_mean_m, net_snap_max_m, net_detour; /* no timings: the
                               file must not depend on the machine */
    size_t net_nodes, net_segments, net_parts, net_nodes_dropped;
    const double *street_seg;    /* net_segments x 4 (metres), drawn by maps */
    const int32_t *street_class; /* net_segments highway classes */
    /* Shards (`zonesim run --shard I/N`): shard_count 0 for a whole run.
     * For shard shard_index of shard_count, reps is the whole run's
     * replications and every plan's sim holds rows [rep_begin, rep_end);
     * the root then says "shard" = "I/N" and "complete" = 0, and the
     * summaries are the shard's own. */
    size_t shard_index, shard_count;
    size_t rep_begin, rep_end;
    /* OpenMP threads that compress the /sim chunks (0 = OpenMP default);
     * the file does not depend on it. */
    int threads;
    /* Stochastic extras, written to /models/absence and /models/vehicle
     * (NULL: left out); plan_vehicle names each plan's vehicle (n_plans
     * names, "none" for none) and may be NULL. */
    const zs_absence *absence;
    const zs_fleet *fleet;
    const char *const *plan_vehicle;
    /* Staffing (engine/staffing.h), written to /staffing by
     * engine/h5staff.c: n_plans reports (a NULL entry: none for that
     * plan), or NULL for no /staffing. */
    const struct zs_staffing_report *const *staffing;
    /* The service desk (engine/staffing/service.h), written to /service by
     * engine/results/h5service.c: n_plans reports (NULL entries: none) and
     * the options they were computed with, or NULL for no /service. */
    const struct zs_service_report *const *service;
    const struct zs_service_opts *service_opts;
} zs_results;

/* Writes res to path (via path.tmp + rename).  Fails with ZS_EIO naming
 * the path and the HDF5 object on any library error; leaves no file. */
zs_status zs_h5out_write(const char *path, const zs_results *res, zs_err *err);

/* Writes a calibration file (`zonesim calibrate --h5`): root provenance
 * with kind "calibration" and the history path as scenario_path, /points
 * with the fitted mean parcels, /models/demand (weekday factors, nb_size)
 * and /models/calibration (weekday means, representative days, operating
 * modes, day counts).  Same .tmp + rename discipline. */
zs_status zs_h5out_write_calibration(const char *path, const zs_points *points,
                                     const zs_demand_fit *fit, const char *history_path,
                                     zs_err *err);

/* What inspect reads back. */
typedef struct {
    char name[128];
    char method[32];
    char status[64];             /* as zs_partition's */
    int balance_met;             /* balance.met (1 in files without it) */
    uint64_t balance_within;     /* balance.within (0 in files without it) */
    size_t k;
    size_t n_points;
    char **label;                /* k zone labels */
    zs_plan_summary *summary;    /* NULL when the plan was not simulated */
    /* Shape and work with travel; has_shape 0 for files written before
     * them (layout 1 files of earlier engines). */
    int has_shape;
    uint64_t zones_one_piece, strays, barrier_zones, pockets;
    uint64_t bridged_zones; /* 0 in files before bridges were written */
    uint64_t barrier_zones_alone; /* of barrier_zones, those alone in their
                                     area (shape.h barrier_alone; 0 in older
                                     files) */
    double hull_overlap, polsby_popper_mean, work_travel_maxdev;
    /* territory from scratch (0 otherwise, and in older files): the parts
     * the barriers leave, about the best balance their allocation allows,
     * and the fewest zones above k that fit the band (0: none) with its
     * deviation (partition.h) */
    uint64_t parts, k_within;
    double part_bound, k_within_dev;
} zs_h5_plan_overview;

typedef struct {
    int layout_version;
    char engine_version[64];
    char created_utc[32];
    char scenario_name[128];
    uint64_t seed;
    size_t reps, days, n_points;
    double shift_min;
    double max_overtime_min; /* addition: 0 = no limit, or a file from before it */
    size_t n_plans;
    zs_h5_plan_overview *plans;
    zs_stat *paired_work, *paired_overtime; /* n_plans each, or NULL */
    /* A shard file: shard "I/N" (empty for a whole run or merged file)
     * holding replications [rep_begin, rep_end) of reps; its summaries
     * cover only those.  complete is 0 for a shard, else 1. */
    char shard[32];
    size_t shard_index, shard_count, rep_begin, rep_end;
    int complete;
} zs_h5_overview;

/* Reads the overview of a results file.  A missing file, a file that is
 * not HDF5 or lacks the layout are ZS_EINPUT naming the path. */
zs_status zs_h5out_read_overview(const char *path, zs_h5_overview **out, zs_err *err);
void zs_h5_overview_free(zs_h5_overview *o);

/* Reads one plan back as the objects it was written from (for `zonesim
 * export`): the points of /points (ids, planar coordinates, types, mean
 * parcels, and lon/lat with the projection origin when stored), the plan
 * /plans/<plan> as a zs_partition (zones, labels, stored centres, method,
 * status and diagnostics), its summary /summary/<plan> and the depot
 * (metres).  *points and *part are the caller's to free
 * (zs_points_free, zs_partition_free).  summary may be NULL (not read);
 * otherwise *summary is the caller's to free with zs_plan_summary_free, or
 * NULL when the plan was not simulated.  depot may be NULL.  An unknown
 * plan is ZS_EINPUT "PATH: no plan 'x' (plans: a, b)" listing the plans in
 * scenario order; a missing, non-HDF5 or damaged file is ZS_EINPUT naming
 * the path and the object.  On failure every out-parameter is NULL. */
zs_status zs_h5out_read_plan(const char *path, const char *plan, zs_points **points,
                             zs_partition **part, zs_plan_summary **summary, double depot[2],
                             zs_err *err);

/* Reads /barriers of a results file (for `zonesim export`): *n segments,
 * 4 *n numbers x0, y0, x1, y1 in the points' metres in *seg and each one's
 * feature id in *feature, both the caller's to zs_free.  A file without
 * /barriers (a run without barriers, or written before they were stored)
 * gives *n = 0 and NULL arrays.  Errors as zs_h5out_read_plan (a damaged
 * /barriers is ZS_EINPUT naming it); on failure *n = 0 and NULL arrays. */
/* The street network's segments (/network/streets, metres, 4 numbers each)
 * and each one's OSM highway class (network/osm.h zs_hw_class); *n 0 and
 * NULL arrays when the run had no network.  Errors as for barriers. */
zs_status zs_h5out_read_streets(const char *path, size_t *n, double **seg, int32_t **cls,
                                zs_err *err);

zs_status zs_h5out_read_barriers(const char *path, size_t *n, double **seg, int32_t **feature,
                                 zs_err *err);

/* "1.10.8" etc., for provenance and --version. */
const char *zs_h5out_library_version(void);

/* Turns off HDF5's automatic error printing (main() calls it once). */
void zs_h5out_silence(void);

/* Whether HDF5 files without zonesim's checksum record (written before it
 * existed) are read (1) or refused (0, the default) by every reader of
 * this process; main() sets it from --trust-unverified.  A file whose
 * record does not match is refused either way (engine/results/h5seal.c). */
void zs_h5out_trust_unverified(int on);

/* 1 when path starts like an HDF5 file zonesim reads: the HDF5 signature
 * (no user block) or zonesim's checksum record.  Reads 21 bytes; nothing
 * is verified (the readers do that). */
int zs_h5out_looks_hdf5(const char *path);

/* Number of HDF5 objects (files, groups, datasets, types, attributes...)
 * still open in the process: tests check it is 0 after every call. */
long zs_h5out_open_objects(void);

#endif
