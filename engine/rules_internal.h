/* engine/rules_internal.h — inside engine/, not a public header: what the targeting-rule files
 * share. rules_codec.c (a rule as stored bytes), rules_set.c (the stored rules flattened into
 * one evaluable set: leaves, postfix programs, the patterns of each field), rules_store.c
 * (writing rules and compiling the field databases), rules_snapshot.c (loading them for
 * readers), rules_fields.c (a traveller's values per field), rules_screen.c (evaluation). */
#ifndef PAXSCREEN_ENGINE_RULES_INTERNAL_H
#define PAXSCREEN_ENGINE_RULES_INTERNAL_H

#include "paxscreen/rules.h"
#include "store_internal.h"

#include <stdatomic.h>

/* ---- rules_codec.c: one rule as the bytes of its "rules" record ----
 * u64 LE version (the generation it was written in), then: u8 codec version, str id,
 * str name, u8 action, date valid_from, date valid_until, the condition tree in prefix order
 * (u8 op; leaves: u8 field, str text; all/any: u16 LE count, the kids; not: the kid).
 * str = u32 LE length + bytes; date = i16 LE year, u8 month, day, hour, minute, precision. */
void ps_rule_encode(const ps_rule *r, uint64_t version, ps_buf *out);
/* Decodes into arena (paths are rebuilt: "when.all[1]"); false when the bytes are corrupt. */
bool ps_rule_decode(const void *data, size_t len, ps_arena *arena, ps_rule *out, uint64_t *version);

/* ---- rules_set.c ---- */

/* Program instructions: op in the top 8 bits, the argument in the low 24. */
enum { RS_LEAF = 1, RS_NOT = 2, RS_ALL = 3, RS_ANY = 4 };
#define RS_OP(i)      ((i) >> 24)
#define RS_ARG(i)     ((i)&0xFFFFFFu)
#define RS_MAX_LEAVES 0xFFFFFFu

typedef struct rs_rule {
    ps_str id, name;
    ps_action action;
    int64_t from, until; /* active when from <= now < until */
    uint64_t version;
    uint32_t prog, prog_len;  /* its instructions in set->prog */
    uint32_t leaf0, n_leaves; /* its leaves are set->leaves[leaf0 ..] */
    bool zero_true;           /* true when none of its leaves matches */
} rs_rule;

typedef struct rs_leaf {
    uint32_t rule;
    uint8_t field;  /* ps_rule_field */
    uint8_t op;     /* PS_COND_EQUALS or PS_COND_MATCHES */
    bool positive;  /* under an even number of NOTs */
    uint32_t index; /* pattern index in its field's database */
    ps_str text;
    ps_str path; /* JSON path of the condition ("when.all[1]") */
} rs_leaf;

typedef struct rs_field {
    uint32_t n_patterns; /* distinct (op, text) of the field's leaves, sorted */
    uint32_t *pat_start; /* n_patterns + 1: pattern i's leaves are pat_leaves[start[i]..] */
    uint32_t *pat_leaves;
    uint64_t hash; /* of the pattern list: a stored database is this field's when equal */
    void *db;      /* hs_database_t, loaded (rules_snapshot.c) */
} rs_field;

typedef struct ps_rule_set {
    ps_arena arena; /* the decoded rules and their strings */
    uint64_t generation;
    rs_rule *rules;
    uint32_t n_rules;
    rs_leaf *leaves;
    uint32_t n_leaves;
    uint32_t *prog;
    uint32_t n_prog;
    uint32_t *zero_true; /* indices of the rules with zero_true */
    uint32_t n_zero_true;
    rs_field fields[PS_RULE_FIELDS];
    void *proto_scratch; /* hs_scratch_t for every loaded database; cloned per snapshot */
    atomic_uint refs;
    const ps_store *store;
} ps_rule_set;

/* Reads every rule of the rules database in txn into a new set (no databases loaded). */
int ps_rule_set_build(MDB_txn *txn, const ps_store *s, ps_rule_set **out, char *err, size_t errlen);
void ps_rule_set_free(ps_rule_set *set); /* frees the databases too */
/* The Hyperscan expression and flags of pattern i of field f, NUL-terminated in out. */
void ps_rule_set_expression(const ps_rule_set *set, int f, uint32_t i, ps_buf *out,
                            unsigned *flags);
/* Hyperscan flags and expression of one leaf (used to check a leaf by itself). */
void ps_rule_leaf_expression(ps_cond_op op, ps_str text, ps_buf *out, unsigned *flags);
/* Evaluates rule r's program against the matched-leaf bitset. */
bool ps_rule_set_eval(const ps_rule_set *set, const rs_rule *r, const uint64_t *matched);

/* ---- rule_patterns keys (rules_store.c writes them, rules_snapshot.c reads them) ----
 *   "generation"  u64 LE
 *   "db:FIELD"    u32 LE RULE_DB_FORMAT, u64 LE pattern-list hash, u32 LE pattern count, then
 *                 the serialized Hyperscan database */
#define RULE_DB_FORMAT 1u
uint64_t ps_rules_read_generation(MDB_txn *txn, const ps_store *s);

/* ---- rules_snapshot.c: a reader's rules (the set is shared; the rest is this reader's) ---- */
struct ps_rules_snapshot {
    ps_rule_set *set;
    ps_rules_cache *cache; /* where the scratch goes back, or NULL */
    void *scratch;         /* hs_scratch_t, for every database of the set */
    uint64_t *leaf_bits;   /* leaves matched for the traveller being screened */
    uint32_t *leaf_list;   /* the same, as a list (to clear the bits) */
    uint32_t n_leaf_list;
    uint64_t *rule_bits; /* rules already taken as candidates */
    uint32_t *cands;     /* candidate and firing rules */
    uint32_t n_cands;
};

/* ---- rules_fields.c: the values a traveller offers for a field ---- */
#define RS_MAX_VALUES 32
typedef struct rs_values {
    uint32_t n;
    ps_str v[RS_MAX_VALUES];
    char buf[4096]; /* derived values (codes, keys, routes) */
    size_t used;
} rs_values;

void ps_rules_field_values(const ps_traveller *t, const ps_flight_leg *flight, ps_rule_field f,
                           rs_values *out);

#endif
