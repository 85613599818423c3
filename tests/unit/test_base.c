/* tests/unit/test_base.c — the shared base: dates (ISO text, validity, order, two-digit years),
 * the arena and byte buffer, the diag list, and JSON string writing. */
#include "paxscreen/arena.h"
#include "paxscreen/diag.h"
#include "paxscreen/record.h"
#include "paxscreen/record_json.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static ps_date day(int y, int m, int d)
{
    ps_date x = {
        .year = (int16_t)y, .month = (uint8_t)m, .day = (uint8_t)d, .precision = PS_DATE_DAY};
    return x;
}

START_TEST(test_date_iso_round_trip)
{
    const char *good[] = {"1968", "1968-02", "1968-02-23", "2024-05-01T11:00", "2000-02-29"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ps_date d;
        ck_assert_msg(ps_date_parse_iso(good[i], strlen(good[i]), &d), "%s", good[i]);
        char out[17];
        size_t n = ps_date_format(&d, out);
        ck_assert_uint_eq(n, strlen(good[i]));
        ck_assert_str_eq(out, good[i]);
    }
    ps_date d;
    ck_assert(ps_date_parse_iso("2024-05-01T11:00:59", 19, &d));
    ck_assert_uint_eq(d.precision, PS_DATE_MINUTE);
    const char *bad[] = {"",
                         "68",
                         "1968-2",
                         "1968-13",
                         "1968-02-30",
                         "1900-02-29",
                         "2024-05-01T24:00",
                         "2024-05-01X",
                         "19680223",
                         "2024-05-01T11:00:60"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!ps_date_parse_iso(bad[i], strlen(bad[i]), &d), "accepted %s", bad[i]);
}
END_TEST

START_TEST(test_date_order_by_common_precision)
{
    ps_date a = day(1968, 2, 23), b = day(1968, 2, 24);
    ck_assert_int_lt(ps_date_cmp(&a, &b), 0);
    ck_assert_int_gt(ps_date_cmp(&b, &a), 0);
    ps_date year_only = {.year = 1968, .precision = PS_DATE_YEAR};
    ck_assert_int_eq(ps_date_cmp(&a, &year_only), 0);
}
END_TEST

START_TEST(test_two_digit_years)
{
    ps_date ref = day(2024, 5, 1);
    ck_assert_int_eq(ps_year_birth(68, 2, 23, &ref), 1968);
    ck_assert_int_eq(ps_year_birth(24, 4, 30, &ref), 2024);
    ck_assert_int_eq(ps_year_birth(24, 5, 1, &ref), 2024); /* born on the day of the flight */
    ck_assert_int_eq(ps_year_birth(24, 5, 2, &ref), 1924);
    ck_assert_int_eq(ps_year_birth(0, 1, 1, &ref), 2000);
    ck_assert_int_eq(ps_year_birth(99, 0, 0, &ref), 1999); /* year-only birth date */
    ck_assert_int_eq(ps_year_near(29, &ref), 2029);
    ck_assert_int_eq(ps_year_near(74, &ref), 2074);
    ck_assert_int_eq(ps_year_near(75, &ref), 1975);
    ck_assert_int_eq(ps_year_near(24, &ref), 2024);
    ps_date ref1999 = day(1999, 12, 31);
    ck_assert_int_eq(ps_year_near(1, &ref1999), 2001);
    ck_assert_int_eq(ps_year_birth(1, 1, 1, &ref1999), 1901);
    /* without a reference: today, so a birth year is never in the future */
    ck_assert_int_le(ps_year_birth(99, 12, 31, NULL), 2099);
}
END_TEST

