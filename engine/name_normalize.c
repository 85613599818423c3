/* engine/name_normalize.c — ps_name_normalize (normalize.h): one name part, any script, in
 * UTF-8; two forms of upper-case A-Z tokens out (primary and alternate). This file owns the
 * pipeline, the raw forms the script readers write into, and the tokens; the letters outside
 * ASCII are read by translit_latin.c, translit_cyrillic.c, translit_greek.c and translit_icu.c
 * (name_internal.h).
 *
 * Pipeline. The input is decoded (invalid UTF-8 bytes are dropped), put in NFC, and read one
 * code point at a time into two raw forms; the raw forms are then cut into tokens, titles are
 * removed, particles and initials flagged, and the tokens copied into ps_name_form. Pure ASCII
 * input takes a fast path that makes no ICU call at all.
 *
 * Per code point:
 * - ASCII letters are upper-cased. Apostrophes (' ` and their typographic and modifier-letter
 *   forms) are dropped without splitting (O'NEIL -> ONEIL); digits are dropped; everything
 *   else that is not a letter (spaces, hyphens, commas, dots, symbols) separates tokens.
 * - Other letters go, in this order, to the ICAO Latin specials (translit_latin.c), the
 *   Cyrillic table (translit_cyrillic.c; its language for the alternate form is picked once,
 *   from the whole input), the Greek rules (translit_greek.c), the dropping of marks from
 *   accented Latin letters (translit_latin.c), and otherwise to ICU's transliterator
 *   (translit_icu.c: Arabic script and every other script).
 *
 * Tokens: titles are removed as whole tokens, and only when a token that is not a title
 * remains: MR MRS MS MISS MSTR MASTER DR PROF SIR DAME LADY REV FR HH CAPT COL LT SGT MX SR
 * SRA SRTA FRAU MME MLLE MLE. Left out on purpose, as they are names too: HE (the Chinese
 * surname 何), GEN (a Chinese syllable, a Japanese given name), MAJ (a Scandinavian given
 * name), LORD and HERR (English and German surnames). SHEIKH, SHAIKH, HAJI and HAJJI are
 * common surnames and given-name parts as well as honorifics: they are kept and flagged as
 * particles, with AL EL UL BIN BINT BINTI IBN BEN ABU ABOU ABO ABD VAN VON ZU ZUR DER DEN DE
 * DEL DELLA DELA DA DAS DOS DI DU LA LE LO MAC MC O ST SAINT TER TEN Y, and BN BNT ABN ABW (بن بنت
 * ابن أبو as ICU romanizes them). A one-letter token is an initial.
 *
 * Limits: the first 1024 UTF-16 units of a non-ASCII input are read, and at most 768 bytes of
 * raw letters are kept before titles are removed; then PS_NAME_MAX_TOKENS tokens and
 * PS_NAME_MAX_BYTES - 1 bytes per form. Whatever does not fit is dropped (whole tokens; only a
 * first token longer than a form is cut) and sets truncated. */
#include "name_internal.h"
#include "paxscreen/text.h"

#include <pthread.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

#define PS_IN_CAP 1024 /* UTF-16 units of input read */

/* ------------------------------------------------------------------------------------------ */
/* Raw forms: the output builder the script readers write through. */

/* One letter onto raw form r, after the separator pending if any; false (and the state full)
 * when it does not fit. */
static inline bool ps_put_letter(ps_norm_state *st, ps_raw *r, char c)
{
    size_t need = (r->sep && r->len) ? 2 : 1;
    if (r->len + need > PS_RAW_CAP) {
        st->full = true;
        st->truncated = true;
        return false;
    }
    if (r->sep && r->len)
        r->buf[r->len++] = ' ';
    r->sep = false;
    r->buf[r->len++] = c;
    return true;
}

static void ps_put(ps_norm_state *st, int which, const char *s)
{
    ps_raw *r = &st->raw[which];
    for (; *s; s++)
        if (!ps_put_letter(st, r, *s))
            return;
}

