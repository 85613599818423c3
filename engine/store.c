/* engine/store.c — the alert store (store.h) on LMDB: one environment in a directory, a dozen
 * named databases, one writer at a time and any number of snapshots (read transactions).
 *
 * On-disk values (every integer written explicitly, byte by byte; no struct is copied to disk):
 *   meta     "layout" -> u32 LE STORE_LAYOUT; "next_entry" -> u64 LE, the next entry number
 *   lists    name (1..63 bytes, no NUL) -> u8 layout, u8 action, u16 0, u32 LE threshold
 *            (IEEE float bits), u64 LE version, u64 LE entries                  (24 bytes)
 *   entries  list \0 id -> u64 LE entry number, u64 LE line hash                 (16 bytes)
 *   records  entry number (native u64, MDB_INTEGERKEY) -> u64 LE list version at write time,
 *            then the entry encoded by entry_codec.c
 *   docs     canonical number -> u64 BE entry, u16 BE document index, char[3] issuer alpha-3
 *            (NUL padded): a bucket index (bucket_index.h) of 13-byte items
 *   docs_cf  confusable-folded number -> the same
 *   names, name_forms, name_vocab, name_near, name_near_refs, name_blocks  the name index,
 *            written by store_names.c (see there)
 *   patterns, name_patterns  document and name patterns, kept by store_patterns.c (see there)
 * The index values are big-endian so LMDB's byte order of duplicates is entry number order.
 *
 * Invariants, kept by every put and delete within one write transaction:
 *   - an entries key exists iff its records entry exists, and each entry number is used by at
 *     most one list + id; numbers come from next_entry and are never reused (so new records
 *     are appended);
 *   - docs and docs_cf hold exactly the keys of the numbered documents (those with a number;
 *     pattern-only documents live in the record only) of the entries in records, once the
 *     writer's queued index changes are flushed (always before a commit);
 *   - a list's entries count is the number of its entries keys; its version moves by one with
 *     every insert, update or delete in it and every change of its settings (set_list), and a
 *     record keeps the list version of its own last write.
 * A put validates and encodes everything (and decodes the old record) before its first write:
 * an invalid entry leaves the transaction untouched. An LMDB error during the writes leaves
 * the transaction unusable (LMDB's rule); the writer then refuses everything but abort. */
#include "paxscreen/store.h"

#include "entry_codec.h"
#include "name_keys.h"
#include "paxscreen/normalize.h"
#include "store_internal.h"

#include "paxscreen/bytes.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stdlib.h>

_Static_assert(sizeof(size_t) == 8, "records uses 64-bit MDB_INTEGERKEY keys");

/* 4: birth year in name refs; 5: document patterns; 6: need masks in name refs, the token
 * vocabulary and name patterns; 7: targeting rules; 8: names and name_vocab as bucket indexes;
 * 9: name refs say whether the entry has several birth dates; 10: docs and docs_cf as bucket
 * indexes; 11: name refs sorted by year group; 12: name_near, each listed token's neighbours;
 * 13: name_blocks, the short name_forms blocks again as a bucket index; 14: name_near_refs,
 * each listed token's neighbours' references in one list; 15: name refs carry their form's
 * other main tokens' reading hashes; 16: a token's own references in name_near_refs too; 17: a
 * key of more than PS_NAME_YEAR_STRIDE name references keeps the year of every
 * PS_NAME_YEAR_STRIDE-th ahead of them (bucket index samples) */
#define STORE_LAYOUT      17u
#define STORE_MAP_SIZE    ((size_t)64 << 30) /* sparse: only what is written takes disk */
#define STORE_MAX_READERS 1024
#define LIST_VALUE_SIZE   24
#define ENTRY_VALUE_SIZE  16
#define DOC_VALUE_SIZE    13
#define DEFAULT_ACTION    PS_ACTION_REFER
#define DEFAULT_THRESHOLD 0.85f
#define INDEX_QUEUE_BYTES ((size_t)256 << 20) /* queued index changes applied beyond this */

/* ---- errors ---- */

/* An LMDB failure as a store error: MDB_MAP_FULL is PS_STORE_FULL, the rest PS_STORE_IO. */
static int mdb_fail(int rc, const char *what, char *err, size_t errlen)
{
    if (rc == MDB_MAP_FULL)
        return ps_errorf(err, errlen, PS_STORE_FULL,
                         "%s: the store is full (its LMDB map size, %zu GiB, is used up); "
                         "nothing since the last commit was kept",
                         what, STORE_MAP_SIZE >> 30);
    if (rc == MDB_TXN_FULL)
        return ps_errorf(err, errlen, PS_STORE_IO,
                         "%s: too many changes in one transaction (checkpoint more often): %s",
                         what, mdb_strerror(rc));
    return ps_errorf(err, errlen, PS_STORE_IO, "%s: %s", what, mdb_strerror(rc));
}

/* ---- byte packing ---- */

static void pack_doc_ref(unsigned char out[DOC_VALUE_SIZE], uint64_t entry, uint16_t doc,
                         const char issuer[3])
{
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(entry >> (56 - 8 * i));
    out[8] = (unsigned char)(doc >> 8);
    out[9] = (unsigned char)doc;
    memcpy(out + 10, issuer, 3);
}

static void unpack_doc_ref(const unsigned char *p, ps_doc_ref *ref)
{
    uint64_t entry = 0;
    for (int i = 0; i < 8; i++)
        entry = (entry << 8) | p[i];
    ref->entry = entry;
    ref->document = (uint16_t)((p[8] << 8) | p[9]);
    memcpy(ref->issuer, p + 10, 3);
    ref->issuer[3] = '\0';
}

static void pack_list(unsigned char out[LIST_VALUE_SIZE], const ps_list_info *li)
{
    uint32_t bits;
    memcpy(&bits, &li->threshold, 4);
    out[0] = STORE_LAYOUT;
    out[1] = (unsigned char)li->action;
    out[2] = out[3] = 0;
    ps_put_le32(out + 4, bits);
    ps_put_le64(out + 8, li->version);
    ps_put_le64(out + 16, li->entries);
}

