/*
 * engine/input/citygen.c -- a synthetic city of delivery points (engine/citygen.h).
 *
 * Each point i draws from its own keyed stream (seed, 0, 0, i, CITYGEN) and
 * each layout element (estate j, village j, road j, the CBD and industrial
 * edge) from (seed, 0, category, j, CITYGEN), so a point depends only on the
 * recipe and its number, never on draw order or threads.  The layout is a
 * caricature of a Chinese station area (DESIGN.md): dense estates toward
 * the centre, a CBD, an industrial belt at the edge, villages outside.
 */
#include "input/citygen.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/alloc.h"
#include "models/rng.h"

static const double PI = 3.14159265358979323846;

/* Key categories (the "day" field of the key) of layout draws; points use
 * 0.  Part of the generator's definition: never renumber. */
enum { CAT_POINT = 0, CAT_ESTATE = 1, CAT_VILLAGE = 2, CAT_ROAD = 3, CAT_LAYOUT = 4 };

/* Main roads through the centre carrying the shops. */
enum { N_ROADS = 4 };

/* Parcels per point relative to a residential building, before scaling to
 * mean_parcels: offices and factories receive more, villages less. */
static const double rel_parcels[ZS_PT_COUNT] = {
    [ZS_PT_RESIDENTIAL] = 1.0, [ZS_PT_OFFICE] = 2.5,     [ZS_PT_SCHOOL] = 2.0,
    [ZS_PT_HOSPITAL] = 2.0,    [ZS_PT_FACTORY] = 3.0,    [ZS_PT_VILLAGE] = 0.6,
    [ZS_PT_INSTITUTION] = 1.5, [ZS_PT_MILITARY] = 1.0,   [ZS_PT_SHOP] = 1.5,
    [ZS_PT_OTHER] = 1.0,       [ZS_PT_LOCKER] = 20.0,    [ZS_PT_PICKUP_STATION] = 40.0,
};

/* Log-scale spread of parcels around the type's mean: sigma 0.5 puts the
 * middle 90% of points within a factor 2.3 either way. */
#define PARCEL_SIGMA 0.5

/* Rejection tries before a draw outside the area is clamped onto it. */
#define MAX_TRIES 64

void zs_citygen_opts_defaults(zs_citygen_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->n_points = 2000;
    o->width_km = 12.0;
    o->height_km = 10.0;
    o->share[ZS_PT_RESIDENTIAL] = 0.62;
    o->share[ZS_PT_OFFICE] = 0.12;
    o->share[ZS_PT_SCHOOL] = 0.04;
    o->share[ZS_PT_HOSPITAL] = 0.015;
    o->share[ZS_PT_FACTORY] = 0.06;
    o->share[ZS_PT_VILLAGE] = 0.08;
    o->share[ZS_PT_INSTITUTION] = 0.025;
    o->share[ZS_PT_MILITARY] = 0.005;
    o->share[ZS_PT_SHOP] = 0.035;
    o->share[ZS_PT_OTHER] = 0.0;
    o->n_estates = 0;
    o->estate_radius_m = 150.0;
    o->mean_parcels = 0.75;
    o->station_x = 0.0;
    o->station_y = 0.0;
    o->river = 0;
    o->ring_road_km = 0.0;
}

static zs_status check_pos(double v, const char *field, zs_err *err)
{
    if (!(v > 0.0))
        return zs_err_set(err, ZS_EINVAL, "citygen.%s = %g; must be > 0", field, v);
    if (!isfinite(v))
        return zs_err_set(err, ZS_EINVAL, "citygen.%s = %g; must be finite", field, v);
    return ZS_OK;
}

