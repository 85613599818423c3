/* engine/bucket_index.c — keys to sets of items in LMDB hash buckets (layout and rules in
 * bucket_index.h): one lookup reads one bucket; a flush rewrites each touched bucket once,
 * merging the queued changes of all its keys into what it held. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* qsort_r */
#endif
#include "bucket_index.h"

#include "paxscreen/bytes.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define HEADER_SIZE 8
#define RECORD_SIZE 16

typedef struct bi_op {
    uint64_t hash;
    uint64_t key_off; /* into the queue's data */
    uint64_t item_off;
    uint32_t seq; /* order of queuing: the last change of a key and item wins */
    uint8_t klen, ilen;
    bool add;
} bi_op;

/* One record of a bucket, parsed. */
typedef struct record {
    uint64_t hash;
    const unsigned char *key;
    size_t klen;
    const unsigned char *samples; /* NULL: none */
    const unsigned char *items;
    size_t bytes;
    uint32_t count;
} record;

uint64_t ps_bi_hash(const void *key, size_t klen)
{
    return XXH3_64bits(key, klen);
}

static unsigned bucket_of(const ps_bucket_index *bi, uint64_t hash)
{
    return (unsigned)(hash >> (64 - bi->bits));
}

/* Order of keys and of items: by length, then bytes. */
static int cmp_bytes(const unsigned char *a, size_t al, const unsigned char *b, size_t bl)
{
    if (al != bl)
        return al < bl ? -1 : 1;
    return al ? memcmp(a, b, al) : 0;
}

static int cmp_key(uint64_t ha, const unsigned char *a, size_t al, uint64_t hb,
                   const unsigned char *b, size_t bl)
{
    if (ha != hb)
        return ha < hb ? -1 : 1;
    return cmp_bytes(a, al, b, bl);
}

/* A bucket's slot count (a power of two) and record count; false when it cannot hold them. */
static bool bucket_header(const unsigned char *b, size_t size, uint32_t *n_slots, uint32_t *n)
{
    if (size < HEADER_SIZE)
        return false;
    *n_slots = ps_get_le32(b);
    *n = ps_get_le32(b + 4);
    return *n_slots && !(*n_slots & (*n_slots - 1)) && *n && *n <= *n_slots &&
           (size - HEADER_SIZE) / RECORD_SIZE >= *n_slots;
}

/* The record in slot i, if the slot is used (*used); false when it does not fit the bucket.
 * The items of a variable-size record run to the end of the bucket at most (r->bytes): their
 * readers stop after count items. */
static bool parse_slot(const ps_bucket_index *bi, const unsigned char *b, size_t size,
                       uint32_t n_slots, uint32_t i, record *r, bool *used)
{
    const unsigned char *h = b + HEADER_SIZE + (size_t)i * RECORD_SIZE;
    r->count = ps_get_le32(h + 12);
    *used = r->count != 0;
    if (!*used)
        return true;
    r->hash = ps_get_le64(h);
    size_t off = ps_get_le32(h + 8);
    if (off < HEADER_SIZE + (size_t)n_slots * RECORD_SIZE || off >= size)
        return false;
    r->klen = b[off];
    size_t sample_bytes = 2 * ps_bi_samples(bi, r->count);
    if (off + 1 + r->klen + sample_bytes > size)
        return false;
    r->key = b + off + 1;
    r->samples = sample_bytes ? r->key + r->klen : NULL;
    r->items = r->key + r->klen + sample_bytes;
    r->bytes = size - (off + 1 + r->klen + sample_bytes);
    if (bi->item_size) {
        if (r->bytes / bi->item_size < r->count)
            return false;
        r->bytes = (size_t)r->count * bi->item_size;
    }
    return true;
}

/* Finds key in the bucket base[0..size) of n_slots slots (its header checked by the caller):
 * open addressing on the hash's low bits, probed linearly — here from slot `from` on, for at
 * most `probes` slots. */
