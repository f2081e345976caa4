/*
 * engine/input/points.c -- delivery points: CSV loading, writing, id index
 * (engine/points.h).
 *
 * Ids are kept in one pool and indexed by an open-addressing hash table of
 * point numbers, so duplicate checks while loading and zs_points_find stay
 * O(1) expected for the 10^6-point files planners export.
 */
#include "input/points.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "models/alloc.h"
#include "input/files.h"
#include "models/dispatch.h"
#include "models/ptype.h"
#include "models/rng.h"
#include "input/csv.h"

/* Mean Earth radius (IUGG), metres. */
#define EARTH_R_M 6371008.8
static const double PI = 3.14159265358979323846;

/* ---- string hash table --------------------------------------------------
 * Slots hold index + 1 (0 = empty) of strings stored elsewhere and fetched
 * through key(ctx, index), so the table never copies a string.  Capacity is
 * a power of two kept at least twice the count: linear probing then needs
 * about 1.5 probes per hit on average. */

typedef const char *(*key_fn)(const void *ctx, size_t i);

typedef struct {
    size_t *slot;
    size_t cap, count;
} strtab;

static uint64_t hash_str(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325); /* FNV-1a offset basis */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
    return zs_mix64(h); /* FNV's low bits are weak; we mask by them */
}

/* Slot of s: its entry, or the empty slot where it would go. */
static size_t tab_probe(const size_t *slot, size_t cap, const char *s, key_fn key,
                        const void *ctx)
{
    size_t mask = cap - 1, j = (size_t)hash_str(s) & mask;
    while (slot[j] && strcmp(key(ctx, slot[j] - 1), s) != 0)
        j = (j + 1) & mask;
    return j;
}

/* Makes room for one more entry. */
static int tab_reserve(strtab *t, key_fn key, const void *ctx)
{
    if (2 * (t->count + 1) <= t->cap)
        return 0;
    size_t ncap = t->cap ? 2 * t->cap : 64;
    size_t *ns = zs_calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t j = 0; j < t->cap; j++)
        if (t->slot[j])
            ns[tab_probe(ns, ncap, key(ctx, t->slot[j] - 1), key, ctx)] = t->slot[j];
    zs_free(t->slot);
    t->slot = ns;
    t->cap = ncap;
    return 0;
}

/* Index of s in t or -1. */
static long tab_find(const strtab *t, const char *s, key_fn key, const void *ctx)
{
    if (!t->cap)
        return -1;
    size_t j = tab_probe(t->slot, t->cap, s, key, ctx);
    return t->slot[j] ? (long)(t->slot[j] - 1) : -1;
}

/* Inserts index i (whose key is s, not yet present); room must be reserved. */
static void tab_put(strtab *t, const char *s, size_t i, key_fn key, const void *ctx)
{
    t->slot[tab_probe(t->slot, t->cap, s, key, ctx)] = i + 1;
    t->count++;
}

static const char *points_id_key(const void *ctx, size_t i)
{
    return ((const char *const *)ctx)[i];
}

/* ---- create / free / index ------------------------------------------- */

void zs_points_free(zs_points *p)
{
    if (!p)
        return;
    zs_free(p->id);
    zs_free(p->id_pool);
    zs_free(p->id_slot);
    zs_free(p->x);
    zs_free(p->y);
    zs_free(p->type);
    zs_free(p->parcels);
    zs_free(p->lon);
    zs_free(p->lat);
    zs_free(p->zone);
    zs_free(p->road);
    zs_free(p->win_open);
    zs_free(p->win_close);
    for (size_t z = 0; z < p->n_zone_labels; z++)
        zs_free(p->zone_label[z]);
    zs_free(p->zone_label);
    zs_free(p);
}

/* Builds the index of n ids into *slot and *cap; on a duplicate sets *dup_a <
 * *dup_b and returns 1; -1 when out of memory; 0 on success. */
