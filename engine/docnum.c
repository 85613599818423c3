/* engine/docnum.c — document number keys (normalize.h): the canonical key (A-Z and 0-9 only,
 * upper-cased; spaces, dashes, '<' fillers, other punctuation and non-ASCII bytes dropped) and
 * the confusable key (the canonical key with O->0, I->1, L->1, S->5, B->8, Z->2 folded, so
 * numbers that differ only by an OCR or keying confusion meet). Pure; no allocation. */
#include "paxscreen/normalize.h"

#include <stddef.h>

/* The canonical form of one byte, or 0 when the byte is dropped. */
static char ps_docnum_char(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        return (char)(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return (char)c;
    return 0;
}

static char ps_docnum_fold(char c)
{
    switch (c) {
    case 'O':
        return '0';
    case 'I':
    case 'L':
        return '1';
    case 'S':
        return '5';
    case 'B':
        return '8';
    case 'Z':
        return '2';
    default:
        return c;
    }
}

size_t ps_docnum_canonical(const char *p, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = ps_docnum_char((unsigned char)p[i]);
        if (c)
            out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

size_t ps_docnum_confusable(const char *p, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = ps_docnum_char((unsigned char)p[i]);
        if (c)
            out[n++] = ps_docnum_fold(c);
    }
    out[n] = '\0';
    return n;
}
