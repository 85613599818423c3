/* formats/edifact_scan.c — the hot loop: one pass over a segment's bytes that finds its
 * unreleased terminator and splits it into elements and components (ps_edi_fields), noting
 * values that need rewriting and the first byte outside the repertoire.
 *
 * With SSE2, 16 bytes at a time are compared against the service characters and against the
 * byte ranges that can never be plain UNOA data (below 0x20, above 'Z', '#', '$', '@'); only
 * the positions so flagged are looked at one by one, through the same class table the plain
 * loop uses, so both paths agree byte for byte. */
#include "edifact_envelope.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct scan_state {
    ps_edi_fields *f;
    const char *base; /* input start */
    size_t vstart;    /* first byte of the value being read */
    size_t skip;      /* bytes before this index are escaped data */
    uint64_t bad_at;  /* first byte outside the repertoire, or UINT64_MAX */
    uint16_t nv, ne;
    bool dirty;
} scan_state;

static inline void end_value(scan_state *st, size_t i)
{
    ps_edi_fields *f = st->f;
    if (st->nv < PS_EDI_MAX_VALUES + 1 && st->ne <= PS_EDI_MAX_ELEMENTS) { /* + the tag */
        ps_edi_value *v = &f->values[st->nv++];
        v->ptr = st->base + st->vstart;
        v->len = (uint32_t)(i - st->vstart);
        v->dirty = st->dirty;
    } else {
        f->overflow = true;
    }
    st->dirty = false;
    st->vstart = i + 1;
}

static inline void end_element(scan_state *st)
{
    if (st->ne < PS_EDI_MAX_ELEMENTS + 1)
        st->f->first[++st->ne] = st->nv;
    else
        st->f->overflow = true;
}

/* Handles the byte at i whose class is c (non-zero). Returns true at the terminator. */
static inline __attribute__((always_inline)) bool
on_special(scan_state *st, const uint8_t *cls, const char *p, size_t i, size_t limit, uint8_t c)
{
    if (i < st->skip)
        return false;
    if (c & PS_CLS_TERMINATOR) {
        end_value(st, i);
        end_element(st);
        return true;
    }
    if (c & PS_CLS_ELEMENT) {
        end_value(st, i);
        end_element(st);
        return false;
    }
    if (c & PS_CLS_COMPONENT) {
        end_value(st, i);
        return false;
    }
    if (c & PS_CLS_RELEASE) {
        /* The next byte is data, whatever it is. Line breaks are transport, not data: a
         * release before a wrapped line applies to the first byte of the next line. */
        st->dirty = true;
        size_t j = i + 1;
        while (j < limit && (p[j] == '\r' || p[j] == '\n') &&
               !(cls[(uint8_t)p[j]] & PS_CLS_TERMINATOR))
            j++;
        st->skip = j + 1;
        if (j < limit) {
            uint8_t n = cls[(uint8_t)p[j]];
            if ((n & PS_CLS_BAD) && st->bad_at == UINT64_MAX)
                st->bad_at = (uint64_t)(p + j - st->base);
        }
        return false;
    }
    if (c & PS_CLS_DIRTY)
        st->dirty = true;
    if ((c & PS_CLS_BAD) && st->bad_at == UINT64_MAX)
        st->bad_at = (uint64_t)(p + i - st->base);
    return false;
}

size_t ps_edi_scan(ps_edi_reader *r, size_t start, size_t limit, ps_edi_fields *f, uint64_t *bad_at)
{
    const uint8_t *cls = r->cls;
    const char *p = r->data;
    scan_state st = {.f = f,
                     .base = r->data,
                     .vstart = start,
                     .skip = 0,
                     .bad_at = UINT64_MAX,
                     .nv = 0,
                     .ne = 0,
                     .dirty = false};
    f->overflow = false;
    f->first[0] = 0;
    size_t i = start;
    bool done = false;
#ifdef __SSE2__
    const __m128i v_comp = _mm_load_si128((const __m128i *)r->scan_chars[0]);
    const __m128i v_elem = _mm_load_si128((const __m128i *)r->scan_chars[1]);
    const __m128i v_rel = _mm_load_si128((const __m128i *)r->scan_chars[2]);
    const __m128i v_term = _mm_load_si128((const __m128i *)r->scan_chars[3]);
    const __m128i v_lo = _mm_set1_epi8(0x20);
    const __m128i v_hi = _mm_set1_epi8('Z');
    const __m128i v_hash = _mm_set1_epi8('#');
    const __m128i v_dollar = _mm_set1_epi8('$');
    const __m128i v_at = _mm_set1_epi8('@');
    while (!done && i + 16 <= limit) {
        __m128i x = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, v_comp), _mm_cmpeq_epi8(x, v_elem)),
                                 _mm_or_si128(_mm_cmpeq_epi8(x, v_rel), _mm_cmpeq_epi8(x, v_term)));
        /* signed compares: bytes >= 0x80 are negative, hence "below 0x20" */
        m = _mm_or_si128(m, _mm_or_si128(_mm_cmplt_epi8(x, v_lo), _mm_cmpgt_epi8(x, v_hi)));
        m = _mm_or_si128(
            m, _mm_or_si128(_mm_cmpeq_epi8(x, v_hash),
                            _mm_or_si128(_mm_cmpeq_epi8(x, v_dollar), _mm_cmpeq_epi8(x, v_at))));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        while (bits) {
            size_t j = i + (size_t)__builtin_ctz(bits);
            bits &= bits - 1;
            uint8_t c = cls[(uint8_t)p[j]];
            if (c && on_special(&st, cls, p, j, limit, c)) {
                i = j;
                done = true;
                break;
            }
        }
        if (!done)
            i += 16;
    }
#endif
    for (; !done && i < limit; i++) {
        uint8_t c = cls[(uint8_t)p[i]];
        if (c && on_special(&st, cls, p, i, limit, c)) {
            done = true;
            break;
        }
    }
    if (!done) { /* no terminator: the segment runs to the limit */
        end_value(&st, limit);
        end_element(&st);
        i = limit;
    }
    f->n_values = st.nv > 0 ? (uint16_t)(st.nv - 1) : 0;   /* values[0] is the tag */
    f->n_elements = st.ne > 0 ? (uint16_t)(st.ne - 1) : 0; /* element 0 is the tag */
    *bad_at = st.bad_at;
    return i;
}

void ps_edi_split(ps_edi_reader *r, const ps_edi_segment *s, ps_edi_fields *f)
{
    uint64_t bad_at;
    size_t start = (size_t)(s->ptr - r->data);
    ps_edi_scan(r, start, start + s->len, f, &bad_at);
}

ps_str ps_edi_text_slow(ps_edi_reader *r, ps_edi_value v, ps_arena *arena)
{
    char *out = ps_arena_alloc(arena, (size_t)v.len * 3 + 1);
    size_t n = ps_edi_decode(&r->ich.syntax, r->ich.charset, r->decode, v.ptr, v.len, out);
    return (ps_str){out, n};
}

size_t ps_edi_copy(ps_edi_reader *r, ps_edi_value v, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    size_t n;
    if (!v.dirty) {
        n = v.len < cap - 1 ? v.len : cap - 1;
        if (n)
            memcpy(out, v.ptr, n);
    } else {
        char tmp[3 * 256 + 1];
        size_t take = v.len < 256 ? v.len : 256;
        n = ps_edi_decode(&r->ich.syntax, r->ich.charset, r->decode, v.ptr, take, tmp);
        if (n > cap - 1)
            n = cap - 1;
        memcpy(out, tmp, n);
    }
    out[n] = '\0';
    return n;
}
