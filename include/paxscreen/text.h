/* paxscreen/text.h — byte-string helpers shared by every reader and writer: the length of a
 * valid UTF-8 sequence, and fixed-width decimal digits. Inline: both sit on hot paths. */
#ifndef PAXSCREEN_TEXT_H
#define PAXSCREEN_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length (1..4) of the valid UTF-8 sequence at p, n bytes available; 0 when the bytes there
 * are not one (overlong forms, surrogates and code points above U+10FFFF included). */
static inline size_t ps_utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t need;
    uint32_t min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < need)
        return 0;
    uint32_t cp = c & (0x7Fu >> need);
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need;
}

/* Reads exactly n (at most 9) decimal digits; false if any byte is not one. */
static inline bool ps_digits(const char *p, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

#endif
