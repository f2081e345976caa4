#!/usr/bin/env bash
# End-to-end tests of `zonesim export`: plans of real runs drawn as GeoJSON
# and SVG, then parsed back with Python (json, xml.etree) and checked
# against the results file (h5py): closed rings of >= 4 positions, outer
# rings counter-clockwise and holes clockwise, every point inside its
# zone's polygon, every point once, one feature per zone, the outline
# (hull or cells) named on every zone, and cells never overlapping; cells
# of a city with a river and a ring road keep to them (issue 14).
# Bad inputs and damaged files exit 2 with their message.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_export; rm -rf "$T"; mkdir -p "$T"

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; fi; }

# validate RESULTS.h5 PLAN GEOJSON SVG [OUTLINE]: prints PASS/FAIL lines;
# OUTLINE (hull or cells) is the outline every zone must say it used.
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
    stops = f["summary/%s/stops" % plan][:] if plan in f["summary"] else None
    xm, ym = f["points/x_m"][:], f["points/y_m"][:]
    bseg = f["barriers/segments"][:] if "barriers" in f else None
    bfeat = f["barriers/feature"][:] if "barriers" in f else None
    lon0 = f["points"].attrs["lon0"] if lonlat else None
    lat0 = f["points"].attrs["lat0"] if lonlat else None
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
outline = sys.argv[5] if len(sys.argv) > 5 else None
used = set(z["properties"].get("outline") for z in zones)
check(len(used) == 1 and used <= {"hull", "cells"} and (outline is None or used == {outline}),
      "every zone says its outline (%s)%s" % (", ".join(sorted(map(str, used))),
                                              "" if outline is None else ", as asked: " + outline))
cells = used == {"cells"}
check(("zonesim_cell_m" in d) == cells, "zonesim_cell_m given exactly when cells are drawn")
def polygons(g):
    return [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
def area(ring):
    return sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(ring[:-1], ring[1:])) / 2
ok_type = ok_closed = ok_len = ok_ccw = ok_cw = True
n_holes = n_multi = 0
shapes = {}
for z in zones:
    g = z["geometry"]
    ok_type &= g["type"] in ("Polygon", "MultiPolygon") and (cells or g["type"] == "Polygon")
    ok_type &= g["type"] == "MultiPolygon" or len(g["coordinates"]) >= 1
    n_multi += g["type"] == "MultiPolygon"
    for poly in polygons(g):
        ok_type &= cells or len(poly) == 1
        for i, ring in enumerate(poly):
            ok_closed &= ring[0] == ring[-1]
            ok_len &= len(ring) >= 4
            if i == 0:
                ok_ccw &= area(ring) > 0
            else:
                ok_cw &= area(ring) < 0
                n_holes += 1
    shapes[z["properties"]["zone"]] = polygons(g)
check(ok_type, "zones are Polygons%s" % (" or MultiPolygons" if cells else " of one ring"))
check(ok_closed, "every ring is closed")
check(ok_len, "every ring has >= 4 positions")
check(ok_ccw, "every outer ring is counter-clockwise (shoelace area > 0)")
check(ok_cw, "every hole ring (%d) is clockwise" % n_holes)
# Positions are rounded (1 mm, or 10 significant digits of a degree,
# about 1 cm): a point on an edge may sit that far outside.
tol = 1e-7 if lonlat else 2e-3
def in_hull(ring, x, y):
    for p, q in zip(ring[:-1], ring[1:]):
        ex, ey = q[0] - p[0], q[1] - p[1]
        if ex * (y - p[1]) - ey * (x - p[0]) < -tol * math.hypot(ex, ey):
            return False
    return True
def crossings(ring, x, y):
    r = np.asarray(ring, dtype=float)
    p, q = r[:-1], r[1:]
    x = np.asarray(x, dtype=float)[..., None]
    y = np.asarray(y, dtype=float)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        xc = p[:, 0] + (y - p[:, 1]) * (q[:, 0] - p[:, 0]) / (q[:, 1] - p[:, 1])
    return (((p[:, 1] > y) != (q[:, 1] > y)) & (x < xc)).sum(axis=-1)
def in_zone(polys, x, y):
    return sum(crossings(ring, x, y) for poly in polys for ring in poly) % 2 == 1
