/* tools/input.c — an input file for the CLI (mmap for regular files, read for pipes), and how
 * a finding about it is told on stderr. */
#include "cli.h"

#include "paxscreen/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, ps_input *in)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return ENOMEM;
    for (;;) {
        if (len == cap) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                return ENOMEM;
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            return e;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    in->data = buf;
    in->len = len;
    in->owned = buf;
    return 0;
}

int ps_input_open(ps_input *in, const char *path)
{
    memset(in, 0, sizeof *in);
    if (strcmp(path, "-") == 0)
        return read_all(STDIN_FILENO, in);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return e;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return EISDIR;
    }
    int rc = 0;
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
        void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            rc = read_all(fd, in);
        } else {
            madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
            in->map = map;
            in->data = map;
            in->len = (size_t)st.st_size;
        }
    } else if (S_ISREG(st.st_mode)) {
        in->data = "";
        in->len = 0;
    } else {
        rc = read_all(fd, in);
    }
    close(fd);
    return rc;
}

void ps_input_close(ps_input *in)
{
    if (in->map)
        munmap(in->map, in->len);
    free(in->owned);
    memset(in, 0, sizeof *in);
}

void ps_cli_print_diag(const char *cmd, const char *path, const ps_diag *d)
{
    fprintf(stderr, "paxscreen %s: %s: ", cmd, path);
    if (d->segment)
        fprintf(stderr, "segment %u, ", d->segment);
    if (d->field.len)
        fprintf(stderr, "%.*s, ", (int)d->field.len, d->field.ptr);
    fprintf(stderr, "byte %llu: %.*s (%s%s)\n", (unsigned long long)d->offset,
            (int)d->message.len, d->message.ptr, d->severity == PS_WARNING ? "warning " : "",
            d->kind);
}
