#!/usr/bin/env bash
# End-to-end tests of damaged HDF5 files (issue 22, items 1, 2 and 8): every
# file zonesim writes carries a checksum record (length and SHA-256) in its
# 512-byte HDF5 user block, verified before libhdf5 opens a file, so a
# damaged or truncated results file, shard or checkpoint block is refused
# with exit 2 naming it; a file of an earlier zonesim (no record) is refused
# unless --trust-unverified; values a sealed file carries are still checked
# (a NaN coordinate: exit 2, not a crash of the map export); a leftover
# temporary is named as such.  Then byte flips (tests/flip_h5.py): every
# variant of a results file, a shard and a checkpoint block through inspect,
# export, staff, merge and run --resume exits 0 with the same output or 2,
# never a signal or a run over 10 s.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_h5integrity; rm -rf "$T"; mkdir -p "$T"
. tests/lib_e2e.sh
S=scenarios/tests/small.yaml   # 12 replications x 7 days, 2 plans
N=${ZS_FLIP_VARIANTS:-100}   # make test; make fuzz flips thousands (tests/fuzz)

"$Z" run "$S" --quiet --output "$T/r.h5" >/dev/null
check "a small run writes r.h5" test -s "$T/r.h5"
check "its first bytes are the checksum record" \
    bash -c "head -c 64 '$T/r.h5' | grep -q '^zonesim checked file$' && head -c 200 '$T/r.h5' | grep -Eq '^sha256 [0-9a-f]{64}$'"
check "h5py reads it (HDF5 skips the 512-byte user block)" \
    "$PY" -c "import h5py, sys; f = h5py.File('$T/r.h5', 'r'); sys.exit(not (f.userblock_size == 512 and 'plans' in f))"
"$Z" inspect "$T/r.h5" >"$T/ref.txt" 2>&1
check "inspect reads it (exit 0)" test $? -eq 0
ls "$T" >"$T/ls.before"

