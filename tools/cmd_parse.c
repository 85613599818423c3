/* tools/cmd_parse.c — `paxscreen parse [--summary] FILE`: what a PAXLST/EDIFACT file or a JSON
 * batch / JSON Lines file holds, as JSON on stdout. With errors in the input, stdout gets only
 * an error object (first error, all errors, warnings) and the exit status is 1; warnings alone
 * do not fail. --summary prints one object of counts instead of every record. */
#include "cli.h"

#include "paxscreen/json_batch.h"
#include "paxscreen/paxlst.h"
#include "paxscreen/record_json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Output is collected here and spilled to a temporary file past this size, so that nothing
 * reaches stdout before we know whether the input had errors. */
#define SPILL_BYTES (32u << 20)

typedef struct parse_out {
    bool summary;
    ps_buf buf;
    ps_buf interchanges; /* the "interchanges" array, written after the messages */
    FILE *spill;
    uint32_t n_messages;
    uint32_t n_interchanges;
    uint64_t by_role[5];
    uint64_t documents;
    uint64_t with_warnings;
} parse_out;

static void spill_if_big(parse_out *o)
{
    if (o->buf.len < SPILL_BYTES)
        return;
    if (!o->spill)
        o->spill = tmpfile();
    if (o->spill && fwrite(o->buf.data, 1, o->buf.len, o->spill) == o->buf.len)
        o->buf.len = 0;
}

static void count_travellers(parse_out *o, const ps_traveller *t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        o->by_role[t[i].role < 5 ? t[i].role : 0]++;
        o->documents += t[i].n_documents;
        o->with_warnings += t[i].n_warnings > 0;
    }
}

static void on_message(void *ctx, const ps_paxlst_message *m)
{
    parse_out *o = ctx;
    count_travellers(o, m->travellers, m->n_travellers);
    if (o->summary)
        return;
    if (o->n_messages)
        ps_buf_putc(&o->buf, ',');
    ps_paxlst_message_json(&o->buf, m);
    o->n_messages++;
    spill_if_big(o);
}

static void kv_text(ps_buf *b, bool *first, const char *key, const char *text)
{
    ps_json_kv_str(b, first, key, (ps_str){text, strlen(text)});
}

static void on_interchange(void *ctx, const ps_edi_interchange *ich)
{
    parse_out *o = ctx;
    if (o->summary)
        return;
    ps_buf *b = &o->interchanges;
    bool first = true;
    ps_buf_putc(b, o->n_interchanges++ ? ',' : '[');
    ps_buf_putc(b, '{');
    ps_json_key(b, &first, "index");
    ps_buf_printf(b, "%u", ich->index + 1);
    ps_json_key(b, &first, "offset");
    ps_buf_printf(b, "%llu", (unsigned long long)ich->offset);
    char syntax[12];
    snprintf(syntax, sizeof syntax, "%s%s%s", ich->syntax_id, ich->syntax_version[0] ? ":" : "",
             ich->syntax_version);
    kv_text(b, &first, "syntax", syntax);
    const ps_edi_syntax *s = &ich->syntax;
    char service[7] = {s->component,  s->element,    s->decimal, s->release,
                       s->repetition, s->terminator, '\0'};
    kv_text(b, &first, "service_characters", service);
    kv_text(b, &first, "sender", ich->sender);
    kv_text(b, &first, "recipient", ich->recipient);
    ps_json_kv_date(b, &first, "prepared", &ich->prepared);
    kv_text(b, &first, "control_ref", ich->control_ref);
    kv_text(b, &first, "application_ref", ich->application_ref);
    ps_json_key(b, &first, "test");
    ps_buf_puts(b, ich->test ? "true" : "false");
    ps_json_key(b, &first, "messages");
    ps_buf_printf(b, "%u", ich->messages);
    ps_json_key(b, &first, "segments");
    ps_buf_printf(b, "%u", ich->segments);
    ps_json_key(b, &first, "terminated");
    ps_buf_puts(b, ich->terminated ? "true" : "false");
    ps_buf_putc(b, '}');
}

static void write_diags(ps_buf *b, const ps_diag_list *l, ps_severity sev)
{
    ps_buf_putc(b, '[');
    bool any = false;
    for (uint32_t i = 0; i < l->count; i++) {
        if (l->items[i].severity != sev)
            continue;
        if (any)
            ps_buf_putc(b, ',');
        ps_json_write_diag(b, &l->items[i]);
        any = true;
    }
    ps_buf_putc(b, ']');
}

