/* engine/rules_codec.c — one targeting rule as the bytes of its "rules" record (format in
 * rules_internal.h). Every integer is written byte by byte; decoding checks every length and
 * rebuilds the JSON paths of the conditions, so a decoded rule is what ps_rule_parse gave. */
#include "rules_internal.h"

#include <stdio.h>

#define CODEC_VERSION 1

static void put_u16(ps_buf *b, uint32_t v)
{
    unsigned char p[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    ps_buf_append(b, p, 2);
}

static void put_u32(ps_buf *b, uint32_t v)
{
    unsigned char p[4];
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
    ps_buf_append(b, p, 4);
}

static void put_str(ps_buf *b, ps_str s)
{
    put_u32(b, (uint32_t)s.len);
    ps_buf_append(b, s.ptr, s.len);
}

static void put_date(ps_buf *b, const ps_date *d)
{
    put_u16(b, (uint16_t)d->year);
    unsigned char p[5] = {d->month, d->day, d->hour, d->minute, d->precision};
    ps_buf_append(b, p, 5);
}

static void put_cond(ps_buf *b, const ps_rule_cond *c)
{
    ps_buf_putc(b, (char)c->op);
    switch (c->op) {
    case PS_COND_EQUALS:
    case PS_COND_MATCHES:
        ps_buf_putc(b, (char)c->field);
        put_str(b, c->text);
        break;
    case PS_COND_ALL:
    case PS_COND_ANY:
        put_u16(b, c->n_kids);
        for (uint32_t i = 0; i < c->n_kids; i++)
            put_cond(b, &c->kids[i]);
        break;
    case PS_COND_NOT:
        put_cond(b, &c->kids[0]);
        break;
    }
}

void ps_rule_encode(const ps_rule *r, uint64_t version, ps_buf *out)
{
    unsigned char v[8];
    for (int i = 0; i < 8; i++)
        v[i] = (unsigned char)(version >> (8 * i));
    ps_buf_append(out, v, 8);
    ps_buf_putc(out, CODEC_VERSION);
    put_str(out, r->id);
    put_str(out, r->name);
    ps_buf_putc(out, (char)r->action);
    put_date(out, &r->valid_from);
    put_date(out, &r->valid_until);
    put_cond(out, &r->when);
}

/* ---- decoding ---- */

typedef struct reader {
    const unsigned char *p, *end;
    ps_arena *arena;
    bool bad;
    uint32_t nodes, leaves;
} reader;

static const unsigned char *take(reader *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    const unsigned char *p = r->p;
    r->p += n;
    return p;
}

static uint32_t get_u8(reader *r)
{
    const unsigned char *p = take(r, 1);
    return p ? p[0] : 0;
}

static uint32_t get_u16(reader *r)
{
    const unsigned char *p = take(r, 2);
    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 : 0;
}

static uint32_t get_u32(reader *r)
{
    const unsigned char *p = take(r, 4);
    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
             : 0;
}

static ps_str get_str(reader *r)
{
    uint32_t n = get_u32(r);
    const unsigned char *p = take(r, n);
    return p ? ps_arena_strdup(r->arena, (const char *)p, n) : PS_STR_NULL;
}

static void get_date(reader *r, ps_date *d)
{
    d->year = (int16_t)get_u16(r);
    d->month = (uint8_t)get_u8(r);
    d->day = (uint8_t)get_u8(r);
    d->hour = (uint8_t)get_u8(r);
    d->minute = (uint8_t)get_u8(r);
    d->precision = (uint8_t)get_u8(r);
    if (d->precision > PS_DATE_MINUTE)
        r->bad = true;
}

static ps_str path_of(reader *r, const char *fmt, const char *parent, size_t i)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, fmt, parent, i);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof buf)
        n = sizeof buf - 1;
    return ps_arena_strdup(r->arena, buf, (size_t)n);
}

static void get_cond(reader *r, ps_rule_cond *c, ps_str path, uint32_t depth)
{
    c->path = path;
    if (depth > PS_RULE_MAX_DEPTH || ++r->nodes > PS_RULE_MAX_NODES) {
        r->bad = true;
        return;
    }
    c->op = (ps_cond_op)get_u8(r);
    char parent[512];
    snprintf(parent, sizeof parent, "%.*s", (int)path.len, path.ptr);
    switch (c->op) {
    case PS_COND_EQUALS:
    case PS_COND_MATCHES: {
        uint32_t f = get_u8(r);
        if (f >= PS_RULE_FIELDS)
            r->bad = true;
        c->field = (ps_rule_field)f;
        c->text = get_str(r);
        if (!c->text.len)
            r->bad = true;
        r->leaves++;
        return;
    }
    case PS_COND_ALL:
    case PS_COND_ANY: {
        c->n_kids = get_u16(r);
        if (c->n_kids == 0 || c->n_kids > PS_RULE_MAX_NODES) {
            r->bad = true;
            return;
        }
        c->kids = ps_arena_calloc(r->arena, c->n_kids * sizeof *c->kids);
        const char *fmt = c->op == PS_COND_ALL ? "%s.all[%zu]" : "%s.any[%zu]";
        for (uint32_t i = 0; i < c->n_kids && !r->bad; i++)
            get_cond(r, &c->kids[i], path_of(r, fmt, parent, i), depth + 1);
        return;
    }
    case PS_COND_NOT:
        c->n_kids = 1;
        c->kids = ps_arena_calloc(r->arena, sizeof *c->kids);
        get_cond(r, &c->kids[0], path_of(r, "%s.not", parent, 0), depth + 1);
        return;
    default:
        r->bad = true;
    }
}

bool ps_rule_decode(const void *data, size_t len, ps_arena *arena, ps_rule *out, uint64_t *version)
{
    reader r = {.p = data, .end = (const unsigned char *)data + len, .arena = arena};
    memset(out, 0, sizeof *out);
    const unsigned char *v = take(&r, 8);
    if (v && version) {
        *version = 0;
        for (int i = 7; i >= 0; i--)
            *version = *version << 8 | v[i];
    }
    if (get_u8(&r) != CODEC_VERSION)
        return false;
    out->id = get_str(&r);
    out->name = get_str(&r);
    out->action = (ps_action)get_u8(&r);
    if (out->action < PS_ACTION_NO_BOARD || out->action > PS_ACTION_NOTIFY)
        r.bad = true;
    get_date(&r, &out->valid_from);
    get_date(&r, &out->valid_until);
    if (!r.bad)
        get_cond(&r, &out->when, PS_STR_LIT("when"), 1);
    out->n_nodes = r.nodes;
    out->n_leaves = r.leaves;
    return !r.bad && r.p == r.end && out->id.len > 0;
}
