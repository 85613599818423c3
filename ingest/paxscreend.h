/* ingest/paxscreend.h — what the files of the paxscreend server share (internal to ingest/):
 * the configuration, roles and tokens, routes, the metrics, the worker pool with its jobs and
 * replies, and the server object that ties the loop, the stores and the workers together.
 *
 * Threads: one libuv loop thread owns every socket, connection and timer (http_conn.c); a
 * pool of worker threads (workers.c) runs jobs — parsing, screening, LMDB reads and durable
 * writes — and hands each reply back to the loop through one uv_async. Nothing on the loop
 * parses request bodies, screens, or touches LMDB. */
#ifndef PAXSCREEND_H
#define PAXSCREEND_H

#include "paxscreen/arena.h"
#include "paxscreen/batch_store.h"
#include "paxscreen/hit_review.h"
#include "paxscreen/rules.h"
#include "paxscreen/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

/* ---- roles and tokens (auth.c) ---------------------------------------------------------- */

enum {
    PS_AUTH_CARRIER = 1u << 0, /* submit batches, iAPI */
    PS_AUTH_SYSTEM = 1u << 1,  /* screen, hit stream */
    PS_AUTH_ANALYST = 1u << 2, /* read hits */
    PS_AUTH_ADMIN = 1u << 3,   /* lists; may do everything */
};

typedef struct ps_token {
    char *name;   /* shown in logs instead of the secret */
    char *secret; /* what the client sends after "Bearer " */
    unsigned roles;
} ps_token;

/* ---- configuration (config.c) ----------------------------------------------------------- */

typedef struct ps_config {
    char *store_dir;                /* the alert store (paxscreen --db) */
    char *data_dir;                 /* the server's own state: the batch store */
    char *host;                     /* listen address */
    int port;                       /* 0: any free port (written to port_file) */
    char *port_file;                /* when set, the bound port is written there once listening */
    unsigned workers;               /* worker threads; default: cores */
    uint64_t max_body;              /* bytes; larger bodies get 413 */
    unsigned max_connections;       /* more are answered 503 and closed */
    unsigned queue_depth;           /* jobs waiting for a worker; more get 503 + Retry-After */
    unsigned max_pipeline;          /* requests in flight per connection before reading pauses */
    unsigned header_timeout_ms;     /* from a request's first byte to the end of its headers */
    unsigned body_timeout_ms;       /* from the end of the headers to the end of the body */
    unsigned idle_timeout_ms;       /* a keep-alive connection with nothing to do */
    unsigned max_screen_travellers; /* POST /v1/screen */
    unsigned max_hits_page;         /* GET /v1/hits limit ceiling */
    unsigned max_backlog;           /* batches waiting to be screened; more: 503 to carriers */
    uint64_t batch_map_size;        /* the batch store's LMDB map size */
    bool access_log;                /* one line per request on stderr (no personal data) */
    bool intake_only;               /* record batches, screen none (they wait for a restart) */
    unsigned retention_days;        /* traveller data kept this long (0: for ever); purged at
                                     * start and every hour (retention.c) */
    ps_token *tokens;
    size_t n_tokens;
    /* the raw EDIFACT socket (edifact_socket.c); off while edifact_host is NULL */
    char *edifact_host;               /* edifact_listen address */
    int edifact_port;                 /* 0: any free port (written to edifact_port_file) */
    char *edifact_port_file;          /* when set, the bound port is written there */
    uint64_t edifact_max_bytes;       /* longest interchange accepted (a rejecting CONTRL) */
    unsigned edifact_idle_timeout_ms; /* a feed connection with nothing to do */
    char **edifact_allow;             /* peer addresses allowed (canonical text); none: any */
    char **edifact_carrier;           /* per allowed address: the token name its batches are
                                       * submitted as (a carrier's), or NULL: PS_EDIFACT_SUBMITTER */
    size_t n_edifact_allow;
} ps_config;

void ps_config_defaults(ps_config *c);
/* Reads a JSON configuration (see README "paxscreend") over the defaults in c. Returns false
 * with a message naming the field (e.g. "limits.max_body_bytes: expected a positive integer")
 * or the JSON line and column. */
bool ps_config_parse(ps_config *c, const char *text, size_t len, char *err, size_t errlen);
bool ps_config_load(ps_config *c, const char *path, char *err, size_t errlen);
/* "HOST:PORT" or "[V6]:PORT" into c->host / c->port. */
bool ps_config_set_listen(ps_config *c, const char *text, char *err, size_t errlen);
void ps_config_free(ps_config *c);

/* ---- auth (auth.c) ---------------------------------------------------------------------- */