/* Letters for both forms; alt NULL means the same as primary. */
void ps_name_emit(ps_norm_state *st, const char *primary, const char *alt)
{
    ps_put(st, PS_PRIMARY, primary);
    ps_put(st, PS_ALTERNATE, alt ? alt : primary);
    st->prev_letter = true;
}

void ps_name_emit_char(ps_norm_state *st, char c)
{
    char s[2] = {c, '\0'};
    ps_name_emit(st, s, NULL);
}

void ps_name_sep(ps_norm_state *st)
{
    st->raw[PS_PRIMARY].sep = true;
    st->raw[PS_ALTERNATE].sep = true;
    st->prev_letter = false;
}

/* ------------------------------------------------------------------------------------------ */
/* Character classes. */

bool ps_name_is_apostrophe(uint32_t c)
{
    switch (c) {
    case 0x0027: /* ' */
    case 0x0060: /* ` */
    case 0x00B4: /* acute accent */
    case 0x02B9: /* modifier prime */
    case 0x02BB: /* turned comma (okina) */
    case 0x02BC: /* modifier apostrophe */
    case 0x02BD: /* reversed comma */
    case 0x02BE: /* right half ring (hamza) */
    case 0x02BF: /* left half ring (ayn) */
    case 0x055A: /* Armenian apostrophe */
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0xFF07: /* fullwidth apostrophe */
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the input. */

static void ps_read_ascii_char(ps_norm_state *st, unsigned c)
{
    if (c >= 'a' && c <= 'z')
        ps_name_emit_char(st, (char)(c - ('a' - 'A')));
    else if (c >= 'A' && c <= 'Z')
        ps_name_emit_char(st, (char)c);
    else if (c != '\'' && c != '`' && !(c >= '0' && c <= '9')) /* apostrophes, digits: dropped */
        ps_name_sep(st);
}

/* Pure ASCII: both forms are the same, so the letters go straight into the primary form, which
 * the alternate then copies (what ps_read_ascii_char would write, letter by letter). */
static void ps_read_ascii(ps_norm_state *st, const unsigned char *p, size_t len)
{
    ps_raw *r = &st->raw[PS_PRIMARY];
    for (size_t i = 0; i < len; i++) {
        unsigned c = p[i];
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        if (c >= 'A' && c <= 'Z') {
            if (!ps_put_letter(st, r, (char)c))
                break;
        } else if (c != '\'' && c != '`' && !(c >= '0' && c <= '9')) {
            r->sep = true; /* apostrophes, digits: dropped; anything else separates */
        }
    }
    ps_raw *alt = &st->raw[PS_ALTERNATE];
    memcpy(alt->buf, r->buf, r->len);
    alt->len = r->len;
    alt->sep = r->sep;
}

/* A letter outside ASCII; s[*i] is the code point after it (a digraph may consume it). The
 * readers are tried in this order: the ICAO Latin specials before the marks are dropped (Ä is
 * AE, not A); whatever no table reads goes to the transliterator. */
static void ps_read_letter(ps_norm_state *st, const UNormalizer2 *nfd, uint32_t c, const UChar *s,
                           int32_t *i, int32_t n)
{
    if (ps_translit_latin_special(st, c))
        return;
    if (ps_translit_cyrillic(st, c, s, *i, n))
        return;
    if (ps_translit_greek(st, nfd, c, s, i, n))
        return;
    if (ps_translit_latin_marks(st, nfd, c))
        return;
    ps_translit_run_letter(st, c);
}

/* Decodes p[0..len) into in (at most PS_IN_CAP units), dropping invalid bytes. */
static int32_t ps_decode_utf8(ps_norm_state *st, const unsigned char *p, size_t len, UChar *in)
{
    int32_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t l = ps_utf8_len(p + i, len - i);
        if (!l) {
            i++;
            continue;
        }
        UChar32 c = p[i] & (0xFF >> (l == 1 ? 1 : l + 1));
        for (size_t k = 1; k < l; k++)
            c = (c << 6) | (p[i + k] & 0x3F);
        if (n + U16_LENGTH(c) > PS_IN_CAP) {
            st->truncated = true;
            break;
        }
        U16_APPEND_UNSAFE(in, n, c);
        i += l;
    }
    return n;
}

static void ps_read_unicode(ps_norm_state *st, const unsigned char *p, size_t len)
{
    UChar in[PS_IN_CAP];
    int32_t n = ps_decode_utf8(st, p, len, in);

    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    const UNormalizer2 *nfd = U_SUCCESS(err) ? unorm2_getNFDInstance(&err) : NULL;
    if (U_FAILURE(err))
        nfc = nfd = NULL;
    UChar norm[PS_IN_CAP * 3]; /* NFC grows a string at most threefold */
    const UChar *s = in;
    if (nfc) {
        err = U_ZERO_ERROR;
        if (unorm2_quickCheck(nfc, in, n, &err) != UNORM_YES && U_SUCCESS(err)) {
            int32_t m = unorm2_normalize(nfc, in, n, norm, PS_IN_CAP * 3, &err);
            if (U_SUCCESS(err)) {
                s = norm;
                n = m;
            }
        }
    }

    st->lang = ps_translit_cyr_detect(s, n);
    for (int32_t i = 0; i < n && !st->full;) {
        UChar32 c32;
        U16_NEXT(s, i, n, c32);
        uint32_t c = (uint32_t)c32;
        uint32_t gc = ps_name_gc_mask(c);
        if (c < 0x80) {
            ps_translit_flush_run(st);
            ps_read_ascii_char(st, c);
        } else if (ps_name_is_apostrophe(c)) {
            continue; /* dropped, and prev_cyr kept: the letters around it still pair */
        } else if (gc & U_GC_M_MASK) {
            if (st->run_len) /* a mark in a run belongs to it (vowel signs, harakat) */
                ps_translit_run_add(st, c);
            continue; /* otherwise dropped */
        } else if (gc & U_GC_N_MASK) {
            continue; /* digits: dropped */
        } else if (gc & U_GC_CF_MASK) {
            if (c == 0x200C) { /* zero-width non-joiner: between parts of a compound name */
                ps_translit_flush_run(st);
                ps_name_sep(st);
            }
            continue; /* other format characters: dropped */
        } else if (u_isalpha(c32)) {
            ps_read_letter(st, nfd, c, s, &i, n);
        } else {
            ps_translit_flush_run(st);
            ps_name_sep(st);
        }
        st->prev_cyr = ps_translit_cyr_upper(c);
    }
    ps_translit_flush_run(st);
}

/* ------------------------------------------------------------------------------------------ */
/* Tokens. */

enum { PS_WORD_TITLE = 1, PS_WORD_PARTICLE = 2 };

typedef struct ps_word {
    char text[7];
    uint8_t kind;
} ps_word;

/* Titles and particles (see the comment at the top); BN BNT ABN ABW are bin, bint, ibn and
 * abu as ICU writes them from Arabic script. */
static const ps_word ps_words[] = {
    {"MR", PS_WORD_TITLE},        {"MRS", PS_WORD_TITLE},       {"MS", PS_WORD_TITLE},
    {"MISS", PS_WORD_TITLE},      {"MSTR", PS_WORD_TITLE},      {"MASTER", PS_WORD_TITLE},
    {"DR", PS_WORD_TITLE},        {"PROF", PS_WORD_TITLE},      {"SIR", PS_WORD_TITLE},
    {"DAME", PS_WORD_TITLE},      {"LADY", PS_WORD_TITLE},      {"REV", PS_WORD_TITLE},
    {"FR", PS_WORD_TITLE},        {"HH", PS_WORD_TITLE},        {"CAPT", PS_WORD_TITLE},
    {"COL", PS_WORD_TITLE},       {"LT", PS_WORD_TITLE},        {"SGT", PS_WORD_TITLE},
    {"MX", PS_WORD_TITLE},        {"SR", PS_WORD_TITLE},        {"SRA", PS_WORD_TITLE},
    {"SRTA", PS_WORD_TITLE},      {"FRAU", PS_WORD_TITLE},      {"MME", PS_WORD_TITLE},
    {"MLLE", PS_WORD_TITLE},      {"MLE", PS_WORD_TITLE},       {"AL", PS_WORD_PARTICLE},
    {"EL", PS_WORD_PARTICLE},     {"UL", PS_WORD_PARTICLE},     {"BIN", PS_WORD_PARTICLE},
    {"BINT", PS_WORD_PARTICLE},   {"BINTI", PS_WORD_PARTICLE},  {"IBN", PS_WORD_PARTICLE},
    {"BEN", PS_WORD_PARTICLE},    {"ABU", PS_WORD_PARTICLE},    {"ABD", PS_WORD_PARTICLE},
    {"VAN", PS_WORD_PARTICLE},    {"VON", PS_WORD_PARTICLE},    {"DER", PS_WORD_PARTICLE},
    {"DEN", PS_WORD_PARTICLE},    {"DE", PS_WORD_PARTICLE},     {"DEL", PS_WORD_PARTICLE},
    {"DELLA", PS_WORD_PARTICLE},  {"DELA", PS_WORD_PARTICLE},   {"DA", PS_WORD_PARTICLE},
    {"DAS", PS_WORD_PARTICLE},    {"DOS", PS_WORD_PARTICLE},    {"DI", PS_WORD_PARTICLE},
    {"DU", PS_WORD_PARTICLE},     {"LA", PS_WORD_PARTICLE},     {"LE", PS_WORD_PARTICLE},
    {"LO", PS_WORD_PARTICLE},     {"MAC", PS_WORD_PARTICLE},    {"MC", PS_WORD_PARTICLE},
    {"O", PS_WORD_PARTICLE},      {"ST", PS_WORD_PARTICLE},     {"SAINT", PS_WORD_PARTICLE},
    {"TER", PS_WORD_PARTICLE},    {"TEN", PS_WORD_PARTICLE},    {"Y", PS_WORD_PARTICLE},
    {"SHEIKH", PS_WORD_PARTICLE}, {"SHAIKH", PS_WORD_PARTICLE}, {"HAJI", PS_WORD_PARTICLE},
    {"HAJJI", PS_WORD_PARTICLE},  {"BN", PS_WORD_PARTICLE},     {"BNT", PS_WORD_PARTICLE},
    {"ABN", PS_WORD_PARTICLE},    {"ABW", PS_WORD_PARTICLE},    {"ABOU", PS_WORD_PARTICLE},
    {"ABO", PS_WORD_PARTICLE},    {"ZU", PS_WORD_PARTICLE},     {"ZUR", PS_WORD_PARTICLE},
};

#define PS_N_WORDS (sizeof ps_words / sizeof ps_words[0])

/* The words as 64-bit keys (letters big-endian, zero-padded), sorted, built once. */
static uint64_t ps_word_keys[PS_N_WORDS];
static uint8_t ps_word_kinds[PS_N_WORDS];
static pthread_once_t ps_words_once = PTHREAD_ONCE_INIT;

static uint64_t ps_word_key(const char *t, size_t n)
{
    uint64_t key = 0;
    for (size_t i = 0; i < sizeof ps_words[0].text; i++)
        key = key << 8 | (i < n ? (unsigned char)t[i] : 0);
    return key;
}

static void ps_words_init(void)
{
    for (size_t i = 0; i < PS_N_WORDS; i++) { /* insertion sort: a few dozen words */
        uint64_t key = ps_word_key(ps_words[i].text, strlen(ps_words[i].text));
        size_t j = i;
        for (; j > 0 && ps_word_keys[j - 1] > key; j--) {
            ps_word_keys[j] = ps_word_keys[j - 1];
            ps_word_kinds[j] = ps_word_kinds[j - 1];
        }
        ps_word_keys[j] = key;
        ps_word_kinds[j] = ps_words[i].kind;
    }
}

/* PS_WORD_TITLE, PS_WORD_PARTICLE or 0 for the token t[0..n). */
static int ps_word_kind(const char *t, size_t n)
{
    if (n >= sizeof ps_words[0].text)
        return 0;
    pthread_once(&ps_words_once, ps_words_init);
    uint64_t key = ps_word_key(t, n);
    size_t lo = 0, hi = PS_N_WORDS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ps_word_keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < PS_N_WORDS && ps_word_keys[lo] == key ? ps_word_kinds[lo] : 0;
}

/* The next token of raw from *pos; false at the end. */
static bool ps_next_token(const ps_raw *r, size_t *pos, size_t *start, size_t *len)
{
    size_t i = *pos;
    while (i < r->len && r->buf[i] == ' ')
        i++;
    if (i >= r->len)
        return false;
    size_t j = i;
    while (j < r->len && r->buf[j] != ' ')
        j++;
    *start = i;
    *len = j - i;
    *pos = j;
    return true;
}

static void ps_build_form(const ps_raw *r, ps_name_form *f, bool *truncated)
{
    size_t pos = 0, start, len, others = 0;
    while (ps_next_token(r, &pos, &start, &len))
        if (ps_word_kind(r->buf + start, len) != PS_WORD_TITLE)
            others++;
    pos = 0;
    while (ps_next_token(r, &pos, &start, &len)) {
        const char *t = r->buf + start;
        int kind = ps_word_kind(t, len);
        if (others && kind == PS_WORD_TITLE)
            continue;
        if (f->n_tokens == PS_NAME_MAX_TOKENS) {
            *truncated = true;
            break;
        }
        size_t need = len + (f->len ? 1 : 0);
        if (f->len + need > PS_NAME_MAX_BYTES - 1) {
            *truncated = true;
            if (f->n_tokens)
                break;
            len = PS_NAME_MAX_BYTES - 1; /* a first token longer than a form: cut */
        }
        if (f->len)
            f->text[f->len++] = ' ';
        uint8_t flags = 0;
        if (kind == PS_WORD_PARTICLE)
            flags |= PS_TOKEN_PARTICLE;
        if (len == 1)
            flags |= PS_TOKEN_INITIAL;
        f->start[f->n_tokens] = (uint8_t)f->len;
        f->length[f->n_tokens] = (uint8_t)len;
        f->flags[f->n_tokens] = flags;
        f->n_tokens++;
        memcpy(f->text + f->len, t, len);
        f->len += (uint16_t)len;
    }
    f->text[f->len] = '\0';
}

void ps_name_normalize(const char *utf8, size_t len, ps_name_norm *out)
{
    memset(out, 0, sizeof *out);
    ps_norm_state st;
    memset(&st, 0, sizeof st);
    if (!utf8)
        len = 0;
    const unsigned char *p = (const unsigned char *)utf8;
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = p[i] < 0x80;
    if (ascii)
        ps_read_ascii(&st, p, len);
    else
        ps_read_unicode(&st, p, len);

    bool truncated = st.truncated;
    ps_build_form(&st.raw[PS_PRIMARY], &out->primary, &truncated);
    ps_build_form(&st.raw[PS_ALTERNATE], &out->alternate, &truncated);
    out->has_alternate = out->primary.len != out->alternate.len ||
                         memcmp(out->primary.text, out->alternate.text, out->primary.len) != 0;
    out->transliterated = st.transliterated;
    out->truncated = truncated;
}
