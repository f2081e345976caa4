#!/usr/bin/env bash
# End-to-end tests of text encodings (issue 19) through the command line: a
# GB18030 copy of a LaDe file (Chinese header, courier and city names) with
# points.encoding: gb18030 gives the same /points and /plans as the UTF-8
# file; without the key the run fails at the first non-UTF-8 byte saying
# what to set; a manual plan file follows points.encoding; an unknown
# encoding is a scenario error at the key; `zonesim partition --encoding`.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_encoding; rm -rf "$T"; mkdir -p "$T"

. tests/lib_e2e.sh  # shared_data; check below returns 1 on failure
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; return 1; fi; }

SRC=../shared/data/lade-pickup-subset/pickup_hangzhou_subset.csv
shared_data ../shared lade-pickup-subset/pickup_hangzhou_subset.csv "encodings on a LaDe file" || exit 0

# The UTF-8 file with Chinese where a planner's file has it: the header
# (订单号 order, 快递员 courier), the city, the courier labels.
sed -e '1s/^order_id,/订单号,/' -e '1s/,courier_id,/,快递员,/' \
    -e '2,$s/^\([^,]*\),\([^,]*\),Hangzhou,\([^,]*\),/\1,\2,杭州,张\3,/' "$SRC" > "$T/u.csv"
iconv -f utf-8 -t gb18030 "$T/u.csv" > "$T/g.csv"
check "the GB18030 copy differs from the UTF-8 file" test "$(cmp -s "$T/u.csv" "$T/g.csv"; echo $?)" = 1
# A manual plan file (order -> courier, region 37) in both encodings.
awk -F, 'NR == 1 || $2 == 37 {print $1 "," $4}' "$T/u.csv" > "$T/u-plan.csv"
iconv -f utf-8 -t gb18030 "$T/u-plan.csv" > "$T/g-plan.csv"

# scenarios/lade-hangzhou.yaml's points settings, a short simulation.
scenario() { # FILE PLANFILE [ENCODING]
    cat <<YAML
name: lade-hangzhou-encoding
points:
  file: $1
  coords: lonlat
  columns: {id: 订单号, x: lng, y: lat, zone: 快递员}
  filter: {column: region_id, equals: "37"}
  default_parcels: 1
${3:+  encoding: $3}
efficiency: {speed_kmh: 15, stop_min: 8, parcel_min: 2}
plans:
  - {name: couriers, method: manual}
  - {name: couriers-file, method: manual, file: $2, columns: {id: 订单号, zone: 快递员}}
  - {name: kmeans, method: kmeans, k: 6, restarts: 10}
  - {name: balanced, method: kmeans-balanced, k: 6, tolerance: 0.1}
simulation: {days: 2, replications: 2, seed: 501, start_date: 2026-05-04}
YAML
}
scenario "$T/u.csv" "$T/u-plan.csv" > "$T/u.yaml"
scenario "$T/g.csv" "$T/g-plan.csv" gb18030 > "$T/g.yaml"
scenario "$T/g.csv" "$T/g-plan.csv" > "$T/g-none.yaml"
scenario "$T/u.csv" "$T/u-plan.csv" klingon > "$T/bad.yaml"

