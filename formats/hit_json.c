/* formats/hit_json.c — hits as JSON (interfaces.md "Hit"), with a stable hit id so that the
 * same finding written twice (a batch screened again after a restart) has the same id. */
#include "paxscreen/record_json.h"

#include <string.h>
#include <xxhash.h>

const char *ps_hit_kind_name(ps_hit_kind k)
{
    switch (k) {
    case PS_HIT_PERSON:
        return "person";
    case PS_HIT_DOCUMENT:
        return "document";
    case PS_HIT_RULE:
        return "rule";
    default:
        return "unknown";
    }
}

const char *ps_doc_match_name(ps_doc_match m)
{
    switch (m) {
    case PS_DOC_NUMBER_AND_ISSUER:
        return "number_and_issuer";
    case PS_DOC_NUMBER:
        return "number";
    case PS_DOC_CONFUSABLE:
        return "confusable";
    case PS_DOC_PATTERN:
        return "pattern";
    default:
        return "unknown";
    }
}

/* Each part is hashed on its own, seeded with the hash so far: parts cannot run together. */
static uint64_t hash_part(uint64_t h, const void *p, size_t n)
{
    return XXH3_64bits_withSeed(p, n, h);
}

static uint64_t hit_id(const ps_hit *h, ps_str batch_id)
{
    uint32_t kind = h->kind, doc = h->kind == PS_HIT_DOCUMENT ? h->document.traveller_document : 0;
    uint64_t x = hash_part(0, batch_id.ptr, batch_id.len);
    x = hash_part(x, h->traveller->id.ptr, h->traveller->id.len);
    x = hash_part(x, h->list.ptr, h->list.len);
    x = hash_part(x, h->entry_id.ptr, h->entry_id.len);
    x = hash_part(x, &kind, sizeof kind);
    return hash_part(x, &doc, sizeof doc);
}

static void write_document(ps_buf *b, const ps_hit_document *d)
{
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_key(b, &first, "match");
    ps_buf_printf(b, "\"%s\"", ps_doc_match_name(d->match));
    ps_json_key(b, &first, "traveller_document");
    ps_buf_printf(b, "%u", d->traveller_document);
    ps_json_kv_str(b, &first, "traveller", d->traveller_number);
    ps_json_kv_str(b, &first, "entry", d->entry_number);
    ps_json_kv_str(b, &first, "traveller_issuer", d->traveller_issuer);
    ps_json_kv_str(b, &first, "entry_issuer", d->entry_issuer);
    ps_json_kv_str(b, &first, "type", d->entry_type);
    ps_json_kv_str(b, &first, "status", d->entry_status);
    ps_buf_putc(b, '}');
}

static void write_person(ps_buf *b, const ps_hit_person *p)
{
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_key(b, &first, "score");
    ps_buf_printf(b, "%.3f", p->name_score);
    ps_json_key(b, &first, "traveller");
    ps_json_string(b, p->traveller_name, strlen(p->traveller_name));
    if (p->name_pattern.len) { /* an analyst's pattern, not a listed name */
        ps_json_key(b, &first, "pattern");
        ps_json_string(b, p->name_pattern.ptr, p->name_pattern.len);
        ps_buf_putc(b, '}');
        return;
    }
    ps_json_key(b, &first, "entry");
    ps_json_string(b, p->entry_name_text, strlen(p->entry_name_text));
    ps_json_key(b, &first, "entry_name");
    ps_buf_printf(b, "%u", p->entry_name);
    ps_json_key(b, &first, "name_type");
    ps_buf_printf(b, "\"%s\"", ps_name_type_name(p->name_type));
    ps_json_key(b, &first, "tokens");
    ps_buf_putc(b, '[');
    for (uint8_t i = 0; i < p->n_tokens; i++) {
        const ps_hit_token *t = &p->tokens[i];
        if (i)
            ps_buf_putc(b, ',');
        ps_buf_puts(b, "{\"traveller\":");
        ps_json_string(b, t->traveller, strlen(t->traveller));
        ps_buf_puts(b, ",\"entry\":");
        ps_json_string(b, t->entry, strlen(t->entry));
        ps_buf_printf(b, ",\"score\":%.3f}", t->score);
    }
    ps_buf_puts(b, "]}");
}

