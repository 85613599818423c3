/* ingest/retention.c — the retention setting of paxscreend: traveller data (batch bodies and
 * their hits) older than retention_days is purged at start and every hour by a thread of its
 * own (LMDB writes never run on the loop), each purge recorded in the audit log; batch
 * records, statistics and decisions stay (ps_batch_store_purge). */
#include "paxscreend.h"

#include "paxscreen/hit_review.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RETENTION_PERIOD_S 3600

struct ps_retention {
    ps_server *srv;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
};

int ps_retention_purge(ps_server *srv)
{
    unsigned days = srv->cfg->retention_days;
    if (!days)
        return 0;
    uint64_t now_ms = (uint64_t)time(NULL) * 1000u;
    uint64_t keep_ms = (uint64_t)days * 86400000u;
    uint64_t before = now_ms > keep_ms ? now_ms - keep_ms : 0;
    uint64_t batches = 0, hits = 0;
    char err[512];
    int rc = ps_batch_store_purge(srv->batches, before, &batches, &hits, err, sizeof err);
    if (rc == PS_BSTORE_OK && batches)
        rc = ps_audit_purge(srv->batches, "retention", before, batches, hits, err, sizeof err);
    if (rc != PS_BSTORE_OK)
        fprintf(stderr, "paxscreend: retention: %s\n", err);
    else if (batches)
        fprintf(stderr,
                "paxscreend: retention: purged %llu batches and %llu hits older than %u days\n",
                (unsigned long long)batches, (unsigned long long)hits, days);
    return rc;
}

static void *run(void *arg)
{
    ps_retention *r = arg;
    pthread_mutex_lock(&r->lock);
    while (!r->stopping) {
        pthread_mutex_unlock(&r->lock);
        ps_retention_purge(r->srv);
        pthread_mutex_lock(&r->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += RETENTION_PERIOD_S;
        while (!r->stopping && pthread_cond_timedwait(&r->wake, &r->lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

ps_retention *ps_retention_start(ps_server *srv)
{
    if (!srv->cfg->retention_days)
        return NULL;
    ps_retention *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->srv = srv;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->wake, NULL);
    if (pthread_create(&r->thread, NULL, run, r) != 0) {
        fprintf(stderr, "paxscreend: retention: could not start its thread\n");
        pthread_mutex_destroy(&r->lock);
        pthread_cond_destroy(&r->wake);
        free(r);
        return NULL;
    }
    return r;
}

void ps_retention_stop(ps_retention *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    r->stopping = true;
    pthread_cond_signal(&r->wake);
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->thread, NULL);
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->wake);
    free(r);
}
