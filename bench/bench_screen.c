/* bench/bench_screen.c — single-thread screening throughput of the engine, and of a brute-force
 * scan of every entry as the baseline (bench/screen_throughput.sh runs both and reports the
 * ratio).
 *
 * Engine mode (default): opens the store read-only, takes one snapshot and screens each traveller
 * through the public API (ps_screen_traveller, scratch arena reset per traveller) on this one
 * thread. After --warmup travellers (not counted) it times every traveller and prints one JSON
 * object: travellers/s (wall clock and per CPU-second of this thread), hits, travellers with a
 * hit, and latency percentiles.
 *
 * Brute-force mode (--bruteforce): the naive screener the engine is measured against. Every
 * entry is loaded once into memory (ps_snapshot_foreach_entry): each name as normalized tokens
 * (paxscreen/normalize.h; primary form, plus the alternate reading when there is one), each
 * document as its canonical and confusable keys and issuer. Each traveller is then compared with
 * every entry: document keys for equality (issuers must agree when both are known), and every
 * name by per-token Jaro-Winkler, order-insensitive (each token's best partner, averaged over the
 * tokens of both names); a name hit needs --jw (default 0.90). No index, no pruning. It is slow,
 * so it stops after --travellers travellers or --seconds seconds, whichever comes first.
 *
 * usage: bench_screen --db DIR [--set clean|listed|all] [--travellers N] [--warmup N]
 *                     [--bruteforce [--seconds S] [--jw T]] TRAVELLERS.jsonl
 *   TRAVELLERS is JSON Lines or a JSON batch (bench/gen_eval output: clean travellers have ids
 *   "C-...", listed ones "L-..."); --set picks which are screened (default clean, the no-hit
 *   path; a file without such ids is screened whole), --travellers takes the first N of them. */
#include "paxscreen/json_batch.h"
#include "paxscreen/normalize.h"
#include "paxscreen/screen.h"
#include "paxscreen/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TOK 32 /* longest token compared (longer ones are cut) */

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench_screen: out of memory (%zu bytes)\n", n);
        exit(3);
    }
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fprintf(stderr, "bench_screen: out of memory (%zu bytes)\n", n);
        exit(3);
    }
    return p;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_screen: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    size_t cap = 1 << 20, n = 0, got;
    char *buf = xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Percentile p (0..100) of sorted values. */
