/* ingest/workers.c — the worker pool: N threads, two FIFOs of jobs, and the way back to the
 * loop (replies are queued under a mutex and the loop is woken by one uv_async; libuv
 * coalesces wake-ups, so the loop takes every queued reply each time).
 *
 * Requests (HTTP work a client waits for) go in the foreground FIFO, bounded by `capacity`
 * (a full one makes the loop answer 503). Recorded batches to screen go in the background
 * FIFO, which holds only ids (the bodies are in the batch store; intake refuses new batches
 * with 503 while it holds max_backlog). Worker 0 takes requests first, the others batches
 * first; every worker may screen batches, and worker 0, while it screens one, runs the requests
 * that arrive between two travellers (ps_workers_serve_requests, with a second context of its
 * own): a border system's /v1/screen waits at most one traveller's screening behind a carrier's
 * batch, and every core screens when there are no requests.
 * Invariants: `queued`/`bqueued` count the jobs in each FIFO, `running` the jobs being run
 * (`brunning` of them background). Stopping (SIGTERM) lets the threads finish the requests
 * queued and the jobs running; background jobs not yet started are dropped: their batches
 * are still 'received' in the batch store and are screened at the next start. */
#include "paxscreend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct ps_workers {
    ps_server *srv;
    unsigned n;    /* threads started (the main thread's) */
    unsigned size; /* threads asked for; fixed before any starts (the workers read it) */
    unsigned capacity;
    unsigned blimit; /* workers screening batches at once */
    pthread_t *threads;
    ps_worker_ctx *ctx;
    pthread_mutex_t lock;
    pthread_cond_t ready;
    ps_job *head, *tail;   /* requests */
    ps_job *bhead, *btail; /* batches to screen */
    uint64_t queued, bqueued;
    unsigned running, brunning;
    bool stopping;
    bool draining; /* take no more background jobs */
    /* replies back to the loop */
    pthread_mutex_t rlock;
    ps_reply *rhead, *rtail;
};

static void run_job(ps_worker_ctx *w, ps_job *job)
{
    switch (job->kind) {
    case PS_JOB_REQUEST:
        if (job->route.kind == PS_R_BATCHES || job->route.kind == PS_R_PAXLST)
            ps_intake_submit(w, job);
        else
            ps_api_run(w, job);
        break;
    case PS_JOB_SCREEN:
        ps_intake_screen(w, job->batch_id);
        break;
    case PS_JOB_STREAM:
        ps_api_run(w, job);
        break;
    }
    if (job->reply) { /* a handler that did not post its reply: a bug, but never silence */
        ps_reply *r = job->reply;
        job->reply = NULL;
        if (r->status == 0) {
            r->status = 500;
            ps_buf_puts(&r->body, "{\"error\":{\"status\":500,\"message\":\"no response\"}}");
        }
        ps_workers_post(w->srv->workers, r);
    }
    free(job->body);
    free(job);
    ps_arena_reset(&w->arena);
    w->buf.len = 0;
}

static ps_job *pop_request(ps_workers *p)
{
    ps_job *job = p->head;
    p->head = job->next;
    if (!p->head)
        p->tail = NULL;
    p->queued--;
    return job;
}

static ps_job *pop_background(ps_workers *p)
{
    ps_job *job = p->bhead;
    p->bhead = job->next;
    if (!p->bhead)
        p->btail = NULL;
    p->bqueued--;
    p->brunning++;
    return job;
}

/* Takes the next job worker w may run (lock held); NULL when there is none. Worker 0 takes
 * requests first; the others take batches to screen first (at most blimit at a time), so
 * requests always have a worker and screening keeps pace with intake. A lone worker
 * alternates when both kinds wait. */
static ps_job *next_job(ps_workers *p, ps_worker_ctx *w, bool *background)
{
    *background = false;
    bool can_bg = p->bhead && p->brunning < p->blimit && !p->stopping && !p->draining;
    bool bg_first = p->size == 1 ? w->last_was_request : w->index > 0;
    if (can_bg && (bg_first || !p->head)) {
        *background = true;
        w->last_was_request = false;
        return pop_background(p);
    }
    if (p->head) {
        w->last_was_request = true;
        return pop_request(p);
    }
    return NULL;
}

