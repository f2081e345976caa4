/*
 * engine/cli/cli_staff.c -- `zonesim staff`: couriers per day, rosters and
 * nested light-day zones.
 *
 * Three forms:
 *   staff --stops N        the capacity rule at once (DESIGN.md);
 *   staff SCENARIO.yaml    runs the scenario (plans, simulation) with its
 *                          staffing section, or the defaults, and writes
 *                          the results file with /staffing;
 *   staff RESULTS.h5       staffing from a finished run's simulation,
 *                          written to a staffing file of its own (the
 *                          results file is never modified).
 * The rules come from the scenario's staffing section (for a results file:
 * the scenario text stored in it); options override them.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "cli/cli.h"
#include "input/files.h"
#include "results/h5out.h"
#include "results/h5staff.h"
#include "partition/partition.h"
#include "pipeline/run.h"
#include "pipeline/scenario.h"
#include "staffing/staffing.h"

static const char help[] =
    "usage: zonesim staff --stops N [--stops-per-hour R] [--hours H]\n"
    "       zonesim staff SCENARIO.yaml [--output RESULTS.h5] [options]\n"
    "       zonesim staff RESULTS.h5 [--plan NAME] [--output STAFFING.h5] [options]\n"
    "\n"
    "Couriers each kind of day needs, a weekly roster and light-day zones.\n"
    "\n"
    "With --stops: the capacity rule ceil(stops / (R x H)) at once; 840 stops\n"
    "at 3.5 stops/h over 8 h need 30 couriers, 640 need 23.\n"
    "\n"
    "With a scenario: runs it (plans and simulation, as 'zonesim run') with\n"
    "its staffing section, or the defaults, and writes the results file with\n"
    "/staffing.  With a results file: staffing from its stored simulation,\n"
    "written to STAFFING.h5 (default: RESULTS-staffing.h5).  For each plan and\n"
    "day type (operating mode, weekday, or peak event days) it prints the\n"
    "couriers needed so that at most a share RISK of the simulated days has a\n"
    "courier past the shift plus the allowed overtime, beside the capacity\n"
    "rule; the roster (GLPK: status, cost, gap, couriers per day); and the\n"
    "light-day zones made of whole heavy-day zones with their cost.\n"
    "\n"
    "  -n, --stops N            delivery stops in the day (capacity rule only)\n"
    "  -r, --stops-per-hour R   stops a courier serves in an hour (default 3.5)\n"
    "  -H, --hours H            working hours in the day (default 8)\n"
    "  -p, --plan NAME          only this plan (results file)\n"
    "  -o, --output FILE        file to write (see above)\n"
    "      --risk R             allowed share of overrun days, (0, 0.5]\n"
    "      --overtime-h H       overtime allowed before a day counts as overrun\n"
    "      --by-weekday         one requirement per weekday, not per mode\n"
    "      --weeks W            roster cycle in weeks (1..8)\n"
    "      --days-per-week D    working days a week (1..6)\n"
    "      --max-consecutive M  longest run of working days\n"
    "      --any-days-off       days off need not be consecutive\n"
    "      --weekend-off N      weekend days off per courier over the cycle\n"
    "      --temp-max T         temporary couriers a day (0 = none)\n"
    "      --temp-cost C        cost of a temporary courier-day\n"
    "      --pool N             regular couriers available (0 = no limit)\n"
    "      --light-k K          light-day zones (0 = the lightest day's need)\n"
    "      --no-nested          no light-day zones\n"
    "  -s, --schedule           print the roster courier by courier\n"
    "  -t, --threads N          OpenMP threads for the simulation (scenario)\n"
    "  -h, --help               this help\n";

/* ---- the table -------------------------------------------------------------- */

