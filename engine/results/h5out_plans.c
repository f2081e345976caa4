/*
 * engine/results/h5out_plans.c -- the groups of a results file with one
 * member per plan: /plans/<plan> (the partition), /sim/<plan> (the
 * replications x days x zones metrics, chunked and compressed) and
 * /summary/<plan> with the paired tables, and the compound types of the
 * statistics tables that the readers (h5out_read*.c) share.
 * zs_h5out_write_sim_summary is also what `zonesim merge` writes over the
 * objects it copies (engine/results/h5merge.c).  Handle discipline as in
 * engine/results/h5out.c.
 */
#include <stddef.h>
#include <string.h>

#include <hdf5.h>

#include "models/alloc.h"
#include "results/h5out_internal.h"
#include "results/h5util.h"

/* /sim chunks aim at 512 KiB, inside STYLE.md's 0.1-1 MiB band: big enough
 * for deflate to pay off, small enough that reading one replication's slice
 * does not inflate megabytes it does not need. */
#define CHUNK_TARGET_BYTES ((hsize_t)512 * 1024)
#define CHUNK_MAX_BYTES ((hsize_t)1024 * 1024)
#define DEFLATE_LEVEL 4

/* ---- types ------------------------------------------------------------ */

/* A new fixed-width, NUL-padded UTF-8 string type of ZS_H5OUT_NAME_FIELD
 * bytes. */
static hid_t name_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, ZS_H5OUT_NAME_FIELD) < 0 || H5Tset_strpad(t, H5T_STR_NULLPAD) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Inserts the zs_stat fields, in zs_stat order, at byte offset base of the
 * compound t, each of type member (native double in memory, IEEE LE in the
 * file; the offsets are the same on every platform we build on). */
static int insert_stat_fields(hid_t t, size_t base, hid_t member)
{
    static const struct {
        const char *name;
        size_t off;
    } f[] = {
        {"mean", offsetof(zs_stat, mean)}, {"sd", offsetof(zs_stat, sd)},
        {"ci_lo", offsetof(zs_stat, ci_lo)}, {"ci_hi", offsetof(zs_stat, ci_hi)},
        {"p10", offsetof(zs_stat, p10)}, {"p50", offsetof(zs_stat, p50)},
        {"p90", offsetof(zs_stat, p90)}, {"min", offsetof(zs_stat, min)},
        {"max", offsetof(zs_stat, max)},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (H5Tinsert(t, f[i].name, base + f[i].off, member) < 0)
            return -1;
    return 0;
}

/* Compound of one zs_stat; file = 1 gives the on-disk (little-endian) type. */
hid_t zs_h5out_stat_type(int file)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(zs_stat));
    if (t < 0)
        return -1;
    if (insert_stat_fields(t, 0, file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

/* Compound of one zs_h5out_paired_row: plan, baseline, then the zs_stat fields. */
hid_t zs_h5out_paired_type(int file)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(zs_h5out_paired_row));
    hid_t s = name_type();
    int ok = t >= 0 && s >= 0 && H5Tinsert(t, "plan", offsetof(zs_h5out_paired_row, plan), s) >= 0 &&
             H5Tinsert(t, "baseline", offsetof(zs_h5out_paired_row, baseline), s) >= 0 &&
             insert_stat_fields(t, offsetof(zs_h5out_paired_row, s), file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE) >= 0;
    if (s >= 0 && H5Tclose(s) < 0)
        ok = 0;
    if (!ok && t >= 0) {
        H5Tclose(t);
        t = -1;
    }
    return ok ? t : -1;
}

/* ---- /plans ------------------------------------------------------------ */

/* territory: pockets joined across barriers, and a repair's moves. */
static int write_territory(zs_h5_writer *w, hid_t g, const zs_h5_plan *pl)
{
    const zs_partition *pa = pl->part;
    if (strcmp(pa->method, "territory") != 0)
        return 0;
    const char *a = NULL;
    hsize_t np = pa->territory.pockets, nb[2] = {pa->territory.bridges, 2};
    if (zs_h5_put_u64(g, a = "pockets", pa->territory.pockets) < 0 ||
        zs_h5_put_u64(g, a = "bridges", pa->territory.bridges) < 0 ||
        zs_h5_put_u64(g, a = "moved", pa->territory.moved) < 0 ||
        zs_h5_put_f64(g, a = "moved_work_share", pa->territory.moved_work_share) < 0 ||
        zs_h5_put_u64(g, a = "parts", pa->territory.parts) < 0 ||
        zs_h5_put_f64(g, a = "part_bound", pa->territory.part_bound) < 0 ||
        zs_h5_put_u64(g, a = "k_within", pa->territory.k_within) < 0 ||
        zs_h5_put_f64(g, a = "k_within_dev", pa->territory.k_within_dev) < 0 ||
        (np && zs_h5_put_dset(g, a = "pocket_points", H5T_STD_U32LE, H5T_NATIVE_UINT32, 1, &np,
                              pa->territory.pocket, NULL) < 0) ||
        (nb[0] && zs_h5_put_dset(g, a = "bridge_points", H5T_STD_U32LE, H5T_NATIVE_UINT32, 2,
                                 nb, pa->territory.bridge, NULL) < 0))
        return zs_h5_wfail(w, "%s of /plans/%s", a, pl->name);
    return 0;
}

