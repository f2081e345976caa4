#!/usr/bin/env bash
# End-to-end tests of `zonesim partition --method pmedian-ip` on the p-median
# benchmark formats: OR-Library pmed1 (optimum 5819), pmed16 (8162, by the
# Lagrangian tree) and Osman & Christofides cpmp01 (713) through --json
# parsed by Python's json module,
# the capacitated flow heuristic (--method balanced-flow) on cpmp01,
# --write-mps, and bad files and options with exit status 2 and exact
# messages; and a 6,000-point generated city solved on grid cells.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_pmedian; rm -rf "$T"; mkdir -p "$T"
SH=${ZS_SHARED:-../shared}; D=$SH/data
PMED1=$D/orlib-pmed/pmed1.txt
CPMP01=$D/cpmp-literature/osman-christofides/cpmp01.txt

. tests/lib_e2e.sh

json_check() { # desc, file, python condition on d
    "$PY" -c "
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print('FAIL: ' + sys.argv[2] + ' (JSON does not parse: %s)' % e); sys.exit(0)
ok = bool($3)
print(('PASS: ' if ok else 'FAIL: ') + sys.argv[2] + ('' if ok else ' (got %s)' % {k: d.get(k) for k in ('objective', 'status', 'n', 'k', 'bound', 'gap')}))
" "$2" "$1"
}

check "'partition --help' documents --write-mps" \
    bash -c "'$Z' partition --help | grep -q -- '--write-mps FILE'"

# --- pmed1 -----------------------------------------------------------------------
if shared_data "$SH" orlib-pmed/pmed1.txt "OR-Library pmed1"; then
    "$Z" partition "$PMED1" --input-format orlib-pmed --method pmedian-ip --json >"$T/p1.json" 2>"$T/p1.err"
    check "pmed1: exits 0" test $? -eq 0
    json_check "pmed1: objective 5819, status optimal, exact" "$T/p1.json" \
        "d['objective'] == 5819 and d['status'] == 'optimal' and d['exact'] is True"
    json_check "pmed1: n 100, k 5 from the file, 5 medians, bound = objective, gap 0" "$T/p1.json" \
        "d['n'] == 100 and d['k'] == 5 and len(d['medians']) == 5 and d['bound'] == d['objective'] and d['gap'] == 0"
    "$Z" partition "$PMED1" --input-format orlib-pmed --method pmedian-ip --output "$T/p1.csv" >"$T/p1.txt" 2>&1
    check "pmed1 text summary names the objective" grep -q '^  objective  *5819$' "$T/p1.txt"
    check "pmed1 --output writes a header and 100 rows" \
        bash -c "[ \"\$(head -1 '$T/p1.csv')\" = 'id,zone' ] && [ \$(wc -l <'$T/p1.csv') -eq 101 ]"
    "$Z" partition "$PMED1" --input-format orlib-pmed --method pmedian-ip --write-mps "$T/p1.mps" --json >"$T/p1m.json" 2>&1
    check "pmed1 --write-mps exits 0 and writes an MPS file" \
        bash -c "grep -q '^ROWS' '$T/p1.mps' && grep -q '^ENDATA' '$T/p1.mps'"
    # full model: 1 + 100 + 100 x 100 rows.
    check "pmed1 MPS holds the full model (10,101 constraint rows + objective)" \
        bash -c "[ \$(awk '/^ROWS/{r=1;next} /^COLUMNS/{r=0} r' '$T/p1.mps' | wc -l) -eq 10102 ]"
    if command -v cbc >/dev/null 2>&1; then
        cbc "$T/p1.mps" solve >"$T/cbc.out" 2>&1
        check "CBC solves the pmed1 MPS to 5819" \
            grep -Eq 'Objective value: +5819(\.0+)?$' "$T/cbc.out"
    fi
    "$Z" partition "$PMED1" --input-format orlib-pmed --method pmedian-ip --k 10 --json >"$T/p1k.json" 2>&1
    json_check "pmed1 with --k 10: 10 medians, lower cost than 5819" "$T/p1k.json" \
        "d['k'] == 10 and len(d['medians']) == 10 and d['objective'] < 5819 and d['status'] == 'optimal'"
fi

