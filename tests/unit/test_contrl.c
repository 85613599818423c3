/* tests/unit/test_contrl.c — Check tests for the CONTRL writer (formats/contrl.c): exact bytes of
 * an acceptance, rejections built from the EDIFACT reader's own diags (count and reference
 * mismatches, missing UNZ, bad characters, malformed UNA), round trips through the reader with
 * no warnings, swapped UNB parties but unswapped UCI parties, syntax version 3 and 4 message
 * identifiers, service characters and character sets kept, and bad arguments. */
#include "paxscreen/contrl.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ps_date now = {2026, 11, 26, 16, 52, PS_DATE_MINUTE};

/* Reads input with the EDIFACT reader: the first interchange's header and every diag. */
typedef struct received {
    ps_arena arena;
    ps_diag_list diags;
    ps_edi_interchange ich;
    bool found;
} received;

static void receive(received *rc, const char *input)
{
    ps_arena_init(&rc->arena);
    ps_diag_list_init(&rc->diags, &rc->arena);
    rc->found = false;
    ps_edi_reader r;
    ps_edi_reader_init(&r, input, strlen(input), &rc->diags);
    for (ps_edi_event ev; (ev = ps_edi_next(&r)) != PS_EDI_END;) {
        if (ev == PS_EDI_INTERCHANGE_BEGIN && !rc->found) {
            rc->ich = r.ich;
            rc->found = true;
        }
    }
    ps_edi_reader_free(&r);
}

/* Reads a CONTRL back: its interchange, message and UCI (values decoded, joined by | and ^). */
typedef struct readback {
    ps_arena arena;
    ps_diag_list diags;
    ps_edi_interchange ich;
    ps_edi_message msg;
    char uci[512];
    int segments;
} readback;

static void read_back(readback *rb, const ps_buf *b)
{
    memset(rb, 0, sizeof *rb);
    ps_arena_init(&rb->arena);
    ps_diag_list_init(&rb->diags, &rb->arena);
    ps_edi_reader r;
    ps_edi_reader_init(&r, b->data, b->len, &rb->diags);
    for (ps_edi_event ev; (ev = ps_edi_next(&r)) != PS_EDI_END;) {
        if (ev == PS_EDI_INTERCHANGE_BEGIN)
            rb->ich = r.ich;
        else if (ev == PS_EDI_INTERCHANGE_END)
            rb->ich.terminated = r.ich.terminated;
        else if (ev == PS_EDI_MESSAGE_BEGIN)
            rb->msg = r.msg;
        else if (ev == PS_EDI_MESSAGE_END)
            rb->msg.terminated = r.msg.terminated;
        else if (ev == PS_EDI_SEGMENT) {
            rb->segments++;
            size_t o = (size_t)snprintf(rb->uci, sizeof rb->uci, "%s", r.seg.tag_text);
            for (unsigned e = 1; e <= r.fields.n_elements; e++) {
                rb->uci[o++] = '|';
                for (unsigned c = 1; c <= ps_edi_components(&r.fields, e); c++) {
                    if (c > 1)
                        rb->uci[o++] = '^';
                    ps_str s = ps_edi_text(&r, ps_edi_get(&r.fields, e, c), &rb->arena);
                    memcpy(rb->uci + o, s.ptr, s.len);
                    o += s.len;
                }
            }
            rb->uci[o] = '\0';
        }
    }
    ps_edi_reader_free(&r);
    for (uint32_t i = 0; i < rb->diags.count; i++)
        ck_abort_msg("CONTRL reads back with %s: %.*s", rb->diags.items[i].kind,
                     (int)rb->diags.items[i].message.len, rb->diags.items[i].message.ptr);
    ck_assert_int_eq(rb->segments, 1);
    ck_assert(rb->ich.terminated && rb->msg.terminated);
}

static const char good[] = "UNA:+.? '\n"
                           "UNB+UNOA:4+XYZAIRLINES:ZZ+USADHS:ZZ+240501:0930+000000001++APIS'\n"
                           "UNH+PAX001+PAXLST:D:05B:UN:IATA'\n"
                           "BGM+745'\n"
                           "UNT+3+PAX001'\n"
                           "UNZ+1+000000001'\n";

static ps_contrl_params accepted(void)
{
    return (ps_contrl_params){"ACK0001", "1", now, PS_CONTRL_ACCEPTED, {0, ""}};
}

