#!/usr/bin/env bash
# Runs every unit-test program and every end-to-end script, counts the
# PASS/FAIL lines they print and ends with "N passed, N failed".
# A program that crashes or exits non-zero without a FAIL line counts as one
# failure, so a sanitizer abort can never pass silently.
set -u
: "${ZS_BUILD:?}" "${ZS_BIN:?}"
cd "$(dirname "$0")/.."
export ZS_BIN ZS_BUILD PYTHON="${PYTHON:-/usr/bin/python3}"
export ZS_SHARED="${ZS_SHARED:-$(cd .. && pwd)/shared}"
export ZS_TMP; ZS_TMP=$(mktemp -d); trap 'rm -rf "$ZS_TMP"' EXIT
pass=0; fail=0
run_one() {
    local name=$1; shift
    local log="$ZS_TMP/$name.log" rc
    echo "== $name"
    "$@" >"$log" 2>&1; rc=$?
    cat "$log"
    local p f
    p=$(grep -c '^PASS: ' "$log"); f=$(grep -c '^FAIL: ' "$log")
    pass=$((pass + p)); fail=$((fail + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL: $name exited with status $rc without reporting a failed check"
        fail=$((fail + 1))
    fi
}
for t in "$ZS_BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    run_one "$(basename "$t")" "$t"
done
for s in tests/e2e_*.sh; do
    [ -f "$s" ] || continue
    run_one "$(basename "$s" .sh)" bash "$s"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
