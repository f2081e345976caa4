/* Tests of engine/scenario: parsing, defaults, and every error's place. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/scenario.h"
#include "models/alloc.h"
#include "check.h"

static zs_status parse(const char *text, zs_scenario **sc, zs_err *err)
{
    return zs_scenario_parse(text, strlen(text), "t.yaml", ".", sc, err);
}

/* Expects parsing to fail with code and exactly the message msg. */
static void expect_error(const char *text, zs_status code, const char *msg, const char *desc)
{
    zs_scenario *sc = NULL;
    zs_err err;
    zs_err_clear(&err);
    zs_status st = parse(text, &sc, &err);
    CHECK(st == code && sc == NULL, "%s: status %s", desc, zs_status_name(code));
    CHECK(strcmp(err.msg, msg) == 0, "%s: message", desc);
    if (strcmp(err.msg, msg) != 0)
        printf("      expected: %s\n      got:      %s\n", msg, err.msg);
    zs_scenario_free(sc);
}

static const char *minimal = "points:\n  generate:\n    n_points: 100\n";

static void test_defaults(void)
{
    zs_scenario *sc = NULL;
    zs_err err;
    zs_status st = parse(minimal, &sc, &err);
    CHECK(st == ZS_OK, "minimal scenario parses");
    if (!sc)
        return;
    CHECK(sc->points_generated == 1 && sc->gen.n_points == 100, "generate recipe read");
    CHECK(sc->n_plans == 1 && !strcmp(sc->plans[0].name, "kmeans") && sc->plans[0].k == 0,
          "default plan is k-means at the capacity rule");
    CHECK(sc->shift_hours == 8.0 && sc->shift_start_h == 9.0, "default shift 09:00 for 8 h");
    CHECK(sc->eff.stops_per_hour == 3.5, "default 3.5 stops per hour");
    CHECK(sc->depot[0] == sc->gen.station_x && sc->depot[1] == sc->gen.station_y,
          "depot defaults to the generator's station");
    CHECK(zs_scenario_shift_min(sc) == 480.0, "shift is 480 minutes");
    CHECK(!strcmp(sc->text, minimal), "scenario text kept verbatim");
    zs_scenario_free(sc);
}

static void test_full(void)
{
    const char *text =
        "name: full\n"
        "points:\n"
        "  generate: {seed: 9, n_points: 500, width_km: 5, height_km: 4, mean_parcels: 1.5,\n"
        "             share: {residential: 1, office: 0}}\n"
        "depot: [100, -200.5]\n"
        "shift: {start: \"08:30\", hours: 7.5}\n"
        "efficiency: {stops_per_hour: 4, speed_kmh: 20, circuity: 1.2, stop_min: 5, parcel_min: 1}\n"
        "demand: {weekday_factor: [1.2, 1, 1, 1, 1.2, 0.7, 0.6]}\n"
        "plans:\n"
        "  - {name: a, method: kmeans, k: 7, seed: 3, restarts: 2, max_iter: 50, weighted: true}\n"
        "  - name: b\n"
        "    k: auto\n"
        "simulation: {days: 14, replications: 10, seed: 42, threads: 2, start_date: 2026-11-23}\n"
        "output: out/x.h5\n";
    zs_scenario *sc = NULL;
    zs_err err;
    zs_status st = parse(text, &sc, &err);
    CHECK(st == ZS_OK, "full scenario parses");
    if (st != ZS_OK) {
        printf("      %s\n", err.msg);
        return;
    }
    CHECK(!strcmp(sc->name, "full"), "name");
    CHECK(sc->gen.seed == 9 && sc->gen.n_points == 500 && sc->gen.width_km == 5 &&
          sc->gen.height_km == 4 && sc->gen.mean_parcels == 1.5, "generate fields");
    CHECK(sc->gen.share[0] == 1 && sc->gen.share[1] == 0, "type shares");
    CHECK(sc->depot_given && sc->depot[0] == 100 && sc->depot[1] == -200.5, "depot");
    CHECK(sc->shift_start_h == 8.5 && sc->shift_hours == 7.5, "shift");
    CHECK(sc->eff.stops_per_hour == 4 && sc->eff.speed_kmh == 20 && sc->eff.circuity == 1.2 &&
          sc->eff.stop_min == 5 && sc->eff.parcel_min == 1, "efficiency");
    CHECK(sc->demand.weekday_factor[0] == 1.2 && sc->demand.weekday_factor[6] == 0.6, "weekday factors");
    CHECK(sc->n_plans == 2, "two plans");
    CHECK(sc->plans[0].k == 7 && sc->plans[0].part.kmeans.seed == 3 && sc->plans[0].part.kmeans.restarts == 2 &&
          sc->plans[0].part.kmeans.max_iter == 50 && sc->plans[0].part.kmeans.weighted == 1, "plan a fields");
    CHECK(!strcmp(sc->plans[1].name, "b") && sc->plans[1].k == 0 &&
          sc->plans[1].method == ZS_PLAN_COMPUTED, "plan b: auto k, default method");
    CHECK(sc->plans[0].k_at.line == 10, "k's line remembered for later errors");
    CHECK(sc->days == 14 && sc->replications == 10 && sc->seed == 42 && sc->threads == 2,
          "simulation fields");
    CHECK(sc->start_date.year == 2026 && sc->start_date.month == 11 && sc->start_date.day == 23,
          "start date");
    CHECK(!strcmp(sc->output, "out/x.h5"), "output");
    zs_scenario_free(sc);
}

