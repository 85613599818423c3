/* bench/bench_import.c — where the time of a watchlist import goes, measured in-process on the
 * library (the same calls `paxscreen lists import` makes): reading and parsing the JSON lines
 * alone, a full import into a new store, a re-import of the same file (every line unchanged),
 * and document lookups on a snapshot of the result. Prints one JSON object with lines/s per
 * phase, the store's size (apparent and allocated) and the peak RSS.
 *
 * usage: bench_import --db DIR FILE.jsonl [--checkpoint N]
 *   DIR must not exist (the benchmark creates it and leaves it for inspection).
 * The end-to-end CLI number is measured with the CLI itself:
 *   /usr/bin/time -v paxscreen lists import --db DIR FILE.jsonl; du -sh DIR */
#include "paxscreen/normalize.h"
#include "paxscreen/store.h"
#include "paxscreen/watchlist.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <xxhash.h>

#define SAMPLE_CAP 200000 /* document numbers kept for the lookup phase */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct sample {
    char *numbers[SAMPLE_CAP];
    uint32_t n;
} sample;

typedef struct phase {
    uint64_t lines, failed;
    ps_import_counts counts;
    double seconds;
} phase;

/* Reads path line by line; parses each line; with a writer, puts it (checkpointing every
 * checkpoint lines); with a sample, keeps document numbers. */
static int run(const char *path, ps_store_writer *w, uint64_t checkpoint, sample *smp, phase *out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_import: %s: %s\n", path, strerror(errno));
        return 1;
    }
    static char inbuf[1 << 20];
    setvbuf(f, inbuf, _IOFBF, sizeof inbuf);
    ps_arena arena;
    ps_arena_init(&arena);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    char err[512];
    memset(out, 0, sizeof *out);
    double t0 = now_seconds();
    int rc = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        out->lines++;
        ps_arena_reset(&arena);
        ps_diag_list diags;
        ps_diag_list_init(&diags, &arena);
        ps_wl_entry e;
        if (!ps_wl_entry_parse(line, len, out->lines, &arena, &e, &diags)) {
            out->failed++;
            continue;
        }
        uint64_t hash = XXH3_64bits(line, len);
        if (smp) {
            for (uint32_t i = 0; i < e.n_documents && smp->n < SAMPLE_CAP; i++)
                if (e.documents[i].number.len && out->lines % 3 == 0)
                    smp->numbers[smp->n++] =
                        strndup(e.documents[i].number.ptr, e.documents[i].number.len);
        }
        if (!w)
            continue;
        int code = ps_store_put(w, &e, hash, &out->counts, err, sizeof err);
        if (code == PS_STORE_INVALID) {
            out->failed++;
        } else if (code != PS_STORE_OK) {
            fprintf(stderr, "bench_import: line %llu: %s\n", (unsigned long long)out->lines, err);
            rc = 3;
            break;
        }
        if (out->lines % checkpoint == 0 &&
            ps_store_writer_checkpoint(w, err, sizeof err) != PS_STORE_OK) {
            fprintf(stderr, "bench_import: checkpoint: %s\n", err);
            rc = 3;
            break;
        }
    }
    out->seconds = now_seconds() - t0;
    free(line);
    ps_arena_free(&arena);
    fclose(f);
    return rc;
}

static int import(ps_store *s, const char *path, uint64_t checkpoint, phase *out)
{
    char err[512];
    ps_store_writer *w;
    if (ps_store_writer_begin(s, &w, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "bench_import: %s\n", err);
        return 3;
    }
    double t0 = now_seconds();
    int rc = run(path, w, checkpoint, NULL, out);
    if (rc != 0) {
        ps_store_writer_abort(w);
        return rc;
    }
    if (ps_store_writer_commit(w, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "bench_import: commit: %s\n", err);
        return 3;
    }
    out->seconds = now_seconds() - t0;
    return 0;
}