static void print_report(FILE *f, const char *plan, const zs_staffing_report *r, int schedule)
{
    const zs_staffing_opts *o = &r->opts;
    fprintf(f, "staffing for plan '%s' (%zu zones): risk %g%%, shift %.1f h + %.1f h overtime "
               "= %.1f h a courier-day\n",
            plan, r->k, 100.0 * o->risk, r->shift_min / 60.0, o->overtime_h, r->capacity_min / 60.0);
    fprintf(f, "%-8s %-20s %6s %7s %5s %8s %8s %8s %6s %5s %5s %8s\n", "type", "days", "obs",
            "stops", "rule", "work h", "q work", "q max z", "imbal", "need", "even", "overrun");
    for (int t = 0; t < r->n_types; t++) {
        const zs_staffing_type *ty = &r->type[t];
        if (!ty->n_obs) {
            fprintf(f, "%-8s %-20s %6s  (not simulated: the roster uses %d, the heaviest need)\n",
                    ty->name, ty->days, "0", ty->required);
            continue;
        }
        fprintf(f, "%-8s %-20s %6zu %7.1f %5d %8.1f %8.1f %8.2f %6.2f %5d %5d %7.1f%%\n", ty->name,
                ty->days, ty->n_obs, ty->stops_mean, ty->capacity_rule, ty->work_mean_min / 60.0,
                ty->work_q_min / 60.0, ty->busiest_q_min / 60.0, ty->imbalance_mean, ty->required,
                ty->required_even, 100.0 * ty->overrun_share_k);
    }
    fprintf(f, "  (obs: simulated replication-days; rule: capacity rule on the mean stops; work h:\n"
               "   mean total work of the day; q work, q max z: its %g%% quantile and that of the\n"
               "   busiest zone; imbal: busiest / mean zone; need: couriers with the plan's\n"
               "   imbalance; even: with even zones; overrun: days some courier of the plan's %zu\n"
               "   worked past %.1f h)\n",
            100.0 * (1.0 - o->risk), r->k, r->capacity_min / 60.0);
    /* Staffing that informs (issue 19): a need above the zone count means
     * zones bigger than a courier's day; say what would meet the risk. */
    int need = 0, t_need = -1;
    for (int t = 0; t < r->n_types; t++)
        if (r->type[t].n_obs && r->type[t].required > need) {
            need = r->type[t].required;
            t_need = t;
        }
    if (t_need >= 0 && (size_t)need > r->k)
        fprintf(f, "  note: at a %g%% risk the %s days need %d couriers for %zu zones: some "
                   "zones are more than one courier's day of %.1f h.  About %d zones as "
                   "balanced as these would meet the risk level (plans[].k: %d), %d if the "
                   "zones' work were even (a balanced method); or accept more overtime "
                   "(staffing.overtime_h) or a higher risk (staffing.risk)\n",
                100.0 * o->risk, r->type[t_need].name, need, r->k, r->capacity_min / 60.0, need,
                need, r->type[t_need].required_even);

    const zs_roster *ro = r->roster;
    const zs_roster_opts *ro_o = &o->roster;
    if (ro) {
        fprintf(f, "roster: %d week%s from %s, %d days a week, at most %d in a row%s, %d weekend "
                   "day%s off per courier\n",
                ro_o->weeks, ro_o->weeks == 1 ? "" : "s", "Monday", ro_o->days_per_week,
                ro_o->max_consecutive, ro_o->consecutive_off ? ", days off together" : "",
                ro_o->weekend_off_min, ro_o->weekend_off_min == 1 ? "" : "s");
        if (ro->status == ZS_MIP_INFEASIBLE || ro->status == ZS_MIP_NO_SOLUTION ||
            ro->status == ZS_MIP_UNBOUNDED) {
            char stext[48];
            fprintf(f, "  %s: %s\n", zs_mip_status_text(ro->status, ro->gap, stext, sizeof stext),
                    ro->message);
        } else {
            long tdays = 0;
            for (int d = 0; d < ro->days; d++)
                tdays += ro->temps[d];
            /* The status, then what it covers: every line the rules allow. */
            char stext[48];
            fprintf(f, "  %s: %zu couriers, cost %.6g (couriers %.6g + temporaries %ld days %.6g), "
                       "bound %.6g; over all %zu lines the rules allow, %.2f s\n",
                    zs_mip_status_text(ro->status, ro->gap, stext, sizeof stext), ro->couriers,
                    ro->objective, ro->courier_cost_total, tdays, ro->temp_cost_total, ro->bound,
                    ro->n_lines, ro->runtime_s);
            fprintf(f, "  %-18s", "");
            for (int j = 0; j < 7; j++)
                fprintf(f, " %4s", zs_weekday_name(j));
            fputc('\n', f);
            for (int w = 0; w < ro->weeks; w++) {
                char date[11];
                zs_date_format(zs_date_from_days(r->roster_first_day + 7 * w), date);
                const char *label[3] = {"need", "regular", "temps"};
                for (int row = 0; row < 3; row++) {
                    if (row == 2) {
                        int any = 0;
                        for (int j = 0; j < 7; j++)
                            any |= ro->temps[7 * w + j] != 0;
                        if (!any)
                            continue;
                    }
                    fprintf(f, "  %-11s%-7s", row == 0 ? date : "", label[row]);
                    for (int j = 0; j < 7; j++) {
                        int d = 7 * w + j;
                        int v = row == 0 ? ro->required[d] : row == 1 ? ro->covered[d] : ro->temps[d];
                        int peak = r->roster_type && r->roster_type[d] < r->n_types &&
                                   r->type[r->roster_type[d]].peak;
                        fprintf(f, " %3d%c", v, row == 0 && peak ? '*' : ' ');
                    }
                    fputc('\n', f);
                }
            }
            fprintf(f, "  (* peak day; regular: couriers of the roster at work)\n");
            if (schedule && ro->schedule) {
                fprintf(f, "  schedule (# works, . off):\n");
                for (size_t i = 0; i < ro->couriers; i++) {
                    fprintf(f, "  C%03zu ", i + 1);
                    for (int d = 0; d < ro->days; d++) {
                        if (d % 7 == 0)
                            fputc(' ', f);
                        fputc(ro->schedule[i * (size_t)ro->days + (size_t)d] ? '#' : '.', f);
                    }
                    fputc('\n', f);
                }
            }
        }
    }
    const zs_nested *nb = r->nested;
    if (nb) {
        char tol[48];
        if (nb->tolerance_used >= 0)
            snprintf(tol, sizeof tol, "workloads within %g%% of the mean", 100.0 * nb->tolerance_used);
        else
            snprintf(tol, sizeof tol, "no balance tolerance could be met");
        char stext[48];
        fprintf(f, "light days: %zu zones -> %zu, each a union of whole zones (%s, %s)\n",
                nb->k_heavy, nb->k_light, zs_mip_status_text(nb->status, nb->gap, stext, sizeof stext),
                tol);
        fprintf(f, "  %-22s %14s %10s %9s %9s\n", "", "SSE km^2", "max dev", "max/min", "tours km");
        fprintf(f, "  %-22s %14.1f %9.1f%% %9.2f %9.1f\n", "nested (familiar areas)",
                nb->nested.sse_m2 / 1e6, 100.0 * nb->nested.balance_maxdev,
                nb->nested.balance_maxmin, nb->nested.tour_km);
        fprintf(f, "  %-22s %14.1f %9.1f%% %9.2f %9.1f\n", "free (zoned afresh)",
                nb->free.sse_m2 / 1e6, 100.0 * nb->free.balance_maxdev, nb->free.balance_maxmin,
                nb->free.tour_km);
        fprintf(f, "  cost of nesting: SSE x %.3f, tours %+.1f km\n", nb->sse_ratio,
                nb->nested.tour_km - nb->free.tour_km);
    } else if (r->nested_note[0]) {
        fprintf(f, "light days: %s\n", r->nested_note);
    }
}

