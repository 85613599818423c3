/* engine/translit_cyrillic.c — Cyrillic letters for ps_name_normalize (name_normalize.c,
 * name_internal.h): the table, and the language whose reading goes into the alternate form.
 *
 * The ICAO 9303 Part 3 table (paxlst.md §6.2) gives the primary form: the Russian reading,
 * with the Ukrainian, Belarusian, Serbian and Macedonian letters (Є І Ї Ґ Ў Ђ Ѓ Ѕ Ј Љ Њ Ћ Ќ Џ)
 * read as ICAO lists them. A name does not say its language, but some letters do, so the
 * alternate form carries one language's own reading, picked from the whole input:
 *   Ѓ Ќ Ѕ            Macedonian (ICAO footnotes): Ѓ GJ, Ќ KJ, Џ DJ, Х H, Ц C.
 *   Ђ Ћ, or Ј Љ Њ Џ  Serbian (ICAO footnotes): Ж Z, Х H, Ц C, Ч C, Ш S. ICAO also lists
 *                    Г as H for Serbian; Serbian writes G, so G is kept.
 *   Ў, or І with Ы Э Ё  Belarusian (ICAO footnotes): Г H, Ё IO.
 *   Є Ї Ґ, or І      Ukrainian, as Ukrainian passports write it (national table of 2010):
 *                    Г H (ЗГ ZGH), И Y, and Є Ї Й Ю Я as YE YI Y YU YA at the start of a
 *                    word (IE I I IU IA elsewhere). Сергій: SERGII, alternate SERHII.
 *   Ъ as a vowel     Bulgarian (Bulgarian passports): Щ SHT, Ъ A, Х H, Й Y, Ю YU, Я YA,
 *                    Ь Y, final -ИЯ IA. (Russian writes Ъ only before Е Ё Ю Я, and a
 *                    name with Ы Э Ё is not Bulgarian.)
 *   anything else    Russian as Russian passports wrote it before the ICAO table (and as
 *                    most lists still write it): Й Y, Ю YU, Я YA, Ъ dropped. Юлия: IULIIA,
 *                    alternate YULIYA; Юрий: IURII, alternate YURIY.
 * A Ukrainian or Bulgarian name with none of its language's letters (a surname such as
 * Тимошенко on its own) only gets the Russian readings; the matcher's edit distance has to
 * cover И/Y and Г/H there. The Kazakh, Uzbek and Tajik letters Ә Ғ Қ Ң Ө Ұ Ү Һ Ҳ Ҷ Ӣ Ӯ are
 * read as their Latin counterparts without marks (A G K N O U U H H J I U). */
#include "name_internal.h"

#include <unicode/uchar.h>
#include <unicode/utf16.h>

/* The upper-case letter for a Cyrillic letter, or 0 when c is none (or has no case pair we
 * handle). */
uint32_t ps_translit_cyr_upper(uint32_t c)
{
    if (c >= 0x0400 && c <= 0x042F)
        return c;
    if (c >= 0x0430 && c <= 0x044F)
        return c - 0x20;
    if (c >= 0x0450 && c <= 0x045F)
        return c - 0x50;
    if ((c >= 0x048A && c <= 0x04BF) || (c >= 0x04D0 && c <= 0x04FF))
        return c & ~1u;
    return 0;
}

typedef struct ps_cyr_letter {
    uint16_t upper;
    const char *icao; /* primary */
    /* Alternate readings by language; NULL: as primary. */
    const char *ru, *uk, *be, *bg, *sr, *mk;
} ps_cyr_letter;

/* Sorted by code point. Context rules (word-initial Ukrainian letters, ЗГ, Bulgarian -ИЯ) are
 * in ps_cyrillic(). */
