#!/usr/bin/env bash
# End-to-end tests of pickup requests (issue 4) through the command line:
# the pickup metrics in the results file and in inspect, bit-identical
# results on 1 and 2 threads, zero rates changing nothing, and `zonesim
# calibrate` fitting per-type pickup rates from a history's pickups column.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_pickup; rm -rf "$T"; mkdir -p "$T"

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; fi; }

# The small scenario with pickups, and with every pickup rate explicitly 0.
{ sed -e 's/^output:.*//' -e 's/^efficiency: {speed_kmh: 15}/efficiency: {speed_kmh: 15, pickup_min: 2.5}/' \
      scenarios/tests/small.yaml; cat <<'YAML'
demand:
  pickups_per_day: {residential: 0.1, office: 0.6, shop: 1.2, other: 0.3}
  pickup_release_end: "15:00"
  pickup_promise_h: 3
YAML
} > "$T/pickup.yaml"
{ sed 's/^output:.*//' scenarios/tests/small.yaml; cat <<'YAML'
demand:
  pickups_per_day: {residential: 0, office: 0, shop: 0}
  pickup_release_end: "15:00"
YAML
} > "$T/zero.yaml"
"$Z" run "$T/pickup.yaml" --quiet --threads 1 --output "$T/p1.h5"
check "a scenario with pickups runs on 1 thread" test $? -eq 0
"$Z" run "$T/pickup.yaml" --quiet --threads 2 --output "$T/p2.h5"
check "a scenario with pickups runs on 2 threads" test $? -eq 0
"$Z" run scenarios/tests/small.yaml --quiet --output "$T/plain.h5"
check "the small scenario runs" test $? -eq 0
"$Z" run "$T/zero.yaml" --quiet --output "$T/zero.h5"
check "the small scenario with zero pickup rates runs" test $? -eq 0
"$PY" tests/h5same.py "$T/p1.h5" "$T/p2.h5" >"$T/same.out" 2>&1
check "pickups: the results file is identical on 1 and 2 threads" test $? -eq 0 || cat "$T/same.out"
"$Z" inspect "$T/p1.h5" >"$T/inspect.txt" 2>&1
check "inspect reports the pickups" grep -q "pickups 'kmeans': .* requests a day, .*% late, .*% missed" "$T/inspect.txt"

"$PY" - "$T/p1.h5" "$T/plain.h5" "$T/zero.h5" <<'PYEOF'
import sys, h5py, numpy as np
p1, plain, zero = sys.argv[1:4]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
NEW = ("pickups", "pickups_late", "pickups_missed", "pickup_km", "pickup_min")
DELIVERY = ("stops", "parcels", "dist_km", "travel_min", "service_min", "delivered", "late", "carried")
with h5py.File(p1, "r") as f, h5py.File(plain, "r") as g:
    k = f["sim/kmeans"]
    check(all(m in k for m in NEW) and k["pickups"].attrs["units"] in (b"1", "1"),
          "/sim has pickups, pickups_late, pickups_missed, pickup_km, pickup_min with units")
    check(k["pickups"][()].sum() > 0 and k["pickup_km"][()].sum() > 0 and
          k["pickups_missed"][()].sum() == 0,
          "pickups are requested and collected, none missed without a cut-off")
    w = k["work_min"][()]
    check(np.allclose(w, k["travel_min"][()] + k["service_min"][()] + k["reload_min"][()] + k["pickup_min"][()]),
          "work = travel + service + reload + pickup minutes")
    check(all(np.array_equal(k[m][()], g["sim/kmeans"][m][()]) for m in DELIVERY),
          "the delivery metrics equal those of the run without pickups")
    check((w >= g["sim/kmeans/work_min"][()]).all() and w.sum() > g["sim/kmeans/work_min"][()].sum(),
          "pickups raise work minutes")
    # Same requests in both plans every (replication, day): common random numbers.
    check(np.array_equal(k["pickups"][()].sum(axis=2), f["sim/weighted/pickups"][()].sum(axis=2)),
          "both plans see the same pickup requests every day")
    d = f["models/demand"]
    rate = dict(zip([s.decode() if isinstance(s, bytes) else s for s in d["pickup_rate"].attrs["names"]],
                    d["pickup_rate"][()]))
    check(rate["shop"] == 1.2 and rate["school"] == 0 and d.attrs["pickup_release_end_h"] == 15.0 and
          d.attrs["pickup_promise_h"] == 3.0 and f["models/efficiency"].attrs["pickup_min"] == 2.5,
          "/models records pickup_rate per type, release end, promise and minutes per pickup")
with h5py.File(plain, "r") as f, h5py.File(zero, "r") as g:
    same = all(np.array_equal(f["sim"][p][m][()], g["sim"][p][m][()]) for p in f["sim"] for m in f["sim"][p])
    check(same, "zero pickup rates: every /sim dataset bit-identical to the plain run")
    check(all(f["sim"][p][m][()].sum() == 0 for p in f["sim"] for m in NEW),
          "without pickups their metrics are all zero")
PYEOF

