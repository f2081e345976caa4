/*
 * engine/results/h5merge.c -- `zonesim merge` (engine/h5merge.h).
 *
 * Three stages: read every shard's root (provenance and shard I/N) and
 * check that the files are one complete set; read the plans of the first
 * shard and check every other shard built the same ones; join the /sim
 * rows and write the merged file.  The merged file's /sim and /summary are
 * written by the results writer's own stages (engine/results/h5out_plans.c,
 * engine/results/h5out_internal.h) from summaries computed by zs_stats_run,
 * exactly as a run writes them.
 */
#include "results/h5merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <hdf5.h>

#include "models/alloc.h"
#include "results/h5out_internal.h"
#include "results/h5util.h"
#include "sim/shard.h"
#include "sim/sim.h"
#include "sim/stats.h"

/* Root attributes a shard has and a whole run has not (or has otherwise):
 * never copied; the merged file writes its own. */
static const char *const shard_only[] = {"created_utc", "complete", "shard", "shard_index",
                                         "shard_count", "rep_begin",   "rep_end"};

typedef struct {
    const char *path;
    char version[64];
    char name[128];
    int32_t key_version;
    uint64_t seed, reps, days, index, count, rep_begin, rep_end;
    char *text;
} shard_head;

/* ---- stage 1: the set of shards ------------------------------------------ */

static zs_status read_head(const char *path, shard_head *h, zs_err *err)
{
    hid_t f;
    int version;
    zs_status st = zs_h5_open_results(path, &f, &version, err);
    if (st != ZS_OK)
        return st;
    h->path = path;
    zs_h5_reader r = {path, err, ZS_OK};
    const char *a = NULL;
    htri_t is_shard = H5Aexists(f, "shard");
    if (is_shard == 0) {
        r.st = zs_err_set(err, ZS_EINPUT,
                          "%s: not a shard (it has no root attribute 'shard': a complete results "
                          "file); merge joins the files of 'zonesim run --shard I/N'", path);
    } else if (is_shard < 0 ||
               zs_h5_get_str_attr(f, a = "engine_version", h->version, sizeof h->version) < 0 ||
               zs_h5_get_str_attr(f, a = "scenario_name", h->name, sizeof h->name) < 0 ||
               zs_h5_get_attr(f, a = "rng_key_version", H5T_NATIVE_INT32, &h->key_version) < 0 ||
               zs_h5_get_attr(f, a = "master_seed", H5T_NATIVE_UINT64, &h->seed) < 0 ||
               zs_h5_get_attr(f, a = "replications", H5T_NATIVE_UINT64, &h->reps) < 0 ||
               zs_h5_get_attr(f, a = "days", H5T_NATIVE_UINT64, &h->days) < 0 ||
               zs_h5_get_attr(f, a = "shard_index", H5T_NATIVE_UINT64, &h->index) < 0 ||
               zs_h5_get_attr(f, a = "shard_count", H5T_NATIVE_UINT64, &h->count) < 0 ||
               zs_h5_get_attr(f, a = "rep_begin", H5T_NATIVE_UINT64, &h->rep_begin) < 0 ||
               zs_h5_get_attr(f, a = "rep_end", H5T_NATIVE_UINT64, &h->rep_end) < 0) {
        zs_h5_rfail(&r, "attribute %s of /", a ? a : "shard");
    } else {
        int nomem;
        if (!(h->text = zs_h5_get_str_attr_dup(f, "scenario_text", &nomem))) {
            if (nomem)
                zs_h5_rnomem(&r);
            else
                zs_h5_rfail(&r, "attribute scenario_text of /");
        }
    }
    if (H5Fclose(f) < 0 && r.st == ZS_OK)
        r.st = zs_err_set(err, ZS_EIO, "%s: cannot close the HDF5 file", path);
    return r.st;
}

/* 1-based line of the first difference of two texts. */
static size_t first_diff_line(const char *a, const char *b)
{
    size_t line = 1;
    for (; *a && *a == *b; a++, b++)
        if (*a == '\n')
            line++;
    return line;
}

/* Checks that h[0..n) are one complete set of shards of one run and fills
 * by[i] with the position in h of shard i. */
