/* ingest/router.c — which endpoint a request is for: method and request target (path and
 * query, as the client sent them) to a route with the roles it needs, its {id} and its query
 * parameters. Pure: no I/O, no allocation, so it is fuzzed on its own (fuzz_router). */
#include "paxscreend.h"

#include "paxscreen/border_stats.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A decimal u64 of 1..20 digits without sign or leading '+'. */
static bool parse_u64(const char *p, size_t n, uint64_t *out)
{
    if (n == 0 || n > 20)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        uint64_t d = (uint64_t)(p[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool path_is(const char *p, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(p, lit, n) == 0;
}

/* Percent-decodes one path segment of n bytes into out (cap bytes with the NUL); false when it
 * is empty, too long, badly escaped, or holds a control character or '/'. */
static bool decode_segment(const char *p, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '%') {
            int v = 0;
            for (int k = 1; k <= 2; k++) {
                char h = i + (size_t)k < n ? p[i + (size_t)k] : 0;
                int d = h >= '0' && h <= '9'   ? h - '0'
                        : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                               : -1;
                if (d < 0)
                    return false;
                v = v * 16 + d;
            }
            c = (unsigned char)v;
            i += 2;
        }
        if (c < 0x20 || c == 0x7f || c == '/' || o + 1 >= cap)
            return false;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return o > 0;
}

/* /v1/lists/{list}/entries/{id} or /v1/lists/{list}/import (rest: what follows /v1/lists/). */
static int match_list_path(const char *rest, size_t n, ps_route *out, const char **allow, char *err,
                           size_t errlen)
{
    const char *slash = memchr(rest, '/', n);
    if (!slash)
        return ps_errorf(err, errlen, 404,
                         "path: /v1/lists/{list}/entries/{id} or "
                         "/v1/lists/{list}/import");
    if (!decode_segment(rest, (size_t)(slash - rest), out->list, sizeof out->list))
        return ps_errorf(err, errlen, 404,
                         "path: the list name is empty, too long or badly escaped");
    const char *tail = slash + 1;
    size_t tn = n - (size_t)(tail - rest);
    if (path_is(tail, tn, "import")) {
        out->kind = PS_R_LIST_IMPORT, out->name = "list_import", *allow = "POST";
        out->need = PS_AUTH_ADMIN, out->has_body = true;
        return 0;
    }
    if (tn > 8 && memcmp(tail, "entries/", 8) == 0) {
        if (!decode_segment(tail + 8, tn - 8, out->entry, sizeof out->entry))
            return ps_errorf(err, errlen, 404,
                             "path: the entry id is empty, too long or badly escaped");
        out->kind = PS_R_LIST_ENTRY, out->name = "list_entry", *allow = "PUT, DELETE";
        out->need = PS_AUTH_ADMIN, out->has_body = true;
        return 0;
    }
    return ps_errorf(err, errlen, 404,
                     "path: /v1/lists/{list}/entries/{id} or /v1/lists/{list}/import");
}

/* Whether method is one of allow ("GET", "PUT, DELETE"). */
static bool method_allowed(const char *allow, const char *method)
{
    size_t m = strlen(method);
    for (const char *p = allow; *p;) {
        size_t k = strcspn(p, ",");
        if (k == m && memcmp(p, method, m) == 0)
            return true;
        p += k;
        while (*p == ',' || *p == ' ')
            p++;
    }
    return false;
}

/* GET /v1/hits/{cursor}, POST /v1/hits/{cursor}/decision or GET /v1/hits/stream (rest: what
 * follows /v1/hits/). */
static int match_hit_path(const char *rest, size_t n, ps_route *out, const char **allow, char *err,
                          size_t errlen)
{
    if (path_is(rest, n, "stream")) {
        out->kind = PS_R_HITS_STREAM, out->name = "hits_stream", *allow = "GET";
        out->need = PS_AUTH_SYSTEM | PS_AUTH_ANALYST;
        return 0;
    }
    const char *slash = memchr(rest, '/', n);
    size_t idlen = slash ? (size_t)(slash - rest) : n;
    if (ps_hit_id_like(rest, idlen)) {
        memcpy(out->hit_id, rest, 16); /* a hit_id: resolved to its cursor by the handler */
        out->hit_id[16] = '\0';
    } else if (!parse_u64(rest, idlen, &out->id) || out->id == 0)
        return ps_errorf(err, errlen, 404, "path: no hit \"%.*s\" (hits are named by their cursor)",
                         (int)(idlen > 40 ? 40 : idlen), rest);
    if (!slash) {
        out->kind = PS_R_HIT_GET, out->name = "hit_get", *allow = "GET";
        out->need = PS_AUTH_ANALYST;
        return 0;
    }
    if (path_is(slash, n - idlen, "/decision")) {
        out->kind = PS_R_HIT_DECISION, out->name = "hit_decision", *allow = "POST";
        out->need = PS_AUTH_ANALYST, out->has_body = true;
        return 0;
    }
    return ps_errorf(err, errlen, 404, "path: /v1/hits/{cursor} or /v1/hits/{cursor}/decision");
}

/* Reads since= and limit= from the query, and the hit filters for GET /v1/hits; other
 * parameters are ignored. */
/* A YYYY-MM-DD query value as days since 1970-01-01. */
static bool parse_day(const char *v, size_t n, uint32_t *out)
{
    ps_date d;
    if (n != 10 || !ps_date_parse_iso(v, n, &d) || d.precision != PS_DATE_DAY)
        return false;
    *out = ps_stats_day_of(&d);
    return *out > 0;
}

/* from=, to=, by= and format= of GET /v1/stats. */
static int stats_param(const char *key, size_t kl, const char *v, size_t vl, ps_route *out,
                       char *err, size_t errlen)
{
    if ((kl == 4 && memcmp(key, "from", 4) == 0) || (kl == 2 && memcmp(key, "to", 2) == 0)) {
        uint32_t *day = kl == 4 ? &out->from_day : &out->to_day;
        if (!parse_day(v, vl, day))
            return ps_errorf(err, errlen, 400, "query: %.*s must be a date YYYY-MM-DD", (int)kl,
                             key);
    } else if (kl == 2 && memcmp(key, "by", 2) == 0) {
        char name[16];
        if (vl == 0 || vl >= sizeof name)
            return ps_errorf(err, errlen, 400, "query: by is empty or unknown");
        memcpy(name, v, vl);
        name[vl] = '\0';
        out->by = strcmp(name, "day") == 0     ? 'D'
                  : strcmp(name, "month") == 0 ? 'M'
                                               : ps_stats_dimension(name);
        if (!out->by)
            return ps_errorf(err, errlen, 400,
                             "query: by must be day, month, route, carrier, nationality, "
                             "age_band, gender, role or list");
    } else if (kl == 6 && memcmp(key, "counts", 6) == 0) {
        if (!(vl == 4 && memcmp(v, "hits", 4) == 0) &&
            !(vl == 10 && memcmp(v, "travellers", 10) == 0))
            return ps_errorf(err, errlen, 400, "query: counts must be travellers or hits");
        out->stats_hits = vl == 4;
    } else if (kl == 6 && memcmp(key, "format", 6) == 0) {
        if (!(vl == 3 && memcmp(v, "csv", 3) == 0) && !(vl == 4 && memcmp(v, "json", 4) == 0))
            return ps_errorf(err, errlen, 400, "query: format must be json or csv");
        out->csv = vl == 3;
    }
    return 0;
}

static int parse_query(const char *q, size_t n, ps_route *out, char *err, size_t errlen)
{
    size_t i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && q[end] != '&')
            end++;
        const char *eq = memchr(q + i, '=', end - i);
        if (eq) {
            size_t kl = (size_t)(eq - (q + i));
            const char *val = eq + 1;
            size_t vl = (size_t)(q + end - val);
            if (kl == 5 && memcmp(q + i, "since", 5) == 0) {
                if (!parse_u64(val, vl, &out->since))
                    return ps_errorf(err, errlen, 400, "query: since must be a cursor (0 or more)");
            } else if (kl == 5 && memcmp(q + i, "limit", 5) == 0) {
                if (!parse_u64(val, vl, &out->limit) || out->limit == 0)
                    return ps_errorf(err, errlen, 400, "query: limit must be a positive integer");
            } else if (out->kind == PS_R_STATS) {
                int rc = stats_param(q + i, kl, val, vl, out, err, errlen);
                if (rc)
                    return rc;
            } else if (out->kind == PS_R_HITS) {
                char text[80];
                if (!decode_segment(val, vl, text, sizeof text))
                    text[0] = '\0'; /* empty, too long or badly escaped: the filter says which */
                char ferr[160];
                int rc = ps_hit_filter_set(&out->filter, q + i, kl, text, strlen(text), ferr,
                                           sizeof ferr);
                if (rc > 0)
                    return ps_errorf(err, errlen, 400, "query: %s", ferr);
            }
        }
        i = end + 1;
    }
    return 0;
}

