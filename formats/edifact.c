/* formats/edifact.c — the EDIFACT reader: finding interchanges in a byte stream (UNA, Type-B
 * headers, framing, trailing data), cutting segments at unreleased terminators, splitting
 * segments into values, and turning values into UTF-8 text.
 * Envelope segments are checked in edifact_envelope.c. */
#include "edifact_envelope.h"

#include <string.h>

const ps_edi_syntax ps_edi_default_syntax = {':', '+', '.', '?', ' ', '\''};

void ps_edi_reader_init(ps_edi_reader *r, const char *data, size_t len, ps_diag_list *diags)
{
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->diags = diags;
    r->state = PS_EDI_STATE_OUTSIDE;
    r->ich.syntax = ps_edi_default_syntax;
}

void ps_edi_reader_free(ps_edi_reader *r)
{
    free(r->refs);
    r->refs = NULL;
}

void ps_edi_push(ps_edi_reader *r, ps_edi_event ev)
{
    if (r->n_pending < (int)(sizeof r->pending / sizeof r->pending[0]))
        r->pending[r->n_pending++] = ev;
}

static bool is_alnum_upper(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A UNA service string: 9 bytes "UNA" + 6 service characters, each printable ASCII that is
 * not a letter or digit (the terminator may also be CR or LF), the active ones distinct. */
static bool una_valid(const char *p, size_t avail, ps_edi_syntax *out)
{
    if (avail < 9)
        return false;
    const unsigned char *c = (const unsigned char *)p + 3;
    for (int i = 0; i < 6; i++) {
        bool printable =
            c[i] >= 0x20 && c[i] < 0x7F && !is_alnum_upper(c[i]) && !(c[i] >= 'a' && c[i] <= 'z');
        bool line_break = i == 5 && (c[i] == '\n' || c[i] == '\r');
        if (!printable && !line_break)
            return false;
    }
    ps_edi_syntax s = {(char)c[0], (char)c[1], (char)c[2], (char)c[3], (char)c[4], (char)c[5]};
    /* the characters in use: a space for release or repetition means "none" */
    char active[5] = {s.component, s.element, s.terminator};
    int n_active = 3;
    if (s.release != ' ')
        active[n_active++] = s.release;
    if (s.repetition != ' ')
        active[n_active++] = s.repetition;
    if (s.component == ' ' || s.element == ' ' || s.terminator == ' ')
        return false;
    for (int i = 0; i < n_active; i++)
        for (int j = i + 1; j < n_active; j++)
            if (active[i] == active[j])
                return false;
    *out = s;
    return true;
}

static bool at_segment(const char *p, size_t avail, const char *tag)
{
    return avail >= 4 && memcmp(p, tag, 3) == 0 && !is_alnum_upper((unsigned char)p[3]);
}

static size_t skip_blank(const char *p, size_t pos, size_t len)
{
    while (pos < len) {
        unsigned char c = (unsigned char)p[pos];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != 0x01 && c != 0x02 &&
            c != 0x03 && c != 0x04 && c != 0x1A)
            break;
        pos++;
    }
    return pos;
}

/* Outside an interchange: skips framing and Type-B header lines up to the next UNA/UNB (or a
 * bare UNH, which opens an interchange without envelope). Returns false at end of input. */
static bool find_interchange(ps_edi_reader *r)
{
    const char *p = r->data;
    size_t len = r->len;
    for (;;) {
        size_t pos = skip_blank(p, r->pos, len);
        r->pos = pos;
        if (pos >= len)
            return false;
        const char *at = p + pos;
        size_t avail = len - pos;
        if (avail >= 3 && memcmp(at, "UNA", 3) == 0) {
            ps_edi_syntax syn;
            if (una_valid(at, avail, &syn)) {
                ps_edi_begin_interchange(r, pos, &syn, true);
                r->pos = pos + 9;
            } else {
                ps_diag_add(r->diags, PS_WARNING, "una_malformed", 0, pos,
                            "UNA service string advice is malformed (needs 6 distinct service "
                            "characters, printable ASCII); using the defaults :+.? '");
                const char *unb = memmem(at + 3, avail - 3, "UNB", 3);
                size_t next = unb ? (size_t)(unb - p) : len;
                ps_edi_begin_interchange(r, pos, &ps_edi_default_syntax, false);
                r->pos = next;
            }
            return true;
        }
        if (at_segment(at, avail, "UNB")) {
            ps_edi_begin_interchange(r, pos, &ps_edi_default_syntax, false);
            return true;
        }
        if (at_segment(at, avail, "UNH")) {
            ps_diag_add(r->diags, PS_WARNING, "unb_missing", 0, pos,
                        "message without interchange envelope: UNH found where UNA or UNB was "
                        "expected");
            ps_edi_begin_interchange(r, pos, &ps_edi_default_syntax, false);
            r->ich.segments = 0;
            return true;
        }
        /* A header line (Type-B address/origin lines) or other text: skip to the next line. */
        const char *nl = memchr(at, '\n', avail);
        size_t end = nl ? (size_t)(nl - p) + 1 : len;
        if (!r->junk_bytes)
            r->junk_offset = pos;
        r->junk_bytes += end - pos;
        r->pos = end;
    }
}

/* Cuts the next segment at an unreleased terminator and splits it into r->fields in the
 * same pass. Returns false at end of input. */
