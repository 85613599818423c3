/* engine/screen.c — screening one traveller: its documents (screen_documents.c), then its
 * names (screen_persons.c) and the name patterns (screen_name_patterns.c), against one
 * snapshot; and the list defaults every hit takes. */
#include "screen_internal.h"

#include <string.h>
#include <xxhash.h>

void ps_screen_list_defaults(ps_snapshot *snap, ps_str list, ps_hit *h)
{
    char name[64];
    size_t n = list.len < sizeof name - 1 ? list.len : sizeof name - 1;
    memcpy(name, list.ptr, n);
    name[n] = '\0';
    ps_list_info info;
    if (ps_snapshot_list(snap, name, &info) == PS_STORE_OK) {
        h->threshold = info.threshold;
        if (h->action == PS_ACTION_NONE)
            h->action = info.action;
    }
}

/* The entries a traveller's name already hit, so that a name pattern of the same entry does
 * not report it twice. */
typedef struct name_hits {
    ps_hit_fn fn;
    void *ctx;
    uint64_t entry[64]; /* hashes of list \0 id */
    uint32_t n;
} name_hits;

static uint64_t entry_key(const ps_hit *h)
{
    return XXH3_64bits_withSeed(h->entry_id.ptr, h->entry_id.len,
                                XXH3_64bits(h->list.ptr, h->list.len));
}

static void note_hit(void *ctx, const ps_hit *h)
{
    name_hits *nh = ctx;
    if (h->kind == PS_HIT_PERSON && nh->n < sizeof nh->entry / sizeof nh->entry[0])
        nh->entry[nh->n++] = entry_key(h);
    nh->fn(nh->ctx, h);
}

bool ps_screen_already_hit(const void *seen, const ps_hit *h)
{
    const name_hits *nh = seen;
    uint64_t k = entry_key(h);
    for (uint32_t i = 0; i < nh->n; i++)
        if (nh->entry[i] == k)
            return true;
    return false;
}

int ps_screen_traveller(ps_snapshot *snap, const ps_traveller *t, ps_arena *scratch, ps_hit_fn fn,
                        void *ctx, ps_screen_counts *counts)
{
    if (counts)
        counts->travellers++;
    int rc = ps_screen_documents(snap, t, scratch, fn, ctx, counts);
    name_hits seen = {fn, ctx, {0}, 0};
    if (rc == PS_STORE_OK)
        rc = ps_screen_persons(snap, t, scratch, note_hit, &seen, counts);
    if (rc == PS_STORE_OK)
        rc = ps_screen_name_patterns(snap, t, scratch, &seen, fn, ctx, counts);
    return rc;
}
