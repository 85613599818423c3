/* engine/hit_review.c — the review of stored hits (paxscreen/hit_review.h): decisions, the
 * status each hit has from its latest decision, filtered listing of the hit log, and the
 * append-only audit log, all in the batch store's LMDB environment.
 *
 * Invariants kept here:
 *   - audit keys are 1, 2, 3 ... taken from the last key inside the write transaction that
 *     appends (LMDB has one writer), written with MDB_APPEND and never put again or deleted;
 *   - a decision is written under cursor + the seq of its own audit entry, in the same
 *     transaction as that entry and as hit_status[cursor], so hit_status always names the
 *     decision with the highest seq of that hit;
 *   - nothing here writes to, or deletes from, the hit log.
 * Decision records are written byte by byte (DEC_HEADER below), never as a struct. Audit entries
 * are stored as JSON text. A suppression record is written or lifted in the transaction of the
 * decision that makes or lifts it. */
#include "paxscreen/hit_review.h"

#include "paxscreen/bytes.h"
#include "paxscreen/diag.h"
#include "paxscreen/normalize.h"
#include "paxscreen/record.h"

#include <errno.h>
#include <jansson.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <xxhash.h>

/* A decision record: at_ms (u64), decision (u8), by_len (u8), note_len (u16), all big-endian
 * bytes, then who decided and the note. */
#define DEC_HEADER 12

static const char *const status_names[] = {"open", "true_match", "false_positive", "escalated",
                                           "suppressed"};
#define N_STATUS 5

const char *ps_hit_status_name(ps_hit_status s)
{
    return (unsigned)s < N_STATUS ? status_names[s] : "unknown";
}

bool ps_hit_is_decision(ps_hit_status s)
{
    return s == PS_HIT_TRUE_MATCH || s == PS_HIT_FALSE_POSITIVE || s == PS_HIT_ESCALATED;
}

bool ps_hit_status_parse(const char *s, size_t n, ps_hit_status *out)
{
    for (unsigned i = 0; i < N_STATUS; i++)
        if (strlen(status_names[i]) == n && memcmp(status_names[i], s, n) == 0) {
            *out = (ps_hit_status)i;
            return true;
        }
    return false;
}

static int mdb_fail(int rc, const char *what, char *err, size_t errlen)
{
    return ps_errorf(err, errlen, rc == MDB_MAP_FULL ? PS_BSTORE_FULL : PS_BSTORE_IO,
                     "hit review: %s: %s", what, mdb_strerror(rc));
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* "2026-11-26T18:04:00.123Z" */
static void iso_time(uint64_t ms, char out[32])
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    char text[24];
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%s.%03uZ", text, (unsigned)(ms % 1000));
}

static void append_json(ps_buf *out, json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text) {
        ps_buf_puts(out, text);
        free(text);
    } else {
        ps_buf_puts(out, "null");
    }
}

/* who decided or read: 1..PS_REVIEW_WHO_MAX bytes of valid UTF-8 without control characters */
static bool valid_who(const char *who)
{
    size_t n = who ? strlen(who) : 0;
    if (n == 0 || n > PS_REVIEW_WHO_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)who[i] < 0x20 || who[i] == 0x7f)
            return false;
    json_t *s = json_stringn(who, n);
    json_decref(s);
    return s != NULL;
}

/* ---- the audit log (inside a write transaction) ------------------------------------------ */

typedef struct audit_item {
    uint64_t at_ms;
    const char *who;
    const char *action; /* hit_read, decision, audit_export */
    uint64_t cursor;    /* 0: none */
    const char *decision;
    bool export_range;
    uint64_t since, count;
    bool purge; /* a retention purge: before_ms, and count batches / purged_hits hits */
    uint64_t before_ms, purged_hits;
} audit_item;

static int audit_append(MDB_txn *txn, const ps_review_dbs *d, const audit_item *a,
                        uint64_t *seq_out)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, d->audit, &c);
    if (rc != 0)
        return rc;
    MDB_val k, v;
    uint64_t seq = 1;
    rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
    mdb_cursor_close(c);
    if (rc == 0 && k.mv_size == 8)
        seq = ps_get_be64(k.mv_data) + 1;
    else if (rc != 0 && rc != MDB_NOTFOUND)
        return rc;
    char at[32];
    iso_time(a->at_ms, at);
    json_t *o = json_object();
    json_object_set_new(o, "seq", json_integer((json_int_t)seq));
    json_object_set_new(o, "at", json_string(at));
    json_object_set_new(o, "at_ms", json_integer((json_int_t)a->at_ms));
    json_object_set_new(o, "who", json_string(a->who));
    json_object_set_new(o, "action", json_string(a->action));
    if (a->cursor)
        json_object_set_new(o, "cursor", json_integer((json_int_t)a->cursor));
    if (a->decision)
        json_object_set_new(o, "decision", json_string(a->decision));
    if (a->export_range) {
        json_object_set_new(o, "since", json_integer((json_int_t)a->since));
        json_object_set_new(o, "count", json_integer((json_int_t)a->count));
    }
    if (a->purge) {
        char before[32];
        iso_time(a->before_ms, before);
        json_object_set_new(o, "received_before", json_string(before));
        json_object_set_new(o, "batches", json_integer((json_int_t)a->count));
        json_object_set_new(o, "hits", json_integer((json_int_t)a->purged_hits));
    }
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!text)
        return ENOMEM;
    unsigned char key[8];
    ps_put_be64(key, seq);
    k = (MDB_val){8, key};
    v = (MDB_val){strlen(text), text};
    rc = mdb_put(txn, d->audit, &k, &v, MDB_APPEND);
    free(text);
    if (rc == 0 && seq_out)
        *seq_out = seq;
    return rc;
}