static zs_status check_set(const shard_head *h, size_t n, size_t *by, zs_err *err)
{
    const shard_head *h0 = &h[0];
    for (size_t i = 1; i < n; i++) {
        const shard_head *x = &h[i];
        if (strcmp(x->version, h0->version) != 0 || x->key_version != h0->key_version)
            return zs_err_set(err, ZS_EINPUT,
                              "%s was written by zonesim %s (random keys v%d), %s by zonesim %s "
                              "(v%d): the shards of one run come from one version",
                              h0->path, h0->version, (int)h0->key_version, x->path, x->version,
                              (int)x->key_version);
        if (x->seed != h0->seed)
            return zs_err_set(err, ZS_EINPUT,
                              "%s has master seed %llu, %s has %llu: these shards are from "
                              "different runs", h0->path, (unsigned long long)h0->seed, x->path,
                              (unsigned long long)x->seed);
        if (strcmp(x->text, h0->text) != 0)
            return zs_err_set(err, ZS_EINPUT,
                              "%s and %s hold different scenario texts (from line %zu on): these "
                              "shards are from different scenarios", h0->path, x->path,
                              first_diff_line(h0->text, x->text));
        if (x->reps != h0->reps || x->days != h0->days)
            return zs_err_set(err, ZS_EINPUT,
                              "%s covers %llu replications x %llu days, %s %llu x %llu: these "
                              "shards are from different runs", h0->path,
                              (unsigned long long)h0->reps, (unsigned long long)h0->days, x->path,
                              (unsigned long long)x->reps, (unsigned long long)x->days);
        if (x->count != h0->count)
            return zs_err_set(err, ZS_EINPUT,
                              "%s is shard %llu/%llu, %s is shard %llu/%llu: shards of splits into "
                              "different numbers of shards cannot be merged", h0->path,
                              (unsigned long long)h0->index, (unsigned long long)h0->count,
                              x->path, (unsigned long long)x->index, (unsigned long long)x->count);
    }
    size_t N = (size_t)h0->count;
    for (size_t i = 0; i < n; i++) {
        size_t b = 0, e = 0;
        zs_err tmp;
        if (h[i].index >= N ||
            zs_shard_range((size_t)h[i].reps, (size_t)h[i].index, N, &b, &e, &tmp) != ZS_OK ||
            b != h[i].rep_begin || e != h[i].rep_end)
            return zs_err_set(err, ZS_EINPUT,
                              "%s: shard %llu/%llu holds replications [%llu, %llu), not the range "
                              "the split gives (damaged, or not written by zonesim run --shard)",
                              h[i].path, (unsigned long long)h[i].index, (unsigned long long)N,
                              (unsigned long long)h[i].rep_begin, (unsigned long long)h[i].rep_end);
    }
    for (size_t s = 0; s < N; s++)
        by[s] = n; /* none yet */
    for (size_t i = 0; i < n; i++) {
        size_t s = (size_t)h[i].index;
        if (by[s] != n)
            return zs_err_set(err, ZS_EINPUT, "shard %zu/%zu given twice: %s and %s", s, N,
                              h[by[s]].path, h[i].path);
        by[s] = i;
    }
    char list[512] = "";
    size_t used = 0, missing = 0;
    for (size_t s = 0; s < N; s++) {
        if (by[s] != n)
            continue;
        if (used < sizeof list - 32)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%zu/%zu",
                                     missing ? ", " : "", s, N);
        else if (used < sizeof list - 1)
            used += (size_t)snprintf(list + used, sizeof list - used, ", ...");
        missing++;
    }
    if (missing)
        return zs_err_set(err, ZS_EINPUT,
                          "missing shard%s %s: all %zu shards of the run are needed (%zu given); "
                          "run 'zonesim run SCENARIO --shard I/%zu' for each missing I, then merge "
                          "again", missing > 1 ? "s" : "", list, N, n, N);
    return ZS_OK;
}

/* ---- stage 2: the plans ---------------------------------------------------- */

/* The plans of f in scenario order (attribute order of /plans/<plan>). */
static int list_plans(zs_h5_reader *r, hid_t f, zs_h5_names *l)
{
    hid_t g = H5Gopen2(f, "plans", H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "/plans");
    int rc = zs_h5_list_ordered(r, g, "/plans", "list of plans", 1, l);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "/plans");
    return rc;
}

/* k and the zone assignment (n points) of /plans/<name>; zone is the
 * caller's (zs_free). */