int zs_cli_staff_show(const char *path, int schedule)
{
    size_t n = 0;
    char **plan = NULL;
    zs_staffing_report **rep = NULL;
    zs_err err;
    if (zs_h5staff_read(path, &n, &plan, &rep, &err) != ZS_OK)
        return zs_cli_fail(&err);
    for (size_t i = 0; i < n; i++) {
        fputc('\n', stdout);
        print_report(stdout, plan[i], rep[i], schedule);
    }
    zs_h5staff_reports_free(n, plan, rep);
    return 0;
}

/* ---- options -------------------------------------------------------------- */

enum {
    O_RISK = 1000, O_OT, O_BYWD, O_WEEKS, O_DPW, O_MAXC, O_ANYOFF, O_WKEND, O_TMAX, O_TCOST,
    O_POOL, O_LIGHTK, O_NONEST
};

typedef struct {
    const char *text[O_NONEST - O_RISK + 1]; /* option values, applied after the rules */
    int set[O_NONEST - O_RISK + 1];
} overrides;

static int apply(const overrides *ov, zs_staffing_opts *o)
{
    long v;
    double d;
#define TXT(c) ov->text[(c) - O_RISK]
#define SET(c) ov->set[(c) - O_RISK]
    if (SET(O_RISK)) {
        if (zs_cli_parse_double(TXT(O_RISK), 1e-6, 0.5, &d) != 0)
            return zs_cli_usage("staff", "--risk '%s': expected a number in (0, 0.5]", TXT(O_RISK));
        o->risk = d;
    }
    if (SET(O_OT)) {
        if (zs_cli_parse_double(TXT(O_OT), 0, 24, &d) != 0)
            return zs_cli_usage("staff", "--overtime-h '%s': expected a number in [0, 24]", TXT(O_OT));
        o->overtime_h = d;
    }
    struct { int c; int *slot; long lo, hi; const char *name; } ints[] = {
        {O_WEEKS, &o->roster.weeks, 1, ZS_ROSTER_MAX_WEEKS, "--weeks"},
        {O_DPW, &o->roster.days_per_week, 1, 6, "--days-per-week"},
        {O_MAXC, &o->roster.max_consecutive, 1, 7 * ZS_ROSTER_MAX_WEEKS, "--max-consecutive"},
        {O_WKEND, &o->roster.weekend_off_min, 0, 2 * ZS_ROSTER_MAX_WEEKS, "--weekend-off"},
        {O_TMAX, &o->roster.temp_max, 0, 1000000, "--temp-max"},
        {O_POOL, &o->roster.pool_max, 0, 1000000, "--pool"},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        if (!SET(ints[i].c))
            continue;
        if (zs_cli_parse_long(TXT(ints[i].c), ints[i].lo, ints[i].hi, &v) != 0)
            return zs_cli_usage("staff", "%s '%s': expected an integer %ld..%ld", ints[i].name,
                                TXT(ints[i].c), ints[i].lo, ints[i].hi);
        *ints[i].slot = (int)v;
    }
    if (SET(O_TCOST)) {
        if (zs_cli_parse_double(TXT(O_TCOST), 0, 1e9, &d) != 0)
            return zs_cli_usage("staff", "--temp-cost '%s': expected a number >= 0", TXT(O_TCOST));
        o->roster.temp_cost = d;
    }
    if (SET(O_LIGHTK)) {
        if (zs_cli_parse_long(TXT(O_LIGHTK), 0, 1000000, &v) != 0)
            return zs_cli_usage("staff", "--light-k '%s': expected an integer >= 0", TXT(O_LIGHTK));
        o->nested_k = (size_t)v;
    }
    if (SET(O_BYWD))
        o->by_weekday = 1;
    if (SET(O_ANYOFF))
        o->roster.consecutive_off = 0;
    if (SET(O_NONEST))
        o->nested = 0;
    zs_err err;
    if (zs_staffing_opts_validate(o, &err) != ZS_OK)
        return zs_cli_usage("staff", "%s", err.msg);
#undef TXT
#undef SET
    return 0;
}

