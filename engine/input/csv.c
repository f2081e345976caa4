/*
 * engine/input/csv.c -- the line-numbering delimited-text reader (engine/csv.h).
 *
 * A byte-at-a-time state machine over stdio: the reader always knows the
 * line and column of the next byte, so every field records where it starts
 * and every error can name its place.  Field contents are packed into one
 * growing buffer, NUL-terminated, and addressed by offset because the
 * buffer moves when it grows.
 */
#include "input/csv.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"

struct zs_csv {
    FILE *f;
    char *path;
    char delim;
    long line, col;       /* position of the next byte to read (1-based) */
    /* current record */
    char *buf;            /* field contents, each NUL-terminated */
    size_t len, cap;
    size_t *off;          /* nfields offsets into buf */
    long *fline, *fcol;   /* where each field starts */
    size_t nfields, fcap;
    long rec_line;
    long end_line, end_col; /* one past the last byte of the record */
    size_t header_n;      /* fields of the first record; 0 before it */
    int nrecords;         /* 0 until the header has been read */
    int quoted0;          /* the record's first field was quoted */
};

zs_status zs_csv_open(const char *path, char delim, zs_csv **out, zs_err *err)
{
    *out = NULL;
    if (delim != ',' && delim != ';' && delim != '\t' && delim != ZS_CSV_WHITESPACE)
        return zs_err_set(err, ZS_EINVAL, "csv delimiter '%c' not supported (use ',' ';' tab or space)",
                          delim);
    zs_csv *c = zs_calloc(1, sizeof *c);
    if (!c)
        return ZS_NOMEM(err);
    c->delim = delim;
    c->line = 1;
    c->col = 1;
    if (!(c->path = zs_strdup(path))) {
        zs_csv_close(c);
        return ZS_NOMEM(err);
    }
    c->f = fopen(path, "rb");
    if (!c->f) {
        int e = errno;
        zs_csv_close(c);
        return zs_err_set(err, ZS_EINPUT, "%s: cannot open: %s", path, strerror(e));
    }
    /* A UTF-8 byte-order mark (written by spreadsheet exports) is not data;
     * columns count from the byte after it, as editors show them. */
    unsigned char bom[3];
    size_t got = fread(bom, 1, 3, c->f);
    if (!(got == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF)) {
        if (fseek(c->f, 0L, SEEK_SET) != 0) {
            zs_csv_close(c);
            return zs_err_set(err, ZS_EIO, "%s: cannot rewind: %s", path, strerror(errno));
        }
    }
    *out = c;
    return ZS_OK;
}

void zs_csv_close(zs_csv *c)
{
    if (!c)
        return;
    if (c->f)
        fclose(c->f);
    zs_free(c->path);
    zs_free(c->buf);
    zs_free(c->off);
    zs_free(c->fline);
    zs_free(c->fcol);
    zs_free(c);
}

/* Next byte, advancing the position; EOF at the end. */
static int rd(zs_csv *c)
{
    int ch = getc(c->f);
    if (ch == '\n') {
        c->line++;
        c->col = 1;
    } else if (ch != EOF) {
        c->col++;
    }
    return ch;
}

/* Looks at the next byte without consuming it. */
static int peek(zs_csv *c)
{
    int ch = getc(c->f);
    if (ch != EOF)
        ungetc(ch, c->f);
    return ch;
}

static int is_ws(int ch) { return ch == ' ' || ch == '\t'; }

/* A field or line end: '\n', "\r\n" (the '\r' is consumed here) or EOF. */
static int at_line_end(zs_csv *c, int ch)
{
    if (ch == '\n' || ch == EOF)
        return 1;
    if (ch == '\r' && peek(c) == '\n') {
        rd(c);
        return 1;
    }
    return 0;
}

static int fail_at(zs_csv *c, zs_err *err, long line, long col, const char *msg)
{
    zs_err_at(err, ZS_EINPUT, c->path, line, col, "%s", msg);
    return -1;
}

static int put(zs_csv *c, char ch, zs_err *err)
{
    if (c->len + 1 >= c->cap) {
        size_t ncap = c->cap ? 2 * c->cap : 256;
        char *nb = zs_realloc(c->buf, ncap);
        if (!nb) {
            ZS_NOMEM(err);
            return -1;
        }
        c->buf = nb;
        c->cap = ncap;
    }
    c->buf[c->len++] = ch;
    return 0;
}

