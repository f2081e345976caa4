#include "signing.h"

#include <math.h>
#include <string.h>

void zs_signing_defaults(zs_signing *s)
{
    /* Station practice (DESIGN.md): estates, schools and villages sign
     * least in working hours; offices, shops and factories most. */
    static const double succ[ZS_PT_COUNT] = {.80, .95, .70, .90, .92, .75, .90, .85, .95, .85};
    static const double lock[ZS_PT_COUNT] = {.50, .20, .40, .10, .10, .20, .10, .00, .10, .20};
    static const double refu[ZS_PT_COUNT] = {.02, .01, .02, .01, .01, .03, .01, .01, .02, .02};
    memcpy(s->p_success, succ, sizeof succ);
    memcpy(s->p_locker, lock, sizeof lock);
    memcpy(s->p_refuse, refu, sizeof refu);
    s->call_min = 1.5;
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
    return ZS_OK;
}

zs_sign_outcome zs_signing_draw(const zs_signing *s, int type, gsl_rng *r)
{
    /* Always two draws, so the stream position never depends on the
     * outcome (keeps later draws of the same key comparable). */
    double u = gsl_rng_uniform(r), v = gsl_rng_uniform(r);
    if (u < s->p_success[type])
        return ZS_SIGN_OK;
    if (v < s->p_locker[type])
        return ZS_SIGN_LOCKER;
    if (v < s->p_locker[type] + s->p_refuse[type])
        return ZS_SIGN_REFUSED;
    return ZS_SIGN_REDELIVER;
}

zs_status zs_signing_calibrate(zs_signing *s, const double attempts[ZS_PT_COUNT],
                               const double successes[ZS_PT_COUNT], zs_err *err)
{
    for (int t = 0; t < ZS_PT_COUNT; t++)
        if (!(attempts[t] >= 0.0) || !(successes[t] >= 0.0) || successes[t] > attempts[t] ||
            !isfinite(attempts[t]))
            return zs_err_set(err, ZS_EINVAL,
                              "signing counts for %s: %g successes of %g attempts; need 0 <= successes <= attempts",
                              zs_ptype_name(t), successes[t], attempts[t]);
    for (int t = 0; t < ZS_PT_COUNT; t++)
        if (attempts[t] > 0.0)
            s->p_success[t] = successes[t] / attempts[t];
    return ZS_OK;
}
