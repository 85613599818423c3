/* paxscreen/hit_review.h — the risk unit's review of stored hits: decisions on a hit, its
 * status, listing hits with filters, and the append-only audit log. Kept in the batch store's
 * LMDB environment (paxscreen/batch_store.h), beside the hit log it refers to, so a decision
 * and its audit entry commit in one durable transaction.
 *
 * Layout (named databases of the batch store; integer keys big-endian):
 *   decisions   cursor (u64) + seq (u64) -> decision record (decision, time, who, note)
 *   hit_status  cursor (u64)             -> latest decision (u8) + its seq (u64)
 *   audit       seq (u64)                -> one audit entry, a JSON object (never rewritten)
 *   hit_ids     hit_id (u64)             -> cursor (u64); key "\0" -> the last cursor indexed
 *   suppress    identity (16) + list + NUL + entry_id
 *                                        -> entry_version (u64), cursor and seq (u64) of the
 *                                           false_positive decision that suppresses, and the
 *                                           end of its validity (u64 ms, 0: none)
 * A decision's seq is the seq of the audit entry that records it, so both only grow, and
 * decisions of a hit are read back in the order they were made. A hit without decisions has
 * status open. Nothing here deletes or rewrites a hit, a decision or an audit entry.
 *
 * Suppression: a traveller's identity is XXH3-128 of their normalized surname and given
 * names (primary ICAO forms), birth date as sent (full or partial) and first document's
 * canonical number (ps_traveller_identity; 32 hex digits, no personal data in clear). paxscreend
 * puts it in every hit it stores ("identity"). A false_positive decision on such a hit records
 * (identity, list, entry_id) -> entry_version; a later hit of the same identity on the same
 * entry at the same version is stored marked "suppressed": {"cursor", "seq"} (the decision's)
 * and has status suppressed until someone decides on it. When the entry's version moves, or
 * the decision's validity (valid_until) ends, the later hits alert again. A later decision other
 * than false_positive on the deciding hit lifts the suppression it made.
 *
 * Listing with filters scans the hit log from a cursor and checks each hit (its JSON is
 * parsed; the batch's received time is read when a time range is given): fine at a national
 * HQ's hit volumes, not an index. A page stops after `limit` matches, or after examining
 * PS_HIT_LIST_SCAN hits (so one request never holds a worker for long); its `next` is the
 * last cursor examined, so paging resumes where the scan stopped, and the end of the log is
 * reached when `next` no longer moves.
 *
 * Every function returns PS_BSTORE_* (NOT_FOUND: no such hit; INVALID: bad input, named in
 * err) and, on error, a message in err naming the place (field or cursor). */
#ifndef PAXSCREEN_HIT_REVIEW_H
#define PAXSCREEN_HIT_REVIEW_H

#include "paxscreen/arena.h"
#include "paxscreen/batch_store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ps_hit_status {
    PS_HIT_OPEN = 0, /* no decision yet */
    PS_HIT_TRUE_MATCH = 1,
    PS_HIT_FALSE_POSITIVE = 2,
    PS_HIT_ESCALATED = 3,
    PS_HIT_SUPPRESSED = 4, /* not a decision: stored suppressed by an earlier false_positive */
} ps_hit_status;

/* Whether s is a decision an analyst may record (true_match, false_positive, escalated). */
bool ps_hit_is_decision(ps_hit_status s);

#define PS_REVIEW_NOTE_MAX 2000 /* bytes of a decision's note */
#define PS_REVIEW_WHO_MAX  127  /* bytes of who decided (a token's or a user's name) */

/* "open", "true_match", "false_positive", "escalated", "suppressed". */
const char *ps_hit_status_name(ps_hit_status s);
/* Any status name above; false for anything else. */
bool ps_hit_status_parse(const char *s, size_t n, ps_hit_status *out);

