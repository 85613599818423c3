/* ingest/api_iapi.c — POST /v1/iapi: interactive API. A carrier sends a PAXLST message (one
 * interchange, usually one flight's passengers at check-in) and waits for the answer: a CUSRES
 * interchange per PAXLST message with one board / no-board verdict per traveller
 * (formats/cusres.c, paxlst.md §4).
 *
 * The request is first recorded in the batch store like POST /v1/paxlst (durable; the same
 * bytes again are a duplicate), so its hits reach the hit log and the hit stream when the
 * background screening of the batch stores them; then every traveller is screened at once
 * against one snapshot and the answer is written. Verdict per traveller, strongest first:
 * a hit (of the lists or a targeting rule) whose action is no_board -> 1Z (do not board); refer
 * -> 2Z (contact the authorities);
 * no surname, no travel document number or no birth date -> 4Z (insufficient data); else 0Z.
 * A notify hit does not change the carrier's answer. The CUSRES control reference is the
 * batch id (so a duplicate request gets the same answer); message references count from 1. */
#include "paxscreend.h"

#include "paxscreen/cusres.h"
#include "paxscreen/json_batch.h"
#include "paxscreen/paxlst.h"
#include "paxscreen/screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct iapi_run {
    ps_worker_ctx *w;
    const char *body;
    size_t len;
    ps_snapshot *snap;
    ps_rules_snapshot *rules;
    int64_t now_s; /* which targeting rules are in force */
    char control_ref[24];
    ps_date now;
    ps_buf *out;       /* the CUSRES interchanges */
    uint32_t messages; /* answered so far */
    uint64_t travellers, hits;
    int store_rc;    /* first screening error */
    char error[256]; /* first writing error */
} iapi_run;

/* The strongest action among a traveller's hits. */
typedef struct verdict_ctx {
    ps_action strongest; /* PS_ACTION_NONE when no hit */
    uint64_t hits;
} verdict_ctx;

static int action_rank(ps_action a)
{
    return a == PS_ACTION_NO_BOARD ? 3 : a == PS_ACTION_REFER ? 2 : a == PS_ACTION_NOTIFY ? 1 : 0;
}

static void on_hit(void *ctx, const ps_hit *h)
{
    verdict_ctx *v = ctx;
    v->hits++;
    if (action_rank(h->action) > action_rank(v->strongest))
        v->strongest = h->action;
}

static bool has_document_number(const ps_traveller *t)
{
    for (uint32_t i = 0; i < t->n_documents; i++)
        if (t->documents[i].number.len)
            return true;
    return false;
}

static ps_cusres_status judge(const ps_traveller *t, const verdict_ctx *v)
{
    if (v->strongest == PS_ACTION_NO_BOARD)
        return PS_CUSRES_DO_NOT_BOARD;
    if (v->strongest == PS_ACTION_REFER)
        return PS_CUSRES_CONTACT;
    if (!t->surname.len || !has_document_number(t) || t->birth_date.precision == PS_DATE_NONE)
        return PS_CUSRES_INSUFFICIENT_DATA;
    return PS_CUSRES_OK_TO_BOARD;
}

static void answer_message(void *ctx, const ps_paxlst_message *m)
{
    iapi_run *run = ctx;
    if (run->store_rc != PS_STORE_OK || run->error[0])
        return;
    ps_edi_interchange request;
    if (!ps_cusres_find_interchange(run->body, run->len, m->interchange, &request)) {
        snprintf(run->error, sizeof run->error, "interchange %u of the request has no UNB",
                 m->interchange + 1);
        return;
    }
    ps_arena *arena = &run->w->arena;
    uint32_t n = m->n_travellers;
    ps_cusres_verdict *verdicts = n ? ps_arena_alloc(arena, n * sizeof *verdicts) : NULL;
    for (uint32_t i = 0; i < n && run->store_rc == PS_STORE_OK; i++) {
        verdict_ctx v = {PS_ACTION_NONE, 0};
        run->store_rc =
            ps_screen_traveller(run->snap, &m->travellers[i], &run->w->scratch, on_hit, &v, NULL);
        if (run->store_rc == PS_STORE_OK)
            run->store_rc =
                ps_rules_screen(run->rules, &m->travellers[i], m->n_legs ? &m->legs[0] : NULL,
                                run->now_s, on_hit, &v, NULL);
        ps_arena_reset(&run->w->scratch);
        verdicts[i] = (ps_cusres_verdict){judge(&m->travellers[i], &v), PS_STR_NULL};
        run->hits += v.hits;
    }
    if (run->store_rc != PS_STORE_OK)
        return;
    run->travellers += n;
    char message_ref[16];
    snprintf(message_ref, sizeof message_ref, "%u", ++run->messages);
    ps_cusres_params params = {run->control_ref, message_ref, run->now};
    if (ps_cusres_write(run->out, &request, m, verdicts, n, &params, NULL, run->error,
                        sizeof run->error) != PS_EDI_WRITE_OK)
        run->messages--;
}

