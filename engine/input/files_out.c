/*
 * engine/input/files_out.c -- one output, one writer (see files.h): the
 * output lock, temporary names unique to a process, and write errors in
 * the user's words.
 *
 * The lock is flock(2) on "PATH.lock": the kernel drops it when the process
 * dies, however it dies, so a killed run never leaves a lock that blocks
 * the next one (only the empty file, which the next claim reuses).  flock
 * belongs to an open file description, so a process must not lock the
 * same file twice through two descriptors: the claims it holds are kept
 * in one table (by the lock file's device and inode), which is process
 * state by nature and touched by the main thread only, like every write.
 */
#define _DEFAULT_SOURCE /* flock, EDQUOT */
#include "input/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/alloc.h"

/* Commands write a handful of files (compare: five); 64 is far more. */
#define MAX_CLAIMS 64

typedef struct {
    char *lock;   /* "PATH.lock", zs_malloc'ed */
    int fd;
    dev_t dev;
    ino_t ino;
    pid_t pid; /* the claimer: a forked child does not own its parent's claims */
    int refs;
} claim;

static claim claims[MAX_CLAIMS];
static int n_claims;
static int atexit_set;
static unsigned long tmp_counter;

/* Removes the lock files this process still holds (a command that returns
 * from main without releasing its claims); the locks go with the process. */
static void release_all(void)
{
    for (int i = 0; i < n_claims; i++) {
        if (claims[i].pid == getpid())
            unlink(claims[i].lock);
        close(claims[i].fd);
        zs_free(claims[i].lock);
    }
    n_claims = 0;
}

static char *with_suffix(const char *path, const char *suffix)
{
    size_t a = strlen(path), b = strlen(suffix);
    char *s = zs_malloc(a + b + 1);
    if (s) {
        memcpy(s, path, a);
        memcpy(s + a, suffix, b + 1);
    }
    return s;
}

/* The pid written in a lock file, or 0 when unreadable. */
static long lock_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    return strtol(buf, NULL, 10);
}

const char *zs_file_errno_text(int errnum)
{
    switch (errnum) {
    case ENOSPC: return "disk full (No space left on device)";
    case EDQUOT: return "disk quota exceeded";
    case EROFS: return "read-only file system";
    case EACCES:
    case EPERM: return "permission denied";
    case EFBIG: return "file too large for this file system or the size limit (ulimit -f)";
    case EIO: return "input/output error of the device";
    default: return NULL;
    }
}

zs_status zs_file_write_error(zs_err *err, int errnum, const char *path, const char *what)
{
    const char *t = zs_file_errno_text(errnum);
    if (t)
        return zs_err_set(err, ZS_EIO, "%s: %s while writing %s", path, t, what);
    if (errnum)
        return zs_err_set(err, ZS_EIO, "%s: cannot write %s: %s", path, what, strerror(errnum));
    return zs_err_set(err, ZS_EIO, "%s: cannot write %s", path, what);
}

int zs_file_is_tmp_name(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && !strcmp(path + n - 4, ".tmp");
}

int zs_file_is_tmp_of(const char *name, const char *base)
{
    /* base "." digits "." digits ".tmp" */
    size_t b = strlen(base);
    if (strncmp(name, base, b) != 0 || name[b] != '.')
        return 0;
    const char *s = name + b + 1;
    for (int part = 0; part < 2; part++) {
        if (*s < '0' || *s > '9')
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
        if (*s++ != '.')
            return 0;
    }
    return !strcmp(s, "tmp");
}

/* Tests only (zs_file_test_fail_tmp): the output whose temporaries are
 * put where they cannot be created. */
static char fail_tmp_of[PATH_MAX];

void zs_file_test_fail_tmp(const char *path)
{
    snprintf(fail_tmp_of, sizeof fail_tmp_of, "%s", path ? path : "");
}

static char *tmp_name(const char *path, zs_err *err)
{
    char suffix[64];
    /* The pid makes it unique between processes, the counter within one;
     * the name says whose temporary it is (a stale one names a dead pid). */
    snprintf(suffix, sizeof suffix, ".%ld.%lu.tmp", (long)getpid(), ++tmp_counter);
    char *t = with_suffix(path, suffix);
    if (!t)
        ZS_NOMEM(err);
    return t;
}

char *zs_file_tmp_name(const char *path, zs_err *err)
{
    if (fail_tmp_of[0] && !strcmp(path, fail_tmp_of)) {
        char *t = with_suffix(path, ".no-such-dir/x.tmp");
        if (!t)
            ZS_NOMEM(err);
        return t;
    }
    return tmp_name(path, err);
}

/* Removes the temporaries of path left by processes that died while
 * writing it: called with the lock held, so no live writer owns one. */
