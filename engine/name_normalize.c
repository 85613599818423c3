/* engine/name_normalize.c — ps_name_normalize (normalize.h): one name part, any script, in
 * UTF-8; two forms of upper-case A-Z tokens out (primary and alternate).
 *
 * Pipeline. The input is decoded (invalid UTF-8 bytes are dropped), put in NFC, and read one
 * code point at a time into two raw forms; the raw forms are then cut into tokens, titles are
 * removed, particles and initials flagged, and the tokens copied into ps_name_form. Pure ASCII
 * input takes a fast path that makes no ICU call at all.
 *
 * Per code point:
 * - ASCII letters are upper-cased. Apostrophes (' ` and their typographic and modifier-letter
 *   forms) are dropped without splitting (O'NEIL -> ONEIL); digits are dropped; everything
 *   else that is not a letter (spaces, hyphens, commas, dots, symbols) separates tokens.
 * - Latin letters: the ICAO 9303 Part 3 specials come from a small table (Ä AE/A, Å AA/A,
 *   Æ AE, Ö OE/O, Ø OE/O, Ü UE/U, ß ẞ SS, Þ TH, Ĳ IJ, Œ OE, Ð Đ D, Ł L; primary/alternate);
 *   every other accented letter loses its marks through ICU's NFD decomposition (É -> E,
 *   Ñ -> N). Latin letters with no decomposition (ı, Ħ, ŋ, ſ, fullwidth forms, ligatures) go
 *   through ICU's Latin-ASCII.
 * - Cyrillic: the ICAO 9303 Part 3 table (paxlst.md §6.2) gives the primary form: the Russian
 *   reading, with the Ukrainian, Belarusian, Serbian and Macedonian letters (Є І Ї Ґ Ў Ђ Ѓ Ѕ Ј
 *   Љ Њ Ћ Ќ Џ) read as ICAO lists them. A name does not say its language, but some letters
 *   do, so the alternate form carries one language's own reading, picked from the whole input:
 *     Ѓ Ќ Ѕ            Macedonian (ICAO footnotes): Ѓ GJ, Ќ KJ, Џ DJ, Х H, Ц C.
 *     Ђ Ћ, or Ј Љ Њ Џ  Serbian (ICAO footnotes): Ж Z, Х H, Ц C, Ч C, Ш S. ICAO also lists
 *                      Г as H for Serbian; Serbian writes G, so G is kept.
 *     Ў, or І with Ы Э Ё  Belarusian (ICAO footnotes): Г H, Ё IO.
 *     Є Ї Ґ, or І      Ukrainian, as Ukrainian passports write it (national table of 2010):
 *                      Г H (ЗГ ZGH), И Y, and Є Ї Й Ю Я as YE YI Y YU YA at the start of a
 *                      word (IE I I IU IA elsewhere). Сергій: SERGII, alternate SERHII.
 *     Ъ as a vowel     Bulgarian (Bulgarian passports): Щ SHT, Ъ A, Х H, Й Y, Ю YU, Я YA,
 *                      Ь Y, final -ИЯ IA. (Russian writes Ъ only before Е Ё Ю Я, and a
 *                      name with Ы Э Ё is not Bulgarian.)
 *     anything else    Russian as Russian passports wrote it before the ICAO table (and as
 *                      most lists still write it): Й Y, Ю YU, Я YA, Ъ dropped. Юлия: IULIIA,
 *                      alternate YULIYA; Юрий: IURII, alternate YURIY.
 *   A Ukrainian or Bulgarian name with none of its language's letters (a surname such as
 *   Тимошенко on its own) only gets the Russian readings; the matcher's edit distance has to
 *   cover И/Y and Г/H there. The Kazakh, Uzbek and Tajik letters Ә Ғ Қ Ң Ө Ұ Ү Һ Ҳ Ҷ Ӣ Ӯ are
 *   read as their Latin counterparts without marks (A G K N O U U H H J I U).
 * - Greek: the ICAO 9303 / ELOT 743 letters (Β V, Η I, Θ TH, Υ Y, Φ F, Χ CH, Ψ PS, Ω O, ...)
 *   with the digraphs Greek passports use: ΟΥ OU; ΑΥ ΕΥ ΗΥ AV EV IV before a vowel or voiced
 *   consonant, AF EF IF otherwise; ΓΓ NG, ΓΞ NX, ΓΧ NCH (a diaeresis on Υ breaks a digraph).
 *   Accents and breathings go through NFD. The alternate reads a word-initial ΜΠ ΝΤ ΓΚ as
 *   B D G (Μπακογιάννης: MPAKOGIANNIS, alternate BAKOGIANNIS).
 * - Arabic script: not the ICAO 9303 table. That table is a reversible scheme (ث XTH, ح XH,
 *   ص XSS, ...) made so a state can print the original letters back from the MRZ; it is not
 *   how anyone's name is romanized, so a watchlist alias in it would never meet the name a
 *   passenger travels under. ICU's Arabic-Latin then Latin-ASCII is used instead (ICU's
 *   Any-Latin sends Arabic script to Arabic-Latin, so the one compound transliterator below
 *   serves), with four cheap corrections towards the common romanization: ى (alef maqsura)
 *   and ة (ta marbuta) are read as A (موسى MWSA, أسامة ASAMA; ICU gives MWSY, ASAMT); the
 *   ayn sign ICU writes (ʿ) becomes A unless a vowel is next to it (علي: ICU ʿLY, here ALY);
 *   a word-final Y after a consonant becomes I (ALY -> ALI); and the Urdu letters ICU leaves
 *   untouched (ٹ ڈ ڑ ں ھ ہ ے) are read as their Arabic counterparts. Unvocalized Arabic has
 *   no short vowels, so محمد comes out as MHMD: a matcher should compare Arabic-derived tokens
 *   on their consonants (MOHAMED -> MHMD) as well as on their letters.
 * - Every other script goes through ICU's "Any-Latin; Latin-ASCII; Upper": Han comes out one
 *   syllable per token (王小明 WANG XIAO MING; Japanese kanji get Chinese readings), Hangul is
 *   cut into one token per syllable (김정은 GIM JEONG EUN, which ICU alone gives as
 *   GIMJEONG-EUN), Hebrew comes out as its consonants. Letters ICU cannot romanize are
 *   dropped.
 * The transliterator is created once per thread on first use (creating one is expensive and
 * one must not be shared between threads) and closed when the thread exits;
 * ps_normalize_cleanup closes the calling thread's one (for leak checkers and u_cleanup).
 *
 * Tokens: titles are removed as whole tokens, and only when a token that is not a title
 * remains: MR MRS MS MISS MSTR MASTER DR PROF SIR DAME LADY REV FR HH CAPT COL LT SGT MX SR
 * SRA SRTA FRAU MME MLLE MLE. Left out on purpose, as they are names too: HE (the Chinese
 * surname 何), GEN (a Chinese syllable, a Japanese given name), MAJ (a Scandinavian given
 * name), LORD and HERR (English and German surnames). SHEIKH, SHAIKH, HAJI and HAJJI are
 * common surnames and given-name parts as well as honorifics: they are kept and flagged as
 * particles, with AL EL UL BIN BINT BINTI IBN BEN ABU ABD VAN VON DER DEN DE DEL DELLA DELA
 * DA DAS DOS DI DU LA LE LO MAC MC O ST SAINT TER TEN Y, and BN BNT ABN ABW (بن بنت ابن أبو as
 * ICU romanizes them). A one-letter token is an initial.
 *
 * Limits: the first 1024 UTF-16 units of a non-ASCII input are read, and at most 768 bytes of
 * raw letters are kept before titles are removed; then PS_NAME_MAX_TOKENS tokens and
 * PS_NAME_MAX_BYTES - 1 bytes per form. Whatever does not fit is dropped (whole tokens; only a
 * first token longer than a form is cut) and sets truncated. */
