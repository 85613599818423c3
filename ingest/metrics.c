/* ingest/metrics.c — paxscreend's counters and latency histograms (lock-free atomics, updated
 * from the loop and the workers) and their Prometheus text exposition for GET /metrics. */
#include "paxscreend.h"

#include <time.h>

ps_metrics ps_metrics_g;

/* Bucket upper bounds in seconds (the last bucket, +Inf, is implicit). */
static const double bounds[PS_HIST_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                               0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                               1,      2.5,     5,      10};

uint64_t ps_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ps_histogram_observe(ps_histogram *h, uint64_t ns)
{
    double s = (double)ns / 1e9;
    int i = 0;
    while (i < PS_HIST_BUCKETS && s > bounds[i])
        i++;
    atomic_fetch_add_explicit(&h->buckets[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_ns, ns, memory_order_relaxed);
}

static uint64_t get(_Atomic uint64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

static void counter(ps_buf *b, const char *name, const char *help, uint64_t v)
{
    ps_buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name,
                  (unsigned long long)v);
}

static void gauge(ps_buf *b, const char *name, const char *help, uint64_t v)
{
    ps_buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %llu\n", name, help, name, name,
                  (unsigned long long)v);
}

static void histogram(ps_buf *b, const char *name, const char *help, ps_histogram *h)
{
    ps_buf_printf(b, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
    uint64_t cum = 0;
    for (int i = 0; i < PS_HIST_BUCKETS; i++) {
        cum += get(&h->buckets[i]);
        ps_buf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name, bounds[i], (unsigned long long)cum);
    }
    cum += get(&h->buckets[PS_HIST_BUCKETS]);
    ps_buf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)cum);
    ps_buf_printf(b, "%s_sum %.9f\n%s_count %llu\n", name, (double)get(&h->sum_ns) / 1e9, name,
                  (unsigned long long)get(&h->count));
}

void ps_metrics_render(ps_buf *b, uint64_t queue_depth, uint64_t backlog, uint64_t last_cursor)
{
    ps_metrics *m = &ps_metrics_g;
    ps_buf_printf(b, "# HELP paxscreend_requests_total HTTP responses by status class.\n"
                     "# TYPE paxscreend_requests_total counter\n");
    for (int i = 1; i <= 5; i++)
        ps_buf_printf(b, "paxscreend_requests_total{code=\"%dxx\"} %llu\n", i,
                      (unsigned long long)get(&m->requests[i]));
    counter(b, "paxscreend_batches_received_total", "Batches durably recorded (202).",
            get(&m->batches_received));
    counter(b, "paxscreend_batches_duplicate_total", "Batches re-sent with the same content.",
            get(&m->batches_duplicate));
    counter(b, "paxscreend_batches_rejected_total", "Batches refused as malformed (400).",
            get(&m->batches_rejected));
    counter(b, "paxscreend_batches_screened_total", "Recorded batches screened.",
            get(&m->batches_screened));
    counter(b, "paxscreend_batches_failed_total", "Recorded batches that could not be screened.",
            get(&m->batches_failed));
    counter(b, "paxscreend_travellers_screened_total",
            "Travellers screened (batches and "
            "/v1/screen).",
            get(&m->travellers));
    counter(b, "paxscreend_hits_total", "Hits found.", get(&m->hits));
    counter(b, "paxscreend_connections_total", "Connections accepted.", get(&m->connections_total));
    counter(b, "paxscreend_connections_refused_total", "Connections refused at the limit.",
            get(&m->connections_refused));
    counter(b, "paxscreend_timeouts_total",
            "Connections closed for a header, body or idle "
            "timeout.",
            get(&m->timeouts));
    counter(b, "paxscreend_queue_full_total",
            "Requests answered 503 because the work queue "
            "was full.",
            get(&m->queue_full));
    gauge(b, "paxscreend_connections_open", "Open connections.", get(&m->connections_open));
    gauge(b, "paxscreend_queue_depth", "Jobs waiting for a worker.", queue_depth);
    gauge(b, "paxscreend_screening_backlog", "Recorded batches waiting to be screened.", backlog);
    gauge(b, "paxscreend_hit_cursor", "Cursor of the last stored hit.", last_cursor);
    histogram(b, "paxscreend_request_seconds", "Time from a complete request to its response.",
              &m->request_latency);
    histogram(b, "paxscreend_screening_seconds",
              "Screening time of one /v1/screen request or "
              "one recorded batch.",
              &m->screen_latency);
}