static void test_paths(void)
{
    zs_scenario *sc = NULL;
    zs_err err;
    const char *text = "points:\n  file: data/city.csv\n  coords: lonlat\n"
                       "  columns: {id: order_id, x: lng, y: lat, zone: courier_id}\n"
                       "plans:\n  - {name: current, method: manual}\n";
    zs_status st = zs_scenario_parse(text, strlen(text), "tests/s.yaml", "tests", &sc, &err);
    /* tests/data/city.csv does not exist: the error names the place. */
    CHECK(st == ZS_EINPUT, "missing points file is an input error");
    CHECK_CONTAINS(err.msg, "tests/s.yaml:2:9: points.file: cannot read 'tests/data/city.csv'",
                   "relative points path resolved against the scenario's directory");
    zs_scenario_free(sc);
    sc = NULL;
    const char *t2 = "points:\n  file: test_scenario.c\n  coords: lonlat\n"
                     "  columns: {id: order_id, x: lng, y: lat, zone: courier_id}\n"
                     "plans:\n  - {name: current, method: manual}\n";
    st = zs_scenario_parse(t2, strlen(t2), "tests/s.yaml", "tests", &sc, &err);
    CHECK(st == ZS_OK, "existing points file accepted");
    if (sc) {
        CHECK(!strcmp(sc->points_file, "tests/test_scenario.c"), "resolved path");
        CHECK(sc->lonlat == 1 && !strcmp(sc->col_x, "lng") && !strcmp(sc->col_zone, "courier_id"),
              "column mapping and coords");
        CHECK(sc->plans[0].method == ZS_PLAN_MANUAL && sc->plans[0].file == NULL,
              "manual plan from the points' zone column");
    }
    zs_scenario_free(sc);
}

static void test_encoding_keys(void)
{
    expect_error("points:\n  file: p.csv\n  encoding: klingon\n", ZS_EINPUT,
                 "t.yaml:3:13: points.encoding: unknown encoding 'klingon' (e.g. utf-8, gbk, "
                 "gb18030, big5, latin1; `iconv -l` lists them)",
                 "unknown points.encoding");
    expect_error("points:\n  file: p.csv\nplans:\n  - {name: m, method: manual, file: z.csv, "
                 "encoding: nope}\n",
                 ZS_EINPUT,
                 "t.yaml:4:54: plans[0].encoding: unknown encoding 'nope' (e.g. utf-8, gbk, "
                 "gb18030, big5, latin1; `iconv -l` lists them)",
                 "unknown plans[].encoding");
    zs_scenario *sc = NULL;
    zs_err err;
    zs_err_clear(&err);
    CHECK(parse("points:\n  file: tests/data/pts_ok.csv\n  encoding: GB18030\nplans:\n  - {name: m, "
                "method: manual, file: tests/data/partition_ok.csv, encoding: gbk}\n",
                &sc, &err) == ZS_OK,
          "encodings parse (%s)", err.msg);
    if (sc) {
        CHECK(sc->encoding && !strcmp(sc->encoding, "GB18030") && sc->plans[0].encoding &&
                  !strcmp(sc->plans[0].encoding, "gbk"),
              "encodings kept as given");
        zs_scenario_free(sc);
    }
    sc = NULL;
    CHECK(parse(minimal, &sc, &err) == ZS_OK && sc && !sc->encoding, "default encoding: none (UTF-8)");
    zs_scenario_free(sc);
}

