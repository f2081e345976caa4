#!/usr/bin/env bash
# End-to-end test of compare's research tables (issue 19) on a small study
# (3 plans x 3 generated instances x 4 seeds, a few seconds): the Markdown
# and LaTeX files beside the CSV, the balance share as a proportion with
# its Wilson interval, runtime median / max, paired differences against
# the first plan, the same figures in /compare recomputed from the rows
# with numpy, --quiet keeping the table, and a failed study leaving no file.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_compare_tables; rm -rf "$T"; mkdir -p "$T"
. tests/lib_e2e.sh

cat >"$T/s.yaml" <<'YAML'
name: small-study
points: {generate: {seed: 7, n_points: 60, width_km: 3, height_km: 3}}
plans:
  - {name: standard, method: kmeans, k: 5, restarts: 1}
  - {name: two_stage, method: kmeans-two-stage, k: 5, tolerance: 0.2, restarts: 1}
  - {name: grid, method: grid, k: 5}
study: {seeds: 4, instances: 3}
YAML
"$Z" compare "$T/s.yaml" --output "$T/s.h5" --quiet >"$T/s.out" 2>"$T/s.err"
check "a small study runs with --quiet" test $? -eq 0
check "--quiet: no progress on stderr" test ! -s "$T/s.err"
check "--quiet: the table still on stdout, the share met with its Wilson interval" \
    grep -Eq "^two_stage +kmeans-two-stage +12 +5 .* 0\.67 \[0\.39, 0\.86\] " "$T/s.out"
check "the runtime column is median / max" grep -Eq "^standard .* [0-9.]+ / [0-9.]+$" "$T/s.out"
check "the paired block names the first plan and gives 12 pairs" \
    bash -c "grep -q \"^paired differences against 'standard'\" '$T/s.out' && grep -Eq '^  two_stage +sse_km2 \+[0-9.]+ \[\+[0-9.]+, \+[0-9.]+\] .*\(12\)$' '$T/s.out'"
check "Markdown, LaTeX, CSV and HDF5 written, no temporary file left" \
    bash -c "test -s '$T/s.md' -a -s '$T/s.tex' -a -s '$T/s.csv' -a -s '$T/s-rows.csv' -a -s '$T/s.h5' && ! ls '$T'/*.tmp 2>/dev/null"
check "Markdown: the share with counts, runtime median (max)" \
    grep -Eq "^\| two_stage \| kmeans-two-stage \| 12 \| 5 \|.*\| 0\.67 \[0\.39, 0\.86\] \(8/12\) \| [0-9.]+ \([0-9.]+\) \|$" "$T/s.md"
check "Markdown: the paired table with 12 pairs" grep -Eq "^\| two_stage \| 12 \| \+[0-9.]+ \[" "$T/s.md"
check "LaTeX: underscores escaped, booktabs rules, a table float" \
    bash -c "grep -qF 'two\\_stage & kmeans-two-stage & 12 & 5 & ' '$T/s.tex' && grep -qxF '\\midrule' '$T/s.tex' && grep -qxF '\\end{table}' '$T/s.tex'"
if command -v pdflatex >/dev/null 2>&1; then
    printf '\\documentclass{article}\\usepackage{booktabs}\\usepackage[margin=1cm,landscape]{geometry}\\begin{document}\\input{s.tex}\\end{document}\n' >"$T/doc.tex"
    (cd "$T" && pdflatex -interaction=nonstopmode doc.tex >/dev/null 2>&1)
    check "LaTeX: compiles with pdflatex" test -s "$T/doc.pdf"
fi
"$PY" - "$T/s.h5" <<'PYEOF'
import sys, h5py, numpy as np
def check(ok, desc): print(("PASS: " if ok else "FAIL: ") + "h5 research figures: " + desc)
f = h5py.File(sys.argv[1], "r"); g = f["compare"]
plan = np.array(g["rows/plan"][()]); inst = np.array(g["rows/instance"][()]); si = np.array(g["rows/seed_index"][()])
sse = np.array(g["rows/sse_km2"][()])
pr = g["paired/sse_km2"][()]
ref = g["paired"].attrs["reference"]; ref = ref.decode() if isinstance(ref, bytes) else ref
names = [s.decode() if isinstance(s, bytes) else s for s in g["plan_name"][()]]
check(ref == names[0] and pr.shape == (len(names), 4), "paired/<metric> [plans][n mean lo hi] against the first plan")
a = {(i, s): v for i, s, v, p in zip(inst, si, sse, plan) if p == 1}
b = {(i, s): v for i, s, v, p in zip(inst, si, sse, plan) if p == 0}
d = np.array([a[k] - b[k] for k in sorted(a) if k in b])
half = 2.200985160082949 * d.std(ddof=1) / np.sqrt(len(d))   # t(0.975, 11)
check(pr[1, 0] == len(d) == 12 and abs(pr[1, 1] - d.mean()) < 1e-9 and abs(pr[1, 3] - pr[1, 1] - half) < 1e-9,
      "plan 1 minus plan 0: 12 pairs, mean and t interval recomputed from the rows")
check(pr[0, 0] == 12 and pr[0, 1] == 0, "the reference against itself: difference 0")
met = np.array(g["rows/balance_met"][()]); w = g["balance_met_wilson95"][()]
k, n = met[plan == 1].sum(), (plan == 1).sum(); z = 1.959963984540054; p = k / n
c = (p + z*z/(2*n)) / (1 + z*z/n); h = z / (1 + z*z/n) * np.sqrt(p*(1-p)/n + z*z/(4*n*n))
check(abs(w[1, 0] - max(0, c - h)) < 1e-12 and abs(w[1, 1] - min(1, c + h)) < 1e-12,
      "Wilson interval of plan 1 recomputed (%d of %d)" % (k, n))
rt = np.array(g["rows/runtime_s"][()]); med = g["runtime_median_s"][()]
check(all(abs(med[q] - np.median(rt[plan == q])) < 1e-15 for q in range(len(names))), "runtime medians recomputed")
PYEOF

# A study that fails writes none of its files.
printf 'name: b\npoints: {generate: {n_points: 20}}\nplans: [{name: a, k: 30}]\nstudy: {seeds: 2}\n' >"$T/bad.yaml"
out=$("$Z" compare "$T/bad.yaml" --output "$T/bad.h5" 2>&1); rc=$?
check_exit "k above the points: exit 2 naming plans[0].k" $rc 2 "$out" "plans[0].k = 30 exceeds the number of points (20)"
check "... and no .h5, .csv, .md or .tex" bash -c "! ls '$T'/bad* 2>/dev/null | grep -v yaml"
