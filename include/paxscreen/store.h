/* paxscreen/store.h — the alert store: named watchlists, their entries and the indexes
 * screening reads, all in one LMDB environment (a directory holding data.mdb).
 *
 * Readers work on a snapshot (one LMDB read transaction): every lookup in it sees one
 * consistent state of every list, and updates never pause it. Writes go through one writer at
 * a time (LMDB's single writer); an import commits every few thousand lines, so a batch
 * screened meanwhile sees the lists before or after a commit, never half of one.
 *
 * Layout (named databases):
 *   lists    list name -> ps_list_info (default action, threshold, version, entry count)
 *   entries  list \0 id -> entry number (u64) and the hash of the line it came from
 *   records  entry number -> the entry, encoded (entry_codec.c), with its list version
 *   docs     canonical document number -> (entry number, document index, issuer alpha-3)
 *   docs_cf  confusable-folded number -> the same
 * Every function returns 0 or an error code (PS_STORE_*) and, on error, a message in err. */
#ifndef PAXSCREEN_STORE_H
#define PAXSCREEN_STORE_H

#include "paxscreen/watchlist.h"

enum {
    PS_STORE_OK = 0,
    PS_STORE_NOT_FOUND = 1,
    PS_STORE_IO = 2,      /* LMDB or file system error; err has LMDB's message */
    PS_STORE_INVALID = 3, /* an entry that cannot be stored (too large, bad field) */
    PS_STORE_FULL = 4,    /* the map size is exhausted */
};

typedef struct ps_store ps_store;

/* Opens (creating when writable and absent) the store in dir. A process opens a given store
 * once and shares the handle between threads (LMDB's rule: a second open of the same
 * environment in one process breaks its locks). A read-only handle allows only snapshots. */
int ps_store_open(const char *dir, bool writable, ps_store **out, char *err, size_t errlen);
void ps_store_close(ps_store *s);

typedef struct ps_list_info {
    char name[64];
    ps_action action; /* default action for the list's hits */
    float threshold;  /* match score a person hit must reach (0..1) */
    uint64_t version; /* increases with every change to the list */
    uint64_t entries; /* entries currently in the list */
} ps_list_info;

/* ---- writing ---- */

typedef struct ps_store_writer ps_store_writer;

typedef struct ps_import_counts {
    uint64_t inserted, updated, unchanged, deleted, missing; /* missing: delete of absent id */
} ps_import_counts;

int ps_store_writer_begin(ps_store *s, ps_store_writer **out, char *err, size_t errlen);
/* Upserts an entry by list + id (deleted entries are removed). line_hash identifies the
 * entry's source text: an entry whose hash has not changed is left alone (counted unchanged,
 * the list version does not move). A list seen for the first time is created with action
 * refer and threshold 0.85 unless ps_store_set_list said otherwise. */
int ps_store_put(ps_store_writer *w, const ps_wl_entry *e, uint64_t line_hash,
                 ps_import_counts *counts, char *err, size_t errlen);
/* Sets a list's default action and threshold (creating the list if needed). PS_ACTION_NONE
 * keeps the list's action and a negative threshold keeps its threshold (a new list gets refer
 * and 0.85); an action out of range or a threshold above 1 (or NaN) is PS_STORE_INVALID. */
int ps_store_set_list(ps_store_writer *w, const char *list, ps_action action, float threshold,
                      char *err, size_t errlen);
/* Commits what was written so far and starts a new transaction (imports call this every few
 * thousand lines). */
int ps_store_writer_checkpoint(ps_store_writer *w, char *err, size_t errlen);
/* Commits and ends the writer (on failure too: what was not committed is lost); abort throws
 * away everything since the last checkpoint. After any other call fails with PS_STORE_IO or
 * PS_STORE_FULL the transaction is dead: only abort remains. PS_STORE_INVALID from
 * ps_store_put changes nothing, and the writer goes on. One writer at a time per store. */
int ps_store_writer_commit(ps_store_writer *w, char *err, size_t errlen);
void ps_store_writer_abort(ps_store_writer *w);

/* ---- reading ---- */

typedef struct ps_snapshot ps_snapshot;

/* A snapshot is an LMDB read transaction (the environment is opened with MDB_NOTLS): it may be
 * used by one thread at a time, may move between threads, and a thread may hold several
 * (and a writer) at once. Keep snapshots short-lived: pages a snapshot can still see are not
 * reused by writers, so a forgotten snapshot makes the file grow. */
