/* ingest/api.c — the endpoints that answer from a worker thread without recording anything:
 * POST /v1/screen (synchronous screening of one traveller or a small batch), GET
 * /v1/batches/{id} (status and hits), GET /v1/hits (the hit log, paged by cursor) and the
 * reads behind a hit stream; plus the helpers every worker-side handler uses to answer. */
#include "paxscreend.h"

#include "paxscreen/hit_review.h"

#include "paxscreen/json_batch.h"
#include "paxscreen/record_json.h"
#include "paxscreen/screen.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void ps_api_post(ps_worker_ctx *w, ps_job *job)
{
    ps_reply *r = job->reply;
    job->reply = NULL;
    if (r)
        ps_workers_post(w->srv->workers, r);
}

static void answer(ps_worker_ctx *w, ps_job *job, ps_reply *made)
{
    /* moves a reply made with ps_reply_error into the job's (keeping seq, conn, timing) */
    ps_reply *r = job->reply;
    r->status = made->status;
    r->content_type = made->content_type;
    ps_buf tmp = r->body;
    r->body = made->body;
    made->body = tmp;
    ps_reply_free(made);
    ps_api_post(w, job);
}

void ps_api_errorf(ps_job *job, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps_reply *r = job->reply;
    r->status = status;
    r->body.len = 0;
    ps_buf_printf(&r->body, "{\"error\":{\"status\":%d,\"message\":", status);
    ps_json_string(&r->body, msg, strlen(msg));
    ps_buf_puts(&r->body, "}}");
}

void ps_api_diag_error(ps_buf *b, const char *what, const ps_diag_list *diags)
{
    const ps_diag *first = NULL;
    for (uint32_t i = 0; i < diags->count && !first; i++)
        if (diags->items[i].severity == PS_ERROR)
            first = &diags->items[i];
    ps_buf_puts(b, "{\"error\":{\"status\":400,\"message\":");
    if (first) {
        char place[160];
        int n = snprintf(place, sizeof place, "%s: ", what);
        if (first->segment)
            n += snprintf(place + n, sizeof place - (size_t)n, "segment %u, ", first->segment);
        if (first->field.len)
            n += snprintf(place + n, sizeof place - (size_t)n, "%.*s, ",
                          (int)(first->field.len > 60 ? 60 : first->field.len), first->field.ptr);
        snprintf(place + n, sizeof place - (size_t)n,
                 "byte %llu: ", (unsigned long long)first->offset);
        ps_buf msg;
        ps_buf_init(&msg);
        ps_buf_puts(&msg, place);
        ps_buf_append(&msg, first->message.ptr, first->message.len);
        ps_json_string(b, msg.data, msg.len);
        ps_buf_free(&msg);
        ps_buf_puts(b, ",\"kind\":");
        ps_json_string(b, first->kind, strlen(first->kind));
        ps_buf_printf(b, ",\"offset\":%llu", (unsigned long long)first->offset);
        if (first->segment)
            ps_buf_printf(b, ",\"segment\":%u", first->segment);
        if (first->field.len) {
            ps_buf_puts(b, ",\"field\":");
            ps_json_string(b, first->field.ptr, first->field.len);
        }
    } else {
        ps_buf_printf(b, "\"%s: unreadable\"", what);
    }
    ps_buf_puts(b, "},\"errors\":[");
    bool comma = false;
    for (uint32_t i = 0; i < diags->count; i++) {
        if (diags->items[i].severity != PS_ERROR)
            continue;
        if (comma)
            ps_buf_putc(b, ',');
        ps_json_write_diag(b, &diags->items[i]);
        comma = true;
    }
    ps_buf_puts(b, "],\"warnings\":[");
    comma = false;
    for (uint32_t i = 0; i < diags->count; i++) {
        if (diags->items[i].severity != PS_WARNING)
            continue;
        if (comma)
            ps_buf_putc(b, ',');
        ps_json_write_diag(b, &diags->items[i]);
        comma = true;
    }
    ps_buf_puts(b, "]}");
}

/* ---- POST /v1/screen ---------------------------------------------------------------------- */

typedef struct screen_out {
    ps_buf *b;
    uint64_t hits;
} screen_out;

