#!/usr/bin/env bash
# make bench: timings, never part of make test.  Prints to stdout and to
# results/bench.txt.  Simulation throughput of the demo scenario on 1, 2, ...
# threads (up to the number of cores), with parallel efficiency and the
# share of time spent writing HDF5; checkpoint overhead and merge cost; k-means
# time per Lloyd iteration and SSE against scikit-learn (tests/bench_kmeans.c,
# tests/bench_kmeans_sklearn.py); the p-median section (tests/bench_pmedian.sh);
# territory at scale, 10^5 and 10^6 points against k-means
# (tests/bench_territory.sh); the street network: extracts and the Krems
# scenario on its streets against straight lines (tests/bench_network.c).
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}; Z=$B/zonesim; KB=$B/tests/bench_kmeans; PY=${PYTHON:-/usr/bin/python3}
mkdir -p results
out=results/bench.txt
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
{
echo "# zonesim bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
# Simulation scaling: the times zonesim itself reports (plans, simulation,
# HDF5 writing); reps/s and parallel efficiency from the simulation time,
# write share = writing / (plans + simulation + writing).  Threads 1, 2, 4,
# ... and the core count.
plans=$("$Z" demo --print-scenario | grep -c '^  - name:')
echo "## simulation: demo scenario ($plans plans x 64 replications x 28 days, 2,000 points)"
printf "%8s %9s %9s %10s %11s %9s\n" threads wall_s sim_s "reps/s" efficiency "write %"
threads_list=""
t=1
while [ "$t" -lt "$(nproc)" ]; do threads_list="$threads_list $t"; t=$((t * 2)); done
threads_list="$threads_list $(nproc)"
base=""
for t in $threads_list; do
    w=$( { TIMEFORMAT=%R; time "$Z" demo --threads "$t" --output "$T/b.h5" >"$T/b.out" 2>/dev/null; } 2>&1 | tail -1)
    line=$(grep '^plans built in' "$T/b.out")
    # "plans built in A s; simulated on T threads in B s; written in C s"
    read -r a b c <<<"$(echo "$line" | sed 's/.*built in \([0-9.]*\) s.* in \([0-9.]*\) s; written in \([0-9.]*\) s.*/\1 \2 \3/')"
    [ -n "$base" ] || base=$b
    awk -v t="$t" -v w="$w" -v a="$a" -v b="$b" -v c="$c" -v b1="$base" 'BEGIN {
        printf "%8d %9.2f %9.2f %10.1f %10.0f%% %8.1f%%\n", t, w, b, 64 / b, 100 * b1 / (b * t), 100 * c / (a + b + c) }'
done

# HPC features on all cores: checkpoint overhead (blocks of 8 replications
# written as they finish) and the cost of merging 4 shards.
n=$(nproc)
"$Z" demo --threads "$n" --output "$T/c.h5" >"$T/c0.out" 2>/dev/null
s0=$(sed -n 's/.*simulated on [0-9]* threads\{0,1\} in \([0-9.]*\) s.*/\1/p' "$T/c0.out")
"$Z" demo --threads "$n" --checkpoint-every 8 --output "$T/c.h5" >"$T/c1.out" 2>/dev/null
s1=$(sed -n 's/.*simulated on [0-9]* threads\{0,1\} in \([0-9.]*\) s.*/\1/p' "$T/c1.out")
for i in 0 1 2 3; do "$Z" demo --quiet --threads "$n" --shard "$i/4" --output "$T/m.h5"; done
m=$( { TIMEFORMAT=%R; time "$Z" merge --quiet "$T/m.h5" "$T"/m.shard-{0,1,2,3}-of-4.h5; } 2>&1 | tail -1)
echo
echo "## checkpoints and shards (demo, $n threads)"
awk -v s0="$s0" -v s1="$s1" -v m="$m" 'BEGIN {
    printf "simulation %.2f s; with --checkpoint-every 8: %.2f s (%+.1f%%)\n", s0, s1, 100 * (s1 - s0) / s0
    printf "zonesim merge of 4 shards: %.2f s (%.1f%% of the simulation)\n", m, 100 * m / s0 }'

