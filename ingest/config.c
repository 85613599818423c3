/* ingest/config.c — paxscreend's configuration: the defaults, and the JSON file that
 * overrides them (read with jansson). Every key is checked: an unknown key, a value of the
 * wrong type or out of range is an error naming its path ("limits.queue_depth: ..."), so a
 * typo never silently falls back to a default. Nothing here prints or exits. */
#include "paxscreend.h"

#include "paxscreen/edifact_stream.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return false;
}

static char *dup_str(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort(); /* as ps_arena: no caller could go on without memory */
    return d;
}

void ps_config_defaults(ps_config *c)
{
    memset(c, 0, sizeof *c);
    c->store_dir = dup_str("paxscreen-db");
    c->data_dir = dup_str("paxscreend-data");
    c->host = dup_str("127.0.0.1");
    c->port = 8080;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    c->workers = cores > 0 ? (unsigned)cores : 1;
    c->max_body = 16u << 20;
    c->max_connections = 1024;
    c->queue_depth = 1024;
    c->max_pipeline = 32;
    c->header_timeout_ms = 10000;
    c->body_timeout_ms = 30000;
    c->idle_timeout_ms = 60000;
    c->max_screen_travellers = 100;
    c->max_hits_page = 1000;
    c->max_backlog = 10000;
    c->batch_map_size = (uint64_t)8 << 30;
    c->access_log = false;
    c->edifact_max_bytes = 16u << 20;
    c->edifact_idle_timeout_ms = 300000;
}

void ps_config_free(ps_config *c)
{
    free(c->store_dir);
    free(c->data_dir);
    free(c->host);
    free(c->port_file);
    for (size_t i = 0; i < c->n_tokens; i++) {
        free(c->tokens[i].name);
        free(c->tokens[i].secret);
    }
    free(c->tokens);
    free(c->edifact_host);
    free(c->edifact_port_file);
    for (size_t i = 0; i < c->n_edifact_allow; i++) {
        free(c->edifact_allow[i]);
        free(c->edifact_carrier[i]);
    }
    free(c->edifact_allow);
    free(c->edifact_carrier);
    memset(c, 0, sizeof *c);
}

bool ps_config_set_listen(ps_config *c, const char *text, char *err, size_t errlen)
{
    const char *colon = strrchr(text, ':');
    if (!colon || colon == text)
        return fail(err, errlen, "listen: expected HOST:PORT, found \"%.64s\"", text);
    const char *h = text;
    size_t hl = (size_t)(colon - text);
    if (h[0] == '[') {
        if (hl < 3 || h[hl - 1] != ']')
            return fail(err, errlen, "listen: expected [IPV6]:PORT, found \"%.64s\"", text);
        h++;
        hl -= 2;
    }
    char host[64];
    if (hl >= sizeof host)
        return fail(err, errlen, "listen: the address is too long");
    memcpy(host, h, hl);
    host[hl] = '\0';
    struct sockaddr_in6 a6;
    struct sockaddr_in a4;
    if (uv_ip4_addr(host, 0, &a4) != 0 && uv_ip6_addr(host, 0, &a6) != 0)
        return fail(err, errlen, "listen: \"%s\" is not an IPv4 or IPv6 address", host);
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end || errno || port < 0 || port > 65535)
        return fail(err, errlen, "listen: port must be 0..65535, found \"%.16s\"", colon + 1);
    free(c->host);
    c->host = dup_str(host);
    c->port = (int)port;
    return true;
}

bool ps_config_set_edifact_listen(ps_config *c, const char *text, char *err, size_t errlen)
{
    ps_config tmp; /* the same reading as listen, into a scratch config */
    memset(&tmp, 0, sizeof tmp);
    char inner[256];
    if (!ps_config_set_listen(&tmp, text, inner, sizeof inner))
        return fail(err, errlen, "edifact_%s", inner);
    free(c->edifact_host);
    c->edifact_host = tmp.host;
    c->edifact_port = tmp.port;
    return true;
}

/* A token name as it may be given (and kept with batches): 1 to 63 bytes, not '@...'. */
static bool valid_token_name(const char *name)
{
    return name && name[0] && name[0] != '@' && strlen(name) < PS_BATCH_SUBMITTER_MAX;
}

static void free_allow(char **list, char **carrier, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        free(list[j]);
        free(carrier[j]);
    }
    free(list);
    free(carrier);
}

