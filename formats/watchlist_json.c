/* formats/watchlist_json.c — one JSON line of a watchlist import file into a ps_wl_entry
 * (interfaces.md "Watchlist entry"), with jansson. A line that cannot be an entry is one error
 * naming the line and the field; nothing of it is kept. Unknown keys are ignored. */
#include "paxscreen/watchlist.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char *ps_action_name(ps_action a)
{
    switch (a) {
    case PS_ACTION_NO_BOARD:
        return "no_board";
    case PS_ACTION_REFER:
        return "refer";
    case PS_ACTION_NOTIFY:
        return "notify";
    default:
        return "";
    }
}

ps_action ps_action_from_name(const char *p, size_t len)
{
    for (int a = PS_ACTION_NO_BOARD; a <= PS_ACTION_NOTIFY; a++) {
        const char *n = ps_action_name((ps_action)a);
        if (strlen(n) == len && memcmp(n, p, len) == 0)
            return (ps_action)a;
    }
    return PS_ACTION_NONE;
}

const char *ps_name_type_name(ps_name_type t)
{
    switch (t) {
    case PS_NAME_ALIAS:
        return "alias";
    case PS_NAME_WEAK_ALIAS:
        return "weak_alias";
    default:
        return "primary";
    }
}

typedef struct wl_ctx {
    ps_arena *arena;
    ps_diag_list *diags;
    uint64_t line_no;
    bool failed;
} wl_ctx;

/* The line's one error: the first problem found names the field (and the line, when the
 * entry came from a file: line_no > 0). */
static void fail(wl_ctx *c, const char *field, const char *what)
{
    if (c->failed)
        return;
    c->failed = true;
    char path[96]; /* "line N: field", or the field alone for line 0 (one entry, no file) */
    if (c->line_no)
        snprintf(path, sizeof path, "line %llu: %s", (unsigned long long)c->line_no, field);
    else
        snprintf(path, sizeof path, "%s", field);
    ps_diag *d = ps_diag_add(c->diags, PS_ERROR, "invalid_entry", 0, 0, "%s: %s", path, what);
    d->field = ps_arena_strdup(c->diags->arena, path, strlen(path));
}

static ps_str copy(wl_ctx *c, json_t *v)
{
    return ps_arena_strdup(c->arena, json_string_value(v), json_string_length(v));
}

/* An optional string member; a present non-string is an error. */
static ps_str get_str(wl_ctx *c, json_t *obj, const char *key, const char *field)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return PS_STR_NULL;
    if (!json_is_string(v)) {
        fail(c, field, "must be a string");
        return PS_STR_NULL;
    }
    return copy(c, v);
}

/* An optional string member of the object at path ("names[2]"), named "path.key" in errors. */
static ps_str get_sub(wl_ctx *c, json_t *obj, const char *path, const char *key)
{
    char field[96];
    snprintf(field, sizeof field, "%s.%s", path, key);
    return get_str(c, obj, key, field);
}

/* An optional array member; each item handled by the caller. */
static json_t *get_array(wl_ctx *c, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_array(v)) {
        fail(c, key, "must be an array");
        return NULL;
    }
    return v;
}

static void read_names(wl_ctx *c, json_t *obj, ps_wl_entry *e)
{
    json_t *arr = get_array(c, obj, "names");
    if (!arr)
        return;
    size_t n = json_array_size(arr);
    e->names = ps_arena_calloc(c->arena, (n ? n : 1) * sizeof *e->names);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        char field[48];
        snprintf(field, sizeof field, "names[%zu]", i);
        if (!json_is_object(o)) {
            fail(c, field, "must be an object");
            return;
        }
        ps_wl_name *nm = &e->names[e->n_names];
        nm->surname = get_sub(c, o, field, "surname");
        nm->given_names = get_sub(c, o, field, "given_names");
        nm->full = get_sub(c, o, field, "full");
        ps_str type = get_sub(c, o, field, "type");
        if (!type.len || ps_str_eq_cstr(type, "primary"))
            nm->type = PS_NAME_PRIMARY;
        else if (ps_str_eq_cstr(type, "alias"))
            nm->type = PS_NAME_ALIAS;
        else if (ps_str_eq_cstr(type, "weak_alias"))
            nm->type = PS_NAME_WEAK_ALIAS;
        else {
            char path[64];
            snprintf(path, sizeof path, "%s.type", field);
            fail(c, path, "must be primary, alias or weak_alias");
        }
        if (!nm->surname.len && !nm->given_names.len && !nm->full.len) {
            fail(c, field, "has neither surname/given_names nor full");
            return;
        }
        e->n_names++;
    }
}

