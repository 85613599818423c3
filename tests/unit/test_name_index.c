/* tests/unit/test_name_index.c — the name index: key derivation (token, consonant skeleton,
 * vowel outline, reading, pair keys), the name_forms block round trip, need masks, and the
 * store keeping names, name_forms, the token vocabulary, the neighbours and their references in
 * step with inserts, updates and deletes. */
#include "../../engine/name_keys.h"
#include "../../engine/name_similarity.h"
#include "paxscreen/store.h"
#include "test_dirs.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static char *key_of(char kind, const char *tok)
{
    static char out[PS_NAME_KEY_MAX + 1];
    size_t n = ps_name_key(kind, tok, strlen(tok), out);
    out[n] = '\0';
    return out;
}

START_TEST(test_keys)
{
    ck_assert_str_eq(key_of('T', "MARTINEZ"), "TMARTINEZ");
    /* transliteration variants meet on the skeleton */
    const char *mhmd[] = { "MOHAMMED", "MUHAMMAD", "MOHAMAD", "MHMD", "MOHAMED" };
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(key_of('S', mhmd[i]), "SMHMD");
    /* and on the vowel outline */
    const char *yuri[] = { "YURIY", "IURII", "JURIJ" };
    for (size_t i = 0; i < 3; i++)
        ck_assert_str_eq(key_of('V', yuri[i]), "VARA");
    ck_assert_str_eq(key_of('S', "ZHANG"), key_of('S', "CHANG"));
    ck_assert_str_eq(key_of('S', "PHILIP"), key_of('S', "FILIP"));
    ck_assert_str_eq(key_of('S', "ALEXANDER"), key_of('S', "ALEKSANDR"));
    ck_assert_str_eq(key_of('S', "CHOWDHURY"), key_of('S', "CHAUDHARY"));
    ck_assert_str_eq(key_of('S', "MARTINEZ"), "SMRTNS");
    /* too short for a skeleton or outline */
    ck_assert_str_eq(key_of('S', "LI"), "");
    ck_assert_str_eq(key_of('V', "AL"), "");
    ck_assert_str_eq(key_of('T', ""), "");
    /* romanizations that meet on the skeleton */
    ck_assert_str_eq(key_of('S', "SCHMIDT"), key_of('S', "SCHMITT"));
    ck_assert_str_eq(key_of('S', "ABDULLAH"), key_of('S', "ABDULLA"));
    ck_assert_str_eq(key_of('S', "HSIAO"), key_of('S', "XIAO"));
}
END_TEST

static char *reading_of_n(const char *tok, size_t len)
{
    static char out[PS_NAME_KEY_MAX + 1];
    size_t n = ps_name_reading(tok, len, out);
    out[n] = '\0';
    return out;
}

static char *reading_of(const char *tok)
{
    return reading_of_n(tok, strlen(tok));
}

static char *pair_of(const char *a, const char *b)
{
    static char buf[2][PS_NAME_KEY_MAX + 1]; /* two calls may meet in one assertion */
    static int turn;
    char *out = buf[turn ^= 1];
    ps_nf_token ta = { a, (uint8_t)strlen(a), 0, 0 }, tb = { b, (uint8_t)strlen(b), 0, 0 };
    size_t n = ps_name_pair_key(&ta, &tb, out);
    out[n] = '\0';
    return out;
}

START_TEST(test_readings_and_pairs)
{
    ck_assert_str_eq(reading_of("XU"), "KS");
    ck_assert_str_eq(reading_of("HSU"), "KS");
    ck_assert_str_eq(reading_of("ZHOU"), "JA"); /* one consonant: the reading keeps vowels */
    ck_assert_str_eq(reading_of("CHOU"), "JA");
    ck_assert_str_eq(reading_of("MARTINEZ"), "MRTNS");
    ck_assert_str_eq(reading_of("O"), "O");
    /* pair keys are order-free and meet across romanizations */
    ck_assert_str_eq(pair_of("ZHOU", "KOUGANG"), pair_of("KOUGANG", "CHOU"));
    ck_assert_str_eq(pair_of("HSU", "NENJUN"), pair_of("XU", "NENJUN"));
    ck_assert_str_eq(pair_of("HSU", "NENJUN"), "PKS|NANAN");
    /* LI and LE share a pair key (LA): the scorer, not the index, tells them apart */
    ck_assert_str_eq(pair_of("LI", "XINDIU"), pair_of("LE", "XINDIU"));
    ck_assert_str_ne(pair_of("LI", "XINDIU"), pair_of("LI", "PETROV"));
}
END_TEST

