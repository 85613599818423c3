/* ingest/main.c — paxscreend: reads the configuration and command line, opens the alert store
 * and the batch store, starts the workers, queues every recorded but unscreened batch for
 * screening, listens, and runs the loop until SIGTERM (or SIGINT) has drained the work in
 * flight (the raw EDIFACT socket too, when configured). Also the loop's side of the workers'
 * wake-ups: replies to deliver (to HTTP or EDIFACT connections) and new hits to tell the
 * streams about.
 * Exit: 0 after a clean drain, 2 usage or configuration error, 3 a store could not be opened,
 * 4 the address could not be bound. */
#include "paxscreend.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int usage(void)
{
    fputs("usage: paxscreend [--config FILE] [--db DIR] [--data DIR] [--listen HOST:PORT]\n"
          "                  [--workers N] [--port-file FILE] [--intake-only]\n"
          "                  [--edifact-listen HOST:PORT] [--edifact-port-file FILE]\n"
          "  --config FILE     JSON configuration (see README, \"paxscreend\")\n"
          "  --db DIR          the alert store (as paxscreen --db); default ./paxscreen-db\n"
          "  --data DIR        the server's own state (batches, hits); default ./paxscreend-data\n"
          "  --listen IP:PORT  address to listen on (IPv4, or [IPv6]:PORT); default\n"
          "                    127.0.0.1:8080 (port 0: any free port)\n"
          "  --workers N       worker threads; default: one per core\n"
          "  --port-file FILE  write the port listened on to FILE once listening\n"
          "  --intake-only     record batches but screen none: they are screened at the next\n"
          "                    start without this option\n"
          "  --edifact-listen IP:PORT  also accept raw EDIFACT carrier feeds there (CONTRL\n"
          "                    answers; no token: a trusted network only); off by default\n"
          "  --edifact-port-file FILE  write the EDIFACT port there once listening\n",
          stderr);
    return 2;
}

