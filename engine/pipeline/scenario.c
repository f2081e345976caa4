/*
 * engine/pipeline/scenario.c -- scenario files parsed and checked
 * (engine/pipeline/scenario.h): the entry points, the walk over the
 * sections, the lists (plans, demand.events, disruptions, roads) and the
 * checks that span keys.
 *
 * The walker looks each key up in the table (scenario_keys.c) and hands
 * scalar values to scenario_values.c; sections recurse, lists are parsed
 * entry by entry into records with the same table and then checked and
 * copied.  What spans keys (points file or generator, working hours,
 * manual plans, staffing) is checked once the whole file is read, and
 * named at the place remembered for it.
 */
#include "pipeline/scenario.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "models/alloc.h"
#include "results/h5out.h"
#include "pipeline/scenario_internal.h"
#include "input/files.h"

/* ---- mappings ----------------------------------------------------------- */

static zs_status parse_plans(parser *p, const yaml_node_t *seq, zs_scenario *sc);
/* The items of the list seq at key, at most max of them ("roads: 3 areas;
 * at most 2"); of is what the list holds in the type error (" of areas",
 * or "" for a plain "expected a list"), items names them in the count
 * error. */
static zs_status seq_items(parser *p, const yaml_node_t *seq, const char *key, const char *of,
                           const char *items, size_t max, size_t *n)
{
    if (seq->type != YAML_SEQUENCE_NODE)
        return zs_scn_at(p, seq, ZS_EINPUT, "%s: expected a list%s, got %s", key, of, zs_scn_node_kind(seq));
    *n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (*n > max)
        return zs_scn_at(p, seq, ZS_EINPUT, "%s: %zu %s; at most %zu", key, *n, items, max);
    return ZS_OK;
}

static zs_status parse_events(parser *p, const yaml_node_t *seq, zs_scenario *sc);
static zs_status parse_disruptions(parser *p, const yaml_node_t *seq, zs_scenario *sc);
static zs_status parse_roads(parser *p, const yaml_node_t *seq, zs_scenario *sc);
static zs_status parse_waves(parser *p, const yaml_node_t *seq, zs_scenario *sc);

/* Walks a mapping of `section`, storing values into base.  sc is the
 * scenario (for the plans list); plan_idx names plan entries in messages. */
static zs_status walk_map(parser *p, const yaml_node_t *map, const char *section, void *base,
                          zs_scenario *sc, long plan_idx)
{
    char name[256];
    if (map->type != YAML_MAPPING_NODE) {
        if (!*section)
            return zs_scn_at(p, map, ZS_EINPUT, "expected a mapping of keys at the top level, got %s",
                      zs_scn_node_kind(map));
        zs_scn_full_name(name, sizeof name, "", plan_idx, section);
        return zs_scn_at(p, map, ZS_EINPUT, "%s: expected a mapping, got %s", name, zs_scn_node_kind(map));
    }
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(p->doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(p->doc, pr->value);
        if (kn->type != YAML_SCALAR_NODE)
            return zs_scn_at(p, kn, ZS_EINPUT, "keys must be plain names, got %s", zs_scn_node_kind(kn));
        const char *key = zs_scn_scalar(kn);
        /* Duplicate keys: YAML forbids them, libyaml does not check. */
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr; q++) {
            yaml_node_t *qk = yaml_document_get_node(p->doc, q->key);
            if (qk->type == YAML_SCALAR_NODE && !strcmp(zs_scn_scalar(qk), key))
                return zs_scn_at(p, kn, ZS_EINPUT, "duplicate key '%s' (first on line %ld)", key,
                          (long)qk->start_mark.line + 1);
        }
        const keydef *k = zs_scn_find_key(section, key);
        if (!k) {
            char valid[512];
            zs_scn_list_keys(valid, sizeof valid, section);
            if (*section) {
                zs_scn_full_name(name, sizeof name, "", plan_idx, section);
                return zs_scn_at(p, kn, ZS_EINPUT, "unknown key '%s' in %s (expected one of: %s)", key,
                          name, valid);
            }
            return zs_scn_at(p, kn, ZS_EINPUT, "unknown key '%s' (expected one of: %s)", key, valid);
        }
        zs_scn_full_name(name, sizeof name, section, plan_idx, key);
        zs_status st;
        if (k->type == K_SECTION) {
            if (vn->type != YAML_MAPPING_NODE)
                return zs_scn_at(p, vn, ZS_EINPUT, "%s: expected a mapping, got %s", name, zs_scn_node_kind(vn));
            if (k->offset != NO_OFF) {
                /* The flag of a present section, or its mark. */
                if (k->offset == SC(points_at))
                    sc->points_at = zs_scn_mark_of(vn);
                else if (k->offset == SC(staffing_at))
                    sc->staffing_at = zs_scn_mark_of(vn);
                else if (k->offset == SC(windows_at))
                    sc->windows_at = zs_scn_mark_of(vn);
                else if (k->offset == SC(service_at))
                    sc->service_at = zs_scn_mark_of(vn);
                else
                    *(int *)((char *)base + k->offset) = 1;
            }
            char sub[128];
            snprintf(sub, sizeof sub, "%s%s%s", section, *section ? "." : "", key);
            st = walk_map(p, vn, sub, base, sc, plan_idx);
        } else if (k->type == K_PLANS) {
            st = parse_plans(p, vn, sc);
        } else if (k->type == K_EVENTS) {
            st = parse_events(p, vn, sc);
        } else if (k->type == K_DISRUPT) {
            st = parse_disruptions(p, vn, sc);
        } else if (k->type == K_ROADS) {
            st = parse_roads(p, vn, sc);
        } else if (k->type == K_WAVES) {
            st = parse_waves(p, vn, sc);
        } else {
            st = zs_scn_parse_value(p, k, vn, base, name);
            if (st == ZS_OK && base == sc) {
                if (k->offset == SC(points_file))
                    sc->points_file_at = zs_scn_mark_of(vn);
                else if (k->offset == SC(barriers.file))
                    sc->barriers.file_at = zs_scn_mark_of(vn);
                else if (k->offset == SC(network.osm))
                    sc->network.osm_at = zs_scn_mark_of(vn);
                else if (k->offset == SC(depot)) {
                    sc->depot_given = 1;
                    sc->depot_at = zs_scn_mark_of(vn);
                } else if (k->offset == SC(output))
                    sc->output_at = zs_scn_mark_of(vn);
                else if (k->offset == SC(signing.work_start_h) || k->offset == SC(signing.work_end_h))
                    sc->work_hours_at = zs_scn_mark_of(vn);
                else if (k->offset == SC(demand.pickup_release_end_h))
                    sc->pickup_release_at = zs_scn_mark_of(vn);
            }
        }
        if (st != ZS_OK)
            return st;
    }
    return ZS_OK;
}

