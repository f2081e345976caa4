/* Tests of models/signing: validation, outcome frequencies, calibration. */
#include <math.h>
#include <string.h>

#include "models/rng.h"
#include "models/signing.h"
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

    /* Time of day. */
    zs_signing d = s;
    int same = 1;
    for (int t = 0; t < ZS_PT_COUNT; t++)
        for (double m = 0; m < 1440; m += 30)
            same &= zs_signing_p_success_at(&d, t, m) == d.p_success[t];
    CHECK(same && d.work_start_h == 9 && d.work_end_h == 18,
          "default: the same probability all day; working hours 9:00-18:00");
    d.p_success_off[ZS_PT_OFFICE] = 0.3;
    d.p_success_off[ZS_PT_RESIDENTIAL] = 0.95;
    CHECK(zs_signing_validate(&d, &err) == ZS_OK, "off-hours probabilities validate");
    CHECK(zs_signing_p_success_at(&d, ZS_PT_OFFICE, 9 * 60) == d.p_success[ZS_PT_OFFICE] &&
          zs_signing_p_success_at(&d, ZS_PT_OFFICE, 17 * 60 + 59) == d.p_success[ZS_PT_OFFICE] &&
          zs_signing_p_success_at(&d, ZS_PT_OFFICE, 18 * 60) == 0.3 &&
          zs_signing_p_success_at(&d, ZS_PT_OFFICE, 8 * 60 + 59) == 0.3 &&
          zs_signing_p_success_at(&d, ZS_PT_OFFICE, 24 * 60 + 10 * 60) == d.p_success[ZS_PT_OFFICE],
          "offices: working hours [9:00, 18:00) sign at .95, outside at .3 (next day wraps)");
    CHECK(zs_signing_p_success_at(&d, ZS_PT_RESIDENTIAL, 20 * 60) == 0.95 &&
          zs_signing_p_success_at(&d, ZS_PT_RESIDENTIAL, 11 * 60) == d.p_success[ZS_PT_RESIDENTIAL] &&
          zs_signing_p_success_at(&d, ZS_PT_SCHOOL, 20 * 60) == d.p_success[ZS_PT_SCHOOL],
          "estates sign more in the evening; types left at 'same' do not change");
    gsl_rng *g = zs_rng_create();
    int equal = 1;
    for (uint64_t i = 0; i < 2000; i++) {
        zs_rng_rekey(g, zs_rng_key(4, i, 0, 0, ZS_PURPOSE_SIGNING));
        zs_sign_outcome o = zs_signing_draw(&s, (int)(i % ZS_PT_COUNT), g);
        zs_rng_rekey(g, zs_rng_key(4, i, 0, 0, ZS_PURPOSE_SIGNING));
        equal &= o == zs_signing_draw_at(&s, (int)(i % ZS_PT_COUNT), (double)(i % 1440), g);
    }
    CHECK(equal, "with 'same' the timed draw gives the untimed outcome for every key");
    double ok_day = 0, ok_eve = 0;
    for (uint64_t i = 0; i < 20000; i++) {
        zs_rng_rekey(g, zs_rng_key(4, i, 1, 0, ZS_PURPOSE_SIGNING));
        ok_day += zs_signing_draw_at(&d, ZS_PT_OFFICE, 10 * 60, g) == ZS_SIGN_OK;
        zs_rng_rekey(g, zs_rng_key(4, i, 1, 0, ZS_PURPOSE_SIGNING));
        ok_eve += zs_signing_draw_at(&d, ZS_PT_OFFICE, 19 * 60, g) == ZS_SIGN_OK;
    }
    CHECK_NEAR(ok_day / 20000, 0.95, 5 * sqrt(0.95 * 0.05 / 20000), "office at 10:00: %.4f signed", ok_day / 20000);
    CHECK_NEAR(ok_eve / 20000, 0.3, 5 * sqrt(0.3 * 0.7 / 20000), "office at 19:00: %.4f signed", ok_eve / 20000);
    gsl_rng_free(g);
    b = d;
    b.p_success_off[ZS_PT_OFFICE] = 1.2;
    CHECK(zs_signing_validate(&b, &err) == ZS_EINVAL, "off-hours 1.2 rejected");
    CHECK_CONTAINS(err.msg, "signing.success_off_hours.office = 1.2; must be in [0, 1]", "off-hours message");
    b = d;
    b.work_start_h = 18;
    b.work_end_h = 9;
    CHECK(zs_signing_validate(&b, &err) == ZS_EINVAL, "working hours ending before they start rejected");
    CHECK_CONTAINS(err.msg, "signing working hours 18-9 h; need 0 <= work_start < work_end <= 24", "hours message");
    double att2[ZS_PT_COUNT] = {0}, suc2[ZS_PT_COUNT] = {0};
    att2[ZS_PT_RESIDENTIAL] = 200;
    suc2[ZS_PT_RESIDENTIAL] = 190;
    zs_signing e = s;
    CHECK(zs_signing_calibrate_off_hours(&e, att2, suc2, &err) == ZS_OK &&
          e.p_success_off[ZS_PT_RESIDENTIAL] == 0.95 && e.p_success_off[ZS_PT_OFFICE] == ZS_SIGNING_SAME &&
          e.p_success[ZS_PT_RESIDENTIAL] == s.p_success[ZS_PT_RESIDENTIAL],
          "evening attempts calibrate the off-hours rate only (190/200 = 0.95)");
    suc2[ZS_PT_RESIDENTIAL] = 300;
    CHECK(zs_signing_calibrate_off_hours(&e, att2, suc2, &err) == ZS_EINVAL, "off-hours counts checked");
    CHECK_CONTAINS(err.msg, "off-hours signing counts for residential: 300 successes of 200 attempts", "off-hours count message");
    return zs_test_done();
}
