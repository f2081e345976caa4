/*
 * engine/results/h5service.h -- the service desk in HDF5: /service in a
 * results file (written by `zonesim run` when the scenario has a service
 * section) and what `zonesim service RESULTS.h5` and `inspect` read back.
 *
 * Layout (results/README.md, "/service"): the group's attributes hold the
 * reasons, the interval (1800 s), the desk hours and the targets; one
 * group per plan (attribute order) with calls_mean [days][reasons][48]
 * (mean calls over replications), required [days][48] and peak [days],
 * usual [48] and week [7][48] (agents on the phones), the figures of
 * zs_service_report as attributes (the queue simulation's service level
 * and abandonment on the shifts among them, NAN without shifts, and
 * sim_service_day [days] with them), and, when solved, a group roster
 * (scheduled and temps [7][48], the chosen tours, status, objective,
 * bound, gap and message).  Only engine/results/ includes hdf5.h.
 */
#ifndef ZS_ENGINE_H5SERVICE_H
#define ZS_ENGINE_H5SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "models/calls.h"
#include "models/status.h"

/* One plan's desk as read back. */
typedef struct {
    char plan[128];
    size_t days;
    double calls_day_mean, calls_usual_day, calls_peak_day;
    int64_t peak_day;
    int agents_usual, agents_peak, positions_usual, positions_peak;
    double agent_h_usual, agent_h_peak, failed_day_mean, late_day_mean;
    double sim_service_usual, sim_service_peak;   /* the shifts simulated (NAN: none) */
    double sim_abandon_usual, sim_abandon_peak;
    int32_t usual[ZS_CALL_INTERVALS];
    int32_t peak_required[ZS_CALL_INTERVALS]; /* the peak day's requirement */
    int32_t week[7 * ZS_CALL_INTERVALS];
    double peak_calls[ZS_CALL_REASONS];       /* the peak day's calls by reason */
    double usual_calls[ZS_CALL_REASONS];      /* mean calls by reason over non-event days */
    /* the same per half hour: [reason][half hour] */
    double peak_calls_hh[ZS_CALL_REASONS][ZS_CALL_INTERVALS];
    double usual_calls_hh[ZS_CALL_REASONS][ZS_CALL_INTERVALS];
    int has_roster;
    char status[48];
    double objective, bound, gap;
    int full_timers, part_timers, temp_shifts;
    int32_t scheduled[7 * ZS_CALL_INTERVALS];
    char message[512];
} zs_h5service_plan;

/* The desk's settings as read back. */
typedef struct {
    int open_interval, close_interval;
    double risk, target, within_s, patience_s, shrinkage;
} zs_h5service_info;

/* Reads /service of a results file: *n plans (0 and *plans NULL when the
 * file has none) into *plans (zs_malloc'ed, the caller's to zs_free) and
 * the settings into *info.  Errors: the file missing or damaged
 * (ZS_EINPUT naming it), out of memory. */
zs_status zs_h5service_read(const char *path, size_t *n, zs_h5service_plan **plans,
                            zs_h5service_info *info, zs_err *err);

#endif
