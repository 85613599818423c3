/* tests/unit/test_docnum_country.c — document number keys (engine/docnum.c: canonical and
 * confusable) and country codes (engine/country.c: ISO 3166-1 alpha-2/alpha-3 from ICU, the
 * ICAO 9303 specials, D, RKS/XK, and what is refused). */
#include "paxscreen/normalize.h"

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uclean.h>
#include <unicode/uloc.h>

/* Alpha-2 codes ICU 72 lists that are not ISO 3166-1 codes (see engine/country.c). */
static const char *const not_iso[] = {"DG", "EA", "IC", "XK"};

static bool is_not_iso(const char *a2)
{
    for (size_t i = 0; i < sizeof not_iso / sizeof not_iso[0]; i++)
        if (strcmp(a2, not_iso[i]) == 0)
            return true;
    return false;
}

static const char *country(const char *s)
{
    return ps_country_alpha3(s, strlen(s));
}

/* Runs both keys into exact-size heap buffers (len + 1) so an overrun is caught by ASan, and
 * checks the returned length and the terminator. */
static void keys(const char *in, size_t len, char *canon, char *conf, size_t cap)
{
    char *a = malloc(len + 1), *b = malloc(len + 1);
    memset(a, 'x', len + 1);
    memset(b, 'x', len + 1);
    size_t na = ps_docnum_canonical(in, len, a);
    size_t nb = ps_docnum_confusable(in, len, b);
    ck_assert_uint_le(na, len);
    ck_assert_uint_eq(nb, na);
    ck_assert_uint_eq(strlen(a), na);
    ck_assert_uint_eq(strlen(b), nb);
    ck_assert_uint_lt(na, cap);
    memcpy(canon, a, na + 1);
    memcpy(conf, b, nb + 1);
    free(a);
    free(b);
}

static void check_keys(const char *in, const char *want_canon, const char *want_conf)
{
    char canon[128], conf[128];
    keys(in, strlen(in), canon, conf, sizeof canon);
    ck_assert_msg(strcmp(canon, want_canon) == 0, "canonical(%s) = %s, want %s", in, canon,
                  want_canon);
    ck_assert_msg(strcmp(conf, want_conf) == 0, "confusable(%s) = %s, want %s", in, conf,
                  want_conf);
}

/* --- document numbers ------------------------------------------------------------------ */

START_TEST(test_docnum_canonical)
{
    check_keys("YY 347-8621", "YY3478621", "YY3478621");
    check_keys("yy3478621", "YY3478621", "YY3478621");
    check_keys("L898902C3<<<", "L898902C3", "1898902C3");
    check_keys("<<ab12<<", "AB12", "A812");
    check_keys("  12.345/678 - x ", "12345678X", "12345678X");
    check_keys("A_B,C;D:E'F\"G(H)I#J", "ABCDEFGHIJ", "A8CDEFGH1J");
    check_keys("no-Ä-ö-ß-ш-9", "NO9", "N09"); /* UTF-8 letters are dropped, not transliterated */
    check_keys("\xff\x80\t\r\n7", "7", "7");
    check_keys("abcdefghijklmnopqrstuvwxyz0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
               "A8CDEFGH1JK1MN0PQR5TUVWXY20123456789");
}
END_TEST

START_TEST(test_docnum_embedded_nul)
{
    char canon[16], conf[16];
    keys("AB\0CD", 5, canon, conf, sizeof canon);
    ck_assert_str_eq(canon, "ABCD");
    ck_assert_str_eq(conf, "A8CD");
}
END_TEST

START_TEST(test_docnum_empty)
{
    char canon[8], conf[8];
    keys("", 0, canon, conf, sizeof canon);
    ck_assert_str_eq(canon, "");
    ck_assert_str_eq(conf, "");
    keys(" -<</.", 6, canon, conf, sizeof canon);
    ck_assert_str_eq(canon, "");
    ck_assert_str_eq(conf, "");
    char out[1] = {'x'};
    ck_assert_uint_eq(ps_docnum_canonical(NULL, 0, out), 0);
    ck_assert_int_eq(out[0], '\0');
    out[0] = 'x';
    ck_assert_uint_eq(ps_docnum_confusable(NULL, 0, out), 0);
    ck_assert_int_eq(out[0], '\0');
}
END_TEST

