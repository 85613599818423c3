/* ingest/api_rules.c — targeting rules over HTTP (role admin; analysts may read):
 *   GET    /v1/rules        every rule with its version, and the rules generation
 *   GET    /v1/rules/{id}   one rule
 *   PUT    /v1/rules/{id}   adds or replaces it (the rule JSON of paxscreen/rule.h; "id" may be
 *                           left out, else must be the path's); a pattern Hyperscan cannot
 *                           compile is a 400 naming the rule and its JSON path
 *   DELETE /v1/rules/{id}   removes it (404 when there is none)
 * A write recompiles, in the store's writer, the databases of the fields whose patterns
 * changed; the next request or batch screens with it (engine/rules_store.c). */
#include "paxscreend.h"

#include "paxscreen/record_json.h"
#include "paxscreen/rules.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* {"rule": ..., "version": N} without the closing brace's neighbours: the rule's JSON with its
 * version added as the last key. */
static void write_rule(ps_buf *b, const ps_rule *r, uint64_t version)
{
    size_t start = b->len;
    ps_rule_write_json(b, r);
    if (b->len > start && b->data[b->len - 1] == '}') {
        b->len--;
        ps_buf_printf(b, ",\"version\":%llu}", (unsigned long long)version);
    }
}

typedef struct list_ctx {
    ps_buf *b;
    uint32_t n;
} list_ctx;

static int list_one(void *ctx, const ps_rule *r, uint64_t version)
{
    list_ctx *c = ctx;
    if (c->n++)
        ps_buf_putc(c->b, ',');
    write_rule(c->b, r, version);
    return 0;
}

static void get_rules(ps_worker_ctx *w, ps_job *job, bool one)
{
    char err[256];
    ps_snapshot *snap;
    if (ps_snapshot_begin(w->srv->store, &snap, err, sizeof err) != PS_STORE_OK) {
        ps_api_errorf(job, 500, "the alert store could not be read");
        return;
    }
    ps_reply *r = job->reply;
    int rc;
    if (one) {
        ps_rule rule;
        uint64_t version = 0;
        rc = ps_rules_get(snap, job->route.entry, strlen(job->route.entry), &w->arena, &rule,
                          &version);
        if (rc == PS_STORE_OK)
            write_rule(&r->body, &rule, version);
    } else {
        ps_arena arena;
        ps_arena_init(&arena);
        list_ctx c = {&r->body, 0};
        ps_buf_puts(&r->body, "{\"rules\":[");
        rc = ps_rules_foreach(snap, &arena, list_one, &c);
        ps_buf_printf(&r->body, "],\"generation\":%llu}",
                      (unsigned long long)ps_rules_generation(snap));
        ps_arena_free(&arena);
    }
    ps_snapshot_end(snap);
    if (rc == PS_STORE_NOT_FOUND) {
        ps_api_errorf(job, 404, "no such rule");
        return;
    }
    if (rc != PS_STORE_OK) {
        ps_api_errorf(job, 500, "the rules could not be read");
        return;
    }
    r->status = 200;
}

/* The PUT body as one rule JSON text with "id" from the path (or checked against it). */
static bool rule_text(ps_job *job, ps_buf *out)
{
    json_error_t je;
    json_t *o = json_loadb(job->body ? job->body : "", job->body_len, 0, &je);
    if (!o || !json_is_object(o)) {
        char msg[256];
        snprintf(msg, sizeof msg, "body: expected one rule as a JSON object: %s",
                 o ? "not an object" : je.text);
        ps_api_errorf(job, 400, "%s", msg);
        json_decref(o);
        return false;
    }
    json_t *id = json_object_get(o, "id");
    if (!id) {
        json_object_set_new(o, "id", json_string(job->route.entry));
    } else if (!json_is_string(id) || strcmp(json_string_value(id), job->route.entry) != 0) {
        ps_api_errorf(job, 400, "body: id: must be the one in the path");
        json_decref(o);
        return false;
    }
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!text) {
        ps_api_errorf(job, 500, "out of memory");
        return false;
    }
    ps_buf_puts(out, text);
    free(text);
    return true;
}

static const char *result_of(const ps_rules_counts *c)
{
    return c->inserted  ? "inserted"
           : c->updated ? "updated"
           : c->deleted ? "deleted"
           : c->missing ? "missing"
                        : "unchanged";
}

static void write_rule_change(ps_worker_ctx *w, ps_job *job)
{
    ps_buf text;
    ps_buf_init(&text);
    ps_rule rule;
    if (!job->route.del) {
        if (!rule_text(job, &text)) {
            ps_buf_free(&text);
            return;
        }
        ps_diag_list diags;
        ps_diag_list_init(&diags, &w->arena);
        if (!ps_rule_parse(text.data, text.len, 0, &w->arena, &rule, &diags)) {
            ps_reply *r = job->reply;
            r->status = 400;
            ps_api_diag_error(&r->body, "body", &diags);
            ps_buf_free(&text);
            return;
        }
    }
    char err[512];
    ps_rules_writer *wr;
    ps_rules_counts counts = {0};
    int rc = ps_rules_writer_begin(w->srv->store, &wr, err, sizeof err);
    if (rc == PS_STORE_OK) {
        const char *id = job->route.entry;
        rc = job->route.del ? ps_rules_delete(wr, id, strlen(id), &counts, err, sizeof err)
                            : ps_rules_put(wr, &rule, &counts, err, sizeof err);
        if (rc == PS_STORE_OK)
            rc = ps_rules_writer_commit(wr, err, sizeof err);
        else
            ps_rules_writer_abort(wr);
    }
    ps_buf_free(&text);
    if (rc == PS_STORE_INVALID) { /* Hyperscan's message, naming the rule and the JSON path */
        ps_api_errorf(job, 400, "%s", err);
        return;
    }
    if (rc != PS_STORE_OK) {
        fprintf(stderr, "paxscreend: rules: writing the alert store failed: %s\n", err);
        ps_api_errorf(job, 500, "the rules could not be written");
        return;
    }
    const char *result = result_of(&counts);
    if (strcmp(result, "missing") == 0) {
        ps_api_errorf(job, 404, "no such rule");
        return;
    }
    ps_reply *r = job->reply;
    r->status = 200;
    ps_buf_puts(&r->body, "{\"id\":");
    ps_json_string(&r->body, job->route.entry, strlen(job->route.entry));
    ps_buf_printf(&r->body, ",\"result\":\"%s\"}", result);
}

void ps_api_rules(ps_worker_ctx *w, ps_job *job)
{
    if (job->route.kind == PS_R_RULES)
        get_rules(w, job, false);
    else if (job->route.del || job->route.has_body)
        write_rule_change(w, job);
    else
        get_rules(w, job, true);
    ps_api_post(w, job);
}
