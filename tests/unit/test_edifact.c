/* tests/unit/test_edifact.c — Check tests for the EDIFACT syntax layer (formats/edifact*.c),
 * driving ps_edi_reader directly with small hand-written inputs: UNA service strings, the
 * release character, separators between segments, Type-B framing and trailing data, envelope
 * counts and references, syntax identifiers and decoding, zero copy, and ps_edi_split. */
#include "paxscreen/edifact.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a recording run of the reader ---- */

#define MAX_EVENTS 256
#define MAX_SEGS   64
#define MAX_MSGS   16
#define MAX_ICHS   8

typedef struct seg_rec {
    char tag[4];
    uint32_t number;
    uint64_t offset;
    bool unterminated;
    char text[512]; /* "TAG|e1c1^e1c2|e2c1..." with every value decoded by ps_edi_text */
} seg_rec;

static ps_arena arena;
static ps_diag_list diags;
static char *input; /* exact-size copy of the current input (no NUL after it) */
static size_t input_len;
static char events[MAX_EVENTS + 1]; /* I/i interchange begin/end, M/m message, S segment */
static int n_events;
static seg_rec segs[MAX_SEGS];
static int n_segs;
static ps_edi_interchange ich_begin[MAX_ICHS], ich_end[MAX_ICHS];
static int n_ich_begin, n_ich_end;
static ps_edi_message msg_begin[MAX_MSGS], msg_end[MAX_MSGS];
static int n_msg_begin, n_msg_end;

static void setup(void)
{
    ps_arena_init(&arena);
    ps_diag_list_init(&diags, &arena);
    input = NULL;
    input_len = 0;
}

static void teardown(void)
{
    free(input);
    input = NULL;
    ps_arena_free(&arena);
}

/* Copies text into an exact-size buffer so a sanitizer build catches any read past the end. */
static void set_input(const char *text, size_t len)
{
    free(input);
    input = malloc(len ? len : 1);
    if (len)
        memcpy(input, text, len);
    input_len = len;
}

static void append(char *out, size_t cap, const char *p, size_t n)
{
    size_t o = strlen(out);
    if (o + n >= cap)
        n = cap - o - 1;
    memcpy(out + o, p, n);
    out[o + n] = '\0';
}

static void render(ps_edi_reader *r, const ps_edi_fields *f, char *out, size_t cap)
{
    snprintf(out, cap, "%s", r->seg.tag_text);
    for (unsigned e = 1; e <= f->n_elements; e++) {
        append(out, cap, "|", 1);
        for (unsigned c = 1; c <= ps_edi_components(f, e); c++) {
            if (c > 1)
                append(out, cap, "^", 1);
            ps_str s = ps_edi_text(r, ps_edi_get(f, e, c), &arena);
            append(out, cap, s.ptr ? s.ptr : "", s.len);
        }
    }
}

static void check_same_fields(const ps_edi_fields *a, const ps_edi_fields *b)
{
    ck_assert_uint_eq(a->n_elements, b->n_elements);
    ck_assert_uint_eq(a->n_values, b->n_values);
    for (unsigned e = 0; e <= a->n_elements + 1u && e < PS_EDI_MAX_ELEMENTS + 2u; e++)
        ck_assert_uint_eq(a->first[e], b->first[e]);
    for (unsigned i = 0; i < a->n_values; i++) {
        ck_assert_msg(a->values[i].ptr == b->values[i].ptr &&
                          a->values[i].len == b->values[i].len &&
                          a->values[i].dirty == b->values[i].dirty,
                      "value %u: reader has '%.*s' (dirty %d), ps_edi_split '%.*s' (dirty %d)", i,
                      (int)a->values[i].len, a->values[i].ptr, a->values[i].dirty,
                      (int)b->values[i].len, b->values[i].ptr, b->values[i].dirty);
    }
}

/* Reads all of the input, recording events, segments (split and decoded), interchange and
 * message headers; the diag list is started afresh. */
static void run_n(const char *text, size_t len)
{
    set_input(text, len);
    ps_diag_list_init(&diags, &arena);
    n_events = n_segs = n_ich_begin = n_ich_end = n_msg_begin = n_msg_end = 0;
    events[0] = '\0';
    ps_edi_reader r;
    ps_edi_reader_init(&r, input, input_len, &diags);
    for (int guard = 0;; guard++) {
        ck_assert_msg(guard < 10000, "reader does not reach END (hang)");
        ps_edi_event ev = ps_edi_next(&r);
        if (ev == PS_EDI_END)
            break;
        char c = '?';
        switch (ev) {
        case PS_EDI_INTERCHANGE_BEGIN:
            c = 'I';
            if (n_ich_begin < MAX_ICHS)
                ich_begin[n_ich_begin++] = r.ich;
            break;
        case PS_EDI_INTERCHANGE_END:
            c = 'i';
            if (n_ich_end < MAX_ICHS)
                ich_end[n_ich_end++] = r.ich;
            break;
        case PS_EDI_MESSAGE_BEGIN:
            c = 'M';
            if (n_msg_begin < MAX_MSGS)
                msg_begin[n_msg_begin++] = r.msg;
            break;
        case PS_EDI_MESSAGE_END:
            c = 'm';
            if (n_msg_end < MAX_MSGS)
                msg_end[n_msg_end++] = r.msg;
            break;
        case PS_EDI_SEGMENT:
            c = 'S';
            if (n_segs < MAX_SEGS) {
                seg_rec *s = &segs[n_segs++];
                memcpy(s->tag, r.seg.tag_text, 4);
                s->number = r.seg.number;
                s->offset = r.seg.offset;
                s->unterminated = r.seg.unterminated;
                /* the reader's own split and ps_edi_split agree */
                ps_edi_fields f;
                ps_edi_split(&r, &r.seg, &f);
                check_same_fields(&r.fields, &f);
                render(&r, &r.fields, s->text, sizeof s->text);
            }
            break;
        default:
            break;
        }
        if (n_events < MAX_EVENTS) {
            events[n_events++] = c;
            events[n_events] = '\0';
        }
    }
    ck_assert_int_eq(ps_edi_next(&r), PS_EDI_END); /* END stays END */
    ps_edi_reader_free(&r);
}

static void run(const char *text)
{
    run_n(text, strlen(text));
}

/* Byte offset of the n-th (1-based) occurrence of needle in the current input. */
static uint64_t nth(const char *needle, int n)
{
    const char *p = input;
    size_t left = input_len, nl = strlen(needle);
    for (;;) {
        const char *q = memmem(p, left, needle, nl);
        ck_assert_msg(q != NULL, "'%s' (occurrence %d) not in the input", needle, n);
        if (--n == 0)
            return (uint64_t)(q - input);
        left -= (size_t)(q + 1 - p);
        p = q + 1;
    }
}

static uint64_t at(const char *needle)
{
    return nth(needle, 1);
}

