/*
 * engine/results/h5seal.c -- the whole-file checksum of every HDF5 file
 * zonesim writes, checked before libhdf5 sees a file (see h5util.h).
 *
 * Why: libhdf5 1.10 trusts its files; a flipped byte in a results file
 * crashed every reader (issue 22: 217 crashes and 17 hangs in 10,404 runs
 * inside the library).  Checking each object would not cover the
 * library's own structures (B-trees, heaps), so the whole file is hashed
 * instead: the writer leaves a 512-byte HDF5 user block at the start
 * (HDF5 skips it; h5py and the HDF5 tools read such files unchanged) and,
 * after closing the file, writes into it
 *
 *     zonesim checked file\n
 *     format 1\n
 *     length <file size in bytes>\n
 *     sha256 <64 hex digits of SHA-256 over bytes 512 .. end>\n
 *
 * padded with NUL bytes.  SHA-256 comes from nettle (a maintained library
 * in Debian, nettle-dev): a CRC would do against accidents, but a
 * cryptographic hash costs little here (about 0.4 GB/s) and leaves no doubt.
 */
#include "results/h5util.h"

#define _DEFAULT_SOURCE /* alarm, fork with SIGALRM */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "input/files.h"
#include "results/h5out.h"

static const char magic[] = "zonesim checked file\n";
static const unsigned char h5_signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

/* Set once by main() (--trust-unverified); read by zs_h5_verify's callers. */
static int trust_unverified;

void zs_h5out_trust_unverified(int on)
{
    trust_unverified = on != 0;
}

int zs_h5_trusting_unverified(void)
{
    return trust_unverified;
}

/* SHA-256 of fd's bytes from offset to end into hex (65 bytes); the bytes
 * read into *len.  0, or -1 with errno set. */
static int hash_from(int fd, off_t offset, char hex[65], unsigned long long *len)
{
    struct sha256_ctx c;
    sha256_init(&c);
    static const size_t bufsize = 1 << 16;
    unsigned char *buf = malloc(bufsize);
    if (!buf)
        return -1;
    *len = 0;
    for (;;) {
        ssize_t n = pread(fd, buf, bufsize, offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        sha256_update(&c, (size_t)n, buf);
        offset += n;
        *len += (unsigned long long)n;
    }
    free(buf);
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_digest(&c, sizeof d, d);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return 0;
}

int zs_h5_seal(const char *path, int *errnum)
{
    *errnum = 0;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        *errnum = errno;
        return -1;
    }
    char hex[65];
    unsigned long long n;
    char rec[ZS_H5_USERBLOCK];
    int rc = hash_from(fd, ZS_H5_USERBLOCK, hex, &n);
    if (rc == 0) {
        memset(rec, 0, sizeof rec);
        snprintf(rec, sizeof rec, "%sformat 1\nlength %llu\nsha256 %s\n", magic,
                 n + ZS_H5_USERBLOCK, hex);
        ssize_t w = pwrite(fd, rec, sizeof rec, 0);
        if (w != (ssize_t)sizeof rec) {
            if (w >= 0)
                errno = ENOSPC;
            rc = -1;
        }
    }
    /* Synced here, so the rename that follows publishes a complete file. */
    if (rc == 0 && fsync(fd) != 0)
        rc = -1;
    if (rc != 0)
        *errnum = errno;
    close(fd);
    return rc;
}

/* Parses the record in rec: 0 with *length and hex, or -1. */
static int parse_record(const char *rec, unsigned long long *length, char hex[65])
{
    const char *p = rec + sizeof magic - 1;
    if (strncmp(p, "format 1\nlength ", 16) != 0)
        return -1;
    p += 16;
    char *end;
    errno = 0;
    *length = strtoull(p, &end, 10);
    if (errno || end == p || strncmp(end, "\nsha256 ", 8) != 0)
        return -1;
    p = end + 8;
    for (int i = 0; i < 64; i++) {
        char c = p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return -1;
        hex[i] = c;
    }
    hex[64] = '\0';
    return p[64] == '\n' ? 0 : -1;
}


/* ---- an unverified file read in a child process first ------------------- */

/* A file without a record reaches libhdf5 unchecked (--trust-unverified);
 * damage could crash or hang the library there.  So the whole file is
 * read once in a child process, every attribute and every dataset up to
 * PROBE_MAX_BYTES: a crash or a hang (PROBE_S seconds) of the child is a
 * clear refusal in the parent instead of the end of the command.  What the
 * child cannot open or read is left to the command's own reader, which
 * names it. */
#define PROBE_S 60
#define PROBE_MAX_BYTES ((size_t)1 << 30)

static void probe_read(hid_t obj_or_attr, int is_attr)
{
    hid_t t = is_attr ? H5Aget_type(obj_or_attr) : H5Dget_type(obj_or_attr);
    hid_t sp = is_attr ? H5Aget_space(obj_or_attr) : H5Dget_space(obj_or_attr);
    hid_t mt = t >= 0 ? H5Tget_native_type(t, H5T_DIR_ASCEND) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    size_t sz = mt >= 0 ? H5Tget_size(mt) : 0;
    if (n > 0 && sz > 0 && (size_t)n <= PROBE_MAX_BYTES / sz) {
        void *buf = calloc((size_t)n, sz);
        if (buf) {
            herr_t e = is_attr ? H5Aread(obj_or_attr, mt, buf)
                               : H5Dread(obj_or_attr, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
            if (e >= 0 && H5Tdetect_class(mt, H5T_VLEN) > 0)
                H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, buf);
            else if (e >= 0 && H5Tget_class(mt) == H5T_STRING && H5Tis_variable_str(mt) > 0)
                H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, buf);
            free(buf);
        }
    }
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
}