typedef struct ps_hit_decision {
    uint64_t seq;    /* the audit entry recording it */
    uint64_t cursor; /* the hit decided on */
    uint64_t at_ms;  /* UTC, Unix milliseconds */
    ps_hit_status decision;
    char by[PS_REVIEW_WHO_MAX + 1];
    char note[PS_REVIEW_NOTE_MAX + 1];
    uint64_t valid_until_ms; /* a false_positive suppresses until then (0: no end) */
} ps_hit_decision;

/* Records a decision (true_match, false_positive or escalated; open is not a decision) on
 * hit `cursor`, by `by` (non-empty), with `note` (NULL or at most PS_REVIEW_NOTE_MAX bytes),
 * at at_ms (0: now), and its audit entry, in one synchronous commit. out (may be NULL) gets
 * the decision as stored. NOT_FOUND when there is no such hit. */
int ps_hit_decide(ps_batch_store *bs, uint64_t cursor, ps_hit_status decision, const char *by,
                  const char *note, uint64_t at_ms, ps_hit_decision *out, char *err, size_t errlen);
/* The same with a validity: a false_positive suppresses later hits until valid_until_ms (UTC,
 * Unix milliseconds; 0: until the entry changes). */
int ps_hit_decide_until(ps_batch_store *bs, uint64_t cursor, ps_hit_status decision, const char *by,
                        const char *note, uint64_t at_ms, uint64_t valid_until_ms,
                        ps_hit_decision *out, char *err, size_t errlen);

/* The status of a hit (its latest decision, else open). NOT_FOUND when there is no hit. */
int ps_hit_status_get(ps_batch_store *bs, uint64_t cursor, ps_hit_status *out, char *err,
                      size_t errlen);

/* Calls fn with each decision on hit `cursor`, oldest first; stops when fn returns false. */
int ps_hit_decisions(ps_batch_store *bs, uint64_t cursor,
                     bool (*fn)(void *ctx, const ps_hit_decision *d), void *ctx, char *err,
                     size_t errlen);

/* One hit for an analyst, with everything that led to it, and an audit entry (hit_read) by
 * `who`: appends to out {"cursor", ...the stored Hit..., "status", "decisions": [...]}.
 * NOT_FOUND when there is no such hit (nothing is audited then). */
int ps_hit_show(ps_batch_store *bs, uint64_t cursor, const char *who, ps_buf *out, char *err,
                size_t errlen);

/* Appends one decision as JSON: {"seq", "cursor", "decision", "by", "at", "note"}. */
void ps_hit_decision_json(ps_buf *out, const ps_hit_decision *d);

/* ---- listing -------------------------------------------------------------------------- */

#define PS_HIT_LIST_SCAN 100000 /* hits examined per ps_hit_list call, at most */

typedef struct ps_hit_filter {
    bool by_status; /* false: any status */
    ps_hit_status status;
    char list[64];    /* "" any */
    char action[16];  /* "" any; no_board, refer, notify */
    char kind[16];    /* "" any; person, document, rule */
    char flight[16];  /* "" any; carrier and number as one ("XZ877") */
    uint64_t batch;   /* 0 any */
    double min_score; /* 0 any */
    uint64_t from_ms; /* the batch received at or after (0: any) */
    uint64_t to_ms;   /* the batch received before (0: any) */
    uint64_t scan;    /* hits examined per call at most (0: PS_HIT_LIST_SCAN); not a filter */
} ps_hit_filter;

void ps_hit_filter_init(ps_hit_filter *f); /* no filter: every hit (as all zero bytes) */
bool ps_hit_filter_active(const ps_hit_filter *f);
/* Sets one filter from its query or option name: status, list, action, kind, flight, batch,
 * min_score, from, to (times: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] UTC, or Unix ms). Returns 0,
 * -1 when key is not a filter name, or PS_BSTORE_INVALID with err naming the key. Pure. */
int ps_hit_filter_set(ps_hit_filter *f, const char *key, size_t klen, const char *val, size_t vlen,
                      char *err, size_t errlen);

/* Calls fn for each hit after cursor `after` that passes f, in cursor order, at most limit
 * (0: no limit) of them; stops early when fn returns false. *next gets the last cursor
 * examined (after, when none). */
