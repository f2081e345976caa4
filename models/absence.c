#include "models/absence.h"

#include <math.h>
#include <stdlib.h>

#include "models/rng.h"

void zs_absence_defaults(zs_absence *a)
{
    a->rate = 0.0;
}

zs_status zs_absence_validate(const zs_absence *a, zs_err *err)
{
    if (!(a->rate >= 0.0 && a->rate <= 1.0))
        return zs_err_set(err, ZS_EINVAL, "absence.rate = %g; must be in [0, 1]", a->rate);
    return ZS_OK;
}

double zs_absence_forced(double couriers, double share, size_t k)
{
    return couriers + floor(share * (double)k + 0.5);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

size_t zs_absence_draw_day(const zs_absence *a, double forced, uint64_t master, uint64_t rep,
                           uint64_t day, size_t k, gsl_rng *r, double *u, double *tmp,
                           uint8_t *absent)
{
    for (size_t z = 0; z < k; z++)
        absent[z] = 0;
    if (k <= 1 || (a->rate <= 0.0 && forced <= 0.0))
        return 0;
    size_t below = 0;
    for (size_t z = 0; z < k; z++) {
        zs_rng_rekey(r, zs_rng_key(master, rep, day, z, ZS_PURPOSE_ABSENCE));
        u[z] = gsl_rng_uniform(r);
        below += u[z] < a->rate;
    }
    double want = fmax((double)below, forced);
    size_t n_abs = want >= (double)(k - 1) ? k - 1 : (size_t)want;
    if (n_abs == 0)
        return 0;
    /* The n_abs smallest uniforms; a tie (probability 2^-53) goes to the
     * lower zone, so exactly n_abs are marked. */
    for (size_t z = 0; z < k; z++)
        tmp[z] = u[z];
    qsort(tmp, k, sizeof *tmp, cmp_double);
    double cut = tmp[n_abs - 1];
    size_t marked = 0;
    for (size_t z = 0; z < k && marked < n_abs; z++)
        if (u[z] < cut)
            absent[z] = 1, marked++;
    for (size_t z = 0; z < k && marked < n_abs; z++)
        if (u[z] == cut)
            absent[z] = 1, marked++;
    return marked;
}

zs_status zs_absence_calibrate(zs_absence *a, double courier_days, double absent_days,
                               zs_err *err)
{
    if (!(courier_days > 0.0) || !isfinite(courier_days) || !(absent_days >= 0.0) ||
        absent_days > courier_days)
        return zs_err_set(err, ZS_EINVAL,
                          "absence counts: %g absent of %g courier-days; need courier-days > 0 and 0 <= absent <= courier-days",
                          absent_days, courier_days);
    a->rate = absent_days / courier_days;
    return ZS_OK;
}