int ps_route_match(const char *method, const char *target, size_t len, ps_route *out, char *err,
                   size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->name = "-";
    if (len == 0 || target[0] != '/')
        return ps_errorf(err, errlen, 400, "request target: expected a path starting with /");
    const char *q = memchr(target, '?', len);
    size_t plen = q ? (size_t)(q - target) : len;
    const char *query = q ? q + 1 : "";
    size_t qlen = q ? len - plen - 1 : 0;
    const char *allow = NULL;

    if (path_is(target, plen, "/healthz")) {
        out->kind = PS_R_HEALTHZ, out->name = "healthz", allow = "GET";
    } else if (path_is(target, plen, "/metrics")) {
        out->kind = PS_R_METRICS, out->name = "metrics", allow = "GET";
    } else if (path_is(target, plen, "/v1/screen")) {
        out->kind = PS_R_SCREEN, out->name = "screen", allow = "POST";
        out->need = PS_AUTH_SYSTEM, out->has_body = true;
    } else if (path_is(target, plen, "/v1/batches")) {
        out->kind = PS_R_BATCHES, out->name = "batches", allow = "POST";
        out->need = PS_AUTH_CARRIER, out->has_body = true;
    } else if (path_is(target, plen, "/v1/paxlst")) {
        out->kind = PS_R_PAXLST, out->name = "paxlst", allow = "POST";
        out->need = PS_AUTH_CARRIER, out->has_body = true;
    } else if (plen > 12 && memcmp(target, "/v1/batches/", 12) == 0) {
        out->kind = PS_R_BATCH_GET, out->name = "batch_get", allow = "GET";
        out->need = PS_AUTH_CARRIER | PS_AUTH_SYSTEM | PS_AUTH_ANALYST;
        if (!parse_u64(target + 12, plen - 12, &out->id) || out->id == 0)
            return ps_errorf(err, errlen, 404,
                             "path: no batch \"%.*s\" (ids are positive integers)",
                             (int)(plen - 12 > 40 ? 40 : plen - 12), target + 12);
    } else if (path_is(target, plen, "/v1/iapi")) {
        out->kind = PS_R_IAPI, out->name = "iapi", allow = "POST";
        out->need = PS_AUTH_CARRIER, out->has_body = true;
    } else if (path_is(target, plen, "/v1/hits")) {
        out->kind = PS_R_HITS, out->name = "hits", allow = "GET";
        out->need = PS_AUTH_SYSTEM | PS_AUTH_ANALYST;
    } else if (plen > 9 && memcmp(target, "/v1/hits/", 9) == 0) {
        int st = match_hit_path(target + 9, plen - 9, out, &allow, err, errlen);
        if (st)
            return st;
    } else if (path_is(target, plen, "/v1/audit")) {
        out->kind = PS_R_AUDIT, out->name = "audit", allow = "GET";
        out->need = PS_AUTH_ADMIN;
    } else if (path_is(target, plen, "/v1/lists")) {
        out->kind = PS_R_LISTS, out->name = "lists", allow = "GET";
        out->need = PS_AUTH_ADMIN | PS_AUTH_ANALYST;
    } else if (plen > 10 && memcmp(target, "/v1/lists/", 10) == 0) {
        int st = match_list_path(target + 10, plen - 10, out, &allow, err, errlen);
        if (st)
            return st;
    } else if (path_is(target, plen, "/v1/stats")) {
        out->kind = PS_R_STATS, out->name = "stats", allow = "GET";
        out->need = PS_AUTH_ANALYST | PS_AUTH_ADMIN;
        out->by = 'D';
    } else if (path_is(target, plen, "/v1/rules")) {
        out->kind = PS_R_RULES, out->name = "rules", allow = "GET";
        out->need = PS_AUTH_ADMIN | PS_AUTH_ANALYST;
    } else if (plen > 10 && memcmp(target, "/v1/rules/", 10) == 0) {
        if (!decode_segment(target + 10, plen - 10, out->entry, sizeof out->entry))
            return ps_errorf(err, errlen, 404,
                             "path: the rule id is empty, too long or badly escaped");
        out->kind = PS_R_RULE, out->name = "rule", allow = "GET, PUT, DELETE";
        out->need = strcmp(method, "GET") == 0 ? PS_AUTH_ADMIN | PS_AUTH_ANALYST : PS_AUTH_ADMIN;
        out->has_body = strcmp(method, "PUT") == 0;
    } else {
        return ps_errorf(err, errlen, 404, "path: no such endpoint");
    }
    out->allow = allow;
    out->del = strcmp(method, "DELETE") == 0;
    if (out->kind == PS_R_LIST_ENTRY && out->del)
        out->has_body = false;
    if (!method_allowed(allow, method))
        return ps_errorf(err, errlen, 405, "method: %s is not allowed here (allowed: %s)", method,
                         allow);
    return parse_query(query, qlen, out, err, errlen);
}
