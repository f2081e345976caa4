#!/usr/bin/env bash
# End-to-end tests of inputs as they come (issue 19): rows without
# coordinates (points.skip_missing, partition --skip-missing), empty zone
# labels (zones.unassigned: nearest, partition --unassigned), degrees that
# would be read as metres (a warning naming points.coords: lonlat or
# partition --coords lonlat) and partition's column options.  Exit codes,
# messages with file:line:column, the HDF5 attributes and plan status, and
# no results file where a run failed.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_inputs; rm -rf "$T"; mkdir -p "$T"
. tests/lib_e2e.sh

# Ten points in two couriers' areas, metres.  Line 4 has no x, line 7 an NA
# y; p9 (line 10) has no courier, nor has p3 (line 5).
cat >"$T/pts.csv" <<'EOF'
id,x,y,courier
p1,0,0,west
p2,300,100,west
p3,,200,east
p4,250,400,
p5,2000,0,east
p6,2100,NA,east
p7,2300,350,east
p8,150,250,west
p9,2050,300,
p10,100,500,west
EOF
scenario() { # NAME EXTRA-YAML...
    printf 'name: %s\npoints:\n  file: pts.csv\n  columns: {zone: courier}\n' "$1"
    shift
    printf '%s\n' "$@"
    printf 'plans:\n  - {name: couriers, method: manual}\n'
    printf 'simulation: {days: 2, replications: 2, seed: 5}\n'
}

# --- points.skip_missing -----------------------------------------------------------
scenario plain >"$T/plain.yaml"
out=$("$Z" run "$T/plain.yaml" --quiet --output "$T/plain.h5" 2>&1); rc=$?
check_exit "a row without x: exit 2 at its file:line:column, naming points.skip_missing" $rc 2 "$out" \
    "$T/pts.csv:4:4: column 'x': missing coordinate (''); set points.skip_missing: true to skip such rows"
check "... and no results file" test ! -e "$T/plain.h5"

scenario skip '  skip_missing: true' >"$T/skip.yaml"
out=$("$Z" run "$T/skip.yaml" --quiet --output "$T/skip.h5" 2>&1); rc=$?
check_exit "skip_missing with empty zone labels: exit 2 at the label, naming zones.unassigned" $rc 2 "$out" \
    "$T/pts.csv:5:12: column 'courier': empty zone label; set zones.unassigned: nearest to give such points the zone of the nearest labelled point"
check "... and no results file" test ! -e "$T/skip.h5"

scenario both '  skip_missing: true' 'zones: {unassigned: nearest}' >"$T/both.yaml"
"$Z" run "$T/both.yaml" --quiet --output "$T/both.h5" >"$T/both.out" 2>"$T/both.err"; rc=$?
check "skip_missing + zones.unassigned nearest: exit 0" test $rc -eq 0
check "... the skipped rows are reported with their lines (stderr, even with --quiet)" \
    grep -qxF "note: 2 rows without coordinates skipped (lines 4, 7)" "$T/both.err"
check "... and the unassigned points with theirs" \
    grep -qxF "note: 2 points without a zone label took the zone of the nearest labelled point (lines 5, 10)" "$T/both.err"
"$PY" - "$T/both.h5" <<'PYEOF'
import sys, h5py
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
with h5py.File(sys.argv[1], "r") as f:
    p = f["points"]
    ids = [s.decode() for s in p["id"][()]]
    check(ids == ["p1", "p2", "p4", "p5", "p7", "p8", "p9", "p10"],
          "/points holds the 8 rows with coordinates, in file order (%s)" % ids)
    check(int(p.attrs["rows_skipped"]) == 2 and int(p.attrs["zone_unassigned"]) == 2,
          "/points attributes rows_skipped 2, zone_unassigned 2")
    labels = [s.decode() for s in p["zone_given_label"][()]]
    given = [labels[z] for z in p["zone_given"][()]]
    # p4 (250, 400) is nearest p8 (150, 250) of west; p9 (2050, 300) nearest p7 of east.
    check(given[2] == "west" and given[6] == "east",
          "p4 took west (nearest p8), p9 took east (nearest p7): %s" % given)
    pl = f["plans/couriers"]
    st = pl.attrs["status"]
    st = st.decode() if isinstance(st, bytes) else st
    check(st == "given; 2 unassigned took the nearest zone", "the manual plan's status says so (%s)" % st)
    check(list(pl["zone"][()]) == list(p["zone_given"][()]), "the plan is the completed zone column")