static void plan_clear(zs_plan_spec *pl)
{
    zs_free(pl->name);
    zs_free(pl->file);
    zs_free(pl->repair);
    zs_free(pl->col_id);
    zs_free(pl->col_zone);
    zs_free(pl->encoding);
}

static zs_status parse_plans(parser *p, const yaml_node_t *seq, zs_scenario *sc)
{
    if (seq->type != YAML_SEQUENCE_NODE)
        return zs_scn_at(p, seq, ZS_EINPUT, "plans: expected a list of plans, got %s", zs_scn_node_kind(seq));
    size_t n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    if (n == 0)
        return zs_scn_at(p, seq, ZS_EINPUT, "plans: the list is empty");
    sc->plans = zs_calloc(n, sizeof *sc->plans);
    if (!sc->plans)
        return ZS_NOMEM(p->err);
    for (size_t i = 0; i < n; i++) {
        zs_plan_spec *pl = &sc->plans[i];
        zs_scn_plan_defaults(pl);
        sc->n_plans = i + 1; /* so that free sees what was started */
        yaml_node_t *item = yaml_document_get_node(p->doc, seq->data.sequence.items.start[i]);
        pl->at = zs_scn_mark_of(item);
        zs_status st = walk_map(p, item, "plans[]", pl, sc, (long)i);
        if (st != ZS_OK)
            return st;
        /* Remember where k and file were, for errors found later. */
        for (yaml_node_pair_t *pr = item->data.mapping.pairs.start; pr < item->data.mapping.pairs.top; pr++) {
            yaml_node_t *kn = yaml_document_get_node(p->doc, pr->key);
            yaml_node_t *vn = yaml_document_get_node(p->doc, pr->value);
            if (!strcmp(zs_scn_scalar(kn), "k"))
                pl->k_at = zs_scn_mark_of(vn);
            else if (!strcmp(zs_scn_scalar(kn), "file"))
                pl->file_at = zs_scn_mark_of(vn);
            else if (!strcmp(zs_scn_scalar(kn), "repair"))
                pl->repair_at = zs_scn_mark_of(vn);
        }
        if (!pl->name) {
            char def[32];
            snprintf(def, sizeof def, "plan%zu", i + 1);
            if ((st = zs_scn_set_string(p, &pl->name, def)) != ZS_OK)
                return st;
        }
        if (strchr(pl->name, '/') || !strcmp(pl->name, ".") || !strcmp(pl->name, "..")) {
            return zs_scn_at_mark(p, pl->at, ZS_EINPUT,
                           "plans[%zu].name '%s': must not contain '/' or be '.'/'..'", i, pl->name);
        }
        if (strlen(pl->name) > ZS_H5_NAME_MAX)
            return zs_scn_at_mark(p, pl->at, ZS_EINPUT, "plans[%zu].name is longer than %d bytes", i,
                           ZS_H5_NAME_MAX);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(sc->plans[j].name, pl->name)) {
                return zs_scn_at_mark(p, pl->at, ZS_EINPUT, "plans[%zu].name '%s' is used twice (also plans[%zu])", i,
                         pl->name, j);
            }
        if (pl->repair) {
            if (pl->method != ZS_PLAN_COMPUTED || pl->part.method != ZS_PM_TERRITORY)
                return zs_scn_at_mark(p, pl->repair_at, ZS_EINPUT,
                                      "plans[%zu].repair: only a territory plan repairs another "
                                      "(method: territory)", i);
            for (size_t j = 0; j < i; j++)
                if (!strcmp(sc->plans[j].name, pl->repair))
                    pl->repair_index = (long)j;
            if (pl->repair_index < 0 || sc->plans[pl->repair_index].method != ZS_PLAN_MANUAL)
                return zs_scn_at_mark(p, pl->repair_at, ZS_EINPUT,
                                      "plans[%zu].repair: '%s' is not a manual plan listed before "
                                      "this one", i, pl->repair);
        }
        if (pl->method == ZS_PLAN_MANUAL && pl->file) {
            if ((!pl->col_id && (st = zs_scn_set_string(p, &pl->col_id, "id")) != ZS_OK) ||
                (!pl->col_zone && (st = zs_scn_set_string(p, &pl->col_zone, "zone")) != ZS_OK))
                return st;
        }
    }
    return ZS_OK;
}

