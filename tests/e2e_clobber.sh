#!/usr/bin/env bash
# End-to-end tests of outputs that name an input (issue 22, item 5): every
# command that writes refuses an output that is one of its own inputs, by
# the same path, a symlink or a hard link (same inode), with exit 2 and
# "OUT is also an input (WHAT); choose another output", before any work;
# the input is left byte for byte as it was (cmp against a copy).
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}
T=${ZS_TMP:-$(mktemp -d)}/e2e_clobber; rm -rf "$T"; mkdir -p "$T"
. tests/lib_e2e.sh

# Twelve points in metres, with a planner's zone column.
{
    echo "id,x,y,type,parcels,zone"
    for i in $(seq 1 12); do
        echo "p$i,$((i * 150 % 1100)),$((i * 370 % 900)),residential,2,z$((i % 3))"
    done
} >"$T/pts.csv"
printf 'id,zone\n' >"$T/zones.csv"
for i in $(seq 1 12); do printf 'p%d,m%d\n' "$i" $((i % 2)) >>"$T/zones.csv"; done
cat >"$T/sc.yaml" <<'EOF'
name: clobber
points:
  file: pts.csv
plans:
  - {name: km, method: kmeans, k: 2}
  - {name: mine, method: manual, file: zones.csv}
simulation: {days: 2, replications: 2, seed: 3}
output: r.h5
EOF
"$Z" run "$T/sc.yaml" --quiet --output "$T/r.h5" >/dev/null 2>"$T/run.err"
check "a run to a new file works (the fixture)" test -s "$T/r.h5"
# history for calibrate: three weeks of one parcel a day at each point
{
    echo "date,id,parcels"
    for d in $(seq 5 25); do for i in 1 2 3; do printf '2026-01-%02d,p%d,1\n' "$d" "$i"; done; done
} >"$T/hist.csv"

# refused DESC INPUT OUTPUT-AS-GIVEN WHAT CMD...: exit 2, the message, and
# INPUT unchanged.
refused() {
    local desc=$1 input=$2 out=$3 what=$4; shift 4
    cp "$input" "$T/before"
    local got rc
    got=$("$@" 2>&1 >/dev/null); rc=$?
    check_exit "$desc: exit 2, named" $rc 2 "$got" "$out is also an input ($what); choose another output"
    check "$desc: the input is unchanged" cmp -s "$input" "$T/before"
}

# --- run -----------------------------------------------------------------------------
refused "run -o the points file" "$T/pts.csv" "$T/pts.csv" "$T/sc.yaml's points.file" \
    "$Z" run "$T/sc.yaml" --quiet -o "$T/pts.csv"
refused "run -o the scenario" "$T/sc.yaml" "$T/sc.yaml" "the scenario file" \
    "$Z" run "$T/sc.yaml" --quiet -o "$T/sc.yaml"
refused "run -o the planner's zone file" "$T/zones.csv" "$T/zones.csv" "$T/sc.yaml's plans[1].file" \
    "$Z" run "$T/sc.yaml" --quiet -o "$T/zones.csv"
ln -sf pts.csv "$T/link.csv"
refused "run -o a symlink to the points file" "$T/pts.csv" "$T/link.csv" "$T/sc.yaml's points.file" \
    "$Z" run "$T/sc.yaml" --quiet -o "$T/link.csv"
ln -f "$T/pts.csv" "$T/hard.csv"
refused "run -o a hard link to the points file" "$T/pts.csv" "$T/hard.csv" "$T/sc.yaml's points.file" \
    "$Z" run "$T/sc.yaml" --quiet -o "$T/hard.csv"
check "... and no temporary file left beside it" test ! -e "$T/pts.csv.tmp"
# the scenario's own output key naming its points file
sed 's/^output: r.h5/output: pts.csv/' "$T/sc.yaml" >"$T/sc-out.yaml"
refused "the scenario's output naming its points file" "$T/pts.csv" "pts.csv" "sc-out.yaml's points.file" \
    bash -c "cd '$T' && '$Z' run sc-out.yaml --quiet"