static int build_index(char *const *id, size_t n, size_t **slot, size_t *cap, size_t *dup_a,
                       size_t *dup_b)
{
    size_t c = 64;
    while (c < 2 * n)
        c *= 2;
    size_t *s = zs_calloc(c, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t j = tab_probe(s, c, id[i], points_id_key, id);
        if (s[j]) {
            *dup_a = s[j] - 1;
            *dup_b = i;
            zs_free(s);
            return 1;
        }
        s[j] = i + 1;
    }
    *slot = s;
    *cap = c;
    return 0;
}

zs_status zs_points_index_ids(zs_points *p, zs_err *err)
{
    zs_free(p->id_slot);
    p->id_slot = NULL;
    p->id_slot_cap = 0;
    size_t a = 0, b = 0;
    int r = build_index(p->id, p->n, &p->id_slot, &p->id_slot_cap, &a, &b);
    if (r < 0)
        return ZS_NOMEM(err);
    if (r > 0)
        return zs_err_set(err, ZS_EINPUT, "duplicate id '%s' (points %zu and %zu)", p->id[b], a + 1,
                          b + 1);
    return ZS_OK;
}

zs_status zs_points_number_ids(zs_points *p, const char *prefix, int min_digits, zs_err *err)
{
    size_t plen = strlen(prefix), total = 0, n = p->n;
    int w = min_digits < 1 ? 1 : min_digits;
    char digits[32];
    for (size_t i = 0; i < n; i++) {
        int d = snprintf(digits, sizeof digits, "%zu", i + 1);
        total += plen + (size_t)(d > w ? d : w) + 1;
    }
    char *pool = zs_malloc(total ? total : 1);
    char **id = zs_malloc_array(n ? n : 1, sizeof *id);
    if (!pool || !id)
        goto nomem;
    char *q = pool;
    for (size_t i = 0; i < n; i++) {
        id[i] = q;
        q += snprintf(q, (size_t)(pool + total - q), "%s%0*zu", prefix, w, i + 1) + 1;
    }
    size_t *slot = NULL, cap = 0, a, b;
    int r = build_index(id, n, &slot, &cap, &a, &b);
    if (r < 0)
        goto nomem;
    if (r > 0) { /* cannot happen: numbers differ */
        ZS_INTERNAL(err, "duplicate numbered id '%s'", id[b]);
        zs_free(pool);
        zs_free(id);
        return ZS_EINTERNAL;
    }
    zs_free(p->id);
    zs_free(p->id_pool);
    zs_free(p->id_slot);
    p->id = id;
    p->id_pool = pool;
    p->id_slot = slot;
    p->id_slot_cap = cap;
    return ZS_OK;
nomem:
    zs_free(pool);
    zs_free(id);
    return ZS_NOMEM(err);
}

zs_points *zs_points_create(size_t n, zs_err *err)
{
    zs_points *p = zs_calloc(1, sizeof *p);
    if (!p) {
        ZS_NOMEM(err);
        return NULL;
    }
    p->n = n;
    if (!(p->x = zs_calloc(n, sizeof *p->x)) || !(p->y = zs_calloc(n, sizeof *p->y)) ||
        !(p->type = zs_calloc(n, sizeof *p->type)) ||
        !(p->parcels = zs_calloc(n, sizeof *p->parcels))) {
        ZS_NOMEM(err);
        goto fail;
    }
    if (zs_points_number_ids(p, "", 1, err) != ZS_OK)
        goto fail;
    return p;
fail:
    zs_points_free(p);
    return NULL;
}

long zs_points_find(const zs_points *p, const char *id)
{
    if (p->id_slot_cap) {
        size_t j = tab_probe(p->id_slot, p->id_slot_cap, id, points_id_key, p->id);
        return p->id_slot[j] ? (long)(p->id_slot[j] - 1) : -1;
    }
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->id[i], id) == 0)
            return (long)i;
    return -1;
}

