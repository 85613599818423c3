/* tests/unit/test_json_batch.c — Check tests for formats/json_batch.c: batch, JSON Lines and
 * bare traveller shapes, field warnings and their paths, dates, roles, genders, assigned ids,
 * byte-exact names, MRZ checks, empty input and the round trip through the JSON writer. */
#include "paxscreen/json_batch.h"
#include "paxscreen/record_json.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PS_TEST_DATA
#define PS_TEST_DATA "tests/data"
#endif

#define SPEC_L1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define SPEC_L2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
/* The specimen with a wrong birth-date check digit (2 -> 3; the composite digit fails too). */
#define SPEC_L2_BAD "L898902C36UTO7408123F1204159ZE184226B<<<<<10"

static ps_arena arena;
static ps_diag_list diags;
static ps_batch batch;
static bool parsed_ok;

static void setup(void)
{
    ps_arena_init(&arena);
    ps_diag_list_init(&diags, &arena);
    memset(&batch, 0, sizeof batch);
}

static void teardown(void)
{
    ps_arena_free(&arena);
}

static bool parse(const char *text)
{
    ps_diag_list_init(&diags, &arena);
    parsed_ok = ps_json_batch_parse(text, strlen(text), &arena, &batch, &diags);
    return parsed_ok;
}

static char *read_file(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", PS_TEST_DATA, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static bool str_is(ps_str s, const char *c)
{
    return ps_str_eq_cstr(s, c);
}

#define ck_assert_pstr(s, c)                                                                       \
    ck_assert_msg(str_is((s), (c)), "expected \"%s\", got \"%.*s\"", (c), (int)(s).len,            \
                  (s).ptr ? (s).ptr : "")

/* The first diag (in diags, or in a traveller's warnings) of kind with field. */
static const ps_diag *find_in(const ps_diag *items, uint32_t n, const char *kind, const char *field)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(items[i].kind, kind) == 0 && (!field || str_is(items[i].field, field)))
            return &items[i];
    return NULL;
}

static const ps_diag *find_diag(const char *kind, const char *field)
{
    return find_in(diags.items, diags.count, kind, field);
}

static void dump_diags(void)
{
    for (uint32_t i = 0; i < diags.count; i++)
        fprintf(stderr, "  diag %s field=%.*s: %.*s\n", diags.items[i].kind,
                (int)diags.items[i].field.len,
                diags.items[i].field.ptr ? diags.items[i].field.ptr : "",
                (int)diags.items[i].message.len, diags.items[i].message.ptr);
}

static void date_is(const ps_date *d, int y, int m, int day, int prec)
{
    ck_assert_int_eq(d->precision, prec);
    ck_assert_int_eq(d->year, y);
    ck_assert_int_eq(d->month, m);
    ck_assert_int_eq(d->day, day);
}

/* ---- shapes ----------------------------------------------------------------------------- */

START_TEST(test_batch_file)
{
    size_t len;
    char *text = read_file("batch.json", &len);
    ck_assert(ps_json_batch_parse(text, len, &arena, &batch, &diags));
    if (diags.count)
        dump_diags();
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(batch.has_flight);
    ck_assert(!batch.json_lines);
    ck_assert_pstr(batch.flight.carrier, "XZ");
    ck_assert_pstr(batch.flight.number, "877");
    ck_assert_pstr(batch.flight.departure_airport, "BCN");
    ck_assert_pstr(batch.flight.arrival_airport, "IAD");
    ck_assert_int_eq(batch.flight.departure_time.precision, PS_DATE_MINUTE);
    ck_assert_int_eq(batch.flight.departure_time.year, 2024);
    ck_assert_int_eq(batch.flight.departure_time.month, 5);
    ck_assert_int_eq(batch.flight.departure_time.day, 1);
    ck_assert_int_eq(batch.flight.departure_time.hour, 11);
    ck_assert_int_eq(batch.flight.arrival_time.hour, 17);

    ck_assert_uint_eq(batch.n_travellers, 3);
    const ps_traveller *t = &batch.travellers[0];
    ck_assert_pstr(t->id, "XZ877-240501-001");
    ck_assert(!t->id_assigned);
    ck_assert_int_eq(t->role, PS_ROLE_PASSENGER);
    ck_assert_pstr(t->surname, "MARTINEZ");
    ck_assert_pstr(t->given_names, "JULIO XAVIER");
    date_is(&t->birth_date, 1968, 2, 23, PS_DATE_DAY);
    ck_assert_int_eq(t->gender, 'M');
    ck_assert_pstr(t->nationality, "ESP");
    ck_assert_pstr(t->residence, "ESP");
    ck_assert_pstr(t->birth_place, "MADRID");
    ck_assert_pstr(t->pnr, "GJO3RT");
    ck_assert_pstr(t->seat, "23A");
    ck_assert_pstr(t->embarkation, "BCN");
    ck_assert_pstr(t->debarkation, "IAD");
    ck_assert_uint_eq(t->n_documents, 1);
    ck_assert_pstr(t->documents[0].type, "P");
    ck_assert_pstr(t->documents[0].number, "YY3478621");
    ck_assert_pstr(t->documents[0].issuer, "ESP");
    date_is(&t->documents[0].expiry, 2029, 12, 30, PS_DATE_DAY);
    ck_assert_pstr(t->documents[0].mrz, "P<ESPMARTINEZ<<JULIO<XAVIER<<<<<<<<<<<<<<<<<\n"
                                        "YY34786219ESP6802239M2912305<<<<<<<<<<<<<<00");
    ck_assert_uint_eq(t->n_warnings, 0);

    t = &batch.travellers[1];
    ck_assert_pstr(t->surname, "S\xC3\xB8nderg\xC3\xA5rd");
    date_is(&t->birth_date, 1991, 7, 0, PS_DATE_MONTH);
    ck_assert_pstr(t->email, "ida.sondergaard@example.dk");
    ck_assert_int_eq(t->bags, 1);
    ck_assert_int_eq(t->verified, -1);

    t = &batch.travellers[2];
    ck_assert_int_eq(t->role, PS_ROLE_CREW);
    ck_assert_pstr(t->crew_function, "CR1");
    ck_assert_int_eq(t->verified, 1);
    ck_assert_int_eq(t->bags, -1);

    /* Each traveller's offset is where its object starts in the text. */
    for (uint32_t i = 0; i < batch.n_travellers; i++) {
        ck_assert_uint_lt(batch.travellers[i].offset, len);
        ck_assert_int_eq(text[batch.travellers[i].offset], '{');
        if (i)
            ck_assert_uint_gt(batch.travellers[i].offset, batch.travellers[i - 1].offset);
    }
    ck_assert(strncmp(text + batch.travellers[2].offset, "{\n      \"id\": \"XZ877-240501-C01\"",
                      32) == 0);
    free(text);
}
END_TEST

