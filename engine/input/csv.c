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

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "input/files.h"

struct zs_csv {
    FILE *f;
    char *mem;            /* the file converted to UTF-8 (other encodings), f reads it */
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

/* ---- encodings ---------------------------------------------------------- */

int zs_csv_encoding_is_utf8(const char *name)
{
    if (!name)
        return 1;
    char low[8];
    size_t n = strlen(name);
    if (n >= sizeof low)
        return 0;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    return !strcmp(low, "utf-8") || !strcmp(low, "utf8");
}

zs_status zs_csv_encoding_check(const char *name, zs_err *err)
{
    if (zs_csv_encoding_is_utf8(name))
        return ZS_OK;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return zs_err_set(err, ZS_EINVAL,
                          "unknown encoding '%s' (e.g. utf-8, gbk, gb18030, big5, latin1; "
                          "`iconv -l` lists them)", name);
    iconv_close(cd);
    return ZS_OK;
}

/* 1-based line and byte column of offset off in s[0..off). */
static void place_of(const unsigned char *s, size_t off, long *line, long *col)
{
    long l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Every byte >= 0x80 of s[0..n) is part of a GB18030 two- or four-byte
 * sequence, and there is at least one.  A sequence cut by the end of the
 * window counts as valid. */
static int looks_gb18030(const unsigned char *s, size_t n)
{
    size_t i = 0, multi = 0;
    while (i < n) {
        unsigned b = s[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        if (b < 0x81 || b == 0xFF)
            return 0;
        if (i + 1 >= n)
            break;
        unsigned t = s[i + 1];
        if ((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE)) {
            i += 2;
        } else if (t >= 0x30 && t <= 0x39) {
            if (i + 3 >= n)
                break;
            if (s[i + 2] < 0x81 || s[i + 2] > 0xFE || s[i + 3] < 0x30 || s[i + 3] > 0x39)
                return 0;
            i += 4;
        } else {
            return 0;
        }
        multi++;
    }
    return multi > 0;
}

/* "set points.encoding: gb18030" / "set --encoding gb18030". */
static void hint(char *buf, size_t cap, const char *setting, const char *value)
{
    if (!setting)
        snprintf(buf, cap, "set the encoding to %s", value);
    else if (!strncmp(setting, "--", 2))
        snprintf(buf, cap, "set %s %s", setting, value);
    else
        snprintf(buf, cap, "set %s: %s", setting, value);
}

/* Length of the valid UTF-8 sequence at s[0..n) (1..4), 0 if invalid, or
 * -1 if it is cut by the end of the buffer. */
static int utf8_seq(const unsigned char *s, size_t n)
{
    unsigned b = s[0];
    int len;
    unsigned lo = 0x80, hi = 0xBF;
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2;
    else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    for (int k = 1; k < len; k++) {
        if ((size_t)k >= n)
            return -1;
        unsigned t = s[k];
        if (t < (k == 1 ? lo : 0x80) || t > (k == 1 ? hi : 0xBF))
            return 0;
    }
    return len;
}

/* Checks that f (at its start) is UTF-8, streaming in chunks; rewinds it.
 * On the first invalid byte, reads up to 1 MiB from the start to say
 * whether the file looks like GB18030. */
static zs_status check_utf8(FILE *f, const char *path, const char *setting, zs_err *err)
{
    enum { CHUNK = 1 << 16 };
    unsigned char buf[CHUNK + 4];
    size_t keep = 0; /* bytes of a sequence carried over to the next chunk */
    long line = 1, col = 1;
    int first = 1, eof = 0;
    long bad_line = 0, bad_col = 0;
    while (!eof && !bad_line) {
        size_t got = fread(buf + keep, 1, CHUNK, f);
        if (got < CHUNK) {
            if (ferror(f))
                return zs_err_set(err, ZS_EIO, "%s: read error: %s", path, strerror(errno));
            eof = 1;
        }
        size_t n = keep + got, i = 0;
        if (first) {
            first = 0;
            if (n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
                i = 3; /* columns count from the byte after the mark */
        }
        while (i < n) {
            int len = utf8_seq(buf + i, n - i);
            if (len < 0 && !eof)
                break; /* finish the sequence with the next chunk */
            if (len <= 0) {
                bad_line = line;
                bad_col = col;
                break;
            }
            if (buf[i] == '\n') {
                line++;
                col = 1;
            } else {
                col += len;
            }
            i += (size_t)len;
        }
        keep = n - i;
        memmove(buf, buf + i, keep);
    }
    if (bad_line) {
        char h[96];
        const char *looks = "";
        if (fseek(f, 0L, SEEK_SET) == 0) {
            unsigned char *big = zs_malloc((size_t)1 << 20);
            if (big) {
                size_t n = fread(big, 1, (size_t)1 << 20, f);
                if (looks_gb18030(big, n))
                    looks = "looks like GBK/GB18030: ";
                zs_free(big);
            }
        }
        if (*looks)
            hint(h, sizeof h, setting, "gb18030");
        else
            hint(h, sizeof h, setting, "the file's encoding, e.g. gb18030, big5 or latin1");
        return zs_err_at(err, ZS_EINPUT, path, bad_line, bad_col, "not valid UTF-8 (%s%s)", looks,
                         h);
    }
    if (fseek(f, 0L, SEEK_SET) != 0)
        return zs_err_set(err, ZS_EIO, "%s: cannot rewind: %s", path, strerror(errno));
    return ZS_OK;
}

/* Reads all of f and converts it from encoding to UTF-8 in *out (*outlen
 * bytes, plus a NUL). */
static zs_status convert_file(FILE *f, const char *path, const char *encoding, char **out,
                              size_t *outlen, zs_err *err)
{
    *out = NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *in = zs_malloc(cap);
    if (!in)
        return ZS_NOMEM(err);
    for (;;) {
        if (n == cap) {
            unsigned char *nb = zs_realloc(in, 2 * cap);
            if (!nb) {
                zs_free(in);
                return ZS_NOMEM(err);
            }
            in = nb;
            cap *= 2;
        }
        size_t got = fread(in + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        zs_free(in);
        return zs_err_set(err, ZS_EIO, "%s: read error: %s", path, strerror(e));
    }
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1) {
        zs_free(in);
        return zs_csv_encoding_check(encoding, err) == ZS_OK
                   ? zs_err_set(err, ZS_EINVAL, "encoding '%s': cannot convert", encoding)
                   : ZS_EINVAL;
    }
    size_t ocap = n + n / 2 + 16, olen = 0;
    char *o = zs_malloc(ocap);
    zs_status st = o ? ZS_OK : ZS_NOMEM(err);
    char *ip = (char *)in;
    size_t ileft = n;
    int flushing = 0; /* input done: one last call writes any closing shift */
    while (st == ZS_OK) {
        char *op = o + olen;
        size_t oleft = ocap - olen - 1;
        size_t r = flushing ? iconv(cd, NULL, NULL, &op, &oleft)
                            : iconv(cd, &ip, &ileft, &op, &oleft);
        int e = errno;
        olen = (size_t)(op - o);
        if (r != (size_t)-1) {
            if (flushing)
                break;
            flushing = 1;
            continue;
        }
        if (e == E2BIG) {
            char *no = zs_realloc(o, 2 * ocap);
            if (!no) {
                st = ZS_NOMEM(err);
                break;
            }
            o = no;
            ocap *= 2;
            continue;
        }
        {
            long l, c;
            size_t off = (size_t)(ip - (char *)in);
            place_of(in, off, &l, &c);
            st = zs_err_at(err, ZS_EINPUT, path, l, c, "%s (encoding %s)",
                           e == EINVAL ? "incomplete multibyte sequence at end of file"
                                       : "invalid byte sequence",
                           encoding);
        }
    }
    iconv_close(cd);
    zs_free(in);
    if (st != ZS_OK) {
        zs_free(o);
        return st;
    }
    o[olen] = '\0';
    *out = o;
    *outlen = olen;
    return ZS_OK;
}

zs_status zs_csv_open(const char *path, char delim, zs_csv **out, zs_err *err)
{
    return zs_csv_open_enc(path, delim, NULL, NULL, out, err);
}

zs_status zs_csv_open_enc(const char *path, char delim, const char *encoding,
                          const char *setting, zs_csv **out, zs_err *err)
{
    *out = NULL;
    if (delim != ',' && delim != ';' && delim != '\t' && delim != ZS_CSV_WHITESPACE)
        return zs_err_set(err, ZS_EINVAL, "csv delimiter '%c' not supported (use ',' ';' tab or space)",
                          delim);
    zs_status st = zs_csv_encoding_check(encoding, err);
    if (st != ZS_OK)
        return st;
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
    if ((st = zs_file_check_input(path, err)) != ZS_OK) {
        zs_csv_close(c);
        return st;
    }
    c->f = fopen(path, "rb");
    if (!c->f) {
        int e = errno;
        zs_csv_close(c);
        return zs_err_set(err, ZS_EINPUT, "%s: cannot open: %s", path, strerror(e));
    }
    if (zs_csv_encoding_is_utf8(encoding)) {
        st = check_utf8(c->f, path, setting, err);
    } else {
        size_t len = 0;
        st = convert_file(c->f, path, encoding, &c->mem, &len, err);
        if (st == ZS_OK) {
            fclose(c->f);
            c->f = fmemopen(c->mem, len, "r"); /* glibc: len 0 is an empty stream */
            if (!c->f)
                st = zs_err_set(err, ZS_EIO, "%s: fmemopen: %s", path, strerror(errno));
        }
    }
    if (st != ZS_OK) {
        zs_csv_close(c);
        return st;
    }
    /* A UTF-8 byte-order mark (written by spreadsheet exports; a GB18030
     * one converts to it) is not data; columns count from the byte after
     * it, as editors show them. */
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
    zs_free(c->mem);
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

/* A field or line end: '\n', "\r\n" (the '\r' is consumed here), a '\r'
 * that is the file's last byte (a CRLF file cut after its CR; else the CR
 * would end the last field, unseen in messages) or EOF. */
static int at_line_end(zs_csv *c, int ch)
{
    if (ch == '\n' || ch == EOF)
        return 1;
    if (ch == '\r' && peek(c) == EOF)
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
                zs_err_set(err, ZS_EIO, "%s: read error: %s", c->path, strerror(errno));
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