zs_status zs_points_zone_nearest(const double *x, const double *y, size_t n, int32_t *zone,
                                 size_t *filled, zs_err *err)
{
    size_t count = 0, labelled = 0;
    for (size_t i = 0; i < n; i++)
        labelled += zone[i] >= 0;
    if (filled)
        *filled = 0;
    if (labelled == n)
        return ZS_OK;
    if (labelled == 0)
        return zs_err_set(err, ZS_EINPUT, "no point has a zone to give the %zu without one", n);
    size_t *lab = zs_malloc_array(labelled, sizeof *lab);
    if (!lab)
        return ZS_NOMEM(err);
    for (size_t i = 0, j = 0; i < n; i++)
        if (zone[i] >= 0)
            lab[j++] = i;
    for (size_t i = 0; i < n; i++) {
        if (zone[i] >= 0)
            continue;
        double best = HUGE_VAL;
        size_t b = lab[0];
        for (size_t j = 0; j < labelled; j++) {
            double dx = x[lab[j]] - x[i], dy = y[lab[j]] - y[i], d = dx * dx + dy * dy;
            if (d < best) { /* strict: ties keep the lower index */
                best = d;
                b = lab[j];
            }
        }
        zone[i] = zone[b]; /* b is from lab[], never a point filled here */
        count++;
    }
    zs_free(lab);
    if (filled)
        *filled = count;
    return ZS_OK;
}

int zs_points_look_like_degrees(const zs_points *p, char *buf, size_t len)
{
    if (p->has_lonlat || p->n < 2)
        return 0;
    double x0 = HUGE_VAL, x1 = -HUGE_VAL, y0 = HUGE_VAL, y1 = -HUGE_VAL;
    for (size_t i = 0; i < p->n; i++) {
        if (!(fabs(p->x[i]) <= 180.0 && fabs(p->y[i]) <= 90.0))
            return 0;
        x0 = fmin(x0, p->x[i]);
        x1 = fmax(x1, p->x[i]);
        y0 = fmin(y0, p->y[i]);
        y1 = fmax(y1, p->y[i]);
    }
    if (x1 - x0 > 5.0 || y1 - y0 > 5.0)
        return 0;
    snprintf(buf, len, "x in [%.6g, %.6g] and y in [%.6g, %.6g]: an area %.2g x %.2g m", x0, x1,
             y0, y1, x1 - x0, y1 - y0);
    return 1;
}

double zs_points_total_parcels(const zs_points *p)
{
    double s = 0.0;
    for (size_t i = 0; i < p->n; i++)
        s += p->parcels[i];
    return s;
}

/* The one projection formula, shared by load and zs_points_project so a
 * depot given in degrees lands exactly where its points do. */
static void project(double lon0, double lat0, double lon, double lat, double *x, double *y)
{
    *x = EARTH_R_M * ((lon - lon0) * PI / 180.0) * cos(lat0 * PI / 180.0);
    *y = EARTH_R_M * ((lat - lat0) * PI / 180.0);
}

void zs_lonlat_project(double lon0, double lat0, double lon, double lat, double *x, double *y)
{
    project(lon0, lat0, lon, lat, x, y);
}

void zs_lonlat_unproject(double lon0, double lat0, double x, double y, double *lon, double *lat)
{
    *lat = lat0 + y / EARTH_R_M * 180.0 / PI;
    *lon = lon0 + x / (EARTH_R_M * cos(lat0 * PI / 180.0)) * 180.0 / PI;
}

void zs_points_project(const zs_points *p, double lon, double lat, double *x, double *y)
{
    project(p->lon0, p->lat0, lon, lat, x, y);
}

void zs_points_opts_defaults(zs_points_opts *o)
{
    o->col_id = "id";
    o->col_x = "x";
    o->col_y = "y";
    o->col_type = "type";
    o->col_parcels = "parcels";
    o->col_zone = NULL;
    o->col_road = NULL;
    o->col_win_open = o->col_win_close = NULL;
    o->filter_col = NULL;
    o->filter_value = NULL;
    o->lonlat = 0;
    o->default_parcels = 1.0;
    o->default_type = ZS_PT_RESIDENTIAL;
    o->delimiter = ',';
    o->encoding = NULL;
    o->encoding_setting = NULL;
    o->skip_missing = 0;
    o->unassigned_nearest = 0;
    o->skip_setting = NULL;
    o->unassigned_setting = NULL;
}

/* ---- loading ------------------------------------------------------------ */

