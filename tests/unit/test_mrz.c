/* tests/unit/test_mrz.c — Check tests for formats/mrz.c: ICAO 9303 TD1/TD2/TD3 specimens,
 * every check digit, line splitting, bad input, long document numbers, dates. */
#include "paxscreen/mrz.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ps_arena arena;
static ps_diag_list diags;
static ps_mrz m;

static const ps_date ref_2024 = {.year = 2024, .month = 6, .day = 1, .precision = PS_DATE_DAY};

static const char td3_l1[] = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
static const char td3_l2[] = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
static const char td1_l1[] = "I<UTOD231458907<<<<<<<<<<<<<<<";
static const char td1_l2[] = "7408122F1204159UTO<<<<<<<<<<<6";
static const char td1_l3[] = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
static const char td2_l1[] = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
static const char td2_l2[] = "D231458907UTO7408122F1204159<<<<<<<6";

static void setup(void)
{
    ps_arena_init(&arena);
    ps_diag_list_init(&diags, &arena);
    memset(&m, 0, sizeof m);
}

static void teardown(void)
{
    ps_arena_free(&arena);
}

/* Parses a copy of text in a buffer of exactly its length (no NUL), so a sanitizer build
 * catches any read past the end. */
static bool parse_ref(const char *text, size_t len, const ps_date *ref)
{
    char *copy = malloc(len ? len : 1);
    if (len)
        memcpy(copy, text, len);
    bool ok = ps_mrz_parse(copy, len, ref, &m, &diags);
    free(copy);
    return ok;
}

static bool parse(const char *text)
{
    return parse_ref(text, strlen(text), &ref_2024);
}

static char digit(int v)
{
    return (char)('0' + v);
}

static int cd(const char *p, size_t n)
{
    return ps_mrz_check_digit(p, n);
}

/* Joins lines with sep into buf. */
static const char *join(char *buf, const char *sep, const char *a, const char *b, const char *c)
{
    strcpy(buf, a);
    strcat(buf, sep);
    strcat(buf, b);
    if (c) {
        strcat(buf, sep);
        strcat(buf, c);
    }
    return buf;
}

static int td3_composite(const char *l2)
{
    char comp[40];
    memcpy(comp, l2, 10);
    memcpy(comp + 10, l2 + 13, 7);
    memcpy(comp + 17, l2 + 21, 22);
    return cd(comp, 39);
}

static int td2_composite(const char *l2)
{
    char comp[32];
    memcpy(comp, l2, 10);
    memcpy(comp + 10, l2 + 13, 7);
    memcpy(comp + 17, l2 + 21, 14);
    return cd(comp, 31);
}

static int td1_composite(const char *l1, const char *l2)
{
    char comp[50];
    memcpy(comp, l1 + 5, 25);
    memcpy(comp + 25, l2, 7);
    memcpy(comp + 32, l2 + 8, 7);
    memcpy(comp + 39, l2 + 18, 11);
    return cd(comp, 50);
}

/* Rewrites every check digit of a TD3 line 2 (optional CD as a digit). */
static void fix_td3(char *l2)
{
    l2[9] = digit(cd(l2, 9));
    l2[19] = digit(cd(l2 + 13, 6));
    l2[27] = digit(cd(l2 + 21, 6));
    l2[42] = digit(cd(l2 + 28, 14));
    l2[43] = digit(td3_composite(l2));
}

/* Parses TD3 line 1 of the specimen with the given line 2. */
static bool parse_td3(const char *l2, const ps_date *ref)
{
    char buf[100];
    join(buf, "\n", td3_l1, l2, NULL);
    return parse_ref(buf, strlen(buf), ref);
}

static bool has_warning(const char *kind, const char *field)
{
    for (uint32_t i = 0; i < diags.count; i++)
        if (diags.items[i].severity == PS_WARNING && strcmp(diags.items[i].kind, kind) == 0 &&
            ps_str_eq_cstr(diags.items[i].field, field))
            return true;
    return false;
}

/* The message of the only diag, NUL-terminated in a static buffer. */
static const char *only_message(void)
{
    static char text[600];
    ck_assert_uint_eq(diags.count, 1);
    size_t n =
        diags.items[0].message.len < sizeof text - 1 ? diags.items[0].message.len : sizeof text - 1;
    memcpy(text, diags.items[0].message.ptr, n);
    text[n] = '\0';
    return text;
}

static void assert_date(const ps_date *d, int prec, int y, int mo, int da)
{
    ck_assert_int_eq(d->precision, prec);
    ck_assert_int_eq(d->year, y);
    ck_assert_int_eq(d->month, mo);
    ck_assert_int_eq(d->day, da);
}