/* Shape on the adjacency graph and each zone's work with travel. */
static int write_shape(zs_h5_writer *w, hid_t g, const zs_h5_plan *pl)
{
    const zs_plan_shape *sh = pl->shape;
    if (!sh)
        return 0;
    hsize_t k = pl->part->k;
    const char *a = NULL;
    int rc = -1;
    double *work = zs_malloc_array(k ? k : 1, sizeof *work);
    int64_t *pieces = zs_malloc_array(k ? k : 1, sizeof *pieces);
    if (!work || !pieces) {
        zs_h5_wnomem(w);
        goto done;
    }
    for (size_t z = 0; z < k; z++) {
        work[z] = pl->zone_door_min[z] + pl->zone_travel_min[z];
        pieces[z] = (int64_t)sh->zone_pieces[z];
    }
    if (zs_h5_put_u64(g, a = "zones_one_piece", sh->zones_one_piece) < 0 ||
        zs_h5_put_u64(g, a = "pieces", sh->pieces) < 0 ||
        zs_h5_put_u64(g, a = "strays", sh->strays) < 0 ||
        zs_h5_put_u64(g, a = "barrier_edges", sh->barrier_edges) < 0 ||
        zs_h5_put_u64(g, a = "barrier_zones", sh->barrier_zones) < 0 ||
        zs_h5_put_u64(g, a = "barrier_zones_alone", sh->barrier_alone) < 0 ||
        zs_h5_put_u64(g, a = "bridged_zones", sh->bridged_zones) < 0 ||
        zs_h5_put_f64(g, a = "hull_overlap", sh->hull_overlap) < 0 ||
        zs_h5_put_f64(g, a = "polsby_popper_mean", sh->pp_mean) < 0 ||
        zs_h5_put_f64(g, a = "polsby_popper_min", sh->pp_min) < 0 ||
        zs_h5_put_f64(g, a = "work_travel_maxdev", pl->work_maxdev) < 0) {
        zs_h5_wfail(w, "attribute %s of /plans/%s", a, pl->name);
        goto done;
    }
    if (zs_h5_put_dset(g, a = "zone_pieces", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &k, pieces, "1") < 0 ||
        zs_h5_put_dset(g, a = "zone_door_min", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k,
                       pl->zone_door_min, "min/day") < 0 ||
        zs_h5_put_dset(g, a = "zone_travel_min", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k,
                       pl->zone_travel_min, "min/day") < 0 ||
        zs_h5_put_dset(g, a = "zone_work_min", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k, work,
                       "min/day") < 0 ||
        zs_h5_put_dset(g, a = "zone_polsby_popper", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k,
                       sh->zone_pp, "1") < 0) {
        zs_h5_wfail(w, "/plans/%s/%s", pl->name, a);
        goto done;
    }
    rc = 0;
done:
    zs_free(work);
    zs_free(pieces);
    return rc;
}