/* ---- hit ids ---------------------------------------------------------------------------- */

bool ps_hit_id_like(const char *text, size_t n)
{
    if (n != 16)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
            return false;
    return true;
}

static uint64_t hex_u64(const char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++)
        v = v << 4 | (uint64_t)(p[i] <= '9' ? p[i] - '0' : p[i] - 'a' + 10);
    return v;
}

/* Indexes every hit stored after the last one indexed (inside a write transaction); *added
 * gets how many cursors were read. */
static int index_hit_ids(MDB_txn *txn, const ps_review_dbs *d, uint64_t *added)
{
    static const char mark[] = "\"hit_id\":\"";
    unsigned char pk = 0, key[8], val[8];
    MDB_val k = {1, &pk}, v;
    uint64_t upto = 0;
    int rc = mdb_get(txn, d->hit_ids, &k, &v);
    if (rc == 0 && v.mv_size == 8)
        upto = ps_get_be64(v.mv_data);
    else if (rc != 0 && rc != MDB_NOTFOUND)
        return rc;
    MDB_cursor *c;
    rc = mdb_cursor_open(txn, d->hits, &c);
    if (rc != 0)
        return rc;
    ps_put_be64(key, upto + 1);
    k = (MDB_val){8, key};
    uint64_t last = upto;
    *added = 0;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 8)
            continue;
        last = ps_get_be64(k.mv_data);
        (*added)++;
        const char *p = memmem(v.mv_data, v.mv_size, mark, sizeof mark - 1);
        size_t off = p ? (size_t)(p - (const char *)v.mv_data) + sizeof mark - 1 : 0;
        if (!p || off + 16 > v.mv_size || !ps_hit_id_like(p + sizeof mark - 1, 16))
            continue;
        unsigned char ik[8];
        ps_put_be64(ik, hex_u64(p + sizeof mark - 1));
        ps_put_be64(val, last);
        MDB_val hk = {8, ik}, hv = {8, val};
        int r2 = mdb_put(txn, d->hit_ids, &hk, &hv, MDB_NOOVERWRITE);
        if (r2 != 0 && r2 != MDB_KEYEXIST) {
            rc = r2;
            break;
        }
    }
    mdb_cursor_close(c);
    if (rc != 0 && rc != MDB_NOTFOUND)
        return rc;
    if (last == upto)
        return 0;
    ps_put_be64(val, last);
    k = (MDB_val){1, &pk};
    v = (MDB_val){8, val};
    return mdb_put(txn, d->hit_ids, &k, &v, 0);
}

int ps_hit_find_id(ps_batch_store *bs, const char *hit_id, size_t n, uint64_t *cursor, char *err,
                   size_t errlen)
{
    *cursor = 0;
    if (!ps_hit_id_like(hit_id, n))
        return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                         "hit_id: 16 lower-case hex digits, as the hit's \"hit_id\"");
    ps_review_dbs d;
    ps_batch_store_review_dbs(bs, &d);
    MDB_txn *txn;
    int rc = mdb_txn_begin(d.env, NULL, 0, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a write", err, errlen);
    uint64_t added = 0;
    rc = index_hit_ids(txn, &d, &added);
    unsigned char key[8];
    ps_put_be64(key, hex_u64(hit_id));
    MDB_val k = {8, key}, v;
    int found = rc == 0 ? mdb_get(txn, d.hit_ids, &k, &v) : rc;
    if (found == 0 && v.mv_size == 8)
        *cursor = ps_get_be64(v.mv_data);
    if (rc == 0 && added)
        rc = mdb_txn_commit(txn);
    else
        mdb_txn_abort(txn);
    if (rc != 0)
        return mdb_fail(rc, "indexing hit ids", err, errlen);
    if (!*cursor)
        return ps_errorf(err, errlen, PS_BSTORE_NOT_FOUND, "hit_id: no hit %.16s", hit_id);
    return PS_BSTORE_OK;
}

