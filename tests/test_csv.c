/* tests/test_csv.c -- the delimited-text reader (engine/csv.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/csv.h"
#include "models/alloc.h"
#include "check.h"

static char tmpdir[] = "/tmp/zs_test_csv_XXXXXX";

/* Writes len bytes to a file in the temporary directory; returns its path
 * (static buffer, one at a time). */
static const char *tmpfile_with(const char *name, const char *bytes, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len) {
        printf("FAIL: cannot write fixture %s\n", path);
        exit(1);
    }
    fclose(f);
    return path;
}

/* Opens path and reads records until an error or the end: returns the
 * last zs_csv_next result, leaves c open for inspection. */
static int read_all(zs_csv *c, zs_err *err, int *nrec)
{
    int r;
    *nrec = 0;
    while ((r = zs_csv_next(c, err)) == 1)
        (*nrec)++;
    return r;
}

static void test_basic(void)
{
    zs_err err;
    zs_csv *c = NULL;
    zs_status st = zs_csv_open("tests/data/csv_basic.csv", ',', &c, &err);
    CHECK(st == ZS_OK && c, "basic: opens");
    if (!c)
        return;
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_nfields(c) == 4, "basic: header has 4 fields");
    CHECK(zs_csv_header_nfields(c) == 4, "basic: header field count remembered");
    CHECK(zs_csv_find(c, "y") == 2 && zs_csv_find(c, "name") == 3 && zs_csv_find(c, "q") == -1,
          "basic: find columns in header");
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_line(c) == 2 && strcmp(zs_csv_field(c, 3), "plain") == 0,
          "basic: quoted field unquoted, line 2");
    CHECK(zs_csv_col(c, 3) == 10, "basic: column of a quoted field is its opening quote (10)");
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_line(c) == 3, "basic: record on line 3");
    CHECK(strcmp(zs_csv_field(c, 1), " 3 ") == 0 && zs_csv_col(c, 1) == 4,
          "basic: spaces kept in unquoted CSV field, column 4");
    double v = 0;
    CHECK(zs_csv_get_double(c, 1, "x", &v, &err) == ZS_OK && v == 3.0,
          "basic: number with surrounding spaces parses");
    CHECK(strcmp(zs_csv_field(c, 3), "say \"hi\"") == 0 && zs_csv_col(c, 3) == 10,
          "basic: doubled quotes become one quote");
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_line(c) == 5, "basic: blank line 4 skipped, record on line 5");
    CHECK(strcmp(zs_csv_field(c, 3), "two\nlines") == 0, "basic: quoted field spans two lines");
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_line(c) == 7 && zs_csv_nfields(c) == 4,
          "basic: record after a multi-line field is on line 7");
    CHECK(strcmp(zs_csv_field(c, 3), "") == 0 && zs_csv_col(c, 3) == 8,
          "basic: trailing delimiter gives an empty last field at column 8");
    CHECK(zs_csv_field(c, 4) == NULL, "basic: field past the end is NULL");
    CHECK(zs_csv_next(c, &err) == 0 && zs_csv_next(c, &err) == 0, "basic: end of file, twice");
    CHECK(strcmp(zs_csv_path(c), "tests/data/csv_basic.csv") == 0, "basic: path kept");
    zs_csv_close(c);
    zs_csv_close(NULL);
    CHECK(1, "close(NULL) is a no-op");
}

