#!/usr/bin/env bash
# End-to-end tests of `zonesim partition`: JSON output parsed by Python's
# json module, the assignment file, a Fränti S1 benchmark run, and bad
# options and files with their exit status 2 and exact messages.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_partition; rm -rf "$T"; mkdir -p "$T"
SH=${ZS_SHARED:-../shared}; S1=$SH/data/franti-clustering/s1.data

. tests/lib_e2e.sh

check "'partition --help' exits 0 with a usage line" \
    bash -c "'$Z' partition --help | grep -q '^usage: zonesim partition'"

"$Z" generate --output "$T/city.csv" --points 500 >/dev/null 2>&1
check "a 500-point city is generated" test -s "$T/city.csv"

# --- JSON for every method ----------------------------------------------------
for m in kmeans kmeans-density kmeans-balanced kmeans-two-stage grid voronoi balanced-flow; do
    "$Z" partition "$T/city.csv" --method $m --k 8 --json >"$T/$m.json" 2>"$T/$m.err"
    check "$m: exits 0" test $? -eq 0
    "$PY" - "$T/$m.json" "$m" <<'PYEOF'
import json, sys
path, method = sys.argv[1:3]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + method + ": " + desc)
try:
    d = json.load(open(path))
except Exception as e:
    check(False, "--json output parses (%s)" % e); sys.exit(0)
check(True, "--json output parses as one JSON object")
need = ["method", "k", "n", "objective", "sse", "weighted_distance_m", "iterations", "converged",
        "status", "runtime_s", "tolerance", "balance_met", "balance_maxdev", "balance_maxmin",
        "balance_cv", "moves", "merged", "tour_total_m", "zone_points", "zone_workload",
        "zone_tour_m"]
check(all(f in d for f in need), "JSON has every field (missing: %s)" % [f for f in need if f not in d])
check(d.get("method") == method and d.get("k") == 8 and d.get("n") == 500, "method, k = 8, n = 500")
zp, zw, zt = d.get("zone_points", []), d.get("zone_workload", []), d.get("zone_tour_m", [])
check(len(zp) == 8 and len(zw) == 8 and len(zt) == 8 and sum(zp) == 500 and min(zp) > 0,
      "8 non-empty zones covering the 500 points")
check(isinstance(d.get("balance_met"), bool) and
      d["balance_met"] == (d["balance_maxdev"] <= d["tolerance"]),
      "balance_met agrees with the largest deviation (%.3f)" % d.get("balance_maxdev", -1))
check(abs(sum(zt) - d.get("tour_total_m", -1)) <= 1e-6 * max(1.0, sum(zt)), "tour total = sum of zone tours")
check(d.get("status") == "heuristic, not proven",
      "status says one thing: 'heuristic, not proven' (got %r)" % d.get("status"))
PYEOF
done

# --- text summary, --output, merge-isolated -----------------------------------
"$Z" partition "$T/city.csv" --method kmeans-balanced --k 5 --tolerance 0.15 --seed 3 \
    --restarts 2 --merge-isolated --output "$T/assign.csv" >"$T/text.out" 2>&1
check "text run with every option exits 0" test $? -eq 0
check "text summary names the balance line" grep -q '^  balance ' "$T/text.out"
check "text summary: the status line says one thing, the iterations their own" \
    bash -c "grep -Eq '^  status +heuristic, not proven$' '$T/text.out' && grep -Eq '^  iterations +[0-9]+ \((converged|stopped at the iteration limit)\)$' '$T/text.out'"
# balanced-flow on parcels: the counts are held, the workloads judged apart
"$Z" partition "$T/city.csv" --method balanced-flow --k 8 --tolerance 0.02 >"$T/flow.out" 2>&1
check "balanced-flow text: status, iterations and balance each say one thing" \
    bash -c "grep -Eq '^  status +heuristic, not proven$' '$T/flow.out' && ! grep -q 'counts balanced' '$T/flow.out' && [ \$(grep -c converged '$T/flow.out') -le 1 ]"
