/*
 * engine/results/h5ckpt.c -- checkpoint blocks (engine/h5ckpt.h).
 *
 * Handle discipline as in engine/h5out.c: every hid_t is closed in the
 * function that opened it, on every path.
 */
#include "results/h5ckpt.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "models/alloc.h"
#include "models/rng.h"
#include "results/h5util.h"
#include "results/version.h"

#define BLOCK_KIND "zonesim checkpoint block"

uint64_t zs_h5ckpt_zone_hash(const int32_t *zone, size_t n)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a offset basis and prime */
    for (size_t i = 0; i < n; i++) {
        uint32_t v = (uint32_t)zone[i];
        for (int b = 0; b < 4; b++) {
            h ^= (v >> (8 * b)) & 0xffu;
            h *= 1099511628211ULL;
        }
    }
    return h;
}

/* ---- writing -------------------------------------------------------------- */

/* mkdir that accepts an existing directory. */
static int make_dir(const char *path)
{
    struct stat sb;
    if (mkdir(path, 0777) == 0)
        return 0;
    if (errno == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return 0;
    return -1;
}

/* dir, and its parent when that is missing (one level, as run output). */
static zs_status ensure_dir(const char *dir, zs_err *err)
{
    struct stat sb;
    if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        return ZS_OK;
    const char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        size_t n = (size_t)(slash - dir);
        char *parent = zs_malloc(n + 1);
        if (!parent)
            return ZS_NOMEM(err);
        memcpy(parent, dir, n);
        parent[n] = '\0';
        int rc = make_dir(parent);
        int e = errno;
        if (rc != 0) {
            zs_err_set(err, ZS_EIO, "%s: cannot create directory '%s': %s", dir, parent, strerror(e));
            zs_free(parent);
            return ZS_EIO;
        }
        zs_free(parent);
    }
    if (make_dir(dir) != 0)
        return zs_err_set(err, ZS_EIO, "%s: cannot create the checkpoint directory: %s", dir,
                          strerror(errno));
    return ZS_OK;
}

typedef struct {
    const zs_ckpt_key *key;
    size_t block_reps;
    zs_sim_result *const *blk;
} block_ctx;

