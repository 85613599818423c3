/* tests/fuzz/fuzz_edifact.c — libFuzzer target for the EDIFACT syntax layer
 * (formats/edifact*.c): runs a ps_edi_reader over any bytes to END, re-splits every data
 * segment with ps_edi_split and decodes every value with ps_edi_text and ps_edi_copy, and
 * aborts when an invariant breaks: too many events (a hang), events out of order, values or
 * diags outside the input, decoded text that is not UTF-8 or still holds line breaks. */
#include "paxscreen/edifact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void require(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_edifact: invariant failed: %s\n", what);
        abort();
    }
}

static bool terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

static bool valid_utf8(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t need;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1, cp = c & 0x1F, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2, cp = c & 0x0F, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (i + need >= n)
            return false;
        for (size_t k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += need + 1;
    }
    return true;
}

static bool same_fields(const ps_edi_fields *a, const ps_edi_fields *b)
{
    if (a->n_elements != b->n_elements || a->n_values != b->n_values)
        return false;
    for (unsigned e = 0; e <= a->n_elements + 1u && e < PS_EDI_MAX_ELEMENTS + 2u; e++)
        if (a->first[e] != b->first[e])
            return false;
    for (unsigned i = 0; i < a->n_values; i++)
        if (a->values[i].ptr != b->values[i].ptr || a->values[i].len != b->values[i].len ||
            a->values[i].dirty != b->values[i].dirty)
            return false;
    return true;
}

static void check_value(ps_edi_reader *r, ps_edi_value v, ps_arena *arena)
{
    const char *begin = r->data, *end = r->data + r->len;
    const ps_edi_syntax *syn = &r->ich.syntax;
    require(v.ptr != NULL, "a present value has a pointer");
    require(v.ptr >= begin && v.ptr + v.len <= end, "value lies inside the input");
    require(ps_edi_offset(r, v) <= r->len, "value offset within the input");

    ps_str t = ps_edi_text(r, v, arena);
    require(t.len == 0 || t.ptr != NULL, "text has a pointer");
    bool breaks_are_data = syn->terminator == '\r' || syn->terminator == '\n';
    if (!v.dirty) {
        require(t.ptr == v.ptr && t.len == v.len, "a clean value is returned without copying");
        for (size_t i = 0; i < t.len; i++) {
            unsigned char c = (unsigned char)t.ptr[i];
            require(c < 0x80, "a clean value is ASCII");
            require(c != '\r' && c != '\n', "a clean value holds no line break");
            require(c != (unsigned char)syn->component && c != (unsigned char)syn->element &&
                        c != (unsigned char)syn->terminator,
                    "a clean value holds no separator");
            require(syn->release == ' ' || c != (unsigned char)syn->release,
                    "a clean value holds no release character");
        }
    } else {
        require(t.len <= (size_t)v.len * 3, "decoded text at most 3 bytes per input byte");
        require(valid_utf8((const unsigned char *)t.ptr, t.len), "decoded text is UTF-8");
        if (!breaks_are_data)
            require(memchr(t.ptr ? t.ptr : "", '\n', t.len) == NULL &&
                        memchr(t.ptr ? t.ptr : "", '\r', t.len) == NULL,
                    "decoded text holds no line break");
    }

    char buf[64];
    size_t n = ps_edi_copy(r, v, buf, sizeof buf);
    require(n < sizeof buf && buf[n] == '\0', "ps_edi_copy terminates within its buffer");
    require(n <= t.len && (n == 0 || memcmp(buf, t.ptr, n) == 0),
            "ps_edi_copy gives a prefix of ps_edi_text");
    if (v.len <= 256)
        require(n == (t.len < sizeof buf - 1 ? t.len : sizeof buf - 1),
                "ps_edi_copy gives as much of ps_edi_text as fits");
}

