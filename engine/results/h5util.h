/*
 * engine/results/h5util.h -- HDF5 helpers for the results-file modules (internal).
 *
 * Only engine/h5*.c include this header, and with it hdf5.h: the rest of
 * the engine sees results files through h5out.h and its siblings.
 *
 * Small helpers return 0 or -1 and say nothing; the stage that called them
 * knows which object it was writing and reports it through zs_h5_wfail
 * (writing, ZS_EIO "PATH: cannot write OBJ") or zs_h5_rfail (reading,
 * ZS_EINPUT "PATH: cannot read OBJ (damaged, ...)").  Every hid_t is opened
 * and closed in the function that needs it, so failures unwind through
 * ordinary returns and leave no object open.
 */
#ifndef ZS_ENGINE_H5UTIL_H
#define ZS_ENGINE_H5UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <hdf5.h>

#include "models/status.h"

/* ---- types ------------------------------------------------------------ */

/* A new variable-length UTF-8 string type, or -1. */
hid_t zs_h5_vstr_type(void);

/* ---- writing helpers (0 or -1; no messages) ---------------------------- */

/* Attribute name on loc: n == 0 scalar, else a 1-d array of n. */
int zs_h5_put_attr(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                   const void *buf);
int zs_h5_put_i32(hid_t loc, const char *name, int32_t v);
int zs_h5_put_u64(hid_t loc, const char *name, uint64_t v);
int zs_h5_put_f64(hid_t loc, const char *name, double v);
/* String attribute (NULL writes ""), or an array of n strings. */
int zs_h5_put_strs(hid_t loc, const char *name, const char *const *s, hsize_t n);
int zs_h5_put_str(hid_t loc, const char *name, const char *s);
/* Creates and writes dataset name (contiguous unless dcpl says otherwise)
 * with an optional units attribute; returns the open dataset or -1. */
hid_t zs_h5_put_dset_open(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank,
                          const hsize_t *dims, hid_t dcpl, const void *buf, const char *units);
int zs_h5_put_dset(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank,
                   const hsize_t *dims, const void *buf, const char *units);
/* 1-d vlen string dataset of n strings. */
int zs_h5_put_str_dset(hid_t loc, const char *name, char *const *s, hsize_t n);
/* Closes *g and marks it closed; -1 when closing failed. */
int zs_h5_end_group(hid_t *g);

/* ---- chunks compressed in parallel (engine/h5chunk.c) ------------------- */

typedef struct zs_h5_packed zs_h5_packed;

/* 1 when this host can pack (little-endian IEEE doubles): the packed
 * chunks are then exactly what HDF5's filters would store. */
int zs_h5_pack_supported(void);

/* Shuffles and deflates (level 0..9) the chunks of n arrays v[i] of
 * doubles, each dims[0] x dims[1] x dims[2] in C order, cut into chunks of
 * chunk[3] (each side 1..dims), on threads OpenMP threads (0 = OpenMP
 * default).  NULL with *nomem = 1 when memory ran out; NULL with *nomem = 0
 * when packing is not supported or zlib failed (write through HDF5's
 * filters then).  Free with zs_h5_packed_free. */
zs_h5_packed *zs_h5_pack_f64(size_t n, const double *const *v, const hsize_t dims[3],
                             const hsize_t chunk[3], int level, int threads, int *nomem);
void zs_h5_packed_free(zs_h5_packed *p);

/* Creates dataset name (IEEE F64LE, p's dims) with dcpl, which must hold
 * p's chunk shape with shuffle then deflate at p's level, writes array i
 * of p chunk by chunk (H5Dwrite_chunk) and an optional units attribute;
 * returns the open dataset or -1.  Main thread only. */
hid_t zs_h5_put_packed_open(hid_t loc, const char *name, const zs_h5_packed *p, size_t i,
                            hid_t dcpl, const char *units);

/* ---- the writer --------------------------------------------------------- */

typedef struct {
    const char *path; /* the final name: what the user asked for */
    zs_err *err;
    zs_status st;
} zs_h5_writer;

