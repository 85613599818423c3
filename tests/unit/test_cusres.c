/* tests/unit/test_cusres.c — Check tests for the CUSRES writer and the EDIFACT segment writer
 * (formats/cusres.c): exact bytes for the two-passenger example, round trips through the
 * project's own EDIFACT reader (no warnings, the right values), release escaping of every
 * service character, character sets as the request used them (UNOA, UNOC Latin-1, UNOW
 * UTF-8, a Type-B UNA), 0 and many travellers, assigned ids, determinism and bad arguments. */
#include "paxscreen/cusres.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- harness: read a PAXLST request, answer every message ---- */

#define MAX_VERDICTS 1024

typedef struct answer {
    const char *input;
    size_t input_len;
    ps_cusres_verdict verdicts[MAX_VERDICTS];
    uint32_t n_verdicts_given; /* 0: all OK TO BOARD */
    ps_cusres_params params;
    ps_buf out;
    ps_cusres_stats stats;
    int rc;
    int messages;
    char err[256];
} answer;

static void on_message(void *ctx, const ps_paxlst_message *m)
{
    answer *a = ctx;
    ps_edi_interchange ich;
    ck_assert(ps_cusres_find_interchange(a->input, a->input_len, m->interchange, &ich));
    ck_assert_uint_le(m->n_travellers, MAX_VERDICTS);
    ps_cusres_verdict v[MAX_VERDICTS];
    for (uint32_t i = 0; i < m->n_travellers; i++)
        v[i] = i < a->n_verdicts_given ? a->verdicts[i]
                                       : (ps_cusres_verdict){PS_CUSRES_OK_TO_BOARD, PS_STR_NULL};
    a->rc = ps_cusres_write(&a->out, &ich, m, v, m->n_travellers, &a->params, &a->stats, a->err,
                            sizeof a->err);
    a->messages++;
}

static void answer_init(answer *a, const char *input)
{
    memset(a, 0, sizeof *a);
    a->input = input;
    a->input_len = strlen(input);
    a->params.control_ref = "GOV0001";
    a->params.message_ref = "RES1";
    a->params.now = (ps_date){2026, 11, 26, 16, 52, PS_DATE_MINUTE};
    ps_buf_init(&a->out);
}

/* Answers every message of a->input; the request must read without errors. */
static void run(answer *a)
{
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_paxlst_callbacks cb = {on_message, NULL, a};
    ck_assert(ps_paxlst_read(a->input, a->input_len, &cb, &diags, NULL));
    ck_assert_uint_eq(ps_diag_count(&diags, PS_ERROR), 0);
    ps_arena_free(&arena);
}

static bool contains(const ps_buf *b, const char *needle)
{
    return memmem(b->data, b->len, needle, strlen(needle)) != NULL;
}

/* ---- reading the answer back with the project's EDIFACT reader ---- */

#define MAX_SEGS 4096

typedef struct readback {
    ps_arena arena;
    ps_diag_list diags;
    ps_edi_interchange ich;
    ps_edi_message msg;
    int n_segs;
    const char *segs[MAX_SEGS]; /* "TAG|e1c1^e1c2|e2c1" with every value decoded */
    int messages, interchanges;
} readback;

static void render(ps_edi_reader *r, ps_arena *arena, char *out, size_t cap)
{
    size_t o = (size_t)snprintf(out, cap, "%s", r->seg.tag_text);
    for (unsigned e = 1; e <= r->fields.n_elements && o < cap; e++) {
        out[o++] = '|';
        for (unsigned c = 1; c <= ps_edi_components(&r->fields, e) && o < cap; c++) {
            if (c > 1)
                out[o++] = '^';
            ps_str s = ps_edi_text(r, ps_edi_get(&r->fields, e, c), arena);
            size_t n = s.len < cap - o - 1 ? s.len : cap - o - 1;
            memcpy(out + o, s.ptr, n);
            o += n;
        }
    }
    out[o < cap ? o : cap - 1] = '\0';
}

