#!/usr/bin/env bash
# End-to-end tests of the stochastic extras (absence, vehicles, road
# factors, time-of-day signing) through the command line: the new metrics
# and /models groups in the results file, bit-identical results on 1 and 2
# threads, and results unchanged by the neutral values of the new keys.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_extras; rm -rf "$T"; mkdir -p "$T"

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; fi; }

"$Z" run scenarios/tests/extras.yaml --quiet --threads 1 --output "$T/x1.h5"
check "the extras scenario runs on 1 thread" test $? -eq 0
"$Z" run scenarios/tests/extras.yaml --quiet --threads 2 --output "$T/x2.h5"
check "the extras scenario runs on 2 threads" test $? -eq 0

# The small scenario, and the same with every new key at its neutral value.
"$Z" run scenarios/tests/small.yaml --quiet --output "$T/plain.h5"
check "the small scenario runs" test $? -eq 0
{ cat scenarios/tests/small.yaml; cat <<'YAML'
absence: {rate: 0}
roads: []
vehicle: {type: none, reload_min: 5}
models:
  signing:
    work_start: "08:00"
    success_off_hours: {office: same}
YAML
} | sed 's/^output:.*//' > "$T/neutral.yaml"
"$Z" run "$T/neutral.yaml" --quiet --output "$T/neutral.h5"
check "the small scenario with neutral extras runs" test $? -eq 0

"$PY" - "$T/x1.h5" "$T/x2.h5" "$T/plain.h5" "$T/neutral.h5" <<'PYEOF'
import sys, h5py, numpy as np
x1, x2, plain, neutral = sys.argv[1:5]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
with h5py.File(x1, "r") as f, h5py.File(x2, "r") as g:
    same = all(np.array_equal(f["sim"][p][m][()], g["sim"][p][m][()])
               for p in f["sim"] for m in f["sim"][p])
    check(same, "extras: every /sim dataset is bit-identical on 1 and 2 threads")
    b, v = f["sim/bikes"], f["sim/vans"]
    check(all(m in b for m in ("absent", "cover_stops", "reloads", "reload_min")),
          "extras: /sim has absent, cover_stops, reloads and reload_min")
    ab = b["absent"][()]
    check(ab.sum() > 0 and ab[:, 1, :].sum(axis=1).min() >= 1,
          "extras: couriers are absent, at least one on the dated day of every replication")
    check(b["cover_stops"][()].sum() > 0, "extras: absent couriers' stops are covered")
    check(np.array_equal(ab, v["absent"][()]),
          "extras: plans of the same size lose the same couriers (common random numbers)")
    check(b["reloads"][()].sum() > 0 and v["reloads"][()].sum() == 0,
          "extras: e-bikes of 4 parcels reload, vans of 300 never do")
    w = b["work_min"][()]
    check(np.allclose(w, b["travel_min"][()] + b["service_min"][()] + b["reload_min"][()]),
          "extras: work = travel + service + reload minutes")
    check(np.array_equal(f["points/road_factor"][()][[0, 4, 8, 10]], [1.0, 1.5, 2.0, 5.0]),
          "extras: /points/road_factor: the file's factors times the south side's 2")
    mv = f["models/vehicle"]
    check(list(mv.attrs["plan_vehicle"]) == ["ebike", "van"] and mv["capacity"][2] == 4,
          "extras: /models/vehicle names each plan's vehicle and the e-bike's capacity 4")
    check(f["models/absence"].attrs["rate"] == 0.1, "extras: /models/absence/rate = 0.1")
    off = f["models/signing/p_success_off_hours"][()]
    check(off[0] == 0.95 and off[1] == 0.3 and off[2] == f["models/signing/p_success"][2],
          "extras: /models/signing/p_success_off_hours (same = the all-day value)")
with h5py.File(plain, "r") as f, h5py.File(neutral, "r") as g:
    same = all(np.array_equal(f["sim"][p][m][()], g["sim"][p][m][()])
               for p in f["sim"] for m in f["sim"][p])
    check(same, "neutral extras (rate 0, no vehicle, same signing all day) change no result")
    zero = all(f["sim"][p][m][()].sum() == 0 for p in f["sim"]
               for m in ("absent", "cover_stops", "reloads", "reload_min"))
    check(zero, "without the extras their metrics are all zero")
PYEOF
