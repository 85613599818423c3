/* engine/batch_store.c — the server's durable intake (paxscreen/batch_store.h): batches, their
 * bodies, content hashes, the pending set and the hit log, in one LMDB environment.
 *
 * Invariants kept here:
 *   - a batch id is in `pending` exactly while its record says received;
 *   - `hashes` holds, under format + XXH3-128 of the body, the id of every batch with that
 *     hash (sorted duplicates); a duplicate is found by comparing bodies, never by hash alone;
 *   - `hits` keys are consecutive cursors 1..N; a batch's hits are written in the same
 *     transaction that moves it out of received, so they are never written twice;
 *   - ids and cursors come from the last key of their database inside the write
 *     transaction (LMDB has one writer at a time), so they only grow.
 * Durability: the environment is opened without MDB_NOSYNC/MDB_NOMETASYNC, so every commit
 * is flushed to disk before mdb_txn_commit returns.
 * Batch records are a fixed header in host byte order (the file never leaves this machine)
 * followed by the failure reason. */
#include "paxscreen/batch_store.h"
#include "paxscreen/bytes.h"
#include "paxscreen/diag.h"
#include "paxscreen/hit_review.h"

#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <xxhash.h>

struct ps_batch_store {
    MDB_env *env;
    MDB_dbi batches, bodies, hashes, pending, hits;
    MDB_dbi decisions, hit_status, audit, suppress, hit_ids; /* engine/hit_review.c's */
    MDB_dbi stats; /* border statistics: counts by day, dimension and value */
};

/* A batch record: this struct, then reason_len bytes of reason (and a NUL when finished),
 * then submitter_len bytes naming who submitted it (the last bytes of the value; records
 * written before submitters were kept have 0 there). */
typedef struct batch_rec {
    uint8_t status, format;
    uint16_t submitter_len;
    uint32_t travellers;
    uint32_t n_hits;
    uint32_t reason_len;
    uint64_t received_ms, screened_ms, body_bytes, first_cursor;
    unsigned char hash[16];
} batch_rec;

const char *ps_batch_status_name(ps_batch_status s)
{
    switch (s) {
    case PS_BATCH_RECEIVED:
        return "received";
    case PS_BATCH_SCREENED:
        return "screened";
    case PS_BATCH_FAILED:
        return "failed";
    default:
        return "unknown";
    }
}

const char *ps_batch_format_name(ps_batch_format f)
{
    switch (f) {
    case PS_BATCH_JSON:
        return "json";
    case PS_BATCH_PAXLST:
        return "paxlst";
    default:
        return "unknown";
    }
}