static int find_in_slots(const ps_bucket_index *bi, const unsigned char *base, size_t size,
                         uint32_t n_slots, uint32_t from, uint32_t probes, const void *key,
                         size_t klen, uint64_t hash, ps_bi_items *out)
{
    uint32_t mask = n_slots - 1;
    for (uint32_t probe = 0, i = from & mask; probe < probes; probe++, i = (i + 1) & mask) {
        const unsigned char *h = base + HEADER_SIZE + (size_t)i * RECORD_SIZE;
        if (ps_get_le32(h + 12) && ps_get_le64(h) != hash)
            continue;
        record r;
        bool used;
        if (!parse_slot(bi, base, size, n_slots, i, &r, &used))
            return MDB_CORRUPTED;
        if (!used)
            return MDB_NOTFOUND;
        if (r.klen == klen && memcmp(r.key, key, klen) == 0) {
            out->p = r.items;
            out->bytes = r.bytes;
            out->count = r.count;
            out->samples = r.samples;
            return 0;
        }
    }
    return MDB_NOTFOUND;
}

static int find_in_bucket(const ps_bucket_index *bi, const unsigned char *base, size_t size,
                          const void *key, size_t klen, uint64_t hash, ps_bi_items *out)
{
    uint32_t n_slots, n;
    if (!bucket_header(base, size, &n_slots, &n))
        return MDB_CORRUPTED;
    return find_in_slots(bi, base, size, n_slots, (uint32_t)hash, n_slots, key, klen, hash, out);
}

int ps_bi_get(MDB_txn *txn, const ps_bucket_index *bi, const void *key, size_t klen, uint64_t hash,
              ps_bi_items *out)
{
    *out = (ps_bi_items){0};
    unsigned b = bucket_of(bi, hash);
    MDB_val k = {sizeof b, &b}, v;
    int rc = mdb_get(txn, bi->dbi, &k, &v);
    return rc ? rc : find_in_bucket(bi, v.mv_data, v.mv_size, key, klen, hash, out);
}

enum {
    BUCKET_UNKNOWN = 0, /* not read yet: looked up in LMDB when first asked for */
    BUCKET_LISTED,      /* where its value is known (prime), its header not read yet */
    BUCKET_PRESENT,
    BUCKET_ABSENT
};

struct ps_bi_bucket {
    const unsigned char *p;
    uint32_t size;
    uint16_t state;
    uint8_t slot_bits; /* log2 of its slots, read from its header once */
};

/* Learns where every bucket of the view is with one pass of a cursor over the database: its
 * leaf pages say where each bucket's value lies without reading it, so a new snapshot does not
 * search the tree once per bucket (thousands of searches) as its first travellers come. A
 * bucket the pass did not list is absent; when the pass fails, every bucket is left unknown
 * and looked up by itself. */
static void prime(ps_bi_view *view)
{
    MDB_cursor *cur;
    if (mdb_cursor_open(view->txn, view->bi->dbi, &cur) != 0)
        return;
    size_t n = (size_t)1 << view->bi->bits;
    MDB_val k, v;
    int rc;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        unsigned b;
        if (k.mv_size != sizeof b)
            continue; /* no bucket's key: a search for a bucket would not find it either */
        if (v.mv_size > UINT32_MAX) {
            rc = MDB_CORRUPTED; /* each bucket looked up by itself, this one then refused */
            break;
        }
        memcpy(&b, k.mv_data, sizeof b);
        if (b >= n)
            continue;
        view->buckets[b].p = v.mv_data;
        view->buckets[b].size = (uint32_t)v.mv_size;
        view->buckets[b].state = BUCKET_LISTED;
    }
    mdb_cursor_close(cur);
    for (size_t b = 0; b < n; b++) {
        if (rc != MDB_NOTFOUND) /* the pass did not finish: nothing is known */
            view->buckets[b].state = BUCKET_UNKNOWN;
        else if (view->buckets[b].state == BUCKET_UNKNOWN)
            view->buckets[b].state = BUCKET_ABSENT;
    }
}

/* The bucket of hash in view, read from LMDB the first time: NULL when there is none (*rc
 * MDB_NOTFOUND, or an LMDB code). */
