/* tools/cmd_lists.c — `paxscreen lists import|show|set`: loading watchlist entries from JSON
 * Lines into the alert store (store.h) and looking at / changing the lists' settings.
 *
 * import streams the file a line at a time (getline; the file is never held whole) and upserts
 * every entry by list + id, committing every CHECKPOINT_LINES lines (--checkpoint), so an
 * interrupted import keeps what was committed and a re-import of the same file changes nothing
 * (each entry remembers the XXH3 hash of its line). A bad line is reported on stderr with its line
 * number and field and skipped; the rest lands. stdout gets exactly one JSON object. Exit status: 0
 * all lines landed, 1 some lines failed (or the file could not be read to the end; the rest
 * landed), 2 usage error or unreadable FILE, 3 store error (could not open, write or commit; what
 * was committed before stays). */
#include "cli.h"

#include "paxscreen/record_json.h"
#include "paxscreen/store.h"
#include "paxscreen/watchlist.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#define CHECKPOINT_LINES     100000 /* default lines per commit (--checkpoint) */
#define PROGRESS_EVERY_LINES 1024  /* how often the clock is looked at */
#define PROGRESS_SECONDS     0.25

static const char lists_usage[] =
    "usage: paxscreen lists import --db DIR [--checkpoint LINES] FILE.jsonl\n"
    "         (FILE may be - for stdin; a commit every LINES lines, default 100000)\n"
    "       paxscreen lists show --db DIR\n"
    "       paxscreen lists set --db DIR LIST [--action no_board|refer|notify] "
    "[--threshold 0..1]\n";

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 12345678 -> "12,345,678" */
static const char *thousands(uint64_t v, char out[32])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    int o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

static void write_list(ps_buf *b, const ps_list_info *li)
{
    ps_buf_puts(b, "{\"name\":");
    ps_json_string(b, li->name, strlen(li->name));
    ps_buf_printf(b, ",\"action\":\"%s\",\"threshold\":%.6g,\"version\":%llu,\"entries\":%llu}",
                  ps_action_name(li->action), (double)li->threshold,
                  (unsigned long long)li->version, (unsigned long long)li->entries);
}

/* Appends the store's lists as a JSON array. */
static int write_lists(ps_buf *b, ps_store *store, char *err, size_t errlen)
{
    ps_snapshot *snap;
    int code = ps_snapshot_begin(store, &snap, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    uint32_t cap = 64, n;
    ps_list_info *lists;
    for (;;) {
        lists = malloc(cap * sizeof *lists);
        if (!lists) {
            ps_snapshot_end(snap);
            snprintf(err, errlen, "out of memory");
            return PS_STORE_IO;
        }
        n = ps_snapshot_lists(snap, lists, cap);
        if (n < cap)
            break;
        free(lists);
        cap *= 2;
    }
    ps_snapshot_end(snap);
    ps_buf_putc(b, '[');
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            ps_buf_putc(b, ',');
        write_list(b, &lists[i]);
    }
    ps_buf_putc(b, ']');
    free(lists);
    return PS_STORE_OK;
}

static void print_buf(ps_buf *b)
{
    fwrite(b->data, 1, b->len, stdout);
    fflush(stdout);
}

/* {"error":{"db":...,"kind":...,"message":...}} on stdout, the message on stderr. */
static int store_error(const char *cmd, const char *db, int code, const char *msg,
                       const char *extra_json)
{
    fprintf(stderr, "paxscreen lists %s: %s: %s\n", cmd, db, msg);
    ps_buf b;
    ps_buf_init(&b);
    ps_buf_puts(&b, "{\"error\":{\"db\":");
    ps_json_string(&b, db, strlen(db));
    ps_buf_printf(
        &b, ",\"kind\":\"%s\",\"message\":", code == PS_STORE_FULL ? "store_full" : "store_error");
    ps_json_string(&b, msg, strlen(msg));
    if (extra_json)
        ps_buf_puts(&b, extra_json);
    ps_buf_puts(&b, "}}\n");
    print_buf(&b);
    ps_buf_free(&b);
    return 3;
}

/* Reads "--name VALUE" or "--name=VALUE" at argv[*i]; true when it matched. Leaves *value
 * NULL when the option is given without a value. */