static const char *dump(void)
{
    static char buf[4096];
    buf[0] = '\0';
    for (uint32_t i = 0; i < diags.count; i++) {
        const ps_diag *d = &diags.items[i];
        char one[256];
        snprintf(one, sizeof one, "[%s %s seg=%u off=%llu: %.*s] ",
                 d->severity == PS_ERROR ? "E" : "W", d->kind, d->segment,
                 (unsigned long long)d->offset, (int)d->message.len, d->message.ptr);
        append(buf, sizeof buf, one, strlen(one));
    }
    return buf[0] ? buf : "(none)";
}

static int count_kind(const char *kind)
{
    int n = 0;
    for (uint32_t i = 0; i < diags.count; i++)
        n += strcmp(diags.items[i].kind, kind) == 0;
    return n;
}

static const ps_diag *first_kind(const char *kind)
{
    for (uint32_t i = 0; i < diags.count; i++)
        if (strcmp(diags.items[i].kind, kind) == 0)
            return &diags.items[i];
    return NULL;
}

/* A diag of this kind and severity naming exactly this segment number and byte offset. */
static void expect_diag(const char *kind, ps_severity sev, uint32_t segment, uint64_t offset)
{
    for (uint32_t i = 0; i < diags.count; i++) {
        const ps_diag *d = &diags.items[i];
        if (strcmp(d->kind, kind) == 0 && d->segment == segment && d->offset == offset) {
            ck_assert_msg(d->severity == sev, "%s has severity %d, expected %d", kind, d->severity,
                          sev);
            ck_assert_msg(d->message.len > 0, "%s has no message", kind);
            return;
        }
    }
    ck_abort_msg("expected %s %s at segment %u offset %llu; diags: %s",
                 sev == PS_ERROR ? "error" : "warning", kind, segment, (unsigned long long)offset,
                 dump());
}

static void expect_count(uint32_t n)
{
    ck_assert_msg(diags.count == n, "expected %u diags, got %u: %s", n, diags.count, dump());
}

static void expect_events(const char *want)
{
    ck_assert_msg(strcmp(events, want) == 0, "events '%s', expected '%s' (diags: %s)", events, want,
                  dump());
}

static void expect_seg(int i, const char *want)
{
    ck_assert_msg(i < n_segs, "segment %d not read (events '%s', diags: %s)", i, events, dump());
    ck_assert_msg(strcmp(segs[i].text, want) == 0, "segment %d is '%s', expected '%s'", i,
                  segs[i].text, want);
}

static bool in_input(const char *p)
{
    return p >= input && p < input + input_len;
}

/* ---- building blocks ---- */

#define UNB_OA     "UNB+UNOA:4+SENDER+RECEIVER+240501:0930+REF1'"
#define UNB_ID(id) "UNB+" id ":4+SENDER+RECEIVER+240501:0930+REF1'"
#define UNH_(ref)  "UNH+" ref "+PAXLST:D:05B:UN:IATA'"
/* UNH, BGM, NAD, UNT: four segments. */
#define MSG(ref) UNH_(ref) "BGM+745'NAD+FL+++SMITH:JOHN'UNT+4+" ref "'"
#define UNZ_(n)  "UNZ+" n "+REF1'"
/* UNB 1, UNH 2, BGM 3, NAD 4, UNT 5, UNZ 6 */
#define ICH UNB_OA MSG("1") UNZ_("1")

#define TYPEB_ICH                                                                                  \
    "UNA:(.) -UNB(UNOA:4(SENDER(RECEIVER(240501:0930(REF1-UNH(1(PAXLST:D:05B:UN:IATA-"             \
    "NAD(FL(((D)-SOUZA:ANN)(MARIE-UNT(3(1-UNZ(1(REF1-"

/* ---- UNA ---- */

START_TEST(test_una_standard)
{
    run("UNA:+.? '" ICH);
    expect_count(0);
    expect_events("IMSSmi");
    ck_assert(ich_begin[0].has_una);
    ck_assert_uint_eq(ich_begin[0].offset, 0);
    ps_edi_syntax s = ich_begin[0].syntax;
    ck_assert(s.component == ':' && s.element == '+' && s.decimal == '.' && s.release == '?' &&
              s.repetition == ' ' && s.terminator == '\'');
    expect_seg(0, "BGM|745");
    expect_seg(1, "NAD|FL|||SMITH^JOHN");
    ck_assert_uint_eq(segs[0].number, 3);
    ck_assert_uint_eq(segs[0].offset, at("BGM"));
    ck_assert_uint_eq(segs[1].number, 4);
    ck_assert(ich_end[0].terminated);
    ck_assert_uint_eq(ich_end[0].segments, 6);
    ck_assert_uint_eq(ich_end[0].messages, 1);
    ck_assert(msg_end[0].terminated);
}
END_TEST

START_TEST(test_una_star_element_dollar_terminator)
{
    run("UNA:*.? $UNB*UNOA:4*SENDER*RECEIVER*240501:0930*REF1$UNH*1*PAXLST:D:05B:UN:IATA$"
        "NAD*FL***O?*NEIL:JO+E?$S$UNT*3*1$UNZ*1*REF1$");
    expect_count(0);
    expect_events("IMSmi");
    ck_assert_int_eq(ich_begin[0].syntax.element, '*');
    ck_assert_int_eq(ich_begin[0].syntax.terminator, '$');
    expect_seg(0, "NAD|FL|||O*NEIL^JO+E$S");
    ck_assert_str_eq(ich_begin[0].sender, "SENDER");
    ck_assert_str_eq(msg_begin[0].type, "PAXLST");
}
END_TEST

START_TEST(test_una_type_b)
{
    run(TYPEB_ICH);
    expect_count(0);
    expect_events("IMSmi");
    ps_edi_syntax s = ich_begin[0].syntax;
    ck_assert(s.component == ':' && s.element == '(' && s.decimal == '.' && s.release == ')' &&
              s.repetition == ' ' && s.terminator == '-');
    expect_seg(0, "NAD|FL|||D-SOUZA^ANN(MARIE");
    ck_assert_str_eq(msg_begin[0].ref, "1");
    ck_assert(ich_end[0].terminated);
}
END_TEST

START_TEST(test_una_type_b_default_chars_are_data)
{
    run("UNA:(.) -UNB(UNOA:4(SENDER(RECEIVER(240501:0930(REF1-UNH(1(PAXLST:D:05B:UN:IATA-"
        "FTX(AAI(((WHAT?+'-UNT(3(1-UNZ(1(REF1-");
    expect_count(0);
    expect_seg(0, "FTX|AAI|||WHAT?+'");
}
END_TEST

START_TEST(test_no_una_defaults)
{
    run(ICH);
    expect_count(0);
    expect_events("IMSSmi");
    ck_assert(!ich_begin[0].has_una);
    ck_assert_uint_eq(ich_begin[0].offset, 0);
    ps_edi_syntax s = ich_begin[0].syntax;
    ck_assert(s.component == ':' && s.element == '+' && s.release == '?' && s.terminator == '\'');
    expect_seg(1, "NAD|FL|||SMITH^JOHN");
    ck_assert_uint_eq(segs[1].number, 4);
}
END_TEST

