/* tests/fuzz/fuzz_scenario.c -- AFL++ harness: a scenario YAML file through
 * zs_scenario_load (libyaml, the keys table, value checks).
 * usage: fuzz_scenario FILE */
#include "fuzz_common.h"
#include "pipeline/scenario.h"

int main(int argc, char **argv)
{
    fuzz_start(argc, argv, 1, "SCENARIO.yaml");
    zs_err err;
    zs_scenario *sc = NULL;
    zs_status st = zs_scenario_load(argv[1], &sc, &err);
    zs_scenario_free(sc);
    return fuzz_done(st, &err);
}