static bool unpack_list(const MDB_val *k, const MDB_val *v, ps_list_info *li)
{
    if (v->mv_size != LIST_VALUE_SIZE || k->mv_size == 0 || k->mv_size >= sizeof li->name)
        return false;
    const unsigned char *p = v->mv_data;
    memset(li, 0, sizeof *li);
    memcpy(li->name, k->mv_data, k->mv_size);
    li->action = p[1] <= PS_ACTION_NOTIFY ? (ps_action)p[1] : DEFAULT_ACTION;
    uint32_t bits = ps_get_le32(p + 4);
    memcpy(&li->threshold, &bits, 4);
    li->version = ps_get_le64(p + 8);
    li->entries = ps_get_le64(p + 16);
    return true;
}

/* ---- opening ---- */

static int check_layout(ps_store *s, MDB_txn *txn, char *err, size_t errlen);

static int open_dbs(ps_store *s, MDB_txn *txn, char *err, size_t errlen)
{
    unsigned create = s->writable ? MDB_CREATE : 0;
    struct {
        const char *name;
        unsigned flags;
        MDB_dbi *dbi;
    } dbs[] = {
        {"meta", 0, &s->meta},
        {"lists", 0, &s->lists},
        {"entries", 0, &s->entries},
        {"records", MDB_INTEGERKEY, &s->records},
        {"docs", MDB_INTEGERKEY, &s->docs},
        {"docs_cf", MDB_INTEGERKEY, &s->docs_cf},
        {"names", MDB_INTEGERKEY, &s->names},
        {"name_forms", MDB_INTEGERKEY, &s->name_forms},
        {"name_vocab", MDB_INTEGERKEY, &s->name_vocab},
        {"name_near", MDB_INTEGERKEY, &s->name_near},
        {"name_near_refs", MDB_INTEGERKEY, &s->name_near_refs},
        {"name_blocks", MDB_INTEGERKEY, &s->name_blocks},
        {"patterns", 0, &s->patterns},
        {"name_patterns", 0, &s->name_patterns},
        {"rules", 0, &s->rules},
        {"rule_patterns", 0, &s->rule_patterns},
    };
    /* meta first: its layout stamp says whether the other databases are the ones we know */
    for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
        int rc = mdb_dbi_open(txn, dbs[i].name, dbs[i].flags | create, dbs[i].dbi);
        if (rc == MDB_NOTFOUND)
            return ps_errorf(err, errlen, PS_STORE_IO, "not a paxscreen store (no '%s' database)",
                             dbs[i].name);
        if (rc != 0) {
            char what[64];
            snprintf(what, sizeof what, "opening database '%s'", dbs[i].name);
            return mdb_fail(rc, what, err, errlen);
        }
        if (i == 0) {
            int code = check_layout(s, txn, err, errlen);
            if (code != PS_STORE_OK)
                return code;
        }
    }
    return PS_STORE_OK;
}

/* The layout stamp: written once by the first writer, checked by everyone. */
static int check_layout(ps_store *s, MDB_txn *txn, char *err, size_t errlen)
{
    MDB_val k = {6, "layout"}, v;
    int rc = mdb_get(txn, s->meta, &k, &v);
    if (rc == MDB_NOTFOUND && s->writable) {
        unsigned char b[4];
        ps_put_le32(b, STORE_LAYOUT);
        v = (MDB_val){4, b};
        rc = mdb_put(txn, s->meta, &k, &v, 0);
        if (rc != 0)
            return mdb_fail(rc, "writing the store layout", err, errlen);
    } else if (rc == MDB_NOTFOUND) {
        return ps_errorf(err, errlen, PS_STORE_IO, "not a paxscreen store (no layout stamp)");
    } else if (rc != 0) {
        return mdb_fail(rc, "reading the store layout", err, errlen);
    } else if (v.mv_size != 4 || ps_get_le32(v.mv_data) != STORE_LAYOUT) {
        return ps_errorf(err, errlen, PS_STORE_INVALID,
                         "store layout %u is not the one this build reads (%u): import the lists "
                         "again into a new directory",
                         v.mv_size == 4 ? ps_get_le32(v.mv_data) : 0, STORE_LAYOUT);
    }
    return PS_STORE_OK;
}

/* mdb_txn_begin, adopting a larger map size another process may have set. */
static int txn_begin(ps_store *s, unsigned flags, MDB_txn **txn)
{
    int rc = mdb_txn_begin(s->env, NULL, flags, txn);
    if (rc == MDB_MAP_RESIZED) {
        rc = mdb_env_set_mapsize(s->env, 0);
        if (rc == 0)
            rc = mdb_txn_begin(s->env, NULL, flags, txn);
    }
    return rc;
}

/* Asks the kernel to hold the store's file in huge pages where it can: pages read from then on
 * come in 2 MB folios, each mapped by one TLB entry, where the indexes would otherwise cost a
 * page-table walk per 4 KB page they touch (screening reads them at random). LMDB does not say
 * where it mapped the file: the mapping of its inode is found in /proc/self/maps. A hint only:
 * nothing changes where the kernel cannot (no /proc, huge pages off). */
static void advise_huge_pages(MDB_env *env)
{
    int fd;
    struct stat st;
    if (mdb_env_get_fd(env, &fd) != 0 || fstat(fd, &st) != 0)
        return;
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps)
        return;
    char line[4096];
    while (fgets(line, sizeof line, maps)) {
        unsigned long lo, hi, off, inode;
        unsigned dev_major, dev_minor;
        if (sscanf(line, "%lx-%lx %*s %lx %x:%x %lu", &lo, &hi, &off, &dev_major, &dev_minor,
                   &inode) == 6 &&
            inode == (unsigned long)st.st_ino && dev_major == major(st.st_dev) &&
            dev_minor == minor(st.st_dev))
            madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    }
    fclose(maps);
}

