/* paxscreen/json_batch.h — JSON batches and JSON Lines of travellers into records.
 *
 * Two shapes (interfaces.md): a Batch object {"flight": {...}, "travellers": [...]}, and JSON
 * Lines where each non-blank line is one bare Traveller object. Parsed with jansson.
 * A field of the wrong type or form (a birth_date that is not YYYY[-MM[-DD]], an unknown
 * role or gender) is a warning whose field is its JSON path ("travellers[3].birth_date", or
 * "line 12: birth_date" for JSON Lines); the traveller is kept without that field. Text that
 * is not JSON is an error naming line, column and byte offset; in JSON Lines only that line
 * is lost. A traveller with "mrz" on a document (TD1/TD2/TD3 lines as one string with '\n',
 * or an array of line strings) has it parsed and checked (paxscreen/mrz.h); failures become
 * warnings on that traveller. Travellers without an "id" get one assigned ("T" + ordinal). */
#ifndef PAXSCREEN_JSON_BATCH_H
#define PAXSCREEN_JSON_BATCH_H

#include "paxscreen/diag.h"
#include "paxscreen/record.h"

typedef struct ps_batch {
    bool has_flight;
    ps_flight_leg flight;
    ps_traveller *travellers;
    uint32_t n_travellers;
    bool json_lines; /* the input was JSON Lines */
} ps_batch;

/* Parses data (len bytes, need not be NUL-terminated). Records and strings are allocated in
 * arena; diags receive warnings and errors. Returns false only when nothing at all could be
 * read (not JSON, or a JSON value that is neither a batch object nor a traveller). */
bool ps_json_batch_parse(const char *data, size_t len, ps_arena *arena, ps_batch *out,
                         ps_diag_list *diags);

/* True when the first non-blank byte is '{' or '[' (how the CLI tells JSON from EDIFACT). */
bool ps_json_looks_like(const char *data, size_t len);

#endif
