/* engine/screen_persons.c — person screening: find the entries whose names a traveller's name
 * may be, and score them.
 *
 * Candidates come from the store's name index, never from a scan (name_keys.h). Each token of
 * the traveller's normalized name (both readings, also without a leading particle and with
 * particles joined to it) is looked up by its 'T', 'S', 'V', 'F' and 'L' keys and through the
 * token vocabulary: the listed tokens one deletion away (a misspelling either side) by their
 * 'T' keys — for a listed token, all of them in one list of its neighbours' references
 * (name_near_refs) unless they hold too many. Each two tokens of a reading are looked up by
 * their 'P' key, each token with another's initial by its 'I' key, and — where a token is only
 * reached through a listed token too common to read (WANG for WAIG) — the pairs of their
 * alternatives by 'P' keys; where one of the two is not common and its own keys were read, no
 * pair key: each reference carries the reading hashes of its form's other main tokens
 * (mates), and one that matches a common alternative's reaches that token too. A key with
 * more references than its cap (a common token: MOHAMMED, SMITH) is not read; keys are read
 * rarest first, so a full candidate table holds what the most selective keys found. Every
 * reference says which token of which form of a listed name it stands for and which tokens
 * that form cannot do without (surname tokens, the first given name, every token of a full
 * name): a candidate name is kept only when the traveller's keys reached all of those in one
 * form — and, unless some list's threshold is as low as 1 - 0.35 + 0.03 (what a perfect name
 * with a disagreeing birth date can score), only when the entry has several birth dates or its
 * one birth year (also in the reference) is within a year of the traveller's. Candidates are
 * scored most promising first (more traveller tokens, then birth year
 * agreeing — carried in the index — then more exact keys), at most MAX_SCORED of them.
 *
 * Scoring a candidate name, for each pair of readings (traveller, entry): tokens are paired
 * one to one, best first, by token similarity (equal 1.0; same skeleton, outline or reading
 * 0.84–0.9 by skeleton length; one edit 0.84–0.9 by length, two edits 0.82 in a long token;
 * an initial for its name 0.8; otherwise a Jaro-Winkler of 0.9 or more, scaled); a run of
 * particles on either side may pair joined with the token after it (AL RASHID = ALRASHID, VAN DER
 * BERG = VANDERBERG). Each entry token weighs by its rarity (log of entries over the entries
 * holding it; particles 0.3 and initials 0.5 of that). The name score is the paired weight over the
 * paired weight plus the entry's unpaired weight (a quarter for a middle name, a third for a
 * particle) plus a quarter of the traveller's unpaired weight: a missing listed name costs, a
 * missing or extra middle name costs little, order does not matter. Birth date (exact +0.05,
 * agreeing only to the year or month -0.02, ... different -0.35), gender and nationality then move
 * the score as separate evidence. A hit needs the list's threshold and a name score of at least
 * NAME_FLOOR; one hit per entry, its best name. */
#include "name_keys.h"
#include "name_similarity.h"
#include "paxscreen/bytes.h"
#include "screen_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define CANDIDATE_CAP 250 /* references expanded per token key */
#define INITIAL_CAP                                                                                \
    100 /* references expanded per initial key of two full traveller tokens                        \
         * (SMITH|J for JOHN SMITH): the pair and neighbour keys find full                         \
         * names; this finds listed initials (J SMITH) of rarer surnames */
#define INITIAL_BIT    (1u << 31) /* stands for the traveller's initials in a candidate's mask */
#define PAIR_CAP       20000      /* references expanded per pair key */
#define MAX_CANDIDATES 4096       /* (entry, name) pairs collected */
#define MAX_SCORED     256        /* candidates scored, most promising first */
#define NAME_FLOOR     0.80
#define DOB_DIFFERENT  (-0.35) /* score moved by a birth date that does not agree at all */
#define SAME_COUNTRY   0.03    /* score moved by an agreeing nationality (the most evidence adds) */
#define PAIR_FLOOR     PS_PAIR_FLOOR
#define NEIGHBOUR_CAP  300     /* references expanded per neighbouring token (YANG for WANG) */
#define NEAR_REFS_CAP                                                                              \
    3000 /* references expanded of a listed token's neighbours together (name_near_refs), ten   \
          * neighbours' worth; a token whose neighbours hold more (a neighbour of WANG) reads   \
          * them one by one, the common ones not (measured: 1,000 x0.97, 100,000 x1.04, but     \
          * a traveller without a birth date would read every reference of WANG) */

/* A token's skeleton and outline keys and its reading (ps_name_keys_of), made once per token
 * rather than per pair. */
typedef ps_name_token_keys token_keys;

/* ---- what scoring knows of a token ---- */

/* A token text met while scoring one traveller's candidates — WANG comes back in most of a
 * Chinese name's candidates —: its keys and rarity made once, and its similarity to each of
 * the traveller's first TRAVELLER_SIMS tokens kept once computed. */
#define TRAVELLER_SIMS 16
typedef struct token_info {
    const char *p; /* the text, in the traveller's name or an entry's names block */
    uint8_t len;
    token_keys k;
    double rarity;         /* log of entries over the entries holding it */
    uint16_t sim_known;    /* bit t: sim[t] holds the similarity to traveller token t */
    double sim[TRAVELLER_SIMS];
} token_info;

#define TOKEN_SLOTS 1024 /* a power of two */
#define TOKEN_MAX   768  /* tokens remembered; any further one is made each time it comes */
typedef struct token_table {
    ps_snapshot *snap;
    ps_arena *scratch;
    token_info *items;
    uint32_t n;
    uint16_t slots[TOKEN_SLOTS]; /* 1 + index into items, 0 empty */
} token_table;

/* A token's rarity from its 'T' key's references, as looked up (l). */
static double rarity_of(const token_table *tt, const ps_name_lookup *l)
{
    double df = l->key_len ? (double)l->refs.count : 0;
    return log(1.0 + (double)ps_snapshot_total_entries(tt->snap) / (df + 1.0));
}

/* Finds ti's rarity by itself (token_table_weigh finds many together). */
static void token_info_weigh(token_table *tt, token_info *ti)
{
    char key[PS_NAME_KEY_MAX];
    ps_name_lookup l = {.key = key, .key_len = ps_name_key('T', ti->p, ti->len, key)};
    ps_snapshot_name_lookup(tt->snap, &l, 1); /* a store error: no references, as before */
    ti->rarity = rarity_of(tt, &l);
}

/* Makes ti for the token; its rarity now (weigh) or with the others by token_table_weigh. */
static void token_info_make(token_table *tt, token_info *ti, const char *p, size_t len, bool weigh)
{
    ti->p = p;
    ti->len = (uint8_t)len;
    ps_name_keys_of(p, len, &ti->k);
    ti->sim_known = 0;
    ti->rarity = -1;
    if (weigh)
        token_info_weigh(tt, ti);
}

/* The token's info, made the first time it is asked for; its rarity at once unless deferred
 * (token_table_weigh then finds it with the others). */
static token_info *token_info_get(token_table *tt, const char *p, size_t len, bool defer)
{
    uint32_t h = (uint32_t)XXH3_64bits(p, len) & (TOKEN_SLOTS - 1);
    for (;; h = (h + 1) & (TOKEN_SLOTS - 1)) {
        uint16_t at = tt->slots[h];
        if (!at)
            break;
        token_info *ti = &tt->items[at - 1];
        if (ti->len == len && memcmp(ti->p, p, len) == 0)
            return ti;
    }
    token_info *ti;
    bool kept = tt->n < TOKEN_MAX && len <= 255;
    if (kept) {
        ti = &tt->items[tt->n++];
        tt->slots[h] = (uint16_t)tt->n;
    } else {
        ti = ps_arena_alloc(tt->scratch, sizeof *ti); /* not remembered */
    }
    token_info_make(tt, ti, p, len, !(defer && kept));
    return ti;
}

static token_info *token_info_of(token_table *tt, const char *p, size_t len)
{
    token_info *ti = token_info_get(tt, p, len, false);
    if (ti->rarity < 0) /* deferred, never weighed */
        token_info_weigh(tt, ti);
    return ti;
}

/* Finds the rarity of every token made with its rarity deferred, their lookups together. */
static void token_table_weigh(token_table *tt)
{
    ps_name_lookup *l = ps_arena_alloc(tt->scratch, (tt->n + 1) * sizeof *l);
    char(*keys)[PS_NAME_KEY_MAX] = ps_arena_alloc(tt->scratch, (tt->n + 1) * sizeof *keys);
    uint32_t *which = ps_arena_alloc(tt->scratch, (tt->n + 1) * sizeof *which);
    uint32_t n = 0;
    for (uint32_t i = 0; i < tt->n; i++) {
        token_info *ti = &tt->items[i];
        if (ti->rarity >= 0)
            continue;
        l[n] = (ps_name_lookup){.key = keys[n], .key_len = ps_name_key('T', ti->p, ti->len, keys[n])};
        which[n++] = i;
    }
    ps_snapshot_name_lookup(tt->snap, l, n); /* a store error: no references, as before */
    for (uint32_t i = 0; i < n; i++)
        tt->items[which[i]].rarity = rarity_of(tt, &l[i]);
}

/* A token's weight in a name: its rarity, less for a particle or an initial. */
static double token_weight(const token_info *ti, uint8_t flags)
{
    return ti->rarity * (flags & PS_TOKEN_PARTICLE ? 0.3 : flags & PS_TOKEN_INITIAL ? 0.5 : 1.0);
}

/* ---- scoring one pair of readings ---- */