static void assert_invalid(const char *text, const char *needle)
{
    diags.count = 0;
    ck_assert(!parse(text));
    ck_assert_int_eq(m.format, 0);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_int_eq(diags.items[0].severity, PS_ERROR);
    ck_assert_str_eq(diags.items[0].kind, "mrz_invalid");
    const char *msg = only_message();
    ck_assert_msg(strstr(msg, needle) != NULL, "message \"%s\" lacks \"%s\"", msg, needle);
}

/* ---- check digits on their own ---- */

START_TEST(test_check_digit)
{
    ck_assert_int_eq(ps_mrz_check_digit("L898902C3", 9), 6);
    ck_assert_int_eq(ps_mrz_check_digit("740812", 6), 2);
    ck_assert_int_eq(ps_mrz_check_digit("120415", 6), 9);
    ck_assert_int_eq(ps_mrz_check_digit("ZE184226B<<<<<", 14), 1);
    ck_assert_int_eq(ps_mrz_check_digit("D23145890", 9), 7);
    ck_assert_int_eq(ps_mrz_check_digit("D23145890734", 12), 9);
    ck_assert_int_eq(ps_mrz_check_digit("<<<<<<", 6), 0);
    ck_assert_int_eq(ps_mrz_check_digit("", 0), 0);
    ck_assert_int_eq(ps_mrz_check_digit(NULL, 0), 0);
    ck_assert_int_eq(ps_mrz_check_digit("l898902C3", 9), -1);
    ck_assert_int_eq(ps_mrz_check_digit("L898 02C3", 9), -1);
    /* Only len characters are read. */
    ck_assert_int_eq(ps_mrz_check_digit("740812xyz", 6), 2);
}
END_TEST

/* ---- specimens ---- */

START_TEST(test_specimen_check_digits)
{
    /* The specimens' check digits, computed independently of the parser. */
    ck_assert_int_eq(cd(td3_l2, 9), 6);
    ck_assert_int_eq(cd(td3_l2 + 13, 6), 2);
    ck_assert_int_eq(cd(td3_l2 + 21, 6), 9);
    ck_assert_int_eq(cd(td3_l2 + 28, 14), 1);
    ck_assert_int_eq(td3_composite(td3_l2), 0);
    ck_assert_int_eq(cd(td1_l1 + 5, 9), 7);
    ck_assert_int_eq(cd(td1_l2, 6), 2);
    ck_assert_int_eq(cd(td1_l2 + 8, 6), 9);
    ck_assert_int_eq(td1_composite(td1_l1, td1_l2), 6);
    ck_assert_int_eq(cd(td2_l2, 9), 7);
    ck_assert_int_eq(td2_composite(td2_l2), 6);
}
END_TEST

START_TEST(test_td3_specimen)
{
    char buf[100];
    ck_assert(parse(join(buf, "\n", td3_l1, td3_l2, NULL)));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_int_eq(m.format, PS_MRZ_TD3);
    ck_assert(m.checks_ok);
    ck_assert_int_eq(m.checks_failed, 0);
    ck_assert_str_eq(m.doc_code, "P");
    ck_assert_str_eq(m.issuer, "UTO");
    ck_assert_str_eq(m.surname, "ERIKSSON");
    ck_assert_str_eq(m.given_names, "ANNA MARIA");
    ck_assert_str_eq(m.number, "L898902C3");
    ck_assert_str_eq(m.nationality, "UTO");
    assert_date(&m.birth_date, PS_DATE_DAY, 1974, 8, 12);
    ck_assert_int_eq(m.sex, 'F');
    assert_date(&m.expiry, PS_DATE_DAY, 2012, 4, 15);
    ck_assert_str_eq(m.optional, "ZE184226B");
}
END_TEST

START_TEST(test_td1_specimen)
{
    char buf[120];
    ck_assert(parse(join(buf, "\n", td1_l1, td1_l2, td1_l3)));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_int_eq(m.format, PS_MRZ_TD1);
    ck_assert(m.checks_ok);
    ck_assert_int_eq(m.checks_failed, 0);
    ck_assert_str_eq(m.doc_code, "I");
    ck_assert_str_eq(m.issuer, "UTO");
    ck_assert_str_eq(m.number, "D23145890");
    ck_assert_str_eq(m.nationality, "UTO");
    ck_assert_str_eq(m.surname, "ERIKSSON");
    ck_assert_str_eq(m.given_names, "ANNA MARIA");
    assert_date(&m.birth_date, PS_DATE_DAY, 1974, 8, 12);
    ck_assert_int_eq(m.sex, 'F');
    assert_date(&m.expiry, PS_DATE_DAY, 2012, 4, 15);
    ck_assert_str_eq(m.optional, "");
}
END_TEST