START_TEST(test_arena_alignment_reset_reuse)
{
    ps_arena a;
    ps_arena_init(&a);
    for (int i = 0; i < 1000; i++) {
        void *p = ps_arena_alloc(&a, (size_t)(i % 37) + 1);
        ck_assert_uint_eq((uintptr_t)p % 16, 0);
    }
    void *big = ps_arena_alloc(&a, 5u << 20);
    memset(big, 1, 5u << 20);
    size_t held = ps_arena_bytes(&a);
    ck_assert_uint_ge(held, 5u << 20);
    ps_arena_reset(&a);
    ck_assert_uint_ge(ps_arena_bytes(&a), 5u << 20); /* the largest chunk is kept */
    ck_assert_uint_lt(ps_arena_bytes(&a), held);
    ps_str s = ps_arena_strdup(&a, "MARTINEZ", 8);
    ck_assert(ps_str_eq_cstr(s, "MARTINEZ"));
    ck_assert_int_eq(s.ptr[8], '\0');
    ck_assert(!ps_str_eq_cstr(s, "MARTINE"));
    ck_assert(ps_str_eq(PS_STR_LIT("AB"), PS_STR_LIT("AB")));
    ps_arena_free(&a);
}
END_TEST

START_TEST(test_buf_printf_grows)
{
    ps_buf b;
    ps_buf_init(&b);
    for (int i = 0; i < 1000; i++)
        ps_buf_printf(&b, "%04d,", i);
    ck_assert_uint_eq(b.len, 5000);
    ck_assert(memcmp(b.data + 4995, "0999,", 5) == 0);
    char long_text[600];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    ps_buf_printf(&b, "[%s]", long_text);
    ck_assert_uint_eq(b.len, 5000 + 601);
    ck_assert_int_eq(b.data[b.len], '\0');
    ps_buf_free(&b);
}
END_TEST

START_TEST(test_diag_list)
{
    ps_arena a;
    ps_arena_init(&a);
    ps_diag_list l;
    ps_diag_list_init(&l, &a);
    for (int i = 0; i < 100; i++)
        ps_diag_add(&l, i % 3 ? PS_WARNING : PS_ERROR, "kind", (uint32_t)i, (uint64_t)i * 10,
                    "number %d", i);
    ck_assert_uint_eq(l.count, 100);
    ck_assert_uint_eq(ps_diag_count(&l, PS_ERROR), 34);
    ck_assert_uint_eq(ps_diag_count(&l, PS_WARNING), 66);
    ck_assert(ps_str_eq_cstr(l.items[42].message, "number 42"));
    ck_assert_uint_eq(l.items[42].offset, 420);
    ps_arena_free(&a);
}
END_TEST

START_TEST(test_json_string_escaping)
{
    ps_buf b;
    ps_buf_init(&b);
    const char in[] = "D'SOUZA \"Q\" \\ \n\t\x01 \xc3\x89 \xff \xe2\x82";
    ps_json_string(&b, in, sizeof in - 1);
    ck_assert_str_eq(b.data, "\"D'SOUZA \\\"Q\\\" \\\\ \\n\\t\\u0001 \xc3\x89 \xef\xbf\xbd "
                             "\xef\xbf\xbd\xef\xbf\xbd\"");
    ps_buf_free(&b);
}
END_TEST

START_TEST(test_traveller_json_leaves_out_absent_fields)
{
    ps_traveller t;
    ps_traveller_init(&t);
    t.id = PS_STR_LIT("X1");
    t.role = PS_ROLE_TRANSIT_CREW;
    t.surname = PS_STR_LIT("SMITH");
    t.birth_date = (ps_date){.year = 1970, .precision = PS_DATE_YEAR};
    ps_buf b;
    ps_buf_init(&b);
    ps_json_write_traveller(&b, &t);
    ck_assert_str_eq(b.data, "{\"id\":\"X1\",\"role\":\"transit_crew\",\"surname\":\"SMITH\","
                             "\"birth_date\":\"1970\"}");
    ps_buf_free(&b);
    ck_assert_int_eq(ps_role_from_name("crew", 4), PS_ROLE_CREW);
    ck_assert_int_eq(ps_role_from_name("pilot", 5), PS_ROLE_UNKNOWN);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("base");
    TCase *tc = tcase_create("base");
    tcase_add_test(tc, test_date_iso_round_trip);
    tcase_add_test(tc, test_date_order_by_common_precision);
    tcase_add_test(tc, test_two_digit_years);
    tcase_add_test(tc, test_arena_alignment_reset_reuse);
    tcase_add_test(tc, test_buf_printf_grows);
    tcase_add_test(tc, test_diag_list);
    tcase_add_test(tc, test_json_string_escaping);
    tcase_add_test(tc, test_traveller_json_leaves_out_absent_fields);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