int ps_snapshot_begin(ps_store *s, ps_snapshot **out, char *err, size_t errlen);
void ps_snapshot_end(ps_snapshot *snap);
/* Keeps *snap (NULL: none yet) when no write has been committed since it began, so what it
 * has read stays in its caches; otherwise ends it and begins a new one (*snap is NULL after a
 * failure). For a thread that screens request after request: the check is one read of the
 * store's meta page. */
int ps_snapshot_current(ps_store *s, ps_snapshot **snap, char *err, size_t errlen);
/* The committed state a snapshot sees (LMDB's transaction id): two snapshots with the same
 * version see exactly the same lists, which is how several threads share one snapshot. */
uint64_t ps_snapshot_version(const ps_snapshot *snap);

/* Lists, in name order; returns how many were written to out (at most cap). */
uint32_t ps_snapshot_lists(ps_snapshot *snap, ps_list_info *out, uint32_t cap);
int ps_snapshot_list(ps_snapshot *snap, const char *name, ps_list_info *out);

/* One document index record. */
typedef struct ps_doc_ref {
    uint64_t entry;    /* entry number */
    uint16_t document; /* index into the entry's documents */
    char issuer[4];    /* alpha-3 or "" */
} ps_doc_ref;

/* Calls fn for every pattern document whose pattern matches the whole canonical number key
 * (Hyperscan; the database is compiled at import and stored with the lists). */
int ps_snapshot_doc_patterns(ps_snapshot *snap, const char *key, size_t key_len,
                             void (*fn)(void *ctx, const ps_doc_ref *ref), void *ctx);

/* Calls fn for every name pattern that matches the whole of name — a traveller's normalized
 * name, surname tokens then given-name tokens, one space between (MARTINEZ JULIO XAVIER);
 * ref->document is the index into the entry's name_patterns, ref->issuer is empty. */
int ps_snapshot_name_patterns(ps_snapshot *snap, const char *name, size_t len,
                              void (*fn)(void *ctx, const ps_doc_ref *ref), void *ctx);
/* Whether the lists hold any name pattern (a traveller need not be joined up for them). */
bool ps_snapshot_has_name_patterns(ps_snapshot *snap);

/* Calls fn for every record under key in docs (confusable = false) or docs_cf (true), in
 * entry number order. Returns PS_STORE_OK whether or not the key was there. */
int ps_snapshot_docs(ps_snapshot *snap, bool confusable, const char *key, size_t key_len,
                     void (*fn)(void *ctx, const ps_doc_ref *ref), void *ctx);
/* Both keys of one document number (cf_key its confusable fold, ps_docnum_confusable):
 * fn(ctx, ref, false) for every record under key in docs, then fn(ctx, ref, true) for every one
 * under cf_key in docs_cf. Every record of a number is also one of its fold's, so docs is read
 * only when docs_cf holds the fold (most numbers screened are on no list: one lookup, not
 * two). Returns PS_STORE_OK whether or not the keys were there. */
int ps_snapshot_docs_both(ps_snapshot *snap, const char *key, size_t key_len, const char *cf_key,
                          size_t cf_len,
                          void (*fn)(void *ctx, const ps_doc_ref *ref, bool confusable),
                          void *ctx);

/* ---- the name index ----
 * Every name of every entry is kept normalized (name_forms) and indexed by its tokens: keys
 * are one kind byte and text ('T' token, 'S' consonant skeleton, 'V' vowel outline — see
 * engine/name_keys.h); each value is a ps_name_ref. */

#define PS_NAME_REF_NONE     0xFF
#define PS_NAME_YEAR_SEVERAL 0x8000

typedef struct ps_name_ref {
    uint64_t entry;
    uint8_t name;        /* index into the entry's names */
    uint8_t token;       /* index of the token in that name's form */
    uint8_t other;       /* pair and initial keys: the form's other token; else PS_NAME_REF_NONE */
    uint8_t form;        /* which form (reading) of the name */
    uint16_t birth_year; /* the entry's first birth year, 0 when it has none; with
                          * PS_NAME_YEAR_SEVERAL set when it has more than one birth date */
    uint16_t need;       /* the form's main tokens (bit i: token i): surname tokens, the first
                          * given name, every token of a full name — not particles, initials or
                          * middle names; tokens past the 16th are not in it */
    /* The form's other main tokens (need without token), the first PS_NAME_MATES by position:
     * each one's reading hash (ps_name_reading_hash; 0 where there is none), and whether the
     * form has more: screening sees whether a name it reached through this token holds a
     * token of the same reading as one of the traveller's without a key for the pair. */
    uint16_t mates[3];
    bool more_mates;
} ps_name_ref;
#define PS_NAME_MATES    3
#define PS_NAME_REF_SIZE 22 /* bytes of one stored reference (ps_name_postings.data) */