START_TEST(test_docnum_brief_example_meets)
{
    const char *forms[] = {"YY 347-8621", "yy3478621", "YY34786Z1", "yy-347-86z1", "YY<347<8621<"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char canon[32], conf[32];
        keys(forms[i], strlen(forms[i]), canon, conf, sizeof canon);
        ck_assert_str_eq(conf, "YY3478621");
        /* Only the Z-for-2 forms differ on the canonical key. */
        ck_assert_str_eq(canon, i == 2 || i == 3 ? "YY34786Z1" : "YY3478621");
    }
}
END_TEST

START_TEST(test_docnum_confusable_pairs)
{
    static const char pairs[][2] = {{'O', '0'}, {'I', '1'}, {'L', '1'}, {'S', '5'},
                                    {'B', '8'}, {'Z', '2'}, {'o', '0'}, {'i', '1'},
                                    {'l', '1'}, {'s', '5'}, {'b', '8'}, {'z', '2'}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char letter[8] = "X1?9", digit[8] = "X1?9";
        letter[2] = pairs[i][0];
        digit[2] = pairs[i][1];
        char cl[8], fl[8], cd[8], fd[8];
        keys(letter, 4, cl, fl, sizeof cl);
        keys(digit, 4, cd, fd, sizeof cd);
        ck_assert_msg(strcmp(cl, cd) != 0, "%s and %s differ canonically", letter, digit);
        ck_assert_msg(strcmp(fl, fd) == 0, "%s and %s meet: %s vs %s", letter, digit, fl, fd);
    }
    /* Each way: letters in one number meet digits in the other, and the reverse. */
    char c1[16], f1[16], c2[16], f2[16];
    keys("O1I0SB8Z", 8, c1, f1, sizeof c1);
    keys("0IL058B2", 8, c2, f2, sizeof c2);
    ck_assert_str_ne(c1, c2);
    ck_assert_str_eq(f1, "01105882");
    ck_assert_str_eq(f2, "01105882");
    /* I and L both fold to 1, so they meet each other too. */
    char a[8], fa[8], b[8], fb[8];
    keys("AIL", 3, a, fa, sizeof a);
    keys("ALI", 3, b, fb, sizeof b);
    ck_assert_str_eq(fa, fb);
    /* Letters that are not folded stay distinct from digits. */
    keys("G6", 2, a, fa, sizeof a);
    ck_assert_str_eq(fa, "G6");
    keys("Q0D0U0", 6, a, fa, sizeof a);
    ck_assert_str_eq(fa, "Q0D0U0");
}
END_TEST

/* --- countries ----------------------------------------------------------------------- */

static void *lookup_all(void *arg)
{
    (void)arg;
    const char *const *codes = uloc_getISOCountries();
    for (int round = 0; round < 50; round++)
        for (size_t i = 0; codes[i]; i++) {
            const char *a3 = country(codes[i]);
            if (!is_not_iso(codes[i]) && (!a3 || strlen(a3) != 3))
                return (void *)codes[i];
        }
    return NULL;
}

/* First in the suite, so the table is built while several threads race to use it. */
START_TEST(test_country_first_use_threads)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, lookup_all, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *bad;
        pthread_join(t[i], &bad);
        ck_assert_msg(bad == NULL, "lookup failed for %s", bad ? (const char *)bad : "");
    }
}
END_TEST

START_TEST(test_country_spain)
{
    const char *in[] = {"ESP", "ES", "es", " esp ", "esp", "Es", "eSp", "  ES", "\tESP\r\n"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        const char *a3 = country(in[i]);
        ck_assert_msg(a3 != NULL, "'%s' unknown", in[i]);
        ck_assert_str_eq(a3, "ESP");
    }
    /* The length bounds the input; bytes past it are not read. */
    ck_assert_str_eq(ps_country_alpha3("ESPANA", 3), "ESP");
    ck_assert_str_eq(ps_country_alpha3("ES(", 2), "ESP");
}
END_TEST