static void read_back(readback *rb, const char *data, size_t len)
{
    memset(rb, 0, sizeof *rb);
    ps_arena_init(&rb->arena);
    ps_diag_list_init(&rb->diags, &rb->arena);
    ps_edi_reader r;
    ps_edi_reader_init(&r, data, len, &rb->diags);
    for (ps_edi_event ev; (ev = ps_edi_next(&r)) != PS_EDI_END;) {
        if (ev == PS_EDI_INTERCHANGE_BEGIN) {
            rb->interchanges++;
            rb->ich = r.ich;
        } else if (ev == PS_EDI_INTERCHANGE_END) {
            rb->ich.terminated = r.ich.terminated;
            rb->ich.messages = r.ich.messages;
        } else if (ev == PS_EDI_MESSAGE_BEGIN) {
            rb->messages++;
            rb->msg = r.msg;
        } else if (ev == PS_EDI_MESSAGE_END) {
            rb->msg.terminated = r.msg.terminated;
            rb->msg.segments = r.msg.segments;
        } else if (ev == PS_EDI_SEGMENT && rb->n_segs < MAX_SEGS) {
            char buf[2048];
            render(&r, &rb->arena, buf, sizeof buf);
            rb->segs[rb->n_segs++] = ps_arena_strdup(&rb->arena, buf, strlen(buf)).ptr;
        }
    }
    ps_edi_reader_free(&r);
}

static void read_back_free(readback *rb)
{
    ps_arena_free(&rb->arena);
}

static void assert_no_diags(const readback *rb)
{
    for (uint32_t i = 0; i < rb->diags.count; i++)
        ck_abort_msg("answer reads back with %s: %.*s", rb->diags.items[i].kind,
                     (int)rb->diags.items[i].message.len, rb->diags.items[i].message.ptr);
}

static void assert_segs(const readback *rb, const char *const *expect, int n)
{
    ck_assert_int_eq(rb->n_segs, n);
    for (int i = 0; i < n; i++)
        ck_assert_str_eq(rb->segs[i], expect[i]);
}

/* ---- requests ---- */

#define PAX_HEADER                                                                                 \
    "UNA:+.? '\n"                                                                                  \
    "UNB+UNOA:4+XYZAIRLINES:ZZ+USADHS:ZZ+240501:0930+000000001++IAPI'\n"                           \
    "UNH+PAX001+PAXLST:D:05B:UN:IATA+XZ877/240501/1700+01:F'\n"                                    \
    "BGM+745'\n"                                                                                   \
    "RFF+TN:XZ877240501:::1'\n"                                                                    \
    "TDT+20+XZ877+++XZ'\n"                                                                         \
    "LOC+125+BCN'\n"                                                                               \
    "DTM+189:2405011100:201'\n"                                                                    \
    "LOC+87+IAD'\n"                                                                                \
    "DTM+232:2405011700:201'\n"

static const char two_pax[] = PAX_HEADER "NAD+FL+++MARTINEZ:JULIO'\n"
                                         "RFF+AVF:GJO3RT'\n"
                                         "RFF+ABO:XZ877001'\n"
                                         "NAD+FL+++D?'SOUZA:ANITA'\n"
                                         "RFF+AVF:GJO3RT'\n"
                                         "RFF+ABO:XZ877002'\n"
                                         "CNT+42:2'\n"
                                         "UNT+16+PAX001'\n"
                                         "UNZ+1+000000001'\n";

START_TEST(test_exact_bytes)
{
    answer a;
    answer_init(&a, two_pax);
    a.verdicts[1] = (ps_cusres_verdict){PS_CUSRES_DO_NOT_BOARD, PS_STR_NULL};
    a.n_verdicts_given = 2;
    run(&a);
    ck_assert_int_eq(a.messages, 1);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    const char *expect = "UNA:+.? '"
                         "UNB+UNOA:4+USADHS:ZZ+XYZAIRLINES:ZZ+261126:1652+GOV0001++IAPI'"
                         "UNH+RES1+CUSRES:D:05B:UN:IATA+XZ877/240501/1700+01:F'"
                         "BGM+962'"
                         "RFF+TN:XZ877240501'"
                         "RFF+AF:XZ877'"
                         "DTM+189:2405011100:201'"
                         "DTM+232:2405011700:201'"
                         "LOC+125+BCN'"
                         "LOC+87+IAD'"
                         "ERP+2'"
                         "RFF+AVF:GJO3RT'"
                         "RFF+ABO:XZ877001'"
                         "ERC+0Z'"
                         "FTX+AAP+++OK TO BOARD'"
                         "ERP+2'"
                         "RFF+AVF:GJO3RT'"
                         "RFF+ABO:XZ877002'"
                         "ERC+1Z'"
                         "FTX+AAP+++DO NOT BOARD'"
                         "UNT+19+RES1'"
                         "UNZ+1+GOV0001'";
    ck_assert_uint_eq(a.out.len, strlen(expect));
    ck_assert(memcmp(a.out.data, expect, a.out.len) == 0);
    ck_assert_uint_eq(a.stats.segments, 19);
    ck_assert_uint_eq(a.stats.substituted, 0);
    ps_buf_free(&a.out);
}
END_TEST

