/* tests/unit/test_edifact_stream.c — Check tests for the interchange splitter
 * (formats/edifact_stream.c): a stream of interchanges of every shape the reader knows (UNA,
 * none, custom service characters, Type-B framing, release before terminators and across
 * wrapped lines, UNZ look-alikes) cut the same way whether fed whole, a byte at a time, split
 * at every point or at random points; every range read back by the EDIFACT reader as exactly
 * one terminated interchange; a caller that drops bytes before ps_edifact_stream_keep() still
 * holds every interchange; and every error (garbage, header text too long, UNH without
 * envelope, too large, UNZ missing, truncated, trailing text) names its offset and is followed
 * by the next interchange. */
#include "paxscreen/edifact_stream.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 64

typedef struct items {
    ps_edifact_stream_item v[MAX_ITEMS];
    int n;
} items;

static void add(items *it, const ps_edifact_stream_item *x)
{
    ck_assert_int_lt(it->n, MAX_ITEMS);
    it->v[it->n++] = *x;
}

/* Feeds data in chunks whose sizes come from next_size (0 = the rest), collecting items; the
 * caller's buffer is simulated: bytes before ps_edifact_stream_keep() are dropped, and every
 * interchange must still be held in full and equal to the input. */
static void split_with(const char *data, size_t len, size_t max, size_t (*next_size)(void *),
                       void *ctx, items *out)
{
    ps_edifact_stream s;
    ps_edifact_stream_init(&s, max);
    memset(out, 0, sizeof *out);
    uint64_t held_from = 0; /* the simulated caller holds data[held_from .. s.pos) */
    size_t off = 0;
    ps_edifact_stream_item item;
    while (off < len) {
        size_t n = next_size(ctx);
        if (n == 0 || n > len - off)
            n = len - off;
        const char *chunk = data + off;
        size_t left = n;
        do {
            size_t used = ps_edifact_stream_feed(&s, chunk, left, &item);
            chunk += used;
            left -= used;
            bool held = item.kind == PS_EDIFACT_STREAM_INTERCHANGE ||
                        item.error == PS_EDIFACT_STREAM_TOO_LARGE ||
                        item.error == PS_EDIFACT_STREAM_UNZ_MISSING;
            if (held) { /* its bytes are still there to read the UNB from */
                ck_assert_msg(item.begin >= held_from, "item at %llu, caller holds %llu",
                              (unsigned long long)item.begin, (unsigned long long)held_from);
                ck_assert_uint_le(item.end, s.pos);
            }
            if (item.kind != PS_EDIFACT_STREAM_NONE)
                add(out, &item);
            uint64_t keep = ps_edifact_stream_keep(&s);
            ck_assert_uint_ge(keep, held_from); /* never asks for bytes already dropped */
            ck_assert_uint_le(keep, s.pos);
            held_from = keep;
            ck_assert_uint_le(s.pos - held_from, max + 16);
        } while (left || item.kind != PS_EDIFACT_STREAM_NONE);
        off += n;
    }
    while (ps_edifact_stream_finish(&s, &item))
        add(out, &item);
    ck_assert_uint_eq(s.pos, len);
}

static size_t whole(void *ctx)
{
    (void)ctx;
    return 0;
}

static size_t one(void *ctx)
{
    (void)ctx;
    return 1;
}

typedef struct two_parts {
    size_t first;
    int calls;
} two_parts;

static size_t at_point(void *ctx)
{
    two_parts *t = ctx;
    return t->calls++ == 0 ? (t->first ? t->first : (size_t)-1) : 0;
}

static size_t random_size(void *ctx)
{
    uint32_t *x = ctx; /* xorshift32 */
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return 1 + *x % 37;
}

static void same_items(const items *a, const items *b, const char *how)
{
    ck_assert_msg(a->n == b->n, "%s: %d items, whole: %d", how, b->n, a->n);
    for (int i = 0; i < a->n; i++) {
        ck_assert_msg(a->v[i].kind == b->v[i].kind && a->v[i].error == b->v[i].error &&
                          a->v[i].begin == b->v[i].begin && a->v[i].end == b->v[i].end &&
                          a->v[i].offset == b->v[i].offset,
                      "%s: item %d is kind %d error %d [%llu, %llu), whole gives kind %d error %d "
                      "[%llu, %llu)",
                      how, i, b->v[i].kind, b->v[i].error, (unsigned long long)b->v[i].begin,
                      (unsigned long long)b->v[i].end, a->v[i].kind, a->v[i].error,
                      (unsigned long long)a->v[i].begin, (unsigned long long)a->v[i].end);
    }
}

