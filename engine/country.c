/* engine/country.c — country codes (normalize.h): ps_country_alpha3 maps an ISO 3166-1
 * alpha-2 or alpha-3 code, an ICAO Doc 9303 special code (paxlst.md §6.3) or Kosovo's RKS/XK
 * to one static alpha-3 string, or NULL.
 *
 * The ISO data comes from ICU: uloc_getISOCountries() gives the alpha-2 list and
 * uloc_getISO3Country("_XX") the alpha-3 of each. Two sorted tables (alpha-2 -> alpha-3, and
 * every accepted alpha-3) are built once, under pthread_once, and searched with bsearch.
 *
 * ICU's region list is not exactly ISO 3166-1. ICU 72 lists 253 codes, four of which are not
 * ISO 3166-1 assigned codes and are excluded here:
 *   DG (Diego Garcia, ICU alpha-3 "DGA"), EA (Ceuta and Melilla, "XEA") and IC (Canary Islands,
 *   "XIC") are only exceptionally reserved; XK (Kosovo, "XKK") is a user-assigned code and is
 *   mapped to RKS instead, so XKK is not accepted.
 * Withdrawn/transitional and other reserved codes are excluded too in case an ICU version lists
 * them (ICU 72 does not, though uloc_getISO3Country still answers for some: AN->ANT, CS->SCG,
 * YU->YUG, ZR->ZAR, TP->TMP, SU->SUN, FX->FXX, BU->BUR). UK is exceptionally reserved, not
 * Britain's code (GB), so it gives NULL. That leaves the 249 current ISO 3166-1 codes.
 *
 * Input: surrounding ASCII white space (space, tab, CR, LF, VT, FF) is ignored; a-z is
 * upper-cased; anything else that is not A-Z makes the code unknown. */
#include "paxscreen/normalize.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>

#define PS_COUNTRY_MAX 320 /* room for ICU's list (253 in ICU 72) plus the specials */

/* Alpha-2 codes ICU may list that are not current ISO 3166-1 codes. */
static const char ps_country_excluded[][3] = {
    "DG", "EA", "IC", "XK",                                           /* listed by ICU 72 */
    "AC", "CP", "EU", "EZ", "TA", "UK", "UN",                         /* exceptionally reserved */
    "AN", "BU", "CS", "DD", "FX", "NT", "SU", "TP", "YD", "YU", "ZR", /* withdrawn */
};

/* ICAO Doc 9303 Part 3 codes that are not ISO 3166-1, plus RKS (Kosovo, seen in the wild). */
static const char ps_country_specials[][4] = {
    "EUE", "GBD", "GBN", "GBO", "GBP", "GBS", "RKS", "UNA", "UNK", "UNO", "XBA", "XCC", "XCE",
    "XCO", "XDC", "XEC", "XES", "XIM", "XMP", "XOM", "XPO", "XXA", "XXB", "XXC", "XXX",
};

#define PS_N_SPECIALS (sizeof ps_country_specials / sizeof ps_country_specials[0])

typedef struct ps_alpha2_entry {
    char a2[3];
    const char *a3;
} ps_alpha2_entry;

static pthread_once_t ps_country_once = PTHREAD_ONCE_INIT;
static char ps_iso_alpha3[PS_COUNTRY_MAX][4]; /* storage for ICU's alpha-3 codes */
static ps_alpha2_entry ps_alpha2[PS_COUNTRY_MAX];
static size_t ps_alpha2_count;
static const char *ps_alpha3[PS_COUNTRY_MAX]; /* every accepted alpha-3, sorted */
static size_t ps_alpha3_count;

static bool ps_all_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    return true;
}

static bool ps_country_is_excluded(const char *a2)
{
    for (size_t i = 0; i < sizeof ps_country_excluded / sizeof ps_country_excluded[0]; i++)
        if (memcmp(a2, ps_country_excluded[i], 2) == 0)
            return true;
    return false;
}

static int ps_cmp_alpha2(const void *a, const void *b)
{
    return memcmp(((const ps_alpha2_entry *)a)->a2, ((const ps_alpha2_entry *)b)->a2, 2);
}

