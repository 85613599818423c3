/* ingest/intake.c — durable intake of carrier batches, on a worker thread: POST /v1/batches
 * (a JSON batch) and POST /v1/paxlst (EDIFACT) are read once to check them (a malformed body
 * gets 400 naming its place and is not recorded), recorded in the batch store with a
 * synchronous commit, answered 202 with the batch id (a body sent before: 200 with the first
 * id and "duplicate": true), and then queued for screening in the background (workers.c);
 * ps_intake_screen reads the body back from the batch store, screens it, and stores the
 * batch's hits and its status 'screened' in one transaction. A batch found still 'received'
 * at start-up (the server stopped between the two commits) is screened the same way.
 * Hits carry the server's batch id, so a batch screened again gives the same hit ids. */
#include "paxscreend.h"

#include "paxscreen/border_stats.h"
#include "paxscreen/json_batch.h"
#include "paxscreen/paxlst.h"
#include "paxscreen/record_json.h"
#include "paxscreen/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- checking a body ---------------------------------------------------------------------- */

typedef struct count_ctx {
    uint64_t messages, travellers;
} count_ctx;

static void count_message(void *ctx, const ps_paxlst_message *m)
{
    count_ctx *c = ctx;
    c->messages++;
    c->travellers += m->n_travellers;
}

/* Reads the body; on a problem writes the 400 body into out and returns false. */
static bool check_body(ps_worker_ctx *w, ps_batch_format format, const char *body, size_t len,
                       uint64_t *travellers, uint32_t *warnings, ps_buf *out)
{
    ps_diag_list diags;
    ps_diag_list_init(&diags, &w->arena);
    bool json = ps_json_looks_like(body, len);
    if (format == PS_BATCH_JSON) {
        if (!json) {
            ps_buf_puts(out, "{\"error\":{\"status\":400,\"message\":\"body: expected a JSON "
                             "batch {\\\"flight\\\", \\\"travellers\\\"}; send EDIFACT PAXLST "
                             "to /v1/paxlst\",\"offset\":0}}");
            return false;
        }
        ps_batch b;
        bool ok = ps_json_batch_parse(body, len, &w->arena, &b, &diags);
        if (!ok || ps_diag_count(&diags, PS_ERROR)) {
            ps_api_diag_error(out, "body", &diags);
            return false;
        }
        *travellers = b.n_travellers;
    } else {
        if (json) {
            ps_buf_puts(out, "{\"error\":{\"status\":400,\"message\":\"body: expected EDIFACT "
                             "PAXLST; send JSON batches to /v1/batches\",\"offset\":0}}");
            return false;
        }
        count_ctx cc = {0, 0};
        ps_paxlst_callbacks cb = {count_message, NULL, &cc};
        bool ok = ps_paxlst_read(body, len, &cb, &diags, NULL);
        if (!ok || ps_diag_count(&diags, PS_ERROR)) {
            ps_api_diag_error(out, "body", &diags);
            return false;
        }
        if (cc.messages == 0) {
            ps_buf_puts(out, "{\"error\":{\"status\":400,\"message\":\"body: no message "
                             "(UNH..UNT) in the interchange\",\"offset\":0}}");
            return false;
        }
        *travellers = cc.travellers;
    }
    *warnings = ps_diag_count(&diags, PS_WARNING);
    return true;
}

/* ---- screening a recorded batch ----------------------------------------------------------- */

typedef struct batch_run {
    ps_worker_ctx *w;
    ps_snapshot *snap;
    ps_str batch_id;
    ps_buf hits;    /* hit JSON, back to back */
    ps_buf offsets; /* size_t end offset of each hit in hits */
    uint32_t n_hits;
    uint64_t travellers;
    int store_error;
    ps_rules_snapshot *rules; /* the targeting rules of the same snapshot */
    ps_stats_batch stats;     /* what the batch adds to the border statistics */
    ps_str lists[16];         /* the lists the traveller being screened hit */
    uint32_t n_lists;
    const ps_flight_leg *flight; /* of the batch or message being screened, or NULL */
    int64_t now;                 /* which rules are in force */
} batch_run;