/* ps_name_keys_of: all three at once, as ps_name_key and ps_name_reading give them one by one;
 * an X becomes KS only while two letters still fit the key. */
static bool keys_are(const char *tok, const char *s, const char *v, const char *r)
{
    ps_name_token_keys k;
    ps_name_keys_of(tok, strlen(tok), &k);
    return k.s_len == strlen(s) && memcmp(k.s, s, k.s_len) == 0 && k.v_len == strlen(v) &&
           memcmp(k.v, v, k.v_len) == 0 && k.r_len == strlen(r) && memcmp(k.r, r, k.r_len) == 0;
}

START_TEST(test_keys_in_one_pass)
{
    ck_assert(keys_are("EXXON", "SKSKSN", "VAKSKSAN", "KSKSN"));
    ck_assert(keys_are("MOHAMMED", "SMHMD", "VMAHAMAD", "MHMD"));
    ck_assert(keys_are("ZHOU", "", "", "JA")); /* one consonant: no skeleton, a short outline */
    ck_assert(keys_are("AH", "", "", "AH"));      /* too short for keys: the token is read */
    char x[40];
    memset(x, 'X', sizeof x);
    ck_assert_str_eq(reading_of_n(x, sizeof x),
                     "KSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSX");
    ck_assert_str_eq(key_of('S', "SHAW"), "SSH");
    ck_assert_str_eq(key_of('V', "BOWEN"), "VBAN");
}
END_TEST

/* ps_name_postings_from_year against a scan, over reference lists of many shapes: a group 0 of
 * any size first, then years spread evenly, bunched, or all one year. */
START_TEST(test_postings_from_year_matches_scan)
{
    enum { REF = PS_NAME_REF_SIZE, MAX = 600 };
    static unsigned char data[MAX * REF];
    unsigned seed = 99;
    for (int it = 0; it < 3000; it++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t n = (seed >> 16) % MAX;
        seed = seed * 1103515245u + 12345u;
        uint32_t undated = n ? (seed >> 16) % (n + 1) : 0;
        seed = seed * 1103515245u + 12345u;
        unsigned spread = 1 + (seed >> 16) % 90;
        uint16_t groups[MAX];
        for (uint32_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            groups[i] = i < undated ? 0 : (uint16_t)(1930 + (seed >> 16) % spread);
        }
        for (uint32_t i = 1; i < n; i++) /* sorted, as the index keeps them */
            for (uint32_t j = i; j > 0 && groups[j - 1] > groups[j]; j--) {
                uint16_t t = groups[j];
                groups[j] = groups[j - 1];
                groups[j - 1] = t;
            }
        memset(data, 0, sizeof data);
        for (uint32_t i = 0; i < n; i++) {
            data[i * REF] = (unsigned char)(groups[i] >> 8);
            data[i * REF + 1] = (unsigned char)groups[i];
        }
        ps_name_postings p = {data, n};
        uint16_t years[] = {0, 1, 1929, 1930, 1931, 1960, 1975, 2019, 2020, 2021, 3000};
        for (size_t y = 0; y < sizeof years / sizeof years[0]; y++) {
            uint32_t want = 0;
            while (want < n && groups[want] < years[y])
                want++;
            ck_assert_uint_eq(ps_name_postings_from_year(&p, years[y]), want);
        }
    }
}
END_TEST

/* ps_name_postings_from_year_many against one search per list, over more lists than one batch
 * (64) of many lengths, for years before, inside and after theirs. */
