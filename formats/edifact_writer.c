/* formats/edifact_writer.c — writing EDIFACT segments: the service characters (UNA),
 * release escaping, character sets (UNOA upper case, UNOB, ISO 8859 parts through the reader's
 * tables, UTF-8), trailing empty elements and components cut, segment counts, and the UNB of an
 * answer (parties swapped). The CUSRES and CONTRL writers are built on it. Owns nothing but what
 * it writes into the caller's ps_buf.
 *
 * ISO 9735 syntax (UNA six characters, release before any service character, empty trailing
 * elements and components cut, UNB layout): paxlst.md §1.1-1.3, the same rules the reader in
 * edifact*.c implements. */
#include "edifact_internal.h"
#include "paxscreen/edifact_writer.h"
#include "paxscreen/text.h"

#include <stdio.h>
#include <string.h>

const char *ps_edi_answer_syntax(const char *received_id, ps_edi_charset *cs, uint8_t *part)
{
    if (received_id && ps_edi_charset_select(received_id, cs, part))
        return received_id;
    *cs = PS_CHARSET_UNOA;
    *part = 0;
    return "UNOA";
}

/* ---- the segment writer ---- */

void ps_edi_writer_init(ps_edi_writer *w, ps_buf *out, const ps_edi_syntax *syntax,
                        ps_edi_charset charset, uint8_t charset_part)
{
    static const ps_edi_syntax defaults = {':', '+', '.', '?', ' ', '\''};
    memset(w, 0, sizeof *w);
    w->out = out;
    w->syntax = syntax && syntax->release != ' ' ? *syntax : defaults;
    w->charset = charset;
    w->charset_part = charset_part;
    if (charset == PS_CHARSET_8859) { /* the reader's table, byte -> code point */
        uint8_t cls[256];
        ps_edi_classes(&w->syntax, charset, charset_part, cls, &w->table);
    }
}

void ps_edi_write_una(ps_edi_writer *w)
{
    const ps_edi_syntax *s = &w->syntax;
    char una[9] = {'U',        'N',        'A',           s->component, s->element,
                   s->decimal, s->release, s->repetition, s->terminator};
    ps_buf_append(w->out, una, sizeof una);
}

void ps_edi_write_tag(ps_edi_writer *w, const char *tag)
{
    ps_buf_append(w->out, tag, 3);
    w->pending_elements = w->pending_components = 0;
}

static bool is_service(const ps_edi_writer *w, unsigned char c)
{
    const ps_edi_syntax *s = &w->syntax;
    return c == (unsigned char)s->component || c == (unsigned char)s->element ||
           c == (unsigned char)s->release || c == (unsigned char)s->terminator ||
           (s->repetition != ' ' && c == (unsigned char)s->repetition);
}

/* One ASCII byte of data, released when it is a service character. */
static void put_ascii(ps_edi_writer *w, unsigned char c)
{
    if (is_service(w, c))
        ps_buf_putc(w->out, w->syntax.release);
    ps_buf_putc(w->out, (char)c);
}

static void substitute(ps_edi_writer *w)
{
    put_ascii(w, '?');
    w->substituted++;
}

/* UNOA: upper case letters, digits, space and . , - ( ) / = ' + : ? ! " % & * ; < >
 * (paxlst.md §1.2; the set edifact_charset.c checks). */
static bool unoa_char(unsigned c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr(" .,-()/='+:?!\"%&*;<>", (int)c) != NULL);
}

/* The ISO 8859 byte for code point cp in the writer's table, or 0. */
static unsigned char byte_8859(const ps_edi_writer *w, uint32_t cp)
{
    for (int b = 0xA0; b < 0x100; b++)
        if (w->table[b - 0x80] == cp)
            return (unsigned char)b;
    return 0;
}

/* One code point (n bytes of valid UTF-8 at p) in the writer's repertoire. */
static void put_char(ps_edi_writer *w, const unsigned char *p, size_t n, uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) { /* controls: never data */
        substitute(w);
        return;
    }
    switch (w->charset) {
    case PS_CHARSET_UNOA:
        if (cp >= 'a' && cp <= 'z') {
            put_ascii(w, (unsigned char)(cp - 'a' + 'A'));
            w->substituted++;
        } else if (cp < 0x80 && unoa_char(cp)) {
            put_ascii(w, (unsigned char)cp);
        } else {
            substitute(w);
        }
        return;
    case PS_CHARSET_UNOB:
        if (cp < 0x80)
            put_ascii(w, (unsigned char)cp);
        else
            substitute(w);
        return;
    case PS_CHARSET_8859: {
        unsigned char b = cp < 0x80 ? (unsigned char)cp : byte_8859(w, cp);
        if (!b)
            substitute(w);
        else if (b < 0x80)
            put_ascii(w, b);
        else
            ps_buf_putc(w->out, (char)b);
        return;
    }
    default: /* UNOW, UNOY and unknown identifiers: UTF-8 as it is */
        if (cp < 0x80)
            put_ascii(w, (unsigned char)cp);
        else
            ps_buf_append(w->out, p, n);
        return;
    }
}

