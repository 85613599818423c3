/* engine/screen_name_patterns.c — the entries' name patterns (Hyperscan, store_patterns.c)
 * against a traveller's normalized name: surname tokens then given-name tokens, one space
 * between, each reading of the name in turn (MUELLER HANS and MULLER HANS). A pattern is an
 * analyst's deliberate "anyone named so": its hit scores 1.0 whatever the other evidence, once
 * per entry — not when the entry's listed name hit the traveller already — and names the
 * pattern in its explanation. */
#include "name_keys.h"
#include "screen_internal.h"

#include <string.h>

#define MAX_MATCHES 64

typedef struct matches {
    ps_doc_ref ref[MAX_MATCHES];
    uint8_t form[MAX_MATCHES]; /* the reading that matched */
    uint8_t scanning;          /* the reading being scanned */
    uint32_t n;
} matches;

static void on_pattern(void *ctx, const ps_doc_ref *ref)
{
    matches *m = ctx;
    for (uint32_t i = 0; i < m->n; i++)
        if (m->ref[i].entry == ref->entry && m->ref[i].document == ref->document)
            return; /* the other reading matched it too */
    if (m->n < MAX_MATCHES) {
        m->form[m->n] = m->scanning;
        m->ref[m->n++] = *ref;
    }
}

/* A form's tokens joined by single spaces into out; returns the length. */
static size_t join_form(const ps_nf_form *f, char *out, size_t cap)
{
    size_t o = 0;
    for (uint8_t i = 0; i < f->n; i++) {
        if (o + f->tok[i].len + 1 >= cap)
            break;
        if (o)
            out[o++] = ' ';
        memcpy(out + o, f->tok[i].p, f->tok[i].len);
        o += f->tok[i].len;
    }
    out[o] = '\0';
    return o;
}

int ps_screen_name_patterns(ps_snapshot *snap, const ps_traveller *t, ps_arena *scratch,
                            const void *seen, ps_hit_fn fn, void *ctx, ps_screen_counts *counts)
{
    if ((!t->surname.len && !t->given_names.len) || !ps_snapshot_has_name_patterns(snap))
        return PS_STORE_OK;
    ps_nf_name name;
    char text[1024];
    ps_nf_from_parts(t->surname, t->given_names, PS_STR_NULL, &name, text, sizeof text);
    matches m = {.n = 0};
    char joined[2][160];
    for (uint8_t f = 0; f < name.n_forms; f++) {
        size_t len = join_form(&name.form[f], joined[f], sizeof joined[f]);
        m.scanning = f;
        int rc = ps_snapshot_name_patterns(snap, joined[f], len, on_pattern, &m);
        if (rc != PS_STORE_OK)
            return rc;
    }
    for (uint32_t i = 0; i < m.n; i++) {
        ps_wl_entry e;
        uint64_t version = 0;
        int rc = ps_snapshot_entry(snap, m.ref[i].entry, scratch, &e, &version);
        if (rc != PS_STORE_OK)
            return rc;
        if (m.ref[i].document >= e.n_name_patterns)
            continue;
        ps_hit h = {0};
        h.kind = PS_HIT_PERSON;
        h.list = e.list;
        h.entry_id = e.id;
        h.entry_version = version;
        h.action = e.action;
        h.score = 1.0;
        h.threshold = 0.85;
        h.traveller = t;
        h.person.name_pattern = e.name_patterns[m.ref[i].document];
        h.person.name_score = 1.0;
        memcpy(h.person.traveller_name, joined[m.form[i]], sizeof h.person.traveller_name);
        ps_screen_list_defaults(snap, e.list, &h);
        if (ps_screen_already_hit(seen, &h))
            continue; /* the entry's listed name found the traveller already */
        fn(ctx, &h);
        if (counts)
            counts->hits++;
    }
    return PS_STORE_OK;
}