START_TEST(test_postings_from_year_many_matches_single)
{
    enum { LISTS = 150, MAX = 300 };
    static unsigned char data[LISTS][MAX * PS_NAME_REF_SIZE];
    ps_name_postings lists[LISTS];
    const ps_name_postings *ptr[LISTS];
    unsigned seed = 7;
    for (int i = 0; i < LISTS; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t n = (seed >> 16) % MAX;
        uint16_t year = 0;
        memset(data[i], 0, sizeof data[i]);
        for (uint32_t k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 4 == 0)
                year = (uint16_t)(year ? year + (seed >> 20) % 3 : 1940 + (seed >> 20) % 40);
            data[i][k * PS_NAME_REF_SIZE] = (unsigned char)(year >> 8);
            data[i][k * PS_NAME_REF_SIZE + 1] = (unsigned char)year;
        }
        lists[i] = (ps_name_postings){data[i], n, NULL};
        ptr[i] = &lists[i];
    }
    /* and the same lists with their samples, as the store keeps them */
    static unsigned char samples[LISTS][MAX / PS_NAME_YEAR_STRIDE * 2 + 2];
    ps_name_postings sampled[LISTS];
    const ps_name_postings *sptr[LISTS];
    for (int i = 0; i < LISTS; i++) {
        sampled[i] = lists[i];
        if (lists[i].count > PS_NAME_YEAR_STRIDE) {
            for (uint32_t k = 0; k < lists[i].count; k += PS_NAME_YEAR_STRIDE)
                memcpy(samples[i] + 2 * (k / PS_NAME_YEAR_STRIDE),
                       data[i] + (size_t)k * PS_NAME_REF_SIZE, 2);
            sampled[i].samples = samples[i];
        }
        sptr[i] = &sampled[i];
    }
    uint16_t years[] = {0, 1, 1939, 1940, 1941, 1960, 1985, 1999, 2100};
    for (size_t y = 0; y < sizeof years / sizeof years[0]; y++) {
        uint32_t from[LISTS], sfrom[LISTS];
        ps_name_postings_from_year_many(ptr, LISTS, years[y], from);
        ps_name_postings_from_year_many(sptr, LISTS, years[y], sfrom);
        for (int i = 0; i < LISTS; i++) {
            ck_assert_uint_eq(from[i], ps_name_postings_from_year(&lists[i], years[y]));
            ck_assert_uint_eq(sfrom[i], from[i]);
        }
    }
}
END_TEST

START_TEST(test_need_mask)
{
    ps_nf_name n;
    char text[256];
    ps_nf_from_parts(PS_STR_LIT("VAN DER BERG"), PS_STR_LIT("JAN J PIETER"), PS_STR_NULL, &n, text,
                     sizeof text);
    /* VAN DER are particles, J an initial, PIETER a middle name: BERG and JAN remain */
    ck_assert_int_eq(n.form[0].n, 6);
    ck_assert_uint_eq(ps_nf_need_mask(&n.form[0]), 1u << 2 | 1u << 3);
    ps_nf_from_parts(PS_STR_NULL, PS_STR_NULL, PS_STR_LIT("Иван Петров Сидоров"), &n, text,
                     sizeof text);
    ck_assert_uint_eq(ps_nf_need_mask(&n.form[0]), 7); /* a full name needs every token */
}
END_TEST

START_TEST(test_block_round_trip)
{
    ps_wl_name names[2] = {
        { .surname = PS_STR_LIT("MÜLLER"), .given_names = PS_STR_LIT("Hans Peter"),
          .type = PS_NAME_PRIMARY },
        { .full = PS_STR_LIT("Иван Петров"), .type = PS_NAME_ALIAS },
    };
    ps_wl_entry e = { .list = PS_STR_LIT("l"), .id = PS_STR_LIT("1"), .names = names,
                      .n_names = 2 };
    ps_buf b;
    ps_buf_init(&b);
    ps_nf_encode(&e, &b);
    size_t pos = 0, remaining = 0;
    ps_nf_name n;
    ck_assert(ps_nf_next((const unsigned char *)b.data, b.len, &pos, &remaining, &n));
    ck_assert_int_eq(n.type, PS_NAME_PRIMARY);
    ck_assert_int_eq(n.n_forms, 2); /* MUELLER and MULLER */
    ck_assert_int_eq(n.form[0].n, 3);
    ck_assert(n.form[0].tok[0].len == 7 && memcmp(n.form[0].tok[0].p, "MUELLER", 7) == 0);
    ck_assert_int_eq(n.form[0].tok[0].part, PS_PART_SURNAME);
    ck_assert_int_eq(n.form[0].tok[2].part, PS_PART_GIVEN);
    ck_assert(n.form[1].tok[0].len == 6 && memcmp(n.form[1].tok[0].p, "MULLER", 6) == 0);
    ck_assert(ps_nf_next((const unsigned char *)b.data, b.len, &pos, &remaining, &n));
    ck_assert_int_eq(n.type, PS_NAME_ALIAS);
    ck_assert_int_eq(n.form[0].tok[0].part, PS_PART_FULL);
    ck_assert(n.form[0].tok[0].len == 4 && memcmp(n.form[0].tok[0].p, "IVAN", 4) == 0);
    ck_assert(!ps_nf_next((const unsigned char *)b.data, b.len, &pos, &remaining, &n));
    /* a cut block is refused, not over-read */
    pos = 0;
    ck_assert(!ps_nf_next((const unsigned char *)b.data, 5, &pos, &remaining, &n));
    ps_buf_free(&b);
}
END_TEST