START_TEST(test_td2_specimen)
{
    char buf[100];
    ck_assert(parse(join(buf, "\n", td2_l1, td2_l2, NULL)));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_int_eq(m.format, PS_MRZ_TD2);
    ck_assert(m.checks_ok);
    ck_assert_str_eq(m.doc_code, "I");
    ck_assert_str_eq(m.issuer, "UTO");
    ck_assert_str_eq(m.surname, "ERIKSSON");
    ck_assert_str_eq(m.given_names, "ANNA MARIA");
    ck_assert_str_eq(m.number, "D23145890");
    ck_assert_str_eq(m.nationality, "UTO");
    assert_date(&m.birth_date, PS_DATE_DAY, 1974, 8, 12);
    ck_assert_int_eq(m.sex, 'F');
    assert_date(&m.expiry, PS_DATE_DAY, 2012, 4, 15);
    ck_assert_str_eq(m.optional, "");
}
END_TEST

/* ---- one corrupted check digit at a time ---- */

typedef struct cd_case {
    int line; /* 0-based line holding the digit */
    int pos;  /* 0-based column */
    const char *field;
    int expected;
} cd_case;

static void corrupt(char *line, int pos)
{
    char c = line[pos];
    line[pos] = c >= '0' && c <= '9' ? digit((c - '0' + 1) % 10) : '1';
}

START_TEST(test_td3_each_check_digit)
{
    static const cd_case cases[] = {
        {1, 9, "document_number", 6}, {1, 19, "birth_date", 2}, {1, 27, "expiry", 9},
        {1, 42, "optional", 1},       {1, 43, "composite", 0},
    };
    const cd_case *k = &cases[_i];
    char l2[45];
    memcpy(l2, td3_l2, sizeof l2);
    corrupt(l2, k->pos);
    if (k->pos != 43)
        l2[43] = digit(td3_composite(l2)); /* keep the composite right: only one failure */
    ck_assert(parse_td3(l2, &ref_2024));
    ck_assert_int_eq(m.checks_failed, 1);
    ck_assert(!m.checks_ok);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_int_eq(diags.items[0].severity, PS_WARNING);
    ck_assert_str_eq(diags.items[0].kind, "mrz_check_digit");
    ck_assert(ps_str_eq_cstr(diags.items[0].field, k->field));
    const char *msg = only_message();
    char want[64];
    snprintf(want, sizeof want, "expected %d, found %c", k->expected, l2[k->pos]);
    ck_assert_msg(strstr(msg, want) && strstr(msg, k->field), "message: %s", msg);
    /* Fields are still returned. */
    ck_assert_str_eq(m.number, "L898902C3");
    assert_date(&m.birth_date, PS_DATE_DAY, 1974, 8, 12);
}
END_TEST

START_TEST(test_td1_each_check_digit)
{
    static const cd_case cases[] = {
        {0, 14, "document_number", 7},
        {1, 6, "birth_date", 2},
        {1, 14, "expiry", 9},
        {1, 29, "composite", 6},
    };
    const cd_case *k = &cases[_i];
    char l1[31], l2[31], buf[120];
    memcpy(l1, td1_l1, sizeof l1);
    memcpy(l2, td1_l2, sizeof l2);
    corrupt(k->line == 0 ? l1 : l2, k->pos);
    if (!(k->line == 1 && k->pos == 29))
        l2[29] = digit(td1_composite(l1, l2));
    ck_assert(parse(join(buf, "\n", l1, l2, td1_l3)));
    ck_assert_int_eq(m.checks_failed, 1);
    ck_assert(!m.checks_ok);
    ck_assert(has_warning("mrz_check_digit", k->field));
    const char *msg = only_message();
    char want[32];
    snprintf(want, sizeof want, "expected %d", k->expected);
    ck_assert_msg(strstr(msg, want), "message: %s", msg);
}
END_TEST

START_TEST(test_td2_each_check_digit)
{
    static const cd_case cases[] = {
        {1, 9, "document_number", 7},
        {1, 19, "birth_date", 2},
        {1, 27, "expiry", 9},
        {1, 35, "composite", 6},
    };
    const cd_case *k = &cases[_i];
    char l2[37], buf[100];
    memcpy(l2, td2_l2, sizeof l2);
    corrupt(l2, k->pos);
    if (k->pos != 35)
        l2[35] = digit(td2_composite(l2));
    ck_assert(parse(join(buf, "\n", td2_l1, l2, NULL)));
    ck_assert_int_eq(m.checks_failed, 1);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert(has_warning("mrz_check_digit", k->field));
}
END_TEST

START_TEST(test_field_and_composite_fail_together)
{
    /* A changed data character breaks its own digit and the composite. */
    char l2[45];
    memcpy(l2, td3_l2, sizeof l2);
    l2[18] = '3'; /* DOB 740813 */
    ck_assert(parse_td3(l2, &ref_2024));
    ck_assert_int_eq(m.checks_failed, 2);
    ck_assert_uint_eq(diags.count, 2);
    ck_assert(has_warning("mrz_check_digit", "birth_date"));
    ck_assert(has_warning("mrz_check_digit", "composite"));
    assert_date(&m.birth_date, PS_DATE_DAY, 1974, 8, 13);
}
END_TEST