/* ---- suppression ------------------------------------------------------------------------- */

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* identity (32 hex) + list + NUL + entry_id; false when it does not fit an LMDB key */
static bool suppress_key(const char *identity, const char *list, size_t ll, const char *entry,
                         size_t el, unsigned char *key, size_t *klen)
{
    if (!identity || strlen(identity) != 32 || 16 + ll + 1 + el > 500)
        return false;
    for (int i = 0; i < 16; i++) {
        int hi = hexval(identity[2 * i]), lo = hexval(identity[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        key[i] = (unsigned char)(hi * 16 + lo);
    }
    memcpy(key + 16, list, ll);
    key[16 + ll] = 0;
    memcpy(key + 17 + ll, entry, el);
    *klen = 17 + ll + el;
    return true;
}

/* A false_positive decision suppresses its hit's identity on the hit's entry at its version;
 * any other decision on the hit that made a suppression lifts it. */
static int update_suppression(MDB_txn *txn, const ps_review_dbs *d, const ps_hit_decision *dec,
                              const char *json, size_t len)
{
    json_t *hit = json_loadb(json, len, 0, NULL);
    if (!hit)
        return 0;
    json_t *list = json_object_get(hit, "list"), *entry = json_object_get(hit, "entry_id");
    json_t *version = json_object_get(hit, "entry_version");
    unsigned char key[512];
    size_t klen;
    int rc = 0;
    if (json_is_string(list) && json_is_string(entry) && json_is_integer(version) &&
        suppress_key(json_string_value(json_object_get(hit, "identity")), json_string_value(list),
                     json_string_length(list), json_string_value(entry), json_string_length(entry),
                     key, &klen)) {
        MDB_val k = {klen, key}, v;
        if (dec->decision == PS_HIT_FALSE_POSITIVE) {
            unsigned char val[32];
            ps_put_be64(val, (uint64_t)json_integer_value(version));
            ps_put_be64(val + 8, dec->cursor);
            ps_put_be64(val + 16, dec->seq);
            ps_put_be64(val + 24, dec->valid_until_ms);
            v = (MDB_val){32, val};
            rc = mdb_put(txn, d->suppress, &k, &v, 0);
        } else if (mdb_get(txn, d->suppress, &k, &v) == 0 && v.mv_size >= 24 &&
                   ps_get_be64((const unsigned char *)v.mv_data + 8) == dec->cursor) {
            rc = mdb_del(txn, d->suppress, &k, NULL);
        }
    }
    json_decref(hit);
    return rc;
}

int ps_hit_suppression_find(ps_batch_store *bs, const char *identity, const char *list,
                            size_t list_len, const char *entry_id, size_t entry_len,
                            uint64_t entry_version, bool *suppressed, uint64_t *by_cursor,
                            uint64_t *by_seq, char *err, size_t errlen)
{
    *suppressed = false;
    unsigned char key[512];
    size_t klen;
    if (!suppress_key(identity, list, list_len, entry_id, entry_len, key, &klen))
        return PS_BSTORE_OK;
    ps_review_dbs d;
    ps_batch_store_review_dbs(bs, &d);
    MDB_txn *txn;
    int rc = mdb_txn_begin(d.env, NULL, MDB_RDONLY, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a read", err, errlen);
    MDB_val k = {klen, key}, v;
    rc = mdb_get(txn, d.suppress, &k, &v);
    uint64_t until =
        rc == 0 && v.mv_size >= 32 ? ps_get_be64((const unsigned char *)v.mv_data + 24) : 0;
    if (rc == 0 && v.mv_size >= 24 && ps_get_be64(v.mv_data) == entry_version &&
        (!until || now_ms() < until)) {
        *suppressed = true;
        *by_cursor = ps_get_be64((const unsigned char *)v.mv_data + 8);
        *by_seq = ps_get_be64((const unsigned char *)v.mv_data + 16);
    }
    mdb_txn_abort(txn);
    if (rc != 0 && rc != MDB_NOTFOUND)
        return mdb_fail(rc, "reading the suppressions", err, errlen);
    return PS_BSTORE_OK;
}

/* Appends the primary normalized form of one name part, then a separator. */
static void identity_name(XXH3_state_t *st, ps_str part)
{
    ps_name_norm n;
    ps_name_normalize(part.ptr ? part.ptr : "", part.len, &n);
    XXH3_128bits_update(st, n.primary.text, n.primary.len);
    XXH3_128bits_update(st, "\x1f", 1);
}

void ps_traveller_identity(const ps_traveller *t, char out[PS_IDENTITY_HEX])
{
    XXH3_state_t *st = XXH3_createState();
    if (!st) {
        out[0] = '\0';
        return;
    }
    XXH3_128bits_reset(st);
    identity_name(st, t->surname);
    identity_name(st, t->given_names);
    char date[17];
    size_t dl = ps_date_format(&t->birth_date, date);
    XXH3_128bits_update(st, date, dl);
    XXH3_128bits_update(st, "\x1f", 1);
    if (t->n_documents && t->documents[0].number.len) {
        const ps_str *num = &t->documents[0].number;
        char *key = malloc(num->len + 1);
        if (key) {
            size_t kl = ps_docnum_canonical(num->ptr, num->len, key);
            XXH3_128bits_update(st, key, kl);
            free(key);
        }
    }
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits_digest(st));
    XXH3_freeState(st);
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", c.digest[i]);
}

/* ---- decisions ---------------------------------------------------------------------------- */

static bool hit_exists(MDB_txn *txn, const ps_review_dbs *d, uint64_t cursor, MDB_val *v, int *rc)
{
    unsigned char key[8];
    ps_put_be64(key, cursor);
    MDB_val k = {8, key};
    *rc = mdb_get(txn, d->hits, &k, v);
    if (*rc == MDB_NOTFOUND) {
        *rc = 0;
        return false;
    }
    return *rc == 0;
}

static int check_decision(uint64_t cursor, ps_hit_status decision, const char *by, const char *note,
                          char *err, size_t errlen)
{
    if (cursor == 0)
        return ps_errorf(err, errlen, PS_BSTORE_NOT_FOUND, "cursor: no hit 0 (cursors start at 1)");
    if (!ps_hit_is_decision(decision))
        return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                         "decision: must be true_match, false_positive or escalated");
    if (!valid_who(by))
        return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                         "by: who decided must be 1 to %d bytes of text", PS_REVIEW_WHO_MAX);
    size_t nl = note ? strlen(note) : 0;
    if (nl > PS_REVIEW_NOTE_MAX)
        return ps_errorf(err, errlen, PS_BSTORE_INVALID, "note: %zu bytes, at most %d", nl,
                         PS_REVIEW_NOTE_MAX);
    if (nl) {
        json_t *s = json_stringn(note, nl);
        json_decref(s);
        if (!s)
            return ps_errorf(err, errlen, PS_BSTORE_INVALID, "note: not valid UTF-8 text");
    }
    return PS_BSTORE_OK;
}

