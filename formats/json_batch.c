/* formats/json_batch.c — JSON input of travellers: a Batch object {"flight", "travellers"},
 * JSON Lines of bare Traveller objects, or one bare Traveller object, read with jansson into
 * ps_batch records (json_batch.h).
 *
 * Owns: telling the shapes apart, mapping every Traveller and flight field (interfaces.md)
 * into records, the warnings for fields of the wrong type or form (their field is the JSON
 * path), reading and cross-checking MRZs (mrz.h), and assigning ids to travellers sent without
 * one. Invariants: every string in a record is copied into the caller's arena (jansson's
 * values are released before returning); nothing here trims, re-cases or rewrites text. */
#include "paxscreen/json_batch.h"
#include "paxscreen/mrz.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any value at top level (so a line holding 42 is "not a traveller", not "not JSON"), and
 * \u0000 kept inside strings (ps_str has a length). */
#define JB_LOAD_FLAGS (JSON_DECODE_ANY | JSON_ALLOW_NUL)

/* How much of a bad value a warning quotes. */
#define JB_QUOTE_MAX 40

/* The traveller (or flight) being read: where it came from and where its findings go. */
typedef struct jb_ctx {
    ps_arena *arena;     /* records and their strings */
    ps_diag_list *diags; /* the caller's list: invalid_field and friends */
    const ps_date *ref;  /* reference date for MRZ two-digit years, or NULL for today */
    uint64_t offset;     /* byte offset of the object being read */
    char prefix[48];     /* put before every path: "travellers[3].", "line 12: " or "" */
    ps_diag_list tw;     /* warnings on the current traveller (t->warnings) */
} jb_ctx;

/* ---- small helpers ---------------------------------------------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Length of a UTF-8 byte order mark at the start of data, or 0. */
static size_t bom_len(const char *data, size_t len)
{
    return len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static const char *type_name(const json_t *v)
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

static ps_str copy_json_string(ps_arena *a, const json_t *v)
{
    size_t n = json_string_length(v);
    if (n == 0)
        return PS_STR_NULL;
    return ps_arena_strdup(a, json_string_value(v), n);
}

/* A warning (kind invalid_field unless told) about the value at path (relative to the context
 * prefix): what was expected and what came. The field is left out of the record. */
static void bad_value(jb_ctx *c, const char *kind, const char *path, const json_t *v,
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
                        v ? type_name(v) : "nothing");
    }
    d->field = ps_arena_strdup(c->diags->arena, full, strlen(full));
}

/* The member key of obj, or NULL when it is absent or null (null means "not sent"). */
static json_t *member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return v && !json_is_null(v) ? v : NULL;
}

/* Like member, but an empty string is "not sent" too (coded fields and dates, where "" is a
 * common way of saying unknown). */
static json_t *member_sent(json_t *obj, const char *key)
{
    json_t *v = member(obj, key);
    return v && json_is_string(v) && json_string_length(v) == 0 ? NULL : v;
}

/* where + key, e.g. "documents[0]." + "expiry". */
static void join_path(char *out, size_t size, const char *where, const char *key)
{
    snprintf(out, size, "%s%s", where, key);
}

/* A string member into *out. Absent or null leaves *out alone. */
static void get_str(jb_ctx *c, json_t *obj, const char *key, const char *where, ps_str *out)
{
    json_t *v = member(obj, key);
    if (!v)
        return;
    if (json_is_string(v)) {
        *out = copy_json_string(c->arena, v);
        return;
    }
    char path[128];
    join_path(path, sizeof path, where, key);
    bad_value(c, "invalid_field", path, v, "a string");
}

/* A string member, or an integer written in decimal (ids and flight numbers are often sent
 * as numbers). */
static void get_str_or_int(jb_ctx *c, json_t *obj, const char *key, const char *where, ps_str *out)
{
    json_t *v = member(obj, key);
    if (v && json_is_integer(v)) {
        char text[24];
        int n = snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *out = ps_arena_strdup(c->arena, text, (size_t)n);
        return;
    }
    get_str(c, obj, key, where, out);
}

/* A date member whose precision lies in [min_prec, max_prec]. */
static void get_date(jb_ctx *c, json_t *obj, const char *key, const char *where, int min_prec,
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
    bad_value(c, "invalid_field", path, v, expected);
}

