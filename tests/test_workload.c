/* Tests of models/workload: the expected minutes of a point against a
 * hand computation and against simulated draws of the same models. */
#include <math.h>
#include <string.h>

#include "models/demand.h"
#include "models/rng.h"
#include "models/workload.h"
#include "check.h"

int main(void)
{
    zs_efficiency eff;
    zs_signing sig;
    zs_waiting wai;
    zs_efficiency_defaults(&eff);
    zs_signing_defaults(&sig);
    zs_waiting_defaults(&wai);
    uint8_t type[3] = {ZS_PT_RESIDENTIAL, ZS_PT_FACTORY, ZS_PT_OFFICE};
    double mean[3] = {1.0, 4.0, 0.0}, out[3];
    zs_workload_index(3, type, mean, 0.0, &eff, &sig, &wai, out);
    /* Residential: 80% sign; of the other 20%, 50% go to a locker and 2%
     * back, so c = 0.2 x 0.48 = 0.096 of attempts carry to tomorrow. */
    double p_new = 1 - exp(-1.0), c = 0.2 * 0.48;
    double p_stop = p_new / (1 - (1 - p_new) * c);
    double want = p_stop * (8 + 2 + 0.8 * 2 + 0.2 * 1.5) + 0.8 / (1 - c) * 1.0 * 1.5;
    CHECK_NEAR(out[0], want, 1e-12, "residential, 1 parcel a day: %.4f min by hand (redeliveries in)",
               want);
    double pc[2];
    zs_workload_stop_chance(2, type, mean, 0.0, &sig, pc);
    CHECK_NEAR(pc[0], p_stop, 1e-15, "stop chance with yesterday's carried parcels: %.4f", pc[0]);
    zs_workload_stop_chance(1, type, mean, 0.0, NULL, pc);
    CHECK_NEAR(pc[0], p_new, 1e-15, "without a signing model only new parcels make stops");
    CHECK(out[1] > out[0], "a busy factory costs more than a home (%.2f > %.2f)", out[1], out[0]);
    CHECK(out[2] == 0.0, "a point without parcels costs nothing");
    zs_workload_index(1, type, mean, 0.0, &eff, NULL, NULL, out);
    CHECK_NEAR(out[0], p_new * (8 + 2) + 1.5, 1e-12, "without signing and waiting models");
    double nb[1];
    zs_workload_index(1, type, mean, 2.0, &eff, &sig, &wai, nb);
    CHECK(nb[0] < want, "overdispersion makes parcel-free days likelier, so fewer stops (%.3f < %.3f)", nb[0], want);

    /* Against simulation: mean over 100,000 keyed days of the minutes the
     * sim would spend at the point (stop, access, wait or call, parcels). */
    zs_demand *d = zs_demand_create(1, mean, NULL, NULL);
    gsl_rng *r = zs_rng_create();
    double sum = 0;
    uint32_t carried = 0;
    enum { DAYS = 100000 };
    for (uint64_t day = 0; day < DAYS; day++) {
        uint32_t x;
        zs_demand_draw_day(d, 3, 0, day, 0, r, &x);
        x += carried; /* as the simulation: yesterday's failed parcels come again */
        carried = 0;
        if (!x)
            continue;
        zs_rng_rekey(r, zs_rng_key(3, 0, day, 0, ZS_PURPOSE_WAITING));
        double w = zs_waiting_draw(&wai, ZS_PT_RESIDENTIAL, r);
        zs_rng_rekey(r, zs_rng_key(3, 0, day, 0, ZS_PURPOSE_SIGNING));
        zs_sign_outcome o = zs_signing_draw(&sig, ZS_PT_RESIDENTIAL, r);
        int ok = o == ZS_SIGN_OK;
        if (o == ZS_SIGN_REDELIVER)
            carried = x;
        sum += eff.stop_min + eff.access_min[0] + (ok ? w + x * eff.parcel_min : sig.call_min);
    }
    /* The per-day minutes have sd below 8 here; se = 8 / sqrt(1e5) = 0.025. */
    CHECK_NEAR(sum / DAYS, want, 5 * 0.025, "simulated mean %.4f matches the index %.4f", sum / DAYS, want);
    gsl_rng_free(r);
    zs_demand_free(d);

    /* Issue 19: a locker and a pickup station take 20 parcels in one stop,
     * with no access minutes, no wait and certain success: 8 + 20 x 0.25
     * minutes on (almost) every day, against 9.5+ minutes per parcel at a
     * one-parcel residential door. */
    uint8_t bt[3] = {ZS_PT_LOCKER, ZS_PT_PICKUP_STATION, ZS_PT_RESIDENTIAL};
    double bm[3] = {20.0, 20.0, 1.0}, bo[3];
    zs_workload_index(3, bt, bm, 0.0, &eff, &sig, &wai, bo);
    double lwant = (1 - exp(-20.0)) * 8 + 20 * 0.25;
    CHECK_NEAR(bo[0], lwant, 1e-12, "locker, 20 parcels a day: %.4f min (stop + 20 x 0.25)", lwant);
    CHECK(bo[1] == bo[0], "a pickup station costs what a locker does under the defaults");
    CHECK(bo[0] / 20 < bo[2] / 1 / 10,
          "per parcel the locker (%.3f min) costs under a tenth of a residential door (%.3f)",
          bo[0] / 20, bo[2]);
    CHECK(zs_efficiency_parcel_min(&eff, ZS_PT_LOCKER) == eff.bulk_parcel_min &&
              zs_efficiency_parcel_min(&eff, ZS_PT_SHOP) == eff.parcel_min,
          "parcel minutes: bulk_parcel_min at lockers, parcel_min elsewhere");
    CHECK(zs_efficiency_stop_min(&eff, ZS_PT_OFFICE, 3.0) == zs_efficiency_service_min(&eff, 1.0, 3.0),
          "stop_min for a non-bulk type is service_min of one stop, to the bit");
    eff.bulk_parcel_min = -1;
    zs_err err;
    CHECK(zs_efficiency_validate(&eff, &err) == ZS_EINVAL &&
              strcmp(err.msg, "efficiency.bulk_parcel_min = -1; must be >= 0") == 0,
          "a negative bulk_parcel_min is refused, naming it (%s)", err.msg);
    return zs_test_done();
}
