/*
 * engine/cli/cli_compare.c -- `zonesim compare STUDY.yaml`: the scenario's
 * plans over several seeds and instances, as a table with mean and spread
 * (terminal), two CSV files and an HDF5 group (engine/compare.h).
 */
#include <getopt.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "models/alloc.h"
#include "cli/cli.h"
#include "input/files.h"
#include "pipeline/compare.h"
#include "pipeline/scenario.h"

static const char compare_help[] =
    "usage: zonesim compare STUDY.yaml [--output FILE.h5] [--threads N] [--quiet]\n"
    "\n"
    "Makes every plan of the scenario on each instance (study.instances\n"
    "generated cities, or its points file) with study.seeds seeds, measures\n"
    "each (SSE, weighted distance, zone workload balance, estimated tours,\n"
    "runtime) and prints mean +- sd per plan.  Writes FILE.h5 (group\n"
    "/compare), FILE.csv (per plan and metric: n, mean, sd, min, max) and\n"
    "FILE-rows.csv (one row per instance, plan and seed).  Apart from the\n"
    "runtimes the tables depend only on the scenario, not on the threads.\n"
    "\n"
    "For papers it also writes FILE.md (Markdown) and FILE.tex (LaTeX,\n"
    "booktabs): the share of runs that met the balance tolerance as a\n"
    "proportion with its 95% Wilson interval (also in the terminal's\n"
    "'met' column), runtimes as median and maximum, and the paired\n"
    "differences of every plan against the first (plan minus first on the\n"
    "same instances and seeds, mean with a 95% t interval; a plan without\n"
    "seeds is paired per instance with the other's mean over its seeds).\n"
    "\n"
    "  -o, --output FILE   comparison file (default: study.output, else the\n"
    "                      scenario's output with -compare.h5)\n"
    "  -t, --threads N     OpenMP threads (0 = all)\n"
    "  -q, --quiet         no progress on stderr; the table still goes to stdout\n"
    "                      (> /dev/null drops it; errors and data warnings remain)\n"
    "  -h, --help          this help\n";

/* base + suffix in a new string. */
static char *join(const char *base, size_t blen, const char *suffix)
{
    size_t sl = strlen(suffix);
    char *s = zs_malloc(blen + sl + 1);
    if (s) {
        memcpy(s, base, blen);
        memcpy(s + blen, suffix, sl + 1);
    }
    return s;
}

static size_t strip_h5(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && !strcmp(path + n - 3, ".h5") ? n - 3 : n;
}

static void progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    if (total > 1)
        fprintf(stderr, "compare: instance %zu of %zu done\n", done, total);
}

