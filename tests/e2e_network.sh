#!/usr/bin/env bash
# End-to-end tests of the street network (issue 15): `generate --osm` on
# the shipped Krems extract, the shipped Krems scenario run on its streets
# (results /network, dist_km against straight_km, barriers from the water,
# zones that do not cross the Danube), the same run bit-identical on one
# and two threads, and bad network input: a missing extract, a truncated
# PBF, a file that is not OSM, points outside the extract, the `none`
# profile -> exit 2 with a clear message and no results file.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_network; rm -rf "$T"; mkdir -p "$T"

. tests/lib_e2e.sh

"$Z" generate --osm scenarios/data/krems.osm.gz --points 400 --seed 5 --output "$T/pts.csv" \
    >/dev/null 2>"$T/gen.err"
check "generate --osm writes a points CSV" test -s "$T/pts.csv"
check_exit "generate --osm reports buildings and the station" 0 0 "$(cat "$T/gen.err")" "on buildings"
out=$("$Z" generate --osm scenarios/data/krems.osm.gz --station 16.5,48.0 --output "$T/x.csv" 2>&1)
check_exit "a station away from the streets is refused" $? 2 "$out" "not within 250 m of a street"

# A short Krems run (the shipped scenario, fewer days and replications).
sed -e 's/^  days: .*/  days: 4/' -e 's/^  replications: .*/  replications: 3/' \
    -e "s#data/#$PWD/scenarios/data/#" scenarios/krems.yaml > "$T/krems.yaml"
OMP_NUM_THREADS=2 "$Z" run "$T/krems.yaml" --output "$T/k2.h5" >"$T/run.out" 2>"$T/run.err"
check "the Krems scenario runs on its streets" test $? -eq 0
check_exit "run prints the street network line" 0 0 "$(cat "$T/run.out")" "network km per straight km"
check_exit "run says how many zones are within the band" 0 0 "$(cat "$T/run.out")" "27 of 28 zones within it"
OMP_NUM_THREADS=1 "$Z" run "$T/krems.yaml" --output "$T/k1.h5" --threads 1 >/dev/null 2>&1
"$PY" tests/h5same.py "$T/k1.h5" "$T/k2.h5" >/dev/null 2>&1
check "a networked run: same bits on 1 and 2 threads" test $? -eq 0

"$PY" - "$T/k2.h5" <<'PYEOF'
import sys, h5py, numpy as np
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
f = h5py.File(sys.argv[1], "r")
check("network" in f, "/network is written")
if "network" in f:
    a = f["network"].attrs
    check(a["profile"] in (b"van", "van") and a["nodes"] > 1000 and a["km"] > 50,
          "/network: van graph of Krems (%d nodes, %.0f km)" % (a["nodes"], a["km"]))
    check(0 < a["snap_mean_m"] <= a["snap_max_m"] <= 250, "/network: snap distances within the limit")
    check(1.0 < a["detour"] < 3.0, "/network: detour on short legs %.2f" % a["detour"])
for p in ("territory", "kmeans"):
    s = f["sim"][p]
    d, st = s["dist_km"][()], s["straight_km"][()]
    r = d.sum() / st.sum()
    check(1.1 < r < 2.5, "%s: network km / straight km %.2f is a plausible detour" % (p, r))
check("barriers" in f and f["barriers/segments"].shape[0] > 100,
      "/barriers holds the extract's water")
if "barriers" in f:
    # a closed water outline under 300 m round (a pond) is walked round, no barrier
    seg, feat = f["barriers/segments"][()], f["barriers/feature"][()]
    small = 0
    for k in np.unique(feat):
        sg = seg[feat == k]
        closed = np.hypot(*(sg[0, :2] - sg[-1, 2:])) < 1e-6
        small += closed and np.hypot(sg[:, 2] - sg[:, 0], sg[:, 3] - sg[:, 1]).sum() < 300
    check(small == 0, "/barriers: no pond under 300 m round (%d)" % small)