static void close_handle(uv_handle_t *h)
{
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

void ps_server_maybe_stop(ps_server *srv)
{
    if (!srv->draining || srv->n_conns || ps_edifact_busy(srv) || !ps_workers_idle(srv->workers))
        return;
    close_handle((uv_handle_t *)&srv->wake);
    close_handle((uv_handle_t *)&srv->sigterm);
    close_handle((uv_handle_t *)&srv->sigint);
}

static void on_wake(uv_async_t *a)
{
    ps_server *srv = a->data;
    ps_reply *r = ps_workers_take_replies(srv->workers);
    while (r) {
        ps_reply *next = r->next;
        if (r->route == ps_edifact_route)
            ps_edifact_deliver(srv, r); /* a raw EDIFACT feed's answer */
        else
            ps_http_deliver(srv, r);
        r = next;
    }
    uint64_t cursor = atomic_load(&srv->new_hits_cursor);
    if (cursor > srv->streamed_cursor) {
        srv->streamed_cursor = cursor;
        ps_http_streams_wake(srv, cursor);
    }
    ps_server_maybe_stop(srv);
}

static void on_signal(uv_signal_t *s, int signum)
{
    ps_server *srv = s->data;
    if (srv->draining)
        return;
    fprintf(stderr, "paxscreend: %s: draining (%u connections open)\n",
            signum == SIGTERM ? "SIGTERM" : "SIGINT", srv->n_conns);
    srv->draining = true;
    ps_workers_drain(srv->workers);
    close_handle((uv_handle_t *)&srv->listener);
    ps_http_drain(srv);
    ps_edifact_drain(srv);
    ps_server_maybe_stop(srv);
}

static bool write_port_file(const char *path, int port, char *err, size_t errlen)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

static void queue_recovery(ps_server *srv)
{
    char err[256];
    size_t cap = 1 << 20;
    uint64_t *ids = malloc(cap * sizeof *ids);
    if (!ids)
        abort();
    err[0] = '\0';
    size_t n = ps_batch_store_pending(srv->batches, ids, cap, err, sizeof err);
    if (err[0])
        fprintf(stderr, "paxscreend: listing unscreened batches: %s\n", err);
    if (n)
        fprintf(stderr, "paxscreend: %zu recorded batches not yet screened: screening them\n", n);
    for (size_t i = 0; i < n; i++) {
        ps_job *job = calloc(1, sizeof *job);
        if (!job)
            abort();
        job->kind = PS_JOB_SCREEN;
        job->batch_id = ids[i];
        ps_workers_submit(srv->workers, job, true);
    }
    free(ids);
}

int main(int argc, char **argv)
{
    ps_config cfg;
    ps_config_defaults(&cfg);
    char err[512];
    const char *config = NULL;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config = argv[i + 1];
    if (config && !ps_config_load(&cfg, config, err, sizeof err)) {
        fprintf(stderr, "paxscreend: %s\n", err);
        ps_config_free(&cfg);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (strcmp(a, "--config") == 0 && v) {
            i++;
        } else if (strcmp(a, "--db") == 0 && v) {
            free(cfg.store_dir);
            cfg.store_dir = strdup(v);
            i++;
        } else if (strcmp(a, "--data") == 0 && v) {
            free(cfg.data_dir);
            cfg.data_dir = strdup(v);
            i++;
        } else if (strcmp(a, "--port-file") == 0 && v) {
            free(cfg.port_file);
            cfg.port_file = strdup(v);
            i++;
        } else if (strcmp(a, "--intake-only") == 0) {
            cfg.intake_only = true;
        } else if (strcmp(a, "--edifact-listen") == 0 && v) {
            ok = ps_config_set_edifact_listen(&cfg, v, err, sizeof err);
            i++;
        } else if (strcmp(a, "--edifact-port-file") == 0 && v) {
            free(cfg.edifact_port_file);
            cfg.edifact_port_file = strdup(v);
            i++;
        } else if (strcmp(a, "--listen") == 0 && v) {
            ok = ps_config_set_listen(&cfg, v, err, sizeof err);
            i++;
        } else if (strcmp(a, "--workers") == 0 && v) {
            char *end;
            long n = strtol(v, &end, 10);
            ok = *v && !*end && n >= 1 && n <= 256;
            if (!ok)
                snprintf(err, sizeof err, "--workers: expected 1..256, found \"%.32s\"", v);
            cfg.workers = ok ? (unsigned)n : cfg.workers;
            i++;
        } else {
            ps_config_free(&cfg);
            return usage();
        }
        if (!ok) {
            fprintf(stderr, "paxscreend: %s\n", err);
            ps_config_free(&cfg);
            return 2;
        }
    }
    if (!cfg.store_dir || !cfg.data_dir) {
        ps_config_free(&cfg);
        return usage();
    }
    if (cfg.n_tokens == 0)
        fprintf(stderr, "paxscreend: no tokens configured: every endpoint but /healthz and "
                        "/metrics answers 401\n");
    signal(SIGPIPE, SIG_IGN);

    ps_server srv;
    memset(&srv, 0, sizeof srv);
    srv.cfg = &cfg;
    int rc = 0;
    if (ps_store_open(cfg.store_dir, true, &srv.store, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "paxscreend: alert store %s: %s\n", cfg.store_dir, err);
        ps_config_free(&cfg);
        return 3;
    }
    char bdir[4096];
    snprintf(bdir, sizeof bdir, "%s/batches", cfg.data_dir);
    if (mkdir(cfg.data_dir, 0770) != 0 && errno != EEXIST) {
        fprintf(stderr, "paxscreend: data directory %s: %s\n", cfg.data_dir, strerror(errno));
        ps_store_close(srv.store);
        ps_config_free(&cfg);
        return 3;
    }
    if (ps_batch_store_open(bdir, cfg.batch_map_size, &srv.batches, err, sizeof err) !=
        PS_BSTORE_OK) {
        fprintf(stderr, "paxscreend: %s\n", err);
        ps_store_close(srv.store);
        ps_config_free(&cfg);
        return 3;
    }
    if (ps_rules_cache_new(&srv.rules_cache) != PS_STORE_OK) {
        fprintf(stderr, "paxscreend: out of memory\n");
        ps_batch_store_close(srv.batches);
        ps_store_close(srv.store);
        ps_config_free(&cfg);
        return 3;
    }
    atomic_store(&srv.new_hits_cursor, ps_batch_store_last_cursor(srv.batches));
    srv.streamed_cursor = atomic_load(&srv.new_hits_cursor);

    uv_loop_t loop;
    uv_loop_init(&loop);
    srv.loop = &loop;
    uv_async_init(&loop, &srv.wake, on_wake);
    srv.wake.data = &srv;
    uv_signal_init(&loop, &srv.sigterm);
    uv_signal_init(&loop, &srv.sigint);
    srv.sigterm.data = srv.sigint.data = &srv;
    uv_signal_start(&srv.sigterm, on_signal, SIGTERM);
    uv_signal_start(&srv.sigint, on_signal, SIGINT);
    uv_tcp_init(&loop, &srv.listener);
    srv.listener.data = &srv;

    ps_retention *retention = ps_retention_start(&srv); /* purges at start, then hourly */
    if (ps_workers_start(&srv, cfg.workers, cfg.queue_depth, &srv.workers) != 0) {
        fprintf(stderr, "paxscreend: could not start worker threads\n");
        rc = 3;
    } else if (ps_http_listen(&srv, err, sizeof err) != 0) {
        fprintf(stderr, "paxscreend: %s\n", err);
        rc = 4;
    }
    int edi_port = 0;
    if (!rc && cfg.edifact_host && ps_edifact_listen(&srv, &edi_port, err, sizeof err) != 0) {
        fprintf(stderr, "paxscreend: %s\n", err);
        rc = 4;
    }
    if (rc) {
        srv.draining = true;
        close_handle((uv_handle_t *)&srv.listener);
        ps_edifact_drain(&srv);
        close_handle((uv_handle_t *)&srv.wake);
        close_handle((uv_handle_t *)&srv.sigterm);
        close_handle((uv_handle_t *)&srv.sigint);
        uv_run(&loop, UV_RUN_DEFAULT);
    } else {
        struct sockaddr_storage sa;
        int salen = sizeof sa;
        uv_tcp_getsockname(&srv.listener, (struct sockaddr *)&sa, &salen);
        int port = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
                                                  : ((struct sockaddr_in *)&sa)->sin_port);
        if (cfg.intake_only)
            fprintf(stderr, "paxscreend: intake only: batches are recorded, not screened\n");
        else
            queue_recovery(&srv);
        if (cfg.edifact_host) {
            if (cfg.edifact_port_file &&
                !write_port_file(cfg.edifact_port_file, edi_port, err, sizeof err))
                fprintf(stderr, "paxscreend: edifact port file %s\n", err);
            fprintf(stderr,
                    "paxscreend: raw EDIFACT feeds on %s:%d (no token: trusted networks only)\n",
                    cfg.edifact_host, edi_port);
        }
        if (cfg.port_file && !write_port_file(cfg.port_file, port, err, sizeof err))
            fprintf(stderr, "paxscreend: port file %s\n", err);
        fprintf(stderr,
                "paxscreend: listening on %s:%d with %u workers (alert store %s, data %s)\n",
                cfg.host, port, cfg.workers, cfg.store_dir, cfg.data_dir);
        uv_run(&loop, UV_RUN_DEFAULT);
        fprintf(stderr, "paxscreend: drained, exiting\n");
    }
    ps_workers_stop(srv.workers);
    ps_retention_stop(retention);
    ps_rules_cache_free(srv.rules_cache); /* after every worker's rules snapshot ended */
    uv_loop_close(&loop);
    ps_batch_store_close(srv.batches);
    ps_store_close(srv.store);
    ps_config_free(&cfg);
    return rc;
}