def near_edge(polys, x, y):
    for poly in polys:
        for ring in poly:
            r = np.asarray(ring, dtype=float)
            p, e = r[:-1], r[1:] - r[:-1]
            l2 = (e ** 2).sum(axis=1)
            u = np.clip(((x - p[:, 0]) * e[:, 0] + (y - p[:, 1]) * e[:, 1]) / np.where(l2 > 0, l2, 1), 0, 1)
            if np.min(np.hypot(x - p[:, 0] - u * e[:, 0], y - p[:, 1] - u * e[:, 1])) <= tol:
                return True
    return False
def inside(polys, x, y):
    if not cells:
        return in_hull(polys[0][0], x, y)
    return bool(in_zone(polys, x, y)) or near_edge(polys, x, y)
if cells:
    # Zones never overlap: a grid of samples, each in at most one zone.
    allp = np.array([pt for ps in shapes.values() for poly in ps for ring in poly for pt in ring])
    (x0, y0), (x1, y1) = allp.min(axis=0), allp.max(axis=0)
    gx, gy = np.meshgrid(x0 + (x1 - x0) * (np.arange(80) + 0.5 * math.sqrt(2) - 0.2) / 80,
                         y0 + (y1 - y0) * (np.arange(80) + 0.5 * math.pi - 1.3) / 80)
    count = sum(in_zone(ps, gx.ravel(), gy.ravel()).astype(int) for ps in shapes.values())
    check(count.max() <= 1, "no sample of %d lies in two zones (%d covered)" % (count.size, (count > 0).sum()))
seen = {}
bad_in = 0
for ft in pts:
    pr = ft["properties"]
    seen[pr["id"]] = seen.get(pr["id"], 0) + 1
    x, y = ft["geometry"]["coordinates"]
    bad_in += not inside(shapes[pr["zone"]], x, y)
check(bad_in == 0, "every point lies inside its zone's polygon (%d outside)" % bad_in)
check(sorted(seen) == sorted(ids) and all(c == 1 for c in seen.values()),
      "each of the %d point ids appears exactly once" % len(ids))
byid = {ft["properties"]["id"]: ft for ft in pts}
check(all(byid[i]["properties"]["zone"] == labels[zone[j]] for j, i in enumerate(ids)),
      "each point carries its zone label from /plans/%s/zone" % plan)
check(sum(z["properties"]["points"] for z in zones) == len(ids), "zone points add up to the points")
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
# Colours: an index and its fill on every zone, the fill Tol's muted
# palette entry of the index, and no two neighbouring zones alike.
# Neighbours here are the Gabriel graph of the points (no other point in
# the circle on a pair's diameter), a subgraph of the Delaunay graph the
# engine colours by, found independently among the 8 nearest.
muted = ["#cc6677", "#332288", "#ddcc77", "#117733", "#88ccee", "#882255", "#44aa99", "#999933", "#aa4499"]
zp = {z["properties"]["zone"]: z["properties"] for z in zones}
check(all(isinstance(p.get("colour"), int) and p["colour"] >= 0 and p.get("fill") == muted[p["colour"] % 9]
          for p in zp.values()), "every zone has a colour index and its fill from Tol's muted palette")
P = np.column_stack([xm, ym]).astype(float)
n = len(P)
nk = min(8, n - 1)
D2 = ((P[:, None, :] - P[None, :, :]) ** 2).sum(-1)
near = np.argsort(D2, axis=1, kind="stable")[:, 1:nk + 1]
zcol = np.array([zp[labels[zone[i]]]["colour"] for i in range(n)])
pairs = same = 0
for i in range(n):
    for j in near[i]:
        if zone[i] == zone[j] or (j < i and i in near[j]):
            continue
        m = (P[i] + P[j]) / 2
        dd = ((P - m) ** 2).sum(1)
        dd[i] = dd[j] = np.inf
        if (dd >= D2[i, j] / 4 * (1 - 1e-9)).all():
            pairs += 1
            same += zcol[i] == zcol[j]
check(same == 0, "no two neighbouring zones share a colour (%d Gabriel pairs across zones, "
      "%d colours)" % (pairs, len(set(zcol))))