START_TEST(test_check_digit_letter_found)
{
    char l2[45];
    memcpy(l2, td3_l2, sizeof l2);
    l2[9] = '<';
    l2[43] = digit(td3_composite(l2));
    ck_assert(parse_td3(l2, &ref_2024));
    ck_assert_int_eq(m.checks_failed, 1);
    const char *msg = only_message();
    ck_assert_msg(strstr(msg, "found '<'"), "message: %s", msg);
    ck_assert_str_eq(m.number, "L898902C3");
}
END_TEST

START_TEST(test_td3_optional_filler_digit)
{
    /* Empty optional field: '<' or 0 as its check digit both verify. */
    char l2[45];
    memcpy(l2, "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<0", sizeof l2);
    fix_td3(l2);
    ck_assert_int_eq(l2[42], '0');
    ck_assert(parse_td3(l2, &ref_2024));
    ck_assert(m.checks_ok);
    ck_assert_str_eq(m.optional, "");

    diags.count = 0;
    l2[42] = '<';
    l2[43] = digit(td3_composite(l2));
    ck_assert(parse_td3(l2, &ref_2024));
    ck_assert(m.checks_ok);
    ck_assert_uint_eq(diags.count, 0);

    /* Non-empty optional data with '<' in place of its digit fails. */
    diags.count = 0;
    memcpy(l2, td3_l2, sizeof l2);
    l2[42] = '<';
    l2[43] = digit(td3_composite(l2));
    ck_assert(parse_td3(l2, &ref_2024));
    ck_assert_int_eq(m.checks_failed, 1);
    ck_assert(has_warning("mrz_check_digit", "optional"));
}
END_TEST

/* ---- line handling ---- */

static void assert_same_as_specimen(ps_mrz_format f)
{
    ck_assert_int_eq(m.format, f);
    ck_assert(m.checks_ok);
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_str_eq(m.surname, "ERIKSSON");
    ck_assert_str_eq(m.given_names, "ANNA MARIA");
    assert_date(&m.birth_date, PS_DATE_DAY, 1974, 8, 12);
    assert_date(&m.expiry, PS_DATE_DAY, 2012, 4, 15);
}

START_TEST(test_crlf_and_whitespace)
{
    char buf[160];
    ck_assert(parse(join(buf, "\r\n", td3_l1, td3_l2, NULL)));
    assert_same_as_specimen(PS_MRZ_TD3);
    ck_assert_str_eq(m.number, "L898902C3");

    ck_assert(parse(join(buf, "\r\n", td1_l1, td1_l2, td1_l3)));
    assert_same_as_specimen(PS_MRZ_TD1);

    /* Surrounding whitespace, a trailing CRLF, indented lines. */
    snprintf(buf, sizeof buf, "  \r\n\t%s  \r\n   %s\r\n\r\n", td2_l1, td2_l2);
    ck_assert(parse(buf));
    assert_same_as_specimen(PS_MRZ_TD2);
    ck_assert_str_eq(m.number, "D23145890");
}
END_TEST

START_TEST(test_concatenated)
{
    char buf[120];
    ck_assert(parse(join(buf, "", td3_l1, td3_l2, NULL)));
    ck_assert_uint_eq(strlen(buf), 88);
    assert_same_as_specimen(PS_MRZ_TD3);
    ck_assert_str_eq(m.optional, "ZE184226B");

    ck_assert(parse(join(buf, "", td2_l1, td2_l2, NULL)));
    ck_assert_uint_eq(strlen(buf), 72);
    assert_same_as_specimen(PS_MRZ_TD2);

    ck_assert(parse(join(buf, "", td1_l1, td1_l2, td1_l3)));
    ck_assert_uint_eq(strlen(buf), 90);
    assert_same_as_specimen(PS_MRZ_TD1);
    ck_assert_str_eq(m.number, "D23145890");

    /* With surrounding whitespace. */
    char padded[130];
    snprintf(padded, sizeof padded, "\n %s \r\n", buf);
    ck_assert(parse(padded));
    assert_same_as_specimen(PS_MRZ_TD1);
}
END_TEST

START_TEST(test_not_nul_terminated)
{
    /* Only len bytes count: what follows in memory is ignored. */
    char buf[200];
    join(buf, "\n", td3_l1, td3_l2, NULL);
    size_t len = strlen(buf);
    strcat(buf, "\nGARBAGE<<<");
    ck_assert(ps_mrz_parse(buf, len, &ref_2024, &m, &diags));
    ck_assert(m.checks_ok);
    ck_assert_str_eq(m.optional, "ZE184226B");
}
END_TEST

/* ---- not an MRZ ---- */

