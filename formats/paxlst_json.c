/* formats/paxlst_json.c — a PAXLST message (envelope, flight legs, totals, travellers) as
 * one JSON object: what `paxscreen parse` prints per message. */
#include "paxscreen/paxlst.h"
#include "paxscreen/record_json.h"

#include <string.h>

void ps_paxlst_message_json(ps_buf *b, const ps_paxlst_message *m)
{
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_key(b, &first, "interchange");
    ps_buf_printf(b, "%u", m->interchange + 1);
    ps_json_kv_str(b, &first, "sender", (ps_str){m->sender, strlen(m->sender)});
    ps_json_kv_str(b, &first, "recipient", (ps_str){m->recipient, strlen(m->recipient)});
    ps_json_kv_str(b, &first, "control_ref", (ps_str){m->control_ref, strlen(m->control_ref)});
    ps_json_kv_str(b, &first, "message_ref", (ps_str){m->message_ref, strlen(m->message_ref)});
    ps_json_kv_str(b, &first, "directory", (ps_str){m->directory, strlen(m->directory)});
    ps_json_kv_str(b, &first, "access_ref", (ps_str){m->access_ref, strlen(m->access_ref)});
    ps_json_key(b, &first, "segment");
    ps_buf_printf(b, "%u", m->segment);
    ps_json_key(b, &first, "offset");
    ps_buf_printf(b, "%llu", (unsigned long long)m->offset);
    ps_json_key(b, &first, "kind");
    ps_buf_printf(b, "\"%s\"", ps_paxlst_kind_name(m->kind));
    ps_json_kv_str(b, &first, "document_code", m->document_code);
    ps_json_kv_str(b, &first, "document_function", m->document_function);
    ps_json_key(b, &first, "parts");
    ps_buf_printf(b, "%u", m->parts);
    if (m->parts_expected) {
        ps_json_key(b, &first, "parts_expected");
        ps_buf_printf(b, "%u", m->parts_expected);
    }
    ps_json_key(b, &first, "complete");
    ps_buf_puts(b, m->complete ? "true" : "false");
    ps_json_kv_str(b, &first, "transaction_ref", m->transaction_ref);
    if (m->reporting_party.len || m->reporting_phone.len || m->reporting_email.len) {
        bool f2 = true;
        ps_json_key(b, &first, "reporting_party");
        ps_buf_putc(b, '{');
        ps_json_kv_str(b, &f2, "name", m->reporting_party);
        ps_json_kv_str(b, &f2, "phone", m->reporting_phone);
        ps_json_kv_str(b, &f2, "fax", m->reporting_fax);
        ps_json_kv_str(b, &f2, "email", m->reporting_email);
        ps_buf_putc(b, '}');
    }
    if (m->n_legs) {
        ps_json_key(b, &first, "flight");
        ps_json_write_leg(b, &m->legs[0]);
    }
    if (m->n_legs > 1) {
        ps_json_key(b, &first, "legs");
        ps_buf_putc(b, '[');
        for (uint32_t i = 0; i < m->n_legs; i++) {
            if (i)
                ps_buf_putc(b, ',');
            ps_json_write_leg(b, &m->legs[i]);
        }
        ps_buf_putc(b, ']');
    }
    if (m->total_passengers >= 0 || m->total_crew >= 0) {
        bool f2 = true;
        ps_json_key(b, &first, "totals");
        ps_buf_putc(b, '{');
        if (m->total_passengers >= 0) {
            ps_json_key(b, &f2, "passengers");
            ps_buf_printf(b, "%d", m->total_passengers);
        }
        if (m->total_crew >= 0) {
            ps_json_key(b, &f2, "crew");
            ps_buf_printf(b, "%d", m->total_crew);
        }
        ps_buf_putc(b, '}');
    }
    ps_json_key(b, &first, "travellers");
    ps_buf_putc(b, '[');
    for (uint32_t i = 0; i < m->n_travellers; i++) {
        if (i)
            ps_buf_putc(b, ',');
        ps_json_write_traveller(b, &m->travellers[i]);
    }
    ps_buf_puts(b, "]}");
}
