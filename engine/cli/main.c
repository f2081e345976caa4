/*
 * engine/cli/main.c -- the zonesim command line.
 *
 * The only place that prints to the terminal or decides the exit status:
 * 0 success, 2 bad input (the message names file:line:column where there
 * is a file), 1 internal failure.  Libraries that would print or abort are
 * disarmed here first (GSL's error handler, HDF5's error stack printing).
 */
#include <errno.h>
#include <getopt.h>
#include <omp.h>
#include <unistd.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>

#include "models/calendar.h"
#include "models/status.h"
#include "input/citygen.h"
#include "models/alloc.h"
#include "network/barriers.h"
#include "partition/partition.h"
#include "cli/cli.h"
#include "results/h5out.h"
#include "input/points.h"
#include "pipeline/run.h"
#include "pipeline/scenario.h"
#include "results/version.h"

extern const char zs_demo_scenario[];

static const char *prog = "zonesim";

/* ---- the summary table (run, demo, inspect) ------------------------- */

static void print_overview(const zs_h5_overview *o, const char *path, int zones)
{
    printf("results %s: scenario '%s', seed %llu, %zu points\n", path, o->scenario_name,
           (unsigned long long)o->seed, o->n_points);
    printf("  %zu replications x %zu days, shift %.1f h; engine %s, written %s\n", o->reps,
           o->days, o->shift_min / 60.0, o->engine_version, o->created_utc);
    if (o->shard[0])
        printf("  SHARD %s: replications [%zu, %zu) of %zu only; the figures below cover this\n"
               "  shard alone (join all %zu shards with 'zonesim merge')\n",
               o->shard, o->rep_begin, o->rep_end, o->reps, o->shard_count);
    putchar('\n');
    printf("%-16s %-16s %5s  %-22s %6s %6s %8s %11s %6s %7s %6s %9s\n", "plan", "method", "zones",
           "work h [95% CI]", "p90 h", "OT h", "OT days", "sim max/min", "CV", "1st ok", "late",
           "unreached");
    for (size_t p = 0; p < o->n_plans; p++) {
        const zs_h5_plan_overview *pl = &o->plans[p];
        if (!pl->summary) {
            printf("%-16s %-16s %5zu  (not simulated)\n", pl->name, pl->method, pl->k);
            continue;
        }
        const zs_stat *w = &pl->summary->zoneday[ZS_M_WORK_MIN];
        const zs_stat *ot = &pl->summary->zoneday[ZS_M_OVERTIME_MIN];
        char ci[64];
        snprintf(ci, sizeof ci, "%.2f [%.2f, %.2f]", w->mean / 60, w->ci_lo / 60, w->ci_hi / 60);
        /* Shares from the mean daily totals (ratios of means). */
        const zs_stat *day = pl->summary->day;
        double stops = day[ZS_M_STOPS].mean, deliv = day[ZS_M_DELIVERED].mean;
        double first_ok = stops > 0 ? 1.0 - day[ZS_M_FAILED_STOPS].mean / stops : 1.0;
        double late = deliv > 0 ? day[ZS_M_LATE].mean / deliv : 0.0;
        printf("%-16s %-16s %5zu  %-22s %6.2f %6.2f %7.1f%% %11.2f %6.3f %6.1f%% %5.1f%% %9.1f\n",
               pl->name, pl->method, pl->k, ci, w->p90 / 60, ot->mean / 60,
               100.0 * pl->summary->overtime_share, pl->summary->work_maxmin, pl->summary->work_cv,
               100.0 * first_ok, 100.0 * late, day[ZS_M_UNVISITED].mean);
    }
    printf("  (per courier-day: mean work with its 95%% CI over replications, 90th percentile,\n"
           "   mean overtime, share of courier-days with overtime; balance of the zones' mean\n"
           "   simulated work: busiest / quietest zone and coefficient of variation; stops\n"
           "   signed at the first attempt; parcels signed for after the delivery promise;\n"
           "   stops a day left for tomorrow because the overtime limit was reached)\n");
    /* The overtime limit stops new stops, not the stop under way or the
     * drive back (issue 19): say when that took overtime past it. */
    for (size_t p = 0; p < o->n_plans; p++) {
        const zs_h5_plan_overview *pl = &o->plans[p];
        if (!pl->summary || !(o->max_overtime_min > 0.0))
            continue;
        const zs_stat *ot = &pl->summary->zoneday[ZS_M_OVERTIME_MIN];
        if (ot->max > o->max_overtime_min + 1e-9)
            printf("  note: plan '%s': overtime reached %.2f h on its longest courier-day, past "
                   "the %.1f h limit (shift.max_overtime_h): the limit stops new stops, not the "
                   "stop under way or the drive back (90th percentile %.2f h)\n",
                   pl->name, ot->max / 60.0, o->max_overtime_min / 60.0, ot->p90 / 60.0);
    }
    /* Pickup requests (demand.pickups_per_day), when the run had any. */
    for (size_t p = 0; p < o->n_plans; p++) {
        const zs_h5_plan_overview *pl = &o->plans[p];
        if (!pl->summary || !(pl->summary->day[ZS_M_PICKUPS].mean > 0.0))
            continue;
        const zs_stat *day = pl->summary->day;
        double req = day[ZS_M_PICKUPS].mean;
        printf("  pickups '%s': %.1f requests a day, %.1f%% late, %.1f%% missed; "
               "%.2f h per courier-day (in work h)\n",
               pl->name, req, 100.0 * day[ZS_M_PICKUPS_LATE].mean / req,
               100.0 * day[ZS_M_PICKUPS_MISSED].mean / req,
               pl->summary->zoneday[ZS_M_PICKUP_MIN].mean / 60);
    }
    zs_cli_print_day(o); /* dispatch waves and windows (issue 21), when simulated */
    /* Shape: what a courier would be handed (engine/partition/shape.h). */
    int any_shape = 0;
    for (size_t p = 0; p < o->n_plans; p++)
        any_shape |= o->plans[p].has_shape;
    if (any_shape) {
        printf("\n%-16s %10s %7s %9s %8s %6s %15s\n", "zone shape", "one piece", "strays",
               "x barrier", "overlap", "PP", "work+travel dev");
        for (size_t p = 0; p < o->n_plans; p++) {
            const zs_h5_plan_overview *pl = &o->plans[p];
            if (!pl->has_shape)
                continue;
            char piece[32];
            snprintf(piece, sizeof piece, "%llu/%zu", (unsigned long long)pl->zones_one_piece,
                     pl->k);
            printf("%-16s %10s %7llu %9llu %7.1f%% %6.3f %14.1f%%\n", pl->name, piece,
                   (unsigned long long)pl->strays, (unsigned long long)pl->barrier_zones,
                   100.0 * pl->hull_overlap, pl->polsby_popper_mean,
                   100.0 * pl->work_travel_maxdev);
        }
        printf("  (zones in one piece on the adjacency graph, points outside their zone's\n"
               "   main piece, zones reaching across a river or major road, share of the\n"
               "   zone hulls' area covered twice, mean Polsby-Popper compactness of the\n"
               "   hulls, largest deviation of expected work with travel from the mean)\n");
        for (size_t p = 0; p < o->n_plans; p++)
            if (o->plans[p].has_shape && o->plans[p].zones_one_piece < o->plans[p].k)
                printf("  note: plan '%s' has %llu of %zu zones in pieces (%llu points away from "
                       "their zone's main piece): not zones a courier can be handed as they are\n",
                       o->plans[p].name,
                       (unsigned long long)(o->plans[p].k - o->plans[p].zones_one_piece),
                       o->plans[p].k, (unsigned long long)o->plans[p].strays);
        for (size_t p = 0; p < o->n_plans; p++) {
            const zs_h5_plan_overview *pl = &o->plans[p];
            if (!pl->has_shape || !pl->barrier_zones)
                continue;
            printf("  note: plan '%s' has %llu of %zu zones reaching across a river or major road",
                   pl->name, (unsigned long long)pl->barrier_zones, pl->k);
            if (pl->barrier_zones_alone)
                printf(" (%llu of them the only zone of an area that a barrier line runs into: "
                       "no zone there can keep to one side)",
                       (unsigned long long)pl->barrier_zones_alone);
            printf("\n");
        }
        for (size_t p = 0; p < o->n_plans; p++)
            if (o->plans[p].pockets)
                printf("  note: plan '%s' joined %llu points in pockets too small for a zone to "
                       "a zone across a barrier at the quickest crossing (%llu zone%s: one piece "
                       "over the crossing, not counted as across)\n", o->plans[p].name,
                       (unsigned long long)o->plans[p].pockets,
                       (unsigned long long)o->plans[p].bridged_zones,
                       o->plans[p].bridged_zones == 1 ? "" : "s");
        for (size_t p = 0; p < o->n_plans; p++) {
            const zs_h5_plan_overview *pl = &o->plans[p];
            if (pl->parts < 2 || !(pl->part_bound > 0))
                continue;
            printf("  note: plan '%s': the barriers leave %llu areas; however its %zu zones are "
                   "shared among them, an area's work per zone differs from the mean by about "
                   "%.1f%%",
                   pl->name, (unsigned long long)pl->parts, pl->k, 100.0 * pl->part_bound);
            if (pl->k_within)
                printf(" (%llu zones: %.1f%%)", (unsigned long long)pl->k_within,
                       100.0 * pl->k_within_dev);
            printf("\n");
        }
    }
    /* A plan that missed its balance target says so: never a silent success.
     * The target is the method's own for the balancing methods and a
     * relaxed exact plan; the others are judged by it only for the tables. */
    for (size_t p = 0; p < o->n_plans; p++)
        if (!o->plans[p].balance_met && (zs_partition_method_targets_band(o->plans[p].method) ||
                                         !strncmp(o->plans[p].status, "relaxed", 7))) {
            printf("  note: plan '%s' did not meet its balance tolerance (status: %s", o->plans[p].name,
                   o->plans[p].status);
            if (o->plans[p].balance_within)
                printf("; %llu of %zu zones within it", (unsigned long long)o->plans[p].balance_within,
                       o->plans[p].k);
            printf(")\n");
        }
    if (o->n_plans >= 2 && o->paired_work) {
        printf("\npaired differences against '%s' (same demand; total over all couriers, per day):\n",
               o->plans[0].name);
        for (size_t p = 1; p < o->n_plans; p++) {
            const zs_stat *w = &o->paired_work[p], *ot = &o->paired_overtime[p];
            printf("  %-16s work %+8.1f h [%+.1f, %+.1f]   overtime %+7.1f h [%+.1f, %+.1f]\n",
                   o->plans[p].name, w->mean / 60, w->ci_lo / 60, w->ci_hi / 60, ot->mean / 60,
                   ot->ci_lo / 60, ot->ci_hi / 60);
        }
    }
    if (!zones)
        return;
    for (size_t p = 0; p < o->n_plans; p++) {
        const zs_h5_plan_overview *pl = &o->plans[p];
        if (!pl->summary)
            continue;
        printf("\nplan '%s': per zone (means over replications and days)\n", pl->name);
        printf("%-10s %7s %8s %8s %10s %8s %8s\n", "zone", "stops", "parcels", "dist km",
               "work h", "p90 h", "OT h");
        for (size_t z = 0; z < pl->k; z++)
            printf("%-10s %7.1f %8.1f %8.1f %10.2f %8.2f %8.2f\n", pl->label[z],
                   pl->summary->zone[ZS_M_STOPS][z].mean, pl->summary->zone[ZS_M_PARCELS][z].mean,
                   pl->summary->zone[ZS_M_DIST_KM][z].mean,
                   pl->summary->zone[ZS_M_WORK_MIN][z].mean / 60,
                   pl->summary->zone[ZS_M_WORK_MIN][z].p90 / 60,
                   pl->summary->zone[ZS_M_OVERTIME_MIN][z].mean / 60);
    }
}

