/* ingest/auth.c — bearer tokens and roles: the Authorization header is looked up among the
 * configured tokens (each compared in constant time, so a guess learns nothing from timing),
 * and a route's roles are checked against the token's (admin may do everything). */
#include "paxscreend.h"

#include <string.h>

/* Compares a (alen bytes) with the NUL-terminated secret b without an early exit. */
static bool same_secret(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    unsigned char diff = (unsigned char)(alen != blen);
    for (size_t i = 0; i < alen; i++)
        diff |= (unsigned char)(a[i] ^ b[i < blen ? i : 0]);
    return diff == 0;
}

ps_auth_result ps_auth_check(const ps_config *c, const char *value, size_t len, unsigned *roles,
                             const ps_token **token)
{
    *roles = 0;
    *token = NULL;
    while (len && (*value == ' ' || *value == '\t')) {
        value++;
        len--;
    }
    if (len < 7 || strncasecmp(value, "Bearer ", 7) != 0)
        return PS_AUTH_MISSING;
    value += 7;
    len -= 7;
    while (len && (*value == ' ' || *value == '\t')) {
        value++;
        len--;
    }
    while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
        len--;
    if (len == 0)
        return PS_AUTH_MISSING;
    const ps_token *found = NULL;
    for (size_t i = 0; i < c->n_tokens; i++)
        if (same_secret(value, len, c->tokens[i].secret) && !found)
            found = &c->tokens[i];
    if (!found)
        return PS_AUTH_UNKNOWN;
    *roles = found->roles;
    *token = found;
    return PS_AUTH_OK;
}

bool ps_auth_allows(unsigned roles, unsigned need)
{
    return need == 0 || (roles & PS_AUTH_ADMIN) || (roles & need);
}
