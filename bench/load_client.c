/* bench/load_client.c — the load generator of bench/server_load.sh: HTTP/1.1 keep-alive
 * requests against paxscreend on 127.0.0.1, from one thread (epoll), and a feed of raw
 * EDIFACT interchanges for the server's EDIFACT socket.
 *
 *   load_client screen PORT TOKEN BODIES.jsonl [--rate R] [--connections C] [--seconds S]
 *       POST /v1/screen, one line of BODIES (a traveller) per request, round robin. With
 *       --rate the requests are due at fixed intervals (open loop) and a request's latency
 *       runs from when it was due, so a stalled server is not hidden by the client waiting
 *       (no coordinated omission); without it each connection sends its next request as soon
 *       as the last is answered (closed loop).
 *   load_client paxlst PORT TOKEN FILE.edi [--connections C]
 *       POST /v1/paxlst once for each interchange of FILE (cut after each UNZ segment; the
 *       file must use the default service characters); a 503 is sent again 50 ms later.
 *   load_client edifact EDIPORT FILE.edi [--connections C]
 *       the interchanges of FILE dealt round robin to C raw EDIFACT connections, each sent
 *       back to back, until every one is answered with a CONTRL.
 *
 * Prints one JSON object on stdout: requests, statuses, seconds, requests_per_s and latency
 * percentiles in milliseconds. Exit 0, 1 on a connection error, 2 for usage. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 1024

typedef struct body {
    const char *p;
    size_t len;
} body;

typedef struct conn {
    int fd;
    bool busy;
    char *out; /* the request being written */
    size_t out_len, out_off;
    char *in; /* the response being read */
    size_t in_len, in_cap;
    uint64_t t0;   /* when the request was due (open loop) or sent */
    size_t which;  /* body index */
    long answers;  /* edifact: CONTRLs (UNZ) seen */
    long expected; /* edifact: interchanges sent */
    char tail[2];
} conn;

static struct {
    int ep;
    int port;
    const char *path, *token;
    body *bodies;
    size_t n_bodies, next_body;
    conn conns[MAX_CONNS];
    int n_conns;
    uint64_t *lat; /* nanoseconds */
    size_t n_lat, cap_lat;
    long status[6]; /* by class */
    long s200, s202, s503;
    long sent, done;
    /* open loop */
    uint64_t start, interval;
    uint64_t due; /* requests due and not yet sent */
    uint64_t *due_at;
    size_t due_head, due_tail, due_cap;
    /* paxlst: bodies to send again after a 503 */
    size_t *retry;
    size_t n_retry;
    uint64_t retry_at;
} L;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fputs("load_client: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "load_client: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    size_t cap = 1 << 20, n = 0, r;
    char *d = xrealloc(NULL, cap);
    while ((r = fread(d + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            d = xrealloc(d, cap *= 2);
    }
    fclose(f);
    *len = n;
    return d;
}

static void add_body(const char *p, size_t n)
{
    if (!n)
        return;
    L.bodies = xrealloc(L.bodies, (L.n_bodies + 1) * sizeof *L.bodies);
    L.bodies[L.n_bodies++] = (body){p, n};
}

static void split_lines(const char *d, size_t n)
{
    size_t s = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] == '\n') {
            add_body(d + s, i - s);
            s = i + 1;
        }
    add_body(d + s, n - s);
}

/* Interchanges: each ends after the terminator of a UNZ segment (default service chars). */
static void split_interchanges(const char *d, size_t n)
{
    size_t s = 0;
    for (size_t i = 0; i + 3 < n; i++) {
        if (memcmp(d + i, "UNZ+", 4) != 0 || (i > 0 && d[i - 1] != '\n' && d[i - 1] != '\''))
            continue;
        const char *t = memchr(d + i, '\'', n - i);
        if (!t)
            break;
        size_t end = (size_t)(t - d) + 1;
        while (end < n && (d[end] == '\n' || d[end] == '\r'))
            end++;
        add_body(d + s, end - s);
        s = end;
        i = end - 1;
    }
}

static void record(uint64_t ns)
{
    if (L.n_lat == L.cap_lat)
        L.lat = xrealloc(L.lat, (L.cap_lat = L.cap_lat ? L.cap_lat * 2 : 65536) * sizeof *L.lat);
    L.lat[L.n_lat++] = ns;
}

