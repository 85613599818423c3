/* formats/contrl.c — the CONTRL acknowledgement of one received interchange (accepted or
 * rejected with a reason) and the mapping from the EDIFACT reader's diag kinds to CONTRL error
 * codes. Writes through the segment writer of edifact_writer.c; owns no state.
 *
 * Where each fact comes from:
 * - UCI layout: 0020 interchange control reference, S002 interchange sender (0004 : 0007),
 *   S003 interchange recipient (0010 : 0007), 0083 action, 0085 syntax error, 0013 service
 *   segment tag — stedi.com/edi/edifact/segments/UCI (ISO 9735 service segment directory).
 *   S002/S003 identify the subject interchange as it was sent, so they are not swapped: e.g.
 *   "UNB+UNOC:3+ANIMATES:ZZZ+SUPPLIER_GLN:14+…'UCI+72+SUPPLIER_GLN:14+ANIMATES:ZZZ+8'" in
 *   a published CONTRL sample (Animates MIG, quoted in public EDI code found by the search).
 * - 0083: 4 = this level and all lower levels rejected, 7 = this level acknowledged, next
 *   lower level acknowledged if not explicitly rejected, 8 = interchange received —
 *   stedi.com/edi/edifact/elements/0083.
 * - 0085 (syntax version 4 code list): 2, 7, 12 invalid value, 13 missing, 14, 15, 16 too many
 *   constituents, 17, 18 unspecified, 20 character invalid as service character, 21 invalid
 *   character(s), 22, 23, 24, 25, 26 duplicate detected, 28 references do not match, 29
 *   control count does not match number of instances received, 30 groups and messages mixed,
 *   32 lower level empty, 33 invalid occurrence outside message, package or group, 39 data
 *   element too long, 46 character set not supported — stedi.com/edi/edifact/elements/0085,
 *   service.gefeg.com/jwg1 (service code list 40202, 0085), EdiFabric and Microsoft BizTalk
 *   "EDIFACT CONTRL acknowledgment error codes" tables.
 * - CONTRL message identifier: CONTRL:D:3:UN for syntax version 3 (gefeg.com/jswg/v3
 *   v3-contrl: message type CONTRL, version D, release 3, agency UN); CONTRL:4:1:UN for
 *   syntax version 4 release 1 (ISO 9735-4:2002; samples "UNH+ACK1+CONTRL:4:1:UN'" in the
 *   edifact-rs documentation and UK CHIEF CONTRL messages). */
#include "paxscreen/contrl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- diags to reasons ---- */

static const struct {
    const char *kind;
    ps_contrl_error error;
    const char *segment;
} reasons[] = {
    {"empty_input", PS_CONTRL_MISSING, "UNB"},
    {"no_interchange", PS_CONTRL_MISSING, "UNB"},
    {"unb_missing", PS_CONTRL_MISSING, "UNB"},
    {"una_malformed", PS_CONTRL_INVALID_SERVICE_CHAR, "UNA"},
    {"syntax_identifier_missing", PS_CONTRL_MISSING, "UNB"},
    {"syntax_identifier_unknown", PS_CONTRL_CHARSET_NOT_SUPPORTED, "UNB"},
    {"control_reference_missing", PS_CONTRL_MISSING, "UNB"},
    {"invalid_date", PS_CONTRL_INVALID_VALUE, ""}, /* UNB when the diag's tag says so */
    {"unz_missing", PS_CONTRL_MISSING, "UNZ"},
    {"unz_count_mismatch", PS_CONTRL_COUNT_MISMATCH, "UNZ"},
    {"unz_reference_mismatch", PS_CONTRL_REFERENCES_DIFFER, "UNZ"},
    {"une_missing", PS_CONTRL_MISSING, "UNE"},
    {"une_without_ung", PS_CONTRL_MISSING, "UNG"},
    {"une_count_mismatch", PS_CONTRL_COUNT_MISMATCH, "UNE"},
    {"une_reference_mismatch", PS_CONTRL_REFERENCES_DIFFER, "UNE"},
    {"mixed_groups", PS_CONTRL_GROUPS_AND_MESSAGES, ""},
    {"unt_missing", PS_CONTRL_MISSING, "UNT"},
    {"unt_without_unh", PS_CONTRL_MISSING, "UNH"},
    {"unt_count_mismatch", PS_CONTRL_COUNT_MISMATCH, "UNT"},
    {"unt_reference_mismatch", PS_CONTRL_REFERENCES_DIFFER, "UNT"},
    {"message_reference_missing", PS_CONTRL_MISSING, "UNH"},
    {"message_type_missing", PS_CONTRL_MISSING, "UNH"},
    {"duplicate_message_reference", PS_CONTRL_DUPLICATE, "UNH"},
    {"invalid_part_number", PS_CONTRL_INVALID_VALUE, "UNH"},
    {"invalid_part_flag", PS_CONTRL_INVALID_VALUE, "UNH"},
    {"segment_outside_message", PS_CONTRL_OUTSIDE_MESSAGE, ""},
    {"unterminated_segment", PS_CONTRL_MISSING, "UNZ"},
    {"invalid_segment_tag", PS_CONTRL_INVALID_VALUE, ""},
    {"character_outside_repertoire", PS_CONTRL_INVALID_CHARACTERS, ""},
    {"too_many_values", PS_CONTRL_TOO_MANY_CONSTITUENTS, ""},
    {"value_too_long", PS_CONTRL_TOO_LONG, ""},
};

