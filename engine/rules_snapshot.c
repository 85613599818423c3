/* engine/rules_snapshot.c — a reader's view of the targeting rules: the rule set of one store
 * snapshot with its field databases deserialized (never compiled here), and the cache that
 * lets every snapshot of an unchanged rules generation share one loaded set.
 *
 * A loaded set is immutable and reference counted (atomically): the cache holds one
 * reference to the newest set it has seen, each rules snapshot one to its own. Hyperscan
 * databases may be shared between threads; scratch may not, so each rules snapshot has its
 * own, taken from the cache's spares of that set (or cloned) and given back at the end. */
#include "rules_internal.h"

#include <hs/hs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define SPARE_SCRATCH 16

struct ps_rules_cache {
    pthread_mutex_t mu;
    ps_rule_set *set; /* newest loaded, or NULL */
    hs_scratch_t *spare[SPARE_SCRATCH];
    int n_spare;
};

static void set_release(ps_rule_set *set)
{
    if (set && atomic_fetch_sub(&set->refs, 1) == 1)
        ps_rule_set_free(set);
}

int ps_rules_cache_new(ps_rules_cache **out)
{
    ps_rules_cache *c = calloc(1, sizeof *c);
    if (!c)
        return PS_STORE_IO;
    pthread_mutex_init(&c->mu, NULL);
    *out = c;
    return PS_STORE_OK;
}

static void drop_spares(ps_rules_cache *c)
{
    for (int i = 0; i < c->n_spare; i++)
        hs_free_scratch(c->spare[i]);
    c->n_spare = 0;
}

void ps_rules_cache_free(ps_rules_cache *c)
{
    if (!c)
        return;
    drop_spares(c);
    set_release(c->set);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* Deserializes the stored database of every field the set has patterns for. */
static int load_databases(MDB_txn *txn, const ps_store *s, ps_rule_set *set, char *err,
                          size_t errlen)
{
    for (int f = 0; f < PS_RULE_FIELDS; f++) {
        rs_field *fd = &set->fields[f];
        if (!fd->n_patterns)
            continue;
        const char *name = ps_rule_field_name((ps_rule_field)f);
        char key[40];
        int kn = snprintf(key, sizeof key, "db:%s", name);
        MDB_val k = {(size_t)kn, key}, v;
        int rc = mdb_get(txn, s->rule_patterns, &k, &v);
        const unsigned char *p = v.mv_data;
        if (rc != 0 || v.mv_size < 16 ||
            (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24) != RULE_DB_FORMAT) {
            snprintf(err, errlen, "the %s rules database is missing or unreadable", name);
            return PS_STORE_IO;
        }
        uint64_t hash = 0;
        for (int i = 7; i >= 0; i--)
            hash = hash << 8 | p[4 + i];
        uint32_t count = p[12] | p[13] << 8 | p[14] << 16 | (uint32_t)p[15] << 24;
        if (hash != fd->hash || count != fd->n_patterns) {
            snprintf(err, errlen, "the %s rules database was not compiled from these rules", name);
            return PS_STORE_IO;
        }
        hs_database_t *db = NULL;
        if (hs_deserialize_database((const char *)p + 16, v.mv_size - 16, &db) != HS_SUCCESS) {
            snprintf(err, errlen, "the %s rules database cannot be loaded by this Hyperscan", name);
            return PS_STORE_IO;
        }
        fd->db = db;
        hs_scratch_t *scratch = set->proto_scratch;
        if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
            snprintf(err, errlen, "allocating Hyperscan scratch failed");
            return PS_STORE_IO;
        }
        set->proto_scratch = scratch;
    }
    return PS_STORE_OK;
}

