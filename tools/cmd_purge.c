/* tools/cmd_purge.c — `paxscreen purge --data DIR --days N [--by NAME]`: removes the traveller
 * data (batch bodies and their hits) older than N days from paxscreend's data directory, as the
 * server's retention setting does hourly; the purge is recorded in the audit log (who: NAME,
 * default "paxscreen purge"). Batch records, statistics and decisions stay. Prints
 * {"batches", "hits", "received_before"}. */
#include "cli.h"

#include "paxscreen/batch_store.h"
#include "paxscreen/hit_review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static int usage(void)
{
    fputs("usage: paxscreen purge --data DIR --days N [--by NAME]\n", stderr);
    return 2;
}

int ps_cmd_purge(int argc, char **argv)
{
    const char *data = NULL, *by = "paxscreen purge";
    long days = -1;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--data") == 0 && v) {
            data = v, i++;
        } else if (strcmp(argv[i], "--days") == 0 && v) {
            char *end;
            days = strtol(v, &end, 10);
            if (*end || days < 0 || days > 100000)
                return usage();
            i++;
        } else if (strcmp(argv[i], "--by") == 0 && v) {
            by = v, i++;
        } else {
            return usage();
        }
    }
    if (!data || days < 0)
        return usage();
    char dir[4096], err[512];
    snprintf(dir, sizeof dir, "%s/batches", data);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "paxscreen purge: %s: no batch store (is it paxscreend's --data?)\n", data);
        return 3;
    }
    ps_batch_store *bs;
    if (ps_batch_store_open(dir, (uint64_t)8 << 30, &bs, err, sizeof err) != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreen purge: %s\n", err);
        return 3;
    }
    uint64_t now_ms = (uint64_t)time(NULL) * 1000u, keep = (uint64_t)days * 86400000u;
    uint64_t before = now_ms > keep ? now_ms - keep : 0, batches = 0, hits = 0;
    int rc = ps_batch_store_purge(bs, before, &batches, &hits, err, sizeof err);
    if (rc == PS_BSTORE_OK && batches)
        rc = ps_audit_purge(bs, by, before, batches, hits, err, sizeof err);
    ps_batch_store_close(bs);
    if (rc != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreen purge: %s\n", err);
        return 3;
    }
    time_t s = (time_t)(before / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    char at[32];
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("{\"batches\":%llu,\"hits\":%llu,\"received_before\":\"%s\"}\n",
           (unsigned long long)batches, (unsigned long long)hits, at);
    return 0;
}
