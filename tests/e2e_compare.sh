#!/usr/bin/env bash
# End-to-end tests of `zonesim compare`: the shipped study-50 and LaDe
# studies through the CLI, the same tables twice (runtimes aside), the HDF5
# group read back with h5py against the CSV, and bad input (exit 2).
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_compare; rm -rf "$T"; mkdir -p "$T"

. tests/lib_e2e.sh

check "'compare --help' exits 0 with a usage line" \
    bash -c "'$Z' compare --help | grep -q '^usage: zonesim compare'"

"$Z" compare scenarios/study-50.yaml --output "$T/a.h5" >"$T/a.out" 2>"$T/a.err"
check "study-50: exits 0" test $? -eq 0
check "study-50: capacity rule gives k = 10" grep -q "50 points, capacity rule k = 10" "$T/a.out"
for p in standard density weighted two-stage; do
    check "study-50: table has plan $p with 200 runs" \
        grep -Eq "^$p +kmeans[a-z-]* +200 +10 " "$T/a.out"
done
check "study-50: the exact balanced p-median runs once per instance (10) and meets +-20% on all" \
    grep -Eq "^exact +pmedian-ip +10 +10 .* 1\.00 " "$T/a.out"
check "study-50: balanced-flow runs with every seed (200)" \
    grep -Eq "^flow +balanced-flow +200 +10 " "$T/a.out"
check "study-50: files written" test -s "$T/a.h5" -a -s "$T/a.csv" -a -s "$T/a-rows.csv"
check "study-50: no temporary files left" bash -c "! ls '$T'/*.tmp 2>/dev/null"
# Research tables (issue 19): the balance share with a Wilson interval,
# runtime median / max, paired differences, Markdown and LaTeX files.
check "study-50: the exact plan met the band on 10 of 10, Wilson [0.72, 1.00]" \
    grep -Eq "^exact +pmedian-ip +10 +10 .* 1\.00 \[0\.72, 1\.00\] " "$T/a.out"
check "study-50: standard k-means met it on none of 200, Wilson [0.00, 0.02]" \
    grep -Eq "^standard +kmeans +200 +10 .* 0\.00 \[0\.00, 0\.02\] " "$T/a.out"
check "study-50: paired differences against the first plan, 200 pairs for seeded plans, 10 for exact" \
    bash -c "grep -q \"^paired differences against 'standard'\" '$T/a.out' && grep -Eq '^  density +sse_km2 \+[0-9.]+ \[.*\(200\)$' '$T/a.out' && grep -Eq '^  exact +sse_km2 .*\(10\)$' '$T/a.out'"
check "study-50: Markdown and LaTeX written beside the CSV" test -s "$T/a.md" -a -s "$T/a.tex"
check "study-50 Markdown: the weighted plan's share with its counts" \
    grep -Eq "^\| weighted \| kmeans-balanced \| 200 \| 10 \|.*\| 0\.43 \[0\.36, 0\.50\] \(86/200\) \|" "$T/a.md"
check "study-50 LaTeX: booktabs table with the paired block" \
    bash -c "grep -q '^\\\\toprule' '$T/a.tex' && grep -q '^Plan \\\$-\\\$ standard & Pairs' '$T/a.tex' && grep -q '^\\\\end{table}' '$T/a.tex'"
if command -v pdflatex >/dev/null 2>&1; then
    printf '\\documentclass{article}\\usepackage{booktabs}\\usepackage[margin=1cm,landscape]{geometry}\\begin{document}\\input{a.tex}\\end{document}\n' >"$T/doc.tex"
    (cd "$T" && pdflatex -interaction=nonstopmode doc.tex >/dev/null 2>&1)
    check "study-50 LaTeX: compiles with pdflatex" test -s "$T/doc.pdf"
fi

OMP_NUM_THREADS=1 "$Z" compare scenarios/study-50.yaml --output "$T/b.h5" --quiet >"$T/b.out" 2>"$T/b.err"
check "--quiet prints no progress (nothing on stderr)" test ! -s "$T/b.err"
check "... but still the table on stdout (issue 19: --quiet silences progress only)" \
    grep -Eq "^standard +kmeans +200 +10 " "$T/b.out"
