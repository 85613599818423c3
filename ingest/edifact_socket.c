/* ingest/edifact_socket.c — the raw EDIFACT socket for carrier feeds, on the loop thread:
 * accepting feed connections (up to max_connections, optionally only from edifact_allow),
 * cutting each byte stream into interchanges with the incremental splitter (edifact_stream.h),
 * handing each interchange to a worker exactly as POST /v1/paxlst does (a PS_JOB_REQUEST on
 * the PAXLST route: ps_intake_submit reads it, records it durably, recognizes duplicates and
 * queues it for screening), and answering each one on the same connection with a CONTRL
 * (contrl.h) once the worker says it is recorded: accepted (UCI action 7), or rejected (4)
 * with the reason the reader's first diagnostic maps to. Interchanges that never reach a
 * worker — too large, cut off by the next one, or left open when the feed ends or stalls —
 * are rejected here when they have a UNB to answer; garbage or a UNH without envelope closes
 * the connection with a log line naming the byte offset.
 *
 * Invariants:
 *   - each interchange (or problem to answer) is an item, queued in arrival order; answers are
 *     written strictly in that order, whatever order the workers finish in;
 *   - an accepting CONTRL is made only from a worker's 200/202, i.e. after the synchronous
 *     commit of the batch store; a busy or failing store closes the connection without an
 *     answer for that interchange (the carrier sends it again; it is then a duplicate, or new);
 *   - the bytes from ps_edifact_stream_keep() on are held in `held`; an interchange is copied
 *     out (into its job) the moment the splitter names it;
 *   - `refs` counts replies workers still owe: a closed connection is freed when its handles
 *     are closed and refs is 0;
 *   - reading pauses while max_pipeline interchanges wait for their answers or one waits for
 *     room in the work queue (retried on a timer): a fast feed cannot outgrow memory.
 * The only reading done here is the splitter's byte scan and the interchange header (UNA/UNB,
 * within its first few KiB) a CONTRL needs: parsing the messages is a worker's job. Logs name
 * the peer address, byte offsets, control references and batch ids, never message content. */
#include "paxscreend.h"

#include "paxscreen/contrl.h"
#include "paxscreen/edifact_stream.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNB_WINDOW      4096       /* bytes of an interchange read for its UNA/UNB */
#define RETRY_MS        50         /* an interchange waiting for room in the work queue */
#define MAX_WRITE_QUEUE (1u << 20) /* CONTRLs unread by the peer before reading pauses */
#define LINGER_MS       2000       /* after our last answer, waiting for the peer's EOF */

const char ps_edifact_route[] = "edifact";

typedef enum item_state {
    IT_HELD = 1, /* made, not yet taken by the work queue */
    IT_WAITING,  /* a worker has it */
    IT_READY,    /* to be answered (answered: a CONTRL) or to close the connection */
} item_state;

typedef struct edi_item {
    struct edi_item *next;
    uint32_t seq;
    item_state state;
    uint64_t offset;        /* stream offset of the interchange */
    ps_edi_interchange ich; /* its UNA/UNB, as the reader reads them */
    ps_job *job;            /* IT_HELD: the job to submit */
    bool answered;          /* IT_READY with a CONTRL to write: */
    ps_contrl_action action;
    ps_contrl_reason reason;
    bool close; /* close the connection after it */
} edi_item;

typedef struct edi_conn {
    struct edi_conn *prev, *next;
    uv_tcp_t tcp;
    uv_timer_t timer;
    int handles; /* open libuv handles (tcp, timer) */
    int refs;    /* replies owed by workers */
    bool closing, reading;
    bool no_more;       /* read nothing more: end of feed, error, draining */
    bool close_now;     /* close once the writes queued are done (answers after it are dropped) */
    bool lingering;     /* write side shut down; reading and discarding until EOF or timeout */
    uint64_t ich_since; /* loop time (ms) the interchange being read began; 0: none */
    uint64_t ich_at;    /* its first byte (ps_edifact_stream_keep then) */
    char peer[64];
    const char *submitter; /* whose batches these are (edifact_allow), for the batch store */
    ps_edifact_stream split;
    ps_buf held;        /* stream bytes from held_base on */
    ps_buf out;         /* a CONTRL being written */
    uint64_t held_base; /* stream offset of held.data[0] */
    edi_item *head, *tail;
    uint32_t seq_next;
    unsigned items;   /* queued, not yet written */
    unsigned waiting; /* of them with a worker, or held */
    unsigned writes_pending;
} edi_conn;