static void test_errors(void)
{
    expect_error("points: [1, 2\n", ZS_EINPUT,
                 "t.yaml:2:1: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'",
                 "malformed YAML");
    expect_error("", ZS_EINPUT, "t.yaml:1:1: empty scenario (expected at least a 'points' section)",
                 "empty file");
    expect_error("name: x\n", ZS_EINPUT,
                 "t.yaml:1:1: missing section 'points' (give points.file or points.generate)",
                 "no points section");
    expect_error("points:\n  generate: {n_points: 10}\nsimulaton: {days: 3}\n", ZS_EINPUT,
                 "t.yaml:3:1: unknown key 'simulaton' (expected one of: name, points, depot, shift, "
                 "efficiency, vehicle, absence, roads, demand, plans, models, disruptions, simulation, barriers, network, output, staffing, service, study, dispatch, windows, zones)",
                 "misspelt section");
    expect_error("points:\n  generate: {n_points: 10}\nsimulation:\n  replicatons: 3\n", ZS_EINPUT,
                 "t.yaml:4:3: unknown key 'replicatons' in simulation (expected one of: days, "
                 "replications, seed, threads, route_policy, start_date)",
                 "misspelt key");
    expect_error("points:\n  generate: {n_points: 10}\nsimulation:\n  days: ten\n", ZS_EINPUT,
                 "t.yaml:4:9: simulation.days: expected an integer, got 'ten'", "a word for a number");
    expect_error("points:\n  generate: {n_points: 10}\nsimulation:\n  days: \"10\"\n", ZS_EINPUT,
                 "t.yaml:4:9: simulation.days: expected an integer, got a quoted string",
                 "a quoted number");
    expect_error("points:\n  generate: {n_points: 10}\nsimulation:\n  replications: 0\n", ZS_EINVAL,
                 "t.yaml:4:17: simulation.replications = 0; must be >= 1", "zero replications");
    expect_error("points:\n  generate: {n_points: 10}\nsimulation:\n  replications: -4\n", ZS_EINVAL,
                 "t.yaml:4:17: simulation.replications = -4; must be >= 1", "negative replications");
    expect_error("points:\n  generate: {n_points: 10}\nefficiency: {speed_kmh: 0}\n", ZS_EINVAL,
                 "t.yaml:3:25: efficiency.speed_kmh = 0; must be >= 0.1", "zero speed");
    expect_error("points:\n  generate: {n_points: 10, mean_parcels: -1}\n", ZS_EINVAL,
                 "t.yaml:2:42: points.generate.mean_parcels = -1; must be >= 1e-06",
                 "negative parcels");
    expect_error("points:\n  generate: {n_points: 10}\ndemand: {weekday_factor: [1, 1, 1]}\n", ZS_EINPUT,
                 "t.yaml:3:26: demand.weekday_factor: expected 7 numbers, got 3", "six weekday factors");
    expect_error("points:\n  generate: {n_points: 10}\ndemand: {weekday_factor: [1, 1, 1, x, 1, 1, 1]}\n",
                 ZS_EINPUT, "t.yaml:3:36: demand.weekday_factor[3]: expected a number, got 'x'",
                 "a word among weekday factors");
    expect_error("points:\n  generate: {n_points: 10}\nshift: {start: 9am}\n", ZS_EINPUT,
                 "t.yaml:3:16: shift.start: expected a time HH:MM, got '9am'", "bad time");
    expect_error("points:\n  generate: {n_points: 10}\nsimulation: {start_date: 2026-02-30}\n", ZS_EINPUT,
                 "t.yaml:3:26: simulation.start_date: expected a date YYYY-MM-DD, got '2026-02-30'",
                 "impossible date");
    expect_error("points:\n  generate: {n_points: 10}\n  file: x.csv\n", ZS_EINPUT,
                 "t.yaml:2:3: points: 'file' and 'generate' exclude each other", "file and generate");
    expect_error("points:\n  coords: lonlat\n", ZS_EINPUT, "t.yaml:2:3: points: give 'file' or 'generate'",
                 "neither file nor generate");
    expect_error("points:\n  generate: {n_points: 10}\nplans:\n  - {name: a}\n  - {name: a}\n", ZS_EINPUT,
                 "t.yaml:5:5: plans[1].name 'a' is used twice (also plans[0])", "duplicate plan names");
    expect_error("points:\n  generate: {n_points: 10}\nplans:\n  - {name: a/b}\n", ZS_EINPUT,
                 "t.yaml:4:5: plans[0].name 'a/b': must not contain '/' or be '.'/'..'",
                 "plan name with a slash");
    expect_error("points:\n  generate: {n_points: 10}\nplans:\n  - {name: a, method: hexagons}\n", ZS_EINPUT,
                 "t.yaml:4:23: plans[0].method: unknown method 'hexagons' (expected manual, kmeans, kmeans-density, kmeans-balanced, kmeans-two-stage, grid, voronoi, balanced-flow, pmedian-ip or territory)",
                 "unknown method");
    expect_error("points:\n  generate: {n_points: 10}\nplans:\n  - {name: a, k: many}\n", ZS_EINPUT,
                 "t.yaml:4:18: plans[0].k: expected an integer, got 'many'", "k not a number");
    expect_error("points:\n  generate: {n_points: 10}\nplans:\n  - {name: m, method: manual}\n", ZS_EINPUT,
                 "t.yaml:4:5: plans[0] 'm': a manual plan needs 'file' or a points.columns.zone column",
                 "manual plan without zones");
    expect_error("points:\n  generate: {n_points: 10}\nplans: []\n", ZS_EINPUT,
                 "t.yaml:3:8: plans: the list is empty", "empty plan list");
    expect_error("points:\n  generate: {n_points: 10}\nplans:\n  - {name: a, colour: red}\n", ZS_EINPUT,
                 "t.yaml:4:15: unknown key 'colour' in plans[0] (expected one of: name, method, k, seed, "
                 "restarts, max_iter, weighted, tolerance, merge_isolated, balance_rounds, exact_balance, time_limit_s, mip_gap, on_infeasible, repair, starts, pocket_share, file, encoding, vehicle, columns)",
                 "unknown plan key");
    expect_error("points:\n  generate: {n_points: 10}\n  generate: {n_points: 20}\n", ZS_EINPUT,
                 "t.yaml:3:3: duplicate key 'generate' (first on line 2)", "duplicate key");
    expect_error("points:\n  generate: {n_points: 10, share: {castle: 1}}\n", ZS_EINPUT,
                 "t.yaml:2:36: unknown key 'castle' in points.generate.share (expected one of: "
                 "residential, office, school, hospital, factory, village, institution, military, "
                 "shop, other, locker, pickup_station)",
                 "unknown point type in shares");
    expect_error("points:\n  generate: {n_points: 10}\nsimulation: 5\n", ZS_EINPUT,
                 "t.yaml:3:13: simulation: expected a mapping, got a scalar", "scalar for a section");
    expect_error("- a\n- b\n", ZS_EINPUT, "t.yaml:1:1: expected a mapping of keys at the top level, got a list",
                 "a list at the top");
}

