/* formats/edifact_stream.c — the interchange splitter for raw TCP feeds: a byte-at-a-time state
 * machine (with a fast inner loop over segment data) that finds UNA/UNB, follows segments to
 * their unreleased terminators and ends an interchange at its UNZ, as edifact.c reads them.
 * Owns only its small state struct: no data copies, no allocation, no clock.
 *
 * States: OUTSIDE (between interchanges: blanks, framing, header text, a candidate tag being
 * matched in cand), UNA (collecting the nine bytes of a UNA in cand), SEEK_UNB (after a
 * malformed UNA the reader goes on at the next "UNB", wherever it is), BETWEEN (blanks between
 * segments) and SEGMENT (inside one; head keeps its first four raw bytes, the tag the reader
 * sees). Invariant: every byte fed is used exactly once, in order, by byte_at(); bytes of a
 * candidate that turns out not to be one are fed to byte_at() again, each with its offset. */
#include "paxscreen/edifact_stream.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { ST_OUTSIDE, ST_UNA, ST_SEEK_UNB, ST_BETWEEN, ST_SEGMENT };

static const ps_edi_syntax default_syntax = {':', '+', '.', '?', ' ', '\''};

static void byte_at(ps_edifact_stream *s, uint8_t c, uint64_t off);

/* ---- items ---- */

