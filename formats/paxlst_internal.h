/* formats/paxlst_internal.h — inside formats/: one PAXLST message part as read from its
 * UNH..UNT (paxlst_map.c), before multi-part reassembly (paxlst.c). Not a public header. */
#ifndef PAXSCREEN_FORMATS_PAXLST_INTERNAL_H
#define PAXSCREEN_FORMATS_PAXLST_INTERNAL_H

#include "paxscreen/paxlst.h"

typedef struct ps_paxlst_part ps_paxlst_part;

struct ps_paxlst_part {
    ps_arena arena;              /* everything this part allocated */
    ps_paxlst_message m;         /* header, legs and this part's travellers */
    ps_traveller *traveller_buf; /* malloc'd, kept when the part is recycled; m.travellers */
    uint32_t cap_travellers, cap_legs;
    uint16_t seq;             /* S010 sequence (0 = none) */
    char flag;                /* S010 'C', 'F' or 0 */
    bool terminated;          /* ended by UNT */
    uint32_t cnt_pax_segment; /* where CNT+42 and CNT+41 were, for warnings */
    uint64_t cnt_pax_offset;
    uint32_t cnt_crew_segment;
    uint64_t cnt_crew_offset;
    ps_paxlst_part *next; /* next part of the same set, or next free part */
};

/* Reads one message (r->msg has its UNH) into part, consuming events up to and including
 * MESSAGE_END. Returns the number of data segments read. */
uint32_t ps_paxlst_map_message(ps_edi_reader *r, ps_paxlst_part *part);

#endif
