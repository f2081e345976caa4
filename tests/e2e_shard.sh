#!/usr/bin/env bash
# End-to-end tests of sharded runs: `zonesim run --shard I/N` on 1 and 2
# threads, `zonesim merge` joining the shards, and the merged file equal to
# a single-process run in every dataset and attribute (tests/h5same.py; only
# created_utc and /plans/*/runtime_s record a moment).  Merge refuses
# shards of another seed or scenario text, other splits, a missing and a
# duplicated shard, each with its message, exit status 2 and no file.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_shard; rm -rf "$T"; mkdir -p "$T"
S=scenarios/tests/small.yaml   # 12 replications x 7 days, 2 plans

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
check() { local desc=$1; shift; if "$@"; then pass "$desc"; else fail "$desc"; fi; }
same() { "$PY" tests/h5same.py "$1" "$2" >"$T/same.out" 2>&1 || { cat "$T/same.out"; return 1; }; }

# expect_refusal DESC MESSAGE-REGEX OUT ARGS...: merge exits 2 with the
# message and writes neither OUT nor OUT.tmp.
expect_refusal() {
    local desc=$1 re=$2 out=$3; shift 3
    "$Z" merge "$out" "$@" >"$T/r.out" 2>"$T/r.err"; local rc=$?
    if [ $rc -eq 2 ] && grep -Eq "$re" "$T/r.err" && [ ! -e "$out" ] && [ ! -e "$out.tmp" ]; then
        pass "$desc: exit 2, '$(cat "$T/r.err")'"
    else
        fail "$desc (exit $rc, stderr: $(cat "$T/r.err"))"
    fi
}

check "'merge --help' exits 0 with a usage line" bash -c "'$Z' merge --help | grep -q '^usage: zonesim merge'"
check "'run --help' documents --shard, --checkpoint-every and --resume" \
    bash -c "'$Z' run --help | grep -q -- '--shard I/N' && '$Z' run --help | grep -q -- '--checkpoint-every B' && '$Z' run --help | grep -q -- '--resume'"

# --- the single run and 4 shards on different thread counts ------------------
"$Z" run "$S" --quiet --threads 1 --output "$T/single.h5"
check "single-process run" test $? -eq 0
ok=1
for i in 0 1 2 3; do
    if [ $((i % 2)) -eq 0 ]; then
        "$Z" run "$S" --quiet --threads 2 --shard "$i/4" --output "$T/m.h5" || ok=0
    else
        OMP_NUM_THREADS=1 "$Z" run "$S" --quiet --shard "$i/4" --output "$T/m.h5" || ok=0
    fi
done
check "shards 0..3 of 4 run (2 threads, 1 thread, 2, 1)" test $ok -eq 1
check "each shard writes OUTPUT.shard-I-of-N.h5 and no full-run file" \
    bash -c "ls '$T'/m.shard-{0,1,2,3}-of-4.h5 >/dev/null && [ ! -e '$T/m.h5' ] && ! ls '$T'/*.tmp 2>/dev/null | grep -q ."

"$PY" - "$T" <<'PYEOF'
import sys, h5py, numpy as np
T = sys.argv[1]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
s = lambda x: x.decode() if isinstance(x, bytes) else x
with h5py.File(T + "/single.h5", "r") as full:
    fw = full["sim/kmeans/work_min"][:]
    check(int(full.attrs["complete"]) == 1 and "shard" not in full.attrs,
          "a whole run says complete = 1 and has no shard attribute")
    ranges = []
    for i in range(4):
        with h5py.File(T + "/m.shard-%d-of-4.h5" % i, "r") as f:
            a = f.attrs
            ranges.append((int(a["rep_begin"]), int(a["rep_end"])))
            check(s(a["shard"]) == "%d/4" % i and int(a["shard_index"]) == i and int(a["shard_count"]) == 4
                  and int(a["complete"]) == 0 and int(a["replications"]) == 12,
                  "shard %d: root says shard %d/4, complete 0, 12 replications in the run" % (i, i))
            w = f["sim/kmeans/work_min"]
            b, e = ranges[-1]
            check(w.shape == (e - b, 7, fw.shape[2]) and int(f["sim/kmeans"].attrs["rep_begin"]) == b,
                  "shard %d: /sim holds only its rows [%d, %d) with rep_begin %d" % (i, b, e, b))
            check(np.array_equal(w[:], fw[b:e]), "shard %d: its rows equal the single run's rows %d..%d bit for bit" % (i, b, e - 1))
            m = f["summary/kmeans/work_min"]["mean"]
            check(np.allclose(m, w[:].mean(axis=1).mean(axis=0), rtol=1e-12, atol=0),
                  "shard %d: its summaries are its own (means over its %d replications)" % (i, e - b))
    check(ranges == [(0, 3), (3, 6), (6, 9), (9, 12)], "split rule floor(i*R/N): %s" % ranges)
