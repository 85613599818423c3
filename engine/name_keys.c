/* engine/name_keys.c — normalized name forms (surname and given names, or a full name, into
 * token lists with their alternate reading), their block encoding in the store, and the
 * index keys of a token: itself, its consonant skeleton and its vowel outline (name_keys.h). */
#include "name_keys.h"

#include <string.h>
#include <xxhash.h>

/* Appends form f of a normalized part to out, copying token letters into text. */
static void add_tokens(ps_nf_form *out, const ps_name_form *f, uint8_t part, char *text, size_t cap,
                       size_t *used)
{
    for (uint8_t i = 0; i < f->n_tokens && out->n < PS_NF_MAX_TOKENS; i++) {
        size_t len = f->length[i];
        if (*used + len > cap)
            return;
        memcpy(text + *used, f->text + f->start[i], len);
        ps_nf_token *t = &out->tok[out->n++];
        t->p = text + *used;
        t->len = (uint8_t)len;
        t->flags = f->flags[i];
        t->part = part;
        *used += len;
    }
}

void ps_nf_from_parts(ps_str surname, ps_str given, ps_str full, ps_nf_name *out, char *text,
                      size_t text_cap)
{
    ps_name_norm a, b;
    size_t used = 0;
    out->n_forms = 1;
    out->form[0].n = 0;
    out->form[1].n = 0;
    if (full.len && !surname.len && !given.len) {
        ps_name_normalize(full.ptr, full.len, &a);
        add_tokens(&out->form[0], &a.primary, PS_PART_FULL, text, text_cap, &used);
        if (a.has_alternate) {
            out->n_forms = 2;
            add_tokens(&out->form[1], &a.alternate, PS_PART_FULL, text, text_cap, &used);
        }
        return;
    }
    ps_name_normalize(surname.ptr, surname.len, &a);
    ps_name_normalize(given.ptr, given.len, &b);
    add_tokens(&out->form[0], &a.primary, PS_PART_SURNAME, text, text_cap, &used);
    add_tokens(&out->form[0], &b.primary, PS_PART_GIVEN, text, text_cap, &used);
    if (a.has_alternate || b.has_alternate) {
        out->n_forms = 2;
        add_tokens(&out->form[1], a.has_alternate ? &a.alternate : &a.primary, PS_PART_SURNAME,
                   text, text_cap, &used);
        add_tokens(&out->form[1], b.has_alternate ? &b.alternate : &b.primary, PS_PART_GIVEN, text,
                   text_cap, &used);
    }
}

void ps_nf_encode(const ps_wl_entry *e, ps_buf *out)
{
    uint32_t n = e->n_names < 255 ? e->n_names : 255;
    ps_buf_putc(out, (char)n);
    char text[1024];
    for (uint32_t i = 0; i < n; i++) {
        const ps_wl_name *nm = &e->names[i];
        ps_nf_name f;
        ps_nf_from_parts(nm->surname, nm->given_names, nm->full, &f, text, sizeof text);
        ps_buf_putc(out, (char)nm->type);
        ps_buf_putc(out, (char)f.n_forms);
        for (uint8_t k = 0; k < f.n_forms; k++) {
            ps_buf_putc(out, (char)f.form[k].n);
            for (uint8_t j = 0; j < f.form[k].n; j++) {
                const ps_nf_token *t = &f.form[k].tok[j];
                ps_buf_putc(out, (char)(t->flags | t->part << 4));
                ps_buf_putc(out, (char)t->len);
                ps_buf_append(out, t->p, t->len);
            }
        }
    }
}