/* Hit review (paxscreen/hit_review.h): the stored hit gets the traveller's "identity", and
 * "suppressed" when an earlier false_positive decision covers this identity on this entry at
 * this version. A failed lookup suppresses nothing (the hit alerts as usual). */
static void mark_for_review(batch_run *run, const ps_hit *h, size_t start)
{
    ps_buf *b = &run->hits;
    if (!h->traveller || b->len <= start || b->data[b->len - 1] != '}')
        return;
    char identity[PS_IDENTITY_HEX];
    ps_traveller_identity(h->traveller, identity);
    if (!identity[0])
        return;
    b->len--;
    ps_buf_printf(b, ",\"identity\":\"%s\"", identity);
    bool suppressed = false;
    uint64_t by_cursor = 0, by_seq = 0;
    char err[256];
    if (ps_hit_suppression_find(run->w->srv->batches, identity, h->list.ptr, h->list.len,
                                h->entry_id.ptr, h->entry_id.len, h->entry_version, &suppressed,
                                &by_cursor, &by_seq, err, sizeof err) != PS_BSTORE_OK)
        fprintf(stderr, "paxscreend: batch %.*s: %s\n", (int)run->batch_id.len, run->batch_id.ptr,
                err);
    if (suppressed)
        ps_buf_printf(b, ",\"suppressed\":{\"cursor\":%llu,\"seq\":%llu}",
                      (unsigned long long)by_cursor, (unsigned long long)by_seq);
    ps_buf_putc(b, '}');
}

static void on_hit(void *ctx, const ps_hit *h)
{
    batch_run *run = ctx;
    bool seen = false; /* a list counts once per traveller */
    for (uint32_t i = 0; i < run->n_lists && !seen; i++)
        seen = run->lists[i].len == h->list.len &&
               memcmp(run->lists[i].ptr, h->list.ptr, h->list.len) == 0;
    if (!seen && run->n_lists < sizeof run->lists / sizeof run->lists[0])
        run->lists[run->n_lists++] = h->list;
    size_t start = run->hits.len;
    ps_hit with_flight = *h; /* analysts find hits by flight */
    with_flight.flight = run->flight;
    ps_json_write_hit(&run->hits, &with_flight, run->batch_id);
    mark_for_review(run, h, start);
    size_t end = run->hits.len;
    ps_buf_append(&run->offsets, &end, sizeof end);
    run->n_hits++;
}

static void screen_travellers(batch_run *run, const ps_traveller *t, uint32_t n)
{
    ps_screen_counts counts = {0};
    for (uint32_t i = 0; i < n && !run->store_error; i++) {
        run->n_lists = 0;
        int rc = ps_screen_traveller(run->snap, &t[i], &run->w->scratch, on_hit, run, &counts);
        if (rc == PS_STORE_OK)
            rc = ps_rules_screen(run->rules, &t[i], run->flight, run->now, on_hit, run, NULL);
        if (rc != PS_STORE_OK)
            run->store_error = rc;
        else
            ps_stats_count_traveller(&run->stats, &t[i], run->flight, run->lists, run->n_lists);
        ps_arena_reset(&run->w->scratch);
        ps_workers_serve_requests(run->w); /* border systems do not wait for the batch */
    }
    run->travellers += counts.travellers;
}

static void screen_message(void *ctx, const ps_paxlst_message *m)
{
    batch_run *run = ctx;
    run->flight = m->n_legs ? &m->legs[0] : NULL;
    screen_travellers(run, m->travellers, m->n_travellers);
}

static void advance_cursor(ps_server *srv, uint64_t last)
{
    uint64_t cur = atomic_load(&srv->new_hits_cursor);
    while (cur < last && !atomic_compare_exchange_weak(&srv->new_hits_cursor, &cur, last))
        ;
    uv_async_send(&srv->wake);
}

