/*
 * engine/results/h5util.c -- small HDF5 helpers shared by the results-file modules
 * (engine/h5*.c): typed attributes and datasets, the .tmp + rename writer,
 * readers with error reporting.  See h5util.h.
 */
#include "results/h5util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "models/alloc.h"
#include "input/files.h"
#include "results/h5out.h"
#include "results/version.h"

/* A new variable-length UTF-8 string type, or -1. */
hid_t zs_h5_vstr_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Attribute name on loc: n == 0 scalar, else a 1-d array of n. */
int zs_h5_put_attr(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                    const void *buf)
{
    hid_t sp = n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_SCALAR);
    if (sp < 0)
        return -1;
    int rc = -1;
    hid_t a = H5Acreate2(loc, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0 && H5Awrite(a, mtype, buf) >= 0)
        rc = 0;
    if (a >= 0 && H5Aclose(a) < 0)
        rc = -1;
    if (H5Sclose(sp) < 0)
        rc = -1;
    return rc;
}

int zs_h5_put_i32(hid_t loc, const char *name, int32_t v)
{
    return zs_h5_put_attr(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, 0, &v);
}

int zs_h5_put_u64(hid_t loc, const char *name, uint64_t v)
{
    return zs_h5_put_attr(loc, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 0, &v);
}

int zs_h5_put_f64(hid_t loc, const char *name, double v)
{
    return zs_h5_put_attr(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, &v);
}

/* String attribute (NULL writes ""), or an array of n strings. */
int zs_h5_put_strs(hid_t loc, const char *name, const char *const *s, hsize_t n)
{
    hid_t t = zs_h5_vstr_type();
    if (t < 0)
        return -1;
    int rc = zs_h5_put_attr(loc, name, t, t, n, s);
    if (H5Tclose(t) < 0)
        rc = -1;
    return rc;
}

int zs_h5_put_str(hid_t loc, const char *name, const char *s)
{
    const char *p = s ? s : "";
    return zs_h5_put_strs(loc, name, &p, 0);
}

/* Creates and writes dataset name (contiguous unless dcpl says otherwise)
 * with an optional units attribute; returns the open dataset or -1. */
hid_t zs_h5_put_dset_open(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank,
                           const hsize_t *dims, hid_t dcpl, const void *buf, const char *units)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    if (sp < 0)
        return -1;
    hsize_t count = 1;
    for (int i = 0; i < rank; i++)
        count *= dims[i];
    hid_t d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    /* An empty selection needs no buffer; callers may pass NULL then. */
    int ok = d >= 0 && (count == 0 || H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) &&
             (!units || zs_h5_put_str(d, "units", units) >= 0);
    if (H5Sclose(sp) < 0)
        ok = 0;
    if (!ok && d >= 0) {
        H5Dclose(d);
        d = -1;
    }
    return ok ? d : -1;
}

int zs_h5_put_dset(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank,
                    const hsize_t *dims, const void *buf, const char *units)
{
    hid_t d = zs_h5_put_dset_open(loc, name, ftype, mtype, rank, dims, H5P_DEFAULT, buf, units);
    if (d < 0)
        return -1;
    return H5Dclose(d) < 0 ? -1 : 0;
}

/* 1-d vlen string dataset of n strings. */
int zs_h5_put_str_dset(hid_t loc, const char *name, char *const *s, hsize_t n)
{
    hid_t t = zs_h5_vstr_type();
    if (t < 0)
        return -1;
    int rc = zs_h5_put_dset(loc, name, t, t, 1, &n, s, NULL);
    if (H5Tclose(t) < 0)
        rc = -1;
    return rc;
}

/* The errno of the system call that failed under the current HDF5 error
 * stack ("..., errno = 28, error message = ..." in the sec2 driver's
 * entries), or 0. */
static herr_t find_errno(unsigned n, const H5E_error2_t *e, void *data)
{
    (void)n;
    const char *p = e->desc ? strstr(e->desc, "errno = ") : NULL;
    if (p && !*(int *)data)
        *(int *)data = atoi(p + 8);
    return 0;
}

static int stack_errno(void)
{
    int e = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, find_errno, &e);
    return e;
}

/* When HDF5's stack no longer holds the errno (a later successful call
 * cleared it): the state of the file system path is on, which is what the
 * user must hear about (ENOSPC when under 64 KiB are free, EROFS), or 0. */
