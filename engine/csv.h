/*
 * engine/csv.h -- a line-numbering reader for delimited text files.
 *
 * Reads RFC 4180 style CSV (quoted fields, doubled quotes, CRLF or LF) or
 * whitespace-separated columns, one record at a time, remembering the line
 * and column where each field starts so every data error can name its
 * place: "points.csv:17:9: column 'x': expected a number, got 'abc'".
 * Blank lines are skipped; in whitespace mode lines starting with '#' too.
 * A UTF-8 byte-order mark at the start of the file is skipped.
 */
#ifndef ZS_ENGINE_CSV_H
#define ZS_ENGINE_CSV_H

#include <stddef.h>

#include "../models/status.h"

/* Delimiter value meaning "one or more spaces or tabs". */
#define ZS_CSV_WHITESPACE ' '

typedef struct zs_csv zs_csv;

/* Opens path for reading with the given delimiter (',' ';' '\t' or
 * ZS_CSV_WHITESPACE).  Returns ZS_EINPUT naming the file if it cannot be
 * opened. */
zs_status zs_csv_open(const char *path, char delim, zs_csv **out, zs_err *err);
void zs_csv_close(zs_csv *c);

/* Reads the next record.  Returns 1 when a record was read, 0 at end of
 * file, -1 on error (an unterminated quote, a line over 1 MiB, an
 * embedded NUL...; err names file:line:col). */
int zs_csv_next(zs_csv *c, zs_err *err);

/* Fields of the current record; valid until the next zs_csv_next. */
size_t zs_csv_nfields(const zs_csv *c);
const char *zs_csv_field(const zs_csv *c, size_t i);
/* 1-based line and column where the record / field i starts. */
long zs_csv_line(const zs_csv *c);
long zs_csv_col(const zs_csv *c, size_t i);
const char *zs_csv_path(const zs_csv *c);

/* Index of the field equal to name in the current record (the header),
 * or -1. */
long zs_csv_find(const zs_csv *c, const char *name);

/* Parses field i as a finite double.  On failure sets an input error at the
 * field's place: "column 'what': expected a number, got '...'".  A missing
 * field (i >= nfields) is reported at the end of the line. */
zs_status zs_csv_get_double(const zs_csv *c, size_t i, const char *what, double *out,
                            zs_err *err);

/* Fails with an input error at the current record: file:line: msg. */
zs_status zs_csv_error(const zs_csv *c, size_t field, zs_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
