/* tests/server/edi_client.c — the carrier side of a raw EDIFACT feed, for
 * tests/server/edifact_socket.sh (which compiles it with cc: CMake does not build it).
 *
 * Connects to 127.0.0.1:PORT, sends the files given back to back — in one write, or in
 * chunks of --chunk bytes with --delay-us between them —, then shuts its write side down
 * (unless --keep-open) and copies everything the server answers to stdout until the server
 * closes the connection, --expect N answers (UNZ segments) have arrived, or --timeout-ms has
 * passed. Exit 0, or 1 on a connection error, 2 for usage. Plain POSIX sockets. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int usage(void)
{
    fputs("usage: edi_client PORT [--chunk N] [--delay-us U] [--expect N] [--timeout-ms M]\n"
          "                  [--keep-open] FILE...\n",
          stderr);
    return 2;
}

static int read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "edi_client: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16;
    *data = malloc(cap);
    *len = 0;
    size_t n;
    while (*data && (n = fread(*data + *len, 1, cap - *len, f)) > 0) {
        *len += n;
        if (*len == cap)
            *data = realloc(*data, cap *= 2);
    }
    fclose(f);
    return *data ? 0 : -1;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Counts "UNZ" tags in p, with the last two bytes of the previous read before it (a tag
 * may be split between reads; one that ends in those two bytes was counted then). */
static int count_unz(const char *p, size_t n, char tail[2])
{
    int count = 0;
    char buf[2 + 4096];
    while (n) {
        size_t take = n > 4096 ? 4096 : n;
        memcpy(buf, tail, 2);
        memcpy(buf + 2, p, take);
        for (size_t i = 0; i < take; i++)
            if (buf[i] == 'U' && buf[i + 1] == 'N' && buf[i + 2] == 'Z')
                count++;
        memcpy(tail, buf + take, 2);
        p += take;
        n -= take;
    }
    return count;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    int port = atoi(argv[1]);
    size_t chunk = 0;
    long delay_us = 0, timeout_ms = 10000;
    int expect = 0, keep_open = 0, first_file = 0;
    for (int i = 2; i < argc && !first_file; i++) {
        if (strcmp(argv[i], "--chunk") == 0 && i + 1 < argc)
            chunk = (size_t)atol(argv[++i]);
        else if (strcmp(argv[i], "--delay-us") == 0 && i + 1 < argc)
            delay_us = atol(argv[++i]);
        else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc)
            expect = atoi(argv[++i]);
        else if (strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc)
            timeout_ms = atol(argv[++i]);
        else if (strcmp(argv[i], "--keep-open") == 0)
            keep_open = 1;
        else if (argv[i][0] == '-' && argv[i][1] == '-')
            return usage();
        else
            first_file = i;
    }
    if (!first_file)
        return usage();

    /* everything to send, back to back */
    char *all = NULL;
    size_t total = 0;
    for (int i = first_file; i < argc; i++) {
        char *d;
        size_t n;
        if (read_file(argv[i], &d, &n) != 0)
            return 1;
        all = realloc(all, total + n + 1);
        memcpy(all + total, d, n);
        total += n;
        free(d);
    }

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        fprintf(stderr, "edi_client: connect 127.0.0.1:%d: %s\n", port, strerror(errno));
        return 1;
    }
    int rc = 0;
    if (!chunk || chunk > total)
        chunk = total ? total : 1;
    for (size_t off = 0; off < total && rc == 0; off += chunk) {
        size_t n = total - off < chunk ? total - off : chunk;
        rc = send_all(fd, all + off, n);
        if (delay_us && off + n < total)
            usleep((useconds_t)delay_us);
    }
    if (rc != 0)
        fprintf(stderr, "edi_client: send: %s\n", strerror(errno));
    if (!keep_open)
        shutdown(fd, SHUT_WR);

    long long deadline = now_ms() + timeout_ms;
    int answers = 0;
    char tail[2] = {0, 0};
    char buf[65536];
    for (;;) {
        if (expect && answers >= expect)
            break;
        long long left = deadline - now_ms();
        if (left <= 0)
            break;
        struct pollfd p = {fd, POLLIN, 0};
        int pr = poll(&p, 1, (int)left);
        if (pr <= 0)
            continue;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* closed by the server (or reset) */
        fwrite(buf, 1, (size_t)n, stdout);
        answers += count_unz(buf, (size_t)n, tail);
    }
    fflush(stdout);
    close(fd);
    free(all);
    return 0;
}
