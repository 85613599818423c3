/* tests/unit/test_store.c — the alert store (store.h) and its entry codec (entry_codec.h):
 * codec round trips and limits; upserts, unchanged lines, deletes and their counts; the
 * document indexes (exact and confusable keys, issuer alpha-3); list settings; MVCC snapshots
 * while a writer commits; reopening read-only. Every test works on its own temporary store
 * directory (mkdtemp), removed afterwards. */
#include "../../engine/entry_codec.h"
#include "paxscreen/normalize.h"
#include "paxscreen/store.h"
#include "paxscreen/watchlist.h"
#include "test_dirs.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];
static char storedir[96];
static ps_arena arena;
static char err[512];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/ps_store_test.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(storedir, sizeof storedir, "%s/db", tmpdir);
    ps_arena_init(&arena);
    err[0] = '\0';
}

static void teardown(void)
{
    ps_arena_free(&arena);
    test_remove_dir(tmpdir);
}

/* An entry from its JSON line (the import format), in the test arena. */
static ps_wl_entry entry(const char *json)
{
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_wl_entry e;
    bool ok = ps_wl_entry_parse(json, strlen(json), 1, &arena, &e, &diags);
    ck_assert_msg(ok, "bad test entry: %.*s", diags.count ? (int)diags.items[0].message.len : 0,
                  diags.count ? diags.items[0].message.ptr : "");
    return e;
}

static ps_store *open_store(bool writable)
{
    ps_store *s;
    int rc = ps_store_open(storedir, writable, &s, err, sizeof err);
    ck_assert_msg(rc == PS_STORE_OK, "open: %s", err);
    return s;
}

static void put(ps_store_writer *w, const char *json, uint64_t hash, ps_import_counts *c)
{
    ps_wl_entry e = entry(json);
    int rc = ps_store_put(w, &e, hash, c, err, sizeof err);
    ck_assert_msg(rc == PS_STORE_OK, "put: %s", err);
}

/* Puts one line in its own writer and commits. */
static ps_import_counts put_one(ps_store *s, const char *json, uint64_t hash)
{
    ps_store_writer *w;
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ps_import_counts c = {0};
    put(w, json, hash, &c);
    ck_assert_msg(ps_store_writer_commit(w, err, sizeof err) == PS_STORE_OK, "commit: %s", err);
    return c;
}

typedef struct refs {
    ps_doc_ref items[64];
    int n;
} refs;

static void collect(void *ctx, const ps_doc_ref *ref)
{
    refs *r = ctx;
    if (r->n < 64)
        r->items[r->n] = *ref;
    r->n++;
}

/* Lookups as screening makes them: the key is computed from the number as a traveller sent
 * it, canonical for docs, confusable-folded for docs_cf. */
static refs lookup(ps_snapshot *snap, bool confusable, const char *number)
{
    char key[128];
    size_t n = confusable ? ps_docnum_confusable(number, strlen(number), key)
                          : ps_docnum_canonical(number, strlen(number), key);
    refs r = {.n = 0};
    ck_assert_int_eq(ps_snapshot_docs(snap, confusable, key, n, collect, &r), PS_STORE_OK);
    return r;
}

/* Both keys of a number at once (ps_snapshot_docs_both) against one lookup each. */
typedef struct two_refs {
    refs number, confusable;
} two_refs;

static void collect_two(void *ctx, const ps_doc_ref *ref, bool confusable)
{
    two_refs *t = ctx;
    collect(confusable ? &t->confusable : &t->number, ref);
}

static void check_both(ps_snapshot *snap, const char *number)
{
    char key[128], cf[128];
    size_t n = ps_docnum_canonical(number, strlen(number), key);
    size_t m = ps_docnum_confusable(number, strlen(number), cf);
    two_refs t = {.number.n = 0, .confusable.n = 0};
    ck_assert_int_eq(ps_snapshot_docs_both(snap, key, n, cf, m, collect_two, &t), PS_STORE_OK);
    refs a = lookup(snap, false, number), b = lookup(snap, true, number);
    ck_assert_int_eq(t.number.n, a.n);
    ck_assert_int_eq(t.confusable.n, b.n);
    for (int i = 0; i < a.n && i < 64; i++)
        ck_assert(t.number.items[i].entry == a.items[i].entry &&
                  t.number.items[i].document == a.items[i].document);
    for (int i = 0; i < b.n && i < 64; i++)
        ck_assert(t.confusable.items[i].entry == b.items[i].entry &&
                  t.confusable.items[i].document == b.items[i].document);
}

static uint64_t find(ps_snapshot *snap, const char *list, const char *id)
{
    uint64_t n = 0;
    int rc = ps_snapshot_find(snap, (ps_str){list, strlen(list)}, (ps_str){id, strlen(id)}, &n);
    return rc == PS_STORE_OK ? n : 0;
}

static ps_list_info list_info(ps_store *s, const char *name)
{
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ps_list_info li;
    memset(&li, 0, sizeof li);
    ck_assert_int_eq(ps_snapshot_list(snap, name, &li), PS_STORE_OK);
    ps_snapshot_end(snap);
    return li;
}

