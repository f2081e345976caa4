/* Tests of plan shape (engine/partition/shape.c) on hand-made graphs:
 * pieces and strays, a pocket's zone one piece over its bridge (and in
 * pieces without it), a bridged crossing counted apart from a crossing of
 * another barrier, the way round a barrier's end (a line that stops inside
 * the points) against a wall the zone cannot go round, and bad bridges. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "network/adjacency.h"
#include "network/barriers.h"
#include "partition/partition.h"
#include "partition/shape.h"
#include "partition/zones.h"
#include "check.h"

#define SIDE 12
#define N (SIDE * SIDE)

static double gx[N], gy[N];

/* A SIDE x SIDE grid 100 m apart (a hair of skew keeps Delaunay unique). */
static void grid(void)
{
    for (int r = 0; r < SIDE; r++)
        for (int c = 0; c < SIDE; c++) {
            gx[r * SIDE + c] = c * 100.0 + r * 1e-3;
            gy[r * SIDE + c] = r * 100.0;
        }
}

/* The grid's graph cut by the segments seg[0 .. 4 ns). */
static zs_adjacency *graph_cut(const double *seg, size_t ns, zs_barriers **b)
{
    zs_err err;
    *b = NULL;
    if (ns && zs_barriers_from_segments(seg, NULL, ns, b, &err) != ZS_OK) {
        printf("barriers: %s\n", err.msg);
        exit(1);
    }
    zs_adjacency_opts ao;
    zs_adjacency_opts_defaults(&ao);
    ao.barriers = *b;
    zs_adjacency *g = NULL;
    if (zs_adjacency_build(gx, gy, N, &ao, &g, &err) != ZS_OK) {
        printf("adjacency: %s\n", err.msg);
        exit(1);
    }
    return g;
}

/* A plan of k zones from zone(i). */
static zs_partition *plan(size_t k, int32_t (*zone)(size_t i))
{
    zs_partition *p = zs_partition_alloc(N, k, NULL);
    if (!p)
        exit(1);
    for (size_t i = 0; i < N; i++)
        p->zone[i] = zone(i);
    return p;
}

/* Barrier edges of g with one end left of x = at and one right of it. */
static size_t cut_across(const zs_adjacency *g, double at)
{
    size_t m = 0;
    for (size_t c = 0; c < g->n_barrier; c++)
        m += (gx[g->cut[2 * c]] < at) != (gx[g->cut[2 * c + 1]] < at);
    return m;
}

static zs_plan_shape *shape_of(const zs_partition *p, const zs_adjacency *g, zs_status *st,
                               zs_err *err)
{
    zs_plan_shape *s = NULL;
    *st = zs_plan_shape_create(p, gx, gy, g, &s, err);
    return s;
}

static int32_t all_one(size_t i)
{
    (void)i;
    return 0;
}

static int32_t halves(size_t i)
{
    return (i % SIDE) < SIDE / 2 ? 0 : 1;
}

/* zone 1 the top row, zone 0 the rest */
static int32_t top_row(size_t i)
{
    return i / SIDE == SIDE - 1;
}

/* The ring round the 2 x 2 points of rows and columns 2-3 (26, 27, 38,
 * 39): a pocket. */
static const double ring[] = {150, 150, 350, 150, 350, 150, 350, 350,
                              350, 350, 150, 350, 150, 350, 150, 150};

