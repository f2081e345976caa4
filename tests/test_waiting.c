/* Tests of models/waiting: validation, lognormal moments, calibration. */
#include <math.h>
#include <stdlib.h>

#include "models/rng.h"
#include "models/waiting.h"
#include "check.h"

int main(void)
{
    zs_waiting w;
    zs_err err;
    zs_waiting_defaults(&w);
    CHECK(zs_waiting_validate(&w, &err) == ZS_OK, "defaults are valid");
    CHECK(w.mean_min[ZS_PT_FACTORY] > w.mean_min[ZS_PT_RESIDENTIAL] &&
          w.mean_min[ZS_PT_OFFICE] > w.mean_min[ZS_PT_RESIDENTIAL],
          "factories and offices wait longer than homes");
    zs_waiting b = w;
    b.cv[ZS_PT_HOSPITAL] = -0.5;
    CHECK(zs_waiting_validate(&b, &err) == ZS_EINVAL, "negative cv rejected");
    CHECK_CONTAINS(err.msg, "waiting.cv.hospital = -0.5; must be >= 0", "message names type and value");

    /* Moments of 100,000 draws for mean 6, cv 1 (sd 6): the sample mean's
     * standard error is 6 / sqrt(1e5) = 0.019; 5 se = 0.095.  The sample
     * cv converges slowly for a lognormal (heavy tail), so 5% is allowed. */
    gsl_rng *r = zs_rng_create();
    enum { N = 100000 };
    double *x = malloc(N * sizeof *x), s = 0, ss = 0;
    int *t = malloc(N * sizeof *t);
    for (int i = 0; i < N; i++) {
        zs_rng_rekey(r, zs_rng_key(9, (uint64_t)i, 1, 2, ZS_PURPOSE_WAITING));
        x[i] = zs_waiting_draw(&w, ZS_PT_FACTORY, r);
        t[i] = ZS_PT_FACTORY;
        s += x[i];
    }
    double mean = s / N;
    for (int i = 0; i < N; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    double cv = sqrt(ss / (N - 1)) / mean;
    CHECK_NEAR(mean, 6.0, 0.095, "factory waits average 6 min (got %.4f)", mean);
    CHECK_NEAR(cv, 1.0, 0.05, "factory waits have cv 1 (got %.4f)", cv);
    int pos = 1;
    for (int i = 0; i < N; i++)
        pos &= x[i] > 0;
    CHECK(pos, "waits are positive");

    /* Calibration recovers what was drawn (method of moments). */
    zs_waiting c;
    zs_waiting_defaults(&c);
    c.mean_min[ZS_PT_FACTORY] = 1;
    c.cv[ZS_PT_FACTORY] = 0.1;
    CHECK(zs_waiting_calibrate(&c, x, t, N, &err) == ZS_OK, "calibration runs");
    CHECK(fabs(c.mean_min[ZS_PT_FACTORY] - mean) < 1e-12 && fabs(c.cv[ZS_PT_FACTORY] - cv) < 1e-12,
          "calibrated mean and cv equal the sample's");
    CHECK(c.mean_min[ZS_PT_OFFICE] == w.mean_min[ZS_PT_OFFICE], "types without data keep their values");
    x[5] = -1;
    CHECK(zs_waiting_calibrate(&c, x, t, N, &err) == ZS_EINVAL, "a negative wait is rejected");
    CHECK_CONTAINS(err.msg, "waiting observation 5 = -1; must be >= 0", "observation message");

    w.mean_min[ZS_PT_SHOP] = 0;
    zs_rng_rekey(r, 5);
    CHECK(zs_waiting_draw(&w, ZS_PT_SHOP, r) == 0.0, "a zero mean gives no waiting");
    free(x);
    free(t);
    gsl_rng_free(r);
    return zs_test_done();
}
