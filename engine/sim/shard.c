/*
 * engine/sim/shard.c -- replication shards (see shard.h).
 */
#include "sim/shard.h"

zs_status zs_shard_range(size_t reps, size_t i, size_t n, size_t *begin, size_t *end,
                         zs_err *err)
{
    if (n < 1 || i >= n)
        return zs_err_set(err, ZS_EINVAL, "--shard %zu/%zu: expected I/N with 0 <= I < N", i, n);
    if (n > reps)
        return zs_err_set(err, ZS_EINVAL,
                          "--shard %zu/%zu: %zu shards for %zu replications; use at most one "
                          "shard per replication", i, n, n, reps);
    /* i * reps cannot overflow for any run that fits in memory: reps rows
     * of results are allocated, and n <= reps. */
    *begin = (size_t)((unsigned long long)i * reps / n);
    *end = (size_t)((unsigned long long)(i + 1) * reps / n);
    return ZS_OK;
}
