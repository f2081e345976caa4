#!/usr/bin/env bash
# The HPC path for real: a single-node Slurm (Debian's munge, slurmctld and
# slurmd, installed by make deps) is started in a temporary directory, the
# job script scenarios/slurm-array.sh is submitted as an array of 4 shards
# plus a merge job that depends on it (afterok), and the merged file is
# compared with a single-process run (tests/h5same.py).  Daemons run as
# root (directly, or through sudo -n); where Slurm cannot be started the
# test prints "SKIP: ..." with the reason (SKIP lines are not counted).
# Everything it started is stopped by pid on exit; overall limit 120 s
# (ZS_SLURM_LIMIT_S); ZS_SLURM_KEEP=DIR keeps the job logs.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_slurm; rm -rf "$T"; mkdir -p "$T"
LIMIT_S=${ZS_SLURM_LIMIT_S:-120}
START=$SECONDS

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; fi; }
skip() { echo "SKIP: Slurm test not run: $*"; exit 0; }

# The job script is checked even where Slurm cannot run.
check "scenarios/slurm-array.sh is valid bash" bash -n scenarios/slurm-array.sh
( unset SLURM_ARRAY_TASK_ID; ZONESIM=$Z bash scenarios/slurm-array.sh scenarios/tests/small.yaml "$T/x.h5" ) \
    >/dev/null 2>"$T/script.err"
check "the job script outside an array task exits 2 with how to submit it" \
    bash -c "[ $? -eq 2 ] && grep -q 'not an array task: submit with sbatch --array=0-(N-1)' '$T/script.err'"

# --- privileges and packages ------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=(sudo -n)
else skip "the Slurm daemons need root, and this user is not root and has no password-less sudo"
fi
for b in munged slurmctld slurmd sbatch squeue scontrol sinfo runuser; do
    command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] ||
        skip "'$b' is missing (make deps installs munge slurmctld slurmd slurm-client)"
done
id munge >/dev/null 2>&1 || skip "no 'munge' user (the munge package creates it)"

# --- a private single-node cluster in a temporary directory --------------------------
# Short path: the munge socket path must fit in a sockaddr_un (108 bytes).
D=$(mktemp -d /tmp/zs-slurm.XXXXXX)
chmod 755 "$D"
run_root() { "${SUDO[@]}" "$@"; }
cleanup() {
    # ZS_SLURM_KEEP=DIR keeps the job logs and files (for debugging).
    [ -n "${ZS_SLURM_KEEP:-}" ] && mkdir -p "$ZS_SLURM_KEEP" && cp -r "$D/out" "$D/slurm.conf" "$ZS_SLURM_KEEP/" 2>/dev/null
    [ -n "${SLURM_CONF:-}" ] && scancel --quiet --user "$(id -un)" >/dev/null 2>&1
    for p in slurmd slurmctld munge/munged; do
        [ -s "$D/$p.pid" ] && run_root kill "$(cat "$D/$p.pid")" 2>/dev/null
    done
    sleep 0.5
    for p in slurmd slurmctld munge/munged; do
        [ -s "$D/$p.pid" ] && run_root kill -9 "$(cat "$D/$p.pid")" 2>/dev/null
    done
    run_root rm -rf "$D"
}
trap cleanup EXIT

mkdir -p "$D/munge" "$D/state" "$D/spool" "$D/out"
dd if=/dev/urandom of="$D/munge/munge.key" bs=1 count=1024 status=none
run_root chown -R munge:munge "$D/munge"
run_root chmod 755 "$D/munge"
run_root chmod 400 "$D/munge/munge.key"
run_root runuser -u munge -- /usr/sbin/munged --socket="$D/munge/munge.socket.2" \
    --key-file="$D/munge/munge.key" --pid-file="$D/munge/munged.pid" \
    --log-file="$D/munge/munged.log" --seed-file="$D/munge/munged.seed" 2>"$T/munged.err" ||
    skip "munged did not start: $(tail -c 300 "$T/munged.err" "$D/munge/munged.log" 2>/dev/null | tr '\n' ' ')"

