#!/usr/bin/env python3
"""Byte flips in one HDF5 file zonesim wrote, each variant run through
zonesim commands (issue 22): every run must exit 0 with the output the
undamaged file gives, or exit 2 with a message naming the file; never a
signal, another status or a run over the time limit.

    flip_h5.py ZONESIM WORKDIR FILE COUNT SEED CMD...

FILE is copied to WORKDIR/v/NAME for each variant and one byte flipped (a
FILE of the form DIR::REL copies the folder DIR to WORKDIR/v/ and flips
its file REL; {} is then the copied folder) (a
random bit, at a random offset: one variant in eight in the first 512
bytes, where the checksum record is); CMD is a zonesim command line in
which {} stands for that copy and {d} for WORKDIR/v (put outputs there).
CMD may be given several times separated by "--".  A command whose exit 0
must leave identical output is compared on stdout, lines containing
"written" (creation times) and seconds ("0.01 s") aside.  Prints one summary line per command
and "flip_h5: N variants, ..." and exits 1 when any run failed the rule.
"""
import os
import random
import re
import shutil
import subprocess
import sys
import time

LIMIT_S = 10


def run(zs, args, cwd):
    t = time.time()
    try:
        p = subprocess.run([zs] + args, cwd=cwd, capture_output=True, text=True,
                           errors="replace", timeout=LIMIT_S)
        return p.returncode, p.stdout, p.stderr, time.time() - t
    except subprocess.TimeoutExpired:
        return "timeout", "", "", time.time() - t


def stable(out):
    # Creation times and solver seconds ("..., 0.01 s") vary between runs.
    return [re.sub(r"\d+\.\d+ s\b", "- s", l) for l in out.splitlines() if "written" not in l]


def main():
    zs, work, src, count, seed = sys.argv[1:6]
    count, seed = int(count), int(seed)
    cmds, cur = [], []
    for a in sys.argv[6:]:
        if a == "--":
            cmds.append(cur)
            cur = []
        else:
            cur.append(a)
    if cur:
        cmds.append(cur)
    vdir = os.path.join(work, "v")
    tree, rel = src.split("::", 1) if "::" in src else (None, None)
    name = os.path.basename(tree if tree else src)
    data = open(os.path.join(tree, rel) if tree else src, "rb").read()
    rng = random.Random(seed)

    def prepare(blob):
        shutil.rmtree(vdir, ignore_errors=True)
        os.makedirs(vdir)
        top = os.path.join(vdir, name)
        if tree:
            shutil.copytree(tree, top)
        with open(os.path.join(top, rel) if tree else top, "wb") as f:
            f.write(blob)
        return top

    def fill(cmd, path):
        return [a.replace("{}", path).replace("{d}", vdir) for a in cmd]

    # The undamaged file's output for each command.
    ref = []
    for cmd in cmds:
        path = prepare(data)
        rc, out, err, _ = run(zs, fill(cmd, path), work)
        if rc != 0:
            print("FAIL: flip_h5: %s on the undamaged file exits %s: %s" % (" ".join(cmd), rc, err.strip()))
            return 1
        ref.append(stable(out))
    stats = [{"same": 0, "refused": 0, "bad": 0, "slowest": 0.0} for _ in cmds]
    bad_lines = []
    for v in range(count):
        off = rng.randrange(512) if rng.random() < 0.125 else rng.randrange(len(data))
        blob = bytearray(data)
        blob[off] ^= 1 << rng.randrange(8)
        for i, cmd in enumerate(cmds):
            path = prepare(bytes(blob))
            rc, out, err, dt = run(zs, fill(cmd, path), work)
            s = stats[i]
            s["slowest"] = max(s["slowest"], dt)
            if rc == 0 and stable(out) == ref[i]:
                s["same"] += 1
            elif rc == 2 and err.strip() and "zonesim" in err:
                s["refused"] += 1
            else:
                s["bad"] += 1
                if len(bad_lines) < 10:
                    bad_lines.append("      offset %d: %s -> exit %s, %s" %
                                     (off, " ".join(cmd), rc, (err.strip() or out.strip())[:300]))
    total_bad = 0
    for cmd, s in zip(cmds, stats):
        total_bad += s["bad"]
        print("   %-40s %d same, %d refused (exit 2), %d other; slowest %.2f s" %
              (" ".join(cmd)[:40], s["same"], s["refused"], s["bad"], s["slowest"]))
    for l in bad_lines:
        print(l)
    print("flip_h5: %d variants of %s x %d commands, %d runs broke the rule" %
          (count, name, len(cmds), total_bad))
    shutil.rmtree(vdir, ignore_errors=True)
    return 1 if total_bad else 0


if __name__ == "__main__":
    sys.exit(main())