static int ps_cmp_alpha3(const void *a, const void *b)
{
    return memcmp(*(const char *const *)a, *(const char *const *)b, 3);
}

static void ps_country_add_alpha3(const char *a3)
{
    if (ps_alpha3_count < PS_COUNTRY_MAX)
        ps_alpha3[ps_alpha3_count++] = a3;
}

static void ps_country_init(void)
{
    const char *const *codes = uloc_getISOCountries();
    size_t n_iso = 0;
    for (size_t i = 0; codes && codes[i] && n_iso < PS_COUNTRY_MAX - PS_N_SPECIALS; i++) {
        const char *a2 = codes[i];
        if (strlen(a2) != 2 || !ps_all_upper(a2, 2) || ps_country_is_excluded(a2))
            continue;
        char locale[4] = {'_', a2[0], a2[1], '\0'};
        const char *a3 = uloc_getISO3Country(locale);
        if (!a3 || strlen(a3) != 3 || !ps_all_upper(a3, 3))
            continue;
        memcpy(ps_iso_alpha3[n_iso], a3, 4);
        memcpy(ps_alpha2[ps_alpha2_count].a2, a2, 3);
        ps_alpha2[ps_alpha2_count++].a3 = ps_iso_alpha3[n_iso];
        ps_country_add_alpha3(ps_iso_alpha3[n_iso]);
        n_iso++;
    }
    /* XK is not ISO 3166-1, but Kosovo documents and feeds use it: map it to RKS. */
    const char *rks = NULL;
    for (size_t i = 0; i < PS_N_SPECIALS; i++) {
        ps_country_add_alpha3(ps_country_specials[i]);
        if (memcmp(ps_country_specials[i], "RKS", 3) == 0)
            rks = ps_country_specials[i];
    }
    memcpy(ps_alpha2[ps_alpha2_count].a2, "XK", 3);
    ps_alpha2[ps_alpha2_count++].a3 = rks;

    qsort(ps_alpha2, ps_alpha2_count, sizeof ps_alpha2[0], ps_cmp_alpha2);
    qsort(ps_alpha3, ps_alpha3_count, sizeof ps_alpha3[0], ps_cmp_alpha3);
    /* Drop duplicates (none with ICU 72), keeping the first. */
    size_t k = 0;
    for (size_t i = 0; i < ps_alpha2_count; i++)
        if (k == 0 || memcmp(ps_alpha2[k - 1].a2, ps_alpha2[i].a2, 2) != 0)
            ps_alpha2[k++] = ps_alpha2[i];
    ps_alpha2_count = k;
    k = 0;
    for (size_t i = 0; i < ps_alpha3_count; i++)
        if (k == 0 || memcmp(ps_alpha3[k - 1], ps_alpha3[i], 3) != 0)
            ps_alpha3[k++] = ps_alpha3[i];
    ps_alpha3_count = k;
}

static bool ps_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

const char *ps_country_alpha3(const char *p, size_t len)
{
    if (!p)
        return NULL;
    while (len && ps_is_space(p[0])) {
        p++;
        len--;
    }
    while (len && ps_is_space(p[len - 1]))
        len--;
    if (len < 1 || len > 3)
        return NULL;
    char key[4] = {0};
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            return NULL;
        key[i] = c;
    }
    if (len == 1) {
        if (key[0] != 'D')
            return NULL;
        memcpy(key, "DEU", 4); /* ICAO "D": the same static string as "DEU" */
        len = 3;
    }

    pthread_once(&ps_country_once, ps_country_init);
    if (len == 2) {
        ps_alpha2_entry probe;
        memcpy(probe.a2, key, 3);
        const ps_alpha2_entry *e =
            bsearch(&probe, ps_alpha2, ps_alpha2_count, sizeof ps_alpha2[0], ps_cmp_alpha2);
        return e ? e->a3 : NULL;
    }
    const char *probe = key;
    const char *const *e =
        bsearch(&probe, ps_alpha3, ps_alpha3_count, sizeof ps_alpha3[0], ps_cmp_alpha3);
    return e ? *e : NULL;
}