# --- a damaged byte, a cut file --------------------------------------------------
size=$(stat -c %s "$T/r.h5")
cp "$T/r.h5" "$T/d.h5"
"$PY" -c "
import sys; p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[len(b) // 2] ^= 0x10
open(p, 'wb').write(b)" "$T/d.h5"
cp "$T/d.h5" "$T/d.copy"
for cmd in "inspect" "inspect --zones --csv" "export --plan kmeans --svg $T/d.svg" \
           "staff --output $T/d-staff.h5" "report -o $T/d.html"; do
    set -- $cmd
    sub=$1; shift
    out=$("$Z" "$sub" "$T/d.h5" "$@" 2>&1); rc=$?
    check_exit "a flipped byte: '$sub $*' exits 2 naming the file" $rc 2 "$out" \
        "zonesim: $T/d.h5: damaged or truncated (checksum mismatch"
done
check "nothing was written from the damaged file" \
    bash -c "[ ! -e '$T/d.svg' ] && [ ! -e '$T/d-staff.h5' ] && [ ! -e '$T/d.html' ]"
check "and the damaged file itself is untouched" cmp -s "$T/d.h5" "$T/d.copy"
out=$("$Z" inspect "$T/d.h5" --trust-unverified 2>&1); rc=$?
check_exit "--trust-unverified does not let a damaged file through" $rc 2 "$out" "checksum mismatch"
head -c $((size - 1000)) "$T/r.h5" >"$T/cut.h5"
out=$("$Z" inspect "$T/cut.h5" 2>&1); rc=$?
check_exit "a truncated file exits 2 with its length against the record's" $rc 2 "$out" \
    "zonesim: $T/cut.h5: damaged or truncated (checksum mismatch: $((size - 1000)) bytes, the record says $size)"
head -c 100 "$T/r.h5" >"$T/stub.h5"
out=$("$Z" inspect "$T/stub.h5" 2>&1); rc=$?
check_exit "a file cut inside its record exits 2" $rc 2 "$out" "$T/stub.h5: damaged or truncated"
cp "$T/r.h5" "$T/rec.h5"
"$PY" -c "
import sys; p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[5] ^= 0x01
open(p, 'wb').write(b)" "$T/rec.h5"
out=$("$Z" inspect "$T/rec.h5" 2>&1); rc=$?
check_exit "a damaged checksum record exits 2, even trusted" $rc 2 "$out" \
    "$T/rec.h5: damaged or truncated (its checksum record is unreadable)"
out=$("$Z" inspect "$T/rec.h5" --trust-unverified 2>&1); rc=$?
check_exit "... also with --trust-unverified" $rc 2 "$out" "its checksum record is unreadable"

# --- a file of an earlier zonesim: refused unless trusted -----------------------
old=tests/data/day-compat-before-waves.h5   # written before checksums existed
out=$("$Z" inspect "$old" 2>&1); rc=$?
check_exit "an unverified file (no record) exits 2 naming --trust-unverified" $rc 2 "$out" \
    "zonesim: $old: unverified: this HDF5 file has no zonesim checksum"
check "... and says how to read it anyway" grep -q -- "--trust-unverified reads it anyway" <<<"$out"
out=$("$Z" inspect "$old" --trust-unverified 2>&1); rc=$?
check_exit "--trust-unverified reads it (exit 0) with a warning" $rc 0 "$out" \
    "warning: --trust-unverified"
check "... and the summary of the old file" grep -q "scenario 'day-compat'" <<<"$out"
# A damaged file of an earlier zonesim, read anyway: the trial read in a
# child process takes the library's crash (this flip crashes libhdf5 1.10.8).
"$PY" -c "
import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[15598] ^= 1 << 1
open(sys.argv[2], 'wb').write(b)" "$old" "$T/old-damaged.h5"
out=$("$Z" staff "$T/old-damaged.h5" --trust-unverified --output "$T/od.h5" 2>&1); rc=$?
check "a damaged unverified file read with --trust-unverified: exit 0 or 2, not a signal (exit $rc: $(tail -1 <<<"$out"))" \
    test $rc -eq 0 -o $rc -eq 2
out=$("$Z" export "$old" --trust-unverified --plan kmeans --svg "$T/old.svg" 2>&1); rc=$?
check "export --trust-unverified reads it too (exit 0, map written)" bash -c "[ $rc -eq 0 ] && [ -s '$T/old.svg' ]"

# --- written wrong, but whole: values checked after reading ---------------------
cp "$T/r.h5" "$T/nan.h5"
"$PY" - "$T/nan.h5" <<'PYEOF'
import sys, h5py, numpy as np
sys.path.insert(0, "tests")
from h5seal import seal
with h5py.File(sys.argv[1], "r+") as f:
    x = f["points/x_m"]; a = x[:]; a[3] = np.nan; x[...] = a
seal(sys.argv[1])
PYEOF
for outline in "" "--outline cells"; do
    out=$("$Z" export "$T/nan.h5" --plan kmeans --svg "$T/nan.svg" $outline 2>&1); rc=$?
    check_exit "a NaN coordinate in a sealed file: export $outline exits 2 naming the dataset" $rc 2 "$out" \
        "zonesim: $T/nan.h5: cannot read /points/x_m (point 4 has nan)"
done
out=$("$Z" export "$T/nan.h5" --plan kmeans --geojson "$T/nan.geojson" 2>&1); rc=$?
check_exit "... and for GeoJSON" $rc 2 "$out" "/points/x_m (point 4 has nan)"
out=$("$Z" staff "$T/nan.h5" --output "$T/nan-staff.h5" 2>&1); rc=$?
check_exit "... and staff" $rc 2 "$out" "/points/x_m (point 4 has nan)"
check "no map or staffing file from it" bash -c "[ ! -e '$T/nan.svg' ] && [ ! -e '$T/nan.geojson' ] && [ ! -e '$T/nan-staff.h5' ]"
cp "$T/r.h5" "$T/depot.h5"
"$PY" - "$T/depot.h5" <<'PYEOF'
import sys, h5py, numpy as np
sys.path.insert(0, "tests")
from h5seal import seal
with h5py.File(sys.argv[1], "r+") as f:
    f["points"].attrs["depot_x_m"] = np.inf
seal(sys.argv[1])
PYEOF
out=$("$Z" export "$T/depot.h5" --plan kmeans --svg "$T/depot.svg" 2>&1); rc=$?
check_exit "an infinite depot exits 2 naming it" $rc 2 "$out" "depot_x_m, depot_y_m of /points (not finite"

# --- leftovers of an unfinished run ---------------------------------------------
cp "$old" "$T/r.h5.tmp"                    # an earlier zonesim's temporary
out=$("$Z" inspect "$T/r.h5.tmp" 2>&1); rc=$?
check_exit "a leftover r.h5.tmp: exit 2, the temporary file of an unfinished run" $rc 2 "$out" \
    "zonesim: $T/r.h5.tmp: is the temporary file of an unfinished run"
head -c 300000 "$T/r.h5" | tail -c +513 >"$T/body"
{ head -c 512 /dev/zero; cat "$T/body"; } >"$T/r.h5.4242.1.tmp"   # this zonesim's, before sealing
out=$("$Z" inspect "$T/r.h5.4242.1.tmp" 2>&1); rc=$?
check_exit "a leftover r.h5.PID.N.tmp (not sealed yet): exit 2, the same" $rc 2 "$out" \
    "is the temporary file of an unfinished run"

# --- a damaged shard: merge refuses it, writes nothing ---------------------------
"$Z" run "$S" --quiet --shard 0/2 --output "$T/m.h5" >/dev/null &&
    "$Z" run "$S" --quiet --shard 1/2 --output "$T/m.h5" >/dev/null
check "two shards written" test -s "$T/m.shard-0-of-2.h5" -a -s "$T/m.shard-1-of-2.h5"
cp "$T/m.shard-1-of-2.h5" "$T/bad-shard.h5"
"$PY" -c "
import sys; p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[-200] ^= 0x04
open(p, 'wb').write(b)" "$T/bad-shard.h5"
out=$("$Z" merge "$T/merged.h5" "$T/m.shard-0-of-2.h5" "$T/bad-shard.h5" 2>&1); rc=$?
check_exit "merge with a damaged shard exits 2 naming it" $rc 2 "$out" \
    "zonesim: $T/bad-shard.h5: damaged or truncated (checksum mismatch"
check "... and writes no merged file, no temporary" \
    bash -c "[ ! -e '$T/merged.h5' ] && ! ls '$T' | grep -q '^merged\.h5\..*tmp$'"

# --- a damaged checkpoint block: resume refuses it ------------------------------
# 200 replications, blocks of 8: a block every ~0.06 s, the run ~1.6 s.
sed 's/replications: 12/replications: 200/' "$S" >"$T/long.yaml"
"$Z" run "$T/long.yaml" --quiet --threads 1 --checkpoint-every 8 --output "$T/c.h5" >/dev/null &
pid=$!
for _ in $(seq 1 600); do
    [ "$(ls "$T/c.h5.partial" 2>/dev/null | grep -c '^block-[0-9]*-[0-9]*\.h5$')" -ge 2 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
blk=$(ls "$T/c.h5.partial" 2>/dev/null | grep '^block-[0-9]*-[0-9]*\.h5$' | sort -V | head -1)
if [ -n "$blk" ] && [ ! -e "$T/c.h5" ]; then
    pass "a killed checkpointed run left blocks ($blk, ...)"
    rm -f "$T/c.h5.partial/"*.tmp "$T/c.h5.partial/"*.lock "$T/c.h5.lock"
    mkdir -p "$T/saved" && cp -r "$T/c.h5.partial" "$T/saved/"
    "$PY" -c "
import sys; p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[len(b) // 3] ^= 0x80
open(p, 'wb').write(b)" "$T/c.h5.partial/$blk"
    out=$("$Z" run "$T/long.yaml" --quiet --resume --output "$T/c.h5" 2>&1); rc=$?
    check_exit "a damaged checkpoint block: resume exits 2 naming it and what to do" $rc 2 "$out" \
        "zonesim: $T/c.h5.partial/$blk: damaged or truncated (checksum mismatch"
    check "... 'remove it ... and resume again', no results file" \
        bash -c "grep -q 'remove it, or .*c.h5.partial, and resume again' <<<\"\$1\" && [ ! -e '$T/c.h5' ]" _ "$out"
else
    fail "a killed checkpointed run left blocks (none found; exit of the run: $?)"
fi

# --- byte flips: exit 0 with the same output, or 2; never a signal or a hang ----
flip() { "$PY" tests/flip_h5.py "$Z" "$T/flip" "$@" >"$T/flip.out" 2>&1; local rc=$?; cat "$T/flip.out"; return $rc; }
mkdir -p "$T/flip"
check "$N byte flips of a results file through inspect --zones --csv, export and staff" \
    flip "$T/r.h5" "$N" 1 inspect --zones --csv {} -- export {} --plan kmeans --svg {d}/m.svg -- \
    staff {} --output {d}/s.h5
check "$N byte flips of a shard through merge" \
    flip "$T/m.shard-1-of-2.h5" "$N" 2 merge {d}/all.h5 "$T/m.shard-0-of-2.h5" {}
if [ -n "${blk:-}" ] && [ -d "$T/saved/c.h5.partial" ]; then
    # The copied folder is {d}/c.h5.partial: --resume finds it next to the
    # output {d}/c.h5.
    check "$N byte flips of a checkpoint block through run --resume" \
        flip "$T/saved/c.h5.partial::$blk" "$N" 3 run "$T/long.yaml" --quiet --resume --threads 2 --output {d}/c.h5
fi