static void write_rule(ps_buf *b, const ps_hit_rule *r)
{
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_key(b, &first, "id");
    ps_json_string(b, r->id.ptr, r->id.len);
    ps_json_key(b, &first, "name");
    ps_json_string(b, r->name.ptr, r->name.len);
    ps_json_key(b, &first, "matched");
    ps_buf_putc(b, '[');
    for (uint32_t i = 0; i < r->n_matched; i++) {
        const ps_hit_rule_match *m = &r->matched[i];
        if (i)
            ps_buf_putc(b, ',');
        ps_buf_puts(b, "{\"field\":");
        ps_json_string(b, m->field, strlen(m->field));
        ps_buf_puts(b, ",\"pattern\":");
        ps_json_string(b, m->pattern.ptr, m->pattern.len);
        ps_buf_putc(b, '}');
    }
    ps_buf_puts(b, "]}");
}

/* The flight a hit was found on, as analysts filter by it: {"carrier", "number", "from", "to",
 * "date"} (what is known). */
static void ps_json_write_flight_ref(ps_buf *b, const ps_flight_leg *f)
{
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_kv_str(b, &first, "carrier", f->carrier);
    ps_json_kv_str(b, &first, "number", f->number);
    ps_json_kv_str(b, &first, "from", f->departure_airport);
    ps_json_kv_str(b, &first, "to", f->arrival_airport);
    ps_date day = f->departure_time;
    if (day.precision > PS_DATE_DAY)
        day.precision = PS_DATE_DAY;
    ps_json_kv_date(b, &first, "date", &day);
    ps_buf_putc(b, '}');
}

void ps_json_write_hit(ps_buf *b, const ps_hit *h, ps_str batch_id)
{
    const ps_traveller *t = h->traveller;
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_key(b, &first, "hit_id");
    ps_buf_printf(b, "\"%016llx\"", (unsigned long long)hit_id(h, batch_id));
    ps_json_kv_str(b, &first, "traveller_id", t->id);
    ps_json_kv_str(b, &first, "batch_id", batch_id);
    if (h->flight && (h->flight->carrier.len || h->flight->number.len)) {
        ps_json_key(b, &first, "flight");
        ps_json_write_flight_ref(b, h->flight);
    }
    ps_json_kv_str(b, &first, "list", h->list);
    ps_json_kv_str(b, &first, "entry_id", h->entry_id);
    ps_json_key(b, &first, "entry_version");
    ps_buf_printf(b, "%llu", (unsigned long long)h->entry_version);
    ps_json_key(b, &first, "kind");
    ps_buf_printf(b, "\"%s\"", ps_hit_kind_name(h->kind));
    ps_json_key(b, &first, "score");
    ps_buf_printf(b, "%.3f", h->score);
    ps_json_key(b, &first, "action");
    ps_buf_printf(b, "\"%s\"", ps_action_name(h->action));
    if (h->kind == PS_HIT_PERSON) {
        ps_json_key(b, &first, "threshold");
        ps_buf_printf(b, "%.3f", h->threshold);
    }
    ps_json_key(b, &first, "explanation");
    ps_buf_putc(b, '{');
    bool f2 = true;
    if (h->kind == PS_HIT_DOCUMENT) {
        ps_json_key(b, &f2, "document");
        write_document(b, &h->document);
    }
    if (h->kind == PS_HIT_RULE) {
        ps_json_key(b, &f2, "rule");
        write_rule(b, &h->rule);
    }
    if (h->kind == PS_HIT_PERSON) {
        const ps_hit_person *p = &h->person;
        ps_json_key(b, &f2, "name");
        write_person(b, p);
        if (p->birth_date) {
            bool f3 = true;
            ps_json_key(b, &f2, "birth_date");
            ps_buf_putc(b, '{');
            ps_json_key(b, &f3, "score");
            ps_buf_printf(b, "%.2f", p->birth_date_score);
            ps_json_key(b, &f3, "match");
            ps_buf_printf(b, "\"%s\"", p->birth_date);
            ps_json_kv_date(b, &f3, "traveller", &h->traveller->birth_date);
            ps_json_kv_date(b, &f3, "entry", &p->entry_birth_date);
            ps_buf_putc(b, '}');
        }
        if (p->gender) {
            ps_json_key(b, &f2, "gender");
            ps_buf_printf(b, "{\"match\":\"%s\"}", p->gender);
        }
        if (p->nationality) {
            ps_json_key(b, &f2, "nationality");
            ps_buf_printf(b, "{\"match\":\"%s\"}", p->nationality);
        }
    }
    ps_buf_putc(b, '}');
    ps_json_key(b, &first, "traveller");
    ps_buf_putc(b, '{');
    f2 = true;
    ps_json_kv_str(b, &f2, "surname", t->surname);
    ps_json_kv_str(b, &f2, "given_names", t->given_names);
    ps_json_kv_date(b, &f2, "birth_date", &t->birth_date);
    ps_json_kv_str(b, &f2, "nationality", t->nationality);
    ps_buf_puts(b, "}}");
}
