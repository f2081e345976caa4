#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int zs_cli_fail(const zs_err *err)
{
    fprintf(stderr, "zonesim: %s\n", err->msg);
    return zs_status_exit_code(err->code);
}

int zs_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "zonesim %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'zonesim %s --help')\n", cmd);
    va_end(ap);
    return 2;
}

int zs_cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int zs_cli_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (*s == '-' || !*s)
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int zs_cli_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int zs_cli_check_outputs(const char *const *outs, size_t nout, const zs_file_input *in,
                         size_t nin)
{
    zs_err err;
    for (size_t i = 0; i < nout; i++)
        if (outs[i] && zs_file_check_clobber(outs[i], in, nin, &err) != ZS_OK)
            return zs_cli_fail(&err);
    return 0;
}
