#!/usr/bin/env bash
# End-to-end tests of zones a courier can be handed (contiguous, balanced on
# work with travel, bounded by barriers): `generate --river --ring-road-km
# --barriers`, `partition --method territory` with barriers, depot, repair
# and --moved, the shape figures in --json, barrier files that are wrong
# (exit 2 with the file and feature), a scenario run with a territory plan
# and a repair (HDF5 /plans shape and work, /barriers), and an exact plan
# proven infeasible: `partition` exits 2 with the band needed, `run` stops
# before simulating unless on_infeasible: relax.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_territory; rm -rf "$T"; mkdir -p "$T"

. tests/lib_e2e.sh

"$Z" generate --output "$T/city.csv" --points 1500 --seed 3 --river --ring-road-km 3 \
    --barriers "$T/bar.geojson" >/dev/null 2>&1
check "generate --river --ring-road-km --barriers writes points and GeoJSON" \
    test -s "$T/city.csv" -a -s "$T/bar.geojson"

"$Z" partition "$T/city.csv" --method territory --k 20 --tolerance 0.2 --depot 0,0 \
    --barriers "$T/bar.geojson" --json --output "$T/terr.csv" >"$T/terr.json" 2>"$T/terr.err"
check "territory with barriers exits 0" test $? -eq 0
# --starts: one start is the first of the default eight; the eight keep a
# plan no worse (in the band, then less hull overlap); out of range: exit 2
"$Z" partition "$T/city.csv" --method territory --k 20 --tolerance 0.2 --depot 0,0 \
    --barriers "$T/bar.geojson" --json --starts 1 >"$T/terr1.json" 2>/dev/null
check "territory --starts 1 exits 0" test $? -eq 0
out=$("$Z" partition "$T/city.csv" --method territory --k 20 --starts 1001 2>&1); rc=$?
check_exit "--starts 1001: exit 2 with the range" $rc 2 "$out" "--starts '1001': expected an integer 0..1000"
out=$("$Z" partition "$T/city.csv" --method territory --k 20 --pocket-share 2 2>&1); rc=$?
check_exit "--pocket-share 2: exit 2 with the range" $rc 2 "$out" "--pocket-share '2': expected a number 0..1"
"$Z" partition "$T/city.csv" --method kmeans-two-stage --k 20 --tolerance 0.2 --depot 0,0 \
    --barriers "$T/bar.geojson" --json >"$T/ts.json" 2>/dev/null
"$PY" - "$T" <<'PYEOF'
import json, sys
T = sys.argv[1]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
g = json.load(open(T + "/bar.geojson"))
names = [f["properties"].get("name") for f in g["features"]]
check(names == ["river", "ring road"] and all(f["geometry"]["type"] == "LineString" for f in g["features"]),
      "barrier GeoJSON: one river and one ring road LineString")
t = json.load(open(T + "/terr.json"))
s = t["shape"]
check(s["zones_one_piece"] == 20 and s["strays"] == 0 and s["barrier_zones"] == 0,
      "territory: 20 of 20 zones one piece, no strays, none across a barrier (%s)" % s)
check(s["graph_barrier_edges"] > 0 and s["graph_parts"] >= 2,
      "the barriers cut the adjacency graph (%d edges, %d parts)" % (s["graph_barrier_edges"], s["graph_parts"]))
w = t["zone_work_min"]; m = sum(w) / len(w)
dev = max(abs(x - m) / m for x in w)
check(abs(dev - t["work_maxdev"]) < 1e-9 and len(t["zone_travel_min"]) == 20,
      "zone work with travel and its deviation are reported (%.3f)" % dev)
check(t["balance_met"] == (dev <= 0.2 + 1e-12), "balance_met agrees with the work with travel")
check(t["parts"] == s["graph_parts"] and 0 < t["part_bound"] <= t["work_maxdev"] + 1e-9,
      "the barrier areas' bound is reported and the plan does not beat it (%d areas, %.3f <= %.3f)"
      % (t["parts"], t["part_bound"], t["work_maxdev"]))