/* The same figures as CSV for spreadsheets: one row per plan, or with
 * zones one row per plan and zone; every metric's mean, and for work and
 * overtime the CI and 90th percentile.  Hours, like the table. */
static void print_overview_csv(const zs_h5_overview *o, int zones)
{
    int nm = ZS_M_BASE_COUNT; /* the day model's metrics when a plan has them */
    for (size_t p = 0; p < o->n_plans; p++)
        if (o->plans[p].summary && zs_summary_nm(o->plans[p].summary) > nm)
            nm = zs_summary_nm(o->plans[p].summary);
    printf("plan,method,%s", zones ? "zone," : "zones,");
    for (int m = 0; m < nm; m++)
        printf("%s_mean,", zs_metric_get(m)->name);
    printf("work_h_mean,work_h_ci_lo,work_h_ci_hi,work_h_p90,overtime_h_mean%s\n",
           zones ? "" : ",work_maxmin,work_cv,overtime_share");
    for (size_t p = 0; p < o->n_plans; p++) {
        const zs_h5_plan_overview *pl = &o->plans[p];
        if (!pl->summary)
            continue;
        size_t rows = zones ? pl->k : 1;
        for (size_t z = 0; z < rows; z++) {
            /* Per zone: that zone's stats; per plan: per courier-day. */
            const zs_stat *st[ZS_M_COUNT];
            for (int m = 0; m < ZS_M_COUNT; m++)
                st[m] = zones ? &pl->summary->zone[m][z] : &pl->summary->zoneday[m];
            printf("\"%s\",%s,", pl->name, pl->method);
            if (zones)
                printf("\"%s\",", pl->label[z]);
            else
                printf("%zu,", pl->k);
            for (int m = 0; m < nm; m++)
                printf("%.10g,", st[m]->mean);
            const zs_stat *w = st[ZS_M_WORK_MIN];
            printf("%.6g,%.6g,%.6g,%.6g,%.6g", w->mean / 60, w->ci_lo / 60, w->ci_hi / 60,
                   w->p90 / 60, st[ZS_M_OVERTIME_MIN]->mean / 60);
            if (!zones)
                printf(",%.6g,%.6g,%.6g", pl->summary->work_maxmin, pl->summary->work_cv,
                       pl->summary->overtime_share);
            putchar('\n');
        }
    }
}

