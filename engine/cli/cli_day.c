/*
 * engine/cli/cli_day.c -- the station's day in the summary table (run,
 * demo, inspect): late parcels per dispatch wave, window misses and where
 * a courier-day's hours go (engine/sim/day.c), for plans simulated with
 * the day model.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "results/h5out.h"
#include "sim/stats.h"

void zs_cli_print_day(const zs_h5_overview *o)
{
    int any = 0;
    for (size_t p = 0; p < o->n_plans; p++) {
        const zs_h5_plan_overview *pl = &o->plans[p];
        if (!pl->summary || zs_summary_nm(pl->summary) < ZS_M_COUNT)
            continue;
        const zs_stat *day = pl->summary->day, *zd = pl->summary->zoneday;
        if (!any)
            putchar('\n');
        any = 1;
        printf("day '%s': late", pl->name);
        int waves = 0;
        for (int w = 0; w < ZS_WAVES_MAX; w++) {
            double out = day[ZS_M_PARCELS_W1 + w].mean;
            if (!(out > 0.0))
                continue;
            printf("%s %.1f%% of wave %d", waves ? "," : "", 100.0 * day[ZS_M_LATE_W1 + w].mean / out,
                   w + 1);
            waves++;
        }
        if (!waves)
            printf(" -");
        printf("; %.2f trips, travel %.2f h (%.2f h back between waves), door %.2f h, "
               "window waits %.2f h, idle %.2f h",
               zd[ZS_M_TRIPS].mean, zd[ZS_M_TRAVEL_MIN].mean / 60, zd[ZS_M_DEPOT_MIN].mean / 60,
               zd[ZS_M_SERVICE_MIN].mean / 60, zd[ZS_M_WINDOW_WAIT_MIN].mean / 60,
               zd[ZS_M_IDLE_MIN].mean / 60);
        double ws = day[ZS_M_WINDOW_STOPS].mean;
        if (ws > 0.0)
            printf("; window misses %.1f%% of %.1f stops a day", 100.0 * day[ZS_M_WINDOW_MISSES].mean / ws,
                   ws);
        putchar('\n');
    }
    if (any)
        printf("  (dispatch waves: parcels of each wave signed for after the promise from the\n"
               "   wave's scan, of the parcels out in it; per courier-day: trips from the station,\n"
               "   travel (with the drives back to the station before a later wave), minutes at\n"
               "   doors, waiting for delivery windows to open, idle at the station waiting for\n"
               "   a wave; delivery windows reached after they closed)\n");
}