static int block_body(zs_h5_writer *w, hid_t f, const void *vctx)
{
    const block_ctx *c = vctx;
    const zs_ckpt_key *k = c->key;
    const zs_sim_result *b0 = c->blk[0];
    const char *a = NULL;
    if (zs_h5_put_str(f, a = "kind", BLOCK_KIND) < 0 ||
        zs_h5_put_str(f, a = "engine_version", ZS_VERSION) < 0 ||
        zs_h5_put_i32(f, a = "rng_key_version", ZS_RNG_KEY_VERSION) < 0 ||
        zs_h5_put_str(f, a = "scenario_text", k->scenario_text) < 0 ||
        zs_h5_put_u64(f, a = "master_seed", k->seed) < 0 ||
        zs_h5_put_u64(f, a = "replications", k->reps) < 0 ||
        zs_h5_put_u64(f, a = "days", k->days) < 0 ||
        zs_h5_put_u64(f, a = "rep_begin", b0->rep_begin) < 0 ||
        zs_h5_put_u64(f, a = "rep_end", b0->rep_begin + b0->reps) < 0 ||
        zs_h5_put_u64(f, a = "block_reps", c->block_reps) < 0 ||
        zs_h5_put_strs(f, a = "plans", (const char *const *)k->plan_names, k->n_plans) < 0)
        return zs_h5_wfail(w, "attribute %s of /", a);
    hid_t sim = H5Gcreate2(f, "sim", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (sim < 0)
        return zs_h5_wfail(w, "/sim");
    int rc = 0;
    for (size_t p = 0; p < k->n_plans && rc == 0; p++) {
        const zs_sim_result *s = c->blk[p];
        hsize_t dims[3] = {s->reps, s->days, s->zones};
        hid_t g = H5Gcreate2(sim, k->plan_names[p], H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (g < 0) {
            rc = zs_h5_wfail(w, "/sim/%s", k->plan_names[p]);
            break;
        }
        if (zs_h5_put_u64(g, "zones", k->zones[p]) < 0 ||
            zs_h5_put_u64(g, "zone_hash", k->zone_hash[p]) < 0)
            rc = zs_h5_wfail(w, "attributes of /sim/%s", k->plan_names[p]);
        for (int m = 0; m < zs_sim_nm(s) && rc == 0; m++)
            if (zs_h5_put_dset(g, zs_metric_get(m)->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, dims,
                               s->v[m], zs_metric_get(m)->unit) < 0)
                rc = zs_h5_wfail(w, "/sim/%s/%s", k->plan_names[p], zs_metric_get(m)->name);
        if (H5Gclose(g) < 0 && rc == 0)
            rc = zs_h5_wfail(w, "/sim/%s", k->plan_names[p]);
    }
    if (H5Gclose(sim) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/sim");
    return rc;
}

zs_status zs_h5ckpt_write(const char *dir, const zs_ckpt_key *key, size_t block_reps,
                          zs_sim_result *const *blk, zs_err *err)
{
    if (!key->n_plans || !blk[0])
        return ZS_INTERNAL(err, "checkpoint block without plans");
    zs_status st = ensure_dir(dir, err);
    if (st != ZS_OK)
        return st;
    size_t len = strlen(dir) + 64;
    char *path = zs_malloc(len);
    if (!path)
        return ZS_NOMEM(err);
    snprintf(path, len, "%s/block-%zu-%zu.h5", dir, blk[0]->rep_begin,
             blk[0]->rep_begin + blk[0]->reps);
    block_ctx c = {key, block_reps, blk};
    st = zs_h5_write_file(path, block_body, &c, err);
    zs_free(path);
    return st;
}

/* ---- reading -------------------------------------------------------------- */

/* 1 when name is "block-A-B.h5" (A < B decimal), with the range; 2 when it
 * is such a name plus a temporary's suffix ending in ".tmp" or ".lock";
 * else 0. */
static int block_name(const char *name, size_t *a, size_t *b)
{
    unsigned long long x, y;
    int used = 0;
    if (sscanf(name, "block-%llu-%llu.h5%n", &x, &y, &used) != 2 || used == 0 || x >= y)
        return 0;
    *a = (size_t)x;
    *b = (size_t)y;
    if (name[used] == '\0')
        return 1;
    /* ".tmp" (an earlier zonesim) or ".<pid>.<n>.tmp" (zs_file_tmp_name),
     * or the ".lock" of a block's writer (input/files.h) a killed run left:
     * the run's own output lock keeps every other process out of dir. */
    size_t n = strlen(name);
    if (!strcmp(name + used, ".lock"))
        return 2;
    return name[used] == '.' && n > (size_t)used + 3 && strcmp(name + n - 4, ".tmp") == 0 ? 2 : 0;
}

typedef struct {
    const char *dir;
    const char *path;
    zs_err *err;
    zs_status st;
} loader;

/* Records ZS_EINPUT "PATH: WHAT; ... remove DIR"; returns -1. */
static int refuse(loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(loader *l, const char *fmt, ...)
{
    char what[640];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    l->st = zs_err_set(l->err, ZS_EINPUT,
                       "%s: %s; these checkpoints belong to another run: remove %s to start afresh",
                       l->path, what, l->dir);
    return -1;
}

static int damaged(loader *l, const char *what)
{
    l->st = zs_err_set(l->err, ZS_EINPUT,
                       "%s: cannot read %s (a damaged checkpoint block): remove it, or %s, and "
                       "resume again", l->path, what, l->dir);
    return -1;
}

/* Checks one open block file against the key and copies its rows into
 * full; *lo, *hi get its global range. */
static int load_block(loader *l, hid_t f, const zs_ckpt_key *k, zs_sim_result *const *full,
                      unsigned char *done, size_t *lo, size_t *hi, size_t *block_reps)
{
    char kind[64] = "", version[64] = "";
    int32_t keyv = 0;
    uint64_t seed, reps, days, rb, re, br;
    char *text = NULL;
    char **names = NULL;
    hsize_t np = 0;
    int rc = -1;
    if (zs_h5_get_str_attr(f, "kind", kind, sizeof kind) < 0 || strcmp(kind, BLOCK_KIND) != 0) {
        l->st = zs_err_set(l->err, ZS_EINPUT, "%s: not a zonesim checkpoint block; remove it from %s",
                           l->path, l->dir);
        return -1;
    }
    const char *a = NULL;
    if (zs_h5_get_str_attr(f, a = "engine_version", version, sizeof version) < 0 ||
        zs_h5_get_attr(f, a = "rng_key_version", H5T_NATIVE_INT32, &keyv) < 0 ||
        zs_h5_get_attr(f, a = "master_seed", H5T_NATIVE_UINT64, &seed) < 0 ||
        zs_h5_get_attr(f, a = "replications", H5T_NATIVE_UINT64, &reps) < 0 ||
        zs_h5_get_attr(f, a = "days", H5T_NATIVE_UINT64, &days) < 0 ||
        zs_h5_get_attr(f, a = "rep_begin", H5T_NATIVE_UINT64, &rb) < 0 ||
        zs_h5_get_attr(f, a = "rep_end", H5T_NATIVE_UINT64, &re) < 0 ||
        zs_h5_get_attr(f, a = "block_reps", H5T_NATIVE_UINT64, &br) < 0) {
        char what[96];
        snprintf(what, sizeof what, "attribute %s of /", a);
        return damaged(l, what);
    }
    if (strcmp(version, ZS_VERSION) != 0 || keyv != ZS_RNG_KEY_VERSION)
        return refuse(l, "written by zonesim %s (random keys v%d), this is zonesim %s (v%d)", version,
                      (int)keyv, ZS_VERSION, ZS_RNG_KEY_VERSION);
    if (seed != k->seed)
        return refuse(l, "written with master seed %llu, the scenario now has %llu",
                      (unsigned long long)seed, (unsigned long long)k->seed);
    int nomem;
    if (!(text = zs_h5_get_str_attr_dup(f, "scenario_text", &nomem))) {
        if (nomem) {
            l->st = ZS_NOMEM(l->err);
            return -1;
        }
        return damaged(l, "attribute scenario_text of /");
    }
    if (strcmp(text, k->scenario_text) != 0) {
        refuse(l, "written for another scenario text (the scenario file changed)");
        goto done;
    }
    if (reps != k->reps || days != k->days) {
        refuse(l, "written for %llu replications x %llu days, the scenario now has %zu x %zu",
               (unsigned long long)reps, (unsigned long long)days, k->reps, k->days);
        goto done;
    }
    size_t begin = full[0]->rep_begin, end = begin + full[0]->reps;
    if (rb >= re || rb < begin || re > end) {
        refuse(l, "holds replications [%llu, %llu), outside this run's [%zu, %zu) (another shard?)",
               (unsigned long long)rb, (unsigned long long)re, begin, end);
        goto done;
    }
    for (uint64_t r = rb; r < re; r++)
        if (done[r - begin]) {
            refuse(l, "replication %llu is also in another block", (unsigned long long)r);
            goto done;
        }
    /* Plans: the same names, in order, with the same zones. */
    hid_t at = H5Aopen(f, "plans", H5P_DEFAULT);
    if (at >= 0) {
        hid_t sp = H5Aget_space(at);
        hssize_t npts = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
        np = npts > 0 ? (hsize_t)npts : 0;
        if (sp >= 0)
            H5Sclose(sp);
        hid_t t = zs_h5_vstr_type();
        char **lib = np ? zs_calloc(np, sizeof *lib) : NULL;
        int ok = t >= 0 && lib && H5Aread(at, t, lib) >= 0;
        if (ok && (names = zs_calloc(np, sizeof *names)))
            for (hsize_t i = 0; i < np; i++)
                names[i] = zs_strdup(lib[i] ? lib[i] : "");
        if (lib) {
            for (hsize_t i = 0; i < np; i++)
                if (lib[i])
                    H5free_memory(lib[i]);
            zs_free(lib);
        }
        if (t >= 0)
            H5Tclose(t);
        H5Aclose(at);
        if (!ok)
            np = 0;
    }
    if (!names) {
        damaged(l, "attribute plans of /");
        goto done;
    }
    if (np != k->n_plans) {
        refuse(l, "written for %llu plans, the scenario now has %zu", (unsigned long long)np,
               k->n_plans);
        goto done;
    }
    for (size_t p = 0; p < k->n_plans; p++) {
        if (!names[p]) {
            l->st = ZS_NOMEM(l->err);
            goto done;
        }
        if (strcmp(names[p], k->plan_names[p]) != 0) {
            refuse(l, "plan %zu is '%s', the scenario now has '%s'", p, names[p], k->plan_names[p]);
            goto done;
        }
    }
    hsize_t rows = re - rb;
    for (size_t p = 0; p < k->n_plans; p++) {
        char where[160];
        snprintf(where, sizeof where, "sim/%s", k->plan_names[p]);
        hid_t g = H5Gopen2(f, where, H5P_DEFAULT);
        if (g < 0) {
            damaged(l, where);
            goto done;
        }
        uint64_t zones = 0, zh = 0;
        int ok = zs_h5_get_attr(g, "zones", H5T_NATIVE_UINT64, &zones) >= 0 &&
                 zs_h5_get_attr(g, "zone_hash", H5T_NATIVE_UINT64, &zh) >= 0;
        if (!ok) {
            H5Gclose(g);
            damaged(l, where);
            goto done;
        }
        if (zones != k->zones[p] || zh != k->zone_hash[p]) {
            H5Gclose(g);
            refuse(l, "plan '%s' had other zones (%llu) when the block was written (now %zu); its "
                      "method did not rebuild the same plan", k->plan_names[p],
                   (unsigned long long)zones, k->zones[p]);
            goto done;
        }
        zs_sim_result *s = full[p];
        hsize_t dims[3] = {rows, s->days, s->zones};
        size_t off = (size_t)(rb - begin) * s->days * s->zones;
        for (int m = 0; m < zs_sim_nm(s) && ok; m++)
            if (zs_h5_get_dset_nd(g, zs_metric_get(m)->name, H5T_NATIVE_DOUBLE, 3, dims,
                                  s->v[m] + off) < 0) {
                snprintf(where, sizeof where, "/sim/%s/%s", k->plan_names[p], zs_metric_get(m)->name);
                ok = 0;
            }
        if (H5Gclose(g) < 0)
            ok = 0;
        if (!ok) {
            damaged(l, where);
            goto done;
        }
    }
    for (uint64_t r = rb; r < re; r++)
        done[r - begin] = 1;
    *lo = (size_t)rb;
    *hi = (size_t)re;
    *block_reps = (size_t)br;
    rc = 0;
done:
    zs_free(text);
    if (names)
        for (hsize_t i = 0; i < np; i++)
            zs_free(names[i]);
    zs_free(names);
    return rc;
}

/* Opens checkpoint directory dir to walk its entries, with a buffer *path
 * of *cap bytes for their full names (zs_free it after closedir(*d)).
 * ZS_OK with *d = NULL when dir does not exist: there is no checkpoint. */
static zs_status open_dir(const char *dir, DIR **d, char **path, size_t *cap, zs_err *err)
{
    *path = NULL;
    if (!(*d = opendir(dir))) {
        if (errno == ENOENT)
            return ZS_OK;
        return zs_err_set(err, ZS_EIO, "%s: cannot open the checkpoint directory: %s", dir,
                          strerror(errno));
    }
    *cap = strlen(dir) + 300;
    if (!(*path = zs_malloc(*cap))) {
        closedir(*d);
        *d = NULL;
        return ZS_NOMEM(err);
    }
    return ZS_OK;
}

zs_status zs_h5ckpt_load(const char *dir, const zs_ckpt_key *key, zs_sim_result *const *full,
                         unsigned char *done, size_t *reps_loaded, size_t *block_reps,
                         zs_err *err)
{
    *reps_loaded = 0;
    *block_reps = 0;
    DIR *d;
    char *path;
    size_t cap;
    zs_status st = open_dir(dir, &d, &path, &cap, err);
    if (st != ZS_OK || !d)
        return st;
    loader l = {dir, path, err, ZS_OK};
    struct dirent *e;
    /* readdir's order is the file system's; the result does not depend on
     * it: every block lands at its own rows. */
    while (l.st == ZS_OK && (e = readdir(d)) != NULL) {
        size_t a, b;
        int kind = block_name(e->d_name, &a, &b);
        if (!kind)
            continue;
        snprintf(path, cap, "%s/%s", dir, e->d_name);
        if (kind == 2) {
            remove(path); /* a block a killed run did not finish */
            continue;
        }
        /* Before any HDF5 call: a damaged block must not reach the library. */
        zs_err verr;
        if (zs_h5_verify(path, zs_h5_trusting_unverified(), &verr) != ZS_OK) {
            if (strstr(verr.msg, ": unverified:")) /* an earlier zonesim's block */
                l.st = zs_err_set(err, ZS_EINPUT, "%s", verr.msg);
            else
                l.st = zs_err_set(err, ZS_EINPUT,
                                  "%s (a damaged checkpoint block): remove it, or %s, and resume "
                                  "again",
                                  verr.msg, dir);
            break;
        }
        if (H5Fis_hdf5(path) <= 0) {
            damaged(&l, "the HDF5 file");
            break;
        }
        hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (f < 0) {
            damaged(&l, "the HDF5 file");
            break;
        }
        size_t lo = 0, hi = 0, br = 0;
        int rc = load_block(&l, f, key, full, done, &lo, &hi, &br);
        if (H5Fclose(f) < 0 && rc == 0)
            rc = damaged(&l, "the HDF5 file (closing)");
        if (rc == 0 && (lo != a || hi != b))
            rc = damaged(&l, "its name (it does not match the replications inside)");
        if (rc == 0) {
            *reps_loaded += hi - lo;
            if (br > *block_reps)
                *block_reps = br;
        }
    }
    closedir(d);
    zs_free(path);
    if (l.st != ZS_OK) {
        *reps_loaded = 0;
        *block_reps = 0;
    }
    return l.st;
}

zs_status zs_h5ckpt_remove(const char *dir, zs_err *err)
{
    /* No allocation here: this runs after the results file is complete,
     * where running out of memory must not turn a finished run into a
     * failed one. */
    char path[4096];
    size_t cap = sizeof path;
    zs_status st = ZS_OK;
    if (strlen(dir) + 300 > cap)
        return zs_err_set(err, ZS_EIO, "%s: checkpoint directory path too long", dir);
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return ZS_OK;
        return zs_err_set(err, ZS_EIO, "%s: cannot open the checkpoint directory: %s", dir,
                          strerror(errno));
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t a, b;
        if (!block_name(e->d_name, &a, &b))
            continue;
        snprintf(path, cap, "%s/%s", dir, e->d_name);
        if (remove(path) != 0 && errno != ENOENT && st == ZS_OK)
            st = zs_err_set(err, ZS_EIO, "%s: cannot remove: %s", path, strerror(errno));
    }
    closedir(d);
    if (st == ZS_OK && rmdir(dir) != 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
        st = zs_err_set(err, ZS_EIO, "%s: cannot remove the checkpoint directory: %s", dir,
                        strerror(errno));
    return st;
}