int zs_cli_compare(int argc, char **argv)
{
    static const struct option lopts[] = {{"output", required_argument, NULL, 'o'},
                                          {"threads", required_argument, NULL, 't'},
                                          {"quiet", no_argument, NULL, 'q'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    const char *output = NULL;
    int quiet = 0, c, threads = -1;
    long v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:t:qh", lopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 't':
            if (zs_cli_parse_long(optarg, 0, 4096, &v) != 0)
                return zs_cli_usage("compare", "--threads '%s': expected an integer 0..4096", optarg);
            threads = (int)v;
            break;
        case 'q': quiet = 1; break;
        case 'h': fputs(compare_help, stdout); return 0;
        default: return zs_cli_usage("compare", "unknown option");
        }
    }
    if (optind != argc - 1)
        return zs_cli_usage("compare", optind == argc ? "missing STUDY.yaml" : "too many arguments");
    if (output && (!*output || strip_h5(output) == 0))
        return zs_cli_usage("compare", "--output '%s': expected a file name", output);
    zs_err err;
    zs_scenario *sc = NULL;
    zs_compare *cmp = NULL;
    char *h5 = NULL, *csv = NULL, *rows = NULL, *md = NULL, *tex = NULL;
    int rc = 0;
    zs_status st = zs_scenario_load(argv[optind], &sc, &err);
    if (st != ZS_OK)
        return zs_cli_fail(&err);
    if (threads < 0)
        threads = sc->threads;
    if (threads > 0)
        omp_set_num_threads(threads);
    if (!output) {
        if (sc->study_output) {
            output = sc->study_output;
        } else {
            h5 = join(sc->output, strip_h5(sc->output), "-compare.h5");
            output = h5;
        }
    }
    size_t blen = output ? strip_h5(output) : 0;
    if (!output || !(csv = join(output, blen, ".csv")) || !(rows = join(output, blen, "-rows.csv")) ||
        !(md = join(output, blen, ".md")) || !(tex = join(output, blen, ".tex"))) {
        st = ZS_NOMEM(&err);
        goto done;
    }
    if (!quiet)
        fprintf(stderr, "compare: study '%s': %zu plan%s x %zu instance%s x %zu seed%s\n", sc->name,
                sc->n_plans, sc->n_plans == 1 ? "" : "s", sc->study_instances,
                sc->study_instances == 1 ? "" : "s", sc->study_seeds,
                sc->study_seeds == 1 ? "" : "s");
    const zs_compare_source src = {sc->text, sc->path, sc->name};
    if ((st = zs_scenario_check_output(sc, output, &err)) != ZS_OK ||
        (st = zs_scenario_check_output(sc, csv, &err)) != ZS_OK ||
        (st = zs_scenario_check_output(sc, rows, &err)) != ZS_OK ||
        (st = zs_scenario_check_output(sc, md, &err)) != ZS_OK ||
        (st = zs_scenario_check_output(sc, tex, &err)) != ZS_OK ||
        (st = zs_file_prepare_output(output, &err)) != ZS_OK ||
        (st = zs_file_prepare_output(csv, &err)) != ZS_OK ||
        (st = zs_file_prepare_output(rows, &err)) != ZS_OK ||
        (st = zs_file_prepare_output(md, &err)) != ZS_OK ||
        (st = zs_file_prepare_output(tex, &err)) != ZS_OK ||
        (st = zs_compare_run(sc, quiet ? NULL : progress, NULL, &cmp, &err)) != ZS_OK)
        goto done;
    if (cmp->notes[0]) /* data notes are not progress: --quiet keeps them */
        fprintf(stderr, "%s", cmp->notes);
    if ((st = zs_compare_write_h5(cmp, &src, output, &err)) != ZS_OK ||
        (st = zs_compare_write_csv(cmp, rows, csv, &err)) != ZS_OK ||
        (st = zs_compare_write_markdown(cmp, &src, md, &err)) != ZS_OK ||
        (st = zs_compare_write_latex(cmp, &src, tex, &err)) != ZS_OK)
        goto done;
    { /* the result, printed with or without --quiet (it silences progress) */
        size_t kmin = cmp->auto_k[0], kmax = kmin, nmin = cmp->n_points[0], nmax = nmin;
        for (size_t i = 1; i < cmp->n_instances; i++) {
            kmin = cmp->auto_k[i] < kmin ? cmp->auto_k[i] : kmin;
            kmax = cmp->auto_k[i] > kmax ? cmp->auto_k[i] : kmax;
            nmin = cmp->n_points[i] < nmin ? cmp->n_points[i] : nmin;
            nmax = cmp->n_points[i] > nmax ? cmp->n_points[i] : nmax;
        }
        if (nmin == nmax)
            printf("%zu points", nmin);
        else
            printf("%zu..%zu points", nmin, nmax);
        if (kmin == kmax)
            printf(", capacity rule k = %zu", kmin);
        else
            printf(", capacity rule k = %zu..%zu", kmin, kmax);
        printf("; mean +- sd over %zu instance%s x %zu seed%s (manual plans: instances)\n\n",
               cmp->n_instances, cmp->n_instances == 1 ? "" : "s", cmp->n_seeds,
               cmp->n_seeds == 1 ? "" : "s");
        zs_compare_print(stdout, cmp);
        putchar('\n');
        zs_compare_print_paired(stdout, cmp);
        printf("\nwrote %s, %s, %s, %s, %s\n", output, csv, rows, md, tex);
    }
done:
    if (st != ZS_OK)
        rc = zs_cli_fail(&err);
    zs_compare_free(cmp);
    zs_scenario_free(sc);
    zs_free(h5);
    zs_free(csv);
    zs_free(rows);
    zs_free(md);
    zs_free(tex);
    return rc;
}
