/*
 * models/status.h -- status codes and the caller-owned error buffer.
 *
 * Every fallible function in zonesim returns a zs_status and, on failure,
 * writes one sentence into a zs_err the caller owns (a fixed buffer, so
 * reporting an error never allocates).  Input errors carry their place in
 * the form "file:line:column: message"; internal errors add the source
 * position of the code that detected them.  Only main() prints or exits.
 * This is the lowest layer: models/ and engine/ both use it.
 */
#ifndef ZS_MODELS_STATUS_H
#define ZS_MODELS_STATUS_H

#include <stdarg.h>
#include <stddef.h>

typedef enum {
    ZS_OK = 0,
    ZS_EINPUT,    /* bad input file or data: user's to fix */
    ZS_EINVAL,    /* bad option or parameter value: user's to fix */
    ZS_ENOMEM,    /* allocation failed */
    ZS_EIO,       /* read/write failure of the system or a library */
    ZS_ESOLVER,   /* a solver failed (not "infeasible": that is a result) */
    ZS_EINTERNAL  /* a bug: an invariant did not hold */
} zs_status;

#define ZS_ERR_MSG_MAX 1024

typedef struct {
    zs_status code;
    char msg[ZS_ERR_MSG_MAX];
} zs_err;

/* Clears err (code ZS_OK, empty message).  err may be NULL. */
void zs_err_clear(zs_err *err);

/* Sets code and a printf-style message; returns code.  err may be NULL. */
zs_status zs_err_set(zs_err *err, zs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
zs_status zs_err_setv(zs_err *err, zs_status code, const char *fmt, va_list ap);

/* Sets an input error located at file:line:col (1-based; col 0 = omit,
 * line 0 = omit both).  Returns code. */
zs_status zs_err_at(zs_err *err, zs_status code, const char *file, long line,
                    long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Prepends "context: " to the current message, keeping the code. */
void zs_err_prefix(zs_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Internal error with the detecting code's position. */
zs_status zs_err_internal(zs_err *err, const char *src, int line,
                          const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define ZS_INTERNAL(err, ...) zs_err_internal((err), __FILE__, __LINE__, __VA_ARGS__)

/* Out-of-memory error with the detecting code's position; returns ZS_ENOMEM. */
zs_status zs_err_nomem(zs_err *err, const char *src, int line);
#define ZS_NOMEM(err) zs_err_nomem((err), __FILE__, __LINE__)

/* Process exit status for a code: 0 ok, 2 bad input, 1 anything else. */
int zs_status_exit_code(zs_status code);

/* Short name of a code, e.g. "input error". */
const char *zs_status_name(zs_status code);

#endif
