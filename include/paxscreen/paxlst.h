/* paxscreen/paxlst.h — UN/EDIFACT PAXLST messages into flights and traveller records.
 *
 * ps_paxlst_read walks an input (any number of interchanges, see edifact.h) and calls
 * on_message once per logical message: a single-part message at its UNT, a multi-part
 * message (UNH 0068 common access reference + S010 "01:C" .. "nn:F") once all of its parts
 * have been read — in any order, in one interchange or several — with its travellers in part
 * order. A set still missing parts at the end of the input is delivered with complete = false
 * and a "multipart_incomplete" warning: it is never passed off as whole.
 * Every finding (envelope, segment, field) goes to the one diag list, naming segment number
 * and byte offset. The message and everything it points to is valid only during the callback:
 * strings point into the input or into arenas recycled after the callback returns. */
#ifndef PAXSCREEN_PAXLST_H
#define PAXSCREEN_PAXLST_H

#include "paxscreen/diag.h"
#include "paxscreen/edifact.h"
#include "paxscreen/record.h"

typedef enum ps_paxlst_kind {
    PS_PAXLST_OTHER = 0,
    PS_PAXLST_PASSENGER_LIST, /* BGM 745 */
    PS_PAXLST_CREW_LIST,      /* BGM 250 */
    PS_PAXLST_FLIGHT_STATUS,  /* BGM 266 (CL, CLOB, CLNB, XF, CF) */
    PS_PAXLST_MASTER_CREW,    /* BGM 336 */
    PS_PAXLST_GATE_PASS,      /* BGM 655 */
} ps_paxlst_kind;

const char *ps_paxlst_kind_name(ps_paxlst_kind k); /* "passenger_list", ... "other" */

typedef struct ps_paxlst_message {
    /* envelope */
    uint32_t interchange; /* 0-based index of the interchange of its first part */
    char sender[36], recipient[36];
    char control_ref[36];    /* UNB 0020 */
    char message_ref[36];    /* UNH 0062 of the first part */
    char type[7];            /* "PAXLST" */
    char directory[8];       /* "D:05B" */
    char access_ref[36];     /* UNH 0068 */
    uint32_t segment;        /* UNH segment number of the first part */
    uint64_t offset;         /* UNH byte offset of the first part */
    uint16_t parts;          /* parts read */
    uint16_t parts_expected; /* from the final part's sequence number; 0 if unknown */
    bool complete;           /* all parts present and every part ended with UNT */
    /* BGM */
    ps_paxlst_kind kind;
    ps_str document_code;     /* 1001: "745" */
    ps_str document_function; /* 1004: "CP", "CLOB", ... */
    /* header */
    ps_str transaction_ref; /* RFF+TN */
    ps_str reporting_party; /* NAD+MS name (surname and given joined) or party id */
    ps_str reporting_phone, reporting_fax, reporting_email;
    ps_flight_leg *legs;
    uint32_t n_legs;
    /* people */
    ps_traveller *travellers;
    uint32_t n_travellers;
    int32_t total_passengers; /* CNT+42, -1 if not sent */
    int32_t total_crew;       /* CNT+41, -1 if not sent */
} ps_paxlst_message;

typedef struct ps_paxlst_callbacks {
    void (*on_message)(void *ctx, const ps_paxlst_message *m);
    /* Optional: at the end of each interchange (r->ich has its header and counts). */
    void (*on_interchange)(void *ctx, const ps_edi_interchange *ich);
    void *ctx;
} ps_paxlst_callbacks;

typedef struct ps_paxlst_stats {
    uint32_t interchanges;
    uint32_t messages;         /* UNH..UNT messages (parts), of any type */
    uint32_t logical_messages; /* delivered to on_message */
    uint32_t incomplete;       /* delivered with complete = false */
    uint64_t segments;
    uint64_t travellers;
} ps_paxlst_stats;

/* Reads all of data. Returns false when the input holds no interchange at all (an error diag
 * says why); true otherwise, even with errors in some messages (check the diags). */
bool ps_paxlst_read(const char *data, size_t len, const ps_paxlst_callbacks *cb,
                    ps_diag_list *diags, ps_paxlst_stats *stats);

/* Appends m as one JSON object (the shape `paxscreen parse` prints per message). */
void ps_paxlst_message_json(ps_buf *b, const ps_paxlst_message *m);

#endif
