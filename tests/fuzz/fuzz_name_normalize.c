/* tests/fuzz/fuzz_name_normalize.c — libFuzzer target for ps_name_normalize
 * (engine/name_normalize.c): normalizes any bytes and checks both forms: only A-Z tokens
 * joined by single spaces, token slices inside the text and matching it, the limits kept,
 * flags and has_alternate consistent, and the primary text normalizing to itself. */
#include "paxscreen/normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void require(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_name_normalize: invariant failed: %s\n", what);
        abort();
    }
}

static void check_form(const ps_name_form *f)
{
    require(f->len < PS_NAME_MAX_BYTES, "len fits");
    require(f->n_tokens <= PS_NAME_MAX_TOKENS, "n_tokens fits");
    require(memchr(f->text, '\0', PS_NAME_MAX_BYTES) == f->text + f->len,
            "text is NUL-terminated at len");
    for (size_t i = 0; i < f->len; i++) {
        char c = f->text[i];
        bool letter = c >= 'A' && c <= 'Z';
        bool inner_space = c == ' ' && i > 0 && i + 1 < f->len && f->text[i + 1] != ' ';
        require(letter || inner_space, "text is A-Z and single inner spaces");
    }
    size_t pos = 0;
    for (unsigned t = 0; t < f->n_tokens; t++) {
        require(f->start[t] == pos, "tokens are consecutive");
        require(f->length[t] > 0, "tokens are not empty");
        require((size_t)f->start[t] + f->length[t] <= f->len, "token lies within text");
        pos += f->length[t];
        require(pos == f->len || f->text[pos] == ' ', "a token ends at a space or the end");
        if (pos < f->len)
            pos++;
        require(((f->flags[t] & PS_TOKEN_INITIAL) != 0) == (f->length[t] == 1),
                "initial iff one letter");
        require((f->flags[t] & ~(PS_TOKEN_INITIAL | PS_TOKEN_PARTICLE)) == 0, "known flags");
    }
    require(pos == f->len, "tokens cover the text");
    require((f->len == 0) == (f->n_tokens == 0), "empty text iff no tokens");
}

static bool same_form(const ps_name_form *a, const ps_name_form *b)
{
    return a->len == b->len && a->n_tokens == b->n_tokens &&
           memcmp(a->text, b->text, a->len) == 0 && memcmp(a->start, b->start, a->n_tokens) == 0 &&
           memcmp(a->length, b->length, a->n_tokens) == 0 &&
           memcmp(a->flags, b->flags, a->n_tokens) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Copy into an exact-size buffer so a read past size is caught. */
    char *text = malloc(size ? size : 1);
    if (size)
        memcpy(text, data, size);
    ps_name_norm n;
    ps_name_normalize(text, size, &n);
    free(text);

    check_form(&n.primary);
    check_form(&n.alternate);
    require(n.has_alternate == (n.primary.len != n.alternate.len ||
                                memcmp(n.primary.text, n.alternate.text, n.primary.len) != 0),
            "has_alternate iff the texts differ");

    ps_name_norm again;
    ps_name_normalize(n.primary.text, n.primary.len, &again);
    require(same_form(&again.primary, &n.primary), "the primary text normalizes to itself");
    require(!again.has_alternate && !again.transliterated, "A-Z text has no alternate");
    return 0;
}