static bool take_option(int argc, char **argv, int *i, const char *name, const char **value)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return false;
    if (a[n] == '=') {
        *value = a + n + 1;
        return true;
    }
    if (a[n] != '\0')
        return false;
    *value = *i + 1 < argc ? argv[++*i] : NULL;
    return true;
}

static int usage_error(const char *cmd, const char *what)
{
    fprintf(stderr, "paxscreen lists %s: %s\n%s", cmd, what, lists_usage);
    return 2;
}

/* ---- import ---- */

typedef struct import_state {
    const char *db;
    const char *path;
    uint64_t lines;
    uint64_t failed;
    uint64_t committed_lines; /* lines up to the last successful checkpoint */
    ps_import_counts counts;
    double start;
    double last_progress;
    bool progress;     /* stderr is a terminal */
    bool progress_out; /* a progress line is on screen */
} import_state;

static void show_progress(import_state *st, double now)
{
    char a[32], b[32];
    double secs = now - st->start;
    uint64_t rate = secs > 0 ? (uint64_t)((double)st->lines / secs) : 0;
    fprintf(stderr, "\r%s lines  %s lines/s", thousands(st->lines, a), thousands(rate, b));
    fflush(stderr);
    st->last_progress = now;
    st->progress_out = true;
}

/* Takes the progress line off the screen before a message. */
static void clear_progress(import_state *st)
{
    if (st->progress_out) {
        fputs("\r\033[K", stderr);
        st->progress_out = false;
    }
}

