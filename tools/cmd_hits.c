/* tools/cmd_hits.c — `paxscreen hits list|show|decide`: the hit review
 * (paxscreen/hit_review.h) on a paxscreend data directory, directly (LMDB lets this process
 * and a running server share the batch store in DATA/batches).
 *
 * list prints the stored hits that pass the filters as JSON Lines ({"cursor", "status",
 * ...Hit}), oldest first; show prints one hit with its status and decisions and records the
 * read in the audit log; decide records a decision (and its audit entry). Who reads or
 * decides is --by NAME (show: default "cli:" and the login name).
 * Exit status: 0 ok, 1 no such hit / a bad decision or note, 2 usage, 3 store error. */
#include "cli.h"

#include "paxscreen/hit_review.h"
#include "paxscreen/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char hits_usage[] =
    "usage: paxscreen hits list --data DIR [--status S] [--list L] [--action A] [--kind K]\n"
    "                           [--flight XZ877]\n"
    "                           [--batch ID] [--min-score X] [--from T] [--to T]\n"
    "                           [--since CURSOR] [--limit N]\n"
    "       paxscreen hits show --data DIR [--by NAME] CURSOR|HIT_ID\n"
    "       paxscreen hits decide --data DIR CURSOR|HIT_ID --decision true_match|false_positive|"
    "escalated\n"
    "                           [--note TEXT] [--valid-until YYYY-MM-DD[THH:MM]] --by NAME\n";

static int usage_error(const char *cmd, const char *what)
{
    fprintf(stderr, "paxscreen hits %s: %s\n%s", cmd, what, hits_usage);
    return 2;
}

typedef struct args {
    const char *data, *by, *decision, *note, *valid_until;
    const char *cursor_text;
    uint64_t cursor, since, limit;
    ps_hit_filter filter;
} args;

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!*s || strlen(s) > 19 || strspn(s, "0123456789") != strlen(s))
        return false;
    *out = strtoull(s, NULL, 10);
    return true;
}

/* Options take a value (--opt V or --opt=V); `allowed` lists the ones this subcommand takes. */
static int parse_args(const char *cmd, int argc, char **argv, const char *const *allowed,
                      bool want_cursor, args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (s[0] != '-' || s[1] != '-') {
            if (!want_cursor || a->cursor_text)
                return usage_error(cmd, "unexpected argument");
            a->cursor_text = s;
            if (!ps_hit_id_like(s, strlen(s)) && (!parse_u64(s, &a->cursor) || a->cursor == 0))
                return usage_error(cmd, "CURSOR must be a hit cursor (1 or more) or hit_id");
            continue;
        }
        const char *name = s + 2, *eq = strchr(name, '=');
        size_t nl = eq ? (size_t)(eq - name) : strlen(name);
        const char *val = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
        bool known = false;
        for (const char *const *k = allowed; *k; k++)
            if (strlen(*k) == nl && memcmp(*k, name, nl) == 0)
                known = true;
        char what[256];
        if (!known) {
            snprintf(what, sizeof what, "unknown option '%.*s'", (int)(nl > 60 ? 60 : nl), s);
            return usage_error(cmd, what);
        }
        if (!val) {
            snprintf(what, sizeof what, "%s needs a value", s);
            return usage_error(cmd, what);
        }
        char key[32];
        snprintf(key, sizeof key, "%.*s", (int)nl, name);
        if (strcmp(key, "data") == 0)
            a->data = val;
        else if (strcmp(key, "by") == 0)
            a->by = val;
        else if (strcmp(key, "decision") == 0)
            a->decision = val;
        else if (strcmp(key, "note") == 0)
            a->note = val;
        else if (strcmp(key, "valid-until") == 0)
            a->valid_until = val;
        else if (strcmp(key, "since") == 0 || strcmp(key, "limit") == 0) {
            if (!parse_u64(val, key[0] == 's' ? &a->since : &a->limit))
                return usage_error(cmd, key[0] == 's' ? "--since: a cursor (0 or more)"
                                                      : "--limit: a count (0: no limit)");
        } else {
            if (strcmp(key, "min-score") == 0)
                strcpy(key, "min_score");
            char err[200];
            if (ps_hit_filter_set(&a->filter, key, strlen(key), val, strlen(val), err,
                                  sizeof err) != PS_BSTORE_OK) {
                snprintf(what, sizeof what, "--%s", err);
                return usage_error(cmd, what);
            }
        }
    }
    if (!a->data)
        return usage_error(cmd, "--data DIR (paxscreend's data directory) is required");
    if (want_cursor && !a->cursor_text)
        return usage_error(cmd, "CURSOR is required");
    return 0;
}

/* The batch store of paxscreend's data directory; never created here. */
static int open_store(const char *cmd, const char *data, ps_batch_store **bs)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/batches", data);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "paxscreen hits %s: %s: no batch store (is it paxscreend's --data?)\n", cmd,
                data);
        return 3;
    }
    char err[512];
    /* the server's default map size: a smaller one would refuse its growth */
    if (ps_batch_store_open(dir, (uint64_t)8 << 30, bs, err, sizeof err) != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreen hits %s: %s\n", cmd, err);
        return 3;
    }
    return 0;
}

/* CURSOR given as a hit_id: its cursor into a->cursor; 0, or the exit status. */
static int resolve(const char *cmd, ps_batch_store *bs, args *a)
{
    if (a->cursor)
        return 0;
    char err[512];
    int rc =
        ps_hit_find_id(bs, a->cursor_text, strlen(a->cursor_text), &a->cursor, err, sizeof err);
    if (rc == PS_BSTORE_OK)
        return 0;
    fprintf(stderr, "paxscreen hits %s: %s\n", cmd, err);
    return rc == PS_BSTORE_NOT_FOUND ? 1 : 3;
}

