/*
 * engine/pipeline/run_internal.h -- the run module's parts shared between its files
 * (engine/run.c, engine/run_blocks.c); no other module includes it.
 */
#ifndef ZS_ENGINE_RUN_INTERNAL_H
#define ZS_ENGINE_RUN_INTERNAL_H

#include "pipeline/run.h"

/* Simulates replications [in->rep_begin, in->rep_end) of the plans into
 * sims[0..np) (the caller's, as zs_sim_run leaves them): straight through
 * zs_sim_run, or, when opts asks for checkpoints or a resume, in blocks
 * kept in "<info->output>.partial/" (engine/h5ckpt.h), running only the
 * blocks not already there.  Sets info's reps_resumed and blocks_written. */
zs_status zs_run_simulate(const zs_scenario *sc, const zs_run_opts *opts, const zs_sim_input *in,
                          const zs_partition *const *plans, size_t np, zs_sim_result **sims,
                          zs_run_info *info, zs_err *err);

/* After the results file info->output is written: removes its checkpoint
 * directory (nothing to do when opts asked for none). */
zs_status zs_run_checkpoint_done(const zs_run_opts *opts, const zs_run_info *info, zs_err *err);

#endif