static zs_status parse_events(parser *p, const yaml_node_t *seq, zs_scenario *sc)
{
    size_t n;
    zs_status st0 = seq_items(p, seq, "demand.events", " of events", "events", ZS_DEMAND_MAX_EVENTS, &n);
    if (st0 != ZS_OK)
        return st0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yaml_document_get_node(p->doc, seq->data.sequence.items.start[i]);
        event_rec ev = {NULL, {0, 0, 0}, 0, -1.0};
        zs_status st = walk_map(p, item, "demand.events[]", &ev, sc, (long)i);
        zs_free(ev.name); /* for the reader of the file only */
        if (st != ZS_OK)
            return st;
        if (ev.days < 1 || ev.factor < 0.0 || ev.start.year == 0)
            return zs_scn_at(p, item, ZS_EINPUT, "demand.events[%zu]: needs start, days and factor", i);
        sc->demand.events[i].first_day = zs_date_to_days(ev.start);
        sc->demand.events[i].days = ev.days;
        sc->demand.events[i].factor = ev.factor;
        sc->demand.n_events = i + 1;
    }
    return ZS_OK;
}

static zs_status parse_disruptions(parser *p, const yaml_node_t *seq, zs_scenario *sc)
{
    size_t n;
    zs_status st0 = seq_items(p, seq, "disruptions", "", "entries", ZS_MAX_DISRUPTIONS, &n);
    if (st0 != ZS_OK)
        return st0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yaml_document_get_node(p->doc, seq->data.sequence.items.start[i]);
        disruption_rec rec = {(zs_disruption_kind)-1, {0, 0, 0}, 0, -1.0, -1.0, -1.0, -1.0};
        zs_status st = walk_map(p, item, "disruptions[]", &rec, sc, (long)i);
        if (st != ZS_OK)
            return st;
        int slow = rec.kind == ZS_DISRUPT_SLOW, late = rec.kind == ZS_DISRUPT_SCAN_DELAY;
        int absent = rec.kind == ZS_DISRUPT_ABSENCE;
        if ((!slow && !late && !absent) || rec.start.year == 0 || rec.days < 1 ||
            (slow && rec.travel_factor < 0) || (late && rec.delay_min < 0) ||
            (absent && rec.couriers < 0 && rec.share < 0))
            return zs_scn_at(p, item, ZS_EINPUT,
                      "disruptions[%zu]: needs type, start, days and travel_factor (weather, traffic), delay_min (scan_delay) or couriers or share (absence)", i);
        zs_disruption *d = &sc->disruptions[i];
        d->kind = rec.kind;
        d->first_day = zs_date_to_days(rec.start);
        d->days = rec.days;
        d->travel_factor = slow ? rec.travel_factor : 1.0;
        d->delay_min = late ? rec.delay_min : 0.0;
        d->couriers = absent && rec.couriers > 0 ? rec.couriers : 0.0;
        d->share = absent && rec.share > 0 ? rec.share : 0.0;
        sc->n_disruptions = i + 1;
    }
    return ZS_OK;
}

static zs_status parse_roads(parser *p, const yaml_node_t *seq, zs_scenario *sc)
{
    size_t n;
    zs_status st0 = seq_items(p, seq, "roads", " of areas", "areas", ZS_MAX_ROAD_AREAS, &n);
    if (st0 != ZS_OK)
        return st0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yaml_document_get_node(p->doc, seq->data.sequence.items.start[i]);
        road_rec rec = {NULL, -INF, INF, -INF, INF, -1.0};
        zs_status st = walk_map(p, item, "roads[]", &rec, sc, (long)i);
        zs_free(rec.name); /* for the reader of the file only */
        if (st != ZS_OK)
            return st;
        if (rec.factor < 1.0)
            return zs_scn_at(p, item, ZS_EINPUT, "roads[%zu]: needs a factor", i);
        if (!(rec.west < rec.east) || !(rec.south < rec.north))
            return zs_scn_at(p, item, ZS_EINVAL, "roads[%zu]: an empty area (needs west < east and south < north)", i);
        zs_road_area *a = &sc->road_areas[i];
        a->west = rec.west;
        a->east = rec.east;
        a->south = rec.south;
        a->north = rec.north;
        a->factor = rec.factor;
        sc->n_road_areas = i + 1;
    }
    return ZS_OK;
}

