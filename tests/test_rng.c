/* Tests of models/rng: golden values, re-keying, key sensitivity, and
 * statistical checks of the keyed stream as a GSL generator.
 *
 * Statistical bounds are about 5 standard deviations of the estimator at
 * the sample size used (derivations next to each check), so a correct
 * generator fails one with probability below about 1e-6; the seeds are
 * fixed, so the outcome is deterministic anyway. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "models/rng.h"
#include "check.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int popcount64(uint64_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

int main(void)
{
    gsl_rng *r = zs_rng_create();
    CHECK(r != NULL, "zs_rng_create returns a generator");
    if (!r)
        return zs_test_done();

    CHECK(strcmp(gsl_rng_name(r), ZS_RNG_NAME) == 0, "gsl_rng_name is ZS_RNG_NAME (%s)",
          gsl_rng_name(r));
    CHECK(gsl_rng_max(r) == 4294967295UL, "gsl_rng_max is 2^32-1 (%lu)", gsl_rng_max(r));
    CHECK(gsl_rng_min(r) == 0, "gsl_rng_min is 0");
    CHECK(ZS_RNG_KEY_VERSION == 1, "key-derivation version is 1 (golden values below belong "
          "to it: change both together)");

    /* Golden values, frozen from the implementation of key version 1 and
     * checked against an independent Python transcription of the mixing in
     * rng.h/rng.c (splitmix64 finaliser, x_i = mix(key + i*G), get = high
     * 32 bits, uniform = high 53 bits * 2^-53). */
    uint64_t k = zs_rng_key(1, 2, 3, 4, ZS_PURPOSE_DEMAND);
    CHECK(k == UINT64_C(0x0136e372cb0a5ef6),
          "golden key(1,2,3,4,DEMAND) = 0x0136e372cb0a5ef6 (got 0x%016" PRIx64 ")", k);
    {
        static const unsigned long want[3] = {40667197UL, 1591344520UL, 4080278495UL};
        zs_rng_rekey(r, k);
        for (int i = 0; i < 3; i++) {
            unsigned long got = gsl_rng_get(r);
            CHECK(got == want[i], "golden gsl_rng_get #%d = %lu (got %lu)", i + 1, want[i], got);
        }
    }
    {
        static const double want[3] = {0.0094685696822432996, 0.3705137688992719,
                                       0.95001386833981749};
        zs_rng_rekey(r, k);
        for (int i = 0; i < 3; i++) {
            double got = gsl_rng_uniform(r);
            CHECK(got == want[i], "golden gsl_rng_uniform #%d = %.17g (got %.17g)", i + 1,
                  want[i], got);
        }
    }
    CHECK(zs_mix64(0) == 0, "zs_mix64(0) = 0 (the splitmix64 finaliser fixes 0)");
    CHECK(zs_mix64(1) == UINT64_C(0x5692161d100b05e5),
          "golden zs_mix64(1) = 0x5692161d100b05e5 (got 0x%016" PRIx64 ")", zs_mix64(1));

    /* A fresh generator starts at key 0. */
    {
        gsl_rng *r2 = zs_rng_create();
        unsigned long a = r2 ? gsl_rng_get(r2) : 0;
        zs_rng_rekey(r, 0);
        unsigned long b = gsl_rng_get(r);
        CHECK(r2 && a == b, "zs_rng_create starts at the stream of key 0");
        gsl_rng_free(r2);
    }

    /* gsl_rng_set(r, seed) starts the stream of key mix64(seed). */
    {
        gsl_rng_set(r, 5);
        unsigned long a = gsl_rng_get(r);
        zs_rng_rekey(r, zs_mix64(5));
        CHECK(a == gsl_rng_get(r), "gsl_rng_set(r, 5) starts the stream of key zs_mix64(5)");
    }

    /* Re-keying reproduces the stream, including after other draws. */
    {
        enum { L = 1000 };
        static unsigned long s1[L];
        zs_rng_rekey(r, k);
        for (int i = 0; i < L; i++)
            s1[i] = gsl_rng_get(r);
        zs_rng_rekey(r, zs_rng_key(9, 9, 9, 9, ZS_PURPOSE_SPEED));
        (void)gsl_rng_uniform(r);
        zs_rng_rekey(r, k);
        int same = 1;
        for (int i = 0; i < L; i++)
            same &= gsl_rng_get(r) == s1[i];
        CHECK(same, "rekey restarts the stream: %d draws reproduced", L);
    }

    /* Each field of the key matters; swapping fields matters. */
    {
        const uint64_t base = zs_rng_key(1, 2, 3, 4, ZS_PURPOSE_DEMAND);
        CHECK(zs_rng_key(2, 2, 3, 4, ZS_PURPOSE_DEMAND) != base, "key differs when master differs");
        CHECK(zs_rng_key(1, 3, 3, 4, ZS_PURPOSE_DEMAND) != base, "key differs when rep differs");
        CHECK(zs_rng_key(1, 2, 4, 4, ZS_PURPOSE_DEMAND) != base, "key differs when day differs");
        CHECK(zs_rng_key(1, 2, 3, 5, ZS_PURPOSE_DEMAND) != base, "key differs when point differs");
        CHECK(zs_rng_key(1, 2, 3, 4, ZS_PURPOSE_SPEED) != base, "key differs when purpose differs");
        CHECK(zs_rng_key(1, 3, 2, 4, ZS_PURPOSE_DEMAND) != base, "swapping rep and day changes the key");
        CHECK(zs_rng_key(1, 2, 4, 3, ZS_PURPOSE_DEMAND) != base,
              "swapping day and point changes the key");
        CHECK(zs_rng_key(2, 1, 3, 4, ZS_PURPOSE_DEMAND) != base,
              "swapping master and rep changes the key");
        CHECK(zs_rng_key(0, 0, 0, 0, ZS_PURPOSE_DEMAND) != zs_rng_key(0, 0, 0, 0, ZS_PURPOSE_SPEED),
              "all-zero fields: purposes still give different keys");
        CHECK(zs_rng_key(1, 2, 3, 4, ZS_PURPOSE_DEMAND) == base, "zs_rng_key is a pure function");
    }

    /* Avalanche: flipping one bit of any field flips each key bit with
     * probability 1/2.  Hamming distance per pair: mean 32, sd
     * sqrt(64/4) = 4; mean over P = 1000 pairs: sd 4/sqrt(1000) = 0.126,
     * 5 sigma = 0.63. */
    {
        enum { P = 1000 };
        static const char *const field[4] = {"master", "rep", "day", "point"};
        for (int f = 0; f < 4; f++) {
            double sum = 0;
            for (uint64_t i = 0; i < P; i++) {
                uint64_t v[4] = {i * 7 + 1, i % 13, i % 365, i * 31};
                uint64_t a = zs_rng_key(v[0], v[1], v[2], v[3], ZS_PURPOSE_DEMAND);
                v[f] ^= UINT64_C(1) << (i % 64);
                uint64_t b = zs_rng_key(v[0], v[1], v[2], v[3], ZS_PURPOSE_DEMAND);
                sum += popcount64(a ^ b);
            }
            CHECK_NEAR(sum / P, 32.0, 0.63,
                       "one-bit change of %s flips 32 +- 0.63 key bits on average (got %.3f)",
                       field[f], sum / P);
        }
    }

    /* 10^5 distinct keys (10 reps x 100 days x 100 points): no two keys
     * and no two first uniforms (53 bits) collide.  Expected collisions
     * for random values: n^2/2 / 2^64 ~ 3e-10 for keys, n^2/2 / 2^53
     * ~ 6e-7 for uniforms.  (32-bit gsl_rng_get would expect ~1.2
     * collisions, so it is not used here.) */
    {
        enum { NK = 100000 };
        uint64_t *keys = malloc(NK * sizeof *keys), *firsts = malloc(NK * sizeof *firsts);
        CHECK(keys && firsts, "allocate 2 x 10^5 words for the collision test");
        if (keys && firsts) {
            size_t n = 0;
            for (uint64_t rep = 0; rep < 10; rep++)
                for (uint64_t day = 0; day < 100; day++)
                    for (uint64_t pt = 0; pt < 100; pt++) {
                        keys[n] = zs_rng_key(42, rep, day, pt, ZS_PURPOSE_DEMAND);
                        zs_rng_rekey(r, keys[n]);
                        firsts[n] = (uint64_t)(gsl_rng_uniform(r) * 0x1.0p53);
                        n++;
                    }
            qsort(keys, NK, sizeof *keys, cmp_u64);
            qsort(firsts, NK, sizeof *firsts, cmp_u64);
            size_t dk = 0, df = 0;
            for (size_t i = 1; i < NK; i++) {
                dk += keys[i] == keys[i - 1];
                df += firsts[i] == firsts[i - 1];
            }
            CHECK(dk == 0, "10^5 distinct (rep, day, point) give 10^5 distinct keys (%zu dup)", dk);
            CHECK(df == 0, "10^5 distinct keys give 10^5 distinct first uniforms (%zu dup)", df);
        }
        free(keys);
        free(firsts);
    }

    /* 10^6 uniforms of one stream: range, mean, variance, lag-1
     * correlation and a 100-bin chi-square.
     *   mean: Var U = 1/12, sd of the mean sqrt(1/12/N) = 2.89e-4 at
     *     N = 10^6; 5 sigma = 1.44e-3.
     *   variance: sd of the sample variance ~ sqrt((mu4 - sigma^4)/N) with
     *     mu4 = 1/80, sigma^4 = 1/144, mu4 - sigma^4 = 1/180:
     *     sqrt(1/180/10^6) = 7.45e-5; 5 sigma = 3.73e-4.
     *   lag-1 correlation: sd ~ 1/sqrt(N) = 1e-3; 5 sigma = 5e-3.
     *   chi-square with 99 degrees of freedom: reject above the 1 - 1e-6
     *     quantile (too uneven) or below the 1e-6 quantile (too even). */
    {
        enum { N = 1000000, BINS = 100 };
        static long bin[BINS];
        zs_rng_rekey(r, zs_rng_key(2026, 0, 0, 0, ZS_PURPOSE_SPEED));
        double sum = 0, sumsq = 0, lo = 1, hi = 0, prev = 0, cross = 0;
        int in_range = 1;
        for (long i = 0; i < N; i++) {
            double u = gsl_rng_uniform(r);
            in_range &= u >= 0.0 && u < 1.0;
            lo = u < lo ? u : lo;
            hi = u > hi ? u : hi;
            sum += u;
            sumsq += (u - 0.5) * (u - 0.5);
            if (i > 0)
                cross += (u - 0.5) * (prev - 0.5);
            prev = u;
            bin[(int)(u * BINS)]++;
        }
        CHECK(in_range, "10^6 gsl_rng_uniform values all lie in [0, 1) (min %.3g, max %.17g)",
              lo, hi);
        double mean = sum / N;
        double var = sumsq / N - (mean - 0.5) * (mean - 0.5);
        CHECK_NEAR(mean, 0.5, 1.44e-3, "mean of 10^6 uniforms is 1/2 +- 1.44e-3 (got %.6f)", mean);
        CHECK_NEAR(var, 1.0 / 12.0, 3.73e-4,
                   "variance of 10^6 uniforms is 1/12 +- 3.73e-4 (got %.6f)", var);
        double rho = cross / (N - 1) / (1.0 / 12.0);
        CHECK_NEAR(rho, 0.0, 5e-3, "lag-1 correlation of 10^6 uniforms is 0 +- 5e-3 (got %.5f)",
                   rho);
        double expect = (double)N / BINS, chi2 = 0;
        for (int b = 0; b < BINS; b++)
            chi2 += (bin[b] - expect) * (bin[b] - expect) / expect;
        double hi_q = gsl_cdf_chisq_Qinv(1e-6, BINS - 1), lo_q = gsl_cdf_chisq_Pinv(1e-6, BINS - 1);
        CHECK(chi2 < hi_q, "chi-square of 100 bins %.1f < %.1f (upper 1e-6 quantile, 99 df)",
              chi2, hi_q);
        CHECK(chi2 > lo_q, "chi-square of 100 bins %.1f > %.1f (lower 1e-6 quantile, 99 df)",
              chi2, lo_q);
    }

    /* Adjacent replication keys give uncorrelated first draws: M = 10^5
     * pairs, sd of the correlation 1/sqrt(M) = 3.16e-3, 5 sigma = 0.0158. */
    {
        enum { M = 100000 };
        double cross = 0, prev = 0;
        for (uint64_t rep = 0; rep <= M; rep++) {
            zs_rng_rekey(r, zs_rng_key(7, rep, 0, 0, ZS_PURPOSE_DEMAND));
            double u = gsl_rng_uniform(r);
            if (rep > 0)
                cross += (u - 0.5) * (prev - 0.5);
            prev = u;
        }
        double rho = cross / M / (1.0 / 12.0);
        CHECK_NEAR(rho, 0.0, 0.0158,
                   "first draws of keys rep and rep+1 are uncorrelated: 0 +- 0.0158 (got %.5f)",
                   rho);
    }

    /* Poisson(3.2) through GSL on the keyed streams, one draw per key as
     * the demand model does: N = 10^5 keys.
     *   mean: sd sqrt(3.2/N) = 5.66e-3; 5 sigma = 0.0283.
     *   variance: sd ~ sqrt((mu4 - sigma^4)/N) with mu4 = l(1 + 3l),
     *     sigma^4 = l^2, so sqrt((l + 2l^2)/N) = sqrt(23.68/10^5) = 0.0154;
     *     5 sigma = 0.077.
     *   P(0) = exp(-3.2) = 0.04076: sd sqrt(p(1-p)/N) = 6.25e-4;
     *     5 sigma = 3.13e-3. */
    {
        enum { N = 100000 };
        const double mu = 3.2;
        double sum = 0, sumsq = 0;
        long zeros = 0;
        for (uint64_t rep = 0; rep < N; rep++) {
            zs_rng_rekey(r, zs_rng_key(11, rep, 5, 17, ZS_PURPOSE_DEMAND));
            unsigned x = gsl_ran_poisson(r, mu);
            sum += x;
            sumsq += (double)x * x;
            zeros += x == 0;
        }
        double mean = sum / N, var = (sumsq - sum * mean) / (N - 1);
        CHECK_NEAR(mean, mu, 0.0283, "Poisson(3.2) over 10^5 keys: mean 3.2 +- 0.0283 (got %.4f)",
                   mean);
        CHECK_NEAR(var, mu, 0.077, "Poisson(3.2) over 10^5 keys: variance 3.2 +- 0.077 (got %.4f)",
                   var);
        CHECK_NEAR((double)zeros / N, exp(-mu), 3.13e-3,
                   "Poisson(3.2) over 10^5 keys: P(0) = 0.0408 +- 3.13e-3 (got %.4f)",
                   (double)zeros / N);

        /* The same along one stream. */
        zs_rng_rekey(r, zs_rng_key(11, 0, 0, 0, ZS_PURPOSE_WAITING));
        sum = sumsq = 0;
        for (long i = 0; i < N; i++) {
            unsigned x = gsl_ran_poisson(r, mu);
            sum += x;
            sumsq += (double)x * x;
        }
        mean = sum / N;
        var = (sumsq - sum * mean) / (N - 1);
        CHECK_NEAR(mean, mu, 0.0283,
                   "Poisson(3.2) along one stream: mean 3.2 +- 0.0283 (got %.4f)", mean);
        CHECK_NEAR(var, mu, 0.077,
                   "Poisson(3.2) along one stream: variance 3.2 +- 0.077 (got %.4f)", var);
    }

    gsl_rng_free(r);
    return zs_test_done();
}