static size_t count(ps_store *s, const char *key)
{
    ps_snapshot *snap;
    char err[256];
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    size_t n = ps_snapshot_name_count(snap, key, strlen(key));
    ps_snapshot_end(snap);
    return n;
}

static bool count_neighbour(void *ctx, const char *tok, size_t len)
{
    (void)tok;
    (void)len;
    ++*(size_t *)ctx;
    return true;
}

/* How many listed tokens (with repeats through several deletions, as the store gives them) are
 * near tok, counted once per distinct token by the caller's data: every test token here has
 * at most one listed neighbour, reached through one or more of its deletions. */
static size_t neighbours(ps_store *s, const char *tok)
{
    ps_snapshot *snap;
    char err[256];
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    size_t n = 0;
    ck_assert_int_eq(ps_snapshot_name_neighbours(snap, tok, strlen(tok), count_neighbour, &n),
                     PS_STORE_OK);
    ps_snapshot_end(snap);
    return n ? 1 : 0;
}

static void put(ps_store *s, ps_wl_entry *e, uint64_t hash)
{
    ps_store_writer *w;
    char err[256];
    ps_import_counts c = { 0 };
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_store_put(w, e, hash, &c, err, sizeof err), PS_STORE_OK);
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
}

/* A writable store in a new directory made from the template dir (mkdtemp). */
static ps_store *temp_store(char *dir)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char err[256];
    ps_store *s;
    ck_assert_int_eq(ps_store_open(dir, true, &s, err, sizeof err), PS_STORE_OK);
    return s;
}

/* name_near against the vocabulary: after every commit of random puts and deletes over tokens of
 * a small alphabet (so that many are one or two edits apart), each listed token's list holds
 * exactly the other tokens its deletions find in the vocabulary, and a token no longer listed
 * has none; name_near_refs holds exactly the references of the neighbours that pair. */
typedef struct token_set {
    char tok[64][8];
    size_t n;
} token_set;

static bool add_to_set(void *ctx, const char *tok, size_t len)
{
    token_set *set = ctx;
    for (size_t i = 0; i < set->n; i++)
        if (strlen(set->tok[i]) == len && memcmp(set->tok[i], tok, len) == 0)
            return true;
    ck_assert_uint_lt(set->n, 64);
    ck_assert_uint_lt(len, 8);
    memcpy(set->tok[set->n], tok, len);
    set->tok[set->n++][len] = '\0';
    return true;
}

static bool in_set(const token_set *set, const char *tok)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->tok[i], tok) == 0)
            return true;
    return false;
}


/* tok's list of neighbours (name_near) into got. */
static void neighbour_list(ps_snapshot *snap, const char *tok, token_set *got)
{
    ps_name_lookup l = {.key = tok, .key_len = strlen(tok), .index = PS_NAME_NEIGHBOURS};
    ck_assert_int_eq(ps_snapshot_name_lookup(snap, &l, 1), PS_STORE_OK);
    const char *v;
    size_t vlen;
    while (ps_name_lookup_next(&l, &v, &vlen))
        add_to_set(got, v, vlen);
}

static int cmp_ref(const void *a, const void *b)
{
    return memcmp(a, b, PS_NAME_REF_SIZE);
}

/* Appends the references of postings p to refs (n of cap). */
static void append_refs(unsigned char (*refs)[PS_NAME_REF_SIZE], size_t *n, size_t cap,
                        const ps_name_postings *p)
{
    ck_assert_uint_le(*n + p->count, cap);
    if (p->count)
        memcpy(refs[*n], p->data, (size_t)p->count * PS_NAME_REF_SIZE);
    *n += p->count;
}

/* name_near_refs of tok against its model: its own 'T' references and those of the tokens of its
 * neighbour list (got) that pair with it, or nothing when tok is not listed. */
/* A list of references as the store hands it out: the year of every PS_NAME_YEAR_STRIDE-th
 * reference sampled ahead of them when there are more than that, none otherwise. */