/* A malformed UNA: warning naming its offset, then the interchange read with the defaults. */
static void check_malformed_una(const char *una)
{
    char text[1024];
    snprintf(text, sizeof text, "QN GBRRMOK\n%s" ICH, una);
    run_n(text, strlen(text));
    expect_diag("una_malformed", PS_WARNING, 0, strlen("QN GBRRMOK\n"));
    expect_count(1);
    expect_events("IMSSmi");
    ck_assert(!ich_begin[0].has_una);
    ck_assert_int_eq(ich_begin[0].syntax.element, '+');
    ck_assert_int_eq(ich_begin[0].syntax.terminator, '\'');
    expect_seg(1, "NAD|FL|||SMITH^JOHN");
    ck_assert_uint_eq(segs[1].number, 4);
    ck_assert(ich_end[0].terminated);
}

START_TEST(test_una_truncated)
{
    check_malformed_una("UNA:+.");
}
END_TEST

START_TEST(test_una_non_ascii_terminator)
{
    check_malformed_una("UNA:+.? \xC3");
}
END_TEST

START_TEST(test_una_duplicate_chars)
{
    check_malformed_una("UNA::.? '"); /* component = element */
    check_malformed_una("UNA:+.?+'"); /* repetition = element */
    check_malformed_una("UNA:+.: '"); /* release = component */
    check_malformed_una("UNA:+.? +"); /* terminator = element */
}
END_TEST

/* No release character (UNA4 space), and a repetition separator equal to the element one. */
START_TEST(test_una_duplicate_repetition_without_release)
{
    check_malformed_una("UNA:+. +'");
}
END_TEST

START_TEST(test_una_only_input)
{
    run("UNA:+.");
    expect_diag("una_malformed", PS_WARNING, 0, 0);
    ck_assert_int_eq(count_kind("no_interchange") + count_kind("empty_input"), 0);
}
END_TEST

/* ---- release character ---- */

START_TEST(test_release_apostrophe)
{
    run(UNB_OA UNH_("1") "NAD+FL+++D?'SOUZA:ANITA'UNT+3+1'" UNZ_("1"));
    expect_count(0);
    expect_events("IMSmi");
    expect_seg(0, "NAD|FL|||D'SOUZA^ANITA");
}
END_TEST

START_TEST(test_release_release)
{
    run(UNB_OA UNH_("1") "FTX+AAI+++A?\?B'UNT+3+1'" UNZ_("1"));
    expect_count(0);
    expect_seg(0, "FTX|AAI|||A?B");
}
END_TEST

START_TEST(test_release_separator_before_terminator)
{
    run(UNB_OA UNH_("1") "FTX+AAI+++ABC?+'NAD+FL+++X'UNT+4+1'" UNZ_("1"));
    expect_count(0);
    expect_events("IMSSmi");
    expect_seg(0, "FTX|AAI|||ABC+");
    expect_seg(1, "NAD|FL|||X");
    ck_assert_uint_eq(segs[1].offset, at("NAD"));
}
END_TEST

START_TEST(test_release_release_ends_segment)
{
    run(UNB_OA UNH_("1") "FTX+AAI+++ABC?\?'NAD+FL+++X'UNT+4+1'" UNZ_("1"));
    expect_count(0);
    expect_events("IMSSmi");
    expect_seg(0, "FTX|AAI|||ABC?");
    expect_seg(1, "NAD|FL|||X");
}
END_TEST

START_TEST(test_release_in_values)
{
    run(UNB_OA UNH_("1") "FTX+AAI+++A?:B?+C:D+E?\?'UNT+3+1'" UNZ_("1"));
    expect_count(0);
    expect_seg(0, "FTX|AAI|||A:B+C^D|E?");
}
END_TEST

/* A line break inside a value is not data, also right after a release character: the
 * release applies to the next data character (what ps_edi_decode does). */
START_TEST(test_release_line_break_then_terminator)
{
    run(UNB_OA UNH_("1") "FTX+AAI+++D?\n'SOUZA'UNT+3+1'" UNZ_("1"));
    expect_count(0);
    expect_events("IMSmi");
    expect_seg(0, "FTX|AAI|||D'SOUZA");
}
END_TEST

START_TEST(test_release_line_break_then_separator)
{
    run(UNB_OA UNH_("1") "FTX+AAI+++A?\r\n+B:C?\n:D'UNT+3+1'" UNZ_("1"));
    expect_count(0);
    expect_seg(0, "FTX|AAI|||A+B^C:D");
}
END_TEST

START_TEST(test_release_line_break_then_letter)
{
    run(UNB_OA UNH_("1") "FTX+AAI+++A?\nB'UNT+3+1'" UNZ_("1"));
    expect_seg(0, "FTX|AAI|||AB");
}
END_TEST

/* ---- separators between segments ---- */

START_TEST(test_between_segments)
{
    static const char *const seps[] = {"", "\r", "\n", "\r\n", "\r\n  \t", "\n\n\t "};
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
        const char *parts[] = {"UNA:+.? '", UNB_OA,   UNH_("1"), "BGM+745'", "NAD+FL+++SMITH:JOHN'",
                               "UNT+4+1'",  UNZ_("1")};
        char text[1024] = "";
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
            append(text, sizeof text, parts[i], strlen(parts[i]));
            append(text, sizeof text, seps[k], strlen(seps[k]));
        }
        run_n(text, strlen(text));
        expect_count(0);
        expect_events("IMSSmi");
        expect_seg(0, "BGM|745");
        expect_seg(1, "NAD|FL|||SMITH^JOHN");
        ck_assert_uint_eq(segs[1].number, 4);
        ck_assert_uint_eq(segs[1].offset, at("NAD"));
        ck_assert_uint_eq(ich_end[0].segments, 6);
    }
}
END_TEST

START_TEST(test_line_break_inside_value)
{
    run(UNB_OA UNH_("1") "NAD+FL+++SMI\r\nTH:JO\nHN+BA\rKER STREET'UNT+3+1'" UNZ_("1"));
    expect_count(0);
    expect_seg(0, "NAD|FL|||SMITH^JOHN|BAKER STREET");
}
END_TEST

/* ---- framing, trailing data, several interchanges ---- */

START_TEST(test_type_b_header_lines)
{
    run("QN GBRRMOK\r\n.YOWAAXH KL/041643\r\n" TYPEB_ICH "\r\n");
    expect_count(0);
    expect_events("IMSmi");
    ck_assert_uint_eq(ich_begin[0].offset, at("UNA"));
    expect_seg(0, "NAD|FL|||D-SOUZA^ANN(MARIE");
}
END_TEST

