/*
 * models/alloc.h -- allocation with a failure-injection hook for tests.
 *
 * All zonesim allocations go through these wrappers so that tests can make
 * the n-th allocation fail and check that every error path releases what it
 * took and reports ZS_ENOMEM (the idea of Lua's ltests.c).  In production
 * the hook is disarmed and the wrappers cost one atomic load.
 */
#ifndef ZS_MODELS_ALLOC_H
#define ZS_MODELS_ALLOC_H

#include <stddef.h>

void *zs_malloc(size_t size);
/* Zeroed array of n elements of size bytes; NULL on overflow too. */
void *zs_calloc(size_t n, size_t size);
void *zs_realloc(void *p, size_t size);
/* Array of n elements of size bytes (overflow-checked, not zeroed). */
void *zs_malloc_array(size_t n, size_t size);
/* Copy of s (NULL for NULL s or failure). */
char *zs_strdup(const char *s);
void zs_free(void *p);

/* Bytes this process may expect to allocate: MemAvailable of
 * /proc/meminfo (else physical pages x page size), capped by the address
 * space and data limits (setrlimit, `ulimit -v`); 0 when none of these can
 * be read.  Reads the system's figures, keeps nothing. */
double zs_mem_available(void);

/* Writes "12.3 GB" (or MB, kB, B) for bytes into buf. */
void zs_mem_format(double bytes, char *buf, size_t len);

/* Test hook: after `count` more successful allocations, every allocation
 * fails until the hook is disarmed with a negative count. */
void zs_alloc_fail_after(long count);
/* Number of allocations made since the process started (for tests that
 * sweep every failure point). */
long zs_alloc_count(void);

#endif
