/*
 * engine/input/bench_io.c -- OR-Library p-median and capacitated p-median
 * readers (see bench_io.h).
 */
#include "input/bench_io.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/alloc.h"
#include "input/csv.h"

const char *zs_cpmp_dist_name(zs_cpmp_dist r)
{
    switch (r) {
    case ZS_CPMP_DIST_AUTO: return "auto";
    case ZS_CPMP_DIST_FLOOR: return "floor";
    case ZS_CPMP_DIST_EUCLID: return "euclid";
    }
    return "?";
}

/* Field i of the current record as an integer in [lo, hi]; `what` names it
 * in the message ("vertex count: expected an integer, got 'x'"). */
static zs_status get_int(const zs_csv *c, size_t i, const char *what, long lo, long hi,
                         long *out, zs_err *err)
{
    const char *s = zs_csv_field(c, i);
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE)
        return zs_csv_error(c, i, err, "%s: expected an integer, got '%.40s%s'", what, s,
                            strlen(s) > 40 ? "..." : "");
    if (v < lo || v > hi)
        return zs_csv_error(c, i, err, "%s = %lld; must be in %ld..%ld", what, v, lo, hi);
    *out = (long)v;
    return ZS_OK;
}

/* Field i as a finite number within [-max, max]: sums of n such numbers
 * (path lengths, objectives) must stay far from overflow (issue 22). */
static zs_status get_num(const zs_csv *c, size_t i, const char *what, double max, double *out,
                         zs_err *err)
{
    const char *s = zs_csv_field(c, i);
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        return zs_csv_error(c, i, err, "%s: expected a number, got '%.40s%s'", what, s,
                            strlen(s) > 40 ? "..." : "");
    if (fabs(v) > max)
        return zs_csv_error(c, i, err, "%s = %g; must be in [%g, %g]", what, v, -max, max);
    *out = v;
    return ZS_OK;
}

/* Field i as a finite number in [0, max]. */
static zs_status get_nonneg(const zs_csv *c, size_t i, const char *what, double max,
                            double *out, zs_err *err)
{
    double v = 0.0;
    zs_status st = get_num(c, i, what, HUGE_VAL, &v, err);
    if (st != ZS_OK)
        return st;
    if (v < 0 || v > max)
        return zs_csv_error(c, i, err, "%s = %g; must be in [0, %g]", what, v, max);
    *out = v;
    return ZS_OK;
}

/* Checks the current record has exactly `want` fields: too few is placed
 * one past the end of the line, too many at the first extra field. */
static zs_status need_fields(const zs_csv *c, size_t want, const char *layout, zs_err *err)
{
    size_t nf = zs_csv_nfields(c);
    if (nf == want)
        return ZS_OK;
    return zs_csv_error(c, nf < want ? nf : want, err, "expected %zu fields (%s), got %zu", want,
                        layout, nf);
}

/* Opens whitespace-separated file path at its header line, which must
 * hold the want fields of layout; on failure nothing is left open. */
static zs_status open_at_header(const char *path, size_t want, const char *layout, zs_csv **c,
                                zs_err *err)
{
    zs_status st = zs_csv_open(path, ZS_CSV_WHITESPACE, c, err);
    if (st != ZS_OK)
        return st;
    int r = zs_csv_next(*c, err);
    if (r < 0)
        st = err->code;
    else if (r == 0)
        st = zs_err_at(err, ZS_EINPUT, path, 0, 0, "empty file (expected '%s')", layout);
    else
        st = need_fields(*c, want, layout, err);
    if (st != ZS_OK) {
        zs_csv_close(*c);
        *c = NULL;
    }
    return st;
}

/* After the record loop ended with r (0: end of file, < 0: error in err):
 * a file must hold every one of the want lines of what its header (on
 * header_line) announced. */
static zs_status check_end(int r, size_t got, size_t want, const char *what, const char *path,
                          long header_line, zs_err *err)
{
    if (r < 0)
        return err->code;
    if (got < want)
        return zs_err_at(err, ZS_EINPUT, path, 0, 0,
                         "file ends after %zu of the %zu %s lines announced on line %ld", got, want,
                         what, header_line);
    return ZS_OK;
}