static int put_decision(MDB_txn *txn, const ps_review_dbs *d, const ps_hit_decision *dec)
{
    size_t bl = strlen(dec->by), nl = strlen(dec->note);
    unsigned char buf[DEC_HEADER + PS_REVIEW_WHO_MAX + PS_REVIEW_NOTE_MAX + 8];
    ps_put_be64(buf, dec->at_ms);
    buf[8] = (unsigned char)dec->decision;
    buf[9] = (unsigned char)bl;
    buf[10] = (unsigned char)(nl >> 8);
    buf[11] = (unsigned char)(nl & 0xff);
    memcpy(buf + DEC_HEADER, dec->by, bl);
    memcpy(buf + DEC_HEADER + bl, dec->note, nl);
    unsigned char key[16];
    ps_put_be64(key, dec->cursor);
    ps_put_be64(key + 8, dec->seq);
    ps_put_be64(buf + DEC_HEADER + bl + nl, dec->valid_until_ms); /* after the note */
    MDB_val k = {16, key}, v = {DEC_HEADER + bl + nl + 8, buf};
    int rc = mdb_put(txn, d->decisions, &k, &v, 0);
    if (rc != 0)
        return rc;
    unsigned char st[9];
    st[0] = (unsigned char)dec->decision;
    ps_put_be64(st + 1, dec->seq);
    MDB_val sk = {8, key}, sv = {9, st};
    return mdb_put(txn, d->hit_status, &sk, &sv, 0);
}

int ps_hit_decide(ps_batch_store *bs, uint64_t cursor, ps_hit_status decision, const char *by,
                  const char *note, uint64_t at_ms, ps_hit_decision *out, char *err, size_t errlen)
{
    return ps_hit_decide_until(bs, cursor, decision, by, note, at_ms, 0, out, err, errlen);
}

int ps_hit_decide_until(ps_batch_store *bs, uint64_t cursor, ps_hit_status decision, const char *by,
                        const char *note, uint64_t at_ms, uint64_t valid_until_ms,
                        ps_hit_decision *out, char *err, size_t errlen)
{
    int code = check_decision(cursor, decision, by, note, err, errlen);
    if (code != PS_BSTORE_OK)
        return code;
    ps_review_dbs d;
    ps_batch_store_review_dbs(bs, &d);
    ps_hit_decision dec;
    memset(&dec, 0, sizeof dec);
    dec.cursor = cursor;
    dec.at_ms = at_ms ? at_ms : now_ms();
    dec.decision = decision;
    snprintf(dec.by, sizeof dec.by, "%s", by);
    snprintf(dec.note, sizeof dec.note, "%s", note ? note : "");
    dec.valid_until_ms = valid_until_ms;

    MDB_txn *txn;
    int rc = mdb_txn_begin(d.env, NULL, 0, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a write", err, errlen);
    MDB_val hit;
    if (!hit_exists(txn, &d, cursor, &hit, &rc)) {
        mdb_txn_abort(txn);
        if (rc != 0)
            return mdb_fail(rc, "reading the hit log", err, errlen);
        return ps_errorf(err, errlen, PS_BSTORE_NOT_FOUND, "cursor: no hit %llu",
                         (unsigned long long)cursor);
    }
    audit_item a = {dec.at_ms, by, "decision", cursor, ps_hit_status_name(decision), false, 0, 0};
    const char *what = "appending to the audit log";
    rc = audit_append(txn, &d, &a, &dec.seq);
    if (rc == 0) {
        what = "storing the decision";
        rc = put_decision(txn, &d, &dec);
    }
    if (rc == 0) {
        what = "recording the suppression";
        rc = update_suppression(txn, &d, &dec, hit.mv_data, hit.mv_size);
    }
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, what, err, errlen);
    }
    rc = mdb_txn_commit(txn);
    if (rc != 0)
        return mdb_fail(rc, "committing the decision", err, errlen);
    if (out)
        *out = dec;
    return PS_BSTORE_OK;
}

/* Its latest decision; else suppressed when it was stored marked so; else open. */
static ps_hit_status status_in(MDB_txn *txn, const ps_review_dbs *d, uint64_t cursor,
                               const MDB_val *hit)
{
    unsigned char key[8];
    ps_put_be64(key, cursor);
    MDB_val k = {8, key}, v;
    if (mdb_get(txn, d->hit_status, &k, &v) == 0 && v.mv_size >= 1) {
        unsigned s = ((const unsigned char *)v.mv_data)[0];
        if (ps_hit_is_decision((ps_hit_status)s))
            return (ps_hit_status)s;
    }
    /* the member is written by paxscreend, at the top level: inside a string its quotes would
     * be escaped */
    static const char mark[] = "\"suppressed\":{";
    if (hit && memmem(hit->mv_data, hit->mv_size, mark, sizeof mark - 1))
        return PS_HIT_SUPPRESSED;
    return PS_HIT_OPEN;
}

