#!/usr/bin/env bash
# make bench: timings, never part of make test.  Prints to stdout and to
# results/bench.txt.  Simulation throughput of the demo scenario on 1, 2, ...
# threads (up to the number of cores), with parallel efficiency.
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}; Z=$B/zonesim
mkdir -p results
out=results/bench.txt
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
{
echo "# zonesim bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "## simulation: demo scenario (2 plans x 64 replications x 28 days, 2,000 points)"
printf "%8s %10s %12s %11s\n" threads seconds "reps/s" efficiency
base=""
t=1
while [ "$t" -le "$(nproc)" ]; do
    s=$( { TIMEFORMAT=%R; time "$Z" demo --quiet --threads "$t" --output "$T/b.h5"; } 2>&1 | tail -1)
    [ -n "$base" ] || base=$s
    awk -v t="$t" -v s="$s" -v b="$base" 'BEGIN { printf "%8d %10.2f %12.1f %10.0f%%\n", t, s, 64/s, 100*b/(s*t) }'
    t=$((t * 2))
done
} | tee "$out"
echo "written to $out"