bool ps_nf_next(const unsigned char *data, size_t len, size_t *pos, size_t *remaining_names,
                ps_nf_name *out)
{
    size_t p = *pos;
    if (p == 0) {
        if (len < 1)
            return false;
        *remaining_names = data[0];
        p = 1;
    }
    if (*remaining_names == 0 || p + 2 > len)
        return false;
    out->type = data[p++];
    out->n_forms = data[p++];
    if (out->n_forms < 1 || out->n_forms > 2)
        return false;
    for (uint8_t k = 0; k < out->n_forms; k++) {
        if (p >= len)
            return false;
        uint8_t n = data[p++];
        if (n > PS_NF_MAX_TOKENS)
            return false;
        out->form[k].n = n;
        for (uint8_t j = 0; j < n; j++) {
            if (p + 2 > len)
                return false;
            ps_nf_token *t = &out->form[k].tok[j];
            t->flags = data[p] & 0x0F;
            t->part = data[p] >> 4;
            t->len = data[p + 1];
            p += 2;
            if (p + t->len > len)
                return false;
            t->p = (const char *)data + p;
            p += t->len;
        }
    }
    (*remaining_names)--;
    *pos = p;
    return true;
}

uint16_t ps_nf_need_mask(const ps_nf_form *f)
{
    uint16_t need = 0;
    bool first_given = true;
    for (uint8_t i = 0; i < f->n && i < 16; i++) {
        const ps_nf_token *t = &f->tok[i];
        bool middle = t->part == PS_PART_GIVEN && !first_given;
        if (t->part == PS_PART_GIVEN)
            first_given = false;
        if (ps_nf_substantive(t) && !middle)
            need |= (uint16_t)(1u << i);
    }
    return need;
}

static bool is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

/* The consonant readings of a token, made in one pass: without vowels (skel, for 'S') and with
 * each vowel run as one A (outline, for 'V'), by the rules of name_keys.h; each holds cap
 * bytes. */
typedef struct reading_sink {
    char *out;
    size_t o, cap;
} reading_sink;

static void sink_put(reading_sink *k, char c)
{
    if (k->o < k->cap && !(k->o > 0 && k->out[k->o - 1] == c))
        k->out[k->o++] = c;
}

static void both_readings(const char *t, size_t n, reading_sink *skel, reading_sink *outline)
{
    for (size_t i = 0; i < n && (skel->o < skel->cap || outline->o < outline->cap); i++) {
        char c = t[i];
        char next = i + 1 < n ? t[i + 1] : 0;
        if (i == 0 && c == 'H' && next == 'S' && n > 2) {
            sink_put(skel, 'K');
            sink_put(outline, 'K'); /* Wade-Giles HS is pinyin X, read KS (HSU, XU) */
            c = 'S';
            i++;
        } else if (c == 'D' && next == 'T') {
            c = 'T'; /* SCHMIDT, SCHMITT */
            i++;
        } else if (c == 'H' && i + 1 == n && i > 0 && is_vowel(t[i - 1])) {
            continue; /* a final H after a vowel is silent (ABDULLAH, ABDULLA; SARAH) */
        } else if (c == 'P' && next == 'H') {
            c = 'F';
            i++;
        } else if ((c == 'C' || c == 'Z') && next == 'H') {
            c = 'J'; /* CHANG, ZHANG, CHEUNG */
            i++;
        } else if (c == 'K' && next == 'H') {
            c = 'H'; /* KHALID, HALID */
            i++;
        } else if (c == 'J' || c == 'Y') {
            c = 'I';
        } else if (c == 'C' || c == 'Q') {
            c = 'K';
        } else if (c == 'X') { /* KS (ALEXANDER, ALEKSANDR), where two letters still fit */
            reading_sink *both[2] = {skel, outline};
            for (int k = 0; k < 2; k++) {
                reading_sink *r = both[k];
                if (r->o + 1 < r->cap) {
                    if (!(r->o > 0 && r->out[r->o - 1] == 'K'))
                        r->out[r->o++] = 'K';
                    sink_put(r, 'S');
                } else {
                    sink_put(r, 'X');
                }
            }
            continue;
        } else if (c == 'Z') {
            c = 'S';
        } else if (c == 'W') {
            if (i > 0 && is_vowel(t[i - 1]))
                continue; /* OW, AW: a vowel sound (CHOWDHURY, CHAUDHARY) */
            c = 'V';
        }
        if (is_vowel(c)) {
            sink_put(outline, 'A');
            continue;
        }
        sink_put(skel, c);
        sink_put(outline, c);
    }
}

