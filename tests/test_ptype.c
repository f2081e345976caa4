/* Tests of models/ptype: names, parsing and the end-of-day rule. */
#include <string.h>

#include "models/ptype.h"
#include "check.h"

int main(void)
{
    static const char *const want[ZS_PT_COUNT] = {
        "residential", "office", "school", "hospital", "factory",
        "village", "institution", "military", "shop", "other", "locker", "pickup_station"};
    CHECK(ZS_PT_COUNT == 12, "there are 12 point types");

    for (int t = 0; t < ZS_PT_COUNT; t++) {
        const char *n = zs_ptype_name(t);
        CHECK(strcmp(n, want[t]) == 0, "name of type %d is '%s' (got '%s')", t, want[t], n);
        CHECK(zs_ptype_parse(n) == t, "parse(name(%d)) == %d (round trip of '%s')", t, t, n);
        CHECK_CONTAINS(zs_ptype_all_names(), n, "zs_ptype_all_names lists every type name");
    }
    CHECK(strcmp(zs_ptype_name(-1), "?") == 0, "name of -1 is '?'");
    CHECK(strcmp(zs_ptype_name(ZS_PT_COUNT), "?") == 0, "name of ZS_PT_COUNT is '?'");

    CHECK(zs_ptype_parse("spaceport") == -1, "unknown name 'spaceport' parses to -1");
    CHECK(zs_ptype_parse("") == -1, "empty name parses to -1");
    CHECK(zs_ptype_parse("Hospital") == -1, "parsing is case-sensitive: 'Hospital' is -1");
    CHECK(zs_ptype_parse("hospital ") == -1, "parsing is exact: 'hospital ' is -1");
    CHECK(zs_ptype_parse("?") == -1, "the out-of-range name '?' does not parse");

    /* DESIGN.md: hospitals, institutions, schools, military sites and
     * villages may be served until the end of the day. */
    static const int eod[ZS_PT_COUNT] = {
        [ZS_PT_RESIDENTIAL] = 0, [ZS_PT_OFFICE] = 0, [ZS_PT_SCHOOL] = 1,
        [ZS_PT_HOSPITAL] = 1, [ZS_PT_FACTORY] = 0, [ZS_PT_VILLAGE] = 1,
        [ZS_PT_INSTITUTION] = 1, [ZS_PT_MILITARY] = 1, [ZS_PT_SHOP] = 0,
        [ZS_PT_OTHER] = 0, [ZS_PT_LOCKER] = 0, [ZS_PT_PICKUP_STATION] = 0};
    for (int t = 0; t < ZS_PT_COUNT; t++)
        CHECK(!!zs_ptype_end_of_day_ok(t) == eod[t], "end-of-day rule for %s is %s", want[t],
              eod[t] ? "yes" : "no");
    CHECK(!zs_ptype_end_of_day_ok(-1) && !zs_ptype_end_of_day_ok(ZS_PT_COUNT),
          "end-of-day rule is 'no' for out-of-range types");

    /* Issue 19: lockers and pickup stations take many parcels at once. */
    for (int t = 0; t < ZS_PT_COUNT; t++)
        CHECK(!!zs_ptype_bulk_drop(t) == (t == ZS_PT_LOCKER || t == ZS_PT_PICKUP_STATION),
              "bulk drop: %s is %s", want[t], zs_ptype_bulk_drop(t) ? "yes" : "no");
    CHECK(!zs_ptype_bulk_drop(-1) && !zs_ptype_bulk_drop(ZS_PT_COUNT),
          "bulk drop is 'no' for out-of-range types");
    return zs_test_done();
}