zs_status zs_citygen_opts_validate(const zs_citygen_opts *o, zs_err *err)
{
    zs_status st;
    if (o->n_points < 1)
        return zs_err_set(err, ZS_EINVAL, "citygen.n_points = %zu; must be >= 1", o->n_points);
    if ((st = check_pos(o->width_km, "width_km", err)) != ZS_OK ||
        (st = check_pos(o->height_km, "height_km", err)) != ZS_OK)
        return st;
    double sum = 0.0;
    for (int t = 0; t < ZS_PT_COUNT; t++) {
        double s = o->share[t];
        if (!(s >= 0.0))
            return zs_err_set(err, ZS_EINVAL, "citygen.share.%s = %g; must be >= 0",
                              zs_ptype_name(t), s);
        if (!isfinite(s))
            return zs_err_set(err, ZS_EINVAL, "citygen.share.%s = %g; must be finite",
                              zs_ptype_name(t), s);
        sum += s;
    }
    if (!(sum > 0.0) || !isfinite(sum))
        return zs_err_set(err, ZS_EINVAL, "citygen.share: shares sum to %g; must be > 0 and finite",
                          sum);
    if (o->n_estates > o->n_points)
        return zs_err_set(err, ZS_EINVAL, "citygen.n_estates = %zu; must be <= n_points (%zu)",
                          o->n_estates, o->n_points);
    if ((st = check_pos(o->estate_radius_m, "estate_radius_m", err)) != ZS_OK ||
        (st = check_pos(o->mean_parcels, "mean_parcels", err)) != ZS_OK)
        return st;
    double hw = 500.0 * o->width_km, hh = 500.0 * o->height_km;
    if (!(fabs(o->station_x) <= hw))
        return zs_err_set(err, ZS_EINVAL,
                          "citygen.station_x = %g; must be inside the area (|x| <= %g m)",
                          o->station_x, hw);
    if (!(fabs(o->station_y) <= hh))
        return zs_err_set(err, ZS_EINVAL,
                          "citygen.station_y = %g; must be inside the area (|y| <= %g m)",
                          o->station_y, hh);
    if (o->river != 0 && o->river != 1)
        return zs_err_set(err, ZS_EINVAL, "citygen.river = %d; must be 0 or 1", o->river);
    if (!(o->ring_road_km >= 0) || !isfinite(o->ring_road_km))
        return zs_err_set(err, ZS_EINVAL, "citygen.ring_road_km = %g; must be >= 0",
                          o->ring_road_km);
    return ZS_OK;
}

/* Points of each type: largest-remainder rounding of share * n, ties to
 * the lower type, so the total is exactly n and the rule is reproducible. */
static void type_counts(const zs_citygen_opts *o, size_t count[ZS_PT_COUNT])
{
    double sum = 0.0, frac[ZS_PT_COUNT];
    for (int t = 0; t < ZS_PT_COUNT; t++)
        sum += o->share[t];
    size_t given = 0;
    for (int t = 0; t < ZS_PT_COUNT; t++) {
        double q = o->share[t] / sum * (double)o->n_points;
        count[t] = (size_t)floor(q);
        frac[t] = q - floor(q);
        given += count[t];
    }
    while (given < o->n_points) {
        int best = -1;
        for (int t = 0; t < ZS_PT_COUNT; t++)
            if (o->share[t] > 0.0 && (best < 0 || frac[t] > frac[best]))
                best = t;
        count[best]++;
        frac[best] = -1.0; /* each type gets at most one extra */
        given++;
    }
}

/* The area: |x| <= hw, |y| <= hh (metres). */
typedef struct {
    double hw, hh;
} area;

static int inside(const area *a, double x, double y)
{
    return fabs(x) <= a->hw && fabs(y) <= a->hh;
}

/* Normalised distance from the centre: 1 on the boundary. */
static double ring(const area *a, double x, double y)
{
    return fmax(fabs(x) / a->hw, fabs(y) / a->hh);
}

static double clamp(double v, double lim)
{
    return v < -lim ? -lim : v > lim ? lim : v;
}

/* A Gaussian blob around (cx, cy) with sd (sx, sy), redrawn until inside,
 * then clamped: every point ends up in the area. */
static void gauss_in(gsl_rng *r, const area *a, double cx, double cy, double sx, double sy,
                     double *x, double *y)
{
    for (int k = 0; k < MAX_TRIES; k++) {
        *x = cx + gsl_ran_gaussian_ziggurat(r, sx);
        *y = cy + gsl_ran_gaussian_ziggurat(r, sy);
        if (inside(a, *x, *y))
            return;
    }
    *x = clamp(*x, a->hw);
    *y = clamp(*y, a->hh);
}

/* Uniform over the scaled box |x| <= f*hw, |y| <= f*hh with ring >= rmin. */
static void uniform_ring(gsl_rng *r, const area *a, double f, double rmin, double *x, double *y)
{
    for (int k = 0; k < MAX_TRIES; k++) {
        *x = f * a->hw * (2.0 * gsl_rng_uniform(r) - 1.0);
        *y = f * a->hh * (2.0 * gsl_rng_uniform(r) - 1.0);
        if (ring(a, *x, *y) >= rmin)
            return;
    }
    /* Push the last draw out to the ring along its own direction. */
    double s = rmin / fmax(ring(a, *x, *y), 1e-12);
    *x = clamp(*x * s, a->hw);
    *y = clamp(*y * s, a->hh);
}

