#!/usr/bin/env bash
# End-to-end tests of `zonesim report`: the HTML page of real runs (the
# staffing scenario and the demo) parsed back with Python and its figures
# compared with the results file (h5py): one zone shape per zone on every
# map with the zone's points, expected and simulated hours, p90, overtime,
# first-attempt rate and late parcels; the comparison and paired tables as
# `run` prints them; the roster grid; nothing fetched from a network; the
# demo's page under 5 MB.  The service scenario's page shows the desk
# (/service's calls, agents, shifts and simulated service level; the calls
# and agents charts bar for bar); without /service there is no section,
# and a damaged /service is said, not fatal.  Files that lack parts (no
# simulation, an older engine's file without shapes or expected work, no
# plans) give a report that says what is missing.  Bad paths exit 2 and
# leave no file.  Then a headless Chromium (tests/report_browser.py,
# DevTools protocol) opens the service page (its charts drawn) and the
# demo's page from file:// with the network cut off: no console errors,
# zone shapes counted, hover and click show a zone's figures, sorting,
# zoom, a screenshot that is not one colour; skipped, saying so, only
# where Chromium cannot start.
set -u
cd "$(dirname "$0")/.."
Z=${ZS_BIN:?}; PY=${PYTHON:-/usr/bin/python3}
T=${ZS_TMP:-$(mktemp -d)}/e2e_report; rm -rf "$T"; mkdir -p "$T"
. tests/lib_e2e.sh

# ---- usage and bad paths -----------------------------------------------------
check "'report --help' exits 0 with a usage line" \
    bash -c "'$Z' report --help | grep -q '^usage: zonesim report RESULTS.h5'"
check "'zonesim --help' lists report" bash -c "'$Z' --help | grep -q '^  report FILE'"
out=$("$Z" report 2>&1); check_exit "no RESULTS.h5: usage, exit 2" $? 2 "$out" "missing RESULTS.h5"
out=$("$Z" report a.h5 b.h5 2>&1); check_exit "two files: usage, exit 2" $? 2 "$out" "too many arguments"
out=$("$Z" report --bogus x.h5 2>&1); check_exit "unknown option: exit 2" $? 2 "$out" "unknown option"
out=$("$Z" report "$T/none.h5" --output "$T/none.html" 2>&1)
check_exit "a missing results file: exit 2 naming it" $? 2 "$out" "$T/none.h5: no such file"
check "no page for a missing results file" test ! -e "$T/none.html"
echo "plan,zone" >"$T/text.h5"
out=$("$Z" report "$T/text.h5" 2>&1)
check_exit "a text file: exit 2, not an HDF5 file" $? 2 "$out" "$T/text.h5: not an HDF5 file"
check "no page for a text file" test ! -e "$T/text.html"
mkdir "$T/folder.h5"
out=$("$Z" report "$T/folder.h5" --output "$T/folder.html" 2>&1)
check_exit "a directory as results: exit 2" $? 2 "$out" "is a directory"

"$Z" run scenarios/tests/staff.yaml --quiet --output "$T/st.h5" || fail "run staff.yaml"
mkdir "$T/out.html"
out=$("$Z" report "$T/st.h5" --output "$T/out.html" 2>&1)
check_exit "an output that is a directory: exit 2" $? 2 "$out" "$T/out.html: is a directory"
touch "$T/plain"
out=$("$Z" report "$T/st.h5" --output "$T/plain/r.html" 2>&1)
check_exit "an output under a file: exit 2 naming the folder" $? 2 "$out" "plain' is not a directory"
check "nothing written under a file" test ! -e "$T/plain/r.html"
cp "$T/st.h5" "$T/keep.h5"
out=$("$Z" report "$T/st.h5" --output "$T/../e2e_report/st.h5" 2>&1)
check_exit "an output that is the results file itself: exit 2" $? 2 "$out" "is the results file itself"
check "the results file is left as it was" cmp -s "$T/st.h5" "$T/keep.h5"
out=$("$Z" report "$T/st.h5" --output "" 2>&1)
check_exit "an empty output name: exit 2" $? 2 "$out" "empty file name"