typedef struct {
    zs_points *p;
    size_t cap;           /* allocated rows of every per-point array */
    char *pool;           /* ids back to back while loading (moves) */
    size_t pool_len, pool_cap;
    size_t *id_off;       /* offset of each id in pool */
    long *row_line;       /* file line of each point, for duplicate messages */
    strtab ids, zones;
    size_t zone_cap;
    int has_road;         /* the file has a road-factor column */
    int has_win;          /* the file has window columns */
} loader;

static const char *loader_id_key(const void *ctx, size_t i)
{
    const loader *L = ctx;
    return L->pool + L->id_off[i];
}

static const char *zone_key(const void *ctx, size_t i)
{
    return ((const zs_points *)ctx)->zone_label[i];
}

static int grow(void *pp, size_t n, size_t size)
{
    void **ptr = pp;
    if (!*ptr && n == 0)
        return 0;
    void *q = zs_realloc(*ptr, n * size);
    if (!q)
        return -1;
    *ptr = q;
    return 0;
}

/* Room for one more point in every array. */
static int loader_reserve(loader *L)
{
    zs_points *p = L->p;
    if (p->n < L->cap)
        return 0;
    size_t nc = L->cap ? 2 * L->cap : 1024;
    if (grow(&p->x, nc, sizeof *p->x) || grow(&p->y, nc, sizeof *p->y) ||
        grow(&p->type, nc, sizeof *p->type) || grow(&p->parcels, nc, sizeof *p->parcels) ||
        grow(&L->id_off, nc, sizeof *L->id_off) || grow(&L->row_line, nc, sizeof *L->row_line))
        return -1;
    if (p->has_lonlat && (grow(&p->lon, nc, sizeof *p->lon) || grow(&p->lat, nc, sizeof *p->lat)))
        return -1;
    if (L->zone_cap && grow(&p->zone, nc, sizeof *p->zone))
        return -1;
    if (L->has_road && grow(&p->road, nc, sizeof *p->road))
        return -1;
    if (L->has_win && (grow(&p->win_open, nc, sizeof *p->win_open) ||
                       grow(&p->win_close, nc, sizeof *p->win_close)))
        return -1;
    L->cap = nc;
    return 0;
}

static int pool_add(loader *L, const char *s)
{
    size_t len = strlen(s) + 1;
    if (L->pool_len + len > L->pool_cap) {
        size_t nc = L->pool_cap ? 2 * L->pool_cap : 16384;
        while (nc < L->pool_len + len)
            nc *= 2;
        char *q = zs_realloc(L->pool, nc);
        if (!q)
            return -1;
        L->pool = q;
        L->pool_cap = nc;
    }
    memcpy(L->pool + L->pool_len, s, len);
    L->pool_len += len;
    return 0;
}

/* Zone index of label, adding it when new; -1 when out of memory. */
static long zone_of(loader *L, const char *label)
{
    zs_points *p = L->p;
    long z = tab_find(&L->zones, label, zone_key, p);
    if (z >= 0)
        return z;
    if (p->n_zone_labels == L->zone_cap) {
        size_t nc = 2 * L->zone_cap;
        if (grow(&p->zone_label, nc, sizeof *p->zone_label))
            return -1;
        L->zone_cap = nc;
    }
    if (tab_reserve(&L->zones, zone_key, p) < 0)
        return -1;
    char *copy = zs_strdup(label);
    if (!copy)
        return -1;
    p->zone_label[p->n_zone_labels] = copy;
    tab_put(&L->zones, copy, p->n_zone_labels, zone_key, p);
    return (long)p->n_zone_labels++;
}

/* Resolves a column of the header: its index, -1 when absent and allowed
 * to be (NULL, or the default name not present). */
static zs_status resolve(const zs_csv *c, const char *name, const char *dflt, long *col,
                         zs_err *err)
{
    *col = -1;
    if (!name)
        return ZS_OK;
    zs_status st = zs_csv_require(c, name, col, err);
    if (st != ZS_OK && dflt && strcmp(name, dflt) == 0) {
        *col = -1; /* the default column may be absent */
        return ZS_OK;
    }
    return st;
}

