/* tests/fuzz/fuzz_router.c — libFuzzer target for paxscreend's request router and bearer
 * token check (ingest/router.c, ingest/auth.c): the first byte picks a method, the rest is
 * the request target (path and query) and also an Authorization value. A match must name a
 * route and its methods; a refusal must be 400, 404 or 405 with a message; the token check
 * must give roles only for a configured token. */
#include "../../ingest/paxscreend.h"

#include <stdlib.h>
#include <string.h>

static const char *methods[] = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", ""};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *method = methods[data[0] % (sizeof methods / sizeof methods[0])];
    const char *target = (const char *)data + 1;
    size_t len = size - 1;
    ps_route r;
    char err[256];
    err[0] = '\0';
    int st = ps_route_match(method, target, len, &r, err, sizeof err);
    if (st == 0) {
        if (r.kind == PS_R_NONE || !r.name || !r.allow)
            abort();
        if (r.kind == PS_R_BATCH_GET && r.id == 0)
            abort();
    } else if ((st != 400 && st != 404 && st != 405) || err[0] == '\0') {
        abort();
    }

    ps_token tokens[2] = {{"a", "secret-one-1", PS_AUTH_CARRIER},
                          {"b", "secret-two-2", PS_AUTH_ADMIN}};
    ps_config c;
    memset(&c, 0, sizeof c);
    c.tokens = tokens;
    c.n_tokens = 2;
    unsigned roles;
    const ps_token *tok;
    ps_auth_result a = ps_auth_check(&c, target, len, &roles, &tok);
    if (a == PS_AUTH_OK && (!tok || roles != tok->roles))
        abort();
    if (a != PS_AUTH_OK && (tok || roles))
        abort();
    return 0;
}