static int mdb_fail(int rc, const char *what, char *err, size_t errlen)
{
    return ps_errorf(err, errlen, rc == MDB_MAP_FULL ? PS_BSTORE_FULL : PS_BSTORE_IO,
                     "batch store: %s: %s", what, mdb_strerror(rc));
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int ps_batch_store_open(const char *dir, uint64_t map_size, ps_batch_store **out, char *err,
                        size_t errlen)
{
    *out = NULL;
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT)
            return ps_errorf(err, errlen, PS_BSTORE_IO, "batch store: %s: %s", dir,
                             strerror(errno));
        if (mkdir(dir, 0770) != 0 && errno != EEXIST)
            return ps_errorf(err, errlen, PS_BSTORE_IO, "batch store: creating %s: %s", dir,
                             strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
        return ps_errorf(err, errlen, PS_BSTORE_IO, "batch store: %s: not a directory", dir);
    }
    ps_batch_store *bs = calloc(1, sizeof *bs);
    if (!bs)
        return ps_errorf(err, errlen, PS_BSTORE_IO, "batch store: out of memory");
    int rc = mdb_env_create(&bs->env);
    if (rc == 0)
        rc = mdb_env_set_maxdbs(bs->env, 16);
    if (rc == 0)
        rc = mdb_env_set_mapsize(bs->env, map_size ? map_size : (uint64_t)4 << 30);
    if (rc == 0)
        rc = mdb_env_set_maxreaders(bs->env, 510);
    if (rc == 0)
        rc = mdb_env_open(bs->env, dir, MDB_NOTLS, 0660);
    if (rc != 0) {
        int code = ps_errorf(err, errlen, PS_BSTORE_IO, "batch store: opening %s: %s", dir,
                             mdb_strerror(rc));
        mdb_env_close(bs->env);
        free(bs);
        return code;
    }
    MDB_txn *txn;
    rc = mdb_txn_begin(bs->env, NULL, 0, &txn);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "batches", MDB_CREATE, &bs->batches);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "bodies", MDB_CREATE, &bs->bodies);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "hashes", MDB_CREATE | MDB_DUPSORT, &bs->hashes);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "pending", MDB_CREATE, &bs->pending);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "hits", MDB_CREATE, &bs->hits);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "decisions", MDB_CREATE, &bs->decisions);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "hit_status", MDB_CREATE, &bs->hit_status);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "audit", MDB_CREATE, &bs->audit);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "suppress", MDB_CREATE, &bs->suppress);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "hit_ids", MDB_CREATE, &bs->hit_ids);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "stats", MDB_CREATE, &bs->stats);
    if (rc == 0)
        rc = mdb_txn_commit(txn);
    else
        mdb_txn_abort(txn);
    if (rc != 0) {
        int code = mdb_fail(rc, "opening its databases", err, errlen);
        mdb_env_close(bs->env);
        free(bs);
        return code;
    }
    *out = bs;
    return PS_BSTORE_OK;
}

/* The environment and databases engine/hit_review.c works in (paxscreen/hit_review.h). */
void ps_batch_store_review_dbs(ps_batch_store *bs, ps_review_dbs *out)
{
    out->env = bs->env;
    out->hits = bs->hits;
    out->decisions = bs->decisions;
    out->hit_status = bs->hit_status;
    out->audit = bs->audit;
    out->suppress = bs->suppress;
    out->hit_ids = bs->hit_ids;
}

int ps_batch_store_purge(ps_batch_store *bs, uint64_t before_ms, uint64_t *batches, uint64_t *hits,
                         char *err, size_t errlen)
{
    *batches = *hits = 0;
    uint64_t next = 1; /* the first batch id not yet looked at */
    for (;;) {
        MDB_txn *txn;
        int rc = mdb_txn_begin(bs->env, NULL, 0, &txn);
        if (rc != 0)
            return mdb_fail(rc, "starting a write", err, errlen);
        MDB_cursor *cur;
        rc = mdb_cursor_open(txn, bs->batches, &cur);
        if (rc != 0) {
            mdb_txn_abort(txn);
            return mdb_fail(rc, "purging", err, errlen);
        }
        unsigned char key[8];
        ps_put_be64(key, next);
        MDB_val k = {8, key}, v;
        rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
        uint32_t looked = 0;
        bool end = false;
        while (rc == 0 && looked < 1000) {
            batch_rec r;
            uint64_t id = ps_get_be64(k.mv_data);
            next = id + 1;
            looked++;
            if (v.mv_size >= sizeof r) {
                memcpy(&r, v.mv_data, sizeof r);
                MDB_val bk = {8, k.mv_data};
                if (r.status != PS_BATCH_RECEIVED && r.received_ms < before_ms &&
                    mdb_del(txn, bs->bodies, &bk, NULL) == 0) {
                    (*batches)++;
                    for (uint32_t i = 0; i < r.n_hits && rc == 0; i++) {
                        unsigned char hk[8];
                        ps_put_be64(hk, r.first_cursor + i);
                        MDB_val hv = {8, hk};
                        rc = mdb_del(txn, bs->hits, &hv, NULL);
                        if (rc == 0)
                            (*hits)++;
                        else if (rc == MDB_NOTFOUND)
                            rc = 0;
                    }
                }
            }
            if (rc == 0)
                rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
        }
        if (rc == MDB_NOTFOUND) {
            rc = 0;
            end = true;
        }
        mdb_cursor_close(cur);
        if (rc != 0) {
            mdb_txn_abort(txn);
            return mdb_fail(rc, "purging", err, errlen);
        }
        rc = mdb_txn_commit(txn);
        if (rc != 0)
            return mdb_fail(rc, "committing a purge", err, errlen);
        if (end)
            return PS_BSTORE_OK;
    }
}

