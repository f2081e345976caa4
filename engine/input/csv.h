/*
 * engine/input/csv.h -- a line-numbering reader for delimited text files.
 *
 * Reads RFC 4180 style CSV (quoted fields, doubled quotes, CRLF or LF) or
 * whitespace-separated columns, one record at a time, remembering the line
 * and column where each field starts so every data error can name its
 * place: "points.csv:17:9: column 'x': expected a number, got 'abc'".
 * Blank lines are skipped; in whitespace mode lines starting with '#' too.
 * A UTF-8 byte-order mark at the start of the file is skipped.
 *
 * Text is UTF-8.  zs_csv_open checks the whole file first and fails at the
 * first invalid byte ("not valid UTF-8 (looks like GBK/GB18030: set ...)").
 * zs_csv_open_enc reads a file in another encoding (gbk, gb18030, any name
 * glibc iconv_open accepts): the whole file is converted to UTF-8 in memory
 * before parsing, so every field and message is UTF-8; columns of later
 * errors then count bytes of the UTF-8 text.
 */
#ifndef ZS_ENGINE_CSV_H
#define ZS_ENGINE_CSV_H

#include <stddef.h>

#include "models/status.h"

/* Delimiter value meaning "one or more spaces or tabs". */
#define ZS_CSV_WHITESPACE ' '

typedef struct zs_csv zs_csv;

/* Opens path for reading with the given delimiter (',' ';' '\t' or
 * ZS_CSV_WHITESPACE).  Returns ZS_EINPUT naming the file if it cannot be
 * opened. */
zs_status zs_csv_open(const char *path, char delim, zs_csv **out, zs_err *err);
void zs_csv_close(zs_csv *c);

/* Addition: as zs_csv_open, reading the file in encoding (NULL, "utf-8" or
 * "utf8", any case: UTF-8, checked).  An invalid byte sequence is the input
 * error FILE:LINE:COL (the place in the original file's bytes).  setting
 * names what the user sets to choose the encoding, for the hint in the
 * not-UTF-8 message: "points.encoding" (-> "set points.encoding: gb18030"),
 * "--encoding" (-> "set --encoding gb18030"); NULL: "the encoding". */
zs_status zs_csv_open_enc(const char *path, char delim, const char *encoding,
                          const char *setting, zs_csv **out, zs_err *err);

/* Addition: 1 if name means UTF-8 (NULL, "utf-8", "utf8", any case). */
int zs_csv_encoding_is_utf8(const char *name);

/* Addition: ZS_OK if name is UTF-8 or an encoding iconv converts to UTF-8,
 * else ZS_EINVAL "unknown encoding 'NAME' (...)". */
zs_status zs_csv_encoding_check(const char *name, zs_err *err);

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

/* Index of the first field equal to name in the current record (the
 * header), ignoring spaces and tabs around the field, or -1. */
long zs_csv_find(const zs_csv *c, const char *name);

/* Index of the header field name (as zs_csv_find), or the input error
 * "FILE:LINE:1: no column 'name' in header (columns: a, b, c)". */
zs_status zs_csv_require(const zs_csv *c, const char *name, long *col, zs_err *err);

/* Parses field i as a finite double.  On failure sets an input error at the
 * field's place: "column 'what': expected a number, got '...'".  A missing
 * field (i >= nfields) is reported at the end of the line. */
zs_status zs_csv_get_double(const zs_csv *c, size_t i, const char *what, double *out,
                            zs_err *err);

/* Fails with an input error at the current record: file:line:col: msg,
 * where col is field's column; a field >= nfields (missing) is placed one
 * past the end of the record's last line, and ZS_CSV_NO_FIELD gives
 * file:line: msg.  Returns ZS_EINPUT. */
zs_status zs_csv_error(const zs_csv *c, size_t field, zs_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Addition (backwards compatible): field value "no field" for zs_csv_error. */
#define ZS_CSV_NO_FIELD ((size_t)-1)

/* Longest physical line (and record) accepted, in bytes without the line
 * end: longer ones are an error rather than an unbounded allocation. */
#define ZS_CSV_LINE_MAX ((size_t)1 << 20)

/* Number of fields of the first record read (the header), 0 before it. */
size_t zs_csv_header_nfields(const zs_csv *c);

/* Field i as a string, or the input error "column 'what': missing (line has
 * N fields, header has M)" placed one past the end of the line when the
 * record is too short.  *out is valid until the next zs_csv_next. */
zs_status zs_csv_get_string(const zs_csv *c, size_t i, const char *what, const char **out,
                            zs_err *err);

#endif