static herr_t probe_attr(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
    (void)info;
    (void)data;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a >= 0) {
        probe_read(a, 1);
        H5Aclose(a);
    }
    return 0;
}

static herr_t probe_object(hid_t f, const char *name, const H5O_info_t *info, void *data)
{
    (void)data;
    hid_t o = H5Oopen(f, name, H5P_DEFAULT);
    if (o < 0)
        return 0;
    H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, probe_attr, NULL);
    if (info->type == H5O_TYPE_DATASET)
        probe_read(o, 0);
    H5Oclose(o);
    return 0;
}

static zs_status probe_in_child(const char *path, zs_err *err)
{
    fflush(NULL);
    pid_t c = fork();
    if (c < 0)
        return zs_err_set(err, ZS_EIO, "%s: cannot start a process to read it: %s", path,
                          strerror(errno));
    if (c == 0) {
        alarm(PROBE_S); /* SIGALRM ends a hang */
        hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
        if (f >= 0) {
            H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_NATIVE, probe_object, NULL, H5O_INFO_BASIC);
            H5Fclose(f);
        }
        _exit(0); /* no atexit handlers: the parent's HDF5 state is the parent's */
    }
    int status = 0;
    while (waitpid(c, &status, 0) < 0)
        if (errno != EINTR)
            return zs_err_set(err, ZS_EIO, "%s: cannot wait for the process reading it: %s",
                              path, strerror(errno));
    if (WIFSIGNALED(status))
        return zs_err_set(err, ZS_EINPUT,
                          WTERMSIG(status) == SIGALRM
                              ? "%s: unverified, and reading it took over %d s (a damaged HDF5 "
                                "file makes the library loop): refused"
                              : "%s: unverified, and the HDF5 library crashed reading it "
                                "(signal %d): the file is damaged",
                          path, WTERMSIG(status) == SIGALRM ? PROBE_S : WTERMSIG(status));
    return ZS_OK;
}

zs_status zs_h5_verify(const char *path, int trust, zs_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return zs_err_set(err, ZS_EINPUT, "%s: no such file", path);
        return zs_err_set(err, ZS_EINPUT, "%s: %s", path, strerror(errno));
    }
    struct stat sb;
    memset(&sb, 0, sizeof sb);
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int dir = S_ISDIR(sb.st_mode);
        close(fd);
        return zs_err_set(err, ZS_EINPUT, dir ? "%s: is a directory, not a file"
                                              : "%s: not an HDF5 file", path);
    }
    char rec[ZS_H5_USERBLOCK + 1];
    ssize_t got = pread(fd, rec, ZS_H5_USERBLOCK, 0);
    if (got < 0)
        got = 0;
    rec[got] = '\0';
    zs_status st = ZS_OK;
    unsigned long long length;
    char want[65], have[65];
    if ((size_t)got < sizeof magic - 1 || memcmp(rec, magic, sizeof magic - 1) != 0) {
        /* No record: an HDF5 file of an earlier zonesim or another program
         * (signature at 0), a sealed file whose record was damaged (the
         * signature after the user block), or no HDF5 file at all. */
        unsigned char sig[8];
        int at0 = got >= 8 && !memcmp(rec, h5_signature, 8);
        int at512 = pread(fd, sig, 8, ZS_H5_USERBLOCK) == 8 && !memcmp(sig, h5_signature, 8);
        if (zs_file_is_tmp_name(path))
            st = zs_err_set(err, ZS_EINPUT,
                            "%s: is the temporary file of an unfinished run (zonesim renames it "
                            "to the name asked for once it is complete); use the finished file "
                            "or run again",
                            path);
        else if (at0 && !trust)
            st = zs_err_set(err, ZS_EINPUT,
                            "%s: unverified: this HDF5 file has no zonesim checksum (written by "
                            "an earlier zonesim or another program), so damage cannot be ruled "
                            "out; --trust-unverified reads it anyway",
                            path);
        else if (at0)
            st = probe_in_child(path, err);
        else if (at512)
            st = zs_err_set(err, ZS_EINPUT,
                            "%s: damaged or truncated (its checksum record is unreadable)", path);
        else
            st = zs_err_set(err, ZS_EINPUT, "%s: not an HDF5 file", path);
    } else if (parse_record(rec, &length, want) != 0) {
        st = zs_err_set(err, ZS_EINPUT,
                        "%s: damaged or truncated (its checksum record is unreadable)", path);
    } else if ((unsigned long long)sb.st_size != length) {
        st = zs_err_set(err, ZS_EINPUT,
                        "%s: damaged or truncated (checksum mismatch: %llu bytes, the record "
                        "says %llu)",
                        path, (unsigned long long)sb.st_size, length);
    } else {
        unsigned long long n;
        if (hash_from(fd, ZS_H5_USERBLOCK, have, &n) != 0)
            st = zs_err_set(err, ZS_EINPUT, "%s: cannot read: %s", path, strerror(errno));
        else if (n + ZS_H5_USERBLOCK != length || strcmp(have, want) != 0)
            st = zs_err_set(err, ZS_EINPUT,
                            "%s: damaged or truncated (checksum mismatch: SHA-256 %.12s..., the "
                            "record says %.12s...)",
                            path, have, want);
    }
    close(fd);
    return st;
}

int zs_h5out_looks_hdf5(const char *path)
{
    unsigned char b[sizeof magic - 1];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t got = fread(b, 1, sizeof b, f);
    fclose(f);
    return (got >= 8 && !memcmp(b, h5_signature, 8)) ||
           (got == sizeof b && !memcmp(b, magic, sizeof b));
}
