/* tests/unit/test_rules.c — targeting rules: parsing (errors name the JSON path), storing and
 * compiling (a bad pattern is refused with Hyperscan's message, the rule id and the path),
 * AND / OR / NOT semantics (NOT-only rules fire with no leaf matched), the values each field
 * offers, many rules sharing one field's database, validity windows, hot reload (a snapshot
 * keeps the rules it began with, a later one sees the change; with and without the cache;
 * readers on two threads sharing the cache while a writer changes a rule), and delete. */
#include "paxscreen/record_json.h"
#include "paxscreen/rules.h"

#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static char err[1024];
static ps_arena arena;

/* 2026-06-01T12:00Z */
#define NOW ((int64_t)1780315200)

/* ---- parsing ---- */

/* The message of the one error parsing json gives, "" when it parses. */
static const char *parse_error(const char *json)
{
    static char out[512];
    ps_arena a;
    ps_arena_init(&a);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &a);
    ps_rule r;
    bool ok = ps_rule_parse(json, strlen(json), 0, &a, &r, &diags);
    out[0] = '\0';
    if (!ok) {
        ck_assert_uint_eq(diags.count, 1);
        ck_assert_int_eq(diags.items[0].severity, PS_ERROR);
        ck_assert_uint_gt(diags.items[0].field.len, 0);
        snprintf(out, sizeof out, "%.*s", (int)diags.items[0].message.len,
                 diags.items[0].message.ptr);
    } else {
        ck_assert_uint_eq(diags.count, 0);
    }
    ps_arena_free(&a);
    return out;
}

#define HEAD "{\"id\":\"R-1\",\"name\":\"n\",\"action\":\"refer\","

START_TEST(test_parse_errors_name_the_path)
{
    ck_assert_str_eq(parse_error(HEAD "\"when\":{\"field\":\"surname\",\"equals\":\"X\"}}"), "");
    ck_assert_str_eq(
        parse_error(HEAD "\"when\":{\"all\":[{\"field\":\"surname\",\"equals\":\"X\"},"
                         "{\"field\":\"route\",\"matches\":7}]}}"),
        "when.all[1].matches: must be a string");
    ck_assert_str_eq(parse_error(HEAD "\"when\":{\"any\":[{\"not\":{\"field\":\"colour\","
                                      "\"equals\":\"X\"}}]}}"),
                     "when.any[0].not.field: must be one of surname, given_names, birth_date, "
                     "nationality, document_number, document_issuer, route, carrier, "
                     "flight_number, pnr, seat, free_text");
    ck_assert_str_eq(parse_error(HEAD "\"when\":{\"all\":[]}}"),
                     "when.all: must hold at least one condition");
    ck_assert_str_eq(parse_error(HEAD "\"when\":{\"field\":\"pnr\"}}"),
                     "when: a condition on a field needs equals or matches");
    ck_assert_str_eq(parse_error(HEAD "\"when\":{\"field\":\"pnr\",\"equals\":\"A\","
                                      "\"matches\":\"B\"}}"),
                     "when: give equals or matches, not both");
    ck_assert_str_eq(parse_error(HEAD "\"when\":{\"field\":\"pnr\",\"equals\":\"\"}}"),
                     "when.equals: must not be empty");
    ck_assert_str_eq(parse_error(HEAD "\"when\":{\"all\":[{\"fild\":\"pnr\"}]}}"),
                     "when.all[0].fild: unknown key");
    ck_assert_str_eq(parse_error(HEAD "\"when\":{\"all\":[{\"field\":\"pnr\",\"equals\":\"A\"}],"
                                      "\"not\":{\"field\":\"pnr\",\"equals\":\"B\"}}}"),
                     "when: must be one condition: field, all, any or not (several given)");
    ck_assert_str_eq(parse_error(HEAD "\"valid_untill\":\"2026-01-01\",\"when\":{\"field\":"
                                      "\"pnr\",\"equals\":\"A\"}}"),
                     "valid_untill: unknown key");
    ck_assert_str_eq(parse_error(HEAD "\"valid_from\":\"2026-13-01\",\"when\":{\"field\":"
                                      "\"pnr\",\"equals\":\"A\"}}"),
                     "valid_from: must be YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)");
    ck_assert_str_eq(parse_error(HEAD "\"valid_from\":\"2026-02-01\",\"valid_until\":"
                                      "\"2026-01-01\",\"when\":{\"field\":\"pnr\",\"equals\":\"A\"}}"),
                     "valid_until: must be after valid_from");
    ck_assert_str_eq(parse_error("{\"id\":\"R-1\",\"name\":\"n\",\"action\":\"arrest\",\"when\":"
                                 "{\"field\":\"pnr\",\"equals\":\"A\"}}"),
                     "action: must be no_board, refer or notify");
    ck_assert_str_eq(parse_error("{\"name\":\"n\",\"action\":\"refer\",\"when\":"
                                 "{\"field\":\"pnr\",\"equals\":\"A\"}}"),
                     "id: is required");
    ck_assert_ptr_nonnull(strstr(parse_error(HEAD "\"x\":1"), "(rule): not JSON: "));
    ck_assert_str_eq(parse_error("[1]"), "(rule): must be a JSON object");
    ck_assert_ptr_nonnull(strstr(parse_error(HEAD "\"when\":{\"field\":\"pnr\",\"equals\":"
                                                  "\"A\"},\"when\":{\"field\":\"pnr\","
                                                  "\"equals\":\"B\"}}"),
                                 "duplicate"));

    /* depth: 16 levels pass, 17 do not */
    char deep[2048];
    for (int levels = 16; levels <= 17; levels++) {
        strcpy(deep, HEAD "\"when\":");
        for (int i = 1; i < levels; i++)
            strcat(deep, "{\"not\":");
        strcat(deep, "{\"field\":\"pnr\",\"equals\":\"A\"}");
        for (int i = 1; i < levels; i++)
            strcat(deep, "}");
        strcat(deep, "}");
        const char *msg = parse_error(deep);
        if (levels == 16)
            ck_assert_str_eq(msg, "");
        else
            ck_assert_ptr_nonnull(strstr(msg, "conditions nested deeper than 16"));
    }
    /* a line number prefixes the message */
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_rule r;
    const char *bad = HEAD "\"when\":{\"field\":\"pnr\",\"matches\":[]}}";
    ck_assert(!ps_rule_parse(bad, strlen(bad), 7, &arena, &r, &diags));
    ck_assert_str_eq(diags.items[0].message.ptr, "line 7: when.matches: must be a string");
}
END_TEST

