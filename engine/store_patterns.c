/* engine/store_patterns.c — the patterns of the alert store, matched with Hyperscan: document
 * number patterns (a stolen series of blank passports: "L8989[0-9]{4}") and name patterns
 * (an entry's "name_patterns": "(MO|MU)HAMM?[AE]D ALI( .*)?").
 *
 *   patterns       u64 BE entry, u16 BE document index -> char[3] issuer alpha-3 (NUL padded),
 *                  then the pattern as listed
 *   name_patterns  u64 BE entry, u16 BE name pattern index -> char[3] zero, then the pattern
 *   meta "doc_patterns", "name_patterns"  per kind: u32 LE count, count records of (u64 BE
 *                  entry, u16 BE index, char[3] issuer) — the pattern with Hyperscan id i is
 *                  record i — then the compiled database, serialized (hs_serialize_database)
 * Every pattern is anchored to the whole text it is matched against (the canonical number; the
 * normalized name, surname tokens then given-name tokens, one space between) and
 * case-insensitive. A kind's compiled database is rebuilt inside the writer's transaction
 * whenever one of its patterns came or went, so a snapshot's databases always match their
 * patterns; a snapshot deserializes each once, on first use, and keeps its own scratch space.
 * Invariant: "patterns" and "name_patterns" hold exactly the patterns of the entries in
 * records. */
#include "store_internal.h"

#include "paxscreen/normalize.h"

#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATTERN_REF_SIZE 13
#define PATTERN_FLAGS    (HS_FLAG_SINGLEMATCH | HS_FLAG_CASELESS)

/* What differs between the two kinds of pattern. */
typedef struct pattern_kind {
    const char *meta_key; /* where the compiled database lives in meta */
    const char *what;     /* for messages */
} pattern_kind;

static const pattern_kind kinds[2] = {
    [PS_PATTERN_DOCUMENTS] = {"doc_patterns", "document patterns"},
    [PS_PATTERN_NAMES] = {"name_patterns", "name patterns"},
};

static MDB_dbi kind_dbi(const ps_store *s, int kind)
{
    return kind == PS_PATTERN_NAMES ? s->name_patterns : s->patterns;
}

/* The i-th pattern of kind in e (empty when that document gives a number). */
static ps_str entry_pattern(const ps_wl_entry *e, int kind, uint32_t i)
{
    return kind == PS_PATTERN_NAMES ? e->name_patterns[i] : e->documents[i].pattern;
}

static uint32_t entry_pattern_count(const ps_wl_entry *e, int kind)
{
    return kind == PS_PATTERN_NAMES ? e->n_name_patterns : e->n_documents;
}

/* "^(?:" pattern ")$" as a NUL-terminated string in out; false when it does not fit. */
static bool anchored(ps_str pattern, char *out, size_t cap)
{
    int n = snprintf(out, cap, "^(?:%.*s)$", (int)pattern.len, pattern.ptr);
    return n > 0 && (size_t)n < cap && memchr(pattern.ptr, '\0', pattern.len) == NULL;
}

int ps_patterns_validate(const ps_wl_entry *e, char *err, size_t errlen)
{
    for (int kind = 0; kind < 2; kind++) {
        const char *field =
            kind == PS_PATTERN_NAMES ? "name_patterns[%u]" : "documents[%u].pattern";
        for (uint32_t i = 0; i < entry_pattern_count(e, kind); i++) {
            ps_str p = entry_pattern(e, kind, i);
            if (!p.len)
                continue;
            char where[64];
            snprintf(where, sizeof where, field, i);
            char expr[1100];
            if (!anchored(p, expr, sizeof expr)) {
                snprintf(err, errlen, "%s: longer than 1024 bytes or holds NUL", where);
                return PS_STORE_INVALID;
            }
            hs_database_t *db = NULL;
            hs_compile_error_t *ce = NULL;
            if (hs_compile(expr, PATTERN_FLAGS, HS_MODE_BLOCK, NULL, &db, &ce) != HS_SUCCESS) {
                snprintf(err, errlen, "%s: %s", where,
                         ce && ce->message ? ce->message : "not a pattern Hyperscan can compile");
                hs_free_compile_error(ce);
                return PS_STORE_INVALID;
            }
            hs_free_database(db);
        }
    }
    return PS_STORE_OK;
}

static void pack_key(unsigned char out[10], uint64_t entry, uint16_t doc)
{
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(entry >> (56 - 8 * i));
    out[8] = (unsigned char)(doc >> 8);
    out[9] = (unsigned char)doc;
}

static int remove_kind(MDB_txn *txn, const ps_store *s, uint64_t n, int kind, unsigned *changed)
{
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, kind_dbi(s, kind), &cur);
    if (rc != 0)
        return rc;
    unsigned char prefix[10];
    pack_key(prefix, n, 0);
    for (;;) { /* each time from the first record of entry n that is left */
        MDB_val k = {sizeof prefix, prefix}, v;
        rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
        if (rc != 0 || k.mv_size != 10 || memcmp(k.mv_data, prefix, 8) != 0)
            break;
        rc = mdb_cursor_del(cur, 0);
        if (rc != 0)
            break;
        *changed |= 1u << kind;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND || rc == MDB_SUCCESS ? 0 : rc;
}

