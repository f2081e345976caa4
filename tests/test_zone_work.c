/* Tests of engine/partition/zone_work: a zone's door and travel minutes,
 * by the formula and measured on sampled tours. */
#include <math.h>
#include <omp.h>
#include <string.h>

#include "network/route.h"
#include "partition/partition.h"
#include "partition/zone_work.h"
#include "partition/zones.h"
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

/* A plan's figures: the balance measures them once and keeps them; a plan
 * that carries them (a territory plan's street tours) is judged and shown
 * on those, one without is measured. */
static void test_partition_work(void)
{
    zs_err err;
    zs_zone_work m;
    zs_zone_work_defaults(&m);
    m.has_depot = 1;
    m.tour_days = 8;
    m.tour_seed = 3;
    enum { N = 40 };
    double x[N], y[N], st[N], door[N];
    zs_partition *p = zs_partition_alloc(N, 2, NULL), *q = zs_partition_alloc(N, 2, NULL);
    CHECK(p && q, "two plans of 40 points");
    if (!p || !q)
        return;
    for (int i = 0; i < N; i++) {
        x[i] = 300.0 * (i % 8) + (i < 20 ? 0 : 4000);
        y[i] = 250.0 * (i / 8);
        st[i] = 0.6;
        door[i] = 2 + i % 3;
        p->zone[i] = q->zone[i] = i < 20 ? 0 : 1;
    }
    m.stops = st;
    double d[2], t[2];
    zs_zone_work_plan(&m, x, y, door, p->zone, N, 2, d, t, &err);
    CHECK(zs_part_balance_work(p, x, y, door, &m, 0.05, &err) == ZS_OK && p->balance.door_min &&
              p->balance.travel_min && memcmp(p->balance.door_min, d, sizeof d) == 0 &&
              memcmp(p->balance.travel_min, t, sizeof t) == 0,
          "the balance keeps the door and travel minutes it measured");
    double w0 = d[0] + t[0], w1 = d[1] + t[1], mean = (w0 + w1) / 2;
    CHECK_NEAR(p->balance.maxdev, fabs(w0 - mean) / mean, 1e-12,
               "and judges the band on them (%.4f)", p->balance.maxdev);
    /* carried figures are the plan's, not measured again */
    p->balance.travel_min[0] += 30;
    double d2[2], t2[2];
    CHECK(zs_partition_zone_work(p, &m, x, y, door, d2, t2, &err) == ZS_OK && t2[0] == t[0] + 30 &&
              t2[1] == t[1] && d2[0] == d[0],
          "a plan's figures are those it carries");
    double c0 = w0 + 30, cmean = (c0 + w1) / 2;
    zs_status bs = zs_part_balance_work(p, x, y, door, &m, 0.05, &err);
    CHECK(bs == ZS_OK && fabs(p->balance.maxdev - fabs(c0 - cmean) / cmean) < 1e-12,
          "the band is judged on the carried figures (%.4f, measured %.4f)", p->balance.maxdev,
          fabs(w0 - mean) / mean);
    CHECK(zs_partition_zone_work(q, &m, x, y, door, d2, t2, &err) == ZS_OK &&
              memcmp(t2, t, sizeof t) == 0 && memcmp(d2, d, sizeof d) == 0,
          "a plan without them is measured");
    zs_partition_free(p);
    zs_partition_free(q);
}

int main(void)
{
    test_formula();
    test_sampled();
    test_partition_work();
    return zs_test_done();
}
