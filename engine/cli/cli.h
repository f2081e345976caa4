/*
 * engine/cli/cli.h -- shared pieces of the zonesim command line.
 *
 * Each command lives in a function `int zs_cli_<command>(int argc, char
 * **argv)` (argv[0] is the command name) that returns the process exit
 * status: 0 success, 2 bad input or usage, 1 internal failure.  Command
 * functions are the only engine code that prints to the terminal; main()
 * dispatches to them.
 */
#ifndef ZS_ENGINE_CLI_H
#define ZS_ENGINE_CLI_H

#include <stdint.h>

#include "models/status.h"
#include "input/files.h"
#include "results/h5out.h"

/* Prints "zonesim: <message>" to stderr; returns the exit status of the
 * error's code. */
int zs_cli_fail(const zs_err *err);

/* Prints "zonesim CMD: <message> (see 'zonesim CMD --help')"; returns 2. */
int zs_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Refuses outputs that name an input of the command (same inode; see
 * zs_file_check_clobber in input/files.h): checks every non-NULL outs[i]
 * against in[0..nin).  Returns 0, or prints "zonesim: OUT is also an input
 * (WHAT); choose another output" and returns 2. */
int zs_cli_check_outputs(const char *const *outs, size_t nout, const zs_file_input *in,
                         size_t nin);

/* Whole-string number parsers for option values; 0 on success, -1 if the
 * text is not a number of that kind or is out of [lo, hi]. */
int zs_cli_parse_long(const char *s, long lo, long hi, long *out);
int zs_cli_parse_u64(const char *s, uint64_t *out);
int zs_cli_parse_double(const char *s, double lo, double hi, double *out);

/* `zonesim partition` (engine/cli_partition.c). */
int zs_cli_partition(int argc, char **argv);

/* generate --osm: points on an extract's buildings and streets. */
int zs_cli_generate_osm(const char *osm_path, const char *output, const char *o_n,
                        const char *o_seed, const char *o_mean, const char *o_station);

/* `zonesim calibrate` (engine/cli_calibrate.c). */
int zs_cli_calibrate(int argc, char **argv);

/* `zonesim export` (engine/cli_export.c): GeoJSON and SVG maps of a plan. */
int zs_cli_export(int argc, char **argv);

/* `zonesim staff` (engine/cli_staff.c). */
int zs_cli_staff(int argc, char **argv);

/* Prints /staffing of a results or staffing file as tables (nothing when
 * it has none); schedule: also the roster courier by courier.  Returns an
 * exit status. */
int zs_cli_staff_show(const char *path, int schedule);

/* engine/cli_compare.c */
int zs_cli_compare(int argc, char **argv);

/* `zonesim merge` (engine/cli_merge.c): shard files joined into one. */
int zs_cli_merge(int argc, char **argv);

/* `zonesim report` (engine/cli/cli_report.c): the HTML report of a results file. */
int zs_cli_report(int argc, char **argv);

/* The station's day of the overview's plans simulated with the day model
 * (late per dispatch wave, window misses, a courier-day's hours), for the
 * summary table (engine/cli/cli_day.c); nothing without them. */
void zs_cli_print_day(const zs_h5_overview *o);

/* `zonesim service` and `zonesim calibrate-calls` (engine/cli_service.c):
 * Erlang C/A agents with a queue-simulation check; the call model from a
 * call log. */
int zs_cli_service(int argc, char **argv);
int zs_cli_calibrate_calls(int argc, char **argv);

/* Prints /service of a results file (nothing when it has none); *shown
 * (when shown is not NULL) says whether it printed.  Returns an exit
 * status. */
int zs_cli_service_show(const char *path, int *shown);

#endif
