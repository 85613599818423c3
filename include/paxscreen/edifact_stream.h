/* paxscreen/edifact_stream.h — cutting a raw TCP feed of EDIFACT into interchanges.
 *
 * Carriers send interchanges back to back on one connection (UNA/UNB … UNZ, with or without
 * Type-B teletype header lines and SOH/STX/ETX framing), in chunks that split anywhere. A
 * ps_edifact_stream is fed those chunks in order and yields each complete interchange as a
 * byte range [begin, end) of the stream — from its UNA (or UNB) through the terminator of its
 * UNZ — for the caller to hand to the EDIFACT reader (edifact.h). It holds no copy of the
 * data and allocates nothing: a few bytes of look-ahead and the service characters. The
 * caller keeps the bytes from ps_edifact_stream_keep() on, and nothing older is ever named.
 *
 * It reads as the reader does (formats/edifact.c): UNA sets the six service characters
 * (a malformed UNA means the defaults from the next "UNB"), the release character makes any
 * byte data (also across a wrapped line), blanks between segments are skipped, a segment
 * starting with UNA, or UNB after the first, starts the next interchange, and only a UNZ
 * segment (its tag followed by a separator or the terminator) ends one. Between interchanges
 * it skips blanks, framing (SOH, STX, ETX, EOT, SUB) and Type-B header lines, finding UNA or
 * UNB at a line start or after a non-alphanumeric byte.
 *
 * Problems are items too, each naming its byte offset in the stream: bytes between
 * interchanges that are not header text (a control or non-ASCII byte, or more than
 * PS_EDIFACT_STREAM_HEADER_MAX of text), a UNH without envelope, an interchange longer than
 * the maximum (the rest of it is skipped up to its UNZ or the next UNA/UNB), an interchange
 * cut off by the next one before its UNZ, and at the end of the stream an interchange left
 * open or text after the last one. After each, the splitter carries on at the next UNA/UNB.
 * When an interchange, TOO_LARGE, UNZ_MISSING or TRUNCATED item is returned, the bytes of its
 * range are still held (keep() had not passed its begin): a caller can read the UNB to answer
 * with a CONTRL before it drops them. Garbage is not held. */
#ifndef PAXSCREEN_EDIFACT_STREAM_H
#define PAXSCREEN_EDIFACT_STREAM_H

#include "paxscreen/edifact.h"

/* Text between two interchanges (Type-B header lines) above which it is garbage. */
#define PS_EDIFACT_STREAM_HEADER_MAX 1024
/* The smallest maximum interchange size ps_edifact_stream_init accepts. */
#define PS_EDIFACT_STREAM_MIN_SIZE 64

typedef enum ps_edifact_stream_kind {
    PS_EDIFACT_STREAM_NONE = 0,        /* nothing yet: feed more */
    PS_EDIFACT_STREAM_INTERCHANGE = 1, /* [begin, end) is one interchange, UNA/UNB .. UNZ' */
    PS_EDIFACT_STREAM_ERROR = 2,       /* see error, offset and message */
} ps_edifact_stream_kind;

typedef enum ps_edifact_stream_error {
    PS_EDIFACT_STREAM_OK = 0,
    PS_EDIFACT_STREAM_GARBAGE = 1,     /* [begin, end): skipped bytes that are not header text */
    PS_EDIFACT_STREAM_NO_ENVELOPE = 2, /* a UNH line outside any UNA/UNB: skipped */
    PS_EDIFACT_STREAM_TOO_LARGE = 3,   /* the interchange at begin passed the maximum at end */
    PS_EDIFACT_STREAM_UNZ_MISSING = 4, /* [begin, end) ended where the next UNA/UNB starts */
    PS_EDIFACT_STREAM_TRUNCATED = 5,   /* [begin, end) is open when the stream ends */
    PS_EDIFACT_STREAM_TRAILING = 6,    /* [begin, end) after the last interchange is not EDIFACT */
} ps_edifact_stream_error;

typedef struct ps_edifact_stream_item {
    ps_edifact_stream_kind kind;
    ps_edifact_stream_error error;
    uint64_t begin, end; /* stream offsets: the interchange, or the bytes the error is about */
    uint64_t offset;     /* the byte offset an error names (its first byte) */
    char message[192];   /* for errors: what, where, and what was done */
} ps_edifact_stream_item;

typedef struct ps_edifact_stream {
    /* read-only for callers */
    uint64_t pos; /* stream offset of the next byte to feed */
    size_t max_size;
    /* private */
    int state;
    bool finished, line_start, skipping, released;
    uint8_t prev;
    char cand[9]; /* a possible UNA/UNB/UNH being matched, or UNA's nine bytes */
    uint8_t cand_len;
    bool cand_line_start;
    uint64_t cand_off;
    uint64_t junk_begin, junk_bytes;
    bool junk_reported;
    uint64_t begin;    /* first byte of the interchange being read */
    uint64_t seg_off;  /* first byte of the segment being read */
    uint32_t segments; /* segments begun in this interchange */
    uint8_t head[4];   /* first bytes of the segment being read */
    uint8_t head_len;
    uint8_t unb_match; /* bytes of "UNB" matched after a malformed UNA */
    ps_edi_syntax syntax;
    uint8_t stop[256]; /* terminator and release character */
    ps_edifact_stream_item queue[4];
    int n_queue;
} ps_edifact_stream;

/* max_size: the longest interchange accepted, in bytes (at least PS_EDIFACT_STREAM_MIN_SIZE). */
void ps_edifact_stream_init(ps_edifact_stream *s, size_t max_size);

/* Feeds the next len bytes of the stream. Reads until it has an item or has used all of data;
 * returns how many bytes it used, and the item (kind NONE when none). Call it again with the
 * rest — also with len 0 while items come, since one byte can complete two. */
size_t ps_edifact_stream_feed(ps_edifact_stream *s, const char *data, size_t len,
                              ps_edifact_stream_item *item);

/* The stream has ended: returns true with each last item (an open interchange, trailing
 * text), false when there is none left. Feeding after it does nothing. */
bool ps_edifact_stream_finish(ps_edifact_stream *s, ps_edifact_stream_item *item);

/* The first stream offset the caller must still hold: the start of the interchange being
 * read, or of a UNA/UNB being recognized. Everything before it can be dropped. */
uint64_t ps_edifact_stream_keep(const ps_edifact_stream *s);

#endif
