/* ingest/api_review.c — the analysts' endpoints over the hit review (paxscreen/hit_review.h),
 * on a worker thread: GET /v1/hits with filters (status, list, action, kind, batch,
 * min_score, from, to), GET /v1/hits/{cursor} (the hit with its status and decisions; audited),
 * POST /v1/hits/{cursor}/decision and GET /v1/audit (admin; the export is audited too). Who
 * reads or decides is the token's name, never its secret. */
#include "paxscreend.h"

#include "paxscreen/rule.h"

#include "paxscreen/record_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* {"error": {"status", "message", "field"?}}, posted as the job's reply. */
static void fail(ps_worker_ctx *w, ps_job *job, int status, const char *field, const char *msg)
{
    ps_reply *r = job->reply;
    r->status = status;
    r->body.len = 0;
    ps_buf_printf(&r->body, "{\"error\":{\"status\":%d,\"message\":", status);
    ps_json_string(&r->body, msg, strlen(msg));
    if (field) {
        ps_buf_puts(&r->body, ",\"field\":");
        ps_json_string(&r->body, field, strlen(field));
    }
    ps_buf_puts(&r->body, "}}");
    ps_api_post(w, job);
}

/* A store failure: logged (no personal data: the store's message names places, not people),
 * answered 500 (507 when the store is full). */
static void store_failed(ps_worker_ctx *w, ps_job *job, int rc, const char *err)
{
    fprintf(stderr, "paxscreend: %s: %s\n", job->route.name, err);
    fail(w, job, rc == PS_BSTORE_FULL ? 507 : 500, NULL,
         rc == PS_BSTORE_FULL ? "the batch store is full" : "the batch store could not be used");
}

static const char *who(const ps_job *job)
{
    return job->reply->token ? job->reply->token : "-";
}

static uint64_t page_limit(ps_worker_ctx *w, const ps_job *job)
{
    uint64_t limit = job->route.limit ? job->route.limit : 100;
    return limit > w->srv->cfg->max_hits_page ? w->srv->cfg->max_hits_page : limit;
}

/* ---- GET /v1/hits?status=...&list=...&... --------------------------------------------------- */

typedef struct page {
    ps_buf *b;
    uint64_t n;
} page;

static bool add_hit(void *ctx, uint64_t cursor, ps_hit_status status, const char *json, size_t len)
{
    page *p = ctx;
    if (p->n++)
        ps_buf_putc(p->b, ',');
    ps_hit_listed_json(p->b, cursor, status, json, len);
    return true;
}

static void hits_filtered(ps_worker_ctx *w, ps_job *job)
{
    ps_reply *r = job->reply;
    ps_buf_puts(&r->body, "{\"hits\":[");
    page p = {&r->body, 0};
    uint64_t next;
    char err[256];
    int rc = ps_hit_list(w->srv->batches, &job->route.filter, job->route.since, page_limit(w, job),
                         add_hit, &p, &next, err, sizeof err);
    if (rc != PS_BSTORE_OK) {
        store_failed(w, job, rc, err);
        return;
    }
    ps_buf_printf(&r->body, "],\"next\":%llu}", (unsigned long long)next);
    r->status = 200;
    ps_api_audit_read(w, job, "hits_list", job->route.since, p.n);
    ps_api_post(w, job);
}

/* A hit named by its hit_id in the path: its cursor into job->route.id. False when answered. */
static bool resolve(ps_worker_ctx *w, ps_job *job)
{
    if (!job->route.hit_id[0])
        return true;
    char err[256];
    int rc = ps_hit_find_id(w->srv->batches, job->route.hit_id, strlen(job->route.hit_id),
                            &job->route.id, err, sizeof err);
    if (rc == PS_BSTORE_NOT_FOUND)
        fail(w, job, 404, NULL, err);
    else if (rc != PS_BSTORE_OK)
        store_failed(w, job, rc, err);
    return rc == PS_BSTORE_OK;
}

/* ---- GET /v1/hits/{cursor} ------------------------------------------------------------------ */

static void hit_get(ps_worker_ctx *w, ps_job *job)
{
    if (!resolve(w, job))
        return;
    char err[256];
    int rc =
        ps_hit_show(w->srv->batches, job->route.id, who(job), &job->reply->body, err, sizeof err);
    if (rc == PS_BSTORE_NOT_FOUND) {
        fail(w, job, 404, NULL, err);
        return;
    }
    if (rc != PS_BSTORE_OK) {
        store_failed(w, job, rc, err);
        return;
    }
    job->reply->status = 200;
    ps_api_post(w, job);
}

/* ---- POST /v1/hits/{cursor}/decision -------------------------------------------------------- */

/* Reads {"decision": "...", "note": "...", "valid_until": "YYYY-MM-DD[THH:MM]"} (a date alone
 * runs to the end of that day, UTC); on a problem answers 400 naming the field. */