int ps_hit_status_get(ps_batch_store *bs, uint64_t cursor, ps_hit_status *out, char *err,
                      size_t errlen)
{
    ps_review_dbs d;
    ps_batch_store_review_dbs(bs, &d);
    MDB_txn *txn;
    int rc = mdb_txn_begin(d.env, NULL, MDB_RDONLY, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a read", err, errlen);
    MDB_val hit;
    bool found = hit_exists(txn, &d, cursor, &hit, &rc);
    if (found)
        *out = status_in(txn, &d, cursor, &hit);
    mdb_txn_abort(txn);
    if (rc != 0)
        return mdb_fail(rc, "reading the hit log", err, errlen);
    if (!found)
        return ps_errorf(err, errlen, PS_BSTORE_NOT_FOUND, "cursor: no hit %llu",
                         (unsigned long long)cursor);
    return PS_BSTORE_OK;
}

static bool read_decision(const MDB_val *k, const MDB_val *v, ps_hit_decision *out)
{
    const unsigned char *h = v->mv_data;
    if (k->mv_size != 16 || v->mv_size < DEC_HEADER)
        return false;
    size_t bl = h[9], nl = (size_t)h[10] << 8 | h[11];
    if (v->mv_size < DEC_HEADER + bl + nl || nl > PS_REVIEW_NOTE_MAX || bl > PS_REVIEW_WHO_MAX)
        return false;
    const char *p = (const char *)h + DEC_HEADER;
    out->cursor = ps_get_be64(k->mv_data);
    out->seq = ps_get_be64((const unsigned char *)k->mv_data + 8);
    out->at_ms = ps_get_be64(h);
    out->decision = (ps_hit_status)h[8];
    memcpy(out->by, p, bl);
    out->by[bl] = '\0';
    memcpy(out->note, p + bl, nl);
    out->note[nl] = '\0';
    out->valid_until_ms = v->mv_size >= DEC_HEADER + bl + nl + 8
                              ? ps_get_be64((const unsigned char *)p + bl + nl)
                              : 0;
    return true;
}

/* Every decision on cursor, oldest first, inside txn. */
static int walk_decisions(MDB_txn *txn, const ps_review_dbs *d, uint64_t cursor,
                          bool (*fn)(void *ctx, const ps_hit_decision *dec), void *ctx)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, d->decisions, &c);
    if (rc != 0)
        return rc;
    unsigned char key[16];
    ps_put_be64(key, cursor);
    memset(key + 8, 0, 8);
    MDB_val k = {16, key}, v;
    ps_hit_decision *dec = malloc(sizeof *dec);
    if (!dec) {
        mdb_cursor_close(c);
        return ENOMEM;
    }
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 16 || ps_get_be64(k.mv_data) != cursor)
            break;
        if (read_decision(&k, &v, dec) && !fn(ctx, dec))
            break;
    }
    free(dec);
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int ps_hit_decisions(ps_batch_store *bs, uint64_t cursor,
                     bool (*fn)(void *ctx, const ps_hit_decision *d), void *ctx, char *err,
                     size_t errlen)
{
    ps_review_dbs d;
    ps_batch_store_review_dbs(bs, &d);
    MDB_txn *txn;
    int rc = mdb_txn_begin(d.env, NULL, MDB_RDONLY, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a read", err, errlen);
    rc = walk_decisions(txn, &d, cursor, fn, ctx);
    mdb_txn_abort(txn);
    return rc ? mdb_fail(rc, "reading the decisions", err, errlen) : PS_BSTORE_OK;
}

void ps_hit_decision_json(ps_buf *out, const ps_hit_decision *d)
{
    char at[32];
    iso_time(d->at_ms, at);
    json_t *o = json_object();
    json_object_set_new(o, "seq", json_integer((json_int_t)d->seq));
    json_object_set_new(o, "cursor", json_integer((json_int_t)d->cursor));
    json_object_set_new(o, "decision", json_string(ps_hit_status_name(d->decision)));
    json_object_set_new(o, "by", json_string(d->by));
    json_object_set_new(o, "at", json_string(at));
    json_object_set_new(o, "note", json_string(d->note));
    if (d->valid_until_ms) {
        char until[32];
        iso_time(d->valid_until_ms, until);
        json_object_set_new(o, "valid_until", json_string(until));
    }
    append_json(out, o);
    json_decref(o);
}

/* ---- one hit for an analyst --------------------------------------------------------------- */

/* The stored hit's members without its braces: the text between the first '{' and the last
 * '}' (empty for anything that is not an object). */
static void hit_members(const char *json, size_t len, const char **p, size_t *n)
{
    while (len && (json[len - 1] == ' ' || json[len - 1] == '\n'))
        len--;
    if (len < 2 || json[0] != '{' || json[len - 1] != '}') {
        *p = "";
        *n = 0;
        return;
    }
    *p = json + 1;
    *n = len - 2;
    while (*n && (**p == ' ' || **p == '\n'))
        (*p)++, (*n)--;
}

typedef struct show_ctx {
    ps_buf *out;
    unsigned n;
} show_ctx;

static bool show_decision(void *ctx, const ps_hit_decision *d)
{
    show_ctx *s = ctx;
    if (s->n++)
        ps_buf_putc(s->out, ',');
    ps_hit_decision_json(s->out, d);
    return true;
}

int ps_hit_show(ps_batch_store *bs, uint64_t cursor, const char *who, ps_buf *out, char *err,
                size_t errlen)
{
    if (!valid_who(who))
        return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                         "who: the reader must be named (1 to %d bytes)", PS_REVIEW_WHO_MAX);
    ps_review_dbs d;
    ps_batch_store_review_dbs(bs, &d);
    size_t mark = out->len;
    MDB_txn *txn;
    int rc = mdb_txn_begin(d.env, NULL, 0, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a write", err, errlen);
    unsigned char key[8];
    ps_put_be64(key, cursor);
    MDB_val k = {8, key}, v;
    rc = mdb_get(txn, d.hits, &k, &v);
    if (rc != 0) {
        mdb_txn_abort(txn);
        if (rc == MDB_NOTFOUND)
            return ps_errorf(err, errlen, PS_BSTORE_NOT_FOUND, "cursor: no hit %llu",
                             (unsigned long long)cursor);
        return mdb_fail(rc, "reading the hit log", err, errlen);
    }
    const char *members;
    size_t mn;
    hit_members(v.mv_data, v.mv_size, &members, &mn);
    ps_buf_printf(out, "{\"cursor\":%llu", (unsigned long long)cursor);
    if (mn) {
        ps_buf_putc(out, ',');
        ps_buf_append(out, members, mn);
    }
    ps_buf_printf(out, ",\"status\":\"%s\",\"decisions\":[",
                  ps_hit_status_name(status_in(txn, &d, cursor, &v)));
    show_ctx sc = {out, 0};
    const char *what = "reading the decisions";
    rc = walk_decisions(txn, &d, cursor, show_decision, &sc);
    ps_buf_puts(out, "]}");
    if (rc == 0) {
        audit_item a = {now_ms(), who, "hit_read", cursor, NULL, false, 0, 0};
        what = "appending to the audit log";
        rc = audit_append(txn, &d, &a, NULL);
    }
    if (rc == 0) {
        what = "committing the audit entry";
        rc = mdb_txn_commit(txn);
    } else {
        mdb_txn_abort(txn);
    }
    if (rc != 0) {
        out->len = mark; /* a read that could not be audited is not shown */
        return mdb_fail(rc, what, err, errlen);
    }
    return PS_BSTORE_OK;
}

/* ---- filters and listing ------------------------------------------------------------------ */

void ps_hit_filter_init(ps_hit_filter *f)
{
    memset(f, 0, sizeof *f);
}

bool ps_hit_filter_active(const ps_hit_filter *f)
{
    return f->by_status || f->list[0] || f->action[0] || f->kind[0] || f->flight[0] || f->batch ||
           f->min_score > 0 || f->from_ms || f->to_ms;
}

static bool key_is(const char *key, size_t klen, const char *lit)
{
    return strlen(lit) == klen && memcmp(key, lit, klen) == 0;
}

static bool one_of(const char *val, size_t vlen, const char *const *names)
{
    for (; *names; names++)
        if (key_is(val, vlen, *names))
            return true;
    return false;
}

/* Unix ms, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z] (UTC). */
static bool parse_time(const char *val, size_t vlen, uint64_t *out)
{
    char text[40];
    if (vlen == 0 || vlen >= sizeof text)
        return false;
    memcpy(text, val, vlen);
    text[vlen] = '\0';
    if (strspn(text, "0123456789") == vlen) {
        if (vlen > 15)
            return false;
        *out = strtoull(text, NULL, 10);
        return true;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int used = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &used) != 3 ||
        used != 10)
        return false;
    const char *p = text + 10;
    if (*p == 'T') {
        int u2 = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &u2) != 2 || u2 != 5)
            return false;
        p += 6;
        if (*p == ':') {
            int u3 = 0;
            if (sscanf(p + 1, "%2d%n", &tm.tm_sec, &u3) != 1 || u3 != 2)
                return false;
            p += 3;
        }
        if (*p == 'Z')
            p++;
    }
    if (*p || tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
        tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (t < 0)
        return false;
    *out = (uint64_t)t * 1000u;
    return true;
}