static void test_alloc_failures(void)
{
    const char *text =
        "points:\n  generate: {n_points: 10}\nplans:\n  - {name: a}\n  - {name: b, k: 3}\n";
    int ok = 1, n = 0;
    for (long i = 0; i < 500; i++) {
        zs_scenario *sc = NULL;
        zs_err err;
        zs_alloc_fail_after(i);
        zs_status st = parse(text, &sc, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK) {
            zs_scenario_free(sc);
            break;
        }
        n++;
        if (st != ZS_ENOMEM || sc != NULL)
            ok = 0;
    }
    CHECK(ok && n > 5, "every allocation failure gives ZS_ENOMEM and no object (%d points)", n);
}

static void test_keys_table(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    zs_scenario_write_keys(f);
    fclose(f);
    CHECK_CONTAINS(buf, "| `simulation.replications` | integer | 1 .. 1e+07 | 32 |", "keys table lists replications with default");
    CHECK_CONTAINS(buf, "| `efficiency.stops_per_hour` | number | 0.01 .. 1000 | 3.5 | stops/h |", "keys table lists stops per hour");
    /* scenarios/README.md ends with this very table, so the documentation
     * cannot drift from the parser (regenerate with `zonesim keys`). */
    FILE *r = fopen("scenarios/README.md", "r");
    CHECK(r != NULL, "scenarios/README.md exists");
    if (r) {
        static char doc[1 << 17];
        size_t got = fread(doc, 1, sizeof doc - 1, r);
        doc[got] = '\0';
        fclose(r);
        CHECK(got >= len && strcmp(doc + got - len, buf) == 0,
              "scenarios/README.md ends with the current 'zonesim keys' table");
    }
    free(buf);
}