static zs_status parse_waves(parser *p, const yaml_node_t *seq, zs_scenario *sc)
{
    size_t n;
    zs_status st0 = seq_items(p, seq, "dispatch.waves", " of waves", "waves", ZS_WAVES_MAX, &n);
    if (st0 != ZS_OK)
        return st0;
    if (n == 0)
        return zs_scn_at(p, seq, ZS_EINPUT, "dispatch.waves: the list is empty");
    sc->waves_at = zs_scn_mark_of(seq);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yaml_document_get_node(p->doc, seq->data.sequence.items.start[i]);
        wave_rec rec = {-1.0, -1.0, {-1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0}, -1.0};
        zs_status st = walk_map(p, item, "dispatch.waves[]", &rec, sc, (long)i);
        if (st != ZS_OK)
            return st;
        if (rec.at_h < 0.0 || (rec.share < 0.0 && rec.weekday_share[0] < 0.0))
            return zs_scn_at(p, item, ZS_EINPUT, "dispatch.waves[%zu]: needs at and share (or weekday_share)", i);
        if (i > 0 && !(rec.at_h > sc->waves[i - 1].at_h))
            return zs_scn_at(p, item, ZS_EINVAL, "dispatch.waves[%zu]: at must be later than the wave before", i);
        zs_wave *w = &sc->waves[i];
        w->at_h = rec.at_h;
        w->share = rec.share < 0.0 ? 0.0 : rec.share;
        memcpy(w->weekday_share, rec.weekday_share, sizeof w->weekday_share);
        w->peak_share = rec.peak_share;
        sc->n_waves = i + 1;
    }
    /* Every day needs some wave: each weekday, as a normal and as a peak day. */
    static const char *wd[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    for (int day = 0; day < 14; day++) {
        double sum = 0.0;
        for (size_t i = 0; i < n; i++) {
            const zs_wave *w = &sc->waves[i];
            if (day >= 7 && w->peak_share >= 0.0)
                sum += w->peak_share;
            else
                sum += w->weekday_share[0] >= 0.0 ? w->weekday_share[day % 7] : w->share;
        }
        if (!(sum > 0.0))
            return zs_scn_at(p, seq, ZS_EINVAL, "dispatch.waves: the shares of %s%s are all 0",
                             day >= 7 ? "a peak " : "", wd[day % 7]);
    }
    return ZS_OK;
}

void zs_scenario_wave_shares(const zs_scenario *sc, int64_t day_number, int peak, double *share)
{
    if (sc->n_waves == 0) {
        share[0] = 1.0;
        return;
    }
    int wd = zs_date_weekday(day_number);
    double sum = 0.0;
    for (size_t i = 0; i < sc->n_waves; i++) {
        const zs_wave *w = &sc->waves[i];
        if (peak && w->peak_share >= 0.0)
            share[i] = w->peak_share;
        else
            share[i] = w->weekday_share[0] >= 0.0 ? w->weekday_share[wd] : w->share;
        sum += share[i];
    }
    for (size_t i = 0; i < sc->n_waves; i++)
        share[i] /= sum;
}

/* ---- validation, entry points ------------------------------------ */