static bool holds_snapshot(const ps_worker_ctx *w)
{
    return w->snap || (w->nested && w->nested->snap);
}

static void let_go(ps_worker_ctx *w)
{
    ps_snapshot_end(w->snap);
    w->snap = NULL;
    if (w->nested) {
        ps_snapshot_end(w->nested->snap);
        w->nested->snap = NULL;
    }
}

void ps_workers_serve_requests(ps_worker_ctx *w)
{
    ps_workers *p = w->srv->workers;
    if (!w->nested)
        return;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        if (!p->head) {
            pthread_mutex_unlock(&p->lock);
            return;
        }
        ps_job *job = pop_request(p);
        p->running++;
        pthread_mutex_unlock(&p->lock);

        run_job(w->nested, job);

        pthread_mutex_lock(&p->lock);
        p->running--;
        uv_async_send(&w->srv->wake);
        pthread_mutex_unlock(&p->lock);
    }
}

static void *worker_main(void *arg)
{
    ps_worker_ctx *w = arg;
    ps_workers *p = w->srv->workers;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        bool background;
        ps_job *job;
        while (!(job = next_job(p, w, &background)) && !p->stopping) {
            if (!holds_snapshot(w)) {
                pthread_cond_wait(&p->ready, &p->lock);
                continue;
            }
            /* Idle for a second: let go of the alert store snapshots, so that their pages
             * can be reused by writers. */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += 1;
            if (pthread_cond_timedwait(&p->ready, &p->lock, &until) == ETIMEDOUT)
                let_go(w);
        }
        if (!job) { /* stopping and no request left */
            pthread_mutex_unlock(&p->lock);
            let_go(w);
            return NULL;
        }
        p->running++;
        pthread_mutex_unlock(&p->lock);

        run_job(w, job);

        /* The wake-up is sent under the lock: once the loop sees the pool idle (which takes
         * the lock), no worker touches the async handle again, so the loop may close it. */
        pthread_mutex_lock(&p->lock);
        p->running--;
        if (background) {
            p->brunning--;
            if (p->bhead)
                pthread_cond_broadcast(&p->ready); /* a screening slot is free again */
        }
        uv_async_send(&w->srv->wake);
        pthread_mutex_unlock(&p->lock);
    }
}

int ps_workers_start(ps_server *srv, unsigned n, unsigned capacity, ps_workers **out)
{
    *out = NULL;
    ps_workers *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    p->srv = srv;
    p->capacity = capacity;
    p->size = n;
    p->blimit = n;
    p->threads = calloc(n, sizeof *p->threads);
    p->ctx = calloc(n, sizeof *p->ctx);
    if (!p->threads || !p->ctx) {
        free(p->threads);
        free(p->ctx);
        free(p);
        return -1;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->ready, NULL);
    pthread_mutex_init(&p->rlock, NULL);
    srv->workers = p;
    *out = p; /* before any thread starts: they read srv->workers (out may point there) */
    for (unsigned i = 0; i < n; i++) {
        ps_worker_ctx *w = &p->ctx[i];
        w->srv = srv;
        w->index = i;
        ps_arena_init(&w->arena);
        ps_arena_init(&w->scratch);
        ps_buf_init(&w->buf);
        if (i == 0) { /* worker 0's context for requests it runs in the middle of a batch */
            w->nested = calloc(1, sizeof *w->nested);
            if (!w->nested)
                abort();
            w->nested->srv = srv;
            w->nested->index = 0;
            ps_arena_init(&w->nested->arena);
            ps_arena_init(&w->nested->scratch);
            ps_buf_init(&w->nested->buf);
        }
        if (pthread_create(&p->threads[i], NULL, worker_main, w) != 0) {
            fprintf(stderr, "paxscreend: started %u of %u workers\n", i, n);
            break;
        }
        p->n = i + 1;
    }
    if (p->n == 0) {
        srv->workers = NULL;
        *out = NULL;
        free(p->threads);
        free(p->ctx);
        free(p);
        return -1;
    }
    return 0;
}

