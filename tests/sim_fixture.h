/* tests/sim_fixture.h -- the small station that tests/test_sim.c and
 * tests/test_pickup.c simulate: n points on rings around the depot at
 * (0, 0), and plans with zone = point index mod k. */
#ifndef ZS_TESTS_SIM_FIXTURE_H
#define ZS_TESTS_SIM_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "partition/partition.h"
#include "input/points.h"
#include "models/ptype.h"

/* typed: point i gets type i mod ZS_PT_COUNT (else the default type). */
static inline zs_points *ring_points(size_t n, int typed)
{
    zs_err err;
    zs_points *p = zs_points_create(n, &err);
    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        double r = 300.0 + 40.0 * (double)(i % 7), a = 0.7 * (double)i;
        p->x[i] = r * cos(a);
        p->y[i] = r * sin(a);
        p->parcels[i] = 0.3 + 0.1 * (double)(i % 5);
        if (typed)
            p->type[i] = (uint8_t)(i % ZS_PT_COUNT);
    }
    return p;
}

/* A plan of k zones, zone = i mod k (k = n: every point its own zone). */
static inline zs_partition *modulo_plan(const zs_points *pts, size_t k)
{
    int32_t *zone = malloc(pts->n * sizeof *zone);
    if (!zone)
        return NULL;
    for (size_t i = 0; i < pts->n; i++)
        zone[i] = (int32_t)(i % k);
    zs_partition *pl = NULL;
    zs_err err;
    if (zs_partition_from_labels(pts, zone, k, NULL, &pl, &err) != ZS_OK)
        printf("      %s\n", err.msg);
    free(zone);
    return pl;
}

#endif
