/* formats/json_traveller.c — one Traveller, document or flight object (interfaces.md) into
 * records (json_batch_internal.h): every field mapped, and the warnings for fields of the wrong
 * type or form, whose field is the JSON path. MRZs are handed to json_mrz.c. Strings are copied
 * into the caller's arena; nothing here trims, re-cases or rewrites text. */
#include "json_batch_internal.h"

#include <stdio.h>
#include <string.h>

/* How much of a bad value a warning quotes. */
#define JB_QUOTE_MAX 40

/* ---- warnings and field getters --------------------------------------------------------- */

const char *ps_jb_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

void ps_jb_bad_value(ps_jb_ctx *c, const char *kind, const char *path, const json_t *v,
                     const char *expected)
{
    char full[192];
    snprintf(full, sizeof full, "%s%s", c->prefix, path);
    ps_diag *d;
    if (v && json_is_string(v)) {
        size_t n = json_string_length(v);
        d = ps_diag_add(c->diags, PS_WARNING, kind, 0, c->offset,
                        "%s: expected %s, found \"%.*s\"%s; left out", full, expected,
                        (int)(n > JB_QUOTE_MAX ? JB_QUOTE_MAX : n), json_string_value(v),
                        n > JB_QUOTE_MAX ? "..." : "");
    } else if (v && json_is_integer(v)) {
        d = ps_diag_add(c->diags, PS_WARNING, kind, 0, c->offset,
                        "%s: expected %s, found %" JSON_INTEGER_FORMAT "; left out", full, expected,
                        json_integer_value(v));
    } else if (v && json_is_real(v)) {
        d = ps_diag_add(c->diags, PS_WARNING, kind, 0, c->offset,
                        "%s: expected %s, found %g; left out", full, expected, json_real_value(v));
    } else if (v && json_is_boolean(v)) {
        d = ps_diag_add(c->diags, PS_WARNING, kind, 0, c->offset,
                        "%s: expected %s, found %s; left out", full, expected,
                        json_is_true(v) ? "true" : "false");
    } else {
        d = ps_diag_add(c->diags, PS_WARNING, kind, 0, c->offset,
                        "%s: expected %s, found %s; left out", full, expected,
                        v ? ps_jb_type_name(v) : "nothing");
    }
    d->field = ps_arena_strdup(c->diags->arena, full, strlen(full));
}

/* Like ps_jb_member, but an empty string is "not sent" too (coded fields and dates, where "" is a
 * common way of saying unknown). */
static json_t *member_sent(json_t *obj, const char *key)
{
    json_t *v = ps_jb_member(obj, key);
    return v && json_is_string(v) && json_string_length(v) == 0 ? NULL : v;
}

/* where + key, e.g. "documents[0]." + "expiry". */
static void join_path(char *out, size_t size, const char *where, const char *key)
{
    snprintf(out, size, "%s%s", where, key);
}

/* A string member into *out. Absent or null leaves *out alone. */
static void get_str(ps_jb_ctx *c, json_t *obj, const char *key, const char *where, ps_str *out)
{
    json_t *v = ps_jb_member(obj, key);
    if (!v)
        return;
    if (json_is_string(v)) {
        *out = ps_jb_copy_string(c->arena, v);
        return;
    }
    char path[128];
    join_path(path, sizeof path, where, key);
    ps_jb_bad_value(c, "invalid_field", path, v, "a string");
}

/* A string member, or an integer written in decimal (ids and flight numbers are often sent
 * as numbers). */
static void get_str_or_int(ps_jb_ctx *c, json_t *obj, const char *key, const char *where,
                           ps_str *out)
{
    json_t *v = ps_jb_member(obj, key);
    if (v && json_is_integer(v)) {
        char text[24];
        int n = snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *out = ps_arena_strdup(c->arena, text, (size_t)n);
        return;
    }
    get_str(c, obj, key, where, out);
}

