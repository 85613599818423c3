/* tests/fuzz/fuzz_docnum_country.c — libFuzzer target for the document number keys
 * (engine/docnum.c) and ps_country_alpha3 (engine/country.c) on arbitrary bytes: the canonical
 * key holds only A-Z 0-9, the confusable key none of O I L S B Z, both are no longer than the
 * input, NUL-terminated and idempotent; a country result is NULL or three upper-case letters
 * that map to themselves, and the same whatever the case of the input. */
#include "paxscreen/normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void require(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_docnum_country: invariant failed: %s\n", what);
        abort();
    }
}

static bool is_key_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void check_docnum(const char *text, size_t size)
{
    /* Exact-size outputs (len + 1) so a write past the contract is caught. */
    char *canon = malloc(size + 1), *conf = malloc(size + 1);
    size_t nc = ps_docnum_canonical(text, size, canon);
    size_t nf = ps_docnum_confusable(text, size, conf);
    require(nc <= size && nf <= size, "keys are no longer than the input");
    require(canon[nc] == '\0' && conf[nf] == '\0', "keys are NUL-terminated");
    require(nc == nf, "both keys keep the same characters");
    size_t alnum = 0;
    for (size_t i = 0; i < size; i++) {
        char c = text[i];
        alnum += is_key_char(c) || (c >= 'a' && c <= 'z');
    }
    require(nc == alnum, "the canonical key keeps every ASCII letter and digit");
    for (size_t i = 0; i < nc; i++) {
        require(is_key_char(canon[i]), "canonical key is A-Z 0-9");
        require(is_key_char(conf[i]) && !strchr("OILSBZ", conf[i]),
                "confusable key is A-Z 0-9 without O I L S B Z");
    }
    /* Idempotent, and the confusable key of the canonical key is the confusable key. */
    char *again = malloc(nc + 1);
    require(ps_docnum_canonical(canon, nc, again) == nc && memcmp(again, canon, nc) == 0,
            "canonical key is idempotent");
    require(ps_docnum_confusable(canon, nc, again) == nf && memcmp(again, conf, nf) == 0,
            "confusable(canonical) == confusable");
    require(ps_docnum_confusable(conf, nf, again) == nf && memcmp(again, conf, nf) == 0,
            "confusable key is idempotent");
    free(again);
    free(canon);
    free(conf);
}

static void check_country(const char *text, size_t size)
{
    const char *a3 = ps_country_alpha3(text, size);
    if (a3) {
        require(strlen(a3) == 3, "country is three characters");
        for (int i = 0; i < 3; i++)
            require(a3[i] >= 'A' && a3[i] <= 'Z', "country is upper-case letters");
        require(ps_country_alpha3(a3, 3) == a3, "a country code maps to itself");
    }
    /* The case of the input does not matter. */
    char *flipped = malloc(size ? size : 1);
    for (size_t i = 0; i < size; i++) {
        char c = text[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        flipped[i] = c;
    }
    require(ps_country_alpha3(flipped, size) == a3, "country lookup ignores case");
    free(flipped);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Copy into an exact-size buffer so a read past len is caught. */
    char *text = malloc(size ? size : 1);
    if (size)
        memcpy(text, data, size);
    check_docnum(text, size);
    check_country(text, size);
    free(text);
    return 0;
}