typedef struct write_req {
    uv_write_t req;
    edi_conn *conn;
    char data[];
} write_req;

/* One server per process: the loop's state for the raw socket. */
static struct {
    ps_server *srv;
    uv_tcp_t listener;
    bool listener_open;
    edi_conn *conns;
    unsigned n_conns;
    uint64_t control_next; /* our CONTRL control references */
} E;

static void conn_close(edi_conn *c);
static void close_gracefully(edi_conn *c);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);
static void on_timer(uv_timer_t *t);
static void flush(edi_conn *c);
static void arm_timer(edi_conn *c);
static void update_reading(edi_conn *c);

/* ---- items -------------------------------------------------------------------------------- */

static edi_item *item_add(edi_conn *c, uint64_t offset)
{
    edi_item *it = calloc(1, sizeof *it);
    if (!it)
        abort();
    it->seq = c->seq_next++;
    it->offset = offset;
    if (c->tail)
        c->tail->next = it;
    else
        c->head = it;
    c->tail = it;
    c->items++;
    return it;
}

static void job_free(ps_job *job)
{
    if (!job)
        return;
    ps_reply_free(job->reply);
    free(job->body);
    free(job);
}

static void item_free(edi_item *it)
{
    job_free(it->job);
    free(it);
}

/* An item that only closes the connection once the answers before it are written. */
static void item_close(edi_conn *c, uint64_t offset)
{
    edi_item *it = item_add(c, offset);
    it->state = IT_READY;
    it->close = true;
    c->no_more = true;
}

/* ---- the interchange header and the CONTRL ------------------------------------------------ */

/* Reads the UNA/UNB of the interchange at p (at most UNB_WINDOW bytes of it); false when it
 * has no UNB with a control reference to answer. */
static bool read_unb(const char *p, size_t n, ps_edi_interchange *out)
{
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_edi_reader r;
    ps_edi_reader_init(&r, p, n > UNB_WINDOW ? UNB_WINDOW : n, &diags);
    bool found = false;
    for (ps_edi_event ev; (ev = ps_edi_next(&r)) != PS_EDI_END;) {
        if (ev == PS_EDI_INTERCHANGE_BEGIN) {
            *out = r.ich;
            found = out->control_ref[0] != '\0';
            break;
        }
    }
    ps_edi_reader_free(&r);
    ps_arena_free(&arena);
    return found;
}

static ps_date now_utc(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    ps_date d = {(int16_t)(tm.tm_year + 1900), (uint8_t)(tm.tm_mon + 1), (uint8_t)tm.tm_mday,
                 (uint8_t)tm.tm_hour,          (uint8_t)tm.tm_min,       PS_DATE_MINUTE};
    return d;
}

/* Makes item it READY to be answered with a CONTRL accepting or rejecting its interchange. */
static void answer(edi_item *it, ps_contrl_action action, ps_contrl_reason reason)
{
    it->state = IT_READY;
    it->answered = true;
    it->action = action;
    it->reason = reason;
}

/* Writes item it's CONTRL into out, with the next control reference (so they grow in the
 * order written); false (logged) when the writer refuses. */
static bool write_contrl(edi_conn *c, const edi_item *it, ps_buf *out)
{
    char cref[24], err[200];
    snprintf(cref, sizeof cref, "%llu", (unsigned long long)E.control_next++);
    ps_contrl_params p;
    memset(&p, 0, sizeof p);
    p.control_ref = cref;
    p.message_ref = "1";
    p.now = now_utc();
    p.action = it->action;
    p.reason = it->reason;
    if (ps_contrl_write(out, &it->ich, &p, err, sizeof err) == PS_EDI_WRITE_OK)
        return true;
    fprintf(stderr, "paxscreend: edifact %s: interchange at byte %llu: no CONTRL: %s; closing\n",
            c->peer, (unsigned long long)it->offset, err);
    return false;
}

static ps_contrl_reason reason_of(const char *kind, const char *tag)
{
    ps_diag d;
    memset(&d, 0, sizeof d);
    d.severity = PS_ERROR;
    d.kind = kind;
    if (tag)
        snprintf(d.tag, sizeof d.tag, "%s", tag);
    ps_contrl_reason r = {PS_CONTRL_UNSPECIFIED, ""};
    ps_contrl_reason_from(&d, 1, &r);
    return r;
}