START_TEST(test_soh_stx_etx_framing)
{
    run("\x01QN GBRRMOK\r\n.YOWAAXH KL/041643\r\n\x02" TYPEB_ICH "\r\n\x03");
    expect_count(0);
    expect_events("IMSmi");
    expect_seg(0, "NAD|FL|||D-SOUZA^ANN(MARIE");
    run("\x01\x02" ICH "\x03");
    expect_count(0);
    expect_events("IMSSmi");
}
END_TEST

START_TEST(test_trailing_data)
{
    run(ICH "\nGARBAGE AFTER THE END\nMORE\n");
    expect_diag("trailing_data", PS_WARNING, 0, at("GARBAGE"));
    expect_count(1);
    expect_events("IMSSmi");
}
END_TEST

START_TEST(test_several_interchanges)
{
    run(ICH "\n"
            "QN GBRRMOK\n.YOWAAXH KL/041643\n" TYPEB_ICH "\n"
            "UNA:+.? '" ICH);
    expect_count(0);
    expect_events("IMSSmiIMSmiIMSSmi");
    ck_assert_int_eq(n_ich_begin, 3);
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(ich_begin[i].index, (uint32_t)i);
        ck_assert_uint_eq(ich_end[i].index, (uint32_t)i);
        ck_assert(ich_end[i].terminated);
    }
    ck_assert_uint_eq(ich_begin[0].offset, 0);
    ck_assert_uint_eq(ich_begin[1].offset, nth("UNA", 1));
    ck_assert_uint_eq(ich_begin[2].offset, nth("UNA", 2));
    ck_assert_int_eq(ich_begin[1].syntax.element, '(');
    ck_assert_int_eq(ich_begin[2].syntax.element, '+');
    expect_seg(2, "NAD|FL|||D-SOUZA^ANN(MARIE");
    expect_seg(4, "NAD|FL|||SMITH^JOHN");
    ck_assert_uint_eq(segs[4].number, 4); /* numbering restarts per interchange */
}
END_TEST

START_TEST(test_no_interchange)
{
    run("HELLO WORLD\nTHIS IS NOT EDIFACT\n");
    expect_diag("no_interchange", PS_ERROR, 0, 0);
    expect_count(1);
    expect_events("");
}
END_TEST

START_TEST(test_empty_input)
{
    run_n("", 0);
    expect_diag("empty_input", PS_ERROR, 0, 0);
    expect_count(1);
    expect_events("");
}
END_TEST

/* ---- envelope checks ---- */

START_TEST(test_clean_envelope)
{
    run(UNB_OA MSG("1") MSG("2") UNZ_("2"));
    expect_count(0);
    expect_events("IMSSmMSSmi");
}
END_TEST

START_TEST(test_unt_count_mismatch)
{
    run(UNB_OA UNH_("1") "BGM+745'NAD+FL+++SMITH:JOHN'UNT+5+1'" UNZ_("1"));
    expect_diag("unt_count_mismatch", PS_WARNING, 5, at("UNT"));
    expect_count(1);
    expect_events("IMSSmi");
    ck_assert(msg_end[0].terminated);
}
END_TEST

START_TEST(test_unt_reference_mismatch)
{
    run(UNB_OA UNH_("1") "BGM+745'NAD+FL+++SMITH:JOHN'UNT+4+2'" UNZ_("1"));
    expect_diag("unt_reference_mismatch", PS_WARNING, 5, at("UNT"));
    expect_count(1);
}
END_TEST

#define UNG_(ref) "UNG+PAXLST+SENDER+RECEIVER+240501:0930+" ref "+UN+D:05B'"

START_TEST(test_une_ok)
{
    run(UNB_OA UNG_("G1") MSG("1") MSG("2") "UNE+2+G1'" UNZ_("1"));
    expect_count(0);
    expect_events("IMSSmMSSmi");
    ck_assert_uint_eq(ich_end[0].groups, 1);
}
END_TEST

START_TEST(test_une_mismatch)
{
    /* UNB 1, UNG 2, UNH 3, BGM 4, NAD 5, UNT 6, UNE 7, UNZ 8 */
    run(UNB_OA UNG_("G1") MSG("1") "UNE+2+G2'" UNZ_("1"));
    expect_diag("une_count_mismatch", PS_WARNING, 7, at("UNE"));
    expect_diag("une_reference_mismatch", PS_WARNING, 7, at("UNE"));
    expect_count(2);
}
END_TEST

START_TEST(test_unz_count_groups)
{
    run(UNB_OA UNG_("G1") MSG("1") MSG("2") "UNE+2+G1'" UNZ_("1"));
    expect_count(0);
    run(UNB_OA UNG_("G1") MSG("1") MSG("2") "UNE+2+G1'" UNZ_("2"));
    /* UNB 1, UNG 2, 2 x 4, UNE 11, UNZ 12 */
    expect_diag("unz_count_mismatch", PS_WARNING, 12, at("UNZ"));
    expect_count(1);
}
END_TEST

START_TEST(test_unz_count_messages)
{
    run(UNB_OA MSG("1") MSG("2") UNZ_("1"));
    expect_diag("unz_count_mismatch", PS_WARNING, 10, at("UNZ"));
    expect_count(1);
    run(UNB_OA MSG("1") MSG("2") UNZ_("3"));
    expect_diag("unz_count_mismatch", PS_WARNING, 10, at("UNZ"));
    expect_count(1);
}
END_TEST

START_TEST(test_unz_reference_mismatch)
{
    run(UNB_OA MSG("1") "UNZ+1+REF2'");
    expect_diag("unz_reference_mismatch", PS_WARNING, 6, at("UNZ"));
    expect_count(1);
}
END_TEST

START_TEST(test_unz_missing)
{
    run(UNB_OA MSG("1") "\n");
    ck_assert_ptr_nonnull(first_kind("unz_missing"));
    ck_assert_int_eq(first_kind("unz_missing")->severity, PS_WARNING);
    ck_assert_uint_le(first_kind("unz_missing")->offset, input_len);
    expect_count(1);
    expect_events("IMSSmi");
    ck_assert(!ich_end[0].terminated);
    ck_assert(msg_end[0].terminated);
}
END_TEST

START_TEST(test_unt_missing_before_unh)
{
    /* UNB 1, UNH 2, BGM 3, UNH 4, BGM 5, NAD 6, UNT 7, UNZ 8 */
    run(UNB_OA UNH_("1") "BGM+745'" MSG("2") UNZ_("2"));
    expect_diag("unt_missing", PS_ERROR, 2, at("UNH+1"));
    expect_count(1);
    expect_events("IMSmMSSmi");
    ck_assert(!msg_end[0].terminated);
    ck_assert_str_eq(msg_end[0].ref, "1");
    ck_assert_str_eq(msg_begin[1].ref, "2");
    ck_assert_uint_eq(msg_begin[1].segment, 4);
    ck_assert_uint_eq(msg_begin[1].offset, at("UNH+2"));
    ck_assert(msg_end[1].terminated);
    ck_assert_uint_eq(segs[1].number, 5);
    ck_assert_uint_eq(ich_end[0].segments, 8);
}
END_TEST