/* A value (UTF-8; invalid bytes are substituted) with every service character released. */
static void put_value(ps_edi_writer *w, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t n = ps_utf8_len(p + i, len - i);
        if (n == 0) {
            substitute(w);
            i++;
            continue;
        }
        uint32_t cp = n == 1 ? p[i] : (uint32_t)(p[i] & (0x7F >> n));
        for (size_t k = 1; k < n; k++)
            cp = cp << 6 | (p[i + k] & 0x3F);
        put_char(w, p + i, n, cp);
        i += n;
    }
}

static void flush_separators(ps_edi_writer *w)
{
    for (; w->pending_elements; w->pending_elements--)
        ps_buf_putc(w->out, w->syntax.element);
    for (; w->pending_components; w->pending_components--)
        ps_buf_putc(w->out, w->syntax.component);
}

void ps_edi_write_element(ps_edi_writer *w, const char *p, size_t len)
{
    if (len == PS_EDI_CSTR)
        len = p ? strlen(p) : 0;
    w->pending_elements++;
    w->pending_components = 0; /* empty trailing components of the last element are cut */
    if (len) {
        flush_separators(w);
        put_value(w, p, len);
    }
}

void ps_edi_write_component(ps_edi_writer *w, const char *p, size_t len)
{
    if (len == PS_EDI_CSTR)
        len = p ? strlen(p) : 0;
    w->pending_components++;
    if (len) {
        flush_separators(w);
        put_value(w, p, len);
    }
}

void ps_edi_write_end(ps_edi_writer *w)
{
    w->pending_elements = w->pending_components = 0;
    ps_buf_putc(w->out, w->syntax.terminator);
    w->segments++;
}

void ps_edi_write_party(ps_edi_writer *w, const char *id, const char *qualifier)
{
    ps_edi_write_element(w, id, PS_EDI_CSTR);
    ps_edi_write_component(w, qualifier, PS_EDI_CSTR);
}

/* UNB S004 as the API guides send it: YYMMDD:HHMM (paxlst.md §1.3; ASTRA fixtures). */
void ps_edi_write_unb(ps_edi_writer *w, const ps_edi_interchange *received, const char *syntax_id,
                      const char *control_ref, const ps_date *now, bool echo_refs)
{
    char date[16], tm[16];
    snprintf(date, sizeof date, "%02d%02u%02u", now->year % 100, now->month, now->day);
    snprintf(tm, sizeof tm, "%02u%02u", now->hour, now->minute);
    ps_edi_write_tag(w, "UNB");
    ps_edi_write_element(w, syntax_id, PS_EDI_CSTR);
    ps_edi_write_component(w, received->syntax_version[0] ? received->syntax_version : "4",
                           PS_EDI_CSTR);
    ps_edi_write_party(w, received->recipient, received->recipient_qualifier); /* swapped */
    ps_edi_write_party(w, received->sender, received->sender_qualifier);
    ps_edi_write_element(w, date, PS_EDI_CSTR);
    ps_edi_write_component(w, tm, PS_EDI_CSTR);
    ps_edi_write_element(w, control_ref, PS_EDI_CSTR);
    if (echo_refs) {
        ps_edi_write_element(w, NULL, 0);                                  /* S005 password */
        ps_edi_write_element(w, received->application_ref, PS_EDI_CSTR);   /* 0026 */
        ps_edi_write_element(w, NULL, 0);                                  /* 0029 priority */
        ps_edi_write_element(w, NULL, 0);                                  /* 0031 ack request */
        ps_edi_write_element(w, NULL, 0);                                  /* 0032 agreement */
        ps_edi_write_element(w, received->test ? "1" : NULL, PS_EDI_CSTR); /* 0035 test */
    }
    ps_edi_write_end(w);
}

void ps_edi_write_trailer(ps_edi_writer *w, const char *tag, uint32_t count, const char *ref)
{
    char n[16];
    snprintf(n, sizeof n, "%u", count);
    ps_edi_write_tag(w, tag);
    ps_edi_write_element(w, n, PS_EDI_CSTR);
    ps_edi_write_element(w, ref, PS_EDI_CSTR);
    ps_edi_write_end(w);
}
