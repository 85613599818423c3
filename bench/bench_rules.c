/* bench/bench_rules.c — targeting rules at scale: putting and compiling N generated rules,
 * loading them into a snapshot, and single-thread traveller scanning with the rules alone,
 * with the engine's screening alone (ps_screen_traveller) and with both, measured in the same
 * run over the same travellers (the issue 5 goal: 10,000 active rules cost no more than half
 * the screening throughput).
 *
 * Rules (seeded, reproducible): 50% a surname literal, 25% a document-number series regex
 * (two letters, three digits, [0-9]{4}), 24% a route + nationality pair, 1% a route to one of
 * two destinations with a NOT on nationality (and a validity window). Travellers are read from a JSON Lines or batch file (e.g.
 * bench/gen_eval output); each is given a route, PNR and seat from small sets (the files carry
 * none) and every 200 travellers share a flight, so every field with rules is scanned.
 *
 * usage: bench_rules --db DIR [--rules N] [--runs R] [--set clean|all] [--seed S]
 *                    TRAVELLERS.jsonl
 *   DIR is a store the bench writes its rules into (opened writable: use a copy of a
 *   benchmark store, never the original). Prints one JSON object. */
#include "paxscreen/json_batch.h"
#include "paxscreen/rules.h"
#include "paxscreen/screen.h"

#include <getopt.h>
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

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((rng_state >> 33) % n);
}

static const char *const airports[] = {"BCN", "MAD", "IAD", "JFK", "LHR", "CDG", "FRA", "IST",
                                       "DXB", "DOH", "CAI", "LOS", "NBO", "JNB", "GRU", "BOG",
                                       "MEX", "YYZ", "ORD", "LAX", "NRT", "ICN", "PEK", "HKG",
                                       "SIN", "BKK", "DEL", "BOM", "KHI", "TLV"};
#define N_AIRPORTS (sizeof airports / sizeof airports[0])
static const char *const nats[] = {"ESP", "FRA", "DEU", "POL", "TWN", "JOR", "GRC", "RUS",
                                   "UKR", "TUR", "EGY", "NGA", "KEN", "ZAF", "BRA", "COL",
                                   "MEX", "CAN", "USA", "JPN", "KOR", "CHN", "IND", "PAK"};
#define N_NATS (sizeof nats / sizeof nats[0])
static const char *const syl[] = {"KA", "RO", "MI", "SA", "LO", "VE", "TI", "NA", "DU", "PE",
                                  "GO", "RI", "ZA", "BE", "HU", "LA", "MO", "SE", "KI", "TA"};

/* One generated rule as a JSON line in out. */
static void gen_rule(uint32_t i, char *out, size_t cap)
{
    uint32_t kind = rnd(100);
    char id[32];
    snprintf(id, sizeof id, "B-%06u", i);
    if (kind < 50) {
        char name[32] = "";
        for (uint32_t k = 0, n = 2 + rnd(3); k < n; k++)
            strcat(name, syl[rnd(20)]);
        snprintf(out, cap,
                 "{\"id\":\"%s\",\"name\":\"surname %s\",\"action\":\"refer\",\"when\":"
                 "{\"field\":\"surname\",\"equals\":\"%s\"}}",
                 id, name, name);
    } else if (kind < 75) {
        snprintf(out, cap,
                 "{\"id\":\"%s\",\"name\":\"series\",\"action\":\"no_board\",\"when\":"
                 "{\"field\":\"document_number\",\"matches\":\"%c%c%03u[0-9]{4}\"}}",
                 id, 'A' + rnd(26), 'A' + rnd(26), rnd(1000));
    } else if (kind < 99) {
        snprintf(out, cap,
                 "{\"id\":\"%s\",\"name\":\"route+nat\",\"action\":\"notify\",\"when\":{\"all\":"
                 "[{\"field\":\"route\",\"equals\":\"%s-%s\"},{\"field\":\"nationality\","
                 "\"equals\":\"%s\"}]}}",
                 id, airports[rnd(N_AIRPORTS)], airports[rnd(N_AIRPORTS)], nats[rnd(N_NATS)]);
    } else {
        snprintf(out, cap,
                 "{\"id\":\"%s\",\"name\":\"routes not nat\",\"action\":\"refer\",\"valid_from\":"
                 "\"2020-01-01\",\"valid_until\":\"2099-12-31\",\"when\":{\"all\":[{\"field\":"
                 "\"route\",\"matches\":\"%s-(%s|%s)\"},{\"not\":{\"field\":\"nationality\","
                 "\"equals\":\"%s\"}}]}}",
                 id, airports[rnd(N_AIRPORTS)], airports[rnd(N_AIRPORTS)],
                 airports[rnd(N_AIRPORTS)], nats[rnd(N_NATS)]);
    }
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    *len = buf && n > 0 ? fread(buf, 1, (size_t)n, f) : 0;
    fclose(f);
    return buf;
}

static void count_hit(void *ctx, const ps_hit *h)
{
    (void)h;
    (*(uint64_t *)ctx)++;
}

