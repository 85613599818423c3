/* formats/paxlst.c — the PAXLST reader's driver: walks the EDIFACT events, maps each PAXLST
 * message (paxlst_map.c), reassembles multi-part messages by sender and common access
 * reference, checks CNT totals, assigns missing traveller ids and delivers logical messages.
 * Invariant: a part is either in the free list, in exactly one pending set, or being read;
 * its arena is reset when it goes back to the free list, so a warm reader does not malloc. */
#include "paxlst_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ps_paxlst_kind_name(ps_paxlst_kind k)
{
    switch (k) {
    case PS_PAXLST_PASSENGER_LIST:
        return "passenger_list";
    case PS_PAXLST_CREW_LIST:
        return "crew_list";
    case PS_PAXLST_FLIGHT_STATUS:
        return "flight_status";
    case PS_PAXLST_MASTER_CREW:
        return "master_crew_list";
    case PS_PAXLST_GATE_PASS:
        return "gate_pass";
    default:
        return "other";
    }
}

/* Parts of one multi-part message waiting for the rest, sorted by sequence number. */
typedef struct pending_set {
    ps_paxlst_part *parts;
    struct pending_set *next;
} pending_set;

typedef struct reader {
    ps_edi_reader edi;
    const ps_paxlst_callbacks *cb;
    ps_diag_list *diags;
    ps_paxlst_stats *stats;
    ps_paxlst_part *free_parts;
    pending_set *pending;
    ps_arena scratch; /* the merged message of a multi-part set */
} reader;

static ps_paxlst_part *take_part(reader *rd)
{
    ps_paxlst_part *p = rd->free_parts;
    if (p) {
        rd->free_parts = p->next;
    } else {
        p = calloc(1, sizeof *p);
        if (!p) {
            fputs("paxscreen: out of memory\n", stderr);
            abort();
        }
        ps_arena_init(&p->arena);
    }
    ps_arena arena = p->arena;
    ps_traveller *buf = p->traveller_buf;
    uint32_t cap = p->cap_travellers;
    memset(p, 0, sizeof *p);
    p->arena = arena;
    p->traveller_buf = buf;
    p->cap_travellers = cap;
    return p;
}

static void give_back(reader *rd, ps_paxlst_part *p)
{
    while (p) {
        ps_paxlst_part *next = p->next;
        ps_arena_reset(&p->arena);
        p->next = rd->free_parts;
        rd->free_parts = p;
        p = next;
    }
}

static uint32_t count_role(const ps_paxlst_message *m, bool crew)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->n_travellers; i++) {
        ps_role role = m->travellers[i].role;
        bool is_crew = role == PS_ROLE_CREW || role == PS_ROLE_TRANSIT_CREW;
        n += is_crew == crew;
    }
    return n;
}

/* CNT totals against what was read; ids for travellers without RFF+ABO; then the callback. */
static void deliver(reader *rd, ps_paxlst_message *m, const ps_paxlst_part *pax_cnt,
                    const ps_paxlst_part *crew_cnt, ps_arena *arena)
{
    if (m->total_passengers >= 0 && (uint32_t)m->total_passengers != count_role(m, false))
        ps_diag_add(rd->diags, PS_WARNING, "cnt_mismatch", pax_cnt->cnt_pax_segment,
                    pax_cnt->cnt_pax_offset, "CNT+42 says %d passengers, message '%s' holds %u",
                    m->total_passengers, m->message_ref, count_role(m, false));
    if (m->total_crew >= 0 && (uint32_t)m->total_crew != count_role(m, true))
        ps_diag_add(rd->diags, PS_WARNING, "cnt_mismatch", crew_cnt->cnt_crew_segment,
                    crew_cnt->cnt_crew_offset, "CNT+41 says %d crew, message '%s' holds %u",
                    m->total_crew, m->message_ref, count_role(m, true));
    const char *base = m->access_ref[0] ? m->access_ref : m->message_ref;
    for (uint32_t i = 0; i < m->n_travellers; i++) {
        ps_traveller *t = &m->travellers[i];
        if (t->id.len)
            continue;
        char id[64];
        int n = snprintf(id, sizeof id, "%s/%u", base, i + 1);
        t->id = ps_arena_strdup(arena, id, n > 0 ? (size_t)n : 0);
        t->id_assigned = true;
    }
    rd->stats->logical_messages++;
    rd->stats->incomplete += !m->complete;
    rd->stats->travellers += m->n_travellers;
    if (rd->cb && rd->cb->on_message)
        rd->cb->on_message(rd->cb->ctx, m);
}

