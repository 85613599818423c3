/* formats/diag.c — the arena-backed list of warnings and errors (ps_diag_list), and the error
 * message of a failing call (ps_errorf). */
#include "paxscreen/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ps_diag_list_init(ps_diag_list *l, ps_arena *arena)
{
    l->items = NULL;
    l->count = 0;
    l->cap = 0;
    l->arena = arena;
}

ps_diag *ps_diag_add(ps_diag_list *l, ps_severity sev, const char *kind, uint32_t segment,
                     uint64_t offset, const char *fmt, ...)
{
    if (l->count == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        ps_diag *items = ps_arena_alloc(l->arena, cap * sizeof(ps_diag));
        if (l->count)
            memcpy(items, l->items, l->count * sizeof(ps_diag));
        l->items = items;
        l->cap = cap;
    }
    ps_diag *d = &l->items[l->count++];
    memset(d, 0, sizeof *d);
    d->severity = sev;
    d->kind = kind;
    d->segment = segment;
    d->offset = offset;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof text)
        n = sizeof text - 1;
    d->message = ps_arena_strdup(l->arena, text, (size_t)n);
    return d;
}

uint32_t ps_diag_count(const ps_diag_list *l, ps_severity sev)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->count; i++)
        n += l->items[i].severity == sev;
    return n;
}

int ps_errorf(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}