"$Z" run "$T/u.yaml" --quiet --threads 2 --output "$T/u.h5" >"$T/u.out" 2>&1
check "the UTF-8 file runs" test $? -eq 0 || cat "$T/u.out"
"$Z" run "$T/g.yaml" --quiet --threads 2 --output "$T/g.h5" >"$T/g.out" 2>&1
check "the GB18030 file runs with points.encoding: gb18030" test $? -eq 0 || cat "$T/g.out"
"$PY" - "$T/u.h5" "$T/g.h5" >"$T/cmp.out" 2>&1 <<'PY'
import sys
import h5py
import numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
diffs, n = [], [0]
def same(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype != y.dtype or x.shape != y.shape:
        return False
    if x.dtype.kind == "O":  # variable-length strings: compare the values
        return x.ravel().tolist() == y.ravel().tolist()
    return x.tobytes() == y.tobytes()
def walk(p):
    x, y = a[p], b[p]
    for k in sorted(set(x.attrs) | set(y.attrs)):
        if k == "runtime_s" and p.count("/") == 2:
            continue  # the method's wall time
        if k not in x.attrs or k not in y.attrs or not same(x.attrs[k], y.attrs[k]):
            diffs.append("%s: attribute %s" % (p, k))
    if isinstance(x, h5py.Dataset):
        n[0] += 1
        if not isinstance(y, h5py.Dataset) or not same(x[()], y[()]):
            diffs.append("%s: values" % p)
        return
    for k in sorted(set(x) | set(y)):
        q = p.rstrip("/") + "/" + k
        if k not in x or k not in y:
            diffs.append("%s: only in one file" % q)
        else:
            walk(q)
for g in ("/points", "/plans"):
    walk(g)
print("\n".join(diffs[:20]))
print("compared %d datasets" % n[0])
sys.exit(1 if diffs or n[0] == 0 else 0)
PY
check "GB18030 and UTF-8 give the same /points and /plans ($(tail -1 "$T/cmp.out"))" test $? -eq 0 ||
    cat "$T/cmp.out"
"$PY" -c "
import sys, h5py
f = h5py.File(sys.argv[1], 'r')
label = f['/plans/couriers/label'][0]
label = label.decode('utf-8') if isinstance(label, bytes) else str(label)
sys.exit(0 if label.startswith('张') else 1)
" "$T/g.h5"
check "the couriers' Chinese labels are stored as UTF-8" test $? -eq 0

"$Z" run "$T/g-none.yaml" --quiet --output "$T/none.h5" >"$T/none.out" 2>&1
rc=$?
check "the GB18030 file without points.encoding fails" test $rc -ne 0
check "... at the first non-UTF-8 byte, saying what to set" \
    grep -q "g.csv:1:1: not valid UTF-8 (looks like GBK/GB18030: set points.encoding: gb18030)" "$T/none.out"
"$Z" run "$T/bad.yaml" --quiet --output "$T/bad.h5" >"$T/bad.out" 2>&1
rc=$?
check "an unknown encoding is a scenario error" test $rc -ne 0
check "... at the key, naming the value" grep -q "bad.yaml:8:13: points.encoding: unknown encoding 'klingon'" "$T/bad.out"

# zonesim partition --encoding: metres from the same records, ids in Chinese.
awk -F, 'NR == 1 {print "id,x,y"; next} $2 == 37 {printf "点%s,%.1f,%.1f\n", NR, $8 * 96000, $9 * 111000}' \
    "$SRC" > "$T/pu.csv"
iconv -f utf-8 -t gb18030 "$T/pu.csv" > "$T/pg.csv"
"$Z" partition "$T/pu.csv" --method kmeans --k 6 --output "$T/pu-zones.csv" >/dev/null 2>&1
check "partition: the UTF-8 file" test $? -eq 0
"$Z" partition "$T/pg.csv" --method kmeans --k 6 --encoding GB18030 --output "$T/pg-zones.csv" >/dev/null 2>&1
check "partition --encoding GB18030: the GB18030 file" test $? -eq 0
check "partition: the same zones, ids written in UTF-8" cmp -s "$T/pu-zones.csv" "$T/pg-zones.csv"
"$Z" partition "$T/pg.csv" --method kmeans --k 6 >"$T/pn.out" 2>&1
check "partition without --encoding: the hint names --encoding" \
    grep -q "pg.csv:2:1: not valid UTF-8 (looks like GBK/GB18030: set --encoding gb18030)" "$T/pn.out"
"$Z" partition "$T/pu.csv" --method kmeans --k 6 --encoding nope >"$T/pb.out" 2>&1
check "partition --encoding nope: a usage error" test $? -eq 2
