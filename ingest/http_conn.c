/* ingest/http_conn.c — HTTP/1.1 connections on the loop thread: accepting (up to the
 * connection limit), reading, framing requests with http-parser (keep-alive, pipelining,
 * chunked bodies), the checks that need no worker (route, token, role, body size), handing
 * each request to the worker pool, and writing the replies back in request order.
 *
 * Invariants:
 *   - every request gets a sequence number when its first byte is parsed; replies are
 *     written strictly in sequence order (`waiting` holds replies that came back early);
 *   - `outstanding` counts requests begun whose reply is not yet written; reading pauses
 *     while it reaches max_pipeline or the socket's write queue is long, and resumes later;
 *   - `refs` counts replies a worker still owes this connection: a closed connection is
 *     freed only when both its handles are closed and refs is 0;
 *   - a timer always runs while the connection waits on the client: the header timeout from
 *     a request's first byte, the body timeout after its headers, the idle timeout between
 *     requests; none while a worker has the request, none on a hit stream.
 * Nothing here parses a body, touches LMDB or blocks. */
#include "paxscreend.h"

#include <http_parser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_URL         8192
#define MAX_WRITE_QUEUE (8u << 20)

enum phase { PHASE_IDLE, PHASE_HEADERS, PHASE_BODY };

struct ps_conn {
    ps_conn *prev, *next;
    ps_server *srv;
    uv_tcp_t tcp;
    uv_timer_t timer;
    int handles; /* open libuv handles (tcp, timer) */
    int refs;    /* replies owed by workers */
    bool closing;
    http_parser parser;
    uint64_t bytes_in;
    enum phase phase;
    /* the request being read */
    uint32_t seq;
    ps_buf url, hfield, hvalue, auth;
    bool in_value, expect_continue;
    ps_buf body;
    uint64_t body_seen;
    int reject;
    char reject_msg[200];
    ps_route route;
    const ps_token *token;
    /* replies */
    uint32_t seq_next, seq_write;
    ps_reply *waiting;
    unsigned outstanding;
    bool reading;
    bool no_more; /* read no further requests (error, Connection: close, draining) */
    bool fatal;   /* a reply that closes the connection is queued */
    unsigned writes_pending;
    /* hit stream */
    bool streaming, fetching;
    uint64_t cursor;
};

typedef struct write_req {
    uv_write_t req;
    ps_conn *conn;
    bool close;
    char data[];
} write_req;

static http_parser_settings settings;

static void stream_fetch(ps_conn *c);

/* ---- replies ------------------------------------------------------------------------------ */

ps_reply *ps_reply_new(int status, const char *content_type)
{
    ps_reply *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->status = status;
    r->content_type = content_type ? content_type : "application/json";
    ps_buf_init(&r->body);
    r->route = "-";
    r->token = "-";
    return r;
}

void ps_reply_free(ps_reply *r)
{
    if (!r)
        return;
    ps_buf_free(&r->body);
    free(r);
}

ps_reply *ps_reply_error(int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps_reply *r = ps_reply_new(status, "application/json");
    ps_buf_printf(&r->body, "{\"error\":{\"status\":%d,\"message\":", status);
    /* escape by hand: the message may quote client input */
    ps_buf_putc(&r->body, '"');
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if (*p == '"' || *p == '\\')
            ps_buf_printf(&r->body, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            ps_buf_printf(&r->body, "\\u%04x", *p);
        else
            ps_buf_putc(&r->body, (char)*p);
    }
    ps_buf_puts(&r->body, "\"}}");
    return r;
}

static const char *reason_phrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 507:
        return "Insufficient Storage";
    default:
        return "Status";
    }
}

/* ---- closing ------------------------------------------------------------------------------ */

static void conn_free(ps_conn *c)
{
    ps_server *srv = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    srv->n_conns--;
    atomic_fetch_sub(&ps_metrics_g.connections_open, 1);
    while (c->waiting) {
        ps_reply *n = c->waiting->next;
        ps_reply_free(c->waiting);
        c->waiting = n;
    }
    ps_buf_free(&c->url);
    ps_buf_free(&c->hfield);
    ps_buf_free(&c->hvalue);
    ps_buf_free(&c->auth);
    ps_buf_free(&c->body);
    free(c);
    ps_server_maybe_stop(srv);
}

