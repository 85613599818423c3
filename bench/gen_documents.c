/* bench/gen_documents.c — deterministic generator of document-only watchlist entries (lost and
 * stolen travel documents, shaped like INTERPOL SLTD records) for the screening throughput
 * benchmark (bench/screen_throughput.sh). One JSON line per entry, the "Watchlist entry" of
 * interfaces.md with no names:
 *   {"list":"sltd","id":"SLTD-00000001","documents":[{"number":"C4F7K2M9T","issuer":"DEU",
 *    "type":"P","status":"stolen"}]}
 * Numbers follow each issuer's usual shape (9 digits for USA and GBR passports, 9 characters
 * of the German passport set, 99AA99999 for French passports, 8 digits and a letter for Spanish
 * identity cards, and so on); issuers are alpha-3 codes drawn with rough weights; about 2% of
 * the numbers are written with a space or a dash, as clerks type them. Same options give the
 * same bytes (splitmix64 PRNG, no clock, no locale).
 *
 * usage: gen_documents [--count N] [--seed S] [--start K] > FILE.jsonl
 *   N entries (default 1,000,000), ids SLTD-<K>..SLTD-<K+N-1> (default K = 1). */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include "bench_prng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* A shape is a template: '#' a digit, '@' a letter, '*' a letter or digit, '%' a character of
 * the German passport set (no vowels, no B, D, Q, S); anything else (upper-case letters, a
 * space) is copied. */
typedef struct {
    char type;         /* 'P' passport, 'I' identity card */
    const char *shape;
} shape;

typedef struct {
    const char *issuer;
    unsigned weight;
    shape shapes[3];   /* one to three shapes, the first the most common */
} issuer_shapes;

/* clang-format off */
static const issuer_shapes issuers[] = {
    {"USA", 60, {{'P', "#########"}, {'P', "@########"}}},
    {"GBR", 40, {{'P', "#########"}, {'P', "#########"}}},
    {"DEU", 40, {{'P', "%%%%%%%%%"}, {'I', "L%%%%%%%%"}}},
    {"FRA", 40, {{'P', "##@@#####"}, {'I', "############"}, {'I', "*********"}}},
    {"ITA", 30, {{'P', "@@#######"}, {'I', "CA#####@@"}}},
    {"ESP", 30, {{'P', "@@@######"}, {'I', "########@"}}},
    {"NLD", 15, {{'P', "@@******#"}, {'I', "@@******#"}}},
    {"BEL", 10, {{'P', "@@######"}, {'I', "############"}}},
    {"POL", 15, {{'P', "@@#######"}, {'I', "@@@######"}}},
    {"ROU", 10, {{'P', "########"}, {'I', "@@######"}}},
    {"SWE", 8,  {{'P', "########"}}},
    {"CHE", 8,  {{'P', "@#######"}}},
    {"AUT", 8,  {{'P', "@#######"}}},
    {"CAN", 20, {{'P', "@@######"}}},
    {"AUS", 15, {{'P', "@#######"}, {'P', "@@#######"}}},
    {"RUS", 30, {{'P', "#########"}, {'I', "#### ######"}}},
    {"UKR", 20, {{'P', "@@######"}, {'I', "#########"}}},
    {"TUR", 20, {{'P', "@########"}, {'I', "@##@#####"}}},
    {"CHN", 40, {{'P', "E########"}, {'P', "E@#######"}}},
    {"IND", 35, {{'P', "@#######"}}},
    {"PAK", 15, {{'P', "@@#######"}}},
    {"BGD", 10, {{'P', "@@#######"}}},
    {"IDN", 15, {{'P', "@#######"}, {'P', "@@######"}}},
    {"PHL", 10, {{'P', "P#######@"}}},
    {"VNM", 10, {{'P', "@########"}}},
    {"JPN", 10, {{'P', "@@#######"}}},
    {"KOR", 8,  {{'P', "M########"}}},
    {"BRA", 20, {{'P', "@@######"}}},
    {"MEX", 15, {{'P', "G########"}, {'P', "###########"}}},
    {"COL", 8,  {{'P', "@@######"}}},
    {"ARG", 8,  {{'P', "@@@######"}}},
    {"NGA", 15, {{'P', "@########"}}},
    {"EGY", 10, {{'P', "@########"}}},
    {"MAR", 8,  {{'P', "@@#######"}}},
    {"DZA", 8,  {{'P', "#########"}}},
    {"IRN", 8,  {{'P', "@########"}}},
    {"IRQ", 8,  {{'P', "@########"}}},
    {"SYR", 8,  {{'P', "#########"}}},
    {"SAU", 6,  {{'P', "@######"}}},
    {"ZAF", 8,  {{'P', "@########"}}},
    {"KEN", 5,  {{'P', "AK#######"}}},
    {"ETH", 5,  {{'P', "EP#######"}}},
    {"GHA", 5,  {{'P', "G#######"}}},
    {"AFG", 5,  {{'P', "P########"}}},
    {"LBN", 4,  {{'P', "RL#######"}}},
    {"JOR", 4,  {{'P', "@######"}}},
    {"GRC", 6,  {{'P', "@@#######"}}},
    {"PRT", 6,  {{'P', "@######"}}},
};
/* clang-format on */

