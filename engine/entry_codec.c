/* engine/entry_codec.c — encodes a ps_wl_entry into the store's compact binary value and
 * decodes it back (layout in entry_codec.h).
 *
 * Invariants: encoding either appends a complete value or nothing (on PS_STORE_INVALID the
 * buffer is cut back to its old length); decoding never reads outside [data, data + len) and
 * accepts only values whose every byte is accounted for. */
#include "entry_codec.h"

#include "paxscreen/store.h"

#include <stdarg.h>
#include <stdio.h>

static int codec_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int codec_error(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return PS_STORE_INVALID;
}

/* ---- encoding ---- */

typedef struct enc {
    ps_buf *out;
    char *err;
    size_t errlen;
    bool failed; /* the first error is kept in err; later ones are ignored */
} enc;

static void put_u8(enc *c, unsigned v)
{
    ps_buf_putc(c->out, (char)(v & 0xff));
}

static void put_u16(enc *c, unsigned v)
{
    char b[2] = {(char)(v & 0xff), (char)((v >> 8) & 0xff)};
    ps_buf_append(c->out, b, 2);
}

static void put_str(enc *c, ps_str s, const char *field, long index, const char *sub)
{
    if (s.len > PS_ENTRY_CODEC_MAX_STR) {
        if (!c->failed) {
            char name[96];
            if (index >= 0)
                snprintf(name, sizeof name, "%s[%ld]%s%s", field, index, sub ? "." : "",
                         sub ? sub : "");
            else
                snprintf(name, sizeof name, "%s", field);
            codec_error(c->err, c->errlen, "%s: longer than %u bytes (%zu)", name,
                        PS_ENTRY_CODEC_MAX_STR, s.len);
        }
        c->failed = true;
        return;
    }
    put_u16(c, (unsigned)s.len);
    if (s.len)
        ps_buf_append(c->out, s.ptr, s.len);
}

/* Writes an array count; false (and an error) when there are too many items. */
static bool put_count(enc *c, uint32_t n, const char *field)
{
    if (n > PS_ENTRY_CODEC_MAX_ITEMS) {
        if (!c->failed)
            codec_error(c->err, c->errlen, "%s: more than %u items (%u)", field,
                        PS_ENTRY_CODEC_MAX_ITEMS, n);
        c->failed = true;
        return false;
    }
    put_u16(c, n);
    return true;
}

int ps_entry_encode(const ps_wl_entry *e, ps_buf *out, char *err, size_t errlen)
{
    size_t start = out->len;
    enc c = {out, err, errlen, false};

    put_u8(&c, PS_ENTRY_CODEC_VERSION);
    put_u8(&c, e->deleted ? 1 : 0);
    put_u8(&c, (unsigned)e->action);
    put_u8(&c, (unsigned char)e->gender);
    put_str(&c, e->list, "list", -1, NULL);
    put_str(&c, e->id, "id", -1, NULL);
    put_str(&c, e->category, "category", -1, NULL);

    if (put_count(&c, e->n_names, "names")) {
        for (uint32_t i = 0; i < e->n_names && !c.failed; i++) {
            const ps_wl_name *n = &e->names[i];
            put_u8(&c, (unsigned)n->type);
            put_str(&c, n->surname, "names", i, "surname");
            put_str(&c, n->given_names, "names", i, "given_names");
            put_str(&c, n->full, "names", i, "full");
        }
    }
    if (put_count(&c, e->n_birth_dates, "birth_dates")) {
        for (uint32_t i = 0; i < e->n_birth_dates && !c.failed; i++) {
            const ps_date *d = &e->birth_dates[i];
            put_u16(&c, (uint16_t)d->year);
            put_u8(&c, d->month);
            put_u8(&c, d->day);
            put_u8(&c, d->hour);
            put_u8(&c, d->minute);
            put_u8(&c, d->precision);
        }
    }
    if (put_count(&c, e->n_nationalities, "nationalities")) {
        for (uint32_t i = 0; i < e->n_nationalities && !c.failed; i++)
            put_str(&c, e->nationalities[i], "nationalities", i, NULL);
    }
    if (put_count(&c, e->n_documents, "documents")) {
        for (uint32_t i = 0; i < e->n_documents && !c.failed; i++) {
            const ps_wl_document *d = &e->documents[i];
            put_str(&c, d->type, "documents", i, "type");
            put_str(&c, d->number, "documents", i, "number");
            put_str(&c, d->pattern, "documents", i, "pattern");
            put_str(&c, d->issuer, "documents", i, "issuer");
            put_str(&c, d->status, "documents", i, "status");
        }
    }
    if (put_count(&c, e->n_name_patterns, "name_patterns")) {
        for (uint32_t i = 0; i < e->n_name_patterns && !c.failed; i++)
            put_str(&c, e->name_patterns[i], "name_patterns", i, NULL);
    }

    if (c.failed) {
        out->len = start;
        return PS_STORE_INVALID;
    }
    return PS_STORE_OK;
}

/* ---- decoding ---- */