static zs_status validate(parser *p, zs_scenario *sc, const yaml_node_t *root)
{
    zs_err sub;
    if (!sc->points_at.line)
        return zs_scn_at(p, root, ZS_EINPUT, "missing section 'points' (give points.file or points.generate)");
    if (!sc->filter_col != !sc->filter_value)
        return zs_scn_at_mark(p, sc->points_at, ZS_EINPUT, "points.filter: give both 'column' and 'equals'");
    if (sc->points_generated && sc->points_file)
        return zs_scn_at_mark(p, sc->points_at, ZS_EINPUT, "points: 'file' and 'generate' exclude each other");
    if (!sc->points_generated && !sc->points_file)
        return zs_scn_at_mark(p, sc->points_at, ZS_EINPUT, "points: give 'file' or 'generate'");
    if (sc->points_generated) {
        if (sc->lonlat)
            return zs_scn_at_mark(p, sc->points_at, ZS_EINPUT, "points: a generated city is in metres; coords: lonlat needs a file");
        if (zs_citygen_opts_validate(&sc->gen, &sub) != ZS_OK) {
        {
            /* citygen names its fields "citygen.x": say points.generate.x. */
            const char *m = strncmp(sub.msg, "citygen.", 8) == 0 ? sub.msg + 8 : sub.msg;
            return zs_scn_at_mark(p, sc->points_at, ZS_EINVAL, "points.generate.%s", m);
        }
        }
        if (!sc->depot_given) {
            sc->depot[0] = sc->gen.station_x;
            sc->depot[1] = sc->gen.station_y;
        }
    } else if (access(sc->points_file, R_OK) != 0) {
        return zs_scn_at_mark(p, sc->points_file_at, ZS_EINPUT, "points.file: cannot read '%s': %s", sc->points_file, strerror(errno));
    }
    if (sc->barriers.file && access(sc->barriers.file, R_OK) != 0)
        return zs_scn_at_mark(p, sc->barriers.file_at, ZS_EINPUT, "barriers.file: cannot read '%s': %s",
                              sc->barriers.file, strerror(errno));
    if (sc->network.osm) {
        if (access(sc->network.osm, R_OK) != 0)
            return zs_scn_at_mark(p, sc->network.osm_at, ZS_EINPUT, "network.osm: cannot read '%s': %s",
                                  sc->network.osm, strerror(errno));
        if (sc->network.profile < 0)
            return zs_scn_at_mark(p, sc->network.osm_at, ZS_EINVAL,
                                  "network.profile: none is no street profile (van, tricycle, ebike or foot)");
        if (!sc->lonlat)
            return zs_scn_at_mark(p, sc->network.osm_at, ZS_EINVAL,
                                  "network.osm needs points in lon/lat (points.coords: lonlat): "
                                  "an extract's streets are in degrees");
    }
    if (sc->study_instances > 1 && !sc->points_generated)
        return zs_scn_at_mark(p, sc->points_file_at, ZS_EINVAL,
                       "study.instances = %zu needs points.generate (a points file is one instance)",
                       sc->study_instances);
    if (sc->depot_given && sc->lonlat &&
        (fabs(sc->depot[0]) > 180.0 || fabs(sc->depot[1]) > 90.0))
        return zs_scn_at_mark(p, sc->depot_at, ZS_EINVAL, "depot: [lon, lat] out of range (|lon| <= 180, |lat| <= 90)");
    if (zs_efficiency_validate(&sc->eff, &sub) != ZS_OK)
        return zs_scn_at(p, root, ZS_EINVAL, "%s", sub.msg);
    /* Ranges were checked key by key; what is left spans keys. */
    if (!(sc->signing.work_start_h < sc->signing.work_end_h)) {
        const zs_signing *g = &sc->signing;
        return zs_scn_at_mark(p, sc->work_hours_at, ZS_EINVAL,
                       "models.signing.work_end = %02d:%02d; must be after work_start = %02d:%02d",
                       (int)g->work_end_h, (int)lround((g->work_end_h - (int)g->work_end_h) * 60),
                       (int)g->work_start_h, (int)lround((g->work_start_h - (int)g->work_start_h) * 60));
    }
    if (zs_signing_validate(&sc->signing, &sub) != ZS_OK)
        return zs_scn_at(p, root, ZS_EINVAL, "models.%s", sub.msg);
    if (!(sc->demand.pickup_release_end_h > sc->signing.work_start_h)) {
        /* Named at release end, else at the working hours that moved past it. */
        double e = sc->demand.pickup_release_end_h, w = sc->signing.work_start_h;
        return zs_scn_at_mark(p, sc->pickup_release_at.line ? sc->pickup_release_at : sc->work_hours_at,
                       ZS_EINVAL,
                       "demand.pickup_release_end = %02d:%02d; must be after models.signing.work_start = %02d:%02d",
                       (int)e, (int)lround((e - (int)e) * 60), (int)w, (int)lround((w - (int)w) * 60));
    }
    if (zs_waiting_validate(&sc->waiting, &sub) != ZS_OK)
        return zs_scn_at(p, root, ZS_EINVAL, "models.%s", sub.msg);
    if (zs_fleet_validate(&sc->fleet, &sub) != ZS_OK || zs_absence_validate(&sc->absence, &sub) != ZS_OK)
        return zs_scn_at(p, root, ZS_EINVAL, "%s", sub.msg);
    for (size_t i = 0; i < sc->n_plans; i++) {
        zs_plan_spec *pl = &sc->plans[i];
        if (pl->method == ZS_PLAN_MANUAL) {
            if (!pl->file && !sc->col_zone) {
                return zs_scn_at_mark(p, pl->at, ZS_EINPUT, "plans[%zu] '%s': a manual plan needs 'file' or a points.columns.zone column", i, pl->name);
            }
            if (pl->file && access(pl->file, R_OK) != 0) {
                return zs_scn_at_mark(p, pl->file_at, ZS_EINPUT, "plans[%zu].file: cannot read '%s': %s", i, pl->file, strerror(errno));
            }
            if (pl->k) {
                return zs_scn_at_mark(p, pl->k_at, ZS_EINPUT, "plans[%zu].k: a manual plan takes its zones from the file; remove k", i);
            }
        }
    }
    if (!sc->col_win_open != !sc->col_win_close)
        return zs_scn_at_mark(p, sc->points_at, ZS_EINPUT,
                              "points.columns: give both window_open and window_close");
    /* Windows: both ends for a type, open before close. */
    for (int t = 0; t < ZS_PT_COUNT; t++) {
        double o = sc->window_open_h[t], c = sc->window_close_h[t];
        if ((o < 0.0) != (c < 0.0))
            return zs_scn_at_mark(p, sc->windows_at, ZS_EINPUT,
                                  "windows: %s has only an %s time; give windows.open and windows.close",
                                  zs_ptype_name(t), o < 0.0 ? "close" : "open");
        if (o >= 0.0 && !(o < c))
            return zs_scn_at_mark(p, sc->windows_at, ZS_EINVAL,
                                  "windows: %s opens at %02d:%02d, not before it closes (%02d:%02d)",
                                  zs_ptype_name(t), (int)o, (int)lround((o - (int)o) * 60), (int)c,
                                  (int)lround((c - (int)c) * 60));
    }
    /* Spans keys (weekend_off_min against weeks): named at the section. */
    if (sc->staffing_at.line && zs_staffing_opts_validate(&sc->staffing, &sub) != ZS_OK)
        return zs_scn_at_mark(p, sc->staffing_at, ZS_EINVAL, "%s", sub.msg);
    if (sc->service_at.line) {
        /* Desk hours on the half-hour grid of the call model. */
        double o2 = 2.0 * sc->service_open_h, c2 = 2.0 * sc->service_close_h;
        if (fabs(o2 - round(o2)) > 1e-9 || fabs(c2 - round(c2)) > 1e-9 || !(c2 > o2))
            return zs_scn_at_mark(p, sc->service_at, ZS_EINVAL,
                                  "service desk hours %g-%g h: open and close must be whole or half "
                                  "hours, open before close",
                                  sc->service_open_h, sc->service_close_h);
        zs_calls_set_hours(&sc->service.calls, (int)lround(o2), (int)lround(c2));
        if (zs_service_opts_validate(&sc->service, &sub) != ZS_OK)
            return zs_scn_at_mark(p, sc->service_at, ZS_EINVAL, "%s", sub.msg);
    }
    return ZS_OK;
}