START_TEST(test_accept_exact_bytes)
{
    received rc;
    receive(&rc, good);
    ck_assert(rc.found);
    ck_assert_uint_eq(rc.diags.count, 0);
    ps_buf out;
    ps_buf_init(&out);
    ps_contrl_params p = accepted();
    char err[200];
    ck_assert_int_eq(ps_contrl_write(&out, &rc.ich, &p, err, sizeof err), 0);
    const char *expect = "UNA:+.? '"
                         "UNB+UNOA:4+USADHS:ZZ+XYZAIRLINES:ZZ+261126:1652+ACK0001'"
                         "UNH+1+CONTRL:4:1:UN'"
                         "UCI+000000001+XYZAIRLINES:ZZ+USADHS:ZZ+7'"
                         "UNT+3+1'"
                         "UNZ+1+ACK0001'";
    ck_assert_uint_eq(out.len, strlen(expect));
    ck_assert(memcmp(out.data, expect, out.len) == 0);
    readback rb;
    read_back(&rb, &out);
    ck_assert_str_eq(rb.ich.sender, "USADHS");
    ck_assert_str_eq(rb.ich.recipient, "XYZAIRLINES");
    ck_assert_str_eq(rb.ich.control_ref, "ACK0001");
    ck_assert_str_eq(rb.msg.type, "CONTRL");
    ck_assert_str_eq(rb.msg.version, "4");
    ck_assert_str_eq(rb.msg.release, "1");
    ck_assert_str_eq(rb.msg.agency, "UN");
    ck_assert_str_eq(rb.uci, "UCI|000000001|XYZAIRLINES^ZZ|USADHS^ZZ|7");
    ps_arena_free(&rb.arena);
    ps_buf_free(&out);
    ps_arena_free(&rc.arena);
}
END_TEST

/* Rejects input for the reason the reader's diags give; the UCI carries code and segment. */
static void check_reject(const char *input, const char *expect_uci, const char *expect_version)
{
    received rc;
    receive(&rc, input);
    ck_assert(rc.found);
    ps_contrl_params p = accepted();
    p.action = PS_CONTRL_REJECTED;
    ck_assert(ps_contrl_reason_from(rc.diags.items, rc.diags.count, &p.reason));
    ps_buf out;
    ps_buf_init(&out);
    char err[200];
    ck_assert_int_eq(ps_contrl_write(&out, &rc.ich, &p, err, sizeof err), 0);
    readback rb;
    read_back(&rb, &out);
    ck_assert_str_eq(rb.uci, expect_uci);
    ck_assert_str_eq(rb.msg.version, expect_version);
    ps_arena_free(&rb.arena);
    ps_buf_free(&out);
    ps_arena_free(&rc.arena);
}

START_TEST(test_reject_unt_count)
{
    check_reject("UNB+UNOA:4+AIR+GOV+240501:0930+17'UNH+1+PAXLST:D:05B:UN'BGM+745'UNT+9+1'"
                 "UNZ+1+17'",
                 "UCI|17|AIR|GOV|4|29|UNT", "4");
}
END_TEST

START_TEST(test_reject_unz_reference)
{
    check_reject("UNB+UNOB:3+AIR+GOV+240501:0930+18'UNH+1+PAXLST:D:05B:UN'UNT+2+1'UNZ+1+81'",
                 "UCI|18|AIR|GOV|4|28|UNZ", "D");
}
END_TEST

START_TEST(test_reject_unz_missing_error_first)
{
    /* the cut-off segment (an error) decides over the earlier warnings */
    check_reject("UNB+UNOA:4+AIR+GOV+240501:0930+19'UNH+1+PAXLST:D:05B:UN'BGM+7",
                 "UCI|19|AIR|GOV|4|13|UNZ", "4");
}
END_TEST

START_TEST(test_reject_bad_characters)
{
    check_reject("UNB+UNOA:4+AIR+GOV+240501:0930+20'UNH+1+PAXLST:D:05B:UN'NAD+FL+++smith'UNT+3+1'"
                 "UNZ+1+20'",
                 "UCI|20|AIR|GOV|4|21", "4");
}
END_TEST

START_TEST(test_reject_unknown_syntax)
{
    check_reject("UNB+UNOZ:4+AIR+GOV+240501:0930+21'UNZ+0+21'", "UCI|21|AIR|GOV|4|46|UNB", "4");
}
END_TEST

