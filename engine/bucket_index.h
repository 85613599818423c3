/* engine/bucket_index.h — inside engine/, not a public header: a multimap from byte-string keys
 * to sets of items, kept as hash buckets in one LMDB database. A key is found with one search
 * of a small tree (a few thousand buckets) — none at all once a reader's view knows the bucket —
 * and one probe of the bucket's slots: no per-key B-tree descent, no sub-database of
 * duplicates.
 * store_names.c keeps the name index and the token vocabulary this way.
 *
 * Database (MDB_INTEGERKEY): bucket number (native unsigned int: the top `bits` bits of the
 * XXH3-64 hash of the key) -> the bucket, a small open-addressing hash table:
 *   u32 LE slots (a power of two), u32 LE n (keys, at most 3/4 of the slots), then the slots,
 *   16 bytes each {u64 LE hash, u32 LE offset, u32 LE count; count 0: an empty slot}, a key in
 *   the first free slot from (its hash mod slots) on, then each key's payload at its offset
 *   from the bucket's start: u8 key length, the key, [its samples,] then its `count` items —
 *   item_size bytes each or, when item_size is 0, u8 length and that many bytes each. A key's
 *   items are distinct and sorted by (length, bytes).
 *   Samples (an index with sample_stride, of fixed-size items): a key of more than
 *   sample_stride items keeps, ahead of them, the first two bytes of every sample_stride-th
 *   item (items 0, stride, 2 stride, ...), ceil(count / stride) of them: where the items of a
 *   given leading pair of bytes begin (a birth year, for the name index) is found in them, and
 *   then among stride items, instead of by a search through all the items.
 * A key with no items has no record; a bucket with no records has no value.
 *
 * Writers queue additions and removals (ps_bi_queue_op) and apply them bucket by bucket
 * (ps_bi_flush): each touched bucket is read and written once per flush, however many of its
 * keys changed — a common key (MOHAMMED) is rewritten once per flush, not once per entry. */
#ifndef PAXSCREEN_ENGINE_BUCKET_INDEX_H
#define PAXSCREEN_ENGINE_BUCKET_INDEX_H

#include "paxscreen/arena.h"

#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PS_BI_MAX_KEY  255
#define PS_BI_MAX_ITEM 255

typedef struct ps_bucket_index {
    MDB_dbi dbi;
    unsigned bits;          /* buckets: 1 << bits, 1..30 */
    size_t item_size;       /* bytes per item; 0: items of 1..255 bytes, each with its length */
    unsigned sample_stride; /* 0, or (items of 2 bytes or more) samples every stride items */
} ps_bucket_index;

/* Samples a key of count items keeps (see the layout above). */
static inline size_t ps_bi_samples(const ps_bucket_index *bi, uint32_t count)
{
    return bi->sample_stride && bi->item_size >= 2 && count > bi->sample_stride
               ? ((size_t)count + bi->sample_stride - 1) / bi->sample_stride
               : 0;
}

/* A key's items as stored: valid for the life of the transaction they were read in. */
typedef struct ps_bi_items {
    const unsigned char *p;
    size_t bytes;
    uint32_t count;
    const unsigned char *samples; /* its samples, two bytes each (NULL: none) */
} ps_bi_items;

uint64_t ps_bi_hash(const void *key, size_t klen);

/* Finds key (whose ps_bi_hash is hash) in txn: 0 and *out set, MDB_NOTFOUND (out empty), or an
 * LMDB code (MDB_CORRUPTED for a bucket that does not parse). */
int ps_bi_get(MDB_txn *txn, const ps_bucket_index *bi, const void *key, size_t klen, uint64_t hash,
              ps_bi_items *out);

/* A reader's view of one index in one read transaction: on first use it learns where every
 * bucket lies with one pass of a cursor (the tree's leaves, not the buckets), and LMDB keeps a
 * read transaction's data in place until it ends, so a snapshot that screens many travellers
 * finds a key with no tree search at all. Zero-initialize with txn and bi set; ps_bi_view_free
 * before the transaction ends. */
typedef struct ps_bi_view {
    MDB_txn *txn;
    const ps_bucket_index *bi;
    struct ps_bi_bucket *buckets; /* 1 << bits, allocated on first use */
} ps_bi_view;

/* ps_bi_get through a view. */
int ps_bi_view_get(ps_bi_view *view, const void *key, size_t klen, uint64_t hash, ps_bi_items *out);

/* One lookup of a batch: several keys are looked up in steps, each step taken for all of them
 * before the next, so that their cache misses overlap instead of following one another —
 * start (the bucket found, the key's first slot asked for), probe (the slot of its hash found,
 * its record asked for), finish (the key compared, the items set). Set view, key, klen and
 * hash; then rc is 0 (found: items), MDB_NOTFOUND, or an LMDB code. The key must stay valid
 * until finish. */
typedef struct ps_bi_lookup {
    ps_bi_view *view;
    const void *key;
    size_t klen;
    uint64_t hash;
    int rc;
    ps_bi_items items;
    /* where the search stands */
    const unsigned char *base;
    uint32_t size, n_slots, slot;
} ps_bi_lookup;
void ps_bi_lookup_start(ps_bi_lookup *l);
void ps_bi_lookup_probe(ps_bi_lookup *l);
void ps_bi_lookup_finish(ps_bi_lookup *l);
/* The three steps over n lookups. */
void ps_bi_view_get_many(ps_bi_lookup *l, size_t n);
void ps_bi_view_free(ps_bi_view *view);

/* Steps through variable-size items (item_size 0): true and the next item, false at the end
 * (or at an item that cannot be one: empty, or longer than the bucket). */
static inline bool ps_bi_next_var(ps_bi_items *it, const unsigned char **item, size_t *len)
{
    if (!it->count || !it->bytes || !it->p[0] || it->p[0] + (size_t)1 > it->bytes)
        return false;
    *len = it->p[0];
    *item = it->p + 1;
    it->p += 1 + *len;
    it->bytes -= 1 + *len;
    it->count--;
    return true;
}

/* Queued changes of one bucket index; zero-initialize, then ps_bi_queue_free. */
typedef struct ps_bi_queue {
    ps_buf ops;  /* struct bi_op records */
    ps_buf data; /* their keys and items */
    uint32_t seq;
} ps_bi_queue;

/* Queues adding (add) or removing item under key. The last queued change of one key and item
 * is the one a flush applies. Returns false for a key or item too long (nothing queued). */
bool ps_bi_queue_op(ps_bi_queue *q, const ps_bucket_index *bi, const void *key, size_t klen,
                    const void *item, size_t ilen, bool add);
size_t ps_bi_queue_bytes(const ps_bi_queue *q); /* memory the queue holds */
void ps_bi_queue_free(ps_bi_queue *q);

/* Called by a flush for each key whose number of items changed: returns 0 or an LMDB code
 * (which stops the flush). */
typedef int (*ps_bi_change_fn)(void *ctx, const unsigned char *key, size_t klen, uint32_t before,
                               uint32_t after);

/* Applies and empties q in txn; fn (may be NULL) hears of every key whose count changed.
 * Returns 0 or an LMDB code; on an error the transaction must be aborted. */
int ps_bi_flush(MDB_txn *txn, const ps_bucket_index *bi, ps_bi_queue *q, ps_bi_change_fn fn,
                void *ctx);

#endif
