/* engine/store_names.c — the name index of the alert store: each entry's normalized names
 * (name_forms: entry number -> name_keys.h block) and, for every token of every form, its
 * keys in names, a bucket index (bucket_index.h) whose items are PS_NAME_REF_SIZE-byte references:
 * u16 BE year group (the entry's birth year; 0 when it has none or several), u48 BE entry,
 * u8 name, u8 token, u8 other token (the second token of a pair key, the token whose initial
 * an initial key holds; 0xFF for the other keys), u8 form (0x80 set when the form has more
 * main tokens than mates), u16 BE birth year of the entry or 0 (with PS_NAME_YEAR_SEVERAL),
 * u16 BE need mask of the form, 3 x u16 BE mates (the reading hashes of the form's other main
 * tokens, by position; 0 for none) — big-endian, so a key's references are in year-group
 * order, then entry order: screening that may skip entries born two years or more from the
 * traveller reads only group 0 and the years around the traveller's
 * (ps_name_postings_from_year; in names and name_near_refs a key of more than
 * PS_NAME_YEAR_STRIDE references keeps the year of every PS_NAME_YEAR_STRIDE-th ahead of them,
 * the bucket index's samples, so that the first of a year is found with a look at them and at
 * a few references); the year also ranks candidates of a common name before reading
 * them, the need mask and the tokens let it drop a name some of whose main tokens no key of
 * the traveller reached, and the mates let a name reached through one token count as reached
 * through a traveller token too common to read whose reading another main token has.
 * Entry numbers stay below 2^48 (they count entries).
 * name_vocab, a bucket index of tokens, is the vocabulary of listed tokens by their deletion
 * neighbourhood: for every distinct token of at least PS_VOCAB_MIN_LEN letters, the token
 * itself and each of its single-letter deletions -> the token. Two tokens within one edit (or a
 * transposition) share a key; screening finds misspelled tokens through it.
 * name_near, a bucket index of tokens, holds what those lookups would find for a token of the
 * vocabulary, made when it joins: token -> every other token of the vocabulary that shares a
 * key of name_vocab with it. Screening reads a listed token's neighbours with one lookup
 * instead of one per deletion (most traveller tokens are listed ones).
 * name_near_refs, a bucket index keyed by 'N' and a token of the vocabulary, holds the
 * references of its own 'T' key and of those of its neighbours that screening would pair with
 * it (ps_token_sim, the token's being the traveller's, of PS_PAIR_FLOOR or more): screening
 * reads a listed token's references and its neighbours' with one lookup instead of one per
 * token. Each flush carries every vocabulary token's net 'T' changes (token_refs) into its own
 * list and those of its neighbours; a token that joins gathers its neighbours' references, and
 * one that leaves takes its references out of its former neighbours' lists, its own list going
 * too.
 * name_blocks, a bucket index keyed by the entry number (u64 LE), holds each name_forms block of
 * PS_BI_MAX_ITEM bytes or fewer once more, as its one item: screening reads the names of all the
 * candidates it scores in one batch of lookups instead of one B-tree search each (a longer block
 * is read from name_forms).
 * Writes are queued (ps_name_queue) and applied by ps_names_flush, bucket by bucket; a token
 * joins or leaves the vocabulary when its 'T' key gains its first or loses its last reference
 * in a flush, and name_near follows: a token that joins is looked up by its deletions in the
 * new vocabulary and paired both ways with each token found; one that leaves is unpaired from
 * the tokens it still meets there, and its own list goes.
 * Invariants, once flushed (store.c flushes before every commit): names holds exactly the keys
 * of the blocks in name_forms; name_vocab holds exactly the neighbourhoods of the tokens that
 * have a 'T' key in names; name_near holds, for every token of the vocabulary with a
 * neighbour, exactly the other tokens of the vocabulary whose neighbourhoods meet its own;
 * name_near_refs holds, for every token of the vocabulary, exactly its own 'T' references and
 * those of the tokens of its name_near list that pair with it (and nothing for any other
 * token);
 * name_blocks holds exactly the blocks of name_forms that fit an item. */
#include "bucket_index.h"
#include "name_keys.h"
#include "name_similarity.h"
#include "paxscreen/bytes.h"
#include "store_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* The year group a reference sorts by: its entry's one birth year, else 0. */
static uint16_t year_group(uint16_t birth_year)
{
    return birth_year & PS_NAME_YEAR_SEVERAL ? 0 : birth_year;
}

