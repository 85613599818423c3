/* paxscreen/normalize.h — turning what was sent into what is compared: names into upper-case
 * Latin tokens, document numbers into canonical keys, countries into alpha-3 codes.
 *
 * Names: any script and case (UTF-8) in; tokens of A-Z out. ICAO Doc 9303 Part 3
 * transliteration comes first (Latin with diacritics, Cyrillic, Greek — paxlst.md §6.2); Arabic
 * goes through ICU's Arabic-Latin with small corrections (the ICAO X-digraph scheme is never
 * what a passport name shows); ICU's general transliterator handles every other script. Where
 * two spellings are accepted (Ä as AE or A; Russian or Ukrainian readings of Cyrillic), the name
 * gets both: the primary form follows the ICAO table, the alternate the other reading. Titles and honorifics are removed
 * as whole tokens only (ELIZABETH stays ELIZABETH); particles (AL, EL, BIN, IBN, VAN, DER, DE,
 * DA, DI, LA, ...) are kept as tokens and flagged, so a matcher can try them joined, split
 * or dropped.
 *
 * Documents: the canonical key drops spaces, dashes, fillers ('<') and other punctuation and
 * upper-cases; the confusable key also folds O->0, I->1, L->1, S->5, B->8, Z->2.
 *
 * Countries: ISO 3166-1 alpha-2 and alpha-3 and the ICAO 9303 codes (D, GBD, GBN, GBO, GBP,
 * GBS, UNO, UNA, UNK, EUE, XBA, XIM, XCC, XCE, XCO, XEC, XES, XMP, XOM, XPO, XDC, XXA, XXB,
 * XXC, XXX, RKS) to one alpha-3 code.
 *
 * All functions are pure, thread-safe and allocate nothing but what they write into the
 * caller's buffers (ICU is used through a per-thread transliterator created on first use). */
#ifndef PAXSCREEN_NORMALIZE_H
#define PAXSCREEN_NORMALIZE_H

#include "paxscreen/arena.h"

#define PS_NAME_MAX_TOKENS 16
#define PS_NAME_MAX_BYTES 256 /* normalized text of one name form, all tokens */

enum {
    PS_TOKEN_PARTICLE = 1, /* AL, BIN, VAN, DE ...: may be joined, split or dropped */
    PS_TOKEN_INITIAL = 2,  /* a single letter */
};

/* One normalized form of a name: tokens are slices of text, separated by single spaces. */
typedef struct ps_name_form {
    char text[PS_NAME_MAX_BYTES];
    uint16_t len;
    uint8_t n_tokens;
    uint8_t start[PS_NAME_MAX_TOKENS];
    uint8_t length[PS_NAME_MAX_TOKENS];
    uint8_t flags[PS_NAME_MAX_TOKENS]; /* PS_TOKEN_* */
} ps_name_form;

typedef struct ps_name_norm {
    ps_name_form primary;   /* ICAO 9303 transliteration */
    ps_name_form alternate; /* the other accepted reading: diacritics dropped instead of the
                               ICAO digraph (MULLER), or another language's Cyrillic or Greek
                               reading (SERHII for Сергій); same as primary when no choice */
    bool has_alternate;     /* alternate differs from primary */
    bool transliterated;    /* a non-Latin script was transliterated */
    bool truncated;         /* more tokens or bytes than fit: the rest was dropped */
} ps_name_norm;

/* Normalizes one name part (a surname, the given names, or a full name). */
void ps_name_normalize(const char *utf8, size_t len, ps_name_norm *out);

/* Closes the calling thread's transliterator (the next ps_name_normalize that needs one makes
 * it again). A thread's transliterator is also closed when the thread exits; call this before
 * ICU's u_cleanup(), e.g. at the end of a test run. */
void ps_normalize_cleanup(void);

/* Document number keys; out must hold len + 1 bytes. Return the key length. */
size_t ps_docnum_canonical(const char *p, size_t len, char *out);
size_t ps_docnum_confusable(const char *p, size_t len, char *out);

/* The alpha-3 code for an alpha-2, alpha-3 or ICAO code in any case, with surrounding spaces
 * ignored; NULL when it is none of them. The result is a static string. */
const char *ps_country_alpha3(const char *p, size_t len);

#endif
