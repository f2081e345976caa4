/*
 * models/dispatch.c -- dispatch waves from scan times (models/dispatch.h).
 */
#include "models/dispatch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"

int zs_scan_time_parse(const char *s, double *minute)
{
    const char *sp = strrchr(s, ' ');
    const char *t = sp ? sp + 1 : s;
    int hh, mm, ss = 0, used = 0;
    size_t len = strlen(t);
    if (sscanf(t, "%2d:%2d%n", &hh, &mm, &used) != 2)
        return -1;
    if ((size_t)used != len && (sscanf(t + used, ":%2d%n", &ss, &used) != 1 || (size_t)used + 5 != len))
        return -1;
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59 || t[2] != ':')
        return -1;
    *minute = hh * 60.0 + mm + ss / 60.0;
    return 0;
}

typedef struct {
    double minute, parcels;
    int weekday;
} scan;

static int by_minute(const void *a, const void *b)
{
    const scan *x = a, *y = b;
    return x->minute < y->minute ? -1 : x->minute > y->minute;
}

typedef struct {
    size_t lo, hi;   /* rows [lo, hi) of the sorted scans */
    double parcels;
} run;

zs_status zs_waves_fit_scans(const double *minute, const double *parcels, const int *weekday,
                             size_t n, double gap_min, zs_waves_fit *out, zs_err *err)
{
    memset(out, 0, sizeof *out);
    scan *s = zs_malloc_array(n ? n : 1, sizeof *s);
    run *r = zs_malloc_array(n ? n : 1, sizeof *r);
    if (!s || !r) {
        zs_free(s);
        zs_free(r);
        return ZS_NOMEM(err);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (parcels[i] > 0.0)
            s[m++] = (scan){minute[i], parcels[i], weekday[i]};
    if (m == 0) {
        zs_free(s);
        zs_free(r);
        return zs_err_set(err, ZS_EINVAL, "no parcels with a scan time");
    }
    qsort(s, m, sizeof *s, by_minute);
    size_t nr = 0;
    for (size_t i = 0; i < m; i++) {
        if (i == 0 || s[i].minute - s[i - 1].minute >= gap_min)
            r[nr++] = (run){i, i, 0.0};
        r[nr - 1].hi = i + 1;
        r[nr - 1].parcels += s[i].parcels;
        out->parcels += s[i].parcels;
    }
    /* Too many runs: the smallest joins its nearer neighbour. */
    while (nr > ZS_FIT_WAVES_MAX) {
        size_t k = 0;
        for (size_t j = 1; j < nr; j++)
            if (r[j].parcels <= r[k].parcels)
                k = j;
        double left = k > 0 ? s[r[k].lo].minute - s[r[k - 1].hi - 1].minute : HUGE_VAL;
        double right = k + 1 < nr ? s[r[k + 1].lo].minute - s[r[k].hi - 1].minute : HUGE_VAL;
        size_t into = left <= right ? k - 1 : k + 1, a = into < k ? into : k;
        r[a].lo = r[into < k ? into : k].lo;
        r[a].hi = r[into < k ? k : into].hi;
        r[a].parcels = r[k].parcels + r[into].parcels;
        memmove(r + a + 1, r + a + 2, (nr - a - 2) * sizeof *r);
        nr--;
    }
    double day_total[7] = {0};
    for (size_t i = 0; i < m; i++)
        if (s[i].weekday >= 0 && s[i].weekday < 7)
            day_total[s[i].weekday] += s[i].parcels;
    out->n_waves = nr;
    for (size_t w = 0; w < nr; w++) {
        out->first[w] = s[r[w].lo].minute;
        out->last[w] = s[r[w].hi - 1].minute;
        out->share[w] = r[w].parcels / out->parcels;
        double half = 0.5 * r[w].parcels, cum = 0.0;
        out->median[w] = out->last[w];
        for (size_t i = r[w].lo; i < r[w].hi; i++) {
            cum += s[i].parcels;
            if (cum >= half) {
                out->median[w] = s[i].minute;
                break;
            }
        }
        for (size_t i = r[w].lo; i < r[w].hi; i++)
            if (s[i].weekday >= 0 && s[i].weekday < 7 && day_total[s[i].weekday] > 0.0)
                out->weekday_share[s[i].weekday][w] += s[i].parcels / day_total[s[i].weekday];
    }
    zs_free(s);
    zs_free(r);
    return ZS_OK;
}
