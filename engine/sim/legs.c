/*
 * engine/sim/legs.c -- a zone-day's legs on a plan's street network (see
 * zs_sim_legs in sim_internal.h): matrix lookups through
 * network/paths.h, in the straight-equivalent metres the efficiency model
 * turns into minutes, and in road metres.
 */
#include "sim/sim_internal.h"

double zs_sim_leg_eq(void *ctx, size_t a, size_t b)
{
    const zs_sim_legs *L = ctx;
    size_t u = a == ZS_ROUTE_DEPOT ? L->n : a, v = b == ZS_ROUTE_DEPOT ? L->n : b;
    return zs_net_plan_leg(L->np, L->pws, u, v, NULL) * L->eq;
}

double zs_sim_leg_road(void *ctx, size_t a, size_t b)
{
    const zs_sim_legs *L = ctx;
    size_t u = a == ZS_ROUTE_DEPOT ? L->n : a, v = b == ZS_ROUTE_DEPOT ? L->n : b;
    double len;
    zs_net_plan_leg(L->np, L->pws, u, v, &len);
    return len;
}

double zs_sim_leg_net(const zs_sim_legs *L, size_t a, size_t b, double *road)
{
    size_t u = a == ZS_ROUTE_DEPOT ? L->n : a, v = b == ZS_ROUTE_DEPOT ? L->n : b;
    double len;
    double sec = zs_net_plan_leg(L->np, L->pws, u, v, &len);
    *road += len;
    return sec * L->eq;
}