static void on_handle_closed(uv_handle_t *h)
{
    ps_conn *c = h->data;
    if (--c->handles == 0 && c->refs == 0)
        conn_free(c);
}

static void conn_close(ps_conn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    c->reading = false;
    uv_read_stop((uv_stream_t *)&c->tcp);
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
}

/* ---- timers and flow control ------------------------------------------------------------- */

static void on_timeout(uv_timer_t *t)
{
    ps_conn *c = t->data;
    atomic_fetch_add(&ps_metrics_g.timeouts, 1);
    conn_close(c);
}

static void arm_timer(ps_conn *c)
{
    if (c->closing)
        return;
    const ps_config *cfg = c->srv->cfg;
    uint64_t ms = 0;
    if (c->streaming)
        ms = 0;
    else if (c->phase == PHASE_HEADERS)
        ms = cfg->header_timeout_ms;
    else if (c->phase == PHASE_BODY)
        ms = cfg->body_timeout_ms;
    else if (c->outstanding == 0)
        ms = cfg->idle_timeout_ms;
    if (ms)
        uv_timer_start(&c->timer, on_timeout, ms, 0);
    else
        uv_timer_stop(&c->timer);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    buf->base = malloc(65536);
    buf->len = buf->base ? 65536 : 0;
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

static void update_reading(ps_conn *c)
{
    if (c->closing)
        return;
    bool want = !c->no_more && c->outstanding < c->srv->cfg->max_pipeline &&
                uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) < MAX_WRITE_QUEUE;
    if (c->streaming || (c->no_more && c->phase != PHASE_IDLE))
        want = true; /* a stream notices the client leaving; a request in progress finishes */
    if (want && !c->reading) {
        if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0)
            c->reading = true;
    } else if (!want && c->reading) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->reading = false;
    }
}

/* ---- writing ------------------------------------------------------------------------------ */

static void after_write(ps_conn *c)
{
    if (c->closing)
        return;
    if (c->no_more && c->outstanding == 0 && c->phase == PHASE_IDLE && !c->streaming &&
        c->writes_pending == 0) {
        conn_close(c);
        return;
    }
    arm_timer(c);
    update_reading(c);
    if (c->streaming)
        stream_fetch(c);
}

static void on_write(uv_write_t *req, int status)
{
    write_req *w = (write_req *)req;
    ps_conn *c = w->conn;
    bool close = w->close || status < 0;
    free(w);
    c->writes_pending--;
    if (close)
        conn_close(c);
    else
        after_write(c);
}

static void write_bytes(ps_conn *c, const char *head, size_t hlen, const ps_buf *body, bool close)
{
    size_t blen = body ? body->len : 0;
    write_req *w = malloc(sizeof *w + hlen + blen);
    if (!w)
        abort();
    w->conn = c;
    w->close = close;
    memcpy(w->data, head, hlen);
    if (blen)
        memcpy(w->data + hlen, body->data, blen);
    uv_buf_t b = uv_buf_init(w->data, (unsigned)(hlen + blen));
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0) {
        free(w);
        conn_close(c);
        return;
    }
    c->writes_pending++;
}

static void log_reply(ps_conn *c, const ps_reply *r)
{
    int cls = r->status / 100;
    if (cls >= 1 && cls <= 5)
        atomic_fetch_add(&ps_metrics_g.requests[cls], 1);
    uint64_t ns = r->start_ns ? ps_now_ns() - r->start_ns : 0;
    if (r->start_ns)
        ps_histogram_observe(&ps_metrics_g.request_latency, ns);
    if (c->srv->cfg->access_log)
        fprintf(stderr, "paxscreend: %s %s %d %zu %.3fms\n", r->token, r->route, r->status,
                r->body.len, (double)ns / 1e6);
}