/* A key's references as stored (by year group, then entry): valid until ps_snapshot_end. */
typedef struct ps_name_postings {
    const unsigned char *data;
    uint32_t count;
    /* the year of every PS_NAME_YEAR_STRIDE-th reference (two bytes each, as the references
     * hold it), when the list is longer than that: where a window of years begins is found in
     * them (ps_name_postings_from_year_many); NULL: none */
    const unsigned char *samples;
} ps_name_postings;
#define PS_NAME_YEAR_STRIDE 8

/* Finds key's references (count 0 when it has none; remembered by the snapshot); PS_STORE_IO
 * when the index cannot be read. */
int ps_snapshot_name_postings(ps_snapshot *snap, const char *key, size_t key_len,
                              ps_name_postings *out);
/* Where a lookup of a batch looks: the name index (a key's references), the vocabulary (a
 * deletion key, ps_name_deletions: the listed tokens that have it), the neighbours (a listed
 * token of the vocabulary: every other listed token the vocabulary lookups of its deletions
 * would find, in one list) or the neighbours' references ('N' and a listed token: the
 * references of its own 'T' key and of those of its neighbours that screening pairs with it — a
 * token similarity of 0.70 or more — in one list). */
enum { PS_NAME_INDEX = 0, PS_NAME_VOCABULARY, PS_NAME_NEIGHBOURS, PS_NAME_NEAR_REFS };
/* One lookup of a batch (ps_snapshot_name_lookup); the tokens of a vocabulary or neighbours
 * lookup are read with ps_name_lookup_next. */
typedef struct ps_name_lookup {
    const char *key; /* valid during the call */
    size_t key_len;
    uint8_t index;         /* PS_NAME_INDEX, PS_NAME_VOCABULARY or PS_NAME_NEIGHBOURS */
    ps_name_postings refs; /* out: the key's references, or its tokens */
    size_t bytes;          /* out, tokens: the bytes they may take at most */
} ps_name_lookup;
/* Looks up n keys together, in steps each taken for every key before the next, so that their
 * waits for memory overlap instead of following one another. Name keys are remembered by the
 * snapshot as ps_snapshot_name_postings remembers them. PS_STORE_OK or PS_STORE_IO. */
int ps_snapshot_name_lookup(ps_snapshot *snap, ps_name_lookup *l, size_t n);
/* Steps through the tokens of a vocabulary or neighbours lookup: true and the next token, false
 * at the end. */
bool ps_name_lookup_next(ps_name_lookup *l, const char **tok, size_t *len);
/* The vocabulary's deletion keys of tok (PS_NAME_DELETIONS_MAX of PS_NAME_DELETION_LEN bytes at
 * most): tok itself, then each distinct single-letter deletion; none for a token shorter than
 * min_len or longer than PS_NAME_DELETION_LEN. Returns how many. */
#define PS_NAME_DELETION_LEN  48
#define PS_NAME_DELETIONS_MAX (PS_NAME_DELETION_LEN + 1)
size_t ps_name_deletions(const char *tok, size_t len, size_t min_len,
                         char out[][PS_NAME_DELETION_LEN], uint8_t *lens);
/* Starts loading p's references: all of a short list (up to 32), the first of a longer one
 * (which is searched by year before it is read). */
void ps_name_postings_prefetch(const ps_name_postings *p);
/* Reference i (< count) of p; inline, since screening reads every reference it expands (the
 * layout is engine/store_names.c's). */