# Zones of the territory plan: none reaches across the Danube.  The river's
# middle in Krems runs at about 48.394 N; a zone with points well north and
# well south of it would cross.
lat = f["points/lat"][()] if "lat" in f["points"] else None
if lat is not None:
    z = f["plans/territory/zone"][()]
    # The river's outline ends at the extract's western edge, where a
    # Delaunay edge can pass round its end: allow a point or two there.
    minority = [(k, int((lat[z == k] > 48.395).sum()), int((lat[z == k] < 48.393).sum()))
                for k in np.unique(z)]
    far = sum(min(a, b) for _, a, b in minority)
    lon = f["points/lon"][()]
    edge = [i for k, a, b in minority if min(a, b) > 0
            for i in np.where(z == k)[0] if lon[i] < 15.62]
    check(far <= 2 and all(min(a, b) == 0 or any(lon[z == k] < 15.615) for k, a, b in minority),
          "territory: %d point(s) on the far bank of the Danube from the rest of their zone, "
          "only at the extract's western edge" % far)
pieces = f["plans/territory/zone_pieces"][()]
t = f["plans/territory"].attrs
check((pieces == 1).all() and t["zones_one_piece"] == t["k"],
      "territory: %d of %d zones in one piece" % ((pieces == 1).sum(), len(pieces)))
# The 5 points of a pocket on a quay the harbour's water closes off join
# the zone beside them over a bridge (the quickest crossing on the
# streets): that zone is one piece over it and not counted across; no zone
# reaches across the water anywhere else.
check(t["pockets"] == 5 and t["bridges"] == 1 and t["bridged_zones"] == 1 and
      f["plans/territory/bridge_points"].shape == (1, 2) and t["barrier_zones"] == 0,
      "territory: the pocket's zone is one piece over its bridge, none across (%d pockets, "
      "%d bridged, %d across)" % (t["pockets"], t["bridged_zones"], t["barrier_zones"]))
# The town across the river holds under a zone of work: it alone is out of
# the band, and the note says how many zones are within it.
w = f["plans/territory/zone_work_min"][()]
dev = abs(w - w.mean()) / w.mean()
# (the work here is the run's own measure of the plan, which the method's
# judgement can differ from by a hair at the band's edge)
check(t["balance_within"] == t["k"] - 1 and (dev > t["tolerance"] + 0.005).sum() == 1,
      "territory: %d of %d zones within %.0f%% of the mean work, one area too small for a zone "
      "out" % (t["balance_within"], t["k"], 100 * t["tolerance"]))
# pocket_share 0.8 (plan over-bridge): the town across the river, under 0.8
# of a zone's work, joins the north bank over the bridge; every zone then
# fits the band.
ob = f["plans/over-bridge"].attrs
check(ob["balance_within"] == ob["k"] and ob["zones_one_piece"] == ob["k"] and
      ob["bridged_zones"] == 1 and ob["barrier_zones"] == 0 and ob["pockets"] > 30,
      "over-bridge: the town joins over the bridge (%d points), %d of %d zones in the band, "
      "one piece, none across" % (ob["pockets"], ob["balance_within"], ob["k"]))
# Expected work is what the simulation finds: the sampled tours are driven
# on the streets as the simulation drives them, walks to the doors included
# (the formula alone missed the travel by a factor of 1.4 to 8.8 here).  12
# zone-days a zone in this short run: a few percent of noise per zone.
sim = f["sim/territory/work_min"][()].mean(axis=(0, 1))
tsim = f["sim/territory/travel_min"][()].mean(axis=(0, 1))
r, rt = sim / w, tsim / f["plans/territory/zone_travel_min"][()]
check(abs(r.mean() - 1) < 0.03 and r.std() < 0.06 and abs(rt.mean() - 1) < 0.1,
      "territory: simulated / expected work %.3f on average (sd %.3f over the zones), "
      "travel %.2f" % (r.mean(), r.std(), rt.mean()))
PYEOF

