/* tests/fuzz/fuzz_cpmp.c -- AFL++ harness: a capacitated p-median file
 * through zs_cpmp_load (both distance rules) and zs_cpmp_distances.
 * usage: fuzz_cpmp FILE */
#include "fuzz_common.h"
#include "input/bench_io.h"
#include "models/alloc.h"

int main(int argc, char **argv)
{
    fuzz_start(argc, argv, 1, "CPMP.txt");
    zs_err err;
    zs_status st = ZS_OK;
    for (int r = 0; r < 2; r++) {
        zs_cpmp *c = NULL;
        st = zs_cpmp_load(argv[1], r ? ZS_CPMP_DIST_EUCLID : ZS_CPMP_DIST_FLOOR, &c, &err);
        double *d = NULL;
        if (st == ZS_OK)
            st = zs_cpmp_distances(c, &d, &err);
        zs_free(d);
        zs_cpmp_free(c);
    }
    return fuzz_done(st, &err);
}