/* Checks the row is long enough for every column used, naming the first
 * missing one. */
static zs_status check_width(const zs_csv *c, const long *col, const char *const *name, int ncol,
                             zs_err *err)
{
    long first = -1;
    int which = -1;
    for (int k = 0; k < ncol; k++)
        if (col[k] >= (long)zs_csv_nfields(c) && (first < 0 || col[k] < first)) {
            first = col[k];
            which = k;
        }
    if (which < 0)
        return ZS_OK;
    const char *s;
    return zs_csv_get_string(c, (size_t)first, name[which], &s, err);
}

/* A coordinate cell with nothing in it: empty or blanks, or what
 * spreadsheets and data frames write for a missing number (NA, NaN, null). */
static int missing_field(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    static const char *const words[] = {"na", "nan", "null"};
    if (len == 0)
        return 1;
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
        if (len == strlen(words[w]) && strncasecmp(s, words[w], len) == 0)
            return 1;
    return 0;
}

/* Notes line in a list of the first ZS_POINTS_NOTE_LINES and counts it. */
static void note_line(size_t *count, long *lines, long line)
{
    if (*count < ZS_POINTS_NOTE_LINES)
        lines[*count] = line;
    (*count)++;
}

static zs_status load_rows(zs_csv *c, loader *L, const zs_points_opts *o, zs_err *err)
{
    zs_points *p = L->p;
    enum { C_ID, C_X, C_Y, C_TYPE, C_PARCELS, C_ZONE, C_ROAD, C_WOPEN, C_WCLOSE, NCOL };
    const char *name[NCOL] = {o->col_id, o->col_x, o->col_y, o->col_type, o->col_parcels,
                              o->col_zone, o->col_road, o->col_win_open, o->col_win_close};
    const char *dflt[NCOL] = {"id", NULL, NULL, "type", "parcels", NULL, NULL, NULL, NULL};
    long col[NCOL];
    zs_status st;
    for (int k = 0; k < NCOL; k++)
        if ((st = resolve(c, name[k], dflt[k], &col[k], err)) != ZS_OK)
            return st;
    if (col[C_ZONE] >= 0) {
        L->zone_cap = 16;
        if (grow(&p->zone_label, L->zone_cap, sizeof *p->zone_label))
            return ZS_NOMEM(err);
    }
    L->has_road = col[C_ROAD] >= 0;
    L->has_win = col[C_WOPEN] >= 0 && col[C_WCLOSE] >= 0;
    long fcol = -1;
    if (o->filter_col && (st = resolve(c, o->filter_col, NULL, &fcol, err)) != ZS_OK)
        return st;
    int r;
    while ((r = zs_csv_next(c, err)) == 1) {
        if (fcol >= 0) {
            const char *v;
            if ((st = zs_csv_get_string(c, (size_t)fcol, o->filter_col, &v, err)) != ZS_OK)
                return st;
            if (strcmp(v, o->filter_value ? o->filter_value : "") != 0)
                continue;
        }
        if ((st = check_width(c, col, name, NCOL, err)) != ZS_OK)
            return st;
        /* Coordinates first: a skipped row is not validated any further. */
        int mx = missing_field(zs_csv_field(c, (size_t)col[C_X]));
        if (mx || missing_field(zs_csv_field(c, (size_t)col[C_Y]))) {
            int k = mx ? C_X : C_Y;
            if (!o->skip_missing)
                return zs_csv_error(c, (size_t)col[k], err,
                                    "column '%s': missing coordinate ('%.20s'); set %s to skip "
                                    "such rows", name[k], zs_csv_field(c, (size_t)col[k]),
                                    o->skip_setting ? o->skip_setting
                                                    : "points.skip_missing: true");
            note_line(&p->n_skipped, p->skipped_line, zs_csv_line(c));
            continue;
        }
        if (loader_reserve(L) < 0)
            return ZS_NOMEM(err);
        size_t i = p->n;
        L->row_line[i] = zs_csv_line(c);
        if (col[C_ID] >= 0) {
            size_t f = (size_t)col[C_ID];
            const char *id = zs_csv_field(c, f);
            if (!*id)
                return zs_csv_error(c, f, err, "column '%s': empty id", name[C_ID]);
            long prev = tab_find(&L->ids, id, loader_id_key, L);
            if (prev >= 0)
                return zs_csv_error(c, f, err, "duplicate id '%s' (first on line %ld)", id,
                                    L->row_line[prev]);
            L->id_off[i] = L->pool_len;
            if (pool_add(L, id) < 0 || tab_reserve(&L->ids, loader_id_key, L) < 0)
                return ZS_NOMEM(err);
            tab_put(&L->ids, id, i, loader_id_key, L);
        }
        double x, y;
        if ((st = zs_csv_get_double(c, (size_t)col[C_X], name[C_X], &x, err)) != ZS_OK ||
            (st = zs_csv_get_double(c, (size_t)col[C_Y], name[C_Y], &y, err)) != ZS_OK)
            return st;
        if (o->lonlat) {
            if (x < -180.0 || x > 180.0)
                return zs_csv_error(c, (size_t)col[C_X], err,
                                    "column '%s': longitude must be in [-180, 180], got %.17g",
                                    name[C_X], x);
            if (y < -90.0 || y > 90.0)
                return zs_csv_error(c, (size_t)col[C_Y], err,
                                    "column '%s': latitude must be in [-90, 90], got %.17g",
                                    name[C_Y], y);
            p->lon[i] = x;
            p->lat[i] = y;
        } else {
            if (fabs(x) > ZS_POINTS_MAX_M)
                return zs_csv_error(c, (size_t)col[C_X], err,
                                    "column '%s': metres must be in [-1e8, 1e8], got %.17g",
                                    name[C_X], x);
            if (fabs(y) > ZS_POINTS_MAX_M)
                return zs_csv_error(c, (size_t)col[C_Y], err,
                                    "column '%s': metres must be in [-1e8, 1e8], got %.17g",
                                    name[C_Y], y);
            p->x[i] = x;
            p->y[i] = y;
        }
        p->type[i] = (uint8_t)o->default_type;
        if (col[C_TYPE] >= 0) {
            size_t f = (size_t)col[C_TYPE];
            int t = zs_ptype_parse(zs_csv_field(c, f));
            if (t < 0)
                return zs_csv_error(c, f, err, "column '%s': unknown type '%.60s' (valid: %s)",
                                    name[C_TYPE], zs_csv_field(c, f), zs_ptype_all_names());
            p->type[i] = (uint8_t)t;
        }
        p->parcels[i] = o->default_parcels;
        if (col[C_PARCELS] >= 0) {
            size_t f = (size_t)col[C_PARCELS];
            if ((st = zs_csv_get_double(c, f, name[C_PARCELS], &p->parcels[i], err)) != ZS_OK)
                return st;
            if (!(p->parcels[i] >= 0.0))
                return zs_csv_error(c, f, err, "column '%s': must be >= 0, got %.17g",
                                    name[C_PARCELS], p->parcels[i]);
            if (p->parcels[i] > ZS_POINTS_MAX_PARCELS)
                return zs_csv_error(c, f, err, "column '%s': parcels a day must be in [0, 1e6], "
                                    "got %.17g", name[C_PARCELS], p->parcels[i]);
        }
        if (col[C_ZONE] >= 0) {
            size_t f = (size_t)col[C_ZONE];
            const char *label = zs_csv_field(c, f);
            if (!*label) {
                if (!o->unassigned_nearest)
                    return zs_csv_error(c, f, err,
                                        "column '%s': empty zone label; set %s to give such "
                                        "points the zone of the nearest labelled point",
                                        name[C_ZONE], o->unassigned_setting
                                                          ? o->unassigned_setting
                                                          : "zones.unassigned: nearest");
                note_line(&p->n_unassigned, p->unassigned_line, zs_csv_line(c));
                p->zone[i] = -1;
            } else {
                long z = zone_of(L, label);
                if (z < 0)
                    return ZS_NOMEM(err);
                if (z > INT32_MAX)
                    return zs_csv_error(c, f, err, "column '%s': more than %ld zones",
                                        name[C_ZONE], (long)INT32_MAX);
                p->zone[i] = (int32_t)z;
            }
        }
        if (L->has_win) {
            double *w[2] = {&p->win_open[i], &p->win_close[i]};
            for (int k = 0; k < 2; k++) {
                size_t f = (size_t)col[C_WOPEN + k];
                const char *v = zs_csv_field(c, f);
                *w[k] = NAN;
                if (*v && zs_scan_time_parse(v, w[k]) != 0)
                    return zs_csv_error(c, f, err, "column '%s': expected a time HH:MM[:SS], got '%s'",
                                        name[C_WOPEN + k], v);
            }
            if (isnan(p->win_open[i]) != isnan(p->win_close[i]) ||
                (!isnan(p->win_open[i]) && !(p->win_open[i] < p->win_close[i])))
                return zs_csv_error(c, (size_t)col[C_WCLOSE], err,
                                    "columns '%s', '%s': a window needs both ends, opening first",
                                    name[C_WOPEN], name[C_WCLOSE]);
        }
        if (col[C_ROAD] >= 0) {
            size_t f = (size_t)col[C_ROAD];
            if ((st = zs_csv_get_double(c, f, name[C_ROAD], &p->road[i], err)) != ZS_OK)
                return st;
            if (!(p->road[i] >= 1.0 && p->road[i] <= ZS_POINTS_MAX_ROAD))
                return zs_csv_error(c, f, err, "column '%s': a road factor must be in [1, 100], "
                                    "got %.17g", name[C_ROAD], p->road[i]);
        }
        p->n++;
    }
    if (r < 0)
        return err ? err->code : ZS_EINPUT;
    if (p->n == 0) {
        if (fcol >= 0)
            return zs_err_at(err, ZS_EINPUT, zs_csv_path(c), 0, 0, "no data rows with %s = %s",
                             o->filter_col, o->filter_value ? o->filter_value : "");
        if (p->n_skipped)
            return zs_err_at(err, ZS_EINPUT, zs_csv_path(c), 0, 0,
                             "no data rows with both coordinates (%zu skipped)", p->n_skipped);
        return zs_err_at(err, ZS_EINPUT, zs_csv_path(c), 0, 0, "no data rows");
    }
    if (col[C_ID] >= 0) {
        if (!(p->id = zs_malloc_array(p->n, sizeof *p->id)))
            return ZS_NOMEM(err);
        for (size_t i = 0; i < p->n; i++)
            p->id[i] = L->pool + L->id_off[i];
        p->id_pool = L->pool;
        L->pool = NULL;
        p->id_slot = L->ids.slot; /* same slot meaning: index + 1 */
        p->id_slot_cap = L->ids.cap;
        L->ids.slot = NULL;
    } else if ((st = zs_points_number_ids(p, "", 1, err)) != ZS_OK) {
        return st;
    }
    if (o->lonlat) {
        double slon = 0.0, slat = 0.0;
        for (size_t i = 0; i < p->n; i++) {
            slon += p->lon[i];
            slat += p->lat[i];
        }
        p->lon0 = slon / (double)p->n;
        p->lat0 = slat / (double)p->n;
        for (size_t i = 0; i < p->n; i++)
            project(p->lon0, p->lat0, p->lon[i], p->lat[i], &p->x[i], &p->y[i]);
    }
    if (p->n_unassigned) {
        if (p->n_zone_labels == 0)
            return zs_err_at(err, ZS_EINPUT, zs_csv_path(c), 0, 0,
                             "column '%s': every zone label is empty", name[C_ZONE]);
        if ((st = zs_points_zone_nearest(p->x, p->y, p->n, p->zone, NULL, err)) != ZS_OK)
            return st;
    }
    return ZS_OK;
}

