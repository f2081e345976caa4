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
 * writable.  Writes nothing else. */
zs_status zs_file_prepare_output(const char *path, zs_err *err);

/* Writes path through path.tmp and a rename, so a reader never sees half
 * a file: opens the .tmp, calls write(f, ctx, err), closes it and renames
 * it over path; on any failure the .tmp is removed and err is prefixed
 * with path (out of memory aside).  A .tmp that cannot be created gives
 * open_fail (ZS_EINPUT when the path is the user's to fix, ZS_EIO when it
 * is the system's); a close or rename failure ZS_EIO; else write's status. */
typedef zs_status (*zs_file_writer)(FILE *f, const void *ctx, zs_err *err);
zs_status zs_file_write_atomic(const char *path, zs_file_writer write, const void *ctx,
                               zs_status open_fail, zs_err *err);

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