int ps_store_open(const char *dir, bool writable, ps_store **out, char *err, size_t errlen)
{
    *out = NULL;
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT || !writable)
            return ps_errorf(err, errlen, PS_STORE_IO, "%s: %s", dir, strerror(errno));
        if (mkdir(dir, 0775) != 0 && errno != EEXIST)
            return ps_errorf(err, errlen, PS_STORE_IO, "creating %s: %s", dir, strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
        return ps_errorf(err, errlen, PS_STORE_IO, "%s: not a directory", dir);
    }

    ps_store *s = calloc(1, sizeof *s);
    if (!s)
        return ps_errorf(err, errlen, PS_STORE_IO, "out of memory");
    s->writable = writable;
    int rc = mdb_env_create(&s->env);
    if (rc == 0)
        rc = mdb_env_set_maxdbs(s->env, 32);
    if (rc == 0)
        rc = mdb_env_set_mapsize(s->env, STORE_MAP_SIZE);
    if (rc == 0)
        rc = mdb_env_set_maxreaders(s->env, STORE_MAX_READERS);
    if (rc != 0) {
        int code = mdb_fail(rc, "creating the LMDB environment", err, errlen);
        if (s->env)
            mdb_env_close(s->env);
        free(s);
        return code;
    }
    /* A writer maps the file writable (MDB_WRITEMAP): pages are written in place rather than
     * copied out at commit, which makes imports about a third faster. The file then has the
     * map's apparent size (sparse; du shows what it holds). */
    unsigned flags = MDB_NOTLS | (writable ? MDB_WRITEMAP : MDB_RDONLY);
    rc = mdb_env_open(s->env, dir, flags, 0664);
    if (rc != 0) {
        int code = ps_errorf(err, errlen, PS_STORE_IO, "opening the store in %s: %s", dir,
                             mdb_strerror(rc));
        mdb_env_close(s->env);
        free(s);
        return code;
    }
    s->max_key = (size_t)mdb_env_get_maxkeysize(s->env);
    advise_huge_pages(s->env);

    MDB_txn *txn;
    rc = txn_begin(s, writable ? 0 : MDB_RDONLY, &txn);
    int code = rc ? mdb_fail(rc, "opening the store", err, errlen) : PS_STORE_OK;
    if (code == PS_STORE_OK) {
        code = open_dbs(s, txn, err, errlen);
        if (code == PS_STORE_OK) {
            /* Commit even a read transaction: that is what keeps the database handles. */
            rc = mdb_txn_commit(txn);
            if (rc != 0)
                code = mdb_fail(rc, "opening the store", err, errlen);
        } else {
            mdb_txn_abort(txn);
        }
    }
    if (code != PS_STORE_OK) {
        mdb_env_close(s->env);
        free(s);
        return code;
    }
    s->name_index = (ps_bucket_index){s->names, PS_INDEX_BUCKET_BITS, PS_NAME_REF_SIZE,
                                      PS_NAME_YEAR_STRIDE};
    s->vocab_index = (ps_bucket_index){s->name_vocab, PS_INDEX_BUCKET_BITS, 0};
    s->near_index = (ps_bucket_index){s->name_near, PS_INDEX_BUCKET_BITS, 0};
    s->near_refs_index =
        (ps_bucket_index){s->name_near_refs, PS_INDEX_BUCKET_BITS, PS_NAME_REF_SIZE,
                          PS_NAME_YEAR_STRIDE};
    s->blocks_index = (ps_bucket_index){s->name_blocks, PS_INDEX_BUCKET_BITS, 0};
    s->doc_index[0] = (ps_bucket_index){s->docs, PS_INDEX_BUCKET_BITS, DOC_VALUE_SIZE};
    s->doc_index[1] = (ps_bucket_index){s->docs_cf, PS_INDEX_BUCKET_BITS, DOC_VALUE_SIZE};
    *out = s;
    return PS_STORE_OK;
}

void ps_store_close(ps_store *s)
{
    if (!s)
        return;
    mdb_env_close(s->env);
    free(s);
}

/* ---- document keys ---- */

/* The index keys of one entry's numbered documents. Canonical and confusable keys have the
 * same length (folding maps one character to one), so both live at off in bytes: canonical
 * at off, confusable at off + len. */
typedef struct doc_key {
    size_t off;
    uint16_t len;
    uint16_t doc;
    char issuer[3];
} doc_key;

typedef struct doc_keys {
    ps_buf bytes;
    doc_key *items;
    uint32_t n, cap;
} doc_keys;

static void doc_keys_clear(doc_keys *k)
{
    k->bytes.len = 0;
    k->n = 0;
}

static void doc_keys_free(doc_keys *k)
{
    ps_buf_free(&k->bytes);
    free(k->items);
    memset(k, 0, sizeof *k);
}

/* Computes the keys of e's documents. strict (a new entry): a number with no letter or digit,
 * or whose key is longer than LMDB allows, is PS_STORE_INVALID; otherwise (an old record)
 * such documents are skipped, as they were never indexed. */
static int doc_keys_collect(doc_keys *k, const ps_wl_entry *e, size_t max_key, bool strict,
                            char *err, size_t errlen)
{
    doc_keys_clear(k);
    for (uint32_t i = 0; i < e->n_documents; i++) {
        const ps_wl_document *d = &e->documents[i];
        if (!d->number.len)
            continue; /* pattern only: kept in the record, matched elsewhere */
        ps_buf_reserve(&k->bytes, 2 * d->number.len + 2);
        char *canon = k->bytes.data + k->bytes.len;
        size_t len = ps_docnum_canonical(d->number.ptr, d->number.len, canon);
        if (len == 0 || len > max_key) {
            if (!strict)
                continue;
            if (len == 0)
                return ps_errorf(err, errlen, PS_STORE_INVALID,
                                 "documents[%u].number: has no letters or digits", i);
            return ps_errorf(err, errlen, PS_STORE_INVALID,
                             "documents[%u].number: longer than %zu characters", i, max_key);
        }
        ps_docnum_confusable(d->number.ptr, d->number.len, canon + len);
        if (k->n == k->cap) {
            uint32_t cap = k->cap ? 2 * k->cap : 8;
            doc_key *items = realloc(k->items, cap * sizeof *items);
            if (!items)
                return ps_errorf(err, errlen, PS_STORE_IO, "out of memory");
            k->items = items;
            k->cap = cap;
        }
        doc_key *dk = &k->items[k->n++];
        dk->off = k->bytes.len;
        dk->len = (uint16_t)len;
        dk->doc = (uint16_t)i;
        memset(dk->issuer, 0, 3);
        const char *a3 = d->issuer.len ? ps_country_alpha3(d->issuer.ptr, d->issuer.len) : NULL;
        if (a3)
            memcpy(dk->issuer, a3, 3);
        k->bytes.len += 2 * len;
    }
    return PS_STORE_OK;
}

