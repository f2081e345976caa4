/* Tests of models/status: message formats, context prefixes, truncation,
 * exit codes and NULL tolerance. */
#include <string.h>

#include "models/status.h"
#include "check.h"

/* Fills err->msg with a recognisable message of len characters. */
static void fill_msg(zs_err *err, size_t len)
{
    err->code = ZS_EINPUT;
    for (size_t i = 0; i < len; i++)
        err->msg[i] = (char)('a' + i % 26);
    err->msg[len] = '\0';
}

int main(void)
{
    zs_err err;
    zs_status st;

    /* zs_err_clear */
    zs_err_set(&err, ZS_EIO, "x");
    zs_err_clear(&err);
    CHECK(err.code == ZS_OK && err.msg[0] == '\0', "zs_err_clear resets code and message");
    zs_err_clear(NULL); /* must not crash: run.sh counts a crash as a failure */

    /* zs_err_set */
    st = zs_err_set(&err, ZS_EINVAL, "sim.replications = %d; must be >= %d", 0, 1);
    CHECK(st == ZS_EINVAL, "zs_err_set returns its code");
    CHECK(err.code == ZS_EINVAL, "zs_err_set stores its code");
    CHECK(strcmp(err.msg, "sim.replications = 0; must be >= 1") == 0,
          "zs_err_set formats printf-style (got '%s')", err.msg);
    CHECK(zs_err_set(NULL, ZS_EIO, "no buffer %d", 1) == ZS_EIO,
          "zs_err_set(NULL, ...) returns the code");

    /* A message longer than the buffer is cut, NUL-terminated. */
    {
        static char big[2 * ZS_ERR_MSG_MAX];
        memset(big, 'm', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        zs_err_set(&err, ZS_EIO, "%s", big);
        CHECK(strnlen(err.msg, sizeof err.msg) == ZS_ERR_MSG_MAX - 1 && err.msg[0] == 'm',
              "zs_err_set truncates a long message and NUL-terminates it");
    }

    /* zs_err_at: file:line:col, file:line, file, none */
    st = zs_err_at(&err, ZS_EINPUT, "scenarios/a.yaml", 14, 9,
                   "demand.weekday_factor: expected %d numbers, got %d", 7, 6);
    CHECK(st == ZS_EINPUT && err.code == ZS_EINPUT, "zs_err_at returns and stores the code");
    CHECK(strcmp(err.msg, "scenarios/a.yaml:14:9: demand.weekday_factor: expected 7 numbers, got 6")
              == 0,
          "zs_err_at with line and column gives file:line:col: msg (got '%s')", err.msg);
    zs_err_at(&err, ZS_EINPUT, "f.yaml", 14, 0, "bad %s", "key");
    CHECK(strcmp(err.msg, "f.yaml:14: bad key") == 0,
          "zs_err_at with col 0 gives file:line: msg (got '%s')", err.msg);
    zs_err_at(&err, ZS_EINPUT, "f.yaml", 0, 9, "empty file");
    CHECK(strcmp(err.msg, "f.yaml: empty file") == 0,
          "zs_err_at with line 0 omits line and column (got '%s')", err.msg);
    zs_err_at(&err, ZS_EINVAL, NULL, 3, 4, "no file");
    CHECK(strcmp(err.msg, "no file") == 0 && err.code == ZS_EINVAL,
          "zs_err_at with NULL file gives the bare message (got '%s')", err.msg);
    CHECK(zs_err_at(NULL, ZS_EINPUT, "f", 1, 1, "x") == ZS_EINPUT,
          "zs_err_at(NULL, ...) returns the code");

    /* A file name longer than the buffer: truncated, NUL-terminated. */
    {
        static char longname[3 * ZS_ERR_MSG_MAX];
        memset(longname, 'F', sizeof longname - 1);
        longname[sizeof longname - 1] = '\0';
        zs_err_at(&err, ZS_EINPUT, longname, 1, 2, "tail");
        size_t n = strnlen(err.msg, sizeof err.msg);
        CHECK(n == ZS_ERR_MSG_MAX - 1, "zs_err_at with a huge file name fills the buffer "
              "and stays NUL-terminated (len %zu)", n);
        CHECK(err.code == ZS_EINPUT, "zs_err_at with a huge file name keeps the code");
    }

    /* zs_err_prefix */
    zs_err_at(&err, ZS_EINPUT, "p.csv", 3, 0, "bad zone");
    zs_err_prefix(&err, "plan '%s'", "manual");
    CHECK(strcmp(err.msg, "plan 'manual': p.csv:3: bad zone") == 0,
          "zs_err_prefix prepends 'context: ' (got '%s')", err.msg);
    CHECK(err.code == ZS_EINPUT, "zs_err_prefix keeps the code");
    zs_err_prefix(NULL, "ignored"); /* must not crash */

    /* Long existing message: the head of the old message is kept, the
     * tail cut, and the result is NUL-terminated within the buffer. */
    fill_msg(&err, ZS_ERR_MSG_MAX - 1);
    zs_err_prefix(&err, "ctx");
    {
        size_t n = strnlen(err.msg, sizeof err.msg);
        CHECK(n == ZS_ERR_MSG_MAX - 1, "prefix onto a full message stays NUL-terminated "
              "at the buffer end (len %zu)", n);
        CHECK(strncmp(err.msg, "ctx: abcdef", 11) == 0,
              "prefix onto a full message keeps the context and the old head");
    }

    /* Long context: cut to fit, followed by ": " and nothing overflows. */
    {
        static char ctx[2 * ZS_ERR_MSG_MAX];
        memset(ctx, 'C', sizeof ctx - 1);
        ctx[sizeof ctx - 1] = '\0';
        zs_err_set(&err, ZS_EIO, "old");
        zs_err_prefix(&err, "%s", ctx);
        size_t n = strnlen(err.msg, sizeof err.msg);
        CHECK(n == ZS_ERR_MSG_MAX - 1, "a context longer than the buffer is truncated and "
              "NUL-terminated (len %zu)", n);
        CHECK(err.msg[0] == 'C' && err.msg[n - 2] == ':' && err.msg[n - 1] == ' ',
              "a truncated context still ends with ': '");
        CHECK(err.code == ZS_EIO, "a truncated context keeps the code");
    }

    /* Prefix onto an empty message. */
    zs_err_clear(&err);
    zs_err_prefix(&err, "only");
    CHECK(strcmp(err.msg, "only: ") == 0, "prefix onto an empty message (got '%s')", err.msg);

    /* Internal errors carry __FILE__:__LINE__ of the detecting code. */
    {
        int line = __LINE__ + 1;
        st = ZS_INTERNAL(&err, "invariant %s broken", "load >= 0");
        char want[256];
        snprintf(want, sizeof want, "internal error (%s:%d): invariant load >= 0 broken",
                 __FILE__, line);
        CHECK(st == ZS_EINTERNAL && err.code == ZS_EINTERNAL, "ZS_INTERNAL returns and stores "
              "ZS_EINTERNAL");
        CHECK(strcmp(err.msg, want) == 0, "ZS_INTERNAL message names file and line (got '%s')",
              err.msg);
        CHECK_CONTAINS(err.msg, "test_status.c", "ZS_INTERNAL message contains this file's name");
        CHECK(ZS_INTERNAL(NULL, "x") == ZS_EINTERNAL, "ZS_INTERNAL(NULL, ...) returns "
              "ZS_EINTERNAL");
    }
    {
        int line = __LINE__ + 1;
        st = ZS_NOMEM(&err);
        char want[256];
        snprintf(want, sizeof want, "out of memory (%s:%d)", __FILE__, line);
        CHECK(st == ZS_ENOMEM && err.code == ZS_ENOMEM, "ZS_NOMEM returns and stores ZS_ENOMEM");
        CHECK(strcmp(err.msg, want) == 0, "ZS_NOMEM message names file and line (got '%s')",
              err.msg);
        CHECK(ZS_NOMEM(NULL) == ZS_ENOMEM, "ZS_NOMEM(NULL) returns ZS_ENOMEM");
    }

    /* Exit codes: 0 ok, 2 for the user's errors, 1 for the rest. */
    CHECK(zs_status_exit_code(ZS_OK) == 0, "exit code of ZS_OK is 0");
    CHECK(zs_status_exit_code(ZS_EINPUT) == 2, "exit code of ZS_EINPUT is 2");
    CHECK(zs_status_exit_code(ZS_EINVAL) == 2, "exit code of ZS_EINVAL is 2");
    CHECK(zs_status_exit_code(ZS_ENOMEM) == 1, "exit code of ZS_ENOMEM is 1");
    CHECK(zs_status_exit_code(ZS_EIO) == 1, "exit code of ZS_EIO is 1");
    CHECK(zs_status_exit_code(ZS_ESOLVER) == 1, "exit code of ZS_ESOLVER is 1");
    CHECK(zs_status_exit_code(ZS_EINTERNAL) == 1, "exit code of ZS_EINTERNAL is 1");

    /* Names: distinct, and a fallback for out-of-range codes. */
    CHECK(strcmp(zs_status_name(ZS_OK), "ok") == 0, "name of ZS_OK is 'ok'");
    CHECK(strcmp(zs_status_name(ZS_EINPUT), "input error") == 0,
          "name of ZS_EINPUT is 'input error'");
    {
        int distinct = 1;
        for (int a = ZS_OK; a <= ZS_EINTERNAL; a++)
            for (int b = a + 1; b <= ZS_EINTERNAL; b++)
                if (strcmp(zs_status_name((zs_status)a), zs_status_name((zs_status)b)) == 0)
                    distinct = 0;
        CHECK(distinct, "every status code has a distinct name");
    }
    CHECK(strcmp(zs_status_name((zs_status)99), "unknown error") == 0,
          "an out-of-range code is named 'unknown error'");

    return zs_test_done();
}