PYEOF

# A manual plan file with an empty label follows zones.unassigned too.
printf 'id,zone\np1,A\np2,A\np4,\np5,B\np7,B\np8,A\np9,B\np10,\n' >"$T/plan.csv"
cat >"$T/planfile.yaml" <<'EOF'
name: planfile
points: {file: pts.csv, skip_missing: true, columns: {zone: courier}}
zones: {unassigned: nearest}
plans:
  - {name: mine, method: manual, file: plan.csv}
simulation: {days: 2, replications: 2, seed: 5}
EOF
"$Z" run "$T/planfile.yaml" --quiet --output "$T/planfile.h5" >/dev/null 2>"$T/planfile.err"
check "a manual plan file with empty labels under zones.unassigned: nearest runs" test $? -eq 0
"$PY" - "$T/planfile.h5" <<'PYEOF'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    pl = f["plans/mine"]
    st = pl.attrs["status"]
    st = st.decode() if isinstance(st, bytes) else st
    z = list(pl["zone"][()])
    # zones in order of appearance: A = 0, B = 1; p4 -> A (p8), p10 -> A (p8 at 250 m)
    ok = st == "given; 2 unassigned took the nearest zone" and z == [0, 0, 0, 1, 1, 0, 1, 0]
    print(("PASS: " if ok else "FAIL: ") + "plan file: p4 and p10 take A, status counts 2 (%s, %s)" % (st, z))
PYEOF
cat >"$T/planfile.yaml" <<'EOF'
name: planfile-error
points: {file: pts.csv, skip_missing: true}
plans:
  - {name: mine, method: manual, file: plan.csv}
simulation: {days: 2, replications: 2, seed: 5}
EOF
out=$("$Z" run "$T/planfile.yaml" --quiet --output "$T/planfile2.h5" 2>&1); rc=$?
check_exit "zones.unassigned: error with an empty label in the plan file: exit 2 at file:line:column" $rc 2 "$out" \
    "$T/plan.csv:4:4: column 'zone': empty zone label; set zones.unassigned: nearest"
check "... and no results file" test ! -e "$T/planfile2.h5"

printf 'name: b\npoints: {generate: {n_points: 20}}\nzones: {unassigned: closest}\n' >"$T/bad.yaml"
out=$("$Z" run "$T/bad.yaml" --quiet --output "$T/bad.h5" 2>&1); rc=$?
check_exit "zones.unassigned: closest is a scenario error at the key" $rc 2 "$out" \
    "bad.yaml:3:21: zones.unassigned: expected error or nearest, got 'closest'"
printf 'name: b\npoints: {generate: {n_points: 20}}\nzones: {unasigned: nearest}\n' >"$T/bad2.yaml"
out=$("$Z" run "$T/bad2.yaml" --quiet --output "$T/bad.h5" 2>&1); rc=$?
check_exit "a misspelt zones key names the keys it expects" $rc 2 "$out" \
    "unknown key 'unasigned' in zones (expected one of: unassigned)"

# --- degrees read as metres ---------------------------------------------------------
printf 'id,lng,lat\n1,120.101,30.201\n2,120.152,30.251\n3,120.123,30.214\n4,120.111,30.227\n5,120.141,30.239\n' >"$T/ll.csv"
cat >"$T/deg.yaml" <<'EOF'
name: deg
points: {file: ll.csv, columns: {x: lng, y: lat}}
plans: [{name: km, k: 2}]
simulation: {days: 2, replications: 2}
EOF
"$Z" run "$T/deg.yaml" --quiet --output "$T/deg.h5" >/dev/null 2>"$T/deg.err"; rc=$?
check "degrees read as metres: the run goes on (exit 0)" test $rc -eq 0
check "... with a warning giving the ranges and naming points.coords: lonlat" \
    grep -qxF "warning: the points are read as metres, but x in [120.101, 120.152] and y in [30.201, 30.251]: an area 0.051 x 0.05 m; they look like longitude and latitude degrees: set points.coords: lonlat" "$T/deg.err"