/* ---- the writer ---- */

typedef struct list_slot {
    ps_list_info info;
    bool dirty;
} list_slot;

struct ps_store_writer {
    ps_store *s;
    MDB_txn *txn;        /* NULL once a commit failed */
    bool broken;         /* an LMDB error left txn unusable: only abort remains */
    uint64_t next_entry; /* cached meta next_entry, written back before every commit */
    bool next_dirty;
    list_slot *lists; /* lists read or changed in this transaction */
    uint32_t n_lists, cap_lists, last_list;
    ps_buf key;                /* entries key: list \0 id */
    ps_buf val;                /* record value being written */
    doc_keys new_keys;         /* the entry's document keys */
    doc_keys old_keys;         /* the replaced or deleted entry's document keys */
    ps_buf new_forms;          /* the entry's normalized names (name_keys.h block) */
    ps_buf old_forms;          /* a copy of the replaced or deleted entry's block */
    uint16_t old_year;         /* the replaced or deleted entry's birth year (name index records) */
    unsigned patterns_dirty;   /* kinds of pattern that came or went (bit 1 << kind):
                                * recompile before committing */
    ps_arena arena;            /* decoding old records */
    ps_name_queue names_queue; /* name index changes not yet applied (store_names.c) */
    ps_bi_queue doc_queue[2];  /* docs, docs_cf changes not yet applied */
};

static int writer_usable(ps_store_writer *w, char *err, size_t errlen)
{
    if (!w->txn)
        return ps_errorf(err, errlen, PS_STORE_IO,
                         "the writer has no transaction (an earlier commit or begin failed)");
    if (w->broken)
        return ps_errorf(err, errlen, PS_STORE_IO,
                         "an earlier store error ended this transaction; abort the writer");
    return PS_STORE_OK;
}

/* Starts w's transaction and loads next_entry. */
static int writer_start(ps_store_writer *w, char *err, size_t errlen)
{
    w->n_lists = 0;
    w->last_list = 0;
    w->broken = false;
    w->next_dirty = false;
    int rc = txn_begin(w->s, 0, &w->txn);
    if (rc != 0) {
        w->txn = NULL;
        return mdb_fail(rc, "starting a write transaction", err, errlen);
    }
    MDB_val k = {10, "next_entry"}, v;
    rc = mdb_get(w->txn, w->s->meta, &k, &v);
    if (rc == MDB_NOTFOUND) {
        w->next_entry = 1;
    } else if (rc == 0 && v.mv_size == 8) {
        w->next_entry = ps_get_le64(v.mv_data);
    } else {
        mdb_txn_abort(w->txn);
        w->txn = NULL;
        return rc ? mdb_fail(rc, "reading next_entry", err, errlen)
                  : ps_errorf(err, errlen, PS_STORE_IO, "meta next_entry is corrupt");
    }
    return PS_STORE_OK;
}

/* Writes the cached list infos and next_entry into the transaction. */
static int writer_flush(ps_store_writer *w, char *err, size_t errlen)
{
    for (uint32_t i = 0; i < w->n_lists; i++) {
        list_slot *sl = &w->lists[i];
        if (!sl->dirty)
            continue;
        unsigned char b[LIST_VALUE_SIZE];
        pack_list(b, &sl->info);
        MDB_val k = {strlen(sl->info.name), sl->info.name}, v = {sizeof b, b};
        int rc = mdb_put(w->txn, w->s->lists, &k, &v, 0);
        if (rc != 0) {
            w->broken = true;
            return mdb_fail(rc, "writing list metadata", err, errlen);
        }
        sl->dirty = false;
    }
    if (w->next_dirty) {
        unsigned char b[8];
        ps_put_le64(b, w->next_entry);
        MDB_val k = {10, "next_entry"}, v = {8, b};
        int rc = mdb_put(w->txn, w->s->meta, &k, &v, 0);
        if (rc != 0) {
            w->broken = true;
            return mdb_fail(rc, "writing next_entry", err, errlen);
        }
        w->next_dirty = false;
    }
    return PS_STORE_OK;
}

static void writer_free(ps_store_writer *w)
{
    free(w->lists);
    ps_buf_free(&w->key);
    ps_buf_free(&w->val);
    doc_keys_free(&w->new_keys);
    doc_keys_free(&w->old_keys);
    ps_buf_free(&w->new_forms);
    ps_buf_free(&w->old_forms);
    ps_arena_free(&w->arena);
    ps_names_queue_free(&w->names_queue);
    ps_bi_queue_free(&w->doc_queue[0]);
    ps_bi_queue_free(&w->doc_queue[1]);
    free(w);
}

int ps_store_writer_begin(ps_store *s, ps_store_writer **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!s->writable)
        return ps_errorf(err, errlen, PS_STORE_IO, "the store was opened read-only");
    ps_store_writer *w = calloc(1, sizeof *w);
    if (!w)
        return ps_errorf(err, errlen, PS_STORE_IO, "out of memory");
    w->s = s;
    ps_buf_init(&w->key);
    ps_buf_init(&w->val);
    ps_buf_init(&w->new_keys.bytes);
    ps_buf_init(&w->old_keys.bytes);
    ps_buf_init(&w->new_forms);
    ps_buf_init(&w->old_forms);
    ps_arena_init(&w->arena);
    int code = writer_start(w, err, errlen);
    if (code != PS_STORE_OK) {
        writer_free(w);
        return code;
    }
    *out = w;
    return PS_STORE_OK;
}

/* A list name that can be a key of lists and the first part of an entries key. */
static int check_list_name(ps_str list, char *err, size_t errlen)
{
    if (list.len == 0)
        return ps_errorf(err, errlen, PS_STORE_INVALID, "list: is required");
    if (list.len >= sizeof(((ps_list_info *)0)->name))
        return ps_errorf(err, errlen, PS_STORE_INVALID, "list: longer than %zu bytes",
                         sizeof(((ps_list_info *)0)->name) - 1);
    if (memchr(list.ptr, '\0', list.len))
        return ps_errorf(err, errlen, PS_STORE_INVALID, "list: contains a NUL character");
    return PS_STORE_OK;
}

