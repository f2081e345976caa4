#!/usr/bin/env bash
# End-to-end tests of checkpoints: a run with --checkpoint-every is killed
# (SIGKILL) at a random moment after it has written its first block; it
# leaves no results file, only OUTPUT.partial/; --resume (on another thread
# count) runs only the missing blocks and writes a file equal to an
# uninterrupted run in every dataset and attribute (tests/h5same.py).
# Checkpoints of another scenario, seed or damaged ones are refused with
# exit status 2, and a run never silently starts over existing checkpoints.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_resume; rm -rf "$T"; mkdir -p "$T"

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; fi; }
same() { "$PY" tests/h5same.py "$1" "$2" >"$T/same.out" 2>&1 || { cat "$T/same.out"; return 1; }; }
nblocks() { ls "$1" 2>/dev/null | grep -c '^block-[0-9]*-[0-9]*\.h5$'; }

# The small scenario with 400 replications: about 2 s on one thread at -O2,
# 8 ms a replication, so blocks of 16 come every ~0.1 s.
sed 's/replications: 12/replications: 400/' scenarios/tests/small.yaml >"$T/long.yaml"
check "the long test scenario has 400 replications" grep -q 'replications: 400' "$T/long.yaml"

"$Z" run "$T/long.yaml" --quiet --threads 1 --output "$T/ref.h5"
check "uninterrupted reference run" test $? -eq 0

