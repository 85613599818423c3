/* engine/border_stats_report.c — a border statistics report over a period (paxscreen/
 * border_stats.h, ps_stats_report): the counts of the batch store summed by day, month or one
 * dimension, as JSON or CSV. Reads only counts, never a traveller record. */
#include "paxscreen/border_stats.h"
#include "paxscreen/record_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DAYS 3660
#define MAX_ROWS 4096

typedef struct row {
    char value[65];
    uint64_t count;
} row;

typedef struct table {
    row *rows;
    uint32_t n;
    char by;
    uint64_t total;
} table;

static void date_text(uint32_t day, char out[11], bool month_only)
{
    time_t s = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(out, 11, month_only ? "%Y-%m" : "%Y-%m-%d", &tm);
}

static void add_row(table *t, const char *value, size_t len, uint64_t count)
{
    if (len > 64)
        len = 64;
    for (uint32_t i = 0; i < t->n; i++)
        if (strlen(t->rows[i].value) == len && memcmp(t->rows[i].value, value, len) == 0) {
            t->rows[i].count += count;
            return;
        }
    if (t->n == MAX_ROWS)
        return;
    row *r = &t->rows[t->n++];
    memcpy(r->value, value, len);
    r->value[len] = '\0';
    r->count = count;
}

static void on_count(void *ctx, uint32_t day, const char *value, size_t len, uint64_t count)
{
    table *t = ctx;
    if (t->by == 'D' || t->by == 'M') { /* travellers (dimension ALL) by their day */
        char text[11];
        date_text(day, text, t->by == 'M');
        add_row(t, text, strlen(text), count);
    } else {
        add_row(t, value, len, count);
    }
}

static void on_total(void *ctx, uint32_t day, const char *value, size_t len, uint64_t count)
{
    (void)day, (void)value, (void)len;
    *(uint64_t *)ctx += count;
}

static int by_count(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

static const char *by_name(char by)
{
    switch (by) {
    case 'D':
        return "day";
    case 'M':
        return "month";
    case PS_DIM_ROUTE:
        return "route";
    case PS_DIM_CARRIER:
        return "carrier";
    case PS_DIM_NATIONALITY:
        return "nationality";
    case PS_DIM_AGE_BAND:
        return "age_band";
    case PS_DIM_GENDER:
        return "gender";
    case PS_DIM_ROLE:
        return "role";
    case PS_DIM_LIST:
        return "list";
    default:
        return "?";
    }
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(ps_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        ps_buf_puts(b, s);
        return;
    }
    ps_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            ps_buf_putc(b, '"');
        ps_buf_putc(b, *s);
    }
    ps_buf_putc(b, '"');
}

int ps_stats_report(ps_batch_store *bs, uint32_t from, uint32_t to, char by, bool csv, ps_buf *out,
                    char *err, size_t errlen)
{
    return ps_stats_report_of(bs, from, to, by, false, csv, out, err, errlen);
}

int ps_stats_report_of(ps_batch_store *bs, uint32_t from, uint32_t to, char by, bool hits, bool csv,
                       ps_buf *out, char *err, size_t errlen)
{
    if (by == PS_DIM_LIST)
        hits = true;
    if (from > to || to - from >= MAX_DAYS)
        return ps_errorf(err, errlen, PS_BSTORE_INVALID,
                         "from must not be after to, and the period at most %d days", MAX_DAYS);
    table t = {calloc(MAX_ROWS, sizeof(row)), 0, by, 0};
    if (!t.rows)
        return ps_errorf(err, errlen, PS_BSTORE_IO, "out of memory");
    char dim = by == 'D' || by == 'M'      ? (hits ? PS_DIM_HIT_TRAVELLERS : PS_DIM_ALL)
               : hits && by != PS_DIM_LIST ? PS_DIM_HITS(by)
                                           : by;
    uint64_t with_hits = 0;
    int rc = ps_batch_store_stats(bs, from, to, dim, on_count, &t, err, errlen);
    if (rc == PS_BSTORE_OK)
        rc = ps_batch_store_stats(bs, from, to, PS_DIM_ALL, on_total, &t.total, err, errlen);
    if (rc == PS_BSTORE_OK)
        rc = ps_batch_store_stats(bs, from, to, PS_DIM_HIT_TRAVELLERS, on_total, &with_hits, err,
                                  errlen);
    if (rc != PS_BSTORE_OK) {
        free(t.rows);
        return rc;
    }
    if (by != 'D' && by != 'M')
        qsort(t.rows, t.n, sizeof *t.rows, by_count);
    const char *counts = by == PS_DIM_LIST ? "hits" : hits ? "travellers_with_hits" : "travellers";
    if (csv) {
        ps_buf_printf(out, "%s,%s\n", by_name(by), counts);
        for (uint32_t i = 0; i < t.n; i++) {
            csv_field(out, t.rows[i].value);
            ps_buf_printf(out, ",%llu\n", (unsigned long long)t.rows[i].count);
        }
    } else {
        char f[11], l[11];
        date_text(from, f, false);
        date_text(to, l, false);
        ps_buf_printf(out,
                      "{\"from\":\"%s\",\"to\":\"%s\",\"by\":\"%s\",\"travellers\":%llu,"
                      "\"travellers_with_hits\":%llu,\"counts\":\"%s\",\"rows\":[",
                      f, l, by_name(by), (unsigned long long)t.total, (unsigned long long)with_hits,
                      counts);
        for (uint32_t i = 0; i < t.n; i++) {
            if (i)
                ps_buf_putc(out, ',');
            ps_buf_puts(out, "{\"value\":");
            ps_json_string(out, t.rows[i].value, strlen(t.rows[i].value));
            ps_buf_printf(out, ",\"count\":%llu}", (unsigned long long)t.rows[i].count);
        }
        ps_buf_puts(out, "]}");
    }
    free(t.rows);
    return PS_BSTORE_OK;
}