# ---- the staffing run: default name, figures against the file ------------------
out=$("$Z" report "$T/st.h5" 2>&1)
check_exit "report writes RESULTS.html by default and says where" $? 0 "$out" "written to $T/st.html"
check "no temporary file left" test ! -e "$T/st.html.tmp"
"$Z" report "$T/st.h5" --quiet --output "$T/st-again.html"
check "the same file gives the same page, byte for byte" cmp -s "$T/st.html" "$T/st-again.html"

# compare PAGE RESULTS.h5 [MAX_BYTES]: the page's figures against the file.
compare() {
    "$PY" - "$@" <<'PYEOF'
import sys, re, math, h5py, numpy as np
from html.parser import HTMLParser
page, h5 = sys.argv[1:3]
max_bytes = int(sys.argv[3]) if len(sys.argv) > 3 else 0
name = page.rsplit("/", 1)[-1]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + name + ": " + desc)
def s(x):
    return x.decode() if isinstance(x, bytes) else str(x)
text = open(page, encoding="utf-8").read()

class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.maps = []          # (aria-label, [zone attrs])
        self.tables = {}        # id -> rows of cell texts
        self.ids = []
        self.stack = []
        self.table = None
        self.row = None
        self.cell = None
        self.roster_rows = []   # per roster table: courier rows
        self.in_roster = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "svg" and "map" in a.get("class", "").split():
            self.maps.append((a.get("aria-label", ""), []))
        if tag == "path" and a.get("class") == "zone":
            self.maps[-1][1].append(a)
        if tag == "table":
            self.table = a.get("id") or ("roster" if "roster" in a.get("class", "") else None)
            if self.table == "roster":
                self.roster_rows.append(0)
            if self.table:
                self.tables.setdefault(self.table, [])
        if tag == "tr" and self.table:
            self.row = []
        if tag in ("td", "th") and self.row is not None:
            self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        if tag == "tr" and self.row is not None:
            if self.table == "roster" and self.row and re.fullmatch(r"C\d{3}", self.row[0]):
                self.roster_rows[-1] += 1
            elif self.table:
                self.tables[self.table].append(self.row)
            self.row = None
        if tag == "table":
            self.table = None
    def handle_data(self, d):
        if self.cell is not None:
            self.cell += d
p = P()
p.feed(text)

# Self-contained: nothing to fetch.
ext = re.findall(r'(?:src|href)\s*=\s*"(?!#)[^"]*"|<link\b|@import|url\((?!#)', text)
check(not ext, "nothing loaded from outside the page (%s)" % ext[:3])
check("<script>" in text and "<style>" in text, "script and styles inlined")
check("section{break-before:page}" in text.split("@media print", 1)[-1] and "@media print" in text,
      "print stylesheet puts each section on its own page")
for sec in ("comparison", "maps", "distributions", "staffing", "scenario"):
    check(sec in p.ids, "section '%s' present" % sec)
if max_bytes:
    import os
    check(os.path.getsize(page) < max_bytes, "page is %d bytes (< %d)" % (os.path.getsize(page), max_bytes))

