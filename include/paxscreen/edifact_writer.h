/* paxscreen/edifact_writer.h — writing EDIFACT segments into a ps_buf: the service
 * characters, release escaping, the character set of the partner, trailing empty values cut,
 * segment counts; and the UNB of an answer. The CUSRES (cusres.h) and CONTRL (contrl.h)
 * writers are built on it.
 *
 * Pure: no clock, no state between calls. Every data value is written in the writer's
 * character set (UNOA, UNOB, UNOC..UNOL, UNOW/UNOY) with every service character inside it
 * preceded by the release character; a character the set cannot carry is written as '?'
 * (released), upper-cased for UNOA letters, and counted in substituted. */
#ifndef PAXSCREEN_EDIFACT_WRITER_H
#define PAXSCREEN_EDIFACT_WRITER_H

#include "paxscreen/edifact.h"

/* Error codes of the writers (cusres.h and contrl.h); 0 is success. */
enum {
    PS_EDI_WRITE_OK = 0,
    PS_EDI_WRITE_INVALID = 1, /* an argument cannot be written (err names it) */
};

typedef struct ps_edi_writer {
    ps_buf *out;
    ps_edi_syntax syntax;   /* the service characters written in UNA and used for escaping */
    ps_edi_charset charset; /* repertoire data values are written in */
    uint8_t charset_part;   /* ISO 8859 part when charset == PS_CHARSET_8859 */
    const uint16_t *table;  /* 8859 byte (0x80..0xFF) -> code point, or NULL */
    uint32_t segments;      /* segments ended since the counter was last set to 0 */
    uint32_t substituted;   /* characters written as '?' or upper-cased: not representable */
    /* separators held back until a non-empty value follows (trailing empties are cut) */
    uint32_t pending_elements, pending_components;
} ps_edi_writer;

/* syntax NULL = the ISO 9735 defaults :+.? ' ; a syntax without a release character is
 * replaced by the defaults too, since data could not be escaped. */
void ps_edi_writer_init(ps_edi_writer *w, ps_buf *out, const ps_edi_syntax *syntax,
                        ps_edi_charset charset, uint8_t charset_part);
void ps_edi_write_una(ps_edi_writer *w);                  /* "UNA" + the six characters */
void ps_edi_write_tag(ps_edi_writer *w, const char *tag); /* starts a segment */
/* Starts the next data element with this value (its first component); p may be NULL for an
 * empty value, len PS_EDI_CSTR means strlen(p). */
#define PS_EDI_CSTR ((size_t)-1)
void ps_edi_write_element(ps_edi_writer *w, const char *p, size_t len);
/* The next component of the current element. */
void ps_edi_write_component(ps_edi_writer *w, const char *p, size_t len);
void ps_edi_write_end(ps_edi_writer *w); /* the segment terminator; counts the segment */

/* The syntax identifier a writer answers in: the received one when the reader knows it (its
 * character set in *cs, *part), else "UNOA" — a set every partner reads. */
const char *ps_edi_answer_syntax(const char *received_id, ps_edi_charset *cs, uint8_t *part);

/* A party (UNB S002/S003, UCI): its identification as an element, its qualifier as the
 * component after it. */
void ps_edi_write_party(ps_edi_writer *w, const char *id, const char *qualifier);

/* The UNB of an answer to the interchange received: our syntax identifier, the received
 * syntax version, its recipient as our sender and its sender as our recipient, now as
 * YYMMDD:HHMM, our control reference; echo_refs adds the received application reference
 * (0026) and test indicator (0035). */
void ps_edi_write_unb(ps_edi_writer *w, const ps_edi_interchange *received, const char *syntax_id,
                      const char *control_ref, const ps_date *now, bool echo_refs);

/* A trailer: UNT (segments, message reference), UNE or UNZ (count, control reference). */
void ps_edi_write_trailer(ps_edi_writer *w, const char *tag, uint32_t count, const char *ref);

#endif
