/* tests/unit/test_batch_store.c — the server's batch store (batch_store.h): receive and read
 * back, duplicate bodies by content hash (per format), the pending set, finishing a batch
 * with its hits exactly once, hit cursors that only grow and resume without loss or repeats,
 * failed batches with a reason, everything surviving a close and reopen, and a content hash
 * collision (made by writing the hash index by hand) that must not pass for a duplicate. Each test
 * works on its own temporary directory (mkdtemp), removed afterwards. */
#include "paxscreen/batch_store.h"
#include "test_dirs.h"

#include <check.h>
#include <dirent.h>
#include <lmdb.h>
#include <xxhash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];
static char dir[96];
static char err[512];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/ps_bstore_test.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(dir, sizeof dir, "%s/batches", tmpdir);
    err[0] = '\0';
}

static void teardown(void)
{
    test_remove_dir(tmpdir);
}

static ps_batch_store *open_bs(void)
{
    ps_batch_store *bs;
    int rc = ps_batch_store_open(dir, 64u << 20, &bs, err, sizeof err);
    ck_assert_msg(rc == PS_BSTORE_OK, "open: %s", err);
    return bs;
}

static uint64_t receive(ps_batch_store *bs, ps_batch_format f, const char *body, bool *dup)
{
    uint64_t id;
    int rc = ps_batch_store_receive(bs, f, body, strlen(body), NULL, &id, dup, err, sizeof err);
    ck_assert_msg(rc == PS_BSTORE_OK, "receive: %s", err);
    return id;
}

