/* paxscreen/watchlist.h — watchlist entries (interfaces.md "Watchlist entry") and reading
 * them from JSON Lines import files.
 *
 * One line is one entry of one list: {"list", "id", "action", "category", "names": [{"surname",
 * "given_names", "type"} | {"full", "type"}], "birth_dates", "gender", "nationalities",
 * "documents": [{"type", "number", "issuer", "status"} | {"pattern", "issuer", ...}],
 * "name_patterns": ["regex", ...]}, or a delete: {"list", "id", "deleted": true}.
 * A document may give a regular expression ("pattern") instead of a number: a stolen series
 * of blank passports, say. Strings are kept as sent (UTF-8); normalization is the engine's. */
#ifndef PAXSCREEN_WATCHLIST_H
#define PAXSCREEN_WATCHLIST_H

#include "paxscreen/diag.h"
#include "paxscreen/record.h"

typedef enum ps_action {
    PS_ACTION_NONE = 0, /* not given: the list's default applies */
    PS_ACTION_NO_BOARD,
    PS_ACTION_REFER,
    PS_ACTION_NOTIFY,
} ps_action;

const char *ps_action_name(ps_action a); /* "no_board", "refer", "notify", "" */
ps_action ps_action_from_name(const char *p, size_t len);

typedef enum ps_name_type {
    PS_NAME_PRIMARY = 0,
    PS_NAME_ALIAS,
    PS_NAME_WEAK_ALIAS,
} ps_name_type;

const char *ps_name_type_name(ps_name_type t);

typedef struct ps_wl_name {
    ps_str surname; /* surname + given_names, or ... */
    ps_str given_names;
    ps_str full; /* ... one string whose order is unknown */
    ps_name_type type;
} ps_wl_name;

typedef struct ps_wl_document {
    ps_str type;
    ps_str number;  /* exact number, or empty when pattern is given */
    ps_str pattern; /* a regular expression over the canonical number */
    ps_str issuer;
    ps_str status; /* "stolen", "lost", "revoked", ... as sent */
} ps_wl_document;

typedef struct ps_wl_entry {
    ps_str list;
    ps_str id;
    bool deleted; /* a delete line: only list and id are set */
    ps_action action;
    ps_str category;
    ps_wl_name *names;
    uint32_t n_names;
    ps_date *birth_dates;
    uint32_t n_birth_dates;
    char gender; /* 'M', 'F', 'X', 'U' or 0 */
    ps_str *nationalities;
    uint32_t n_nationalities;
    ps_wl_document *documents;
    uint32_t n_documents;
    ps_str *name_patterns;
    uint32_t n_name_patterns;
} ps_wl_entry;

/* Reads one JSON line (len bytes, no newline needed). line_no names the line in diags (0 for
 * an entry that came alone, not from a file: the field is named without a line). Returns false,
 * with an error diag naming the line and the field, when the line cannot be an entry (not JSON, no
 * list or id, nothing to match on, a field of the wrong type). Strings are allocated in arena. */
bool ps_wl_entry_parse(const char *line, size_t len, uint64_t line_no, ps_arena *arena,
                       ps_wl_entry *out, ps_diag_list *diags);

#endif
