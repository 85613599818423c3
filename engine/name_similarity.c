/* engine/name_similarity.c — how alike two name tokens are, as matching sees it: edit
 * distance (optimal string alignment), Jaro-Winkler, and the token similarity scoring pairs
 * tokens by (name_similarity.h). Screening scores with it; the store uses it to keep each
 * listed token's near references (store_names.c) to the neighbours screening would pair. */
#include "name_similarity.h"

#include <string.h>

/* The optimal string alignment distance (edits and adjacent transpositions) of two tokens, as
 * far as matching cares: 0, 1, 2, or 3 for anything further. Tokens are upper-case A-Z
 * (name_normalize.c): for those of up to 64 letters, Hyyro's bit-parallel algorithm (one
 * pass over b, a's letters as bit masks); anything else takes the table below. */
static bool letters_only(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 'A' || p[i] > 'Z')
            return false;
    return true;
}

static unsigned osa_bits(const char *a, size_t n, const char *b, size_t m)
{
    if (!n)
        return (unsigned)m;
    uint64_t peq[26] = {0}; /* per letter: the positions of a that hold it */
    for (size_t i = 0; i < n; i++)
        peq[a[i] - 'A'] |= (uint64_t)1 << i;
    uint64_t vp = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1, vn = 0, d0 = 0, pm_prev = 0;
    uint64_t last = (uint64_t)1 << (n - 1);
    unsigned dist = (unsigned)n;
    for (size_t j = 0; j < m; j++) {
        uint64_t pm = peq[b[j] - 'A'];
        uint64_t tr = ((~d0 & pm) << 1) & pm_prev; /* a transposition with the letter before */
        d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
        uint64_t hp = vn | ~(d0 | vp), hn = d0 & vp;
        dist += (hp & last) != 0;
        dist -= (hn & last) != 0;
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = hp & d0;
        pm_prev = pm;
    }
    return dist;
}

/* The same by the table, only cells within two of the diagonal, stopped as soon as no
 * alignment can come back under 3. */
static unsigned osa_upto2_table(const char *a, size_t n, const char *b, size_t m)
{
    if (n > 40 || m > 40 || (n > m ? n - m : m - n) > 2)
        return 3;
    unsigned char d[41][41];
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (unsigned char)(j < 3 ? j : 3);
    unsigned prev_min = 0;
    for (size_t i = 1; i <= n; i++) {
        size_t lo = i > 2 ? i - 2 : 1, hi = i + 2 < m ? i + 2 : m;
        d[i][0] = (unsigned char)(i < 3 ? i : 3);
        d[i][lo - 1] = lo > 1 ? 3 : d[i][0];
        unsigned row_min = d[i][lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1u < v)
                v = d[i - 1][j] + 1u;
            if (d[i][j - 1] + 1u < v)
                v = d[i][j - 1] + 1u;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1u < v)
                v = d[i - 2][j - 2] + 1u;
            d[i][j] = (unsigned char)(v < 3 ? v : 3);
            if (d[i][j] < row_min)
                row_min = d[i][j];
        }
        if (hi < m)
            d[i][hi + 1] = 3;
        if (row_min >= 3 && prev_min >= 2)
            return 3;
        prev_min = row_min;
    }
    return d[n][m];
}

static unsigned osa_upto2(const char *a, size_t n, const char *b, size_t m)
{
    if ((n > m ? n - m : m - n) > 2)
        return 3;
    if (n <= 64 && letters_only(a, n) && letters_only(b, m)) {
        unsigned d = osa_bits(a, n, b, m);
        return d < 3 ? d : 3;
    }
    return osa_upto2_table(a, n, b, m);
}

double ps_jaro_winkler(const char *a, size_t n, const char *b, size_t m)
{
    if (!n || !m || n > 64 || m > 64)
        return 0;
    size_t window = (n > m ? n : m) / 2;
    window = window ? window - 1 : 0;
    bool ma[64] = {0}, mb[64] = {0};
    size_t matches = 0;
    for (size_t i = 0; i < n; i++) {
        size_t lo = i > window ? i - window : 0, hi = i + window + 1 < m ? i + window + 1 : m;
        for (size_t j = lo; j < hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = true;
                matches++;
                break;
            }
        }
    }
    if (!matches)
        return 0;
    size_t k = 0, half = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        half += a[i] != b[k];
        k++;
    }
    double mm = (double)matches;
    double jaro = (mm / (double)n + mm / (double)m + (mm - (double)half / 2) / mm) / 3;
    if (jaro < 0.7)
        return jaro;
    size_t prefix = 0;
    while (prefix < 4 && prefix < n && prefix < m && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1 - jaro);
}

static bool key_eq(const char *a, uint8_t al, const char *b, uint8_t bl)
{
    return al && al == bl && memcmp(a, b, al) == 0;
}

/* Spelling alone: one edit (0.84-0.9 by length) or two in a long token (0.82); 0 when further
 * apart (KHOURY and KHOURI are one letter apart as well as alike). In a short name one letter
 * may make another (WANG, YANG): one edit counts from four letters on. */
double ps_edit_sim(const char *a, size_t n, const char *b, size_t m)
{
    size_t longest = n > m ? n : m, shortest = n < m ? n : m;
    if (longest - shortest > 2)
        return 0;
    unsigned d = osa_upto2(a, n, b, m);
    if (d == 1 && longest >= 4)
        return longest >= 6 ? 0.9 : longest == 5 ? 0.87 : 0.84;
    if (d == 2 && longest >= 7)
        return 0.82;
    return 0;
}

double ps_token_sim(const char *a, size_t n, const ps_name_token_keys *ka, const char *b,
                    size_t m, const ps_name_token_keys *kb)
{
    if (n == m && memcmp(a, b, n) == 0)
        return 1.0;
    if (n == 1 || m == 1) /* an initial stands for a name that starts with it */
        return a[0] == b[0] ? 0.8 : 0;
    /* Sound: same skeleton, outline or reading — the shorter the skeleton, the less it proves
     * (MAHMOUD and MOHAMMED share MHMD). The reading of a short token (XU and HSU; ZHOU and
     * CHOU) counts, but a reading with vowels (LI and LE: LA) proves too little in a token of
     * fewer than four letters. */
    bool same_reading = key_eq(ka->r, ka->r_len, kb->r, kb->r_len) &&
                        (!memchr(ka->r, 'A', ka->r_len) || (n >= 4 && m >= 4));
    double sound = 0;
    if (key_eq(ka->s, ka->s_len, kb->s, kb->s_len) || key_eq(ka->v, ka->v_len, kb->v, kb->v_len) ||
        same_reading) {
        double jw = ps_jaro_winkler(a, n, b, m);
        size_t consonants = ka->s_len > 1 ? ka->s_len - 1u : 0;
        double s = consonants >= 4 ? 0.9 : consonants == 3 ? 0.87 : 0.84;
        sound = jw >= 0.8 ? s : s - 0.06;
    }
    /* Spelling: one or two edits; else, without a sound in common, a high Jaro-Winkler */
    size_t longest = n > m ? n : m, shortest = n < m ? n : m;
    if (longest - shortest > 2) /* more than two edits apart, and Jaro-Winkler agrees */
        return sound;
    double spelling = ps_edit_sim(a, n, b, m);
    if (!spelling && !sound) {
        double jw = ps_jaro_winkler(a, n, b, m);
        spelling = jw >= 0.9 ? jw * 0.92 : 0;
    }
    return spelling > sound ? spelling : sound;
}