# One start alone (the default beyond 20,000 points): the zone at the tip
# of the harbour basin is not fenced in (it sat 48% under the mean when
# barrier edges with a short way round the basin's end bound it).
sed -e 's/^    seed: 1$/    seed: 1\n    starts: 1/' "$T/krems.yaml" > "$T/k1start.yaml"
"$Z" run "$T/k1start.yaml" --output "$T/k1s.h5" >/dev/null 2>&1
"$PY" - "$T/k1s.h5" <<'PYEOF'
import sys, h5py
a = h5py.File(sys.argv[1], "r")["plans/territory"].attrs
print(("PASS: " if a["balance_within"] == a["k"] - 1 and a["barrier_zones"] == 0 else "FAIL: ") +
      "territory, one start: %d of %d zones within the band (the town across the river alone "
      "out), %d across" % (a["balance_within"], a["k"], a["barrier_zones"]))
PYEOF

# Bad network input.
bad() { # DESC FILE-CONTENT-COMMAND WANT
    local desc=$1 want=$3
    rm -f "$T/bad.h5"
    out=$("$Z" run "$T/bad.yaml" --output "$T/bad.h5" 2>&1); rc=$?
    check_exit "$desc" $rc 2 "$out" "$want"
    check "$desc: no results file" test ! -e "$T/bad.h5"
}
sed -e "s#osm: .*#osm: $T/none.osm.pbf#" "$T/krems.yaml" > "$T/bad.yaml"
bad "a missing extract" : "network.osm: cannot read"
head -c 20000 ../shared/data/osm/harrisburg.osm.pbf > "$T/trunc.osm.pbf" 2>/dev/null ||
    head -c 20000 scenarios/data/krems.osm.gz | gzip -dc 2>/dev/null | head -c 1 >/dev/null
if [ -s "$T/trunc.osm.pbf" ]; then
    sed -e "s#osm: .*#osm: $T/trunc.osm.pbf#" "$T/krems.yaml" > "$T/bad.yaml"
    bad "a truncated PBF" : "not a readable OpenStreetMap extract"
else
    echo "SKIP: truncated PBF (shared directory absent)"
fi
cp scenarios/data/krems_points.csv "$T/notosm.osm"
sed -e "s#osm: .*#osm: $T/notosm.osm#" "$T/krems.yaml" > "$T/bad.yaml"
bad "a CSV given as the extract" : "not an OpenStreetMap file"
{ head -1 scenarios/data/krems_points.csv; echo "FAR1,0,0,residential,1,15.80,48.50"; \
  tail -n +2 scenarios/data/krems_points.csv; } > "$T/far.csv"
sed -e "s#file: .*krems_points.csv#file: $T/far.csv#" "$T/krems.yaml" > "$T/bad.yaml"
bad "a point outside the extract" : "point 'FAR1' (data row 1)"
cat > "$T/paths.osm" <<'OSMEOF'
<?xml version='1.0' encoding='UTF-8'?>
<osm version='0.6'>
  <node id='1' lat='48.40' lon='15.60'/><node id='2' lat='48.41' lon='15.62'/>
  <way id='9'><nd ref='1'/><nd ref='2'/><tag k='highway' v='footway'/></way>
</osm>
OSMEOF
sed -e "s#osm: .*#osm: $T/paths.osm#" "$T/krems.yaml" > "$T/bad.yaml"
bad "an extract with no street a van may use" : "no streets usable by a van"
sed -e "s#profile: van#profile: none#" "$T/krems.yaml" > "$T/bad.yaml"
bad "the none profile" : "network.profile: none"

# Maps with the street base layer: SVG draws the streets under the zones
# and credits OpenStreetMap; GeoJSON carries them as street features.
"$Z" export "$T/k2.h5" --plan territory --svg "$T/k.svg" --geojson "$T/k.geojson" >/dev/null 2>&1
check "export of a networked run exits 0" test $? -eq 0
"$PY" - "$T/k.svg" "$T/k.geojson" <<'PYEOF'
import sys, json, re
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
svg = open(sys.argv[1]).read()
check('<g id="streets"' in svg and svg.index('<g id="streets"') < svg.index('<g id="zones"'),
      "SVG: streets drawn, under the zones")