/* Service characters of the received interchange are kept, data is released. */
START_TEST(test_una_kept_and_escaped)
{
    static const char in[] = "UNA*(.) -UNB(UNOA*4(AIR)(1*ZZ(GOV)-2(240501*0930(R)*1-"
                             "UNH(1(PAXLST*D*05B*UN-UNT(2(1-UNZ(1(R)*1-";
    received rc;
    receive(&rc, in);
    ck_assert_uint_eq(rc.diags.count, 0);
    ck_assert_str_eq(rc.ich.sender, "AIR(1");
    ck_assert_str_eq(rc.ich.control_ref, "R*1");
    ps_contrl_params p = accepted();
    p.control_ref = "A-1";
    ps_buf out;
    ps_buf_init(&out);
    char err[200];
    ck_assert_int_eq(ps_contrl_write(&out, &rc.ich, &p, err, sizeof err), 0);
    const char *expect = "UNA*(.) -UNB(UNOA*4(GOV)-2(AIR)(1*ZZ(261126*1652(A)-1-"
                         "UNH(1(CONTRL*4*1*UN-UCI(R)*1(AIR)(1*ZZ(GOV)-2(7-UNT(3(1-UNZ(1(A)-1-";
    ck_assert_msg(out.len == strlen(expect) && memcmp(out.data, expect, out.len) == 0, "wrote %.*s",
                  (int)out.len, out.data);
    readback rb;
    read_back(&rb, &out);
    ck_assert_str_eq(rb.uci, "UCI|R*1|AIR(1^ZZ|GOV-2|7");
    ps_arena_free(&rb.arena);
    ps_buf_free(&out);
    ps_arena_free(&rc.arena);
}
END_TEST

/* The answer keeps the received syntax identifier: UNOW parties go back as UTF-8, UNOC as
 * UNOC (syntax version 3: CONTRL:D:3:UN). (The reader decodes UNB's own values before it
 * has read the syntax identifier, so Latin-1 bytes in a UNOC UNB are not tested here.) */
START_TEST(test_charsets_kept)
{
    received rc;
    receive(&rc, "UNB+UNOW:4+A\xC3\x89RO+GOV+240501:0930+5'UNZ+0+5'");
    ck_assert_str_eq(rc.ich.sender, "A\xC3\x89RO");
    ps_contrl_params p = accepted();
    ps_buf out;
    ps_buf_init(&out);
    char err[200];
    ck_assert_int_eq(ps_contrl_write(&out, &rc.ich, &p, err, sizeof err), 0);
    ck_assert(memmem(out.data, out.len, "UCI+5+A\xC3\x89RO+GOV+7'", 18) != NULL);
    readback rb;
    read_back(&rb, &out);
    ck_assert_str_eq(rb.ich.syntax_id, "UNOW");
    ck_assert_str_eq(rb.ich.recipient, "A\xC3\x89RO");
    ck_assert_str_eq(rb.uci, "UCI|5|A\xC3\x89RO|GOV|7");
    ps_arena_free(&rb.arena);
    ps_buf_free(&out);
    ps_arena_free(&rc.arena);

    receive(&rc, "UNB+UNOC:3+AERO+GOV+240501:0930+6'UNZ+0+6'");
    ps_buf_init(&out);
    ck_assert_int_eq(ps_contrl_write(&out, &rc.ich, &p, err, sizeof err), 0);
    read_back(&rb, &out);
    ck_assert_str_eq(rb.ich.syntax_id, "UNOC");
    ck_assert_str_eq(rb.ich.syntax_version, "3");
    ck_assert_str_eq(rb.msg.version, "D");
    ck_assert_str_eq(rb.msg.release, "3");
    ps_arena_free(&rb.arena);
    ps_buf_free(&out);
    ps_arena_free(&rc.arena);
}
END_TEST

