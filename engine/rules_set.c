/* engine/rules_set.c — the stored rules flattened into one set that screening evaluates and
 * the compiler turns into databases: every rule (in id order) with its condition tree as a
 * postfix program, every leaf with its field and polarity, and per field the distinct patterns
 * (op + text, sorted) with the leaves each one stands for. The same function builds the set
 * for the writer (to compile) and for readers (to evaluate), so pattern i of a field is the
 * same pattern on both sides; the hash of a field's pattern list proves it at load time. */
#include "rules_internal.h"

#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <xxhash.h>

/* A growable array of u32 (plain realloc; out of memory aborts, as ps_buf does). */
typedef struct u32vec {
    uint32_t *v;
    uint32_t n, cap;
} u32vec;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "paxscreen: out of memory (%zu bytes)\n", n);
        abort();
    }
    return q;
}

static void push(u32vec *a, uint32_t x)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 256;
        a->v = xrealloc(a->v, (size_t)a->cap * sizeof *a->v);
    }
    a->v[a->n++] = x;
}

typedef struct builder {
    ps_rule_set *set;
    u32vec prog;
    rs_leaf *leaves;
    uint32_t n_leaves, cap_leaves;
    bool too_many;
} builder;

static void add_leaf(builder *b, uint32_t rule, const ps_rule_cond *c, bool positive)
{
    if (b->n_leaves >= RS_MAX_LEAVES) {
        b->too_many = true;
        return;
    }
    if (b->n_leaves == b->cap_leaves) {
        b->cap_leaves = b->cap_leaves ? b->cap_leaves * 2 : 256;
        b->leaves = xrealloc(b->leaves, (size_t)b->cap_leaves * sizeof *b->leaves);
    }
    push(&b->prog, (uint32_t)RS_LEAF << 24 | b->n_leaves);
    b->leaves[b->n_leaves++] = (rs_leaf){.rule = rule,
                                         .field = (uint8_t)c->field,
                                         .op = (uint8_t)c->op,
                                         .positive = positive,
                                         .text = c->text,
                                         .path = c->path};
}

static void flatten(builder *b, uint32_t rule, const ps_rule_cond *c, bool positive)
{
    switch (c->op) {
    case PS_COND_EQUALS:
    case PS_COND_MATCHES:
        add_leaf(b, rule, c, positive);
        return;
    case PS_COND_NOT:
        flatten(b, rule, &c->kids[0], !positive);
        push(&b->prog, (uint32_t)RS_NOT << 24);
        return;
    case PS_COND_ALL:
    case PS_COND_ANY:
        for (uint32_t i = 0; i < c->n_kids; i++)
            flatten(b, rule, &c->kids[i], positive);
        push(&b->prog, (uint32_t)(c->op == PS_COND_ALL ? RS_ALL : RS_ANY) << 24 | c->n_kids);
        return;
    }
}

bool ps_rule_set_eval(const ps_rule_set *set, const rs_rule *r, const uint64_t *matched)
{
    bool stack[PS_RULE_MAX_NODES + 1];
    uint32_t sp = 0;
    for (uint32_t k = 0; k < r->prog_len; k++) {
        uint32_t ins = set->prog[r->prog + k], arg = RS_ARG(ins);
        switch (RS_OP(ins)) {
        case RS_LEAF:
            stack[sp++] = matched && (matched[arg >> 6] >> (arg & 63) & 1);
            break;
        case RS_NOT:
            stack[sp - 1] = !stack[sp - 1];
            break;
        case RS_ALL:
        case RS_ANY: {
            bool all = RS_OP(ins) == RS_ALL, v = all;
            for (uint32_t i = sp - arg; i < sp; i++)
                v = all ? v && stack[i] : v || stack[i];
            sp -= arg;
            stack[sp++] = v;
            break;
        }
        }
    }
    return sp == 1 && stack[0];
}

/* ---- patterns per field ---- */

static int cmp_leaf(const void *a, const void *b, void *arg)
{
    const rs_leaf *leaves = arg;
    const rs_leaf *x = &leaves[*(const uint32_t *)a], *y = &leaves[*(const uint32_t *)b];
    if (x->op != y->op)
        return x->op < y->op ? -1 : 1;
    size_t n = x->text.len < y->text.len ? x->text.len : y->text.len;
    int c = memcmp(x->text.ptr, y->text.ptr, n);
    if (c)
        return c;
    if (x->text.len != y->text.len)
        return x->text.len < y->text.len ? -1 : 1;
    return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static bool same_pattern(const rs_leaf *x, const rs_leaf *y)
{
    return x->op == y->op && ps_str_eq(x->text, y->text);
}

static void group_field(ps_rule_set *set, int f)
{
    rs_field *fd = &set->fields[f];
    u32vec ids = {0};
    for (uint32_t i = 0; i < set->n_leaves; i++)
        if (set->leaves[i].field == f)
            push(&ids, i);
    if (!ids.n)
        return;
    qsort_r(ids.v, ids.n, sizeof *ids.v, cmp_leaf, set->leaves);
    fd->pat_leaves = ids.v;
    fd->pat_start = xrealloc(NULL, ((size_t)ids.n + 1) * sizeof *fd->pat_start);
    XXH3_state_t *h = XXH3_createState();
    XXH3_64bits_reset_withSeed(h, RULE_DB_FORMAT);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ids.n; i++) {
        rs_leaf *l = &set->leaves[ids.v[i]];
        if (i == 0 || !same_pattern(&set->leaves[ids.v[i - 1]], l)) {
            fd->pat_start[n++] = i;
            unsigned char head[5] = {
                l->op, (unsigned char)l->text.len, (unsigned char)(l->text.len >> 8),
                (unsigned char)(l->text.len >> 16), (unsigned char)(l->text.len >> 24)};
            XXH3_64bits_update(h, head, sizeof head);
            XXH3_64bits_update(h, l->text.ptr, l->text.len);
        }
        l->index = n - 1;
    }
    fd->pat_start[n] = ids.n;
    fd->n_patterns = n;
    fd->hash = XXH3_64bits_digest(h);
    XXH3_freeState(h);
}

