#!/usr/bin/env bash
# End-to-end tests of the station's day (issue 21): dispatch waves, delivery
# windows and inserted pickups through `zonesim run`.  The engine without
# them is the engine before them, byte for byte (a results file written by
# the engine before issue 21 is kept in tests/data); thread count and plan
# order change nothing; the HDF5 layout and the summary; the demo's late
# share moves as the model says when the second wave comes later or
# carries more; bad input exits 2 with file:line:column and writes nothing.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_day; rm -rf "$T"; mkdir -p "$T"

. tests/lib_e2e.sh

# 1. Backward compatibility is a switch.  The reference was written by the
# engine before waves from this very scenario path (regenerate it with that
# engine if the scenario or the results layout ever changes on purpose).
"$Z" run scenarios/tests/day-compat.yaml --quiet --output "$T/compat.h5"
EST_SKIP="--skip /points/workload_min"
for p in kmeans fixed; do
    for d in zone_door_min zone_travel_min zone_work_min; do EST_SKIP="$EST_SKIP --skip /plans/$p/$d"; done
done
check "the compatibility scenario runs" test $? -eq 0
# Since the reference was written, the results gained straight_km (issue
# 15), two point types in the per-type model tables (/models, issue 19) and
# reworded plan status attributes (issue 17), and the planning estimates
# changed on purpose (issue 14: the workload index counts redeliveries, a
# zone's travel is measured on sampled tours): the simulation's data is
# compared byte for byte, those aside.
"$PY" tests/h5same.py tests/data/day-compat-before-waves.h5 "$T/compat.h5" --data-only \
    --new-metric straight_km --skip /models $EST_SKIP >"$T/same.out" 2>&1
check "no dispatch or windows section: every dataset of the engine before waves, byte for byte" \
    test $? -eq 0 || cat "$T/same.out"
# The same with the switch written out: one wave at shift.start, pickups after.
{ cat scenarios/tests/day-compat.yaml; cat <<'YAML'
shift: {start: "09:00"}
dispatch:
  waves: [{at: "09:00", share: 1}]
  pickups: after
YAML
} > "$T/one-wave.yaml"
"$Z" run "$T/one-wave.yaml" --quiet --output "$T/one-wave.h5"
check "one wave at shift.start written out: runs" test $? -eq 0
"$PY" tests/h5same.py tests/data/day-compat-before-waves.h5 "$T/one-wave.h5" --data-only \
    --new-metric straight_km --skip /models $EST_SKIP >"$T/same1.out" 2>&1
check "one wave at shift.start, pickups after: every dataset as before waves (the scenario text aside)" \
    test $? -eq 0 || cat "$T/same1.out"

# 2. The day model: two waves, office and shop windows, inserted pickups.
day_yaml() { # $1: output yaml, $2: plans block
    { sed -e '/^plans:/,/^simulation:/{/^simulation:/!d}' scenarios/tests/day-compat.yaml; cat <<YAML
$2
shift: {start: "08:00"}
dispatch:
  waves:
    - {at: "08:00", share: 0.6}
    - {at: "13:00", share: 0.4}
    - {at: "17:00", share: 0.1, peak_share: 0.2, weekday_share: [0, 0, 0, 0, 0, 0.1, 0.1]}
  pickups: inserted
windows:
  open: {office: "09:00", shop: "10:00"}
  close: {office: "12:00", shop: "20:00"}
YAML
    } > "$1"
}
day_yaml "$T/day.yaml" "plans:
  - {name: kmeans, k: auto, restarts: 2}
  - {name: fixed, k: 6, seed: 3}"
day_yaml "$T/day-rev.yaml" "plans:
  - {name: fixed, k: 6, seed: 3}
  - {name: kmeans, k: auto, restarts: 2}"
"$Z" run "$T/day.yaml" --quiet --threads 1 --output "$T/d1.h5"
check "waves, windows and inserted pickups: run on 1 thread" test $? -eq 0
"$Z" run "$T/day.yaml" --quiet --threads 2 --output "$T/d2.h5"
check "... and on 2 threads" test $? -eq 0
"$PY" tests/h5same.py "$T/d1.h5" "$T/d2.h5" >"$T/same2.out" 2>&1
check "the day model: the results file is identical on 1 and 2 threads" test $? -eq 0 || cat "$T/same2.out"
OMP_NUM_THREADS=1 "$Z" run "$T/day.yaml" --quiet --output "$T/domp1.h5" && \
    OMP_NUM_THREADS=2 "$Z" run "$T/day.yaml" --quiet --output "$T/domp2.h5"
