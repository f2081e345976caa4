#include "models/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* Negative = disarmed.  Atomic because worker threads allocate too; only
 * tests arm it, so the counter is not "shared mutable model state". */
static _Atomic long fail_budget = -1;
static _Atomic long alloc_total = 0;

void zs_alloc_fail_after(long count) { atomic_store(&fail_budget, count); }
long zs_alloc_count(void) { return atomic_load(&alloc_total); }

static int should_fail(void)
{
    atomic_fetch_add(&alloc_total, 1);
    /* Compare-and-swap, so that two threads seeing a budget of 1 cannot
     * both take it and drive it to -1 (which would disarm the hook). */
    long b = atomic_load(&fail_budget);
    for (;;) {
        if (b < 0)
            return 0;
        if (b == 0)
            return 1;
        if (atomic_compare_exchange_weak(&fail_budget, &b, b - 1))
            return 0;
    }
}

void *zs_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *zs_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    if (n == 0 || size == 0)
        return calloc(1, 1);
    /* Checked here, not left to calloc: ASan aborts on an overflowing
     * calloc instead of returning NULL. */
    if (n > SIZE_MAX / size)
        return NULL;
    return calloc(n, size);
}

void *zs_malloc_array(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return zs_malloc(n * size);
}

void *zs_realloc(void *p, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(p, size ? size : 1);
}

char *zs_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = zs_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void zs_free(void *p) { free(p); }

double zs_mem_available(void)
{
    double avail = 0.0;
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        char line[128];
        unsigned long long kb;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
                avail = (double)kb * 1024.0;
                break;
            }
        fclose(f);
    }
    if (!(avail > 0.0)) {
        long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
        if (pages > 0 && size > 0)
            avail = (double)pages * (double)size;
    }
    const int res[2] = {RLIMIT_AS, RLIMIT_DATA};
    for (int i = 0; i < 2; i++) {
        struct rlimit rl;
        if (getrlimit(res[i], &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
            (!(avail > 0.0) || (double)rl.rlim_cur < avail))
            avail = (double)rl.rlim_cur;
    }
    return avail;
}

void zs_mem_format(double bytes, char *buf, size_t len)
{
    static const char *const unit[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    int u = 0;
    while (bytes >= 1000.0 && u < 6) {
        bytes /= 1000.0;
        u++;
    }
    snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", bytes, unit[u]);
}