check(svg.count(" M") + svg.count('d="M') > 1000, "SVG: the street paths hold many segments")
check("OpenStreetMap contributors" in svg, "SVG: credits OpenStreetMap")
g = json.load(open(sys.argv[2]))
st = [f for f in g["features"] if f["properties"].get("kind") == "street"]
check(len(st) >= 3 and any(f["properties"]["class"] == "residential" for f in st),
      "GeoJSON: street features by class (%d)" % len(st))
lon = [c[0] for f in st for line in f["geometry"]["coordinates"] for c in line]
check(all(15.5 < x < 15.8 for x in lon), "GeoJSON: streets in lon/lat degrees")
# the pocket's bridge (read back from /plans/territory/bridge_points)
br = [f for f in g["features"] if f["properties"].get("kind") == "bridge"]
check(len(br) == 1 and len(br[0]["geometry"]["coordinates"]) == 2 and
      svg.count(": a pocket joined over this crossing</title>") == 1 and
      "joined over a crossing (a pocket)" in svg,
      "the pocket's bridge is drawn: a dashed line in SVG, with its legend line, and a "
      "GeoJSON LineString (zone %s)" % (br[0]["properties"]["zone"] if br else "-"))
PYEOF
if command -v rsvg-convert >/dev/null; then
    rsvg-convert -w 800 "$T/k.svg" -o "$T/k.png" 2>/dev/null
    check "the Krems map renders" test -s "$T/k.png"
fi

# Another real city, not in the repository: Harrisburg (PBF) from ../shared,
# street-placed points and a scenario written here, end to end.
H=$(cd "${ZS_SHARED:-../shared}" 2>/dev/null && pwd)/data/osm/harrisburg.osm.pbf
if [ -f "$H" ]; then
    gen=$("$Z" generate --osm "$H" --points 600 --seed 2 --output "$T/hb.csv" 2>&1)
    check "generate --osm on Harrisburg" test -s "$T/hb.csv"
    depot=$(sed -n 's/.*depot: \(\[[^]]*\]\).*/\1/p' <<<"$gen")
    cat > "$T/hb.yaml" <<YEOF
name: harrisburg
points: {file: $T/hb.csv, coords: lonlat, columns: {x: lon, y: lat}}
depot: $depot
network: {osm: $H, profile: van}
plans:
  - {name: territory, method: territory, k: 12, tolerance: 0.2, seed: 1}
simulation: {days: 3, replications: 2, seed: 1, start_date: 2026-11-02}
YEOF
    out=$("$Z" run "$T/hb.yaml" --output "$T/hb.h5" 2>&1)
    check_exit "Harrisburg runs end to end on its streets" $? 0 "$out" "network km per straight km"
    "$PY" -c "import h5py,sys; f=h5py.File('$T/hb.h5'); s=f['sim/territory']; r=s['dist_km'][()].sum()/s['straight_km'][()].sum(); print(('PASS: ' if 1.05<r<3 else 'FAIL: ')+'Harrisburg: detour %.2f' % r)" 2>&1 | grep -E '^(PASS|FAIL)' || fail "Harrisburg: results file readable"
elif [ -d "${ZS_SHARED:-../shared}" ]; then
    fail "shared directory present but $H missing"
else
    echo "SKIP: Harrisburg end to end (shared directory absent)"
fi

# The browser report of a networked run draws the streets and credits OSM.
"$Z" report "$T/k2.h5" --output "$T/k.html" >/dev/null 2>&1
check "report of a networked run exits 0" test $? -eq 0
"$PY" - "$T/k.html" <<'PYEOF'
import sys, re
html = open(sys.argv[1]).read()
maps = re.findall(r'<svg class="map".*?</svg>', html, re.S)
ok = bool(maps) and all('<g class="streets">' in m and m.index('<g class="streets">') < m.index('<g class="zones">') for m in maps)
print(("PASS: " if ok else "FAIL: ") + "report: every map draws the streets under its zones (%d maps)" % len(maps))
print(("PASS: " if "OpenStreetMap contributors" in html else "FAIL: ") + "report: credits OpenStreetMap")
text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
ok = ("'territory' missed its balance tolerance" in text and "27 of 28 zones within it" in text
      and "counts as one piece over it" in text)
