/*
 * engine/partition/labels.c -- a planner's own zoning as a zs_partition.
 *
 * Manual plans come from zone indices already attached to the points or
 * from a CSV mapping point id -> zone label.  They are taken as given:
 * centres are the plain means of each zone's points and the objective is
 * the unweighted SSE to those means, so a manual plan can be compared with
 * unweighted k-means on the same scale. 
 */
#include "partition/partition.h"

#include <errno.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "input/csv.h"
#include "input/files.h"
#include "partition/partition_internal.h"

/* Centres, objective and diagnostics of a manual plan whose zone[] is set
 * and valid.  Fails (input error naming the label) when a zone is empty. */
static zs_status finish_manual(zs_partition *p, const zs_points *pts, double t0, zs_err *err)
{
    size_t *cnt = zs_calloc(p->k, sizeof *cnt);
    if (!cnt)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < p->n; i++) {
        size_t z = (size_t)p->zone[i];
        p->cx[z] += pts->x[i];
        p->cy[z] += pts->y[i];
        cnt[z]++;
    }
    for (size_t z = 0; z < p->k; z++) {
        if (cnt[z] == 0) {
            zs_free(cnt);
            return zs_err_set(err, ZS_EINPUT, "zone '%s' has no points", p->label[z]);
        }
        p->cx[z] /= (double)cnt[z];
        p->cy[z] /= (double)cnt[z];
    }
    zs_free(cnt);
    double sse = 0.0;
    for (size_t i = 0; i < p->n; i++) {
        double dx = pts->x[i] - p->cx[p->zone[i]], dy = pts->y[i] - p->cy[p->zone[i]];
        sse += dx * dx + dy * dy;
    }
    p->objective = sse;
    p->iterations = 0;
    p->converged = 1;
    snprintf(p->method, sizeof p->method, "manual");
    snprintf(p->status, sizeof p->status, "%s", ZS_STATUS_GIVEN);
    p->runtime_s = omp_get_wtime() - t0;
    return ZS_OK;
}

zs_status zs_partition_from_labels(const zs_points *pts, const int32_t *zone, size_t k,
                                   char *const *labels, zs_partition **out, zs_err *err)
{
    double t0 = omp_get_wtime();
    *out = NULL;
    if (!zone)
        return zs_err_set(err, ZS_EINPUT, "the points have no zone column to take a plan from");
    if (k < 1)
        return zs_err_set(err, ZS_EINVAL, "k = 0; a plan needs at least one zone");
    if (k > (size_t)INT32_MAX)
        return zs_err_set(err, ZS_EINVAL, "k = %zu; must be <= %ld", k, (long)INT32_MAX);
    for (size_t i = 0; i < pts->n; i++)
        if (zone[i] < 0 || (size_t)zone[i] >= k)
            return zs_err_set(err, ZS_EINVAL, "point '%s' has zone index %ld outside 0..%zu",
                              pts->id[i], (long)zone[i], k - 1);
    zs_partition *p = zs_partition_alloc(pts->n, k, labels);
    if (!p)
        return ZS_NOMEM(err);
    if (pts->n)
        memcpy(p->zone, zone, pts->n * sizeof *zone);
    zs_status st = finish_manual(p, pts, t0, err);
    if (st != ZS_OK) {
        zs_partition_free(p);
        return st;
    }
    *out = p;
    return ZS_OK;
}

/* Zone labels in order of first appearance, found through an
 * open-addressing table of label index + 1 (0 = empty slot). */
typedef struct {
    char **label;
    size_t n, label_cap;
    size_t *slot;
    size_t cap; /* a power of two, at least twice n */
} label_set;