with h5py.File(h5, "r") as f:
    plans = sorted(f["plans"], key=lambda q: int(f["plans/" + q].attrs["order"]))
    m = re.search(r"(\d+) delivery points, (\d+) plans? compared over (\d+) replications? of (\d+) days? \(seed (\d+)", text)
    check(m is not None and [int(g) for g in m.groups()] == [
        int(f["points"].attrs["n"]), len(plans), int(f.attrs["replications"]),
        int(f.attrs["days"]), int(f.attrs["master_seed"])],
        "the scenario sentence has the file's points, plans, replications, days and seed")
    check(s(f.attrs["engine_version"]) in text, "the sentence names the engine version")
    check([lbl.replace("map of plan ", "") for lbl, _ in p.maps] == plans, "one map per plan, in order")
    for (lbl, zones), plan in zip(p.maps, plans):
        g = f["plans/" + plan]
        k = int(g.attrs["k"])
        check(len(zones) == k, "%s: %d zone shapes = k" % (plan, len(zones)))
        labels = [s(x) for x in g["label"][:]]
        check([z["data-label"] for z in zones] == labels, "%s: zone labels in order" % plan)
        counts = np.bincount(g["zone"][:], minlength=k)
        check([int(z["data-points"]) for z in zones] == counts.tolist(), "%s: points per zone" % plan)
        if "zone_work_min" in g:
            exp = g["zone_work_min"][:] / 60
            got = np.array([float(z["data-exp-h"]) for z in zones])
            check(np.allclose(got, exp, atol=6e-5), "%s: expected hours = zone_work_min / 60" % plan)
        if plan in f["summary"]:
            sm = f["summary/" + plan]
            def col(metric, field="mean"):
                return sm[metric][:][field]
            pairs = [("data-sim-h", col("work_min") / 60, 6e-5), ("data-p90-h", col("work_min", "p90") / 60, 6e-5),
                     ("data-ot-h", col("overtime_min") / 60, 6e-5), ("data-late", col("late"), 6e-4),
                     ("data-first", 1 - col("failed_stops") / col("stops"), 6e-5)]
            for attr, want, tol in pairs:
                got = np.array([float(z[attr]) for z in zones])
                check(np.allclose(got, want, atol=tol), "%s: %s equals the file's figure" % (plan, attr))
    # The histogram rows: every courier-day of /sim (absent ones left out).
    for plan in plans:
        m = re.search(r'<g class="series" data-plan="%s">.*?class="sub">mean ([0-9.]+) h, (\d+) days' % re.escape(plan), text)
        if "sim" not in f or plan not in f["sim"]:
            check(m is None, "%s: no histogram figures without /sim" % plan)
            continue
        w = f["sim/%s/work_min" % plan][:].ravel()
        if "absent" in f["sim/" + plan]:
            w = w[f["sim/%s/absent" % plan][:].ravel() != 1]
        check(m is not None and int(m.group(2)) == w.size and m.group(1) == "%.2f" % (w.mean() / 60),
              "%s: histogram of %d courier-days, mean %.2f h, as /sim" % (plan, w.size, w.mean() / 60))
    # The comparison table, as run prints it.
    rows = {r[0]: r for r in p.tables.get("cmp", [])[1:]}
    check(list(rows) == plans, "comparison: one row per plan in order")
    for plan in plans:
        if plan not in f["summary"] or plan not in rows:
            continue
        zd = f["summary/%s/zone_day" % plan][:]
        mets = [s(x) for x in f["summary/%s/zone_day" % plan].attrs["metrics"]]
        w = zd[mets.index("work_min")]
        ot = zd[mets.index("overtime_min")]
        want = ["%.2f [%.2f, %.2f]" % (w["mean"] / 60, w["ci_lo"] / 60, w["ci_hi"] / 60),
                "%.2f" % (w["p90"] / 60), "%.2f" % (ot["mean"] / 60),
                "%.1f%%" % (100 * f["summary/" + plan].attrs["overtime_share"]),
                "%.2f" % f["summary/" + plan].attrs["work_maxmin"]]
        check(rows[plan][3:8] == want, "comparison: %s work CI, p90, OT, OT days, max/min %s" % (plan, want))
    if "paired_work_min" in f["summary"]:
        pw = {s(r["plan"]): r for r in f["summary/paired_work_min"][:]}
        prow = {r[0]: r for r in p.tables.get("paired", [])[1:]}
        ok = bool(pw) and all(prow.get(q, [None, None])[1] == "%+.1f" % (pw[q]["mean"] / 60) and
                              prow[q][2] == "[%+.1f, %+.1f]" % (pw[q]["ci_lo"] / 60, pw[q]["ci_hi"] / 60)
                              for q in pw)
        check(ok, "paired differences: work and CI of every plan against the baseline")
    # Staffing: couriers per day type and one grid row per rostered courier.
    if "staffing" in f:
        sp = [q for q in plans if q in f["staffing"]]
        rosters = [q for q in sp if "roster" in f["staffing/" + q] and "schedule" in f["staffing/%s/roster" % q]]
        check(p.roster_rows == [f["staffing/%s/roster/schedule" % q].shape[0] for q in rosters],
              "roster grids: one row per courier (%s)" % p.roster_rows)
        need = [r for r in text.split("couriers per day type")[1:]]
        check(len(need) == len(sp), "a day-type table per plan with staffing")
        req = f["staffing/%s/requirement" % sp[0]][:]
        body = need[0].split("</tbody>")[0]
        got = [int(x) for x in re.findall(r"<td data-v=\"[^\"]*\"><b>(\d+)</b></td>", body)]
        check(got == [int(r["required"]) for r in req if r["n_obs"] > 0],
              "%s: couriers needed per day type = /staffing requirement" % sp[0])