static int show_results(const char *path, int zones, int csv)
{
    zs_err err;
    zs_h5_overview *o = NULL;
    if (zs_h5out_read_overview(path, &o, &err) != ZS_OK)
        return zs_cli_fail(&err);
    if (csv)
        print_overview_csv(o, zones);
    else
        print_overview(o, path, zones);
    zs_h5_overview_free(o);
    return 0;
}

/* ---- progress ------------------------------------------------------------- */

/* A bar redrawn in place on a terminal, plain lines every 10% (or 30 s)
 * in a batch log.  Called from worker threads: printing is serialised. */
typedef struct {
    int tty;
    double start, last;
    size_t last_pct;
} progress_state;

static void progress_report(void *ctx, size_t done, size_t total)
{
    progress_state *ps = ctx;
#pragma omp critical(zs_progress)
    {
        double now = omp_get_wtime(), el = now - ps->start;
        double rate = el > 0 ? (double)done / el : 0.0;
        double left = rate > 0 ? (double)(total - done) / rate : 0.0;
        size_t pct = total ? done * 100 / total : 100;
        if (ps->tty && (now - ps->last >= 0.1 || done == total)) {
            int filled = (int)(pct * 30 / 100);
            fprintf(stderr, "\r[%.*s%.*s] %zu/%zu replications  %.1f/s  %.0f s left ",
                    filled, "##############################", 30 - filled,
                    "..............................", done, total, rate, left);
            if (done == total)
                fputc('\n', stderr);
            ps->last = now;
        } else if (!ps->tty && (pct >= ps->last_pct + 10 || now - ps->last >= 30 || done == total)) {
            fprintf(stderr, "zonesim: %zu/%zu replications (%zu%%), %.1f/s, about %.0f s left\n",
                    done, total, pct, rate, left);
            ps->last = now;
            ps->last_pct = pct - pct % 10;
        }
        fflush(stderr);
    }
}

