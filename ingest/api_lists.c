/* ingest/api_lists.c — the lists over HTTP (role admin; analysts may read):
 *   GET    /v1/lists                          every list: action, threshold, version, entries
 *   PUT    /v1/lists/{list}/entries/{id}      one entry (the import line's JSON; "list" and
 *                                             "id" may be left out, else must match the path)
 *   DELETE /v1/lists/{list}/entries/{id}      removes it (404 when there is none)
 *   POST   /v1/lists/{list}/import            JSON Lines of entries of that list, as
 *                                             `paxscreen lists import` reads them
 * Writes go through the alert store's single LMDB writer on a worker thread; screening never
 * waits for them (every batch reads one snapshot). An import commits every IMPORT_CHECKPOINT
 * lines; a bad line is reported with its line number and field and skipped, the rest land. */
#include "paxscreend.h"

#include "paxscreen/record_json.h"
#include "paxscreen/store.h"
#include "paxscreen/watchlist.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#define IMPORT_CHECKPOINT 100000 /* lines per commit */
#define IMPORT_MAX_ERRORS 100    /* bad lines described in the answer (all are counted) */

static void write_list(ps_buf *b, const ps_list_info *li)
{
    ps_buf_puts(b, "{\"name\":");
    ps_json_string(b, li->name, strlen(li->name));
    ps_buf_printf(b, ",\"action\":\"%s\",\"threshold\":%.3f,\"version\":%llu,\"entries\":%llu}",
                  ps_action_name(li->action), li->threshold, (unsigned long long)li->version,
                  (unsigned long long)li->entries);
}

static void get_lists(ps_worker_ctx *w, ps_job *job)
{
    char err[256];
    ps_snapshot *snap;
    if (ps_snapshot_begin(w->srv->store, &snap, err, sizeof err) != PS_STORE_OK) {
        ps_api_errorf(job, 500, "the alert store could not be read: %s", err);
        return;
    }
    enum { CAP = 4096 };
    ps_list_info *lists = ps_arena_alloc(&w->arena, CAP * sizeof *lists);
    uint32_t n = ps_snapshot_lists(snap, lists, CAP);
    ps_reply *r = job->reply;
    ps_buf_puts(&r->body, "{\"lists\":[");
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            ps_buf_putc(&r->body, ',');
        write_list(&r->body, &lists[i]);
    }
    ps_buf_printf(&r->body, "],\"lists_version\":%llu}",
                  (unsigned long long)ps_snapshot_version(snap));
    ps_snapshot_end(snap);
    r->status = 200;
}

/* The body of a PUT with "list" and "id" taken from the path (or checked against it), as one
 * compact JSON line in out. False with the 400 written when it cannot be. */
static bool entry_line(ps_job *job, ps_buf *out)
{
    json_error_t je;
    json_t *o = json_loadb(job->body ? job->body : "", job->body_len, 0, &je);
    if (!o || !json_is_object(o)) {
        char where[64];
        snprintf(where, sizeof where, "%d", o ? 0 : je.position);
        ps_api_errorf(job, 400, "body: expected one watchlist entry as a JSON object (byte %s): %s",
                      where, o ? "not an object" : je.text);
        json_decref(o);
        return false;
    }
    const char *keys[2] = {"list", "id"};
    const char *want[2] = {job->route.list, job->route.entry};
    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(o, keys[i]);
        if (!v) {
            json_object_set_new(o, keys[i], json_string(want[i]));
        } else if (!json_is_string(v) || strcmp(json_string_value(v), want[i]) != 0) {
            ps_api_errorf(job, 400, "body: %s: must be the one in the path (\"%s\")", keys[i],
                          want[i]);
            json_decref(o);
            return false;
        }
    }
    if (json_object_get(o, "deleted")) {
        ps_api_errorf(job, 400, "body: deleted: use DELETE on the entry's path");
        json_decref(o);
        return false;
    }
    char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    if (!text) {
        ps_api_errorf(job, 500, "out of memory");
        return false;
    }
    ps_buf_puts(out, text);
    free(text);
    return true;
}