START_TEST(test_round_trip_values)
{
    answer a;
    answer_init(&a, two_pax);
    a.verdicts[0] = (ps_cusres_verdict){PS_CUSRES_CONTACT, PS_STR_NULL};
    a.verdicts[1] = (ps_cusres_verdict){PS_CUSRES_INSUFFICIENT_DATA, PS_STR_NULL};
    a.n_verdicts_given = 2;
    run(&a);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    ck_assert_int_eq(rb.interchanges, 1);
    ck_assert_int_eq(rb.messages, 1);
    ck_assert(rb.ich.has_una && rb.ich.terminated);
    ck_assert_str_eq(rb.ich.syntax_id, "UNOA");
    ck_assert_str_eq(rb.ich.syntax_version, "4");
    ck_assert_str_eq(rb.ich.sender, "USADHS");
    ck_assert_str_eq(rb.ich.sender_qualifier, "ZZ");
    ck_assert_str_eq(rb.ich.recipient, "XYZAIRLINES");
    ck_assert_str_eq(rb.ich.recipient_qualifier, "ZZ");
    ck_assert_str_eq(rb.ich.control_ref, "GOV0001");
    ck_assert_str_eq(rb.ich.application_ref, "IAPI");
    ck_assert_int_eq(rb.ich.prepared.year, 2026);
    ck_assert_int_eq(rb.ich.prepared.hour, 16);
    ck_assert_str_eq(rb.msg.ref, "RES1");
    ck_assert_str_eq(rb.msg.type, "CUSRES");
    ck_assert_str_eq(rb.msg.version, "D");
    ck_assert_str_eq(rb.msg.release, "05B");
    ck_assert_str_eq(rb.msg.association, "IATA");
    ck_assert_str_eq(rb.msg.access_ref, "XZ877/240501/1700");
    ck_assert(rb.msg.terminated);
    ck_assert_uint_eq(rb.msg.segments, a.stats.segments);
    const char *expect[] = {
        "BGM|962",
        "RFF|TN^XZ877240501",
        "RFF|AF^XZ877",
        "DTM|189^2405011100^201",
        "DTM|232^2405011700^201",
        "LOC|125|BCN",
        "LOC|87|IAD",
        "ERP|2",
        "RFF|AVF^GJO3RT",
        "RFF|ABO^XZ877001",
        "ERC|2Z",
        "FTX|AAP|||CONTACT THE AUTHORITIES BEFORE BOARDING",
        "ERP|2",
        "RFF|AVF^GJO3RT",
        "RFF|ABO^XZ877002",
        "ERC|4Z",
        "FTX|AAP|||INSUFFICIENT DATA",
    };
    assert_segs(&rb, expect, (int)(sizeof expect / sizeof expect[0]));
    read_back_free(&rb);
    ps_buf_free(&a.out);
}
END_TEST

/* References and free text holding every service character come back as they were. */
START_TEST(test_escaping_service_characters)
{
    static const char req[] = "UNA:+.? '"
                              "UNB+UNOB:4+AIR+GOV+240501:0930+1++IAPI'"
                              "UNH+M1+PAXLST:D:12B:UN:IATA'"
                              "BGM+745'"
                              "RFF+TN:T?+N?:1?'??'"
                              "TDT+20+A?+1+++AA'"
                              "NAD+FL+++O?'NEIL:SEAN'"
                              "RFF+AVF:P?:N?'R'"
                              "RFF+ABO:ID?+1?:2?'3??4'"
                              "UNT+8+M1'"
                              "UNZ+1+1'";
    answer a;
    answer_init(&a, req);
    const char *text = "SEE: O'NEIL + ?? desk";
    a.verdicts[0] = (ps_cusres_verdict){PS_CUSRES_CONTACT, {text, strlen(text)}};
    a.n_verdicts_given = 1;
    a.params.control_ref = "C'+:?";
    a.params.message_ref = "M+1";
    run(&a);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    ck_assert(contains(&a.out, "RFF+ABO:ID?+1?:2?'3??4'"));
    ck_assert(contains(&a.out, "UNZ+1+C?'?+?:??'"));
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    ck_assert_str_eq(rb.ich.control_ref, "C'+:?");
    ck_assert_str_eq(rb.msg.ref, "M+1");
    ck_assert_str_eq(rb.msg.release, "12B");
    const char *expect[] = {
        "BGM|962",       "RFF|TN^T+N:1'?",     "RFF|AF^A+1", "ERP|2",
        "RFF|AVF^P:N'R", "RFF|ABO^ID+1:2'3?4", "ERC|2Z",     "FTX|AAP|||SEE: O'NEIL + ?? desk",
    };
    assert_segs(&rb, expect, (int)(sizeof expect / sizeof expect[0]));
    read_back_free(&rb);
    ps_buf_free(&a.out);
}
END_TEST

