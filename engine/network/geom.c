/*
 * engine/network/geom.c -- Delaunay triangles, GeoJSON lines and zone hulls
 * through GEOS (see geom.h).
 *
 * Each call makes its own GEOS context with message handlers that copy
 * GEOS's text into a buffer of the call, so nothing is printed and calls
 * on different threads share nothing.
 */
#include "network/geom.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <geos_c.h>

#include "models/alloc.h"
#include "input/files.h"

typedef struct {
    GEOSContextHandle_t h;
    char msg[512];
} gctx;

static void on_message_r(const char *message, void *user)
{
    gctx *c = user;
    if (!c->msg[0])
        snprintf(c->msg, sizeof c->msg, "%s", message);
}

static int ctx_open(gctx *c, zs_err *err)
{
    c->msg[0] = 0;
    c->h = GEOS_init_r();
    if (!c->h) {
        ZS_NOMEM(err);
        return -1;
    }
    GEOSContext_setErrorMessageHandler_r(c->h, on_message_r, c);
    GEOSContext_setNoticeMessageHandler_r(c->h, NULL, NULL);
    return 0;
}

static zs_status geos_fail(gctx *c, zs_err *err, const char *what)
{
    return zs_err_set(err, ZS_EIO, "GEOS: %s failed: %s", what, c->msg[0] ? c->msg : "no reason given");
}

/* ---- Delaunay -------------------------------------------------------------- */

typedef struct {
    double x, y;
    uint32_t i;
} xyi;

static int cmp_xyi(const void *a, const void *b)
{
    const xyi *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return p->i < q->i ? -1 : p->i > q->i;
}

zs_status zs_geom_sort_xy(const double *x, const double *y, size_t n, uint32_t *order,
                          zs_err *err)
{
    xyi *srt = zs_malloc_array(n ? n : 1, sizeof *srt);
    if (!srt)
        return ZS_NOMEM(err);
    for (size_t i = 0; i < n; i++)
        srt[i] = (xyi){x[i], y[i], (uint32_t)i};
    qsort(srt, n, sizeof *srt, cmp_xyi);
    for (size_t i = 0; i < n; i++)
        order[i] = srt[i].i;
    zs_free(srt);
    return ZS_OK;
}

/* Index of (px, py) among the sorted distinct points u[0..m), or -1. */
static long find_xy(const double *x, const double *y, const uint32_t *u, size_t m, double px,
                    double py)
{
    size_t lo = 0, hi = m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t j = u[mid];
        if (x[j] < px || (x[j] == px && y[j] < py))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m && x[u[lo]] == px && y[u[lo]] == py)
        return (long)u[lo];
    return -1;
}