static void pack_ref(unsigned char out[PS_NAME_REF_SIZE], uint64_t entry, const ps_name_ref *r)
{
    uint16_t group = year_group(r->birth_year);
    out[0] = (unsigned char)(group >> 8);
    out[1] = (unsigned char)group;
    for (int i = 0; i < 6; i++)
        out[2 + i] = (unsigned char)(entry >> (40 - 8 * i));
    out[8] = r->name;
    out[9] = r->token;
    out[10] = r->other;
    out[11] = r->form;
    out[12] = (unsigned char)(r->birth_year >> 8);
    out[13] = (unsigned char)r->birth_year;
    out[14] = (unsigned char)(r->need >> 8);
    out[15] = (unsigned char)r->need;
    out[11] |= r->more_mates ? 0x80 : 0;
    for (int i = 0; i < PS_NAME_MATES; i++) {
        out[16 + 2 * i] = (unsigned char)(r->mates[i] >> 8);
        out[17 + 2 * i] = (unsigned char)r->mates[i];
    }
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

size_t ps_name_deletions(const char *tok, size_t len, size_t min_len,
                         char out[][PS_NAME_DELETION_LEN], uint8_t *lens)
{
    if (len < min_len || len > PS_NAME_DELETION_LEN)
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

/* Queues adding or removing tok's neighbourhood in name_vocab. */
static void vocab_queue(ps_name_queue *q, const ps_store *s, const char *tok, size_t len, bool add)
{
    char var[PS_NAME_DELETIONS_MAX][PS_NAME_DELETION_LEN];
    uint8_t lens[PS_NAME_DELETIONS_MAX];
    size_t n = ps_name_deletions(tok, len, PS_VOCAB_MIN_LEN, var, lens);
    for (size_t i = 0; i < n; i++)
        ps_bi_queue_op(&q->vocab, &s->vocab_index, var[i], lens[i], tok, len, add);
}

/* Adds or removes the index records of every token (and pair of tokens) of every form. */
static void apply_keys(ps_name_queue *q, const ps_store *s, const ps_buf *block, uint64_t n,
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
            ps_name_token_keys tk[PS_NF_MAX_TOKENS]; /* each token's readings, made once */
            uint16_t hash[PS_NF_MAX_TOKENS];
            for (uint8_t t = 0; t < form->n; t++) {
                ps_name_keys_of(form->tok[t].p, form->tok[t].len, &tk[t]);
                hash[t] = ps_name_reading_hash(tk[t].r, tk[t].r_len);
            }
            for (uint8_t t = 0; t < form->n; t++) {
                const ps_nf_token *tok = &form->tok[t];
                r.token = t;
                /* the other main tokens' readings, by position */
                uint16_t others = (uint16_t)(r.need & ~(t < 16 ? 1u << t : 0));
                for (int m = 0; m < PS_NAME_MATES; m++) {
                    r.mates[m] = others ? hash[__builtin_ctz(others)] : 0;
                    others &= (uint16_t)(others - 1);
                }
                r.more_mates = others != 0;
                for (size_t k = 0; k < n_kinds + 2 * (size_t)form->n; k++) {
                    char key[PS_NAME_KEY_MAX];
                    size_t klen;
                    r.other = PS_NAME_REF_NONE;
                    if (k < n_kinds && (kinds[k] == 'S' || kinds[k] == 'V')) {
                        const char *sv = kinds[k] == 'S' ? tk[t].s : tk[t].v;
                        klen = kinds[k] == 'S' ? tk[t].s_len : tk[t].v_len;
                        memcpy(key, sv, klen);
                    } else if (k < n_kinds) {
                        klen = ps_name_key(kinds[k], tok->p, tok->len, key);
                    } else if (k < n_kinds + form->n) { /* pairs with the tokens after it */
                        size_t u = t + 1 + (k - n_kinds);
                        if (u >= form->n || !ps_nf_substantive(tok) ||
                            !ps_nf_substantive(&form->tok[u]))
                            continue;
                        klen = tok->len < PS_NAME_KEY_MAX && form->tok[u].len < PS_NAME_KEY_MAX
                                   ? ps_name_pair_key_of(tk[t].r, tk[t].r_len, tk[u].r, tk[u].r_len,
                                                         key)
                                   : 0;
                        r.other = (uint8_t)u;
                    } else { /* with the initial of every other token */
                        size_t u = k - n_kinds - form->n;
                        if (u == t || !ps_nf_substantive(tok) ||
                            (form->tok[u].flags & PS_TOKEN_PARTICLE))
                            continue;
                        klen = tok->len < PS_NAME_KEY_MAX - 3
                                   ? ps_name_initial_key_of(tk[t].r, tk[t].r_len, form->tok[u].p[0],
                                                            key)
                                   : 0;
                        r.other = (uint8_t)u;
                    }
                    if (!klen)
                        continue;
                    unsigned char ref[PS_NAME_REF_SIZE];
                    pack_ref(ref, n, &r);
                    ps_bi_queue_op(&q->names, &s->name_index, key, klen, ref, sizeof ref, add);
                    if (k < n_kinds && kinds[k] == 'T' && tok->len >= PS_VOCAB_MIN_LEN &&
                        tok->len <= PS_NAME_DELETION_LEN) { /* for name_near_refs */
                        ps_buf_putc(&q->token_refs, add ? 1 : 0);
                        ps_buf_putc(&q->token_refs, (char)tok->len);
                        ps_buf_append(&q->token_refs, tok->p, tok->len);
                        ps_buf_append(&q->token_refs, ref, sizeof ref);
                    }
                }
            }
        }
        index++;
    }
}