static void test_crlf_bom(void)
{
    zs_err err;
    zs_csv *c = NULL;
    const char text[] = "\xEF\xBB\xBFid,x\r\n\r\n\"a\r\nb\",2\r\nc,3";
    const char *path = tmpfile_with("crlf.csv", text, sizeof text - 1);
    CHECK(zs_csv_open(path, ',', &c, &err) == ZS_OK, "crlf+bom: opens");
    if (!c)
        return;
    CHECK(zs_csv_next(c, &err) == 1 && strcmp(zs_csv_field(c, 0), "id") == 0 && zs_csv_col(c, 0) == 1,
          "bom: skipped, first field 'id' at column 1");
    CHECK(strcmp(zs_csv_field(c, 1), "x") == 0, "crlf: no CR left in the last field");
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_line(c) == 3 && strcmp(zs_csv_field(c, 0), "a\r\nb") == 0,
          "crlf: blank CRLF line skipped; quoted CRLF kept inside the field");
    CHECK(zs_csv_col(c, 1) == 4 && strcmp(zs_csv_field(c, 1), "2") == 0,
          "crlf: field after a multi-line field has its own line's column");
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_line(c) == 5 && strcmp(zs_csv_field(c, 1), "3") == 0,
          "crlf: last line without a line end is read");
    CHECK(zs_csv_next(c, &err) == 0, "crlf: then end of file");
    zs_csv_close(c);
}

/* A CRLF file cut after its last CR (found while building the fuzz
 * regression set,
 * tests/fuzz/regress/points/cr-at-eof.csv): the CR ends the line instead of
 * ending up, unseen, in the last field ("expected a number, got '4'"). */
static void test_cr_at_eof(void)
{
    zs_err err;
    zs_csv *c = NULL;
    const char text[] = "id,x\r\nc,3\r";
    CHECK(zs_csv_open(tmpfile_with("cr_eof.csv", text, sizeof text - 1), ',', &c, &err) == ZS_OK,
          "cr at eof: opens");
    if (!c)
        return;
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_next(c, &err) == 1 && zs_csv_nfields(c) == 2 &&
              strcmp(zs_csv_field(c, 1), "3") == 0,
          "cr at eof: the last field is '3', without the CR");
    CHECK(zs_csv_next(c, &err) == 0, "cr at eof: then end of file");
    zs_csv_close(c);
    const char quoted[] = "id,x\r\n\"c\",\"3\"\r";
    c = NULL;
    CHECK(zs_csv_open(tmpfile_with("cr_eof_q.csv", quoted, sizeof quoted - 1), ',', &c, &err) == ZS_OK &&
              zs_csv_next(c, &err) == 1 && zs_csv_next(c, &err) == 1 &&
              strcmp(zs_csv_field(c, 1), "3") == 0 && zs_csv_next(c, &err) == 0,
          "cr at eof: after a quoted last field too");
    zs_csv_close(c);
    const char mid[] = "id,x\nc,3\rd\n";
    c = NULL;
    CHECK(zs_csv_open(tmpfile_with("cr_mid.csv", mid, sizeof mid - 1), ',', &c, &err) == ZS_OK &&
              zs_csv_next(c, &err) == 1 && zs_csv_next(c, &err) == 1 &&
              strcmp(zs_csv_field(c, 1), "3\rd") == 0,
          "a CR inside a line is still data");
    zs_csv_close(c);
}

static void test_whitespace(void)
{
    zs_err err;
    zs_csv *c = NULL;
    CHECK(zs_csv_open("tests/data/csv_ws.csv", ZS_CSV_WHITESPACE, &c, &err) == ZS_OK, "ws: opens");
    if (!c)
        return;
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_line(c) == 2 && zs_csv_nfields(c) == 3,
          "ws: comment skipped, header on line 2 with 3 fields");
    CHECK(zs_csv_col(c, 0) == 3 && zs_csv_col(c, 1) == 5 && zs_csv_col(c, 2) == 9,
          "ws: columns 3, 5, 9 after leading blanks and a tab");
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_line(c) == 4 && zs_csv_nfields(c) == 3,
          "ws: runs of blanks separate; trailing blanks add no field");
    CHECK(strcmp(zs_csv_field(c, 2), "3") == 0 && zs_csv_col(c, 2) == 6, "ws: third field '3' at column 6");
    CHECK(zs_csv_next(c, &err) == 1 && zs_csv_line(c) == 6 && strcmp(zs_csv_field(c, 2), "six seven") == 0,
          "ws: blank line skipped; quoted field keeps its blank");
    CHECK(zs_csv_next(c, &err) == 0, "ws: end of file");
    zs_csv_close(c);
}

