/* tests/fuzz/fuzz_mrz.c — libFuzzer target for ps_mrz_parse (formats/mrz.c): parses any bytes
 * as an MRZ and checks the result's invariants; a parsed zone must parse the same again when
 * given as one concatenated string. */
#include "paxscreen/mrz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void require(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_mrz: invariant failed: %s\n", what);
        abort();
    }
}

static bool terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

/* Name parts hold A-Z (0-9 in a bad zone) and single inner spaces; codes and numbers hold
 * A-Z 0-9 '<' (and the space joining TD1's two optional fields). */
static bool clean_name(const char *s)
{
    size_t n = strlen(s);
    if (n && (s[0] == ' ' || s[n - 1] == ' '))
        return false;
    for (size_t i = 0; i < n; i++) {
        bool ok = (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
                  (s[i] == ' ' && s[i + 1] != ' ');
        if (!ok)
            return false;
    }
    return true;
}

static bool clean_code(const char *s)
{
    size_t n = strlen(s);
    if (n && (s[0] == '<' || s[n - 1] == '<'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (ps_mrz_check_digit(s + i, 1) < 0 && s[i] != ' ')
            return false;
    return true;
}

static void check_result(const ps_mrz *m, bool ok, const ps_diag_list *diags)
{
    uint32_t errors = ps_diag_count(diags, PS_ERROR);
    if (!ok) {
        require(errors == 1, "a rejected input has exactly one error");
        require(diags->count == 1, "a rejected input has no warnings");
        require(strcmp(diags->items[0].kind, "mrz_invalid") == 0, "error kind is mrz_invalid");
        require(m->format == 0 && !m->checks_ok && m->checks_failed == 0,
                "a rejected input leaves the output empty");
        return;
    }
    require(errors == 0, "an accepted input has no errors");
    require(m->format == PS_MRZ_TD1 || m->format == PS_MRZ_TD2 || m->format == PS_MRZ_TD3,
            "format is TD1, TD2 or TD3");
    require(m->checks_ok == (m->checks_failed == 0), "checks_ok iff no check failed");
    require(m->checks_failed <= 5, "at most five check digits");
    uint32_t cd_warnings = 0;
    for (uint32_t i = 0; i < diags->count; i++) {
        const ps_diag *d = &diags->items[i];
        require(d->severity == PS_WARNING, "only warnings");
        require(d->field.len > 0, "every warning names its field");
        if (strcmp(d->kind, "mrz_check_digit") == 0)
            cd_warnings++;
    }
    require(cd_warnings == m->checks_failed, "one warning per failed check digit");
    require(terminated(m->doc_code, sizeof m->doc_code) &&
                terminated(m->issuer, sizeof m->issuer) &&
                terminated(m->surname, sizeof m->surname) &&
                terminated(m->given_names, sizeof m->given_names) &&
                terminated(m->number, sizeof m->number) &&
                terminated(m->nationality, sizeof m->nationality) &&
                terminated(m->optional, sizeof m->optional),
            "strings are NUL-terminated");
    require(clean_name(m->surname) && clean_name(m->given_names), "names are clean");
    require(clean_code(m->doc_code) && clean_code(m->issuer) && clean_code(m->number) &&
                clean_code(m->nationality) && clean_code(m->optional),
            "codes are clean");
    require(m->sex == 'M' || m->sex == 'F' || m->sex == 'X', "sex is M, F or X");
    require(m->birth_date.precision == PS_DATE_NONE || ps_date_valid(&m->birth_date),
            "birth date is valid or absent");
    require(m->expiry.precision == PS_DATE_NONE || ps_date_valid(&m->expiry),
            "expiry is valid or absent");
    require(m->birth_date.precision <= PS_DATE_DAY && m->expiry.precision <= PS_DATE_DAY,
            "dates carry no time");
}

static bool same_result(const ps_mrz *a, const ps_mrz *b)
{
    return a->format == b->format && strcmp(a->doc_code, b->doc_code) == 0 &&
           strcmp(a->issuer, b->issuer) == 0 && strcmp(a->surname, b->surname) == 0 &&
           strcmp(a->given_names, b->given_names) == 0 && strcmp(a->number, b->number) == 0 &&
           strcmp(a->nationality, b->nationality) == 0 && a->sex == b->sex &&
           strcmp(a->optional, b->optional) == 0 &&
           ps_date_cmp(&a->birth_date, &b->birth_date) == 0 &&
           a->birth_date.precision == b->birth_date.precision &&
           ps_date_cmp(&a->expiry, &b->expiry) == 0 && a->expiry.precision == b->expiry.precision &&
           a->checks_ok == b->checks_ok && a->checks_failed == b->checks_failed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ps_date ref = {.year = 2024, .month = 6, .day = 1, .precision = PS_DATE_DAY};
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);

    int cd = ps_mrz_check_digit((const char *)data, size);
    require(cd >= -1 && cd <= 9, "check digit is -1..9");

    /* Copy into an exact-size buffer so a read past len is caught. */
    char *text = malloc(size ? size : 1);
    if (size)
        memcpy(text, data, size);
    ps_mrz m;
    bool ok = ps_mrz_parse(text, size, &ref, &m, &diags);
    check_result(&m, ok, &diags);

    if (ok) {
        /* The same zone as one string of the full length, without separators, must give
         * the same fields. Keep only the zone characters (separators and whitespace go). */
        char *flat = malloc(size ? size : 1);
        size_t n = 0;
        for (size_t i = 0; i < size; i++)
            if (ps_mrz_check_digit(text + i, 1) >= 0)
                flat[n++] = text[i];
        ps_mrz again;
        ps_diag_list diags2;
        ps_diag_list_init(&diags2, &arena);
        bool ok2 = ps_mrz_parse(flat, n, &ref, &again, &diags2);
        require(ok2, "the concatenated zone parses");
        check_result(&again, ok2, &diags2);
        require(same_result(&m, &again), "the concatenated zone gives the same fields");
        require(diags2.count == diags.count, "the concatenated zone gives the same warnings");
        free(flat);
    }
    free(text);
    ps_arena_free(&arena);
    return 0;
}