if cells:
    # Zones whose cells share a stretch of boundary differ too.
    from collections import defaultdict
    lines = defaultdict(list)
    for lab, polys in shapes.items():
        for poly in polys:
            for ring in poly:
                for p, q in zip(ring[:-1], ring[1:]):
                    if p[0] == q[0]:
                        lines[(0, p[0])].append((min(p[1], q[1]), max(p[1], q[1]), lab))
                    elif p[1] == q[1]:
                        lines[(1, p[1])].append((min(p[0], q[0]), max(p[0], q[0]), lab))
    touch = set()
    for segs in lines.values():
        segs.sort()
        for a in range(len(segs)):
            for b in range(a + 1, len(segs)):
                if segs[b][0] >= segs[a][1]:
                    break
                if segs[a][2] != segs[b][2]:
                    touch.add(tuple(sorted((segs[a][2], segs[b][2]))))
    bad = [t for t in touch if zp[t[0]]["colour"] == zp[t[1]]["colour"]]
    check(not bad, "zones whose cells share an edge differ in colour (%d pairs, %d alike)"
          % (len(touch), len(bad)))
# Points are not stops: "points" counts a zone's delivery points,
# "stops_per_day_mean" is the simulation's mean of the points visited a day.
check(all("stops" not in p for p in zp.values()), "no zone property 'stops' (points and stops a day kept apart)")
if stops is not None:
    ok = all(abs(zp[labels[j]]["stops_per_day_mean"] - stops["mean"][j]) <= 1e-8 * max(1, stops["mean"][j])
             for j in range(k))
    check(ok, "stops_per_day_mean is /summary/%s/stops mean" % plan)
else:
    check(all("stops_per_day_mean" not in p for p in zp.values()), "no stops a day for a plan not simulated")
# Barriers: one LineString per run of joined segments of a feature, in the
# points' coordinates, when the file has /barriers; none otherwise.
bars = [ft for ft in feats if ft["properties"]["kind"] == "barrier"]
runs = []
if bseg is not None:
    a = 0
    while a < len(bseg):
        b = a + 1
        while b < len(bseg) and bfeat[b] == bfeat[a] and bseg[b][0] == bseg[b - 1][2] and bseg[b][1] == bseg[b - 1][3]:
            b += 1
        runs.append((int(bfeat[a]), [tuple(bseg[a][:2])] + [tuple(bseg[q][2:]) for q in range(a, b)]))
        a = b
def unproject(x, y):
    if not lonlat:
        return x, y
    R = 6371008.8
    return (lon0 + x / (R * math.cos(math.radians(lat0))) * 180 / math.pi, lat0 + y / R * 180 / math.pi)
if bseg is None:
    check(not bars, "no barrier features: the file has no /barriers")
else:
    ok = len(bars) == len(runs) and all(ft["geometry"]["type"] == "LineString" for ft in bars)
    worst = 0.0
    for ft, (fid, pts_) in zip(bars, runs):
        ok &= ft["properties"] == {"kind": "barrier", "feature": fid} and len(ft["geometry"]["coordinates"]) == len(pts_)
        for got, want in zip(ft["geometry"]["coordinates"], pts_):
            w = unproject(*want)
            worst = max(worst, abs(got[0] - w[0]), abs(got[1] - w[1]))
    check(ok and worst <= (1e-7 if lonlat else 1e-3),
          "%d barrier LineStrings (%d segments) with kind and feature, at /barriers/segments%s (max error %.2g)"
          % (len(bars), len(bseg), " unprojected" if lonlat else "", worst))
root = ET.parse(svg).getroot()
ns = "{http://www.w3.org/2000/svg}"
# The SVG agrees: zone fills, legend "label: N points[, S stops/day][, H h]",
# and the barriers drawn with their legend entry exactly when there are any.
import re
fills = {}
for e in root.findall(".//" + ns + "g[@id='zones']/*"):
    fills[e.find(ns + "title").text] = e.get("fill")
check(all(fills.get(lab) == zp[lab]["fill"] for lab in labels), "SVG zones are filled as the GeoJSON says")
legend = [t.text for t in root.findall(".//" + ns + "g[@id='legend']/" + ns + "text")]
counts = np.bincount(zone, minlength=k)
ok = True
for j, lab in enumerate(labels):
    e = [t for t in legend if t.startswith(lab + ": ")]
    mt = re.fullmatch(r"(\d+) points?(?:, ([\d.]+) stops/day)?(?:, ([\d.]+) h)?", e[0][len(lab) + 2:]) if len(e) == 1 else None
    ok &= mt is not None and int(mt.group(1)) == counts[j]
    if ok and stops is not None:
        ok &= mt.group(2) is not None and abs(float(mt.group(2)) - stops["mean"][j]) <= 0.05 + 1e-9
    elif ok:
        ok &= mt.group(2) is None and mt.group(3) is None
