/* Tests of models/alloc: the failure-injection hook, overflow checks and
 * the wrappers' ordinary behaviour. */
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>

#include "models/alloc.h"
#include "check.h"

int main(void)
{
    /* Ordinary behaviour with the hook disarmed. */
    zs_alloc_fail_after(-1);
    void *p = zs_malloc(0);
    CHECK(p != NULL, "zs_malloc(0) returns a freeable non-NULL pointer");
    zs_free(p);
    zs_free(NULL); /* a no-op; run.sh counts a crash as a failure */

    unsigned char *z = zs_calloc(64, 4);
    int zero = z != NULL;
    for (size_t i = 0; z && i < 256; i++)
        zero &= z[i] == 0;
    CHECK(zero, "zs_calloc(64, 4) returns 256 zeroed bytes");
    zs_free(z);
    p = zs_calloc(0, 8);
    CHECK(p != NULL, "zs_calloc(0, 8) returns a freeable non-NULL pointer");
    zs_free(p);

    char *s = zs_strdup("zone 7");
    CHECK(s && strcmp(s, "zone 7") == 0, "zs_strdup copies the string");
    CHECK(s && s != (const char *)"zone 7", "zs_strdup returns a new buffer");
    char *g = zs_realloc(s, 4096);
    CHECK(g && strcmp(g, "zone 7") == 0, "zs_realloc keeps the contents when growing");
    zs_free(g ? g : s);
    CHECK(zs_strdup(NULL) == NULL, "zs_strdup(NULL) is NULL");
    s = zs_strdup("");
    CHECK(s && s[0] == '\0', "zs_strdup(\"\") gives an empty string");
    zs_free(s);

    /* Overflow: n * size does not fit in size_t. */
    CHECK(zs_calloc(SIZE_MAX / 2 + 1, 2) == NULL, "zs_calloc returns NULL when n*size overflows");
    CHECK(zs_calloc(2, SIZE_MAX / 2 + 1) == NULL,
          "zs_calloc returns NULL when n*size overflows (operands swapped)");
    CHECK(zs_malloc_array(SIZE_MAX / 8 + 1, 8) == NULL,
          "zs_malloc_array returns NULL when n*size overflows");
    p = zs_malloc_array(SIZE_MAX / 8, 0);
    CHECK(p != NULL, "zs_malloc_array(n, 0) does not report overflow");
    zs_free(p);
    p = zs_malloc_array(10, sizeof(double));
    CHECK(p != NULL, "zs_malloc_array(10, 8) succeeds");
    if (p)
        memset(p, 0xab, 10 * sizeof(double)); /* ASan checks the size */
    zs_free(p);

    /* zs_alloc_count counts every attempt. */
    long c0 = zs_alloc_count();
    p = zs_malloc(8);
    zs_free(p);
    p = zs_calloc(1, 8);
    zs_free(p);
    CHECK(zs_alloc_count() == c0 + 2, "zs_alloc_count grows by one per allocation (%ld -> %ld)",
          c0, zs_alloc_count());

    /* fail_after(0): the next allocation fails, and every one after it. */
    zs_alloc_fail_after(0);
    void *a = zs_malloc(16);
    void *b = zs_calloc(2, 8);
    void *r = zs_realloc(NULL, 16);
    char *d = zs_strdup("x");
    void *m = zs_malloc_array(2, 8);
    zs_alloc_fail_after(-1);
    CHECK(a == NULL, "fail_after(0): zs_malloc fails");
    CHECK(b == NULL, "fail_after(0): zs_calloc fails too");
    CHECK(r == NULL, "fail_after(0): zs_realloc fails too");
    CHECK(d == NULL, "fail_after(0): zs_strdup fails too");
    CHECK(m == NULL, "fail_after(0): zs_malloc_array fails too");
    zs_free(a), zs_free(b), zs_free(r), zs_free(d), zs_free(m);

    /* A failing zs_realloc leaves the old block alone. */
    char *keep = zs_strdup("kept");
    zs_alloc_fail_after(0);
    char *grown = zs_realloc(keep, 1 << 16);
    zs_alloc_fail_after(-1);
    CHECK(grown == NULL && keep && strcmp(keep, "kept") == 0,
          "a failed zs_realloc returns NULL and keeps the old block");
    zs_free(grown ? grown : keep);

    /* fail_after(2): two allocations succeed, the third fails. */
    zs_alloc_fail_after(2);
    void *x[4];
    for (int i = 0; i < 4; i++)
        x[i] = zs_malloc(32);
    zs_alloc_fail_after(-1);
    CHECK(x[0] != NULL && x[1] != NULL, "fail_after(2): the first two allocations succeed");
    CHECK(x[2] == NULL && x[3] == NULL, "fail_after(2): the third and later allocations fail");
    for (int i = 0; i < 4; i++)
        zs_free(x[i]);

    /* A negative count disarms. */
    zs_alloc_fail_after(0);
    zs_alloc_fail_after(-1);
    int ok = 1;
    for (int i = 0; i < 100; i++) {
        void *q = zs_malloc(8);
        ok &= q != NULL;
        zs_free(q);
    }
    CHECK(ok, "fail_after(-1) disarms: 100 allocations succeed");

    /* The sweep pattern other tests use: arm at k, count successes. */
    for (long k = 0; k < 3; k++) {
        zs_alloc_fail_after(k);
        int got = 0;
        void *y[5];
        for (int i = 0; i < 5; i++) {
            y[i] = zs_malloc(4);
            got += y[i] != NULL;
        }
        zs_alloc_fail_after(-1);
        CHECK(got == k, "fail_after(%ld) lets exactly %ld of 5 allocations succeed (got %d)", k,
              k, got);
        for (int i = 0; i < 5; i++)
            zs_free(y[i]);
    }

    /* Memory available for up-front estimates (issue 22). */
    double avail = zs_mem_available();
    CHECK(avail > 0.0, "zs_mem_available: some memory on this machine (%.0f bytes)", avail);
    struct rlimit old;
    if (getrlimit(RLIMIT_AS, &old) == 0) {
        struct rlimit low = old;
        low.rlim_cur = (rlim_t)1 << 28; /* 256 MiB: above this test's use, below the machine's */
        if (old.rlim_cur == RLIM_INFINITY || old.rlim_cur > low.rlim_cur) {
            if (setrlimit(RLIMIT_AS, &low) == 0) {
                double capped = zs_mem_available();
                setrlimit(RLIMIT_AS, &old);
                CHECK(avail <= 268435456.0 || capped == 268435456.0,
                      "zs_mem_available is capped by the address-space limit (%.0f)", capped);
            }
        }
    }
    char buf[32];
    zs_mem_format(8e9, buf, sizeof buf);
    CHECK(strcmp(buf, "8.0 GB") == 0, "zs_mem_format(8e9) = '8.0 GB' (%s)", buf);
    zs_mem_format(999, buf, sizeof buf);
    CHECK(strcmp(buf, "999 B") == 0, "zs_mem_format(999) = '999 B' (%s)", buf);
    zs_mem_format(1.113e14, buf, sizeof buf);
    CHECK(strcmp(buf, "111.3 TB") == 0, "zs_mem_format(1.113e14) = '111.3 TB' (%s)", buf);

    return zs_test_done();
}