START_TEST(test_reason_mapping)
{
    struct {
        const char *kind, *tag;
        int error;
        const char *segment;
    } cases[] = {
        {"unt_count_mismatch", "UNT", 29, "UNT"},
        {"unz_count_mismatch", "UNZ", 29, "UNZ"},
        {"une_reference_mismatch", "UNE", 28, "UNE"},
        {"duplicate_message_reference", "UNH", 26, "UNH"},
        {"una_malformed", "", 20, "UNA"},
        {"segment_outside_message", "DTM", 33, ""},
        {"character_outside_repertoire", "UNB", 21, "UNB"},
        {"invalid_date", "UNB", 12, "UNB"},
        {"invalid_date", "DTM", 12, ""},
        {"value_too_long", "UNH", 39, "UNH"},
        {"mixed_groups", "UNZ", 30, "UNZ"},
        {"cnt_mismatch", "", 18, ""},
        {"something_new", "XYZ", 18, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps_diag d = {0};
        d.severity = PS_WARNING;
        d.kind = cases[i].kind;
        snprintf(d.tag, sizeof d.tag, "%s", cases[i].tag);
        ps_contrl_reason r = ps_contrl_reason_for(&d);
        ck_assert_msg((int)r.error == cases[i].error, "%s: %d", cases[i].kind, (int)r.error);
        ck_assert_str_eq(r.segment, cases[i].segment);
    }
    ps_contrl_reason r;
    ck_assert(!ps_contrl_reason_from(NULL, 0, &r));
    ps_diag two[2] = {{.severity = PS_WARNING, .kind = "unz_count_mismatch"},
                      {.severity = PS_ERROR, .kind = "unt_missing"}};
    ck_assert(ps_contrl_reason_from(two, 2, &r));
    ck_assert_int_eq(r.error, PS_CONTRL_MISSING);
    ck_assert_str_eq(r.segment, "UNT");
}
END_TEST

START_TEST(test_bad_arguments)
{
    received rc;
    receive(&rc, good);
    struct {
        ps_contrl_params p;
        const char *expect;
    } cases[] = {
        {{"", "1", now, PS_CONTRL_ACCEPTED, {0, ""}}, "control_ref"},
        {{"123456789012345", "1", now, PS_CONTRL_ACCEPTED, {0, ""}}, "control_ref"},
        {{"A", NULL, now, PS_CONTRL_ACCEPTED, {0, ""}}, "message_ref"},
        {{"A", "1", {2026, 2, 30, 1, 1, PS_DATE_MINUTE}, PS_CONTRL_ACCEPTED, {0, ""}}, "now"},
        {{"A", "1", now, (ps_contrl_action)8, {0, ""}}, "action 8"},
        {{"A", "1", now, PS_CONTRL_REJECTED, {0, ""}}, "error code"},
        {{"A", "1", now, PS_CONTRL_REJECTED, {12, "DTM"}}, "'DTM'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps_buf out;
        ps_buf_init(&out);
        char err[200] = "";
        ck_assert_int_eq(ps_contrl_write(&out, &rc.ich, &cases[i].p, err, sizeof err),
                         PS_EDI_WRITE_INVALID);
        ck_assert_msg(strstr(err, cases[i].expect) != NULL, "case %zu: '%s'", i, err);
        ck_assert_uint_eq(out.len, 0);
        ps_buf_free(&out);
    }
    ps_arena_free(&rc.arena);
}
END_TEST

/* An interchange without UNB still gets an answer the reader can read (empty parties). */
START_TEST(test_without_unb)
{
    received rc;
    receive(&rc, "UNH+1+PAXLST:D:05B:UN'UNT+2+1'");
    ck_assert(rc.found);
    ps_contrl_params p = accepted();
    p.action = PS_CONTRL_REJECTED;
    ck_assert(ps_contrl_reason_from(rc.diags.items, rc.diags.count, &p.reason));
    ck_assert_int_eq(p.reason.error, PS_CONTRL_MISSING);
    ps_buf out;
    ps_buf_init(&out);
    char err[200];
    ck_assert_int_eq(ps_contrl_write(&out, &rc.ich, &p, err, sizeof err), 0);
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_edi_reader r;
    ps_edi_reader_init(&r, out.data, out.len, &diags);
    int segs = 0;
    for (ps_edi_event ev; (ev = ps_edi_next(&r)) != PS_EDI_END;)
        segs += ev == PS_EDI_SEGMENT;
    ck_assert_int_eq(segs, 1);
    ck_assert_uint_eq(ps_diag_count(&diags, PS_ERROR), 0);
    ps_edi_reader_free(&r);
    ps_arena_free(&arena);
    ps_buf_free(&out);
    ps_arena_free(&rc.arena);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("contrl");
    TCase *t = tcase_create("contrl");
    tcase_add_test(t, test_accept_exact_bytes);
    tcase_add_test(t, test_reject_unt_count);
    tcase_add_test(t, test_reject_unz_reference);
    tcase_add_test(t, test_reject_unz_missing_error_first);
    tcase_add_test(t, test_reject_bad_characters);
    tcase_add_test(t, test_reject_unknown_syntax);
    tcase_add_test(t, test_una_kept_and_escaped);
    tcase_add_test(t, test_charsets_kept);
    tcase_add_test(t, test_reason_mapping);
    tcase_add_test(t, test_bad_arguments);
    tcase_add_test(t, test_without_unb);
    suite_add_tcase(s, t);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
