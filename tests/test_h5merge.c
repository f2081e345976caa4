/* Tests of sharded runs, engine/h5merge (zonesim merge) and engine/h5ckpt
 * (checkpoints): the split rule and shard file names, merged shards equal
 * to the whole run, every refusal with its message, checkpoints resumed to
 * the same results, and allocation failures (ZS_ENOMEM, no results file,
 * no HDF5 object left open). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/files.h"
#include "results/h5ckpt.h"
#include "results/h5merge.h"
#include "results/h5out.h"
#include "pipeline/run.h"
#include "models/alloc.h"
#include "check.h"

static char dir[512];

/* dir/name in a buffer of its own: each call gets a new one (the test
 * makes fewer than 256 calls), so a path kept in options stays valid. */
static const char *path(const char *name)
{
    static char buf[256][600];
    static int i;
    i = (i + 1) % 256;
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

static int exists(const char *p)
{
    return access(p, F_OK) == 0;
}

/* Removes a checkpoint directory and its files (test cleanup). */
static void rm_partial(const char *p)
{
    zs_err err;
    zs_h5ckpt_remove(p, &err);
}

/* 1 when two results files hold the same summaries, bit for bit. */
static int same_summaries(const char *a, const char *b)
{
    zs_h5_overview *x = NULL, *y = NULL;
    zs_err err;
    int ok = zs_h5out_read_overview(a, &x, &err) == ZS_OK && zs_h5out_read_overview(b, &y, &err) == ZS_OK &&
             x->n_plans == y->n_plans && x->reps == y->reps;
    for (size_t p = 0; ok && p < x->n_plans; p++) {
        const zs_plan_summary *s = x->plans[p].summary, *t = y->plans[p].summary;
        ok = s && t && s->zones == t->zones && !memcmp(s->day, t->day, sizeof s->day) &&
             !memcmp(s->zoneday, t->zoneday, sizeof s->zoneday) && s->work_cv == t->work_cv;
        for (int m = 0; ok && m < ZS_M_COUNT; m++)
            ok = !memcmp(s->zone[m], t->zone[m], s->zones * sizeof(zs_stat));
    }
    if (ok && x->n_plans >= 2)
        ok = !memcmp(x->paired_work + 1, y->paired_work + 1, (x->n_plans - 1) * sizeof(zs_stat));
    zs_h5_overview_free(x);
    zs_h5_overview_free(y);
    return ok;
}

static void test_split(void)
{
    zs_err err;
    size_t b, e, prev = 0;
    int ok = 1;
    /* 12 replications in 5 shards: floor(i * 12 / 5) = 0, 2, 4, 7, 9, 12. */
    static const size_t want[6] = {0, 2, 4, 7, 9, 12};
    for (size_t i = 0; i < 5; i++) {
        ok &= zs_shard_range(12, i, 5, &b, &e, &err) == ZS_OK && b == want[i] &&
              e == want[i + 1] && b == prev;
        prev = e;
    }
    CHECK(ok, "12 replications in 5 shards: [0,2) [2,4) [4,7) [7,9) [9,12)");
    ok = 1;
    for (size_t n = 1; n <= 40; n++)
        for (size_t i = 0, at = 0; i < n; i++) {
            ok &= zs_shard_range(40, i, n, &b, &e, &err) == ZS_OK && b == at &&
                  (e - b == 40 / n || e - b == 40 / n + 1);
            at = e;
            if (i == n - 1)
                ok &= e == 40;
        }
    CHECK(ok, "every split of 40 replications tiles [0, 40) with sizes differing by at most 1");
    CHECK(zs_shard_range(12, 4, 4, &b, &e, &err) == ZS_EINVAL, "shard 4/4 is invalid");
    CHECK_CONTAINS(err.msg, "--shard 4/4: expected I/N with 0 <= I < N", "... with the option's form");
    CHECK(zs_shard_range(3, 0, 4, &b, &e, &err) == ZS_EINVAL, "4 shards of 3 replications are invalid");
    CHECK_CONTAINS(err.msg, "4 shards for 3 replications", "... saying so");

    char name[64];
    CHECK(zs_run_shard_output("results/demo.h5", 2, 4, name, sizeof name, &err) == ZS_OK &&
              !strcmp(name, "results/demo.shard-2-of-4.h5"),
          "shard file of results/demo.h5: results/demo.shard-2-of-4.h5");
    CHECK(zs_run_shard_output("out", 0, 1, name, sizeof name, &err) == ZS_OK &&
              !strcmp(name, "out.shard-0-of-1.h5"),
          "an output without .h5 gets .shard-I-of-N.h5 appended");
    CHECK(zs_run_shard_output("results/a-very-long-name.h5", 0, 1, name, 16, &err) == ZS_EINVAL,
          "a shard name that does not fit is ZS_EINVAL");

    int32_t z[4] = {0, 1, 2, 7};
    CHECK(zs_h5ckpt_zone_hash(z, 4) == 12748791150698238241ULL && zs_h5ckpt_zone_hash(z, 0) == 14695981039346656037ULL,
          "zone hash: FNV-1a 64 of the little-endian int32 zones (golden values)");
}

int main(void)
{
    const char *tmp = getenv("ZS_TMP") ? getenv("ZS_TMP") : "/tmp";
    snprintf(dir, sizeof dir, "%s/test_h5merge", tmp);
    mkdir(dir, 0777);
    /* A rerun starts from a clean directory. */
    static const char *const old[] = {"full.h5", "m.h5", "m.shard-0-of-3.h5", "m.shard-1-of-3.h5",
                                      "m.shard-2-of-3.h5", "x.h5", "c.h5", "k.h5", "a.h5", "s.h5"};
    for (size_t i = 0; i < sizeof old / sizeof old[0]; i++) {
        char p[640];
        remove(path(old[i]));
        snprintf(p, sizeof p, "%s.partial", path(old[i]));
        rm_partial(p);
    }
    zs_h5out_silence();
    test_split();

    static const char text[] =
        "points:\n  generate: {seed: 2, n_points: 90, width_km: 2, height_km: 2}\n"
        "plans:\n  - {name: a}\n  - {name: b, k: 3}\n"
        "simulation: {days: 3, replications: 7, seed: 8}\n";
    zs_scenario *sc = NULL;
    zs_err err;
    if (zs_scenario_parse(text, strlen(text), "m.yaml", ".", &sc, &err) != ZS_OK) {
        printf("      parse: %s\n", err.msg);
        CHECK(0, "scenario parses");
        return zs_test_done();
    }
    zs_run_opts ro;
    zs_run_opts_defaults(&ro);
    ro.threads = 2;
    ro.output = path("full.h5");
    CHECK(zs_run_scenario(sc, &ro, NULL, &err) == ZS_OK, "whole run");

    /* --- shards and merge -------------------------------------------------- */
    int ok = 1;
    for (size_t i = 0; i < 3; i++) {
        ro.output = path("m.h5");
        ro.shard_index = i;
        ro.shard_count = 3;
        ro.threads = (int)(1 + i % 2);
        zs_run_info info;
        ok &= zs_run_scenario(sc, &ro, &info, &err) == ZS_OK && info.rep_end - info.rep_begin >= 2;
    }
    CHECK(ok && exists(path("m.shard-0-of-3.h5")) && exists(path("m.shard-2-of-3.h5")) && !exists(path("m.h5")),
          "3 shards write m.shard-I-of-3.h5");
    zs_h5_overview *o = NULL;
    CHECK(zs_h5out_read_overview(path("m.shard-1-of-3.h5"), &o, &err) == ZS_OK && !strcmp(o->shard, "1/3") &&
              o->shard_index == 1 && o->shard_count == 3 && o->rep_begin == 2 && o->rep_end == 4 &&
              o->complete == 0 && o->reps == 7,
          "the overview of shard 1/3 says so: replications [2, 4) of 7, not complete");
    zs_h5_overview_free(o);
    o = NULL;
    CHECK(zs_h5out_read_overview(path("full.h5"), &o, &err) == ZS_OK && o->shard[0] == '\0' && o->complete == 1 &&
              o->rep_end == 7,
          "the overview of a whole run: no shard, complete");
    zs_h5_overview_free(o);

    const char *sh[4] = {path("m.shard-2-of-3.h5"), path("m.shard-0-of-3.h5"), path("m.shard-1-of-3.h5"), NULL};
    char s0[600], s1[600], s2[600];
    snprintf(s0, sizeof s0, "%s", path("m.shard-0-of-3.h5"));
    snprintf(s1, sizeof s1, "%s", path("m.shard-1-of-3.h5"));
    snprintf(s2, sizeof s2, "%s", path("m.shard-2-of-3.h5"));
    sh[0] = s2;
    sh[1] = s0;
    sh[2] = s1;
    zs_h5merge_info mi;
    zs_status st = zs_h5merge_shards(path("m.h5"), sh, 3, &mi, &err);
    CHECK(st == ZS_OK && mi.shards == 3 && mi.reps == 7 && mi.n_plans == 2 && mi.seed == 8,
          "merge of 3 shards in any order");
    if (st != ZS_OK)
        printf("      %s\n", err.msg);
    CHECK(same_summaries(path("full.h5"), path("m.h5")), "merged summaries equal the whole run's, bit for bit");
    CHECK(zs_h5out_open_objects() == 0, "no HDF5 object left open after merging");

    /* Refusals: nothing written, nothing left open. */
    const char *two[2] = {s0, s2};
    remove(path("x.h5"));
    st = zs_h5merge_shards(path("x.h5"), two, 2, NULL, &err);
    CHECK(st == ZS_EINPUT, "a missing shard is an input error");
    CHECK_CONTAINS(err.msg, "missing shard 1/3: all 3 shards of the run are needed (2 given)", "... naming it");
    const char *dup[4] = {s0, s1, s1, s2};
    st = zs_h5merge_shards(path("x.h5"), dup, 4, NULL, &err);
    CHECK(st == ZS_EINPUT, "a duplicated shard is an input error");
    CHECK_CONTAINS(err.msg, "shard 1/3 given twice", "... naming it");
    char full[600];
    snprintf(full, sizeof full, "%s", path("full.h5"));
    const char *notshard[2] = {full, s0};
    st = zs_h5merge_shards(path("x.h5"), notshard, 2, NULL, &err);
    CHECK(st == ZS_EINPUT && strstr(err.msg, "not a shard"), "a whole run is not a shard");
    const char *none[1] = {path("nothing.h5")};
    st = zs_h5merge_shards(path("x.h5"), none, 1, NULL, &err);
    CHECK(st == ZS_EINPUT && strstr(err.msg, "no such file"), "a missing file is named");
    const char *self[3] = {s0, s1, s2};
    st = zs_h5merge_shards(s1, self, 3, NULL, &err);
    CHECK(st == ZS_EINVAL && strstr(err.msg, "is one of the shards"), "the output may not be a shard");
    st = zs_h5merge_shards(path("x.h5"), self, 0, NULL, &err);
    CHECK(st == ZS_EINVAL, "no shards is ZS_EINVAL");
    CHECK(!exists(path("x.h5")) && !zs_t_tmp_left(path("x.h5")) && zs_h5out_open_objects() == 0,
          "refusals write nothing and leave nothing open");

    /* Allocation failures anywhere in a merge. */
    int n = 0;
    ok = 1;
    const char *xo = path("x.h5");
    for (long i = 0; i < 5000; i++) {
        remove(xo);
        zs_alloc_fail_after(i);
        st = zs_h5merge_shards(xo, self, 3, NULL, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        n++;
        if (st != ZS_ENOMEM || exists(xo) || zs_t_tmp_left(xo) || zs_h5out_open_objects() != 0) {
            printf("      failure point %ld: %s\n", i, err.msg);
            ok = 0;
        }
    }
    CHECK(ok && n > 20, "every allocation failure in merge gives ZS_ENOMEM, no file, nothing open (%d points)", n);
    CHECK(same_summaries(path("full.h5"), path("x.h5")), "the merge after the sweep equals the whole run");

    /* --- checkpoints -------------------------------------------------------- */
    zs_run_opts_defaults(&ro);
    ro.threads = 2;
    ro.checkpoint_reps = 2;
    ro.output = path("c.h5");
    rm_partial(path("c.h5.partial"));
    zs_run_info info;
    st = zs_run_scenario(sc, &ro, &info, &err);
    CHECK(st == ZS_OK && info.blocks_written == 4 && info.reps_resumed == 0 && !exists(path("c.h5.partial")),
          "a checkpointed run writes 4 blocks of 2 (7 replications) and removes them at the end");
    CHECK(same_summaries(path("full.h5"), path("c.h5")), "... and equals the run without checkpoints");

    /* A run whose results file cannot be written keeps its checkpoints: the
     * writer's temporary cannot be created (the test hook of input/files.h),
     * so the final write fails (an output that is itself a directory is
     * refused before the run starts, see e2e_paths). */
    ro.output = path("k.h5");
    rm_partial(path("k.h5.partial"));
    zs_file_test_fail_tmp(path("k.h5"));
    st = zs_run_scenario(sc, &ro, &info, &err);
    int blocks_kept = exists(path("k.h5.partial/block-0-2.h5")) && exists(path("k.h5.partial/block-6-7.h5"));
    CHECK(st == ZS_EIO && blocks_kept, "a failed final write keeps every block in k.h5.partial/");
    zs_file_test_fail_tmp(NULL);
    ro.checkpoint_reps = 0;
    st = zs_run_scenario(sc, &ro, &info, &err);
    CHECK(st == ZS_OK, "a run without checkpoint options ignores a checkpoint directory");
    remove(path("k.h5"));
    ro.checkpoint_reps = 2;
    st = zs_run_scenario(sc, &ro, &info, &err);
    CHECK(st == ZS_EINVAL, "a checkpointed run refuses to start over existing checkpoints");
    CHECK_CONTAINS(err.msg, "k.h5.partial exists: an interrupted run left its finished replications there; add --resume",
                   "... and asks for --resume");
    /* Resume with two blocks gone: only those are run. */
    remove(path("k.h5.partial/block-2-4.h5"));
    remove(path("k.h5.partial/block-6-7.h5"));
    ro.checkpoint_reps = 0;
    ro.resume = 1;
    ro.threads = 1;
    st = zs_run_scenario(sc, &ro, &info, &err);
    CHECK(st == ZS_OK && info.reps_resumed == 4 && info.blocks_written == 2 && !exists(path("k.h5.partial")),
          "--resume loads 4 replications, runs the 2 missing blocks (the stored block size) and cleans up");
    CHECK(same_summaries(path("full.h5"), path("k.h5")), "the resumed run equals the uninterrupted one");

    /* Allocation failures during a resume (blocks loaded and written). */
    ro.checkpoint_reps = 3;
    ro.output = path("a.h5");
    n = 0;
    ok = 1;
    for (long i = 0; i < 5000; i++) {
        remove(ro.output);
        zs_alloc_fail_after(i);
        st = zs_run_scenario(sc, &ro, NULL, &err);
        zs_alloc_fail_after(-1);
        if (st == ZS_OK)
            break;
        n++;
        if (st != ZS_ENOMEM || exists(ro.output) || zs_h5out_open_objects() != 0) {
            printf("      failure point %ld: %s\n", i, err.msg);
            ok = 0;
        }
    }
    CHECK(ok && n > 20, "every allocation failure with checkpoints gives ZS_ENOMEM, no results file, nothing open (%d points)", n);
    CHECK(same_summaries(path("full.h5"), path("a.h5")) && !exists(path("a.h5.partial")),
          "the run that finally succeeds equals the whole run and removes its checkpoints");

    /* A checkpoint of another seed is refused. */
    ro.output = path("s.h5");
    ro.resume = 0;
    ro.checkpoint_reps = 3;
    rm_partial(path("s.h5.partial"));
    zs_file_test_fail_tmp(path("s.h5")); /* the final write fails, the checkpoints stay */
    zs_run_scenario(sc, &ro, NULL, &err);
    zs_file_test_fail_tmp(NULL);
    sc->seed = 9;
    ro.resume = 1;
    st = zs_run_scenario(sc, &ro, NULL, &err);
    CHECK(st == ZS_EINPUT && !exists(path("s.h5")), "checkpoints of another seed are refused");
    CHECK_CONTAINS(err.msg, "written with master seed 8, the scenario now has 9; these checkpoints belong to another run",
                   "... saying which and what to do");
    CHECK(zs_h5out_open_objects() == 0, "no HDF5 object left open");
    rm_partial(path("s.h5.partial"));
    zs_scenario_free(sc);
    return zs_test_done();
}