typedef enum ps_auth_result {
    PS_AUTH_MISSING = 0, /* no Authorization header, or not a Bearer token */
    PS_AUTH_UNKNOWN = 1, /* a Bearer token not in the configuration */
    PS_AUTH_OK = 2,
} ps_auth_result;

/* Looks the Authorization header value up among the configured tokens (every token is
 * compared in constant time). On PS_AUTH_OK *roles and *token get the token's. */
ps_auth_result ps_auth_check(const ps_config *c, const char *value, size_t len, unsigned *roles,
                             const ps_token **token);
/* Whether roles allow a route needing any of `need` (admin may do everything). */
bool ps_auth_allows(unsigned roles, unsigned need);

/* ---- routes (router.c) ------------------------------------------------------------------ */

typedef enum ps_route_kind {
    PS_R_NONE = 0,
    PS_R_HEALTHZ,
    PS_R_METRICS,
    PS_R_SCREEN,
    PS_R_BATCHES,
    PS_R_PAXLST,
    PS_R_BATCH_GET,
    PS_R_HITS,
    PS_R_HITS_STREAM,
    PS_R_IAPI,
    PS_R_LISTS,        /* GET /v1/lists */
    PS_R_LIST_ENTRY,   /* PUT, DELETE /v1/lists/{list}/entries/{id} */
    PS_R_LIST_IMPORT,  /* POST /v1/lists/{list}/import */
    PS_R_RULES,        /* GET /v1/rules */
    PS_R_RULE,         /* GET, PUT, DELETE /v1/rules/{id} */
    PS_R_STATS,        /* GET /v1/stats */
    PS_R_HIT_GET,      /* GET /v1/hits/{cursor} (api_review.c) */
    PS_R_HIT_DECISION, /* POST /v1/hits/{cursor}/decision */
    PS_R_AUDIT,        /* GET /v1/audit */
} ps_route_kind;

typedef struct ps_route {
    ps_route_kind kind;
    const char *name;     /* for logs and metrics: "screen", "batch_get", ... */
    unsigned need;        /* roles allowed (any of); 0: no token needed */
    unsigned roles;       /* the caller's roles, once its token is checked (0 without one) */
    bool has_body;        /* the handler reads the request body */
    uint64_t id;          /* {id} of /v1/batches/{id} */
    uint64_t since;       /* ?since= */
    uint64_t limit;       /* ?limit=, 0 when absent */
    char list[64];        /* {list} of /v1/lists/{list}/..., percent-decoded */
    char entry[256];      /* {id} of /v1/lists/{list}/entries/{id} or /v1/rules/{id}, decoded */
    bool del;             /* DELETE (rather than PUT) of a list entry */
    ps_hit_filter filter; /* GET /v1/hits: status=, list=, action=, kind=, batch=, min_score= */
    char hit_id[17];      /* /v1/hits/{hit_id}[/decision]: a hit named by its id, not cursor */
    uint32_t from_day, to_day; /* GET /v1/stats: from=, to= (days since 1970-01-01) */
    char by;                   /* by=: a dimension (border_stats.h), 'D' day or 'M' month */
    bool csv;                  /* format=csv */
    bool stats_hits;           /* counts=hits: only travellers with a hit */
    const char *allow;         /* for 405: the methods the path accepts */
} ps_route;

/* Matches method and request target (path and query). Returns 0 and fills out, or an HTTP
 * status (404 unknown path, 405 wrong method, 400 bad id or query) with a message in err. */
int ps_route_match(const char *method, const char *target, size_t len, ps_route *out, char *err,
                   size_t errlen);

/* ---- metrics (metrics.c) ---------------------------------------------------------------- */

#define PS_HIST_BUCKETS 16

typedef struct ps_histogram {
    _Atomic uint64_t buckets[PS_HIST_BUCKETS + 1]; /* last: +Inf */
    _Atomic uint64_t count;
    _Atomic uint64_t sum_ns;
} ps_histogram;

typedef struct ps_metrics {
    _Atomic uint64_t requests[6]; /* by status class: 1xx..5xx, [0] unused */
    _Atomic uint64_t batches_received, batches_duplicate, batches_screened, batches_failed;
    _Atomic uint64_t batches_rejected; /* 400 on submit */
    _Atomic uint64_t travellers, hits;
    _Atomic uint64_t connections_open, connections_total, connections_refused, timeouts;
    _Atomic uint64_t queue_full;
    ps_histogram request_latency;
    ps_histogram screen_latency; /* one POST /v1/screen, or one recorded batch */
} ps_metrics;

extern ps_metrics ps_metrics_g;