static const char *result_of(const ps_import_counts *before, const ps_import_counts *after)
{
    if (after->inserted > before->inserted)
        return "inserted";
    if (after->updated > before->updated)
        return "updated";
    if (after->deleted > before->deleted)
        return "deleted";
    if (after->missing > before->missing)
        return "missing";
    return "unchanged";
}

/* The list's version after a write (0 when it is gone or unreadable). */
static uint64_t list_version(ps_store *store, const char *list)
{
    char err[256];
    ps_snapshot *snap;
    ps_list_info li;
    uint64_t v = 0;
    if (ps_snapshot_begin(store, &snap, err, sizeof err) == PS_STORE_OK) {
        if (ps_snapshot_list(snap, list, &li) == PS_STORE_OK)
            v = li.version;
        ps_snapshot_end(snap);
    }
    return v;
}

static void put_entry(ps_worker_ctx *w, ps_job *job)
{
    ps_buf line;
    ps_buf_init(&line);
    ps_wl_entry e;
    if (job->route.del) {
        memset(&e, 0, sizeof e);
        e.list = (ps_str){job->route.list, strlen(job->route.list)};
        e.id = (ps_str){job->route.entry, strlen(job->route.entry)};
        e.deleted = true;
    } else {
        if (!entry_line(job, &line)) {
            ps_buf_free(&line);
            return;
        }
        ps_diag_list diags;
        ps_diag_list_init(&diags, &w->arena);
        if (!ps_wl_entry_parse(line.data, line.len, 0, &w->arena, &e, &diags)) {
            ps_reply *r = job->reply;
            r->status = 400;
            ps_api_diag_error(&r->body, "body", &diags);
            ps_buf_free(&line);
            return;
        }
    }
    char err[256];
    ps_store_writer *wr;
    ps_import_counts before = {0}, after = {0};
    int rc = ps_store_writer_begin(w->srv->store, &wr, err, sizeof err);
    if (rc == PS_STORE_OK) {
        rc = ps_store_put(wr, &e, XXH3_64bits(line.data, line.len), &after, err, sizeof err);
        if (rc == PS_STORE_OK)
            rc = ps_store_writer_commit(wr, err, sizeof err);
        else
            ps_store_writer_abort(wr);
    }
    ps_buf_free(&line);
    if (rc == PS_STORE_INVALID) {
        ps_api_errorf(job, 400, "entry: %s", err);
        return;
    }
    if (rc != PS_STORE_OK) {
        fprintf(stderr, "paxscreend: lists: writing the alert store failed: %s\n", err);
        ps_api_errorf(job, 500, "the alert store could not be written: %s", err);
        return;
    }
    const char *result = result_of(&before, &after);
    if (strcmp(result, "missing") == 0) {
        ps_api_errorf(job, 404, "no entry \"%s\" in list \"%s\"", job->route.entry,
                      job->route.list);
        return;
    }
    ps_reply *r = job->reply;
    r->status = 200;
    ps_buf_puts(&r->body, "{\"list\":");
    ps_json_string(&r->body, job->route.list, strlen(job->route.list));
    ps_buf_puts(&r->body, ",\"id\":");
    ps_json_string(&r->body, job->route.entry, strlen(job->route.entry));
    ps_buf_printf(&r->body, ",\"result\":\"%s\",\"list_version\":%llu}", result,
                  (unsigned long long)list_version(w->srv->store, job->route.list));
}

typedef struct import_state {
    uint64_t lines, failed;
    ps_import_counts counts;
    ps_buf errors; /* the first IMPORT_MAX_ERRORS, as JSON objects */
} import_state;

static void note_bad_line(import_state *st, const char *message, size_t len)
{
    st->failed++;
    if (st->failed > IMPORT_MAX_ERRORS)
        return;
    if (st->errors.len)
        ps_buf_putc(&st->errors, ',');
    ps_buf_printf(&st->errors, "{\"line\":%llu,\"message\":", (unsigned long long)st->lines);
    ps_json_string(&st->errors, message, len);
    ps_buf_putc(&st->errors, '}');
}