static void write_reply(ps_conn *c, ps_reply *r)
{
    char head[512];
    int n;
    log_reply(c, r);
    if (r->stream) {
        n = snprintf(head, sizeof head,
                     "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
                     "Cache-Control: no-store\r\nConnection: close\r\n\r\n");
        c->streaming = true;
        c->no_more = true;
        c->cursor = r->stream_cursor;
        write_bytes(c, head, (size_t)n, NULL, false);
        return;
    }
    /* the last response before the connection ends says so; earlier ones do not */
    bool close = r->close || (c->no_more && c->phase == PHASE_IDLE && r->seq + 1 == c->seq_next);
    n = snprintf(head, sizeof head,
                 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s%s%s%s\r\n",
                 r->status, reason_phrase(r->status), r->content_type, r->body.len,
                 r->retry_after ? "Retry-After: 1\r\n" : "", r->allow ? "Allow: " : "",
                 r->allow ? r->allow : "", r->allow ? "\r\n" : "");
    if (close) {
        /* "Connection: close" goes in before the blank line */
        n -= 2;
        n += snprintf(head + n, sizeof head - (size_t)n, "Connection: close\r\n\r\n");
    }
    write_bytes(c, head, (size_t)n, &r->body, close);
}

/* Writes every reply whose turn has come. */
static void flush(ps_conn *c)
{
    while (!c->closing && c->waiting && c->waiting->seq == c->seq_write) {
        ps_reply *r = c->waiting;
        c->waiting = r->next;
        c->seq_write++;
        c->outstanding--;
        write_reply(c, r);
        bool stream = r->stream;
        ps_reply_free(r);
        if (stream)
            stream_fetch(c);
    }
    after_write(c);
}

/* Queues r (its seq set) for writing in order. */
static void deliver(ps_conn *c, ps_reply *r)
{
    if (c->closing) {
        ps_reply_free(r);
        return;
    }
    if (r->close) {
        c->no_more = true;
        c->fatal = true;
    }
    ps_reply **p = &c->waiting;
    while (*p && (*p)->seq < r->seq)
        p = &(*p)->next;
    r->next = *p;
    *p = r;
    flush(c);
}

static void stream_data(ps_conn *c, ps_reply *r)
{
    c->fetching = false;
    if (c->closing || !c->streaming) {
        ps_reply_free(r);
        return;
    }
    if (r->stream_cursor > c->cursor)
        c->cursor = r->stream_cursor;
    if (r->status != 200) {
        write_bytes(c, "", 0, &r->body, true);
    } else if (r->body.len) {
        write_bytes(c, "", 0, &r->body, false);
    }
    ps_reply_free(r);
    stream_fetch(c); /* more in the log, or hits committed while this read was under way */
}

void ps_http_deliver(ps_server *srv, ps_reply *r)
{
    (void)srv;
    ps_conn *c = r->conn;
    c->refs--;
    if (c->closing) {
        ps_reply_free(r);
        if (c->refs == 0 && c->handles == 0)
            conn_free(c);
        return;
    }
    if (r->stream_data)
        stream_data(c, r);
    else
        deliver(c, r);
}

/* A reply made on the loop for the current request. */
static void reply_now(ps_conn *c, ps_reply *r)
{
    r->seq = c->seq;
    r->route = c->route.name ? c->route.name : "-";
    r->token = c->token ? c->token->name : "-";
    if (r->status == 405)
        r->allow = c->route.allow;
    if (!r->start_ns)
        r->start_ns = ps_now_ns();
    deliver(c, r);
}

/* ---- hit streams -------------------------------------------------------------------------- */

static void stream_fetch(ps_conn *c)
{
    if (c->closing || !c->streaming || c->fetching)
        return;
    if (uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) >= MAX_WRITE_QUEUE)
        return; /* a slow reader: go on when the writes drain (after_write) */
    uint64_t known = atomic_load(&c->srv->new_hits_cursor);
    if (known <= c->cursor)
        return;
    ps_job *job = calloc(1, sizeof *job);
    if (!job)
        abort();
    job->kind = PS_JOB_STREAM;
    job->route.kind = PS_R_HITS_STREAM;
    job->route.since = c->cursor;
    job->reply = ps_reply_new(200, "application/x-ndjson");
    job->reply->conn = c;
    job->reply->stream_data = true;
    c->refs++;
    c->fetching = true;
    if (!ps_workers_submit(c->srv->workers, job, true)) { /* stopping */
        c->refs--;
        c->fetching = false;
        ps_reply_free(job->reply);
        free(job);
        conn_close(c);
    }
}