static void check_samples(const ps_name_postings *p)
{
    if (p->count <= PS_NAME_YEAR_STRIDE) {
        ck_assert_ptr_null(p->samples);
        return;
    }
    ck_assert_ptr_nonnull(p->samples);
    for (uint32_t k = 0; k < p->count; k += PS_NAME_YEAR_STRIDE)
        ck_assert_mem_eq(p->samples + 2 * (k / PS_NAME_YEAR_STRIDE),
                         p->data + (size_t)k * PS_NAME_REF_SIZE, 2);
}

static void check_near_refs(ps_snapshot *snap, const char *tok, const token_set *got, int round)
{
    char tkey[16] = "T";
    memcpy(tkey + 1, tok, strlen(tok) + 1);
    bool listed = ps_snapshot_name_count(snap, tkey, strlen(tkey)) > 0;
    enum { CAP = 4096 };
    static unsigned char want[CAP][PS_NAME_REF_SIZE], have[CAP][PS_NAME_REF_SIZE];
    size_t n_want = 0, n_have = 0;
    ps_name_token_keys kt;
    ps_name_keys_of(tok, strlen(tok), &kt);
    if (listed) { /* its own references first */
        ps_name_postings p;
        ck_assert_int_eq(ps_snapshot_name_postings(snap, tkey, strlen(tkey), &p), PS_STORE_OK);
        check_samples(&p);
        append_refs(want, &n_want, CAP, &p);
    }
    for (size_t i = 0; listed && i < got->n; i++) {
        const char *w = got->tok[i];
        ps_name_token_keys kw;
        ps_name_keys_of(w, strlen(w), &kw);
        if (ps_token_sim(tok, strlen(tok), &kt, w, strlen(w), &kw) < PS_PAIR_FLOOR)
            continue;
        char wkey[16] = "T";
        memcpy(wkey + 1, w, strlen(w) + 1);
        ps_name_postings p;
        ck_assert_int_eq(ps_snapshot_name_postings(snap, wkey, strlen(wkey), &p), PS_STORE_OK);
        append_refs(want, &n_want, CAP, &p);
    }
    char nkey[16] = "N";
    memcpy(nkey + 1, tok, strlen(tok) + 1);
    ps_name_lookup l = {.key = nkey, .key_len = strlen(nkey), .index = PS_NAME_NEAR_REFS};
    ck_assert_int_eq(ps_snapshot_name_lookup(snap, &l, 1), PS_STORE_OK);
    check_samples(&l.refs);
    append_refs(have, &n_have, CAP, &l.refs);
    qsort(want, n_want, sizeof want[0], cmp_ref);
    ck_assert_msg(n_have == n_want, "round %d, %s: %zu neighbours' references, %zu expected",
                  round, tok, n_have, n_want);
    ck_assert(n_have == 0 || memcmp(have, want, n_have * sizeof want[0]) == 0);
}

START_TEST(test_near_index_matches_vocabulary)
{
    char dir[] = "/tmp/ps_name_near.XXXXXX";
    char err[256];
    ps_store *s = temp_store(dir);
    enum { TOKENS = 40, ENTRIES = 24 };
    char universe[TOKENS][8];
    unsigned seed = 4242;
    for (int t = 0; t < TOKENS; t++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = 4 + (seed >> 16) % 3;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            universe[t][i] = "ABN"[(seed >> 16) % 3];
        }
        universe[t][len] = '\0';
    }
    char ids[ENTRIES][8];
    for (int round = 0; round < 12; round++) {
        ps_store_writer *w;
        ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
        for (int op = 0; op < 10; op++) {
            seed = seed * 1103515245u + 12345u;
            int id = (int)((seed >> 16) % ENTRIES);
            snprintf(ids[id], sizeof ids[id], "W-%d", id);
            seed = seed * 1103515245u + 12345u;
            int a = (int)((seed >> 16) % TOKENS), b = (int)((seed >> 8) % TOKENS);
            ps_wl_name name = {.surname = {universe[a], strlen(universe[a])},
                               .given_names = {universe[b], strlen(universe[b])}};
            ps_wl_entry e = {.list = PS_STR_LIT("wanted"), .id = {ids[id], strlen(ids[id])},
                             .names = &name, .n_names = 1, .deleted = (seed >> 4) % 4 == 0};
            ps_import_counts c = {0};
            ck_assert_int_eq(ps_store_put(w, &e, seed, &c, err, sizeof err), PS_STORE_OK);
        }
        ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);

        ps_snapshot *snap;
        ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
        for (int t = 0; t < TOKENS; t++) {
            const char *tok = universe[t];
            char tkey[16] = "T";
            memcpy(tkey + 1, tok, strlen(tok) + 1);
            token_set want = {.n = 0}, got = {.n = 0};
            if (ps_snapshot_name_count(snap, tkey, strlen(tkey)) > 0)
                ck_assert_int_eq(ps_snapshot_name_neighbours(snap, tok, strlen(tok), add_to_set,
                                                             &want),
                                 PS_STORE_OK);
            neighbour_list(snap, tok, &got);
            size_t expected = want.n - (in_set(&want, tok) ? 1 : 0);
            ck_assert_msg(got.n == expected, "round %d, %s: %zu neighbours listed, %zu found", round,
                          tok, got.n, expected);
            for (size_t i = 0; i < got.n; i++)
                ck_assert(in_set(&want, got.tok[i]) && strcmp(got.tok[i], tok) != 0);
            check_near_refs(snap, tok, &got, round);
        }
        ps_snapshot_end(snap);
    }
    ps_store_close(s);
    test_remove_dir(dir);
}
END_TEST

