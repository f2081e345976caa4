/*
 * models/calendar.h -- civil dates for simulated days.
 *
 * Proleptic Gregorian dates with day numbers counted from 1970-01-01, so a
 * simulated day knows its weekday (Monday = 0) and its month (for seasons).
 */
#ifndef ZS_MODELS_CALENDAR_H
#define ZS_MODELS_CALENDAR_H

#include <stdint.h>

typedef struct {
    int year, month, day; /* month 1..12, day 1..31 */
} zs_date;

/* Parses "YYYY-MM-DD" (exactly; a valid calendar date).  Returns 0 on
 * success, -1 otherwise. */
int zs_date_parse(const char *s, zs_date *out);

/* Days since 1970-01-01 (negative before). */
int64_t zs_date_to_days(zs_date d);
zs_date zs_date_from_days(int64_t days);

/* Weekday of a day number: 0 = Monday ... 6 = Sunday. */
int zs_date_weekday(int64_t days);

/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void zs_date_format(zs_date d, char *buf);

/* English three-letter weekday name ("Mon"). */
const char *zs_weekday_name(int wd);

#endif