static bool next_segment(ps_edi_reader *r)
{
    const ps_edi_syntax *syn = &r->ich.syntax;
    const char *p = r->data;
    size_t len = r->len;
    size_t pos = r->pos;
    while (pos < len) { /* line breaks and indentation between segments */
        char c = p[pos];
        if ((c != ' ' && c != '\t' && c != '\r' && c != '\n') || c == syn->terminator)
            break;
        pos++;
    }
    if (pos >= len) {
        r->pos = len;
        return false;
    }
    ps_edi_segment *s = &r->seg;
    size_t end = ps_edi_scan(r, pos, len, &r->fields, &r->bad_at);
    s->ptr = p + pos;
    s->offset = pos;
    s->unterminated = end >= len;
    s->len = end - pos;
    r->pos = end < len ? end + 1 : len;
    if (s->unterminated) { /* trailing blanks are not part of a cut-off segment */
        size_t full = s->len;
        while (s->len && (s->ptr[s->len - 1] == '\n' || s->ptr[s->len - 1] == '\r' ||
                          s->ptr[s->len - 1] == ' '))
            s->len--;
        if (s->len != full)
            ps_edi_scan(r, pos, pos + s->len, &r->fields, &r->bad_at);
    }
    unsigned char t0 = s->len > 0 ? (unsigned char)s->ptr[0] : 0;
    unsigned char t1 = s->len > 1 ? (unsigned char)s->ptr[1] : 0;
    unsigned char t2 = s->len > 2 ? (unsigned char)s->ptr[2] : 0;
    s->tag = PS_TAG(t0, t1, t2);
    s->tag_text[0] = (char)t0;
    s->tag_text[1] = (char)t1;
    s->tag_text[2] = (char)t2;
    s->tag_text[3] = '\0';
    return true;
}

/* A byte outside the declared repertoire in r->seg: a warning, a few per interchange. */
static void report_repertoire(ps_edi_reader *r)
{
    if (r->repertoire_warnings >= PS_EDI_REPERTOIRE_WARNINGS)
        return;
    r->repertoire_warnings++;
    const ps_edi_segment *s = &r->seg;
    unsigned char b = (unsigned char)r->data[r->bad_at];
    ps_diag *d = ps_diag_add(r->diags, PS_WARNING, "character_outside_repertoire", s->number,
                             r->bad_at, "byte 0x%02X in segment %s is outside the %s repertoire%s",
                             b, s->tag_text, r->ich.syntax_id[0] ? r->ich.syntax_id : "declared",
                             r->repertoire_warnings == PS_EDI_REPERTOIRE_WARNINGS
                                 ? " (further such warnings in this interchange are not listed)"
                                 : "");
    memcpy(d->tag, s->tag_text, 4);
}

static bool tag_valid(const ps_edi_segment *s, const ps_edi_syntax *syn)
{
    if (s->len < 3 || !is_alnum_upper((unsigned char)s->ptr[0]) ||
        !is_alnum_upper((unsigned char)s->ptr[1]) || !is_alnum_upper((unsigned char)s->ptr[2]))
        return false;
    return s->len == 3 || s->ptr[3] == syn->element || s->ptr[3] == syn->component;
}

ps_edi_event ps_edi_next(ps_edi_reader *r)
{
    for (;;) {
        if (r->n_pending) {
            ps_edi_event ev = r->pending[0];
            r->n_pending--;
            memmove(r->pending, r->pending + 1, (size_t)r->n_pending * sizeof r->pending[0]);
            return ev;
        }
        if (r->state == PS_EDI_STATE_DONE)
            return PS_EDI_END;
        if (r->state == PS_EDI_STATE_OUTSIDE) {
            if (!find_interchange(r)) {
                ps_edi_finish_input(r);
                r->state = PS_EDI_STATE_DONE;
                continue;
            }
            r->junk_bytes = 0;
            r->state = PS_EDI_STATE_INSIDE;
            continue;
        }
        if (!next_segment(r)) {
            ps_edi_end_interchange(r, false);
            r->state = PS_EDI_STATE_OUTSIDE;
            continue;
        }
        ps_edi_segment *s = &r->seg;
        /* A new interchange starting where this one has not ended. */
        if (s->tag == PS_TAG('U', 'N', 'A') || s->tag == PS_TAG('U', 'N', 'B')) {
            if (r->ich.segments > 0 || s->tag == PS_TAG('U', 'N', 'A')) {
                ps_edi_end_interchange(r, false);
                r->pos = s->offset;
                r->state = PS_EDI_STATE_OUTSIDE;
                continue;
            }
        }
        r->ich.segments++;
        s->number = r->ich.segments;
        bool valid = tag_valid(s, &r->ich.syntax);
        if (r->bad_at != UINT64_MAX && valid) /* a bad tag is reported as such below */
            report_repertoire(r);
        if (r->fields.overflow && valid) {
            ps_diag *d = ps_diag_add(r->diags, PS_WARNING, "too_many_values", s->number, s->offset,
                                     "segment %s has more than %d elements or %d values; the "
                                     "rest is ignored",
                                     s->tag_text, PS_EDI_MAX_ELEMENTS, PS_EDI_MAX_VALUES);
            memcpy(d->tag, s->tag_text, 4);
        }
        if (s->unterminated)
            ps_diag_add(r->diags, PS_ERROR, "unterminated_segment", s->number, s->offset,
                        "input ends inside segment %s: no segment terminator '%c'", s->tag_text,
                        r->ich.syntax.terminator);
        if (valid && r->in_message && !(s->ptr[0] == 'U' && s->ptr[1] == 'N')) {
            r->msg.segments++; /* the common case: a data segment of the open message */
            return PS_EDI_SEGMENT;
        }
        if (!valid) {
            ps_diag_add(r->diags, PS_ERROR, "invalid_segment_tag", s->number, s->offset,
                        "segment %u does not start with a three-character tag (A-Z, 0-9) "
                        "followed by a separator; %zu bytes skipped",
                        s->number, s->len);
            if (r->in_message)
                r->msg.segments++;
            continue;
        }
        ps_edi_event ev = ps_edi_service_segment(r);
        if (ev != PS_EDI_END)
            return ev;
    }
}
