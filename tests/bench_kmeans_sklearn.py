"""scikit-learn's Lloyd from given initial centres: the peer of zonesim's k-means.

Usage: bench_kmeans_sklearn.py POINTS.xy INIT.init THREADS MAX_ITER [LABELS_OUT] [REPEAT]

POINTS.xy and INIT.init are raw float64 (x, y) pairs, as tests/bench_kmeans.c
--dump and tests/test_kmeans_sklearn.c write them.  Runs
KMeans(algorithm="lloyd", n_init=1, init=<centres>, tol=0, max_iter=MAX_ITER)
with the OpenMP pool limited to THREADS (threadpoolctl), REPEAT times (default
1), and prints one line for the fastest run:
    sklearn n=N k=K threads=T iterations=I ms_per_iter=X sse=S
LABELS_OUT (unless "-") receives one label per line.  Exit status 77, with a
SKIP line, when scikit-learn or threadpoolctl cannot be imported.
"""
import sys
import time

try:
    import numpy as np
    import sklearn
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits
except ImportError as e:  # the caller reports a SKIP, not a failure
    print(f"SKIP: scikit-learn peer unavailable ({e})")
    sys.exit(77)


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    xy = np.fromfile(argv[1], dtype="<f8").reshape(-1, 2)
    init = np.fromfile(argv[2], dtype="<f8").reshape(-1, 2)
    threads, max_iter = int(argv[3]), int(argv[4])
    labels_out = argv[5] if len(argv) > 5 else "-"
    repeat = int(argv[6]) if len(argv) > 6 else 1
    best = None
    for _ in range(repeat):
        km = KMeans(n_clusters=len(init), init=init, n_init=1, algorithm="lloyd",
                    tol=0.0, max_iter=max_iter, copy_x=True)
        with threadpool_limits(limits=threads, user_api="openmp"):
            t0 = time.perf_counter()
            km.fit(xy)
            dt = time.perf_counter() - t0
        if best is None or dt < best:
            best = dt
    # inertia_ is computed by sklearn in float64 from its final labels and centres.
    print(f"sklearn n={len(xy)} k={len(init)} threads={threads} iterations={km.n_iter_} "
          f"ms_per_iter={1e3 * best / km.n_iter_:.4f} sse={km.inertia_!r} "
          f"version={sklearn.__version__}")
    if labels_out != "-":
        np.savetxt(labels_out, km.labels_, fmt="%d")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