static void check_segment(ps_edi_reader *r, ps_arena *arena)
{
    const ps_edi_segment *s = &r->seg;
    require(s->ptr == r->data + s->offset, "segment pointer matches its offset");
    require(s->offset + s->len <= r->len, "segment lies inside the input");
    require(s->number >= 1, "segment numbers start at 1");
    require(s->len >= 3, "a data segment has a tag");
    for (int i = 0; i < 3; i++) {
        char c = s->ptr[i];
        require((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'), "a data segment's tag is valid");
        require(s->tag_text[i] == c, "tag_text is the tag");
    }
    require(s->tag_text[3] == '\0', "tag_text is terminated");
    require(s->tag == PS_TAG(s->ptr[0], s->ptr[1], s->ptr[2]), "tag is packed from the tag");

    const ps_edi_fields *rf = &r->fields;
    require(rf->n_elements <= PS_EDI_MAX_ELEMENTS, "at most PS_EDI_MAX_ELEMENTS elements");
    require(rf->n_values <= sizeof rf->values / sizeof rf->values[0], "values within capacity");

    ps_edi_fields f;
    ps_edi_split(r, s, &f);
    require(same_fields(rf, &f), "ps_edi_split agrees with the reader's split");

    for (const ps_edi_fields *fp = rf;; fp = &f) {
        for (unsigned e = 1; e <= fp->n_elements; e++) {
            unsigned nc = ps_edi_components(fp, e);
            require(nc <= PS_EDI_MAX_VALUES, "component count within capacity");
            for (unsigned c = 1; c <= nc; c++)
                check_value(r, ps_edi_get(fp, e, c), arena);
            require(ps_edi_get(fp, e, nc + 1).ptr == NULL, "no component past the last");
        }
        require(ps_edi_get(fp, fp->n_elements + 1, 1).ptr == NULL, "no element past the last");
        require(ps_edi_components(fp, fp->n_elements + 1) == 0, "no components past the last");
        if (fp == &f)
            break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so a read past the end is caught. */
    char *text = malloc(size ? size : 1);
    if (size)
        memcpy(text, data, size);
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_arena values;
    ps_arena_init(&values);

    ps_edi_reader r;
    ps_edi_reader_init(&r, text, size, &diags);
    uint64_t limit = 4 * (uint64_t)size + 16, n_events = 0;
    bool in_ich = false, in_msg = false;
    uint32_t next_index = 0;
    for (;;) {
        ps_edi_event ev = ps_edi_next(&r);
        require(++n_events <= limit, "more than 4*size+16 events: the reader hangs");
        if (ev == PS_EDI_END) {
            require(!in_ich && !in_msg, "END only outside interchanges and messages");
            break;
        }
        switch (ev) {
        case PS_EDI_INTERCHANGE_BEGIN:
            require(!in_ich && !in_msg, "INTERCHANGE_BEGIN only between interchanges");
            require(r.ich.index == next_index++, "interchanges are numbered 0, 1, 2, ...");
            require(r.ich.offset <= size, "interchange offset within the input");
            require(terminated(r.ich.syntax_id, sizeof r.ich.syntax_id) &&
                        terminated(r.ich.syntax_version, sizeof r.ich.syntax_version) &&
                        terminated(r.ich.sender, sizeof r.ich.sender) &&
                        terminated(r.ich.sender_qualifier, sizeof r.ich.sender_qualifier) &&
                        terminated(r.ich.recipient, sizeof r.ich.recipient) &&
                        terminated(r.ich.recipient_qualifier, sizeof r.ich.recipient_qualifier) &&
                        terminated(r.ich.control_ref, sizeof r.ich.control_ref) &&
                        terminated(r.ich.application_ref, sizeof r.ich.application_ref),
                    "interchange header strings are terminated");
            require(r.ich.prepared.precision == PS_DATE_NONE || ps_date_valid(&r.ich.prepared),
                    "UNB date is valid or absent");
            in_ich = true;
            break;
        case PS_EDI_INTERCHANGE_END:
            require(in_ich && !in_msg, "INTERCHANGE_END closes an open interchange, no message");
            require(r.ich.index + 1 == next_index, "INTERCHANGE_END for the open interchange");
            in_ich = false;
            break;
        case PS_EDI_MESSAGE_BEGIN:
            require(in_ich && !in_msg, "MESSAGE_BEGIN inside an interchange, after MESSAGE_END");
            require(r.msg.offset < size, "UNH offset within the input");
            require(r.msg.segment >= 1, "UNH has a segment number");
            require(terminated(r.msg.ref, sizeof r.msg.ref) &&
                        terminated(r.msg.type, sizeof r.msg.type) &&
                        terminated(r.msg.version, sizeof r.msg.version) &&
                        terminated(r.msg.release, sizeof r.msg.release) &&
                        terminated(r.msg.agency, sizeof r.msg.agency) &&
                        terminated(r.msg.association, sizeof r.msg.association) &&
                        terminated(r.msg.access_ref, sizeof r.msg.access_ref),
                    "message header strings are terminated");
            require(r.msg.part_flag == 0 || r.msg.part_flag == 'C' || r.msg.part_flag == 'F',
                    "part flag is C, F or none");
            in_msg = true;
            break;
        case PS_EDI_MESSAGE_END:
            require(in_ich && in_msg, "MESSAGE_END closes an open message");
            in_msg = false;
            break;
        case PS_EDI_SEGMENT:
            require(in_ich && in_msg, "data segments only inside a message");
            check_segment(&r, &values);
            break;
        default:
            require(false, "unknown event");
        }
    }
    require(ps_edi_next(&r) == PS_EDI_END, "END stays END");

    for (uint32_t i = 0; i < diags.count; i++) {
        const ps_diag *d = &diags.items[i];
        require(d->offset <= size, "diag offset within the input");
        require(d->kind != NULL && d->kind[0] != '\0', "diag has a kind");
        require(d->severity == PS_WARNING || d->severity == PS_ERROR, "diag severity");
        require(d->message.len > 0 && d->message.ptr != NULL, "diag has a message");
        require(terminated(d->tag, sizeof d->tag), "diag tag is terminated");
    }
    if (size == 0)
        require(diags.count == 1 && strcmp(diags.items[0].kind, "empty_input") == 0,
                "empty input gives one empty_input error");

    ps_edi_reader_free(&r);
    ps_arena_free(&values);
    ps_arena_free(&arena);
    free(text);
    return 0;
}