"$PY" tests/h5same.py "$T/domp1.h5" "$T/domp2.h5" >"$T/same5.out" 2>&1
check "the day model: OMP_NUM_THREADS=1 and 2 give the same results file" test $? -eq 0 || cat "$T/same5.out"
"$Z" run "$T/day.yaml" --quiet --threads 2 --checkpoint-every 2 --output "$T/dck.h5"
"$PY" tests/h5same.py "$T/d2.h5" "$T/dck.h5" >"$T/same3.out" 2>&1
check "the day model in checkpointed blocks: the same results file" test $? -eq 0 || cat "$T/same3.out"
"$Z" run "$T/day.yaml" --quiet --shard 0/2 --output "$T/dsh.h5" && \
    "$Z" run "$T/day.yaml" --quiet --shard 1/2 --output "$T/dsh.h5" && \
    "$Z" merge "$T/dmerged.h5" "$T/dsh.shard-0-of-2.h5" "$T/dsh.shard-1-of-2.h5" --quiet
check "the day model in two shards: run and merged" test $? -eq 0
"$PY" tests/h5same.py "$T/d2.h5" "$T/dmerged.h5" --data-only >"$T/same4.out" 2>&1
check "... every dataset as the single run's" test $? -eq 0 || cat "$T/same4.out"
"$Z" run "$T/day-rev.yaml" --quiet --output "$T/drev.h5"
check "the plans in the other order: runs" test $? -eq 0
"$Z" inspect "$T/d1.h5" >"$T/inspect.txt" 2>&1
check "inspect: late per wave and the courier-day's hours" \
    grep -qE "^day 'kmeans': late [0-9.]+% of wave 1, [0-9.]+% of wave 2, [0-9.]+% of wave 3; [0-9.]+ trips, travel .* idle .*; window misses [0-9.]+% of [0-9.]+ stops a day" "$T/inspect.txt"
"$Z" inspect "$T/compat.h5" >"$T/inspect0.txt" 2>&1
check "inspect: no day lines for a run without the day model" bash -c "! grep -q \"^day '\" '$T/inspect0.txt'"

"$PY" - "$T/d1.h5" "$T/drev.h5" "$T/compat.h5" <<'PYEOF'
import sys, h5py, numpy as np
d1, drev, compat = sys.argv[1:4]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
NEW = ["trips", "depot_min", "idle_min", "window_stops", "window_misses", "window_wait_min",
       "parcels_wave1", "parcels_wave2", "parcels_wave3", "late_wave1", "late_wave2", "late_wave3"]
with h5py.File(d1, "r") as f, h5py.File(drev, "r") as g, h5py.File(compat, "r") as c:
    k = f["sim/kmeans"]
    check(all(m in k and "units" in k[m].attrs for m in NEW) and len(k) == 38,
          "/sim/<plan> holds the 12 metrics of the day model with units (38 in all)")
    check(not any(m in c["sim/kmeans"] for m in NEW) and len(c["sim/kmeans"]) == 26,
          "a run without the day model writes the 26 metrics it always did (25 and straight_km)")
    check(f["summary/kmeans/day_total"].shape == (38,) and c["summary/kmeans/day_total"].shape == (26,),
          "/summary day_total has a row per metric carried (38 with the day model, 26 without)")
    v = {m: k[m][()] for m in k}
    check(np.array_equal(v["parcels_wave1"] + v["parcels_wave2"] + v["parcels_wave3"], v["parcels"]),
          "parcels of the three waves add up to the parcels, every zone-day")
    check(np.array_equal(v["late_wave1"] + v["late_wave2"] + v["late_wave3"], v["late"]),
          "late parcels of the waves add up to the late parcels")
    w3 = v["parcels_wave3"].sum(axis=(0, 2))
    check(w3[:5].sum() == 0 and w3[5:7].sum() > 0,
          "the third wave runs on the weekend only (weekday_share; Mon-Fri %d, Sat-Sun %d parcels)"
          % (w3[:5].sum(), w3[5:7].sum()))
    check(v["window_stops"].sum() > 0 and (v["window_misses"] <= v["window_stops"]).all(),
          "window stops counted, misses among them (%d of %d)" % (v["window_misses"].sum(), v["window_stops"].sum()))
    check(np.allclose(v["work_min"], v["travel_min"] + v["service_min"] + v["reload_min"] +
                      v["pickup_min"] + v["window_wait_min"]),
          "work = travel + service + reloads + pickups + waiting at windows")
    check((v["trips"] <= 3).all() and v["idle_min"].min() >= 0 and (v["depot_min"] <= v["travel_min"] + 1e-9).all(),
          "at most one trip per wave; depot minutes are part of travel")
    same = all(np.array_equal(f["sim"][p][m][()], g["sim"][p][m][()]) for p in f["sim"] for m in f["sim"][p])
    check(same, "plan order: every /sim dataset of each plan bit-identical with the plans swapped")