static bool copy_word(char *dst, size_t cap, const char *val, size_t vlen)
{
    if (vlen == 0 || vlen >= cap)
        return false;
    for (size_t i = 0; i < vlen; i++)
        if ((unsigned char)val[i] < 0x20 || val[i] == 0x7f)
            return false;
    memcpy(dst, val, vlen);
    dst[vlen] = '\0';
    return true;
}

int ps_hit_filter_set(ps_hit_filter *f, const char *key, size_t klen, const char *val, size_t vlen,
                      char *err, size_t errlen)
{
    static const char *const actions[] = {"no_board", "refer", "notify", NULL};
    static const char *const kinds[] = {"person", "document", "rule", NULL};
    if (key_is(key, klen, "status")) {
        if (!ps_hit_status_parse(val, vlen, &f->status))
            return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                             "status: must be open, true_match, false_positive, escalated or "
                             "suppressed");
        f->by_status = true;
    } else if (key_is(key, klen, "list")) {
        if (!copy_word(f->list, sizeof f->list, val, vlen))
            return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                             "list: a list name of 1 to %zu characters", sizeof f->list - 1);
    } else if (key_is(key, klen, "action")) {
        if (!one_of(val, vlen, actions) || !copy_word(f->action, sizeof f->action, val, vlen))
            return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                             "action: must be no_board, refer or notify");
    } else if (key_is(key, klen, "kind")) {
        if (!one_of(val, vlen, kinds) || !copy_word(f->kind, sizeof f->kind, val, vlen))
            return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                             "kind: must be person, document or rule");
    } else if (key_is(key, klen, "flight")) {
        if (!copy_word(f->flight, sizeof f->flight, val, vlen))
            return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                             "flight: a carrier and number such as XZ877 (at most %zu characters)",
                             sizeof f->flight - 1);
    } else if (key_is(key, klen, "batch")) {
        uint64_t b = 0;
        bool ok = vlen > 0 && vlen <= 19;
        for (size_t i = 0; ok && i < vlen; i++) {
            ok = val[i] >= '0' && val[i] <= '9';
            b = b * 10 + (uint64_t)(val[i] - '0');
        }
        if (!ok || b == 0)
            return ps_errorf(err, errlen, PS_BSTORE_INVALID, "batch: a batch id (1 or more)");
        f->batch = b;
    } else if (key_is(key, klen, "min_score")) {
        char text[32];
        char *end = NULL;
        double s = -1;
        if (vlen && vlen < sizeof text) {
            memcpy(text, val, vlen);
            text[vlen] = '\0';
            s = strtod(text, &end);
        }
        if (!end || *end || !(s >= 0 && s <= 1))
            return ps_errorf(err, errlen, PS_BSTORE_INVALID, "min_score: a number from 0 to 1");
        f->min_score = s;
    } else if (key_is(key, klen, "from") || key_is(key, klen, "to")) {
        bool from = klen == 4;
        if (!parse_time(val, vlen, from ? &f->from_ms : &f->to_ms))
            return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                             "%s: a time: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (UTC) or Unix ms",
                             from ? "from" : "to");
    } else {
        return -1;
    }
    return PS_BSTORE_OK;
}

