#!/usr/bin/env bash
# End-to-end tests of `zonesim export`: plans of real runs drawn as GeoJSON
# and SVG, then parsed back with Python (json, xml.etree) and checked
# against the results file (h5py): closed counter-clockwise rings, every
# point inside its zone's polygon, every point once, one polygon per zone.
# Bad inputs and damaged files exit 2 with their message.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_export; rm -rf "$T"; mkdir -p "$T"

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; fi; }

# validate RESULTS.h5 PLAN GEOJSON SVG: prints PASS/FAIL lines.
validate() {
    if [ ! -s "$3" ] || [ ! -s "$4" ]; then
        fail "$2: no GeoJSON or SVG to validate"
        return
    fi
    "$PY" - "$@" <<'PYEOF'
import sys, json, math, h5py, numpy as np
import xml.etree.ElementTree as ET
h5, plan, gj, svg = sys.argv[1:5]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + plan + ": " + desc)
def s(x):
    return x.decode() if isinstance(x, bytes) else x
with h5py.File(h5, "r") as f:
    k = int(f["plans/" + plan].attrs["k"])
    ids = [s(x) for x in f["points/id"][:]]
    labels = [s(x) for x in f["plans/%s/label" % plan][:]]
    zone = f["plans/%s/zone" % plan][:]
    lonlat = "lon" in f["points"]
    lon = f["points/lon"][:] if lonlat else None
    lat = f["points/lat"][:] if lonlat else None
    summ = f["summary/%s/work_min" % plan][:] if plan in f["summary"] else None
d = json.load(open(gj))
check(d.get("type") == "FeatureCollection", "GeoJSON is a FeatureCollection")
check(("zonesim_units" in d) == (not lonlat) and d.get("zonesim_units", "m") == "m",
      "zonesim_units 'm' exactly when the points are not lon/lat")
feats = d["features"]
check(all(ft["type"] == "Feature" for ft in feats), "every member is a Feature")
zones = [ft for ft in feats if ft["properties"]["kind"] == "zone"]
pts = [ft for ft in feats if ft["properties"]["kind"] == "point"]
depots = [ft for ft in feats if ft["properties"]["kind"] == "depot"]
check(len(zones) == k, "%d zone features = k in /plans/%s" % (len(zones), plan))
check(len(depots) == 1 and depots[0]["geometry"]["type"] == "Point", "one depot Point")
check(sorted(z["properties"]["zone"] for z in zones) == sorted(labels), "zone labels are the plan's")
rings = {}
ok_closed = ok_len = ok_ccw = True
for z in zones:
    g = z["geometry"]
    ring = g["coordinates"][0]
    ok_closed &= g["type"] == "Polygon" and len(g["coordinates"]) == 1 and ring[0] == ring[-1]
    ok_len &= len(ring) >= 4
    a = sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(ring[:-1], ring[1:])) / 2
    ok_ccw &= a > 0
    rings[z["properties"]["zone"]] = ring
check(ok_closed, "every zone polygon is one closed ring")
check(ok_len, "every ring has >= 4 positions")
check(ok_ccw, "every ring is counter-clockwise (shoelace area > 0)")
# Positions are rounded (1 mm, or 10 significant digits of a degree,
# about 1 cm): a point on the hull may sit that far outside.
tol = 1e-7 if lonlat else 2e-3
def inside(ring, x, y):
    for p, q in zip(ring[:-1], ring[1:]):
        ex, ey = q[0] - p[0], q[1] - p[1]
        if ex * (y - p[1]) - ey * (x - p[0]) < -tol * math.hypot(ex, ey):
            return False
    return True
seen = {}
bad_in = 0
for ft in pts:
    pr = ft["properties"]
    seen[pr["id"]] = seen.get(pr["id"], 0) + 1
    x, y = ft["geometry"]["coordinates"]
    bad_in += not inside(rings[pr["zone"]], x, y)
check(bad_in == 0, "every point lies inside its zone's polygon (%d outside)" % bad_in)
check(sorted(seen) == sorted(ids) and all(c == 1 for c in seen.values()),
      "each of the %d point ids appears exactly once" % len(ids))