check(ok, "SVG legend: each zone's points%s" % (", simulated stops/day and hours" if stops is not None else " only"))
polys = root.findall(".//" + ns + "g[@id='barriers']/" + ns + "polyline")
check(len(polys) == len(runs) and (("barrier (river, major road)" in legend) == bool(runs)),
      "SVG: %d barrier polylines and a legend entry exactly when there are barriers" % len(polys))
check(root.tag == ns + "svg" and root.get("width") == "1000", "SVG parses, 1000 px wide")
shape = "path" if cells else "polygon"
check(len(root.findall(".//" + ns + shape)) == k, "SVG has k = %d %ss" % (k, shape))
check(all(e.get("fill-rule") == "evenodd" for e in root.findall(".//" + ns + "path")),
      "SVG paths fill even-odd (holes stay open)")
check(len(root.findall(".//" + ns + "circle")) == len(ids), "SVG has one circle per point")
PYEOF
}

# --- help and bad usage ---------------------------------------------------------
check "'export --help' exits 0 with a usage line" bash -c "'$Z' export --help | grep -q '^usage: zonesim export'"
check "'export --help' documents --outline hull|cells|auto" \
    bash -c "'$Z' export --help | grep -q -- '--outline hull|cells|auto' && '$Z' export --help | grep -q '^ *cells '"

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

# --- outlines: cells on request, hulls on request, auto --------------------------------
"$Z" export "$T/x.h5" --plan kmeans --outline cells --geojson "$T/c.geojson" --svg "$T/c.svg" >"$T/c.out" 2>&1
check "export --outline cells exits 0" test $? -eq 0
validate "$T/x.h5" kmeans "$T/c.geojson" "$T/c.svg" cells
"$PY" - "$T/c.geojson" <<'PYEOF'
import sys, json
d = json.load(open(sys.argv[1]))   # the brief's own checks, plain json only
zones = [f for f in d["features"] if f["properties"]["kind"] == "zone"]
rings = [r for z in zones for poly in ([z["geometry"]["coordinates"]] if z["geometry"]["type"] == "Polygon"
                                       else z["geometry"]["coordinates"]) for r in poly]
ok = zones and rings and all(r[0] == r[-1] and len(r) >= 4 for r in rings) \
    and all(z["properties"]["outline"] == "cells" for z in zones)
print(("PASS: " if ok else "FAIL: ") + "--outline cells: %d zones, %d rings closed with >= 4 positions, outline 'cells'"
      % (len(zones), len(rings)))
PYEOF
"$Z" export "$T/x.h5" --plan kmeans --outline hull --geojson "$T/h.geojson" --quiet
check "export --outline hull exits 0" test $? -eq 0
check "--outline hull on k-means zones is the default (auto) drawing: hulls do not overlap" \
    bash -c "cmp -s '$T/h.geojson' '$T/x.geojson' && grep -q '\"outline\":\"hull\"' '$T/x.geojson'"

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
"$Z" export "$T/ll.h5" --plan couriers --outline cells --geojson "$T/llc.geojson" --svg "$T/llc.svg" --quiet
check "export of lon/lat plan couriers with --outline cells exits 0" test $? -eq 0
validate "$T/ll.h5" couriers "$T/llc.geojson" "$T/llc.svg" cells
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

# --- lon/lat points with barriers: the lines come back in degrees ------------------------
cat >"$T/llb-barriers.geojson" <<'EOF'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"name": "canal"}, "geometry": {"type": "LineString",
  "coordinates": [[120.135, 30.2735], [120.15, 30.2741], [120.165, 30.2738], [120.185, 30.2745]]}},
 {"type": "Feature", "properties": {"name": "pond"}, "geometry": {"type": "Polygon",
  "coordinates": [[[120.155, 30.265], [120.158, 30.265], [120.158, 30.267], [120.155, 30.267], [120.155, 30.265]]]}}
]}
EOF
sed -e 's/^name: lonlat/name: lonlat-barriers/' -e 's/^plans:/barriers: {file: llb-barriers.geojson}\nplans:/' \
    "$T/ll.yaml" >"$T/llb.yaml"