uint64_t ps_now_ns(void); /* CLOCK_MONOTONIC */
void ps_histogram_observe(ps_histogram *h, uint64_t ns);
/* Prometheus text exposition of everything above, plus the queue depth given. */
void ps_metrics_render(ps_buf *b, uint64_t queue_depth, uint64_t backlog, uint64_t last_cursor);

/* ---- replies, jobs and the worker pool (workers.c) -------------------------------------- */

typedef struct ps_conn ps_conn;
typedef struct ps_server ps_server;

/* A response on its way from a worker (or the loop) to a connection. */
typedef struct ps_reply {
    struct ps_reply *next;
    ps_conn *conn;
    uint32_t seq; /* the request's position on its connection */
    int status;
    const char *content_type;
    ps_buf body;
    bool close;       /* close the connection after this response */
    bool retry_after; /* 503: tell the client to come back */
    bool stream;      /* start a hit stream on this connection (headers only, no length) */
    bool stream_data; /* NDJSON lines for a stream connection (no headers, no seq) */
    uint64_t stream_cursor;
    bool more;         /* stream data: more hits are ready after stream_cursor */
    uint64_t start_ns; /* when the request was complete (latency) */
    const char *route; /* route name for the access log */
    const char *allow; /* 405: the methods the path takes */
    const char *token; /* token name for the access log */
} ps_reply;

typedef enum ps_job_kind {
    PS_JOB_REQUEST = 1, /* an HTTP request: route + body */
    PS_JOB_SCREEN,      /* screen a recorded batch (background: after its 202, or at start) */
    PS_JOB_STREAM,      /* read hits after a cursor for a stream connection */
} ps_job_kind;

typedef struct ps_job {
    struct ps_job *next;
    ps_job_kind kind;
    ps_route route;
    char *body; /* malloc'ed, owned by the job */
    size_t body_len;
    uint64_t batch_id; /* PS_JOB_SCREEN */
    ps_reply *reply;   /* NULL for background jobs; the worker posts it back */
} ps_job;

/* What each worker thread keeps for itself. */
typedef struct ps_worker_ctx {
    ps_server *srv;
    struct ps_worker_ctx *nested; /* worker 0: the context of requests run amid a batch */
    unsigned index;
    ps_arena arena;   /* reset after every job */
    ps_arena scratch; /* screening scratch, reset per traveller */
    ps_buf buf;
    bool last_was_request; /* a lone worker alternates requests and batches */
    ps_snapshot *snap;     /* the alert store as this worker last screened it (its caches warm);
                            * renewed when the lists change, ended after a second idle */
} ps_worker_ctx;

typedef struct ps_workers ps_workers;

int ps_workers_start(ps_server *srv, unsigned n, unsigned capacity, ps_workers **out);
/* Queues a job: PS_JOB_SCREEN in the background FIFO, others in the request FIFO; false
 * when stopping, or when the request FIFO holds `capacity` jobs already (unless force). */
bool ps_workers_submit(ps_workers *w, ps_job *job, bool force);
/* From a worker: hands a reply to the loop (it is written there, in request order). */
void ps_workers_post(ps_workers *w, ps_reply *r);
uint64_t ps_workers_depth(ps_workers *w);   /* requests queued, not yet running */
uint64_t ps_workers_backlog(ps_workers *w); /* recorded batches waiting to be screened */
/* No request queued and no job running (batches waiting in the background do not count:
 * they are durable and screened at the next start). */
bool ps_workers_idle(ps_workers *w);
/* From a worker screening a batch, between two travellers: worker 0 runs the requests waiting
 * (in its nested context) before going on; for the others it does nothing. */
void ps_workers_serve_requests(ps_worker_ctx *w);
/* From now on no background job is started (SIGTERM: the batches waiting stay 'received'). */
void ps_workers_drain(ps_workers *w);
/* Lets the workers finish the requests queued and the jobs running, then joins them. */
void ps_workers_stop(ps_workers *w);
/* On the loop: takes the replies posted so far (oldest first). */
ps_reply *ps_workers_take_replies(ps_workers *w);

/* ---- the server (main.c, http_conn.c) --------------------------------------------------- */

struct ps_server {
    ps_config *cfg;
    uv_loop_t *loop;
    uv_tcp_t listener;
    uv_async_t wake; /* workers -> loop: replies posted, jobs finished */
    uv_signal_t sigterm, sigint;
    ps_store *store;
    ps_batch_store *batches;
    ps_rules_cache *rules_cache; /* compiled targeting rules, shared by the workers' snapshots */
    ps_workers *workers;
    unsigned n_conns;
    ps_conn *conns; /* every open connection (for draining) */
    bool draining;
    _Atomic uint64_t new_hits_cursor; /* last hit cursor committed (stream wake-ups) */
    uint64_t streamed_cursor;         /* what the loop last told streams about */
};