PYEOF

# 3. The demo, smaller: what the model predicts for the late share.  The
# shift starts at the first wave's scan (08:00); the first trip carries
# 60% of the day and yesterday's failures, so it runs past the 13:00 scan
# and the second wave waits at the station for its courier: a later second
# wave (14:00) brings its promise nearer the courier's departure, and more
# parcels in the second wave shorten the first trip; both lower the late
# share, the later wave at the price of a later end of the day.
demo() { # $1: name, $2: waves
    sed -e 's/replications: 64/replications: 4/' -e 's/days: 28/days: 14/' -e 's#^output:.*##' \
        -e 's/start: "09:00"/start: "08:00"/' scenarios/demo.yaml > "$T/$1.yaml"
    [ -n "$2" ] && printf 'dispatch:\n  waves: %s\n' "$2" >> "$T/$1.yaml"
    "$Z" run "$T/$1.yaml" --quiet --output "$T/$1.h5"
}
demo one ""
demo two '[{at: "08:00", share: 0.6}, {at: "13:00", share: 0.4}]'
demo later '[{at: "08:00", share: 0.6}, {at: "14:00", share: 0.4}]'
demo more '[{at: "08:00", share: 0.5}, {at: "13:00", share: 0.5}]'
"$PY" - "$T" <<'PYEOF'
import sys, h5py
T = sys.argv[1]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
def share(name, plan="territory"):
    with h5py.File("%s/%s.h5" % (T, name), "r") as f:
        g = f["sim/" + plan]
        return g["late"][()].sum() / g["delivered"][()].sum(), g["overtime_min"][()].mean()
one, two, later, more = (share(n) for n in ("one", "two", "later", "more"))
check(two[0] < one[0], "demo: two waves (08:00/13:00, 60/40) late %.1f%% < one morning scan %.1f%%"
      % (100 * two[0], 100 * one[0]))
check(later[0] < two[0] and later[1] > two[1],
      "demo: second wave at 14:00: late %.1f%% < %.1f%%, overtime %.0f > %.0f min a courier-day"
      % (100 * later[0], 100 * two[0], later[1], two[1]))
check(more[0] < two[0], "demo: second wave carrying 50%%: late %.1f%% < %.1f%%" % (100 * more[0], 100 * two[0]))
PYEOF

# Pickups on the demo (no overtime cut-off, so both policies collect every
# request): inserted into the running route they add fewer km than the
# round after the deliveries, and fewer are late.
pk() { # $1: name, $2: extra dispatch lines
    sed -e 's/replications: 64/replications: 4/' -e 's/days: 28/days: 14/' -e 's#^output:.*##' \
        -e 's/start: "09:00"/start: "08:00"/' -e 's/^  hours: 8 .*/  hours: 8\n  max_overtime_h: 0/' \
        -e 's/^demand:/demand:\n  pickups_per_day: {residential: 0.05, office: 0.6, shop: 1.5, other: 0.3}\n  pickup_release_end: "16:00"\n  pickup_promise_h: 3/' \
        scenarios/demo.yaml > "$T/$1.yaml"
    [ -n "$2" ] && printf 'dispatch:\n%s\n' "$2" >> "$T/$1.yaml"
    "$Z" run "$T/$1.yaml" --quiet --output "$T/$1.h5"
}
pk pk-after ""
pk pk-ins "  pickups: inserted"
pk pk2-after '  waves: [{at: "08:00", share: 0.6}, {at: "13:00", share: 0.4}]'
pk pk2-ins '  waves: [{at: "08:00", share: 0.6}, {at: "13:00", share: 0.4}]
  pickups: inserted'
"$PY" - "$T" <<'PYEOF'
import sys, h5py
T = sys.argv[1]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
def tot(name, m):
    with h5py.File("%s/%s.h5" % (T, name), "r") as f:
        return sum(f["sim"][p][m][()].sum() for p in f["sim"])
for a, b, what in (("pk-after", "pk-ins", "one wave"), ("pk2-after", "pk2-ins", "two waves")):
    ka, ki = tot(a, "pickup_km"), tot(b, "pickup_km")
    la, li = tot(a, "pickups_late"), tot(b, "pickups_late")
    check(tot(a, "pickups") == tot(b, "pickups") and tot(a, "pickups_missed") == 0 == tot(b, "pickups_missed"),
          "demo with pickups, %s: the same requests, all collected under both policies" % what)
    check(ki < ka, "demo with pickups, %s: inserted pickups add %.0f km, the round after the deliveries %.0f"
          % (what, ki, ka))
    check(li < la, "demo with pickups, %s: %.0f pickups late inserted, %.0f with the round" % (what, li, la))
