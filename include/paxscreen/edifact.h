/* paxscreen/edifact.h — the UN/EDIFACT syntax layer (ISO 9735): interchanges, envelopes,
 * segments, elements and components, over one input buffer, without copying.
 *
 * A ps_edi_reader walks a buffer that may hold several interchanges, each optionally
 * preceded by Type-B teletype header lines or SOH/STX/ETX framing, and hands out events:
 * interchange begin/end, message begin/end and the data segments of each message. Service
 * segments (UNA, UNB, UNG, UNH, UNT, UNE, UNZ) are handled inside: their counts and control
 * references are checked and every mismatch becomes a warning naming its segment number and
 * byte offset. The service characters come from UNA (defaults without it); CR, LF and
 * leading spaces between segments are ignored.
 *
 * A data segment is split into elements and components by ps_edi_split into a fixed array:
 * no allocation per element. A value points into the input; ps_edi_text turns it into UTF-8
 * text (release characters removed, line breaks inside data dropped, the declared character
 * set decoded) — copying into an arena only when the value needs it. */
#ifndef PAXSCREEN_EDIFACT_H
#define PAXSCREEN_EDIFACT_H

#include "paxscreen/arena.h"
#include "paxscreen/diag.h"
#include "paxscreen/record.h"

/* Segment tags packed into an integer: PS_TAG('U','N','H'). */
#define PS_TAG(a, b, c)                                                                            \
    (((uint32_t)(uint8_t)(a) << 16) | ((uint32_t)(uint8_t)(b) << 8) | (uint8_t)(c))

typedef struct ps_edi_syntax {
    char component;  /* UNA1, default ':' */
    char element;    /* UNA2, default '+' */
    char decimal;    /* UNA3, default '.' */
    char release;    /* UNA4, default '?'; ' ' means none */
    char repetition; /* UNA5, default ' ' (reserved); data, never a separator, in this reader */
    char terminator; /* UNA6, default '\'' */
} ps_edi_syntax;

typedef enum ps_edi_charset {
    PS_CHARSET_UNOA,  /* ISO 646 upper case subset */
    PS_CHARSET_UNOB,  /* ISO 646 with lower case */
    PS_CHARSET_8859,  /* one of ISO 8859-1..-15, see charset_part */
    PS_CHARSET_UTF8,  /* UNOW, UNOY */
    PS_CHARSET_OTHER, /* unknown or unsupported identifier: bytes read as UTF-8 */
} ps_edi_charset;

typedef struct ps_edi_interchange {
    uint32_t index;  /* 0-based position in the input */
    uint64_t offset; /* byte offset of UNA, or of UNB without UNA */
    ps_edi_syntax syntax;
    bool has_una;
    char syntax_id[5];      /* "UNOA" */
    char syntax_version[4]; /* "4" */
    ps_edi_charset charset;
    uint8_t charset_part; /* ISO 8859 part number when charset == PS_CHARSET_8859 */
    char sender[36], sender_qualifier[5];
    char recipient[36], recipient_qualifier[5];
    ps_date prepared;         /* UNB date and time */
    char control_ref[36];     /* UNB 0020 (an..14; longer ones kept up to 35) */
    char application_ref[15]; /* UNB 0026 ("APIS", "IAPI") */
    bool test;                /* UNB 0035 = 1 */
    uint32_t messages;        /* UNH seen */
    uint32_t groups;          /* UNG seen */
    uint32_t segments;        /* segments so far, UNB = 1 */
    bool terminated;          /* UNZ seen (valid at INTERCHANGE_END) */
} ps_edi_interchange;

typedef struct ps_edi_message {
    uint64_t offset;     /* byte offset of UNH */
    uint32_t segment;    /* UNH's segment number in the interchange */
    char ref[36];        /* UNH 0062 (an..14; longer ones kept up to 35) */
    char type[7];        /* "PAXLST" */
    char version[4];     /* "D" */
    char release[4];     /* "05B" */
    char agency[3];      /* "UN" */
    char association[7]; /* "IATA" */
    char access_ref[36]; /* UNH 0068 common access reference */
    uint16_t part;       /* S010 0070 sequence, 0 when absent */
    char part_flag;      /* S010 0073: 'C', 'F', or 0 */
    uint32_t segments;   /* segments so far, UNH = 1 */
    bool terminated;     /* UNT seen (valid at MESSAGE_END) */
} ps_edi_message;

typedef struct ps_edi_segment {
    const char *ptr; /* from the tag up to (not including) the terminator */
    size_t len;
    uint64_t offset; /* byte offset of the tag */
    uint32_t number; /* segment number within the interchange (UNB = 1) */
    uint32_t tag;    /* PS_TAG packed */
    char tag_text[4];
    bool unterminated; /* input ended before the segment terminator */
} ps_edi_segment;