typedef struct pass {
    double wall, cpu;
    uint64_t hits;
} pass;

enum { MODE_SCREEN = 0, MODE_RULES = 1, MODE_BOTH = 2 };

static pass run_pass(int mode, ps_snapshot *snap, ps_rules_snapshot *rs, ps_traveller **tv,
                     uint32_t n, const ps_flight_leg *flights, int64_t when, ps_arena *scratch)
{
    pass p = {0};
    double w0 = now_s(), c0 = cpu_s();
    for (uint32_t i = 0; i < n; i++) {
        ps_arena_reset(scratch);
        if (mode != MODE_RULES &&
            ps_screen_traveller(snap, tv[i], scratch, count_hit, &p.hits, NULL) != PS_STORE_OK) {
            fprintf(stderr, "bench_rules: screening failed\n");
            exit(3);
        }
        if (mode != MODE_SCREEN && ps_rules_screen(rs, tv[i], &flights[i / 200], when, count_hit,
                                                   &p.hits, NULL) != PS_STORE_OK) {
            fprintf(stderr, "bench_rules: rules screening failed\n");
            exit(3);
        }
    }
    p.wall = now_s() - w0;
    p.cpu = cpu_s() - c0;
    return p;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *set = "clean";
    uint32_t n_rules = 10000, runs = 3;
    uint64_t seed = 1;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"rules", required_argument, 0, 'r'},
                                         {"runs", required_argument, 0, 'n'},
                                         {"set", required_argument, 0, 's'},
                                         {"seed", required_argument, 0, 'S'},
                                         {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'r':
            n_rules = (uint32_t)strtoul(optarg, NULL, 10);
            break;
        case 'n':
            runs = (uint32_t)strtoul(optarg, NULL, 10);
            break;
        case 's':
            set = optarg;
            break;
        case 'S':
            seed = strtoull(optarg, NULL, 10);
            break;
        default:
            return 2;
        }
    }
    if (!db || optind + 1 != argc || runs < 1 || runs > 99) {
        fprintf(stderr, "usage: bench_rules --db DIR [--rules N] [--runs R] [--set clean|all] "
                        "[--seed S] TRAVELLERS.jsonl\n");
        return 2;
    }
    rng_state = seed;

    /* travellers, with a route, PNR and seat each and a flight per 200 */
    size_t len;
    char *text = read_file(argv[optind], &len);
    if (!text) {
        perror(argv[optind]);
        return 2;
    }
    ps_arena arena, scratch;
    ps_arena_init(&arena);
    ps_arena_init(&scratch);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_batch batch;
    if (!ps_json_batch_parse(text, len, &arena, &batch, &diags)) {
        fprintf(stderr, "bench_rules: %s: not JSON travellers\n", argv[optind]);
        return 2;
    }
    ps_traveller **tv = malloc((batch.n_travellers + 1) * sizeof *tv);
    uint32_t n = 0;
    bool clean_only = strcmp(set, "clean") == 0;
    for (uint32_t i = 0; i < batch.n_travellers; i++) {
        ps_traveller *t = &batch.travellers[i];
        if (clean_only && t->id.len && t->id.ptr[0] != 'C')
            continue;
        t->embarkation = (ps_str){airports[rnd(N_AIRPORTS)], 3};
        t->debarkation = (ps_str){airports[rnd(N_AIRPORTS)], 3};
        char *pnr = ps_arena_alloc(&arena, 8);
        for (int k = 0; k < 6; k++)
            pnr[k] = (char)('A' + rnd(26));
        t->pnr = (ps_str){pnr, 6};
        char *seat = ps_arena_alloc(&arena, 8);
        int sl = snprintf(seat, 8, "%u%c", 1 + rnd(40), 'A' + rnd(6));
        t->seat = (ps_str){seat, (size_t)sl};
        tv[n++] = t;
    }
    uint32_t n_flights = n / 200 + 1;
    ps_flight_leg *flights = ps_arena_calloc(&arena, n_flights * sizeof *flights);
    for (uint32_t i = 0; i < n_flights; i++) {
        char *num = ps_arena_alloc(&arena, 8);
        int nl = snprintf(num, 8, "%u", 100 + rnd(900));
        flights[i].carrier = (ps_str){"XZ", 2};
        flights[i].number = (ps_str){num, (size_t)nl};
        flights[i].departure_airport = (ps_str){airports[rnd(N_AIRPORTS)], 3};
        flights[i].arrival_airport = (ps_str){airports[rnd(N_AIRPORTS)], 3};
    }

    /* put and compile the rules */
    char err[1024];
    ps_store *store;
    if (ps_store_open(db, true, &store, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "bench_rules: %s: %s\n", db, err);
        return 3;
    }
    double t0 = now_s();
    ps_rules_writer *w;
    if (ps_rules_writer_begin(store, &w, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "bench_rules: %s\n", err);
        return 3;
    }
    ps_rules_counts counts = {0};
    ps_arena rule_arena;
    ps_arena_init(&rule_arena);
    for (uint32_t i = 0; i < n_rules; i++) {
        char line[1024];
        gen_rule(i, line, sizeof line);
        ps_arena_reset(&rule_arena);
        ps_diag_list rd;
        ps_diag_list_init(&rd, &rule_arena);
        ps_rule r;
        if (!ps_rule_parse(line, strlen(line), i + 1, &rule_arena, &r, &rd) ||
            ps_rules_put(w, &r, &counts, err, sizeof err) != PS_STORE_OK) {
            fprintf(stderr, "bench_rules: rule %u: %s\n", i, line);
            return 3;
        }
    }
    double t1 = now_s();
    if (ps_rules_writer_commit(w, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "bench_rules: commit: %s\n", err);
        return 3;
    }
    double t2 = now_s();
    ps_arena_free(&rule_arena);

    /* loading: a snapshot without the cache deserializes everything; with a warm cache nothing */
    ps_snapshot *snap;
    ps_rules_snapshot *rs;
    ps_rules_cache *cache;
    ps_rules_cache_new(&cache);
    double load_cold = 0, load_warm = 0;
    for (int k = 0; k < 5; k++) {
        ps_snapshot_begin(store, &snap, err, sizeof err);
        double a = now_s();
        if (ps_rules_snapshot_begin(snap, NULL, &rs, err, sizeof err) != PS_STORE_OK) {
            fprintf(stderr, "bench_rules: %s\n", err);
            return 3;
        }
        double b = now_s();
        ps_rules_snapshot_end(rs);
        ps_rules_snapshot_begin(snap, cache, &rs, err, sizeof err);
        ps_rules_snapshot_end(rs);
        double d = now_s();
        ps_rules_snapshot_begin(snap, cache, &rs, err, sizeof err);
        double e = now_s();
        ps_rules_snapshot_end(rs);
        ps_snapshot_end(snap);
        load_cold += (b - a) / 5;
        load_warm += (e - d) / 5;
    }

    ps_snapshot_begin(store, &snap, err, sizeof err);
    ps_rules_snapshot_begin(snap, cache, &rs, err, sizeof err);
    int64_t when = (int64_t)1780315200; /* 2026-06-01T12:00Z */
    /* warm up: the store's pages and the databases */
    run_pass(MODE_BOTH, snap, rs, tv, n < 2000 ? n : 2000, flights, when, &scratch);
    double rate[3][100], cpu_rate[3][100];
    uint64_t hits[3] = {0};
    for (uint32_t r = 0; r < runs; r++) {
        for (int mode = 0; mode < 3; mode++) {
            pass p = run_pass(mode, snap, rs, tv, n, flights, when, &scratch);
            rate[mode][r] = n / p.wall;
            cpu_rate[mode][r] = n / p.cpu;
            hits[mode] = p.hits;
        }
    }
    double best[3], med[3], best_cpu[3];
    for (int mode = 0; mode < 3; mode++) {
        qsort(rate[mode], runs, sizeof(double), cmp_double);
        qsort(cpu_rate[mode], runs, sizeof(double), cmp_double);
        best[mode] = rate[mode][runs - 1];
        med[mode] = rate[mode][runs / 2];
        best_cpu[mode] = cpu_rate[mode][runs - 1];
    }
    printf("{\"rules\":%u,\"inserted\":%llu,\"put_seconds\":%.3f,\"compile_commit_seconds\":%.3f,"
           "\"load_cold_ms\":%.3f,\"load_cached_ms\":%.4f,\"travellers\":%u,\"runs\":%u,"
           "\"screen_only\":{\"best_per_s\":%.0f,\"median_per_s\":%.0f,\"best_per_cpu_s\":%.0f,"
           "\"hits\":%llu},"
           "\"rules_only\":{\"best_per_s\":%.0f,\"median_per_s\":%.0f,\"best_per_cpu_s\":%.0f,"
           "\"hits\":%llu},"
           "\"screen_and_rules\":{\"best_per_s\":%.0f,\"median_per_s\":%.0f,"
           "\"best_per_cpu_s\":%.0f,\"hits\":%llu},"
           "\"rules_only_vs_screen\":%.2f,\"with_rules_vs_without\":%.3f}\n",
           n_rules, (unsigned long long)counts.inserted, t1 - t0, t2 - t1, load_cold * 1e3,
           load_warm * 1e3, n, runs, best[0], med[0], best_cpu[0], (unsigned long long)hits[0],
           best[1], med[1], best_cpu[1], (unsigned long long)hits[1], best[2], med[2],
           best_cpu[2], (unsigned long long)hits[2], best_cpu[1] / best_cpu[0],
           best_cpu[2] / best_cpu[0]);
    ps_rules_snapshot_end(rs);
    ps_snapshot_end(snap);
    ps_rules_cache_free(cache);
    ps_store_close(store);
    ps_arena_free(&scratch);
    ps_arena_free(&arena);
    free(tv);
    free(text);
    return 0;
}
