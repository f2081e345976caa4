/*
 * engine/cli/cli_service.c -- `zonesim service` (agents a service desk
 * needs, Erlang C/A, with a queue-simulation check) and `zonesim
 * calibrate-calls` (call rates, profiles and handling from a call log).
 */
#include <ctype.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models/alloc.h"
#include "models/calendar.h"
#include "models/calls.h"
#include "models/rng.h"
#include "cli/cli.h"
#include "input/csv.h"
#include "results/h5service.h"
#include "sim/callq.h"
#include "staffing/erlang.h"

#include <gsl/gsl_randist.h>

static const char service_help[] =
    "usage: zonesim service --calls N --aht S [options]\n"
    "       zonesim service RESULTS.h5\n"
    "\n"
    "With a results file of a scenario that has a service section: the desk of\n"
    "every plan side by side (calls a day, the usual and the peak day, agents\n"
    "at the busiest half hour, agent hours, the regular week's shifts).\n"
    "\n"
    "Agents a service desk needs for one half hour (or --interval-min M) of\n"
    "N calls with a mean handling time of S seconds: Erlang C (callers wait),\n"
    "or Erlang A with --patience (callers hang up after an exponential\n"
    "patience of that mean).  Prints the service level, waiting share,\n"
    "abandonment and average speed of answer around the answer, the fewest\n"
    "agents meeting every target and the positions to pay with shrinkage.\n"
    "With --simulate D it also runs the queue call by call (D days of\n"
    "stationary half hours, the first two hours dropped as warm-up) and\n"
    "prints the simulated figures with their 95% confidence intervals; --cv\n"
    "gives the simulation lognormal handling times (Erlang assumes\n"
    "exponential ones).\n"
    "\n"
    "Example (pyworkforce's check value): --calls 100 --aht 180 --target 0.8\n"
    "--within 20 --shrinkage 0.3 -> 14 agents, 88.84%, ASA 7.8 s, 20 positions.\n"
    "\n"
    "  -c, --calls N           calls offered in the interval (>= 0)\n"
    "  -a, --aht S             mean handling time, seconds (> 0)\n"
    "  -i, --interval-min M    interval length, minutes (default 30)\n"
    "  -T, --target P          share answered within --within, [0, 1) (default 0.8)\n"
    "  -w, --within S          answer target, seconds (default 20)\n"
    "  -s, --shrinkage X       share of paid time off the phones, [0, 1) (default 0)\n"
    "  -p, --patience S        mean patience, seconds: Erlang A (default: Erlang C)\n"
    "  -A, --max-abandon A     largest abandoned share, (0, 1] (needs --patience)\n"
    "  -q, --max-asa S         largest average speed of answer, seconds\n"
    "  -S, --simulate D        check by simulating D days (1..100000)\n"
    "      --cv V              handling cv in the simulation (lognormal; default\n"
    "                          exponential)\n"
    "      --seed N            seed of the simulation (default 1)\n"
    "  -h, --help              this help\n";

/* ---- the desk of a results file -------------------------------------------- */