/* Whole, one byte at a time, two parts at every split point, and 300 random splittings. */
static void split_every_way(const char *data, size_t len, size_t max, items *out)
{
    split_with(data, len, max, whole, NULL, out);
    items other;
    split_with(data, len, max, one, NULL, &other);
    same_items(out, &other, "one byte at a time");
    for (size_t i = 1; i < len; i++) {
        two_parts t = {i, 0};
        split_with(data, len, max, at_point, &t, &other);
        char how[64];
        snprintf(how, sizeof how, "split at %zu", i);
        same_items(out, &other, how);
    }
    for (uint32_t seed = 1; seed <= 300; seed++) {
        uint32_t x = seed * 2654435761u;
        split_with(data, len, max, random_size, &x, &other);
        char how[64];
        snprintf(how, sizeof how, "random splits, seed %u", seed);
        same_items(out, &other, how);
    }
}

/* The EDIFACT reader reads the range as exactly one interchange that ends with its UNZ. */
static void reader_agrees(const char *data, const ps_edifact_stream_item *it)
{
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_edi_reader r;
    size_t n = (size_t)(it->end - it->begin);
    char *copy = malloc(n ? n : 1);
    memcpy(copy, data + it->begin, n);
    ps_edi_reader_init(&r, copy, n, &diags);
    int begins = 0, ends = 0;
    bool terminated = false;
    for (ps_edi_event ev; (ev = ps_edi_next(&r)) != PS_EDI_END;) {
        begins += ev == PS_EDI_INTERCHANGE_BEGIN;
        if (ev == PS_EDI_INTERCHANGE_END) {
            ends++;
            terminated = r.ich.terminated;
        }
    }
    ck_assert_msg(begins == 1 && ends == 1 && terminated,
                  "range [%llu, %llu) reads as %d interchanges (last terminated: %d)",
                  (unsigned long long)it->begin, (unsigned long long)it->end, begins, terminated);
    for (uint32_t i = 0; i < diags.count; i++)
        ck_assert_msg(strcmp(diags.items[i].kind, "trailing_data") != 0 &&
                          strcmp(diags.items[i].kind, "unz_missing") != 0,
                      "range [%llu, %llu): %s", (unsigned long long)it->begin,
                      (unsigned long long)it->end, diags.items[i].kind);
    ps_edi_reader_free(&r);
    ps_arena_free(&arena);
    free(copy);
}

static void expect_item(const items *it, int i, ps_edifact_stream_kind kind,
                        ps_edifact_stream_error error, uint64_t begin, uint64_t end)
{
    ck_assert_msg(i < it->n, "no item %d (have %d)", i, it->n);
    const ps_edifact_stream_item *x = &it->v[i];
    ck_assert_msg(x->kind == kind && x->error == error && x->begin == begin && x->end == end,
                  "item %d: kind %d error %d [%llu, %llu) '%s'; expected kind %d error %d [%llu, "
                  "%llu)",
                  i, x->kind, x->error, (unsigned long long)x->begin, (unsigned long long)x->end,
                  x->message, kind, error, (unsigned long long)begin, (unsigned long long)end);
    if (kind == PS_EDIFACT_STREAM_ERROR) {
        ck_assert_uint_eq(x->offset, begin);
        char at[32];
        snprintf(at, sizeof at, "%llu", (unsigned long long)begin);
        ck_assert_msg(strstr(x->message, at) != NULL, "message '%s' does not name byte %s",
                      x->message, at);
    }
}

/* ---- a stream of every shape ---- */

static const char *const shapes[] = {
    /* plain, with UNA */
    "UNA:+.? '\r\nUNB+UNOA:4+AIR+GOV+240501:0930+1'\r\nUNH+1+PAXLST:D:05B:UN'\r\n"
    "NAD+FL+++D?'SOUZA:A'\r\nUNT+3+1'\r\nUNZ+1+1'\r\n",
    /* no UNA, back to back with the previous one's terminator */
    "UNB+UNOA:4+AIR+GOV+240501:0930+2'UNH+1+PAXLST:D:05B:UN'FTX+AAA+++UNZ?'+1'UNT+3+1'"
    "UNZ+1+2'",
    /* Type-B framing and header lines, custom service characters */
    "\x01QN GOVXXXX\r\n.AIRXXXX 011200\r\n\x02UNA:(.) -UNB(UNOA:4(AIR(GOV(240501:0930(3-\r\n"
    "UNH(1(PAXLST:D:05B:UN-NAD(FL(((O)-BRIEN-UNZ)(-UNT(3(1-UNZ(1(3-\r\n\x03",
    /* release before the terminator, release release, and a release across a wrapped line */
    "UNB+UNOB:4+AIR+GOV+240501:0930+4'UNH+1+PAXLST:D:05B:UN'FTX+A??'FTX+B?\r\n'UNZ'UNT+4+1'"
    "UNZ+1+4'",
    /* a UNZ look-alike tag, an empty segment and indentation */
    "UNB+UNOA:4+AIR+GOV+240501:0930+5'\n  UNZZ+1'\n  ''UNZ:1+5'",
    /* a terminator that is a line break */
    "UNA:+.? \nUNB+UNOA:4+AIR+GOV+240501:0930+6\nUNZ+0+6\n",
    /* a malformed UNA: the defaults, from the next UNB */
    "UNA:+.??'junk UNB+UNOA:4+AIR+GOV+240501:0930+7'UNZ+0+7'",
};

