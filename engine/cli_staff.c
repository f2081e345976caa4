/*
 * engine/cli_staff.c -- `zonesim staff`: the planner's quick check of how
 * many couriers a day's stops need by the capacity rule (DESIGN.md).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "partition/partition.h"

static const char help[] =
    "usage: zonesim staff --stops N [--stops-per-hour R] [--hours H]\n"
    "\n"
    "Couriers (zones) a day needs by the capacity rule: ceil(stops / (R x H)).\n"
    "840 stops at 3.5 stops/h over 8 h need 30 couriers; 640 need 23.\n"
    "\n"
    "  -n, --stops N            delivery stops in the day\n"
    "  -r, --stops-per-hour R   stops a courier serves in an hour (default 3.5)\n"
    "  -H, --hours H            working hours in the day (default 8)\n"
    "  -h, --help               this help\n";

int zs_cli_staff(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"stops", required_argument, NULL, 'n'}, {"stops-per-hour", required_argument, NULL, 'r'},
        {"hours", required_argument, NULL, 'H'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    double stops = -1, rate = 3.5, hours = 8;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:r:H:h", lopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (zs_cli_parse_double(optarg, 0, 1e12, &stops) != 0)
                return zs_cli_usage("staff", "--stops '%s': expected a number >= 0", optarg);
            break;
        case 'r':
            if (zs_cli_parse_double(optarg, 1e-6, 1e6, &rate) != 0)
                return zs_cli_usage("staff", "--stops-per-hour '%s': expected a number > 0", optarg);
            break;
        case 'H':
            if (zs_cli_parse_double(optarg, 1e-6, 24, &hours) != 0)
                return zs_cli_usage("staff", "--hours '%s': expected a number in (0, 24]", optarg);
            break;
        case 'h': fputs(help, stdout); return 0;
        default: return zs_cli_usage("staff", "unknown option");
        }
    }
    if (optind != argc)
        return zs_cli_usage("staff", "unexpected argument '%s'", argv[optind]);
    if (stops < 0)
        return zs_cli_usage("staff", "--stops N is required (scenario-based staffing is not written yet)");
    size_t k = zs_partition_capacity_k(stops, rate, hours);
    printf("%g stops / (%g stops/h x %g h = %g stops per courier) = %.2f -> %zu couriers\n", stops,
           rate, hours, rate * hours, stops / (rate * hours), k);
    return 0;
}
