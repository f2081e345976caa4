#include "models/signing.h"

#include <math.h>
#include <string.h>

void zs_signing_defaults(zs_signing *s)
{
    /* Station practice (DESIGN.md): estates, schools and villages sign
     * least in working hours; offices, shops and factories most. */
    static const double succ[ZS_PT_COUNT] = {.80, .95, .70, .90, .92, .75, .90, .85, .95, .85,
                                             1, 1};
    static const double lock[ZS_PT_COUNT] = {.50, .20, .40, .10, .10, .20, .10, .00, .10, .20,
                                             0, 0};
    static const double refu[ZS_PT_COUNT] = {.02, .01, .02, .01, .01, .03, .01, .01, .02, .02,
                                             0, 0};
    memcpy(s->p_success, succ, sizeof succ);
    memcpy(s->p_locker, lock, sizeof lock);
    memcpy(s->p_refuse, refu, sizeof refu);
    s->call_min = 1.5;
    for (int t = 0; t < ZS_PT_COUNT; t++)
        s->p_success_off[t] = ZS_SIGNING_SAME;
    s->work_start_h = 9.0; /* 9:00-18:00 (DESIGN.md) */
    s->work_end_h = 18.0;
}

static int prob_ok(double p)
{
    return p >= 0.0 && p <= 1.0;
}

zs_status zs_signing_validate(const zs_signing *s, zs_err *err)
{
    for (int t = 0; t < ZS_PT_COUNT; t++) {
        if (!prob_ok(s->p_success[t]))
            return zs_err_set(err, ZS_EINVAL, "signing.success.%s = %g; must be in [0, 1]",
                              zs_ptype_name(t), s->p_success[t]);
        if (!prob_ok(s->p_success_off[t]) && s->p_success_off[t] != ZS_SIGNING_SAME)
            return zs_err_set(err, ZS_EINVAL, "signing.success_off_hours.%s = %g; must be in [0, 1]",
                              zs_ptype_name(t), s->p_success_off[t]);
        if (!prob_ok(s->p_locker[t]))
            return zs_err_set(err, ZS_EINVAL, "signing.locker.%s = %g; must be in [0, 1]",
                              zs_ptype_name(t), s->p_locker[t]);
        if (!prob_ok(s->p_refuse[t]))
            return zs_err_set(err, ZS_EINVAL, "signing.refuse.%s = %g; must be in [0, 1]",
                              zs_ptype_name(t), s->p_refuse[t]);
        if (s->p_locker[t] + s->p_refuse[t] > 1.0)
            return zs_err_set(err, ZS_EINVAL,
                              "signing.locker.%s + signing.refuse.%s = %g; must be <= 1",
                              zs_ptype_name(t), zs_ptype_name(t), s->p_locker[t] + s->p_refuse[t]);
    }
    if (!(s->call_min >= 0.0) || !isfinite(s->call_min))
        return zs_err_set(err, ZS_EINVAL, "signing.call_min = %g; must be >= 0", s->call_min);
    if (!(s->work_start_h >= 0.0 && s->work_start_h < s->work_end_h && s->work_end_h <= 24.0))
        return zs_err_set(err, ZS_EINVAL,
                          "signing working hours %g-%g h; need 0 <= work_start < work_end <= 24",
                          s->work_start_h, s->work_end_h);
    return ZS_OK;
}

/* One attempt with success probability p; always two draws, so the stream
 * position never depends on the outcome (keeps later draws of the same key
 * comparable). */
static zs_sign_outcome draw_p(const zs_signing *s, int type, double p, gsl_rng *r)
{
    double u = gsl_rng_uniform(r), v = gsl_rng_uniform(r);
    if (u < p)
        return ZS_SIGN_OK;
    if (v < s->p_locker[type])
        return ZS_SIGN_LOCKER;
    if (v < s->p_locker[type] + s->p_refuse[type])
        return ZS_SIGN_REFUSED;
    return ZS_SIGN_REDELIVER;
}

zs_sign_outcome zs_signing_draw(const zs_signing *s, int type, gsl_rng *r)
{
    return draw_p(s, type, s->p_success[type], r);
}

double zs_signing_p_success_at(const zs_signing *s, int type, double minute_of_day)
{
    if (s->p_success_off[type] == ZS_SIGNING_SAME)
        return s->p_success[type];
    double h = fmod(minute_of_day, 1440.0) / 60.0;
    if (h < 0.0)
        h += 24.0;
    int working = h >= s->work_start_h && h < s->work_end_h;
    return working ? s->p_success[type] : s->p_success_off[type];
}

zs_sign_outcome zs_signing_draw_at(const zs_signing *s, int type, double minute_of_day,
                                   gsl_rng *r)
{
    return draw_p(s, type, zs_signing_p_success_at(s, type, minute_of_day), r);
}

/* p[t] = successes / attempts for types with attempts; the message is
 * prefixed with what (e.g. "signing counts"). */
static zs_status fit_rates(double p[ZS_PT_COUNT], const double attempts[ZS_PT_COUNT],
                           const double successes[ZS_PT_COUNT], const char *what, zs_err *err)
{
    for (int t = 0; t < ZS_PT_COUNT; t++)
        if (!(attempts[t] >= 0.0) || !(successes[t] >= 0.0) || successes[t] > attempts[t] ||
            !isfinite(attempts[t]))
            return zs_err_set(err, ZS_EINVAL,
                              "%s for %s: %g successes of %g attempts; need 0 <= successes <= attempts",
                              what, zs_ptype_name(t), successes[t], attempts[t]);
    for (int t = 0; t < ZS_PT_COUNT; t++)
        if (attempts[t] > 0.0)
            p[t] = successes[t] / attempts[t];
    return ZS_OK;
}

zs_status zs_signing_calibrate(zs_signing *s, const double attempts[ZS_PT_COUNT],
                               const double successes[ZS_PT_COUNT], zs_err *err)
{
    return fit_rates(s->p_success, attempts, successes, "signing counts", err);
}

zs_status zs_signing_calibrate_off_hours(zs_signing *s, const double attempts[ZS_PT_COUNT],
                                         const double successes[ZS_PT_COUNT], zs_err *err)
{
    return fit_rates(s->p_success_off, attempts, successes, "off-hours signing counts", err);
}
