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
check "calibrate-calls prints a service: fragment with the fitted keys" \
    bash -c "grep -qF '  rate: {tracking: 0.03, complaint: 0.2}' <<<\"\$1\" && grep -qF '  open: \"10:00\"' <<<\"\$1\"" _ "$out"
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

# --- the desk in a run: scenarios/tests/service.yaml ------------------------------
# Three weeks of November with a Double-11 peak (2.5 x parcels, 11-13 Nov);
# plan 'enough' has the capacity rule's couriers, 'short' 13.
"$Z" run scenarios/tests/service.yaml --output "$T/s1.h5" >"$T/run.out" 2>"$T/run.err"
check "run with a service section exits 0" test $? -eq 0
check "run prints the desk of both plans" \
    bash -c "grep -q '^service desk 08:00-21:00: 80% answered within 20 s, Erlang C' '$T/run.out' && grep -qE '^enough +[0-9.]+' '$T/run.out' && grep -qE '^short +[0-9.]+' '$T/run.out'"
check "run prints the shifts simulated call by call" grep -q "^  simulated call by call on these shifts: " "$T/run.out"
check "run prints the shifts with status and gap" grep -qE "^shifts 'enough': (optimal|heuristic \(work limit\)): [0-9]+ full-time \+ [0-9]+ part-time agents, .* gap [0-9.]+%" "$T/run.out"
"$Z" run scenarios/tests/service.yaml --threads 2 --output "$T/s2.h5" -q 2>"$T/run2.err"
check "the run on 2 threads exits 0" test $? -eq 0
# The shifts are a function of the input alone: 1 and 2 threads give the
# same file; a safety-net clock of 1 hour instead of 60 s, the same /service.
out=$("$PY" tests/h5same.py "$T/s1.h5" "$T/s2.h5" 2>&1)
check "the run on 1 and 2 threads: the same file, shifts included ($out)" test $? -eq 0
sed 's/^  time_limit_s: 60$/  time_limit_s: 3600/' scenarios/tests/service.yaml > "$T/slow.yaml"
check "the scenario with a 1-hour safety net differs only there" bash -c "grep -q 'time_limit_s: 3600' '$T/slow.yaml'"
"$Z" run "$T/slow.yaml" --threads 2 --output "$T/s3.h5" -q >/dev/null 2>"$T/run3.err"
check "the run with a 1-hour safety net exits 0" test $? -eq 0
"$PY" - "$T/s1.h5" "$T/s3.h5" <<'PYEOF'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r")["service"], h5py.File(sys.argv[2], "r")["service"]
diff, n = [], [0]
def same(u, v):
    u, v = np.asarray(u), np.asarray(v)
    if u.dtype.kind == "O" or v.dtype.kind == "O":  # variable-length strings
        return u.shape == v.shape and list(u.ravel()) == list(v.ravel())
    return u.dtype == v.dtype and u.shape == v.shape and u.tobytes() == v.tobytes()
def walk(name, x):
    y = b.get(name) if name else b
    if y is None:
        diff.append(name); return
    for k, v in x.attrs.items():
        if k == "runtime_s" and name.endswith("roster"):
            continue  # the solve time, the one moment
        n[0] += 1
        if k not in y.attrs or not same(v, y.attrs[k]):
            diff.append("%s@%s" % (name, k))
    if isinstance(x, h5py.Dataset):
        n[0] += 1
        if not same(x[()], y[()]):
            diff.append(name)
walk("", a)
a.visititems(walk)
ok = not diff and n[0] > 50
st = [a[p]["roster"].attrs["status"] for p in a]
print(("PASS: " if ok else "FAIL: ") + "/service byte-identical with a 60 s and a 1-hour time limit (%d items compared; statuses %s; differ: %s)" % (n[0], st, diff[:5]))
r = a["enough"]["roster"].attrs
ok = r["timing_dependent"] == 0 and (r["status"] == "optimal" or (r["status"] == "heuristic (work limit)" and r["gap"] > 0)) \
    and r["bound"] >= r["lp_bound"] - 1e-9 and r["nodes"] >= 1
print(("PASS: " if ok else "FAIL: ") + "enough: %s, %.0f paid hours, bound %.0f (LP %.2f), %d nodes, not timing-dependent" % (r["status"], r["objective"], r["bound"], r["lp_bound"], r["nodes"]))
PYEOF
out=$("$Z" inspect "$T/s1.h5" 2>&1)
check "inspect shows the desk table" grep -q "^calls a usual day by reason" <<<"$out"
out=$("$Z" service "$T/s1.h5" 2>&1); rc=$?
check_exit "service RESULTS.h5 prints the desk" $rc 0 "$out" "service desk 08:00-21:00"