/* Queues adding or removing entry n's block in name_blocks, when it fits an item. */
static void blocks_queue(ps_name_queue *q, const ps_store *s, const ps_buf *block, uint64_t n,
                         bool add)
{
    unsigned char key[8];
    ps_put_le64(key, n);
    if (block->len && block->len <= PS_BI_MAX_ITEM)
        ps_bi_queue_op(&q->blocks, &s->blocks_index, key, sizeof key, block->data, block->len, add);
}

int ps_names_apply(MDB_txn *txn, const ps_store *s, ps_name_queue *q, const ps_buf *block,
                   uint64_t n, uint16_t year, bool add)
{
    size_t kn = (size_t)n;
    MDB_val k = {sizeof kn, &kn};
    int rc;
    if (add) {
        /* an entry without names (a lost document) keeps no block: nothing would read it */
        if (block->len < 2 || block->data[0] == 0)
            return 0;
        blocks_queue(q, s, block, n, true);
        MDB_val v = {block->len, block->data};
        rc = mdb_put(txn, s->name_forms, &k, &v, 0);
        if (rc == 0)
            apply_keys(q, s, block, n, year, true);
        return rc;
    }
    apply_keys(q, s, block, n, year, false);
    blocks_queue(q, s, block, n, false);
    rc = 0;
    if (block->len) {
        rc = mdb_del(txn, s->name_forms, &k, NULL);
        if (rc == MDB_NOTFOUND)
            rc = 0;
    }
    return rc;
}

uint16_t ps_names_year(const ps_wl_entry *e)
{
    /* a year is below 0x8000 (a 16-bit signed field), so the flag bit is free */
    uint16_t year =
        e->n_birth_dates && e->birth_dates[0].year > 0 ? (uint16_t)e->birth_dates[0].year : 0;
    return e->n_birth_dates > 1 ? year | PS_NAME_YEAR_SEVERAL : year;
}

/* A flush heard that a key's reference count changed: a 'T' key going from none to some
 * brings its token into the vocabulary, from some to none takes it out. */
typedef struct flush_ctx {
    ps_name_queue *q;
    const ps_store *s;
} flush_ctx;

static int on_name_change(void *ctx, const unsigned char *key, size_t klen, uint32_t before,
                          uint32_t after)
{
    flush_ctx *c = ctx;
    if (klen > 1 && key[0] == 'T' && (before == 0) != (after == 0)) {
        size_t len = klen - 1;
        vocab_queue(c->q, c->s, (const char *)key + 1, len, after > 0);
        if (len >= PS_VOCAB_MIN_LEN && len <= PS_NAME_DELETION_LEN) {
            ps_buf_putc(&c->q->came_went, after > 0 ? 1 : 0);
            ps_buf_putc(&c->q->came_went, (char)len);
            ps_buf_append(&c->q->came_went, key + 1, len);
        }
    }
    return 0;
}

/* name_near for one token that joined (came) or left the vocabulary, which is flushed: the
 * tokens it meets there, paired with it both ways or unpaired; a token that left loses its
 * own list too. */
static int near_queue(MDB_txn *txn, const ps_store *s, ps_name_queue *q, const char *tok,
                      size_t len, bool came)
{
    char var[PS_NAME_DELETIONS_MAX][PS_NAME_DELETION_LEN];
    uint8_t lens[PS_NAME_DELETIONS_MAX];
    size_t n = ps_name_deletions(tok, len, PS_VOCAB_MIN_LEN, var, lens);
    for (size_t i = 0; i < n; i++) {
        ps_bi_items it;
        int rc = ps_bi_get(txn, &s->vocab_index, var[i], lens[i], ps_bi_hash(var[i], lens[i]), &it);
        if (rc == MDB_NOTFOUND)
            continue;
        if (rc != 0)
            return rc;
        const unsigned char *w;
        size_t wlen;
        while (ps_bi_next_var(&it, &w, &wlen)) {
            if (wlen == len && memcmp(w, tok, len) == 0)
                continue;
            ps_bi_queue_op(&q->near, &s->near_index, w, wlen, tok, len, came);
            if (came)
                ps_bi_queue_op(&q->near, &s->near_index, tok, len, w, wlen, true);
        }
    }
    if (!came) {
        ps_bi_items it;
        int rc = ps_bi_get(txn, &s->near_index, tok, len, ps_bi_hash(tok, len), &it);
        if (rc != 0 && rc != MDB_NOTFOUND)
            return rc;
        const unsigned char *w;
        size_t wlen;
        while (rc == 0 && ps_bi_next_var(&it, &w, &wlen))
            ps_bi_queue_op(&q->near, &s->near_index, tok, len, w, wlen, false);
    }
    return 0;
}

/* ---- name_near_refs ---- */

/* One queued change of a vocabulary token's 'T' key (ps_name_queue.token_refs). */
typedef struct token_ref {
    const char *tok;
    uint8_t len;
    bool add;
    uint32_t seq;
    const unsigned char *ref;
} token_ref;