/* {"total":N,"by_kind":{"kind":n,...}} for one severity. */
static void write_diag_counts(ps_buf *b, const ps_diag_list *l, ps_severity sev)
{
    const char *kinds[64];
    uint32_t counts[64];
    uint32_t n_kinds = 0, total = 0, other = 0;
    for (uint32_t i = 0; i < l->count; i++) {
        if (l->items[i].severity != sev)
            continue;
        total++;
        uint32_t k = 0;
        while (k < n_kinds && strcmp(kinds[k], l->items[i].kind) != 0)
            k++;
        if (k == n_kinds) {
            if (n_kinds == 64) {
                other++;
                continue;
            }
            kinds[n_kinds] = l->items[i].kind;
            counts[n_kinds++] = 0;
        }
        counts[k]++;
    }
    ps_buf_printf(b, "{\"total\":%u,\"by_kind\":{", total);
    for (uint32_t k = 0; k < n_kinds; k++)
        ps_buf_printf(b, "%s\"%s\":%u", k ? "," : "", kinds[k], counts[k]);
    if (other)
        ps_buf_printf(b, "%s\"other\":%u", n_kinds ? "," : "", other);
    ps_buf_puts(b, "}}");
}

static void write_summary(ps_buf *b, const char *path, const char *format, size_t bytes,
                          const ps_paxlst_stats *st, const parse_out *o, const ps_diag_list *l,
                          double seconds)
{
    ps_buf_puts(b, "{\"file\":");
    ps_json_string(b, path, strlen(path));
    ps_buf_printf(b, ",\"format\":\"%s\",\"bytes\":%zu", format, bytes);
    if (st) {
        ps_buf_printf(b,
                      ",\"interchanges\":%u,\"messages\":%u,\"logical_messages\":%u,"
                      "\"incomplete_messages\":%u,\"segments\":%llu",
                      st->interchanges, st->messages, st->logical_messages, st->incomplete,
                      (unsigned long long)st->segments);
    }
    uint64_t total = 0;
    for (int r = 0; r < 5; r++)
        total += o->by_role[r];
    ps_buf_printf(b, ",\"travellers\":{\"total\":%llu", (unsigned long long)total);
    for (int r = 1; r < 5; r++)
        ps_buf_printf(b, ",\"%s\":%llu", ps_role_name((ps_role)r),
                      (unsigned long long)o->by_role[r]);
    ps_buf_printf(b, "},\"documents\":%llu,\"travellers_with_warnings\":%llu",
                  (unsigned long long)o->documents, (unsigned long long)o->with_warnings);
    ps_buf_puts(b, ",\"warnings\":");
    write_diag_counts(b, l, PS_WARNING);
    ps_buf_puts(b, ",\"errors\":");
    write_diag_counts(b, l, PS_ERROR);
    ps_buf_printf(b, ",\"seconds\":%.6f,\"mb_per_s\":%.1f}", seconds,
                  seconds > 0 ? (double)bytes / 1e6 / seconds : 0.0);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int print_error_object(const char *path, const ps_diag_list *l, ps_buf *summary)
{
    const ps_diag *first = NULL;
    for (uint32_t i = 0; i < l->count && !first; i++)
        if (l->items[i].severity == PS_ERROR)
            first = &l->items[i];
    ps_buf b;
    ps_buf_init(&b);
    ps_buf_puts(&b, "{\"error\":{\"file\":");
    ps_json_string(&b, path, strlen(path));
    if (first) {
        ps_buf_printf(&b, ",\"kind\":\"%s\",\"segment\":%u,\"offset\":%llu", first->kind,
                      first->segment, (unsigned long long)first->offset);
        if (first->field.len) {
            ps_buf_puts(&b, ",\"field\":");
            ps_json_string(&b, first->field.ptr, first->field.len);
        }
        ps_buf_puts(&b, ",\"message\":");
        ps_json_string(&b, first->message.ptr, first->message.len);
    }
    ps_buf_puts(&b, "},\"errors\":");
    write_diags(&b, l, PS_ERROR);
    ps_buf_puts(&b, ",\"warnings\":");
    write_diags(&b, l, PS_WARNING);
    if (summary) {
        ps_buf_puts(&b, ",\"summary\":");
        ps_buf_append(&b, summary->data, summary->len);
    }
    ps_buf_puts(&b, "}\n");
    fwrite(b.data, 1, b.len, stdout);
    ps_buf_free(&b);
    if (first)
        ps_cli_print_diag("parse", path, first);
    return 1;
}

static void copy_out(FILE *spill, const ps_buf *rest)
{
    if (spill) {
        rewind(spill);
        char chunk[1 << 16];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, spill)) > 0)
            fwrite(chunk, 1, n, stdout);
    }
    fwrite(rest->data, 1, rest->len, stdout);
}