zs_status zs_geom_delaunay(const double *x, const double *y, size_t n, uint32_t **tri,
                           size_t *n_tri, zs_err *err)
{
    *tri = NULL;
    *n_tri = 0;
    if (n > UINT32_MAX)
        return zs_err_set(err, ZS_EINVAL, "delaunay: %zu points; at most %u", n, UINT32_MAX);
    uint32_t *ord = zs_malloc_array(n ? n : 1, sizeof *ord);
    if (!ord)
        return ZS_NOMEM(err);
    if (zs_geom_sort_xy(x, y, n, ord, err) != ZS_OK) {
        zs_free(ord);
        return ZS_ENOMEM;
    }
    /* Distinct points: the first (lowest index) of each run of equal ones. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || x[ord[i]] != x[ord[m - 1]] || y[ord[i]] != y[ord[m - 1]])
            ord[m++] = ord[i];
    if (m < 3) {
        zs_free(ord);
        return ZS_OK;
    }

    gctx c;
    if (ctx_open(&c, err) < 0) {
        zs_free(ord);
        return ZS_ENOMEM;
    }
    zs_status st = ZS_OK;
    GEOSGeometry **pts = zs_malloc_array(m, sizeof *pts);
    GEOSGeometry *mp = NULL, *res = NULL;
    uint32_t *out = NULL;
    if (!pts) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < m; i++)
        if (!(pts[i] = GEOSGeom_createPointFromXY_r(c.h, x[ord[i]], y[ord[i]]))) {
            for (size_t j = 0; j < i; j++)
                GEOSGeom_destroy_r(c.h, pts[j]);
            st = geos_fail(&c, err, "point");
            goto done;
        }
    /* The collection takes ownership of the points. */
    if (!(mp = GEOSGeom_createCollection_r(c.h, GEOS_MULTIPOINT, pts, (unsigned)m))) {
        for (size_t j = 0; j < m; j++)
            GEOSGeom_destroy_r(c.h, pts[j]);
        st = geos_fail(&c, err, "multipoint");
        goto done;
    }
    if (!(res = GEOSDelaunayTriangulation_r(c.h, mp, 0.0, 0))) {
        st = geos_fail(&c, err, "Delaunay triangulation");
        goto done;
    }
    int ng = GEOSGetNumGeometries_r(c.h, res);
    if (ng < 0) {
        st = geos_fail(&c, err, "Delaunay triangulation");
        goto done;
    }
    out = zs_malloc_array(3 * (size_t)(ng ? ng : 1), sizeof *out);
    if (!out) {
        st = ZS_NOMEM(err);
        goto done;
    }
    size_t t = 0;
    for (int g = 0; g < ng; g++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(c.h, res, g);
        const GEOSGeometry *ring = poly ? GEOSGetExteriorRing_r(c.h, poly) : NULL;
        const GEOSCoordSequence *cs = ring ? GEOSGeom_getCoordSeq_r(c.h, ring) : NULL;
        unsigned sz = 0;
        if (!cs || !GEOSCoordSeq_getSize_r(c.h, cs, &sz) || sz < 4) {
            st = geos_fail(&c, err, "reading a triangle");
            goto done;
        }
        for (unsigned v = 0; v < 3; v++) {
            double px, py;
            long id;
            if (!GEOSCoordSeq_getXY_r(c.h, cs, v, &px, &py) ||
                (id = find_xy(x, y, ord, m, px, py)) < 0) {
                st = ZS_INTERNAL(err, "delaunay: a triangle corner is not an input point");
                goto done;
            }
            out[3 * t + v] = (uint32_t)id;
        }
        t++;
    }
    *tri = out;
    *n_tri = t;
    out = NULL;
done:
    if (res)
        GEOSGeom_destroy_r(c.h, res);
    if (mp)
        GEOSGeom_destroy_r(c.h, mp);
    zs_free(pts);
    zs_free(out);
    zs_free(ord);
    GEOS_finish_r(c.h);
    return st;
}

/* ---- GeoJSON lines ------------------------------------------------------- */

typedef struct {
    double *seg;
    int32_t *feat;
    size_t n, cap;
} segs;

static int push_seg(segs *s, double x0, double y0, double x1, double y1, int32_t f)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        double *ns = zs_realloc(s->seg, cap * 4 * sizeof *ns);
        if (!ns)
            return -1;
        s->seg = ns;
        int32_t *nf = zs_realloc(s->feat, cap * sizeof *nf);
        if (!nf)
            return -1;
        s->feat = nf;
        s->cap = cap;
    }
    double *q = s->seg + 4 * s->n;
    q[0] = x0, q[1] = y0, q[2] = x1, q[3] = y1;
    s->feat[s->n++] = f;
    return 0;
}

/* Segments of a LineString or LinearRing. 0, -1 out of memory, -2 GEOS. */
static int add_line(gctx *c, const GEOSGeometry *g, segs *s, int32_t f)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(c->h, g);
    unsigned sz = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(c->h, cs, &sz))
        return -2;
    double px = 0, py = 0;
    for (unsigned v = 0; v < sz; v++) {
        double qx, qy;
        if (!GEOSCoordSeq_getXY_r(c->h, cs, v, &qx, &qy))
            return -2;
        if (v && (qx != px || qy != py) && push_seg(s, px, py, qx, qy, f) < 0)
            return -1;
        px = qx, py = qy;
    }
    return 0;
}

/* Lines and rings of one geometry; 1 when it held a line or polygon, 0 for
 * points only, -1 out of memory, -2 GEOS. */
