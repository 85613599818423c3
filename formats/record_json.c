/* formats/record_json.c — JSON text for travellers, documents, flight legs and diags. */
#include "paxscreen/record_json.h"
#include "paxscreen/text.h"

#include <string.h>

void ps_json_string(ps_buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    ps_buf_reserve(b, len + 2);
    ps_buf_putc(b, '"');
    size_t i = 0, run = 0;
    while (i < len) {
        unsigned c = p[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            run++;
            continue;
        }
        if (run)
            ps_buf_append(b, p + i - run, run);
        run = 0;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            ps_buf_append(b, esc, 2);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n':
                ps_buf_puts(b, "\\n");
                break;
            case '\r':
                ps_buf_puts(b, "\\r");
                break;
            case '\t':
                ps_buf_puts(b, "\\t");
                break;
            default:
                ps_buf_printf(b, "\\u%04x", c);
                break;
            }
            i++;
        } else {
            size_t n = ps_utf8_len(p + i, len - i);
            if (n) {
                ps_buf_append(b, p + i, n);
                i += n;
            } else {
                ps_buf_puts(b, "\xEF\xBF\xBD");
                i++;
            }
        }
    }
    if (run)
        ps_buf_append(b, p + i - run, run);
    ps_buf_putc(b, '"');
}

void ps_json_key(ps_buf *b, bool *first, const char *key)
{
    if (!*first)
        ps_buf_putc(b, ',');
    *first = false;
    ps_json_string(b, key, strlen(key));
    ps_buf_putc(b, ':');
}

void ps_json_kv_str(ps_buf *b, bool *first, const char *key, ps_str v)
{
    if (v.len == 0)
        return;
    ps_json_key(b, first, key);
    ps_json_string(b, v.ptr, v.len);
}

void ps_json_kv_date(ps_buf *b, bool *first, const char *key, const ps_date *d)
{
    char text[17];
    size_t n = ps_date_format(d, text);
    if (n == 0)
        return;
    ps_json_key(b, first, key);
    ps_json_string(b, text, n);
}

void ps_json_write_diag(ps_buf *b, const ps_diag *d)
{
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_key(b, &first, "severity");
    ps_buf_puts(b, d->severity == PS_ERROR ? "\"error\"" : "\"warning\"");
    ps_json_key(b, &first, "kind");
    ps_json_string(b, d->kind, strlen(d->kind));
    if (d->segment) {
        ps_json_key(b, &first, "segment");
        ps_buf_printf(b, "%u", d->segment);
    }
    ps_json_key(b, &first, "offset");
    ps_buf_printf(b, "%llu", (unsigned long long)d->offset);
    if (d->tag[0]) {
        ps_json_key(b, &first, "tag");
        ps_json_string(b, d->tag, strnlen(d->tag, sizeof d->tag));
    }
    if (d->element) {
        ps_json_key(b, &first, "element");
        ps_buf_printf(b, "%u", d->element);
    }
    if (d->component) {
        ps_json_key(b, &first, "component");
        ps_buf_printf(b, "%u", d->component);
    }
    ps_json_kv_str(b, &first, "field", d->field);
    ps_json_kv_str(b, &first, "message", d->message);
    ps_buf_putc(b, '}');
}

void ps_json_write_document(ps_buf *b, const ps_document *d)
{
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_kv_str(b, &first, "type", d->type);
    ps_json_kv_str(b, &first, "number", d->number);
    ps_json_kv_str(b, &first, "issuer", d->issuer);
    ps_json_kv_str(b, &first, "issue_place", d->issue_place);
    ps_json_kv_date(b, &first, "expiry", &d->expiry);
    ps_json_kv_date(b, &first, "issued", &d->issued);
    ps_json_kv_str(b, &first, "mrz", d->mrz);
    ps_buf_putc(b, '}');
}

