/* formats/rule_json.c — targeting rules (paxscreen/rule.h) from and to JSON, with jansson.
 * A text that is not a valid rule gives exactly one error diag whose field is the JSON path of
 * the first problem ("when.all[1].matches"); nothing of it is kept. Also the rule field names
 * and the validity-window arithmetic (dates to seconds since the epoch, UTC). */
#include "paxscreen/record_json.h"
#include "paxscreen/rule.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const field_names[PS_RULE_FIELDS] = {
    [PS_RF_SURNAME] = "surname",
    [PS_RF_GIVEN_NAMES] = "given_names",
    [PS_RF_BIRTH_DATE] = "birth_date",
    [PS_RF_NATIONALITY] = "nationality",
    [PS_RF_DOCUMENT_NUMBER] = "document_number",
    [PS_RF_DOCUMENT_ISSUER] = "document_issuer",
    [PS_RF_ROUTE] = "route",
    [PS_RF_CARRIER] = "carrier",
    [PS_RF_FLIGHT_NUMBER] = "flight_number",
    [PS_RF_PNR] = "pnr",
    [PS_RF_SEAT] = "seat",
    [PS_RF_FREE_TEXT] = "free_text",
};

const char *ps_rule_field_name(ps_rule_field f)
{
    return (unsigned)f < PS_RULE_FIELDS ? field_names[f] : "";
}

bool ps_rule_field_from_name(const char *p, size_t len, ps_rule_field *out)
{
    for (int f = 0; f < PS_RULE_FIELDS; f++) {
        if (strlen(field_names[f]) == len && memcmp(field_names[f], p, len) == 0) {
            *out = (ps_rule_field)f;
            return true;
        }
    }
    return false;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int64_t ps_rule_time(const ps_date *d, bool until)
{
    if (d->precision == PS_DATE_NONE)
        return until ? INT64_MAX : INT64_MIN;
    unsigned m = d->precision >= PS_DATE_MONTH ? d->month : 1;
    unsigned day = d->precision >= PS_DATE_DAY ? d->day : 1;
    int64_t y = d->year;
    if (until) { /* the first moment after the period d names */
        if (d->precision == PS_DATE_YEAR)
            y++;
        else if (d->precision == PS_DATE_MONTH && ++m > 12)
            m = 1, y++;
    }
    int64_t t = days_from_civil(y, m, day) * 86400;
    if (d->precision == PS_DATE_MINUTE)
        t += (int64_t)d->hour * 3600 + (int64_t)d->minute * 60;
    else if (until && d->precision == PS_DATE_DAY)
        t += 86400;
    return t;
}

/* ---- reading ---- */

typedef struct rule_ctx {
    ps_arena *arena;
    ps_diag_list *diags;
    uint64_t line_no;
    bool failed;
    uint32_t nodes, leaves;
} rule_ctx;

static void fail(rule_ctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The rule's one error: the first problem found names its path. */
static void fail(rule_ctx *c, const char *path, const char *fmt, ...)
{
    if (c->failed)
        return;
    c->failed = true;
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    ps_diag *d;
    if (c->line_no)
        d = ps_diag_add(c->diags, PS_ERROR, "invalid_rule", 0, 0, "line %llu: %s: %s",
                        (unsigned long long)c->line_no, path, what);
    else
        d = ps_diag_add(c->diags, PS_ERROR, "invalid_rule", 0, 0, "%s: %s", path, what);
    d->field = ps_arena_strdup(c->diags->arena, path, strlen(path));
}

static ps_str copy(rule_ctx *c, json_t *v)
{
    return ps_arena_strdup(c->arena, json_string_value(v), json_string_length(v));
}

/* Only the keys named in allowed (NULL-terminated) may appear in obj. */
static bool known_keys(rule_ctx *c, json_t *obj, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            ok = ok || strcmp(*a, key) == 0;
        if (!ok) {
            const char *name = key[0] ? key : "\"\""; /* an empty key is still named */
            char where[600];
            if (path[0])
                snprintf(where, sizeof where, "%s.%.128s", path, name);
            else
                snprintf(where, sizeof where, "%.128s", name);
            fail(c, where, "unknown key");
            return false;
        }
    }
    return true;
}

static bool has_control(ps_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if ((unsigned char)s.ptr[i] < 0x20 || s.ptr[i] == 0x7f)
            return true;
    return false;
}

static bool read_cond(rule_ctx *c, json_t *v, const char *path, uint32_t depth, ps_rule_cond *out);

/* {"all": [...]} / {"any": [...]} */
static bool read_list(rule_ctx *c, json_t *arr, const char *path, const char *key, uint32_t depth,
                      ps_rule_cond *out)
{
    char where[512];
    snprintf(where, sizeof where, "%s.%s", path, key);
    if (!json_is_array(arr)) {
        fail(c, where, "must be an array of conditions");
        return false;
    }
    size_t n = json_array_size(arr);
    if (n == 0) {
        fail(c, where, "must hold at least one condition");
        return false;
    }
    if (n > PS_RULE_MAX_NODES) {
        fail(c, where, "more than %d conditions", PS_RULE_MAX_NODES);
        return false;
    }
    out->kids = ps_arena_calloc(c->arena, n * sizeof *out->kids);
    out->n_kids = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        char kid[540];
        snprintf(kid, sizeof kid, "%s[%zu]", where, i);
        if (!read_cond(c, json_array_get(arr, i), kid, depth + 1, &out->kids[i]))
            return false;
    }
    return true;
}

