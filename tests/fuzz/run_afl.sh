#!/usr/bin/env bash
# Runs the AFL++ harnesses of tests/fuzz/ one after the other, each for
# FUZZ_SECONDS (afl-fuzz -V), then prints per harness: executions, corpus
# entries (paths), crashes and hangs.  Crashing inputs are copied to
# tests/fuzz/crashes/<reader>/ (named by content hash) unless the harness
# no longer crashes on them (a crash of an earlier slice fixed since:
# counted as "fixed", not copied); a hang is re-run
# under `timeout 10` and counted as a hang only if it still runs past 10 s
# (else "slow", copied as slow-*).  Exits 1 when any harness crashed or hung.
#
# usage: run_afl.sh BUILD_DIR [READER...]     (readers: default all)
# env:   FUZZ_SECONDS (60), FUZZ_OUT (BUILD_DIR/afl), FUZZ_NICE (19),
#        FUZZ_TIMEOUT_MS (per-execution limit, 2000), FUZZ_RESUME (1: go on
#        from the corpus and counts a previous run left in FUZZ_OUT, afl-fuzz
#        -i -; default: start afresh from the seeds)
set -u
cd "$(dirname "$0")/../.."
B=${1:?usage: run_afl.sh BUILD_DIR [READER...]}; shift
SECS=${FUZZ_SECONDS:-60}
OUT=${FUZZ_OUT:-$B/afl}
NICE=${FUZZ_NICE:-19}
TMO=${FUZZ_TIMEOUT_MS:-2000}
D=tests/fuzz
FX=$D/fixtures
readers=("$@")
[ ${#readers[@]} -gt 0 ] || readers=(scenario points history orlib cpmp barriers osm zones)

# No root tweaks: run on a shared machine as it is.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
       AFL_NO_AFFINITY=1 AFL_QUIET=1
unset ZS_FUZZ_VERBOSE

# Arguments after the input file, and the dictionary, of each reader.
args_of() {
    case $1 in
    history|zones) echo "$FX/points_m.csv" ;;
    barriers) echo "$FX/points_m.csv $FX/points_ll.csv" ;;
    *) echo "" ;;
    esac
}
dict_of() {
    case $1 in
    scenario) echo "$OUT/yaml.dict" ;;
    barriers) echo "$D/dict/json.dict" ;;
    osm) echo "$D/dict/xml.dict" ;;
    *) echo "$D/dict/csv.dict" ;;
    esac
}

mkdir -p "$OUT"
# The YAML dictionary: the fixed tokens plus every section and key name.
{
    cat "$D/dict/yaml_base.dict"
    "$B/zonesim" keys | sed -n 's/^| `\([^`]*\)`.*/\1/p' | tr '.' '\n' | sed 's/\[\]//' |
        sort -u | grep -E '^[a-z_]+$' | sed 's/.*/key_&="&: "/'
} >"$OUT/yaml.dict"

stat_of() { sed -n "s/^$2 *: *//p" "$1/default/fuzzer_stats" 2>/dev/null | head -1; }

bad=0
rows=()
for r in "${readers[@]}"; do
    h=$B/fuzz/fuzz_$r
    if [ ! -x "$h" ]; then
        echo "run_afl: no harness $h (make fuzz-build)" >&2
        bad=1
        continue
    fi
    o=$OUT/$r
    in=$D/seeds/$r
    if [ "${FUZZ_RESUME:-0}" = 1 ] && [ -f "$o/default/fuzzer_stats" ]; then
        in=-
    else
        rm -rf "$o"
    fi
    # shellcheck disable=SC2046
    nice -n "$NICE" afl-fuzz -i "$in" -o "$o" -V "$SECS" -m none -t "$TMO" \
        -x "$(dict_of "$r")" -- "$h" @@ $(args_of "$r") >"$OUT/$r.log" 2>&1
    frc=$?
    if [ ! -f "$o/default/fuzzer_stats" ]; then
        echo "run_afl: afl-fuzz did not run for $r (exit $frc); last lines of $OUT/$r.log:" >&2
        tail -15 "$OUT/$r.log" >&2
        bad=1
        rows+=("$(printf '%-9s %12s %8s %8s %6s %6s %6s' "$r" "-" "-" "-" "-" "-" "-")")
        continue
    fi
    crashes=0 hangs=0 slow=0 fixed=0
    for f in "$o"/default/crashes/id:*; do
        [ -f "$f" ] || continue
        # shellcheck disable=SC2046
        if timeout 10 "$h" "$f" $(args_of "$r") >/dev/null 2>&1; then
            fixed=$((fixed + 1))
            continue
        fi
        crashes=$((crashes + 1))
        mkdir -p "$D/crashes/$r"
        cp "$f" "$D/crashes/$r/$r-$(sha1sum "$f" | cut -c1-12)"
    done
    for f in "$o"/default/hangs/id:*; do
        [ -f "$f" ] || continue
        mkdir -p "$D/crashes/$r"
        # shellcheck disable=SC2046
        if timeout 10 "$h" "$f" $(args_of "$r") >/dev/null 2>&1 || [ $? -ne 124 ]; then
            slow=$((slow + 1))
            cp "$f" "$D/crashes/$r/slow-$(sha1sum "$f" | cut -c1-12)"
        else
            hangs=$((hangs + 1))
            cp "$f" "$D/crashes/$r/hang-$(sha1sum "$f" | cut -c1-12)"
        fi
    done
    [ $((crashes + hangs)) -eq 0 ] || bad=1
    rows+=("$(printf '%-9s %12s %8s %8s %6s %6s %6s' "$r" "$(stat_of "$o" execs_done)" \
        "$(stat_of "$o" corpus_count)" "$crashes" "$hangs" "$slow" "$fixed")")
done
echo "AFL++ campaign, ${SECS} s per harness (afl-fuzz -V; outputs in $OUT):"
printf '%-9s %12s %8s %8s %6s %6s %6s\n' reader executions paths crashes hangs slow fixed
printf '%s\n' "${rows[@]}"
if [ "$bad" -ne 0 ]; then
    echo "run_afl: findings (or a harness that did not run): see tests/fuzz/crashes/ and tests/fuzz/README.md"
    exit 1
fi
echo "run_afl: no crash, no hang"
