/* paxscreen/cusres.h — the interactive API answer: a CUSRES response to a PAXLST message,
 * one board / no-board verdict per traveller (paxlst.md §4), written as EDIFACT bytes into a
 * ps_buf through the segment writer (paxscreen/edifact_writer.h).
 *
 * Pure: the writer reads no clock and keeps no state between calls; the caller passes the
 * interchange and message references and the time to stamp, so the same inputs always give
 * the same bytes. Every data value is written in the request's character set (UNOA, UNOB,
 * UNOC..UNOL, UNOW/UNOY — see ps_edi_interchange.charset) with every service character
 * inside it preceded by the release character. A character the set cannot carry is
 * written as '?' (released), upper-cased for UNOA letters, and counted in the stats. */
#ifndef PAXSCREEN_CUSRES_H
#define PAXSCREEN_CUSRES_H

#include "paxscreen/edifact_writer.h"
#include "paxscreen/paxlst.h"

/* ---- CUSRES ---- */

/* ERC 9321 board codes of IATA/WCO iAPI, paxlst.md §4. */
typedef enum ps_cusres_status {
    PS_CUSRES_OK_TO_BOARD = 0,       /* 0Z */
    PS_CUSRES_DO_NOT_BOARD = 1,      /* 1Z */
    PS_CUSRES_CONTACT = 2,           /* 2Z: contact the authorities (advisory) */
    PS_CUSRES_INSUFFICIENT_DATA = 3, /* 4Z */
} ps_cusres_status;

const char *ps_cusres_status_code(ps_cusres_status s); /* "0Z", ...; NULL if not a status */
const char *ps_cusres_status_text(ps_cusres_status s); /* default FTX text: "OK TO BOARD" ... */

typedef struct ps_cusres_verdict {
    ps_cusres_status status;
    ps_str text; /* FTX+AAP free text (UTF-8, at most 512 bytes); empty = the default text */
} ps_cusres_verdict;

typedef struct ps_cusres_params {
    const char *control_ref; /* our UNB/UNZ 0020: 1..14 characters, required */
    const char *message_ref; /* our UNH/UNT 0062: 1..14 characters, required */
    ps_date now;             /* UNB date and time (minute precision), required */
} ps_cusres_params;

typedef struct ps_cusres_stats {
    uint32_t segments;    /* UNH..UNT, as written in UNT */
    uint32_t substituted; /* characters the request's character set could not carry */
} ps_cusres_stats;

/* Appends one interchange (UNA, UNB, UNH, BGM+962, RFF+TN, the flight as RFF+AF / DTM+189 /
 * DTM+232 / LOC+125 / LOC+87, per traveller ERP+2 / RFF+AVF / RFF+ABO / ERC / FTX+AAP, UNT,
 * UNZ) answering message m, read from the interchange request (its UNB: sender and recipient
 * are swapped, syntax identifier and service characters kept). verdicts[i] is traveller i's;
 * n_verdicts must equal m->n_travellers. A traveller whose id the reader assigned (no RFF+ABO
 * was sent) is named by its 1-based position in ERP C701 (message item identifier) instead.
 * A message without travellers gets one header-level ERP+1 / ERC+0 (accepted).
 * Returns 0, or PS_EDI_WRITE_INVALID with a message in err (out is then left as it was). */
int ps_cusres_write(ps_buf *out, const ps_edi_interchange *request, const ps_paxlst_message *m,
                    const ps_cusres_verdict *verdicts, uint32_t n_verdicts,
                    const ps_cusres_params *params, ps_cusres_stats *stats, char *err,
                    size_t errlen);

/* Finds the header of interchange number index (0-based, ps_paxlst_message.interchange) in
 * data, as the EDIFACT reader reads it. The PAXLST reader hands out messages before their
 * interchange has ended, so this is how a caller gets the UNB a CUSRES answers. Returns
 * false when data holds no such interchange. */
bool ps_cusres_find_interchange(const char *data, size_t len, uint32_t index,
                                ps_edi_interchange *out);

#endif