/* ---- run / demo -------------------------------------------------------- */

static const char run_help[] =
    "usage: zonesim run SCENARIO [--output FILE] [--threads N] [--quiet]\n"
    "                   [--shard I/N] [--checkpoint-every B] [--resume]\n"
    "\n"
    "Builds every plan of the scenario, simulates its days and writes the\n"
    "results file (HDF5; layout in results/README.md), then prints a summary.\n"
    "\n"
    "  -o, --output FILE   results file (overrides the scenario's 'output')\n"
    "  -t, --threads N     OpenMP threads (0 = all); results do not depend on it\n"
    "  -q, --quiet         no progress on stderr; the summary still goes to stdout\n"
    "                      (> /dev/null drops it; errors and data warnings remain)\n"
    "      --shard I/N     run only shard I (0..N-1) of N: replications\n"
    "                      [floor(I*R/N), floor((I+1)*R/N)) of every plan, into\n"
    "                      OUTPUT with .h5 replaced by .shard-I-of-N.h5; 'zonesim\n"
    "                      merge OUTPUT SHARD...' joins the N files\n"
    "      --checkpoint-every B  write each finished block of B replications to\n"
    "                      OUTPUT.partial/ (removed when the results file is written)\n"
    "      --resume        continue a killed run from OUTPUT.partial/: only missing\n"
    "                      blocks are run; the file equals an uninterrupted run's\n"
    "  -h, --help          this help\n"
    "\n"
    "Progress goes to stderr: a bar on a terminal, a line every 10% otherwise.\n";

static const char demo_help[] =
    "usage: zonesim demo [--output FILE] [--threads N] [--quiet] [--print-scenario]\n"
    "\n"
    "Runs the embedded default scenario (scenarios/demo.yaml: a generated city\n"
    "of 2,000 points) and prints a summary.\n"
    "\n"
    "  -o, --output FILE     results file (default results/demo.h5)\n"
    "  -t, --threads N       OpenMP threads (0 = all)\n"
    "  -q, --quiet           no progress on stderr; the summary still goes to stdout\n"
    "  -p, --print-scenario  print the embedded scenario and exit\n"
    "  -h, --help            this help\n";

