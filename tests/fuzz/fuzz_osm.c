/* tests/fuzz/fuzz_osm.c -- AFL++ harness: an OpenStreetMap extract (XML,
 * PBF or gzipped) through zs_osm_load (libreadosm, ways, buildings).
 * usage: fuzz_osm FILE */
#include "fuzz_common.h"
#include "network/osm.h"

int main(int argc, char **argv)
{
    fuzz_start(argc, argv, 1, "EXTRACT.osm");
    zs_err err;
    zs_osm *o = NULL;
    zs_status st = zs_osm_load(argv[1], &o, &err);
    zs_osm_free(o);
    return fuzz_done(st, &err);
}
