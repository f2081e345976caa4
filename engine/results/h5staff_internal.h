/*
 * engine/results/h5staff_internal.h -- the /staffing writer stage shared with
 * engine/h5out.c (internal: only engine/h5*.c include it), so that a
 * results file and a staffing file hold the same layout.
 */
#ifndef ZS_ENGINE_H5STAFF_INTERNAL_H
#define ZS_ENGINE_H5STAFF_INTERNAL_H

#include "results/h5out.h"
#include "results/h5staff.h"
#include "results/h5util.h"

/* Creates /staffing in f with a group per plan that has a report (rep[i]
 * NULL: skipped; the group's attribute order is i).  0 or -1 with w's
 * error set; nothing is left open. */
int zs_h5staff_write_section(zs_h5_writer *w, hid_t f, size_t n, const char *const *plan,
                             const zs_staffing_report *const *rep);

/* The same for a results file: /staffing from r->staffing, named by
 * r->plans[i].name (nothing when r->staffing is NULL). */
int zs_h5staff_write_results(zs_h5_writer *w, hid_t f, const zs_results *r);

#endif