START_TEST(test_unt_missing_before_unz)
{
    run(UNB_OA UNH_("1") "BGM+745'" UNZ_("1"));
    expect_diag("unt_missing", PS_ERROR, 2, at("UNH"));
    expect_count(1);
    expect_events("IMSmi");
    ck_assert(!msg_end[0].terminated);
    ck_assert(ich_end[0].terminated);
}
END_TEST

START_TEST(test_unt_missing_at_end_of_input)
{
    run(UNB_OA UNH_("1") "BGM+745'");
    expect_diag("unt_missing", PS_ERROR, 2, at("UNH"));
    ck_assert_int_eq(count_kind("unz_missing"), 1);
    expect_count(2);
    expect_events("IMSmi");
    ck_assert(!msg_end[0].terminated);
}
END_TEST

START_TEST(test_duplicate_message_reference)
{
    run(UNB_OA MSG("1") MSG("1") UNZ_("2"));
    expect_diag("duplicate_message_reference", PS_WARNING, 6, nth("UNH", 2));
    expect_count(1);
    expect_events("IMSSmMSSmi");
    /* the same reference in another interchange is fine */
    run(ICH ICH);
    expect_count(0);
}
END_TEST

START_TEST(test_segment_outside_message)
{
    run(UNB_OA "BGM+745'" MSG("1") "NAD+FL+++LOST'" UNZ_("1"));
    expect_diag("segment_outside_message", PS_ERROR, 2, at("BGM"));
    expect_diag("segment_outside_message", PS_ERROR, 7, at("NAD+FL+++LOST"));
    expect_count(2);
    expect_events("IMSSmi");
}
END_TEST

START_TEST(test_unterminated_segment)
{
    run(UNB_OA UNH_("1") "BGM+74");
    expect_diag("unterminated_segment", PS_ERROR, 3, at("BGM"));
    expect_events("IMSmi");
    ck_assert(segs[0].unterminated);
    expect_seg(0, "BGM|74");
    ck_assert_int_eq(count_kind("unterminated_segment"), 1);
}
END_TEST

/* Trailing line breaks and spaces after a cut-off segment are not part of its last value. */
START_TEST(test_unterminated_segment_trailing_blanks)
{
    run(UNB_OA UNH_("1") "BGM+745+CP \r\n");
    expect_diag("unterminated_segment", PS_ERROR, 3, at("BGM"));
    expect_seg(0, "BGM|745|CP");
}
END_TEST

START_TEST(test_invalid_segment_tag)
{
    /* UNB 1, UNH 2, B-G 3, BG 4, NAD 5, UNT 6: the bad ones still count */
    run(UNB_OA UNH_("1") "B-G+745'BG+745'NAD+FL+++X'UNT+5+1'" UNZ_("1"));
    expect_diag("invalid_segment_tag", PS_ERROR, 3, at("B-G"));
    expect_diag("invalid_segment_tag", PS_ERROR, 4, at("BG+"));
    expect_count(2);
    expect_events("IMSmi");
    expect_seg(0, "NAD|FL|||X");
    ck_assert_uint_eq(segs[0].number, 5);
}
END_TEST

START_TEST(test_unh_fields)
{
    run(UNB_OA "UNH+PAX001+PAXLST:D:05B:UN:IATA+XZ877/240501/1700+01:C'BGM+745'UNT+3+PAX001'"
               "UNH+PAX002+PAXLST:D:02B:UN:IATA+XZ877/240501/1700+03:F'BGM+745'UNT+3+PAX002'"
               "UNH+PAX003+CUSRES:D:05B:UN'BGM+745'UNT+3+PAX003'" UNZ_("3"));
    expect_count(0);
    ck_assert_int_eq(n_msg_begin, 3);
    const ps_edi_message *m = &msg_begin[0];
    ck_assert_str_eq(m->ref, "PAX001");
    ck_assert_str_eq(m->type, "PAXLST");
    ck_assert_str_eq(m->version, "D");
    ck_assert_str_eq(m->release, "05B");
    ck_assert_str_eq(m->agency, "UN");
    ck_assert_str_eq(m->association, "IATA");
    ck_assert_str_eq(m->access_ref, "XZ877/240501/1700");
    ck_assert_uint_eq(m->part, 1);
    ck_assert_int_eq(m->part_flag, 'C');
    ck_assert_uint_eq(m->segment, 2);
    ck_assert_uint_eq(m->offset, at("UNH+PAX001"));
    m = &msg_begin[1];
    ck_assert_str_eq(m->ref, "PAX002");
    ck_assert_str_eq(m->release, "02B");
    ck_assert_uint_eq(m->part, 3);
    ck_assert_int_eq(m->part_flag, 'F');
    ck_assert_uint_eq(m->segment, 5);
    m = &msg_begin[2];
    ck_assert_str_eq(m->type, "CUSRES");
    ck_assert_str_eq(m->association, "");
    ck_assert_str_eq(m->access_ref, "");
    ck_assert_uint_eq(m->part, 0);
    ck_assert_int_eq(m->part_flag, 0);
    ck_assert_uint_eq(msg_end[2].segments, 3);
}
END_TEST

START_TEST(test_unb_fields)
{
    run("UNB+UNOA:4+APIS*ABE:ZZ+USADHS:ZZ+240501:0930+000000001++APIS++++1'" MSG(
        "1") "UNZ+1+000000001'");
    expect_count(0);
    const ps_edi_interchange *x = &ich_begin[0];
    ck_assert_str_eq(x->syntax_id, "UNOA");
    ck_assert_str_eq(x->syntax_version, "4");
    ck_assert_int_eq(x->charset, PS_CHARSET_UNOA);
    ck_assert_str_eq(x->sender, "APIS*ABE"); /* '*' is data, not a repetition separator */
    ck_assert_str_eq(x->sender_qualifier, "ZZ");
    ck_assert_str_eq(x->recipient, "USADHS");
    ck_assert_str_eq(x->recipient_qualifier, "ZZ");
    ck_assert_str_eq(x->control_ref, "000000001");
    ck_assert_str_eq(x->application_ref, "APIS");
    ck_assert(x->test);
}
END_TEST

/* References longer than their an..14 field: UNT and UNZ repeat them exactly, so they match. */
START_TEST(test_long_references_equal)
{
    run("UNB+UNOA:4+SENDER+RECEIVER+240501:0930+ABCDEFGHIJKLMNOPQRST'"
        "UNH+MSGREF0123456789XYZ+PAXLST:D:05B:UN:IATA'BGM+745'UNT+3+MSGREF0123456789XYZ'"
        "UNZ+1+ABCDEFGHIJKLMNOPQRST'");
    ck_assert_int_eq(count_kind("unt_reference_mismatch"), 0);
    ck_assert_int_eq(count_kind("unz_reference_mismatch"), 0);
}
END_TEST