static const char *full_entry =
    "{\"list\":\"wanted\",\"id\":\"W-000123\",\"action\":\"no_board\",\"category\":\"arrest "
    "warrant\",\"names\":[{\"surname\":\"MARTINEZ\",\"given_names\":\"JULIO\",\"type\":"
    "\"primary\"},{\"full\":\"Хулио Мартинес\",\"type\":\"alias\"},{\"surname\":\"MÜLLER\","
    "\"type\":\"weak_alias\"}],\"birth_dates\":[\"1968-02-23\",\"1968\",\"1969-03\"],"
    "\"gender\":\"M\",\"nationalities\":[\"ESP\",\"MEX\"],\"documents\":[{\"type\":\"P\","
    "\"number\":\"YY3478621\",\"issuer\":\"ESP\",\"status\":\"stolen\"},{\"pattern\":"
    "\"L8989[0-9]{4}\",\"issuer\":\"UTO\"}],\"name_patterns\":[\"^MART[IY]NE[SZ]\"]}";

static void assert_str(ps_str a, ps_str b)
{
    ck_assert_msg(ps_str_eq(a, b), "'%.*s' != '%.*s'", (int)a.len, a.ptr ? a.ptr : "", (int)b.len,
                  b.ptr ? b.ptr : "");
}

static void assert_entries_equal(const ps_wl_entry *a, const ps_wl_entry *b)
{
    assert_str(a->list, b->list);
    assert_str(a->id, b->id);
    ck_assert_int_eq(a->deleted, b->deleted);
    ck_assert_int_eq(a->action, b->action);
    assert_str(a->category, b->category);
    ck_assert_int_eq(a->gender, b->gender);
    ck_assert_uint_eq(a->n_names, b->n_names);
    for (uint32_t i = 0; i < a->n_names; i++) {
        assert_str(a->names[i].surname, b->names[i].surname);
        assert_str(a->names[i].given_names, b->names[i].given_names);
        assert_str(a->names[i].full, b->names[i].full);
        ck_assert_int_eq(a->names[i].type, b->names[i].type);
    }
    ck_assert_uint_eq(a->n_birth_dates, b->n_birth_dates);
    for (uint32_t i = 0; i < a->n_birth_dates; i++)
        ck_assert(memcmp(&a->birth_dates[i], &b->birth_dates[i], sizeof(ps_date)) == 0);
    ck_assert_uint_eq(a->n_nationalities, b->n_nationalities);
    for (uint32_t i = 0; i < a->n_nationalities; i++)
        assert_str(a->nationalities[i], b->nationalities[i]);
    ck_assert_uint_eq(a->n_documents, b->n_documents);
    for (uint32_t i = 0; i < a->n_documents; i++) {
        assert_str(a->documents[i].type, b->documents[i].type);
        assert_str(a->documents[i].number, b->documents[i].number);
        assert_str(a->documents[i].pattern, b->documents[i].pattern);
        assert_str(a->documents[i].issuer, b->documents[i].issuer);
        assert_str(a->documents[i].status, b->documents[i].status);
    }
    ck_assert_uint_eq(a->n_name_patterns, b->n_name_patterns);
    for (uint32_t i = 0; i < a->n_name_patterns; i++)
        assert_str(a->name_patterns[i], b->name_patterns[i]);
}

/* ---- codec ---- */

START_TEST(test_codec_round_trip_all_fields)
{
    ps_wl_entry e = entry(full_entry);
    ps_buf b;
    ps_buf_init(&b);
    ck_assert_int_eq(ps_entry_encode(&e, &b, err, sizeof err), PS_STORE_OK);
    ps_wl_entry d;
    ck_assert_int_eq(ps_entry_decode(b.data, b.len, &arena, &d, err, sizeof err), PS_STORE_OK);
    assert_entries_equal(&e, &d);
    /* zero copy: strings point into the encoded bytes */
    ck_assert(d.names[1].full.ptr >= b.data && d.names[1].full.ptr < b.data + b.len);
    ck_assert(ps_str_eq_cstr(d.names[1].full, "Хулио Мартинес"));
    ck_assert_int_eq(d.birth_dates[1].precision, PS_DATE_YEAR);
    ck_assert_int_eq(d.birth_dates[2].month, 3);
    ps_buf_free(&b);
}
END_TEST

