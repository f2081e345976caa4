/*
 * tests/pmed_graphs.h -- test instances for the p-median tests
 * (test_pmedian_coarse.c, test_pmedian_tree.c): a seeded generator,
 * OR-Library-like graphs (Beasley's recipe: a cycle plus random edges,
 * shortest paths) and the optimum by enumeration.  Static functions: one
 * copy per test program.
 */
#ifndef ZS_TESTS_PMED_GRAPHS_H
#define ZS_TESTS_PMED_GRAPHS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

static __attribute__((unused)) uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* n x n shortest-path distances of a cycle plus extra random edges. */
static __attribute__((unused)) void beasley_graph(size_t n, size_t extra, uint64_t seed, double *D)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n * n; i++)
        D[i] = INFINITY;
    for (size_t i = 0; i < n; i++)
        D[i * n + i] = 0;
    for (size_t e = 0; e < n + extra; e++) {
        size_t i = e < n ? e : lcg(&s) % n, j = e < n ? (e + 1) % n : lcg(&s) % n;
        double c = (double)(1 + lcg(&s) % 100);
        if (i == j)
            continue;
        D[i * n + j] = D[j * n + i] = c;
    }
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (D[i * n + k] + D[k * n + j] < D[i * n + j])
                    D[i * n + j] = D[i * n + k] + D[k * n + j];
}

/* The least weighted cost over every set of p medians (p <= 4). */
static __attribute__((unused)) double enumerate(const double *D, const double *w, size_t n, size_t m, size_t p)
{
    size_t idx[4];
    double best = INFINITY;
    for (size_t i = 0; i < p; i++)
        idx[i] = i;
    for (;;) {
        double cost = 0;
        for (size_t i = 0; i < n; i++) {
            double d = INFINITY;
            for (size_t r = 0; r < p; r++)
                d = fmin(d, D[i * m + idx[r]]);
            cost += (w ? w[i] : 1.0) * d;
        }
        best = fmin(best, cost);
        size_t r = p;
        while (r > 0 && idx[r - 1] == m - p + r - 1)
            r--;
        if (r == 0)
            break;
        idx[r - 1]++;
        for (size_t q = r; q < p; q++)
            idx[q] = idx[q - 1] + 1;
    }
    return best;
}

#endif