static int run_common(const char *cmd, int argc, char **argv, int is_demo)
{
    static const struct option lopts[] = {
        {"output", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {"print-scenario", no_argument, NULL, 'p'}, {"shard", required_argument, NULL, 'S'},
        {"checkpoint-every", required_argument, NULL, 'C'}, {"resume", no_argument, NULL, 'R'},
        {NULL, 0, NULL, 0}};
    zs_run_opts ro;
    zs_run_opts_defaults(&ro);
    int quiet = 0, c;
    long v;
    optind = 1;
    while ((c = getopt_long(argc, argv, is_demo ? "o:t:qhp" : "o:t:qh", lopts, NULL)) != -1) {
        switch (c) {
        case 'o': ro.output = optarg; break;
        case 't':
            if (zs_cli_parse_long(optarg, 0, 4096, &v) != 0)
                return zs_cli_usage(cmd, "--threads '%s': expected an integer 0..4096", optarg);
            ro.threads = (int)v;
            break;
        case 'q': quiet = 1; break;
        case 'S': {
            /* I/N: two whole decimal numbers, 0 <= I < N. */
            char *slash = strchr(optarg, '/');
            long si, sn;
            if (!slash || slash == optarg) {
                si = sn = -1;
            } else {
                *slash = '\0';
                int bad = zs_cli_parse_long(optarg, 0, LONG_MAX - 1, &si) != 0 ||
                          zs_cli_parse_long(slash + 1, 1, LONG_MAX, &sn) != 0;
                *slash = '/';
                if (bad)
                    si = sn = -1;
            }
            if (si < 0 || si >= sn)
                return zs_cli_usage(cmd, "--shard '%s': expected I/N with 0 <= I < N, e.g. 0/4",
                                    optarg);
            ro.shard_index = (size_t)si;
            ro.shard_count = (size_t)sn;
            break;
        }
        case 'C':
            if (zs_cli_parse_long(optarg, 1, LONG_MAX, &v) != 0)
                return zs_cli_usage(cmd, "--checkpoint-every '%s': expected a number of "
                                         "replications >= 1", optarg);
            ro.checkpoint_reps = (size_t)v;
            break;
        case 'R': ro.resume = 1; break;
        case 'h': fputs(is_demo ? demo_help : run_help, stdout); return 0;
        case 'p':
            if (is_demo) {
                fputs(zs_demo_scenario, stdout);
                return 0;
            }
            /* fall through */
        default: return zs_cli_usage(cmd, "unknown option");
        }
    }
    zs_err err;
    zs_scenario *sc = NULL;
    zs_status st;
    if (is_demo) {
        if (optind != argc)
            return zs_cli_usage(cmd, "takes no SCENARIO (use 'zonesim run')");
        st = zs_scenario_parse(zs_demo_scenario, strlen(zs_demo_scenario), "<embedded demo>",
                               ".", &sc, &err);
        if (!ro.output)
            ro.output = "results/demo.h5";
    } else {
        if (optind != argc - 1)
            return zs_cli_usage(cmd, optind == argc ? "missing SCENARIO" : "too many arguments");
        st = zs_scenario_load(argv[optind], &sc, &err);
    }
    if (st != ZS_OK)
        return zs_cli_fail(&err);
    if (!quiet)
        fprintf(stderr, "%s: running scenario '%s': %zu plan%s x %zu replications x %zu days\n",
                prog, sc->name, sc->n_plans, sc->n_plans == 1 ? "" : "s", sc->replications, sc->days);
    if (!quiet && ro.shard_count)
        fprintf(stderr, "%s: shard %zu/%zu of the replications\n", prog, ro.shard_index,
                ro.shard_count);
    double t_start = omp_get_wtime();
    progress_state ps = {isatty(fileno(stderr)), t_start, t_start, 0};
    if (!quiet) {
        ro.progress = progress_report;
        ro.progress_ctx = &ps;
    }
    zs_run_info info;
    st = zs_run_scenario(sc, &ro, &info, &err);
    zs_scenario_free(sc);
    if (st != ZS_OK)
        return zs_cli_fail(&err);
    if (info.notes[0]) /* data notes and warnings are not progress: --quiet keeps them */
        fprintf(stderr, "%s", info.notes);
    /* --quiet silences progress only (issue 19): the result summary is what
     * the run was for; send stdout to /dev/null to drop it too. */
    printf("%zu points, %.1f expected stops on a mean day -> capacity rule: %zu zone%s\n",
           info.n_points, info.expected_stops, info.auto_k, info.auto_k == 1 ? "" : "s");
    printf("plans built in %.2f s; simulated on %d thread%s in %.2f s; written in %.2f s\n",
           info.seconds_plans, info.threads, info.threads == 1 ? "" : "s", info.seconds_sim,
           info.seconds_write);
    if (info.network[0])
        printf("%s\n", info.network);
    if (ro.checkpoint_reps || ro.resume)
        printf("checkpoints: %zu replication%s resumed from %s.partial, %zu block%s written "
               "(removed now the results file is complete)\n",
               info.reps_resumed, info.reps_resumed == 1 ? "" : "s", info.output,
               info.blocks_written, info.blocks_written == 1 ? "" : "s");
    putchar('\n');
    int rc = show_results(info.output, 0, 0);
    /* Staffing, when the scenario asked for it (engine/cli_staff.c). */
    if (rc == 0)
        rc = zs_cli_staff_show(info.output, 0);
    /* The service desk, when the scenario has one (engine/cli_service.c). */
    return rc != 0 ? rc : zs_cli_service_show(info.output, NULL);
}

/* ---- generate ------------------------------------------------------------ */

static const char generate_help[] =
    "usage: zonesim generate --output FILE [--scenario FILE] [--seed S] [--points N]\n"
    "                        [--width-km W] [--height-km H] [--mean-parcels M]\n"
    "                        [--river] [--ring-road-km R] [--barriers FILE]\n"
    "       zonesim generate --osm EXTRACT --output FILE [--points N] [--seed S]\n"
    "                        [--mean-parcels M] [--station LON,LAT]\n"
    "\n"
    "Writes a synthetic city (points CSV: id,x,y,type,parcels) from a recipe:\n"
    "the scenario's points.generate section if --scenario is given, else the\n"
    "defaults (2,000 points over 12 x 10 km); the options override it.\n"
    "\n"
    "  -o, --output FILE     points CSV to write (required)\n"
    "  -s, --scenario FILE   take the recipe from this scenario\n"
    "      --seed S          generator seed\n"
    "  -n, --points N        number of points\n"
    "      --width-km W      area width\n"
    "      --height-km H     area height\n"
    "      --mean-parcels M  mean daily parcels per point\n"
    "      --river           a river crosses the city (no points on the water)\n"
    "      --ring-road-km R  a ring road of radius R around the station\n"
    "      --barriers FILE   write the river and ring road as GeoJSON (metres),\n"
    "                        for partition --barriers or a scenario's barriers.file\n"
    "      --osm EXTRACT     a real city instead: points on the OpenStreetMap extract's\n"
    "                        buildings (typed by their tags), else along its residential\n"
    "                        streets; the CSV has lon,lat columns (default 1,000 points)\n"
    "      --station LON,LAT the station (with --osm; default: the street node nearest\n"
    "                        the parcel-weighted centre), printed for the scenario's depot\n"
    "  -h, --help            this help\n";

static int cmd_generate(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"output", required_argument, NULL, 'o'}, {"scenario", required_argument, NULL, 's'},
        {"seed", required_argument, NULL, 'S'},   {"points", required_argument, NULL, 'n'},
        {"width-km", required_argument, NULL, 'W'}, {"height-km", required_argument, NULL, 'H'},
        {"mean-parcels", required_argument, NULL, 'M'}, {"help", no_argument, NULL, 'h'},
        {"river", no_argument, NULL, 'R'}, {"ring-road-km", required_argument, NULL, 'G'},
        {"barriers", required_argument, NULL, 'B'}, {"osm", required_argument, NULL, 'O'},
        {"station", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0}};
    const char *output = NULL, *scen = NULL, *o_ring = NULL, *barriers = NULL, *osm = NULL,
               *station = NULL;
    int o_river = 0;
    /* Options are applied after the scenario's recipe, so keep them. */
    const char *o_seed = NULL, *o_n = NULL, *o_w = NULL, *o_h = NULL, *o_m = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:s:n:h", lopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 's': scen = optarg; break;
        case 'S': o_seed = optarg; break;
        case 'n': o_n = optarg; break;
        case 'W': o_w = optarg; break;
        case 'H': o_h = optarg; break;
        case 'M': o_m = optarg; break;
        case 'R': o_river = 1; break;
        case 'G': o_ring = optarg; break;
        case 'B': barriers = optarg; break;
        case 'O': osm = optarg; break;
        case 'T': station = optarg; break;
        case 'h': fputs(generate_help, stdout); return 0;
        default: return zs_cli_usage("generate", "unknown option");
        }
    }
    if (optind != argc)
        return zs_cli_usage("generate", "unexpected argument '%s'", argv[optind]);
    if (!output)
        return zs_cli_usage("generate", "--output FILE is required");
    {
        const zs_file_input in[] = {{scen, "--scenario"}, {osm, "--osm"}};
        const char *outs[] = {output, barriers};
        int rc = zs_cli_check_outputs(outs, 2, in, 2);
        if (rc)
            return rc;
    }
    if (osm) {
        if (scen || o_w || o_h || o_river || o_ring || barriers)
            return zs_cli_usage("generate", "--osm takes only --points, --seed, --mean-parcels "
                                "and --station (the city is the extract's)");
        return zs_cli_generate_osm(osm, output, o_n, o_seed, o_m, station);
    }
    if (station)
        return zs_cli_usage("generate", "--station goes with --osm");
    zs_err err;
    zs_citygen_opts go;
    zs_citygen_opts_defaults(&go);
    if (scen) {
        zs_scenario *sc = NULL;
        if (zs_scenario_load(scen, &sc, &err) != ZS_OK)
            return zs_cli_fail(&err);
        if (!sc->points_generated) {
            zs_scenario_free(sc);
            return zs_cli_usage("generate", "scenario '%s' reads its points from a file; it has no points.generate recipe", scen);
        }
        go = sc->gen;
        zs_scenario_free(sc);
    }
    long v;
    if (o_seed && zs_cli_parse_u64(o_seed, &go.seed) != 0)
        return zs_cli_usage("generate", "--seed '%s': expected a non-negative integer", o_seed);
    if (o_n) {
        if (zs_cli_parse_long(o_n, 1, 100000000L, &v) != 0)
            return zs_cli_usage("generate", "--points '%s': expected an integer 1..100000000", o_n);
        go.n_points = (size_t)v;
    }
    /* the ranges of points.generate's keys (scenario_keys.c) */
    if (o_w && zs_cli_parse_double(o_w, 0.01, 1000, &go.width_km) != 0)
        return zs_cli_usage("generate", "--width-km '%s': expected km in [0.01, 1000]", o_w);
    if (o_h && zs_cli_parse_double(o_h, 0.01, 1000, &go.height_km) != 0)
        return zs_cli_usage("generate", "--height-km '%s': expected km in [0.01, 1000]", o_h);
    if (o_m && zs_cli_parse_double(o_m, 1e-6, 1e6, &go.mean_parcels) != 0)
        return zs_cli_usage("generate", "--mean-parcels '%s': expected a number in [1e-6, 1e6]",
                            o_m);
    if (o_river)
        go.river = 1;
    if (o_ring && zs_cli_parse_double(o_ring, 0.0, 1000.0, &go.ring_road_km) != 0)
        return zs_cli_usage("generate", "--ring-road-km '%s': expected km in [0, 1000]", o_ring);
    zs_points *pts = NULL;
    if (zs_citygen_run(&go, &pts, &err) != ZS_OK)
        return zs_cli_fail(&err);
    zs_status st = zs_points_write_csv(pts, output, &err);
    size_t n = pts->n;
    zs_points_free(pts);
    if (st != ZS_OK)
        return zs_cli_fail(&err);
    fprintf(stderr, "%s: wrote %zu points to %s (station at %.0f, %.0f m)\n", prog, n, output,
            go.station_x, go.station_y);
    if (barriers) {
        double *seg = NULL;
        int32_t *feat = NULL;
        size_t m = 0;
        static const char *const names_rr[] = {"river", "ring road"};
        static const char *const names_r[] = {"ring road"};
        if ((st = zs_citygen_barriers(&go, &seg, &feat, &m, &err)) == ZS_OK && !m)
            st = zs_err_set(&err, ZS_EINVAL, "--barriers: this city has no river or ring road "
                                             "(add --river or --ring-road-km)");
        if (st == ZS_OK)
            st = zs_barriers_write_geojson(barriers, seg, feat, m,
                                           go.river ? names_rr : names_r, go.river ? 2 : 1, &err);
        zs_free(seg);
        zs_free(feat);
        if (st != ZS_OK)
            return zs_cli_fail(&err);
        fprintf(stderr, "%s: wrote %zu barrier segments to %s\n", prog, m, barriers);
    }
    return 0;
}