static uint64_t hash_str(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

static void label_set_clear(label_set *L)
{
    for (size_t i = 0; i < L->n; i++)
        zs_free(L->label[i]);
    zs_free(L->label);
    zs_free(L->slot);
}

static size_t *label_slot(const label_set *L, const char *s)
{
    size_t mask = L->cap - 1, h = (size_t)hash_str(s) & mask;
    while (L->slot[h] && strcmp(L->label[L->slot[h] - 1], s) != 0)
        h = (h + 1) & mask;
    return &L->slot[h];
}

/* Index of label s, added when new.  -1 when out of memory. */
static long label_intern(label_set *L, const char *s)
{
    if (2 * (L->n + 1) > L->cap) {
        size_t cap = L->cap ? 2 * L->cap : 64;
        size_t *slot = zs_calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        size_t *old = L->slot;
        L->slot = slot;
        L->cap = cap;
        for (size_t i = 0; i < L->n; i++)
            *label_slot(L, L->label[i]) = i + 1;
        zs_free(old);
    }
    size_t *sl = label_slot(L, s);
    if (*sl)
        return (long)(*sl - 1);
    if (L->n == L->label_cap) {
        size_t cap = L->label_cap ? 2 * L->label_cap : 16;
        char **lab = zs_realloc(L->label, cap * sizeof *lab);
        if (!lab)
            return -1;
        L->label = lab;
        L->label_cap = cap;
    }
    if (!(L->label[L->n] = zs_strdup(s)))
        return -1;
    *sl = ++L->n;
    return (long)(L->n - 1);
}

/* Reads the data rows into zone[] (-1 = not yet seen, -2 = an empty label
 * taken as unassigned under o->unassigned_nearest) and the label set. */
static zs_status read_rows(zs_csv *c, const zs_points *pts, size_t ic, size_t iz,
                           const zs_plan_file_opts *o, int32_t *zone, long *first_line,
                           label_set *L, zs_err *err)
{
    const char *col_id = o->col_id, *col_zone = o->col_zone;
    size_t rows = 0;
    int r;
    while ((r = zs_csv_next(c, err)) == 1) {
        const char *id, *lab;
        zs_status st;
        if ((st = zs_csv_get_string(c, ic, col_id, &id, err)) != ZS_OK ||
            (st = zs_csv_get_string(c, iz, col_zone, &lab, err)) != ZS_OK)
            return st;
        rows++;
        long i = zs_points_find(pts, id);
        if (i < 0)
            return zs_csv_error(c, ic, err, "unknown point id '%s'", id);
        if (zone[i] != -1)
            return zs_csv_error(c, ic, err, "point '%s' assigned twice (first on line %ld)", id,
                                first_line[i]);
        if (!lab[0] && o->unassigned_nearest) {
            zone[i] = -2;
            first_line[i] = zs_csv_line(c);
            continue;
        }
        if (!lab[0])
            return zs_csv_error(c, iz, err,
                                "column '%s': empty zone label; set %s to give such points the "
                                "zone of the nearest labelled point", col_zone,
                                o->unassigned_setting ? o->unassigned_setting
                                                      : "zones.unassigned: nearest");
        if (L->n == (size_t)INT32_MAX)
            return zs_csv_error(c, iz, err, "column '%s': more than %ld zones", col_zone,
                                (long)INT32_MAX);
        long z = label_intern(L, lab);
        if (z < 0)
            return ZS_NOMEM(err);
        zone[i] = (int32_t)z;
        first_line[i] = zs_csv_line(c);
    }
    if (r < 0)
        return err ? err->code : ZS_EINPUT;
    if (rows == 0)
        return zs_err_at(err, ZS_EINPUT, zs_csv_path(c), 0, 0, "no data rows");
    size_t missing = 0, first = 0;
    for (size_t i = pts->n; i > 0; i--)
        if (zone[i - 1] == -1) {
            missing++;
            first = i - 1;
        }
    if (missing == 1)
        return zs_err_at(err, ZS_EINPUT, zs_csv_path(c), 0, 0, "point '%s' has no zone",
                         pts->id[first]);
    if (missing > 1)
        return zs_err_at(err, ZS_EINPUT, zs_csv_path(c), 0, 0,
                         "point '%s' has no zone (and %zu more)", pts->id[first], missing - 1);
    return ZS_OK;
}

zs_status zs_partition_load_csv(const zs_points *pts, const char *path,
                                const char *col_id, const char *col_zone,
                                zs_partition **out, zs_err *err)
{
    return zs_partition_load_csv_enc(pts, path, col_id, col_zone, NULL, NULL, out, err);
}

zs_status zs_partition_load_csv_enc(const zs_points *pts, const char *path,
                                    const char *col_id, const char *col_zone,
                                    const char *encoding, const char *setting,
                                    zs_partition **out, zs_err *err)
{
    zs_plan_file_opts o;
    zs_plan_file_opts_defaults(&o);
    o.col_id = col_id;
    o.col_zone = col_zone;
    o.encoding = encoding;
    o.encoding_setting = setting;
    return zs_partition_load_file(pts, path, &o, out, err);
}

void zs_plan_file_opts_defaults(zs_plan_file_opts *o)
{
    o->col_id = NULL;
    o->col_zone = NULL;
    o->encoding = NULL;
    o->encoding_setting = NULL;
    o->unassigned_nearest = 0;
    o->unassigned_setting = NULL;
}

zs_status zs_partition_load_file(const zs_points *pts, const char *path,
                                 const zs_plan_file_opts *opts, zs_partition **out, zs_err *err)
{
    double t0 = omp_get_wtime();
    *out = NULL;
    zs_plan_file_opts o;
    zs_plan_file_opts_defaults(&o);
    if (opts)
        o = *opts;
    if (!o.col_id)
        o.col_id = "id";
    if (!o.col_zone)
        o.col_zone = "zone";
    const char *col_id = o.col_id, *col_zone = o.col_zone, *encoding = o.encoding,
               *setting = o.encoding_setting;
    size_t unassigned = 0;
    zs_csv *c = NULL;
    int32_t *zone = NULL;
    long *first_line = NULL;
    zs_partition *p = NULL;
    label_set L;
    memset(&L, 0, sizeof L);
    zs_status st = zs_csv_open_enc(path, ',', encoding, setting, &c, err);
    if (st != ZS_OK)
        return st;
    int r = zs_csv_next(c, err);
    if (r < 0) {
        st = err ? err->code : ZS_EINPUT;
        goto done;
    }
    if (r == 0) {
        st = zs_err_at(err, ZS_EINPUT, path, 0, 0, "empty file (no header)");
        goto done;
    }
    long ic, iz;
    if ((st = zs_csv_require(c, col_id, &ic, err)) != ZS_OK ||
        (st = zs_csv_require(c, col_zone, &iz, err)) != ZS_OK)
        goto done;
    zone = zs_malloc_array(pts->n ? pts->n : 1, sizeof *zone);
    first_line = zs_malloc_array(pts->n ? pts->n : 1, sizeof *first_line);
    if (!zone || !first_line) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < pts->n; i++)
        zone[i] = -1;
    st = read_rows(c, pts, (size_t)ic, (size_t)iz, &o, zone, first_line, &L, err);
    if (st != ZS_OK)
        goto done;
    for (size_t i = 0; i < pts->n; i++)
        if (zone[i] == -2) {
            zone[i] = -1;
            unassigned++;
        }
    if (unassigned && L.n == 0) {
        st = zs_err_at(err, ZS_EINPUT, path, 0, 0, "column '%s': every zone label is empty",
                       col_zone);
        goto done;
    }
    if (unassigned &&
        (st = zs_points_zone_nearest(pts->x, pts->y, pts->n, zone, NULL, err)) != ZS_OK)
        goto done;
    if (!(p = zs_partition_alloc(pts->n, L.n, L.label))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    memcpy(p->zone, zone, pts->n * sizeof *zone);
    /* Every label came from a row, so no zone is empty: this cannot fail
     * but for memory. */
    if ((st = finish_manual(p, pts, t0, err)) != ZS_OK)
        goto done;
    if (unassigned)
        snprintf(p->status, sizeof p->status, "given; %zu unassigned took the nearest zone",
                 unassigned);
    *out = p;
    p = NULL;
done:
    zs_partition_free(p);
    label_set_clear(&L);
    zs_free(zone);
    zs_free(first_line);
    zs_csv_close(c);
    return st;
}

/* Writes s as one CSV field, quoted when a reader could misread it. */
static void put_field(FILE *f, const char *s)
{
    size_t len = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL ||
                (len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t'));
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

typedef struct {
    const zs_partition *part;
    const zs_points *pts;
} plan_csv_job;

/* zs_file_write_atomic's writer for zs_partition_write_csv. */
static zs_status write_plan_csv(FILE *f, const void *ctx, zs_err *err)
{
    (void)err;
    const plan_csv_job *j = ctx;
    fputs("id,zone\n", f);
    for (size_t i = 0; i < j->part->n; i++) {
        put_field(f, j->pts->id[i]);
        fputc(',', f);
        put_field(f, j->part->label[j->part->zone[i]]);
        fputc('\n', f);
    }
    return ZS_OK; /* a failed print: the stream's error flag, named by the caller */
}

zs_status zs_partition_write_csv(const zs_partition *part, const zs_points *pts,
                                 const char *path, zs_err *err)
{
    if (part->n != pts->n)
        return zs_err_set(err, ZS_EINVAL, "%s: the plan covers %zu points, the point set has %zu",
                          path, part->n, pts->n);
    plan_csv_job j = {part, pts};
    return zs_file_write_atomic(path, write_plan_csv, &j, ZS_EIO, err);
}