static ps_date utc_now(void)
{
    time_t s = time(NULL);
    struct tm tm;
    gmtime_r(&s, &tm);
    return (ps_date){.year = (int16_t)(tm.tm_year + 1900),
                     .month = (uint8_t)(tm.tm_mon + 1),
                     .day = (uint8_t)tm.tm_mday,
                     .hour = (uint8_t)tm.tm_hour,
                     .minute = (uint8_t)tm.tm_min,
                     .precision = PS_DATE_MINUTE};
}

/* Reads the request; on a problem writes the 400 body into out and returns false. */
static bool check_request(ps_worker_ctx *w, const char *body, size_t len, ps_buf *out)
{
    if (ps_json_looks_like(body, len)) {
        ps_buf_puts(out, "{\"error\":{\"status\":400,\"message\":\"body: expected an EDIFACT "
                         "PAXLST interchange; /v1/screen takes JSON\",\"offset\":0}}");
        return false;
    }
    ps_diag_list diags;
    ps_diag_list_init(&diags, &w->arena);
    ps_paxlst_stats stats = {0};
    ps_paxlst_callbacks cb = {NULL, NULL, NULL};
    bool ok = ps_paxlst_read(body, len, &cb, &diags, &stats);
    if (!ok || ps_diag_count(&diags, PS_ERROR)) {
        ps_api_diag_error(out, "body", &diags);
        return false;
    }
    if (stats.logical_messages == 0) {
        ps_buf_puts(out, "{\"error\":{\"status\":400,\"message\":\"body: no PAXLST message "
                         "(UNH..UNT) in the interchange\",\"offset\":0}}");
        return false;
    }
    return true;
}

void ps_api_iapi(ps_worker_ctx *w, ps_job *job)
{
    ps_server *srv = w->srv;
    ps_reply *r = job->reply;
    const char *body = job->body ? job->body : "";
    if (!check_request(w, body, job->body_len, &r->body)) {
        r->status = 400;
        ps_api_post(w, job);
        return;
    }
    ps_arena_reset(&w->arena);
    char err[256];
    uint64_t id;
    bool duplicate;
    int rc = ps_batch_store_receive(srv->batches, PS_BATCH_PAXLST, body, job->body_len, r->token,
                                    &id, &duplicate, err, sizeof err);
    if (rc != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreend: iapi: recording the request failed: %s\n", err);
        r->status = rc == PS_BSTORE_FULL ? 507 : 500;
        ps_buf_printf(&r->body,
                      "{\"error\":{\"status\":%d,\"message\":\"the request could not be "
                      "recorded; no answer was given\"}}",
                      r->status);
        ps_api_post(w, job);
        return;
    }
    atomic_fetch_add(duplicate ? &ps_metrics_g.batches_duplicate : &ps_metrics_g.batches_received,
                     1);
    iapi_run run = {
        .w = w, .body = body, .len = job->body_len, .now = utc_now(), .store_rc = PS_STORE_OK};
    snprintf(run.control_ref, sizeof run.control_ref, "%llu", (unsigned long long)id);
    run.now_s = (int64_t)time(NULL);
    run.snap = ps_worker_snapshot(w, err, sizeof err);
    int src = run.snap ? PS_STORE_OK : PS_STORE_IO;
    if (src == PS_STORE_OK)
        src = ps_rules_snapshot_begin(run.snap, srv->rules_cache, &run.rules, err, sizeof err);
    if (src != PS_STORE_OK) {
        fprintf(stderr, "paxscreend: iapi: the alert store: %s\n", err);
        ps_buf_puts(&r->body, "{\"error\":{\"status\":500,\"message\":\"the alert store could "
                              "not be read\"}}");
        r->status = 500;
        ps_api_post(w, job);
        return;
    }
    uint64_t t0 = ps_now_ns();
    ps_buf cusres;
    ps_buf_init(&cusres);
    run.out = &cusres;
    ps_paxlst_callbacks cb = {answer_message, NULL, &run};
    ps_diag_list diags;
    ps_diag_list_init(&diags, &w->arena);
    ps_paxlst_read(body, job->body_len, &cb, &diags, NULL);
    ps_rules_snapshot_end(run.rules);
    ps_histogram_observe(&ps_metrics_g.screen_latency, ps_now_ns() - t0);
    if (run.store_rc != PS_STORE_OK || run.error[0]) {
        if (run.error[0])
            fprintf(stderr, "paxscreend: iapi: batch %llu: writing the answer: %s\n",
                    (unsigned long long)id, run.error);
        r->status = 500;
        ps_buf_printf(&r->body,
                      "{\"error\":{\"status\":500,\"message\":\"the answer could not be "
                      "made (%s); the request is recorded as batch %llu\"}}",
                      run.store_rc != PS_STORE_OK ? "alert store" : "CUSRES writer",
                      (unsigned long long)id);
    } else {
        atomic_fetch_add(&ps_metrics_g.travellers, run.travellers);
        r->status = 200;
        r->content_type = "application/edifact";
        ps_buf tmp = r->body;
        r->body = cusres;
        cusres = tmp;
    }
    ps_buf_free(&cusres);
    ps_api_post(w, job);
    if (!duplicate)
        ps_intake_queue(srv, id); /* the hits reach the hit log through the batch */
}