typedef struct pairing {
    double score;
    uint8_t n;
    int8_t entry_of[PS_NF_MAX_TOKENS]; /* per traveller token: the entry token paired, or -1 */
    uint8_t espan[PS_NF_MAX_TOKENS];   /* entry tokens joined in that pairing (1: none) */
    uint8_t tspan[PS_NF_MAX_TOKENS];   /* traveller tokens joined in it (1: none) */
    double sim[PS_NF_MAX_TOKENS];
} pairing;

/* Joins the run of particles that starts at token j with the token after it (AL RASHID,
 * VAN DER BERG) into buf; returns how many tokens were joined, 0 when j starts no such run. */
static uint8_t join_run(const ps_nf_form *f, uint8_t j, char *buf, size_t cap, size_t *len)
{
    if (!(f->tok[j].flags & PS_TOKEN_PARTICLE) ||
        (j > 0 && (f->tok[j - 1].flags & PS_TOKEN_PARTICLE)))
        return 0;
    uint8_t k = j;
    size_t o = 0;
    while (k < f->n && (f->tok[k].flags & PS_TOKEN_PARTICLE)) {
        if (o + f->tok[k].len > cap)
            return 0;
        memcpy(buf + o, f->tok[k].p, f->tok[k].len);
        o += f->tok[k++].len;
    }
    if (k >= f->n || !ps_nf_substantive(&f->tok[k]) || o + f->tok[k].len > cap)
        return 0;
    memcpy(buf + o, f->tok[k].p, f->tok[k].len);
    *len = o + f->tok[k].len;
    return (uint8_t)(k - j + 1);
}

/* Similarity of token a against the joined run of the other name that starts at b. */
static double run_sim(const ps_nf_token *a, const token_keys *ka, const ps_nf_form *other,
                      uint8_t b, uint8_t *span)
{
    char buf[128];
    size_t len;
    *span = join_run(other, b, buf, sizeof buf, &len);
    if (!*span)
        return 0;
    token_keys kb;
    ps_name_keys_of(buf, len, &kb);
    return ps_token_sim(a->p, a->len, ka, buf, len, &kb);
}

/* One form of a name with what scoring needs of each token: its info and its weight. */
typedef struct scored_form {
    const ps_nf_form *f;
    token_info *const *info;
    const double *w;
} scored_form;

/* The similarity of traveller token t and entry token e (token_sim), remembered in e's info
 * when t is one of the traveller's first TRAVELLER_SIMS tokens of the table. */
static double pair_sim(const token_table *tt, const token_info *t, token_info *e)
{
    size_t tnum = t >= tt->items && t < tt->items + tt->n ? (size_t)(t - tt->items) : SIZE_MAX;
    if (tnum < TRAVELLER_SIMS && (e->sim_known >> tnum & 1))
        return e->sim[tnum];
    double v = ps_token_sim(t->p, t->len, &t->k, e->p, e->len, &e->k);
    if (tnum < TRAVELLER_SIMS) {
        e->sim[tnum] = v;
        e->sim_known |= (uint16_t)(1u << tnum);
    }
    return v;
}

static void score_forms(const token_table *tt, const scored_form *t, const scored_form *e,
                        pairing *out)
{
    const ps_nf_form *tf = t->f, *ef = e->f;
    const double *tw = t->w, *ew = e->w;
    /* sim: token to token; esim: a traveller token to the joined entry run starting at j;
     * tsim: the joined traveller run starting at i to entry token j */
    double sim[PS_NF_MAX_TOKENS][PS_NF_MAX_TOKENS], esim[PS_NF_MAX_TOKENS][PS_NF_MAX_TOKENS];
    double tsim[PS_NF_MAX_TOKENS][PS_NF_MAX_TOKENS];
    uint8_t espan[PS_NF_MAX_TOKENS] = {0}, tspan[PS_NF_MAX_TOKENS] = {0};
    for (uint8_t i = 0; i < tf->n; i++) {
        for (uint8_t j = 0; j < ef->n; j++) {
            sim[i][j] = pair_sim(tt, t->info[i], e->info[j]);
            esim[i][j] = run_sim(&tf->tok[i], &t->info[i]->k, ef, j, &espan[j]);
            tsim[i][j] = run_sim(&ef->tok[j], &e->info[j]->k, tf, i, &tspan[i]);
        }
    }
    bool t_used[PS_NF_MAX_TOKENS] = {0}, e_used[PS_NF_MAX_TOKENS] = {0};
    out->n = tf->n;
    for (uint8_t i = 0; i < tf->n; i++) {
        out->entry_of[i] = -1;
        out->espan[i] = out->tspan[i] = 1;
        out->sim[i] = 0;
    }
    double paired = 0, paired_weight = 0;
    for (;;) { /* best pair first */
        double best = PAIR_FLOOR;
        int bi = -1, bj = -1, be = 1, bt = 1;
        for (uint8_t i = 0; i < tf->n; i++) {
            if (t_used[i])
                continue;
            for (uint8_t j = 0; j < ef->n; j++) {
                if (e_used[j])
                    continue;
                bool efree = espan[j] > 0, tfree = tspan[i] > 0;
                for (uint8_t k = 1; k < espan[j]; k++)
                    efree = efree && !e_used[j + k];
                for (uint8_t k = 1; k < tspan[i]; k++)
                    tfree = tfree && !t_used[i + k];
                if (sim[i][j] > best) {
                    best = sim[i][j];
                    bi = i, bj = j, be = 1, bt = 1;
                }
                if (efree && esim[i][j] > best) {
                    best = esim[i][j];
                    bi = i, bj = j, be = espan[j], bt = 1;
                }
                if (tfree && tsim[i][j] > best) {
                    best = tsim[i][j];
                    bi = i, bj = j, be = 1, bt = tspan[i];
                }
            }
        }
        if (bi < 0)
            break;
        for (int k = 0; k < bt; k++)
            t_used[bi + k] = true;
        for (int k = 0; k < be; k++) {
            e_used[bj + k] = true;
            paired += best * ew[bj + k];
            paired_weight += ew[bj + k];
        }
        out->entry_of[bi] = (int8_t)bj;
        out->espan[bi] = (uint8_t)be;
        out->tspan[bi] = (uint8_t)bt;
        out->sim[bi] = best;
    }
    /* An unpaired entry token costs its weight, but a middle name (a given name after the
     * first) only a quarter of it: lists and passports often disagree on middle names. */
    double entry_total = paired_weight, extra = 0;
    bool first_given = true;
    for (uint8_t j = 0; j < ef->n; j++) {
        bool middle = ef->tok[j].part == PS_PART_GIVEN && !first_given;
        bool particle = ef->tok[j].flags & PS_TOKEN_PARTICLE;
        if (ef->tok[j].part == PS_PART_GIVEN)
            first_given = false;
        if (!e_used[j]) /* a dropped particle costs a third of its (already small) weight */
            entry_total += ew[j] * (particle ? 0.33 : middle ? 0.25 : 1.0);
    }
    for (uint8_t i = 0; i < tf->n; i++)
        if (!t_used[i])
            extra += tw[i];
    /* A name with no token of substance paired is no match, whatever the weights say. */
    bool substantial = false;
    for (uint8_t i = 0; i < tf->n && !substantial; i++)
        substantial = out->entry_of[i] >= 0 && out->sim[i] >= 0.82 &&
                      !(tf->tok[i].flags & (PS_TOKEN_PARTICLE | PS_TOKEN_INITIAL));
    double denom = entry_total + 0.25 * extra;
    out->score = substantial && denom > 0 ? paired / denom : 0;
}

/* ---- evidence ---- */

static int day_number(const ps_date *d)
{
    return d->year * 372 + d->month * 31 + d->day; /* ordering only, and +-1 within a month */
}

static void judge_birth_date(const ps_date *t, const ps_wl_entry *e, ps_hit_person *p,
                             double *adjust)
{
    p->birth_date = NULL;
    *adjust = 0;
    if (t->precision == PS_DATE_NONE || !e->n_birth_dates)
        return;
    static const struct {
        const char *name;
        double score, adjust;
    } verdicts[] = {
        {"exact", 1.0, 0.05},
        {"partial", 0.9, -0.02},
        {"swapped", 0.8, 0.0},
        {"one_day", 0.8, 0.0},
        {"same_year", 0.3, -0.20},
        {"near_year", 0.2, -0.25},
        {"different", 0.0, DOB_DIFFERENT},
    };
    int best = 6;
    ps_date best_date = e->birth_dates[0];
    for (uint32_t i = 0; i < e->n_birth_dates; i++) {
        const ps_date *d = &e->birth_dates[i];
        int v;
        bool full = t->precision >= PS_DATE_DAY && d->precision >= PS_DATE_DAY;
        if (full && t->year == d->year && t->month == d->month && t->day == d->day)
            v = 0;
        else if (!full && ps_date_cmp(t, d) == 0)
            v = 1;
        else if (full && t->year == d->year && t->month == d->day && t->day == d->month)
            v = 2;
        else if (full && abs(day_number(t) - day_number(d)) == 1)
            v = 3;
        else if (t->year == d->year)
            v = 4;
        else if (abs(t->year - d->year) == 1)
            v = 5;
        else
            v = 6;
        if (v < best || i == 0) {
            best = v;
            best_date = *d;
        }
    }
    p->birth_date = verdicts[best].name;
    p->birth_date_score = verdicts[best].score;
    p->entry_birth_date = best_date;
    *adjust = verdicts[best].adjust;
}