print(("PASS: " if ok else "FAIL: ") + "report: says territory missed its band with 27 of 28 zones "
      "within it, and that the pocket's zone is one piece over its crossing")
ok = sum('<g class="bridges">' in m for m in maps) == 2 and "joined over a crossing (a pocket)" in text
print(("PASS: " if ok else "FAIL: ") + "report: the two territory maps draw their pockets' bridges")
PYEOF

# The station's day model (dispatch waves) does not run on a street network
# yet: refused with a message, no results file.
{ cat "$T/krems.yaml"; printf 'dispatch:\n  waves: [{at: "08:00", share: 0.6}, {at: "13:00", share: 0.4}]\n'; } > "$T/bad.yaml"
bad "dispatch waves on a street network" : "do not run on a street network yet"

# Real cities not in the repository (issue 14): 1,500 points on the
# buildings of Baltimore and Harrisburg (../shared), a territory plan at
# 10%.  With water as barriers: every zone one piece (pockets over their
# bridges), every zone in the band, none across the water.  Baltimore
# again with the default barriers (water, running railways, motorways,
# trunk roads: 8 or 9 areas): every zone one piece, none across, and the
# balance as near the band as the areas' bound allows.
for run in baltimore harrisburg baltimore-all; do
    city=${run%-all}
    bars="{water: true, rail: false, motorway: false, trunk: false, primary: false}"
    [ "$run" = "$city" ] || bars="{}"
    F=$(cd "${ZS_SHARED:-../shared}" 2>/dev/null && pwd)/data/osm/$city.osm.pbf
    if [ ! -f "$F" ]; then
        if [ -d "${ZS_SHARED:-../shared}" ]; then fail "shared directory present but $F missing"
        else echo "SKIP: $city territory (shared directory absent)"; fi
        continue
    fi
    [ -f "$T/$city.csv" ] || "$Z" generate --osm "$F" --points 1500 --seed 1 --mean-parcels 1.2 \
        --output "$T/$city.csv" >"$T/$city.gen" 2>&1
    depot=$(grep -o 'depot: \[[^]]*\]' "$T/$city.gen")
    cat > "$T/$run.yaml" <<YEOF
name: $run
points: {file: $T/$city.csv, coords: lonlat, columns: {x: lon, y: lat}}
$depot
network: {osm: $F, profile: van, snap_max_m: 400, barriers: $bars}
shift: {start: "08:00", hours: 8}
efficiency: {stops_per_hour: 4.5, speed_kmh: 25, circuity: 1.3, stop_min: 4, parcel_min: 1}
plans:
  - {name: territory, method: territory, k: auto, tolerance: 0.10, seed: 1}
simulation: {days: 3, replications: 2, seed: 7, start_date: 2026-11-02}
YEOF
    "$Z" run "$T/$run.yaml" --output "$T/$run.h5" >"$T/$run.out" 2>&1
    check "$run: the territory scenario runs" test $? -eq 0
    "$PY" - "$T/$run.h5" "$run" <<'PYEOF'
import sys, h5py
a = h5py.File(sys.argv[1], "r")["plans/territory"].attrs
near = a["balance_within"] == a["k"] if "-" not in sys.argv[2] else \
    a["parts"] > 2 and a["work_travel_maxdev"] <= max(a["tolerance"], a["part_bound"]) + 0.02
ok = a["zones_one_piece"] == a["k"] and near and a["barrier_zones"] == 0 == a["barrier_zones_alone"]
print(("PASS: " if ok else "FAIL: ") + "%s: %d of %d zones one piece (%d over a pocket's bridge), "
      "%d in the band (largest deviation %.1f%%, the %d areas' bound %.1f%%), %d across a barrier"
      % (sys.argv[2], a["zones_one_piece"], a["k"], a["bridged_zones"], a["balance_within"],
         100 * a["work_travel_maxdev"], a["parts"], 100 * a["part_bound"], a["barrier_zones"]))
PYEOF
done
