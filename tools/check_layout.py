#!/usr/bin/env python3
"""The layout rules of engine/README.md, checked.

Prints one PASS/FAIL line per rule (the test suite's format) and exits 1
when a rule is broken.  With a build directory (argument 1) it also reads
the object files with nm and checks the call graph between source files.

Rules:
  1. every engine source lives in a known stage folder;
  2. #include "..." runs one way: models/ includes only models/; a stage
     includes only models/ and its own or earlier stages; a *_internal.h
     header is included only from its own folder;
  3. the include graph has no cycle;
  4. hdf5.h only in results/, glpk.h only in partition/ and staffing/
     (behind the GLPK guard), geos_c.h and readosm.h each in one module;
  5. no source file over 1,000 lines unless tools/long_files.txt names it
     with a reason;
  6. (with objects) calls between source files run one way too: no cycle
     among files and no call into a later stage.
"""
import os
import re
import subprocess
import sys

STAGES = ["input", "network", "partition", "sim", "staffing", "results",
          "maps", "report", "pipeline", "cli"]
RANK = {s: i for i, s in enumerate(STAGES)}
LIMIT = 1000
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
os.chdir(ROOT)

fails = 0


def check(ok, what, detail=""):
    global fails
    print(("PASS: " if ok else "FAIL: ") + what + ("" if ok or not detail else ": " + detail))
    if not ok:
        fails += 1


def sources():
    out = []
    for top in ("models", "engine"):
        for dp, _, fn in os.walk(top):
            for f in sorted(fn):
                if f.endswith((".c", ".h")):
                    out.append(os.path.join(dp, f))
    return sorted(out)


def stage_of(path):
    """models -> -1, engine/<stage>/f -> rank, else None."""
    parts = path.split(os.sep)
    if parts[0] == "models" and len(parts) == 2:
        return -1
    if parts[0] == "engine" and len(parts) == 3 and parts[1] in RANK:
        return RANK[parts[1]]
    return None


files = sources()
bad = [f for f in files if stage_of(f) is None and f != "engine/README.md"]
check(not bad, "layout: every source is in models/ or an engine/<stage>/ folder", " ".join(bad))

INC = re.compile(r'^\s*#\s*include\s+([<"])([^">]+)[">]', re.M)
graph = {f: set() for f in files}
up, internal, unresolved, sys_inc = [], [], [], {}
for f in files:
    text = open(f, encoding="utf-8").read()
    for kind, name in INC.findall(text):
        if kind == "<":
            sys_inc.setdefault(name, set()).add(f)
            continue
        cands = [os.path.normpath(os.path.join(os.path.dirname(f), name)),
                 os.path.normpath(name), os.path.normpath(os.path.join("engine", name))]
        tgt = next((c for c in cands if c in graph), None)
        if tgt is None:
            unresolved.append(f"{f}: {name}")
            continue
        graph[f].add(tgt)
        if stage_of(tgt) > stage_of(f):
            up.append(f"{f} -> {tgt}")
        if tgt.endswith("_internal.h") and os.path.dirname(tgt) != os.path.dirname(f):
            internal.append(f"{f} -> {tgt}")
check(not unresolved, "includes: every project include resolves", "; ".join(unresolved))
check(not up, "includes: no stage includes a later stage (order: models, "
      + ", ".join(STAGES) + ")", "; ".join(up))
check(not internal, "includes: *_internal.h only from its own folder", "; ".join(internal))


def cycles(g):
    """Strongly connected components with more than one node (Tarjan)."""
    idx, low, on, stack, out, n = {}, {}, set(), [], [], [0]

    def visit(v):
        idx[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in idx:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], idx[w])
        if low[v] == idx[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in idx:
            visit(v)
    return out


cyc = cycles(graph)
check(not cyc, "includes: no include cycle", "; ".join(" <-> ".join(c) for c in cyc))

ALLOWED = {"hdf5.h": ("engine/results/",), "glpk.h": ("engine/partition/", "engine/staffing/")}
for lib, where in ALLOWED.items():
    users = sorted(sys_inc.get(lib, ()))
    stray = [u for u in users if not u.startswith(where)]
    check(not stray, f"third-party: {lib} only in {', '.join(where)}", " ".join(stray))
for lib in ("geos_c.h", "readosm.h"):
    mods = {re.sub(r"(_[a-z0-9]+)?\.[ch]$", "", u) for u in sys_inc.get(lib, ())}
    check(len(mods) <= 1, f"third-party: {lib} in at most one module", " ".join(sorted(mods)))

allowed_long = {}
if os.path.exists("tools/long_files.txt"):
    for line in open("tools/long_files.txt", encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line:
            allowed_long[line.split()[0]] = True
long_files = []
for f in files:
    n = sum(1 for _ in open(f, encoding="utf-8"))
    if n > LIMIT and f not in allowed_long:
        long_files.append(f"{f} ({n} lines)")
check(not long_files, f"size: no source over {LIMIT} lines", "; ".join(long_files))

if len(sys.argv) > 1:
    build = sys.argv[1]
    defs, uses = {}, {}
    for f in files:
        if not f.endswith(".c"):
            continue
        obj = os.path.join(build, f[:-2] + ".o")
        if not os.path.exists(obj):
            continue
        out = subprocess.run(["nm", obj], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TDBR":
                defs[parts[2]] = f
            elif len(parts) == 2 and parts[0] == "U":
                uses.setdefault(f, set()).add(parts[1])
    calls = {f: set() for f in uses}
    for f, syms in uses.items():
        for s in syms:
            g = defs.get(s)
            if g and g != f:
                calls[f].add(g)
    up_calls = [f"{f} -> {g}" for f in sorted(calls) for g in sorted(calls[f])
                if stage_of(g) > stage_of(f)]
    check(bool(defs), "calls: object files read with nm", build)
    check(not up_calls, "calls: no call into a later stage", "; ".join(up_calls))
    ccyc = cycles(calls)
    check(not ccyc, "calls: no cycle of calls between source files",
          "; ".join(" <-> ".join(c) for c in ccyc))

sys.exit(1 if fails else 0)
