#!/usr/bin/env bash
# End-to-end tests of `zonesim calibrate`: a history drawn with known
# weekday factors and overdispersion is calibrated back through the CLI;
# bad history files exit 2 naming file:line:column.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_calibrate; rm -rf "$T"; mkdir -p "$T"
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }

"$Z" generate --points 150 --seed 11 --output "$T/points.csv" 2>/dev/null
"$PY" - "$T/points.csv" "$T/history.csv" "$T/holidays.txt" <<'PYEOF'
import sys, csv, datetime as dt, numpy as np
pts = list(csv.DictReader(open(sys.argv[1])))
rng = np.random.default_rng(12345)
wf = [1.25, 1.0, 1.0, 1.0, 1.25, 0.7, 0.65]; k = 5.0
start = dt.date(2026, 1, 5)
holidays = [start + dt.timedelta(days=d) for d in (30, 31, 32)]
with open(sys.argv[2], "w") as f:
    f.write("date,id,parcels\n")
    for t in range(84):
        day = start + dt.timedelta(days=t)
        factor = wf[day.weekday()] * (0.2 if day in holidays else 1.0)
        for p in pts:
            mu = 3.0 * float(p["parcels"]) * factor
            x = rng.negative_binomial(k, k / (k + mu))
            if x:
                f.write("%s,%s,%d\n" % (day.isoformat(), p["id"], x))
open(sys.argv[3], "w").write("# spring break\n" + "\n".join(h.isoformat() for h in holidays) + "\n")
PYEOF
"$Z" calibrate "$T/history.csv" --points "$T/points.csv" --holidays "$T/holidays.txt" \
    --points-out "$T/fitted.csv" --h5 "$T/fit.h5" >"$T/fit.yaml" 2>"$T/fit.err"
if [ $? -eq 0 ]; then pass "calibrate runs on a 12-week history"; else fail "calibrate runs"; cat "$T/fit.err"; fi
"$PY" - "$T/fit.yaml" "$T/fitted.csv" "$T/points.csv" "$T/fit.h5" <<'PYEOF'
import sys, re, csv, h5py
text = open(sys.argv[1]).read()
def check(ok, desc): print(("PASS: " if ok else "FAIL: ") + desc)
m = re.search(r"weekday_factor: \[([^\]]*)\]", text)
wf = [float(x) for x in m.group(1).split(",")] if m else []
truth = [1.25, 1.0, 1.0, 1.0, 1.25, 0.7, 0.65]; s = sum(truth) / 7
check(len(wf) == 7 and max(abs(a / (b / s) - 1) for a, b in zip(wf, truth)) < 0.08,
      "weekday factors recovered within 8%%: %s" % wf)
k = float(re.search(r"nb_size: ([0-9.]+)", text).group(1))
check(3.0 < k < 8.0, "overdispersion k = 5 recovered (%.2f)" % k)
check("3 excluded (holidays)" in text, "the three listed holidays are excluded")
check(re.search(r"0 \(heavy\): Mon Fri; 1 \(normal\): Tue Wed Thu; 2 \(light\): Sat Sun", text) is not None,
      "operating modes Mon+Fri / Tue-Thu / Sat+Sun")
fitted = list(csv.DictReader(open(sys.argv[2]))); orig = list(csv.DictReader(open(sys.argv[3])))
ratio = sum(float(a["parcels"]) for a in fitted) / (3 * sum(float(b["parcels"]) for b in orig) * s)
check(len(fitted) == len(orig) and abs(ratio - 1) < 0.04, "fitted point means sum to the true volume (ratio %.3f)" % ratio)
with h5py.File(sys.argv[4], "r") as f:
    ok = (max(abs(a - b) for a, b in zip(f["models/demand"].attrs["weekday_factor"], wf)) < 1e-4 and
          list(f["models/calibration/mode_of_weekday"][:]) == [0, 1, 1, 1, 0, 2, 2] and
          int(f["models/calibration"].attrs["days_excluded"]) == 3 and
          abs(sum(f["points/parcels_mean"][:]) - sum(float(a["parcels"]) for a in fitted)) < 1e-6 * len(fitted))
    check(ok, "--h5 writes the fit into /models/demand, /models/calibration and /points")
PYEOF

bad() {  # file contents, expected message
    printf "$1" > "$T/bad.csv"
    got=$("$Z" calibrate "$T/bad.csv" --points "$T/points.csv" 2>&1 >/dev/null); rc=$?
    if [ $rc -eq 2 ] && [ "$got" = "zonesim: $T/bad.csv:$2" ]; then pass "bad history: $2"
    else fail "bad history: rc=$rc"; echo "      expected: zonesim: $T/bad.csv:$2"; echo "      got:      $got"; fi
}
bad 'date,id,parcels\n2026-01-05,P000001,2\n2026-01-05,Q9,1\n' "3:12: unknown point id 'Q9'"
bad 'date,id,parcels\n2026-13-05,P000001,2\n' "2:1: column 'date': expected a date YYYY-MM-DD, got '2026-13-05'"
bad 'date,id,parcels\n2026-01-05,P000001,-2\n' "2:20: column 'parcels': must be >= 0, got -2"
"$Z" calibrate "$T/history.csv" >/dev/null 2>&1
[ $? -eq 2 ] && pass "calibrate without --points exits 2" || fail "calibrate without --points exits 2"
