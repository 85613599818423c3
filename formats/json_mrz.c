/* formats/json_mrz.c — MRZs sent in JSON (json_batch_internal.h): an "mrz" on a document or
 * on the traveller, as one string or an array of lines, parsed with ps_mrz_parse (mrz.h). Its
 * findings become warnings on the traveller; fields the sender left out are filled from the
 * zone, and a document number, surname, birth date or nationality that disagrees with it is an
 * mrz_mismatch warning. */
#include "json_batch_internal.h"
#include "paxscreen/mrz.h"

#include <stdio.h>
#include <string.h>

/* ---- MRZ -------------------------------------------------------------------------------- */

/* An "mrz" value (one string, or an array of line strings) as text; array lines are joined by
 * '\n'. path names the value for warnings. False when absent or unusable. */
static bool get_mrz_text(ps_jb_ctx *c, json_t *v, const char *path, ps_str *out)
{
    if (json_is_string(v)) {
        *out = ps_jb_copy_string(c->arena, v);
        return out->len > 0;
    }
    if (!json_is_array(v)) {
        ps_jb_bad_value(c, "invalid_field", path, v, "a string or an array of line strings");
        return false;
    }
    size_t total = 0, i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e)) {
            char p2[160];
            snprintf(p2, sizeof p2, "%s[%zu]", path, i);
            ps_jb_bad_value(c, "invalid_field", p2, e, "a string (one MRZ line)");
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
static ps_diag *traveller_warning(ps_jb_ctx *c, const char *kind, const char *where,
                                  const char *name, const char *msg)
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
static bool parse_mrz(ps_jb_ctx *c, ps_str text, const char *where, ps_mrz *m)
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
static void apply_mrz_document(ps_jb_ctx *c, ps_document *doc, const ps_mrz *m, const char *where)
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
static void apply_mrz_traveller(ps_jb_ctx *c, ps_traveller *t, const ps_mrz *m, const char *where)
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

/* ---- entry points (json_traveller.c) ---------------------------------------------------- */

void ps_jb_read_document_mrz(ps_jb_ctx *c, ps_traveller *t, json_t *o, size_t index,
                             ps_document *doc)
{
    json_t *mv = ps_jb_member(o, "mrz");
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

void ps_jb_read_top_mrz(ps_jb_ctx *c, ps_traveller *t, json_t *v)
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