# Same study, same tables, whatever the threads: all columns but runtime.
strip() { "$PY" -c '
import csv, sys
r = list(csv.reader(open(sys.argv[1])))
drop = [i for i, h in enumerate(r[0]) if h == "runtime_s"]
keep = [i for i in range(len(r[0])) if i not in drop]
rows = [[x[i] for i in keep] for x in r if not (len(x) > 2 and x[2] == "runtime_s")]
print("\n".join(",".join(x) for x in rows))' "$1"; }
for f in a-rows a b-rows b; do strip "$T/$f.csv" >"$T/$f.stripped"; done
check "rows CSV identical on a second run with 1 thread (runtime aside)" \
    cmp -s "$T/a-rows.stripped" "$T/b-rows.stripped"
check "summary CSV identical on a second run (runtime aside)" cmp -s "$T/a.stripped" "$T/b.stripped"
# 6 seeded plans x 10 instances x 20 seeds + the exact plan once per instance
check "... and the comparison is not vacuous" test "$(wc -l <"$T/a-rows.stripped")" -eq 1211

"$PY" - "$T/a.h5" "$T/a.csv" "$T/a-rows.csv" <<'PYEOF'
import csv, sys, math
import h5py, numpy as np
h5, summ, rows = sys.argv[1:4]
def check(ok, desc): print(("PASS: " if ok else "FAIL: ") + "study-50 h5: " + desc)
f = h5py.File(h5, "r")
check(f.attrs["kind"] == "compare" and "study:" in f.attrs["scenario_text"],
      "root says kind compare and keeps the scenario text")
g = f["compare"]
names = [s.decode() if isinstance(s, bytes) else s for s in g["plan_name"][()]]
check(names == ["standard", "density", "weighted", "two-stage", "exact", "flow", "territory"],
      "plan names in order: %s" % names)
check(g.attrs["seeds"] == 20 and g.attrs["instances"] == 10, "seeds 20, instances 10")
check(list(g["instance_auto_k"][()]) == [10] * 10, "capacity rule k = 10 on every instance")
r = list(csv.DictReader(open(rows)))
check(len(r) == 1210 and g["rows/sse_km2"].shape == (1210,), "1210 rows in CSV and HDF5")
same = all(abs(float(x["sse_km2"]) - v) <= 1e-9 * max(1, abs(v))
           for x, v in zip(r, g["rows/sse_km2"][()]))
check(same, "rows/sse_km2 equals the CSV column")
s = g["summary/work_cv"][()]
cols = [c.decode() if isinstance(c, bytes) else c for c in g["summary/work_cv"].attrs["columns"]]
check(s.shape == (7, 5) and cols == ["n", "mean", "sd", "min", "max"], "summary [plan][n mean sd min max]")
cv = np.array(g["rows/work_cv"][()]); plan = np.array(g["rows/plan"][()])
ok = all(abs(s[p, 1] - cv[plan == p].mean()) < 1e-12 and abs(s[p, 2] - cv[plan == p].std(ddof=1)) < 1e-12
         for p in range(7))
one = np.array(g["rows/zones_one_piece"][()]); strays = np.array(g["rows/strays"][()])
check(np.all(one[plan == 6] == 1.0) and np.all(strays[plan == 6] == 0),
      "territory: every zone one piece, no strays, on all 200 runs")
check(np.array(g["rows/infeasible"][()]).max() == 0, "no plan of study-50 is infeasible")
check(ok, "summary mean and sd recomputed from rows")
# The exact balanced program: one row per instance, every one within +-20%.
met = np.array(g["rows/balance_met"][()])
check((plan == 4).sum() == 10 and (met[plan == 4] == 1).all(),
      "exact: 10 rows, the tolerance met on every instance")
# The balanced methods balance better than plain k-means, which is more compact.
check(s[2, 1] < s[0, 1] and s[3, 1] < s[0, 1], "weighted and two-stage have lower workload CV than standard")
sse = g["summary/sse_km2"][()]
check(sse[0, 1] < sse[2, 1] and sse[0, 1] < sse[3, 1], "standard k-means has the lowest SSE")
PYEOF

# The LaDe study: the couriers' own split beside the methods at k = 6.
if shared_data ../shared lade-pickup-subset/pickup_hangzhou_subset.csv "LaDe study (scenarios/lade-hangzhou.yaml)"; then
    "$Z" compare scenarios/lade-hangzhou.yaml --output "$T/lade.h5" >"$T/lade.out" 2>&1
    check "LaDe study: exits 0" test $? -eq 0
    check "LaDe study: the couriers' split is measured once" grep -Eq "^couriers +manual +1 +6 " "$T/lade.out"
    check "LaDe study: k-means over 10 seeds" grep -Eq "^kmeans +kmeans +10 +6 " "$T/lade.out"
fi

# Bad input: exit 2, a clear message, no files.
printf 'name: b\npoints: {generate: {n_points: 20}}\nstudy: {seeds: -1}\n' >"$T/bad.yaml"
"$Z" compare "$T/bad.yaml" --output "$T/bad.h5" >"$T/bad.out" 2>&1
check "negative study.seeds exits 2" test $? -eq 2
check "... naming file:line:col" grep -q "bad.yaml:3:" "$T/bad.out"
check "... and writing nothing" test ! -e "$T/bad.h5" -a ! -e "$T/bad.csv"
printf 'name: b\npoints: {generate: {n_points: 20}}\nstudy: {sedes: 2}\n' >"$T/bad2.yaml"
"$Z" compare "$T/bad2.yaml" >"$T/bad2.out" 2>&1
check "unknown study key exits 2" test $? -eq 2
check "... listing the valid keys" grep -q "unknown key 'sedes'.*seeds" "$T/bad2.out"
"$Z" compare >/dev/null 2>"$T/noarg.err"
check "missing STUDY exits 2" test $? -eq 2
printf 'a file, not a folder\n' >"$T/afile"
out=$("$Z" compare scenarios/study-50.yaml --output "$T/afile/x.h5" 2>&1); rc=$?
check "an output that cannot be written exits 2 before the study, naming the path" \
    bash -c '[ "$1" -eq 2 ] && grep -q "afile/x.h5: .*afile. is not a directory" <<<"$2" && ! grep -q "instance 1 of" <<<"$2"' _ "$rc" "$out"
