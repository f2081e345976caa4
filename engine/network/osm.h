/*
 * engine/network/osm.h -- what the engine takes from an OpenStreetMap
 * extract: streets, water, railways and buildings.
 *
 * Read with libreadosm (the only module that includes readosm.h): `.pbf`,
 * `.osm` XML and gzipped XML (`.osm.gz`, inflated to a temporary `.osm`
 * first, since readosm takes only those two suffixes).  The kind of file is
 * told by its first bytes, not its name.  Ways keep their nodes as indices
 * into the node arrays; a reference to a node the extract does not hold
 * (ways clipped at the extract's edge) splits the way there.
 *
 * Kept: ways with a `highway` class that carries traffic (motorway ...
 * residential, service, track, living_street, pedestrian, footway, path,
 * cycleway, steps; links as their class), with one-way and access tags;
 * water (`waterway` river, canal, riverbank, dock; `natural` water and
 * coastline; `landuse` reservoir and basin; members of water multipolygon
 * relations), railways (`railway` rail, light_rail, not in tunnels);
 * buildings (centroid and a point type from their tags).
 */
#ifndef ZS_ENGINE_NETWORK_OSM_H
#define ZS_ENGINE_NETWORK_OSM_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"

typedef enum {
    ZS_HW_MOTORWAY = 0, ZS_HW_TRUNK, ZS_HW_PRIMARY, ZS_HW_SECONDARY, ZS_HW_TERTIARY,
    ZS_HW_UNCLASSIFIED, ZS_HW_RESIDENTIAL, ZS_HW_LIVING_STREET, ZS_HW_SERVICE, ZS_HW_TRACK,
    ZS_HW_PEDESTRIAN, ZS_HW_FOOTWAY, ZS_HW_CYCLEWAY, ZS_HW_PATH, ZS_HW_STEPS,
    ZS_HW_COUNT
} zs_hw_class;

/* The class's OSM name ("residential"); NULL out of range. */
const char *zs_hw_name(int cls);

/* The class named name (links count as their road: "primary_link" ->
 * primary); -1 when OSM has no such traffic-carrying class here. */
int zs_hw_parse(const char *name);

typedef enum { ZS_WAY_ROAD = 0, ZS_WAY_WATER, ZS_WAY_COAST, ZS_WAY_RAIL } zs_way_kind;

/* Access flags of a road way. */
enum {
    ZS_ACC_NO_MOTOR = 1,  /* access/motor_vehicle/motorcar = no or private */
    ZS_ACC_NO_FOOT = 2,   /* foot = no (motorways and trunks are footless by class) */
    ZS_ACC_FOOT_YES = 4,  /* foot = yes/designated/permissive (e.g. a cycleway) */
    ZS_ACC_NO_BIKE = 8,   /* bicycle = no */
    ZS_ACC_BRIDGE = 16,   /* bridge = yes (or any non-"no" value) */
    ZS_ACC_TUNNEL = 32    /* tunnel = yes */
};

typedef struct {
    int64_t id;
    uint32_t first, count;  /* refs[first .. first + count) */
    uint8_t kind;           /* zs_way_kind */
    uint8_t cls;            /* zs_hw_class for roads */
    int8_t oneway;          /* 1 along the nodes, -1 against, 0 both ways */
    uint8_t flags;          /* ZS_ACC_* */
} zs_osm_way;

/* Point types a building can suggest (the engine's point types by name). */
typedef struct {
    double lat, lon;        /* centroid of the outline's nodes */
    char type[16];          /* "residential", "office", "shop", "school", ... */
} zs_osm_building;

typedef struct {
    size_t n_nodes;
    int64_t *node_id;       /* ascending */
    double *lat, *lon;      /* degrees */
    size_t n_refs;
    uint32_t *refs;         /* node indices */
    size_t n_ways;
    zs_osm_way *ways;
    size_t n_buildings;
    zs_osm_building *buildings;
    double min_lat, min_lon, max_lat, max_lon; /* of the nodes that ways use */
    size_t missing_refs;    /* way references to nodes not in the extract */
} zs_osm;

/* Reads path.  ZS_EINPUT with the path for: a missing or unreadable file,
 * a directory, a file that is neither PBF nor OSM XML (gzipped or not), a
 * truncated or damaged PBF or XML file (readosm's reason), an extract with
 * no ways at all.  ZS_ENOMEM, ZS_EIO (temporary file).  Leaves no
 * temporary file behind. */
zs_status zs_osm_load(const char *path, zs_osm **out, zs_err *err);

void zs_osm_free(zs_osm *o);

#endif