static void read_birth_dates(wl_ctx *c, json_t *obj, ps_wl_entry *e)
{
    json_t *arr = get_array(c, obj, "birth_dates");
    if (!arr)
        return;
    size_t n = json_array_size(arr);
    e->birth_dates = ps_arena_calloc(c->arena, (n ? n : 1) * sizeof *e->birth_dates);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(arr, i);
        char field[48];
        snprintf(field, sizeof field, "birth_dates[%zu]", i);
        ps_date d;
        if (!json_is_string(v) ||
            !ps_date_parse_iso(json_string_value(v), json_string_length(v), &d) ||
            d.precision > PS_DATE_DAY) {
            fail(c, field, "must be YYYY, YYYY-MM or YYYY-MM-DD");
            return;
        }
        e->birth_dates[e->n_birth_dates++] = d;
    }
}

static void read_strings(wl_ctx *c, json_t *obj, const char *key, ps_str **out, uint32_t *n_out)
{
    json_t *arr = get_array(c, obj, key);
    if (!arr)
        return;
    size_t n = json_array_size(arr);
    *out = ps_arena_calloc(c->arena, (n ? n : 1) * sizeof **out);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(arr, i);
        if (!json_is_string(v)) {
            char field[48];
            snprintf(field, sizeof field, "%s[%zu]", key, i);
            fail(c, field, "must be a string");
            return;
        }
        (*out)[(*n_out)++] = copy(c, v);
    }
}

static void read_documents(wl_ctx *c, json_t *obj, ps_wl_entry *e)
{
    json_t *arr = get_array(c, obj, "documents");
    if (!arr)
        return;
    size_t n = json_array_size(arr);
    e->documents = ps_arena_calloc(c->arena, (n ? n : 1) * sizeof *e->documents);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        char field[48];
        snprintf(field, sizeof field, "documents[%zu]", i);
        if (!json_is_object(o)) {
            fail(c, field, "must be an object");
            return;
        }
        ps_wl_document *d = &e->documents[e->n_documents];
        d->type = get_sub(c, o, field, "type");
        d->number = get_sub(c, o, field, "number");
        d->pattern = get_sub(c, o, field, "pattern");
        d->issuer = get_sub(c, o, field, "issuer");
        d->status = get_sub(c, o, field, "status");
        if (!d->number.len && !d->pattern.len) {
            fail(c, field, "has neither number nor pattern");
            return;
        }
        e->n_documents++;
    }
}

bool ps_wl_entry_parse(const char *line, size_t len, uint64_t line_no, ps_arena *arena,
                       ps_wl_entry *out, ps_diag_list *diags)
{
    memset(out, 0, sizeof *out);
    wl_ctx c = {arena, diags, line_no, false};
    json_error_t err;
    json_t *root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        ps_diag *d = ps_diag_add(diags, PS_ERROR, "invalid_json", 0, 0, "line %llu, column %d: %s",
                                 (unsigned long long)line_no, err.column, err.text);
        char path[48];
        snprintf(path, sizeof path, "line %llu", (unsigned long long)line_no);
        d->field = ps_arena_strdup(diags->arena, path, strlen(path));
        return false;
    }
    if (!json_is_object(root)) {
        fail(&c, "entry", "must be a JSON object");
        json_decref(root);
        return false;
    }
    out->list = get_str(&c, root, "list", "list");
    out->id = get_str(&c, root, "id", "id");
    if (!c.failed && !out->list.len)
        fail(&c, "list", "is required");
    if (!c.failed && !out->id.len)
        fail(&c, "id", "is required");
    json_t *deleted = json_object_get(root, "deleted");
    if (deleted && !json_is_boolean(deleted))
        fail(&c, "deleted", "must be true or false");
    out->deleted = json_is_true(deleted);
    if (!out->deleted && !c.failed) {
        ps_str action = get_str(&c, root, "action", "action");
        if (action.len) {
            out->action = ps_action_from_name(action.ptr, action.len);
            if (out->action == PS_ACTION_NONE)
                fail(&c, "action", "must be no_board, refer or notify");
        }
        out->category = get_str(&c, root, "category", "category");
        ps_str gender = get_str(&c, root, "gender", "gender");
        if (gender.len == 1 && strchr("MFXU", gender.ptr[0]))
            out->gender = gender.ptr[0];
        else if (gender.len)
            fail(&c, "gender", "must be M, F, X or U");
        read_names(&c, root, out);
        read_birth_dates(&c, root, out);
        read_strings(&c, root, "nationalities", &out->nationalities, &out->n_nationalities);
        read_documents(&c, root, out);
        read_strings(&c, root, "name_patterns", &out->name_patterns, &out->n_name_patterns);
        if (!c.failed && !out->n_names && !out->n_documents && !out->n_name_patterns)
            fail(&c, "entry", "has no names, documents or name_patterns to match on");
    }
    json_decref(root);
    return !c.failed;
}