static int load_set(ps_snapshot *snap, ps_rule_set **out, char *err, size_t errlen)
{
    ps_rule_set *set;
    int code = ps_rule_set_build(snap->txn, snap->s, &set, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    code = load_databases(snap->txn, snap->s, set, err, errlen);
    if (code != PS_STORE_OK) {
        ps_rule_set_free(set);
        return code;
    }
    *out = set;
    return PS_STORE_OK;
}

/* The set for generation gen from the cache, with a reference and a scratch; NULL if none. */
static ps_rule_set *from_cache(ps_rules_cache *c, const ps_store *s, uint64_t gen,
                               hs_scratch_t **scratch)
{
    ps_rule_set *set = NULL;
    *scratch = NULL;
    pthread_mutex_lock(&c->mu);
    if (c->set && c->set->store == s && c->set->generation == gen) {
        set = c->set;
        atomic_fetch_add(&set->refs, 1);
        if (c->n_spare)
            *scratch = c->spare[--c->n_spare];
    }
    pthread_mutex_unlock(&c->mu);
    return set;
}

/* Offers a newly loaded set to the cache: it replaces an older generation (or another
 * store's set); a set older than the cache's stays out. */
static void offer(ps_rules_cache *c, ps_rule_set *set)
{
    ps_rule_set *old = NULL;
    pthread_mutex_lock(&c->mu);
    if (!c->set || c->set->store != set->store || c->set->generation < set->generation) {
        old = c->set;
        drop_spares(c);
        atomic_fetch_add(&set->refs, 1);
        c->set = set;
    }
    pthread_mutex_unlock(&c->mu);
    set_release(old);
}

int ps_rules_snapshot_begin(ps_snapshot *snap, ps_rules_cache *cache, ps_rules_snapshot **out,
                            char *err, size_t errlen)
{
    *out = NULL;
    ps_rules_snapshot *rs = calloc(1, sizeof *rs);
    if (!rs) {
        snprintf(err, errlen, "out of memory");
        return PS_STORE_IO;
    }
    hs_scratch_t *scratch = NULL;
    uint64_t gen = ps_rules_read_generation(snap->txn, snap->s);
    ps_rule_set *set = cache ? from_cache(cache, snap->s, gen, &scratch) : NULL;
    if (!set) {
        int code = load_set(snap, &set, err, errlen);
        if (code != PS_STORE_OK) {
            free(rs);
            return code;
        }
        if (cache)
            offer(cache, set);
    }
    rs->set = set;
    rs->cache = cache;
    if (!scratch && set->proto_scratch &&
        hs_clone_scratch(set->proto_scratch, &scratch) != HS_SUCCESS) {
        snprintf(err, errlen, "allocating Hyperscan scratch failed");
        set_release(set);
        free(rs);
        return PS_STORE_IO;
    }
    rs->scratch = scratch;
    size_t leaf_words = ((size_t)set->n_leaves + 63) / 64,
           rule_words = ((size_t)set->n_rules + 63) / 64;
    rs->leaf_bits = calloc(leaf_words ? leaf_words : 1, sizeof *rs->leaf_bits);
    rs->leaf_list = malloc((set->n_leaves ? set->n_leaves : 1) * sizeof *rs->leaf_list);
    rs->rule_bits = calloc(rule_words ? rule_words : 1, sizeof *rs->rule_bits);
    rs->cands = malloc((set->n_rules ? set->n_rules : 1) * sizeof *rs->cands);
    if (!rs->leaf_bits || !rs->leaf_list || !rs->rule_bits || !rs->cands) {
        ps_rules_snapshot_end(rs);
        snprintf(err, errlen, "out of memory");
        return PS_STORE_IO;
    }
    *out = rs;
    return PS_STORE_OK;
}

void ps_rules_snapshot_end(ps_rules_snapshot *rs)
{
    if (!rs)
        return;
    hs_scratch_t *scratch = rs->scratch;
    if (scratch && rs->cache) {
        ps_rules_cache *c = rs->cache;
        pthread_mutex_lock(&c->mu);
        if (c->set == rs->set && c->n_spare < SPARE_SCRATCH) {
            c->spare[c->n_spare++] = scratch;
            scratch = NULL;
        }
        pthread_mutex_unlock(&c->mu);
    }
    if (scratch)
        hs_free_scratch(scratch);
    set_release(rs->set);
    free(rs->leaf_bits);
    free(rs->leaf_list);
    free(rs->rule_bits);
    free(rs->cands);
    free(rs);
}

uint32_t ps_rules_snapshot_count(const ps_rules_snapshot *rs)
{
    return rs->set->n_rules;
}
