/* paxscreen/batch_store.h — the server's durable intake: every accepted batch (its body, its
 * format, a hash of its content and its status) and every hit found in it, in one LMDB
 * environment of its own (a directory holding data.mdb), separate from the alert store.
 *
 * Promises kept here (paxscreend builds its guarantees on them):
 *   - ps_batch_store_receive returns only after the batch is committed with a synchronous
 *     LMDB commit (fsync): a batch id handed out survives a crash at any later moment.
 *   - A body received again with the same format and content (the same bytes: the hash
 *     finds candidates, the bodies are compared) is not stored twice: the original id is
 *     returned and *duplicate is set.
 *   - ps_batch_store_finish writes a batch's hits and its final status in one transaction,
 *     and only while the batch is still 'received': a batch screened again after a crash
 *     (or twice by mistake) never stores its hits twice.
 *   - Hits get cursors 1, 2, 3 ... in commit order, never reused; a batch's hits are
 *     consecutive. Reading "hits after cursor C" therefore resumes without loss or repeats.
 *
 * Layout (named databases; integer keys big-endian so LMDB orders them numerically):
 *   batches  id (u64)          -> batch record (status, format, times, counts, hash, reason)
 *   bodies   id (u64)          -> the body as received
 *   hashes   format + hash     -> ids (sorted dups) (duplicate detection)
 *   pending  id (u64)          -> ""               (received, not yet screened)
 *   hits     cursor (u64)      -> hit JSON (one object, as ps_json_write_hit writes it)
 *   stats    u32 BE day, dimension byte, value -> u64 LE count (border statistics: see
 *            ps_batch_store_finish_counted; no traveller data, only counts)
 *   decisions, hit_status, audit, suppress, hit_ids
 *            the analysts' decisions on hits, the audit log and suppressions: kept by
 *            engine/hit_review.c (see paxscreen/hit_review.h)
 * Thread safety: one handle per process, shared by all threads; each call is its own
 * transaction (LMDB serializes writers). Every function returns PS_BSTORE_* and, on error, a
 * message in err. */
#ifndef PAXSCREEN_BATCH_STORE_H
#define PAXSCREEN_BATCH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    PS_BSTORE_OK = 0,
    PS_BSTORE_NOT_FOUND = 1,
    PS_BSTORE_IO = 2,      /* LMDB or file system error */
    PS_BSTORE_FULL = 3,    /* the map size is exhausted */
    PS_BSTORE_INVALID = 4, /* a bad argument (status, size) */
};

typedef enum ps_batch_status {
    PS_BATCH_RECEIVED = 1, /* durably recorded, not yet screened */
    PS_BATCH_SCREENED = 2, /* screened; its hits are stored */
    PS_BATCH_FAILED = 3,   /* could not be screened; reason says why */
} ps_batch_status;

typedef enum ps_batch_format {
    PS_BATCH_JSON = 1,
    PS_BATCH_PAXLST = 2,
} ps_batch_format;

const char *ps_batch_status_name(ps_batch_status s); /* "received", "screened", "failed" */
const char *ps_batch_format_name(ps_batch_format f); /* "json", "paxlst" */

#define PS_BATCH_SUBMITTER_MAX 64 /* bytes of a submitter's name, its NUL included */

typedef struct ps_batch_info {
    uint64_t id;
    ps_batch_status status;
    ps_batch_format format;
    uint64_t received_ms; /* Unix time in milliseconds */
    uint64_t screened_ms; /* 0 while received */
    uint64_t body_bytes;
    uint32_t travellers; /* screened travellers (0 while received) */
    uint32_t n_hits;
    uint64_t first_cursor; /* cursor of its first hit (0 when it has none) */
    unsigned char hash[16];
    char reason[256];                       /* why it failed, "" otherwise */
    char submitter[PS_BATCH_SUBMITTER_MAX]; /* who sent it (the token's name), "" unknown */
} ps_batch_info;

typedef struct ps_batch_store ps_batch_store;

/* Opens (creating when absent) the batch store in dir; map_size is the most the file may
 * grow to (0: 4 GiB). */
int ps_batch_store_open(const char *dir, uint64_t map_size, ps_batch_store **out, char *err,
                        size_t errlen);
void ps_batch_store_close(ps_batch_store *bs);

