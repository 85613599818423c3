/* tests/unit/test_bucket_index.c — the bucket index (engine/bucket_index.h): fixed and
 * variable items, set semantics and the last queued change winning, keys sharing a bucket (an
 * index of two buckets) checked against an in-memory model over many flushes until empty, the
 * change callback's counts, reads through a view, the samples kept ahead of fixed items, and
 * malformed buckets reported as MDB_CORRUPTED. Each test works on its own LMDB environment in a temporary directory. */
#include "../../engine/bucket_index.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static MDB_env *env;
static MDB_txn *txn;

static ps_bucket_index open_index(unsigned bits, size_t item_size)
{
    strcpy(dir, "/tmp/ps_bi_test.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(mdb_env_create(&env), 0);
    ck_assert_int_eq(mdb_env_set_maxdbs(env, 2), 0);
    ck_assert_int_eq(mdb_env_set_mapsize(env, (size_t)64 << 20), 0);
    ck_assert_int_eq(mdb_env_open(env, dir, 0, 0600), 0);
    ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    ps_bucket_index bi = {0, bits, item_size};
    ck_assert_int_eq(mdb_dbi_open(txn, "bi", MDB_CREATE | MDB_INTEGERKEY, &bi.dbi), 0);
    return bi;
}

static void close_index(void)
{
    if (txn)
        mdb_txn_abort(txn);
    txn = NULL;
    mdb_env_close(env);
    char path[128];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/lock.mdb", dir);
    unlink(path);
    rmdir(dir);
}

static int get(const ps_bucket_index *bi, const char *key, ps_bi_items *out)
{
    return ps_bi_get(txn, bi, key, strlen(key), ps_bi_hash(key, strlen(key)), out);
}

static void op(ps_bi_queue *q, const ps_bucket_index *bi, const char *key, const char *item,
               bool add)
{
    ck_assert(ps_bi_queue_op(q, bi, key, strlen(key), item, strlen(item), add));
}

START_TEST(fixed_items_sorted_and_distinct)
{
    ps_bucket_index bi = open_index(4, 4);
    ps_bi_queue q = {0};
    op(&q, &bi, "TSMITH", "0003", true);
    op(&q, &bi, "TSMITH", "0001", true);
    op(&q, &bi, "TSMITH", "0003", true); /* again: a set */
    op(&q, &bi, "TJONES", "0002", true);
    ck_assert_int_eq(ps_bi_flush(txn, &bi, &q, NULL, NULL), 0);
    ps_bi_items it;
    ck_assert_int_eq(get(&bi, "TSMITH", &it), 0);
    ck_assert_uint_eq(it.count, 2);
    ck_assert_uint_eq(it.bytes, 8);
    ck_assert(memcmp(it.p, "00010003", 8) == 0);
    ck_assert_int_eq(get(&bi, "TJONES", &it), 0);
    ck_assert_uint_eq(it.count, 1);
    ck_assert_int_eq(get(&bi, "TSMYTH", &it), MDB_NOTFOUND);
    ck_assert_uint_eq(it.count, 0);

    /* a second flush merges into what is stored */
    op(&q, &bi, "TSMITH", "0002", true);
    op(&q, &bi, "TSMITH", "0001", false);
    ck_assert_int_eq(ps_bi_flush(txn, &bi, &q, NULL, NULL), 0);
    ck_assert_int_eq(get(&bi, "TSMITH", &it), 0);
    ck_assert_uint_eq(it.count, 2);
    ck_assert(memcmp(it.p, "00020003", 8) == 0);
    /* wrong item size, empty or overlong key: refused, nothing queued */
    ck_assert(!ps_bi_queue_op(&q, &bi, "K", 1, "123", 3, true));
    ck_assert(!ps_bi_queue_op(&q, &bi, "", 0, "1234", 4, true));
    char longkey[300];
    memset(longkey, 'A', sizeof longkey);
    ck_assert(!ps_bi_queue_op(&q, &bi, longkey, sizeof longkey, "1234", 4, true));
    ck_assert_uint_eq(ps_bi_queue_bytes(&q), 0);
    ps_bi_queue_free(&q);
    close_index();
}
END_TEST

START_TEST(last_change_wins)
{
    ps_bucket_index bi = open_index(4, 0);
    ps_bi_queue q = {0};
    op(&q, &bi, "K1", "ADDED", true);
    op(&q, &bi, "K1", "ADDED", false); /* added then removed in one flush: absent */
    op(&q, &bi, "K2", "BACK", false);
    op(&q, &bi, "K2", "BACK", true); /* removed then added: present */
    ck_assert_int_eq(ps_bi_flush(txn, &bi, &q, NULL, NULL), 0);
    ps_bi_items it;
    ck_assert_int_eq(get(&bi, "K1", &it), MDB_NOTFOUND);
    ck_assert_int_eq(get(&bi, "K2", &it), 0);
    const unsigned char *item;
    size_t len;
    ck_assert(ps_bi_next_var(&it, &item, &len));
    ck_assert_uint_eq(len, 4);
    ck_assert(memcmp(item, "BACK", 4) == 0);
    ck_assert(!ps_bi_next_var(&it, &item, &len));
    ps_bi_queue_free(&q);
    close_index();
}
END_TEST

/* The model: key k (0..n_keys) holds item i (0..n_items) when model[k][i]. */
#define N_KEYS  300
#define N_ITEMS 12
static bool model[N_KEYS][N_ITEMS];

static void key_name(int k, char *out)
{
    snprintf(out, 16, "KEY%d", k * 7919 % 100003);
}

static void item_name(int i, char *out)
{
    /* variable lengths, so order by length then bytes is exercised */
    snprintf(out, 16, "%.*s%d", i % 4, "XYZW", i);
}

static void check_against_model(const ps_bucket_index *bi, ps_bi_view *view)
{
    for (int k = 0; k < N_KEYS; k++) {
        char key[16];
        key_name(k, key);
        ps_bi_items it, vit;
        int rc = get(bi, key, &it);
        int vrc = ps_bi_view_get(view, key, strlen(key), ps_bi_hash(key, strlen(key)), &vit);
        ck_assert_int_eq(rc, vrc);
        int expected = 0;
        for (int i = 0; i < N_ITEMS; i++)
            expected += model[k][i];
        if (!expected) {
            ck_assert_int_eq(rc, MDB_NOTFOUND);
            continue;
        }
        ck_assert_int_eq(rc, 0);
        ck_assert_uint_eq(it.count, (unsigned)expected);
        ck_assert_ptr_eq(it.p, vit.p);
        const unsigned char *item;
        size_t len, prev_len = 0;
        const unsigned char *prev = NULL;
        int seen = 0;
        while (ps_bi_next_var(&it, &item, &len)) {
            char text[16];
            memcpy(text, item, len);
            text[len] = '\0';
            int i = atoi(text + strspn(text, "XYZW"));
            ck_assert_int_lt(i, N_ITEMS);
            ck_assert_msg(model[k][i], "%s holds %s, which it should not", key, text);
            if (prev) /* sorted by length, then bytes */
                ck_assert(prev_len < len || (prev_len == len && memcmp(prev, item, len) < 0));
            prev = item;
            prev_len = len;
            seen++;
        }
        ck_assert_int_eq(seen, expected);
    }
    /* the same keys and as many absent ones in one batch (ps_bi_view_get_many, its steps taken
     * for all of them together) find exactly what one lookup at a time finds */
    static char keys[2 * N_KEYS][16];
    ps_bi_lookup l[2 * N_KEYS];
    for (int k = 0; k < 2 * N_KEYS; k++) {
        if (k < N_KEYS)
            key_name(k, keys[k]);
        else
            snprintf(keys[k], sizeof keys[k], "NOKEY%d", k);
        size_t len = strlen(keys[k]);
        l[k] = (ps_bi_lookup){.view = view, .key = keys[k], .klen = len,
                              .hash = ps_bi_hash(keys[k], len)};
    }
    ps_bi_view_get_many(l, 2 * N_KEYS);
    for (int k = 0; k < 2 * N_KEYS; k++) {
        ps_bi_items it;
        ck_assert_int_eq(l[k].rc, get(bi, keys[k], &it));
        ck_assert_ptr_eq(l[k].items.p, it.p);
        ck_assert_uint_eq(l[k].items.count, it.count);
        ck_assert_uint_eq(l[k].items.bytes, it.bytes);
    }
}

typedef struct change_log {
    int calls;
    long net; /* sum of after - before */
} change_log;

static int on_change(void *ctx, const unsigned char *key, size_t klen, uint32_t before,
                     uint32_t after)
{
    (void)key;
    ck_assert_uint_gt(klen, 0);
    ck_assert_uint_ne(before, after);
    change_log *log = ctx;
    log->calls++;
    log->net += (long)after - (long)before;
    return 0;
}

START_TEST(shared_buckets_match_a_model)
{
    ps_bucket_index bi = open_index(1, 0); /* two buckets: every bucket holds many keys */
    memset(model, 0, sizeof model);
    ps_bi_queue q = {0};
    unsigned seed = 12345;
    long total = 0;
    for (int round = 0; round < 25; round++) {
        change_log log = {0};
        for (int n = 0; n < 400; n++) {
            seed = seed * 1103515245u + 12345u;
            int k = (int)((seed >> 8) % N_KEYS), i = (int)((seed >> 20) % N_ITEMS);
            bool add = round < 20 ? ((seed >> 4) & 3) != 0 : false; /* the last rounds remove */
            char key[16], item[16];
            key_name(k, key);
            item_name(i, item);
            op(&q, &bi, key, item, add);
            model[k][i] = add;
        }
        if (round >= 20) /* and finally everything goes */
            for (int k = 0; k < N_KEYS; k++)
                for (int i = 0; i < N_ITEMS; i++) {
                    char key[16], item[16];
                    key_name(k, key);
                    item_name(i, item);
                    op(&q, &bi, key, item, false);
                    model[k][i] = false;
                }
        ck_assert_int_eq(ps_bi_flush(txn, &bi, &q, on_change, &log), 0);
        ck_assert_uint_eq(ps_bi_queue_bytes(&q), 0);
        long count = 0;
        for (int k = 0; k < N_KEYS; k++)
            for (int i = 0; i < N_ITEMS; i++)
                count += model[k][i];
        ck_assert_int_eq(total + log.net, count); /* the callback heard every change */
        total = count;
        ps_bi_view view = {txn, &bi, NULL};
        check_against_model(&bi, &view);
        ps_bi_view_free(&view);
    }
    MDB_stat st;
    ck_assert_int_eq(mdb_stat(txn, bi.dbi, &st), 0);
    ck_assert_uint_eq(st.ms_entries, 0); /* empty buckets are deleted */
    ps_bi_queue_free(&q);
    close_index();
}
END_TEST

/* Fixed items with samples (sample_stride): after flushes that change some keys of a bucket
 * and leave others as they were, every key of more than stride items keeps the first two
 * bytes of items 0, stride, 2 stride... ahead of them, and the others none; views and batched
 * lookups see the same. */
START_TEST(samples_follow_the_items)
{
    enum { KEYS = 40, ITEMS = 60, STRIDE = 3 };
    ps_bucket_index bi = open_index(1, 4);
    bi.sample_stride = STRIDE;
    static bool have[KEYS][ITEMS];
    memset(have, 0, sizeof have);
    ps_bi_queue q = {0};
    unsigned seed = 777;
    for (int round = 0; round < 30; round++) {
        for (int n = 0; n < 150; n++) {
            seed = seed * 1103515245u + 12345u;
            int k = (int)((seed >> 8) % (KEYS / 2)) + (round % 2) * (KEYS / 2); /* half the keys */
            int i = (int)((seed >> 18) % ITEMS);
            bool add = ((seed >> 4) % 5) != 0 || round > 25;
            char key[16], item[8];
            snprintf(key, sizeof key, "K%d", k);
            snprintf(item, sizeof item, "%04d", i * 37 % 1000); /* distinct, not in order */
            op(&q, &bi, key, item, add);
            have[k][i] = add;
        }
        ck_assert_int_eq(ps_bi_flush(txn, &bi, &q, NULL, NULL), 0);
        ps_bi_view view = {txn, &bi, NULL};
        for (int k = 0; k < KEYS; k++) {
            char key[16];
            snprintf(key, sizeof key, "K%d", k);
            uint32_t expected = 0;
            for (int i = 0; i < ITEMS; i++)
                expected += have[k][i];
            ps_bi_items it, vit;
            int rc = get(&bi, key, &it);
            ck_assert_int_eq(ps_bi_view_get(&view, key, strlen(key), ps_bi_hash(key, strlen(key)),
                                            &vit),
                             rc);
            if (!expected) {
                ck_assert_int_eq(rc, MDB_NOTFOUND);
                continue;
            }
            ck_assert_int_eq(rc, 0);
            ck_assert_uint_eq(it.count, expected);
            ck_assert_uint_eq(it.bytes, (size_t)expected * 4);
            ck_assert_ptr_eq(vit.samples, it.samples);
            size_t m = ps_bi_samples(&bi, expected);
            ck_assert_uint_eq(m, expected > STRIDE ? (expected + STRIDE - 1) / STRIDE : 0);
            if (!m) {
                ck_assert_ptr_null(it.samples);
                continue;
            }
            ck_assert_ptr_eq(it.samples + 2 * m, it.p); /* right before the items */
            for (size_t j = 0; j < m; j++)
                ck_assert_mem_eq(it.samples + 2 * j, it.p + j * STRIDE * 4, 2);
            for (uint32_t i = 1; i < expected; i++) /* the items still sorted */
                ck_assert_int_lt(memcmp(it.p + (i - 1) * 4, it.p + i * 4, 4), 0);
        }
        ps_bi_view_free(&view);
    }
    ps_bi_queue_free(&q);
    close_index();
}
END_TEST

START_TEST(malformed_buckets_are_corrupted)
{
    ps_bucket_index bi = open_index(1, 4);
    const char *key = "TSMITH";
    uint64_t h = ps_bi_hash(key, strlen(key));
    unsigned b = (unsigned)(h >> 63);
    const unsigned char garbage[][24] = {
        {3, 0, 0, 0, 1, 0, 0, 0},                   /* slots not a power of two */
        {1, 0, 0, 0, 1, 0, 0, 0},                   /* slots beyond the value */
        {2, 0, 0, 0, 5, 0, 0, 0, 1, 2, 3, 4, 5, 6}, /* more keys than slots */
    };
    const size_t sizes[] = {8, 16, 14};
    ps_bi_items it;
    for (size_t g = 0; g < sizeof sizes / sizeof sizes[0]; g++) {
        MDB_val k = {sizeof b, &b}, v = {sizes[g], (void *)garbage[g]};
        ck_assert_int_eq(mdb_put(txn, bi.dbi, &k, &v, 0), 0);
        ck_assert_int_eq(get(&bi, key, &it), MDB_CORRUPTED);
        /* a view's first pass lists the bucket; its header is judged when it is first used */
        ps_bi_view view = {txn, &bi, NULL};
        ck_assert_int_eq(ps_bi_view_get(&view, key, strlen(key), h, &it), MDB_CORRUPTED);
        ck_assert_int_eq(ps_bi_view_get(&view, key, strlen(key), h, &it), MDB_CORRUPTED);
        ps_bi_view_free(&view);
    }
    /* one slot whose payload offset points past the end, hash equal to the key's */
    unsigned char bad[24] = {1, 0, 0, 0, 1, 0, 0, 0};
    for (int i = 0; i < 8; i++)
        bad[8 + i] = (unsigned char)(h >> (8 * i));
    bad[16] = 200; /* offset */
    bad[20] = 1;   /* count */
    MDB_val k = {sizeof b, &b}, v = {sizeof bad, bad};
    ck_assert_int_eq(mdb_put(txn, bi.dbi, &k, &v, 0), 0);
    ck_assert_int_eq(get(&bi, key, &it), MDB_CORRUPTED);
    /* a variable item of no bytes (one a writer never makes) ends the walk of the items */
    close_index();
    bi = open_index(1, 0);
    unsigned char empty_item[8 + 16 + 1 + 6 + 1] = {1, 0, 0, 0, 1, 0, 0, 0};
    for (int i = 0; i < 8; i++)
        empty_item[8 + i] = (unsigned char)(h >> (8 * i));
    empty_item[16] = 24; /* offset of the payload */
    empty_item[20] = 1;  /* count */
    empty_item[24] = 6;  /* key length, the key, an item of length 0 */
    memcpy(empty_item + 25, key, 6);
    MDB_val ek = {sizeof b, &b}, ev = {sizeof empty_item, empty_item};
    ck_assert_int_eq(mdb_put(txn, bi.dbi, &ek, &ev, 0), 0);
    ck_assert_int_eq(get(&bi, key, &it), 0);
    ck_assert_uint_eq(it.count, 1);
    const unsigned char *item;
    size_t len;
    ck_assert(!ps_bi_next_var(&it, &item, &len));
    /* a flush into a malformed bucket fails instead of guessing */
    ps_bi_queue q = {0};
    op(&q, &bi, key, "0001", true);
    ck_assert_int_eq(ps_bi_flush(txn, &bi, &q, NULL, NULL), MDB_CORRUPTED);
    ps_bi_queue_free(&q);
    close_index();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bucket_index");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, fixed_items_sorted_and_distinct);
    tcase_add_test(tc, last_change_wins);
    tcase_add_test(tc, shared_buckets_match_a_model);
    tcase_add_test(tc, samples_follow_the_items);
    tcase_add_test(tc, malformed_buckets_are_corrupted);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
