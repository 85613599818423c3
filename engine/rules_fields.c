/* engine/rules_fields.c — the values a traveller (and its flight) offers for each rule field
 * (paxscreen/rule.h lists them). Values are as sent, plus a derived form where one helps a
 * rule: the alpha-3 code of a country (D -> DEU), the canonical key of a document number
 * ("L8989 1234" -> L89891234), the carrier-prefixed flight number. Empty values are left out,
 * as are duplicates of a value already offered. */
#include "paxscreen/normalize.h"
#include "rules_internal.h"

#include <stdio.h>

static void add(rs_values *out, ps_str v)
{
    if (!v.len || out->n >= RS_MAX_VALUES)
        return;
    for (uint32_t i = 0; i < out->n; i++)
        if (ps_str_eq(out->v[i], v))
            return;
    out->v[out->n++] = v;
}

/* Copies text into out's buffer and adds it (left out when the buffer is full). */
static void add_copy(rs_values *out, const char *p, size_t len)
{
    if (!len || out->used + len > sizeof out->buf)
        return;
    char *dst = out->buf + out->used;
    memcpy(dst, p, len);
    out->used += len;
    add(out, (ps_str){dst, len});
}

static void add_country(rs_values *out, ps_str code)
{
    add(out, code);
    const char *a3 = code.len ? ps_country_alpha3(code.ptr, code.len) : NULL;
    if (a3)
        add_copy(out, a3, strlen(a3));
}

/* "A-B" when both are given. */
static void add_route(rs_values *out, ps_str a, ps_str b)
{
    if (!a.len || !b.len || a.len + b.len + 1 > 256)
        return;
    char tmp[258];
    memcpy(tmp, a.ptr, a.len);
    tmp[a.len] = '-';
    memcpy(tmp + a.len + 1, b.ptr, b.len);
    add_copy(out, tmp, a.len + b.len + 1);
}

void ps_rules_field_values(const ps_traveller *t, const ps_flight_leg *flight, ps_rule_field f,
                           rs_values *out)
{
    out->n = 0;
    out->used = 0;
    switch (f) {
    case PS_RF_SURNAME:
        add(out, t->surname);
        break;
    case PS_RF_GIVEN_NAMES:
        add(out, t->given_names);
        break;
    case PS_RF_BIRTH_DATE: {
        char d[17];
        size_t n = ps_date_format(&t->birth_date, d);
        add_copy(out, d, n);
        break;
    }
    case PS_RF_NATIONALITY:
        add_country(out, t->nationality);
        break;
    case PS_RF_DOCUMENT_NUMBER:
        for (uint32_t i = 0; i < t->n_documents; i++) {
            ps_str num = t->documents[i].number;
            add(out, num);
            if (num.len && num.len < 256) {
                char key[257];
                size_t n = ps_docnum_canonical(num.ptr, num.len, key);
                add_copy(out, key, n);
            }
        }
        break;
    case PS_RF_DOCUMENT_ISSUER:
        for (uint32_t i = 0; i < t->n_documents; i++)
            add_country(out, t->documents[i].issuer);
        break;
    case PS_RF_ROUTE:
        add_route(out, t->embarkation, t->debarkation);
        if (flight)
            add_route(out, flight->departure_airport, flight->arrival_airport);
        break;
    case PS_RF_CARRIER:
        if (flight)
            add(out, flight->carrier);
        break;
    case PS_RF_FLIGHT_NUMBER:
        if (flight) {
            add(out, flight->number);
            if (flight->carrier.len && flight->number.len &&
                flight->carrier.len + flight->number.len < 64) {
                char both[64];
                memcpy(both, flight->carrier.ptr, flight->carrier.len);
                memcpy(both + flight->carrier.len, flight->number.ptr, flight->number.len);
                add_copy(out, both, flight->carrier.len + flight->number.len);
            }
        }
        break;
    case PS_RF_PNR:
        add(out, t->pnr);
        break;
    case PS_RF_SEAT:
        add(out, t->seat);
        break;
    case PS_RF_FREE_TEXT:
        add(out, t->address);
        add(out, t->bag_tags);
        add(out, t->phone);
        add(out, t->email);
        break;
    default:
        break;
    }
}
