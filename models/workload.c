#include "models/workload.h"

#include <math.h>

static double p_stop_of(double mu, double nb_size)
{
    /* P(no parcel today): Poisson e^-mu, or NB (k / (k + mu))^k. */
    double p0 = nb_size > 0.0 ? pow(nb_size / (nb_size + mu), nb_size) : exp(-mu);
    return 1.0 - p0;
}

/* The chance that an attempt at a point of type t ends with its parcels
 * carried to tomorrow (nobody signs, and they go neither to a locker nor
 * back to the sender). */
static double carry_of(const zs_signing *signing, int t)
{
    if (!signing)
        return 0.0;
    return (1.0 - signing->p_success[t]) * (1.0 - signing->p_locker[t] - signing->p_refuse[t]);
}

/* Steady-state chance of a stop a day: parcels arrive (p_stop) or were
 * carried from yesterday's stop (pi c), pi = 1 - (1 - p_stop)(1 - pi c). */
static double stop_rate(double p_stop, double c)
{
    return p_stop / (1.0 - (1.0 - p_stop) * c);
}

void zs_workload_stop_chance(size_t n, const uint8_t *type, const double *mean_parcels,
                             double nb_size, const zs_signing *signing, double *p)
{
    for (size_t i = 0; i < n; i++)
        p[i] = stop_rate(p_stop_of(mean_parcels[i], nb_size), carry_of(signing, type[i]));
}

void zs_workload_index(size_t n, const uint8_t *type, const double *mean_parcels,
                       double nb_size, const zs_efficiency *eff, const zs_signing *signing,
                       const zs_waiting *waiting, double *minutes)
{
    for (size_t i = 0; i < n; i++) {
        int t = type[i];
        double mu = mean_parcels[i];
        double c = carry_of(signing, t);
        double p_stop = stop_rate(p_stop_of(mu, nb_size), c);
        double p_ok = signing ? signing->p_success[t] : 1.0;
        double call = signing ? signing->call_min : 0.0;
        double wait = waiting ? waiting->mean_min[t] : 0.0;
        double per_stop = eff->stop_min + eff->access_min[t] + p_ok * wait + (1.0 - p_ok) * call;
        /* A parcel is attempted until it is signed for, goes to a locker or
         * back: signed for with chance p_ok / (1 - c), handed over then. */
        minutes[i] = p_stop * per_stop + p_ok / (1.0 - c) * mu * zs_efficiency_parcel_min(eff, t);
    }
}

void zs_workload_add_pickups(size_t n, const uint8_t *type, const double *rate,
                             double pickup_min, double *minutes)
{
    for (size_t i = 0; i < n; i++)
        if (rate[type[i]] > 0.0)
            minutes[i] += rate[type[i]] * pickup_min;
}
