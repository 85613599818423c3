/* tests/unit/test_paxlst.c — PAXLST to records: every segment and code the reader maps
 * (paxlst.md §2), message kinds, dates and two-digit years, multi-part reassembly, CNT
 * checks and assigned ids. Messages are captured as the JSON `paxscreen parse` prints and
 * checked field by field. */
#include "paxscreen/paxlst.h"

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- harness: read an input, keep every message as JSON and every diag ---- */

typedef struct result {
    json_t *messages; /* array */
    ps_arena arena;
    ps_diag_list diags;
    ps_paxlst_stats stats;
    bool ok;
} result;

static void on_message(void *ctx, const ps_paxlst_message *m)
{
    result *r = ctx;
    ps_buf b;
    ps_buf_init(&b);
    ps_paxlst_message_json(&b, m);
    json_error_t err;
    json_t *j = json_loadb(b.data, b.len, 0, &err);
    ck_assert_msg(j != NULL, "message JSON does not load: %s", err.text);
    json_array_append_new(r->messages, j);
    ps_buf_free(&b);
}

static result *parse(const char *text)
{
    result *r = calloc(1, sizeof *r);
    r->messages = json_array();
    ps_arena_init(&r->arena);
    ps_diag_list_init(&r->diags, &r->arena);
    ps_paxlst_callbacks cb = {on_message, NULL, r};
    r->ok = ps_paxlst_read(text, strlen(text), &cb, &r->diags, &r->stats);
    return r;
}

static void done(result *r)
{
    json_decref(r->messages);
    ps_arena_free(&r->arena);
    free(r);
}

static json_t *msg(result *r, size_t i)
{
    json_t *m = json_array_get(r->messages, i);
    ck_assert_msg(m != NULL, "no message %zu (have %zu)", i, json_array_size(r->messages));
    return m;
}

static json_t *trav(result *r, size_t m, size_t t)
{
    json_t *a = json_object_get(msg(r, m), "travellers");
    json_t *x = json_array_get(a, t);
    ck_assert_msg(x != NULL, "no traveller %zu in message %zu", t, m);
    return x;
}

/* "documents.0.number" style path lookup. */
static json_t *at(json_t *j, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && j; tok = strtok(NULL, ".")) {
        if (json_is_array(j))
            j = json_array_get(j, (size_t)atoi(tok));
        else
            j = json_object_get(j, tok);
    }
    return j;
}

static void expect_str(json_t *j, const char *path, const char *want)
{
    json_t *v = at(j, path);
    if (!want) {
        ck_assert_msg(v == NULL, "%s: expected absent, got %s", path,
                      json_is_string(v) ? json_string_value(v) : "(non-string)");
        return;
    }
    ck_assert_msg(json_is_string(v), "%s: expected \"%s\", got nothing", path, want);
    ck_assert_msg(strcmp(json_string_value(v), want) == 0, "%s: expected \"%s\", got \"%s\"", path,
                  want, json_string_value(v));
}

static void expect_int(json_t *j, const char *path, long long want)
{
    json_t *v = at(j, path);
    ck_assert_msg(json_is_integer(v), "%s: expected %lld, got nothing", path, want);
    ck_assert_msg(json_integer_value(v) == want, "%s: expected %lld, got %lld", path, want,
                  (long long)json_integer_value(v));
}

static void expect_bool(json_t *j, const char *path, bool want)
{
    json_t *v = at(j, path);
    ck_assert_msg(json_is_boolean(v), "%s: expected a boolean", path);
    ck_assert_msg(json_is_true(v) == want, "%s: expected %s", path, want ? "true" : "false");
}

static unsigned count_kind(result *r, const char *kind)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < r->diags.count; i++)
        n += strcmp(r->diags.items[i].kind, kind) == 0;
    return n;
}

static const ps_diag *find_kind(result *r, const char *kind)
{
    for (uint32_t i = 0; i < r->diags.count; i++)
        if (strcmp(r->diags.items[i].kind, kind) == 0)
            return &r->diags.items[i];
    return NULL;
}

