/*
 * engine/results/h5staff_internal.h -- what the /staffing modules share
 * (internal: only engine/results/h5*.c include it): the writer stage that
 * engine/results/h5out.c calls, so that a results file and a staffing file
 * hold the same layout; the requirement table's row and compound type,
 * written by h5staff.c and read back by h5staff_read.c; and the reading
 * helpers of h5staff_source.c that h5staff_read.c uses too.
 */
#ifndef ZS_ENGINE_H5STAFF_INTERNAL_H
#define ZS_ENGINE_H5STAFF_INTERNAL_H

#include "results/h5out.h"
#include "results/h5staff.h"
#include "results/h5util.h"

/* ---- writing (h5staff.c) ------------------------------------------------ */

/* Creates /staffing in f with a group per plan that has a report (rep[i]
 * NULL: skipped; the group's attribute order is i).  0 or -1 with w's
 * error set; nothing is left open. */
int zs_h5staff_write_section(zs_h5_writer *w, hid_t f, size_t n, const char *const *plan,
                             const zs_staffing_report *const *rep);

/* The same for a results file: /staffing from r->staffing, named by
 * r->plans[i].name (nothing when r->staffing is NULL). */
int zs_h5staff_write_results(zs_h5_writer *w, hid_t f, const zs_results *r);

/* One row of /staffing/<plan>/requirement in memory (one day type). */
typedef struct {
    char name[16];
    char days[32];
    int64_t n_obs;
    double stops_mean;
    int32_t capacity_rule;
    double work_mean_min, work_q_min, busiest_q_min, imbalance_mean;
    int32_t required, required_even;
    double overrun_share_k;
    int32_t peak;
} zs_h5staff_req_row;

/* The compound type of the requirement table: packed little-endian in the
 * file (file = 1), zs_h5staff_req_row in memory (file = 0).  The caller
 * closes it; -1 on failure. */
hid_t zs_h5staff_req_type(int file);

/* ---- reading helpers (h5staff_source.c) --------------------------------- */

/* Reads the 1-d array attribute name of loc, of exactly n elements, as
 * mtype into buf.  0 or -1; says nothing. */
int zs_h5staff_get_attr_n(hid_t loc, const char *name, hid_t mtype, hsize_t n, void *buf);

/* The groups of /group sorted by their attribute order, then name, into
 * *l (the caller's: zs_h5_names_free, also after a failure).  0 or -1 with
 * r's error set. */
int zs_h5staff_list_ordered(zs_h5_reader *r, hid_t f, const char *group, zs_h5_names *l);

/* Opens results file path for reading, with *r set up to report on it;
 * returns the file, or -1 with nothing open and the failure in r->st. */
hid_t zs_h5staff_open_reader(const char *path, zs_h5_reader *r, zs_err *err);

/* Closes f, which counts as a failure when nothing failed before; returns
 * r's status. */
zs_status zs_h5staff_close_reader(zs_h5_reader *r, hid_t f);

#endif