PYEOF
}
compare "$T/st.html" "$T/st.h5"

# ---- the service desk: scenarios/tests/service.yaml ------------------------------
check "a run without /service has no service section" bash -c "! grep -q 'id=\"service\"' '$T/st.html' && ! grep -q 'Service desk' '$T/st.html'"
"$Z" run scenarios/tests/service.yaml --quiet --output "$T/svc.h5" >/dev/null || fail "run service.yaml"
out=$("$Z" report "$T/svc.h5" 2>&1)
check_exit "the service run's report is written" $? 0 "$out" "written to $T/svc.html"
compare "$T/svc.html" "$T/svc.h5"
"$PY" - "$T/svc.html" "$T/svc.h5" <<'PYEOF'
import sys, re, h5py, numpy as np
page, h5 = sys.argv[1:3]
def check(ok, desc):
    print(("PASS: " if ok else "FAIL: ") + "service: " + desc)
t = open(page, encoding="utf-8").read()
f = h5py.File(h5, "r"); s = f["service"]
plans = list(s)  # the plans of /service, in the page's order below
o, c = int(s.attrs["open_interval"]), int(s.attrs["close_interval"]); n = c - o
nr = len(s.attrs["reasons"])
i_st, i_sv = t.find('id="staffing"'), t.find('<section id="service">')
check(0 < i_st < i_sv, "the section comes after staffing")
check('<a href="#service">service desk</a>' in t, "the navigation links it")
sec = t[i_sv:t.find("</section>", i_sv)]
rows = {}
for m in re.finditer(r"<tr><td>([^<]+)</td>(.*?)</tr>", sec.split('id="svc-reasons"')[0]):
    rows[m.group(1)] = re.findall(r'<td[^>]*>(.*?)</td>', m.group(2))
order = sorted(plans, key=lambda q: list(rows).index(q) if q in rows else 99)
check(sorted(rows) == sorted(plans), "the desk table has a row per plan of /service (%s)" % list(rows))
for q in order:
    g = s[q]; r = rows.get(q, [""] * 17)
    check(r[2] == "%.1f" % g.attrs["calls_day_mean"] and r[3] == "%.1f" % g.attrs["calls_usual_day"]
          and r[4] == "%.1f" % g.attrs["calls_peak_day"],
          "%s: calls a day, usual and peak day %s as /service" % (q, r[2:5]))
    check(r[5] == "<b>%d</b>" % g.attrs["agents_usual"] and r[6] == "<b>%d</b>" % g.attrs["agents_peak"]
          and r[7:9] == ["%d" % g.attrs["positions_usual"], "%d" % g.attrs["positions_peak"]],
          "%s: agents at the busiest half hour %s and positions %s as /service" % (q, r[5:7], r[7:9]))
    check(r[9:11] == ["%.1f" % g.attrs["agent_h_usual"], "%.1f" % g.attrs["agent_h_peak"]],
          "%s: agent hours %s" % (q, r[9:11]))
    ro = g["roster"].attrs
    st = ro["status"].decode() if isinstance(ro["status"], bytes) else ro["status"]
    check(r[11].startswith(st) and r[12] == "%.1f%%" % (100 * ro["gap"]),
          "%s: shifts '%s', gap %s" % (q, r[11], r[12]))
    check(r[13:17] == ["%.1f%%" % (100 * g.attrs[a]) for a in
                       ("sim_service_usual", "sim_service_peak", "sim_abandon_usual", "sim_abandon_peak")],
          "%s: simulated service level and abandonment %s" % (q, r[13:17]))
