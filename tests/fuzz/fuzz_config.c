/* tests/fuzz/fuzz_config.c — libFuzzer target for paxscreend's configuration reader
 * (ingest/config.c): any bytes are read over the defaults; a failure must come with a
 * message, a success must leave a usable configuration (tokens with a secret of 8 or more
 * characters and at least one role, a host, limits above zero); anything else aborts. */
#include "../../ingest/paxscreend.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_config c;
    ps_config_defaults(&c);
    char err[512];
    err[0] = '\0';
    bool ok = ps_config_parse(&c, (const char *)data, size, err, sizeof err);
    if (!ok && err[0] == '\0')
        abort();
    if (ok) {
        if (!c.host || !c.store_dir || !c.data_dir || c.port < 0 || c.port > 65535)
            abort();
        if (!c.workers || !c.max_body || !c.queue_depth || !c.max_connections)
            abort();
        for (size_t i = 0; i < c.n_tokens; i++)
            if (!c.tokens[i].secret || strlen(c.tokens[i].secret) < 8 || !c.tokens[i].roles ||
                !c.tokens[i].name)
                abort();
    }
    ps_config_free(&c);
    return 0;
}