static int open_conn(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS)) {
        fprintf(stderr, "load_client: connect 127.0.0.1:%d: %s\n", port, strerror(errno));
        exit(1);
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void watch(conn *c, bool want_out)
{
    struct epoll_event ev = {0};
    ev.events = EPOLLIN | (want_out ? EPOLLOUT : 0);
    ev.data.ptr = c;
    epoll_ctl(L.ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void flush_out(conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            watch(c, true);
            return;
        }
        if (w <= 0) {
            fprintf(stderr, "load_client: send: %s\n", strerror(errno));
            exit(1);
        }
        c->out_off += (size_t)w;
    }
    watch(c, false);
}

static void send_request(conn *c, size_t which, uint64_t t0)
{
    const body *b = &L.bodies[which];
    char head[512];
    int h = snprintf(head, sizeof head,
                     "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: application/octet-stream\r\nContent-Length: %zu\r\n\r\n",
                     L.path, L.token, b->len);
    free(c->out);
    c->out = xrealloc(NULL, (size_t)h + b->len);
    memcpy(c->out, head, (size_t)h);
    memcpy(c->out + h, b->p, b->len);
    c->out_len = (size_t)h + b->len;
    c->out_off = 0;
    c->busy = true;
    c->which = which;
    c->t0 = t0;
    L.sent++;
    flush_out(c);
}

/* A complete response at the start of c->in: its length, or 0 when more is needed. */
static size_t response_length(conn *c, int *status)
{
    char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
    if (!end)
        return 0;
    size_t hlen = (size_t)(end - c->in) + 4;
    *status = atoi(c->in + 9);
    size_t clen = 0;
    for (char *p = c->in; p < end; p++)
        if ((*p == '\n') && strncasecmp(p + 1, "content-length:", 15) == 0)
            clen = (size_t)strtoull(p + 16, NULL, 10);
    return c->in_len >= hlen + clen ? hlen + clen : 0;
}

static bool next_request(conn *c, bool open_loop);

static void on_response(conn *c, int status, bool open_loop)
{
    uint64_t t = now_ns();
    c->busy = false;
    L.done++;
    if (status / 100 >= 1 && status / 100 <= 5)
        L.status[status / 100]++;
    if (status == 200)
        L.s200++;
    else if (status == 202)
        L.s202++;
    if (status == 503 && strcmp(L.path, "/v1/paxlst") == 0) {
        L.s503++;
        L.retry = xrealloc(L.retry, (L.n_retry + 1) * sizeof *L.retry);
        L.retry[L.n_retry++] = c->which;
        if (!L.retry_at)
            L.retry_at = t + 50000000u;
    } else {
        record(t - c->t0);
    }
    next_request(c, open_loop);
}

static void read_http(conn *c, bool open_loop)
{
    for (;;) {
        if (c->in_cap - c->in_len < 65536)
            c->in = xrealloc(c->in, c->in_cap = c->in_cap ? c->in_cap * 2 : 131072);
        ssize_t r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (r <= 0) {
            fprintf(stderr, "load_client: the server closed a connection (%s)\n",
                    r < 0 ? strerror(errno) : "EOF");
            exit(1);
        }
        c->in_len += (size_t)r;
        int status;
        size_t n;
        while ((n = response_length(c, &status)) > 0) {
            memmove(c->in, c->in + n, c->in_len - n);
            c->in_len -= n;
            on_response(c, status, open_loop);
        }
    }
}

/* Gives c its next request; false when there is none for it now. */
static bool next_request(conn *c, bool open_loop)
{
    if (c->busy)
        return true;
    if (open_loop) {
        if (L.due_head == L.due_tail)
            return false;
        uint64_t t0 = L.due_at[L.due_head++ % L.due_cap];
        send_request(c, L.next_body++ % L.n_bodies, t0);
        return true;
    }
    if (!strcmp(L.path, "/v1/paxlst")) {
        if (L.next_body < L.n_bodies) {
            send_request(c, L.next_body++, now_ns());
            return true;
        }
        if (L.n_retry && now_ns() >= L.retry_at) {
            send_request(c, L.retry[--L.n_retry], now_ns());
            if (!L.n_retry)
                L.retry_at = 0;
            return true;
        }
        return false;
    }
    send_request(c, L.next_body++ % L.n_bodies, now_ns());
    return true;
}

static int pct_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double pct(double p)
{
    if (!L.n_lat)
        return 0;
    size_t i = (size_t)(p / 100.0 * (double)(L.n_lat - 1) + 0.5);
    return (double)L.lat[i] / 1e6;
}

static void report(const char *mode, uint64_t t_start, uint64_t t_end)
{
    qsort(L.lat, L.n_lat, sizeof *L.lat, pct_cmp);
    double secs = (double)(t_end - t_start) / 1e9;
    printf("{\"mode\":\"%s\",\"connections\":%d,\"requests\":%ld,\"seconds\":%.3f,"
           "\"requests_per_s\":%.1f,\"status_2xx\":%ld,\"status_4xx\":%ld,\"status_5xx\":%ld,"
           "\"status_200\":%ld,\"status_202\":%ld,\"retried_503\":%ld,\"due_unsent\":%llu,"
           "\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f}}\n",
           mode, L.n_conns, L.done, secs, secs > 0 ? (double)L.done / secs : 0, L.status[2],
           L.status[4], L.status[5], L.s200, L.s202, L.s503,
           (unsigned long long)(L.due_tail - L.due_head), pct(50), pct(90), pct(99), pct(99.9),
           L.n_lat ? (double)L.lat[L.n_lat - 1] / 1e6 : 0.0);
}

static void add_conns(int n)
{
    L.ep = epoll_create1(0);
    for (int i = 0; i < n; i++) {
        conn *c = &L.conns[i];
        memset(c, 0, sizeof *c);
        c->fd = open_conn(L.port);
        struct epoll_event ev = {0};
        ev.events = EPOLLIN | EPOLLOUT;
        ev.data.ptr = c;
        epoll_ctl(L.ep, EPOLL_CTL_ADD, c->fd, &ev);
    }
    L.n_conns = n;
}

/* ---- POST /v1/screen and /v1/paxlst ---------------------------------------------------- */

static void run_http(const char *mode, double rate, double seconds)
{
    bool open_loop = rate > 0;
    struct epoll_event evs[256];
    int tfd = -1;
    uint64_t t_start = now_ns(), deadline = t_start + (uint64_t)(seconds * 1e9);
    if (open_loop) {
        L.interval = (uint64_t)(1e9 / rate);
        L.due_cap = 1 << 20;
        L.due_at = xrealloc(NULL, L.due_cap * sizeof *L.due_at);
        tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
        struct itimerspec its = {
            {(time_t)(L.interval / 1000000000u), (long)(L.interval % 1000000000u)}, {0, 1000}};
        timerfd_settime(tfd, 0, &its, NULL);
        struct epoll_event ev = {0};
        ev.events = EPOLLIN;
        ev.data.ptr = NULL;
        epoll_ctl(L.ep, EPOLL_CTL_ADD, tfd, &ev);
        L.start = now_ns();
    } else {
        for (int i = 0; i < L.n_conns; i++)
            next_request(&L.conns[i], false);
    }
    uint64_t scheduled = 0;
    bool paxlst = !strcmp(mode, "paxlst");
    for (;;) {
        uint64_t t = now_ns();
        if (paxlst) {
            if (L.next_body >= L.n_bodies && !L.n_retry) {
                bool busy = false;
                for (int i = 0; i < L.n_conns; i++)
                    busy |= L.conns[i].busy;
                if (!busy)
                    break;
            }
        } else if (t >= deadline) {
            break;
        }
        int n = epoll_wait(L.ep, evs, 256, 10);
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            if (!c) { /* the rate timer: requests fall due at start + k * interval */
                uint64_t ticks;
                if (read(tfd, &ticks, sizeof ticks) != sizeof ticks)
                    continue;
                for (uint64_t k = 0; k < ticks; k++) {
                    L.due_at[L.due_tail++ % L.due_cap] = L.start + scheduled * L.interval;
                    scheduled++;
                }
                continue;
            }
            if (evs[i].events & EPOLLOUT)
                flush_out(c);
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                read_http(c, open_loop);
        }
        /* idle connections take what is due (open loop) or retries (paxlst) */
        for (int i = 0; i < L.n_conns; i++)
            if (!L.conns[i].busy && !next_request(&L.conns[i], open_loop))
                if (open_loop)
                    break;
    }
    uint64_t t_end = now_ns();
    if (open_loop && L.due_head != L.due_tail)
        fprintf(stderr, "load_client: %llu requests due were never sent (all connections busy)\n",
                (unsigned long long)(L.due_tail - L.due_head));
    report(mode, t_start, t_end);
}