byid = {ft["properties"]["id"]: ft for ft in pts}
check(all(byid[i]["properties"]["zone"] == labels[zone[j]] for j, i in enumerate(ids)),
      "each point carries its zone label from /plans/%s/zone" % plan)
check(sum(z["properties"]["stops"] for z in zones) == len(ids), "zone stops add up to the points")
if lonlat:
    err = max(max(abs(byid[i]["geometry"]["coordinates"][0] - lon[j]),
                  abs(byid[i]["geometry"]["coordinates"][1] - lat[j])) for j, i in enumerate(ids))
    check(err < 1e-6, "points are at their original lon/lat (max error %.2g degree)" % err)
if summ is not None:
    byz = {z["properties"]["zone"]: z["properties"] for z in zones}
    ok = all(abs(byz[labels[j]]["work_h_mean"] - summ["mean"][j] / 60) <= 1e-8 * max(1, summ["mean"][j] / 60)
             and abs(byz[labels[j]]["work_h_p90"] - summ["p90"][j] / 60) <= 1e-8 * max(1, summ["p90"][j] / 60)
             for j in range(k))
    check(ok, "work_h_mean and work_h_p90 are /summary/%s/work_min over 60" % plan)
else:
    check(all("work_h_mean" not in z["properties"] for z in zones), "no work hours for a plan not simulated")
root = ET.parse(svg).getroot()
ns = "{http://www.w3.org/2000/svg}"
check(root.tag == ns + "svg" and root.get("width") == "1000", "SVG parses, 1000 px wide")
check(len(root.findall(".//" + ns + "polygon")) == k, "SVG has k = %d polygons" % k)
check(len(root.findall(".//" + ns + "circle")) == len(ids), "SVG has one circle per point")
PYEOF
}

# --- help and bad usage ---------------------------------------------------------
check "'export --help' exits 0 with a usage line" bash -c "'$Z' export --help | grep -q '^usage: zonesim export'"

# --- the small scenario: both plans -----------------------------------------------
"$Z" run scenarios/tests/small.yaml --quiet --output "$T/x.h5"
check "small scenario runs" test $? -eq 0
"$Z" export "$T/x.h5" --plan kmeans --geojson "$T/x.geojson" --svg "$T/x.svg" >"$T/x.out" 2>&1
check "export of plan kmeans exits 0" test $? -eq 0
check "export reports what it wrote" grep -q "plan 'kmeans': .* zones, 300 points; wrote" "$T/x.out"
check "no temporary file is left" bash -c "! ls '$T'/*.tmp 2>/dev/null | grep -q ."
validate "$T/x.h5" kmeans "$T/x.geojson" "$T/x.svg"
"$Z" export "$T/x.h5" --plan weighted --geojson "$T/w.geojson" --svg "$T/w.svg" --quiet >"$T/w.out" 2>&1
check "export --quiet of plan weighted exits 0 and prints nothing" bash -c "[ $? -eq 0 ] && [ ! -s '$T/w.out' ]"
validate "$T/x.h5" weighted "$T/w.geojson" "$T/w.svg"
"$Z" export "$T/x.h5" --svg "$T/d.svg" >"$T/d.out" 2>&1
check "without --plan the scenario's first plan is drawn" \
    bash -c "grep -q \"plan 'kmeans'\" '$T/d.out' && cmp -s '$T/d.svg' '$T/x.svg'"
check "--svg alone writes no GeoJSON" bash -c "! ls '$T'/d.geojson 2>/dev/null"

# --- a planner's manual zoning -------------------------------------------------------
"$Z" run scenarios/tests/manual.yaml --quiet --output "$T/m.h5"
check "manual scenario runs" test $? -eq 0
"$Z" export "$T/m.h5" --plan current --geojson "$T/m.geojson" --svg "$T/m.svg" --quiet
check "export of the manual plan exits 0" test $? -eq 0
validate "$T/m.h5" current "$T/m.geojson" "$T/m.svg"
check "manual plan keeps the planner's labels" \
    bash -c "grep -q '\"zone\":\"north\"' '$T/m.geojson' && grep -q '\"zone\":\"south\"' '$T/m.geojson'"