static void test_demand_keys(void)
{
    const char *text =
        "points:\n  generate: {n_points: 10}\n"
        "demand:\n"
        "  nb_size: 4\n"
        "  month_factor: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.3, 1.5]\n"
        "  events:\n"
        "    - {name: double-11, start: 2026-11-11, days: 3, factor: 2.5}\n"
        "    - {start: 2026-12-12, days: 1, factor: 1.8}\n";
    zs_scenario *sc = NULL;
    zs_err err;
    zs_status st = parse(text, &sc, &err);
    CHECK(st == ZS_OK, "demand with events, seasons and overdispersion parses");
    if (st != ZS_OK) {
        printf("      %s\n", err.msg);
        return;
    }
    zs_date d11;
    zs_date_parse("2026-11-11", &d11);
    CHECK(sc->demand.nb_size == 4 && sc->demand.month_factor[11] == 1.5, "nb_size and month factors");
    CHECK(sc->demand.n_events == 2 && sc->demand.events[0].first_day == zs_date_to_days(d11) &&
          sc->demand.events[0].days == 3 && sc->demand.events[0].factor == 2.5 &&
          sc->demand.events[1].factor == 1.8, "two events read");
    zs_scenario_free(sc);
    expect_error("points:\n  generate: {n_points: 10}\ndemand:\n  events:\n    - {start: 2026-11-11, days: 0, factor: 2}\n",
                 ZS_EINVAL, "t.yaml:5:33: demand.events[0].days = 0; must be >= 1", "an event of zero days");
    expect_error("points:\n  generate: {n_points: 10}\ndemand:\n  events:\n    - {start: 2026-11-11, factor: 2}\n",
                 ZS_EINPUT, "t.yaml:5:7: demand.events[0]: needs start, days and factor", "an event without days");
    expect_error("points:\n  generate: {n_points: 10}\ndemand:\n  events:\n    - {start: 2026-11-11, days: 2, factor: 2, colour: red}\n",
                 ZS_EINPUT, "t.yaml:5:47: unknown key 'colour' in demand.events[0] (expected one of: name, start, days, factor)",
                 "an unknown event key");
    expect_error("points:\n  generate: {n_points: 10}\ndemand: {month_factor: [1, 2]}\n",
                 ZS_EINPUT, "t.yaml:3:24: demand.month_factor: expected 12 numbers, got 2", "two month factors");
}