static int begin_field(zs_csv *c, long line, long col, zs_err *err)
{
    if (c->nfields == c->fcap) {
        size_t ncap = c->fcap ? 2 * c->fcap : 16;
        size_t *no = zs_realloc(c->off, ncap * sizeof *no);
        if (!no)
            goto nomem;
        c->off = no;
        long *nl = zs_realloc(c->fline, ncap * sizeof *nl);
        if (!nl)
            goto nomem;
        c->fline = nl;
        long *nc = zs_realloc(c->fcol, ncap * sizeof *nc);
        if (!nc)
            goto nomem;
        c->fcol = nc;
        c->fcap = ncap;
    }
    c->off[c->nfields] = c->len;
    c->fline[c->nfields] = line;
    c->fcol[c->nfields] = col;
    c->nfields++;
    return 0;
nomem:
    ZS_NOMEM(err);
    return -1;
}

/* Checks the limits before storing byte ch read at (line, col). */
static int check_byte(zs_csv *c, int ch, long line, long col, zs_err *err)
{
    char msg[96];
    if (ch == '\0')
        return fail_at(c, err, line, col, "NUL byte in text (is this a binary or UTF-16 file?)");
    if ((size_t)col > ZS_CSV_LINE_MAX) {
        snprintf(msg, sizeof msg, "line longer than %zu bytes", ZS_CSV_LINE_MAX);
        return fail_at(c, err, line, col, msg);
    }
    if (c->len >= ZS_CSV_LINE_MAX) {
        snprintf(msg, sizeof msg, "record longer than %zu bytes", ZS_CSV_LINE_MAX);
        return fail_at(c, err, line, col, msg);
    }
    return 0;
}

/* Reads one physical record into the buffers.  Returns 1 (record, possibly
 * blank), 0 (end of file before any byte), -1 (error). */
static int read_record(zs_csv *c, zs_err *err)
{
    int ws = c->delim == ZS_CSV_WHITESPACE;
    c->len = 0;
    c->nfields = 0;
    c->quoted0 = 0;
    c->rec_line = c->line;
    if (peek(c) == EOF)
        return 0;
    for (;;) {
        if (ws) {
            int ch;
            while (is_ws(ch = peek(c)))
                rd(c);
            if (ch == '#' && c->nfields == 0) { /* comment line */
                for (;;) {
                    long bl = c->line, bc = c->col;
                    if ((ch = rd(c)) == '\n' || ch == EOF)
                        break;
                    if (check_byte(c, ch, bl, bc, err) < 0)
                        return -1;
                }
                c->end_line = c->line;
                c->end_col = 1;
                return 1;
            }
        }
        long fl = c->line, fc = c->col;
        long el = fl, ec = fc; /* position of the terminator */
        int ch = rd(c);
        if (ws && at_line_end(c, ch)) { /* trailing blanks: no new field */
            c->end_line = el;
            c->end_col = ec;
            return 1;
        }
        if (begin_field(c, fl, fc, err) < 0)
            return -1;
        if (ch == '"') {
            if (c->nfields == 1)
                c->quoted0 = 1;
            for (;;) {
                long bl = c->line, bc = c->col;
                ch = rd(c);
                if (ch == EOF)
                    return fail_at(c, err, fl, fc, "unterminated quoted field");
                if (ch == '"') {
                    if (peek(c) != '"')
                        break;
                    rd(c);
                }
                if (check_byte(c, ch, bl, bc, err) < 0 || put(c, (char)ch, err) < 0)
                    return -1;
            }
            el = c->line;
            ec = c->col;
            ch = rd(c);
            if (put(c, '\0', err) < 0)
                return -1;
            if (at_line_end(c, ch)) {
                c->end_line = el;
                c->end_col = ec;
                return 1;
            }
            if (ws ? is_ws(ch) : ch == c->delim)
                continue;
            char msg[96];
            if (ws)
                snprintf(msg, sizeof msg, "expected a blank or end of line after closing quote");
            else if (c->delim == '\t')
                snprintf(msg, sizeof msg, "expected a tab or end of line after closing quote");
            else
                snprintf(msg, sizeof msg, "expected '%c' or end of line after closing quote", c->delim);
            return fail_at(c, err, el, ec, msg);
        }
        for (;;) {
            if (at_line_end(c, ch)) {
                if (put(c, '\0', err) < 0)
                    return -1;
                c->end_line = el;
                c->end_col = ec;
                return 1;
            }
            if (ws ? is_ws(ch) : ch == c->delim)
                break;
            if (check_byte(c, ch, el, ec, err) < 0 || put(c, (char)ch, err) < 0)
                return -1;
            el = c->line;
            ec = c->col;
            ch = rd(c);
        }
        if (put(c, '\0', err) < 0)
            return -1;
    }
}

/* A record with no fields, or one unquoted field of blanks only (a quoted
 * "" is a real, empty value). */