START_TEST(test_parse_and_write_round_trip)
{
    const char *json =
        "{\"id\":\"R-9\",\"name\":\"Route \\\"X\\\"\",\"action\":\"no_board\","
        "\"valid_from\":\"2026-01-01T06:30\",\"valid_until\":\"2026-12-31\","
        "\"when\":{\"all\":[{\"field\":\"route\",\"matches\":\"(BCN|MAD)-IAD\"},"
        "{\"not\":{\"field\":\"nationality\",\"equals\":\"ESP\"}},"
        "{\"any\":[{\"field\":\"seat\",\"equals\":\"1A\"},{\"field\":\"free_text\","
        "\"matches\":\".*BAG.*\"}]}]}}";
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_rule r;
    ck_assert(ps_rule_parse(json, strlen(json), 0, &arena, &r, &diags));
    ck_assert_uint_eq(r.n_leaves, 4);
    ck_assert_uint_eq(r.n_nodes, 7);
    ck_assert_str_eq(r.when.kids[1].kids[0].path.ptr, "when.all[1].not");
    ck_assert_str_eq(r.when.kids[2].kids[1].path.ptr, "when.all[2].any[1]");
    ps_buf b;
    ps_buf_init(&b);
    ps_rule_write_json(&b, &r);
    ps_buf_putc(&b, '\0');
    ck_assert_str_eq(b.data, json);
    ps_buf_free(&b);
    /* windows: from is inclusive, a date-only until runs to its end */
    ck_assert(ps_rule_time(&r.valid_from, false) == (int64_t)1767249000);     /* 06:30 */
    ck_assert(ps_rule_time(&r.valid_until, true) == (int64_t)1798761600);     /* 2027-01-01 */
}
END_TEST

/* ---- the store ---- */