/* A Type-B request with UNA:(.) - gets its answer in the same service characters. */
START_TEST(test_type_b_una_kept)
{
    static const char req[] = "\x01QN GOVXXXX\r\n.AIRXXXX 011200\r\n\x02"
                              "UNA:(.) -UNB(UNOA:4(AIR(GOV(240501:0930(77((APIS-\r\n"
                              "UNH(M7(PAXLST:D:05B:UN:IATA-\r\n"
                              "BGM(745-\r\n"
                              "NAD(FL(((O)-BRIEN:SEAN-\r\n"
                              "RFF(ABO:A)(B)-C))-\r\n"
                              "UNT(5(M7-\r\n"
                              "UNZ(1(77-\r\n\x03";
    answer a;
    answer_init(&a, req);
    run(&a);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    ck_assert(a.out.len > 9 && memcmp(a.out.data, "UNA:(.) -UNB(UNOA:4(GOV(AIR(", 28) == 0);
    ck_assert(contains(&a.out, "RFF(ABO:A)(B)-C))-"));
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    /* render() joins with | and ^ whatever the separators */
    const char *expect_rendered[] = {"BGM|962", "ERP|2", "RFF|ABO^A(B-C)", "ERC|0Z",
                                     "FTX|AAP|||OK TO BOARD"};
    assert_segs(&rb, expect_rendered, 5);
    read_back_free(&rb);
    ps_buf_free(&a.out);
}
END_TEST

/* UNOC: data is written as ISO 8859-1 bytes, read back as the same UTF-8 text. */
START_TEST(test_unoc_latin1)
{
    static const char req[] = "UNB+UNOC:3+AIR+GOV+240501:0930+5'"
                              "UNH+1+PAXLST:D:02B:UN:IATA'"
                              "BGM+745'"
                              "NAD+FL+++M\xDCLLER:J\xD6RG'"
                              "RFF+ABO:M\xDC-1'"
                              "UNT+5+1'"
                              "UNZ+1+5'";
    answer a;
    answer_init(&a, req);
    const char *text = "PR\xC3\x89SENTEZ-VOUS \xC3\xA0 la douane \xC5\x81\xC3\xB3"
                       "d\xC5\xBA"; /* É à Ł ó ź */
    a.verdicts[0] = (ps_cusres_verdict){PS_CUSRES_CONTACT, {text, strlen(text)}};
    a.n_verdicts_given = 1;
    run(&a);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    ck_assert(contains(&a.out, "RFF+ABO:M\xDC-1'"));
    ck_assert(contains(&a.out, "PR\xC9SENTEZ-VOUS \xE0 la douane ??\xF3\x64??'"));
    ck_assert_uint_eq(a.stats.substituted, 2); /* Ł and ź are not Latin-1 */
    ck_assert(a.out.len > 13 && memcmp(a.out.data, "UNA:+.? 'UNB+UNOC:3+GOV+AIR+", 28) == 0);
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    ck_assert_int_eq(rb.ich.charset, PS_CHARSET_8859);
    ck_assert_int_eq(rb.ich.charset_part, 1);
    ck_assert_str_eq(rb.msg.version, "D");
    ck_assert_str_eq(rb.msg.release, "02B");
    ck_assert_str_eq(rb.segs[2], "RFF|ABO^M\xC3\x9C-1");
    ck_assert_str_eq(rb.segs[4],
                     "FTX|AAP|||PR\xC3\x89SENTEZ-VOUS \xC3\xA0 la douane ?\xC3\xB3\x64?");
    read_back_free(&rb);
    ps_buf_free(&a.out);
}
END_TEST