/* The reason in a 400 body of intake (ps_api_diag_error): its first error's kind and tag. A
 * body with no diagnostic (a message-less interchange) is "lower level empty". */
static ps_contrl_reason reason_from_body(const ps_buf *body)
{
    ps_contrl_reason r = {PS_CONTRL_LOWER_LEVEL_EMPTY, "UNB"};
    static const char key[] = ",\"errors\":[";
    const char *at = body->data ? memmem(body->data, body->len, key, sizeof key - 1) : NULL;
    if (!at)
        return r;
    at += sizeof key - 1;
    size_t rest = body->len - (size_t)(at - body->data);
    if (!rest || *at != '{')
        return r;
    json_t *d = json_loadb(at, rest, JSON_DISABLE_EOF_CHECK, NULL);
    const char *kind = json_string_value(json_object_get(d, "kind"));
    if (kind)
        r = reason_of(kind, json_string_value(json_object_get(d, "tag")));
    json_decref(d);
    return r;
}

/* ---- handing interchanges to the workers --------------------------------------------------- */

static void submit_held(edi_conn *c)
{
    ps_server *srv = E.srv;
    for (edi_item *it = c->head; it; it = it->next) {
        if (it->state != IT_HELD)
            continue;
        /* the backlog check intake makes, made first here so the interchange waits rather
         * than being refused */
        if (!srv->cfg->intake_only && ps_workers_backlog(srv->workers) >= srv->cfg->max_backlog)
            return;
        c->refs++;
        if (!ps_workers_submit(srv->workers, it->job, false)) {
            c->refs--;
            atomic_fetch_add(&ps_metrics_g.queue_full, 1);
            return; /* later ones wait too: they keep their order */
        }
        it->job = NULL;
        it->state = IT_WAITING;
    }
}

static bool any_held(const edi_conn *c)
{
    for (const edi_item *it = c->head; it; it = it->next)
        if (it->state == IT_HELD)
            return true;
    return false;
}

static void interchange(edi_conn *c, const ps_edifact_stream_item *si)
{
    const char *p = c->held.data + (si->begin - c->held_base);
    size_t n = (size_t)(si->end - si->begin);
    edi_item *it = item_add(c, si->begin);
    if (!read_unb(p, n, &it->ich)) {
        fprintf(stderr,
                "paxscreend: edifact %s: interchange at byte %llu has no UNB to answer; "
                "closing\n",
                c->peer, (unsigned long long)si->begin);
        it->state = IT_READY;
        it->close = true;
        c->no_more = true;
        return;
    }
    ps_job *job = calloc(1, sizeof *job);
    if (!job)
        abort();
    job->kind = PS_JOB_REQUEST;
    job->route.kind = PS_R_PAXLST;
    job->route.name = ps_edifact_route;
    job->route.need = PS_AUTH_CARRIER;
    job->route.has_body = true;
    job->body = malloc(n ? n : 1);
    if (!job->body)
        abort();
    memcpy(job->body, p, n);
    job->body_len = n;
    ps_reply *r = ps_reply_new(0, "application/json");
    r->conn = (ps_conn *)(void *)c; /* an edi_conn: ps_edifact_deliver casts it back */
    r->seq = it->seq;
    r->route = ps_edifact_route;
    r->token = c->submitter; /* who sent it, for the batch store and the logs */
    r->start_ns = ps_now_ns();
    job->reply = r;
    it->job = job;
    it->state = IT_HELD;
    c->waiting++;
    submit_held(c);
}

/* A splitter problem: answered with a rejecting CONTRL when its interchange has a UNB (the
 * bytes are still held), else the connection closes after the answers before it. */
