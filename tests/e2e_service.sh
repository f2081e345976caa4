#!/usr/bin/env bash
# End-to-end tests of the service desk: `zonesim service` (Erlang C and A
# from call volumes, the published check value, the queue-simulation
# check) and `zonesim calibrate-calls` (a generated call log fitted back;
# bad rows give file:line:column and exit 2).
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_service; rm -rf "$T"; mkdir -p "$T"
. tests/lib_e2e.sh

# --- zonesim service: the published check value -------------------------------
out=$("$Z" service --calls 100 --aht 180 --target 0.8 --within 20 --shrinkage 0.3 2>&1); rc=$?
check_exit "service: the check value runs" $rc 0 "$out" "10.00 Erlangs offered"
check "service: 14 agents at 88.84%, ASA 7.8 s" grep -qE '^> +14 +88\.84% .* 7\.8 ' <<<"$out"
check "service: 20 positions with 30% shrinkage" grep -qF -- "-> 14 agents on the phones; 20 positions with 30% shrinkage" <<<"$out"
check "service: 13 agents shown missing the target" grep -qE '^ +13 +79\.56%' <<<"$out"

# Erlang A: fewer agents for the same target when callers hang up; the
# abandonment cap can ask for more.
out=$("$Z" service -c 100 -a 180 -p 180 2>&1); rc=$?
check_exit "service: Erlang A runs" $rc 0 "$out" "Erlang A"
na=$(sed -n 's/^-> \([0-9]*\) agents.*/\1/p' <<<"$out")
check "service: Erlang A needs no more than Erlang C's 14 ($na)" test "${na:-99}" -le 14
out=$("$Z" service -c 100 -a 180 -p 180 -T 0 -A 0.01 2>&1)
nb=$(sed -n 's/^-> \([0-9]*\) agents.*/\1/p' <<<"$out")
check "service: abandonment <= 1% needs more ($nb > $na)" test "${nb:-0}" -gt "${na:-99}"

# The queue simulation agrees with Erlang C within its interval.
out=$("$Z" service -c 100 -a 180 --simulate 200 --seed 3 2>&1); rc=$?
check_exit "service --simulate runs" $rc 0 "$out" "simulated, 14 agents, 200 days"
"$PY" - "$out" <<'PYEOF'
import re, sys
m = re.search(r"service ([\d.]+)% \+- ([\d.]+)", sys.argv[1])
ok = m is not None and abs(float(m.group(1)) - 88.84) <= float(m.group(2)) * 1.5
print(("PASS: " if ok else "FAIL: ") + "simulated service level within 1.5 x its 95%% interval of 88.84%% (%s)" % (m.group(0) if m else "none"))
PYEOF
out2=$("$Z" service -c 100 -a 180 --simulate 200 --seed 3 2>&1)
check "service --simulate is reproducible" test "$out" = "$out2"
out=$("$Z" service -c 100 -a 180 --simulate 100 --cv 2 2>&1)
check "service --simulate --cv 2: lognormal handling named" grep -q "lognormal handling, cv 2" <<<"$out"

# Usage errors exit 2.
out=$("$Z" service --calls 100 2>&1); check_exit "service without --aht: exit 2" $? 2 "$out" "give --calls N and --aht S"
out=$("$Z" service -c 100 -a 180 -T 1.5 2>&1); check_exit "service --target 1.5: exit 2" $? 2 "$out" "--target '1.5'"
out=$("$Z" service -c 100 -a 180 -A 0.05 2>&1); check_exit "service --max-abandon without patience: exit 2" $? 2 "$out" "--max-abandon needs --patience"
out=$("$Z" service -c -5 -a 180 2>&1); check_exit "service negative calls: exit 2" $? 2 "$out" "--calls '-5'"
out=$("$Z" service -c 100 -a 180 --cv 1 2>&1); check_exit "service --cv without --simulate: exit 2" $? 2 "$out" "--cv goes with --simulate"
out=$("$Z" service --help 2>&1); check_exit "service --help" $? 0 "$out" "usage: zonesim service"