PYEOF

# Waves calibrated from a history's scan times: 65% scanned around 08:10,
# 35% around 13:20 (weekends: 80/20); the fragment runs as a scenario.
"$Z" generate --points 120 --seed 4 --output "$T/cal-points.csv" 2>/dev/null
"$PY" - "$T/cal-points.csv" "$T/cal-history.csv" <<'PYEOF'
import sys, csv, datetime as dt, numpy as np
pts = list(csv.DictReader(open(sys.argv[1])))
rng = np.random.default_rng(7)
start = dt.date(2026, 3, 2)
with open(sys.argv[2], "w") as f:
    f.write("date,id,parcels,scan_time\n")
    for t in range(28):
        day = start + dt.timedelta(days=t)
        late = 0.2 if day.weekday() >= 5 else 0.35
        for p in pts:
            for _ in range(rng.poisson(2.0 * float(p["parcels"]))):
                m = rng.normal(13 * 60 + 20, 12) if rng.random() < late else rng.normal(8 * 60 + 10, 12)
                f.write("%s,%s,1,%s %02d:%02d:%02d\n" % (day.isoformat(), p["id"], day.strftime("%m-%d"),
                        int(m) // 60, int(m) % 60, rng.integers(60)))
PYEOF
"$Z" calibrate "$T/cal-history.csv" --points "$T/cal-points.csv" >"$T/cal.yaml" 2>"$T/cal.err"
check "calibrate: a history with a scan_time column" test $? -eq 0 || cat "$T/cal.err"
"$PY" - "$T/cal.yaml" <<'PYEOF'
import sys, re
text = open(sys.argv[1]).read()
def check(ok, desc): print(("PASS: " if ok else "FAIL: ") + desc)
w = re.findall(r'- \{at: "(\d\d):(\d\d)", share: ([0-9.]+)(, weekday_share: \[([^\]]*)\])?\}', text)
check(len(w) == 2, "calibrate: two dispatch waves found (%d)" % len(w))
if len(w) == 2:
    at = [int(h) * 60 + int(m) for h, m, *_ in w]
    share = [float(x[2]) for x in w]
    check(abs(at[0] - 490) <= 5 and abs(at[1] - 800) <= 5,
          "calibrate: waves at their median scans (%02d:%02d, %02d:%02d; drawn around 08:10 and 13:20)"
          % (at[0] // 60, at[0] % 60, at[1] // 60, at[1] % 60))
    check(abs(share[0] - 0.693) < 0.02, "calibrate: first wave's share %.3f (5 weekdays at 65%%, 2 at 80%%: 0.693)" % share[0])
    wd = [float(x) for x in w[1][4].split(",")] if w[1][4] else []
    check(len(wd) == 7 and all(abs(x - 0.35) < 0.03 for x in wd[:5]) and all(abs(x - 0.2) < 0.03 for x in wd[5:]),
          "calibrate: weekday shares of the second wave (%s)" % w[1][4])
PYEOF
{ printf 'points: {file: %s}\n' "$T/cal-points.csv"; sed -n '/^dispatch:/,$p' "$T/cal.yaml"; \
  printf 'simulation: {days: 7, replications: 2}\n'; } > "$T/cal-run.yaml"
"$Z" run "$T/cal-run.yaml" --quiet --output "$T/cal-run.h5" >/dev/null 2>&1
check "calibrate: the dispatch fragment runs as a scenario" test $? -eq 0
printf 'date,id,parcels,scan_time\n2026-03-02,%s,1,8h15\n' "$(sed -n 2p "$T/cal-points.csv" | cut -d, -f1)" > "$T/cal-bad.csv"
out=$("$Z" calibrate "$T/cal-bad.csv" --points "$T/cal-points.csv" 2>&1); rc=$?
check_exit "calibrate: a bad scan time exits 2 at its line and column" $rc 2 "$out" \
    "cal-bad.csv:2:22: column 'scan_time': expected a time HH:MM[:SS], got '8h15'"

# Windows from LaDe's time-window columns (real pickup records of Hangzhou
# with their customers' windows), per point.
LADE=${ZS_SHARED:-../shared}/data/lade-pickup-subset/pickup_hangzhou_subset.csv
if [ -f "$LADE" ]; then
    sed -e 's/zone: courier_id}/zone: courier_id, window_open: time_window_start, window_close: time_window_end}/' \
        -e "s#file: .*pickup_hangzhou_subset.csv#file: $LADE#" -e 's/replications: 64/replications: 3/' \
        scenarios/lade-hangzhou.yaml > "$T/lade.yaml"
    "$Z" run "$T/lade.yaml" --quiet --output "$T/lade.h5" >"$T/lade.out" 2>&1
    check "LaDe with points.columns.window_open/window_close: runs" test $? -eq 0 || cat "$T/lade.out"
    "$PY" - "$T/lade.h5" <<'PYEOF'
import sys, h5py
def check(ok, desc): print(("PASS: " if ok else "FAIL: ") + desc)
with h5py.File(sys.argv[1], "r") as f:
    g = f["sim/couriers"]
    ws, wm, stops = g["window_stops"][()].sum(), g["window_misses"][()].sum(), g["stops"][()].sum()
    check(ws == stops and ws > 0, "LaDe: every record has a window (%d window stops of %d)" % (ws, stops))
    check(wm < 0.05 * ws and g["window_wait_min"][()].sum() > 0,
          "LaDe: the window-aware route misses %.1f%% of the windows, waiting at doors instead" % (100.0 * wm / ws))
PYEOF
else
    echo "(LaDe subset not found at $LADE: window-column checks skipped)"
fi
printf 'id,x,y,wo,wc\nA,0,100,09:00,12:00\nB,50,0,05-01 13:00:00,05-01 11:00:00\n' > "$T/win-bad.csv"
printf 'points:\n  file: win-bad.csv\n  columns: {window_open: wo, window_close: wc}\n' > "$T/win-bad.yaml"
out=$("$Z" run "$T/win-bad.yaml" --quiet --output "$T/win-bad.h5" 2>&1); rc=$?
check_exit "a point window closing before it opens: exit 2 at its line and column" $rc 2 "$out" \
    "win-bad.csv:3:23: columns 'wo', 'wc': a window needs both ends, opening first"
printf 'points:\n  file: win-bad.csv\n  columns: {window_open: wo}\n' > "$T/win-half.yaml"
out=$("$Z" run "$T/win-half.yaml" --quiet --output "$T/win-bad.h5" 2>&1); rc=$?
check_exit "window_open without window_close: exit 2" $rc 2 "$out" \
    "points.columns: give both window_open and window_close"

# 4. Bad input: exit 2 at file:line:column, nothing written.
bad() { # $1: description, $2: yaml appended, $3: message
    { sed 's/^output:.*//' scenarios/tests/small.yaml; printf '%s\n' "$2"; } > "$T/bad.yaml"
    rm -f "$T/bad.h5"
    out=$("$Z" run "$T/bad.yaml" --quiet --output "$T/bad.h5" 2>&1); rc=$?
    check_exit "$1" $rc 2 "$out" "$3"
    check "... no results file" test ! -e "$T/bad.h5"
}
bad "waves out of time order" 'dispatch:
  waves: [{at: "13:00", share: 1}, {at: "08:00", share: 1}]' "bad.yaml:14:36: dispatch.waves[1]: at must be later"
bad "a wave without share" 'dispatch:
  waves: [{at: "08:00"}]' "bad.yaml:14:11: dispatch.waves[0]: needs at and share"
bad "four waves" 'dispatch:
  waves: [{at: "07:00", share: 1}, {at: "08:00", share: 1}, {at: "09:00", share: 1}, {at: "10:00", share: 1}]' \
    "dispatch.waves: 4 waves; at most 3"
bad "a wave at 25:00" 'dispatch:
  waves: [{at: "25:00", share: 1}]' "bad.yaml:14:16: dispatch.waves[0].at: expected a time HH:MM, got '25:00'"
bad "no wave on Sundays" 'dispatch:
  waves: [{at: "08:00", weekday_share: [1, 1, 1, 1, 1, 1, 0]}]' "dispatch.waves: the shares of Sunday are all 0"
bad "an unknown pickup policy" 'dispatch:
  pickups: later' "bad.yaml:14:12: dispatch.pickups: expected after or inserted, got 'later'"
bad "a window without its close" 'windows:
  open: {office: "09:00"}' "windows: office has only an open time"
bad "a window closing before it opens" 'windows:
  open: {office: "12:00"}
  close: {office: "09:00"}' "windows: office opens at 12:00, not before it closes (09:00)"
bad "an unknown point type in windows" 'windows:
  open: {offices: "09:00"}' "unknown key 'offices' in windows.open"
