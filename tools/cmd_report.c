/* tools/cmd_report.c — `paxscreen report --data DIR [--from YYYY-MM-DD] [--to YYYY-MM-DD]
 * [--by DIM] [--hits] [--csv]`: the border statistics report of paxscreend's data directory
 * (ps_stats_report), as GET /v1/stats gives it: travellers by day, month, route, carrier,
 * nationality, age band, gender or role, hits by list, over a period (default: the 31 days
 * ending today, UTC). Reads only the counts, never a traveller record. */
#include "cli.h"

#include "paxscreen/border_stats.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static int usage(void)
{
    fputs("usage: paxscreen report --data DIR [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
          "                        [--by day|month|route|carrier|nationality|age_band|gender|"
          "role|list] [--hits] [--csv]\n",
          stderr);
    return 2;
}

static bool parse_day(const char *text, uint32_t *out)
{
    ps_date d;
    if (strlen(text) != 10 || !ps_date_parse_iso(text, 10, &d) || d.precision != PS_DATE_DAY)
        return false;
    *out = ps_stats_day_of(&d);
    return *out > 0;
}

int ps_cmd_report(int argc, char **argv)
{
    const char *data = NULL;
    uint32_t from = 0, to = 0;
    char by = 'D';
    bool csv = false, hits = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--data") == 0 && v) {
            data = v, i++;
        } else if ((strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) && v) {
            if (!parse_day(v, a[2] == 'f' ? &from : &to)) {
                fprintf(stderr, "paxscreen report: %s must be a date YYYY-MM-DD\n", a);
                return 2;
            }
            i++;
        } else if (strcmp(a, "--by") == 0 && v) {
            by = strcmp(v, "day") == 0     ? 'D'
                 : strcmp(v, "month") == 0 ? 'M'
                                           : ps_stats_dimension(v);
            if (!by)
                return usage();
            i++;
        } else if (strcmp(a, "--csv") == 0) {
            csv = true;
        } else if (strcmp(a, "--hits") == 0) {
            hits = true;
        } else {
            return usage();
        }
    }
    if (!data)
        return usage();
    if (!to)
        to = (uint32_t)(time(NULL) / 86400);
    if (!from)
        from = to > 30 ? to - 30 : 1;
    char dir[4096], err[512];
    snprintf(dir, sizeof dir, "%s/batches", data);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "paxscreen report: %s: no batch store (is it paxscreend's --data?)\n",
                data);
        return 3;
    }
    ps_batch_store *bs;
    if (ps_batch_store_open(dir, (uint64_t)8 << 30, &bs, err, sizeof err) != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreen report: %s\n", err);
        return 3;
    }
    ps_buf out;
    ps_buf_init(&out);
    int rc = ps_stats_report_of(bs, from, to, by, hits, csv, &out, err, sizeof err);
    ps_batch_store_close(bs);
    if (rc != PS_BSTORE_OK) {
        fprintf(stderr, "paxscreen report: %s\n", err);
        ps_buf_free(&out);
        return rc == PS_BSTORE_INVALID ? 2 : 3;
    }
    fwrite(out.data, 1, out.len, stdout);
    if (!csv)
        putchar('\n');
    ps_buf_free(&out);
    return 0;
}