/* given_names: a string, or an array of name strings joined by single spaces. */
static void get_given_names(jb_ctx *c, json_t *obj, ps_str *out)
{
    json_t *v = member(obj, "given_names");
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
            bad_value(c, "invalid_field", path, e, "a string (one given name)");
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

/* ---- MRZ -------------------------------------------------------------------------------- */

/* An "mrz" value (one string, or an array of line strings) as text; array lines are joined by
 * '\n'. path names the value for warnings. False when absent or unusable. */
static bool get_mrz_text(jb_ctx *c, json_t *v, const char *path, ps_str *out)
{
    if (json_is_string(v)) {
        *out = copy_json_string(c->arena, v);
        return out->len > 0;
    }
    if (!json_is_array(v)) {
        bad_value(c, "invalid_field", path, v, "a string or an array of line strings");
        return false;
    }
    size_t total = 0, i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e)) {
            char p2[160];
            snprintf(p2, sizeof p2, "%s[%zu]", path, i);
            bad_value(c, "invalid_field", p2, e, "a string (one MRZ line)");
            return false;
        }
        total += json_string_length(e) + 1;
    }
    if (total == 0)
        return false;
    char *p = ps_arena_alloc(c->arena, total);
    size_t n = 0;
    json_array_foreach(v, i, e)
    {
        if (i)
            p[n++] = '\n';
        memcpy(p + n, json_string_value(e), json_string_length(e));
        n += json_string_length(e);
    }
    *out = (ps_str){p, n};
    return true;
}

/* A warning on the current traveller; field is where + "." + name. */
static ps_diag *traveller_warning(jb_ctx *c, const char *kind, const char *where, const char *name,
                                  const char *msg)
{
    ps_diag *d = ps_diag_add(&c->tw, PS_WARNING, kind, 0, c->offset, "%s", msg);
    char field[160];
    if (name && name[0])
        snprintf(field, sizeof field, "%s.%s", where, name);
    else
        snprintf(field, sizeof field, "%s", where);
    d->field = ps_arena_strdup(c->arena, field, strlen(field));
    return d;
}

/* Parses an MRZ; its findings (failed check digits, unreadable zone) become warnings on the
 * traveller whose field is prefixed by where ("documents[0].mrz"). */
static bool parse_mrz(jb_ctx *c, ps_str text, const char *where, ps_mrz *m)
{
    ps_diag_list found;
    ps_diag_list_init(&found, c->arena);
    memset(m, 0, sizeof *m);
    bool ok = ps_mrz_parse(text.ptr, text.len, c->ref, m, &found);
    for (uint32_t i = 0; i < found.count; i++) {
        const ps_diag *f = &found.items[i];
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)f->field.len, f->field.ptr ? f->field.ptr : "");
        char msg[400];
        snprintf(msg, sizeof msg, "%.*s", (int)f->message.len,
                 f->message.ptr ? f->message.ptr : "");
        traveller_warning(c, f->kind, where, name, msg);
    }
    return ok;
}

/* Letters of an ASCII name, upper-cased, everything else dropped, into out (size n).
 * False when the name has non-ASCII bytes (its MRZ transliteration cannot be predicted). */
static bool name_key(const char *p, size_t len, char *out, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (ch >= 0x80)
            return false;
        if (ch >= 'a' && ch <= 'z')
            ch = (unsigned char)(ch - 'a' + 'A');
        if (ch >= 'A' && ch <= 'Z' && k + 1 < n)
            out[k++] = (char)ch;
    }
    out[k] = '\0';
    return true;
}

/* Letters and digits of a document number, upper-cased. */
static void number_key(const char *p, size_t len, char *out, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < n; i++) {
        char ch = p[i];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
            out[k++] = ch;
    }
    out[k] = '\0';
}

/* Country codes as compared with an MRZ: upper-cased, "D" read as "DEU". */
static void country_key(const char *p, size_t len, char *out, size_t n)
{
    number_key(p, len, out, n);
    if (strcmp(out, "D") == 0 && n >= 4)
        strcpy(out, "DEU");
}

static size_t mrz_name_field_len(ps_mrz_format f)
{
    return f == PS_MRZ_TD1 ? 30 : f == PS_MRZ_TD2 ? 31 : 39;
}