static zs_status default_plan(zs_scenario *sc, zs_err *err)
{
    sc->plans = zs_calloc(1, sizeof *sc->plans);
    if (!sc->plans)
        return ZS_NOMEM(err);
    zs_scn_plan_defaults(&sc->plans[0]);
    sc->n_plans = 1;
    if (!(sc->plans[0].name = zs_strdup("kmeans")))
        return ZS_NOMEM(err);
    return ZS_OK;
}

/* Walks the events of text (libyaml's event API, constant memory) and
 * refuses nesting deeper than ZS_SCENARIO_MAX_DEPTH at the node that goes
 * too deep, before the document loader sees it: libyaml's scanner keeps a
 * stack of possible simple keys per flow level and its loader is quadratic
 * on deep nesting (a 200,000-deep list ran for over a minute, issue 22).
 * Syntax errors are left to the loader, which words them. */
static zs_status check_depth(const char *text, size_t len, const char *name, zs_err *err)
{
    yaml_parser_t yp;
    if (!yaml_parser_initialize(&yp))
        return ZS_NOMEM(err);
    yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
    zs_status st = ZS_OK;
    int depth = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&yp, &ev))
            break; /* the loader reports it */
        yaml_event_type_t t = ev.type;
        if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
            if (++depth > ZS_SCENARIO_MAX_DEPTH)
                st = zs_err_at(err, ZS_EINPUT, name, (long)ev.start_mark.line + 1,
                               (long)ev.start_mark.column + 1,
                               "nested deeper than %d lists and mappings; a scenario needs a "
                               "few levels", ZS_SCENARIO_MAX_DEPTH);
        } else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
            depth--;
        }
        yaml_event_delete(&ev);
        if (st != ZS_OK || t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&yp);
    return st;
}

