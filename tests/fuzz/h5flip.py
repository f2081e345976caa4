#!/usr/bin/env python3
"""Byte-flipper for zonesim's HDF5 files (issue 22: "how we will check it").

Builds, with the real CLI and a tiny scenario, a results file, a shard set
and a checkpoint (an interrupted run's OUTPUT.partial/), then damages them
(flipped bytes anywhere or in the first 8 KiB where HDF5 keeps its
superblock and object headers, a truncation, a zeroed range; seeded, so a
run is repeatable) and runs every reader of each under `timeout`:

  results file:  inspect, inspect --zones --csv, export (GeoJSON + SVG),
                 staff, report
  shard:         merge (the damaged shard with the clean others)
  checkpoint:    run --resume (one damaged block among clean ones)

Each outcome is classified:
  same     exit 0 and every output identical to the clean file's
  refused  exit 2, a message on stderr, no output file left behind
  anything else is a FAILURE: a signal, another exit status, a sanitizer
  report (ASan/UBSan/LSan), a timeout, exit 0 with output that differs
  from the clean file's (damage read as data), exit 2 without a message,
  or exit 2 that leaves an output file.

Prints a table (reader x outcome), writes every failing variant to
--keep DIR (default tests/fuzz/crashes/h5flip/, one file per variant
with its command in a .cmd file), and exits 1 on any failure.

usage: h5flip.py [--zonesim BIN] [--variants N] [--seed S] [--jobs J]
                 [--timeout SEC] [--readers a,b,...] [--keep DIR]

--variants is the number of damaged files per kind (results, shard,
checkpoint); the results file's are each run through all five readers.
The zonesim binary should be a sanitizer build (make fuzz uses
build-fuzz/zonesim: ASan + UBSan), so that memory errors are reported
even when they do not crash.
"""
import argparse
import concurrent.futures as cf
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# h5same.py needs h5py: the Debian python (as the Makefile's PYTHON).
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")

# A tiny scenario with everything the readers look at: two plans, a
# staffing section (staff), 14 days (a two-week roster).
SCENARIO = """name: flip
points:
  generate: {seed: 5, n_points: 120, width_km: 3, height_km: 2, mean_parcels: 0.9}
efficiency: {speed_kmh: 15}
demand:
  weekday_factor: [1.2, 1.0, 1.0, 1.0, 1.2, 0.7, 0.7]
plans:
  - {name: kmeans, method: kmeans, k: auto, restarts: 2}
  - {name: two-stage, method: kmeans-two-stage, k: 5, tolerance: 0.1}
simulation: {days: 14, replications: REPS, seed: 11, start_date: 2026-11-02}
staffing: {risk: 0.1, weeks: 2, weekend_off_min: 1}
"""

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer",
                   "UndefinedBehaviorSanitizer", "AddressSanitizer:DEADLYSIGNAL")

# reader name -> (kind of file it reads, argv template, output files).
# {f} is the damaged file, {d} the variant's directory.  NOISY: readers
# whose stdout and HDF5 attributes hold timings (the resumed run prints its
# summary with "plans built in 0.01 s" and its /staffing groups carry
# runtime_s): their stdout is not compared and their HDF5 output only by
# its data (tests/h5same.py --data-only).
READERS = {
    "inspect": ("results", ["inspect", "{f}"], []),
    "inspect-zones-csv": ("results", ["inspect", "--zones", "--csv", "{f}"], []),
    "export": ("results", ["export", "{f}", "--geojson", "{d}/map.geojson", "--svg", "{d}/map.svg"],
               ["map.geojson", "map.svg"]),
    "staff": ("results", ["staff", "{f}"], []),
    "report": ("results", ["report", "{f}", "--output", "{d}/r.html"], ["r.html"]),
    "merge": ("shard", ["merge", "{d}/m.h5", "{d}/s.shard-0-of-2.h5", "{d}/s.shard-1-of-2.h5"],
              ["m.h5"]),
    "run-resume": ("checkpoint", ["run", "{d}/c.yaml", "--quiet", "--threads", "1",
                                  "--checkpoint-every", "1", "--resume", "--output", "{d}/c.h5"],
                   ["c.h5"]),
}
NOISY = {"run-resume"}
# Readers whose stdout prints a solver's seconds (staff: "..., 0.01 s" on a
# roster line): compared with every "N.NN s" masked.
TIMED = {"staff"}
TIME_RE = re.compile(rb"\b\d+\.\d+ s\b")