/* Fills absent document fields from the MRZ and reports a document number that disagrees. */
static void apply_mrz_document(jb_ctx *c, ps_document *doc, const ps_mrz *m, const char *where)
{
    if (doc->type.len == 0 && m->doc_code[0])
        doc->type = ps_arena_strdup(c->arena, m->doc_code, 1);
    if (doc->issuer.len == 0 && m->issuer[0])
        doc->issuer = ps_arena_strdup(c->arena, m->issuer, strlen(m->issuer));
    if (doc->expiry.precision == PS_DATE_NONE && m->expiry.precision != PS_DATE_NONE)
        doc->expiry = m->expiry;
    if (!m->number[0])
        return;
    if (doc->number.len == 0) {
        doc->number = ps_arena_strdup(c->arena, m->number, strlen(m->number));
        return;
    }
    char a[64], b[64];
    number_key(doc->number.ptr, doc->number.len, a, sizeof a);
    number_key(m->number, strlen(m->number), b, sizeof b);
    if (strcmp(a, b) != 0) {
        char msg[256];
        snprintf(msg, sizeof msg, "MRZ document number %s disagrees with number \"%.*s\"",
                 m->number, (int)(doc->number.len > 64 ? 64 : doc->number.len), doc->number.ptr);
        traveller_warning(c, "mrz_mismatch", where, "document_number", msg);
    }
}

/* Fills absent traveller fields from the MRZ and reports a surname, birth date or
 * nationality that disagrees with the one sent. */
static void apply_mrz_traveller(jb_ctx *c, ps_traveller *t, const ps_mrz *m, const char *where)
{
    char msg[256];

    if (m->surname[0]) {
        char a[128], b[128];
        if (t->surname.len == 0) {
            t->surname = ps_arena_strdup(c->arena, m->surname, strlen(m->surname));
        } else if (name_key(t->surname.ptr, t->surname.len, a, sizeof a)) {
            name_key(m->surname, strlen(m->surname), b, sizeof b);
            /* A full name field means the MRZ may hold a truncated surname. */
            size_t used = strlen(m->surname) + (m->given_names[0] ? 2 + strlen(m->given_names) : 0);
            bool truncated = used >= mrz_name_field_len(m->format);
            bool agree = strcmp(a, b) == 0 || (truncated && b[0] && strncmp(a, b, strlen(b)) == 0);
            if (!agree) {
                snprintf(msg, sizeof msg, "MRZ surname %s disagrees with surname \"%.*s\"",
                         m->surname, (int)(t->surname.len > 64 ? 64 : t->surname.len),
                         t->surname.ptr);
                traveller_warning(c, "mrz_mismatch", where, "surname", msg);
            }
        }
    }
    if (t->given_names.len == 0 && m->given_names[0])
        t->given_names = ps_arena_strdup(c->arena, m->given_names, strlen(m->given_names));

    if (m->birth_date.precision != PS_DATE_NONE) {
        if (t->birth_date.precision == PS_DATE_NONE) {
            t->birth_date = m->birth_date;
        } else {
            /* The MRZ has a two-digit year: its century is a guess, so only the last two
             * digits of the year can disagree. */
            ps_date md = m->birth_date;
            if (md.year % 100 == t->birth_date.year % 100)
                md.year = t->birth_date.year;
            if (ps_date_cmp(&md, &t->birth_date) != 0) {
                char x[17], y[17];
                ps_date_format(&m->birth_date, x);
                ps_date_format(&t->birth_date, y);
                snprintf(msg, sizeof msg, "MRZ birth date %s disagrees with birth_date %s", x, y);
                traveller_warning(c, "mrz_mismatch", where, "birth_date", msg);
            }
        }
    }

    if (t->gender == 0 && (m->sex == 'M' || m->sex == 'F' || m->sex == 'X'))
        t->gender = m->sex;

    if (m->nationality[0]) {
        if (t->nationality.len == 0) {
            t->nationality = ps_arena_strdup(c->arena, m->nationality, strlen(m->nationality));
        } else {
            char a[16], b[16];
            country_key(t->nationality.ptr, t->nationality.len, a, sizeof a);
            country_key(m->nationality, strlen(m->nationality), b, sizeof b);
            if (strcmp(a, b) != 0) {
                snprintf(msg, sizeof msg, "MRZ nationality %s disagrees with nationality \"%.*s\"",
                         m->nationality, (int)(t->nationality.len > 16 ? 16 : t->nationality.len),
                         t->nationality.ptr);
                traveller_warning(c, "mrz_mismatch", where, "nationality", msg);
            }
        }
    }
}