static const ps_cyr_letter ps_cyr_letters[] = {
    /*         ICAO    RU    UK    BE    BG     SR    MK */
    {0x0400, "E", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ѐ */
    {0x0401, "E", NULL, NULL, "IO", NULL, NULL, NULL},     /* Ё */
    {0x0402, "D", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ђ */
    {0x0403, "G", NULL, NULL, NULL, NULL, NULL, "GJ"},     /* Ѓ */
    {0x0404, "IE", NULL, NULL, NULL, NULL, NULL, NULL},    /* Є */
    {0x0405, "DZ", NULL, NULL, NULL, NULL, NULL, NULL},    /* Ѕ */
    {0x0406, "I", NULL, NULL, NULL, NULL, NULL, NULL},     /* І */
    {0x0407, "I", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ї */
    {0x0408, "J", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ј */
    {0x0409, "LJ", NULL, NULL, NULL, NULL, NULL, NULL},    /* Љ */
    {0x040A, "NJ", NULL, NULL, NULL, NULL, NULL, NULL},    /* Њ */
    {0x040B, "C", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ћ */
    {0x040C, "K", NULL, NULL, NULL, NULL, NULL, "KJ"},     /* Ќ */
    {0x040D, "I", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ѝ */
    {0x040E, "U", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ў */
    {0x040F, "DZ", NULL, NULL, NULL, NULL, NULL, "DJ"},    /* Џ */
    {0x0410, "A", NULL, NULL, NULL, NULL, NULL, NULL},     /* А */
    {0x0411, "B", NULL, NULL, NULL, NULL, NULL, NULL},     /* Б */
    {0x0412, "V", NULL, NULL, NULL, NULL, NULL, NULL},     /* В */
    {0x0413, "G", NULL, "H", "H", NULL, NULL, NULL},       /* Г */
    {0x0414, "D", NULL, NULL, NULL, NULL, NULL, NULL},     /* Д */
    {0x0415, "E", NULL, NULL, NULL, NULL, NULL, NULL},     /* Е */
    {0x0416, "ZH", NULL, NULL, NULL, NULL, "Z", NULL},     /* Ж */
    {0x0417, "Z", NULL, NULL, NULL, NULL, NULL, NULL},     /* З */
    {0x0418, "I", NULL, "Y", NULL, NULL, NULL, NULL},      /* И */
    {0x0419, "I", "Y", NULL, NULL, "Y", NULL, NULL},       /* Й */
    {0x041A, "K", NULL, NULL, NULL, NULL, NULL, NULL},     /* К */
    {0x041B, "L", NULL, NULL, NULL, NULL, NULL, NULL},     /* Л */
    {0x041C, "M", NULL, NULL, NULL, NULL, NULL, NULL},     /* М */
    {0x041D, "N", NULL, NULL, NULL, NULL, NULL, NULL},     /* Н */
    {0x041E, "O", NULL, NULL, NULL, NULL, NULL, NULL},     /* О */
    {0x041F, "P", NULL, NULL, NULL, NULL, NULL, NULL},     /* П */
    {0x0420, "R", NULL, NULL, NULL, NULL, NULL, NULL},     /* Р */
    {0x0421, "S", NULL, NULL, NULL, NULL, NULL, NULL},     /* С */
    {0x0422, "T", NULL, NULL, NULL, NULL, NULL, NULL},     /* Т */
    {0x0423, "U", NULL, NULL, NULL, NULL, NULL, NULL},     /* У */
    {0x0424, "F", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ф */
    {0x0425, "KH", NULL, NULL, NULL, "H", "H", "H"},       /* Х */
    {0x0426, "TS", NULL, NULL, NULL, NULL, "C", "C"},      /* Ц */
    {0x0427, "CH", NULL, NULL, NULL, NULL, "C", NULL},     /* Ч */
    {0x0428, "SH", NULL, NULL, NULL, NULL, "S", NULL},     /* Ш */
    {0x0429, "SHCH", NULL, NULL, NULL, "SHT", NULL, NULL}, /* Щ */
    {0x042A, "IE", "", NULL, NULL, "A", NULL, NULL},       /* Ъ */
    {0x042B, "Y", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ы */
    {0x042C, "", NULL, NULL, NULL, "Y", NULL, NULL},       /* Ь */
    {0x042D, "E", NULL, NULL, NULL, NULL, NULL, NULL},     /* Э */
    {0x042E, "IU", "YU", NULL, NULL, "YU", NULL, NULL},    /* Ю */
    {0x042F, "IA", "YA", NULL, NULL, "YA", NULL, NULL},    /* Я */
    {0x0490, "G", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ґ */
    {0x0492, "G", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ғ */
    {0x049A, "K", NULL, NULL, NULL, NULL, NULL, NULL},     /* Қ */
    {0x04A2, "N", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ң */
    {0x04AE, "U", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ү */
    {0x04B0, "U", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ұ */
    {0x04B2, "H", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ҳ */
    {0x04B6, "J", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ҷ */
    {0x04BA, "H", NULL, NULL, NULL, NULL, NULL, NULL},     /* Һ */
    {0x04D8, "A", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ә */
    {0x04E2, "I", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ӣ */
    {0x04E8, "O", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ө */
    {0x04EE, "U", NULL, NULL, NULL, NULL, NULL, NULL},     /* Ӯ */
};

static const ps_cyr_letter *ps_find_cyr(uint32_t upper)
{
    size_t lo = 0, hi = sizeof ps_cyr_letters / sizeof ps_cyr_letters[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ps_cyr_letters[mid].upper < upper)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < sizeof ps_cyr_letters / sizeof ps_cyr_letters[0] && ps_cyr_letters[lo].upper == upper)
        return &ps_cyr_letters[lo];
    return NULL;
}

/* Which language's reading goes into the alternate form (see the comment at the top). */
ps_cyr_lang ps_translit_cyr_detect(const UChar *s, int32_t n)
{
    bool mk = false, sr = false, sr_mk = false, be = false, uk = false, i_dot = false;
    bool ru = false, hard = false;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        switch (ps_translit_cyr_upper((uint32_t)c)) {
        case 0x0403: /* Ѓ */
        case 0x040C: /* Ќ */
        case 0x0405: /* Ѕ */
            mk = true;
            break;
        case 0x0402: /* Ђ */
        case 0x040B: /* Ћ */
            sr = true;
            break;
        case 0x0408: /* Ј */
        case 0x0409: /* Љ */
        case 0x040A: /* Њ */
        case 0x040F: /* Џ */
            sr_mk = true;
            break;
        case 0x040E: /* Ў */
            be = true;
            break;
        case 0x0404: /* Є */
        case 0x0407: /* Ї */
        case 0x0490: /* Ґ */
            uk = true;
            break;
        case 0x0406: /* І */
            i_dot = true;
            break;
        case 0x042B: /* Ы */
        case 0x042D: /* Э */
        case 0x0401: /* Ё */
            ru = true;
            break;
        case 0x042A: /* Ъ: Russian writes it only before Е Ё Ю Я, Bulgarian as a vowel */
            if (i < n) {
                UChar32 next;
                int32_t j = i;
                U16_NEXT(s, j, n, next);
                uint32_t up = ps_translit_cyr_upper((uint32_t)next);
                if (up && up != 0x0415 && up != 0x0401 && up != 0x042E && up != 0x042F)
                    hard = true;
            }
            break;
        default:
            break;
        }
    }
    if (mk)
        return PS_CYR_MK;
    if (sr || sr_mk)
        return PS_CYR_SR;
    if (be || (i_dot && ru))
        return PS_CYR_BE;
    if (uk || i_dot)
        return PS_CYR_UK;
    if (hard && !ru)
        return PS_CYR_BG;
    return PS_CYR_RU;
}

static const char *ps_cyr_alt(const ps_cyr_letter *l, ps_cyr_lang lang)
{
    const char *alt = NULL;
    switch (lang) {
    case PS_CYR_RU:
        alt = l->ru;
        break;
    case PS_CYR_UK:
        alt = l->uk;
        break;
    case PS_CYR_BE:
        alt = l->be;
        break;
    case PS_CYR_BG:
        alt = l->bg;
        break;
    case PS_CYR_SR:
        alt = l->sr;
        break;
    case PS_CYR_MK:
        alt = l->mk;
        break;
    }
    return alt ? alt : l->icao;
}

static bool ps_is_letter_at(const UChar *s, int32_t i, int32_t n)
{
    if (i >= n)
        return false;
    UChar32 c;
    U16_NEXT(s, i, n, c);
    return u_isalpha(c) != 0;
}

/* Reads the Cyrillic letter l; s[i] is the code point after it. */
static void ps_cyrillic(ps_norm_state *st, const ps_cyr_letter *l, const UChar *s, int32_t i,
                        int32_t n)
{
    uint32_t up = l->upper;
    const char *alt = ps_cyr_alt(l, st->lang);
    bool initial = !st->prev_letter;
    if (st->lang == PS_CYR_UK) {
        switch (up) {
        case 0x0413: /* Г: ZGH after З */
            if (st->prev_cyr == 0x0417)
                alt = "GH";
            break;
        case 0x0404: /* Є */
            alt = initial ? "YE" : "IE";
            break;
        case 0x0407: /* Ї */
            alt = initial ? "YI" : "I";
            break;
        case 0x0419: /* Й */
            alt = initial ? "Y" : "I";
            break;
        case 0x042E: /* Ю */
            alt = initial ? "YU" : "IU";
            break;
        case 0x042F: /* Я */
            alt = initial ? "YA" : "IA";
            break;
        default:
            break;
        }
    } else if (st->lang == PS_CYR_BG && up == 0x042F && st->prev_cyr == 0x0418 &&
               !ps_is_letter_at(s, i, n)) {
        alt = "A"; /* final -ИЯ: IA */
    }
    if (*l->icao || *alt)
        ps_name_emit(st, l->icao, alt);
    st->prev_letter = true;
    st->transliterated = true;
}

bool ps_translit_cyrillic(ps_norm_state *st, uint32_t c, const UChar *s, int32_t i, int32_t n)
{
    const ps_cyr_letter *l = ps_find_cyr(ps_translit_cyr_upper(c));
    if (!l)
        return false;
    ps_translit_flush_run(st);
    ps_cyrillic(st, l, s, i, n);
    return true;
}
