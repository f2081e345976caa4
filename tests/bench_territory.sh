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
# graph (there are no barriers here).  About 4 minutes on 2 cores, most of
# it k-means at 10^6 (its greedy k-means++ with 4 restarts).
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
      d["status"].replace(" ", "_"))
PYEOF
}

echo
echo "## territory at scale: whole partition command (depot 0,0, default tolerance) vs plain k-means"
printf "%8s %5s %-9s %8s %8s %9s %11s %8s %11s %s\n" points k method wall_s rss_MB x_kmeans \
    work_maxdev overlap one_piece check
fail=0
for spec in "100000 300 40 30 10 4096" "1000000 1000 120 100 300 4096"; do
    read -r n k w h max_s max_mb <<<"$spec"
    city=$T/city-$n.csv
    "$Z" generate --output "$city" --points "$n" --width-km "$w" --height-km "$h" \
        >/dev/null 2>"$T/err" || { echo "generate $n: failed: $(tail -1 "$T/err")"; exit 1; }
    km_s=""
    for m in kmeans territory; do
        if ! /usr/bin/time -f "%e %M" -o "$T/time" \
            "$Z" partition "$city" --method "$m" --k "$k" --depot 0,0 --json >"$T/p.json" 2>"$T/err"; then
            echo "$n $m: failed: $(tail -1 "$T/err")"
            fail=1
            continue
        fi
        read -r sec kb <"$T/time"
        read -r kk one ov dev status < <(summary "$T/p.json")
        [ -n "$km_s" ] || km_s=$sec
        check="-"
        if [ "$m" = territory ]; then
            check=ok
            [ "$one" = "$kk" ] || check="FAIL: $one of $kk zones one piece"
            awk -v s="$sec" -v mx="$max_s" 'BEGIN { exit !(s < mx) }' ||
                check="$check; FAIL: over $max_s s"
            [ "$kb" -lt $((max_mb * 1024)) ] || check="$check; FAIL: over $max_mb MB"
            [ "$check" = ok ] || fail=1
            check="$check (${status//_/ })"
        fi
        awk -v n="$n" -v k="$k" -v m="$m" -v s="$sec" -v kb="$kb" -v b="$km_s" -v dev="$dev" \
            -v ov="$ov" -v one="$one" -v c="$check" 'BEGIN {
            printf "%8d %5d %-9s %8.2f %8.0f %8.2fx %10.1f%% %7.1f%% %5d/%-5d %s\n",
                n, k, m, s, kb / 1024, (b > 0 ? s / b : 0), 100 * dev, 100 * ov, one, k, c }'
    done
done
[ "$fail" = 0 ] || echo "territory at scale: some checks FAILED"