# Charts: per plan two of calls (usual, peak) and seven of agents.
calls = re.findall(r'<svg class="chart calls" data-day="(\w+)".*?</svg>', sec, re.S)
bodies = re.findall(r'<svg class="chart calls".*?</svg>', sec, re.S)
check(calls == ["usual", "peak"] * len(plans), "two calls charts per plan, usual and peak day")
for b, q in zip(bodies[0::2] + bodies[1::2], plans + plans):
    check(len(re.findall(r'<g class="hh"', b)) == n and len(re.findall(r'<rect class="bar"', b)) == n * nr,
          "%s: a stack of %d reasons for each of the %d open half hours" % (q, nr, n))
for q, (bu, bp) in zip(order, zip(bodies[0::2], bodies[1::2])):
    g = s[q]; cm = g["calls_mean"][:]; pk = g["peak"][:]
    want_u = cm[pk == 0].mean(axis=0)          # [reason][48]
    want_p = cm[int(g.attrs["peak_day"])]
    def got(b):
        v = [float(x) for x in re.findall(r'<rect class="bar" data-reason="\w+" data-v="([0-9.e+-]+)"', b)]
        return np.array(v).reshape(n, nr).T if len(v) == n * nr else None
    gu, gp = got(bu), got(bp)
    check(gu is not None and np.allclose(gu, want_u[:, o:c], atol=6e-5),
          "%s: usual-day calls per half hour and reason = calls_mean over non-event days" % q)
    check(gp is not None and np.allclose(gp, want_p[:, o:c], atol=6e-5),
          "%s: peak-day calls per half hour and reason = calls_mean of the peak day" % q)
agents = re.findall(r'<svg class="chart agents" data-weekday="(\w+)".*?</svg>', sec, re.S)
check(agents == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] * len(plans), "seven agents charts per plan, Monday first")
abodies = re.findall(r'<svg class="chart agents".*?</svg>', sec, re.S)
for pi, q in enumerate(order):
    g = s[q]; w = g["week"][:]; sch = g["roster/scheduled"][:]
    ok_s = ok_r = True
    for d in range(7):
        b = abodies[7 * pi + d]
        sv = [int(x) for x in re.findall(r'<rect class="bar sched" data-i="\d+" data-v="(\d+)"', b)]
        pl = re.search(r'<polyline class="req" data-v="([\d ]+)" points="([^"]+)"', b)
        ok_s &= sv == sch[d, o:c].tolist()
        ok_r &= pl is not None and [int(x) for x in pl.group(1).split()] == w[d, o:c].tolist() \
            and len(pl.group(2).split()) == n
    check(ok_s, "%s: %d scheduled-agent bars a weekday = roster/scheduled (Wed 12:00: %d)" % (q, n, sch[2, 24]))
    check(ok_r, "%s: the requirement line has a point per open half hour = week" % q)
    m = re.search(r'<title>Wed 12:00: (\d+) agents scheduled, (\d+) needed</title>', abodies[7 * pi + 2])
    check(m is not None and (int(m.group(1)), int(m.group(2))) == (sch[2, 24], w[2, 24]),
          "%s: hovering Wednesday 12:00 says %s" % (q, m.group(0) if m else None))
PYEOF
"$PY" -c "
import h5py, json
f = h5py.File('$T/svc.h5'); s = f['service']; n = int(s.attrs['close_interval']) - int(s.attrs['open_interval'])
ps = sorted(f['plans'], key=lambda q: int(f['plans/'+q].attrs['order']))
print(json.dumps({'zones': [int(f['plans/'+q].attrs['k']) for q in ps],
                  'service': {'calls': 2 * len(s), 'agents': 7 * len(s), 'call_bars': 2 * len(s) * n * len(s.attrs['reasons'])}}))" >"$T/svc-expect.json"