START_TEST(test_lines_file)
{
    size_t len;
    char *text = read_file("travellers.jsonl", &len);
    ck_assert(ps_json_batch_parse(text, len, &arena, &batch, &diags));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(batch.json_lines);
    ck_assert(!batch.has_flight);
    ck_assert_uint_eq(batch.n_travellers, 3);
    ck_assert_pstr(batch.travellers[1].surname,
                   "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD\xD0\xBE\xD0\xB2\xD0\xB0");
    date_is(&batch.travellers[1].birth_date, 1985, 0, 0, PS_DATE_YEAR);
    ck_assert_int_eq(batch.travellers[1].role, PS_ROLE_PASSENGER);
    ck_assert_int_eq(batch.travellers[2].role, PS_ROLE_TRANSIT_PASSENGER);
    ck_assert_int_eq(batch.travellers[2].gender, 'X');
    ck_assert_pstr(batch.travellers[2].id, "T3");
    ck_assert(batch.travellers[2].id_assigned);
    /* Offsets are line starts. */
    ck_assert_uint_eq(batch.travellers[0].offset, 0);
    ck_assert_int_eq(text[batch.travellers[1].offset - 1], '\n');
    ck_assert_int_eq(text[batch.travellers[2].offset - 1], '\n');
    free(text);
}
END_TEST

START_TEST(test_lines_bad_middle)
{
    const char *text = "{\"id\": \"a\", \"surname\": \"ONE\"}\n"
                       "\n"
                       "{\"id\": \"b\", \"surname\": }\n"
                       "{\"id\": \"c\", \"surname\": \"THREE\"}\n";
    ck_assert(parse(text));
    ck_assert(batch.json_lines);
    ck_assert_uint_eq(batch.n_travellers, 2);
    ck_assert_pstr(batch.travellers[0].id, "a");
    ck_assert_pstr(batch.travellers[1].id, "c");
    ck_assert_pstr(batch.travellers[1].surname, "THREE");
    ck_assert_uint_eq(ps_diag_count(&diags, PS_ERROR), 1);
    const ps_diag *d = find_diag("invalid_json", "line 3");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, PS_ERROR);
    /* The offset falls inside line 3, counted from the start of the whole input. */
    size_t line3 = strlen("{\"id\": \"a\", \"surname\": \"ONE\"}\n\n");
    size_t line4 = line3 + strlen("{\"id\": \"b\", \"surname\": }\n");
    ck_assert_uint_ge(d->offset, line3);
    ck_assert_uint_lt(d->offset, line4);
    char msg[300];
    snprintf(msg, sizeof msg, "%.*s", (int)d->message.len, d->message.ptr);
    ck_assert_msg(strstr(msg, "line 3") && strstr(msg, "column") && strstr(msg, "byte"),
                  "message: %s", msg);
    ck_assert_uint_eq(batch.travellers[1].offset, line4);
}
END_TEST

START_TEST(test_lines_bad_first)
{
    /* A broken first line does not hide the lines after it. */
    ck_assert(parse("{\"id\": \"a\",,}\n{\"id\": \"b\"}\n{\"id\": \"c\"}\n"));
    ck_assert(batch.json_lines);
    ck_assert_uint_eq(batch.n_travellers, 2);
    ck_assert_ptr_nonnull(find_diag("invalid_json", "line 1"));
}
END_TEST

START_TEST(test_lines_not_objects)
{
    ck_assert(parse("{\"id\": \"a\"}\n[1, 2]\n\"x\"\n{\"id\": \"b\"}\r\n"));
    ck_assert_uint_eq(batch.n_travellers, 2);
    ck_assert_ptr_nonnull(find_diag("invalid_traveller", "line 2"));
    ck_assert_ptr_nonnull(find_diag("invalid_traveller", "line 3"));
    ck_assert_uint_eq(ps_diag_count(&diags, PS_ERROR), 0);

    /* A batch object is not a traveller line. */
    ck_assert(parse("{\"id\": \"a\"}\n{\"travellers\": [{\"id\": \"b\"}]}\n"));
    ck_assert_uint_eq(batch.n_travellers, 1);
    ck_assert_ptr_nonnull(find_diag("invalid_traveller", "line 2"));

    /* Nothing but bad lines: nothing read. */
    ck_assert(!parse("{\"id\": \"a\"}x\n[1]\n{\"id\": \"b\"} y\n"));
    ck_assert_uint_eq(batch.n_travellers, 0);
}
END_TEST