"$Z" run "$T/llb.yaml" --quiet --output "$T/llb.h5"
check "lon/lat scenario with a barriers file runs" test $? -eq 0
"$Z" export "$T/llb.h5" --plan kmeans --geojson "$T/llb.geojson" --svg "$T/llb.svg" --quiet
check "export of lon/lat plan with barriers exits 0" test $? -eq 0
validate "$T/llb.h5" kmeans "$T/llb.geojson" "$T/llb.svg"
"$PY" - "$T/llb.geojson" <<'PYEOF'
import sys, json
d = json.load(open(sys.argv[1]))
bars = [f for f in d["features"] if f["properties"]["kind"] == "barrier"]
want = [[120.135, 30.2735], [120.15, 30.2741], [120.165, 30.2738], [120.185, 30.2745]]
canal = [f for f in bars if f["properties"]["feature"] == 0]
err = max(max(abs(a - b) for a, b in zip(p, q)) for p, q in zip(canal[0]["geometry"]["coordinates"], want)) if canal else 1
pond = [f for f in bars if f["properties"]["feature"] == 1]
ok = len(canal) == 1 and len(canal[0]["geometry"]["coordinates"]) == 4 and err < 1e-7 and len(pond) >= 1
print(("PASS: " if ok else "FAIL: ") + "lon/lat barriers: the canal is back at its degrees (max error %.2g), "
      "the pond's shore is feature 1 (%d line(s))" % (err, len(pond)))
PYEOF

# --- a generated city with a river and a ring road: barriers drawn ----------------------
cat >"$T/city.yaml" <<'EOF'
name: city
points:
  generate: {seed: 5, n_points: 800, width_km: 10, height_km: 8, mean_parcels: 0.7,
             river: true, ring_road_km: 3}
efficiency: {speed_kmh: 15}
plans:
  - {name: territory, method: territory, k: 14, tolerance: 0.25, seed: 1}
  - {name: kmeans, k: 14, seed: 1}
simulation: {days: 3, replications: 2, seed: 8}
EOF
"$Z" run "$T/city.yaml" --quiet --output "$T/city.h5"
check "city with river and ring road runs" test $? -eq 0
check "the city's results file has /barriers" \
    "$PY" -c "import h5py, sys; f = h5py.File(sys.argv[1], 'r'); sys.exit(0 if f['barriers/segments'].shape[0] > 0 else 1)" "$T/city.h5"
for p in territory kmeans; do
    "$Z" export "$T/city.h5" --plan $p --geojson "$T/city-$p.geojson" --svg "$T/city-$p.svg" --quiet
    check "export of city plan $p exits 0" test $? -eq 0
    validate "$T/city.h5" $p "$T/city-$p.geojson" "$T/city-$p.svg"
done
"$Z" export "$T/city.h5" --plan kmeans --outline cells --geojson "$T/city-c.geojson" --svg "$T/city-c.svg" --quiet
check "export of city plan kmeans with --outline cells exits 0" test $? -eq 0
validate "$T/city.h5" kmeans "$T/city-c.geojson" "$T/city-c.svg" cells
check "city: barrier LineStrings in the GeoJSON, polylines in the SVG" \
    bash -c "grep -q '\"kind\":\"barrier\"' '$T/city-territory.geojson' && grep -q '<polyline' '$T/city-territory.svg'"
if command -v rsvg-convert >/dev/null 2>&1; then
    rsvg-convert "$T/city-territory.svg" -o "$T/city-territory.png" 2>"$T/rsvg.err"
    check "rsvg-convert renders the city's SVG without complaint" \
        bash -c "[ -s '$T/city-territory.png' ] && [ ! -s '$T/rsvg.err' ]"
fi

# --- the city's cells keep to its barriers (issue 14) ------------------------------------
# Every vertex of a zone's outline that is farther than a barrier square's
# diagonal (cell side / 32 x sqrt 2) from every barrier line sees a point of
# its own zone: the straight path to it crosses no barrier.  The territory
# plan never crosses a barrier, so its drawing must not either; the k-means
# plan does cross, and is drawn on both sides.
"$Z" export "$T/city.h5" --plan territory --outline cells --geojson "$T/city-tc.geojson" --quiet
check "export of city plan territory with --outline cells exits 0" test $? -eq 0
for p in territory kmeans; do
    g="$T/city-tc.geojson"; [ $p = kmeans ] && g="$T/city-c.geojson"
    "$PY" - "$T/city.h5" $p "$g" <<'PYEOF'
