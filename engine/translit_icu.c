/* engine/translit_icu.c — the letters of every script without a table of its own, for
 * ps_name_normalize (name_normalize.c, name_internal.h): runs of them go through ICU's
 * "Any-Latin; Latin-ASCII; Upper", with the corrections for Arabic script; and
 * ps_normalize_cleanup (normalize.h).
 *
 * Arabic script: not the ICAO 9303 table. That table is a reversible scheme (ث XTH, ح XH,
 * ص XSS, ...) made so a state can print the original letters back from the MRZ; it is not how
 * anyone's name is romanized, so a watchlist alias in it would never meet the name a passenger
 * travels under. ICU's Arabic-Latin then Latin-ASCII is used instead (ICU's Any-Latin sends
 * Arabic script to Arabic-Latin, so the one compound transliterator below serves), with four
 * cheap corrections towards the common romanization: ى (alef maqsura) and ة (ta marbuta) are
 * read as A (موسى MWSA, أسامة ASAMA; ICU gives MWSY, ASAMT); the ayn sign ICU writes (ʿ)
 * becomes A unless a vowel is next to it (علي: ICU ʿLY, here ALY); a word-final Y after a
 * consonant becomes I (ALY -> ALI); and the Urdu letters ICU leaves untouched (ٹ ڈ ڑ ں ھ ہ ے)
 * are read as their Arabic counterparts. Unvocalized Arabic has no short vowels, so محمد comes
 * out as MHMD: a matcher should compare Arabic-derived tokens on their consonants
 * (MOHAMED -> MHMD) as well as on their letters.
 *
 * Every other script (and the Latin letters with no decomposition: ı, Ħ, ŋ, ſ, fullwidth
 * forms, ligatures) goes through the same transliterator: Han comes out one syllable per token
 * (王小明 WANG XIAO MING; Japanese kanji get Chinese readings), Hangul is cut into one token
 * per syllable (김정은 GIM JEONG EUN, which ICU alone gives as GIMJEONG-EUN), Hebrew comes out
 * as its consonants. Letters ICU cannot romanize are dropped.
 *
 * The transliterator is created once per thread on first use (creating one is expensive and
 * one must not be shared between threads) and closed when the thread exits;
 * ps_normalize_cleanup closes the calling thread's one (for leak checkers and u_cleanup). */
#include "name_internal.h"

#include <pthread.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#define PS_RUN_OUT_CAP 1024 /* room for the transliterator's output of one run */

static bool ps_is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

/* ------------------------------------------------------------------------------------------ */
/* ICU's transliterator, one per thread. */

static _Thread_local UTransliterator *ps_tl_trans;
static _Thread_local bool ps_tl_trans_tried;
static pthread_key_t ps_trans_key;
static bool ps_trans_key_ok;
static pthread_once_t ps_trans_once = PTHREAD_ONCE_INIT;

static void ps_trans_destroy(void *p)
{
    utrans_close(p);
}

static void ps_trans_key_init(void)
{
    ps_trans_key_ok = pthread_key_create(&ps_trans_key, ps_trans_destroy) == 0;
}

static UTransliterator *ps_transliterator(void)
{
    if (ps_tl_trans || ps_tl_trans_tried)
        return ps_tl_trans;
    ps_tl_trans_tried = true;
    static const char id[] = "Any-Latin; Latin-ASCII; Upper";
    UChar uid[sizeof id];
    for (size_t i = 0; i < sizeof id; i++)
        uid[i] = (UChar)id[i];
    UErrorCode err = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    if (U_FAILURE(err))
        return NULL; /* no ICU data: letters of other scripts are dropped */
    pthread_once(&ps_trans_once, ps_trans_key_init);
    if (ps_trans_key_ok)
        pthread_setspecific(ps_trans_key, t); /* closed when the thread exits */
    ps_tl_trans = t;
    return t;
}

void ps_normalize_cleanup(void)
{
    if (ps_tl_trans) {
        if (ps_trans_key_ok)
            pthread_setspecific(ps_trans_key, NULL);
        utrans_close(ps_tl_trans);
    }
    ps_tl_trans = NULL;
    ps_tl_trans_tried = false;
}

/* Arabic letters read as others before ICU sees them (see the comment at the top). */
static uint32_t ps_arabic_premap(uint32_t c)
{
    switch (c) {
    case 0x0649: /* alef maqsura */
    case 0x0629: /* ta marbuta */
        return 0x0627;
    case 0x0679: /* Urdu tteh */
        return 0x062A;
    case 0x0688: /* Urdu ddal */
        return 0x062F;
    case 0x0691: /* Urdu rreh */
        return 0x0631;
    case 0x06BA: /* Urdu noon ghunna */
        return 0x0646;
    case 0x06BE: /* heh doachashmee */
    case 0x06C1: /* heh goal */
        return 0x0647;
    case 0x06D2: /* yeh barree */
    case 0x06D3:
        return 0x064A;
    default:
        return c;
    }
}