START_TEST(test_wrong_lengths)
{
    char buf[200], l2[46];

    /* TD3 line 2 one short / one long. */
    memcpy(l2, td3_l2, 43);
    l2[43] = '\0';
    assert_invalid(join(buf, "\n", td3_l1, l2, NULL), "line 2, column 44");
    snprintf(buf, sizeof buf, "%s\n%s<", td3_l1, td3_l2);
    assert_invalid(buf, "line 2, column 45");

    /* TD1 line 3 short. */
    char l3[31];
    memcpy(l3, td1_l3, 29);
    l3[29] = '\0';
    assert_invalid(join(buf, "\n", td1_l1, td1_l2, l3), "line 3, column 30");

    /* Two lines of 30; one line of 44; four lines; a blank line in the middle. */
    assert_invalid(join(buf, "\n", td1_l1, td1_l2, NULL), "line 1, column 31");
    assert_invalid(td3_l1, "line 1");
    snprintf(buf, sizeof buf, "%s\n%s\n%s\n%s", td1_l1, td1_l2, td1_l3, td1_l3);
    assert_invalid(buf, "4 lines");
    snprintf(buf, sizeof buf, "%s\n\n%s", td3_l1, td3_l2);
    assert_invalid(buf, "line 1, column 31");

    /* Concatenated, one character short. */
    join(buf, "", td3_l1, td3_l2, NULL);
    buf[87] = '\0';
    assert_invalid(buf, "87 characters");
}
END_TEST

START_TEST(test_bad_characters)
{
    char buf[200];
    /* Lower case is not accepted. */
    snprintf(buf, sizeof buf, "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\n%s", td3_l2);
    assert_invalid(buf, "line 1, column 1: 'p'");
    snprintf(buf, sizeof buf, "%s\nL898902C36UTo7408122F1204159ZE184226B<<<<<10", td3_l1);
    assert_invalid(buf, "line 2, column 13: 'o'");

    /* A space inside a line, a hyphen, a lone CR as separator. */
    snprintf(buf, sizeof buf, "%s\nL898902C36UTO7408122F1204159ZE184226B<< <<10", td3_l1);
    assert_invalid(buf, "line 2, column 40: byte 0x20");
    snprintf(buf, sizeof buf, "%s\n%s\nERIKSSON<<ANNA-MARIA<<<<<<<<<<", td1_l1, td1_l2);
    assert_invalid(buf, "line 3, column 15: '-'");
    join(buf, "\r", td2_l1, td2_l2, NULL);
    assert_invalid(buf, "73 characters");

    /* Concatenated input: the position is given per line. */
    join(buf, "", td2_l1, td2_l2, NULL);
    buf[40] = '*';
    assert_invalid(buf, "line 2, column 5: '*'");

    /* Non-ASCII bytes. */
    join(buf, "\n", td3_l1, td3_l2, NULL);
    buf[7] = (char)0xC3;
    assert_invalid(buf, "line 1, column 8: byte 0xC3");
}
END_TEST

START_TEST(test_empty)
{
    ck_assert(!ps_mrz_parse(NULL, 0, NULL, &m, &diags));
    ck_assert_uint_eq(ps_diag_count(&diags, PS_ERROR), 1);
    ck_assert_str_eq(diags.items[0].kind, "mrz_invalid");
    ck_assert_int_eq(m.format, 0);
    ck_assert(!m.checks_ok);

    diags.count = 0;
    ck_assert(!parse_ref("", 0, NULL));
    ck_assert_uint_eq(diags.count, 1);
    assert_invalid(" \r\n\t\n ", "empty");
    assert_invalid("\n", "empty");
}
END_TEST

START_TEST(test_failed_parse_clears_output)
{
    char buf[100];
    ck_assert(parse(join(buf, "\n", td3_l1, td3_l2, NULL)));
    ck_assert(!parse("P<UTO"));
    ck_assert_int_eq(m.format, 0);
    ck_assert_str_eq(m.surname, "");
    ck_assert_int_eq(m.birth_date.precision, PS_DATE_NONE);
}
END_TEST

START_TEST(test_null_diags)
{
    char l2[45];
    memcpy(l2, td3_l2, sizeof l2);
    l2[9] = '0';
    char buf[100];
    join(buf, "\n", td3_l1, l2, NULL);
    ck_assert(ps_mrz_parse(buf, strlen(buf), &ref_2024, &m, NULL));
    ck_assert_int_eq(m.checks_failed, 2);
    ck_assert(!ps_mrz_parse("x", 1, NULL, &m, NULL));
}
END_TEST

/* ---- long document numbers (TD1, TD2) ---- */