static void problem(edi_conn *c, const ps_edifact_stream_item *si)
{
    bool answerable = si->error == PS_EDIFACT_STREAM_TOO_LARGE ||
                      si->error == PS_EDIFACT_STREAM_UNZ_MISSING ||
                      si->error == PS_EDIFACT_STREAM_TRUNCATED;
    fprintf(stderr, "paxscreend: edifact %s: %s%s\n", c->peer, si->message,
            answerable || si->error == PS_EDIFACT_STREAM_TRAILING ? ""
                                                                  : "; closing the connection");
    if (!answerable) {
        item_close(c, si->offset);
        return;
    }
    edi_item *it = item_add(c, si->begin);
    const char *p = c->held.data + (si->begin - c->held_base);
    if (!read_unb(p, (size_t)(si->end - si->begin), &it->ich)) {
        it->state = IT_READY;
        it->close = true;
        c->no_more = true;
        return;
    }
    ps_contrl_reason reason = si->error == PS_EDIFACT_STREAM_TOO_LARGE
                                  ? (ps_contrl_reason){PS_CONTRL_UNSPECIFIED, "UNB"}
                                  : reason_of("unz_missing", "UNZ");
    answer(it, PS_CONTRL_REJECTED, reason);
    fprintf(stderr,
            "paxscreend: edifact %s: interchange at byte %llu (control ref %s) rejected: "
            "error %d at %s\n",
            c->peer, (unsigned long long)si->begin, it->ich.control_ref, (int)reason.error,
            reason.segment[0] ? reason.segment : "-");
    if (si->error == PS_EDIFACT_STREAM_TRUNCATED)
        c->no_more = true;
}

static void on_item(edi_conn *c, const ps_edifact_stream_item *si)
{
    if (c->no_more && si->error != PS_EDIFACT_STREAM_TRUNCATED &&
        si->error != PS_EDIFACT_STREAM_TRAILING)
        return; /* after a closing problem nothing more is answered */
    if (si->kind == PS_EDIFACT_STREAM_INTERCHANGE)
        interchange(c, si);
    else if (si->kind == PS_EDIFACT_STREAM_ERROR)
        problem(c, si);
}

/* Drops the held bytes the splitter no longer needs. */
static void compact(edi_conn *c)
{
    uint64_t keep = ps_edifact_stream_keep(&c->split);
    if (keep <= c->held_base)
        return;
    size_t drop = (size_t)(keep - c->held_base);
    if (drop > c->held.len)
        drop = c->held.len;
    memmove(c->held.data, c->held.data + drop, c->held.len - drop);
    c->held.len -= drop;
    c->held_base += drop;
    if (c->held.cap > (1u << 20) && c->held.len < c->held.cap / 4) { /* give back a big one */
        ps_buf small;
        ps_buf_init(&small);
        ps_buf_append(&small, c->held.data, c->held.len);
        ps_buf_free(&c->held);
        c->held = small;
    }
}

/* The feed ended (EOF) or stalled inside an interchange: its last items, then no more. */
static void end_of_feed(edi_conn *c)
{
    ps_edifact_stream_item si;
    while (ps_edifact_stream_finish(&c->split, &si))
        on_item(c, &si);
    c->no_more = true;
}

/* ---- writing ------------------------------------------------------------------------------ */

static void after_write(edi_conn *c)
{
    if (c->closing || c->lingering)
        return;
    if ((c->close_now || (c->no_more && c->items == 0)) && c->writes_pending == 0) {
        close_gracefully(c);
        return;
    }
    update_reading(c);
    arm_timer(c);
}

static void on_write(uv_write_t *req, int status)
{
    write_req *w = (write_req *)req;
    edi_conn *c = w->conn;
    free(w);
    c->writes_pending--;
    if (status < 0)
        conn_close(c);
    else
        after_write(c);
}

static void write_out(edi_conn *c, const ps_buf *b)
{
    write_req *w = malloc(sizeof *w + b->len);
    if (!w)
        abort();
    w->conn = c;
    memcpy(w->data, b->data, b->len);
    uv_buf_t ub = uv_buf_init(w->data, (unsigned)b->len);
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &ub, 1, on_write) != 0) {
        free(w);
        conn_close(c);
        return;
    }
    c->writes_pending++;
}

/* Writes every answer whose turn has come. */
static void flush(edi_conn *c)
{
    while (!c->closing && !c->close_now && !c->lingering && c->head && c->head->state == IT_READY) {
        edi_item *it = c->head;
        c->head = it->next;
        if (!c->head)
            c->tail = NULL;
        c->items--;
        if (it->answered) {
            c->out.len = 0;
            if (write_contrl(c, it, &c->out))
                write_out(c, &c->out);
            else
                it->close = true;
        }
        if (it->close)
            c->close_now = c->no_more = true;
        item_free(it);
    }
    after_write(c);
}

/* ---- replies from the workers ------------------------------------------------------------- */

static uint64_t batch_id_of(const ps_buf *body)
{
    static const char key[] = "\"batch_id\":\"";
    const char *at = body->data ? memmem(body->data, body->len, key, sizeof key - 1) : NULL;
    return at ? strtoull(at + sizeof key - 1, NULL, 10) : 0;
}

