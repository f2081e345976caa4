#!/usr/bin/env bash
# Paths checked before any work: a directory where a file is expected exits 2
# with "is a directory"; commands that write create the output's folders
# first, and refuse an output that is a directory before computing anything.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}
T=${ZS_TMP:-$(mktemp -d)}/e2e_paths; rm -rf "$T"; mkdir -p "$T"

. tests/lib_e2e.sh

out=$("$Z" run "$T" 2>&1); rc=$?
check_exit "run DIR: exit 2, is a directory" $rc 2 "$out" "$T: is a directory, not a file"

"$Z" run scenarios/tests/small.yaml --output "$T/new/deeper/r.h5" >/dev/null 2>&1
check "run: the output's missing folders are created" test -s "$T/new/deeper/r.h5"

out=$("$Z" run scenarios/tests/small.yaml --output "$T" 2>&1); rc=$?
check_exit "run --output DIR: exit 2 before simulating" $rc 2 "$out" "$T: is a directory; give a file name"
check "... nothing simulated" bash -c "! grep -q 'replications (' <<<\"\$1\"" _ "$out"

out=$("$Z" compare scenarios/study-50.yaml --output "$T" 2>&1); rc=$?
check_exit "compare --output DIR: exit 2 before the study runs" $rc 2 "$out" "is a directory"
check "... no instance computed" bash -c "! grep -q 'instance 1 of' <<<\"\$1\"" _ "$out"

out=$("$Z" export "$T" --svg "$T/m.svg" 2>&1); rc=$?
check_exit "export DIR: exit 2, is a directory" $rc 2 "$out" "is a directory, not a file"
"$Z" export "$T/new/deeper/r.h5" --svg "$T/maps/a/m.svg" >/dev/null 2>&1
check "export: the map's missing folders are created" test -s "$T/maps/a/m.svg"

out=$("$Z" merge "$T" "$T/new/deeper/r.h5" 2>&1); rc=$?
check_exit "merge into a directory: exit 2" $rc 2 "$out" "is a directory"

# A results file cut short (a copy that stopped early) is refused, exit 2.
head -c 20000 "$T/new/deeper/r.h5" >"$T/cut.h5"
out=$("$Z" export "$T/cut.h5" --svg "$T/cut.svg" 2>&1); rc=$?
check_exit "a truncated results file: exit 2, damaged or truncated" $rc 2 "$out" "damaged or truncated"
out=$("$Z" inspect "$T/cut.h5" 2>&1); rc=$?
check_exit "inspect of a truncated results file: exit 2" $rc 2 "$out" "damaged or truncated"