static void on_hit(void *ctx, const ps_hit *h)
{
    screen_out *o = ctx;
    if (o->hits++)
        ps_buf_putc(o->b, ',');
    ps_json_write_hit(o->b, h, PS_STR_LIT("screen"));
}

static void screen(ps_worker_ctx *w, ps_job *job)
{
    const ps_config *cfg = w->srv->cfg;
    if (!ps_json_looks_like(job->body, job->body_len)) {
        answer(w, job,
               ps_reply_error(400, "body: expected a JSON traveller object or a batch "
                                   "{\"travellers\": [...]}"));
        return;
    }
    ps_diag_list diags;
    ps_diag_list_init(&diags, &w->arena);
    ps_batch batch;
    bool ok = ps_json_batch_parse(job->body, job->body_len, &w->arena, &batch, &diags);
    ps_reply *r = job->reply;
    if (!ok || ps_diag_count(&diags, PS_ERROR)) {
        r->status = 400;
        ps_api_diag_error(&r->body, "body", &diags);
        ps_api_post(w, job);
        return;
    }
    if (batch.n_travellers > cfg->max_screen_travellers) {
        answer(w, job,
               ps_reply_error(413,
                              "travellers: %u, more than the %u /v1/screen takes; "
                              "send larger batches to /v1/batches",
                              batch.n_travellers, cfg->max_screen_travellers));
        return;
    }
    char err[256];
    ps_snapshot *snap = ps_worker_snapshot(w, err, sizeof err);
    if (!snap) {
        fprintf(stderr, "paxscreend: screen: the alert store: %s\n", err);
        answer(w, job, ps_reply_error(500, "the alert store could not be read"));
        return;
    }
    ps_rules_snapshot *rules;
    if (ps_rules_snapshot_begin(snap, w->srv->rules_cache, &rules, err, sizeof err) !=
        PS_STORE_OK) {
        fprintf(stderr, "paxscreend: screen: the targeting rules: %s\n", err);
        answer(w, job, ps_reply_error(500, "the targeting rules could not be read"));
        return;
    }
    uint64_t t0 = ps_now_ns();
    int64_t now = (int64_t)time(NULL);
    const ps_flight_leg *flight = batch.has_flight ? &batch.flight : NULL;
    ps_buf_puts(&r->body, "{\"hits\":[");
    screen_out out = {&r->body, 0};
    ps_screen_counts counts = {0};
    int rc = PS_STORE_OK;
    for (uint32_t i = 0; i < batch.n_travellers && rc == PS_STORE_OK; i++) {
        rc = ps_screen_traveller(snap, &batch.travellers[i], &w->scratch, on_hit, &out, &counts);
        if (rc == PS_STORE_OK)
            rc = ps_rules_screen(rules, &batch.travellers[i], flight, now, on_hit, &out, NULL);
        ps_arena_reset(&w->scratch);
    }
    uint64_t version = ps_snapshot_version(snap);
    ps_rules_snapshot_end(rules);
    ps_histogram_observe(&ps_metrics_g.screen_latency, ps_now_ns() - t0);
    if (rc != PS_STORE_OK) {
        fprintf(stderr, "paxscreend: screen: reading the alert store failed (code %d)\n", rc);
        r->body.len = 0;
        answer(w, job, ps_reply_error(500, "the alert store could not be read (code %d)", rc));
        return;
    }
    atomic_fetch_add(&ps_metrics_g.travellers, counts.travellers);
    atomic_fetch_add(&ps_metrics_g.hits, out.hits);
    ps_buf_printf(&r->body, "],\"travellers\":%u,\"lists_version\":%llu,\"warnings\":[",
                  batch.n_travellers, (unsigned long long)version);
    bool comma = false;
    for (uint32_t i = 0; i < diags.count; i++) {
        if (comma)
            ps_buf_putc(&r->body, ',');
        ps_json_write_diag(&r->body, &diags.items[i]);
        comma = true;
    }
    ps_buf_puts(&r->body, "]}");
    r->status = 200;
    ps_api_post(w, job);
}

/* ---- hits as stored ----------------------------------------------------------------------- */

