/*
 * engine/results/h5report.h -- what `zonesim report` reads from a results
 * file beyond zs_h5out_read_overview and zs_h5out_read_plan: which parts
 * the file has (so a report can say what is missing instead of failing),
 * each zone's expected work and each plan's courier-days of work.
 *
 * Like every engine/results/ module it alone touches hdf5.h; nothing here
 * keeps the file open past the call.
 */
#ifndef ZS_ENGINE_H5REPORT_H
#define ZS_ENGINE_H5REPORT_H

#include <stddef.h>

#include "models/status.h"

/* The parts a results file has.  Text fields are "" when the root has no
 * such attribute; the has_* flags are 1 when the group (or, for
 * has_scenario_text, the attribute) exists. */
typedef struct {
    int layout_version;
    char kind[32];           /* root attribute "kind" ("compare", ...), "" for a run */
    char engine_version[64];
    char created_utc[32];
    char scenario_name[128];
    int has_points, has_plans, has_sim, has_summary, has_staffing, has_barriers, has_calendar;
} zs_h5_probe;

/* Opens path as a results file (as zs_h5out_read_overview does: a missing
 * file, a file that is not HDF5, a damaged one or one without
 * layout_version are ZS_EINPUT naming the path) and fills *out with the
 * parts it has.  Never fails for a part that is missing. */
zs_status zs_h5out_probe(const char *path, zs_h5_probe *out, zs_err *err);

/* Expected work of each of the k zones of plan, minutes a day: door
 * minutes plus travel (/plans/<plan>/zone_door_min + zone_travel_min,
 * stored since plans carry their shape) into work_min[0..k).  *found is 0
 * (and work_min untouched) when the file predates them; a dataset of the
 * wrong length or unreadable is ZS_EINPUT naming it. */
zs_status zs_h5out_read_zone_expected(const char *path, const char *plan, size_t k,
                                      double *work_min, int *found, zs_err *err);

/* Called with the work minutes of one replication's courier-days (n
 * zone-days, day-major, zone fastest) and, when the file stores it, each
 * one's absent flag (1: the courier was absent; else NULL).  Returns 0 to
 * go on, non-zero to stop (ZS_ENOMEM is then reported). */
typedef int (*zs_h5_days_fn)(void *ctx, const double *work_min, const double *absent, size_t n);

/* Passes the courier-days of /sim/<plan>/work_min to fn one replication
 * at a time (replication order), so memory stays at one replication's
 * days x zones whatever the run's size.  *found is 0 (fn never called)
 * when the file has no /sim/<plan> (not simulated); a damaged dataset is
 * ZS_EINPUT naming it, a non-zero return of fn ZS_ENOMEM. */
zs_status zs_h5out_scan_courier_days(const char *path, const char *plan, zs_h5_days_fn fn,
                                     void *ctx, int *found, zs_err *err);

#endif