static inline void ps_name_postings_get(const ps_name_postings *p, uint32_t i, ps_name_ref *out)
{
    const unsigned char *r = p->data + (size_t)i * PS_NAME_REF_SIZE;
    out->entry = (uint64_t)r[2] << 40 | (uint64_t)r[3] << 32 | (uint64_t)r[4] << 24 |
                 (uint64_t)r[5] << 16 | (uint64_t)r[6] << 8 | r[7];
    out->name = r[8];
    out->token = r[9];
    out->other = r[10];
    out->form = r[11] & 0x7F;
    out->more_mates = (r[11] & 0x80) != 0;
    out->birth_year = (uint16_t)(r[12] << 8 | r[13]);
    out->need = (uint16_t)(r[14] << 8 | r[15]);
    for (int m = 0; m < PS_NAME_MATES; m++)
        out->mates[m] = (uint16_t)(r[16 + 2 * m] << 8 | r[17 + 2 * m]);
}
/* Its birth_year alone (what screening looks at first). */
static inline uint16_t ps_name_postings_year(const ps_name_postings *p, uint32_t i)
{
    const unsigned char *r = p->data + (size_t)i * PS_NAME_REF_SIZE;
    return (uint16_t)(r[12] << 8 | r[13]);
}
/* References come grouped by year: first those of entries with no birth date or several, then
 * by the one birth year, ascending. The index of the first reference of year `year` or later
 * (year 1: the first with one known year; count when none). */
uint32_t ps_name_postings_from_year(const ps_name_postings *p, uint16_t year);
/* The same for n lists at once, their searches stepping together so that their reads overlap:
 * from[i] for p[i]. A list with samples (ps_name_postings.samples) is searched in them first,
 * then among the PS_NAME_YEAR_STRIDE references they leave. */
void ps_name_postings_from_year_many(const ps_name_postings *const *p, size_t n, uint16_t year,
                                     uint32_t *from);
/* How many references key has (0 when absent, or when the index cannot be read). */
size_t ps_snapshot_name_count(ps_snapshot *snap, const char *key, size_t key_len);
/* Calls fn for each distinct token of the lists one deletion away from tok or from one of tok's
 * single-letter deletions (so within two edits, and every token one edit away), tok itself
 * included when it is listed; a token may come more than once. The vocabulary holds the tokens
 * of PS_VOCAB_MIN_LEN letters or more; a token one letter shorter finds those one letter
 * longer. Stops early when fn returns false. */
#define PS_VOCAB_MIN_LEN 4
int ps_snapshot_name_neighbours(ps_snapshot *snap, const char *tok, size_t len,
                                bool (*fn)(void *ctx, const char *tok, size_t len), void *ctx);
/* Entry n's normalized names (a name_keys.h block), valid until ps_snapshot_end. */
int ps_snapshot_name_forms(ps_snapshot *snap, uint64_t n, const unsigned char **data, size_t *len);
/* The same for count entries at once (their reads overlap): data[i] NULL (len[i] 0) for an
 * entry with none. PS_STORE_OK, or PS_STORE_IO when the store cannot be read. */
int ps_snapshot_name_forms_many(ps_snapshot *snap, const uint64_t *n, size_t count,
                                const unsigned char **data, size_t *len);
/* The number of entries in every list (for token rarity). */
uint64_t ps_snapshot_total_entries(ps_snapshot *snap);
/* The lowest match threshold of any list (1 when there is none), read once per snapshot. */
double ps_snapshot_min_threshold(ps_snapshot *snap);
/* Memory screening keeps with a snapshot (what it learned that stays true while the snapshot
 * lives): NULL until set; ps_snapshot_end calls free_fn on it. */
void *ps_snapshot_memo(ps_snapshot *snap);
void ps_snapshot_set_memo(ps_snapshot *snap, void *memo, void (*free_fn)(void *));

/* Decodes entry number n; strings point into the snapshot (valid until ps_snapshot_end),
 * arrays are allocated in arena. *list_version is the entry's list version when it was last
 * written (the entry's own version). */
int ps_snapshot_entry(ps_snapshot *snap, uint64_t n, ps_arena *arena, ps_wl_entry *out,
                      uint64_t *entry_version);

/* The entry number of list + id, or PS_STORE_NOT_FOUND. */
int ps_snapshot_find(ps_snapshot *snap, ps_str list, ps_str id, uint64_t *entry);

/* Calls fn for every entry of every list in entry number order (for building in-memory
 * indexes). The entry's strings point into the snapshot; its arrays live only until fn
 * returns. A non-zero return from fn stops the walk and is returned. */
int ps_snapshot_foreach_entry(ps_snapshot *snap,
                              int (*fn)(void *ctx, uint64_t n, const ps_wl_entry *e,
                                        uint64_t entry_version),
                              void *ctx);

#endif
