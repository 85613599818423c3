/* engine/rules_store.c — targeting rules in the alert store (paxscreen/rules.h): the rules
 * writer, and reading stored rules back.
 *
 *   rules          rule id -> the rule, encoded (rules_codec.c), led by its version
 *   rule_patterns  "generation" -> u64 LE; "db:FIELD" -> a field's compiled Hyperscan database
 *                  (format in rules_internal.h)
 * Invariants, kept by every commit of a rules writer that changed something: the generation
 * moves on by one; every field whose rules have patterns has a "db:FIELD" record compiled from
 * exactly those patterns (its hash says which), and no other field has one. A field whose
 * pattern list did not change keeps its database (no recompile). Every pattern is checked by
 * itself when its rule is put, so a bad one is named with its rule and JSON path and nothing
 * of that rule is written. */
#include "rules_internal.h"

#include "paxscreen/bytes.h"

#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>

struct ps_rules_writer {
    ps_store *s;
    MDB_txn *txn;
    uint64_t generation; /* the one this writer's commit makes (the version of what it writes) */
    bool changed;
    bool broken; /* an LMDB write failed: only abort remains */
    ps_buf val, expr;
};

static int lmdb_err(int rc, const char *what, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: %s", what, mdb_strerror(rc));
    return rc == MDB_MAP_FULL ? PS_STORE_FULL : PS_STORE_IO;
}

uint64_t ps_rules_read_generation(MDB_txn *txn, const ps_store *s)
{
    MDB_val k = {10, "generation"}, v;
    if (mdb_get(txn, s->rule_patterns, &k, &v) != 0 || v.mv_size != 8)
        return 0;
    return ps_get_le64(v.mv_data);
}

uint64_t ps_rules_generation(ps_snapshot *snap)
{
    return ps_rules_read_generation(snap->txn, snap->s);
}

/* ---- writing ---- */

int ps_rules_writer_begin(ps_store *s, ps_rules_writer **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!s->writable) {
        snprintf(err, errlen, "the store is open read-only");
        return PS_STORE_IO;
    }
    ps_rules_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return PS_STORE_IO;
    }
    w->s = s;
    int rc = mdb_txn_begin(s->env, NULL, 0, &w->txn);
    if (rc == MDB_MAP_RESIZED && mdb_env_set_mapsize(s->env, 0) == 0)
        rc = mdb_txn_begin(s->env, NULL, 0, &w->txn);
    if (rc != 0) {
        free(w);
        return lmdb_err(rc, "starting a rules write", err, errlen);
    }
    w->generation = ps_rules_read_generation(w->txn, s) + 1;
    ps_buf_init(&w->val);
    ps_buf_init(&w->expr);
    *out = w;
    return PS_STORE_OK;
}

static void writer_free(ps_rules_writer *w)
{
    ps_buf_free(&w->val);
    ps_buf_free(&w->expr);
    free(w);
}

void ps_rules_writer_abort(ps_rules_writer *w)
{
    if (!w)
        return;
    if (w->txn)
        mdb_txn_abort(w->txn);
    writer_free(w);
}

static int usable(ps_rules_writer *w, char *err, size_t errlen)
{
    if (w->broken || !w->txn) {
        snprintf(err, errlen, "the rules write failed earlier; only abort remains");
        return PS_STORE_IO;
    }
    return PS_STORE_OK;
}

/* Compiles expr (NUL-terminated) by itself; on failure the message names the rule and path. */
static int check_expression(const char *expr, unsigned flags, const ps_rule *r,
                            const ps_rule_cond *c, char *err, size_t errlen)
{
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    if (hs_compile(expr, flags, HS_MODE_BLOCK, NULL, &db, &ce) == HS_SUCCESS) {
        hs_free_database(db);
        return PS_STORE_OK;
    }
    snprintf(err, errlen, "rule %.*s: %.*s.%s: Hyperscan: %s", (int)r->id.len, r->id.ptr,
             (int)c->path.len, c->path.ptr, c->op == PS_COND_EQUALS ? "equals" : "matches",
             ce && ce->message ? ce->message : "cannot compile this pattern");
    hs_free_compile_error(ce);
    return PS_STORE_INVALID;
}

