/* tests/test_bench_io.c -- the p-median benchmark readers (engine/
 * bench_io.h): OR-Library graphs (the last of a repeated edge counts,
 * shortest paths, self-loops, malformed lines with file:line:col, wrong
 * edge counts, disconnected graphs) and capacitated p-median files (floor
 * vs Euclidean rule chosen by name or given, malformed lines, negative
 * capacity or demand, wrong point counts).  Every fixture is a tiny file
 * written into a temporary directory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/bench_io.h"
#include "models/alloc.h"
#include "check.h"

static char dir[] = "/tmp/zs_bench_io_XXXXXX";

/* Writes text to dir/name and returns the path (static buffer per call
 * site is enough: callers copy nothing and use it at once). */
static const char *fixture(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        printf("FAIL: cannot write fixture %s\n", path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
    return path;
}

/* Loads an OR-Library fixture expected to fail; checks ZS_EINPUT and the
 * whole message "path:msg". */
static void orlib_err(const char *name, const char *text, const char *want, const char *desc)
{
    const char *path = fixture(name, text);
    char full[1024];
    snprintf(full, sizeof full, "%s%s", path, want);
    zs_orlib_pmed *g = (zs_orlib_pmed *)1;
    zs_err err;
    zs_status st = zs_orlib_pmed_load(path, &g, &err);
    CHECK(st == ZS_EINPUT && g == NULL, "orlib: %s gives ZS_EINPUT", desc);
    CHECK(strcmp(err.msg, full) == 0, "orlib: %s: message '%s'", desc, err.msg);
    if (strcmp(err.msg, full) != 0)
        printf("      expected: %s\n", full);
}

static void cpmp_err(const char *name, const char *text, const char *want, const char *desc)
{
    const char *path = fixture(name, text);
    char full[1024];
    snprintf(full, sizeof full, "%s%s", path, want);
    zs_cpmp *c = (zs_cpmp *)1;
    zs_err err;
    zs_status st = zs_cpmp_load(path, ZS_CPMP_DIST_AUTO, &c, &err);
    CHECK(st == ZS_EINPUT && c == NULL, "cpmp: %s gives ZS_EINPUT", desc);
    CHECK(strcmp(err.msg, full) == 0, "cpmp: %s: message '%s'", desc, err.msg);
    if (strcmp(err.msg, full) != 0)
        printf("      expected: %s\n", full);
}

static void test_orlib(void)
{
    /* 4 vertices; edge 1-2 appears twice, first cheap (1) then dear (7):
     * the LAST counts, so d(1,2) = min(7, 1-3-2 = 2 + 3) = 5, not 1. */
    const char *path = fixture("rep.txt", "4 5 2\n"
                                          "1 2 1\n"
                                          "1 3 2\n"
                                          "3 2 3\n"
                                          "2 4 4\n"
                                          "1 2 7\n");
    zs_orlib_pmed *g = NULL;
    zs_err err;
    zs_status st = zs_orlib_pmed_load(path, &g, &err);
    CHECK(st == ZS_OK && g, "orlib: 4-vertex file loads (%s)", st == ZS_OK ? "ok" : err.msg);
    if (st == ZS_OK) {
        CHECK(g->n == 4 && g->p == 2 && g->edges == 5, "orlib: n 4, p 2, 5 edge lines");
        const double *D = g->dist;
        CHECK(D[0 * 4 + 1] == 5.0 && D[1 * 4 + 0] == 5.0,
              "orlib: repeated edge 1-2: the last cost (7) counts, shortest path 1-3-2 = 5 "
              "(got %g)", D[1]);
        CHECK(D[0 * 4 + 3] == 9.0 && D[3 * 4 + 0] == 9.0, "orlib: d(1,4) = 5 + 4 = 9 (got %g)",
              D[3]);
        CHECK(D[2 * 4 + 3] == 7.0, "orlib: d(3,4) = 3 + 4 = 7 (got %g)", D[2 * 4 + 3]);
        int diag = 1, sym = 1;
        for (size_t i = 0; i < 4; i++) {
            diag &= D[i * 4 + i] == 0.0;
            for (size_t j = 0; j < 4; j++)
                sym &= D[i * 4 + j] == D[j * 4 + i];
        }
        CHECK(diag && sym, "orlib: zero diagonal, symmetric matrix");
    }
    zs_orlib_pmed_free(g);

    /* The other order: dear first, cheap last -> 1. */
    path = fixture("rep2.txt", "3 3 1\n1 2 7\n2 3 1\n1 2 1\n");
    st = zs_orlib_pmed_load(path, &g, &err);
    CHECK(st == ZS_OK && g->dist[1] == 1.0 && g->dist[2] == 2.0,
          "orlib: repeated edge, cheap cost last: d(1,2) = 1, d(1,3) = 2");
    zs_orlib_pmed_free(g);
    g = NULL;

    /* A time limit on the shortest paths (issue 22): one that has passed
     * before the first pivot gives a result without distances, not an
     * error; no limit (0) and a generous one give the full matrix. */
    path = fixture("rep3.txt", "3 3 1\n1 2 7\n2 3 1\n1 2 1\n");
    st = zs_orlib_pmed_load_within(path, 1e-9, &g, &err);
    CHECK(st == ZS_OK && g && g->timed_out && !g->dist && g->load_s > 0.0,
          "orlib within 1e-9 s: timed_out, no distances, seconds spent reported");
    zs_orlib_pmed_free(g);
    g = NULL;
    st = zs_orlib_pmed_load_within(path, 1e6, &g, &err);
    CHECK(st == ZS_OK && g && !g->timed_out && g->dist && g->dist[2] == 2.0,
          "orlib within 1e6 s: complete (d(1,3) = 2)");
    zs_orlib_pmed_free(g);
    g = NULL;
    st = zs_orlib_pmed_load_within(path, -1.0, &g, &err);
    CHECK(st == ZS_EINVAL && !g, "orlib within -1 s: ZS_EINVAL");

    /* A self-loop is accepted and ignored. */
    path = fixture("loop.txt", "2 2 1\n1 1 5\n1 2 3\n");
    st = zs_orlib_pmed_load(path, &g, &err);
    CHECK(st == ZS_OK && g->dist[0] == 0.0 && g->dist[1] == 3.0,
          "orlib: self-loop ignored (d(1,1) = 0, d(1,2) = 3)");
    zs_orlib_pmed_free(g);
    g = NULL;

    orlib_err("badcost.txt", "3 3 1\n1 2 5\n2 3 x\n1 3 9\n",
              ":3:5: edge cost: expected a number, got 'x'", "non-numeric cost");
    orlib_err("negcost.txt", "3 3 1\n1 2 5\n2 3 -1\n1 3 9\n", ":3:5: edge cost = -1; must be in [0, 1e+09]",
              "negative cost");
    orlib_err("hugecost.txt", "3 3 1\n1 2 1e308\n2 3 1\n1 3 9\n",
              ":2:5: edge cost = 1e+308; must be in [0, 1e+09]", "an edge cost of 1e308 (issue 22)");
    orlib_err("badv.txt", "3 3 1\n1 2 5\n2 4 1\n1 3 9\n", ":3:3: vertex = 4; must be in 1..3",
              "vertex outside 1..n");
    orlib_err("fields.txt", "3 3 1\n1 2 5\n2 3\n1 3 9\n",
              ":3:4: expected 3 fields (i j cost), got 2", "edge line with two fields");
    orlib_err("badp.txt", "3 3 4\n", ":1:5: p = 4; must be in 1..3", "p > n in the header");
    orlib_err("short.txt", "3 3 1\n1 2 5\n2 3 1\n",
              ": file ends after 2 of the 3 edge lines announced on line 1", "too few edge lines");
    orlib_err("long.txt", "3 2 1\n1 2 5\n2 3 1\n1 3 2\n",
              ":4:1: more edge lines than the 2 announced on line 1", "too many edge lines");
    orlib_err("disc.txt", "4 2 1\n1 2 5\n3 4 1\n",
              ": the graph is not connected: no path from vertex 1 to vertex 3",
              "disconnected graph");
    orlib_err("empty.txt", "", ": empty file (expected 'vertices edges p')", "empty file");

    g = (zs_orlib_pmed *)1;
    char missing[512];
    snprintf(missing, sizeof missing, "%s/none.txt", dir);
    st = zs_orlib_pmed_load(missing, &g, &err);
    CHECK(st != ZS_OK && g == NULL, "orlib: a missing file is an error");
    CHECK_CONTAINS(err.msg, "none.txt", "orlib: missing-file message names the file");
}

static void test_cpmp(void)
{
    /* Points (0,0), (3,4), (1,1): d(1,2) = 5, d(1,3) = sqrt 2, d(2,3) = sqrt 13. */
    const char *text = "3 1\n0 0 10 1\n3 4 10 2\n1 1 10 1\n";
    char p_floor[512], p_euclid[512];
    snprintf(p_floor, sizeof p_floor, "%s", fixture("cpmp99.txt", text));
    snprintf(p_euclid, sizeof p_euclid, "%s", fixture("SJC9.dat", text));
    CHECK(zs_cpmp_dist_for_path(p_floor) == ZS_CPMP_DIST_FLOOR, "cpmp: 'cpmp99.txt' means floor");
    CHECK(zs_cpmp_dist_for_path(p_euclid) == ZS_CPMP_DIST_EUCLID, "cpmp: 'SJC9.dat' means euclid");
    CHECK(zs_cpmp_dist_for_path("/x/cpmp/SJC1.dat") == ZS_CPMP_DIST_EUCLID,
          "cpmp: only the base name counts (directory 'cpmp' ignored)");
    CHECK(zs_cpmp_dist_for_path("cpmpX.txt") == ZS_CPMP_DIST_EUCLID,
          "cpmp: 'cpmp' without a digit means euclid");
    CHECK(strcmp(zs_cpmp_dist_name(ZS_CPMP_DIST_FLOOR), "floor") == 0 &&
          strcmp(zs_cpmp_dist_name(ZS_CPMP_DIST_EUCLID), "euclid") == 0 &&
          strcmp(zs_cpmp_dist_name(ZS_CPMP_DIST_AUTO), "auto") == 0, "cpmp: rule names");

    zs_cpmp *c = NULL;
    double *D = NULL;
    zs_err err;
    zs_status st = zs_cpmp_load(p_floor, ZS_CPMP_DIST_AUTO, &c, &err);
    if (st == ZS_OK)
        st = zs_cpmp_distances(c, &D, &err);
    CHECK(st == ZS_OK, "cpmp: cpmp99.txt loads (%s)", st == ZS_OK ? "ok" : err.msg);
    if (st == ZS_OK) {
        CHECK(c->n == 3 && c->p == 1 && c->rule == ZS_CPMP_DIST_FLOOR, "cpmp: n 3, p 1, rule floor");
        CHECK(c->x[1] == 3 && c->y[1] == 4 && c->capacity[1] == 10 && c->demand[1] == 2,
              "cpmp: second point read as (3, 4), capacity 10, demand 2");
        CHECK(D[1] == 5.0 && D[2] == 1.0 && D[1 * 3 + 2] == 3.0 && D[0] == 0.0,
              "cpmp floor: d = 5, floor(sqrt 2) = 1, floor(sqrt 13) = 3");
    }
    zs_free(D);
    D = NULL;
    zs_cpmp_free(c);
    c = NULL;

    st = zs_cpmp_load(p_euclid, ZS_CPMP_DIST_AUTO, &c, &err);
    if (st == ZS_OK)
        st = zs_cpmp_distances(c, &D, &err);
    CHECK(st == ZS_OK && c->rule == ZS_CPMP_DIST_EUCLID && D[1] == 5.0 &&
          fabs(D[2] - sqrt(2.0)) < 1e-15 && fabs(D[1 * 3 + 2] - sqrt(13.0)) < 1e-15,
          "cpmp euclid (by name SJC9.dat): d = 5, sqrt 2, sqrt 13");
    zs_free(D);
    D = NULL;
    zs_cpmp_free(c);
    c = NULL;

    /* The rule given overrides the name. */
    st = zs_cpmp_load(p_floor, ZS_CPMP_DIST_EUCLID, &c, &err);
    if (st == ZS_OK)
        st = zs_cpmp_distances(c, &D, &err);
    CHECK(st == ZS_OK && c->rule == ZS_CPMP_DIST_EUCLID && fabs(D[2] - sqrt(2.0)) < 1e-15,
          "cpmp: euclid given for cpmp99.txt overrides the name");
    zs_free(D);
    D = NULL;
    zs_cpmp_free(c);
    c = NULL;
    st = zs_cpmp_load(p_euclid, ZS_CPMP_DIST_FLOOR, &c, &err);
    if (st == ZS_OK)
        st = zs_cpmp_distances(c, &D, &err);
    CHECK(st == ZS_OK && c->rule == ZS_CPMP_DIST_FLOOR && D[2] == 1.0,
          "cpmp: floor given for SJC9.dat overrides the name");
    zs_free(D);
    zs_cpmp_free(c);

    cpmp_err("negdem.txt", "3 1\n0 0 10 1\n3 4 10 -2\n1 1 10 1\n",
             ":3:8: demand = -2; must be in [0, 1e+09]", "negative demand");
    cpmp_err("negcap.txt", "3 1\n0 0 10 1\n3 4 -5 2\n1 1 10 1\n",
             ":3:5: capacity = -5; must be in [0, 1e+09]", "negative capacity");
    cpmp_err("hugex.txt", "3 1\n0 0 10 1\n-1e308 4 10 2\n1 1 10 1\n",
             ":3:1: x = -1e+308; must be in [-1e+08, 1e+08]", "a coordinate of -1e308");
    cpmp_err("hugedem.txt", "3 1\n0 0 10 1\n3 4 10 2e9\n1 1 10 1\n",
             ":3:8: demand = 2e+09; must be in [0, 1e+09]", "a demand of 2e9");
    cpmp_err("fields.txt", "3 1\n0 0 10 1\n3 4 5\n1 1 10 1\n",
             ":3:6: expected 4 fields (x y capacity demand), got 3", "point line with 3 fields");
    cpmp_err("nan.txt", "3 1\n0 0 10 1\n3 4 5 x\n1 1 10 1\n",
             ":3:7: demand: expected a number, got 'x'", "non-numeric demand");
    cpmp_err("short.txt", "3 1\n0 0 10 1\n",
             ": file ends after 1 of the 3 point lines announced on line 1", "too few point lines");
    cpmp_err("empty.txt", "", ": empty file (expected 'n p')", "empty file");
}

int main(void)
{
    if (!mkdtemp(dir)) {
        printf("FAIL: cannot create a temporary directory\n");
        return 1;
    }
    test_orlib();
    test_cpmp();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
    return zs_test_done();
}