/* A top-level "mrz" on the traveller: attached to the document with its number, or to a new
 * document filled from the zone. t->documents has room for one more document. */
static void read_top_mrz(jb_ctx *c, ps_traveller *t, json_t *v)
{
    ps_str text;
    if (!get_mrz_text(c, v, "mrz", &text))
        return;
    for (uint32_t i = 0; i < t->n_documents; i++)
        if (ps_str_eq(t->documents[i].mrz, text))
            return; /* the same zone was sent on a document too; checked there */
    ps_mrz m;
    bool ok = parse_mrz(c, text, "mrz", &m);
    ps_document *doc = NULL;
    if (ok && m.number[0]) {
        char want[64], have[64];
        number_key(m.number, strlen(m.number), want, sizeof want);
        for (uint32_t i = 0; i < t->n_documents && !doc; i++) {
            ps_document *d = &t->documents[i];
            number_key(d->number.ptr, d->number.len, have, sizeof have);
            if (strcmp(want, have) == 0 && d->mrz.len == 0)
                doc = d;
        }
    }
    if (!doc) {
        doc = &t->documents[t->n_documents++];
        memset(doc, 0, sizeof *doc);
    }
    doc->mrz = text;
    if (ok) {
        apply_mrz_document(c, doc, &m, "mrz");
        apply_mrz_traveller(c, t, &m, "mrz");
    }
}

/* ---- records ---------------------------------------------------------------------------- */

static void read_document(jb_ctx *c, ps_traveller *t, json_t *o, size_t index, ps_document *doc)
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

    json_t *mv = member(o, "mrz");
    if (!mv)
        return;
    char path[64];
    snprintf(path, sizeof path, "documents[%zu].mrz", index);
    if (!get_mrz_text(c, mv, path, &doc->mrz))
        return;
    ps_mrz m;
    if (parse_mrz(c, doc->mrz, path, &m)) {
        apply_mrz_document(c, doc, &m, path);
        apply_mrz_traveller(c, t, &m, path);
    }
}

static void read_traveller(jb_ctx *c, json_t *o, ps_traveller *t)
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
            bad_value(c, "invalid_field", "role", v,
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
            bad_value(c, "invalid_field", "gender", v, "M, F, X or U");
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

    v = member(o, "verified");
    if (v) {
        if (json_is_boolean(v))
            t->verified = json_is_true(v) ? 1 : 0;
        else
            bad_value(c, "invalid_field", "verified", v, "true or false");
    }
    v = member(o, "bags");
    if (v) {
        if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= INT32_MAX)
            t->bags = (int32_t)json_integer_value(v);
        else
            bad_value(c, "invalid_field", "bags", v, "a count (integer, 0 or more)");
    }

    /* Documents last: their MRZs are compared with the traveller fields read above. */
    json_t *docs = member(o, "documents");
    json_t *top_mrz = member(o, "mrz");
    size_t n_docs = docs && json_is_array(docs) ? json_array_size(docs) : 0;
    if (docs && !json_is_array(docs))
        bad_value(c, "invalid_field", "documents", docs, "an array of document objects");
    if (n_docs || top_mrz)
        t->documents = ps_arena_alloc(c->arena, (n_docs + 1) * sizeof(ps_document));
    for (size_t i = 0; i < n_docs; i++) {
        json_t *d = json_array_get(docs, i);
        if (!json_is_object(d)) {
            char path[48];
            snprintf(path, sizeof path, "documents[%zu]", i);
            bad_value(c, "invalid_field", path, d, "a document object");
            continue;
        }
        read_document(c, t, d, i, &t->documents[t->n_documents++]);
    }
    if (top_mrz)
        read_top_mrz(c, t, top_mrz);

    t->warnings = c->tw.items;
    t->n_warnings = c->tw.count;
}

static void read_place_time(jb_ctx *c, json_t *f, const char *key, ps_str *airport, ps_date *time)
{
    json_t *v = member(f, key);
    if (!v)
        return;
    char where[32];
    if (!json_is_object(v)) {
        snprintf(where, sizeof where, "flight.%s", key);
        bad_value(c, "invalid_field", where, v, "an object {airport, time}");
        return;
    }
    snprintf(where, sizeof where, "flight.%s.", key);
    get_str(c, v, "airport", where, airport);
    get_date(c, v, "time", where, PS_DATE_DAY, PS_DATE_MINUTE,
             "a time YYYY-MM-DDTHH:MM[:SS] (or a date YYYY-MM-DD)", time);
}