/* Strips the line end; false for a line of nothing but white space. */
static bool trim_line(const char *line, size_t *len)
{
    while (*len && (line[*len - 1] == '\n' || line[*len - 1] == '\r'))
        (*len)--;
    for (size_t i = 0; i < *len; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            return true;
    return false;
}

static int import_store_error(import_state *st, int code, const char *msg)
{
    ps_buf b;
    ps_buf_init(&b);
    ps_buf_puts(&b, ",\"file\":");
    ps_json_string(&b, st->path, strlen(st->path));
    ps_buf_printf(&b, ",\"line\":%llu,\"committed_lines\":%llu", (unsigned long long)st->lines,
                  (unsigned long long)st->committed_lines);
    int rc = store_error("import", st->db, code, msg, b.data);
    ps_buf_free(&b);
    return rc;
}

static int cmd_import(int argc, char **argv)
{
    const char *db = NULL, *path = NULL;
    uint64_t checkpoint = CHECKPOINT_LINES;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (take_option(argc, argv, &i, "--db", &v)) {
            if (!v)
                return usage_error("import", "--db needs a directory");
            db = v;
        } else if (take_option(argc, argv, &i, "--checkpoint", &v)) {
            char *end = NULL;
            checkpoint = v ? strtoull(v, &end, 10) : 0;
            if (!v || end == v || *end != '\0' || checkpoint == 0)
                return usage_error("import", "--checkpoint needs a number of lines (> 0)");
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            char what[160];
            snprintf(what, sizeof what, "unknown option '%s'", argv[i]);
            return usage_error("import", what);
        } else if (!path) {
            path = argv[i];
        } else {
            return usage_error("import", "only one FILE");
        }
    }
    if (!db)
        return usage_error("import", "--db DIR is required");
    if (!path)
        return usage_error("import", "FILE is required");

    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!in) {
        fprintf(stderr, "paxscreen lists import: %s: %s\n", path, strerror(errno));
        return 2;
    }
    static char inbuf[1 << 20];
    setvbuf(in, inbuf, _IOFBF, sizeof inbuf);

    char err[512];
    ps_store *store;
    int code = ps_store_open(db, true, &store, err, sizeof err);
    if (code != PS_STORE_OK) {
        if (in != stdin)
            fclose(in);
        return store_error("import", db, code, err, NULL);
    }
    ps_store_writer *w;
    code = ps_store_writer_begin(store, &w, err, sizeof err);
    if (code != PS_STORE_OK) {
        ps_store_close(store);
        if (in != stdin)
            fclose(in);
        return store_error("import", db, code, err, NULL);
    }

    import_state st = {.db = db, .path = path};
    st.start = st.last_progress = now_seconds();
    st.progress = isatty(STDERR_FILENO);
    const char *shown = strcmp(path, "-") == 0 ? "stdin" : path;

    ps_arena arena;
    ps_arena_init(&arena);
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t got;
    int store_code = PS_STORE_OK;
    while ((got = getline(&line, &line_cap, in)) >= 0) {
        st.lines++;
        size_t len = (size_t)got;
        if (trim_line(line, &len)) {
            ps_arena_reset(&arena);
            ps_diag_list diags;
            ps_diag_list_init(&diags, &arena);
            ps_wl_entry e;
            if (!ps_wl_entry_parse(line, len, st.lines, &arena, &e, &diags)) {
                const ps_diag *d = diags.count ? &diags.items[0] : NULL;
                clear_progress(&st);
                if (d)
                    fprintf(stderr, "paxscreen lists import: %s: %.*s\n", shown,
                            (int)d->message.len, d->message.ptr);
                else
                    fprintf(stderr, "paxscreen lists import: %s: line %llu: not an entry\n", shown,
                            (unsigned long long)st.lines);
                st.failed++;
            } else {
                uint64_t hash = XXH3_64bits(line, len);
                code = ps_store_put(w, &e, hash, &st.counts, err, sizeof err);
                if (code == PS_STORE_INVALID) {
                    clear_progress(&st);
                    fprintf(stderr, "paxscreen lists import: %s: line %llu: %s\n", shown,
                            (unsigned long long)st.lines, err);
                    st.failed++;
                } else if (code != PS_STORE_OK) {
                    store_code = code;
                    break;
                }
            }
        }
        if (st.lines % checkpoint == 0) {
            code = ps_store_writer_checkpoint(w, err, sizeof err);
            if (code != PS_STORE_OK) {
                store_code = code;
                break;
            }
            st.committed_lines = st.lines;
        }
        if (st.progress && st.lines % PROGRESS_EVERY_LINES == 0) {
            double now = now_seconds();
            if (now - st.last_progress >= PROGRESS_SECONDS)
                show_progress(&st, now);
        }
    }
    bool read_failed = store_code == PS_STORE_OK && ferror(in);
    int read_errno = errno;
    free(line);
    ps_arena_free(&arena);
    if (in != stdin)
        fclose(in);

    if (store_code == PS_STORE_OK) {
        code = ps_store_writer_commit(w, err, sizeof err);
        if (code != PS_STORE_OK)
            store_code = code;
        else
            st.committed_lines = st.lines;
    } else {
        ps_store_writer_abort(w);
    }
    double seconds = now_seconds() - st.start;
    if (st.progress_out) {
        show_progress(&st, now_seconds());
        fputc('\n', stderr);
    }
    if (store_code != PS_STORE_OK) {
        int rc = import_store_error(&st, store_code, err);
        ps_store_close(store);
        return rc;
    }
    if (read_failed)
        fprintf(stderr, "paxscreen lists import: %s: reading after line %llu: %s\n", shown,
                (unsigned long long)st.lines, strerror(read_errno));

    ps_buf b;
    ps_buf_init(&b);
    ps_buf_puts(&b, "{\"db\":");
    ps_json_string(&b, db, strlen(db));
    ps_buf_puts(&b, ",\"file\":");
    ps_json_string(&b, path, strlen(path));
    ps_buf_printf(&b,
                  ",\"lines\":%llu,\"inserted\":%llu,\"updated\":%llu,\"unchanged\":%llu,"
                  "\"deleted\":%llu,\"missing\":%llu,\"failed\":%llu,\"seconds\":%.3f,"
                  "\"lists\":",
                  (unsigned long long)st.lines, (unsigned long long)st.counts.inserted,
                  (unsigned long long)st.counts.updated, (unsigned long long)st.counts.unchanged,
                  (unsigned long long)st.counts.deleted, (unsigned long long)st.counts.missing,
                  (unsigned long long)st.failed, seconds);
    code = write_lists(&b, store, err, sizeof err);
    ps_store_close(store);
    if (code != PS_STORE_OK) {
        ps_buf_free(&b);
        return store_error("import", db, code, err, NULL);
    }
    ps_buf_puts(&b, "}\n");
    print_buf(&b);
    ps_buf_free(&b);
    return st.failed || read_failed ? 1 : 0;
}

/* ---- show ---- */

