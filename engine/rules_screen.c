/* engine/rules_screen.c — screening one traveller with the targeting rules of a rules
 * snapshot: each value of each field that has rules is scanned once with that field's
 * Hyperscan database; every leaf of a pattern that matched is marked; the rules with a marked
 * leaf are evaluated (postfix programs, rules_set.c), and the rules that are true with no leaf
 * at all (NOT of something absent) fire without evaluation when none of their leaves was
 * marked. A rule fires only inside its validity window at now. Hits come out in rule id
 * order; the marks are cleared before returning, so the next traveller starts clean. */
#include "rules_internal.h"

#include <hs/hs.h>
#include <stdlib.h>

typedef struct scan_ctx {
    ps_rules_snapshot *rs;
    const rs_field *field;
} scan_ctx;

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *arg)
{
    (void)from;
    (void)to;
    (void)flags;
    scan_ctx *m = arg;
    const rs_field *fd = m->field;
    if (id >= fd->n_patterns)
        return 0;
    ps_rules_snapshot *rs = m->rs;
    for (uint32_t k = fd->pat_start[id]; k < fd->pat_start[id + 1]; k++) {
        uint32_t leaf = fd->pat_leaves[k];
        uint64_t bit = 1ull << (leaf & 63);
        if (!(rs->leaf_bits[leaf >> 6] & bit)) {
            rs->leaf_bits[leaf >> 6] |= bit;
            rs->leaf_list[rs->n_leaf_list++] = leaf;
        }
    }
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void emit(ps_rules_snapshot *rs, uint32_t ri, const ps_traveller *t, ps_hit_fn fn, void *ctx)
{
    const ps_rule_set *set = rs->set;
    const rs_rule *r = &set->rules[ri];
    ps_hit_rule_match matched[PS_RULE_MAX_NODES];
    uint32_t n = 0;
    for (uint32_t l = r->leaf0; l < r->leaf0 + r->n_leaves; l++) {
        const rs_leaf *leaf = &set->leaves[l];
        if (leaf->positive && (rs->leaf_bits[l >> 6] >> (l & 63) & 1) && n < PS_RULE_MAX_NODES)
            matched[n++] =
                (ps_hit_rule_match){ps_rule_field_name((ps_rule_field)leaf->field), leaf->text};
    }
    ps_hit h = {0};
    h.kind = PS_HIT_RULE;
    h.list = PS_STR_LIT("rules");
    h.entry_id = r->id;
    h.entry_version = r->version;
    h.action = r->action;
    h.score = 1.0;
    h.threshold = 1.0;
    h.traveller = t;
    h.rule.id = r->id;
    h.rule.name = r->name;
    h.rule.matched = matched;
    h.rule.n_matched = n;
    fn(ctx, &h);
}

int ps_rules_screen(ps_rules_snapshot *rs, const ps_traveller *t, const ps_flight_leg *flight,
                    int64_t now, ps_hit_fn fn, void *ctx, ps_screen_counts *counts)
{
    const ps_rule_set *set = rs->set;
    if (!set->n_rules)
        return PS_STORE_OK;
    int code = PS_STORE_OK;
    rs->n_leaf_list = 0;
    rs->n_cands = 0;
    rs_values values;
    for (int f = 0; f < PS_RULE_FIELDS && code == PS_STORE_OK; f++) {
        const rs_field *fd = &set->fields[f];
        if (!fd->db)
            continue;
        ps_rules_field_values(t, flight, (ps_rule_field)f, &values);
        scan_ctx m = {rs, fd};
        for (uint32_t i = 0; i < values.n; i++) {
            if (hs_scan(fd->db, values.v[i].ptr, (unsigned)values.v[i].len, 0, rs->scratch,
                        on_match, &m) != HS_SUCCESS) {
                code = PS_STORE_IO;
                break;
            }
        }
    }

    /* Candidates: the rules of the marked leaves, each once. */
    for (uint32_t i = 0; i < rs->n_leaf_list; i++) {
        uint32_t r = set->leaves[rs->leaf_list[i]].rule;
        uint64_t bit = 1ull << (r & 63);
        if (!(rs->rule_bits[r >> 6] & bit)) {
            rs->rule_bits[r >> 6] |= bit;
            rs->cands[rs->n_cands++] = r;
        }
    }
    uint32_t n_cands = rs->n_cands, n_fire = 0;
    for (uint32_t i = 0; i < n_cands; i++) {
        uint32_t r = rs->cands[i];
        const rs_rule *rr = &set->rules[r];
        if (now >= rr->from && now < rr->until && ps_rule_set_eval(set, rr, rs->leaf_bits))
            rs->cands[n_fire++] = r; /* n_fire <= i: overwrites only what was read */
    }
    for (uint32_t i = 0; i < set->n_zero_true; i++) {
        uint32_t r = set->zero_true[i];
        const rs_rule *rr = &set->rules[r];
        if (!(rs->rule_bits[r >> 6] >> (r & 63) & 1) && now >= rr->from && now < rr->until)
            rs->cands[n_fire++] = r; /* never a candidate: cands has room for every rule */
    }
    if (n_fire > 1)
        qsort(rs->cands, n_fire, sizeof *rs->cands, cmp_u32);
    if (code == PS_STORE_OK) {
        for (uint32_t i = 0; i < n_fire; i++)
            emit(rs, rs->cands[i], t, fn, ctx);
        if (counts)
            counts->hits += n_fire;
    }

    /* Clear the marks for the next traveller. */
    for (uint32_t i = 0; i < rs->n_leaf_list; i++) {
        uint32_t l = rs->leaf_list[i];
        rs->leaf_bits[l >> 6] &= ~(1ull << (l & 63));
        uint32_t r = set->leaves[l].rule;
        rs->rule_bits[r >> 6] &= ~(1ull << (r & 63));
    }
    rs->n_leaf_list = 0;
    rs->n_cands = 0;
    return code;
}
