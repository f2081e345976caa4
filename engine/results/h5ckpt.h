/*
 * engine/results/h5ckpt.h -- checkpoint blocks of a long run, so that a killed run
 * can be resumed (`zonesim run --checkpoint-every B`, `--resume`).
 *
 * A checkpoint directory ("<output>.partial/", named by engine/run) holds
 * one HDF5 file per finished block of replications,
 * "block-<rep_begin>-<rep_end>.h5", each written as .tmp, synced to disk
 * and renamed (engine/h5util.h), so a block file with its final name is
 * complete even after a crash; a killed run leaves at most one .tmp, which
 * loading removes.  Every block carries what it was computed from (the
 * scenario text, master seed, engine and key-derivation versions, the size
 * of the run, the plans' names, zone counts and a hash of their zone
 * assignments): a block is only used for the very run that wrote it.  The
 * values of a replication depend only on (seed, replication) (engine/sim.h),
 * so blocks can be computed in any order, by any thread count, and a
 * resumed run equals an uninterrupted one bit for bit.
 *
 * Block file layout (uncompressed: written often, read once): root
 * attributes kind = "zonesim checkpoint block", engine_version,
 * rng_key_version, scenario_text, master_seed, replications, days,
 * rep_begin, rep_end, block_reps and plans (string [n_plans]); per plan a
 * group /sim/<plan> with attributes zones and zone_hash and one dataset
 * per metric, double [rep_end - rep_begin][days][zones], as in a results
 * file.  There is no layout_version, so `zonesim inspect` refuses a block.
 * Called from the main thread only.
 */
#ifndef ZS_ENGINE_H5CKPT_H
#define ZS_ENGINE_H5CKPT_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"
#include "sim/sim.h"

/* What a block must match to be used: the run that wrote it. */
typedef struct {
    const char *scenario_text;
    uint64_t seed;               /* master seed */
    size_t reps, days;           /* the whole run's replications and days */
    size_t n_plans;
    const char *const *plan_names;
    const size_t *zones;         /* per plan */
    const uint64_t *zone_hash;   /* per plan: zs_h5ckpt_zone_hash of its zones */
} zs_ckpt_key;

/* FNV-1a (64-bit) of n zone indices, as stored in blocks. */
uint64_t zs_h5ckpt_zone_hash(const int32_t *zone, size_t n);

/* Writes the block blk[0..key->n_plans) (results over the same rows
 * [blk[p]->rep_begin, + reps)) into dir, creating dir (and its parent, one
 * level) when missing.  block_reps is the run's block size, recorded for
 * a resume that does not give one. */
zs_status zs_h5ckpt_write(const char *dir, const zs_ckpt_key *key, size_t block_reps,
                          zs_sim_result *const *blk, zs_err *err);

/* Loads every block of dir into full[0..key->n_plans) (zeroed results of
 * the range being run, full[p]->rep_begin onward), sets done[r] = 1 for
 * each replication full[0]->rep_begin + r it holds, and returns the number
 * of replications loaded and the block size the blocks were written with
 * (0 when dir holds none).  Leftover .tmp files are removed.  A block of
 * another run, one outside the range or overlapping another, and a damaged
 * one are ZS_EINPUT naming the file and saying to remove dir. */
zs_status zs_h5ckpt_load(const char *dir, const zs_ckpt_key *key, zs_sim_result *const *full,
                         unsigned char *done, size_t *reps_loaded, size_t *block_reps,
                         zs_err *err);

/* Removes dir's block files (and .tmp leftovers) and dir itself; a missing
 * dir is fine.  Other files in dir are left alone, and dir with them. */
zs_status zs_h5ckpt_remove(const char *dir, zs_err *err);

#endif