/* The cached info of list, read from the store or, for a new list, made with defaults. */
static int writer_list(ps_store_writer *w, ps_str list, list_slot **out, char *err, size_t errlen)
{
    if (w->last_list < w->n_lists) {
        list_slot *sl = &w->lists[w->last_list];
        if (strlen(sl->info.name) == list.len && memcmp(sl->info.name, list.ptr, list.len) == 0) {
            *out = sl;
            return PS_STORE_OK;
        }
    }
    for (uint32_t i = 0; i < w->n_lists; i++) {
        list_slot *sl = &w->lists[i];
        if (strlen(sl->info.name) == list.len && memcmp(sl->info.name, list.ptr, list.len) == 0) {
            w->last_list = i;
            *out = sl;
            return PS_STORE_OK;
        }
    }
    if (w->n_lists == w->cap_lists) {
        uint32_t cap = w->cap_lists ? 2 * w->cap_lists : 8;
        list_slot *grown = realloc(w->lists, cap * sizeof *grown);
        if (!grown)
            return ps_errorf(err, errlen, PS_STORE_IO, "out of memory");
        w->lists = grown;
        w->cap_lists = cap;
    }
    list_slot *sl = &w->lists[w->n_lists];
    memset(sl, 0, sizeof *sl);
    MDB_val k = {list.len, (void *)list.ptr}, v;
    int rc = mdb_get(w->txn, w->s->lists, &k, &v);
    if (rc == 0) {
        if (!unpack_list(&k, &v, &sl->info))
            return ps_errorf(err, errlen, PS_STORE_IO, "list '%.*s': metadata is corrupt",
                             (int)list.len, list.ptr);
    } else if (rc == MDB_NOTFOUND) {
        memcpy(sl->info.name, list.ptr, list.len);
        sl->info.action = DEFAULT_ACTION;
        sl->info.threshold = DEFAULT_THRESHOLD;
        sl->dirty = true;
    } else {
        return mdb_fail(rc, "reading list metadata", err, errlen);
    }
    w->last_list = w->n_lists++;
    *out = sl;
    return PS_STORE_OK;
}

/* Reads and decodes record n and collects its document keys into w->old_keys (copies, so
 * they survive the writes that follow). */