# --- kill at a random moment after the first block ------------------------------
"$Z" run "$T/long.yaml" --quiet --threads 1 --checkpoint-every 16 --output "$T/r.h5" &
pid=$!
for _ in $(seq 1 600); do  # up to 60 s (sanitizer builds are slow)
    [ "$(nblocks "$T/r.h5.partial")" -ge 1 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
done
delay_ms=$((RANDOM % 400))
sleep "$(printf '0.%03d' $delay_ms)"
kill -KILL $pid 2>/dev/null
{ wait $pid; } 2>/dev/null; rc=$?
echo "   (killed ${delay_ms} ms after the first block; exit status $rc)"
check "the run was killed mid-run by SIGKILL (status 137)" test $rc -eq 137
done_blocks=$(nblocks "$T/r.h5.partial")
check "the killed run left finished blocks in r.h5.partial/ ($done_blocks of 25)" \
    bash -c "[ $done_blocks -ge 1 ] && [ $done_blocks -lt 25 ]"
check "the killed run left no file that looks complete (no r.h5)" test ! -e "$T/r.h5"
"$Z" inspect "$T/r.h5" >/dev/null 2>&1; check "inspect of the killed run's output exits 2" test $? -eq 2
first=$(ls "$T/r.h5.partial" | grep -m1 '^block-.*\.h5$')
"$Z" inspect "$T/r.h5.partial/$first" >/dev/null 2>"$T/r.err"
check "a checkpoint block is not mistaken for a results file" \
    bash -c "[ $? -eq 2 ] && grep -q 'not a zonesim results file' '$T/r.err'"

# Keep a copy of the checkpoints for the refusal tests below.
cp -r "$T/r.h5.partial" "$T/saved.partial"

# --- without --resume the run refuses to start over ----------------------------------
"$Z" run "$T/long.yaml" --quiet --checkpoint-every 16 --output "$T/r.h5" 2>"$T/r.err"; rc=$?
check "a new run over existing checkpoints exits 2 and asks for --resume" \
    bash -c "[ $rc -eq 2 ] && grep -q 'r.h5.partial exists: an interrupted run left its finished replications there; add --resume' '$T/r.err'"
check "... and leaves the checkpoints alone" test "$(nblocks "$T/r.h5.partial")" -eq "$done_blocks"

# --- resume on 2 threads, with a leftover .tmp of the killed block ----------------------
touch "$T/r.h5.partial/block-384-400.h5.tmp"
"$Z" run "$T/long.yaml" --threads 2 --resume --output "$T/r.h5" >"$T/resume.out" 2>"$T/resume.err"
check "--resume completes the run (exit 0)" test $? -eq 0
resumed=$(sed -n 's/^checkpoints: \([0-9]*\) replications\{0,1\} resumed.*/\1/p' "$T/resume.out")
written=$(sed -n 's/.*, \([0-9]*\) blocks\{0,1\} written.*/\1/p' "$T/resume.out")
check "--resume took the $done_blocks finished blocks ($resumed replications) and ran only the other $written" \
    bash -c "[ '$resumed' = $((16 * done_blocks)) ] && [ '$written' = $((25 - done_blocks)) ]"
check "the resumed run equals the uninterrupted run in every dataset and attribute" same "$T/ref.h5" "$T/r.h5"
check "the checkpoint directory is removed once the file is written" test ! -e "$T/r.h5.partial"
check "no temporary file is left" bash -c "! ls '$T'/*.tmp 2>/dev/null | grep -q ."

# --- resume with nothing to resume, and a checkpointed shard ----------------------------
"$Z" run scenarios/tests/small.yaml --quiet --threads 1 --output "$T/small.h5"
"$Z" run scenarios/tests/small.yaml --quiet --resume --output "$T/small-r.h5"
check "--resume without checkpoints runs the whole run" same "$T/small.h5" "$T/small-r.h5"
"$Z" run scenarios/tests/small.yaml --quiet --shard 1/2 --output "$T/sh.h5" &&
    mv "$T/sh.shard-1-of-2.h5" "$T/plain.shard-1-of-2.h5" &&
    "$Z" run scenarios/tests/small.yaml --quiet --threads 2 --shard 1/2 --checkpoint-every 4 --output "$T/sh.h5"
check "a shard written in checkpointed blocks equals the plain shard" \
    same "$T/plain.shard-1-of-2.h5" "$T/sh.shard-1-of-2.h5"
check "... and its checkpoints are gone" test ! -e "$T/sh.shard-1-of-2.h5.partial"

# --- checkpoints of another run are refused ------------------------------------------------
refuse() { # DESC SCENARIO REGEX
    rm -rf "$T/x.h5.partial"; cp -r "$T/saved.partial" "$T/x.h5.partial"
    "$Z" run "$2" --quiet --resume --output "$T/x.h5" 2>"$T/r.err"; local rc=$?
    if [ $rc -eq 2 ] && grep -Eq "$3" "$T/r.err" && [ ! -e "$T/x.h5" ]; then
        pass "$1: exit 2, '$(cat "$T/r.err")'"
    else
        fail "$1 (exit $rc, stderr: $(cat "$T/r.err"))"
    fi
}
sed 's/seed: 99, start_date/seed: 98, start_date/' "$T/long.yaml" >"$T/seed98.yaml"
(cat "$T/long.yaml"; echo "# edited") >"$T/edited.yaml"
refuse "resume with another seed" "$T/seed98.yaml" \
    'x.h5.partial/block-[0-9]+-[0-9]+.h5: written with master seed 99, the scenario now has 98; these checkpoints belong to another run: remove .*x.h5.partial to start afresh'
refuse "resume after the scenario file changed" "$T/edited.yaml" \
    'written for another scenario text \(the scenario file changed\); these checkpoints belong to another run'
rm -rf "$T/x.h5.partial"; cp -r "$T/saved.partial" "$T/x.h5.partial"
echo "not hdf5" >"$T/x.h5.partial/$first"
"$Z" run "$T/long.yaml" --quiet --resume --output "$T/x.h5" 2>"$T/r.err"; rc=$?
check "a damaged block is refused, named, with what to do (exit 2)" \
    bash -c "[ $rc -eq 2 ] && grep -q '$first: not an HDF5 file (a damaged checkpoint block): remove it' '$T/r.err' && [ ! -e '$T/x.h5' ]"
"$Z" run "$T/long.yaml" --quiet --checkpoint-every 0 --output "$T/x.h5" 2>"$T/r.err"; rc=$?
check "--checkpoint-every 0 exits 2" bash -c "[ $rc -eq 2 ] && grep -q 'checkpoint-every' '$T/r.err'"