static int is_blank(const zs_csv *c)
{
    if (c->nfields == 0)
        return 1;
    if (c->nfields > 1 || c->quoted0)
        return 0;
    const char *s = c->buf + c->off[0];
    while (is_ws((unsigned char)*s))
        s++;
    return *s == '\0';
}

int zs_csv_next(zs_csv *c, zs_err *err)
{
    for (;;) {
        int r = read_record(c, err);
        if (r <= 0) {
            c->nfields = 0;
            if (r == 0 && ferror(c->f)) {
                zs_err_set(err, ZS_EIO, "%s: read error", c->path);
                return -1;
            }
            return r;
        }
        if (is_blank(c))
            continue;
        if (c->nrecords == 0)
            c->header_n = c->nfields;
        c->nrecords = 1;
        return 1;
    }
}

size_t zs_csv_nfields(const zs_csv *c) { return c->nfields; }

const char *zs_csv_field(const zs_csv *c, size_t i)
{
    return i < c->nfields ? c->buf + c->off[i] : NULL;
}

long zs_csv_line(const zs_csv *c) { return c->rec_line; }

long zs_csv_col(const zs_csv *c, size_t i)
{
    return i < c->nfields ? c->fcol[i] : c->end_col;
}

const char *zs_csv_path(const zs_csv *c) { return c->path; }

size_t zs_csv_header_nfields(const zs_csv *c) { return c->header_n; }

long zs_csv_find(const zs_csv *c, const char *name)
{
    size_t nlen = strlen(name);
    for (size_t i = 0; i < c->nfields; i++) {
        const char *s = c->buf + c->off[i];
        while (is_ws((unsigned char)*s))
            s++;
        size_t len = strlen(s);
        while (len > 0 && is_ws((unsigned char)s[len - 1]))
            len--;
        if (len == nlen && memcmp(s, name, len) == 0)
            return (long)i;
    }
    return -1;
}

static zs_status errv(const zs_csv *c, size_t field, zs_err *err, const char *fmt, va_list ap)
{
    char msg[ZS_ERR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (field == ZS_CSV_NO_FIELD)
        return zs_err_at(err, ZS_EINPUT, c->path, c->rec_line, 0, "%s", msg);
    if (field < c->nfields)
        return zs_err_at(err, ZS_EINPUT, c->path, c->fline[field], c->fcol[field], "%s", msg);
    return zs_err_at(err, ZS_EINPUT, c->path, c->end_line, c->end_col, "%s", msg);
}

zs_status zs_csv_error(const zs_csv *c, size_t field, zs_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zs_status st = errv(c, field, err, fmt, ap);
    va_end(ap);
    return st;
}

zs_status zs_csv_get_string(const zs_csv *c, size_t i, const char *what, const char **out,
                            zs_err *err)
{
    if (i >= c->nfields) {
        *out = NULL;
        return zs_csv_error(c, i, err, "column '%s': missing (line has %zu field%s, header has %zu)",
                            what, c->nfields, c->nfields == 1 ? "" : "s", c->header_n);
    }
    *out = c->buf + c->off[i];
    return ZS_OK;
}

zs_status zs_csv_get_double(const zs_csv *c, size_t i, const char *what, double *out,
                            zs_err *err)
{
    const char *s;
    zs_status st = zs_csv_get_string(c, i, what, &s, err);
    if (st != ZS_OK)
        return st;
    const char *p = s;
    while (is_ws((unsigned char)*p))
        p++;
    char *end = NULL;
    double v = *p ? strtod(p, &end) : 0.0;
    if (*p && end != p) {
        while (is_ws((unsigned char)*end))
            end++;
    }
    if (!*p || end == p || *end != '\0' || !isfinite(v)) {
        /* Quote at most 60 bytes: a stray paragraph should not fill the
         * message. */
        size_t len = strlen(s);
        return zs_csv_error(c, i, err, "column '%s': expected a number, got '%.60s%s'", what, s,
                            len > 60 ? "..." : "");
    }
    *out = v;
    return ZS_OK;
}

zs_status zs_csv_require(const zs_csv *c, const char *name, long *col, zs_err *err)
{
    *col = zs_csv_find(c, name);
    if (*col >= 0)
        return ZS_OK;
    /* List the header so a misspelt mapping is easy to fix. */
    char list[640];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < zs_csv_nfields(c) && used < sizeof list - 1; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                         zs_csv_field(c, i));
        used += w < 0 ? 0 : (size_t)w;
    }
    if (used >= sizeof list - 1)
        strcpy(list + sizeof list - 4, "...");
    return zs_err_at(err, ZS_EINPUT, zs_csv_path(c), zs_csv_line(c), 1,
                     "no column '%s' in header (columns: %s)", name, list);
}
