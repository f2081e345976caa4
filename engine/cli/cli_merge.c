/*
 * engine/cli/cli_merge.c -- `zonesim merge OUTPUT SHARD...`: the shard files of
 * `zonesim run --shard I/N` joined into one results file (engine/h5merge.h).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "input/files.h"
#include "results/h5merge.h"

static const char merge_help[] =
    "usage: zonesim merge OUTPUT SHARD... [--quiet]\n"
    "\n"
    "Joins the N shard files of one run ('zonesim run SCENARIO --shard I/N' for\n"
    "I = 0..N-1, given in any order) into OUTPUT, the results file a single\n"
    "process would have written: the same /sim rows, summaries recomputed over\n"
    "all replications.  Refuses, naming the files, shards of different\n"
    "scenarios, seeds, versions or splits, and a missing or duplicated shard.\n"
    "\n"
    "  -q, --quiet   print only errors\n"
    "  -h, --help    this help\n";

int zs_cli_merge(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", lopts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'h': fputs(merge_help, stdout); return 0;
        default: return zs_cli_usage("merge", "unknown option");
        }
    }
    if (argc - optind < 2)
        return zs_cli_usage("merge", argc == optind ? "missing OUTPUT and SHARD files"
                                                    : "missing SHARD files");
    const char *out = argv[optind];
    zs_h5merge_info info;
    zs_err err;
    if (zs_file_prepare_output(out, &err) != ZS_OK)
        return zs_cli_fail(&err);
    if (zs_h5merge_shards(out, (const char *const *)argv + optind + 1, (size_t)(argc - optind - 1),
                          &info, &err) != ZS_OK)
        return zs_cli_fail(&err);
    if (!quiet)
        printf("merged %zu shard%s of scenario '%s' (seed %llu): %zu replications x %zu days, "
               "%zu plan%s -> %s\n",
               info.shards, info.shards == 1 ? "" : "s", info.scenario_name,
               (unsigned long long)info.seed, info.reps, info.days, info.n_plans,
               info.n_plans == 1 ? "" : "s", out);
    return 0;
}