int ps_hit_list(ps_batch_store *bs, const ps_hit_filter *f, uint64_t after, uint64_t limit,
                bool (*fn)(void *ctx, uint64_t cursor, ps_hit_status status, const char *json,
                           size_t len),
                void *ctx, uint64_t *next, char *err, size_t errlen);

/* Appends {"cursor", "status", ...the stored Hit...}. */
void ps_hit_listed_json(ps_buf *out, uint64_t cursor, ps_hit_status status, const char *json,
                        size_t len);

/* ---- the audit log -------------------------------------------------------------------- */

/* Calls fn with each audit entry (a JSON object: "seq", "at", "at_ms", "who", "action", and
 * "cursor", "decision", "since", "count" where they apply) with seq after `since`, oldest
 * first, at most limit (0: no limit), then appends an entry (audit_export) recording this
 * export by `who` (pass who NULL to read without recording: tests and tools that only check).
 * *next gets the last seq passed to fn (since, when none). */
int ps_audit_export(ps_batch_store *bs, const char *who, uint64_t since, uint64_t limit,
                    bool (*fn)(void *ctx, uint64_t seq, const char *json, size_t len), void *ctx,
                    uint64_t *next, char *err, size_t errlen);

/* ---- hit ids -------------------------------------------------------------------------- */

/* Whether text is a hit id (exactly 16 lower-case hex digits, as "hit_id" is written) rather
 * than a cursor (cursors never reach 16 digits in practice). */
bool ps_hit_id_like(const char *text, size_t n);

/* The cursor of the hit whose "hit_id" is hit_id. The index (database hit_ids: id (u64) ->
 * cursor, and the last cursor indexed) is brought up to date from the hit log at each look-up,
 * reading only the hits stored since the previous one, so screening never pays for it. When
 * two hits share an id the first is found. NOT_FOUND when no hit has it. */
int ps_hit_find_id(ps_batch_store *bs, const char *hit_id, size_t n, uint64_t *cursor, char *err,
                   size_t errlen);

/* ---- suppression ---------------------------------------------------------------------- */

struct ps_traveller;
#define PS_IDENTITY_HEX 33 /* 32 hex digits and a NUL */
/* The traveller's identity (see above) as 32 lower-case hex digits. */
void ps_traveller_identity(const struct ps_traveller *t, char out[PS_IDENTITY_HEX]);

/* Whether a false_positive decision suppresses a hit of `identity` on list/entry_id at
 * entry_version; when it does, *by_cursor and *by_seq name the deciding hit and decision. */
int ps_hit_suppression_find(ps_batch_store *bs, const char *identity, const char *list,
                            size_t list_len, const char *entry_id, size_t entry_len,
                            uint64_t entry_version, bool *suppressed, uint64_t *by_cursor,
                            uint64_t *by_seq, char *err, size_t errlen);

/* ---- engine-internal: implemented in batch_store.c ------------------------------------- */

/* The batch store's LMDB environment and the databases the review uses (MDB_env and
 * MDB_dbi, kept opaque here so this header needs no lmdb.h). */
typedef struct ps_review_dbs {
    void *env;
    unsigned hits, decisions, hit_status, audit, suppress, hit_ids;
} ps_review_dbs;
void ps_batch_store_review_dbs(ps_batch_store *bs, ps_review_dbs *out);

/* Records a retention purge (ps_batch_store_purge) in the audit log: who, the cutoff, and how
 * many batches and hits lost their traveller data. */
int ps_audit_purge(ps_batch_store *bs, const char *who, uint64_t before_ms, uint64_t batches,
                   uint64_t hits, char *err, size_t errlen);

/* Records a read of several hits in the audit log: who, what ("hits_list", "hits_stream",
 * "batch_read"), from which cursor (or batch) and how many hits were read. */
int ps_audit_read(ps_batch_store *bs, const char *who, const char *action, uint64_t since,
                  uint64_t count, char *err, size_t errlen);

#endif