/* edifact_allow: peer addresses, kept in the text form libuv gives a peer (inet_ntop); each
 * either "ADDRESS" or {"address": "ADDRESS", "carrier": "TOKEN NAME"}: the batches of a named
 * gateway belong to that carrier (who reads their status over HTTP with a token of the name). */
static bool read_allow(ps_config *c, json_t *a, char *err, size_t errlen)
{
    if (!json_is_array(a))
        return fail(err, errlen, "edifact_allow: expected an array of IP addresses");
    size_t n = json_array_size(a);
    char **list = calloc(n ? n : 1, sizeof *list);
    char **carrier = calloc(n ? n : 1, sizeof *carrier);
    if (!list || !carrier)
        abort();
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        const char *text = json_string_value(v), *name = NULL;
        if (json_is_object(v)) {
            const char *key;
            json_t *f;
            json_object_foreach(v, key, f)
            {
                if (strcmp(key, "address") == 0)
                    text = json_string_value(f);
                else if (strcmp(key, "carrier") == 0 && json_is_string(f))
                    name = json_string_value(f);
                else {
                    free_allow(list, carrier, i);
                    return fail(err, errlen, "edifact_allow[%zu].%.64s: unknown setting", i, key);
                }
            }
            if (!valid_token_name(name)) {
                free_allow(list, carrier, i);
                return fail(err, errlen,
                            "edifact_allow[%zu].carrier: a token name, 1 to %d bytes, not "
                            "beginning with '@'",
                            i, PS_BATCH_SUBMITTER_MAX - 1);
            }
        }
        unsigned char bin[16];
        char canon[64];
        int family = text && strchr(text, ':') ? AF_INET6 : AF_INET;
        if (!text || uv_inet_pton(family, text, bin) != 0 ||
            uv_inet_ntop(family, bin, canon, sizeof canon) != 0) {
            free_allow(list, carrier, i);
            return fail(err, errlen,
                        "edifact_allow[%zu]: expected an IPv4 or IPv6 address (or {address, "
                        "carrier})",
                        i);
        }
        list[i] = dup_str(canon);
        carrier[i] = name ? dup_str(name) : NULL;
    }
    free_allow(c->edifact_allow, c->edifact_carrier, c->n_edifact_allow);
    c->edifact_allow = list;
    c->edifact_carrier = carrier;
    c->n_edifact_allow = n;
    return true;
}

static bool get_string(json_t *v, const char *path, char **out, char *err, size_t errlen)
{
    if (!json_is_string(v) || json_string_length(v) == 0)
        return fail(err, errlen, "%s: expected a non-empty string", path);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return fail(err, errlen, "%s: contains a NUL character", path);
    free(*out);
    *out = dup_str(json_string_value(v));
    return true;
}

static bool get_uint(json_t *v, const char *path, uint64_t min, uint64_t max, uint64_t *out,
                     char *err, size_t errlen)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) < min ||
        (uint64_t)json_integer_value(v) > max)
        return fail(err, errlen, "%s: expected an integer from %llu to %llu", path,
                    (unsigned long long)min, (unsigned long long)max);
    *out = (uint64_t)json_integer_value(v);
    return true;
}

static bool get_u32(json_t *v, const char *path, uint64_t min, uint64_t max, unsigned *out,
                    char *err, size_t errlen)
{
    uint64_t x = 0;
    if (!get_uint(v, path, min, max, &x, err, errlen))
        return false;
    *out = (unsigned)x;
    return true;
}