static void test_bridge(void)
{
    zs_err err;
    zs_status st;
    zs_barriers *b;
    zs_adjacency *g = graph_cut(ring, 4, &b);
    CHECK(g->n_parts == 2 && g->n_barrier > 0, "the ring leaves a pocket (%zu parts, %zu "
          "barrier edges)", g->n_parts, g->n_barrier);
    /* one zone over the whole grid: the pocket is a second piece and its
     * edges to the rest cross the ring */
    zs_partition *p = plan(1, all_one);
    zs_plan_shape *s = shape_of(p, g, &st, &err);
    size_t into = 0; /* barrier edges with one end in the pocket */
    for (size_t c = 0; c < g->n_barrier; c++)
        into += (g->part[g->cut[2 * c]] != g->part[g->cut[2 * c + 1]]);
    CHECK(st == ZS_OK && s->zones_one_piece == 0 && s->pieces == 2 && s->strays == 4 &&
              s->barrier_zones == 1 && s->bridged_zones == 0,
          "without a bridge: 2 pieces, 4 strays, across the ring");
    CHECK(st == ZS_OK && s->barrier_edges == into && into + 1 == g->n_barrier,
          "... on its %zu edges into the pocket; the edge that grazes the ring's corner, both "
          "ends outside, goes round (%zu counted)", into, st == ZS_OK ? s->barrier_edges : 0);
    zs_plan_shape_free(s);
    /* the pocket's bridge: point 26 (inside) to 14 (below it, outside) */
    uint32_t br[2] = {26, 14};
    p->territory.bridges = 1;
    p->territory.bridge = zs_malloc_array(2, sizeof *br);
    memcpy(p->territory.bridge, br, sizeof br);
    s = shape_of(p, g, &st, &err);
    CHECK(st == ZS_OK && s->zones_one_piece == 1 && s->pieces == 1 && s->strays == 0,
          "over its bridge the zone is one piece");
    CHECK(st == ZS_OK && s->barrier_zones == 0 && s->barrier_edges == 0 && s->bridged_zones == 1,
          "... and the ring's edges are its planned crossing: bridged 1, across 0 (%zu edges)",
          st == ZS_OK ? s->barrier_edges : 0);
    zs_plan_shape_free(s);
    zs_partition_free(p);
    p = plan(2, halves);
    p->territory.bridges = 1;
    p->territory.bridge = zs_malloc_array(2, sizeof *br);
    p->territory.bridge[0] = 26;
    p->territory.bridge[1] = 14;
    s = shape_of(p, g, &st, &err);
    CHECK(st == ZS_OK && s->bridged_zones == 1 && s->zones_one_piece == 2 && s->barrier_zones == 0,
          "two halves, the pocket in the left one: both one piece, none across");
    zs_plan_shape_free(s);
    /* a bridge naming a point beyond the plan is refused */
    p->territory.bridge[1] = N + 5;
    s = shape_of(p, g, &st, &err);
    CHECK(st == ZS_EINVAL && !s, "a bridge to point %d of %d is refused", N + 5, N);
    CHECK_CONTAINS(err.msg, "bridge 0 joins point 26 and 149", "... naming the bridge");
    zs_partition_free(p);
    zs_adjacency_free(g);
    zs_barriers_free(b);
}

/* A bridge does not excuse a crossing of another barrier in its zone. */
static void test_bridge_and_wall(void)
{
    zs_err err;
    zs_status st;
    /* the ring, and a wall right across the grid between columns 8 and 9 */
    double seg[20];
    memcpy(seg, ring, sizeof ring);
    const double wall[] = {850, -100, 850, 1300};
    memcpy(seg + 16, wall, sizeof wall);
    zs_barriers *b;
    zs_adjacency *g = graph_cut(seg, 5, &b);
    CHECK(g->n_parts == 3, "ring and wall: 3 parts (%zu)", g->n_parts);
    zs_partition *p = plan(1, all_one);
    p->territory.bridges = 1;
    p->territory.bridge = zs_malloc_array(2, sizeof *p->territory.bridge);
    p->territory.bridge[0] = 26;
    p->territory.bridge[1] = 14;
    zs_plan_shape *s = shape_of(p, g, &st, &err);
    size_t wall_edges = cut_across(g, 850);
    CHECK(st == ZS_OK && s->bridged_zones == 1 && s->barrier_zones == 1 && wall_edges >= SIDE &&
              s->barrier_edges == wall_edges,
          "the zone across the wall is counted across: its %zu edges, not the ring's (%zu)",
          wall_edges, st == ZS_OK ? s->barrier_edges : 0);
    CHECK(st == ZS_OK && s->zones_one_piece == 0,
          "... and in pieces: nothing joins the two sides of the wall");
    zs_plan_shape_free(s);
    zs_partition_free(p);
    zs_adjacency_free(g);
    zs_barriers_free(b);
}

