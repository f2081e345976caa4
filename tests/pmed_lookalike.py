#!/usr/bin/env python3
"""Writes an OR-Library p-median look-alike (Beasley 1985's recipe, as the
pmed1..20 files show it): vertices 1..n on a cycle 1-2-...-n-1, then
random edges up to m in all (repeats allowed; the reader keeps the last),
every cost a uniform integer in 1..100; distances are the shortest paths.

usage: pmed_lookalike.py N M P SEED OUT
For the bench only (tests/bench_pmedian.sh): pmed21..40 are not in the
repository, and these stand in for their sizes."""
import random
import sys

n, m, p, seed = (int(a) for a in sys.argv[1:5])
rng = random.Random(seed)
with open(sys.argv[5], "w") as f:
    f.write(" %d %d %d \n" % (n, m, p))
    for i in range(1, n + 1):
        f.write(" %d %d %d \n" % (i, i % n + 1, rng.randint(1, 100)))
    for _ in range(m - n):
        i, j = rng.randint(1, n), rng.randint(1, n)
        while j == i:
            j = rng.randint(1, n)
        f.write(" %d %d %d \n" % (i, j, rng.randint(1, 100)))
