/* tests/unit/test_border_stats.c — border statistics: day numbers, what a traveller adds to
 * each dimension (age band on the flight day, alpha-3 nationality, route from the flight or the
 * traveller, unknowns), merging within a batch, counts stored once with a batch, and reports by
 * day, month and dimension as JSON and CSV. */
#include "paxscreen/border_stats.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint32_t day(const char *iso)
{
    ps_date d;
    ck_assert(ps_date_parse_iso(iso, strlen(iso), &d));
    return ps_stats_day_of(&d);
}

static const ps_stat_delta *find(const ps_stats_batch *sb, char dim, const char *value)
{
    for (uint32_t i = 0; i < sb->n; i++)
        if (sb->items[i].dim == dim && strcmp(sb->items[i].value, value) == 0)
            return &sb->items[i];
    return NULL;
}

START_TEST(test_days)
{
    ck_assert_uint_eq(day("1970-01-02"), 1);
    ck_assert_uint_eq(day("2000-03-01"), 11017);
    ck_assert_uint_eq(day("2024-05-01"), 19844);
    ps_date y = {.year = 2024, .precision = PS_DATE_YEAR};
    ck_assert_uint_eq(ps_stats_day_of(&y), 0); /* no day: none */
}
END_TEST

START_TEST(test_traveller_dimensions)
{
    ps_stats_batch sb;
    ps_stats_batch_init(&sb, 20000);
    ps_flight_leg f = {.carrier = PS_STR_LIT("XZ"),
                       .departure_airport = PS_STR_LIT("BCN"),
                       .arrival_airport = PS_STR_LIT("IAD")};
    ck_assert(ps_date_parse_iso("2024-05-01T11:00", 16, &f.departure_time));
    ps_traveller a = {.nationality = PS_STR_LIT("D"), .gender = 'F', .role = PS_ROLE_CREW};
    ck_assert(ps_date_parse_iso("1968-05-02", 10, &a.birth_date)); /* 55 the day before 56 */
    ps_str lists[2] = {PS_STR_LIT("wanted"), PS_STR_LIT("health")};
    ps_stats_count_traveller(&sb, &a, &f, lists, 2);
    ps_traveller b = {.embarkation = PS_STR_LIT("LHR"), .debarkation = PS_STR_LIT("JFK")};
    ck_assert(ps_date_parse_iso("2010", 4, &b.birth_date));
    ps_stats_count_traveller(&sb, &b, NULL, NULL, 0); /* no flight: the screening day */
    ps_stats_count_traveller(&sb, &a, &f, lists, 1);

    const ps_stat_delta *d = find(&sb, PS_DIM_ALL, "");
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->day, day("2024-05-01"));
    ck_assert_uint_eq(d->add, 2); /* a twice on the flight day */
    ck_assert_uint_eq(find(&sb, PS_DIM_ROUTE, "BCN-IAD")->add, 2);
    ck_assert_uint_eq(find(&sb, PS_DIM_ROUTE, "LHR-JFK")->day, 20000);
    ck_assert_uint_eq(find(&sb, PS_DIM_CARRIER, "unknown")->add, 1);
    ck_assert_uint_eq(find(&sb, PS_DIM_NATIONALITY, "DEU")->add, 2);
    ck_assert_uint_eq(find(&sb, PS_DIM_NATIONALITY, "unknown")->add, 1);
    ck_assert_uint_eq(find(&sb, PS_DIM_AGE_BAND, "45-59")->add, 2);
    ck_assert_ptr_nonnull(find(&sb, PS_DIM_AGE_BAND, "0-17")); /* born 2010, counted 2024 */
    ck_assert_uint_eq(find(&sb, PS_DIM_GENDER, "F")->add, 2);
    ck_assert_uint_eq(find(&sb, PS_DIM_GENDER, "unknown")->add, 1);
    ck_assert_uint_eq(find(&sb, PS_DIM_ROLE, "crew")->add, 2);
    ck_assert_uint_eq(find(&sb, PS_DIM_LIST, "wanted")->add, 2);
    ck_assert_uint_eq(find(&sb, PS_DIM_LIST, "health")->add, 1);
    ck_assert_uint_eq(find(&sb, PS_DIM_HIT_TRAVELLERS, "")->add, 2);
    /* the hit twins count only the travellers with a hit (a twice, b never) */
    ck_assert_uint_eq(find(&sb, PS_DIM_HITS(PS_DIM_GENDER), "F")->add, 2);
    ck_assert_ptr_null(find(&sb, PS_DIM_HITS(PS_DIM_GENDER), "unknown"));
    ck_assert_uint_eq(find(&sb, PS_DIM_HITS(PS_DIM_ROUTE), "BCN-IAD")->add, 2);
    ps_stats_batch_free(&sb);
}
END_TEST

START_TEST(test_counted_once_and_reported)
{
    char dir[] = "/tmp/ps_stats.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char err[256];
    ps_batch_store *bs;
    ck_assert_int_eq(ps_batch_store_open(dir, 0, &bs, err, sizeof err), PS_BSTORE_OK);
    uint64_t id;
    bool dup, already;
    ck_assert_int_eq(ps_batch_store_receive(bs, PS_BATCH_JSON, "{}", 2, NULL, &id, &dup, err, sizeof err),
                     PS_BSTORE_OK);
    ps_stats_batch sb;
    ps_stats_batch_init(&sb, day("2024-05-01"));
    ps_traveller t = {.gender = 'M'};
    for (int i = 0; i < 3; i++)
        ps_stats_count_traveller(&sb, &t, NULL, NULL, 0);
    uint64_t first;
    for (int round = 0; round < 2; round++) /* the second finish changes nothing */
        ck_assert_int_eq(ps_batch_store_finish_counted(bs, id, PS_BATCH_SCREENED, NULL, 3, NULL, 0,
                                                       sb.items, sb.n, &first, &already, err,
                                                       sizeof err),
                         PS_BSTORE_OK);
    ck_assert(already);
    ps_buf out;
    ps_buf_init(&out);
    ck_assert_int_eq(ps_stats_report(bs, day("2024-04-01"), day("2024-05-31"), 'M', false, &out,
                                     err, sizeof err),
                     PS_BSTORE_OK);
    ps_buf_putc(&out, '\0');
    ck_assert_ptr_nonnull(strstr(out.data, "\"travellers\":3,"));
    ck_assert_ptr_nonnull(strstr(out.data, "\"rows\":[{\"value\":\"2024-05\",\"count\":3}]"));
    out.len = 0;
    ck_assert_int_eq(ps_stats_report(bs, day("2024-05-01"), day("2024-05-01"), PS_DIM_GENDER, true,
                                     &out, err, sizeof err),
                     PS_BSTORE_OK);
    ps_buf_putc(&out, '\0');
    ck_assert_str_eq(out.data, "gender,travellers\nM,3\n");
    ck_assert_int_eq(ps_stats_report(bs, day("2024-05-02"), day("2024-05-01"), 'D', false, &out,
                                     err, sizeof err),
                     PS_BSTORE_INVALID);
    ps_buf_free(&out);
    ps_stats_batch_free(&sb);
    ps_batch_store_close(bs);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("border_stats");
    TCase *tc = tcase_create("border_stats");
    tcase_add_test(tc, test_days);
    tcase_add_test(tc, test_traveller_dimensions);
    tcase_add_test(tc, test_counted_once_and_reported);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