START_TEST(test_not_json)
{
    const char *text =
        "{\n  \"flight\": {\"carrier\": \"XZ\"},\n  \"travellers\": [ {\"id\": x} ]\n}\n";
    ck_assert(!parse(text));
    ck_assert_uint_eq(batch.n_travellers, 0);
    const ps_diag *d = find_diag("invalid_json", NULL);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, PS_ERROR);
    char msg[300];
    snprintf(msg, sizeof msg, "%.*s", (int)d->message.len, d->message.ptr);
    ck_assert_msg(strstr(msg, "line 3, column"), "message: %s", msg);
    ck_assert_uint_gt(d->offset, strlen("{\n  \"flight\": {\"carrier\": \"XZ\"},\n"));

    ck_assert(!parse("UNA:+.? 'UNB+UNOA:4+X+Y'"));
    ck_assert_ptr_nonnull(find_diag("invalid_json", NULL));

    /* Invalid UTF-8 is not JSON either. */
    ck_assert(!parse("{\"surname\": \"\xC3\x28\"}"));
}
END_TEST

START_TEST(test_not_a_batch)
{
    ck_assert(!parse("[{\"id\": \"a\"}]"));
    ck_assert_ptr_nonnull(find_diag("invalid_batch", NULL));
    ck_assert(!parse("42"));
    ck_assert(!parse("\"P<UTO\""));
}
END_TEST

START_TEST(test_bare_traveller)
{
    ck_assert(parse("  {\"surname\": \"ERIKSSON\", \"birth_date\": \"1974-13\"}\n"));
    ck_assert(!batch.json_lines);
    ck_assert_uint_eq(batch.n_travellers, 1);
    ck_assert_pstr(batch.travellers[0].surname, "ERIKSSON");
    ck_assert_pstr(batch.travellers[0].id, "T1");
    ck_assert_uint_eq(batch.travellers[0].offset, 2);
    ck_assert_ptr_nonnull(find_diag("invalid_field", "birth_date"));
}
END_TEST

START_TEST(test_empty_input)
{
    ck_assert(!ps_json_batch_parse("", 0, &arena, &batch, &diags));
    ck_assert_uint_eq(batch.n_travellers, 0);
    ck_assert_ptr_nonnull(find_diag("empty_input", NULL));
    ck_assert(!parse(" \n\r\n\t "));
    ck_assert_ptr_nonnull(find_diag("empty_input", NULL));
    ck_assert(!parse("\xEF\xBB\xBF\n"));
    /* A byte order mark before real JSON is skipped. */
    ck_assert(parse("\xEF\xBB\xBF{\"travellers\": [{\"id\": \"a\"}]}"));
    ck_assert_uint_eq(batch.n_travellers, 1);
    ck_assert_uint_eq(batch.travellers[0].offset, 19);
    /* A batch without travellers reads fine. */
    ck_assert(parse("{\"flight\": {\"carrier\": \"XZ\"}, \"travellers\": []}"));
    ck_assert(batch.has_flight);
    ck_assert_uint_eq(batch.n_travellers, 0);
}
END_TEST

/* ---- fields ----------------------------------------------------------------------------- */

/* Each wrong field, put into the second traveller of a batch, must give a warning whose field
 * is its JSON path, and leave the traveller (and the other fields) in place. */
static const struct {
    const char *member;
    const char *path;
} bad_fields[] = {
    {"\"surname\": 12", "surname"},
    {"\"given_names\": true", "given_names"},
    {"\"given_names\": [\"ANNA\", 3]", "given_names[1]"},
    {"\"birth_date\": \"1968-13-01\"", "birth_date"},
    {"\"birth_date\": \"23.02.1968\"", "birth_date"},
    {"\"birth_date\": \"1968-02-30\"", "birth_date"},
    {"\"birth_date\": \"1968-02-23T10:00\"", "birth_date"},
    {"\"birth_date\": 1968", "birth_date"},
    {"\"gender\": \"male\"", "gender"},
    {"\"gender\": \"m\"", "gender"},
    {"\"gender\": 1", "gender"},
    {"\"role\": \"pilot\"", "role"},
    {"\"role\": 5", "role"},
    {"\"nationality\": [\"ESP\"]", "nationality"},
    {"\"residence\": {}", "residence"},
    {"\"birth_place\": 1.5", "birth_place"},
    {"\"pnr\": false", "pnr"},
    {"\"seat\": 23", "seat"},
    {"\"embarkation\": 1", "embarkation"},
    {"\"debarkation\": 1", "debarkation"},
    {"\"clearance\": 1", "clearance"},
    {"\"agency_ref\": 1", "agency_ref"},
    {"\"customer_ref\": 1", "customer_ref"},
    {"\"ticket\": 1", "ticket"},
    {"\"crew_function\": 1", "crew_function"},
    {"\"address\": {\"city\": \"X\"}", "address"},
    {"\"phone\": 5551234", "phone"},
    {"\"email\": []", "email"},
    {"\"bag_tags\": 1", "bag_tags"},
    {"\"verified\": \"yes\"", "verified"},
    {"\"verified\": 1", "verified"},
    {"\"bags\": -1", "bags"},
    {"\"bags\": 1.5", "bags"},
    {"\"bags\": \"2\"", "bags"},
    {"\"bags\": 9999999999", "bags"},
    {"\"id\": 1.5", "id"},
    {"\"documents\": {}", "documents"},
    {"\"documents\": [5]", "documents[0]"},
    {"\"documents\": [{}, \"P123\"]", "documents[1]"},
    {"\"documents\": [{\"type\": 1}]", "documents[0].type"},
    {"\"documents\": [{\"number\": {}}]", "documents[0].number"},
    {"\"documents\": [{\"issuer\": 1}]", "documents[0].issuer"},
    {"\"documents\": [{\"issue_place\": 1}]", "documents[0].issue_place"},
    {"\"documents\": [{\"expiry\": \"2029-02-30\"}]", "documents[0].expiry"},
    {"\"documents\": [{\"issued\": \"yesterday\"}]", "documents[0].issued"},
    {"\"documents\": [{\"mrz\": 5}]", "documents[0].mrz"},
    {"\"documents\": [{\"mrz\": [\"P<UTO\", 5]}]", "documents[0].mrz[1]"},
    {"\"mrz\": {}", "mrz"},
};

