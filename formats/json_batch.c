/* formats/json_batch.c — JSON input of travellers: a Batch object {"flight", "travellers"},
 * JSON Lines of bare Traveller objects, or one bare Traveller object, read with jansson into
 * ps_batch records (json_batch.h).
 *
 * Owns: telling the shapes apart and reading each one, jansson's errors, the byte offset of
 * every traveller, and assigning ids to travellers sent without one. Each object is mapped into
 * records by json_traveller.c, and its MRZs read and cross-checked by json_mrz.c. Invariants:
 * every string in a record is copied into the caller's arena (jansson's values are released
 * before returning); nothing here trims, re-cases or rewrites text. */
#include "json_batch_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any value at top level (so a line holding 42 is "not a traveller", not "not JSON"), and
 * \u0000 kept inside strings (ps_str has a length). */
#define JB_LOAD_FLAGS (JSON_DECODE_ANY | JSON_ALLOW_NUL)

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
    ps_jb_ctx c = {.arena = arena, .diags = diags, .offset = start};

    json_t *f = ps_jb_member(root, "flight");
    if (f && json_is_object(f)) {
        ps_jb_read_flight(&c, f, &out->flight);
        out->has_flight = true;
        if (out->flight.departure_time.precision >= PS_DATE_DAY)
            c.ref = &out->flight.departure_time;
    } else if (f) {
        ps_jb_bad_value(&c, "invalid_field", "flight", f, "a flight object");
    }

    json_t *list = ps_jb_member(root, "travellers");
    if (!list)
        return true;
    if (!json_is_array(list)) {
        char full[] = "travellers";
        ps_diag *d = ps_diag_add(diags, PS_ERROR, "invalid_field", 0, start,
                                 "travellers: expected an array of traveller objects, found %s;"
                                 " no traveller could be read",
                                 ps_jb_type_name(list));
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
            ps_jb_bad_value(&c, "invalid_traveller", path, o, "a traveller object");
            continue;
        }
        snprintf(c.prefix, sizeof c.prefix, "travellers[%zu].", i);
        ps_jb_read_traveller(&c, o, &out->travellers[out->n_travellers++]);
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

    ps_jb_ctx c = {.arena = arena, .diags = diags};
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
                ps_diag *d =
                    ps_diag_add(diags, PS_WARNING, "invalid_traveller", 0, i,
                                "line %u: expected a traveller object, found %s;"
                                " skipped",
                                line, json_is_object(v) ? "a batch object" : ps_jb_type_name(v));
                char field[32];
                int n = snprintf(field, sizeof field, "line %u", line);
                d->field = ps_arena_strdup(diags->arena, field, (size_t)n);
            } else {
                ps_jb_read_traveller(&c, v, &out->travellers[out->n_travellers++]);
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
                    ps_jb_type_name(root));
        ok = false;
    } else if (json_object_get(root, "travellers") || json_object_get(root, "flight")) {
        ok = read_batch(root, at, data, len, arena, out, diags);
    } else {
        ps_jb_ctx c = {.arena = arena, .diags = diags, .offset = at};
        out->travellers = ps_arena_alloc(arena, sizeof(ps_traveller));
        ps_jb_read_traveller(&c, root, &out->travellers[0]);
        out->n_travellers = 1;
    }
    json_decref(root);
    assign_ids(arena, out);
    return ok;
}
