/* engine/store_names.c — the name index of the alert store: each entry's normalized names
 * (name_forms: entry number -> name_keys.h block) and, for every token of every form, its
 * keys in names (DUPSORT, DUPFIXED values of NAME_REF_SIZE bytes: u64 BE entry, u8 name,
 * u8 token, u8 other token (the second token of a pair key, the token whose initial an initial
 * key holds; 0xFF for the other keys), u8 form, u16 BE birth year of the entry or 0, u16 BE
 * need mask of the form — big-endian, so duplicates come back in entry order; the year lets
 * screening rank candidates of a common name before reading them, the need mask and the tokens
 * let it drop a name some of whose main tokens no key of the traveller reached).
 * name_vocab (DUPSORT) is the vocabulary of listed tokens by their deletion neighbourhood:
 * for every distinct token of at least PS_VOCAB_MIN_LEN letters, the token itself and each of
 * its single-letter deletions -> the token. Two tokens within one edit (or a transposition)
 * share a key; screening finds misspelled tokens through it.
 * Invariants, kept with the records by store.c's put and delete: names holds exactly the keys
 * of the blocks in name_forms; name_vocab holds exactly the neighbourhoods of the tokens that
 * have a 'T' key in names. */
#include "name_keys.h"
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define NAME_REF_SIZE 16

static void pack_ref(unsigned char out[NAME_REF_SIZE], uint64_t entry, const ps_name_ref *r)
{
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(entry >> (56 - 8 * i));
    out[8] = r->name;
    out[9] = r->token;
    out[10] = r->other;
    out[11] = r->form;
    out[12] = (unsigned char)(r->birth_year >> 8);
    out[13] = (unsigned char)r->birth_year;
    out[14] = (unsigned char)(r->need >> 8);
    out[15] = (unsigned char)r->need;
}

static void unpack_ref(const unsigned char *p, ps_name_ref *ref)
{
    uint64_t e = 0;
    for (int i = 0; i < 8; i++)
        e = (e << 8) | p[i];
    ref->entry = e;
    ref->name = p[8];
    ref->token = p[9];
    ref->other = p[10];
    ref->form = p[11];
    ref->birth_year = (uint16_t)(p[12] << 8 | p[13]);
    ref->need = (uint16_t)(p[14] << 8 | p[15]);
}

int ps_names_copy_block(MDB_txn *txn, const ps_store *s, uint64_t n, ps_buf *out)
{
    out->len = 0;
    size_t kn = (size_t)n;
    MDB_val k = {sizeof kn, &kn}, v;
    int rc = mdb_get(txn, s->name_forms, &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc == 0)
        ps_buf_append(out, v.mv_data, v.mv_size);
    return rc;
}

static int put_or_del(MDB_txn *txn, const ps_store *s, const char *key, size_t klen,
                      const unsigned char *ref, bool add)
{
    MDB_val kv = {klen, (void *)key}, vv = {NAME_REF_SIZE, (void *)ref};
    int rc = add ? mdb_put(txn, s->names, &kv, &vv, 0) : mdb_del(txn, s->names, &kv, &vv);
    return rc == MDB_NOTFOUND || rc == MDB_KEYEXIST ? 0 : rc;
}

/* The deletion neighbourhood of a token: itself, then each distinct single-letter deletion;
 * returns how many were written (0 for a token too short or too long). */
#define VOCAB_MAX_LEN 48
static size_t deletion_variants(const char *tok, size_t len, size_t min_len,
                                char out[][VOCAB_MAX_LEN], uint8_t *lens)
{
    if (len < min_len || len > VOCAB_MAX_LEN)
        return 0;
    memcpy(out[0], tok, len);
    lens[0] = (uint8_t)len;
    size_t n = 1;
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && tok[i] == tok[i - 1])
            continue; /* deleting either of a doubled letter gives the same string */
        memcpy(out[n], tok, i);
        memcpy(out[n] + i, tok + i + 1, len - i - 1);
        lens[n++] = (uint8_t)(len - 1);
    }
    return n;
}