zs_status zs_scenario_parse(const char *text, size_t len, const char *name,
                            const char *base_dir, zs_scenario **out, zs_err *err)
{
    *out = NULL;
    zs_scenario *sc = zs_calloc(1, sizeof *sc);
    if (!sc)
        return ZS_NOMEM(err);
    zs_status st = zs_scn_defaults(sc, err);
    if (st == ZS_OK && (!(sc->path = zs_strdup(name)) || !(sc->text = zs_malloc(len + 1))))
        st = ZS_NOMEM(err);
    if (st != ZS_OK) {
        zs_scenario_free(sc);
        return st;
    }
    memcpy(sc->text, text, len);
    sc->text[len] = '\0';

    yaml_parser_t yp;
    yaml_document_t doc;
    int have_doc = 0;
    if (!yaml_parser_initialize(&yp)) {
        zs_scenario_free(sc);
        return ZS_NOMEM(err);
    }
    yaml_parser_set_input_string(&yp, (const unsigned char *)sc->text, len);
    parser p = {name, base_dir, &doc, err};
    if (memchr(text, '\0', len)) {
        st = zs_err_at(err, ZS_EINPUT, name, 0, 0, "not a text file (contains a NUL byte)");
    } else if (len > ZS_SCENARIO_MAX_BYTES) {
        st = zs_err_set(err, ZS_EINPUT, "%s: larger than %d MiB; not a scenario file", name,
                        ZS_SCENARIO_MAX_BYTES >> 20);
    } else if ((st = check_depth(text, len, name, err)) != ZS_OK) {
        /* err says where */
    } else if (!yaml_parser_load(&yp, &doc)) {
        const char *what = yp.error == YAML_MEMORY_ERROR ? "out of memory" : yp.problem ? yp.problem : "syntax error";
        if (yp.error == YAML_MEMORY_ERROR)
            st = ZS_NOMEM(err);
        else if (yp.context)
            st = zs_err_at(err, ZS_EINPUT, name, (long)yp.problem_mark.line + 1,
                           (long)yp.problem_mark.column + 1, "YAML syntax error: %s %s", yp.context, what);
        else
            st = zs_err_at(err, ZS_EINPUT, name, (long)yp.problem_mark.line + 1,
                           (long)yp.problem_mark.column + 1, "YAML syntax error: %s", what);
    } else {
        have_doc = 1;
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root)
            st = zs_err_at(err, ZS_EINPUT, name, 1, 1, "empty scenario (expected at least a 'points' section)");
        else if ((st = walk_map(&p, root, "", sc, sc, 0)) == ZS_OK) {
            if (sc->n_plans == 0)
                st = default_plan(sc, err);
            if (st == ZS_OK)
                st = validate(&p, sc, root);
        }
    }
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&yp);
    if (st != ZS_OK) {
        zs_scenario_free(sc);
        return st;
    }
    *out = sc;
    return ZS_OK;
}