static int load_old_keys(ps_store_writer *w, uint64_t n, char *err, size_t errlen)
{
    size_t kn = (size_t)n;
    MDB_val k = {sizeof kn, &kn}, v;
    int rc = mdb_get(w->txn, w->s->records, &k, &v);
    if (rc == MDB_NOTFOUND)
        return ps_errorf(err, errlen, PS_STORE_IO, "entry %llu has no record (store is corrupt)",
                         (unsigned long long)n);
    if (rc != 0)
        return mdb_fail(rc, "reading a record", err, errlen);
    if (v.mv_size < 8)
        return ps_errorf(err, errlen, PS_STORE_IO, "record %llu is corrupt", (unsigned long long)n);
    ps_arena_reset(&w->arena);
    ps_wl_entry old;
    char why[128];
    if (ps_entry_decode((const char *)v.mv_data + 8, v.mv_size - 8, &w->arena, &old, why,
                        sizeof why) != PS_STORE_OK)
        return ps_errorf(err, errlen, PS_STORE_IO, "record %llu: %s", (unsigned long long)n, why);
    int code = doc_keys_collect(&w->old_keys, &old, PS_BI_MAX_KEY, false, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    w->old_year = ps_names_year(&old);
    rc = ps_names_copy_block(w->txn, w->s, n, &w->old_forms);
    return rc == 0 ? PS_STORE_OK : mdb_fail(rc, "reading a name_forms record", err, errlen);
}

/* Applies the queued changes of the name and document indexes. */
static int index_flush(ps_store_writer *w, char *err, size_t errlen)
{
    int rc = ps_names_flush(w->txn, w->s, &w->names_queue);
    for (int i = 0; i < 2; i++) {
        int r2 = ps_bi_flush(w->txn, &w->s->doc_index[i], &w->doc_queue[i], NULL, NULL);
        rc = rc ? rc : r2;
    }
    if (rc != 0) {
        w->broken = true;
        return mdb_fail(rc, "writing the name and document indexes", err, errlen);
    }
    return PS_STORE_OK;
}

static size_t index_queued(const ps_store_writer *w)
{
    return ps_names_queued(&w->names_queue) + ps_bi_queue_bytes(&w->doc_queue[0]) +
           ps_bi_queue_bytes(&w->doc_queue[1]);
}

/* Queues adding (add = true) or removing one entry's document index records. */
static int index_apply(ps_store_writer *w, const doc_keys *keys, uint64_t n, bool add, char *err,
                       size_t errlen)
{
    (void)err;
    (void)errlen;
    for (uint32_t i = 0; i < keys->n; i++) {
        const doc_key *dk = &keys->items[i];
        unsigned char ref[DOC_VALUE_SIZE];
        pack_doc_ref(ref, n, dk->doc, dk->issuer);
        for (int cf = 0; cf < 2; cf++)
            ps_bi_queue_op(&w->doc_queue[cf], &w->s->doc_index[cf],
                           keys->bytes.data + dk->off + (cf ? dk->len : 0), dk->len, ref,
                           sizeof ref, add);
    }
    return PS_STORE_OK;
}

static int put_delete(ps_store_writer *w, const ps_wl_entry *e, ps_import_counts *counts, char *err,
                      size_t errlen)
{
    MDB_val k = {w->key.len, w->key.data}, v;
    int rc = mdb_get(w->txn, w->s->entries, &k, &v);
    if (rc == MDB_NOTFOUND) {
        counts->missing++;
        return PS_STORE_OK;
    }
    if (rc != 0)
        return mdb_fail(rc, "reading entries", err, errlen);
    if (v.mv_size != ENTRY_VALUE_SIZE)
        return ps_errorf(err, errlen, PS_STORE_IO, "entries value for '%.*s' is corrupt",
                         (int)e->id.len, e->id.ptr);
    uint64_t n = ps_get_le64(v.mv_data);
    int code = load_old_keys(w, n, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    list_slot *sl;
    code = writer_list(w, e->list, &sl, err, errlen);
    if (code != PS_STORE_OK)
        return code;

    /* Writes from here on. */
    code = index_apply(w, &w->old_keys, n, false, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    rc = ps_names_apply(w->txn, w->s, &w->names_queue, &w->old_forms, n, w->old_year, false);
    if (rc == 0)
        rc = ps_patterns_remove(w->txn, w->s, n, &w->patterns_dirty);
    if (rc != 0) {
        w->broken = true;
        return mdb_fail(rc, "removing name index records", err, errlen);
    }
    size_t kn = (size_t)n;
    MDB_val rk = {sizeof kn, &kn};
    rc = mdb_del(w->txn, w->s->records, &rk, NULL);
    if (rc == 0)
        rc = mdb_del(w->txn, w->s->entries, &k, NULL);
    if (rc != 0) {
        w->broken = true;
        return mdb_fail(rc, "deleting an entry", err, errlen);
    }
    sl->info.version++;
    if (sl->info.entries)
        sl->info.entries--;
    sl->dirty = true;
    counts->deleted++;
    return PS_STORE_OK;
}

int ps_store_put(ps_store_writer *w, const ps_wl_entry *e, uint64_t line_hash,
                 ps_import_counts *counts, char *err, size_t errlen)
{
    int code = writer_usable(w, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    code = check_list_name(e->list, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    if (e->id.len == 0)
        return ps_errorf(err, errlen, PS_STORE_INVALID, "id: is required");
    if (e->list.len + 1 + e->id.len > w->s->max_key)
        return ps_errorf(err, errlen, PS_STORE_INVALID, "id: longer than %zu bytes",
                         w->s->max_key - 1 - e->list.len);
    w->key.len = 0;
    ps_buf_append(&w->key, e->list.ptr, e->list.len);
    ps_buf_putc(&w->key, '\0');
    ps_buf_append(&w->key, e->id.ptr, e->id.len);

    if (e->deleted)
        return put_delete(w, e, counts, err, errlen);

    /* Validate and encode everything before the first write. */
    w->val.len = 0;
    ps_buf_append(&w->val, "\0\0\0\0\0\0\0\0", 8); /* list version, set below */
    code = ps_entry_encode(e, &w->val, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    code = doc_keys_collect(&w->new_keys, e, PS_BI_MAX_KEY, true, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    code = ps_patterns_validate(e, err, errlen);
    if (code != PS_STORE_OK)
        return code;

    MDB_val k = {w->key.len, w->key.data}, v;
    int rc = mdb_get(w->txn, w->s->entries, &k, &v);
    uint64_t n;
    bool exists = rc == 0;
    if (exists) {
        if (v.mv_size != ENTRY_VALUE_SIZE)
            return ps_errorf(err, errlen, PS_STORE_IO, "entries value for '%.*s' is corrupt",
                             (int)e->id.len, e->id.ptr);
        n = ps_get_le64(v.mv_data);
        if (ps_get_le64((const unsigned char *)v.mv_data + 8) == line_hash) {
            counts->unchanged++;
            return PS_STORE_OK;
        }
        code = load_old_keys(w, n, err, errlen);
        if (code != PS_STORE_OK)
            return code;
    } else if (rc == MDB_NOTFOUND) {
        n = w->next_entry;
    } else {
        return mdb_fail(rc, "reading entries", err, errlen);
    }
    list_slot *sl;
    code = writer_list(w, e->list, &sl, err, errlen);
    if (code != PS_STORE_OK)
        return code;

    /* Normalizing names is the costly part: only for entries that changed. */
    w->new_forms.len = 0;
    ps_nf_encode(e, &w->new_forms);

    /* Writes from here on. */
    if (exists) {
        code = index_apply(w, &w->old_keys, n, false, err, errlen);
        if (code != PS_STORE_OK)
            return code;
        rc = ps_names_apply(w->txn, w->s, &w->names_queue, &w->old_forms, n, w->old_year, false);
        if (rc == 0)
            rc = ps_patterns_remove(w->txn, w->s, n, &w->patterns_dirty);
        if (rc != 0) {
            w->broken = true;
            return mdb_fail(rc, "removing name index records", err, errlen);
        }
    }
    ps_put_le64((unsigned char *)w->val.data, sl->info.version + 1);
    size_t kn = (size_t)n;
    MDB_val rk = {sizeof kn, &kn}, rv = {w->val.len, w->val.data};
    rc = mdb_put(w->txn, w->s->records, &rk, &rv, exists ? 0 : MDB_APPEND);
    if (rc == 0) {
        unsigned char ev[ENTRY_VALUE_SIZE];
        ps_put_le64(ev, n);
        ps_put_le64(ev + 8, line_hash);
        MDB_val evv = {sizeof ev, ev};
        rc = mdb_put(w->txn, w->s->entries, &k, &evv, 0);
    }
    if (rc != 0) {
        w->broken = true;
        return mdb_fail(rc, "writing an entry", err, errlen);
    }
    code = index_apply(w, &w->new_keys, n, true, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    rc = ps_names_apply(w->txn, w->s, &w->names_queue, &w->new_forms, n, ps_names_year(e), true);
    if (rc == 0)
        rc = ps_patterns_add(w->txn, w->s, e, n, &w->patterns_dirty);
    if (rc != 0) {
        w->broken = true;
        return mdb_fail(rc, "writing name index records", err, errlen);
    }
    if (index_queued(w) > INDEX_QUEUE_BYTES) {
        code = index_flush(w, err, errlen);
        if (code != PS_STORE_OK)
            return code;
    }

    sl->info.version++;
    sl->dirty = true;
    if (exists) {
        counts->updated++;
    } else {
        sl->info.entries++;
        w->next_entry++;
        w->next_dirty = true;
        counts->inserted++;
    }
    return PS_STORE_OK;
}

int ps_store_set_list(ps_store_writer *w, const char *list, ps_action action, float threshold,
                      char *err, size_t errlen)
{
    int code = writer_usable(w, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    ps_str name = {list, list ? strlen(list) : 0};
    code = check_list_name(name, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    if ((int)action < PS_ACTION_NONE || action > PS_ACTION_NOTIFY)
        return ps_errorf(err, errlen, PS_STORE_INVALID,
                         "action: must be no_board, refer or notify");
    if (isnan(threshold) || threshold > 1.0f)
        return ps_errorf(err, errlen, PS_STORE_INVALID, "threshold: must be between 0 and 1");
    list_slot *sl;
    code = writer_list(w, name, &sl, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    bool changed = sl->info.version == 0; /* a new list */
    if (action != PS_ACTION_NONE && sl->info.action != action) {
        sl->info.action = action;
        changed = true;
    }
    if (threshold >= 0.0f && sl->info.threshold != threshold) {
        sl->info.threshold = threshold;
        changed = true;
    }
    if (changed) {
        sl->info.version++;
        sl->dirty = true;
    }
    return PS_STORE_OK;
}

/* Flushes the caches and commits; w->txn is NULL afterwards. */
static int writer_commit_txn(ps_store_writer *w, char *err, size_t errlen)
{
    int code = writer_usable(w, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    if (w->patterns_dirty) {
        code = ps_patterns_rebuild(w->txn, w->s, w->patterns_dirty, err, errlen);
        if (code != PS_STORE_OK)
            return code;
        w->patterns_dirty = 0;
    }
    code = writer_flush(w, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    code = index_flush(w, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    int rc = mdb_txn_commit(w->txn);
    w->txn = NULL; /* committed or, on failure, freed by LMDB */
    if (rc != 0)
        return mdb_fail(rc, "committing", err, errlen);
    return PS_STORE_OK;
}

int ps_store_writer_checkpoint(ps_store_writer *w, char *err, size_t errlen)
{
    int code = writer_commit_txn(w, err, errlen);
    if (code != PS_STORE_OK)
        return code;
    /* Another writer may get in between the two transactions: start with empty caches. */
    return writer_start(w, err, errlen);
}

int ps_store_writer_commit(ps_store_writer *w, char *err, size_t errlen)
{
    int code = writer_commit_txn(w, err, errlen);
    if (code != PS_STORE_OK) {
        ps_store_writer_abort(w);
        return code;
    }
    writer_free(w);
    return PS_STORE_OK;
}

void ps_store_writer_abort(ps_store_writer *w)
{
    if (!w)
        return;
    if (w->txn)
        mdb_txn_abort(w->txn);
    writer_free(w);
}

/* ---- snapshots ---- */

int ps_snapshot_begin(ps_store *s, ps_snapshot **out, char *err, size_t errlen)
{
    *out = NULL;
    ps_snapshot *snap = calloc(1, sizeof *snap);
    if (!snap)
        return ps_errorf(err, errlen, PS_STORE_IO, "out of memory");
    snap->s = s;
    int rc = txn_begin(s, MDB_RDONLY, &snap->txn);
    if (rc != 0) {
        free(snap);
        return mdb_fail(rc, "starting a snapshot", err, errlen);
    }
    snap->names_view = (ps_bi_view){snap->txn, &s->name_index, NULL};
    snap->vocab_view = (ps_bi_view){snap->txn, &s->vocab_index, NULL};
    snap->near_view = (ps_bi_view){snap->txn, &s->near_index, NULL};
    snap->near_refs_view = (ps_bi_view){snap->txn, &s->near_refs_index, NULL};
    snap->blocks_view = (ps_bi_view){snap->txn, &s->blocks_index, NULL};
    for (int i = 0; i < 2; i++)
        snap->doc_views[i] = (ps_bi_view){snap->txn, &s->doc_index[i], NULL};
    *out = snap;
    return PS_STORE_OK;
}

void *ps_snapshot_memo(ps_snapshot *snap)
{
    return snap->memo;
}

void ps_snapshot_set_memo(ps_snapshot *snap, void *memo, void (*free_fn)(void *))
{
    if (snap->memo && snap->memo_free)
        snap->memo_free(snap->memo);
    snap->memo = memo;
    snap->memo_free = free_fn;
}

int ps_snapshot_current(ps_store *s, ps_snapshot **snap, char *err, size_t errlen)
{
    if (*snap) {
        MDB_envinfo info;
        if (mdb_env_info(s->env, &info) == 0 && info.me_last_txnid == mdb_txn_id((*snap)->txn))
            return PS_STORE_OK;
        ps_snapshot_end(*snap);
        *snap = NULL;
    }
    return ps_snapshot_begin(s, snap, err, errlen);
}

void ps_snapshot_end(ps_snapshot *snap)
{
    if (!snap)
        return;
    for (int i = 0; i < 2; i++)
        ps_bi_view_free(&snap->doc_views[i]);
    free(snap->postings_cache);
    free(snap->lookups);
    ps_bi_view_free(&snap->names_view);
    ps_bi_view_free(&snap->vocab_view);
    ps_bi_view_free(&snap->near_view);
    ps_bi_view_free(&snap->near_refs_view);
    ps_bi_view_free(&snap->blocks_view);
    if (snap->memo && snap->memo_free)
        snap->memo_free(snap->memo);
    ps_patterns_free(snap);
    mdb_txn_abort(snap->txn);
    free(snap);
}

uint64_t ps_snapshot_version(const ps_snapshot *snap)
{
    return mdb_txn_id(snap->txn);
}

uint32_t ps_snapshot_lists(ps_snapshot *snap, ps_list_info *out, uint32_t cap)
{
    MDB_cursor *cur;
    if (mdb_cursor_open(snap->txn, snap->s->lists, &cur) != 0)
        return 0;
    uint32_t n = 0;
    MDB_val k, v;
    int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    while (rc == 0 && n < cap) {
        if (unpack_list(&k, &v, &out[n]))
            n++;
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    return n;
}

int ps_snapshot_list(ps_snapshot *snap, const char *name, ps_list_info *out)
{
    size_t len = strlen(name);
    if (len == 0 || len >= sizeof out->name)
        return PS_STORE_NOT_FOUND;
    MDB_val k = {len, (void *)name}, v;
    int rc = mdb_get(snap->txn, snap->s->lists, &k, &v);
    if (rc == MDB_NOTFOUND)
        return PS_STORE_NOT_FOUND;
    if (rc != 0)
        return PS_STORE_IO;
    return unpack_list(&k, &v, out) ? PS_STORE_OK : PS_STORE_IO;
}

int ps_snapshot_docs(ps_snapshot *snap, bool confusable, const char *key, size_t key_len,
                     void (*fn)(void *ctx, const ps_doc_ref *ref), void *ctx)
{
    if (key_len == 0 || key_len > PS_BI_MAX_KEY)
        return PS_STORE_OK; /* no such key can be stored */
    ps_bi_items it;
    int rc = ps_bi_view_get(&snap->doc_views[confusable ? 1 : 0], key, key_len,
                            ps_bi_hash(key, key_len), &it);
    if (rc == MDB_NOTFOUND)
        return PS_STORE_OK;
    if (rc != 0)
        return PS_STORE_IO;
    for (uint32_t i = 0; i < it.count; i++) {
        ps_doc_ref ref;
        unpack_doc_ref(it.p + (size_t)i * DOC_VALUE_SIZE, &ref);
        fn(ctx, &ref);
    }
    return PS_STORE_OK;
}

/* Looks key up in view (MDB_NOTFOUND for a key no index can hold). */
static void doc_lookup(ps_bi_view *view, const char *key, size_t len, ps_bi_lookup *l)
{
    *l = (ps_bi_lookup){.view = view, .key = key, .klen = len, .rc = MDB_NOTFOUND};
    if (len == 0 || len > PS_BI_MAX_KEY)
        return;
    l->hash = ps_bi_hash(key, len);
    ps_bi_view_get_many(l, 1);
}

int ps_snapshot_docs_both(ps_snapshot *snap, const char *key, size_t key_len, const char *cf_key,
                          size_t cf_len,
                          void (*fn)(void *ctx, const ps_doc_ref *ref, bool confusable),
                          void *ctx)
{
    /* the fold first: a number's records are all among its fold's (the writer puts each
     * document under both keys, and a fold has its number's length), so when the fold has
     * none, neither has the number */
    ps_bi_lookup by_fold, by_number;
    doc_lookup(&snap->doc_views[1], cf_key, cf_len, &by_fold);
    if (by_fold.rc == MDB_NOTFOUND && cf_len == key_len)
        return PS_STORE_OK;
    doc_lookup(&snap->doc_views[0], key, key_len, &by_number);
    const ps_bi_lookup *l[2] = {&by_number, &by_fold};
    for (int i = 0; i < 2; i++) { /* the number's records, then its fold's */
        if (l[i]->rc == MDB_NOTFOUND)
            continue;
        if (l[i]->rc != 0)
            return PS_STORE_IO;
        for (uint32_t r = 0; r < l[i]->items.count; r++) {
            ps_doc_ref ref;
            unpack_doc_ref(l[i]->items.p + (size_t)r * DOC_VALUE_SIZE, &ref);
            fn(ctx, &ref, i == 1);
        }
    }
    return PS_STORE_OK;
}

/* Splits a records value into its version and decodes the entry. */
static int decode_record(const MDB_val *v, ps_arena *arena, ps_wl_entry *out,
                         uint64_t *entry_version)
{
    if (v->mv_size < 8)
        return PS_STORE_IO;
    if (entry_version)
        *entry_version = ps_get_le64(v->mv_data);
    char why[128];
    if (ps_entry_decode((const char *)v->mv_data + 8, v->mv_size - 8, arena, out, why,
                        sizeof why) != PS_STORE_OK)
        return PS_STORE_IO;
    return PS_STORE_OK;
}

int ps_snapshot_entry(ps_snapshot *snap, uint64_t n, ps_arena *arena, ps_wl_entry *out,
                      uint64_t *entry_version)
{
    size_t kn = (size_t)n;
    MDB_val k = {sizeof kn, &kn}, v;
    int rc = mdb_get(snap->txn, snap->s->records, &k, &v);
    if (rc == MDB_NOTFOUND)
        return PS_STORE_NOT_FOUND;
    if (rc != 0)
        return PS_STORE_IO;
    return decode_record(&v, arena, out, entry_version);
}

int ps_snapshot_find(ps_snapshot *snap, ps_str list, ps_str id, uint64_t *entry)
{
    size_t len = list.len + 1 + id.len;
    if (list.len == 0 || id.len == 0 || len > snap->s->max_key)
        return PS_STORE_NOT_FOUND;
    char key[len];
    memcpy(key, list.ptr, list.len);
    key[list.len] = '\0';
    memcpy(key + list.len + 1, id.ptr, id.len);
    MDB_val k = {len, key}, v;
    int rc = mdb_get(snap->txn, snap->s->entries, &k, &v);
    if (rc == MDB_NOTFOUND)
        return PS_STORE_NOT_FOUND;
    if (rc != 0 || v.mv_size != ENTRY_VALUE_SIZE)
        return PS_STORE_IO;
    *entry = ps_get_le64(v.mv_data);
    return PS_STORE_OK;
}

int ps_snapshot_foreach_entry(ps_snapshot *snap,
                              int (*fn)(void *ctx, uint64_t n, const ps_wl_entry *e,
                                        uint64_t entry_version),
                              void *ctx)
{
    MDB_cursor *cur;
    if (mdb_cursor_open(snap->txn, snap->s->records, &cur) != 0)
        return PS_STORE_IO;
    ps_arena arena;
    ps_arena_init(&arena);
    int result = PS_STORE_OK;
    MDB_val k, v;
    int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    while (rc == 0) {
        ps_arena_reset(&arena);
        ps_wl_entry e;
        uint64_t version;
        size_t n;
        memcpy(&n, k.mv_data, sizeof n);
        if (decode_record(&v, &arena, &e, &version) != PS_STORE_OK) {
            result = PS_STORE_IO;
            break;
        }
        result = fn(ctx, n, &e, version);
        if (result != 0)
            break;
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    if (result == PS_STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
        result = PS_STORE_IO;
    mdb_cursor_close(cur);
    ps_arena_free(&arena);
    return result;
}
