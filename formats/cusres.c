/* formats/cusres.c — writing EDIFACT: the segment writer (service characters, release
 * escaping, character sets, trailing-empty truncation, segment counts) and the CUSRES answer
 * to an interactive PAXLST (paxlst.md §4). Owns nothing but what it writes into the caller's
 * ps_buf: no clock, no globals other than the ISO 8859 tables built once.
 *
 * Where each fact comes from:
 * - ISO 9735 syntax (UNA six characters, release before any service character, empty trailing
 *   elements and components cut, UNB/UNH/UNT/UNZ layouts and counts): paxlst.md §1.1-1.3, the
 *   same rules the reader in edifact*.c implements.
 * - CUSRES layout for iAPI — UNH ref+CUSRES:D:05B:UN:IATA with the request's 0068 and 01:F,
 *   BGM+962, RFF+TN, RFF+AF, DTM+189, DTM+232, LOC+125, LOC+87, then per passenger ERP+2,
 *   RFF+AVF, RFF+ABO, ERC+0Z, FTX+AAP+++OK TO BOARD — from the China NIA fixtures in
 *   github.com/deyoz/astra src/ts/iapi_china.ts (CUSRES answers to PAXLST D:05B).
 * - ERC codes 0Z on board, 1Z no board, 2Z advisory, 4Z insufficient data; header level 0
 *   accepted, 1 exception: deyoz/astra src/iapi_interaction.h (PassengerStatus pairs).
 * - ERP C701 = 1049 message section code : 1052 message item identifier (an..35); ERC C901
 *   component 1 = application error code (an..8): UN directory segment pages ERP/ERC
 *   (stedi.com/edi/edifact/D00B/segments/ERP, .../ERC).
 * - DTM 2379 format 201 = YYMMDDHHMM, 101 = YYMMDD: paxlst.md §2.6, as paxlst_map.c reads. */
#include "edifact_internal.h"
#include "paxscreen/cusres.h"
#include "paxscreen/text.h"

#include <iconv.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- ISO 8859 tables (the reader's, rebuilt here: edifact_charset.c keeps its own static) ---- */

