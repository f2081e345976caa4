/*
 * engine/cli/cli_export.c -- `zonesim export`: maps of one plan of a results
 * file, as GeoJSON for GIS tools and web maps and as an SVG picture.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "input/files.h"
#include "maps/export.h"
#include "models/alloc.h"
#include "results/h5out.h"

static const char help[] =
    "usage: zonesim export RESULTS.h5 [--plan NAME] [--geojson FILE] [--svg FILE]\n"
    "                      [--outline hull|cells|auto]\n"
    "\n"
    "Draws one plan of a results file: each zone as a polygon, the points, the\n"
    "depot and the barriers (rivers, major roads) when the run had any.  Zones\n"
    "that meet get different colours (Paul Tol's colour-blind-safe 'muted'\n"
    "palette).  GeoJSON (RFC 7946) has one Polygon (a MultiPolygon for a zone\n"
    "in pieces) per zone with its delivery points, parcels, colour, the\n"
    "outline used and, when simulated, mean stops per day, mean and 90th\n"
    "percentile work hours and mean overtime; one LineString per barrier line;\n"
    "lon/lat degrees when the points came in lon/lat, else metres\n"
    "(\"zonesim_units\": \"m\").  SVG is a picture of the same, north up, with a\n"
    "legend.  At least one output is required.\n"
    "\n"
    "  -p, --plan NAME     plan to draw (default: the scenario's first plan)\n"
    "  -g, --geojson FILE  write GeoJSON\n"
    "  -s, --svg FILE      write SVG\n"
    "      --outline HOW   how a zone is drawn (default auto):\n"
    "                        hull   the convex hull of its points (padded 10 m\n"
    "                               when they are one point or on a line)\n"
    "                        cells  the grid cells nearer its points than any\n"
    "                               other zone's, within 2 cells of a point; cells\n"
    "                               about 1.5 x the mean point spacing, split where\n"
    "                               zones mix, so zones share edges, never overlap,\n"
    "                               and hold all their points; holes and pieces kept;\n"
    "                               the run's barriers bound them: a cell goes to\n"
    "                               the nearest point it sees without crossing one\n"
    "                        auto   hulls, unless two zones' hulls overlap or the\n"
    "                               run had barriers: cells\n"
    "  -q, --quiet         print only errors\n"
    "  -h, --help          this help\n";

/* The first plan in scenario order, copied into name. */
static zs_status first_plan(const char *path, char *name, size_t size, zs_err *err)
{
    zs_h5_overview *o = NULL;
    zs_status st = zs_h5out_read_overview(path, &o, err);
    if (st != ZS_OK)
        return st;
    if (o->n_plans == 0)
        st = zs_err_set(err, ZS_EINPUT, "%s: the file has no plans", path);
    else
        snprintf(name, size, "%s", o->plans[0].name);
    zs_h5_overview_free(o);
    return st;
}

int zs_cli_export(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"plan", required_argument, NULL, 'p'}, {"geojson", required_argument, NULL, 'g'},
        {"svg", required_argument, NULL, 's'},  {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},       {"outline", required_argument, NULL, 'O'},
        {NULL, 0, NULL, 0}};
    const char *plan = NULL, *geojson = NULL, *svg = NULL;
    zs_export_outline outline = ZS_EXPORT_OUTLINE_AUTO;
    zs_err err;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:g:s:qh", lopts, NULL)) != -1) {
        switch (c) {
        case 'p': plan = optarg; break;
        case 'g': geojson = optarg; break;
        case 's': svg = optarg; break;
        case 'q': quiet = 1; break;
        case 'O':
            if (zs_export_outline_parse(optarg, &outline, &err) != ZS_OK)
                return zs_cli_usage("export", "--%s", err.msg);
            break;
        case 'h': fputs(help, stdout); return 0;
        default: return zs_cli_usage("export", "unknown option");
        }
    }
    if (optind != argc - 1)
        return zs_cli_usage("export", optind == argc ? "missing RESULTS.h5" : "too many arguments");
    if (!geojson && !svg)
        return zs_cli_usage("export", "nothing to write: give --geojson FILE and/or --svg FILE");
    const char *path = argv[optind];
    const zs_file_input in[] = {{path, "the results file"}};
    const char *outs[] = {geojson, svg};
    int rc0 = zs_cli_check_outputs(outs, 2, in, 1);
    if (rc0)
        return rc0;
    if ((geojson && zs_file_prepare_output(geojson, &err) != ZS_OK) ||
        (svg && zs_file_prepare_output(svg, &err) != ZS_OK) ||
        zs_file_check_input(path, &err) != ZS_OK)
        return zs_cli_fail(&err);

    char first[128];
    if (!plan) {
        if (first_plan(path, first, sizeof first, &err) != ZS_OK)
            return zs_cli_fail(&err);
        plan = first;
    }
    zs_points *pts = NULL;
    zs_partition *part = NULL;
    zs_plan_summary *sum = NULL;
    double depot[2];
    if (zs_h5out_read_plan(path, plan, &pts, &part, &sum, depot, &err) != ZS_OK)
        return zs_cli_fail(&err);
    size_t n_bar = 0;
    double *bar_seg = NULL;
    int32_t *bar_feature = NULL;
    if (zs_h5out_read_barriers(path, &n_bar, &bar_seg, &bar_feature, &err) != ZS_OK) {
        zs_points_free(pts);
        zs_partition_free(part);
        zs_plan_summary_free(sum);
        return zs_cli_fail(&err);
    }
    size_t n_st = 0;
    double *st_seg = NULL;
    int32_t *st_cls = NULL;
    if (zs_h5out_read_streets(path, &n_st, &st_seg, &st_cls, &err) != ZS_OK) {
        zs_free(bar_seg);
        zs_free(bar_feature);
        zs_points_free(pts);
        zs_partition_free(part);
        zs_plan_summary_free(sum);
        return zs_cli_fail(&err);
    }
    zs_export_map m = {.plan = plan,
                       .points = pts,
                       .part = part,
                       .summary = sum,
                       .depot_x = depot[0],
                       .depot_y = depot[1],
                       .outline = outline,
                       .n_barrier_seg = n_bar,
                       .barrier_seg = bar_seg,
                       .barrier_feature = bar_feature,
                       .n_street_seg = n_st,
                       .street_seg = st_seg,
                       .street_class = st_cls};
    int rc = 0;
    if (geojson && zs_export_geojson_file(geojson, &m, &err) != ZS_OK)
        rc = zs_cli_fail(&err);
    else if (svg && zs_export_svg_file(svg, &m, &err) != ZS_OK)
        rc = zs_cli_fail(&err);
    if (rc == 0 && !quiet)
        printf("plan '%s': %zu zones, %zu points%s%s%s%s%s\n", plan, part->k, pts->n,
               geojson ? "; wrote " : "", geojson ? geojson : "", svg ? "; wrote " : "",
               svg ? svg : "", sum ? "" : " (not simulated: no work hours)");
    zs_points_free(pts);
    zs_partition_free(part);
    zs_plan_summary_free(sum);
    zs_free(bar_seg);
    zs_free(st_seg);
    zs_free(st_cls);
    zs_free(bar_feature);
    return rc;
}
