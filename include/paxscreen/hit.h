/* paxscreen/hit.h — the hit record (interfaces.md "Hit"): one traveller found on one list
 * entry, with what it takes to see why: the list, entry and its version, the action, the
 * score, and an explanation per kind of evidence. engine/ makes hits; formats/ writes them. */
#ifndef PAXSCREEN_HIT_H
#define PAXSCREEN_HIT_H

#include "paxscreen/record.h"
#include "paxscreen/watchlist.h"

typedef enum ps_hit_kind {
    PS_HIT_PERSON = 1,   /* name-based */
    PS_HIT_DOCUMENT = 2, /* travel document number */
    PS_HIT_RULE = 3,     /* targeting rule */
} ps_hit_kind;

const char *ps_hit_kind_name(ps_hit_kind k); /* "person", "document", "rule" */

/* How a document number matched. */
typedef enum ps_doc_match {
    PS_DOC_NUMBER_AND_ISSUER = 1, /* canonical number and issuing state agree */
    PS_DOC_NUMBER = 2,            /* canonical number agrees; one side names no issuer */
    PS_DOC_CONFUSABLE = 3,        /* agrees only after folding O/0, I/1/L, S/5, B/8, Z/2 */
    PS_DOC_PATTERN = 4,           /* the list gives a pattern the number matches */
} ps_doc_match;

const char *ps_doc_match_name(ps_doc_match m); /* "number_and_issuer", "number", ... */

typedef struct ps_hit_document {
    uint32_t traveller_document; /* index into the traveller's documents */
    ps_doc_match match;
    ps_str traveller_number; /* as sent */
    ps_str traveller_issuer;
    ps_str entry_number; /* as listed (or the pattern) */
    ps_str entry_issuer;
    ps_str entry_type;
    ps_str entry_status; /* "stolen", "lost", ... */
} ps_hit_document;

/* How a name token of the traveller met one of the entry's. */
typedef struct ps_hit_token {
    char traveller[32];
    char entry[32];
    float score; /* 0..1 */
} ps_hit_token;

#define PS_HIT_MAX_TOKENS 16

typedef struct ps_hit_person {
    ps_str name_pattern; /* the entry's name pattern that matched the traveller's whole
                            normalized name (traveller_name); empty for a name match */
    uint32_t entry_name; /* index into the entry's names */
    ps_name_type name_type;
    double name_score;        /* 0..1, before the other evidence */
    char traveller_name[160]; /* normalized, tokens as compared */
    char entry_name_text[160];
    uint8_t n_tokens;
    ps_hit_token tokens[PS_HIT_MAX_TOKENS];
    const char *birth_date; /* "exact", "partial", "swapped", "one_day", "same_year",
                               "near_year", "different", or NULL when one side has none */
    double birth_date_score;
    ps_date entry_birth_date; /* the entry's date compared */
    const char *gender;       /* "same", "different", or NULL */
    const char *nationality;  /* "same", "different", or NULL */
} ps_hit_person;

/* A targeting rule that fired (paxscreen/rules.h): the rule and each leaf that matched. */
typedef struct ps_hit_rule_match {
    const char *field; /* "surname", "route", ... */
    ps_str pattern;    /* the literal or regex as written */
} ps_hit_rule_match;

typedef struct ps_hit_rule {
    ps_str id;
    ps_str name;
    const ps_hit_rule_match *matched; /* positive leaves that matched (none for a NOT-only) */
    uint32_t n_matched;
} ps_hit_rule;

typedef struct ps_hit {
    ps_hit_kind kind;
    ps_str list;
    ps_str entry_id;
    uint64_t entry_version; /* list version when the entry was last written */
    ps_action action;       /* the entry's, else the list's default */
    double score;           /* 0..1 */
    double threshold;       /* the list's threshold (person hits) */
    const ps_traveller *traveller;
    const ps_flight_leg *flight; /* the traveller's flight, when the caller knows it, else NULL */
    ps_hit_document document;    /* kind == PS_HIT_DOCUMENT */
    ps_hit_person person;        /* kind == PS_HIT_PERSON */
    ps_hit_rule rule;            /* kind == PS_HIT_RULE */
} ps_hit;

#endif