static void read_flight(jb_ctx *c, json_t *f, ps_flight_leg *l)
{
    memset(l, 0, sizeof *l);
    get_str(c, f, "carrier", "flight.", &l->carrier);
    get_str_or_int(c, f, "number", "flight.", &l->number);
    get_str(c, f, "conveyance", "flight.", &l->conveyance);
    read_place_time(c, f, "departure", &l->departure_airport, &l->departure_time);
    read_place_time(c, f, "arrival", &l->arrival_airport, &l->arrival_time);
    get_str(c, f, "final_destination", "flight.", &l->final_destination);
}

/* ---- where each traveller of a batch starts ----------------------------------------------- */
/* jansson gives no offsets of values, so a small scanner over the (already validated) text
 * finds where each element of the top-level "travellers" array begins. Bounded by len at
 * every step, so odd input only makes it give up. */

static size_t skip_ws(const char *p, size_t i, size_t len)
{
    while (i < len && is_blank(p[i]))
        i++;
    return i;
}

/* p[i] is '"': returns the index after the closing quote. */
static size_t skip_string(const char *p, size_t i, size_t len)
{
    for (i++; i < len; i++) {
        if (p[i] == '\\')
            i++;
        else if (p[i] == '"')
            return i + 1;
    }
    return len;
}

static size_t skip_value(const char *p, size_t i, size_t len)
{
    if (i >= len)
        return len;
    if (p[i] == '"')
        return skip_string(p, i, len);
    if (p[i] == '{' || p[i] == '[') {
        size_t depth = 0;
        while (i < len) {
            char ch = p[i];
            if (ch == '"') {
                i = skip_string(p, i, len);
                continue;
            }
            if (ch == '{' || ch == '[')
                depth++;
            else if ((ch == '}' || ch == ']') && --depth == 0)
                return i + 1;
            i++;
        }
        return len;
    }
    while (i < len && !is_blank(p[i]) && p[i] != ',' && p[i] != '}' && p[i] != ']')
        i++;
    return i;
}

/* Fills offs[0..n) with the offsets of the elements of the last top-level "travellers" key.
 * False when the text does not show exactly n of them (an escaped key, say). */
static bool traveller_offsets(const char *p, size_t i, size_t len, uint64_t *offs, size_t n)
{
    size_t found = 0;
    bool seen = false;
    i = skip_ws(p, i, len);
    if (i >= len || p[i] != '{')
        return false;
    i++;
    for (;;) {
        i = skip_ws(p, i, len);
        if (i >= len || p[i] != '"')
            break;
        size_t key = i;
        i = skip_string(p, i, len);
        bool is_travellers = i - key == 12 && memcmp(p + key, "\"travellers\"", 12) == 0;
        i = skip_ws(p, i, len);
        if (i >= len || p[i] != ':')
            return false;
        i = skip_ws(p, i + 1, len);
        if (is_travellers && i < len && p[i] == '[') {
            seen = true;
            found = 0;
            i++;
            for (;;) {
                i = skip_ws(p, i, len);
                if (i >= len || p[i] == ']')
                    break;
                if (found < n)
                    offs[found] = i;
                found++;
                i = skip_ws(p, skip_value(p, i, len), len);
                if (i < len && p[i] == ',')
                    i++;
            }
            i++;
        } else {
            i = skip_value(p, i, len);
        }
        i = skip_ws(p, i, len);
        if (i < len && p[i] == ',')
            i++;
        else
            break;
    }
    return seen && found == n;
}

/* ---- shapes ----------------------------------------------------------------------------- */

static void jansson_error(ps_diag_list *diags, const json_error_t *e, uint32_t line,
                          uint64_t line_start, bool json_lines)
{
    uint64_t at = line_start + (uint64_t)(e->position > 0 ? e->position : 0);
    ps_diag *d =
        ps_diag_add(diags, PS_ERROR, "invalid_json", 0, at,
                    "not JSON at line %u, column %d (byte %llu): %s%s", line, e->column,
                    (unsigned long long)at, e->text, json_lines ? "; this line is skipped" : "");
    if (json_lines) {
        char field[32];
        int n = snprintf(field, sizeof field, "line %u", line);
        d->field = ps_arena_strdup(diags->arena, field, (size_t)n);
    }
}

