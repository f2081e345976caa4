/*
 * engine/pipeline/run.h -- the pipeline: scenario -> points -> plans -> simulation
 * -> summaries -> results file.
 *
 * Owns nothing beyond one call: every intermediate object is created and
 * freed inside zs_run_scenario.  Errors found here that belong to a place
 * in the scenario (k larger than the number of points, say) name that
 * place; errors in input files name theirs.
 */
#ifndef ZS_ENGINE_RUN_H
#define ZS_ENGINE_RUN_H

#include <stddef.h>

#include "models/status.h"
#include "pipeline/plan_geo.h"
#include "pipeline/scenario.h"
#include "sim/shard.h"
#include "sim/sim.h"

typedef struct {
    const char *output; /* results path; NULL = the scenario's output */
    int threads;        /* -1 = the scenario's; 0 = OpenMP default; > 0 exact */
    zs_progress_fn progress; /* replications done (see engine/sim.h); NULL = none */
    void *progress_ctx;
    /* Shard shard_index of shard_count (0 = the whole run): replications
     * zs_shard_range() (engine/sim/shard.h), written to zs_run_shard_output() of the output
     * (this one's or the scenario's), so every shard and the merged file
     * share one name. */
    size_t shard_index, shard_count;
    /* Checkpoints: > 0 writes every block of this many replications, as it
     * completes, to "<output>.partial/" (engine/h5ckpt.h); the directory is
     * removed once the results file is written.  A run refuses to start
     * over an existing one unless resume is set. */
    size_t checkpoint_reps;
    /* 1: keep the blocks "<output>.partial/" already holds (the scenario,
     * seed and version must match) and run only the missing replications;
     * with checkpoint_reps 0, in blocks of the size the interrupted run
     * used.  Without a partial directory the run simply starts. */
    int resume;
} zs_run_opts;

/* What a run did, for the command line to report. */
typedef struct {
    size_t n_points;
    double expected_stops;  /* expected stops on the mean weekday */
    size_t auto_k;          /* capacity-rule zone count */
    int threads;            /* threads used by the simulation */
    double seconds_plans, seconds_sim, seconds_write;
    char output[4096];      /* the results file written */
    size_t rep_begin, rep_end; /* replications simulated (a shard's range) */
    size_t reps_resumed;    /* replications taken from checkpoint blocks */
    size_t blocks_written;  /* checkpoint blocks written by this run */
    char network[1024];     /* with network.osm: one line on the street graph,
                               the snapping and each plan's network km per
                               straight-line km; "" without */
    char notes[1024];       /* zs_run_points_notes of the points, "" when none */
} zs_run_info;

/* Addition (issue 19): what the reader of a run should know about its
 * points, one line each ending in a newline, into buf ("" when nothing):
 * rows skipped for a missing coordinate and points given the nearest zone
 * (counts and the first file lines), and a warning when coordinates read
 * as metres look like degrees (zs_points_look_like_degrees), naming
 * coords_fix (e.g. "points.coords: lonlat") as the fix. */
void zs_run_points_notes(const zs_points *p, const char *coords_fix, char *buf, size_t len);

/* The default file of shard i of n: output with a final ".h5" replaced by
 * ".shard-I-of-N.h5" (appended when output does not end in ".h5"), e.g.
 * results/demo.h5 -> results/demo.shard-0-of-4.h5.  ZS_EINVAL when it does
 * not fit in size bytes. */
zs_status zs_run_shard_output(const char *output, size_t i, size_t n, char *buf, size_t size,
                              zs_err *err);

/* output NULL, threads -1, no shard, no checkpoints. */
void zs_run_opts_defaults(zs_run_opts *o);

/* Runs the scenario and writes its results file.  info may be NULL. */
zs_status zs_run_scenario(const zs_scenario *sc, const zs_run_opts *opts, zs_run_info *info,
                          zs_err *err);

/* Loads or generates the scenario's points and places the depot (metres).
 * *out is owned by the caller. */
zs_status zs_run_load_points(const zs_scenario *sc, zs_points **out, double depot[2],
                             zs_err *err);

/* Makes plan i of the scenario from the points: a manual plan from its CSV
 * or the points' zone column, else zs_partition_solve with the plan's
 * options, k (or auto_k when the plan says auto) and the workloads.  A
 * territory plan is made on geo's graph and zone work (with its vehicle's
 * speed); one that repairs plan j (plans[i].repair) starts from made[j],
 * which must be made already.  Errors name the plan, and k beyond the
 * points names the scenario place.  *out is the caller's. */
zs_status zs_run_make_plan(const zs_scenario *sc, size_t i, const zs_points *pts,
                           const double *workload, size_t auto_k, const zs_plan_geo *geo,
                           const zs_partition *const *made, zs_partition **out, zs_err *err);

#endif
