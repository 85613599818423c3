/* paxscreen/rule.h — targeting rules (issue 5): an analyst's conditions over traveller and
 * flight fields, combined with AND / OR / NOT, with an action and a validity window; and
 * reading / writing them as JSON (formats/rule_json.c).
 *
 * One rule is one JSON object (a JSON Lines file holds one a line):
 *   {"id": "R-1", "name": "...", "action": "no_board|refer|notify",
 *    "valid_from": "YYYY-MM-DD[THH:MM]", "valid_until": "YYYY-MM-DD[THH:MM]", "when": COND}
 *   COND = {"field": F, "equals": "literal"} | {"field": F, "matches": "regex"}
 *        | {"all": [COND, ...]} | {"any": [COND, ...]} | {"not": COND}
 * id, name, action and when are required; the window is optional on either side (UTC).
 * Unknown keys are errors (a misspelt "valid_untill" must not pass silently). Every error is
 * one diag whose field is the JSON path of the problem ("when.all[1].matches").
 *
 * Fields and the values a traveller offers for them (engine/rules_fields.c): see
 * ps_rule_field. Literals and regexes are matched against each value of the field,
 * case-insensitively (ASCII), anchored to the whole value; a field the traveller does not have
 * matches nothing (so {"not": ...} of it is true). */
#ifndef PAXSCREEN_RULE_H
#define PAXSCREEN_RULE_H

#include "paxscreen/diag.h"
#include "paxscreen/record.h"
#include "paxscreen/watchlist.h"

typedef enum ps_rule_field {
    PS_RF_SURNAME = 0,     /* as sent */
    PS_RF_GIVEN_NAMES,     /* as sent */
    PS_RF_BIRTH_DATE,      /* YYYY-MM-DD (or YYYY-MM / YYYY when partial) */
    PS_RF_NATIONALITY,     /* as sent, and its alpha-3 code when that differs (D -> DEU) */
    PS_RF_DOCUMENT_NUMBER, /* each document's number as sent, and its canonical key */
    PS_RF_DOCUMENT_ISSUER, /* each document's issuer as sent, and its alpha-3 code */
    PS_RF_ROUTE,           /* "EMB-DEB" of the traveller; the flight's "DEP-ARR" too */
    PS_RF_CARRIER,         /* the flight's carrier */
    PS_RF_FLIGHT_NUMBER,   /* the flight's number ("877") and carrier + number ("XZ877") */
    PS_RF_PNR,
    PS_RF_SEAT,
    PS_RF_FREE_TEXT, /* each of address, bag_tags, phone and email */
    PS_RULE_FIELDS
} ps_rule_field;

const char *ps_rule_field_name(ps_rule_field f); /* "surname", ... */
/* The field named by p (len bytes); false when there is none. */
bool ps_rule_field_from_name(const char *p, size_t len, ps_rule_field *out);

typedef enum ps_cond_op {
    PS_COND_EQUALS = 1, /* leaf: field equals text (case-insensitive) */
    PS_COND_MATCHES,    /* leaf: field matches the regex text (whole value) */
    PS_COND_ALL,        /* every kid */
    PS_COND_ANY,        /* at least one kid */
    PS_COND_NOT,        /* kids[0] is false */
} ps_cond_op;

typedef struct ps_rule_cond {
    ps_cond_op op;
    ps_rule_field field; /* leaves */
    ps_str text;         /* leaves: the literal or regex as written */
    struct ps_rule_cond *kids;
    uint32_t n_kids; /* ALL / ANY: >= 1; NOT: 1 */
    ps_str path;     /* JSON path of this condition: "when", "when.all[1]", "when.not" */
} ps_rule_cond;

/* Limits a rule must keep (checked by ps_rule_parse and again by the engine). */
#define PS_RULE_MAX_JSON    65536 /* bytes of one rule's JSON */
#define PS_RULE_MAX_ID      128   /* bytes */
#define PS_RULE_MAX_NAME    256   /* bytes */
#define PS_RULE_MAX_DEPTH   16    /* nesting of conditions ("when" is depth 1) */
#define PS_RULE_MAX_NODES   256   /* conditions in one rule, leaves included */
#define PS_RULE_MAX_PATTERN 1024  /* bytes of one literal or regex */

typedef struct ps_rule {
    ps_str id;   /* 1..PS_RULE_MAX_ID bytes, no control characters */
    ps_str name; /* 1..PS_RULE_MAX_NAME bytes */
    ps_action action;
    ps_date valid_from;  /* precision PS_DATE_NONE: no start */
    ps_date valid_until; /* PS_DATE_NONE: no end; a date alone is inclusive (to its end) */
    ps_rule_cond when;
    uint32_t n_nodes; /* conditions, leaves included */
    uint32_t n_leaves;
} ps_rule;

/* Reads one rule from JSON (len bytes). line_no, when not 0, prefixes the message
 * ("line 3: when.all[1].matches: ..."). Returns false with exactly one error diag naming the
 * JSON path when the text is not a valid rule. Strings are allocated in arena. */
bool ps_rule_parse(const char *json, size_t len, uint64_t line_no, ps_arena *arena, ps_rule *out,
                   ps_diag_list *diags);

/* Appends the rule as one JSON object (no newline), keys in the order above. */
void ps_rule_write_json(ps_buf *b, const ps_rule *r);

/* Seconds since 1970-01-01T00:00Z of the first moment of d (at its precision); for until,
 * the first moment after it (a date alone: the next midnight; a minute: that minute).
 * INT64_MIN / INT64_MAX for a date of precision NONE. */
int64_t ps_rule_time(const ps_date *d, bool until);

#endif
