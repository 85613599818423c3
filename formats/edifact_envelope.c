/* formats/edifact_envelope.c — EDIFACT envelopes: UNB/UNZ, UNG/UNE, UNH/UNT. Reads their
 * headers into the reader and checks every count and control reference, reporting each
 * mismatch as a warning with its segment number and byte offset (ISO 9735; paxlst.md §1.3-1.4).
 * Invariants: at most one message and one group are open; a service segment that arrives
 * while a message is still open closes that message first (as unterminated) and is read
 * again, so the consumer always sees MESSAGE_END before anything of the next message. */
#include "edifact_envelope.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A diag about the current segment, naming its tag and element. */
static ps_diag *warn_at(ps_edi_reader *r, ps_severity sev, const char *kind, unsigned element,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static ps_diag *warn_at(ps_edi_reader *r, ps_severity sev, const char *kind, unsigned element,
                        const char *fmt, ...)
{
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    ps_diag *d = ps_diag_add(r->diags, sev, kind, r->seg.number, r->seg.offset, "%s", text);
    memcpy(d->tag, r->seg.tag_text, 4);
    d->element = (uint16_t)element;
    return d;
}

/* Copies element e, component c into a fixed header field; warns when it does not fit. */
static void header_field(ps_edi_reader *r, const ps_edi_fields *f, unsigned e, unsigned c,
                         char *out, size_t cap, const char *name)
{
    ps_edi_value v = ps_edi_get(f, e, c);
    size_t n = ps_edi_copy(r, v, out, cap);
    if (n == cap - 1 && v.len > cap - 1) {
        ps_diag *d =
            ps_diag_add(r->diags, PS_WARNING, "value_too_long", r->seg.number, ps_edi_offset(r, v),
                        "%s is longer than %zu characters; cut", name, cap - 1);
        memcpy(d->tag, r->seg.tag_text, 4);
        d->element = (uint16_t)e;
        d->component = (uint16_t)c;
    }
}

static bool parse_uint(const char *s, uint32_t *out)
{
    if (!*s)
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = (uint32_t)v;
    return true;
}

static void check_count(ps_edi_reader *r, const ps_edi_fields *f, unsigned e, uint32_t actual,
                        const char *kind, const char *what)
{
    char text[16], buf[128];
    header_field(r, f, e, 1, text, sizeof text, what);
    uint32_t sent;
    if (!parse_uint(text, &sent)) {
        snprintf(buf, sizeof buf, "%u", actual);
        warn_at(r, PS_WARNING, kind, e, "count '%s' is not a number (%s counted)", text, buf);
        return;
    }
    if (sent != actual) {
        ps_diag *d = ps_diag_add(r->diags, PS_WARNING, kind, r->seg.number, r->seg.offset,
                                 "%s says %u, counted %u", what, sent, actual);
        memcpy(d->tag, r->seg.tag_text, 4);
        d->element = (uint16_t)e;
    }
}

static void check_ref(ps_edi_reader *r, const ps_edi_fields *f, unsigned e, const char *expected,
                      const char *kind, const char *opener)
{
    char text[36];
    header_field(r, f, e, 1, text, sizeof text, "control reference");
    if (strcmp(text, expected) != 0) {
        ps_diag *d =
            ps_diag_add(r->diags, PS_WARNING, kind, r->seg.number, r->seg.offset,
                        "control reference '%s' does not match %s '%s'", text, opener, expected);
        memcpy(d->tag, r->seg.tag_text, 4);
        d->element = (uint16_t)e;
    }
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

/* UNB S004: date n6 (YYMMDD) or n8 (CCYYMMDD), time n4 (HHMM). */
static void read_prepared(ps_edi_reader *r, const ps_edi_fields *f)
{
    char date[16], tm[8];
    header_field(r, f, 4, 1, date, sizeof date, "interchange date");
    header_field(r, f, 4, 2, tm, sizeof tm, "interchange time");
    size_t dl = strlen(date), tl = strlen(tm);
    ps_date d = {0};
    if ((dl == 6 || dl == 8) && all_digits(date, dl)) {
        const char *md = date + dl - 4;
        int year = dl == 8 ? (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 +
                                 (date[3] - '0')
                           : ps_year_near((date[0] - '0') * 10 + (date[1] - '0'), NULL);
        d.year = (int16_t)year;
        d.month = (uint8_t)((md[0] - '0') * 10 + (md[1] - '0'));
        d.day = (uint8_t)((md[2] - '0') * 10 + (md[3] - '0'));
        d.precision = PS_DATE_DAY;
        if (tl == 4 && all_digits(tm, 4)) {
            d.hour = (uint8_t)((tm[0] - '0') * 10 + (tm[1] - '0'));
            d.minute = (uint8_t)((tm[2] - '0') * 10 + (tm[3] - '0'));
            d.precision = PS_DATE_MINUTE;
        }
    }
    if (d.precision && ps_date_valid(&d)) {
        r->ich.prepared = d;
    } else if (dl || tl) {
        warn_at(r, PS_WARNING, "invalid_date", 4,
                "interchange date/time '%s:%s' is not YYMMDD or CCYYMMDD with HHMM", date, tm);
    }
}

static void set_charset(ps_edi_reader *r)
{
    if (!r->ich.syntax_id[0]) {
        warn_at(r, PS_WARNING, "syntax_identifier_missing", 1,
                "UNB has no syntax identifier; reading bytes as UTF-8");
    } else if (!ps_edi_charset_select(r->ich.syntax_id, &r->ich.charset, &r->ich.charset_part)) {
        warn_at(r, PS_WARNING, "syntax_identifier_unknown", 1,
                "syntax identifier '%s' is not one this reader knows; reading bytes as UTF-8",
                r->ich.syntax_id);
    }
    ps_edi_classes(&r->ich.syntax, r->ich.charset, r->ich.charset_part, r->cls, &r->decode);
}

void ps_edi_begin_interchange(ps_edi_reader *r, uint64_t offset, const ps_edi_syntax *syn,
                              bool has_una)
{
    memset(&r->ich, 0, sizeof r->ich);
    r->ich.index = r->interchanges++;
    r->ich.offset = offset;
    r->ich.syntax = *syn;
    r->ich.has_una = has_una;
    r->ich.charset = PS_CHARSET_OTHER;
    memset(&r->msg, 0, sizeof r->msg);
    r->in_message = r->in_group = r->grouped = r->ungrouped = false;
    r->announced = r->has_unb = false;
    r->n_refs = 0;
    r->repertoire_warnings = 0;
    /* Until UNB names the character set, read as UTF-8 without repertoire checks. */
    ps_edi_classes(&r->ich.syntax, PS_CHARSET_OTHER, 0, r->cls, &r->decode);
    /* the scanner's comparison vectors; without a release character the terminator stands in */
    memset(r->scan_chars[0], syn->component, 16);
    memset(r->scan_chars[1], syn->element, 16);
    memset(r->scan_chars[2], syn->release != ' ' ? syn->release : syn->terminator, 16);
    memset(r->scan_chars[3], syn->terminator, 16);
}

/* Queues MESSAGE_END for a message that ends without UNT. */
static void abandon_message(ps_edi_reader *r, const char *why)
{
    ps_diag *d = ps_diag_add(r->diags, PS_ERROR, "unt_missing", r->msg.segment, r->msg.offset,
                             "message '%s' (UNH at segment %u) has no UNT: %s; it may be cut off",
                             r->msg.ref, r->msg.segment, why);
    memcpy(d->tag, "UNH", 4);
    r->msg.terminated = false;
    r->in_message = false;
    ps_edi_push(r, PS_EDI_MESSAGE_END);
}

void ps_edi_end_interchange(ps_edi_reader *r, bool terminated)
{
    if (r->in_message)
        abandon_message(r, terminated ? "UNZ came first" : "the interchange ends first");
    if (!terminated) {
        if (!r->announced) { /* nothing was read but a UNA, or an empty implicit envelope */
            r->announced = true;
            ps_edi_push(r, PS_EDI_INTERCHANGE_BEGIN);
        }
        ps_diag_add(r->diags, PS_WARNING, "unz_missing", 0, r->seg.offset,
                    "interchange %u (at byte %llu) has no UNZ", r->ich.index + 1,
                    (unsigned long long)r->ich.offset);
    }
    r->ich.terminated = terminated;
    ps_edi_push(r, PS_EDI_INTERCHANGE_END);
}

void ps_edi_finish_input(ps_edi_reader *r)
{
    if (r->interchanges == 0) {
        bool blank = r->junk_bytes == 0;
        ps_diag_add(r->diags, PS_ERROR, blank ? "empty_input" : "no_interchange", 0, r->junk_offset,
                    blank ? "the input is empty"
                          : "no EDIFACT interchange found: no UNA, UNB or UNH segment at the "
                            "start of any line");
    } else if (r->junk_bytes) {
        ps_diag_add(r->diags, PS_WARNING, "trailing_data", 0, r->junk_offset,
                    "%zu bytes after the last interchange are not EDIFACT; ignored", r->junk_bytes);
    }
}

static uint64_t hash_ref(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h | 1; /* 0 marks an empty slot */
}

/* Records a message reference; false when it was already used in this interchange. */
static bool remember_ref(ps_edi_reader *r, const char *ref)
{
    if (r->n_refs * 2 >= r->cap_refs) {
        uint32_t cap = r->cap_refs ? r->cap_refs * 2 : 64;
        uint64_t *grown = calloc(cap, sizeof *grown);
        if (!grown)
            return true; /* cannot track: do not report */
        for (uint32_t i = 0; i < r->cap_refs; i++) {
            uint64_t h = r->refs[i];
            if (!h)
                continue;
            uint32_t j = (uint32_t)h & (cap - 1);
            while (grown[j])
                j = (j + 1) & (cap - 1);
            grown[j] = h;
        }
        free(r->refs);
        r->refs = grown;
        r->cap_refs = cap;
    }
    if (r->n_refs == 0)
        memset(r->refs, 0, r->cap_refs * sizeof *r->refs);
    uint64_t h = hash_ref(ref);
    uint32_t j = (uint32_t)h & (r->cap_refs - 1);
    while (r->refs[j]) {
        if (r->refs[j] == h)
            return false;
        j = (j + 1) & (r->cap_refs - 1);
    }
    r->refs[j] = h;
    r->n_refs++;
    return true;
}

static void on_unb(ps_edi_reader *r, const ps_edi_fields *f)
{
    r->has_unb = true;
    header_field(r, f, 1, 1, r->ich.syntax_id, sizeof r->ich.syntax_id, "syntax identifier");
    header_field(r, f, 1, 2, r->ich.syntax_version, sizeof r->ich.syntax_version, "syntax version");
    set_charset(r); /* before the parties: a UNOC sender is read as Latin-1 */
    header_field(r, f, 2, 1, r->ich.sender, sizeof r->ich.sender, "sender");
    header_field(r, f, 2, 2, r->ich.sender_qualifier, sizeof r->ich.sender_qualifier,
                 "sender qualifier");
    header_field(r, f, 3, 1, r->ich.recipient, sizeof r->ich.recipient, "recipient");
    header_field(r, f, 3, 2, r->ich.recipient_qualifier, sizeof r->ich.recipient_qualifier,
                 "recipient qualifier");
    read_prepared(r, f);
    header_field(r, f, 5, 1, r->ich.control_ref, sizeof r->ich.control_ref,
                 "interchange control reference");
    header_field(r, f, 7, 1, r->ich.application_ref, sizeof r->ich.application_ref,
                 "application reference");
    char test[4];
    header_field(r, f, 11, 1, test, sizeof test, "test indicator");
    r->ich.test = strcmp(test, "1") == 0;
    if (!r->ich.control_ref[0])
        warn_at(r, PS_WARNING, "control_reference_missing", 5,
                "UNB has no interchange control reference");
}

static void on_unh(ps_edi_reader *r, const ps_edi_fields *f)
{
    ps_edi_message *m = &r->msg;
    memset(m, 0, sizeof *m);
    m->offset = r->seg.offset;
    m->segment = r->seg.number;
    m->segments = 1;
    header_field(r, f, 1, 1, m->ref, sizeof m->ref, "message reference");
    header_field(r, f, 2, 1, m->type, sizeof m->type, "message type");
    header_field(r, f, 2, 2, m->version, sizeof m->version, "message version");
    header_field(r, f, 2, 3, m->release, sizeof m->release, "message release");
    header_field(r, f, 2, 4, m->agency, sizeof m->agency, "controlling agency");
    header_field(r, f, 2, 5, m->association, sizeof m->association, "association code");
    header_field(r, f, 3, 1, m->access_ref, sizeof m->access_ref, "common access reference");
    char seq[8], flag[4];
    header_field(r, f, 4, 1, seq, sizeof seq, "sequence of transfers");
    header_field(r, f, 4, 2, flag, sizeof flag, "first and last transfer");
    uint32_t part;
    if (seq[0] && parse_uint(seq, &part) && part > 0 && part < 65536)
        m->part = (uint16_t)part;
    else if (seq[0])
        warn_at(r, PS_WARNING, "invalid_part_number", 4,
                "sequence of transfers '%s' is not a number from 1 to 65535", seq);
    if ((flag[0] == 'C' || flag[0] == 'F') && flag[1] == '\0')
        m->part_flag = flag[0];
    else if (flag[0])
        warn_at(r, PS_WARNING, "invalid_part_flag", 4,
                "first and last transfer '%s' is neither C nor F", flag);
    if (!m->ref[0])
        warn_at(r, PS_WARNING, "message_reference_missing", 1, "UNH has no message reference");
    else if (!remember_ref(r, m->ref))
        warn_at(r, PS_WARNING, "duplicate_message_reference", 1,
                "message reference '%s' is used twice in this interchange", m->ref);
    if (!m->type[0])
        warn_at(r, PS_WARNING, "message_type_missing", 2, "UNH has no message type");
    r->ich.messages++;
    if (r->in_group)
        r->group_messages++;
    else
        r->ungrouped = true;
    r->in_message = true;
}

ps_edi_event ps_edi_service_segment(ps_edi_reader *r)
{
    ps_edi_segment *s = &r->seg;
    const ps_edi_fields *f = &r->fields;
    bool service = s->ptr[0] == 'U' && s->ptr[1] == 'N';
    uint32_t tag = s->tag;
    if (service && r->in_message &&
        (tag == PS_TAG('U', 'N', 'H') || tag == PS_TAG('U', 'N', 'G') ||
         tag == PS_TAG('U', 'N', 'E') || tag == PS_TAG('U', 'N', 'Z'))) {
        /* Close the open message first, then read this segment again. */
        abandon_message(r, tag == PS_TAG('U', 'N', 'H') ? "a new UNH came first"
                                                        : "an envelope segment came first");
        r->pos = s->offset;
        r->ich.segments--;
        return PS_EDI_END;
    }
    if (!r->announced && tag != PS_TAG('U', 'N', 'B')) {
        r->announced = true;
        if (!r->has_unb && r->ich.has_una) /* a bare UNH was reported when it was found */
            warn_at(r, PS_WARNING, "unb_missing", 0, "interchange has no UNB before segment %s",
                    s->tag_text);
        r->pos = s->offset;
        r->ich.segments--;
        return PS_EDI_INTERCHANGE_BEGIN;
    }
    switch (tag) {
    case PS_TAG('U', 'N', 'B'):
        if (s->number != 1 && r->has_unb)
            warn_at(r, PS_WARNING, "unexpected_segment", 0, "second UNB in one interchange");
        on_unb(r, f);
        r->announced = true;
        return PS_EDI_INTERCHANGE_BEGIN;
    case PS_TAG('U', 'N', 'G'):
        if (r->in_group)
            warn_at(r, PS_WARNING, "une_missing", 0, "group '%s' has no UNE before this UNG",
                    r->group_ref);
        header_field(r, f, 5, 1, r->group_ref, sizeof r->group_ref, "group reference");
        r->in_group = r->grouped = true;
        r->group_messages = 0;
        r->group_segment = s->number;
        r->ich.groups++;
        return PS_EDI_END;
    case PS_TAG('U', 'N', 'E'):
        if (!r->in_group) {
            warn_at(r, PS_WARNING, "une_without_ung", 0, "UNE without an open UNG");
            return PS_EDI_END;
        }
        check_count(r, f, 1, r->group_messages, "une_count_mismatch", "UNE number of messages");
        check_ref(r, f, 2, r->group_ref, "une_reference_mismatch", "UNG");
        r->in_group = false;
        return PS_EDI_END;
    case PS_TAG('U', 'N', 'H'):
        on_unh(r, f);
        return PS_EDI_MESSAGE_BEGIN;
    case PS_TAG('U', 'N', 'T'):
        if (!r->in_message) {
            warn_at(r, PS_WARNING, "unt_without_unh", 0, "UNT without an open UNH");
            return PS_EDI_END;
        }
        r->msg.segments++;
        check_count(r, f, 1, r->msg.segments, "unt_count_mismatch",
                    "UNT number of segments (UNH to UNT)");
        check_ref(r, f, 2, r->msg.ref, "unt_reference_mismatch", "UNH");
        r->msg.terminated = true;
        r->in_message = false;
        return PS_EDI_MESSAGE_END;
    case PS_TAG('U', 'N', 'Z'):
        if (r->in_group)
            warn_at(r, PS_WARNING, "une_missing", 0, "group '%s' has no UNE before UNZ",
                    r->group_ref);
        if (r->grouped && r->ungrouped)
            warn_at(r, PS_WARNING, "mixed_groups", 0,
                    "interchange mixes grouped and ungrouped messages");
        check_count(r, f, 1, r->grouped ? r->ich.groups : r->ich.messages, "unz_count_mismatch",
                    r->grouped ? "UNZ number of groups" : "UNZ number of messages");
        if (r->has_unb)
            check_ref(r, f, 2, r->ich.control_ref, "unz_reference_mismatch", "UNB");
        r->in_group = false;
        ps_edi_end_interchange(r, true);
        r->state = PS_EDI_STATE_OUTSIDE;
        return PS_EDI_END;
    default:
        break;
    }
    if (!r->in_message) {
        ps_diag *d =
            ps_diag_add(r->diags, PS_ERROR, "segment_outside_message", s->number, s->offset,
                        "segment %s is not inside a UNH..UNT message; skipped", s->tag_text);
        memcpy(d->tag, s->tag_text, 4);
        return PS_EDI_END;
    }
    r->msg.segments++;
    return PS_EDI_SEGMENT;
}