START_TEST(test_bad_field)
{
    /* A later duplicate key wins in jansson, so the bad member replaces a good one. */
    char text[512];
    snprintf(text, sizeof text,
             "{\"travellers\": [{\"id\": \"a\"}, {\"surname\": \"KEPT\", \"seat\": \"1A\", %s}]}",
             bad_fields[_i].member);
    ck_assert(parse(text));
    ck_assert_uint_eq(batch.n_travellers, 2);
    char path[96];
    snprintf(path, sizeof path, "travellers[1].%s", bad_fields[_i].path);
    const ps_diag *d = find_diag("invalid_field", path);
    if (!d)
        dump_diags();
    ck_assert_msg(d != NULL, "no invalid_field for %s in %s", path, text);
    ck_assert_int_eq(d->severity, PS_WARNING);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert(d->message.len > 0);
    const ps_traveller *t = &batch.travellers[1];
    if (!strstr(bad_fields[_i].member, "\"surname\""))
        ck_assert_pstr(t->surname, "KEPT");
    if (!strstr(bad_fields[_i].member, "\"seat\""))
        ck_assert_pstr(t->seat, "1A");
    ck_assert_int_eq(t->birth_date.precision, PS_DATE_NONE);
    ck_assert_int_eq(t->gender, 0);
    ck_assert_int_eq(t->bags, -1);
    ck_assert_int_eq(t->verified, -1);
}
END_TEST

START_TEST(test_bad_field_paths_lines_and_flight)
{
    ck_assert(parse("{\"id\": \"a\"}\n{\"id\": \"b\", \"birth_date\": \"1968-2-3\"}\n"));
    ck_assert_ptr_nonnull(find_diag("invalid_field", "line 2: birth_date"));
    ck_assert_uint_eq(diags.items[0].offset, strlen("{\"id\": \"a\"}\n"));

    ck_assert(parse("{\"id\": \"a\"}\n{\"documents\": [{\"expiry\": 2029}]}\n"));
    ck_assert_ptr_nonnull(find_diag("invalid_field", "line 2: documents[0].expiry"));

    ck_assert(parse("{\"flight\": {\"carrier\": 7, \"number\": 877,"
                    " \"departure\": {\"airport\": \"BCN\", \"time\": \"11:00\"},"
                    " \"arrival\": \"IAD\"}, \"travellers\": [{\"id\": \"a\"}]}"));
    ck_assert(batch.has_flight);
    ck_assert_pstr(batch.flight.number, "877");
    ck_assert_pstr(batch.flight.departure_airport, "BCN");
    ck_assert_int_eq(batch.flight.departure_time.precision, PS_DATE_NONE);
    ck_assert_ptr_nonnull(find_diag("invalid_field", "flight.carrier"));
    ck_assert_ptr_nonnull(find_diag("invalid_field", "flight.departure.time"));
    ck_assert_ptr_nonnull(find_diag("invalid_field", "flight.arrival"));
    ck_assert_uint_eq(diags.count, 3);

    ck_assert(parse("{\"flight\": [], \"travellers\": [{\"id\": \"a\"}]}"));
    ck_assert(!batch.has_flight);
    ck_assert_ptr_nonnull(find_diag("invalid_field", "flight"));

    ck_assert(parse("{\"flight\": {\"departure\": {\"time\": \"2024-05-01T11:00:30\"}},"
                    " \"travellers\": {}}"));
    ck_assert_int_eq(batch.flight.departure_time.minute, 0);
    ck_assert_int_eq(batch.flight.departure_time.hour, 11);
    const ps_diag *d = find_diag("invalid_field", "travellers");
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, PS_ERROR);
    ck_assert(!parse("{\"travellers\": \"a\"}")); /* no flight, no travellers: nothing read */

    /* A traveller that is not an object is skipped with a warning. */
    ck_assert(parse("{\"travellers\": [{\"id\": \"a\"}, \"b\", {\"id\": \"c\"}]}"));
    ck_assert_uint_eq(batch.n_travellers, 2);
    ck_assert_ptr_nonnull(find_diag("invalid_traveller", "travellers[1]"));
}
END_TEST

START_TEST(test_partial_birth_dates)
{
    ck_assert(parse("{\"travellers\": [{\"birth_date\": \"1968\"}, {\"birth_date\": \"1968-02\"},"
                    " {\"birth_date\": \"1968-02-23\"}, {\"birth_date\": \"2000-02-29\"}]}"));
    ck_assert_uint_eq(diags.count, 0);
    date_is(&batch.travellers[0].birth_date, 1968, 0, 0, PS_DATE_YEAR);
    date_is(&batch.travellers[1].birth_date, 1968, 2, 0, PS_DATE_MONTH);
    date_is(&batch.travellers[2].birth_date, 1968, 2, 23, PS_DATE_DAY);
    date_is(&batch.travellers[3].birth_date, 2000, 2, 29, PS_DATE_DAY);

    ck_assert(parse("{\"travellers\": [{\"birth_date\": \"68\"}, {\"birth_date\": \"1968-00\"},"
                    " {\"birth_date\": \"\"}, {\"birth_date\": \" 1968\"}]}"));
    ck_assert_uint_eq(diags.count, 3); /* "" is "not sent", like null */
    ck_assert_ptr_null(find_diag("invalid_field", "travellers[2].birth_date"));
    for (uint32_t i = 0; i < 4; i++)
        ck_assert_int_eq(batch.travellers[i].birth_date.precision, PS_DATE_NONE);
}
END_TEST

