/*
 * engine/results/h5out_internal.h -- what the results-file modules share
 * (internal: only engine/results/h5*.c include it).
 *
 * The writer's stages, split by group: h5out.c writes the root, /points,
 * /calendar and /models and drives the rest; h5out_plans.c writes /plans,
 * /sim and /summary.  `zonesim merge` copies the objects every shard holds
 * alike (/points, /calendar, /models, /plans, ...) and writes /sim and
 * /summary itself; it writes them with these very stages, so a merged file
 * cannot drift from a single run's file.  The readers (h5out_read.c,
 * h5out_read_plan.c) share the summary tables' types and the plan checks.
 */
#ifndef ZS_ENGINE_H5OUT_INTERNAL_H
#define ZS_ENGINE_H5OUT_INTERNAL_H

#include "results/h5out.h"
#include "results/h5util.h"

/* Fixed width of the plan-name fields of the paired tables (see
 * ZS_H5_NAME_MAX: names fit with a NUL to spare). */
#define ZS_H5OUT_NAME_FIELD (ZS_H5_NAME_MAX + 1)

/* One row of a paired table (/summary/paired_*_min) in memory. */
typedef struct {
    char plan[ZS_H5OUT_NAME_FIELD];
    char baseline[ZS_H5OUT_NAME_FIELD];
    zs_stat s;
} zs_h5out_paired_row;

/* ---- writing (h5out.c) -------------------------------------------------- */

/* Root attribute complete (1 for a whole run) or, for a shard
 * (r->shard_count > 0), complete = 0 with shard, shard_index, shard_count,
 * rep_begin and rep_end.  0 or -1 with w's error set. */
int zs_h5out_write_shard_attrs(zs_h5_writer *w, hid_t f, const zs_results *r);

/* 1 when s can name a plan's group: non-empty, not "." or "..", no '/'. */
int zs_h5out_valid_name(const char *s);

/* ---- writing the per-plan groups (h5out_plans.c) ------------------------ */

/* The group /plans of r (a group per plan: attribute order i, the
 * partition, zone counts and parcels) into the open file f.  0 or -1 with
 * w's error set; nothing is left open. */
int zs_h5out_write_plans(zs_h5_writer *w, hid_t f, const zs_results *r);

/* The groups /sim (every plan with a sim) and /summary (every plan with a
 * summary, and the paired tables) of r into the open file f.  0 or -1 with
 * w's error set; nothing is left open. */
int zs_h5out_write_sim_summary(zs_h5_writer *w, hid_t f, const zs_results *r);

/* Compound of one zs_stat, in zs_stat's field order; file = 1 gives the
 * on-disk (little-endian) type.  The caller closes it; -1 on failure. */
hid_t zs_h5out_stat_type(int file);

/* Compound of one zs_h5out_paired_row: plan, baseline, then the zs_stat
 * fields; file as for zs_h5out_stat_type. */
hid_t zs_h5out_paired_type(int file);

/* ---- reading (h5out_read.c) --------------------------------------------- */

/* Lists the plan groups of the open /plans into l, sorted by their order
 * attribute (scenario order).  0 or -1 with r's error set. */
int zs_h5out_list_plans(zs_h5_reader *r, hid_t plans, zs_h5_names *l);

/* Reads /summary/<po->name> of a po->k-zone plan from the open /summary
 * into a new po->summary (the caller's, also after a failure), st being
 * the memory type zs_h5out_stat_type(0).  0 or -1 with r's error set. */
int zs_h5out_read_summary(zs_h5_reader *r, hid_t sumg, zs_h5_plan_overview *po, hid_t st);

#endif