zs_status zs_scenario_load(const char *path, zs_scenario **out, zs_err *err)
{
    *out = NULL;
    zs_status st0 = zs_file_check_input(path, err);
    if (st0 != ZS_OK)
        return st0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return zs_err_set(err, ZS_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    zs_status st = ZS_OK;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            if (ncap > (size_t)ZS_SCENARIO_MAX_BYTES * 2) {
                st = zs_err_set(err, ZS_EINPUT, "%s: larger than %d MiB; not a scenario file",
                                path, ZS_SCENARIO_MAX_BYTES >> 20);
                break;
            }
            char *nb = zs_realloc(buf, ncap);
            if (!nb) {
                st = ZS_NOMEM(err);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                st = zs_err_set(err, ZS_EIO, "%s: read error: %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (st == ZS_OK) {
        /* Relative input paths are anchored at the scenario's directory. */
        char *dir = zs_strdup(path);
        if (!dir)
            st = ZS_NOMEM(err);
        else {
            char *slash = strrchr(dir, '/');
            if (slash)
                *(slash == dir ? slash + 1 : slash) = '\0';
            else
                strcpy(dir, ".");
            st = zs_scenario_parse(buf, len, path, dir, out, err);
            zs_free(dir);
        }
    }
    zs_free(buf);
    return st;
}

zs_status zs_scenario_parse_staffing(const char *text, size_t len, const char *name,
                                     zs_staffing_opts *out, int *present, zs_err *err)
{
    *present = 0;
    zs_staffing_opts_defaults(out);
    zs_scenario *sc = zs_calloc(1, sizeof *sc);
    if (!sc)
        return ZS_NOMEM(err);
    zs_status st = zs_scn_defaults(sc, err);
    yaml_parser_t yp;
    yaml_document_t doc;
    int have_parser = 0, have_doc = 0;
    if (st == ZS_OK && !(have_parser = yaml_parser_initialize(&yp)))
        st = ZS_NOMEM(err);
    if (st == ZS_OK) {
        yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
        if (memchr(text, '\0', len))
            st = zs_err_at(err, ZS_EINPUT, name, 0, 0, "not a text file (contains a NUL byte)");
        else if ((st = check_depth(text, len, name, err)) != ZS_OK)
            ; /* a scenario text stored in a damaged results file */
        else if (!yaml_parser_load(&yp, &doc))
            st = yp.error == YAML_MEMORY_ERROR
                     ? ZS_NOMEM(err)
                     : zs_err_at(err, ZS_EINPUT, name, (long)yp.problem_mark.line + 1,
                                 (long)yp.problem_mark.column + 1, "YAML syntax error: %s",
                                 yp.problem ? yp.problem : "syntax error");
        else
            have_doc = 1;
    }
    if (st == ZS_OK) {
        parser p = {name, ".", &doc, err};
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        /* Only the staffing section is read: the rest was checked when the
         * scenario ran, and its input files may be elsewhere now. */
        for (yaml_node_pair_t *pr = root && root->type == YAML_MAPPING_NODE ? root->data.mapping.pairs.start : NULL;
             pr && pr < root->data.mapping.pairs.top && st == ZS_OK; pr++) {
            yaml_node_t *kn = yaml_document_get_node(&doc, pr->key);
            yaml_node_t *vn = yaml_document_get_node(&doc, pr->value);
            if (kn->type != YAML_SCALAR_NODE || strcmp(zs_scn_scalar(kn), "staffing"))
                continue;
            if (vn->type != YAML_MAPPING_NODE) {
                st = zs_scn_at(&p, vn, ZS_EINPUT, "staffing: expected a mapping, got %s", zs_scn_node_kind(vn));
                break;
            }
            sc->staffing_at = zs_scn_mark_of(vn);
            st = walk_map(&p, vn, "staffing", sc, sc, 0);
            zs_err sub;
            if (st == ZS_OK && zs_staffing_opts_validate(&sc->staffing, &sub) != ZS_OK)
                st = zs_scn_at_mark(&p, sc->staffing_at, ZS_EINVAL, "%s", sub.msg);
            if (st == ZS_OK) {
                *out = sc->staffing;
                *present = 1;
            }
        }
    }
    if (have_doc)
        yaml_document_delete(&doc);
    if (have_parser)
        yaml_parser_delete(&yp);
    zs_scenario_free(sc);
    return st;
}

void zs_scenario_free(zs_scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n_plans; i++)
        plan_clear(&sc->plans[i]);
    zs_free(sc->plans);
    zs_free(sc->path);
    zs_free(sc->text);
    zs_free(sc->name);
    zs_free(sc->points_file);
    zs_free(sc->col_id);
    zs_free(sc->col_x);
    zs_free(sc->col_y);
    zs_free(sc->col_type);
    zs_free(sc->col_parcels);
    zs_free(sc->col_zone);
    zs_free(sc->col_road);
    zs_free(sc->col_win_open);
    zs_free(sc->col_win_close);
    zs_free(sc->encoding);
    zs_free(sc->filter_col);
    zs_free(sc->filter_value);
    zs_free(sc->output);
    zs_free(sc->barriers.file);
    zs_free(sc->network.osm);
    zs_free(sc->study_output);
    zs_free(sc);
}

double zs_scenario_shift_min(const zs_scenario *sc)
{
    return sc->shift_hours * 60.0;
}

int zs_scenario_plan_vehicle(const zs_scenario *sc, size_t i)
{
    int v = sc->plans[i].vehicle;
    return v == ZS_VEH_INHERIT ? sc->vehicle_type : v;
}

zs_status zs_scenario_apply_roads(const zs_scenario *sc, zs_points *pts, zs_err *err)
{
    if (sc->n_road_areas == 0)
        return ZS_OK;
    if (!pts->road) {
        if (!(pts->road = zs_malloc_array(pts->n ? pts->n : 1, sizeof *pts->road)))
            return ZS_NOMEM(err);
        for (size_t i = 0; i < pts->n; i++)
            pts->road[i] = 1.0;
    }
    for (size_t i = 0; i < pts->n; i++) {
        double x = pts->has_lonlat ? pts->lon[i] : pts->x[i];
        double y = pts->has_lonlat ? pts->lat[i] : pts->y[i];
        for (size_t a = 0; a < sc->n_road_areas; a++) {
            const zs_road_area *r = &sc->road_areas[a];
            if (x >= r->west && x <= r->east && y >= r->south && y <= r->north)
                pts->road[i] *= r->factor;
        }
    }
    return ZS_OK;
}

void zs_scenario_absent_day(const zs_scenario *sc, int64_t day_number, double *couriers,
                            double *share)
{
    *couriers = 0.0;
    *share = 0.0;
    for (size_t e = 0; e < sc->n_disruptions; e++) {
        const zs_disruption *x = &sc->disruptions[e];
        if (x->kind != ZS_DISRUPT_ABSENCE || day_number < x->first_day ||
            day_number >= x->first_day + x->days)
            continue;
        *couriers += x->couriers; /* overlapping absences add up */
        *share += x->share;
    }
    if (*share > 1.0)
        *share = 1.0;
}


zs_status zs_scenario_check_output(const zs_scenario *sc, const char *output, zs_err *err)
{
    enum { WHAT = 320 };
    size_t n = 4 + sc->n_plans;
    zs_file_input *in = zs_calloc(n, sizeof *in);
    char *what = zs_malloc(n * WHAT);
    zs_status st = ZS_OK;
    if (!in || !what) {
        st = ZS_NOMEM(err);
        goto done;
    }
    const char *key[4] = {NULL, "points.file", "barriers.file", "network.osm"};
    const char *path[4] = {sc->path, sc->points_generated ? NULL : sc->points_file,
                           sc->barriers.file, sc->network.osm};
    for (size_t i = 0; i < n; i++) {
        char *w = what + i * WHAT;
        in[i].what = w;
        if (i == 0)
            snprintf(w, WHAT, "the scenario file");
        else if (i < 4)
            snprintf(w, WHAT, "%.256s's %s", sc->path, key[i]);
        else
            snprintf(w, WHAT, "%.256s's plans[%zu].file", sc->path, i - 4);
        in[i].path = i < 4 ? path[i] : sc->plans[i - 4].file;
    }
    st = zs_file_check_clobber(output, in, n, err);
done:
    zs_free(in);
    zs_free(what);
    return st;
}