static bool read_leaf(rule_ctx *c, json_t *obj, const char *path, ps_rule_cond *out)
{
    static const char *const allowed[] = {"field", "equals", "matches", NULL};
    if (!known_keys(c, obj, path, allowed))
        return false;
    char where[512];
    json_t *f = json_object_get(obj, "field");
    snprintf(where, sizeof where, "%s.field", path);
    if (!f) {
        fail(c, where, "is required");
        return false;
    }
    if (!json_is_string(f) ||
        !ps_rule_field_from_name(json_string_value(f), json_string_length(f), &out->field)) {
        fail(c, where,
             "must be one of surname, given_names, birth_date, nationality, document_number, "
             "document_issuer, route, carrier, flight_number, pnr, seat, free_text");
        return false;
    }
    json_t *eq = json_object_get(obj, "equals"), *re = json_object_get(obj, "matches");
    if (eq && re) {
        fail(c, path, "give equals or matches, not both");
        return false;
    }
    if (!eq && !re) {
        fail(c, path, "a condition on a field needs equals or matches");
        return false;
    }
    const char *key = eq ? "equals" : "matches";
    json_t *t = eq ? eq : re;
    snprintf(where, sizeof where, "%s.%s", path, key);
    if (!json_is_string(t)) {
        fail(c, where, "must be a string");
        return false;
    }
    size_t len = json_string_length(t);
    if (len == 0) {
        fail(c, where, "must not be empty");
        return false;
    }
    if (len > PS_RULE_MAX_PATTERN) {
        fail(c, where, "longer than %d bytes", PS_RULE_MAX_PATTERN);
        return false;
    }
    if (memchr(json_string_value(t), '\0', len)) {
        fail(c, where, "must not hold NUL");
        return false;
    }
    out->op = eq ? PS_COND_EQUALS : PS_COND_MATCHES;
    out->text = copy(c, t);
    c->leaves++;
    return true;
}

static bool read_cond(rule_ctx *c, json_t *v, const char *path, uint32_t depth, ps_rule_cond *out)
{
    out->path = ps_arena_strdup(c->arena, path, strlen(path));
    if (depth > PS_RULE_MAX_DEPTH) {
        fail(c, path, "conditions nested deeper than %d", PS_RULE_MAX_DEPTH);
        return false;
    }
    if (++c->nodes > PS_RULE_MAX_NODES) {
        fail(c, path, "more than %d conditions in one rule", PS_RULE_MAX_NODES);
        return false;
    }
    if (!json_is_object(v)) {
        fail(c, path, "must be a condition object");
        return false;
    }
    json_t *all = json_object_get(v, "all"), *any = json_object_get(v, "any"),
           *not = json_object_get(v, "not");
    int kinds = (all != NULL) + (any != NULL) + (not != NULL) +
                (json_object_get(v, "field") || json_object_get(v, "equals") ||
                 json_object_get(v, "matches"));
    if (kinds == 0) {
        static const char *const allowed[] = {"field", "equals", "matches", "all",
                                              "any",   "not",    NULL};
        if (!known_keys(c, v, path, allowed))
            return false; /* names the stray key */
        fail(c, path, "must have field with equals or matches, or all, any or not");
        return false;
    }
    if (kinds > 1) {
        fail(c, path, "must be one condition: field, all, any or not (several given)");
        return false;
    }
    if (all || any) {
        static const char *const a_allowed[] = {"all", NULL}, *const o_allowed[] = {"any", NULL};
        if (!known_keys(c, v, path, all ? a_allowed : o_allowed))
            return false;
        out->op = all ? PS_COND_ALL : PS_COND_ANY;
        return read_list(c, all ? all : any, path, all ? "all" : "any", depth, out);
    }
    if (not ) {
        static const char *const allowed[] = {"not", NULL};
        if (!known_keys(c, v, path, allowed))
            return false;
        out->op = PS_COND_NOT;
        out->kids = ps_arena_calloc(c->arena, sizeof *out->kids);
        out->n_kids = 1;
        char where[512];
        snprintf(where, sizeof where, "%s.not", path);
        return read_cond(c, not, where, depth + 1, &out->kids[0]);
    }
    return read_leaf(c, v, path, out);
}

/* A required or optional string member, checked for length and control characters. */
static bool read_str(rule_ctx *c, json_t *obj, const char *key, bool required, size_t max,
                     ps_str *out)
{
    json_t *v = json_object_get(obj, key);
    *out = PS_STR_NULL;
    if (!v || json_is_null(v)) {
        if (required)
            fail(c, key, "is required");
        return !required;
    }
    if (!json_is_string(v)) {
        fail(c, key, "must be a string");
        return false;
    }
    *out = copy(c, v);
    if (out->len == 0 && required) {
        fail(c, key, "must not be empty");
        return false;
    }
    if (out->len > max) {
        fail(c, key, "longer than %zu bytes", max);
        return false;
    }
    if (has_control(*out)) {
        fail(c, key, "must not hold control characters");
        return false;
    }
    return true;
}