#include "paxscreen/normalize.h"
#include "paxscreen/text.h"

#include <pthread.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#define PS_RAW_CAP     768  /* raw letters and separators of one form */
#define PS_IN_CAP      1024 /* UTF-16 units of input read */
#define PS_RUN_CAP     64   /* UTF-16 units sent to the transliterator at once */
#define PS_RUN_OUT_CAP 1024 /* room for the transliterator's output of one run */

/* ------------------------------------------------------------------------------------------ */
/* Raw forms: letters A-Z with single spaces between tokens. */

enum { PS_PRIMARY, PS_ALTERNATE };

typedef struct ps_raw {
    char buf[PS_RAW_CAP];
    size_t len;
    bool sep; /* a separator is pending: written before the next letter */
} ps_raw;

/* Cyrillic reading for the alternate form, from the letters of the whole input. */
typedef enum ps_cyr_lang {
    PS_CYR_RU,
    PS_CYR_UK,
    PS_CYR_BE,
    PS_CYR_BG,
    PS_CYR_SR,
    PS_CYR_MK,
} ps_cyr_lang;

typedef struct ps_norm_state {
    ps_raw raw[2];
    bool full; /* a raw form is full: stop reading */
    bool truncated;
    bool transliterated;
    bool prev_letter;  /* the last code point read was (part of) a letter */
    uint32_t prev_cyr; /* the last code point read, upper-cased, if a Cyrillic letter */
    ps_cyr_lang lang;
    /* The run of code points waiting for the transliterator. */
    UChar run[PS_RUN_CAP];
    int32_t run_len;
    bool run_arabic;
    bool run_hangul; /* the last code point in the run is a Hangul syllable */
} ps_norm_state;

