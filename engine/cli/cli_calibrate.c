/*
 * engine/cli/cli_calibrate.c -- `zonesim calibrate`: fit the demand model from
 * a history of parcels (and optionally pickup requests) per point and day
 * (models/demand.h), print it as a
 * scenario fragment and, with the points file, write the points with their
 * fitted mean parcels.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "models/demand.h"
#include "models/dispatch.h"
#include "models/ptype.h"
#include "cli/cli.h"
#include "input/csv.h"
#include "results/h5out.h"
#include "input/points.h"

static const char help[] =
    "usage: zonesim calibrate HISTORY.csv --points POINTS.csv [--holidays FILE]\n"
    "                         [--points-out FILE] [--columns DATE,ID,PARCELS[,PICKUPS]]\n"
    "                         [--outlier-mad M] [--mode-gap G] [--encoding NAME]\n"
    "                         [--scan-column NAME] [--wave-gap MIN]\n"
    "\n"
    "Fits demand from about three months of history the way stations plan:\n"
    "holidays and long breaks excluded, abnormal days dropped (more than M\n"
    "scaled MADs from their weekday's median), weekday factors from the\n"
    "weekday means, the real day closest to each weekday's mean as its\n"
    "representative day, weekdays of similar volume grouped into operating\n"
    "modes, and a pooled negative-binomial overdispersion.  With a pickups\n"
    "column, each point's pickup requests on an average day too (over the same\n"
    "days and weekday factors), averaged per point type.  With a scan-time\n"
    "column, the dispatch waves: runs of scans without a gap of an hour, at\n"
    "their median scan, with their share of the parcels (at most three).\n"
    "Prints a scenario fragment (demand: ..., dispatch: ...).\n"
    "\n"
    "  HISTORY.csv          header + rows of date (YYYY-MM-DD), point id, parcels\n"
    "                       and optionally pickup requests\n"
    "  -c, --columns D,I,P[,K]  header names of those columns (default\n"
    "                       date,id,parcels,pickups; pickups is used when present)\n"
    "  -p, --points FILE    the station's points CSV (id,x,y,...; required)\n"
    "  -o, --points-out F   write the points with their fitted mean parcels\n"
    "      --h5 FILE        write the fit into an HDF5 file (/models, /points)\n"
    "  -H, --holidays FILE  dates to exclude, one YYYY-MM-DD per line ('#' comments)\n"
    "      --outlier-mad M  abnormal-day threshold (default 3)\n"
    "      --mode-gap G     relative volume drop that starts a new mode (default 0.15)\n"
    "      --scan-column N  the scan-time column (HH:MM[:SS], after a date or not;\n"
    "                       default scan_time, used when present)\n"
    "      --wave-gap MIN   minutes without a scan that end a wave (default 60)\n"
    "  -E, --encoding NAME  text encoding of HISTORY.csv and the points file (utf-8,\n"
    "                       the default, checked; gbk, gb18030, any iconv name)\n"
    "  -h, --help           this help\n";

/* Growable record arrays. */
typedef struct {
    size_t n, cap;
    int64_t *day;
    int32_t *point;
    double *parcels;
    double *pickups;     /* NULL when the history has no pickups column */
    double *scan;        /* minute of the scan; NULL without a scan-time column */
} history;

static int history_push(history *h, int64_t d, int32_t p, double x, double k, int has_k,
                         double scan, int has_s)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 1024;
        int64_t *a = zs_realloc(h->day, cap * sizeof *a);
        if (!a)
            return -1;
        h->day = a;
        int32_t *b = zs_realloc(h->point, cap * sizeof *b);
        if (!b)
            return -1;
        h->point = b;
        double *c = zs_realloc(h->parcels, cap * sizeof *c);
        if (!c)
            return -1;
        h->parcels = c;
        if (has_k) {
            double *e = zs_realloc(h->pickups, cap * sizeof *e);
            if (!e)
                return -1;
            h->pickups = e;
        }
        if (has_s) {
            double *g = zs_realloc(h->scan, cap * sizeof *g);
            if (!g)
                return -1;
            h->scan = g;
        }
        h->cap = cap;
    }
    if (has_k)
        h->pickups[h->n] = k;
    if (has_s)
        h->scan[h->n] = scan;
    h->day[h->n] = d;
    h->point[h->n] = p;
    h->parcels[h->n++] = x;
    return 0;
}

