/* paxscreen/mrz.h — ICAO Doc 9303 machine-readable zones (TD1 3x30, TD2 2x36, TD3 2x44).
 *
 * ps_mrz_parse reads the lines of one MRZ (separated by LF or CRLF, or given as one string of
 * the full length), splits them into fields and verifies every check digit (weights 7,3,1;
 * 0-9 as themselves, A-Z as 10-35, '<' as 0). A failed check digit is a warning of kind
 * "mrz_check_digit" whose field names the zone field ("document_number", "birth_date",
 * "expiry", "optional", "composite"); the fields are still returned. Text that is not an MRZ at
 * all (wrong line count or length, characters outside A-Z 0-9 '<') is an error of kind
 * "mrz_invalid" and the function returns false. */
#ifndef PAXSCREEN_MRZ_H
#define PAXSCREEN_MRZ_H

#include "paxscreen/diag.h"
#include "paxscreen/record.h"

typedef enum ps_mrz_format { PS_MRZ_TD1 = 1, PS_MRZ_TD2 = 2, PS_MRZ_TD3 = 3 } ps_mrz_format;

typedef struct ps_mrz {
    ps_mrz_format format;
    char doc_code[3];     /* "P", "PO", "I", "ID", "V" ... fillers removed */
    char issuer[4];       /* "UTO", "D" */
    char surname[45];     /* primary identifier, '<' between name parts turned into spaces */
    char given_names[45]; /* secondary identifier, likewise */
    char number[32];      /* document number, fillers removed (long-number overflow joined) */
    char nationality[4];
    ps_date birth_date;    /* two-digit year: ps_year_birth against the reference date */
    char sex;              /* 'M', 'F', 'X' ('<' in the zone) */
    ps_date expiry;        /* two-digit year: ps_year_near the reference date */
    char optional[32];     /* optional data / personal number, fillers removed */
    bool checks_ok;        /* every check digit verified */
    uint8_t checks_failed; /* how many check digits failed */
} ps_mrz;

/* ref is the reference date for two-digit years (flight date); NULL means today. */
bool ps_mrz_parse(const char *text, size_t len, const ps_date *ref, ps_mrz *out,
                  ps_diag_list *diags);

/* The 9303 check digit of a field (characters outside 0-9 A-Z '<' make it -1). */
int ps_mrz_check_digit(const char *p, size_t len);

#endif