int ps_batch_store_stats(ps_batch_store *bs, uint32_t from_day, uint32_t to_day, char dim,
                         void (*fn)(void *ctx, uint32_t day, const char *value, size_t len,
                                    uint64_t count),
                         void *ctx, char *err, size_t errlen)
{
    MDB_txn *txn;
    int rc = mdb_txn_begin(bs->env, NULL, MDB_RDONLY, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a read", err, errlen);
    MDB_cursor *cur;
    rc = mdb_cursor_open(txn, bs->stats, &cur);
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, "reading the statistics", err, errlen);
    }
    unsigned char start[5];
    for (uint32_t day = from_day; rc == 0 && day <= to_day; day++) {
        for (int i = 0; i < 4; i++)
            start[i] = (unsigned char)(day >> (24 - 8 * i));
        start[4] = (unsigned char)dim;
        MDB_val k = {5, start}, v;
        rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
        while (rc == 0 && k.mv_size >= 5 && memcmp(k.mv_data, start, 5) == 0) {
            if (v.mv_size == 8)
                fn(ctx, day, (const char *)k.mv_data + 5, k.mv_size - 5, ps_get_le64(v.mv_data));
            rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
        }
        if (rc == MDB_NOTFOUND)
            rc = 0;
        if (day == UINT32_MAX)
            break;
    }
    mdb_cursor_close(cur);
    mdb_txn_abort(txn);
    return rc ? mdb_fail(rc, "reading the statistics", err, errlen) : PS_BSTORE_OK;
}

void ps_batch_store_close(ps_batch_store *bs)
{
    if (!bs)
        return;
    mdb_env_close(bs->env);
    free(bs);
}

/* The last u64 key of dbi (0 when empty). */
static int last_key(MDB_txn *txn, MDB_dbi dbi, uint64_t *out)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, dbi, &c);
    if (rc != 0)
        return rc;
    MDB_val k, v;
    rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    *out = 0;
    if (rc == 0 && k.mv_size == 8)
        *out = ps_get_be64(k.mv_data);
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static void hash_key(ps_batch_format format, const unsigned char hash[16], unsigned char out[17])
{
    out[0] = (unsigned char)format;
    memcpy(out + 1, hash, 16);
}

/* The id of an earlier batch with this hash key whose body is byte for byte the same (0 when
 * none). The hash only finds candidates: bodies are compared, so a hash collision (XXH3 is
 * not a cryptographic hash) can never pass a new batch off as a duplicate of another. */
static int read_rec(MDB_txn *txn, ps_batch_store *bs, uint64_t id, batch_rec *r,
                    const char **reason, ps_str *submitter);