static void test_disruptions(void)
{
    const char *text =
        "points:\n  generate: {n_points: 10}\n"
        "shift: {max_overtime_h: 2}\n"
        "simulation: {route_policy: fixed}\n"
        "efficiency: {courier_cv: 0.15, access_min: {residential: 3}}\n"
        "disruptions:\n"
        "  - {type: weather, start: 2026-11-20, days: 2, travel_factor: 1.4}\n"
        "  - {type: scan_delay, start: 2026-11-21, days: 1, delay_min: 60}\n";
    zs_scenario *sc = NULL;
    zs_err err;
    zs_status st = parse(text, &sc, &err);
    CHECK(st == ZS_OK, "disruptions, route policy and overtime limit parse");
    if (st != ZS_OK) {
        printf("      %s\n", err.msg);
        return;
    }
    CHECK(sc->max_overtime_h == 2 && sc->fixed_routes == 1 && sc->eff.courier_cv == 0.15 &&
          sc->eff.access_min[ZS_PT_RESIDENTIAL] == 3, "overtime limit, fixed routes, pace and access");
    CHECK(sc->n_disruptions == 2 && sc->disruptions[0].kind == ZS_DISRUPT_SLOW &&
          sc->disruptions[0].travel_factor == 1.4 && sc->disruptions[0].days == 2 &&
          sc->disruptions[1].kind == ZS_DISRUPT_SCAN_DELAY && sc->disruptions[1].delay_min == 60,
          "a weather slowdown and a scan delay read");
    zs_scenario_free(sc);
    expect_error("points:\n  generate: {n_points: 10}\ndisruptions:\n  - {type: flood, start: 2026-11-20, days: 1}\n",
                 ZS_EINPUT, "t.yaml:4:12: disruptions[0].type: expected weather, traffic, scan_delay or absence, got 'flood'",
                 "an unknown disruption type");
    expect_error("points:\n  generate: {n_points: 10}\ndisruptions:\n  - {type: weather, start: 2026-11-20, days: 1}\n",
                 ZS_EINPUT, "t.yaml:4:5: disruptions[0]: needs type, start, days and travel_factor (weather, traffic), delay_min (scan_delay) or couriers or share (absence)",
                 "a weather day without its factor");
    expect_error("points:\n  generate: {n_points: 10}\nsimulation: {route_policy: sometimes}\n",
                 ZS_EINPUT, "t.yaml:3:28: simulation.route_policy: expected daily or fixed, got 'sometimes'",
                 "an unknown route policy");
}