/* One line of an import; returns a store error code that ends the import, else 0. */
static int import_line(ps_worker_ctx *w, ps_job *job, ps_store_writer *wr, import_state *st,
                       const char *line, size_t len)
{
    ps_arena_reset(&w->arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &w->arena);
    ps_wl_entry e;
    if (!ps_wl_entry_parse(line, len, st->lines, &w->arena, &e, &diags)) {
        const ps_diag *d = diags.count ? &diags.items[0] : NULL;
        note_bad_line(st, d ? d->message.ptr : "not an entry", d ? d->message.len : 12);
        return PS_STORE_OK;
    }
    if (e.list.len != strlen(job->route.list) ||
        memcmp(e.list.ptr, job->route.list, e.list.len) != 0) {
        char msg[160];
        int n = snprintf(msg, sizeof msg, "line %llu: list: \"%.*s\" is not the list of the path",
                         (unsigned long long)st->lines, (int)(e.list.len > 64 ? 64 : e.list.len),
                         e.list.ptr);
        note_bad_line(st, msg, n > 0 ? (size_t)n : 0);
        return PS_STORE_OK;
    }
    char err[256];
    int rc = ps_store_put(wr, &e, XXH3_64bits(line, len), &st->counts, err, sizeof err);
    if (rc == PS_STORE_INVALID) {
        char msg[320];
        int n = snprintf(msg, sizeof msg, "line %llu: %s", (unsigned long long)st->lines, err);
        note_bad_line(st, msg, n > 0 ? (size_t)n : 0);
        return PS_STORE_OK;
    }
    return rc;
}

static void import_lines(ps_worker_ctx *w, ps_job *job)
{
    import_state st = {0};
    ps_buf_init(&st.errors);
    char err[256];
    ps_store_writer *wr = NULL;
    int rc = ps_store_writer_begin(w->srv->store, &wr, err, sizeof err);
    const char *p = job->body ? job->body : "", *end = p + job->body_len;
    while (rc == PS_STORE_OK && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        size_t len = (size_t)(stop - p);
        while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        st.lines++;
        if (len)
            rc = import_line(w, job, wr, &st, p, len);
        if (rc == PS_STORE_OK && st.lines % IMPORT_CHECKPOINT == 0)
            rc = ps_store_writer_checkpoint(wr, err, sizeof err);
        p = nl ? nl + 1 : end;
    }
    if (rc == PS_STORE_OK)
        rc = ps_store_writer_commit(wr, err, sizeof err);
    else if (wr)
        ps_store_writer_abort(wr);
    if (rc != PS_STORE_OK) {
        fprintf(stderr, "paxscreend: lists import: the alert store failed: %s\n", err);
        ps_buf_free(&st.errors);
        ps_api_errorf(job, 500,
                      "the alert store failed (%s); lines up to the last commit of %s landed", err,
                      "100,000");
        return;
    }
    ps_reply *r = job->reply;
    r->status = 200;
    ps_buf_puts(&r->body, "{\"list\":");
    ps_json_string(&r->body, job->route.list, strlen(job->route.list));
    ps_buf_printf(&r->body,
                  ",\"lines\":%llu,\"inserted\":%llu,\"updated\":%llu,\"unchanged\":%llu,"
                  "\"deleted\":%llu,\"missing\":%llu,\"failed\":%llu,\"list_version\":%llu,"
                  "\"errors\":[",
                  (unsigned long long)st.lines, (unsigned long long)st.counts.inserted,
                  (unsigned long long)st.counts.updated, (unsigned long long)st.counts.unchanged,
                  (unsigned long long)st.counts.deleted, (unsigned long long)st.counts.missing,
                  (unsigned long long)st.failed,
                  (unsigned long long)list_version(w->srv->store, job->route.list));
    ps_buf_append(&r->body, st.errors.data, st.errors.len);
    ps_buf_puts(&r->body, "]}");
    ps_buf_free(&st.errors);
}

void ps_api_lists(ps_worker_ctx *w, ps_job *job)
{
    switch (job->route.kind) {
    case PS_R_LISTS:
        get_lists(w, job);
        break;
    case PS_R_LIST_ENTRY:
        put_entry(w, job);
        break;
    case PS_R_LIST_IMPORT:
        import_lines(w, job);
        break;
    default:
        ps_api_errorf(job, 404, "path: no such endpoint");
        break;
    }
    ps_api_post(w, job);
}