static int add_geometry(gctx *c, const GEOSGeometry *g, segs *s, int32_t f)
{
    int type = GEOSGeomTypeId_r(c->h, g), any = 0, r;
    switch (type) {
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
        return (r = add_line(c, g, s, f)) < 0 ? r : 1;
    case GEOS_POLYGON: {
        const GEOSGeometry *ring = GEOSGetExteriorRing_r(c->h, g);
        if (!ring)
            return -2;
        if ((r = add_line(c, ring, s, f)) < 0)
            return r;
        int nh = GEOSGetNumInteriorRings_r(c->h, g);
        for (int i = 0; i < nh; i++) {
            const GEOSGeometry *hole = GEOSGetInteriorRingN_r(c->h, g, i);
            if (!hole)
                return -2;
            if ((r = add_line(c, hole, s, f)) < 0)
                return r;
        }
        return 1;
    }
    case GEOS_MULTILINESTRING:
    case GEOS_MULTIPOLYGON:
    case GEOS_GEOMETRYCOLLECTION: {
        int ng = GEOSGetNumGeometries_r(c->h, g);
        for (int i = 0; i < ng; i++) {
            const GEOSGeometry *p = GEOSGetGeometryN_r(c->h, g, i);
            if (!p)
                return -2;
            if ((r = add_geometry(c, p, s, f)) < 0)
                return r;
            any |= r;
        }
        return any;
    }
    default:
        return 0;
    }
}