static void expect_no_diags(result *r)
{
    if (r->diags.count) {
        const ps_diag *d = &r->diags.items[0];
        ck_abort_msg("unexpected diag %s at segment %u: %.*s", d->kind, d->segment,
                     (int)d->message.len, d->message.ptr);
    }
}

/* ---- inputs ---- */

#define HEAD(ctrl)                                                                                 \
    "UNA:+.? '\n"                                                                                  \
    "UNB+UNOA:4+XYZAIRLINES+USADHS+240501:0930+" ctrl "++APIS'\n"

#define FLIGHT                                                                                     \
    "TDT+20+XZ877+++XZ'\n"                                                                         \
    "LOC+125+BCN'\n"                                                                               \
    "DTM+189:2405011100:201'\n"                                                                    \
    "LOC+87+IAD'\n"                                                                                \
    "DTM+232:2405011700:201'\n"

static const char two_passengers[] =
    HEAD("000000001") "UNG+PAXLST+XYZAIRLINES+USADHS+240501:0930+1+UN+D:05B'\n"
                      "UNH+PAX001+PAXLST:D:05B:UN:IATA+XZ877/240501/1700+01:F'\n"
                      "BGM+745'\n"
                      "RFF+TN:XZ877240501:::1'\n"
                      "NAD+MS+++OPS CONTROL:JANE'\n"
                      "COM+703 555 1212:TE+703 555 4545:FX'\n" FLIGHT
                      "NAD+FL+++MARTINEZ:JULIO:XAVIER'\n"
                      "ATT+2++M'\n"
                      "DTM+329:680223'\n"
                      "LOC+22+IAD'\nLOC+178+BCN'\nLOC+179+IAD'\nLOC+174+ESP'\n"
                      "NAT+2+ESP'\n"
                      "RFF+AVF:GJO3RT'\nRFF+ABO:XZ877001'\nRFF+SEA:23A'\n"
                      "DOC+P+YY3478621'\nDTM+36:291230'\nLOC+91+ESP'\n"
                      "NAD+FL+++D?'SOUZA:ANITA'\n"
                      "ATT+2++F'\nDTM+329:900606'\n"
                      "LOC+22+IAD'\nLOC+178+BCN'\nLOC+179+IAD'\nLOC+174+IND'\n"
                      "NAT+2+IND'\n"
                      "RFF+AVF:GJO3RT'\nRFF+ABO:XZ877002'\n"
                      "DOC+P+Z1234567'\nDTM+36:300916'\nLOC+91+IND'\n"
                      "DOC+V+123456789'\nDTM+36:280101'\nLOC+91+USA'\n"
                      "CNT+42:2'\n"
                      "UNT+42+PAX001'\n"
                      "UNE+1+1'\n"
                      "UNZ+1+000000001'\n";

/* ---- tests ---- */

START_TEST(test_two_passengers_every_field)
{
    result *r = parse(two_passengers);
    ck_assert(r->ok);
    expect_no_diags(r);
    ck_assert_uint_eq(json_array_size(r->messages), 1);
    json_t *m = msg(r, 0);
    expect_str(m, "kind", "passenger_list");
    expect_str(m, "document_code", "745");
    expect_str(m, "message_ref", "PAX001");
    expect_str(m, "directory", "D:05B");
    expect_str(m, "access_ref", "XZ877/240501/1700");
    expect_str(m, "transaction_ref", "XZ877240501");
    expect_str(m, "reporting_party.name", "OPS CONTROL JANE");
    expect_str(m, "reporting_party.phone", "703 555 1212");
    expect_str(m, "reporting_party.fax", "703 555 4545");
    expect_str(m, "flight.carrier", "XZ");
    expect_str(m, "flight.number", "877");
    expect_str(m, "flight.departure.airport", "BCN");
    expect_str(m, "flight.departure.time", "2024-05-01T11:00");
    expect_str(m, "flight.arrival.airport", "IAD");
    expect_str(m, "flight.arrival.time", "2024-05-01T17:00");
    expect_int(m, "totals.passengers", 2);
    expect_bool(m, "complete", true);
    json_t *t = trav(r, 0, 0);
    expect_str(t, "id", "XZ877001");
    expect_str(t, "role", "passenger");
    expect_str(t, "surname", "MARTINEZ");
    expect_str(t, "given_names", "JULIO XAVIER");
    expect_str(t, "birth_date", "1968-02-23");
    expect_str(t, "gender", "M");
    expect_str(t, "nationality", "ESP");
    expect_str(t, "residence", "ESP");
    expect_str(t, "clearance", "IAD");
    expect_str(t, "embarkation", "BCN");
    expect_str(t, "debarkation", "IAD");
    expect_str(t, "pnr", "GJO3RT");
    expect_str(t, "seat", "23A");
    expect_str(t, "documents.0.type", "P");
    expect_str(t, "documents.0.number", "YY3478621");
    expect_str(t, "documents.0.issuer", "ESP");
    expect_str(t, "documents.0.expiry", "2029-12-30");
    t = trav(r, 0, 1);
    expect_str(t, "surname", "D'SOUZA");
    expect_str(t, "birth_date", "1990-06-06");
    expect_str(t, "documents.1.type", "V");
    expect_str(t, "documents.1.number", "123456789");
    expect_str(t, "documents.1.issuer", "USA");
    expect_str(t, "documents.1.expiry", "2028-01-01");
    ck_assert_uint_eq(r->stats.interchanges, 1);
    ck_assert_uint_eq(r->stats.travellers, 2);
    done(r);
}
END_TEST

