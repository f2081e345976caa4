/*
 * engine/network/streetgen.c -- points on a real city's buildings and
 * streets (see streetgen.h).
 *
 * Buildings are drawn without replacement by a partial Fisher-Yates
 * shuffle on a keyed stream; street points by length-weighted segment
 * choice (binary search on cumulative lengths), one keyed draw per point.
 */
#include "network/streetgen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/alloc.h"
#include "models/ptype.h"
#include "models/rng.h"

#define PARCEL_SIGMA 0.5
#define STREET_OFFSET_M 15.0

void zs_streetgen_defaults(zs_streetgen_opts *o)
{
    o->n_points = 1000;
    o->seed = 1;
    o->mean_parcels = 1.5;
    o->snap_max_m = 150.0;
}

static double type_parcels(int t)
{
    switch (t) {
    case ZS_PT_OFFICE: return 3.0;
    case ZS_PT_SCHOOL: return 2.0;
    case ZS_PT_HOSPITAL: return 2.5;
    case ZS_PT_FACTORY: return 4.0;
    case ZS_PT_INSTITUTION: return 1.5;
    case ZS_PT_MILITARY: return 1.5;
    case ZS_PT_SHOP: return 2.0;
    default: return 1.0;
    }
}

static int street_class(int c)
{
    return c == ZS_HW_RESIDENTIAL || c == ZS_HW_LIVING_STREET || c == ZS_HW_UNCLASSIFIED ||
           c == ZS_HW_TERTIARY;
}

zs_status zs_streetgen_run(const zs_osm *o, const zs_roads *g, double lon0, double lat0,
                           const zs_streetgen_opts *opt, zs_points **out, zs_err *err)
{
    *out = NULL;
    if (opt->n_points < 1 || opt->n_points > 10000000)
        return zs_err_set(err, ZS_EINVAL, "points: %zu; must be 1 .. 10000000", opt->n_points);
    if (!(opt->mean_parcels > 0.0) || !(opt->snap_max_m > 0.0))
        return zs_err_set(err, ZS_EINVAL, "mean parcels and snap distance must be > 0");
    zs_status st = ZS_OK;
    size_t nb = 0, n = opt->n_points;
    size_t *bld = zs_malloc_array(o->n_buildings + 1, sizeof *bld);
    double *cum = zs_malloc_array(g->n_seg + 1, sizeof *cum);
    gsl_rng *r = zs_rng_create();
    zs_points *p = NULL;
    if (!bld || !cum || !r) {
        st = ZS_NOMEM(err);
        goto done;
    }
    /* Buildings near a usable street. */
    for (size_t b = 0; b < o->n_buildings; b++) {
        double x, y;
        zs_snap s;
        zs_lonlat_project(lon0, lat0, o->buildings[b].lon, o->buildings[b].lat, &x, &y);
        if (zs_roads_snap(g, x, y, opt->snap_max_m, &s))
            bld[nb++] = b;
    }
    double total = 0.0;
    for (size_t s = 0; s < g->n_seg; s++) {
        total += street_class(g->seg_cls[s]) ? g->seg_m[s] : 0.0;
        cum[s] = total;
    }
    if (nb == 0 && total <= 0.0) {
        st = zs_err_set(err, ZS_EINPUT, "the extract has no buildings and no residential "
                        "streets on the street graph to place points on");
        goto done;
    }
    if (!(p = zs_points_create(n, err))) {
        st = err ? err->code : ZS_ENOMEM;
        goto done;
    }
    p->has_lonlat = 1;
    p->lon0 = lon0;
    p->lat0 = lat0;
    p->lon = zs_malloc_array(n, sizeof *p->lon);
    p->lat = zs_malloc_array(n, sizeof *p->lat);
    if (!p->lon || !p->lat) {
        st = ZS_NOMEM(err);
        goto done;
    }
    size_t from_b = nb < n ? nb : n;
    /* Partial shuffle: the first from_b buildings of a keyed permutation. */
    zs_rng_rekey(r, zs_rng_key(opt->seed, 0, 0, 0, ZS_PURPOSE_CITYGEN));
    for (size_t i = 0; i < from_b; i++) {
        size_t j = i + (size_t)gsl_rng_uniform_int(r, (unsigned long)(nb - i));
        size_t t = bld[i];
        bld[i] = bld[j];
        bld[j] = t;
    }
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        zs_rng_rekey(r, zs_rng_key(opt->seed, 0, 1, i, ZS_PURPOSE_CITYGEN));
        int type = ZS_PT_RESIDENTIAL;
        if (i < from_b) {
            const zs_osm_building *b = &o->buildings[bld[i]];
            p->lon[i] = b->lon;
            p->lat[i] = b->lat;
            int t = zs_ptype_parse(b->type);
            type = t >= 0 ? t : ZS_PT_RESIDENTIAL;
            zs_lonlat_project(lon0, lat0, b->lon, b->lat, &p->x[i], &p->y[i]);
        } else {
            if (total <= 0.0) {
                st = zs_err_set(err, ZS_EINPUT, "%zu points asked for, but the extract has %zu "
                                "buildings near its streets and no residential streets", n, nb);
                goto done;
            }
            double u = gsl_rng_uniform(r) * total;
            size_t lo = 0, hi = g->n_seg - 1;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (cum[mid] <= u)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            uint32_t a = g->seg_u[lo], b = g->seg_v[lo];
            double t = gsl_rng_uniform(r), side = gsl_rng_uniform(r) < 0.5 ? -1.0 : 1.0;
            double dx = g->x[b] - g->x[a], dy = g->y[b] - g->y[a], len = hypot(dx, dy);
            double nx = len > 0 ? -dy / len : 0.0, ny = len > 0 ? dx / len : 0.0;
            p->x[i] = g->x[a] + t * dx + side * STREET_OFFSET_M * nx;
            p->y[i] = g->y[a] + t * dy + side * STREET_OFFSET_M * ny;
            zs_lonlat_unproject(lon0, lat0, p->x[i], p->y[i], &p->lon[i], &p->lat[i]);
        }
        p->type[i] = (uint8_t)type;
        double z = gsl_ran_gaussian_ziggurat(r, 1.0);
        p->parcels[i] = type_parcels(type) *
                        exp(PARCEL_SIGMA * z - 0.5 * PARCEL_SIGMA * PARCEL_SIGMA);
        sum += p->parcels[i];
    }
    for (size_t i = 0; i < n; i++)
        p->parcels[i] *= opt->mean_parcels * (double)n / sum;
    /* Ids: B for buildings, S along streets, each numbered from 1. */
    {
        size_t pool = 0;
        for (size_t i = 0; i < n; i++)
            pool += 16;
        char *buf = zs_malloc(pool);
        if (!buf) {
            st = ZS_NOMEM(err);
            goto done;
        }
        size_t at = 0;
        for (size_t i = 0; i < n; i++) {
            p->id[i] = buf + at;
            at += (size_t)snprintf(buf + at, 16, "%c%06zu", i < from_b ? 'B' : 'S',
                                   i < from_b ? i + 1 : i - from_b + 1) + 1;
        }
        zs_free(p->id_pool);
        p->id_pool = buf;
        st = zs_points_index_ids(p, err);
    }
done:
    zs_free(bld);
    zs_free(cum);
    if (r)
        gsl_rng_free(r);
    if (st != ZS_OK) {
        zs_points_free(p);
        return st;
    }
    *out = p;
    return ZS_OK;
}