static bool read_decision(ps_worker_ctx *w, ps_job *job, ps_hit_status *decision, char **note,
                          uint64_t *valid_until_ms)
{
    json_error_t je;
    json_t *o = json_loadb(job->body ? job->body : "", job->body_len, 0, &je);
    char msg[300];
    if (!o || !json_is_object(o)) {
        if (o)
            snprintf(msg, sizeof msg, "body: expected a JSON object {\"decision\", \"note\"}");
        else
            snprintf(msg, sizeof msg, "body: not JSON: line %d, column %d: %s", je.line, je.column,
                     je.text);
        json_decref(o);
        fail(w, job, 400, "body", msg);
        return false;
    }
    const char *key;
    json_t *val;
    json_object_foreach(o, key, val)
    {
        if (strcmp(key, "decision") != 0 && strcmp(key, "note") != 0 &&
            strcmp(key, "valid_until") != 0) {
            char field[64];
            snprintf(field, sizeof field, "%.60s", key);
            snprintf(msg, sizeof msg,
                     "%s: unknown field (a decision has decision, note and valid_until)", field);
            json_decref(o); /* frees key */
            fail(w, job, 400, field, msg);
            return false;
        }
    }
    json_t *d = json_object_get(o, "decision");
    const char *ds = json_string_value(d);
    if (!ds || !ps_hit_status_parse(ds, json_string_length(d), decision) ||
        !ps_hit_is_decision(*decision)) {
        json_decref(o);
        fail(w, job, 400, "decision",
             d ? "decision: must be true_match, false_positive or escalated"
               : "decision: required (true_match, false_positive or escalated)");
        return false;
    }
    json_t *n = json_object_get(o, "note");
    if (n && !json_is_null(n) && !json_is_string(n)) {
        json_decref(o);
        fail(w, job, 400, "note", "note: expected a string");
        return false;
    }
    const char *ns = json_string_value(n);
    size_t nl = ns ? json_string_length(n) : 0;
    if (nl > PS_REVIEW_NOTE_MAX || (ns && strlen(ns) != nl)) {
        snprintf(msg, sizeof msg, "note: %zu bytes, at most %d and no NUL", nl, PS_REVIEW_NOTE_MAX);
        json_decref(o);
        fail(w, job, 400, "note", msg);
        return false;
    }
    *valid_until_ms = 0;
    json_t *vu = json_object_get(o, "valid_until");
    if (vu && !json_is_null(vu)) {
        ps_date until;
        const char *vs = json_string_value(vu);
        if (!vs || !ps_date_parse_iso(vs, strlen(vs), &until) || until.precision < PS_DATE_DAY) {
            json_decref(o);
            fail(w, job, 400, "valid_until",
                 "valid_until: expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)");
            return false;
        }
        *valid_until_ms = (uint64_t)ps_rule_time(&until, true) * 1000u;
    }
    *note = strdup(ns ? ns : "");
    json_decref(o);
    if (!*note) {
        fail(w, job, 500, NULL, "out of memory");
        return false;
    }
    return true;
}

static void hit_decision(ps_worker_ctx *w, ps_job *job)
{
    ps_hit_status decision;
    char *note = NULL;
    uint64_t valid_until = 0;
    if (!resolve(w, job) || !read_decision(w, job, &decision, &note, &valid_until))
        return;
    ps_hit_decision d;
    char err[256];
    int rc = ps_hit_decide_until(w->srv->batches, job->route.id, decision, who(job), note, 0,
                                 valid_until, &d, err, sizeof err);
    free(note);
    if (rc == PS_BSTORE_NOT_FOUND) {
        fail(w, job, 404, NULL, err);
        return;
    }
    if (rc == PS_BSTORE_INVALID) {
        char field[32];
        size_t fl = strcspn(err, ":");
        snprintf(field, sizeof field, "%.*s", (int)(fl < 31 ? fl : 31), err);
        fail(w, job, 400, field, err);
        return;
    }
    if (rc != PS_BSTORE_OK) {
        store_failed(w, job, rc, err);
        return;
    }
    ps_hit_decision_json(&job->reply->body, &d);
    job->reply->status = 201;
    ps_api_post(w, job);
}

/* ---- GET /v1/audit?since=&limit= ------------------------------------------------------------ */

static bool add_entry(void *ctx, uint64_t seq, const char *json, size_t len)
{
    (void)seq;
    page *p = ctx;
    if (p->n++)
        ps_buf_putc(p->b, ',');
    ps_buf_append(p->b, json, len);
    return true;
}

static void audit(ps_worker_ctx *w, ps_job *job)
{
    ps_reply *r = job->reply;
    ps_buf_puts(&r->body, "{\"entries\":[");
    page p = {&r->body, 0};
    uint64_t next;
    char err[256];
    int rc = ps_audit_export(w->srv->batches, who(job), job->route.since, page_limit(w, job),
                             add_entry, &p, &next, err, sizeof err);
    if (rc != PS_BSTORE_OK) {
        store_failed(w, job, rc, err);
        return;
    }
    ps_buf_printf(&r->body, "],\"next\":%llu}", (unsigned long long)next);
    r->status = 200;
    ps_api_audit_read(w, job, "hits_list", job->route.since, p.n);
    ps_api_post(w, job);
}

void ps_api_review(ps_worker_ctx *w, ps_job *job)
{
    switch (job->route.kind) {
    case PS_R_HITS:
        hits_filtered(w, job);
        break;
    case PS_R_HIT_GET:
        hit_get(w, job);
        break;
    case PS_R_HIT_DECISION:
        hit_decision(w, job);
        break;
    case PS_R_AUDIT:
        audit(w, job);
        break;
    default:
        fail(w, job, 404, NULL, "path: no such endpoint");
        break;
    }
}
