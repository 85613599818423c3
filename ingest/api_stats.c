/* ingest/api_stats.c — GET /v1/stats?from=YYYY-MM-DD&to=YYYY-MM-DD&by=DIM[&format=csv]
 * [&counts=hits] (roles analyst, admin): border statistics over a period (ps_stats_report_of):
 * travellers, or only those with a hit, by day, month or a dimension; from the counts
 * every screened batch added — no traveller record is read. The period defaults to the 31 days
 * ending today (UTC). */
#include "paxscreend.h"

#include "paxscreen/border_stats.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void ps_api_stats(ps_worker_ctx *w, ps_job *job)
{
    ps_reply *r = job->reply;
    uint32_t today = (uint32_t)(time(NULL) / 86400);
    uint32_t to = job->route.to_day ? job->route.to_day : today;
    uint32_t from = job->route.from_day ? job->route.from_day : (to > 30 ? to - 30 : 1);
    char err[256];
    int rc = ps_stats_report_of(w->srv->batches, from, to, job->route.by, job->route.stats_hits,
                                job->route.csv, &r->body, err, sizeof err);
    if (rc == PS_BSTORE_INVALID) {
        r->body.len = 0;
        r->status = 400;
        ps_buf_puts(&r->body, "{\"error\":{\"status\":400,\"message\":\"query: ");
        ps_buf_puts(&r->body, err); /* a fixed text with a number: nothing to escape */
        ps_buf_puts(&r->body, "\"}}");
    } else if (rc != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreend: stats: %s\n", err);
        r->body.len = 0;
        r->status = 500;
        ps_buf_puts(&r->body, "{\"error\":{\"status\":500,\"message\":\"the statistics could "
                              "not be read\"}}");
    } else {
        r->status = 200;
        if (job->route.csv)
            r->content_type = "text/csv";
    }
    ps_api_post(w, job);
}