int ps_patterns_remove(MDB_txn *txn, const ps_store *s, uint64_t n, unsigned *changed)
{
    int rc = remove_kind(txn, s, n, PS_PATTERN_DOCUMENTS, changed);
    return rc ? rc : remove_kind(txn, s, n, PS_PATTERN_NAMES, changed);
}

int ps_patterns_add(MDB_txn *txn, const ps_store *s, const ps_wl_entry *e, uint64_t n,
                    unsigned *changed)
{
    for (int kind = 0; kind < 2; kind++) {
        for (uint32_t i = 0; i < entry_pattern_count(e, kind) && i < 65536; i++) {
            ps_str pattern = entry_pattern(e, kind, i);
            if (!pattern.len)
                continue;
            unsigned char key[10];
            pack_key(key, n, (uint16_t)i);
            char value[3 + 1024];
            size_t len = pattern.len < 1024 ? pattern.len : 1024;
            memset(value, 0, 3);
            if (kind == PS_PATTERN_DOCUMENTS) {
                ps_str issuer = e->documents[i].issuer;
                const char *a3 = issuer.len ? ps_country_alpha3(issuer.ptr, issuer.len) : NULL;
                if (a3)
                    memcpy(value, a3, 3);
            }
            memcpy(value + 3, pattern.ptr, len);
            MDB_val k = {sizeof key, key}, v = {3 + len, value};
            int rc = mdb_put(txn, kind_dbi(s, kind), &k, &v, 0);
            if (rc != 0)
                return rc;
            *changed |= 1u << kind;
        }
    }
    return 0;
}