"$PY" - "$T/s1.h5" "$T/s2.h5" <<'PYEOF'
import sys, h5py, numpy as np
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
f = h5py.File(sys.argv[1], "r"); f2 = h5py.File(sys.argv[2], "r")
s = f["service"]
check(sorted(s) == ["enough", "short"], "/service holds one group per plan")
check([x.decode() if isinstance(x, bytes) else x for x in s.attrs["reasons"]] ==
      ["tracking", "failed", "redelivery", "late", "pickup", "problem", "complaint", "outbound"],
      "/service names the eight reasons")
check(s.attrs["open_interval"] == 16 and s.attrs["close_interval"] == 42 and s.attrs["interval_s"] == 1800,
      "desk hours 8:00-21:00 in half hours of 1800 s")
day = f["calendar/day"][:] if "calendar/day" in f else None
for p in ["enough", "short"]:
    g = s[p]
    c = g["calls_mean"][:]; req = g["required"][:]; peak = g["peak"][:]
    check(c.shape == (21, 8, 48) and req.shape == (21, 48), "%s: calls [21][8][48], required [21][48]" % p)
    check(list(np.nonzero(peak)[0]) == [9, 10, 11], "%s: the event days are 11-13 November" % p)
    daily = c.sum(axis=(1, 2))
    surge = daily[peak == 1].mean() / daily[peak == 0].mean()
    check(surge > 1.8, "%s: calls surge on Double-11: %.2f x the other days" % (p, surge))
    check(req[peak == 1].max() > g["usual"][:].max(), "%s: agents needed rise with the surge (%d > %d)" % (p, req[peak == 1].max(), g["usual"][:].max()))
    check(int(g.attrs["peak_day"]) in (9, 10, 11) and g.attrs["agent_h_peak"] > g.attrs["agent_h_usual"],
          "%s: the peak day is an event day and needs more agent hours (%.1f > %.1f)" % (p, g.attrs["agent_h_peak"], g.attrs["agent_h_usual"]))
    closed = np.r_[0:16, 42:48]
    check(np.all(req[:, closed] == 0) and np.all(c[:, :, closed] == 0), "%s: no calls and no agents while the desk is closed" % p)
    w = g["week"][:]; sch = g["roster/scheduled"][:]
    check(np.all(sch >= w), "%s: the shifts cover the regular week" % p)
    su, sp_ = g.attrs["sim_service_usual"], g.attrs["sim_service_peak"]
    check(su >= 0.8 and sp_ < su and g.attrs["sim_abandon_peak"] > g.attrs["sim_abandon_usual"],
          "%s: simulated on its shifts: %.1f%% within 20 s on usual days, %.1f%% on the peak day" % (p, 100 * su, 100 * sp_))
    sd = g["sim_service_day"][:]
    check(sd.shape == (21,) and abs(sd[int(g.attrs["peak_day"])] - sp_) < 1e-12, "%s: the simulated service level per day" % p)
    check(g["roster"].attrs["gap"] >= 0 and g["roster"].attrs["objective"] >= g["roster"].attrs["bound"] - 1e-6,
          "%s: the shifts' objective is above their bound (%s)" % (p, g["roster"].attrs["status"]))
    # the regular week leaves the event days out: Wed 11 Nov is day 9,
    # the other Wednesdays days 2 and 16
    check(np.array_equal(w[2], np.maximum(req[2], req[16])), "%s: Wednesday's regular requirement ignores Double-11" % p)
    g2 = f2["service"][p]
    check(all(np.array_equal(g[k][:], g2[k][:]) for k in ["calls_mean", "required", "usual", "week"]),
          "%s: calls and requirement identical on 1 and 2 threads" % p)
e, sh = s["enough"], s["short"]
late_e = e.attrs["late_day_mean"]; late_s = sh.attrs["late_day_mean"]
check(late_s > late_e, "the short plan leaves more parcels late (%.1f > %.1f a day)" % (late_s, late_e))
check(sh.attrs["calls_usual_day"] > e.attrs["calls_usual_day"] * 1.1,
      "and its desk gets more calls on a usual day (%.1f > %.1f)" % (sh.attrs["calls_usual_day"], e.attrs["calls_usual_day"]))