static int cmp_token_refs(const void *pa, const void *pb)
{
    const token_ref *a = pa, *b = pb;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    int c = memcmp(a->tok, b->tok, a->len);
    if (!c)
        c = memcmp(a->ref, b->ref, PS_NAME_REF_SIZE);
    return c ? c : a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool same_token(const token_ref *a, const token_ref *b)
{
    return a->len == b->len && memcmp(a->tok, b->tok, a->len) == 0;
}

/* The net change of each token and reference queued (the last one queued), grouped by token;
 * NULL when there are none or no memory (*n 0). */
static token_ref *net_token_refs(const ps_name_queue *q, size_t *n)
{
    const unsigned char *p = (const unsigned char *)q->token_refs.data;
    size_t len = q->token_refs.len, count = 0;
    for (size_t i = 0; i + 2 <= len; i += 2 + p[i + 1] + PS_NAME_REF_SIZE)
        count++;
    *n = 0;
    token_ref *out = count ? malloc(count * sizeof *out) : NULL;
    if (!out)
        return NULL;
    for (size_t i = 0; i + 2 <= len; i += 2 + p[i + 1] + PS_NAME_REF_SIZE, ++*n)
        out[*n] = (token_ref){.tok = (const char *)p + i + 2,
                              .len = p[i + 1],
                              .add = p[i] == 1,
                              .seq = (uint32_t)*n,
                              .ref = p + i + 2 + p[i + 1]};
    qsort(out, *n, sizeof *out, cmp_token_refs);
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        bool last = i + 1 == *n || !same_token(&out[i], &out[i + 1]) ||
                    memcmp(out[i].ref, out[i + 1].ref, PS_NAME_REF_SIZE) != 0;
        if (last)
            out[kept++] = out[i];
    }
    *n = kept;
    return out;
}

/* The tokens that came or went in this flush, to be asked about by text. */
typedef struct came_went_set {
    const unsigned char *cw; /* ps_name_queue.came_went */
    uint32_t *slots;         /* 1 + offset into cw, 0 empty */
    size_t mask;
} came_went_set;

static bool came_went_index(const ps_name_queue *q, came_went_set *set)
{
    set->cw = (const unsigned char *)q->came_went.data;
    size_t count = 0;
    for (size_t i = 0; i + 2 <= q->came_went.len; i += 2 + set->cw[i + 1])
        count++;
    size_t cap = 16;
    while (cap < 2 * count)
        cap <<= 1;
    set->mask = cap - 1;
    set->slots = calloc(cap, sizeof *set->slots);
    if (!set->slots)
        return false;
    for (size_t i = 0; i + 2 <= q->came_went.len; i += 2 + set->cw[i + 1]) {
        size_t h = (size_t)XXH3_64bits(set->cw + i + 2, set->cw[i + 1]) & set->mask;
        while (set->slots[h])
            h = (h + 1) & set->mask;
        set->slots[h] = (uint32_t)(i + 1);
    }
    return true;
}

/* 1 when tok came in this flush, 0 when it went, -1 otherwise. */
static int came_or_went(const came_went_set *set, const char *tok, size_t len)
{
    for (size_t h = (size_t)XXH3_64bits(tok, len) & set->mask; set->slots[h];
         h = (h + 1) & set->mask) {
        const unsigned char *e = set->cw + set->slots[h] - 1;
        if (e[1] == len && memcmp(e + 2, tok, len) == 0)
            return e[0];
    }
    return -1;
}

/* Whether screening pairs a traveller token x with the listed token y near it (their keys kx,
 * ky): the neighbours whose references x's list holds. */
static bool pairs_with(const char *x, size_t xl, const ps_name_token_keys *kx, const char *y,
                       size_t yl, const ps_name_token_keys *ky)
{
    return ps_token_sim(x, xl, kx, y, yl, ky) >= PS_PAIR_FLOOR;
}

/* Calls fn for every token of tok's list in name_near as txn now holds it. */
static int each_neighbour(MDB_txn *txn, const ps_store *s, const char *tok, size_t len,
                          int (*fn)(void *ctx, const char *w, size_t wlen), void *ctx)
{
    ps_bi_items it;
    int rc = ps_bi_get(txn, &s->near_index, tok, len, ps_bi_hash(tok, len), &it);
    if (rc == MDB_NOTFOUND)
        return 0;
    const unsigned char *w;
    size_t wlen;
    while (rc == 0 && ps_bi_next_var(&it, &w, &wlen))
        rc = fn(ctx, (const char *)w, wlen);
    return rc;
}

static size_t near_refs_key(const char *tok, size_t len, char *key)
{
    key[0] = 'N';
    memcpy(key + 1, tok, len);
    return len + 1;
}