/* 1 when path is an HDF5 file (a results file) rather than a scenario. */
static int is_hdf5(const char *path)
{
    return zs_h5out_looks_hdf5(path);
}

/* ---- staff SCENARIO -------------------------------------------------------- */

static int from_scenario(const char *path, const char *output, int threads, const overrides *ov,
                         int schedule)
{
    zs_err err;
    zs_scenario *sc = NULL;
    if (zs_scenario_load(path, &sc, &err) != ZS_OK)
        return zs_cli_fail(&err);
    int rc = apply(ov, &sc->staffing);
    if (rc != 0) {
        zs_scenario_free(sc);
        return rc;
    }
    if (!sc->staffing_at.line) /* no section: the defaults, as asked */
        sc->staffing_at.line = 1;
    zs_run_opts ro;
    zs_run_opts_defaults(&ro);
    ro.output = output;
    ro.threads = threads;
    fprintf(stderr, "zonesim: running scenario '%s' for staffing: %zu plan%s x %zu replications x %zu days\n",
            sc->name, sc->n_plans, sc->n_plans == 1 ? "" : "s", sc->replications, sc->days);
    zs_run_info info;
    zs_status st = zs_run_scenario(sc, &ro, &info, &err);
    zs_scenario_free(sc);
    if (st != ZS_OK)
        return zs_cli_fail(&err);
    printf("results with /staffing written to %s\n", info.output);
    return zs_cli_staff_show(info.output, schedule);
}

/* ---- staff RESULTS.h5 ------------------------------------------------------- */