START_TEST(test_given_names_in_one_or_several_components)
{
    result *r =
        parse("UNB+UNOB:4+XYZAIRLINES+USADHS+240501:0930+1'\n"
              "UNH+1+PAXLST:D:05B:UN:IATA'\nBGM+745'\n" FLIGHT "NAD+FL+++WILLIAMS:JOHN DONALD'\n"
              "NAD+FL+++WILLIAMS:JOHN:DONALD'\n"
              "NAD+FL+++WILLIAMS:JOHN:DONALD::PETER'\n"
              "NAD+FL+++van der Berg :  Anna'\n"
              "UNT+12+1'\nUNZ+1+1'\n");
    expect_no_diags(r);
    expect_str(trav(r, 0, 0), "given_names", "JOHN DONALD");
    expect_str(trav(r, 0, 1), "given_names", "JOHN DONALD");
    expect_str(trav(r, 0, 2), "given_names", "JOHN DONALD PETER");
    /* as sent: no upper-casing, no trimming inside data */
    expect_str(trav(r, 0, 3), "surname", "van der Berg ");
    expect_str(trav(r, 0, 3), "given_names", "  Anna");
    done(r);
}
END_TEST

START_TEST(test_roles_crew_and_person_segments)
{
    result *r = parse(
        HEAD("1") "UNH+1+PAXLST:D:02B:UN:IATA'\nBGM+250+C'\n" FLIGHT
                  "NAD+FM+++SMITH:ANN+1 MAIN ST:FLAT 2+LONDON+:::ENGLAND+SW1A 1AA+GBR'\n"
                  "ATT+2++F'\nDTM+329:19700101:102'\nEMP+1+CR1:110:111'\nGEI+4+173'\n"
                  "MEA+CT++:2'\nMEA+WT++KGM:31'\nFTX+BAG+++0125123456:2'\n"
                  "COM+44 20 7946 0000:TE+ANN?@AIR.EXAMPLE:EM'\n"
                  "LOC+180+:::LEEDS GBR'\nRFF+AEA:RED123'\nRFF+CR:KTN99'\nRFF+YZY:1762345678'\n"
                  "NAD+DDU+++TRANSIT:PAX'\n"
                  "NAD+DDT+++TRANSIT:CREW'\nGEI+4+174'\n"
                  "CNT+41:2'\n"
                  "UNT+24+1'\nUNZ+1+1'\n");
    json_t *m = msg(r, 0);
    expect_str(m, "kind", "crew_list");
    expect_str(m, "document_function", "C");
    expect_str(m, "directory", "D:02B");
    json_t *t = trav(r, 0, 0);
    expect_str(t, "role", "crew");
    expect_str(t, "birth_date", "1970-01-01");
    expect_str(t, "crew_function", "CR1");
    expect_bool(t, "verified", true);
    expect_int(t, "bags", 2);
    expect_str(t, "bag_tags", "0125123456:2");
    expect_str(t, "phone", "44 20 7946 0000");
    expect_str(t, "email", "ANN@AIR.EXAMPLE");
    expect_str(t, "birth_place", "LEEDS GBR");
    expect_str(t, "agency_ref", "RED123");
    expect_str(t, "customer_ref", "KTN99");
    expect_str(t, "ticket", "1762345678");
    expect_str(t, "address", "1 MAIN ST FLAT 2, LONDON, ENGLAND, SW1A 1AA, GBR");
    expect_str(trav(r, 0, 1), "role", "transit_passenger");
    expect_str(trav(r, 0, 2), "role", "transit_crew");
    expect_bool(trav(r, 0, 2), "verified", false);
    /* CNT+41 counts crew and transit crew: 2 = SMITH + TRANSIT CREW */
    ck_assert_uint_eq(count_kind(r, "cnt_mismatch"), 0);
    /* '@' is outside UNOA even when released */
    ck_assert_uint_eq(count_kind(r, "character_outside_repertoire"), 1);
    done(r);
}
END_TEST

