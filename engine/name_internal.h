/* engine/name_internal.h — inside engine/: what the files of ps_name_normalize share. Not a
 * public header.
 *
 * name_normalize.c decodes the input and writes two raw forms (primary and alternate) through
 * the output builder declared here; each letter outside ASCII goes to one script's reader:
 * translit_latin.c (the ICAO Latin specials, accented letters losing their marks),
 * translit_cyrillic.c, translit_greek.c, and translit_icu.c, which gathers the letters of every
 * other script (Arabic among them) into runs for ICU's transliterator. */
#ifndef PAXSCREEN_ENGINE_NAME_INTERNAL_H
#define PAXSCREEN_ENGINE_NAME_INTERNAL_H

#include "paxscreen/normalize.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#define PS_RAW_CAP 768 /* raw letters and separators of one form */
#define PS_RUN_CAP 64  /* UTF-16 units sent to the transliterator at once */

/* Raw forms: letters A-Z with single spaces between tokens. */

enum { PS_PRIMARY, PS_ALTERNATE };

typedef struct ps_raw {
    char buf[PS_RAW_CAP];
    size_t len;
    bool sep; /* a separator is pending: written before the next letter */
} ps_raw;

/* Cyrillic reading for the alternate form, from the letters of the whole input. */
typedef enum ps_cyr_lang {
    PS_CYR_RU,
    PS_CYR_UK,
    PS_CYR_BE,
    PS_CYR_BG,
    PS_CYR_SR,
    PS_CYR_MK,
} ps_cyr_lang;

typedef struct ps_norm_state {
    ps_raw raw[2];
    bool full; /* a raw form is full: stop reading */
    bool truncated;
    bool transliterated;
    bool prev_letter;  /* the last code point read was (part of) a letter */
    uint32_t prev_cyr; /* the last code point read, upper-cased, if a Cyrillic letter */
    ps_cyr_lang lang;
    /* The run of code points waiting for the transliterator. */
    UChar run[PS_RUN_CAP];
    int32_t run_len;
    bool run_arabic;
    bool run_hangul; /* the last code point in the run is a Hangul syllable */
} ps_norm_state;

/* The output builder (name_normalize.c). */

/* Letters for both forms; alt NULL means the same as primary. */
void ps_name_emit(ps_norm_state *st, const char *primary, const char *alt);
void ps_name_emit_char(ps_norm_state *st, char c);
/* A separator: the next letter starts a new token. */
void ps_name_sep(ps_norm_state *st);

/* Character classes (name_normalize.c). */

bool ps_name_is_apostrophe(uint32_t c);

static inline uint32_t ps_name_gc_mask(uint32_t c)
{
    return (uint32_t)U_GET_GC_MASK((UChar32)c);
}

/* The script readers. Each reads the letter c (s[i], or s[*i], is the code point after it)
 * when it is its own: flushes the run waiting for the transliterator, writes c's reading into
 * both forms and returns true; returns false, having done nothing, for any other letter. */

/* translit_latin.c: the ICAO 9303 specials (Ä Ø ß Þ ...). */
bool ps_translit_latin_special(ps_norm_state *st, uint32_t c);
/* translit_latin.c: a Latin letter whose NFD decomposition starts with A-Z or a-z. */
bool ps_translit_latin_marks(ps_norm_state *st, const UNormalizer2 *nfd, uint32_t c);

/* translit_cyrillic.c: a letter of the Cyrillic table, read for st->lang. */
bool ps_translit_cyrillic(ps_norm_state *st, uint32_t c, const UChar *s, int32_t i, int32_t n);
/* The upper-case letter for a Cyrillic letter, or 0 when c is none (or has no case pair we
 * handle). */
uint32_t ps_translit_cyr_upper(uint32_t c);
/* Which language's reading goes into the alternate form, from the whole input s[0..n). */
ps_cyr_lang ps_translit_cyr_detect(const UChar *s, int32_t n);

/* translit_greek.c: a Greek letter; may consume the next letter (*i moves past it) for a
 * digraph. */
bool ps_translit_greek(ps_norm_state *st, const UNormalizer2 *nfd, uint32_t c, const UChar *s,
                       int32_t *i, int32_t n);

/* translit_icu.c: the run of letters waiting for ICU's transliterator. A letter of a script
 * without a table of its own joins the run. */
void ps_translit_run_letter(ps_norm_state *st, uint32_t c);
/* Appends the code point c (a mark that belongs to the run) to the run. */
void ps_translit_run_add(ps_norm_state *st, uint32_t c);
/* Sends the run to the transliterator and writes what comes back into both forms. */
void ps_translit_flush_run(ps_norm_state *st);

#endif