static int from_results(const char *path, const char *plan_only, const char *output,
                        const overrides *ov, int schedule)
{
    zs_err err;
    zs_h5staff_source *src = NULL;
    if (zs_h5staff_read_source(path, &src, &err) != ZS_OK)
        return zs_cli_fail(&err);
    zs_staffing_opts o;
    int present = 0, rc = 0;
    char name[1100];
    snprintf(name, sizeof name, "%s (scenario stored in %s)",
             src->scenario_path[0] ? src->scenario_path : "scenario", path);
    if (zs_scenario_parse_staffing(src->scenario_text, strlen(src->scenario_text), name, &o,
                                   &present, &err) != ZS_OK) {
        zs_h5staff_source_free(src);
        return zs_cli_fail(&err);
    }
    if ((rc = apply(ov, &o)) != 0) {
        zs_h5staff_source_free(src);
        return rc;
    }
    size_t n = src->n_plans;
    if (plan_only) {
        size_t i = 0;
        while (i < n && strcmp(src->plan[i], plan_only))
            i++;
        if (i == n) {
            char list[512] = "";
            size_t used = 0;
            for (size_t j = 0; j < n && used < sizeof list; j++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "", src->plan[j]);
                if (w > 0)
                    used += (size_t)w;
            }
            fprintf(stderr, "zonesim: %s: no simulated plan '%s' (plans: %s)\n", path, plan_only, list);
            zs_h5staff_source_free(src);
            return 2;
        }
    }
    char def[4096];
    if (!output) {
        size_t len = strlen(path);
        if (len > 3 && !strcmp(path + len - 3, ".h5"))
            len -= 3;
        snprintf(def, sizeof def, "%.*s-staffing.h5", (int)len, path);
        output = def;
    }
    /* The output's directory and lock before the rosters are solved. */
    if (zs_file_prepare_output(output, &err) != ZS_OK) {
        zs_h5staff_source_free(src);
        return zs_cli_fail(&err);
    }
    zs_staffing_report **rep = zs_calloc(n, sizeof *rep);
    if (!rep) {
        zs_h5staff_source_free(src);
        err.code = ZS_ENOMEM;
        snprintf(err.msg, sizeof err.msg, "out of memory");
        return zs_cli_fail(&err);
    }
    zs_status st = ZS_OK;
    for (size_t i = 0; i < n && st == ZS_OK; i++) {
        if (plan_only && strcmp(src->plan[i], plan_only))
            continue;
        zs_points *pts = NULL;
        zs_partition *part = NULL;
        zs_sim_result *sim = NULL;
        double depot[2];
        st = zs_h5out_read_plan(path, src->plan[i], &pts, &part, NULL, depot, &err);
        if (st == ZS_OK)
            st = zs_h5staff_read_sim(path, src->plan[i], &sim, &err);
        if (st == ZS_OK && sim->days != src->days)
            st = zs_err_set(&err, ZS_EINPUT, "%s: /sim/%s has %zu days, /calendar %zu", path,
                            src->plan[i], sim->days, src->days);
        if (st == ZS_OK) {
            zs_staffing_input in = {
                .sim = sim, .day_number = src->day_number, .demand = &src->demand,
                .shift_min = src->shift_min, .stops_per_hour = src->stops_per_hour,
                .part = part, .x = pts->x, .y = pts->y,
                .w = src->workload_min && src->n_points == pts->n ? src->workload_min : NULL,
                .depot = depot,
            };
            st = zs_staffing_plan(&in, &o, &rep[i], &err);
            if (st != ZS_OK)
                zs_err_prefix(&err, "plan '%s'", src->plan[i]);
        }
        zs_sim_result_free(sim);
        zs_partition_free(part);
        zs_points_free(pts);
    }
    if (st == ZS_OK)
        st = zs_h5staff_write(output, path, n, (const char *const *)src->plan,
                              (const zs_staffing_report *const *)rep, &err);
    if (st == ZS_OK) {
        printf("staffing from %s (%s) written to %s\n", path,
               present ? "the scenario's staffing rules" : "default staffing rules", output);
        for (size_t i = 0; i < n; i++)
            if (rep[i]) {
                fputc('\n', stdout);
                print_report(stdout, src->plan[i], rep[i], schedule);
            }
    }
    for (size_t i = 0; i < n; i++)
        zs_staffing_report_free(rep[i]);
    zs_free(rep);
    zs_h5staff_source_free(src);
    return st == ZS_OK ? 0 : zs_cli_fail(&err);
}

