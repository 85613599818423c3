/* bench/bench_stats.c — border statistics over a month of a medium country's traffic: records
 * the counts of N travellers (default 3,000,000, in batches of 300, over 30 days, with realistic
 * spreads of routes, carriers, nationalities, birth years, genders, roles and a few hits) into a
 * fresh batch store exactly as paxscreend does when it stores a screened batch
 * (ps_stats_count_traveller + ps_batch_store_finish_counted), then times ps_stats_report — what
 * GET /v1/stats and `paxscreen report` run — for every dimension over the month.
 * The travellers are generated, not screened: this measures the statistics, not screening.
 *
 * usage: bench_stats [--travellers N] [--dir DIR]   (DIR is emptied and reused) */
#include "bench_prng.h"
#include "paxscreen/border_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const airports[] = {"BCN", "IAD", "LHR", "CDG", "FRA", "DXB", "IST",
                                       "JFK", "MAD", "AMS", "DOH", "NBO", "LOS", "DEL"};
static const char *const carriers[] = {"XZ", "BA", "AF", "LH", "EK", "TK", "QR", "KL", "IB"};
static const char *const nations[] = {"ESP", "GBR", "FRA", "DEU", "USA", "NGA", "IND",
                                      "CHN", "TUR", "ARE", "KEN", "BRA", "ITA", "NLD"};

int main(int argc, char **argv)
{
    uint64_t n = 3000000;
    const char *dir = "bench/out/stats-store";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--travellers") == 0)
            n = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--dir") == 0)
            dir = argv[i + 1];
    }
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(cmd) != 0)
        return 1;
    char err[512];
    ps_batch_store *bs;
    if (ps_batch_store_open(dir, (uint64_t)8 << 30, &bs, err, sizeof err) != PS_BSTORE_OK) {
        fprintf(stderr, "bench_stats: %s\n", err);
        return 1;
    }
    rng_state = 1;
    ps_date first = {.year = 2024, .month = 5, .day = 1, .precision = PS_DATE_DAY};
    uint32_t day0 = ps_stats_day_of(&first);
    double t0 = now_s();
    uint64_t batches = 0;
    for (uint64_t done = 0; done < n; batches++) {
        ps_flight_leg f = {0};
        f.carrier = (ps_str){carriers[rnd(NELEM(carriers))], 2};
        f.departure_airport = (ps_str){airports[rnd(NELEM(airports))], 3};
        f.arrival_airport = (ps_str){airports[rnd(NELEM(airports))], 3};
        f.departure_time = first;
        f.departure_time.day = (uint8_t)(1 + rnd(30));
        ps_stats_batch sb;
        ps_stats_batch_init(&sb, day0);
        for (int i = 0; i < 300 && done < n; i++, done++) {
            ps_traveller t = {0};
            t.nationality = (ps_str){nations[rnd(NELEM(nations))], 3};
            t.gender = rnd(2) ? 'M' : 'F';
            t.role = rnd(20) ? PS_ROLE_PASSENGER : PS_ROLE_CREW;
            t.birth_date = (ps_date){.year = (int16_t)(1940 + rnd(80)),
                                     .month = (uint8_t)(1 + rnd(12)),
                                     .day = (uint8_t)(1 + rnd(28)),
                                     .precision = PS_DATE_DAY};
            ps_str list = PS_STR_LIT("wanted");
            ps_stats_count_traveller(&sb, &t, &f, &list, rnd(1000) == 0);
        }
        uint64_t id, cursor;
        bool dup, already;
        char body[32];
        int len = snprintf(body, sizeof body, "batch %llu", (unsigned long long)batches);
        if (ps_batch_store_receive(bs, PS_BATCH_JSON, body, (size_t)len, NULL, &id, &dup, err,
                                   sizeof err) != PS_BSTORE_OK ||
            ps_batch_store_finish_counted(bs, id, PS_BATCH_SCREENED, NULL, 300, NULL, 0, sb.items,
                                          sb.n, &cursor, &already, err,
                                          sizeof err) != PS_BSTORE_OK) {
            fprintf(stderr, "bench_stats: %s\n", err);
            return 1;
        }
        ps_stats_batch_free(&sb);
    }
    double t1 = now_s();
    printf("{\"travellers\":%llu,\"batches\":%llu,\"record_seconds\":%.1f,\"reports\":[",
           (unsigned long long)n, (unsigned long long)batches, t1 - t0);
    static const struct {
        const char *name;
        char by;
    } dims[] = {{"day", 'D'},
                {"month", 'M'},
                {"route", PS_DIM_ROUTE},
                {"carrier", PS_DIM_CARRIER},
                {"nationality", PS_DIM_NATIONALITY},
                {"age_band", PS_DIM_AGE_BAND},
                {"gender", PS_DIM_GENDER},
                {"role", PS_DIM_ROLE},
                {"list", PS_DIM_LIST}};
    for (size_t i = 0; i < NELEM(dims); i++) {
        ps_buf out;
        ps_buf_init(&out);
        double a = now_s();
        int rc = ps_stats_report(bs, day0, day0 + 30, dims[i].by, false, &out, err, sizeof err);
        double b = now_s();
        if (rc != PS_BSTORE_OK) {
            fprintf(stderr, "bench_stats: %s\n", err);
            return 1;
        }
        printf("%s{\"by\":\"%s\",\"ms\":%.2f,\"bytes\":%zu}", i ? "," : "", dims[i].name,
               (b - a) * 1e3, out.len);
        ps_buf_free(&out);
    }
    printf("]}\n");
    ps_batch_store_close(bs);
    return 0;
}