static void remove_stale_tmps(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dl = slash ? (size_t)(slash - path) : 0;
    char dir[PATH_MAX], full[PATH_MAX];
    if (dl + 1 >= sizeof dir)
        return;
    if (slash) {
        memcpy(dir, path, dl ? dl : 1);
        dir[dl ? dl : 1] = '\0';
    } else {
        strcpy(dir, ".");
    }
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (zs_file_is_tmp_of(e->d_name, base) &&
            snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < (int)sizeof full)
            unlink(full);
    closedir(d);
}

zs_status zs_file_claim_output(const char *path, zs_err *err)
{
    if (!path || !*path)
        return zs_err_set(err, ZS_EINPUT, "the output path is empty");
    char *lock = with_suffix(path, ".lock");
    if (!lock)
        return ZS_NOMEM(err);
    zs_status st;
    for (int attempt = 0; attempt < 8; attempt++) {
        int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) {
            int e = errno;
            const char *t = zs_file_errno_text(e);
            st = zs_err_set(err, ZS_EIO, "%s: cannot create %s: %s", path, lock,
                            t ? t : strerror(e));
            zs_free(lock);
            return st;
        }
        struct stat sb;
        if (fstat(fd, &sb) != 0) {
            int e = errno;
            close(fd);
            zs_free(lock);
            return zs_err_set(err, ZS_EIO, "%s: %s", path, strerror(e));
        }
        for (int i = 0; i < n_claims; i++)
            if (claims[i].dev == sb.st_dev && claims[i].ino == sb.st_ino &&
                claims[i].pid == getpid()) {
                /* Already ours (flock again would conflict with ourselves). */
                close(fd);
                zs_free(lock);
                claims[i].refs++;
                return ZS_OK;
            }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            long pid = lock_pid(fd);
            close(fd);
            zs_free(lock);
            if (e == EWOULDBLOCK) {
                if (pid > 0)
                    return zs_err_set(err, ZS_EINPUT,
                                      "%s is being written by another zonesim (pid %ld)", path,
                                      pid);
                return zs_err_set(err, ZS_EINPUT, "%s is being written by another zonesim", path);
            }
            return zs_err_set(err, ZS_EIO, "%s: cannot lock %s.lock: %s", path, path,
                              strerror(e));
        }
        /* The holder before us may have removed the lock file between our
         * open and our flock: then we locked a file nobody else sees. */
        struct stat now;
        if (stat(lock, &now) != 0 || now.st_dev != sb.st_dev || now.st_ino != sb.st_ino) {
            close(fd);
            continue;
        }
        if (n_claims == MAX_CLAIMS) {
            close(fd);
            zs_free(lock);
            return ZS_INTERNAL(err, "more than %d outputs claimed at once", MAX_CLAIMS);
        }
        char pid[32];
        int pl = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)pl, 0) != pl) {
            /* A full disk can refuse even these bytes: say so now, not
             * after the computation. */
            int e = errno;
            unlink(lock);
            close(fd);
            zs_free(lock);
            return zs_file_write_error(err, e, path, "its lock file");
        }
        claims[n_claims++] = (claim){lock, fd, sb.st_dev, sb.st_ino, getpid(), 1};
        if (!atexit_set && atexit(release_all) == 0)
            atexit_set = 1;
        remove_stale_tmps(path);
        return ZS_OK;
    }
    zs_free(lock);
    return zs_err_set(err, ZS_EIO, "%s: its lock file keeps changing", path);
}

void zs_file_release_output(const char *path)
{
    char lock[PATH_MAX];
    struct stat sb;
    if (snprintf(lock, sizeof lock, "%s.lock", path) >= (int)sizeof lock ||
        stat(lock, &sb) != 0)
        return;
    for (int i = 0; i < n_claims; i++)
        if (claims[i].dev == sb.st_dev && claims[i].ino == sb.st_ino &&
            claims[i].pid == getpid()) {
            if (--claims[i].refs > 0)
                return;
            /* Unlink before unlocking: a waiting claimer then notices the
             * change (see zs_file_claim_output) instead of sharing it. */
            unlink(claims[i].lock);
            close(claims[i].fd);
            zs_free(claims[i].lock);
            claims[i] = claims[--n_claims];
            return;
        }
}

zs_status zs_file_check_writable(const char *path, zs_err *err)
{
    char *tmp = tmp_name(path, err);
    if (!tmp)
        return ZS_ENOMEM;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    zs_status st = ZS_OK;
    if (fd < 0) {
        int e = errno;
        const char *t = zs_file_errno_text(e);
        st = zs_err_set(err, ZS_EINPUT, "%s: cannot write there: %s", path, t ? t : strerror(e));
    } else {
        /* One block: a disk that is already full says so now. */
        char block[4096] = {0};
        ssize_t w = write(fd, block, sizeof block);
        int e = errno;
        if (w != (ssize_t)sizeof block)
            st = zs_file_write_error(err, w < 0 ? e : ENOSPC, path, "a test block");
        close(fd);
        unlink(tmp);
    }
    zs_free(tmp);
    return st;
}