/* Records ZS_EIO "PATH: cannot write OBJ" (OBJ from fmt); returns -1. */
int zs_h5_wfail(zs_h5_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records ZS_NOMEM; returns -1. */
int zs_h5_wnomem(zs_h5_writer *w);

typedef int (*zs_h5_body_fn)(zs_h5_writer *w, hid_t f, const void *ctx);

/* Claims path (engine/input/files.h: one writer per output, unless this
 * process holds it already), writes a temporary of this process with a
 * user block of ZS_H5_USERBLOCK bytes through body, closes it (every
 * object of the file with it), seals it (zs_h5_seal), syncs it and renames
 * it to path; on any failure removes only that temporary and returns the
 * body's (or the seal's or rename's) error, a full disk, read-only file
 * system or denied permission named as such. */
zs_status zs_h5_write_file(const char *path, zs_h5_body_fn body, const void *ctx, zs_err *err);

/* ---- the whole-file checksum (engine/results/h5seal.c) ----------------- */

/* Bytes at the start of every file zonesim writes, for the checksum
 * record (an HDF5 user block: the library skips it). */
#define ZS_H5_USERBLOCK 512

/* Writes the checksum record (length and SHA-256 of every byte after the
 * user block) into the user block of closed file path and syncs the file:
 * 0, or -1 with *errnum. */
int zs_h5_seal(const char *path, int *errnum);

/* Checks path before any HDF5 call opens it: a regular file whose record
 * matches its length and SHA-256.  ZS_EINPUT "PATH: damaged or truncated
 * (checksum mismatch ...)" when not; "PATH: is the temporary file of an
 * unfinished run" for an unsealed *.tmp; "PATH: unverified: ..." for an
 * HDF5 file without a record unless trust: then the file is read once in
 * a child process (every attribute and dataset), and a crash or hang of
 * the library there is ZS_EINPUT "PATH: unverified, and the HDF5 library
 * crashed reading it"; "PATH: not an HDF5 file", "PATH: no such file"
 * otherwise. */
zs_status zs_h5_verify(const char *path, int trust, zs_err *err);

/* 1 after zs_h5out_trust_unverified(1) (main: --trust-unverified). */
int zs_h5_trusting_unverified(void);

/* ---- reading helpers (0 or -1; no messages) ---------------------------- */

/* Scalar attribute name of loc converted to mtype (exactly one element). */
int zs_h5_get_attr(hid_t loc, const char *name, hid_t mtype, void *buf);
/* Scalar variable-length string attribute into buf (truncated to size). */
int zs_h5_get_str_attr(hid_t loc, const char *name, char *buf, size_t size);
/* Scalar variable-length string attribute name of loc as a new zs_malloc'ed
 * string of any length (the caller's to zs_free), or NULL when it is
 * missing or not such a string, or when memory ran out (then *nomem = 1). */
char *zs_h5_get_str_attr_dup(hid_t loc, const char *name, int *nomem);
/* Length of 1-d dataset name. */
int zs_h5_dset_len(hid_t loc, const char *name, hsize_t *n);
/* Reads dataset name, which must have exactly rank dimensions of sizes
 * dims, as mtype into buf. */
int zs_h5_get_dset_nd(hid_t loc, const char *name, hid_t mtype, int rank, const hsize_t *dims,
                      void *buf);
/* Reads 1-d dataset name, which must have exactly n elements, as mtype. */
int zs_h5_get_dset(hid_t loc, const char *name, hid_t mtype, hsize_t n, void *buf);

/* ---- the reader --------------------------------------------------------- */

typedef struct {
    const char *path;
    zs_err *err;
    zs_status st;
} zs_h5_reader;

/* Records ZS_EINPUT "PATH: cannot read OBJ (damaged, or not written by
 * zonesim VERSION)"; returns -1. */
int zs_h5_rfail(zs_h5_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int zs_h5_rnomem(zs_h5_reader *r);
/* Reads 1-d vlen string dataset name of n strings into a new array of n
 * zs_strdup'ed strings (*out, zs_calloc'ed, so a partial array is safe to
 * free; where names the group in messages). */
int zs_h5_get_strs(zs_h5_reader *r, hid_t loc, const char *name, hsize_t n, char ***out,
                   const char *where);

/* The link names of a group with their int32 attribute order. */
typedef struct {
    char **name;
    int32_t *order;
    size_t n, cap;
    int nomem;
} zs_h5_names;

/* Lists the links of open group g into *l (which starts zeroed), only the
 * hard links when hard_only, and sorts them by their attribute order, then
 * by name.  where names g in messages: a failed listing is "WHERE (what)",
 * a missing order "attribute order of WHERE/NAME".  On failure *l holds
 * what was listed so far; free it with zs_h5_names_free either way. */
int zs_h5_list_ordered(zs_h5_reader *r, hid_t g, const char *where, const char *what,
                       int hard_only, zs_h5_names *l);
/* Frees the names of l and its arrays (not l itself). */
void zs_h5_names_free(zs_h5_names *l);

/* Opens a results file read-only (verified first: zs_h5_verify with the
 * process's --trust-unverified) and checks its layout version: *f is
 * then the caller's to close.  On failure nothing is left open; a missing
 * file, a non-HDF5 file or one without layout_version are ZS_EINPUT. */
zs_status zs_h5_open_results(const char *path, hid_t *f, int *version, zs_err *err);

#endif