# --- lon/lat points, with a one-point zone and a zone on a line ---------------------
"$PY" - "$T" <<'PYEOF'
import sys, random
t = sys.argv[1]
random.seed(7)
rows = []
for i in range(40):   # a cloud around Hangzhou
    rows.append(("c%d" % i, 120.15 + random.uniform(-0.01, 0.01), 30.27 + random.uniform(-0.008, 0.008), "cloud"))
for i in range(5):    # due east: collinear in the projection
    rows.append(("e%d" % i, 120.17 + 0.002 * i, 30.28, "east-line"))
rows.append(("solo", 120.13, 30.26, "solo"))
with open(t + "/ll.csv", "w") as f:
    f.write("id,lng,lat,type,parcels,courier\n")
    for r in rows:
        f.write("%s,%.7f,%.7f,residential,1,%s\n" % r)
with open(t + "/ll.yaml", "w") as f:
    f.write("""name: lonlat
points:
  file: ll.csv
  coords: lonlat
  columns: {id: id, x: lng, y: lat, zone: courier}
plans:
  - {name: couriers, method: manual}
  - {name: kmeans, k: 4}
simulation: {days: 2, replications: 2, seed: 3}
""")
PYEOF
"$Z" run "$T/ll.yaml" --quiet --output "$T/ll.h5"
check "lon/lat scenario runs" test $? -eq 0
for p in couriers kmeans; do
    "$Z" export "$T/ll.h5" --plan $p --geojson "$T/ll-$p.geojson" --svg "$T/ll-$p.svg" --quiet
    check "export of lon/lat plan $p exits 0" test $? -eq 0
    validate "$T/ll.h5" $p "$T/ll-$p.geojson" "$T/ll-$p.svg"
done
"$PY" - "$T/ll-couriers.geojson" <<'PYEOF'
import sys, json, math
d = json.load(open(sys.argv[1]))
z = {f["properties"]["zone"]: f["geometry"]["coordinates"][0] for f in d["features"] if f["properties"]["kind"] == "zone"}
# Back to metres about the ring's own latitude: sides of the padded shapes.
def sides(ring):
    lat0 = math.radians(ring[0][1]); R = 6371008.8
    p = [(math.radians(x) * R * math.cos(lat0), math.radians(y) * R) for x, y in ring]
    return [math.hypot(q[0] - a[0], q[1] - a[1]) for a, q in zip(p[:-1], p[1:])]
s = sides(z["solo"])
ok = len(z["solo"]) == 5 and all(abs(v - 20) < 0.05 for v in s)
print(("PASS: " if ok else "FAIL: ") + "one-point zone is a 20 m square in degrees (%s m)" % ", ".join("%.2f" % v for v in s))
s = sides(z["east-line"])
ok = len(z["east-line"]) == 5 and abs(min(s) - 20) < 0.05 and max(s) > 20
print(("PASS: " if ok else "FAIL: ") + "collinear zone is a rectangle 20 m wide (%s m)" % ", ".join("%.2f" % v for v in s))
PYEOF

# --- bad inputs: message, exit status 2, no output file --------------------------------
expect2() { # desc, expected stderr line, command...
    local desc=$1 want=$2; shift 2
    local got rc
    got=$("$@" 2>&1 >/dev/null); rc=$?
    if [ "$rc" -eq 2 ] && [ "$got" = "$want" ]; then
        pass "$desc: exit 2, '$want'"
    else
        fail "$desc: rc=$rc"
        echo "      expected: $want"
        echo "      got:      $got"
    fi
}
expect2 "missing results file" "zonesim: $T/none.h5: no such file" \
    "$Z" export "$T/none.h5" --plan kmeans --svg "$T/bad.svg"
expect2 "unknown plan" "zonesim: $T/x.h5: no plan 'nope' (plans: kmeans, weighted)" \
    "$Z" export "$T/x.h5" --plan nope --geojson "$T/bad.geojson"