/* ---- inspect, keys, version ------------------------------------------------ */

static const char inspect_help[] =
    "usage: zonesim inspect FILE [--zones] [--csv]\n"
    "\n"
    "Prints a readable summary of a results file: plans, zones, mean work\n"
    "hours per courier-day with 95% confidence intervals, overtime, balance.\n"
    "\n"
    "  -z, --zones   also print one line per zone (with --csv: only zone rows)\n"
    "  -c, --csv     comma-separated values for spreadsheets\n"
    "  -h, --help    this help\n";

static int cmd_inspect(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"zones", no_argument, NULL, 'z'}, {"csv", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int zones = 0, csv = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "zch", lopts, NULL)) != -1) {
        switch (c) {
        case 'z': zones = 1; break;
        case 'c': csv = 1; break;
        case 'h': fputs(inspect_help, stdout); return 0;
        default: return zs_cli_usage("inspect", "unknown option");
        }
    }
    if (optind != argc - 1)
        return zs_cli_usage("inspect", optind == argc ? "missing FILE" : "too many arguments");
    int rc = show_results(argv[optind], zones, csv);
    /* The service desk, when the run had one (engine/cli_service.c). */
    return rc != 0 || csv ? rc : zs_cli_service_show(argv[optind], NULL);
}

static int cmd_keys(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        puts("usage: zonesim keys\n\nPrints every scenario key (type, range, default, unit, meaning)\nas a Markdown table.");
        return 0;
    }
    if (argc > 1)
        return zs_cli_usage("keys", "takes no arguments");
    zs_scenario_write_keys(stdout);
    return 0;
}