static void conn_free(edi_conn *c);

void ps_edifact_deliver(ps_server *srv, ps_reply *r)
{
    (void)srv;
    edi_conn *c = (edi_conn *)(void *)r->conn;
    c->refs--;
    if (c->closing || c->close_now || c->lingering) { /* no answer goes out any more */
        ps_reply_free(r);
        if (c->closing && c->refs == 0 && c->handles == 0)
            conn_free(c);
        return;
    }
    edi_item *it = c->head;
    while (it && it->seq != r->seq)
        it = it->next;
    if (!it || it->state != IT_WAITING) { /* cannot happen: every job has its item */
        ps_reply_free(r);
        return;
    }
    c->waiting--;
    const ps_config *cfg = E.srv->cfg;
    if (r->status == 200 || r->status == 202) {
        answer(it, PS_CONTRL_ACCEPTED, (ps_contrl_reason){PS_CONTRL_NO_ERROR, ""});
        if (cfg->access_log)
            fprintf(stderr,
                    "paxscreend: edifact %s: interchange at byte %llu (control ref %s): "
                    "batch %llu%s %.3fms\n",
                    c->peer, (unsigned long long)it->offset, it->ich.control_ref,
                    (unsigned long long)batch_id_of(&r->body),
                    r->status == 200 ? " (duplicate)" : "",
                    (double)(ps_now_ns() - r->start_ns) / 1e6);
    } else if (r->status == 400) {
        ps_contrl_reason reason = reason_from_body(&r->body);
        answer(it, PS_CONTRL_REJECTED, reason);
        fprintf(stderr,
                "paxscreend: edifact %s: interchange at byte %llu (control ref %s) "
                "rejected: error %d at %s\n",
                c->peer, (unsigned long long)it->offset, it->ich.control_ref, (int)reason.error,
                reason.segment[0] ? reason.segment : "-");
    } else {
        /* 503 (screening backlog filled up meanwhile), 500/507 (the store): not recorded, so
         * not acknowledged; the carrier sends it again on a new connection */
        fprintf(stderr,
                "paxscreend: edifact %s: interchange at byte %llu (control ref %s) not "
                "recorded (%d); closing: it and those after it are unacknowledged\n",
                c->peer, (unsigned long long)it->offset, it->ich.control_ref, r->status);
        it->state = IT_READY;
        it->close = true;
        c->no_more = true;
    }
    ps_reply_free(r);
    flush(c);
}

/* ---- timers, reading, closing ------------------------------------------------------------- */

static bool mid_interchange(const edi_conn *c)
{
    return ps_edifact_stream_keep(&c->split) < c->split.pos;
}

static void on_timer(uv_timer_t *t)
{
    edi_conn *c = t->data;
    if (c->closing)
        return;
    if (c->lingering) {
        conn_close(c);
        return;
    }
    if (any_held(c)) {
        submit_held(c);
        update_reading(c);
        arm_timer(c);
        return;
    }
    atomic_fetch_add(&ps_metrics_g.timeouts, 1);
    if (!c->no_more && mid_interchange(c)) {
        /* stalled inside an interchange: answered as cut off, then closed */
        fprintf(stderr,
                "paxscreend: edifact %s: the interchange at byte %llu is not complete after "
                "%u ms\n",
                c->peer, (unsigned long long)ps_edifact_stream_keep(&c->split),
                E.srv->cfg->body_timeout_ms);
        end_of_feed(c);
        flush(c);
        return;
    }
    conn_close(c); /* idle */
}