/* ---- syntax identifiers and character sets ---- */

START_TEST(test_unoa_lower_case)
{
    /* UNB 1, UNH 2, NAD 3, UNT 4 */
    run(UNB_OA UNH_("1") "NAD+FL+++Smith'UNT+3+1'" UNZ_("1"));
    expect_diag("character_outside_repertoire", PS_WARNING, 3, at("mith"));
    expect_count(1);
    expect_seg(0, "NAD|FL|||Smith");
}
END_TEST

START_TEST(test_unoa_at_sign)
{
    run(UNB_OA UNH_("1") "COM+A@B.COM:EM'UNT+3+1'" UNZ_("1"));
    expect_diag("character_outside_repertoire", PS_WARNING, 3, at("@"));
    expect_count(1);
    ck_assert_str_eq(first_kind("character_outside_repertoire")->tag, "COM");
}
END_TEST

START_TEST(test_unoa_hash_and_latin1)
{
    run(UNB_OA UNH_("1") "FTX+AAI+++NO#1'NAD+FL+++\xC9TIENNE'UNT+4+1'" UNZ_("1"));
    expect_diag("character_outside_repertoire", PS_WARNING, 3, at("#"));
    expect_diag("character_outside_repertoire", PS_WARNING, 4, at("\xC9"));
    expect_count(2);
    expect_seg(1, "NAD|FL|||\xC3\x89TIENNE"); /* still read, as Latin-1 */
}
END_TEST

START_TEST(test_unoa_released_latin1)
{
    run(UNB_OA UNH_("1") "NAD+FL+++?\xC9TIENNE'UNT+3+1'" UNZ_("1"));
    expect_diag("character_outside_repertoire", PS_WARNING, 3, at("\xC9"));
    expect_count(1);
}
END_TEST

START_TEST(test_unoa_full_repertoire_clean)
{
    run(UNB_OA UNH_("1") "FTX+AAI+++AZ09 .,-()/=?'?+?:?\?!\"%&*;<>'UNT+3+1'" UNZ_("1"));
    expect_count(0);
    expect_seg(0, "FTX|AAI|||AZ09 .,-()/='+:?!\"%&*;<>");
}
END_TEST

START_TEST(test_unob_lower_case)
{
    run(UNB_ID("UNOB") UNH_("1") "NAD+FL+++Smith:John'COM+a@b.com:EM'UNT+4+1'" UNZ_("1"));
    expect_count(0);
    ck_assert_int_eq(ich_begin[0].charset, PS_CHARSET_UNOB);
    expect_seg(0, "NAD|FL|||Smith^John");
    expect_seg(1, "COM|a@b.com^EM");
}
END_TEST

START_TEST(test_unoc_latin1)
{
    run(UNB_ID("UNOC") UNH_("1") "NAD+FL+++\xC9TIENNE:J\xD6RG'UNT+3+1'" UNZ_("1"));
    expect_count(0);
    ck_assert_int_eq(ich_begin[0].charset, PS_CHARSET_8859);
    ck_assert_uint_eq(ich_begin[0].charset_part, 1);
    expect_seg(0, "NAD|FL|||\xC3\x89TIENNE^J\xC3\x96RG");
}
END_TEST

START_TEST(test_unoc_latin1_parties)
{
    /* the UNB's own parties are read in the character set it declares */
    run("UNB+UNOC:4+M\xDCNCHEN+RECEIVER+240501:0930+REF1'" UNH_("1") "UNT+2+1'" UNZ_("1"));
    expect_count(0);
    ck_assert_str_eq(ich_begin[0].sender, "M\xC3\x9CNCHEN");
}
END_TEST

START_TEST(test_unoe_cyrillic)
{
    run(UNB_ID("UNOE") UNH_("1") "NAD+FL+++\xB2\xB0\xC1\xB8\xBB\xB8\xB9'UNT+3+1'" UNZ_("1"));
    expect_count(0);
    ck_assert_int_eq(ich_begin[0].charset, PS_CHARSET_8859);
    ck_assert_uint_eq(ich_begin[0].charset_part, 5);
    /* ВАСИЛИЙ (printf '\xb2...' | iconv -f ISO-8859-5 -t UTF-8) */
    expect_seg(0, "NAD|FL|||\xD0\x92\xD0\x90\xD0\xA1\xD0\x98\xD0\x9B\xD0\x98\xD0\x99");
}
END_TEST

START_TEST(test_unow_utf8)
{
    run(UNB_ID("UNOW") UNH_("1") "NAD+FL+++\xC3\x89TIENNE:A\xFF"
                                 "B:\xC3'UNT+3+1'" UNZ_("1"));
    ck_assert_int_eq(ich_begin[0].charset, PS_CHARSET_UTF8);
    expect_seg(0, "NAD|FL|||\xC3\x89TIENNE^A\xEF\xBF\xBD"
                  "B^\xEF\xBF\xBD");
}
END_TEST

START_TEST(test_unow_valid_utf8_no_diags)
{
    run(UNB_ID("UNOW") UNH_("1") "NAD+FL+++\xD0\x92\xC3\x89:\xE2\x82\xAC'UNT+3+1'" UNZ_("1"));
    expect_count(0);
    expect_seg(0, "NAD|FL|||\xD0\x92\xC3\x89^\xE2\x82\xAC");
}
END_TEST

START_TEST(test_syntax_identifier_unknown)
{
    run(UNB_ID("XYZQ") MSG("1") UNZ_("1"));
    const ps_diag *d = first_kind("syntax_identifier_unknown");
    ck_assert_msg(d != NULL, "no syntax_identifier_unknown; diags: %s", dump());
    ck_assert_int_eq(d->severity, PS_WARNING);
    ck_assert_uint_eq(d->segment, 1);
    ck_assert_uint_le(d->offset, at("REF1'")); /* inside the UNB */
    expect_count(1);
    ck_assert_int_eq(ich_begin[0].charset, PS_CHARSET_OTHER);
    expect_events("IMSSmi");
}
END_TEST

START_TEST(test_unb_date_n6_n8)
{
    static const char *const unbs[] = {
        "UNB+UNOA:4+SENDER+RECEIVER+240501:0930+REF1'",
        "UNB+UNOA:4+SENDER+RECEIVER+20240501:0930+REF1'",
    };
    for (int i = 0; i < 2; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s" MSG("1") UNZ_("1"), unbs[i]);
        run_n(text, strlen(text));
        expect_count(0);
        const ps_date *d = &ich_begin[0].prepared;
        ck_assert_int_eq(d->year, 2024);
        ck_assert_uint_eq(d->month, 5);
        ck_assert_uint_eq(d->day, 1);
        ck_assert_uint_eq(d->hour, 9);
        ck_assert_uint_eq(d->minute, 30);
        ck_assert_uint_eq(d->precision, PS_DATE_MINUTE);
    }
}
END_TEST

/* ---- direct use: zero copy, split ---- */