START_TEST(test_shapes_every_split)
{
    char data[4096] = "";
    size_t offsets[16];
    size_t n_shapes = sizeof shapes / sizeof shapes[0];
    for (size_t i = 0; i < n_shapes; i++) {
        offsets[i] = strlen(data);
        strcat(data, shapes[i]);
        strcat(data, i % 2 ? "\r\n" : "");
    }
    size_t len = strlen(data);
    items it;
    split_every_way(data, len, 4096, &it);
    ck_assert_int_eq(it.n, (int)n_shapes);
    for (size_t i = 0; i < n_shapes; i++) {
        ck_assert_int_eq(it.v[i].kind, PS_EDIFACT_STREAM_INTERCHANGE);
        reader_agrees(data, &it.v[i]);
    }
    /* where they begin: UNA or UNB, after framing and header lines */
    ck_assert_uint_eq(it.v[0].begin, offsets[0]);
    ck_assert_uint_eq(it.v[1].begin, offsets[1]);
    ck_assert(memcmp(data + it.v[2].begin, "UNA:(.) -", 9) == 0);
    ck_assert(memcmp(data + it.v[6].begin, "UNA:+.??'", 9) == 0);
    for (size_t i = 0; i < n_shapes; i++) {
        char last = data[it.v[i].end - 1];
        ck_assert_msg(last == '\'' || last == '-' || last == '\n', "interchange %zu ends '%c'", i,
                      last);
    }
    ck_assert(memcmp(data + it.v[1].end - 8, "UNZ+1+2'", 8) == 0);
}
END_TEST

/* The reader reads the whole stream as the same interchanges. */
START_TEST(test_same_count_as_reader)
{
    char data[4096] = "";
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        strcat(data, shapes[i]);
    size_t len = strlen(data);
    items it;
    split_with(data, len, 4096, whole, NULL, &it);
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_edi_reader r;
    ps_edi_reader_init(&r, data, len, &diags);
    int n = 0, k = 0;
    for (ps_edi_event ev; (ev = ps_edi_next(&r)) != PS_EDI_END;) {
        if (ev == PS_EDI_INTERCHANGE_BEGIN) {
            ck_assert_int_lt(k, it.n);
            ck_assert_uint_eq(r.ich.offset, it.v[k].begin);
            k++;
        }
        n += ev == PS_EDI_INTERCHANGE_END && r.ich.terminated;
    }
    ck_assert_int_eq(n, it.n);
    ps_edi_reader_free(&r);
    ps_arena_free(&arena);
}
END_TEST

/* ---- errors ---- */

#define ICH(ref)                                                                                   \
    "UNB+UNOA:4+AIR+GOV+240501:0930+" ref "'UNH+1+PAXLST:D:05B:UN'UNT+2+1'UNZ+1+" ref "'"

START_TEST(test_garbage_binary)
{
    static const char data[] =
        ICH("1") "\r\nHEADER\x00\xFF\x80 more junk UNB+UNOA:4+A+B+240501:0930+2'UNZ+0+2'";
    size_t len = sizeof data - 1;
    size_t first_end = strlen(ICH("1"));
    items it;
    split_every_way(data, len, 1024, &it);
    ck_assert_int_eq(it.n, 3);
    expect_item(&it, 0, PS_EDIFACT_STREAM_INTERCHANGE, 0, 0, first_end);
    expect_item(&it, 1, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_GARBAGE, first_end + 2,
                first_end + 9);
    size_t next = (size_t)((const char *)memmem(data, len, "UNB+UNOA:4+A+", 13) - data);
    expect_item(&it, 2, PS_EDIFACT_STREAM_INTERCHANGE, 0, next, len);
}
END_TEST