static void expect_error(const char *path, char delim, const char *want, const char *desc)
{
    zs_err err;
    zs_csv *c = NULL;
    int n = 0, r = -2;
    zs_err_clear(&err);
    if (zs_csv_open(path, delim, &c, &err) == ZS_OK) {
        r = read_all(c, &err, &n);
        zs_csv_close(c);
    }
    CHECK(r == -1 && err.code == ZS_EINPUT, "%s: returns -1 with an input error", desc);
    CHECK(strcmp(err.msg, want) == 0, "%s: message '%s' (got '%s')", desc, want, err.msg);
}

static void test_errors(void)
{
    expect_error("tests/data/csv_unterminated.csv", ',',
                 "tests/data/csv_unterminated.csv:3:7: unterminated quoted field", "unterminated quote");
    expect_error("tests/data/csv_afterquote.csv", ',',
                 "tests/data/csv_afterquote.csv:2:4: expected ',' or end of line after closing quote",
                 "text after closing quote");

    char path[256];
    const char nul[] = "a,b\n1,x\0y\n";
    snprintf(path, sizeof path, "%s", tmpfile_with("nul.csv", nul, sizeof nul - 1));
    char want[512];
    snprintf(want, sizeof want, "%s:2:4: NUL byte in text (is this a binary or UTF-16 file?)", path);
    expect_error(path, ',', want, "NUL byte");

    /* A line of exactly ZS_CSV_LINE_MAX bytes is fine; one more is not. */
    size_t max = ZS_CSV_LINE_MAX;
    char *big = malloc(2 * max + 8);
    memset(big, 'a', 2 * max + 8);
    big[max] = '\n';
    snprintf(path, sizeof path, "%s", tmpfile_with("maxline.csv", big, max + 1));
    zs_err err;
    zs_csv *c = NULL;
    int n = 0;
    if (zs_csv_open(path, ',', &c, &err) == ZS_OK) {
        CHECK(read_all(c, &err, &n) == 0 && n == 1 && zs_csv_field(c, 0) == NULL,
              "line of exactly 1 MiB is read");
        zs_csv_close(c);
    }
    big[0] = 'x';
    big[1] = '\n';
    big[max] = 'a';
    big[max + 3] = '\n';
    snprintf(path, sizeof path, "%s", tmpfile_with("longline.csv", big, max + 4));
    snprintf(want, sizeof want, "%s:2:1048577: line longer than 1048576 bytes", path);
    expect_error(path, ',', want, "line over 1 MiB");
    /* The same length inside a quoted field spread over short lines. */
    for (size_t i = 0; i < 2 * max; i += 64)
        big[i] = '\n';
    big[0] = 'q';
    big[1] = '\n';
    big[2] = '"';
    snprintf(path, sizeof path, "%s", tmpfile_with("longrec.csv", big, 2 * max));
    zs_err_clear(&err);
    if (zs_csv_open(path, ',', &c, &err) == ZS_OK) {
        CHECK(read_all(c, &err, &n) == -1, "record over 1 MiB across lines: error");
        CHECK_CONTAINS(err.msg, "record longer than 1048576 bytes", "record over 1 MiB: message");
        zs_csv_close(c);
    }
    free(big);

    zs_err_clear(&err);
    CHECK(zs_csv_open("tests/data/no_such_file.csv", ',', &c, &err) == ZS_EINPUT && c == NULL,
          "missing file: input error, no reader");
    CHECK_CONTAINS(err.msg, "tests/data/no_such_file.csv: cannot open: No such file",
                   "missing file: message names the file and the reason");
    CHECK(zs_csv_open("tests/data/csv_basic.csv", '|', &c, &err) == ZS_EINVAL && c == NULL,
          "unsupported delimiter: invalid value");
    CHECK_CONTAINS(err.msg, "csv delimiter '|' not supported", "unsupported delimiter: message");
}

