/* tests/fuzz/fuzz_bucket_index.c — libFuzzer target for the bucket index (engine/bucket_index.h)
 * reading stored bytes it did not write: the input's first byte picks fixed (4-byte) or
 * variable items and, for fixed ones, samples every second item or none, the next two a split
 * point; the bytes before it are stored as both buckets of
 * a two-bucket index, those after it are a script of changes (key, item, add or remove).
 * Lookups (direct and through a view) of the script's keys must answer found, not found or
 * MDB_CORRUPTED and stay inside the bucket; a flush must succeed or fail with an LMDB code; and
 * after a successful flush every key of the script is readable (a writer writes only buckets
 * that parse), its samples those of its items, with the count a model of the script predicts
 * when the stored bytes were empty.
 * Each input works in one write transaction that is aborted. */
#include "../../engine/bucket_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static MDB_env *env;

static void require(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_bucket_index: invariant failed: %s\n", what);
        abort();
    }
}

static void setup(void)
{
    char dir[] = "/tmp/fuzz_bucket_index.XXXXXX";
    require(mkdtemp(dir) != NULL, "mkdtemp");
    require(mdb_env_create(&env) == 0, "env create");
    mdb_env_set_maxdbs(env, 2);
    mdb_env_set_mapsize(env, (size_t)256 << 20);
    require(mdb_env_open(env, dir, MDB_NOSYNC, 0600) == 0, "env open");
    char path[64];
    snprintf(path, sizeof path, "%s/data.mdb", dir); /* the files live as long as the process */
    unlink(path);
    snprintf(path, sizeof path, "%s/lock.mdb", dir);
    unlink(path);
    rmdir(dir);
}

typedef struct change {
    const unsigned char *key, *item;
    size_t klen, ilen;
    bool add;
} change;

/* Reads the script: [u8 flags (bit 0 add), u8 key length 1..8, key, item] ... */
static size_t read_script(const unsigned char *p, size_t n, size_t item_size, change *out,
                          size_t cap)
{
    size_t count = 0, i = 0;
    while (count < cap && i + 2 <= n) {
        change *c = &out[count];
        c->add = p[i] & 1;
        c->klen = 1 + p[i + 1] % 8;
        c->ilen = item_size ? item_size : (size_t)(1 + (p[i] >> 1) % 6);
        i += 2;
        if (i + c->klen + c->ilen > n)
            break;
        c->key = p + i;
        c->item = p + i + c->klen;
        i += c->klen + c->ilen;
        count++;
    }
    return count;
}

/* written: by a flush of ours, so its samples must be its items' */
static void check_items(const ps_bucket_index *bi, ps_bi_items it, bool written)
{
    size_t m = ps_bi_samples(bi, it.count);
    require((m == 0) == (it.samples == NULL), "samples when the count calls for them");
    if (m) {
        require(it.samples + 2 * m == it.p, "samples right before the items");
        volatile unsigned char sum = 0;
        for (size_t j = 0; j < 2 * m; j++)
            sum ^= it.samples[j];
        (void)sum;
        for (size_t j = 0; written && j < m; j++)
            require(memcmp(it.samples + 2 * j, it.p + j * bi->sample_stride * bi->item_size, 2) ==
                        0,
                    "a sample is its item's first bytes");
    }
    if (bi->item_size) {
        require(it.bytes == (size_t)it.count * bi->item_size, "fixed items fill their bytes");
        volatile unsigned char sum = 0;
        for (size_t i = 0; i < it.bytes; i++)
            sum ^= it.p[i]; /* ASan checks every byte is inside the bucket */
        (void)sum;
        return;
    }
    const unsigned char *item;
    size_t len;
    uint32_t seen = 0;
    while (ps_bi_next_var(&it, &item, &len)) {
        volatile unsigned char b = item[len - 1];
        (void)b;
        seen++;
    }
    (void)seen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!env)
        setup();
    if (size < 3)
        return 0;
    size_t item_size = data[0] & 1 ? 4 : 0;
    size_t split = ((size_t)data[1] << 8 | data[2]) % (size - 2);
    const unsigned char *stored = data + 3, *script = data + 3 + split;
    size_t script_len = size - 3 - split;

    MDB_txn *txn;
    require(mdb_txn_begin(env, NULL, 0, &txn) == 0, "txn begin");
    ps_bucket_index bi = {0, 1, item_size, item_size && (data[0] & 2) ? 2 : 0};
    require(mdb_dbi_open(txn, "bi", MDB_CREATE | MDB_INTEGERKEY, &bi.dbi) == 0, "dbi open");
    for (unsigned b = 0; b < 2 && split > 0; b++) {
        MDB_val k = {sizeof b, &b}, v = {split, (void *)stored};
        require(mdb_put(txn, bi.dbi, &k, &v, 0) == 0, "storing the bytes");
    }

    change ch[64];
    size_t n = read_script(script, script_len, item_size, ch, 64);
    ps_bi_view view = {txn, &bi, NULL};
    for (size_t i = 0; i < n; i++) {
        ps_bi_items it, vit;
        uint64_t h = ps_bi_hash(ch[i].key, ch[i].klen);
        int rc = ps_bi_get(txn, &bi, ch[i].key, ch[i].klen, h, &it);
        int vrc = ps_bi_view_get(&view, ch[i].key, ch[i].klen, h, &vit);
        require(rc == 0 || rc == MDB_NOTFOUND || rc == MDB_CORRUPTED, "get answers");
        require(vrc == rc || (rc == MDB_CORRUPTED || vrc == MDB_CORRUPTED), "view agrees");
        if (rc == 0)
            check_items(&bi, it, false);
    }
    ps_bi_view_free(&view);

    ps_bi_queue q = {0};
    for (size_t i = 0; i < n; i++)
        ps_bi_queue_op(&q, &bi, ch[i].key, ch[i].klen, ch[i].item, ch[i].ilen, ch[i].add);
    int rc = ps_bi_flush(txn, &bi, &q, NULL, NULL);
    require(ps_bi_queue_bytes(&q) == 0, "a flush empties the queue");
    ps_bi_queue_free(&q);
    if (rc == 0) {
        for (size_t i = 0; i < n; i++) {
            ps_bi_items it;
            int g =
                ps_bi_get(txn, &bi, ch[i].key, ch[i].klen, ps_bi_hash(ch[i].key, ch[i].klen), &it);
            require(g == 0 || g == MDB_NOTFOUND, "a flushed bucket parses");
            if (g == 0) /* every key of the script was merged: its samples made anew */
                check_items(&bi, it, true);
            if (split == 0) { /* nothing was stored: the model is the script alone */
                uint32_t expect = 0;
                for (size_t a = 0; a < n; a++) { /* distinct items of this key left present */
                    if (ch[a].klen != ch[i].klen || memcmp(ch[a].key, ch[i].key, ch[i].klen))
                        continue;
                    bool first = true, last_add = false;
                    for (size_t b = 0; b < n; b++) {
                        if (ch[b].klen != ch[a].klen || memcmp(ch[b].key, ch[a].key, ch[a].klen) ||
                            ch[b].ilen != ch[a].ilen || memcmp(ch[b].item, ch[a].item, ch[a].ilen))
                            continue;
                        if (b < a)
                            first = false;
                        last_add = ch[b].add;
                    }
                    if (first && last_add)
                        expect++;
                }
                require((g == 0 ? it.count : 0) == expect, "counts follow the script");
            }
        }
    }
    mdb_txn_abort(txn);
    return 0;
}
