/* tests/fuzz/fuzz_orlib.c -- AFL++ harness: an OR-Library p-median file
 * through zs_orlib_pmed_load (header, edge lines, shortest paths).
 * usage: fuzz_orlib FILE */
#include "fuzz_common.h"
#include "input/bench_io.h"

int main(int argc, char **argv)
{
    fuzz_start(argc, argv, 1, "PMED.txt");
    zs_err err;
    zs_orlib_pmed *g = NULL;
    zs_status st = zs_orlib_pmed_load(argv[1], &g, &err);
    zs_orlib_pmed_free(g);
    return fuzz_done(st, &err);
}