static void test_numbers(void)
{
    zs_err err;
    zs_csv *c = NULL;
    double v = 0;
    if (zs_csv_open("tests/data/csv_numbers.csv", ',', &c, &err) != ZS_OK) {
        CHECK(0, "numbers: opens");
        return;
    }
    zs_csv_next(c, &err);
    zs_csv_next(c, &err);
    CHECK(zs_csv_get_double(c, 0, "x", &v, &err) == ZS_EINPUT, "numbers: 'abc' rejected");
    CHECK(strcmp(err.msg, "tests/data/csv_numbers.csv:2:1: column 'x': expected a number, got 'abc'") == 0,
          "numbers: exact message for 'abc' (got '%s')", err.msg);
    CHECK(zs_csv_get_double(c, 1, "y", &v, &err) == ZS_OK && v == 1.0, "numbers: '1' parses");
    zs_csv_next(c, &err);
    CHECK(zs_csv_get_double(c, 0, "x", &v, &err) == ZS_EINPUT, "numbers: '1e999' (overflow) rejected");
    CHECK_CONTAINS(err.msg, "csv_numbers.csv:3:1: column 'x': expected a number, got '1e999'",
                   "numbers: overflow message");
    CHECK(zs_csv_get_double(c, 1, "y", &v, &err) == ZS_EINPUT, "numbers: 'nan' rejected");
    CHECK_CONTAINS(err.msg, "csv_numbers.csv:3:7: column 'y': expected a number, got 'nan'",
                   "numbers: nan message at column 7");
    zs_csv_next(c, &err);
    CHECK(zs_csv_get_double(c, 0, "x", &v, &err) == ZS_OK && v == 2.5, "numbers: '  2.5  ' parses");
    CHECK(zs_csv_get_double(c, 1, "y", &v, &err) == ZS_OK && v == 16.0, "numbers: hex '0x10' parses");
    CHECK(zs_csv_get_double(c, 2, "z", &v, &err) == ZS_EINPUT, "numbers: missing field rejected");
    CHECK(strcmp(err.msg, "tests/data/csv_numbers.csv:4:13: column 'z': missing (line has 2 fields, header has 2)") == 0,
          "numbers: missing-field message one past the line end (got '%s')", err.msg);
    zs_csv_next(c, &err);
    CHECK(zs_csv_get_double(c, 0, "x", &v, &err) == ZS_EINPUT, "numbers: empty field rejected");
    CHECK(strcmp(err.msg, "tests/data/csv_numbers.csv:5:1: column 'x': expected a number, got ''") == 0,
          "numbers: empty-field message (got '%s')", err.msg);
    CHECK(zs_csv_error(c, ZS_CSV_NO_FIELD, &err, "bad row %d", 5) == ZS_EINPUT &&
              strcmp(err.msg, "tests/data/csv_numbers.csv:5: bad row 5") == 0,
          "zs_csv_error without a field: file:line: msg (got '%s')", err.msg);
    CHECK(zs_csv_error(c, 1, &err, "odd") == ZS_EINPUT &&
              strcmp(err.msg, "tests/data/csv_numbers.csv:5:2: odd") == 0,
          "zs_csv_error at a field: file:line:col: msg (got '%s')", err.msg);
    zs_csv_close(c);

    c = NULL;
    if (zs_csv_open("tests/data/csv_short.csv", ',', &c, &err) == ZS_OK) {
        zs_csv_next(c, &err);
        zs_csv_next(c, &err);
        const char *s = "unset";
        CHECK(zs_csv_get_double(c, 4, "x", &v, &err) == ZS_EINPUT &&
                  strcmp(err.msg, "tests/data/csv_short.csv:2:4: column 'x': missing (line has 2 fields, header has 5)") == 0,
              "short line: exact missing message (got '%s')", err.msg);
        CHECK(zs_csv_get_string(c, 2, "c", &s, &err) == ZS_EINPUT && s == NULL,
              "short line: get_string of a missing field fails");
        CHECK(zs_csv_get_string(c, 1, "b", &s, &err) == ZS_OK && strcmp(s, "2") == 0,
              "short line: get_string of a present field");
        zs_csv_close(c);
    }
}