typedef struct {
    double x, y, sd, w;
} cluster;

/* Cluster index for uniform u in [0,1) by cumulative weights cw[0..n-1]. */
static size_t pick(const double *cw, size_t n, double u)
{
    double target = u * cw[n - 1];
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cw[mid] > target)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

typedef struct {
    area a;
    cluster *estate;
    double *estate_cw;
    size_t n_estates;
    cluster *village;
    size_t n_villages;
    double road_angle[N_ROADS];
    double cbd_x, cbd_y, cbd_sd;
    int industrial_edge; /* 0 east, 1 north, 2 west, 3 south */
} layout;

static void draw_layout(const zs_citygen_opts *o, gsl_rng *r, layout *L)
{
    const area *a = &L->a;
    zs_rng_rekey(r, zs_rng_key(o->seed, 0, CAT_LAYOUT, 0, ZS_PURPOSE_CITYGEN));
    /* The CBD sits within a few hundred metres of the centre; its spread
     * (6% of the smaller side, 600 m for 10 km) is a walkable district. */
    L->cbd_x = gsl_ran_gaussian_ziggurat(r, 0.04 * a->hw);
    L->cbd_y = gsl_ran_gaussian_ziggurat(r, 0.04 * a->hh);
    L->cbd_sd = 0.12 * fmin(a->hw, a->hh);
    L->industrial_edge = (int)gsl_rng_uniform_int(r, 4);
    double sum = 0.0;
    for (size_t j = 0; j < L->n_estates; j++) {
        zs_rng_rekey(r, zs_rng_key(o->seed, 0, CAT_ESTATE, j, ZS_PURPOSE_CITYGEN));
        cluster *e = &L->estate[j];
        /* Centres Gaussian about the middle (sd 35% of the half-size): the
         * city is denser toward its core. */
        area inner = {0.95 * a->hw, 0.95 * a->hh};
        gauss_in(r, &inner, 0.0, 0.0, 0.35 * a->hw, 0.35 * a->hh, &e->x, &e->y);
        e->sd = o->estate_radius_m * exp(0.3 * gsl_ran_gaussian_ziggurat(r, 1.0));
        e->w = exp(0.5 * gsl_ran_gaussian_ziggurat(r, 1.0)); /* estates differ in size */
        sum += e->w;
        L->estate_cw[j] = sum;
    }
    for (size_t j = 0; j < L->n_villages; j++) {
        zs_rng_rekey(r, zs_rng_key(o->seed, 0, CAT_VILLAGE, j, ZS_PURPOSE_CITYGEN));
        cluster *v = &L->village[j];
        uniform_ring(r, a, 0.95, 0.65, &v->x, &v->y);
        v->sd = 0.6 * o->estate_radius_m; /* a village is tighter than an estate */
        v->w = 1.0;
    }
    for (int j = 0; j < N_ROADS; j++) {
        zs_rng_rekey(r, zs_rng_key(o->seed, 0, CAT_ROAD, (uint64_t)j, ZS_PURPOSE_CITYGEN));
        L->road_angle[j] = PI * ((double)j + gsl_ran_gaussian_ziggurat(r, 0.1)) / N_ROADS;
    }
}