/* Reads until a data segment with this tag; its fields into f. */
static void to_segment(ps_edi_reader *r, const char *tag, ps_edi_fields *f)
{
    for (int guard = 0; guard < 1000; guard++) {
        ps_edi_event ev = ps_edi_next(r);
        ck_assert_msg(ev != PS_EDI_END, "no %s segment", tag);
        if (ev == PS_EDI_SEGMENT && strcmp(r->seg.tag_text, tag) == 0) {
            ps_edi_split(r, &r->seg, f);
            return;
        }
    }
    ck_abort_msg("reader does not reach %s", tag);
}

START_TEST(test_zero_copy)
{
    const char *text = UNB_OA UNH_("1") "NAD+FL+++D?'SOUZA:ANITA+MAIN\nSTREET'UNT+3+1'" UNZ_("1");
    set_input(text, strlen(text));
    ps_edi_reader r;
    ps_edi_reader_init(&r, input, input_len, &diags);
    ps_edi_fields f;
    to_segment(&r, "NAD", &f);

    ps_edi_value clean = ps_edi_get(&f, 4, 2);
    ck_assert(!clean.dirty);
    ps_str s = ps_edi_text(&r, clean, &arena);
    ck_assert(s.ptr == clean.ptr);
    ck_assert(in_input(s.ptr));
    ck_assert_uint_eq((uint64_t)(s.ptr - input), at("ANITA"));
    ck_assert_uint_eq(s.len, 5);
    ck_assert_uint_eq(ps_edi_offset(&r, clean), at("ANITA"));

    ps_edi_value released = ps_edi_get(&f, 4, 1);
    ck_assert(released.dirty);
    ck_assert(in_input(released.ptr));
    s = ps_edi_text(&r, released, &arena);
    ck_assert(!in_input(s.ptr));
    ck_assert_uint_eq(s.len, 7);
    ck_assert(memcmp(s.ptr, "D'SOUZA", 7) == 0);

    ps_edi_value wrapped = ps_edi_get(&f, 5, 1);
    ck_assert(wrapped.dirty);
    s = ps_edi_text(&r, wrapped, &arena);
    ck_assert(!in_input(s.ptr));
    ck_assert_uint_eq(s.len, 10);
    ck_assert(memcmp(s.ptr, "MAINSTREET", 10) == 0);

    char buf[8];
    ck_assert_uint_eq(ps_edi_copy(&r, released, buf, sizeof buf), 7);
    ck_assert_str_eq(buf, "D'SOUZA");
    ck_assert_uint_eq(ps_edi_copy(&r, clean, buf, 4), 3);
    ck_assert_str_eq(buf, "ANI");

    while (ps_edi_next(&r) != PS_EDI_END)
        ;
    expect_count(0);
    ps_edi_reader_free(&r);
}
END_TEST

START_TEST(test_split_positions)
{
    const char *text = UNB_OA UNH_("1") "NAD+FL+++SMITH:JOHN'UNT+3+1'" UNZ_("1");
    set_input(text, strlen(text));
    ps_edi_reader r;
    ps_edi_reader_init(&r, input, input_len, &diags);
    ps_edi_fields f;
    to_segment(&r, "NAD", &f);
    ck_assert_uint_eq(f.n_elements, 4);
    ck_assert_uint_eq(ps_edi_components(&f, 1), 1);
    ck_assert_uint_eq(ps_edi_components(&f, 4), 2);
    ck_assert_uint_eq(ps_edi_components(&f, 5), 0);
    ck_assert_uint_eq(ps_edi_components(&f, 0), 0);
    ps_edi_value v = ps_edi_get(&f, 1, 1);
    ck_assert(v.len == 2 && memcmp(v.ptr, "FL", 2) == 0);
    ck_assert_uint_eq(ps_edi_get(&f, 2, 1).len, 0);
    ck_assert_uint_eq(ps_edi_get(&f, 3, 1).len, 0);
    v = ps_edi_get(&f, 4, 1);
    ck_assert(v.len == 5 && memcmp(v.ptr, "SMITH", 5) == 0);
    ck_assert_uint_eq(ps_edi_offset(&r, v), at("SMITH"));
    v = ps_edi_get(&f, 4, 2);
    ck_assert(v.len == 4 && memcmp(v.ptr, "JOHN", 4) == 0);
    /* absent positions: empty, no pointer */
    v = ps_edi_get(&f, 4, 3);
    ck_assert(v.ptr == NULL && v.len == 0);
    v = ps_edi_get(&f, 5, 1);
    ck_assert(v.ptr == NULL && v.len == 0);
    v = ps_edi_get(&f, 0, 1);
    ck_assert(v.ptr == NULL && v.len == 0);
    v = ps_edi_get(&f, 1, 0);
    ck_assert(v.ptr == NULL && v.len == 0);
    ck_assert_uint_eq(ps_edi_text(&r, ps_edi_get(&f, 9, 9), &arena).len, 0);
    while (ps_edi_next(&r) != PS_EDI_END)
        ;
    expect_count(0);
    ps_edi_reader_free(&r);
}
END_TEST

/* The fields followed by a canary, to see that a split never writes past them. */
typedef struct guarded_fields {
    ps_edi_fields f;
    uint64_t canary[8];
} guarded_fields;

static void split_guarded(const char *segment, guarded_fields *g)
{
    char text[4096];
    snprintf(text, sizeof text, UNB_OA UNH_("1") "%sUNT+3+1'" UNZ_("1"), segment);
    set_input(text, strlen(text));
    ps_diag_list_init(&diags, &arena);
    memset(g, 0, sizeof *g);
    for (int i = 0; i < 8; i++)
        g->canary[i] = 0x5A5A5A5A5A5A5A5Aull;
    ps_edi_reader r;
    ps_edi_reader_init(&r, input, input_len, &diags);
    to_segment(&r, "FTX", &g->f);
    for (int i = 0; i < 8; i++)
        ck_assert(g->canary[i] == 0x5A5A5A5A5A5A5A5Aull);
    while (ps_edi_next(&r) != PS_EDI_END)
        ;
    ps_edi_reader_free(&r);
}

START_TEST(test_split_too_many_elements)
{
    char seg[1024] = "FTX";
    for (int i = 1; i <= 40; i++) {
        char one[16];
        snprintf(one, sizeof one, "+%d", i);
        append(seg, sizeof seg, one, strlen(one));
    }
    append(seg, sizeof seg, "'", 1);
    guarded_fields g;
    split_guarded(seg, &g);
    expect_diag("too_many_values", PS_WARNING, 3, at("FTX"));
    expect_count(1);
    ck_assert_uint_eq(g.f.n_elements, PS_EDI_MAX_ELEMENTS);
    ck_assert_uint_le(g.f.n_values, sizeof g.f.values / sizeof g.f.values[0]);
    ps_edi_value v = ps_edi_get(&g.f, 32, 1);
    ck_assert(v.len == 2 && memcmp(v.ptr, "32", 2) == 0);
    ck_assert(ps_edi_get(&g.f, 33, 1).ptr == NULL);
}
END_TEST