static bool member_is(json_t *hit, const char *key, const char *want)
{
    const char *s = json_string_value(json_object_get(hit, key));
    return s && strcmp(s, want) == 0;
}

/* Whether the hit's flight (carrier and number) is want, as "XZ877", any case. */
static bool flight_is(json_t *hit, const char *want)
{
    json_t *f = json_object_get(hit, "flight");
    const char *c = json_string_value(json_object_get(f, "carrier"));
    const char *n = json_string_value(json_object_get(f, "number"));
    char both[64];
    snprintf(both, sizeof both, "%s%s", c ? c : "", n ? n : "");
    return both[0] && strcasecmp(both, want) == 0;
}

typedef struct list_state {
    ps_batch_store *bs;
    uint64_t cached_batch, cached_received; /* the last batch's received time */
    bool cached_ok;
} list_state;

/* Whether the hit passes the filters that need its JSON (and its batch's time). */
static bool hit_passes(list_state *ls, const ps_hit_filter *f, const char *json, size_t len)
{
    json_t *hit = json_loadb(json, len, 0, NULL);
    if (!hit)
        return false;
    bool ok = (!f->list[0] || member_is(hit, "list", f->list)) &&
              (!f->action[0] || member_is(hit, "action", f->action)) &&
              (!f->kind[0] || member_is(hit, "kind", f->kind)) &&
              (!f->flight[0] || flight_is(hit, f->flight));
    if (ok && f->min_score > 0) {
        json_t *s = json_object_get(hit, "score");
        ok = json_is_number(s) && json_number_value(s) + 1e-9 >= f->min_score;
    }
    uint64_t batch = 0;
    const char *b = json_string_value(json_object_get(hit, "batch_id"));
    if (b && strspn(b, "0123456789") == strlen(b) && strlen(b) <= 19)
        batch = strtoull(b, NULL, 10);
    json_decref(hit);
    if (ok && f->batch)
        ok = batch == f->batch;
    if (ok && (f->from_ms || f->to_ms)) {
        if (!batch)
            return false;
        if (batch != ls->cached_batch) {
            ps_batch_info info;
            char e[160];
            ls->cached_batch = batch;
            ls->cached_ok = ps_batch_store_get(ls->bs, batch, &info, e, sizeof e) == PS_BSTORE_OK;
            ls->cached_received = ls->cached_ok ? info.received_ms : 0;
        }
        ok = ls->cached_ok && (!f->from_ms || ls->cached_received >= f->from_ms) &&
             (!f->to_ms || ls->cached_received < f->to_ms);
    }
    return ok;
}