static int read_zones(zs_h5_reader *r, hid_t f, const char *name, uint64_t *k, int32_t **zone,
                      hsize_t *n)
{
    char where[160];
    snprintf(where, sizeof where, "/plans/%s", name);
    *zone = NULL;
    hid_t g = H5Gopen2(f, where, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "%s", where);
    int rc = 0;
    if (zs_h5_get_attr(g, "k", H5T_NATIVE_UINT64, k) < 0 || *k < 1)
        rc = zs_h5_rfail(r, "attribute k of %s", where);
    else if (zs_h5_dset_len(g, "zone", n) < 0)
        rc = zs_h5_rfail(r, "%s/zone", where);
    else if (!(*zone = zs_malloc_array(*n ? *n : 1, sizeof **zone)))
        rc = zs_h5_rnomem(r);
    else if (zs_h5_get_dset(g, "zone", H5T_NATIVE_INT32, *n, *zone) < 0)
        rc = zs_h5_rfail(r, "%s/zone", where);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "%s", where);
    if (rc != 0) {
        zs_free(*zone);
        *zone = NULL;
    }
    return rc;
}

/* ---- stage 3: rows and the merged file ------------------------------------- */

/* Reads shard h's /sim/<plan> rows into full at their replications. */
static int read_rows(zs_h5_reader *r, hid_t f, const shard_head *h, const char *plan,
                     zs_sim_result *full)
{
    char where[160];
    snprintf(where, sizeof where, "/sim/%s", plan);
    hid_t g = H5Gopen2(f, where, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_rfail(r, "%s (every plan of a shard is simulated)", where);
    uint64_t rb = 0;
    int rc = 0;
    if (zs_h5_get_attr(g, "rep_begin", H5T_NATIVE_UINT64, &rb) < 0 || rb != h->rep_begin)
        rc = zs_h5_rfail(r, "attribute rep_begin of %s (%llu; the shard starts at %llu)", where,
                         (unsigned long long)rb, (unsigned long long)h->rep_begin);
    hsize_t dims[3] = {h->rep_end - h->rep_begin, full->days, full->zones};
    size_t off = (size_t)h->rep_begin * full->days * full->zones;
    /* A run with the day model carries its metrics (engine/sim/day.c). */
    if (rc == 0 && H5Lexists(g, zs_metric_get(ZS_M_BASE_COUNT)->name, H5P_DEFAULT) > 0)
        full->n_metrics = ZS_M_COUNT;
    for (int m = 0; m < zs_sim_nm(full) && rc == 0; m++)
        if (zs_h5_get_dset_nd(g, zs_metric_get(m)->name, H5T_NATIVE_DOUBLE, 3, dims,
                              full->v[m] + off) < 0)
            rc = zs_h5_rfail(r, "%s/%s (expected %llu x %llu x %llu values)", where,
                             zs_metric_get(m)->name, (unsigned long long)dims[0],
                             (unsigned long long)dims[1], (unsigned long long)dims[2]);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_rfail(r, "%s", where);
    return rc;
}

typedef struct {
    hid_t src;              /* shard 0, open read-only */
    const char *src_path;
    const zs_results *res;  /* n_plans, plans (name, sim, summary), paired */
} merge_ctx;

typedef struct {
    hid_t dst;
    int failed, nomem;
    char obj[128];
} copy_state;

static int is_shard_only(const char *name)
{
    for (size_t i = 0; i < sizeof shard_only / sizeof shard_only[0]; i++)
        if (!strcmp(name, shard_only[i]))
            return 1;
    return 0;
}

/* Copies one root attribute of the source as it is (type, shape, bytes). */
static herr_t copy_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)info;
    copy_state *c = data;
    if (is_shard_only(name))
        return 0;
    snprintf(c->obj, sizeof c->obj, "attribute %s of /", name);
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    hid_t t = a >= 0 ? H5Aget_type(a) : -1;
    hid_t sp = a >= 0 ? H5Aget_space(a) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    size_t size = t >= 0 ? H5Tget_size(t) : 0;
    void *buf = n >= 0 && size ? zs_calloc(n ? (size_t)n : 1, size) : NULL;
    if (n >= 0 && size && !buf)
        c->nomem = 1;
    int ok = buf && H5Aread(a, t, buf) >= 0;
    int vlen = t >= 0 && (H5Tis_variable_str(t) > 0 || H5Tdetect_class(t, H5T_VLEN) > 0);
    if (ok) {
        hid_t d = H5Acreate2(c->dst, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
        ok = d >= 0 && H5Awrite(d, t, buf) >= 0;
        if (d >= 0 && H5Aclose(d) < 0)
            ok = 0;
        if (vlen)
            H5Dvlen_reclaim(t, sp, H5P_DEFAULT, buf);
    }
    zs_free(buf);
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    if (!ok) {
        c->failed = 1;
        return -1;
    }
    return 0;
}

/* Copies every root object but /sim and /summary (deep: groups with their
 * datasets and attributes, storage settings kept). */
