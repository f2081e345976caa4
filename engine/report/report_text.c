/*
 * engine/report/report_text.c -- the small helpers every part of the report
 * writes with (engine/report/report.h, report_internal.h): HTML escaping,
 * the plans' and point types' colours and a sortable table cell.  They
 * call nothing else of the report, so the writers that use them form no
 * cycle.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "report/report_internal.h"

/* Paul Tol's 'bright' scheme (7 colours), then three of his 'dark' ones
 * for the rarer point types. */
static const char *const series_hex[] = {"#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee",
                                         "#aa3377", "#bbbbbb", "#222255", "#225555", "#663333"};

const char *zs_report_series_hex(size_t i)
{
    return series_hex[i % (sizeof series_hex / sizeof series_hex[0])];
}

void zs_report_text(FILE *f, const char *s)
{
    for (const char *c = s ? s : ""; *c; c++) {
        switch (*c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            putc((unsigned char)*c < 0x20 && *c != '\t' && *c != '\n' ? ' ' : *c, f);
        }
    }
}

void zs_rep_td(FILE *f, double v, const char *fmt, ...)
{
    if (isfinite(v))
        fprintf(f, "<td data-v=\"%.10g\">", v);
    else
        fputs("<td>", f);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputs("</td>", f);
}
