/*
 * engine/results/h5chunk.c -- the /sim arrays compressed in parallel, written by
 * one thread (engine/h5util.h, "chunks compressed in parallel").
 *
 * Why: HDF5 runs its filters (shuffle, deflate) inside H5Dwrite, on the
 * calling thread.  Deflate costs about 15 ms per MB of doubles here, so a
 * run that simulates on 16 threads would spend as long compressing its
 * results serially as simulating them.  Here the chunks are shuffled and
 * deflated by OpenMP threads, each into its own slot, and the main thread
 * then hands the finished chunks to H5Dwrite_chunk.  The bytes are the
 * ones HDF5's own filters store: the shuffle filter's byte transposition
 * (H5Zshuffle.c) followed by zlib's compress2 at the same level
 * (H5Zdeflate.c), edge chunks padded with the fill value 0 as HDF5 pads
 * them; tests/e2e_shard.sh checks chunk for chunk against h5repack.
 * Only for little-endian hosts, where native doubles are the file type
 * (IEEE F64LE) byte for byte; elsewhere zs_h5_pack_supported() says no
 * and the caller writes through HDF5's filters.
 */
#include <stdint.h>
#include <string.h>

#include <omp.h>
#include <zlib.h>

#include "models/alloc.h"
#include "results/h5util.h"

struct zs_h5_packed {
    size_t n;              /* arrays */
    size_t nchunks;        /* chunks per array */
    size_t bound;          /* bytes reserved per compressed chunk */
    int level;             /* deflate level */
    hsize_t dims[3], chunk[3], grid[3];
    unsigned char *data;   /* n * nchunks slots of bound bytes */
    size_t *size;          /* compressed bytes of each slot */
};

int zs_h5_pack_supported(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1 && sizeof(double) == 8;
}

void zs_h5_packed_free(zs_h5_packed *p)
{
    if (!p)
        return;
    zs_free(p->data);
    zs_free(p->size);
    zs_free(p);
}

/* Chunk c (row-major in the chunk grid) of array v: copied out with zeros
 * beyond the edges, shuffled (byte j of every element together, j = 0..7),
 * deflated into dst; 0, or -1 when zlib failed. */
static int pack_chunk(const zs_h5_packed *p, const double *v, size_t c, double *raw,
                      unsigned char *shuf, unsigned char *dst, size_t *dst_size)
{
    size_t g2 = c % p->grid[2], g1 = (c / p->grid[2]) % p->grid[1], g0 = c / p->grid[2] / p->grid[1];
    size_t c0 = p->chunk[0], c1 = p->chunk[1], c2 = p->chunk[2];
    size_t o0 = g0 * c0, o1 = g1 * c1, o2 = g2 * c2;
    size_t d0 = p->dims[0], d1 = p->dims[1], d2 = p->dims[2];
    size_t elems = c0 * c1 * c2;
    size_t w2 = o2 + c2 <= d2 ? c2 : d2 - o2;
    for (size_t i = 0; i < c0; i++)
        for (size_t j = 0; j < c1; j++) {
            double *row = raw + (i * c1 + j) * c2;
            if (o0 + i < d0 && o1 + j < d1) {
                memcpy(row, v + ((o0 + i) * d1 + (o1 + j)) * d2 + o2, w2 * sizeof *row);
                memset(row + w2, 0, (c2 - w2) * sizeof *row);
            } else {
                memset(row, 0, c2 * sizeof *row);
            }
        }
    const unsigned char *bytes = (const unsigned char *)raw;
    for (size_t b = 0; b < 8; b++)
        for (size_t e = 0; e < elems; e++)
            shuf[b * elems + e] = bytes[e * 8 + b];
    uLongf out = (uLongf)p->bound;
    if (compress2(dst, &out, shuf, (uLong)(elems * 8), p->level) != Z_OK)
        return -1;
    *dst_size = (size_t)out;
    return 0;
}

