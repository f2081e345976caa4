/*
 * engine/cli/cli_streets.c -- `zonesim generate --osm`: a real city's
 * delivery points from an OpenStreetMap extract (network/streetgen.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "input/files.h"
#include "network/osm.h"
#include "network/roads.h"
#include "network/streetgen.h"

int zs_cli_generate_osm(const char *osm_path, const char *output, const char *o_n,
                        const char *o_seed, const char *o_mean, const char *o_station)
{
    zs_streetgen_opts go;
    zs_streetgen_defaults(&go);
    long v;
    if (o_n) {
        if (zs_cli_parse_long(o_n, 1, 10000000L, &v) != 0)
            return zs_cli_usage("generate", "--points '%s': expected an integer 1..10000000", o_n);
        go.n_points = (size_t)v;
    }
    if (o_seed && zs_cli_parse_u64(o_seed, &go.seed) != 0)
        return zs_cli_usage("generate", "--seed '%s': expected a non-negative integer", o_seed);
    if (o_mean && zs_cli_parse_double(o_mean, 1e-6, 1e6, &go.mean_parcels) != 0)
        return zs_cli_usage("generate", "--mean-parcels '%s': expected a number in [1e-6, 1e6]",
                            o_mean);
    double st_lon = NAN, st_lat = NAN;
    if (o_station) {
        char *end;
        st_lon = strtod(o_station, &end);
        if (*end != ',' || !(fabs(st_lon) <= 180.0))
            return zs_cli_usage("generate", "--station '%s': expected LON,LAT in degrees",
                                o_station);
        st_lat = strtod(end + 1, &end);
        if (*end || !(fabs(st_lat) <= 90.0))
            return zs_cli_usage("generate", "--station '%s': expected LON,LAT in degrees",
                                o_station);
    }
    zs_err err;
    if (zs_file_prepare_output(output, &err) != ZS_OK)
        return zs_cli_fail(&err);
    zs_osm *o = NULL;
    zs_roads *g = NULL;
    zs_points *p = NULL;
    zs_profile van;
    zs_status st = zs_osm_load(osm_path, &o, &err);
    double lon0 = 0, lat0 = 0;
    if (st == ZS_OK) {
        lon0 = (o->min_lon + o->max_lon) / 2.0;
        lat0 = (o->min_lat + o->max_lat) / 2.0;
        zs_profile_defaults(&van, "van", &err);
        st = zs_roads_build(o, &van, lon0, lat0, osm_path, &g, &err);
    }
    if (st == ZS_OK)
        st = zs_streetgen_run(o, g, lon0, lat0, &go, &p, &err);
    if (st == ZS_OK && o_station) {
        double x, y;
        zs_snap s;
        zs_lonlat_project(lon0, lat0, st_lon, st_lat, &x, &y);
        if (!zs_roads_snap(g, x, y, 250.0, &s))
            st = zs_err_set(&err, ZS_EINPUT, "--station %s: not within 250 m of a street of the "
                            "extract", o_station);
    }
    if (st == ZS_OK && !o_station) {
        /* The street node nearest the parcel-weighted centre. */
        double sx = 0, sy = 0, w = 0;
        for (size_t i = 0; i < p->n; i++) {
            sx += p->parcels[i] * p->x[i];
            sy += p->parcels[i] * p->y[i];
            w += p->parcels[i];
        }
        sx /= w;
        sy /= w;
        size_t best = 0;
        double bd = HUGE_VAL;
        for (size_t i = 0; i < g->n; i++) {
            double d = hypot(g->x[i] - sx, g->y[i] - sy);
            if (d < bd) {
                bd = d;
                best = i;
            }
        }
        zs_lonlat_unproject(lon0, lat0, g->x[best], g->y[best], &st_lon, &st_lat);
    }
    size_t nb = 0;
    if (st == ZS_OK) {
        for (size_t i = 0; i < p->n; i++)
            nb += p->id[i][0] == 'B';
        st = zs_points_write_csv(p, output, &err);
    }
    if (st == ZS_OK)
        fprintf(stderr,
                "zonesim: wrote %zu points to %s (%zu on buildings, %zu along streets of %.0f "
                "km)\nzonesim: station at lon %.6f, lat %.6f (scenario: depot: [%.6f, %.6f])\n",
                p->n, output, nb, p->n - nb, g->km, st_lon, st_lat, st_lon, st_lat);
    zs_points_free(p);
    zs_roads_free(g);
    zs_osm_free(o);
    return st == ZS_OK ? 0 : zs_cli_fail(&err);
}