static void ps_put(ps_norm_state *st, int which, const char *s)
{
    ps_raw *r = &st->raw[which];
    for (; *s; s++) {
        size_t need = (r->sep && r->len) ? 2 : 1;
        if (r->len + need > PS_RAW_CAP) {
            st->full = true;
            st->truncated = true;
            return;
        }
        if (r->sep && r->len)
            r->buf[r->len++] = ' ';
        r->sep = false;
        r->buf[r->len++] = *s;
    }
}

/* Letters for both forms; alt NULL means the same as primary. */
static void ps_emit(ps_norm_state *st, const char *primary, const char *alt)
{
    ps_put(st, PS_PRIMARY, primary);
    ps_put(st, PS_ALTERNATE, alt ? alt : primary);
    st->prev_letter = true;
}

static void ps_emit_char(ps_norm_state *st, char c)
{
    char s[2] = {c, '\0'};
    ps_emit(st, s, NULL);
}

static void ps_sep(ps_norm_state *st)
{
    st->raw[PS_PRIMARY].sep = true;
    st->raw[PS_ALTERNATE].sep = true;
    st->prev_letter = false;
}

/* ------------------------------------------------------------------------------------------ */
/* Character classes. */

static bool ps_is_apostrophe(uint32_t c)
{
    switch (c) {
    case 0x0027: /* ' */
    case 0x0060: /* ` */
    case 0x00B4: /* acute accent */
    case 0x02B9: /* modifier prime */
    case 0x02BB: /* turned comma (okina) */
    case 0x02BC: /* modifier apostrophe */
    case 0x02BD: /* reversed comma */
    case 0x02BE: /* right half ring (hamza) */
    case 0x02BF: /* left half ring (ayn) */
    case 0x055A: /* Armenian apostrophe */
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0xFF07: /* fullwidth apostrophe */
        return true;
    default:
        return false;
    }
}

static bool ps_is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

static uint32_t ps_get_gc_mask(uint32_t c)
{
    return (uint32_t)U_GET_GC_MASK((UChar32)c);
}

/* ------------------------------------------------------------------------------------------ */
/* Latin: the ICAO 9303 specials. */

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

/* ------------------------------------------------------------------------------------------ */
/* Cyrillic. */

/* The upper-case letter for a Cyrillic letter, or 0 when c is none (or has no case pair we
 * handle). */
static uint32_t ps_cyr_upper(uint32_t c)
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
static ps_cyr_lang ps_cyr_detect(const UChar *s, int32_t n)
{
    bool mk = false, sr = false, sr_mk = false, be = false, uk = false, i_dot = false;
    bool ru = false, hard = false;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        switch (ps_cyr_upper((uint32_t)c)) {
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
                uint32_t up = ps_cyr_upper((uint32_t)next);
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
        ps_emit(st, l->icao, alt);
    st->prev_letter = true;
    st->transliterated = true;
}

/* ------------------------------------------------------------------------------------------ */
/* Greek. */

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
    ps_emit(st, primary, alt);
    if (pair)
        *i = j;
    st->transliterated = true;
}