"$PY" tests/report_browser.py "$T/svc.html" "$T/svc-expect.json" "$T/svc.png"
"$PY" - "$T/svc.h5" "$T" <<'PYEOF'
import sys, shutil, h5py
src, t = sys.argv[1:3]
shutil.copy(src, t + "/svc-none.h5")
with h5py.File(t + "/svc-none.h5", "r+") as f:
    del f["service"]
shutil.copy(src, t + "/svc-bad.h5")
with h5py.File(t + "/svc-bad.h5", "r+") as f:
    del f["service/enough/week"]
PYEOF
"$PY" tests/h5seal.py "$T/svc-none.h5" "$T/svc-bad.h5"  # edited on purpose: sealed again
out=$("$Z" report "$T/svc-none.h5" 2>&1)
check_exit "the run without its /service: report written, exit 0" $? 0 "$out" "written to $T/svc-none.html"
check "and no service section nor link" bash -c "! grep -q 'id=\"service\"' '$T/svc-none.html' && ! grep -q 'href=\"#service\"' '$T/svc-none.html'"
out=$("$Z" report "$T/svc-bad.h5" 2>&1)
check_exit "a damaged /service: report written, exit 0" $? 0 "$out" "written to $T/svc-bad.html"
check "it says the desk could not be read" grep -q "The service desk could not be read: .*svc-bad.h5.*/service/enough" "$T/svc-bad.html"
check "and draws the maps all the same" grep -q 'class="zone"' "$T/svc-bad.html"

# ---- files that lack parts --------------------------------------------------------
"$PY" - "$T/st.h5" "$T" <<'PYEOF'
import sys, shutil, h5py
src, t = sys.argv[1:3]
shutil.copy(src, t + "/nosim.h5")
with h5py.File(t + "/nosim.h5", "r+") as f:
    del f["sim"]; del f["summary"]; del f["staffing"]
shutil.copy(src, t + "/old.h5")
with h5py.File(t + "/old.h5", "r+") as f:  # as an engine before shapes wrote it
    for q in f["plans"]:
        g = f["plans/" + q]
        for a in ("zones_one_piece", "pieces", "strays", "barrier_edges", "barrier_zones",
                  "hull_overlap", "polsby_popper_mean", "polsby_popper_min", "work_travel_maxdev"):
            if a in g.attrs:
                del g.attrs[a]
        for d in ("zone_pieces", "zone_door_min", "zone_travel_min", "zone_work_min", "zone_polsby_popper"):
            if d in g:
                del g[d]
    del f["staffing"]
shutil.copy(src, t + "/noplans.h5")
with h5py.File(t + "/noplans.h5", "r+") as f:
    del f["plans"]
PYEOF
"$PY" tests/h5seal.py "$T/nosim.h5" "$T/old.h5" "$T/noplans.h5"  # edited on purpose: sealed again
out=$("$Z" report "$T/nosim.h5" 2>&1)
check_exit "a file without simulation: report written, exit 0" $? 0 "$out" "lists what the file lacks"
check "it says the plans were not simulated" grep -q "The plans were not simulated (the file has no /sim or /summary)" "$T/nosim.html"
check "its maps are still drawn, one shape per zone" \
    test "$(grep -o 'class="zone"' "$T/nosim.html" | wc -l)" -eq "$("$PY" -c "import h5py; f=h5py.File('$T/nosim.h5'); print(sum(int(f['plans/'+q].attrs['k']) for q in f['plans']))")"
check "its comparison says not simulated" grep -q "not simulated" "$T/nosim.html"
out=$("$Z" report "$T/old.h5" 2>&1)
check_exit "an older engine's file: report written, exit 0" $? 0 "$out" "written to $T/old.html"
check "it says the shape figures are missing" grep -q "Zone shape figures (pieces, strays, barrier crossings) are missing for 2 of 2 plans" "$T/old.html"
check "it says expected work is missing" grep -q "Expected work per zone (door minutes plus travel) is missing for 2 of 2 plans" "$T/old.html"
check "its zones carry no expected hours" bash -c "! grep -q 'data-exp-h' '$T/old.html'"
check "its zones still carry simulated hours" grep -q 'data-sim-h' "$T/old.html"
out=$("$Z" report "$T/noplans.h5" 2>&1)
check_exit "a file without plans: report written, exit 0" $? 0 "$out" "(0 plans; the report lists"
check "it says the file has no plans" grep -q "The file has no plans (/plans)" "$T/noplans.html"