/* Long lists as the store keeps them: 60 entries named PETROVA (a third of them with no birth
 * date, the others born 1950-1969), some of them deleted again; the 'T' and 'N' lists carry
 * their samples, and the window of every year starts where a search of the whole list says. */
START_TEST(test_long_lists_carry_year_samples)
{
    char dir[] = "/tmp/ps_name_samples.XXXXXX";
    char err[256];
    ps_store *s = temp_store(dir);
    ps_store_writer *w;
    ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
    static const char *given[] = {"ANNA", "OLGA", "IRINA", "MARIA", "ELENA", "DARIA"};
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 60; i++) {
            if (round == 1 && i % 7 != 0)
                continue; /* the second round deletes every seventh */
            char id[16];
            snprintf(id, sizeof id, "P-%d", i);
            ps_date born = {.year = (int16_t)(1950 + (i * 13) % 20), .month = 1, .day = 1,
                            .precision = PS_DATE_DAY};
            ps_wl_name name = {.surname = PS_STR_LIT("PETROVA"),
                               .given_names = {given[i % 6], strlen(given[i % 6])}};
            ps_wl_entry e = {.list = PS_STR_LIT("wanted"), .id = {id, strlen(id)},
                             .names = &name, .n_names = 1, .birth_dates = &born,
                             .n_birth_dates = i % 3 ? 1 : 0, .deleted = round == 1};
            ps_import_counts c = {0};
            ck_assert_int_eq(ps_store_put(w, &e, (uint64_t)i, &c, err, sizeof err), PS_STORE_OK);
        }
    ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    ps_name_lookup l[2] = {{.key = "TPETROVA", .key_len = 8},
                           {.key = "NPETROVA", .key_len = 8, .index = PS_NAME_NEAR_REFS}};
    ck_assert_int_eq(ps_snapshot_name_lookup(snap, l, 2), PS_STORE_OK);
    const ps_name_postings *lists[2] = {&l[0].refs, &l[1].refs};
    for (int k = 0; k < 2; k++) {
        ck_assert_uint_eq(lists[k]->count, 60 - 9); /* 0, 7, ..., 56 deleted */
        check_samples(lists[k]);
    }
    for (uint16_t year = 0; year < 1975; year = year ? year + 1 : 1945) {
        uint32_t from[2];
        ps_name_postings_from_year_many(lists, 2, year, from);
        for (int k = 0; k < 2; k++)
            ck_assert_uint_eq(from[k], ps_name_postings_from_year(lists[k], year));
    }
    ps_snapshot_end(snap);
    ps_store_close(s);
    test_remove_dir(dir);
}
END_TEST

/* A name whose token changes to another token near the same listed token (PETROVA to PETROV,
 * both near PETROVE) moves its reference from the one to the other within one flush: the
 * reference stays in PETROVE's list of neighbours' references. */
