/* formats/edifact_envelope.h — inside formats/: the reader's envelope bookkeeping
 * (interchange, group and message open/close, counts and control references), shared by
 * edifact.c and edifact_envelope.c. Not a public header. */
#ifndef PAXSCREEN_FORMATS_EDIFACT_ENVELOPE_H
#define PAXSCREEN_FORMATS_EDIFACT_ENVELOPE_H

#include "edifact_internal.h"

#include <stdlib.h>

enum { PS_EDI_STATE_OUTSIDE = 0, PS_EDI_STATE_INSIDE = 1, PS_EDI_STATE_DONE = 2 };

/* Warnings about characters outside the repertoire listed per interchange, at most. */
#define PS_EDI_REPERTOIRE_WARNINGS 20

extern const ps_edi_syntax ps_edi_default_syntax;

void ps_edi_push(ps_edi_reader *r, ps_edi_event ev);
/* Starts an interchange at offset with these service characters. */
void ps_edi_begin_interchange(ps_edi_reader *r, uint64_t offset, const ps_edi_syntax *syn,
                              bool has_una);
/* Closes the open interchange (terminated = UNZ seen), queueing the events that close it. */
void ps_edi_end_interchange(ps_edi_reader *r, bool terminated);
/* At end of input: reports trailing data or an input without any interchange. */
void ps_edi_finish_input(ps_edi_reader *r);
/* Handles r->seg: a service segment updates the envelope, a data segment is returned as
 * PS_EDI_SEGMENT. Returns the event to hand out now, or PS_EDI_END for none (events may
 * have been queued). */
ps_edi_event ps_edi_service_segment(ps_edi_reader *r);

#endif