import sys, json, h5py, numpy as np
h5, plan, gj = sys.argv[1:4]
with h5py.File(h5, "r") as f:
    zone = f["plans/%s/zone" % plan][:]
    xm, ym = f["points/x_m"][:], f["points/y_m"][:]
    seg = f["barriers/segments"][:]
    labels = [x.decode() if isinstance(x, bytes) else x for x in f["plans/%s/label" % plan][:]]
d = json.load(open(gj))
h = d["zonesim_cell_m"]
tol = h / 32 * 2 ** 0.5
ax, ay, bx, by = seg[:, 0], seg[:, 1], seg[:, 2], seg[:, 3]
def orient(px, py, qx, qy, rx, ry):
    return (qx - px) * (ry - py) - (qy - py) * (rx - px)
def seg_dist(vx, vy):
    ex, ey = bx - ax, by - ay
    l2 = np.maximum(ex * ex + ey * ey, 1e-300)
    u = np.clip(((vx - ax) * ex + (vy - ay) * ey) / l2, 0, 1)
    return np.min(np.hypot(vx - ax - u * ex, vy - ay - u * ey))
bad = far = 0
for ft in d["features"]:
    p = ft["properties"]
    if p["kind"] != "zone":
        continue
    j = labels.index(p["zone"])
    qx, qy = xm[zone == j], ym[zone == j]
    polys = [ft["geometry"]["coordinates"]] if ft["geometry"]["type"] == "Polygon" else ft["geometry"]["coordinates"]
    for poly in polys:
        for ring in poly:
            for vx, vy in ring[:-1]:
                if seg_dist(vx, vy) <= tol:
                    continue
                far += 1
                # paths v -> every point of the zone against every barrier segment
                o1 = orient(ax[:, None], ay[:, None], bx[:, None], by[:, None], vx, vy)
                o2 = orient(ax[:, None], ay[:, None], bx[:, None], by[:, None], qx[None, :], qy[None, :])
                o3 = orient(vx, vy, qx[None, :], qy[None, :], ax[:, None], ay[:, None])
                o4 = orient(vx, vy, qx[None, :], qy[None, :], bx[:, None], by[:, None])
                cross = (o1 * o2 < 0) & (o3 * o4 <= 0)
                bad += not np.any(~np.any(cross, axis=0))
ok = far > 0 and bad == 0
print(("PASS: " if ok else "FAIL: ") + "city %s cells: every outline vertex off the barriers (%d) sees a point of "
      "its own zone (%d do not)" % (plan, far, bad))
PYEOF
done

# --- interleaved couriers (LaDe-like): auto draws cells -------------------------------
"$PY" - "$T" <<'PYEOF'
import sys, random
t = sys.argv[1]
random.seed(11)
with open(t + "/il.csv", "w") as f:
    f.write("id,lng,lat,type,parcels,courier\n")
    for i in range(160):  # four couriers sharing one district, and a tower block each
        c = random.randrange(4)
        if i < 40:
            lon, lat = 120.20 + 0.004 * c + random.uniform(0, 0.0004), 30.25 + random.uniform(0, 0.0004)
        else:
            lon, lat = 120.20 + random.uniform(0, 0.015), 30.25 + random.uniform(0.001, 0.012)
        f.write("p%d,%.7f,%.7f,residential,1,c%d\n" % (i, lon, lat, c))
with open(t + "/il.yaml", "w") as f:
    f.write("""name: interleaved
points:
  file: il.csv
  coords: lonlat
  columns: {id: id, x: lng, y: lat, zone: courier}
plans:
  - {name: couriers, method: manual}
simulation: {days: 2, replications: 2, seed: 5}
""")
PYEOF
"$Z" run "$T/il.yaml" --quiet --output "$T/il.h5"
check "interleaved scenario runs" test $? -eq 0
"$Z" export "$T/il.h5" --plan couriers --geojson "$T/il.geojson" --svg "$T/il.svg" --quiet
check "export of interleaved couriers exits 0" test $? -eq 0
validate "$T/il.h5" couriers "$T/il.geojson" "$T/il.svg" cells
check "interleaved couriers: auto drew cells, a zone in pieces is a MultiPolygon" \
    bash -c "grep -q '\"outline\":\"cells\"' '$T/il.geojson' && grep -q '\"MultiPolygon\"' '$T/il.geojson'"

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
expect2 "a bad --outline" "zonesim export: --outline 'round' is not hull, cells or auto (see 'zonesim export --help')" \
    "$Z" export "$T/x.h5" --plan kmeans --outline round --geojson "$T/bad.geojson"