/* The id of a batch with this content (hkey: format and hash) from the same submitter, or 0. */
static int find_same_body(MDB_txn *txn, ps_batch_store *bs, MDB_val *hkey, const void *body,
                          size_t len, ps_str submitter, uint64_t *same)
{
    *same = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, bs->hashes, &c);
    if (rc != 0)
        return rc;
    MDB_val k = *hkey, v;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
        if (v.mv_size != 8)
            continue;
        MDB_val bk = {8, v.mv_data}, bv;
        int r2 = mdb_get(txn, bs->bodies, &bk, &bv);
        if (r2 != 0 && r2 != MDB_NOTFOUND) {
            rc = r2;
            break;
        }
        if (r2 == 0 && bv.mv_size == len && (len == 0 || memcmp(bv.mv_data, body, len) == 0)) {
            batch_rec r;
            ps_str by;
            r2 = read_rec(txn, bs, ps_get_be64(v.mv_data), &r, NULL, &by);
            if (r2 != 0 && r2 != MDB_NOTFOUND) {
                rc = r2;
                break;
            }
            if (r2 == 0 && ps_str_eq(by, submitter)) {
                *same = ps_get_be64(v.mv_data);
                break;
            }
        }
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int ps_batch_store_receive(ps_batch_store *bs, ps_batch_format format, const void *body, size_t len,
                           const char *submitter, uint64_t *id, bool *duplicate, char *err,
                           size_t errlen)
{
    *id = 0;
    *duplicate = false;
    if (format != PS_BATCH_JSON && format != PS_BATCH_PAXLST)
        return ps_errorf(err, errlen, PS_BSTORE_INVALID, "batch store: unknown format %d",
                         (int)format);
    ps_str by = {submitter ? submitter : "", submitter ? strlen(submitter) : 0};
    if (by.len >= PS_BATCH_SUBMITTER_MAX)
        return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                         "batch store: a submitter name of %zu bytes (at most %d)", by.len,
                         PS_BATCH_SUBMITTER_MAX - 1);
    XXH128_hash_t h = XXH3_128bits(body, len);
    XXH128_canonical_t canon;
    XXH128_canonicalFromHash(&canon, h);
    unsigned char hkey[17];
    hash_key(format, canon.digest, hkey);

    MDB_txn *txn;
    int rc = mdb_txn_begin(bs->env, NULL, 0, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a write", err, errlen);
    MDB_val k = {sizeof hkey, hkey};
    uint64_t same = 0;
    rc = find_same_body(txn, bs, &k, body, len, by, &same);
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, "looking up the content hash", err, errlen);
    }
    if (same) {
        *id = same;
        *duplicate = true;
        mdb_txn_abort(txn);
        return PS_BSTORE_OK;
    }
    uint64_t last;
    rc = last_key(txn, bs->batches, &last);
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, "finding the next batch id", err, errlen);
    }
    uint64_t n = last + 1;
    unsigned char nkey[8];
    ps_put_be64(nkey, n);

    batch_rec r;
    memset(&r, 0, sizeof r);
    r.status = PS_BATCH_RECEIVED;
    r.format = (uint8_t)format;
    r.received_ms = now_ms();
    r.body_bytes = len;
    r.submitter_len = (uint16_t)by.len;
    memcpy(r.hash, canon.digest, 16);
    unsigned char rec[sizeof r + PS_BATCH_SUBMITTER_MAX];
    memcpy(rec, &r, sizeof r);
    memcpy(rec + sizeof r, by.ptr, by.len);

    MDB_val idk = {8, nkey}, rv = {sizeof r + by.len, rec}, bv = {len, (void *)body},
            idv = {8, nkey}, empty = {0, ""};
    const char *what = "recording the batch";
    rc = mdb_put(txn, bs->batches, &idk, &rv, MDB_APPEND);
    if (rc == 0) {
        what = "storing the body";
        rc = mdb_put(txn, bs->bodies, &idk, &bv, MDB_APPEND);
    }
    if (rc == 0) {
        what = "storing the content hash";
        rc = mdb_put(txn, bs->hashes, &k, &idv, 0);
    }
    if (rc == 0) {
        what = "marking the batch pending";
        rc = mdb_put(txn, bs->pending, &idk, &empty, MDB_APPEND);
    }
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, what, err, errlen);
    }
    rc = mdb_txn_commit(txn);
    if (rc != 0)
        return mdb_fail(rc, "committing the batch", err, errlen);
    *id = n;
    return PS_BSTORE_OK;
}

static int read_rec(MDB_txn *txn, ps_batch_store *bs, uint64_t id, batch_rec *r,
                    const char **reason, ps_str *submitter)
{
    unsigned char nkey[8];
    ps_put_be64(nkey, id);
    MDB_val k = {8, nkey}, v;
    int rc = mdb_get(txn, bs->batches, &k, &v);
    if (rc != 0)
        return rc;
    if (v.mv_size < sizeof *r)
        return MDB_CORRUPTED;
    memcpy(r, v.mv_data, sizeof *r);
    if (v.mv_size < sizeof *r + r->reason_len + r->submitter_len)
        return MDB_CORRUPTED;
    if (reason)
        *reason = (const char *)v.mv_data + sizeof *r;
    if (submitter)
        *submitter =
            (ps_str){(const char *)v.mv_data + v.mv_size - r->submitter_len, r->submitter_len};
    return 0;
}