START_TEST(test_country_germany_and_britain)
{
    ck_assert_str_eq(country("DE"), "DEU");
    ck_assert_str_eq(country("DEU"), "DEU");
    ck_assert_str_eq(country("D"), "DEU");
    ck_assert_str_eq(country("d"), "DEU");
    ck_assert_str_eq(country(" D "), "DEU");
    ck_assert_str_eq(country("GBR"), "GBR");
    ck_assert_str_eq(country("GB"), "GBR");
    ck_assert_str_eq(country("gb"), "GBR");
    /* UK is only exceptionally reserved in ISO 3166-1; it is not Britain's alpha-2. */
    ck_assert_ptr_null(country("UK"));
    ck_assert_ptr_null(country("uk"));
    ck_assert_str_eq(country("UKR"), "UKR"); /* Ukraine */
    ck_assert_str_eq(country("UA"), "UKR");
}
END_TEST

START_TEST(test_country_icao_specials)
{
    const char *specials[] = {"GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK",
                              "EUE", "XBA", "XIM", "XCC", "XCE", "XCO", "XEC", "XES",
                              "XMP", "XOM", "XPO", "XDC", "XXA", "XXB", "XXC", "XXX"};
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        const char *a3 = country(specials[i]);
        ck_assert_msg(a3 != NULL, "%s unknown", specials[i]);
        ck_assert_str_eq(a3, specials[i]);
        char lower[4];
        for (int k = 0; k < 4; k++)
            lower[k] = (char)(specials[i][k] ? specials[i][k] - 'A' + 'a' : 0);
        ck_assert_str_eq(country(lower), specials[i]);
    }
}
END_TEST

START_TEST(test_country_kosovo)
{
    ck_assert_str_eq(country("RKS"), "RKS");
    ck_assert_str_eq(country("rks"), "RKS");
    ck_assert_str_eq(country("XK"), "RKS");
    ck_assert_str_eq(country("xk"), "RKS");
    ck_assert_str_eq(country("UNK"), "UNK"); /* UNMIK-issued stays UNK */
    ck_assert_ptr_null(country("XKK"));      /* ICU's alpha-3 for XK; not a real code */
    ck_assert_ptr_null(country("XKX"));
}
END_TEST