/* Delivers a set of parts (sorted by sequence) as one message. */
static void deliver_set(reader *rd, ps_paxlst_part *parts, bool complete)
{
    ps_arena_reset(&rd->scratch);
    ps_paxlst_message m = parts->m; /* header and legs from the first part */
    uint32_t n = 0, count = 0;
    const ps_paxlst_part *pax_cnt = parts, *crew_cnt = parts;
    for (ps_paxlst_part *p = parts; p; p = p->next) {
        n += p->m.n_travellers;
        count++;
        complete = complete && p->terminated;
        if (p->m.total_passengers >= 0) { /* the last part that sent a total has the say */
            m.total_passengers = p->m.total_passengers;
            pax_cnt = p;
        }
        if (p->m.total_crew >= 0) {
            m.total_crew = p->m.total_crew;
            crew_cnt = p;
        }
        if (p->flag == 'F')
            m.parts_expected = p->seq;
    }
    m.travellers = n ? ps_arena_alloc(&rd->scratch, n * sizeof(ps_traveller)) : NULL;
    m.n_travellers = 0;
    for (ps_paxlst_part *p = parts; p; p = p->next) {
        if (p->m.n_travellers)
            memcpy(m.travellers + m.n_travellers, p->m.travellers,
                   p->m.n_travellers * sizeof(ps_traveller));
        m.n_travellers += p->m.n_travellers;
    }
    m.parts = (uint16_t)count;
    m.complete = complete;
    deliver(rd, &m, pax_cnt, crew_cnt, &rd->scratch);
    give_back(rd, parts);
}

static bool single_part(const ps_paxlst_part *p)
{
    return (p->seq == 0 && p->flag != 'C') || (p->seq == 1 && p->flag == 'F');
}

static bool same_set(const ps_paxlst_part *a, const ps_paxlst_part *b)
{
    return strcmp(a->m.access_ref, b->m.access_ref) == 0 && strcmp(a->m.sender, b->m.sender) == 0;
}

/* True when parts 1..n are all there and part n is final. */
static bool set_complete(const pending_set *s)
{
    uint16_t expect = 1;
    for (const ps_paxlst_part *p = s->parts; p; p = p->next, expect++) {
        if (p->seq != expect)
            return false;
        if (!p->next)
            return p->flag == 'F';
    }
    return false;
}

static void add_part(reader *rd, ps_paxlst_part *part)
{
    if (single_part(part)) {
        part->m.complete = part->terminated;
        part->m.parts_expected = 1;
        deliver(rd, &part->m, part, part, &part->arena);
        give_back(rd, part);
        return;
    }
    if (!part->m.access_ref[0]) {
        ps_diag_add(rd->diags, PS_WARNING, "multipart_without_reference", part->m.segment,
                    part->m.offset,
                    "message '%s' is part %u of several but has no common access reference "
                    "(UNH 0068) to join its parts by; delivered on its own as incomplete",
                    part->m.message_ref, part->seq);
        part->m.complete = false;
        deliver(rd, &part->m, part, part, &part->arena);
        give_back(rd, part);
        return;
    }
    pending_set **sp = &rd->pending;
    while (*sp && !same_set((*sp)->parts, part))
        sp = &(*sp)->next;
    pending_set *set = *sp;
    if (!set) {
        set = calloc(1, sizeof *set);
        if (!set) {
            fputs("paxscreen: out of memory\n", stderr);
            abort();
        }
        set->next = rd->pending;
        rd->pending = set;
    }
    ps_paxlst_part **pp = &set->parts;
    while (*pp && (*pp)->seq < part->seq)
        pp = &(*pp)->next;
    if (*pp && (*pp)->seq == part->seq) {
        ps_diag_add(rd->diags, PS_WARNING, "duplicate_part", part->m.segment, part->m.offset,
                    "part %u of message '%s' arrived twice; the second copy is ignored", part->seq,
                    part->m.access_ref);
        give_back(rd, part);
        return;
    }
    part->next = *pp;
    *pp = part;
    if (set_complete(set)) {
        for (pending_set **q = &rd->pending; *q; q = &(*q)->next)
            if (*q == set) {
                *q = set->next;
                break;
            }
        ps_paxlst_part *parts = set->parts;
        free(set);
        deliver_set(rd, parts, true);
    }
}

