#include "models/waiting.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>

void zs_waiting_defaults(zs_waiting *w)
{
    static const double mean[ZS_PT_COUNT] = {2, 4, 3, 3, 6, 2, 5, 8, 1.5, 2, 0, 0};
    static const double cv[ZS_PT_COUNT] = {.8, .8, .8, .8, 1.0, .8, .8, 1.0, .8, .8, 0, 0};
    memcpy(w->mean_min, mean, sizeof mean);
    memcpy(w->cv, cv, sizeof cv);
}

zs_status zs_waiting_validate(const zs_waiting *w, zs_err *err)
{
    for (int t = 0; t < ZS_PT_COUNT; t++) {
        if (!(w->mean_min[t] >= 0.0) || !isfinite(w->mean_min[t]))
            return zs_err_set(err, ZS_EINVAL, "waiting.mean_min.%s = %g; must be >= 0",
                              zs_ptype_name(t), w->mean_min[t]);
        if (!(w->cv[t] >= 0.0) || !isfinite(w->cv[t]))
            return zs_err_set(err, ZS_EINVAL, "waiting.cv.%s = %g; must be >= 0",
                              zs_ptype_name(t), w->cv[t]);
    }
    return ZS_OK;
}

double zs_waiting_draw(const zs_waiting *w, int type, gsl_rng *r)
{
    double m = w->mean_min[type], cv = w->cv[type];
    double z = gsl_ran_ugaussian(r); /* drawn always: stream position fixed */
    if (m <= 0.0)
        return 0.0;
    double s2 = log1p(cv * cv);
    return exp(log(m) - 0.5 * s2 + sqrt(s2) * z);
}

zs_status zs_waiting_calibrate(zs_waiting *w, const double *wait_min, const int *type, size_t n,
                               zs_err *err)
{
    double cnt[ZS_PT_COUNT] = {0}, sum[ZS_PT_COUNT] = {0}, ss[ZS_PT_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        if (type[i] < 0 || type[i] >= ZS_PT_COUNT)
            return zs_err_set(err, ZS_EINVAL, "waiting observation %zu: type %d unknown", i, type[i]);
        if (!(wait_min[i] >= 0.0) || !isfinite(wait_min[i]))
            return zs_err_set(err, ZS_EINVAL, "waiting observation %zu = %g; must be >= 0", i,
                              wait_min[i]);
        cnt[type[i]] += 1.0;
        sum[type[i]] += wait_min[i];
    }
    for (size_t i = 0; i < n; i++) {
        double d = wait_min[i] - sum[type[i]] / cnt[type[i]];
        ss[type[i]] += d * d; /* two passes: no cancellation */
    }
    for (int t = 0; t < ZS_PT_COUNT; t++) {
        if (cnt[t] < 2.0)
            continue;
        double mean = sum[t] / cnt[t], sd = sqrt(ss[t] / (cnt[t] - 1.0));
        w->mean_min[t] = mean;
        w->cv[t] = mean > 0.0 ? sd / mean : 0.0;
    }
    return ZS_OK;
}
