/*
 * engine/results/compare_stats.c -- small pieces the comparison table's
 * files share (compare_table.h, compare_table_internal.h): the Wilson
 * interval, a plan's median, and the temporary-file writer.  Called by
 * compare_table.c and compare_report.c; it calls neither.
 */
#include "results/compare_table.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "input/files.h"
#include "results/compare_table_internal.h"

/* z of a two-sided 95% interval: the normal 0.975 quantile. */
#define Z95 1.959963984540054

void zs_compare_wilson(double k, double n, double *lo, double *hi)
{
    if (!(n > 0)) {
        *lo = *hi = NAN;
        return;
    }
    double p = k / n, z2 = Z95 * Z95, den = 1.0 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / den;
    double half = Z95 / den * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
    *lo = fmax(0.0, centre - half);
    *hi = fmin(1.0, centre + half);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double zs_compare_median(const zs_compare *c, size_t plan, zs_compare_metric m)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_rows; i++)
        n += c->rows[i].plan == plan;
    double *v = n ? zs_malloc_array(n, sizeof *v) : NULL;
    if (!v)
        return NAN;
    size_t j = 0;
    for (size_t i = 0; i < c->n_rows; i++)
        if (c->rows[i].plan == plan)
            v[j++] = c->rows[i].v[m];
    qsort(v, n, sizeof *v, cmp_double);
    double med = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    zs_free(v);
    return med;
}

FILE *zs_compare_open_tmp(const char *path, char **tmp, zs_err *err)
{
    *tmp = NULL;
    if (zs_file_claim_output(path, err) != ZS_OK)
        return NULL;
    if (!(*tmp = zs_file_tmp_name(path, err))) {
        zs_file_release_output(path);
        return NULL;
    }
    FILE *f = fopen(*tmp, "w");
    if (!f) {
        int e = errno;
        const char *t = zs_file_errno_text(e);
        zs_err_set(err, ZS_EIO, "%s: cannot create %s: %s", path, *tmp, t ? t : strerror(e));
        zs_file_release_output(path);
    }
    return f;
}

zs_status zs_compare_close_tmp(FILE *f, char *tmp, const char *path, zs_err *err)
{
    int e = 0;
    if (fflush(f) != 0 || ferror(f))
        e = errno ? errno : EIO;
    if (fclose(f) != 0 && !e)
        e = errno;
    zs_status st = ZS_OK;
    if (e)
        st = zs_file_write_error(err, e, path, tmp);
    else if (rename(tmp, path) != 0)
        st = zs_err_set(err, ZS_EIO, "%s: cannot rename %s to it: %s", path, tmp, strerror(errno));
    if (st != ZS_OK)
        remove(tmp); /* ours alone */
    zs_free(tmp);
    zs_file_release_output(path);
    return st;
}