START_TEST(test_split_too_many_values)
{
    char seg[2048] = "FTX+";
    for (int i = 1; i <= 200; i++) {
        char one[16];
        snprintf(one, sizeof one, "%s%d", i > 1 ? ":" : "", i);
        append(seg, sizeof seg, one, strlen(one));
    }
    append(seg, sizeof seg, "+LAST'", 6);
    guarded_fields g;
    split_guarded(seg, &g);
    expect_diag("too_many_values", PS_WARNING, 3, at("FTX"));
    expect_count(1);
    ck_assert_uint_le(g.f.n_values, sizeof g.f.values / sizeof g.f.values[0]);
    ck_assert_uint_le(g.f.n_elements, PS_EDI_MAX_ELEMENTS);
    /* as many components as fit (the tag may take one value), in order */
    unsigned nc = ps_edi_components(&g.f, 1);
    ck_assert_uint_ge(nc, PS_EDI_MAX_VALUES - 2);
    ck_assert_uint_le(nc, PS_EDI_MAX_VALUES);
    char want[16];
    snprintf(want, sizeof want, "%u", nc);
    ps_edi_value v = ps_edi_get(&g.f, 1, nc);
    ck_assert(v.len == strlen(want) && memcmp(v.ptr, want, v.len) == 0);
    ck_assert(ps_edi_get(&g.f, 1, nc + 1).ptr == NULL);
}
END_TEST

START_TEST(test_split_exactly_at_capacity)
{
    char seg[1024] = "FTX";
    for (int i = 1; i <= PS_EDI_MAX_ELEMENTS; i++) {
        char one[16];
        snprintf(one, sizeof one, "+%d", i);
        append(seg, sizeof seg, one, strlen(one));
    }
    append(seg, sizeof seg, "'", 1);
    guarded_fields g;
    split_guarded(seg, &g);
    expect_count(0);
    ck_assert_uint_eq(g.f.n_elements, PS_EDI_MAX_ELEMENTS);
}
END_TEST

static Suite *edifact_suite(void)
{
    Suite *s = suite_create("edifact");
    TCase *una = tcase_create("una");
    tcase_add_checked_fixture(una, setup, teardown);
    tcase_add_test(una, test_una_standard);
    tcase_add_test(una, test_una_star_element_dollar_terminator);
    tcase_add_test(una, test_una_type_b);
    tcase_add_test(una, test_una_type_b_default_chars_are_data);
    tcase_add_test(una, test_no_una_defaults);
    tcase_add_test(una, test_una_truncated);
    tcase_add_test(una, test_una_non_ascii_terminator);
    tcase_add_test(una, test_una_duplicate_chars);
    tcase_add_test(una, test_una_duplicate_repetition_without_release);
    tcase_add_test(una, test_una_only_input);
    suite_add_tcase(s, una);

    TCase *rel = tcase_create("release");
    tcase_add_checked_fixture(rel, setup, teardown);
    tcase_add_test(rel, test_release_apostrophe);
    tcase_add_test(rel, test_release_release);
    tcase_add_test(rel, test_release_separator_before_terminator);
    tcase_add_test(rel, test_release_release_ends_segment);
    tcase_add_test(rel, test_release_in_values);
    tcase_add_test(rel, test_release_line_break_then_terminator);
    tcase_add_test(rel, test_release_line_break_then_separator);
    tcase_add_test(rel, test_release_line_break_then_letter);
    suite_add_tcase(s, rel);

    TCase *sep = tcase_create("separators_and_framing");
    tcase_add_checked_fixture(sep, setup, teardown);
    tcase_add_test(sep, test_between_segments);
    tcase_add_test(sep, test_line_break_inside_value);
    tcase_add_test(sep, test_type_b_header_lines);
    tcase_add_test(sep, test_soh_stx_etx_framing);
    tcase_add_test(sep, test_trailing_data);
    tcase_add_test(sep, test_several_interchanges);
    tcase_add_test(sep, test_no_interchange);
    tcase_add_test(sep, test_empty_input);
    suite_add_tcase(s, sep);

    TCase *env = tcase_create("envelope");
    tcase_add_checked_fixture(env, setup, teardown);
    tcase_add_test(env, test_clean_envelope);
    tcase_add_test(env, test_unt_count_mismatch);
    tcase_add_test(env, test_unt_reference_mismatch);
    tcase_add_test(env, test_une_ok);
    tcase_add_test(env, test_une_mismatch);
    tcase_add_test(env, test_unz_count_groups);
    tcase_add_test(env, test_unz_count_messages);
    tcase_add_test(env, test_unz_reference_mismatch);
    tcase_add_test(env, test_unz_missing);
    tcase_add_test(env, test_unt_missing_before_unh);
    tcase_add_test(env, test_unt_missing_before_unz);
    tcase_add_test(env, test_unt_missing_at_end_of_input);
    tcase_add_test(env, test_duplicate_message_reference);
    tcase_add_test(env, test_segment_outside_message);
    tcase_add_test(env, test_unterminated_segment);
    tcase_add_test(env, test_unterminated_segment_trailing_blanks);
    tcase_add_test(env, test_invalid_segment_tag);
    tcase_add_test(env, test_unh_fields);
    tcase_add_test(env, test_unb_fields);
    tcase_add_test(env, test_long_references_equal);
    suite_add_tcase(s, env);

    TCase *cs = tcase_create("charsets");
    tcase_add_checked_fixture(cs, setup, teardown);
    tcase_add_test(cs, test_unoa_lower_case);
    tcase_add_test(cs, test_unoa_at_sign);
    tcase_add_test(cs, test_unoa_hash_and_latin1);
    tcase_add_test(cs, test_unoa_released_latin1);
    tcase_add_test(cs, test_unoa_full_repertoire_clean);
    tcase_add_test(cs, test_unob_lower_case);
    tcase_add_test(cs, test_unoc_latin1);
    tcase_add_test(cs, test_unoc_latin1_parties);
    tcase_add_test(cs, test_unoe_cyrillic);
    tcase_add_test(cs, test_unow_utf8);
    tcase_add_test(cs, test_unow_valid_utf8_no_diags);
    tcase_add_test(cs, test_syntax_identifier_unknown);
    tcase_add_test(cs, test_unb_date_n6_n8);
    suite_add_tcase(s, cs);

    TCase *sp = tcase_create("split");
    tcase_add_checked_fixture(sp, setup, teardown);
    tcase_add_test(sp, test_zero_copy);
    tcase_add_test(sp, test_split_positions);
    tcase_add_test(sp, test_split_too_many_elements);
    tcase_add_test(sp, test_split_too_many_values);
    tcase_add_test(sp, test_split_exactly_at_capacity);
    suite_add_tcase(s, sp);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(edifact_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