expect2 "no output requested" \
    "zonesim export: nothing to write: give --geojson FILE and/or --svg FILE (see 'zonesim export --help')" \
    "$Z" export "$T/x.h5" --plan kmeans
expect2 "missing RESULTS" "zonesim export: missing RESULTS.h5 (see 'zonesim export --help')" \
    "$Z" export --svg "$T/bad.svg"
expect2 "two RESULTS" "zonesim export: too many arguments (see 'zonesim export --help')" \
    "$Z" export "$T/x.h5" "$T/x.h5" --svg "$T/bad.svg"
"$Z" export "$T/x.h5" --frobnicate >/dev/null 2>&1; check "unknown option exits 2" test $? -eq 2
printf 'not hdf5\n' >"$T/text.h5"
expect2 "a text file" "zonesim: $T/text.h5: not an HDF5 file" \
    "$Z" export "$T/text.h5" --svg "$T/bad.svg"
check "no output file after bad inputs" bash -c "! ls '$T'/bad.* 2>/dev/null | grep -q ."
"$Z" export "$T/x.h5" --svg "$T/no-dir/x.svg" >/dev/null 2>"$T/nodir.err"; rc=$?
check "an output in a missing directory fails (exit 1) naming the file" \
    bash -c "[ $rc -eq 1 ] && grep -q '^zonesim: $T/no-dir/x.svg: cannot create' '$T/nodir.err'"

# --- damaged results files: exit 2 naming the object --------------------------------------
"$PY" - "$T/x.h5" "$T" <<'PYEOF'
import sys, shutil, h5py, numpy as np
src, t = sys.argv[1:3]
def damaged(name, fn):
    shutil.copy(src, "%s/%s.h5" % (t, name))
    with h5py.File("%s/%s.h5" % (t, name), "r+") as f:
        fn(f)
def zone_out(f):
    z = f["plans/kmeans/zone"]; a = z[:]; a[3] = 99; z[...] = a
def type_out(f):
    z = f["points/type"]; a = z[:]; a[0] = 200; z[...] = a
def no_label(f):
    del f["plans/kmeans/label"]
def dup_id(f):
    z = f["points/id"]; a = [x for x in z.asstr()[:]]; a[1] = a[0]; z[...] = np.array(a, dtype=object)
damaged("zone-out", zone_out)
damaged("type-out", type_out)
damaged("no-label", no_label)
damaged("dup-id", dup_id)
PYEOF
V=$("$Z" --version | sed -n '1s/^zonesim \([^ ]*\).*/\1/p')
expect2 "zone index out of range" \
    "zonesim: $T/zone-out.h5: cannot read /plans/kmeans/zone (point 'P000004' has zone 99 outside 0..$("$PY" -c "import h5py; print(int(h5py.File('$T/x.h5','r')['plans/kmeans'].attrs['k'])-1)")) (damaged, or not written by zonesim $V)" \
    "$Z" export "$T/zone-out.h5" --plan kmeans --svg "$T/bad.svg"
expect2 "point type out of range" \
    "zonesim: $T/type-out.h5: cannot read /points/type (point 1 has type code 200; codes are 0..9) (damaged, or not written by zonesim $V)" \
    "$Z" export "$T/type-out.h5" --plan kmeans --svg "$T/bad.svg"
got=$("$Z" export "$T/no-label.h5" --plan kmeans --svg "$T/bad.svg" 2>&1); rc=$?
check "missing labels exit 2 naming /plans/kmeans/label" \
    bash -c "[ $rc -eq 2 ] && echo \"\$1\" | grep -q 'cannot read /plans/kmeans/label'" _ "$got"
expect2 "duplicate point ids" \
    "zonesim: $T/dup-id.h5: /points/id: duplicate id 'P000001' (points 1 and 2)" \
    "$Z" export "$T/dup-id.h5" --plan kmeans --svg "$T/bad.svg"
check "no output file after damaged files" bash -c "! ls '$T'/bad.* 2>/dev/null | grep -q ."