START_TEST(test_roles_and_genders)
{
    ck_assert(parse("{\"travellers\": [{}, {\"role\": \"crew\"}, {\"role\": \"transit_crew\"},"
                    " {\"role\": \"transit_passenger\"}, {\"role\": \"Crew\"},"
                    " {\"role\": \"unknown\"}, {\"role\": null}]}"));
    ck_assert_int_eq(batch.travellers[0].role, PS_ROLE_PASSENGER);
    ck_assert_int_eq(batch.travellers[1].role, PS_ROLE_CREW);
    ck_assert_int_eq(batch.travellers[2].role, PS_ROLE_TRANSIT_CREW);
    ck_assert_int_eq(batch.travellers[3].role, PS_ROLE_TRANSIT_PASSENGER);
    ck_assert_int_eq(batch.travellers[4].role, PS_ROLE_UNKNOWN);
    ck_assert_int_eq(batch.travellers[5].role, PS_ROLE_UNKNOWN);
    ck_assert_int_eq(batch.travellers[6].role, PS_ROLE_PASSENGER);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_ptr_nonnull(find_diag("invalid_field", "travellers[4].role"));

    ck_assert(parse("{\"travellers\": [{\"gender\": \"M\"}, {\"gender\": \"F\"},"
                    " {\"gender\": \"X\"},"
                    " {\"gender\": \"U\"}, {\"gender\": \"Q\"}, {\"gender\": \"MF\"},"
                    " {\"gender\": \"\"}]}"));
    ck_assert_int_eq(batch.travellers[0].gender, 'M');
    ck_assert_int_eq(batch.travellers[1].gender, 'F');
    ck_assert_int_eq(batch.travellers[2].gender, 'X');
    ck_assert_int_eq(batch.travellers[3].gender, 'U');
    for (int i = 4; i < 7; i++)
        ck_assert_int_eq(batch.travellers[i].gender, 0);
    ck_assert_uint_eq(diags.count, 2);
    ck_assert_ptr_nonnull(find_diag("invalid_field", "travellers[4].gender"));
    ck_assert_ptr_nonnull(find_diag("invalid_field", "travellers[5].gender"));
}
END_TEST

START_TEST(test_assigned_ids)
{
    ck_assert(parse("{\"travellers\": [{}, {\"id\": \"T1\"}, {\"id\": \"\"}, {\"id\": 17},"
                    " {\"id\": null}]}"));
    ck_assert_uint_eq(batch.n_travellers, 5);
    ck_assert_pstr(batch.travellers[0].id, "T1-2"); /* "T1" was taken by the sender */
    ck_assert(batch.travellers[0].id_assigned);
    ck_assert_pstr(batch.travellers[1].id, "T1");
    ck_assert(!batch.travellers[1].id_assigned);
    ck_assert_pstr(batch.travellers[2].id, "T3");
    ck_assert(batch.travellers[2].id_assigned);
    ck_assert_pstr(batch.travellers[3].id, "17");
    ck_assert(!batch.travellers[3].id_assigned);
    ck_assert_pstr(batch.travellers[4].id, "T5");
    ck_assert(batch.travellers[4].id_assigned);
    ck_assert_uint_eq(diags.count, 0);

    /* JSON Lines: the ordinal counts travellers read, not lines. */
    ck_assert(parse("{}\nnot json\n{\"id\": \"x\"}\n{}\n"));
    ck_assert_uint_eq(batch.n_travellers, 3);
    ck_assert_pstr(batch.travellers[0].id, "T1");
    ck_assert_pstr(batch.travellers[2].id, "T3");
}
END_TEST

START_TEST(test_names_byte_for_byte)
{
    ck_assert(parse("{\"surname\": \"  M\\u00fcller-L\xC3\xBC"
                    "denscheidt \","
                    " \"given_names\": \"\xE6\x9D\x8E \xE5\xB0\x8F\xE9\xBE\x99\","
                    " \"birth_place\":"
                    " \"\xD8\xA7\xD9\x84\xD9\x82\xD8\xA7\xD9\x87\xD8\xB1\xD8\xA9\","
                    " \"email\": \"a\\u0000b\", \"address\": \"Calle Mayor 1, MADRID\"}"));
    ck_assert_uint_eq(diags.count, 0);
    const ps_traveller *t = &batch.travellers[0];
    ck_assert_pstr(t->surname, "  M\xC3\xBCller-L\xC3\xBC"
                               "denscheidt ");
    ck_assert_pstr(t->given_names, "\xE6\x9D\x8E \xE5\xB0\x8F\xE9\xBE\x99");
    ck_assert_pstr(t->birth_place, "\xD8\xA7\xD9\x84\xD9\x82\xD8\xA7\xD9\x87\xD8\xB1\xD8\xA9");
    ck_assert_uint_eq(t->email.len, 3);
    ck_assert(memcmp(t->email.ptr, "a\0b", 3) == 0);
    ck_assert_pstr(t->address, "Calle Mayor 1, MADRID");

    /* Given names in components are joined by single spaces; case is kept. */
    ck_assert(parse("{\"given_names\": [\"Anna\", \"\", \"maria\"]}"));
    ck_assert_pstr(batch.travellers[0].given_names, "Anna maria");
}
END_TEST