/* Position of one point of type t; r is already keyed to the point. */
static void place(const layout *L, int t, gsl_rng *r, double *x, double *y)
{
    const area *a = &L->a;
    switch (t) {
    case ZS_PT_LOCKER:         /* lockers and stations stand in the estates */
    case ZS_PT_PICKUP_STATION:
    case ZS_PT_RESIDENTIAL: {
        const cluster *e = &L->estate[pick(L->estate_cw, L->n_estates, gsl_rng_uniform(r))];
        gauss_in(r, a, e->x, e->y, e->sd, e->sd, x, y);
        break;
    }
    case ZS_PT_OFFICE:
        /* Most offices in the CBD, a fifth in secondary centres around it. */
        if (gsl_rng_uniform(r) < 0.8)
            gauss_in(r, a, L->cbd_x, L->cbd_y, L->cbd_sd, L->cbd_sd, x, y);
        else
            gauss_in(r, a, L->cbd_x, L->cbd_y, 0.3 * a->hw, 0.3 * a->hh, x, y);
        break;
    case ZS_PT_HOSPITAL:
        uniform_ring(r, a, 0.7, 0.0, x, y);
        break;
    case ZS_PT_INSTITUTION:
        /* Government sits near the centre, the rest spread out. */
        if (gsl_rng_uniform(r) < 0.5)
            gauss_in(r, a, L->cbd_x, L->cbd_y, 2.0 * L->cbd_sd, 2.0 * L->cbd_sd, x, y);
        else
            uniform_ring(r, a, 0.9, 0.0, x, y);
        break;
    case ZS_PT_FACTORY: {
        /* A belt over the outer 15% of the half-size along one edge. */
        double along = 0.9 * (2.0 * gsl_rng_uniform(r) - 1.0);
        double depth = 0.85 + 0.15 * gsl_rng_uniform(r);
        switch (L->industrial_edge) {
        case 0: *x = depth * a->hw; *y = along * a->hh; break;
        case 1: *x = along * a->hw; *y = depth * a->hh; break;
        case 2: *x = -depth * a->hw; *y = along * a->hh; break;
        default: *x = along * a->hw; *y = -depth * a->hh; break;
        }
        break;
    }
    case ZS_PT_VILLAGE: {
        const cluster *v = &L->village[gsl_rng_uniform_int(r, L->n_villages)];
        gauss_in(r, a, v->x, v->y, v->sd, v->sd, x, y);
        break;
    }
    case ZS_PT_MILITARY:
        uniform_ring(r, a, 1.0, 0.75, x, y);
        break;
    case ZS_PT_SHOP: {
        /* Along a main road through the CBD, denser near it (triangular
         * position), 30 m either side of the centre line. */
        double ang = L->road_angle[gsl_rng_uniform_int(r, N_ROADS)];
        double len = hypot(a->hw, a->hh);
        int k;
        for (k = 0; k < MAX_TRIES; k++) {
            double s = len * (gsl_rng_uniform(r) + gsl_rng_uniform(r) - 1.0);
            double off = gsl_ran_gaussian_ziggurat(r, 30.0);
            *x = L->cbd_x + s * cos(ang) - off * sin(ang);
            *y = L->cbd_y + s * sin(ang) + off * cos(ang);
            if (inside(a, *x, *y))
                break;
        }
        if (k == MAX_TRIES) {
            *x = clamp(*x, a->hw);
            *y = clamp(*y, a->hh);
        }
        break;
    }
    default: /* schools and the rest: scattered */
        uniform_ring(r, a, 0.95, 0.0, x, y);
        break;
    }
}

#define RIVER_SEGS 48
#define RING_SEGS 64
#define RIVER_CLEAR_M 40.0

/* The river's centre line at x (metres). */
static double river_y(const area *a, double x)
{
    return -0.2 * a->hh + 0.15 * a->hh * sin(2.0 * PI * x / (2.0 * a->hw));
}

zs_status zs_citygen_barriers(const zs_citygen_opts *o, double **seg, int32_t **feature,
                              size_t *n, zs_err *err)
{
    *seg = NULL;
    *feature = NULL;
    *n = 0;
    size_t m = (o->river ? RIVER_SEGS : 0) + (o->ring_road_km > 0 ? RING_SEGS : 0);
    if (!m)
        return ZS_OK;
    double *s = zs_malloc_array(4 * m, sizeof *s);
    int32_t *f = zs_malloc_array(m, sizeof *f);
    if (!s || !f) {
        zs_free(s);
        zs_free(f);
        return ZS_NOMEM(err);
    }
    area a = {500.0 * o->width_km, 500.0 * o->height_km};
    size_t j = 0;
    for (size_t q = 0; o->river && q < RIVER_SEGS; q++, j++) {
        double x0 = -a.hw - 100.0 + (2.0 * a.hw + 200.0) * (double)q / RIVER_SEGS;
        double x1 = -a.hw - 100.0 + (2.0 * a.hw + 200.0) * (double)(q + 1) / RIVER_SEGS;
        s[4 * j] = x0, s[4 * j + 1] = river_y(&a, x0);
        s[4 * j + 2] = x1, s[4 * j + 3] = river_y(&a, x1);
        f[j] = 0;
    }
    double r = 1000.0 * o->ring_road_km;
    for (size_t q = 0; o->ring_road_km > 0 && q < RING_SEGS; q++, j++) {
        double t0 = 2.0 * PI * (double)q / RING_SEGS, t1 = 2.0 * PI * (double)(q + 1) / RING_SEGS;
        s[4 * j] = o->station_x + r * cos(t0), s[4 * j + 1] = o->station_y + r * sin(t0);
        s[4 * j + 2] = o->station_x + r * cos(t1), s[4 * j + 3] = o->station_y + r * sin(t1);
        f[j] = o->river ? 1 : 0;
    }
    *seg = s;
    *feature = f;
    *n = m;
    return ZS_OK;
}

