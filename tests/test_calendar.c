/* Tests of models/calendar: parsing, weekdays, day numbers and formatting.
 * The day-number round trip is checked against an independent day-by-day
 * calendar walk with its own leap-year rule. */
#include <string.h>

#include "models/calendar.h"
#include "check.h"

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_len(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return len[m - 1] + (m == 2 && is_leap(y));
}

static int parses(const char *s)
{
    zs_date d;
    return zs_date_parse(s, &d) == 0;
}

int main(void)
{
    zs_date d;

    /* Known weekdays (Monday = 0). */
    CHECK(zs_date_parse("2026-11-23", &d) == 0 && d.year == 2026 && d.month == 11 && d.day == 23,
          "parse 2026-11-23 gives year 2026, month 11, day 23");
    CHECK(zs_date_weekday(zs_date_to_days(d)) == 0, "2026-11-23 is a Monday (weekday 0)");
    CHECK(zs_date_to_days((zs_date){1970, 1, 1}) == 0, "1970-01-01 is day 0");
    CHECK(zs_date_weekday(0) == 3, "1970-01-01 is a Thursday (weekday 3)");
    CHECK(zs_date_weekday(-1) == 2, "day -1 (1969-12-31) is a Wednesday (weekday 2)");
    CHECK(zs_date_weekday(-7) == 3 && zs_date_weekday(-8) == 2,
          "weekdays of negative days wrap correctly");
    CHECK(zs_date_to_days((zs_date){2000, 3, 1}) == 11017, "2000-03-01 is day 11017");
    CHECK(zs_date_to_days((zs_date){1900, 1, 1}) == -25567, "1900-01-01 is day -25567");
    CHECK(zs_date_weekday(-25567) == 0, "1900-01-01 is a Monday");

    /* Leap years and malformed strings. */
    CHECK(parses("2000-02-29"), "2000-02-29 is valid (divisible by 400)");
    CHECK(parses("2024-02-29"), "2024-02-29 is valid (leap year)");
    CHECK(!parses("1900-02-29"), "1900-02-29 is invalid (century, not divisible by 400)");
    CHECK(!parses("2026-02-29"), "2026-02-29 is invalid (not a leap year)");
    CHECK(!parses("2026-02-30"), "2026-02-30 is invalid");
    CHECK(!parses("2026-04-31"), "2026-04-31 is invalid (April has 30 days)");
    CHECK(parses("2026-12-31"), "2026-12-31 is valid");
    CHECK(!parses("2026-1-05"), "2026-1-05 is invalid (month needs two digits)");
    CHECK(!parses("2026-13-01"), "2026-13-01 is invalid (month 13)");
    CHECK(!parses("2026-00-10"), "2026-00-10 is invalid (month 0)");
    CHECK(!parses("2026-01-00"), "2026-01-00 is invalid (day 0)");
    CHECK(!parses("2026-01-32"), "2026-01-32 is invalid (day 32)");
    CHECK(!parses("2026/01/05"), "2026/01/05 is invalid (wrong separators)");
    CHECK(!parses("2026-01-05x"), "2026-01-05x is invalid (trailing text)");
    CHECK(!parses("2026-01-0x"), "2026-01-0x is invalid (non-digit)");
    CHECK(!parses("+026-01-05"), "+026-01-05 is invalid (sign)");
    CHECK(!parses(""), "the empty string is invalid");
    CHECK(zs_date_parse(NULL, &d) == -1, "NULL is invalid");
    d = (zs_date){1, 2, 3};
    zs_date_parse("2026-02-29", &d);
    CHECK(d.year == 1 && d.month == 2 && d.day == 3, "a failed parse leaves *out unchanged");

    /* Every day from 1900-01-01 to 2100-12-31, walked with an independent
     * calendar: day numbers are consecutive, from_days inverts to_days,
     * weekdays advance by one, and format/parse round-trip. */
    {
        zs_date w = {1900, 1, 1};
        int64_t n = -25567;
        int wd = 0; /* 1900-01-01 was a Monday */
        long bad_to = 0, bad_from = 0, bad_wd = 0, bad_fmt = 0, days = 0;
        char buf[16];
        while (w.year <= 2100) {
            if (zs_date_to_days(w) != n)
                bad_to++;
            zs_date b = zs_date_from_days(n);
            if (b.year != w.year || b.month != w.month || b.day != w.day)
                bad_from++;
            if (zs_date_weekday(n) != wd)
                bad_wd++;
            zs_date_format(w, buf);
            zs_date p;
            if (zs_date_parse(buf, &p) != 0 || p.year != w.year || p.month != w.month ||
                p.day != w.day)
                bad_fmt++;
            days++;
            n++;
            wd = (wd + 1) % 7;
            if (++w.day > month_len(w.year, w.month)) {
                w.day = 1;
                if (++w.month > 12) {
                    w.month = 1;
                    w.year++;
                }
            }
        }
        CHECK(days == 73414, "the walk covers 201 years = 73414 days (got %ld)", days);
        CHECK(bad_to == 0, "zs_date_to_days matches the walk on every day 1900-2100 (%ld bad)",
              bad_to);
        CHECK(bad_from == 0, "zs_date_from_days inverts it on every day 1900-2100 (%ld bad)",
              bad_from);
        CHECK(bad_wd == 0, "weekday is right on every day 1900-2100 (%ld bad)", bad_wd);
        CHECK(bad_fmt == 0, "format then parse round-trips every day 1900-2100 (%ld bad)",
              bad_fmt);
    }

    /* Formatting: zero padding, exactly 10 characters and a NUL. */
    {
        char buf[16];
        memset(buf, '#', sizeof buf);
        zs_date_format((zs_date){2026, 11, 23}, buf);
        CHECK(strcmp(buf, "2026-11-23") == 0, "format 2026-11-23 (got '%s')", buf);
        CHECK(buf[11] == '#', "format writes no more than 11 bytes");
        zs_date_format((zs_date){5, 1, 2}, buf);
        CHECK(strcmp(buf, "0005-01-02") == 0, "format pads year, month and day (got '%s')", buf);
    }

    /* Weekday names. */
    {
        static const char *const want[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        int ok = 1;
        for (int i = 0; i < 7; i++)
            ok &= strcmp(zs_weekday_name(i), want[i]) == 0;
        CHECK(ok, "weekday names are Mon..Sun for 0..6");
        CHECK(strcmp(zs_weekday_name(7), "?") == 0 && strcmp(zs_weekday_name(-1), "?") == 0,
              "out-of-range weekdays are named '?'");
    }

    return zs_test_done();
}