START_TEST(test_header_text_ok_but_not_too_long)
{
    /* a few Type-B lines are skipped silently */
    static const char ok[] = "QN GOVXXXX\r\n.AIRXXXX 011200\r\n" ICH("1");
    items it;
    split_every_way(ok, sizeof ok - 1, 1024, &it);
    ck_assert_int_eq(it.n, 1);
    expect_item(&it, 0, PS_EDIFACT_STREAM_INTERCHANGE, 0, 29, sizeof ok - 1);
    /* more than PS_EDIFACT_STREAM_HEADER_MAX bytes of text is garbage, reported once */
    char data[4096];
    size_t o = 0;
    for (int i = 0; i < 40; i++)
        o += (size_t)snprintf(data + o, sizeof data - o, "HEADER LINE NUMBER %02d XXXXXXXXXXXX\r\n",
                              i);
    size_t text = o;
    o += (size_t)snprintf(data + o, sizeof data - o, "%s", ICH("2"));
    split_with(data, o, 4096, one, NULL, &it);
    ck_assert_int_eq(it.n, 2);
    ck_assert_int_eq(it.v[0].error, PS_EDIFACT_STREAM_GARBAGE);
    ck_assert_uint_eq(it.v[0].offset, 0);
    ck_assert_uint_gt(text, PS_EDIFACT_STREAM_HEADER_MAX);
    expect_item(&it, 1, PS_EDIFACT_STREAM_INTERCHANGE, 0, text, o);
}
END_TEST

START_TEST(test_unh_without_envelope)
{
    static const char data[] = "UNH+1+PAXLST:D:05B:UN'UNT+2+1'\n" ICH("9");
    items it;
    split_every_way(data, sizeof data - 1, 1024, &it);
    ck_assert_int_eq(it.n, 2);
    expect_item(&it, 0, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_NO_ENVELOPE, 0, 4);
    expect_item(&it, 1, PS_EDIFACT_STREAM_INTERCHANGE, 0, 31, sizeof data - 1);
}
END_TEST

START_TEST(test_too_large_then_resync)
{
    char data[8192];
    size_t o = 0;
    o += (size_t)snprintf(data + o, sizeof data - o, "%s", ICH("1"));
    size_t big = o;
    o += (size_t)snprintf(data + o, sizeof data - o, "UNB+UNOA:4+AIR+GOV+240501:0930+2'UNH+1+X'");
    for (int i = 0; i < 100; i++)
        o += (size_t)snprintf(data + o, sizeof data - o, "FTX+AAA+++LONG TEXT %03d'", i);
    o += (size_t)snprintf(data + o, sizeof data - o, "UNT+102+1'UNZ+1+2'");
    size_t after_big = o;
    o += (size_t)snprintf(data + o, sizeof data - o, "%s", ICH("3"));
    /* and one cut off by a UNA of a new interchange, while too large */
    size_t big2 = o;
    o += (size_t)snprintf(data + o, sizeof data - o, "UNB+UNOA:4+AIR+GOV+240501:0930+4'");
    for (int i = 0; i < 100; i++)
        o += (size_t)snprintf(data + o, sizeof data - o, "FTX+AAA+++LONG TEXT %03d'", i);
    size_t last = o;
    o += (size_t)snprintf(data + o, sizeof data - o,
                          "UNA:+.? 'UNB+UNOA:4+A+B+240501:0930+5'UNZ+0+5'");
    items it;
    split_with(data, o, 512, whole, NULL, &it);
    items other;
    split_with(data, o, 512, one, NULL, &other);
    same_items(&it, &other, "one byte at a time");
    for (uint32_t seed = 1; seed <= 50; seed++) {
        uint32_t x = seed;
        split_with(data, o, 512, random_size, &x, &other);
        same_items(&it, &other, "random");
    }
    ck_assert_int_eq(it.n, 5);
    expect_item(&it, 0, PS_EDIFACT_STREAM_INTERCHANGE, 0, 0, big);
    expect_item(&it, 1, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_TOO_LARGE, big, big + 512);
    expect_item(&it, 2, PS_EDIFACT_STREAM_INTERCHANGE, 0, after_big, big2);
    expect_item(&it, 3, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_TOO_LARGE, big2, big2 + 512);
    expect_item(&it, 4, PS_EDIFACT_STREAM_INTERCHANGE, 0, last, o);
    ck_assert(strstr(it.v[1].message, "512") != NULL);
}
END_TEST