/* Records a body sent by submitter (the name of the caller's token: who may read the batch's
 * status later; NULL or "" for none, shorter than PS_BATCH_SUBMITTER_MAX) with status
 * received and commits it durably; *id is its new id. A body the same submitter sent before
 * (same format and content) is not stored again: *id is the first one's id and *duplicate is
 * true. */
int ps_batch_store_receive(ps_batch_store *bs, ps_batch_format format, const void *body, size_t len,
                           const char *submitter, uint64_t *id, bool *duplicate, char *err,
                           size_t errlen);

/* One hit to store: its JSON text (one object, no newline). */
typedef struct ps_stored_hit {
    const char *json;
    size_t len;
} ps_stored_hit;

/* Ends batch id: status (screened or failed), reason (failed; may be NULL), the travellers
 * screened and its hits, all in one durable transaction. When the batch is no longer received
 * nothing is written and *already is set (it was finished before). *first_cursor gets the
 * first hit's cursor (0 when none). */
int ps_batch_store_finish(ps_batch_store *bs, uint64_t id, ps_batch_status status,
                          const char *reason, uint32_t travellers, const ps_stored_hit *hits,
                          uint32_t n_hits, uint64_t *first_cursor, bool *already, char *err,
                          size_t errlen);

/* One count to add: day (days since 1970-01-01), a dimension (a byte, paxscreen/border_stats.h
 * names them) and its value (at most 64 bytes). */
typedef struct ps_stat_delta {
    uint32_t day;
    char dim;
    char value[65];
    uint8_t len;
    uint64_t add;
} ps_stat_delta;

/* ps_batch_store_finish that also adds the batch's statistics counts, in the same transaction:
 * a batch is counted once, when its hits are stored, never again. */
int ps_batch_store_finish_counted(ps_batch_store *bs, uint64_t id, ps_batch_status status,
                                  const char *reason, uint32_t travellers,
                                  const ps_stored_hit *hits, uint32_t n_hits,
                                  const ps_stat_delta *stats, uint32_t n_stats,
                                  uint64_t *first_cursor, bool *already, char *err, size_t errlen);

/* Calls fn for every count of dimension dim on days from..to (inclusive), in day then value
 * order. */
int ps_batch_store_stats(ps_batch_store *bs, uint32_t from_day, uint32_t to_day, char dim,
                         void (*fn)(void *ctx, uint32_t day, const char *value, size_t len,
                                    uint64_t count),
                         void *ctx, char *err, size_t errlen);

/* Retention: removes the body and the hits of every screened or failed batch received before
 * before_ms — the traveller data. Its record (status, times, counts), the statistics and the
 * analysts' decisions stay. *batches and *hits say how many were removed (a batch already
 * purged counts no more). Commits every 1,000 batches. */
int ps_batch_store_purge(ps_batch_store *bs, uint64_t before_ms, uint64_t *batches, uint64_t *hits,
                         char *err, size_t errlen);

int ps_batch_store_get(ps_batch_store *bs, uint64_t id, ps_batch_info *out, char *err,
                       size_t errlen);

/* Copies batch id's body: *body is malloc'ed (free it), *len its size. */
int ps_batch_store_body(ps_batch_store *bs, uint64_t id, char **body, size_t *len, char *err,
                        size_t errlen);

/* The ids of batches still received (not screened), oldest first, at most cap of them;
 * returns how many were written. */
size_t ps_batch_store_pending(ps_batch_store *bs, uint64_t *ids, size_t cap, char *err,
                              size_t errlen);

/* Calls fn for each hit with a cursor after `after`, in cursor order, at most limit of them
 * (0: no limit); stops early when fn returns false. *last gets the last cursor passed to fn
 * (unchanged when none). */
int ps_batch_store_hits(ps_batch_store *bs, uint64_t after, uint64_t limit,
                        bool (*fn)(void *ctx, uint64_t cursor, const char *json, size_t len),
                        void *ctx, uint64_t *last, char *err, size_t errlen);

/* Calls fn for hits first .. first + n - 1 (a batch's hits). */
int ps_batch_store_hit_range(ps_batch_store *bs, uint64_t first, uint32_t n,
                             bool (*fn)(void *ctx, uint64_t cursor, const char *json, size_t len),
                             void *ctx, char *err, size_t errlen);

/* The last cursor handed out (0 when no hit was ever stored). */
uint64_t ps_batch_store_last_cursor(ps_batch_store *bs);

#endif