START_TEST(test_message_kinds)
{
    result *r = parse(HEAD("1") "UNH+1+PAXLST:D:05B:UN:IATA'\nBGM+266+CLOB'\n" FLIGHT "UNT+8+1'\n"
                                "UNH+2+PAXLST:D:12B:UN:IATA'\nBGM+745+CP'\n" FLIGHT
                                "NAD+FL+++A:B'\nUNT+9+2'\n"
                                "UNH+3+PAXLST:D:15B:UN:IATA'\nBGM+336+G'\nUNT+3+3'\n"
                                "UNH+4+PAXLST:D:05B:UN:IATA'\nBGM+655'\nUNT+3+4'\n"
                                "UNH+5+PAXLST:D:05B:UN:IATA'\nBGM+999'\nUNT+3+5'\n"
                                "UNZ+5+1'\n");
    ck_assert_uint_eq(json_array_size(r->messages), 5);
    expect_str(msg(r, 0), "kind", "flight_status");
    expect_str(msg(r, 0), "document_function", "CLOB");
    ck_assert_uint_eq(json_array_size(json_object_get(msg(r, 0), "travellers")), 0);
    expect_str(msg(r, 1), "kind", "passenger_list");
    expect_str(msg(r, 1), "document_function", "CP");
    expect_str(msg(r, 1), "directory", "D:12B");
    expect_str(msg(r, 2), "kind", "master_crew_list");
    expect_str(msg(r, 2), "directory", "D:15B");
    expect_str(msg(r, 3), "kind", "gate_pass");
    expect_str(msg(r, 4), "kind", "other");
    ck_assert_uint_eq(count_kind(r, "unknown_document_code"), 1);
    ck_assert_uint_eq(r->diags.count, 1);
    done(r);
}
END_TEST

START_TEST(test_date_formats_and_partial_dates)
{
    result *r = parse(HEAD("1") "UNH+1+PAXLST:D:05B:UN:IATA'\nBGM+745'\n" FLIGHT
                                "NAD+FL+++A:ONE'\nDTM+329:19680223:102'\n"
                                "NAD+FL+++A:TWO'\nDTM+329:1968:602'\n"
                                "NAD+FL+++A:THREE'\nDTM+329:196802:610'\n"
                                "NAD+FL+++A:FOUR'\nDTM+329:680000'\n"
                                "NAD+FL+++A:FIVE'\nDTM+329:680200'\n"
                                "NAD+FL+++A:SIX'\nDTM+329:230268:2'\n"
                                "NAD+FL+++A:SEVEN'\nDTM+329: 680223 '\n"
                                "NAD+FL+++A:EIGHT'\nDTM+329:681323'\n"
                                "NAD+FL+++A:NINE'\nDTM+329:680223:999'\n"
                                "UNT+25+1'\nUNZ+1+1'\n");
    expect_str(trav(r, 0, 0), "birth_date", "1968-02-23");
    expect_str(trav(r, 0, 1), "birth_date", "1968");
    expect_str(trav(r, 0, 2), "birth_date", "1968-02");
    expect_str(trav(r, 0, 3), "birth_date", "1968");
    expect_str(trav(r, 0, 4), "birth_date", "1968-02");
    expect_str(trav(r, 0, 5), "birth_date", "1968-02-23");
    expect_str(trav(r, 0, 6), "birth_date", "1968-02-23");
    expect_str(trav(r, 0, 7), "birth_date", NULL);
    expect_str(trav(r, 0, 8), "birth_date", NULL);
    ck_assert_uint_eq(count_kind(r, "invalid_date"), 2);
    const ps_diag *d = find_kind(r, "invalid_date");
    ck_assert_str_eq(d->tag, "DTM");
    ck_assert_uint_eq(d->element, 1);
    ck_assert_uint_eq(d->segment, 24); /* UNB=1, UNH=2, ... DTM of the 8th person */
    done(r);
}
END_TEST