int zs_cli_service_show(const char *path, int *shown)
{
    zs_err err;
    size_t n;
    zs_h5service_plan *p;
    zs_h5service_info info;
    if (shown)
        *shown = 0;
    zs_status st = zs_h5service_read(path, &n, &p, &info, &err);
    if (st != ZS_OK)
        return zs_cli_fail(&err);
    if (n == 0) {
        zs_free(p);
        return 0;
    }
    if (shown)
        *shown = 1;
    printf("\nservice desk %02d:%02d-%02d:%02d: ", info.open_interval / 2, 30 * (info.open_interval % 2),
           info.close_interval / 2, 30 * (info.close_interval % 2));
    if (info.target > 0)
        printf("%g%% answered within %g s, ", 100 * info.target, info.within_s);
    printf("%s, agents for the %g%% quantile of each half hour's calls",
           info.patience_s > 0 ? "Erlang A" : "Erlang C", 100 * (1 - info.risk));
    if (info.shrinkage > 0)
        printf(", %g%% shrinkage", 100 * info.shrinkage);
    printf("\n%-16s %8s %7s %9s %9s %9s %6s %6s %8s %8s\n", "plan", "failed/d", "late/d",
           "calls/d", "usual day", "peak day", "agents", "peak", "agent-h", "peak-h");
    for (size_t i = 0; i < n; i++)
        printf("%-16s %8.1f %7.1f %9.1f %9.1f %9.1f %6d %6d %8.1f %8.1f\n", p[i].plan,
               p[i].failed_day_mean, p[i].late_day_mean, p[i].calls_day_mean, p[i].calls_usual_day,
               p[i].calls_peak_day, p[i].agents_usual, p[i].agents_peak, p[i].agent_h_usual,
               p[i].agent_h_peak);
    printf("  (failed first attempts and late parcels a day drive the calls; usual day: mean calls\n"
           "   of the days without a demand event; peak day: the day with most calls; agents: at\n"
           "   the busiest half hour of the usual and the peak day; agent-h: hours on the phones)\n");
    printf("calls a usual day by reason (peak day in brackets):\n%-16s", "plan");
    for (int k = 0; k < ZS_CALL_REASONS; k++)
        printf(" %15s", zs_call_reason_name(k));
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        printf("%-16s", p[i].plan);
        for (int k = 0; k < ZS_CALL_REASONS; k++) {
            char cell[40];
            snprintf(cell, sizeof cell, "%.1f [%.0f]", p[i].usual_calls[k], p[i].peak_calls[k]);
            printf(" %15s", cell);
        }
        printf("\n");
    }
    for (size_t i = 0; i < n; i++) {
        if (!p[i].has_roster)
            continue;
        if (!isfinite(p[i].objective))
            printf("shifts '%s': %s: %s\n", p[i].plan, p[i].status, p[i].message);
        else
            printf("shifts '%s': %s: %d full-time + %d part-time agents, %.1f paid hours a week, "
                   "bound %.1f, gap %.1f%%\n",
                   p[i].plan, p[i].status, p[i].full_timers, p[i].part_timers, p[i].objective,
                   p[i].bound, 100 * p[i].gap);
        if (isfinite(p[i].sim_service_usual))
            printf("  simulated call by call on these shifts: %.1f%% answered within %g s on usual "
                   "days (%.1f%% hang up), %.1f%% on the peak day (%.1f%% hang up)\n",
                   100 * p[i].sim_service_usual, info.within_s, 100 * p[i].sim_abandon_usual,
                   100 * p[i].sim_service_peak, 100 * p[i].sim_abandon_peak);
    }
    zs_free(p);
    return 0;
}

/* One stationary interval simulated days times (48 half hours of the same
 * rate and agents, from 2:00 on). */
