/* tests/unit/test_name_index.c — the name index: key derivation (token, consonant skeleton,
 * vowel outline), the name_forms block round trip, and the store keeping names and
 * name_forms in step with inserts, updates and deletes. */
#include "../../engine/name_keys.h"
#include "paxscreen/store.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *key_of(char kind, const char *tok)
{
    static char out[PS_NAME_KEY_MAX + 1];
    size_t n = ps_name_key(kind, tok, strlen(tok), out);
    out[n] = '\0';
    return out;
}

START_TEST(test_keys)
{
    ck_assert_str_eq(key_of('T', "MARTINEZ"), "TMARTINEZ");
    /* transliteration variants meet on the skeleton */
    const char *mhmd[] = { "MOHAMMED", "MUHAMMAD", "MOHAMAD", "MHMD", "MOHAMED" };
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(key_of('S', mhmd[i]), "SMHMD");
    /* and on the vowel outline */
    const char *yuri[] = { "YURIY", "IURII", "JURIJ" };
    for (size_t i = 0; i < 3; i++)
        ck_assert_str_eq(key_of('V', yuri[i]), "VARA");
    ck_assert_str_eq(key_of('S', "ZHANG"), key_of('S', "CHANG"));
    ck_assert_str_eq(key_of('S', "PHILIP"), key_of('S', "FILIP"));
    ck_assert_str_eq(key_of('S', "ALEXANDER"), key_of('S', "ALEKSANDR"));
    ck_assert_str_eq(key_of('S', "CHOWDHURY"), key_of('S', "CHAUDHARY"));
    ck_assert_str_eq(key_of('S', "MARTINEZ"), "SMRTNS");
    /* too short for a skeleton or outline */
    ck_assert_str_eq(key_of('S', "LI"), "");
    ck_assert_str_eq(key_of('V', "AL"), "");
    ck_assert_str_eq(key_of('T', ""), "");
}
END_TEST

START_TEST(test_block_round_trip)
{
    ps_wl_name names[2] = {
        { .surname = PS_STR_LIT("MÜLLER"), .given_names = PS_STR_LIT("Hans Peter"),
          .type = PS_NAME_PRIMARY },
        { .full = PS_STR_LIT("Иван Петров"), .type = PS_NAME_ALIAS },
    };
    ps_wl_entry e = { .list = PS_STR_LIT("l"), .id = PS_STR_LIT("1"), .names = names,
                      .n_names = 2 };
    ps_buf b;
    ps_buf_init(&b);
    ps_nf_encode(&e, &b);
    size_t pos = 0, remaining = 0;
    ps_nf_name n;
    ck_assert(ps_nf_next((const unsigned char *)b.data, b.len, &pos, &remaining, &n));
    ck_assert_int_eq(n.type, PS_NAME_PRIMARY);
    ck_assert_int_eq(n.n_forms, 2); /* MUELLER and MULLER */
    ck_assert_int_eq(n.form[0].n, 3);
    ck_assert(n.form[0].tok[0].len == 7 && memcmp(n.form[0].tok[0].p, "MUELLER", 7) == 0);
    ck_assert_int_eq(n.form[0].tok[0].part, PS_PART_SURNAME);
    ck_assert_int_eq(n.form[0].tok[2].part, PS_PART_GIVEN);
    ck_assert(n.form[1].tok[0].len == 6 && memcmp(n.form[1].tok[0].p, "MULLER", 6) == 0);
    ck_assert(ps_nf_next((const unsigned char *)b.data, b.len, &pos, &remaining, &n));
    ck_assert_int_eq(n.type, PS_NAME_ALIAS);
    ck_assert_int_eq(n.form[0].tok[0].part, PS_PART_FULL);
    ck_assert(n.form[0].tok[0].len == 4 && memcmp(n.form[0].tok[0].p, "IVAN", 4) == 0);
    ck_assert(!ps_nf_next((const unsigned char *)b.data, b.len, &pos, &remaining, &n));
    /* a cut block is refused, not over-read */
    pos = 0;
    ck_assert(!ps_nf_next((const unsigned char *)b.data, 5, &pos, &remaining, &n));
    ps_buf_free(&b);
}
END_TEST

static size_t count(ps_store *s, const char *key)
{
    ps_snapshot *snap;
    char err[256];
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    size_t n = ps_snapshot_name_count(snap, key, strlen(key));
    ps_snapshot_end(snap);
    return n;
}

static void put(ps_store *s, ps_wl_entry *e, uint64_t hash)
{
    ps_store_writer *w;
    char err[256];
    ps_import_counts c = { 0 };
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_store_put(w, e, hash, &c, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
}

START_TEST(test_store_keeps_index_in_step)
{
    char dir[] = "/tmp/ps_name_index.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char err[256];
    ps_store *s;
    ck_assert_int_eq(ps_store_open(dir, true, &s, err, sizeof err), PS_STORE_OK);
    ps_wl_name name = { .surname = PS_STR_LIT("PETROV"), .given_names = PS_STR_LIT("IVAN") };
    ps_wl_entry e = { .list = PS_STR_LIT("wanted"), .id = PS_STR_LIT("W-1"), .names = &name,
                      .n_names = 1 };
    put(s, &e, 1);
    ck_assert_uint_eq(count(s, "TPETROV"), 1);
    ck_assert_uint_eq(count(s, "TIVAN"), 1);
    ck_assert_uint_eq(count(s, "SPTRV"), 1);
    /* the name changes: the old keys go, the new ones come */
    name.surname = PS_STR_LIT("SIDOROV");
    put(s, &e, 2);
    ck_assert_uint_eq(count(s, "TPETROV"), 0);
    ck_assert_uint_eq(count(s, "TSIDOROV"), 1);
    ck_assert_uint_eq(count(s, "TIVAN"), 1);
    /* a second entry shares a token */
    ps_wl_entry e2 = { .list = PS_STR_LIT("wanted"), .id = PS_STR_LIT("W-2"), .names = &name,
                       .n_names = 1 };
    put(s, &e2, 3);
    ck_assert_uint_eq(count(s, "TIVAN"), 2);
    /* deletes remove every key */
    ps_wl_entry del = { .list = PS_STR_LIT("wanted"), .id = PS_STR_LIT("W-1"), .deleted = true };
    put(s, &del, 4);
    del.id = PS_STR_LIT("W-2");
    put(s, &del, 5);
    ck_assert_uint_eq(count(s, "TIVAN"), 0);
    ck_assert_uint_eq(count(s, "TSIDOROV"), 0);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    const unsigned char *block;
    size_t len;
    ck_assert_int_eq(ps_snapshot_name_forms(snap, 0, &block, &len), PS_STORE_NOT_FOUND);
    ps_snapshot_end(snap);
    ps_store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("name_index");
    TCase *tc = tcase_create("name_index");
    tcase_add_test(tc, test_keys);
    tcase_add_test(tc, test_block_round_trip);
    tcase_add_test(tc, test_store_keeps_index_in_step);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