static int check_cond(ps_rules_writer *w, const ps_rule *r, const ps_rule_cond *c, uint32_t depth,
                      char *err, size_t errlen)
{
    if (depth > PS_RULE_MAX_DEPTH) {
        snprintf(err, errlen, "rule %.*s: %.*s: nested deeper than %d", (int)r->id.len, r->id.ptr,
                 (int)c->path.len, c->path.ptr, PS_RULE_MAX_DEPTH);
        return PS_STORE_INVALID;
    }
    switch (c->op) {
    case PS_COND_EQUALS:
    case PS_COND_MATCHES: {
        if (!c->text.len || c->text.len > PS_RULE_MAX_PATTERN ||
            memchr(c->text.ptr, '\0', c->text.len) || (unsigned)c->field >= PS_RULE_FIELDS) {
            snprintf(err, errlen, "rule %.*s: %.*s: empty, too long or bad field", (int)r->id.len,
                     r->id.ptr, (int)c->path.len, c->path.ptr);
            return PS_STORE_INVALID;
        }
        if (c->op == PS_COND_EQUALS)
            return PS_STORE_OK; /* escaped byte by byte: always compiles */
        /* By itself first, so the message speaks of the analyst's text and a pattern cannot
         * close the anchoring group ("A)|(B"); then anchored, as it will be compiled. */
        w->expr.len = 0;
        ps_buf_append(&w->expr, c->text.ptr, c->text.len);
        ps_buf_putc(&w->expr, '\0');
        int code = check_expression(w->expr.data, HS_FLAG_CASELESS | HS_FLAG_ALLOWEMPTY, r, c, err,
                                    errlen);
        if (code != PS_STORE_OK)
            return code;
        unsigned flags;
        ps_rule_leaf_expression(c->op, c->text, &w->expr, &flags);
        return check_expression(w->expr.data, flags, r, c, err, errlen);
    }
    case PS_COND_ALL:
    case PS_COND_ANY:
    case PS_COND_NOT:
        if (!c->n_kids || (c->op == PS_COND_NOT && c->n_kids != 1)) {
            snprintf(err, errlen, "rule %.*s: %.*s: no condition", (int)r->id.len, r->id.ptr,
                     (int)c->path.len, c->path.ptr);
            return PS_STORE_INVALID;
        }
        for (uint32_t i = 0; i < c->n_kids; i++) {
            int code = check_cond(w, r, &c->kids[i], depth + 1, err, errlen);
            if (code != PS_STORE_OK)
                return code;
        }
        return PS_STORE_OK;
    }
    snprintf(err, errlen, "rule %.*s: %.*s: unknown condition", (int)r->id.len, r->id.ptr,
             (int)c->path.len, c->path.ptr);
    return PS_STORE_INVALID;
}