static void simulate(double calls_per_half_hour, double aht, double cv, int expo, double patience,
                     int agents, double within, int days, uint64_t seed)
{
    zs_calls c;
    zs_calls_defaults(&c);
    c.open_interval = 0;
    c.close_interval = ZS_CALL_INTERVALS;
    zs_call_params *p = &c.reason[ZS_CALL_TRACKING];
    p->aht_s = aht;
    p->aht_cv = cv;
    p->handling_exp = expo;
    p->patience_s = patience;
    size_t maxc = (size_t)(calls_per_half_hour * ZS_CALL_INTERVALS +
                           10 * sqrt(calls_per_half_hour * ZS_CALL_INTERVALS) + 100);
    zs_callq_ws *ws = zs_callq_ws_create(maxc, agents);
    gsl_rng *r = zs_rng_create();
    if (!ws || !r) {
        fprintf(stderr, "zonesim: out of memory\n");
        zs_callq_ws_free(ws);
        if (r)
            gsl_rng_free(r);
        return;
    }
    int32_t ag[ZS_CALL_INTERVALS];
    uint32_t counts[ZS_CALL_REASONS * ZS_CALL_INTERVALS];
    double s[3] = {0}, s2[3] = {0};
    int used = 0;
    zs_err err;
    for (int i = 0; i < ZS_CALL_INTERVALS; i++)
        ag[i] = agents;
    for (int d = 0; d < days; d++) {
        memset(counts, 0, sizeof counts);
        zs_rng_rekey(r, zs_rng_key(seed, (uint64_t)d, 0, 0, ZS_PURPOSE_CALLS));
        for (int i = 0; i < ZS_CALL_INTERVALS; i++)
            counts[ZS_CALL_TRACKING * ZS_CALL_INTERVALS + i] = gsl_ran_poisson(r, calls_per_half_hour);
        zs_rng_rekey(r, zs_rng_key(seed, (uint64_t)d, 0, 1, ZS_PURPOSE_CALLS));
        zs_callq_day day;
        if (zs_callq_simulate_day(&c, counts, ag, within, r, ws, &day, &err) != ZS_OK)
            continue; /* a day beyond the workspace: extremely rare, skipped */
        double off = 0, in = 0, ab = 0, ans = 0, w = 0;
        for (int i = 4; i < ZS_CALL_INTERVALS; i++) {
            off += day.offered[i];
            in += day.within[i];
            ab += day.abandoned[i];
            ans += day.answered[i];
            w += day.wait_s[i];
        }
        if (off == 0 || ans == 0)
            continue;
        double v[3] = {in / off, ab / off, w / ans};
        for (int q = 0; q < 3; q++) {
            s[q] += v[q];
            s2[q] += v[q] * v[q];
        }
        used++;
    }
    if (used < 2) {
        printf("simulation: too few days with calls to estimate\n");
    } else {
        double m[3], h[3];
        for (int q = 0; q < 3; q++) {
            m[q] = s[q] / used;
            double var = (s2[q] - used * m[q] * m[q]) / (used - 1);
            h[q] = 1.96 * sqrt(var > 0 ? var / used : 0);
        }
        char how[64];
        if (expo)
            snprintf(how, sizeof how, "exponential handling");
        else
            snprintf(how, sizeof how, "lognormal handling, cv %g", cv);
        printf("simulated, %d agents, %d days of 22 h (%s): service %.2f%% +- %.2f, "
               "abandoned %.2f%% +- %.2f, ASA %.1f s +- %.1f (95%% intervals)\n",
               agents, used, how, 100 * m[0], 100 * h[0], 100 * m[1], 100 * h[1], m[2], h[2]);
    }
    zs_callq_ws_free(ws);
    gsl_rng_free(r);
}

