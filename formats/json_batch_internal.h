/* formats/json_batch_internal.h — inside formats/: what the JSON batch reader's three files
 * share: json_batch.c (shapes and entry points), json_traveller.c (one traveller, document or
 * flight object into records) and json_mrz.c (MRZs on a document or traveller). The parse
 * context, the helpers all three use, and the calls from one file into another.
 * Not a public header. */
#ifndef PAXSCREEN_FORMATS_JSON_BATCH_INTERNAL_H
#define PAXSCREEN_FORMATS_JSON_BATCH_INTERNAL_H

#include "paxscreen/json_batch.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The traveller (or flight) being read: where it came from and where its findings go. */
typedef struct ps_jb_ctx {
    ps_arena *arena;     /* records and their strings */
    ps_diag_list *diags; /* the caller's list: invalid_field and friends */
    const ps_date *ref;  /* reference date for MRZ two-digit years, or NULL for today */
    uint64_t offset;     /* byte offset of the object being read */
    char prefix[48];     /* put before every path: "travellers[3].", "line 12: " or "" */
    ps_diag_list tw;     /* warnings on the current traveller (t->warnings) */
} ps_jb_ctx;

/* The member key of obj, or NULL when it is absent or null (null means "not sent"). */
static inline json_t *ps_jb_member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return v && !json_is_null(v) ? v : NULL;
}

/* A JSON string copied into a (an empty string is PS_STR_NULL). */
static inline ps_str ps_jb_copy_string(ps_arena *a, const json_t *v)
{
    size_t n = json_string_length(v);
    if (n == 0)
        return PS_STR_NULL;
    return ps_arena_strdup(a, json_string_value(v), n);
}

/* "an object", "a string", ... for messages (json_traveller.c). */
const char *ps_jb_type_name(const json_t *v);

/* A warning (kind invalid_field unless told) about the value at path (relative to the context
 * prefix): what was expected and what came. The field is left out of the record.
 * (json_traveller.c) */
void ps_jb_bad_value(ps_jb_ctx *c, const char *kind, const char *path, const json_t *v,
                     const char *expected);

/* One Traveller object into t, with its documents and MRZs; its warnings go to t->warnings
 * (c->tw), its bad fields to c->diags. (json_traveller.c) */
void ps_jb_read_traveller(ps_jb_ctx *c, json_t *o, ps_traveller *t);

/* The batch's "flight" object into l. (json_traveller.c) */
void ps_jb_read_flight(ps_jb_ctx *c, json_t *f, ps_flight_leg *l);

/* The "mrz" of document object o (documents[index]), if any: kept on doc, parsed, and used to
 * fill and check doc and t. (json_mrz.c) */
void ps_jb_read_document_mrz(ps_jb_ctx *c, ps_traveller *t, json_t *o, size_t index,
                             ps_document *doc);

/* A top-level "mrz" on the traveller: attached to the document with its number, or to a new
 * document filled from the zone. t->documents has room for one more document. (json_mrz.c) */
void ps_jb_read_top_mrz(ps_jb_ctx *c, ps_traveller *t, json_t *v);

#endif