START_TEST(test_codec_empty_arrays_and_delete)
{
    ps_wl_entry e = entry("{\"list\":\"sltd\",\"id\":\"S-1\",\"documents\":[{\"number\":\"X1\"}]}");
    ps_buf b;
    ps_buf_init(&b);
    ck_assert_int_eq(ps_entry_encode(&e, &b, err, sizeof err), PS_STORE_OK);
    ps_wl_entry d;
    ck_assert_int_eq(ps_entry_decode(b.data, b.len, &arena, &d, err, sizeof err), PS_STORE_OK);
    assert_entries_equal(&e, &d);
    ck_assert_ptr_null(d.names);
    ck_assert_ptr_null(d.birth_dates);
    ck_assert_ptr_null(d.category.ptr);
    ck_assert_int_eq(d.gender, 0);

    ps_wl_entry del = entry("{\"list\":\"sltd\",\"id\":\"S-1\",\"deleted\":true}");
    b.len = 0;
    ck_assert_int_eq(ps_entry_encode(&del, &b, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_entry_decode(b.data, b.len, &arena, &d, err, sizeof err), PS_STORE_OK);
    ck_assert(d.deleted);
    assert_entries_equal(&del, &d);
    ps_buf_free(&b);
}
END_TEST

START_TEST(test_codec_rejects_what_does_not_fit)
{
    ps_wl_entry e = entry(full_entry);
    ps_buf b;
    ps_buf_init(&b);
    ps_buf_puts(&b, "prefix");

    char *big = malloc(70000);
    memset(big, 'A', 70000);
    ps_wl_entry tooLong = e;
    ps_wl_name names[3];
    memcpy(names, e.names, sizeof names);
    names[2].surname = (ps_str){big, 65536};
    tooLong.names = names;
    ck_assert_int_eq(ps_entry_encode(&tooLong, &b, err, sizeof err), PS_STORE_INVALID);
    ck_assert_msg(strstr(err, "names[2].surname") != NULL, "%s", err);
    ck_assert_uint_eq(b.len, 6); /* nothing appended */

    names[2].surname = (ps_str){big, 65535}; /* the largest that fits */
    ck_assert_int_eq(ps_entry_encode(&tooLong, &b, err, sizeof err), PS_STORE_OK);
    ps_wl_entry d;
    ck_assert_int_eq(ps_entry_decode(b.data + 6, b.len - 6, &arena, &d, err, sizeof err),
                     PS_STORE_OK);
    ck_assert_uint_eq(d.names[2].surname.len, 65535);
    free(big);

    b.len = 6;
    ps_wl_entry many = e;
    many.n_nationalities = 65536;
    many.nationalities = calloc(65536, sizeof(ps_str));
    ck_assert_int_eq(ps_entry_encode(&many, &b, err, sizeof err), PS_STORE_INVALID);
    ck_assert_msg(strstr(err, "nationalities") != NULL, "%s", err);
    ck_assert_uint_eq(b.len, 6);
    free(many.nationalities);
    ps_buf_free(&b);
}
END_TEST

START_TEST(test_codec_rejects_corrupt_bytes)
{
    ps_wl_entry e = entry(full_entry);
    ps_buf b;
    ps_buf_init(&b);
    ck_assert_int_eq(ps_entry_encode(&e, &b, err, sizeof err), PS_STORE_OK);
    ps_wl_entry d;
    for (size_t len = 0; len < b.len; len++)
        ck_assert_int_eq(ps_entry_decode(b.data, len, &arena, &d, err, sizeof err),
                         PS_STORE_INVALID);
    ps_buf_putc(&b, 0);
    ck_assert_int_eq(ps_entry_decode(b.data, b.len, &arena, &d, err, sizeof err), PS_STORE_INVALID);
    ck_assert_msg(strstr(err, "trailing") != NULL, "%s", err);
    b.data[0] = 99;
    ck_assert_int_eq(ps_entry_decode(b.data, b.len, &arena, &d, err, sizeof err), PS_STORE_INVALID);
    ps_buf_free(&b);
}
END_TEST

/* ---- store ---- */

START_TEST(test_put_and_get)
{
    ps_store *s = open_store(true);
    ps_import_counts c = put_one(s, full_entry, 42);
    ck_assert_uint_eq(c.inserted, 1);

    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    uint64_t n = find(snap, "wanted", "W-000123");
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(find(snap, "wanted", "W-000124"), 0);
    ck_assert_uint_eq(find(snap, "sltd", "W-000123"), 0);
    ps_wl_entry got;
    uint64_t version = 0;
    ck_assert_int_eq(ps_snapshot_entry(snap, n, &arena, &got, &version), PS_STORE_OK);
    ck_assert_uint_eq(version, 1);
    ps_wl_entry want = entry(full_entry);
    assert_entries_equal(&want, &got);
    ck_assert_int_eq(ps_snapshot_entry(snap, 2, &arena, &got, &version), PS_STORE_NOT_FOUND);

    ps_list_info li;
    ck_assert_int_eq(ps_snapshot_list(snap, "wanted", &li), PS_STORE_OK);
    ck_assert_str_eq(li.name, "wanted");
    ck_assert_int_eq(li.action, PS_ACTION_REFER);
    ck_assert(li.threshold > 0.849f && li.threshold < 0.851f);
    ck_assert_uint_eq(li.version, 1);
    ck_assert_uint_eq(li.entries, 1);
    ck_assert_int_eq(ps_snapshot_list(snap, "nope", &li), PS_STORE_NOT_FOUND);

    /* the pattern-only document is in the record, not in the index */
    ck_assert(ps_str_eq_cstr(got.documents[1].pattern, "L8989[0-9]{4}"));
    ck_assert_int_eq(lookup(snap, false, "L8989[0-9]{4}").n, 0);
    ck_assert_int_eq(lookup(snap, false, "L89890000").n, 0);
    refs r = lookup(snap, false, "YY3478621");
    ck_assert_int_eq(r.n, 1);
    ck_assert_uint_eq(r.items[0].entry, n);
    ck_assert_uint_eq(r.items[0].document, 0);
    ps_snapshot_end(snap);
    ps_store_close(s);
}
END_TEST

START_TEST(test_upsert_replaces_index_and_moves_version)
{
    ps_store *s = open_store(true);
    const char *v1 = "{\"list\":\"wanted\",\"id\":\"W-1\",\"names\":[{\"surname\":\"A\"}],"
                     "\"documents\":[{\"number\":\"AB111111\",\"issuer\":\"FRA\"}]}";
    const char *v2 = "{\"list\":\"wanted\",\"id\":\"W-1\",\"names\":[{\"surname\":\"B\"}],"
                     "\"documents\":[{\"number\":\"CD222222\",\"issuer\":\"DEU\"}]}";
    put_one(s, "{\"list\":\"wanted\",\"id\":\"W-0\",\"names\":[{\"surname\":\"Z\"}]}", 7);
    put_one(s, v1, 1);
    ps_import_counts c = put_one(s, v2, 2);
    ck_assert_uint_eq(c.updated, 1);
    ck_assert_uint_eq(c.inserted, 0);

    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    uint64_t n = find(snap, "wanted", "W-1");
    ck_assert_uint_eq(n, 2); /* the entry keeps its number */
    ck_assert_int_eq(lookup(snap, false, "AB111111").n, 0);
    ck_assert_int_eq(lookup(snap, true, "AB111111").n, 0);
    refs r = lookup(snap, false, "CD222222");
    ck_assert_int_eq(r.n, 1);
    ck_assert_uint_eq(r.items[0].entry, n);
    ck_assert_str_eq(r.items[0].issuer, "DEU");
    ck_assert_int_eq(lookup(snap, true, "CD222222").n, 1);
    check_both(snap, "CD222222"); /* both keys at once find what each finds alone */
    check_both(snap, "CD 22222Z");
    check_both(snap, "AB111111");
    check_both(snap, "XQ999999"); /* on no list: its fold has no records, the number is skipped */
    check_both(snap, "");
    ps_wl_entry got;
    uint64_t version;
    ck_assert_int_eq(ps_snapshot_entry(snap, n, &arena, &got, &version), PS_STORE_OK);
    ck_assert_uint_eq(version, 3);
    ck_assert(ps_str_eq_cstr(got.names[0].surname, "B"));
    ps_list_info li;
    ck_assert_int_eq(ps_snapshot_list(snap, "wanted", &li), PS_STORE_OK);
    ck_assert_uint_eq(li.version, 3);
    ck_assert_uint_eq(li.entries, 2);
    ps_snapshot_end(snap);
    ps_store_close(s);
}
END_TEST

START_TEST(test_unchanged_line_keeps_version)
{
    ps_store *s = open_store(true);
    put_one(s, full_entry, 42);
    ps_import_counts c = put_one(s, full_entry, 42);
    ck_assert_uint_eq(c.unchanged, 1);
    ck_assert_uint_eq(c.inserted + c.updated, 0);
    ps_list_info li = list_info(s, "wanted");
    ck_assert_uint_eq(li.version, 1);
    ck_assert_uint_eq(li.entries, 1);
    /* same entry, another line text (key order, spacing): an update */
    c = put_one(s, full_entry, 43);
    ck_assert_uint_eq(c.updated, 1);
    ck_assert_uint_eq(list_info(s, "wanted").version, 2);
    ps_store_close(s);
}
END_TEST

START_TEST(test_delete_removes_everything)
{
    ps_store *s = open_store(true);
    put_one(s, full_entry, 42);
    put_one(s, "{\"list\":\"wanted\",\"id\":\"W-2\",\"names\":[{\"surname\":\"Z\"}]}", 1);
    ps_import_counts c =
        put_one(s, "{\"list\":\"wanted\",\"id\":\"W-000123\",\"deleted\":true}", 9);
    ck_assert_uint_eq(c.deleted, 1);

    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_uint_eq(find(snap, "wanted", "W-000123"), 0);
    ps_wl_entry got;
    ck_assert_int_eq(ps_snapshot_entry(snap, 1, &arena, &got, NULL), PS_STORE_NOT_FOUND);
    ck_assert_int_eq(lookup(snap, false, "YY3478621").n, 0);
    ck_assert_int_eq(lookup(snap, true, "YY3478621").n, 0);
    ck_assert_uint_eq(find(snap, "wanted", "W-2"), 2);
    ps_list_info li;
    ck_assert_int_eq(ps_snapshot_list(snap, "wanted", &li), PS_STORE_OK);
    ck_assert_uint_eq(li.entries, 1);
    ck_assert_uint_eq(li.version, 3);
    ps_snapshot_end(snap);

    /* a re-insert gets a new number: numbers are never reused */
    put_one(s, full_entry, 42);
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_uint_eq(find(snap, "wanted", "W-000123"), 3);
    ck_assert_int_eq(lookup(snap, false, "YY3478621").n, 1);
    ps_snapshot_end(snap);
    ps_store_close(s);
}
END_TEST

START_TEST(test_delete_of_absent_id_counts_missing)
{
    ps_store *s = open_store(true);
    put_one(s, full_entry, 42);
    ps_import_counts c = put_one(s, "{\"list\":\"wanted\",\"id\":\"nobody\",\"deleted\":true}", 1);
    ck_assert_uint_eq(c.missing, 1);
    ck_assert_uint_eq(c.deleted, 0);
    c = put_one(s, "{\"list\":\"other\",\"id\":\"W-000123\",\"deleted\":true}", 1);
    ck_assert_uint_eq(c.missing, 1);
    ps_list_info li = list_info(s, "wanted");
    ck_assert_uint_eq(li.version, 1);
    ck_assert_uint_eq(li.entries, 1);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_snapshot_list(snap, "other", &li), PS_STORE_NOT_FOUND);
    ps_snapshot_end(snap);
    ps_store_close(s);
}
END_TEST

