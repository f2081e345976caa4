/* tests/fuzz/fuzz_points.c -- AFL++ harness: a points CSV through
 * zs_points_load_csv, once in metres with the default columns and once as
 * lon/lat with the optional columns (type, parcels, zone, road, windows)
 * asked for, then zs_points_index_ids.
 * usage: fuzz_points FILE */
#include "fuzz_common.h"
#include "input/points.h"

static zs_status load(const char *path, int full, zs_err *err)
{
    zs_points_opts o;
    zs_points_opts_defaults(&o);
    if (full) {
        o.lonlat = 1;
        o.col_x = "lon";
        o.col_y = "lat";
        o.col_zone = "zone";
        o.col_road = "road";
        o.col_win_open = "open";
        o.col_win_close = "close";
        o.skip_missing = 1;
        o.unassigned_nearest = 1;
    }
    zs_points *p = NULL;
    zs_status st = zs_points_load_csv(path, &o, &p, err);
    if (st == ZS_OK)
        st = zs_points_index_ids(p, err);
    zs_points_free(p);
    return st;
}

int main(int argc, char **argv)
{
    fuzz_start(argc, argv, 1, "POINTS.csv");
    zs_err err;
    zs_status st = load(argv[1], 0, &err);
    zs_status st2 = load(argv[1], 1, &err);
    return fuzz_done(st == ZS_OK ? st2 : st, &err);
}