/* Whether tok has a 'T' key in names. */
static int token_listed(MDB_txn *txn, const ps_store *s, const ps_nf_token *tok, bool *listed)
{
    char key[PS_NAME_KEY_MAX];
    size_t klen = ps_name_key('T', tok->p, tok->len, key);
    *listed = false;
    if (!klen || klen > s->max_key)
        return 0;
    MDB_val k = {klen, key}, v;
    int rc = mdb_get(txn, s->names, &k, &v);
    *listed = rc == 0;
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Adds or removes tok's neighbourhood in name_vocab. */
static int vocab_apply(MDB_txn *txn, const ps_store *s, const ps_nf_token *tok, bool add)
{
    char var[VOCAB_MAX_LEN + 1][VOCAB_MAX_LEN];
    uint8_t lens[VOCAB_MAX_LEN + 1];
    size_t n = deletion_variants(tok->p, tok->len, PS_VOCAB_MIN_LEN, var, lens);
    for (size_t i = 0; i < n; i++) {
        MDB_val k = {lens[i], var[i]}, v = {tok->len, (void *)tok->p};
        int rc = add ? mdb_put(txn, s->name_vocab, &k, &v, MDB_NODUPDATA)
                     : mdb_del(txn, s->name_vocab, &k, &v);
        if (rc != 0 && rc != MDB_KEYEXIST && rc != MDB_NOTFOUND)
            return rc;
    }
    return 0;
}

/* Adds or removes the index records of every token (and pair of tokens) of every form. */
static int apply_keys(MDB_txn *txn, const ps_store *s, const ps_buf *block, uint64_t n,
                      uint16_t year, bool add)
{
    static const char kinds[] = PS_NAME_TOKEN_KINDS;
    const size_t n_kinds = sizeof kinds - 1;
    size_t pos = 0, remaining = 0;
    ps_nf_name name;
    uint8_t index = 0;
    while (ps_nf_next((const unsigned char *)block->data, block->len, &pos, &remaining, &name)) {
        for (uint8_t f = 0; f < name.n_forms; f++) {
            const ps_nf_form *form = &name.form[f];
            ps_name_ref r = {.entry = n,
                             .name = index,
                             .form = f,
                             .birth_year = year,
                             .need = ps_nf_need_mask(form)};
            for (uint8_t t = 0; t < form->n; t++) {
                const ps_nf_token *tok = &form->tok[t];
                r.token = t;
                bool was_listed;
                int rc = token_listed(txn, s, tok, &was_listed);
                if (rc != 0)
                    return rc;
                for (size_t k = 0; k < n_kinds + 2 * (size_t)form->n; k++) {
                    char key[PS_NAME_KEY_MAX];
                    size_t klen;
                    r.other = PS_NAME_REF_NONE;
                    if (k < n_kinds) {
                        klen = ps_name_key(kinds[k], tok->p, tok->len, key);
                    } else if (k < n_kinds + form->n) { /* pairs with the tokens after it */
                        size_t u = t + 1 + (k - n_kinds);
                        if (u >= form->n || !ps_nf_substantive(tok) ||
                            !ps_nf_substantive(&form->tok[u]))
                            continue;
                        klen = ps_name_pair_key(tok, &form->tok[u], key);
                        r.other = (uint8_t)u;
                    } else { /* with the initial of every other token */
                        size_t u = k - n_kinds - form->n;
                        if (u == t || !ps_nf_substantive(tok) ||
                            (form->tok[u].flags & PS_TOKEN_PARTICLE))
                            continue;
                        klen = ps_name_initial_key(tok, form->tok[u].p[0], key);
                        r.other = (uint8_t)u;
                    }
                    if (!klen || klen > s->max_key)
                        continue;
                    unsigned char ref[NAME_REF_SIZE];
                    pack_ref(ref, n, &r);
                    rc = put_or_del(txn, s, key, klen, ref, add);
                    if (rc != 0)
                        return rc;
                }
                /* A token new to the lists joins the vocabulary; one no longer listed leaves */
                bool listed = true;
                if (!add && (rc = token_listed(txn, s, tok, &listed)) != 0)
                    return rc;
                if ((add && !was_listed) || (!add && !listed))
                    if ((rc = vocab_apply(txn, s, tok, add)) != 0)
                        return rc;
            }
        }
        index++;
    }
    return 0;
}

int ps_names_apply(MDB_txn *txn, const ps_store *s, const ps_buf *block, uint64_t n, uint16_t year,
                   bool add)
{
    size_t kn = (size_t)n;
    MDB_val k = {sizeof kn, &kn};
    int rc;
    if (add) {
        if (!block->len)
            return 0;
        MDB_val v = {block->len, block->data};
        rc = mdb_put(txn, s->name_forms, &k, &v, 0);
        return rc ? rc : apply_keys(txn, s, block, n, year, true);
    }
    rc = apply_keys(txn, s, block, n, year, false);
    if (rc == 0 && block->len) {
        rc = mdb_del(txn, s->name_forms, &k, NULL);
        if (rc == MDB_NOTFOUND)
            rc = 0;
    }
    return rc;
}

uint16_t ps_names_year(const ps_wl_entry *e)
{
    return e->n_birth_dates && e->birth_dates[0].year > 0 ? (uint16_t)e->birth_dates[0].year : 0;
}

static MDB_cursor *names_cursor(ps_snapshot *snap)
{
    if (!snap->names_cur && mdb_cursor_open(snap->txn, snap->s->names, &snap->names_cur) != 0)
        snap->names_cur = NULL;
    return snap->names_cur;
}

static size_t read_count(ps_snapshot *snap, const char *key, size_t key_len)
{
    MDB_cursor *cur = names_cursor(snap);
    if (!cur || key_len == 0 || key_len > snap->s->max_key)
        return 0;
    MDB_val k = {key_len, (void *)key}, v;
    if (mdb_cursor_get(cur, &k, &v, MDB_SET_KEY) != 0)
        return 0;
    size_t count = 0;
    return mdb_cursor_count(cur, &count) == 0 ? count : 0;
}

size_t ps_snapshot_name_count(ps_snapshot *snap, const char *key, size_t key_len)
{
    if (!snap->count_keys) {
        snap->count_keys = calloc(PS_COUNT_CACHE, sizeof *snap->count_keys);
        snap->count_values = malloc(PS_COUNT_CACHE * sizeof *snap->count_values);
        if (!snap->count_keys || !snap->count_values) {
            free(snap->count_keys);
            free(snap->count_values);
            snap->count_keys = NULL;
            snap->count_values = NULL;
            return read_count(snap, key, key_len);
        }
    }
    uint64_t h = XXH3_64bits(key, key_len) | 1;
    uint32_t slot = (uint32_t)h & (PS_COUNT_CACHE - 1);
    if (snap->count_keys[slot] == h)
        return snap->count_values[slot];
    size_t count = read_count(snap, key, key_len);
    snap->count_keys[slot] = h; /* the slot's previous key, if any, is forgotten */
    snap->count_values[slot] = count > UINT32_MAX ? UINT32_MAX : (uint32_t)count;
    return count;
}

int ps_snapshot_name_refs(ps_snapshot *snap, const char *key, size_t key_len,
                          bool (*fn)(void *ctx, const ps_name_ref *ref), void *ctx)
{
    MDB_cursor *cur = names_cursor(snap);
    if (!cur)
        return PS_STORE_IO;
    if (key_len == 0 || key_len > snap->s->max_key)
        return PS_STORE_OK;
    MDB_val k = {key_len, (void *)key}, v;
    int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
    if (rc == MDB_NOTFOUND)
        return PS_STORE_OK;
    /* Whole pages of fixed-size duplicates at a time. */
    rc = mdb_cursor_get(cur, &k, &v, MDB_GET_MULTIPLE);
    while (rc == 0) {
        const unsigned char *p = v.mv_data;
        for (size_t off = 0; off + NAME_REF_SIZE <= v.mv_size; off += NAME_REF_SIZE) {
            ps_name_ref ref;
            unpack_ref(p + off, &ref);
            if (!fn(ctx, &ref))
                return PS_STORE_OK;
        }
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_MULTIPLE);
    }
    return rc == MDB_NOTFOUND ? PS_STORE_OK : PS_STORE_IO;
}

