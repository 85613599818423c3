/* tests/fuzz/fuzz_rule_json.c — libFuzzer target for the targeting-rule JSON reader: any bytes
 * either become a rule that keeps every limit of paxscreen/rule.h, writes back to JSON that
 * reads as the same rule and survives the store's rule codec unchanged, or exactly one error
 * that names a JSON path. The same bytes are also fed to the codec's decoder as a stored
 * record, which must refuse or decode them without harm. */
#include "../../engine/rules_internal.h"
#include "paxscreen/rule.h"

#include <stdlib.h>
#include <string.h>

/* Checks a condition tree against the limits; returns its node count. */
static uint32_t check_cond(const ps_rule_cond *c, uint32_t depth)
{
    if (depth > PS_RULE_MAX_DEPTH || !c->path.len)
        abort();
    switch (c->op) {
    case PS_COND_EQUALS:
    case PS_COND_MATCHES:
        if (!c->text.len || c->text.len > PS_RULE_MAX_PATTERN || c->field >= PS_RULE_FIELDS)
            abort();
        return 1;
    case PS_COND_NOT:
        if (c->n_kids != 1)
            abort();
        return 1 + check_cond(&c->kids[0], depth + 1);
    case PS_COND_ALL:
    case PS_COND_ANY: {
        if (!c->n_kids)
            abort();
        uint32_t n = 1;
        for (uint32_t i = 0; i < c->n_kids; i++)
            n += check_cond(&c->kids[i], depth + 1);
        return n;
    }
    }
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_rule r;
    bool ok = ps_rule_parse((const char *)data, size, 1, &arena, &r, &diags);
    if (ok) {
        if (diags.count != 0 || !r.id.len || r.id.len > PS_RULE_MAX_ID || !r.name.len)
            abort();
        if (r.action < PS_ACTION_NO_BOARD || r.action > PS_ACTION_NOTIFY)
            abort();
        if (check_cond(&r.when, 1) != r.n_nodes || r.n_nodes > PS_RULE_MAX_NODES)
            abort();
        /* written back, it reads as the same rule */
        ps_buf b, b2;
        ps_buf_init(&b);
        ps_buf_init(&b2);
        ps_rule_write_json(&b, &r);
        ps_rule again;
        ps_diag_list d2;
        ps_diag_list_init(&d2, &arena);
        if (!ps_rule_parse(b.data, b.len, 0, &arena, &again, &d2))
            abort();
        ps_rule_write_json(&b2, &again);
        if (b.len != b2.len || memcmp(b.data, b2.data, b.len) != 0)
            abort();
        /* stored and read back, it is still the same rule */
        ps_buf enc;
        ps_buf_init(&enc);
        ps_rule_encode(&r, 42, &enc);
        ps_rule decoded;
        uint64_t version = 0;
        if (!ps_rule_decode(enc.data, enc.len, &arena, &decoded, &version) || version != 42)
            abort();
        b2.len = 0;
        ps_rule_write_json(&b2, &decoded);
        if (b.len != b2.len || memcmp(b.data, b2.data, b.len) != 0)
            abort();
        ps_buf_free(&enc);
        ps_buf_free(&b);
        ps_buf_free(&b2);
    } else if (diags.count != 1 || diags.items[0].severity != PS_ERROR ||
               !diags.items[0].field.len) {
        abort();
    }
    ps_rule raw;
    ps_rule_decode(data, size, &arena, &raw, NULL);
    ps_arena_free(&arena);
    return 0;
}