START_TEST(test_docs_exact_and_confusable)
{
    ps_store *s = open_store(true);
    put_one(s,
            "{\"list\":\"sltd\",\"id\":\"S-1\",\"documents\":[{\"type\":\"P\",\"number\":"
            "\"YY 347-8621\",\"issuer\":\"ES\",\"status\":\"stolen\"},{\"number\":\"X1\","
            "\"issuer\":\"Narnia\"}]}",
            1);
    put_one(s, "{\"list\":\"other\",\"id\":\"O-1\",\"documents\":[{\"number\":\"yy3478621\"}]}", 2);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);

    refs r = lookup(snap, false, "yy3478621");
    ck_assert_int_eq(r.n, 2);
    ck_assert_uint_eq(r.items[0].entry, 1); /* entry number order */
    ck_assert_uint_eq(r.items[0].document, 0);
    ck_assert_str_eq(r.items[0].issuer, "ESP");
    ck_assert_uint_eq(r.items[1].entry, 2);
    ck_assert_str_eq(r.items[1].issuer, "");

    ck_assert_int_eq(lookup(snap, false, "YY347B621").n, 0);
    r = lookup(snap, true, "YY347B621");
    ck_assert_int_eq(r.n, 2);
    ck_assert_str_eq(r.items[0].issuer, "ESP");

    r = lookup(snap, false, "X-1");
    ck_assert_int_eq(r.n, 1);
    ck_assert_uint_eq(r.items[0].document, 1);
    ck_assert_str_eq(r.items[0].issuer, ""); /* unknown issuer */

    /* keys no stored number can have */
    ck_assert_int_eq(ps_snapshot_docs(snap, false, "", 0, collect, &r), PS_STORE_OK);
    char huge[600];
    memset(huge, 'A', sizeof huge);
    r.n = 0;
    ck_assert_int_eq(ps_snapshot_docs(snap, true, huge, sizeof huge, collect, &r), PS_STORE_OK);
    ck_assert_int_eq(r.n, 0);
    ps_snapshot_end(snap);
    ps_store_close(s);
}
END_TEST

