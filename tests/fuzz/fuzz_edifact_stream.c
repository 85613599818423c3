/* tests/fuzz/fuzz_edifact_stream.c — libFuzzer target for the interchange splitter
 * (formats/edifact_stream.c): feeds any bytes whole, one byte at a time and in chunks of sizes
 * drawn from the input, and aborts when an invariant breaks: the three runs disagree, an item
 * lies outside the stream or out of order, an interchange does not start with UNA/UNB, a
 * caller dropping bytes before ps_edifact_stream_keep() would have lost an interchange, or the
 * EDIFACT reader does not read an interchange's range as exactly one interchange ended by its
 * UNZ. The first input byte picks the maximum interchange size (64 .. 4144 bytes). */
#include "paxscreen/edifact_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 4096

static void require(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_edifact_stream: invariant failed: %s\n", what);
        abort();
    }
}

typedef struct run {
    ps_edifact_stream_item *items;
    int n;
} run;

/* chunk: 0 = whole, 1 = one byte at a time, else sizes from a xorshift seeded by it. */
static void split(const char *data, size_t len, size_t max, uint32_t chunk, run *out)
{
    ps_edifact_stream s;
    ps_edifact_stream_init(&s, max);
    out->n = 0;
    uint64_t held = 0, last_end = 0;
    size_t off = 0;
    uint32_t x = chunk;
    ps_edifact_stream_item item;
    for (int guard = 0;; guard++) {
        require(guard <= 4 * (int)len + 16, "the splitter does not progress");
        size_t n = len - off;
        if (chunk == 1 && n > 1)
            n = 1;
        else if (chunk > 1 && n > 1) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            size_t want = 1 + x % 97;
            n = want < n ? want : n;
        }
        size_t used = ps_edifact_stream_feed(&s, data + off, n, &item);
        require(used <= n, "feed uses at most what it is given");
        off += used;
        bool more = off < len || item.kind != PS_EDIFACT_STREAM_NONE;
        if (!more) {
            while (ps_edifact_stream_finish(&s, &item) && out->n < MAX_ITEMS)
                out->items[out->n++] = item;
            break;
        }
        if (item.kind != PS_EDIFACT_STREAM_NONE && out->n < MAX_ITEMS)
            out->items[out->n++] = item;
        if (item.kind == PS_EDIFACT_STREAM_INTERCHANGE) {
            require(item.begin >= held, "an interchange starts before the bytes kept");
            require(item.begin >= last_end, "interchanges overlap or go backwards");
            last_end = item.end;
        }
        uint64_t keep = ps_edifact_stream_keep(&s);
        require(keep >= held && keep <= s.pos, "keep moves forward within what was fed");
        require(s.pos - keep <= max + 16, "keep holds more than one interchange");
        held = keep;
    }
    require(s.pos == len, "every byte is used");
}

static bool same(const run *a, const run *b)
{
    if (a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++) {
        const ps_edifact_stream_item *p = &a->items[i], *q = &b->items[i];
        if (p->kind != q->kind || p->error != q->error || p->begin != q->begin ||
            p->end != q->end || p->offset != q->offset || strcmp(p->message, q->message) != 0)
            return false;
    }
    return true;
}

static void check_interchange(const char *data, const ps_edifact_stream_item *it)
{
    size_t n = (size_t)(it->end - it->begin);
    require(n >= 4, "an interchange has at least a tag and a terminator");
    const char *p = data + it->begin;
    require(memcmp(p, "UNA", 3) == 0 || memcmp(p, "UNB", 3) == 0,
            "an interchange starts with UNA or UNB");
    char *copy = malloc(n); /* exact size: a read past the end is caught */
    memcpy(copy, p, n);
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_edi_reader r;
    ps_edi_reader_init(&r, copy, n, &diags);
    int begins = 0, ends = 0;
    bool terminated = false;
    for (int guard = 0;; guard++) {
        require(guard <= 4 * (int)n + 16, "the reader hangs on an interchange");
        ps_edi_event ev = ps_edi_next(&r);
        if (ev == PS_EDI_END)
            break;
        begins += ev == PS_EDI_INTERCHANGE_BEGIN;
        if (ev == PS_EDI_INTERCHANGE_END) {
            ends++;
            terminated = r.ich.terminated;
        }
    }
    require(begins == 1 && ends == 1, "the reader reads the range as one interchange");
    require(terminated, "the reader ends the range's interchange at its UNZ");
    for (uint32_t i = 0; i < diags.count; i++)
        require(strcmp(diags.items[i].kind, "trailing_data") != 0,
                "the reader finds nothing after the range's UNZ");
    ps_edi_reader_free(&r);
    ps_arena_free(&arena);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t max = 64 + (size_t)data[0] * 16;
    const char *stream = (const char *)data + 1;
    size_t len = size - 1;
    char *text = malloc(len ? len : 1);
    if (len)
        memcpy(text, stream, len);
    uint32_t seed = 2166136261u;
    for (size_t i = 0; i < len; i++)
        seed = (seed ^ (uint8_t)text[i]) * 16777619u;
    seed |= 2;

    run runs[3];
    for (int i = 0; i < 3; i++)
        runs[i].items = malloc(MAX_ITEMS * sizeof(ps_edifact_stream_item));
    split(text, len, max, 0, &runs[0]);
    split(text, len, max, 1, &runs[1]);
    split(text, len, max, seed, &runs[2]);
    require(same(&runs[0], &runs[1]), "one byte at a time gives what the whole input gives");
    require(same(&runs[0], &runs[2]), "random chunks give what the whole input gives");

    for (int i = 0; i < runs[0].n; i++) {
        const ps_edifact_stream_item *it = &runs[0].items[i];
        require(it->begin <= it->end && it->end <= len, "items lie inside the stream");
        require(it->kind == PS_EDIFACT_STREAM_INTERCHANGE || it->kind == PS_EDIFACT_STREAM_ERROR,
                "items are interchanges or errors");
        if (it->kind == PS_EDIFACT_STREAM_INTERCHANGE) {
            require(it->end - it->begin <= max, "interchanges are at most the maximum size");
            check_interchange(text, it);
        } else {
            require(it->error >= PS_EDIFACT_STREAM_GARBAGE &&
                        it->error <= PS_EDIFACT_STREAM_TRAILING,
                    "errors have a known code");
            require(it->offset == it->begin && it->message[0], "errors name their offset");
        }
    }
    for (int i = 0; i < 3; i++)
        free(runs[i].items);
    free(text);
    return 0;
}