/* UNOW: UTF-8 goes through untouched. */
START_TEST(test_unow_utf8)
{
    static const char req[] = "UNB+UNOW:4+AIR+GOV+20240501:0930+6'"
                              "UNH+1+PAXLST:D:15B:UN:IATA'"
                              "BGM+745'"
                              "NAD+FL+++\xD0\x98\xD0\x92\xD0\x90\xD0\x9D\xD0\x9E\xD0\x92:"
                              "\xD0\x98\xD0\x92\xD0\x90\xD0\x9D'"
                              "RFF+ABO:\xD0\x96-7'"
                              "UNT+5+1'"
                              "UNZ+1+6'";
    answer a;
    answer_init(&a, req);
    const char *text = "\xD0\x9E\xD0\x9A \xE2\x9C\x93 O'K"; /* ОК ✓ O'K */
    a.verdicts[0] = (ps_cusres_verdict){PS_CUSRES_OK_TO_BOARD, {text, strlen(text)}};
    a.n_verdicts_given = 1;
    run(&a);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    ck_assert_uint_eq(a.stats.substituted, 0);
    ck_assert(contains(&a.out, "\xD0\x9E\xD0\x9A \xE2\x9C\x93 O?'K'"));
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    ck_assert_int_eq(rb.ich.charset, PS_CHARSET_UTF8);
    ck_assert_str_eq(rb.ich.syntax_id, "UNOW");
    ck_assert_str_eq(rb.segs[2], "RFF|ABO^\xD0\x96-7");
    ck_assert_str_eq(rb.segs[4], "FTX|AAP|||\xD0\x9E\xD0\x9A \xE2\x9C\x93 O'K");
    read_back_free(&rb);
    ps_buf_free(&a.out);
}
END_TEST

/* UNOA: lower case is upper-cased, other characters become '?', and the answer reads back
 * without a single repertoire warning. */
START_TEST(test_unoa_repertoire)
{
    answer a;
    answer_init(&a, two_pax);
    const char *text = "call desk @ gate #4, caf\xC3\xA9\ttab";
    a.verdicts[0] = (ps_cusres_verdict){PS_CUSRES_CONTACT, {text, strlen(text)}};
    a.n_verdicts_given = 1;
    run(&a);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    ck_assert_str_eq(rb.segs[11], "FTX|AAP|||CALL DESK ? GATE ?4, CAF??TAB");
    ck_assert_uint_eq(a.stats.substituted, 22); /* 18 lower case letters, @, #, é, tab */
    read_back_free(&rb);
    ps_buf_free(&a.out);
}
END_TEST

/* A flight status message without travellers: a header-level acceptance. */
START_TEST(test_zero_travellers)
{
    static const char req[] = PAX_HEADER "UNT+9+PAX001'\nUNZ+1+000000001'\n";
    answer a;
    answer_init(&a, req);
    run(&a);
    ck_assert_int_eq(a.messages, 1);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    const char *expect[] = {"BGM|962",
                            "RFF|TN^XZ877240501",
                            "RFF|AF^XZ877",
                            "DTM|189^2405011100^201",
                            "DTM|232^2405011700^201",
                            "LOC|125|BCN",
                            "LOC|87|IAD",
                            "ERP|1",
                            "ERC|0"};
    assert_segs(&rb, expect, 9);
    ck_assert_uint_eq(a.stats.segments, 11);
    read_back_free(&rb);
    ps_buf_free(&a.out);
}
END_TEST

/* 1000 travellers, every fourth one with each status: counts and order hold. */
START_TEST(test_many_travellers)
{
    enum { N = 1000 };
    ps_buf req;
    ps_buf_init(&req);
    ps_buf_puts(&req, PAX_HEADER);
    for (int i = 0; i < N; i++)
        ps_buf_printf(&req, "NAD+FL+++PAX%d:GIVEN'\nRFF+ABO:ID%05d'\n", i, i);
    ps_buf_printf(&req, "CNT+42:%d'\nUNT+%d+PAX001'\nUNZ+1+000000001'\n", N, 10 + 2 * N);
    ps_buf_putc(&req, '\0');
    answer a;
    answer_init(&a, req.data);
    for (int i = 0; i < N; i++)
        a.verdicts[i] = (ps_cusres_verdict){(ps_cusres_status)(i % 4), PS_STR_NULL};
    a.n_verdicts_given = N;
    run(&a);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    ck_assert_uint_eq(a.stats.segments, 9 + 4 * N);
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    ck_assert_int_eq(rb.n_segs, 7 + 4 * N);
    static const char *codes[] = {"ERC|0Z", "ERC|1Z", "ERC|2Z", "ERC|4Z"};
    for (int i = 0; i < N; i++) {
        char abo[32];
        snprintf(abo, sizeof abo, "RFF|ABO^ID%05d", i);
        ck_assert_str_eq(rb.segs[7 + 4 * i], "ERP|2");
        ck_assert_str_eq(rb.segs[8 + 4 * i], abo);
        ck_assert_str_eq(rb.segs[9 + 4 * i], codes[i % 4]);
    }
    read_back_free(&rb);
    ps_buf_free(&a.out);
    ps_buf_free(&req);
}
END_TEST

