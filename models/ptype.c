#include "models/ptype.h"

#include <string.h>

static const char *const names[ZS_PT_COUNT] = {
    "residential", "office", "school", "hospital", "factory",
    "village", "institution", "military", "shop", "other",
    "locker", "pickup_station"
};

const char *zs_ptype_name(int t)
{
    return (t >= 0 && t < ZS_PT_COUNT) ? names[t] : "?";
}

int zs_ptype_parse(const char *name)
{
    for (int t = 0; t < ZS_PT_COUNT; t++)
        if (strcmp(name, names[t]) == 0)
            return t;
    return -1;
}

const char *zs_ptype_all_names(void)
{
    return "residential, office, school, hospital, factory, village, "
           "institution, military, shop, other, locker, pickup_station";
}

int zs_ptype_bulk_drop(int t)
{
    return t == ZS_PT_LOCKER || t == ZS_PT_PICKUP_STATION;
}

int zs_ptype_end_of_day_ok(int t)
{
    return t == ZS_PT_HOSPITAL || t == ZS_PT_INSTITUTION || t == ZS_PT_SCHOOL ||
           t == ZS_PT_MILITARY || t == ZS_PT_VILLAGE;
}
