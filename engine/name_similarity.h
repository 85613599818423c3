/* engine/name_similarity.h — inside engine/, not a public header: the similarity of two name
 * tokens (upper-case letters, as name_normalize.c makes them), shared by screening
 * (screen_persons.c) and the store's near references (store_names.c). */
#ifndef PAXSCREEN_ENGINE_NAME_SIMILARITY_H
#define PAXSCREEN_ENGINE_NAME_SIMILARITY_H

#include "name_keys.h"

#include <stddef.h>

/* Token similarity below which two tokens do not pair. */
#define PS_PAIR_FLOOR 0.70

/* Jaro-Winkler of two tokens of up to 64 bytes (0 for longer ones). */
double ps_jaro_winkler(const char *a, size_t n, const char *b, size_t m);

/* Spelling alone: one edit (0.84-0.9 by length, from four letters on) or two in a token of seven
 * letters or more (0.82); 0 when further apart. */
double ps_edit_sim(const char *a, size_t n, const char *b, size_t m);

/* How alike two tokens are, 0..1, given their keys (ps_name_keys_of): equal 1.0; an initial for
 * its name 0.8; same skeleton, outline or reading 0.84-0.9 by skeleton length (less when
 * Jaro-Winkler disagrees); one or two edits (ps_edit_sim); else a Jaro-Winkler of 0.9 or more,
 * scaled. a is the traveller's token where the two differ (screening's order). */
double ps_token_sim(const char *a, size_t n, const ps_name_token_keys *ka, const char *b, size_t m,
                    const ps_name_token_keys *kb);

#endif