START_TEST(test_invalid_entry_leaves_transaction_usable)
{
    ps_store *s = open_store(true);
    ps_store_writer *w;
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ps_import_counts c = {0};
    ps_wl_entry bad = entry("{\"list\":\"sltd\",\"id\":\"S-1\",\"documents\":[{\"number\":"
                            "\"A1\"},{\"number\":\"--//\"}]}");
    ck_assert_int_eq(ps_store_put(w, &bad, 1, &c, err, sizeof err), PS_STORE_INVALID);
    ck_assert_msg(strstr(err, "documents[1].number") != NULL, "%s", err);

    char longlist[80];
    memset(longlist, 'L', sizeof longlist);
    ps_wl_entry bad2 = entry(full_entry);
    bad2.list = (ps_str){longlist, sizeof longlist};
    ck_assert_int_eq(ps_store_put(w, &bad2, 1, &c, err, sizeof err), PS_STORE_INVALID);
    ck_assert_msg(strncmp(err, "list:", 5) == 0, "%s", err);

    put(w, full_entry, 5, &c);
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
    ck_assert_uint_eq(c.inserted, 1);

    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_uint_eq(find(snap, "sltd", "S-1"), 0);
    ck_assert_int_eq(lookup(snap, false, "A1").n, 0);
    ck_assert_uint_eq(find(snap, "wanted", "W-000123"), 1);
    ps_snapshot_end(snap);
    ps_store_close(s);
}
END_TEST

START_TEST(test_set_list)
{
    ps_store *s = open_store(true);
    ps_store_writer *w;
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_store_set_list(w, "sltd", PS_ACTION_NO_BOARD, 1.0f, err, sizeof err),
                     PS_STORE_OK);
    ck_assert_int_eq(ps_store_set_list(w, "sltd", PS_ACTION_NONE, 2.0f, err, sizeof err),
                     PS_STORE_INVALID);
    ck_assert_int_eq(ps_store_set_list(w, "", PS_ACTION_NONE, 0.5f, err, sizeof err),
                     PS_STORE_INVALID);
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
    ps_list_info li = list_info(s, "sltd");
    ck_assert_int_eq(li.action, PS_ACTION_NO_BOARD);
    ck_assert(li.threshold == 1.0f);
    ck_assert_uint_eq(li.entries, 0);
    ck_assert_uint_eq(li.version, 1);

    /* entries do not change the settings; a partial set keeps the other one */
    put_one(s, "{\"list\":\"sltd\",\"id\":\"S-1\",\"documents\":[{\"number\":\"A1\"}]}", 1);
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_store_set_list(w, "sltd", PS_ACTION_NONE, 0.5f, err, sizeof err),
                     PS_STORE_OK);
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
    li = list_info(s, "sltd");
    ck_assert_int_eq(li.action, PS_ACTION_NO_BOARD);
    ck_assert(li.threshold == 0.5f);
    ck_assert_uint_eq(li.entries, 1);
    ck_assert_uint_eq(li.version, 3);

    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    put_one(s, "{\"list\":\"alpha\",\"id\":\"A\",\"names\":[{\"full\":\"X\"}]}", 1);
    ps_snapshot_end(snap);
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ps_list_info all[4];
    ck_assert_uint_eq(ps_snapshot_lists(snap, all, 4), 2);
    ck_assert_str_eq(all[0].name, "alpha");
    ck_assert_str_eq(all[1].name, "sltd");
    ck_assert_uint_eq(ps_snapshot_lists(snap, all, 1), 1);
    ps_snapshot_end(snap);
    ps_store_close(s);
}
END_TEST

