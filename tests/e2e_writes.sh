#!/usr/bin/env bash
# End-to-end tests of writes that never lose or clobber (issue 22, items 3,
# 4 and 8): a full disk (a 200 KB tmpfs in a user+mount namespace, when the
# machine allows one) is "PATH: disk full (No space left on device) while
# writing ...", exit 1, no temporary left, no crash at exit, an existing
# output untouched; a read-only or unusable folder fails before the
# computation; two runs to one output: one writes a complete file, the
# other is refused at once naming the first's pid; a killed run's lock and
# temporary do not block the next run.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_writes; rm -rf "$T"; mkdir -p "$T"
. tests/lib_e2e.sh
S=scenarios/tests/small.yaml   # 12 replications x 7 days, 2 plans
# 3,000 replications: minutes of simulation, so a refusal within seconds
# shows the check came before it.
sed 's/replications: 12/replications: 3000/' "$S" >"$T/huge.yaml"
sed 's/replications: 12/replications: 300/' "$S" >"$T/long.yaml"   # ~2.5 s
no_tmp() { ! ls -a "$1" | grep -q '\.tmp$'; }

# --- a full disk --------------------------------------------------------------
mkdir -p "$T/tiny"
if unshare -rm sh -c "mount -t tmpfs -o size=200k tmpfs '$T/tiny'" 2>/dev/null; then
    cat >"$T/full.sh" <<EOF
set -u
mount -t tmpfs -o size=200k tmpfs "$T/tiny" || exit 99
cd "$PWD"
printf 'old results\n' >"$T/tiny/r.h5"
"$Z" run "$S" --quiet --output "$T/tiny/r.h5" >/dev/null 2>"$T/full-run.err"; echo \$? >"$T/full-run.rc"
cp "$T/tiny/r.h5" "$T/full-r.after"; ls -a "$T/tiny" >"$T/full-run.ls"
rm -f "$T/tiny/"*
"$Z" run "$S" --quiet --checkpoint-every 2 --output "$T/tiny/c.h5" >/dev/null 2>"$T/full-ckpt.err"; echo \$? >"$T/full-ckpt.rc"
ls -a "$T/tiny" "$T/tiny/c.h5.partial" >"$T/full-ckpt.ls" 2>&1
rm -rf "$T/tiny/"*
"$Z" generate --points 20000 --output "$T/tiny/p.csv" >/dev/null 2>"$T/full-gen.err"; echo \$? >"$T/full-gen.rc"
ls -a "$T/tiny" >"$T/full-gen.ls"
rm -rf "$T/tiny/"*
head -c 300000 /dev/zero >"$T/tiny/fill" 2>/dev/null   # until the disk is full
"$Z" run "$T/huge.yaml" --quiet --output "$T/tiny/u.h5" >/dev/null 2>"$T/full-up.err"; echo \$? >"$T/full-up.rc"
ls -a "$T/tiny" >"$T/full-up.ls"
rm -rf "$T/tiny/"*
mount -o remount,ro "$T/tiny"
"$Z" run "$T/huge.yaml" --quiet --output "$T/tiny/ro.h5" >/dev/null 2>"$T/full-ro.err"; echo \$? >"$T/full-ro.rc"
EOF
    timeout 120 unshare -rm bash "$T/full.sh"
    rc=$(cat "$T/full-run.rc" 2>/dev/null || echo none)
    check_exit "run on a full disk: exit 1 (not a crash at exit)" "${rc/none/-1}" 1 "$(cat "$T/full-run.err")" \
        "zonesim: $T/tiny/r.h5: disk full (No space left on device) while writing"
    check "... the existing output untouched, no temporary and no lock left" \
        bash -c "[ \"\$(cat '$T/full-r.after')\" = 'old results' ] && ! grep -q 'tmp\$\|lock\$' '$T/full-run.ls'"
    rc=$(cat "$T/full-ckpt.rc" 2>/dev/null || echo -1)
    check_exit "checkpoint blocks on a full disk: exit 1 naming the block" "$rc" 1 "$(cat "$T/full-ckpt.err")" \
        "c.h5.partial/block-"
    check "... 'disk full', and no temporary left" \
        bash -c "grep -q 'disk full (No space left on device) while writing' '$T/full-ckpt.err' && ! grep -q 'tmp\$' '$T/full-ckpt.ls'"
    rc=$(cat "$T/full-gen.rc" 2>/dev/null || echo -1)
    check_exit "a text output (generate) on a full disk: exit 1, disk full" "$rc" 1 "$(cat "$T/full-gen.err")" \
        "$T/tiny/p.csv: disk full (No space left on device) while writing"
    check "... no CSV and no temporary left" bash -c "! grep -q 'p.csv' '$T/full-gen.ls'"
    rc=$(cat "$T/full-up.rc" 2>/dev/null || echo -1)
    check_exit "a disk already full fails before the simulation (3,000 replications)" "$rc" 1 \
        "$(cat "$T/full-up.err")" "disk full (No space left on device)"
    check "... leaving nothing" bash -c "! grep -q 'u.h5' '$T/full-up.ls'"
    rc=$(cat "$T/full-ro.rc" 2>/dev/null || echo -1)
    check_exit "a read-only file system: exit 2 before the simulation, named" "$rc" 2 \
        "$(cat "$T/full-ro.err")" "Read-only file system"
