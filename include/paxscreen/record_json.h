/* paxscreen/record_json.h — writing records as JSON text (interfaces.md shapes).
 * Writers append to a ps_buf; strings are escaped, and bytes that are not valid UTF-8 are
 * written as U+FFFD so the output is always valid JSON. Absent fields are left out. */
#ifndef PAXSCREEN_RECORD_JSON_H
#define PAXSCREEN_RECORD_JSON_H

#include "paxscreen/arena.h"
#include "paxscreen/diag.h"
#include "paxscreen/hit.h"
#include "paxscreen/record.h"

void ps_json_string(ps_buf *b, const char *p, size_t len);              /* "..." escaped */
void ps_json_key(ps_buf *b, bool *first, const char *key);              /* ,"key": */
void ps_json_kv_str(ps_buf *b, bool *first, const char *key, ps_str v); /* skipped if empty */
void ps_json_kv_date(ps_buf *b, bool *first, const char *key,
                     const ps_date *d); /* skipped if none */
void ps_json_write_diag(ps_buf *b, const ps_diag *d);
void ps_json_write_document(ps_buf *b, const ps_document *d);
void ps_json_write_traveller(ps_buf *b, const ps_traveller *t);
void ps_json_write_leg(ps_buf *b, const ps_flight_leg *l);
/* One hit as one JSON object (no newline): hit_id (stable: a hash of batch, traveller, list,
 * entry, kind and document), traveller_id, batch_id, list, entry_id, entry_version, kind,
 * score, action, explanation, and the traveller's name, birth date and nationality. */
void ps_json_write_hit(ps_buf *b, const ps_hit *h, ps_str batch_id);

#endif
