/* tools/cmd_screen.c — `paxscreen screen --db DIR FILE`: reads a PAXLST/EDIFACT file, a JSON
 * batch or JSON Lines of travellers, screens every traveller against the store's lists and
 * writes the hits as JSON Lines on stdout (nothing else goes there). Findings about the input
 * go to stderr; whatever could be read is screened. The whole run sees one snapshot of the
 * lists; batches are screened on every core (screen_pool.c), hits written in traveller order.
 * Exit: 0 read and screened, 1 the input had errors (what was read is still screened),
 * 2 usage, 3 the store could not be read. */
#include "cli.h"

#include "paxscreen/json_batch.h"
#include "paxscreen/paxlst.h"
#include "paxscreen/screen.h"
#include "screen_pool.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef struct screen_run {
    ps_screen_pool *pool;
    int store_error;
} screen_run;

static void screen_batch(screen_run *run, const ps_traveller *t, uint32_t n,
                         const ps_flight_leg *flight, ps_str batch_id)
{
    if (run->store_error)
        return;
    run->store_error = ps_screen_pool_run(run->pool, t, n, flight, batch_id, stdout);
}

static void on_message(void *ctx, const ps_paxlst_message *m)
{
    char id[128];
    int n = snprintf(id, sizeof id, "%s/%s/%s", m->sender, m->control_ref, m->message_ref);
    screen_batch(ctx, m->travellers, m->n_travellers, m->n_legs ? &m->legs[0] : NULL,
                 (ps_str){id, n > 0 ? (size_t)n : 0});
}

static void report_diags(const char *path, const ps_diag_list *l)
{
    for (uint32_t i = 0; i < l->count; i++)
        ps_cli_print_diag("screen", path, &l->items[i]);
}

static int usage(void)
{
    fputs("usage: paxscreen screen --db DIR [--threads N] [--stats] FILE   (FILE may be - for "
          "stdin;\n       N defaults to the number of cores)\n",
          stderr);
    return 2;
}

int ps_cmd_screen(int argc, char **argv)
{
    const char *db = NULL, *path = NULL;
    bool stats = false;
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            char *end;
            threads = strtol(argv[++i], &end, 10);
            if (*end || threads < 1 || threads > 256)
                return usage();
        } else if (strcmp(argv[i], "--stats") == 0)
            stats = true;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage();
        else if (!path)
            path = argv[i];
        else
            return usage();
    }
    if (!db || !path)
        return usage();

    screen_run run;
    memset(&run, 0, sizeof run);
    ps_store *store;
    char err[256];
    if (ps_store_open(db, false, &store, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "paxscreen screen: %s: %s\n", db, err);
        return 3;
    }
    if (threads < 1)
        threads = 1;
    if (ps_screen_pool_open(store, (uint32_t)threads, &run.pool, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "paxscreen screen: %s: %s\n", db, err);
        ps_store_close(store);
        return 3;
    }
    ps_input in;
    int e = ps_input_open(&in, path);
    if (e) {
        fprintf(stderr, "paxscreen screen: %s: %s\n", path, strerror(e));
        ps_screen_pool_close(run.pool);
        ps_store_close(store);
        return 1;
    }
    ps_arena diag_arena, arena;
    ps_arena_init(&diag_arena);
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &diag_arena);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (ps_json_looks_like(in.data, in.len)) {
        ps_batch batch;
        ps_json_batch_parse(in.data, in.len, &arena, &batch, &diags);
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        screen_batch(&run, batch.travellers, batch.n_travellers,
                     batch.has_flight ? &batch.flight : NULL, (ps_str){base, strlen(base)});
    } else {
        ps_paxlst_callbacks cb = {on_message, NULL, &run};
        ps_paxlst_read(in.data, in.len, &cb, &diags, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

    report_diags(path, &diags);
    int rc = 0;
    if (run.store_error) {
        fprintf(stderr, "paxscreen screen: %s: reading the store failed (code %d)\n", db,
                run.store_error);
        rc = 3;
    } else if (ps_diag_count(&diags, PS_ERROR)) {
        rc = 1;
    }
    ps_screen_counts counts = ps_screen_pool_counts(run.pool);
    if (stats)
        fprintf(stderr,
                "{\"travellers\":%llu,\"documents\":%llu,\"hits\":%llu,\"threads\":%u,"
                "\"seconds\":%.6f,\"travellers_per_s\":%.0f}\n",
                (unsigned long long)counts.travellers, (unsigned long long)counts.documents,
                (unsigned long long)counts.hits, ps_screen_pool_threads(run.pool), seconds,
                seconds > 0 ? (double)counts.travellers / seconds : 0.0);
    if (fflush(stdout) != 0 && errno != EPIPE)
        rc = rc ? rc : 1;
    ps_arena_free(&arena);
    ps_arena_free(&diag_arena);
    ps_input_close(&in);
    ps_screen_pool_close(run.pool);
    ps_store_close(store);
    return rc;
}