typedef enum ps_edi_event {
    PS_EDI_END = 0,           /* input exhausted */
    PS_EDI_INTERCHANGE_BEGIN, /* r->ich is filled from UNA/UNB */
    PS_EDI_INTERCHANGE_END,   /* r->ich.terminated says whether UNZ closed it */
    PS_EDI_MESSAGE_BEGIN,     /* r->msg is filled from UNH */
    PS_EDI_SEGMENT,           /* r->seg is a data segment of the open message */
    PS_EDI_MESSAGE_END,       /* r->msg.terminated says whether UNT closed it */
} ps_edi_event;

/* One element/component value as it stands in the input. */
typedef struct ps_edi_value {
    const char *ptr;
    uint32_t len;
    bool dirty; /* holds release characters, line breaks or bytes to decode */
} ps_edi_value;

#define PS_EDI_MAX_ELEMENTS 32
#define PS_EDI_MAX_VALUES   128

/* A segment split into elements and their components. Element 0 is the tag; data elements
 * are 1-based after it, components 1-based within an element. */
typedef struct ps_edi_fields {
    uint16_t n_elements; /* data elements, not counting the tag */
    uint16_t n_values;   /* data values, not counting the tag */
    bool overflow;       /* more than PS_EDI_MAX_ELEMENTS or PS_EDI_MAX_VALUES: rest dropped */
    uint16_t first[PS_EDI_MAX_ELEMENTS + 2];    /* first[e] .. first[e+1]-1: element e's values */
    ps_edi_value values[PS_EDI_MAX_VALUES + 1]; /* values[0] is the tag */
} ps_edi_fields;

typedef struct ps_edi_reader ps_edi_reader;

struct ps_edi_reader {
    /* read-only for callers */
    ps_edi_interchange ich;
    ps_edi_message msg;
    ps_edi_segment seg;
    ps_edi_fields fields; /* seg split into elements and components */
    const char *data;
    size_t len;
    ps_diag_list *diags;

    /* private */
    size_t pos;
    int state;
    bool in_message, in_group, grouped, ungrouped, announced, has_unb;
    uint32_t group_messages, group_segment;
    char group_ref[36];
    uint32_t interchanges;
    uint32_t repertoire_warnings;
    uint64_t bad_at; /* first byte of seg outside the repertoire, or UINT64_MAX */
    uint64_t junk_offset;
    size_t junk_bytes;
    ps_edi_event pending[4];
    int n_pending;
    uint8_t cls[256];
    /* component, element, release (or terminator again), terminator, each 16 times */
    _Alignas(16) char scan_chars[4][16];
    const uint16_t *decode; /* 8859 byte -> code point table, or NULL */
    uint64_t *refs;         /* hashes of UNH refs in this interchange */
    uint32_t n_refs, cap_refs;
};

/* data must stay valid while the reader is used; diags receive every finding. */
void ps_edi_reader_init(ps_edi_reader *r, const char *data, size_t len, ps_diag_list *diags);
void ps_edi_reader_free(ps_edi_reader *r);
ps_edi_event ps_edi_next(ps_edi_reader *r);

/* Every segment the reader hands out is already split into r->fields (values beyond the
 * fixed capacity dropped with a "too_many_values" warning; characters outside the declared
 * repertoire reported, at most a few per interchange). ps_edi_split splits any segment of
 * the current interchange again into f, without reporting. */
void ps_edi_split(ps_edi_reader *r, const ps_edi_segment *s, ps_edi_fields *f);

/* Element e (1-based), component c (1-based); an empty value when absent. */
static inline ps_edi_value ps_edi_get(const ps_edi_fields *f, unsigned e, unsigned c)
{
    ps_edi_value none = {NULL, 0, false};
    if (e < 1 || e > f->n_elements || e > PS_EDI_MAX_ELEMENTS || c < 1)
        return none;
    unsigned idx = f->first[e] + c - 1;
    return idx < f->first[e + 1] && idx <= PS_EDI_MAX_VALUES ? f->values[idx] : none;
}

static inline unsigned ps_edi_components(const ps_edi_fields *f, unsigned e)
{
    return e >= 1 && e <= f->n_elements && e <= PS_EDI_MAX_ELEMENTS
               ? (unsigned)(f->first[e + 1] - f->first[e])
               : 0;
}

ps_str ps_edi_text_slow(ps_edi_reader *r, ps_edi_value v, ps_arena *arena);

/* The value as UTF-8 text: a slice of the input when clean, else decoded into arena. */
static inline ps_str ps_edi_text(ps_edi_reader *r, ps_edi_value v, ps_arena *arena)
{
    if (!v.dirty)
        return (ps_str){v.ptr, v.len};
    return ps_edi_text_slow(r, v, arena);
}
/* The same into a fixed buffer (NUL-terminated, truncated to cap-1 bytes); returns length. */
size_t ps_edi_copy(ps_edi_reader *r, ps_edi_value v, char *out, size_t cap);

/* Byte offset of a value within the input. */
static inline uint64_t ps_edi_offset(const ps_edi_reader *r, ps_edi_value v)
{
    return v.ptr ? (uint64_t)(v.ptr - r->data) : r->seg.offset;
}

#endif