static int fs_errno(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash == path ? 1 : slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    struct statvfs v;
    if (statvfs(dir, &v) != 0)
        return 0;
    if (v.f_flag & ST_RDONLY)
        return EROFS;
    if ((unsigned long long)v.f_bavail * v.f_frsize < 65536)
        return ENOSPC;
    return 0;
}

int zs_h5_wfail(zs_h5_writer *w, const char *fmt, ...)
{
    char obj[512];
    int e = stack_errno();
    if (!e)
        e = fs_errno(w->path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(obj, sizeof obj, fmt, ap);
    va_end(ap);
    /* The system's reason when there is one (disk full, read-only, ...). */
    if (e)
        w->st = zs_file_write_error(w->err, e, w->path, obj);
    else
        w->st = zs_err_set(w->err, ZS_EIO, "%s: cannot write %s", w->path, obj);
    return -1;
}

int zs_h5_wnomem(zs_h5_writer *w)
{
    w->st = ZS_NOMEM(w->err);
    return -1;
}

/* Closes *g and marks it closed; -1 when closing failed. */
int zs_h5_end_group(hid_t *g)
{
    herr_t e = H5Gclose(*g);
    *g = -1;
    return e < 0 ? -1 : 0;
}

/* fsync of a file or directory by name: 0, or -1 with errno set.  A
 * directory whose file system cannot sync it (EINVAL) counts as synced. */
static int sync_path(const char *path, int dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    if (rc != 0 && dir && errno == EINVAL)
        rc = 0;
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

/* Closes f with every object of it still open (the body's error paths
 * may leave some).  A close whose flush fails leaves libhdf5 1.10 half torn
 * down: closing again, or its atexit handler, then crashes (issue 22: a
 * full disk ended in SIGSEGV at exit).  So the file is flushed first, and
 * when that fails (disk full, quota) the temporary, which is discarded
 * anyway, is emptied to free its blocks and flushed again, until the
 * close has nothing left to write.  -1 with errno when a flush failed. */
static int close_file(hid_t f, const char *tmp)
{
    unsigned types = H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR |
                     H5F_OBJ_LOCAL;
    ssize_t n = H5Fget_obj_count(f, types);
    hid_t *ids = n > 0 ? zs_malloc_array((size_t)n, sizeof *ids) : NULL;
    ssize_t m = ids ? H5Fget_obj_ids(f, types, (size_t)n, ids) : 0;
    for (ssize_t i = 0; i < m; i++)
        switch (H5Iget_type(ids[i])) {
        case H5I_GROUP: H5Gclose(ids[i]); break;
        case H5I_DATASET: H5Dclose(ids[i]); break;
        case H5I_DATATYPE: H5Tclose(ids[i]); break;
        case H5I_ATTR: H5Aclose(ids[i]); break;
        default: break;
        }
    zs_free(ids);
    int e = 0;
    for (int attempt = 0; attempt < 4 && H5Fflush(f, H5F_SCOPE_LOCAL) < 0; attempt++) {
        if (!e)
            e = stack_errno();
        if (!e)
            e = EIO;
        if (truncate(tmp, 0) != 0)
            break;
    }
    herr_t c = H5Fclose(f);
    if (c < 0 && !e)
        e = stack_errno();
    if (c < 0 && !e)
        e = fs_errno(tmp);
    if (c < 0 && !e)
        e = EIO;
    errno = e;
    return e ? -1 : 0;
}

/* Writes a temporary of path with body, closes it, seals it (checksum in
 * the user block), syncs it to disk and renames it to path, then syncs
 * the directory, so that after a crash (not only a killed process) path
 * is either absent or complete; on any failure removes that temporary,
 * never another process's. */
zs_status zs_h5_write_file(const char *path, zs_h5_body_fn body, const void *ctx, zs_err *err)
{
    zs_status st = zs_file_claim_output(path, err);
    if (st != ZS_OK)
        return st;
    char *tmp = zs_file_tmp_name(path, err);
    if (!tmp) {
        zs_file_release_output(path);
        return ZS_ENOMEM;
    }
    zs_h5_writer w = {path, err, ZS_OK};
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
    hid_t f = -1;
    if (fcpl >= 0 && fapl >= 0 && H5Pset_userblock(fcpl, ZS_H5_USERBLOCK) >= 0 &&
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) >= 0)
        f = H5Fcreate(tmp, H5F_ACC_EXCL, fcpl, fapl);
    int e = f < 0 ? stack_errno() : 0;
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (f < 0) {
        const char *t = zs_file_errno_text(e);
        if (t)
            st = zs_err_set(err, ZS_EIO, "%s: cannot create %s: %s", path, tmp, t);
        else if (e)
            st = zs_err_set(err, ZS_EIO, "%s: cannot create %s: %s", path, tmp, strerror(e));
        else
            st = zs_err_set(err, ZS_EIO, "%s: cannot create %s", path, tmp);
        goto fail;
    }
    int rc = body(&w, f, ctx);
    /* Closing flushes: a failure here is a failed write too. */
    if (close_file(f, tmp) < 0 && rc == 0) {
        e = errno;
        w.st = zs_file_write_error(err, e, path, "the file (closing it)");
        rc = -1;
    }
    if (rc < 0) {
        st = w.st;
        goto fail;
    }
    if (zs_h5_seal(tmp, &e) != 0) {
        st = zs_file_write_error(err, e, path, "its checksum");
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        st = zs_err_set(err, ZS_EIO, "%s: cannot rename %s to it: %s", path, tmp, strerror(errno));
        goto fail;
    }
    /* The rename itself becomes durable with its directory. */
    const char *slash = strrchr(path, '/');
    if (slash) {
        size_t dl = slash == path ? 1 : (size_t)(slash - path);
        memcpy(tmp, path, dl);
        tmp[dl] = '\0';
    } else {
        memcpy(tmp, ".", 2);
    }
    st = ZS_OK;
    if (sync_path(tmp, 1) != 0)
        st = zs_err_set(err, ZS_EIO, "%s: written, but cannot sync its directory %s: %s", path, tmp,
                        strerror(errno));
    zs_free(tmp);
    zs_file_release_output(path);
    return st;
fail:
    remove(tmp); /* ours alone; may not exist: nothing to report */
    zs_free(tmp);
    zs_file_release_output(path);
    return st;
}

/* Reads scalar attribute name of loc converted to mtype.  The attribute
 * must hold exactly one element, so buf cannot overflow. */
int zs_h5_get_attr(hid_t loc, const char *name, hid_t mtype, void *buf)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t sp = H5Aget_space(a);
    int ok = sp >= 0 && H5Sget_simple_extent_npoints(sp) == 1 && H5Aread(a, mtype, buf) >= 0;
    if (sp >= 0 && H5Sclose(sp) < 0)
        ok = 0;
    if (H5Aclose(a) < 0)
        ok = 0;
    return ok ? 0 : -1;
}