static bool read_limits(ps_config *c, json_t *o, char *err, size_t errlen)
{
    if (!json_is_object(o))
        return fail(err, errlen, "limits: expected an object");
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        char path[96];
        snprintf(path, sizeof path, "limits.%.64s", key);
        bool ok;
        if (strcmp(key, "max_body_bytes") == 0)
            ok = get_uint(v, path, 1, (uint64_t)1 << 34, &c->max_body, err, errlen);
        else if (strcmp(key, "max_connections") == 0)
            ok = get_u32(v, path, 1, 1000000, &c->max_connections, err, errlen);
        else if (strcmp(key, "queue_depth") == 0)
            ok = get_u32(v, path, 1, 10000000, &c->queue_depth, err, errlen);
        else if (strcmp(key, "max_pipeline") == 0)
            ok = get_u32(v, path, 1, 100000, &c->max_pipeline, err, errlen);
        else if (strcmp(key, "header_timeout_ms") == 0)
            ok = get_u32(v, path, 1, 86400000, &c->header_timeout_ms, err, errlen);
        else if (strcmp(key, "body_timeout_ms") == 0)
            ok = get_u32(v, path, 1, 86400000, &c->body_timeout_ms, err, errlen);
        else if (strcmp(key, "idle_timeout_ms") == 0)
            ok = get_u32(v, path, 1, 86400000, &c->idle_timeout_ms, err, errlen);
        else if (strcmp(key, "max_screen_travellers") == 0)
            ok = get_u32(v, path, 1, 100000, &c->max_screen_travellers, err, errlen);
        else if (strcmp(key, "max_hits_page") == 0)
            ok = get_u32(v, path, 1, 100000, &c->max_hits_page, err, errlen);
        else if (strcmp(key, "max_backlog") == 0)
            ok = get_u32(v, path, 1, 100000000, &c->max_backlog, err, errlen);
        else if (strcmp(key, "batch_store_bytes") == 0)
            ok = get_uint(v, path, (uint64_t)1 << 20, (uint64_t)1 << 44, &c->batch_map_size, err,
                          errlen);
        else if (strcmp(key, "edifact_max_bytes") == 0)
            ok = get_uint(v, path, PS_EDIFACT_STREAM_MIN_SIZE, (uint64_t)1 << 30,
                          &c->edifact_max_bytes, err, errlen);
        else if (strcmp(key, "edifact_idle_timeout_ms") == 0)
            ok = get_u32(v, path, 1, 86400000, &c->edifact_idle_timeout_ms, err, errlen);
        else
            ok = fail(err, errlen, "%s: unknown setting", path);
        if (!ok)
            return false;
    }
    return true;
}

static bool read_roles(json_t *a, const char *path, unsigned *roles, char *err, size_t errlen)
{
    if (!json_is_array(a) || json_array_size(a) == 0)
        return fail(err, errlen, "%s: expected a non-empty array of roles", path);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        const char *r = json_string_value(v);
        if (!r)
            return fail(err, errlen, "%s[%zu]: expected a role name", path, i);
        if (strcmp(r, "carrier") == 0)
            *roles |= PS_AUTH_CARRIER;
        else if (strcmp(r, "system") == 0)
            *roles |= PS_AUTH_SYSTEM;
        else if (strcmp(r, "analyst") == 0)
            *roles |= PS_AUTH_ANALYST;
        else if (strcmp(r, "admin") == 0)
            *roles |= PS_AUTH_ADMIN;
        else
            return fail(err, errlen, "%s[%zu]: must be carrier, system, analyst or admin", path, i);
    }
    return true;
}

static bool read_tokens(ps_config *c, json_t *a, char *err, size_t errlen)
{
    if (!json_is_array(a))
        return fail(err, errlen, "tokens: expected an array");
    size_t n = json_array_size(a);
    ps_token *t = calloc(n ? n : 1, sizeof *t);
    if (!t)
        abort();
    size_t i;
    json_t *o;
    bool ok = true;
    json_array_foreach(a, i, o)
    {
        char path[64];
        snprintf(path, sizeof path, "tokens[%zu]", i);
        if (!json_is_object(o)) {
            ok = fail(err, errlen, "%s: expected an object {name, token, roles}", path);
            break;
        }
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v)
        {
            char p2[160];
            snprintf(p2, sizeof p2, "%s.%.64s", path, key);
            if (strcmp(key, "name") == 0)
                ok = get_string(v, p2, &t[i].name, err, errlen);
            else if (strcmp(key, "token") == 0)
                ok = get_string(v, p2, &t[i].secret, err, errlen);
            else if (strcmp(key, "roles") == 0)
                ok = read_roles(v, p2, &t[i].roles, err, errlen);
            else
                ok = fail(err, errlen, "%s: unknown setting", p2);
            if (!ok)
                break;
        }
        if (!ok)
            break;
        if (!t[i].secret || strlen(t[i].secret) < 8) {
            ok = fail(err, errlen, "%s.token: required, at least 8 characters", path);
            break;
        }
        for (const char *p = t[i].secret; *p; p++)
            if (*p <= ' ' || *p == 0x7f) {
                ok = fail(err, errlen, "%s.token: no spaces or control characters", path);
                break;
            }
        if (!ok)
            break;
        if (!t[i].roles) {
            ok = fail(err, errlen, "%s.roles: required", path);
            break;
        }
        if (!t[i].name) {
            char name[32];
            snprintf(name, sizeof name, "token%zu", i);
            t[i].name = dup_str(name);
        }
        /* the name is who submitted a batch (kept with it); '@' names are the server's own */
        if (!valid_token_name(t[i].name)) {
            ok = fail(err, errlen, "%s.name: 1 to %d bytes, not beginning with '@'", path,
                      PS_BATCH_SUBMITTER_MAX - 1);
            break;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(t[j].secret, t[i].secret) == 0) {
                ok = fail(err, errlen, "%s.token: the same secret as tokens[%zu]", path, j);
                break;
            }
        if (!ok)
            break;
    }
    if (!ok) {
        for (size_t j = 0; j < n; j++) {
            free(t[j].name);
            free(t[j].secret);
        }
        free(t);
        return false;
    }
    for (size_t j = 0; j < c->n_tokens; j++) {
        free(c->tokens[j].name);
        free(c->tokens[j].secret);
    }
    free(c->tokens);
    c->tokens = t;
    c->n_tokens = n;
    return true;
}

