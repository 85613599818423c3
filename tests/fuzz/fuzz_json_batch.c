/* tests/fuzz/fuzz_json_batch.c — libFuzzer target for ps_json_batch_parse: any bytes are read
 * into a fresh arena, every traveller (and the flight) is written back with the JSON writer,
 * and that output must load as JSON again (jansson); anything else aborts. */
#include "paxscreen/json_batch.h"
#include "paxscreen/record_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static void must_be_json(const ps_buf *b, const char *what)
{
    json_error_t e;
    json_t *v = json_loadb(b->data, b->len, JSON_ALLOW_NUL, &e);
    if (!v) {
        fprintf(stderr, "%s written as invalid JSON (%s at byte %d): %.*s\n", what, e.text,
                e.position, (int)b->len, b->data);
        abort();
    }
    json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_batch batch;
    bool ok = ps_json_batch_parse((const char *)data, size, &arena, &batch, &diags);
    if (!ok && batch.n_travellers != 0)
        abort();

    ps_buf buf;
    ps_buf_init(&buf);
    for (uint32_t i = 0; i < batch.n_travellers; i++) {
        const ps_traveller *t = &batch.travellers[i];
        if (t->id.len == 0 || t->offset > size)
            abort();
        buf.len = 0;
        ps_json_write_traveller(&buf, t);
        must_be_json(&buf, "traveller");
    }
    if (batch.has_flight) {
        buf.len = 0;
        ps_json_write_leg(&buf, &batch.flight);
        must_be_json(&buf, "flight");
    }
    for (uint32_t i = 0; i < diags.count; i++) {
        if (diags.items[i].offset > size)
            abort();
        buf.len = 0;
        ps_json_write_diag(&buf, &diags.items[i]);
        must_be_json(&buf, "diag");
    }
    ps_buf_free(&buf);
    ps_arena_free(&arena);
    return 0;
}