/* ---- the raw EDIFACT socket --------------------------------------------------------------- */

static long count_unz(conn *c, const char *p, size_t n)
{
    long k = 0;
    char a = c->tail[0], b = c->tail[1]; /* the last two bytes before p */
    for (size_t i = 0; i < n; i++) {
        if (a == 'U' && b == 'N' && p[i] == 'Z')
            k++;
        a = b;
        b = p[i];
    }
    c->tail[0] = a;
    c->tail[1] = b;
    return k;
}

static void run_edifact(void)
{
    /* deal the interchanges to the connections, each one's back to back */
    for (size_t i = 0; i < L.n_bodies; i++) {
        conn *c = &L.conns[i % (size_t)L.n_conns];
        c->out = xrealloc(c->out, c->out_len + L.bodies[i].len);
        memcpy(c->out + c->out_len, L.bodies[i].p, L.bodies[i].len);
        c->out_len += L.bodies[i].len;
        c->expected++;
    }
    uint64_t t_start = now_ns();
    for (int i = 0; i < L.n_conns; i++) {
        L.conns[i].t0 = t_start;
        flush_out(&L.conns[i]);
    }
    struct epoll_event evs[256];
    char buf[65536];
    long answered = 0;
    while (answered < (long)L.n_bodies) {
        int n = epoll_wait(L.ep, evs, 256, 1000);
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            if (evs[i].events & EPOLLOUT)
                flush_out(c);
            if (!(evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                continue;
            ssize_t r;
            while ((r = recv(c->fd, buf, sizeof buf, 0)) > 0) {
                long k = count_unz(c, buf, (size_t)r);
                for (long j = 0; j < k; j++)
                    record(now_ns() - t_start);
                c->answers += k;
                answered += k;
                L.status[2] += k;
                L.done += k;
            }
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                fprintf(stderr, "load_client: the server closed a feed after %ld of %ld answers\n",
                        c->answers, c->expected);
                exit(1);
            }
        }
    }
    report("edifact", t_start, now_ns());
}

