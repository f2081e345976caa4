/*
 * engine/input/files.c -- input and output paths checked up front (see
 * files.h).
 */
#include "input/files.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/alloc.h"

zs_status zs_file_check_input(const char *path, zs_err *err)
{
    /* Only the directory case: a missing or unreadable file is reported by
     * the reader that opens it, in its own words. */
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return zs_err_set(err, ZS_EINPUT, "%s: is a directory, not a file", path);
    return ZS_OK;
}

zs_status zs_file_prepare_output(const char *path, zs_err *err)
{
    struct stat sb;
    if (!*path)
        return zs_err_set(err, ZS_EINPUT, "the output path is empty");
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return zs_err_set(err, ZS_EINPUT, "%s: is a directory; give a file name for the output",
                          path);
    const char *slash = strrchr(path, '/');
    if (!slash)
        slash = path; /* the working directory */
    size_t n = (size_t)(slash - path);
    char *dir = zs_malloc(n + 2);
    if (!dir)
        return ZS_NOMEM(err);
    if (n)
        memcpy(dir, path, n);
    else
        dir[n++] = slash == path && *path == '/' ? '/' : '.';
    dir[n] = '\0';
    zs_status st = ZS_OK;
    /* mkdir -p: each prefix ending before a '/', then the whole */
    for (size_t i = 1; i <= n && st == ZS_OK; i++) {
        if (i < n && dir[i] != '/')
            continue;
        char c = dir[i];
        dir[i] = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            st = zs_err_set(err, ZS_EINPUT, "%s: cannot create directory '%s': %s", path, dir,
                            strerror(errno));
        else if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
            st = zs_err_set(err, ZS_EINPUT, "%s: '%s' is not a directory", path, dir);
        dir[i] = c;
    }
    if (st == ZS_OK && access(dir, W_OK) != 0)
        st = zs_err_set(err, ZS_EINPUT, "%s: cannot write in '%s': %s", path, dir,
                        strerror(errno));
    zs_free(dir);
    /* One writer from here to the end of the process, and a directory that
     * takes a file now, not after the computation (issue 22). */
    if (st == ZS_OK)
        st = zs_file_claim_output(path, err);
    if (st == ZS_OK && (st = zs_file_check_writable(path, err)) != ZS_OK)
        zs_file_release_output(path);
    return st;
}

zs_status zs_file_write_atomic(const char *path, zs_file_writer write, const void *ctx,
                               zs_status open_fail, zs_err *err)
{
    if (!path || !*path)
        return zs_err_set(err, ZS_EINVAL, "output file name is empty");
    zs_status st = zs_file_claim_output(path, err);
    if (st == ZS_EIO && err) /* its lock cannot be created: as the temporary */
        err->code = st = open_fail;
    if (st != ZS_OK)
        return st;
    char *tmp = zs_file_tmp_name(path, err);
    if (!tmp) {
        zs_file_release_output(path);
        return ZS_ENOMEM;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        int e = errno;
        const char *t = zs_file_errno_text(e);
        st = zs_err_set(err, open_fail, "%s: cannot create %s: %s", path, tmp,
                        t ? t : strerror(e));
        zs_free(tmp);
        zs_file_release_output(path);
        return st;
    }
    st = write(f, ctx, err);
    /* The writers print with stdio: a full disk shows as a failed flush
     * (errno then says why) or a sticky error flag. */
    int e = 0;
    if (fflush(f) != 0 || ferror(f))
        e = errno ? errno : EIO;
    else if (fsync(fileno(f)) != 0 && errno != EINVAL)
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (e && st == ZS_OK) {
        const char *t = zs_file_errno_text(e);
        st = zs_err_set(err, ZS_EIO, "%s while writing %s", t ? t : strerror(e), tmp);
    }
    if (st == ZS_OK && rename(tmp, path) != 0)
        st = zs_err_set(err, ZS_EIO, "cannot rename %s to it: %s", tmp, strerror(errno));
    if (st != ZS_OK) {
        if (st != ZS_ENOMEM)
            zs_err_prefix(err, "%s", path);
        remove(tmp); /* ours alone; may already be gone */
    }
    zs_free(tmp);
    zs_file_release_output(path);
    return st;
}

zs_status zs_file_check_clobber(const char *out_path, const zs_file_input *inputs, size_t n,
                                zs_err *err)
{
    struct stat so, si;
    if (!out_path || !*out_path || stat(out_path, &so) != 0)
        return ZS_OK; /* a new file cannot be an input */
    for (size_t i = 0; i < n; i++) {
        if (!inputs[i].path || !*inputs[i].path || stat(inputs[i].path, &si) != 0)
            continue;
        if (si.st_dev == so.st_dev && si.st_ino == so.st_ino)
            return zs_err_set(err, ZS_EINPUT, "%s is also an input (%s); choose another output",
                              out_path, inputs[i].what);
    }
    return ZS_OK;
}
