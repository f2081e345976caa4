#include "models/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
