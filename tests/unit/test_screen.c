/* tests/unit/test_screen.c — screening through the public API (ps_screen_traveller) while the
 * lists change: a snapshot keeps screening against the lists it began with while a writer
 * deletes, adds and edits entries (names, documents, name patterns) and commits; a snapshot
 * begun after the commit sees the change. */
#include "paxscreen/screen.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static char err[256];
static ps_arena arena;

typedef struct found {
    char entries[8][32];
    int n;
} found;

static void on_hit(void *ctx, const ps_hit *h)
{
    found *f = ctx;
    if (f->n < 8)
        snprintf(f->entries[f->n++], sizeof f->entries[0], "%.*s:%s", (int)h->entry_id.len,
                 h->entry_id.ptr, ps_hit_kind_name(h->kind));
}

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The hits of traveller t, "ID:kind" in ID order joined by spaces ("" when none). */
static const char *hits_of(ps_snapshot *snap, const ps_traveller *t)
{
    static char out[256];
    found f = {.n = 0};
    ps_arena_reset(&arena);
    ck_assert_int_eq(ps_screen_traveller(snap, t, &arena, on_hit, &f, NULL), PS_STORE_OK);
    qsort(f.entries, (size_t)f.n, sizeof f.entries[0], cmp_entries);
    out[0] = '\0';
    for (int i = 0; i < f.n; i++) {
        if (i)
            strcat(out, " ");
        strcat(out, f.entries[i]);
    }
    return out;
}

/* The hits of a traveller with a name and perhaps a passport. */
static const char *screen(ps_snapshot *snap, const char *surname, const char *given,
                          const char *passport)
{
    ps_document doc = {.number = {passport, passport ? strlen(passport) : 0}};
    ps_traveller t = {.id = PS_STR_LIT("t"),
                      .surname = {surname, strlen(surname)},
                      .given_names = {given, strlen(given)},
                      .documents = passport ? &doc : NULL,
                      .n_documents = passport ? 1 : 0};
    return hits_of(snap, &t);
}