def stdout_key(name, out, d):
    """A reader's stdout as compared: the variant's directory as "@", and
    seconds masked for TIMED readers."""
    out = out.replace(d.encode(), b"@")
    return TIME_RE.sub(b"T s", out) if name in TIMED else out


def sh(cmd, timeout=600, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, **kw)


def die(msg):
    print("h5flip: " + msg, file=sys.stderr)
    sys.exit(2)


class Fixture:
    """The clean files and the clean outputs of every reader."""

    def __init__(self, zonesim, work):
        self.z = zonesim
        self.work = work
        self.clean = os.path.join(work, "clean")
        os.makedirs(self.clean)
        c = self.clean
        with open(os.path.join(c, "s.yaml"), "w") as f:
            f.write(SCENARIO.replace("REPS", "4"))
        r = sh([self.z, "run", c + "/s.yaml", "--quiet", "--threads", "1", "--output", c + "/r.h5"])
        if r.returncode != 0:
            die("the clean run failed: " + r.stderr.decode(errors="replace"))
        for i in range(2):
            r = sh([self.z, "run", c + "/s.yaml", "--quiet", "--threads", "1", "--shard",
                    "%d/2" % i, "--output", c + "/s.h5"])
            if r.returncode != 0:
                die("the clean shard run failed: " + r.stderr.decode(errors="replace"))
        self.make_checkpoint()

    def make_checkpoint(self):
        """An interrupted run: SIGKILL once two blocks are on disk."""
        c = self.clean
        part = c + "/c.h5.partial"
        for reps in (12, 40, 160):
            shutil.rmtree(part, ignore_errors=True)
            with open(c + "/c.yaml", "w") as f:
                f.write(SCENARIO.replace("REPS", str(reps)))
            p = subprocess.Popen([self.z, "run", c + "/c.yaml", "--quiet", "--threads", "1",
                                  "--checkpoint-every", "1", "--output", c + "/c.h5"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while p.poll() is None and len(self.blocks()) < 2:
                time.sleep(0.01)
            p.send_signal(signal.SIGKILL)
            p.wait()
            if p.returncode == -signal.SIGKILL and len(self.blocks()) >= 2 and \
                    not os.path.exists(c + "/c.h5"):
                return
            if os.path.exists(c + "/c.h5"):
                os.unlink(c + "/c.h5")
        die("could not interrupt a checkpointed run after two blocks")

    def blocks(self):
        part = self.clean + "/c.h5.partial"
        try:
            return sorted(b for b in os.listdir(part) if b.startswith("block-") and b.endswith(".h5"))
        except FileNotFoundError:
            return []


def place(fx, kind, d, data=None):
    """Lays out a variant's directory d: the clean files of kind, with the
    damaged bytes (data) in the file the readers are pointed at.  Returns
    the path of that file."""
    c = fx.clean
    if kind == "results":
        f = d + "/r.h5"
        shutil.copy(c + "/r.h5", f)
    elif kind == "shard":
        shutil.copy(c + "/s.shard-1-of-2.h5", d + "/s.shard-1-of-2.h5")
        f = d + "/s.shard-0-of-2.h5"
        shutil.copy(c + "/s.shard-0-of-2.h5", f)
    else:
        shutil.copy(c + "/c.yaml", d + "/c.yaml")
        shutil.copytree(c + "/c.h5.partial", d + "/c.h5.partial")
        f = d + "/c.h5.partial/" + fx.blocks()[0]
    if data is not None:
        with open(f, "wb") as g:
            g.write(data)
    return f


def source_file(fx, kind):
    c = fx.clean
    return {"results": c + "/r.h5", "shard": c + "/s.shard-0-of-2.h5",
            "checkpoint": c + "/c.h5.partial/" + (fx.blocks()[0] if fx.blocks() else "")}[kind]


def damage(data, rng):
    """One damaged copy of data and a short description of the damage."""
    n = len(data)
    b = bytearray(data)
    mode = rng.choices(["flip", "flip-head", "truncate", "zero"], [4, 2, 2, 2])[0]
    if mode in ("flip", "flip-head"):
        hi = n if mode == "flip" else min(n, 8192)
        k = rng.randint(1, 8)
        where = []
        for _ in range(k):
            i = rng.randrange(hi)
            b[i] ^= rng.randint(1, 255)
            where.append(i)
        return bytes(b), "%s %d byte(s) at %s" % (mode, k, ",".join(map(str, sorted(where))))
    if mode == "truncate":
        m = rng.randrange(n)
        return bytes(b[:m]), "truncate to %d of %d bytes" % (m, n)
    start = rng.randrange(n)
    ln = min(n - start, rng.randint(1, 4096))
    b[start:start + ln] = bytes(ln)
    return bytes(b), "zero %d bytes at %d" % (ln, start)


def expand(args, f, d):
    return [a.replace("{f}", f).replace("{d}", d) for a in args]


def outputs_of(name, d):
    return [os.path.join(d, o) for o in READERS[name][2]]


def h5_same(a, b, timeout, data_only=False):
    """(1 when two HDF5 outputs hold the same data, h5same's output)
    (tests/h5same.py, in a child process: a damaged output must not take
    the flipper down)."""
    try:
        r = sh([PYTHON, os.path.join(ROOT, "tests", "h5same.py"), a, b] +
               (["--data-only"] if data_only else []), timeout=max(timeout, 60))
    except subprocess.TimeoutExpired:
        return False, "h5same.py timed out"
    return r.returncode == 0, (r.stdout + r.stderr).decode(errors="replace")[-2000:]


def file_bytes(p):
    with open(p, "rb") as g:
        return g.read()


def run_reader(fx, name, f, d, timeout):
    """Runs reader name on file f in directory d: (rc, stdout, stderr, secs);
    rc None on a timeout."""
    argv = [fx.z] + expand(READERS[name][1], f, d)
    t0 = time.monotonic()
    try:
        r = sh(["timeout", "-s", "KILL", str(timeout)] + argv, timeout=timeout + 30, cwd=d)
    except subprocess.TimeoutExpired:
        return None, b"", b"", time.monotonic() - t0
    rc = r.returncode
    if rc == 137 or rc == -9:
        rc = None  # timeout(1) killed it
    return rc, r.stdout, r.stderr, time.monotonic() - t0


REF_SECS = {}


def clean_outputs(fx, timeout):
    """Runs every reader on the clean files once: {name: (stdout, {out: path})}."""
    ref = {}
    for name, (kind, _, outs) in READERS.items():
        d = os.path.join(fx.work, "ref-" + name)
        os.makedirs(d)
        f = place(fx, kind, d)
        rc, out, err, secs = run_reader(fx, name, f, d, timeout)
        REF_SECS[name] = secs
        if rc != 0:
            die("%s on the clean %s file exits %s:\n%s" % (name, kind, rc, err.decode(errors="replace")))
        ref[name] = (stdout_key(name, out, d), {o: os.path.join(d, o) for o in outs}, d)
    return ref


def classify(fx, name, ref, rc, out, err, d, timeout):
    """The outcome's class and, for exit0-differs, what differed."""
    detail = ""
    text = err.decode(errors="replace")
    if any(m in text for m in SANITIZER_MARKS):
        return "sanitizer", detail
    if rc is None:
        return "timeout", detail
    if rc < 0 or rc >= 128:
        return "signal", detail
    outs = outputs_of(name, d)
    if rc == 2:
        if not text.strip():
            return "exit2-silent", detail
        if any(os.path.exists(o) or os.path.exists(o + ".tmp") for o in outs):
            return "exit2-left-output", detail
        return "refused", detail
    if rc != 0:
        return "exit%d" % rc, detail
    ref_out, ref_files, ref_dir = ref[name]
    # Paths in messages and maps are the variant's: both sides read with
    # their directory replaced by "@".
    if name not in NOISY and stdout_key(name, out, d) != ref_out:
        detail = "stdout differs from the clean run's"
        return "exit0-differs", detail
    for o, refp in ref_files.items():
        p = os.path.join(d, o)
        if not os.path.exists(p):
            detail = "no %s written" % o
            return "exit0-differs", detail
        if o.endswith(".h5"):
            same, detail = h5_same(refp, p, timeout, name in NOISY)
            if not same:
                return "exit0-differs", detail
        elif file_bytes(p).replace(d.encode(), b"@") != file_bytes(refp).replace(ref_dir.encode(), b"@"):
            detail = "%s differs from the clean run's" % o
            return "exit0-differs", detail
    return "same", detail


OK_CLASSES = ("same", "refused")
# The failures named in the table even when none happened; any other exit
# status gets a column of its own ("exit1", ...).
FAIL_CLASSES = ("sanitizer", "signal", "timeout", "exit0-differs", "exit2-silent",
                "exit2-left-output")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--zonesim", default=os.path.join(ROOT, "build-fuzz", "zonesim"))
    ap.add_argument("--variants", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=10)
    ap.add_argument("--readers", default=",".join(READERS))
    ap.add_argument("--keep", default=os.path.join(HERE, "crashes", "h5flip"))
    a = ap.parse_args()
    names = [n for n in a.readers.split(",") if n]
    for n in names:
        if n not in READERS:
            die("unknown reader '%s' (readers: %s)" % (n, ", ".join(READERS)))
    if not os.access(a.zonesim, os.X_OK):
        die("no zonesim binary at %s (make fuzz-build)" % a.zonesim)
    a.zonesim = os.path.abspath(a.zonesim)
    # Sanitizer reports go to stderr and exit 86, so that they are told
    # apart from a refusal; a leak is not what this campaign looks for.
    env = os.environ
    env["ASAN_OPTIONS"] = "detect_leaks=0:exitcode=86:abort_on_error=0:symbolize=1"
    env["UBSAN_OPTIONS"] = "print_stacktrace=1:exitcode=86"
    env["OMP_NUM_THREADS"] = "1"

    # SIGTERM (make, timeout) ends the run through the finally below, so
    # the work directory goes too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
    work = tempfile.mkdtemp(prefix="h5flip-")
    try:
        t0 = time.monotonic()
        fx = Fixture(a.zonesim, work)
        ref = clean_outputs(fx, a.timeout)
        kinds = sorted({READERS[n][0] for n in names})
        jobs = []
        for kind in kinds:
            rng = random.Random("%d/%s" % (a.seed, kind))
            data = file_bytes(source_file(fx, kind))
            for v in range(a.variants):
                bad, what = damage(data, rng)
                for n in names:
                    if READERS[n][0] == kind:
                        jobs.append((kind, v, n, bad, what))

        def one(job):
            kind, v, n, bad, what = job
            d = tempfile.mkdtemp(prefix="v-", dir=work)
            f = place(fx, kind, d, bad)
            rc, out, err, secs = run_reader(fx, n, f, d, a.timeout)
            cls, detail = classify(fx, n, ref, rc, out, err, d, a.timeout)
            msg = err.decode(errors="replace").strip().splitlines()
            res = (kind, v, n, what, rc, cls, secs, msg[-1] if msg else "")
            if cls not in OK_CLASSES:
                keep(a.keep, job, res, err + detail.encode(), fx)
            shutil.rmtree(d, ignore_errors=True)
            return res

        results = []
        with cf.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            for r in ex.map(one, jobs):
                results.append(r)
        report(results, names, a, time.monotonic() - t0, fx)
        nfail = sum(1 for r in results if r[5] not in OK_CLASSES)
        return 1 if nfail else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def keep(dirpath, job, res, err, fx):
    kind, v, n, bad, what = job
    os.makedirs(dirpath, exist_ok=True)
    h = hashlib.sha1(bad).hexdigest()[:12]
    base = os.path.join(dirpath, "%s-%s" % (kind, h))
    if not os.path.exists(base + ".h5"):
        with open(base + ".h5", "wb") as g:
            g.write(bad)
    with open(base + ".txt", "a") as g:
        g.write("variant %d of %s: %s\nreader %s: %s (exit %s)\n%s\n\n" % (
            v, kind, what, n, res[5], res[4], err.decode(errors="replace")[-3000:]))


def report(results, names, a, secs, fx):
    cols = ["same", "refused"] + list(FAIL_CLASSES)
    others = sorted({r[5] for r in results} - set(cols))
    cols += others
    print("h5flip: %d variants per kind (seed %d), %d runs in %.0f s, timeout %d s, %s" % (
        a.variants, a.seed, len(results), secs, a.timeout, a.zonesim))
    w = max(len(n) for n in names) + 2
    print("%-*s" % (w, "reader") + "".join("%*s" % (len(c) + 2, c) for c in cols) +
          "   max s  clean s")
    tot = {c: 0 for c in cols}
    for n in names:
        rs = [r for r in results if r[2] == n]
        row = "%-*s" % (w, n)
        for c in cols:
            k = sum(1 for r in rs if r[5] == c)
            tot[c] += k
            row += "%*d" % (len(c) + 2, k)
        row += "   %5.1f    %5.1f" % (max((r[6] for r in rs), default=0), REF_SECS.get(n, 0))
        print(row)
    print("%-*s" % (w, "total") + "".join("%*d" % (len(c) + 2, tot[c]) for c in cols))
    nfail = sum(tot[c] for c in cols if c not in ("same", "refused"))
    if nfail:
        print("h5flip: %d FAILURES (variants and stderr kept in %s)" % (nfail, a.keep))
    else:
        print("h5flip: no failure: every reader exits 0 with the clean output or 2 with a message")


if __name__ == "__main__":
    sys.exit(main())