typedef struct hit_writer {
    ps_buf *b;
    const char *sep; /* between hits */
    uint64_t n;
} hit_writer;

/* A stored hit with its cursor put first: {"cursor":N, ...the hit...}. */
static bool write_stored_hit(void *ctx, uint64_t cursor, const char *json, size_t len)
{
    hit_writer *hw = ctx;
    if (hw->n++ && hw->sep)
        ps_buf_puts(hw->b, hw->sep);
    ps_buf_printf(hw->b, "{\"cursor\":%llu", (unsigned long long)cursor);
    if (len > 2 && json[0] == '{') {
        ps_buf_putc(hw->b, ',');
        ps_buf_append(hw->b, json + 1, len - 1);
    } else {
        ps_buf_putc(hw->b, '}');
    }
    if (!hw->sep)
        ps_buf_putc(hw->b, '\n');
    return true;
}

static void time_iso(ps_buf *b, const char *key, uint64_t ms)
{
    if (!ms)
        return;
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    char text[32];
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    ps_buf_printf(b, ",\"%s\":\"%s.%03uZ\"", key, text, (unsigned)(ms % 1000));
}

/* ---- GET /v1/batches/{id} ----------------------------------------------------------------- */

/* Every read of hits goes into the audit log (who, what, from where, how many); a read of
 * nothing is not recorded. A failure to record is logged, and the read still answered. */
void ps_api_audit_read(ps_worker_ctx *w, ps_job *job, const char *action, uint64_t since,
                       uint64_t n)
{
    if (!n)
        return;
    char err[256];
    const char *who = job->reply && job->reply->token ? job->reply->token : "-";
    if (ps_audit_read(w->srv->batches, who, action, since, n, err, sizeof err) != PS_BSTORE_OK)
        fprintf(stderr, "paxscreend: audit: %s\n", err);
}

static void batch_get(ps_worker_ctx *w, ps_job *job)
{
    char err[256];
    ps_batch_info info;
    int rc = ps_batch_store_get(w->srv->batches, job->route.id, &info, err, sizeof err);
    if (rc == PS_BSTORE_NOT_FOUND) {
        answer(w, job,
               ps_reply_error(404, "path: no batch %llu", (unsigned long long)job->route.id));
        return;
    }
    if (rc != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreend: %s\n", err);
        answer(w, job, ps_reply_error(500, "the batch store could not be read"));
        return;
    }
    /* A carrier learns that its batch was screened, never whom it matched: hits are for the
     * border authorities (system, analyst, admin). And it sees only its own batches (those
     * sent with a token of its name): another carrier's is "no batch", as if absent. */
    bool authority = ps_auth_allows(job->route.roles, PS_AUTH_SYSTEM | PS_AUTH_ANALYST);
    if (!authority && (!job->reply->token || strcmp(info.submitter, job->reply->token) != 0)) {
        answer(w, job,
               ps_reply_error(404, "path: no batch %llu", (unsigned long long)job->route.id));
        return;
    }
    ps_reply *r = job->reply;
    ps_buf *b = &r->body;
    ps_buf_printf(b, "{\"batch_id\":\"%llu\",\"status\":\"%s\",\"format\":\"%s\"",
                  (unsigned long long)info.id, ps_batch_status_name(info.status),
                  ps_batch_format_name(info.format));
    time_iso(b, "received_at", info.received_ms);
    time_iso(b, "screened_at", info.screened_ms);
    ps_buf_printf(b, ",\"bytes\":%llu", (unsigned long long)info.body_bytes);
    if (authority && info.submitter[0]) {
        ps_buf_puts(b, ",\"submitted_by\":");
        ps_json_string(b, info.submitter, strlen(info.submitter));
    }
    if (info.status != PS_BATCH_RECEIVED)
        ps_buf_printf(b, ",\"travellers\":%u", info.travellers);
    if (info.status != PS_BATCH_RECEIVED && authority)
        ps_buf_printf(b, ",\"hit_count\":%u", info.n_hits);
    if (info.reason[0]) {
        ps_buf_puts(b, ",\"reason\":");
        ps_json_string(b, info.reason, strlen(info.reason));
    }
    if (!authority) {
        ps_buf_putc(b, '}');
        r->status = 200;
        ps_api_post(w, job);
        return;
    }
    ps_buf_puts(b, ",\"hits\":[");
    hit_writer hw = {b, ",", 0};
    rc = ps_batch_store_hit_range(w->srv->batches, info.first_cursor, info.n_hits, write_stored_hit,
                                  &hw, err, sizeof err);
    if (rc != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreend: %s\n", err);
        b->len = 0;
        answer(w, job, ps_reply_error(500, "the batch store could not be read"));
        return;
    }
    ps_buf_puts(b, "]}");
    r->status = 200;
    ps_api_audit_read(w, job, "batch_read", info.id, hw.n);
    ps_api_post(w, job);
}