static bool service_tag(const char *tag)
{
    static const char *const tags[] = {"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (strcmp(tag, tags[i]) == 0)
            return true;
    return false;
}

ps_contrl_reason ps_contrl_reason_for(const ps_diag *d)
{
    ps_contrl_reason r = {PS_CONTRL_UNSPECIFIED, ""};
    if (!d || !d->kind)
        return r;
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        if (strcmp(d->kind, reasons[i].kind) == 0) {
            r.error = reasons[i].error;
            memcpy(r.segment, reasons[i].segment, strlen(reasons[i].segment) + 1);
            break;
        }
    }
    if (!r.segment[0] && service_tag(d->tag)) /* the diag names a service segment */
        memcpy(r.segment, d->tag, 4);
    return r;
}

bool ps_contrl_reason_from(const ps_diag *diags, uint32_t n, ps_contrl_reason *out)
{
    for (int sev = PS_ERROR; sev >= PS_WARNING; sev--) {
        for (uint32_t i = 0; i < n; i++) {
            if ((int)diags[i].severity == sev) {
                *out = ps_contrl_reason_for(&diags[i]);
                return true;
            }
        }
    }
    return false;
}

/* ---- writing ---- */

static bool ref_ok(const char *ref)
{
    size_t n = ref ? strlen(ref) : 0;
    return n >= 1 && n <= 14;
}

static int check_params(const ps_edi_interchange *received, const ps_contrl_params *p, char *err,
                        size_t errlen)
{
    if (!received || !p)
        return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                         "contrl: received interchange and params are required");
    if (!ref_ok(p->control_ref))
        return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                         "contrl: control_ref must be 1 to 14 characters");
    if (!ref_ok(p->message_ref))
        return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                         "contrl: message_ref must be 1 to 14 characters");
    if (p->now.precision != PS_DATE_MINUTE || !ps_date_valid(&p->now))
        return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                         "contrl: now must be a valid date with hour and minute");
    if (p->action != PS_CONTRL_ACCEPTED && p->action != PS_CONTRL_REJECTED)
        return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                         "contrl: action %d is neither 7 (accepted) nor 4 (rejected)",
                         (int)p->action);
    if (p->action == PS_CONTRL_REJECTED) {
        int e = (int)p->reason.error;
        if (e < 1 || e > 999)
            return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                             "contrl: a rejection needs an error code (0085), got %d", e);
        if (p->reason.segment[0] && !service_tag(p->reason.segment))
            return ps_errorf(err, errlen, PS_EDI_WRITE_INVALID,
                             "contrl: '%.3s' is not a service segment tag", p->reason.segment);
    }
    return PS_EDI_WRITE_OK;
}

static void write_unh(ps_edi_writer *w, const ps_edi_interchange *rcv, const char *message_ref)
{
    bool v4 = strcmp(rcv->syntax_version, "4") == 0;
    ps_edi_write_tag(w, "UNH");
    ps_edi_write_element(w, message_ref, PS_EDI_CSTR);
    ps_edi_write_element(w, "CONTRL", PS_EDI_CSTR);
    ps_edi_write_component(w, v4 ? "4" : "D", PS_EDI_CSTR);
    ps_edi_write_component(w, v4 ? "1" : "3", PS_EDI_CSTR);
    ps_edi_write_component(w, "UN", PS_EDI_CSTR);
    ps_edi_write_end(w);
}

static void write_uci(ps_edi_writer *w, const ps_edi_interchange *rcv, const ps_contrl_params *p)
{
    char action[8], error[8];
    snprintf(action, sizeof action, "%d", (int)p->action);
    snprintf(error, sizeof error, "%d", (int)p->reason.error);
    bool rejected = p->action == PS_CONTRL_REJECTED;
    ps_edi_write_tag(w, "UCI");
    ps_edi_write_element(w, rcv->control_ref, PS_EDI_CSTR);
    ps_edi_write_party(w, rcv->sender, rcv->sender_qualifier); /* the subject interchange's own */
    ps_edi_write_party(w, rcv->recipient, rcv->recipient_qualifier);
    ps_edi_write_element(w, action, PS_EDI_CSTR);
    ps_edi_write_element(w, rejected ? error : NULL, PS_EDI_CSTR);
    ps_edi_write_element(w, rejected ? p->reason.segment : NULL, PS_EDI_CSTR);
    ps_edi_write_end(w);
}

int ps_contrl_write(ps_buf *out, const ps_edi_interchange *received, const ps_contrl_params *params,
                    char *err, size_t errlen)
{
    int rc = check_params(received, params, err, errlen);
    if (rc != PS_EDI_WRITE_OK)
        return rc;
    ps_edi_charset cs;
    uint8_t part;
    const char *syntax_id = ps_edi_answer_syntax(received->syntax_id, &cs, &part);
    ps_edi_writer w;
    ps_edi_writer_init(&w, out, &received->syntax, cs, part);
    ps_edi_write_una(&w);
    ps_edi_write_unb(&w, received, syntax_id, params->control_ref, &params->now, false);
    w.segments = 0;
    write_unh(&w, received, params->message_ref);
    write_uci(&w, received, params);
    ps_edi_write_trailer(&w, "UNT", w.segments + 1, params->message_ref);
    ps_edi_write_trailer(&w, "UNZ", 1, params->control_ref);
    return PS_EDI_WRITE_OK;
}