START_TEST(test_country_rejects)
{
    const char *bad[] = {"ZZZ", "",    "E",   "ESPA", "   ", "ZZ",  "AA", "QQ",  "XX",  "E S",
                         "E1",  "1ES", "ES<", "É",    "UK",  "EU",  "UN", "AN",  "ANT", "YU",
                         "YUG", "SUN", "ZR",  "ZAR",  "DG",  "DGA", "EA", "XEA", "IC",  "XIC",
                         "DD",  "DDR", "CS",  "SCG",  "TP",  "TMP", "FX", "FXX", "WSA", "INP"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(country(bad[i]) == NULL, "'%s' gave %s", bad[i], country(bad[i]));
    ck_assert_ptr_null(ps_country_alpha3(NULL, 0));
    ck_assert_ptr_null(ps_country_alpha3("ES\0", 3));
    ck_assert_ptr_null(ps_country_alpha3("\0ES", 3));
    ck_assert_ptr_null(ps_country_alpha3("E\0S", 3));
    ck_assert_ptr_null(ps_country_alpha3("ES", 0));
    ck_assert_ptr_null(ps_country_alpha3("ES", 1));
}
END_TEST

START_TEST(test_country_every_icu_alpha2)
{
    const char *const *codes = uloc_getISOCountries();
    ck_assert_ptr_nonnull(codes);
    size_t accepted = 0;
    const char *seen[300];
    for (size_t i = 0; codes[i]; i++) {
        const char *a3 = country(codes[i]);
        if (is_not_iso(codes[i]) && strcmp(codes[i], "XK") != 0) {
            ck_assert_msg(a3 == NULL, "%s is not ISO 3166-1 but gave %s", codes[i], a3);
            continue;
        }
        ck_assert_msg(a3 != NULL, "%s unknown", codes[i]);
        ck_assert_uint_eq(strlen(a3), 3);
        for (int k = 0; k < 3; k++)
            ck_assert(a3[k] >= 'A' && a3[k] <= 'Z');
        const char *back = country(a3);
        ck_assert_msg(back != NULL && strcmp(back, a3) == 0, "%s -> %s -> %s", codes[i], a3,
                      back ? back : "NULL");
        ck_assert_ptr_eq(country(codes[i]), a3); /* the same static string every time */
        if (strcmp(codes[i], "XK") == 0)
            continue;
        /* distinct alpha-2 codes give distinct alpha-3 codes */
        for (size_t k = 0; k < accepted; k++)
            ck_assert_msg(strcmp(seen[k], a3) != 0, "%s given twice", a3);
        ck_assert_uint_lt(accepted, sizeof seen / sizeof seen[0]);
        seen[accepted++] = a3;
    }
    ck_assert_uint_eq(accepted, 249); /* ISO 3166-1 has 249 current codes */
}
END_TEST

START_TEST(test_country_known_codes)
{
    static const char *const pairs[][2] = {
        {"US", "USA"}, {"FR", "FRA"}, {"CH", "CHE"}, {"NL", "NLD"}, {"SS", "SSD"}, {"BQ", "BES"},
        {"CW", "CUW"}, {"SX", "SXM"}, {"RS", "SRB"}, {"ME", "MNE"}, {"TL", "TLS"}, {"PS", "PSE"},
        {"TW", "TWN"}, {"HK", "HKG"}, {"MO", "MAC"}, {"AX", "ALA"}, {"AQ", "ATA"}, {"UM", "UMI"},
        {"KP", "PRK"}, {"KR", "KOR"}, {"CD", "COD"}, {"CG", "COG"}, {"VA", "VAT"}, {"SZ", "SWZ"},
        {"MK", "MKD"}, {"ZA", "ZAF"}, {"BV", "BVT"}, {"IO", "IOT"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *a3 = country(pairs[i][0]);
        ck_assert_msg(a3 != NULL && strcmp(a3, pairs[i][1]) == 0, "%s -> %s, want %s", pairs[i][0],
                      a3 ? a3 : "NULL", pairs[i][1]);
        ck_assert_str_eq(country(pairs[i][1]), pairs[i][1]);
    }
}
END_TEST

START_TEST(test_country_result_is_static)
{
    char in[8] = " fra ";
    const char *a3 = country(in);
    ck_assert_ptr_nonnull(a3);
    ck_assert(a3 < in || a3 >= in + sizeof in); /* not a view into the input */
    memset(in, 0, sizeof in);
    ck_assert_str_eq(a3, "FRA");
    ck_assert_ptr_eq(country("FR"), country("FRA"));
    ck_assert_ptr_eq(country("D"), country("DEU"));
}
END_TEST

static Suite *docnum_country_suite(void)
{
    Suite *s = suite_create("docnum_country");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_country_first_use_threads);
    tcase_add_test(tc, test_docnum_canonical);
    tcase_add_test(tc, test_docnum_embedded_nul);
    tcase_add_test(tc, test_docnum_empty);
    tcase_add_test(tc, test_docnum_brief_example_meets);
    tcase_add_test(tc, test_docnum_confusable_pairs);
    tcase_add_test(tc, test_country_spain);
    tcase_add_test(tc, test_country_germany_and_britain);
    tcase_add_test(tc, test_country_icao_specials);
    tcase_add_test(tc, test_country_kosovo);
    tcase_add_test(tc, test_country_rejects);
    tcase_add_test(tc, test_country_every_icu_alpha2);
    tcase_add_test(tc, test_country_known_codes);
    tcase_add_test(tc, test_country_result_is_static);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(docnum_country_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    u_cleanup();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