/* A line from the bottom edge that stops at y = 1000 (row 10 of 0..11):
 * one graph part, the rows above go round its end. */
static void test_way_round(void)
{
    zs_err err;
    zs_status st;
    const double stream[] = {550, -100, 550, 950};
    zs_barriers *b;
    zs_adjacency *g = graph_cut(stream, 1, &b);
    CHECK(g->n_parts == 1 && g->n_barrier >= 10,
          "the stream cuts %zu edges and leaves one part", g->n_barrier);
    zs_partition *p = plan(1, all_one);
    zs_plan_shape *s = shape_of(p, g, &st, &err);
    /* each row's edge across is 100 m: its way round may be 3 x 100 m or
     * 100 m + ZS_SHAPE_DETOUR_M (1 km): the rows up to about 450 m below
     * the end go round it (up, across, down; every point of the path
     * inside the ellipse), the rows farther down do not */
    CHECK(st == ZS_OK && s->zones_one_piece == 1 && s->barrier_zones == 1 && s->barrier_alone == 1,
          "one zone over both banks: one piece, across the stream, the only zone of its part");
    CHECK(st == ZS_OK && s->barrier_edges > 0 && s->barrier_edges < g->n_barrier,
          "the edges near the stream's end go round it (%zu of %zu counted)",
          st == ZS_OK ? s->barrier_edges : 0, g->n_barrier);
    zs_plan_shape_free(s);
    uint32_t seen[N] = {0}, queue[N];
    int32_t one[N] = {0};
    uint32_t stamp = 0;
    for (int r = 0; r <= 9; r++) {
        uint32_t ea = (uint32_t)(r * SIDE + 5), eb = ea + 1; /* x = 500 and 600 */
        int round = zs_shape_way_round(g->start, g->nbr, NULL, NULL, gx, gy, one, ea, eb, seen,
                                       ++stamp, queue);
        /* the corner (500 or 600, 1000) on the path: its distances to a and
         * b sum to h + sqrt(h^2 + 100^2), h = 1000 - 100 r */
        double h = 1000.0 - 100.0 * r, sum = h + hypot(h, 100.0);
        CHECK(round == (sum <= 100.0 + ZS_SHAPE_DETOUR_M),
              "row %d, %.0f m below the end: %s", r, h - 50, round ? "a way round" : "across");
    }
    zs_partition *q = plan(2, top_row);
    zs_plan_shape *sq = shape_of(q, g, &st, &err);
    CHECK(st == ZS_OK && sq->barrier_zones == 1 && sq->barrier_alone == 0,
          "a zone across the stream beside another zone of its part is not alone there");
    zs_plan_shape_free(sq);
    zs_partition_free(q);
    int32_t split[N];
    for (size_t i = 0; i < N; i++)
        split[i] = i / SIDE >= 10; /* another zone holds the rows round the end */
    CHECK(!zs_shape_way_round(g->start, g->nbr, NULL, NULL, gx, gy, split, 9 * SIDE + 5,
                              9 * SIDE + 6, seen, ++stamp, queue),
          "the way round runs through the zone's own points: none where another zone holds it");
    /* the zone stops at the end: rows 0-9 split by the stream, the top
     * rows all in zone 0 */
    zs_partition_free(p);
    p = plan(2, halves);
    s = shape_of(p, g, &st, &err);
    CHECK(st == ZS_OK && s->barrier_zones == 0 && s->zones_one_piece == 2,
          "split along the stream: two zones, none across");
    zs_plan_shape_free(s);
    zs_partition_free(p);
    zs_adjacency_free(g);
    zs_barriers_free(b);
}

int main(void)
{
    grid();
    test_bridge();
    test_bridge_and_wall();
    test_way_round();
    printf("%d passed, %d failed\n", zs_t_pass, zs_t_fail);
    return zs_test_done();
}