/* Takes the transliterator's output u[0..n) into both forms. */
static void ps_take_icu_output(ps_norm_state *st, const UChar *u, int32_t n, bool arabic)
{
    char w[PS_RUN_OUT_CAP];
    size_t wn = 0;
    for (int32_t i = 0; i < n && wn < sizeof w;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        if (c >= 'A' && c <= 'Z') {
            w[wn++] = (char)c;
        } else if (arabic && c == 0x02BF) { /* ayn: A unless next to a vowel */
            char next = 0;
            if (i < n && u[i] < 0x80)
                next = (char)(u[i] >= 'a' && u[i] <= 'z' ? u[i] - ('a' - 'A') : u[i]);
            char prev = wn ? w[wn - 1] : 0;
            if (!ps_is_vowel(next) && prev != 'A')
                w[wn++] = 'A';
        } else if (ps_name_is_apostrophe((uint32_t)c) || u_isalpha(c) ||
                   (ps_name_gc_mask((uint32_t)c) & (U_GC_M_MASK | U_GC_N_MASK)) ||
                   (c != 0x200C && (ps_name_gc_mask((uint32_t)c) & U_GC_CF_MASK))) {
            /* apostrophes, letters ICU could not romanize, marks, digits: dropped */
        } else {
            w[wn++] = ' ';
        }
    }
    if (arabic) /* a word-final Y after a consonant reads I */
        for (size_t i = 1; i < wn; i++)
            if (w[i] == 'Y' && (i + 1 == wn || w[i + 1] == ' ') && w[i - 1] != ' ' &&
                !ps_is_vowel(w[i - 1]) && w[i - 1] != 'Y')
                w[i] = 'I';
    for (size_t i = 0; i < wn && !st->full; i++) {
        if (w[i] == ' ')
            ps_name_sep(st);
        else
            ps_name_emit_char(st, w[i]);
    }
}

void ps_translit_flush_run(ps_norm_state *st)
{
    if (!st->run_len)
        return;
    int32_t n = st->run_len;
    st->run_len = 0;
    st->run_hangul = false;
    UTransliterator *t = ps_transliterator();
    if (!t)
        return;
    UChar buf[PS_RUN_OUT_CAP];
    memcpy(buf, st->run, (size_t)n * sizeof(UChar));
    int32_t len = n, limit = n;
    UErrorCode err = U_ZERO_ERROR;
    utrans_transUChars(t, buf, &len, PS_RUN_OUT_CAP, 0, &limit, &err);
    if (U_SUCCESS(err)) {
        ps_take_icu_output(st, buf, len, st->run_arabic);
        return;
    }
    /* The run grew past the buffer: one code point at a time. */
    for (int32_t i = 0; i < n && !st->full;) {
        int32_t from = i;
        U16_FWD_1(st->run, i, n);
        len = limit = i - from;
        memcpy(buf, st->run + from, (size_t)len * sizeof(UChar));
        err = U_ZERO_ERROR;
        utrans_transUChars(t, buf, &len, PS_RUN_OUT_CAP, 0, &limit, &err);
        if (U_SUCCESS(err))
            ps_take_icu_output(st, buf, len, st->run_arabic);
    }
}

void ps_translit_run_add(ps_norm_state *st, uint32_t c)
{
    if (st->run_len + 3 > PS_RUN_CAP)
        ps_translit_flush_run(st);
    UBool bad = false;
    U16_APPEND(st->run, st->run_len, PS_RUN_CAP, (UChar32)c, bad);
    (void)bad;
}

/* A letter of a script without a table of its own. */
void ps_translit_run_letter(ps_norm_state *st, uint32_t c)
{
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript((UChar32)c, &err);
    bool common = U_FAILURE(err) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED;
    bool arabic = script == USCRIPT_ARABIC;
    if (!common && st->run_len && arabic != st->run_arabic)
        ps_translit_flush_run(st);
    if (!st->run_len)
        st->run_arabic = arabic;
    bool hangul = c >= 0xAC00 && c <= 0xD7A3;
    if (st->run_len + 4 > PS_RUN_CAP) {
        bool was_hangul = st->run_hangul;
        ps_translit_flush_run(st);
        if (hangul && was_hangul)
            ps_name_sep(st);
    }
    if (hangul && st->run_hangul) /* one token per Hangul syllable */
        ps_translit_run_add(st, ' ');
    ps_translit_run_add(st, arabic ? ps_arabic_premap(c) : c);
    st->run_hangul = hangul;
    if (!common && script != USCRIPT_LATIN)
        st->transliterated = true;
    st->prev_letter = true;
}