static bool read_batch(json_t *root, size_t start, const char *data, size_t len, ps_arena *arena,
                       ps_batch *out, ps_diag_list *diags)
{
    jb_ctx c = {.arena = arena, .diags = diags, .offset = start};

    json_t *f = member(root, "flight");
    if (f && json_is_object(f)) {
        read_flight(&c, f, &out->flight);
        out->has_flight = true;
        if (out->flight.departure_time.precision >= PS_DATE_DAY)
            c.ref = &out->flight.departure_time;
    } else if (f) {
        bad_value(&c, "invalid_field", "flight", f, "a flight object");
    }

    json_t *list = member(root, "travellers");
    if (!list)
        return true;
    if (!json_is_array(list)) {
        char full[] = "travellers";
        ps_diag *d = ps_diag_add(diags, PS_ERROR, "invalid_field", 0, start,
                                 "travellers: expected an array of traveller objects, found %s;"
                                 " no traveller could be read",
                                 type_name(list));
        d->field = ps_arena_strdup(diags->arena, full, strlen(full));
        return out->has_flight;
    }

    size_t n = json_array_size(list);
    if (n == 0)
        return true;
    uint64_t *offs = malloc(n * sizeof *offs);
    bool have_offs = offs && traveller_offsets(data, start, len, offs, n);
    out->travellers = ps_arena_alloc(arena, n * sizeof(ps_traveller));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(list, i);
        c.offset = have_offs ? offs[i] : start;
        if (!json_is_object(o)) {
            char path[40];
            snprintf(path, sizeof path, "travellers[%zu]", i);
            c.prefix[0] = '\0';
            bad_value(&c, "invalid_traveller", path, o, "a traveller object");
            continue;
        }
        snprintf(c.prefix, sizeof c.prefix, "travellers[%zu].", i);
        read_traveller(&c, o, &out->travellers[out->n_travellers++]);
    }
    free(offs);
    return true;
}

/* True when the line [p, p+n) is, on its own, one complete JSON object. */
static bool line_is_object(const char *p, size_t n)
{
    json_error_t e;
    json_t *v = json_loadb(p, n, JB_LOAD_FLAGS, &e);
    bool ok = v && json_is_object(v);
    json_decref(v);
    return ok;
}

/* End of the line starting at i (index of its '\n', or len). */
static size_t line_end(const char *data, size_t i, size_t len)
{
    const char *nl = memchr(data + i, '\n', len - i);
    return nl ? (size_t)(nl - data) : len;
}

static bool line_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_blank(p[i]))
            return false;
    return true;
}

/* Whether text that is not one JSON document is JSON Lines: one of its first three non-blank
 * lines is a complete object by itself. (A pretty-printed document broken somewhere has no
 * such line at its top; JSON Lines with a bad first line still shows a good second one.) */
static bool looks_like_lines(const char *data, size_t start, size_t len)
{
    int seen = 0;
    for (size_t i = start; i < len && seen < 3;) {
        size_t end = line_end(data, i, len);
        if (!line_blank(data + i, end - i)) {
            if (line_is_object(data + i, end - i))
                return true;
            seen++;
        }
        i = end + 1;
    }
    return false;
}

static bool read_lines(const char *data, size_t start, size_t len, ps_arena *arena, ps_batch *out,
                       ps_diag_list *diags)
{
    out->json_lines = true;
    size_t cap = 0;
    for (size_t i = start; i < len;) {
        size_t end = line_end(data, i, len);
        cap += !line_blank(data + i, end - i);
        i = end + 1;
    }
    out->travellers = ps_arena_alloc(arena, (cap ? cap : 1) * sizeof(ps_traveller));

    jb_ctx c = {.arena = arena, .diags = diags};
    uint32_t line = 0;
    for (size_t i = start; i < len;) {
        size_t end = line_end(data, i, len);
        line++;
        if (!line_blank(data + i, end - i)) {
            json_error_t e;
            json_t *v = json_loadb(data + i, end - i, JB_LOAD_FLAGS, &e);
            c.offset = i;
            snprintf(c.prefix, sizeof c.prefix, "line %u: ", line);
            if (!v) {
                jansson_error(diags, &e, line, i, true);
            } else if (!json_is_object(v) || json_object_get(v, "travellers")) {
                /* A batch object among the lines would read as an empty traveller. */
                ps_diag *d = ps_diag_add(diags, PS_WARNING, "invalid_traveller", 0, i,
                                         "line %u: expected a traveller object, found %s;"
                                         " skipped",
                                         line, json_is_object(v) ? "a batch object" : type_name(v));
                char field[32];
                int n = snprintf(field, sizeof field, "line %u", line);
                d->field = ps_arena_strdup(diags->arena, field, (size_t)n);
            } else {
                read_traveller(&c, v, &out->travellers[out->n_travellers++]);
            }
            json_decref(v);
        }
        i = end + 1;
    }
    return out->n_travellers > 0;
}