typedef struct dec {
    const unsigned char *p;
    const unsigned char *end;
    bool failed; /* ran past the end */
} dec;

static unsigned get_u8(dec *d)
{
    if (d->end - d->p < 1) {
        d->failed = true;
        return 0;
    }
    return *d->p++;
}

static unsigned get_u16(dec *d)
{
    if (d->end - d->p < 2) {
        d->failed = true;
        d->p = d->end;
        return 0;
    }
    unsigned v = (unsigned)d->p[0] | ((unsigned)d->p[1] << 8);
    d->p += 2;
    return v;
}

static ps_str get_str(dec *d)
{
    size_t n = get_u16(d);
    if (d->failed || (size_t)(d->end - d->p) < n) {
        d->failed = true;
        d->p = d->end;
        return PS_STR_NULL;
    }
    ps_str s = n ? (ps_str){(const char *)d->p, n} : PS_STR_NULL;
    d->p += n;
    return s;
}

/* An array of n items of size bytes each, or NULL when n is 0. Checks that the remaining bytes
 * could possibly hold n items of at least min_bytes each, so a corrupt count cannot make us
 * allocate gigabytes. */
static void *get_array(dec *d, ps_arena *arena, unsigned n, size_t size, size_t min_bytes)
{
    if (n == 0 || d->failed)
        return NULL;
    if ((size_t)(d->end - d->p) < n * min_bytes) {
        d->failed = true;
        return NULL;
    }
    return ps_arena_calloc(arena, n * size);
}

int ps_entry_decode(const void *data, size_t len, ps_arena *arena, ps_wl_entry *out, char *err,
                    size_t errlen)
{
    memset(out, 0, sizeof *out);
    dec d = {data, (const unsigned char *)data + len, false};

    unsigned version = get_u8(&d);
    if (d.failed)
        return codec_error(err, errlen, "entry record is empty");
    if (version != PS_ENTRY_CODEC_VERSION)
        return codec_error(err, errlen, "entry record has codec version %u, expected %u", version,
                           PS_ENTRY_CODEC_VERSION);
    unsigned flags = get_u8(&d);
    unsigned action = get_u8(&d);
    unsigned gender = get_u8(&d);
    if (action > PS_ACTION_NOTIFY)
        return codec_error(err, errlen, "entry record has an unknown action %u", action);
    out->deleted = (flags & 1) != 0;
    out->action = (ps_action)action;
    out->gender = (char)gender;
    out->list = get_str(&d);
    out->id = get_str(&d);
    out->category = get_str(&d);

    unsigned n = get_u16(&d);
    out->names = get_array(&d, arena, n, sizeof *out->names, 7);
    for (unsigned i = 0; i < n && !d.failed; i++) {
        ps_wl_name *nm = &out->names[i];
        unsigned type = get_u8(&d);
        if (type > PS_NAME_WEAK_ALIAS)
            return codec_error(err, errlen, "entry record has an unknown name type %u", type);
        nm->type = (ps_name_type)type;
        nm->surname = get_str(&d);
        nm->given_names = get_str(&d);
        nm->full = get_str(&d);
        out->n_names = i + 1;
    }

    n = get_u16(&d);
    out->birth_dates = get_array(&d, arena, n, sizeof *out->birth_dates, 7);
    for (unsigned i = 0; i < n && !d.failed; i++) {
        ps_date *bd = &out->birth_dates[i];
        bd->year = (int16_t)(uint16_t)get_u16(&d);
        bd->month = (uint8_t)get_u8(&d);
        bd->day = (uint8_t)get_u8(&d);
        bd->hour = (uint8_t)get_u8(&d);
        bd->minute = (uint8_t)get_u8(&d);
        bd->precision = (uint8_t)get_u8(&d);
        out->n_birth_dates = i + 1;
    }

    n = get_u16(&d);
    out->nationalities = get_array(&d, arena, n, sizeof *out->nationalities, 2);
    for (unsigned i = 0; i < n && !d.failed; i++) {
        out->nationalities[i] = get_str(&d);
        out->n_nationalities = i + 1;
    }

    n = get_u16(&d);
    out->documents = get_array(&d, arena, n, sizeof *out->documents, 10);
    for (unsigned i = 0; i < n && !d.failed; i++) {
        ps_wl_document *doc = &out->documents[i];
        doc->type = get_str(&d);
        doc->number = get_str(&d);
        doc->pattern = get_str(&d);
        doc->issuer = get_str(&d);
        doc->status = get_str(&d);
        out->n_documents = i + 1;
    }

    n = get_u16(&d);
    out->name_patterns = get_array(&d, arena, n, sizeof *out->name_patterns, 2);
    for (unsigned i = 0; i < n && !d.failed; i++) {
        out->name_patterns[i] = get_str(&d);
        out->n_name_patterns = i + 1;
    }

    if (d.failed)
        return codec_error(err, errlen, "entry record is truncated (%zu bytes)", len);
    if (d.p != d.end)
        return codec_error(err, errlen, "entry record has %zu trailing bytes",
                           (size_t)(d.end - d.p));
    return PS_STORE_OK;
}