else
    echo "SKIP: full and read-only disks (no user and mount namespace here: unshare -rm)"
fi

# --- an unusable folder fails at once -------------------------------------------
echo "a file" >"$T/plain"
start=$(date +%s)
out=$(timeout 60 "$Z" run "$T/huge.yaml" --quiet --output "$T/plain/r.h5" 2>&1); rc=$?
check_exit "an output under a file (not a folder): exit 2 before the simulation" $rc 2 "$out" \
    "$T/plain/r.h5"
check "... within seconds (the simulation would take minutes)" test $(( $(date +%s) - start )) -lt 20

# --- two runs, one output ---------------------------------------------------------
"$Z" run "$T/long.yaml" --quiet --threads 1 --output "$T/r.h5" >"$T/a.out" 2>"$T/a.err" &
a=$!
for _ in $(seq 1 200); do [ -e "$T/r.h5.lock" ] && break; sleep 0.05; done
check "the first run holds r.h5.lock with its pid" bash -c "[ \"\$(cat '$T/r.h5.lock')\" = $a ]"
out=$("$Z" run "$S" --quiet --output "$T/r.h5" 2>&1); rc=$?
check_exit "a second run to the same output is refused at once (exit 2), naming the first" $rc 2 "$out" \
    "zonesim: $T/r.h5 is being written by another zonesim (pid $a)"
out=$("$Z" merge "$T/r.h5" "$T/none-0.h5" 2>&1); rc=$?
check_exit "so is a merge to it" $rc 2 "$out" "is being written by another zonesim (pid $a)"
wait $a; rc=$?
check "the first run completes (exit 0)" test $rc -eq 0
check "its file is complete and verified (inspect exit 0)" bash -c "'$Z' inspect '$T/r.h5' >/dev/null"
check "no lock and no temporary left" bash -c "[ ! -e '$T/r.h5.lock' ] && ! ls '$T' | grep -q '^r\.h5\..*tmp$'"
check "it is the first run's (300 replications)" bash -c "'$Z' inspect '$T/r.h5' | grep -q '300 replications x 7 days'"
cp "$T/r.h5" "$T/r.before"
"$Z" run "$S" --quiet --output "$T/r.h5" >/dev/null 2>&1
check "a later run replaces it by a rename of a complete file" \
    bash -c "! cmp -s '$T/r.h5' '$T/r.before' && '$Z' inspect '$T/r.h5' >/dev/null"

# --- a killed run leaves no obstacle -----------------------------------------------
"$Z" run "$T/huge.yaml" --quiet --threads 1 --checkpoint-every 4 --output "$T/k.h5" >/dev/null 2>&1 &
k=$!
for _ in $(seq 1 200); do ls "$T/k.h5.partial" 2>/dev/null | grep -q '^block-' && break; sleep 0.05; done
kill -KILL $k; wait $k 2>/dev/null
check "a killed run leaves its lock file behind" test -e "$T/k.h5.lock"
echo "leftover" >"$T/k.h5.$k.3.tmp"           # as a write cut short would leave it
"$Z" run "$S" --quiet --output "$T/k.h5" >/dev/null 2>"$T/k.err"
check "the next run to that output is not blocked (exit 0)" test $? -eq 0
check "... and removed the dead run's temporary and lock" \
    bash -c "[ ! -e '$T/k.h5.$k.3.tmp' ] && [ ! -e '$T/k.h5.lock' ] && '$Z' inspect '$T/k.h5' >/dev/null"

# --- text outputs: the same lock --------------------------------------------------
"$Z" run "$T/long.yaml" --quiet --threads 1 --output "$T/t.h5" >/dev/null 2>&1 &
a=$!
for _ in $(seq 1 200); do [ -e "$T/t.h5.lock" ] && break; sleep 0.05; done
out=$("$Z" generate --points 50 --output "$T/t.h5" 2>&1); rc=$?
check_exit "a text writer to an output being written is refused too" $rc 2 "$out" \
    "is being written by another zonesim (pid $a)"
wait $a
check "the results file is intact afterwards" bash -c "'$Z' inspect '$T/t.h5' >/dev/null"
check "no temporary left in the folder" no_tmp "$T"