static double judge_gender_nationality(const ps_traveller *t, const ps_wl_entry *e,
                                       ps_hit_person *p)
{
    double adjust = 0;
    p->gender = NULL;
    p->nationality = NULL;
    bool tg = t->gender == 'M' || t->gender == 'F', eg = e->gender == 'M' || e->gender == 'F';
    if (tg && eg) {
        p->gender = t->gender == e->gender ? "same" : "different";
        adjust += t->gender == e->gender ? 0 : -0.10;
    }
    const char *tn = ps_country_alpha3(t->nationality.ptr, t->nationality.len);
    if (tn && e->n_nationalities) {
        bool same = false;
        for (uint32_t i = 0; i < e->n_nationalities && !same; i++) {
            const char *en = ps_country_alpha3(e->nationalities[i].ptr, e->nationalities[i].len);
            same = en && strcmp(en, tn) == 0;
        }
        p->nationality = same ? "same" : "different";
        adjust += same ? SAME_COUNTRY : -0.05;
    }
    return adjust;
}

/* ---- candidates ---- */

typedef struct candidate {
    uint64_t entry;
    uint8_t name;
    uint16_t year;       /* the entry's first birth year, 0 when unknown */
    uint16_t need[2];    /* per form of the name: its main tokens (ps_name_ref.need) */
    uint16_t reached[2]; /* per form: the tokens some key of the traveller reached */
    uint16_t strength;   /* how exactly it was reached: token and pair keys count most */
    uint32_t mask;       /* traveller tokens that led here */
    uint32_t slot;       /* its slot in gather.slots */
    double promise;
} candidate;

/* How a key's references count (planned_key.how): */
enum {
    HOW_MARK_OTHER = 1, /* a reference reaches its other token too (a pair key; an initial key
                         * looked up with the traveller's initial) */
};

/* A traveller alternative too common to read, by its reading's hash (ps_name_reading_hash): a
 * reference whose form has another main token of that reading (ps_name_ref.mates) reaches that
 * token too. */
typedef struct common_reading {
    uint16_t hash;
    uint32_t bits; /* the traveller tokens whose alternative it is */
} common_reading;

typedef struct gather {
    candidate *items;
    uint32_t n;
    uint32_t *slots;  /* open addressing over items, 2 * MAX_CANDIDATES */
    uint32_t bit;     /* the traveller token being looked up */
    uint8_t how;      /* the key being read: HOW_* */
    uint8_t strength; /* what a reference under the key being read is worth */
    int year;         /* the traveller's birth year when the birth-year rule applies, else 0 */
    uint32_t refs;    /* references read */
    const common_reading *commons;
    uint32_t n_commons;
    bool by_mates; /* the key's references say, by their mates, which commons they reach: a
                    * key of a token's own text or reading ('T', 'N', 'S'), as a pair key of
                    * that token and the common alternative would */
} gather;

/* The birth-year rule: a name whose entry has one birth date two years or more from the
 * traveller's cannot reach any list's threshold (see ps_screen_persons). */
static bool too_far_in_years(int year, uint16_t ref_year)
{
    return year && ref_year && !(ref_year & PS_NAME_YEAR_SEVERAL) && abs(year - ref_year) >= 2;
}

static uint16_t token_bit(uint8_t token)
{
    return token < 16 ? (uint16_t)(1u << token) : 0;
}

/* The form's other main tokens that have the reading of a common alternative of another
 * traveller token than the key's: marked in *reached, those traveller tokens returned. A form
 * with more main tokens than mates counts its others as reached (a candidate more, to score). */
static uint32_t reached_by_mates(const gather *g, const ps_name_ref *ref, uint16_t *reached)
{
    uint16_t others = (uint16_t)(ref->need & ~token_bit(ref->token));
    uint32_t bits = 0;
    for (int m = 0; m < PS_NAME_MATES && others; m++) {
        uint16_t at = (uint16_t)(others & -others);
        others &= (uint16_t)(others - 1);
        for (uint32_t i = 0; i < g->n_commons; i++) {
            uint32_t b = g->commons[i].bits & ~g->bit;
            if (b && g->commons[i].hash == ref->mates[m]) {
                *reached |= at;
                bits |= b;
            }
        }
    }
    if (others && ref->more_mates)
        *reached |= others;
    return bits;
}

static bool add_ref(void *ctx, const ps_name_ref *ref)
{
    gather *g = ctx;
    g->refs++;
    uint8_t form = ref->form & 1;
    uint16_t reached = token_bit(ref->token);
    if ((g->how & HOW_MARK_OTHER) && ref->other != PS_NAME_REF_NONE)
        reached |= token_bit(ref->other);
    uint32_t bits = g->bit | (g->by_mates ? reached_by_mates(g, ref, &reached) : 0);
    uint64_t h = (ref->entry * 0x9E3779B97F4A7C15ull) ^ ref->name;
    uint32_t mask = 2 * MAX_CANDIDATES - 1;
    for (uint32_t s = (uint32_t)(h >> 20) & mask;; s = (s + 1) & mask) {
        uint32_t idx = g->slots[s];
        if (idx == 0) {
            if (g->n == MAX_CANDIDATES)
                return true; /* full: no new candidates, but known ones are still marked */
            candidate *c = &g->items[g->n++];
            c->entry = ref->entry;
            c->name = ref->name;
            c->mask = bits;
            c->year = ref->birth_year;
            c->need[form] = ref->need;
            c->need[!form] = 0;
            c->reached[form] = reached;
            c->reached[!form] = 0;
            c->strength = g->strength;
            c->promise = 0;
            c->slot = s;
            g->slots[s] = g->n;
            return true;
        }
        candidate *c = &g->items[idx - 1];
        if (c->entry == ref->entry && c->name == ref->name) {
            c->mask |= bits;
            c->need[form] = ref->need;
            c->reached[form] |= reached;
            if (c->strength < 60000)
                c->strength += g->strength;
            return true;
        }
    }
}

/* The keys a traveller's name is looked up by, read rarest first: when the candidate table fills
 * up, what it holds came through the most selective keys. */
typedef struct planned_key {
    char key[PS_NAME_KEY_MAX];
    uint8_t len;
    uint8_t how;   /* HOW_* */
    uint32_t bits; /* the traveller tokens it stands for */
    ps_name_postings refs;
} planned_key;

#define MAX_PLANNED   1024
#define PLANNED_SLOTS 2048 /* the set of planned keys: twice MAX_PLANNED, a power of two */

/* A traveller token or a listed token near it (YANG for WANG). A common one (WILLIAMS for
 * ILLIAMS) is too common to read by itself: it is looked up in pair keys with the other
 * tokens and their neighbours instead. */
typedef struct alternative {
    char text[32];
    uint8_t len;
    uint8_t bit; /* the traveller token it stands for */
    bool common;
    bool own;  /* the traveller's token itself */
    bool read; /* its 'T' key is read: a listed token, not common */
} alternative;

#define MAX_ALTERNATIVES 128

typedef struct plan {
    ps_snapshot *snap;
    planned_key *keys;
    uint16_t *slots; /* PLANNED_SLOTS: 1 + index of a planned key, 0 empty */
    uint32_t n;
    alternative alt[MAX_ALTERNATIVES];
    uint32_t n_alt;
    /* Recording what one token plans (for the snapshot's memo, replayed when the token comes
     * again): 'K' u8 length, key, its ps_name_postings (valid as long as the snapshot, like
     * the memo); 'A' u8 length, text, u8 flags (1 common, 2 own, 4 read). */
    ps_buf *rec;
    bool rec_lost; /* something did not fit the plan: the recording is not the whole truth */
    int error;     /* a store error met while planning */
    uint32_t fresh, replayed; /* tokens planned afresh and from the memo */
} plan;

static void add_alternative(plan *pl, const char *p, size_t len, uint8_t bit, bool common, bool own,
                            bool read)
{
    if (len >= sizeof pl->alt[0].text)
        return;
    if (pl->rec) {
        ps_buf_putc(pl->rec, 'A');
        ps_buf_putc(pl->rec, (char)len);
        ps_buf_append(pl->rec, p, len);
        ps_buf_putc(pl->rec, (char)((common ? 1 : 0) | (own ? 2 : 0) | (read ? 4 : 0)));
    }
    if (pl->n_alt == MAX_ALTERNATIVES) {
        pl->rec_lost = true;
        return;
    }
    alternative *a = &pl->alt[pl->n_alt++];
    memcpy(a->text, p, len);
    a->len = (uint8_t)len;
    a->bit = bit;
    a->common = common;
    a->own = own;
    a->read = read;
}

/* Adds a key and its references under the traveller bits given (once per key and bits). */
static void add_planned(plan *pl, uint32_t bits, const char *key, size_t klen,
                        ps_name_postings refs, uint8_t how)
{
    if (pl->n == MAX_PLANNED) {
        pl->rec_lost = true;
        return;
    }
    /* the same key for the same tokens: once (an open-addressing set of what is planned) */
    uint32_t h = (uint32_t)(XXH3_64bits_withSeed(key, klen, bits) >> 32) & (PLANNED_SLOTS - 1);
    for (;; h = (h + 1) & (PLANNED_SLOTS - 1)) {
        uint16_t at = pl->slots[h];
        if (!at || at > pl->n) /* empty, or left by keys taken back (a replay that failed) */
            break;
        const planned_key *o = &pl->keys[at - 1];
        if (o->len == klen && o->bits == bits && memcmp(o->key, key, klen) == 0)
            return;
    }
    pl->slots[h] = (uint16_t)(pl->n + 1);
    planned_key *k = &pl->keys[pl->n++];
    memcpy(k->key, key, klen);
    k->len = (uint8_t)klen;
    k->how = how;
    k->bits = bits;
    k->refs = refs;
}

