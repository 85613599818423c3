/* paxscreen/screen.h — screening travellers against the lists of one store snapshot.
 *
 * A traveller is screened by its travel document numbers (the canonical key with and without
 * the issuing state, the confusable-folded key, the lists' document patterns), by its names
 * (the name index: exact, phonetic, misspelled, transliterated, swapped, partial names, scored
 * with birth date, gender and nationality as evidence) and by the lists' name patterns.
 * Targeting rules are issue 5 work still to come.
 * A screener belongs to one thread: it holds that thread's snapshot and scratch memory. */
#ifndef PAXSCREEN_SCREEN_H
#define PAXSCREEN_SCREEN_H

#include "paxscreen/hit.h"
#include "paxscreen/store.h"

typedef void (*ps_hit_fn)(void *ctx, const ps_hit *h);

typedef struct ps_screen_counts {
    uint64_t travellers;
    uint64_t documents; /* document numbers looked up */
    uint64_t hits;
    /* the person search's work, for benchmarks: name tokens planned afresh and replayed from
     * the snapshot's memo, keys read, references read, candidates gathered and scored */
    uint64_t tokens_fresh, tokens_replayed, keys, refs, candidates, scored;
} ps_screen_counts;

/* Screens t; calls fn once per hit (the hit and what it points to live until fn returns).
 * scratch is reset by the caller between travellers or batches as it likes. */
int ps_screen_traveller(ps_snapshot *snap, const ps_traveller *t, ps_arena *scratch, ps_hit_fn fn,
                        void *ctx, ps_screen_counts *counts);

#endif