printf 'not hdf5\n' >"$T/text.h5"
expect2 "a text file" "zonesim: $T/text.h5: not an HDF5 file" \
    "$Z" export "$T/text.h5" --svg "$T/bad.svg"
check "no output file after bad inputs" bash -c "! ls '$T'/bad.* 2>/dev/null | grep -q ."
"$Z" export "$T/x.h5" --svg "$T/no-dir/x.svg" >/dev/null 2>"$T/nodir.err"; rc=$?
check "an output in a missing directory: the directory is created first" \
    bash -c "[ $rc -eq 0 ] && test -s '$T/no-dir/x.svg'"
mkdir -p "$T/adir.svg"
"$Z" export "$T/x.h5" --svg "$T/adir.svg" >/dev/null 2>"$T/isdir.err"; rc=$?
check "an output that is a directory exits 2 before reading" \
    bash -c "[ $rc -eq 2 ] && grep -q '^zonesim: $T/adir.svg: is a directory' '$T/isdir.err'"

# --- damaged results files: exit 2 naming the object --------------------------------------
"$PY" - "$T/x.h5" "$T" <<'PYEOF'
import sys, shutil, h5py, numpy as np
sys.path.insert(0, "tests")
from h5seal import seal  # written wrong, but whole: past the checksum
src, t = sys.argv[1:3]
def damaged(name, fn):
    shutil.copy(src, "%s/%s.h5" % (t, name))
    with h5py.File("%s/%s.h5" % (t, name), "r+") as f:
        fn(f)
    seal("%s/%s.h5" % (t, name))
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
def no_segments(f):
    del f["barriers/segments"]
def short_feature(f):
    a = f["barriers/feature"][:-1]; del f["barriers/feature"]; f["barriers/feature"] = a
src = t + "/city.h5"
damaged("no-segments", no_segments)
damaged("short-feature", short_feature)
PYEOF
V=$("$Z" --version | sed -n '1s/^zonesim \([^ ]*\).*/\1/p')
expect2 "zone index out of range" \
    "zonesim: $T/zone-out.h5: cannot read /plans/kmeans/zone (point 'P000004' has zone 99 outside 0..$("$PY" -c "import h5py; print(int(h5py.File('$T/x.h5','r')['plans/kmeans'].attrs['k'])-1)")) (damaged, or not written by zonesim $V)" \
    "$Z" export "$T/zone-out.h5" --plan kmeans --svg "$T/bad.svg"
expect2 "point type out of range" \
    "zonesim: $T/type-out.h5: cannot read /points/type (point 1 has type code 200; codes are 0..11) (damaged, or not written by zonesim $V)" \
    "$Z" export "$T/type-out.h5" --plan kmeans --svg "$T/bad.svg"
got=$("$Z" export "$T/no-label.h5" --plan kmeans --svg "$T/bad.svg" 2>&1); rc=$?
check "missing labels exit 2 naming /plans/kmeans/label" \
    bash -c "[ $rc -eq 2 ] && echo \"\$1\" | grep -q 'cannot read /plans/kmeans/label'" _ "$got"
expect2 "duplicate point ids" \
    "zonesim: $T/dup-id.h5: /points/id: duplicate id 'P000001' (points 1 and 2)" \
    "$Z" export "$T/dup-id.h5" --plan kmeans --svg "$T/bad.svg"
N=$("$PY" -c "import h5py; print(h5py.File('$T/city.h5','r')['barriers/feature'].shape[0])")
expect2 "/barriers without segments" \
    "zonesim: $T/no-segments.h5: cannot read /barriers/segments ($N segments) (damaged, or not written by zonesim $V)" \
    "$Z" export "$T/no-segments.h5" --plan kmeans --svg "$T/bad.svg"
expect2 "/barriers with fewer feature ids than segments" \
    "zonesim: $T/short-feature.h5: cannot read /barriers/segments ($((N - 1)) segments) (damaged, or not written by zonesim $V)" \
    "$Z" export "$T/short-feature.h5" --plan kmeans --geojson "$T/bad.geojson"
check "no output file after damaged files" bash -c "! ls '$T'/bad.* 2>/dev/null | grep -q ."