/* ------------------------------------------------------------------------------------------ */
/* ICU's transliterator, one per thread. */

static _Thread_local UTransliterator *ps_tl_trans;
static _Thread_local bool ps_tl_trans_tried;
static pthread_key_t ps_trans_key;
static bool ps_trans_key_ok;
static pthread_once_t ps_trans_once = PTHREAD_ONCE_INIT;

static void ps_trans_destroy(void *p)
{
    utrans_close(p);
}

static void ps_trans_key_init(void)
{
    ps_trans_key_ok = pthread_key_create(&ps_trans_key, ps_trans_destroy) == 0;
}

static UTransliterator *ps_transliterator(void)
{
    if (ps_tl_trans || ps_tl_trans_tried)
        return ps_tl_trans;
    ps_tl_trans_tried = true;
    static const char id[] = "Any-Latin; Latin-ASCII; Upper";
    UChar uid[sizeof id];
    for (size_t i = 0; i < sizeof id; i++)
        uid[i] = (UChar)id[i];
    UErrorCode err = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    if (U_FAILURE(err))
        return NULL; /* no ICU data: letters of other scripts are dropped */
    pthread_once(&ps_trans_once, ps_trans_key_init);
    if (ps_trans_key_ok)
        pthread_setspecific(ps_trans_key, t); /* closed when the thread exits */
    ps_tl_trans = t;
    return t;
}

void ps_normalize_cleanup(void)
{
    if (ps_tl_trans) {
        if (ps_trans_key_ok)
            pthread_setspecific(ps_trans_key, NULL);
        utrans_close(ps_tl_trans);
    }
    ps_tl_trans = NULL;
    ps_tl_trans_tried = false;
}

/* Arabic letters read as others before ICU sees them (see the comment at the top). */
static uint32_t ps_arabic_premap(uint32_t c)
{
    switch (c) {
    case 0x0649: /* alef maqsura */
    case 0x0629: /* ta marbuta */
        return 0x0627;
    case 0x0679: /* Urdu tteh */
        return 0x062A;
    case 0x0688: /* Urdu ddal */
        return 0x062F;
    case 0x0691: /* Urdu rreh */
        return 0x0631;
    case 0x06BA: /* Urdu noon ghunna */
        return 0x0646;
    case 0x06BE: /* heh doachashmee */
    case 0x06C1: /* heh goal */
        return 0x0647;
    case 0x06D2: /* yeh barree */
    case 0x06D3:
        return 0x064A;
    default:
        return c;
    }
}

/* Takes the transliterator's output u[0..n) into both forms. */
static void ps_take_icu_output(ps_norm_state *st, const UChar *u, int32_t n, bool arabic)
{
    char w[PS_RUN_OUT_CAP];
    size_t wn = 0;
    for (int32_t i = 0; i < n && wn < sizeof w;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        if (c >= 'A' && c <= 'Z') {
            w[wn++] = (char)c;
        } else if (arabic && c == 0x02BF) { /* ayn: A unless next to a vowel */
            char next = 0;
            if (i < n && u[i] < 0x80)
                next = (char)(u[i] >= 'a' && u[i] <= 'z' ? u[i] - ('a' - 'A') : u[i]);
            char prev = wn ? w[wn - 1] : 0;
            if (!ps_is_vowel(next) && prev != 'A')
                w[wn++] = 'A';
        } else if (ps_is_apostrophe((uint32_t)c) || u_isalpha(c) ||
                   (ps_get_gc_mask((uint32_t)c) & (U_GC_M_MASK | U_GC_N_MASK)) ||
                   (c != 0x200C && (ps_get_gc_mask((uint32_t)c) & U_GC_CF_MASK))) {
            /* apostrophes, letters ICU could not romanize, marks, digits: dropped */
        } else {
            w[wn++] = ' ';
        }
    }
    if (arabic) /* a word-final Y after a consonant reads I */
        for (size_t i = 1; i < wn; i++)
            if (w[i] == 'Y' && (i + 1 == wn || w[i + 1] == ' ') && w[i - 1] != ' ' &&
                !ps_is_vowel(w[i - 1]) && w[i - 1] != 'Y')
                w[i] = 'I';
    for (size_t i = 0; i < wn && !st->full; i++) {
        if (w[i] == ' ')
            ps_sep(st);
        else
            ps_emit_char(st, w[i]);
    }
}

