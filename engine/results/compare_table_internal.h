/*
 * engine/results/compare_table_internal.h -- helpers shared by the files of
 * the comparison table module (compare_table.c, compare_report.c,
 * compare_stats.c); no other module includes it.
 */
#ifndef ZS_ENGINE_RESULTS_COMPARE_TABLE_INTERNAL_H
#define ZS_ENGINE_RESULTS_COMPARE_TABLE_INTERNAL_H

#include <stdio.h>

#include "models/status.h"

/* Claims path (engine/input/files.h) and opens a temporary of this
 * process for it; *tmp (the caller's to free, also on failure) gets that
 * name.  NULL with err set (and the claim dropped) when it cannot. */
FILE *zs_compare_open_tmp(const char *path, char **tmp, zs_err *err);

/* Closes f and renames tmp to path, so a reader never sees half a file;
 * on any failure removes tmp (a full disk named as such).  Frees tmp and
 * drops the claim on path. */
zs_status zs_compare_close_tmp(FILE *f, char *tmp, const char *path, zs_err *err);

#endif
