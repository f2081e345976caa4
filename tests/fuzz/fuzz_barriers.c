/* tests/fuzz/fuzz_barriers.c -- AFL++ harness: a barrier GeoJSON file
 * through zs_barriers_load, against a points file in metres and one in
 * lon/lat (the two ways a file is read), then one crossing query.
 * usage: fuzz_barriers FILE POINTS_METRES.csv POINTS_LONLAT.csv */
#include "fuzz_common.h"
#include "network/barriers.h"

static zs_status load(const char *path, const char *points, int lonlat, zs_err *err)
{
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    if (lonlat) {
        o.lonlat = 1;
        o.col_x = "lon";
        o.col_y = "lat";
    }
    zs_points *p = NULL;
    zs_status st = zs_points_load_csv(points, &o, &p, err);
    if (st != ZS_OK) {
        fprintf(stderr, "fuzz_barriers: %s\n", err->msg);
        exit(1); /* the fixed points file is the harness's own input */
    }
    zs_barriers *b = NULL;
    st = zs_barriers_load(path, p, &b, err);
    if (st == ZS_OK)
        (void)zs_barriers_cross(b, p->x[0], p->y[0], p->x[p->n - 1], p->y[p->n - 1]);
    zs_barriers_free(b);
    zs_points_free(p);
    return st;
}

int main(int argc, char **argv)
{
    fuzz_start(argc, argv, 3, "BARRIERS.geojson POINTS_METRES.csv POINTS_LONLAT.csv");
    zs_err err;
    zs_status st = load(argv[1], argv[2], 0, &err);
    zs_status st2 = load(argv[1], argv[3], 1, &err);
    return fuzz_done(st == ZS_OK ? st2 : st, &err);
}
