/*
 * tests/check.h -- the unit-test harness (GSL's gsl_test style).
 *
 * Each check prints one line, "PASS: description" or "FAIL: description
 * (file:line)"; tests/run.sh counts them over every test program.  A test
 * program returns non-zero when any of its checks failed.
 */
#ifndef ZS_TESTS_CHECK_H
#define ZS_TESTS_CHECK_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int zs_t_pass, zs_t_fail;

static void zs_check_at(int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), unused));
static void zs_check_at(int ok, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(ok ? "PASS: " : "FAIL: ", stdout);
    vprintf(fmt, ap);
    if (!ok)
        printf(" (%s:%d)", file, line);
    putchar('\n');
    va_end(ap);
    if (ok)
        zs_t_pass++;
    else
        zs_t_fail++;
    fflush(stdout);
}

/* CHECK(condition, "description", ...) */
#define CHECK(cond, ...) zs_check_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* |a - b| <= tol */
#define CHECK_NEAR(a, b, tol, ...) \
    zs_check_at(fabs((double)(a) - (double)(b)) <= (tol), __FILE__, __LINE__, __VA_ARGS__)

/* Checks that a message contains a substring, printing both on failure. */
#define CHECK_CONTAINS(msg, sub, desc) \
    do { \
        const char *zs_m_ = (msg), *zs_s_ = (sub); \
        int zs_ok_ = zs_m_ && strstr(zs_m_, zs_s_) != NULL; \
        zs_check_at(zs_ok_, __FILE__, __LINE__, "%s", desc); \
        if (!zs_ok_) \
            printf("      expected to contain: %s\n      got: %s\n", zs_s_, zs_m_ ? zs_m_ : "(null)"); \
    } while (0)

static int zs_test_done(void) __attribute__((unused));
static int zs_test_done(void)
{
    return zs_t_fail ? 1 : 0;
}

#endif