START_TEST(test_null_means_absent)
{
    ck_assert(parse("{\"id\": null, \"surname\": null, \"birth_date\": null, \"gender\": null,"
                    " \"documents\": null, \"mrz\": null, \"bags\": null, \"verified\": null,"
                    " \"unknown_key\": {\"deep\": [1, 2]}}"));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_uint_eq(batch.travellers[0].n_documents, 0);
    ck_assert_int_eq(batch.travellers[0].bags, -1);
}
END_TEST

/* ---- MRZ -------------------------------------------------------------------------------- */

static const char *flight_2024 =
    "\"flight\": {\"carrier\": \"XZ\", \"number\": \"877\","
    " \"departure\": {\"airport\": \"BCN\", \"time\": \"2024-05-01T11:00\"}}";

START_TEST(test_mrz_valid)
{
    char text[1024];
    snprintf(text, sizeof text,
             "{%s, \"travellers\": [{\"id\": \"a\", \"surname\": \"Eriksson\","
             " \"birth_date\": \"1974-08-12\", \"nationality\": \"UTO\","
             " \"documents\": [{\"type\": \"P\", \"number\": \"L898902C3\","
             " \"mrz\": \"" SPEC_L1 "\\n" SPEC_L2 "\"}]}]}",
             flight_2024);
    ck_assert(parse(text));
    ck_assert_uint_eq(diags.count, 0);
    const ps_traveller *t = &batch.travellers[0];
    for (uint32_t i = 0; i < t->n_warnings; i++)
        fprintf(stderr, "warning %s %.*s\n", t->warnings[i].kind, (int)t->warnings[i].field.len,
                t->warnings[i].field.ptr);
    ck_assert_uint_eq(t->n_warnings, 0);
    ck_assert_uint_eq(t->n_documents, 1);
    ck_assert_pstr(t->documents[0].mrz, SPEC_L1 "\n" SPEC_L2);
    /* Absent document fields are filled from the zone; sent ones are kept as sent. */
    ck_assert_pstr(t->documents[0].issuer, "UTO");
    date_is(&t->documents[0].expiry, 2012, 4, 15, PS_DATE_DAY);
    ck_assert_pstr(t->surname, "Eriksson");
    ck_assert_pstr(t->given_names, "ANNA MARIA");
    ck_assert_int_eq(t->gender, 'F');

    /* The same zone as an array of lines. */
    ck_assert(parse("{\"documents\": [{\"mrz\": [\"" SPEC_L1 "\", \"" SPEC_L2 "\"]}]}"));
    t = &batch.travellers[0];
    ck_assert_uint_eq(t->n_warnings, 0);
    ck_assert_pstr(t->documents[0].mrz, SPEC_L1 "\n" SPEC_L2);
    ck_assert_pstr(t->documents[0].number, "L898902C3");
    ck_assert_pstr(t->documents[0].type, "P");
    ck_assert_pstr(t->surname, "ERIKSSON");
    ck_assert_pstr(t->nationality, "UTO");
    date_is(&t->birth_date, 1974, 8, 12, PS_DATE_DAY);
}
END_TEST

START_TEST(test_mrz_check_digit)
{
    char text[1024];
    snprintf(text, sizeof text,
             "{%s, \"travellers\": [{\"id\": \"a\"}, {\"id\": \"b\", \"surname\": \"ERIKSSON\","
             " \"documents\": [{\"number\": \"X1\"}, {\"number\": \"L898902C3\","
             " \"mrz\": [\"" SPEC_L1 "\", \"" SPEC_L2_BAD "\"]}]}]}",
             flight_2024);
    ck_assert(parse(text));
    ck_assert_uint_eq(diags.count, 0); /* MRZ findings live on the traveller */
    const ps_traveller *t = &batch.travellers[1];
    ck_assert_uint_eq(batch.travellers[0].n_warnings, 0);
    const ps_diag *w =
        find_in(t->warnings, t->n_warnings, "mrz_check_digit", "documents[1].mrz.birth_date");
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(w->severity, PS_WARNING);
    ck_assert_uint_eq(w->offset, t->offset);
    ck_assert_ptr_nonnull(
        find_in(t->warnings, t->n_warnings, "mrz_check_digit", "documents[1].mrz.composite"));
    /* The fields are still read. */
    ck_assert_int_eq(t->birth_date.precision, PS_DATE_DAY);
    ck_assert_pstr(t->documents[1].mrz, SPEC_L1 "\n" SPEC_L2_BAD);

    /* Text that is no MRZ at all: a warning on the traveller, the text kept. */
    ck_assert(parse("{\"documents\": [{\"number\": \"123\", \"mrz\": \"hello\"}]}"));
    t = &batch.travellers[0];
    ck_assert_ptr_nonnull(find_in(t->warnings, t->n_warnings, "mrz_invalid", "documents[0].mrz"));
    ck_assert_int_eq(t->warnings[0].severity, PS_WARNING);
    ck_assert_pstr(t->documents[0].mrz, "hello");
    ck_assert_pstr(t->documents[0].number, "123");
}
END_TEST