sed -i 's/columns: {x: lng, y: lat}/coords: lonlat, columns: {x: lng, y: lat}/' "$T/deg.yaml"
"$Z" run "$T/deg.yaml" --quiet --output "$T/deg2.h5" >/dev/null 2>"$T/deg2.err"
check "with points.coords: lonlat: exit 0 and nothing on stderr" bash -c "[ $? -eq 0 ] && [ ! -s '$T/deg2.err' ]"

# --- partition: --coords, --col-*, --skip-missing, --unassigned -----------------------
"$Z" partition "$T/ll.csv" --col-x lng --col-y lat --method kmeans --k 2 --json >"$T/p.json" 2>"$T/p.err"
check "partition: degrees as metres exits 0" test $? -eq 0
check "... warns naming --coords lonlat" grep -q "they look like longitude and latitude degrees: set --coords lonlat$" "$T/p.err"
check "... and --json stays one JSON object on stdout" "$PY" -c "import json; json.load(open('$T/p.json'))"
"$Z" partition "$T/ll.csv" --coords lonlat --col-x lng --col-y lat --method kmeans --k 2 --json \
    --depot 120.12,30.22 >"$T/pl.json" 2>"$T/pl.err"
check "partition --coords lonlat --depot lon,lat: exit 0, no warning" bash -c "[ $? -eq 0 ] && [ ! -s '$T/pl.err' ]"
check "... an SSE in square metres of a city (> 1e5 m^2), not of degrees" "$PY" -c "
import json; d = json.load(open('$T/pl.json')); assert d['sse'] > 1e5, d['sse']"
out=$("$Z" partition "$T/ll.csv" --coords degrees --method kmeans --k 2 2>&1); rc=$?
check_exit "partition --coords degrees: a usage error" $rc 2 "$out" "--coords 'degrees': expected metres or lonlat"
out=$("$Z" partition "$T/ll.csv" --input-format xy --coords lonlat --method kmeans --k 2 2>&1); rc=$?
check_exit "partition --coords with --input-format xy: refused" $rc 2 "$out" \
    "--coords, --col-* and --skip-missing are for --input-format csv"
out=$("$Z" partition "$T/pts.csv" --method kmeans --k 2 --output "$T/pz.csv" 2>&1); rc=$?
check_exit "partition on a row without x: exit 2 at file:line:column naming --skip-missing" $rc 2 "$out" \
    "$T/pts.csv:4:4: column 'x': missing coordinate (''); set --skip-missing to skip such rows"
check "... and no assignment file" test ! -e "$T/pz.csv"
out=$("$Z" partition "$T/pts.csv" --skip-missing --col-zone courier --method kmeans --k 2 2>&1); rc=$?
check_exit "partition --col-zone with an empty label: exit 2 naming --unassigned nearest" $rc 2 "$out" \
    "$T/pts.csv:5:12: column 'courier': empty zone label; set --unassigned nearest to give"
"$Z" partition "$T/pts.csv" --skip-missing --col-zone courier --unassigned nearest --method territory \
    --repair --output "$T/rep.csv" >"$T/rep.out" 2>"$T/rep.err"
check "partition --skip-missing --unassigned nearest --repair: exit 0" test $? -eq 0
check "... reports the skipped rows and the unassigned points" \
    bash -c "grep -qxF 'note: 2 rows without coordinates skipped (lines 4, 7)' '$T/rep.err' && grep -q '^note: 2 points without a zone label' '$T/rep.err'"
check "... and writes the 8 points with coordinates" bash -c "[ \$(wc -l <'$T/rep.csv') -eq 9 ]"
out=$("$Z" partition "$T/pts.csv" --unassigned maybe --method kmeans --k 2 2>&1); rc=$?
check_exit "partition --unassigned maybe: a usage error" $rc 2 "$out" "--unassigned 'maybe': expected error or nearest"
