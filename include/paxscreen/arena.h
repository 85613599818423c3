/* paxscreen/arena.h — byte strings, a bump allocator and a growable byte buffer.
 *
 * ps_str is the one string type records use: a pointer and a length, not NUL-terminated,
 * pointing either into the caller's input (zero copy) or into an arena.
 * ps_arena hands out memory that lives until ps_arena_reset or ps_arena_free; it keeps its
 * largest chunk across resets so a warm arena does not call malloc.
 * ps_buf is an append-only byte buffer (used by writers). Allocation failure aborts the
 * process with a message: it is the one failure these helpers do not return as a value,
 * because no caller could do anything useful with it. */
#ifndef PAXSCREEN_ARENA_H
#define PAXSCREEN_ARENA_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

typedef struct ps_str {
    const char *ptr;
    size_t len;
} ps_str;

#define PS_STR_LIT(s) ((ps_str){(s), sizeof(s) - 1})
#define PS_STR_NULL   ((ps_str){NULL, 0})

static inline bool ps_str_empty(ps_str s)
{
    return s.len == 0;
}
/* Inline so that comparisons with literals compile to a length check and a load. */
static inline bool ps_str_eq_cstr(ps_str s, const char *c)
{
    size_t n = strlen(c);
    return s.len == n && (n == 0 || memcmp(s.ptr, c, n) == 0);
}

static inline bool ps_str_eq(ps_str a, ps_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

typedef struct ps_arena_chunk ps_arena_chunk;
typedef struct ps_arena {
    ps_arena_chunk *head; /* chunk being filled; older chunks follow via ->next */
    size_t chunk_size;    /* size of the next chunk to allocate */
} ps_arena;

void ps_arena_init(ps_arena *a);
void *ps_arena_alloc(ps_arena *a, size_t size);  /* 16-byte aligned, not zeroed */
void *ps_arena_calloc(ps_arena *a, size_t size); /* zeroed */
ps_str ps_arena_strdup(ps_arena *a, const char *p, size_t len);
void ps_arena_reset(ps_arena *a); /* keeps one chunk for reuse */
void ps_arena_free(ps_arena *a);
size_t ps_arena_bytes(const ps_arena *a); /* bytes held in chunks */

typedef struct ps_buf {
    char *data;
    size_t len;
    size_t cap;
} ps_buf;

void ps_buf_init(ps_buf *b);
void ps_buf_free(ps_buf *b);
void ps_buf_reserve(ps_buf *b, size_t extra);
void ps_buf_append(ps_buf *b, const void *p, size_t n);
void ps_buf_putc(ps_buf *b, char c);
void ps_buf_puts(ps_buf *b, const char *s);
void ps_buf_printf(ps_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
