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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* The shared benchmark data live in $ZS_SHARED/data (default ../shared, beside
 * the checkout).  zs_shared_file writes that path + "/data/" + rel into buf and
 * returns 1 when the file exists.  A clone without the shared directory (CI,
 * a copy in /tmp) is not a failure: it prints "SKIP: what (...)" and returns
 * 0.  When the shared directory exists but the file does not, that is a FAIL
 * (a moved or misspelt data file must not pass silently) and it returns 0. */
static int zs_shared_file(char *buf, size_t len, const char *rel, const char *what)
    __attribute__((unused));
static int zs_shared_file(char *buf, size_t len, const char *rel, const char *what)
{
    const char *root = getenv("ZS_SHARED");
    if (!root || !*root)
        root = "../shared";
    snprintf(buf, len, "%s/data/%s", root, rel);
    struct stat sb;
    if (stat(buf, &sb) == 0)
        return 1;
    if (stat(root, &sb) == 0)
        zs_check_at(0, __FILE__, __LINE__, "%s: %s exists but %s is missing", what, root, buf);
    else
        printf("SKIP: %s (shared directory %s absent)\n", what, root);
    fflush(stdout);
    return 0;
}

static int zs_test_done(void) __attribute__((unused));
static int zs_test_done(void)
{
    return zs_t_fail ? 1 : 0;
}


#include <dirent.h>

/* 1 when the directory of path holds a temporary of it: a name that is
 * path's own plus ".tmp" or plus ".<pid>.<n>.tmp" (engine/input/files.h),
 * i.e. base + "." ... ".tmp".  A failed or finished write leaves none. */
static int zs_t_tmp_left(const char *path) __attribute__((unused));
static int zs_t_tmp_left(const char *path)
{
    char dir[1024];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash == path ? 1 : slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t b = strlen(base);
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        found = n > b + 4 && !strncmp(e->d_name, base, b) && e->d_name[b] == '.' &&
                !strcmp(e->d_name + n - 4, ".tmp");
    }
    closedir(d);
    return found;
}

#endif
