#!/usr/bin/env python3
"""Opens a `zonesim report` page in headless Chromium and drives it over the
DevTools protocol (tests/e2e_report.sh runs it; not a test on its own).

usage: report_browser.py PAGE.html EXPECT.json SCREENSHOT.png

EXPECT.json: {"zones": [k of plan 0, k of plan 1, ...]} in map order, from
the results file, and optionally "service": {"calls": N, "agents": N,
"call_bars": N}, the service desk's charts (svg.chart.calls, .agents)
and the bars of its calls charts.  The page is opened from a file:// URL with the network
cut off (--proxy-server to a closed port).  Prints one PASS:/FAIL: line per
check: no console errors or exceptions, one zone shape per zone on every
map, hovering a zone shows its figures and clicking keeps them, a table
sorts, a map zooms, table text is selectable, printing starts each
section on a new page, and the screenshot is not one colour.  When Chromium
cannot start it prints one "SKIP:" line saying why and exits 0.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

page, expect_path, shot = sys.argv[1:4]
expect = json.load(open(expect_path))


def check(ok, desc, detail=""):
    print(("PASS: " if ok else "FAIL: ") + "browser: " + desc +
          ("" if ok or not detail else " (" + str(detail) + ")"))
    sys.stdout.flush()


def skip(why):
    print("SKIP: browser checks: " + why)
    sys.exit(0)


# Local connections only: a proxy from the environment must not get them.
for v in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(v, None)
os.environ["no_proxy"] = "127.0.0.1,localhost"

try:
    import websocket  # Debian's python3-websocket (make deps)
except ImportError:
    skip("python3-websocket is not installed (make deps installs it)")

exe = shutil.which("chromium") or shutil.which("chromium-browser")
if not exe:
    skip("chromium is not installed (make deps installs it)")

ud = tempfile.mkdtemp(prefix="zs-chromium-")
proc = subprocess.Popen(
    [exe, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + ud,
     "--proxy-server=127.0.0.1:9", "--remote-debugging-port=0", "--window-size=1280,1000",
     "--no-first-run", "--no-default-browser-check", "about:blank"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def finish(code):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    shutil.rmtree(ud, ignore_errors=True)
    sys.exit(code)


port = None
for _ in range(300):  # up to 30 s
    try:
        port = int(open(os.path.join(ud, "DevToolsActivePort")).readline())
        break
    except (OSError, ValueError):
        if proc.poll() is not None:
            break
        time.sleep(0.1)
if port is None:
    proc.kill()
    proc.wait()
    shutil.rmtree(ud, ignore_errors=True)
    skip("Chromium did not start (no DevTools port)")

opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
targets = json.load(opener.open("http://127.0.0.1:%d/json/list" % port, timeout=10))
pages = [t for t in targets if t.get("type") == "page"]
if not pages:
    skip("Chromium opened no page target")
ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30,
                                 http_no_proxy=["127.0.0.1", "localhost"])
msg_id = 0
events = []


def send(method, **params):
    global msg_id
    msg_id += 1
    ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
    while True:
        m = json.loads(ws.recv())
        if m.get("id") == msg_id:
            if "error" in m:
                raise RuntimeError("%s: %s" % (method, m["error"]))
            return m.get("result", {})
        events.append(m)


def wait_event(name, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        for i, e in enumerate(events):
            if e.get("method") == name:
                return events.pop(i)
        ws.settimeout(max(0.1, end - time.time()))
        try:
            events.append(json.loads(ws.recv()))
        except websocket.WebSocketTimeoutException:
            break
    ws.settimeout(30)
    return None


def js(expr):
    r = send("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
    if "exceptionDetails" in r:
        raise RuntimeError("script error: %s" % r["exceptionDetails"])
    return r["result"].get("value")


def errors():
    out = []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.exceptionThrown":
            out.append(p["exceptionDetails"].get("text", "") + " " +
                       str(p["exceptionDetails"].get("exception", {}).get("description", "")))
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
        elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
            out.append(p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
    return out


try:
    send("Runtime.enable")
    send("Log.enable")
    send("Page.enable")
    url = "file://" + os.path.abspath(page)
    send("Page.navigate", url=url)
    check(wait_event("Page.loadEventFired") is not None, "the page loads from " + url)
    time.sleep(0.3)

    counts = js("Array.from(document.querySelectorAll('svg.map')).map("
                "m => m.querySelectorAll('path.zone').length)")
    check(counts == expect["zones"], "one zone shape per zone on every map",
          "got %s, want %s" % (counts, expect["zones"]))
    nonempty = js("Array.from(document.querySelectorAll('svg.chart')).map("
                  "c => c.querySelectorAll('rect.bar').length)")
    check(bool(nonempty) and all(n > 0 for n in nonempty),
          "every chart draws bars (%s)" % nonempty)
    if "service" in expect:  # the service desk: its charts drawn at a visible size
        sv = js("""(() => { const s = document.getElementById('service'); if (!s) return null;
          const vis = e => { const b = e.getBoundingClientRect(); return b.width > 200 && b.height > 80; };
          const c = Array.from(s.querySelectorAll('svg.chart.calls')), a = Array.from(s.querySelectorAll('svg.chart.agents'));
          return [c.length, a.length, c.every(vis) && a.every(vis),
                  c.map(x => x.querySelectorAll('rect.bar').length).reduce((x, y) => x + y, 0),
                  a.map(x => x.querySelectorAll('polyline.req').length).reduce((x, y) => x + y, 0)]; })()""")
        want = expect["service"]
        check(sv == [want["calls"], want["agents"], True, want["call_bars"], want["agents"]],
              "the service desk renders its calls and agents charts at a visible size",
              "got %s, want %s" % (sv, want))
    box = js("(() => { const b = document.querySelector('svg.map').getBoundingClientRect();"
             " return [b.width, b.height]; })()")
    check(box and box[0] > 300 and box[1] > 100, "the first map is drawn at a visible size", box)

    # A point inside the first map's first zone whose top element is that
    # zone (zones may be concave, in pieces, or under labels and dots).
    target = js("""(() => {
      const z = document.querySelector('svg.map path.zone');
      z.scrollIntoView({block: 'center'});
      const b = z.getBoundingClientRect();
      for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
        const x = b.left + b.width * i / 24, y = b.top + b.height * j / 24;
        const e = document.elementFromPoint(x, y);
        if (e && e.closest && e.closest('path.zone') === z) return [x, y, z.dataset.label, z.dataset.simH || null, z.dataset.points];
      }
      return null; })()""")
    check(target is not None, "a point inside the first zone can be hovered")
    if target:
        x, y, label, sim_h, npts = target
        send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        time.sleep(0.2)
        info = js("document.querySelector('.zoneinfo').textContent")
        want = ["zone" + label, "delivery points" + npts]
        if sim_h is not None:
            want.append("simulated work%.2f h" % float(sim_h))
        check(all(w in info for w in want), "hovering zone '%s' shows its figures" % label,
              "box: %r, want %r" % (info, want))
        send("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left",
             clickCount=1)
        send("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left",
             clickCount=1)
        time.sleep(0.2)
        sel = js("Array.from(document.querySelectorAll('svg.map path.zone.sel')).map(z => z.dataset.label)")
        check(sel == [label], "clicking zone '%s' selects it" % label, sel)
        send("Input.dispatchMouseEvent", type="mouseMoved", x=5, y=5)
        time.sleep(0.1)
        info2 = js("document.querySelector('.zoneinfo').textContent")
        check("zone" + label in info2, "the clicked zone's figures stay when the mouse leaves")

    # Keyboard: Tab focus on a zone of the second map shows its figures.
    kb = js("""(() => {
      const maps = document.querySelectorAll('.mapbox'); const mb = maps[maps.length - 1];
      const z = mb.querySelectorAll('svg.map path.zone')[1]; if (!z) return null;
      z.focus(); return [z.dataset.label, mb.querySelector('.zoneinfo').textContent]; })()""")
    check(kb is not None and ("zone" + kb[0]) in kb[1], "keyboard focus on a zone shows its figures", kb)
    vb0 = js("document.querySelector('svg.map').getAttribute('viewBox')")
    js("document.querySelector('.mapbox .ctl button[data-act=in]').click()")
    vb1 = js("document.querySelector('svg.map').getAttribute('viewBox')")
    js("document.querySelector('.mapbox .ctl button[data-act=reset]').click()")
    vb2 = js("document.querySelector('svg.map').getAttribute('viewBox')")
    nums = [[float(v) for v in b.split()] for b in (vb0, vb1, vb2)]
    check(nums[1][2] < nums[0][2] and nums[2] == nums[0],
          "the zoom buttons change the map's viewBox and reset restores it", (vb0, vb1, vb2))

    # Sorting: the comparison table by its 'p90 h' column, both ways.
    sorted_ok = js("""(() => {
      const t = document.getElementById('cmp'); if (!t) return null;
      const i = Array.from(t.tHead.rows[0].cells).findIndex(c => c.textContent === 'p90 h');
      const col = () => Array.from(t.tBodies[0].rows).map(r => r.cells[i] && r.cells[i].dataset.v)
                          .filter(v => v !== undefined).map(Number);
      t.tHead.rows[0].cells[i].click(); const a = col();
      t.tHead.rows[0].cells[i].click(); const d = col();
      const up = a.every((v, k) => k === 0 || a[k - 1] <= v);
      const down = d.every((v, k) => k === 0 || d[k - 1] >= v);
      return up && down && a.length > 0; })()""")
    check(sorted_ok is True, "a click on a header sorts the comparison table up, then down")

    sel_text = js("Array.from(document.querySelectorAll('table td')).every("
                  "c => getComputedStyle(c).userSelect !== 'none')")
    check(sel_text is True, "table text is selectable")
    send("Emulation.setEmulatedMedia", media="print")
    brk = js("Array.from(document.querySelectorAll('section:not(#warnings)')).map("
             "e => getComputedStyle(e).breakBefore)")
    check(bool(brk) and all(b == "page" for b in brk),
          "printed, each section starts a new page (%s)" % brk)
    send("Emulation.setEmulatedMedia", media="")
    js("window.scrollTo(0, 0)")
    shot_b64 = send("Page.captureScreenshot", format="png")["data"]
    png = base64.b64decode(shot_b64)
    open(shot, "wb").write(png)
    colours = None
    try:
        from PIL import Image
        im = Image.open(shot).convert("RGB")
        colours = len(set(im.resize((200, 160)).getdata()))
    except ImportError:
        colours = len(set(png[i:i + 3] for i in range(0, len(png), 3)))
    check(len(png) > 20000 and colours > 20,
          "the screenshot is not trivial (%d bytes, %s colours)" % (len(png), colours))
    errs = errors()
    check(not errs, "no console errors or exceptions", errs)
    ws.close()
except Exception as e:  # a failed protocol step is a failed test, not a skip
    check(False, "DevTools session", e)
    finish(1)
finish(0)