/* Moves a point within RIVER_CLEAR_M of the river's centre line (measured
 * vertically: the wave is gentle) to that distance on its own side. */
static void off_the_water(const area *a, double *x, double *y)
{
    double ry = river_y(a, *x), d = *y - ry;
    if (fabs(d) < RIVER_CLEAR_M)
        *y = ry + (d >= 0 ? RIVER_CLEAR_M : -RIVER_CLEAR_M);
}

zs_status zs_citygen_run(const zs_citygen_opts *o, zs_points **out, zs_err *err)
{
    *out = NULL;
    zs_status st = zs_citygen_opts_validate(o, err);
    if (st != ZS_OK)
        return st;
    /* Refused before allocating (issue 22: 10^8 points grew to 3.7 GB
     * before failing). */
    double need = (double)o->n_points * ZS_POINTS_BYTES_EACH, avail = zs_mem_available();
    if (avail > 0.0 && need > avail) {
        char nb[32], ab[32];
        zs_mem_format(need, nb, sizeof nb);
        zs_mem_format(avail, ab, sizeof ab);
        return zs_err_set(err, ZS_EINPUT, "a city of %zu points needs about %s of memory (%d "
                          "bytes a point) and %s is available: generate fewer points",
                          o->n_points, nb, ZS_POINTS_BYTES_EACH, ab);
    }
    size_t count[ZS_PT_COUNT];
    type_counts(o, count);
    layout L;
    memset(&L, 0, sizeof L);
    L.a.hw = 500.0 * o->width_km;
    L.a.hh = 500.0 * o->height_km;
    if (count[ZS_PT_RESIDENTIAL]) {
        /* Default: one estate per 60 points of the whole city (an assumed
         * size of a gated estate's blocks and entrances; tune n_estates). */
        L.n_estates = o->n_estates ? o->n_estates : o->n_points / 60;
        if (L.n_estates < 1)
            L.n_estates = 1;
    }
    if (count[ZS_PT_VILLAGE])
        L.n_villages = (count[ZS_PT_VILLAGE] + 14) / 15; /* ~15 houses a village */
    zs_points *p = NULL;
    gsl_rng *r = zs_rng_create();
    L.estate = zs_malloc_array(L.n_estates ? L.n_estates : 1, sizeof *L.estate);
    L.estate_cw = zs_malloc_array(L.n_estates ? L.n_estates : 1, sizeof *L.estate_cw);
    L.village = zs_malloc_array(L.n_villages ? L.n_villages : 1, sizeof *L.village);
    if (!r || !L.estate || !L.estate_cw || !L.village) {
        st = ZS_NOMEM(err);
        goto done;
    }
    if (!(p = zs_points_create(o->n_points, err))) {
        st = err ? err->code : ZS_ENOMEM;
        goto done;
    }
    /* Ids "P000001"...; past 999999 points all ids widen alike so they
     * still sort in point order. */
    int digits = 6;
    for (size_t m = o->n_points / 1000000; m > 0; m /= 10)
        digits++;
    if ((st = zs_points_number_ids(p, "P", digits, err)) != ZS_OK)
        goto done;
    draw_layout(o, r, &L);
    size_t i = 0;
    double sum = 0.0;
    for (int t = 0; t < ZS_PT_COUNT; t++) {
        for (size_t k = 0; k < count[t]; k++, i++) {
            zs_rng_rekey(r, zs_rng_key(o->seed, 0, CAT_POINT, i, ZS_PURPOSE_CITYGEN));
            place(&L, t, r, &p->x[i], &p->y[i]);
            if (o->river)
                off_the_water(&L.a, &p->x[i], &p->y[i]);
            p->type[i] = (uint8_t)t;
            /* exp(sigma z - sigma^2/2) has mean 1: the type's mean is kept. */
            double z = gsl_ran_gaussian_ziggurat(r, 1.0);
            p->parcels[i] = rel_parcels[t] * exp(PARCEL_SIGMA * z - 0.5 * PARCEL_SIGMA * PARCEL_SIGMA);
            sum += p->parcels[i];
        }
    }
    double scale = o->mean_parcels * (double)o->n_points / sum;
    for (i = 0; i < p->n; i++)
        p->parcels[i] *= scale;
done:
    if (r)
        gsl_rng_free(r);
    zs_free(L.estate);
    zs_free(L.estate_cw);
    zs_free(L.village);
    if (st != ZS_OK) {
        zs_points_free(p);
        return st;
    }
    *out = p;
    return ZS_OK;
}