static void arm_timer(edi_conn *c)
{
    if (c->closing || c->lingering)
        return;
    const ps_config *cfg = E.srv->cfg;
    uint64_t ms = 0;
    if (!mid_interchange(c) || ps_edifact_stream_keep(&c->split) != c->ich_at)
        c->ich_since = 0; /* none, or another one since */
    if (any_held(c))
        ms = RETRY_MS;
    else if (c->no_more)
        ms = 0;                    /* answers owed; the connection closes after them */
    else if (mid_interchange(c)) { /* from its first byte, as the HTTP body timeout */
        uint64_t now = uv_now(E.srv->loop);
        if (!c->ich_since) {
            c->ich_since = now;
            c->ich_at = ps_edifact_stream_keep(&c->split);
        }
        uint64_t spent = now - c->ich_since;
        ms = spent < cfg->body_timeout_ms ? cfg->body_timeout_ms - spent : 1;
    } else if (c->items == 0)
        ms = cfg->edifact_idle_timeout_ms;
    if (ms)
        uv_timer_start(&c->timer, on_timer, ms, 0);
    else
        uv_timer_stop(&c->timer);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    edi_conn *c = h->data;
    (void)suggested;
    ps_buf_reserve(&c->held, 65536); /* read straight into the held bytes */
    buf->base = c->held.data + c->held.len;
    buf->len = c->held.cap - c->held.len - 1; /* ps_buf keeps a byte for a NUL */
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    edi_conn *c = s->data;
    (void)buf;
    if (c->closing)
        return;
    if (c->lingering) { /* discarded; the peer's EOF (or an error) ends it */
        if (nread < 0)
            conn_close(c);
        return;
    }
    if (nread < 0) {
        uv_read_stop(s);
        c->reading = false;
        if (nread != UV_EOF) {
            conn_close(c);
            return;
        }
        if (!c->no_more)
            end_of_feed(c); /* a half-closed peer still gets its answers */
        c->no_more = true;
        flush(c);
        return;
    }
    if (nread == 0 || c->no_more)
        return;
    const char *data = c->held.data + c->held.len;
    c->held.len += (size_t)nread;
    size_t off = 0, n = (size_t)nread;
    for (;;) {
        ps_edifact_stream_item si;
        off += ps_edifact_stream_feed(&c->split, data + off, n - off, &si);
        if (si.kind == PS_EDIFACT_STREAM_NONE) {
            if (off >= n)
                break;
            continue;
        }
        on_item(c, &si);
        if (c->no_more)
            break; /* the rest is not read */
    }
    compact(c);
    flush(c);
}

static void update_reading(edi_conn *c)
{
    if (c->closing || c->lingering)
        return;
    bool want = !c->no_more && c->waiting < E.srv->cfg->max_pipeline && !any_held(c) &&
                uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) < MAX_WRITE_QUEUE;
    if (want && !c->reading) {
        if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0)
            c->reading = true;
    } else if (!want && c->reading) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->reading = false;
    }
}

static void conn_free(edi_conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        E.conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    E.n_conns--;
    while (c->head) {
        edi_item *n = c->head->next;
        item_free(c->head);
        c->head = n;
    }
    ps_buf_free(&c->held);
    ps_buf_free(&c->out);
    free(c);
    ps_server_maybe_stop(E.srv);
}

static void on_handle_closed(uv_handle_t *h)
{
    edi_conn *c = h->data;
    if (--c->handles == 0 && c->refs == 0)
        conn_free(c);
}

static void conn_close(edi_conn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    c->reading = false;
    uv_read_stop((uv_stream_t *)&c->tcp);
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    (void)status;
    free(req); /* the connection may be gone: only the request is ours */
}

/* Ends the connection without losing the answers written: shuts the write side down (FIN
 * after the last CONTRL), then reads and discards until the peer closes too, at most
 * LINGER_MS, so unread input never turns the close into a reset. */
static void close_gracefully(edi_conn *c)
{
    if (c->closing || c->lingering)
        return;
    c->lingering = true;
    uv_shutdown_t *req = malloc(sizeof *req);
    if (!req)
        abort();
    if (uv_shutdown(req, (uv_stream_t *)&c->tcp, on_shutdown) != 0) {
        free(req);
        conn_close(c);
        return;
    }
    if (!c->reading && uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0)
        c->reading = true;
    uv_timer_start(&c->timer, on_timer, LINGER_MS, 0);
}

/* ---- accepting ---------------------------------------------------------------------------- */

static void peer_name(edi_conn *c, char *ip, size_t iplen)
{
    struct sockaddr_storage sa;
    int len = sizeof sa;
    ip[0] = '\0';
    snprintf(c->peer, sizeof c->peer, "?");
    if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&sa, &len) != 0)
        return;
    int port;
    if (sa.ss_family == AF_INET6) {
        uv_ip6_name((struct sockaddr_in6 *)&sa, ip, iplen);
        port = ntohs(((struct sockaddr_in6 *)&sa)->sin6_port);
        snprintf(c->peer, sizeof c->peer, "[%s]:%d", ip, port);
    } else {
        uv_ip4_name((struct sockaddr_in *)&sa, ip, iplen);
        port = ntohs(((struct sockaddr_in *)&sa)->sin_port);
        snprintf(c->peer, sizeof c->peer, "%s:%d", ip, port);
    }
}