int zs_cli_service(int argc, char **argv)
{
    enum { O_CV = 1000, O_SEED };
    static const struct option lopts[] = {
        {"calls", required_argument, NULL, 'c'},    {"aht", required_argument, NULL, 'a'},
        {"interval-min", required_argument, NULL, 'i'}, {"target", required_argument, NULL, 'T'},
        {"within", required_argument, NULL, 'w'},   {"shrinkage", required_argument, NULL, 's'},
        {"patience", required_argument, NULL, 'p'}, {"max-abandon", required_argument, NULL, 'A'},
        {"max-asa", required_argument, NULL, 'q'},  {"simulate", required_argument, NULL, 'S'},
        {"cv", required_argument, NULL, O_CV},      {"seed", required_argument, NULL, O_SEED},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    double calls = NAN, aht = NAN, interval_min = 30, cv = NAN;
    long days = 0;
    uint64_t seed = 1;
    zs_erlang_opts o;
    zs_erlang_opts_defaults(&o);
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "c:a:i:T:w:s:p:A:q:S:h", lopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (zs_cli_parse_double(optarg, 0, 1e9, &calls))
                return zs_cli_usage("service", "--calls '%s': expected a number >= 0", optarg);
            break;
        case 'a':
            if (zs_cli_parse_double(optarg, 1e-9, 1e7, &aht))
                return zs_cli_usage("service", "--aht '%s': expected seconds > 0", optarg);
            break;
        case 'i':
            if (zs_cli_parse_double(optarg, 1e-6, 1440, &interval_min))
                return zs_cli_usage("service", "--interval-min '%s': expected minutes in (0, 1440]", optarg);
            break;
        case 'T':
            if (zs_cli_parse_double(optarg, 0, 0.999999999, &o.service_level))
                return zs_cli_usage("service", "--target '%s': expected a share in [0, 1)", optarg);
            break;
        case 'w':
            if (zs_cli_parse_double(optarg, 0, 1e7, &o.target_s))
                return zs_cli_usage("service", "--within '%s': expected seconds >= 0", optarg);
            break;
        case 's':
            if (zs_cli_parse_double(optarg, 0, 0.999999999, &o.shrinkage))
                return zs_cli_usage("service", "--shrinkage '%s': expected a share in [0, 1)", optarg);
            break;
        case 'p':
            if (zs_cli_parse_double(optarg, 1e-9, 1e9, &o.patience_s))
                return zs_cli_usage("service", "--patience '%s': expected seconds > 0", optarg);
            break;
        case 'A':
            if (zs_cli_parse_double(optarg, 1e-12, 1, &o.max_abandon))
                return zs_cli_usage("service", "--max-abandon '%s': expected a share in (0, 1]", optarg);
            break;
        case 'q':
            if (zs_cli_parse_double(optarg, 1e-9, 1e7, &o.max_asa_s))
                return zs_cli_usage("service", "--max-asa '%s': expected seconds > 0", optarg);
            break;
        case 'S':
            if (zs_cli_parse_long(optarg, 1, 100000, &days))
                return zs_cli_usage("service", "--simulate '%s': expected days 1..100000", optarg);
            break;
        case O_CV:
            if (zs_cli_parse_double(optarg, 0, 10, &cv))
                return zs_cli_usage("service", "--cv '%s': expected a number in [0, 10]", optarg);
            break;
        case O_SEED:
            if (zs_cli_parse_u64(optarg, &seed))
                return zs_cli_usage("service", "--seed '%s': expected an unsigned integer", optarg);
            break;
        case 'h':
            fputs(service_help, stdout);
            return 0;
        default:
            return zs_cli_usage("service", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        if (optind + 1 < argc)
            return zs_cli_usage("service", "too many arguments");
        if (!isnan(calls) || !isnan(aht) || days)
            return zs_cli_usage("service", "a RESULTS file takes no --calls, --aht or --simulate");
        int shown;
        int rc = zs_cli_service_show(argv[optind], &shown);
        if (rc == 0 && !shown)
            return zs_cli_usage("service", "%s has no /service (the scenario had no service: "
                                           "section)", argv[optind]);
        return rc;
    }
    if (isnan(calls) || isnan(aht))
        return zs_cli_usage("service", "give --calls N and --aht S");
    if (o.max_abandon < 1 && o.patience_s == 0)
        return zs_cli_usage("service", "--max-abandon needs --patience (Erlang A): without it "
                                       "callers never hang up");
    if (!isnan(cv) && !days)
        return zs_cli_usage("service", "--cv goes with --simulate");
    if (days && interval_min != 30)
        return zs_cli_usage("service", "--simulate works on half hours: leave --interval-min at 30");
    zs_err err;
    zs_erlang_need nd;
    double interval_s = 60 * interval_min;
    zs_status st = zs_erlang_agents(calls, interval_s, aht, &o, &nd, &err);
    if (st != ZS_OK) {
        if (st == ZS_EINVAL)
            return zs_cli_usage("service", "%s", err.msg);
        return zs_cli_fail(&err);
    }
    int erlang_a = o.patience_s > 0;
    printf("zonesim service: %g calls in %g min, handling %g s: %.2f Erlangs offered\n", calls,
           interval_min, aht, nd.load);
    printf("%s; targets:", erlang_a ? "Erlang A (callers hang up after a mean patience)"
                                    : "Erlang C (callers wait as long as it takes)");
    if (o.service_level > 0)
        printf(" %g%% answered within %g s", 100 * o.service_level, o.target_s);
    if (o.max_abandon < 1)
        printf(" abandoned <= %g%%", 100 * o.max_abandon);
    if (o.max_asa_s > 0)
        printf(" ASA <= %g s", o.max_asa_s);
    if (erlang_a)
        printf(" (patience %g s)", o.patience_s);
    printf("\n%8s %9s %8s %10s %9s %10s\n", "agents", "service", "P(wait)", "abandoned", "ASA s",
           "occupancy");
    int lo = nd.agents - 2 > 1 ? nd.agents - 2 : 1;
    for (int n = lo; n <= nd.agents + 2 && nd.agents > 0; n++) {
        zs_erlang_perf pf;
        if ((st = zs_erlang_perf_eval(n, calls / interval_s, aht, o.patience_s, o.target_s, &pf,
                                      &err)) != ZS_OK)
            return zs_cli_fail(&err);
        char asa[32];
        if (isinf(pf.asa_s))
            snprintf(asa, sizeof asa, "unstable");
        else
            snprintf(asa, sizeof asa, "%.1f", pf.asa_s);
        printf("%c %6d %8.2f%% %7.2f%% %9.2f%% %9s %9.1f%%\n", n == nd.agents ? '>' : ' ', n,
               100 * pf.service, 100 * pf.p_wait, 100 * pf.p_abandon, asa, 100 * pf.occupancy);
    }
    printf("-> %d agent%s on the phones", nd.agents, nd.agents == 1 ? "" : "s");
    if (o.shrinkage > 0)
        printf("; %d positions with %g%% shrinkage", nd.positions, 100 * o.shrinkage);
    printf("\n");
    if (days > 0 && nd.agents > 0)
        simulate(calls * 1800.0 / interval_s, aht, isnan(cv) ? 0 : cv, isnan(cv), o.patience_s,
                 nd.agents, o.target_s, (int)days, seed);
    return 0;
}

/* ---- calibrate-calls -------------------------------------------------------- */

static const char calib_help[] =
    "usage: zonesim calibrate-calls CALLS.csv [--parcels N] [--failed N] [--carried N]\n"
    "                               [--late N] [--pickups N]\n"
    "\n"
    "Fits the service desk's call model from a call log: a CSV with the columns\n"
    "timestamp (YYYY-MM-DD HH:MM[:SS], or with a T), reason (tracking, failed,\n"
    "redelivery, late, pickup, problem, complaint, outbound), talk_s (handling\n"
    "seconds, >= 0) and abandoned (0/1, yes/no, true/false).  Prints per reason\n"
    "the calls a day, the abandoned share, the handling time's mean and\n"
    "coefficient of variation (lognormal by log moments), the desk hours and\n"
    "the half-hour profile; with the station's daily counts over the same\n"
    "period (--parcels out for delivery, --failed first attempts, --carried\n"
    "parcels for redelivery, --late parcels, --pickups) also the rate: calls per\n"
    "event, and a service: scenario fragment of the keys it fitted (desk hours,\n"
    "rates, handling times).  A bad row is an input error naming its\n"
    "file:line:column (exit 2).\n"
    "\n"
    "  -h, --help         this help\n";

/* "YYYY-MM-DD HH:MM[:SS]" (or 'T') into seconds since 1970-01-01; -1 when
 * it is not one. */
static int parse_timestamp(const char *s, double *out)
{
    char date[11];
    size_t n = strlen(s);
    if (n < 16 || (s[10] != ' ' && s[10] != 'T'))
        return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    zs_date d;
    if (zs_date_parse(date, &d))
        return -1;
    const char *t = s + 11;
    int hh, mm, ss = 0;
    size_t tl = strlen(t);
    if (tl != 5 && tl != 8)
        return -1;
    for (size_t i = 0; i < tl; i++)
        if ((i == 2 || i == 5) ? t[i] != ':' : !isdigit((unsigned char)t[i]))
            return -1;
    hh = (t[0] - '0') * 10 + (t[1] - '0');
    mm = (t[3] - '0') * 10 + (t[4] - '0');
    if (tl == 8)
        ss = (t[6] - '0') * 10 + (t[7] - '0');
    if (hh > 23 || mm > 59 || ss > 59)
        return -1;
    *out = (double)zs_date_to_days(d) * 86400.0 + hh * 3600.0 + mm * 60.0 + ss;
    return 0;
}

static int parse_flag(const char *s, int *out)
{
    static const char *const yes[] = {"1", "yes", "true", "y"}, *const no[] = {"0", "no", "false", "n"};
    for (int i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i]))
            return *out = 1, 0;
        if (!strcasecmp(s, no[i]))
            return *out = 0, 0;
    }
    return -1;
}

