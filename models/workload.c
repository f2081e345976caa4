#include "models/workload.h"

#include <math.h>

static double p_stop_of(double mu, double nb_size)
{
    /* P(no parcel today): Poisson e^-mu, or NB (k / (k + mu))^k. */
    double p0 = nb_size > 0.0 ? pow(nb_size / (nb_size + mu), nb_size) : exp(-mu);
    return 1.0 - p0;
}

void zs_workload_stop_chance(size_t n, const double *mean_parcels, double nb_size, double *p)
{
    for (size_t i = 0; i < n; i++)
        p[i] = p_stop_of(mean_parcels[i], nb_size);
}

void zs_workload_index(size_t n, const uint8_t *type, const double *mean_parcels,
                       double nb_size, const zs_efficiency *eff, const zs_signing *signing,
                       const zs_waiting *waiting, double *minutes)
{
    for (size_t i = 0; i < n; i++) {
        int t = type[i];
        double mu = mean_parcels[i];
        double p_stop = p_stop_of(mu, nb_size);
        double p_ok = signing ? signing->p_success[t] : 1.0;
        double call = signing ? signing->call_min : 0.0;
        double wait = waiting ? waiting->mean_min[t] : 0.0;
        double per_stop = eff->stop_min + eff->access_min[t] + p_ok * wait + (1.0 - p_ok) * call;
        /* Parcels are handed over only when someone signs: E[parcels] = mu. */
        minutes[i] = p_stop * per_stop + p_ok * mu * zs_efficiency_parcel_min(eff, t);
    }
}

void zs_workload_add_pickups(size_t n, const uint8_t *type, const double *rate,
                             double pickup_min, double *minutes)
{
    for (size_t i = 0; i < n; i++)
        if (rate[type[i]] > 0.0)
            minutes[i] += rate[type[i]] * pickup_min;
}
