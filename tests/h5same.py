"""Exact comparison of two zonesim HDF5 files (used by the e2e tests).

usage: h5same.py A.h5 B.h5 [--data-only] [--other-build] [--new-metric NAME]... [--skip PATH]...

Every group and dataset must exist in both files; datasets must agree in
shape, type, chunking, filters and every byte of their values; attributes
must agree exactly, except the ones that record a moment (root
created_utc, /plans/<plan>/runtime_s, the wall time of the method, and
/service/<plan>/roster runtime_s, that of the agent shifts),
which differ between any two runs of one scenario.  --data-only skips the
attributes; --other-build also skips the root git_commit (files written by
two builds of the engine, e.g. before and after a change).  --new-metric
NAME (repeatable) compares a file written before metric NAME was added
with one written after: its /sim and /summary datasets are left out and
its row of the /summary tables (and of their metrics/units attributes) is
dropped before comparing.  --skip PATH (repeatable) leaves out the
group or dataset PATH and everything below it.  Prints the first differences and exits 1 when there are any,
else prints "same: N datasets, M attributes" and exits 0.
"""
import sys

import h5py
import numpy as np

MOMENT = {("/", "created_utc")}
MOMENT_IN = {("/plans/", "runtime_s")}
MOMENT_ROSTER = ("/service/", "/roster", "runtime_s")  # the shifts' solve time


def moment(path, name):
    if (path, name) in MOMENT:
        return True
    if path.startswith(MOMENT_ROSTER[0]) and path.endswith(MOMENT_ROSTER[1]) and name == MOMENT_ROSTER[2]:
        return True
    return any(path.startswith(p) and path.count("/") == 2 and name == n for p, n in MOMENT_IN)


def same_value(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "O":  # variable-length strings
        return all(x == y for x, y in zip(a.ravel(), b.ravel()))
    return a.tobytes() == b.tobytes()


def drop_metric_rows(path, obj, value, new_metrics):
    """The /summary table value (or its attribute) without the new metrics' rows."""
    if not new_metrics or not path.startswith("/summary/") or \
            path.rsplit("/", 1)[-1] not in ("day_total", "zone_day"):
        return value
    names = [m.decode() if isinstance(m, bytes) else str(m) for m in obj.attrs.get("metrics", [])]
    keep = [i for i, m in enumerate(names) if m not in new_metrics]
    v = np.asarray(value)
    if len(names) != (v.shape[0] if v.ndim else 0):
        return value
    return v[keep]


def main():
    argv = sys.argv[1:]
    new_metrics = set()
    skip = []
    while "--skip" in argv:
        i = argv.index("--skip")
        skip.append(argv[i + 1].rstrip("/"))
        del argv[i:i + 2]
    while "--new-metric" in argv:
        i = argv.index("--new-metric")
        new_metrics.add(argv[i + 1])
        del argv[i:i + 2]
    args = [x for x in argv if not x.startswith("--")]
    data_only = "--data-only" in sys.argv
    if "--other-build" in sys.argv:
        MOMENT.add(("/", "git_commit"))
    fa, fb = h5py.File(args[0], "r"), h5py.File(args[1], "r")
    diffs, nd, na = [], 0, 0

    def objects(f):
        out = {"/": f}
        f.visititems(lambda n, o: out.__setitem__("/" + n, o))
        return out

    oa, ob = objects(fa), objects(fb)
    for o in (oa, ob):
        for p in [p for p in o if any(p == k or p.startswith(k + "/") for k in skip)]:
            del o[p]
    for o in (oa, ob):
        for p in [p for p in o if p.rsplit("/", 1)[-1] in new_metrics and
                  (p.startswith("/sim/") or p.startswith("/summary/"))]:
            del o[p]
    for p in sorted(set(oa) ^ set(ob)):
        diffs.append("only in %s: %s" % (args[0] if p in oa else args[1], p))
    for p in sorted(set(oa) & set(ob)):
        x, y = oa[p], ob[p]
        if isinstance(x, h5py.Dataset) != isinstance(y, h5py.Dataset):
            diffs.append("%s: a dataset in one file only" % p)
            continue
        if isinstance(x, h5py.Dataset):
            nd += 1
            if (x.chunks, x.compression, x.compression_opts, x.shuffle) != \
               (y.chunks, y.compression, y.compression_opts, y.shuffle):
                diffs.append("%s: storage differs (%s vs %s)" % (p, (x.chunks, x.compression), (y.chunks, y.compression)))
            if x.dtype != y.dtype or (x.shape != y.shape and not new_metrics):
                diffs.append("%s: %s %s vs %s %s" % (p, x.dtype, x.shape, y.dtype, y.shape))
            elif x.size and not same_value(drop_metric_rows(p, x, x[()], new_metrics),
                                           drop_metric_rows(p, y, y[()], new_metrics)):
                diffs.append("%s: values differ" % p)
        if data_only:
            continue
        for n in sorted(set(x.attrs) | set(y.attrs)):
            na += 1
            if moment(p, n):
                continue
            if n not in x.attrs or n not in y.attrs:
                diffs.append("%s: attribute %s only in %s" % (p, n, args[0] if n in x.attrs else args[1]))
            elif not same_value(drop_metric_rows(p, x, x.attrs[n], new_metrics) if n in ("metrics", "units") else x.attrs[n],
                                drop_metric_rows(p, y, y.attrs[n], new_metrics) if n in ("metrics", "units") else y.attrs[n]):
                diffs.append("%s: attribute %s differs" % (p, n))
    if diffs:
        for d in diffs[:20]:
            print("  " + d)
        sys.exit(1)
    print("same: %d datasets, %d attributes" % (nd, na))


if __name__ == "__main__":
    main()
