/* Tests of engine/cli: option-value parsers and exit statuses. */
#include "cli/cli.h"
#include "check.h"

int main(void)
{
    long l;
    uint64_t u;
    double d;
    CHECK(zs_cli_parse_long("12", 0, 100, &l) == 0 && l == 12, "parse_long accepts 12 in [0, 100]");
    CHECK(zs_cli_parse_long("101", 0, 100, &l) == -1, "parse_long rejects 101 > 100");
    CHECK(zs_cli_parse_long("-1", 0, 100, &l) == -1, "parse_long rejects -1 < 0");
    CHECK(zs_cli_parse_long("3x", 0, 100, &l) == -1, "parse_long rejects trailing text");
    CHECK(zs_cli_parse_long("", 0, 100, &l) == -1, "parse_long rejects empty text");
    CHECK(zs_cli_parse_long("99999999999999999999", 0, 100, &l) == -1, "parse_long rejects overflow");
    CHECK(zs_cli_parse_u64("18446744073709551615", &u) == 0 && u == UINT64_MAX, "parse_u64 takes 2^64-1");
    CHECK(zs_cli_parse_u64("18446744073709551616", &u) == -1, "parse_u64 rejects 2^64");
    CHECK(zs_cli_parse_u64("-5", &u) == -1, "parse_u64 rejects a sign");
    CHECK(zs_cli_parse_double("2.5", 0, 10, &d) == 0 && d == 2.5, "parse_double accepts 2.5");
    CHECK(zs_cli_parse_double("nan", 0, 10, &d) == -1, "parse_double rejects nan");
    CHECK(zs_cli_parse_double("inf", 0, HUGE_VAL, &d) == -1, "parse_double rejects inf");
    CHECK(zs_cli_parse_double("11", 0, 10, &d) == -1, "parse_double rejects 11 > 10");
    zs_err e;
    zs_err_set(&e, ZS_EINPUT, "x.csv:3:4: bad");
    CHECK(zs_cli_fail(&e) == 2, "an input error exits 2");
    zs_err_set(&e, ZS_EIO, "disk full");
    CHECK(zs_cli_fail(&e) == 1, "an i/o error exits 1");
    CHECK(zs_cli_usage("run", "missing %s", "SCENARIO") == 2, "a usage error exits 2");
    return zs_test_done();
}