/* Reads the log into *rec (zs_malloc'ed). */
static zs_status read_log(const char *path, zs_call_record **rec, size_t *n, zs_err *err)
{
    *rec = NULL;
    *n = 0;
    zs_csv *c;
    zs_status st = zs_csv_open(path, ',', &c, err);
    if (st != ZS_OK)
        return st;
    int r = zs_csv_next(c, err);
    if (r <= 0) {
        zs_csv_close(c);
        return r < 0 ? ZS_EINPUT : zs_err_at(err, ZS_EINPUT, path, 1, 0, "empty file: expected a header "
                                             "timestamp,reason,talk_s,abandoned");
    }
    long ct, cr, cs, ca;
    if ((st = zs_csv_require(c, "timestamp", &ct, err)) != ZS_OK ||
        (st = zs_csv_require(c, "reason", &cr, err)) != ZS_OK ||
        (st = zs_csv_require(c, "talk_s", &cs, err)) != ZS_OK ||
        (st = zs_csv_require(c, "abandoned", &ca, err)) != ZS_OK) {
        zs_csv_close(c);
        return st;
    }
    size_t cap = 0;
    zs_call_record *v = NULL;
    while ((r = zs_csv_next(c, err)) == 1) {
        const char *ts, *rs, *as;
        double talk;
        zs_call_record x;
        if ((st = zs_csv_get_string(c, (size_t)ct, "timestamp", &ts, err)) != ZS_OK ||
            (st = zs_csv_get_string(c, (size_t)cr, "reason", &rs, err)) != ZS_OK ||
            (st = zs_csv_get_string(c, (size_t)ca, "abandoned", &as, err)) != ZS_OK ||
            (st = zs_csv_get_double(c, (size_t)cs, "talk_s", &talk, err)) != ZS_OK)
            goto fail;
        if (parse_timestamp(ts, &x.t_s)) {
            st = zs_csv_error(c, (size_t)ct, err,
                              "column 'timestamp': expected YYYY-MM-DD HH:MM[:SS], got '%s'", ts);
            goto fail;
        }
        if ((x.reason = zs_call_reason_parse(rs)) < 0) {
            st = zs_csv_error(c, (size_t)cr, err,
                              "column 'reason': unknown reason '%s' (tracking, failed, redelivery, "
                              "late, pickup, problem, complaint, outbound)",
                              rs);
            goto fail;
        }
        if (talk < 0) {
            st = zs_csv_error(c, (size_t)cs, err, "column 'talk_s': %g seconds; must be >= 0", talk);
            goto fail;
        }
        x.talk_s = talk;
        if (parse_flag(as, &x.abandoned)) {
            st = zs_csv_error(c, (size_t)ca, err,
                              "column 'abandoned': expected 0/1, yes/no or true/false, got '%s'", as);
            goto fail;
        }
        if (*n == cap) {
            size_t nc = cap ? 2 * cap : 1024;
            zs_call_record *nv = zs_realloc(v, nc * sizeof *nv);
            if (!nv) {
                st = ZS_NOMEM(err);
                goto fail;
            }
            v = nv;
            cap = nc;
        }
        v[(*n)++] = x;
    }
    if (r < 0) {
        st = ZS_EINPUT;
        goto fail;
    }
    zs_csv_close(c);
    if (*n == 0) {
        zs_free(v);
        return zs_err_at(err, ZS_EINPUT, path, 2, 0, "no calls after the header");
    }
    *rec = v;
    return ZS_OK;
fail:
    zs_csv_close(c);
    zs_free(v);
    *n = 0;
    return st;
}