static herr_t copy_link(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    (void)info;
    copy_state *c = data;
    if (!strcmp(name, "sim") || !strcmp(name, "summary"))
        return 0;
    snprintf(c->obj, sizeof c->obj, "/%s", name);
    if (H5Ocopy(loc, name, c->dst, name, H5P_DEFAULT, H5P_DEFAULT) < 0) {
        c->failed = 1;
        return -1;
    }
    return 0;
}

static int merge_body(zs_h5_writer *w, hid_t f, const void *vctx)
{
    const merge_ctx *c = vctx;
    copy_state cs = {f, 0, 0, ""};
    hsize_t idx = 0;
    if (H5Aiterate2(c->src, H5_INDEX_NAME, H5_ITER_INC, &idx, copy_attr, &cs) < 0 || cs.failed)
        return cs.nomem ? zs_h5_wnomem(w) : zs_h5_wfail(w, "%s (copied from %s)", cs.obj, c->src_path);
    /* The merged file is a whole run written now. */
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
        !strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(created, sizeof created, "unknown");
    if (zs_h5_put_str(f, "created_utc", created) < 0)
        return zs_h5_wfail(w, "attribute created_utc of /");
    if (zs_h5out_write_shard_attrs(w, f, c->res) < 0)
        return -1;
    idx = 0;
    if (H5Literate(c->src, H5_INDEX_NAME, H5_ITER_INC, &idx, copy_link, &cs) < 0 || cs.failed)
        return zs_h5_wfail(w, "%s (copied from %s)", cs.obj, c->src_path);
    return zs_h5out_write_sim_summary(w, f, c->res);
}