void zs_orlib_pmed_free(zs_orlib_pmed *g)
{
    if (!g)
        return;
    zs_free(g->dist);
    zs_free(g);
}

/* Monotonic seconds. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

zs_status zs_orlib_pmed_load(const char *path, zs_orlib_pmed **out, zs_err *err)
{
    return zs_orlib_pmed_load_within(path, 0.0, out, err);
}

zs_status zs_orlib_pmed_load_within(const char *path, double time_limit_s,
                                    zs_orlib_pmed **out, zs_err *err)
{
    *out = NULL;
    double t0 = now_s();
    if (!(time_limit_s >= 0.0) || !(time_limit_s <= 1e6))
        return zs_err_set(err, ZS_EINVAL, "orlib time limit = %g s; must be in [0, 1e6]",
                          time_limit_s);
    zs_csv *c = NULL;
    zs_orlib_pmed *g = NULL;
    zs_status st = open_at_header(path, 3, "vertices edges p", &c, err);
    if (st != ZS_OK)
        return st;
    int r;
    long n = 0, ne = 0, p = 0;
    if ((st = get_int(c, 0, "vertices", 1, ZS_BENCH_MAX_N, &n, err)) != ZS_OK ||
        (st = get_int(c, 1, "edges", 0, 100000000L, &ne, err)) != ZS_OK ||
        (st = get_int(c, 2, "p", 1, n, &p, err)) != ZS_OK)
        goto fail;
    long header_line = zs_csv_line(c);
    size_t un = (size_t)n;
    g = zs_calloc(1, sizeof *g);
    if (!g || !(g->dist = zs_malloc_array(un * un, sizeof *g->dist))) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    g->n = un;
    g->p = (size_t)p;
    double *D = g->dist;
    for (size_t i = 0; i < un * un; i++)
        D[i] = INFINITY;
    for (size_t i = 0; i < un; i++)
        D[i * un + i] = 0.0;
    long got = 0;
    while ((r = zs_csv_next(c, err)) == 1) {
        if (got == ne) {
            st = zs_csv_error(c, 0, err, "more edge lines than the %ld announced on line %ld", ne,
                              header_line);
            goto fail;
        }
        long a, b;
        double cost;
        if ((st = need_fields(c, 3, "i j cost", err)) != ZS_OK ||
            (st = get_int(c, 0, "vertex", 1, n, &a, err)) != ZS_OK ||
            (st = get_int(c, 1, "vertex", 1, n, &b, err)) != ZS_OK ||
            (st = get_nonneg(c, 2, "edge cost", ZS_BENCH_MAX_COST, &cost, err)) != ZS_OK)
            goto fail;
        /* OR-Library: a repeated edge's LAST cost counts, so overwrite. */
        if (a != b) {
            D[(size_t)(a - 1) * un + (size_t)(b - 1)] = cost;
            D[(size_t)(b - 1) * un + (size_t)(a - 1)] = cost;
        }
        got++;
    }
    if ((st = check_end(r, (size_t)got, (size_t)ne, "edge", path, header_line, err)) != ZS_OK)
        goto fail;
    g->edges = (size_t)got;
    /* Floyd-Warshall; the row of k is read while row i is written, which is
     * safe because D[k][k] = 0 leaves row k unchanged in step k. */
    for (size_t k = 0; k < un; k++) {
        /* the clock once per pivot: n^2 operations between two looks
         * (16 M at n = 4,000, about 10 ms) */
        if (time_limit_s > 0.0 && now_s() - t0 > time_limit_s) {
            zs_free(g->dist);
            g->dist = NULL;
            g->timed_out = 1;
            g->load_s = now_s() - t0;
            zs_csv_close(c);
            *out = g;
            return ZS_OK;
        }
        const double *dk = D + k * un;
        for (size_t i = 0; i < un; i++) {
            double *di = D + i * un;
            double dik = di[k];
            if (dik == INFINITY)
                continue;
            for (size_t j = 0; j < un; j++) {
                double v = dik + dk[j];
                di[j] = v < di[j] ? v : di[j];
            }
        }
    }
    for (size_t j = 1; j < un; j++)
        if (D[j] == INFINITY) {
            st = zs_err_at(err, ZS_EINPUT, path, 0, 0,
                           "the graph is not connected: no path from vertex 1 to vertex %zu",
                           j + 1);
            goto fail;
        }
    zs_csv_close(c);
    g->load_s = now_s() - t0;
    *out = g;
    return ZS_OK;