/* Looks up n keys together (their memory waits overlap); a store error is kept in the plan. */
static void lookup_keys(plan *pl, ps_name_lookup *l, size_t n)
{
    int rc = ps_snapshot_name_lookup(pl->snap, l, n);
    if (rc != PS_STORE_OK)
        pl->error = rc;
}

/* Plans a key looked up (refs) under the traveller bits given, unless it has no references
 * or more than cap. */
static void plan_key(plan *pl, uint32_t bits, const char *key, size_t klen, ps_name_postings refs,
                     size_t cap, uint8_t how)
{
    if (!klen || !refs.count || refs.count > cap)
        return;
    if (pl->rec) {
        ps_buf_putc(pl->rec, 'K');
        ps_buf_putc(pl->rec, (char)klen);
        ps_buf_append(pl->rec, key, klen);
        ps_buf_append(pl->rec, &refs, sizeof refs);
    }
    add_planned(pl, bits, key, klen, refs, how);
}

/* Keys to plan, held back until a batch of them is gathered: looked up together, the batch's
 * cache misses overlap instead of following one another. */
#define KEY_BATCH 64
typedef struct key_batch {
    struct {
        char key[PS_NAME_KEY_MAX];
        uint8_t len;
        uint8_t how;
        uint32_t bits, cap;
    } items[KEY_BATCH];
    uint32_t n;
} key_batch;

static void batch_flush(plan *pl, key_batch *kb)
{
    ps_name_lookup l[KEY_BATCH];
    for (uint32_t i = 0; i < kb->n; i++)
        l[i] = (ps_name_lookup){.key = kb->items[i].key, .key_len = kb->items[i].len};
    lookup_keys(pl, l, kb->n);
    for (uint32_t i = 0; i < kb->n; i++)
        plan_key(pl, kb->items[i].bits, kb->items[i].key, kb->items[i].len, l[i].refs,
                 kb->items[i].cap, kb->items[i].how);
    kb->n = 0;
}

static void batch_key(plan *pl, key_batch *kb, uint32_t bits, const char *key, size_t klen,
                      size_t cap, uint8_t how)
{
    if (!klen)
        return;
    if (kb->n == KEY_BATCH)
        batch_flush(pl, kb);
    memcpy(kb->items[kb->n].key, key, klen);
    kb->items[kb->n].len = (uint8_t)klen;
    kb->items[kb->n].bits = bits;
    kb->items[kb->n].cap = (uint32_t)cap;
    kb->items[kb->n].how = how;
    kb->n++;
}

/* A planned key's place in reading order: fewest references first, then planning order. */
typedef struct read_order {
    uint32_t count;
    uint32_t index;
} read_order;

