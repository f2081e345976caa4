/* Tests of engine/roster: line enumeration against independent counts,
 * small rosters against exhaustive enumeration, the classical days-off
 * results, fair weekend rest, temporaries, and infeasible rule sets that
 * must give a clear message. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staffing/roster.h"
#include "models/alloc.h"
#include "check.h"

/* ---- an independent checker of one line ---------------------------------- */

/* 1 when row[0..7W) obeys o's rules (written plainly, day by day). */
static int line_ok(const int8_t *row, const zs_roster_opts *o)
{
    int D = 7 * o->weeks;
    for (int w = 0; w < o->weeks; w++) {
        int n = 0;
        for (int j = 0; j < 7; j++)
            n += row[7 * w + j];
        if (n != o->days_per_week)
            return 0;
    }
    /* Runs on the cycle: start after a day that differs from its successor. */
    for (int d = 0; d < D; d++) {
        if (row[d] == row[(d + D - 1) % D])
            continue; /* not the first day of a run */
        int len = 1;
        while (len < D && row[(d + len) % D] == row[d])
            len++;
        if (row[d] && len > o->max_consecutive)
            return 0;
        if (!row[d] && o->consecutive_off && len < 2)
            return 0;
    }
    int we = 0;
    for (int w = 0; w < o->weeks; w++)
        we += !row[7 * w + 5] + !row[7 * w + 6];
    return we >= o->weekend_off_min;
}

/* Lines by brute force over all 2^(7W) strings (W <= 2 only). */
static size_t brute_lines(const zs_roster_opts *o)
{
    int D = 7 * o->weeks;
    size_t n = 0;
    int8_t row[14] = {0};
    for (uint32_t m = 0; m < (1u << D); m++) {
        for (int d = 0; d < D; d++)
            row[d] = (int8_t)((m >> d) & 1);
        n += (size_t)line_ok(row, o);
    }
    return n;
}

/* ---- exhaustive minimum cost ------------------------------------------- */

typedef struct {
    const uint64_t *lines;
    size_t nl;
    int D;
    const int32_t *req;
    const uint8_t *tok;
    const zs_roster_opts *o;
    int cov[56];
    double best;
} brute;

/* Cost of the temporaries the current cover still needs (HUGE_VAL when
 * they cannot make it up). */
static double temp_cost(const brute *b)
{
    double c = 0;
    for (int d = 0; d < b->D; d++) {
        int miss = b->req[d] - b->cov[d];
        if (miss <= 0)
            continue;
        int cap = (b->tok ? b->tok[d] : 1) ? b->o->temp_max : 0;
        if (miss > cap)
            return HUGE_VAL;
        c += miss * b->o->temp_cost;
    }
    return c;
}

/* Multisets of lines in non-decreasing index order, n couriers so far. */
static void brute_dfs(brute *b, size_t from, int n)
{
    double base = n * b->o->weeks * b->o->courier_cost;
    if (b->o->pool_max > 0 && n > b->o->pool_max)
        return;
    double t = temp_cost(b);
    if (base + t < b->best)
        b->best = base + t;
    if (base + b->o->weeks * b->o->courier_cost >= b->best)
        return; /* one more courier already costs too much */
    int open = 0;
    for (int d = 0; d < b->D; d++)
        open |= b->cov[d] < b->req[d];
    if (!open)
        return;
    for (size_t l = from; l < b->nl; l++) {
        int helps = 0;
        for (int d = 0; d < b->D; d++)
            helps |= ((b->lines[l] >> d) & 1) && b->cov[d] < b->req[d];
        if (!helps)
            continue;
        for (int d = 0; d < b->D; d++)
            b->cov[d] += (int)((b->lines[l] >> d) & 1);
        brute_dfs(b, l, n + 1);
        for (int d = 0; d < b->D; d++)
            b->cov[d] -= (int)((b->lines[l] >> d) & 1);
    }
}

/* ---- lines by brute force, independent of zs_roster_lines ------------- */

typedef struct {
    const zs_roster_opts *o;
    int8_t row[56];
    uint64_t *out;
    size_t n, cap;
} indep;

/* Every string of 7W days, week by week over all 128 strings of a week;
 * a week with another count of working days fails line_ok's first rule,
 * so skipping it there changes nothing. */
