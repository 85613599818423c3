/* tests/fuzz/fuzz_paxlst.c — libFuzzer target for the PAXLST reader (formats/paxlst*.c):
 * ps_paxlst_read over any bytes; every delivered message is checked (counts, parts, strings,
 * dates) and every traveller, and the message itself, written as JSON that must load again
 * (jansson). The stats must agree with what the callback saw; diags must lie in the input. */
#include "paxscreen/paxlst.h"
#include "paxscreen/record_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void require(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_paxlst: invariant failed: %s\n", what);
        abort();
    }
}

static bool terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

typedef struct seen {
    size_t size;
    ps_buf buf;
    uint32_t messages, incomplete;
    uint64_t travellers;
} seen;

static void must_be_json(const ps_buf *b, const char *what)
{
    json_error_t e;
    json_t *v = json_loadb(b->data, b->len, JSON_ALLOW_NUL, &e);
    if (!v) {
        fprintf(stderr, "fuzz_paxlst: %s written as invalid JSON (%s at byte %d): %.*s\n", what,
                e.text, e.position, (int)b->len, b->data);
        abort();
    }
    require(json_is_object(v), "JSON output is an object");
    json_decref(v);
}

/* Every string is either empty or has a pointer (and its bytes can be read). */
static void check_str(ps_str s, const char *what)
{
    require(s.len == 0 || s.ptr != NULL, what);
    volatile unsigned sum = 0;
    for (size_t i = 0; i < s.len; i++)
        sum += (unsigned char)s.ptr[i];
    (void)sum;
}

static void check_date(const ps_date *d, const char *what)
{
    require(d->precision <= PS_DATE_MINUTE, what);
    require(d->precision == PS_DATE_NONE || ps_date_valid(d), what);
}

static void check_traveller(const seen *sn, const ps_traveller *t)
{
    require(t->role >= PS_ROLE_UNKNOWN && t->role <= PS_ROLE_TRANSIT_CREW, "role is known");
    require(t->id.len > 0, "every traveller has an id (sent or assigned)");
    const ps_str strs[] = {t->id,           t->surname,     t->given_names,   t->nationality,
                           t->residence,    t->birth_place, t->pnr,           t->seat,
                           t->embarkation,  t->debarkation, t->clearance,     t->agency_ref,
                           t->customer_ref, t->ticket,      t->crew_function, t->address,
                           t->phone,        t->email,       t->bag_tags};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        check_str(strs[i], "traveller string empty or non-NULL");
    check_date(&t->birth_date, "birth date valid or absent");
    require(t->gender == 0 || t->gender == 'M' || t->gender == 'F' || t->gender == 'X' ||
                t->gender == 'U',
            "gender is M, F, X, U or none");
    require(t->verified >= -1 && t->verified <= 1, "verified is -1, 0 or 1");
    require(t->bags >= -1, "bags is a count or -1");
    require(t->offset < sn->size, "traveller offset inside the input");
    require(t->n_documents == 0 || t->documents != NULL, "documents array present");
    for (uint32_t i = 0; i < t->n_documents; i++) {
        const ps_document *d = &t->documents[i];
        check_str(d->type, "document type");
        check_str(d->number, "document number");
        check_str(d->issuer, "document issuer");
        check_str(d->issue_place, "document issue place");
        check_str(d->mrz, "document mrz");
        check_date(&d->expiry, "expiry valid or absent");
        check_date(&d->issued, "issue date valid or absent");
    }
    require(t->n_warnings == 0 || t->warnings != NULL, "warnings array present");
    for (uint32_t i = 0; i < t->n_warnings; i++)
        require(t->warnings[i].kind != NULL && t->warnings[i].offset <= sn->size,
                "traveller warning has a kind and lies in the input");
}