static ps_store *fresh_store(void)
{
    snprintf(dir, sizeof dir, "/tmp/ps_rules.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ps_store *s;
    ck_assert_int_eq(ps_store_open(dir, true, &s, err, sizeof err), PS_STORE_OK);
    return s;
}

static void drop_store(ps_store *s)
{
    ps_store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Puts each rule line; returns the PS_STORE code of the first failure (message in err). */
static int put_rules(ps_store *s, const char *const *lines, size_t n, ps_rules_counts *counts)
{
    ps_rules_writer *w;
    ck_assert_int_eq(ps_rules_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ps_rules_counts c = {0};
    int first = PS_STORE_OK;
    for (size_t i = 0; i < n; i++) {
        ps_diag_list diags;
        ps_diag_list_init(&diags, &arena);
        ps_rule r;
        ck_assert_msg(ps_rule_parse(lines[i], strlen(lines[i]), i + 1, &arena, &r, &diags),
                      "%s", lines[i]);
        char e2[1024];
        int code = ps_rules_put(w, &r, &c, e2, sizeof e2);
        if (code != PS_STORE_OK && first == PS_STORE_OK) {
            first = code;
            memcpy(err, e2, sizeof err);
        }
    }
    char e3[1024];
    ck_assert_int_eq(ps_rules_writer_commit(w, e3, sizeof e3), PS_STORE_OK);
    if (counts)
        *counts = c;
    return first;
}

static void put_ok(ps_store *s, const char *const *lines, size_t n)
{
    ck_assert_msg(put_rules(s, lines, n, NULL) == PS_STORE_OK, "%s", err);
}

static void delete_rule(ps_store *s, const char *id, bool expect)
{
    ps_rules_writer *w;
    ck_assert_int_eq(ps_rules_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ps_rules_counts c = {0};
    ck_assert_int_eq(ps_rules_delete(w, id, strlen(id), &c, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_rules_writer_commit(w, err, sizeof err), PS_STORE_OK);
    ck_assert_uint_eq(c.deleted, expect ? 1 : 0);
    ck_assert_uint_eq(c.missing, expect ? 0 : 1);
}

typedef struct hits {
    char text[2048];
    int n;
} hits;

/* "R-1[surname=MARTINEZ,route=BCN-.*] R-4[]": id and matched field=pattern of each hit. */
static void on_hit(void *ctx, const ps_hit *h)
{
    hits *x = ctx;
    ck_assert_int_eq(h->kind, PS_HIT_RULE);
    ck_assert(ps_str_eq_cstr(h->list, "rules"));
    ck_assert(ps_str_eq(h->entry_id, h->rule.id));
    char one[512];
    int n = snprintf(one, sizeof one, "%s%.*s[", x->n ? " " : "", (int)h->rule.id.len,
                     h->rule.id.ptr);
    for (uint32_t i = 0; i < h->rule.n_matched; i++)
        n += snprintf(one + n, sizeof one - (size_t)n, "%s%s=%.*s", i ? "," : "",
                      h->rule.matched[i].field, (int)h->rule.matched[i].pattern.len,
                      h->rule.matched[i].pattern.ptr);
    snprintf(one + n, sizeof one - (size_t)n, "]");
    strncat(x->text, one, sizeof x->text - strlen(x->text) - 1);
    x->n++;
}

typedef struct pax {
    const char *surname, *given, *nationality, *pnr, *passport, *issuer, *emb, *deb, *bags;
} pax;

static ps_flight_leg flight_xz877 = {.carrier = PS_STR_LIT("XZ"),
                                     .number = PS_STR_LIT("877"),
                                     .departure_airport = PS_STR_LIT("BCN"),
                                     .arrival_airport = PS_STR_LIT("IAD")};

static ps_str s_of(const char *p)
{
    return (ps_str){p, p ? strlen(p) : 0};
}

static const char *screen_at(ps_rules_snapshot *rs, const pax *p, const ps_flight_leg *flight,
                             int64_t now)
{
    static hits h;
    memset(&h, 0, sizeof h);
    ps_document doc = {.number = s_of(p->passport), .issuer = s_of(p->issuer)};
    ps_traveller t;
    ps_traveller_init(&t);
    t.id = PS_STR_LIT("T-1");
    t.surname = s_of(p->surname);
    t.given_names = s_of(p->given);
    t.nationality = s_of(p->nationality);
    t.pnr = s_of(p->pnr);
    t.embarkation = s_of(p->emb);
    t.debarkation = s_of(p->deb);
    t.bag_tags = s_of(p->bags);
    t.documents = p->passport ? &doc : NULL;
    t.n_documents = p->passport ? 1 : 0;
    ps_date_parse_iso("1968-02-23", 10, &t.birth_date);
    ps_screen_counts counts = {0};
    ck_assert_int_eq(ps_rules_screen(rs, &t, flight, now, on_hit, &h, &counts), PS_STORE_OK);
    ck_assert_uint_eq(counts.hits, (uint64_t)h.n);
    return h.text;
}

static const char *screen(ps_rules_snapshot *rs, const pax *p)
{
    return screen_at(rs, p, &flight_xz877, NOW);
}

static ps_rules_snapshot *begin(ps_store *s, ps_snapshot **snap, ps_rules_cache *cache)
{
    ck_assert_int_eq(ps_snapshot_begin(s, snap, err, sizeof err), PS_STORE_OK);
    ps_rules_snapshot *rs;
    ck_assert_msg(ps_rules_snapshot_begin(*snap, cache, &rs, err, sizeof err) == PS_STORE_OK,
                  "%s", err);
    return rs;
}

static void end(ps_rules_snapshot *rs, ps_snapshot *snap)
{
    ps_rules_snapshot_end(rs);
    ps_snapshot_end(snap);
}

#define R(id, when) "{\"id\":\"" id "\",\"name\":\"rule " id "\",\"action\":\"refer\",\"when\":" when "}"
#define LEAF(f, op, v) "{\"field\":\"" f "\",\"" op "\":\"" v "\"}"

START_TEST(test_compile_errors_name_rule_and_path)
{
    ps_store *s = fresh_store();
    static const char *const lines[] = {
        R("R-1", LEAF("surname", "equals", "MARTINEZ")),
        R("R-2", "{\"all\":[" LEAF("route", "equals", "BCN-IAD") ","
                 "{\"not\":" LEAF("document_number", "matches", "YY(34") "}]}"),
        R("R-3", LEAF("pnr", "matches", "A)|(B")),
        R("R-4", LEAF("seat", "matches", "\\\\")),
    };
    ps_rules_counts c;
    ck_assert_int_eq(put_rules(s, lines, 2, &c), PS_STORE_INVALID);
    ck_assert_str_eq(err, "rule R-2: when.all[1].not.matches: Hyperscan: Missing close "
                          "parenthesis for group started at index 2.");
    ck_assert_uint_eq(c.inserted, 1);
    ck_assert_int_eq(put_rules(s, lines + 2, 1, &c), PS_STORE_INVALID);
    ck_assert_ptr_nonnull(strstr(err, "rule R-3: when.matches: Hyperscan: "));
    ck_assert_int_eq(put_rules(s, lines + 3, 1, &c), PS_STORE_INVALID);
    ck_assert_ptr_nonnull(strstr(err, "rule R-4: when.matches: Hyperscan: "));

    /* only R-1 landed, and it works */
    ps_snapshot *snap;
    ps_rules_snapshot *rs = begin(s, &snap, NULL);
    ck_assert_uint_eq(ps_rules_snapshot_count(rs), 1);
    pax p = {.surname = "martinez"};
    ck_assert_str_eq(screen(rs, &p), "R-1[surname=MARTINEZ]");
    end(rs, snap);
    drop_store(s);
}
END_TEST

START_TEST(test_and_or_not)
{
    ps_store *s = fresh_store();
    static const char *const lines[] = {
        /* AND */
        R("A-1", "{\"all\":[" LEAF("route", "matches", "BCN-.*") "," LEAF("nationality", "equals",
                                                                          "ESP") "]}"),
        /* OR */
        R("O-1", "{\"any\":[" LEAF("surname", "equals", "PETROV") "," LEAF("pnr", "equals",
                                                                          "GJO3RT") "]}"),
        /* NOT under AND: a leaf that must not match */
        R("N-1", "{\"all\":[" LEAF("surname", "equals", "MARTINEZ") ",{\"not\":" LEAF(
                     "given_names", "matches", "JULIO( .*)?") "}]}"),
        /* NOT-only: no PNR at all */
        R("N-2", "{\"not\":" LEAF("pnr", "matches", ".*") "}"),
        /* NOT of an OR: neither ESP nor FRA */
        R("N-3", "{\"not\":{\"any\":[" LEAF("nationality", "equals", "ESP") "," LEAF(
                     "nationality", "equals", "FRA") "]}}"),
        /* double NOT is the leaf itself */
        R("N-4", "{\"not\":{\"not\":" LEAF("seat", "equals", "1A") "}}"),
    };
    put_ok(s, lines, sizeof lines / sizeof lines[0]);
    ps_snapshot *snap;
    ps_rules_snapshot *rs = begin(s, &snap, NULL);
    ck_assert_uint_eq(ps_rules_snapshot_count(rs), 6);

    pax julio = {.surname = "MARTINEZ", .given = "JULIO XAVIER", .nationality = "ESP",
                 .pnr = "GJO3RT"};
    /* the flight's route BCN-IAD: A-1; PNR: O-1; JULIO: not N-1; has a PNR: not N-2; ESP */
    ck_assert_str_eq(screen(rs, &julio), "A-1[route=BCN-.*,nationality=ESP] O-1[pnr=GJO3RT]");
    pax juan = {.surname = "Martinez", .given = "JUAN", .nationality = "FRA"};
    /* N-1 (MARTINEZ, not JULIO), N-2 (no PNR: nothing matched, fires anyway) */
    ck_assert_str_eq(screen(rs, &juan), "N-1[surname=MARTINEZ] N-2[]");
    pax ivan = {.surname = "PETROV", .nationality = "RUS", .pnr = "X"};
    ck_assert_str_eq(screen(rs, &ivan), "N-3[] O-1[surname=PETROV]");
    /* nothing of anyone: the NOT-only rules fire with no leaf matched */
    pax nobody = {.surname = "NOBODY"};
    ck_assert_str_eq(screen_at(rs, &nobody, NULL, NOW), "N-2[] N-3[]");
    end(rs, snap);
    drop_store(s);
}
END_TEST

START_TEST(test_field_values)
{
    ps_store *s = fresh_store();
    static const char *const lines[] = {
        R("F-1", LEAF("document_number", "matches", "L8989[0-9]{4}")),
        R("F-2", LEAF("nationality", "equals", "DEU")),
        R("F-3", LEAF("flight_number", "equals", "XZ877")),
        R("F-4", LEAF("carrier", "equals", "xz")),
        R("F-5", LEAF("route", "equals", "FRA-BCN")),
        R("F-6", LEAF("free_text", "matches", ".*0123456.*")),
        R("F-7", LEAF("birth_date", "matches", "1968-.*")),
        R("F-8", LEAF("document_issuer", "equals", "ESP")),
        R("F-9", LEAF("flight_number", "equals", "877")),
    };
    put_ok(s, lines, sizeof lines / sizeof lines[0]);
    ps_snapshot *snap;
    ps_rules_snapshot *rs = begin(s, &snap, NULL);
    /* a spaced number meets the pattern by its canonical key; D is DEU; ES is ESP */
    pax p = {.surname = "X", .passport = "L8989 1234", .issuer = "ES", .nationality = "D",
             .emb = "FRA", .deb = "BCN", .bags = "XZ0123456789"};
    ck_assert_str_eq(screen(rs, &p),
                     "F-1[document_number=L8989[0-9]{4}] F-2[nationality=DEU] "
                     "F-3[flight_number=XZ877] F-4[carrier=xz] F-5[route=FRA-BCN] "
                     "F-6[free_text=.*0123456.*] F-7[birth_date=1968-.*] "
                     "F-8[document_issuer=ESP] F-9[flight_number=877]");
    /* without a flight, the flight fields are absent */
    ck_assert_str_eq(screen_at(rs, &p, NULL, NOW),
                     "F-1[document_number=L8989[0-9]{4}] F-2[nationality=DEU] "
                     "F-5[route=FRA-BCN] F-6[free_text=.*0123456.*] F-7[birth_date=1968-.*] "
                     "F-8[document_issuer=ESP]");
    /* anchored to the whole value */
    pax q = {.surname = "X", .passport = "L89891234X", .nationality = "DE", .emb = "FRA"};
    ck_assert_str_eq(screen_at(rs, &q, NULL, NOW), "F-2[nationality=DEU] F-7[birth_date=1968-.*]");
    end(rs, snap);
    drop_store(s);
}
END_TEST

START_TEST(test_many_rules_share_a_field)
{
    ps_store *s = fresh_store();
    enum { N = 2000 };
    static char texts[N][200];
    static const char *lines[N];
    for (int i = 0; i < N; i++) {
        if (i % 2 == 0) /* surname literals; every 100th repeats the one before it */
            snprintf(texts[i], sizeof texts[i],
                     R("S-%05d", LEAF("surname", "equals", "NAME%05d")), i, i,
                     i % 100 == 0 && i ? i - 2 : i);
        else /* surname regexes with a document series beside them */
            snprintf(texts[i], sizeof texts[i],
                     R("S-%05d", "{\"all\":[" LEAF("surname", "matches", "NAME%03d..") ","
                                 LEAF("document_number", "matches", "P%02d[0-9]+") "]}"),
                     i, i, i % 1000, i % 100);
        lines[i] = texts[i];
    }
    put_ok(s, lines, N);
    ps_snapshot *snap;
    ps_rules_snapshot *rs = begin(s, &snap, NULL);
    ck_assert_uint_eq(ps_rules_snapshot_count(rs), N);
    /* NAME00198: literal S-00198 and S-00200 (which repeats it), and the regexes NAME001..
     * (S-00001 and S-01001) only with a P01 document */
    pax p = {.surname = "NAME00198", .passport = "P01777"};
    ck_assert_str_eq(screen(rs, &p), "S-00001[surname=NAME001..,document_number=P01[0-9]+] "
                                     "S-00198[surname=NAME00198] S-00200[surname=NAME00198] "
                                     "S-01001[surname=NAME001..,document_number=P01[0-9]+]");
    pax q = {.surname = "name00198", .passport = "P02777"};
    ck_assert_str_eq(screen(rs, &q), "S-00198[surname=NAME00198] S-00200[surname=NAME00198]");
    pax none = {.surname = "NAME0019"};
    ck_assert_str_eq(screen(rs, &none), "");
    end(rs, snap);
    drop_store(s);
}
END_TEST

START_TEST(test_validity_windows)
{
    ps_store *s = fresh_store();
    static const char *const lines[] = {
        "{\"id\":\"W-1\",\"name\":\"june\",\"action\":\"notify\",\"valid_from\":\"2026-06-01\","
        "\"valid_until\":\"2026-06-30\",\"when\":" LEAF("surname", "equals", "X") "}",
        "{\"id\":\"W-2\",\"name\":\"from noon\",\"action\":\"no_board\",\"valid_from\":"
        "\"2026-06-01T12:00\",\"when\":{\"not\":" LEAF("pnr", "matches", ".*") "}}",
        "{\"id\":\"W-3\",\"name\":\"until noon\",\"action\":\"refer\",\"valid_until\":"
        "\"2026-06-01T12:00\",\"when\":" LEAF("surname", "equals", "X") "}",
    };
    put_ok(s, lines, 3);
    ps_snapshot *snap;
    ps_rules_snapshot *rs = begin(s, &snap, NULL);
    pax p = {.surname = "X"};
    ck_assert_str_eq(screen_at(rs, &p, NULL, NOW - 86400 * 365), "W-3[surname=X]");
    ck_assert_str_eq(screen_at(rs, &p, NULL, NOW - 12 * 3600), "W-1[surname=X] W-3[surname=X]");
    ck_assert_str_eq(screen_at(rs, &p, NULL, NOW - 1), "W-1[surname=X] W-3[surname=X]");
    ck_assert_str_eq(screen_at(rs, &p, NULL, NOW), "W-1[surname=X] W-2[]");
    /* 2026-06-30T23:59:59 is inside, 2026-07-01T00:00 is not */
    int64_t july = NOW + 29 * 86400 + 12 * 3600;
    ck_assert_str_eq(screen_at(rs, &p, NULL, july - 1), "W-1[surname=X] W-2[]");
    ck_assert_str_eq(screen_at(rs, &p, NULL, july), "W-2[]");
    end(rs, snap);
    drop_store(s);
}
END_TEST

typedef struct listed {
    char ids[256];
    uint64_t versions[8];
    int n;
} listed;

static int list_one(void *ctx, const ps_rule *r, uint64_t version)
{
    listed *l = ctx;
    if (l->n)
        strcat(l->ids, " ");
    strncat(l->ids, r->id.ptr, r->id.len);
    l->versions[l->n++ & 7] = version;
    return 0;
}

static void run_hot_reload(bool with_cache)
{
    ps_store *s = fresh_store();
    ps_rules_cache *cache = NULL;
    if (with_cache)
        ck_assert_int_eq(ps_rules_cache_new(&cache), PS_STORE_OK);
    static const char *const v1[] = {
        R("H-1", LEAF("surname", "equals", "PETROV")),
        R("H-2", LEAF("route", "equals", "BCN-IAD")),
    };
    put_ok(s, v1, 2);
    ps_snapshot *s1;
    ps_rules_snapshot *r1 = begin(s, &s1, cache);
    ck_assert_uint_eq(ps_rules_generation(s1), 1);
    pax p = {.surname = "PETROV", .nationality = "RUS"};
    ck_assert_str_eq(screen(r1, &p), "H-1[surname=PETROV] H-2[route=BCN-IAD]");

    /* a second reader of the same generation (shares the cache's set) */
    ps_snapshot *s1b;
    ps_rules_snapshot *r1b = begin(s, &s1b, cache);
    ck_assert_str_eq(screen(r1b, &p), "H-1[surname=PETROV] H-2[route=BCN-IAD]");
    end(r1b, s1b);

    /* change H-1, add H-3, delete H-2; re-putting the same H-1 twice counts unchanged */
    static const char *const v2[] = {
        R("H-1", LEAF("surname", "equals", "SIDOROV")),
        R("H-3", LEAF("nationality", "equals", "RUS")),
    };
    ps_rules_counts c;
    ck_assert_int_eq(put_rules(s, v2, 2, &c), PS_STORE_OK);
    ck_assert_uint_eq(c.updated, 1);
    ck_assert_uint_eq(c.inserted, 1);
    ck_assert_int_eq(put_rules(s, v2, 1, &c), PS_STORE_OK);
    ck_assert_uint_eq(c.unchanged, 1);
    delete_rule(s, "H-2", true);
    delete_rule(s, "H-2", false);

    /* the first snapshot still screens against the rules it began with */
    ck_assert_str_eq(screen(r1, &p), "H-1[surname=PETROV] H-2[route=BCN-IAD]");
    ps_snapshot *s2;
    ps_rules_snapshot *r2 = begin(s, &s2, cache);
    ck_assert_uint_eq(ps_rules_generation(s2), 3);
    ck_assert_str_eq(screen(r2, &p), "H-3[nationality=RUS]");
    pax q = {.surname = "SIDOROV"};
    ck_assert_str_eq(screen(r2, &q), "H-1[surname=SIDOROV]");
    ck_assert_str_eq(screen(r1, &q), "H-2[route=BCN-IAD]");
    end(r1, s1);

    /* list: ids in order, with the generation each was written in */
    listed l = {.n = 0};
    ps_arena la;
    ps_arena_init(&la);
    ck_assert_int_eq(ps_rules_foreach(s2, &la, list_one, &l), PS_STORE_OK);
    ck_assert_str_eq(l.ids, "H-1 H-3");
    ck_assert_uint_eq(l.versions[0], 2);
    ck_assert_uint_eq(l.versions[1], 2);
    ps_rule one;
    uint64_t version;
    ck_assert_int_eq(ps_rules_get(s2, "H-2", 3, &la, &one, &version), PS_STORE_NOT_FOUND);
    ck_assert_int_eq(ps_rules_get(s2, "H-3", 3, &la, &one, &version), PS_STORE_OK);
    ck_assert(ps_str_eq_cstr(one.name, "rule H-3"));
    ps_arena_free(&la);
    end(r2, s2);

    /* deleting every rule leaves nothing to screen */
    delete_rule(s, "H-1", true);
    delete_rule(s, "H-3", true);
    ps_snapshot *s3;
    ps_rules_snapshot *r3 = begin(s, &s3, cache);
    ck_assert_uint_eq(ps_rules_snapshot_count(r3), 0);
    ck_assert_str_eq(screen(r3, &p), "");
    end(r3, s3);
    ps_rules_cache_free(cache);
    drop_store(s);
}

START_TEST(test_hot_reload)
{
    run_hot_reload(false);
}
END_TEST

START_TEST(test_hot_reload_with_cache)
{
    run_hot_reload(true);
}
END_TEST

/* Readers on two threads share one cache and keep taking snapshots while a writer flips rule
 * C-1 between surname ALPHA (odd generations) and BETA (even ones): every snapshot sees
 * exactly the rule of its own generation, never a mix, and never waits for the writer. */
typedef struct reader_arg {
    ps_store *s;
    ps_rules_cache *cache;
    atomic_bool *stop;
    int snapshots, wrong;
} reader_arg;

static void count_only(void *ctx, const ps_hit *h)
{
    (void)h;
    (*(int *)ctx)++;
}

static void *reader(void *p)
{
    reader_arg *a = p;
    char e[256];
    ps_traveller alpha, beta;
    ps_traveller_init(&alpha);
    ps_traveller_init(&beta);
    alpha.surname = PS_STR_LIT("ALPHA");
    beta.surname = PS_STR_LIT("BETA");
    while (!atomic_load(a->stop)) {
        ps_snapshot *snap;
        ps_rules_snapshot *rs;
        if (ps_snapshot_begin(a->s, &snap, e, sizeof e) != PS_STORE_OK) {
            a->wrong++;
            break;
        }
        if (ps_rules_snapshot_begin(snap, a->cache, &rs, e, sizeof e) != PS_STORE_OK) {
            ps_snapshot_end(snap);
            a->wrong++;
            break;
        }
        uint64_t gen = ps_rules_generation(snap);
        int ha = 0, hb = 0;
        ps_rules_screen(rs, &alpha, NULL, NOW, count_only, &ha, NULL);
        ps_rules_screen(rs, &beta, NULL, NOW, count_only, &hb, NULL);
        if (gen % 2 == 1 ? ha != 1 || hb != 0 : ha != 0 || hb != 1)
            a->wrong++;
        a->snapshots++;
        ps_rules_snapshot_end(rs);
        ps_snapshot_end(snap);
    }
    return NULL;
}

START_TEST(test_readers_while_rules_change)
{
    ps_store *s = fresh_store();
    static const char *const alpha[] = {R("C-1", LEAF("surname", "equals", "ALPHA"))};
    static const char *const beta[] = {R("C-1", LEAF("surname", "equals", "BETA"))};
    put_ok(s, alpha, 1);
    ps_rules_cache *cache;
    ck_assert_int_eq(ps_rules_cache_new(&cache), PS_STORE_OK);
    atomic_bool stop = false;
    reader_arg args[2] = {{s, cache, &stop, 0, 0}, {s, cache, &stop, 0, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, reader, &args[i]), 0);
    for (int round = 0; round < 20; round++)
        put_ok(s, round % 2 == 0 ? beta : alpha, 1);
    atomic_store(&stop, true);
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(args[i].wrong, 0);
        ck_assert_int_gt(args[i].snapshots, 0);
    }
    ps_rules_cache_free(cache);
    drop_store(s);
}
END_TEST

static void on_json(void *ctx, const ps_hit *h)
{
    ps_json_write_hit(ctx, h, PS_STR_LIT("b"));
}

START_TEST(test_hit_json)
{
    ps_store *s = fresh_store();
    static const char *const lines[] = {
        "{\"id\":\"R-7\",\"name\":\"Seat \\\"1A\\\"\",\"action\":\"no_board\",\"when\":" LEAF(
            "seat", "equals", "1A") "}",
    };
    put_ok(s, lines, 1);
    ps_snapshot *snap;
    ps_rules_snapshot *rs = begin(s, &snap, NULL);
    ps_traveller t;
    ps_traveller_init(&t);
    t.id = PS_STR_LIT("T-9");
    t.surname = PS_STR_LIT("DOE");
    t.seat = PS_STR_LIT("1a");
    ps_buf b;
    ps_buf_init(&b);
    ck_assert_int_eq(ps_rules_screen(rs, &t, NULL, NOW, on_json, &b, NULL), PS_STORE_OK);
    ps_buf_putc(&b, '\0');
    ck_assert_ptr_nonnull(strstr(b.data, "\"list\":\"rules\",\"entry_id\":\"R-7\","
                                           "\"entry_version\":1,\"kind\":\"rule\",\"score\":1.000,"
                                           "\"action\":\"no_board\",\"explanation\":{\"rule\":"
                                           "{\"id\":\"R-7\",\"name\":\"Seat \\\"1A\\\"\","
                                           "\"matched\":[{\"field\":\"seat\",\"pattern\":\"1A\"}]}}"));
    ps_buf_free(&b);
    end(rs, snap);
    drop_store(s);
}
END_TEST

int main(void)
{
    ps_arena_init(&arena);
    Suite *su = suite_create("rules");
    TCase *tc = tcase_create("rules");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_parse_errors_name_the_path);
    tcase_add_test(tc, test_parse_and_write_round_trip);
    tcase_add_test(tc, test_compile_errors_name_rule_and_path);
    tcase_add_test(tc, test_and_or_not);
    tcase_add_test(tc, test_field_values);
    tcase_add_test(tc, test_many_rules_share_a_field);
    tcase_add_test(tc, test_validity_windows);
    tcase_add_test(tc, test_hot_reload);
    tcase_add_test(tc, test_hot_reload_with_cache);
    tcase_add_test(tc, test_hit_json);
    tcase_add_test(tc, test_readers_while_rules_change);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    ps_arena_free(&arena);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