static double pct(const double *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* Peak and current resident memory of this process, from /proc/self/status, as a JSON object:
 * how much of it is the memory-mapped store (file) and how much the process's own (anon). */
static void print_rss(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long hwm = -1, anon = -1, file = -1;
    while (f && fgets(line, sizeof line, f)) {
        sscanf(line, "VmHWM: %ld", &hwm);
        sscanf(line, "RssAnon: %ld", &anon);
        sscanf(line, "RssFile: %ld", &file);
    }
    if (f)
        fclose(f);
    printf(", \"rss_mb\": {\"peak\": %.0f, \"anon_at_end\": %.0f, \"file_at_end\": %.0f}}\n",
           hwm / 1024.0, anon / 1024.0, file / 1024.0);
}

/* ---- the engine ------------------------------------------------------------------------------ */

typedef struct hit_count {
    uint64_t hits, person, document;
    bool any; /* the current traveller had a hit */
} hit_count;

static void on_hit(void *ctx, const ps_hit *h)
{
    hit_count *c = ctx;
    c->hits++;
    c->any = true;
    if (h->kind == PS_HIT_PERSON)
        c->person++;
    else if (h->kind == PS_HIT_DOCUMENT)
        c->document++;
}

static int run_engine(ps_snapshot *snap, const ps_traveller **tv, size_t n, size_t warmup)
{
    ps_arena scratch;
    ps_arena_init(&scratch);
    hit_count wc = {0};
    if (warmup > n)
        warmup = n;
    for (size_t i = 0; i < warmup; i++) {
        if (ps_screen_traveller(snap, tv[i], &scratch, on_hit, &wc, NULL) != PS_STORE_OK) {
            fprintf(stderr, "bench_screen: screening failed\n");
            return 3;
        }
        ps_arena_reset(&scratch);
    }
    double *lat = xmalloc(n * sizeof *lat);
    hit_count c = {0};
    uint64_t with_hit = 0;
    ps_screen_counts counts = {0};
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    for (size_t i = 0; i < n; i++) {
        double t0 = clock_s(CLOCK_MONOTONIC);
        c.any = false;
        if (ps_screen_traveller(snap, tv[i], &scratch, on_hit, &c, &counts) != PS_STORE_OK) {
            fprintf(stderr, "bench_screen: screening failed\n");
            return 3;
        }
        ps_arena_reset(&scratch);
        lat[i] = clock_s(CLOCK_MONOTONIC) - t0;
        with_hit += c.any;
    }
    double wall = clock_s(CLOCK_MONOTONIC) - w0, cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    qsort(lat, n, sizeof *lat, cmp_double);
    printf("{\"mode\": \"engine\", \"snapshot_version\": %llu, \"warmup\": %zu, "
           "\"travellers\": %zu, \"documents\": %llu, \"seconds\": %.3f, \"cpu_seconds\": %.3f, "
           "\"travellers_per_s\": %.1f, \"travellers_per_cpu_s\": %.1f, \"hits\": %llu, "
           "\"person_hits\": %llu, \"document_hits\": %llu, \"travellers_with_hits\": %llu, "
           "\"latency_us\": {\"mean\": %.1f, \"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, "
           "\"p999\": %.1f, \"max\": %.1f}",
           (unsigned long long)ps_snapshot_version(snap), warmup, n,
           (unsigned long long)counts.documents, wall, cpu, wall > 0 ? (double)n / wall : 0,
           cpu > 0 ? (double)n / cpu : 0, (unsigned long long)c.hits,
           (unsigned long long)c.person, (unsigned long long)c.document,
           (unsigned long long)with_hit, n ? 1e6 * wall / (double)n : 0, 1e6 * pct(lat, n, 50),
           1e6 * pct(lat, n, 90), 1e6 * pct(lat, n, 99), 1e6 * pct(lat, n, 99.9),
           1e6 * pct(lat, n, 100));
    double per = n ? (double)n : 1;
    printf(", \"per_traveller\": {\"tokens_fresh\": %.2f, \"tokens_replayed\": %.2f, "
           "\"keys\": %.1f, \"refs\": %.1f, \"candidates\": %.1f, \"scored\": %.1f}",
           (double)counts.tokens_fresh / per, (double)counts.tokens_replayed / per,
           (double)counts.keys / per, (double)counts.refs / per, (double)counts.candidates / per,
           (double)counts.scored / per);
    print_rss();
    free(lat);
    ps_arena_free(&scratch);
    return 0;
}

/* ---- the brute-force baseline ---------------------------------------------------------------- */

/* Every listed name: its tokens in the token pool as (length byte, letters) pairs. */
typedef struct bf_name {
    uint32_t entry;
    uint32_t off; /* into tokens */
    uint8_t n_tokens;
} bf_name;

/* Every listed document number: canonical and confusable keys in the key pool. */
typedef struct bf_doc {
    uint32_t entry;
    uint32_t key, cf; /* offsets into keys */
    uint8_t key_len, cf_len;
    char issuer[3]; /* alpha-3, or zeros */
} bf_doc;

typedef struct bf_lists {
    bf_name *names;
    size_t n_names, cap_names;
    bf_doc *docs;
    size_t n_docs, cap_docs;
    char *tokens;
    size_t tokens_len, tokens_cap;
    char *keys;
    size_t keys_len, keys_cap;
    uint64_t entries;
} bf_lists;

static size_t pool_add(char **pool, size_t *len, size_t *cap, const void *p, size_t n)
{
    if (*len + n > *cap) {
        *cap = (*cap ? *cap * 2 : 1 << 20) + n;
        *pool = xrealloc(*pool, *cap);
    }
    memcpy(*pool + *len, p, n);
    *len += n;
    return *len - n;
}

/* Tokens of one or two name forms (surname then given names) in the pool as one name. */
static void add_name(bf_lists *l, uint64_t entry, const ps_name_form *a, const ps_name_form *b)
{
    if (l->n_names == l->cap_names) {
        l->cap_names = l->cap_names ? l->cap_names * 2 : 1 << 16;
        l->names = xrealloc(l->names, l->cap_names * sizeof *l->names);
    }
    bf_name *nm = &l->names[l->n_names];
    nm->entry = (uint32_t)entry;
    nm->off = (uint32_t)l->tokens_len;
    nm->n_tokens = 0;
    const ps_name_form *forms[2] = {a, b};
    for (int f = 0; f < 2; f++) {
        for (unsigned t = 0; forms[f] && t < forms[f]->n_tokens && nm->n_tokens < 255; t++) {
            uint8_t len = forms[f]->length[t] < MAX_TOK ? forms[f]->length[t] : MAX_TOK;
            pool_add(&l->tokens, &l->tokens_len, &l->tokens_cap, &len, 1);
            pool_add(&l->tokens, &l->tokens_len, &l->tokens_cap,
                     forms[f]->text + forms[f]->start[t], len);
            nm->n_tokens++;
        }
    }
    if (nm->n_tokens)
        l->n_names++;
    else
        l->tokens_len = nm->off;
}

static void normalize(ps_str s, ps_name_norm *out)
{
    ps_name_normalize(s.ptr ? s.ptr : "", s.len, out);
}

static int load_entry(void *ctx, uint64_t n, const ps_wl_entry *e, uint64_t version)
{
    (void)version;
    bf_lists *l = ctx;
    l->entries++;
    for (uint32_t i = 0; i < e->n_names; i++) {
        const ps_wl_name *wn = &e->names[i];
        ps_name_norm a, b;
        if (wn->full.len) {
            normalize(wn->full, &a);
            add_name(l, n, &a.primary, NULL);
            if (a.has_alternate)
                add_name(l, n, &a.alternate, NULL);
        } else {
            normalize(wn->surname, &a);
            normalize(wn->given_names, &b);
            add_name(l, n, &a.primary, &b.primary);
            if (a.has_alternate || b.has_alternate)
                add_name(l, n, &a.alternate, &b.alternate);
        }
    }
    for (uint32_t i = 0; i < e->n_documents; i++) {
        const ps_wl_document *d = &e->documents[i];
        if (!d->number.len)
            continue; /* a pattern: not part of the scan */
        char key[256], cf[256];
        size_t len = d->number.len < 255 ? d->number.len : 255;
        size_t kl = ps_docnum_canonical(d->number.ptr, len, key);
        size_t cl = ps_docnum_confusable(d->number.ptr, len, cf);
        if (!kl)
            continue;
        if (l->n_docs == l->cap_docs) {
            l->cap_docs = l->cap_docs ? l->cap_docs * 2 : 1 << 16;
            l->docs = xrealloc(l->docs, l->cap_docs * sizeof *l->docs);
        }
        bf_doc *bd = &l->docs[l->n_docs++];
        bd->entry = (uint32_t)n;
        bd->key = (uint32_t)pool_add(&l->keys, &l->keys_len, &l->keys_cap, key, kl);
        bd->cf = (uint32_t)pool_add(&l->keys, &l->keys_len, &l->keys_cap, cf, cl);
        bd->key_len = (uint8_t)kl;
        bd->cf_len = (uint8_t)cl;
        const char *a3 = d->issuer.len ? ps_country_alpha3(d->issuer.ptr, d->issuer.len) : NULL;
        memset(bd->issuer, 0, sizeof bd->issuer);
        if (a3)
            memcpy(bd->issuer, a3, 3);
    }
    return 0;
}

static double jaro_winkler(const char *a, int la, const char *b, int lb)
{
    if (la == 0 || lb == 0)
        return 0;
    int window = (la > lb ? la : lb) / 2 - 1;
    if (window < 0)
        window = 0;
    bool ma[MAX_TOK] = {0}, mb[MAX_TOK] = {0};
    int m = 0;
    for (int i = 0; i < la; i++) {
        int lo = i - window > 0 ? i - window : 0;
        int hi = i + window < lb - 1 ? i + window : lb - 1;
        for (int j = lo; j <= hi; j++) {
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = true;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0;
    int t = 0;
    for (int i = 0, k = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    double jaro = ((double)m / la + (double)m / lb + (m - t / 2.0) / m) / 3.0;
    int prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + prefix * 0.1 * (1.0 - jaro);
}

/* A traveller's name as tokens (pointers and lengths). */
typedef struct bf_query {
    const char *tok[2 * PS_NAME_MAX_TOKENS];
    int len[2 * PS_NAME_MAX_TOKENS];
    int n;
} bf_query;

static void query_add(bf_query *q, const ps_name_form *f)
{
    for (unsigned t = 0; t < f->n_tokens && q->n < 2 * PS_NAME_MAX_TOKENS; t++) {
        q->tok[q->n] = f->text + f->start[t];
        q->len[q->n] = f->length[t] < MAX_TOK ? f->length[t] : MAX_TOK;
        q->n++;
    }
}

/* Order-insensitive name similarity: each token's best Jaro-Winkler partner on the other side,
 * averaged over the tokens of both names. */
static double name_score(const bf_query *q, const char *p, int n_tokens)
{
    const char *et[256];
    int el[256];
    double best_e[256], best_q[2 * PS_NAME_MAX_TOKENS];
    for (int i = 0; i < n_tokens; i++) {
        el[i] = (unsigned char)*p++;
        et[i] = p;
        p += el[i];
        best_e[i] = 0;
    }
    for (int j = 0; j < q->n; j++)
        best_q[j] = 0;
    for (int i = 0; i < n_tokens; i++) {
        for (int j = 0; j < q->n; j++) {
            double s = jaro_winkler(et[i], el[i], q->tok[j], q->len[j]);
            if (s > best_e[i])
                best_e[i] = s;
            if (s > best_q[j])
                best_q[j] = s;
        }
    }
    double sum = 0;
    for (int i = 0; i < n_tokens; i++)
        sum += best_e[i];
    for (int j = 0; j < q->n; j++)
        sum += best_q[j];
    return sum / (n_tokens + q->n);
}

typedef struct bf_result {
    uint64_t name_hits, doc_hits;
} bf_result;

static void bf_screen(const bf_lists *l, const ps_traveller *t, double jw, bf_result *r)
{
    /* documents: canonical key (issuers agree when both known), else confusable key */
    for (uint32_t d = 0; d < t->n_documents; d++) {
        const ps_document *td = &t->documents[d];
        if (!td->number.len || td->number.len > 255)
            continue;
        char key[256], cf[256];
        size_t kl = ps_docnum_canonical(td->number.ptr, td->number.len, key);
        size_t cl = ps_docnum_confusable(td->number.ptr, td->number.len, cf);
        const char *a3 = td->issuer.len ? ps_country_alpha3(td->issuer.ptr, td->issuer.len) : NULL;
        for (size_t i = 0; i < l->n_docs; i++) {
            const bf_doc *bd = &l->docs[i];
            bool same = bd->key_len == kl && memcmp(l->keys + bd->key, key, kl) == 0;
            if (!same && !(bd->cf_len == cl && memcmp(l->keys + bd->cf, cf, cl) == 0))
                continue;
            if (a3 && bd->issuer[0] && memcmp(a3, bd->issuer, 3) != 0)
                continue;
            r->doc_hits++;
        }
    }
    /* names: the traveller's surname and given names, primary and alternate readings */
    ps_name_norm sn, gn;
    normalize(t->surname, &sn);
    normalize(t->given_names, &gn);
    bf_query q[2] = {0};
    query_add(&q[0], &sn.primary);
    query_add(&q[0], &gn.primary);
    int nq = 1;
    if (sn.has_alternate || gn.has_alternate) {
        query_add(&q[1], &sn.alternate);
        query_add(&q[1], &gn.alternate);
        nq = 2;
    }
    if (q[0].n == 0)
        return;
    uint32_t last_hit = UINT32_MAX;
    for (size_t i = 0; i < l->n_names; i++) {
        const bf_name *nm = &l->names[i];
        for (int k = 0; k < nq; k++) {
            if (name_score(&q[k], l->tokens + nm->off, nm->n_tokens) >= jw) {
                if (nm->entry != last_hit) /* one hit per entry */
                    r->name_hits++;
                last_hit = nm->entry;
                break;
            }
        }
    }
}

static int run_bruteforce(ps_snapshot *snap, const ps_traveller **tv, size_t n, double budget,
                          double jw)
{
    bf_lists l = {0};
    double w0 = clock_s(CLOCK_MONOTONIC);
    int rc = ps_snapshot_foreach_entry(snap, load_entry, &l);
    if (rc != 0) {
        fprintf(stderr, "bench_screen: reading the entries failed (%d)\n", rc);
        return 3;
    }
    double load_s = clock_s(CLOCK_MONOTONIC) - w0;
    fprintf(stderr, "bench_screen: brute force loaded %llu entries (%zu names, %zu documents) "
                    "in %.1f s\n",
            (unsigned long long)l.entries, l.n_names, l.n_docs, load_s);

    double *lat = xmalloc((n ? n : 1) * sizeof *lat);
    bf_result r = {0};
    uint64_t with_hit = 0;
    size_t done = 0;
    w0 = clock_s(CLOCK_MONOTONIC);
    double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    while (done < n && clock_s(CLOCK_MONOTONIC) - w0 < budget) {
        double t0 = clock_s(CLOCK_MONOTONIC);
        bf_result one = {0};
        bf_screen(&l, tv[done], jw, &one);
        lat[done++] = clock_s(CLOCK_MONOTONIC) - t0;
        r.name_hits += one.name_hits;
        r.doc_hits += one.doc_hits;
        with_hit += one.name_hits + one.doc_hits > 0;
    }
    double wall = clock_s(CLOCK_MONOTONIC) - w0, cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    qsort(lat, done, sizeof *lat, cmp_double);
    printf("{\"mode\": \"bruteforce\", \"entries\": %llu, \"names\": %zu, \"documents\": %zu, "
           "\"load_seconds\": %.1f, \"jw\": %.2f, \"travellers\": %zu, \"seconds\": %.3f, "
           "\"cpu_seconds\": %.3f, \"travellers_per_s\": %.3f, \"travellers_per_cpu_s\": %.3f, "
           "\"name_hits\": %llu, \"document_hits\": %llu, \"travellers_with_hits\": %llu, "
           "\"latency_ms\": {\"p50\": %.1f, \"max\": %.1f}",
           (unsigned long long)l.entries, l.n_names, l.n_docs, load_s, jw, done, wall, cpu,
           wall > 0 ? (double)done / wall : 0, cpu > 0 ? (double)done / cpu : 0,
           (unsigned long long)r.name_hits, (unsigned long long)r.doc_hits,
           (unsigned long long)with_hit, 1e3 * pct(lat, done, 50), 1e3 * pct(lat, done, 100));
    print_rss();
    free(lat);
    free(l.names);
    free(l.docs);
    free(l.tokens);
    free(l.keys);
    return 0;
}

/* ---- main ------------------------------------------------------------------------------------ */

static void usage(void)
{
    fputs("usage: bench_screen --db DIR [--set clean|listed|all] [--travellers N] [--warmup N]\n"
          "                    [--bruteforce [--seconds S] [--jw T]] TRAVELLERS.jsonl\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *db = NULL, *set = "clean";
    size_t limit = SIZE_MAX, warmup = 1000;
    bool brute = false;
    double budget = 300, jw = 0.90;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},       {"set", required_argument, NULL, 's'},
        {"travellers", required_argument, NULL, 'n'}, {"warmup", required_argument, NULL, 'w'},
        {"bruteforce", no_argument, NULL, 'b'},     {"seconds", required_argument, NULL, 't'},
        {"jw", required_argument, NULL, 'j'},       {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': set = optarg; break;
        case 'n': limit = strtoull(optarg, NULL, 10); break;
        case 'w': warmup = strtoull(optarg, NULL, 10); break;
        case 'b': brute = true; break;
        case 't': budget = strtod(optarg, NULL); break;
        case 'j': jw = strtod(optarg, NULL); break;
        default: usage();
        }
    }
    if (!db || optind != argc - 1 ||
        (strcmp(set, "clean") && strcmp(set, "listed") && strcmp(set, "all")))
        usage();

    size_t len;
    char *data = read_file(argv[optind], &len);
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    ps_batch batch;
    if (!ps_json_batch_parse(data, len, &arena, &batch, &diags)) {
        fprintf(stderr, "bench_screen: %s: no travellers could be read\n", argv[optind]);
        return 1;
    }
    /* Pick the set; a file whose ids say nothing about it is taken whole. */
    const char *prefix = strcmp(set, "clean") == 0 ? "C-" : strcmp(set, "listed") == 0 ? "L-" : "";
    const ps_traveller **tv = xmalloc((batch.n_travellers + 1) * sizeof *tv);
    size_t n = 0, labelled = 0;
    for (uint32_t i = 0; i < batch.n_travellers; i++) {
        ps_str id = batch.travellers[i].id;
        labelled += id.len >= 2 && (memcmp(id.ptr, "C-", 2) == 0 || memcmp(id.ptr, "L-", 2) == 0);
        if (!*prefix || (id.len >= 2 && memcmp(id.ptr, prefix, 2) == 0))
            tv[n++] = &batch.travellers[i];
    }
    if (labelled == 0) {
        n = 0;
        for (uint32_t i = 0; i < batch.n_travellers; i++)
            tv[n++] = &batch.travellers[i];
    }
    if (n > limit)
        n = limit;
    fprintf(stderr, "bench_screen: %zu travellers (set %s) of %u in %s\n", n, set,
            batch.n_travellers, argv[optind]);

    char err[512];
    ps_store *store;
    ps_snapshot *snap;
    if (ps_store_open(db, false, &store, err, sizeof err) != PS_STORE_OK ||
        ps_snapshot_begin(store, &snap, err, sizeof err) != PS_STORE_OK) {
        fprintf(stderr, "bench_screen: %s: %s\n", db, err);
        return 3;
    }
    int rc = brute ? run_bruteforce(snap, tv, n, budget, jw) : run_engine(snap, tv, n, warmup);
    ps_snapshot_end(snap);
    ps_store_close(store);
    free(tv);
    ps_arena_free(&arena);
    free(data);
    ps_normalize_cleanup();
    return rc;
}