static const struct ps_bi_bucket *view_bucket(ps_bi_view *view, uint64_t hash, int *rc)
{
    if (!view->buckets) {
        view->buckets = calloc((size_t)1 << view->bi->bits, sizeof *view->buckets);
        if (!view->buckets) {
            *rc = ENOMEM;
            return NULL;
        }
        prime(view);
    }
    unsigned b = bucket_of(view->bi, hash);
    struct ps_bi_bucket *bk = &view->buckets[b];
    if (bk->state == BUCKET_UNKNOWN) {
        MDB_val k = {sizeof b, &b}, v;
        int r = mdb_get(view->txn, view->bi->dbi, &k, &v);
        if (r == MDB_NOTFOUND) {
            bk->state = BUCKET_ABSENT;
        } else if (r != 0) {
            *rc = r;
            return NULL;
        } else if (v.mv_size > UINT32_MAX) {
            *rc = MDB_CORRUPTED;
            return NULL;
        } else {
            bk->p = v.mv_data;
            bk->size = (uint32_t)v.mv_size;
            bk->state = BUCKET_LISTED;
        }
    }
    if (bk->state == BUCKET_LISTED) {
        uint32_t n_slots, n;
        if (!bucket_header(bk->p, bk->size, &n_slots, &n)) {
            *rc = MDB_CORRUPTED;
            return NULL;
        }
        bk->slot_bits = (uint8_t)__builtin_ctz(n_slots);
        bk->state = BUCKET_PRESENT;
    }
    if (bk->state == BUCKET_ABSENT) {
        *rc = MDB_NOTFOUND;
        return NULL;
    }
    return bk;
}

int ps_bi_view_get(ps_bi_view *view, const void *key, size_t klen, uint64_t hash, ps_bi_items *out)
{
    ps_bi_lookup l = {.view = view, .key = key, .klen = klen, .hash = hash};
    ps_bi_view_get_many(&l, 1);
    *out = l.items;
    return l.rc;
}

#define PENDING (-1)

void ps_bi_lookup_start(ps_bi_lookup *l)
{
    l->items = (ps_bi_items){0};
    const struct ps_bi_bucket *bk = view_bucket(l->view, l->hash, &l->rc);
    if (!bk && l->rc == ENOMEM) /* no room to remember buckets: a plain search */
        l->rc = ps_bi_get(l->view->txn, l->view->bi, l->key, l->klen, l->hash, &l->items);
    if (!bk)
        return;
    l->rc = PENDING;
    l->base = bk->p;
    l->size = bk->size;
    l->n_slots = (uint32_t)1 << bk->slot_bits;
    l->slot = (uint32_t)l->hash & (l->n_slots - 1);
    __builtin_prefetch(l->base + HEADER_SIZE + (size_t)l->slot * RECORD_SIZE);
}

void ps_bi_lookup_probe(ps_bi_lookup *l)
{
    if (l->rc != PENDING)
        return;
    uint32_t mask = l->n_slots - 1;
    for (uint32_t probe = 0; probe < l->n_slots; probe++, l->slot = (l->slot + 1) & mask) {
        const unsigned char *h = l->base + HEADER_SIZE + (size_t)l->slot * RECORD_SIZE;
        if (!ps_get_le32(h + 12)) {
            l->rc = MDB_NOTFOUND;
            return;
        }
        if (ps_get_le64(h) == l->hash) {
            size_t off = ps_get_le32(h + 8);
            if (off < l->size)
                __builtin_prefetch(l->base + off);
            return; /* the key is compared by ps_bi_lookup_finish */
        }
    }
    l->rc = MDB_NOTFOUND;
}

void ps_bi_lookup_finish(ps_bi_lookup *l)
{
    if (l->rc != PENDING)
        return;
    /* the slot holds the hash: the key is compared there (another key of the same hash,
     * never met in practice, sends the search on to the next slots) */
    l->rc = find_in_slots(l->view->bi, l->base, l->size, l->n_slots, l->slot, l->n_slots, l->key,
                          l->klen, l->hash, &l->items);
}

void ps_bi_view_get_many(ps_bi_lookup *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ps_bi_lookup_start(&l[i]);
    for (size_t i = 0; i < n; i++)
        ps_bi_lookup_probe(&l[i]);
    for (size_t i = 0; i < n; i++)
        ps_bi_lookup_finish(&l[i]);
}

void ps_bi_view_free(ps_bi_view *view)
{
    free(view->buckets);
    view->buckets = NULL;
}

/* ---- queued changes ---- */

