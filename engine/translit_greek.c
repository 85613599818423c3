/* engine/translit_greek.c — Greek letters for ps_name_normalize (name_normalize.c,
 * name_internal.h).
 *
 * The ICAO 9303 / ELOT 743 letters (Β V, Η I, Θ TH, Υ Y, Φ F, Χ CH, Ψ PS, Ω O, ...) with the
 * digraphs Greek passports use: ΟΥ OU; ΑΥ ΕΥ ΗΥ AV EV IV before a vowel or voiced consonant,
 * AF EF IF otherwise; ΓΓ NG, ΓΞ NX, ΓΧ NCH (a diaeresis on Υ breaks a digraph). Accents and
 * breathings go through NFD. The alternate reads a word-initial ΜΠ ΝΤ ΓΚ as B D G
 * (Μπακογιάννης: MPAKOGIANNIS, alternate BAKOGIANNIS). */
#include "name_internal.h"

#include <unicode/unorm2.h>
#include <unicode/utf16.h>

/* The upper-case base letter (Α..Ω) of a Greek letter with any accents, breathings and
 * diaeresis removed, or 0; *diaeresis tells whether it carried a diaeresis. */
static uint32_t ps_greek_base(const UNormalizer2 *nfd, uint32_t c, bool *diaeresis)
{
    *diaeresis = false;
    if (!((c >= 0x0370 && c <= 0x03FF) || (c >= 0x1F00 && c <= 0x1FFF)))
        return 0;
    uint32_t base = c;
    if (nfd) {
        UChar dec[8];
        UErrorCode err = U_ZERO_ERROR;
        int32_t n = unorm2_getDecomposition(nfd, (UChar32)c, dec, 8, &err);
        if (U_SUCCESS(err) && n > 0) {
            int32_t i = 0;
            UChar32 b;
            U16_NEXT(dec, i, n, b);
            base = (uint32_t)b;
            while (i < n) {
                UChar32 m;
                U16_NEXT(dec, i, n, m);
                if (m == 0x0308)
                    *diaeresis = true;
            }
        }
    }
    if (base == 0x03C2) /* final sigma */
        base = 0x03A3;
    else if (base >= 0x03B1 && base <= 0x03C9)
        base -= 0x20;
    if (base >= 0x0391 && base <= 0x03A9 && base != 0x03A2)
        return base;
    return 0;
}

static const char *const ps_greek_letters[] = {
    "A", "V", "G", "D", "E", "Z", "I", "TH", "I", "K",  "L",  "M", "N",
    "X", "O", "P", "R", "",  "S", "T", "Y",  "F", "CH", "PS", "O", /* Α..Ω, 0x3A2 unused */
};

static bool ps_greek_vowel(uint32_t g)
{
    return g == 0x0391 || g == 0x0395 || g == 0x0397 || g == 0x0399 || g == 0x039F || g == 0x03A5 ||
           g == 0x03A9;
}

static bool ps_greek_voiced(uint32_t g)
{
    return g == 0x0392 || g == 0x0393 || g == 0x0394 || g == 0x0396 || g == 0x039B || g == 0x039C ||
           g == 0x039D || g == 0x03A1;
}

/* The Greek base letter at s[i] (0 if none); *next is the index after it. */
static uint32_t ps_greek_at(const UNormalizer2 *nfd, const UChar *s, int32_t i, int32_t n,
                            int32_t *next, bool *diaeresis)
{
    *diaeresis = false;
    *next = i;
    if (i >= n)
        return 0;
    UChar32 c;
    U16_NEXT(s, i, n, c);
    *next = i;
    return ps_greek_base(nfd, (uint32_t)c, diaeresis);
}

/* Reads the Greek letter g (base, upper-case) that ends at s[*i]; may consume the next letter
 * for a digraph. */
static void ps_greek(ps_norm_state *st, const UNormalizer2 *nfd, uint32_t g, const UChar *s,
                     int32_t *i, int32_t n)
{
    bool initial = !st->prev_letter;
    int32_t j, k;
    bool dia_next, dia_after;
    uint32_t next = ps_greek_at(nfd, s, *i, n, &j, &dia_next);
    const char *primary = ps_greek_letters[g - 0x0391], *alt = NULL;
    char two[3];
    bool pair = true; /* the next letter is read with this one */

    if (g == 0x039F && next == 0x03A5 && !dia_next) { /* ΟΥ */
        primary = "OU";
    } else if ((g == 0x0391 || g == 0x0395 || g == 0x0397) && next == 0x03A5 &&
               !dia_next) { /* ΑΥ ΕΥ ΗΥ */
        uint32_t after = ps_greek_at(nfd, s, j, n, &k, &dia_after);
        two[0] = primary[0];
        two[1] = ps_greek_vowel(after) || ps_greek_voiced(after) ? 'V' : 'F';
        two[2] = '\0';
        primary = two;
    } else if (g == 0x0393 && next == 0x0393) { /* ΓΓ */
        primary = "NG";
    } else if (g == 0x0393 && next == 0x039E) { /* ΓΞ */
        primary = "NX";
    } else if (g == 0x0393 && next == 0x03A7) { /* ΓΧ */
        primary = "NCH";
    } else if (initial && g == 0x039C && next == 0x03A0) { /* word-initial ΜΠ */
        primary = "MP";
        alt = "B";
    } else if (initial && g == 0x039D && next == 0x03A4) { /* word-initial ΝΤ */
        primary = "NT";
        alt = "D";
    } else if (initial && g == 0x0393 && next == 0x039A) { /* word-initial ΓΚ */
        primary = "GK";
        alt = "G";
    } else {
        pair = false;
    }
    ps_name_emit(st, primary, alt);
    if (pair)
        *i = j;
    st->transliterated = true;
}

bool ps_translit_greek(ps_norm_state *st, const UNormalizer2 *nfd, uint32_t c, const UChar *s,
                       int32_t *i, int32_t n)
{
    bool dia;
    uint32_t g = ps_greek_base(nfd, c, &dia);
    if (!g)
        return false;
    ps_translit_flush_run(st);
    ps_greek(st, nfd, g, s, i, n);
    return true;
}
