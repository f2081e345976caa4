#!/usr/bin/env bash
# Executes every notebook headless (jupyter nbconvert --execute) against the
# demo's results (04_method_comparison against a study-50 comparison file,
# ZS_COMPARE, 05_staffing against the staffing file of scenarios/tests/staff.yaml,
# ZS_STAFFING, 06_service against scenarios/tests/service.yaml's results,
# ZS_SERVICE); a cell that fails fails the test, and every figure a notebook
# saves must exist and hold a real picture (size checked here; the pictures
# were looked at when the notebooks were written). The demo has barriers and
# shape figures, so 01 and 03 must not take the paths that skip them (older files).
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_notebooks; rm -rf "$T"; mkdir -p "$T"
"$Z" demo --quiet --output "$T/demo.h5"
if [ $? -eq 0 ]; then echo "PASS: demo results for the notebooks"; else echo "FAIL: demo results for the notebooks"; fi
"$Z" compare scenarios/study-50.yaml --output "$T/study-50.h5" --quiet
if [ $? -eq 0 ]; then echo "PASS: study-50 comparison file for the notebooks"; else echo "FAIL: study-50 comparison file for the notebooks"; fi
"$Z" staff scenarios/tests/staff.yaml --threads 1 --output "$T/staff-small.h5" >"$T/staff.out" 2>&1
if [ $? -eq 0 ]; then echo "PASS: staffing file for the notebooks"; else echo "FAIL: staffing file for the notebooks"; tail -5 "$T/staff.out"; fi
"$Z" run scenarios/tests/service.yaml --quiet --output "$T/service.h5" >"$T/service.out" 2>&1
if [ $? -eq 0 ]; then echo "PASS: service-desk results for the notebooks"; else echo "FAIL: service-desk results for the notebooks"; tail -5 "$T/service.out"; fi
for nb in notebooks/*.ipynb; do
    name=$(basename "$nb")
    if ZS_RESULTS="$T/demo.h5" ZS_COMPARE="$T/study-50.h5" ZS_STAFFING="$T/staff-small.h5" ZS_SERVICE="$T/service.h5" ZS_FIGURES="$T" MPLBACKEND=Agg PYDEVD_DISABLE_FILE_VALIDATION=1 \
        timeout 300 jupyter nbconvert --to notebook --execute --output-dir "$T" "$nb" >"$T/$name.log" 2>&1; then
        echo "PASS: $name executes without a failing cell"
    else
        echo "FAIL: $name"; tail -20 "$T/$name.log"
    fi
done
for png in zone_maps work_distributions work_by_zone plan_comparison plan_work_estimate 04_boxplots 04_tradeoff \
           05_requirements 05_busiest_zone 05_roster 05_light_zones \
           06_calls 06_requirement_roster 06_service_level; do
    size=$(stat -c %s "$T/$png.png" 2>/dev/null || echo 0)
    if [ "$size" -gt 10000 ]; then echo "PASS: $png.png written ($size bytes)"; else echo "FAIL: $png.png missing or empty ($size bytes)"; fi
done
# what 01 and 03 printed (their outputs, not their source)
printed() { "$PY" -c 'import json, sys
print("".join("".join(o.get("text", "")) for c in json.load(open(sys.argv[1]))["cells"] for o in c.get("outputs", [])))' "$1" 2>/dev/null; }
if printed "$T/01_zone_maps.ipynb" | grep -q "barrier segments in"; then echo "PASS: 01 draws the demo's /barriers"
else echo "FAIL: 01 did not draw the demo's /barriers"; fi
out03=$(printed "$T/03_plan_comparison.ipynb")
if echo "$out03" | grep -q "every zone one piece and none across a barrier" && ! echo "$out03" | grep -q "skipped\|no shape figures\|no plan has"; then
    echo "PASS: 03 shows the demo's shape table and estimate vs simulation for every plan"
else echo "FAIL: 03 skipped the demo's shape figures or work with travel"; echo "$out03" | grep "skipped\|no shape\|no plan has"; fi