# A results file written before pickups existed (no pickup datasets, 20-row
# summary tables) still reads: the same overview as the run it came from.
cp "$T/plain.h5" "$T/old.h5"
"$PY" - "$T/old.h5" <<'PYEOF'
import sys, h5py
NEW = ("pickups", "pickups_late", "pickups_missed", "pickup_km", "pickup_min", "straight_km")
with h5py.File(sys.argv[1], "r+") as f:
    plans = [p for p in f["sim"]]
    for grp in ("sim", "summary"):
        for p in plans:
            for m in NEW:
                if m in f[grp][p]:
                    del f[grp][p][m]
    for p in plans:
        for t in ("day_total", "zone_day"):
            d = f["summary"][p][t]
            full = len(d[()])
            rows, attrs = d[()][:20], dict(d.attrs)
            del f["summary"][p][t]
            e = f["summary"][p].create_dataset(t, data=rows)
            for k, v in attrs.items():
                e.attrs[k] = v[:20] if hasattr(v, "__len__") and len(v) == full else v
PYEOF
"$PY" tests/h5seal.py "$T/old.h5"  # as an earlier zonesim would have sealed it
# Metrics appended after pickups (straight_km, ...) are absent from such a
# file too: compare the columns up to pickup_min_mean.
"$Z" inspect "$T/plain.h5" --csv | cut -d, -f1-28 | tail -n +2 >"$T/i_plain.txt"
"$Z" inspect "$T/old.h5" --csv 2>&1 | cut -d, -f1-28 | tail -n +2 >"$T/i_old.txt"
check "inspect reads a results file written before pickups existed" cmp -s "$T/i_plain.txt" "$T/i_old.txt"

# --- calibration from a history with a pickups column -----------------------------
"$Z" generate --points 160 --seed 21 --output "$T/points.csv" 2>/dev/null
"$PY" - "$T/points.csv" "$T/history.csv" <<'PYEOF'
import sys, csv, datetime as dt, numpy as np
pts = list(csv.DictReader(open(sys.argv[1])))
rng = np.random.default_rng(777)
wf = [1.2, 1.0, 1.0, 1.0, 1.2, 0.8, 0.8]
truth = {"residential": 0.2, "office": 0.9, "shop": 1.5}
start = dt.date(2026, 3, 2)
with open(sys.argv[2], "w") as f:
    f.write("date,id,parcels,pickups\n")
    for t in range(84):
        day = start + dt.timedelta(days=t)
        for p in pts:
            x = rng.poisson(2.0 * float(p["parcels"]) * wf[day.weekday()])
            k = rng.poisson(truth.get(p["type"], 0.5) * wf[day.weekday()])
            if x or k:
                f.write("%s,%s,%d,%d\n" % (day.isoformat(), p["id"], x, k))
PYEOF
"$Z" calibrate "$T/history.csv" --points "$T/points.csv" --h5 "$T/fit.h5" >"$T/fit.yaml" 2>"$T/fit.err"
check "calibrate runs on a history with pickups" test $? -eq 0 || cat "$T/fit.err"
"$PY" - "$T/fit.yaml" "$T/points.csv" "$T/fit.h5" <<'PYEOF'
import sys, re, csv, h5py
text = open(sys.argv[1]).read()
def check(ok, desc): print(("PASS: " if ok else "FAIL: ") + desc)
m = re.search(r"pickups_per_day: \{([^}]*)\}", text)
got = dict((a.strip(), float(b)) for a, b in (kv.split(":") for kv in m.group(1).split(","))) if m else {}
truth = {"residential": 0.2, "office": 0.9, "shop": 1.5}
types = set(p["type"] for p in csv.DictReader(open(sys.argv[2])))
n = {t: sum(1 for p in csv.DictReader(open(sys.argv[2])) if p["type"] == t) for t in types}
# Relative error of a type's mean over n points x 84 days: 1/sqrt(mu n 84);
# 4.5 of those plus 3% for the fitted weekday factors.
ok = bool(got) and set(got) == types and all(
    abs(got[t] / truth.get(t, 0.5) - 1) < 4.5 / (truth.get(t, 0.5) * n[t] * 84) ** 0.5 + 0.03 for t in types)
check(ok, "per-type pickup rates recovered: %s" % got)
with h5py.File(sys.argv[3], "r") as f:
    pm = f["models/calibration/pickups_mean"][()]
    names = [s.decode() if isinstance(s, bytes) else s for s in f["models/demand/pickup_rate"].attrs["names"]]
    rate = dict(zip(names, f["models/demand/pickup_rate"][()]))
    check(len(pm) == 160 and all(abs(rate[t] - got[t]) < 1e-3 for t in got),
          "--h5 writes pickups_mean per point and pickup_rate per type")
PYEOF
printf 'date,id,parcels\n2026-03-02,P1,2\n' > "$T/nopk.csv"
out=$("$Z" calibrate "$T/nopk.csv" --points "$T/points.csv" --columns date,id,parcels,pickups 2>&1); rc=$?
check "a named pickups column that is missing exits 2 naming it" \
    bash -c "[ $rc -eq 2 ] && echo \"$out\" | grep -q \"pickups\""
