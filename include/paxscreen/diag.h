/* paxscreen/diag.h — findings about input: warnings and errors that name their place.
 *
 * Every problem found in bad input becomes a ps_diag value: a severity, a stable machine
 * name for its kind (a static string such as "unt_count_mismatch", used for counting and in
 * JSON), the place it was found (segment number within the interchange, byte offset in the
 * input, segment tag, element and component positions, or a JSON path / field name) and a
 * human message. Nothing in formats/ prints or aborts on bad input; it appends diags. */
#ifndef PAXSCREEN_DIAG_H
#define PAXSCREEN_DIAG_H

#include "paxscreen/arena.h"

typedef enum ps_severity {
    PS_WARNING = 1, /* data was read; something about it is off */
    PS_ERROR = 2,   /* data could not be read as sent: part of the input is lost or untrustworthy */
} ps_severity;

typedef struct ps_diag {
    ps_severity severity;
    const char *kind;   /* static, snake_case, stable: e.g. "unt_count_mismatch" */
    uint32_t segment;   /* 1-based segment number within its interchange; 0 = not segment-bound */
    uint64_t offset;    /* byte offset in the input where it was found */
    char tag[4];        /* segment tag ("UNT"), "" if none */
    uint16_t element;   /* 1-based data element position, 0 = whole segment */
    uint16_t component; /* 1-based component position, 0 = whole element */
    ps_str field;       /* field or JSON path ("travellers[3].birth_date"), may be empty */
    ps_str message;     /* human-readable, names what was expected and what was found */
} ps_diag;

/* A growable list of diags whose memory (array and message text) lives in an arena. */
typedef struct ps_diag_list {
    ps_diag *items;
    uint32_t count;
    uint32_t cap;
    ps_arena *arena;
} ps_diag_list;

void ps_diag_list_init(ps_diag_list *l, ps_arena *arena);
/* Appends a diag; message is printf-formatted into the list's arena. Returns the new diag so
 * a caller can fill place fields (tag, element, component, field). */
ps_diag *ps_diag_add(ps_diag_list *l, ps_severity sev, const char *kind, uint32_t segment,
                     uint64_t offset, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
uint32_t ps_diag_count(const ps_diag_list *l, ps_severity sev);

/* How a function that reports into a caller's (err, errlen) fails: writes the printf-formatted
 * message there (when err is not NULL) and returns code. */
int ps_errorf(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