START_TEST(submitter_kept_and_duplicates_per_submitter)
{
    ps_batch_store *bs = open_bs();
    uint64_t a, b, again, anon;
    bool dup;
    const char *body = "{\"travellers\":[]}";
    ck_assert_int_eq(ps_batch_store_receive(bs, PS_BATCH_JSON, body, strlen(body), "carrier-xz", &a,
                                            &dup, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert(!dup);
    /* the same bytes from someone else are their batch, not a duplicate of another's */
    ck_assert_int_eq(ps_batch_store_receive(bs, PS_BATCH_JSON, body, strlen(body), "carrier-qq", &b,
                                            &dup, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert(!dup);
    ck_assert_uint_ne(a, b);
    ck_assert_int_eq(ps_batch_store_receive(bs, PS_BATCH_JSON, body, strlen(body), "carrier-qq",
                                            &again, &dup, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert(dup);
    ck_assert_uint_eq(again, b);
    anon = receive(bs, PS_BATCH_JSON, body, &dup); /* no submitter: its own too */
    ck_assert(!dup);
    ck_assert_uint_ne(anon, a);

    ps_batch_info info;
    ck_assert_int_eq(ps_batch_store_get(bs, a, &info, err, sizeof err), PS_BSTORE_OK);
    ck_assert_str_eq(info.submitter, "carrier-xz");
    ck_assert_int_eq(ps_batch_store_get(bs, anon, &info, err, sizeof err), PS_BSTORE_OK);
    ck_assert_str_eq(info.submitter, "");
    /* finishing (with a reason) keeps it */
    uint64_t first;
    bool already;
    ck_assert_int_eq(ps_batch_store_finish(bs, b, PS_BATCH_FAILED, "could not parse", 0, NULL, 0,
                                           &first, &already, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(ps_batch_store_get(bs, b, &info, err, sizeof err), PS_BSTORE_OK);
    ck_assert_str_eq(info.submitter, "carrier-qq");
    ck_assert_str_eq(info.reason, "could not parse");
    ck_assert_int_eq(info.status, PS_BATCH_FAILED);
    /* a name too long is refused, nothing recorded */
    char longname[PS_BATCH_SUBMITTER_MAX + 1];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    uint64_t none;
    ck_assert_int_eq(
        ps_batch_store_receive(bs, PS_BATCH_JSON, "{}", 2, longname, &none, &dup, err, sizeof err),
        PS_BSTORE_INVALID);
    ps_batch_store_close(bs);
}
END_TEST

typedef struct collected {
    uint64_t cursors[64];
    char text[64][32];
    int n;
} collected;

static bool collect(void *ctx, uint64_t cursor, const char *json, size_t len)
{
    collected *c = ctx;
    ck_assert_int_lt(c->n, 64);
    c->cursors[c->n] = cursor;
    snprintf(c->text[c->n], sizeof c->text[0], "%.*s", (int)len, json);
    c->n++;
    return true;
}

START_TEST(receive_and_get)
{
    ps_batch_store *bs = open_bs();
    bool dup;
    uint64_t a = receive(bs, PS_BATCH_JSON, "{\"travellers\":[]}", &dup);
    ck_assert(!dup);
    ck_assert_uint_eq(a, 1);
    uint64_t b = receive(bs, PS_BATCH_PAXLST, "UNB+UNOA:4'", &dup);
    ck_assert(!dup);
    ck_assert_uint_eq(b, 2);

    ps_batch_info info;
    ck_assert_int_eq(ps_batch_store_get(bs, b, &info, err, sizeof err), PS_BSTORE_OK);
    ck_assert_int_eq(info.status, PS_BATCH_RECEIVED);
    ck_assert_int_eq(info.format, PS_BATCH_PAXLST);
    ck_assert_uint_eq(info.body_bytes, 11);
    ck_assert_uint_gt(info.received_ms, 0);
    ck_assert_str_eq(ps_batch_status_name(info.status), "received");

    char *body;
    size_t len;
    ck_assert_int_eq(ps_batch_store_body(bs, a, &body, &len, err, sizeof err), PS_BSTORE_OK);
    ck_assert_uint_eq(len, 17);
    ck_assert(memcmp(body, "{\"travellers\":[]}", 17) == 0);
    free(body);

    ck_assert_int_eq(ps_batch_store_get(bs, 99, &info, err, sizeof err), PS_BSTORE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err, "99"));
    ck_assert_int_eq(ps_batch_store_body(bs, 99, &body, &len, err, sizeof err),
                     PS_BSTORE_NOT_FOUND);
    ps_batch_store_close(bs);
}
END_TEST

START_TEST(duplicates_by_content)
{
    ps_batch_store *bs = open_bs();
    bool dup;
    uint64_t a = receive(bs, PS_BATCH_JSON, "{\"x\":1}", &dup);
    uint64_t again = receive(bs, PS_BATCH_JSON, "{\"x\":1}", &dup);
    ck_assert(dup);
    ck_assert_uint_eq(again, a);
    /* one byte different: a new batch */
    uint64_t other = receive(bs, PS_BATCH_JSON, "{\"x\":2}", &dup);
    ck_assert(!dup);
    ck_assert_uint_ne(other, a);
    /* the same bytes in another format are another batch */
    uint64_t pax = receive(bs, PS_BATCH_PAXLST, "{\"x\":1}", &dup);
    ck_assert(!dup);
    ck_assert_uint_ne(pax, a);
    /* an empty body is a body like any other */
    uint64_t e1 = receive(bs, PS_BATCH_JSON, "", &dup);
    ck_assert(!dup);
    receive(bs, PS_BATCH_JSON, "", &dup);
    ck_assert(dup);
    ck_assert_uint_gt(e1, pax);
    uint64_t id;
    ck_assert_int_eq(
        ps_batch_store_receive(bs, (ps_batch_format)9, "x", 1, NULL, &id, &dup, err, sizeof err),
        PS_BSTORE_INVALID);
    ps_batch_store_close(bs);
}
END_TEST

START_TEST(finish_once_and_cursors)
{
    ps_batch_store *bs = open_bs();
    bool dup, already;
    uint64_t a = receive(bs, PS_BATCH_JSON, "a", &dup);
    uint64_t b = receive(bs, PS_BATCH_JSON, "b", &dup);
    uint64_t c = receive(bs, PS_BATCH_JSON, "c", &dup);
    uint64_t pend[8];
    ck_assert_uint_eq(ps_batch_store_pending(bs, pend, 8, err, sizeof err), 3);
    ck_assert_uint_eq(pend[0], a);
    ck_assert_uint_eq(pend[2], c);
    ck_assert_uint_eq(ps_batch_store_last_cursor(bs), 0);

    ps_stored_hit hb[2] = {{"{\"h\":\"b1\"}", 10}, {"{\"h\":\"b2\"}", 10}};
    uint64_t first;
    ck_assert_int_eq(ps_batch_store_finish(bs, b, PS_BATCH_SCREENED, NULL, 5, hb, 2, &first,
                                           &already, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert(!already);
    ck_assert_uint_eq(first, 1);
    /* finishing again writes nothing */
    ck_assert_int_eq(ps_batch_store_finish(bs, b, PS_BATCH_SCREENED, NULL, 5, hb, 2, &first,
                                           &already, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert(already);
    ck_assert_uint_eq(ps_batch_store_last_cursor(bs), 2);

    ps_stored_hit ha[1] = {{"{\"h\":\"a1\"}", 10}};
    ck_assert_int_eq(ps_batch_store_finish(bs, a, PS_BATCH_SCREENED, NULL, 1, ha, 1, &first,
                                           &already, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(first, 3);
    ck_assert_int_eq(ps_batch_store_finish(bs, c, PS_BATCH_FAILED, "store unreadable", 0, NULL, 0,
                                           &first, &already, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(first, 0);
    ck_assert_uint_eq(ps_batch_store_pending(bs, pend, 8, err, sizeof err), 0);

    ps_batch_info info;
    ck_assert_int_eq(ps_batch_store_get(bs, b, &info, err, sizeof err), PS_BSTORE_OK);
    ck_assert_int_eq(info.status, PS_BATCH_SCREENED);
    ck_assert_uint_eq(info.travellers, 5);
    ck_assert_uint_eq(info.n_hits, 2);
    ck_assert_uint_eq(info.first_cursor, 1);
    ck_assert_uint_ge(info.screened_ms, info.received_ms);
    ck_assert_int_eq(ps_batch_store_get(bs, c, &info, err, sizeof err), PS_BSTORE_OK);
    ck_assert_int_eq(info.status, PS_BATCH_FAILED);
    ck_assert_str_eq(info.reason, "store unreadable");

    /* a batch's hits by range */
    collected col = {0};
    ck_assert_int_eq(ps_batch_store_hit_range(bs, 1, 2, collect, &col, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(col.n, 2);
    ck_assert_str_eq(col.text[1], "{\"h\":\"b2\"}");

    /* paging through the log: after 0, limit 2, then after the last seen */
    memset(&col, 0, sizeof col);
    uint64_t last = 0;
    ck_assert_int_eq(ps_batch_store_hits(bs, 0, 2, collect, &col, &last, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(col.n, 2);
    ck_assert_uint_eq(last, 2);
    ck_assert_int_eq(ps_batch_store_hits(bs, last, 2, collect, &col, &last, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(col.n, 3);
    ck_assert_uint_eq(col.cursors[2], 3);
    ck_assert_str_eq(col.text[2], "{\"h\":\"a1\"}");
    ck_assert_int_eq(ps_batch_store_hits(bs, last, 0, collect, &col, &last, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(col.n, 3);
    ck_assert_int_eq(ps_batch_store_hits(bs, UINT64_MAX, 0, collect, &col, &last, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(col.n, 3);

    ck_assert_int_eq(ps_batch_store_finish(bs, 77, PS_BATCH_SCREENED, NULL, 0, NULL, 0, &first,
                                           &already, err, sizeof err),
                     PS_BSTORE_NOT_FOUND);
    ck_assert_int_eq(ps_batch_store_finish(bs, a, PS_BATCH_RECEIVED, NULL, 0, NULL, 0, &first,
                                           &already, err, sizeof err),
                     PS_BSTORE_INVALID);
    ps_batch_store_close(bs);
}
END_TEST

START_TEST(survives_reopen)
{
    ps_batch_store *bs = open_bs();
    bool dup, already;
    uint64_t a = receive(bs, PS_BATCH_JSON, "one", &dup);
    uint64_t b = receive(bs, PS_BATCH_JSON, "two", &dup);
    ps_stored_hit h = {"{}", 2};
    uint64_t first;
    ck_assert_int_eq(ps_batch_store_finish(bs, a, PS_BATCH_SCREENED, NULL, 1, &h, 1, &first,
                                           &already, err, sizeof err),
                     PS_BSTORE_OK);
    ps_batch_store_close(bs);

    bs = open_bs();
    uint64_t pend[4];
    ck_assert_uint_eq(ps_batch_store_pending(bs, pend, 4, err, sizeof err), 1);
    ck_assert_uint_eq(pend[0], b);
    ck_assert_uint_eq(receive(bs, PS_BATCH_JSON, "one", &dup), a);
    ck_assert(dup);
    ck_assert_uint_eq(receive(bs, PS_BATCH_JSON, "three", &dup), b + 1);
    ck_assert_uint_eq(ps_batch_store_last_cursor(bs), 1);
    ck_assert_int_eq(ps_batch_store_finish(bs, b, PS_BATCH_SCREENED, NULL, 1, &h, 1, &first,
                                           &already, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(first, 2);
    ps_batch_store_close(bs);
}
END_TEST

/* Makes body b's hash key point at batch `to` (as if a's and b's hashes collided). */
static void fake_collision(const char *b, uint64_t to)
{
    MDB_env *env;
    ck_assert_int_eq(mdb_env_create(&env), 0);
    ck_assert_int_eq(mdb_env_set_maxdbs(env, 8), 0);
    ck_assert_int_eq(mdb_env_set_mapsize(env, 64u << 20), 0);
    ck_assert_int_eq(mdb_env_open(env, dir, 0, 0660), 0);
    MDB_txn *txn;
    MDB_dbi dbi;
    ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    ck_assert_int_eq(mdb_dbi_open(txn, "hashes", MDB_DUPSORT, &dbi), 0);
    XXH128_canonical_t canon;
    XXH128_canonicalFromHash(&canon, XXH3_128bits(b, strlen(b)));
    unsigned char key[17], val[8];
    key[0] = PS_BATCH_JSON;
    memcpy(key + 1, canon.digest, 16);
    for (int i = 0; i < 8; i++)
        val[i] = (unsigned char)(to >> (56 - 8 * i));
    MDB_val k = {sizeof key, key}, v = {sizeof val, val};
    ck_assert_int_eq(mdb_put(txn, dbi, &k, &v, 0), 0);
    ck_assert_int_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

START_TEST(hash_collision_is_no_duplicate)
{
    ps_batch_store *bs = open_bs();
    bool dup;
    uint64_t a = receive(bs, PS_BATCH_JSON, "{\"a\":1}", &dup);
    ps_batch_store_close(bs);
    fake_collision("{\"b\":2}", a);

    bs = open_bs();
    uint64_t b = receive(bs, PS_BATCH_JSON, "{\"b\":2}", &dup);
    ck_assert(!dup); /* same hash key, different bytes: a new batch */
    ck_assert_uint_ne(b, a);
    ck_assert_uint_eq(receive(bs, PS_BATCH_JSON, "{\"b\":2}", &dup), b);
    ck_assert(dup);
    ck_assert_uint_eq(receive(bs, PS_BATCH_JSON, "{\"a\":1}", &dup), a);
    ck_assert(dup);
    ps_batch_store_close(bs);
}
END_TEST

START_TEST(open_errors)
{
    ps_batch_store *bs;
    char file[128];
    snprintf(file, sizeof file, "%s/plain", tmpdir);
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ck_assert_int_eq(ps_batch_store_open(file, 0, &bs, err, sizeof err), PS_BSTORE_IO);
    ck_assert_ptr_nonnull(strstr(err, "not a directory"));
    ck_assert_ptr_null(bs);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("batch_store");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, receive_and_get);
    tcase_add_test(tc, duplicates_by_content);
    tcase_add_test(tc, submitter_kept_and_duplicates_per_submitter);
    tcase_add_test(tc, finish_once_and_cursors);
    tcase_add_test(tc, survives_reopen);
    tcase_add_test(tc, hash_collision_is_no_duplicate);
    tcase_add_test(tc, open_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