/* What import does: an entry's line hash says whether it changed (FNV-1a here). */
static uint64_t line_hash(const char *p)
{
    uint64_t h = 1469598103934665603ull;
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

static void apply(ps_store *s, const char *const *lines, size_t n)
{
    ps_store_writer *w;
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    for (size_t i = 0; i < n; i++) {
        ps_wl_entry e;
        ps_diag_list diags = {0};
        ck_assert(ps_wl_entry_parse(lines[i], strlen(lines[i]), i + 1, &arena, &e, &diags));
        ps_import_counts c = {0};
        ck_assert_int_eq(ps_store_put(w, &e, line_hash(lines[i]), &c, err, sizeof err),
                         PS_STORE_OK);
    }
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
}

static ps_store *fresh_store(void)
{
    snprintf(dir, sizeof dir, "/tmp/ps_screen.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ps_store *s;
    ck_assert_int_eq(ps_store_open(dir, true, &s, err, sizeof err), PS_STORE_OK);
    ps_arena_init(&arena);
    return s;
}

static void drop_store(ps_store *s)
{
    ps_store_close(s);
    ps_arena_free(&arena);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_updates_while_screening)
{
    ps_store *s = fresh_store();
    static const char *const first[] = {
        "{\"list\":\"wanted\",\"id\":\"W-1\",\"names\":[{\"surname\":\"MARTINEZ\","
        "\"given_names\":\"JULIO\"}]}",
        "{\"list\":\"sltd\",\"id\":\"D-1\",\"documents\":[{\"number\":\"YY3478621\"}]}",
    };
    apply(s, first, 2);
    ps_snapshot *before;
    ck_assert_int_eq(ps_snapshot_begin(s, &before, err, sizeof err), PS_STORE_OK);
    ck_assert_str_eq(screen(before, "MARTINES", "JULIO", NULL), "W-1:person");
    ck_assert_str_eq(screen(before, "NOBODY", "ELSE", "YY 347 8621"), "D-1:document");

    /* a writer deletes W-1, renames D-1's document, adds a pattern entry, and commits */
    static const char *const second[] = {
        "{\"list\":\"wanted\",\"id\":\"W-1\",\"deleted\":true}",
        "{\"list\":\"sltd\",\"id\":\"D-1\",\"documents\":[{\"number\":\"ZZ0000001\"}]}",
        "{\"list\":\"targets\",\"id\":\"T-1\",\"name_patterns\":[\"PETROV .*\"]}",
        ("{\"list\":\"wanted\",\"id\":\"W-2\",\"names\":[{\"surname\":\"KOWALCZYK\","
         "\"given_names\":\"AGNIESZKA\"}]}"),
    };
    apply(s, second, 4);

    /* the snapshot begun before still screens against the lists as they were */
    ck_assert_str_eq(screen(before, "MARTINES", "JULIO", NULL), "W-1:person");
    ck_assert_str_eq(screen(before, "NOBODY", "ELSE", "YY3478621"), "D-1:document");
    ck_assert_str_eq(screen(before, "PETROV", "IVAN", NULL), "");
    ck_assert_str_eq(screen(before, "KOWALCZYK", "AGNIESZKA", NULL), "");

    /* a snapshot begun after the commit sees every change */
    ps_snapshot *after;
    ck_assert_int_eq(ps_snapshot_begin(s, &after, err, sizeof err), PS_STORE_OK);
    ck_assert_uint_ne(ps_snapshot_version(before), ps_snapshot_version(after));
    ck_assert_str_eq(screen(after, "MARTINES", "JULIO", NULL), "");
    ck_assert_str_eq(screen(after, "NOBODY", "ELSE", "YY3478621"), "");
    ck_assert_str_eq(screen(after, "NOBODY", "ELSE", "ZZ0000001"), "D-1:document");
    ck_assert_str_eq(screen(after, "PETROV", "IVAN", NULL), "T-1:person");
    ck_assert_str_eq(screen(after, "KOWALCZIK", "AGNIESZKA", NULL), "W-2:person");
    ps_snapshot_end(before);
    ps_snapshot_end(after);
    drop_store(s);
}
END_TEST

START_TEST(test_name_change_moves_the_index)
{
    ps_store *s = fresh_store();
    static const char *const v1[] = {
        "{\"list\":\"wanted\",\"id\":\"W-1\",\"names\":[{\"surname\":\"SIDOROV\","
        "\"given_names\":\"PAVEL\"}]}",
    };
    static const char *const v2[] = {
        "{\"list\":\"wanted\",\"id\":\"W-1\",\"names\":[{\"surname\":\"SMIRNOV\","
        "\"given_names\":\"PAVEL\"}]}",
    };
    apply(s, v1, 1);
    apply(s, v2, 1);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_str_eq(screen(snap, "SIDOROV", "PAVEL", NULL), "");
    ck_assert_str_eq(screen(snap, "SMIRNOF", "PAVEL", NULL), "W-1:person"); /* vocabulary */
    ps_snapshot_end(snap);
    drop_store(s);
}
END_TEST

/* Greek names that begin with gamma-iota before a vowel are written GI (ICAO) or Y, YI (as said):
 * each spelling finds the others, though two edits and no common sound key part them. In a list
 * of any size the tokens' last four letters are shared by too many names to be read (here 300
 * others end in RGOS and NNIS), so no other key reaches the given name. */
START_TEST(test_greek_gamma_iota)
{
    ps_store *s = fresh_store();
    enum { OTHERS = 300 };
    static char others[OTHERS][128];
    const char *other_lines[OTHERS];
    for (int i = 0; i < OTHERS; i++) {
        snprintf(others[i], sizeof others[i],
                 "{\"list\":\"wanted\",\"id\":\"O-%d\",\"names\":[{\"surname\":\"BARGOS\","
                 "\"given_names\":\"DENNIS\"}]}",
                 i);
        other_lines[i] = others[i];
    }
    apply(s, other_lines, OTHERS);
    static const char *const lines[] = {
        "{\"list\":\"wanted\",\"id\":\"G-1\",\"names\":[{\"surname\":\"PAPADOPOULOS\","
        "\"given_names\":\"GIORGOS\"}]}",
        "{\"list\":\"wanted\",\"id\":\"G-2\",\"names\":[{\"surname\":\"KOSTOPOULOS\","
        "\"given_names\":\"YANNIS\"}]}",
    };
    apply(s, lines, 2);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_str_eq(screen(snap, "PAPADOPOULOS", "YORGOS", NULL), "G-1:person");
    ck_assert_str_eq(screen(snap, "PAPADOPOULOS", "YIORGOS", NULL), "G-1:person");
    ck_assert_str_eq(screen(snap, "KOSTOPOULOS", "GIANNIS", NULL), "G-2:person");
    ck_assert_str_eq(screen(snap, "PAPADOPOULOS", "YANNIS", NULL), ""); /* another name */
    ps_snapshot_end(snap);
    drop_store(s);
}
END_TEST

START_TEST(test_name_and_pattern_hit_once)
{
    ps_store *s = fresh_store();
    static const char *const lines[] = {
        ("{\"list\":\"wanted\",\"id\":\"Z-1\",\"names\":[{\"surname\":\"ZAKHAROV\","
         "\"given_names\":\"DMITRI\"}],\"name_patterns\":[\"ZA[CK]H?AROV( .*)?\"]}"),
    };
    apply(s, lines, 1);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    /* the listed name and the pattern both fit: one hit, not two with the same hit id */
    ck_assert_str_eq(screen(snap, "ZACHAROV", "DMITRI", NULL), "Z-1:person");
    /* only the pattern fits */
    ck_assert_str_eq(screen(snap, "ZAKAROV", "PAVEL", NULL), "Z-1:person");
    ps_snapshot_end(snap);
    drop_store(s);
}
END_TEST

/* The hits of a traveller born on a day (YYYY, MM, DD). */
static const char *screen_born(ps_snapshot *snap, const char *surname, const char *given, int year,
                               int month, int day)
{
    ps_traveller t = {.id = PS_STR_LIT("t"),
                      .surname = {surname, strlen(surname)},
                      .given_names = {given, strlen(given)},
                      .birth_date = {.year = (int16_t)year,
                                     .month = (uint8_t)month,
                                     .day = (uint8_t)day,
                                     .precision = PS_DATE_DAY}};
    return hits_of(snap, &t);
}

/* Candidates whose one birth date is two years or more away are not scored (they cannot reach
 * 0.85): an entry with several birth dates is scored on all of them, and a list whose
 * threshold a name with a different birth date can reach keeps every candidate. */
START_TEST(test_birth_years_and_thresholds)
{
    ps_store *s = fresh_store();
    static const char *const lines[] = {
        ("{\"list\":\"wanted\",\"id\":\"W-A\",\"names\":[{\"surname\":\"SMITH\","
         "\"given_names\":\"JOHN\"}],\"birth_dates\":[\"1950-01-01\",\"1980-05-05\"]}"),
        ("{\"list\":\"wanted\",\"id\":\"W-B\",\"names\":[{\"surname\":\"SMITH\","
         "\"given_names\":\"JOHN\"}],\"birth_dates\":[\"1950-01-01\"]}"),
        ("{\"list\":\"wanted\",\"id\":\"W-C\",\"names\":[{\"surname\":\"GARCIA\","
         "\"given_names\":\"MARIA\"}],\"birth_dates\":[\"1950-01-01\"]}"),
        /* no birth date (its references come first), and one a day before 1980 (the year
         * before the traveller's: inside the window of years read) */
        ("{\"list\":\"wanted\",\"id\":\"W-D\",\"names\":[{\"surname\":\"SMITH\","
         "\"given_names\":\"JOHN\"}]}"),
        ("{\"list\":\"wanted\",\"id\":\"W-E\",\"names\":[{\"surname\":\"SMITH\","
         "\"given_names\":\"JOHN\"}],\"birth_dates\":[\"1979-12-31\"]}"),
    };
    apply(s, lines, 5);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_str_eq(screen_born(snap, "SMITH", "JOHN", 1980, 5, 5), "W-A:person W-D:person");
    ck_assert_str_eq(screen_born(snap, "SMITH", "JOHN", 1950, 1, 1),
                     "W-A:person W-B:person W-D:person");
    /* (W-A's 1980-05-05 is the same year, not close enough: 0.8) */
    ck_assert_str_eq(screen_born(snap, "SMITH", "JOHN", 1980, 1, 1), "W-D:person W-E:person");
    ck_assert_str_eq(screen_born(snap, "GARCIA", "MARIA", 1980, 5, 5), "");
    ps_snapshot_end(snap);

    /* a list at 0.6: the same name with another birth date (1.0 - 0.35) is a hit there */
    ps_store_writer *w;
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_store_set_list(w, "wanted", PS_ACTION_REFER, 0.6f, err, sizeof err),
                     PS_STORE_OK);
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_str_eq(screen_born(snap, "GARCIA", "MARIA", 1980, 5, 5), "W-C:person");
    ps_snapshot_end(snap);
    drop_store(s);
}
END_TEST

/* What a token plans is remembered with the snapshot and replayed: the same travellers, met
 * again in one snapshot, get the same hits (MARTIMEZ reaches MARTINEZ only through the
 * vocabulary, so the replay must carry the neighbour's key). */
START_TEST(test_token_plans_replayed)
{
    ps_store *s = fresh_store();
    static const char *const lines[] = {
        ("{\"list\":\"wanted\",\"id\":\"W-1\",\"names\":[{\"surname\":\"MARTINEZ\","
         "\"given_names\":\"JULIO\"}]}"),
        ("{\"list\":\"wanted\",\"id\":\"W-2\",\"names\":[{\"surname\":\"KOWALCZYK\","
         "\"given_names\":\"AGNIESZKA\"}]}"),
    };
    apply(s, lines, 2);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_ptr_null(ps_snapshot_memo(snap));
    for (int round = 0; round < 3; round++) {
        ck_assert_str_eq(screen(snap, "MARTIMEZ", "JULIO", NULL), "W-1:person");
        ck_assert_str_eq(screen(snap, "KOWALCZIK", "AGNIESZKA", NULL), "W-2:person");
        ck_assert_str_eq(screen(snap, "MARTIMEZ", "AGNIESZKA", NULL), "");
        ck_assert_ptr_nonnull(ps_snapshot_memo(snap));
    }
    ps_snapshot_end(snap);

    /* a new snapshot after a change plans afresh: the old plans are not carried over */
    static const char *const gone[] = {"{\"list\":\"wanted\",\"id\":\"W-1\",\"deleted\":true}"};
    apply(s, gone, 1);
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_ptr_null(ps_snapshot_memo(snap));
    ck_assert_str_eq(screen(snap, "MARTIMEZ", "JULIO", NULL), "");
    ck_assert_str_eq(screen(snap, "MARTIMEZ", "JULIO", NULL), "");
    ps_snapshot_end(snap);
    drop_store(s);
}
END_TEST

/* A misspelled common surname (KOVALENKA: KOVALENKO, too common to read) with a misspelled rare
 * given name (BRONISLAF: BRONISLAV) is found through BRONISLAV's references, whose mates say
 * that the name's other main token reads as KOVALENKO; no pair key of the two readings is read,
 * so the names whose given name merely shares BRONISLAV's reading (ABARANOSLAVA, BRNSLV) are
 * not scored. */
START_TEST(test_common_neighbour_reached_by_mates)
{
    ps_store *s = fresh_store();
    enum { OTHERS = 310, SOUNDALIKES = 5 };
    static char others[OTHERS + SOUNDALIKES][128];
    const char *other_lines[OTHERS + SOUNDALIKES];
    for (int i = 0; i < OTHERS + SOUNDALIKES; i++) {
        char given[16];
        if (i < OTHERS)
            snprintf(given, sizeof given, "ZOR%c%cEK", 'A' + i / 26, 'A' + i % 26);
        else
            snprintf(given, sizeof given, "ABARANOSLAV%c", "AEIOU"[i - OTHERS]);
        snprintf(others[i], sizeof others[i],
                 "{\"list\":\"wanted\",\"id\":\"O-%d\",\"names\":[{\"surname\":"
                 "\"KOVALENKO\",\"given_names\":\"%s\"}]}",
                 i, given);
        other_lines[i] = others[i];
    }
    apply(s, other_lines, OTHERS + SOUNDALIKES);
    static const char *const lines[] = {
        "{\"list\":\"wanted\",\"id\":\"K-1\",\"names\":[{\"surname\":\"KOVALENKO\","
        "\"given_names\":\"BRONISLAV\"}]}",
    };
    apply(s, lines, 1);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ps_traveller t = {.id = PS_STR_LIT("t"),
                      .surname = PS_STR_LIT("KOVALENKA"),
                      .given_names = PS_STR_LIT("BRONISLAF")};
    found f = {.n = 0};
    ps_screen_counts counts = {0};
    ps_arena_reset(&arena);
    ck_assert_int_eq(ps_screen_traveller(snap, &t, &arena, on_hit, &f, &counts), PS_STORE_OK);
    ck_assert_int_eq(f.n, 1);
    ck_assert_str_eq(f.entries[0], "K-1:person");
    ck_assert_uint_eq(counts.scored, 1);
    ps_snapshot_end(snap);
    drop_store(s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("screen");
    TCase *tc = tcase_create("screen");
    tcase_add_test(tc, test_updates_while_screening);
    tcase_add_test(tc, test_name_change_moves_the_index);
    tcase_add_test(tc, test_name_and_pattern_hit_once);
    tcase_add_test(tc, test_greek_gamma_iota);
    tcase_add_test(tc, test_birth_years_and_thresholds);
    tcase_add_test(tc, test_token_plans_replayed);
    tcase_add_test(tc, test_common_neighbour_reached_by_mates);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
