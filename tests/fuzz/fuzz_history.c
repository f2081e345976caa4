/* tests/fuzz/fuzz_history.c -- AFL++ harness: a parcel history CSV through
 * `zonesim calibrate` (its reader is private to engine/cli/cli_calibrate.c,
 * so the harness calls the command function with a fixed points file),
 * with the scan-time column read too (the dispatch waves).
 * usage: fuzz_history FILE POINTS.csv */
#include "fuzz_common.h"
#include "cli/cli.h"

int main(int argc, char **argv)
{
    fuzz_start(argc, argv, 2, "HISTORY.csv POINTS.csv");
    char *args[] = {"calibrate", "--points", argv[2], "--scan-column", "scan", argv[1], NULL};
    int rc = zs_cli_calibrate(6, args);
    if (getenv("ZS_FUZZ_VERBOSE"))
        fprintf(stderr, "calibrate exit %d\n", rc);
    return 0;
}