START_TEST(test_td1_long_number)
{
    /* 9303 Part 5: the number D23145890734 with its check digit 9 after the continuation. */
    static const char l1[] = "I<UTOD23145890<7349<<<<<<<<<<<";
    static const char l2[] = "7408122F1204159UTO<<<<<<<<<<<6";
    ck_assert_int_eq(cd("D23145890734", 12), 9);
    ck_assert_int_eq(td1_composite(l1, l2), 6);
    char buf[120];
    ck_assert(parse(join(buf, "\n", l1, l2, td1_l3)));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(m.checks_ok);
    ck_assert_str_eq(m.number, "D23145890734");
    ck_assert_str_eq(m.optional, "");

    /* Optional data after the continuation, and in line 2. */
    static const char l1b[] = "I<UTOD23145890<7349<ABC<<<<<<<";
    char l2b[31];
    memcpy(l2b, "7408122F1204159UTO<<XY12<<<<<0", sizeof l2b);
    l2b[29] = digit(td1_composite(l1b, l2b));
    diags.count = 0;
    ck_assert(parse(join(buf, "\n", l1b, l2b, td1_l3)));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_str_eq(m.number, "D23145890734");
    ck_assert_str_eq(m.optional, "ABC XY12");

    /* A wrong digit at the end of the continuation is the number's failure. */
    static const char l1c[] = "I<UTOD23145890<7348<<<<<<<<<<<";
    char l2c[31];
    memcpy(l2c, l2, sizeof l2c);
    l2c[29] = digit(td1_composite(l1c, l2c));
    diags.count = 0;
    ck_assert(parse(join(buf, "\n", l1c, l2c, td1_l3)));
    ck_assert_int_eq(m.checks_failed, 1);
    ck_assert(has_warning("mrz_check_digit", "document_number"));
    const char *msg = only_message();
    ck_assert_msg(strstr(msg, "expected 9, found 8"), "message: %s", msg);
    ck_assert_str_eq(m.number, "D23145890734");

    /* The continuation runs to the end of the field. */
    static const char l1d[] = "I<UTOABCDEFGHI<JKLMNOPQRSTUVWX";
    char full[24];
    memcpy(full, "ABCDEFGHIJKLMNOPQRSTUVW", 23);
    char l1e[31];
    memcpy(l1e, l1d, sizeof l1e);
    l1e[29] = digit(cd(full, 23));
    char l2e[31];
    memcpy(l2e, l2, sizeof l2e);
    l2e[29] = digit(td1_composite(l1e, l2e));
    diags.count = 0;
    ck_assert(parse(join(buf, "\n", l1e, l2e, td1_l3)));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_str_eq(m.number, "ABCDEFGHIJKLMNOPQRSTUVW");
    ck_assert_str_eq(m.optional, "");
}
END_TEST

START_TEST(test_td2_long_number)
{
    static const char l2[] = "D23145890<UTO7408122F12041597349<<<2";
    ck_assert_int_eq(td2_composite(l2), 2);
    char buf[100];
    ck_assert(parse(join(buf, "\n", td2_l1, l2, NULL)));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(m.checks_ok);
    ck_assert_str_eq(m.number, "D23145890734");
    ck_assert_str_eq(m.optional, "");
    ck_assert_str_eq(m.nationality, "UTO");
}
END_TEST

START_TEST(test_no_overflow_in_td3)
{
    /* TD3 has no overflow rule: '<' in the number's digit is a failure. */
    char l2[45];
    memcpy(l2, "D23145890<UTO7408122F12041597349<<<<<<<<<<<0", sizeof l2);
    l2[42] = digit(cd(l2 + 28, 14));
    l2[43] = digit(td3_composite(l2));
    ck_assert(parse_td3(l2, &ref_2024));
    ck_assert_int_eq(m.checks_failed, 1);
    ck_assert(has_warning("mrz_check_digit", "document_number"));
    ck_assert_str_eq(m.number, "D23145890");
    ck_assert_str_eq(m.optional, "7349");
}
END_TEST

/* ---- dates ---- */

static void parse_td3_dates(const char *dob, const char *expiry, const ps_date *ref)
{
    char l2[45];
    memcpy(l2, td3_l2, sizeof l2);
    memcpy(l2 + 13, dob, 6);
    memcpy(l2 + 21, expiry, 6);
    fix_td3(l2);
    diags.count = 0;
    ck_assert(parse_td3(l2, ref));
    ck_assert(m.checks_ok);
}

START_TEST(test_unknown_date_parts)
{
    parse_td3_dates("74<<<<", "120415", &ref_2024);
    ck_assert_uint_eq(diags.count, 0);
    assert_date(&m.birth_date, PS_DATE_YEAR, 1974, 0, 0);

    parse_td3_dates("7408<<", "1204<<", &ref_2024);
    ck_assert_uint_eq(diags.count, 0);
    assert_date(&m.birth_date, PS_DATE_MONTH, 1974, 8, 0);
    assert_date(&m.expiry, PS_DATE_MONTH, 2012, 4, 0);

    /* Unknown month with a known day: year only. */
    parse_td3_dates("74<<12", "120415", &ref_2024);
    ck_assert_uint_eq(diags.count, 0);
    assert_date(&m.birth_date, PS_DATE_YEAR, 1974, 0, 0);

    /* Nothing known: no date, no warning. */
    parse_td3_dates("<<<<<<", "120415", &ref_2024);
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_int_eq(m.birth_date.precision, PS_DATE_NONE);

    /* Unknown parts in a birth year that would be after the reference month. */
    parse_td3_dates("2407<<", "300101", &ref_2024);
    assert_date(&m.birth_date, PS_DATE_MONTH, 1924, 7, 0);
    parse_td3_dates("24<<<<", "300101", &ref_2024);
    assert_date(&m.birth_date, PS_DATE_YEAR, 2024, 0, 0);
}
END_TEST