/* Reads a scalar variable-length string attribute into buf (truncated to
 * size). */
int zs_h5_get_str_attr(hid_t loc, const char *name, char *buf, size_t size)
{
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t t = -1, ft = -1, sp = -1;
    char *s = NULL;
    int ok = (ft = H5Aget_type(a)) >= 0 && H5Tget_class(ft) == H5T_STRING &&
             H5Tis_variable_str(ft) > 0 && (sp = H5Aget_space(a)) >= 0 &&
             H5Sget_simple_extent_npoints(sp) == 1 && (t = zs_h5_vstr_type()) >= 0 &&
             H5Aread(a, t, &s) >= 0;
    if (ok)
        snprintf(buf, size, "%s", s ? s : "");
    if (s)
        H5free_memory(s);
    if (t >= 0 && H5Tclose(t) < 0)
        ok = 0;
    if (sp >= 0 && H5Sclose(sp) < 0)
        ok = 0;
    if (ft >= 0 && H5Tclose(ft) < 0)
        ok = 0;
    if (H5Aclose(a) < 0)
        ok = 0;
    return ok ? 0 : -1;
}

char *zs_h5_get_str_attr_dup(hid_t loc, const char *name, int *nomem)
{
    *nomem = 0;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    hid_t t = -1, ft = -1, sp = -1;
    char *s = NULL, *copy = NULL;
    int ok = (ft = H5Aget_type(a)) >= 0 && H5Tget_class(ft) == H5T_STRING &&
             H5Tis_variable_str(ft) > 0 && (sp = H5Aget_space(a)) >= 0 &&
             H5Sget_simple_extent_npoints(sp) == 1 && (t = zs_h5_vstr_type()) >= 0 &&
             H5Aread(a, t, &s) >= 0;
    if (ok && !(copy = zs_strdup(s ? s : "")))
        *nomem = 1;
    if (s)
        H5free_memory(s);
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    H5Aclose(a);
    return copy;
}