static void ps_flush_run(ps_norm_state *st)
{
    if (!st->run_len)
        return;
    int32_t n = st->run_len;
    st->run_len = 0;
    st->run_hangul = false;
    UTransliterator *t = ps_transliterator();
    if (!t)
        return;
    UChar buf[PS_RUN_OUT_CAP];
    memcpy(buf, st->run, (size_t)n * sizeof(UChar));
    int32_t len = n, limit = n;
    UErrorCode err = U_ZERO_ERROR;
    utrans_transUChars(t, buf, &len, PS_RUN_OUT_CAP, 0, &limit, &err);
    if (U_SUCCESS(err)) {
        ps_take_icu_output(st, buf, len, st->run_arabic);
        return;
    }
    /* The run grew past the buffer: one code point at a time. */
    for (int32_t i = 0; i < n && !st->full;) {
        int32_t from = i;
        U16_FWD_1(st->run, i, n);
        len = limit = i - from;
        memcpy(buf, st->run + from, (size_t)len * sizeof(UChar));
        err = U_ZERO_ERROR;
        utrans_transUChars(t, buf, &len, PS_RUN_OUT_CAP, 0, &limit, &err);
        if (U_SUCCESS(err))
            ps_take_icu_output(st, buf, len, st->run_arabic);
    }
}

static void ps_run_add(ps_norm_state *st, uint32_t c)
{
    if (st->run_len + 3 > PS_RUN_CAP)
        ps_flush_run(st);
    UBool bad = false;
    U16_APPEND(st->run, st->run_len, PS_RUN_CAP, (UChar32)c, bad);
    (void)bad;
}

/* A letter of a script without a table of its own. */
static void ps_run_letter(ps_norm_state *st, uint32_t c)
{
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript((UChar32)c, &err);
    bool common = U_FAILURE(err) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED;
    bool arabic = script == USCRIPT_ARABIC;
    if (!common && st->run_len && arabic != st->run_arabic)
        ps_flush_run(st);
    if (!st->run_len)
        st->run_arabic = arabic;
    bool hangul = c >= 0xAC00 && c <= 0xD7A3;
    if (st->run_len + 4 > PS_RUN_CAP) {
        bool was_hangul = st->run_hangul;
        ps_flush_run(st);
        if (hangul && was_hangul)
            ps_sep(st);
    }
    if (hangul && st->run_hangul) /* one token per Hangul syllable */
        ps_run_add(st, ' ');
    ps_run_add(st, arabic ? ps_arabic_premap(c) : c);
    st->run_hangul = hangul;
    if (!common && script != USCRIPT_LATIN)
        st->transliterated = true;
    st->prev_letter = true;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the input. */

static void ps_read_ascii_char(ps_norm_state *st, unsigned c)
{
    if (c >= 'a' && c <= 'z')
        ps_emit_char(st, (char)(c - ('a' - 'A')));
    else if (c >= 'A' && c <= 'Z')
        ps_emit_char(st, (char)c);
    else if (c != '\'' && c != '`' && !(c >= '0' && c <= '9')) /* apostrophes, digits: dropped */
        ps_sep(st);
}

static void ps_read_ascii(ps_norm_state *st, const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len && !st->full; i++)
        ps_read_ascii_char(st, p[i]);
}