static const char *const statuses[] = {"stolen", "stolen", "stolen", "lost", "lost",
                                       "revoked", "invalidated"};

static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
static const char german[] = "CFGHJKLMNPRTVWXYZ0123456789";

static unsigned n_shapes(const issuer_shapes *is)
{
    unsigned n = 0;
    while (n < NELEM(is->shapes) && is->shapes[n].shape)
        n++;
    return n;
}

/* Fills out (NUL-terminated) from the template; returns the length. */
static size_t fill(const char *tmpl, char *out)
{
    size_t n = 0;
    for (const char *p = tmpl; *p; p++) {
        switch (*p) {
        case '#': out[n++] = (char)('0' + rnd(10)); break;
        case '@': out[n++] = letters[rnd(26)]; break;
        case '*': out[n++] = alnum[rnd(36)]; break;
        case '%': out[n++] = german[rnd(sizeof german - 1)]; break;
        default: out[n++] = *p; break;
        }
    }
    out[n] = '\0';
    return n;
}

int main(int argc, char **argv)
{
    uint64_t count = 1000000, seed = 1, start = 1;
    static const struct option opts[] = {
        {"count", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"start", required_argument, NULL, 'k'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        uint64_t v = strtoull(optarg ? optarg : "", &end, 10);
        if (c == '?' || !optarg || *end) {
            fputs("usage: gen_documents [--count N] [--seed S] [--start K] > FILE.jsonl\n",
                  stderr);
            return 2;
        }
        if (c == 'n')
            count = v;
        else if (c == 's')
            seed = v;
        else
            start = v;
    }
    rng_state = seed * 0x2545F4914F6CDD1Dull + 17;

    /* Cumulative weights, so an issuer is one draw and a short scan. */
    unsigned cum[NELEM(issuers)], total = 0;
    for (size_t i = 0; i < NELEM(issuers); i++)
        cum[i] = total += issuers[i].weight;

    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    char num[32], typed[40];
    for (uint64_t i = 0; i < count; i++) {
        unsigned w = rnd(total);
        size_t k = 0;
        while (cum[k] <= w)
            k++;
        const issuer_shapes *is = &issuers[k];
        const shape *sh = &is->shapes[rnd(4) == 0 ? rnd(n_shapes(is)) : 0];
        size_t len = fill(sh->shape, num);
        const char *shown = num;
        unsigned style = rnd(100);
        if (style < 2 && len > 4) { /* typed with a space or a dash in the middle */
            size_t cut = len / 2;
            memcpy(typed, num, cut);
            typed[cut] = style == 0 ? ' ' : '-';
            memcpy(typed + cut + 1, num + cut, len - cut + 1);
            shown = typed;
        }
        printf("{\"list\":\"sltd\",\"id\":\"SLTD-%08llu\",\"documents\":[{\"number\":\"%s\","
               "\"issuer\":\"%s\",\"type\":\"%c\",\"status\":\"%s\"}]}\n",
               (unsigned long long)(start + i), shown, is->issuer, sh->type,
               statuses[rnd(NELEM(statuses))]);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("gen_documents: write");
        return 1;
    }
    return 0;
}