/* ---- ids -------------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    const ps_str *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int r = n ? memcmp(x->ptr, y->ptr, n) : 0;
    return r ? r : (x->len > y->len) - (x->len < y->len);
}

/* Travellers sent without an id get "T" + their 1-based position; should the sender have used
 * that id for someone else, "-2", "-3" ... is added until it is unique. */
static void assign_ids(ps_arena *arena, ps_batch *b)
{
    uint32_t missing = 0, sent = 0;
    for (uint32_t i = 0; i < b->n_travellers; i++)
        missing += b->travellers[i].id.len == 0;
    if (!missing)
        return;
    ps_str *ids = malloc((b->n_travellers - missing + 1) * sizeof *ids);
    if (!ids)
        abort();
    for (uint32_t i = 0; i < b->n_travellers; i++)
        if (b->travellers[i].id.len && b->travellers[i].id.ptr[0] == 'T')
            ids[sent++] = b->travellers[i].id;
    qsort(ids, sent, sizeof *ids, cmp_str);

    for (uint32_t i = 0; i < b->n_travellers; i++) {
        ps_traveller *t = &b->travellers[i];
        if (t->id.len)
            continue;
        char text[32];
        int n = snprintf(text, sizeof text, "T%u", i + 1);
        for (unsigned k = 2;; k++) {
            ps_str key = {text, (size_t)n};
            if (!sent || !bsearch(&key, ids, sent, sizeof *ids, cmp_str))
                break;
            n = snprintf(text, sizeof text, "T%u-%u", i + 1, k);
        }
        t->id = ps_arena_strdup(arena, text, (size_t)n);
        t->id_assigned = true;
    }
    free(ids);
}

/* ---- entry points ----------------------------------------------------------------------- */

bool ps_json_looks_like(const char *data, size_t len)
{
    size_t i = bom_len(data, len);
    while (i < len && is_blank(data[i]))
        i++;
    return i < len && (data[i] == '{' || data[i] == '[');
}

bool ps_json_batch_parse(const char *data, size_t len, ps_arena *arena, ps_batch *out,
                         ps_diag_list *diags)
{
    memset(out, 0, sizeof *out);
    size_t start = bom_len(data, len);
    if (line_blank(data + start, len - start)) {
        ps_diag_add(diags, PS_ERROR, "empty_input", 0, 0,
                    "no JSON in the input: it is empty or blank");
        return false;
    }

    json_error_t e;
    json_t *root = json_loadb(data + start, len - start, JB_LOAD_FLAGS, &e);
    if (!root) {
        if (looks_like_lines(data, start, len)) {
            bool ok = read_lines(data, start, len, arena, out, diags);
            assign_ids(arena, out);
            return ok;
        }
        jansson_error(diags, &e, (uint32_t)e.line, start, false);
        return false;
    }

    size_t at = skip_ws(data, start, len);
    bool ok = true;
    if (!json_is_object(root)) {
        ps_diag_add(diags, PS_ERROR, "invalid_batch", 0, at,
                    "expected a batch object {\"flight\", \"travellers\"} or a traveller object,"
                    " found %s",
                    type_name(root));
        ok = false;
    } else if (json_object_get(root, "travellers") || json_object_get(root, "flight")) {
        ok = read_batch(root, at, data, len, arena, out, diags);
    } else {
        jb_ctx c = {.arena = arena, .diags = diags, .offset = at};
        out->travellers = ps_arena_alloc(arena, sizeof(ps_traveller));
        read_traveller(&c, root, &out->travellers[0]);
        out->n_travellers = 1;
    }
    json_decref(root);
    assign_ids(arena, out);
    return ok;
}