START_TEST(test_snapshot_isolation_while_writer_commits)
{
    ps_store *s = open_store(true);
    put_one(s, full_entry, 42);

    ps_snapshot *old;
    ck_assert_int_eq(ps_snapshot_begin(s, &old, err, sizeof err), PS_STORE_OK);

    ps_store_writer *w;
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ps_import_counts c = {0};
    put(w, "{\"list\":\"wanted\",\"id\":\"W-000123\",\"deleted\":true}", 1, &c);
    put(w, "{\"list\":\"sltd\",\"id\":\"S-1\",\"documents\":[{\"number\":\"ZZ1\"}]}", 2, &c);
    ck_assert_int_eq(ps_store_writer_checkpoint(w, err, sizeof err), PS_STORE_OK);
    put(w, "{\"list\":\"sltd\",\"id\":\"S-2\",\"documents\":[{\"number\":\"ZZ2\"}]}", 3, &c);
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);

    /* the old snapshot still sees the state it began with */
    ck_assert_uint_eq(find(old, "wanted", "W-000123"), 1);
    ck_assert_int_eq(lookup(old, false, "YY3478621").n, 1);
    ck_assert_int_eq(lookup(old, false, "ZZ1").n, 0);
    ps_wl_entry got;
    ck_assert_int_eq(ps_snapshot_entry(old, 1, &arena, &got, NULL), PS_STORE_OK);
    ck_assert(ps_str_eq_cstr(got.id, "W-000123"));
    ps_list_info li;
    ck_assert_int_eq(ps_snapshot_list(old, "sltd", &li), PS_STORE_NOT_FOUND);
    ck_assert_int_eq(ps_snapshot_list(old, "wanted", &li), PS_STORE_OK);
    ck_assert_uint_eq(li.entries, 1);

    ps_snapshot *fresh;
    ck_assert_int_eq(ps_snapshot_begin(s, &fresh, err, sizeof err), PS_STORE_OK);
    ck_assert_uint_eq(find(fresh, "wanted", "W-000123"), 0);
    ck_assert_int_eq(lookup(fresh, false, "YY3478621").n, 0);
    ck_assert_int_eq(lookup(fresh, false, "ZZ1").n, 1);
    ck_assert_int_eq(lookup(fresh, false, "ZZ2").n, 1);
    ck_assert_int_eq(ps_snapshot_list(fresh, "sltd", &li), PS_STORE_OK);
    ck_assert_uint_eq(li.entries, 2);
    ps_snapshot_end(fresh);
    ps_snapshot_end(old);
    ps_store_close(s);
}
END_TEST

