/*
 * engine/network/roads.h -- the street graph one vehicle drives (or walks).
 *
 * Built from an OpenStreetMap extract (network/osm.h) for a profile: a
 * speed per highway class (0 = the vehicle may not use it), whether one-way
 * rules bind, and which access tags exclude it.  Nodes are projected to the
 * points' metres (input/points.h's formula about a given origin); each pair
 * of consecutive way nodes is one segment, driven at its class's speed in
 * the directions the profile allows.  Only the largest strongly connected
 * part is kept (every kept node reaches every other), and what was dropped
 * is counted.  A uniform grid over the segments finds the street nearest a
 * point (zs_roads_snap).
 *
 * Default speeds in km/h (profile "van", "tricycle", "ebike", "foot"):
 *   class         van  tricycle ebike foot
 *   motorway       80      -      -     -
 *   trunk          60      -      -     -
 *   primary        45     18     20     5
 *   secondary      40     18     20     5
 *   tertiary       35     18     20     5
 *   unclassified   30     16     18     5
 *   residential    25     15     18     5
 *   living_street  10     10     12     5
 *   service        15     12     15     5
 *   track          15     10     12     5
 *   pedestrian      -      6      8     5
 *   footway         -      -      -     5
 *   cycleway        -     15     20     5 (foot only where foot=yes)
 *   path            -      8     12     5
 *   steps           -      -      -   2.5
 * These are assumptions (urban free-flow figures of the kind OSRM's and
 * GraphHopper's profiles use, lowered for a stopping delivery vehicle), to
 * be overridden per scenario.  One-way rules bind the van, tricycle and
 * e-bike, not the walker; access=no/private and motor_vehicle=no exclude
 * the van, bicycle=no the tricycle and e-bike, foot=no the walker.
 */
#ifndef ZS_ENGINE_NETWORK_ROADS_H
#define ZS_ENGINE_NETWORK_ROADS_H

#include <stddef.h>
#include <stdint.h>

#include "network/osm.h"
#include "models/status.h"

typedef enum { ZS_PROF_VAN = 0, ZS_PROF_TRICYCLE, ZS_PROF_EBIKE, ZS_PROF_FOOT, ZS_PROF_COUNT } zs_profile_kind;

typedef struct {
    int kind;                       /* zs_profile_kind */
    double speed_kmh[ZS_HW_COUNT];  /* 0: not allowed */
    double walk_kmh;                /* from the street to the door */
} zs_profile;

/* The profile's name ("van"); NULL out of range. */
const char *zs_profile_name(int kind);

/* Fills p with the defaults above for the named profile; ZS_EINVAL naming
 * the known profiles when name is not one. */
zs_status zs_profile_defaults(zs_profile *p, const char *name, zs_err *err);

typedef struct {
    size_t n;                 /* nodes kept */
    double *x, *y;            /* metres */
    int64_t *osm_id;          /* the OSM node id of each */
    size_t *out_start;        /* n + 1 */
    uint32_t *out_to;         /* directed edges in CSR */
    double *out_s;            /* seconds */
    double *out_m;            /* metres */
    size_t *in_start;         /* n + 1: the same edges by their head (CSR), */
    uint32_t *in_from;        /*   for searches towards a point */
    double *in_s, *in_m;
    /* Segments (each street piece once, for snapping and maps): */
    size_t n_seg;
    uint32_t *seg_u, *seg_v;  /* node indices */
    double *seg_m;            /* length, metres */
    double *seg_s_uv, *seg_s_vu; /* seconds each way; HUGE_VAL where not allowed */
    uint8_t *seg_cls;         /* zs_hw_class */
    /* Grid over the segments (cells of side cell_m from gx0, gy0). */
    double gx0, gy0, cell_m;
    size_t nx, ny;
    size_t *cell_start;
    uint32_t *cell_seg;
    /* What the build kept and dropped. */
    size_t ways_used;         /* ways usable by the profile */
    size_t nodes_all;         /* nodes of usable ways */
    size_t parts;             /* strongly connected parts found */
    size_t nodes_dropped;     /* nodes outside the largest part */
    size_t seg_dropped;       /* segments outside it */
    double km;                /* street km kept */
} zs_roads;

/* The graph of o for profile p, projected about (lon0, lat0) degrees.
 * ZS_EINPUT "path: no streets usable by a <profile> in this extract" when
 * none is left (path only names the file in messages).  ZS_ENOMEM. */
zs_status zs_roads_build(const zs_osm *o, const zs_profile *p, double lon0, double lat0,
                         const char *path, zs_roads **out, zs_err *err);

void zs_roads_free(zs_roads *g);

/* Where a point meets the street: segment seg at fraction t from seg_u to
 * seg_v (0..1), at snap_m metres from the point. */
typedef struct {
    uint32_t seg;
    double t;
    double snap_m;
} zs_snap;

/* The nearest segment to (x, y) within max_m metres: 1 and *s filled, or
 * 0 when none is that close.  Ties go to the lower segment index. */
int zs_roads_snap(const zs_roads *g, double x, double y, double max_m, zs_snap *s);

#endif
