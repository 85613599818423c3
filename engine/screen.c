/* engine/screen.c — screening one traveller: its documents (screen_documents.c), then its
 * names (screen_persons.c) and the name patterns (screen_name_patterns.c), against one
 * snapshot; and the list defaults every hit takes. */
#include "screen_internal.h"

#include <string.h>

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

int ps_screen_traveller(ps_snapshot *snap, const ps_traveller *t, ps_arena *scratch, ps_hit_fn fn,
                        void *ctx, ps_screen_counts *counts)
{
    if (counts)
        counts->travellers++;
    int rc = ps_screen_documents(snap, t, scratch, fn, ctx, counts);
    if (rc == PS_STORE_OK)
        rc = ps_screen_persons(snap, t, scratch, fn, ctx, counts);
    if (rc == PS_STORE_OK)
        rc = ps_screen_name_patterns(snap, t, scratch, fn, ctx, counts);
    return rc;
}
