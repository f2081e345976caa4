/*
 * engine/results/h5merge.h -- `zonesim merge`: the shard files of one run joined
 * into the results file a single process would have written.
 *
 * `zonesim run --shard I/N` writes shard I of N: replications
 * zs_shard_range() of every plan (engine/sim/shard.h), in a results file of
 * the usual layout whose root says shard = "I/N" and complete = 0.  Since
 * every replication depends only on (master seed, replication), the
 * shards' /sim rows are exactly the rows of the single run.  Merging
 * checks that the files are one complete set (same scenario text, engine
 * version, key derivation and master seed; the same N; every index 0..N-1
 * exactly once; the same plans, zone for zone), then copies from shard 0
 * every object the shards hold alike (/points, /calendar, /models, /plans
 * and the root provenance, as they are), joins the /sim rows in
 * replication order and writes /sim and /summary with the same stages and
 * statistics a run uses (engine/stats.h zs_stats_run), so every dataset of
 * the merged file equals the single run's, bit for bit.  Only attributes
 * that record the moment differ: created_utc of the root, and runtime_s of
 * each /plans/<plan> (shard 0's, as in any two runs of one scenario).
 *
 * Whatever else a results file gains later is copied from shard 0 as it
 * is, which is right for anything built before the simulation (plans,
 * rosters, models); anything computed from the simulated rows must be
 * written by zs_h5out_write_sim_summary (engine/h5out_internal.h), which
 * both the run and the merge call.
 *
 * Memory: all /sim arrays of the run are held at once (plans x
 * replications x days x zones doubles, as the run that writes one file
 * holds them), plus one shard's zone assignments.
 *
 * The output is written as <out>.tmp and renamed (engine/h5util.h); on any
 * refusal nothing is written.  Main thread only.
 */
#ifndef ZS_ENGINE_H5MERGE_H
#define ZS_ENGINE_H5MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"

/* What a merge joined, for the command line to report. */
typedef struct {
    size_t shards;             /* N */
    size_t reps, days, n_plans;
    uint64_t seed;
    char scenario_name[128];
} zs_h5merge_info;

/* Merges the n shard files shards[0..n) (any order) into out.  A file that
 * is not a shard, shards of different runs or splits, a missing or
 * duplicated index (each named), and plans that differ between shards are
 * ZS_EINPUT; out being one of the shards is ZS_EINVAL.  info may be NULL. */
zs_status zs_h5merge_shards(const char *out, const char *const *shards, size_t n,
                            zs_h5merge_info *info, zs_err *err);

#endif