PYEOF

"$Z" inspect "$T/m.shard-1-of-4.h5" >"$T/inspect.out" 2>&1
check "inspect says a shard is a shard" grep -q "SHARD 1/4: replications \[3, 6) of 12 only" "$T/inspect.out"

# --- merge: shards in any order ----------------------------------------------------
"$Z" merge "$T/m.h5" "$T"/m.shard-{2,0,3,1}-of-4.h5 >"$T/merge.out" 2>&1
check "merge of the 4 shards (given out of order) exits 0" test $? -eq 0
check "merge reports what it joined" grep -q "merged 4 shards of scenario 'small' (seed 99): 12 replications x 7 days, 2 plans" "$T/merge.out"
check "merged file equals the single run in every dataset and attribute (h5py, bytes)" same "$T/single.h5" "$T/m.h5"
if command -v h5diff >/dev/null; then
    h5diff -c "$T/single.h5" "$T/m.h5" >"$T/h5diff.out" 2>&1
    check "h5diff: the only differences are created_utc and the plans' runtime_s" \
        bash -c "! grep '^attribute:' '$T/h5diff.out' | grep -v -e 'created_utc of </>' -e 'runtime_s of </plans/' | grep -q ."
fi
"$Z" inspect "$T/m.h5" >"$T/inspect-m.out" 2>&1
check "inspect of the merged file shows no shard note" bash -c "! grep -q SHARD '$T/inspect-m.out'"

# An uneven split: 12 replications in 5 shards (2, 2, 3, 2, 3).
ok=1
for i in 0 1 2 3 4; do "$Z" run "$S" --quiet --threads $((1 + i % 2)) --shard "$i/5" --output "$T/u.h5" || ok=0; done
"$Z" merge --quiet "$T/u.h5" "$T"/u.shard-{0,1,2,3,4}-of-5.h5 || ok=0
check "5 uneven shards merge" test $ok -eq 1
check "5 uneven shards merged equal the single run" same "$T/single.h5" "$T/u.h5"

# --- refusals ------------------------------------------------------------------------
sed 's/seed: 99, start_date/seed: 98, start_date/' "$S" >"$T/seed98.yaml"
(cat "$S"; echo "# one more line") >"$T/comment.yaml"
"$Z" run "$T/seed98.yaml" --quiet --shard 1/4 --output "$T/o.h5"
"$Z" run "$T/comment.yaml" --quiet --shard 1/4 --output "$T/c.h5"
"$Z" run "$S" --quiet --shard 1/3 --output "$T/n3.h5"
expect_refusal "a shard of another seed" \
    "m.shard-0-of-4.h5 has master seed 99, .*o.shard-1-of-4.h5 has 98: these shards are from different runs" \
    "$T/x.h5" "$T/m.shard-0-of-4.h5" "$T/o.shard-1-of-4.h5" "$T"/m.shard-{2,3}-of-4.h5
expect_refusal "a shard of another scenario text" \
    "hold different scenario texts \(from line 13 on\): these shards are from different scenarios" \
    "$T/x.h5" "$T/m.shard-0-of-4.h5" "$T/c.shard-1-of-4.h5" "$T"/m.shard-{2,3}-of-4.h5
expect_refusal "a missing shard is named" \
    "^zonesim: missing shard 2/4: all 4 shards of the run are needed \(3 given\)" \
    "$T/x.h5" "$T"/m.shard-{0,1,3}-of-4.h5
expect_refusal "two missing shards are both named" "missing shards 1/4, 2/4:" \
    "$T/x.h5" "$T"/m.shard-{0,3}-of-4.h5
cp "$T/m.shard-1-of-4.h5" "$T/m1copy.h5"
echo hello >"$T/notes.txt"
expect_refusal "a duplicated shard" "^zonesim: shard 1/4 given twice: .*m.shard-1-of-4.h5 and .*m1copy.h5$" \
    "$T/x.h5" "$T"/m.shard-{0,1}-of-4.h5 "$T/m1copy.h5" "$T"/m.shard-{2,3}-of-4.h5
expect_refusal "shards of different splits" "is shard 0/4, .*n3.shard-1-of-3.h5 is shard 1/3" \
    "$T/x.h5" "$T"/m.shard-{0,1,2,3}-of-4.h5 "$T/n3.shard-1-of-3.h5"
