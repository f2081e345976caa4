/*
 * engine/network/osm.c -- OpenStreetMap extracts through libreadosm.
 *
 * Two parses: the first reads only relations (water multipolygons name
 * their member ways, and relations come last in a file), the second nodes
 * and ways.  Nodes are kept whole (id, lat, lon: 24 bytes each) and sorted
 * by id when the first way arrives, so ways resolve their references by
 * binary search as they are read.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "network/osm.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readosm.h>
#include <zlib.h>

#include "models/alloc.h"

static const char *const HW_NAMES[ZS_HW_COUNT] = {
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential",
    "living_street", "service", "track", "pedestrian", "footway", "cycleway", "path", "steps"};

const char *zs_hw_name(int cls)
{
    return cls >= 0 && cls < ZS_HW_COUNT ? HW_NAMES[cls] : NULL;
}

int zs_hw_parse(const char *name)
{
    if (!name)
        return -1;
    size_t len = strlen(name);
    if (len > 5 && strcmp(name + len - 5, "_link") == 0)
        len -= 5;
    for (int c = 0; c < ZS_HW_COUNT; c++)
        if (strlen(HW_NAMES[c]) == len && strncmp(HW_NAMES[c], name, len) == 0)
            return c;
    if (strcmp(name, "road") == 0)
        return ZS_HW_UNCLASSIFIED;
    if (strcmp(name, "bridleway") == 0)
        return ZS_HW_PATH;
    return -1;
}

/* ---- the growing arrays of one read ---- */

typedef struct {
    int64_t id;
    double lat, lon;
} node_rec;

typedef struct {
    zs_osm *o;
    node_rec *nodes;
    size_t n_nodes, cap_nodes;
    int sorted;
    size_t cap_refs, cap_ways, cap_bld;
    int64_t *water_members;  /* way ids of water multipolygon members, sorted */
    size_t n_members, cap_members;
    int oom;
} reader;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = zs_realloc(*p, c * size);
    if (!q)
        return 0;
    *p = q;
    *cap = c;
    return 1;
}

static const char *tag(int n, const readosm_tag *t, const char *key)
{
    for (int i = 0; i < n; i++)
        if (t[i].key && strcmp(t[i].key, key) == 0)
            return t[i].value ? t[i].value : "";
    return NULL;
}

static int is_one_of(const char *v, const char *const *list)
{
    if (!v)
        return 0;
    for (; *list; list++)
        if (strcmp(v, *list) == 0)
            return 1;
    return 0;
}