/* 1 when a and b name the same existing file. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

zs_status zs_h5merge_shards(const char *out, const char *const *shards, size_t n,
                            zs_h5merge_info *info, zs_err *err)
{
    if (!out || !*out)
        return zs_err_set(err, ZS_EINVAL, "merge: the output file name is empty");
    if (n == 0)
        return zs_err_set(err, ZS_EINVAL, "merge: no shard files given");
    for (size_t i = 0; i < n; i++)
        if (!strcmp(out, shards[i]) || same_file(out, shards[i]))
            return zs_err_set(err, ZS_EINVAL,
                              "merge: the output %s is one of the shards; write the merged file "
                              "to a new name", out);
    zs_status st = ZS_OK;
    shard_head *h = zs_calloc(n, sizeof *h);
    size_t *by = NULL, N = 0, np = 0;
    zs_h5_names pl = {0};
    zs_sim_result **sims = NULL;
    zs_plan_summary **sums = NULL;
    zs_stat *pw = NULL, *po = NULL;
    zs_h5_plan *h5p = NULL;
    uint64_t *k = NULL;
    int32_t **zone = NULL;
    hsize_t npts = 0;
    hid_t f0 = -1;
    if (!h)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < n && st == ZS_OK; i++)
        st = read_head(shards[i], &h[i], err);
    if (st != ZS_OK)
        goto done;
    N = (size_t)h[0].count;
    if (N < 1 || N > h[0].reps) { /* a split has at most one shard per replication */
        st = zs_err_set(err, ZS_EINPUT, "%s: shard count %llu is invalid", h[0].path,
                        (unsigned long long)h[0].count);
        goto done;
    }
    if (!(by = zs_malloc_array(N, sizeof *by))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if ((st = check_set(h, n, by, err)) != ZS_OK)
        goto done;

    /* The plans, from shard 0; every other shard must hold the same. */
    const shard_head *s0 = &h[by[0]];
    int version;
    if ((st = zs_h5_open_results(s0->path, &f0, &version, err)) != ZS_OK)
        goto done;
    zs_h5_reader r0 = {s0->path, err, ZS_OK};
    if (list_plans(&r0, f0, &pl) < 0) {
        st = r0.st;
        goto done;
    }
    np = pl.n;
    if (np == 0) {
        st = zs_err_set(err, ZS_EINPUT, "%s: the shard has no plans", s0->path);
        goto done;
    }
    k = zs_calloc(np, sizeof *k);
    zone = zs_calloc(np, sizeof *zone);
    sims = zs_calloc(np, sizeof *sims);
    sums = zs_calloc(np, sizeof *sums);
    h5p = zs_calloc(np, sizeof *h5p);
    if (!k || !zone || !sims || !sums || !h5p) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t p = 0; p < np; p++) {
        hsize_t len = 0;
        if (read_zones(&r0, f0, pl.name[p], &k[p], &zone[p], &len) < 0) {
            st = r0.st;
            goto done;
        }
        if (p > 0 && len != npts) {
            zs_h5_rfail(&r0, "/plans/%s/zone (%llu points, not %llu)", pl.name[p],
                        (unsigned long long)len, (unsigned long long)npts);
            st = r0.st;
            goto done;
        }
        npts = len;
        if (!(sims[p] = zs_sim_result_create((size_t)s0->reps, (size_t)s0->days, (size_t)k[p], 0,
                                             err))) {
            st = err ? err->code : ZS_ENOMEM;
            goto done;
        }
    }
    for (size_t s = 0; s < N && st == ZS_OK; s++) {
        const shard_head *x = &h[by[s]];
        hid_t f = f0;
        if (s > 0 && (st = zs_h5_open_results(x->path, &f, &version, err)) != ZS_OK)
            break;
        zs_h5_reader r = {x->path, err, ZS_OK};
        zs_h5_names xl = {0};
        if (s > 0 && list_plans(&r, f, &xl) == 0) {
            /* The same plans, in the same order, zone for zone. */
            int same = xl.n == np;
            for (size_t p = 0; same && p < np; p++)
                same = !strcmp(xl.name[p], pl.name[p]);
            if (!same)
                r.st = zs_err_set(err, ZS_EINPUT,
                                  "%s and %s hold different plans: these shards are from "
                                  "different runs", s0->path, x->path);
            for (size_t p = 0; p < np && r.st == ZS_OK; p++) {
                uint64_t kx = 0;
                int32_t *zx = NULL;
                hsize_t len = 0;
                if (read_zones(&r, f, pl.name[p], &kx, &zx, &len) < 0)
                    break;
                if (kx != k[p] || len != npts || memcmp(zx, zone[p], (size_t)len * sizeof *zx))
                    r.st = zs_err_set(err, ZS_EINPUT,
                                      "plan '%s' differs between %s and %s (%s): the shards did "
                                      "not build the same plan (a method stopped by its time "
                                      "limit?), so their rows cannot be joined",
                                      pl.name[p], s0->path, x->path,
                                      kx != k[p] ? "its number of zones" : "its zone assignment");
                zs_free(zx);
            }
        }
        zs_h5_names_free(&xl);
        for (size_t p = 0; p < np && r.st == ZS_OK; p++)
            read_rows(&r, f, x, pl.name[p], sims[p]);
        if (s > 0 && H5Fclose(f) < 0 && r.st == ZS_OK)
            r.st = zs_err_set(err, ZS_EIO, "%s: cannot close the HDF5 file", x->path);
        st = r.st;
    }
    if (st != ZS_OK)
        goto done;

    /* Summaries by the run's own code, then the file. */
    if (np >= 2 && (!(pw = zs_calloc(np, sizeof *pw)) || !(po = zs_calloc(np, sizeof *po)))) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if ((st = zs_stats_run((const zs_sim_result *const *)sims, np, 0, sums, pw, po, err)) != ZS_OK)
        goto done;
    for (size_t p = 0; p < np; p++) {
        h5p[p].name = pl.name[p];
        h5p[p].sim = sims[p];
        h5p[p].summary = sums[p];
    }
    zs_results res = {
        .seed = s0->seed, .reps = (size_t)s0->reps, .days = (size_t)s0->days,
        .n_plans = np, .plans = h5p, .paired_work = pw, .paired_overtime = po,
    };
    merge_ctx ctx = {f0, s0->path, &res};
    st = zs_h5_write_file(out, merge_body, &ctx, err);
    if (st == ZS_OK && info) {
        info->shards = N;
        info->reps = (size_t)s0->reps;
        info->days = (size_t)s0->days;
        info->n_plans = np;
        info->seed = s0->seed;
        snprintf(info->scenario_name, sizeof info->scenario_name, "%s", s0->name);
    }

done:
    if (f0 >= 0 && H5Fclose(f0) < 0 && st == ZS_OK)
        st = zs_err_set(err, ZS_EIO, "%s: cannot close the HDF5 file", h[by[0]].path);
    for (size_t p = 0; p < np; p++) {
        if (sims)
            zs_sim_result_free(sims[p]);
        if (sums)
            zs_plan_summary_free(sums[p]);
        if (zone)
            zs_free(zone[p]);
    }
    zs_free(sims);
    zs_free(sums);
    zs_free(zone);
    zs_free(k);
    zs_free(h5p);
    zs_free(pw);
    zs_free(po);
    zs_h5_names_free(&pl);
    for (size_t i = 0; i < n; i++)
        zs_free(h[i].text);
    zs_free(h);
    zs_free(by);
    return st;
}