/* ---- the command -------------------------------------------------------------- */

int zs_cli_staff(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"stops", required_argument, NULL, 'n'}, {"stops-per-hour", required_argument, NULL, 'r'},
        {"hours", required_argument, NULL, 'H'}, {"plan", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'}, {"schedule", no_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
        {"risk", required_argument, NULL, O_RISK}, {"overtime-h", required_argument, NULL, O_OT},
        {"by-weekday", no_argument, NULL, O_BYWD}, {"weeks", required_argument, NULL, O_WEEKS},
        {"days-per-week", required_argument, NULL, O_DPW},
        {"max-consecutive", required_argument, NULL, O_MAXC},
        {"any-days-off", no_argument, NULL, O_ANYOFF},
        {"weekend-off", required_argument, NULL, O_WKEND},
        {"temp-max", required_argument, NULL, O_TMAX}, {"temp-cost", required_argument, NULL, O_TCOST},
        {"pool", required_argument, NULL, O_POOL}, {"light-k", required_argument, NULL, O_LIGHTK},
        {"no-nested", no_argument, NULL, O_NONEST}, {NULL, 0, NULL, 0}};
    double stops = -1, rate = 3.5, hours = 8;
    const char *plan = NULL, *output = NULL;
    int schedule = 0, threads = -1, quick = 0, c;
    long v;
    overrides ov;
    memset(&ov, 0, sizeof ov);
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:r:H:p:o:st:h", lopts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (zs_cli_parse_double(optarg, 0, 1e12, &stops) != 0)
                return zs_cli_usage("staff", "--stops '%s': expected a number >= 0", optarg);
            break;
        case 'r':
            if (zs_cli_parse_double(optarg, 1e-6, 1e6, &rate) != 0)
                return zs_cli_usage("staff", "--stops-per-hour '%s': expected a number > 0", optarg);
            quick = 1;
            break;
        case 'H':
            if (zs_cli_parse_double(optarg, 1e-6, 24, &hours) != 0)
                return zs_cli_usage("staff", "--hours '%s': expected a number in (0, 24]", optarg);
            quick = 1;
            break;
        case 'p': plan = optarg; break;
        case 'o': output = optarg; break;
        case 's': schedule = 1; break;
        case 't':
            if (zs_cli_parse_long(optarg, 0, 4096, &v) != 0)
                return zs_cli_usage("staff", "--threads '%s': expected an integer 0..4096", optarg);
            threads = (int)v;
            break;
        case 'h': fputs(help, stdout); return 0;
        default:
            if (c >= O_RISK && c <= O_NONEST) {
                ov.text[c - O_RISK] = optarg;
                ov.set[c - O_RISK] = 1;
                break;
            }
            return zs_cli_usage("staff", "unknown option");
        }
    }
    if (stops >= 0) {
        if (optind != argc)
            return zs_cli_usage("staff", "--stops takes no FILE (unexpected '%s')", argv[optind]);
        size_t k = zs_partition_capacity_k(stops, rate, hours);
        printf("%g stops / (%g stops/h x %g h = %g stops per courier) = %.2f -> %zu couriers\n",
               stops, rate, hours, rate * hours, stops / (rate * hours), k);
        return 0;
    }
    if (quick)
        return zs_cli_usage("staff", "--stops-per-hour and --hours go with --stops N");
    if (optind == argc)
        return zs_cli_usage("staff", "give --stops N, a SCENARIO or a RESULTS file");
    if (optind != argc - 1)
        return zs_cli_usage("staff", "too many arguments");
    const char *file = argv[optind];
    if (is_hdf5(file)) {
        if (threads >= 0)
            return zs_cli_usage("staff", "--threads goes with a SCENARIO (a results file is not simulated again)");
        const zs_file_input in[] = {{file, "the results file"}};
        int rc = zs_cli_check_outputs(&output, 1, in, 1);
        return rc ? rc : from_results(file, plan, output, &ov, schedule);
    }
    if (plan)
        return zs_cli_usage("staff", "--plan goes with a RESULTS file (a scenario staffs every plan)");
    return from_scenario(file, output, threads, &ov, schedule);
}