START_TEST(test_two_digit_years)
{
    /* Flight on 2024-05-01. A birth is never after the flight; an expiry is read near the
     * flight date but never before its document's issue date. */
    result *r = parse(HEAD("1") "UNH+1+PAXLST:D:05B:UN:IATA'\nBGM+745'\n" FLIGHT
                                "NAD+FL+++A:ONE'\nDTM+329:240430'\n"
                                "NAD+FL+++A:TWO'\nDTM+329:240502'\n"
                                "NAD+FL+++A:THREE'\nDTM+329:250101'\n"
                                "NAD+FL+++A:FOUR'\nDOC+P+X1'\nDTM+36:750101'\n"
                                "NAD+FL+++A:FIVE'\nDOC+P+X2'\nDTM+182:230101'\nDTM+36:750101'\n"
                                "NAD+FL+++A:SIX'\nDOC+P+X3'\nDTM+36:750101'\nDTM+182:230101'\n"
                                "UNT+25+1'\nUNZ+1+1'\n");
    expect_no_diags(r);
    expect_str(trav(r, 0, 0), "birth_date", "2024-04-30");
    expect_str(trav(r, 0, 1), "birth_date", "1924-05-02");
    expect_str(trav(r, 0, 2), "birth_date", "1925-01-01");
    expect_str(trav(r, 0, 3), "documents.0.expiry", "1975-01-01");
    expect_str(trav(r, 0, 4), "documents.0.issued", "2023-01-01");
    expect_str(trav(r, 0, 4), "documents.0.expiry", "2075-01-01");
    expect_str(trav(r, 0, 5), "documents.0.expiry", "2075-01-01");
    done(r);
}
END_TEST

START_TEST(test_multipart_separate_interchanges_any_order)
{
    /* three parts, each in its own interchange, sent 3, 1, 2 */
    result *r = parse(
        HEAD("3") "UNH+M3+PAXLST:D:05B:UN:IATA+XZ877/240501/1700+03:F'\nBGM+745'\n" FLIGHT
                  "NAD+FL+++C:THIRD'\nCNT+42:3'\nUNT+10+M3'\nUNZ+1+3'\n" HEAD(
                      "1") "UNH+M1+PAXLST:D:05B:UN:IATA+XZ877/240501/1700+01:C'\nBGM+745'\n" FLIGHT
                           "NAD+FL+++A:FIRST'\nUNT+9+M1'\nUNZ+1+1'\n" HEAD(
                               "2") "UNH+M2+PAXLST:D:05B:UN:IATA+XZ877/240501/"
                                    "1700+02'\nBGM+745'\n" FLIGHT
                                    "NAD+FL+++B:SECOND'\nUNT+9+M2'\nUNZ+1+2'\n");
    expect_no_diags(r);
    ck_assert_uint_eq(json_array_size(r->messages), 1);
    json_t *m = msg(r, 0);
    expect_bool(m, "complete", true);
    expect_int(m, "parts", 3);
    expect_int(m, "parts_expected", 3);
    expect_str(m, "message_ref", "M1");
    expect_str(trav(r, 0, 0), "surname", "A");
    expect_str(trav(r, 0, 1), "surname", "B");
    expect_str(trav(r, 0, 2), "surname", "C");
    ck_assert_uint_eq(r->stats.interchanges, 3);
    ck_assert_uint_eq(r->stats.messages, 3);
    ck_assert_uint_eq(r->stats.logical_messages, 1);
    done(r);
}
END_TEST

