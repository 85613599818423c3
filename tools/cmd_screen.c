/* tools/cmd_screen.c — `paxscreen screen --db DIR FILE`: reads a PAXLST/EDIFACT file, a JSON
 * batch or JSON Lines of travellers, screens every traveller against the store's lists and
 * writes the hits as JSON Lines on stdout (nothing else goes there). Findings about the input
 * go to stderr; whatever could be read is screened. One snapshot serves the whole run.
 * Exit: 0 read and screened, 1 the input had errors (what was read is still screened),
 * 2 usage, 3 the store could not be read. */
#include "cli.h"

#include "paxscreen/json_batch.h"
#include "paxscreen/paxlst.h"
#include "paxscreen/record_json.h"
#include "paxscreen/screen.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct screen_run {
    ps_snapshot *snap;
    ps_arena scratch;
    ps_buf out;
    ps_str batch_id;
    ps_screen_counts counts;
    int store_error;
    char err[256];
} screen_run;

static void on_hit(void *ctx, const ps_hit *h)
{
    screen_run *run = ctx;
    ps_json_write_hit(&run->out, h, run->batch_id);
    ps_buf_putc(&run->out, '\n');
}

static void flush_out(screen_run *run)
{
    if (run->out.len)
        fwrite(run->out.data, 1, run->out.len, stdout);
    run->out.len = 0;
}

static void screen_all(screen_run *run, const ps_traveller *t, uint32_t n)
{
    for (uint32_t i = 0; i < n && !run->store_error; i++) {
        int rc = ps_screen_traveller(run->snap, &t[i], &run->scratch, on_hit, run, &run->counts);
        if (rc != PS_STORE_OK) {
            run->store_error = rc;
            snprintf(run->err, sizeof run->err, "reading the store failed (code %d)", rc);
        }
        ps_arena_reset(&run->scratch);
        if (run->out.len > (1u << 20))
            flush_out(run);
    }
}

static void on_message(void *ctx, const ps_paxlst_message *m)
{
    screen_run *run = ctx;
    char id[128];
    int n = snprintf(id, sizeof id, "%s/%s/%s", m->sender, m->control_ref, m->message_ref);
    run->batch_id = (ps_str){ id, n > 0 ? (size_t)n : 0 };
    screen_all(run, m->travellers, m->n_travellers);
    flush_out(run);
    run->batch_id = PS_STR_NULL;
}

static void report_diags(const char *path, const ps_diag_list *l)
{
    for (uint32_t i = 0; i < l->count; i++) {
        const ps_diag *d = &l->items[i];
        fprintf(stderr, "paxscreen screen: %s: %s", path,
                d->severity == PS_ERROR ? "error" : "warning");
        if (d->segment)
            fprintf(stderr, ", segment %u", d->segment);
        if (d->field.len)
            fprintf(stderr, ", %.*s", (int)d->field.len, d->field.ptr);
        fprintf(stderr, ", byte %llu: %.*s (%s)\n", (unsigned long long)d->offset,
                (int)d->message.len, d->message.ptr, d->kind);
    }
}

static int usage(void)
{
    fputs("usage: paxscreen screen --db DIR [--stats] FILE   (FILE may be - for stdin)\n",
          stderr);
    return 2;
}

int ps_cmd_screen(int argc, char **argv)
{
    const char *db = NULL, *path = NULL;
    bool stats = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--stats") == 0)
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
    if (ps_snapshot_begin(store, &run.snap, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "paxscreen screen: %s: %s\n", db, err);
        ps_store_close(store);
        return 3;
    }
    ps_input in;
    int e = ps_input_open(&in, path);
    if (e) {
        fprintf(stderr, "paxscreen screen: %s: %s\n", path, strerror(e));
        ps_snapshot_end(run.snap);
        ps_store_close(store);
        return 1;
    }
    ps_arena_init(&run.scratch);
    ps_buf_init(&run.out);
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
        run.batch_id = (ps_str){ base, strlen(base) };
        screen_all(&run, batch.travellers, batch.n_travellers);
        flush_out(&run);
    } else {
        ps_paxlst_callbacks cb = { on_message, NULL, &run };
        ps_paxlst_read(in.data, in.len, &cb, &diags, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

    report_diags(path, &diags);
    int rc = 0;
    if (run.store_error) {
        fprintf(stderr, "paxscreen screen: %s: %s\n", db, run.err);
        rc = 3;
    } else if (ps_diag_count(&diags, PS_ERROR)) {
        rc = 1;
    }
    if (stats)
        fprintf(stderr,
                "{\"travellers\":%llu,\"documents\":%llu,\"hits\":%llu,\"seconds\":%.6f,"
                "\"travellers_per_s\":%.0f}\n",
                (unsigned long long)run.counts.travellers,
                (unsigned long long)run.counts.documents, (unsigned long long)run.counts.hits,
                seconds, seconds > 0 ? (double)run.counts.travellers / seconds : 0.0);
    if (fflush(stdout) != 0 && errno != EPIPE)
        rc = rc ? rc : 1;
    ps_buf_free(&run.out);
    ps_arena_free(&run.scratch);
    ps_arena_free(&arena);
    ps_arena_free(&diag_arena);
    ps_input_close(&in);
    ps_snapshot_end(run.snap);
    ps_store_close(store);
    return rc;
}
