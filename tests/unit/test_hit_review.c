/* tests/unit/test_hit_review.c — the review of stored hits (hit_review.h): decisions of all
 * three kinds, several on one hit with the latest as its status, decisions surviving a
 * reopen, the audit log (append-only, ordered, one entry per read, decision and export),
 * filtered listing and paging, and bad input (unknown decision, long note, unnamed decider,
 * unknown cursor, bad filter values), and suppression: the traveller identity (names as
 * normalized, birth date, first document), a false_positive decision suppressing the same
 * identity on the same entry at the same version, not at another version nor on another entry,
 * and lifted by a later decision. Each test works on its own temporary directory. */
#include "paxscreen/hit_review.h"
#include "paxscreen/normalize.h"
#include "paxscreen/record.h"
#include "test_dirs.h"

#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char tmpdir[64];
static char dir[96];
static char err[512];
static ps_batch_store *bs;

/* A hit as the server stores it (only the members the review reads matter). */
static void hit_json(char *out, size_t cap, int n, const char *batch, const char *list,
                     const char *kind, const char *action, double score)
{
    snprintf(out, cap,
             "{\"hit_id\":\"h%d\",\"traveller_id\":\"T%d\",\"batch_id\":\"%s\",\"list\":\"%s\","
             "\"entry_id\":\"E%d\",\"entry_version\":1,\"kind\":\"%s\",\"score\":%.2f,"
             "\"action\":\"%s\",\"explanation\":{}}",
             n, n, batch, list, n, kind, score, action);
}

/* Two screened batches: batch 1 with hits 1..4, batch 2 with hits 5..6. */
static void store_hits(void)
{
    char j[6][512];
    hit_json(j[0], sizeof j[0], 1, "1", "wanted", "person", "refer", 0.91);
    hit_json(j[1], sizeof j[1], 2, "1", "stolen", "document", "no_board", 1.0);
    hit_json(j[2], sizeof j[2], 3, "1", "wanted", "person", "refer", 0.86);
    hit_json(j[3], sizeof j[3], 4, "1", "rules", "rule", "notify", 1.0);
    hit_json(j[4], sizeof j[4], 5, "2", "wanted", "person", "no_board", 0.97);
    hit_json(j[5], sizeof j[5], 6, "2", "stolen", "document", "no_board", 0.85);
    ps_stored_hit h[6];
    for (int i = 0; i < 6; i++)
        h[i] = (ps_stored_hit){j[i], strlen(j[i])};
    for (int b = 0; b < 2; b++) {
        uint64_t id, first;
        bool dup, already;
        char body[16];
        snprintf(body, sizeof body, "{\"b\":%d}", b);
        ck_assert_int_eq(ps_batch_store_receive(bs, PS_BATCH_JSON, body, strlen(body), NULL, &id,
                                                &dup, err, sizeof err),
                         PS_BSTORE_OK);
        ck_assert_int_eq(ps_batch_store_finish(bs, id, PS_BATCH_SCREENED, NULL, 3, b ? h + 4 : h,
                                               b ? 2 : 4, &first, &already, err, sizeof err),
                         PS_BSTORE_OK);
    }
}

