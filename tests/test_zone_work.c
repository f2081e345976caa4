/* Tests of engine/partition/zone_work: a zone's door and travel minutes,
 * by the formula and measured on sampled tours. */
#include <math.h>
#include <omp.h>
#include <string.h>

#include "network/route.h"
#include "partition/zone_work.h"
#include "check.h"

/* minutes for straight metres under m (circuity, speed) */
static double to_min(const zs_zone_work *m, double metres)
{
    return metres * m->circuity * 60.0 / (1000.0 * m->speed_kmh);
}

static void test_formula(void)
{
    zs_zone_work m;
    zs_zone_work_defaults(&m);
    m.has_depot = 1;
    double x[2] = {3000, 5000}, y[2] = {4000, 4000}, st[2] = {1, 1}, area[2] = {1e6, 1e6};
    double door[2] = {100, 50};
    m.stops = st;
    m.area_m2 = area;
    zs_zone_sums s;
    memset(&s, 0, sizeof s);
    zs_zone_sums_add(&s, &m, x, y, door, 0, 1.0);
    zs_zone_sums_add(&s, &m, x, y, door, 1, 1.0);
    /* centre (4000, 4000): 2 x 5657 m there and back, plus 0.74 sqrt(2 x 2e6) */
    double want = to_min(&m, 2 * hypot(4000, 4000) + 0.74 * sqrt(2 * 2e6));
    CHECK_NEAR(zs_zone_work_travel(&m, &s), want, 1e-9, "formula travel %.3f min by hand", want);
    CHECK_NEAR(zs_zone_work_total(&m, &s), 150 + want, 1e-9, "total = door + travel");
    s.travel_scale = 1.25;
    CHECK_NEAR(zs_zone_work_travel(&m, &s), 1.25 * want, 1e-9, "a zone's travel scale multiplies it");
    zs_zone_sums_add(&s, &m, x, y, door, 1, -1.0);
    CHECK(s.travel_scale == 1.25, "adding and removing points leaves the scale alone");
    CHECK(!zs_zone_work_sampled(&m), "tour_days 0: the formula");
    m.tour_days = 4;
    CHECK(zs_zone_work_sampled(&m), "tour_days > 0 with a depot and stop chances: measured");
    double rt[2] = {1, 1};
    m.depot_rt = rt;
    CHECK(!zs_zone_work_sampled(&m), "not on a street network (depot_rt set)");
}

static void test_sampled(void)
{
    zs_err err;
    zs_zone_work m;
    zs_zone_work_defaults(&m);
    m.has_depot = 1;
    m.tour_days = 16;
    m.tour_seed = 9;
    /* zone 0: a line east of the depot, 1000..2000 m, its far end a stop
     * every day and the others half the days: every day's tour is 4000 m.
     * zone 1: a 10 x 10 grid north, every point a stop every day: the
     * measured travel is the tour through all of it. */
    enum { NL = 11, NG = 100, N = NL + NG };
    double x[N], y[N], st[N], door[N];
    int32_t zone[N];
    for (int i = 0; i < NL; i++) {
        x[i] = 1000 + 100 * i;
        y[i] = 0;
        st[i] = i == NL - 1 ? 1.0 : 0.5;
        zone[i] = 0;
    }
    for (int i = 0; i < NG; i++) {
        x[NL + i] = 200.0 * (i % 10) + 0.37 * i;
        y[NL + i] = 3000 + 150.0 * (i / 10);
        st[NL + i] = 1.0;
        zone[NL + i] = 1;
    }
    for (int i = 0; i < N; i++)
        door[i] = 1;
    m.stops = st;
    double tr[2], d2[2];
    CHECK(zs_zone_work_plan(&m, x, y, door, zone, N, 2, d2, tr, &err) == ZS_OK, "measured plan");
    CHECK_NEAR(tr[0], to_min(&m, 4000), 1e-9, "a line's tours are 4000 m every day: %.4f min", tr[0]);
    zs_route_ws *ws = zs_route_ws_create(NG);
    size_t idx[NG];
    for (int i = 0; i < NG; i++)
        idx[i] = (size_t)(NL + i);
    double full = zs_route_tour(ws, x, y, idx, NG, 0, 0, NULL);
    zs_route_ws_free(ws);
    CHECK_NEAR(tr[1], to_min(&m, full), 1e-9,
               "every point a stop every day: the tour through all (%.0f m)", full);
    CHECK(d2[0] == NL && d2[1] == NG, "door minutes summed as by the formula");
    /* more days: the line's tour is still its far end's */
    m.tour_days = 400;
    double tr400[2];
    zs_zone_work_plan(&m, x, y, door, zone, N, 2, NULL, tr400, &err);
    CHECK_NEAR(tr400[0], tr[0], 1e-9, "the far end fixes the line's tour whatever the days");
    /* same bits on 1 and 2 threads, and for the same seed */
    m.tour_days = 16;
    for (int i = 0; i < NL; i++)
        st[i] = 0.3 + 0.05 * i;
    double a[2], b[2], c[2];
    omp_set_num_threads(1);
    zs_zone_work_plan(&m, x, y, door, zone, N, 2, NULL, a, &err);
    omp_set_num_threads(2);
    zs_zone_work_plan(&m, x, y, door, zone, N, 2, NULL, b, &err);
    CHECK(memcmp(a, b, sizeof a) == 0, "the same bits on 1 and 2 threads");
    m.tour_seed = 10;
    zs_zone_work_plan(&m, x, y, door, zone, N, 2, NULL, c, &err);
    CHECK(c[0] != a[0] && fabs(c[0] - a[0]) < 0.2 * a[0],
          "another seed draws other days, a near figure (%.3f vs %.3f)", c[0], a[0]);
    /* an empty zone travels nothing */
    int32_t zone3[N];
    memcpy(zone3, zone, sizeof zone3);
    double t3[3];
    CHECK(zs_zone_work_plan(&m, x, y, door, zone3, N, 3, NULL, t3, &err) == ZS_OK && t3[2] == 0,
          "a zone without points travels 0");
}

int main(void)
{
    test_formula();
    test_sampled();
    return zs_test_done();
}
