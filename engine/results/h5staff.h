/*
 * engine/results/h5staff.h -- staffing in HDF5: /staffing/<plan> in a results file
 * (written by `zonesim run` when the scenario has a staffing section) or
 * in a staffing file of its own (`zonesim staff RESULTS.h5 --output F`),
 * and what `zonesim staff` reads from a results file to compute it.
 *
 * Layout (results/README.md, "/staffing"): per plan a compound table
 * `requirement` (one row per day type), a group `roster` (schedule
 * [couriers][days] int8, the calendar, requirement, cover and temporaries
 * per day, status, objective, bound and gap as attributes) and, when
 * computed, a group `nested` (group of each heavy-day zone, light-day zone
 * of each point for the nested and the free plan, their figures).  Like
 * every engine/h5*.c module it alone includes hdf5.h; files are written as
 * PATH.tmp and renamed.
 */
#ifndef ZS_ENGINE_H5STAFF_H
#define ZS_ENGINE_H5STAFF_H

#include <stddef.h>
#include <stdint.h>

#include "models/demand.h"
#include "models/status.h"
#include "sim/sim.h"
#include "staffing/staffing.h"

/* What a results file says that staffing needs, besides each plan's
 * geometry (zs_h5out_read_plan). */
typedef struct {
    char *scenario_text;      /* the stored scenario ("" when absent) */
    char scenario_path[1024];
    double shift_min;
    double stops_per_hour;    /* /models/efficiency (3.5 when absent) */
    zs_demand_opts demand;    /* /models/demand: weekday factors and events */
    size_t days;
    int64_t *day_number;      /* /calendar/day */
    size_t n_plans;           /* simulated plans, in scenario order */
    char **plan;
    double *workload_min;     /* /points/workload_min (NULL when absent) */
    size_t n_points;
} zs_h5staff_source;

/* Reads the source of `zonesim staff RESULTS.h5`.  A shard (root attribute
 * complete = 0) is refused: it holds part of the replications ("merge the
 * shards first").  *out is the caller's (zs_h5staff_source_free). */
zs_status zs_h5staff_read_source(const char *path, zs_h5staff_source **out, zs_err *err);
void zs_h5staff_source_free(zs_h5staff_source *s);

/* Reads the metrics staffing uses (work_min, stops, unvisited; the others
 * stay NULL) of /sim/<plan>.  *out is the caller's (zs_sim_result_free). */
zs_status zs_h5staff_read_sim(const char *path, const char *plan, zs_sim_result **out,
                              zs_err *err);

/* Writes a staffing file: root provenance (layout_version, kind
 * "staffing", engine version, source path, creation time) and
 * /staffing/<plan[i]> for the n reports (NULL entries are skipped). */
zs_status zs_h5staff_write(const char *path, const char *source, size_t n,
                           const char *const *plan, const zs_staffing_report *const *rep,
                           zs_err *err);

/* Reads /staffing back from a results or staffing file: *n plans (0 when
 * the file has no /staffing), their names and reports in plan order (the
 * nested plans' point-level partitions are not read: nested->light and
 * nested->free_plan are NULL).  Free with zs_h5staff_reports_free. */
zs_status zs_h5staff_read(const char *path, size_t *n, char ***plan,
                          zs_staffing_report ***rep, zs_err *err);
void zs_h5staff_reports_free(size_t n, char **plan, zs_staffing_report **rep);

#endif