/* Every allocation failure while opening and reading must give ZS_ENOMEM
 * and leak nothing (ASan checks the leaks). */
static void test_alloc_failures(void)
{
    int ok_at = -1, bad = 0;
    for (long i = 0; i < 200 && ok_at < 0; i++) {
        zs_err err;
        zs_csv *c = NULL;
        zs_alloc_fail_after(i);
        zs_status st = zs_csv_open("tests/data/csv_basic.csv", ',', &c, &err);
        int r = -1, n = 0;
        if (st == ZS_OK) {
            r = read_all(c, &err, &n);
            zs_csv_close(c);
        }
        zs_alloc_fail_after(-1);
        if (st == ZS_OK && r == 0 && n == 5)
            ok_at = (int)i;
        else if (err.code != ZS_ENOMEM)
            bad++;
    }
    CHECK(ok_at > 0, "alloc sweep: reading succeeds once enough allocations are allowed (%d)", ok_at);
    CHECK(bad == 0, "alloc sweep: every failure reports out of memory");
}

/* Encodings: GBK converted to UTF-8, the not-UTF-8 detection, unknown
 * names, the BOM, a sequence across the checker's 64 KiB chunks. */
static void test_encoding(void)
{
    /* 快递员 (courier) and 北京 in GBK; the same in UTF-8 */
    const char gbk[] = "id,\xbf\xec\xb5\xdd\xd4\xb1\n1,\xb1\xb1\xbe\xa9\n";
    const char *u_courier = "\xe5\xbf\xab\xe9\x80\x92\xe5\x91\x98";
    const char *u_beijing = "\xe5\x8c\x97\xe4\xba\xac";
    char path[256];
    snprintf(path, sizeof path, "%s", tmpfile_with("gbk.csv", gbk, sizeof gbk - 1));
    zs_err err;
    zs_err_clear(&err);
    zs_csv *c = NULL;
    const char *encs[] = {"gbk", "GB18030", "Gbk"};
    for (size_t k = 0; k < 3; k++) {
        zs_status st = zs_csv_open_enc(path, ',', encs[k], "points.encoding", &c, &err);
        CHECK(st == ZS_OK, "gbk file opens with encoding %s (%s)", encs[k], err.msg);
        if (st != ZS_OK)
            continue;
        long col = -1;
        CHECK(zs_csv_next(c, &err) == 1 && zs_csv_require(c, u_courier, &col, &err) == ZS_OK &&
                  col == 1,
              "encoding %s: header column is the UTF-8 name", encs[k]);
        CHECK(zs_csv_next(c, &err) == 1 && !strcmp(zs_csv_field(c, 1), u_beijing) &&
                  zs_csv_col(c, 1) == 3,
              "encoding %s: data field converted", encs[k]);
        CHECK(zs_csv_next(c, &err) == 0, "encoding %s: end of file", encs[k]);
        zs_csv_close(c);
    }

    /* Without an encoding: the first invalid byte, and the hint. */
    char want[512];
    zs_err_clear(&err);
    CHECK(zs_csv_open_enc(path, ',', NULL, "points.encoding", &c, &err) == ZS_EINPUT && !c,
          "gbk file as UTF-8: input error");
    snprintf(want, sizeof want,
             "%s:1:4: not valid UTF-8 (looks like GBK/GB18030: set points.encoding: gb18030)", path);
    CHECK(!strcmp(err.msg, want), "gbk as UTF-8: message '%s'", err.msg);
    zs_err_clear(&err);
    CHECK(zs_csv_open_enc(path, ',', "UTF-8", "--encoding", &c, &err) == ZS_EINPUT,
          "gbk file with encoding UTF-8: input error");
    CHECK_CONTAINS(err.msg, ":1:4: not valid UTF-8 (looks like GBK/GB18030: set --encoding gb18030)",
                   "gbk as UTF-8, CLI hint");
    zs_err_clear(&err);
    CHECK(zs_csv_open(path, ',', &c, &err) == ZS_EINPUT, "zs_csv_open checks UTF-8 too");
    CHECK_CONTAINS(err.msg, "set the encoding to gb18030", "zs_csv_open: generic hint");
    /* Latin-1 bytes that are no GB18030 pair: no GB guess. */
    const char latin[] = "id,name\n1,caf\xe9\n";
    snprintf(path, sizeof path, "%s", tmpfile_with("latin.csv", latin, sizeof latin - 1));
    zs_err_clear(&err);
    CHECK(zs_csv_open_enc(path, ',', NULL, "points.encoding", &c, &err) == ZS_EINPUT, "latin-1 as UTF-8: error");
    snprintf(want, sizeof want, "%s:2:6: not valid UTF-8 (set points.encoding: the file's encoding, "
             "e.g. gb18030, big5 or latin1)", path);
    CHECK(!strcmp(err.msg, want), "latin-1 as UTF-8: message '%s'", err.msg);
    zs_err_clear(&err);
    if (zs_csv_open_enc(path, ',', "latin1", NULL, &c, &err) == ZS_OK) {
        CHECK(zs_csv_next(c, &err) == 1 && zs_csv_next(c, &err) == 1 &&
                  !strcmp(zs_csv_field(c, 1), "caf\xc3\xa9"),
              "latin1: converted to UTF-8");
        zs_csv_close(c);
    } else {
        CHECK(0, "latin1 opens: %s", err.msg);
    }

    /* An invalid GBK sequence (lead byte then a newline) is placed. */
    const char badgbk[] = "id,z\n1,\xb1\xb1\n2,x\xb1\n3,y\n";
    snprintf(path, sizeof path, "%s", tmpfile_with("badgbk.csv", badgbk, sizeof badgbk - 1));
    zs_err_clear(&err);
    CHECK(zs_csv_open_enc(path, ',', "gbk", NULL, &c, &err) == ZS_EINPUT && !c,
          "invalid gbk: input error");
    snprintf(want, sizeof want, "%s:3:4: invalid byte sequence (encoding gbk)", path);
    CHECK(!strcmp(err.msg, want), "invalid gbk: message '%s'", err.msg);
    const char cut[] = "id,z\n1,\xb1";
    snprintf(path, sizeof path, "%s", tmpfile_with("cutgbk.csv", cut, sizeof cut - 1));
    zs_err_clear(&err);
    CHECK(zs_csv_open_enc(path, ',', "gb18030", NULL, &c, &err) == ZS_EINPUT, "cut gb18030: error");
    CHECK_CONTAINS(err.msg, ":2:3: incomplete multibyte sequence at end of file", "cut gb18030: message");

    /* Unknown names. */
    zs_err_clear(&err);
    CHECK(zs_csv_encoding_check("no-such-enc", &err) == ZS_EINVAL, "unknown encoding: EINVAL");
    CHECK_CONTAINS(err.msg, "unknown encoding 'no-such-enc'", "unknown encoding: message");
    zs_err_clear(&err);
    CHECK(zs_csv_open_enc(path, ',', "no-such-enc", NULL, &c, &err) == ZS_EINVAL && !c,
          "open with an unknown encoding: EINVAL");
    CHECK(zs_csv_encoding_check("gbk", &err) == ZS_OK && zs_csv_encoding_check("UTF8", &err) == ZS_OK &&
              zs_csv_encoding_check(NULL, &err) == ZS_OK,
          "gbk, UTF8, NULL are known");
    CHECK(zs_csv_encoding_is_utf8("Utf-8") && zs_csv_encoding_is_utf8(NULL) &&
              !zs_csv_encoding_is_utf8("gbk"),
          "utf-8 names");

    /* A UTF-8 BOM is skipped, with and without the check; a GB18030 BOM
     * converts to one and is skipped too. */
    const char bom[] = "\xef\xbb\xbfid,\xe5\xbf\xab\xe9\x80\x92\xe5\x91\x98\n1,2\n";
    snprintf(path, sizeof path, "%s", tmpfile_with("bom8.csv", bom, sizeof bom - 1));
    zs_err_clear(&err);
    if (zs_csv_open_enc(path, ',', "utf-8", "points.encoding", &c, &err) == ZS_OK) {
        CHECK(zs_csv_next(c, &err) == 1 && !strcmp(zs_csv_field(c, 0), "id") &&
                  !strcmp(zs_csv_field(c, 1), u_courier) && zs_csv_col(c, 1) == 4,
              "utf-8 BOM skipped, columns from the byte after it");
        zs_csv_close(c);
    } else {
        CHECK(0, "utf-8 BOM file opens: %s", err.msg);
    }
    const char gbom[] = "\x84\x31\x95\x33id,\xbf\xec\xb5\xdd\xd4\xb1\n1,2\n";
    snprintf(path, sizeof path, "%s", tmpfile_with("bomgb.csv", gbom, sizeof gbom - 1));
    zs_err_clear(&err);
    if (zs_csv_open_enc(path, ',', "gb18030", NULL, &c, &err) == ZS_OK) {
        CHECK(zs_csv_next(c, &err) == 1 && !strcmp(zs_csv_field(c, 0), "id") &&
                  !strcmp(zs_csv_field(c, 1), u_courier),
              "gb18030 BOM skipped");
        zs_csv_close(c);
    } else {
        CHECK(0, "gb18030 BOM file opens: %s", err.msg);
    }
    /* Empty file in another encoding: no records. */
    snprintf(path, sizeof path, "%s", tmpfile_with("emptygb.csv", "", 0));
    zs_err_clear(&err);
    if (zs_csv_open_enc(path, ',', "gbk", NULL, &c, &err) == ZS_OK) {
        CHECK(zs_csv_next(c, &err) == 0, "empty gbk file: end at once");
        zs_csv_close(c);
    } else {
        CHECK(0, "empty gbk file opens: %s", err.msg);
    }

    /* A 3-byte character across the checker's 64 KiB chunk boundary is
     * valid; a bad byte after it is placed on its line. */
    size_t n = 70000;
    char *big = malloc(n + 16);
    memset(big, 'a', n);
    for (size_t i = 100; i < n; i += 100)
        big[i] = '\n';
    memcpy(big + 65535, "\xe5\xbf\xab", 3);
    snprintf(path, sizeof path, "%s", tmpfile_with("chunk.csv", big, n));
    zs_err_clear(&err);
    CHECK(zs_csv_open(path, ',', &c, &err) == ZS_OK, "character across a chunk boundary: valid (%s)",
          err.msg);
    zs_csv_close(c);
    c = NULL;
    big[69950] = '\xff';
    snprintf(path, sizeof path, "%s", tmpfile_with("chunk.csv", big, n));
    zs_err_clear(&err);
    CHECK(zs_csv_open(path, ',', &c, &err) == ZS_EINPUT, "bad byte after 64 KiB: error");
    snprintf(want, sizeof want, "%s:700:50: not valid UTF-8", path);
    CHECK_CONTAINS(err.msg, want, "bad byte after 64 KiB: line and column");
    free(big);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        printf("FAIL: mkdtemp\n");
        return 1;
    }
    test_basic();
    test_crlf_bom();
    test_cr_at_eof();
    test_whitespace();
    test_errors();
    test_numbers();
    test_alloc_failures();
    test_encoding();
    const char *names[] = {"crlf.csv", "nul.csv", "maxline.csv", "longline.csv", "longrec.csv",
                           "gbk.csv", "latin.csv", "badgbk.csv", "cutgbk.csv", "bom8.csv",
                           "bomgb.csv", "emptygb.csv", "chunk.csv"};
    char path[256];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tmpdir, names[i]);
        remove(path);
    }
    rmdir(tmpdir);
    return zs_test_done();
}