check "--output writes a header and 500 rows" \
    bash -c "[ \"\$(head -1 '$T/assign.csv')\" = 'id,zone' ] && [ \$(wc -l <'$T/assign.csv') -eq 501 ]"
check "--output rows name the points' ids" grep -q '^P000001,' "$T/assign.csv"

# --- Fränti S1 (5,000 points, 15 clusters) -------------------------------------
if shared_data "$SH" franti-clustering/s1.data "Fränti S1 through partition"; then
    "$Z" partition "$S1" --input-format xy --method kmeans --k 15 --json >"$T/s1.json" 2>"$T/s1.err"
    check "Fränti S1 with k = 15 finishes" test $? -eq 0
    check "Fränti S1: 15 zones over 5,000 points" "$PY" -c "
import json; d = json.load(open('$T/s1.json')); assert d['k'] == 15 and d['n'] == 5000 and sum(d['zone_points']) == 5000"
    "$Z" partition "$S1" --input-format xy --method kmeans-two-stage --k 15 --output "$T/s1.csv" >/dev/null 2>&1
    check "Fränti S1 two-stage writes 5,000 rows" bash -c "[ \$(wc -l <'$T/s1.csv') -eq 5001 ]"
fi

# --- errors: exit 2 with the exact message -------------------------------------
expect_err() { # desc, expected stderr line, command...
    local desc=$1 want=$2; shift 2
    "$@" >"$T/err.out" 2>"$T/err.txt"; local rc=$?
    if [ $rc -eq 2 ] && grep -qxF -- "$want" "$T/err.txt"; then pass "$desc"
    else fail "$desc (exit $rc, stderr: $(cat "$T/err.txt"))"; fi
}
expect_err "unknown method exits 2 naming the methods" \
    "zonesim partition: --method: unknown partition method 'kmedoids' (one of kmeans, kmeans-density, kmeans-balanced, kmeans-two-stage, grid, voronoi, balanced-flow, pmedian-ip) (see 'zonesim partition --help')" \
    "$Z" partition "$T/city.csv" --method kmedoids --k 3
expect_err "missing file exits 2" \
    "zonesim: $T/nope.csv: cannot open: No such file or directory" \
    "$Z" partition "$T/nope.csv" --method kmeans --k 3
expect_err "k > n exits 2 naming both" \
    "zonesim: k = 501 exceeds the number of points (500)" \
    "$Z" partition "$T/city.csv" --method grid --k 501
expect_err "--k 0 exits 2" \
    "zonesim partition: --k '0': expected an integer 1..2147483647 (see 'zonesim partition --help')" \
    "$Z" partition "$T/city.csv" --method grid --k 0
expect_err "missing --k exits 2" \
    "zonesim partition: --k K is required (see 'zonesim partition --help')" \
    "$Z" partition "$T/city.csv" --method grid
expect_err "bad --input-format exits 2" \
    "zonesim partition: --input-format 'tsv': expected csv, xy, orlib-pmed or cpmp (see 'zonesim partition --help')" \
    "$Z" partition "$T/city.csv" --method grid --k 2 --input-format tsv
expect_err "negative --tolerance exits 2" \
    "zonesim partition: --tolerance '-1': expected a number >= 0 (see 'zonesim partition --help')" \
    "$Z" partition "$T/city.csv" --method grid --k 2 --tolerance -1
printf '1 2\n3 abc\n' >"$T/bad.xy"
expect_err "xy file with a non-number names file:line:col" \
    "zonesim: $T/bad.xy:2:3: column 'y': expected a number, got 'abc'" \
    "$Z" partition "$T/bad.xy" --input-format xy --method kmeans --k 1
printf '1 2\n3 4 5\n' >"$T/wide.xy"
expect_err "xy file with three fields names file:line:col" \
    "zonesim: $T/wide.xy:2:5: expected 2 numbers (x y), got 3 fields" \
    "$Z" partition "$T/wide.xy" --input-format xy --method kmeans --k 1
: >"$T/empty.xy"
expect_err "empty xy file exits 2" \
    "zonesim: $T/empty.xy: no points (empty file)" \
    "$Z" partition "$T/empty.xy" --input-format xy --method kmeans --k 1