static uint16_t tables[16][128]; /* tables[part][b - 0x80]: code point, 0 when unassigned */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void)
{
    static const uint8_t parts[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 15};
    for (size_t i = 0; i < sizeof parts; i++) {
        char name[16];
        int part = parts[i];
        snprintf(name, sizeof name, "ISO-8859-%d", part);
        iconv_t cd = iconv_open("UTF-32LE", name);
        for (int b = 0xA0; b < 0x100; b++) {
            if (cd == (iconv_t)-1) { /* as the reader: fall back to Latin-1 */
                tables[part][b - 0x80] = (uint16_t)b;
                continue;
            }
            char in = (char)b;
            uint32_t cp = 0;
            char *ip = &in, *op = (char *)&cp;
            size_t il = 1, ol = sizeof cp;
            iconv(cd, NULL, NULL, NULL, NULL);
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == 0 && cp <= 0xFFFF)
                tables[part][b - 0x80] = (uint16_t)cp;
        }
        if (cd != (iconv_t)-1)
            iconv_close(cd);
    }
}

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
    if (charset == PS_CHARSET_8859) {
        pthread_once(&tables_once, build_tables);
        w->table = tables[charset_part < 16 ? charset_part : 1];
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

/* ---- CUSRES ---- */

static const char *const status_codes[] = {"0Z", "1Z", "2Z", "4Z"};
static const char *const status_texts[] = {
    "OK TO BOARD", "DO NOT BOARD", "CONTACT THE AUTHORITIES BEFORE BOARDING", "INSUFFICIENT DATA"};

const char *ps_cusres_status_code(ps_cusres_status s)
{
    return (unsigned)s < 4 ? status_codes[s] : NULL;
}

const char *ps_cusres_status_text(ps_cusres_status s)
{
    return (unsigned)s < 4 ? status_texts[s] : NULL;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return PS_EDI_WRITE_INVALID;
}

static bool ref_ok(const char *ref)
{
    size_t n = ref ? strlen(ref) : 0;
    return n >= 1 && n <= 14; /* 0020 and 0062 are an..14 (paxlst.md §1.3) */
}

static int check_params(const ps_edi_interchange *request, const ps_paxlst_message *m,
                        const ps_cusres_verdict *verdicts, uint32_t n_verdicts,
                        const ps_cusres_params *p, char *err, size_t errlen)
{
    if (!request || !m || !p)
        return fail(err, errlen, "cusres: request interchange, message and params are required");
    if (!ref_ok(p->control_ref))
        return fail(err, errlen, "cusres: control_ref must be 1 to 14 characters");
    if (!ref_ok(p->message_ref))
        return fail(err, errlen, "cusres: message_ref must be 1 to 14 characters");
    if (p->now.precision != PS_DATE_MINUTE || !ps_date_valid(&p->now))
        return fail(err, errlen, "cusres: now must be a valid date with hour and minute");
    if (n_verdicts != m->n_travellers || (n_verdicts && !verdicts))
        return fail(err, errlen, "cusres: %u verdicts for %u travellers of message '%s'",
                    n_verdicts, m->n_travellers, m->message_ref);
    for (uint32_t i = 0; i < n_verdicts; i++) {
        if (!ps_cusres_status_code(verdicts[i].status))
            return fail(err, errlen, "cusres: verdict %u (traveller '%.*s'): unknown status %d",
                        i + 1, (int)m->travellers[i].id.len, m->travellers[i].id.ptr,
                        (int)verdicts[i].status);
        if (verdicts[i].text.len > 512) /* FTX 4440 is an..512 */
            return fail(err, errlen,
                        "cusres: verdict %u (traveller '%.*s'): free text is %zu bytes, at most "
                        "512",
                        i + 1, (int)m->travellers[i].id.len, m->travellers[i].id.ptr,
                        verdicts[i].text.len);
    }
    return PS_EDI_WRITE_OK;
}

/* A party of UNB: identification and its qualifier. */
static void write_party(ps_edi_writer *w, const char *id, const char *qualifier)
{
    ps_edi_write_element(w, id, PS_EDI_CSTR);
    ps_edi_write_component(w, qualifier, PS_EDI_CSTR);
}

/* UNB S004 as the API guides send it: YYMMDD:HHMM (paxlst.md §1.3; ASTRA fixtures). */
static void write_unb(ps_edi_writer *w, const ps_edi_interchange *req, const char *syntax_id,
                      const char *control_ref, const ps_date *now)
{
    char date[16], tm[16];
    snprintf(date, sizeof date, "%02d%02u%02u", now->year % 100, now->month, now->day);
    snprintf(tm, sizeof tm, "%02u%02u", now->hour, now->minute);
    ps_edi_write_tag(w, "UNB");
    ps_edi_write_element(w, syntax_id, PS_EDI_CSTR);
    ps_edi_write_component(w, req->syntax_version[0] ? req->syntax_version : "4", PS_EDI_CSTR);
    write_party(w, req->recipient, req->recipient_qualifier); /* we answer: swapped */
    write_party(w, req->sender, req->sender_qualifier);
    ps_edi_write_element(w, date, PS_EDI_CSTR);
    ps_edi_write_component(w, tm, PS_EDI_CSTR);
    ps_edi_write_element(w, control_ref, PS_EDI_CSTR);
    ps_edi_write_element(w, NULL, 0);                             /* S005 password */
    ps_edi_write_element(w, req->application_ref, PS_EDI_CSTR);   /* 0026 */
    ps_edi_write_element(w, NULL, 0);                             /* 0029 priority */
    ps_edi_write_element(w, NULL, 0);                             /* 0031 ack request */
    ps_edi_write_element(w, NULL, 0);                             /* 0032 agreement */
    ps_edi_write_element(w, req->test ? "1" : NULL, PS_EDI_CSTR); /* 0035 test */
    ps_edi_write_end(w);
}

/* UNH with CUSRES and the request's directory ("D:05B"; D:05B when unknown). */
static void write_unh(ps_edi_writer *w, const ps_paxlst_message *m, const char *message_ref)
{
    const char *dir = m->directory[0] ? m->directory : "D:05B";
    const char *colon = strchr(dir, ':');
    size_t vlen = colon ? (size_t)(colon - dir) : strlen(dir);
    ps_edi_write_tag(w, "UNH");
    ps_edi_write_element(w, message_ref, PS_EDI_CSTR);
    ps_edi_write_element(w, "CUSRES", PS_EDI_CSTR);
    ps_edi_write_component(w, dir, vlen);
    ps_edi_write_component(w, colon ? colon + 1 : NULL, PS_EDI_CSTR);
    ps_edi_write_component(w, "UN", PS_EDI_CSTR);
    ps_edi_write_component(w, "IATA", PS_EDI_CSTR);
    if (m->access_ref[0]) { /* the request's common access reference, as ASTRA echoes it */
        ps_edi_write_element(w, m->access_ref, PS_EDI_CSTR);
        ps_edi_write_element(w, "01", PS_EDI_CSTR);
        ps_edi_write_component(w, "F", PS_EDI_CSTR);
    }
    ps_edi_write_end(w);
}

static void write_simple(ps_edi_writer *w, const char *tag, const char *e1, ps_str e1c2)
{
    ps_edi_write_tag(w, tag);
    ps_edi_write_element(w, e1, PS_EDI_CSTR);
    ps_edi_write_component(w, e1c2.ptr, e1c2.len);
    ps_edi_write_end(w);
}

static void write_dtm(ps_edi_writer *w, const char *qualifier, const ps_date *d)
{
    if (d->precision < PS_DATE_DAY)
        return;
    char value[32];
    bool minute = d->precision >= PS_DATE_MINUTE;
    if (minute)
        snprintf(value, sizeof value, "%02d%02u%02u%02u%02u", d->year % 100, d->month, d->day,
                 d->hour, d->minute);
    else
        snprintf(value, sizeof value, "%02d%02u%02u", d->year % 100, d->month, d->day);
    ps_edi_write_tag(w, "DTM");
    ps_edi_write_element(w, qualifier, PS_EDI_CSTR);
    ps_edi_write_component(w, value, PS_EDI_CSTR);
    ps_edi_write_component(w, minute ? "201" : "101", PS_EDI_CSTR);
    ps_edi_write_end(w);
}

static void write_loc(ps_edi_writer *w, const char *qualifier, ps_str place)
{
    if (!place.len)
        return;
    ps_edi_write_tag(w, "LOC");
    ps_edi_write_element(w, qualifier, PS_EDI_CSTR);
    ps_edi_write_element(w, place.ptr, place.len);
    ps_edi_write_end(w);
}

/* Segment group 3: the flight the answer is about (the message's first leg). */
static void write_flight(ps_edi_writer *w, const ps_paxlst_message *m)
{
    if (!m->n_legs)
        return;
    const ps_flight_leg *leg = &m->legs[0];
    char flight[80];
    ps_str af = leg->conveyance;
    if (!af.len) {
        int n = snprintf(flight, sizeof flight, "%.*s%.*s", (int)leg->carrier.len,
                         leg->carrier.ptr ? leg->carrier.ptr : "", (int)leg->number.len,
                         leg->number.ptr ? leg->number.ptr : "");
        af = (ps_str){flight, n > 0 ? (size_t)n : 0};
    }
    if (af.len)
        write_simple(w, "RFF", "AF", af);
    write_dtm(w, "189", &leg->departure_time);
    write_dtm(w, "232", &leg->arrival_time);
    write_loc(w, "125", leg->departure_airport);
    write_loc(w, "87", leg->arrival_airport);
}

/* Segment group 4 for traveller i (0-based). */
static void write_traveller(ps_edi_writer *w, const ps_traveller *t, uint32_t i,
                            const ps_cusres_verdict *v)
{
    ps_edi_write_tag(w, "ERP");
    ps_edi_write_element(w, "2", PS_EDI_CSTR);
    if (t->id_assigned || !t->id.len) { /* nothing of the carrier's names it: its position */
        char pos[16];
        snprintf(pos, sizeof pos, "%u", i + 1);
        ps_edi_write_component(w, pos, PS_EDI_CSTR);
    }
    ps_edi_write_end(w);
    if (t->pnr.len)
        write_simple(w, "RFF", "AVF", t->pnr);
    if (t->id.len && !t->id_assigned)
        write_simple(w, "RFF", "ABO", t->id);
    ps_edi_write_tag(w, "ERC");
    ps_edi_write_element(w, ps_cusres_status_code(v->status), PS_EDI_CSTR);
    ps_edi_write_end(w);
    ps_edi_write_tag(w, "FTX");
    ps_edi_write_element(w, "AAP", PS_EDI_CSTR);
    ps_edi_write_element(w, NULL, 0);
    ps_edi_write_element(w, NULL, 0);
    if (v->text.len)
        ps_edi_write_element(w, v->text.ptr, v->text.len);
    else
        ps_edi_write_element(w, ps_cusres_status_text(v->status), PS_EDI_CSTR);
    ps_edi_write_end(w);
}

static void write_count_ref(ps_edi_writer *w, const char *tag, uint32_t count, const char *ref)
{
    char n[16];
    snprintf(n, sizeof n, "%u", count);
    ps_edi_write_tag(w, tag);
    ps_edi_write_element(w, n, PS_EDI_CSTR);
    ps_edi_write_element(w, ref, PS_EDI_CSTR);
    ps_edi_write_end(w);
}

int ps_cusres_write(ps_buf *out, const ps_edi_interchange *request, const ps_paxlst_message *m,
                    const ps_cusres_verdict *verdicts, uint32_t n_verdicts,
                    const ps_cusres_params *params, ps_cusres_stats *stats, char *err,
                    size_t errlen)
{
    int rc = check_params(request, m, verdicts, n_verdicts, params, err, errlen);
    if (rc != PS_EDI_WRITE_OK)
        return rc;
    ps_edi_charset cs;
    uint8_t part;
    const char *syntax_id = ps_edi_answer_syntax(request->syntax_id, &cs, &part);
    ps_edi_writer w;
    ps_edi_writer_init(&w, out, &request->syntax, cs, part);
    ps_edi_write_una(&w);
    write_unb(&w, request, syntax_id, params->control_ref, &params->now);
    w.segments = 0; /* UNT counts UNH..UNT */
    write_unh(&w, m, params->message_ref);
    ps_edi_write_tag(&w, "BGM");
    ps_edi_write_element(&w, "962", PS_EDI_CSTR); /* response to a PAXLST */
    ps_edi_write_end(&w);
    if (m->transaction_ref.len)
        write_simple(&w, "RFF", "TN", m->transaction_ref);
    write_flight(&w, m);
    if (m->n_travellers == 0) { /* header level: the message is accepted */
        ps_edi_write_tag(&w, "ERP");
        ps_edi_write_element(&w, "1", PS_EDI_CSTR);
        ps_edi_write_end(&w);
        ps_edi_write_tag(&w, "ERC");
        ps_edi_write_element(&w, "0", PS_EDI_CSTR);
        ps_edi_write_end(&w);
    }
    for (uint32_t i = 0; i < m->n_travellers; i++)
        write_traveller(&w, &m->travellers[i], i, &verdicts[i]);
    uint32_t segments = w.segments + 1; /* + UNT itself */
    write_count_ref(&w, "UNT", segments, params->message_ref);
    write_count_ref(&w, "UNZ", 1, params->control_ref);
    if (stats) {
        stats->segments = segments;
        stats->substituted = w.substituted;
    }
    return PS_EDI_WRITE_OK;
}

bool ps_cusres_find_interchange(const char *data, size_t len, uint32_t index,
                                ps_edi_interchange *out)
{
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_edi_reader r;
    ps_edi_reader_init(&r, data, len, &diags);
    bool found = false;
    for (ps_edi_event ev; (ev = ps_edi_next(&r)) != PS_EDI_END;) {
        if (ev == PS_EDI_INTERCHANGE_BEGIN && r.ich.index == index) {
            *out = r.ich;
            found = true;
            break;
        }
    }
    ps_edi_reader_free(&r);
    ps_arena_free(&arena);
    return found;
}