fail:
    zs_csv_close(c);
    zs_orlib_pmed_free(g);
    return st;
}

zs_cpmp_dist zs_cpmp_dist_for_path(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    if (strncmp(b, "cpmp", 4) == 0 && b[4] >= '0' && b[4] <= '9')
        return ZS_CPMP_DIST_FLOOR;
    return ZS_CPMP_DIST_EUCLID;
}

void zs_cpmp_free(zs_cpmp *c)
{
    if (!c)
        return;
    zs_free(c->x);
    zs_free(c->y);
    zs_free(c->capacity);
    zs_free(c->demand);
    zs_free(c);
}

zs_status zs_cpmp_load(const char *path, zs_cpmp_dist rule, zs_cpmp **out, zs_err *err)
{
    *out = NULL;
    if ((int)rule < ZS_CPMP_DIST_AUTO || (int)rule > ZS_CPMP_DIST_EUCLID)
        return zs_err_set(err, ZS_EINVAL, "cpmp distance rule %d; not a rule", (int)rule);
    zs_csv *c = NULL;
    zs_cpmp *P = NULL;
    zs_status st = open_at_header(path, 2, "n p", &c, err);
    if (st != ZS_OK)
        return st;
    int r;
    long n = 0, p = 0;
    if ((st = get_int(c, 0, "n", 1, ZS_BENCH_MAX_N, &n, err)) != ZS_OK ||
        (st = get_int(c, 1, "p", 1, n, &p, err)) != ZS_OK)
        goto fail;
    long header_line = zs_csv_line(c);
    size_t un = (size_t)n;
    P = zs_calloc(1, sizeof *P);
    if (!P || !(P->x = zs_malloc_array(un, sizeof *P->x)) ||
        !(P->y = zs_malloc_array(un, sizeof *P->y)) ||
        !(P->capacity = zs_malloc_array(un, sizeof *P->capacity)) ||
        !(P->demand = zs_malloc_array(un, sizeof *P->demand))) {
        st = ZS_NOMEM(err);
        goto fail;
    }
    P->n = un;
    P->p = (size_t)p;
    P->rule = rule == ZS_CPMP_DIST_AUTO ? zs_cpmp_dist_for_path(path) : rule;
    size_t got = 0;
    while ((r = zs_csv_next(c, err)) == 1) {
        if (got == un) {
            st = zs_csv_error(c, 0, err, "more point lines than the %zu announced on line %ld", un,
                              header_line);
            goto fail;
        }
        if ((st = need_fields(c, 4, "x y capacity demand", err)) != ZS_OK ||
            (st = get_num(c, 0, "x", ZS_BENCH_MAX_COORD, &P->x[got], err)) != ZS_OK ||
            (st = get_num(c, 1, "y", ZS_BENCH_MAX_COORD, &P->y[got], err)) != ZS_OK ||
            (st = get_nonneg(c, 2, "capacity", ZS_BENCH_MAX_QTY, &P->capacity[got], err)) != ZS_OK ||
            (st = get_nonneg(c, 3, "demand", ZS_BENCH_MAX_QTY, &P->demand[got], err)) != ZS_OK)
            goto fail;
        got++;
    }
    if ((st = check_end(r, got, un, "point", path, header_line, err)) != ZS_OK)
        goto fail;
    zs_csv_close(c);
    *out = P;
    return ZS_OK;
fail:
    zs_csv_close(c);
    zs_cpmp_free(P);
    return st;
}

zs_status zs_cpmp_distances(const zs_cpmp *c, double **out, zs_err *err)
{
    size_t n = c->n;
    double *D = zs_malloc_array(n * n, sizeof *D);
    *out = NULL;
    if (!D)
        return ZS_NOMEM(err);
    int fl = c->rule == ZS_CPMP_DIST_FLOOR;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double dx = c->x[i] - c->x[j], dy = c->y[i] - c->y[j], d = sqrt(dx * dx + dy * dy);
            D[i * n + j] = fl ? floor(d) : d;
        }
    *out = D;
    return ZS_OK;
}