START_TEST(test_multipart_incomplete_is_reported_not_whole)
{
    result *r =
        parse(HEAD("1") "UNH+M1+PAXLST:D:05B:UN:IATA+XZ877/240501/1700+01:C'\nBGM+745'\n" FLIGHT
                        "NAD+FL+++A:FIRST'\nUNT+9+M1'\n"
                        "UNH+M3+PAXLST:D:05B:UN:IATA+XZ877/240501/1700+03:F'\nBGM+745'\n" FLIGHT
                        "NAD+FL+++C:THIRD'\nUNT+9+M3'\n"
                        "UNH+M4+PAXLST:D:05B:UN:IATA+XZ877/240501/1700+03:F'\nBGM+745'\nUNT+3+M4'\n"
                        "UNZ+3+1'\n");
    ck_assert_uint_eq(json_array_size(r->messages), 1);
    json_t *m = msg(r, 0);
    expect_bool(m, "complete", false);
    expect_int(m, "parts", 2);
    expect_int(m, "parts_expected", 3);
    ck_assert_uint_eq(json_array_size(json_object_get(m, "travellers")), 2);
    ck_assert_uint_eq(count_kind(r, "multipart_incomplete"), 1);
    ck_assert_uint_eq(count_kind(r, "duplicate_part"), 1);
    ck_assert_uint_eq(r->stats.incomplete, 1);
    done(r);
}
END_TEST

START_TEST(test_cnt_mismatch_and_assigned_ids)
{
    result *r =
        parse(HEAD("1") "UNH+1+PAXLST:D:05B:UN:IATA+XZ9/240501/1700'\nBGM+745'\n" FLIGHT
                        "NAD+FL+++A:ONE'\nNAD+FL+++B:TWO'\nRFF+ABO:OWN'\nNAD+FM+++C:THREE'\n"
                        "CNT+42:160'\nCNT+41:1'\nUNT+13+1'\nUNZ+1+1'\n");
    ck_assert_uint_eq(count_kind(r, "cnt_mismatch"), 1);
    const ps_diag *d = find_kind(r, "cnt_mismatch");
    ck_assert_uint_eq(d->segment, 13); /* where CNT+42 stands */
    expect_str(trav(r, 0, 0), "id", "XZ9/240501/1700/1");
    expect_bool(trav(r, 0, 0), "id_assigned", true);
    expect_str(trav(r, 0, 1), "id", "OWN");
    ck_assert_ptr_null(at(trav(r, 0, 1), "id_assigned"));
    done(r);
}
END_TEST

START_TEST(test_type_b_alternative_service_characters)
{
    result *r = parse("\x01QN GBRRMOK\r\n.YOWAAXH KL/041643\r\n\x02UNA:(.) -\r\n"
                      "UNB(UNOA:4(KL(GBRHO(240501:0930(42-\r\n"
                      "UNH(1(PAXLST:D:05B:UN:IATA-\r\nBGM(745-\r\n"
                      "TDT(20(KL1001(((KL-\r\nLOC(125(AMS-\r\nLOC(87(LHR-\r\n"
                      "NAD(FL(((SMITH)-JONES:ANNE)(MARIE)):X-\r\n"
                      "UNT(7(1-\r\nUNZ(1(42-\r\n\x03");
    expect_no_diags(r);
    expect_str(trav(r, 0, 0), "surname", "SMITH-JONES");
    expect_str(trav(r, 0, 0), "given_names", "ANNE(MARIE) X"); /* ':' still separates */
    expect_str(msg(r, 0), "flight.number", "1001");
    done(r);
}
END_TEST