bool ps_bi_queue_op(ps_bi_queue *q, const ps_bucket_index *bi, const void *key, size_t klen,
                    const void *item, size_t ilen, bool add)
{
    if (!klen || klen > PS_BI_MAX_KEY)
        return false;
    if (bi->item_size ? ilen != bi->item_size : (!ilen || ilen > PS_BI_MAX_ITEM))
        return false;
    bi_op op = {.hash = ps_bi_hash(key, klen),
                .key_off = q->data.len,
                .item_off = q->data.len + klen,
                .seq = q->seq++,
                .klen = (uint8_t)klen,
                .ilen = (uint8_t)ilen,
                .add = add};
    ps_buf_append(&q->data, key, klen);
    ps_buf_append(&q->data, item, ilen);
    ps_buf_append(&q->ops, &op, sizeof op);
    return true;
}

size_t ps_bi_queue_bytes(const ps_bi_queue *q)
{
    return q->ops.len + q->data.len;
}

void ps_bi_queue_free(ps_bi_queue *q)
{
    ps_buf_free(&q->ops);
    ps_buf_free(&q->data);
    q->seq = 0;
}

static int cmp_ops(const void *pa, const void *pb, void *ctx)
{
    const unsigned char *data = ctx;
    const bi_op *a = pa, *b = pb;
    int c = cmp_key(a->hash, data + a->key_off, a->klen, b->hash, data + b->key_off, b->klen);
    if (!c)
        c = cmp_bytes(data + a->item_off, a->ilen, data + b->item_off, b->ilen);
    if (!c)
        c = a->seq < b->seq ? -1 : a->seq > b->seq;
    return c;
}

/* ---- flushing ---- */

typedef struct builder {
    const ps_bucket_index *bi;
    ps_buf olds;    /* the bucket's records as read, sorted (record) */
    ps_buf records; /* {u64 hash, u32 payload offset, u32 count}, host order until written */
    ps_buf payload;
    uint32_t n;
} builder;

typedef struct out_record {
    uint64_t hash;
    uint32_t off, count;
} out_record;

static void emit_item(builder *bd, const unsigned char *item, size_t len)
{
    if (!bd->bi->item_size)
        ps_buf_putc(&bd->payload, (char)len);
    ps_buf_append(&bd->payload, item, len);
}

static void emit_record(builder *bd, uint64_t hash, size_t start, uint32_t count)
{
    out_record r = {hash, (uint32_t)start, count};
    ps_buf_append(&bd->records, &r, sizeof r);
    bd->n++;
}

/* Puts the samples of the count items written from payload offset at (fixed-size items) ahead
 * of them. */
static void emit_samples(builder *bd, size_t at, uint32_t count)
{
    size_t m = ps_bi_samples(bd->bi, count), stride = bd->bi->sample_stride;
    if (!m)
        return;
    size_t items = bd->payload.len - at;
    ps_buf_reserve(&bd->payload, 2 * m);
    bd->payload.len += 2 * m;
    bd->payload.data[bd->payload.len] = '\0';
    unsigned char *p = (unsigned char *)bd->payload.data + at;
    memmove(p + 2 * m, p, items);
    for (size_t j = 0; j < m; j++)
        memcpy(p + 2 * j, p + 2 * m + j * stride * bd->bi->item_size, 2);
}

/* The next stored item of r (advancing it); false at its end, *bad on a malformed item. */
static bool next_old(const ps_bucket_index *bi, record *r, const unsigned char **item, size_t *len,
                     bool *bad)
{
    if (!r->count)
        return false;
    if (bi->item_size) {
        *item = r->items;
        *len = bi->item_size;
    } else {
        if (!r->bytes || !r->items[0] || 1 + (size_t)r->items[0] > r->bytes) {
            *bad = true;
            return false;
        }
        *len = r->items[0];
        *item = r->items + 1;
    }
    size_t step = bi->item_size ? bi->item_size : 1 + *len;
    r->items += step;
    r->bytes -= step;
    r->count--;
    return true;
}

/* Writes key's record: its stored items (old, may be NULL) merged with the queued changes
 * ops[0..n) of the key (sorted by item, then queuing order). */