static void screen_recorded(ps_worker_ctx *w, uint64_t id, ps_batch_format format, const char *body,
                            size_t len)
{
    ps_server *srv = w->srv;
    char idtext[24];
    int n = snprintf(idtext, sizeof idtext, "%llu", (unsigned long long)id);
    batch_run run;
    memset(&run, 0, sizeof run);
    run.w = w;
    run.batch_id = (ps_str){idtext, (size_t)n};
    ps_buf_init(&run.hits);
    ps_buf_init(&run.offsets);
    char err[256];
    char reason[300] = "";
    uint64_t t0 = ps_now_ns();
    run.now = (int64_t)time(NULL);
    ps_stats_batch_init(&run.stats, (uint32_t)(run.now / 86400));
    if (!(run.snap = ps_worker_snapshot(w, err, sizeof err))) {
        snprintf(reason, sizeof reason, "the alert store could not be read: %s", err);
    } else if (ps_rules_snapshot_begin(run.snap, srv->rules_cache, &run.rules, err, sizeof err) !=
               PS_STORE_OK) {
        snprintf(reason, sizeof reason, "the targeting rules could not be read: %s", err);
    } else {
        ps_diag_list diags;
        ps_diag_list_init(&diags, &w->arena);
        if (format == PS_BATCH_JSON) {
            ps_batch b;
            ps_json_batch_parse(body, len, &w->arena, &b, &diags);
            run.flight = b.has_flight ? &b.flight : NULL;
            screen_travellers(&run, b.travellers, b.n_travellers);
        } else {
            ps_paxlst_callbacks cb = {screen_message, NULL, &run};
            ps_paxlst_read(body, len, &cb, &diags, NULL);
        }
        ps_rules_snapshot_end(run.rules);
        if (run.store_error)
            snprintf(reason, sizeof reason, "reading the alert store failed (code %d)",
                     run.store_error);
    }
    ps_histogram_observe(&ps_metrics_g.screen_latency, ps_now_ns() - t0);

    bool failed = reason[0] != '\0';
    uint32_t nh = failed ? 0 : run.n_hits;
    ps_stored_hit *hits = NULL;
    if (nh) {
        hits = malloc(nh * sizeof *hits);
        if (!hits)
            abort();
        const size_t *ends = (const size_t *)(void *)run.offsets.data;
        size_t start = 0;
        for (uint32_t i = 0; i < nh; i++) {
            hits[i].json = run.hits.data + start;
            hits[i].len = ends[i] - start;
            start = ends[i];
        }
    }
    uint64_t first;
    bool already;
    int rc = ps_batch_store_finish_counted(
        srv->batches, id, failed ? PS_BATCH_FAILED : PS_BATCH_SCREENED, reason,
        failed ? 0 : (uint32_t)run.travellers, hits, nh, failed ? NULL : run.stats.items,
        failed ? 0 : run.stats.n, &first, &already, err, sizeof err);
    ps_stats_batch_free(&run.stats);
    free(hits);
    if (rc != PS_BSTORE_OK) {
        /* still 'received': screened again at the next start */
        fprintf(stderr, "paxscreend: batch %s: storing its hits failed: %s\n", idtext, err);
    } else if (!already) {
        if (failed) {
            atomic_fetch_add(&ps_metrics_g.batches_failed, 1);
            fprintf(stderr, "paxscreend: batch %s failed: %s\n", idtext, reason);
        } else {
            atomic_fetch_add(&ps_metrics_g.batches_screened, 1);
            atomic_fetch_add(&ps_metrics_g.travellers, run.travellers);
            atomic_fetch_add(&ps_metrics_g.hits, nh);
            if (nh)
                advance_cursor(srv, first + nh - 1);
        }
    }
    ps_buf_free(&run.hits);
    ps_buf_free(&run.offsets);
}

/* ---- the endpoints ------------------------------------------------------------------------ */

