/*
 * engine/input/files.h -- paths a command reads and writes, checked before
 * any work is done.
 *
 * A 66-second study must not be lost at the end because its output folder
 * is missing or read-only, and a folder given where a file is expected is
 * the user's mistake, to be named as such (exit 2), not a read error.
 */
#ifndef ZS_ENGINE_INPUT_FILES_H
#define ZS_ENGINE_INPUT_FILES_H

#include <stdio.h>

#include "models/status.h"

/* ZS_EINPUT "path: is a directory, not a file" when path is a directory;
 * ZS_OK otherwise (a missing or unreadable file is left to the reader that
 * opens it, which names it in its own words). */
zs_status zs_file_check_input(const char *path, zs_err *err);

/* Gets ready to write path: ZS_EINPUT "path: is a directory" when it is
 * one; creates its parent directories (mkdir -p, mode 0777 less umask);
 * ZS_EINPUT "path: cannot write in 'dir': <reason>" when the parent is not
 * writable; then claims path for this process until it exits
 * (zs_file_claim_output: "PATH is being written by another zonesim (pid
 * N)") and writes and removes a test block (zs_file_check_writable), so a
 * second run to the same output or a full disk fails before any work.
 * Leaves nothing behind but the lock file, removed at exit. */
zs_status zs_file_prepare_output(const char *path, zs_err *err);

/* Writes path through a temporary of this process (zs_file_tmp_name) and
 * a rename, so a reader never sees half a file and an existing path is
 * only ever replaced by a complete new one: claims path (unless this
 * process holds it already), opens the temporary, calls write(f, ctx,
 * err), flushes, syncs and closes it and renames it over path; on any
 * failure only that temporary is removed and err is prefixed with path
 * (out of memory aside); a full disk, read-only file system or denied
 * permission is named (zs_file_write_error).  A .tmp that cannot be created gives
 * open_fail (ZS_EINPUT when the path is the user's to fix, ZS_EIO when it
 * is the system's); a close or rename failure ZS_EIO; else write's status. */
typedef zs_status (*zs_file_writer)(FILE *f, const void *ctx, zs_err *err);
zs_status zs_file_write_atomic(const char *path, zs_file_writer write, const void *ctx,
                               zs_status open_fail, zs_err *err);

/* ---- one output, one writer (engine/input/files_out.c) ----------------- */

/* Claims path as this process's output: an exclusive lock on "path.lock"
 * (flock: the kernel drops it when the process dies, so a killed run
 * leaves no lock held), the pid written in it, and the temporaries of
 * path that dead writers left (zs_file_is_tmp_of) removed.  Held until
 * zs_file_release_output or the process exits (the lock file is then
 * removed); claiming a path this process holds counts once more.
 * ZS_EINPUT "PATH is being written by another zonesim (pid N)" when
 * another process holds it, ZS_EINPUT when its directory is not writable. */
zs_status zs_file_claim_output(const char *path, zs_err *err);
/* Drops one claim of path; the last one unlocks and removes path.lock. */
void zs_file_release_output(const char *path);
/* Creates a temporary next to path, writes one block and removes it, so a
 * missing, read-only or full directory fails before the long computation:
 * ZS_EINPUT "PATH: cannot write there: REASON", ZS_EIO when the block did
 * not fit. */
zs_status zs_file_check_writable(const char *path, zs_err *err);
/* A new temporary name for path unique to this process and call,
 * "path.<pid>.<n>.tmp" (zs_malloc'ed, the caller's to zs_free), or NULL
 * (out of memory, in err). */
char *zs_file_tmp_name(const char *path, zs_err *err);
/* For tests: from now on the temporaries zs_file_tmp_name gives for
 * exactly this path lie in a directory that does not exist, so the write
 * fails at its end as on a full disk (zs_file_check_writable is not
 * affected); NULL or "" ends it. */
void zs_file_test_fail_tmp(const char *path);
/* 1 when path ends in ".tmp" (a temporary of an unfinished write). */
int zs_file_is_tmp_name(const char *path);
/* 1 when file name name is a temporary of zs_file_tmp_name for the file
 * named base (both without directories). */
int zs_file_is_tmp_of(const char *name, const char *base);
/* The user's words for a write failure's errno ("disk full (No space left
 * on device)", "read-only file system", "permission denied", "disk quota
 * exceeded", ...), or NULL for another errno. */
const char *zs_file_errno_text(int errnum);
/* Sets ZS_EIO "PATH: REASON while writing WHAT" from errnum (0: unknown
 * reason) and returns ZS_EIO. */
zs_status zs_file_write_error(zs_err *err, int errnum, const char *path, const char *what);
/* One input file of a command, for zs_file_check_clobber: its path and
 * what it is in words ("a.yaml's points.file", "the results file"). */
typedef struct {
    const char *path;  /* NULL or "" entries are skipped */
    const char *what;
} zs_file_input;

/* Refuses an output that is one of the command's inputs, so a command
 * never overwrites what it reads: when out_path exists and has the st_dev
 * and st_ino of any inputs[i] (a symlink or hard link to it counts; stat
 * follows links), ZS_EINPUT "OUT is also an input (WHAT); choose another
 * output".  An output that does not exist yet, or an input that cannot be
 * stat'ed, is no clash: ZS_OK.  Reads only the files' metadata. */
zs_status zs_file_check_clobber(const char *out_path, const zs_file_input *inputs, size_t n,
                                zs_err *err);

#endif