# A staffing file of its own (zonesim staff --output): no plans, its rosters shown.
"$Z" staff "$T/st.h5" --output "$T/staff-only.h5" >/dev/null || fail "staff --output"
out=$("$Z" report "$T/staff-only.h5" 2>&1)
check_exit "a staffing file: report written, exit 0" $? 0 "$out" "written to $T/staff-only.html"
check "it says it is a staffing file" grep -q "This is a &#39;staffing&#39; file, not the results of a run" "$T/staff-only.html"
check "its rosters are shown, one row per courier" "$PY" -c "
import h5py, re
f = h5py.File('$T/staff-only.h5')
want = sum(f['staffing/%s/roster/schedule' % q].shape[0] for q in f['staffing'] if 'roster' in f['staffing/' + q])
got = len(re.findall(r'<tr><th>C\\d{3}</th>', open('$T/staff-only.html').read()))
assert want > 0 and got == want, (got, want)"

# ---- warnings at the top: an infeasible band, a shard ----------------------------
"$Z" run scenarios/tests/infeasible-relax.yaml --quiet --output "$T/inf.h5" || fail "run infeasible-relax.yaml"
out=$("$Z" report "$T/inf.h5" --quiet 2>&1)
check "--quiet prints nothing" test -z "$out"
check "an infeasible band is a warning before the comparison" "$PY" -c "
t = open('$T/inf.html').read()
w = t.find('the balance band is infeasible; its zones are a fallback')
assert t.find('id=\"warnings\"') < w < t.find('id=\"comparison\"')"
"$Z" run scenarios/tests/small.yaml --quiet --shard 0/2 --output "$T/sh.h5" || fail "run a shard"
"$Z" report "$T/sh.shard-0-of-2.h5" --quiet
check "a shard says its figures cover part of the replications" \
    grep -q "This is shard 0/2 of a run: its figures cover only part of the replications" "$T/sh.shard-0-of-2.html"

# ---- the demo: size, figures, and a real browser ------------------------------------
"$Z" demo --quiet --output "$T/demo.h5" >/dev/null || fail "demo run"
out=$("$Z" report "$T/demo.h5" --output "$T/page/demo.html" 2>&1)
check_exit "the demo's report is written (output folder created)" $? 0 "$out" "written to $T/page/demo.html"
compare "$T/page/demo.html" "$T/demo.h5" 5000000
check "the demo's maps draw the barriers" grep -q '<g class="barriers">' "$T/page/demo.html"
check "the demo's warnings count each plan's zones across the river or ring road, as /plans has them" "$PY" -c "
import h5py, re
f = h5py.File('$T/demo.h5')
t = re.sub(r'\\s+', ' ', re.sub(r'<[^>]+>', ' ', open('$T/page/demo.html').read()))
for q in f['plans']:
    a = f['plans/' + q].attrs
    said = re.search(\"Plan '%s' has (\\\\d+) of %d zones reaching across a river or major road\" % (q, a['k']), t)
    assert (int(said.group(1)) if said else 0) == a['barrier_zones'], q
assert sum(f['plans/' + q].attrs['barrier_zones'] > 0 for q in f['plans']) >= 2"
zones=$("$PY" -c "import h5py, json; f=h5py.File('$T/demo.h5'); ps=sorted(f['plans'], key=lambda q: int(f['plans/'+q].attrs['order'])); print(json.dumps({'zones': [int(f['plans/'+q].attrs['k']) for q in ps]}))")
echo "$zones" >"$T/expect.json"
"$PY" tests/report_browser.py "$T/page/demo.html" "$T/expect.json" "$T/demo.png"