static bool read_time(rule_ctx *c, json_t *obj, const char *key, ps_date *out)
{
    ps_str s;
    memset(out, 0, sizeof *out);
    if (!read_str(c, obj, key, false, 32, &s))
        return false;
    if (!s.len)
        return true;
    if (!ps_date_parse_iso(s.ptr, s.len, out) || out->precision < PS_DATE_DAY) {
        fail(c, key, "must be YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)");
        return false;
    }
    return true;
}

bool ps_rule_parse(const char *json, size_t len, uint64_t line_no, ps_arena *arena, ps_rule *out,
                   ps_diag_list *diags)
{
    rule_ctx c = {.arena = arena, .diags = diags, .line_no = line_no};
    memset(out, 0, sizeof *out);
    if (len > PS_RULE_MAX_JSON) {
        fail(&c, "(rule)", "longer than %d bytes", PS_RULE_MAX_JSON);
        return false;
    }
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        fail(&c, "(rule)", "not JSON: %s at line %d, column %d", je.text, je.line, je.column);
        return false;
    }
    if (!json_is_object(root)) {
        fail(&c, "(rule)", "must be a JSON object");
        json_decref(root);
        return false;
    }
    static const char *const allowed[] = {"id",          "name", "action", "valid_from",
                                          "valid_until", "when", NULL};
    bool ok = known_keys(&c, root, "", allowed) &&
              read_str(&c, root, "id", true, PS_RULE_MAX_ID, &out->id) &&
              read_str(&c, root, "name", true, PS_RULE_MAX_NAME, &out->name);
    if (ok) {
        ps_str a;
        ok = read_str(&c, root, "action", true, 16, &a);
        if (ok) {
            out->action = ps_action_from_name(a.ptr, a.len);
            if (out->action == PS_ACTION_NONE) {
                fail(&c, "action", "must be no_board, refer or notify");
                ok = false;
            }
        }
    }
    ok = ok && read_time(&c, root, "valid_from", &out->valid_from) &&
         read_time(&c, root, "valid_until", &out->valid_until);
    if (ok && out->valid_from.precision && out->valid_until.precision &&
        ps_rule_time(&out->valid_until, true) <= ps_rule_time(&out->valid_from, false)) {
        fail(&c, "valid_until", "must be after valid_from");
        ok = false;
    }
    if (ok) {
        json_t *when = json_object_get(root, "when");
        if (!when) {
            fail(&c, "when", "is required");
            ok = false;
        } else {
            ok = read_cond(&c, when, "when", 1, &out->when);
        }
    }
    json_decref(root);
    out->n_nodes = c.nodes;
    out->n_leaves = c.leaves;
    return ok && !c.failed;
}

/* ---- writing ---- */

static void write_cond(ps_buf *b, const ps_rule_cond *c)
{
    switch (c->op) {
    case PS_COND_EQUALS:
    case PS_COND_MATCHES:
        ps_buf_puts(b, "{\"field\":");
        ps_buf_printf(b, "\"%s\"", ps_rule_field_name(c->field));
        ps_buf_puts(b, c->op == PS_COND_EQUALS ? ",\"equals\":" : ",\"matches\":");
        ps_json_string(b, c->text.ptr, c->text.len);
        ps_buf_putc(b, '}');
        return;
    case PS_COND_ALL:
    case PS_COND_ANY:
        ps_buf_puts(b, c->op == PS_COND_ALL ? "{\"all\":[" : "{\"any\":[");
        for (uint32_t i = 0; i < c->n_kids; i++) {
            if (i)
                ps_buf_putc(b, ',');
            write_cond(b, &c->kids[i]);
        }
        ps_buf_puts(b, "]}");
        return;
    case PS_COND_NOT:
        ps_buf_puts(b, "{\"not\":");
        if (c->n_kids)
            write_cond(b, &c->kids[0]);
        else
            ps_buf_puts(b, "null");
        ps_buf_putc(b, '}');
        return;
    }
    ps_buf_puts(b, "null");
}

void ps_rule_write_json(ps_buf *b, const ps_rule *r)
{
    bool first = true;
    ps_buf_putc(b, '{');
    ps_json_key(b, &first, "id");
    ps_json_string(b, r->id.ptr, r->id.len);
    ps_json_key(b, &first, "name");
    ps_json_string(b, r->name.ptr, r->name.len);
    ps_json_key(b, &first, "action");
    ps_buf_printf(b, "\"%s\"", ps_action_name(r->action));
    ps_json_kv_date(b, &first, "valid_from", &r->valid_from);
    ps_json_kv_date(b, &first, "valid_until", &r->valid_until);
    ps_json_key(b, &first, "when");
    write_cond(b, &r->when);
    ps_buf_putc(b, '}');
}