check(t["k_within"] == 0 if t["part_bound"] <= 0.2 else t["k_within"] > 20,
      "k_within only when the bound is outside the band (%d)" % t["k_within"])
t1 = json.load(open(T + "/terr1.json"))
ok = (t1["work_maxdev"] > 0.2 + 1e-12 or
      (t["work_maxdev"] <= 0.2 + 1e-12 and
       t["shape"]["hull_overlap"] <= t1["shape"]["hull_overlap"] + 1e-12))
check(ok, "eight starts keep a plan no worse than one start's (%.1f%% / %.1f%% overlap, "
      "%.1f%% / %.1f%% from the mean)" % (100 * t["shape"]["hull_overlap"],
      100 * t1["shape"]["hull_overlap"], 100 * t["work_maxdev"], 100 * t1["work_maxdev"]))
ts = json.load(open(T + "/ts.json"))
check(ts["shape"]["zones_one_piece"] < 20 and ts["shape"]["barrier_zones"] > 0,
      "kmeans-two-stage on the same city says plainly that zones are in pieces (%d of 20) and cross barriers (%d)"
      % (ts["shape"]["zones_one_piece"], ts["shape"]["barrier_zones"]))
PYEOF

# --- repair -------------------------------------------------------------------
"$Z" partition "$T/city.csv" --method kmeans --k 20 --output "$T/today.csv" >/dev/null 2>&1
"$Z" partition "$T/city.csv" --method territory --repair-from "$T/today.csv" --tolerance 0.3 \
    --depot 0,0 --json --moved "$T/moved.csv" >"$T/rep.json" 2>"$T/rep.err"
check "repair of a k-means zoning exits 0" test $? -eq 0
"$PY" - "$T" <<'PYEOF'
import csv, json, sys
T = sys.argv[1]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
r = json.load(open(T + "/rep.json"))
moved = list(csv.DictReader(open(T + "/moved.csv")))
check(r["shape"]["zones_one_piece"] == 20, "repaired: every zone one piece")
check(r["moved"] == len(moved) and 0 < r["moved"] < r["n"] and 0 < r["moved_work_share"] < 1,
      "repair: %d points moved, listed id,from,to (%d rows)" % (r["moved"], len(moved)))
today = {x["id"]: x["zone"] for x in csv.DictReader(open(T + "/today.csv"))}
check(all(today[x["id"]] == x["from"] and x["from"] != x["to"] for x in moved),
      "every listed move starts from the given zone")
PYEOF
out=$("$Z" partition "$T/city.csv" --method territory --repair 2>&1); rc=$?
check_exit "--repair without a zone column exits 2" $rc 2 "$out" "--repair needs a zone column"
out=$("$Z" partition "$T/city.csv" --method kmeans --k 3 --repair-from "$T/today.csv" 2>&1); rc=$?
check_exit "--repair-from with another method exits 2" $rc 2 "$out" "only with --method territory"