/* A letter outside ASCII; s[*i] is the code point after it (a digraph may consume it). */
static void ps_read_letter(ps_norm_state *st, const UNormalizer2 *nfd, uint32_t c, const UChar *s,
                           int32_t *i, int32_t n)
{
    const ps_latin_special *ls = ps_find_latin_special(c);
    const ps_cyr_letter *cl = ps_find_cyr(ps_cyr_upper(c));
    bool dia;
    uint32_t greek;
    if (ls) {
        ps_flush_run(st);
        ps_emit(st, ls->primary, ls->alt);
    } else if (cl) {
        ps_flush_run(st);
        ps_cyrillic(st, cl, s, *i, n);
    } else if ((greek = ps_greek_base(nfd, c, &dia)) != 0) {
        ps_flush_run(st);
        ps_greek(st, nfd, greek, s, i, n);
    } else {
        /* An accented Latin letter loses its marks; anything else goes to the
         * transliterator. */
        UChar dec[8];
        UErrorCode err = U_ZERO_ERROR;
        int32_t dn = nfd ? unorm2_getDecomposition(nfd, (UChar32)c, dec, 8, &err) : -1;
        UChar b = U_SUCCESS(err) && dn > 0 ? dec[0] : 0;
        if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')) {
            ps_flush_run(st);
            ps_read_ascii_char(st, b);
        } else {
            ps_run_letter(st, c);
        }
    }
}

/* Decodes p[0..len) into in (at most PS_IN_CAP units), dropping invalid bytes. */
static int32_t ps_decode_utf8(ps_norm_state *st, const unsigned char *p, size_t len, UChar *in)
{
    int32_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t l = ps_utf8_len(p + i, len - i);
        if (!l) {
            i++;
            continue;
        }
        UChar32 c = p[i] & (0xFF >> (l == 1 ? 1 : l + 1));
        for (size_t k = 1; k < l; k++)
            c = (c << 6) | (p[i + k] & 0x3F);
        if (n + U16_LENGTH(c) > PS_IN_CAP) {
            st->truncated = true;
            break;
        }
        U16_APPEND_UNSAFE(in, n, c);
        i += l;
    }
    return n;
}

static void ps_read_unicode(ps_norm_state *st, const unsigned char *p, size_t len)
{
    UChar in[PS_IN_CAP];
    int32_t n = ps_decode_utf8(st, p, len, in);

    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    const UNormalizer2 *nfd = U_SUCCESS(err) ? unorm2_getNFDInstance(&err) : NULL;
    if (U_FAILURE(err))
        nfc = nfd = NULL;
    UChar norm[PS_IN_CAP * 3]; /* NFC grows a string at most threefold */
    const UChar *s = in;
    if (nfc) {
        err = U_ZERO_ERROR;
        if (unorm2_quickCheck(nfc, in, n, &err) != UNORM_YES && U_SUCCESS(err)) {
            int32_t m = unorm2_normalize(nfc, in, n, norm, PS_IN_CAP * 3, &err);
            if (U_SUCCESS(err)) {
                s = norm;
                n = m;
            }
        }
    }

    st->lang = ps_cyr_detect(s, n);
    for (int32_t i = 0; i < n && !st->full;) {
        UChar32 c32;
        U16_NEXT(s, i, n, c32);
        uint32_t c = (uint32_t)c32;
        uint32_t gc = ps_get_gc_mask(c);
        if (c < 0x80) {
            ps_flush_run(st);
            ps_read_ascii_char(st, c);
        } else if (ps_is_apostrophe(c)) {
            continue; /* dropped, and prev_cyr kept: the letters around it still pair */
        } else if (gc & U_GC_M_MASK) {
            if (st->run_len) /* a mark in a run belongs to it (vowel signs, harakat) */
                ps_run_add(st, c);
            continue; /* otherwise dropped */
        } else if (gc & U_GC_N_MASK) {
            continue; /* digits: dropped */
        } else if (gc & U_GC_CF_MASK) {
            if (c == 0x200C) { /* zero-width non-joiner: between parts of a compound name */
                ps_flush_run(st);
                ps_sep(st);
            }
            continue; /* other format characters: dropped */
        } else if (u_isalpha(c32)) {
            ps_read_letter(st, nfd, c, s, &i, n);
        } else {
            ps_flush_run(st);
            ps_sep(st);
        }
        st->prev_cyr = ps_cyr_upper(c);
    }
    ps_flush_run(st);
}

/* ------------------------------------------------------------------------------------------ */
/* Tokens. */

enum { PS_WORD_TITLE = 1, PS_WORD_PARTICLE = 2 };

typedef struct ps_word {
    char text[7];
    uint8_t kind;
} ps_word;