void ps_intake_submit(ps_worker_ctx *w, ps_job *job)
{
    ps_server *srv = w->srv;
    ps_batch_format format = job->route.kind == PS_R_PAXLST ? PS_BATCH_PAXLST : PS_BATCH_JSON;
    ps_reply *r = job->reply;
    uint64_t travellers = 0;
    uint32_t warnings = 0;
    if (!check_body(w, format, job->body ? job->body : "", job->body_len, &travellers, &warnings,
                    &r->body)) {
        atomic_fetch_add(&ps_metrics_g.batches_rejected, 1);
        r->status = 400;
        ps_api_post(w, job);
        return;
    }
    ps_arena_reset(&w->arena);
    if (!srv->cfg->intake_only && ps_workers_backlog(srv->workers) >= srv->cfg->max_backlog) {
        /* screening is behind: take no more until it catches up (nothing recorded) */
        atomic_fetch_add(&ps_metrics_g.queue_full, 1);
        r->status = 503;
        r->retry_after = true;
        ps_buf_printf(&r->body,
                      "{\"error\":{\"status\":503,\"message\":\"busy: %u batches wait to be "
                      "screened; retry shortly\"}}",
                      srv->cfg->max_backlog);
        ps_api_post(w, job);
        return;
    }
    uint64_t id;
    bool duplicate;
    char err[256];
    int rc = ps_batch_store_receive(srv->batches, format, job->body ? job->body : "", job->body_len,
                                    r->token, &id, &duplicate, err, sizeof err);
    if (rc != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreend: recording a batch failed: %s\n", err);
        r->status = rc == PS_BSTORE_FULL ? 507 : 500;
        ps_buf_printf(&r->body,
                      "{\"error\":{\"status\":%d,\"message\":\"the batch could not be "
                      "recorded; it was not accepted\"}}",
                      r->status);
        ps_api_post(w, job);
        return;
    }
    if (duplicate) {
        atomic_fetch_add(&ps_metrics_g.batches_duplicate, 1);
        ps_batch_info info;
        const char *status = "received";
        if (ps_batch_store_get(srv->batches, id, &info, err, sizeof err) == PS_BSTORE_OK)
            status = ps_batch_status_name(info.status);
        r->status = 200;
        ps_buf_printf(&r->body, "{\"batch_id\":\"%llu\",\"duplicate\":true,\"status\":\"%s\"}",
                      (unsigned long long)id, status);
        ps_api_post(w, job);
        return;
    }
    atomic_fetch_add(&ps_metrics_g.batches_received, 1);
    r->status = 202;
    ps_buf_printf(&r->body,
                  "{\"batch_id\":\"%llu\",\"duplicate\":false,\"status\":\"received\","
                  "\"travellers\":%llu,\"warnings\":%u}",
                  (unsigned long long)id, (unsigned long long)travellers, warnings);
    ps_api_post(w, job); /* the client has its answer; screening follows in the background */
    ps_intake_queue(srv, id);
}

void ps_intake_queue(ps_server *srv, uint64_t batch_id)
{
    if (srv->cfg->intake_only)
        return;
    ps_job *screen = calloc(1, sizeof *screen);
    if (!screen)
        abort();
    screen->kind = PS_JOB_SCREEN;
    screen->batch_id = batch_id;
    if (!ps_workers_submit(srv->workers, screen, true))
        free(screen); /* stopping: the batch stays 'received' and is screened at the next start */
}

void ps_intake_screen(ps_worker_ctx *w, uint64_t batch_id)
{
    char err[256];
    ps_batch_info info;
    if (ps_batch_store_get(w->srv->batches, batch_id, &info, err, sizeof err) != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreend: screening batch %llu: %s\n", (unsigned long long)batch_id,
                err);
        return;
    }
    if (info.status != PS_BATCH_RECEIVED)
        return;
    char *body;
    size_t len;
    if (ps_batch_store_body(w->srv->batches, batch_id, &body, &len, err, sizeof err) !=
        PS_BSTORE_OK) {
        fprintf(stderr, "paxscreend: screening batch %llu: %s\n", (unsigned long long)batch_id,
                err);
        return;
    }
    screen_recorded(w, batch_id, info.format, body, len);
    free(body);
}
