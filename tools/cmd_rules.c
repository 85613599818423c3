/* tools/cmd_rules.c — `paxscreen rules put|list|delete|screen`: targeting rules
 * (paxscreen/rule.h, paxscreen/rules.h) in the alert store.
 *
 * put reads JSON Lines (one rule a line, "-" for stdin) and upserts every rule by id in one
 * write transaction; the field databases are recompiled once, at the commit. A bad line is
 * reported on stderr with its line number, the JSON path and, for a pattern, Hyperscan's own
 * message, and skipped; the rest lands. stdout gets one JSON object of counts. list prints
 * the rules as a JSON array (each with its version), delete removes one rule by id. screen
 * screens a JSON batch or JSON Lines of travellers with the rules alone (hits as JSON Lines,
 * --now picks the moment validity windows are judged at; default: the clock).
 * Exit status: 0 ok, 1 some lines failed / no such rule / input errors, 2 usage, 3 store. */
#include "cli.h"

#include "paxscreen/json_batch.h"
#include "paxscreen/record_json.h"
#include "paxscreen/rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char rules_usage[] =
    "usage: paxscreen rules put --db DIR FILE.jsonl   (FILE may be - for stdin)\n"
    "       paxscreen rules list --db DIR\n"
    "       paxscreen rules delete --db DIR ID\n"
    "       paxscreen rules screen --db DIR [--now YYYY-MM-DDTHH:MM] FILE.json\n";

static int usage_error(const char *cmd, const char *what)
{
    fprintf(stderr, "paxscreen rules %s: %s\n%s", cmd, what, rules_usage);
    return 2;
}

static int store_error(const char *cmd, const char *db, const char *msg)
{
    fprintf(stderr, "paxscreen rules %s: %s: %s\n", cmd, db, msg);
    ps_buf b;
    ps_buf_init(&b);
    ps_buf_puts(&b, "{\"error\":{\"db\":");
    ps_json_string(&b, db, strlen(db));
    ps_buf_puts(&b, ",\"kind\":\"store_error\",\"message\":");
    ps_json_string(&b, msg, strlen(msg));
    ps_buf_puts(&b, "}}\n");
    fwrite(b.data, 1, b.len, stdout);
    ps_buf_free(&b);
    return 3;
}

/* --db DIR (or --db=DIR), --now T, and positional arguments (at most max). */
typedef struct args {
    const char *db, *now;
    const char *pos[2];
    int n_pos;
} args;

static int parse_args(const char *cmd, int argc, char **argv, int max_pos, bool allow_now, args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "--db") == 0 || (allow_now && strcmp(s, "--now") == 0)) {
            if (i + 1 >= argc) {
                char what[64];
                snprintf(what, sizeof what, "%s needs a value", s);
                return usage_error(cmd, what);
            }
            if (s[2] == 'd')
                a->db = argv[++i];
            else
                a->now = argv[++i];
        } else if (strncmp(s, "--db=", 5) == 0) {
            a->db = s + 5;
        } else if (allow_now && strncmp(s, "--now=", 6) == 0) {
            a->now = s + 6;
        } else if (s[0] == '-' && s[1] != '\0') {
            char what[160];
            snprintf(what, sizeof what, "unknown option '%s'", s);
            return usage_error(cmd, what);
        } else if (a->n_pos < max_pos) {
            a->pos[a->n_pos++] = s;
        } else {
            char what[160];
            snprintf(what, sizeof what, "unexpected argument '%s'", s);
            return usage_error(cmd, what);
        }
    }
    if (!a->db)
        return usage_error(cmd, "--db DIR is required");
    if (a->n_pos < max_pos)
        return usage_error(cmd, max_pos == 1 && strcmp(cmd, "delete") == 0 ? "ID is required"
                                                                           : "FILE is required");
    return 0;
}

static bool blank(const char *line, size_t *len)
{
    while (*len && (line[*len - 1] == '\n' || line[*len - 1] == '\r'))
        (*len)--;
    for (size_t i = 0; i < *len; i++)
        if (line[i] != ' ' && line[i] != '\t')
            return false;
    return true;
}

/* ---- put ---- */