/* Travellers without RFF+ABO: the reader made their ids up, so they are named by position. */
START_TEST(test_assigned_ids_by_position)
{
    static const char req[] = "UNB+UNOA:4+AIR+GOV+240501:0930+8'"
                              "UNH+1+PAXLST:D:05B:UN:IATA'"
                              "BGM+745'"
                              "NAD+FL+++ONE:A'"
                              "RFF+ABO:X1'"
                              "NAD+FL+++TWO:B'"
                              "RFF+AVF:PNR2'"
                              "NAD+FM+++THREE:C'"
                              "UNT+8+1'"
                              "UNZ+1+8'";
    answer a;
    answer_init(&a, req);
    run(&a);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    const char *expect[] = {"BGM|962",
                            "ERP|2",
                            "RFF|ABO^X1",
                            "ERC|0Z",
                            "FTX|AAP|||OK TO BOARD",
                            "ERP|2^2",
                            "RFF|AVF^PNR2",
                            "ERC|0Z",
                            "FTX|AAP|||OK TO BOARD",
                            "ERP|2^3",
                            "ERC|0Z",
                            "FTX|AAP|||OK TO BOARD"};
    assert_segs(&rb, expect, 12);
    read_back_free(&rb);
    ps_buf_free(&a.out);
}
END_TEST

/* A message of several legs is answered for its first (the flight the carrier asked about);
 * a day-only date is written with format 101. */
START_TEST(test_first_leg_only)
{
    static const char req[] = "UNB+UNOA:4+AIR+GOV+240501:0930+3'"
                              "UNH+1+PAXLST:D:05B:UN:IATA'"
                              "BGM+745'"
                              "TDT+20+XZ1+++XZ'LOC+125+AAA'DTM+189:240501'LOC+87+BBB'"
                              "TDT+20+XZ2+++XZ'LOC+125+BBB'DTM+189:2405021000:201'LOC+87+CCC'"
                              "NAD+FL+++A:B'RFF+ABO:1'"
                              "UNT+13+1'UNZ+1+3'";
    answer a;
    answer_init(&a, req);
    run(&a);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    const char *expect[] = {"BGM|962",     "RFF|AF^XZ1", "DTM|189^240501^101",
                            "LOC|125|AAA", "LOC|87|BBB", "ERP|2",
                            "RFF|ABO^1",   "ERC|0Z",     "FTX|AAP|||OK TO BOARD"};
    assert_segs(&rb, expect, 9);
    read_back_free(&rb);
    ps_buf_free(&a.out);
}
END_TEST

START_TEST(test_deterministic)
{
    answer a, b;
    answer_init(&a, two_pax);
    answer_init(&b, two_pax);
    run(&a);
    run(&b);
    ck_assert_uint_eq(a.out.len, b.out.len);
    ck_assert(memcmp(a.out.data, b.out.data, a.out.len) == 0);
    answer c;
    answer_init(&c, two_pax);
    c.params.control_ref = "GOV0002";
    run(&c);
    ck_assert_uint_eq(a.out.len, c.out.len);
    size_t diff = 0;
    for (size_t i = 0; i < a.out.len; i++)
        diff += a.out.data[i] != c.out.data[i];
    ck_assert_uint_eq(diff, 2); /* UNB and UNZ 0020 */
    ps_buf_free(&a.out);
    ps_buf_free(&b.out);
    ps_buf_free(&c.out);
}
END_TEST

START_TEST(test_test_indicator_echoed)
{
    static const char req[] = "UNB+UNOA:4+AIR+GOV+240501:0930+9++IAPI++++1'"
                              "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+FL+++A:B'UNT+4+1'UNZ+1+9'";
    answer a;
    answer_init(&a, req);
    run(&a);
    ck_assert_msg(a.rc == 0, "%s", a.err);
    ck_assert(contains(&a.out, "+GOV0001++IAPI++++1'"));
    readback rb;
    read_back(&rb, a.out.data, a.out.len);
    assert_no_diags(&rb);
    ck_assert(rb.ich.test);
    read_back_free(&rb);
    ps_buf_free(&a.out);
}
END_TEST

/* ---- bad arguments: an error naming the problem, and nothing written ---- */

typedef struct bad_case {
    ps_cusres_params params;
    ps_cusres_verdict verdict;
    uint32_t n_verdicts;
    const char *expect; /* substring of the error message */
} bad_case;

static const bad_case *current_bad;
static char bad_err[256];
static int bad_rc;
static size_t bad_len;