static void history_clear(history *h)
{
    zs_free(h->day);
    zs_free(h->point);
    zs_free(h->parcels);
    zs_free(h->pickups);
    zs_free(h->scan);
}

/* Reads date, point id, parcels (and pickups, when cols[3] is a column of
 * the header; required when need_pickups) rows; ids must be points of
 * pts. */
static zs_status read_history(const char *path, const char *encoding, const char *cols[5],
                              zs_points *pts, int need_pickups, history *h, int *has_pickups,
                              zs_err *err)
{
    zs_csv *c = NULL;
    zs_status st = zs_csv_open_enc(path, ',', encoding, "--encoding", &c, err);
    if (st != ZS_OK)
        return st;
    int r = zs_csv_next(c, err);
    long col[3];
    if (r < 0)
        st = err->code;
    else if (r == 0)
        st = zs_err_at(err, ZS_EINPUT, path, 0, 0, "empty file (no header)");
    for (int k = 0; k < 3 && st == ZS_OK; k++)
        st = zs_csv_require(c, cols[k], &col[k], err);
    long kcol = -1;
    if (st == ZS_OK && need_pickups)
        st = zs_csv_require(c, cols[3], &kcol, err);
    else if (st == ZS_OK)
        kcol = zs_csv_find(c, cols[3]);
    *has_pickups = kcol >= 0;
    long scol = st == ZS_OK ? zs_csv_find(c, cols[4]) : -1;
    while (st == ZS_OK && (r = zs_csv_next(c, err)) == 1) {
        const char *ds, *id;
        double x, k = 0.0;
        zs_date date;
        if ((st = zs_csv_get_string(c, (size_t)col[0], cols[0], &ds, err)) != ZS_OK ||
            (st = zs_csv_get_string(c, (size_t)col[1], cols[1], &id, err)) != ZS_OK ||
            (st = zs_csv_get_double(c, (size_t)col[2], cols[2], &x, err)) != ZS_OK ||
            (kcol >= 0 && (st = zs_csv_get_double(c, (size_t)kcol, cols[3], &k, err)) != ZS_OK))
            break;
        double scan = 0.0;
        const char *ts;
        if (scol >= 0) {
            if ((st = zs_csv_get_string(c, (size_t)scol, cols[4], &ts, err)) != ZS_OK)
                break;
            if (zs_scan_time_parse(ts, &scan) != 0) {
                st = zs_csv_error(c, (size_t)scol, err, "column '%s': expected a time HH:MM[:SS], got '%s'",
                                  cols[4], ts);
                break;
            }
        }
        if (zs_date_parse(ds, &date) != 0) {
            st = zs_csv_error(c, (size_t)col[0], err, "column '%s': expected a date YYYY-MM-DD, got '%s'",
                              cols[0], ds);
            break;
        }
        if (x < 0) {
            st = zs_csv_error(c, (size_t)col[2], err, "column '%s': must be >= 0, got %g", cols[2], x);
            break;
        }
        if (k < 0) {
            st = zs_csv_error(c, (size_t)kcol, err, "column '%s': must be >= 0, got %g", cols[3], k);
            break;
        }
        /* a point's day (issue 22: 1e308 gave weekday means of inf) */
        if (x > ZS_POINTS_MAX_PARCELS || k > ZS_POINTS_MAX_PARCELS) {
            int pk = !(x > ZS_POINTS_MAX_PARCELS);
            st = zs_csv_error(c, (size_t)(pk ? kcol : col[2]), err,
                              "column '%s': a point's day must be in [0, 1e6], got %g",
                              cols[pk ? 3 : 2], pk ? k : x);
            break;
        }
        long p = zs_points_find(pts, id);
        if (p < 0) {
            st = zs_csv_error(c, (size_t)col[1], err, "unknown point id '%s'", id);
            break;
        }
        if (history_push(h, zs_date_to_days(date), (int32_t)p, x, k, kcol >= 0, scan, scol >= 0) < 0)
            st = ZS_NOMEM(err);
    }
    if (st == ZS_OK && r < 0)
        st = err->code;
    if (st == ZS_OK && h->n == 0)
        st = zs_err_at(err, ZS_EINPUT, path, 0, 0, "no data rows");
    zs_csv_close(c);
    return st;
}