void ps_json_write_traveller(ps_buf *b, const ps_traveller *t)
{
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_kv_str(b, &first, "id", t->id);
    if (t->id_assigned) {
        ps_json_key(b, &first, "id_assigned");
        ps_buf_puts(b, "true");
    }
    ps_json_key(b, &first, "role");
    ps_buf_printf(b, "\"%s\"", ps_role_name(t->role));
    ps_json_kv_str(b, &first, "surname", t->surname);
    ps_json_kv_str(b, &first, "given_names", t->given_names);
    ps_json_kv_date(b, &first, "birth_date", &t->birth_date);
    if (t->gender) {
        ps_json_key(b, &first, "gender");
        ps_json_string(b, &t->gender, 1);
    }
    ps_json_kv_str(b, &first, "nationality", t->nationality);
    ps_json_kv_str(b, &first, "residence", t->residence);
    ps_json_kv_str(b, &first, "birth_place", t->birth_place);
    if (t->n_documents) {
        ps_json_key(b, &first, "documents");
        ps_buf_putc(b, '[');
        for (uint32_t i = 0; i < t->n_documents; i++) {
            if (i)
                ps_buf_putc(b, ',');
            ps_json_write_document(b, &t->documents[i]);
        }
        ps_buf_putc(b, ']');
    }
    ps_json_kv_str(b, &first, "pnr", t->pnr);
    ps_json_kv_str(b, &first, "seat", t->seat);
    ps_json_kv_str(b, &first, "embarkation", t->embarkation);
    ps_json_kv_str(b, &first, "debarkation", t->debarkation);
    ps_json_kv_str(b, &first, "clearance", t->clearance);
    ps_json_kv_str(b, &first, "agency_ref", t->agency_ref);
    ps_json_kv_str(b, &first, "customer_ref", t->customer_ref);
    ps_json_kv_str(b, &first, "ticket", t->ticket);
    ps_json_kv_str(b, &first, "crew_function", t->crew_function);
    ps_json_kv_str(b, &first, "address", t->address);
    ps_json_kv_str(b, &first, "phone", t->phone);
    ps_json_kv_str(b, &first, "email", t->email);
    if (t->verified >= 0) {
        ps_json_key(b, &first, "verified");
        ps_buf_puts(b, t->verified ? "true" : "false");
    }
    if (t->bags >= 0) {
        ps_json_key(b, &first, "bags");
        ps_buf_printf(b, "%d", t->bags);
    }
    ps_json_kv_str(b, &first, "bag_tags", t->bag_tags);
    if (t->n_warnings) {
        ps_json_key(b, &first, "warnings");
        ps_buf_putc(b, '[');
        for (uint32_t i = 0; i < t->n_warnings; i++) {
            if (i)
                ps_buf_putc(b, ',');
            ps_json_write_diag(b, &t->warnings[i]);
        }
        ps_buf_putc(b, ']');
    }
    ps_buf_putc(b, '}');
}

void ps_json_write_leg(ps_buf *b, const ps_flight_leg *l)
{
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_kv_str(b, &first, "carrier", l->carrier);
    ps_json_kv_str(b, &first, "number", l->number);
    ps_json_kv_str(b, &first, "conveyance", l->conveyance);
    if (l->departure_airport.len || l->departure_time.precision) {
        bool f2 = true;
        ps_json_key(b, &first, "departure");
        ps_buf_putc(b, '{');
        ps_json_kv_str(b, &f2, "airport", l->departure_airport);
        ps_json_kv_date(b, &f2, "time", &l->departure_time);
        ps_buf_putc(b, '}');
    }
    if (l->arrival_airport.len || l->arrival_time.precision) {
        bool f2 = true;
        ps_json_key(b, &first, "arrival");
        ps_buf_putc(b, '{');
        ps_json_kv_str(b, &f2, "airport", l->arrival_airport);
        ps_json_kv_date(b, &f2, "time", &l->arrival_time);
        ps_buf_putc(b, '}');
    }
    ps_json_kv_str(b, &first, "final_destination", l->final_destination);
    ps_buf_putc(b, '}');
}