static void count_ref(void *ctx, const ps_doc_ref *ref)
{
    (void)ref;
    (*(uint64_t *)ctx)++;
}

static void print_phase(const char *name, const phase *p, bool last)
{
    printf("  \"%s\": {\"lines\": %llu, \"failed\": %llu, \"inserted\": %llu, \"updated\": %llu, "
           "\"unchanged\": %llu, \"seconds\": %.3f, \"lines_per_s\": %.0f}%s\n",
           name, (unsigned long long)p->lines, (unsigned long long)p->failed,
           (unsigned long long)p->counts.inserted, (unsigned long long)p->counts.updated,
           (unsigned long long)p->counts.unchanged, p->seconds,
           p->seconds > 0 ? (double)p->lines / p->seconds : 0.0, last ? "" : ",");
}

int main(int argc, char **argv)
{
    const char *db = NULL;
    uint64_t checkpoint = 10000;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"checkpoint", required_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "d:c:", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'c')
            checkpoint = strtoull(optarg, NULL, 10);
        else
            return 2;
    }
    if (!db || optind != argc - 1 || checkpoint == 0) {
        fputs("usage: bench_import --db DIR FILE.jsonl [--checkpoint N]\n", stderr);
        return 2;
    }
    const char *path = argv[optind];
    struct stat st;
    if (stat(db, &st) == 0) {
        fprintf(stderr, "bench_import: %s exists; give a new directory\n", db);
        return 2;
    }

    static sample smp;
    phase parse, first, again;
    if (run(path, NULL, checkpoint, &smp, &parse) != 0)
        return 1;

    char err[512];
    ps_store *s;
    if (ps_store_open(db, true, &s, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "bench_import: %s\n", err);
        return 3;
    }
    int rc = import(s, path, checkpoint, &first);
    if (rc == 0)
        rc = import(s, path, checkpoint, &again);
    if (rc != 0) {
        ps_store_close(s);
        return rc;
    }

    /* document lookups as screening makes them: canonical key, then the confusable key */
    ps_snapshot *snap;
    if (ps_snapshot_begin(s, &snap, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "bench_import: %s\n", err);
        return 3;
    }
    uint64_t found = 0;
    double t0 = now_seconds();
    for (uint32_t i = 0; i < smp.n; i++) {
        char key[256];
        size_t len = strlen(smp.numbers[i]);
        if (len >= sizeof key)
            continue;
        size_t n = ps_docnum_canonical(smp.numbers[i], len, key);
        ps_snapshot_docs(snap, false, key, n, count_ref, &found);
        n = ps_docnum_confusable(smp.numbers[i], len, key);
        ps_snapshot_docs(snap, true, key, n, count_ref, &found);
    }
    double lookup_seconds = now_seconds() - t0;
    ps_snapshot_end(snap);
    ps_store_close(s);

    char data[1024];
    snprintf(data, sizeof data, "%s/data.mdb", db);
    struct stat ds = {0};
    stat(data, &ds);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);

    printf("{\n  \"file\": \"%s\",\n  \"checkpoint\": %llu,\n", path,
           (unsigned long long)checkpoint);
    print_phase("parse_only", &parse, false);
    print_phase("import", &first, false);
    print_phase("reimport_unchanged", &again, false);
    printf("  \"doc_lookups\": {\"numbers\": %u, \"lookups\": %u, \"refs_found\": %llu, "
           "\"lookups_per_s\": %.0f},\n",
           smp.n, 2 * smp.n, (unsigned long long)found,
           lookup_seconds > 0 ? 2.0 * smp.n / lookup_seconds : 0.0);
    printf("  \"data_mdb_bytes\": %lld,\n  \"data_mdb_allocated_bytes\": %lld,\n",
           (long long)ds.st_size, (long long)ds.st_blocks * 512);
    printf("  \"peak_rss_kb\": %ld\n}\n", ru.ru_maxrss);
    for (uint32_t i = 0; i < smp.n; i++)
        free(smp.numbers[i]);
    return 0;
}