START_TEST(test_unoc_names_are_decoded_to_utf8)
{
    result *r = parse("UNB+UNOC:3+A+B+240501:0930+1'\n"
                      "UNH+1+PAXLST:D:05B:UN:IATA'\nBGM+745'\n"
                      "NAD+FL+++M\xdcLLER:REN\xc9'\nUNT+4+1'\nUNZ+1+1'\n");
    expect_no_diags(r);
    expect_str(trav(r, 0, 0), "surname", "M\xc3\x9cLLER");
    expect_str(trav(r, 0, 0), "given_names", "REN\xc3\x89");
    done(r);
}
END_TEST

START_TEST(test_problems_are_named_and_the_rest_kept)
{
    result *r =
        parse(HEAD("1") "UNH+1+PAXLST:D:05B:UN:IATA'\nBGM+745'\n" FLIGHT
                        "NAD+FL+++A:ONE'\nATT+2++Q'\nDTM+36:300101'\nLOC+91+ESP'\nQTY+1:2'\n"
                        "NAD+XX+++NOT:APERSON'\n"
                        "NAD+FL+++B:TWO'\n"
                        "UNT+16+1'\n"
                        "UNH+2+CUSRES:D:05B:UN:IATA'\nBGM+962'\nUNT+3+2'\n"
                        "UNZ+2+1'\n");
    ck_assert_uint_eq(json_array_size(r->messages), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(msg(r, 0), "travellers")), 2);
    ck_assert_uint_eq(count_kind(r, "invalid_gender"), 1);
    ck_assert_uint_eq(count_kind(r, "out_of_place"), 2);
    ck_assert_uint_eq(count_kind(r, "unexpected_segment"), 1);
    ck_assert_uint_eq(count_kind(r, "unknown_qualifier"), 1);
    ck_assert_uint_eq(count_kind(r, "unsupported_message_type"), 1);
    const ps_diag *d = find_kind(r, "invalid_gender");
    ck_assert_uint_eq(d->segment, 10);
    ck_assert_str_eq(d->tag, "ATT");
    ck_assert_uint_eq(d->element, 3);
    ck_assert_uint_eq(ps_diag_count(&r->diags, PS_ERROR), 0);
    done(r);
}
END_TEST

START_TEST(test_cut_off_message_is_incomplete)
{
    result *r = parse(HEAD("1") "UNH+1+PAXLST:D:05B:UN:IATA'\nBGM+745'\n" FLIGHT
                                "NAD+FL+++A:ONE'\nNAD+FL+++B:TW");
    ck_assert_uint_eq(json_array_size(r->messages), 1);
    expect_bool(msg(r, 0), "complete", false);
    ck_assert_uint_eq(count_kind(r, "unt_missing"), 1);
    ck_assert_uint_eq(count_kind(r, "unterminated_segment"), 1);
    ck_assert_uint_eq(ps_diag_count(&r->diags, PS_ERROR), 2);
    done(r);
}
END_TEST

START_TEST(test_not_edifact)
{
    result *r = parse("hello world\nthis is not a passenger list\n");
    ck_assert(!r->ok);
    ck_assert_uint_eq(count_kind(r, "no_interchange"), 1);
    ck_assert_uint_eq(json_array_size(r->messages), 0);
    done(r);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("paxlst");
    TCase *tc = tcase_create("map");
    tcase_add_test(tc, test_two_passengers_every_field);
    tcase_add_test(tc, test_given_names_in_one_or_several_components);
    tcase_add_test(tc, test_roles_crew_and_person_segments);
    tcase_add_test(tc, test_message_kinds);
    tcase_add_test(tc, test_date_formats_and_partial_dates);
    tcase_add_test(tc, test_two_digit_years);
    tcase_add_test(tc, test_multipart_separate_interchanges_any_order);
    tcase_add_test(tc, test_multipart_incomplete_is_reported_not_whole);
    tcase_add_test(tc, test_cnt_mismatch_and_assigned_ids);
    tcase_add_test(tc, test_type_b_alternative_service_characters);
    tcase_add_test(tc, test_unoc_names_are_decoded_to_utf8);
    tcase_add_test(tc, test_problems_are_named_and_the_rest_kept);
    tcase_add_test(tc, test_cut_off_message_is_incomplete);
    tcase_add_test(tc, test_not_edifact);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