static int merge_key(builder *bd, const record *old, const bi_op *ops, size_t n,
                     const unsigned char *data, ps_bi_change_fn fn, void *ctx)
{
    const unsigned char *key = data + ops[0].key_off;
    size_t klen = ops[0].klen;
    size_t start = bd->payload.len;
    ps_buf_putc(&bd->payload, (char)klen);
    ps_buf_append(&bd->payload, key, klen);
    size_t items_at = bd->payload.len;

    record rest = old ? *old : (record){0};
    const unsigned char *oi = NULL;
    size_t ol = 0;
    bool bad = false;
    bool have = old && next_old(bd->bi, &rest, &oi, &ol, &bad);
    uint32_t after = 0;
    for (size_t i = 0; i < n;) {
        const unsigned char *item = data + ops[i].item_off;
        size_t ilen = ops[i].ilen;
        size_t j = i + 1;
        while (j < n && cmp_bytes(data + ops[j].item_off, ops[j].ilen, item, ilen) == 0)
            j++;
        bool present = ops[j - 1].add; /* the last change of this item */
        int c = -1;
        while (have && (c = cmp_bytes(oi, ol, item, ilen)) < 0) {
            emit_item(bd, oi, ol);
            after++;
            have = next_old(bd->bi, &rest, &oi, &ol, &bad);
        }
        if (have && c == 0) /* replaced by the change */
            have = next_old(bd->bi, &rest, &oi, &ol, &bad);
        if (present) {
            emit_item(bd, item, ilen);
            after++;
        }
        i = j;
    }
    while (have) {
        emit_item(bd, oi, ol);
        after++;
        have = next_old(bd->bi, &rest, &oi, &ol, &bad);
    }
    if (bad)
        return MDB_CORRUPTED;
    uint32_t before = old ? old->count : 0;
    if (after) {
        emit_samples(bd, items_at, after);
        emit_record(bd, ops[0].hash, start, after);
    } else {
        bd->payload.len = start;
    }
    return fn && before != after ? fn(ctx, key, klen, before, after) : 0;
}

static int cmp_records(const void *pa, const void *pb)
{
    const record *a = pa, *b = pb;
    return cmp_key(a->hash, a->key, a->klen, b->hash, b->key, b->klen);
}

/* Reads the records of a stored bucket into bd->olds, sorted by key, each with the exact
 * length of its items; false when the bucket does not parse. */
static bool read_olds(builder *bd, const unsigned char *b, size_t size)
{
    bd->olds.len = 0;
    if (!size)
        return true;
    uint32_t n_slots, n;
    if (!bucket_header(b, size, &n_slots, &n))
        return false;
    uint32_t found = 0;
    for (uint32_t i = 0; i < n_slots; i++) {
        record r;
        bool used;
        if (!parse_slot(bd->bi, b, size, n_slots, i, &r, &used))
            return false;
        if (!used)
            continue;
        if (!bd->bi->item_size) { /* walk the items for their length */
            record walk = r;
            const unsigned char *item;
            size_t len;
            bool bad = false;
            while (next_old(bd->bi, &walk, &item, &len, &bad))
                ;
            if (bad)
                return false;
            r.bytes = (size_t)(walk.items - r.items);
        }
        ps_buf_append(&bd->olds, &r, sizeof r);
        found++;
    }
    if (found != n)
        return false;
    qsort(bd->olds.data, n, sizeof(record), cmp_records);
    return true;
}

