/* engine/screen_documents.c — document screening: each travel document number of a
 * traveller is looked up by its canonical key (number and issuer agree: score 1.0; one side
 * names no issuer: 0.95) and, only when that finds nothing, by its confusable-folded key
 * (0.85); and it is run against the lists' document patterns (a stolen series: 0.95).
 * Two issuers that are both known and differ are not a hit: the same number from another
 * state is another document. One hit per entry and traveller document. */
#include "paxscreen/normalize.h"
#include "screen_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_REFS 64 /* index records used per lookup; more are counted, not used */

typedef struct ref_list {
    ps_doc_ref refs[MAX_REFS];
    uint32_t n;
    uint32_t dropped;
} ref_list;

static void collect(void *ctx, const ps_doc_ref *ref)
{
    ref_list *l = ctx;
    if (l->n < MAX_REFS)
        l->refs[l->n++] = *ref;
    else
        l->dropped++;
}

/* The match a reference makes with a traveller document issued by issuer (alpha-3 or NULL). */
static bool judge(const ps_doc_ref *ref, const char *issuer, bool confusable, ps_doc_match *m,
                  double *score)
{
    bool both = ref->issuer[0] && issuer;
    if (both && strcmp(ref->issuer, issuer) != 0)
        return false;
    if (confusable) {
        *m = PS_DOC_CONFUSABLE;
        *score = 0.85;
    } else if (both) {
        *m = PS_DOC_NUMBER_AND_ISSUER;
        *score = 1.0;
    } else {
        *m = PS_DOC_NUMBER;
        *score = 0.95;
    }
    return true;
}

static int report(ps_snapshot *snap, const ps_traveller *t, uint32_t doc_index,
                  const ps_doc_ref *ref, ps_doc_match match, double score, ps_arena *scratch,
                  ps_hit_fn fn, void *ctx)
{
    ps_wl_entry e;
    uint64_t version = 0;
    int rc = ps_snapshot_entry(snap, ref->entry, scratch, &e, &version);
    if (rc != PS_STORE_OK)
        return rc;
    if (ref->document >= e.n_documents)
        return PS_STORE_INVALID;
    const ps_wl_document *ed = &e.documents[ref->document];
    ps_hit h = {0};
    h.kind = PS_HIT_DOCUMENT;
    h.list = e.list;
    h.entry_id = e.id;
    h.entry_version = version;
    h.action = e.action;
    h.score = score;
    h.traveller = t;
    ps_screen_list_defaults(snap, e.list, &h);
    const ps_document *td = &t->documents[doc_index];
    h.document.traveller_document = doc_index;
    h.document.match = match;
    h.document.traveller_number = td->number;
    h.document.traveller_issuer = td->issuer;
    h.document.entry_number = match == PS_DOC_PATTERN ? ed->pattern : ed->number;
    h.document.entry_issuer = ed->issuer;
    h.document.entry_type = ed->type;
    h.document.entry_status = ed->status;
    fn(ctx, &h);
    return PS_STORE_OK;
}

/* Reports every acceptable entry of refs (one hit per entry for the document); *found counts
 * them. */
static int report_all(ps_snapshot *snap, const ps_traveller *t, uint32_t doc_index,
                      const ref_list *refs, bool confusable, bool pattern, const char *issuer,
                      ps_arena *scratch, ps_hit_fn fn, void *ctx, uint32_t *found)
{
    uint64_t reported[MAX_REFS];
    *found = 0;
    for (uint32_t r = 0; r < refs->n; r++) {
        ps_doc_match m;
        double score;
        if (!judge(&refs->refs[r], issuer, confusable, &m, &score))
            continue;
        if (pattern) {
            m = PS_DOC_PATTERN;
            score = 0.95;
        }
        bool seen = false;
        for (uint32_t q = 0; q < *found && !seen; q++)
            seen = reported[q] == refs->refs[r].entry;
        if (seen)
            continue;
        reported[(*found)++] = refs->refs[r].entry;
        int rc = report(snap, t, doc_index, &refs->refs[r], m, score, scratch, fn, ctx);
        if (rc != PS_STORE_OK)
            return rc;
    }
    return PS_STORE_OK;
}

/* The records of a document's two keys, apart. */
typedef struct both_lists {
    ref_list by_number, by_confusable;
} both_lists;

static void collect_both(void *ctx, const ps_doc_ref *ref, bool confusable)
{
    both_lists *b = ctx;
    collect(confusable ? &b->by_confusable : &b->by_number, ref);
}

int ps_screen_documents(ps_snapshot *snap, const ps_traveller *t, ps_arena *scratch, ps_hit_fn fn,
                        void *ctx, ps_screen_counts *counts)
{
    for (uint32_t i = 0; i < t->n_documents; i++) {
        const ps_document *d = &t->documents[i];
        if (!d->number.len || d->number.len > 64)
            continue;
        char key[65], cf_key[65];
        size_t klen = ps_docnum_canonical(d->number.ptr, d->number.len, key);
        if (!klen)
            continue;
        size_t cf_len = ps_docnum_confusable(d->number.ptr, d->number.len, cf_key);
        const char *issuer = ps_country_alpha3(d->issuer.ptr, d->issuer.len);
        if (counts)
            counts->documents++;
        /* both keys read together; the confusable one's records count only when the number
         * itself found nothing */
        both_lists *b = ps_arena_alloc(scratch, sizeof *b);
        ref_list *patterns = ps_arena_alloc(scratch, sizeof *patterns);
        b->by_number.n = b->by_number.dropped = b->by_confusable.n = b->by_confusable.dropped = 0;
        patterns->n = patterns->dropped = 0;
        int rc = ps_snapshot_docs_both(snap, key, klen, cf_key, cf_len, collect_both, b);
        if (rc == PS_STORE_OK)
            rc = ps_snapshot_doc_patterns(snap, key, klen, collect, patterns);
        uint32_t found = 0, by_pattern = 0;
        if (rc == PS_STORE_OK)
            rc = report_all(snap, t, i, &b->by_number, false, false, issuer, scratch, fn, ctx,
                            &found);
        if (rc == PS_STORE_OK)
            rc = report_all(snap, t, i, patterns, false, true, issuer, scratch, fn, ctx,
                            &by_pattern);
        if (rc == PS_STORE_OK && !found)
            rc = report_all(snap, t, i, &b->by_confusable, true, false, issuer, scratch, fn, ctx,
                            &found);
        if (rc != PS_STORE_OK)
            return rc;
        if (counts)
            counts->hits += found + by_pattern;
    }
    return PS_STORE_OK;
}
