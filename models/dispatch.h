/*
 * models/dispatch.h -- dispatch waves found in a history's scan times.
 *
 * Trunk trucks arrive in waves and each wave's parcels are scanned within
 * an hour or so; between waves the scanners are idle.  Given the scan
 * minute (after midnight) and the parcels of each history row, the waves
 * are the runs of scans with no gap of gap_min or more between
 * consecutive scan times; when there are more than ZS_FIT_WAVES_MAX runs
 * the smallest (by parcels) are joined to the nearer neighbouring run
 * until that many are left.  Each wave reports its first, median and last
 * scan (parcel-weighted median), its share of the parcels overall and on
 * each weekday.  `zonesim calibrate` prints them as dispatch.waves.
 */
#ifndef ZS_MODELS_DISPATCH_H
#define ZS_MODELS_DISPATCH_H

#include <stddef.h>

#include "models/status.h"

#define ZS_FIT_WAVES_MAX 3

typedef struct {
    size_t n_waves;
    double first[ZS_FIT_WAVES_MAX], median[ZS_FIT_WAVES_MAX], last[ZS_FIT_WAVES_MAX];
    double share[ZS_FIT_WAVES_MAX];            /* of all parcels */
    double weekday_share[7][ZS_FIT_WAVES_MAX]; /* of each weekday's parcels (0 without any) */
    double parcels;                            /* parcels with a scan time */
} zs_waves_fit;

/* Parses a scan time: "HH:MM" or "HH:MM:SS", possibly after a date and a
 * space ("2026-03-02 08:15:00", LaDe's "03-02 08:15:00"); *minute gets the
 * minutes after midnight.  -1 when it is not such a time. */
int zs_scan_time_parse(const char *s, double *minute);

/* Finds the waves of n rows: scan minute[i] (0 <= minute < 1440), weight
 * parcels[i] >= 0, weekday[i] (Monday = 0).  gap_min > 0.  ZS_EINVAL when
 * no row has parcels; ZS_ENOMEM. */
zs_status zs_waves_fit_scans(const double *minute, const double *parcels, const int *weekday,
                             size_t n, double gap_min, zs_waves_fit *out, zs_err *err);

#endif