/* Rewrites bucket b with the changes ops[0..n) (all of that bucket, sorted). */
static int flush_bucket(MDB_txn *txn, builder *bd, unsigned b, const bi_op *ops, size_t n,
                        const unsigned char *data, ps_bi_change_fn fn, void *ctx)
{
    MDB_val k = {sizeof b, &b}, v;
    int rc = mdb_get(txn, bd->bi->dbi, &k, &v);
    if (rc == MDB_NOTFOUND)
        v = (MDB_val){0, NULL};
    else if (rc != 0)
        return rc;
    if (!read_olds(bd, v.mv_data, v.mv_size))
        return MDB_CORRUPTED;
    const record *olds = (const record *)bd->olds.data;
    size_t n_old = bd->olds.len / sizeof(record);
    bd->records.len = bd->payload.len = 0;
    bd->n = 0;

    size_t r = 0, o = 0;
    while (r < n_old || o < n) {
        const record *cur = r < n_old ? &olds[r] : NULL;
        int c = !cur     ? 1
                : o == n ? -1
                         : cmp_key(cur->hash, cur->key, cur->klen, ops[o].hash,
                                   data + ops[o].key_off, ops[o].klen);
        if (c < 0) { /* a key without changes: kept as it is */
            size_t start = bd->payload.len;
            ps_buf_putc(&bd->payload, (char)cur->klen);
            ps_buf_append(&bd->payload, cur->key, cur->klen);
            if (cur->samples) /* they lie just before the items */
                ps_buf_append(&bd->payload, cur->samples, (size_t)(cur->items - cur->samples));
            ps_buf_append(&bd->payload, cur->items, cur->bytes);
            emit_record(bd, cur->hash, start, cur->count);
            r++;
            continue;
        }
        size_t e = o + 1;
        while (e < n && ops[e].hash == ops[o].hash &&
               cmp_bytes(data + ops[e].key_off, ops[e].klen, data + ops[o].key_off, ops[o].klen) ==
                   0)
            e++;
        rc = merge_key(bd, c == 0 ? cur : NULL, ops + o, e - o, data, fn, ctx);
        if (rc != 0)
            return rc;
        if (c == 0)
            r++;
        o = e;
    }

    if (!bd->n) {
        rc = mdb_del(txn, bd->bi->dbi, &k, NULL);
        return rc == MDB_NOTFOUND ? 0 : rc;
    }
    uint32_t n_slots = 1;
    while ((uint64_t)n_slots * 3 < (uint64_t)bd->n * 4) /* at most 3/4 full */
        n_slots <<= 1;
    size_t head = HEADER_SIZE + (size_t)n_slots * RECORD_SIZE;
    if (head + bd->payload.len > UINT32_MAX)
        return MDB_BAD_VALSIZE;
    MDB_val nv = {head + bd->payload.len, NULL};
    rc = mdb_put(txn, bd->bi->dbi, &k, &nv, MDB_RESERVE);
    if (rc != 0)
        return rc;
    unsigned char *out = nv.mv_data;
    ps_put_le32(out, n_slots);
    ps_put_le32(out + 4, bd->n);
    memset(out + HEADER_SIZE, 0, (size_t)n_slots * RECORD_SIZE);
    for (uint32_t i = 0; i < bd->n; i++) {
        out_record rec;
        memcpy(&rec, bd->records.data + (size_t)i * sizeof rec, sizeof rec);
        uint32_t slot = (uint32_t)rec.hash & (n_slots - 1);
        while (ps_get_le32(out + HEADER_SIZE + (size_t)slot * RECORD_SIZE + 12))
            slot = (slot + 1) & (n_slots - 1);
        unsigned char *h = out + HEADER_SIZE + (size_t)slot * RECORD_SIZE;
        ps_put_le64(h, rec.hash);
        ps_put_le32(h + 8, (uint32_t)(head + rec.off));
        ps_put_le32(h + 12, rec.count);
    }
    memcpy(out + head, bd->payload.data, bd->payload.len);
    return 0;
}

int ps_bi_flush(MDB_txn *txn, const ps_bucket_index *bi, ps_bi_queue *q, ps_bi_change_fn fn,
                void *ctx)
{
    size_t n = q->ops.len / sizeof(bi_op);
    bi_op *ops = (bi_op *)q->ops.data;
    const unsigned char *data = (const unsigned char *)q->data.data;
    if (n > 1)
        qsort_r(ops, n, sizeof *ops, cmp_ops, (void *)data);
    builder bd = {.bi = bi};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0;) {
        unsigned b = bucket_of(bi, ops[i].hash);
        size_t j = i + 1;
        while (j < n && bucket_of(bi, ops[j].hash) == b)
            j++;
        rc = flush_bucket(txn, &bd, b, ops + i, j - i, data, fn, ctx);
        i = j;
    }
    ps_buf_free(&bd.olds);
    ps_buf_free(&bd.records);
    ps_buf_free(&bd.payload);
    q->ops.len = q->data.len = 0;
    q->seq = 0;
    return rc;
}