# --- pmed16: few medians, many arcs: the Lagrangian tree proves it ---------------
if shared_data "$SH" orlib-pmed/pmed16.txt "OR-Library pmed16"; then
    "$Z" partition "$D/orlib-pmed/pmed16.txt" --input-format orlib-pmed --method pmedian-ip --json >"$T/p16.json" 2>&1
    json_check "pmed16: 8162 proven by the Lagrangian tree (proof lagrangian-tree, tree_nodes > 0, no program)" "$T/p16.json" \
        "d['objective'] == 8162 and d['status'] == 'optimal' and d['proof'] == 'lagrangian-tree' and d['tree_nodes'] > 0 and d['mip_rows'] == 0"
    "$Z" partition "$D/orlib-pmed/pmed16.txt" --input-format orlib-pmed --method pmedian-ip >"$T/p16.txt" 2>&1
    check "pmed16 text summary: proof lagrangian-tree and the tree's nodes" \
        bash -c "grep -q '^  status  *optimal (proof: lagrangian-tree)$' '$T/p16.txt' && grep -Eq '^  program .* arcs, Lagrangian tree of [1-9][0-9]* nodes$' '$T/p16.txt'"
    json_check "pmed1 (solved at the root): tree_nodes 0" "$T/p1.json" "d['tree_nodes'] == 0"
fi

# --- cpmp01 ----------------------------------------------------------------------
if shared_data "$SH" cpmp-literature/osman-christofides/cpmp01.txt "Osman-Christofides cpmp01"; then
    "$Z" partition "$CPMP01" --input-format cpmp --method pmedian-ip --json >"$T/c1.json" 2>"$T/c1.err"
    check "cpmp01: exits 0" test $? -eq 0
    json_check "cpmp01: objective 713, status optimal, floor distances" "$T/c1.json" \
        "d['objective'] == 713 and d['status'] == 'optimal' and d['distance'] == 'floor'"
    "$Z" partition "$CPMP01" --input-format cpmp --distance euclid --method pmedian-ip --json >"$T/c1e.json" 2>&1
    json_check "cpmp01 with --distance euclid: objective above 713 (no rounding down)" "$T/c1e.json" \
        "d['distance'] == 'euclid' and d['objective'] > 713"
    # The capacitated flow heuristic: a feasible plan, at or above the optimum.
    "$Z" partition "$CPMP01" --input-format cpmp --method balanced-flow --json >"$T/c1f.json" 2>"$T/c1f.err"
    check "cpmp01 --method balanced-flow: exits 0" test $? -eq 0
    json_check "cpmp01 balanced-flow: objective in [713, 1.1 x 713], heuristic status, not exact, no bound" "$T/c1f.json" \
        "d['method'] == 'balanced-flow' and 713 <= d['objective'] <= 1.1 * 713 and d['status'] == 'heuristic, not proven' and d['exact'] is False and 'bound' not in d and len(d['medians']) == 5 and d['runtime_s'] >= 0 and d['iterations'] >= 1"
    "$Z" partition "$CPMP01" --input-format cpmp --method balanced-flow --output "$T/c1f.csv" >"$T/c1f.txt" 2>&1
    check "cpmp01 balanced-flow text summary prints an objective" grep -Eq '^  objective  *[0-9]+$' "$T/c1f.txt"
    check "cpmp01 balanced-flow --output writes a header and 50 rows" \
        bash -c "[ \"\$(head -1 '$T/c1f.csv')\" = 'id,zone' ] && [ \$(wc -l <'$T/c1f.csv') -eq 51 ]"
    # Too little capacity: 3 points of demand 3, p = 1, capacity 5.
    printf '3 1\n0 0 5 3\n1 0 5 3\n2 0 5 3\n' >"$T/cpmp-tight.txt"
    "$Z" partition "$T/cpmp-tight.txt" --input-format cpmp --method balanced-flow --json >"$T/tight.json" 2>&1
    json_check "balanced-flow with total demand above the capacity: 'no feasible assignment', objective null" "$T/tight.json" \
        "d['status'] == 'no feasible assignment' and d['objective'] is None and d['medians'] == []"
fi

# --- beyond 1,500 points: solved on grid cells, and says so ----------------------
# --gap 0.01 stops in ~5 s; proving the cells' optimum takes the whole 60 s.
"$Z" generate --points 6000 --seed 3 --output "$T/city6k.csv" >/dev/null 2>&1
"$Z" partition "$T/city6k.csv" --method pmedian-ip --k 10 --gap 0.01 --json >"$T/c6k.json" 2>"$T/c6k.err"
check "6,000-point city, pmedian-ip --k 10: exits 0" test $? -eq 0
json_check "6,000-point city: status and cells say it ran on grid cells, exact false" "$T/c6k.json" \
    "d['status'] == 'heuristic, not proven' and 0 < d['cells'] <= 1500 and d['exact'] is False and d['k'] == 10 and min(d['zone_points']) > 0"
