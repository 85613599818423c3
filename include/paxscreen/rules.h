/* paxscreen/rules.h — targeting rules in the alert store (engine/rules*.c): keeping them,
 * compiling them into Hyperscan databases, and screening travellers with them.
 *
 * Rules live in the store next to the lists (named databases "rules" and "rule_patterns").
 * Every write transaction that changes a rule recompiles the Hyperscan database of each field
 * whose set of patterns changed (one database per field, all rules' patterns for that field in
 * it), serializes it (hs_serialize_database) and stores it in the same transaction, and moves
 * the rules generation on by one. A reader takes a rules snapshot on top of a store snapshot:
 * it sees the rules and databases of that snapshot's commit (LMDB MVCC: a change lands for the
 * next snapshot, screening never waits) and only deserializes the databases — never compiles.
 * A ps_rules_cache shared by the workers keeps the loaded databases of the newest generation,
 * so a snapshot of an unchanged generation loads nothing.
 *
 * Screening a traveller scans each field value once with its field's database, marks the
 * leaves that matched, and evaluates the conditions of every rule with a matched leaf; rules
 * that are true when no leaf matches (a NOT of something absent) are true for every traveller
 * none of whose leaves matched. A rule fires only inside its validity window at the "now" the
 * caller passes (no clock is read here). Each firing rule is one ps_hit of kind PS_HIT_RULE:
 * list "rules", entry_id the rule id, entry_version the rule's version, score 1, the rule's
 * action, and hit.rule naming the rule and the fields and patterns that matched.
 * Every function returns PS_STORE_OK or a PS_STORE_* code with a message in err. */
#ifndef PAXSCREEN_RULES_H
#define PAXSCREEN_RULES_H

#include "paxscreen/rule.h"
#include "paxscreen/screen.h"
#include "paxscreen/store.h"

/* ---- writing ---- */

typedef struct ps_rules_writer ps_rules_writer;

typedef struct ps_rules_counts {
    uint64_t inserted, updated, unchanged, deleted, missing;
} ps_rules_counts;

/* A write transaction on the store's rules (LMDB's one writer: not while a ps_store_writer is
 * open in the same thread). */
int ps_rules_writer_begin(ps_store *s, ps_rules_writer **out, char *err, size_t errlen);
/* Upserts r by id. Every pattern is compiled by itself first: a bad one is PS_STORE_INVALID
 * with "rule ID: PATH: Hyperscan's message", and the writer goes on (nothing was written).
 * A rule identical to the stored one is counted unchanged and keeps its version. */
int ps_rules_put(ps_rules_writer *w, const ps_rule *r, ps_rules_counts *counts, char *err,
                 size_t errlen);
/* Removes the rule id (counted missing when there is none). */
int ps_rules_delete(ps_rules_writer *w, const char *id, size_t len, ps_rules_counts *counts,
                    char *err, size_t errlen);
/* Recompiles the databases whose patterns changed, stores them, commits and ends the writer
 * (on failure too). abort throws everything away. */
int ps_rules_writer_commit(ps_rules_writer *w, char *err, size_t errlen);
void ps_rules_writer_abort(ps_rules_writer *w);

/* ---- reading the stored rules ---- */

/* The rules generation a snapshot sees: 0 before the first rules write, then one more with
 * every commit that changed a rule. */
uint64_t ps_rules_generation(ps_snapshot *snap);
/* Calls fn for every stored rule in id order with its version (the generation it was last
 * written in); the rule lives in arena until fn returns (arena is reset between rules). A
 * non-zero return from fn stops the walk and is returned. */
int ps_rules_foreach(ps_snapshot *snap, ps_arena *arena,
                     int (*fn)(void *ctx, const ps_rule *r, uint64_t version), void *ctx);
/* One rule by id (PS_STORE_NOT_FOUND when there is none); strings in arena. */
int ps_rules_get(ps_snapshot *snap, const char *id, size_t len, ps_arena *arena, ps_rule *out,
                 uint64_t *version);

/* ---- screening ---- */

typedef struct ps_rules_cache ps_rules_cache;
typedef struct ps_rules_snapshot ps_rules_snapshot;

/* A cache of loaded databases for one store, safe to share between threads. */
int ps_rules_cache_new(ps_rules_cache **out);
void ps_rules_cache_free(ps_rules_cache *c); /* after every rules snapshot using it ended */

/* The rules as snap sees them, ready to screen. cache may be NULL (everything is loaded for
 * this snapshot alone). The rules snapshot belongs to one thread at a time and must end
 * before snap does. A snapshot without rules screens nothing, cheaply. */
int ps_rules_snapshot_begin(ps_snapshot *snap, ps_rules_cache *cache, ps_rules_snapshot **out,
                            char *err, size_t errlen);
void ps_rules_snapshot_end(ps_rules_snapshot *rs);
uint32_t ps_rules_snapshot_count(const ps_rules_snapshot *rs); /* rules it holds */

/* Screens t (and its flight, which may be NULL) against every rule valid at now (seconds since
 * 1970-01-01T00:00Z); calls fn once per firing rule, in rule id order (the hit and what it
 * points to live until fn returns). counts->hits grows by the hits (counts may be NULL). */
int ps_rules_screen(ps_rules_snapshot *rs, const ps_traveller *t, const ps_flight_leg *flight,
                    int64_t now, ps_hit_fn fn, void *ctx, ps_screen_counts *counts);

#endif
