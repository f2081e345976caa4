#!/usr/bin/env bash
# make bench, territory at scale (called from tests/bench.sh; prints to
# stdout; runs alone too: bash tests/bench_territory.sh [BUILD]).  Issue 14:
# the whole `zonesim partition --method territory` command, reading, the
# adjacency graph, metrics (tours) and shape included, on generated cities of
# one density (about 83 points a km^2, 40 times the demo city's): 10^5 points
# on 40 x 30 km in 300 zones, target under 10 s; 10^6 points on 120 x 100 km
# in 1,000 zones, target under 5 minutes and 4 GB.  Plain k-means runs on the
# same points for the ratio.  Depot at the generator's station (0, 0),
# default tolerance.  Wall seconds and peak RSS from /usr/bin/time (Debian
# package time); every territory zone must be one piece on the adjacency
# graph and none across a barrier.  The 10^6 city is run again with a river
# and a ring road 20 km out (--barriers).  About 5 minutes on 2 cores, most
# of it k-means at 10^6 (its greedy k-means++ with 4 restarts).
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}; Z=$B/zonesim; PY=${PYTHON:-/usr/bin/python3}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

# summary FILE: k, zones one piece, hull overlap, largest deviation of work
# with travel, status (spaces -> _).
summary() { "$PY" - "$1" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["shape"]
print(d["k"], s["zones_one_piece"], s["hull_overlap"], d["work_maxdev"],
      d["status"].replace(" ", "_"), s["barrier_zones"])
PYEOF
}

echo
echo "## territory at scale: whole partition command (depot 0,0, default tolerance) vs plain k-means"
printf "%8s %5s %-9s %8s %8s %9s %11s %8s %11s %s\n" points k method wall_s rss_MB x_kmeans \
    work_maxdev overlap one_piece check
fail=0
# The last spec adds a river and a ring road 20 km out (territory only:
# every zone one piece and none across them).
for spec in "100000 300 40 30 10 4096 0" "1000000 1000 120 100 300 4096 0" \
    "1000000 1000 120 100 300 4096 20"; do
    read -r n k w h max_s max_mb ring <<<"$spec"
    city=$T/city-$n-$ring.csv
    bar=()
    methods="kmeans territory"
    if [ "$ring" != 0 ]; then
        bar=(--barriers "$T/bar-$n.geojson")
        methods=territory
        "$Z" generate --output "$city" --points "$n" --width-km "$w" --height-km "$h" --seed 5 \
            --river --ring-road-km "$ring" --barriers "$T/bar-$n.geojson" >/dev/null 2>"$T/err" ||
            { echo "generate $n: failed: $(tail -1 "$T/err")"; exit 1; }
        echo "(river and ring road ${ring} km, --barriers)"
    else
        "$Z" generate --output "$city" --points "$n" --width-km "$w" --height-km "$h" \
            >/dev/null 2>"$T/err" || { echo "generate $n: failed: $(tail -1 "$T/err")"; exit 1; }
    fi
    km_s=""
    for m in $methods; do
        if ! /usr/bin/time -f "%e %M" -o "$T/time" \
            "$Z" partition "$city" --method "$m" --k "$k" --depot 0,0 "${bar[@]}" --json >"$T/p.json" \
            2>"$T/err"; then
            echo "$n $m: failed: $(tail -1 "$T/err")"
            fail=1
            continue
        fi
        read -r sec kb <"$T/time"
        read -r kk one ov dev status across < <(summary "$T/p.json")
        [ -n "$km_s" ] || [ "$m" != kmeans ] || km_s=$sec
        check="-"
        if [ "$m" = territory ]; then
            check=ok
            [ "$one" = "$kk" ] || check="FAIL: $one of $kk zones one piece"
            [ "$across" = 0 ] || check="$check; FAIL: $across zones across a barrier"
            awk -v s="$sec" -v mx="$max_s" 'BEGIN { exit !(s < mx) }' ||
                check="$check; FAIL: over $max_s s"
            [ "$kb" -lt $((max_mb * 1024)) ] || check="$check; FAIL: over $max_mb MB"
            [ "$check" = ok ] || fail=1
            check="$check (${status//_/ })"
        fi
        awk -v n="$n" -v k="$k" -v m="$m" -v s="$sec" -v kb="$kb" -v b="$km_s" -v dev="$dev" \
            -v ov="$ov" -v one="$one" -v c="$check" 'BEGIN {
            x = b > 0 ? sprintf("%8.2fx", s / b) : sprintf("%9s", "-")
            printf "%8d %5d %-9s %8.2f %8.0f %s %10.1f%% %7.1f%% %5d/%-5d %s\n",
                n, k, m, s, kb / 1024, x, 100 * dev, 100 * ov, one, k, c }'
    done
done
[ "$fail" = 0 ] || echo "territory at scale: some checks FAILED"