ps_reply *ps_reply_new(int status, const char *content_type);
void ps_reply_free(ps_reply *r);
/* A JSON error body {"error": {"status", "message"}}; the message is JSON-escaped. */
ps_reply *ps_reply_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* http_conn.c: on the loop. */
int ps_http_listen(ps_server *srv, char *err, size_t errlen);
void ps_http_deliver(ps_server *srv, ps_reply *r); /* a reply from a worker */
void ps_http_drain(ps_server *srv);                /* stop listening, close idle connections */
void ps_http_streams_wake(ps_server *srv, uint64_t cursor);

/* retention.c: a thread that purges traveller data older than retention_days, at start and
 * every hour, each purge in the audit log; stopped (and joined) by ps_retention_stop. */
typedef struct ps_retention ps_retention;
ps_retention *ps_retention_start(ps_server *srv);
void ps_retention_stop(ps_retention *r);
/* One purge now (what the thread runs); 0 or the batch store's error, logged. */
int ps_retention_purge(ps_server *srv);

/* main.c: on the loop; once draining, stops the loop when nothing is left to do. */
void ps_server_maybe_stop(ps_server *srv);

/* api.c / intake.c: on a worker. */
void ps_api_run(ps_worker_ctx *w, ps_job *job);
/* The worker's snapshot of the alert store, current (ps_snapshot_current); NULL with err set
 * when the store cannot be read. Not to be ended by the caller. */
ps_snapshot *ps_worker_snapshot(ps_worker_ctx *w, char *err, size_t errlen);
/* Hands job->reply to the loop (status and body set) and clears it. */
void ps_api_post(ps_worker_ctx *w, ps_job *job);
/* Sets job->reply to status with a JSON error body {"error": {"status", "message"}}, the
 * message printf-formatted and JSON-escaped (not posted yet). */
void ps_api_errorf(ps_job *job, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A 400 reply body naming the first error of diags, with every error and warning. */
void ps_api_diag_error(ps_buf *b, const char *what, const ps_diag_list *diags);
void ps_intake_submit(ps_worker_ctx *w, ps_job *job);       /* POST /v1/batches, /v1/paxlst */
void ps_intake_screen(ps_worker_ctx *w, uint64_t batch_id); /* screen a recorded batch */
/* Queues a recorded batch for screening in the background (not with intake_only). */
void ps_intake_queue(ps_server *srv, uint64_t batch_id);
void ps_api_iapi(ps_worker_ctx *w, ps_job *job);  /* POST /v1/iapi (api_iapi.c) */
void ps_api_lists(ps_worker_ctx *w, ps_job *job); /* /v1/lists... (api_lists.c) */
void ps_api_rules(ps_worker_ctx *w, ps_job *job); /* /v1/rules... (api_rules.c) */
void ps_api_stats(ps_worker_ctx *w, ps_job *job); /* GET /v1/stats (api_stats.c) */
/* Records a read of n hits in the audit log (api.c); nothing when n is 0. */
void ps_api_audit_read(ps_worker_ctx *w, ps_job *job, const char *action, uint64_t since,
                       uint64_t n);
/* GET /v1/hits with filters, GET /v1/hits/{cursor}, POST /v1/hits/{cursor}/decision,
 * GET /v1/audit (api_review.c) */
void ps_api_review(ps_worker_ctx *w, ps_job *job);

/* ---- the raw EDIFACT socket (edifact_socket.c): on the loop ------------------------------ */

/* The route name every reply of an EDIFACT feed job carries (compared by address): such a
 * reply goes to ps_edifact_deliver, not to ps_http_deliver. */
extern const char ps_edifact_route[];
/* The submitter of batches from the raw EDIFACT socket (token names cannot begin with '@'). */
#define PS_EDIFACT_SUBMITTER "@edifact"
/* Listens on cfg->edifact_host:edifact_port; *port gets the port bound. 0, or -1 with err. */
int ps_edifact_listen(ps_server *srv, int *port, char *err, size_t errlen);
void ps_edifact_deliver(ps_server *srv, ps_reply *r); /* a reply whose route is ps_edifact_route */
void ps_edifact_drain(ps_server *srv);      /* stop listening; close each feed once answered */
bool ps_edifact_busy(const ps_server *srv); /* feed connections still open */
/* config.c: "HOST:PORT" or "[V6]:PORT" into c->edifact_host / c->edifact_port. */
bool ps_config_set_edifact_listen(ps_config *c, const char *text, char *err, size_t errlen);

#endif