START_TEST(test_snapshot_current_renews_only_after_a_commit)
{
    ps_store *s = open_store(true);
    put_one(s, full_entry, 42);
    ps_snapshot *snap = NULL;
    ck_assert_int_eq(ps_snapshot_current(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_ptr_nonnull(snap);
    ps_snapshot *first = snap;
    uint64_t v1 = ps_snapshot_version(snap);
    ck_assert_int_eq(ps_snapshot_current(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_ptr_eq(snap, first); /* nothing committed: the same snapshot, caches and all */

    /* a writer that aborts changes nothing either */
    ps_store_writer *w;
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ps_import_counts c = {0};
    put(w, "{\"list\":\"sltd\",\"id\":\"S-1\",\"documents\":[{\"number\":\"ZZ1\"}]}", 1, &c);
    ps_store_writer_abort(w);
    ck_assert_int_eq(ps_snapshot_current(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_uint_eq(ps_snapshot_version(snap), v1);
    ck_assert_int_eq(lookup(snap, false, "ZZ1").n, 0);

    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    put(w, "{\"list\":\"sltd\",\"id\":\"S-1\",\"documents\":[{\"number\":\"ZZ1\"}]}", 1, &c);
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_snapshot_current(s, &snap, err, sizeof err), PS_STORE_OK);
    ck_assert_uint_gt(ps_snapshot_version(snap), v1); /* renewed: sees the commit */
    ck_assert_int_eq(lookup(snap, false, "ZZ1").n, 1);
    ps_snapshot_end(snap);
    ps_store_close(s);
}
END_TEST

static int count_entry(void *ctx, uint64_t n, const ps_wl_entry *e, uint64_t version)
{
    (void)n;
    (void)version;
    ck_assert(e->list.len > 0);
    (*(int *)ctx)++;
    return 0;
}

START_TEST(test_reopen_read_only)
{
    ps_store *s = open_store(true);
    ps_store_writer *w;
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ps_import_counts c = {0};
    char line[256];
    for (int i = 0; i < 100; i++) {
        snprintf(line, sizeof line,
                 "{\"list\":\"sltd\",\"id\":\"S-%d\",\"documents\":[{\"number\":\"P%06d\","
                 "\"issuer\":\"FR\"}]}",
                 i, i);
        put(w, line, (uint64_t)i, &c);
    }
    put(w, full_entry, 1000, &c);
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
    /* an aborted writer leaves nothing behind */
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    put(w, "{\"list\":\"sltd\",\"id\":\"S-X\",\"documents\":[{\"number\":\"GONE1\"}]}", 1, &c);
    ps_store_writer_abort(w);
    ps_store_close(s);

    s = open_store(false);
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_IO);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ps_list_info li;
    ck_assert_int_eq(ps_snapshot_list(snap, "sltd", &li), PS_STORE_OK);
    ck_assert_uint_eq(li.entries, 100);
    ck_assert_uint_eq(li.version, 100);
    ck_assert_uint_eq(find(snap, "sltd", "S-57"), 58);
    ck_assert_uint_eq(find(snap, "sltd", "S-X"), 0);
    refs r = lookup(snap, false, "p000057");
    ck_assert_int_eq(r.n, 1);
    ck_assert_uint_eq(r.items[0].entry, 58);
    ck_assert_str_eq(r.items[0].issuer, "FRA");
    ck_assert_int_eq(lookup(snap, false, "GONE1").n, 0);
    int n = 0;
    ck_assert_int_eq(ps_snapshot_foreach_entry(snap, count_entry, &n), PS_STORE_OK);
    ck_assert_int_eq(n, 101);
    ps_wl_entry got;
    ck_assert_int_eq(ps_snapshot_entry(snap, 101, &arena, &got, NULL), PS_STORE_OK);
    ps_wl_entry want = entry(full_entry);
    assert_entries_equal(&want, &got);
    ps_snapshot_end(snap);
    ps_store_close(s);

    /* read-only open of a directory with no store fails with a message */
    char nowhere[128];
    snprintf(nowhere, sizeof nowhere, "%s/absent", tmpdir);
    ck_assert_int_eq(ps_store_open(nowhere, false, &s, err, sizeof err), PS_STORE_IO);
    ck_assert_ptr_null(s);
    ck_assert(strstr(err, "absent") != NULL);
}
END_TEST

/* Random inserts, updates, unchanged lines and deletes over a small id space, with document
 * numbers shared between entries, checked against an in-memory model: every entry, every
 * document key (exact and confusable) and every list count must agree afterwards. */
#define MODEL_IDS  40
#define MODEL_POOL 12

typedef struct model_entry {
    bool present;
    int list; /* 0 or 1 */
    int n_docs;
    int docs[2]; /* indexes into pool */
    uint64_t hash;
    char line[256];
} model_entry;

static const char *pool[MODEL_POOL] = {"AA100", "AA 100", "aa-100", "BB200", "BB2OO", "CC300",
                                       "DD400", "EE500",  "FF600",  "GG700", "HH800", "II900"};

static uint64_t rng = 12345;
static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng >> 33) % n);
}

START_TEST(test_random_operations_match_model)
{
    static model_entry model[2][MODEL_IDS];
    memset(model, 0, sizeof model);
    ps_store *s = open_store(true);
    ps_store_writer *w;
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ps_import_counts c = {0}, want = {0};
    char line[256];
    for (int op = 0; op < 3000; op++) {
        int list = (int)rnd(2), id = (int)rnd(MODEL_IDS);
        model_entry *m = &model[list][id];
        unsigned kind = rnd(10);
        if (kind < 2) {
            snprintf(line, sizeof line, "{\"list\":\"l%d\",\"id\":\"%d\",\"deleted\":true}", list,
                     id);
            put(w, line, 0, &c);
            if (m->present)
                want.deleted++;
            else
                want.missing++;
            m->present = false;
        } else if (kind < 4 && m->present) {
            put(w, m->line, m->hash, &c);
            want.unchanged++;
        } else {
            int n_docs = (int)rnd(3);
            char docs[128] = "";
            for (int k = 0; k < n_docs; k++) {
                m->docs[k] = (int)rnd(MODEL_POOL);
                size_t used = strlen(docs);
                snprintf(docs + used, sizeof docs - used, "%s{\"number\":\"%s\"}", k ? "," : "",
                         pool[m->docs[k]]);
            }
            snprintf(m->line, sizeof m->line,
                     "{\"list\":\"l%d\",\"id\":\"%d\",\"names\":[{\"full\":\"N%d\"}],"
                     "\"documents\":[%s]}",
                     list, id, op, docs);
            m->n_docs = n_docs;
            m->hash = (uint64_t)op + 1;
            if (m->present)
                want.updated++;
            else
                want.inserted++;
            m->present = true;
            m->list = list;
            put(w, m->line, m->hash, &c);
        }
        if (op % 97 == 96)
            ck_assert_int_eq(ps_store_writer_checkpoint(w, err, sizeof err), PS_STORE_OK);
        ps_arena_reset(&arena);
    }
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
    ck_assert_uint_eq(c.inserted, want.inserted);
    ck_assert_uint_eq(c.updated, want.updated);
    ck_assert_uint_eq(c.unchanged, want.unchanged);
    ck_assert_uint_eq(c.deleted, want.deleted);
    ck_assert_uint_eq(c.missing, want.missing);

    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    uint64_t numbers[2][MODEL_IDS];
    int present = 0;
    for (int l = 0; l < 2; l++) {
        int count = 0;
        for (int id = 0; id < MODEL_IDS; id++) {
            char list[8], ids[8];
            snprintf(list, sizeof list, "l%d", l);
            snprintf(ids, sizeof ids, "%d", id);
            numbers[l][id] = find(snap, list, ids);
            ck_assert_int_eq(numbers[l][id] != 0, model[l][id].present);
            if (!model[l][id].present)
                continue;
            count++;
            ps_wl_entry got, exp = entry(model[l][id].line);
            ck_assert_int_eq(ps_snapshot_entry(snap, numbers[l][id], &arena, &got, NULL),
                             PS_STORE_OK);
            assert_entries_equal(&exp, &got);
        }
        char list[8];
        snprintf(list, sizeof list, "l%d", l);
        ps_list_info li;
        if (ps_snapshot_list(snap, list, &li) == PS_STORE_OK)
            ck_assert_uint_eq(li.entries, (uint64_t)count);
        else
            ck_assert_int_eq(count, 0);
        present += count;
    }
    int walked = 0;
    ck_assert_int_eq(ps_snapshot_foreach_entry(snap, count_entry, &walked), PS_STORE_OK);
    ck_assert_int_eq(walked, present);

    /* every pool number: exactly the (entry, document) pairs the model says, in both indexes */
    for (int p = 0; p < MODEL_POOL; p++) {
        for (int cf = 0; cf < 2; cf++) {
            char key_p[32], key_q[32];
            int expected = 0;
            for (int l = 0; l < 2; l++)
                for (int id = 0; id < MODEL_IDS; id++) {
                    model_entry *m = &model[l][id];
                    for (int k = 0; m->present && k < m->n_docs; k++) {
                        const char *q = pool[m->docs[k]];
                        size_t a = cf ? ps_docnum_confusable(pool[p], strlen(pool[p]), key_p)
                                      : ps_docnum_canonical(pool[p], strlen(pool[p]), key_p);
                        size_t b = cf ? ps_docnum_confusable(q, strlen(q), key_q)
                                      : ps_docnum_canonical(q, strlen(q), key_q);
                        expected += a == b && memcmp(key_p, key_q, a) == 0;
                    }
                }
            refs r = lookup(snap, cf, pool[p]);
            ck_assert_msg(r.n == expected, "%s %s: %d refs, expected %d", pool[p],
                          cf ? "docs_cf" : "docs", r.n, expected);
            /* each ref names a live entry whose document has this key */
            size_t a = cf ? ps_docnum_confusable(pool[p], strlen(pool[p]), key_p)
                          : ps_docnum_canonical(pool[p], strlen(pool[p]), key_p);
            for (int i = 0; i < r.n && i < 64; i++) {
                ps_wl_entry got;
                ck_assert_int_eq(ps_snapshot_entry(snap, r.items[i].entry, &arena, &got, NULL),
                                 PS_STORE_OK);
                ck_assert_uint_lt(r.items[i].document, got.n_documents);
                ps_str num = got.documents[r.items[i].document].number;
                size_t b = cf ? ps_docnum_confusable(num.ptr, num.len, key_q)
                              : ps_docnum_canonical(num.ptr, num.len, key_q);
                ck_assert(a == b && memcmp(key_p, key_q, a) == 0);
            }
        }
    }
    ps_snapshot_end(snap);
    ps_store_close(s);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("store");
    TCase *codec = tcase_create("codec");
    tcase_add_checked_fixture(codec, setup, teardown);
    tcase_add_test(codec, test_codec_round_trip_all_fields);
    tcase_add_test(codec, test_codec_empty_arrays_and_delete);
    tcase_add_test(codec, test_codec_rejects_what_does_not_fit);
    tcase_add_test(codec, test_codec_rejects_corrupt_bytes);
    suite_add_tcase(suite, codec);
    TCase *store = tcase_create("store");
    tcase_add_checked_fixture(store, setup, teardown);
    tcase_add_test(store, test_put_and_get);
    tcase_add_test(store, test_upsert_replaces_index_and_moves_version);
    tcase_add_test(store, test_unchanged_line_keeps_version);
    tcase_add_test(store, test_delete_removes_everything);
    tcase_add_test(store, test_delete_of_absent_id_counts_missing);
    tcase_add_test(store, test_docs_exact_and_confusable);
    tcase_add_test(store, test_invalid_entry_leaves_transaction_usable);
    tcase_add_test(store, test_set_list);
    tcase_add_test(store, test_snapshot_isolation_while_writer_commits);
    tcase_add_test(store, test_reopen_read_only);
    tcase_add_test(store, test_snapshot_current_renews_only_after_a_commit);
    tcase_add_test(store, test_random_operations_match_model);
    suite_add_tcase(suite, store);
    SRunner *sr = srunner_create(suite);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