# --- bad barrier files -----------------------------------------------------------
printf 'not json at all' >"$T/junk.geojson"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}},{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}' >"$T/point.geojson"
printf '{"type":"FeatureCollection","features":[]}' >"$T/empty.geojson"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[120.1,30.2],[120.2,30.3]]}}]}' >"$T/deg.geojson"
for c in "junk:junk.geojson: not GeoJSON" "point:point.geojson: feature 1: a Point is not a barrier" \
         "empty:empty.geojson: no lines or polygons" \
         "deg:deg.geojson: feature 0: coordinates look like lon/lat degrees"; do
    f=${c%%:*}; msg=${c#*:}
    out=$("$Z" partition "$T/city.csv" --method territory --k 5 --barriers "$T/$f.geojson" 2>&1); rc=$?
    check_exit "barriers $f.geojson: exit 2 naming the file and feature" $rc 2 "$out" "$msg"
done

# --- the areas' zones follow their measured work --------------------------------
# The demo's city with generator seed 21 and 40 zones: the allocation model
# (an area's door and tour minutes plus a drive per zone) puts 3 zones in the
# area south of the river outside the ring road, whose measured work then
# runs 18% over the mean, and 13 in the area beside it (-12%); the later
# starts share the zones by the work the first one measured and come near
# the corrected bound (an estimate: the drives and tours change with the
# zones' count, so it is good to a point or two).
"$Z" demo --print-scenario 2>/dev/null | "$PY" -c '
import sys
s = sys.stdin.read()
head = s[:s.index("\nplans:")].replace("seed: 7", "seed: 21")
print(head + """
plans:
  - {name: one, method: territory, k: 40, tolerance: 0.08, seed: 1, starts: 1}
  - {name: eight, method: territory, k: 40, tolerance: 0.08, seed: 1}
simulation: {days: 1, replications: 2, seed: 3}
output: %s/alloc.h5
""" % sys.argv[1])' "$T" >"$T/alloc.yaml"
"$Z" run "$T/alloc.yaml" --quiet >/dev/null 2>"$T/alloc.err"
check "city 21, 40 zones: runs" test $? -eq 0
"$PY" - "$T/alloc.h5" <<'PYEOF'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
one, eight = f["plans/one"].attrs, f["plans/eight"].attrs
ok = (one["work_travel_maxdev"] > 0.15 and eight["work_travel_maxdev"] < 0.11 and
      abs(eight["work_travel_maxdev"] - eight["part_bound"]) <= 0.02 and
      eight["zones_one_piece"] == 40 and eight["barrier_zones"] == 0)
print(("PASS: " if ok else "FAIL: ") + "city 21, 40 zones: one start %.1f%% from the mean; eight "
      "starts, zones shared by measured work, %.1f%% (the areas' bound about %.1f%%), 40/40 one piece"
      % (100 * one["work_travel_maxdev"], 100 * eight["work_travel_maxdev"],
         100 * eight["part_bound"]))
PYEOF

# --- a scenario with a territory plan and a repair --------------------------------
"$Z" generate --output "$T/s-points.csv" --points 600 --seed 4 --width-km 6 --height-km 5 \
    --river >/dev/null 2>&1
"$Z" partition "$T/s-points.csv" --method kmeans --k 8 --output "$T/s-today.csv" >/dev/null 2>&1
cat >"$T/s.yaml" <<YAML
name: territory-e2e
points:
  generate: {seed: 4, n_points: 600, width_km: 6, height_km: 5, river: true, station: [0, 0]}
plans:
  - {name: today, method: manual, file: s-today.csv}
  - {name: fixed, method: territory, repair: today, tolerance: 0.25}
  - {name: fresh, method: territory, k: 8, tolerance: 0.25}
  - {name: vans, method: territory, k: 8, tolerance: 0.25, vehicle: van}
simulation: {days: 3, replications: 4, seed: 2}
output: $T/s.h5
YAML
"$Z" run "$T/s.yaml" >"$T/s.out" 2>"$T/s.err"
check "scenario with territory and repair plans runs" test $? -eq 0
check "the summary has the zone shape table" grep -q "^zone shape" "$T/s.out"
check "the summary says how many of the planner's zones reach across the river, and of no territory plan" \
    bash -c "grep -Eq \"^  note: plan 'today' has [1-9][0-9]* of 8 zones reaching across a river or major road$\" '$T/s.out' &&
             ! grep -Eq \"plan '(fixed|fresh|vans)' has .* reaching across\" '$T/s.out'"
check "the summary notes the barrier areas' bound for the fresh territory" \
    grep -Eq "^  note: plan 'fresh': the barriers leave [0-9]+ areas; however its 8 zones are shared among them, an area's work per zone differs from the mean by about [0-9.]+%" "$T/s.out"
"$PY" - "$T" <<'PYEOF'
import sys, h5py, numpy as np
T = sys.argv[1]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
f = h5py.File(T + "/s.h5", "r")
check("barriers" in f and f["barriers/segments"].shape[1] == 4, "/barriers/segments written")
for p in ("today", "fixed", "fresh"):
    g = f["plans/" + p]
    ok = all(a in g.attrs for a in ("zones_one_piece", "strays", "barrier_zones", "hull_overlap",
                                    "polsby_popper_mean", "work_travel_maxdev"))
    ok = ok and np.allclose(g["zone_work_min"][()], g["zone_door_min"][()] + g["zone_travel_min"][()])
    check(ok, "/plans/%s has the shape attributes and zone work = door + travel" % p)
for p in ("fixed", "fresh"):
    g = f["plans/" + p]
    check(g.attrs["zones_one_piece"] == g.attrs["k"] and g.attrs["barrier_zones"] == 0,
          "%s: every zone one piece, none across the river" % p)
fr = f["plans/fresh"]
check(fr.attrs["parts"] >= 2 and 0 < fr.attrs["part_bound"] <= fr.attrs["work_travel_maxdev"] + 1e-9,
      "/plans/fresh: parts %d and part_bound %.3f (no better than the plan's %.3f)"
      % (fr.attrs["parts"], fr.attrs["part_bound"], fr.attrs["work_travel_maxdev"]))
# travel measured on sampled tours: zone_travel_min is not the formula's
# 2 d(depot, centre) + 0.74 sqrt(S A) -- it is checked against the
# simulated travel instead: within 15% for every zone of the fresh plan
sim_tr = f["sim/fresh/travel_min"][()].mean(axis=(0, 1))
est_tr = fr["zone_travel_min"][()]
r = sim_tr / est_tr
check(np.all(np.abs(r / r.mean() - 1) < 0.15),
      "measured travel tracks the simulated travel zone by zone (ratio %.3f..%.3f)" % (r.min(), r.max()))
# a plan driven by vans is made and judged at the van's speed: its figures
# are the balance's, and its estimate meets the vans' simulated travel
va = f["plans/vans"]
wv = va["zone_work_min"][()]
dv = np.abs(wv / wv.mean() - 1).max()
rv = f["sim/vans/travel_min"][()].mean(axis=(0, 1)) / va["zone_travel_min"][()]
check(abs(dv - va.attrs["balance_maxdev"]) < 1e-9 and abs(rv.mean() - r.mean()) < 0.1,
      "vans: work with travel at the van's speed (largest deviation %.4f, balance %.4f; "
      "simulated / expected travel %.3f, e-tricycles' %.3f)"
      % (dv, va.attrs["balance_maxdev"], rv.mean(), r.mean()))
fx = f["plans/fixed"]
dec = lambda a: [x.decode() if isinstance(x, bytes) else x for x in a]
check(dec(fx["label"][()]) == dec(f["plans/today/label"][()]) and fx.attrs["moved"] > 0,
      "the repair keeps the planner's zone names and says what moved (%d)" % fx.attrs["moved"])
PYEOF

# --- an exact plan proven infeasible --------------------------------------------
out=$("$Z" partition scenarios/tests/data/p60.csv --method pmedian-ip --k 17 --tolerance 0.1 2>&1); rc=$?
check_exit "partition: an infeasible band exits 2 with the band needed" $rc 2 "$out" \
    "(proven infeasible); a band of at least +-15.0% is needed"
out=$("$Z" run scenarios/tests/infeasible.yaml --output "$T/inf.h5" 2>&1); rc=$?
check_exit "run: an infeasible plan stops the run before simulating, naming the plan" $rc 2 "$out" \
    "infeasible.yaml:8:5: plan 'exact': no plan of 17 zones"
check "... and leaves no results file" test ! -e "$T/inf.h5"
"$Z" run scenarios/tests/infeasible-relax.yaml --output "$T/rel.h5" >"$T/rel.out" 2>&1
check "run: on_infeasible: relax simulates the fallback and labels it" \
    grep -qF "status: relaxed: infeasible at +-10%)" "$T/rel.out"