/* At end of input: every set still waiting is delivered as incomplete. */
static void flush_pending(reader *rd)
{
    while (rd->pending) {
        pending_set *set = rd->pending;
        rd->pending = set->next;
        char have[160];
        size_t o = 0;
        uint16_t final = 0;
        have[0] = '\0';
        for (ps_paxlst_part *p = set->parts; p; p = p->next) {
            if (o < sizeof have - 8)
                o += (size_t)snprintf(have + o, sizeof have - o, "%s%u", o ? "," : "", p->seq);
            if (p->flag == 'F')
                final = p->seq;
        }
        char expect[48];
        if (final)
            snprintf(expect, sizeof expect, "%u", final);
        else
            snprintf(expect, sizeof expect, "unknown (no final part 'F')");
        ps_diag_add(rd->diags, PS_WARNING, "multipart_incomplete", set->parts->m.segment,
                    set->parts->m.offset,
                    "multi-part message '%s' from '%s' is incomplete: parts %s read, %s expected",
                    set->parts->m.access_ref, set->parts->m.sender, have, expect);
        ps_paxlst_part *parts = set->parts;
        free(set);
        deliver_set(rd, parts, false);
    }
}

bool ps_paxlst_read(const char *data, size_t len, const ps_paxlst_callbacks *cb,
                    ps_diag_list *diags, ps_paxlst_stats *stats)
{
    ps_paxlst_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    reader rd = {.cb = cb, .diags = diags, .stats = stats};
    ps_arena_init(&rd.scratch);
    ps_edi_reader_init(&rd.edi, data, len, diags);
    bool any = false;
    for (;;) {
        ps_edi_event ev = ps_edi_next(&rd.edi);
        if (ev == PS_EDI_END)
            break;
        if (ev == PS_EDI_INTERCHANGE_BEGIN) {
            any = true;
        } else if (ev == PS_EDI_INTERCHANGE_END) {
            stats->interchanges++;
            stats->segments += rd.edi.ich.segments;
            if (cb && cb->on_interchange)
                cb->on_interchange(cb->ctx, &rd.edi.ich);
        } else if (ev == PS_EDI_MESSAGE_BEGIN) {
            stats->messages++;
            if (strcmp(rd.edi.msg.type, "PAXLST") != 0) {
                ps_diag *d = ps_diag_add(diags, PS_WARNING, "unsupported_message_type",
                                         rd.edi.msg.segment, rd.edi.msg.offset,
                                         "message '%s' is of type '%s', not PAXLST; skipped",
                                         rd.edi.msg.ref, rd.edi.msg.type);
                memcpy(d->tag, "UNH", 4);
                while ((ev = ps_edi_next(&rd.edi)) == PS_EDI_SEGMENT)
                    ;
                continue;
            }
            ps_paxlst_part *part = take_part(&rd);
            ps_paxlst_map_message(&rd.edi, part);
            add_part(&rd, part);
        }
        /* SEGMENT and MESSAGE_END only occur inside messages, consumed above. */
    }
    flush_pending(&rd);
    for (ps_paxlst_part *p = rd.free_parts, *next; p; p = next) {
        next = p->next;
        ps_arena_free(&p->arena);
        free(p->traveller_buf);
        free(p);
    }
    ps_arena_free(&rd.scratch);
    ps_edi_reader_free(&rd.edi);
    return any;
}