/* One token's net changes, queued into the list of each neighbour that pairs with it. */
typedef struct follow {
    const ps_store *s;
    ps_name_queue *q;
    const token_ref *changes; /* of one token, n of them */
    size_t n;
    int which; /* 0: its removals, 1: its additions, 2: all of them, as removals */
    ps_name_token_keys keys; /* the token's, made once for all its neighbours */
} follow;

static follow follow_of(const ps_store *s, ps_name_queue *q, const token_ref *changes, size_t n,
                        int which)
{
    follow f = {s, q, changes, n, which, {{0}, {0}, {0}, 0, 0, 0}};
    ps_name_keys_of(changes[0].tok, changes[0].len, &f.keys);
    return f;
}

/* Queues the token's changes into w's list. */
static void queue_changes(const follow *f, const char *w, size_t wlen)
{
    char key[PS_NAME_KEY_MAX];
    size_t klen = near_refs_key(w, wlen, key);
    for (size_t i = 0; i < f->n; i++)
        if (f->which == 2 || f->changes[i].add == (f->which == 1))
            ps_bi_queue_op(&f->q->near_refs, &f->s->near_refs_index, key, klen, f->changes[i].ref,
                           PS_NAME_REF_SIZE, f->which == 1);
}

static int follow_into(void *ctx, const char *w, size_t wlen)
{
    follow *f = ctx;
    ps_name_token_keys kw;
    ps_name_keys_of(w, wlen, &kw);
    if (pairs_with(w, wlen, &kw, f->changes[0].tok, f->changes[0].len, &f->keys))
        queue_changes(f, w, wlen);
    return 0;
}

/* A token that joined: the references of each neighbour that pairs with it, into its list. */
typedef struct gather_near {
    MDB_txn *txn;
    const ps_store *s;
    ps_name_queue *q;
    const char *tok;
    size_t len;
    ps_name_token_keys keys;
} gather_near;

static int gather_from(void *ctx, const char *w, size_t wlen)
{
    gather_near *g = ctx;
    ps_name_token_keys kw;
    ps_name_keys_of(w, wlen, &kw);
    if (!pairs_with(g->tok, g->len, &g->keys, w, wlen, &kw))
        return 0;
    char tkey[PS_NAME_KEY_MAX], key[PS_NAME_KEY_MAX];
    tkey[0] = 'T';
    memcpy(tkey + 1, w, wlen);
    size_t klen = near_refs_key(g->tok, g->len, key);
    ps_bi_items it;
    int rc = ps_bi_get(g->txn, &g->s->name_index, tkey, wlen + 1, ps_bi_hash(tkey, wlen + 1), &it);
    if (rc == MDB_NOTFOUND)
        return 0;
    for (uint32_t i = 0; rc == 0 && i < it.count; i++)
        ps_bi_queue_op(&g->q->near_refs, &g->s->near_refs_index, key, klen,
                       it.p + (size_t)i * PS_NAME_REF_SIZE, PS_NAME_REF_SIZE, true);
    return rc;
}

/* name_near_refs, before name_near is flushed: a token that left takes its references out of
 * the lists of the neighbours it had, and its own list goes. */
static int near_refs_leaving(MDB_txn *txn, const ps_store *s, ps_name_queue *q,
                             const came_went_set *cws, const token_ref *tr, size_t n)
{
    int rc = 0;
    for (size_t i = 0, j; rc == 0 && i < n; i = j) {
        for (j = i + 1; j < n && same_token(&tr[i], &tr[j]);)
            j++;
        if (came_or_went(cws, tr[i].tok, tr[i].len) != 0)
            continue;
        follow f = follow_of(s, q, tr + i, j - i, 2);
        rc = each_neighbour(txn, s, tr[i].tok, tr[i].len, follow_into, &f);
        char key[PS_NAME_KEY_MAX];
        size_t klen = near_refs_key(tr[i].tok, tr[i].len, key);
        ps_bi_items it;
        int r = rc ? rc : ps_bi_get(txn, &s->near_refs_index, key, klen, ps_bi_hash(key, klen), &it);
        for (uint32_t k = 0; r == 0 && k < it.count; k++)
            ps_bi_queue_op(&q->near_refs, &s->near_refs_index, key, klen,
                           it.p + (size_t)k * PS_NAME_REF_SIZE, PS_NAME_REF_SIZE, false);
        rc = r == MDB_NOTFOUND ? 0 : r;
    }
    return rc;
}

/* name_near_refs, once name_near is flushed: every other token's net changes go to its own list
 * and to the lists of its neighbours (all removals before any addition: a reference that moved
 * from one token to another — an entry renamed — is removed under the one and added under the
 * other), and a token that joined gathers its neighbours' references (its own all came in this
 * flush). */