static const char main_help[] =
    "usage: zonesim <command> [options]\n"
    "\n"
    "Plans courier zones for an express-delivery station and simulates how\n"
    "they perform under variable demand.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO     build the scenario's plans, simulate, write results (HDF5)\n"
    "  demo             run the embedded default scenario (results/demo.h5)\n"
    "  generate         write a synthetic city as a points CSV\n"
    "  partition POINTS zone a points file with one method (k-means family, grid, voronoi)\n"
    "  calibrate HIST   fit demand from a history of parcels per point and day\n"
    "  inspect FILE     summarise a results file (--csv for spreadsheets)\n"
    "  merge OUT SHARD... join the shard files of 'run --shard I/N' into one\n"
    "  export FILE      GeoJSON and SVG maps of a plan from a results file\n"
    "  report FILE      one self-contained HTML report of a results file\n"
    "  staff FILE       couriers per day type, weekly roster (GLPK), light-day zones;\n"
    "                   'staff --stops N' gives the capacity rule at once\n"
    "  compare STUDY    plans x instances x seeds: mean and spread of metrics\n"
    "  service          agents a service desk needs (Erlang C/A), e.g.\n"
    "                   'service --calls 100 --aht 180 --target 0.8 --within 20'\n"
    "  calibrate-calls CALLS  call rates, profiles and handling from a call log\n"
    "  keys             list every scenario key\n"
    "\n"
    "'zonesim <command> --help' describes a command.  --version prints versions.\n"
    "--trust-unverified (any command reading results files, checkpoints or\n"
    "shards) reads HDF5 files written before zonesim checksummed them; a file\n"
    "whose checksum does not match is refused either way.\n"
    "Exit status: 0 success, 2 bad input, 1 internal failure.\n";

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    zs_h5out_silence();
    if (argc < 2) {
        fputs(main_help, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(main_help, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("zonesim %s (%s)\nGSL %s, HDF5 %s\n", ZS_VERSION, zs_git_commit, GSL_VERSION,
               zs_h5out_library_version());
        return 0;
    }
    argc--;
    argv++;
    /* --trust-unverified, for every command that reads results files
     * (issue 22): taken out here so each command's options stay its own. */
    int kept = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--trust-unverified") && i > 0) {
            zs_h5out_trust_unverified(1);
            fprintf(stderr, "%s: warning: --trust-unverified: HDF5 files without a checksum "
                            "are read unchecked (after a trial read in a separate process)\n",
                    prog);
            continue;
        }
        argv[kept++] = argv[i];
    }
    argc = kept;
    argv[argc] = NULL;
    if (!strcmp(cmd, "run"))
        return run_common("run", argc, argv, 0);
    if (!strcmp(cmd, "demo"))
        return run_common("demo", argc, argv, 1);
    if (!strcmp(cmd, "generate"))
        return cmd_generate(argc, argv);
    if (!strcmp(cmd, "inspect"))
        return cmd_inspect(argc, argv);
    if (!strcmp(cmd, "keys"))
        return cmd_keys(argc, argv);
    if (!strcmp(cmd, "calibrate"))
        return zs_cli_calibrate(argc, argv);
    if (!strcmp(cmd, "partition"))
        return zs_cli_partition(argc, argv);
    if (!strcmp(cmd, "export"))
        return zs_cli_export(argc, argv);
    if (!strcmp(cmd, "staff"))
        return zs_cli_staff(argc, argv);
    if (!strcmp(cmd, "compare"))
        return zs_cli_compare(argc, argv);
    if (!strcmp(cmd, "merge"))
        return zs_cli_merge(argc, argv);
    if (!strcmp(cmd, "report"))
        return zs_cli_report(argc, argv);
    if (!strcmp(cmd, "service"))
        return zs_cli_service(argc, argv);
    if (!strcmp(cmd, "calibrate-calls"))
        return zs_cli_calibrate_calls(argc, argv);
    fprintf(stderr, "%s: unknown command '%s' (see 'zonesim --help')\n", prog, cmd);
    return 2;
}
