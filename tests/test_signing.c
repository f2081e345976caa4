/* Tests of models/signing: validation, outcome frequencies, calibration. */
#include <math.h>
#include <string.h>

#include "../models/rng.h"
#include "../models/signing.h"
#include "check.h"

int main(void)
{
    zs_signing s;
    zs_err err;
    zs_signing_defaults(&s);
    CHECK(zs_signing_validate(&s, &err) == ZS_OK, "defaults are valid");
    CHECK(s.p_success[ZS_PT_OFFICE] > s.p_success[ZS_PT_RESIDENTIAL] &&
          s.p_success[ZS_PT_RESIDENTIAL] > s.p_success[ZS_PT_SCHOOL],
          "offices sign more often than estates, estates more than campuses");
    zs_signing b = s;
    b.p_success[ZS_PT_OFFICE] = 1.2;
    CHECK(zs_signing_validate(&b, &err) == ZS_EINVAL, "success 1.2 rejected");
    CHECK_CONTAINS(err.msg, "signing.success.office = 1.2; must be in [0, 1]", "message names type and value");
    b = s;
    b.p_locker[ZS_PT_SHOP] = 0.7;
    b.p_refuse[ZS_PT_SHOP] = 0.4;
    CHECK(zs_signing_validate(&b, &err) == ZS_EINVAL, "locker + refuse > 1 rejected");
    CHECK_CONTAINS(err.msg, "signing.locker.shop + signing.refuse.shop = 1.1; must be <= 1", "sum message");
    b = s;
    b.call_min = -1;
    CHECK(zs_signing_validate(&b, &err) == ZS_EINVAL, "negative call time rejected");

    /* Outcome frequencies over 200,000 keyed draws: each share within 5
     * binomial standard errors (sqrt(p(1-p)/n) <= 0.0012 at n = 2e5). */
    gsl_rng *r = zs_rng_create();
    enum { N = 200000 };
    double cnt[4] = {0};
    for (int i = 0; i < N; i++) {
        zs_rng_rekey(r, zs_rng_key(3, (uint64_t)i, 0, 0, ZS_PURPOSE_SIGNING));
        cnt[zs_signing_draw(&s, ZS_PT_RESIDENTIAL, r)] += 1;
    }
    double p = s.p_success[0], q = 1 - p;
    double want[4] = {p, q * (1 - s.p_locker[0] - s.p_refuse[0]), q * s.p_locker[0], q * s.p_refuse[0]};
    const char *name[4] = {"signed", "redelivered", "locker", "refused"};
    for (int k = 0; k < 4; k++) {
        double se = sqrt(want[k] * (1 - want[k]) / N);
        CHECK_NEAR(cnt[k] / N, want[k], 5 * se, "residential %s share %.4f vs %.4f", name[k], cnt[k] / N, want[k]);
    }
    zs_rng_rekey(r, 77);
    zs_sign_outcome o1 = zs_signing_draw(&s, ZS_PT_SCHOOL, r);
    double after1 = gsl_rng_uniform(r);
    zs_rng_rekey(r, 77);
    zs_sign_outcome o2 = zs_signing_draw(&s, ZS_PT_SCHOOL, r);
    double after2 = gsl_rng_uniform(r);
    CHECK(o1 == o2 && after1 == after2, "a draw is reproducible and always uses two uniforms");
    gsl_rng_free(r);

    /* Calibration: p = successes / attempts; untouched types keep theirs. */
    double att[ZS_PT_COUNT] = {0}, suc[ZS_PT_COUNT] = {0};
    att[ZS_PT_VILLAGE] = 400;
    suc[ZS_PT_VILLAGE] = 240;
    zs_signing c = s;
    CHECK(zs_signing_calibrate(&c, att, suc, &err) == ZS_OK, "calibration runs");
    CHECK(c.p_success[ZS_PT_VILLAGE] == 0.6 && c.p_success[ZS_PT_OFFICE] == s.p_success[ZS_PT_OFFICE],
          "calibrated village rate 240/400 = 0.6, office unchanged");
    suc[ZS_PT_VILLAGE] = 500;
    CHECK(zs_signing_calibrate(&c, att, suc, &err) == ZS_EINVAL, "more successes than attempts rejected");
    CHECK_CONTAINS(err.msg, "signing counts for village: 500 successes of 400 attempts", "count message");
    return zs_test_done();
}
