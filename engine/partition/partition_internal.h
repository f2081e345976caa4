/*
 * engine/partition/partition_internal.h -- shared by the partition methods.
 *
 * Construction of a zs_partition, used by kmeans.c and labels.c only; no
 * other module includes this header.
 */
#ifndef ZS_ENGINE_PARTITION_INTERNAL_H
#define ZS_ENGINE_PARTITION_INTERNAL_H

#include "partition.h"

/* A partition of n points into k zones with zone, cx, cy allocated (zone
 * uninitialised, centres zero) and labels copied from labels[0..k), or
 * "1".."k" when labels is NULL; diagnostics zeroed.  NULL when out of
 * memory (nothing leaked). */
zs_partition *zs_partition_alloc(size_t n, size_t k, char *const *labels);

#endif