expect_refusal "a complete results file is not a shard" "single.h5: not a shard" \
    "$T/x.h5" "$T/single.h5" "$T"/m.shard-{0,1,2,3}-of-4.h5
expect_refusal "a file that is not HDF5" "notes.txt: not an HDF5 file" \
    "$T/x.h5" "$T/notes.txt"
"$Z" merge "$T/m.shard-0-of-4.h5" "$T"/m.shard-{0,1,2,3}-of-4.h5 >/dev/null 2>"$T/r.err"
check "merge refuses to write over one of its shards (exit 2)" \
    bash -c "[ $? -eq 2 ] && grep -q 'is one of the shards' '$T/r.err'"
"$Z" merge "$T/x.h5" >/dev/null 2>&1; check "merge without shards exits 2" test $? -eq 2

# --- bad --shard values ----------------------------------------------------------------
for bad in 4/4 x 1/0 -1/4 1/ /4 1/4x; do
    "$Z" run "$S" --quiet --shard "$bad" --output "$T/bad.h5" 2>"$T/r.err"; rc=$?
    check "--shard '$bad' exits 2 with the expected form" \
        bash -c "[ $rc -eq 2 ] && grep -q 'expected I/N with 0 <= I < N' '$T/r.err'"
done
"$Z" run "$S" --quiet --shard 0/13 --output "$T/bad.h5" 2>"$T/r.err"; rc=$?
check "--shard 0/13 for 12 replications exits 2: at most one shard per replication" \
    bash -c "[ $rc -eq 2 ] && grep -q '13 shards for 12 replications' '$T/r.err' && ! ls '$T'/bad* 2>/dev/null | grep -q ."

# --- many chunks: /sim chunks (compressed in parallel, engine/h5chunk.c) ----
# 150 zones x 7 days = 8,400 bytes a replication, so a 512 KiB chunk holds
# 62 replications and 150 replications make 3 chunks, the last one partial.
sed -e 's/replications: 12/replications: 150/' \
    -e '/^  - {name: kmeans/d' -e 's/{name: weighted, k: 8, weighted: true, seed: 5}/{name: many, k: 150, seed: 5}/' \
    "$S" >"$T/chunks.yaml"
"$Z" run "$T/chunks.yaml" --quiet --threads 2 --output "$T/c1.h5" &&
    "$Z" run "$T/chunks.yaml" --quiet --threads 1 --output "$T/c2.h5"
check "150 zones x 150 replications run on 2 and 1 threads" test $? -eq 0
check "... the files are the same on 2 and 1 threads" same "$T/c1.h5" "$T/c2.h5"
ok=1
for i in 0 1 2; do "$Z" run "$T/chunks.yaml" --quiet --threads 2 --shard "$i/3" --output "$T/cm.h5" || ok=0; done
"$Z" merge --quiet "$T/cm.h5" "$T"/cm.shard-{0,1,2}-of-3.h5 || ok=0
check "... 3 shards merged equal the single run" bash -c "[ $ok -eq 1 ] && '$PY' tests/h5same.py '$T/c1.h5' '$T/cm.h5' >/dev/null"
# h5repack through HDF5's own shuffle + deflate filters must store every
# /sim chunk with the very bytes zonesim wrote.
if command -v h5repack >/dev/null; then
    list=$("$PY" -c "import h5py, sys; f = h5py.File(sys.argv[1], 'r'); print(','.join('/sim/%s/%s' % (p, m) for p in f['sim'] for m in f['sim'][p]))" "$T/c1.h5")
    h5repack -f NONE "$T/c1.h5" "$T/c-none.h5" &&
        h5repack -f "$list:SHUF" -f "$list:GZIP=4" "$T/c-none.h5" "$T/c-hdf5.h5"
    "$PY" - "$T/c1.h5" "$T/c-hdf5.h5" <<'PYEOF'
import sys, h5py
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
n = bad = 0
shape = None
for p in a["sim"]:
    for m in a["sim"][p]:
        x, y = a["sim"][p][m], b["sim"][p][m]
        shape = (x.shape, x.chunks, x.id.get_num_chunks())
        for i in range(x.id.get_num_chunks()):
            off = x.id.get_chunk_info(i).chunk_offset
            n += 1
            bad += x.id.read_direct_chunk(off) != y.id.read_direct_chunk(off)
ok = n > 0 and bad == 0 and shape[2] == 3 and shape[0][0] % shape[1][0] != 0
print(("PASS: " if ok else "FAIL: ") + "every /sim chunk (%d, shape %s chunks %s, last one partial) has the bytes HDF5's shuffle + deflate filters store (h5repack), %d differ" % (n, shape[0], shape[1], bad))
PYEOF
fi