START_TEST(test_unz_missing_then_next)
{
    static const char data[] = "UNB+UNOA:4+AIR+GOV+240501:0930+1'UNH+1+X'UNT+2+1'\r\n" ICH("2");
    items it;
    split_every_way(data, sizeof data - 1, 1024, &it);
    ck_assert_int_eq(it.n, 2);
    expect_item(&it, 0, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_UNZ_MISSING, 0, 51);
    expect_item(&it, 1, PS_EDIFACT_STREAM_INTERCHANGE, 0, 51, sizeof data - 1);
    /* a UNB tag without a separator after it ends the interchange too (as in the reader),
     * but opens none: what follows is text */
    static const char glued[] = "UNB+UNOA:4+AIR+GOV+240501:0930+1'UNBX+1'UNZ+1+1'";
    split_every_way(glued, sizeof glued - 1, 1024, &it);
    ck_assert_int_eq(it.n, 2);
    expect_item(&it, 0, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_UNZ_MISSING, 0, 33);
    expect_item(&it, 1, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_TRAILING, 33, sizeof glued - 1);
}
END_TEST

START_TEST(test_truncated_and_trailing)
{
    static const char cut[] =
        ICH("1") "\r\nUNA:+.? 'UNB+UNOA:4+AIR+GOV+240501:0930+2'UNH+1+X'FTX+A";
    size_t first = strlen(ICH("1"));
    items it;
    split_every_way(cut, sizeof cut - 1, 1024, &it);
    ck_assert_int_eq(it.n, 2);
    expect_item(&it, 0, PS_EDIFACT_STREAM_INTERCHANGE, 0, 0, first);
    expect_item(&it, 1, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_TRUNCATED, first + 2,
                sizeof cut - 1);
    static const char trailing[] = ICH("1") "\r\nNNNN\r\nUNB";
    split_every_way(trailing, sizeof trailing - 1, 1024, &it);
    ck_assert_int_eq(it.n, 2);
    expect_item(&it, 1, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_TRAILING, first + 2,
                sizeof trailing - 1);
    static const char blank_end[] = ICH("1") "\r\n\x03\r\n";
    split_every_way(blank_end, sizeof blank_end - 1, 1024, &it);
    ck_assert_int_eq(it.n, 1);
}
END_TEST

/* Only a UNA at a line start may be malformed; inside text a word with "UNA" is text, and
 * a UNB glued to a word is not a tag. */
START_TEST(test_tags_inside_text)
{
    static const char data[] = "FUNAMBULE UNBX FUNB+ ok\r\n" ICH("1");
    items it;
    split_every_way(data, sizeof data - 1, 1024, &it);
    ck_assert_int_eq(it.n, 1);
    expect_item(&it, 0, PS_EDIFACT_STREAM_INTERCHANGE, 0, 25, sizeof data - 1);
    /* after a non-alphanumeric byte a valid UNA or UNB+ is found mid-line */
    static const char mid[] = "ZCZC.UNA:+.? 'UNB+UNOA:4+A+B+240501:0930+2'UNZ+0+2'";
    split_every_way(mid, sizeof mid - 1, 1024, &it);
    ck_assert_int_eq(it.n, 1);
    expect_item(&it, 0, PS_EDIFACT_STREAM_INTERCHANGE, 0, 5, sizeof mid - 1);
}
END_TEST

START_TEST(test_feed_after_finish_and_empty)
{
    ps_edifact_stream s;
    ps_edifact_stream_init(&s, 10); /* raised to the minimum */
    ck_assert_uint_eq(s.max_size, PS_EDIFACT_STREAM_MIN_SIZE);
    ps_edifact_stream_item item;
    ck_assert(!ps_edifact_stream_finish(&s, &item));
    ck_assert_int_eq(item.kind, PS_EDIFACT_STREAM_NONE);
    ck_assert_uint_eq(ps_edifact_stream_feed(&s, "UNB+", 4, &item), 0);
    ck_assert_uint_eq(ps_edifact_stream_keep(&s), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("edifact_stream");
    TCase *t = tcase_create("stream");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_shapes_every_split);
    tcase_add_test(t, test_same_count_as_reader);
    tcase_add_test(t, test_garbage_binary);
    tcase_add_test(t, test_header_text_ok_but_not_too_long);
    tcase_add_test(t, test_unh_without_envelope);
    tcase_add_test(t, test_too_large_then_resync);
    tcase_add_test(t, test_unz_missing_then_next);
    tcase_add_test(t, test_truncated_and_trailing);
    tcase_add_test(t, test_tags_inside_text);
    tcase_add_test(t, test_feed_after_finish_and_empty);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
