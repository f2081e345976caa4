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

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
            st = ZS_OK;
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