/* Issue 4 keys: absence, vehicles, the road column, time-of-day signing. */
static void test_stochastic_keys(void)
{
    const char *text =
        "points:\n  file: Makefile\n  columns: {road: lanes}\n"
        "absence: {rate: 0.04}\n"
        "vehicle: {type: tricycle, reload_min: 7, foot: {speed_kmh: 5, speed_cv: 0.1, capacity: 9}}\n"
        "models:\n  signing:\n    work_start: \"08:30\"\n    work_end: \"19:00\"\n"
        "    success_off_hours: {office: 0.25, residential: same, school: 0.9}\n"
        "plans:\n  - {name: a}\n  - {name: b, vehicle: foot}\n  - {name: c, vehicle: none}\n"
        "disruptions:\n"
        "  - {type: absence, start: 2026-11-20, days: 2, couriers: 3}\n"
        "  - {type: absence, start: 2026-11-21, days: 1, share: 0.2}\n"
        "  - {type: absence, start: 2026-11-21, days: 1, share: 0.9, couriers: 1}\n";
    zs_scenario *sc = NULL;
    zs_err err;
    zs_status st = parse(text, &sc, &err);
    CHECK(st == ZS_OK, "absence, vehicle, road and signing-hours keys parse");
    if (st != ZS_OK) {
        printf("      %s\n", err.msg);
        return;
    }
    CHECK(sc->absence.rate == 0.04 && !strcmp(sc->col_road, "lanes"), "absence rate and road column");
    CHECK(sc->vehicle_type == ZS_VEH_TRICYCLE && sc->fleet.reload_min == 7 &&
              sc->fleet.kind[ZS_VEH_FOOT].speed_kmh == 5 && sc->fleet.kind[ZS_VEH_FOOT].capacity == 9 &&
              sc->fleet.kind[ZS_VEH_VAN].capacity == 300,
          "vehicle type, reload minutes and one kind's parameters (others default)");
    CHECK(zs_scenario_plan_vehicle(sc, 0) == ZS_VEH_TRICYCLE && zs_scenario_plan_vehicle(sc, 1) == ZS_VEH_FOOT &&
              zs_scenario_plan_vehicle(sc, 2) == ZS_VEH_NONE,
          "plans inherit vehicle.type unless they name their own (or none)");
    CHECK(sc->signing.work_start_h == 8.5 && sc->signing.work_end_h == 19.0 &&
              sc->signing.p_success_off[ZS_PT_OFFICE] == 0.25 &&
              sc->signing.p_success_off[ZS_PT_RESIDENTIAL] == ZS_SIGNING_SAME &&
              sc->signing.p_success_off[ZS_PT_SCHOOL] == 0.9 &&
              sc->signing.p_success_off[ZS_PT_SHOP] == ZS_SIGNING_SAME,
          "working hours and off-hours success (same kept where not given)");
    double c, sh;
    zs_scenario_absent_day(sc, zs_date_to_days((zs_date){2026, 11, 20}), &c, &sh);
    int d20 = c == 3 && sh == 0;
    zs_scenario_absent_day(sc, zs_date_to_days((zs_date){2026, 11, 21}), &c, &sh);
    int d21 = c == 4 && sh == 1.0;
    zs_scenario_absent_day(sc, zs_date_to_days((zs_date){2026, 11, 22}), &c, &sh);
    CHECK(sc->n_disruptions == 3 && sc->disruptions[0].kind == ZS_DISRUPT_ABSENCE &&
              sc->disruptions[0].travel_factor == 1.0 && d20 && d21 && c == 0 && sh == 0,
          "dated absences: couriers add up, shares add up capped at 1, none after");
    zs_scenario_free(sc);

    /* Areas of slower roads multiply each other and the points' column. */
    const char *rtext = "points:\n  generate: {n_points: 10}\n"
                        "roads:\n  - {name: old town, west: 0, east: 100, south: 0, north: 100, factor: 1.5}\n"
                        "  - {west: 50, factor: 2}\n";
    st = parse(rtext, &sc, &err);
    CHECK(st == ZS_OK && sc->n_road_areas == 2 && sc->road_areas[0].factor == 1.5 &&
              sc->road_areas[1].west == 50 && isinf(sc->road_areas[1].east) && isinf(sc->road_areas[1].south),
          "road areas parse; open sides are unbounded");
    zs_points *pts = st == ZS_OK ? zs_points_create(4, &err) : NULL;
    if (pts) {
        double xy[4][2] = {{10, 10}, {60, 60}, {200, 50}, {-10, 50}};
        for (int i = 0; i < 4; i++) {
            pts->x[i] = xy[i][0];
            pts->y[i] = xy[i][1];
        }
        st = zs_scenario_apply_roads(sc, pts, &err);
        CHECK(st == ZS_OK && pts->road && pts->road[0] == 1.5 && pts->road[1] == 3.0 &&
                  pts->road[2] == 2.0 && pts->road[3] == 1.0,
              "road factors: inside one area 1.5, inside both 3, east only 2, outside 1");
        st = zs_scenario_apply_roads(sc, pts, &err);
        CHECK(st == ZS_OK && pts->road[1] == 9.0, "applied to an existing column, factors multiply");
        zs_points_free(pts);
    }
    zs_scenario_free(sc);

    zs_scenario *def = NULL;
    st = parse(minimal, &def, &err);
    CHECK(st == ZS_OK && def->absence.rate == 0 && def->vehicle_type == ZS_VEH_NONE && !def->col_road &&
              zs_scenario_plan_vehicle(def, 0) == ZS_VEH_NONE &&
              def->signing.p_success_off[ZS_PT_OFFICE] == ZS_SIGNING_SAME,
          "defaults: no absence, no vehicle, no road column, signing the same all day");
    zs_scenario_free(def);

    const char *pre = "points:\n  generate: {n_points: 10}\n";
    char buf[512];
#define BAD(tail, code, msg, desc) \
    snprintf(buf, sizeof buf, "%s%s", pre, tail); \
    expect_error(buf, code, msg, desc)
    BAD("absence: {rate: 1.5}\n", ZS_EINVAL, "t.yaml:3:17: absence.rate = 1.5; must be <= 1", "absence rate above 1");
    BAD("vehicle: {type: bus}\n", ZS_EINPUT,
        "t.yaml:3:17: vehicle.type: expected none, van, tricycle, ebike or foot, got 'bus'", "unknown vehicle");
    BAD("vehicle: {ebike: {capacity: 0}}\n", ZS_EINVAL,
        "t.yaml:3:29: vehicle.ebike.capacity = 0; must be >= 1", "zero capacity");
    BAD("vehicle: {van: {wings: 2}}\n", ZS_EINPUT,
        "t.yaml:3:17: unknown key 'wings' in vehicle.van (expected one of: speed_kmh, speed_cv, capacity)",
        "unknown vehicle key");
    BAD("plans:\n  - {name: a, vehicle: rocket}\n", ZS_EINPUT,
        "t.yaml:4:24: plans[0].vehicle: expected none, van, tricycle, ebike or foot, got 'rocket'",
        "unknown plan vehicle");
    BAD("models: {signing: {success_off_hours: {office: 1.2}}}\n", ZS_EINVAL,
        "t.yaml:3:48: models.signing.success_off_hours.office = 1.2; must be <= 1", "off-hours above 1");
    BAD("models: {signing: {success_off_hours: {office: often}}}\n", ZS_EINPUT,
        "t.yaml:3:48: models.signing.success_off_hours.office: expected a number, got 'often'",
        "off-hours a word");
    BAD("models: {signing: {work_start: \"18:00\", work_end: \"09:00\"}}\n", ZS_EINVAL,
        "t.yaml:3:51: models.signing.work_end = 09:00; must be after work_start = 18:00",
        "working hours backwards");
    BAD("disruptions:\n  - {type: absence, start: 2026-11-20, days: 1}\n", ZS_EINPUT,
        "t.yaml:4:5: disruptions[0]: needs type, start, days and travel_factor (weather, traffic), delay_min (scan_delay) or couriers or share (absence)",
        "an absence without couriers or share");
    BAD("roads:\n  - {west: 0, east: 100, factor: 1.5}\n  - {north: 5}\n", ZS_EINPUT,
        "t.yaml:5:5: roads[1]: needs a factor", "a road area without a factor");
    BAD("roads:\n  - {west: 100, east: 0, factor: 1.5}\n", ZS_EINVAL,
        "t.yaml:4:5: roads[0]: an empty area (needs west < east and south < north)", "an empty road area");
    BAD("roads:\n  - {factor: 0.8}\n", ZS_EINVAL, "t.yaml:4:14: roads[0].factor = 0.8; must be >= 1",
        "a road area that speeds travel up");
    BAD("roads: {factor: 2}\n", ZS_EINPUT, "t.yaml:3:8: roads: expected a list of areas, got a mapping",
        "roads not a list");
    BAD("disruptions:\n  - {type: absence, start: 2026-11-20, days: 1, share: 2}\n", ZS_EINVAL,
        "t.yaml:4:56: disruptions[0].share = 2; must be <= 1", "an absence share above 1");
#undef BAD
}

