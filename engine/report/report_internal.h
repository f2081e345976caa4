/*
 * engine/report/report_internal.h -- shared by the files of the report
 * module (engine/report/report.h): report_html.c (the page, its styles and
 * script, the warnings, the comparison, maps and distributions) and
 * report_staff.c (the staffing section), report_service.c (the service desk).  Only engine/report/ includes it.
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

/* The service-desk section of r (engine/report/report_service.c): per plan
 * the desk as `zonesim service` prints it (sortable tables), calls per half
 * hour by reason on the usual and the peak day and agents needed against
 * scheduled per half hour of each weekday (inline SVG); nothing at all when
 * r->n_service is 0. */
void zs_rep_service_section(FILE *f, const zs_report *r);

/* <td> with a numeric sort key v and the text given by fmt. */
void zs_rep_td(FILE *f, double v, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