bool ps_config_parse(ps_config *c, const char *text, size_t len, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return fail(err, errlen, "line %d, column %d: %s", je.line, je.column, je.text);
    bool ok = true;
    if (!json_is_object(root))
        ok = fail(err, errlen, "expected a JSON object at the top");
    const char *key;
    json_t *v;
    if (ok)
        json_object_foreach(root, key, v)
        {
            if (strcmp(key, "store") == 0)
                ok = get_string(v, "store", &c->store_dir, err, errlen);
            else if (strcmp(key, "data") == 0)
                ok = get_string(v, "data", &c->data_dir, err, errlen);
            else if (strcmp(key, "listen") == 0) {
                if (!json_is_string(v))
                    ok = fail(err, errlen, "listen: expected \"HOST:PORT\"");
                else
                    ok = ps_config_set_listen(c, json_string_value(v), err, errlen);
            } else if (strcmp(key, "port_file") == 0)
                ok = get_string(v, "port_file", &c->port_file, err, errlen);
            else if (strcmp(key, "workers") == 0)
                ok = get_u32(v, "workers", 1, 256, &c->workers, err, errlen);
            else if (strcmp(key, "retention_days") == 0)
                ok = get_u32(v, "retention_days", 0, 100000, &c->retention_days, err, errlen);
            else if (strcmp(key, "access_log") == 0) {
                if (!json_is_boolean(v))
                    ok = fail(err, errlen, "access_log: expected true or false");
                else
                    c->access_log = json_is_true(v);
            } else if (strcmp(key, "intake_only") == 0) {
                if (!json_is_boolean(v))
                    ok = fail(err, errlen, "intake_only: expected true or false");
                else
                    c->intake_only = json_is_true(v);
            } else if (strcmp(key, "edifact_listen") == 0) {
                if (!json_is_string(v))
                    ok = fail(err, errlen, "edifact_listen: expected \"HOST:PORT\"");
                else
                    ok = ps_config_set_edifact_listen(c, json_string_value(v), err, errlen);
            } else if (strcmp(key, "edifact_port_file") == 0)
                ok = get_string(v, "edifact_port_file", &c->edifact_port_file, err, errlen);
            else if (strcmp(key, "edifact_allow") == 0)
                ok = read_allow(c, v, err, errlen);
            else if (strcmp(key, "limits") == 0)
                ok = read_limits(c, v, err, errlen);
            else if (strcmp(key, "tokens") == 0)
                ok = read_tokens(c, v, err, errlen);
            else
                ok = fail(err, errlen, "%.64s: unknown setting", key);
            if (!ok)
                break;
        }
    json_decref(root);
    return ok;
}

bool ps_config_load(ps_config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, "%s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            if (cap > (1u << 24)) {
                free(buf);
                fclose(f);
                return fail(err, errlen, "%s: larger than 16 MiB", path);
            }
            char *g = realloc(buf, cap);
            if (!g)
                abort();
            buf = g;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    bool read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(buf);
        return fail(err, errlen, "%s: read error", path);
    }
    char inner[400];
    bool ok = ps_config_parse(c, buf, len, inner, sizeof inner);
    free(buf);
    if (!ok)
        return fail(err, errlen, "%s: %s", path, inner);
    return true;
}