static int rebuild_kind(MDB_txn *txn, const ps_store *s, int kind, char *err, size_t errlen)
{
    MDB_val meta_key = {strlen(kinds[kind].meta_key), (void *)kinds[kind].meta_key};
    MDB_stat st;
    int rc = mdb_stat(txn, kind_dbi(s, kind), &st);
    if (rc != 0) {
        snprintf(err, errlen, "reading patterns: %s", mdb_strerror(rc));
        return PS_STORE_IO;
    }
    if (st.ms_entries == 0) {
        rc = mdb_del(txn, s->meta, &meta_key, NULL);
        if (rc != 0 && rc != MDB_NOTFOUND) {
            snprintf(err, errlen, "removing the pattern database: %s", mdb_strerror(rc));
            return PS_STORE_IO;
        }
        return PS_STORE_OK;
    }
    size_t count = st.ms_entries;
    char **exprs = calloc(count, sizeof *exprs);
    unsigned *ids = calloc(count, sizeof *ids), *flags = calloc(count, sizeof *flags);
    unsigned char *map = malloc(count * PATTERN_REF_SIZE);
    int code = PS_STORE_OK;
    if (!exprs || !ids || !flags || !map) {
        snprintf(err, errlen, "out of memory");
        code = PS_STORE_IO;
        goto done;
    }
    MDB_cursor *cur = NULL;
    rc = mdb_cursor_open(txn, kind_dbi(s, kind), &cur);
    size_t n = 0;
    MDB_val k, v;
    if (rc == 0)
        rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    else
        cur = NULL;
    while (rc == 0 && n < count) {
        if (k.mv_size == 10 && v.mv_size > 3) {
            ps_str pattern = {(const char *)v.mv_data + 3, v.mv_size - 3};
            char expr[1100];
            exprs[n] = anchored(pattern, expr, sizeof expr) ? strdup(expr) : NULL;
            if (exprs[n]) {
                memcpy(map + n * PATTERN_REF_SIZE, k.mv_data, 10);
                memcpy(map + n * PATTERN_REF_SIZE + 10, v.mv_data, 3);
                ids[n] = (unsigned)n;
                flags[n] = PATTERN_FLAGS;
                n++;
            }
        }
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    if (cur)
        mdb_cursor_close(cur);
    if (rc != 0 && rc != MDB_NOTFOUND) {
        snprintf(err, errlen, "reading patterns: %s", mdb_strerror(rc));
        code = PS_STORE_IO;
        goto done;
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    if (hs_compile_multi((const char *const *)exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL,
                         &db, &ce) != HS_SUCCESS) {
        snprintf(err, errlen, "compiling %zu %s: %s", n, kinds[kind].what,
                 ce && ce->message ? ce->message : "failed");
        hs_free_compile_error(ce);
        code = PS_STORE_INVALID;
        goto done;
    }
    char *bytes = NULL;
    size_t nbytes = 0;
    if (hs_serialize_database(db, &bytes, &nbytes) != HS_SUCCESS) {
        hs_free_database(db);
        snprintf(err, errlen, "serializing the pattern database failed");
        code = PS_STORE_IO;
        goto done;
    }
    hs_free_database(db);
    size_t total = 4 + n * PATTERN_REF_SIZE + nbytes;
    MDB_val mv = {total, NULL};
    rc = mdb_put(txn, s->meta, &meta_key, &mv, MDB_RESERVE);
    if (rc == 0) {
        unsigned char *out = mv.mv_data;
        for (int i = 0; i < 4; i++)
            out[i] = (unsigned char)(n >> (8 * i));
        memcpy(out + 4, map, n * PATTERN_REF_SIZE);
        memcpy(out + 4 + n * PATTERN_REF_SIZE, bytes, nbytes);
    } else {
        snprintf(err, errlen, "storing the pattern database: %s", mdb_strerror(rc));
        code = rc == MDB_MAP_FULL ? PS_STORE_FULL : PS_STORE_IO;
    }
    free(bytes);
done:
    for (size_t i = 0; exprs && i < count; i++)
        free(exprs[i]);
    free(exprs);
    free(ids);
    free(flags);
    free(map);
    return code;
}

int ps_patterns_rebuild(MDB_txn *txn, const ps_store *s, unsigned changed, char *err, size_t errlen)
{
    for (int kind = 0; kind < 2; kind++) {
        if (!(changed & 1u << kind))
            continue;
        int code = rebuild_kind(txn, s, kind, err, errlen);
        if (code != PS_STORE_OK)
            return code;
    }
    return PS_STORE_OK;
}

/* ---- snapshots ---- */

/* Loads a kind's pattern database into the snapshot on first use; false when there is none. */
static bool load(ps_snapshot *snap, int kind)
{
    ps_pattern_set *set = &snap->pattern_sets[kind];
    if (set->loaded)
        return set->db != NULL;
    set->loaded = true;
    MDB_val k = {strlen(kinds[kind].meta_key), (void *)kinds[kind].meta_key}, v;
    if (mdb_get(snap->txn, snap->s->meta, &k, &v) != 0 || v.mv_size < 4)
        return false;
    const unsigned char *p = v.mv_data;
    uint32_t n = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    size_t head = 4 + (size_t)n * PATTERN_REF_SIZE;
    if (head > v.mv_size)
        return false;
    hs_database_t *db = NULL;
    if (hs_deserialize_database((const char *)p + head, v.mv_size - head, &db) != HS_SUCCESS)
        return false;
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
        hs_free_database(db);
        return false;
    }
    set->db = db;
    set->scratch = scratch;
    set->map = p + 4;
    set->count = n;
    return true;
}

typedef struct match_ctx {
    const ps_pattern_set *set;
    void (*fn)(void *ctx, const ps_doc_ref *ref);
    void *ctx;
} match_ctx;

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *arg)
{
    (void)from;
    (void)to;
    (void)flags;
    match_ctx *m = arg;
    if (id >= m->set->count)
        return 0;
    const unsigned char *r = m->set->map + (size_t)id * PATTERN_REF_SIZE;
    ps_doc_ref ref;
    ref.entry = 0;
    for (int i = 0; i < 8; i++)
        ref.entry = ref.entry << 8 | r[i];
    ref.document = (uint16_t)(r[8] << 8 | r[9]);
    memcpy(ref.issuer, r + 10, 3);
    ref.issuer[3] = '\0';
    m->fn(m->ctx, &ref);
    return 0;
}

static int scan(ps_snapshot *snap, int kind, const char *text, size_t len,
                void (*fn)(void *ctx, const ps_doc_ref *ref), void *ctx)
{
    if (!len || !load(snap, kind))
        return PS_STORE_OK;
    ps_pattern_set *set = &snap->pattern_sets[kind];
    match_ctx m = {set, fn, ctx};
    hs_error_t e = hs_scan(set->db, text, (unsigned)len, 0, set->scratch, on_match, &m);
    return e == HS_SUCCESS ? PS_STORE_OK : PS_STORE_IO;
}

int ps_snapshot_doc_patterns(ps_snapshot *snap, const char *key, size_t key_len,
                             void (*fn)(void *ctx, const ps_doc_ref *ref), void *ctx)
{
    return scan(snap, PS_PATTERN_DOCUMENTS, key, key_len, fn, ctx);
}

int ps_snapshot_name_patterns(ps_snapshot *snap, const char *name, size_t len,
                              void (*fn)(void *ctx, const ps_doc_ref *ref), void *ctx)
{
    return scan(snap, PS_PATTERN_NAMES, name, len, fn, ctx);
}

bool ps_snapshot_has_name_patterns(ps_snapshot *snap)
{
    return load(snap, PS_PATTERN_NAMES);
}

void ps_patterns_free(ps_snapshot *snap)
{
    for (int kind = 0; kind < 2; kind++) {
        ps_pattern_set *set = &snap->pattern_sets[kind];
        if (set->scratch)
            hs_free_scratch(set->scratch);
        if (set->db)
            hs_free_database(set->db);
        set->scratch = NULL;
        set->db = NULL;
    }
}
