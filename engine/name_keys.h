/* engine/name_keys.h — inside engine/, not a public header: the normalized names of a watchlist
 * entry as the store keeps them (the "name_forms" block), and the index keys derived from
 * their tokens. Import (store.c) and screening (screen_persons.c) share this so that a traveller
 * token and an entry token meet on the same keys.
 *
 * Block layout (bytes): u8 n_names, then per name: u8 type, u8 n_forms (1 or 2), then per
 * form: u8 n_tokens, then per token: u8 flags (PS_TOKEN_* | part << 4), u8 len, the letters.
 * part: 0 surname, 1 given names, 2 full name (order unknown).
 *
 * Keys, one byte of kind then the text:
 *   'T' the token itself
 *   'S' its consonant skeleton: J/Y read as I, C/Q as K, X and a leading HS as KS, Z as S, W as
 *       V (dropped after a vowel), PH as F, CH/ZH as J, KH as H, DT as T, a final H after a
 *       vowel dropped, vowels (A E I O U and the I from J/Y) dropped, doubled letters
 *       collapsed; 2 letters or more
 *       (MOHAMMED, MUHAMMAD, MOHAMAD and MHMD all give MHMD)
 *   'V' its vowel outline: the same consonant reading with every vowel run kept as one A
 *       (YURIY, IURII and JURIJ all give ARA); 3 letters or more.
 *   'F' its first four letters, 'L' its last four, for tokens of six letters or more (a typo
 *       late or early in a long name leaves one of them whole)
 *   'P' two tokens of one form, neither a particle nor an initial, each by its reading
 *       (ps_name_reading), in byte order, joined by '|': how a name of two common
 *       tokens (JOHN SMITH, MUHAMMAD ALI) is found without reading every JOHN and SMITH, and
 *       found again when one of them is spelled another way
 *   'I' a token (by its skeleton, as for 'P'), '|', and the first letter of another token of
 *       the form: how J SMITH finds JOHN SMITH and JOHN SMITH finds J SMITH. */
#ifndef PAXSCREEN_ENGINE_NAME_KEYS_H
#define PAXSCREEN_ENGINE_NAME_KEYS_H

#include "paxscreen/normalize.h"
#include "paxscreen/watchlist.h"

#define PS_NF_MAX_TOKENS 32 /* surname and given name tokens of one form */
#define PS_NAME_KEY_MAX  64 /* bytes of one key, kind included */

enum { PS_PART_SURNAME = 0, PS_PART_GIVEN = 1, PS_PART_FULL = 2 };

typedef struct ps_nf_token {
    const char *p;
    uint8_t len;
    uint8_t flags; /* PS_TOKEN_* */
    uint8_t part;  /* PS_PART_* */
} ps_nf_token;

typedef struct ps_nf_form {
    uint8_t n;
    ps_nf_token tok[PS_NF_MAX_TOKENS];
} ps_nf_form;

typedef struct ps_nf_name {
    uint8_t type; /* ps_name_type */
    uint8_t n_forms;
    ps_nf_form form[2];
} ps_nf_name;

/* The forms of one name given as surname + given names, or as a full name. */
void ps_nf_from_parts(ps_str surname, ps_str given, ps_str full, ps_nf_name *out, char *text,
                      size_t text_cap);

/* Appends the block for e's names to out. */
void ps_nf_encode(const ps_wl_entry *e, ps_buf *out);

/* Walks a block: *pos starts at 0; fills out and returns true per name, false at the end or
 * on a malformed block. Tokens point into data. */
bool ps_nf_next(const unsigned char *data, size_t len, size_t *pos, size_t *remaining_names,
                ps_nf_name *out);

/* Writes key kind ('T', 'S', 'V') for a token; returns its length, 0 when the token has no
 * such key (too short). out holds PS_NAME_KEY_MAX bytes. */
size_t ps_name_key(char kind, const char *tok, size_t len, char *out);

/* A token's reading: its consonant skeleton as for 'S', down to two-letter tokens (XU and HSU:
 * KS); for a token of fewer consonants, the reading with vowels (ZHOU and CHOU: JA); else the
 * token itself. Returns its length (0 when the token does not fit); out holds PS_NAME_KEY_MAX
 * bytes. */
size_t ps_name_reading(const char *tok, size_t len, char *out);
/* The hash of a reading that name references carry for their form's other main tokens
 * (ps_name_ref.mates): 16 bits, never 0. */
uint16_t ps_name_reading_hash(const char *reading, size_t len);
/* A token's 'S' and 'V' keys (ps_name_key; length 0 when it has none) and its reading
 * (ps_name_reading), made in one pass. */
typedef struct ps_name_token_keys {
    char s[PS_NAME_KEY_MAX], v[PS_NAME_KEY_MAX], r[PS_NAME_KEY_MAX];
    uint8_t s_len, v_len, r_len;
} ps_name_token_keys;
void ps_name_keys_of(const char *tok, size_t len, ps_name_token_keys *k);

/* The 'P' key of two tokens (either order); 0 when it does not fit. */
size_t ps_name_pair_key(const ps_nf_token *a, const ps_nf_token *b, char *out);
/* The 'P' key from two readings (ps_name_reading) already made, and the 'I' key of a token's
 * reading and the initial of another: a token in many pairs is read once. 0 when the key does
 * not fit. */
size_t ps_name_pair_key_of(const char *ra, size_t la, const char *rb, size_t lb, char *out);
size_t ps_name_initial_key_of(const char *ra, size_t la, char initial, char *out);

/* The main tokens of a form, bit i for token i (i < 16): what a name cannot do without —
 * surname tokens, the first given name, every token of a full name; not particles, initials
 * or middle names (the given names after the first). */
uint16_t ps_nf_need_mask(const ps_nf_form *f);

/* The token kinds every token is indexed and looked up by. */
#define PS_NAME_TOKEN_KINDS "TSVFL"

/* Whether a token takes part in pair keys and candidate search. */
static inline bool ps_nf_substantive(const ps_nf_token *t)
{
    return !(t->flags & (PS_TOKEN_PARTICLE | PS_TOKEN_INITIAL));
}

#endif