static int near_refs_following(MDB_txn *txn, const ps_store *s, ps_name_queue *q,
                               const came_went_set *cws, const token_ref *tr, size_t n)
{
    int rc = 0;
    for (int which = 0; which < 2; which++) {
        for (size_t i = 0, j; rc == 0 && i < n; i = j) {
            for (j = i + 1; j < n && same_token(&tr[i], &tr[j]);)
                j++;
            if (came_or_went(cws, tr[i].tok, tr[i].len) == 0)
                continue;
            follow f = follow_of(s, q, tr + i, j - i, which);
            queue_changes(&f, tr[i].tok, tr[i].len); /* its own list */
            rc = each_neighbour(txn, s, tr[i].tok, tr[i].len, follow_into, &f);
        }
    }
    for (size_t i = 0; rc == 0 && i + 2 <= q->came_went.len; i += 2 + cws->cw[i + 1]) {
        if (cws->cw[i] != 1)
            continue;
        gather_near g = {.txn = txn, .s = s, .q = q, .tok = (const char *)cws->cw + i + 2,
                         .len = cws->cw[i + 1]};
        ps_name_keys_of(g.tok, g.len, &g.keys);
        rc = each_neighbour(txn, s, g.tok, g.len, gather_from, &g);
    }
    return rc;
}

int ps_names_flush(MDB_txn *txn, const ps_store *s, ps_name_queue *q)
{
    flush_ctx ctx = {q, s};
    q->came_went.len = 0;
    int rc = ps_bi_flush(txn, &s->name_index, &q->names, on_name_change, &ctx);
    if (rc == 0)
        rc = ps_bi_flush(txn, &s->vocab_index, &q->vocab, NULL, NULL);
    size_t n_refs = 0;
    token_ref *refs = net_token_refs(q, &n_refs);
    came_went_set cws = {0};
    if (rc == 0 && ((!refs && q->token_refs.len) || !came_went_index(q, &cws)))
        rc = ENOMEM;
    if (rc == 0)
        rc = near_refs_leaving(txn, s, q, &cws, refs, n_refs);
    const unsigned char *cw = (const unsigned char *)q->came_went.data;
    for (size_t i = 0; rc == 0 && i + 2 <= q->came_went.len; i += 2 + cw[i + 1])
        rc = near_queue(txn, s, q, (const char *)cw + i + 2, cw[i + 1], cw[i] == 1);
    if (rc == 0)
        rc = ps_bi_flush(txn, &s->near_index, &q->near, NULL, NULL);
    if (rc == 0)
        rc = near_refs_following(txn, s, q, &cws, refs, n_refs);
    free(refs);
    free(cws.slots);
    q->came_went.len = 0;
    q->token_refs.len = 0;
    if (rc == 0)
        rc = ps_bi_flush(txn, &s->near_refs_index, &q->near_refs, NULL, NULL);
    if (rc == 0)
        rc = ps_bi_flush(txn, &s->blocks_index, &q->blocks, NULL, NULL);
    return rc;
}

size_t ps_names_queued(const ps_name_queue *q)
{
    return ps_bi_queue_bytes(&q->names) + ps_bi_queue_bytes(&q->vocab) +
           ps_bi_queue_bytes(&q->near) + ps_bi_queue_bytes(&q->near_refs) +
           ps_bi_queue_bytes(&q->blocks) + q->token_refs.len;
}

void ps_names_queue_free(ps_name_queue *q)
{
    ps_bi_queue_free(&q->names);
    ps_bi_queue_free(&q->vocab);
    ps_bi_queue_free(&q->near);
    ps_bi_queue_free(&q->near_refs);
    ps_bi_queue_free(&q->blocks);
    ps_buf_free(&q->came_went);
    ps_buf_free(&q->token_refs);
}

void ps_name_postings_prefetch(const ps_name_postings *p)
{
    size_t bytes = p->count <= 32 ? (size_t)p->count * PS_NAME_REF_SIZE : 1;
    for (size_t o = 0; o < bytes; o += 64)
        __builtin_prefetch(p->data + o);
}