int ps_rules_put(ps_rules_writer *w, const ps_rule *r, ps_rules_counts *counts, char *err,
                 size_t errlen)
{
    int code = usable(w, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    if (!r->id.len || r->id.len > PS_RULE_MAX_ID || r->id.len > w->s->max_key) {
        snprintf(err, errlen, "id: must be 1 to %d bytes", PS_RULE_MAX_ID);
        return PS_STORE_INVALID;
    }
    if (r->action < PS_ACTION_NO_BOARD || r->action > PS_ACTION_NOTIFY) {
        snprintf(err, errlen, "rule %.*s: action: must be no_board, refer or notify",
                 (int)r->id.len, r->id.ptr);
        return PS_STORE_INVALID;
    }
    if (r->n_nodes > PS_RULE_MAX_NODES) {
        snprintf(err, errlen, "rule %.*s: more than %d conditions", (int)r->id.len, r->id.ptr,
                 PS_RULE_MAX_NODES);
        return PS_STORE_INVALID;
    }
    code = check_cond(w, r, &r->when, 1, err, errlen);
    if (code != PS_STORE_OK)
        return code;

    w->val.len = 0;
    ps_rule_encode(r, w->generation, &w->val);
    MDB_val k = {r->id.len, (void *)r->id.ptr}, v;
    int rc = mdb_get(w->txn, w->s->rules, &k, &v);
    bool exists = rc == 0;
    if (rc != 0 && rc != MDB_NOTFOUND)
        return lmdb_err(rc, "reading rules", err, errlen);
    if (exists && v.mv_size == w->val.len &&
        memcmp((const char *)v.mv_data + 8, w->val.data + 8, w->val.len - 8) == 0) {
        counts->unchanged++;
        return PS_STORE_OK;
    }
    MDB_val nv = {w->val.len, w->val.data};
    rc = mdb_put(w->txn, w->s->rules, &k, &nv, 0);
    if (rc != 0) {
        w->broken = true;
        return lmdb_err(rc, "writing a rule", err, errlen);
    }
    w->changed = true;
    if (exists)
        counts->updated++;
    else
        counts->inserted++;
    return PS_STORE_OK;
}

int ps_rules_delete(ps_rules_writer *w, const char *id, size_t len, ps_rules_counts *counts,
                    char *err, size_t errlen)
{
    int code = usable(w, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    if (!len || len > w->s->max_key) {
        counts->missing++;
        return PS_STORE_OK;
    }
    MDB_val k = {len, (void *)id};
    int rc = mdb_del(w->txn, w->s->rules, &k, NULL);
    if (rc == MDB_NOTFOUND) {
        counts->missing++;
        return PS_STORE_OK;
    }
    if (rc != 0) {
        w->broken = true;
        return lmdb_err(rc, "deleting a rule", err, errlen);
    }
    w->changed = true;
    counts->deleted++;
    return PS_STORE_OK;
}

/* ---- compiling ---- */

static void db_key(int f, char out[40], MDB_val *k)
{
    int n = snprintf(out, 40, "db:%s", ps_rule_field_name((ps_rule_field)f));
    *k = (MDB_val){(size_t)n, out};
}

/* The stored database of field f is set's when its hash and count agree. */
static bool stored_matches(ps_rules_writer *w, const rs_field *fd, MDB_val *k)
{
    MDB_val v;
    if (mdb_get(w->txn, w->s->rule_patterns, k, &v) != 0 || v.mv_size < 16)
        return false;
    const unsigned char *p = v.mv_data;
    uint32_t format =
        (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    uint32_t count =
        (uint32_t)p[12] | (uint32_t)p[13] << 8 | (uint32_t)p[14] << 16 | (uint32_t)p[15] << 24;
    return format == RULE_DB_FORMAT && ps_get_le64(p + 4) == fd->hash && count == fd->n_patterns;
}

static int compile_field(ps_rules_writer *w, const ps_rule_set *set, int f, MDB_val *k, char *err,
                         size_t errlen)
{
    const rs_field *fd = &set->fields[f];
    uint32_t n = fd->n_patterns;
    char **exprs = calloc(n, sizeof *exprs);
    unsigned *flags = calloc(n, sizeof *flags), *ids = calloc(n, sizeof *ids);
    int code = PS_STORE_OK;
    if (!exprs || !flags || !ids) {
        snprintf(err, errlen, "out of memory");
        code = PS_STORE_IO;
        goto done;
    }
    for (uint32_t i = 0; i < n; i++) {
        ps_rule_set_expression(set, f, i, &w->expr, &flags[i]);
        exprs[i] = strdup(w->expr.data);
        ids[i] = i;
        if (!exprs[i]) {
            snprintf(err, errlen, "out of memory");
            code = PS_STORE_IO;
            goto done;
        }
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    if (hs_compile_multi((const char *const *)exprs, flags, ids, n, HS_MODE_BLOCK, NULL, &db,
                         &ce) != HS_SUCCESS) {
        const char *msg = ce && ce->message ? ce->message : "failed";
        if (ce && ce->expression >= 0 && (uint32_t)ce->expression < n) {
            const rs_leaf *l = &set->leaves[fd->pat_leaves[fd->pat_start[ce->expression]]];
            const rs_rule *r = &set->rules[l->rule];
            snprintf(err, errlen, "rule %.*s: %.*s.%s: Hyperscan, compiling the %s database: %s",
                     (int)r->id.len, r->id.ptr, (int)l->path.len, l->path.ptr,
                     l->op == PS_COND_EQUALS ? "equals" : "matches",
                     ps_rule_field_name((ps_rule_field)f), msg);
        } else {
            snprintf(err, errlen, "Hyperscan, compiling the %s database of %u patterns: %s",
                     ps_rule_field_name((ps_rule_field)f), n, msg);
        }
        hs_free_compile_error(ce);
        code = PS_STORE_INVALID;
        goto done;
    }
    char *bytes = NULL;
    size_t nbytes = 0;
    hs_error_t he = hs_serialize_database(db, &bytes, &nbytes);
    hs_free_database(db);
    if (he != HS_SUCCESS) {
        snprintf(err, errlen, "serializing the %s database failed",
                 ps_rule_field_name((ps_rule_field)f));
        code = PS_STORE_IO;
        goto done;
    }
    MDB_val v = {16 + nbytes, NULL};
    int rc = mdb_put(w->txn, w->s->rule_patterns, k, &v, MDB_RESERVE);
    if (rc == 0) {
        unsigned char *p = v.mv_data;
        for (int i = 0; i < 4; i++) {
            p[i] = (unsigned char)(RULE_DB_FORMAT >> (8 * i));
            p[12 + i] = (unsigned char)(n >> (8 * i));
        }
        ps_put_le64(p + 4, fd->hash);
        memcpy(p + 16, bytes, nbytes);
    } else {
        w->broken = true;
        code = lmdb_err(rc, "storing a rules database", err, errlen);
    }
    free(bytes);
done:
    for (uint32_t i = 0; exprs && i < n; i++)
        free(exprs[i]);
    free(exprs);
    free(flags);
    free(ids);
    return code;
}

/* Brings every field's database in line with the rules now in the transaction. */
static int rebuild(ps_rules_writer *w, char *err, size_t errlen)
{
    ps_rule_set *set;
    int code = ps_rule_set_build(w->txn, w->s, &set, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    for (int f = 0; f < PS_RULE_FIELDS && code == PS_STORE_OK; f++) {
        char key[40];
        MDB_val k;
        db_key(f, key, &k);
        if (set->fields[f].n_patterns == 0) {
            int rc = mdb_del(w->txn, w->s->rule_patterns, &k, NULL);
            if (rc != 0 && rc != MDB_NOTFOUND)
                code = lmdb_err(rc, "removing a rules database", err, errlen);
        } else if (!stored_matches(w, &set->fields[f], &k)) {
            code = compile_field(w, set, f, &k, err, errlen);
        }
    }
    ps_rule_set_free(set);
    if (code != PS_STORE_OK)
        return code;
    unsigned char g[8];
    ps_put_le64(g, w->generation);
    MDB_val k = {10, "generation"}, v = {8, g};
    int rc = mdb_put(w->txn, w->s->rule_patterns, &k, &v, 0);
    return rc ? lmdb_err(rc, "writing the rules generation", err, errlen) : PS_STORE_OK;
}

int ps_rules_writer_commit(ps_rules_writer *w, char *err, size_t errlen)
{
    int code = usable(w, err, errlen);
    if (code == PS_STORE_OK && w->changed)
        code = rebuild(w, err, errlen);
    if (code != PS_STORE_OK) {
        ps_rules_writer_abort(w);
        return code;
    }
    int rc = mdb_txn_commit(w->txn);
    w->txn = NULL;
    writer_free(w);
    return rc ? lmdb_err(rc, "committing rules", err, errlen) : PS_STORE_OK;
}

/* ---- reading ---- */

int ps_rules_foreach(ps_snapshot *snap, ps_arena *arena,
                     int (*fn)(void *ctx, const ps_rule *r, uint64_t version), void *ctx)
{
    MDB_cursor *cur;
    if (mdb_cursor_open(snap->txn, snap->s->rules, &cur) != 0)
        return PS_STORE_IO;
    int result = PS_STORE_OK;
    MDB_val k, v;
    int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    while (rc == 0) {
        ps_arena_reset(arena);
        ps_rule r;
        uint64_t version;
        if (!ps_rule_decode(v.mv_data, v.mv_size, arena, &r, &version)) {
            result = PS_STORE_IO;
            break;
        }
        result = fn(ctx, &r, version);
        if (result != 0)
            break;
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    if (result == PS_STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
        result = PS_STORE_IO;
    mdb_cursor_close(cur);
    return result;
}

int ps_rules_get(ps_snapshot *snap, const char *id, size_t len, ps_arena *arena, ps_rule *out,
                 uint64_t *version)
{
    if (!len || len > snap->s->max_key)
        return PS_STORE_NOT_FOUND;
    MDB_val k = {len, (void *)id}, v;
    int rc = mdb_get(snap->txn, snap->s->rules, &k, &v);
    if (rc == MDB_NOTFOUND)
        return PS_STORE_NOT_FOUND;
    if (rc != 0)
        return PS_STORE_IO;
    return ps_rule_decode(v.mv_data, v.mv_size, arena, out, version) ? PS_STORE_OK : PS_STORE_IO;
}
