/*
 * engine/results/h5out_internal.h -- stages of the results-file writer shared with
 * its sibling engine/h5merge.c (internal: only engine/h5*.c include it).
 *
 * `zonesim merge` copies the objects every shard holds alike (/points,
 * /calendar, /models, /plans, ...) and writes /sim and /summary itself; it
 * writes them with these very stages, so a merged file cannot drift from a
 * single run's file.
 */
#ifndef ZS_ENGINE_H5OUT_INTERNAL_H
#define ZS_ENGINE_H5OUT_INTERNAL_H

#include "results/h5out.h"
#include "results/h5util.h"

/* Root attribute complete (1 for a whole run) or, for a shard
 * (r->shard_count > 0), complete = 0 with shard, shard_index, shard_count,
 * rep_begin and rep_end.  0 or -1 with w's error set. */
int zs_h5out_write_shard_attrs(zs_h5_writer *w, hid_t f, const zs_results *r);

/* The groups /sim (every plan with a sim) and /summary (every plan with a
 * summary, and the paired tables) of r into the open file f.  0 or -1 with
 * w's error set; nothing is left open. */
int zs_h5out_write_sim_summary(zs_h5_writer *w, hid_t f, const zs_results *r);

#endif