/* Titles and particles (see the comment at the top); BN BNT ABN ABW are bin, bint, ibn and
 * abu as ICU writes them from Arabic script. */
static const ps_word ps_words[] = {
    {"MR", PS_WORD_TITLE},        {"MRS", PS_WORD_TITLE},       {"MS", PS_WORD_TITLE},
    {"MISS", PS_WORD_TITLE},      {"MSTR", PS_WORD_TITLE},      {"MASTER", PS_WORD_TITLE},
    {"DR", PS_WORD_TITLE},        {"PROF", PS_WORD_TITLE},      {"SIR", PS_WORD_TITLE},
    {"DAME", PS_WORD_TITLE},      {"LADY", PS_WORD_TITLE},      {"REV", PS_WORD_TITLE},
    {"FR", PS_WORD_TITLE},        {"HH", PS_WORD_TITLE},        {"CAPT", PS_WORD_TITLE},
    {"COL", PS_WORD_TITLE},       {"LT", PS_WORD_TITLE},        {"SGT", PS_WORD_TITLE},
    {"MX", PS_WORD_TITLE},        {"SR", PS_WORD_TITLE},        {"SRA", PS_WORD_TITLE},
    {"SRTA", PS_WORD_TITLE},      {"FRAU", PS_WORD_TITLE},      {"MME", PS_WORD_TITLE},
    {"MLLE", PS_WORD_TITLE},      {"MLE", PS_WORD_TITLE},       {"AL", PS_WORD_PARTICLE},
    {"EL", PS_WORD_PARTICLE},     {"UL", PS_WORD_PARTICLE},     {"BIN", PS_WORD_PARTICLE},
    {"BINT", PS_WORD_PARTICLE},   {"BINTI", PS_WORD_PARTICLE},  {"IBN", PS_WORD_PARTICLE},
    {"BEN", PS_WORD_PARTICLE},    {"ABU", PS_WORD_PARTICLE},    {"ABD", PS_WORD_PARTICLE},
    {"VAN", PS_WORD_PARTICLE},    {"VON", PS_WORD_PARTICLE},    {"DER", PS_WORD_PARTICLE},
    {"DEN", PS_WORD_PARTICLE},    {"DE", PS_WORD_PARTICLE},     {"DEL", PS_WORD_PARTICLE},
    {"DELLA", PS_WORD_PARTICLE},  {"DELA", PS_WORD_PARTICLE},   {"DA", PS_WORD_PARTICLE},
    {"DAS", PS_WORD_PARTICLE},    {"DOS", PS_WORD_PARTICLE},    {"DI", PS_WORD_PARTICLE},
    {"DU", PS_WORD_PARTICLE},     {"LA", PS_WORD_PARTICLE},     {"LE", PS_WORD_PARTICLE},
    {"LO", PS_WORD_PARTICLE},     {"MAC", PS_WORD_PARTICLE},    {"MC", PS_WORD_PARTICLE},
    {"O", PS_WORD_PARTICLE},      {"ST", PS_WORD_PARTICLE},     {"SAINT", PS_WORD_PARTICLE},
    {"TER", PS_WORD_PARTICLE},    {"TEN", PS_WORD_PARTICLE},    {"Y", PS_WORD_PARTICLE},
    {"SHEIKH", PS_WORD_PARTICLE}, {"SHAIKH", PS_WORD_PARTICLE}, {"HAJI", PS_WORD_PARTICLE},
    {"HAJJI", PS_WORD_PARTICLE},  {"BN", PS_WORD_PARTICLE},     {"BNT", PS_WORD_PARTICLE},
    {"ABN", PS_WORD_PARTICLE},    {"ABW", PS_WORD_PARTICLE},
};

#define PS_N_WORDS (sizeof ps_words / sizeof ps_words[0])

/* The words as 64-bit keys (letters big-endian, zero-padded), sorted, built once. */
static uint64_t ps_word_keys[PS_N_WORDS];
static uint8_t ps_word_kinds[PS_N_WORDS];
static pthread_once_t ps_words_once = PTHREAD_ONCE_INIT;