zs_status zs_points_load_csv(const char *path, const zs_points_opts *opts, zs_points **out,
                             zs_err *err)
{
    *out = NULL;
    zs_points_opts dflt;
    if (!opts) {
        zs_points_opts_defaults(&dflt);
        opts = &dflt;
    }
    if (!opts->col_x || !opts->col_y)
        return zs_err_set(err, ZS_EINVAL, "points: the x and y columns must be named");
    if (opts->default_type < 0 || opts->default_type >= ZS_PT_COUNT)
        return zs_err_set(err, ZS_EINVAL, "points.default_type = %d; must be 0..%d",
                          opts->default_type, ZS_PT_COUNT - 1);
    if (!(opts->default_parcels >= 0.0) || !isfinite(opts->default_parcels))
        return zs_err_set(err, ZS_EINVAL, "points.default_parcels = %g; must be finite and >= 0",
                          opts->default_parcels);
    zs_csv *c = NULL;
    zs_status st = zs_csv_open_enc(path, opts->delimiter, opts->encoding, opts->encoding_setting,
                                   &c, err);
    if (st != ZS_OK)
        return st;
    loader L;
    memset(&L, 0, sizeof L);
    if (!(L.p = zs_calloc(1, sizeof *L.p))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    L.p->has_lonlat = opts->lonlat != 0;
    int r = zs_csv_next(c, err);
    if (r < 0) {
        st = err ? err->code : ZS_EINPUT;
        goto done;
    }
    if (r == 0) {
        st = zs_err_at(err, ZS_EINPUT, path, 0, 0, "no data rows");
        goto done;
    }
    st = load_rows(c, &L, opts, err);
done:
    zs_csv_close(c);
    zs_free(L.pool);
    zs_free(L.id_off);
    zs_free(L.row_line);
    zs_free(L.ids.slot);
    zs_free(L.zones.slot);
    if (st != ZS_OK) {
        zs_points_free(L.p);
        return st;
    }
    *out = L.p;
    return ZS_OK;
}

/* ---- writing ------------------------------------------------------------ */

/* Writes s as a CSV field, quoted when it holds a delimiter, quote or line
 * break (or blanks at its ends, which readers may trim). */
static int put_field(FILE *f, const char *s)
{
    size_t len = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL ||
                (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t'));
    if (!quote)
        return fputs(s, f) < 0 ? -1 : 0;
    if (putc('"', f) == EOF)
        return -1;
    for (; *s; s++)
        if ((*s == '"' && putc('"', f) == EOF) || putc(*s, f) == EOF)
            return -1;
    return putc('"', f) == EOF ? -1 : 0;
}

/* zs_file_write_atomic's writer for zs_points_write_csv. */
static zs_status write_points(FILE *f, const void *ctx, zs_err *err)
{
    (void)err;
    const zs_points *p = ctx;
    int bad = fprintf(f, "id,x,y,type,parcels%s%s%s\n", p->has_lonlat ? ",lon,lat" : "",
                      p->zone ? ",zone" : "", p->road ? ",road" : "") < 0;
    for (size_t i = 0; i < p->n && !bad; i++) {
        /* %.17g: 17 significant digits identify every double (IEEE 754). */
        bad = put_field(f, p->id[i]) < 0 ||
              fprintf(f, ",%.17g,%.17g,%s,%.17g", p->x[i], p->y[i], zs_ptype_name(p->type[i]),
                      p->parcels[i]) < 0 ||
              (p->has_lonlat && fprintf(f, ",%.17g,%.17g", p->lon[i], p->lat[i]) < 0) ||
              (p->zone && (putc(',', f) == EOF || put_field(f, p->zone_label[p->zone[i]]) < 0)) ||
              (p->road && fprintf(f, ",%.17g", p->road[i]) < 0) ||
              putc('\n', f) == EOF;
    }
    /* A failed print leaves the stream's error flag set: the caller names
     * the reason (disk full, ...) from errno after its flush. */
    return ZS_OK;
}

zs_status zs_points_write_csv(const zs_points *p, const char *path, zs_err *err)
{
    /* Through a temporary and a rename: a failure leaves an existing file
     * as it was, and no half-written file for a later run to trust. */
    return zs_file_write_atomic(path, write_points, p, ZS_EIO, err);
}