int zs_cli_calibrate_calls(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"parcels", required_argument, NULL, 1}, {"failed", required_argument, NULL, 2},
        {"carried", required_argument, NULL, 3}, {"late", required_argument, NULL, 4},
        {"pickups", required_argument, NULL, 5}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    /* option value - 1 = zs_call_driver */
    double drivers[ZS_DRIVERS] = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(calib_help, stdout);
            return 0;
        }
        if (c >= 1 && c <= ZS_DRIVERS) {
            if (zs_cli_parse_double(optarg, 1e-9, 1e12, &drivers[c - 1]))
                return zs_cli_usage("calibrate-calls", "--%s '%s': expected a number > 0 (a day's mean)",
                                    lopts[c - 1].name, optarg);
            continue;
        }
        return zs_cli_usage("calibrate-calls", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind >= argc)
        return zs_cli_usage("calibrate-calls", "give a call log CSV");
    if (optind + 1 < argc)
        return zs_cli_usage("calibrate-calls", "too many arguments");
    const char *path = argv[optind];
    zs_err err;
    zs_call_record *rec;
    size_t n;
    zs_status st = read_log(path, &rec, &n, &err);
    if (st != ZS_OK)
        return zs_cli_fail(&err);
    zs_calls model;
    zs_calls_defaults(&model);
    zs_calls_fit fit;
    st = zs_calls_calibrate(&model, rec, n, drivers, &fit, &err);
    zs_free(rec);
    if (st != ZS_OK)
        return zs_cli_fail(&err);
    printf("# %zu calls over %zu days; desk hours %02d:%02d-%02d:%02d (the span of the calls)\n", n,
           fit.days, model.open_interval / 2, 30 * (model.open_interval % 2),
           model.close_interval / 2, 30 * (model.close_interval % 2));
    printf("%-11s %7s %10s %10s %8s %6s %12s\n", "reason", "calls", "calls/day", "abandoned",
           "aht s", "cv", "rate");
    for (int k = 0; k < ZS_CALL_REASONS; k++) {
        if (!fit.n[k])
            continue;
        const zs_call_params *p = &model.reason[k];
        char rate[48];
        if (drivers[p->driver] > 0)
            snprintf(rate, sizeof rate, "%.4g/%s", p->rate, zs_call_driver_name(p->driver));
        else
            snprintf(rate, sizeof rate, "(no --%s)", zs_call_driver_name(p->driver));
        printf("%-11s %7zu %10.2f %9.1f%% %8.1f %6.2f %12s\n", zs_call_reason_name(k), fit.n[k],
               fit.calls_per_day[k], 100 * fit.abandon_share[k], p->aht_s, p->aht_cv, rate);
    }
    /* The scenario fragment: the keys of a service: section (profiles
     * and the handling spread have no keys; the table above gives them). */
    printf("service:\n  open: \"%02d:%02d\"\n  close: \"%02d:%02d\"\n", model.open_interval / 2,
           30 * (model.open_interval % 2), model.close_interval / 2, 30 * (model.close_interval % 2));
    int any_rate = 0;
    for (int k = 0; k < ZS_CALL_REASONS; k++)
        any_rate |= fit.n[k] && drivers[model.reason[k].driver] > 0;
    if (any_rate) {
        printf("  rate: {");
        for (int k = 0, first = 1; k < ZS_CALL_REASONS; k++)
            if (fit.n[k] && drivers[model.reason[k].driver] > 0) {
                printf("%s%s: %.6g", first ? "" : ", ", zs_call_reason_name(k), model.reason[k].rate);
                first = 0;
            }
        printf("}\n");
    }
    printf("  aht_s: {");
    for (int k = 0, first = 1; k < ZS_CALL_REASONS; k++)
        if (fit.n[k]) {
            printf("%s%s: %.4g", first ? "" : ", ", zs_call_reason_name(k), model.reason[k].aht_s);
            first = 0;
        }
    printf("}\n");
    printf("# calls a day per half hour\n%-6s", "time");
    for (int k = 0; k < ZS_CALL_REASONS; k++)
        if (fit.n[k])
            printf(" %10s", zs_call_reason_name(k));
    printf("\n");
    for (int i = model.open_interval; i < model.close_interval; i++) {
        printf("%02d:%02d ", i / 2, 30 * (i % 2));
        for (int k = 0; k < ZS_CALL_REASONS; k++)
            if (fit.n[k])
                printf(" %10.2f", fit.calls_per_day[k] * model.reason[k].profile[i]);
        printf("\n");
    }
    return 0;
}