void ps_rule_leaf_expression(ps_cond_op op, ps_str text, ps_buf *out, unsigned *flags)
{
    static const char hex[] = "0123456789abcdef";
    out->len = 0;
    if (op == PS_COND_EQUALS) {
        ps_buf_putc(out, '^');
        for (size_t i = 0; i < text.len; i++) {
            unsigned char ch = (unsigned char)text.ptr[i];
            if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
                ps_buf_putc(out, (char)ch);
            } else {
                char esc[4] = {'\\', 'x', hex[ch >> 4], hex[ch & 15]};
                ps_buf_append(out, esc, 4);
            }
        }
        ps_buf_putc(out, '$');
        *flags = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
    } else {
        ps_buf_puts(out, "^(?:");
        ps_buf_append(out, text.ptr, text.len);
        ps_buf_puts(out, ")$");
        *flags = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
    }
    ps_buf_putc(out, '\0');
}

void ps_rule_set_expression(const ps_rule_set *set, int f, uint32_t i, ps_buf *out, unsigned *flags)
{
    const rs_field *fd = &set->fields[f];
    const rs_leaf *l = &set->leaves[fd->pat_leaves[fd->pat_start[i]]];
    ps_rule_leaf_expression((ps_cond_op)l->op, l->text, out, flags);
}

/* ---- building ---- */

void ps_rule_set_free(ps_rule_set *set)
{
    if (!set)
        return;
    for (int f = 0; f < PS_RULE_FIELDS; f++) {
        free(set->fields[f].pat_start);
        free(set->fields[f].pat_leaves);
        if (set->fields[f].db)
            hs_free_database(set->fields[f].db);
    }
    if (set->proto_scratch)
        hs_free_scratch(set->proto_scratch);
    free(set->rules);
    free(set->leaves);
    free(set->prog);
    free(set->zero_true);
    ps_arena_free(&set->arena);
    free(set);
}

int ps_rule_set_build(MDB_txn *txn, const ps_store *s, ps_rule_set **out, char *err, size_t errlen)
{
    *out = NULL;
    ps_rule_set *set = calloc(1, sizeof *set);
    if (!set) {
        snprintf(err, errlen, "out of memory");
        return PS_STORE_IO;
    }
    ps_arena_init(&set->arena);
    atomic_init(&set->refs, 1);
    set->store = s;
    set->generation = ps_rules_read_generation(txn, s);

    MDB_stat st;
    int rc = mdb_stat(txn, s->rules, &st);
    MDB_cursor *cur = NULL;
    if (rc == 0)
        rc = mdb_cursor_open(txn, s->rules, &cur);
    if (rc != 0) {
        snprintf(err, errlen, "reading rules: %s", mdb_strerror(rc));
        ps_rule_set_free(set);
        return PS_STORE_IO;
    }
    set->rules = calloc(st.ms_entries ? st.ms_entries : 1, sizeof *set->rules);
    builder b = {.set = set};
    u32vec zero = {0};
    MDB_val k, v;
    int code = PS_STORE_OK;
    rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    while (rc == 0 && set->n_rules < st.ms_entries) {
        ps_rule r;
        uint64_t version;
        if (!ps_rule_decode(v.mv_data, v.mv_size, &set->arena, &r, &version)) {
            snprintf(err, errlen, "rule '%.*s' is corrupt in the store", (int)k.mv_size,
                     (const char *)k.mv_data);
            code = PS_STORE_IO;
            break;
        }
        uint32_t n = set->n_rules++;
        rs_rule *rr = &set->rules[n];
        rr->id = r.id;
        rr->name = r.name;
        rr->action = r.action;
        rr->from = ps_rule_time(&r.valid_from, false);
        rr->until = ps_rule_time(&r.valid_until, true);
        rr->version = version;
        rr->prog = b.prog.n;
        rr->leaf0 = b.n_leaves;
        flatten(&b, n, &r.when, true);
        rr->prog_len = b.prog.n - rr->prog;
        rr->n_leaves = b.n_leaves - rr->leaf0;
        if (b.too_many) {
            snprintf(err, errlen, "more than %u conditions in all rules", RS_MAX_LEAVES);
            code = PS_STORE_INVALID;
            break;
        }
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    if (code == PS_STORE_OK && rc != 0 && rc != MDB_NOTFOUND) {
        snprintf(err, errlen, "reading rules: %s", mdb_strerror(rc));
        code = PS_STORE_IO;
    }
    set->prog = b.prog.v;
    set->n_prog = b.prog.n;
    set->leaves = b.leaves;
    set->n_leaves = b.n_leaves;
    if (code != PS_STORE_OK) {
        free(zero.v);
        ps_rule_set_free(set);
        return code;
    }
    for (uint32_t i = 0; i < set->n_rules; i++) {
        set->rules[i].zero_true = ps_rule_set_eval(set, &set->rules[i], NULL);
        if (set->rules[i].zero_true)
            push(&zero, i);
    }
    set->zero_true = zero.v;
    set->n_zero_true = zero.n;
    for (int f = 0; f < PS_RULE_FIELDS; f++)
        group_field(set, f);
    *out = set;
    return PS_STORE_OK;
}