int ps_hit_list(ps_batch_store *bs, const ps_hit_filter *f, uint64_t after, uint64_t limit,
                bool (*fn)(void *ctx, uint64_t cursor, ps_hit_status status, const char *json,
                           size_t len),
                void *ctx, uint64_t *next, char *err, size_t errlen)
{
    *next = after;
    if (after == UINT64_MAX)
        return PS_BSTORE_OK;
    ps_review_dbs d;
    ps_batch_store_review_dbs(bs, &d);
    bool needs_json = f->list[0] || f->action[0] || f->kind[0] || f->flight[0] || f->batch ||
                      f->min_score > 0 || f->from_ms || f->to_ms;
    list_state ls = {bs, 0, 0, false};
    MDB_txn *txn;
    int rc = mdb_txn_begin(d.env, NULL, MDB_RDONLY, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a read", err, errlen);
    MDB_cursor *c;
    rc = mdb_cursor_open(txn, d.hits, &c);
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, "opening the hit log", err, errlen);
    }
    unsigned char key[8];
    ps_put_be64(key, after + 1);
    MDB_val k = {8, key}, v;
    uint64_t matched = 0, examined = 0, scan = f->scan ? f->scan : PS_HIT_LIST_SCAN;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 8)
            continue;
        if (examined++ >= scan)
            break;
        uint64_t cur = ps_get_be64(k.mv_data);
        *next = cur;
        ps_hit_status st = status_in(txn, &d, cur, &v);
        if (f->by_status && st != f->status)
            continue;
        if (needs_json && !hit_passes(&ls, f, v.mv_data, v.mv_size))
            continue;
        matched++;
        if (!fn(ctx, cur, st, v.mv_data, v.mv_size) || (limit && matched >= limit))
            break;
    }
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    if (rc != 0 && rc != MDB_NOTFOUND)
        return mdb_fail(rc, "reading the hit log", err, errlen);
    return PS_BSTORE_OK;
}

void ps_hit_listed_json(ps_buf *out, uint64_t cursor, ps_hit_status status, const char *json,
                        size_t len)
{
    const char *members;
    size_t mn;
    hit_members(json, len, &members, &mn);
    ps_buf_printf(out, "{\"cursor\":%llu,\"status\":\"%s\"", (unsigned long long)cursor,
                  ps_hit_status_name(status));
    if (mn) {
        ps_buf_putc(out, ',');
        ps_buf_append(out, members, mn);
    }
    ps_buf_putc(out, '}');
}

/* ---- audit export ------------------------------------------------------------------------- */

int ps_audit_export(ps_batch_store *bs, const char *who, uint64_t since, uint64_t limit,
                    bool (*fn)(void *ctx, uint64_t seq, const char *json, size_t len), void *ctx,
                    uint64_t *next, char *err, size_t errlen)
{
    *next = since;
    if (who && !valid_who(who))
        return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                         "who: the reader must be named (1 to %d bytes)", PS_REVIEW_WHO_MAX);
    ps_review_dbs d;
    ps_batch_store_review_dbs(bs, &d);
    MDB_txn *txn;
    int rc = mdb_txn_begin(d.env, NULL, who ? 0 : MDB_RDONLY, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a transaction", err, errlen);
    MDB_cursor *c;
    rc = mdb_cursor_open(txn, d.audit, &c);
    uint64_t count = 0;
    if (rc == 0 && since < UINT64_MAX) {
        unsigned char key[8];
        ps_put_be64(key, since + 1);
        MDB_val k = {8, key}, v;
        for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
             rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
            if (k.mv_size != 8)
                continue;
            if (limit && count >= limit)
                break;
            count++;
            *next = ps_get_be64(k.mv_data);
            if (!fn(ctx, *next, v.mv_data, v.mv_size))
                break;
        }
        mdb_cursor_close(c);
        if (rc == MDB_NOTFOUND)
            rc = 0;
    } else if (rc == 0) {
        mdb_cursor_close(c);
    }
    const char *what = "reading the audit log";
    if (rc == 0 && who) {
        audit_item a = {now_ms(), who, "audit_export", 0, NULL, true, since, count};
        what = "appending to the audit log";
        rc = audit_append(txn, &d, &a, NULL);
        if (rc == 0) {
            what = "committing the audit entry";
            rc = mdb_txn_commit(txn);
            txn = NULL;
        }
    }
    if (txn)
        mdb_txn_abort(txn);
    return rc ? mdb_fail(rc, what, err, errlen) : PS_BSTORE_OK;
}

int ps_audit_purge(ps_batch_store *bs, const char *who, uint64_t before_ms, uint64_t batches,
                   uint64_t hits, char *err, size_t errlen)
{
    ps_review_dbs d;
    ps_batch_store_review_dbs(bs, &d);
    MDB_txn *txn;
    int rc = mdb_txn_begin(d.env, NULL, 0, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a write", err, errlen);
    audit_item a = {.at_ms = 0,
                    .who = who,
                    .action = "purge",
                    .purge = true,
                    .before_ms = before_ms,
                    .count = batches,
                    .purged_hits = hits};
    a.at_ms = now_ms();
    rc = audit_append(txn, &d, &a, NULL);
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, "writing the audit log", err, errlen);
    }
    rc = mdb_txn_commit(txn);
    return rc ? mdb_fail(rc, "committing the audit log", err, errlen) : PS_BSTORE_OK;
}

int ps_audit_read(ps_batch_store *bs, const char *who, const char *action, uint64_t since,
                  uint64_t count, char *err, size_t errlen)
{
    ps_review_dbs d;
    ps_batch_store_review_dbs(bs, &d);
    MDB_txn *txn;
    int rc = mdb_txn_begin(d.env, NULL, 0, &txn);
    if (rc != 0)
        return mdb_fail(rc, "starting a write", err, errlen);
    audit_item a = {.at_ms = now_ms(),
                    .who = who,
                    .action = action,
                    .export_range = true,
                    .since = since,
                    .count = count};
    rc = audit_append(txn, &d, &a, NULL);
    if (rc != 0) {
        mdb_txn_abort(txn);
        return mdb_fail(rc, "writing the audit log", err, errlen);
    }
    rc = mdb_txn_commit(txn);
    return rc ? mdb_fail(rc, "committing the audit log", err, errlen) : PS_BSTORE_OK;
}