# --- calibrate-calls ------------------------------------------------------------
# 14 days; 30 tracking calls a day at 10:00-10:29 (23) and 15:xx (7), talk e^5 / e^5.4;
# complaints at 19:xx of 600 s; every tenth tracking call abandoned.
"$PY" - "$T/calls.csv" <<'PYEOF'
import sys, math, datetime
rows = ["timestamp,reason,talk_s,abandoned"]
d0 = datetime.date(2026, 11, 2)
for d in range(14):
    day = d0 + datetime.timedelta(days=d)
    for q in range(30):
        hh = 15 if q % 4 == 3 else 10
        ab = q % 10 == 9
        talk = 0 if ab else round(math.exp(5.4 if q % 2 else 5.0), 3)
        rows.append("%s %02d:%02d:%02d,tracking,%s,%s" % (day, hh, q, q, talk, "yes" if ab else "no"))
    for q in range(5):
        rows.append("%sT19:%02d,complaint,600,0" % (day, 10 + q))
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PYEOF
out=$("$Z" calibrate-calls "$T/calls.csv" --parcels 1000 --late 25 2>&1); rc=$?
check_exit "calibrate-calls runs" $rc 0 "$out" "# 490 calls over 14 days; desk hours 10:00-19:30"
check "calibrate-calls: 30 tracking calls a day, 10% abandoned, rate 0.03 per parcel" \
    grep -qE '^tracking +420 +30\.00 +10\.0% .* 0\.03/parcels' <<<"$out"
check "calibrate-calls: complaints 5 a day, 600 s, rate 0.2 per late parcel" \
    grep -qE '^complaint +70 +5\.00 +0\.0% +600\.0 +0\.00 +0\.2/late' <<<"$out"
check "calibrate-calls: the profile puts 23 tracking calls a day at 10:00, 7 at 15:00" \
    bash -c "grep -qE '^10:00 +23\.00 ' <<<\"\$1\" && grep -qE '^15:00 +7\.00 ' <<<\"\$1\"" _ "$out"

bad() { # DESC LINE_TEXT EXPECTED
    { echo "timestamp,reason,talk_s,abandoned"; echo "2026-11-02 10:00,tracking,100,0"; echo "$2"; } > "$T/bad.csv"
    out=$("$Z" calibrate-calls "$T/bad.csv" 2>&1); check_exit "$1" $? 2 "$out" "$3"
}
bad "calibrate-calls: unknown reason -> file:line:col, exit 2" "2026-11-02 10:05,parcel-lost,100,0" \
    "$T/bad.csv:3:18: column 'reason': unknown reason 'parcel-lost'"
bad "calibrate-calls: unparseable time -> file:line:col, exit 2" "2026-11-02 25:05,tracking,100,0" \
    "$T/bad.csv:3:1: column 'timestamp': expected YYYY-MM-DD HH:MM[:SS], got '2026-11-02 25:05'"
bad "calibrate-calls: negative seconds -> file:line:col, exit 2" "2026-11-02 10:05,late,-4,0" \
    "$T/bad.csv:3:23: column 'talk_s': -4 seconds; must be >= 0"
bad "calibrate-calls: bad abandoned flag, exit 2" "2026-11-02 10:05,late,4,maybe" \
    "$T/bad.csv:3:25: column 'abandoned': expected 0/1"
bad "calibrate-calls: talk not a number, exit 2" "2026-11-02 10:05,late,abc,0" \
    "$T/bad.csv:3:23: column 'talk_s': expected a number"
printf 'time,reason,talk_s,abandoned\n' > "$T/hdr.csv"
out=$("$Z" calibrate-calls "$T/hdr.csv" 2>&1); check_exit "calibrate-calls: missing column, exit 2" $? 2 "$out" "no column 'timestamp'"
printf 'timestamp,reason,talk_s,abandoned\n' > "$T/empty.csv"
out=$("$Z" calibrate-calls "$T/empty.csv" 2>&1); check_exit "calibrate-calls: no calls, exit 2" $? 2 "$out" "no calls after the header"
out=$("$Z" calibrate-calls "$T/none.csv" 2>&1); check_exit "calibrate-calls: missing file, exit 2" $? 2 "$out" "none.csv"
out=$("$Z" calibrate-calls 2>&1); check_exit "calibrate-calls without a file, exit 2" $? 2 "$out" "give a call log CSV"
