/* formats/edifact_internal.h — what the EDIFACT reader's files share inside formats/:
 * character classes, character-set tables and text decoding. Not a public header. */
#ifndef PAXSCREEN_FORMATS_EDIFACT_INTERNAL_H
#define PAXSCREEN_FORMATS_EDIFACT_INTERNAL_H

#include "paxscreen/edifact.h"

/* Byte classes used by the splitter; 0 means plain data. */
enum {
    PS_CLS_COMPONENT = 1,   /* component separator */
    PS_CLS_ELEMENT = 2,     /* data element separator */
    PS_CLS_RELEASE = 4,     /* release character */
    PS_CLS_DIRTY = 8,       /* value must be rewritten: line break, or a byte to decode */
    PS_CLS_BAD = 16,        /* outside the declared repertoire */
    PS_CLS_TERMINATOR = 32, /* segment terminator */
};

/* Scans from start up to limit: stops at the first unreleased terminator (returns its index)
 * or at limit (returns limit); fills f with the elements and components on the way and
 * *bad_at with the first byte outside the repertoire (UINT64_MAX if none). */
size_t ps_edi_scan(ps_edi_reader *r, size_t start, size_t limit, ps_edi_fields *f,
                   uint64_t *bad_at);

/* Picks the character set for a UNB syntax identifier; false when it is not known (the reader
 * then warns and reads bytes as UTF-8). */
bool ps_edi_charset_select(const char *syntax_id, ps_edi_charset *cs, uint8_t *part);

/* Fills cls for a syntax and character set, and *decode with the 8859 table (or NULL). */
void ps_edi_classes(const ps_edi_syntax *syn, ps_edi_charset cs, uint8_t part, uint8_t cls[256],
                    const uint16_t **decode);

/* Rewrites a dirty value into out (capacity >= 3 * len + 1 is always enough): removes release
 * characters and line breaks, decodes 8859 bytes through decode, and keeps valid UTF-8
 * (invalid bytes become U+FFFD). Returns the length written. */
size_t ps_edi_decode(const ps_edi_syntax *syn, ps_edi_charset cs, const uint16_t *decode,
                     const char *p, size_t len, char *out);

#endif