static int write_plan(zs_h5_writer *w, hid_t plans, const zs_results *r, size_t i)
{
    const zs_h5_plan *pl = &r->plans[i];
    const zs_partition *pa = pl->part;
    hsize_t n = pa->n, k = pa->k;
    int64_t *count = zs_calloc(k ? k : 1, sizeof *count);
    double *parcels = zs_calloc(k ? k : 1, sizeof *parcels);
    hid_t g = -1;
    int rc = -1;
    if (!count || !parcels) {
        zs_h5_wnomem(w);
        goto done;
    }
    /* Summed in point order, so the bits do not depend on anything else. */
    for (size_t j = 0; j < pa->n; j++) {
        count[pa->zone[j]]++;
        parcels[pa->zone[j]] += r->points->parcels[j];
    }
    if ((g = H5Gcreate2(plans, pl->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/plans/%s", pl->name);
        goto done;
    }
    const char *a = NULL;
    if (zs_h5_put_i32(g, a = "order", (int32_t)i) < 0 || zs_h5_put_str(g, a = "method", pa->method) < 0 ||
        zs_h5_put_str(g, a = "status", pa->status) < 0 || zs_h5_put_u64(g, a = "k", pa->k) < 0 ||
        zs_h5_put_f64(g, a = "objective", pa->objective) < 0 ||
        zs_h5_put_i32(g, a = "iterations", pa->iterations) < 0 ||
        zs_h5_put_i32(g, a = "converged", pa->converged) < 0 ||
        zs_h5_put_f64(g, a = "runtime_s", pa->runtime_s) < 0 ||
        zs_h5_put_f64(g, a = "tolerance", pa->balance.tolerance) < 0 ||
        zs_h5_put_i32(g, a = "balance_met", pa->balance.met) < 0 ||
        zs_h5_put_f64(g, a = "balance_maxdev", pa->balance.maxdev) < 0 ||
        zs_h5_put_u64(g, a = "balance_within", pa->balance.within) < 0 ||
        zs_h5_put_u64(g, a = "moves", pa->balance.moves) < 0 ||
        zs_h5_put_u64(g, a = "merged", pa->balance.merged) < 0 ||
        zs_h5_put_i32(g, a = "exact", pa->exact.proven) < 0 ||
        zs_h5_put_f64(g, a = "mip_bound", pa->exact.bound) < 0 ||
        zs_h5_put_f64(g, a = "mip_gap", pa->exact.gap) < 0) {
        zs_h5_wfail(w, "attribute %s of /plans/%s", a, pl->name);
        goto done;
    }
    if (zs_h5_put_dset(g, a = "zone", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, pa->zone, NULL) < 0 ||
        zs_h5_put_str_dset(g, a = "label", pa->label, k) < 0 ||
        zs_h5_put_dset(g, a = "centre_x_m", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k, pa->cx, "m") < 0 ||
        zs_h5_put_dset(g, a = "centre_y_m", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k, pa->cy, "m") < 0 ||
        zs_h5_put_dset(g, a = "n_points", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &k, count, "1") < 0 ||
        zs_h5_put_dset(g, a = "parcels_mean", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &k, parcels,
                 "parcels/day") < 0) {
        zs_h5_wfail(w, "/plans/%s/%s", pl->name, a);
        goto done;
    }
    if (write_territory(w, g, pl) < 0 || write_shape(w, g, pl) < 0)
        goto done;
    rc = 0;
done:
    if (g >= 0 && H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/plans/%s", pl->name);
    zs_free(count);
    zs_free(parcels);
    return rc;
}

/* /plans: a group per plan, its attribute order the scenario order. */
int zs_h5out_write_plans(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    hid_t plans = H5Gcreate2(f, "plans", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (plans < 0)
        return zs_h5_wfail(w, "/plans");
    int rc = -1;
    for (size_t i = 0; i < r->n_plans; i++)
        if (write_plan(w, plans, r, i) < 0)
            goto done;
    rc = 0;
done:
    if (H5Gclose(plans) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/plans");
    return rc;
}

/* ---- /sim and /summary ------------------------------------------------- */

/* Chunk shape of a reps x days x zones metric: whole replications while
 * one replication fits in CHUNK_MAX_BYTES, else runs of days of one. */
static void sim_chunk(const hsize_t dims[3], hsize_t c[3])
{
    hsize_t rep_bytes = dims[1] * dims[2] * sizeof(double);
    if (rep_bytes <= CHUNK_MAX_BYTES) {
        hsize_t rc = CHUNK_TARGET_BYTES / rep_bytes;
        c[0] = rc < 1 ? 1 : rc > dims[0] ? dims[0] : rc;
        c[1] = dims[1];
    } else {
        hsize_t dc = CHUNK_TARGET_BYTES / (dims[2] * sizeof(double));
        c[0] = 1;
        c[1] = dc < 1 ? 1 : dc > dims[1] ? dims[1] : dc;
    }
    c[2] = dims[2];
}

static int write_sim(zs_h5_writer *w, hid_t simg, const zs_h5_plan *pl, int threads)
{
    const zs_sim_result *s = pl->sim;
    hsize_t dims[3] = {s->reps, s->days, s->zones}, chunk[3];
    int rc = -1;
    hid_t dcpl = -1, d = -1;
    zs_h5_packed *pk = NULL;
    hid_t g = H5Gcreate2(simg, pl->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/sim/%s", pl->name);
    if (zs_h5_put_u64(g, "rep_begin", s->rep_begin) < 0) {
        zs_h5_wfail(w, "attribute rep_begin of /sim/%s", pl->name);
        goto done;
    }
    if ((dcpl = H5Pcreate(H5P_DATASET_CREATE)) < 0) {
        zs_h5_wfail(w, "/sim/%s (dataset creation properties)", pl->name);
        goto done;
    }
    /* An empty dataset cannot be chunked (chunk sides must be >= 1 and
     * <= the fixed extent); it stays contiguous. */
    if (dims[0] && dims[1] && dims[2]) {
        sim_chunk(dims, chunk);
        if (H5Pset_chunk(dcpl, 3, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
            H5Pset_deflate(dcpl, DEFLATE_LEVEL) < 0) {
            zs_h5_wfail(w, "/sim/%s (chunking and compression)", pl->name);
            goto done;
        }
        /* Compressed on all the run's threads, written by this one
         * (engine/h5chunk.c); the same bytes HDF5's filters would store. */
        int nomem = 0;
        pk = zs_h5_pack_f64((size_t)zs_sim_nm(s), (const double *const *)s->v, dims, chunk, DEFLATE_LEVEL,
                            threads, &nomem);
        if (!pk && nomem) {
            zs_h5_wnomem(w);
            goto done;
        }
    }
    for (int m = 0; m < zs_sim_nm(s); m++) {
        const zs_metric_info *mi = zs_metric_get(m);
        if (pk)
            d = zs_h5_put_packed_open(g, mi->name, pk, (size_t)m, dcpl, mi->unit);
        else
            d = zs_h5_put_dset_open(g, mi->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, dims, dcpl,
                                    s->v[m], mi->unit);
        if (d < 0 || zs_h5_put_str(d, "description", mi->help) < 0) {
            zs_h5_wfail(w, "/sim/%s/%s", pl->name, mi->name);
            goto done;
        }
        herr_t e = H5Dclose(d);
        d = -1;
        if (e < 0) {
            zs_h5_wfail(w, "/sim/%s/%s", pl->name, mi->name);
            goto done;
        }
    }
    rc = 0;
done:
    zs_h5_packed_free(pk);
    if (d >= 0)
        H5Dclose(d);
    if (dcpl >= 0 && H5Pclose(dcpl) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/sim/%s (dataset creation properties)", pl->name);
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/sim/%s", pl->name);
    return rc;
}

/* A table of the first nm stats in metric order with its metric names and
 * units as attributes. */
static int put_metric_table(hid_t g, const char *name, hid_t ft, hid_t mt, const zs_stat *st,
                            size_t nm)
{
    const char *names[ZS_M_COUNT], *units[ZS_M_COUNT];
    for (int m = 0; m < ZS_M_COUNT; m++) {
        names[m] = zs_metric_get(m)->name;
        units[m] = zs_metric_get(m)->unit;
    }
    hsize_t n = nm;
    hid_t d = zs_h5_put_dset_open(g, name, ft, mt, 1, &n, H5P_DEFAULT, st, NULL);
    if (d < 0)
        return -1;
    int rc = zs_h5_put_strs(d, "metrics", names, n) < 0 || zs_h5_put_strs(d, "units", units, n) < 0 ? -1 : 0;
    if (H5Dclose(d) < 0)
        rc = -1;
    return rc;
}

static int write_summary(zs_h5_writer *w, hid_t sumg, const zs_h5_plan *pl, hid_t ft, hid_t mt)
{
    const zs_plan_summary *s = pl->summary;
    hsize_t zones = s->zones;
    int rc = -1;
    hid_t g = H5Gcreate2(sumg, pl->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0)
        return zs_h5_wfail(w, "/summary/%s", pl->name);
    const char *a = NULL;
    if (zs_h5_put_f64(g, a = "work_maxmin", s->work_maxmin) < 0 || zs_h5_put_f64(g, a = "work_cv", s->work_cv) < 0 ||
        zs_h5_put_f64(g, a = "overtime_share", s->overtime_share) < 0 ||
        zs_h5_put_u64(g, a = "zones", s->zones) < 0) {
        zs_h5_wfail(w, "attribute %s of /summary/%s", a, pl->name);
        goto done;
    }
    for (int m = 0; m < zs_summary_nm(s); m++) {
        const zs_metric_info *mi = zs_metric_get(m);
        hid_t d = zs_h5_put_dset_open(g, mi->name, ft, mt, 1, &zones, H5P_DEFAULT, s->zone[m], mi->unit);
        int ok = d >= 0 && zs_h5_put_str(d, "description", mi->help) >= 0;
        if (d >= 0 && H5Dclose(d) < 0)
            ok = 0;
        if (!ok) {
            zs_h5_wfail(w, "/summary/%s/%s", pl->name, mi->name);
            goto done;
        }
    }
    if (put_metric_table(g, a = "day_total", ft, mt, s->day, (size_t)zs_summary_nm(s)) < 0 ||
        put_metric_table(g, a = "zone_day", ft, mt, s->zoneday, (size_t)zs_summary_nm(s)) < 0) {
        zs_h5_wfail(w, "/summary/%s/%s", pl->name, a);
        goto done;
    }
    rc = 0;
done:
    if (H5Gclose(g) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/summary/%s", pl->name);
    return rc;
}

static int write_paired(zs_h5_writer *w, hid_t sumg, const zs_results *r, const char *name,
                        const zs_stat *st, const char *what)
{
    hsize_t n = r->n_plans - 1;
    zs_h5out_paired_row *row = zs_calloc(n, sizeof *row); /* zeroed: the NUL padding */
    hid_t ft = -1, mt = -1, d = -1;
    int rc = -1;
    if (!row) {
        zs_h5_wnomem(w);
        goto done;
    }
    /* validate() bounded names to ZS_H5_NAME_MAX bytes, so they fit. */
    for (size_t i = 0; i < n; i++) {
        memcpy(row[i].plan, r->plans[i + 1].name, strlen(r->plans[i + 1].name));
        memcpy(row[i].baseline, r->plans[0].name, strlen(r->plans[0].name));
        row[i].s = st[i + 1];
    }
    if ((ft = zs_h5out_paired_type(1)) < 0 || (mt = zs_h5out_paired_type(0)) < 0 ||
        (d = zs_h5_put_dset_open(sumg, name, ft, mt, 1, &n, H5P_DEFAULT, row, "min")) < 0 ||
        zs_h5_put_str(d, "description", what) < 0) {
        zs_h5_wfail(w, "/summary/%s", name);
        goto done;
    }
    rc = 0;
done:
    if (d >= 0 && H5Dclose(d) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/summary/%s", name);
    if (ft >= 0)
        H5Tclose(ft);
    if (mt >= 0)
        H5Tclose(mt);
    zs_free(row);
    return rc;
}

/* /sim and /summary: each group created, the per-plan stage called for
 * every plan it applies to, the group closed.  Also what `zonesim merge`
 * writes over the objects it copies (engine/h5merge.c). */
int zs_h5out_write_sim_summary(zs_h5_writer *w, hid_t f, const zs_results *r)
{
    hid_t sim = -1, sum = -1, ft = -1, mt = -1;
    int rc = -1;
    if ((sim = H5Gcreate2(f, "sim", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/sim");
        goto done;
    }
    for (size_t i = 0; i < r->n_plans; i++)
        if (r->plans[i].sim && write_sim(w, sim, &r->plans[i], r->threads) < 0)
            goto done;
    if ((sum = H5Gcreate2(f, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0) {
        zs_h5_wfail(w, "/summary");
        goto done;
    }
    if ((ft = zs_h5out_stat_type(1)) < 0 || (mt = zs_h5out_stat_type(0)) < 0) {
        zs_h5_wfail(w, "/summary (statistics type)");
        goto done;
    }
    for (size_t i = 0; i < r->n_plans; i++)
        if (r->plans[i].summary && write_summary(w, sum, &r->plans[i], ft, mt) < 0)
            goto done;
    if (r->n_plans >= 2 && r->paired_work &&
        write_paired(w, sum, r, "paired_work_min", r->paired_work,
                     "plan minus baseline: daily total work minutes over all zones, "
                     "mean over days per replication; CI over replications") < 0)
        goto done;
    if (r->n_plans >= 2 && r->paired_overtime &&
        write_paired(w, sum, r, "paired_overtime_min", r->paired_overtime,
                     "plan minus baseline: daily total overtime minutes over all zones, "
                     "mean over days per replication; CI over replications") < 0)
        goto done;
    rc = 0;
done:
    if (ft >= 0)
        H5Tclose(ft);
    if (mt >= 0)
        H5Tclose(mt);
    if (sum >= 0 && H5Gclose(sum) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/summary");
    if (sim >= 0 && H5Gclose(sim) < 0 && rc == 0)
        rc = zs_h5_wfail(w, "/sim");
    return rc;
}