void ps_http_streams_wake(ps_server *srv, uint64_t cursor)
{
    (void)cursor;
    for (ps_conn *c = srv->conns; c; c = c->next)
        if (c->streaming && !c->fetching && !c->closing)
            stream_fetch(c);
}

/* ---- parsing ------------------------------------------------------------------------------ */

static void end_header(ps_conn *c)
{
    if (!c->hfield.len)
        return;
    if (c->hfield.len == 13 && strncasecmp(c->hfield.data, "authorization", 13) == 0) {
        c->auth.len = 0;
        ps_buf_append(&c->auth, c->hvalue.data ? c->hvalue.data : "", c->hvalue.len);
    } else if (c->hfield.len == 6 && strncasecmp(c->hfield.data, "expect", 6) == 0) {
        c->expect_continue =
            c->hvalue.len == 12 && strncasecmp(c->hvalue.data, "100-continue", 12) == 0;
    }
    c->hfield.len = 0;
    c->hvalue.len = 0;
    c->in_value = false;
}

static int on_message_begin(http_parser *p)
{
    ps_conn *c = p->data;
    if (c->no_more)
        return -1; /* nothing after a closing request is read */
    c->seq = c->seq_next++;
    c->outstanding++;
    c->phase = PHASE_HEADERS;
    c->url.len = c->hfield.len = c->hvalue.len = c->auth.len = 0;
    c->in_value = c->expect_continue = false;
    c->body.len = 0;
    c->reject = 0;
    c->body_seen = 0;
    c->token = NULL;
    memset(&c->route, 0, sizeof c->route);
    c->route.name = "-";
    arm_timer(c);
    return 0;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
    ps_conn *c = p->data;
    if (c->url.len + len > MAX_URL) {
        c->reject = 414;
        snprintf(c->reject_msg, sizeof c->reject_msg, "request target: longer than %d bytes",
                 MAX_URL);
        return 0;
    }
    ps_buf_append(&c->url, at, len);
    return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
    ps_conn *c = p->data;
    if (c->in_value)
        end_header(c);
    if (c->hfield.len < 64)
        ps_buf_append(&c->hfield, at, len);
    return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t len)
{
    ps_conn *c = p->data;
    c->in_value = true;
    if (c->hvalue.len < 4096)
        ps_buf_append(&c->hvalue, at, len);
    return 0;
}

static void reject(ps_conn *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reject(ps_conn *c, int status, const char *fmt, ...)
{
    c->reject = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->reject_msg, sizeof c->reject_msg, fmt, ap);
    va_end(ap);
}

static int on_headers_complete(http_parser *p)
{
    ps_conn *c = p->data;
    const ps_config *cfg = c->srv->cfg;
    end_header(c);
    if (!c->reject) {
        char err[200];
        int st =
            ps_route_match(http_method_str((enum http_method)p->method),
                           c->url.data ? c->url.data : "", c->url.len, &c->route, err, sizeof err);
        if (st)
            reject(c, st, "%s", err);
    }
    if (!c->reject && c->route.need) {
        unsigned roles;
        ps_auth_result a = ps_auth_check(cfg, c->auth.data, c->auth.len, &roles, &c->token);
        if (a == PS_AUTH_MISSING)
            reject(c, 401, "authorization: a bearer token is required");
        else if (a == PS_AUTH_UNKNOWN)
            reject(c, 401, "authorization: unknown token");
        else if (!ps_auth_allows(roles, c->route.need))
            reject(c, 403, "authorization: token \"%s\" may not use %s", c->token->name,
                   c->route.name);
        if (a == PS_AUTH_OK)
            c->route.roles = roles; /* what the handler may show this caller */
    }
    bool chunked = (p->flags & F_CHUNKED) != 0;
    uint64_t length = chunked || p->content_length == ULLONG_MAX ? 0 : p->content_length;
    if (length > cfg->max_body) {
        /* answered at once: the body is not read, so the connection cannot go on */
        if (!c->reject)
            reject(c, 413, "body: %llu bytes, more than the limit of %llu",
                   (unsigned long long)length, (unsigned long long)cfg->max_body);
        ps_reply *r = ps_reply_error(c->reject, "%s", c->reject_msg);
        r->close = true;
        c->phase = PHASE_IDLE;
        reply_now(c, r);
        return -1;
    }
    if (!c->reject && c->expect_continue && c->seq_write == c->seq && (length || chunked))
        write_bytes(c, "HTTP/1.1 100 Continue\r\n\r\n", 25, NULL, false);
    c->phase = PHASE_BODY;
    arm_timer(c);
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    ps_conn *c = p->data;
    uint64_t max = c->srv->cfg->max_body;
    if (c->body_seen + len > max) {
        ps_reply *r =
            ps_reply_error(413, "body: more than the limit of %llu bytes", (unsigned long long)max);
        r->close = true;
        c->phase = PHASE_IDLE;
        reply_now(c, r);
        return -1;
    }
    c->body_seen += len;
    if (!c->reject && c->route.has_body)
        ps_buf_append(&c->body, at, len);
    return 0;
}