START_TEST(test_mrz_mismatch)
{
    char text[1024];
    snprintf(text, sizeof text,
             "{%s, \"travellers\": [{\"id\": \"a\", \"surname\": \"ERIKSON\","
             " \"birth_date\": \"1975-08-12\", \"nationality\": \"SWE\","
             " \"documents\": [{\"number\": \"L898902C4\","
             " \"mrz\": \"" SPEC_L1 "\\r\\n" SPEC_L2 "\"}]}]}",
             flight_2024);
    ck_assert(parse(text));
    const ps_traveller *t = &batch.travellers[0];
    const char *fields[] = {"documents[0].mrz.document_number", "documents[0].mrz.birth_date",
                            "documents[0].mrz.surname", "documents[0].mrz.nationality"};
    for (int i = 0; i < 4; i++)
        ck_assert_msg(find_in(t->warnings, t->n_warnings, "mrz_mismatch", fields[i]),
                      "no mrz_mismatch on %s", fields[i]);
    ck_assert_uint_eq(t->n_warnings, 4);
    /* What was sent is kept. */
    ck_assert_pstr(t->surname, "ERIKSON");
    ck_assert_pstr(t->documents[0].number, "L898902C4");
    date_is(&t->birth_date, 1975, 8, 12, PS_DATE_DAY);

    /* Agreement up to case, fillers, partial dates and "D" for Germany is no mismatch. */
    ck_assert(parse("{\"surname\": \"eriksson\", \"birth_date\": \"1974-08\","
                    " \"nationality\": \"uto\", \"documents\": [{\"number\": \"l898902c3\","
                    " \"mrz\": \"" SPEC_L1 "\\n" SPEC_L2 "\"}]}"));
    ck_assert_uint_eq(batch.travellers[0].n_warnings, 0);

    /* A surname cut short by a full MRZ name field still agrees. */
    ck_assert(
        parse("{\"surname\": \"Wolfeschlegelsteinhausenbergerdorff-Senior\","
              " \"documents\": [{\"mrz\": \"P<UTOWOLFESCHLEGELSTEINHAUSENBERGERDORFFSENI\\n" SPEC_L2
              "\"}]}"));
    t = &batch.travellers[0];
    ck_assert_ptr_null(find_in(t->warnings, t->n_warnings, "mrz_mismatch", NULL));
    ck_assert(
        parse("{\"surname\": \"Wolfeschlegelstein\","
              " \"documents\": [{\"mrz\": \"P<UTOWOLFESCHLEGELSTEINHAUSENBERGERDORFFSENI\\n" SPEC_L2
              "\"}]}"));
    t = &batch.travellers[0];
    ck_assert_ptr_nonnull(
        find_in(t->warnings, t->n_warnings, "mrz_mismatch", "documents[0].mrz.surname"));
}
END_TEST

START_TEST(test_mrz_top_level)
{
    /* Attached to the document with its number. */
    ck_assert(parse("{\"surname\": \"ERIKSSON\", \"documents\": [{\"number\": \"X1\"},"
                    " {\"number\": \"L898902C3\", \"issuer\": \"UTO\"}],"
                    " \"mrz\": \"" SPEC_L1 "\\n" SPEC_L2 "\"}"));
    const ps_traveller *t = &batch.travellers[0];
    ck_assert_uint_eq(t->n_documents, 2);
    ck_assert_uint_eq(t->documents[0].mrz.len, 0);
    ck_assert_pstr(t->documents[1].mrz, SPEC_L1 "\n" SPEC_L2);
    ck_assert_uint_eq(t->n_warnings, 0);

    /* Otherwise a new document from the zone. */
    ck_assert(parse("{\"surname\": \"ERIKSSON\", \"birth_date\": \"1974-08-13\","
                    " \"mrz\": [\"" SPEC_L1 "\", \"" SPEC_L2 "\"]}"));
    t = &batch.travellers[0];
    ck_assert_uint_eq(t->n_documents, 1);
    ck_assert_pstr(t->documents[0].type, "P");
    ck_assert_pstr(t->documents[0].number, "L898902C3");
    ck_assert_pstr(t->documents[0].issuer, "UTO");
    ck_assert_int_eq(t->documents[0].expiry.year, 2012);
    ck_assert_pstr(t->documents[0].mrz, SPEC_L1 "\n" SPEC_L2);
    ck_assert_ptr_nonnull(find_in(t->warnings, t->n_warnings, "mrz_mismatch", "mrz.birth_date"));
    ck_assert_uint_eq(t->n_warnings, 1);

    /* The same zone on a document and at top level is read once. */
    ck_assert(parse("{\"documents\": [{\"mrz\": \"" SPEC_L1 "\\n" SPEC_L2_BAD "\"}],"
                    " \"mrz\": \"" SPEC_L1 "\\n" SPEC_L2_BAD "\"}"));
    t = &batch.travellers[0];
    ck_assert_uint_eq(t->n_documents, 1);
    ck_assert_uint_eq(t->n_warnings, 2);
}
END_TEST

/* ---- writer round trip ------------------------------------------------------------------ */

static char *write_all(const ps_batch *b)
{
    ps_buf buf;
    ps_buf_init(&buf);
    for (uint32_t i = 0; i < b->n_travellers; i++) {
        ps_json_write_traveller(&buf, &b->travellers[i]);
        ps_buf_putc(&buf, '\n');
    }
    char *s = malloc(buf.len + 1);
    memcpy(s, buf.data, buf.len);
    s[buf.len] = '\0';
    ps_buf_free(&buf);
    return s;
}