uint32_t ps_name_postings_from_year(const ps_name_postings *p, uint16_t year)
{
    uint32_t lo = 0, hi = p->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const unsigned char *r = p->data + (size_t)mid * PS_NAME_REF_SIZE;
        if ((uint16_t)(r[0] << 8 | r[1]) < year)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* How many year samples l holds (0 when it has none). */
static size_t samples_of(const ps_name_postings *l)
{
    return l->samples ? ((size_t)l->count + PS_NAME_YEAR_STRIDE - 1) / PS_NAME_YEAR_STRIDE : 0;
}

static uint16_t sample_year(const unsigned char *samples, size_t j)
{
    return (uint16_t)(samples[2 * j] << 8 | samples[2 * j + 1]);
}

void ps_name_postings_from_year_many(const ps_name_postings *const *p, size_t n, uint16_t year,
                                     uint32_t *from)
{
    enum { BATCH = 64, STRIDE = PS_NAME_YEAR_STRIDE };
    for (size_t base = 0; base < n; base += BATCH) {
        size_t m = n - base < BATCH ? n - base : BATCH;
        uint32_t lo[BATCH], hi[BATCH];
        for (size_t i = 0; i < m; i++) { /* the samples asked for */
            const ps_name_postings *l = p[base + i];
            for (size_t o = 0; o < 2 * samples_of(l); o += 64)
                __builtin_prefetch(l->samples + o);
        }
        for (size_t i = 0; i < m; i++) {
            const ps_name_postings *l = p[base + i];
            lo[i] = 0;
            hi[i] = l->count;
            if (!l->samples)
                continue;
            /* the first sample of year or later: the start lies after the sample before it
             * and no further than it */
            size_t a = 0, b = samples_of(l);
            while (a < b) {
                size_t mid = a + (b - a) / 2;
                if (sample_year(l->samples, mid) < year)
                    a = mid + 1;
                else
                    b = mid;
            }
            if (a == 0) {
                hi[i] = 0;
                continue;
            }
            lo[i] = (uint32_t)((a - 1) * STRIDE + 1);
            if (a * STRIDE < l->count)
                hi[i] = (uint32_t)(a * STRIDE);
            for (size_t o = (size_t)lo[i] * PS_NAME_REF_SIZE; o < (size_t)hi[i] * PS_NAME_REF_SIZE;
                 o += 64)
                __builtin_prefetch(l->data + o);
        }
        for (bool open = true; open;) { /* one step of every search, their reads overlapping */
            open = false;
            for (size_t i = 0; i < m; i++)
                if (lo[i] < hi[i])
                    __builtin_prefetch(p[base + i]->data +
                                       (size_t)(lo[i] + (hi[i] - lo[i]) / 2) * PS_NAME_REF_SIZE);
            for (size_t i = 0; i < m; i++) {
                if (lo[i] >= hi[i])
                    continue;
                uint32_t mid = lo[i] + (hi[i] - lo[i]) / 2;
                const unsigned char *r = p[base + i]->data + (size_t)mid * PS_NAME_REF_SIZE;
                if ((uint16_t)(r[0] << 8 | r[1]) < year)
                    lo[i] = mid + 1;
                else
                    hi[i] = mid;
                open = open || lo[i] < hi[i];
            }
        }
        for (size_t i = 0; i < m; i++)
            from[base + i] = lo[i];
    }
}

int ps_snapshot_name_postings(ps_snapshot *snap, const char *key, size_t key_len,
                              ps_name_postings *out)
{
    ps_name_lookup l = {.key = key, .key_len = key_len};
    int rc = ps_snapshot_name_lookup(snap, &l, 1);
    *out = l.refs;
    return rc;
}

/* What a batch lookup keeps per key (the snapshot's scratch). */
struct ps_name_lookup_state {
    ps_bi_lookup bl;
    struct ps_postings_slot *slot; /* the key's slot in the postings cache, if it has one */
    bool done;
};

static struct ps_postings_slot *cache_slot(ps_snapshot *snap, const ps_name_lookup *l,
                                           uint64_t hash)
{
    if (l->index != PS_NAME_INDEX || !snap->postings_cache ||
        l->key_len > sizeof snap->postings_cache->key)
        return NULL;
    return &snap->postings_cache[hash & (PS_POSTINGS_CACHE - 1)];
}

int ps_snapshot_name_lookup(ps_snapshot *snap, ps_name_lookup *l, size_t n)
{
    if (!snap->postings_cache)
        snap->postings_cache = calloc(PS_POSTINGS_CACHE, sizeof *snap->postings_cache);
    if (n > snap->lookups_cap) {
        struct ps_name_lookup_state *grown = realloc(snap->lookups, n * sizeof *grown);
        if (!grown)
            return PS_STORE_IO;
        snap->lookups = grown;
        snap->lookups_cap = n;
    }
    struct ps_name_lookup_state *st = snap->lookups;
    for (size_t i = 0; i < n; i++) { /* hashed, their cache slots asked for */
        l[i].refs = (ps_name_postings){0};
        l[i].bytes = 0;
        st[i].done = !l[i].key_len || l[i].key_len > PS_BI_MAX_KEY;
        if (st[i].done)
            continue;
        st[i].bl.hash = ps_bi_hash(l[i].key, l[i].key_len);
        st[i].slot = cache_slot(snap, &l[i], st[i].bl.hash);
        if (st[i].slot)
            __builtin_prefetch(st[i].slot);
    }
    for (size_t i = 0; i < n; i++) { /* remembered, or their first slots asked for */
        if (st[i].done)
            continue;
        const struct ps_postings_slot *c = st[i].slot;
        if (c && c->len == l[i].key_len && memcmp(c->key, l[i].key, l[i].key_len) == 0) {
            l[i].refs = c->refs;
            st[i].done = true;
            continue;
        }
        st[i].bl.view = l[i].index == PS_NAME_VOCABULARY   ? &snap->vocab_view
                        : l[i].index == PS_NAME_NEIGHBOURS ? &snap->near_view
                        : l[i].index == PS_NAME_NEAR_REFS  ? &snap->near_refs_view
                                                           : &snap->names_view;
        st[i].bl.key = l[i].key;
        st[i].bl.klen = l[i].key_len;
        ps_bi_lookup_start(&st[i].bl);
    }
    for (size_t i = 0; i < n; i++)
        if (!st[i].done)
            ps_bi_lookup_probe(&st[i].bl);
    int result = PS_STORE_OK;
    for (size_t i = 0; i < n; i++) {
        if (st[i].done)
            continue;
        ps_bi_lookup_finish(&st[i].bl);
        int rc = st[i].bl.rc;
        if (rc != 0 && rc != MDB_NOTFOUND) {
            result = PS_STORE_IO;
            continue;
        }
        if (rc == 0) {
            l[i].refs = (ps_name_postings){st[i].bl.items.p, st[i].bl.items.count,
                                           st[i].bl.items.samples};
            l[i].bytes = st[i].bl.items.bytes;
        }
        struct ps_postings_slot *c = st[i].slot;
        if (c) { /* the slot's previous key, if any, is forgotten */
            c->len = (uint8_t)l[i].key_len;
            memcpy(c->key, l[i].key, l[i].key_len);
            c->refs = l[i].refs;
        }
    }
    return result;
}

bool ps_name_lookup_next(ps_name_lookup *l, const char **tok, size_t *len)
{
    ps_bi_items it = {.p = l->refs.data, .bytes = l->bytes, .count = l->refs.count};
    const unsigned char *item;
    if (!ps_bi_next_var(&it, &item, len))
        return false;
    *tok = (const char *)item;
    l->refs.data = it.p;
    l->bytes = it.bytes;
    l->refs.count = it.count;
    return true;
}

size_t ps_snapshot_name_count(ps_snapshot *snap, const char *key, size_t key_len)
{
    ps_name_postings p;
    return ps_snapshot_name_postings(snap, key, key_len, &p) == PS_STORE_OK ? p.count : 0;
}

int ps_snapshot_name_neighbours(ps_snapshot *snap, const char *tok, size_t len,
                                bool (*fn)(void *ctx, const char *tok, size_t len), void *ctx)
{
    char var[PS_NAME_DELETIONS_MAX][PS_NAME_DELETION_LEN];
    uint8_t lens[PS_NAME_DELETIONS_MAX];
    /* A token one letter shorter than the shortest in the vocabulary still meets the
     * deletions of those (JOH: JOHN) */
    size_t n = ps_name_deletions(tok, len, PS_VOCAB_MIN_LEN - 1, var, lens);
    ps_name_lookup l[PS_NAME_DELETIONS_MAX];
    for (size_t i = 0; i < n; i++)
        l[i] = (ps_name_lookup){.key = var[i], .key_len = lens[i], .index = PS_NAME_VOCABULARY};
    int rc = ps_snapshot_name_lookup(snap, l, n);
    if (rc != PS_STORE_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const char *v;
        size_t vlen;
        while (ps_name_lookup_next(&l[i], &v, &vlen))
            if (!fn(ctx, v, vlen))
                return PS_STORE_OK;
    }
    return PS_STORE_OK;
}

int ps_snapshot_name_forms_many(ps_snapshot *snap, const uint64_t *n, size_t count,
                                const unsigned char **data, size_t *len)
{
    enum { BATCH = 64 };
    for (size_t from = 0; from < count; from += BATCH) {
        size_t m = count - from < BATCH ? count - from : BATCH;
        unsigned char keys[BATCH][8];
        ps_bi_lookup l[BATCH];
        for (size_t i = 0; i < m; i++) {
            ps_put_le64(keys[i], n[from + i]);
            l[i] = (ps_bi_lookup){.view = &snap->blocks_view,
                                  .key = keys[i],
                                  .klen = 8,
                                  .hash = ps_bi_hash(keys[i], 8)};
        }
        ps_bi_view_get_many(l, m);
        for (size_t i = 0; i < m; i++) {
            const unsigned char *item;
            size_t ilen;
            int rc = l[i].rc;
            if (rc == 0 && ps_bi_next_var(&l[i].items, &item, &ilen)) {
                data[from + i] = item;
                len[from + i] = ilen;
                continue;
            }
            if (rc != 0 && rc != MDB_NOTFOUND)
                return PS_STORE_IO;
            /* a longer block, or none: name_forms says */
            rc = ps_snapshot_name_forms(snap, n[from + i], &data[from + i], &len[from + i]);
            if (rc == PS_STORE_NOT_FOUND) {
                data[from + i] = NULL;
                len[from + i] = 0;
            } else if (rc != PS_STORE_OK) {
                return rc;
            }
        }
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

double ps_snapshot_min_threshold(ps_snapshot *snap)
{
    if (snap->min_threshold > 0)
        return snap->min_threshold;
    ps_list_info lists[256];
    uint32_t n = ps_snapshot_lists(snap, lists, 256);
    double min = 1;
    for (uint32_t i = 0; i < n; i++)
        if (lists[i].threshold < min)
            min = lists[i].threshold;
    if (n == 256) /* perhaps more lists than read: assume the lowest possible */
        min = 0;
    snap->min_threshold = min > 0 ? min : 1e-9;
    return snap->min_threshold;
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