static void setup(void)
{
    strcpy(tmpdir, "/tmp/ps_review_test.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(dir, sizeof dir, "%s/batches", tmpdir);
    err[0] = '\0';
    ck_assert_int_eq(ps_batch_store_open(dir, 64u << 20, &bs, err, sizeof err), PS_BSTORE_OK);
    store_hits();
}

static void teardown(void)
{
    ps_batch_store_close(bs);
    bs = NULL;
    test_remove_dir(tmpdir);
}

typedef struct collected {
    ps_hit_decision d[8];
    unsigned n;
} collected;

static bool collect_decision(void *ctx, const ps_hit_decision *d)
{
    collected *c = ctx;
    if (c->n < 8)
        c->d[c->n++] = *d;
    return true;
}

static ps_hit_status status_of(uint64_t cursor)
{
    ps_hit_status s = (ps_hit_status)99;
    ck_assert_int_eq(ps_hit_status_get(bs, cursor, &s, err, sizeof err), PS_BSTORE_OK);
    return s;
}

START_TEST(decisions_latest_wins)
{
    ck_assert_int_eq(status_of(1), PS_HIT_OPEN);
    ps_hit_decision d;
    ck_assert_int_eq(ps_hit_decide(bs, 1, PS_HIT_ESCALATED, "hq", "check with Interpol", 1000, &d,
                                   err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(d.cursor, 1);
    ck_assert_str_eq(d.by, "hq");
    ck_assert_int_eq(status_of(1), PS_HIT_ESCALATED);
    ck_assert_int_eq(ps_hit_decide(bs, 1, PS_HIT_FALSE_POSITIVE, "duty", "different DOB", 2000,
                                   NULL, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(status_of(1), PS_HIT_FALSE_POSITIVE);
    ck_assert_int_eq(ps_hit_decide(bs, 1, PS_HIT_TRUE_MATCH, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(status_of(1), PS_HIT_TRUE_MATCH);
    ck_assert_int_eq(status_of(2), PS_HIT_OPEN); /* others untouched */

    collected c = {0};
    ck_assert_int_eq(ps_hit_decisions(bs, 1, collect_decision, &c, err, sizeof err), PS_BSTORE_OK);
    ck_assert_uint_eq(c.n, 3);
    ck_assert_int_eq(c.d[0].decision, PS_HIT_ESCALATED);
    ck_assert_str_eq(c.d[0].note, "check with Interpol");
    ck_assert_int_eq(c.d[0].at_ms, 1000);
    ck_assert_int_eq(c.d[1].decision, PS_HIT_FALSE_POSITIVE);
    ck_assert_str_eq(c.d[1].by, "duty");
    ck_assert_int_eq(c.d[2].decision, PS_HIT_TRUE_MATCH);
    ck_assert_str_eq(c.d[2].note, "");
    ck_assert(c.d[2].at_ms > 1000000000000ull); /* now */
    ck_assert(c.d[0].seq < c.d[1].seq && c.d[1].seq < c.d[2].seq);

    /* they survive a reopen, and the hit log is unchanged */
    ps_batch_store_close(bs);
    ck_assert_int_eq(ps_batch_store_open(dir, 64u << 20, &bs, err, sizeof err), PS_BSTORE_OK);
    ck_assert_int_eq(status_of(1), PS_HIT_TRUE_MATCH);
    ck_assert_uint_eq(ps_batch_store_last_cursor(bs), 6);
}
END_TEST

START_TEST(show_has_hit_status_and_decisions)
{
    ck_assert_int_eq(
        ps_hit_decide(bs, 3, PS_HIT_FALSE_POSITIVE, "hq", "née \"X\"", 5000, NULL, err, sizeof err),
        PS_BSTORE_OK);
    ps_buf b;
    ps_buf_init(&b);
    ck_assert_int_eq(ps_hit_show(bs, 3, "hq", &b, err, sizeof err), PS_BSTORE_OK);
    json_t *o = json_loadb(b.data, b.len, 0, NULL);
    ck_assert_msg(o != NULL, "not JSON: %.*s", (int)b.len, b.data);
    ck_assert_int_eq(json_integer_value(json_object_get(o, "cursor")), 3);
    ck_assert_str_eq(json_string_value(json_object_get(o, "hit_id")), "h3");
    ck_assert_str_eq(json_string_value(json_object_get(o, "status")), "false_positive");
    json_t *ds = json_object_get(o, "decisions");
    ck_assert_uint_eq(json_array_size(ds), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ds, 0), "note")),
                     "née \"X\"");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ds, 0), "at")),
                     "1970-01-01T00:00:05.000Z");
    json_decref(o);
    b.len = 0;
    ck_assert_int_eq(ps_hit_show(bs, 99, "hq", &b, err, sizeof err), PS_BSTORE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err, "99"));
    ck_assert_uint_eq(b.len, 0);
    ps_buf_free(&b);
}
END_TEST