/* Length of 1-d dataset name. */
int zs_h5_dset_len(hid_t loc, const char *name, hsize_t *n)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t sp = H5Dget_space(d);
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 &&
             H5Sget_simple_extent_dims(sp, n, NULL) == 1;
    if (sp >= 0 && H5Sclose(sp) < 0)
        ok = 0;
    if (H5Dclose(d) < 0)
        ok = 0;
    return ok ? 0 : -1;
}

int zs_h5_get_dset_nd(hid_t loc, const char *name, hid_t mtype, int rank, const hsize_t *dims,
                      void *buf)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t sp = H5Dget_space(d);
    hsize_t got[8];
    int ok = rank >= 1 && rank <= 8 && sp >= 0 && H5Sget_simple_extent_ndims(sp) == rank &&
             H5Sget_simple_extent_dims(sp, got, NULL) == rank;
    hsize_t count = 1;
    for (int i = 0; ok && i < rank; i++) {
        ok = got[i] == dims[i];
        count *= dims[i];
    }
    if (ok && count > 0)
        ok = H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0;
    if (sp >= 0 && H5Sclose(sp) < 0)
        ok = 0;
    if (H5Dclose(d) < 0)
        ok = 0;
    return ok ? 0 : -1;
}

/* Reads 1-d dataset name, which must have exactly n elements, as mtype. */
int zs_h5_get_dset(hid_t loc, const char *name, hid_t mtype, hsize_t n, void *buf)
{
    hsize_t len;
    if (zs_h5_dset_len(loc, name, &len) < 0 || len != n)
        return -1;
    if (n == 0)
        return 0;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    int ok = H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0;
    if (H5Dclose(d) < 0)
        ok = 0;
    return ok ? 0 : -1;
}

