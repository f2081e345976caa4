#!/usr/bin/env bash
# zonesim under Slurm: one shard of a run per array task, then one merge.
#
#   jid=$(sbatch --parsable --array=0-3 --cpus-per-task=8 \
#               scenarios/slurm-array.sh scenarios/demo.yaml results/demo.h5)
#   sbatch --dependency=afterok:$jid scenarios/slurm-array.sh --merge results/demo.h5 4
#
# Array task I of N (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT; the array
# must be 0-(N-1)) runs `zonesim run SCENARIO --output OUTPUT --shard I/N`
# on SLURM_CPUS_PER_TASK OpenMP threads (OMP_NUM_THREADS), writing
# OUTPUT with .h5 replaced by .shard-I-of-N.h5; replications are split into
# N contiguous blocks, floor(I*R/N) to floor((I+1)*R/N), across all plans, so
# common random numbers hold.  Each task checkpoints (--resume: blocks of a
# tenth of its shard, or ZS_CHECKPOINT_EVERY replications, in
# OUTPUT.shard-I-of-N.h5.partial/), so a requeued or resubmitted task
# continues where it was killed.  Extra arguments after OUTPUT go to
# `zonesim run`.
#
# The merge job (`--merge OUTPUT N`, after all tasks succeeded:
# --dependency=afterok) runs `zonesim merge OUTPUT <the N shard files>`;
# OUTPUT then equals a single-process run dataset for dataset.
#
# The binary: $ZONESIM if set (sbatch passes the environment on), else
# build/zonesim under the submit directory, else zonesim on PATH.  Jobs
# start in the directory sbatch was called from, so relative paths work
# as on the command line.
#
#SBATCH --job-name=zonesim
#SBATCH --output=zonesim-%A_%a.log
set -euo pipefail

die() { echo "slurm-array.sh: $*" >&2; exit 2; }

cd "${SLURM_SUBMIT_DIR:-.}"
if [ -n "${ZONESIM:-}" ]; then Z=$ZONESIM
elif [ -x build/zonesim ]; then Z=$PWD/build/zonesim
else Z=$(command -v zonesim) || die "no zonesim: set ZONESIM or build it (make build)"
fi

# The shard files of OUTPUT, as zonesim names them (engine/run.h).
shard_file() { echo "${1%.h5}.shard-$2-of-$3.h5"; }

if [ "${1:-}" = "--merge" ]; then
    [ $# -eq 3 ] || die "usage: slurm-array.sh --merge OUTPUT N"
    out=$2 n=$3
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "--merge: N '$n' is not a positive number"
    shards=()
    for ((i = 0; i < n; i++)); do shards+=("$(shard_file "$out" "$i" "$n")"); done
    echo "slurm-array.sh: merging $n shards into $out (job ${SLURM_JOB_ID:-none})"
    exec "$Z" merge "$out" "${shards[@]}"
fi

[ $# -ge 2 ] || die "usage: sbatch --array=0-(N-1) slurm-array.sh SCENARIO OUTPUT [run options]"
scenario=$1 out=$2
shift 2
[ -n "${SLURM_ARRAY_TASK_ID:-}" ] || die "not an array task: submit with sbatch --array=0-(N-1)"
i=$SLURM_ARRAY_TASK_ID
n=${SLURM_ARRAY_TASK_COUNT:-$((SLURM_ARRAY_TASK_MAX + 1))}
[ "${SLURM_ARRAY_TASK_MIN:-0}" -eq 0 ] && [ "${SLURM_ARRAY_TASK_MAX:-$((n - 1))}" -eq $((n - 1)) ] ||
    die "the array must be 0-(N-1) with step 1 (got ${SLURM_ARRAY_TASK_MIN:-?}-${SLURM_ARRAY_TASK_MAX:-?} with $n tasks)"
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
ckpt=()
[ -z "${ZS_CHECKPOINT_EVERY:-}" ] || ckpt=(--checkpoint-every "$ZS_CHECKPOINT_EVERY")
echo "slurm-array.sh: shard $i/$n of $scenario on $OMP_NUM_THREADS threads (job ${SLURM_ARRAY_JOB_ID:-?}_$i on $(hostname -s))"
exec "$Z" run "$scenario" --output "$out" --shard "$i/$n" --threads "$OMP_NUM_THREADS" \
    --resume "${ckpt[@]}" "$@"
