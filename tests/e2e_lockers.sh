#!/usr/bin/env bash
# End-to-end test of the bulk drop point types (issue 19): a parcel locker
# and a pickup station, each one stop taking 20 parcels a day with no
# signing wait, beside 20 residential doors of one parcel each.  The
# simulated door minutes per parcel (service_min / parcels from the HDF5
# file) must be far lower at the locker and the station than at the doors;
# the model parameters are in /models; an unknown type names the new ones.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_lockers; rm -rf "$T"; mkdir -p "$T"
. tests/lib_e2e.sh

{
    echo "id,x,y,type,parcels,zone"
    echo "L1,800,0,locker,20,locker"
    echo "S1,0,800,pickup_station,20,station"
    for i in $(seq 1 20); do echo "R$i,$((-800 - 15 * i)),$((10 * (i % 5))),residential,1,doors"; done
} >"$T/pts.csv"
cat >"$T/lockers.yaml" <<'EOF'
name: lockers
points: {file: pts.csv, columns: {zone: zone}}
plans:
  - {name: given, method: manual}
simulation: {days: 7, replications: 8, seed: 11}
EOF
"$Z" run "$T/lockers.yaml" --quiet --output "$T/l.h5" >"$T/l.out" 2>&1
check "a scenario with a locker, a pickup station and 20 doors runs" test $? -eq 0
"$PY" - "$T/l.h5" <<'PYEOF'
import sys, h5py, numpy as np
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
with h5py.File(sys.argv[1], "r") as f:
    names = [n.decode() if isinstance(n, bytes) else n for n in f["points/type"].attrs["names"]]
    check(names[-2:] == ["locker", "pickup_station"], "the type names end with locker, pickup_station")
    labels = list(f["plans/given/label"].asstr()[()])
    g = f["sim/given"]
    svc = g["service_min"][()].sum(axis=(0, 1))
    par = g["parcels"][()].sum(axis=(0, 1))
    stops = g["stops"][()].sum(axis=(0, 1))
    per = {labels[z]: svc[z] / par[z] for z in range(len(labels))}
    print("      door minutes per parcel: %s" % {k: round(v, 3) for k, v in per.items()})
    check(per["locker"] < per["doors"] / 5 and per["station"] < per["doors"] / 5,
          "door minutes per parcel at the locker (%.2f) and the station (%.2f) are under a fifth of the doors' (%.2f)"
          % (per["locker"], per["station"], per["doors"]))
    # No signing wait: every attempt signs, so nothing is carried or diverted.
    z = labels.index("locker")
    check(g["wait_min"][()][:, :, z].sum() == 0 and g["failed_stops"][()][:, :, z].sum() == 0,
          "the locker never waits for a signature and never fails")
    # 8 min a stop + 0.25 min a parcel (efficiency.bulk_parcel_min), times the pace factor.
    mean_visit = svc[z] / stops[z]
    expect = 8 + 0.25 * par[z] / stops[z]
    check(abs(mean_visit / expect - 1) < 0.05,
          "a locker visit costs stop_min + bulk_parcel_min per parcel (%.2f against %.2f, pace aside)"
          % (mean_visit, expect))
    e = f["models/efficiency"]
    check(float(e.attrs["bulk_parcel_min"]) == 0.25, "/models/efficiency bulk_parcel_min 0.25")
    s = f["models/signing/p_success"][()] if "models/signing/p_success" in f else None
    check(s is not None and s[-1] == 1.0 and s[-2] == 1.0, "signing success 1 at lockers and stations")
PYEOF

# efficiency.bulk_parcel_min moves the locker's minutes, and its range is checked.
sed 's/^plans:/efficiency: {bulk_parcel_min: 1.5}\nplans:/' "$T/lockers.yaml" >"$T/slow.yaml"
"$Z" run "$T/slow.yaml" --quiet --output "$T/slow.h5" >/dev/null 2>&1
"$PY" - "$T/l.h5" "$T/slow.h5" <<'PYEOF'
import sys, h5py
a, b = (h5py.File(p, "r") for p in sys.argv[1:3])
sa, sb = a["sim/given/service_min"][()].sum(axis=(0, 1)), b["sim/given/service_min"][()].sum(axis=(0, 1))
ok = sb[0] > sa[0] and sb[-1] == sa[-1]
print(("PASS: " if ok else "FAIL: ") +
      "bulk_parcel_min 1.5: the locker's minutes rise (%.0f -> %.0f), the doors' stay (%.0f)" % (sa[0], sb[0], sa[-1]))
PYEOF
sed 's/^plans:/efficiency: {bulk_parcel_min: -1}\nplans:/' "$T/lockers.yaml" >"$T/bad.yaml"
out=$("$Z" run "$T/bad.yaml" --quiet --output "$T/bad.h5" 2>&1); rc=$?
check_exit "efficiency.bulk_parcel_min -1: exit 2 at the key" $rc 2 "$out" "bad.yaml:3:31: efficiency.bulk_parcel_min"
check "... and no results file" test ! -e "$T/bad.h5"
sed 's/,locker,/,parcel_locker,/' "$T/pts.csv" >"$T/badtype.csv"
sed 's/pts.csv/badtype.csv/' "$T/lockers.yaml" >"$T/badtype.yaml"
out=$("$Z" run "$T/badtype.yaml" --quiet --output "$T/bad.h5" 2>&1); rc=$?
check_exit "an unknown type names the valid ones, lockers included" $rc 2 "$out" \
    "badtype.csv:2:10: column 'type': unknown type 'parcel_locker' (valid: residential, office, school, hospital, factory, village, institution, military, shop, other, locker, pickup_station)"
