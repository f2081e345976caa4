/* tests/fuzz/fuzz_zones.c -- AFL++ harness: a planner's zone file (id,zone)
 * through zs_partition_load_file against a fixed points file, with empty
 * labels refused and then filled from the nearest labelled point.
 * usage: fuzz_zones FILE POINTS.csv */
#include "fuzz_common.h"
#include "partition/partition.h"

int main(int argc, char **argv)
{
    fuzz_start(argc, argv, 2, "ZONES.csv POINTS.csv");
    zs_err err;
    zs_points *p = NULL;
    if (zs_points_load_csv(argv[2], NULL, &p, &err) != ZS_OK) {
        fprintf(stderr, "fuzz_zones: %s\n", err.msg);
        return 1; /* the fixed points file is the harness's own input */
    }
    zs_status st = ZS_OK;
    for (int nearest = 0; nearest < 2; nearest++) {
        zs_plan_file_opts fo;
        zs_plan_file_opts_defaults(&fo);
        fo.unassigned_nearest = nearest;
        zs_partition *part = NULL;
        st = zs_partition_load_file(p, argv[1], &fo, &part, &err);
        zs_partition_free(part);
    }
    zs_points_free(p);
    return fuzz_done(st, &err);
}