/* ---- GET /v1/hits and the hit stream ------------------------------------------------------ */

static void hits_page(ps_worker_ctx *w, ps_job *job)
{
    uint64_t limit = job->route.limit ? job->route.limit : 100;
    if (limit > w->srv->cfg->max_hits_page)
        limit = w->srv->cfg->max_hits_page;
    ps_reply *r = job->reply;
    ps_buf_puts(&r->body, "{\"hits\":[");
    hit_writer hw = {&r->body, ",", 0};
    uint64_t last = job->route.since;
    char err[256];
    int rc = ps_batch_store_hits(w->srv->batches, job->route.since, limit, write_stored_hit, &hw,
                                 &last, err, sizeof err);
    if (rc != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreend: %s\n", err);
        r->body.len = 0;
        answer(w, job, ps_reply_error(500, "the batch store could not be read"));
        return;
    }
    ps_buf_printf(&r->body, "],\"next\":%llu}", (unsigned long long)last);
    r->status = 200;
    ps_api_audit_read(w, job, "hits_list", job->route.since, hw.n);
    ps_api_post(w, job);
}

#define STREAM_CHUNK 1000

static void stream_read(ps_worker_ctx *w, ps_job *job)
{
    ps_reply *r = job->reply;
    hit_writer hw = {&r->body, NULL, 0};
    uint64_t last = job->route.since;
    char err[256];
    int rc = ps_batch_store_hits(w->srv->batches, job->route.since, STREAM_CHUNK, write_stored_hit,
                                 &hw, &last, err, sizeof err);
    if (rc != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreend: %s\n", err);
        r->status = 500;
        r->body.len = 0;
    } else {
        r->status = 200;
    }
    r->stream_cursor = last;
    r->more = hw.n == STREAM_CHUNK;
    if (rc == PS_BSTORE_OK)
        ps_api_audit_read(w, job, "hits_stream", job->route.since, hw.n);
    ps_api_post(w, job);
}

ps_snapshot *ps_worker_snapshot(ps_worker_ctx *w, char *err, size_t errlen)
{
    return ps_snapshot_current(w->srv->store, &w->snap, err, errlen) == PS_STORE_OK ? w->snap
                                                                                    : NULL;
}

void ps_api_run(ps_worker_ctx *w, ps_job *job)
{
    if (job->kind == PS_JOB_STREAM) {
        stream_read(w, job);
        return;
    }
    switch (job->route.kind) {
    case PS_R_SCREEN:
        screen(w, job);
        break;
    case PS_R_BATCH_GET:
        batch_get(w, job);
        break;
    case PS_R_HITS:
        if (ps_hit_filter_active(&job->route.filter))
            ps_api_review(w, job); /* filtered: api_review.c */
        else
            hits_page(w, job);
        break;
    case PS_R_HIT_GET:
    case PS_R_HIT_DECISION:
    case PS_R_AUDIT:
        ps_api_review(w, job);
        break;
    case PS_R_IAPI:
        ps_api_iapi(w, job);
        break;
    case PS_R_LISTS:
    case PS_R_LIST_ENTRY:
    case PS_R_LIST_IMPORT:
        ps_api_lists(w, job);
        break;
    case PS_R_RULES:
    case PS_R_RULE:
        ps_api_rules(w, job);
        break;
    case PS_R_STATS:
        ps_api_stats(w, job);
        break;
    default:
        answer(w, job, ps_reply_error(404, "path: no such endpoint"));
        break;
    }
}