int ps_cmd_parse(int argc, char **argv)
{
    parse_out o;
    memset(&o, 0, sizeof o);
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--summary") == 0)
            o.summary = true;
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "paxscreen parse: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!path)
            path = argv[i];
        else {
            fputs("paxscreen parse: only one FILE\n", stderr);
            return 2;
        }
    }
    if (!path) {
        fputs("usage: paxscreen parse [--summary] FILE   (FILE may be - for stdin)\n", stderr);
        return 2;
    }
    ps_input in;
    int err = ps_input_open(&in, path);
    if (err) {
        fprintf(stderr, "paxscreen parse: %s: %s\n", path, strerror(err));
        printf("{\"error\":{\"file\":");
        ps_buf b;
        ps_buf_init(&b);
        ps_json_string(&b, path, strlen(path));
        printf("%s,\"kind\":\"unreadable\",\"message\":\"%s\"}}\n", b.data, strerror(err));
        ps_buf_free(&b);
        return 1;
    }

    ps_arena diag_arena, arena;
    ps_arena_init(&diag_arena);
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &diag_arena);
    ps_buf_init(&o.buf);
    ps_buf_init(&o.interchanges);

    const char *format;
    ps_paxlst_stats stats;
    bool json = ps_json_looks_like(in.data, in.len);
    double t0 = now_seconds();
    if (json) {
        ps_batch batch;
        ps_json_batch_parse(in.data, in.len, &arena, &batch, &diags);
        format = batch.json_lines ? "json_lines" : "json_batch";
        count_travellers(&o, batch.travellers, batch.n_travellers);
        if (!o.summary) {
            ps_buf_puts(&o.buf, "{\"batch\":{");
            bool first = true;
            if (batch.has_flight) {
                ps_json_key(&o.buf, &first, "flight");
                ps_json_write_leg(&o.buf, &batch.flight);
            }
            ps_json_key(&o.buf, &first, "travellers");
            ps_buf_putc(&o.buf, '[');
            for (uint32_t i = 0; i < batch.n_travellers; i++) {
                if (i)
                    ps_buf_putc(&o.buf, ',');
                ps_json_write_traveller(&o.buf, &batch.travellers[i]);
            }
            ps_buf_puts(&o.buf, "]}");
        }
    } else {
        format = "paxlst";
        ps_paxlst_callbacks cb = {on_message, on_interchange, &o};
        if (!o.summary)
            ps_buf_puts(&o.buf, "{\"messages\":[");
        ps_paxlst_read(in.data, in.len, &cb, &diags, &stats);
        if (!o.summary)
            ps_buf_putc(&o.buf, ']');
    }
    double seconds = now_seconds() - t0;

    int rc = 0;
    if (o.summary) {
        ps_buf s;
        ps_buf_init(&s);
        write_summary(&s, path, format, in.len, json ? NULL : &stats, &o, &diags, seconds);
        if (ps_diag_count(&diags, PS_ERROR)) {
            rc = print_error_object(path, &diags, &s);
        } else {
            ps_buf_putc(&s, '\n');
            fwrite(s.data, 1, s.len, stdout);
        }
        ps_buf_free(&s);
    } else if (ps_diag_count(&diags, PS_ERROR)) {
        rc = print_error_object(path, &diags, NULL);
    } else {
        ps_buf_printf(&o.buf, ",\"file\":");
        ps_json_string(&o.buf, path, strlen(path));
        ps_buf_printf(&o.buf, ",\"format\":\"%s\"", format);
        if (!json) {
            ps_buf_puts(&o.buf, ",\"interchanges\":");
            if (o.interchanges.len)
                ps_buf_append(&o.buf, o.interchanges.data, o.interchanges.len);
            ps_buf_puts(&o.buf, o.interchanges.len ? "]" : "[]");
        }
        ps_buf_puts(&o.buf, ",\"warnings\":");
        write_diags(&o.buf, &diags, PS_WARNING);
        ps_buf_puts(&o.buf, "}\n");
        copy_out(o.spill, &o.buf);
    }
    if (fflush(stdout) != 0 && errno != EPIPE) {
        fprintf(stderr, "paxscreen parse: writing output: %s\n", strerror(errno));
        rc = 1;
    }
    if (o.spill)
        fclose(o.spill);
    ps_buf_free(&o.buf);
    ps_buf_free(&o.interchanges);
    ps_arena_free(&arena);
    ps_arena_free(&diag_arena);
    ps_input_close(&in);
    return rc;
}
