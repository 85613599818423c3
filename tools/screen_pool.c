/* tools/screen_pool.c — screening a batch of travellers on every core for `paxscreen screen`:
 * the lists (ps_screen_traveller), then the targeting rules (ps_rules_screen) of the same
 * snapshot, against the batch's flight and the time the batch is screened.
 *
 * N workers (the calling thread is worker 0) each hold their own store and rules snapshots,
 * scratch memory and output buffer. All N snapshots are opened at the same committed version, so a
 * run sees one consistent state of the lists however the work is split. A batch is cut into N
 * contiguous slices; after every worker is done, their outputs are written in slice order, so
 * hits come out in traveller order whatever the number of threads. */
#include "screen_pool.h"

#include "paxscreen/record_json.h"
#include "paxscreen/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct worker {
    ps_screen_pool *pool;
    uint32_t index;
    pthread_t thread;
    ps_snapshot *snap;
    ps_rules_snapshot *rules;
    ps_arena scratch;
    ps_buf out;
    ps_screen_counts counts;
    int error;
} worker;

struct ps_screen_pool {
    uint32_t n; /* workers running, the calling thread included */
    worker *workers;
    pthread_mutex_t lock;
    pthread_cond_t go, finished;
    uint64_t generation; /* bumped for every batch handed out */
    uint32_t busy;       /* workers still on the current batch */
    bool stopping;
    /* the batch being screened */
    const ps_traveller *travellers;
    uint32_t n_travellers;
    ps_str batch_id;
    const ps_flight_leg *flight; /* NULL when the batch names none */
    int64_t now;                 /* UTC seconds: which rules are in force */
    ps_rules_cache *rules_cache; /* compiled rule sets shared by the workers' snapshots */
};

static void on_hit(void *ctx, const ps_hit *h)
{
    worker *w = ctx;
    ps_hit with_flight = *h;
    with_flight.flight = w->pool->flight;
    ps_json_write_hit(&w->out, &with_flight, w->pool->batch_id);
    ps_buf_putc(&w->out, '\n');
}

static void screen_slice(worker *w)
{
    ps_screen_pool *p = w->pool;
    uint32_t per = (p->n_travellers + p->n - 1) / p->n;
    uint32_t from = w->index * per;
    uint32_t to = from + per < p->n_travellers ? from + per : p->n_travellers;
    for (uint32_t i = from; i < to && !w->error; i++) {
        int rc =
            ps_screen_traveller(w->snap, &p->travellers[i], &w->scratch, on_hit, w, &w->counts);
        if (rc == PS_STORE_OK)
            rc = ps_rules_screen(w->rules, &p->travellers[i], p->flight, p->now, on_hit, w,
                                 &w->counts);
        if (rc != PS_STORE_OK)
            w->error = rc;
        ps_arena_reset(&w->scratch);
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    ps_screen_pool *p = w->pool;
    uint64_t seen = 0;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (p->generation == seen && !p->stopping)
            pthread_cond_wait(&p->go, &p->lock);
        bool stop = p->stopping;
        seen = p->generation;
        pthread_mutex_unlock(&p->lock);
        if (stop)
            return NULL;
        screen_slice(w);
        pthread_mutex_lock(&p->lock);
        if (--p->busy == 0)
            pthread_cond_signal(&p->finished);
        pthread_mutex_unlock(&p->lock);
    }
}

static void close_snapshot(worker *w)
{
    ps_rules_snapshot_end(w->rules); /* before the store snapshot it reads from */
    ps_snapshot_end(w->snap);
    w->rules = NULL;
    w->snap = NULL;
}

static void close_snapshots(ps_screen_pool *p)
{
    for (uint32_t i = 0; i < p->n; i++)
        close_snapshot(&p->workers[i]);
}

/* Opens one snapshot per worker, all at one version (retrying while a writer commits). */
static int open_snapshots(ps_screen_pool *p, ps_store *store, char *err, size_t errlen)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        bool same = true;
        for (uint32_t i = 0; i < p->n; i++) {
            int rc = ps_snapshot_begin(store, &p->workers[i].snap, err, errlen);
            if (rc != PS_STORE_OK) {
                close_snapshots(p);
                return rc;
            }
            same = same && ps_snapshot_version(p->workers[i].snap) ==
                               ps_snapshot_version(p->workers[0].snap);
        }
        for (uint32_t i = 0; i < p->n && same; i++) {
            int rc = ps_rules_snapshot_begin(p->workers[i].snap, p->rules_cache,
                                             &p->workers[i].rules, err, errlen);
            if (rc != PS_STORE_OK) {
                close_snapshots(p);
                return rc;
            }
        }
        if (same)
            return PS_STORE_OK;
        close_snapshots(p);
    }
    snprintf(err, errlen, "the lists kept changing: no consistent snapshot for %u workers", p->n);
    return PS_STORE_IO;
}

