/*
 * engine/pipeline/run_blocks.c -- the simulation stage of a run with checkpoints
 * (engine/run_internal.h): replications in blocks, each block written to
 * "<output>.partial/" as soon as it is done, and a resume that runs only
 * the blocks not there yet.
 *
 * Why blocks and not one file appended to: a block file is written whole
 * (.tmp, fsync, rename), so whatever moment the process is killed at,
 * every block file with its final name is complete, and nothing written
 * earlier is ever reopened for writing.  Each replication's values depend
 * only on (master seed, replication) (engine/sim.h), so a block gives the
 * same bits whether it ran in this process or in the one that was killed;
 * the results file is written from the whole range as an uninterrupted
 * run writes it.
 *
 * Cost: each block is one zs_sim_run (one OpenMP region; the zone index
 * and master tours are rebuilt, milliseconds), and the threads wait for
 * the slowest replication at the end of every block, so a block should
 * hold several replications per thread.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "models/alloc.h"
#include "results/h5ckpt.h"
#include "pipeline/run_internal.h"

/* Progress of one block as progress of the whole stage. */
typedef struct {
    zs_progress_fn fn;
    void *ctx;
    size_t before, total;
} progress_shift;

static void shifted_progress(void *c, size_t done, size_t total)
{
    (void)total;
    const progress_shift *p = c;
    p->fn(p->ctx, p->before + done, p->total);
}

/* "<output>.partial", or NULL with ZS_ENOMEM. */
static char *partial_path(const char *output, zs_err *err)
{
    size_t n = strlen(output);
    char *p = zs_malloc(n + sizeof ".partial");
    if (!p) {
        ZS_NOMEM(err);
        return NULL;
    }
    memcpy(p, output, n);
    memcpy(p + n, ".partial", sizeof ".partial");
    return p;
}

zs_status zs_run_simulate(const zs_scenario *sc, const zs_run_opts *opts, const zs_sim_input *in,
                          const zs_partition *const *plans, size_t np, zs_sim_result **sims,
                          zs_run_info *info, zs_err *err)
{
    for (size_t p = 0; p < np; p++)
        sims[p] = NULL;
    if (!opts->checkpoint_reps && !opts->resume)
        return zs_sim_run(in, plans, np, sims, err);

    size_t R = in->rep_end - in->rep_begin, days = in->days;
    zs_status st = ZS_OK;
    char *partial = NULL;
    const char **names = zs_calloc(np, sizeof *names);
    size_t *zones = zs_calloc(np, sizeof *zones);
    uint64_t *hash = zs_calloc(np, sizeof *hash);
    zs_sim_result **full = zs_calloc(np, sizeof *full);
    zs_sim_result **blk = zs_calloc(np, sizeof *blk);
    unsigned char *done = zs_calloc(R ? R : 1, 1);
    if (!names || !zones || !hash || !full || !blk || !done) {
        st = ZS_NOMEM(err);
        goto out;
    }
    if (!(partial = partial_path(info->output, err))) {
        st = ZS_ENOMEM;
        goto out;
    }
    if (in->rep_end <= in->rep_begin) {
        st = zs_err_set(err, ZS_EINVAL, "no replications to run ([%zu, %zu))", in->rep_begin,
                        in->rep_end);
        goto out;
    }
    for (size_t p = 0; p < np; p++) {
        names[p] = sc->plans[p].name;
        zones[p] = plans[p]->k;
        hash[p] = zs_h5ckpt_zone_hash(plans[p]->zone, plans[p]->n);
        if (!(full[p] = zs_sim_result_create(R, days, plans[p]->k, in->rep_begin, err))) {
            st = err ? err->code : ZS_ENOMEM;
            goto out;
        }
        full[p]->n_metrics = zs_sim_metric_count(in);
    }
    zs_ckpt_key key = {
        .scenario_text = sc->text, .seed = sc->seed, .reps = sc->replications, .days = days,
        .n_plans = np, .plan_names = names, .zones = zones, .zone_hash = hash,
    };

    /* A directory already there holds an interrupted run's blocks: only
     * --resume may use (or clear) it, so nothing is silently thrown away. */
    struct stat sb;
    size_t loaded = 0, stored_block = 0;
    if (stat(partial, &sb) == 0) {
        if (!opts->resume) {
            st = zs_err_set(err, ZS_EINVAL,
                            "%s exists: an interrupted run left its finished replications there; "
                            "add --resume to continue it, or remove %s to start again",
                            partial, partial);
            goto out;
        }
        if ((st = zs_h5ckpt_load(partial, &key, full, done, &loaded, &stored_block, err)) != ZS_OK)
            goto out;
    }
    info->reps_resumed = loaded;
    /* Block size: as asked; on a resume without one, the interrupted run's;
     * else a tenth of the range (rounded up). */
    size_t block = opts->checkpoint_reps ? opts->checkpoint_reps
                   : stored_block      ? stored_block
                                       : (R + 9) / 10;
    progress_shift ps = {in->progress, in->progress_ctx, 0, R - loaded};
    for (size_t r = 0; r < R;) {
        if (done[r]) {
            r++;
            continue;
        }
        size_t e = r;
        while (e < R && !done[e] && e - r < block)
            e++;
        zs_sim_input sub = *in;
        sub.rep_begin = in->rep_begin + r;
        sub.rep_end = in->rep_begin + e;
        if (in->progress) {
            sub.progress = shifted_progress;
            sub.progress_ctx = &ps;
        }
        if ((st = zs_sim_run(&sub, plans, np, blk, err)) != ZS_OK)
            goto out;
        for (size_t p = 0; p < np; p++) {
            size_t cell = days * full[p]->zones;
            for (int m = 0; m < ZS_M_COUNT; m++)
                memcpy(full[p]->v[m] + r * cell, blk[p]->v[m], (e - r) * cell * sizeof(double));
        }
        st = zs_h5ckpt_write(partial, &key, block, blk, err);
        for (size_t p = 0; p < np; p++) {
            zs_sim_result_free(blk[p]);
            blk[p] = NULL;
        }
        if (st != ZS_OK)
            goto out;
        info->blocks_written++;
        ps.before += e - r;
        r = e;
    }
    for (size_t p = 0; p < np; p++) {
        sims[p] = full[p];
        full[p] = NULL;
    }
out:
    if (full)
        for (size_t p = 0; p < np; p++)
            zs_sim_result_free(full[p]);
    if (blk)
        for (size_t p = 0; p < np; p++)
            zs_sim_result_free(blk[p]);
    zs_free(full);
    zs_free(blk);
    zs_free(names);
    zs_free(zones);
    zs_free(hash);
    zs_free(done);
    zs_free(partial);
    return st;
}

zs_status zs_run_checkpoint_done(const zs_run_opts *opts, const zs_run_info *info, zs_err *err)
{
    if (!opts->checkpoint_reps && !opts->resume)
        return ZS_OK;
    /* A stack buffer: the results are complete by now, and running out of
     * memory must not make the finished run fail (info->output is bounded
     * by its own array). */
    char partial[sizeof info->output + sizeof ".partial"];
    snprintf(partial, sizeof partial, "%s.partial", info->output);
    zs_status st = zs_h5ckpt_remove(partial, err);
    if (st != ZS_OK)
        zs_err_prefix(err, "results written to %s, but its checkpoints remain", info->output);
    return st;
}
