/* engine/store_internal.h — inside engine/, not a public header: the store's handles, shared by
 * store.c (lists, entries, records, documents) and store_names.c (the name index). */
#ifndef PAXSCREEN_ENGINE_STORE_INTERNAL_H
#define PAXSCREEN_ENGINE_STORE_INTERNAL_H

#include "bucket_index.h"
#include "paxscreen/store.h"

#include <lmdb.h>

struct ps_store {
    MDB_env *env;
    MDB_dbi meta, lists, entries, records, docs, docs_cf, names, name_forms, name_vocab, name_near,
        name_near_refs, name_blocks, patterns, name_patterns;
    MDB_dbi rules, rule_patterns; /* targeting rules and their databases (engine/rules_store.c) */
    ps_bucket_index name_index, vocab_index, near_index; /* names, name_vocab, name_near */
    ps_bucket_index near_refs_index;                     /* name_near_refs */
    ps_bucket_index blocks_index;                        /* name_blocks */
    ps_bucket_index doc_index[2];                        /* docs, docs_cf */
    bool writable;
    size_t max_key; /* LMDB's key size limit (511 by default) */
};

/* One kind of pattern as a snapshot holds it: the compiled database and what its ids mean. */
enum { PS_PATTERN_DOCUMENTS = 0, PS_PATTERN_NAMES = 1 };
typedef struct ps_pattern_set {
    bool loaded;
    void *db, *scratch;       /* hs_database_t, hs_scratch_t */
    const unsigned char *map; /* Hyperscan id -> (entry, index, issuer) */
    uint32_t count;
} ps_pattern_set;

#define PS_POSTINGS_CACHE 32768 /* name keys remembered per snapshot (a power of two) */
struct ps_postings_slot {
    ps_name_postings refs;
    uint8_t len; /* 0: empty */
    char key[39];
};

struct ps_snapshot {
    ps_store *s;
    MDB_txn *txn;
    ps_bi_view doc_views[2];                      /* docs, docs_cf as read so far */
    ps_bi_view names_view, vocab_view, near_view; /* the name index, vocabulary, neighbours */
    ps_bi_view near_refs_view;                    /* the neighbours' references */
    ps_bi_view blocks_view;                       /* name_blocks */
    uint64_t total_entries; /* every list's entries, counted on first use (0: not yet) */
    double min_threshold;   /* the lowest list threshold, on first use (0: not yet) */
    void *memo;             /* screening's (ps_snapshot_set_memo), freed by memo_free */
    void (*memo_free)(void *);
    /* Name keys already looked up, with where their references are: a snapshot never
     * changes, so what was found once stays true. Direct-mapped slots by a hash of the key,
     * each holding its key (compared, so a crafted name cannot alias another's slot);
     * allocated on first use. */
    struct ps_postings_slot *postings_cache;
    struct ps_name_lookup_state *lookups; /* ps_snapshot_name_lookup's scratch */
    size_t lookups_cap;
    /* The pattern databases (store_patterns.c), each loaded on first use. */
    ps_pattern_set pattern_sets[2]; /* PS_PATTERN_DOCUMENTS, PS_PATTERN_NAMES */
};

/* Copies entry n's name_forms block into out (empty when it has none); an LMDB code. */
int ps_names_copy_block(MDB_txn *txn, const ps_store *s, uint64_t n, ps_buf *out);
/* A writer's queued changes of the name index and vocabulary (zero-initialized). */
typedef struct ps_name_queue {
    ps_bi_queue names, vocab, near, near_refs, blocks;
    ps_buf came_went; /* tokens that joined or left the vocabulary in the flush under way:
                       * u8 1 (joined) or 0, u8 length, the token */
    ps_buf token_refs; /* the queued changes of 'T' keys of vocabulary tokens, in order: u8 1
                        * (add) or 0, u8 length, the token, its PS_NAME_REF_SIZE-byte reference */
} ps_name_queue;

/* add: stores block as entry n's name_forms (nothing for an entry without names) and queues
 * adding its index records; else queues removing the index records of block and removes entry
 * n's name_forms record. year is the entry's first birth year (0 when it has none), carried in
 * every index record. Returns an LMDB code. The index changes take effect at ps_names_flush. */
int ps_names_apply(MDB_txn *txn, const ps_store *s, ps_name_queue *q, const ps_buf *block,
                   uint64_t n, uint16_t year, bool add);
/* Applies q to names (and, through the tokens that came or went, name_vocab and name_near; and
 * through the tokens' changes, name_near_refs) in txn and empties it; an LMDB code. */
int ps_names_flush(MDB_txn *txn, const ps_store *s, ps_name_queue *q);
size_t ps_names_queued(const ps_name_queue *q); /* bytes q holds */
void ps_names_queue_free(ps_name_queue *q);
/* Buckets of each bucket index (names, vocabulary, documents): 1 << PS_INDEX_BUCKET_BITS. */
#define PS_INDEX_BUCKET_BITS 12
/* The year every index record of e carries. */
uint16_t ps_names_year(const ps_wl_entry *e);

/* Document and name patterns (store_patterns.c). validate: every pattern of e compiles (else
 * PS_STORE_INVALID naming it, with Hyperscan's message); remove/add: entry n's pattern records,
 * setting bit 1 << kind of *changed for each kind whose patterns came or went; rebuild:
 * recompiles the databases in meta of the kinds changed names. */
int ps_patterns_validate(const ps_wl_entry *e, char *err, size_t errlen);
int ps_patterns_remove(MDB_txn *txn, const ps_store *s, uint64_t n, unsigned *changed);
int ps_patterns_add(MDB_txn *txn, const ps_store *s, const ps_wl_entry *e, uint64_t n,
                    unsigned *changed);
int ps_patterns_rebuild(MDB_txn *txn, const ps_store *s, unsigned changed, char *err,
                        size_t errlen);
void ps_patterns_free(ps_snapshot *snap);

#endif
