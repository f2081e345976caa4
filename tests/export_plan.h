/* The hand-built three-zone plan the map tests draw (test_export.c,
 * test_export_outline.c), and a ring's signed area. */
#ifndef ZS_TESTS_EXPORT_PLAN_H
#define ZS_TESTS_EXPORT_PLAN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_fixture.h"
#include "maps/export.h"
#include "models/alloc.h"
#include "models/ptype.h"
#include "sim/stats.h"

/* Zone 0 "north": a square with an interior point; zone 1 'b"q<&': one
 * point; zone 2 "line": three collinear points. */
#define NPT 9
static const double PX[NPT] = {0, 100, 100, 0, 50, 500, 300, 350, 400};
static const double PY[NPT] = {0, 0, 100, 100, 50, 500, 0, 50, 100};
static const int32_t PZ[NPT] = {0, 0, 0, 0, 0, 1, 2, 2, 2};

typedef struct {
    zs_points *pts;
    zs_partition *part;
    zs_plan_summary *sum;
} plan_fx;

static inline void build_plan(plan_fx *fx, int lonlat)
{
    zs_err err;
    fx->pts = xalloc(zs_points_create(NPT, &err));
    for (size_t i = 0; i < NPT; i++) {
        fx->pts->x[i] = PX[i];
        fx->pts->y[i] = PY[i];
        fx->pts->type[i] = (uint8_t)(i % ZS_PT_COUNT);
        fx->pts->parcels[i] = 0.5 * (double)(i + 1);
    }
    if (lonlat) {
        fx->pts->has_lonlat = 1;
        fx->pts->lon0 = 120;
        fx->pts->lat0 = 30;
        fx->pts->lon = xalloc(zs_calloc(NPT, sizeof(double)));
        fx->pts->lat = xalloc(zs_calloc(NPT, sizeof(double)));
        for (size_t i = 0; i < NPT; i++)
            zs_export_unproject(fx->pts, PX[i], PY[i], &fx->pts->lon[i], &fx->pts->lat[i]);
    }
    char *labels[3] = {"north", "b\"q<&", "line"};
    if (zs_partition_from_labels(fx->pts, PZ, 3, labels, &fx->part, &err) != ZS_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        exit(1);
    }
    fx->sum = xalloc(zs_calloc(1, sizeof *fx->sum));
    fx->sum->zones = 3;
    for (int m = 0; m < ZS_M_COUNT; m++)
        fx->sum->zone[m] = xalloc(zs_calloc(3, sizeof(zs_stat)));
    for (size_t z = 0; z < 3; z++) {
        fx->sum->zone[ZS_M_WORK_MIN][z].mean = 450 + 30 * (double)z; /* 7.5, 8, 8.5 h */
        fx->sum->zone[ZS_M_WORK_MIN][z].p90 = 540;                     /* 9 h */
        fx->sum->zone[ZS_M_OVERTIME_MIN][z].mean = 15;                 /* 0.25 h */
        fx->sum->zone[ZS_M_STOPS][z].mean = 2.5;
    }
}

static inline void free_plan(plan_fx *fx)
{
    zs_points_free(fx->pts);
    zs_partition_free(fx->part);
    zs_plan_summary_free(fx->sum);
}

/* Twice the signed area (> 0: counter-clockwise). */
static inline double area2(const zs_xy *h, size_t n)
{
    double a = 0;
    for (size_t i = 0; i < n; i++) {
        const zs_xy *p = &h[i], *q = &h[(i + 1) % n];
        a += p->x * q->y - q->x * p->y;
    }
    return a;
}

#endif
