/* formats/cusres.c — the CUSRES answer to an interactive PAXLST (paxlst.md §4), written
 * through the segment writer of edifact_writer.c. Owns nothing but what it writes into the
 * caller's ps_buf: no clock, no globals.
 *
 * Where each fact comes from:
 * - UNH/UNT/UNZ layouts and counts: paxlst.md §1.3, as the reader checks them.
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
#include "paxscreen/cusres.h"
#include "paxscreen/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
        return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                         "cusres: request interchange, message and params are required");
    if (!ref_ok(p->control_ref))
        return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                         "cusres: control_ref must be 1 to 14 characters");
    if (!ref_ok(p->message_ref))
        return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                         "cusres: message_ref must be 1 to 14 characters");
    if (p->now.precision != PS_DATE_MINUTE || !ps_date_valid(&p->now))
        return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                         "cusres: now must be a valid date with hour and minute");
    if (n_verdicts != m->n_travellers || (n_verdicts && !verdicts))
        return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                         "cusres: %u verdicts for %u travellers of message '%s'", n_verdicts,
                         m->n_travellers, m->message_ref);
    for (uint32_t i = 0; i < n_verdicts; i++) {
        if (!ps_cusres_status_code(verdicts[i].status))
            return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                             "cusres: verdict %u (traveller '%.*s'): unknown status %d", i + 1,
                             (int)m->travellers[i].id.len, m->travellers[i].id.ptr,
                             (int)verdicts[i].status);
        if (verdicts[i].text.len > 512) /* FTX 4440 is an..512 */
            return ps_errorf(
                err, errlen, PS_EDI_WRITE_INVALID,
                "cusres: verdict %u (traveller '%.*s'): free text is %zu bytes, at most "
                "512",
                i + 1, (int)m->travellers[i].id.len, m->travellers[i].id.ptr, verdicts[i].text.len);
    }
    return PS_EDI_WRITE_OK;
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
    ps_edi_write_unb(&w, request, syntax_id, params->control_ref, &params->now, true);
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
    ps_edi_write_trailer(&w, "UNT", segments, params->message_ref);
    ps_edi_write_trailer(&w, "UNZ", 1, params->control_ref);
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