typedef struct audit_seen {
    uint64_t seq[32];
    json_t *e[32];
    unsigned n;
} audit_seen;

static bool collect_audit(void *ctx, uint64_t seq, const char *json, size_t len)
{
    audit_seen *a = ctx;
    if (a->n < 32) {
        a->seq[a->n] = seq;
        a->e[a->n++] = json_loadb(json, len, 0, NULL);
    }
    return true;
}

static void audit_free(audit_seen *a)
{
    for (unsigned i = 0; i < a->n; i++)
        json_decref(a->e[i]);
    a->n = 0;
}

static const char *field(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "(none)";
}

START_TEST(audit_append_only_and_ordered)
{
    ps_buf b;
    ps_buf_init(&b);
    ck_assert_int_eq(ps_hit_show(bs, 2, "hq", &b, err, sizeof err), PS_BSTORE_OK);
    ck_assert_int_eq(ps_hit_decide(bs, 2, PS_HIT_TRUE_MATCH, "hq", "yes", 0, NULL, err, sizeof err),
                     PS_BSTORE_OK);
    /* failures leave no entry */
    ck_assert_int_eq(ps_hit_decide(bs, 77, PS_HIT_TRUE_MATCH, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_NOT_FOUND);
    ck_assert_int_eq(ps_hit_show(bs, 77, "hq", &b, err, sizeof err), PS_BSTORE_NOT_FOUND);
    ps_buf_free(&b);

    audit_seen a = {0};
    uint64_t next = 0;
    ck_assert_int_eq(ps_audit_export(bs, "ops", 0, 0, collect_audit, &a, &next, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(a.n, 2);
    ck_assert_uint_eq(next, 2);
    ck_assert_uint_eq(a.seq[0], 1);
    ck_assert_uint_eq(a.seq[1], 2);
    ck_assert_str_eq(field(a.e[0], "action"), "hit_read");
    ck_assert_str_eq(field(a.e[0], "who"), "hq");
    ck_assert_int_eq(json_integer_value(json_object_get(a.e[0], "cursor")), 2);
    ck_assert_str_eq(field(a.e[1], "action"), "decision");
    ck_assert_str_eq(field(a.e[1], "decision"), "true_match");
    ck_assert(json_integer_value(json_object_get(a.e[0], "at_ms")) <=
              json_integer_value(json_object_get(a.e[1], "at_ms")));
    audit_free(&a);

    /* the export itself was recorded, after what it exported; earlier entries unchanged */
    ck_assert_int_eq(ps_audit_export(bs, NULL, 0, 0, collect_audit, &a, &next, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(a.n, 3);
    ck_assert_str_eq(field(a.e[2], "action"), "audit_export");
    ck_assert_str_eq(field(a.e[2], "who"), "ops");
    ck_assert_int_eq(json_integer_value(json_object_get(a.e[2], "count")), 2);
    ck_assert_str_eq(field(a.e[0], "action"), "hit_read");
    audit_free(&a);

    /* since and limit page through it */
    ck_assert_int_eq(ps_audit_export(bs, NULL, 1, 1, collect_audit, &a, &next, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(a.n, 1);
    ck_assert_uint_eq(a.seq[0], 2);
    ck_assert_uint_eq(next, 2);
    audit_free(&a);
    ck_assert_int_eq(ps_audit_export(bs, NULL, 3, 0, collect_audit, &a, &next, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(a.n, 0);
    ck_assert_uint_eq(next, 3);
}
END_TEST

typedef struct listed {
    uint64_t cursor[16];
    ps_hit_status status[16];
    unsigned n;
} listed;

static bool collect_hit(void *ctx, uint64_t cursor, ps_hit_status status, const char *json,
                        size_t len)
{
    (void)json;
    (void)len;
    listed *l = ctx;
    if (l->n < 16) {
        l->cursor[l->n] = cursor;
        l->status[l->n++] = status;
    }
    return true;
}

/* Lists with the filters given as "key=value" strings; returns the cursors as "1,3,". */
static const char *list_with(const char *const *kv, uint64_t after, uint64_t limit, uint64_t *next)
{
    static char out[128];
    ps_hit_filter f;
    ps_hit_filter_init(&f);
    for (; kv && *kv; kv++) {
        const char *eq = strchr(*kv, '=');
        ck_assert_int_eq(
            ps_hit_filter_set(&f, *kv, (size_t)(eq - *kv), eq + 1, strlen(eq + 1), err, sizeof err),
            PS_BSTORE_OK);
    }
    listed l = {0};
    uint64_t nx;
    ck_assert_int_eq(ps_hit_list(bs, &f, after, limit, collect_hit, &l, &nx, err, sizeof err),
                     PS_BSTORE_OK);
    if (next)
        *next = nx;
    out[0] = '\0';
    for (unsigned i = 0; i < l.n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%llu,",
                 (unsigned long long)l.cursor[i]);
    return out;
}

START_TEST(filters_and_paging)
{
    ck_assert_int_eq(
        ps_hit_decide(bs, 1, PS_HIT_FALSE_POSITIVE, "hq", NULL, 0, NULL, err, sizeof err),
        PS_BSTORE_OK);
    ck_assert_int_eq(ps_hit_decide(bs, 5, PS_HIT_ESCALATED, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(ps_hit_decide(bs, 5, PS_HIT_TRUE_MATCH, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_OK);

    ck_assert_str_eq(list_with(NULL, 0, 0, NULL), "1,2,3,4,5,6,");
    ck_assert_str_eq(list_with((const char *[]){"status=open", NULL}, 0, 0, NULL), "2,3,4,6,");
    ck_assert_str_eq(list_with((const char *[]){"status=true_match", NULL}, 0, 0, NULL), "5,");
    ck_assert_str_eq(list_with((const char *[]){"status=escalated", NULL}, 0, 0, NULL), "");
    ck_assert_str_eq(list_with((const char *[]){"status=false_positive", NULL}, 0, 0, NULL), "1,");
    ck_assert_str_eq(list_with((const char *[]){"list=wanted", NULL}, 0, 0, NULL), "1,3,5,");
    ck_assert_str_eq(list_with((const char *[]){"action=no_board", NULL}, 0, 0, NULL), "2,5,6,");
    ck_assert_str_eq(list_with((const char *[]){"kind=document", NULL}, 0, 0, NULL), "2,6,");
    ck_assert_str_eq(list_with((const char *[]){"kind=rule", NULL}, 0, 0, NULL), "4,");
    ck_assert_str_eq(list_with((const char *[]){"batch=2", NULL}, 0, 0, NULL), "5,6,");
    ck_assert_str_eq(list_with((const char *[]){"min_score=0.9", NULL}, 0, 0, NULL), "1,2,4,5,");
    ck_assert_str_eq(
        list_with((const char *[]){"list=wanted", "status=open", "min_score=0.8", NULL}, 0, 0,
                  NULL),
        "3,");
    /* received-time range: both batches were received just now */
    ck_assert_str_eq(list_with((const char *[]){"from=2020-01-01", NULL}, 0, 0, NULL),
                     "1,2,3,4,5,6,");
    ck_assert_str_eq(list_with((const char *[]){"to=2020-01-01T00:00", NULL}, 0, 0, NULL), "");
    ck_assert_str_eq(list_with((const char *[]){"from=1000", "to=9999999999999", NULL}, 0, 0, NULL),
                     "1,2,3,4,5,6,");

    /* paging: limit matches, next = the last cursor examined */
    uint64_t next;
    ck_assert_str_eq(list_with((const char *[]){"action=no_board", NULL}, 0, 2, &next), "2,5,");
    ck_assert_uint_eq(next, 5);
    ck_assert_str_eq(list_with((const char *[]){"action=no_board", NULL}, next, 2, &next), "6,");
    ck_assert_uint_eq(next, 6);
    ck_assert_str_eq(list_with((const char *[]){"action=no_board", NULL}, next, 2, &next), "");
    ck_assert_uint_eq(next, 6);
    ck_assert_str_eq(list_with((const char *[]){"kind=rule", NULL}, 4, 0, &next), "");
    ck_assert_uint_eq(next, 6); /* scanned to the end */

    /* a call examines at most f.scan hits; next says where it stopped */
    ps_hit_filter f;
    ps_hit_filter_init(&f);
    ck_assert_int_eq(ps_hit_filter_set(&f, "kind", 4, "rule", 4, err, sizeof err), PS_BSTORE_OK);
    f.scan = 2;
    listed l = {0};
    ck_assert_int_eq(ps_hit_list(bs, &f, 0, 0, collect_hit, &l, &next, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_uint_eq(next, 2);
    ck_assert_int_eq(ps_hit_list(bs, &f, next, 0, collect_hit, &l, &next, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_uint_eq(l.cursor[0], 4);
    ck_assert_uint_eq(next, 4);
    ck_assert_int_eq(ps_hit_list(bs, &f, next, 0, collect_hit, &l, &next, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(next, 6);
    ck_assert_int_eq(ps_hit_list(bs, &f, next, 0, collect_hit, &l, &next, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(next, 6); /* the end: next no longer moves */
    ck_assert_uint_eq(l.n, 1);
}
END_TEST

START_TEST(bad_input)
{
    char note[PS_REVIEW_NOTE_MAX + 2];
    memset(note, 'n', sizeof note - 1);
    note[sizeof note - 1] = '\0';
    ck_assert_int_eq(ps_hit_decide(bs, 1, PS_HIT_TRUE_MATCH, "hq", note, 0, NULL, err, sizeof err),
                     PS_BSTORE_INVALID);
    ck_assert_ptr_nonnull(strstr(err, "note"));
    note[PS_REVIEW_NOTE_MAX] = '\0'; /* exactly the most allowed */
    ck_assert_int_eq(ps_hit_decide(bs, 1, PS_HIT_TRUE_MATCH, "hq", note, 0, NULL, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(ps_hit_decide(bs, 1, PS_HIT_OPEN, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_INVALID);
    ck_assert_ptr_nonnull(strstr(err, "decision"));
    ck_assert_int_eq(ps_hit_decide(bs, 1, (ps_hit_status)7, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_INVALID);
    ck_assert_int_eq(ps_hit_decide(bs, 1, PS_HIT_TRUE_MATCH, "", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_INVALID);
    ck_assert_ptr_nonnull(strstr(err, "by"));
    ck_assert_int_eq(
        ps_hit_decide(bs, 1, PS_HIT_TRUE_MATCH, "hq", "\xff\xfe", 0, NULL, err, sizeof err),
        PS_BSTORE_INVALID);
    ck_assert_int_eq(ps_hit_decide(bs, 7, PS_HIT_TRUE_MATCH, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(err, "cursor: no hit 7"));
    ck_assert_int_eq(ps_hit_decide(bs, 0, PS_HIT_TRUE_MATCH, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_NOT_FOUND);
    ps_hit_status s;
    ck_assert_int_eq(ps_hit_status_get(bs, 7, &s, err, sizeof err), PS_BSTORE_NOT_FOUND);
    ck_assert_int_eq(status_of(1), PS_HIT_TRUE_MATCH); /* only the good decision landed */
    collected c = {0};
    ck_assert_int_eq(ps_hit_decisions(bs, 1, collect_decision, &c, err, sizeof err), PS_BSTORE_OK);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_uint_eq(strlen(c.d[0].note), PS_REVIEW_NOTE_MAX);

    ps_hit_filter f;
    ps_hit_filter_init(&f);
    ck_assert(!ps_hit_filter_active(&f));
    static const char *const bad[][2] = {
        {"status", "closed"}, {"action", "arrest"}, {"kind", "pattern"},   {"batch", "0"},
        {"batch", "x1"},      {"min_score", "1.5"}, {"min_score", "high"}, {"from", "2024-13-01"},
        {"to", "yesterday"},  {"list", ""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        ck_assert_int_eq(ps_hit_filter_set(&f, bad[i][0], strlen(bad[i][0]), bad[i][1],
                                           strlen(bad[i][1]), err, sizeof err),
                         PS_BSTORE_INVALID);
        ck_assert_msg(strncmp(err, bad[i][0], strlen(bad[i][0])) == 0, "%s: %s", bad[i][0], err);
    }
    ck_assert(!ps_hit_filter_active(&f));
    ck_assert_int_eq(ps_hit_filter_set(&f, "since", 5, "1", 1, err, sizeof err), -1);
    ck_assert_int_eq(ps_hit_filter_set(&f, "kind", 4, "rule", 4, err, sizeof err), PS_BSTORE_OK);
    ck_assert(ps_hit_filter_active(&f));
}
END_TEST

static ps_traveller traveller(const char *surname, const char *given, int year, const char *doc)
{
    static ps_document d;
    ps_traveller t;
    memset(&t, 0, sizeof t);
    t.surname = (ps_str){surname, strlen(surname)};
    t.given_names = (ps_str){given, strlen(given)};
    t.birth_date.year = (int16_t)year;
    t.birth_date.month = 2;
    t.birth_date.day = 23;
    t.birth_date.precision = PS_DATE_DAY;
    if (doc) {
        memset(&d, 0, sizeof d);
        d.number = (ps_str){doc, strlen(doc)};
        t.documents = &d;
        t.n_documents = 1;
    }
    return t;
}

START_TEST(identity_is_normalized)
{
    char a[PS_IDENTITY_HEX], b[PS_IDENTITY_HEX];
    ps_traveller t = traveller("Martínez", "julio", 1968, "YY 347-8621");
    ps_traveller_identity(&t, a);
    ck_assert_uint_eq(strlen(a), 32);
    t = traveller("MARTINEZ", "JULIO", 1968, "YY3478621");
    ps_traveller_identity(&t, b);
    ck_assert_str_eq(a, b); /* case, accents and document punctuation do not matter */
    t = traveller("MARTINEZ", "JULIO", 1969, "YY3478621");
    ps_traveller_identity(&t, b);
    ck_assert_str_ne(a, b); /* birth date does */
    t = traveller("MARTINEZ", "JULIO", 1968, "YY3478622");
    ps_traveller_identity(&t, b);
    ck_assert_str_ne(a, b); /* document does */
    t = traveller("JULIO", "MARTINEZ", 1968, "YY3478621");
    ps_traveller_identity(&t, b);
    ck_assert_str_ne(a, b); /* surname and given names are not interchangeable */
    ps_normalize_cleanup();
}
END_TEST

/* Stores one more batch with the given hits (JSON texts); returns the first cursor. */
static uint64_t store_batch(const char *const *json, uint32_t n, const char *tag)
{
    ps_stored_hit h[4];
    for (uint32_t i = 0; i < n; i++)
        h[i] = (ps_stored_hit){json[i], strlen(json[i])};
    uint64_t id, first;
    bool dup, already;
    ck_assert_int_eq(ps_batch_store_receive(bs, PS_BATCH_JSON, tag, strlen(tag), NULL, &id, &dup,
                                            err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(ps_batch_store_finish(bs, id, PS_BATCH_SCREENED, NULL, n, h, n, &first,
                                           &already, err, sizeof err),
                     PS_BSTORE_OK);
    return first;
}

static bool suppressed_now(const char *identity, const char *entry, uint64_t version, uint64_t *by)
{
    bool s = true;
    uint64_t seq = 0;
    *by = 0;
    ck_assert_int_eq(ps_hit_suppression_find(bs, identity, "wanted", 6, entry, strlen(entry),
                                             version, &s, by, &seq, err, sizeof err),
                     PS_BSTORE_OK);
    return s;
}

START_TEST(false_positive_suppresses)
{
    const char *id = "0123456789abcdef0123456789abcdef";
    char j[256];
    snprintf(j, sizeof j,
             "{\"hit_id\":\"x\",\"batch_id\":\"3\",\"list\":\"wanted\",\"entry_id\":\"W-1\","
             "\"entry_version\":7,\"kind\":\"person\",\"score\":0.9,\"action\":\"refer\","
             "\"identity\":\"%s\"}",
             id);
    const char *one[] = {j};
    uint64_t c = store_batch(one, 1, "{\"s\":1}");
    uint64_t by;
    ck_assert(!suppressed_now(id, "W-1", 7, &by));
    ck_assert_int_eq(ps_hit_decide(bs, c, PS_HIT_ESCALATED, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert(!suppressed_now(id, "W-1", 7, &by)); /* only false_positive suppresses */
    ck_assert_int_eq(
        ps_hit_decide(bs, c, PS_HIT_FALSE_POSITIVE, "hq", "other man", 0, NULL, err, sizeof err),
        PS_BSTORE_OK);
    ck_assert(suppressed_now(id, "W-1", 7, &by));
    ck_assert_uint_eq(by, c);
    ck_assert(!suppressed_now(id, "W-1", 8, &by)); /* version moved */
    ck_assert(!suppressed_now(id, "W-2", 7, &by)); /* another entry */
    ck_assert(!suppressed_now("ffffffffffffffffffffffffffffffff", "W-1", 7, &by)); /* another one */

    /* a later hit stored marked suppressed has that status, and is listed by it */
    char j2[320];
    snprintf(j2, sizeof j2,
             "{\"hit_id\":\"y\",\"batch_id\":\"4\",\"list\":\"wanted\",\"entry_id\":\"W-1\","
             "\"entry_version\":7,\"kind\":\"person\",\"score\":0.9,\"action\":\"refer\","
             "\"identity\":\"%s\",\"suppressed\":{\"cursor\":%llu,\"seq\":2}}",
             id, (unsigned long long)c);
    const char *two[] = {j2};
    uint64_t c2 = store_batch(two, 1, "{\"s\":2}");
    ck_assert_int_eq(status_of(c2), PS_HIT_SUPPRESSED);
    char want[32];
    snprintf(want, sizeof want, "%llu,", (unsigned long long)c2);
    ck_assert_str_eq(list_with((const char *[]){"status=suppressed", NULL}, 0, 0, NULL), want);
    /* deciding on it makes the decision its status */
    ck_assert_int_eq(ps_hit_decide(bs, c2, PS_HIT_TRUE_MATCH, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_int_eq(status_of(c2), PS_HIT_TRUE_MATCH);
    ck_assert_int_eq(ps_hit_decide(bs, c2, PS_HIT_SUPPRESSED, "hq", NULL, 0, NULL, err, sizeof err),
                     PS_BSTORE_INVALID); /* suppressed is no decision */

    /* a later decision on the deciding hit lifts the suppression */
    ck_assert_int_eq(
        ps_hit_decide(bs, c, PS_HIT_TRUE_MATCH, "hq", "it was him", 0, NULL, err, sizeof err),
        PS_BSTORE_OK);
    ck_assert(!suppressed_now(id, "W-1", 7, &by));
    /* hits without identity (stored by older servers) never suppress */
    ck_assert_int_eq(
        ps_hit_decide(bs, 1, PS_HIT_FALSE_POSITIVE, "hq", NULL, 0, NULL, err, sizeof err),
        PS_BSTORE_OK);
}
END_TEST

START_TEST(false_positive_validity_ends)
{
    const char *id = "abcdefabcdefabcdefabcdefabcdef01";
    char j[256];
    snprintf(j, sizeof j,
             "{\"hit_id\":\"v\",\"batch_id\":\"5\",\"list\":\"wanted\",\"entry_id\":\"W-9\","
             "\"entry_version\":3,\"kind\":\"person\",\"score\":0.9,\"action\":\"refer\","
             "\"identity\":\"%s\"}",
             id);
    const char *one[] = {j};
    uint64_t c = store_batch(one, 1, "{\"s\":5}");
    uint64_t by;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000u;
    ps_hit_decision d;
    /* valid for another hour: suppresses, and says until when */
    ck_assert_int_eq(ps_hit_decide_until(bs, c, PS_HIT_FALSE_POSITIVE, "hq", NULL, 0,
                                         now + 3600000u, &d, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert_uint_eq(d.valid_until_ms, now + 3600000u);
    ck_assert(suppressed_now(id, "W-9", 3, &by));
    /* its validity over: the same identity alerts again */
    ck_assert_int_eq(ps_hit_decide_until(bs, c, PS_HIT_FALSE_POSITIVE, "hq", "expired", 0,
                                         now - 1000u, NULL, err, sizeof err),
                     PS_BSTORE_OK);
    ck_assert(!suppressed_now(id, "W-9", 3, &by));
}
END_TEST

START_TEST(find_by_hit_id)
{
    ck_assert(ps_hit_id_like("afded9b4ba555179", 16));
    ck_assert(!ps_hit_id_like("AFDED9B4BA555179", 16));
    ck_assert(!ps_hit_id_like("afded9b4ba55517", 15));
    ck_assert(!ps_hit_id_like("12", 2));
    uint64_t c = 99;
    ck_assert_int_eq(ps_hit_find_id(bs, "00000000000000aa", 16, &c, err, sizeof err),
                     PS_BSTORE_NOT_FOUND);
    ck_assert_uint_eq(c, 0);
    const char *a[] = {"{\"hit_id\":\"00000000000000aa\",\"list\":\"x\"}",
                       "{\"hit_id\":\"ffffffffffffffff\",\"list\":\"x\"}"};
    uint64_t first = store_batch(a, 2, "{\"ids\":1}");
    ck_assert_int_eq(ps_hit_find_id(bs, "00000000000000aa", 16, &c, err, sizeof err), PS_BSTORE_OK);
    ck_assert_uint_eq(c, first);
    ck_assert_int_eq(ps_hit_find_id(bs, "ffffffffffffffff", 16, &c, err, sizeof err), PS_BSTORE_OK);
    ck_assert_uint_eq(c, first + 1);
    /* hits stored after the index was brought up to date are found too; a repeated id keeps
     * its first hit */
    const char *b[] = {"{\"hit_id\":\"0123456789abcdef\"}", "{\"hit_id\":\"00000000000000aa\"}"};
    uint64_t second = store_batch(b, 2, "{\"ids\":2}");
    ck_assert_int_eq(ps_hit_find_id(bs, "0123456789abcdef", 16, &c, err, sizeof err), PS_BSTORE_OK);
    ck_assert_uint_eq(c, second);
    ck_assert_int_eq(ps_hit_find_id(bs, "00000000000000aa", 16, &c, err, sizeof err), PS_BSTORE_OK);
    ck_assert_uint_eq(c, first);
    ck_assert_int_eq(ps_hit_find_id(bs, "h1", 2, &c, err, sizeof err), PS_BSTORE_INVALID);
    ck_assert_ptr_nonnull(strstr(err, "hit_id"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("hit_review");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, decisions_latest_wins);
    tcase_add_test(tc, show_has_hit_status_and_decisions);
    tcase_add_test(tc, audit_append_only_and_ordered);
    tcase_add_test(tc, filters_and_paging);
    tcase_add_test(tc, bad_input);
    tcase_add_test(tc, identity_is_normalized);
    tcase_add_test(tc, false_positive_suppresses);
    tcase_add_test(tc, false_positive_validity_ends);
    tcase_add_test(tc, find_by_hit_id);
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