int zs_h5_rfail(zs_h5_reader *r, const char *fmt, ...)
{
    char obj[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(obj, sizeof obj, fmt, ap);
    va_end(ap);
    r->st = zs_err_set(r->err, ZS_EINPUT, "%s: cannot read %s (damaged, or not written by zonesim %s)",
                       r->path, obj, ZS_VERSION);
    return -1;
}

int zs_h5_rnomem(zs_h5_reader *r)
{
    r->st = ZS_NOMEM(r->err);
    return -1;
}

/* Reads 1-d vlen string dataset name of n strings into a new array of n
 * zs_strdup'ed strings (*out, zs_calloc'ed, so a partial array is safe to
 * free).  The library's own copies are released on every path. */
int zs_h5_get_strs(zs_h5_reader *r, hid_t loc, const char *name, hsize_t n, char ***out,
                    const char *where)
{
    char **lib = zs_calloc(n ? n : 1, sizeof *lib);
    char **copy = zs_calloc(n ? n : 1, sizeof *copy);
    hid_t t = -1;
    int rc = -1;
    if (!lib || !copy) {
        zs_h5_rnomem(r);
        goto done;
    }
    *out = copy;
    copy = NULL; /* owned by the caller from here: freed with the overview */
    if ((t = zs_h5_vstr_type()) < 0 || zs_h5_get_dset(loc, name, t, n, lib) < 0) {
        zs_h5_rfail(r, "%s/%s", where, name);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (!((*out)[i] = zs_strdup(lib[i] ? lib[i] : ""))) {
            zs_h5_rnomem(r);
            goto done;
        }
    rc = 0;
done:
    if (lib)
        for (size_t i = 0; i < n; i++)
            if (lib[i])
                H5free_memory(lib[i]);
    if (t >= 0)
        H5Tclose(t);
    zs_free(lib);
    zs_free(copy);
    return rc;
}

/* H5Literate callback: appends name to the zs_h5_names in data (order 0
 * until read); hard_only lists skip soft and external links. */
typedef struct {
    zs_h5_names *l;
    int hard_only;
} names_ctx;

static herr_t collect_name(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    names_ctx *c = data;
    zs_h5_names *l = c->l;
    if (c->hard_only && info->type != H5L_TYPE_HARD)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        char **nn = zs_realloc(l->name, cap * sizeof *nn);
        if (!nn) {
            l->nomem = 1;
            return -1;
        }
        l->name = nn;
        int32_t *no = zs_realloc(l->order, cap * sizeof *no);
        if (!no) {
            l->nomem = 1;
            return -1;
        }
        l->order = no;
        l->cap = cap;
    }
    if (!(l->name[l->n] = zs_strdup(name))) {
        l->nomem = 1;
        return -1;
    }
    l->order[l->n++] = 0;
    return 0;
}

void zs_h5_names_free(zs_h5_names *l)
{
    for (size_t i = 0; i < l->n; i++)
        zs_free(l->name[i]);
    zs_free(l->name);
    zs_free(l->order);
}

int zs_h5_list_ordered(zs_h5_reader *r, hid_t g, const char *where, const char *what,
                       int hard_only, zs_h5_names *l)
{
    names_ctx c = {l, hard_only};
    if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, collect_name, &c) < 0)
        return l->nomem ? zs_h5_rnomem(r) : zs_h5_rfail(r, "%s (%s)", where, what);
    for (size_t i = 0; i < l->n; i++) {
        hid_t sub = H5Gopen2(g, l->name[i], H5P_DEFAULT);
        int ok = sub >= 0 && zs_h5_get_attr(sub, "order", H5T_NATIVE_INT32, &l->order[i]) >= 0;
        if (sub >= 0 && H5Gclose(sub) < 0)
            ok = 0;
        if (!ok)
            return zs_h5_rfail(r, "attribute order of %s/%s", where, l->name[i]);
    }
    /* Insertion sort by order, then name: groups hold few entries, and
     * qsort would need the two arrays zipped. */
    for (size_t i = 1; i < l->n; i++) {
        char *nm = l->name[i];
        int32_t o = l->order[i];
        size_t j = i;
        while (j > 0 && (l->order[j - 1] > o || (l->order[j - 1] == o && strcmp(l->name[j - 1], nm) > 0))) {
            l->name[j] = l->name[j - 1];
            l->order[j] = l->order[j - 1];
            j--;
        }
        l->name[j] = nm;
        l->order[j] = o;
    }
    return 0;
}

/* Opens a results file read-only and checks its layout version: *f is
 * then the caller's to close.  On failure nothing is left open. */
zs_status zs_h5_open_results(const char *path, hid_t *f, int *version, zs_err *err)
{
    *f = -1;
    /* Before any HDF5 call: a damaged file must not reach the library. */
    zs_status vst = zs_h5_verify(path, zs_h5_trusting_unverified(), err);
    if (vst != ZS_OK)
        return vst;
    if (H5Fis_hdf5(path) <= 0)
        return zs_err_set(err, ZS_EINPUT, "%s: not an HDF5 file", path);
    hid_t h = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (h < 0)
        /* It has the HDF5 signature but will not open: damaged or cut
         * short (a copy that stopped early), the user's file to replace. */
        return zs_err_set(err, ZS_EINPUT, "%s: cannot open the HDF5 file (damaged or truncated)",
                          path);
    zs_h5_reader r = {path, err, ZS_OK};
    *version = 0;
    htri_t has = H5Aexists(h, "layout_version");
    if (has <= 0)
        r.st = zs_err_set(err, ZS_EINPUT, "%s: not a zonesim results file (no layout_version)", path);
    else if (zs_h5_get_attr(h, "layout_version", H5T_NATIVE_INT, version) < 0)
        zs_h5_rfail(&r, "attribute layout_version of /");
    else if (*version > ZS_H5_LAYOUT)
        r.st = zs_err_set(err, ZS_EINPUT,
                          "%s: results layout version %d is newer than this zonesim (%s) reads "
                          "(up to %d); use a newer zonesim",
                          path, *version, ZS_VERSION, ZS_H5_LAYOUT);
    else if (*version < 1)
        r.st = zs_err_set(err, ZS_EINPUT, "%s: invalid layout_version %d", path, *version);
    if (r.st != ZS_OK) {
        H5Fclose(h);
        return r.st;
    }
    *f = h;
    return ZS_OK;
}