static void dispatch(ps_conn *c, uint64_t start)
{
    ps_server *srv = c->srv;
    if (c->route.kind == PS_R_HEALTHZ) {
        ps_reply *r = ps_reply_new(200, "application/json");
        ps_buf_printf(&r->body, "{\"status\":\"%s\"}", srv->draining ? "draining" : "ok");
        r->start_ns = start;
        reply_now(c, r);
        return;
    }
    if (c->route.kind == PS_R_METRICS) {
        ps_reply *r = ps_reply_new(200, "text/plain; version=0.0.4");
        ps_metrics_render(&r->body, ps_workers_depth(srv->workers),
                          ps_workers_backlog(srv->workers), atomic_load(&srv->new_hits_cursor));
        r->start_ns = start;
        reply_now(c, r);
        return;
    }
    if (c->route.kind == PS_R_HITS_STREAM) {
        ps_reply *r = ps_reply_new(200, "application/x-ndjson");
        r->stream = true;
        r->stream_cursor = c->route.since;
        r->start_ns = start;
        reply_now(c, r);
        return;
    }
    ps_job *job = calloc(1, sizeof *job);
    if (!job)
        abort();
    job->kind = PS_JOB_REQUEST;
    job->route = c->route;
    job->body = c->body.data;
    job->body_len = c->body.len;
    c->body.data = NULL;
    c->body.len = c->body.cap = 0;
    ps_reply *r = ps_reply_new(0, "application/json");
    r->conn = c;
    r->seq = c->seq;
    r->start_ns = start;
    r->route = c->route.name;
    r->token = c->token ? c->token->name : "-";
    job->reply = r;
    c->refs++;
    if (!ps_workers_submit(srv->workers, job, false)) {
        c->refs--;
        free(job->body);
        free(job);
        ps_reply_free(r);
        atomic_fetch_add(&ps_metrics_g.queue_full, 1);
        ps_reply *busy = ps_reply_error(503, "busy: the work queue is full; retry shortly");
        busy->retry_after = true;
        busy->start_ns = start;
        reply_now(c, busy);
    }
}

