/*
 * engine/staffing/roster.h -- weekly rosters as an integer program (GLPK).
 *
 * A roster covers a cycle of W calendar weeks (Monday first), 7W days, and
 * repeats: day 7W is day 0 again.  Each regular courier works one *line*: a
 * 7W-day string of working days and days off that obeys the rules
 *   - exactly days_per_week working days in every calendar week;
 *   - no run of more than max_consecutive working days, across week
 *     boundaries and across the wrap from the last week to the first;
 *   - consecutive_off: every run of days off is at least two days long
 *     (days off come together; a Sunday may join the next Monday);
 *   - at least weekend_off_min Saturdays and Sundays off over the cycle
 *     (weekend rest is shared fairly: every courier gets it).
 * Every admissible line is enumerated (depth first, week by week, pruned on
 * the rules), and the program is the classical set-covering model of tour
 * scheduling (Dantzig 1954; Baker 1974):
 *
 *   minimise   sum_l (W x courier_cost) n_l  +  sum_d temp_cost t_d
 *   subject to sum_l a_ld n_l + t_d >= required_d      for every day d
 *              sum_l n_l <= pool_max                   (when a pool is given)
 *              n_l integer in [0, max_d required_d],  t_d integer in [0, temp_max]
 *              (t_d = 0 on days temporaries may not work)
 *
 * with a_ld = 1 when line l works day d.  It is exact: every roster obeying
 * the rules is a choice of lines, and the optimum over the integers is
 * proven by branch-and-bound (status and gap reported).  Size: 7W + 1 rows
 * and (lines + 7W) columns, independent of the number of couriers; lines
 * for W = 4, five days a week, at most six in a row: 153 with days off
 * together, 135,779 without (ZS_ROSTER_MAX_LINES bounds the enumeration).
 * Two devices keep it fast: an integer column N = sum_l n_l (branching on
 * the head count first closes the gap where branching on single,
 * interchangeable lines does not: a 4-week station instance went from the
 * 30 s limit to 0.1 s), and, above 2,000 lines, exact reduced-cost
 * filtering (a line whose LP reduced cost exceeds the gap between a known
 * roster and the LP bound cannot be in an optimal roster and is dropped).
 *
 * Infeasibility is a result, not an error: the roster's status says so and
 * its message names the reason (a day needing more couriers than the pool
 * and the temporaries can give, more courier-days than the pool works, or
 * rules no line can meet).
 */
#ifndef ZS_ENGINE_ROSTER_H
#define ZS_ENGINE_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "models/status.h"
#include "partition/mip.h"

#define ZS_ROSTER_MAX_WEEKS 8
#define ZS_ROSTER_MAX_LINES 300000

typedef struct {
    int weeks;            /* cycle length W, 1..ZS_ROSTER_MAX_WEEKS */
    int days_per_week;    /* working days in every calendar week, 1..6 */
    int max_consecutive;  /* longest run of working days, >= 1 */
    int consecutive_off;  /* 1: every run of days off lasts >= 2 days */
    int weekend_off_min;  /* Saturdays + Sundays off per courier over the cycle, 0..2W */
    double courier_cost;  /* per regular courier and week, > 0 */
    double temp_cost;     /* per temporary courier-day, >= 0 */
    int temp_max;         /* temporaries a day at most; 0 = none */
    int pool_max;         /* regular couriers available; 0 = no limit */
    double time_limit_s;  /* GLPK time limit, > 0 */
    double mip_gap;       /* relative gap to stop at, [0, 1) */
} zs_roster_opts;

/* 4 weeks, 5 days a week, at most 6 in a row, days off together, one
 * weekend day off per fortnight (2 over 4 weeks), courier cost 5 a week
 * (one unit per paid day), temporaries 1.5 a day (half as much again) but
 * none allowed, no pool limit, 30 s, gap 0. */
void zs_roster_opts_defaults(zs_roster_opts *o);

/* Checks every field, naming it: "roster.days_per_week = 7; must be in
 * 1..6". */
zs_status zs_roster_opts_validate(const zs_roster_opts *o, zs_err *err);

/* The admissible lines of o as bit masks (bit d set: works day d, d in
 * 0..7W-1), in enumeration order (lexicographic by week pattern).
 * *lines (zs_malloc'ed, the caller's to zs_free; NULL when there are none)
 * and *n.  More than ZS_ROSTER_MAX_LINES lines is ZS_EINVAL naming the
 * rules to tighten. */
zs_status zs_roster_lines(const zs_roster_opts *o, uint64_t **lines, size_t *n, zs_err *err);

typedef struct {
    int weeks, days;         /* W and 7W */
    zs_mip_status status;    /* ZS_MIP_INFEASIBLE also when found before solving */
    int solved;              /* 1 when GLPK ran (0: infeasible by a pre-check) */
    double objective;        /* cost of the roster (NAN without one) */
    double bound, gap;       /* best bound and relative gap (zs_mip_result) */
    double runtime_s;
    int nodes;
    size_t n_lines;          /* admissible lines */
    size_t n_columns;        /* line columns of the program solved last (fewer than
                                n_lines after reduced-cost filtering) */
    size_t couriers;         /* regular couriers in the roster */
    int8_t *schedule;        /* couriers x days: 1 works, 0 off (NULL when none) */
    int32_t *line_of;        /* couriers: index of each courier's line */
    int32_t *required;       /* days: the requirement solved for */
    int32_t *covered;        /* days: regular couriers working */
    int32_t *temps;          /* days: temporary couriers */
    uint8_t *temp_ok;        /* days: 1 where temporaries may work */
    double courier_cost_total, temp_cost_total;
    char message[512];       /* why infeasible, or "" */
} zs_roster;

/* Solves the roster for required[0..7W) couriers a day (>= 0), with
 * temporaries allowed on the days where temp_ok[d] != 0 (temp_ok NULL:
 * every day).  o NULL = defaults.  *out is the caller's (zs_roster_free);
 * an infeasible roster is ZS_OK with status ZS_MIP_INFEASIBLE and a
 * message.  Errors: invalid options or requirements (ZS_EINVAL), too many
 * lines, out of memory, GLPK failures (ZS_ESOLVER/ZS_EINTERNAL). */
zs_status zs_roster_solve(const int32_t *required, const uint8_t *temp_ok,
                          const zs_roster_opts *o, zs_roster **out, zs_err *err);
void zs_roster_free(zs_roster *r);

/* "Wed of week 2" for day d of a cycle (weeks Monday first), into buf. */
void zs_roster_day_name(int d, char *buf, size_t size);

#endif
