/*
 * engine/report/report_internal.h -- shared by the files of the report
 * module (engine/report/report.h): report_html.c (the page, its styles and
 * script, the warnings, the comparison, maps and distributions) and
 * report_staff.c (the staffing section).  Only engine/report/ includes it.
 */
#ifndef ZS_ENGINE_REPORT_INTERNAL_H
#define ZS_ENGINE_REPORT_INTERNAL_H

#include <stdio.h>

#include "report/report.h"

/* The staffing section of r: per plan with staffing, couriers per day type
 * (a sortable table) and the roster as a courier x day grid with the
 * need, regular and temporary couriers of each day; a paragraph saying
 * the run had none otherwise. */
void zs_rep_staffing_section(FILE *f, const zs_report *r);

/* <td> with a numeric sort key v and the text given by fmt. */
void zs_rep_td(FILE *f, double v, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