static char *read_all(const char *path, zs_err *err)
{
    if (zs_file_check_input(path, err) != ZS_OK)
        return NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        zs_err_set(err, ZS_EINPUT, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = zs_malloc_array(cap, 1);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, fp);
        len += got;
        if (len + 1 < cap)
            break;
        char *nb = zs_realloc(buf, cap * 2);
        if (!nb) {
            zs_free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(fp), bad_errno = errno;
    fclose(fp);
    if (!buf) {
        ZS_NOMEM(err);
        return NULL;
    }
    if (bad) {
        zs_free(buf);
        zs_err_set(err, ZS_EINPUT, "%s: read error: %s", path, strerror(bad_errno));
        return NULL;
    }
    buf[len] = 0;
    return buf;
}

zs_status zs_geom_read_lines(const char *path, double **seg, int32_t **feature, size_t *n_seg,
                             size_t *n_features, zs_err *err)
{
    *seg = NULL;
    *feature = NULL;
    *n_seg = *n_features = 0;
    char *text = read_all(path, err);
    if (!text)
        return err ? err->code : ZS_EINPUT;
    gctx c;
    if (ctx_open(&c, err) < 0) {
        zs_free(text);
        return ZS_ENOMEM;
    }
    zs_status st = ZS_OK;
    segs s = {0};
    GEOSGeometry *g = NULL;
    GEOSGeoJSONReader *rd = GEOSGeoJSONReader_create_r(c.h);
    if (!rd) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if (!(g = GEOSGeoJSONReader_readGeometry_r(c.h, rd, text))) {
        st = zs_err_set(err, ZS_EINPUT, "%s: not GeoJSON: %s", path,
                        c.msg[0] ? c.msg : "unreadable");
        goto done;
    }
    /* A FeatureCollection reads as a GeometryCollection with one member per
     * feature, in file order; a Feature or a bare geometry as one. */
    int is_coll = GEOSGeomTypeId_r(c.h, g) == GEOS_GEOMETRYCOLLECTION;
    int nf = is_coll ? GEOSGetNumGeometries_r(c.h, g) : 1;
    for (int f = 0; f < nf; f++) {
        const GEOSGeometry *p = is_coll ? GEOSGetGeometryN_r(c.h, g, f) : g;
        int r = p ? add_geometry(&c, p, &s, f) : -2;
        if (r == -1) {
            st = ZS_NOMEM(err);
            goto done;
        }
        if (r == -2) {
            st = geos_fail(&c, err, "reading a barrier");
            goto done;
        }
        if (r == 0) {
            char *type = GEOSGeomType_r(c.h, p); /* GEOS allocates it */
            st = zs_err_set(err, ZS_EINPUT,
                            "%s: feature %d: a %s is not a barrier; expected LineString, "
                            "MultiLineString, Polygon or MultiPolygon",
                            path, f, type ? type : "geometry");
            if (type)
                GEOSFree_r(c.h, type);
            goto done;
        }
    }
    if (!s.n) {
        st = zs_err_set(err, ZS_EINPUT, "%s: no lines or polygons (%d features)", path, nf);
        goto done;
    }
    *seg = s.seg;
    *feature = s.feat;
    *n_seg = s.n;
    *n_features = (size_t)nf;
    s.seg = NULL;
    s.feat = NULL;
done:
    zs_free(s.seg);
    zs_free(s.feat);
    if (g)
        GEOSGeom_destroy_r(c.h, g);
    if (rd)
        GEOSGeoJSONReader_destroy_r(c.h, rd);
    GEOS_finish_r(c.h);
    zs_free(text);
    return st;
}

/* ---- zone hulls ------------------------------------------------------------ */

zs_status zs_geom_hulls(const double *x, const double *y, const int32_t *zone, size_t n,
                        size_t k, double *area, double *perimeter, double *union_area,
                        zs_err *err)
{
    *union_area = 0;
    for (size_t z = 0; z < k; z++)
        area[z] = perimeter[z] = 0;
    if (!k)
        return ZS_OK;
    gctx c;
    if (ctx_open(&c, err) < 0)
        return ZS_ENOMEM;
    zs_status st = ZS_OK;
    size_t nh = 0;
    size_t *cnt = zs_calloc(k + 1, sizeof *cnt);
    size_t *idx = zs_malloc_array(n ? n : 1, sizeof *idx);
    GEOSGeometry **hull = zs_calloc(k, sizeof *hull);
    GEOSGeometry *coll = NULL, *un = NULL;
    if (!cnt || !idx || !hull) {
        st = ZS_NOMEM(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        cnt[zone[i] + 1]++;
    for (size_t z = 0; z < k; z++)
        cnt[z + 1] += cnt[z];
    {
        size_t *at = zs_malloc_array(k, sizeof *at);
        if (!at) {
            st = ZS_NOMEM(err);
            goto done;
        }
        memcpy(at, cnt, k * sizeof *at);
        for (size_t i = 0; i < n; i++)
            idx[at[zone[i]]++] = i;
        zs_free(at);
    }
    for (size_t z = 0; z < k; z++) {
        size_t a = cnt[z], m = cnt[z + 1] - a;
        if (m < 2)
            continue; /* one point: no hull, no area */
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(c.h, (unsigned)m, 2);
        if (!cs) {
            st = geos_fail(&c, err, "coordinates");
            goto done;
        }
        for (size_t j = 0; j < m; j++)
            GEOSCoordSeq_setXY_r(c.h, cs, (unsigned)j, x[idx[a + j]], y[idx[a + j]]);
        GEOSGeometry *mp = GEOSGeom_createLineString_r(c.h, cs); /* takes cs */
        if (!mp) {
            st = geos_fail(&c, err, "zone points");
            goto done;
        }
        GEOSGeometry *h = GEOSConvexHull_r(c.h, mp);
        GEOSGeom_destroy_r(c.h, mp);
        if (!h) {
            st = geos_fail(&c, err, "convex hull");
            goto done;
        }
        if (GEOSGeomTypeId_r(c.h, h) == GEOS_POLYGON) {
            if (!GEOSArea_r(c.h, h, &area[z]) || !GEOSLength_r(c.h, h, &perimeter[z])) {
                GEOSGeom_destroy_r(c.h, h);
                st = geos_fail(&c, err, "hull area");
                goto done;
            }
            hull[nh++] = h;
        } else
            GEOSGeom_destroy_r(c.h, h);
    }
    if (nh) {
        /* The collection takes ownership of the hulls. */
        if (!(coll = GEOSGeom_createCollection_r(c.h, GEOS_GEOMETRYCOLLECTION, hull, (unsigned)nh))) {
            st = geos_fail(&c, err, "hull collection");
            goto done;
        }
        nh = 0;
        if (!(un = GEOSUnaryUnion_r(c.h, coll)) || !GEOSArea_r(c.h, un, union_area)) {
            st = geos_fail(&c, err, "hull union");
            goto done;
        }
    }
done:
    if (hull)
        for (size_t z = 0; z < nh; z++)
            GEOSGeom_destroy_r(c.h, hull[z]);
    if (un)
        GEOSGeom_destroy_r(c.h, un);
    if (coll)
        GEOSGeom_destroy_r(c.h, coll);
    zs_free(hull);
    zs_free(idx);
    zs_free(cnt);
    GEOS_finish_r(c.h);
    return st;
}