static void indep_week(indep *e, int w)
{
    const zs_roster_opts *o = e->o;
    if (w == o->weeks) {
        if (!line_ok(e->row, o))
            return;
        if (e->n == e->cap) {
            e->cap = e->cap ? 2 * e->cap : 256;
            e->out = realloc(e->out, e->cap * sizeof *e->out);
            if (!e->out)
                abort();
        }
        uint64_t m = 0;
        for (int d = 0; d < 7 * o->weeks; d++)
            m |= (uint64_t)(e->row[d] != 0) << d;
        e->out[e->n++] = m;
        return;
    }
    for (int p = 0; p < 128; p++) {
        if (__builtin_popcount((unsigned)p) != o->days_per_week)
            continue;
        for (int j = 0; j < 7; j++)
            e->row[7 * w + j] = (int8_t)((p >> j) & 1);
        indep_week(e, w + 1);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The admissible lines of o, sorted (malloc'ed; the caller frees). */
static uint64_t *indep_lines(const zs_roster_opts *o, size_t *n)
{
    indep e;
    memset(&e, 0, sizeof e);
    e.o = o;
    indep_week(&e, 0);
    if (e.n)
        qsort(e.out, e.n, sizeof *e.out, cmp_u64);
    *n = e.n;
    return e.out;
}

/* 1 when zs_roster_lines gives exactly the lines of indep_lines. */
static int same_lines(const zs_roster_opts *o, size_t *n_out)
{
    zs_err err;
    uint64_t *a = NULL;
    size_t na = 0, nb = 0;
    if (zs_roster_lines(o, &a, &na, &err) != ZS_OK)
        return 0;
    uint64_t *b = indep_lines(o, &nb);
    int same = na == nb;
    if (same && na) {
        qsort(a, na, sizeof *a, cmp_u64);
        same = memcmp(a, b, na * sizeof *a) == 0;
    }
    *n_out = nb;
    zs_free(a);
    free(b);
    return same;
}

/* The optimum over every multiset of admissible lines (and temporaries),
 * the lines found by brute force. */
static double brute_min(const int32_t *req, const uint8_t *tok, const zs_roster_opts *o)
{
    brute b;
    memset(&b, 0, sizeof b);
    b.lines = indep_lines(o, &b.nl);
    b.D = 7 * o->weeks;
    b.req = req;
    b.tok = tok;
    b.o = o;
    b.best = HUGE_VAL;
    brute_dfs(&b, 0, 0);
    free((void *)b.lines);
    return b.best;
}

/* A lower bound on the couriers for req (no temporaries) found without a
 * solver: for a set S of days, every courier works at most m_S of them
 * (the most any admissible line does), so at least
 * ceil(sum_{d in S} req_d / m_S) couriers are needed.  Tries every S of up
 * to 5 days and the whole cycle. */
static int cover_bound(const int32_t *req, const zs_roster_opts *o, int *best_s)
{
    size_t nl;
    uint64_t *L = indep_lines(o, &nl);
    int D = 7 * o->weeks, best = 0;
    long long tot = 0;
    for (int d = 0; d < D; d++)
        tot += req[d];
    best = (int)((tot + o->weeks * o->days_per_week - 1) / (o->weeks * o->days_per_week));
    *best_s = D;
    int idx[5];
    for (int k = 1; k <= 5; k++) {
        for (int i = 0; i < k; i++)
            idx[i] = i;
        for (;;) {
            uint64_t S = 0;
            long long need = 0;
            for (int i = 0; i < k; i++) {
                S |= 1ULL << idx[i];
                need += req[idx[i]];
            }
            int m = 0;
            for (size_t l = 0; l < nl; l++) {
                int c = __builtin_popcountll(L[l] & S);
                m = c > m ? c : m;
            }
            if (m > 0 && (need + m - 1) / m > best) {
                best = (int)((need + m - 1) / m);
                *best_s = k;
            }
            int i = k - 1;
            while (i >= 0 && idx[i] == D - k + i)
                i--;
            if (i < 0)
                break;
            idx[i]++;
            for (int j = i + 1; j < k; j++)
                idx[j] = idx[j - 1] + 1;
        }
    }
    free(L);
    return best;
}

/* Every row obeys the rules and every day is covered. */
static int roster_valid(const zs_roster *r, const zs_roster_opts *o)
{
    for (size_t i = 0; i < r->couriers; i++)
        if (!line_ok(r->schedule + i * (size_t)r->days, o))
            return 0;
    for (int d = 0; d < r->days; d++) {
        int c = 0;
        for (size_t i = 0; i < r->couriers; i++)
            c += r->schedule[i * (size_t)r->days + (size_t)d];
        if (c != r->covered[d] || c + r->temps[d] < r->required[d])
            return 0;
        if (r->temps[d] > 0 && !r->temp_ok[d])
            return 0;
    }
    return 1;
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

int main(void)
{
    zs_err err;
    zs_roster_opts o;

    /* --- lines: counts from an independent enumeration (Python, by runs
     * of the cyclic string) and from brute force over all strings. */
    struct { int W, dpw, cons, wk; size_t n; } cnt[] = {
        {1, 5, 1, 0, 7}, {1, 5, 0, 0, 21}, {1, 6, 0, 0, 7}, {1, 6, 1, 0, 0},
        {2, 5, 1, 0, 17}, {2, 5, 0, 0, 371}, {3, 5, 1, 0, 49}, {3, 4, 1, 0, 478},
        {4, 5, 1, 0, 153}, {4, 4, 1, 0, 3769}, {4, 6, 0, 0, 7}, {3, 5, 0, 0, 7077},
    };
    for (size_t i = 0; i < sizeof cnt / sizeof cnt[0]; i++) {
        zs_roster_opts_defaults(&o);
        o.weeks = cnt[i].W;
        o.days_per_week = cnt[i].dpw;
        o.consecutive_off = cnt[i].cons;
        o.weekend_off_min = cnt[i].wk;
        o.max_consecutive = 6;
        uint64_t *lines = NULL;
        size_t n = 0;
        zs_status st = zs_roster_lines(&o, &lines, &n, &err);
        CHECK(st == ZS_OK && n == cnt[i].n, "lines: %d weeks, %d days a week%s: %zu (expected %zu)",
              cnt[i].W, cnt[i].dpw, cnt[i].cons ? ", days off together" : "", n, cnt[i].n);
        if (cnt[i].W <= 2)
            CHECK(brute_lines(&o) == n, "lines: %d weeks, %d days%s agree with all 2^%d strings",
                  cnt[i].W, cnt[i].dpw, cnt[i].cons ? ", together" : "", 7 * cnt[i].W);
        size_t nb = 0;
        CHECK(same_lines(&o, &nb), "lines: %d weeks, %d days%s: the same %zu lines as brute force "
              "over every string", cnt[i].W, cnt[i].dpw, cnt[i].cons ? ", together" : "", nb);
        zs_free(lines);
    }
    /* Weekend fairness over multi-week cycles: the enumeration's pruning on
     * the weekend minimum loses no line. */
    {
        int ok = 1, tried = 0;
        for (int W = 2; W <= 4; W++)
            for (int wk = 1; wk <= 2 * W; wk += W > 3 ? 3 : 1)
                for (int cons = 0; cons <= 1; cons++) {
                    zs_roster_opts_defaults(&o);
                    o.weeks = W;
                    o.weekend_off_min = wk;
                    o.consecutive_off = cons;
                    o.max_consecutive = 5 + (wk % 2);
                    size_t nb = 0;
                    if (!same_lines(&o, &nb)) {
                        ok = 0;
                        printf("      %d weeks, weekend_off_min %d, together %d: lines differ\n", W, wk, cons);
                    }
                    tried++;
                }
        CHECK(ok, "lines with weekend rest over 2-4 weeks: the same as brute force (%d rule sets)", tried);
    }
    zs_roster_opts_defaults(&o);
    o.weeks = 2;
    o.weekend_off_min = 3;
    o.consecutive_off = 0;
    {
        uint64_t *lines = NULL;
        size_t n = 0;
        zs_roster_lines(&o, &lines, &n, &err);
        CHECK(n == brute_lines(&o) && n > 0, "lines: weekend_off_min 3 over 2 weeks agrees with brute force (%zu)", n);
        zs_free(lines);
    }

    /* --- the classical 5/7 problem, any two days off, one week: the
     * minimum is max(max_d r_d, ceil(sum r_d / 5)) (Baker 1974). */
    uint64_t seed = 12345;
    int agree = 1, agree_cons = 1, ge_cons = 1, tried = 0;
    for (int t = 0; t < 40; t++) {
        int32_t r[7];
        int mx = 0, sum = 0;
        for (int d = 0; d < 7; d++) {
            r[d] = (int32_t)(lcg(&seed) % 5);
            mx = r[d] > mx ? r[d] : mx;
            sum += r[d];
        }
        int formula = mx > (sum + 4) / 5 ? mx : (sum + 4) / 5;
        zs_roster_opts_defaults(&o);
        o.weeks = 1;
        o.weekend_off_min = 0;
        o.consecutive_off = 0;
        o.courier_cost = 1;
        zs_roster *ro = NULL;
        if (zs_roster_solve(r, NULL, &o, &ro, &err) != ZS_OK || ro->status != ZS_MIP_OPTIMAL ||
            (int)ro->couriers != formula || !roster_valid(ro, &o))
            agree = 0;
        zs_roster_free(ro);
        /* Days off together: the IP equals exhaustive search, and is never
         * below the bound above. */
        o.consecutive_off = 1;
        if (zs_roster_solve(r, NULL, &o, &ro, &err) != ZS_OK || ro->status != ZS_MIP_OPTIMAL) {
            agree_cons = 0;
        } else {
            double b = brute_min(r, NULL, &o);
            if (fabs(ro->objective - b) > 1e-9 || !roster_valid(ro, &o))
                agree_cons = 0;
            if ((int)ro->couriers < formula)
                ge_cons = 0;
        }
        zs_roster_free(ro);
        tried++;
    }
    CHECK(agree, "5 days a week, any 2 off: minimum = max(max r, ceil(sum r / 5)) on %d random weeks", tried);
    CHECK(agree_cons, "5 days a week, 2 off together: IP optimum = exhaustive search on %d random weeks", tried);
    CHECK(ge_cons, "days off together never need fewer couriers than the any-two-days bound");

    /* By hand: Mon, Wed, Fri, Sun need one courier each.  Every pair of
     * consecutive days holds one of them, so one courier with two days off
     * together cannot do it (the bound above says 1): two are needed. */
    {
        int32_t r[7] = {1, 0, 1, 0, 1, 0, 1};
        zs_roster_opts_defaults(&o);
        o.weeks = 1;
        o.weekend_off_min = 0;
        zs_roster *ro = NULL;
        zs_status st = zs_roster_solve(r, NULL, &o, &ro, &err);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_OPTIMAL && ro->couriers == 2,
              "hand case Mon/Wed/Fri/Sun with days off together: 2 couriers (not the bound's 1)");
        CHECK(st == ZS_OK && roster_valid(ro, &o), "hand case: the schedule obeys the rules and covers every day");
        CHECK_NEAR(st == ZS_OK ? ro->objective : -1, 2 * 5.0, 1e-9, "hand case: cost 2 couriers x 5");
        zs_roster_free(ro);
        o.consecutive_off = 0;
        st = zs_roster_solve(r, NULL, &o, &ro, &err);
        CHECK(st == ZS_OK && ro->couriers == 1, "hand case with any two days off: 1 courier (off Tue and Thu, say)");
        zs_roster_free(ro);
    }

    /* Textbook: 7 days of 3 couriers, 5 days a week -> ceil(21 / 5) = 5. */
    {
        int32_t r[7] = {3, 3, 3, 3, 3, 3, 3};
        zs_roster_opts_defaults(&o);
        o.weeks = 1;
        o.weekend_off_min = 0;
        zs_roster *ro = NULL;
        zs_status st = zs_roster_solve(r, NULL, &o, &ro, &err);
        CHECK(st == ZS_OK && ro->couriers == 5 && ro->gap == 0,
              "3 couriers every day, 5-day weeks with days off together: 5 couriers, gap 0");
        zs_roster_free(ro);
    }

    /* --- two-week cycles with fair weekend rest and temporaries on peak
     * days, against exhaustive search. */
    int agree2 = 1, valid2 = 1;
    for (int t = 0; t < 12; t++) {
        int32_t r[14];
        uint8_t tok[14];
        for (int d = 0; d < 14; d++) {
            r[d] = (int32_t)(lcg(&seed) % 3);
            tok[d] = (uint8_t)(d >= 9 && d <= 11); /* a peak Wed-Fri in week 2 */
            if (tok[d])
                r[d] += 2;
        }
        zs_roster_opts_defaults(&o);
        o.weeks = 2;
        o.weekend_off_min = (int)(t % 3);
        o.consecutive_off = 1; /* 17 lines or fewer: enumeration stays small */
        o.max_consecutive = 5 + (int)(t % 2);
        o.temp_max = 2;
        o.temp_cost = 1.5 + (double)(t % 4) * 2.5; /* cheap to dear temporaries */
        zs_roster *ro = NULL;
        if (zs_roster_solve(r, tok, &o, &ro, &err) != ZS_OK || ro->status != ZS_MIP_OPTIMAL) {
            agree2 = 0;
        } else {
            double b = brute_min(r, tok, &o);
            if (fabs(ro->objective - b) > 1e-9) {
                agree2 = 0;
                printf("      instance %d: IP %g, enumeration %g\n", t, ro->objective, b);
            }
            if (!roster_valid(ro, &o))
                valid2 = 0;
        }
        zs_roster_free(ro);
    }
    CHECK(agree2, "2-week cycles with weekend rest and peak temporaries: IP optimum = exhaustive search (12 instances)");
    CHECK(valid2, "2-week cycles: every courier's line obeys the rules, every day covered, temporaries only on peak days");

    /* Weekend fairness binds: 1 courier a day, every weekend day, 2 weeks,
     * each courier needs 2 of the 4 weekend days off: the weekend days need
     * 4 courier-days, each courier gives at most 2, so at least 2 couriers
     * (who then take turns at the weekends); the enumeration agrees. */
    {
        int32_t r[14];
        for (int d = 0; d < 14; d++)
            r[d] = 1;
        zs_roster_opts_defaults(&o);
        o.weeks = 2;
        o.weekend_off_min = 2;
        zs_roster *ro = NULL;
        zs_status st = zs_roster_solve(r, NULL, &o, &ro, &err);
        int fair = st == ZS_OK && ro->status == ZS_MIP_OPTIMAL;
        for (size_t i = 0; fair && i < ro->couriers; i++) {
            const int8_t *row = ro->schedule + i * 14;
            fair = (!row[5] + !row[6] + !row[12] + !row[13]) >= 2;
        }
        CHECK(fair, "weekend rest: every courier has at least 2 of the 4 weekend days off");
        CHECK(st == ZS_OK && fabs(ro->objective - brute_min(r, NULL, &o)) < 1e-9 && ro->couriers == 2,
              "weekend rest: the optimum (%zu couriers) equals exhaustive search", st == ZS_OK ? ro->couriers : 0);
        zs_roster_free(ro);
    }

    /* --- 4-week cycles with fair weekend rest (every courier 2 or 4 of the
     * 8 weekend days off), against exhaustive search over the lines found
     * by brute force: the optimum over every roster the rules allow. */
    {
        int agree4 = 1, valid4 = 1;
        for (int t = 0; t < 6; t++) {
            int32_t r[28];
            uint8_t tok[28];
            for (int d = 0; d < 28; d++) {
                r[d] = (int32_t)(lcg(&seed) % 3);
                tok[d] = (uint8_t)(d == 18 || d == 19); /* a peak Fri-Sat of week 3 */
            }
            zs_roster_opts_defaults(&o);
            o.weekend_off_min = t < 3 ? 2 : 4;
            o.temp_max = t % 2;
            o.temp_cost = 4.0 + (double)t;
            zs_roster *ro = NULL;
            if (zs_roster_solve(r, tok, &o, &ro, &err) != ZS_OK || ro->status != ZS_MIP_OPTIMAL) {
                agree4 = 0;
            } else {
                double b = brute_min(r, tok, &o);
                if (fabs(ro->objective - b) > 1e-9) {
                    agree4 = 0;
                    printf("      instance %d: IP %g, enumeration %g\n", t, ro->objective, b);
                }
                if (!roster_valid(ro, &o))
                    valid4 = 0;
            }
            zs_roster_free(ro);
        }
        CHECK(agree4, "4-week cycles with 2 or 4 weekend days off each: IP optimum = exhaustive search over the brute-force lines (6 instances)");
        CHECK(valid4, "4-week cycles: every courier's line obeys the rules, every day covered");
    }

    /* The case of issue 17: 99 couriers every day, the default rules (4
     * weeks, 5 days a week, at most 6 in a row, days off together, 2
     * weekend days off each).  165 couriers was suspected of being the best
     * over a subset of lines only; a bound found without any solver (some
     * days S that no admissible line works more than m of) says 165 is the
     * least possible, so the roster is optimal over every roster the rules
     * allow.  Without the weekend rule the whole cycle gives the bound:
     * ceil(99 x 28 / 20) = 139. */
    {
        int32_t r[28];
        for (int d = 0; d < 28; d++)
            r[d] = 99;
        zs_roster_opts_defaults(&o);
        zs_roster *ro = NULL;
        zs_status st = zs_roster_solve(r, NULL, &o, &ro, &err);
        int ks = 0, lb = cover_bound(r, &o, &ks);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_OPTIMAL && roster_valid(ro, &o) &&
                  (int)ro->couriers == lb && ro->n_lines == 51,
              "99 a day, weekend rest: %zu couriers over all %zu lines = the bound %d from %d "
              "days no line works more than 3 of", st == ZS_OK ? ro->couriers : 0,
              st == ZS_OK ? ro->n_lines : 0, lb, ks);
        zs_roster_free(ro);
        o.weekend_off_min = 0;
        st = zs_roster_solve(r, NULL, &o, &ro, &err);
        lb = cover_bound(r, &o, &ks);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_OPTIMAL && roster_valid(ro, &o) &&
                  (int)ro->couriers == lb && lb == 139,
              "99 a day, no weekend rule: %zu couriers = the bound %d", st == ZS_OK ? ro->couriers : 0, lb);
        zs_roster_free(ro);
    }

    /* A bound between two possible costs rises to the next: any two days
     * off over 4 weeks (99,249 lines) gives an LP bound of 138.6 couriers,
     * so no roster has fewer than 139; whatever the solver reaches within
     * its time limit, the bound it reports is a whole number of couriers
     * and at most the optimum's 139 (the whole cycle's bound), and the gap
     * is measured against it. */
    {
        int32_t r[28];
        for (int d = 0; d < 28; d++)
            r[d] = 99;
        zs_roster_opts_defaults(&o);
        o.consecutive_off = 0;
        o.time_limit_s = 2;
        zs_roster *ro = NULL;
        zs_status st = zs_roster_solve(r, NULL, &o, &ro, &err);
        int ok = st == ZS_OK && (ro->status == ZS_MIP_OPTIMAL || ro->status == ZS_MIP_TIME_LIMIT) &&
                 roster_valid(ro, &o);
        CHECK(ok && fabs(ro->bound - 139 * 20.0) < 1e-6 &&
                  fabs(ro->gap - (ro->objective - ro->bound) / ro->objective) < 1e-12,
              "any days off, 99 a day: bound %g = 139 couriers x 20, gap %.4f against it (%s, %zu couriers)",
              ok ? ro->bound : NAN, ok ? ro->gap : NAN, ok ? zs_mip_status_name(ro->status) : "-",
              ok ? ro->couriers : 0);
        zs_roster_free(ro);
    }

    /* --- a station: 4 weeks, 38-46 couriers a day, a Double-11 peak of 60
     * on Wed-Fri of week 2 with up to 15 temporaries there. */
    {
        int32_t r[28];
        uint8_t tok[28];
        static const int32_t week[7] = {46, 40, 40, 40, 46, 38, 38};
        for (int d = 0; d < 28; d++) {
            r[d] = week[d % 7];
            tok[d] = (uint8_t)(d >= 9 && d <= 11);
            if (tok[d])
                r[d] = 60;
        }
        zs_roster_opts_defaults(&o);
        o.temp_max = 15;
        zs_roster *ro = NULL;
        zs_status st = zs_roster_solve(r, tok, &o, &ro, &err);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_OPTIMAL && roster_valid(ro, &o),
              "station of ~45 couriers over 4 weeks with a peak: optimal (%zu couriers, %zu lines, %.2f s)",
              st == ZS_OK ? ro->couriers : 0, st == ZS_OK ? ro->n_lines : 0, st == ZS_OK ? ro->runtime_s : 0);
        int temps = 0, off_peak = 0;
        for (int d = 0; st == ZS_OK && d < 28; d++) {
            temps += ro->temps[d];
            off_peak += !tok[d] && ro->temps[d];
        }
        CHECK(st == ZS_OK && temps > 0 && off_peak == 0, "temporaries cover the peak (%d temporary days) and only the peak", temps);
        /* Lower bound by counting: the regular weeks need sum/5 couriers. */
        int sum = 0;
        for (int d = 0; d < 7; d++)
            sum += week[d];
        CHECK(st == ZS_OK && ro->couriers >= (size_t)((sum + 4) / 5), "at least ceil(%d / 5) regular couriers", sum);
        zs_roster_free(ro);
    }

    /* --- many lines (4-day weeks, 4 weeks: 3,220 with weekend rest): the
     * LP's reduced costs drop lines that cannot be in an optimal roster, and
     * the result is still proven optimal. */
    {
        int32_t r[28];
        uint8_t tok[28];
        static const int32_t week[7] = {9, 7, 7, 7, 9, 5, 5};
        for (int d = 0; d < 28; d++) {
            r[d] = week[d % 7];
            tok[d] = (uint8_t)(d >= 9 && d <= 11);
            if (tok[d])
                r[d] = 14;
        }
        zs_roster_opts_defaults(&o);
        o.days_per_week = 4;
        o.temp_max = 3;
        zs_roster *ro = NULL;
        zs_status st = zs_roster_solve(r, tok, &o, &ro, &err);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_OPTIMAL && roster_valid(ro, &o) &&
                  ro->n_lines == 3220 && ro->n_columns < ro->n_lines,
              "3,220 lines: filtered to %zu columns, optimal, valid", st == ZS_OK ? ro->n_columns : 0);
        CHECK(st == ZS_OK && fabs(ro->objective - ro->bound) < 1e-9 && ro->gap == 0,
              "filtered program: objective = bound over every line (%g)", st == ZS_OK ? ro->objective : 0);
        zs_roster_free(ro);
    }

    /* --- infeasible rule sets give a status and a message, not a crash. */
    {
        int32_t r[7] = {4, 3, 3, 3, 4, 2, 2};
        zs_roster_opts_defaults(&o);
        o.weeks = 1;
        o.weekend_off_min = 0;
        o.pool_max = 3;
        zs_roster *ro = NULL;
        zs_status st = zs_roster_solve(r, NULL, &o, &ro, &err);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_INFEASIBLE && !ro->solved && ro->couriers == 0,
              "pool of 3 for a day of 4, no temporaries: infeasible before solving");
        CHECK_CONTAINS(st == ZS_OK ? ro->message : "", "Mon of week 1 needs 4 couriers, but the pool has 3 regular couriers and at most 0 temporaries may work that day (and 1 more day)",
                       "the message names the day, the requirement and the pool");
        zs_roster_free(ro);

        int32_t r2[7] = {5, 5, 5, 5, 5, 5, 5};
        o.pool_max = 5;
        st = zs_roster_solve(r2, NULL, &o, &ro, &err);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_INFEASIBLE, "pool of 5 for 35 courier-days a week: infeasible");
        CHECK_CONTAINS(st == ZS_OK ? ro->message : "", "needs 35 courier-days from regular couriers",
                       "the message counts courier-days against the pool (25)");
        zs_roster_free(ro);

        o.temp_max = 2; /* temporaries everywhere make it feasible */
        st = zs_roster_solve(r2, NULL, &o, &ro, &err);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_OPTIMAL && ro->couriers <= 5 && roster_valid(ro, &o),
              "the same with 2 temporaries a day: feasible within the pool");
        zs_roster_free(ro);

        int32_t r3[7] = {1, 0, 1, 0, 1, 0, 1};
        zs_roster_opts_defaults(&o);
        o.weeks = 1;
        o.weekend_off_min = 0;
        o.pool_max = 1;
        st = zs_roster_solve(r3, NULL, &o, &ro, &err);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_INFEASIBLE && ro->solved,
              "pool of 1 for Mon/Wed/Fri/Sun with days off together: infeasible, found by the IP");
        CHECK_CONTAINS(st == ZS_OK ? ro->message : "", "each day alone could be covered",
                       "the message says the rules conflict with the pattern");
        zs_roster_free(ro);

        zs_roster_opts_defaults(&o);
        o.weeks = 1;
        o.days_per_week = 6;
        o.weekend_off_min = 2; /* both weekend days off, yet six days of work */
        int32_t r4[7] = {1, 1, 1, 1, 1, 1, 1};
        st = zs_roster_solve(r4, NULL, &o, &ro, &err);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_INFEASIBLE && ro->n_lines == 0,
              "6 working days with both weekend days off: no line, infeasible");
        CHECK_CONTAINS(st == ZS_OK ? ro->message : "", "no work line meets the rules",
                       "the message says no line meets the rules");
        zs_roster_free(ro);
    }

    /* --- nothing to cover; bad options and requirements. */
    {
        int32_t z[28] = {0};
        zs_roster *ro = NULL;
        zs_status st = zs_roster_solve(z, NULL, NULL, &ro, &err);
        CHECK(st == ZS_OK && ro->status == ZS_MIP_OPTIMAL && ro->couriers == 0 && ro->objective == 0,
              "no requirement: the empty roster at cost 0");
        zs_roster_free(ro);
        zs_roster_opts_defaults(&o);
        o.days_per_week = 7;
        st = zs_roster_solve(z, NULL, &o, &ro, &err);
        CHECK(st == ZS_EINVAL && ro == NULL, "days_per_week 7 is refused");
        CHECK_CONTAINS(err.msg, "roster.days_per_week = 7; must be in 1..6", "message names the field");
        zs_roster_opts_defaults(&o);
        o.weekend_off_min = 9;
        st = zs_roster_solve(z, NULL, &o, &ro, &err);
        CHECK_CONTAINS(st == ZS_EINVAL ? err.msg : "", "roster.weekend_off_min = 9; must be in 0..8",
                       "weekend_off_min above two a week is refused");
        zs_roster_opts_defaults(&o);
        o.weeks = 4;
        o.days_per_week = 4;
        o.consecutive_off = 0;
        o.weekend_off_min = 0;
        uint64_t *lines = NULL;
        size_t n = 0;
        st = zs_roster_lines(&o, &lines, &n, &err);
        CHECK(st == ZS_EINVAL && lines == NULL, "too many lines is an error, not a hang");
        CHECK_CONTAINS(err.msg, "more than 300000 lines", "message says what to tighten");
        int32_t neg[28] = {0};
        neg[3] = -1;
        zs_roster_opts_defaults(&o);
        st = zs_roster_solve(neg, NULL, &o, &ro, &err);
        CHECK_CONTAINS(st == ZS_EINVAL ? err.msg : "", "requirement of Thu of week 1 = -1",
                       "a negative requirement is refused naming the day");
    }

    /* --- allocation failures release everything. */
    {
        int32_t r[7] = {2, 2, 2, 2, 2, 1, 1};
        zs_roster_opts_defaults(&o);
        o.weeks = 1;
        o.weekend_off_min = 0;
        int ok = 1;
        for (long k = 0; k < 40; k++) {
            zs_roster *ro = NULL;
            zs_alloc_fail_after(k);
            zs_status st = zs_roster_solve(r, NULL, &o, &ro, &err);
            zs_alloc_fail_after(-1);
            if (st == ZS_OK) {
                zs_roster_free(ro);
                break;
            }
            if (st != ZS_ENOMEM || ro != NULL)
                ok = 0;
        }
        CHECK(ok, "every allocation failure returns ZS_ENOMEM and no roster");
    }
    return zs_test_done();
}
