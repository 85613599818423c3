/* engine/translit_latin.c — Latin letters outside ASCII for ps_name_normalize
 * (name_normalize.c, name_internal.h).
 *
 * The ICAO 9303 Part 3 specials come from a small table (Ä AE/A, Å AA/A, Æ AE, Ö OE/O,
 * Ø OE/O, Ü UE/U, ß ẞ SS, Þ TH, Ĳ IJ, Œ OE, Ð Đ D, Ł L; primary/alternate); every other
 * accented letter loses its marks through ICU's NFD decomposition (É -> E, Ñ -> N). Latin
 * letters with no decomposition (ı, Ħ, ŋ, ſ, fullwidth forms, ligatures) are not read here:
 * they go through ICU's Latin-ASCII (translit_icu.c). */
#include "name_internal.h"

#include <unicode/unorm2.h>

typedef struct ps_latin_special {
    uint16_t upper, lower;
    const char *primary, *alt;
} ps_latin_special;

static const ps_latin_special ps_latin_specials[] = {
    {0x00C4, 0x00E4, "AE", "A"},  /* Ä */
    {0x00C5, 0x00E5, "AA", "A"},  /* Å */
    {0x00C6, 0x00E6, "AE", NULL}, /* Æ */
    {0x00D6, 0x00F6, "OE", "O"},  /* Ö */
    {0x00D8, 0x00F8, "OE", "O"},  /* Ø */
    {0x00DC, 0x00FC, "UE", "U"},  /* Ü */
    {0x1E9E, 0x00DF, "SS", NULL}, /* ẞ ß */
    {0x00DE, 0x00FE, "TH", NULL}, /* Þ */
    {0x0132, 0x0133, "IJ", NULL}, /* Ĳ */
    {0x0152, 0x0153, "OE", NULL}, /* Œ */
    {0x00D0, 0x00F0, "D", NULL},  /* Ð */
    {0x0110, 0x0111, "D", NULL},  /* Đ */
    {0x0141, 0x0142, "L", NULL},  /* Ł */
};

static const ps_latin_special *ps_find_latin_special(uint32_t c)
{
    for (size_t i = 0; i < sizeof ps_latin_specials / sizeof ps_latin_specials[0]; i++)
        if (c == ps_latin_specials[i].upper || c == ps_latin_specials[i].lower)
            return &ps_latin_specials[i];
    return NULL;
}

bool ps_translit_latin_special(ps_norm_state *st, uint32_t c)
{
    const ps_latin_special *ls = ps_find_latin_special(c);
    if (!ls)
        return false;
    ps_translit_flush_run(st);
    ps_name_emit(st, ls->primary, ls->alt);
    return true;
}

/* An accented Latin letter loses its marks; anything else is left to the transliterator. */
bool ps_translit_latin_marks(ps_norm_state *st, const UNormalizer2 *nfd, uint32_t c)
{
    UChar dec[8];
    UErrorCode err = U_ZERO_ERROR;
    int32_t dn = nfd ? unorm2_getDecomposition(nfd, (UChar32)c, dec, 8, &err) : -1;
    UChar b = U_SUCCESS(err) && dn > 0 ? dec[0] : 0;
    if (!((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')))
        return false;
    ps_translit_flush_run(st);
    ps_name_emit_char(st, (char)(b >= 'a' ? b - ('a' - 'A') : b));
    return true;
}