/* Whether a peer may feed us; *submitter: whom its batches belong to. */
static bool peer_allowed(const ps_config *cfg, const char *ip, const char **submitter)
{
    *submitter = PS_EDIFACT_SUBMITTER;
    if (cfg->n_edifact_allow == 0)
        return true;
    for (size_t i = 0; i < cfg->n_edifact_allow; i++)
        if (strcmp(cfg->edifact_allow[i], ip) == 0) {
            if (cfg->edifact_carrier[i])
                *submitter = cfg->edifact_carrier[i];
            return true;
        }
    return false;
}

static void on_connection(uv_stream_t *server, int status)
{
    ps_server *srv = E.srv;
    (void)server;
    if (status < 0)
        return;
    edi_conn *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    uv_tcp_init(srv->loop, &c->tcp);
    uv_timer_init(srv->loop, &c->timer);
    c->tcp.data = c;
    c->timer.data = c;
    c->handles = 2;
    ps_buf_init(&c->held);
    ps_buf_init(&c->out);
    c->next = E.conns;
    if (E.conns)
        E.conns->prev = c;
    E.conns = c;
    E.n_conns++;
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
        conn_close(c);
        return;
    }
    char ip[64];
    peer_name(c, ip, sizeof ip);
    if (!peer_allowed(srv->cfg, ip, &c->submitter)) {
        fprintf(stderr, "paxscreend: edifact %s: not in edifact_allow; closed\n", c->peer);
        conn_close(c);
        return;
    }
    if (E.n_conns > srv->cfg->max_connections || srv->draining) {
        atomic_fetch_add(&ps_metrics_g.connections_refused, 1);
        fprintf(stderr, "paxscreend: edifact %s: %s; closed\n", c->peer,
                srv->draining ? "draining" : "too many feed connections");
        conn_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    uv_tcp_keepalive(&c->tcp, 1, 60);
    ps_edifact_stream_init(&c->split, (size_t)srv->cfg->edifact_max_bytes);
    arm_timer(c);
    update_reading(c);
}

int ps_edifact_listen(ps_server *srv, int *port, char *err, size_t errlen)
{
    const ps_config *cfg = srv->cfg;
    E.srv = srv;
    E.control_next = (uint64_t)time(NULL) * 1000; /* grows across restarts too (13 digits) */
    uv_tcp_init(srv->loop, &E.listener);
    E.listener_open = true;
    struct sockaddr_storage addr;
    int rc = uv_ip4_addr(cfg->edifact_host, cfg->edifact_port, (struct sockaddr_in *)&addr);
    if (rc != 0)
        rc = uv_ip6_addr(cfg->edifact_host, cfg->edifact_port, (struct sockaddr_in6 *)&addr);
    if (rc == 0)
        rc = uv_tcp_bind(&E.listener, (const struct sockaddr *)&addr, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&E.listener, 511, on_connection);
    if (rc != 0) {
        snprintf(err, errlen, "edifact_listen on %s:%d: %s", cfg->edifact_host, cfg->edifact_port,
                 uv_strerror(rc));
        return -1;
    }
    struct sockaddr_storage sa;
    int salen = sizeof sa;
    uv_tcp_getsockname(&E.listener, (struct sockaddr *)&sa, &salen);
    *port = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
                                           : ((struct sockaddr_in *)&sa)->sin_port);
    return 0;
}

static void on_listener_closed(uv_handle_t *h)
{
    (void)h;
    ps_server_maybe_stop(E.srv);
}

void ps_edifact_drain(ps_server *srv)
{
    (void)srv;
    if (E.listener_open) {
        E.listener_open = false;
        uv_close((uv_handle_t *)&E.listener, on_listener_closed);
    }
    for (edi_conn *c = E.conns; c; c = c->next) {
        if (c->closing)
            continue;
        c->no_more = true; /* an interchange half received is not acknowledged */
        for (edi_item *it = c->head; it; it = it->next) {
            if (it->state == IT_HELD) { /* not recorded: unanswered, the carrier re-sends */
                job_free(it->job);
                it->job = NULL;
                c->waiting--;
                it->state = IT_READY;
                it->close = true;
                break;
            }
        }
        flush(c); /* closes it now when nothing is owed */
    }
}

bool ps_edifact_busy(const ps_server *srv)
{
    (void)srv;
    return E.n_conns > 0 || E.listener_open;
}