void ps_name_keys_of(const char *tok, size_t len, ps_name_token_keys *k)
{
    k->s_len = k->v_len = k->r_len = 0;
    if (len == 0 || len >= PS_NAME_KEY_MAX)
        return;
    k->s[0] = 'S';
    k->v[0] = 'V';
    reading_sink skel = {k->s + 1, 0, PS_NAME_KEY_MAX - 1};
    reading_sink outline = {k->v + 1, 0, PS_NAME_KEY_MAX - 1};
    if (len >= 2)
        both_readings(tok, len, &skel, &outline);
    if (len >= 3 && skel.o >= 2)
        k->s_len = (uint8_t)(skel.o + 1);
    if (len >= 3 && outline.o >= 3)
        k->v_len = (uint8_t)(outline.o + 1);
    /* the reading: the skeleton, else the outline, else the token (ps_name_reading) */
    if (len >= 2 && skel.o >= 2) {
        memcpy(k->r, skel.out, skel.o);
        k->r_len = (uint8_t)skel.o;
    } else if (len >= 2 && outline.o >= 2) {
        memcpy(k->r, outline.out, outline.o);
        k->r_len = (uint8_t)outline.o;
    } else {
        memcpy(k->r, tok, len);
        k->r_len = (uint8_t)len;
    }
}

size_t ps_name_reading(const char *tok, size_t len, char *out)
{
    ps_name_token_keys k;
    ps_name_keys_of(tok, len, &k);
    memcpy(out, k.r, k.r_len);
    return k.r_len;
}

/* What a token contributes to a pair key: its reading. */
static size_t pair_text(const ps_nf_token *t, char *out)
{
    return ps_name_reading(t->p, t->len, out);
}

size_t ps_name_pair_key(const ps_nf_token *a, const ps_nf_token *b, char *out)
{
    char ta[PS_NAME_KEY_MAX], tb[PS_NAME_KEY_MAX];
    if (a->len >= PS_NAME_KEY_MAX || b->len >= PS_NAME_KEY_MAX)
        return 0;
    return ps_name_pair_key_of(ta, pair_text(a, ta), tb, pair_text(b, tb), out);
}

size_t ps_name_pair_key_of(const char *ta, size_t la, const char *tb, size_t lb, char *out)
{
    size_t common = la < lb ? la : lb;
    int c = memcmp(ta, tb, common);
    bool swap = c > 0 || (c == 0 && la > lb);
    const char *x = swap ? tb : ta, *y = swap ? ta : tb;
    size_t lx = swap ? lb : la, ly = swap ? la : lb;
    size_t n = 1 + lx + 1 + ly;
    if (n > PS_NAME_KEY_MAX)
        return 0;
    out[0] = 'P';
    memcpy(out + 1, x, lx);
    out[1 + lx] = '|';
    memcpy(out + 2 + lx, y, ly);
    return n;
}

size_t ps_name_initial_key_of(const char *ta, size_t la, char initial, char *out)
{
    if (la + 3 > PS_NAME_KEY_MAX)
        return 0;
    out[0] = 'I';
    memcpy(out + 1, ta, la);
    out[1 + la] = '|';
    out[2 + la] = initial;
    return la + 3;
}

size_t ps_name_key(char kind, const char *tok, size_t len, char *out)
{
    if (len == 0 || len >= PS_NAME_KEY_MAX)
        return 0;
    out[0] = kind;
    if (kind == 'T') {
        memcpy(out + 1, tok, len);
        return len + 1;
    }
    if (kind == 'F' || kind == 'L') {
        if (len < 6)
            return 0;
        memcpy(out + 1, kind == 'F' ? tok : tok + len - 4, 4);
        return 5;
    }
    ps_name_token_keys k;
    ps_name_keys_of(tok, len, &k);
    size_t n = kind == 'S' ? k.s_len : kind == 'V' ? k.v_len : 0;
    memcpy(out, kind == 'S' ? k.s : k.v, n);
    return n;
}

uint16_t ps_name_reading_hash(const char *reading, size_t len)
{
    uint16_t h = (uint16_t)XXH3_64bits(reading, len);
    return h ? h : 1;
}