START_TEST(test_invalid_dates)
{
    static const char *bad_dob[] = {"741332", "740230", "741200", "7408<2", "7A0812", "<40812"};
    for (size_t i = 0; i < sizeof bad_dob / sizeof bad_dob[0]; i++) {
        parse_td3_dates(bad_dob[i], "120415", &ref_2024);
        ck_assert_msg(diags.count == 1, "%s", bad_dob[i]);
        ck_assert(has_warning("mrz_invalid_date", "birth_date"));
        ck_assert_int_eq(m.birth_date.precision, PS_DATE_NONE);
        assert_date(&m.expiry, PS_DATE_DAY, 2012, 4, 15);
    }
    parse_td3_dates("740812", "120431", &ref_2024);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert(has_warning("mrz_invalid_date", "expiry"));
    ck_assert_int_eq(m.expiry.precision, PS_DATE_NONE);
    const char *msg = only_message();
    ck_assert_msg(strstr(msg, "expiry") && strstr(msg, "120431"), "message: %s", msg);

    /* 29 February exists in 2000 and 1996 ... */
    parse_td3_dates("000229", "960229", &ref_2024);
    ck_assert_uint_eq(diags.count, 0);
    assert_date(&m.birth_date, PS_DATE_DAY, 2000, 2, 29);
    assert_date(&m.expiry, PS_DATE_DAY, 1996, 2, 29);
    /* ... not in 1900 (a birth before a 1999 reference date). */
    ps_date ref_1999 = {.year = 1999, .month = 1, .day = 1, .precision = PS_DATE_DAY};
    parse_td3_dates("000229", "120415", &ref_1999);
    ck_assert(has_warning("mrz_invalid_date", "birth_date"));
}
END_TEST

START_TEST(test_century)
{
    /* Birth: latest year not after the reference date. */
    parse_td3_dates("240701", "740812", &ref_2024);
    assert_date(&m.birth_date, PS_DATE_DAY, 1924, 7, 1);
    /* Expiry: nearest year (a 50-year tie goes forward). */
    assert_date(&m.expiry, PS_DATE_DAY, 2074, 8, 12);

    parse_td3_dates("240501", "990101", &ref_2024);
    assert_date(&m.birth_date, PS_DATE_DAY, 2024, 5, 1);
    assert_date(&m.expiry, PS_DATE_DAY, 1999, 1, 1);

    parse_td3_dates("240601", "750101", &ref_2024);
    assert_date(&m.birth_date, PS_DATE_DAY, 2024, 6, 1);
    assert_date(&m.expiry, PS_DATE_DAY, 1975, 1, 1);

    ps_date ref_1990 = {.year = 1990, .month = 3, .day = 1, .precision = PS_DATE_DAY};
    parse_td3_dates("850101", "120415", &ref_1990);
    assert_date(&m.birth_date, PS_DATE_DAY, 1985, 1, 1);
    assert_date(&m.expiry, PS_DATE_DAY, 2012, 4, 15);
    parse_td3_dates("950101", "120415", &ref_1990);
    assert_date(&m.birth_date, PS_DATE_DAY, 1895, 1, 1);

    /* NULL reference: today. */
    parse_td3_dates("740812", "120415", NULL);
    assert_date(&m.birth_date, PS_DATE_DAY, 1974, 8, 12);
    assert_date(&m.expiry, PS_DATE_DAY, 2012, 4, 15);
}
END_TEST

/* ---- names, codes, sex ---- */

/* A TD3 line 1 from its start, padded with fillers to 44. */
static const char *td3_line1(const char *start)
{
    static char l1[45];
    size_t n = strlen(start);
    ck_assert_uint_le(n, 44);
    memcpy(l1, start, n);
    memset(l1 + n, '<', 44 - n);
    l1[44] = '\0';
    return l1;
}