/* A date member whose precision lies in [min_prec, max_prec]. */
static void get_date(ps_jb_ctx *c, json_t *obj, const char *key, const char *where, int min_prec,
                     int max_prec, const char *expected, ps_date *out)
{
    json_t *v = member_sent(obj, key);
    if (!v)
        return;
    ps_date d;
    if (json_is_string(v) && ps_date_parse_iso(json_string_value(v), json_string_length(v), &d) &&
        d.precision >= min_prec && d.precision <= max_prec) {
        *out = d;
        return;
    }
    char path[128];
    join_path(path, sizeof path, where, key);
    ps_jb_bad_value(c, "invalid_field", path, v, expected);
}

/* given_names: a string, or an array of name strings joined by single spaces. */
static void get_given_names(ps_jb_ctx *c, json_t *obj, ps_str *out)
{
    json_t *v = ps_jb_member(obj, "given_names");
    if (!v || !json_is_array(v)) {
        get_str(c, obj, "given_names", "", out);
        return;
    }
    size_t total = 0, i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e)) {
            char path[40];
            snprintf(path, sizeof path, "given_names[%zu]", i);
            ps_jb_bad_value(c, "invalid_field", path, e, "a string (one given name)");
            return;
        }
        total += json_string_length(e) + 1;
    }
    if (total == 0)
        return;
    char *p = ps_arena_alloc(c->arena, total);
    size_t n = 0;
    json_array_foreach(v, i, e)
    {
        size_t len = json_string_length(e);
        if (len == 0)
            continue;
        if (n)
            p[n++] = ' ';
        memcpy(p + n, json_string_value(e), len);
        n += len;
    }
    if (n)
        *out = (ps_str){p, n};
}

/* ---- records ---------------------------------------------------------------------------- */

static void read_document(ps_jb_ctx *c, ps_traveller *t, json_t *o, size_t index, ps_document *doc)
{
    char where[48];
    snprintf(where, sizeof where, "documents[%zu].", index);
    memset(doc, 0, sizeof *doc);
    get_str(c, o, "type", where, &doc->type);
    get_str_or_int(c, o, "number", where, &doc->number);
    get_str(c, o, "issuer", where, &doc->issuer);
    get_str(c, o, "issue_place", where, &doc->issue_place);
    get_date(c, o, "expiry", where, PS_DATE_YEAR, PS_DATE_DAY,
             "a date YYYY-MM-DD (or YYYY-MM, YYYY)", &doc->expiry);
    get_date(c, o, "issued", where, PS_DATE_YEAR, PS_DATE_DAY,
             "a date YYYY-MM-DD (or YYYY-MM, YYYY)", &doc->issued);

    ps_jb_read_document_mrz(c, t, o, index, doc);
}

