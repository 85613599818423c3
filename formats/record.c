/* formats/record.c — small helpers over the shared record types (roles, initialisers). */
#include "paxscreen/record.h"

#include <string.h>

static const char *const role_names[] = {
    [PS_ROLE_UNKNOWN] = "unknown",
    [PS_ROLE_PASSENGER] = "passenger",
    [PS_ROLE_CREW] = "crew",
    [PS_ROLE_TRANSIT_PASSENGER] = "transit_passenger",
    [PS_ROLE_TRANSIT_CREW] = "transit_crew",
};

const char *ps_role_name(ps_role r)
{
    return (unsigned)r < sizeof role_names / sizeof role_names[0] ? role_names[r] : "unknown";
}

ps_role ps_role_from_name(const char *p, size_t len)
{
    for (unsigned i = 1; i < sizeof role_names / sizeof role_names[0]; i++)
        if (strlen(role_names[i]) == len && memcmp(role_names[i], p, len) == 0)
            return (ps_role)i;
    return PS_ROLE_UNKNOWN;
}

void ps_traveller_init(ps_traveller *t)
{
    memset(t, 0, sizeof *t);
    t->verified = -1;
    t->bags = -1;
}