"$Z" partition "$T/city6k.csv" --method pmedian-ip --k 10 --gap 0.01 >"$T/c6k.txt" 2>&1
check "6,000-point city: the text summary says grid cells" \
    bash -c "grep -Eq '^  status +heuristic, not proven$' '$T/c6k.txt' && grep -q 'solved on [0-9]* grid cells' '$T/c6k.txt'"

# --- errors: exit 2 with the exact message ---------------------------------------
expect_err() { # desc, expected stderr line, command...
    local desc=$1 want=$2; shift 2
    "$@" >"$T/err.out" 2>"$T/err.txt"; local rc=$?
    if [ $rc -eq 2 ] && grep -qxF -- "$want" "$T/err.txt"; then pass "$desc"
    else fail "$desc (exit $rc, stderr: $(cat "$T/err.txt"))"; fi
}
# Small files of both formats, so that these checks need no shared data.
printf '4 4 2\n1 2 5\n2 3 1\n3 4 2\n1 4 9\n' >"$T/g4.txt"
printf '3 1\n0 0 10 1\n3 4 10 2\n1 1 10 1\n' >"$T/c3.txt"
printf '3 3 1\n1 2 5\n2 3 x\n1 3 9\n' >"$T/bad.txt"
expect_err "bad orlib file names file:line:col" \
    "zonesim: $T/bad.txt:3:5: edge cost: expected a number, got 'x'" \
    "$Z" partition "$T/bad.txt" --input-format orlib-pmed --method pmedian-ip
printf '3 1\n0 0 10 1\n3 4 -5 2\n1 1 10 1\n' >"$T/cpmp99.txt"
expect_err "cpmp file with a negative capacity names file:line:col" \
    "zonesim: $T/cpmp99.txt:3:5: capacity = -5; must be in [0, 1e+09]" \
    "$Z" partition "$T/cpmp99.txt" --input-format cpmp --method pmedian-ip
for m in kmeans balanced-flow grid; do
    expect_err "--input-format orlib-pmed with --method $m is refused" \
        "zonesim partition: --input-format orlib-pmed: only --method pmedian-ip reads a p-median benchmark (see 'zonesim partition --help')" \
        "$Z" partition "$T/g4.txt" --input-format orlib-pmed --method $m --k 5
done
for m in kmeans grid voronoi; do
    expect_err "--input-format cpmp with --method $m is refused" \
        "zonesim partition: --input-format cpmp: only --method pmedian-ip or balanced-flow reads a p-median benchmark (see 'zonesim partition --help')" \
        "$Z" partition "$T/c3.txt" --input-format cpmp --method $m
done
expect_err "--input-format cpmp --method balanced-flow refuses --write-mps" \
    "zonesim partition: --input-format cpmp --method balanced-flow: --write-mps is only for pmedian-ip (see 'zonesim partition --help')" \
    "$Z" partition "$T/c3.txt" --input-format cpmp --method balanced-flow --write-mps "$T/x.mps"
printf '2 1\n0 0 10 1.5\n3 4 10 2\n' >"$T/frac.txt"
expect_err "balanced-flow on a cpmp file with a non-integral demand exits 2 naming it" \
    "zonesim: pmedian flow heuristic: demand[0] = 1.5; must be an integer <= 1e9 (glp_mincost_okalg needs integral flows)" \
    "$Z" partition "$T/frac.txt" --input-format cpmp --method balanced-flow
expect_err "--write-mps on a points CSV is refused" \
    "zonesim partition: --write-mps: only for --input-format orlib-pmed or cpmp (see 'zonesim partition --help')" \
    "$Z" partition "$T/bad.txt" --method pmedian-ip --k 2 --write-mps "$T/x.mps"
expect_err "--k beyond the file's vertices exits 2" \
    "zonesim: pmedian.p = 5; must be in 1..4 (candidate sites)" \
    "$Z" partition "$T/g4.txt" --input-format orlib-pmed --method pmedian-ip --k 5
# An output error is ZS_EIO, exit status 1 (input errors are 2).
"$Z" partition "$T/g4.txt" --input-format orlib-pmed --method pmedian-ip --write-mps "$T/no/dir.mps" \
    >"$T/err.out" 2>"$T/err.txt"; rc=$?
check "--write-mps into a missing directory exits 1 naming the file" \
    bash -c "[ $rc -eq 1 ] && grep -qxF 'zonesim: $T/no/dir.mps: cannot write the MPS file' '$T/err.txt'"
expect_err "--distance with orlib-pmed is refused" \
    "zonesim partition: --distance: only for --input-format cpmp (see 'zonesim partition --help')" \
    "$Z" partition "$T/g4.txt" --input-format orlib-pmed --method pmedian-ip --distance floor
