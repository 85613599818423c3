/* tests/fuzz/fuzz_watchlist.c — libFuzzer target for watchlist import lines: any bytes either
 * become an entry whose fields are consistent, or exactly one error that names a line. */
#include "paxscreen/watchlist.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_wl_entry e;
    bool ok = ps_wl_entry_parse((const char *)data, size, 1, &arena, &e, &diags);
    if (ok) {
        if (diags.count != 0 || !e.list.len || !e.id.len)
            abort();
        if (!e.deleted && !e.n_names && !e.n_documents && !e.n_name_patterns)
            abort();
        for (uint32_t i = 0; i < e.n_documents; i++)
            if (!e.documents[i].number.len && !e.documents[i].pattern.len)
                abort();
        for (uint32_t i = 0; i < e.n_birth_dates; i++)
            if (!ps_date_valid(&e.birth_dates[i]))
                abort();
    } else if (diags.count != 1 || diags.items[0].severity != PS_ERROR ||
               !diags.items[0].field.len) {
        abort();
    }
    ps_arena_free(&arena);
    return 0;
}