/* Reads a holiday list: one date per line, blank lines and '#' comments
 * allowed. */
static zs_status read_holidays(const char *path, int64_t **out, size_t *n, zs_err *err)
{
    *out = NULL;
    *n = 0;
    zs_status st0 = zs_file_check_input(path, err);
    if (st0 != ZS_OK)
        return st0;
    FILE *f = fopen(path, "r");
    if (!f)
        return zs_err_set(err, ZS_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    char line[256];
    long ln = 0;
    size_t cap = 0;
    zs_status st = ZS_OK;
    while (st == ZS_OK && fgets(line, sizeof line, f)) {
        ln++;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        char *e = s + strcspn(s, "#\r\n");
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        *e = '\0';
        if (!*s)
            continue;
        zs_date d;
        if (zs_date_parse(s, &d) != 0) {
            st = zs_err_at(err, ZS_EINPUT, path, ln, (long)(s - line) + 1,
                           "expected a date YYYY-MM-DD, got '%s'", s);
            break;
        }
        if (*n == cap) {
            int64_t *g = zs_realloc(*out, (cap = cap ? cap * 2 : 32) * sizeof *g);
            if (!g) {
                st = ZS_NOMEM(err);
                break;
            }
            *out = g;
        }
        (*out)[(*n)++] = zs_date_to_days(d);
    }
    fclose(f);
    return st;
}

/* The dispatch waves of the history's scan times (days not excluded),
 * printed as a dispatch: fragment. */
static zs_status print_waves(const history *h, const int64_t *excl, size_t n_excl,
                             const char *column, double gap, zs_err *err)
{
    double *minute = zs_malloc_array(h->n ? h->n : 1, sizeof *minute);
    double *w = zs_malloc_array(h->n ? h->n : 1, sizeof *w);
    int *wd = zs_malloc_array(h->n ? h->n : 1, sizeof *wd);
    zs_status st = minute && w && wd ? ZS_OK : ZS_NOMEM(err);
    for (size_t i = 0; st == ZS_OK && i < h->n; i++) {
        int skip = 0;
        for (size_t e = 0; e < n_excl && !skip; e++)
            skip = excl[e] == h->day[i];
        minute[i] = h->scan[i];
        w[i] = skip ? 0.0 : h->parcels[i];
        wd[i] = zs_date_weekday(h->day[i]);
    }
    zs_waves_fit f;
    if (st == ZS_OK)
        st = zs_waves_fit_scans(minute, w, wd, h->n, gap, &f, err);
    if (st == ZS_OK) {
        printf("# dispatch waves from column '%s' (%.0f parcels; a wave ends after %g min "
               "without a scan):\n", column, f.parcels, gap);
        for (size_t k = 0; k < f.n_waves; k++)
            printf("#   wave %zu: scans %02d:%02d-%02d:%02d, median %02d:%02d, %.1f%% of the parcels\n",
                   k + 1, (int)f.first[k] / 60, (int)f.first[k] % 60, (int)f.last[k] / 60,
                   (int)f.last[k] % 60, (int)f.median[k] / 60, (int)f.median[k] % 60,
                   100.0 * f.share[k]);
        printf("dispatch:\n  waves:\n");
        for (size_t k = 0; k < f.n_waves; k++) {
            /* Per weekday only when some weekday differs by over 5 points. */
            int differs = 0;
            for (int d = 0; d < 7; d++) {
                double s = 0.0;
                for (size_t j = 0; j < f.n_waves; j++)
                    s += f.weekday_share[d][j];
                differs |= s > 0.0 && (f.weekday_share[d][k] - f.share[k] > 0.05 ||
                                       f.share[k] - f.weekday_share[d][k] > 0.05);
            }
            printf("    - {at: \"%02d:%02d\", share: %.4f", (int)f.median[k] / 60,
                   (int)f.median[k] % 60, f.share[k]);
            if (differs) {
                printf(", weekday_share: [");
                for (int d = 0; d < 7; d++)
                    printf("%s%.4f", d ? ", " : "", f.weekday_share[d][k]);
                printf("]");
            }
            printf("}\n");
        }
    }
    zs_free(minute);
    zs_free(w);
    zs_free(wd);
    return st;
}

static void print_fit(const zs_demand_fit *fit, const zs_points *pts, const char *history_path)
{
    static const char *const mode_name[] = {"heavy", "normal", "light"};
    char buf[11];
    printf("# zonesim calibrate %s\n", history_path);
    printf("# %zu days seen, %zu excluded (holidays), %zu abnormal dropped, %zu used\n",
           fit->days_seen, fit->days_excluded, fit->days_outlier, fit->days_used);
    printf("# weekday means and representative days (the real day closest to the mean):\n");
    for (int w = 0; w < 7; w++) {
        zs_date_format(zs_date_from_days(fit->representative[w]), buf);
        printf("#   %s %8.1f parcels/day  representative %s  mode %d\n", zs_weekday_name(w),
               fit->weekday_mean[w], buf, fit->mode_of_weekday[w]);
    }
    printf("# operating modes (0 = heaviest):");
    for (int m = 0; m < fit->n_modes; m++) {
        printf("%s %d", m ? ";" : "", m);
        if (fit->n_modes == 3)
            printf(" (%s)", mode_name[m]);
        printf(":");
        for (int w = 0; w < 7; w++)
            if (fit->mode_of_weekday[w] == m)
                printf(" %s", zs_weekday_name(w));
    }
    printf("\ndemand:\n  weekday_factor: [");
    for (int w = 0; w < 7; w++)
        printf("%s%.4f", w ? ", " : "", fit->weekday_factor[w]);
    printf("]\n  nb_size: %.3f%s\n", fit->nb_size,
           fit->nb_size == 0.0 ? "   # no overdispersion beyond Poisson" : "");
    if (fit->pickup_mean) {
        /* Per type: the mean over the points of the type; types without
         * points keep the default 0. */
        double rate[ZS_PT_COUNT];
        int has[ZS_PT_COUNT];
        zs_demand_pickup_rates(pts->n, pts->type, fit->pickup_mean, rate, has);
        printf("  pickups_per_day: {");
        int first = 1;
        for (int t = 0; t < ZS_PT_COUNT; t++)
            if (has[t]) {
                printf("%s%s: %.4f", first ? "" : ", ", zs_ptype_name(t), rate[t]);
                first = 0;
            }
        printf("}\n");
    }
}

int zs_cli_calibrate(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"points", required_argument, NULL, 'p'},     {"points-out", required_argument, NULL, 'o'},
        {"holidays", required_argument, NULL, 'H'},   {"columns", required_argument, NULL, 'c'},
        {"outlier-mad", required_argument, NULL, 'M'}, {"mode-gap", required_argument, NULL, 'G'},
        {"h5", required_argument, NULL, 'F'},          {"encoding", required_argument, NULL, 'E'},
        {"scan-column", required_argument, NULL, 'S'}, {"wave-gap", required_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},              {NULL, 0, NULL, 0}};
    const char *points_path = NULL, *points_out = NULL, *holidays = NULL, *h5 = NULL;
    const char *encoding = NULL, *scan_column = "scan_time";
    double wave_gap = 60.0;
    zs_err eerr;
    char colbuf[256] = "date,id,parcels,pickups";
    zs_demand_calibrate_opts co;
    zs_demand_calibrate_opts_defaults(&co);
    int c, colbuf_given = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:o:H:c:E:h", lopts, NULL)) != -1) {
        switch (c) {
        case 'p': points_path = optarg; break;
        case 'o': points_out = optarg; break;
        case 'H': holidays = optarg; break;
        case 'c':
            snprintf(colbuf, sizeof colbuf, "%s", optarg);
            colbuf_given = 1;
            break;
        case 'F': h5 = optarg; break;
        case 'E':
            if (zs_csv_encoding_check(optarg, &eerr) != ZS_OK)
                return zs_cli_usage("calibrate", "--encoding: %s", eerr.msg);
            encoding = optarg;
            break;
        case 'M':
            if (zs_cli_parse_double(optarg, 1e-9, 1e9, &co.outlier_mad) != 0)
                return zs_cli_usage("calibrate", "--outlier-mad '%s': expected a number > 0", optarg);
            break;
        case 'G':
            if (zs_cli_parse_double(optarg, 0, 0.999, &co.mode_gap) != 0)
                return zs_cli_usage("calibrate", "--mode-gap '%s': expected a number in [0, 1)", optarg);
            break;
        case 'S': scan_column = optarg; break;
        case 'W':
            if (zs_cli_parse_double(optarg, 1, 1440, &wave_gap) != 0)
                return zs_cli_usage("calibrate", "--wave-gap '%s': expected minutes in [1, 1440]", optarg);
            break;
        case 'h': fputs(help, stdout); return 0;
        default: return zs_cli_usage("calibrate", "unknown option");
        }
    }
    if (optind != argc - 1)
        return zs_cli_usage("calibrate", optind == argc ? "missing HISTORY.csv" : "too many arguments");
    if (!points_path)
        return zs_cli_usage("calibrate", "--points POINTS.csv is required (history ids are checked against it)");
    const char *cols[5];
    char *save = NULL;
    cols[0] = strtok_r(colbuf, ",", &save);
    cols[1] = strtok_r(NULL, ",", &save);
    cols[2] = strtok_r(NULL, ",", &save);
    cols[3] = strtok_r(NULL, ",", &save);
    int need_pickups = cols[3] && colbuf_given; /* named on the command line */
    if (!cols[3])
        cols[3] = "pickups";
    if (!cols[0] || !cols[1] || !cols[2] || strtok_r(NULL, ",", &save))
        return zs_cli_usage("calibrate", "--columns: expected three or four names DATE,ID,PARCELS[,PICKUPS]");
    cols[4] = scan_column;
    {
        const zs_file_input in[] = {{argv[optind], "the history"}, {points_path, "--points"},
                                    {holidays, "--holidays"}};
        const char *outs[] = {points_out, h5};
        int rc = zs_cli_check_outputs(outs, 2, in, 3);
        if (rc)
            return rc;
    }

    zs_err err;
    zs_points *pts = NULL;
    history h = {0};
    int64_t *excl = NULL;
    size_t n_excl = 0;
    zs_demand_fit *fit = NULL;
    int has_pickups = 0;
    zs_points_opts po;
    zs_points_opts_defaults(&po);
    po.encoding = encoding;
    po.encoding_setting = "--encoding";
    zs_status st = zs_points_load_csv(points_path, &po, &pts, &err);
    if (st == ZS_OK && holidays)
        st = read_holidays(holidays, &excl, &n_excl, &err);
    if (st == ZS_OK)
        st = read_history(argv[optind], encoding, cols, pts, need_pickups, &h, &has_pickups, &err);
    if (st == ZS_OK) {
        co.exclude_days = excl;
        co.n_exclude = n_excl;
        co.pickups = has_pickups ? h.pickups : NULL;
        st = zs_demand_calibrate(pts->n, h.day, h.point, h.parcels, h.n, &co, &fit, &err);
        if (st != ZS_OK)
            zs_err_prefix(&err, "%s", argv[optind]);
    }
    if (st == ZS_OK) {
        print_fit(fit, pts, argv[optind]);
        if (h.scan)
            st = print_waves(&h, excl, n_excl, scan_column, wave_gap, &err);
        if (h5 && (st = zs_h5out_write_calibration(h5, pts, fit, argv[optind], &err)) == ZS_OK)
            printf("# fit written to %s (/models/demand, /models/calibration, /points)\n", h5);
        if (st == ZS_OK && points_out) {
            memcpy(pts->parcels, fit->mean, pts->n * sizeof *pts->parcels);
            st = zs_points_write_csv(pts, points_out, &err);
            if (st == ZS_OK)
                printf("# points with fitted mean parcels: %s (use it as points.file)\n", points_out);
        }
    }
    zs_demand_fit_free(fit);
    zs_free(excl);
    history_clear(&h);
    zs_points_free(pts);
    return st == ZS_OK ? 0 : zs_cli_fail(&err);
}