check(sh.attrs["agent_h_usual"] > e.attrs["agent_h_usual"] and sh.attrs["agent_h_peak"] > e.attrs["agent_h_peak"],
      "and needs more agent hours, usual day and peak (%.1f, %.1f > %.1f, %.1f)" % (sh.attrs["agent_h_usual"], sh.attrs["agent_h_peak"], e.attrs["agent_h_usual"], e.attrs["agent_h_peak"]))
PYEOF

# More failed first attempts (customers seldom home): more calls, more agents.
sed 's/^service:/models:\n  signing:\n    success: {residential: 0.5, office: 0.6, school: 0.4, village: 0.4, shop: 0.6, other: 0.5}\nservice:/' \
    scenarios/tests/service.yaml > "$T/fail.yaml"
sed -i 's/^  generate: /  generate: /' "$T/fail.yaml"
"$Z" run "$T/fail.yaml" --output "$T/f.h5" -q 2>"$T/f.err"
check "the scenario with poor signing runs" test $? -eq 0
"$PY" - "$T/s1.h5" "$T/f.h5" <<'PYEOF'
import sys, h5py
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + desc)
a = h5py.File(sys.argv[1], "r")["service/enough"]; b = h5py.File(sys.argv[2], "r")["service/enough"]
check(b.attrs["failed_day_mean"] > 1.5 * a.attrs["failed_day_mean"],
      "poor signing: %.1f failed first attempts a day vs %.1f" % (b.attrs["failed_day_mean"], a.attrs["failed_day_mean"]))
check(b.attrs["calls_usual_day"] > a.attrs["calls_usual_day"] and b.attrs["agent_h_usual"] > a.attrs["agent_h_usual"],
      "more failures, more calls (%.1f > %.1f) and agent hours (%.1f > %.1f)" % (b.attrs["calls_usual_day"], a.attrs["calls_usual_day"], b.attrs["agent_h_usual"], a.attrs["agent_h_usual"]))
PYEOF

# Bad service sections: file:line:col, exit 2, no results file.
printf 'name: x\npoints:\n  generate: {n_points: 50, seed: 1}\nservice:\n  open: "08:15"\n' > "$T/b1.yaml"
out=$("$Z" run "$T/b1.yaml" --output "$T/b1.h5" 2>&1); check_exit "service desk hours off the half hour: exit 2" $? 2 "$out" "b1.yaml:5:3: service desk hours"
check "no results file after a bad service section" test ! -e "$T/b1.h5"
printf 'name: x\npoints:\n  generate: {n_points: 50, seed: 1}\nservice:\n  rate: {lost: 0.1}\n' > "$T/b2.yaml"
out=$("$Z" run "$T/b2.yaml" --output "$T/b2.h5" 2>&1); check_exit "an unknown reason: exit 2" $? 2 "$out" "b2.yaml:5:10: unknown key 'lost' in service.rate"
printf 'name: x\npoints:\n  generate: {n_points: 50, seed: 1}\nservice:\n  max_abandon: 0.05\n' > "$T/b3.yaml"
out=$("$Z" run "$T/b3.yaml" --output "$T/b3.h5" 2>&1); check_exit "an abandonment cap without patience: exit 2" $? 2 "$out" "b3.yaml:5:3: service.max_abandon = 0.05 needs service.patience_s > 0"
"$Z" run scenarios/tests/small.yaml --output "$T/plain.h5" -q 2>/dev/null
out=$("$Z" service "$T/plain.h5" 2>&1); check_exit "service on a run without a desk: exit 2" $? 2 "$out" "has no /service"

# The fragment calibrate-calls prints is a valid service: section.
"$Z" calibrate-calls "$T/calls.csv" --parcels 1000 --late 25 2>/dev/null | sed -n '/^service:/,/^#/p' | grep -v '^#' > "$T/frag.yaml"
{ printf 'name: frag\npoints:\n  generate: {n_points: 80, seed: 2}\nsimulation: {days: 7, replications: 2, seed: 1}\n'; cat "$T/frag.yaml"; } > "$T/frag-scn.yaml"
out=$("$Z" run "$T/frag-scn.yaml" --output "$T/frag.h5" 2>&1); rc=$?
check_exit "a scenario with the calibrated fragment runs" $rc 0 "$out" "service desk 10:00-19:30"