static void on_message(void *ctx, const ps_paxlst_message *m)
{
    seen *sn = ctx;
    sn->messages++;
    sn->incomplete += !m->complete;
    sn->travellers += m->n_travellers;

    require(
        terminated(m->sender, sizeof m->sender) && terminated(m->recipient, sizeof m->recipient) &&
            terminated(m->control_ref, sizeof m->control_ref) &&
            terminated(m->message_ref, sizeof m->message_ref) &&
            terminated(m->type, sizeof m->type) && terminated(m->directory, sizeof m->directory) &&
            terminated(m->access_ref, sizeof m->access_ref),
        "envelope strings are terminated");
    require(strcmp(m->type, "PAXLST") == 0, "only PAXLST messages are delivered");
    require(m->offset < sn->size, "UNH offset inside the input");
    require(m->segment >= 1, "UNH has a segment number");
    require(m->parts >= 1, "a message has at least one part");
    if (m->complete && m->parts_expected != 0)
        require(m->parts == m->parts_expected, "a complete message has all expected parts");
    require(m->kind >= PS_PAXLST_OTHER && m->kind <= PS_PAXLST_GATE_PASS, "kind is known");
    require(ps_paxlst_kind_name(m->kind) != NULL, "kind has a name");
    require(m->total_passengers >= -1 && m->total_crew >= -1, "totals are counts or -1");

    const ps_str strs[] = {m->document_code,   m->document_function, m->transaction_ref,
                           m->reporting_party, m->reporting_phone,   m->reporting_fax,
                           m->reporting_email};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        check_str(strs[i], "message string empty or non-NULL");

    require(m->n_legs == 0 || m->legs != NULL, "legs array present");
    for (uint32_t i = 0; i < m->n_legs; i++) {
        const ps_flight_leg *l = &m->legs[i];
        check_str(l->carrier, "leg carrier");
        check_str(l->number, "leg number");
        check_str(l->conveyance, "leg conveyance");
        check_str(l->departure_airport, "leg departure airport");
        check_str(l->arrival_airport, "leg arrival airport");
        check_str(l->final_destination, "leg final destination");
        check_date(&l->departure_time, "departure time valid or absent");
        check_date(&l->arrival_time, "arrival time valid or absent");
        sn->buf.len = 0;
        ps_json_write_leg(&sn->buf, l);
        must_be_json(&sn->buf, "leg");
    }

    require(m->n_travellers == 0 || m->travellers != NULL, "travellers array present");
    for (uint32_t i = 0; i < m->n_travellers; i++) {
        check_traveller(sn, &m->travellers[i]);
        sn->buf.len = 0;
        ps_json_write_traveller(&sn->buf, &m->travellers[i]);
        must_be_json(&sn->buf, "traveller");
    }

    sn->buf.len = 0;
    ps_paxlst_message_json(&sn->buf, m);
    must_be_json(&sn->buf, "message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1); /* exact size: reads past the end are caught */
    if (size)
        memcpy(text, data, size);
    ps_arena arena;
    ps_arena_init(&arena);
    ps_diag_list diags;
    ps_diag_list_init(&diags, &arena);
    seen sn = {.size = size};
    ps_buf_init(&sn.buf);
    ps_paxlst_callbacks cb = {.on_message = on_message, .ctx = &sn};
    ps_paxlst_stats stats;

    bool any = ps_paxlst_read(text, size, &cb, &diags, &stats);

    require(stats.logical_messages == sn.messages, "stats count the delivered messages");
    require(stats.incomplete == sn.incomplete, "stats count the incomplete messages");
    require(stats.travellers == sn.travellers, "stats count the delivered travellers");
    require(stats.logical_messages <= stats.messages, "no more logical messages than parts");
    if (!any) {
        require(sn.messages == 0, "no message without an interchange");
        require(ps_diag_count(&diags, PS_ERROR) >= 1, "an input without interchange is an error");
    }
    for (uint32_t i = 0; i < diags.count; i++) {
        const ps_diag *d = &diags.items[i];
        require(d->offset <= size, "diag offset within the input");
        require(d->kind != NULL && d->kind[0] != '\0', "diag has a kind");
        require(d->severity == PS_WARNING || d->severity == PS_ERROR, "diag severity");
        require(d->message.len > 0 && d->message.ptr != NULL, "diag has a message");
    }

    ps_buf_free(&sn.buf);
    ps_arena_free(&arena);
    free(text);
    return 0;
}