static int cmd_show(int argc, char **argv)
{
    const char *db = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (take_option(argc, argv, &i, "--db", &v)) {
            if (!v)
                return usage_error("show", "--db needs a directory");
            db = v;
        } else {
            char what[160];
            snprintf(what, sizeof what, "unexpected argument '%s'", argv[i]);
            return usage_error("show", what);
        }
    }
    if (!db)
        return usage_error("show", "--db DIR is required");
    char err[512];
    ps_store *store;
    int code = ps_store_open(db, false, &store, err, sizeof err);
    if (code != PS_STORE_OK)
        return store_error("show", db, code, err, NULL);
    ps_buf b;
    ps_buf_init(&b);
    code = write_lists(&b, store, err, sizeof err);
    ps_store_close(store);
    if (code != PS_STORE_OK) {
        ps_buf_free(&b);
        return store_error("show", db, code, err, NULL);
    }
    ps_buf_putc(&b, '\n');
    print_buf(&b);
    ps_buf_free(&b);
    return 0;
}

/* ---- set ---- */

static int cmd_set(int argc, char **argv)
{
    const char *db = NULL, *list = NULL;
    ps_action action = PS_ACTION_NONE;
    float threshold = -1.0f;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (take_option(argc, argv, &i, "--db", &v)) {
            if (!v)
                return usage_error("set", "--db needs a directory");
            db = v;
        } else if (take_option(argc, argv, &i, "--action", &v)) {
            action = v ? ps_action_from_name(v, strlen(v)) : PS_ACTION_NONE;
            if (action == PS_ACTION_NONE)
                return usage_error("set", "--action must be no_board, refer or notify");
        } else if (take_option(argc, argv, &i, "--threshold", &v)) {
            char *end = NULL;
            double t = v ? strtod(v, &end) : NAN;
            if (!v || end == v || *end != '\0' || !(t >= 0.0 && t <= 1.0))
                return usage_error("set", "--threshold must be a number from 0 to 1");
            threshold = (float)t;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            char what[160];
            snprintf(what, sizeof what, "unknown option '%s'", argv[i]);
            return usage_error("set", what);
        } else if (!list) {
            list = argv[i];
        } else {
            return usage_error("set", "only one LIST");
        }
    }
    if (!db)
        return usage_error("set", "--db DIR is required");
    if (!list)
        return usage_error("set", "LIST is required");

    char err[512];
    ps_store *store;
    int code = ps_store_open(db, true, &store, err, sizeof err);
    if (code != PS_STORE_OK)
        return store_error("set", db, code, err, NULL);
    ps_store_writer *w;
    code = ps_store_writer_begin(store, &w, err, sizeof err);
    if (code == PS_STORE_OK) {
        code = ps_store_set_list(w, list, action, threshold, err, sizeof err);
        if (code == PS_STORE_OK)
            code = ps_store_writer_commit(w, err, sizeof err);
        else
            ps_store_writer_abort(w);
    }
    if (code == PS_STORE_INVALID) {
        ps_store_close(store);
        return usage_error("set", err);
    }
    if (code != PS_STORE_OK) {
        ps_store_close(store);
        return store_error("set", db, code, err, NULL);
    }
    ps_snapshot *snap;
    ps_list_info li;
    code = ps_snapshot_begin(store, &snap, err, sizeof err);
    if (code == PS_STORE_OK) {
        code = ps_snapshot_list(snap, list, &li);
        ps_snapshot_end(snap);
        if (code != PS_STORE_OK)
            snprintf(err, sizeof err, "list '%s' not found after setting it", list);
    }
    ps_store_close(store);
    if (code != PS_STORE_OK)
        return store_error("set", db, code, err, NULL);
    ps_buf b;
    ps_buf_init(&b);
    write_list(&b, &li);
    ps_buf_putc(&b, '\n');
    print_buf(&b);
    ps_buf_free(&b);
    return 0;
}

int ps_cmd_lists(int argc, char **argv)
{
    if (argc < 2) {
        fputs(lists_usage, stderr);
        return 2;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "import") == 0)
        return cmd_import(argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return cmd_show(argc - 1, argv + 1);
    if (strcmp(sub, "set") == 0)
        return cmd_set(argc - 1, argv + 1);
    if (strcmp(sub, "help") == 0 || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        fputs(lists_usage, stdout);
        return 0;
    }
    fprintf(stderr, "paxscreen lists: unknown subcommand '%s'\n%s", sub, lists_usage);
    return 2;
}
