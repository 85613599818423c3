/* paxscreen/contrl.h — the syntax acknowledgement of one received interchange: a CONTRL
 * message (ISO 9735 part 4) accepting it (UCI action 7) or rejecting it (UCI action 4) with
 * an error code (0085) and the service segment it is about (0013), written as EDIFACT bytes
 * into a ps_buf. Also the mapping from the EDIFACT reader's diagnostics to those codes.
 *
 * Pure like the segment writer it uses (edifact_writer.h): the caller passes
 * our control and message references and the time to stamp. The CONTRL interchange goes back
 * to the sender (UNB sender and recipient swapped), in the received interchange's syntax
 * identifier and service characters; its UCI names the received interchange as it was sent:
 * control reference, sender, recipient (not swapped: they identify the subject interchange). */
#ifndef PAXSCREEN_CONTRL_H
#define PAXSCREEN_CONTRL_H

#include "paxscreen/edifact_writer.h"

/* 0083 action codes used here. */
typedef enum ps_contrl_action {
    PS_CONTRL_REJECTED = 4, /* this level and all lower levels rejected */
    PS_CONTRL_ACCEPTED = 7, /* this level acknowledged, lower levels unless reported */
} ps_contrl_action;

/* 0085 syntax error codes (syntax version 4 code list). */
typedef enum ps_contrl_error {
    PS_CONTRL_NO_ERROR = 0,
    PS_CONTRL_SYNTAX_VERSION = 2,       /* syntax version or level not supported */
    PS_CONTRL_NOT_RECIPIENT = 7,        /* interchange recipient not actual recipient */
    PS_CONTRL_INVALID_VALUE = 12,       /* invalid value */
    PS_CONTRL_MISSING = 13,             /* missing */
    PS_CONTRL_VALUE_NOT_SUPPORTED = 14, /* value not supported in this position */
    PS_CONTRL_NOT_SUPPORTED = 15,       /* not supported in this position */
    PS_CONTRL_TOO_MANY_CONSTITUENTS = 16,
    PS_CONTRL_NO_AGREEMENT = 17,
    PS_CONTRL_UNSPECIFIED = 18,           /* unspecified error */
    PS_CONTRL_INVALID_SERVICE_CHAR = 20,  /* character invalid as service character */
    PS_CONTRL_INVALID_CHARACTERS = 21,    /* invalid character(s) */
    PS_CONTRL_INVALID_SERVICE_CHARS = 22, /* invalid service character(s) */
    PS_CONTRL_UNKNOWN_SENDER = 23,        /* unknown interchange sender */
    PS_CONTRL_TOO_OLD = 24,               /* too old */
    PS_CONTRL_TEST_NOT_SUPPORTED = 25,    /* test indicator not supported */
    PS_CONTRL_DUPLICATE = 26,             /* duplicate detected */
    PS_CONTRL_REFERENCES_DIFFER = 28,     /* references do not match */
    PS_CONTRL_COUNT_MISMATCH = 29,        /* control count does not match instances received */
    PS_CONTRL_GROUPS_AND_MESSAGES = 30,   /* groups and messages/packages mixed */
    PS_CONTRL_LOWER_LEVEL_EMPTY = 32,     /* lower level empty */
    PS_CONTRL_OUTSIDE_MESSAGE = 33,       /* invalid occurrence outside message, group */
    PS_CONTRL_TOO_LONG = 39,              /* data element too long */
    PS_CONTRL_CHARSET_NOT_SUPPORTED = 46, /* character set not supported */
} ps_contrl_error;

/* Why an interchange is rejected: the error code and the service segment it concerns
 * ("UNA", "UNB", "UNZ", "UNH", "UNT", "UNG", "UNE", or "" when no service segment). */
typedef struct ps_contrl_reason {
    ps_contrl_error error;
    char segment[4];
} ps_contrl_reason;

/* The code for one reader diag (kinds of edifact.h / README), UNSPECIFIED when none fits. */
ps_contrl_reason ps_contrl_reason_for(const ps_diag *d);
/* The reason to reject an interchange for: the first error among diags, else the first
 * warning; false when there is neither. */
bool ps_contrl_reason_from(const ps_diag *diags, uint32_t n, ps_contrl_reason *out);

typedef struct ps_contrl_params {
    const char *control_ref; /* our UNB/UNZ 0020: 1..14 characters, required */
    const char *message_ref; /* our UNH/UNT 0062: 1..14 characters, required */
    ps_date now;             /* UNB date and time (minute precision), required */
    ps_contrl_action action;
    ps_contrl_reason reason; /* with PS_CONTRL_REJECTED: error required; ignored otherwise */
} ps_contrl_params;

/* Appends one interchange UNA, UNB, UNH (CONTRL:D:3:UN, or CONTRL:4:1:UN when the received
 * interchange used syntax version 4), UCI, UNT, UNZ acknowledging the interchange received
 * (as the EDIFACT reader read its UNA/UNB). Returns 0, or PS_EDI_WRITE_INVALID with a message
 * in err (out is then left as it was). */
int ps_contrl_write(ps_buf *out, const ps_edi_interchange *received, const ps_contrl_params *params,
                    char *err, size_t errlen);

#endif
