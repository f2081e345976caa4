/* Helpers shared by the map export tests (test_export.c,
 * test_export_outline.c, test_export_colour.c, test_export_barriers.c): a
 * fixture allocation that stops the test when memory runs out, the
 * fixtures' own random stream, point-in-zone and distance-to-outline on
 * the drawn shapes, and a writer rendered into a string with a substring
 * counter to read it. */
#ifndef ZS_TESTS_EXPORT_FIXTURE_H
#define ZS_TESTS_EXPORT_FIXTURE_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maps/export.h"
#include "models/alloc.h"

/* p, or exit(1) with a message when a fixture allocation failed. */
static inline void *xalloc(void *p)
{
    if (!p) {
        fprintf(stderr, "out of memory building a fixture\n");
        exit(1);
    }
    return p;
}

/* xorshift64*: the fixtures' own stream (no global generator), in [0, 1). */
static inline double uniform(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (double)((*s * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

/* Even-odd crossings of the ray from (x, y) eastwards with ring r. */
static inline int ring_crossings(const zs_export_shapes *s, size_t r, double x, double y)
{
    int in = 0;
    size_t a = s->ring_vert[r], n = s->ring_vert[r + 1] - a;
    for (size_t t = 0; t < n; t++) {
        const zs_xy *p = &s->v[a + t], *q = &s->v[a + (t + 1) % n];
        if ((p->y > y) != (q->y > y) && x < p->x + (y - p->y) * (q->x - p->x) / (q->y - p->y))
            in = !in;
    }
    return in;
}

/* Even-odd over every ring of zone j: inside its polygons, holes out. */
static inline int zone_contains(const zs_export_shapes *s, size_t j, double x, double y)
{
    int in = 0;
    for (size_t r = s->poly_ring[s->zone_poly[j]]; r < s->poly_ring[s->zone_poly[j + 1]]; r++)
        in ^= ring_crossings(s, r, x, y);
    return in;
}

/* Distance from (x, y) to the nearest edge of zone j's rings. */
static inline double zone_edge_dist(const zs_export_shapes *s, size_t j, double x, double y)
{
    double best = INFINITY;
    for (size_t r = s->poly_ring[s->zone_poly[j]]; r < s->poly_ring[s->zone_poly[j + 1]]; r++) {
        size_t a = s->ring_vert[r], n = s->ring_vert[r + 1] - a;
        for (size_t t = 0; t < n; t++) {
            const zs_xy *p = &s->v[a + t], *q = &s->v[a + (t + 1) % n];
            double ex = q->x - p->x, ey = q->y - p->y, l2 = ex * ex + ey * ey;
            double u = l2 > 0 ? ((x - p->x) * ex + (y - p->y) * ey) / l2 : 0;
            u = u < 0 ? 0 : u > 1 ? 1 : u;
            best = fmin(best, hypot(x - p->x - u * ex, y - p->y - u * ey));
        }
    }
    return best;
}

/* n points at (x, y), one parcel each, and the plan putting point i in
 * zone z[i] of k (labels NULL: "1".."k") into *pts and *part; exit(1)
 * when either cannot be made. */
static inline void fixture_plan(size_t n, const double *x, const double *y, const int32_t *z,
                                size_t k, char **labels, zs_points **pts, zs_partition **part)
{
    zs_err err;
    *pts = xalloc(zs_points_create(n, &err));
    for (size_t i = 0; i < n; i++) {
        (*pts)->x[i] = x[i];
        (*pts)->y[i] = y[i];
        (*pts)->parcels[i] = 1;
    }
    if (zs_partition_from_labels(*pts, z, k, labels, part, &err) != ZS_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        exit(1);
    }
}

/* zs_export_shapes_create of m with an allocation failure after 0, 1, 2,
 * ... allocations (at most 1000) until a run succeeds: that run's status
 * (ZS_OK unless even 1000 were not enough) and *s its shapes; *n_fail the
 * failed runs, *bad those that did not end ZS_ENOMEM with no shapes. */
static inline zs_status shapes_nomem_sweep(const zs_export_map *m, zs_export_shapes **s,
                                           long *n_fail, long *bad)
{
    zs_status st = ZS_OK;
    zs_err err;
    *n_fail = *bad = 0;
    for (long i = 0; i < 1000; i++) {
        zs_alloc_fail_after(i);
        st = zs_export_shapes_create(m, s, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        (*n_fail)++;
        *bad += st != ZS_ENOMEM || *s != NULL;
    }
    return st;
}

/* How many times sub occurs in s (NULL: 0). */
static inline size_t count(const char *s, const char *sub)
{
    size_t c = 0, l = strlen(sub);
    for (const char *p = s; p && (p = strstr(p, sub)); p += l)
        c++;
    return c;
}

/* Runs fn on a memory stream; returns the text (free()) and the status. */
static inline char *render(zs_status (*fn)(FILE *, const zs_export_map *, zs_err *),
                    const zs_export_map *m, zs_status *st, zs_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        *st = ZS_EIO;
        return NULL;
    }
    *st = fn(f, m, err);
    fclose(f);
    return buf;
}

#endif
