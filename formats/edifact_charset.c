/* formats/edifact_charset.c — EDIFACT character repertoires (UNOA..UNOY) and their decoding
 * to UTF-8. ISO 8859 tables are built once from glibc's iconv rather than typed in. */
#include "edifact_internal.h"
#include "paxscreen/text.h"

#include <iconv.h>
#include <stdio.h>
#include <pthread.h>
#include <string.h>

/* ISO 8859 part per syntax identifier letter (UNOC = part 1, ...); UNOL is 8859-15. */
static const struct {
    const char *id;
    ps_edi_charset cs;
    uint8_t part;
} charsets[] = {
    {"UNOA", PS_CHARSET_UNOA, 0}, {"UNOB", PS_CHARSET_UNOB, 0},
    {"UNOC", PS_CHARSET_8859, 1}, {"UNOD", PS_CHARSET_8859, 2},
    {"UNOE", PS_CHARSET_8859, 5}, {"UNOF", PS_CHARSET_8859, 7},
    {"UNOG", PS_CHARSET_8859, 3}, {"UNOH", PS_CHARSET_8859, 4},
    {"UNOI", PS_CHARSET_8859, 6}, {"UNOJ", PS_CHARSET_8859, 8},
    {"UNOK", PS_CHARSET_8859, 9}, {"UNOL", PS_CHARSET_8859, 15},
    {"UNOW", PS_CHARSET_UTF8, 0}, {"UNOY", PS_CHARSET_UTF8, 0},
    {"IATA", PS_CHARSET_UNOB, 0}, /* PNRGOV's IATA:1: printable ASCII */
};

bool ps_edi_charset_select(const char *syntax_id, ps_edi_charset *cs, uint8_t *part)
{
    for (size_t i = 0; i < sizeof charsets / sizeof charsets[0]; i++) {
        if (strcmp(charsets[i].id, syntax_id) == 0) {
            *cs = charsets[i].cs;
            *part = charsets[i].part;
            return true;
        }
    }
    *cs = PS_CHARSET_OTHER;
    *part = 0;
    return false;
}

/* tables[part][b - 0x80]: code point of byte b in ISO 8859-part, 0 when unassigned. */
static uint16_t tables[16][128];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void)
{
    static const uint8_t parts[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 15};
    for (size_t i = 0; i < sizeof parts; i++) {
        char name[16];
        int part = parts[i];
        snprintf(name, sizeof name, "ISO-8859-%d", part);
        iconv_t cd = iconv_open("UTF-32LE", name);
        if (cd == (iconv_t)-1) {
            for (int b = 0xA0; b < 0x100; b++) /* fall back to Latin-1 identity */
                tables[part][b - 0x80] = (uint16_t)b;
            continue;
        }
        for (int b = 0xA0; b < 0x100; b++) {
            char in = (char)b;
            uint32_t cp = 0;
            char *ip = &in, *op = (char *)&cp;
            size_t il = 1, ol = sizeof cp;
            iconv(cd, NULL, NULL, NULL, NULL);
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == 0 && cp <= 0xFFFF)
                tables[part][b - 0x80] = (uint16_t)cp;
        }
        iconv_close(cd);
    }
}

void ps_edi_classes(const ps_edi_syntax *syn, ps_edi_charset cs, uint8_t part, uint8_t cls[256],
                    const uint16_t **decode)
{
    static const char unoa_specials[] = " .,-()/='+:?!\"%&*;<>";
    *decode = NULL;
    for (int b = 0; b < 256; b++) {
        uint8_t c = 0;
        if (b < 0x20 || b == 0x7F) {
            c = PS_CLS_BAD;
        } else if (b < 0x7F) {
            if (cs == PS_CHARSET_UNOA && !(b >= 'A' && b <= 'Z') && !(b >= '0' && b <= '9') &&
                !strchr(unoa_specials, b))
                c = PS_CLS_BAD;
        } else {
            c = PS_CLS_DIRTY;
            if (cs == PS_CHARSET_UNOA || cs == PS_CHARSET_UNOB)
                c |= PS_CLS_BAD; /* read as Latin-1, reported */
            else if (cs == PS_CHARSET_8859 && b < 0xA0)
                c |= PS_CLS_BAD; /* C1 controls */
        }
        cls[b] = c;
    }
    if (cs == PS_CHARSET_8859) {
        pthread_once(&tables_once, build_tables);
        *decode = tables[part < 16 ? part : 1];
        for (int b = 0xA0; b < 0x100; b++)
            if ((*decode)[b - 0x80] == 0)
                cls[b] |= PS_CLS_BAD;
    } else if (cs == PS_CHARSET_UNOA || cs == PS_CHARSET_UNOB) {
        pthread_once(&tables_once, build_tables);
        *decode = tables[1];
    }
    cls['\r'] = PS_CLS_DIRTY;
    cls['\n'] = PS_CLS_DIRTY;
    cls[(uint8_t)syn->component] = PS_CLS_COMPONENT;
    cls[(uint8_t)syn->element] = PS_CLS_ELEMENT;
    if (syn->release != ' ')
        cls[(uint8_t)syn->release] = PS_CLS_RELEASE;
    cls[(uint8_t)syn->terminator] = PS_CLS_TERMINATOR;
}

static size_t put_utf8(char *out, uint32_t cp)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
}

size_t ps_edi_decode(const ps_edi_syntax *syn, ps_edi_charset cs, const uint16_t *decode,
                     const char *p, size_t len, char *out)
{
    const unsigned char *s = (const unsigned char *)p;
    bool has_release = syn->release != ' ';
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = s[i];
        if (c == '\r' || c == '\n')
            continue;
        if (has_release && c == (unsigned char)syn->release) {
            /* the next byte is data whatever it is; line breaks in between are transport
             * (as in edifact_scan.c), unless a line break is the terminator itself */
            while (i + 1 < len && (s[i + 1] == '\r' || s[i + 1] == '\n') &&
                   s[i + 1] != (unsigned char)syn->terminator)
                i++;
            if (i + 1 >= len)
                break;
            c = s[++i];
        }
        if (c < 0x80) {
            out[o++] = (char)c;
            continue;
        }
        /* 8859 sets decode by table. Elsewhere valid UTF-8 is kept (a sender declaring UNOA
         * but writing UTF-8 is common); other bytes of UNOA/UNOB are read as Latin-1. */
        size_t n = cs == PS_CHARSET_8859 ? 0 : ps_utf8_len(s + i, len - i);
        if (n) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n - 1;
        } else {
            uint16_t cp = decode ? decode[c - 0x80] : 0;
            o += put_utf8(out + o, cp ? cp : 0xFFFD);
        }
    }
    out[o] = '\0';
    return o;
}