static int result(const char *cmd, int rc, const char *err)
{
    if (rc == PS_BSTORE_OK)
        return 0;
    fprintf(stderr, "paxscreen hits %s: %s\n", cmd, err);
    return rc == PS_BSTORE_NOT_FOUND || rc == PS_BSTORE_INVALID ? 1 : 3;
}

/* ---- list ---- */

typedef struct list_out {
    ps_buf *b;
    uint64_t n;
} list_out;

static bool print_hit(void *ctx, uint64_t cursor, ps_hit_status status, const char *json,
                      size_t len)
{
    list_out *o = ctx;
    ps_buf *b = o->b;
    o->n++;
    b->len = 0;
    ps_hit_listed_json(b, cursor, status, json, len);
    ps_buf_putc(b, '\n');
    return fwrite(b->data, 1, b->len, stdout) == b->len;
}

static int cmd_list(int argc, char **argv)
{
    static const char *const opts[] = {"data",   "status", "list",      "action",    "kind",
                                       "flight", "batch",  "min-score", "min_score", "from",
                                       "to",     "since",  "limit",     NULL};
    args a;
    int rc = parse_args("list", argc, argv, opts, false, &a);
    ps_batch_store *bs;
    if (rc || (rc = open_store("list", a.data, &bs)))
        return rc;
    ps_buf b;
    ps_buf_init(&b);
    char err[512];
    /* each call examines at most PS_HIT_LIST_SCAN hits: go on until the end of the log */
    list_out out = {&b, 0};
    uint64_t since = a.since, next;
    for (;;) {
        uint64_t left = a.limit ? a.limit - out.n : 0;
        rc = ps_hit_list(bs, &a.filter, since, left, print_hit, &out, &next, err, sizeof err);
        if (rc != PS_BSTORE_OK || next == since || (a.limit && out.n >= a.limit))
            break;
        since = next;
    }
    ps_buf_free(&b);
    ps_batch_store_close(bs);
    return result("list", rc, err);
}

/* ---- show ---- */

static int cmd_show(int argc, char **argv)
{
    static const char *const opts[] = {"data", "by", NULL};
    args a;
    int rc = parse_args("show", argc, argv, opts, true, &a);
    ps_batch_store *bs;
    if (rc || (rc = open_store("show", a.data, &bs)))
        return rc;
    char who[PS_REVIEW_WHO_MAX + 1];
    const char *login = getenv("LOGNAME") ? getenv("LOGNAME") : getenv("USER");
    snprintf(who, sizeof who, "%s%s", a.by ? "" : "cli:", a.by ? a.by : login ? login : "?");
    if ((rc = resolve("show", bs, &a))) {
        ps_batch_store_close(bs);
        return rc;
    }
    ps_buf b;
    ps_buf_init(&b);
    char err[512];
    rc = ps_hit_show(bs, a.cursor, who, &b, err, sizeof err);
    if (rc == PS_BSTORE_OK) {
        ps_buf_putc(&b, '\n');
        fwrite(b.data, 1, b.len, stdout);
    }
    ps_buf_free(&b);
    ps_batch_store_close(bs);
    return result("show", rc, err);
}

/* ---- decide ---- */

static int cmd_decide(int argc, char **argv)
{
    static const char *const opts[] = {"data", "decision", "note", "valid-until", "by", NULL};
    args a;
    int rc = parse_args("decide", argc, argv, opts, true, &a);
    if (rc)
        return rc;
    if (!a.decision)
        return usage_error("decide", "--decision true_match|false_positive|escalated is required");
    if (!a.by)
        return usage_error("decide", "--by NAME (who decides) is required");
    ps_hit_status d;
    if (!ps_hit_status_parse(a.decision, strlen(a.decision), &d) || !ps_hit_is_decision(d)) {
        fprintf(stderr, "paxscreen hits decide: decision: must be true_match, false_positive or "
                        "escalated\n");
        return 1;
    }
    uint64_t valid_until = 0; /* a date alone runs to the end of that day, UTC */
    if (a.valid_until) {
        ps_date until;
        if (!ps_date_parse_iso(a.valid_until, strlen(a.valid_until), &until) ||
            until.precision < PS_DATE_DAY)
            return usage_error("decide", "--valid-until: a date YYYY-MM-DD or YYYY-MM-DDTHH:MM");
        valid_until = (uint64_t)ps_rule_time(&until, true) * 1000u;
    }
    ps_batch_store *bs;
    if ((rc = open_store("decide", a.data, &bs)))
        return rc;
    if ((rc = resolve("decide", bs, &a))) {
        ps_batch_store_close(bs);
        return rc;
    }
    ps_hit_decision out;
    char err[512];
    rc = ps_hit_decide_until(bs, a.cursor, d, a.by, a.note, 0, valid_until, &out, err, sizeof err);
    ps_batch_store_close(bs);
    if (rc == PS_BSTORE_OK) {
        ps_buf b;
        ps_buf_init(&b);
        ps_hit_decision_json(&b, &out);
        ps_buf_putc(&b, '\n');
        fwrite(b.data, 1, b.len, stdout);
        ps_buf_free(&b);
    }
    return result("decide", rc, err);
}

int ps_cmd_hits(int argc, char **argv)
{
    if (argc < 2) {
        fputs(hits_usage, stderr);
        return 2;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return cmd_show(argc - 1, argv + 1);
    if (strcmp(sub, "decide") == 0)
        return cmd_decide(argc - 1, argv + 1);
    fprintf(stderr, "paxscreen hits: unknown subcommand '%s'\n%s", sub, hits_usage);
    return 2;
}