START_TEST(test_names_and_codes)
{
    char buf[100];
    snprintf(buf, sizeof buf, "%s\n%s", td3_line1("P<D<<VAN<DER<BERG<<JAN<<PIETER"), td3_l2);
    ck_assert(parse(buf));
    ck_assert_str_eq(m.issuer, "D");
    ck_assert_str_eq(m.surname, "VAN DER BERG");
    ck_assert_str_eq(m.given_names, "JAN PIETER");

    /* No secondary identifier; a name that fills the field. */
    snprintf(buf, sizeof buf, "%s\n%s", "PDUTOABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLM", td3_l2);
    ck_assert(parse(buf));
    ck_assert_str_eq(m.doc_code, "PD");
    ck_assert_str_eq(m.surname, "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLM");
    ck_assert_str_eq(m.given_names, "");
    snprintf(buf, sizeof buf, "%s\n%s", td3_line1("P<UTOERIKSSON"), td3_l2);
    ck_assert(parse(buf));
    ck_assert_str_eq(m.surname, "ERIKSSON");
    ck_assert_str_eq(m.given_names, "");

    /* Only a secondary identifier. */
    snprintf(buf, sizeof buf, "%s\n%s", td3_line1("P<UTO<<ANNA"), td3_l2);
    ck_assert(parse(buf));
    ck_assert_str_eq(m.surname, "");
    ck_assert_str_eq(m.given_names, "ANNA");
}
END_TEST

START_TEST(test_sex)
{
    char l2[45];
    memcpy(l2, td3_l2, sizeof l2);
    l2[20] = '<';
    ck_assert(parse_td3(l2, &ref_2024)); /* sex is outside every check digit */
    ck_assert(m.checks_ok);
    ck_assert_int_eq(m.sex, 'X');
    l2[20] = 'M';
    ck_assert(parse_td3(l2, &ref_2024));
    ck_assert_int_eq(m.sex, 'M');
    ck_assert_uint_eq(diags.count, 0);
    l2[20] = '7';
    ck_assert(parse_td3(l2, &ref_2024));
    ck_assert_int_eq(m.sex, 'X');
    ck_assert(has_warning("mrz_invalid_sex", "sex"));
}
END_TEST

START_TEST(test_visas)
{
    /* 9303 Part 7 specimens: MRV-A (2x44) and MRV-B (2x36) have no composite digit. */
    static const char a1[] = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    static const char a2[] = "L8988901C4XXX4009078F96121096ZE184226B<<<<<<";
    static const char b1[] = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
    static const char b2[] = "L8988901C4XXX4009078F9612109<<<<<<<<";
    ck_assert_int_eq(cd(a2, 9), 4);
    ck_assert_int_eq(cd(a2 + 13, 6), 8);
    ck_assert_int_eq(cd(a2 + 21, 6), 9);
    char buf[100];
    ck_assert(parse(join(buf, "\n", a1, a2, NULL)));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_int_eq(m.format, PS_MRZ_TD3);
    ck_assert(m.checks_ok);
    ck_assert_str_eq(m.doc_code, "V");
    ck_assert_str_eq(m.number, "L8988901C");
    ck_assert_str_eq(m.nationality, "XXX");
    assert_date(&m.birth_date, PS_DATE_DAY, 1940, 9, 7);
    assert_date(&m.expiry, PS_DATE_DAY, 1996, 12, 10);
    ck_assert_str_eq(m.optional, "6ZE184226B");

    ck_assert(parse(join(buf, "\n", b1, b2, NULL)));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_int_eq(m.format, PS_MRZ_TD2);
    ck_assert(m.checks_ok);
    ck_assert_str_eq(m.number, "L8988901C");
    ck_assert_str_eq(m.optional, "");
}
END_TEST

static Suite *mrz_suite(void)
{
    Suite *s = suite_create("mrz");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_check_digit);
    tcase_add_test(tc, test_specimen_check_digits);
    tcase_add_test(tc, test_td3_specimen);
    tcase_add_test(tc, test_td1_specimen);
    tcase_add_test(tc, test_td2_specimen);
    tcase_add_loop_test(tc, test_td3_each_check_digit, 0, 5);
    tcase_add_loop_test(tc, test_td1_each_check_digit, 0, 4);
    tcase_add_loop_test(tc, test_td2_each_check_digit, 0, 4);
    tcase_add_test(tc, test_field_and_composite_fail_together);
    tcase_add_test(tc, test_check_digit_letter_found);
    tcase_add_test(tc, test_td3_optional_filler_digit);
    tcase_add_test(tc, test_crlf_and_whitespace);
    tcase_add_test(tc, test_concatenated);
    tcase_add_test(tc, test_not_nul_terminated);
    tcase_add_test(tc, test_wrong_lengths);
    tcase_add_test(tc, test_bad_characters);
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_failed_parse_clears_output);
    tcase_add_test(tc, test_null_diags);
    tcase_add_test(tc, test_td1_long_number);
    tcase_add_test(tc, test_td2_long_number);
    tcase_add_test(tc, test_no_overflow_in_td3);
    tcase_add_test(tc, test_unknown_date_parts);
    tcase_add_test(tc, test_invalid_dates);
    tcase_add_test(tc, test_century);
    tcase_add_test(tc, test_names_and_codes);
    tcase_add_test(tc, test_sex);
    tcase_add_test(tc, test_visas);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(mrz_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