START_TEST(test_near_refs_follow_a_rename)
{
    char dir[] = "/tmp/ps_name_near_refs.XXXXXX";
    char err[256];
    ps_store *s = temp_store(dir);
    static const char *const names[][3] = {
        {"W-A", "PETROVE", "IVAN"}, {"W-B", "PETROVA", "OLGA"},
        {"W-C", "PETROV", "OLEG"},  {"W-E", "PETROVA", "IVAN"},
        {"W-E", "PETROV", "IVAN"},  {"W-E", "PETROVA", "IVAN"},
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        ps_wl_name name = {.surname = {names[k][1], strlen(names[k][1])},
                           .given_names = {names[k][2], strlen(names[k][2])}};
        ps_wl_entry e = {.list = PS_STR_LIT("wanted"), .id = {names[k][0], strlen(names[k][0])},
                         .names = &name, .n_names = 1};
        put(s, &e, k + 1);
        ps_snapshot *snap;
        ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
        static const char *const tokens[] = {"PETROVE", "PETROVA", "PETROV"};
        for (size_t t = 0; t < 3; t++) {
            token_set got = {.n = 0};
            neighbour_list(snap, tokens[t], &got);
            check_near_refs(snap, tokens[t], &got, (int)k);
        }
        ps_snapshot_end(snap);
    }
    ps_store_close(s);
    test_remove_dir(dir);
}
END_TEST

/* name_blocks against name_forms: after every commit of random puts, updates and deletes of
 * entries with one short name or many aliases (a block too long for an item), the batched read
 * gives every entry's block exactly as name_forms holds it, and nothing for a deleted one. */
START_TEST(test_name_blocks_match_name_forms)
{
    char dir[] = "/tmp/ps_name_blocks.XXXXXX";
    char err[256];
    ps_store *s = temp_store(dir);
    enum { ENTRIES = 20, ALIASES = 12 };
    static const char *const surnames[] = {"PETROV", "SIDOROVA", "KOWALSKI", "NAKAMURA"};
    unsigned seed = 777;
    bool nameless[ENTRIES] = {false};
    for (int round = 0; round < 10; round++) {
        ps_store_writer *w;
        ck_assert_int_eq(ps_store_writer_begin(s, &w, err, sizeof err), PS_STORE_OK);
        for (int op = 0; op < 8; op++) {
            seed = seed * 1103515245u + 12345u;
            int id = (int)((seed >> 16) % ENTRIES);
            char idtext[16];
            snprintf(idtext, sizeof idtext, "E-%d", id);
            ps_wl_name names[ALIASES];
            /* ALIASES: over 255 bytes; none: a lost passport, which keeps no block */
            int n_names = (seed >> 4) % 3 == 0 ? ALIASES : (seed >> 6) % 4 == 0 ? 0 : 1;
            for (int k = 0; k < n_names; k++) {
                const char *surname = surnames[(id + k) % 4];
                names[k] = (ps_wl_name){.surname = {surname, strlen(surname)},
                                        .given_names = PS_STR_LIT("ALEKSANDR")};
            }
            ps_wl_document doc = {.number = PS_STR_LIT("L1234567"), .issuer = PS_STR_LIT("DEU")};
            ps_wl_entry e = {.list = PS_STR_LIT("wanted"), .id = {idtext, strlen(idtext)},
                             .names = names, .n_names = (uint32_t)n_names,
                             .documents = &doc, .n_documents = 1,
                             .deleted = (seed >> 8) % 5 == 0};
            nameless[id] = n_names == 0;
            ps_import_counts c = {0};
            ck_assert_int_eq(ps_store_put(w, &e, seed, &c, err, sizeof err), PS_STORE_OK);
        }
        ck_assert_int_eq(ps_store_writer_commit(w, err, sizeof err), PS_STORE_OK);

        ps_snapshot *snap;
        ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
        uint64_t numbers[ENTRIES + 1];
        size_t n = 0;
        for (int id = 0; id < ENTRIES; id++) {
            char idtext[16];
            snprintf(idtext, sizeof idtext, "E-%d", id);
            uint64_t number;
            if (ps_snapshot_find(snap, PS_STR_LIT("wanted"), (ps_str){idtext, strlen(idtext)},
                                 &number) != PS_STORE_OK)
                continue;
            numbers[n++] = number;
            const unsigned char *block;
            size_t len;
            if (nameless[id]) /* listed by its document alone */
                ck_assert_int_eq(ps_snapshot_name_forms(snap, number, &block, &len),
                                 PS_STORE_NOT_FOUND);
        }
        numbers[n++] = 1000000; /* no such entry */
        const unsigned char *data[ENTRIES + 1];
        size_t lens[ENTRIES + 1];
        ck_assert_int_eq(ps_snapshot_name_forms_many(snap, numbers, n, data, lens), PS_STORE_OK);
        for (size_t i = 0; i < n; i++) {
            const unsigned char *want;
            size_t want_len;
            if (ps_snapshot_name_forms(snap, numbers[i], &want, &want_len) != PS_STORE_OK) {
                ck_assert_ptr_null(data[i]);
                continue;
            }
            ck_assert_uint_eq(lens[i], want_len);
            ck_assert(memcmp(data[i], want, want_len) == 0);
        }
        ps_snapshot_end(snap);
    }
    ps_store_close(s);
    test_remove_dir(dir);
}
END_TEST

