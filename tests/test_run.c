/* Tests of engine/run: the pipeline from a parsed scenario to a results
 * file, its errors with their scenario places, and allocation failures. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results/h5out.h"
#include "pipeline/run.h"
#include "models/alloc.h"
#include "check.h"

static zs_scenario *parse(const char *text)
{
    zs_scenario *sc = NULL;
    zs_err err;
    if (zs_scenario_parse(text, strlen(text), "r.yaml", "scenarios/tests", &sc, &err) != ZS_OK)
        printf("      parse: %s\n", err.msg);
    return sc;
}

int main(void)
{
    const char *tmp = getenv("ZS_TMP") ? getenv("ZS_TMP") : "/tmp";
    char out[512];
    snprintf(out, sizeof out, "%s/test_run.h5", tmp);
    unlink(out);

    /* A generated city: the capacity rule gives k from expected stops. */
    zs_scenario *sc = parse("points:\n  generate: {seed: 2, n_points: 120, width_km: 2, height_km: 2}\n"
                            "plans:\n  - {name: a}\n  - {name: b, k: 3}\n"
                            "simulation: {days: 3, replications: 4, seed: 8}\n");
    CHECK(sc != NULL, "scenario parses");
    if (!sc)
        return zs_test_done();
    zs_run_opts ro;
    zs_run_opts_defaults(&ro);
    ro.output = out;
    ro.threads = 2;
    zs_run_info info;
    zs_err err;
    zs_status st = zs_run_scenario(sc, &ro, &info, &err);
    CHECK(st == ZS_OK, "pipeline runs");
    if (st != ZS_OK)
        printf("      %s\n", err.msg);
    CHECK(info.n_points == 120 && info.threads == 2, "run info: points and threads");
    CHECK(info.auto_k == zs_partition_capacity_k(info.expected_stops, 3.5, 8.0),
          "auto k follows the capacity rule on expected stops (%zu)", info.auto_k);
    zs_h5_overview *o = NULL;
    st = zs_h5out_read_overview(out, &o, &err);
    CHECK(st == ZS_OK && o && o->n_plans == 2 && o->plans[0].k == info.auto_k && o->plans[1].k == 3,
          "results file holds both plans with their k");
    CHECK(o && o->reps == 4 && o->days == 3 && o->seed == 8, "results file records size and seed");
    zs_h5_overview_free(o);

    /* Allocation failures anywhere in the pipeline: ENOMEM, no results
     * file, no leak, no open HDF5 object. */
    int ok = 1, n = 0;
    for (long i = 0; i < 2000; i++) {
        unlink(out);
        zs_alloc_fail_after(i);
        st = zs_run_scenario(sc, &ro, NULL, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        n++;
        if (st != ZS_ENOMEM || access(out, F_OK) == 0 || zs_h5out_open_objects() != 0) {
            printf("      failure point %ld: %s\n", i, err.msg);
            ok = 0;
        }
    }
    CHECK(ok && n > 20, "every allocation failure gives ZS_ENOMEM and no results file (%d points)", n);
    zs_scenario_free(sc);

    /* k larger than the points: named at k's place in the scenario. */
    unlink(out);
    sc = parse("points:\n  generate: {n_points: 5}\nplans:\n  - {name: a, k: 9}\n");
    if (sc) {
        st = zs_run_scenario(sc, &ro, NULL, &err);
        CHECK(st == ZS_EINVAL, "k > n is an invalid value");
        CHECK_CONTAINS(err.msg, "r.yaml:4:18: plans[0].k = 9 exceeds the number of points (5)",
                       "k > n names its place");
        CHECK(access(out, F_OK) != 0, "no results file after k > n");
        zs_scenario_free(sc);
    }
    /* A manual plan from a CSV, and one from the points' zone column. */
    sc = parse("points: {file: data/points-12.csv, columns: {zone: type}}\n"
               "plans:\n  - {name: by-type, method: manual}\n"
               "  - {name: file, method: manual, file: data/zones-12.csv, columns: {id: point, zone: courier}}\n"
               "simulation: {days: 2, replications: 2}\n");
    CHECK(sc != NULL, "manual scenario parses");
    if (sc) {
        st = zs_run_scenario(sc, &ro, &info, &err);
        CHECK(st == ZS_OK, "manual plans run");
        if (st != ZS_OK)
            printf("      %s\n", err.msg);
        o = NULL;
        if (st == ZS_OK && zs_h5out_read_overview(out, &o, &err) == ZS_OK) {
            CHECK(o->plans[0].k == 7 && !strcmp(o->plans[0].label[0], "residential"),
                  "zones from the points' zone column keep their labels");
            CHECK(o->plans[1].k == 3 && !strcmp(o->plans[1].label[2], "south"),
                  "zones from a plan file keep their labels");
        }
        zs_h5_overview_free(o);
        zs_scenario_free(sc);
    }
    /* An incomplete planner's file: the error names the plan. */
    sc = parse("points: {file: data/points-12.csv}\n"
               "plans:\n  - {name: partial, method: manual, file: data/zones-partial.csv}\n");
    if (sc) {
        st = zs_run_scenario(sc, &ro, NULL, &err);
        CHECK(st == ZS_EINPUT, "a zoning that misses points is an input error");
        CHECK_CONTAINS(err.msg, "plan 'partial': scenarios/tests/data/zones-partial.csv: point 'B2' has no zone",
                       "the message names the plan, the file and the first missing point");
        zs_scenario_free(sc);
    }
    unlink(out);
    return zs_test_done();
}