static int cmd_put(int argc, char **argv)
{
    args a;
    int rc = parse_args("put", argc, argv, 1, false, &a);
    if (rc)
        return rc;
    const char *path = a.pos[0];
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!in) {
        fprintf(stderr, "paxscreen rules put: %s: %s\n", path, strerror(errno));
        return 2;
    }
    const char *shown = in == stdin ? "stdin" : path;
    char err[1024];
    ps_store *store;
    if (ps_store_open(a.db, true, &store, err, sizeof err) != PS_STORE_OK) {
        if (in != stdin)
            fclose(in);
        return store_error("put", a.db, err);
    }
    ps_rules_writer *w;
    if (ps_rules_writer_begin(store, &w, err, sizeof err) != PS_STORE_OK) {
        ps_store_close(store);
        if (in != stdin)
            fclose(in);
        return store_error("put", a.db, err);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ps_arena arena;
    ps_arena_init(&arena);
    ps_rules_counts counts = {0};
    uint64_t lines = 0, failed = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int store_code = PS_STORE_OK;
    while ((got = getline(&line, &cap, in)) >= 0) {
        lines++;
        size_t len = (size_t)got;
        if (blank(line, &len))
            continue;
        ps_arena_reset(&arena);
        ps_diag_list diags;
        ps_diag_list_init(&diags, &arena);
        ps_rule r;
        if (!ps_rule_parse(line, len, lines, &arena, &r, &diags)) {
            const ps_diag *d = diags.count ? &diags.items[0] : NULL;
            if (d)
                fprintf(stderr, "paxscreen rules put: %s: %.*s\n", shown, (int)d->message.len,
                        d->message.ptr);
            else
                fprintf(stderr, "paxscreen rules put: %s: line %llu: not a rule\n", shown,
                        (unsigned long long)lines);
            failed++;
            continue;
        }
        int code = ps_rules_put(w, &r, &counts, err, sizeof err);
        if (code == PS_STORE_INVALID) {
            fprintf(stderr, "paxscreen rules put: %s: line %llu: %s\n", shown,
                    (unsigned long long)lines, err);
            failed++;
        } else if (code != PS_STORE_OK) {
            store_code = code;
            break;
        }
    }
    free(line);
    ps_arena_free(&arena);
    bool read_failed = store_code == PS_STORE_OK && ferror(in);
    if (in != stdin)
        fclose(in);
    if (store_code != PS_STORE_OK) {
        ps_rules_writer_abort(w);
        int ret = store_error("put", a.db, err);
        ps_store_close(store);
        return ret;
    }
    if (ps_rules_writer_commit(w, err, sizeof err) != PS_STORE_OK) {
        int ret = store_error("put", a.db, err);
        ps_store_close(store);
        return ret;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (read_failed)
        fprintf(stderr, "paxscreen rules put: %s: reading after line %llu failed\n", shown,
                (unsigned long long)lines);
    ps_snapshot *snap;
    uint64_t generation = 0;
    if (ps_snapshot_begin(store, &snap, err, sizeof err) == PS_STORE_OK) {
        generation = ps_rules_generation(snap);
        ps_snapshot_end(snap);
    }
    ps_store_close(store);
    ps_buf b;
    ps_buf_init(&b);
    ps_buf_puts(&b, "{\"db\":");
    ps_json_string(&b, a.db, strlen(a.db));
    ps_buf_puts(&b, ",\"file\":");
    ps_json_string(&b, path, strlen(path));
    ps_buf_printf(&b,
                  ",\"lines\":%llu,\"inserted\":%llu,\"updated\":%llu,\"unchanged\":%llu,"
                  "\"failed\":%llu,\"generation\":%llu,\"seconds\":%.3f}\n",
                  (unsigned long long)lines, (unsigned long long)counts.inserted,
                  (unsigned long long)counts.updated, (unsigned long long)counts.unchanged,
                  (unsigned long long)failed, (unsigned long long)generation,
                  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    fwrite(b.data, 1, b.len, stdout);
    ps_buf_free(&b);
    return failed || read_failed ? 1 : 0;
}

/* ---- list ---- */

typedef struct list_ctx {
    ps_buf *b;
    uint32_t n;
} list_ctx;

static int list_one(void *ctx, const ps_rule *r, uint64_t version)
{
    list_ctx *l = ctx;
    if (l->n++)
        ps_buf_putc(l->b, ',');
    ps_rule_write_json(l->b, r);
    l->b->len--; /* reopen the object for its version */
    ps_buf_printf(l->b, ",\"version\":%llu}", (unsigned long long)version);
    return 0;
}

static int cmd_list(int argc, char **argv)
{
    args a;
    int rc = parse_args("list", argc, argv, 0, false, &a);
    if (rc)
        return rc;
    char err[512];
    ps_store *store;
    if (ps_store_open(a.db, false, &store, err, sizeof err) != PS_STORE_OK)
        return store_error("list", a.db, err);
    ps_snapshot *snap;
    if (ps_snapshot_begin(store, &snap, err, sizeof err) != PS_STORE_OK) {
        ps_store_close(store);
        return store_error("list", a.db, err);
    }
    ps_buf b;
    ps_buf_init(&b);
    ps_arena arena;
    ps_arena_init(&arena);
    list_ctx l = {&b, 0};
    ps_buf_putc(&b, '[');
    int code = ps_rules_foreach(snap, &arena, list_one, &l);
    ps_buf_puts(&b, "]\n");
    ps_arena_free(&arena);
    ps_snapshot_end(snap);
    ps_store_close(store);
    if (code != PS_STORE_OK) {
        ps_buf_free(&b);
        return store_error("list", a.db, "reading the rules failed");
    }
    fwrite(b.data, 1, b.len, stdout);
    ps_buf_free(&b);
    return 0;
}

/* ---- delete ---- */

static int cmd_delete(int argc, char **argv)
{
    args a;
    int rc = parse_args("delete", argc, argv, 1, false, &a);
    if (rc)
        return rc;
    const char *id = a.pos[0];
    char err[512];
    ps_store *store;
    if (ps_store_open(a.db, true, &store, err, sizeof err) != PS_STORE_OK)
        return store_error("delete", a.db, err);
    ps_rules_writer *w;
    ps_rules_counts counts = {0};
    int code = ps_rules_writer_begin(store, &w, err, sizeof err);
    if (code == PS_STORE_OK) {
        code = ps_rules_delete(w, id, strlen(id), &counts, err, sizeof err);
        if (code == PS_STORE_OK)
            code = ps_rules_writer_commit(w, err, sizeof err);
        else
            ps_rules_writer_abort(w);
    }
    ps_store_close(store);
    if (code != PS_STORE_OK)
        return store_error("delete", a.db, err);
    ps_buf b;
    ps_buf_init(&b);
    ps_buf_puts(&b, "{\"id\":");
    ps_json_string(&b, id, strlen(id));
    ps_buf_printf(&b, ",\"deleted\":%s}\n", counts.deleted ? "true" : "false");
    fwrite(b.data, 1, b.len, stdout);
    ps_buf_free(&b);
    if (!counts.deleted) {
        fprintf(stderr, "paxscreen rules delete: %s: no rule '%s'\n", a.db, id);
        return 1;
    }
    return 0;
}

/* ---- screen ---- */

typedef struct screen_ctx {
    ps_buf *b;
    ps_str batch_id;
} screen_ctx;

static void on_hit(void *ctx, const ps_hit *h)
{
    screen_ctx *s = ctx;
    ps_json_write_hit(s->b, h, s->batch_id);
    ps_buf_putc(s->b, '\n');
}

static int cmd_screen(int argc, char **argv)
{
    args a;
    int rc = parse_args("screen", argc, argv, 1, true, &a);
    if (rc)
        return rc;
    int64_t now = (int64_t)time(NULL);
    if (a.now) {
        ps_date d;
        if (!ps_date_parse_iso(a.now, strlen(a.now), &d) || d.precision < PS_DATE_DAY)
            return usage_error("screen", "--now must be YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)");
        now = ps_rule_time(&d, false);
    }
    const char *path = a.pos[0];
    ps_input in;
    int e = ps_input_open(&in, path);
    if (e) {
        fprintf(stderr, "paxscreen rules screen: %s: %s\n", path, strerror(e));
        return 1;
    }
    if (!ps_json_looks_like(in.data, in.len)) {
        ps_input_close(&in);
        fprintf(stderr, "paxscreen rules screen: %s: not JSON (a batch or JSON Lines)\n", path);
        return 1;
    }
    char err[512];
    ps_store *store;
    if (ps_store_open(a.db, false, &store, err, sizeof err) != PS_STORE_OK) {
        ps_input_close(&in);
        return store_error("screen", a.db, err);
    }
    ps_snapshot *snap = NULL;
    ps_rules_snapshot *rs = NULL;
    int code = ps_snapshot_begin(store, &snap, err, sizeof err);
    if (code == PS_STORE_OK)
        code = ps_rules_snapshot_begin(snap, NULL, &rs, err, sizeof err);
    if (code != PS_STORE_OK) {
        ps_snapshot_end(snap);
        ps_store_close(store);
        ps_input_close(&in);
        return store_error("screen", a.db, err);
    }
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_batch batch;
    bool read = ps_json_batch_parse(in.data, in.len, &arena, &batch, &diags);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    ps_buf b;
    ps_buf_init(&b);
    screen_ctx sc = {&b, {base, strlen(base)}};
    for (uint32_t i = 0; read && i < batch.n_travellers && code == PS_STORE_OK; i++)
        code = ps_rules_screen(rs, &batch.travellers[i], batch.has_flight ? &batch.flight : NULL,
                               now, on_hit, &sc, NULL);
    fwrite(b.data, 1, b.len, stdout);
    ps_buf_free(&b);
    for (uint32_t i = 0; i < diags.count; i++)
        ps_cli_print_diag("rules screen", path, &diags.items[i]);
    rc = !read || ps_diag_count(&diags, PS_ERROR) ? 1 : 0;
    if (code != PS_STORE_OK) {
        fprintf(stderr, "paxscreen rules screen: %s: screening failed (code %d)\n", a.db, code);
        rc = 3;
    }
    ps_arena_free(&arena);
    ps_rules_snapshot_end(rs);
    ps_snapshot_end(snap);
    ps_store_close(store);
    ps_input_close(&in);
    return rc;
}

int ps_cmd_rules(int argc, char **argv)
{
    if (argc < 2) {
        fputs(rules_usage, stderr);
        return 2;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "put") == 0)
        return cmd_put(argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(sub, "delete") == 0)
        return cmd_delete(argc - 1, argv + 1);
    if (strcmp(sub, "screen") == 0)
        return cmd_screen(argc - 1, argv + 1);
    fprintf(stderr, "paxscreen rules: unknown subcommand '%s'\n%s", sub, rules_usage);
    return 2;
}
