/*
 * tests/test_h5seal.c -- the whole-file checksum (engine/results/h5seal.c):
 * zs_h5_write_file leaves a 512-byte user block and seals it; zs_h5_verify
 * accepts the sealed file and refuses, before any HDF5 call, every damage:
 * a flipped byte anywhere after the record, a file cut short or grown, a
 * broken record; an HDF5 file without a record only when trusted; a
 * temporary of an unfinished run; a directory; a missing file; text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results/h5util.h"
#include "results/h5out.h"
#include "check.h"

static int body(zs_h5_writer *w, hid_t f, const void *ctx)
{
    (void)ctx;
    double v[1000];
    for (int i = 0; i < 1000; i++)
        v[i] = i * 0.5;
    hsize_t n = 1000;
    if (zs_h5_put_i32(f, "layout_version", 1) < 0 ||
        zs_h5_put_dset(f, "v", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, v, "m") < 0)
        return zs_h5_wfail(w, "/v");
    return 0;
}

static long file_size(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

static unsigned char *slurp(const char *p, long *n)
{
    *n = file_size(p);
    unsigned char *b = malloc(*n > 0 ? (size_t)*n : 1);
    FILE *f = fopen(p, "rb");
    if (f) {
        if (fread(b, 1, (size_t)*n, f) != (size_t)*n)
            *n = -1;
        fclose(f);
    }
    return b;
}

static void spit(const char *p, const unsigned char *b, long n)
{
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(b, 1, (size_t)n, f);
        fclose(f);
    }
}

int main(void)
{
    zs_h5out_silence();
    char dir[] = "/tmp/zs_test_h5seal_XXXXXX";
    if (!mkdtemp(dir)) {
        printf("FAIL: mkdtemp\n");
        return 1;
    }
    char path[256], bad[256];
    snprintf(path, sizeof path, "%s/f.h5", dir);
    snprintf(bad, sizeof bad, "%s/bad.h5", dir);
    zs_err err;

    CHECK(zs_h5_write_file(path, body, NULL, &err) == ZS_OK, "write_file: a small file");
    long n;
    unsigned char *b = slurp(path, &n);
    CHECK(n > 8000 && !memcmp(b, "zonesim checked file\nformat 1\nlength ", 37),
          "the file opens with the checksum record (%ld bytes)", n);
    CHECK(!memcmp(b + ZS_H5_USERBLOCK, "\x89HDF\r\n\x1a\n", 8),
          "the HDF5 signature follows the 512-byte user block");
    CHECK(zs_h5_verify(path, 0, &err) == ZS_OK, "verify: the sealed file passes");
    hid_t f = -1;
    int version = 0;
    CHECK(zs_h5_open_results(path, &f, &version, &err) == ZS_OK && version == 1,
          "open_results: reads it (layout_version 1)");
    if (f >= 0)
        H5Fclose(f);

    /* Every bit of every 97th byte after the record: always refused. */
    int refused = 0, tried = 0, named = 0;
    for (long off = ZS_H5_USERBLOCK; off < n; off += 97)
        for (int bit = 0; bit < 8; bit += 3) {
            b[off] ^= (unsigned char)(1u << bit);
            spit(bad, b, n);
            b[off] ^= (unsigned char)(1u << bit);
            tried++;
            zs_status st = zs_h5_verify(bad, 1, &err);
            refused += st == ZS_EINPUT;
            named += strstr(err.msg, "bad.h5: damaged or truncated (checksum mismatch") != NULL;
        }
    CHECK(tried > 200 && refused == tried && named == tried,
          "verify: %d of %d flipped bits refused as a checksum mismatch, even trusted", refused, tried);

    /* In the record: the length or the hash changed is refused; the NUL
     * padding after it carries nothing. */
    long rec_end = (long)(strchr((char *)b, '\0') - (char *)b);
    b[40] ^= 1; /* a digit of the length */
    spit(bad, b, n);
    b[40] ^= 1;
    CHECK(zs_h5_verify(bad, 1, &err) == ZS_EINPUT && strstr(err.msg, "damaged or truncated"),
          "verify: a changed length in the record is refused (%s)", err.msg);
    b[rec_end - 3] ^= 1; /* a hex digit of the hash (or an invalid one) */
    spit(bad, b, n);
    b[rec_end - 3] ^= 1;
    CHECK(zs_h5_verify(bad, 1, &err) == ZS_EINPUT, "verify: a changed hash is refused");
    b[3] ^= 0x20; /* the magic */
    spit(bad, b, n);
    b[3] ^= 0x20;
    CHECK(zs_h5_verify(bad, 1, &err) == ZS_EINPUT &&
              strstr(err.msg, "its checksum record is unreadable"),
          "verify: a broken magic is damage (the HDF5 signature follows it), even trusted");
    b[rec_end + 10] ^= 1;
    spit(bad, b, n);
    b[rec_end + 10] ^= 1;
    CHECK(zs_h5_verify(bad, 0, &err) == ZS_OK, "verify: the padding after the record is free");

    /* Cut short, grown. */
    spit(bad, b, n - 1);
    CHECK(zs_h5_verify(bad, 0, &err) == ZS_EINPUT && strstr(err.msg, "checksum mismatch") &&
              strstr(err.msg, "bytes, the record says"),
          "verify: one byte short is refused with both lengths (%s)", err.msg);
    spit(bad, b, 300);
    CHECK(zs_h5_verify(bad, 0, &err) == ZS_EINPUT && strstr(err.msg, "damaged or truncated"),
          "verify: cut inside the record is refused");
    spit(bad, b, n);
    FILE *fp = fopen(bad, "ab");
    if (fp) {
        fputc(0, fp);
        fclose(fp);
    }
    CHECK(zs_h5_verify(bad, 0, &err) == ZS_EINPUT, "verify: a byte appended is refused");

    /* An HDF5 file without the record (the HDF5 part alone). */
    spit(bad, b + ZS_H5_USERBLOCK, n - ZS_H5_USERBLOCK);
    CHECK(zs_h5_verify(bad, 0, &err) == ZS_EINPUT && strstr(err.msg, "unverified") &&
              strstr(err.msg, "--trust-unverified"),
          "verify: no record is refused, naming --trust-unverified (%s)", err.msg);
    CHECK(zs_h5_verify(bad, 1, &err) == ZS_OK, "verify: ... and passes when trusted");
    zs_h5out_trust_unverified(1);
    CHECK(zs_h5_trusting_unverified() == 1, "trust_unverified(1) is seen by the readers");
    zs_h5out_trust_unverified(0);
    CHECK(zs_h5_trusting_unverified() == 0, "trust_unverified(0) turns it off");

    /* Temporaries, other files. */
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    spit(tmp, b + ZS_H5_USERBLOCK, n - ZS_H5_USERBLOCK);
    CHECK(zs_h5_verify(tmp, 1, &err) == ZS_EINPUT &&
              strstr(err.msg, "is the temporary file of an unfinished run"),
          "verify: an unsealed .tmp is named as an unfinished run's, even trusted");
    remove(tmp);
    CHECK(zs_h5_verify(dir, 0, &err) == ZS_EINPUT && strstr(err.msg, "is a directory"),
          "verify: a directory is refused");
    snprintf(tmp, sizeof tmp, "%s/none.h5", dir);
    CHECK(zs_h5_verify(tmp, 0, &err) == ZS_EINPUT && strstr(err.msg, "no such file"),
          "verify: a missing file");
    spit(bad, (const unsigned char *)"id,x,y\n", 7);
    CHECK(zs_h5_verify(bad, 1, &err) == ZS_EINPUT && strstr(err.msg, "not an HDF5 file"),
          "verify: a text file is not an HDF5 file");
    CHECK(zs_h5out_looks_hdf5(path) && !zs_h5out_looks_hdf5(bad),
          "looks_hdf5: a sealed file yes, text no");

    /* Sealing an edited file again makes it pass (what tests/h5seal.py does). */
    spit(bad, b, n);
    int e = 0;
    CHECK(zs_h5_seal(bad, &e) == 0 && zs_h5_verify(bad, 0, &err) == ZS_OK,
          "seal: sealing again keeps a valid file valid");
    CHECK(zs_h5out_open_objects() == 0, "no HDF5 object left open");

    free(b);
    remove(bad);
    remove(path);
    rmdir(dir);
    printf("%d passed, %d failed\n", zs_t_pass, zs_t_fail);
    return zs_t_fail != 0;
}