int ps_screen_pool_open(ps_store *store, uint32_t threads, ps_screen_pool **out, char *err,
                        size_t errlen)
{
    *out = NULL;
    if (threads < 1)
        threads = 1;
    if (threads > 256)
        threads = 256;
    ps_screen_pool *p = calloc(1, sizeof *p);
    worker *ws = calloc(threads, sizeof *ws);
    if (!p || !ws) {
        free(p);
        free(ws);
        snprintf(err, errlen, "out of memory");
        return PS_STORE_IO;
    }
    p->n = threads;
    p->workers = ws;
    if (ps_rules_cache_new(&p->rules_cache) != PS_STORE_OK) {
        free(ws);
        free(p);
        snprintf(err, errlen, "out of memory");
        return PS_STORE_IO;
    }
    for (uint32_t i = 0; i < threads; i++) {
        ws[i].pool = p;
        ws[i].index = i;
        ps_arena_init(&ws[i].scratch);
        ps_buf_init(&ws[i].out);
    }
    int rc = open_snapshots(p, store, err, errlen);
    if (rc != PS_STORE_OK) {
        ps_rules_cache_free(p->rules_cache);
        free(ws);
        free(p);
        return rc;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->finished, NULL);
    p->n = 1;
    for (uint32_t i = 1; i < threads; i++) {
        if (pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]) != 0) {
            fprintf(stderr, "paxscreen screen: started %u of %u workers\n", i, threads);
            break;
        }
        p->n = i + 1;
    }
    for (uint32_t i = p->n; i < threads; i++) /* snapshots of workers that did not start */
        close_snapshot(&ws[i]);
    *out = p;
    return PS_STORE_OK;
}

int ps_screen_pool_run(ps_screen_pool *p, const ps_traveller *t, uint32_t n,
                       const ps_flight_leg *flight, ps_str batch_id, FILE *out)
{
    p->travellers = t;
    p->n_travellers = n;
    p->batch_id = batch_id;
    p->flight = flight;
    p->now = (int64_t)time(NULL);
    uint32_t all = p->n;
    if (all > 1 && n >= 2 * all) {
        pthread_mutex_lock(&p->lock);
        p->busy = all - 1;
        p->generation++;
        pthread_cond_broadcast(&p->go);
        pthread_mutex_unlock(&p->lock);
        screen_slice(&p->workers[0]);
        pthread_mutex_lock(&p->lock);
        while (p->busy)
            pthread_cond_wait(&p->finished, &p->lock);
        pthread_mutex_unlock(&p->lock);
    } else { /* a small batch is not worth waking the others */
        p->n = 1;
        screen_slice(&p->workers[0]);
        p->n = all;
    }
    int error = 0;
    for (uint32_t i = 0; i < p->n; i++) {
        worker *w = &p->workers[i];
        if (w->out.len)
            fwrite(w->out.data, 1, w->out.len, out);
        w->out.len = 0;
        if (w->error && !error)
            error = w->error;
    }
    return error;
}

ps_screen_counts ps_screen_pool_counts(const ps_screen_pool *p)
{
    ps_screen_counts c = {0};
    for (uint32_t i = 0; i < p->n; i++) {
        c.travellers += p->workers[i].counts.travellers;
        c.documents += p->workers[i].counts.documents;
        c.hits += p->workers[i].counts.hits;
    }
    return c;
}

uint32_t ps_screen_pool_threads(const ps_screen_pool *p)
{
    return p->n;
}

void ps_screen_pool_close(ps_screen_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->lock);
    for (uint32_t i = 1; i < p->n; i++)
        pthread_join(p->workers[i].thread, NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->finished);
    for (uint32_t i = 0; i < p->n; i++) {
        close_snapshot(&p->workers[i]);
        ps_arena_free(&p->workers[i].scratch);
        ps_buf_free(&p->workers[i].out);
    }
    ps_rules_cache_free(p->rules_cache);
    free(p->workers);
    free(p);
}