zs_h5_packed *zs_h5_pack_f64(size_t n, const double *const *v, const hsize_t dims[3],
                             const hsize_t chunk[3], int level, int threads, int *nomem)
{
    *nomem = 0;
    if (!zs_h5_pack_supported() || n == 0 || level < 0 || level > 9)
        return NULL;
    for (int k = 0; k < 3; k++)
        if (dims[k] == 0 || chunk[k] == 0 || chunk[k] > dims[k])
            return NULL;
    zs_h5_packed *p = zs_calloc(1, sizeof *p);
    if (!p) {
        *nomem = 1;
        return NULL;
    }
    p->n = n;
    p->level = level;
    p->nchunks = 1;
    for (int k = 0; k < 3; k++) {
        p->dims[k] = dims[k];
        p->chunk[k] = chunk[k];
        p->grid[k] = (dims[k] + chunk[k] - 1) / chunk[k];
        p->nchunks *= (size_t)p->grid[k];
    }
    size_t elems = (size_t)(chunk[0] * chunk[1] * chunk[2]);
    p->bound = (size_t)compressBound((uLong)(elems * 8));
    size_t tasks = n * p->nchunks;
    p->data = zs_malloc_array(tasks, p->bound);
    p->size = zs_calloc(tasks, sizeof *p->size);
    int *status = zs_calloc(tasks, sizeof *status);
    if (!p->data || !p->size || !status) {
        zs_free(status);
        zs_h5_packed_free(p);
        *nomem = 1;
        return NULL;
    }
    int nt = threads > 0 ? threads : omp_get_max_threads();
    /* Each task owns its output slot; per-thread scratch only. */
#pragma omp parallel num_threads(nt) default(none) shared(p, v, status, tasks, elems)
    {
        double *raw = zs_malloc_array(elems, sizeof *raw);
        unsigned char *shuf = zs_malloc_array(elems, 8);
#pragma omp for schedule(dynamic, 1)
        for (size_t t = 0; t < tasks; t++) {
            if (!raw || !shuf) {
                status[t] = 2;
                continue;
            }
            size_t i = t / p->nchunks, c = t % p->nchunks;
            if (pack_chunk(p, v[i], c, raw, shuf, p->data + t * p->bound, &p->size[t]) != 0)
                status[t] = 1;
        }
        zs_free(raw);
        zs_free(shuf);
    }
    int bad = 0;
    for (size_t t = 0; t < tasks; t++)
        if (status[t]) {
            bad = status[t];
            break;
        }
    zs_free(status);
    if (bad) {
        zs_h5_packed_free(p);
        *nomem = bad == 2;
        return NULL;
    }
    return p;
}

hid_t zs_h5_put_packed_open(hid_t loc, const char *name, const zs_h5_packed *p, size_t i,
                            hid_t dcpl, const char *units)
{
    if (i >= p->n)
        return -1;
    hid_t sp = H5Screate_simple(3, p->dims, NULL);
    if (sp < 0)
        return -1;
    hid_t d = H5Dcreate2(loc, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int ok = d >= 0;
    for (size_t c = 0; ok && c < p->nchunks; c++) {
        size_t g2 = c % p->grid[2], g1 = (c / p->grid[2]) % p->grid[1],
               g0 = c / p->grid[2] / p->grid[1];
        hsize_t off[3] = {g0 * p->chunk[0], g1 * p->chunk[1], g2 * p->chunk[2]};
        size_t t = i * p->nchunks + c;
        ok = H5Dwrite_chunk(d, H5P_DEFAULT, 0, off, p->size[t], p->data + t * p->bound) >= 0;
    }
    if (ok && units)
        ok = zs_h5_put_str(d, "units", units) >= 0;
    if (H5Sclose(sp) < 0)
        ok = 0;
    if (!ok && d >= 0) {
        H5Dclose(d);
        d = -1;
    }
    return ok ? d : -1;
}
