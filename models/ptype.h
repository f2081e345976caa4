/*
 * models/ptype.h -- kinds of delivery point.
 *
 * A point's type drives its behaviour in the models (signing rates, waiting
 * times, the 4-hour promise).  Names are what scenario and CSV files use.
 */
#ifndef ZS_MODELS_PTYPE_H
#define ZS_MODELS_PTYPE_H

typedef enum {
    ZS_PT_RESIDENTIAL = 0, /* housing estates, apartment blocks */
    ZS_PT_OFFICE,
    ZS_PT_SCHOOL,          /* schools and campuses */
    ZS_PT_HOSPITAL,
    ZS_PT_FACTORY,
    ZS_PT_VILLAGE,
    ZS_PT_INSTITUTION,     /* government and public institutions */
    ZS_PT_MILITARY,
    ZS_PT_SHOP,
    ZS_PT_OTHER,
    /* Addition (issue 19): bulk drop points.  The courier leaves many
     * parcels at once and nobody signs: parcel lockers (Amazon Hub,
     * Hive Box) and staffed pickup stations (Chinese yizhan, out-of-home
     * points).  See zs_ptype_bulk_drop. */
    ZS_PT_LOCKER,
    ZS_PT_PICKUP_STATION,
    ZS_PT_COUNT
} zs_ptype;

/* Lower-case name of t ("residential"...), "?" when out of range. */
const char *zs_ptype_name(int t);

/* Type of a name (exact, lower-case); -1 when unknown. */
int zs_ptype_parse(const char *name);

/* Comma-separated list of all names, for error messages. */
const char *zs_ptype_all_names(void);

/* Non-zero when parcels to this type may be delivered until the end of the
 * day instead of within 4 hours of the morning scan (DESIGN.md: hospitals,
 * institutions, schools, military sites and villages). */
int zs_ptype_end_of_day_ok(int t);

/* Non-zero for the bulk drop types (locker, pickup_station): parcels cost
 * efficiency.bulk_parcel_min each instead of parcel_min (scanned into a
 * compartment or handed over as one batch), and the default models give
 * them no access minutes, no signing wait and a signature every time. */
int zs_ptype_bulk_drop(int t);

#endif