/* Limits checked before the document is built (issue 22): nesting depth at
 * the node that goes too deep, whatever the depth of the file; size. */
static void test_limits(void)
{
    size_t depth = 200000, len = 0;
    char *t = malloc(2 * depth + 32);
    if (!t) {
        CHECK(0, "malloc");
        return;
    }
    len += (size_t)sprintf(t, "name: x\npoints: ");
    memset(t + len, '[', depth);
    memset(t + len + depth, ']', depth);
    len += 2 * depth;
    t[len] = '\0';
    zs_scenario *sc = NULL;
    zs_err err;
    zs_status st = zs_scenario_parse(t, len, "t.yaml", ".", &sc, &err);
    CHECK(st == ZS_EINPUT && !sc, "a 200,000-deep list: ZS_EINPUT");
    CHECK(strcmp(err.msg, "t.yaml:2:72: nested deeper than 64 lists and mappings; a scenario "
                          "needs a few levels") == 0,
          "... at the 65th level's line:column (%s)", err.msg);
    /* 64 levels are parsed (and then refused for what they hold) */
    len = (size_t)sprintf(t, "name: x\nextra: ");
    memset(t + len, '[', 63);
    memset(t + len + 63, ']', 63);
    len += 126;
    st = zs_scenario_parse(t, len, "t.yaml", ".", &sc, &err);
    CHECK(st != ZS_OK && !strstr(err.msg, "nested deeper"), "64 levels are within the limit (%s)",
          err.msg);
    free(t);
    size_t big = (size_t)ZS_SCENARIO_MAX_BYTES + 1;
    char *b = malloc(big);
    if (b) {
        memset(b, '#', big);
        st = zs_scenario_parse(b, big, "big.yaml", ".", &sc, &err);
        CHECK(st == ZS_EINPUT && strcmp(err.msg, "big.yaml: larger than 16 MiB; not a scenario "
                                                 "file") == 0,
              "a file over 16 MiB is refused (%s)", err.msg);
        free(b);
    }
}

int main(void)
{
    test_limits();
    test_defaults();
    test_full();
    test_paths();
    test_errors();
    test_encoding_keys();
    test_demand_keys();
    test_disruptions();
    test_stochastic_keys();
    test_alloc_failures();
    test_keys_table();
    return zs_test_done();
}