/* Adds one statistics count inside txn. */
static int add_stat(MDB_txn *txn, const ps_batch_store *bs, const ps_stat_delta *d)
{
    unsigned char key[4 + 1 + 64];
    for (int i = 0; i < 4; i++)
        key[i] = (unsigned char)(d->day >> (24 - 8 * i));
    key[4] = (unsigned char)d->dim;
    size_t len = d->len < 64 ? d->len : 64;
    memcpy(key + 5, d->value, len);
    MDB_val k = {5 + len, key}, v;
    uint64_t count = 0;
    int rc = mdb_get(txn, bs->stats, &k, &v);
    if (rc == 0 && v.mv_size == 8)
        count = ps_get_le64(v.mv_data);
    else if (rc != 0 && rc != MDB_NOTFOUND)
        return rc;
    unsigned char out[8];
    ps_put_le64(out, count + d->add);
    v = (MDB_val){8, out};
    return mdb_put(txn, bs->stats, &k, &v, 0);
}

int ps_batch_store_finish(ps_batch_store *bs, uint64_t id, ps_batch_status status,
                          const char *reason, uint32_t travellers, const ps_stored_hit *hits,
                          uint32_t n_hits, uint64_t *first_cursor, bool *already, char *err,
                          size_t errlen)
{
    return ps_batch_store_finish_counted(bs, id, status, reason, travellers, hits, n_hits, NULL, 0,
                                         first_cursor, already, err, errlen);
}

int ps_batch_store_finish_counted(ps_batch_store *bs, uint64_t id, ps_batch_status status,
                                  const char *reason, uint32_t travellers,
                                  const ps_stored_hit *hits, uint32_t n_hits,
                                  const ps_stat_delta *stats, uint32_t n_stats,
                                  uint64_t *first_cursor, bool *already, char *err, size_t errlen)
{
    *first_cursor = 0;
    *already = false;
    if (status != PS_BATCH_SCREENED && status != PS_BATCH_FAILED)
        return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                         "batch store: a batch ends screened or "
                         "failed, not %s",
                         ps_batch_status_name(status));
    MDB_txn *txn;
    int rc = mdb_txn_begin(bs->env, NULL, 0, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a write", err, errlen);
    batch_rec r;
    ps_str by;
    char submitter[PS_BATCH_SUBMITTER_MAX]; /* copied: the writes below may move the record */
    rc = read_rec(txn, bs, id, &r, NULL, &by);
    if (rc == 0 && by.len >= sizeof submitter)
        rc = MDB_CORRUPTED;
    if (rc == 0)
        memcpy(submitter, by.ptr, by.len);
    if (rc == MDB_NOTFOUND) {
        mdb_txn_abort(txn);
        return ps_errorf(err, errlen, PS_BSTORE_NOT_FOUND, "batch store: no batch %llu",
                         (unsigned long long)id);
    }
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, "reading the batch", err, errlen);
    }
    if (r.status != PS_BATCH_RECEIVED) {
        mdb_txn_abort(txn);
        *already = true;
        return PS_BSTORE_OK;
    }
    uint64_t cursor;
    rc = last_key(txn, bs->hits, &cursor);
    const char *what = "finding the next hit cursor";
    uint64_t first = cursor + 1;
    for (uint32_t i = 0; rc == 0 && i < n_hits; i++) {
        unsigned char ck[8];
        ps_put_be64(ck, ++cursor);
        MDB_val k = {8, ck}, v = {hits[i].len, (void *)hits[i].json};
        what = "storing a hit";
        rc = mdb_put(txn, bs->hits, &k, &v, MDB_APPEND);
    }
    size_t rlen = reason ? strnlen(reason, 255) : 0;
    unsigned char *buf = malloc(sizeof r + rlen + 1 + by.len);
    if (rc == 0 && !buf) {
        mdb_txn_abort(txn);
        return ps_errorf(err, errlen, PS_BSTORE_IO, "batch store: out of memory");
    }
    if (rc == 0) {
        r.status = (uint8_t)status;
        r.screened_ms = now_ms();
        r.travellers = travellers;
        r.n_hits = n_hits;
        r.first_cursor = n_hits ? first : 0;
        r.reason_len = (uint32_t)rlen;
        memcpy(buf, &r, sizeof r);
        if (rlen)
            memcpy(buf + sizeof r, reason, rlen);
        buf[sizeof r + rlen] = '\0';
        memcpy(buf + sizeof r + rlen + 1, submitter, by.len);
        unsigned char nkey[8];
        ps_put_be64(nkey, id);
        MDB_val k = {8, nkey}, v = {sizeof r + rlen + 1 + by.len, buf};
        what = "updating the batch";
        rc = mdb_put(txn, bs->batches, &k, &v, 0);
        if (rc == 0) {
            what = "clearing the pending mark";
            rc = mdb_del(txn, bs->pending, &k, NULL);
            if (rc == MDB_NOTFOUND)
                rc = 0;
        }
    }
    free(buf);
    for (uint32_t i = 0; rc == 0 && i < n_stats; i++) {
        what = "adding to the statistics";
        rc = add_stat(txn, bs, &stats[i]);
    }
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, what, err, errlen);
    }
    rc = mdb_txn_commit(txn);
    if (rc != 0)
        return mdb_fail(rc, "committing the batch's hits", err, errlen);
    *first_cursor = n_hits ? first : 0;
    return PS_BSTORE_OK;
}

