#include "models/status.h"

#include <stdio.h>
#include <string.h>

void zs_err_clear(zs_err *err)
{
    if (!err)
        return;
    err->code = ZS_OK;
    err->msg[0] = '\0';
}

zs_status zs_err_setv(zs_err *err, zs_status code, const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    }
    return code;
}

zs_status zs_err_set(zs_err *err, zs_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zs_err_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

zs_status zs_err_at(zs_err *err, zs_status code, const char *file, long line,
                    long col, const char *fmt, ...)
{
    if (!err)
        return code;
    size_t used = 0;
    if (file && line > 0 && col > 0)
        used = (size_t)snprintf(err->msg, sizeof err->msg, "%s:%ld:%ld: ", file, line, col);
    else if (file && line > 0)
        used = (size_t)snprintf(err->msg, sizeof err->msg, "%s:%ld: ", file, line);
    else if (file)
        used = (size_t)snprintf(err->msg, sizeof err->msg, "%s: ", file);
    if (used >= sizeof err->msg)
        used = sizeof err->msg - 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + used, sizeof err->msg - used, fmt, ap);
    va_end(ap);
    err->code = code;
    return code;
}

void zs_err_prefix(zs_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    char out[ZS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, sizeof out - 2, fmt, ap);
    va_end(ap);
    size_t used = n < 0 ? 0 : (size_t)n;
    if (used > sizeof out - 3)
        used = sizeof out - 3;
    out[used++] = ':';
    out[used++] = ' ';
    size_t rest = strnlen(err->msg, sizeof err->msg - 1);
    if (rest > sizeof out - 1 - used)
        rest = sizeof out - 1 - used; /* keep the head, cut the tail */
    memcpy(out + used, err->msg, rest);
    out[used + rest] = '\0';
    memcpy(err->msg, out, used + rest + 1);
}

zs_status zs_err_internal(zs_err *err, const char *src, int line, const char *fmt, ...)
{
    if (!err)
        return ZS_EINTERNAL;
    int used = snprintf(err->msg, sizeof err->msg, "internal error (%s:%d): ", src, line);
    if (used < 0 || (size_t)used >= sizeof err->msg)
        used = (int)sizeof err->msg - 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + used, sizeof err->msg - (size_t)used, fmt, ap);
    va_end(ap);
    err->code = ZS_EINTERNAL;
    return ZS_EINTERNAL;
}

zs_status zs_err_nomem(zs_err *err, const char *src, int line)
{
    return zs_err_set(err, ZS_ENOMEM, "out of memory (%s:%d)", src, line);
}

int zs_status_exit_code(zs_status code)
{
    switch (code) {
    case ZS_OK: return 0;
    case ZS_EINPUT:
    case ZS_EINVAL: return 2;
    default: return 1;
    }
}

const char *zs_status_name(zs_status code)
{
    switch (code) {
    case ZS_OK: return "ok";
    case ZS_EINPUT: return "input error";
    case ZS_EINVAL: return "invalid value";
    case ZS_ENOMEM: return "out of memory";
    case ZS_EIO: return "i/o error";
    case ZS_ESOLVER: return "solver error";
    case ZS_EINTERNAL: return "internal error";
    }
    return "unknown error";
}