host=$(hostname -s)
port=$((20000 + RANDOM % 20000))  # private ports: no clash with a system Slurm
cat >"$D/slurm.conf" <<EOF
ClusterName=zsci
SlurmctldHost=$host
SlurmUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.socket.2
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
MinJobAge=600
NodeName=$host CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$D/slurm.conf
run_root /usr/sbin/slurmctld -f "$SLURM_CONF" 2>"$T/slurmctld.err" ||
    skip "slurmctld did not start: $(tail -c 300 "$T/slurmctld.err" "$D/slurmctld.log" 2>/dev/null | tr '\n' ' ')"
run_root /usr/sbin/slurmd -f "$SLURM_CONF" 2>"$T/slurmd.err" ||
    skip "slurmd did not start: $(tail -c 300 "$T/slurmd.err" "$D/slurmd.log" 2>/dev/null | tr '\n' ' ')"
state=""
while [ $((SECONDS - START)) -lt 30 ]; do
    state=$(sinfo -h -o %T 2>/dev/null | head -1)
    [ "$state" = idle ] && break
    sleep 0.5
done
[ "$state" = idle ] ||
    skip "the node did not become idle within 30 s (state '$state'): $(tail -c 300 "$D/slurmctld.log" "$D/slurmd.log" 2>/dev/null | tr '\n' ' ')"
pass "single-node Slurm up: munged, slurmctld and slurmd (node $host idle after $((SECONDS - START)) s)"

# --- the array of 4 shards and the dependent merge ---------------------------------------
S=scenarios/tests/small.yaml
cpus=$(( $(nproc) >= 2 ? 2 : 1 ))
export ZONESIM=$Z
jid=$(sbatch --parsable --array=0-3 --cpus-per-task=$cpus --output="$D/out/shard-%a.log" \
      scenarios/slurm-array.sh "$S" "$D/out/m.h5" 2>"$T/sbatch.err")
check "sbatch --array=0-3 accepts the job script (job $jid)" test -n "$jid"
mid=$(sbatch --parsable --dependency=afterok:"$jid" --output="$D/out/merge.log" \
      scenarios/slurm-array.sh --merge "$D/out/m.h5" 4 2>>"$T/sbatch.err")
check "sbatch --dependency=afterok:$jid accepts the merge job (job $mid)" test -n "$mid"
[ -n "$jid" ] && [ -n "$mid" ] || { cat "$T/sbatch.err"; exit 1; }

# Meanwhile the reference: the same scenario in one process.
"$Z" run "$S" --quiet --threads 1 --output "$T/single.h5"
check "single-process reference run" test $? -eq 0

while [ $((SECONDS - START)) -lt "$LIMIT_S" ]; do
    [ -z "$(squeue -h -j "$jid,$mid" 2>/dev/null)" ] && break
    sleep 0.5
done
check "the array and the merge finished within ${LIMIT_S} s (after $((SECONDS - START)) s)" \
    test -z "$(squeue -h -j "$jid,$mid" 2>/dev/null)"
jstate() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | tr '\n' ' '; }
check "every array task completed ($(jstate "$jid"))" test "$(jstate "$jid")" = "JobState=COMPLETED "
check "the merge job completed ($(jstate "$mid"))" test "$(jstate "$mid")" = "JobState=COMPLETED "
ok=1
for i in 0 1 2 3; do
    grep -q "shard $i/4 of $S on $cpus threads" "$D/out/shard-$i.log" || ok=0
    grep -q "simulated on $cpus thread" "$D/out/shard-$i.log" || ok=0
done
check "task I ran shard I/4 on SLURM_CPUS_PER_TASK = $cpus OpenMP threads" test $ok -eq 1
check "each task wrote its shard file and removed its checkpoints" \
    bash -c "ls '$D'/out/m.shard-{0,1,2,3}-of-4.h5 >/dev/null && ! ls -d '$D'/out/*.partial 2>/dev/null | grep -q ."
check "the merge job joined the 4 shards" grep -q "merged 4 shards of scenario 'small'" "$D/out/merge.log"
if [ -f "$D/out/m.h5" ]; then
    "$PY" tests/h5same.py "$T/single.h5" "$D/out/m.h5" >"$T/same.out" 2>&1
    check "the merged Slurm result equals the single-process run in every dataset and attribute" \
        test $? -eq 0
    cat "$T/same.out"
else
    fail "the merge job wrote no results file"
    for f in "$D"/out/*.log; do echo "--- $f"; tail -5 "$f"; done
fi