int ps_batch_store_get(ps_batch_store *bs, uint64_t id, ps_batch_info *out, char *err,
                       size_t errlen)
{
    memset(out, 0, sizeof *out);
    MDB_txn *txn;
    int rc = mdb_txn_begin(bs->env, NULL, MDB_RDONLY, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a read", err, errlen);
    batch_rec r;
    const char *reason = NULL;
    ps_str by = {"", 0};
    rc = read_rec(txn, bs, id, &r, &reason, &by);
    if (rc == 0) {
        size_t sn = by.len < sizeof out->submitter ? by.len : sizeof out->submitter - 1;
        memcpy(out->submitter, by.ptr, sn);
        out->submitter[sn] = '\0';
        out->id = id;
        out->status = (ps_batch_status)r.status;
        out->format = (ps_batch_format)r.format;
        out->received_ms = r.received_ms;
        out->screened_ms = r.screened_ms;
        out->body_bytes = r.body_bytes;
        out->travellers = r.travellers;
        out->n_hits = r.n_hits;
        out->first_cursor = r.first_cursor;
        memcpy(out->hash, r.hash, 16);
        size_t n = r.reason_len < sizeof out->reason ? r.reason_len : sizeof out->reason - 1;
        memcpy(out->reason, reason, n);
        out->reason[n] = '\0';
    }
    mdb_txn_abort(txn);
    if (rc == MDB_NOTFOUND)
        return ps_errorf(err, errlen, PS_BSTORE_NOT_FOUND, "no batch %llu", (unsigned long long)id);
    return rc ? mdb_fail(rc, "reading the batch", err, errlen) : PS_BSTORE_OK;
}

int ps_batch_store_body(ps_batch_store *bs, uint64_t id, char **body, size_t *len, char *err,
                        size_t errlen)
{
    *body = NULL;
    *len = 0;
    MDB_txn *txn;
    int rc = mdb_txn_begin(bs->env, NULL, MDB_RDONLY, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a read", err, errlen);
    unsigned char nkey[8];
    ps_put_be64(nkey, id);
    MDB_val k = {8, nkey}, v;
    rc = mdb_get(txn, bs->bodies, &k, &v);
    if (rc == 0) {
        *body = malloc(v.mv_size ? v.mv_size : 1);
        if (*body) {
            memcpy(*body, v.mv_data, v.mv_size);
            *len = v.mv_size;
        }
    }
    mdb_txn_abort(txn);
    if (rc == MDB_NOTFOUND)
        return ps_errorf(err, errlen, PS_BSTORE_NOT_FOUND, "no body for batch %llu",
                         (unsigned long long)id);
    if (rc != 0)
        return mdb_fail(rc, "reading the body", err, errlen);
    if (!*body)
        return ps_errorf(err, errlen, PS_BSTORE_IO, "batch store: out of memory");
    return PS_BSTORE_OK;
}

size_t ps_batch_store_pending(ps_batch_store *bs, uint64_t *ids, size_t cap, char *err,
                              size_t errlen)
{
    MDB_txn *txn;
    int rc = mdb_txn_begin(bs->env, NULL, MDB_RDONLY, &txn);
    if (rc != 0) {
        mdb_fail(rc, "starting a read", err, errlen);
        return 0;
    }
    MDB_cursor *c;
    size_t n = 0;
    rc = mdb_cursor_open(txn, bs->pending, &c);
    if (rc == 0) {
        MDB_val k, v;
        for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0 && n < cap;
             rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
            if (k.mv_size == 8)
                ids[n++] = ps_get_be64(k.mv_data);
        mdb_cursor_close(c);
    }
    mdb_txn_abort(txn);
    return n;
}

static int walk_hits(ps_batch_store *bs, uint64_t from, uint64_t limit, uint64_t upto,
                     bool (*fn)(void *ctx, uint64_t cursor, const char *json, size_t len),
                     void *ctx, uint64_t *last, char *err, size_t errlen)
{
    MDB_txn *txn;
    int rc = mdb_txn_begin(bs->env, NULL, MDB_RDONLY, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a read", err, errlen);
    MDB_cursor *c;
    rc = mdb_cursor_open(txn, bs->hits, &c);
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, "opening the hit log", err, errlen);
    }
    unsigned char ck[8];
    ps_put_be64(ck, from);
    MDB_val k = {8, ck}, v;
    uint64_t count = 0;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 8)
            continue;
        uint64_t cur = ps_get_be64(k.mv_data);
        if (upto && cur > upto)
            break;
        if (limit && count >= limit)
            break;
        count++;
        if (last)
            *last = cur;
        if (!fn(ctx, cur, v.mv_data, v.mv_size))
            break;
    }
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    if (rc != 0 && rc != MDB_NOTFOUND)
        return mdb_fail(rc, "reading the hit log", err, errlen);
    return PS_BSTORE_OK;
}

int ps_batch_store_hits(ps_batch_store *bs, uint64_t after, uint64_t limit,
                        bool (*fn)(void *ctx, uint64_t cursor, const char *json, size_t len),
                        void *ctx, uint64_t *last, char *err, size_t errlen)
{
    if (after == UINT64_MAX)
        return PS_BSTORE_OK;
    return walk_hits(bs, after + 1, limit, 0, fn, ctx, last, err, errlen);
}

int ps_batch_store_hit_range(ps_batch_store *bs, uint64_t first, uint32_t n,
                             bool (*fn)(void *ctx, uint64_t cursor, const char *json, size_t len),
                             void *ctx, char *err, size_t errlen)
{
    if (n == 0 || first == 0)
        return PS_BSTORE_OK;
    return walk_hits(bs, first, n, first + n - 1, fn, ctx, NULL, err, errlen);
}

uint64_t ps_batch_store_last_cursor(ps_batch_store *bs)
{
    MDB_txn *txn;
    if (mdb_txn_begin(bs->env, NULL, MDB_RDONLY, &txn) != 0)
        return 0;
    uint64_t last = 0;
    last_key(txn, bs->hits, &last);
    mdb_txn_abort(txn);
    return last;
}
