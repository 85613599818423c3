/* formats/arena.c — ps_str helpers, the bump allocator and the growable byte buffer.
 * Invariant: an arena's head chunk is the one being filled; reset frees every chunk but the
 * largest, so steady-state reuse allocates nothing. */
#include "paxscreen/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ps_arena_chunk {
    ps_arena_chunk *next;
    size_t size; /* usable bytes in data */
    size_t used;
    _Alignas(16) unsigned char data[];
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "paxscreen: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

void ps_arena_init(ps_arena *a)
{
    a->head = NULL;
    a->chunk_size = 16 * 1024;
}

void *ps_arena_alloc(ps_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    ps_arena_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t want = a->chunk_size;
        while (want < size)
            want *= 2;
        if (a->chunk_size < 1024 * 1024)
            a->chunk_size *= 2;
        c = xmalloc(sizeof(ps_arena_chunk) + want);
        c->size = want;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

void *ps_arena_calloc(ps_arena *a, size_t size)
{
    void *p = ps_arena_alloc(a, size);
    memset(p, 0, size);
    return p;
}

ps_str ps_arena_strdup(ps_arena *a, const char *p, size_t len)
{
    char *d = ps_arena_alloc(a, len + 1);
    if (len)
        memcpy(d, p, len);
    d[len] = '\0';
    return (ps_str){d, len};
}

void ps_arena_reset(ps_arena *a)
{
    ps_arena_chunk *keep = NULL;
    for (ps_arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        if (!keep || c->size > keep->size) {
            if (keep)
                free(keep);
            keep = c;
        } else {
            free(c);
        }
    }
    if (keep) {
        keep->used = 0;
        keep->next = NULL;
    }
    a->head = keep;
}

void ps_arena_free(ps_arena *a)
{
    for (ps_arena_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
}

size_t ps_arena_bytes(const ps_arena *a)
{
    size_t n = 0;
    for (const ps_arena_chunk *c = a->head; c; c = c->next)
        n += c->size;
    return n;
}

void ps_buf_init(ps_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void ps_buf_free(ps_buf *b)
{
    free(b->data);
    ps_buf_init(b);
}

void ps_buf_reserve(ps_buf *b, size_t extra)
{
    if (b->cap - b->len >= extra + 1)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra + 1)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
        fprintf(stderr, "paxscreen: out of memory (%zu bytes)\n", cap);
        abort();
    }
    b->data = d;
    b->cap = cap;
}

void ps_buf_append(ps_buf *b, const void *p, size_t n)
{
    ps_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ps_buf_putc(ps_buf *b, char c)
{
    ps_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void ps_buf_puts(ps_buf *b, const char *s)
{
    ps_buf_append(b, s, strlen(s));
}

void ps_buf_printf(ps_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        ps_buf_append(b, small, (size_t)n);
        return;
    }
    ps_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