# k-means: ours against scikit-learn's Lloyd from the same k initial centres
# (k distinct points drawn with seed 1, written by bench_kmeans --dump), tol 0,
# on the same number of threads (OMP_NUM_THREADS via --threads for ours,
# threadpoolctl for sklearn).  Time per iteration = fit time / iterations,
# fastest of 3 runs for ours, of 1 for sklearn; sse_diff = (ours - sklearn)
# / sklearn.  The 10^6-point city stops at 50 iterations on both sides: it
# needs about 260 to converge, which would take sklearn a minute a run (there
# sklearn reassigns once more after the last step, so its SSE can be a little
# lower).
echo
echo "## k-means (Lloyd from the same initial centres): zonesim vs scikit-learn $("$PY" -c 'import sklearn; print(sklearn.__version__)' 2>/dev/null || echo unavailable)"
printf "%-14s %5s %7s %6s %6s %12s %12s %8s %10s\n" set k threads it_us it_sk "us ms/it" "sk ms/it" speedup sse_diff
F=../shared/data/franti-clustering
bench_set() { # name, max_iter, bench_kmeans options...
    local name=$1 maxit=$2; shift 2
    "$KB" "$@" --max-iter "$maxit" --repeat 1 --dump "$T/$name" >/dev/null || return 0
    local t=1
    while [ "$t" -le "$(nproc)" ]; do
        local us sk
        us=$("$KB" "$@" --max-iter "$maxit" --threads "$t" --repeat 3)
        sk=$("$PY" tests/bench_kmeans_sklearn.py "$T/$name.xy" "$T/$name.init" "$t" "$maxit" - 1 2>/dev/null | grep '^sklearn ' || true)
        echo "$us|$sk" | awk -v name="$name" -F'|' '
            function get(s, key,   a, i, n) { n = split(s, a, " "); for (i = 1; i <= n; i++) if (index(a[i], key "=") == 1) return substr(a[i], length(key) + 2); return "" }
            { k = get($1, "k"); t = get($1, "threads"); iu = get($1, "iterations"); mu = get($1, "ms_per_iter"); su = get($1, "sse")
              if ($2 == "") { printf "%-14s %5s %7s %6s %6s %12.3f %12s %8s %10s\n", name, k, t, iu, "-", mu, "n/a", "n/a", "n/a"; next }
              is = get($2, "iterations"); ms = get($2, "ms_per_iter"); ss = get($2, "sse")
              printf "%-14s %5s %7s %6s %6s %12.3f %12.3f %7.1fx %10.1e\n", name, k, t, iu, is, mu, ms, ms / mu, (su - ss) / ss }'
        t=$((t * 2))
    done
}
bench_set birch1 1000 --data "$F/birch1.data" --k 100 --seed 1
bench_set city-1e6 50 --generate 1000000 --k 100 --seed 1

# p-median: exact solver vs published optima and CBC, balanced-flow time.
bash tests/bench_pmedian.sh "$B"

# Territory at scale: the whole partition command, metrics included, on
# 10^5 and 10^6 generated points; seconds, RSS and the ratio to k-means.
bash tests/bench_territory.sh "$B"

# Street network (issue 15): reading and building each extract, peak
# memory, shortest-path queries per second, a 100 x 100 matrix
# (tests/bench_network.c); then the shipped Krems scenario on its streets
# against the same scenario with straight lines x circuity (the peer: the
# engine without a network), 2 threads each.
echo
echo "## street network: extracts (van profile; peak_MB is the process's so far)"
ext="scenarios/data/krems.osm.gz"
for f in ../shared/data/osm/harrisburg.osm.pbf ../shared/data/osm/baltimore.osm.pbf; do
    [ -f "$f" ] && ext="$ext $f"
done
"$B/tests/bench_network" $ext
sed -e "s#data/#$PWD/scenarios/data/#" scenarios/krems.yaml > "$T/kn.yaml"
grep -v '^network:\|^  osm:\|^  profile:\|^  snap_max_m:\|^  barriers: {water' "$T/kn.yaml" > "$T/ks.yaml"
tn=$( { TIMEFORMAT=%R; time "$Z" run "$T/kn.yaml" --threads 2 --quiet --output "$T/kn.h5"; } 2>&1 | tail -1)
ts=$( { TIMEFORMAT=%R; time "$Z" run "$T/ks.yaml" --threads 2 --quiet --output "$T/ks.h5"; } 2>&1 | tail -1)
echo
echo "## Krems scenario (1,500 points, 3 plans x 16 replications x 14 days, 2 threads)"
awk -v a="$tn" -v b="$ts" 'BEGIN { printf "on the street network: %.2f s; straight lines: %.2f s; ratio %.2f (target <= 3)\n", a, b, a / b }'
} | tee "$out"
echo "written to $out"