static int usage(void)
{
    fputs("usage: load_client screen PORT TOKEN BODIES.jsonl [--rate R] [--connections C]\n"
          "                          [--seconds S]\n"
          "       load_client paxlst PORT TOKEN FILE.edi [--connections C]\n"
          "       load_client edifact EDIPORT FILE.edi [--connections C]\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return usage();
    const char *mode = argv[1];
    bool edifact = !strcmp(mode, "edifact");
    if (!edifact && argc < 5)
        return usage();
    if (strcmp(mode, "screen") && strcmp(mode, "paxlst") && !edifact)
        return usage();
    L.port = atoi(argv[2]);
    L.token = edifact ? "" : argv[3];
    const char *file = edifact ? argv[3] : argv[4];
    int conns = 8;
    double rate = 0, seconds = 10;
    for (int i = edifact ? 4 : 5; i < argc; i++) {
        if (!strcmp(argv[i], "--rate") && i + 1 < argc)
            rate = atof(argv[++i]);
        else if (!strcmp(argv[i], "--connections") && i + 1 < argc)
            conns = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else
            return usage();
    }
    if (conns < 1 || conns > MAX_CONNS)
        return usage();
    size_t len;
    char *data = read_file(file, &len);
    if (!strcmp(mode, "screen"))
        split_lines(data, len);
    else
        split_interchanges(data, len);
    if (!L.n_bodies) {
        fprintf(stderr, "load_client: %s: nothing to send\n", file);
        return 2;
    }
    L.path = !strcmp(mode, "screen") ? "/v1/screen" : "/v1/paxlst";
    add_conns(conns);
    if (edifact)
        run_edifact();
    else
        run_http(mode, !strcmp(mode, "screen") ? rate : 0, seconds);
    return 0;
}