static int cmp_read_order(const void *a, const void *b)
{
    const read_order *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Reads every planned key, rarest first, into g. */
static int expand_plan(plan *pl, gather *g, ps_arena *scratch)
{
    if (pl->error)
        return pl->error;
    read_order *order = ps_arena_alloc(scratch, (pl->n + 1) * sizeof *order);
    for (uint32_t i = 0; i < pl->n; i++) {
        order[i].count = pl->keys[i].refs.count;
        order[i].index = i;
        ps_name_postings_prefetch(&pl->keys[i].refs); /* every list's references on their way */
    }
    if (pl->n <= 32) { /* a few: insertion sort */
        for (uint32_t i = 1; i < pl->n; i++)
            for (uint32_t j = i; j > 0 && cmp_read_order(&order[j - 1], &order[j]) > 0; j--) {
                read_order t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
    } else {
        qsort(order, pl->n, sizeof *order, cmp_read_order);
    }
    /* Under the birth-year rule, where each long list's window of years begins: the searches
     * of every list step together. */
    bool windowing = g->year > 0 && g->year < PS_NAME_YEAR_SEVERAL - 2;
    const ps_name_postings **windowed_refs =
        ps_arena_alloc(scratch, (pl->n + 1) * sizeof *windowed_refs);
    uint32_t *window = ps_arena_alloc(scratch, (pl->n + 1) * sizeof *window), n_windowed = 0;
    for (uint32_t o = 0; windowing && o < pl->n; o++)
        if (pl->keys[order[o].index].refs.count > 32)
            windowed_refs[n_windowed++] = &pl->keys[order[o].index].refs;
    ps_name_postings_from_year_many(windowed_refs, n_windowed, (uint16_t)(g->year - 1), window);
    for (uint32_t w = 0; w < n_windowed; w++)
        __builtin_prefetch(windowed_refs[w]->data + (size_t)window[w] * PS_NAME_REF_SIZE);
    uint32_t next_window = 0;
    for (uint32_t o = 0; o < pl->n; o++) {
        const planned_key *k = &pl->keys[order[o].index];
        char kind = k->key[0];
        g->bit = k->bits;
        g->how = k->how;
        g->by_mates = g->n_commons && (kind == 'T' || kind == 'N' || kind == 'S');
        g->strength = kind == 'T' || kind == 'P' || kind == 'N' ? 3
                      : kind == 'S' || kind == 'V'              ? 2
                                                                : 1;
        /* All of them, or — under the birth-year rule — those of entries with no single
         * birth year (group 0, first) and those born within a year of the traveller
         * (references are grouped by year, found by one search): the others could never be
         * scored. */
        uint32_t n = k->refs.count, r = 0;
        bool windowed = windowing && n > 32;
        for (; r < n; r++) {
            uint16_t year = ps_name_postings_year(&k->refs, r);
            if (windowed && year && !(year & PS_NAME_YEAR_SEVERAL))
                break; /* the end of group 0 */
            if (too_far_in_years(g->year, year))
                continue;
            ps_name_ref ref;
            ps_name_postings_get(&k->refs, r, &ref);
            add_ref(g, &ref);
        }
        if (!windowed)
            continue;
        uint32_t from = window[next_window++];
        for (r = from > r ? from : r; r < n; r++) {
            uint16_t year = ps_name_postings_year(&k->refs, r);
            if (year > g->year + 1)
                break;
            ps_name_ref ref;
            ps_name_postings_get(&k->refs, r, &ref);
            add_ref(g, &ref);
        }
    }
    return PS_STORE_OK;
}

/* The listed tokens near one traveller token, each planned once by its 'T' key. */
typedef struct neighbours {
    plan *pl;
    uint8_t bit;
    const char *tok;
    size_t len;
    token_keys keys;
    bool distinct;     /* the tokens come from a neighbours list: each once */
    uint64_t seen[64]; /* else hashes of the tokens already looked at */
    uint32_t n_seen;
    struct {
        const char *text; /* in the vocabulary (valid as long as the snapshot) */
        uint8_t len;
    } near[64]; /* the ones close enough, planned afterwards by their 'T' keys */
    uint32_t n_near;
} neighbours;

static bool near_token(void *ctx, const char *v, size_t vlen)
{
    neighbours *nb = ctx;
    if (vlen == nb->len && memcmp(v, nb->tok, vlen) == 0)
        return true; /* the token itself: its 'T' key is planned already */

    if (nb->n_seen == sizeof nb->seen / sizeof nb->seen[0])
        return false;
    if (!nb->distinct) { /* tokens found through several deletions come more than once */
        uint64_t h = XXH3_64bits(v, vlen);
        for (uint32_t i = 0; i < nb->n_seen; i++)
            if (nb->seen[i] == h)
                return true;
        nb->seen[nb->n_seen] = h;
    }
    nb->n_seen++;
    if (vlen > 255)
        return true;
    /* Close enough to pair: one or two edits say so without the sound keys (most neighbours
     * are, by how the vocabulary finds them), else the full similarity decides. */
    if (ps_edit_sim(nb->tok, nb->len, v, vlen) < PAIR_FLOOR) {
        token_keys kv;
        ps_name_keys_of(v, vlen, &kv);
        if (ps_token_sim(nb->tok, nb->len, &nb->keys, v, vlen, &kv) < PAIR_FLOOR)
            return true;
    }
    nb->near[nb->n_near].text = v;
    nb->near[nb->n_near].len = (uint8_t)vlen;
    nb->n_near++; /* at most one per seen token: never more than 64 */
    return true;
}

/* Plans the neighbours near_token kept by their 'T' keys, looked up (l, keys) — a common one
 * only as an alternative, for pair keys. */
static void plan_near(const neighbours *nb, const ps_name_lookup *l, char (*keys)[PS_NAME_KEY_MAX])
{
    plan *pl = nb->pl;
    for (uint32_t i = 0; i < nb->n_near; i++) {
        bool common = l[i].refs.count > NEIGHBOUR_CAP;
        add_alternative(pl, nb->near[i].text, nb->near[i].len, nb->bit, common, false, !common);
        if (!common)
            plan_key(pl, 1u << nb->bit, keys[i], l[i].key_len, l[i].refs, NEIGHBOUR_CAP, 0);
    }
}

/* Replays a recording of what plan_tokens planned for the token (plan.rec); false when it does not
 * parse (then nothing is trusted). */
static bool plan_token_replay(plan *pl, uint8_t bit, const unsigned char *r, size_t n)
{
    size_t i = 0;
    while (i < n) {
        char what = (char)r[i++];
        if (i >= n)
            return false;
        size_t len = r[i++];
        if (what == 'K' && i + len + sizeof(ps_name_postings) <= n) {
            ps_name_postings refs;
            memcpy(&refs, r + i + len, sizeof refs);
            add_planned(pl, 1u << bit, (const char *)r + i, len, refs, 0);
            i += len + sizeof refs;
        } else if (what == 'A' && i + len + 1 <= n) {
            uint8_t flags = r[i + len];
            add_alternative(pl, (const char *)r + i, len, bit, flags & 1, flags & 2, flags & 4);
            i += len + 1;
        } else {
            return false;
        }
    }
    return true;
}

static bool is_vowel_letter(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

/* The other romanization of a Greek name that begins with gamma-iota before a vowel (ΓΙΩΡΓΟΣ:
 * GIORGOS as ICAO writes it, YORGOS or YIORGOS as it is said): GI for Y or YI, Y for GI, in a
 * token of five letters or more. Writes it to out and returns its length; 0 for any other
 * token. */
static size_t greek_gamma_iota(const char *p, size_t len, char *out)
{
    if (len < 5 || len > 60)
        return 0;
    size_t skip = 0;
    const char *with = NULL;
    if (p[0] == 'Y' && p[1] == 'I' && is_vowel_letter(p[2]))
        skip = 2, with = "GI";
    else if (p[0] == 'Y' && is_vowel_letter(p[1]))
        skip = 1, with = "GI";
    else if (p[0] == 'G' && p[1] == 'I' && is_vowel_letter(p[2]))
        skip = 2, with = "Y";
    if (!with)
        return 0;
    size_t wl = strlen(with);
    memcpy(out, with, wl);
    memcpy(out + wl, p + skip, len - skip);
    return wl + len - skip;
}

/* Length of a particle a token begins with (ALRASHID: 2, ABDALLAH: 3, VANDERBERG: 6), when
 * at least three letters follow it; 0 otherwise. */
static size_t particle_prefix(const char *p, size_t len)
{
    static const char *const particles[] = {
        "VANDER", "VANDEN", "ABDUL", "ABDEL", "ABOU", "BINT", "DELA", "ABD", "ABU",
        "BIN",    "BEN",    "IBN",   "VAN",   "VON",  "DEL",  "AL",   "EL",  "UL",
        "DE",     "DA",     "DI",    "DU",    "LA",   "LE",   "MC",   "MAC"};
    for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++) {
        size_t n = strlen(particles[i]);
        if (len >= n + 3 && memcmp(p, particles[i], n) == 0)
            return n;
    }
    return 0;
}

static int cmp_promise(const void *a, const void *b)
{
    double pa = ((const candidate *)a)->promise, pb = ((const candidate *)b)->promise;
    return pa < pb ? 1 : pa > pb ? -1 : 0;
}

/* ---- what the traveller's name is looked up by ---- */

typedef struct qtok {
    char text[64];
    token_keys k; /* its keys; k.r its reading, for its pair and initial keys */
    uint8_t len;
    uint8_t bit;  /* which traveller token this stands for */
    uint8_t form; /* which reading it comes from */
    bool initial;
    bool skeletal;     /* its reading is its skeleton, of three letters or more */
    bool reading_read; /* ... and its 'S' key is planned whole: see ps_screen_persons */
} qtok;

typedef struct query {
    qtok items[96];
    uint32_t n;
    const char *bit_text[32]; /* the token text each bit stands for */
    uint8_t bit_len[32];
    uint32_t n_bits;
} query;

static int bit_for(query *q, const ps_nf_token *t)
{
    for (uint32_t b = 0; b < q->n_bits; b++)
        if (q->bit_len[b] == t->len && memcmp(q->bit_text[b], t->p, t->len) == 0)
            return (int)b;
    if (q->n_bits == 31) /* bit 31 is INITIAL_BIT */
        return -1;
    q->bit_text[q->n_bits] = t->p;
    q->bit_len[q->n_bits] = t->len;
    return (int)q->n_bits++;
}

/* Adds the query token a + b; known: its keys when the caller has them (a form's own token). */
static void add_q(query *q, const char *a, size_t la, const char *b, size_t lb, int bit,
                  uint8_t form, bool initial, const token_keys *known)
{
    if (bit < 0 || q->n == sizeof q->items / sizeof q->items[0] || la + lb >= 64 || !(la + lb))
        return;
    qtok *x = &q->items[q->n++];
    memcpy(x->text, a, la);
    memcpy(x->text + la, b, lb);
    x->len = (uint8_t)(la + lb);
    if (known)
        x->k = *known;
    else
        ps_name_keys_of(x->text, x->len, &x->k);
    const token_keys *k = &x->k;
    x->skeletal =
        k->r_len >= 3 && k->s_len == k->r_len + 1 && memcmp(k->s + 1, k->r, k->r_len) == 0;
    x->reading_read = false;
    x->bit = (uint8_t)bit;
    x->form = form;
    x->initial = initial;
}

static void add_query_tokens(query *q, const ps_nf_form *form, const token_keys *keys, uint8_t f)
{
    for (uint8_t i = 0; i < form->n; i++) {
        const ps_nf_token *t = &form->tok[i];
        /* A one-letter particle (O, Y, E) may as well be an initial (DANKANO O, ZHU Y) */
        if ((t->flags & PS_TOKEN_PARTICLE) && t->len == 1)
            add_q(q, t->p, t->len, "", 0, 31, f, true, &keys[i]);
        if (t->flags & PS_TOKEN_PARTICLE) {
            /* a run of particles joined to the token after it (VAN DER BERG: VANDERBERG) */
            bool starts_run = i == 0 || !(form->tok[i - 1].flags & PS_TOKEN_PARTICLE);
            uint8_t k = i;
            size_t total = 0;
            while (k < form->n && (form->tok[k].flags & PS_TOKEN_PARTICLE))
                total += form->tok[k++].len;
            if (starts_run && k < form->n && ps_nf_substantive(&form->tok[k]) && total < 48) {
                char joined[48];
                size_t o = 0;
                for (uint8_t m = i; m < k; m++) {
                    memcpy(joined + o, form->tok[m].p, form->tok[m].len);
                    o += form->tok[m].len;
                }
                add_q(q, joined, o, form->tok[k].p, form->tok[k].len, bit_for(q, &form->tok[k]), f,
                      false, NULL);
            }
            continue;
        }
        if (t->flags & PS_TOKEN_INITIAL) {
            add_q(q, t->p, t->len, "", 0, 31, f, true, &keys[i]);
            continue;
        }
        int bit = bit_for(q, t);
        add_q(q, t->p, t->len, "", 0, bit, f, false, &keys[i]);
        size_t cut = particle_prefix(t->p, t->len);
        if (cut)
            add_q(q, t->p + cut, t->len - cut, "", 0, bit, f, false, NULL);
        char greek[64];
        size_t glen = greek_gamma_iota(t->p, t->len, greek);
        if (glen)
            add_q(q, greek, glen, "", 0, bit, f, false, NULL);
    }
}

/* Whether an earlier query token has the same text (its keys were read already). */
static bool seen_before(const query *q, uint32_t a)
{
    for (uint32_t b = 0; b < a; b++)
        if (q->items[b].len == q->items[a].len &&
            memcmp(q->items[b].text, q->items[a].text, q->items[a].len) == 0)
            return true;
    return false;
}

/* A token planned afresh: its keys, its vocabulary lookups, its neighbours, its recording. */
typedef struct fresh_token {
    const char *p;
    uint8_t len, bit;
    uint64_t hash;  /* its memo key */
    bool recording; /* rec is kept for the memo */
    bool lost;      /* something it planned did not fit: the recording is not the whole truth */
    ps_buf rec;
    uint32_t first; /* its own keys' lookups from here, then its and its neighbours' references' */
    bool listed;    /* in the vocabulary: its neighbours come in one list */
    bool near_refs; /* ... and its references and theirs, few enough to read whole, in another */
    char near_key[PS_NAME_DELETION_LEN + 1]; /* 'N' and the token */
    /* its list of neighbours (listed, the references not read whole) or its deletions'
     * vocabulary lookups (not listed) */
    uint32_t first_del, n_dels;
    char keys[sizeof PS_NAME_TOKEN_KINDS - 1][PS_NAME_KEY_MAX];
    uint8_t key_lens[sizeof PS_NAME_TOKEN_KINDS - 1];
    uint32_t own_at; /* its 'T' key's lookup, when it has one (UINT32_MAX: none) */
    uint32_t outline_at; /* its 'V' key's lookup, when it needs one (UINT32_MAX: none) */
    char dels[PS_NAME_DELETIONS_MAX][PS_NAME_DELETION_LEN];
    uint8_t del_lens[PS_NAME_DELETIONS_MAX];
    const token_keys *tk; /* the query token's */
    neighbours nb;
    uint32_t first_near; /* its neighbours' 'T' lookups from here */
} fresh_token;

/* Whether a token's 'V' key is looked up only once its 'S' key is known to be too common to
 * read. The outline decides the skeleton (drop its vowel runs, fold doubled letters: the
 * readings of name_keys.h, made in one pass), so every listed token of the token's outline
 * has its skeleton too: while the 'S' key is read whole (or has no references), the 'V' key
 * could only find names found already. Not when the token has no skeleton key (ABE: outline
 * ABA, skeleton B), nor for an outline that may have been cut at the key's length. */
static bool outline_follows(const token_keys *k)
{
    return k->s_len && k->v_len && k->v_len < PS_NAME_KEY_MAX;
}

/* Plans the traveller's tokens: each one's own keys (PS_NAME_TOKEN_KINDS), then the listed
 * tokens one deletion away (a misspelling of a listed name, or the listed name misspelled):
 * for a listed token, its neighbours' references in one list (name_near_refs) when they are
 * NEAR_REFS_CAP or fewer, else each neighbour's 'T' key. What a token plans depends only on
 * the token and the lists: it is remembered with the snapshot (memo blob: u8 length, the
 * token, then the recording) and replayed when the token comes again. The tokens not
 * remembered are planned together, each step for all of them: one batch of lookups for their
 * keys and, for a token of the vocabulary, its list of neighbours and their references; one
 * for the vocabulary keys of the others' deletions; one for the neighbours' own keys. */
static int plan_tokens(plan *pl, const query *q, ps_arena *scratch)
{
    static const char kinds[] = PS_NAME_TOKEN_KINDS;
    enum { N_KINDS = sizeof kinds - 1 };
    const uint32_t at_s = (uint32_t)(strchr(kinds, 'S') - kinds), /* where in a token's own */
        at_v = (uint32_t)(strchr(kinds, 'V') - kinds);            /* lookups */
    ps_screen_memo *memo = ps_screen_memo_of(pl->snap);
    fresh_token *fresh = NULL;
    uint32_t n_fresh = 0;
    for (uint32_t a = 0; a < q->n; a++) {
        const qtok *x = &q->items[a];
        if (x->initial || seen_before(q, a))
            continue;
        uint64_t h = XXH3_64bits(x->text, x->len);
        size_t blen = 0;
        const unsigned char *blob = memo ? ps_screen_memo_find(memo, h, &blen) : NULL;
        if (blob && blen > x->len && blob[0] == x->len && memcmp(blob + 1, x->text, x->len) == 0) {
            uint32_t n = pl->n, n_alt = pl->n_alt;
            if (plan_token_replay(pl, x->bit, blob + 1 + x->len, blen - 1 - x->len)) {
                pl->replayed++;
                continue;
            }
            pl->n = n; /* a blob that does not parse: forget what it added, plan afresh */
            pl->n_alt = n_alt;
        }
        if (!fresh)
            fresh = ps_arena_alloc(scratch, q->n * sizeof *fresh);
        fresh_token *f = &fresh[n_fresh++];
        f->p = x->text;
        f->len = x->len;
        f->tk = &x->k;
        f->bit = x->bit;
        f->hash = h;
        f->recording = memo != NULL;
        f->lost = false;
        pl->fresh++;
    }
    if (!n_fresh)
        return PS_STORE_OK;

    /* Step 1: every fresh token's own keys and its references and its neighbours' together
     * (name_near_refs: a token of the vocabulary's lengths looks its 'T' key up only when that
     * list is too long to read), looked up together. */
    size_t cap = (size_t)n_fresh * (N_KINDS + 3 + PS_NAME_DELETIONS_MAX + 64);
    ps_name_lookup *l = ps_arena_alloc(scratch, cap * sizeof *l);
    uint32_t at = 0;
    for (uint32_t i = 0; i < n_fresh; i++) {
        fresh_token *f = &fresh[i];
        bool fits = f->len >= PS_VOCAB_MIN_LEN && f->len <= PS_NAME_DELETION_LEN;
        f->first = at;
        for (size_t j = 0; j < N_KINDS; j++) { /* 'S' and 'V' as the query token's keys */
            const char *sv = kinds[j] == 'S' ? f->tk->s : kinds[j] == 'V' ? f->tk->v : NULL;
            size_t klen = kinds[j] == 'S' ? f->tk->s_len : kinds[j] == 'V' ? f->tk->v_len : 0;
            if (sv)
                memcpy(f->keys[j], sv, klen);
            else
                klen = ps_name_key(kinds[j], f->p, f->len, f->keys[j]);
            f->key_lens[j] = (uint8_t)klen;
            bool later = (fits && kinds[j] == 'T') || (kinds[j] == 'V' && outline_follows(f->tk));
            l[at++] = (ps_name_lookup){.key = f->keys[j], .key_len = later ? 0 : klen};
        }
        f->own_at = fits ? UINT32_MAX : f->first; /* kinds[0]: 'T' */
        f->outline_at = outline_follows(f->tk) ? UINT32_MAX : f->first + at_v;
        f->near_key[0] = 'N';
        if (fits)
            memcpy(f->near_key + 1, f->p, f->len);
        l[at++] = (ps_name_lookup){
            .key = f->near_key, .key_len = fits ? f->len + 1u : 0, .index = PS_NAME_NEAR_REFS};
    }
    lookup_keys(pl, l, at);
    if (pl->error)
        return pl->error;
    /* Step 1b: a listed token (one with a list) whose list is too long to read looks its 'T' key
     * and its list of neighbours (name_near) up instead; a token not in the vocabulary looks its
     * deletions up there. A token one letter shorter than the shortest in the vocabulary still
     * meets the deletions of those (JOH: JOHN). */
    uint32_t first_del = at;
    for (uint32_t i = 0; i < n_fresh; i++) {
        fresh_token *f = &fresh[i];
        if (outline_follows(f->tk) && l[f->first + at_s].refs.count > CANDIDATE_CAP) {
            f->outline_at = at; /* its skeleton too common to read: its outline may not be */
            l[at++] = (ps_name_lookup){.key = f->keys[at_v], .key_len = f->key_lens[at_v]};
        }
        const ps_name_lookup *near_refs = &l[f->first + N_KINDS];
        f->listed = near_refs->key_len && near_refs->refs.count > 0;
        f->near_refs = f->listed && near_refs->refs.count <= NEAR_REFS_CAP;
        if (f->listed && !f->near_refs) {
            f->own_at = at;
            l[at++] = (ps_name_lookup){.key = f->keys[0], .key_len = f->key_lens[0]};
        }
        f->first_del = at;
        if (f->listed) {
            f->n_dels = f->near_refs ? 0 : 1;
            if (f->n_dels)
                l[at++] = (ps_name_lookup){
                    .key = f->p, .key_len = f->len, .index = PS_NAME_NEIGHBOURS};
            continue;
        }
        f->n_dels =
            (uint32_t)ps_name_deletions(f->p, f->len, PS_VOCAB_MIN_LEN - 1, f->dels, f->del_lens);
        for (uint32_t j = 0; j < f->n_dels; j++)
            l[at++] = (ps_name_lookup){
                .key = f->dels[j], .key_len = f->del_lens[j], .index = PS_NAME_VOCABULARY};
    }
    lookup_keys(pl, l + first_del, at - first_del);
    if (pl->error)
        return pl->error;

    /* Step 2: each token's own keys planned, its neighbours found in the vocabulary — or, read
     * together, its references and theirs: those neighbours are no alternatives for pair keys,
     * since what such a key would add the references' mates tell. */
    for (uint32_t i = 0; i < n_fresh; i++) {
        fresh_token *f = &fresh[i];
        if (f->recording) {
            ps_buf_init(&f->rec);
            ps_buf_putc(&f->rec, (char)f->len);
            ps_buf_append(&f->rec, f->p, f->len);
        }
        pl->rec = f->recording ? &f->rec : NULL;
        pl->rec_lost = false;
        const ps_name_lookup *own = &l[f->first];
        for (size_t j = 0; j < N_KINDS; j++) {
            const ps_name_lookup *k = &own[j];
            if (kinds[j] == 'T' && f->own_at == UINT32_MAX)
                continue; /* in the list of references, or the token is not listed */
            if (kinds[j] == 'V' && f->outline_at == UINT32_MAX)
                continue; /* every name of its outline is among its skeleton's, read whole */
            if (kinds[j] == 'T')
                k = &l[f->own_at];
            if (kinds[j] == 'V')
                k = &l[f->outline_at];
            plan_key(pl, 1u << f->bit, f->keys[j], k->key_len, k->refs, CANDIDATE_CAP, 0);
        }
        f->nb = (neighbours){
            .pl = pl, .bit = f->bit, .tok = f->p, .len = f->len, .distinct = f->listed};
        if (f->near_refs) { /* its own references read with its neighbours' */
            add_alternative(pl, f->p, f->len, f->bit, false, true, true);
            plan_key(pl, 1u << f->bit, f->near_key, own[N_KINDS].key_len, own[N_KINDS].refs,
                     NEAR_REFS_CAP, 0);
            f->lost = pl->rec_lost;
            continue;
        }
        uint32_t listed = f->own_at == UINT32_MAX ? 0 : l[f->own_at].refs.count;
        add_alternative(pl, f->p, f->len, f->bit, listed > CANDIDATE_CAP, true,
                        listed && listed <= CANDIDATE_CAP);
        f->nb.keys = *f->tk;
        bool more = true;
        const char *v;
        size_t vlen;
        for (uint32_t j = 0; j < f->n_dels && more; j++)
            while (more && ps_name_lookup_next(&l[f->first_del + j], &v, &vlen))
                more = near_token(&f->nb, v, vlen);
        f->lost = pl->rec_lost;
    }

    /* Step 3: the neighbours' 'T' keys of the tokens whose neighbours' references were not read
     * together, looked up together, then planned. */
    char(*near_keys)[PS_NAME_KEY_MAX] =
        ps_arena_alloc(scratch, 64 * (size_t)n_fresh * PS_NAME_KEY_MAX);
    uint32_t n_near = 0;
    for (uint32_t i = 0; i < n_fresh; i++) {
        fresh_token *f = &fresh[i];
        f->first_near = n_near;
        for (uint32_t j = 0; !f->near_refs && j < f->nb.n_near; j++, n_near++)
            l[n_near] =
                (ps_name_lookup){.key = near_keys[n_near],
                                 .key_len = ps_name_key('T', f->nb.near[j].text, f->nb.near[j].len,
                                                        near_keys[n_near])};
    }
    lookup_keys(pl, l, n_near);
    for (uint32_t i = 0; i < n_fresh; i++) {
        fresh_token *f = &fresh[i];
        pl->rec = f->recording ? &f->rec : NULL;
        pl->rec_lost = f->lost;
        if (!pl->error)
            plan_near(&f->nb, &l[f->first_near], &near_keys[f->first_near]);
        if (f->recording) { /* kept only when the whole plan was made and fitted */
            if (!pl->rec_lost && !pl->error && f->rec.data) {
                ps_screen_memo_give(memo, f->hash, f->rec.data, f->rec.len); /* the memo's now */
                ps_buf_init(&f->rec);
            }
            ps_buf_free(&f->rec);
        }
    }
    pl->rec = NULL;
    return pl->error;
}

/* Whether the names holding alternative z (not common) are candidates already, so that the
 * mates of their references (ps_name_ref.mates) tell which of them also hold a common
 * alternative's reading, and no pair key of the two is looked up: a listed neighbour's 'T' key
 * (or its token's name_near_refs) is read; for the traveller's own token, its 'S' key read
 * whole holds every token of its reading too. (A pair key would find every name of the two
 * readings: for a neighbour, the names whose token merely sounds like the neighbour of a
 * misspelled token — most of what such a key found, and none of it close to the traveller's
 * name.) */
static bool found_by_own_keys(const query *q, const alternative *z)
{
    if (z->common || !z->read)
        return false;
    if (!z->own)
        return true;
    for (uint32_t a = 0; a < q->n; a++)
        if (q->items[a].reading_read && q->items[a].len == z->len &&
            memcmp(q->items[a].text, z->text, z->len) == 0)
            return true;
    return false;
}

/* Sets reading_read for the query tokens it holds for (see ps_screen_persons): their 'S' keys
 * looked up together (most are remembered by the snapshot from planning). */
static void mark_readings_read(plan *pl, query *q, ps_arena *scratch)
{
    ps_name_lookup *l = ps_arena_alloc(scratch, q->n * sizeof *l + 1);
    uint32_t n = 0, which[sizeof q->items / sizeof q->items[0]];
    for (uint32_t a = 0; a < q->n; a++) {
        qtok *x = &q->items[a];
        if (x->initial || !x->skeletal)
            continue;
        l[n] = (ps_name_lookup){.key = x->k.s, .key_len = x->k.s_len}; /* 'S' + the reading */
        which[n++] = a;
    }
    lookup_keys(pl, l, n);
    if (pl->error)
        return;
    for (uint32_t i = 0; i < n; i++)
        q->items[which[i]].reading_read = l[i].refs.count <= CANDIDATE_CAP;
}

/* ---- the traveller ---- */

typedef struct traveller_name {
    ps_nf_name name;
    char text[1024];
    token_keys keys[2][PS_NF_MAX_TOKENS]; /* per reading and token */
    /* for scoring (gather_tokens): per reading and token, its info and its weight */
    token_info *info[2][PS_NF_MAX_TOKENS];
    double weights[2][PS_NF_MAX_TOKENS];
} traveller_name;

/* Name number `name` of a names block, if it has one. */
static bool block_name(const unsigned char *block, size_t len, uint8_t name, ps_nf_name *out)
{
    size_t pos = 0, remaining = 0;
    uint8_t index = 0;
    if (!block)
        return false;
    while (ps_nf_next(block, len, &pos, &remaining, out))
        if (index++ == name)
            return true;
    return false;
}

/* Puts in the table the traveller's tokens first (their similarities to entry tokens are the
 * ones remembered), then every token of the n candidate names to score (blocks: their entries'
 * names), finds all their rarities in one batch of lookups, and weighs the traveller's. */
static void gather_tokens(token_table *tt, traveller_name *tn, const candidate *c,
                          const unsigned char *const *blocks, const size_t *lens, uint32_t n)
{
    for (uint8_t a = 0; a < tn->name.n_forms; a++)
        for (uint8_t i = 0; i < tn->name.form[a].n; i++)
            tn->info[a][i] =
                token_info_get(tt, tn->name.form[a].tok[i].p, tn->name.form[a].tok[i].len, true);
    for (uint32_t k = 0; k < n; k++) {
        ps_nf_name en;
        if (!block_name(blocks[k], lens[k], c[k].name, &en))
            continue;
        for (uint8_t b = 0; b < en.n_forms; b++)
            for (uint8_t j = 0; j < en.form[b].n; j++)
                token_info_get(tt, en.form[b].tok[j].p, en.form[b].tok[j].len, true);
    }
    token_table_weigh(tt);
    for (uint8_t a = 0; a < tn->name.n_forms; a++)
        for (uint8_t i = 0; i < tn->name.form[a].n; i++)
            tn->weights[a][i] = token_weight(tn->info[a][i], tn->name.form[a].tok[i].flags);
}

static void describe(const ps_nf_form *f, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (uint8_t i = 0; i < f->n && o + f->tok[i].len + 2 < cap; i++) {
        if (o)
            out[o++] = ' ';
        memcpy(out + o, f->tok[i].p, f->tok[i].len);
        o += f->tok[i].len;
    }
    out[o] = '\0';
}

/* Tokens from..from+span-1 of a form, written together (a joined run shows as one word). */
static void copy_tokens(char out[32], const ps_nf_form *f, uint8_t from, uint8_t span)
{
    size_t o = 0;
    for (uint8_t k = from; k < from + span && k < f->n; k++) {
        size_t n = f->tok[k].len;
        if (o + n > 31)
            n = 31 - o;
        memcpy(out + o, f->tok[k].p, n);
        o += n;
    }
    out[o] = '\0';
}

/* Scores candidate c, whose entry's names block (read by the caller) is block[0..len): fills
 * *best (person part) and returns the name score, or -1. */
static double score_candidate(token_table *tt, traveller_name *tn, const candidate *c,
                              const unsigned char *block, size_t len, ps_hit_person *best)
{
    ps_nf_name en;
    if (!block_name(block, len, c->name, &en))
        return -1;
    /* each entry token's info and weight once, whichever traveller form it is scored against */
    token_info *ei[2][PS_NF_MAX_TOKENS];
    double ew[2][PS_NF_MAX_TOKENS];
    for (uint8_t b = 0; b < en.n_forms; b++)
        for (uint8_t j = 0; j < en.form[b].n; j++) {
            const ps_nf_token *t = &en.form[b].tok[j];
            ei[b][j] = token_info_of(tt, t->p, t->len);
            ew[b][j] = token_weight(ei[b][j], t->flags);
        }
    double top = 0;
    for (uint8_t a = 0; a < tn->name.n_forms; a++) {
        scored_form tf = {&tn->name.form[a], tn->info[a], tn->weights[a]};
        for (uint8_t b = 0; b < en.n_forms; b++) {
            scored_form ef = {&en.form[b], ei[b], ew[b]};
            pairing pr;
            score_forms(tt, &tf, &ef, &pr);
            if (en.type == PS_NAME_WEAK_ALIAS)
                pr.score *= 0.95;
            if (pr.score <= top)
                continue;
            top = pr.score;
            best->name_pattern = PS_STR_NULL;
            best->entry_name = c->name;
            best->name_type = (ps_name_type)en.type;
            best->name_score = pr.score;
            describe(&tn->name.form[a], best->traveller_name, sizeof best->traveller_name);
            describe(&en.form[b], best->entry_name_text, sizeof best->entry_name_text);
            best->n_tokens = 0;
            for (uint8_t i = 0; i < pr.n && best->n_tokens < PS_HIT_MAX_TOKENS; i++) {
                if (pr.entry_of[i] < 0)
                    continue;
                ps_hit_token *ht = &best->tokens[best->n_tokens++];
                copy_tokens(ht->traveller, &tn->name.form[a], i, pr.tspan[i]);
                copy_tokens(ht->entry, &en.form[b], (uint8_t)pr.entry_of[i], pr.espan[i]);
                ht->score = (float)pr.sim[i];
            }
        }
    }
    return top;
}

int ps_screen_persons(ps_snapshot *snap, const ps_traveller *t, ps_arena *scratch, ps_hit_fn fn,
                      void *ctx, ps_screen_counts *counts)
{
    if (!t->surname.len && !t->given_names.len)
        return PS_STORE_OK;
    traveller_name *tn = ps_arena_alloc(scratch, sizeof *tn);
    ps_nf_from_parts(t->surname, t->given_names, PS_STR_NULL, &tn->name, tn->text, sizeof tn->text);
    for (uint8_t f = 0; f < tn->name.n_forms; f++)
        for (uint8_t i = 0; i < tn->name.form[f].n; i++)
            ps_name_keys_of(tn->name.form[f].tok[i].p, tn->name.form[f].tok[i].len,
                            &tn->keys[f][i]);
    /* The birth-year rule: an entry with one birth date two years or more from the
     * traveller's cannot reach any list's threshold even with a perfect name (1 - 0.35 +
     * 0.03), so its names are not candidates — unless some list's threshold is that low. */
    int year = t->birth_date.precision ? t->birth_date.year : 0;
    bool by_year =
        year && 1.0 + DOB_DIFFERENT + SAME_COUNTRY + 1e-9 < ps_snapshot_min_threshold(snap);
    gather g = {0};
    g.items = ps_arena_alloc(scratch, MAX_CANDIDATES * sizeof *g.items);
    /* the candidates' slots: the memo's table, left all 0 by the traveller before (each slot
     * set is cleared once the keys are read), else a new one */
    ps_screen_memo *memo = ps_screen_memo_of(snap);
    g.slots = memo ? ps_screen_memo_table(memo, 2 * MAX_CANDIDATES) : NULL;
    if (!g.slots)
        g.slots = ps_arena_calloc(scratch, 2 * MAX_CANDIDATES * sizeof *g.slots);
    g.year = by_year ? year : 0;

    /* The tokens to look up, per reading: each substantive token under its own bit (shared
     * by the same text in the other reading); the same token without a leading particle
     * (ALRASHID as RASHID) and particles joined to the token after them (VAN DER BERG as
     * VANDERBERG), both under that token's bit; initials under INITIAL_BIT. */
    query q;
    q.n = q.n_bits = 0;
    for (uint8_t f = 0; f < tn->name.n_forms; f++)
        add_query_tokens(&q, &tn->name.form[f], tn->keys[f], f);
    plan pl = {.snap = snap,
               .keys = ps_arena_alloc(scratch, MAX_PLANNED * sizeof *pl.keys),
               .slots = ps_arena_calloc(scratch, PLANNED_SLOTS * sizeof *pl.slots)};
    int rc = plan_tokens(&pl, &q, scratch);
    if (rc != PS_STORE_OK)
        return rc;
    /* A token whose reading is its skeleton (three letters or more) and whose 'S' key is read
     * whole (CANDIDATE_CAP references or fewer, or none) has every listed token of its reading
     * among the candidates already: a pair key of two such tokens, or an initial key of one
     * with a full token of the traveller's, cannot add a candidate or reach a token the 'S'
     * keys do not (an entry token of that reading is three letters or more, so it has the
     * 'S' key). Those keys are not looked up. */
    mark_readings_read(&pl, &q, scratch);
    /* every two tokens of one reading, and a token with another's initial */
    key_batch *kb = ps_arena_alloc(scratch, sizeof *kb);
    kb->n = 0;
    for (uint32_t a = 0; a < q.n; a++) {
        const qtok *x = &q.items[a];
        if (x->initial)
            continue;
        for (uint32_t b = 0; b < q.n; b++) {
            const qtok *y = &q.items[b];
            if (y->form != x->form || y->bit == x->bit)
                continue;
            uint32_t bits = 1u << x->bit | (y->initial ? INITIAL_BIT : 1u << y->bit);
            char key[PS_NAME_KEY_MAX];
            if (!y->initial && b > a && !(x->reading_read && y->reading_read))
                batch_key(&pl, kb, bits, key,
                          ps_name_pair_key_of(x->k.r, x->k.r_len, y->k.r, y->k.r_len, key),
                          PAIR_CAP, HOW_MARK_OTHER);
            if (!y->initial && x->reading_read)
                continue;
            size_t ilen = x->len < PS_NAME_KEY_MAX - 3
                              ? ps_name_initial_key_of(x->k.r, x->k.r_len, y->text[0], key)
                              : 0;
            batch_key(&pl, kb, bits, key, ilen, y->initial ? PAIR_CAP : INITIAL_CAP,
                      y->initial ? HOW_MARK_OTHER : 0);
        }
    }
    batch_flush(&pl, kb);
    /* Two tokens one of which is only reached through a token too common to read (WANG for
     * WAIG, WILLIAMS for ILLIAMS): the common alternatives' readings, which the mates of every
     * reference read are matched against, and the pair keys of the alternatives whose names
     * are not read otherwise (found_by_own_keys). */
    bool any_common = false;
    for (uint32_t i = 0; i < pl.n_alt && !any_common; i++)
        any_common = pl.alt[i].common;
    if (any_common) {
        char(*reading)[PS_NAME_KEY_MAX] =
            ps_arena_alloc(scratch, pl.n_alt * (size_t)PS_NAME_KEY_MAX + 1);
        uint8_t rlen[MAX_ALTERNATIVES];
        common_reading *commons = ps_arena_alloc(scratch, pl.n_alt * sizeof *commons + 1);
        for (uint32_t i = 0; i < pl.n_alt; i++) { /* each alternative read once, not per pair */
            rlen[i] = (uint8_t)ps_name_reading(pl.alt[i].text, pl.alt[i].len, reading[i]);
            if (!pl.alt[i].common)
                continue;
            uint16_t h = ps_name_reading_hash(reading[i], rlen[i]);
            uint32_t c = 0;
            while (c < g.n_commons && commons[c].hash != h)
                c++;
            if (c == g.n_commons)
                commons[g.n_commons++] = (common_reading){h, 0};
            commons[c].bits |= 1u << pl.alt[i].bit;
        }
        g.commons = commons;
        for (uint32_t i = 0; i < pl.n_alt; i++) {
            for (uint32_t j = i + 1; j < pl.n_alt; j++) {
                const alternative *x = &pl.alt[i], *y = &pl.alt[j];
                if (x->bit == y->bit || (x->own && y->own) || !(x->common || y->common))
                    continue;
                if (found_by_own_keys(&q, x->common ? y : x))
                    continue; /* the mates of its references tell */
                char key[PS_NAME_KEY_MAX];
                batch_key(&pl, kb, 1u << x->bit | 1u << y->bit, key,
                          ps_name_pair_key_of(reading[i], rlen[i], reading[j], rlen[j], key),
                          PAIR_CAP, HOW_MARK_OTHER);
            }
        }
    }
    batch_flush(&pl, kb);
    rc = expand_plan(&pl, &g, scratch);
    for (uint32_t i = 0; i < g.n; i++)
        g.slots[g.items[i].slot] = 0;
    if (counts) {
        counts->tokens_fresh += pl.fresh;
        counts->tokens_replayed += pl.replayed;
        counts->keys += pl.n;
        counts->refs += g.refs;
        counts->candidates += g.n;
    }
    if (rc != PS_STORE_OK)
        return rc;
    if (!g.n)
        return PS_STORE_OK;

    /* A candidate name needs every main token of one of its forms reached by some key of the
     * traveller's: a listed name is not found by its surname alone. */
    uint32_t kept = 0;
    for (uint32_t i = 0; i < g.n; i++) {
        const candidate *c = &g.items[i];
        bool covered = false;
        for (int f = 0; f < 2 && !covered; f++)
            covered = c->need[f] && (c->need[f] & ~c->reached[f]) == 0;
        if (covered)
            g.items[kept++] = *c;
    }
    g.n = kept;
    if (!g.n)
        return PS_STORE_OK;

    /* The most promising first: more traveller tokens led to it, then the birth year agrees
     * (among the many holders of a common name, the one born that year), then more exact
     * keys. */
    for (uint32_t i = 0; i < g.n; i++) {
        candidate *c = &g.items[i];
        int cy = c->year & ~PS_NAME_YEAR_SEVERAL;
        int gap = year && cy ? abs(year - cy) : -1;
        double agrees = gap == 0 ? 600 : gap == 1 ? 300 : gap < 0 ? 200 : 0;
        c->promise = __builtin_popcount(c->mask) * 1000.0 + agrees + c->strength;
    }
    qsort(g.items, g.n, sizeof *g.items, cmp_promise);
    uint32_t n_scored = g.n < MAX_SCORED ? g.n : MAX_SCORED;
    if (counts)
        counts->scored += n_scored;

    /* the names of every candidate to score, read together */
    uint64_t *entries = ps_arena_alloc(scratch, (n_scored + 1) * sizeof *entries);
    const unsigned char **blocks = ps_arena_alloc(scratch, (n_scored + 1) * sizeof *blocks);
    size_t *block_lens = ps_arena_alloc(scratch, (n_scored + 1) * sizeof *block_lens);
    for (uint32_t i = 0; i < n_scored; i++)
        entries[i] = g.items[i].entry;
    rc = ps_snapshot_name_forms_many(snap, entries, n_scored, blocks, block_lens);
    if (rc != PS_STORE_OK)
        return rc;
    token_table *tt = ps_arena_alloc(scratch, sizeof *tt);
    tt->snap = snap;
    tt->scratch = scratch;
    tt->items = ps_arena_alloc(scratch, TOKEN_MAX * sizeof *tt->items);
    tt->n = 0;
    memset(tt->slots, 0, sizeof tt->slots);
    gather_tokens(tt, tn, g.items, blocks, block_lens, n_scored);
    /* Best name per entry: candidates of one entry are scored, the best one kept. */
    for (uint32_t i = 0; i < n_scored; i++) {
        candidate *c = &g.items[i];
        if (c->entry == UINT64_MAX)
            continue;
        ps_hit h = {0};
        h.kind = PS_HIT_PERSON;
        double name_score = score_candidate(tt, tn, c, blocks[i], block_lens[i], &h.person);
        for (uint32_t j = i + 1; j < n_scored; j++) { /* the entry's other names */
            if (g.items[j].entry != c->entry)
                continue;
            ps_hit_person other;
            double s = score_candidate(tt, tn, &g.items[j], blocks[j], block_lens[j], &other);
            if (s > name_score) {
                name_score = s;
                h.person = other;
            }
            g.items[j].entry = UINT64_MAX;
        }
        if (name_score < NAME_FLOOR)
            continue;
        ps_wl_entry e;
        uint64_t version = 0;
        rc = ps_snapshot_entry(snap, c->entry, scratch, &e, &version);
        if (rc != PS_STORE_OK)
            return rc;
        double dob_adjust;
        judge_birth_date(&t->birth_date, &e, &h.person, &dob_adjust);
        double score = name_score + dob_adjust + judge_gender_nationality(t, &e, &h.person);
        score = score < 0 ? 0 : score > 1 ? 1 : score;
        h.list = e.list;
        h.entry_id = e.id;
        h.entry_version = version;
        h.action = e.action;
        h.score = score;
        h.threshold = 0.85;
        h.traveller = t;
        ps_screen_list_defaults(snap, e.list, &h);
        if (score + 1e-9 < h.threshold)
            continue;
        fn(ctx, &h);
        if (counts)
            counts->hits++;
    }
    return PS_STORE_OK;
}
