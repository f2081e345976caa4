#!/usr/bin/env bash
# Regression tests of the fuzz campaign (tests/fuzz/README.md): every file
# under tests/fuzz/regress/<reader>/ -- an input that once crashed or hung a
# reader, kept after the fix -- goes through the CLI command that reads that
# kind of file, under `timeout 10`: the exit status must be 0 or 2, never a
# signal, a sanitizer report or a timeout.  Before that, each command is run
# once on a good file and must exit 0, so a command line gone stale (a
# renamed option exits 2 too) cannot make the regression checks pass; and
# each AFL++ harness (built by make build, without AFL) runs on its seeds
# and the regression inputs.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}
T=${ZS_TMP:-$(mktemp -d)}/e2e_fuzz_regress; rm -rf "$T"; mkdir -p "$T"
. tests/lib_e2e.sh
FX=tests/fuzz/fixtures
S=tests/fuzz/seeds
R=tests/fuzz/regress
export OMP_NUM_THREADS=1

# cmd_of READER FILE: the command that reads FILE as READER's kind of file.
cmd_of() {
    local f=$2
    case $1 in
    scenario) echo run "$f" --quiet --threads 1 --output "$T/o.h5" ;;
    results) echo inspect "$f" ;;
    points) echo partition "$f" --method kmeans -k 2 ;;
    history) echo calibrate "$f" --points "$FX/points_m.csv" --scan-column scan ;;
    orlib) echo partition "$f" --input-format orlib-pmed --method pmedian-ip --time-limit 5 ;;
    cpmp) echo partition "$f" --input-format cpmp --method pmedian-ip --time-limit 5 ;;
    barriers) echo partition "$FX/points_m.csv" --method kmeans -k 2 --barriers "$f" ;;
    osm) echo generate --osm "$f" --points 20 --output "$T/g.csv" ;;
    zones) echo partition "$FX/points_m.csv" --method territory --repair-from "$f" ;;
    *) return 1 ;;
    esac
}

# run_one READER FILE: exit status of the reader on FILE (124 on a timeout);
# stderr in $T/err.  No path here contains blanks (checked below).
run_one() {
    local c
    c=$(cmd_of "$1" "$2") || return 99
    rm -f "$T/o.h5" "$T/g.csv"
    # shellcheck disable=SC2086
    timeout -s KILL 10 "$Z" $c >/dev/null 2>"$T/err"
    local rc=$?
    [ $rc -eq 137 ] && rc=124
    return $rc
}

# --- the command lines read good files -----------------------------------------
good() {
    run_one "$1" "$2"; local rc=$?
    if [ $rc -eq 0 ]; then pass "$1: the regression command reads a good file ($2)"
    else fail "$1: the regression command exits $rc on a good file ($2)"; head -3 "$T/err"; fi
}
good scenario "$S/scenario/small.yaml"
cp "$T/o.h5" "$T/good.h5" 2>/dev/null
good results "$T/good.h5"
good points "$FX/points_m.csv"
good history "$S/history/h2.csv"
good orlib "$S/orlib/tiny.txt"
good cpmp "$S/cpmp/tiny.txt"
good barriers "$S/barriers/m.geojson"
good osm "$S/osm/tiny.osm"
good zones "$S/zones/ok.csv"

# --- the AFL++ harnesses (built by make build with the compiler, no AFL) --------------
# Each reads its seeds and the regression inputs of its reader and exits 0:
# a refused file is not a finding, a crash or a sanitizer abort is.
harness_args() {
    case $1 in
    history|zones) echo "$FX/points_m.csv" ;;
    barriers) echo "$FX/points_m.csv $FX/points_ll.csv" ;;
    esac
}
for h in scenario points history orlib cpmp barriers osm zones; do
    hb=$ZS_BUILD/fuzz/fuzz_$h
    if [ ! -x "$hb" ]; then fail "harness $hb not built (make build)"; continue; fi
    bad=0 k=0
    for f in "$S/$h"/* "$R/$h"/*; do
        [ -f "$f" ] || continue
        case $f in *.md) continue ;; esac
        k=$((k + 1))
        # shellcheck disable=SC2046
        timeout -s KILL 10 "$hb" "$f" $(harness_args "$h") >/dev/null 2>&1 ||
            { bad=$((bad + 1)); echo "      fuzz_$h exits $? on $f"; }
    done
    check "fuzz_$h exits 0 on its $k seeds and regression inputs" test "$bad" -eq 0 -a "$k" -gt 0
done

# --- every regression input: exit 0 or 2 within 10 s ------------------------------
n=0
for d in "$R"/*/; do
    reader=$(basename "$d")
    if ! cmd_of "$reader" x >/dev/null; then
        fail "tests/fuzz/regress/$reader/: no command for reader '$reader' (see cmd_of)"
        continue
    fi
    for f in "$d"*; do
        [ -f "$f" ] || continue
        case $f in *.md) continue ;; esac
        case $f in *[[:space:]]*) fail "$f: blank in the file name"; continue ;; esac
        n=$((n + 1))
        start=$(date +%s%N)
        run_one "$reader" "$f"; rc=$?
        ms=$((($(date +%s%N) - start) / 1000000))
        if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/err"; then
            fail "$reader: $f: sanitizer report (exit $rc)"; head -5 "$T/err"
        elif [ $rc -eq 0 ] || { [ $rc -eq 2 ] && [ -s "$T/err" ]; }; then
            pass "$reader: $(basename "$f") exits $rc in $ms ms"
        elif [ $rc -eq 124 ]; then
            fail "$reader: $f runs past 10 s"
        else
            fail "$reader: $f exits $rc (want 0, or 2 with a message)"; head -3 "$T/err"
        fi
    done
done
check "the regression set is not empty ($n inputs under tests/fuzz/regress/)" test "$n" -gt 0