int ps_snapshot_name_neighbours(ps_snapshot *snap, const char *tok, size_t len,
                                bool (*fn)(void *ctx, const char *tok, size_t len), void *ctx)
{
    char var[VOCAB_MAX_LEN + 1][VOCAB_MAX_LEN];
    uint8_t lens[VOCAB_MAX_LEN + 1];
    /* A token one letter shorter than the shortest in the vocabulary still meets the
     * deletions of those (JOH: JOHN) */
    size_t n = deletion_variants(tok, len, PS_VOCAB_MIN_LEN - 1, var, lens);
    if (!n)
        return PS_STORE_OK;
    if (!snap->vocab_cur &&
        mdb_cursor_open(snap->txn, snap->s->name_vocab, &snap->vocab_cur) != 0) {
        snap->vocab_cur = NULL;
        return PS_STORE_IO;
    }
    for (size_t i = 0; i < n; i++) {
        MDB_val k = {lens[i], var[i]}, v;
        int rc = mdb_cursor_get(snap->vocab_cur, &k, &v, MDB_SET_KEY);
        while (rc == 0) {
            if (!fn(ctx, v.mv_data, v.mv_size))
                return PS_STORE_OK;
            rc = mdb_cursor_get(snap->vocab_cur, &k, &v, MDB_NEXT_DUP);
        }
        if (rc != MDB_NOTFOUND)
            return PS_STORE_IO;
    }
    return PS_STORE_OK;
}

int ps_snapshot_name_forms(ps_snapshot *snap, uint64_t n, const unsigned char **data, size_t *len)
{
    size_t kn = (size_t)n;
    MDB_val k = {sizeof kn, &kn}, v;
    int rc = mdb_get(snap->txn, snap->s->name_forms, &k, &v);
    if (rc == MDB_NOTFOUND)
        return PS_STORE_NOT_FOUND;
    if (rc != 0)
        return PS_STORE_IO;
    *data = v.mv_data;
    *len = v.mv_size;
    return PS_STORE_OK;
}

uint64_t ps_snapshot_total_entries(ps_snapshot *snap)
{
    if (snap->total_entries)
        return snap->total_entries;
    ps_list_info lists[256];
    uint32_t n = ps_snapshot_lists(snap, lists, 256);
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += lists[i].entries;
    snap->total_entries = total ? total : 1;
    return snap->total_entries;
}