static void on_message_bad(void *ctx, const ps_paxlst_message *m)
{
    const char *input = ctx;
    ps_edi_interchange ich;
    ck_assert(ps_cusres_find_interchange(input, strlen(input), m->interchange, &ich));
    ps_cusres_verdict v[2] = {current_bad->verdict, current_bad->verdict};
    ps_buf out;
    ps_buf_init(&out);
    ps_buf_puts(&out, "KEEP");
    bad_rc = ps_cusres_write(&out, &ich, m, v, current_bad->n_verdicts, &current_bad->params, NULL,
                             bad_err, sizeof bad_err);
    bad_len = out.len;
    ps_buf_free(&out);
}

START_TEST(test_bad_arguments)
{
    ps_date now = {2026, 11, 26, 16, 52, PS_DATE_MINUTE};
    ps_date day_only = {2026, 11, 26, 0, 0, PS_DATE_DAY};
    ps_cusres_verdict ok = {PS_CUSRES_OK_TO_BOARD, PS_STR_NULL};
    char long_text[600];
    memset(long_text, 'X', sizeof long_text);
    const bad_case cases[] = {
        {{"", "R", now}, ok, 2, "control_ref"},
        {{"123456789012345", "R", now}, ok, 2, "control_ref"},
        {{NULL, "R", now}, ok, 2, "control_ref"},
        {{"C", "", now}, ok, 2, "message_ref"},
        {{"C", "R", day_only}, ok, 2, "now"},
        {{"C", "R", now}, ok, 1, "1 verdicts for 2 travellers"},
        {{"C", "R", now}, {(ps_cusres_status)7, PS_STR_NULL}, 2, "unknown status"},
        {{"C", "R", now}, {PS_CUSRES_CONTACT, {long_text, sizeof long_text}}, 2, "600 bytes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        current_bad = &cases[i];
        bad_rc = -1;
        bad_err[0] = '\0';
        ps_arena arena;
        ps_arena_init(&arena);
        ps_diag_list diags;
        ps_diag_list_init(&diags, &arena);
        ps_paxlst_callbacks cb = {on_message_bad, NULL, (void *)two_pax};
        ps_paxlst_read(two_pax, strlen(two_pax), &cb, &diags, NULL);
        ps_arena_free(&arena);
        ck_assert_msg(bad_rc == PS_EDI_WRITE_INVALID, "case %zu: rc %d", i, bad_rc);
        ck_assert_msg(strstr(bad_err, cases[i].expect) != NULL, "case %zu: '%s' lacks '%s'", i,
                      bad_err, cases[i].expect);
        ck_assert_uint_eq(bad_len, 4);
    }
}
END_TEST

START_TEST(test_find_interchange)
{
    static const char two[] = "UNB+UNOA:4+A1+B1+240501:0930+R1'UNZ+0+R1'\n"
                              "UNA*+.? 'UNB+UNOC*3+A2+B2+240501*0930+R2'UNZ+0+R2'";
    ps_edi_interchange ich;
    ck_assert(ps_cusres_find_interchange(two, strlen(two), 1, &ich));
    ck_assert_str_eq(ich.sender, "A2");
    ck_assert_str_eq(ich.syntax_id, "UNOC");
    ck_assert_int_eq(ich.syntax.component, '*');
    ck_assert_int_eq(ich.syntax.element, '+');
    ck_assert(!ps_cusres_find_interchange(two, strlen(two), 2, &ich));
}
END_TEST

/* ---- the segment writer by itself ---- */

static void writer_case(const char *expect, void (*fill)(ps_edi_writer *))
{
    ps_buf b;
    ps_buf_init(&b);
    ps_edi_writer w;
    ps_edi_writer_init(&w, &b, NULL, PS_CHARSET_UNOB, 0);
    fill(&w);
    ck_assert_uint_eq(b.len, strlen(expect));
    ck_assert_msg(memcmp(b.data, expect, b.len) == 0, "wrote '%.*s', expected '%s'", (int)b.len,
                  b.data, expect);
    ps_buf_free(&b);
}

static void fill_nad(ps_edi_writer *w)
{
    ps_edi_write_tag(w, "NAD");
    ps_edi_write_element(w, "FL", PS_EDI_CSTR);
    ps_edi_write_element(w, NULL, 0);
    ps_edi_write_element(w, "", PS_EDI_CSTR);
    ps_edi_write_element(w, "SMITH", PS_EDI_CSTR);
    ps_edi_write_component(w, "", 0);
    ps_edi_write_component(w, "JOHN", PS_EDI_CSTR);
    ps_edi_write_component(w, NULL, 0);
    ps_edi_write_element(w, NULL, 0);
    ps_edi_write_end(w);
}

static void fill_empty(ps_edi_writer *w)
{
    ps_edi_write_tag(w, "XYZ");
    ps_edi_write_element(w, NULL, 0);
    ps_edi_write_component(w, NULL, 0);
    ps_edi_write_end(w);
    ps_edi_write_tag(w, "ABC");
    ps_edi_write_element(w, "?", PS_EDI_CSTR);
    ps_edi_write_component(w, "", 0);
    ps_edi_write_end(w);
}

static void fill_invalid_utf8(ps_edi_writer *w)
{
    ps_edi_write_tag(w, "FTX");
    ps_edi_write_element(w, "A\xFF\xC3", PS_EDI_CSTR);
    ps_edi_write_end(w);
    ck_assert_uint_eq(w->substituted, 2);
    ck_assert_uint_eq(w->segments, 1);
}

START_TEST(test_writer_truncation_and_escapes)
{
    writer_case("NAD+FL+++SMITH::JOHN'", fill_nad);
    writer_case("XYZ'ABC+??'", fill_empty);
    writer_case("FTX+A????'", fill_invalid_utf8);
}
END_TEST

START_TEST(test_writer_repetition_separator_released)
{
    ps_edi_syntax v4 = {':', '+', '.', '?', '*', '\''};
    ps_buf b;
    ps_buf_init(&b);
    ps_edi_writer w;
    ps_edi_writer_init(&w, &b, &v4, PS_CHARSET_UNOA, 0);
    ps_edi_write_una(&w);
    ps_edi_write_tag(&w, "FTX");
    ps_edi_write_element(&w, "A*B", PS_EDI_CSTR);
    ps_edi_write_end(&w);
    ck_assert_uint_eq(b.len, strlen("UNA:+.?*'FTX+A?*B'"));
    ck_assert(memcmp(b.data, "UNA:+.?*'FTX+A?*B'", b.len) == 0);
    ps_buf_free(&b);
    /* a syntax without a release character falls back to the defaults */
    ps_edi_syntax norel = {':', '+', '.', ' ', ' ', '\''};
    ps_buf_init(&b);
    ps_edi_writer_init(&w, &b, &norel, PS_CHARSET_UNOA, 0);
    ps_edi_write_una(&w);
    ck_assert(memcmp(b.data, "UNA:+.? '", 9) == 0);
    ps_buf_free(&b);
}
END_TEST

START_TEST(test_status_codes)
{
    ck_assert_str_eq(ps_cusres_status_code(PS_CUSRES_OK_TO_BOARD), "0Z");
    ck_assert_str_eq(ps_cusres_status_code(PS_CUSRES_DO_NOT_BOARD), "1Z");
    ck_assert_str_eq(ps_cusres_status_code(PS_CUSRES_CONTACT), "2Z");
    ck_assert_str_eq(ps_cusres_status_code(PS_CUSRES_INSUFFICIENT_DATA), "4Z");
    ck_assert_ptr_null(ps_cusres_status_code((ps_cusres_status)4));
    ck_assert_ptr_null(ps_cusres_status_text((ps_cusres_status)-1));
}
END_TEST

static Suite *cusres_suite(void)
{
    Suite *s = suite_create("cusres");
    TCase *w = tcase_create("writer");
    tcase_add_test(w, test_writer_truncation_and_escapes);
    tcase_add_test(w, test_writer_repetition_separator_released);
    tcase_add_test(w, test_status_codes);
    suite_add_tcase(s, w);
    TCase *c = tcase_create("cusres");
    tcase_set_timeout(c, 30);
    tcase_add_test(c, test_exact_bytes);
    tcase_add_test(c, test_round_trip_values);
    tcase_add_test(c, test_escaping_service_characters);
    tcase_add_test(c, test_type_b_una_kept);
    tcase_add_test(c, test_unoc_latin1);
    tcase_add_test(c, test_unow_utf8);
    tcase_add_test(c, test_unoa_repertoire);
    tcase_add_test(c, test_zero_travellers);
    tcase_add_test(c, test_many_travellers);
    tcase_add_test(c, test_assigned_ids_by_position);
    tcase_add_test(c, test_first_leg_only);
    tcase_add_test(c, test_deterministic);
    tcase_add_test(c, test_test_indicator_echoed);
    tcase_add_test(c, test_bad_arguments);
    tcase_add_test(c, test_find_interchange);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cusres_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