bool ps_workers_submit(ps_workers *p, ps_job *job, bool force)
{
    job->next = NULL;
    bool background = job->kind == PS_JOB_SCREEN;
    pthread_mutex_lock(&p->lock);
    if (p->stopping || (!background && !force && p->queued >= p->capacity)) {
        pthread_mutex_unlock(&p->lock);
        return false;
    }
    if (background) {
        if (p->btail)
            p->btail->next = job;
        else
            p->bhead = job;
        p->btail = job;
        p->bqueued++;
    } else {
        if (p->tail)
            p->tail->next = job;
        else
            p->head = job;
        p->tail = job;
        p->queued++;
    }
    pthread_cond_broadcast(&p->ready); /* the worker that prefers this kind may be asleep */
    pthread_mutex_unlock(&p->lock);
    return true;
}

void ps_workers_post(ps_workers *p, ps_reply *r)
{
    r->next = NULL;
    pthread_mutex_lock(&p->rlock);
    if (p->rtail)
        p->rtail->next = r;
    else
        p->rhead = r;
    p->rtail = r;
    pthread_mutex_unlock(&p->rlock);
    uv_async_send(&p->srv->wake);
}

ps_reply *ps_workers_take_replies(ps_workers *p)
{
    pthread_mutex_lock(&p->rlock);
    ps_reply *r = p->rhead;
    p->rhead = p->rtail = NULL;
    pthread_mutex_unlock(&p->rlock);
    return r;
}

uint64_t ps_workers_depth(ps_workers *p)
{
    pthread_mutex_lock(&p->lock);
    uint64_t d = p->queued;
    pthread_mutex_unlock(&p->lock);
    return d;
}

uint64_t ps_workers_backlog(ps_workers *p)
{
    pthread_mutex_lock(&p->lock);
    uint64_t d = p->bqueued;
    pthread_mutex_unlock(&p->lock);
    return d;
}

bool ps_workers_idle(ps_workers *p)
{
    pthread_mutex_lock(&p->lock);
    bool idle = p->queued == 0 && p->running == 0;
    pthread_mutex_unlock(&p->lock);
    return idle;
}

void ps_workers_drain(ps_workers *p)
{
    pthread_mutex_lock(&p->lock);
    p->draining = true;
    pthread_mutex_unlock(&p->lock);
}

void ps_workers_stop(ps_workers *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->n; i++)
        pthread_join(p->threads[i], NULL);
    if (p->bqueued)
        fprintf(stderr,
                "paxscreend: %llu recorded batches left unscreened: they are screened at the "
                "next start\n",
                (unsigned long long)p->bqueued);
    while (p->bhead) {
        ps_job *next = p->bhead->next;
        free(p->bhead->body);
        free(p->bhead);
        p->bhead = next;
    }
    for (unsigned i = 0; i < p->n; i++) {
        ps_arena_free(&p->ctx[i].arena);
        ps_arena_free(&p->ctx[i].scratch);
        ps_buf_free(&p->ctx[i].buf);
        ps_snapshot_end(p->ctx[i].snap); /* NULL: ended by its thread */
        ps_worker_ctx *nested = p->ctx[i].nested;
        if (nested) {
            ps_arena_free(&nested->arena);
            ps_arena_free(&nested->scratch);
            ps_buf_free(&nested->buf);
            ps_snapshot_end(nested->snap);
            free(nested);
        }
    }
    ps_reply *r = ps_workers_take_replies(p);
    while (r) {
        ps_reply *next = r->next;
        ps_reply_free(r);
        r = next;
    }
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->ready);
    pthread_mutex_destroy(&p->rlock);
    free(p->threads);
    free(p->ctx);
    free(p);
}
