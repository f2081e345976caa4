/*
 * engine/pipeline/scenario_values.c -- a scenario key's YAML value read
 * into its field (engine/pipeline/scenario_internal.h).
 *
 * Numbers, integers, lists of numbers, times, dates, paths and the named
 * choices (point type, method, vehicle, ...) are converted and checked
 * against their key's range here, and every error names the node's
 * file:line:column, as compilers do.  Numbers must be plain scalars: a
 * quoted "12" is a string, as YAML says.  Nothing here knows the sections;
 * scenario.c walks them.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "input/csv.h"
#include "models/alloc.h"
#include "models/ptype.h"
#include "pipeline/scenario_internal.h"

/* ---- errors and nodes -------------------------------------------------- */

zs_status zs_scn_at(parser *p, const yaml_node_t *n, zs_status code, const char *fmt, ...)
{
    char msg[ZS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long line = n ? (long)n->start_mark.line + 1 : 0;
    long col = n ? (long)n->start_mark.column + 1 : 0;
    return zs_err_at(p->err, code, p->file, line, col, "%s", msg);
}

zs_status zs_scn_at_mark(parser *p, zs_mark m, zs_status code, const char *fmt, ...)
{
    char msg[ZS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return zs_err_at(p->err, code, p->file, m.line, m.col, "%s", msg);
}

zs_mark zs_scn_mark_of(const yaml_node_t *n)
{
    zs_mark m = {(long)n->start_mark.line + 1, (long)n->start_mark.column + 1};
    return m;
}

const char *zs_scn_scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

const char *zs_scn_node_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

/* "section.key" for messages ("key" at top level, "plans[2].k" in plans). */
void zs_scn_full_name(char *buf, size_t size, const char *section, long idx, const char *key)
{
    /* A list entry's section ("plans[]", "demand.events[].x") is named with
     * its index: "plans[2]", "demand.events[0].days". */
    char sec[128];
    const char *brackets = strstr(section, "[]");
    if (brackets)
        snprintf(sec, sizeof sec, "%.*s[%ld]%s", (int)(brackets - section), section, idx, brackets + 2);
    else
        snprintf(sec, sizeof sec, "%s", section);
    if (!*sec && (brackets = strstr(key, "[]")) != NULL)
        snprintf(buf, size, "%.*s[%ld]%s", (int)(brackets - key), key, idx, brackets + 2);
    else if (!*sec)
        snprintf(buf, size, "%s", key);
    else
        snprintf(buf, size, "%s.%s", sec, key);
}

/* ---- scalar conversions ---------------------------------------------- */

static int plain_scalar(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (*s == '-' || *s == '+' || *s == '\0')
        return -1;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9')
            return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static zs_status get_number(parser *p, const yaml_node_t *n, const char *name, double *out)
{
    if (!plain_scalar(n))
        return zs_scn_at(p, n, ZS_EINPUT, "%s: expected a number, got %s", name,
                  n->type == YAML_SCALAR_NODE ? "a quoted string" : zs_scn_node_kind(n));
    if (parse_double(zs_scn_scalar(n), out) != 0)
        return zs_scn_at(p, n, ZS_EINPUT, "%s: expected a number, got '%s'", name, zs_scn_scalar(n));
    return ZS_OK;
}

static zs_status check_range(parser *p, const yaml_node_t *n, const char *name, double v,
                             const keydef *k)
{
    if (v < k->min) {
        if (k->min == 0.0 && k->type == K_DOUBLE)
            return zs_scn_at(p, n, ZS_EINVAL, "%s = %s; must be >= 0", name, zs_scn_scalar(n));
        return zs_scn_at(p, n, ZS_EINVAL, "%s = %s; must be >= %g", name, zs_scn_scalar(n), k->min);
    }
    if (v > k->max)
        return zs_scn_at(p, n, ZS_EINVAL, "%s = %s; must be <= %g", name, zs_scn_scalar(n), k->max);
    return ZS_OK;
}

static zs_status get_integer(parser *p, const yaml_node_t *n, const char *name,
                             const keydef *k, uint64_t *out)
{
    if (!plain_scalar(n))
        return zs_scn_at(p, n, ZS_EINPUT, "%s: expected an integer, got %s", name,
                  n->type == YAML_SCALAR_NODE ? "a quoted string" : zs_scn_node_kind(n));
    const char *s = zs_scn_scalar(n);
    if (parse_u64(s, out) != 0) {
        double d;
        if (parse_double(s, &d) == 0 && d < 0)
            return zs_scn_at(p, n, ZS_EINVAL, "%s = %s; must be >= %g", name, s, k->min);
        return zs_scn_at(p, n, ZS_EINPUT, "%s: expected an integer, got '%s'", name, s);
    }
    if (k->max > k->min && ((double)*out < k->min || (double)*out > k->max))
        return check_range(p, n, name, (double)*out, k);
    return ZS_OK;
}

static zs_status get_list(parser *p, const yaml_node_t *n, const char *name, const keydef *k,
                          double *out, size_t want)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return zs_scn_at(p, n, ZS_EINPUT, "%s: expected a list of %zu numbers, got %s", name, want,
                  zs_scn_node_kind(n));
    size_t got = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (got != want)
        return zs_scn_at(p, n, ZS_EINPUT, "%s: expected %zu numbers, got %zu", name, want, got);
    for (size_t i = 0; i < want; i++) {
        yaml_node_t *it = yaml_document_get_node(p->doc, n->data.sequence.items.start[i]);
        char item[160];
        snprintf(item, sizeof item, "%s[%zu]", name, i);
        zs_status st = get_number(p, it, item, &out[i]);
        if (st == ZS_OK)
            st = check_range(p, it, item, out[i], k);
        if (st != ZS_OK)
            return st;
    }
    return ZS_OK;
}

zs_status zs_scn_set_string(parser *p, char **slot, const char *value)
{
    char *s = zs_strdup(value);
    if (!s)
        return ZS_NOMEM(p->err);
    zs_free(*slot);
    *slot = s;
    return ZS_OK;
}

static zs_status set_path(parser *p, char **slot, const char *value)
{
    if (value[0] == '/' || !p->base_dir || strcmp(p->base_dir, ".") == 0)
        return zs_scn_set_string(p, slot, value);
    size_t n = strlen(p->base_dir) + strlen(value) + 2;
    char *s = zs_malloc(n);
    if (!s)
        return ZS_NOMEM(p->err);
    snprintf(s, n, "%s/%s", p->base_dir, value);
    zs_free(*slot);
    *slot = s;
    return ZS_OK;
}

/* Parses the value node v of key k into base + k->offset. */
zs_status zs_scn_parse_value(parser *p, const keydef *k, const yaml_node_t *v, void *base,
                             const char *name)
{
    char *slot = (char *)base + k->offset;
    uint64_t u;
    double d;
    zs_status st;
    if (k->type != K_WEEK7 && k->type != K_MONTH12 && k->type != K_XY &&
        v->type != YAML_SCALAR_NODE)
        return zs_scn_at(p, v, ZS_EINPUT, "%s: expected a single value, got %s", name, zs_scn_node_kind(v));
    const char *s = zs_scn_scalar(v);
    switch (k->type) {
    case K_DOUBLE:
        if ((st = get_number(p, v, name, &d)) != ZS_OK || (st = check_range(p, v, name, d, k)) != ZS_OK)
            return st;
        *(double *)slot = d;
        return ZS_OK;
    case K_SIZE:
        if ((st = get_integer(p, v, name, k, &u)) != ZS_OK)
            return st;
        *(size_t *)slot = (size_t)u;
        return ZS_OK;
    case K_INT:
        if ((st = get_integer(p, v, name, k, &u)) != ZS_OK)
            return st;
        *(int *)slot = (int)u;
        return ZS_OK;
    case K_U64:
        if ((st = get_integer(p, v, name, k, &u)) != ZS_OK)
            return st;
        *(uint64_t *)slot = u;
        return ZS_OK;
    case K_KAUTO:
        if (plain_scalar(v) && strcmp(s, "auto") == 0) {
            *(size_t *)slot = 0;
            return ZS_OK;
        }
        if ((st = get_integer(p, v, name, k, &u)) != ZS_OK)
            return st;
        *(size_t *)slot = (size_t)u;
        return ZS_OK;
    case K_BOOL:
        if (!strcmp(s, "true") || !strcmp(s, "yes"))
            *(int *)slot = 1;
        else if (!strcmp(s, "false") || !strcmp(s, "no"))
            *(int *)slot = 0;
        else
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected true or false, got '%s'", name, s);
        return ZS_OK;
    case K_STR:
        if (!*s)
            return zs_scn_at(p, v, ZS_EINPUT, "%s: must not be empty", name);
        return zs_scn_set_string(p, (char **)slot, s);
    case K_PATH:
        if (!*s)
            return zs_scn_at(p, v, ZS_EINPUT, "%s: must not be empty", name);
        return set_path(p, (char **)slot, s);
    case K_ENCODING: {
        zs_err e;
        zs_err_clear(&e);
        if (zs_csv_encoding_check(s, &e) != ZS_OK)
            return zs_scn_at(p, v, ZS_EINPUT, "%s: %s", name, e.msg);
        return zs_scn_set_string(p, (char **)slot, s);
    }
    case K_CHAR:
        if (!strcmp(s, ",") || !strcmp(s, ";"))
            *slot = s[0];
        else if (!strcmp(s, "tab") || !strcmp(s, "\t"))
            *slot = '\t';
        else if (!strcmp(s, "whitespace"))
            *slot = ' ';
        else
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected \",\", \";\", tab or whitespace, got '%s'",
                      name, s);
        return ZS_OK;
    case K_TIME: {
        int hh, mm;
        char tail;
        if (sscanf(s, "%2d:%2d%c", &hh, &mm, &tail) != 2 || strlen(s) != 5 || hh < 0 ||
            hh > 23 || mm < 0 || mm > 59)
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected a time HH:MM, got '%s'", name, s);
        *(double *)slot = hh + mm / 60.0;
        return ZS_OK;
    }
    case K_DATE:
        if (zs_date_parse(s, (zs_date *)slot) != 0)
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected a date YYYY-MM-DD, got '%s'", name, s);
        return ZS_OK;
    case K_WEEK7:
        return get_list(p, v, name, k, (double *)slot, 7);
    case K_MONTH12:
        return get_list(p, v, name, k, (double *)slot, 12);
    case K_XY:
        return get_list(p, v, name, k, (double *)slot, 2);
    case K_PTYPE: {
        int t = zs_ptype_parse(s);
        if (t < 0)
            return zs_scn_at(p, v, ZS_EINPUT, "%s: unknown point type '%s' (expected one of: %s)", name,
                      s, zs_ptype_all_names());
        *(int *)slot = t;
        return ZS_OK;
    }
    case K_COORDS:
        if (!strcmp(s, "metres") || !strcmp(s, "meters"))
            *(int *)slot = 0;
        else if (!strcmp(s, "lonlat"))
            *(int *)slot = 1;
        else
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected metres or lonlat, got '%s'", name, s);
        return ZS_OK;
    case K_METHOD:
    {
        /* The slot is a plan spec's method; its partition method sits in
         * the same spec. */
        zs_plan_spec *pl = (zs_plan_spec *)(slot - offsetof(zs_plan_spec, method));
        zs_err sub;
        if (!strcmp(s, "manual"))
            pl->method = ZS_PLAN_MANUAL;
        else if (zs_partition_method_parse(s, &pl->part.method, &sub) == ZS_OK)
            pl->method = ZS_PLAN_COMPUTED;
        else
            return zs_scn_at(p, v, ZS_EINPUT, "%s: unknown method '%s' (expected manual, kmeans, "
                      "kmeans-density, kmeans-balanced, kmeans-two-stage, grid, voronoi, "
                      "balanced-flow, pmedian-ip or territory)", name, s);
        return ZS_OK;
    }
    case K_UNASSIGNED:
        if (!strcmp(s, "error"))
            *(int *)slot = 0;
        else if (!strcmp(s, "nearest"))
            *(int *)slot = 1;
        else
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected error or nearest, got '%s'", name, s);
        return ZS_OK;
    case K_INFEAS:
        if (!strcmp(s, "stop"))
            *(int *)slot = 0;
        else if (!strcmp(s, "relax"))
            *(int *)slot = 1;
        else
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected stop or relax, got '%s'", name, s);
        return ZS_OK;
    case K_PICKPOL:
        if (!strcmp(s, "after"))
            *(int *)slot = 0;
        else if (!strcmp(s, "inserted"))
            *(int *)slot = 1;
        else
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected after or inserted, got '%s'", name, s);
        return ZS_OK;
    case K_ROUTE:
        if (!strcmp(s, "daily"))
            *(int *)slot = 0;
        else if (!strcmp(s, "fixed"))
            *(int *)slot = 1;
        else
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected daily or fixed, got '%s'", name, s);
        return ZS_OK;
    case K_DKIND:
        if (!strcmp(s, "weather") || !strcmp(s, "traffic"))
            *(zs_disruption_kind *)slot = ZS_DISRUPT_SLOW;
        else if (!strcmp(s, "scan_delay"))
            *(zs_disruption_kind *)slot = ZS_DISRUPT_SCAN_DELAY;
        else if (!strcmp(s, "absence"))
            *(zs_disruption_kind *)slot = ZS_DISRUPT_ABSENCE;
        else
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected weather, traffic, scan_delay or absence, got '%s'", name, s);
        return ZS_OK;
    case K_VEHICLE: {
        int kind = zs_vehicle_parse(s);
        if (kind == ZS_VEH_INHERIT)
            return zs_scn_at(p, v, ZS_EINPUT, "%s: expected none, van, tricycle, ebike or foot, got '%s'",
                      name, s);
        *(int *)slot = kind;
        return ZS_OK;
    }
    case K_PSAME:
        if (plain_scalar(v) && !strcmp(s, "same")) {
            *(double *)slot = ZS_SIGNING_SAME;
            return ZS_OK;
        }
        if ((st = get_number(p, v, name, &d)) != ZS_OK || (st = check_range(p, v, name, d, k)) != ZS_OK)
            return st;
        *(double *)slot = d;
        return ZS_OK;
    case K_SECTION:
    case K_PLANS:
    case K_EVENTS:
    case K_DISRUPT:
    case K_ROADS:
    case K_WAVES:
        break;
    }
    return ZS_INTERNAL(p->err, "key type %d handled as a value", (int)k->type);
}