refused "staff SCENARIO --output the points file" "$T/pts.csv" "$T/pts.csv" "$T/sc.yaml's points.file" \
    "$Z" staff "$T/sc.yaml" --output "$T/pts.csv"
refused "compare --output the scenario" "$T/sc.yaml" "$T/sc.yaml" "the scenario file" \
    "$Z" compare "$T/sc.yaml" --quiet --output "$T/sc.yaml"

# --- partition, calibrate, generate ----------------------------------------------------
refused "partition POINTS -o POINTS" "$T/pts.csv" "$T/pts.csv" "the points file" \
    "$Z" partition "$T/pts.csv" --method kmeans --k 2 -o "$T/pts.csv"
refused "partition --moved the repair-from file" "$T/zones.csv" "$T/zones.csv" "--repair-from" \
    "$Z" partition "$T/pts.csv" --method territory --k 2 --repair-from "$T/zones.csv" \
    --moved "$T/zones.csv"
refused "calibrate --points-out its --points" "$T/pts.csv" "$T/pts.csv" "--points" \
    "$Z" calibrate "$T/hist.csv" --points "$T/pts.csv" --points-out "$T/pts.csv"
refused "calibrate --points-out its history" "$T/hist.csv" "$T/hist.csv" "the history" \
    "$Z" calibrate "$T/hist.csv" --points "$T/pts.csv" --points-out "$T/hist.csv"
refused "calibrate --h5 its history" "$T/hist.csv" "$T/hist.csv" "the history" \
    "$Z" calibrate "$T/hist.csv" --points "$T/pts.csv" --h5 "$T/hist.csv"
refused "generate --output its --scenario" "$T/sc.yaml" "$T/sc.yaml" "--scenario" \
    "$Z" generate --scenario "$T/sc.yaml" --output "$T/sc.yaml"
# a scenario with a generated city, for generate --barriers onto it
printf 'name: gen\npoints:\n  generate: {n_points: 30, seed: 2}\n' >"$T/gen.yaml"
refused "generate --barriers its --scenario" "$T/gen.yaml" "$T/gen.yaml" "--scenario" \
    "$Z" generate --scenario "$T/gen.yaml" --output "$T/g.csv" --river --barriers "$T/gen.yaml"

# --- commands reading a results file ------------------------------------------------
refused "export --geojson the results file" "$T/r.h5" "$T/r.h5" "the results file" \
    "$Z" export "$T/r.h5" --geojson "$T/r.h5"
refused "export --svg the results file" "$T/r.h5" "$T/r.h5" "the results file" \
    "$Z" export "$T/r.h5" --svg "$T/r.h5"
refused "staff R.h5 --output R.h5" "$T/r.h5" "$T/r.h5" "the results file" \
    "$Z" staff "$T/r.h5" --output "$T/r.h5"
cp "$T/r.h5" "$T/before"
got=$("$Z" report "$T/r.h5" --output "$T/r.h5" 2>&1); rc=$?
check_exit "report --output the results file: exit 2" $rc 2 "$got" "is the results file itself"
check "... the results file is unchanged" cmp -s "$T/r.h5" "$T/before"
cp "$T/r.h5" "$T/before"
got=$("$Z" merge "$T/r.h5" "$T/r.h5" 2>&1); rc=$?
check_exit "merge OUT onto its shard: exit 2" $rc 2 "$got" "is one of the shards"
check "... the shard is unchanged" cmp -s "$T/r.h5" "$T/before"

# --- distinct outputs still work -------------------------------------------------------
"$Z" partition "$T/pts.csv" --method kmeans --k 2 -o "$T/assign.csv" >/dev/null 2>&1; rc=$?
check "partition to a new file: exit 0" test $rc -eq 0 -a -s "$T/assign.csv"
"$Z" partition "$T/pts.csv" --method kmeans --k 2 -o "$T/assign.csv" >/dev/null 2>&1; rc=$?
check "partition over its own earlier output (not an input): exit 0" test $rc -eq 0
"$Z" export "$T/r.h5" --geojson "$T/map.geojson" >/dev/null 2>&1; rc=$?
check "export to a new file: exit 0" test $rc -eq 0 -a -s "$T/map.geojson"