static uint64_t ps_word_key(const char *t, size_t n)
{
    uint64_t key = 0;
    for (size_t i = 0; i < sizeof ps_words[0].text; i++)
        key = key << 8 | (i < n ? (unsigned char)t[i] : 0);
    return key;
}

static void ps_words_init(void)
{
    for (size_t i = 0; i < PS_N_WORDS; i++) { /* insertion sort: a few dozen words */
        uint64_t key = ps_word_key(ps_words[i].text, strlen(ps_words[i].text));
        size_t j = i;
        for (; j > 0 && ps_word_keys[j - 1] > key; j--) {
            ps_word_keys[j] = ps_word_keys[j - 1];
            ps_word_kinds[j] = ps_word_kinds[j - 1];
        }
        ps_word_keys[j] = key;
        ps_word_kinds[j] = ps_words[i].kind;
    }
}

/* PS_WORD_TITLE, PS_WORD_PARTICLE or 0 for the token t[0..n). */
static int ps_word_kind(const char *t, size_t n)
{
    if (n >= sizeof ps_words[0].text)
        return 0;
    pthread_once(&ps_words_once, ps_words_init);
    uint64_t key = ps_word_key(t, n);
    size_t lo = 0, hi = PS_N_WORDS;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ps_word_keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < PS_N_WORDS && ps_word_keys[lo] == key ? ps_word_kinds[lo] : 0;
}

/* The next token of raw from *pos; false at the end. */
static bool ps_next_token(const ps_raw *r, size_t *pos, size_t *start, size_t *len)
{
    size_t i = *pos;
    while (i < r->len && r->buf[i] == ' ')
        i++;
    if (i >= r->len)
        return false;
    size_t j = i;
    while (j < r->len && r->buf[j] != ' ')
        j++;
    *start = i;
    *len = j - i;
    *pos = j;
    return true;
}

static void ps_build_form(const ps_raw *r, ps_name_form *f, bool *truncated)
{
    size_t pos = 0, start, len, others = 0;
    while (ps_next_token(r, &pos, &start, &len))
        if (ps_word_kind(r->buf + start, len) != PS_WORD_TITLE)
            others++;
    pos = 0;
    while (ps_next_token(r, &pos, &start, &len)) {
        const char *t = r->buf + start;
        int kind = ps_word_kind(t, len);
        if (others && kind == PS_WORD_TITLE)
            continue;
        if (f->n_tokens == PS_NAME_MAX_TOKENS) {
            *truncated = true;
            break;
        }
        size_t need = len + (f->len ? 1 : 0);
        if (f->len + need > PS_NAME_MAX_BYTES - 1) {
            *truncated = true;
            if (f->n_tokens)
                break;
            len = PS_NAME_MAX_BYTES - 1; /* a first token longer than a form: cut */
        }
        if (f->len)
            f->text[f->len++] = ' ';
        uint8_t flags = 0;
        if (kind == PS_WORD_PARTICLE)
            flags |= PS_TOKEN_PARTICLE;
        if (len == 1)
            flags |= PS_TOKEN_INITIAL;
        f->start[f->n_tokens] = (uint8_t)f->len;
        f->length[f->n_tokens] = (uint8_t)len;
        f->flags[f->n_tokens] = flags;
        f->n_tokens++;
        memcpy(f->text + f->len, t, len);
        f->len += (uint16_t)len;
    }
    f->text[f->len] = '\0';
}

void ps_name_normalize(const char *utf8, size_t len, ps_name_norm *out)
{
    memset(out, 0, sizeof *out);
    ps_norm_state st;
    memset(&st, 0, sizeof st);
    if (!utf8)
        len = 0;
    const unsigned char *p = (const unsigned char *)utf8;
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = p[i] < 0x80;
    if (ascii)
        ps_read_ascii(&st, p, len);
    else
        ps_read_unicode(&st, p, len);

    bool truncated = st.truncated;
    ps_build_form(&st.raw[PS_PRIMARY], &out->primary, &truncated);
    ps_build_form(&st.raw[PS_ALTERNATE], &out->alternate, &truncated);
    out->has_alternate = out->primary.len != out->alternate.len ||
                         memcmp(out->primary.text, out->alternate.text, out->primary.len) != 0;
    out->transliterated = st.transliterated;
    out->truncated = truncated;
}