static int on_message_complete(http_parser *p)
{
    ps_conn *c = p->data;
    uint64_t start = ps_now_ns();
    c->phase = PHASE_IDLE;
    if (!http_should_keep_alive(p))
        c->no_more = true;
    if (c->reject) {
        reply_now(c, ps_reply_error(c->reject, "%s", c->reject_msg));
    } else {
        dispatch(c, start);
    }
    arm_timer(c);
    return 0;
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    ps_conn *c = s->data;
    if (nread < 0) {
        free(buf->base);
        /* the client is gone (or done sending): answer what it asked, then close */
        c->no_more = true;
        uv_read_stop(s);
        c->reading = false;
        if (nread != UV_EOF || c->outstanding == 0 || c->phase != PHASE_IDLE || c->streaming)
            conn_close(c);
        return;
    }
    if (nread == 0 || c->closing) {
        free(buf->base);
        return;
    }
    if (c->streaming || (c->no_more && c->phase == PHASE_IDLE)) { /* not read any further */
        free(buf->base);
        return;
    }
    size_t done = http_parser_execute(&c->parser, &settings, buf->base, (size_t)nread);
    enum http_errno e = HTTP_PARSER_ERRNO(&c->parser);
    if (e != HPE_OK && !c->fatal && !c->no_more) {
        if (c->phase == PHASE_IDLE) { /* the error is in a request not yet begun */
            c->seq = c->seq_next++;
            c->outstanding++;
        }
        c->phase = PHASE_IDLE;
        memset(&c->route, 0, sizeof c->route);
        c->route.name = "-";
        ps_reply *r = ps_reply_error(400, "malformed HTTP at byte %llu: %s (%s)",
                                     (unsigned long long)(c->bytes_in + done),
                                     http_errno_description(e), http_errno_name(e));
        r->close = true;
        reply_now(c, r);
    } else if (e != HPE_OK || c->parser.upgrade) {
        c->no_more = true;
        c->phase = PHASE_IDLE;
    }
    c->bytes_in += (size_t)nread;
    free(buf->base);
    update_reading(c);
}

/* ---- accepting ---------------------------------------------------------------------------- */

static void on_connection(uv_stream_t *server, int status)
{
    ps_server *srv = server->data;
    if (status < 0)
        return;
    ps_conn *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->srv = srv;
    uv_tcp_init(srv->loop, &c->tcp);
    uv_timer_init(srv->loop, &c->timer);
    c->tcp.data = c;
    c->timer.data = c;
    c->handles = 2;
    c->next = srv->conns;
    if (srv->conns)
        srv->conns->prev = c;
    srv->conns = c;
    srv->n_conns++;
    atomic_fetch_add(&ps_metrics_g.connections_open, 1);
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
        conn_close(c);
        return;
    }
    atomic_fetch_add(&ps_metrics_g.connections_total, 1);
    uv_tcp_nodelay(&c->tcp, 1);
    uv_tcp_keepalive(&c->tcp, 1, 60); /* a hit stream notices a peer that vanished */
    http_parser_init(&c->parser, HTTP_REQUEST);
    c->parser.data = c;
    if (srv->n_conns > srv->cfg->max_connections || srv->draining) {
        atomic_fetch_add(&ps_metrics_g.connections_refused, 1);
        c->seq = c->seq_next++;
        c->outstanding++;
        c->no_more = true;
        ps_reply *r = ps_reply_error(503, "busy: too many connections");
        r->retry_after = true;
        r->close = true;
        reply_now(c, r);
        return;
    }
    arm_timer(c);
    update_reading(c);
}

int ps_http_listen(ps_server *srv, char *err, size_t errlen)
{
    memset(&settings, 0, sizeof settings);
    settings.on_message_begin = on_message_begin;
    settings.on_url = on_url;
    settings.on_header_field = on_header_field;
    settings.on_header_value = on_header_value;
    settings.on_headers_complete = on_headers_complete;
    settings.on_body = on_body;
    settings.on_message_complete = on_message_complete;

    struct sockaddr_storage addr;
    int rc = uv_ip4_addr(srv->cfg->host, srv->cfg->port, (struct sockaddr_in *)&addr);
    if (rc != 0)
        rc = uv_ip6_addr(srv->cfg->host, srv->cfg->port, (struct sockaddr_in6 *)&addr);
    if (rc != 0) {
        snprintf(err, errlen, "listen: bad address %s", srv->cfg->host);
        return -1;
    }
    rc = uv_tcp_bind(&srv->listener, (const struct sockaddr *)&addr, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&srv->listener, 511, on_connection);
    if (rc != 0) {
        snprintf(err, errlen, "listen on %s:%d: %s", srv->cfg->host, srv->cfg->port,
                 uv_strerror(rc));
        return -1;
    }
    return 0;
}

void ps_http_drain(ps_server *srv)
{
    for (ps_conn *c = srv->conns; c; c = c->next) {
        if (c->closing)
            continue;
        c->no_more = true;
        if (c->streaming || (c->outstanding == 0 && c->phase == PHASE_IDLE))
            conn_close(c);
        else
            update_reading(c);
    }
}