static int cmp_node(const void *a, const void *b)
{
    int64_t x = ((const node_rec *)a)->id, y = ((const node_rec *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static long find_node(const reader *r, int64_t id)
{
    size_t lo = 0, hi = r->n_nodes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->nodes[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->n_nodes && r->nodes[lo].id == id ? (long)lo : -1;
}

static int on_relation(const void *user, const readosm_relation *rel)
{
    reader *r = (reader *)user;
    const char *type = tag(rel->tag_count, rel->tags, "type");
    if (!type || strcmp(type, "multipolygon") != 0)
        return READOSM_OK;
    const char *nat = tag(rel->tag_count, rel->tags, "natural");
    const char *ww = tag(rel->tag_count, rel->tags, "waterway");
    static const char *const water_ww[] = {"riverbank", "dock", NULL};
    if (!(nat && strcmp(nat, "water") == 0) && !is_one_of(ww, water_ww))
        return READOSM_OK;
    for (int i = 0; i < rel->member_count; i++) {
        if (rel->members[i].member_type != READOSM_MEMBER_WAY)
            continue;
        if (!grow((void **)&r->water_members, &r->cap_members, r->n_members + 1,
                  sizeof(int64_t))) {
            r->oom = 1;
            return READOSM_ABORT;
        }
        r->water_members[r->n_members++] = rel->members[i].id;
    }
    return READOSM_OK;
}

static int on_node(const void *user, const readosm_node *nd)
{
    reader *r = (reader *)user;
    if (!grow((void **)&r->nodes, &r->cap_nodes, r->n_nodes + 1, sizeof(node_rec))) {
        r->oom = 1;
        return READOSM_ABORT;
    }
    r->nodes[r->n_nodes++] = (node_rec){nd->id, nd->latitude, nd->longitude};
    r->sorted = 0;
    return READOSM_OK;
}

static void sort_nodes(reader *r)
{
    if (r->sorted)
        return;
    qsort(r->nodes, r->n_nodes, sizeof *r->nodes, cmp_node);
    /* Duplicate ids (a merged extract): keep the first. */
    size_t w = 0;
    for (size_t i = 0; i < r->n_nodes; i++)
        if (w == 0 || r->nodes[i].id != r->nodes[w - 1].id)
            r->nodes[w++] = r->nodes[i];
    r->n_nodes = w;
    r->sorted = 1;
}

/* The point type a building's tags suggest, or NULL when it is not a
 * place parcels go to (garages, sheds, churches, roofs ...). */
static const char *building_type(int n, const readosm_tag *t)
{
    const char *b = tag(n, t, "building"), *am = tag(n, t, "amenity");
    static const char *const school[] = {"school", "university", "college", "kindergarten", NULL};
    static const char *const hosp[] = {"hospital", "clinic", "doctors", NULL};
    static const char *const inst[] = {"townhall", "police", "fire_station", "courthouse",
                                       "public_building", "post_office", "library", NULL};
    static const char *const skip[] = {"garage", "garages", "shed", "roof", "hut", "carport",
                                       "church", "chapel", "cathedral", "greenhouse", "barn",
                                       "cowshed", "stable", "transformer_tower", "bunker",
                                       "ruins", "construction", "no", "service", NULL};
    if (is_one_of(am, school) || is_one_of(b, school))
        return "school";
    if (is_one_of(am, hosp) || is_one_of(b, hosp))
        return "hospital";
    if (is_one_of(am, inst))
        return "institution";
    if (b && strcmp(b, "military") == 0)
        return "military";
    if (tag(n, t, "shop") || (b && (strcmp(b, "retail") == 0 || strcmp(b, "supermarket") == 0 ||
                                    strcmp(b, "kiosk") == 0)))
        return "shop";
    if (tag(n, t, "office") || (b && (strcmp(b, "office") == 0 || strcmp(b, "commercial") == 0)))
        return "office";
    static const char *const fact[] = {"industrial", "warehouse", "factory", "manufacture", NULL};
    if (is_one_of(b, fact))
        return "factory";
    static const char *const gov[] = {"government", "public", "civic", "train_station", NULL};
    if (is_one_of(b, gov))
        return "institution";
    if (!b || is_one_of(b, skip))
        return NULL;
    return "residential";
}

/* Appends one way (nodes[0..k) already resolved) of the given kind. */
static int add_way(reader *r, const readosm_way *w, const uint32_t *idx, uint32_t k, int kind,
                   int cls, int oneway, int flags)
{
    zs_osm *o = r->o;
    if (k < 2)
        return 1;
    if (!grow((void **)&o->refs, &r->cap_refs, o->n_refs + k, sizeof(uint32_t)) ||
        !grow((void **)&o->ways, &r->cap_ways, o->n_ways + 1, sizeof(zs_osm_way)))
        return 0;
    memcpy(o->refs + o->n_refs, idx, k * sizeof *idx);
    o->ways[o->n_ways++] = (zs_osm_way){w->id, (uint32_t)o->n_refs, k, (uint8_t)kind,
                                        (uint8_t)cls, (int8_t)oneway, (uint8_t)flags};
    o->n_refs += k;
    return 1;
}

static int road_attrs(const readosm_way *w, int *cls, int *oneway, int *flags)
{
    int n = w->tag_count;
    const readosm_tag *t = w->tags;
    *cls = zs_hw_parse(tag(n, t, "highway"));
    if (*cls < 0)
        return 0;
    const char *area = tag(n, t, "area");
    if (area && strcmp(area, "yes") == 0)
        return 0;
    static const char *const no[] = {"no", "private", NULL};
    static const char *const yes[] = {"yes", "designated", "permissive", "destination", NULL};
    int f = 0;
    if (is_one_of(tag(n, t, "access"), no) || is_one_of(tag(n, t, "motor_vehicle"), no) ||
        is_one_of(tag(n, t, "motorcar"), no) || is_one_of(tag(n, t, "vehicle"), no))
        f |= ZS_ACC_NO_MOTOR;
    const char *foot = tag(n, t, "foot");
    if (is_one_of(foot, no))
        f |= ZS_ACC_NO_FOOT;
    else if (is_one_of(foot, yes))
        f |= ZS_ACC_FOOT_YES;
    if (is_one_of(tag(n, t, "bicycle"), no))
        f |= ZS_ACC_NO_BIKE;
    const char *br = tag(n, t, "bridge"), *tu = tag(n, t, "tunnel");
    if (br && strcmp(br, "no") != 0)
        f |= ZS_ACC_BRIDGE;
    if (tu && strcmp(tu, "no") != 0 && strcmp(tu, "building_passage") != 0)
        f |= ZS_ACC_TUNNEL;
    const char *ow = tag(n, t, "oneway"), *junc = tag(n, t, "junction");
    *oneway = 0;
    if (ow && (strcmp(ow, "yes") == 0 || strcmp(ow, "true") == 0 || strcmp(ow, "1") == 0))
        *oneway = 1;
    else if (ow && strcmp(ow, "-1") == 0)
        *oneway = -1;
    else if (!ow && ((junc && strcmp(junc, "roundabout") == 0) || *cls == ZS_HW_MOTORWAY))
        *oneway = 1;
    *flags = f;
    return 1;
}

/* The barrier kind of a non-road way, or -1. */
static int barrier_kind(const reader *r, const readosm_way *w)
{
    int n = w->tag_count;
    const readosm_tag *t = w->tags;
    static const char *const ww[] = {"river", "canal", "riverbank", "dock", NULL};
    static const char *const lu[] = {"reservoir", "basin", NULL};
    static const char *const rail[] = {"rail", "light_rail", "narrow_gauge", NULL};
    const char *nat = tag(n, t, "natural");
    if (nat && strcmp(nat, "coastline") == 0)
        return ZS_WAY_COAST;
    if (is_one_of(tag(n, t, "waterway"), ww) || (nat && strcmp(nat, "water") == 0) ||
        is_one_of(tag(n, t, "landuse"), lu))
        return ZS_WAY_WATER;
    if (is_one_of(tag(n, t, "railway"), rail)) {
        /* A yard's sidings, spurs and crossovers are no zone edge: they
         * fan out and end among the buildings of a goods yard or a plant
         * (Baltimore: zones round a siding's end counted as across the
         * rail); the running lines they leave are. */
        static const char *const yard[] = {"siding", "yard", "spur", "crossover", NULL};
        const char *tu = tag(n, t, "tunnel");
        if ((tu && strcmp(tu, "no") != 0) || is_one_of(tag(n, t, "service"), yard))
            return -1;
        return ZS_WAY_RAIL;
    }
    if (r->n_members && bsearch(&w->id, r->water_members, r->n_members, sizeof(int64_t),
                                cmp_i64))
        return ZS_WAY_WATER;
    return -1;
}

static int on_way(const void *user, const readosm_way *w)
{
    reader *r = (reader *)user;
    zs_osm *o = r->o;
    sort_nodes(r);
    int cls = -1, oneway = 0, flags = 0, kind;
    const char *btype = NULL;
    if (road_attrs(w, &cls, &oneway, &flags))
        kind = ZS_WAY_ROAD;
    else if ((kind = barrier_kind(r, w)) < 0 &&
             !(btype = building_type(w->tag_count, w->tags)))
        return READOSM_OK;
    uint32_t *idx = zs_malloc_array(w->node_ref_count ? (size_t)w->node_ref_count : 1,
                                    sizeof *idx);
    if (!idx) {
        r->oom = 1;
        return READOSM_ABORT;
    }
    uint32_t k = 0;
    double slat = 0.0, slon = 0.0;
    int ok = 1;
    for (int i = 0; i < w->node_ref_count && ok; i++) {
        long at = find_node(r, w->node_refs[i]);
        if (at < 0) {
            /* Clipped at the extract's edge: the way breaks here. */
            o->missing_refs++;
            if (!btype)
                ok = add_way(r, w, idx, k, kind, cls, oneway, flags);
            k = 0;
            continue;
        }
        idx[k++] = (uint32_t)at;
        slat += r->nodes[at].lat;
        slon += r->nodes[at].lon;
    }
    if (ok && btype) {
        /* A closed outline repeats its first node: leave it out of the mean. */
        if (k > 1 && idx[0] == idx[k - 1]) {
            slat -= r->nodes[idx[0]].lat;
            slon -= r->nodes[idx[0]].lon;
            k--;
        }
        if (k > 0) {
            ok = grow((void **)&o->buildings, &r->cap_bld, o->n_buildings + 1,
                      sizeof(zs_osm_building));
            if (ok) {
                zs_osm_building *b = &o->buildings[o->n_buildings++];
                b->lat = slat / k;
                b->lon = slon / k;
                snprintf(b->type, sizeof b->type, "%s", btype);
            }
        }
    } else if (ok) {
        ok = add_way(r, w, idx, k, kind, cls, oneway, flags);
    }
    free(idx);
    if (!ok) {
        r->oom = 1;
        return READOSM_ABORT;
    }
    return READOSM_OK;
}

/* ---- files ---- */

static const char *readosm_reason(int rc)
{
    switch (rc) {
    case READOSM_FILE_NOT_FOUND: return "cannot open the file";
    case READOSM_INSUFFICIENT_MEMORY: return "out of memory";
    case READOSM_READ_ERROR: return "read error (truncated or damaged file?)";
    case READOSM_XML_ERROR: return "not well-formed OSM XML";
    case READOSM_INVALID_PBF_HEADER: return "invalid PBF header (damaged file?)";
    case READOSM_UNZIP_ERROR: return "a PBF block does not inflate (truncated or damaged file?)";
    default: return "readosm failed";
    }
}

/* Copies the gzip file src into dst (a .osm path); 0 on success, else
 * sets err. */
static zs_status inflate_to(const char *src, const char *dst, zs_err *err)
{
    gzFile in = gzopen(src, "rb");
    if (!in)
        return zs_err_set(err, ZS_EINPUT, "%s: cannot open: %s", src, strerror(errno));
    FILE *out = fopen(dst, "wb");
    if (!out) {
        gzclose(in);
        return zs_err_set(err, ZS_EIO, "%s: cannot write a temporary file: %s", dst,
                          strerror(errno));
    }
    char buf[1 << 16];
    int n;
    zs_status st = ZS_OK;
    while ((n = gzread(in, buf, sizeof buf)) > 0)
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
            st = zs_err_set(err, ZS_EIO, "%s: write failed: %s", dst, strerror(errno));
            break;
        }
    if (st == ZS_OK && n < 0) {
        int zerr;
        const char *msg = gzerror(in, &zerr);
        st = zs_err_set(err, ZS_EINPUT, "%s: gzip data is damaged or truncated (%s)", src, msg);
    }
    if (st == ZS_OK && !gzeof(in))
        st = zs_err_set(err, ZS_EINPUT, "%s: gzip data is truncated", src);
    gzclose(in);
    if (fclose(out) != 0 && st == ZS_OK)
        st = zs_err_set(err, ZS_EIO, "%s: write failed: %s", dst, strerror(errno));
    return st;
}

typedef enum { F_PBF, F_XML, F_GZIP, F_OTHER } file_kind;

static file_kind sniff(const unsigned char *b, size_t n)
{
    if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
        return F_GZIP;
    /* PBF: a 4-byte big-endian header length, then a BlobHeader whose first
     * field (tag 0x0a) is the type string "OSMHeader". */
    if (n >= 15 && b[4] == 0x0a && memcmp(b + 6, "OSMHeader", 9) == 0)
        return F_PBF;
    size_t i = 0;
    if (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
        i = 3;
    while (i < n && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t'))
        i++;
    if (i + 5 <= n && (memcmp(b + i, "<?xml", 5) == 0 || memcmp(b + i, "<osm", 4) == 0))
        return F_XML;
    return F_OTHER;
}

/* ---- a check of the XML before libreadosm reads it --------------------
 * libreadosm 1.1 calls strlen() on a missing attribute of <tag> (k, v) and
 * of <member> (role): a file with <tag k='x'/> crashes it (found by the
 * fuzz campaign, tests/fuzz/regress/osm/).  This pass refuses such an
 * element before readosm sees the file.  It follows start tags only,
 * skipping comments, CDATA, processing instructions and end tags like
 * expat does; where it cannot follow a start tag the file is malformed
 * there, expat stops at or before that point, and the rest is left to it.
 * A DOCTYPE with an internal subset is refused: its entities could expand
 * to elements this pass does not see (no OSM file has one). */
typedef struct {
    FILE *f;
    long line, col;
} xscan;

static int xs_get(xscan *s)
{
    int ch = getc(s->f);
    if (ch == '\n') {
        s->line++;
        s->col = 0;
    } else if (ch != EOF) {
        s->col++;
    }
    return ch;
}

static int xs_ws(int ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

/* Reads up to and including end (at most 3 characters); 0 at EOF. */
static int xs_skip_to(xscan *s, const char *end)
{
    size_t n = strlen(end);
    char w[4] = {0};
    for (;;) {
        int ch = xs_get(s);
        if (ch == EOF)
            return 0;
        memmove(w, w + 1, 2);
        w[2] = (char)ch;
        if (memcmp(w + 3 - n, end, n) == 0)
            return 1;
    }
}

/* After "<!": a comment, CDATA or a declaration.  1 skipped, 0 EOF, -1 a
 * DOCTYPE with an internal subset. */
static int xs_bang(xscan *s)
{
    int ch = xs_get(s);
    if (ch == '-')
        return xs_get(s) == '-' ? xs_skip_to(s, "-->") : 1;
    if (ch == '[')
        return xs_skip_to(s, "]]>");
    int quote = 0;
    for (; ch != EOF; ch = xs_get(s)) {
        if (quote) {
            if (ch == quote)
                quote = 0;
        } else if (ch == '"' || ch == '\'') {
            quote = ch;
        } else if (ch == '[') {
            return -1;
        } else if (ch == '>') {
            return 1;
        }
    }
    return 0;
}

/* Reads a name starting with ch into buf (size len; "" when longer: not
 * a name this pass looks for); returns the character after it. */
static int xs_name(xscan *s, int ch, char *buf, size_t len)
{
    size_t n = 0;
    int too_long = 0;
    for (; ch != EOF && !xs_ws(ch) && ch != '=' && ch != '/' && ch != '>'; ch = xs_get(s)) {
        if (n < len - 1)
            buf[n++] = (char)ch;
        else
            too_long = 1;
    }
    buf[too_long ? 0 : n] = '\0';
    return ch;
}

/* Reads one start tag after '<' and its name's first character ch.  Sets
 * *bad to the missing attribute of a <tag> or <member>.  1 read, 0 the
 * file ends or the tag is malformed (expat's to report). */
static int xs_start_tag(xscan *s, int ch, const char **bad)
{
    char name[8], an[8];
    ch = xs_name(s, ch, name, sizeof name);
    int is_tag = strcmp(name, "tag") == 0, is_member = strcmp(name, "member") == 0;
    int has_k = 0, has_v = 0, has_role = 0;
    for (;;) {
        while (xs_ws(ch))
            ch = xs_get(s);
        if (ch == '>' || ch == '/')
            break;
        if (ch == EOF)
            return 0;
        ch = xs_name(s, ch, an, sizeof an);
        while (xs_ws(ch))
            ch = xs_get(s);
        if (ch != '=')
            return 0;
        while (xs_ws(ch = xs_get(s)))
            ;
        if (ch != '"' && ch != '\'')
            return 0;
        int q = ch;
        while ((ch = xs_get(s)) != q)
            if (ch == EOF)
                return 0;
        has_k |= strcmp(an, "k") == 0;
        has_v |= strcmp(an, "v") == 0;
        has_role |= strcmp(an, "role") == 0;
        ch = xs_get(s);
    }
    if (is_tag && (!has_k || !has_v))
        *bad = has_k ? "<tag> without a v attribute" : "<tag> without a k attribute";
    else if (is_member && !has_role)
        *bad = "<member> without a role attribute";
    return 1;
}

/* The check of the XML file at path (shown as shown in messages). */
static zs_status xml_check(const char *path, const char *shown, zs_err *err)
{
    xscan s = {fopen(path, "rb"), 1, 0};
    if (!s.f)
        return zs_err_set(err, ZS_EINPUT, "%s: cannot open: %s", shown, strerror(errno));
    zs_status st = ZS_OK;
    int ch;
    while (st == ZS_OK && (ch = xs_get(&s)) != EOF) {
        if (ch != '<')
            continue;
        long line = s.line, col = s.col;
        const char *bad = NULL;
        int r;
        ch = xs_get(&s);
        if (ch == '!')
            r = xs_bang(&s);
        else if (ch == '?')
            r = xs_skip_to(&s, "?>");
        else if (ch == '/')
            r = xs_skip_to(&s, ">");
        else
            r = xs_start_tag(&s, ch, &bad);
        if (r < 0)
            st = zs_err_at(err, ZS_EINPUT, shown, line, col,
                           "a DOCTYPE with an internal subset: not an OpenStreetMap extract");
        else if (bad)
            st = zs_err_at(err, ZS_EINPUT, shown, line, col,
                           "%s: not valid OpenStreetMap XML (libreadosm cannot read it)", bad);
        else if (r == 0)
            break;
    }
    fclose(s.f);
    return st;
}

static zs_status parse_file(const char *osm_path, const char *shown, reader *r, zs_err *err)
{
    /* Pass 1: relations only. */
    for (int pass = 0; pass < 2; pass++) {
        const void *h = NULL;
        int rc = readosm_open(osm_path, &h);
        if (rc == READOSM_OK)
            rc = pass == 0 ? readosm_parse(h, r, NULL, NULL, on_relation)
                           : readosm_parse(h, r, on_node, on_way, NULL);
        readosm_close(h);
        if (r->oom)
            return ZS_NOMEM(err);
        if (rc != READOSM_OK)
            return zs_err_set(err, ZS_EINPUT, "%s: not a readable OpenStreetMap extract: %s",
                              shown, readosm_reason(rc));
        if (pass == 0 && r->n_members) {
            qsort(r->water_members, r->n_members, sizeof(int64_t), cmp_i64);
        }
    }
    return ZS_OK;
}

zs_status zs_osm_load(const char *path, zs_osm **out, zs_err *err)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return zs_err_set(err, ZS_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return zs_err_set(err, ZS_EINPUT, "%s: is a directory, not an OpenStreetMap file", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return zs_err_set(err, ZS_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    unsigned char head[64];
    size_t nh = fread(head, 1, sizeof head, f);
    fclose(f);
    file_kind kind = sniff(head, nh);
    if (kind == F_OTHER)
        return zs_err_set(err, ZS_EINPUT,
                          "%s: not an OpenStreetMap file (expected .osm.pbf, .osm XML or "
                          "gzipped .osm XML)", path);
    /* readosm wants the suffix: give it a name that has one. */
    char dir[] = "/tmp/zonesim-osm-XXXXXX";
    if (!mkdtemp(dir))
        return zs_err_set(err, ZS_EIO, "cannot create a temporary folder: %s", strerror(errno));
    char tmp[sizeof dir + 16];
    snprintf(tmp, sizeof tmp, "%s/x.%s", dir, kind == F_PBF ? "pbf" : "osm");
    zs_status st = ZS_OK;
    if (kind == F_GZIP) {
        st = inflate_to(path, tmp, err);
        if (st == ZS_OK) {
            FILE *g = fopen(tmp, "rb");
            nh = g ? fread(head, 1, sizeof head, g) : 0;
            if (g)
                fclose(g);
            if (sniff(head, nh) != F_XML)
                st = zs_err_set(err, ZS_EINPUT,
                                "%s: gzip file does not hold OpenStreetMap XML", path);
        }
    } else {
        char *abs = realpath(path, NULL);
        if (!abs || symlink(abs, tmp) != 0)
            st = zs_err_set(err, ZS_EIO, "%s: cannot link a temporary name: %s", path,
                            strerror(errno));
        free(abs);
    }
    reader r = {0};
    if (st == ZS_OK && !(r.o = zs_calloc(1, sizeof *r.o)))
        st = ZS_NOMEM(err);
    if (st == ZS_OK && kind != F_PBF)
        st = xml_check(tmp, path, err);
    if (st == ZS_OK)
        st = parse_file(tmp, path, &r, err);
    unlink(tmp);
    rmdir(dir);
    free(r.water_members);
    if (st == ZS_OK) {
        sort_nodes(&r);
        if (r.o->n_ways == 0)
            st = zs_err_set(err, ZS_EINPUT,
                            "%s: no streets, water or railways in this extract (%zu nodes)", path,
                            r.n_nodes);
    }
    if (st != ZS_OK) {
        free(r.nodes);
        zs_osm_free(r.o);
        return st;
    }
    zs_osm *o = r.o;
    o->n_nodes = r.n_nodes;
    o->node_id = zs_malloc_array(r.n_nodes, sizeof *o->node_id);
    o->lat = zs_malloc_array(r.n_nodes, sizeof *o->lat);
    o->lon = zs_malloc_array(r.n_nodes, sizeof *o->lon);
    if (!o->node_id || !o->lat || !o->lon) {
        free(r.nodes);
        zs_osm_free(o);
        return ZS_NOMEM(err);
    }
    for (size_t i = 0; i < r.n_nodes; i++) {
        o->node_id[i] = r.nodes[i].id;
        o->lat[i] = r.nodes[i].lat;
        o->lon[i] = r.nodes[i].lon;
    }
    free(r.nodes);
    o->min_lat = o->min_lon = HUGE_VAL;
    o->max_lat = o->max_lon = -HUGE_VAL;
    for (size_t k = 0; k < o->n_refs; k++) {
        uint32_t i = o->refs[k];
        if (o->lat[i] < o->min_lat) o->min_lat = o->lat[i];
        if (o->lat[i] > o->max_lat) o->max_lat = o->lat[i];
        if (o->lon[i] < o->min_lon) o->min_lon = o->lon[i];
        if (o->lon[i] > o->max_lon) o->max_lon = o->lon[i];
    }
    *out = o;
    return ZS_OK;
}

void zs_osm_free(zs_osm *o)
{
    if (!o)
        return;
    free(o->node_id);
    free(o->lat);
    free(o->lon);
    free(o->refs);
    free(o->ways);
    free(o->buildings);
    free(o);
}
