/*
 * engine/sim/shard.h -- replication shards: which replications shard i of
 * n runs.
 *
 * A run of many replications can be split into shards that a scheduler's
 * job array runs independently (`zonesim run --shard I/N`) and `zonesim
 * merge` joins.  Every replication draws from streams keyed by its own
 * index, so the split changes nothing in the results; this module only
 * says where the boundaries lie, for the driver and for the merge's
 * completeness check alike.
 */
#ifndef ZS_ENGINE_SIM_SHARD_H
#define ZS_ENGINE_SIM_SHARD_H

#include <stddef.h>

#include "models/status.h"

/* Shard i of n of a run of reps replications: the contiguous range
 * [*begin, *end) with begin = floor(i * reps / n), end = floor((i + 1) *
 * reps / n), so shard sizes differ by at most one and the shards in order
 * tile [0, reps).  Needs i < n <= reps (ZS_EINVAL naming the option
 * "--shard I/N" otherwise). */
zs_status zs_shard_range(size_t reps, size_t i, size_t n, size_t *begin, size_t *end,
                         zs_err *err);

#endif
