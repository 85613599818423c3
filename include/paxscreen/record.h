/* paxscreen/record.h — the record types every module meets in: traveller, document, flight.
 *
 * formats/ produces these from PAXLST or JSON; engine/ screens them. Strings are ps_str
 * (UTF-8, as sent: no upper-casing or trimming inside data); they point into the input or an
 * arena owned by whoever produced the record. Field names follow interfaces.md. */
#ifndef PAXSCREEN_RECORD_H
#define PAXSCREEN_RECORD_H

#include "paxscreen/arena.h"
#include "paxscreen/diag.h"

typedef enum ps_date_precision {
    PS_DATE_NONE = 0,   /* absent or unreadable */
    PS_DATE_YEAR = 1,   /* YYYY */
    PS_DATE_MONTH = 2,  /* YYYY-MM */
    PS_DATE_DAY = 3,    /* YYYY-MM-DD */
    PS_DATE_MINUTE = 4, /* YYYY-MM-DDTHH:MM */
} ps_date_precision;

typedef struct ps_date {
    int16_t year;
    uint8_t month, day, hour, minute;
    uint8_t precision; /* ps_date_precision */
} ps_date;

/* Formats as YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM; returns the length (0 if none).
 * out must hold 17 bytes. */
size_t ps_date_format(const ps_date *d, char out[17]);
/* Parses the same forms; false when text is not one of them or names an impossible date. */
bool ps_date_parse_iso(const char *p, size_t len, ps_date *out);
bool ps_date_valid(const ps_date *d);
/* Orders two dates by their common precision: <0, 0, >0. */
int ps_date_cmp(const ps_date *a, const ps_date *b);

/* Two-digit years. Each returns a four-digit year ending in yy (0..99):
 * ps_year_birth: the latest such year whose date (yy-mm-dd) is not after ref — a person is
 *   never born after the reference (flight or transmission) date.
 * ps_year_near: the year closest to ref's year (ties go forward).
 * A NULL ref, or one without a year, means today's date (UTC). */
int ps_year_birth(int yy, int mm, int dd, const ps_date *ref);
int ps_year_near(int yy, const ps_date *ref);

typedef enum ps_role {
    PS_ROLE_UNKNOWN = 0,
    PS_ROLE_PASSENGER,
    PS_ROLE_CREW,
    PS_ROLE_TRANSIT_PASSENGER,
    PS_ROLE_TRANSIT_CREW,
} ps_role;

const char *ps_role_name(ps_role r); /* "passenger", ... ; "unknown" */
ps_role ps_role_from_name(const char *p, size_t len);

typedef struct ps_document {
    ps_str type; /* DOC 1001: P, V, I, A, C, AC, IP, F, M, T, L, IN, IS ... */
    ps_str number;
    ps_str issuer;      /* country code as sent (LOC+91) */
    ps_str issue_place; /* LOC+91 free text, when sent as text */
    ps_date expiry;     /* DTM+36 */
    ps_date issued;     /* DTM+182 */
    ps_str mrz;         /* machine-readable zone lines as sent (JSON input only) */
} ps_document;

typedef struct ps_traveller {
    ps_str id;        /* RFF+ABO, or assigned */
    bool id_assigned; /* true when the reader made the id up */
    ps_role role;
    ps_str surname;
    ps_str given_names; /* every given name, joined by single spaces when sent in components */
    ps_date birth_date;
    char gender; /* 'M', 'F', 'X', 'U', or 0 when not sent */
    ps_str nationality;
    ps_str residence;   /* LOC+174 */
    ps_str birth_place; /* LOC+180 */
    ps_document *documents;
    uint32_t n_documents;
    ps_str pnr;           /* RFF+AVF */
    ps_str seat;          /* RFF+SEA */
    ps_str embarkation;   /* LOC+178 */
    ps_str debarkation;   /* LOC+179 */
    ps_str clearance;     /* LOC+22 */
    ps_str agency_ref;    /* RFF+AEA (redress number) */
    ps_str customer_ref;  /* RFF+CR (known traveller number) */
    ps_str ticket;        /* RFF+YZY */
    ps_str crew_function; /* EMP: CR1..CR5 */
    ps_str address;       /* NAD street, city, region, postcode, country joined by ", " */
    ps_str phone;         /* COM ...:TE */
    ps_str email;         /* COM ...:EM */
    int8_t verified;      /* GEI+4: 1 = 173 verified, 0 = 174 not verified, -1 = not sent */
    int32_t bags;         /* MEA+CT count, -1 if not sent */
    ps_str bag_tags;      /* FTX+BAG text as sent */
    uint32_t segment;     /* segment number of its NAD (PAXLST) or 0 */
    uint64_t offset;      /* byte offset of its NAD or JSON object */
    ps_diag *warnings;    /* findings about this traveller (e.g. failed MRZ check digits) */
    uint32_t n_warnings;
} ps_traveller;

void ps_traveller_init(ps_traveller *t);

typedef struct ps_flight_leg {
    ps_str carrier;    /* TDT 3127 / JSON carrier */
    ps_str number;     /* flight number without the carrier prefix ("877") */
    ps_str conveyance; /* TDT 8028 as sent ("XZ877") */
    ps_str departure_airport;
    ps_date departure_time;
    ps_str arrival_airport;
    ps_date arrival_time;
    ps_str final_destination; /* LOC+130 */
} ps_flight_leg;

#endif
