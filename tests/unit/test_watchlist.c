/* tests/unit/test_watchlist.c — watchlist import lines into entries: every field of the
 * interfaces.md shape, deletes, document patterns, and one named error per bad line. */
#include "paxscreen/watchlist.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ps_arena arena;
static ps_diag_list diags;

static void setup(void)
{
    ps_arena_init(&arena);
    ps_diag_list_init(&diags, &arena);
}

static void teardown(void) { ps_arena_free(&arena); }

static bool parse(const char *line, ps_wl_entry *e)
{
    diags.count = 0;
    return ps_wl_entry_parse(line, strlen(line), 7, &arena, e, &diags);
}

START_TEST(test_full_entry)
{
    ps_wl_entry e;
    const char *line =
        "{\"list\": \"wanted\", \"id\": \"W-000123\", \"action\": \"refer\", "
        "\"category\": \"arrest warrant\", "
        "\"names\": [{\"surname\": \"MARTINEZ\", \"given_names\": \"JULIO\", \"type\": \"primary\"},"
        " {\"full\": \"Хулио Мартинес\", \"type\": \"alias\"},"
        " {\"surname\": \"MARTINES\", \"type\": \"weak_alias\"}],"
        " \"birth_dates\": [\"1968-02-23\", \"1968\"], \"gender\": \"M\", "
        "\"nationalities\": [\"ESP\", \"MEX\"], "
        "\"documents\": [{\"type\": \"P\", \"number\": \"YY3478621\", \"issuer\": \"ESP\", "
        "\"status\": \"stolen\"}], \"unknown_key\": 1}";
    ck_assert(parse(line, &e));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(ps_str_eq_cstr(e.list, "wanted"));
    ck_assert(ps_str_eq_cstr(e.id, "W-000123"));
    ck_assert_int_eq(e.action, PS_ACTION_REFER);
    ck_assert(ps_str_eq_cstr(e.category, "arrest warrant"));
    ck_assert_uint_eq(e.n_names, 3);
    ck_assert(ps_str_eq_cstr(e.names[0].surname, "MARTINEZ"));
    ck_assert(ps_str_eq_cstr(e.names[0].given_names, "JULIO"));
    ck_assert_int_eq(e.names[0].type, PS_NAME_PRIMARY);
    ck_assert(ps_str_eq_cstr(e.names[1].full, "Хулио Мартинес"));
    ck_assert_int_eq(e.names[1].type, PS_NAME_ALIAS);
    ck_assert_int_eq(e.names[2].type, PS_NAME_WEAK_ALIAS);
    ck_assert_uint_eq(e.n_birth_dates, 2);
    ck_assert_int_eq(e.birth_dates[0].day, 23);
    ck_assert_int_eq(e.birth_dates[1].precision, PS_DATE_YEAR);
    ck_assert_int_eq(e.gender, 'M');
    ck_assert_uint_eq(e.n_nationalities, 2);
    ck_assert(ps_str_eq_cstr(e.nationalities[1], "MEX"));
    ck_assert_uint_eq(e.n_documents, 1);
    ck_assert(ps_str_eq_cstr(e.documents[0].number, "YY3478621"));
    ck_assert(ps_str_eq_cstr(e.documents[0].status, "stolen"));
    ck_assert(!e.deleted);
}
END_TEST

START_TEST(test_document_only_and_pattern)
{
    ps_wl_entry e;
    ck_assert(parse("{\"list\":\"sltd\",\"id\":\"S-1\",\"documents\":[{\"number\":\"X1\"},"
                    "{\"pattern\":\"L8989[0-9]{4}\",\"issuer\":\"UTO\"}]}",
                    &e));
    ck_assert_uint_eq(e.n_names, 0);
    ck_assert_uint_eq(e.n_documents, 2);
    ck_assert(ps_str_eq_cstr(e.documents[1].pattern, "L8989[0-9]{4}"));
    ck_assert_uint_eq(e.documents[1].number.len, 0);
    ck_assert(parse("{\"list\":\"l\",\"id\":\"P\",\"name_patterns\":[\"^AB+C\"]}", &e));
    ck_assert_uint_eq(e.n_name_patterns, 1);
}
END_TEST