static void round_trip(const char *file)
{
    size_t len;
    char *text = read_file(file, &len);
    ck_assert(ps_json_batch_parse(text, len, &arena, &batch, &diags));
    uint32_t n = batch.n_travellers;
    char *once = write_all(&batch);
    /* The writer's output is JSON Lines; reading it back and writing again gives the same
     * text (ids that were assigned come back as sent ids, so drop that one flag). */
    ps_batch again;
    ck_assert(ps_json_batch_parse(once, strlen(once), &arena, &again, &diags));
    ck_assert_uint_eq(again.n_travellers, n);
    for (uint32_t i = 0; i < n; i++)
        again.travellers[i].id_assigned = batch.travellers[i].id_assigned;
    char *twice = write_all(&again);
    ck_assert_str_eq(once, twice);
    ck_assert_uint_eq(diags.count, 0);
    free(once);
    free(twice);
    free(text);
}

START_TEST(test_round_trip_batch)
{
    round_trip("batch.json");
}
END_TEST

START_TEST(test_round_trip_lines)
{
    round_trip("travellers.jsonl");
}
END_TEST

START_TEST(test_round_trip_all_fields)
{
    const char *text =
        "{\"id\": \"Z9\", \"role\": \"transit_crew\", \"surname\": \"D\xC3\x9A\" ,"
        " \"given_names\": \"\\\"Q\\\" \\\\ \\t\", \"birth_date\": \"1950\", \"gender\": \"U\","
        " \"nationality\": \"D\", \"residence\": \"FRA\", \"birth_place\": \"LYON\","
        " \"documents\": [{\"type\": \"I\", \"number\": \"123\", \"issuer\": \"FRA\","
        " \"issue_place\": \"PARIS\", \"expiry\": \"2030-01\", \"issued\": \"2020-01-02\"}],"
        " \"pnr\": \"P\", \"seat\": \"1A\", \"embarkation\": \"CDG\", \"debarkation\": \"JFK\","
        " \"clearance\": \"JFK\", \"agency_ref\": \"R1\", \"customer_ref\": \"K1\","
        " \"ticket\": \"T1\", \"crew_function\": \"CR2\", \"address\": \"1 Rue, PARIS\","
        " \"phone\": \"+33 1\", \"email\": \"a@b.c\", \"verified\": false, \"bags\": 0,"
        " \"bag_tags\": \"XZ123456\"}";
    ck_assert(parse(text));
    ck_assert_uint_eq(diags.count, 0);
    ps_buf buf;
    ps_buf_init(&buf);
    ps_json_write_traveller(&buf, &batch.travellers[0]);
    ps_traveller first = batch.travellers[0];
    ck_assert(ps_json_batch_parse(buf.data, buf.len, &arena, &batch, &diags));
    ck_assert_uint_eq(diags.count, 0);
    const ps_traveller *t = &batch.travellers[0];
    ck_assert(ps_str_eq(t->given_names, first.given_names));
    ck_assert(ps_str_eq(t->surname, first.surname));
    ck_assert_int_eq(t->verified, 0);
    ck_assert_int_eq(t->bags, 0);
    ck_assert_int_eq(t->role, PS_ROLE_TRANSIT_CREW);
    ck_assert_pstr(t->documents[0].issue_place, "PARIS");
    date_is(&t->documents[0].expiry, 2030, 1, 0, PS_DATE_MONTH);
    date_is(&t->documents[0].issued, 2020, 1, 2, PS_DATE_DAY);
    ck_assert_pstr(t->bag_tags, "XZ123456");
    ps_buf again;
    ps_buf_init(&again);
    ps_json_write_traveller(&again, t);
    ck_assert_uint_eq(again.len, buf.len);
    ck_assert(memcmp(again.data, buf.data, buf.len) == 0);
    ps_buf_free(&again);
    ps_buf_free(&buf);
}
END_TEST

START_TEST(test_looks_like)
{
    ck_assert(ps_json_looks_like("{}", 2));
    ck_assert(ps_json_looks_like(" \r\n\t[", 5));
    ck_assert(ps_json_looks_like("\xEF\xBB\xBF{", 4));
    ck_assert(!ps_json_looks_like("UNA:+.? '", 9));
    ck_assert(!ps_json_looks_like("", 0));
    ck_assert(!ps_json_looks_like("   ", 3));
    ck_assert(!ps_json_looks_like("{", 0));
}
END_TEST

static Suite *json_batch_suite(void)
{
    Suite *s = suite_create("json_batch");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_batch_file);
    tcase_add_test(tc, test_lines_file);
    tcase_add_test(tc, test_lines_bad_middle);
    tcase_add_test(tc, test_lines_bad_first);
    tcase_add_test(tc, test_lines_not_objects);
    tcase_add_test(tc, test_not_json);
    tcase_add_test(tc, test_not_a_batch);
    tcase_add_test(tc, test_bare_traveller);
    tcase_add_test(tc, test_empty_input);
    tcase_add_loop_test(tc, test_bad_field, 0, (int)(sizeof bad_fields / sizeof bad_fields[0]));
    tcase_add_test(tc, test_bad_field_paths_lines_and_flight);
    tcase_add_test(tc, test_partial_birth_dates);
    tcase_add_test(tc, test_roles_and_genders);
    tcase_add_test(tc, test_assigned_ids);
    tcase_add_test(tc, test_names_byte_for_byte);
    tcase_add_test(tc, test_null_means_absent);
    tcase_add_test(tc, test_mrz_valid);
    tcase_add_test(tc, test_mrz_check_digit);
    tcase_add_test(tc, test_mrz_mismatch);
    tcase_add_test(tc, test_mrz_top_level);
    tcase_add_test(tc, test_round_trip_batch);
    tcase_add_test(tc, test_round_trip_lines);
    tcase_add_test(tc, test_round_trip_all_fields);
    tcase_add_test(tc, test_looks_like);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(json_batch_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
