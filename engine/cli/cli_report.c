/*
 * engine/cli/cli_report.c -- `zonesim report`: one self-contained HTML page
 * of a results file for a station manager (engine/report/report.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "input/files.h"
#include "models/alloc.h"
#include "report/report.h"

static const char help[] =
    "usage: zonesim report RESULTS.h5 [--output FILE.html]\n"
    "\n"
    "Writes one self-contained HTML page of a results file that opens in any\n"
    "browser without a network (scripts and styles inlined, charts and maps\n"
    "as inline SVG): warnings first (plans that missed their balance, zones\n"
    "in pieces, unreached stops, infeasible rosters, parts the file lacks),\n"
    "the scenario in a sentence, the plan comparison as 'run' prints it with\n"
    "confidence intervals and paired differences (sortable), a map per plan\n"
    "(hover or click a zone for its points, expected and simulated hours,\n"
    "p90, overtime, first-attempt rate and late parcels; drag and scroll to\n"
    "pan and zoom), work hours per courier-day and per zone, and staffing\n"
    "when the run has it.  Colour-blind-safe colours (Paul Tol); printing\n"
    "puts each section on its own page.  A file without simulation output\n"
    "or from an older engine gives a report that says what is missing.\n"
    "\n"
    "  -o, --output FILE   the page (default: RESULTS with .html for .h5)\n"
    "  -q, --quiet         print only errors\n"
    "  -h, --help          this help\n";

int zs_cli_report(int argc, char **argv)
{
    static const struct option lopts[] = {{"output", required_argument, NULL, 'o'},
                                          {"quiet", no_argument, NULL, 'q'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    const char *output = NULL;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", lopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(help, stdout); return 0;
        default: return zs_cli_usage("report", "unknown option");
        }
    }
    if (optind != argc - 1)
        return zs_cli_usage("report", optind == argc ? "missing RESULTS.h5" : "too many arguments");
    const char *path = argv[optind];
    if (output && !*output)
        return zs_cli_usage("report", "--output: empty file name");
    char def[4096];
    if (!output) {
        size_t len = strlen(path);
        if (len > 3 && !strcmp(path + len - 3, ".h5"))
            len -= 3;
        if (len + sizeof ".html" > sizeof def)
            return zs_cli_usage("report", "results path too long for a default output name");
        snprintf(def, sizeof def, "%.*s.html", (int)len, path);
        output = def;
    }
    /* The page must not replace the results file it is made from. */
    struct stat in_sb, out_sb;
    if (!strcmp(output, path) || (stat(path, &in_sb) == 0 && stat(output, &out_sb) == 0 &&
                                  in_sb.st_dev == out_sb.st_dev && in_sb.st_ino == out_sb.st_ino))
        return zs_cli_usage("report", "--output %s is the results file itself", output);
    zs_err err;
    /* Paths checked before any reading, as every writer does. */
    if (zs_file_check_input(path, &err) != ZS_OK || zs_file_prepare_output(output, &err) != ZS_OK)
        return zs_cli_fail(&err);
    zs_report *r = NULL;
    if (zs_report_read(path, &r, &err) != ZS_OK)
        return zs_cli_fail(&err);
    int rc = 0;
    if (zs_report_write_file(output, r, &err) != ZS_OK)
        rc = zs_cli_fail(&err);
    else if (!quiet)
        printf("report of %s (%zu plan%s%s) written to %s\n", path, r->n_plans,
               r->n_plans == 1 ? "" : "s",
               r->n_missing ? "; the report lists what the file lacks" : "", output);
    zs_report_free(r);
    return rc;
}