START_TEST(test_delete_line)
{
    ps_wl_entry e;
    ck_assert(parse("{\"list\":\"wanted\",\"id\":\"W-1\",\"deleted\":true}", &e));
    ck_assert(e.deleted);
    ck_assert_uint_eq(e.n_names, 0);
    /* deleted: false is an ordinary entry and needs something to match on */
    ck_assert(!parse("{\"list\":\"wanted\",\"id\":\"W-1\",\"deleted\":false}", &e));
}
END_TEST

/* Each bad line: false, exactly one error, naming line 7 and the field. */
static void expect_bad(const char *line, const char *kind, const char *field)
{
    ps_wl_entry e;
    ck_assert_msg(!parse(line, &e), "accepted: %s", line);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_int_eq(diags.items[0].severity, PS_ERROR);
    ck_assert_str_eq(diags.items[0].kind, kind);
    char want[96];
    if (field[0])
        snprintf(want, sizeof want, "line 7: %s", field);
    else
        snprintf(want, sizeof want, "line 7");
    ck_assert_msg(ps_str_eq_cstr(diags.items[0].field, want), "field '%.*s', wanted '%s'",
                  (int)diags.items[0].field.len, diags.items[0].field.ptr, want);
}

START_TEST(test_bad_lines_name_the_field)
{
    expect_bad("{\"list\": \"w\", \"id\": ", "invalid_json", "");
    expect_bad("[1,2]", "invalid_entry", "entry");
    expect_bad("{\"id\":\"x\",\"names\":[{\"surname\":\"A\"}]}", "invalid_entry", "list");
    expect_bad("{\"list\":\"w\",\"names\":[{\"surname\":\"A\"}]}", "invalid_entry", "id");
    expect_bad("{\"list\":5,\"id\":\"x\"}", "invalid_entry", "list");
    expect_bad("{\"list\":\"w\",\"id\":\"x\"}", "invalid_entry", "entry");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"action\":\"arrest\",\"names\":[{\"surname\":\"A\"}]}",
               "invalid_entry", "action");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"names\":[{\"surname\":\"A\",\"type\":\"main\"}]}",
               "invalid_entry", "names[0].type");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"names\":[{\"type\":\"alias\"}]}", "invalid_entry",
               "names[0]");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"names\":[\"A B\"]}", "invalid_entry", "names[0]");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"names\":{}}", "invalid_entry", "names");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"names\":[{\"surname\":\"A\"}],"
               "\"birth_dates\":[\"23/02/1968\"]}",
               "invalid_entry", "birth_dates[0]");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"names\":[{\"surname\":\"A\"}],\"gender\":\"male\"}",
               "invalid_entry", "gender");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"documents\":[{\"issuer\":\"ESP\"}]}", "invalid_entry",
               "documents[0]");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"documents\":[{\"number\":12345}]}", "invalid_entry",
               "documents[0].number");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"names\":[{\"surname\":\"A\"}],"
               "\"nationalities\":[\"ESP\",7]}",
               "invalid_entry", "nationalities[1]");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"deleted\":\"yes\"}", "invalid_entry", "deleted");
    expect_bad("{\"list\":\"w\",\"id\":\"x\",\"id\":\"y\",\"names\":[{\"surname\":\"A\"}]}",
               "invalid_json", "");
}
END_TEST

START_TEST(test_action_names)
{
    ck_assert_int_eq(ps_action_from_name("no_board", 8), PS_ACTION_NO_BOARD);
    ck_assert_int_eq(ps_action_from_name("notify", 6), PS_ACTION_NOTIFY);
    ck_assert_int_eq(ps_action_from_name("", 0), PS_ACTION_NONE);
    ck_assert_str_eq(ps_action_name(PS_ACTION_REFER), "refer");
    ck_assert_str_eq(ps_name_type_name(PS_NAME_WEAK_ALIAS), "weak_alias");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("watchlist");
    TCase *tc = tcase_create("entry");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_full_entry);
    tcase_add_test(tc, test_document_only_and_pattern);
    tcase_add_test(tc, test_delete_line);
    tcase_add_test(tc, test_bad_lines_name_the_field);
    tcase_add_test(tc, test_action_names);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
