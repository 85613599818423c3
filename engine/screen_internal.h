/* engine/screen_internal.h — inside engine/, not a public header: the parts of screening one
 * traveller (screen.c calls them in turn) and what they share. */
#ifndef PAXSCREEN_ENGINE_SCREEN_INTERNAL_H
#define PAXSCREEN_ENGINE_SCREEN_INTERNAL_H

#include "paxscreen/screen.h"

int ps_screen_documents(ps_snapshot *snap, const ps_traveller *t, ps_arena *scratch, ps_hit_fn fn,
                        void *ctx, ps_screen_counts *counts);
int ps_screen_persons(ps_snapshot *snap, const ps_traveller *t, ps_arena *scratch, ps_hit_fn fn,
                      void *ctx, ps_screen_counts *counts);

/* seen: the traveller's name hits so far (ps_screen_already_hit): an entry hit by name is not
 * reported again by its name pattern. */
int ps_screen_name_patterns(ps_snapshot *snap, const ps_traveller *t, ps_arena *scratch,
                            const void *seen, ps_hit_fn fn, void *ctx, ps_screen_counts *counts);
bool ps_screen_already_hit(const void *seen, const ps_hit *h);

/* Per-snapshot memory of token plans (screen_memo.c): blobs by a 64-bit token hash. */
#define PS_MEMO_MAX_BLOB 4096
typedef struct ps_screen_memo ps_screen_memo;
ps_screen_memo *ps_screen_memo_of(ps_snapshot *snap); /* NULL when out of memory */
const unsigned char *ps_screen_memo_find(const ps_screen_memo *m, uint64_t hash, size_t *len);
/* Keeps blob (malloc'd, len bytes) as hash's: the memo takes it over and frees it, now (longer
 * than PS_MEMO_MAX_BLOB) or when another blob replaces it. */
void ps_screen_memo_give(ps_screen_memo *m, uint64_t hash, void *blob, size_t len);
/* A table of n slots kept with the memo for one screening at a time, all 0 between uses: its
 * user sets every slot it used back to 0 before the next. NULL when out of memory. */
uint32_t *ps_screen_memo_table(ps_screen_memo *m, size_t n);

/* Sets h->threshold from the entry's list, and h->action from it when the entry names none. */
void ps_screen_list_defaults(ps_snapshot *snap, ps_str list, ps_hit *h);

#endif
