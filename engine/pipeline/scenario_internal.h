/*
 * engine/pipeline/scenario_internal.h -- shared by the files of the scenario
 * module (engine/pipeline/scenario.h): scenario_keys.c (the key table,
 * defaults and `zonesim keys`), scenario_values.c (a YAML node's value
 * read into a struct field, errors at file:line:col) and scenario.c (the
 * sections walked, lists and plans parsed, the whole checked; the entry
 * points).  Only the files of engine/pipeline/ include it.
 *
 * The short names (ktype, K_*, keydef, parser, SC, PL, NO_OFF, INF) stay
 * as they were in the one file the module was: they are seen only by
 * those three files, and the key table reads as it did.
 */
#ifndef ZS_ENGINE_SCENARIO_INTERNAL_H
#define ZS_ENGINE_SCENARIO_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <yaml.h>

#include "pipeline/scenario.h"

typedef enum {
    K_SECTION,  /* a nested mapping; offset (if not NO_OFF) is an int set to 1 */
    K_PLANS,    /* the plans sequence */
    K_DOUBLE, K_SIZE, K_INT, K_U64, K_BOOL,
    K_STR,      /* owned char * */
    K_PATH,     /* owned char *, resolved against the scenario's directory */
    K_CHAR,     /* CSV delimiter */
    K_TIME,     /* "HH:MM" -> hours (double) */
    K_DATE,     /* "YYYY-MM-DD" -> zs_date */
    K_WEEK7,    /* 7 numbers -> double[7] */
    K_MONTH12,  /* 12 numbers -> double[12] */
    K_EVENTS,   /* the demand.events list */
    K_DISRUPT,  /* the disruptions list */
    K_ROADS,    /* the roads list (areas of slower roads) */
    K_ROUTE,    /* daily | fixed -> int */
    K_DKIND,    /* weather | traffic | scan_delay -> zs_disruption_kind */
    K_XY,       /* 2 numbers -> double[2] */
    K_PTYPE,    /* point type name -> int */
    K_COORDS,   /* metres | lonlat -> int */
    K_KAUTO,    /* "auto" (0) or an integer -> size_t */
    K_METHOD,   /* kmeans | manual -> zs_plan_method */
    K_VEHICLE,  /* none | van | tricycle | ebike | foot -> zs_vehicle_kind */
    K_PSAME,    /* a probability, or "same" (ZS_SIGNING_SAME) */
    K_INFEAS,   /* stop | relax -> int (relax = 1) */
    K_ENCODING, /* owned char *: utf-8 or a name iconv_open accepts */
    K_WAVES,    /* the dispatch.waves list */
    K_PICKPOL,  /* after | inserted -> int (inserted = 1) */
    K_UNASSIGNED /* error | nearest -> int (nearest = 1) */
} ktype;

#define NO_OFF ((size_t)-1)
#define SC(f) offsetof(zs_scenario, f)
#define PL(f) offsetof(zs_plan_spec, f)
#define INF HUGE_VAL

typedef struct {
    const char *section; /* "" = top level; "plans[]" = each plan entry */
    const char *key;
    ktype type;
    size_t offset;       /* into zs_scenario, or zs_plan_spec under plans[] */
    double min, max;     /* inclusive range of numbers (and of list items) */
    const char *unit;
    const char *help;
} keydef;

/* Records that list entries (demand.events[], disruptions[]) are parsed
 * into with the same table and walker as everything else; the list
 * parsers then check and copy them. */
typedef struct {
    char *name;
    zs_date start;
    int days;
    double factor;
} event_rec;

typedef struct {
    zs_disruption_kind kind;
    zs_date start;
    int days;
    double travel_factor, delay_min;
    double couriers, share;
} disruption_rec;

typedef struct {
    char *name;
    double west, east, south, north, factor;
} road_rec;

typedef struct {
    double at_h, share, weekday_share[7], peak_share; /* -1: not given */
} wave_rec;

typedef struct {
    const char *file;      /* for messages */
    const char *base_dir;
    yaml_document_t *doc;
    zs_err *err;
} parser;

/* ---- the key table (scenario_keys.c) ----------------------------------- */

/* The key `key` of `section` ("" = top level, "plans[]" in a plan entry);
 * NULL when there is none. */
const keydef *zs_scn_find_key(const char *section, const char *key);

/* The keys of section, comma-separated, into buf (cut at size). */
void zs_scn_list_keys(char *buf, size_t size, const char *section);

/* Sets every field of sc to its default (strings allocated: zs_scenario_free
 * releases them).  ZS_ENOMEM. */
zs_status zs_scn_defaults(zs_scenario *sc, zs_err *err);

/* A plan entry's defaults: a computed plan (zs_partition_opts_defaults)
 * inheriting vehicle.type. */
void zs_scn_plan_defaults(zs_plan_spec *pl);

/* ---- node helpers and values (scenario_values.c) ------------------------ */

/* Sets err to "file:line:col: message" at node n (no place for NULL) and
 * returns code. */
zs_status zs_scn_at(parser *p, const yaml_node_t *n, zs_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same at a remembered place m. */
zs_status zs_scn_at_mark(parser *p, zs_mark m, zs_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Where node n starts, 1-based. */
zs_mark zs_scn_mark_of(const yaml_node_t *n);

/* The text of scalar node n. */
const char *zs_scn_scalar(const yaml_node_t *n);

/* "a scalar", "a list", "a mapping" or "nothing", for messages. */
const char *zs_scn_node_kind(const yaml_node_t *n);

/* "section.key" for messages ("key" at top level, "plans[2].k" in plans). */
void zs_scn_full_name(char *buf, size_t size, const char *section, long idx, const char *key);

/* Replaces the owned string *slot by a copy of value.  ZS_ENOMEM. */
zs_status zs_scn_set_string(parser *p, char **slot, const char *value);

/* Parses the value node v of key k into base + k->offset (base is the
 * scenario, a plan spec or a list record, as k's section says); name is
 * the key's full name for messages. */
zs_status zs_scn_parse_value(parser *p, const keydef *k, const yaml_node_t *v, void *base,
                             const char *name);

#endif