void ps_jb_read_traveller(ps_jb_ctx *c, json_t *o, ps_traveller *t)
{
    ps_traveller_init(t);
    t->offset = c->offset;
    ps_diag_list_init(&c->tw, c->arena);

    get_str_or_int(c, o, "id", "", &t->id);

    t->role = PS_ROLE_PASSENGER;
    json_t *v = member_sent(o, "role");
    if (v) {
        ps_role r = json_is_string(v)
                        ? ps_role_from_name(json_string_value(v), json_string_length(v))
                        : PS_ROLE_UNKNOWN;
        /* "unknown" is what the writer prints for an unknown role: read it back quietly. */
        bool said_unknown = json_is_string(v) && strcmp(json_string_value(v), "unknown") == 0;
        if (r == PS_ROLE_UNKNOWN && !said_unknown)
            ps_jb_bad_value(c, "invalid_field", "role", v,
                            "passenger, crew, transit_passenger or transit_crew");
        t->role = r;
    }

    get_str(c, o, "surname", "", &t->surname);
    get_given_names(c, o, &t->given_names);
    get_date(c, o, "birth_date", "", PS_DATE_YEAR, PS_DATE_DAY,
             "a date YYYY-MM-DD, YYYY-MM or YYYY", &t->birth_date);

    v = member_sent(o, "gender");
    if (v) {
        const char *s = json_is_string(v) ? json_string_value(v) : NULL;
        if (s && json_string_length(v) == 1 && strchr("MFXU", s[0]))
            t->gender = s[0];
        else
            ps_jb_bad_value(c, "invalid_field", "gender", v, "M, F, X or U");
    }

    get_str(c, o, "nationality", "", &t->nationality);
    get_str(c, o, "residence", "", &t->residence);
    get_str(c, o, "birth_place", "", &t->birth_place);
    get_str(c, o, "pnr", "", &t->pnr);
    get_str(c, o, "seat", "", &t->seat);
    get_str(c, o, "embarkation", "", &t->embarkation);
    get_str(c, o, "debarkation", "", &t->debarkation);
    get_str(c, o, "clearance", "", &t->clearance);
    get_str(c, o, "agency_ref", "", &t->agency_ref);
    get_str(c, o, "customer_ref", "", &t->customer_ref);
    get_str(c, o, "ticket", "", &t->ticket);
    get_str(c, o, "crew_function", "", &t->crew_function);
    get_str(c, o, "address", "", &t->address);
    get_str(c, o, "phone", "", &t->phone);
    get_str(c, o, "email", "", &t->email);
    get_str(c, o, "bag_tags", "", &t->bag_tags);

    v = ps_jb_member(o, "verified");
    if (v) {
        if (json_is_boolean(v))
            t->verified = json_is_true(v) ? 1 : 0;
        else
            ps_jb_bad_value(c, "invalid_field", "verified", v, "true or false");
    }
    v = ps_jb_member(o, "bags");
    if (v) {
        if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= INT32_MAX)
            t->bags = (int32_t)json_integer_value(v);
        else
            ps_jb_bad_value(c, "invalid_field", "bags", v, "a count (integer, 0 or more)");
    }

    /* Documents last: their MRZs are compared with the traveller fields read above. */
    json_t *docs = ps_jb_member(o, "documents");
    json_t *top_mrz = ps_jb_member(o, "mrz");
    size_t n_docs = docs && json_is_array(docs) ? json_array_size(docs) : 0;
    if (docs && !json_is_array(docs))
        ps_jb_bad_value(c, "invalid_field", "documents", docs, "an array of document objects");
    if (n_docs || top_mrz)
        t->documents = ps_arena_alloc(c->arena, (n_docs + 1) * sizeof(ps_document));
    for (size_t i = 0; i < n_docs; i++) {
        json_t *d = json_array_get(docs, i);
        if (!json_is_object(d)) {
            char path[48];
            snprintf(path, sizeof path, "documents[%zu]", i);
            ps_jb_bad_value(c, "invalid_field", path, d, "a document object");
            continue;
        }
        read_document(c, t, d, i, &t->documents[t->n_documents++]);
    }
    if (top_mrz)
        ps_jb_read_top_mrz(c, t, top_mrz);

    t->warnings = c->tw.items;
    t->n_warnings = c->tw.count;
}

static void read_place_time(ps_jb_ctx *c, json_t *f, const char *key, ps_str *airport,
                            ps_date *time)
{
    json_t *v = ps_jb_member(f, key);
    if (!v)
        return;
    char where[32];
    if (!json_is_object(v)) {
        snprintf(where, sizeof where, "flight.%s", key);
        ps_jb_bad_value(c, "invalid_field", where, v, "an object {airport, time}");
        return;
    }
    snprintf(where, sizeof where, "flight.%s.", key);
    get_str(c, v, "airport", where, airport);
    get_date(c, v, "time", where, PS_DATE_DAY, PS_DATE_MINUTE,
             "a time YYYY-MM-DDTHH:MM[:SS] (or a date YYYY-MM-DD)", time);
}

void ps_jb_read_flight(ps_jb_ctx *c, json_t *f, ps_flight_leg *l)
{
    memset(l, 0, sizeof *l);
    get_str(c, f, "carrier", "flight.", &l->carrier);
    get_str_or_int(c, f, "number", "flight.", &l->number);
    get_str(c, f, "conveyance", "flight.", &l->conveyance);
    read_place_time(c, f, "departure", &l->departure_airport, &l->departure_time);
    read_place_time(c, f, "arrival", &l->arrival_airport, &l->arrival_time);
    get_str(c, f, "final_destination", "flight.", &l->final_destination);
}