static void emit(ps_edifact_stream *s, ps_edifact_stream_kind kind, ps_edifact_stream_error error,
                 uint64_t begin, uint64_t end, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void emit(ps_edifact_stream *s, ps_edifact_stream_kind kind, ps_edifact_stream_error error,
                 uint64_t begin, uint64_t end, const char *fmt, ...)
{
    if (s->n_queue >= (int)(sizeof s->queue / sizeof s->queue[0]))
        return; /* cannot happen: at most two items per byte, and feed stops at the first */
    ps_edifact_stream_item *it = &s->queue[s->n_queue++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->error = error;
    it->begin = begin;
    it->end = end;
    it->offset = begin;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(it->message, sizeof it->message, fmt, ap);
        va_end(ap);
    }
}

static bool pop(ps_edifact_stream *s, ps_edifact_stream_item *item)
{
    if (!s->n_queue)
        return false;
    *item = s->queue[0];
    s->n_queue--;
    memmove(s->queue, s->queue + 1, (size_t)s->n_queue * sizeof s->queue[0]);
    return true;
}

/* ---- character helpers (the reader's rules, edifact.c) ---- */

static bool is_alnum(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum_upper(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Blanks and framing skipped between interchanges (edifact.c skip_blank). */
static bool is_blank(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x01 || c == 0x02 || c == 0x03 ||
           c == 0x04 || c == 0x1A;
}

/* A UNA service string advice as edifact.c accepts it: six printable ASCII characters that
 * are not letters or digits (the terminator may be CR or LF), the active ones distinct. */
static bool una_valid(const char *p, ps_edi_syntax *out)
{
    const uint8_t *c = (const uint8_t *)p + 3;
    for (int i = 0; i < 6; i++) {
        bool printable = c[i] >= 0x20 && c[i] < 0x7F && !is_alnum(c[i]);
        bool line_break = i == 5 && (c[i] == '\n' || c[i] == '\r');
        if (!printable && !line_break)
            return false;
    }
    ps_edi_syntax syn = {(char)c[0], (char)c[1], (char)c[2], (char)c[3], (char)c[4], (char)c[5]};
    if (syn.component == ' ' || syn.element == ' ' || syn.terminator == ' ')
        return false;
    char active[5] = {syn.component, syn.element, syn.terminator};
    int n = 3;
    if (syn.release != ' ')
        active[n++] = syn.release;
    if (syn.repetition != ' ')
        active[n++] = syn.repetition;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (active[i] == active[j])
                return false;
    *out = syn;
    return true;
}

static void set_syntax(ps_edifact_stream *s, const ps_edi_syntax *syn)
{
    s->syntax = *syn;
    memset(s->stop, 0, sizeof s->stop);
    s->stop[(uint8_t)syn->terminator] = 1;
    if (syn->release != ' ')
        s->stop[(uint8_t)syn->release] = 1;
}

/* ---- interchanges ---- */

static void begin_interchange(ps_edifact_stream *s, uint64_t off)
{
    s->begin = off;
    s->skipping = false;
    s->segments = 0;
    s->released = false;
    s->junk_bytes = 0;
    s->junk_reported = false;
    set_syntax(s, &default_syntax);
}

static void back_outside(ps_edifact_stream *s)
{
    s->state = ST_OUTSIDE;
    s->line_start = true;
    s->prev = ' ';
    s->cand_len = 0;
}

/* A segment starts with UNB whose first three bytes were at off .. off+2. */
static void start_unb_segment(ps_edifact_stream *s, uint64_t off)
{
    s->state = ST_SEGMENT;
    s->seg_off = off;
    memcpy(s->head, "UNB", 3);
    s->head_len = 3;
    s->released = false;
    s->segments++;
}

static void seek_unb(ps_edifact_stream *s, uint8_t c, uint64_t off)
{
    static const char unb[] = "UNB";
    if (c == (uint8_t)unb[s->unb_match])
        s->unb_match++;
    else
        s->unb_match = c == 'U';
    if (s->unb_match == 3) {
        s->unb_match = 0;
        start_unb_segment(s, off - 2);
    }
}

/* cand holds the nine bytes of the UNA that begins the interchange. */
static void finish_una(ps_edifact_stream *s)
{
    ps_edi_syntax syn;
    s->cand_len = 0;
    if (una_valid(s->cand, &syn)) {
        set_syntax(s, &syn);
        s->state = ST_BETWEEN;
        return;
    }
    /* as edifact.c: the defaults, read from the next "UNB" after "UNA" */
    s->state = ST_SEEK_UNB;
    s->unb_match = 0;
    for (int i = 3; i < 9 && s->state == ST_SEEK_UNB; i++)
        seek_unb(s, (uint8_t)s->cand[i], s->cand_off + (uint64_t)i);
    /* a UNB found inside the nine bytes: feed what follows it to the segment */
    if (s->state == ST_SEGMENT) {
        for (uint64_t o = s->seg_off + 3; o < s->cand_off + 9; o++)
            byte_at(s, (uint8_t)s->cand[o - s->cand_off], o);
    }
}

/* The first three bytes of a segment are known: a UNA, or a UNB after the first segment,
 * ends this interchange here, and the bytes are read again as between interchanges (as
 * edifact.c does: a UNA always opens the next one, a UNB only when a separator follows). */
static void on_tag(ps_edifact_stream *s)
{
    bool una = memcmp(s->head, "UNA", 3) == 0;
    bool unb = memcmp(s->head, "UNB", 3) == 0;
    if (!una && !(unb && s->segments > 0)) {
        s->segments++;
        return;
    }
    uint64_t at = s->seg_off;
    if (!s->skipping)
        emit(s, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_UNZ_MISSING, s->begin, at,
             "interchange at byte %llu has no UNZ: %s at byte %llu ends it",
             (unsigned long long)s->begin, una ? "UNA" : "UNB", (unsigned long long)at);
    uint8_t tag[3] = {s->head[0], s->head[1], s->head[2]};
    back_outside(s);
    s->junk_bytes = 0;
    s->junk_reported = false;
    for (int i = 0; i < 3; i++)
        byte_at(s, tag[i], at + (uint64_t)i);
}

static void end_segment(ps_edifact_stream *s, uint64_t off)
{
    const uint8_t *h = s->head;
    if (s->head_len < 3)
        s->segments++; /* too short for a tag, still a segment to the reader */
    bool unz = s->head_len >= 3 && memcmp(h, "UNZ", 3) == 0 &&
               (s->head_len == 3 || h[3] == (uint8_t)s->syntax.element ||
                h[3] == (uint8_t)s->syntax.component);
    s->state = ST_BETWEEN;
    if (!unz)
        return;
    if (!s->skipping)
        emit(s, PS_EDIFACT_STREAM_INTERCHANGE, PS_EDIFACT_STREAM_OK, s->begin, off + 1, NULL);
    back_outside(s);
}

static void head_byte(ps_edifact_stream *s, uint8_t c)
{
    if (s->head_len >= 4)
        return;
    s->head[s->head_len++] = c;
    if (s->head_len == 3)
        on_tag(s);
}

static void segment_byte(ps_edifact_stream *s, uint8_t c, uint64_t off)
{
    const ps_edi_syntax *syn = &s->syntax;
    if (s->released) {
        /* line breaks after a release are transport; the next other byte is data */
        if ((c == '\r' || c == '\n') && c != (uint8_t)syn->terminator)
            return;
        s->released = false;
        head_byte(s, c);
        return;
    }
    if (syn->release != ' ' && c == (uint8_t)syn->release) {
        s->released = true;
        head_byte(s, c);
        return;
    }
    if (c == (uint8_t)syn->terminator) {
        end_segment(s, off);
        return;
    }
    head_byte(s, c);
}

static void inside_byte(ps_edifact_stream *s, uint8_t c, uint64_t off)
{
    if (!s->skipping && off - s->begin >= s->max_size) {
        emit(s, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_TOO_LARGE, s->begin, off,
             "interchange at byte %llu is longer than %zu bytes: skipped up to its UNZ or the "
             "next UNA/UNB",
             (unsigned long long)s->begin, s->max_size);
        s->skipping = true;
    }
    switch (s->state) {
    case ST_UNA:
        s->cand[s->cand_len++] = (char)c;
        if (s->cand_len == 9)
            finish_una(s);
        return;
    case ST_SEEK_UNB:
        seek_unb(s, c, off);
        return;
    case ST_BETWEEN:
        if ((c == ' ' || c == '\t' || c == '\r' || c == '\n') && c != (uint8_t)s->syntax.terminator)
            return;
        s->state = ST_SEGMENT;
        s->seg_off = off;
        s->head_len = 0;
        s->released = false;
        segment_byte(s, c, off);
        return;
    default:
        segment_byte(s, c, off);
        return;
    }
}

/* ---- between interchanges ---- */

static void junk_byte(ps_edifact_stream *s, uint8_t c, uint64_t off)
{
    if (!s->junk_bytes)
        s->junk_begin = off;
    s->junk_bytes++;
    s->line_start = false;
    s->prev = c;
    bool text = c >= 0x20 && c < 0x7F;
    if (s->junk_reported || (text && s->junk_bytes <= PS_EDIFACT_STREAM_HEADER_MAX))
        return;
    s->junk_reported = true;
    if (text)
        emit(s, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_GARBAGE, s->junk_begin, off + 1,
             "more than %d bytes of text from byte %llu are not an interchange: skipped up to "
             "the next UNA/UNB",
             PS_EDIFACT_STREAM_HEADER_MAX, (unsigned long long)s->junk_begin);
    else
        emit(s, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_GARBAGE, s->junk_begin, off + 1,
             "bytes from %llu are not an interchange (byte 0x%02X at %llu): skipped up to the "
             "next UNA/UNB",
             (unsigned long long)s->junk_begin, c, (unsigned long long)off);
}

enum { CAND_MORE, CAND_FAIL, CAND_UNA, CAND_UNB, CAND_UNH };

static int cand_check(const ps_edifact_stream *s)
{
    const char *c = s->cand;
    int n = s->cand_len;
    if (c[1] != 'N')
        return n < 2 ? CAND_MORE : CAND_FAIL;
    if (n == 2)
        return CAND_MORE;
    if (c[2] != 'A' && c[2] != 'B' && c[2] != 'H')
        return CAND_FAIL;
    if (c[2] == 'A') { /* at a line start any UNA opens one (maybe malformed), else a valid one */
        if (s->cand_line_start)
            return CAND_UNA;
        ps_edi_syntax syn;
        return n < 9 ? CAND_MORE : una_valid(c, &syn) ? CAND_UNA : CAND_FAIL;
    }
    if (n == 3)
        return CAND_MORE;
    if (is_alnum_upper((uint8_t)c[3])) /* edifact.c at_segment: a tag, then no A-Z 0-9 */
        return CAND_FAIL;
    if (c[2] == 'B')
        return CAND_UNB;
    return s->cand_line_start ? CAND_UNH : CAND_FAIL;
}

/* The candidate was not a tag: its first byte is junk, the others are read again. */
static void cand_fail(ps_edifact_stream *s)
{
    char bytes[9];
    int n = s->cand_len;
    uint64_t off = s->cand_off;
    memcpy(bytes, s->cand, (size_t)n);
    s->cand_len = 0;
    junk_byte(s, (uint8_t)bytes[0], off);
    for (int i = 1; i < n; i++)
        byte_at(s, (uint8_t)bytes[i], off + (uint64_t)i);
}

static void cand_byte(ps_edifact_stream *s, uint8_t c, uint64_t off)
{
    s->cand[s->cand_len++] = (char)c;
    switch (cand_check(s)) {
    case CAND_MORE:
        return;
    case CAND_UNA:
        begin_interchange(s, s->cand_off);
        s->state = ST_UNA;
        if (s->cand_len == 9)
            finish_una(s);
        return;
    case CAND_UNB:
        begin_interchange(s, s->cand_off);
        s->cand_len = 0;
        start_unb_segment(s, s->cand_off);
        segment_byte(s, c, off); /* the byte after the tag */
        return;
    case CAND_UNH:
        if (!s->junk_reported) {
            s->junk_reported = true;
            emit(s, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_NO_ENVELOPE, s->cand_off, off + 1,
                 "UNH at byte %llu is outside any interchange (no UNA/UNB): skipped up to the "
                 "next UNA/UNB",
                 (unsigned long long)s->cand_off);
        }
        cand_fail(s);
        return;
    default:
        cand_fail(s);
        return;
    }
}

static void outside_byte(ps_edifact_stream *s, uint8_t c, uint64_t off)
{
    if (s->cand_len) {
        cand_byte(s, c, off);
        return;
    }
    if (is_blank(c)) {
        if (c == '\n')
            s->line_start = true;
        s->prev = c;
        return;
    }
    if (c == 'U' && (s->line_start || !is_alnum(s->prev))) {
        s->cand[0] = 'U';
        s->cand_len = 1;
        s->cand_off = off;
        s->cand_line_start = s->line_start;
        return;
    }
    junk_byte(s, c, off);
}

static void byte_at(ps_edifact_stream *s, uint8_t c, uint64_t off)
{
    if (s->state == ST_OUTSIDE)
        outside_byte(s, c, off);
    else
        inside_byte(s, c, off);
}

/* ---- the API ---- */

void ps_edifact_stream_init(ps_edifact_stream *s, size_t max_size)
{
    memset(s, 0, sizeof *s);
    s->max_size = max_size < PS_EDIFACT_STREAM_MIN_SIZE ? PS_EDIFACT_STREAM_MIN_SIZE : max_size;
    set_syntax(s, &default_syntax);
    back_outside(s);
}

size_t ps_edifact_stream_feed(ps_edifact_stream *s, const char *data, size_t len,
                              ps_edifact_stream_item *item)
{
    memset(item, 0, sizeof *item);
    if (pop(s, item) || s->finished)
        return 0;
    const uint8_t *p = (const uint8_t *)data;
    size_t i = 0;
    while (i < len) {
        if (s->state == ST_SEGMENT && !s->released && s->head_len >= 4) {
            /* the common case: plain segment data up to a terminator or release character */
            size_t lim = len;
            if (!s->skipping) {
                uint64_t room = s->begin + s->max_size - s->pos;
                if (room < lim - i)
                    lim = i + (size_t)room;
            }
            size_t j = i;
            while (j < lim && !s->stop[p[j]])
                j++;
            s->pos += j - i;
            i = j;
            if (i >= len)
                break;
        }
        byte_at(s, p[i], s->pos);
        s->pos++;
        i++;
        if (pop(s, item))
            break;
    }
    return i;
}

bool ps_edifact_stream_finish(ps_edifact_stream *s, ps_edifact_stream_item *item)
{
    memset(item, 0, sizeof *item);
    if (pop(s, item))
        return true;
    if (s->finished)
        return false;
    s->finished = true;
    if (s->state != ST_OUTSIDE) {
        if (!s->skipping)
            emit(s, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_TRUNCATED, s->begin, s->pos,
                 "the stream ends at byte %llu inside the interchange at byte %llu (no UNZ)",
                 (unsigned long long)s->pos, (unsigned long long)s->begin);
    } else {
        if (s->cand_len) { /* a partial tag at the very end is text too */
            if (!s->junk_bytes)
                s->junk_begin = s->cand_off;
            s->junk_bytes += s->cand_len;
        }
        if (s->junk_bytes && !s->junk_reported)
            emit(s, PS_EDIFACT_STREAM_ERROR, PS_EDIFACT_STREAM_TRAILING, s->junk_begin, s->pos,
                 "%llu bytes from byte %llu after the last interchange are not EDIFACT",
                 (unsigned long long)s->junk_bytes, (unsigned long long)s->junk_begin);
    }
    return pop(s, item);
}

uint64_t ps_edifact_stream_keep(const ps_edifact_stream *s)
{
    switch (s->state) {
    case ST_OUTSIDE:
        return s->cand_len ? s->cand_off : s->pos;
    case ST_SEEK_UNB:
        return s->skipping ? s->pos - s->unb_match : s->begin;
    case ST_SEGMENT:
        if (s->skipping)
            return s->head_len < 3 ? s->seg_off : s->pos;
        return s->begin;
    default:
        return s->skipping ? s->pos : s->begin;
    }
}
