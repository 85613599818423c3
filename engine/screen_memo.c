/* engine/screen_memo.c — what screening remembers per snapshot: for a token, the keys and
 * alternatives planning found for it (screen_persons.c), which depend only on the token and
 * the lists, so a token met again (travellers share names) is planned without reading the
 * store. A direct-mapped table of MEMO_SLOTS blobs keyed by a 64-bit hash of the token; a
 * slot's blob is replaced when another token maps there, so memory stays bounded (each blob
 * at most PS_MEMO_MAX_BLOB bytes). It also keeps a table screening reuses from one traveller
 * to the next instead of clearing a new one each time. */
#include "screen_internal.h"

#include <stdlib.h>
#include <string.h>

#define MEMO_SLOTS 8192 /* a power of two */

typedef struct memo_slot {
    uint64_t hash; /* 0: empty */
    unsigned char *blob;
    uint32_t len;
} memo_slot;

struct ps_screen_memo {
    memo_slot slots[MEMO_SLOTS];
    uint32_t *table; /* ps_screen_memo_table */
    size_t table_n;
};

static void memo_free(void *p)
{
    ps_screen_memo *m = p;
    for (size_t i = 0; i < MEMO_SLOTS; i++)
        free(m->slots[i].blob);
    free(m->table);
    free(m);
}

ps_screen_memo *ps_screen_memo_of(ps_snapshot *snap)
{
    ps_screen_memo *m = ps_snapshot_memo(snap);
    if (m)
        return m;
    m = calloc(1, sizeof *m);
    if (m)
        ps_snapshot_set_memo(snap, m, memo_free);
    return m;
}

const unsigned char *ps_screen_memo_find(const ps_screen_memo *m, uint64_t hash, size_t *len)
{
    hash |= 1;
    const memo_slot *s = &m->slots[hash & (MEMO_SLOTS - 1)];
    if (s->hash != hash)
        return NULL;
    *len = s->len;
    return s->blob;
}

void ps_screen_memo_give(ps_screen_memo *m, uint64_t hash, void *blob, size_t len)
{
    if (len > PS_MEMO_MAX_BLOB) {
        free(blob);
        return;
    }
    hash |= 1;
    memo_slot *s = &m->slots[hash & (MEMO_SLOTS - 1)];
    free(s->blob);
    s->blob = blob;
    s->len = (uint32_t)len;
    s->hash = hash;
}

uint32_t *ps_screen_memo_table(ps_screen_memo *m, size_t n)
{
    if (m->table_n < n) {
        uint32_t *t = calloc(n, sizeof *t);
        if (!t)
            return NULL;
        free(m->table);
        m->table = t;
        m->table_n = n;
    }
    return m->table;
}