START_TEST(test_store_keeps_index_in_step)
{
    char dir[] = "/tmp/ps_name_index.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char err[256];
    ps_store *s;
    ck_assert_int_eq(ps_store_open(dir, true, &s, err, sizeof err), PS_STORE_OK);
    ps_wl_name name = { .surname = PS_STR_LIT("PETROV"), .given_names = PS_STR_LIT("IVAN") };
    ps_wl_entry e = { .list = PS_STR_LIT("wanted"), .id = PS_STR_LIT("W-1"), .names = &name,
                      .n_names = 1 };
    put(s, &e, 1);
    ck_assert_uint_eq(count(s, "TPETROV"), 1);
    ck_assert_uint_eq(count(s, "TIVAN"), 1);
    ck_assert_uint_eq(count(s, "SPTRV"), 1);
    ck_assert_uint_eq(neighbours(s, "PETROF"), 1);  /* one letter dropped */
    ck_assert_uint_eq(neighbours(s, "PETROVA"), 1); /* one letter added */
    ck_assert_uint_eq(neighbours(s, "PERTOV"), 1);  /* two letters swapped */
    ck_assert_uint_eq(neighbours(s, "PXTRXV"), 0);  /* two edits of substitution */
    ck_assert_uint_eq(neighbours(s, "IVA"), 1);     /* a token one letter short of the vocabulary */
    /* the name changes: the old keys go, the new ones come */
    name.surname = PS_STR_LIT("SIDOROV");
    put(s, &e, 2);
    ck_assert_uint_eq(count(s, "TPETROV"), 0);
    ck_assert_uint_eq(count(s, "TSIDOROV"), 1);
    ck_assert_uint_eq(neighbours(s, "PETROF"), 0); /* PETROV left the vocabulary */
    ck_assert_uint_eq(neighbours(s, "SIDOROF"), 1);
    ck_assert_uint_eq(count(s, "TIVAN"), 1);
    /* a second entry shares a token */
    ps_wl_entry e2 = { .list = PS_STR_LIT("wanted"), .id = PS_STR_LIT("W-2"), .names = &name,
                       .n_names = 1 };
    put(s, &e2, 3);
    ck_assert_uint_eq(count(s, "TIVAN"), 2);
    /* deletes remove every key */
    ps_wl_entry del = { .list = PS_STR_LIT("wanted"), .id = PS_STR_LIT("W-1"), .deleted = true };
    put(s, &del, 4);
    del.id = PS_STR_LIT("W-2");
    put(s, &del, 5);
    ck_assert_uint_eq(count(s, "TIVAN"), 0);
    ck_assert_uint_eq(count(s, "TSIDOROV"), 0);
    ck_assert_uint_eq(neighbours(s, "SIDOROF"), 0);
    ck_assert_uint_eq(neighbours(s, "IVANN"), 0);
    ps_snapshot *snap;
    ck_assert_int_eq(ps_snapshot_begin(s, &snap, err, sizeof err), PS_STORE_OK);
    const unsigned char *block;
    size_t len;
    ck_assert_int_eq(ps_snapshot_name_forms(snap, 0, &block, &len), PS_STORE_NOT_FOUND);
    ps_snapshot_end(snap);
    ps_store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("name_index");
    TCase *tc = tcase_create("name_index");
    tcase_add_test(tc, test_keys);
    tcase_add_test(tc, test_readings_and_pairs);
    tcase_add_test(tc, test_keys_in_one_pass);
    tcase_add_test(tc, test_postings_from_year_matches_scan);
    tcase_add_test(tc, test_postings_from_year_many_matches_single);
    tcase_add_test(tc, test_need_mask);
    tcase_add_test(tc, test_block_round_trip);
    tcase_add_test(tc, test_store_keeps_index_in_step);
    tcase_add_test(tc, test_near_index_matches_vocabulary);
    tcase_add_test(tc, test_near_refs_follow_a_rename);
    tcase_add_test(tc, test_long_lists_carry_year_samples);
    tcase_add_test(tc, test_name_blocks_match_name_forms);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
